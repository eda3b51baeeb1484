/* kpi_count.c - POISSONTEST and COUNTCI; see kpi_count.h.
 *
 * Numerical notes.
 * - The binomial test follows R's binom.test (two-sided): d = P(X = c1),
 *   and the other side's outcomes with P(X = i) <= d (1 + 1e-7) are
 *   counted. They form a tail (the probabilities fall monotonically away
 *   from the mode, which lies between floor(m) and ceil(m), m = n p), so
 *   its end is found by bisection on the probability of one value, not by
 *   a sum over all outcomes: O(log n) evaluations, any n up to 2^53. The
 *   two tails come from kpi_dist (incomplete Beta), each on its own side.
 * - p = t1 / (t1 + t2) as R forms it; m = n p compared with c1 exactly
 *   (R's x == m). */
#include "kpi_count.h"
#include "kpi_check.h"
#include "kpi_dist.h"

#include <math.h>

#define REL_TIE (1 + 1e-7)

/* The end of the other side's tail: the values i in [a, b] (a <= b, on
 * one side of the mode, so P(X = i) is monotone there) split into those
 * with P(X = i) <= THR and those above it. FALLING (P non-increasing in i,
 * the side above the mode): *END is the first i with P(X = i) <= THR, or
 * b + 1 when there is none. Rising (below the mode): *END is the last such
 * i, or a - 1 when there is none. Bisection on P(X = i): O(log n). */
static kpi_status tail_end(double a, double b, double n, double p, double thr,
                           int falling, double *end)
{
    double lo = a, hi = b, v;
    kpi_status st;
    /* the end of the range that holds the small values */
    if ((st = kpi_dist_binom_pmf(falling ? b : a, n, p, &v)) != KPI_OK)
        return st;
    if (v > thr) {
        *end = falling ? b + 1 : a - 1;
        return KPI_OK;
    }
    /* the end next to the mode */
    if ((st = kpi_dist_binom_pmf(falling ? a : b, n, p, &v)) != KPI_OK)
        return st;
    if (v <= thr) {
        *end = falling ? a : b;
        return KPI_OK;
    }
    /* falling: P(lo) > thr >= P(hi); rising: P(lo) <= thr < P(hi) */
    while (hi - lo > 1) {
        double mid = floor(lo + (hi - lo) / 2);
        if ((st = kpi_dist_binom_pmf(mid, n, p, &v)) != KPI_OK)
            return st;
        if ((v <= thr) == (falling != 0))
            hi = mid;
        else
            lo = mid;
    }
    *end = falling ? hi : lo;
    return KPI_OK;
}

/* R's binom.test(x, n, p), two-sided, 0 < p < 1, n >= 1. */
static kpi_status binom_test2(double x, double n, double p, double *pv)
{
    double d, m = n * p, thr, t1 = 0, t2 = 0, end, v;
    kpi_status st;
    if ((st = kpi_dist_binom_pmf(x, n, p, &d)) != KPI_OK)
        return st;
    thr = d * REL_TIE;
    if (x == m) {
        *pv = 1;
        return KPI_OK;
    }
    if (x < m) {
        /* P(X <= x), and the tail P(X >= end) above the mode */
        if ((st = tail_end(ceil(m), n, n, p, thr, 1, &end)) != KPI_OK)
            return st;
        if (end <= n &&
            (st = kpi_dist_binom_upper(end - 1, n, p, &t2)) != KPI_OK)
            return st;
        if ((st = kpi_dist_binom_cdf(x, n, p, &t1)) != KPI_OK)
            return st;
    } else {
        /* the tail P(X <= end) below the mode, and P(X >= x) */
        if ((st = tail_end(0, floor(m), n, p, thr, 0, &end)) != KPI_OK)
            return st;
        if (end >= 0 && (st = kpi_dist_binom_cdf(end, n, p, &t1)) != KPI_OK)
            return st;
        if ((st = kpi_dist_binom_upper(x - 1, n, p, &t2)) != KPI_OK)
            return st;
    }
    v = t1 + t2;
    *pv = v > 1 ? 1 : v;
    return KPI_OK;
}

kpi_status kpi_poissontest(double c1, double c2, double t1, double t2,
                           double *p)
{
    double n, pr, s;
    kpi_status st;
    *p = 0;
    if (!kpi_is_count(c1) || !kpi_is_count(c2))
        return KPI_ENUM;
    if (!(t1 >= 0) || !(t2 >= 0) || !isfinite(t1) || !isfinite(t2))
        return KPI_ENUM;
    if (t1 == 0 || t2 == 0)
        return KPI_EDIV0;
    n = c1;
    if (!kpi_count_add(&n, c2)) /* c1 + c2 above 2^53: no count */
        return KPI_ENUM;
    if (n == 0) {
        *p = 1;
        return KPI_OK;
    }
    s = t1 + t2;
    pr = isfinite(s) ? t1 / s : (0.5 * t1) / (0.5 * t1 + 0.5 * t2);
    if (pr == 0) {
        *p = c1 == 0 ? 1 : 0;
        return KPI_OK;
    }
    if (pr == 1) {
        *p = c1 == n ? 1 : 0;
        return KPI_OK;
    }
    st = binom_test2(c1, n, pr, p);
    if (st == KPI_OK && !(*p >= 0 && *p <= 1))
        st = KPI_ENUM;
    if (st != KPI_OK)
        *p = 0;
    return st;
}

kpi_status kpi_countci(double c, double conf, double *lo, double *hi)
{
    double alpha;
    kpi_status st = KPI_OK;
    *lo = *hi = 0;
    if (!kpi_is_count(c) || c > KPI_COUNTCI_MAX || !kpi_is_level(conf))
        return KPI_ENUM;
    alpha = 1 - conf;
    if (c > 0)
        st = kpi_dist_gamma_quantile(0.5 * alpha, c, lo);
    if (st == KPI_OK)
        st = kpi_dist_gamma_upper_quantile(0.5 * alpha, c + 1, hi);
    if (st == KPI_OK && !(*lo >= 0 && *lo <= *hi && isfinite(*hi)))
        st = KPI_ENUM;
    if (st != KPI_OK)
        *lo = *hi = 0;
    return st;
}
