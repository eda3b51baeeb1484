/* kpi_dist.c - the normal, Student t and Beta distributions; see kpi_dist.h.
 *
 * Numerical notes.
 * - The incomplete Beta function is computed here rather than with GSL's
 *   gsl_sf_beta_inc_e: GSL's continued fraction stops converging near the
 *   mean once a and b pass about 10^6 (GSL_EMAXITER), and it forms
 *   x^a (1-x)^b / B(a, b) from lgamma differences, which lose every digit
 *   when a or b is 10^15. Here the factor is written, with x0 = a/(a+b) and
 *   lambda = a - (a+b) x (formed with one rounding),
 *     x^a y^b / B(a,b) = sqrt(ab / (2 pi (a+b)))
 *                        exp(-(a rlog1(-lambda/a) + b rlog1(lambda/b))
 *                            + mu(a+b) - mu(a) - mu(b)),
 *   rlog1(t) = t - ln(1+t) and mu the remainder of Stirling's series, all
 *   small, well-conditioned quantities (DiDonato & Morris's BRCOMP).
 * - Away from the mean (or with min(a, b) < 100) the continued fraction
 *   BFRAC of DiDonato & Morris, in terms of lambda; near the mean with
 *   a, b >= 100 Temme's expansion (BASYM). Their power series and
 *   incomplete-gamma expansions (BPSER, BUP, BGRAT) are not needed for
 *   the accuracy sought here (tens of eps): the fraction converges
 *   wherever it is used, in at most a few hundred terms.
 * - I_x(a, b) is badly conditioned in x when a and b are large: one unit in
 *   the last place of x moves it by about sqrt(a+b) * 1e-16 relative.
 *   Quantiles are not affected (they are found to the last place of x).
 * - Every tail is computed directly on its own side (P and 1 - P are never
 *   obtained by subtracting a number near 1 from 1), and the quantile
 *   solvers work on the smaller of p and 1 - p. */
#include "kpi_dist.h"

#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

/* 1 / sqrt(2) as a sum of two doubles, and 1 / sqrt(2 pi). */
#define SQRT1_2_HI 0.7071067811865476
#define SQRT1_2_LO (-4.833646656726457e-17)
#define INV_SQRT_2PI 0.39894228040143267794
#define LN_SQRT_2PI 0.91893853320467274178

/* ---- elementary helpers -------------------------------------------------- */

/* ln(g / target) for g, target > 0, without losing the digits of a ratio
 * near 1 to the size of the two logarithms. */
static double log_ratio(double g, double target)
{
    double r = g / target;
    if (r > 0.5 && r < 2)
        return log1p((g - target) / target);
    if (isfinite(r) && r > 0)
        return log(r);
    return log(g) - log(target);
}

/* exp(z^2) erfc(z), z >= 0. Below 26 from the C library's erfc with z^2
 * split exactly (fma); above, the Laplace continued fraction
 * sqrt(pi) exp(z^2) erfc(z) = 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))),
 * Abramowitz & Stegun 7.1.14, which converges fast there. */
static double erfcx_pos(double z)
{
    if (z < 26) {
        double z2 = z * z, e = fma(z, z, -z2);
        return exp(z2) * (1 + e) * erfc(z);
    }
    {
        double f = z;
        for (int k = 24; k >= 1; k--)
            f = z + (0.5 * k) / f;
        return 1 / (f * 1.7724538509055160273); /* sqrt(pi) */
    }
}

/* t - ln(1 + t), t > -1. For |t| < 1/2 from the series of
 * ln(1+t) = 2 atanh(r), r = t / (2 + t): t - ln(1+t) = r t - 2 r (r^2/3 +
 * r^4/5 + ...), free of cancellation. */
static double rlog1(double t)
{
    if (fabs(t) < 0.5) {
        double r = t / (2 + t), r2 = r * r, term = r2, sum = 0;
        for (int k = 3; k < 200; k += 2) {
            double c = term / k;
            sum += c;
            if (c <= 1e-17 * sum)
                break;
            term *= r2;
        }
        return r * t - 2 * r * sum;
    }
    return t - log1p(t);
}

/* mu(a) = ln Gamma(a) - (a - 1/2) ln a + a - ln sqrt(2 pi), a > 0: the
 * remainder of Stirling's series (Abramowitz & Stegun 6.1.40), raised to
 * a >= 10 by mu(a) = mu(a+1) + (a + 1/2) ln(1 + 1/a) - 1. */
static double stirling_mu(double a)
{
    double acc = 0, r, r2;
    while (a < 10) {
        acc += (a + 0.5) * log1p(1 / a) - 1;
        a += 1;
    }
    r = 1 / a;
    r2 = r * r;
    return acc + r * (1.0 / 12 +
                      r2 * (-1.0 / 360 +
                            r2 * (1.0 / 1260 +
                                  r2 * (-1.0 / 1680 +
                                        r2 * (1.0 / 1188 +
                                              r2 * (-691.0 / 360360 +
                                                    r2 * (1.0 / 156 +
                                                          r2 * (-3617.0 /
                                                                122400))))))));
}

