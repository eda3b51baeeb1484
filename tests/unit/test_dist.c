/* test_dist.c - the distributions of addin/core/kpi_dist.c.
 *
 * Checks every row of tests/reference/dist.tsv (50-digit mpmath values
 * written by tests/reference/gen_dist.py) with tolerance tiers in units of
 * DBL_EPSILON (relative error |got - want| / |want|; absolute at want = 0):
 *
 *   tier 1,   4 eps: the normal (cdf, upper tail, both quantiles). erfc of
 *                    the C library (glibc: about 1 ulp) with the rounding
 *                    of z / sqrt 2 corrected; the quantile is refined by
 *                    Newton on that tail, so it inherits the same error.
 *   tier 2,  64 eps: Student's t (nu up to 1e12) and the Beta function
 *                    and quantiles for a + b <= 2e4 and tail probabilities
 *                    >= 1e-100. Built on the incomplete Beta function,
 *                    whose factor x^a y^b / B(a, b) goes through exp of a
 *                    sum of Stirling remainders and rlog1 terms (~10
 *                    roundings), and whose continued fraction adds its
 *                    own; the quantile divides the tail's relative error
 *                    by about a (the power of x in the lower tail).
 *   tier 3, 512 eps: Beta quantiles in the asymptotic region (a + b > 2e4,
 *                    a, b up to 2^53) and every Beta quantile of a tail
 *                    below 1e-100. Far tails: x^a is exp(a ln x) with
 *                    a |ln x| up to 690 when pow would leave the normal
 *                    range, so the tail carries ~690 eps. Large a, b: the
 *                    tail is ill-conditioned in x (one ulp of x moves it by
 *                    about sqrt(a+b) 1e-16 relative), so the Newton
 *                    iteration can stop some ulps away; Temme's expansion
 *                    itself is good to a few eps.
 *
 * The measured worst case of each tier is printed. Then hand-written cases:
 * every error path, the edges (infinities, 0 and 1), closed forms, symmetries,
 * and round trips over large parameters. Run from the repository root. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kpi_dist.h"
#include "kpi_test.h"
#include "kpi_tsv.h"

static const double tier_limit[4] = {0, 4, 64, 512};
static double tier_worst[4];
static int tier_rows[4];

static int tier_of(const char *func, double p, double a, double b)
{
    if (!strncmp(func, "norm_", 5))
        return 1;
    if (!strncmp(func, "t_", 2))
        return 2;
    if (!strstr(func, "quantile"))
        return a + b > 2e4 ? 3 : 2;
    return a + b > 2e4 || p < 1e-100 ? 3 : 2;
}

/* dist.tsv: kind func arg1 arg2 arg3 want note */
static void dist_row(char **f)
{
    const char *func = f[1];
    double a1 = tsv_num(f[2]);
    double a2 = strcmp(f[3], "-") ? tsv_num(f[3]) : 0;
    double a3 = strcmp(f[4], "-") ? tsv_num(f[4]) : 0;
    double want = tsv_num(f[5]), got = -1, err;
    kpi_status st = KPI_EVALUE;
    int tier;

    if (!strcmp(func, "norm_cdf"))
        st = kpi_dist_norm_cdf(a1, &got);
    else if (!strcmp(func, "norm_upper"))
        st = kpi_dist_norm_upper(a1, &got);
    else if (!strcmp(func, "norm_quantile"))
        st = kpi_dist_norm_quantile(a1, &got);
    else if (!strcmp(func, "norm_upper_quantile"))
        st = kpi_dist_norm_upper_quantile(a1, &got);
    else if (!strcmp(func, "t_cdf"))
        st = kpi_dist_t_cdf(a1, a2, &got);
    else if (!strcmp(func, "t_upper"))
        st = kpi_dist_t_upper(a1, a2, &got);
    else if (!strcmp(func, "t_quantile"))
        st = kpi_dist_t_quantile(a1, a2, &got);
    else if (!strcmp(func, "t_upper_quantile"))
        st = kpi_dist_t_upper_quantile(a1, a2, &got);
    else if (!strcmp(func, "beta_cdf"))
        st = kpi_dist_beta_cdf(a1, a2, a3, &got);
    else if (!strcmp(func, "beta_upper"))
        st = kpi_dist_beta_upper(a1, a2, a3, &got);
    else if (!strcmp(func, "beta_quantile"))
        st = kpi_dist_beta_quantile(a1, a2, a3, &got);
    else if (!strcmp(func, "beta_upper_quantile"))
        st = kpi_dist_beta_upper_quantile(a1, a2, a3, &got);
    else
        fprintf(stderr, "unknown function '%s'\n", func);
    CHECK_EQ_INT(st, KPI_OK);

    tier = tier_of(func, a1, a2, a3);
    err = want == 0 ? fabs(got) / DBL_EPSILON
                    : fabs(got - want) / fabs(want) / DBL_EPSILON;
    if (!(err <= tier_limit[tier]))
        fprintf(stderr,
                "%s(%.17g, %.17g, %.17g) = %.17g, want %.17g: %.3g eps "
                "(tier %d: %.3g)\n",
                func, a1, a2, a3, got, want, err, tier, tier_limit[tier]);
    CHECK(err <= tier_limit[tier]);
    if (err > tier_worst[tier])
        tier_worst[tier] = err;
    tier_rows[tier]++;
}

