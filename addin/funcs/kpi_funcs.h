/* kpi_funcs.h - the spreadsheet functions: one entry point per function of
 * docs/spec.md, all of one signature, found by name in the binding table
 * (kpi_bindings.c) and called through kpi_call.
 *
 * kpi_call binds a call's arguments to the function's catalogue row
 * (kpi_bind.h): a required argument left out is Err:511 before any entry
 * point runs, and an optional one left out arrives as its catalogue
 * default. So an entry point sees every fixed parameter present (only an
 * optional years argument may be missing: 1, 2, ..., n) and restates no
 * default. It checks its arguments' values, calls the statistics core and
 * fills *out (allocated by it, freed by the caller with kpi_result_free)
 * with values or error-coded NaNs. It returns KPI_OK, or KPI_ENOMEM when
 * not even the result could be allocated. */
#ifndef KPI_FUNCS_H
#define KPI_FUNCS_H

#include "catalogue.h"
#include "kpi_args.h"

typedef kpi_status (*kpi_fn_impl)(const kpi_arg *args, size_t nargs,
                                  kpi_result *out);

/* The binding table: a catalogue name and its entry point. */
typedef struct kpi_binding {
    const char *name;
    kpi_fn_impl impl;
} kpi_binding;

extern const kpi_binding kpi_bindings[];
extern const size_t kpi_bindings_count;

/* The entry point bound to the catalogue function named name, or NULL. */
kpi_fn_impl kpi_binding_find(const char *name);

/* Calls the catalogue function fn with the call's arguments: binds them
 * (kpi_bind) and runs the entry point. A binding error (Err:511 for a
 * required argument left out, #VALUE! for too many) is a 1x1 result. */
kpi_status kpi_call(const kpi_function_desc *fn, const kpi_arg *args,
                    size_t nargs, kpi_result *out);

/* Rates and changes (funcs_rates.c) */
kpi_status kpi_fn_certrate(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_adoptrate(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_lossrate(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_yoy(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_cagr(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_doubledecline(const kpi_arg *, size_t, kpi_result *);

/* Uncertainty of a rate (funcs_rateci.c) */
kpi_status kpi_fn_rateci(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_ratetest(const kpi_arg *, size_t, kpi_result *);

/* Linear trend (funcs_ols.c) */
kpi_status kpi_fn_trendslope(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_trendpvalue(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_trendforecast(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_trendstats(const kpi_arg *, size_t, kpi_result *);

/* Nonparametric trend (funcs_mk.c) */
kpi_status kpi_fn_mktest(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_senslope(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_trenddir(const kpi_arg *, size_t, kpi_result *);

/* Comparing units (funcs_county.c) */
kpi_status kpi_fn_funnellimits(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_funnelz(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_rateshrink(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_poissontest(const kpi_arg *, size_t, kpi_result *);
kpi_status kpi_fn_countci(const kpi_arg *, size_t, kpi_result *);

/* A 1x1 result holding v, or the error of st when st != KPI_OK. */
kpi_status kpi_fn_scalar(kpi_status st, double v, kpi_result *out);

#endif