/* ---- the standard normal -------------------------------------------------
 */

/* P(Z > z) = erfc(z / sqrt 2) / 2 with the rounding d of t = z / sqrt 2
 * corrected: erfc(t + d) = erfc(t) - d (2 / sqrt pi) exp(-t^2). */
static double norm_upper(double z)
{
    double t = z * SQRT1_2_HI;
    double d = fma(z, SQRT1_2_HI, -t) + z * SQRT1_2_LO;
    double e = erfc(t);
    if (d != 0 && fabs(t) < 40)
        e -= d * 1.1283791670955125739 * exp(-t * t);
    return 0.5 * e;
}

/* The density exp(-z^2/2) / sqrt(2 pi), z^2 split exactly. */
static double norm_pdf(double z)
{
    double z2 = z * z, e = fma(z, z, -z2);
    return INV_SQRT_2PI * exp(-0.5 * z2) * (1 - 0.5 * e);
}

kpi_status kpi_dist_norm_upper(double z, double *q)
{
    *q = 0;
    if (isnan(z))
        return KPI_ENUM;
    *q = norm_upper(z);
    return KPI_OK;
}

kpi_status kpi_dist_norm_cdf(double z, double *p)
{
    *p = 0;
    if (isnan(z))
        return KPI_ENUM;
    *p = norm_upper(-z);
    return KPI_OK;
}

/* z <= 0 with P(Z <= z) = p, 0 < p <= 1/2. */
static double norm_lower_solve(double p)
{
    double z = gsl_cdf_ugaussian_Pinv(p);
    if (!isfinite(z))
        return z;
    for (int it = 0; it < 3; it++) {
        double c = norm_upper(-z), f = norm_pdf(z), dz;
        if (!(c > 0) || !(f >= DBL_MIN))
            break;
        /* Newton on ln P(z): d ln P / dz = f / P */
        dz = log_ratio(p, c) * (c / f);
        z += dz;
        if (fabs(dz) <= 2 * DBL_EPSILON * fabs(z))
            break;
    }
    return z;
}

kpi_status kpi_dist_norm_quantile(double p, double *z)
{
    *z = 0;
    if (!(p > 0 && p < 1))
        return KPI_ENUM;
    *z = p <= 0.5 ? norm_lower_solve(p) : -norm_lower_solve(1 - p);
    if (!isfinite(*z)) {
        *z = 0;
        return KPI_ENUM;
    }
    return KPI_OK;
}

kpi_status kpi_dist_norm_upper_quantile(double q, double *z)
{
    kpi_status st = kpi_dist_norm_quantile(q, z);
    if (st == KPI_OK)
        *z = -*z;
    return st;
}

/* ---- the incomplete Beta function --------------------------------------- */

/* lambda = a - (a+b) x, or (a+b) y - b (the same number) from y when x is
 * the larger: a + b as an exact sum s + se, the product with one rounding. */
static double beta_lambda(double a, double b, double x, double y)
{
    double s = a + b, bp = s - a, ap = s - bp;
    double se = (a - ap) + (b - bp);
    if (x <= 0.5)
        return fma(-s, x, a) - se * x;
    return fma(s, y, -b) + se * y;
}

/* x^a y^b / B(a, b) (DiDonato & Morris's BRCOMP). Where x s/a (or y s/b)
 * is far below 1, the large logarithm a ln(x s/a) is not formed (its
 * rounding would cost a |ln x| eps): that part is pow(x s/a, a), and
 * a rlog1(-lambda/a) = -lambda - a ln(x s/a) leaves only exp(lambda). */
static double beta_factor(double a, double b, double x, double y, double lam)
{
    double s = a + b, ta = -lam / a, tb = lam / b, pw = 1;
    double e = 0.5 * log(a / s * b) - LN_SQRT_2PI + stirling_mu(s) -
               stirling_mu(a) - stirling_mu(b);
    /* pow only where its result is a normal double not far below 1e-300
     * (and exp(lambda) cannot overflow); else the logarithm, whose
     * rounding costs a |ln(x s/a)| eps relative */
    if (ta >= -0.5) {
        e -= a * rlog1(ta);
    } else {
        double lr = log(x) + log(s / a);
        if (lam < 600 && a * lr > -690) {
            e += lam;
            pw *= pow(x * (s / a), a);
        } else {
            e += lam + a * lr;
        }
    }
    if (tb >= -0.5) {
        e -= b * rlog1(tb);
    } else {
        double lr = log(y) + log(s / b);
        if (-lam < 600 && b * lr > -690) {
            e -= lam;
            pw *= pow(y * (s / b), b);
        } else {
            e += -lam + b * lr;
        }
    }
    return pw == 0 ? 0 : exp(e) * pw;
}

#define CF_MAXIT 100000