/* ---- errors ------------------------------------------------------------- */

static void test_errors(void)
{
    static const double badp[] = {0, 1, -0.5, 1.5, NAN, INFINITY, -INFINITY};
    static const double badpar[] = {0, -1, NAN, INFINITY, -INFINITY};
    double r;
    for (size_t i = 0; i < sizeof badp / sizeof badp[0]; i++) {
        double p = badp[i];
        r = 7;
        CHECK_EQ_INT(kpi_dist_norm_quantile(p, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_norm_upper_quantile(p, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_quantile(p, 5, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_upper_quantile(p, 5, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_critical2(p, 5, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_quantile(p, 2, 3, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_upper_quantile(p, 2, 3, &r), KPI_ENUM);
        CHECK(r == 0);
    }
    for (size_t i = 0; i < sizeof badpar / sizeof badpar[0]; i++) {
        double v = badpar[i];
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_cdf(1, v, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_upper(1, v, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_pvalue2(1, v, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_quantile(0.1, v, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_t_critical2(0.1, v, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_cdf(0.5, v, 2, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_upper(0.5, 2, v, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_quantile(0.5, v, 2, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_upper_quantile(0.5, 2, v, &r), KPI_ENUM);
        CHECK(r == 0);
    }
    /* a + b overflows */
    CHECK_EQ_INT(kpi_dist_beta_quantile(0.5, 1e308, 1e308, &r), KPI_ENUM);
    /* x outside [0, 1] */
    static const double badx[] = {-0.1, 1.1, NAN, INFINITY};
    for (size_t i = 0; i < sizeof badx / sizeof badx[0]; i++) {
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_cdf(badx[i], 2, 3, &r), KPI_ENUM);
        CHECK(r == 0);
        r = 7;
        CHECK_EQ_INT(kpi_dist_beta_upper(badx[i], 2, 3, &r), KPI_ENUM);
        CHECK(r == 0);
    }
    /* NaN where a value is expected */
    r = 7;
    CHECK_EQ_INT(kpi_dist_norm_cdf(NAN, &r), KPI_ENUM);
    CHECK(r == 0);
    r = 7;
    CHECK_EQ_INT(kpi_dist_norm_upper(NAN, &r), KPI_ENUM);
    CHECK(r == 0);
    r = 7;
    CHECK_EQ_INT(kpi_dist_t_cdf(NAN, 3, &r), KPI_ENUM);
    CHECK(r == 0);
    r = 7;
    CHECK_EQ_INT(kpi_dist_t_upper(NAN, 3, &r), KPI_ENUM);
    CHECK(r == 0);
    r = 7;
    CHECK_EQ_INT(kpi_dist_t_pvalue2(NAN, 3, &r), KPI_ENUM);
    CHECK(r == 0);
}

/* ---- edges and closed forms --------------------------------------------- */

static void test_edges(void)
{
    double r;
    CHECK_EQ_INT(kpi_dist_norm_upper(INFINITY, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_norm_upper(-INFINITY, &r), KPI_OK);
    CHECK(r == 1);
    CHECK_EQ_INT(kpi_dist_norm_cdf(-INFINITY, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_norm_cdf(0, &r), KPI_OK);
    CHECK(r == 0.5);
    CHECK_EQ_INT(kpi_dist_norm_upper(40, &r), KPI_OK);
    CHECK(r == 0); /* below the smallest double: 0, not an error */
    CHECK_EQ_INT(kpi_dist_norm_quantile(0.5, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_norm_quantile(4.9e-324, &r), KPI_OK);
    CHECK(r < -38 && r > -39);
    CHECK_EQ_INT(kpi_dist_t_upper(INFINITY, 4, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_t_upper(-INFINITY, 4, &r), KPI_OK);
    CHECK(r == 1);
    CHECK_EQ_INT(kpi_dist_t_cdf(0, 7, &r), KPI_OK);
    CHECK_CLOSE(r, 0.5, 1e-15);
    CHECK_EQ_INT(kpi_dist_t_upper_quantile(0.5, 7, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(1e300, 3, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_beta_cdf(0, 2, 3, &r), KPI_OK);
    CHECK(r == 0);
    CHECK_EQ_INT(kpi_dist_beta_cdf(1, 2, 3, &r), KPI_OK);
    CHECK(r == 1);
    CHECK_EQ_INT(kpi_dist_beta_upper(0, 2, 3, &r), KPI_OK);
    CHECK(r == 1);
    CHECK_EQ_INT(kpi_dist_beta_upper(1, 2, 3, &r), KPI_OK);
    CHECK(r == 0);
    /* closed forms: Beta(1, 1) is uniform, Beta(a, 1) is x^a; Beta(1, b)
     * has upper tail (1-x)^b */
    CHECK_EQ_INT(kpi_dist_beta_quantile(0.3, 1, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 0.3, 4 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_beta_cdf(0.3, 2.5, 1, &r), KPI_OK);
    CHECK_CLOSE(r, pow(0.3, 2.5), 16 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_beta_upper_quantile(0.025, 1, 12, &r), KPI_OK);
    CHECK_CLOSE(r, -expm1(log(0.025) / 12), 16 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_beta_quantile(0.025, 12, 1, &r), KPI_OK);
    CHECK_CLOSE(r, exp(log(0.025) / 12), 16 * DBL_EPSILON);
    /* Cauchy and nu = 2 */
    CHECK_EQ_INT(kpi_dist_t_upper(1, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 0.25, 4 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_t_upper_quantile(0.25, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 1, 4 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_t_critical2(0.9, 1, &r), KPI_OK);
    CHECK_CLOSE(r, tan(M_PI_2 * 0.1), 4 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_t_pvalue2(-2, 2, &r), KPI_OK);
    CHECK_CLOSE(r, 1 - 2 / sqrt(6.0), 8 * DBL_EPSILON);
    /* symmetric Beta: the median is 1/2 */
    CHECK_EQ_INT(kpi_dist_beta_quantile(0.5, 7.5, 7.5, &r), KPI_OK);
    CHECK_CLOSE(r, 0.5, 4 * DBL_EPSILON);
    CHECK_EQ_INT(kpi_dist_beta_quantile(0.5, 3e15, 3e15, &r), KPI_OK);
    CHECK_CLOSE(r, 0.5, 4 * DBL_EPSILON);
}

/* ---- properties over a grid -------------------------------------------- */

/* The quantiles invert the tails, mirror under a <-> b, and the lower and
 * upper forms agree; a, b from 0.5 to 2^53. */
static void test_beta_grid(void)
{
    static const double par[] = {
        0.05, 0.5, 1, 3.5, 40, 150, 1e4, 3e6, 1e9, 1e13, 4503599627370496.0};
    static const double ps[] = {1e-200, 1e-8, 0.0005, 0.2, 0.25, 0.5};
    for (size_t i = 0; i < sizeof par / sizeof par[0]; i++)
        for (size_t j = 0; j < sizeof par / sizeof par[0]; j++)
            for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) {
                double a = par[i], b = par[j], p = ps[k], x, xm, xu, g;
                int f0 = kpi_test_failed;
                CHECK_EQ_INT(kpi_dist_beta_quantile(p, a, b, &x), KPI_OK);
                CHECK(x >= 0 && x <= 1);
                /* mirror: Beta(b, a) upper tail p at 1 - x */
                CHECK_EQ_INT(kpi_dist_beta_upper_quantile(p, b, a, &xm),
                             KPI_OK);
                CHECK_ABS(xm, 1 - x, 4 * DBL_EPSILON);
                /* the upper form at 1 - p is the lower form at p (when
                 * 1 - p is exact) */
                if (1 - (1 - p) == p) {
                    CHECK_EQ_INT(kpi_dist_beta_upper_quantile(1 - p, a, b, &xu),
                                 KPI_OK);
                    CHECK(xu == x);
                }
                /* round trip where the tail is well conditioned in x (x
                 * near 1 has too few digits for the tail: one ulp moves
                 * I_x by about pdf ulp / I_x; a quantile below 1e-290 is
                 * subnormal or 0, e.g. Beta(0.5, b) at 1e-200: 1e-400) */
                if (x >= 1e-290 && x <= 0.5 && a + b < 2e4) {
                    CHECK_EQ_INT(kpi_dist_beta_cdf(x, a, b, &g), KPI_OK);
                    CHECK_CLOSE(g, p, 1e-12);
                }
                if (kpi_test_failed != f0)
                    fprintf(stderr, "  ^ a %g b %g p %g\n", a, b, p);
            }
}

/* The t quantile inverts the tail; cdf and upper tail add to 1. */
static void test_t_grid(void)
{
    static const double nus[] = {1, 2, 3, 4.5, 9, 40, 1e3, 1e5, 1e9, 1e15};
    static const double qs[] = {1e-100, 1e-10, 0.001, 0.05, 0.4};
    for (size_t i = 0; i < sizeof nus / sizeof nus[0]; i++)
        for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
            double nu = nus[i], q = qs[k], t, t2, u, c;
            CHECK_EQ_INT(kpi_dist_t_upper_quantile(q, nu, &t), KPI_OK);
            CHECK(t > 0);
            CHECK_EQ_INT(kpi_dist_t_upper(t, nu, &u), KPI_OK);
            /* one ulp of t moves the tail by about t^2 eps relative (21^2
             * eps at q = 1e-100 and large nu) */
            CHECK_CLOSE(u, q, 4 * DBL_EPSILON * (1 + t * t));
            CHECK_EQ_INT(kpi_dist_t_cdf(-t, nu, &c), KPI_OK);
            CHECK_CLOSE(c, u, 0);
            CHECK_EQ_INT(kpi_dist_t_quantile(q, nu, &t2), KPI_OK);
            CHECK_CLOSE(t2, -t, 0);
            CHECK_EQ_INT(kpi_dist_t_critical2(2 * q, nu, &t2), KPI_OK);
            CHECK_CLOSE(t2, t, 0);
        }
    /* a huge nu is the normal */
    {
        double t, z;
        CHECK_EQ_INT(kpi_dist_t_upper_quantile(0.025, 1e300, &t), KPI_OK);
        CHECK_EQ_INT(kpi_dist_norm_upper_quantile(0.025, &z), KPI_OK);
        CHECK_CLOSE(t, z, 1e-14);
    }
}

int main(void)
{
    int rows = tsv_for_rows("tests/reference/dist.tsv", "kind", 7, dist_row);
    CHECK(rows > 200);
    CHECK(tsv_comment_has("tests/reference/dist.tsv", "gen_dist.py"));
    for (int t = 1; t <= 3; t++) {
        CHECK(tier_rows[t] > 20);
        printf("dist: tier %d (limit %.4g eps): %d rows, worst %.3g eps\n", t,
               tier_limit[t], tier_rows[t], tier_worst[t]);
    }
    test_errors();
    test_edges();
    test_beta_grid();
    test_t_grid();
    return kpi_test_report("dist");
}
