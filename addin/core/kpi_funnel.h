/* kpi_funnel.h - comparing units (townships) with each other: funnel-plot
 * control limits (FUNNELLIMITS), a unit's distance from the target in
 * funnel terms (FUNNELZ) and the empirical-Bayes shrunk rate (RATESHRINK).
 *
 * Counts follow the one count rule, kpi_is_count (kpi_check.h): finite,
 * >= 0, whole, at most 2^53. A target rate p0 lies in [0, 1], a level in
 * (0, 1). A NaN scalar is KPI_ENUM, as in every module (the add-in has
 * turned text into #VALUE! before). Argument checks, in this order (the
 * first failure wins):
 *   1. a count that is not one; p0 outside [0, 1]; level outside (0, 1);
 *      NaN                                              -> KPI_ENUM
 *   2. a denominator n is 0                             -> KPI_EDIV0
 *   3. x > n                                            -> KPI_ENUM
 * On any error the out-parameters are set to 0. */
#ifndef KPI_FUNNEL_H
#define KPI_FUNNEL_H

#include <stddef.h>

#include "kpi_status.h"

typedef enum kpi_funnel_side {
    KPI_FUNNEL_UPPER, /* the upper control limit */
    KPI_FUNNEL_LOWER
} kpi_funnel_side;

/* "upper" or "lower", ASCII case-insensitive, surrounding white space
 * ignored; anything else (NULL, "" or only white space too: the default
 * "upper" is the catalogue's, applied by the binder) is KPI_EVALUE (*side
 * unchanged). */
kpi_status kpi_funnel_side_parse(const char *s, kpi_funnel_side *side);

/* FUNNELLIMITS: the exact binomial control limit of Spiegelhalter (2005),
 * "Funnel plots for comparing institutional performance", Stat Med 24,
 * 1185-1202, appendix A.1.1, for a unit with denominator n around the
 * target rate p0, two-sided level `level` (0.95, 0.998): with X ~
 * Binomial(n, p0) and prob = (1 + level) / 2 for the upper limit,
 * (1 - level) / 2 for the lower one, r = the smallest whole number with
 * P(X <= r) >= prob, alpha = (P(X <= r) - prob) / P(X = r), and the limit
 * is (r - alpha) / n, clipped to [0, 1] (it is below 0 when r = 0). The
 * upper tail is worked in P(X > r) <= (1 - level) / 2 (no 1 - small). A
 * unit's rate x / n lies above the upper limit exactly when
 * P(X > x) < (1 - level) / 2 (but x = 0 is never above a limit clipped to
 * 0), below the lower one exactly when P(X <= x) < (1 - level) / 2. So the
 * lower limit agrees with the exact one-sided test; the upper one flags
 * one count earlier than it (P(X >= x) < (1 - level) / 2), as every
 * interpolated quantile does, and x = n always lies above it. */
kpi_status kpi_funnel_limit(double n, double p0, double level,
                            kpi_funnel_side side, double *limit);

/* |FUNNELZ| for a tail below the smallest positive double (an outcome
 * that p0 makes impossible, such as x > 0 with p0 = 0): beyond every z of
 * a representable tail (the normal tail of 38.5 is about 1e-324). */
#define KPI_FUNNEL_Z_MAX 38.5

/* FUNNELZ: the exact binomial tail of x out of n at p0 as a normal
 * z score: with X ~ Binomial(n, p0), U = P(X >= x) and L = P(X <= x),
 *   z = Phi^-1(1 - U) > 0 when U < 1/2 (the unit lies high),
 *   z = Phi^-1(L) < 0     when L < 1/2 (the unit lies low),
 *   z = 0 otherwise (U + L = 1 + P(X = x) >= 1: at most one is < 1/2).
 * |z| > Phi^-1((1 + level) / 2) exactly when the equal-tailed exact
 * binomial test at 1 - level rejects p0 (2 min(U, L) < 1 - level); a tail
 * of 0 gives +-KPI_FUNNEL_Z_MAX. */
kpi_status kpi_funnel_z(double x, double n, double p0, double *z);

/* RATESHRINK's Beta prior, fitted to k units by the method of moments. */
typedef struct kpi_shrink_prior {
    size_t k;    /* units used (n_i > 0) */
    double mean; /* the pooled rate sum x_i / sum n_i */
    double tau2; /* the between-unit variance estimate (may be <= 0) */
    double m;    /* alpha + beta of the prior; INFINITY: the pooled rate,
                    0: no shrinkage */
} kpi_shrink_prior;

/* Fits the prior to the units (xs[i], ns[i]), i < len. A pair where
 * either is NaN (an empty or text cell) is skipped, and so is a unit with
 * n_i = 0 (x_i must then be 0). Counts as above (KPI_ENUM; x_i > n_i too,
 * and so is N = sum n_i above 2^53, kpi_check.h); fewer than 2 units left
 * is KPI_EDIV0. With N = sum n_i, p = sum x_i / N
 * and S = sum n_i (x_i/n_i - p)^2, the moment equation of the weighted
 * variance (Kleinman 1973, JASA 68:46, weights n_i) under the
 * beta-binomial model, E S = p(1-p)(k-1) + tau^2 D with
 * D = N - sum n_i^2 / N - (k - 1), gives
 *   tau2 = (S - p(1-p)(k-1)) / D,
 * and the Beta(p m, (1-p) m) prior of mean p and variance tau2 has
 * m = p(1-p)/tau2 - 1. tau2 <= 0 or D <= 0 (all n_i = 1): m = INFINITY
 * (every unit gets the pooled rate, as in Martuzzi & Elliott 1996, Stat
 * Med 15:1867); m <= 0 (tau2 >= p(1-p)): m = 0 (no shrinkage). */
kpi_status kpi_shrink_fit(const double *xs, const double *ns, size_t len,
                          kpi_shrink_prior *prior);

/* RATESHRINK: the posterior mean of the rate of a unit with x of n under
 * the prior: (x + p m) / (n + m); p when m = INFINITY, x / n when m = 0.
 * The checks of the header (n = 0 is KPI_EDIV0). */
kpi_status kpi_shrink(double x, double n, const kpi_shrink_prior *prior,
                      double *rate);

#endif