/* I_x(a, b) for lambda = a - (a+b) x >= 0 (x at most the mean) by
 * DiDonato & Morris's continued fraction BFRAC, written in lambda and y so
 * that it carries no cancellation when x is close to 1 and a >> b (where
 * the classical fraction of Abramowitz & Stegun 26.5.8 has partial
 * denominators 1 - (1 - O(1/a)) and loses about a eps). They state it for
 * a, b > 1; it is measured here (tests/unit/test_dist.c) down to a, b of
 * 0.05. Returns the number of terms, or -1 when it does not converge. */
static int beta_bfrac(double a, double b, double x, double y, double lam,
                      double *out)
{
    double fac = beta_factor(a, b, x, y, lam);
    double c = 1 + lam, c0 = b / a, c1 = 1 + 1 / a, yp1 = y + 1;
    double p = 1, s = a + 1, an = 0, bn = 1, anp1 = 1, bnp1 = c / c1,
           r = c1 / c;
    if (fac == 0) {
        *out = 0;
        return 0;
    }
    for (int n = 1; n <= CF_MAXIT; n++) {
        double t = n / a, w = n * (b - n) * x, e = a / s, alpha, beta, r0;
        alpha = (p * (p + c0) * e * e) * (w * x);
        e = (1 + t) / (c1 + t + t);
        beta = n + w / s + e * (c + n * yp1);
        p = 1 + t;
        s += 2;
        t = alpha * an + beta * anp1;
        an = anp1;
        anp1 = t;
        t = alpha * bn + beta * bnp1;
        bn = bnp1;
        bnp1 = t;
        r0 = r;
        r = anp1 / bnp1;
        if (fabs(r - r0) <= 0.5 * DBL_EPSILON * r) {
            *out = fac * r;
            return n;
        }
        an /= bnp1;
        bn /= bnp1;
        anp1 = r;
        bnp1 = 1;
    }
    return -1;
}

/* I_x(a, b) for a, b >= 100 (15 at the least) and 0 <= lambda = a - (a+b)x
 * small against min(a, b): Temme's uniform asymptotic expansion in the
 * form of DiDonato & Morris's BASYM, I = (2/sqrt pi) e^{-f}
 * e^{-(mu(a)+mu(b)-mu(a+b))} sum_n d_n w0^n J_n, with
 * f = a rlog1(-lambda/a) + b rlog1(lambda/b), the J_n from
 * exp(z^2) erfc(z) by recurrence and the d_n from the recursively computed
 * coefficients of the expansion (up to 20 terms). */
#define BASYM_NUM 20
static double beta_basym(double a, double b, double lam)
{
    const double e0 = 1.1283791670955125739;  /* 2 / sqrt(pi) */
    const double e1 = 0.35355339059327376220; /* 2^(-3/2) */
    double a0[BASYM_NUM + 1], b0[BASYM_NUM + 1], c[BASYM_NUM + 1],
        d[BASYM_NUM + 1];
    double f = a * rlog1(-lam / a) + b * rlog1(lam / b);
    double t = exp(-f), z0, z, z2, h, r0, r1, w0, j0, j1, sum, s, h2, hn, w,
           znm1, zn, u;
    if (t == 0)
        return 0;
    z0 = sqrt(f);
    z = 0.5 * (z0 / e1);
    z2 = f + f;
    if (a < b) {
        h = a / b;
        r0 = 1 / (1 + h);
        r1 = (b - a) / b;
        w0 = 1 / sqrt(a * (1 + h));
    } else {
        h = b / a;
        r0 = 1 / (1 + h);
        r1 = (b - a) / a;
        w0 = 1 / sqrt(b * (1 + h));
    }
    a0[0] = r1 * (2.0 / 3.0);
    c[0] = -0.5 * a0[0];
    d[0] = -c[0];
    j0 = (0.5 / e0) * erfcx_pos(z0);
    j1 = e1;
    sum = j0 + d[0] * w0 * j1;
    s = 1;
    h2 = h * h;
    hn = 1;
    w = w0;
    znm1 = z;
    zn = z2;
    for (int n = 2; n <= BASYM_NUM; n += 2) {
        double t0, t1;
        int np1 = n + 1;
        hn *= h2;
        a0[n - 1] = 2 * r0 * (1 + h * hn) / (n + 2.0);
        s += hn;
        a0[np1 - 1] = 2 * r1 * s / (n + 3.0);
        for (int i = n; i <= np1; i++) {
            double r = -0.5 * (i + 1.0), dsum = 0;
            b0[0] = r * a0[0];
            for (int m = 2; m <= i; m++) {
                double bsum = 0;
                for (int j = 1; j <= m - 1; j++) {
                    int mmj = m - j;
                    bsum += (j * r - mmj) * a0[j - 1] * b0[mmj - 1];
                }
                b0[m - 1] = r * a0[m - 1] + bsum / m;
            }
            c[i - 1] = b0[i - 1] / (i + 1.0);
            for (int j = 1; j <= i - 1; j++)
                dsum += d[i - j - 1] * c[j - 1];
            d[i - 1] = -(dsum + c[i - 1]);
        }
        j0 = e1 * znm1 + (n - 1.0) * j0;
        j1 = e1 * zn + n * j1;
        znm1 *= z2;
        zn *= z2;
        w *= w0;
        t0 = d[n - 1] * w * j0;
        w *= w0;
        t1 = d[np1 - 1] * w * j1;
        sum += t0 + t1;
        if (fabs(t0) + fabs(t1) <= 0.5 * DBL_EPSILON * sum)
            break;
    }
    u = exp(-(stirling_mu(a) + stirling_mu(b) - stirling_mu(a + b)));
    return e0 * t * u * sum;
}

