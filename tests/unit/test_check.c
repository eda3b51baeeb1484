/* test_check.c - the core's one count rule and level rule (kpi_check.h),
 * and that every module taking counts applies it: a count above 2^53 (or
 * NaN) is #NUM! (KPI_ENUM) in CERTRATE, LOSSRATE, DOUBLEDECLINE, RATECI and
 * RATETEST alike, while 2^53 itself is a count. */
#include <math.h>

#include "kpi_check.h"
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
    CHECK_EQ_INT(kpi_ratetest(1, TWO53, 1, TWO53, KPI_TEST_Z, &r), KPI_OK);
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

int main(void)
{
    test_rule();
    test_everywhere();
    return kpi_test_report("check");
}
