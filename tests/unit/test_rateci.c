/* test_rateci.c - RATECI and RATETEST (kpi_rateci.c).
 *
 * Checks every row of tests/reference/rateci.tsv and ratetest.tsv (written
 * by tests/reference/gen_rateci_ols.py), then hand-written cases: the seed
 * figures, option parsing, the bad-input matrix, symmetry and nesting
 * properties, and large counts. Run from the repository root. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "kpi_rateci.h"
#include "kpi_test.h"
#include "kpi_tsv.h"

#define REL 1e-9
#define ABS0 1e-12 /* for references that are ~0 */

/* Relative check, absolute where the reference is ~0. */
#define CHECK_REF(got, want)                                                   \
    do {                                                                       \
        if (fabs(want) < ABS0)                                                 \
            CHECK_ABS(got, want, ABS0);                                        \
        else                                                                   \
            CHECK_CLOSE(got, want, REL);                                       \
    } while (0)

/* ---- the reference tables (read with kpi_tsv.h) ------------------------ */

/* rateci.tsv: method x n conf lo hi src */
static void rateci_row(char **f)
{
    kpi_ci_method m;
    double lo = -1, hi = -1;
    CHECK_EQ_INT(kpi_ci_method_parse(f[0], &m), KPI_OK);
    CHECK_EQ_INT(
        kpi_rateci(tsv_num(f[1]), tsv_num(f[2]), tsv_num(f[3]), m, &lo, &hi),
        KPI_OK);
    CHECK_REF(lo, tsv_num(f[4]));
    CHECK_REF(hi, tsv_num(f[5]));
}

/* ratetest.tsv: method x1 n1 x2 n2 p src */
static void ratetest_row(char **f)
{
    kpi_test_method m;
    double p = -1, q = -1;
    double x1 = tsv_num(f[1]), n1 = tsv_num(f[2]), x2 = tsv_num(f[3]),
           n2 = tsv_num(f[4]);
    double want = tsv_num(f[5]);
    CHECK_EQ_INT(kpi_test_method_parse(f[0], &m), KPI_OK);
    CHECK_EQ_INT(kpi_ratetest(x1, n1, x2, n2, m, &p), KPI_OK);
    /* tiny p-values are checked relatively: the table has them exactly */
    if (want == 0)
        CHECK_ABS(p, 0, 1e-300);
    else
        CHECK_CLOSE(p, want, REL);
    /* the test is symmetric in the two groups */
    CHECK_EQ_INT(kpi_ratetest(x2, n2, x1, n1, m, &q), KPI_OK);
    CHECK_CLOSE(q, p, 1e-12);
}

/* ---- hand-written cases ---------------------------------------------------
 */

