/* kpi_ols.c - ordinary least squares trend; see kpi_ols.h.
 *
 * The fit is the two-pass centred computation (means refined by a second
 * pass, compensated sums), on data scaled by powers of two so that no sum
 * of squares can overflow or underflow: x = x' 2^ex, y = y' 2^ey with
 * |x'|, |y'| < 1. Results are scaled back at the end and must be normal
 * doubles. Student's t tail and quantile come from kpi_dist
 * (gsl_cdf_tdist_Pinv is only good to about 3e-10 for small degrees of
 * freedom and reports no status). */
#include "kpi_ols.h"
#include "kpi_check.h"
#include "kpi_dist.h"
#include "kpi_ksum.h"

#include <float.h>
#include <math.h>

#include "kpi_series.h"

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
    return kpi_dist_t_pvalue2(c->slope / se, nu, p);
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
    if (!isfinite(target_x) || !kpi_is_level(conf))
        return KPI_ENUM; /* NaN included */
    if (bound < -1 || bound > 1)
        return KPI_ENUM;
    st = ols_core_fit(y, x, n, bound == 0 ? 2 : 3, &c);
    if (st != KPI_OK)
        return st;
    x0 = ldexp(target_x, -c.ex);
    yhat = c.ybar + c.slope * (x0 - c.xbar);
    if (bound != 0) {
        double nu = (double)(c.n - 2), t, s, d, h;
        st = kpi_dist_t_critical2(1 - conf, nu, &t);
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
