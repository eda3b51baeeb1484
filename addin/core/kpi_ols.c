/* kpi_ols.c - ordinary least squares trend; see kpi_ols.h.
 *
 * The fit is the two-pass centred computation (means refined by a second
 * pass, compensated sums), on data scaled by powers of two so that no sum
 * of squares can overflow or underflow: x = x' 2^ex, y = y' 2^ey with
 * |x'|, |y'| < 1. Results are scaled back at the end and must be normal
 * doubles. Student's t tail and quantile are computed here from
 * gsl_sf_beta_inc_e (status checked): gsl_cdf_tdist_Pinv is only good to
 * about 3e-10 for small degrees of freedom and reports no status. */
#include "kpi_ols.h"
#include "kpi_ksum.h"

#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "kpi_series.h"

/* ---- Student's t -------------------------------------------------------- */

kpi_status kpi_ols_t_pvalue(double t, double nu, double *p)
{
    gsl_sf_result r;
    double t2;
    int st;
    *p = 0;
    if (isnan(t) || !(nu > 0) || !isfinite(nu))
        return KPI_ENUM;
    t = fabs(t);
    if (isinf(t))
        return KPI_OK;
    /* Closed forms (nu = 1 is common: three points). */
    if (nu == 1) {
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
        /* p = 1 - I_w(1/2, nu/2) with w = t^2 / (nu + t^2): w is formed
         * without cancellation, so this is accurate to ~1e-16 / p. */
        st = gsl_sf_beta_inc_e(0.5, 0.5 * nu, t2 / (nu + t2), &r);
        if (st != GSL_SUCCESS || !isfinite(r.val))
            return KPI_ENUM;
        if (1 - r.val >= 1e-3) {
            *p = 1 - r.val > 1 ? 1 : 1 - r.val;
            return KPI_OK;
        }
    }
    /* Small p: I_x(nu/2, 1/2) with x = nu / (nu + t^2), which carries a
     * relative error of about nu * 1e-16 from the rounding of x. */
    st =
        gsl_sf_beta_inc_e(0.5 * nu, 0.5, isfinite(t2) ? nu / (nu + t2) : 0, &r);
    if (st == GSL_EUNDRFLW)
        return KPI_OK; /* below DBL_MIN */
    if (st != GSL_SUCCESS || !isfinite(r.val))
        return KPI_ENUM;
    *p = r.val < 0 ? 0 : r.val > 1 ? 1 : r.val;
    return KPI_OK;
}

/* Newton on u = ln t for ln p(t) = ln alpha: the two-sided tail is close to
 * a power of t in the tails, so this converges in a few steps for any nu.
 * d ln p / du = -2 t f(t) / p(t), f the density of t. */