/* *w = I_x(a, b), *w1 = 1 - I_x(a, b), each computed on its own side;
 * x + y = 1 (both given, so neither is rounded from the other). */
static kpi_status beta_inc(double a, double b, double x, double y, double *w,
                           double *w1)
{
    double lam, mn = a < b ? a : b;
    if (x <= 0) {
        *w = 0;
        *w1 = 1;
        return KPI_OK;
    }
    if (y <= 0) {
        *w = 1;
        *w1 = 0;
        return KPI_OK;
    }
    lam = beta_lambda(a, b, x, y);
    if (mn >= 100 && fabs(lam) <= 0.03 * mn) {
        if (lam >= 0) {
            *w = beta_basym(a, b, lam);
            *w1 = 1 - *w;
        } else {
            *w1 = beta_basym(b, a, -lam);
            *w = 1 - *w1;
        }
    } else if (lam >= 0) {
        if (beta_bfrac(a, b, x, y, lam, w) < 0)
            return KPI_ENUM;
        *w1 = 1 - *w;
    } else {
        if (beta_bfrac(b, a, y, x, -lam, w1) < 0)
            return KPI_ENUM;
        *w = 1 - *w1;
    }
    if (!(*w >= 0 && *w <= 1 && *w1 >= 0 && *w1 <= 1))
        return KPI_ENUM;
    return KPI_OK;
}

static int beta_args_ok(double a, double b)
{
    return a > 0 && b > 0 && isfinite(a) && isfinite(b) && isfinite(a + b);
}

kpi_status kpi_dist_beta_cdf(double x, double a, double b, double *p)
{
    double w, w1;
    kpi_status st;
    *p = 0;
    if (!beta_args_ok(a, b) || !(x >= 0 && x <= 1))
        return KPI_ENUM;
    st = beta_inc(a, b, x, 1 - x, &w, &w1);
    if (st == KPI_OK)
        *p = w;
    return st;
}

kpi_status kpi_dist_beta_upper(double x, double a, double b, double *q)
{
    double w, w1;
    kpi_status st;
    *q = 0;
    if (!beta_args_ok(a, b) || !(x >= 0 && x <= 1))
        return KPI_ENUM;
    st = beta_inc(a, b, x, 1 - x, &w, &w1);
    if (st == KPI_OK)
        *q = w1;
    return st;
}

/* ---- the Beta quantile -------------------------------------------------- */

/* x with I_x(a, b) = target (upper = 0) or 1 - I_x(a, b) = target
 * (upper = 1), 0 < target <= 1/2. Newton on ln(tail) (the tails are close
 * to powers of x or 1 - x, so the logarithm is nearly linear), inside a
 * bracket [lo, hi] narrowed at every evaluation; a step that leaves the
 * bracket is replaced by bisection, geometric while the bracket spans
 * binary orders of magnitude. */
static kpi_status beta_solve(double target, int upper, double a, double b,
                             double *out)
{
    double lo = 0, hi = 1, x, s = a + b;
    {
        double mean = a / s, sd = sqrt(mean * (b / s) / (s + 1));
        double zt = gsl_cdf_ugaussian_Pinv(target);
        x = mean + (upper ? -zt : zt) * sd;
        if (!(x > 0 && x < 1) || (a < 5 || b < 5)) {
            /* the power laws I_x ~ x^a / (a B) and 1 - I_x ~ y^b / (b B) */
            double lnb = lgamma(a) + lgamma(b) - lgamma(s);
            double xp = upper ? -expm1((log(target) + log(b) + lnb) / b)
                              : exp((log(target) + log(a) + lnb) / a);
            if (xp > 0 && xp < 1)
                x = xp;
            else if (!(x > 0 && x < 1))
                x = mean;
        }
    }
    for (int it = 0; it < 400; it++) {
        double y = 1 - x, w, w1, g, xn, step = NAN;
        kpi_status st = beta_inc(a, b, x, y, &w, &w1);
        if (st != KPI_OK)
            return st;
        g = upper ? w1 : w;
        if (g == target) {
            *out = x;
            return KPI_OK;
        }
        /* the lower tail rises with x, the upper one falls */
        if ((g < target) != (upper != 0))
            lo = x;
        else
            hi = x;
        if (g > 0) {
            double lam = beta_lambda(a, b, x, y);
            double pdf = beta_factor(a, b, x, y, lam) / x / y;
            if (pdf > 0 && isfinite(pdf)) {
                step = log_ratio(target, g) * (g / pdf);
                if (upper)
                    step = -step;
            }
        }
        xn = x + step;
        /* converged: the step is below half a unit in the last place */
        if (isfinite(step) && fabs(step) <= 0.25 * DBL_EPSILON * x &&
            xn >= lo && xn <= hi) {
            *out = xn;
            return KPI_OK;
        }
        if (!(xn > lo && xn < hi)) {
            if (lo > 0 && hi / lo > 4)
                xn = sqrt(lo) * sqrt(hi);
            else if (lo == 0)
                xn = hi / 16;
            else if (hi == 1 && (1 - lo) > 1.0 / 16)
                xn = 0.5 * (lo + hi);
            else if (hi == 1)
                xn = 1 - (1 - lo) / 16;
            else
                xn = lo + 0.5 * (hi - lo);
        }
        /* the bracket holds no double but its ends and x */
        if (nextafter(nextafter(lo, 1), 1) >= hi || xn == x) {
            *out = x;
            return KPI_OK;
        }
        x = xn;
    }
    return KPI_ENUM;
}

