/* kpi_funnel.c - FUNNELLIMITS, FUNNELZ and RATESHRINK; see kpi_funnel.h.
 *
 * Numerical notes.
 * - The binomial tails, the probability of one value and the quantile come
 *   from kpi_dist (through the incomplete Beta function: any n up to 2^53,
 *   no sum over the outcomes). Each limit works on the tail it is about:
 *   the upper one on P(X > r) and (1 - level) / 2, never 1 - a small
 *   number.
 * - alpha is clipped to [0, 1]: it is a ratio of two computed numbers that
 *   agree only to rounding when P(X <= r) = prob.
 * - RATESHRINK's sums are compensated (Neumaier); S is formed as
 *   sum (x_i - n_i p)^2 / n_i, without the rounding of x_i / n_i. */
#include "kpi_funnel.h"
#include "kpi_check.h"
#include "kpi_dist.h"
#include "kpi_ksum.h"
#include "kpi_option.h"

#include <math.h>

kpi_status kpi_funnel_side_parse(const char *s, kpi_funnel_side *side)
{
    static const char *const names[] = {
        [KPI_FUNNEL_UPPER] = "upper", [KPI_FUNNEL_LOWER] = "lower"};
    size_t i;
    kpi_status st =
        kpi_option_index(s, names, sizeof names / sizeof names[0], &i);
    if (st == KPI_OK)
        *side = (kpi_funnel_side)i;
    return st;
}

static int is_rate(double v)
{
    return v >= 0 && v <= 1; /* false for NaN */
}

kpi_status kpi_funnel_limit(double n, double p0, double level,
                            kpi_funnel_side side, double *limit)
{
    double tail, r, pr, alpha, beta, lt, ut, lt1, ut1, v;
    kpi_status st;
    *limit = 0;
    if (!kpi_is_count(n) || !is_rate(p0) || !kpi_is_level(level))
        return KPI_ENUM;
    if (n == 0)
        return KPI_EDIV0;
    if (side != KPI_FUNNEL_UPPER && side != KPI_FUNNEL_LOWER)
        return KPI_EVALUE;

    tail = 0.5 * (1 - level); /* in (0, 1/2) */
    if (side == KPI_FUNNEL_UPPER)
        st = kpi_dist_binom_upper_quantile(tail, n, p0, &r);
    else
        st = kpi_dist_binom_quantile(tail, n, p0, &r);
    if (st == KPI_OK)
        st = kpi_dist_binom_pmf(r, n, p0, &pr);
    /* lt = P(X <= r), ut = P(X > r), lt1 = P(X <= r - 1), ut1 = P(X > r -
     * 1), each on its own side */
    if (st == KPI_OK)
        st = kpi_dist_binom_cdf(r, n, p0, &lt);
    if (st == KPI_OK)
        st = kpi_dist_binom_upper(r, n, p0, &ut);
    if (st == KPI_OK)
        st = kpi_dist_binom_cdf(r - 1, n, p0, &lt1);
    if (st == KPI_OK)
        st = kpi_dist_binom_upper(r - 1, n, p0, &ut1);
    if (st != KPI_OK)
        return st;
    if (!(pr > 0))
        return KPI_ENUM; /* the quantile is never an impossible value */
    /* alpha = (P(X <= r) - prob) / P(X = r) and 1 - alpha = (prob - P(X <=
     * r - 1)) / P(X = r), prob = 1 - tail (upper) or tail (lower); upper:
     * P(X <= r) - (1 - tail) = tail - P(X > r). The limit is r - alpha or
     * (r - 1) + (1 - alpha), whichever adds the smaller term (no
     * cancellation when alpha is close to 1 and r is small). */
    if (side == KPI_FUNNEL_UPPER) {
        alpha = (tail - ut) / pr;
        beta = (ut1 - tail) / pr;
    } else {
        alpha = (lt - tail) / pr;
        beta = (tail - lt1) / pr;
    }
    alpha = alpha < 0 ? 0 : alpha > 1 ? 1 : alpha;
    beta = beta < 0 ? 0 : beta > 1 ? 1 : beta;
    if (alpha <= beta || r == 0)
        v = (r - alpha) / n;
    else
        v = ((r - 1) + beta) / n;
    *limit = v < 0 ? 0 : v > 1 ? 1 : v;
    return KPI_OK;
}

/* Checks shared by FUNNELZ and RATESHRINK's unit: x of n. */
static kpi_status check_part(double x, double n)
{
    if (!kpi_is_count(x) || !kpi_is_count(n))
        return KPI_ENUM;
    return KPI_OK;
}

