/* test_ols.c - the OLS trend functions (kpi_ols.c).
 *
 * Checks every row of tests/reference/ols.tsv and forecast.tsv (written by
 * tests/reference/gen_rateci_ols.py in exact / 50-digit arithmetic and
 * cross-checked there against statsmodels and scipy.stats.linregress), then
 * hand-written cases: too few points, all years equal, constant series,
 * bad arguments, values near 1e308 and 1e-300, a 1,000,000-point series,
 * and Student's t helpers against closed forms. Run from the repository
 * root. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "kpi_dist.h"
#include "kpi_ols.h"
#include "kpi_test.h"
#include "kpi_tsv.h"

#define REL 1e-9

/* Relative check; a reference of exactly 0 (se and p of a perfect line, R^2
 * of a constant series) is checked with an absolute 1e-12. */
#define CHECK_REF(got, want)                                                   \
    do {                                                                       \
        if ((want) == 0)                                                       \
            CHECK_ABS(got, want, 1e-12);                                       \
        else                                                                   \
            CHECK_CLOSE(got, want, REL);                                       \
    } while (0)

/* ---- the reference tables (read with kpi_tsv.h) ------------------------ */

#define MAXPTS 64

/* Parses a comma-separated list ("nan" allowed) into v; returns the count,
 * or 0 for "-" (no list). */
static size_t parse_points(const char *s, double *v)
{
    size_t n = 0;
    char *end;
    if (strcmp(s, "-") == 0)
        return 0;
    for (;;) {
        if (n == MAXPTS) {
            fprintf(stderr, "list too long in table\n");
            CHECK(0);
            return n;
        }
        v[n++] = strtod(s, &end);
        if (end == s) {
            fprintf(stderr, "bad list in table: '%s'\n", s);
            CHECK(0);
            return n;
        }
        if (*end == '\0')
            return n;
        if (*end != ',') {
            fprintf(stderr, "bad list separator in table: '%s'\n", end);
            CHECK(0);
            return n;
        }
        s = end + 1;
    }
}

/* Reads the years and values columns; *px is NULL for "-" (positions). */
static size_t read_series(const char *years, const char *values, double *x,
                          double *y, const double **px)
{
    size_t nx = parse_points(years, x), ny = parse_points(values, y);
    *px = NULL;
    if (nx != 0) {
        CHECK_EQ_INT(nx, ny);
        *px = x;
    }
    return ny;
}

/* ols.tsv: case years values n slope intercept se_slope se_intercept r2
 * pvalue aux_ok xbar sxx s2 src */
static void ols_row(char **f)
{
    double x[MAXPTS], y[MAXPTS], slope, p;
    const double *px;
    size_t n = read_series(f[1], f[2], x, y, &px);
    kpi_ols_result r;
    CHECK_EQ_INT(kpi_ols_fit(y, px, n, &r), KPI_OK);
    CHECK_EQ_INT(r.n, (size_t)tsv_num(f[3]));
    CHECK_REF(r.slope, tsv_num(f[4]));
    CHECK_REF(r.intercept, tsv_num(f[5]));
    CHECK_REF(r.se_slope, tsv_num(f[6]));
    CHECK_REF(r.se_intercept, tsv_num(f[7]));
    CHECK_REF(r.r2, tsv_num(f[8]));
    CHECK_REF(r.pvalue, tsv_num(f[9]));
    CHECK_EQ_INT(r.aux_ok, (int)tsv_num(f[10]));
    CHECK_REF(r.xbar, tsv_num(f[11]));
    CHECK_REF(r.sxx, tsv_num(f[12]));
    CHECK_REF(r.s2, tsv_num(f[13]));
    /* the single-statistic entry points agree with the full fit */
    CHECK_EQ_INT(kpi_ols_slope(y, px, n, &slope), KPI_OK);
    CHECK_CLOSE(slope, r.slope, 0);
    CHECK_EQ_INT(kpi_ols_pvalue(y, px, n, &p), KPI_OK);
    CHECK_CLOSE(p, r.pvalue, 0);
}

/* forecast.tsv: case years values target conf bound value src */
static void forecast_row(char **f)
{
    double x[MAXPTS], y[MAXPTS], v = -1;
    const double *px;
    size_t n = read_series(f[1], f[2], x, y, &px);
    double want = tsv_num(f[6]);
    CHECK_EQ_INT(kpi_ols_forecast(y, px, n, tsv_num(f[3]), tsv_num(f[4]),
                                  (int)tsv_num(f[5]), &v),
                 KPI_OK);
    CHECK_REF(v, want);
}

