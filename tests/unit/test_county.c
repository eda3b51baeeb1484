/* test_county.c - FUNNELLIMITS, FUNNELZ, RATESHRINK (kpi_funnel.c),
 * POISSONTEST, COUNTCI (kpi_count.c) and the binomial and Gamma routines
 * of kpi_dist.c they use.
 *
 * Checks every row of tests/reference/county.tsv (written by
 * tests/reference/gen_county.py: 50-digit mpmath or exact rational values,
 * each checked there against SciPy) with tolerance tiers in units of
 * DBL_EPSILON (relative error; absolute 1e-300 at want = 0):
 *
 *   tier 1,    16 eps: RATESHRINK. A handful of compensated sums and one
 *                      division: the moment fit rounds a few times.
 *   tier 2,   128 eps: FUNNELLIMITS, FUNNELZ and POISSONTEST. Their tails
 *                      come from the incomplete Beta function (64 eps in
 *                      test_dist's tier 2), the limit adds alpha = (a
 *                      difference of tails) / P(X = r), which can lose
 *                      digits when P(X <= r) is close to prob (the limit
 *                      stays within eps of r/n there); z = Phi^-1(tail)
 *                      divides the tail's relative error by about z^2.
 *   tier 3,    64 eps: COUNTCI. Its Gamma quantiles come from GSL's
 *                      incomplete Gamma function (series, continued
 *                      fraction, Temme's expansion; some 1e-15 relative
 *                      where used here) through a Newton iteration on the
 *                      logarithm of the tail, which adds a few roundings.
 *
 * Then hand-written cases: the definitions behind the table (a limit is
 * crossed exactly when the exact tail says so; FUNNELZ against the exact
 * test; the binomial quantile's definition), symmetries, the dist
 * routines' error paths, and every error path of the five functions. Run
 * from the repository root. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "kpi_count.h"
#include "kpi_dist.h"
#include "kpi_funnel.h"
#include "kpi_test.h"
#include "kpi_tsv.h"

static const double tier_limit[4] = {0, 16, 128, 64};
static double tier_worst[4];
static int tier_rows[4];

/* z near 0: absolute (z = Phi^-1(tail) with the tail near 1/2 carries an
 * absolute error), so its error is measured against max(|z|, 1). */
static void check_tier(int tier, double got, double want, const char *what,
                       int absolute_near_0)
{
    double err;
    if (absolute_near_0 && fabs(want) < 1)
        err = fabs(got - want) / DBL_EPSILON;
    else if (want == 0)
        err = fabs(got) <= 1e-300 ? 0 : INFINITY;
    else
        err = fabs(got - want) / fabs(want) / DBL_EPSILON;
    tier_rows[tier]++;
    if (err > tier_worst[tier])
        tier_worst[tier] = err;
    if (err <= tier_limit[tier]) {
        kpi_test_passed++;
    } else {
        KPI_FAIL_("%s = %.17g, want %.17g (%.3g eps, tier %d)", what, got, want,
                  err, tier);
    }
}

static int parse_side(const char *s, kpi_funnel_side *side)
{
    return kpi_funnel_side_parse(s, side) == KPI_OK;
}

