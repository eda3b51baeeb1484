/* kpi_rateci.c - RATECI and RATETEST; see kpi_rateci.h.
 *
 * Numerical notes.
 * - The normal and Beta quantiles and the normal tail come from kpi_dist
 *   (not gsl_cdf_beta_Pinv, which reports no failure and, in GSL 2.7, does
 *   not return at all for Beta(1e6, 1e6)); the upper Beta quantile is
 *   asked for its upper tail alpha/2 directly, not for 1 - alpha/2.
 * - Fisher's p-value normalises the hypergeometric terms by their sum, the
 *   terms being built by the ratio w(a+1)/w(a) from the mode outward, so no
 *   log-factorial of a large count is ever subtracted from another (that
 *   loses about 1e-8 at a million). Terms are kept as mantissa and binary
 *   exponent, so a p-value far below DBL_MIN is still found without
 *   overflow or underflow on the way. */
#include "kpi_rateci.h"
#include "kpi_dist.h"
#include "kpi_ksum.h"
#include "kpi_option.h"

#include <math.h>
#include <stddef.h>

/* ---- option strings ---------------------------------------------------- */

kpi_status kpi_ci_method_parse(const char *s, kpi_ci_method *m)
{
    static const char *const names[] = {[KPI_CI_WILSON] = "wilson",
                                        [KPI_CI_EXACT] = "exact",
                                        [KPI_CI_JEFFREYS] = "jeffreys",
                                        [KPI_CI_AGRESTI] = "agresti"};
    size_t i;
    kpi_status st =
        kpi_option_index(s, names, sizeof names / sizeof names[0], &i);
    if (st == KPI_OK)
        *m = (kpi_ci_method)i;
    return st;
}

kpi_status kpi_test_method_parse(const char *s, kpi_test_method *m)
{
    static const char *const names[] = {
        [KPI_TEST_FISHER] = "fisher", [KPI_TEST_Z] = "z"};
    size_t i;
    kpi_status st =
        kpi_option_index(s, names, sizeof names / sizeof names[0], &i);
    if (st == KPI_OK)
        *m = (kpi_test_method)i;
    return st;
}

/* ---- RATECI ------------------------------------------------------------- */

/* Wilson score interval. The bound nearer 0 is taken from the product of
 * the two roots (lo * hi = q^2 / (1 + z^2/n)) so that it carries no
 * cancellation; for x > n/2 the interval is mirrored from n - x. */
static void wilson_low_half(double x, double n, double z, double *lo,
                            double *hi)
{
    double q = x / n;
    double zn = z / n;
    double denom = 1 + z * zn;
    double center = (q + 0.5 * z * zn) / denom;
    double dist = z * sqrt(q * ((n - x) / n) / n + 0.25 * zn * zn) / denom;
    *hi = center + dist;
    *lo = (x == 0) ? 0 : (q * q / denom) / *hi;
}

static kpi_status ci_wilson(double x, double n, double z, double *lo,
                            double *hi)
{
    if (2 * x <= n) {
        wilson_low_half(x, n, z, lo, hi);
    } else {
        double l, h;
        wilson_low_half(n - x, n, z, &l, &h);
        *lo = 1 - h;
        *hi = 1 - l;
    }
    return KPI_OK;
}

static double clip01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static kpi_status ci_agresti(double x, double n, double z, double *lo,
                             double *hi)
{
    double z2 = z * z;
    double nc = n + z2;
    double qc = (x + 0.5 * z2) / nc;
    double pc = (n - x + 0.5 * z2) / nc; /* 1 - qc, without cancellation */
    double dist = z * sqrt(qc * pc / nc);
    *lo = clip01(qc - dist);
    *hi = clip01(qc + dist);
    return KPI_OK;
}

/* Equal-tailed Beta interval: lower = quantile alpha/2 of Beta(al, bl),
 * upper = the point with upper tail alpha/2 of Beta(au, bu); 0 and 1 at
 * the edges. */
static kpi_status ci_beta(double x, double n, double alpha, double al,
                          double bl, double au, double bu, double *lo,
                          double *hi)
{
    kpi_status st;
    if (x == 0) {
        *lo = 0;
    } else if ((st = kpi_dist_beta_quantile(0.5 * alpha, al, bl, lo)) !=
               KPI_OK) {
        return st;
    }
    if (x == n) {
        *hi = 1;
    } else if ((st = kpi_dist_beta_upper_quantile(0.5 * alpha, au, bu, hi)) !=
               KPI_OK) {
        return st;
    }
    return KPI_OK;
}