static void test_seed(void)
{
    double lo, hi;
    /* 31 of 34 certified, 99 of 103 adopted (statsmodels 0.13.5
     * proportion_confint method='wilson', alpha 0.05) */
    CHECK_EQ_INT(kpi_rateci(31, 34, 0.95, KPI_CI_WILSON, &lo, &hi), KPI_OK);
    CHECK_CLOSE(lo, 0.77039513437191132, REL);
    CHECK_CLOSE(hi, 0.96953405632535139, REL);
    CHECK(lo < 31.0 / 34 && 31.0 / 34 < hi);
    CHECK_EQ_INT(kpi_rateci(99, 103, 0.95, KPI_CI_WILSON, &lo, &hi), KPI_OK);
    CHECK_CLOSE(lo, 0.90437193098786572, REL);
    CHECK_CLOSE(hi, 0.98479601045173082, REL);
    /* Clopper-Pearson closed forms at the edges:
     * x = 0: hi = 1 - (alpha/2)^(1/n); x = n: lo = (alpha/2)^(1/n) */
    CHECK_EQ_INT(kpi_rateci(0, 12, 0.95, KPI_CI_EXACT, &lo, &hi), KPI_OK);
    CHECK_EQ_INT(lo == 0, 1);
    CHECK_CLOSE(hi, -expm1(log(0.025) / 12), REL);
    CHECK_EQ_INT(kpi_rateci(12, 12, 0.95, KPI_CI_EXACT, &lo, &hi), KPI_OK);
    CHECK_CLOSE(lo, exp(log(0.025) / 12), REL);
    CHECK_EQ_INT(hi == 1, 1);
    /* 1 of 1, exact: [alpha/2, 1]; 0 of 1: [0, 1 - alpha/2] */
    CHECK_EQ_INT(kpi_rateci(1, 1, 0.9, KPI_CI_EXACT, &lo, &hi), KPI_OK);
    CHECK_CLOSE(lo, 0.05, REL);
    CHECK_EQ_INT(hi == 1, 1);
    CHECK_EQ_INT(kpi_rateci(0, 1, 0.9, KPI_CI_EXACT, &lo, &hi), KPI_OK);
    CHECK_EQ_INT(lo == 0, 1);
    CHECK_CLOSE(hi, 0.95, REL);
    /* Jeffreys pins the edges (spec), unlike statsmodels 0.13 */
    CHECK_EQ_INT(kpi_rateci(0, 12, 0.95, KPI_CI_JEFFREYS, &lo, &hi), KPI_OK);
    CHECK_EQ_INT(lo == 0, 1);
    CHECK_EQ_INT(kpi_rateci(12, 12, 0.95, KPI_CI_JEFFREYS, &lo, &hi), KPI_OK);
    CHECK_EQ_INT(hi == 1, 1);
    /* a confidence so small that alpha rounds to 1: z = 0, a point */
    CHECK_EQ_INT(kpi_rateci(3, 12, 1e-300, KPI_CI_WILSON, &lo, &hi), KPI_OK);
    CHECK(lo == 0.25 && hi == 0.25);
    CHECK_EQ_INT(kpi_rateci(3, 12, 1e-300, KPI_CI_AGRESTI, &lo, &hi), KPI_OK);
    CHECK(lo == 0.25 && hi == 0.25);
    CHECK_EQ_INT(kpi_rateci(3, 12, 1e-300, KPI_CI_JEFFREYS, &lo, &hi), KPI_OK);
    CHECK(lo == hi && lo > 0.2 && lo < 0.3); /* the median of the Beta */
    CHECK_EQ_INT(kpi_rateci(3, 12, 1e-300, KPI_CI_EXACT, &lo, &hi), KPI_OK);
    CHECK(lo < 0.25 && 0.25 < hi);
    /* Wilson at the edges is exactly 0 / 1 */
    CHECK_EQ_INT(kpi_rateci(0, 12, 0.95, KPI_CI_WILSON, &lo, &hi), KPI_OK);
    CHECK_EQ_INT(lo == 0, 1);
    CHECK_EQ_INT(kpi_rateci(12, 12, 0.95, KPI_CI_WILSON, &lo, &hi), KPI_OK);
    CHECK_EQ_INT(hi == 1, 1);
}

