/* funcs_ols.c - TRENDSLOPE, TRENDPVALUE, TRENDFORECAST, TRENDSTATS: the
 * ordinary least-squares trend of a series. */
#include "funcs_series.h"
#include "kpi_funcs.h"
#include "kpi_ols.h"

/* A function of one series giving one number: TRENDSLOPE, TRENDPVALUE. */
typedef kpi_status (*series_stat)(const double *y, const double *x, size_t n,
                                  double *out);

static kpi_status series_scalar(const kpi_arg *args, size_t nargs,
                                series_stat stat, kpi_result *out)
{
    kpi_series_args s;
    double v = 0;
    kpi_status st = kpi_series_args_read(kpi_arg_at(args, nargs, 0),
                                         kpi_arg_at(args, nargs, 1), 0, &s);
    if (st == KPI_OK) {
        st = stat(s.y, s.x, s.n, &v);
        kpi_series_args_free(&s);
    }
    return kpi_fn_scalar(st, v, out);
}

kpi_status kpi_fn_trendslope(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    return series_scalar(args, nargs, kpi_ols_slope, out);
}

kpi_status kpi_fn_trendpvalue(const kpi_arg *args, size_t nargs,
                              kpi_result *out)
{
    return series_scalar(args, nargs, kpi_ols_pvalue, out);
}

/* TRENDFORECAST(values; years; target_year [; confidence [; bound]]).
 * An empty years argument (TRENDFORECAST(values;;8)) means 1, 2, ..., n,
 * as for every series argument. */
kpi_status kpi_fn_trendforecast(const kpi_arg *args, size_t nargs,
                                kpi_result *out)
{
    double target = 0, conf = 0, v = 0;
    int bound = 0;
    kpi_status st = kpi_arg_scalar(kpi_arg_at(args, nargs, 2), &target);
    if (st == KPI_OK)
        st = kpi_arg_scalar(kpi_arg_at(args, nargs, 3), &conf);
    if (st == KPI_OK)
        st = kpi_arg_bound(kpi_arg_at(args, nargs, 4), &bound);
    kpi_series_args s = {0};
    if (st == KPI_OK)
        st = kpi_series_args_read(kpi_arg_at(args, nargs, 0),
                                  kpi_arg_at(args, nargs, 1), 0, &s);
    if (st == KPI_OK) {
        st = kpi_ols_forecast(s.y, s.x, s.n, target, conf, bound, &v);
        kpi_series_args_free(&s);
    }
    return kpi_fn_scalar(st, v, out);
}

/* TRENDSTATS(values [; years]) gives {slope, intercept, se(slope),
 * se(intercept), R², p-value, n}; every element carries the error when the
 * inputs are bad. */
kpi_status kpi_fn_trendstats(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    if (kpi_result_alloc(out, 1, 7) != KPI_OK)
        return KPI_ENOMEM;
    kpi_series_args s;
    kpi_ols_result r;
    kpi_status st = kpi_series_args_read(kpi_arg_at(args, nargs, 0),
                                         kpi_arg_at(args, nargs, 1), 0, &s);
    if (st == KPI_OK) {
        st = kpi_ols_fit(s.y, s.x, s.n, &r);
        kpi_series_args_free(&s);
    }
    if (st != KPI_OK) {
        kpi_result_fill_error(out, st);
        return KPI_OK;
    }
    const double v[7] = {r.slope, r.intercept, r.se_slope, r.se_intercept,
                         r.r2,    r.pvalue,    (double)r.n};
    for (size_t i = 0; i < 7; i++)
        out->v[i] = v[i];
    return KPI_OK;
}
