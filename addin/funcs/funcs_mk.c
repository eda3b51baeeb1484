/* funcs_mk.c - MKTEST, SENSLOPE, TRENDDIR: the nonparametric trend of a
 * series (Mann-Kendall test, Theil-Sen slope). */
#include "funcs_series.h"
#include "kpi_funcs.h"
#include "kpi_mk.h"
#include "kpi_sen.h"

/* MKTEST(values [; years [; output]]) */
kpi_status kpi_fn_mktest(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    const char *opt = NULL;
    kpi_mk_output what = KPI_MK_P;
    double v = 0;
    kpi_status st = kpi_arg_option(kpi_arg_at(args, nargs, 2), &opt);
    if (st == KPI_OK)
        st = kpi_mk_output_parse(opt, &what);
    kpi_series_args s = {0};
    if (st == KPI_OK)
        st = kpi_series_args_read(kpi_arg_at(args, nargs, 0),
                                  kpi_arg_at(args, nargs, 1), 0, &s);
    if (st == KPI_OK) {
        kpi_mk_result r;
        st = kpi_mk_test(s.y, s.x, s.n, &r);
        if (st == KPI_OK)
            st = kpi_mk_output_value(&r, what, &v);
        kpi_series_args_free(&s);
    }
    return kpi_fn_scalar(st, v, out);
}

/* SENSLOPE(values [; years [; confidence [; bound]]]) */
kpi_status kpi_fn_senslope(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    double conf = 0, v = 0;
    int bound = 0;
    kpi_status st = kpi_arg_scalar(kpi_arg_at(args, nargs, 2), &conf);
    if (st == KPI_OK)
        st = kpi_arg_bound(kpi_arg_at(args, nargs, 3), &bound);
    kpi_series_args s = {0};
    if (st == KPI_OK)
        st = kpi_series_args_read(kpi_arg_at(args, nargs, 0),
                                  kpi_arg_at(args, nargs, 1), 0, &s);
    if (st == KPI_OK) {
        st = kpi_sen_slope(s.y, s.x, s.n, conf, bound, &v);
        kpi_series_args_free(&s);
    }
    return kpi_fn_scalar(st, v, out);
}

/* TRENDDIR(values [; years [; alpha]]) */
kpi_status kpi_fn_trenddir(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    double alpha = 0, v = 0;
    kpi_status st = kpi_arg_scalar(kpi_arg_at(args, nargs, 2), &alpha);
    kpi_series_args s = {0};
    if (st == KPI_OK)
        st = kpi_series_args_read(kpi_arg_at(args, nargs, 0),
                                  kpi_arg_at(args, nargs, 1), 0, &s);
    if (st == KPI_OK) {
        st = kpi_trenddir(s.y, s.x, s.n, alpha, &v);
        kpi_series_args_free(&s);
    }
    return kpi_fn_scalar(st, v, out);
}