static void test_parse(void)
{
    kpi_ci_method m;
    kpi_test_method t;
    static const struct {
        const char *s;
        kpi_status st;
        kpi_ci_method m;
    } ci[] = {
        {"", KPI_EVALUE, 0},
        {"   ", KPI_EVALUE, 0},
        {"wilson", KPI_OK, KPI_CI_WILSON},
        {"Wilson", KPI_OK, KPI_CI_WILSON},
        {"WILSON", KPI_OK, KPI_CI_WILSON},
        {" exact ", KPI_OK, KPI_CI_EXACT},
        {"Exact", KPI_OK, KPI_CI_EXACT},
        {"jeffreys", KPI_OK, KPI_CI_JEFFREYS},
        {"\tJeffreys\n", KPI_OK, KPI_CI_JEFFREYS},
        {"agresti", KPI_OK, KPI_CI_AGRESTI},
        {"AGRESTI ", KPI_OK, KPI_CI_AGRESTI},
        {"wilsonx", KPI_EVALUE, 0},
        {"wil", KPI_EVALUE, 0},
        {"w", KPI_EVALUE, 0},
        {"wilson exact", KPI_EVALUE, 0},
        {"wil son", KPI_EVALUE, 0},
        {"clopper-pearson", KPI_EVALUE, 0},
        {"beta", KPI_EVALUE, 0},
        {"jeffrey", KPI_EVALUE, 0},
        {"agresti_coull", KPI_EVALUE, 0},
        {"fisher", KPI_EVALUE, 0},
        {"\xc3\xa9xact", KPI_EVALUE, 0},
        {"0", KPI_EVALUE, 0},
    };
    static const struct {
        const char *s;
        kpi_status st;
        kpi_test_method m;
    } te[] = {
        {"", KPI_EVALUE, 0},
        {" ", KPI_EVALUE, 0},
        {"fisher", KPI_OK, KPI_TEST_FISHER},
        {"Fisher", KPI_OK, KPI_TEST_FISHER},
        {" FISHER ", KPI_OK, KPI_TEST_FISHER},
        {"z", KPI_OK, KPI_TEST_Z},
        {"Z", KPI_OK, KPI_TEST_Z},
        {" z\t", KPI_OK, KPI_TEST_Z},
        {"zz", KPI_EVALUE, 0},
        {"z test", KPI_EVALUE, 0},
        {"fish", KPI_EVALUE, 0},
        {"fisherz", KPI_EVALUE, 0},
        {"wilson", KPI_EVALUE, 0},
        {"t", KPI_EVALUE, 0},
    };
    /* no default in the core (the binder's): NULL and blank are #VALUE! */
    m = (kpi_ci_method)77;
    CHECK_EQ_INT(kpi_ci_method_parse(NULL, &m), KPI_EVALUE);
    CHECK_EQ_INT(kpi_ci_method_parse("", &m), KPI_EVALUE);
    CHECK_EQ_INT(kpi_ci_method_parse(" \t", &m), KPI_EVALUE);
    CHECK_EQ_INT(m, 77);
    for (size_t i = 0; i < sizeof ci / sizeof ci[0]; i++) {
        m = (kpi_ci_method)77;
        CHECK_EQ_INT(kpi_ci_method_parse(ci[i].s, &m), ci[i].st);
        CHECK_EQ_INT(m, ci[i].st == KPI_OK ? ci[i].m : (kpi_ci_method)77);
    }
    t = (kpi_test_method)77;
    CHECK_EQ_INT(kpi_test_method_parse(NULL, &t), KPI_EVALUE);
    CHECK_EQ_INT(kpi_test_method_parse("", &t), KPI_EVALUE);
    CHECK_EQ_INT(kpi_test_method_parse("  ", &t), KPI_EVALUE);
    CHECK_EQ_INT(t, 77);
    for (size_t i = 0; i < sizeof te / sizeof te[0]; i++) {
        t = (kpi_test_method)77;
        CHECK_EQ_INT(kpi_test_method_parse(te[i].s, &t), te[i].st);
        CHECK_EQ_INT(t, te[i].st == KPI_OK ? te[i].m : (kpi_test_method)77);
    }
}