kpi_status kpi_ols_t_critical(double alpha, double nu, double *t)
{
    gsl_sf_result lnb;
    double lo = -INFINITY, hi = INFINITY, u, lnalpha;
    *t = 0;
    if (!(alpha > 0 && alpha < 1) || !(nu > 0) || !isfinite(nu))
        return KPI_ENUM;
    /* Closed forms: nu = 1, t = cot(pi alpha / 2); nu = 2, from
     * alpha = 1 - t / sqrt(2 + t^2). */
    if (nu == 1) {
        *t = 1 / tan(M_PI_2 * alpha);
        return isfinite(*t) ? KPI_OK : KPI_ENUM;
    }
    if (nu == 2) {
        *t = (1 - alpha) * sqrt(2 / (alpha * (2 - alpha)));
        return isfinite(*t) ? KPI_OK : KPI_ENUM;
    }
    if (gsl_sf_lnbeta_e(0.5 * nu, 0.5, &lnb) != GSL_SUCCESS)
        return KPI_ENUM;
    lnalpha = log(alpha);
    {
        /* Cornish-Fisher start from the normal quantile. */
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
        kpi_status st = kpi_ols_t_pvalue(tt, nu, &p);
        if (st != KPI_OK)
            return st;
        if (p <= 0) { /* far beyond the root: step back */
            hi = u;
            u = isfinite(lo) ? 0.5 * (lo + hi) : u - 2;
            continue;
        }
        h = log(p) - lnalpha;
        if (h == 0) {
            *t = tt;
            return KPI_OK;
        }
        if (h > 0)
            lo = u;
        else
            hi = u;
        lnf = -0.5 * (nu + 1) * log1p(tt * tt / nu) - lnb.val - 0.5 * log(nu);
        du = h / (2 * tt * exp(lnf) / p);
        /* Converged: the correction is at the rounding level (or at the
         * noise floor of the tail function after many steps). */
        if (fabs(du) <= 1e-15 || (it >= 60 && fabs(du) <= 1e-11)) {
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
        if ((isfinite(lo) && isfinite(hi) && hi - lo <= 1e-15) || un == u) {
            *t = exp(un);
            return isfinite(*t) ? KPI_OK : KPI_ENUM;
        }
        u = un;
    }
    return KPI_ENUM;
}

/* ---- the fit, in scaled units ------------------------------------------- */

typedef struct ols_core {
    size_t n;
    int ex, ey;        /* x = x' 2^ex, y = y' 2^ey */
    double xbar, ybar; /* means (scaled) */
    double sxx, syy;   /* centred sums of squares (scaled) */
    double sxy;        /* centred cross product (scaled) */
    double slope;      /* in y'/x' */
    double rss;        /* residual sum of squares (scaled) */
    int constant;      /* all values equal */
} ols_core;

/* Mean of v[0..n), refined by the mean of the deviations. */
static double mean2(const double *v, size_t n)
{
    ksum s = {0, 0}, d = {0, 0};
    double m;
    for (size_t i = 0; i < n; i++)
        ksum_add(&s, v[i]);
    m = ksum_get(&s) / (double)n;
    for (size_t i = 0; i < n; i++)
        ksum_add(&d, v[i] - m);
    return m + ksum_get(&d) / (double)n;
}

/* Scales v[0..n) in place to |v| < 1; *e receives the binary exponent. */
static void scale_down(double *v, size_t n, int *e)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(v[i]) > m)
            m = fabs(v[i]);
    *e = 0;
    if (m > 0)
        frexp(m, e);
    for (size_t i = 0; i < n; i++)
        v[i] = ldexp(v[i], -*e);
}

static int all_equal(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return 0;
    return 1;
}

static kpi_status ols_core_fit(const double *y, const double *x, size_t n,
                               size_t need, ols_core *c)
{
    kpi_series s;
    kpi_status st;
    ksum sxx = {0, 0}, sxy = {0, 0}, syy = {0, 0}, rss = {0, 0};

    if (y == NULL && n > 0)
        return KPI_EVALUE;
    st = kpi_series_prepare(y, x, n, &s);
    if (st != KPI_OK)
        return st;
    if (!kpi_series_all_finite(&s)) {
        kpi_series_free(&s);
        return KPI_ENUM;
    }
    if (s.n < need || s.n < 2 || all_equal(s.x, s.n)) {
        kpi_series_free(&s);
        return KPI_EDIV0;
    }

    c->n = s.n;
    c->constant = all_equal(s.y, s.n);
    scale_down(s.x, s.n, &c->ex);
    scale_down(s.y, s.n, &c->ey);
    c->xbar = mean2(s.x, s.n);
    c->ybar = c->constant ? s.y[0] : mean2(s.y, s.n);
    for (size_t i = 0; i < s.n; i++) {
        double dx = s.x[i] - c->xbar, dy = s.y[i] - c->ybar;
        ksum_add(&sxx, dx * dx);
        ksum_add(&sxy, dx * dy);
        ksum_add(&syy, dy * dy);
    }
    c->sxx = ksum_get(&sxx);
    c->sxy = ksum_get(&sxy);
    c->syy = ksum_get(&syy);
    if (!(c->sxx > 0)) { /* unreachable for distinct finite years */
        kpi_series_free(&s);
        return KPI_EDIV0;
    }
    if (c->constant) {
        c->slope = 0;
        c->sxy = c->syy = c->rss = 0;
    } else {
        c->slope = c->sxy / c->sxx;
        for (size_t i = 0; i < s.n; i++) {
            double r = (s.y[i] - c->ybar) - c->slope * (s.x[i] - c->xbar);
            ksum_add(&rss, r * r);
        }
        c->rss = ksum_get(&rss);
    }
    kpi_series_free(&s);
    if (!isfinite(c->slope) || !isfinite(c->rss) || !isfinite(c->syy))
        return KPI_ENUM;
    return KPI_OK;
}

/* v 2^e into *out; 0 when it overflows or loses precision to underflow. */
static int unscale(double v, int e, double *out)
{
    double r = ldexp(v, e);
    if (!isfinite(r) || (v != 0 && fabs(r) < DBL_MIN))
        return 0;
    *out = r;
    return 1;
}

