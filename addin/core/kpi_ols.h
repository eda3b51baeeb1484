/* kpi_ols.h - ordinary least squares trend: TRENDSLOPE, TRENDPVALUE,
 * TRENDFORECAST and TRENDSTATS.
 *
 * Every entry point takes the raw spreadsheet arrays: values y[0..n) and
 * years x[0..n) (x may be NULL: years 1..n by position) and prepares them
 * with kpi_series_prepare, so a pair with a NaN member (an empty or text
 * cell) is skipped. Repeated years are allowed (they are repeated x).
 *
 * Errors (the first failure wins):
 *   y NULL with n > 0                                  -> KPI_EVALUE
 *   allocation failed                                 -> KPI_ENOMEM
 *   a usable value or year is +-inf                    -> KPI_ENUM
 *   fewer usable points than needed, or all years equal -> KPI_EDIV0
 *   a result that does not fit a double (overflow, or a
 *   non-zero result below DBL_MIN)                     -> KPI_ENUM
 * The computation itself is scaled by powers of two, so finite inputs of
 * any magnitude (up to 1e308) give either the right answer or KPI_ENUM.
 * On error the out-parameters are zeroed; on success all are finite. */
#ifndef KPI_OLS_H
#define KPI_OLS_H

#include <stddef.h>

#include "kpi_status.h"

typedef struct kpi_ols_result {
    double slope;        /* per unit of x (per year) */
    double intercept;    /* fitted value at x = 0 */
    double se_slope;     /* standard error of the slope */
    double se_intercept; /* standard error of the intercept */
    double r2;           /* coefficient of determination, in [0, 1] */
    double pvalue;       /* two-sided t test of slope = 0, n - 2 df */
    size_t n;            /* usable points */
    /* Auxiliary statistics (kpi_ols_forecast does not need them). With
     * extreme data (values near 1e-200 or 1e200) they may not fit a
     * double while the statistics above do: then aux_ok is 0 and the three
     * are 0, instead of the whole fit failing. */
    int aux_ok;
    double xbar; /* mean of x */
    double sxx;  /* sum of (x - xbar)^2 */
    double s2;   /* residual variance RSS / (n - 2) */
} kpi_ols_result;

/* TRENDSTATS: the full fit. Needs n >= 3 usable points (se, p-value and s2
 * need n - 2 >= 1 degrees of freedom), else KPI_EDIV0; all years equal:
 * KPI_EDIV0. KPI_ENUM when one of slope, intercept, se_slope,
 * se_intercept does not fit a double (r2 and pvalue always do).
 * A constant series (all usable values equal): slope 0, se 0, r2 0 (the
 * trend explains nothing), pvalue 1. A perfect non-flat line: se 0,
 * pvalue 0, r2 1. */
kpi_status kpi_ols_fit(const double *y, const double *x, size_t n,
                       kpi_ols_result *r);

/* TRENDSLOPE: the slope alone; needs n >= 2 usable points. */
kpi_status kpi_ols_slope(const double *y, const double *x, size_t n,
                         double *slope);

/* TRENDPVALUE: the p-value alone (kpi_ols_fit's pvalue, but without
 * failing when another statistic would overflow); needs n >= 3. */
kpi_status kpi_ols_pvalue(const double *y, const double *x, size_t n,
                          double *p);

/* TRENDFORECAST: bound 0 gives the fitted value at target_x (needs n >= 2);
 * bound -1 / +1 the lower / upper limit of the prediction interval for a
 * new observation at confidence conf:
 *   yhat -+ t_{(1+conf)/2, n-2} s sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx)
 * (needs n >= 3). conf must be in (0, 1) (checked for every bound) else
 * KPI_ENUM; any other bound: KPI_ENUM; target_x NaN or +-inf: KPI_ENUM
 * (NaN is KPI_ENUM throughout the core, see kpi_check.h). */
kpi_status kpi_ols_forecast(const double *y, const double *x, size_t n,
                            double target_x, double conf, int bound,
                            double *out);

#endif