static void test_rateci_bad(void)
{
    static const struct {
        double x, n, conf;
        kpi_status st;
    } bad[] = {
        {-1, 10, 0.95, KPI_ENUM},
        {1, -10, 0.95, KPI_ENUM},
        {-0.0, 10, 0.95, KPI_OK}, /* -0 is zero */
        {1.5, 10, 0.95, KPI_ENUM},
        {1, 10.5, 0.95, KPI_ENUM},
        {1e-300, 10, 0.95, KPI_ENUM},
        {11, 10, 0.95, KPI_ENUM},
        {0, 0, 0.95, KPI_EDIV0},
        {1, 0, 0.95, KPI_EDIV0}, /* zero denominator wins over x > n */
        {-1, 0, 0.95, KPI_ENUM}, /* a bad count wins over it */
        {0, 0, 1.5, KPI_ENUM},
        {1, 10, 0, KPI_ENUM},
        {1, 10, 1, KPI_ENUM},
        {1, 10, 1.5, KPI_ENUM},
        {1, 10, -0.5, KPI_ENUM},
        {1, 10, INFINITY, KPI_ENUM},
        /* NaN is #NUM! throughout the core (kpi_check.h) */
        {NAN, 10, 0.95, KPI_ENUM},
        {1, NAN, 0.95, KPI_ENUM},
        {1, 10, NAN, KPI_ENUM},
        {NAN, -1, 0.95, KPI_ENUM},
        {INFINITY, INFINITY, 0.95, KPI_ENUM},
        {1, INFINITY, 0.95, KPI_ENUM},
        {-INFINITY, 10, 0.95, KPI_ENUM},
        {1e308, 1e308, 0.95, KPI_ENUM},
        {1, 1e308, 0.95, KPI_ENUM},
        {1, 9007199254740994.0, 0.95, KPI_ENUM}, /* 2^53 + 2 */
        {1, 2 * KPI_MAX_COUNT, 0.95, KPI_ENUM},  /* the one count rule */
    };
    for (int m = KPI_CI_WILSON; m <= KPI_CI_AGRESTI; m++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            double lo = 7, hi = 7;
            kpi_status st = kpi_rateci(bad[i].x, bad[i].n, bad[i].conf,
                                       (kpi_ci_method)m, &lo, &hi);
            CHECK_EQ_INT(st, bad[i].st);
            if (st != bad[i].st)
                fprintf(stderr, "  ^ method %d case %zu\n", m, i);
            CHECK(isfinite(lo) && isfinite(hi));
            if (st != KPI_OK)
                CHECK(lo == 0 && hi == 0);
            else
                CHECK(0 <= lo && lo <= hi && hi <= 1);
        }
    {
        double lo = 7, hi = 7;
        CHECK_EQ_INT(kpi_rateci(1, 10, 0.95, (kpi_ci_method)99, &lo, &hi),
                     KPI_EVALUE);
        CHECK(lo == 0 && hi == 0);
        CHECK_EQ_INT(kpi_rateci(1, 10, 0.95, (kpi_ci_method)-1, &lo, &hi),
                     KPI_EVALUE);
    }
    /* the largest count, 2^53: every method answers */
    {
        double big = KPI_MAX_COUNT, lo, hi;
        CHECK_EQ_INT(kpi_rateci(big / 2, big, 0.95, KPI_CI_WILSON, &lo, &hi),
                     KPI_OK);
        CHECK(lo < 0.5 && hi > 0.5 && hi - lo < 1e-7);
        CHECK_CLOSE(0.5 - lo, hi - 0.5, 1e-6);
        CHECK_EQ_INT(kpi_rateci(big, big, 0.95, KPI_CI_AGRESTI, &lo, &hi),
                     KPI_OK);
        CHECK(hi == 1 && lo > 0.999999 && lo < 1);
        CHECK_EQ_INT(kpi_rateci(0, big, 0.95, KPI_CI_WILSON, &lo, &hi), KPI_OK);
        CHECK(lo == 0 && hi > 0 && hi < 1e-14);
        for (int m = KPI_CI_EXACT; m <= KPI_CI_JEFFREYS; m++) {
            CHECK_EQ_INT(kpi_rateci(0, big, 0.95, (kpi_ci_method)m, &lo, &hi),
                         KPI_OK);
            CHECK(lo == 0 && hi > 0 && hi < 1e-15);
            CHECK_EQ_INT(kpi_rateci(big, big, 0.95, (kpi_ci_method)m, &lo, &hi),
                         KPI_OK);
            CHECK(hi == 1 && lo < 1 && lo > 1 - 1e-15);
            CHECK_EQ_INT(
                kpi_rateci(big - 1, big, 0.95, (kpi_ci_method)m, &lo, &hi),
                KPI_OK);
            CHECK(lo > 1 - 1e-15 && lo <= hi && hi <= 1);
        }
    }
}

/* Exact and Jeffreys intervals for counts far beyond the 10^6 trials where
 * GSL's incomplete Beta function stops (issue 14: they were #NUM!). The
 * references are 50-digit mpmath quantiles (Newton on the Beta tail, found
 * by quadrature of the density: tests/reference/gen_dist.py's
 * beta_quantile); the first row is R's qbeta (binom.test) too:
 * 0.12342256113257584 - 0.12349102255463407 (R's upper limit is 2 ulps
 * from the 50-digit value). Relative tolerance 1e-14. */
