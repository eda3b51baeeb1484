/* kpi_dist.h - the probability distributions of the core: the standard
 * normal, Student's t and the Beta distribution (the regularised incomplete
 * Beta function I_x(a, b) and its inverse).
 *
 * Conventions (those of the whole core, see kpi_status.h): every routine
 * returns a kpi_status and its result through the last out-parameter,
 * which is set to 0 on any error. A NaN argument, a probability outside
 * the open interval (0, 1) given to a quantile, a parameter (nu, a, b)
 * that is not positive and finite, or a result that would not be finite
 * give KPI_ENUM. Tails that fall below the smallest double come back as 0
 * (not an error). "cdf" is P(X <= v), "upper" is P(X > v); each quantile
 * comes in a lower form (cdf = p) and an upper form (upper = q), so that a
 * tail probability near 0 on either side keeps its relative accuracy.
 *
 * Accuracy, measured against 50-digit mpmath (tests/reference/dist.tsv,
 * 971 rows; tests/unit/test_dist.c states the tiers), relative:
 *   normal cdf/upper/quantile, tails down to 1e-300       <= 1 eps
 *   t cdf/upper/quantile, nu 1 .. 1e12; Beta I_x and
 *   quantiles, a + b <= 2e4, tails >= 1e-100               <= 29 eps
 *   Beta quantiles, a, b up to 2^53, or tails < 1e-100     <= 188 eps
 * (eps = DBL_EPSILON). I_x itself is ill-conditioned in x for large a, b
 * (one ulp of x moves it by about sqrt(a+b) 1e-16 relative). */
#ifndef KPI_DIST_H
#define KPI_DIST_H

#include "kpi_status.h"

/* ---- the standard normal ------------------------------------------------
 * P(Z <= z) and P(Z > z) from the complementary error function erfc (the C
 * library's), with the rounding of z / sqrt(2) corrected to first order, as
 * in W. J. Cody, "Rational Chebyshev approximations for the error
 * function", Math. Comp. 23 (1969) 631-637 (the method of glibc's erfc).
 * z = +-inf is allowed (0 or 1). */
kpi_status kpi_dist_norm_cdf(double z, double *p);
kpi_status kpi_dist_norm_upper(double z, double *q);

/* z with P(Z <= z) = p (resp. P(Z > z) = q), 0 < p, q < 1: Wichura's
 * algorithm AS 241, "The percentage points of the normal distribution",
 * Appl. Statist. 37 (1988) 477-484 (GSL's gsl_cdf_ugaussian_Pinv), refined
 * by Newton steps on kpi_dist_norm_cdf. */
kpi_status kpi_dist_norm_quantile(double p, double *z);
kpi_status kpi_dist_norm_upper_quantile(double q, double *z);

/* ---- Student's t with nu > 0 degrees of freedom --------------------------
 * P(T > t) = I_x(nu/2, 1/2) / 2 for t >= 0 with x = nu / (nu + t^2), the
 * complement t^2 / (nu + t^2) formed without cancellation (Abramowitz &
 * Stegun 26.7.1 and 26.5.27); closed forms for nu = 1 and 2. t = +-inf is
 * allowed. */
kpi_status kpi_dist_t_cdf(double t, double nu, double *p);
kpi_status kpi_dist_t_upper(double t, double nu, double *q);

/* The two-sided p-value 2 P(T > |t|) (TRENDPVALUE). */
kpi_status kpi_dist_t_pvalue2(double t, double nu, double *p);

/* t with P(T <= t) = p (resp. P(T > t) = q), 0 < p, q < 1: Newton on
 * ln t against the log of the tail, started from the Cornish-Fisher
 * expansion of Hill, "Algorithm 396: Student's t-quantiles", Comm. ACM 13
 * (1970) 619-620; closed forms for nu = 1 and 2. */
kpi_status kpi_dist_t_quantile(double p, double nu, double *t);
kpi_status kpi_dist_t_upper_quantile(double q, double nu, double *t);

/* The two-sided critical value: t > 0 with 2 P(T > t) = alpha, 0 < alpha
 * < 1 (TRENDFORECAST's prediction interval). */
kpi_status kpi_dist_t_critical2(double alpha, double nu, double *t);