/* county.tsv: func a1 a2 a3 a4 status want1 want2 note */
static void county_row(char **f)
{
    const char *func = f[0];
    int want_st = status_of(f[5]);
    kpi_status st = KPI_ENOMEM;
    double g1 = 0, g2 = 0;
    int tier = 2, two = 0;

    CHECK(want_st >= 0);
    if (!strcmp(func, "funnellimits")) {
        kpi_funnel_side side = KPI_FUNNEL_UPPER;
        CHECK(parse_side(f[4], &side));
        st = kpi_funnel_limit(tsv_num(f[1]), tsv_num(f[2]), tsv_num(f[3]), side,
                              &g1);
    } else if (!strcmp(func, "funnelz")) {
        st = kpi_funnel_z(tsv_num(f[1]), tsv_num(f[2]), tsv_num(f[3]), &g1);
    } else if (!strcmp(func, "poissontest")) {
        st = kpi_poissontest(tsv_num(f[1]), tsv_num(f[2]), tsv_num(f[3]),
                             tsv_num(f[4]), &g1);
    } else if (!strcmp(func, "countci")) {
        st = kpi_countci(tsv_num(f[1]), tsv_num(f[2]), &g1, &g2);
        tier = 3;
        two = 1;
    } else if (!strcmp(func, "rateshrink")) {
        dlist xs, ns;
        kpi_shrink_prior pr;
        parse_list(f[3], &xs);
        parse_list(f[4], &ns);
        CHECK_EQ_INT((int)xs.n, (int)ns.n);
        st = kpi_shrink_fit(xs.v, ns.v, xs.n < ns.n ? xs.n : ns.n, &pr);
        if (st == KPI_OK)
            st = kpi_shrink(tsv_num(f[1]), tsv_num(f[2]), &pr, &g1);
        free(xs.v);
        free(ns.v);
        tier = 1;
    } else {
        fprintf(stderr, "unknown func %s\n", func);
        CHECK(0);
        return;
    }
    CHECK_EQ_INT((int)st, want_st);
    if (want_st != KPI_OK) {
        CHECK(g1 == 0); /* out-parameters are 0 on an error */
        if (two)
            CHECK(g2 == 0);
        return;
    }
    check_tier(tier, g1, tsv_num(f[6]), func, !strcmp(func, "funnelz"));
    if (two)
        check_tier(tier, g2, tsv_num(f[7]), func, 0);
}

/* ---- the definitions behind the table ----------------------------------- */

/* A unit is above the upper limit exactly when P(X > x) < (1 - level)/2,
 * below the lower one exactly when P(X <= x) < (1 - level)/2, and FUNNELZ
 * says the same as the equal-tailed exact test. Every x of small n. */
static void test_crossing(void)
{
    static const double p0s[] = {0.02, 0.05, 0.0833, 0.3, 0.5, 0.9118, 0.95};
    static const double levels[] = {0.8, 0.95, 0.998};
    int mismatches = 0, cases = 0;
    for (double n = 1; n <= 60; n++) {
        for (size_t i = 0; i < sizeof p0s / sizeof p0s[0]; i++) {
            for (size_t j = 0; j < 3; j++) {
                double p0 = p0s[i], lv = levels[j], tail = 0.5 * (1 - lv);
                double up, lo, zc;
                CHECK(kpi_funnel_limit(n, p0, lv, KPI_FUNNEL_UPPER, &up) ==
                      KPI_OK);
                CHECK(kpi_funnel_limit(n, p0, lv, KPI_FUNNEL_LOWER, &lo) ==
                      KPI_OK);
                CHECK(lo <= up);
                CHECK(kpi_dist_norm_upper_quantile(tail, &zc) == KPI_OK);
                for (double x = 0; x <= n; x++) {
                    double gt, le, ge, z;
                    /* P(X > x), P(X <= x), P(X >= x) */
                    kpi_dist_binom_upper(x, n, p0, &gt);
                    kpi_dist_binom_cdf(x, n, p0, &le);
                    kpi_dist_binom_upper(x - 1, n, p0, &ge);
                    CHECK(kpi_funnel_z(x, n, p0, &z) == KPI_OK);
                    cases++;
                    /* ties within rounding are not decided here */
                    if (fabs(gt - tail) > 1e-12 && fabs(le - tail) > 1e-12 &&
                        fabs(ge - tail) > 1e-12) {
                        /* a limit below 0 is shown as 0: a unit at 0 is
                         * not above it (the unclipped one would be) */
                        int clipped = up == 0 && x == 0;
                        int m = (!clipped && (x / n > up) != (gt < tail)) +
                                ((x / n < lo) != (le < tail)) +
                                ((z > zc) != (ge < tail)) +
                                ((z < -zc) != (le < tail));
                        if (m)
                            fprintf(stderr,
                                    "crossing: x=%g n=%g p0=%g level=%g: "
                                    "lo %.17g up %.17g z %.17g\n",
                                    x, n, p0, lv, lo, up, z);
                        mismatches += m;
                    }
                }
            }
        }
    }
    CHECK(cases > 10000);
    CHECK_EQ_INT(mismatches, 0);
}

