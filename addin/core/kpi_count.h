/* kpi_count.h - counts of events (lost cases, disputes) as Poisson counts:
 * the exact conditional test of two counts (POISSONTEST) and a count's
 * exact interval (COUNTCI).
 *
 * Counts follow the one count rule, kpi_is_count (kpi_check.h): finite,
 * >= 0, whole, at most 2^53; a NaN scalar is KPI_ENUM, as in every module.
 * Argument checks, in this order (the first failure wins):
 *   1. a count that is not one; an exposure t that is negative, infinite
 *      or NaN; conf outside (0, 1)                   -> KPI_ENUM
 *   2. an exposure t is 0                            -> KPI_EDIV0
 * On any error the out-parameters are set to 0. */
#ifndef KPI_COUNT_H
#define KPI_COUNT_H

#include "kpi_status.h"

/* POISSONTEST: the two-sided p-value (in [0, 1]) of the exact conditional
 * test that two Poisson counts c1, c2 over exposures t1, t2 have the same
 * rate: given c1 + c2 = n, c1 ~ Binomial(n, t1 / (t1 + t2)), and the
 * p-value is that of R's binom.test(c1, n, p) (the outcomes at most
 * 1 + 1e-7 times as likely as c1, R's poisson.test(c(c1, c2), c(t1, t2))).
 * c1 = c2 = 0 gives 1 (nothing to compare). c1 + c2 may not exceed 2^53
 * (KPI_ENUM). */
kpi_status kpi_poissontest(double c1, double c2, double t1, double t2,
                           double *p);

/* Largest count COUNTCI accepts (its Gamma quantiles come from GSL's
 * incomplete Gamma function, see KPI_DIST_GAMMA_MAX_A). */
#define KPI_COUNTCI_MAX (1e5 - 1)

/* COUNTCI: the exact (Garwood 1936) two-sided interval of the mean of a
 * Poisson count c at confidence conf: lower = the alpha/2 quantile of
 * Gamma(c) (0 when c = 0), upper = the 1 - alpha/2 quantile of
 * Gamma(c + 1), alpha = 1 - conf (R's poisson.test(c)$conf.int). */
kpi_status kpi_countci(double c, double conf, double *lo, double *hi);

#endif