/* ---- hand-written cases ---------------------------------------------------
 */

static void check_all_fail(const double *y, const double *x, size_t n,
                           kpi_status st_slope, kpi_status st_fit)
{
    kpi_ols_result r;
    double v = 7;
    r.slope = 7;
    CHECK_EQ_INT(kpi_ols_fit(y, x, n, &r), st_fit);
    if (st_fit != KPI_OK)
        CHECK(r.slope == 0 && r.pvalue == 0 && r.n == 0 && r.s2 == 0);
    CHECK_EQ_INT(kpi_ols_pvalue(y, x, n, &v), st_fit);
    if (st_fit != KPI_OK)
        CHECK(v == 0);
    v = 7;
    CHECK_EQ_INT(kpi_ols_slope(y, x, n, &v), st_slope);
    if (st_slope != KPI_OK)
        CHECK(v == 0);
    v = 7;
    CHECK_EQ_INT(kpi_ols_forecast(y, x, n, 2030, 0.95, 0, &v), st_slope);
    if (st_slope != KPI_OK)
        CHECK(v == 0);
    CHECK_EQ_INT(kpi_ols_forecast(y, x, n, 2030, 0.95, 1, &v), st_fit);
    CHECK_EQ_INT(kpi_ols_forecast(y, x, n, 2030, 0.95, -1, &v), st_fit);
}

static void test_too_few(void)
{
    static const double y1[] = {0.9}, x1[] = {2020};
    static const double y2[] = {0.9, 0.95}, x2[] = {2019, 2020};
    static const double yn[] = {NAN, 0.9, NAN}, xn[] = {2018, NAN, 2020};
    static const double y3[] = {1, 2, NAN}, x3[] = {2019, 2020, 2021};
    double v;
    /* none, one point, only unusable pairs */
    check_all_fail(NULL, NULL, 0, KPI_EDIV0, KPI_EDIV0);
    check_all_fail(y1, x1, 0, KPI_EDIV0, KPI_EDIV0);
    check_all_fail(y1, x1, 1, KPI_EDIV0, KPI_EDIV0);
    check_all_fail(y1, NULL, 1, KPI_EDIV0, KPI_EDIV0);
    check_all_fail(yn, xn, 3, KPI_EDIV0, KPI_EDIV0);
    /* two points: slope and fitted value only */
    check_all_fail(y2, x2, 2, KPI_OK, KPI_EDIV0);
    CHECK_EQ_INT(kpi_ols_slope(y2, x2, 2, &v), KPI_OK);
    CHECK_CLOSE(v, 0.05, 1e-13);
    CHECK_EQ_INT(kpi_ols_forecast(y2, x2, 2, 2021, 0.95, 0, &v), KPI_OK);
    CHECK_CLOSE(v, 1.0, 1e-13);
    /* three cells, one empty: two usable points */
    check_all_fail(y3, x3, 3, KPI_OK, KPI_EDIV0);
    CHECK_EQ_INT(kpi_ols_slope(y3, x3, 3, &v), KPI_OK);
    CHECK_CLOSE(v, 1, 1e-15);
    CHECK_EQ_INT(kpi_ols_slope(y3, NULL, 3, &v), KPI_OK);
    CHECK_CLOSE(v, 1, 1e-15);
}