/* Limits: monotone in level, p0 = 0 and 1, the worked example. */
static void test_limits(void)
{
    double a, b, c;
    /* n = 1, p0 = 0.05, 95%: r = 1, alpha = 0.025 / 0.05: 0.5 */
    CHECK(kpi_funnel_limit(1, 0.05, 0.95, KPI_FUNNEL_UPPER, &a) == KPI_OK);
    CHECK_CLOSE(a, 0.5, 4 * DBL_EPSILON);
    /* p0 = 0: both limits 0; p0 = 1: (n - tail) / n and (n - 1 + tail)/n */
    CHECK(kpi_funnel_limit(10, 0, 0.95, KPI_FUNNEL_UPPER, &a) == KPI_OK);
    CHECK(a == 0);
    CHECK(kpi_funnel_limit(10, 0, 0.95, KPI_FUNNEL_LOWER, &a) == KPI_OK);
    CHECK(a == 0);
    CHECK(kpi_funnel_limit(10, 1, 0.95, KPI_FUNNEL_UPPER, &a) == KPI_OK);
    CHECK_CLOSE(a, (10 - 0.025) / 10, 8 * DBL_EPSILON);
    CHECK(kpi_funnel_limit(10, 1, 0.95, KPI_FUNNEL_LOWER, &a) == KPI_OK);
    CHECK_CLOSE(a, (9 + 0.025) / 10, 8 * DBL_EPSILON);
    /* wider with the level */
    for (double n = 1; n < 200; n += 7) {
        CHECK(kpi_funnel_limit(n, 0.1, 0.95, KPI_FUNNEL_UPPER, &a) == KPI_OK);
        CHECK(kpi_funnel_limit(n, 0.1, 0.998, KPI_FUNNEL_UPPER, &b) == KPI_OK);
        CHECK(b >= a);
        CHECK(kpi_funnel_limit(n, 0.1, 0.998, KPI_FUNNEL_LOWER, &c) == KPI_OK);
        CHECK(c <= a);
    }
    /* large n: the limits close in on p0 like the normal ones */
    CHECK(kpi_funnel_limit(9007199254740992.0, 0.05, 0.95, KPI_FUNNEL_UPPER,
                           &a) == KPI_OK);
    CHECK_CLOSE(a, 0.05 + 1.959963984540054 * sqrt(0.05 * 0.95 / 9.007e15),
                1e-9);
    /* the side option */
    kpi_funnel_side s = KPI_FUNNEL_LOWER;
    /* no default in the core (the binder's "upper") */
    CHECK(kpi_funnel_side_parse(NULL, &s) == KPI_EVALUE &&
          s == KPI_FUNNEL_LOWER);
    CHECK(kpi_funnel_side_parse("", &s) == KPI_EVALUE && s == KPI_FUNNEL_LOWER);
    CHECK(kpi_funnel_side_parse(" ", &s) == KPI_EVALUE &&
          s == KPI_FUNNEL_LOWER);
    CHECK(kpi_funnel_side_parse(" Lower ", &s) == KPI_OK &&
          s == KPI_FUNNEL_LOWER);
    CHECK(kpi_funnel_side_parse("UPPER", &s) == KPI_OK &&
          s == KPI_FUNNEL_UPPER);
    CHECK(kpi_funnel_side_parse("both", &s) == KPI_EVALUE &&
          s == KPI_FUNNEL_UPPER);
    CHECK(kpi_funnel_limit(10, 0.1, 0.95, (kpi_funnel_side)7, &a) ==
              KPI_EVALUE &&
          a == 0);
}

