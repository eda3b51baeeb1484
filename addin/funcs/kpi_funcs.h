/* kpi_funcs.h - the spreadsheet functions: one entry point per function of
 * docs/spec.md, all of one signature so that the catalogue
 * (formulas/catalogue.c) can list them in one table.
 *
 * An entry point checks its arguments, calls the statistics core and fills
 * *out (allocated by it, freed by the caller with kpi_result_free) with
 * values or error-coded NaNs. It returns KPI_OK, or KPI_ENOMEM when not even
 * the result could be allocated. */
#ifndef KPI_FUNCS_H
#define KPI_FUNCS_H

#include "kpi_args.h"

typedef kpi_status (*kpi_fn_impl)(const kpi_arg *args, size_t nargs,
                                  kpi_result *out);

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

/* A 1x1 result holding v, or the error of st when st != KPI_OK. */
kpi_status kpi_fn_scalar(kpi_status st, double v, kpi_result *out);

#endif