static void test_degenerate(void)
{
    static const double y[] = {0.5, 0.6, 0.7, 0.8, 0.9};
    static const double xsame[] = {2020, 2020, 2020, 2020, 2020};
    static const double yc[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    static const double yz[] = {0, 0, 0, 0};
    static const double xd[] = {2015, 2015, 2016, 2016};
    kpi_ols_result r;
    double v;
    /* all years equal (with and without equal values): no slope */
    check_all_fail(y, xsame, 5, KPI_EDIV0, KPI_EDIV0);
    check_all_fail(yc, xsame, 5, KPI_EDIV0, KPI_EDIV0);
    /* a constant series of a value whose sum does not round-trip (0.1):
     * slope exactly 0, se 0, R^2 0, p 1, forecasts = the value */
    CHECK_EQ_INT(kpi_ols_fit(yc, NULL, 7, &r), KPI_OK);
    CHECK(r.slope == 0 && r.se_slope == 0 && r.se_intercept == 0);
    CHECK(r.intercept == 0.1 && r.r2 == 0 && r.pvalue == 1 && r.s2 == 0);
    CHECK_EQ_INT(r.n, 7);
    CHECK_EQ_INT(kpi_ols_forecast(yc, NULL, 7, 100, 0.99, 1, &v), KPI_OK);
    CHECK(v == 0.1);
    /* all zeros, with duplicate years (ties everywhere) */
    CHECK_EQ_INT(kpi_ols_fit(yz, xd, 4, &r), KPI_OK);
    CHECK(r.slope == 0 && r.intercept == 0 && r.pvalue == 1 && r.r2 == 0);
    /* a perfect line: se 0, p 0, R^2 1 */
    {
        static const double yl[] = {1, 3, 5, 7, 9};
        CHECK_EQ_INT(kpi_ols_fit(yl, NULL, 5, &r), KPI_OK);
        CHECK(r.slope == 2 && r.intercept == -1);
        CHECK(r.se_slope == 0 && r.pvalue == 0 && r.r2 == 1);
    }
}

static void test_bad_args(void)
{
    static const double y[] = {0.5, 0.62, 0.7, 0.81, 0.9};
    static const double x[] = {2016, 2017, 2018, 2019, 2020};
    static const double yinf[] = {0.5, INFINITY, 0.7};
    static const double xinf[] = {2016, -INFINITY, 2018};
    double v = 7;
    kpi_ols_result r;
    /* bounds other than -1, 0, 1 */
    CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, 0.95, 2, &v), KPI_ENUM);
    CHECK(v == 0);
    CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, 0.95, -2, &v), KPI_ENUM);
    CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, 0.95, 100, &v), KPI_ENUM);
    /* confidence outside (0, 1), checked for every bound */
    for (int b = -1; b <= 1; b++) {
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, 0, b, &v), KPI_ENUM);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, 1, b, &v), KPI_ENUM);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, 1.5, b, &v), KPI_ENUM);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, -0.1, b, &v), KPI_ENUM);
        /* NaN is #NUM! throughout the core (kpi_check.h) */
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2021, NAN, b, &v), KPI_ENUM);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, NAN, 0.95, b, &v), KPI_ENUM);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, INFINITY, 0.95, b, &v),
                     KPI_ENUM);
    }
    /* argument errors win over a too-short series */
    CHECK_EQ_INT(kpi_ols_forecast(y, x, 1, 2021, 0.95, 3, &v), KPI_ENUM);
    /* infinite data */
    check_all_fail(yinf, x, 3, KPI_ENUM, KPI_ENUM);
    check_all_fail(y, xinf, 3, KPI_ENUM, KPI_ENUM);
    /* y NULL with points */
    CHECK_EQ_INT(kpi_ols_fit(NULL, x, 3, &r), KPI_EVALUE);
    /* bounds order: lower < fitted < upper, wider with confidence */
    {
        double lo90, lo99, f, hi90, hi99;
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2022, 0.90, -1, &lo90), KPI_OK);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2022, 0.99, -1, &lo99), KPI_OK);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2022, 0.95, 0, &f), KPI_OK);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2022, 0.90, 1, &hi90), KPI_OK);
        CHECK_EQ_INT(kpi_ols_forecast(y, x, 5, 2022, 0.99, 1, &hi99), KPI_OK);
        CHECK(lo99 < lo90 && lo90 < f && f < hi90 && hi90 < hi99);
        CHECK_CLOSE(f - lo90, hi90 - f, 1e-12);
    }
}

/* Values near the ends of the double range: the right answer or KPI_ENUM,
 * never inf or NaN. */