/* FUNNELZ: the caps, sign and a far tail. */
static void test_z(void)
{
    double z;
    CHECK(kpi_funnel_z(1, 10, 0, &z) == KPI_OK && z == KPI_FUNNEL_Z_MAX);
    CHECK(kpi_funnel_z(9, 10, 1, &z) == KPI_OK && z == -KPI_FUNNEL_Z_MAX);
    CHECK(kpi_funnel_z(0, 10, 0, &z) == KPI_OK && z == 0);
    CHECK(kpi_funnel_z(10, 10, 1, &z) == KPI_OK && z == 0);
    /* P(X >= 100000) = 2^-100000: below every double */
    CHECK(kpi_funnel_z(100000, 100000, 0.5, &z) == KPI_OK &&
          z == KPI_FUNNEL_Z_MAX);
    CHECK(kpi_funnel_z(0, 100000, 0.5, &z) == KPI_OK && z == -KPI_FUNNEL_Z_MAX);
    /* P(X >= 1000) = 2^-1000 = 9.33e-302: z = 37.0... */
    CHECK(kpi_funnel_z(1000, 1000, 0.5, &z) == KPI_OK);
    CHECK(z > 36.9 && z < 37.2);
    /* a subnormal tail 2^-1070 still gives a finite z below the cap */
    CHECK(kpi_funnel_z(1070, 1070, 0.5, &z) == KPI_OK);
    CHECK(z > 37 && z < KPI_FUNNEL_Z_MAX);
    /* mirror: x of n at p0 against n - x at 1 - p0 */
    for (double x = 0; x <= 20; x++) {
        double z1, z2;
        CHECK(kpi_funnel_z(x, 20, 0.25, &z1) == KPI_OK);
        CHECK(kpi_funnel_z(20 - x, 20, 0.75, &z2) == KPI_OK);
        CHECK_CLOSE(z1, -z2, 1e-13);
    }
}