/* The quantile for a tail probability on either side: the solver gets the
 * smaller of it and its complement (1 - v is exact for v >= 1/2); at
 * exactly 1/2 both forms solve the same lower-tail problem. */
static kpi_status beta_quantile(double v, int upper, double a, double b,
                                double *x)
{
    kpi_status st;
    *x = 0;
    if (!beta_args_ok(a, b) || !(v > 0 && v < 1))
        return KPI_ENUM;
    if (v > 0.5 || (v == 0.5 && upper)) {
        v = 1 - v;
        upper = !upper;
    }
    st = beta_solve(v, upper, a, b, x);
    if (st != KPI_OK || !(*x >= 0 && *x <= 1)) {
        *x = 0;
        return st != KPI_OK ? st : KPI_ENUM;
    }
    return KPI_OK;
}

kpi_status kpi_dist_beta_quantile(double p, double a, double b, double *x)
{
    return beta_quantile(p, 0, a, b, x);
}

kpi_status kpi_dist_beta_upper_quantile(double q, double a, double b, double *x)
{
    return beta_quantile(q, 1, a, b, x);
}

/* ---- Student's t -------------------------------------------------------- */

static int nu_ok(double nu)
{
    return nu > 0 && isfinite(nu);
}

/* 2 P(T > t), t >= 0, nu valid. */
static kpi_status t_two_sided(double t, double nu, double *p)
{
    double t2, x, y, w, w1;
    kpi_status st;
    if (isinf(t)) {
        *p = 0;
        return KPI_OK;
    }
    if (nu == 1) { /* Cauchy */
        *p = M_2_PI * atan2(1, t);
        return KPI_OK;
    }
    if (nu == 2) {
        double s = hypot(M_SQRT2, t); /* 1 - t/s = 2 / (s (s + t)) */
        *p = (2 / s) / (s + t);
        return KPI_OK;
    }
    t2 = t * t;
    if (isfinite(t2)) {
        x = nu / (nu + t2);
        y = t2 / (nu + t2);
    } else {
        double r = (nu / t) / t;
        x = r / (1 + r);
        y = 1 / (1 + r);
    }
    st = beta_inc(0.5 * nu, 0.5, x, y, &w, &w1);
    if (st != KPI_OK)
        return st;
    *p = w;
    return KPI_OK;
}

kpi_status kpi_dist_t_pvalue2(double t, double nu, double *p)
{
    kpi_status st;
    *p = 0;
    if (isnan(t) || !nu_ok(nu))
        return KPI_ENUM;
    st = t_two_sided(fabs(t), nu, p);
    if (st != KPI_OK)
        *p = 0;
    else if (*p > 1)
        *p = 1;
    return st;
}

kpi_status kpi_dist_t_upper(double t, double nu, double *q)
{
    double p2;
    kpi_status st;
    *q = 0;
    if (isnan(t) || !nu_ok(nu))
        return KPI_ENUM;
    st = t_two_sided(fabs(t), nu, &p2);
    if (st != KPI_OK)
        return st;
    if (p2 > 1)
        p2 = 1;
    *q = t >= 0 ? 0.5 * p2 : 1 - 0.5 * p2;
    return KPI_OK;
}

kpi_status kpi_dist_t_cdf(double t, double nu, double *p)
{
    kpi_status st;
    *p = 0;
    if (isnan(t))
        return KPI_ENUM;
    st = kpi_dist_t_upper(-t, nu, p);
    return st;
}

/* Newton on u = ln t for ln p(t) = ln alpha: the two-sided tail is close to
 * a power of t in the tails, so this converges in a few steps for any nu.
 * d ln p / du = -2 t f(t) / p(t), f the density of t. */
