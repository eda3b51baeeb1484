/* kpi_check.h - the argument domains shared by the core's modules: one
 * count rule and one level rule (docs/spec.md, "Errors").
 *
 * A count is a whole number >= 0 that a double holds exactly together with
 * every smaller whole number: at most 2^53 (9007199254740992). A larger
 * "count" cannot be told from its neighbours (2^53 + 1 is stored as 2^53),
 * so every function answers it with KPI_ENUM (#NUM!), as it does a
 * negative or fractional count. A total that a function forms by adding
 * counts (LOSSRATE's sums, RATETEST's n1 + n2, POISSONTEST's c1 + c2,
 * RATESHRINK's sum of denominators) is a count too, under the same rule:
 * above 2^53 it is KPI_ENUM (it would be rounded, so not what the counts
 * add up to); kpi_count_add keeps such a total exact or says it is not a
 * count. NaN is never a count nor a level: in the
 * core a NaN scalar argument is KPI_ENUM (#NUM!), in every module ("left
 * out, use the default" is decided before the core, by the add-in's
 * binder). */
#ifndef KPI_CHECK_H
#define KPI_CHECK_H

/* Largest count: 2^53. */
#define KPI_MAX_COUNT 9007199254740992.0

/* Non-zero when v is a count: finite, whole, 0 <= v <= KPI_MAX_COUNT. */
int kpi_is_count(double v);

/* Adds the count v to the total of counts *total: non-zero, *total + v in
 * *total (exact), when both are counts and the sum is at most
 * KPI_MAX_COUNT; 0 otherwise, *total unchanged (callers answer KPI_ENUM). */
int kpi_count_add(double *total, double v);

/* Non-zero when p is a confidence or significance level: 0 < p < 1. */
int kpi_is_level(double p);

#endif