/* ---- the Beta distribution, a, b > 0 -------------------------------------
 * The regularised incomplete Beta function I_x(a, b) = P(X <= x) and its
 * complement, 0 <= x <= 1, after A. R. DiDonato and A. H. Morris,
 * "Algorithm 708: significant digit computation of the incomplete beta
 * function ratios", ACM TOMS 18 (1992) 360-373: the factor
 * x^a (1-x)^b / B(a, b) through Stirling's series and ln(1+t) - t (no
 * cancellation of large logarithms), their continued fraction BFRAC away
 * from the mean or when min(a, b) < 100, and near the mean
 * with a, b >= 100 Temme's uniform asymptotic expansion (N. M. Temme,
 * "Incomplete Laplace integrals: uniform asymptotic expansion with
 * application to the incomplete beta function", SIAM J. Math. Anal. 18
 * (1987) 1638-1663; DiDonato & Morris's BASYM). */
kpi_status kpi_dist_beta_cdf(double x, double a, double b, double *p);
kpi_status kpi_dist_beta_upper(double x, double a, double b, double *q);

/* x with I_x(a, b) = p (resp. 1 - I_x(a, b) = q), 0 < p, q < 1: safeguarded
 * Newton on the logarithm of the tail (a bracket narrowed at every step,
 * bisection when a step leaves it), started from the normal approximation
 * or the power law of the tail; works for a, b up to 2^53 and beyond,
 * which the continued fraction alone (GSL's gsl_sf_beta_inc) does not. */
kpi_status kpi_dist_beta_quantile(double p, double a, double b, double *x);
kpi_status kpi_dist_beta_upper_quantile(double q, double a, double b,
                                        double *x);

/* ---- the binomial distribution, n trials, success probability p -------
 * n a whole number in [0, 2^53], 0 <= p <= 1 (p = 0 and p = 1 are the
 * point masses at 0 and n), k a whole number of any sign (below 0 or from
 * n on the tails are 0 and 1); anything else is KPI_ENUM. Through the
 * Beta function (Abramowitz & Stegun 26.5.24), each tail on its own side:
 * P(X > k) = I_p(k + 1, n - k) and P(X <= k) = 1 - I_p(k + 1, n - k),
 * 0 <= k < n, so they carry the accuracy of kpi_dist_beta_cdf. The
 * probability of one value, C(n, k) p^k q^(n-k) = p^(k+1) q^(n-k+1) /
 * B(k+1, n-k+1) / ((n + 1) p q), comes from the same factor (no
 * differences of log-factorials). */
kpi_status kpi_dist_binom_cdf(double k, double n, double p, double *v);
kpi_status kpi_dist_binom_upper(double k, double n, double p, double *v);
kpi_status kpi_dist_binom_pmf(double k, double n, double p, double *v);

/* The smallest whole r in [0, n] with P(X <= r) >= prob (R's qbinom,
 * without its fuzz), resp. with P(X > r) <= q; 0 < prob, q < 1. Bisection
 * over whole numbers in a bracket found from the normal approximation:
 * O(log n) tail evaluations. */
kpi_status kpi_dist_binom_quantile(double prob, double n, double p, double *r);
kpi_status kpi_dist_binom_upper_quantile(double q, double n, double p,
                                         double *r);

/* ---- the Gamma distribution, shape a, scale 1 ----------------------------
 * P(a, x) = gamma(a, x) / Gamma(a) = P(X <= x) and Q(a, x) = P(X > x),
 * x >= 0 (x = +inf allowed), from GSL's gsl_sf_gamma_inc_P_e and
 * gsl_sf_gamma_inc_Q_e (series, continued fraction and Temme's uniform
 * expansion), each on its own side. GSL's series stops converging near the
 * mean for a near 10^6 (GSL_EMAXITER), so 0 < a <= KPI_DIST_GAMMA_MAX_A (10^5);
 * a failure of GSL is KPI_ENUM. Poisson counts: P(Y >= c) = P(c, lambda), P(Y
 * <= c) = Q(c + 1, lambda). */
#define KPI_DIST_GAMMA_MAX_A 1e5
kpi_status kpi_dist_gamma_cdf(double x, double a, double *p);
kpi_status kpi_dist_gamma_upper(double x, double a, double *q);

/* x with P(a, x) = p (resp. Q(a, x) = q), 0 < p, q < 1: safeguarded Newton
 * on the logarithm of the smaller tail, as for the Beta quantile, started
 * from Wilson and Hilferty's cube-root approximation (or the power law of
 * the lower tail for small a); the density from Stirling's series (no
 * lgamma of a large a). */
kpi_status kpi_dist_gamma_quantile(double p, double a, double *x);
kpi_status kpi_dist_gamma_upper_quantile(double q, double a, double *x);

#endif