kpi_status kpi_dist_t_critical2(double alpha, double nu, double *t)
{
    double lo = -INFINITY, hi = INFINITY, u, lnc;
    *t = 0;
    if (!(alpha > 0 && alpha < 1) || !nu_ok(nu))
        return KPI_ENUM;
    /* Closed forms: nu = 1, t = cot(pi alpha / 2) = tan(pi (1-alpha) / 2);
     * nu = 2, from alpha = 1 - t / sqrt(2 + t^2). */
    if (nu == 1) {
        *t = alpha <= 0.5 ? 1 / tan(M_PI_2 * alpha) : tan(M_PI_2 * (1 - alpha));
        return isfinite(*t) ? KPI_OK : KPI_ENUM;
    }
    if (nu == 2) {
        *t = (1 - alpha) * sqrt(2 / (alpha * (2 - alpha)));
        return isfinite(*t) ? KPI_OK : KPI_ENUM;
    }
    /* ln of the density's constant, -ln(sqrt(nu) B(nu/2, 1/2)), through
     * Stirling's series (no cancellation of lgammas for large nu) */
    lnc = -LN_SQRT_2PI - 0.5 * nu * rlog1(1 / nu) +
          stirling_mu(0.5 * nu + 0.5) - stirling_mu(0.5 * nu);
    {
        /* Cornish-Fisher start from the normal quantile (Hill 1970). */
        double z = gsl_cdf_ugaussian_Qinv(0.5 * alpha);
        double z3 = z * z * z, z5 = z3 * z * z;
        double t0 = z + (z3 + z) / (4 * nu) +
                    (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu);
        if (!(t0 > 0) || !isfinite(t0))
            t0 = 1;
        u = log(t0);
    }
    for (int it = 0; it < 300; it++) {
        double tt = exp(u), p, h, du, un, lnf;
        kpi_status st = t_two_sided(tt, nu, &p);
        if (st != KPI_OK)
            return st;
        if (p <= 0) { /* far beyond the root: step back */
            hi = u;
            u = isfinite(lo) ? 0.5 * (lo + hi) : u - 2;
            continue;
        }
        h = log_ratio(p, alpha);
        if (h == 0) {
            *t = tt;
            return KPI_OK;
        }
        if (h > 0)
            lo = u;
        else
            hi = u;
        lnf = lnc - 0.5 * (nu + 1) * log1p(tt * tt / nu);
        du = h / (2 * tt * exp(lnf) / p);
        /* Converged: the correction is at the rounding level (or at the
         * noise floor of the tail function after many steps). */
        if (fabs(du) <= 2 * DBL_EPSILON || (it >= 60 && fabs(du) <= 1e-11)) {
            *t = exp(u + du);
            return isfinite(*t) ? KPI_OK : KPI_ENUM;
        }
        un = u + du;
        if (!(un > lo && un < hi) || !isfinite(un)) {
            if (isfinite(lo) && isfinite(hi))
                un = 0.5 * (lo + hi);
            else if (isfinite(lo))
                un = lo + 2;
            else
                un = hi - 2;
        }
        if ((isfinite(lo) && isfinite(hi) && hi - lo <= 2 * DBL_EPSILON) ||
            un == u) {
            *t = exp(un);
            return isfinite(*t) ? KPI_OK : KPI_ENUM;
        }
        u = un;
    }
    *t = 0;
    return KPI_ENUM;
}

kpi_status kpi_dist_t_upper_quantile(double q, double nu, double *t)
{
    kpi_status st;
    *t = 0;
    if (!(q > 0 && q < 1) || !nu_ok(nu))
        return KPI_ENUM;
    if (q == 0.5)
        return KPI_OK;
    if (q < 0.5)
        return kpi_dist_t_critical2(2 * q, nu, t);
    st = kpi_dist_t_critical2(2 * (1 - q), nu, t); /* 1 - q exact */
    *t = -*t;
    return st;
}

kpi_status kpi_dist_t_quantile(double p, double nu, double *t)
{
    kpi_status st = kpi_dist_t_upper_quantile(p, nu, t);
    *t = -*t;
    return st;
}

/* ---- the binomial distribution ------------------------------------------ */

static int binom_args_ok(double k, double n, double p)
{
    return isfinite(k) && k == floor(k) && isfinite(n) && n >= 0 &&
           n == floor(n) && n <= 9007199254740992.0 && p >= 0 && p <= 1;
}

/* *lower = P(X <= k), *upper = P(X > k), each on its own side. */
static kpi_status binom_tails(double k, double n, double p, double *lower,
                              double *upper)
{
    double w, w1;
    kpi_status st;
    if (k < 0 || (p == 1 && k < n)) {
        *lower = 0;
        *upper = 1;
        return KPI_OK;
    }
    if (k >= n || p == 0) {
        *lower = 1;
        *upper = 0;
        return KPI_OK;
    }
    /* P(X > k) = I_p(k + 1, n - k) */
    st = beta_inc(k + 1, n - k, p, 1 - p, &w, &w1);
    if (st != KPI_OK)
        return st;
    *lower = w1;
    *upper = w;
    return KPI_OK;
}

