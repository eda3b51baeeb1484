/* test_check.c - the core's one count rule and level rule (kpi_check.h),
 * and that every module taking counts applies it: a count above 2^53 (or
 * NaN) is #NUM! (KPI_ENUM) in CERTRATE, LOSSRATE, DOUBLEDECLINE, RATECI and
 * RATETEST alike, while 2^53 itself is a count; and a total of counts
 * (kpi_count_add: LOSSRATE's sums, RATETEST's n1 + n2, POISSONTEST's
 * c1 + c2, RATESHRINK's sum of n) above 2^53 is KPI_ENUM too. */
#include <math.h>

#include "kpi_check.h"
#include "kpi_count.h"
#include "kpi_funnel.h"
#include "kpi_rateci.h"
#include "kpi_rates.h"
#include "kpi_test.h"

#define TWO53 9007199254740992.0

static void test_rule(void)
{
    CHECK(KPI_MAX_COUNT == TWO53);
    CHECK(kpi_is_count(0));
    CHECK(kpi_is_count(34));
    CHECK(kpi_is_count(TWO53));
    CHECK(kpi_is_count(TWO53 - 1));
    CHECK(!kpi_is_count(TWO53 + 2)); /* 2^53 + 1 rounds to 2^53 */
    CHECK(!kpi_is_count(1e308));
    CHECK(!kpi_is_count(INFINITY));
    CHECK(!kpi_is_count(NAN));
    CHECK(!kpi_is_count(-1));
    CHECK(!kpi_is_count(0.5));
    CHECK(!kpi_is_count(nextafter(TWO53, INFINITY)));

    CHECK(kpi_is_level(0.95));
    CHECK(kpi_is_level(1e-300));
    CHECK(kpi_is_level(nextafter(1, 0)));
    CHECK(!kpi_is_level(0));
    CHECK(!kpi_is_level(1));
    CHECK(!kpi_is_level(-0.5));
    CHECK(!kpi_is_level(NAN));
    CHECK(!kpi_is_level(INFINITY));
}

/* Every count-taking routine: 2^53 answers, above it and NaN are KPI_ENUM. */
static void test_everywhere(void)
{
    const double bad[] = {TWO53 + 2, 1e308, NAN};
    double r, lo, hi;
    CHECK_EQ_INT(kpi_rate(TWO53, TWO53, &r), KPI_OK);
    CHECK_EQ_INT(kpi_rateci(TWO53, TWO53, 0.95, KPI_CI_WILSON, &lo, &hi),
                 KPI_OK);
    CHECK_EQ_INT(kpi_ratetest(1, TWO53, 0, 0, KPI_TEST_Z, &r), KPI_EDIV0);
    CHECK_EQ_INT(kpi_ratetest(1, TWO53 / 2, 1, TWO53 / 2, KPI_TEST_Z, &r),
                 KPI_OK);
    const double pairs_ok[] = {1, TWO53};
    CHECK_EQ_INT(kpi_lossrate(pairs_ok, 1, &r), KPI_OK);
    CHECK_EQ_INT(kpi_doubledecline(TWO53, 1, 0.2, 0.1, 0, &r), KPI_OK);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double b = bad[i];
        CHECK_EQ_INT(kpi_rate(b, b, &r), KPI_ENUM);
        CHECK_EQ_INT(kpi_rate(1, b, &r), KPI_ENUM);
        const double pairs[] = {1, b};
        CHECK_EQ_INT(kpi_lossrate(pairs, 1, &r), KPI_ENUM);
        CHECK_EQ_INT(kpi_doubledecline(b, 1, 0.2, 0.1, 0, &r), KPI_ENUM);
        CHECK_EQ_INT(kpi_doubledecline(2, b, 0.2, 0.1, 0, &r), KPI_ENUM);
        for (int m = KPI_CI_WILSON; m <= KPI_CI_AGRESTI; m++) {
            CHECK_EQ_INT(kpi_rateci(b, b, 0.95, (kpi_ci_method)m, &lo, &hi),
                         KPI_ENUM);
            CHECK_EQ_INT(kpi_rateci(1, b, 0.95, (kpi_ci_method)m, &lo, &hi),
                         KPI_ENUM);
        }
        for (int m = KPI_TEST_FISHER; m <= KPI_TEST_Z; m++)
            CHECK_EQ_INT(kpi_ratetest(1, b, 1, 10, (kpi_test_method)m, &r),
                         KPI_ENUM);
    }
}