static void test_extremes(void)
{
    kpi_ols_result r;
    double v, slope;
    /* y = 1e307 * year exactly: a perfect line whose sums of squares
     * would overflow without scaling */
    {
        double y[] = {1e307, 2e307, 3e307, 4e307, 5e307};
        CHECK_EQ_INT(kpi_ols_fit(y, NULL, 5, &r), KPI_OK);
        CHECK_CLOSE(r.slope, 1e307, 1e-15);
        CHECK_ABS(r.intercept, 0, 1e292);
        /* the decimal multiples of 1e307 are not exactly collinear:
         * rounding-level residuals, a vanishing p-value, and a residual
         * variance (~1e581) that cannot be reported */
        CHECK(r.pvalue < 1e-20 && r.r2 > 1 - 1e-15);
        CHECK(r.aux_ok == 0 && r.s2 == 0 && r.sxx == 0 && r.xbar == 0);
        CHECK_EQ_INT(kpi_ols_forecast(y, NULL, 5, 6, 0.95, 0, &v), KPI_OK);
        CHECK_CLOSE(v, 6e307, 1e-15);
        /* 20 * 1e307 overflows: #NUM!, not inf */
        CHECK_EQ_INT(kpi_ols_forecast(y, NULL, 5, 20, 0.95, 0, &v), KPI_ENUM);
        CHECK(v == 0);
    }
    /* noisy values of +-1e308: the residual variance s2 (~1e616) cannot be
     * a double (aux_ok 0), but slope, intercept, their standard errors
     * (~1e308 / sqrt(Sxx)), R^2 and p can */
    {
        double y[] = {1e308, -1e308, 1.7e308, -0.5e308, 1.5e308, 1.2e308};
        double p;
        CHECK_EQ_INT(kpi_ols_fit(y, NULL, 6, &r), KPI_OK);
        CHECK(r.aux_ok == 0 && r.s2 == 0);
        CHECK_CLOSE(r.slope, 1.8e307, 1e-13);
        /* intercept = ybar - slope * xbar = 0.65e308 - 3.5 * 0.18e308 */
        CHECK_CLOSE(r.intercept, 0.02e308, 1e-12);
        CHECK(isfinite(r.se_slope) && r.se_slope > 1e307);
        CHECK(isfinite(r.se_intercept) && r.se_intercept > r.se_slope);
        CHECK(r.r2 > 0 && r.r2 < 1 && r.pvalue > 0 && r.pvalue < 1);
        CHECK_EQ_INT(kpi_ols_slope(y, NULL, 6, &slope), KPI_OK);
        /* exact: Sxy / Sxx with x = 1..6, xbar 3.5, Sxx 17.5:
         * Sxy = 1e308 * (-2.5 + 1.5 - 0.85 - 0.25 + 2.25 + 3) = 3.15e308,
         * slope = 0.18e308 */
        CHECK_CLOSE(slope, 1.8e307, 1e-13);
        CHECK_EQ_INT(kpi_ols_pvalue(y, NULL, 6, &p), KPI_OK);
        CHECK(p > 0 && p < 1);
        CHECK_EQ_INT(kpi_ols_forecast(y, NULL, 6, 7, 0.95, 0, &v), KPI_OK);
        CHECK(isfinite(v));
        CHECK_EQ_INT(kpi_ols_forecast(y, NULL, 6, 7, 0.95, 1, &v), KPI_ENUM);
    }
    /* years of +-1e308: Sxx overflows (full fit #NUM!), the slope does not */
    {
        double y[] = {1, 2, 7};
        double x[] = {-1e308, 0, 1e308};
        CHECK_EQ_INT(kpi_ols_fit(y, x, 3, &r), KPI_ENUM);
        CHECK_EQ_INT(kpi_ols_slope(y, x, 3, &slope), KPI_OK);
        CHECK_CLOSE(slope, 3e-308, 1e-13); /* 6e308 / 2e616 */
    }
    /* a slope that would underflow below DBL_MIN: #NUM! */
    {
        double y[] = {1e-300, 2e-300, 4e-300};
        double x[] = {-1e300, 0, 1e300};
        CHECK_EQ_INT(kpi_ols_slope(y, x, 3, &slope), KPI_ENUM);
        CHECK(slope == 0);
    }
    /* one huge outlier among small values: exact answer */
    {
        double y[] = {1, 2, 1e300, 3};
        CHECK_EQ_INT(kpi_ols_slope(y, NULL, 4, &slope), KPI_OK);
        /* Sxy = 1e300 * (3 - 2.5) + small; Sxx = 5 */
        CHECK_CLOSE(slope, 1e299, 1e-13);
    }
    /* DBL_MAX everywhere: constant */
    {
        double y[] = {DBL_MAX, DBL_MAX, DBL_MAX};
        CHECK_EQ_INT(kpi_ols_fit(y, NULL, 3, &r), KPI_OK);
        CHECK(r.slope == 0 && r.intercept == DBL_MAX && r.pvalue == 1);
    }
    /* subnormal data: right answer (scaled), or #NUM! for the results that
     * would be subnormal */
    {
        double y[] = {4e-320, 8e-320, 1.2e-319};
        CHECK_EQ_INT(kpi_ols_slope(y, NULL, 3, &slope), KPI_ENUM);
        double x[] = {1e-310, 2e-310, 3e-310};
        CHECK_EQ_INT(kpi_ols_slope(y, x, 3, &slope), KPI_OK);
        CHECK_CLOSE(slope, 4e-320 / 1e-310, 1e-3); /* inputs are subnormal */
    }
}