kpi_status kpi_rateci(double x, double n, double conf, kpi_ci_method m,
                      double *lo, double *hi)
{
    kpi_status st;
    double alpha, z;
    *lo = *hi = 0;
    if (!kpi_is_count(x) || !kpi_is_count(n))
        return KPI_ENUM;
    if (!kpi_is_level(conf))
        return KPI_ENUM;
    if (n == 0)
        return KPI_EDIV0;
    if (x > n)
        return KPI_ENUM;

    alpha = 1 - conf;
    /* z = 0 when conf < ~1e-16 (alpha/2 rounds to 1/2) */
    if (kpi_dist_norm_upper_quantile(0.5 * alpha, &z) != KPI_OK || z < 0)
        return KPI_ENUM;

    switch (m) {
    case KPI_CI_WILSON:
        st = ci_wilson(x, n, z, lo, hi);
        break;
    case KPI_CI_AGRESTI:
        st = ci_agresti(x, n, z, lo, hi);
        break;
    case KPI_CI_EXACT:
        st = ci_beta(x, n, alpha, x, n - x + 1, x + 1, n - x, lo, hi);
        break;
    case KPI_CI_JEFFREYS:
        st = ci_beta(x, n, alpha, x + 0.5, n - x + 0.5, x + 0.5, n - x + 0.5,
                     lo, hi);
        break;
    default:
        st = KPI_EVALUE;
        break;
    }
    if (st == KPI_OK) {
        *lo = clip01(*lo);
        *hi = clip01(*hi);
        if (!isfinite(*lo) || !isfinite(*hi) || *lo > *hi)
            st = KPI_ENUM;
    }
    if (st != KPI_OK)
        *lo = *hi = 0;
    return st;
}

/* ---- Fisher's exact test ------------------------------------------------ */

/* A positive number m * 2^e with m in [0.5, 1) (or m = 0). */
typedef struct xnum {
    double m;
    long e;
} xnum;

static xnum xnum_mul(xnum v, double f)
{
    int k;
    v.m = frexp(v.m * f, &k);
    v.e += k;
    return v;
}

static double xnum_ratio(xnum a, xnum b) /* a / b as a double, may be inf/0 */
{
    long d = a.e - b.e;
    if (d > 4000)
        d = 4000;
    if (d < -4000)
        d = -4000;
    return ldexp(a.m / b.m, (int)d);
}

static double xnum_value(xnum v)
{
    if (v.e < -4000)
        return 0;
    return ldexp(v.m, (int)v.e);
}

/* The hypergeometric table: row totals n1, n2, first-column total k, the
 * top-left cell a in [amin, amax]. up(a) = w(a + 1) / w(a). */
typedef struct hyper {
    double n1, n2, k, amin, amax;
} hyper;

static double hyper_up(const hyper *h, double a)
{
    return ((h->n1 - a) * (h->k - a)) / ((a + 1) * (h->n2 - h->k + a + 1));
}

#define FISHER_REL_TIE (1 + 1e-7)
/* Below 2^FISHER_NEGLIGIBLE_EXP (relative to the mode) a term cannot
 * change a p-value that rounds to a double, even summed over 2^40 tables. */
#define FISHER_NEGLIGIBLE_EXP (-1200L - 40L)

/* Walks from the mode in one direction (dir = +1 or -1), adding every term
 * to *total and every term not more likely than the observed one (relative
 * to it) to *incl, until the rest of the tail is negligible. w0 is the term
 * at the start a0 (relative to the mode). */
static void fisher_walk(const hyper *h, double a0, xnum w0, int dir, xnum wobs,
                        ksum *total, ksum *incl)
{
    double a = a0;
    xnum w = w0;
    for (;;) {
        double rho = xnum_ratio(w, wobs);
        double r;
        ksum_add(total, xnum_value(w));
        if (rho <= FISHER_REL_TIE)
            ksum_add(incl, rho);
        if (dir > 0 ? a >= h->amax : a <= h->amin)
            break;
        r = dir > 0 ? hyper_up(h, a) : 1 / hyper_up(h, a - 1);
        /* The ratios shrink away from the mode (the terms are log-concave),
         * so once r < 1 the rest of the tail is below w r / (1 - r). */
        if (r < 1 && rho <= FISHER_REL_TIE) {
            double rest = rho * r / (1 - r);
            if (rest <= 1e-17 * ksum_get(incl) &&
                xnum_value(w) * r / (1 - r) <= 1e-17 * ksum_get(total))
                break;
        }
        if (r < 1 && w.e < FISHER_NEGLIGIBLE_EXP && rho <= FISHER_REL_TIE)
            break;
        w = xnum_mul(w, r);
        a += dir;
    }
}

