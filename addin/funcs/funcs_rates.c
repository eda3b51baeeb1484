/* funcs_rates.c - CERTRATE, ADOPTRATE, LOSSRATE, YOY, CAGR, DOUBLEDECLINE:
 * element-wise over ranges (kpi_elementwise), computed by kpi_rates. */
#include "kpi_funcs.h"
#include "kpi_rates.h"

kpi_status kpi_fn_scalar(kpi_status st, double v, kpi_result *out)
{
    if (kpi_result_alloc(out, 1, 1) != KPI_OK)
        return KPI_ENOMEM;
    out->v[0] = st == KPI_OK ? v : kpi_error_double(st);
    return KPI_OK;
}

static kpi_status el_rate(const double *x, size_t k, const void *ctx,
                          double *out)
{
    (void)k;
    (void)ctx;
    return kpi_rate(x[0], x[1], out);
}

static const kpi_elementwise_spec two_required = {2, 2, NULL};

kpi_status kpi_fn_certrate(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    return kpi_elementwise(args, nargs, &two_required, el_rate, NULL, out);
}

kpi_status kpi_fn_adoptrate(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    return kpi_elementwise(args, nargs, &two_required, el_rate, NULL, out);
}

/* x holds lost, concluded, lost2, concluded2, ... */
static kpi_status el_lossrate(const double *x, size_t k, const void *ctx,
                              double *out)
{
    (void)ctx;
    return kpi_lossrate(x, k / 2, out);
}

kpi_status kpi_fn_lossrate(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    /* The binder has dropped trailing repeats left out (LOSSRATE(a;b;;)). */
    if (nargs % 2 != 0)
        return kpi_fn_scalar(KPI_EVALUE, 0, out);
    kpi_elementwise_spec spec = {nargs, nargs, NULL};
    return kpi_elementwise(args, nargs, &spec, el_lossrate, NULL, out);
}

static kpi_status el_yoy(const double *x, size_t k, const void *ctx,
                         double *out)
{
    (void)k;
    (void)ctx;
    return kpi_yoy(x[0], x[1], out);
}

kpi_status kpi_fn_yoy(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    return kpi_elementwise(args, nargs, &two_required, el_yoy, NULL, out);
}

static kpi_status el_cagr(const double *x, size_t k, const void *ctx,
                          double *out)
{
    (void)k;
    (void)ctx;
    return kpi_cagr(x[0], x[1], x[2], out);
}

kpi_status kpi_fn_cagr(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    static const kpi_elementwise_spec spec = {3, 3, NULL};
    return kpi_elementwise(args, nargs, &spec, el_cagr, NULL, out);
}

static kpi_status el_doubledecline(const double *x, size_t k, const void *ctx,
                                   double *out)
{
    (void)k;
    (void)ctx;
    return kpi_doubledecline(x[0], x[1], x[2], x[3], x[4] != 0, out);
}

kpi_status kpi_fn_doubledecline(const kpi_arg *args, size_t nargs,
                                kpi_result *out)
{
    static const kpi_elementwise_spec spec = {5, 5, NULL};
    return kpi_elementwise(args, nargs, &spec, el_doubledecline, NULL, out);
}