/* A million points: y = 2.5 x - 7 + e, e = +0.25 at even x, -0.25 at odd x.
 * Exactly: slope = 2.5 + 6c / (n^2 - 1) with c = 0.25 (n even), intercept
 * = -7 - 6c/(n^2-1) * (n+1)/2. */
static void test_million(void)
{
    const size_t n = 1000000;
    double *y = malloc(n * sizeof *y), *x = malloc(n * sizeof *x);
    kpi_ols_result r;
    double slope, v;
    double dn = (double)n, c = 0.25;
    double want_slope = 2.5 + 6 * c / (dn * dn - 1);
    double want_int = -7 - 6 * c / (dn * dn - 1) * (dn + 1) / 2;
    CHECK(y != NULL && x != NULL);
    if (!y || !x) {
        free(y);
        free(x);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double xi = (double)(i + 1);
        y[i] = 2.5 * xi - 7 + ((i + 1) % 2 == 0 ? c : -c);
        x[i] = xi;
    }
    CHECK_EQ_INT(kpi_ols_fit(y, NULL, n, &r), KPI_OK);
    CHECK_EQ_INT(r.n, n);
    CHECK_EQ_INT(r.aux_ok, 1);
    CHECK_CLOSE(r.xbar, (dn + 1) / 2, 1e-15);
    CHECK_CLOSE(r.sxx, dn * (dn * dn - 1) / 12, 1e-13);
    CHECK_CLOSE(r.slope, want_slope, 1e-13);
    /* ybar ~ 1.25e6 alone carries ~1.4e-10 of rounding */
    CHECK_CLOSE(r.intercept, want_int, 1e-10);
    CHECK(r.pvalue == 0);
    CHECK(r.r2 > 0.999999999 && r.r2 <= 1);
    /* residual variance: sum of (e - slope change)^2 ~ n c^2 / (n - 2) */
    CHECK_CLOSE(r.s2, c * c * dn / (dn - 2), 1e-6);
    CHECK_EQ_INT(kpi_ols_slope(y, x, n, &slope), KPI_OK);
    CHECK_CLOSE(slope, want_slope, 1e-13);
    CHECK_EQ_INT(kpi_ols_forecast(y, x, n, dn + 1, 0.95, 0, &v), KPI_OK);
    CHECK_CLOSE(v, want_int + want_slope * (dn + 1), 1e-12);
    CHECK_EQ_INT(kpi_ols_forecast(y, x, n, dn + 1, 0.95, 1, &v), KPI_OK);
    /* t(1e6 df) ~ 1.959966, s ~ 0.25: the half-width is ~0.49 */
    CHECK_CLOSE(v - (want_int + want_slope * (dn + 1)), 1.959966 * 0.25, 1e-5);
    /* the same series reversed in the range: same fit */
    for (size_t i = 0; i < n / 2; i++) {
        double t = y[i];
        y[i] = y[n - 1 - i];
        y[n - 1 - i] = t;
        t = x[i];
        x[i] = x[n - 1 - i];
        x[n - 1 - i] = t;
    }
    CHECK_EQ_INT(kpi_ols_slope(y, x, n, &slope), KPI_OK);
    CHECK_CLOSE(slope, want_slope, 1e-13);
    free(y);
    free(x);
}

/* Student's t as the trend uses it (kpi_dist's two-sided p-value and
 * critical value) against closed forms: nu = 1 (Cauchy) and nu = 2. */