static void test_rateci_large(void)
{
    static const struct {
        kpi_ci_method m;
        double x, n, conf, lo, hi;
    } cases[] = {
        {KPI_CI_EXACT, 123456789, 1e9, 0.999, 0.12342256113257584,
         0.1234910225546341},
        {KPI_CI_JEFFREYS, 123456789, 1e9, 0.999, 0.12342256163251628,
         0.12349102205457455},
        {KPI_CI_EXACT, 1500000, 3000000, 0.99, 0.49925625593579714,
         0.5007437440642029},
        {KPI_CI_JEFFREYS, 400000, 1000000, 0.95, 0.39904010823104946,
         0.4009604706291866},
        {KPI_CI_EXACT, 3, 1e15, 0.95, 6.18672122895602e-16,
         8.7672730697423e-15},
        {KPI_CI_JEFFREYS, 3, 1e15, 0.95, 8.449345903386783e-16,
         8.006382137314639e-15},
        {KPI_CI_EXACT, 4503599627370496.0, 9007199254740992.0, 0.95,
         0.4999999896742118, 0.5000000103257882},
        {KPI_CI_JEFFREYS, 4503599627370496.0, 9007199254740992.0, 0.95,
         0.49999998967421183, 0.5000000103257881},
        {KPI_CI_EXACT, 1, 9007199254740992.0, 0.95, 2.8108413357197268e-18,
         6.185766777620945e-16},
        {KPI_CI_JEFFREYS, 1, 9007199254740992.0, 0.8, 3.2439294259400015e-17,
         3.4702177971026164e-16},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo = -1, hi = -1, lo2, hi2;
        int f0 = kpi_test_failed;
        CHECK_EQ_INT(kpi_rateci(cases[i].x, cases[i].n, cases[i].conf,
                                cases[i].m, &lo, &hi),
                     KPI_OK);
        CHECK_CLOSE(lo, cases[i].lo, 1e-14);
        CHECK_CLOSE(hi, cases[i].hi, 1e-14);
        /* the mirror image n - x, to a few units in the last place of the
         * limits near 1 */
        CHECK_EQ_INT(kpi_rateci(cases[i].n - cases[i].x, cases[i].n,
                                cases[i].conf, cases[i].m, &lo2, &hi2),
                     KPI_OK);
        CHECK_ABS(lo2, 1 - hi, 4.5e-16);
        CHECK_ABS(hi2, 1 - lo, 4.5e-16);
        if (kpi_test_failed != f0)
            fprintf(stderr, "  ^ large case %zu\n", i);
    }
}

/* Properties over a grid: lo(x, n) = 1 - hi(n - x, n) for every method;
 * intervals contain x/n (not asserted for agresti) and widen with conf. */
static void test_rateci_properties(void)
{
    static const double ns[] = {1, 2, 5, 12, 34, 103, 1000, 54321, 3e6, 1e11};
    static const double confs[] = {0.5, 0.8, 0.95, 0.999};
    for (int m = KPI_CI_WILSON; m <= KPI_CI_AGRESTI; m++)
        for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
            double n = ns[j];
            double xs[] = {0, 1, floor(n / 3), floor(n / 2), n - 1, n};
            for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
                double x = xs[k], plo = 1, phi = 0;
                if (x < 0 || x > n)
                    continue;
                for (size_t c = 0; c < sizeof confs / sizeof confs[0]; c++) {
                    double lo, hi, lo2, hi2;
                    int f0 = kpi_test_failed;
                    CHECK_EQ_INT(
                        kpi_rateci(x, n, confs[c], (kpi_ci_method)m, &lo, &hi),
                        KPI_OK);
                    CHECK_EQ_INT(kpi_rateci(n - x, n, confs[c],
                                            (kpi_ci_method)m, &lo2, &hi2),
                                 KPI_OK);
                    CHECK_ABS(lo, 1 - hi2, 1e-13);
                    CHECK_ABS(hi, 1 - lo2, 1e-13);
                    CHECK(0 <= lo && lo <= hi && hi <= 1);
                    if (m != KPI_CI_AGRESTI)
                        CHECK(lo <= x / n && x / n <= hi);
                    CHECK(lo <= plo && hi >= phi); /* nested */
                    plo = lo;
                    phi = hi;
                    if (kpi_test_failed != f0)
                        fprintf(stderr, "  ^ method %d x %g n %g conf %g\n", m,
                                x, n, confs[c]);
                }
            }
        }
}