/* Binomial routines: definitions, sums, errors. */
static void test_binom(void)
{
    double v, s = 0, r, lo, up;
    for (double k = 0; k <= 30; k++) {
        CHECK(kpi_dist_binom_pmf(k, 30, 0.3, &v) == KPI_OK);
        s += v;
    }
    CHECK_CLOSE(s, 1, 1e-14);
    CHECK(kpi_dist_binom_pmf(-1, 30, 0.3, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_binom_pmf(31, 30, 0.3, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_binom_pmf(0, 30, 0, &v) == KPI_OK && v == 1);
    CHECK(kpi_dist_binom_pmf(30, 30, 1, &v) == KPI_OK && v == 1);
    CHECK(kpi_dist_binom_pmf(3, 30, 1, &v) == KPI_OK && v == 0);
    CHECK_CLOSE((kpi_dist_binom_pmf(2, 4, 0.5, &v), v), 0.375, 4e-16);
    CHECK(kpi_dist_binom_cdf(-1, 5, 0.5, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_binom_upper(5, 5, 0.5, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_binom_cdf(2, 5, 1, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_binom_cdf(0, 5, 0, &v) == KPI_OK && v == 1);
    /* quantile: the smallest r with P(X <= r) >= prob, for many prob */
    for (double n = 1; n <= 200; n += 13) {
        for (double prob = 0.001; prob < 1; prob += 0.0613) {
            CHECK(kpi_dist_binom_quantile(prob, n, 0.37, &r) == KPI_OK);
            kpi_dist_binom_cdf(r, n, 0.37, &lo);
            kpi_dist_binom_cdf(r - 1, n, 0.37, &up);
            CHECK(lo >= prob && up < prob);
            CHECK(kpi_dist_binom_upper_quantile(1 - prob, n, 0.37, &v) ==
                  KPI_OK);
            CHECK(fabs(v - r) <= 1); /* 1 - prob rounded */
        }
    }
    CHECK(kpi_dist_binom_quantile(0.5, 1e15, 0.5, &r) == KPI_OK);
    CHECK(fabs(r - 5e14) <= 1);
    /* errors: KPI_ENUM, result 0 */
    CHECK(kpi_dist_binom_cdf(1.5, 5, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_cdf(1, 5.5, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_cdf(1, -5, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_cdf(1, 5, 1.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_upper(NAN, 5, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_pmf(1, 5, NAN, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_pmf(1, 1e16, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_quantile(0, 5, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_quantile(1, 5, 0.5, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_binom_upper_quantile(0.5, INFINITY, 0.5, &v) == KPI_ENUM &&
          v == 0);
}

/* Gamma routines and COUNTCI: the tails at the limits, errors. */
static void test_gamma(void)
{
    double v, lo, hi, t;
    CHECK(kpi_dist_gamma_cdf(0, 3, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_gamma_upper(INFINITY, 3, &v) == KPI_OK && v == 0);
    CHECK(kpi_dist_gamma_upper(-1, 3, &v) == KPI_OK && v == 1);
    /* Gamma(1) is the exponential: P(1, x) = 1 - e^-x */
    CHECK(kpi_dist_gamma_upper(2, 1, &v) == KPI_OK);
    CHECK_CLOSE(v, exp(-2), 1e-15);
    CHECK(kpi_dist_gamma_quantile(0.5, 1, &v) == KPI_OK);
    CHECK_CLOSE(v, log(2), 1e-15);
    CHECK(kpi_dist_gamma_upper_quantile(1e-300, 1, &v) == KPI_OK);
    CHECK_CLOSE(v, 300 * log(10), 1e-14);
    CHECK(kpi_dist_gamma_cdf(1, 0, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_gamma_cdf(1, 2e6, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_gamma_cdf(NAN, 2, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_gamma_quantile(1, 2, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_dist_gamma_upper_quantile(0, 2, &v) == KPI_ENUM && v == 0);
    /* COUNTCI's limits give the tails they promise */
    for (double c = 0; c <= KPI_COUNTCI_MAX; c = c < 10 ? c + 1 : c * 3.7) {
        c = floor(c);
        CHECK(kpi_countci(c, 0.95, &lo, &hi) == KPI_OK);
        if (c > 0) { /* P(Y >= c | lo) = P(c, lo) = 0.025 */
            kpi_dist_gamma_cdf(lo, c, &t);
            CHECK_CLOSE(t, 0.025, 1e-10);
        }
        kpi_dist_gamma_upper(hi, c + 1, &t); /* P(Y <= c | hi) */
        CHECK_CLOSE(t, 0.025, 1e-10);
        CHECK(lo <= c && c <= hi);
    }
    CHECK(kpi_countci(KPI_COUNTCI_MAX, 0.998, &lo, &hi) == KPI_OK);
    CHECK(kpi_countci(KPI_COUNTCI_MAX + 1, 0.95, &lo, &hi) == KPI_ENUM);
    CHECK(kpi_countci(INFINITY, 0.95, &lo, &hi) == KPI_ENUM && hi == 0);
    CHECK(kpi_countci(3, NAN, &lo, &hi) == KPI_ENUM && hi == 0);
    CHECK(kpi_countci(NAN, 0.95, &lo, &hi) == KPI_ENUM);
}

/* POISSONTEST: swap symmetry, the worked example, exposures. */
static void test_poisson(void)
{
    double p, q;
    CHECK(kpi_poissontest(2, 0, 1, 1, &p) == KPI_OK);
    CHECK_CLOSE(p, 0.5, 1e-15);
    CHECK(kpi_poissontest(0, 0, 2, 3, &p) == KPI_OK && p == 1);
    for (double c1 = 0; c1 < 30; c1 += 3)
        for (double c2 = 0; c2 < 30; c2 += 4) {
            CHECK(kpi_poissontest(c1, c2, 1.5, 2.5, &p) == KPI_OK);
            CHECK(kpi_poissontest(c2, c1, 2.5, 1.5, &q) == KPI_OK);
            CHECK_CLOSE(p, q, 1e-6); /* ties within 1e-7 may differ */
            CHECK(p >= 0 && p <= 1);
        }
    /* exposures that round p to 0 or 1 */
    CHECK(kpi_poissontest(0, 3, 1e-300, 1, &p) == KPI_OK && p == 1);
    CHECK(kpi_poissontest(1, 3, 1, 1e-17, &p) == KPI_OK && p == 0);
    CHECK(kpi_poissontest(4, 0, 1, 1e-17, &p) == KPI_OK && p == 1);
    CHECK(kpi_poissontest(1, 1, 1e308, 1e308, &p) == KPI_OK);
    CHECK_CLOSE(p, 1, 0);
    /* huge counts: a few tail evaluations, not a sum over 10^15 outcomes */
    CHECK(kpi_poissontest(1e15, 1e15 + 1e9, 1, 1, &p) == KPI_OK);
    CHECK(p < 1e-100);
    CHECK(kpi_poissontest(1e15, 1e15 + 10, 1, 1, &p) == KPI_OK);
    CHECK(p > 0.99);
    /* the order of the checks */
    CHECK(kpi_poissontest(-1, 2, 0, 1, &p) == KPI_ENUM);
    CHECK(kpi_poissontest(NAN, 2, 0, 1, &p) == KPI_ENUM);
    CHECK(kpi_poissontest(1, 2, NAN, 1, &p) == KPI_ENUM);
    CHECK(kpi_poissontest(1, 2, 0, -1, &p) == KPI_ENUM);
    CHECK(kpi_poissontest(5e15, 5e15, 1, 1, &p) == KPI_ENUM && p == 0);
}

/* RATESHRINK: skipped pairs, the order of the checks, unit errors. */
static void test_shrink(void)
{
    kpi_shrink_prior pr, pr2;
    double v;
    double xs[] = {1, NAN, 3, 0, 10, 2, 5};
    double ns[] = {8, 9, 20, 4, NAN, 30, 0}; /* 5 of 0 is an error */
    CHECK(kpi_shrink_fit(xs, ns, 7, &pr) == KPI_ENUM);
    ns[6] = 5;
    xs[6] = 0;
    ns[6] = 0; /* 0 of 0: skipped */
    CHECK(kpi_shrink_fit(xs, ns, 7, &pr) == KPI_OK);
    CHECK(pr.k == 4);
    {
        double xa[] = {1, 3, 0, 2}, na[] = {8, 20, 4, 30};
        CHECK(kpi_shrink_fit(xa, na, 4, &pr2) == KPI_OK);
        CHECK(pr.mean == pr2.mean && pr.m == pr2.m && pr.tau2 == pr2.tau2);
    }
    CHECK(kpi_shrink(9, 8, &pr, &v) == KPI_ENUM && v == 0);
    CHECK(kpi_shrink(1, 0, &pr, &v) == KPI_EDIV0);
    CHECK(kpi_shrink(NAN, 0, &pr, &v) == KPI_ENUM);
    CHECK(kpi_shrink(-1, 0, &pr, &v) == KPI_ENUM);
    /* the shrunk rate lies between the raw and the pooled rate */
    for (double x = 0; x <= 8; x++) {
        CHECK(kpi_shrink(x, 8, &pr, &v) == KPI_OK);
        CHECK((v - x / 8) * (v - pr.mean) <= 0);
    }
    /* a fractional count is #NUM! even behind a text cell */
    {
        double xa[] = {NAN, 1.5, 2}, na[] = {NAN, 8, 9};
        CHECK(kpi_shrink_fit(xa, na, 3, &pr) == KPI_ENUM && pr.k == 0);
        CHECK(kpi_shrink_fit(xa, na, 0, &pr) == KPI_EDIV0);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    int rows =
        tsv_for_rows("tests/reference/county.tsv", "func", 9, county_row);
    CHECK(rows > 1000);
    CHECK(tsv_comment_has("tests/reference/county.tsv", "gen_county.py"));
    for (int t = 1; t <= 3; t++) {
        CHECK(tier_rows[t] > 20);
        printf("county: tier %d (limit %.4g eps): %d values, worst %.3g eps\n",
               t, tier_limit[t], tier_rows[t], tier_worst[t]);
    }
    test_crossing();
    test_limits();
    test_z();
    test_binom();
    test_gamma();
    test_poisson();
    test_shrink();
    return kpi_test_report("county");
}