static void test_student(void)
{
    static const double alphas[] = {0.5, 0.2, 0.1, 0.05, 0.01, 1e-6};
    static const double ts[] = {0, 0.1, 0.5, 0.99, 1, 2.5, 10, 1e5};
    double t, p;
    for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++) {
        double a = alphas[i];
        CHECK_EQ_INT(kpi_dist_t_critical2(a, 1, &t), KPI_OK);
        CHECK_CLOSE(t, 1 / tan(M_PI * a / 2), 1e-12);
        CHECK_EQ_INT(kpi_dist_t_critical2(a, 2, &t), KPI_OK);
        /* nu = 2: P(|T| > t) = 1 - t / sqrt(2 + t^2) */
        CHECK_CLOSE(t, (1 - a) * sqrt(2 / (a * (2 - a))), 1e-12);
        CHECK_EQ_INT(kpi_dist_t_critical2(a, 1e6, &t), KPI_OK);
        CHECK(t > 0 && isfinite(t));
        /* the iterative solver round-trips with the tail function */
        for (double nu = 3; nu < 2e3; nu *= 3.7) {
            CHECK_EQ_INT(kpi_dist_t_critical2(a, nu, &t), KPI_OK);
            CHECK_EQ_INT(kpi_dist_t_pvalue2(t, nu, &p), KPI_OK);
            CHECK_CLOSE(p, a, 1e-13);
        }
    }
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        double tt = ts[i];
        CHECK_EQ_INT(kpi_dist_t_pvalue2(tt, 1, &p), KPI_OK);
        CHECK_CLOSE(p, 2 * atan2(1, tt) / M_PI, 1e-12);
        CHECK_EQ_INT(kpi_dist_t_pvalue2(-tt, 2, &p), KPI_OK);
        {
            double s = sqrt(2 + tt * tt); /* 1 - t/s without cancellation */
            CHECK_CLOSE(p, 2 / (s * (s + tt)), 1e-12);
        }
    }
    /* large degrees of freedom, p near 1 and small (mpmath, 40 digits) */
    {
        static const double tp[][3] = {
            {1e-3, 1e6, 0.9992021157716491},  {1e-6, 1e4, 0.9999992021353861},
            {0.3, 1e6, 0.7641772179789942},   {0.9, 34, 0.3744508630615178},
            {3.0, 1e6, 0.002699862541421797}, {0.05, 5, 0.9620582999708157},
        };
        for (size_t i = 0; i < sizeof tp / sizeof tp[0]; i++) {
            CHECK_EQ_INT(kpi_dist_t_pvalue2(tp[i][0], tp[i][1], &p), KPI_OK);
            /* the tolerance the test had with GSL; kpi_dist is tighter */
            CHECK_CLOSE(p, tp[i][2], tp[i][1] > 1e4 ? 1e-10 : 1e-12);
        }
    }
    CHECK_EQ_INT(kpi_dist_t_pvalue2(INFINITY, 5, &p), KPI_OK);
    CHECK(p == 0);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(1e200, 5, &p), KPI_OK);
    CHECK(p == 0);
    /* nu = 1 (three points): t^2 overflows but p = 2 / (pi t) does not */
    CHECK_EQ_INT(kpi_dist_t_pvalue2(1e200, 1, &p), KPI_OK);
    CHECK_CLOSE(p, M_2_PI * 1e-200, 1e-15);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(-1e300, 1, &p), KPI_OK);
    CHECK_CLOSE(p, M_2_PI * 1e-300, 1e-15);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(1e100, 2, &p), KPI_OK);
    CHECK_CLOSE(p, 1e-200, 1e-15);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(NAN, 5, &p), KPI_ENUM);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(1, 0, &p), KPI_ENUM);
    CHECK_EQ_INT(kpi_dist_t_critical2(0, 5, &t), KPI_ENUM);
    CHECK_EQ_INT(kpi_dist_t_critical2(1, 5, &t), KPI_ENUM);
    CHECK_EQ_INT(kpi_dist_t_critical2(0.05, -1, &t), KPI_ENUM);
}

int main(void)
{
    int rows;
    gsl_set_error_handler_off();

    rows = tsv_for_rows("tests/reference/ols.tsv", "case", 15, ols_row);
    CHECK(rows > 0);
    rows =
        tsv_for_rows("tests/reference/forecast.tsv", "case", 8, forecast_row);
    CHECK(rows > 0);

    test_too_few();
    test_degenerate();
    test_bad_args();
    test_extremes();
    test_million();
    test_student();
    return kpi_test_report("ols");
}