static void test_ratetest_bad(void)
{
    static const struct {
        double x1, n1, x2, n2;
        kpi_status st;
    } bad[] = {
        {1, 0, 1, 10, KPI_EDIV0},       {0, 10, 0, 0, KPI_EDIV0},
        {0, 0, 0, 0, KPI_EDIV0},        {-1, 10, 1, 10, KPI_ENUM},
        {1, 10, -1, 10, KPI_ENUM},      {1, -10, 1, 10, KPI_ENUM},
        {0.5, 10, 1, 10, KPI_ENUM},     {1, 10, 1, 10.25, KPI_ENUM},
        {11, 10, 1, 10, KPI_ENUM},      {1, 10, 11, 10, KPI_ENUM},
        {NAN, 10, 1, 10, KPI_ENUM},     {1, 10, 1, NAN, KPI_ENUM},
        {1, INFINITY, 1, 10, KPI_ENUM}, {1e308, 1e308, 1, 10, KPI_ENUM},
        {1, 1e308, 1, 1e308, KPI_ENUM},
    };
    for (int m = KPI_TEST_FISHER; m <= KPI_TEST_Z; m++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            double p = 7;
            kpi_status st = kpi_ratetest(bad[i].x1, bad[i].n1, bad[i].x2,
                                         bad[i].n2, (kpi_test_method)m, &p);
            CHECK_EQ_INT(st, bad[i].st);
            if (st != bad[i].st)
                fprintf(stderr, "  ^ method %d case %zu\n", m, i);
            CHECK(p == 0);
        }
    {
        double p = 7;
        CHECK_EQ_INT(kpi_ratetest(1, 10, 1, 10, (kpi_test_method)5, &p),
                     KPI_EVALUE);
        CHECK(p == 0);
        /* Fisher refuses a total above its limit; z answers */
        CHECK_EQ_INT(kpi_ratetest(1, 6e9, 1, 6e9, KPI_TEST_FISHER, &p),
                     KPI_ENUM);
        CHECK_EQ_INT(kpi_ratetest(1, 6e9, 1, 6e9, KPI_TEST_Z, &p), KPI_OK);
        CHECK_CLOSE(p, 1, 1e-15);
        CHECK_EQ_INT(kpi_ratetest(3e15, 4e15, 2e15, 4e15, KPI_TEST_Z, &p),
                     KPI_OK);
        CHECK(p == 0); /* z in the millions: p underflows to 0 */
        CHECK_EQ_INT(kpi_ratetest(KPI_MAX_COUNT / 2, KPI_MAX_COUNT / 2, 0,
                                  KPI_MAX_COUNT / 2, KPI_TEST_Z, &p),
                     KPI_OK);
        CHECK(p == 0);
        /* the pooled n1 + n2 is a count too: above 2^53 #NUM! */
        CHECK_EQ_INT(kpi_ratetest(KPI_MAX_COUNT, KPI_MAX_COUNT, 0,
                                  KPI_MAX_COUNT, KPI_TEST_Z, &p),
                     KPI_ENUM);
        CHECK(p == 0);
    }
}

/* Fisher with large counts: finishes, agrees with the z test where the
 * normal approximation is excellent, and is symmetric. */
static void test_fisher_large(void)
{
    double pf, pz, q;
    /* 5e9 + 5e9 = the limit: still a few million terms at most */
    CHECK_EQ_INT(kpi_ratetest(2500000000.0, 5e9, 2500030000.0, 5e9,
                              KPI_TEST_FISHER, &pf),
                 KPI_OK);
    CHECK_EQ_INT(
        kpi_ratetest(2500000000.0, 5e9, 2500030000.0, 5e9, KPI_TEST_Z, &pz),
        KPI_OK);
    CHECK(pf > 0 && pf < 1);
    CHECK_CLOSE(pf, pz, 1e-3);
    /* a million a side, far in the tail: underflow handled */
    CHECK_EQ_INT(
        kpi_ratetest(0, 1000000, 1000000, 1000000, KPI_TEST_FISHER, &pf),
        KPI_OK);
    CHECK(pf == 0);
    CHECK_EQ_INT(
        kpi_ratetest(400000, 1000000, 401000, 1000000, KPI_TEST_FISHER, &pf),
        KPI_OK);
    CHECK_EQ_INT(
        kpi_ratetest(401000, 1000000, 400000, 1000000, KPI_TEST_FISHER, &q),
        KPI_OK);
    CHECK_CLOSE(pf, q, 1e-12);
    CHECK_EQ_INT(
        kpi_ratetest(400000, 1000000, 401000, 1000000, KPI_TEST_Z, &pz),
        KPI_OK);
    CHECK_CLOSE(pf, pz, 2e-2);
    /* identical groups: p = 1 */
    CHECK_EQ_INT(
        kpi_ratetest(123456, 999999, 123456, 999999, KPI_TEST_FISHER, &pf),
        KPI_OK);
    CHECK_CLOSE(pf, 1, 1e-12);
}

int main(void)
{
    int rows;
    gsl_set_error_handler_off();

    rows = tsv_for_rows("tests/reference/rateci.tsv", "method", 7, rateci_row);
    CHECK(rows > 0);
    rows =
        tsv_for_rows("tests/reference/ratetest.tsv", "method", 7, ratetest_row);
    CHECK(rows > 0);

    test_seed();
    test_parse();
    test_rateci_bad();
    test_rateci_properties();
    test_rateci_large();
    test_ratetest_bad();
    test_fisher_large();
    return kpi_test_report("rateci");
}
