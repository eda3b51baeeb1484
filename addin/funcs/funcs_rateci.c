/* funcs_rateci.c - RATECI and RATETEST: the uncertainty of a rate. */
#include "funcs_series.h"
#include "kpi_funcs.h"
#include "kpi_rateci.h"

/* RATECI(successes; trials [; confidence [; method]]) gives {lower, upper};
 * with ranges of successes and trials, one such row per element. */
kpi_status kpi_fn_rateci(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    const kpi_arg *xs = kpi_arg_at(args, nargs, 0);
    const kpi_arg *ns = kpi_arg_at(args, nargs, 1);
    size_t cx = kpi_arg_count(xs), cn = kpi_arg_count(ns);
    size_t rows = cx > cn ? cx : cn;
    if (rows == 0)
        rows = 1;
    double conf = 0;
    kpi_ci_method method = KPI_CI_WILSON;
    const char *opt = NULL;
    kpi_status common = kpi_arg_scalar(kpi_arg_at(args, nargs, 2), &conf);
    if (common == KPI_OK)
        common = kpi_arg_option(kpi_arg_at(args, nargs, 3), &opt);
    if (common == KPI_OK)
        common = kpi_ci_method_parse(opt, &method);
    if (common == KPI_OK && cx > 1 && cn > 1 && cx != cn)
        common = KPI_EVALUE; /* ranges that do not pair up */
    if (common != KPI_OK)
        rows = 1;
    if (kpi_result_alloc(out, rows, 2) != KPI_OK)
        return KPI_ENOMEM;
    for (size_t e = 0; e < rows; e++) {
        double x = 0, n = 0, lo = 0, hi = 0;
        kpi_status st = common;
        if (st == KPI_OK)
            st = kpi_arg_element(xs, e, &x);
        if (st == KPI_OK)
            st = kpi_arg_element(ns, e, &n);
        if (st == KPI_OK)
            st = kpi_rateci(x, n, conf, method, &lo, &hi);
        out->v[2 * e] = st == KPI_OK ? lo : kpi_error_double(st);
        out->v[2 * e + 1] = st == KPI_OK ? hi : kpi_error_double(st);
    }
    return KPI_OK;
}

/* RATETEST(x1; n1; x2; n2 [; method]): a two-sided p-value. */
kpi_status kpi_fn_ratetest(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    double v[4] = {0, 0, 0, 0}, p = 0;
    kpi_test_method method = KPI_TEST_FISHER;
    const char *opt = NULL;
    kpi_status st = KPI_OK;
    for (size_t i = 0; i < 4 && st == KPI_OK; i++)
        st = kpi_arg_scalar(kpi_arg_at(args, nargs, i), &v[i]);
    if (st == KPI_OK)
        st = kpi_arg_option(kpi_arg_at(args, nargs, 4), &opt);
    if (st == KPI_OK)
        st = kpi_test_method_parse(opt, &method);
    if (st == KPI_OK)
        st = kpi_ratetest(v[0], v[1], v[2], v[3], method, &p);
    return kpi_fn_scalar(st, p, out);
}
