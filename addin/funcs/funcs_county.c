/* funcs_county.c - comparing units (townships): FUNNELLIMITS, FUNNELZ,
 * RATESHRINK (kpi_funnel), POISSONTEST and COUNTCI (kpi_count). The binder
 * has filled in every default (kpi_bind.h). */
#include <stdlib.h>

#include "kpi_count.h"
#include "kpi_funcs.h"
#include "kpi_funnel.h"

static kpi_status el_funnellimits(const double *x, size_t k, const void *ctx,
                                  double *out)
{
    (void)k;
    return kpi_funnel_limit(x[0], x[1], x[2], *(const kpi_funnel_side *)ctx,
                            out);
}

/* FUNNELLIMITS(n; p0 [; level [; side]]): element by element over n, p0
 * and level (an array formula over a column of denominators draws a
 * funnel); side is one option for the whole call. */
kpi_status kpi_fn_funnellimits(const kpi_arg *args, size_t nargs,
                               kpi_result *out)
{
    static const kpi_elementwise_spec spec = {3, 3, NULL};
    kpi_funnel_side side = KPI_FUNNEL_UPPER;
    const char *opt = NULL;
    kpi_status st = kpi_arg_option(kpi_arg_at(args, nargs, 3), &opt);
    if (st == KPI_OK)
        st = kpi_funnel_side_parse(opt, &side);
    if (st != KPI_OK)
        return kpi_fn_scalar(st, 0, out);
    return kpi_elementwise(args, nargs < 3 ? nargs : 3, &spec, el_funnellimits,
                           &side, out);
}

static kpi_status el_funnelz(const double *x, size_t k, const void *ctx,
                             double *out)
{
    (void)k;
    (void)ctx;
    return kpi_funnel_z(x[0], x[1], x[2], out);
}

/* FUNNELZ(x; n; p0): element by element. */
kpi_status kpi_fn_funnelz(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    static const kpi_elementwise_spec spec = {3, 3, NULL};
    return kpi_elementwise(args, nargs, &spec, el_funnelz, NULL, out);
}

static kpi_status el_rateshrink(const double *x, size_t k, const void *ctx,
                                double *out)
{
    (void)k;
    return kpi_shrink(x[0], x[1], (const kpi_shrink_prior *)ctx, out);
}

/* RATESHRINK(x; n; xs; ns): the prior is fitted once to the ranges xs and
 * ns (pairs with an empty or text cell skipped; the ranges must have the
 * same number of cells), then x and n go element by element. */
kpi_status kpi_fn_rateshrink(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    static const kpi_elementwise_spec spec = {2, 2, NULL};
    double *xs = NULL, *ns = NULL;
    size_t cx = 0, cn = 0;
    kpi_shrink_prior prior;
    kpi_status st = kpi_arg_series(kpi_arg_at(args, nargs, 2), &xs, &cx);
    if (st == KPI_OK)
        st = kpi_arg_series(kpi_arg_at(args, nargs, 3), &ns, &cn);
    if (st == KPI_OK && cx != cn)
        st = KPI_EVALUE; /* ranges that do not pair up */
    if (st == KPI_OK)
        st = kpi_shrink_fit(xs, ns, cx, &prior);
    free(xs);
    free(ns);
    if (st == KPI_ENOMEM)
        return st;
    if (st != KPI_OK)
        return kpi_fn_scalar(st, 0, out);
    return kpi_elementwise(args, nargs < 2 ? nargs : 2, &spec, el_rateshrink,
                           &prior, out);
}

static kpi_status el_poissontest(const double *x, size_t k, const void *ctx,
                                 double *out)
{
    (void)k;
    (void)ctx;
    return kpi_poissontest(x[0], x[1], x[2], x[3], out);
}

/* POISSONTEST(c1; c2 [; t1 [; t2]]): element by element. */
kpi_status kpi_fn_poissontest(const kpi_arg *args, size_t nargs,
                              kpi_result *out)
{
    static const kpi_elementwise_spec spec = {4, 4, NULL};
    return kpi_elementwise(args, nargs, &spec, el_poissontest, NULL, out);
}

/* COUNTCI(count [; confidence]) gives {lower, upper}, as RATECI does; with
 * a range of counts, one such row per element. */
kpi_status kpi_fn_countci(const kpi_arg *args, size_t nargs, kpi_result *out)
{
    const kpi_arg *cs = kpi_arg_at(args, nargs, 0);
    size_t rows = kpi_arg_count(cs);
    double conf = 0;
    kpi_status common = kpi_arg_scalar(kpi_arg_at(args, nargs, 1), &conf);
    if (rows == 0 || common != KPI_OK)
        rows = 1;
    if (kpi_result_alloc(out, rows, 2) != KPI_OK)
        return KPI_ENOMEM;
    for (size_t e = 0; e < rows; e++) {
        double c = 0, lo = 0, hi = 0;
        kpi_status st = common;
        if (st == KPI_OK)
            st = kpi_arg_element(cs, e, &c);
        if (st == KPI_OK)
            st = kpi_countci(c, conf, &lo, &hi);
        out->v[2 * e] = st == KPI_OK ? lo : kpi_error_double(st);
        out->v[2 * e + 1] = st == KPI_OK ? hi : kpi_error_double(st);
    }
    return KPI_OK;
}