static kpi_status core_pvalue(const ols_core *c, double *p)
{
    double nu = (double)(c->n - 2), se;
    if (c->constant) {
        *p = 1;
        return KPI_OK;
    }
    if (c->rss == 0) {
        *p = c->slope != 0 ? 0 : 1;
        return KPI_OK;
    }
    se = sqrt(c->rss / nu / c->sxx);
    return kpi_ols_t_pvalue(c->slope / se, nu, p);
}

/* ---- public entry points ------------------------------------------------- */

kpi_status kpi_ols_slope(const double *y, const double *x, size_t n,
                         double *slope)
{
    ols_core c;
    kpi_status st;
    *slope = 0;
    st = ols_core_fit(y, x, n, 2, &c);
    if (st != KPI_OK)
        return st;
    if (!unscale(c.slope, c.ey - c.ex, slope)) {
        *slope = 0;
        return KPI_ENUM;
    }
    return KPI_OK;
}

kpi_status kpi_ols_pvalue(const double *y, const double *x, size_t n, double *p)
{
    ols_core c;
    kpi_status st;
    *p = 0;
    st = ols_core_fit(y, x, n, 3, &c);
    if (st != KPI_OK)
        return st;
    st = core_pvalue(&c, p);
    if (st != KPI_OK)
        *p = 0;
    return st;
}

kpi_status kpi_ols_fit(const double *y, const double *x, size_t n,
                       kpi_ols_result *r)
{
    static const kpi_ols_result zero = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    ols_core c;
    kpi_status st;
    double nu, s2, intercept, se_slope, se_int;
    *r = zero;
    st = ols_core_fit(y, x, n, 3, &c);
    if (st != KPI_OK)
        return st;
    nu = (double)(c.n - 2);
    s2 = c.rss / nu;
    intercept = c.ybar - c.slope * c.xbar;
    se_slope = sqrt(s2 / c.sxx);
    se_int = sqrt(s2 * (1.0 / (double)c.n + c.xbar * (c.xbar / c.sxx)));
    st = core_pvalue(&c, &r->pvalue);
    if (st != KPI_OK) {
        *r = zero;
        return st;
    }
    if (!unscale(c.slope, c.ey - c.ex, &r->slope) ||
        !unscale(intercept, c.ey, &r->intercept) ||
        !unscale(se_slope, c.ey - c.ex, &r->se_slope) ||
        !unscale(se_int, c.ey, &r->se_intercept)) {
        *r = zero;
        return KPI_ENUM;
    }
    r->aux_ok = unscale(c.xbar, c.ex, &r->xbar) &&
                unscale(c.sxx, 2 * c.ex, &r->sxx) &&
                unscale(s2, 2 * c.ey, &r->s2);
    if (!r->aux_ok)
        r->xbar = r->sxx = r->s2 = 0;
    if (c.constant || !(c.syy > 0)) {
        r->r2 = 0;
    } else {
        double r2 = c.slope * (c.sxy / c.syy);
        r->r2 = r2 < 0 ? 0 : r2 > 1 ? 1 : r2;
    }
    r->n = c.n;
    return KPI_OK;
}

kpi_status kpi_ols_forecast(const double *y, const double *x, size_t n,
                            double target_x, double conf, int bound,
                            double *out)
{
    ols_core c;
    kpi_status st;
    double x0, yhat;
    *out = 0;
    if (isnan(target_x) || isnan(conf))
        return KPI_EVALUE;
    if (!isfinite(target_x) || !(conf > 0 && conf < 1))
        return KPI_ENUM;
    if (bound < -1 || bound > 1)
        return KPI_ENUM;
    st = ols_core_fit(y, x, n, bound == 0 ? 2 : 3, &c);
    if (st != KPI_OK)
        return st;
    x0 = ldexp(target_x, -c.ex);
    yhat = c.ybar + c.slope * (x0 - c.xbar);
    if (bound != 0) {
        double nu = (double)(c.n - 2), t, s, d, h;
        st = kpi_ols_t_critical(1 - conf, nu, &t);
        if (st != KPI_OK)
            return st;
        s = sqrt(c.rss / nu);
        d = (x0 - c.xbar) / sqrt(c.sxx);
        h = hypot(sqrt(1 + 1.0 / (double)c.n), d);
        yhat += bound * (t * s * h);
    }
    if (!isfinite(yhat) || !unscale(yhat, c.ey, out)) {
        *out = 0;
        return KPI_ENUM;
    }
    return KPI_OK;
}