static kpi_status fisher_p(double x1, double n1, double x2, double n2,
                           double *p)
{
    hyper h;
    double mode, a;
    xnum one = {0.5, 1}, wobs;
    ksum total = {0, 0}, incl = {0, 0};

    if (n1 + n2 > KPI_RATETEST_FISHER_MAX_TOTAL)
        return KPI_ENUM;
    h.n1 = n1;
    h.n2 = n2;
    h.k = x1 + x2;
    h.amin = fmax(0, h.k - n2);
    h.amax = fmin(h.k, n1);
    if (h.amin == h.amax) {
        *p = 1;
        return KPI_OK;
    }

    /* The mode: floor((k+1)(n1+1)/(N+2)), then nudged onto the maximum
     * (the product may have been rounded). */
    mode = floor((h.k + 1) * (n1 + 1) / (n1 + n2 + 2));
    mode = fmin(fmax(mode, h.amin), h.amax);
    while (mode < h.amax && hyper_up(&h, mode) > 1)
        mode++;
    while (mode > h.amin && hyper_up(&h, mode - 1) < 1)
        mode--;

    /* The observed term relative to the mode. */
    wobs = one;
    for (a = mode; a < x1; a++) {
        wobs = xnum_mul(wobs, hyper_up(&h, a));
        if (wobs.e < FISHER_NEGLIGIBLE_EXP) {
            *p = 0;
            return KPI_OK;
        }
    }
    for (a = mode; a > x1; a--) {
        wobs = xnum_mul(wobs, 1 / hyper_up(&h, a - 1));
        if (wobs.e < FISHER_NEGLIGIBLE_EXP) {
            *p = 0;
            return KPI_OK;
        }
    }

    fisher_walk(&h, mode, one, -1, wobs, &total, &incl);
    if (mode < h.amax)
        fisher_walk(&h, mode + 1, xnum_mul(one, hyper_up(&h, mode)), +1, wobs,
                    &total, &incl);

    {
        double t = ksum_get(&total), s = ksum_get(&incl);
        double v;
        int k;
        if (!(t > 0) || !isfinite(t) || !isfinite(s))
            return KPI_ENUM;
        /* p = s * wobs / t */
        v = frexp(s * wobs.m / t, &k);
        {
            long e = wobs.e + k;
            if (e < -1100)
                v = 0;
            else
                v = ldexp(v, (int)e);
        }
        *p = v > 1 ? 1 : v;
    }
    return KPI_OK;
}

/* ---- z test ------------------------------------------------------------- */

static kpi_status z_p(double x1, double n1, double x2, double n2, double *p)
{
    double pooled = (x1 + x2) / (n1 + n2);
    double qooled = ((n1 - x1) + (n2 - x2)) / (n1 + n2); /* 1 - pooled */
    double se, z, q;
    if (x1 + x2 == 0 || x1 + x2 == n1 + n2) {
        *p = 1;
        return KPI_OK;
    }
    se = sqrt(pooled * qooled * (1 / n1 + 1 / n2));
    z = (x1 / n1 - x2 / n2) / se;
    if (!isfinite(z))
        return KPI_ENUM;
    /* 2 Q(|z|); below DBL_MIN it is 0 */
    if (kpi_dist_norm_upper(fabs(z), &q) != KPI_OK)
        return KPI_ENUM;
    *p = 2 * q > 1 ? 1 : 2 * q;
    return KPI_OK;
}

kpi_status kpi_ratetest(double x1, double n1, double x2, double n2,
                        kpi_test_method m, double *p)
{
    kpi_status st;
    *p = 0;
    if (!kpi_is_count(x1) || !kpi_is_count(n1) || !kpi_is_count(x2) ||
        !kpi_is_count(n2))
        return KPI_ENUM;
    if (n1 == 0 || n2 == 0)
        return KPI_EDIV0;
    if (x1 > n1 || x2 > n2)
        return KPI_ENUM;
    /* both tests pool the two units: n1 + n2 is a count (kpi_check.h), and
     * x1 + x2 <= n1 + n2 then is one too */
    double pooled_n = n1;
    if (!kpi_count_add(&pooled_n, n2))
        return KPI_ENUM;
    switch (m) {
    case KPI_TEST_FISHER:
        st = fisher_p(x1, n1, x2, n2, p);
        break;
    case KPI_TEST_Z:
        st = z_p(x1, n1, x2, n2, p);
        break;
    default:
        st = KPI_EVALUE;
        break;
    }
    if (st == KPI_OK && !(*p >= 0 && *p <= 1))
        st = KPI_ENUM;
    if (st != KPI_OK)
        *p = 0;
    return st;
}