kpi_status kpi_funnel_z(double x, double n, double p0, double *z)
{
    double up, lo, v;
    kpi_status st;
    *z = 0;
    if ((st = check_part(x, n)) != KPI_OK)
        return st;
    if (!is_rate(p0))
        return KPI_ENUM;
    if (n == 0)
        return KPI_EDIV0;
    if (x > n)
        return KPI_ENUM;
    /* U = P(X >= x) = P(X > x - 1), L = P(X <= x) */
    if ((st = kpi_dist_binom_upper(x - 1, n, p0, &up)) != KPI_OK ||
        (st = kpi_dist_binom_cdf(x, n, p0, &lo)) != KPI_OK)
        return st;
    if (up < 0.5) {
        if (up == 0) {
            *z = KPI_FUNNEL_Z_MAX;
            return KPI_OK;
        }
        st = kpi_dist_norm_upper_quantile(up, &v);
    } else if (lo < 0.5) {
        if (lo == 0) {
            *z = -KPI_FUNNEL_Z_MAX;
            return KPI_OK;
        }
        st = kpi_dist_norm_quantile(lo, &v);
    } else {
        return KPI_OK;
    }
    if (st != KPI_OK || !isfinite(v))
        return st != KPI_OK ? st : KPI_ENUM;
    if (v > KPI_FUNNEL_Z_MAX)
        v = KPI_FUNNEL_Z_MAX;
    if (v < -KPI_FUNNEL_Z_MAX)
        v = -KPI_FUNNEL_Z_MAX;
    *z = v;
    return KPI_OK;
}

kpi_status kpi_shrink_fit(const double *xs, const double *ns, size_t len,
                          kpi_shrink_prior *prior)
{
    ksum sx = {0, 0}, sn2 = {0, 0}, ss = {0, 0};
    size_t k = 0;
    double N = 0, p, q, S, D, tau2;
    prior->k = 0;
    prior->mean = prior->tau2 = prior->m = 0;
    /* first the errors of every pair, in the order of the header */
    for (size_t i = 0; i < len; i++) {
        if (isnan(xs[i]) || isnan(ns[i]))
            continue;
        if (check_part(xs[i], ns[i]) != KPI_OK)
            return KPI_ENUM;
    }
    for (size_t i = 0; i < len; i++) {
        if (isnan(xs[i]) || isnan(ns[i]))
            continue;
        if (xs[i] > ns[i])
            return KPI_ENUM;
        if (ns[i] == 0)
            continue;
        /* N is a total of counts (kpi_check.h): above 2^53 it is none */
        if (!kpi_count_add(&N, ns[i]))
            return KPI_ENUM;
        ksum_add(&sx, xs[i]);
        ksum_add(&sn2, ns[i] * ns[i]);
        k++;
    }
    if (k < 2)
        return KPI_EDIV0;
    p = ksum_get(&sx) / N;
    q = (N - ksum_get(&sx)) / N; /* 1 - p */
    /* N <= 2^53, so sum n_i^2 <= N^2 <= 2^106: both finite */
    for (size_t i = 0; i < len; i++) {
        double d;
        if (isnan(xs[i]) || isnan(ns[i]) || ns[i] == 0)
            continue;
        d = xs[i] - ns[i] * p;
        ksum_add(&ss, d * d / ns[i]);
    }
    S = ksum_get(&ss);
    D = (N - ksum_get(&sn2) / N) - (double)(k - 1);
    prior->k = k;
    prior->mean = p;
    if (!(D > 0)) {
        prior->tau2 = 0;
        prior->m = INFINITY;
        return KPI_OK;
    }
    tau2 = (S - p * q * (double)(k - 1)) / D;
    if (!isfinite(tau2))
        return KPI_ENUM;
    prior->tau2 = tau2;
    if (!(tau2 > 0))
        prior->m = INFINITY;
    else if (tau2 >= p * q)
        prior->m = 0;
    else
        prior->m = p * q / tau2 - 1;
    return KPI_OK;
}

kpi_status kpi_shrink(double x, double n, const kpi_shrink_prior *prior,
                      double *rate)
{
    kpi_status st;
    double v;
    *rate = 0;
    if ((st = check_part(x, n)) != KPI_OK)
        return st;
    if (n == 0)
        return KPI_EDIV0;
    if (x > n)
        return KPI_ENUM;
    if (isinf(prior->m))
        v = prior->mean;
    else if (prior->m == 0)
        v = x / n;
    else
        v = (x + prior->mean * prior->m) / (n + prior->m);
    if (!isfinite(v))
        return KPI_ENUM;
    *rate = v < 0 ? 0 : v > 1 ? 1 : v;
    return KPI_OK;
}