/* kpi_count_add: exact totals up to 2^53, nothing above. */
static void test_count_add(void)
{
    double t = 0;
    CHECK(kpi_count_add(&t, TWO53) && t == TWO53);
    CHECK(kpi_count_add(&t, 0) && t == TWO53);
    CHECK(!kpi_count_add(&t, 1) && t == TWO53); /* 2^53 + 1 */
    t = TWO53 - 1;
    CHECK(kpi_count_add(&t, 1) && t == TWO53);
    t = TWO53 - 1;
    CHECK(!kpi_count_add(&t, 2) && t == TWO53 - 1); /* would round to 2^53 */
    t = 34;
    CHECK(kpi_count_add(&t, 31) && t == 65);
    const double bad[] = {-1, 0.5, NAN, INFINITY, TWO53 + 2, 1e308};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t = 3;
        CHECK(!kpi_count_add(&t, bad[i]) && t == 3);
        t = bad[i];
        CHECK(!kpi_count_add(&t, 1));
    }
}

/* The functions that add counts: a total above 2^53 is KPI_ENUM, one at
 * 2^53 answers. */
static void test_totals(void)
{
    double r = 7, p;
    /* LOSSRATE: 2^53 + 1 concluded would round to 2^53 (a rate 0 before) */
    const double over[] = {0, TWO53, 0, 1};
    CHECK_EQ_INT(kpi_lossrate(over, 2, &r), KPI_ENUM);
    const double over3[] = {1, TWO53 / 2, 1, TWO53 / 2, 0, 1};
    CHECK_EQ_INT(kpi_lossrate(over3, 3, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_lossrate(over3, 2, &r), KPI_OK);
    CHECK(r == 2 / TWO53);
    const double at[] = {1, TWO53 - 1, 0, 1};
    CHECK_EQ_INT(kpi_lossrate(at, 2, &r), KPI_OK);
    CHECK(r == 1 / TWO53);
    const double lost_all[] = {TWO53 - 1, TWO53 - 1, 1, 1};
    CHECK_EQ_INT(kpi_lossrate(lost_all, 2, &r), KPI_OK);
    CHECK(r == 1);
    /* RATETEST: the pooled n1 + n2, either method */
    for (int m = KPI_TEST_FISHER; m <= KPI_TEST_Z; m++) {
        CHECK_EQ_INT(kpi_ratetest(1, TWO53, 0, 1, (kpi_test_method)m, &r),
                     KPI_ENUM);
        CHECK_EQ_INT(kpi_ratetest(0, 1, 1, TWO53, (kpi_test_method)m, &r),
                     KPI_ENUM);
        CHECK(r == 0);
    }
    CHECK_EQ_INT(kpi_ratetest(0, TWO53 - 1, 0, 1, KPI_TEST_Z, &r), KPI_OK);
    CHECK(r == 1); /* pooled rate 0 */
    /* POISSONTEST: c1 + c2 */
    CHECK_EQ_INT(kpi_poissontest(TWO53, 1, 1, 1, &p), KPI_ENUM);
    CHECK_EQ_INT(kpi_poissontest(TWO53 - 1, 2, 1, 1, &p), KPI_ENUM);
    CHECK_EQ_INT(kpi_poissontest(0, 0, 1, 1, &p), KPI_OK);
    /* RATESHRINK: N = sum n */
    kpi_shrink_prior pr;
    const double xs[] = {0, 0, 1}, ns_over[] = {TWO53 / 2, TWO53 / 2, 1};
    CHECK_EQ_INT(kpi_shrink_fit(xs, ns_over, 3, &pr), KPI_ENUM);
    CHECK_EQ_INT(kpi_shrink_fit(xs, ns_over, 2, &pr), KPI_OK);
    CHECK(pr.k == 2 && pr.mean == 0);
    const double ns_nan[] = {TWO53 / 2, TWO53 / 2, NAN};
    CHECK_EQ_INT(kpi_shrink_fit(xs, ns_nan, 3, &pr), KPI_OK); /* skipped */
}

int main(void)
{
    test_rule();
    test_everywhere();
    test_count_add();
    test_totals();
    return kpi_test_report("check");
}