/* One tail of the binomial: P(X <= k) or, UPPER, P(X > k). */
static kpi_status binom_tail(double k, double n, double p, int upper, double *v)
{
    double lo, up;
    kpi_status st;
    *v = 0;
    if (!binom_args_ok(k, n, p))
        return KPI_ENUM;
    st = binom_tails(k, n, p, &lo, &up);
    if (st == KPI_OK)
        *v = upper ? up : lo;
    return st;
}

kpi_status kpi_dist_binom_cdf(double k, double n, double p, double *v)
{
    return binom_tail(k, n, p, 0, v);
}

kpi_status kpi_dist_binom_upper(double k, double n, double p, double *v)
{
    return binom_tail(k, n, p, 1, v);
}

kpi_status kpi_dist_binom_pmf(double k, double n, double p, double *v)
{
    double a, b, q = 1 - p, f;
    *v = 0;
    if (!binom_args_ok(k, n, p))
        return KPI_ENUM;
    if (k < 0 || k > n)
        return KPI_OK;
    if (p == 0 || p == 1) {
        *v = (p == 0 ? k == 0 : k == n) ? 1 : 0;
        return KPI_OK;
    }
    /* C(n, k) p^k q^(n-k) = p^a q^b / B(a, b) / ((n + 1) p q) */
    a = k + 1;
    b = n - k + 1;
    f = beta_factor(a, b, p, q, beta_lambda(a, b, p, q));
    f = f / (n + 1) / p / q;
    if (!(f >= 0) || !isfinite(f))
        return KPI_ENUM;
    *v = f > 1 ? 1 : f;
    return KPI_OK;
}

/* The smallest whole r in [0, n] with P(X <= r) >= v (upper = 0), or with
 * P(X > r) <= v (upper = 1): bisection over whole numbers, the bracket
 * found around the normal approximation by doubling steps. */
static kpi_status binom_quantile(double v, int upper, double n, double p,
                                 double *r)
{
    double lo, hi, g, step, sd;
    kpi_status st;
    *r = 0;
    if (!binom_args_ok(0, n, p) || !(v > 0 && v < 1))
        return KPI_ENUM;
    if (p == 0 || n == 0)
        return KPI_OK;
    if (p == 1) {
        *r = n;
        return KPI_OK;
    }
/* ok(x): r = x satisfies the condition */
#define BINOM_OK(x, res)                                                       \
    do {                                                                       \
        double lt_, ut_;                                                       \
        st = binom_tails((x), n, p, &lt_, &ut_);                               \
        if (st != KPI_OK)                                                      \
            return st;                                                         \
        (res) = upper ? ut_ <= v : lt_ >= v;                                   \
    } while (0)
    {
        double z = gsl_cdf_ugaussian_Pinv(upper ? 1 - v : v);
        sd = sqrt(n * p * (1 - p));
        g = floor(n * p + z * sd + 0.5);
        if (!(g >= 0))
            g = 0;
        if (g > n)
            g = n;
    }
    /* the bracket: lo fails (or is -1), hi holds */
    {
        int ok;
        BINOM_OK(g, ok);
        step = fmax(1, floor(sd / 4));
        if (ok) {
            hi = g;
            lo = g - step;
            for (;;) {
                if (lo < 0) {
                    lo = -1;
                    break;
                }
                BINOM_OK(lo, ok);
                if (!ok)
                    break;
                hi = lo;
                step *= 2;
                lo = hi - step;
            }
        } else {
            lo = g;
            hi = g + step;
            for (;;) {
                if (hi >= n) {
                    hi = n; /* P(X <= n) = 1 >= v, P(X > n) = 0 <= v */
                    break;
                }
                BINOM_OK(hi, ok);
                if (ok)
                    break;
                lo = hi;
                step *= 2;
                hi = lo + step;
            }
        }
        while (hi - lo > 1) {
            double mid = floor(lo + (hi - lo) / 2);
            BINOM_OK(mid, ok);
            if (ok)
                hi = mid;
            else
                lo = mid;
        }
    }
#undef BINOM_OK
    *r = hi;
    return KPI_OK;
}

kpi_status kpi_dist_binom_quantile(double prob, double n, double p, double *r)
{
    return binom_quantile(prob, 0, n, p, r);
}

kpi_status kpi_dist_binom_upper_quantile(double q, double n, double p,
                                         double *r)
{
    return binom_quantile(q, 1, n, p, r);
}

/* ---- the Gamma distribution --------------------------------------------- */

static int gamma_args_ok(double a)
{
    return a > 0 && a <= KPI_DIST_GAMMA_MAX_A;
}

