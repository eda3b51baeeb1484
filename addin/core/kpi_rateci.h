/* kpi_rateci.h - uncertainty of a rate: RATECI and RATETEST.
 *
 * Counts arrive as doubles (spreadsheet numbers) and follow the core's one
 * count rule (kpi_check.h: finite, >= 0, whole, at most 2^53, beyond which
 * a double cannot hold every whole number); a part may not exceed its
 * whole. Argument checks, in this order (the first failure wins):
 *   1. a count is NaN, negative, fractional,
 *      infinite or above KPI_MAX_COUNT             -> KPI_ENUM
 *   2. conf NaN or outside the open interval (0, 1) -> KPI_ENUM
 *   3. a denominator (trials) is 0                 -> KPI_EDIV0
 *   4. successes > trials                          -> KPI_ENUM
 *   5. an unknown method enum value                -> KPI_EVALUE
 * Method-specific size limits (see below) give KPI_ENUM. On any error the
 * out-parameters are set to 0; on success every result is finite. */
#ifndef KPI_RATECI_H
#define KPI_RATECI_H

#include "kpi_check.h"
#include "kpi_status.h"

/* Largest accepted count: the core's KPI_MAX_COUNT (2^53). */
#define KPI_RATE_MAX_COUNT KPI_MAX_COUNT

/* Largest n1 + n2 accepted by Fisher's exact test: the p-value sums the
 * hypergeometric terms one by one (O(sqrt(n1 + n2)) of them). */
#define KPI_RATETEST_FISHER_MAX_TOTAL 1e10

typedef enum kpi_ci_method {
    KPI_CI_WILSON,   /* Wilson score interval, no continuity correction */
    KPI_CI_EXACT,    /* Clopper-Pearson, Beta quantiles */
    KPI_CI_JEFFREYS, /* equal-tailed Beta(x+1/2, n-x+1/2); 0 / 1 at x=0 / n */
    KPI_CI_AGRESTI   /* Agresti-Coull, clipped to [0, 1] */
} kpi_ci_method;

typedef enum kpi_test_method {
    KPI_TEST_FISHER, /* Fisher's exact test, two-sided */
    KPI_TEST_Z       /* pooled two-proportion z test, two-sided */
} kpi_test_method;

/* Parses a method option: "wilson", "exact", "jeffreys", "agresti" (resp.
 * "fisher", "z"), ASCII case-insensitive, surrounding ASCII white space
 * ignored. Anything else, NULL, "" or only white space too, is KPI_EVALUE
 * (and *m is left unchanged): the defaults (wilson, fisher) are the
 * catalogue's, applied by the add-in's binder. */
kpi_status kpi_ci_method_parse(const char *s, kpi_ci_method *m);
kpi_status kpi_test_method_parse(const char *s, kpi_test_method *m);

/* RATECI: two-sided confidence interval [*lo, *hi] for the rate x / n at
 * confidence conf. 0 <= *lo <= *hi <= 1. Every method answers for every
 * count up to KPI_RATE_MAX_COUNT; exact and jeffreys take their Beta
 * quantiles from kpi_dist (asymptotic for large counts). */
kpi_status kpi_rateci(double x, double n, double conf, kpi_ci_method m,
                      double *lo, double *hi);

/* RATETEST: two-sided p-value (in [0, 1]) that the rates x1/n1 and x2/n2
 * differ. fisher: sum of the probabilities of the tables with the same
 * margins that are at most (1 + 1e-7) times as likely as the observed one;
 * needs n1 + n2 <= KPI_RATETEST_FISHER_MAX_TOTAL, else KPI_ENUM. For both
 * methods n1 + n2 above 2^53 is KPI_ENUM (the pooled total is a count,
 * kpi_check.h).
 * z: pooled z statistic; p = 1 when the pooled rate is 0 or 1. */
kpi_status kpi_ratetest(double x1, double n1, double x2, double n2,
                        kpi_test_method m, double *p);

#endif