/* *lower = P(a, x), *upper = Q(a, x) from GSL, each on its own side. */
static kpi_status gamma_tails(double a, double x, double *lower, double *upper)
{
    gsl_sf_result rp, rq;
    if (x <= 0) {
        *lower = 0;
        *upper = 1;
        return KPI_OK;
    }
    if (isinf(x)) {
        *lower = 1;
        *upper = 0;
        return KPI_OK;
    }
    if (gsl_sf_gamma_inc_P_e(a, x, &rp) != GSL_SUCCESS ||
        gsl_sf_gamma_inc_Q_e(a, x, &rq) != GSL_SUCCESS)
        return KPI_ENUM;
    if (!(rp.val >= 0 && rp.val <= 1 && rq.val >= 0 && rq.val <= 1))
        return KPI_ENUM;
    *lower = rp.val;
    *upper = rq.val;
    return KPI_OK;
}

/* One tail of the Gamma(a, 1): P(X <= x) or, UPPER, P(X > x). */
static kpi_status gamma_tail(double x, double a, int upper, double *v)
{
    double lo, up;
    kpi_status st;
    *v = 0;
    if (!gamma_args_ok(a) || isnan(x))
        return KPI_ENUM;
    st = gamma_tails(a, x, &lo, &up);
    if (st == KPI_OK)
        *v = upper ? up : lo;
    return st;
}

kpi_status kpi_dist_gamma_cdf(double x, double a, double *p)
{
    return gamma_tail(x, a, 0, p);
}

kpi_status kpi_dist_gamma_upper(double x, double a, double *q)
{
    return gamma_tail(x, a, 1, q);
}

/* The density x^(a-1) e^-x / Gamma(a) = sqrt(a / 2 pi) exp(-a rlog1((x-a)/a)
 * - mu(a)) / x (DiDonato & Morris's RCOMP), x > 0. */
static double gamma_pdf(double a, double x)
{
    double t = (x - a) / a;
    double e = t > -1 ? -a * rlog1(t) : -INFINITY;
    return sqrt(a) * INV_SQRT_2PI * exp(e - stirling_mu(a)) / x;
}

/* x with P(a, x) = target (upper = 0) or Q(a, x) = target (upper = 1),
 * 0 < target <= 1/2: Newton on ln(tail) inside a bracket narrowed at every
 * step, bisection (geometric while the bracket spans orders of magnitude)
 * when a step leaves it; started from Wilson and Hilferty's cube-root
 * approximation, or the power law P ~ x^a / Gamma(a + 1) for small a. */
static kpi_status gamma_solve(double target, int upper, double a, double *out)
{
    double lo = 0, hi = INFINITY, x;
    {
        double z = gsl_cdf_ugaussian_Pinv(target), c = 1 / (9 * a);
        double w = 1 - c + (upper ? -z : z) * sqrt(c);
        x = a * w * w * w;
        if (!upper && (a < 5 || !(x > 0))) {
            double xp = exp((log(target) + lgamma(a + 1)) / a);
            if (xp > 0 && isfinite(xp))
                x = xp;
        }
        if (!(x > 0) || !isfinite(x))
            x = a;
    }
    for (int it = 0; it < 600; it++) {
        double g, lt, ut, xn, step = NAN, pdf;
        kpi_status st = gamma_tails(a, x, &lt, &ut);
        if (st != KPI_OK)
            return st;
        g = upper ? ut : lt;
        if (g == target) {
            *out = x;
            return KPI_OK;
        }
        if ((g < target) != (upper != 0))
            lo = x;
        else
            hi = x;
        pdf = gamma_pdf(a, x);
        if (g > 0 && pdf > 0 && isfinite(pdf)) {
            step = log_ratio(target, g) * (g / pdf);
            if (upper)
                step = -step;
        }
        xn = x + step;
        if (isfinite(step) && fabs(step) <= 0.25 * DBL_EPSILON * x &&
            xn >= lo && xn <= hi) {
            *out = xn;
            return KPI_OK;
        }
        if (!(xn > lo && xn < hi)) {
            if (isinf(hi))
                xn = 2 * x + 1;
            else if (lo == 0)
                xn = hi / 16;
            else if (hi / lo > 4)
                xn = sqrt(lo) * sqrt(hi);
            else
                xn = lo + 0.5 * (hi - lo);
        }
        if ((isfinite(hi) && nextafter(nextafter(lo, hi), hi) >= hi) ||
            xn == x) {
            *out = x;
            return KPI_OK;
        }
        x = xn;
    }
    return KPI_ENUM;
}

static kpi_status gamma_quantile(double v, int upper, double a, double *x)
{
    kpi_status st;
    *x = 0;
    if (!gamma_args_ok(a) || !(v > 0 && v < 1))
        return KPI_ENUM;
    if (v > 0.5 || (v == 0.5 && upper)) {
        v = 1 - v;
        upper = !upper;
    }
    st = gamma_solve(v, upper, a, x);
    if (st != KPI_OK || !(*x >= 0) || !isfinite(*x)) {
        *x = 0;
        return st != KPI_OK ? st : KPI_ENUM;
    }
    return KPI_OK;
}

kpi_status kpi_dist_gamma_quantile(double p, double a, double *x)
{
    return gamma_quantile(p, 0, a, x);
}

kpi_status kpi_dist_gamma_upper_quantile(double q, double a, double *x)
{
    return gamma_quantile(q, 1, a, x);
}
