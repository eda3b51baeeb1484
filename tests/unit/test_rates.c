/* test_rates.c - unit tests of addin/core/kpi_rates.c. */
#include <float.h>
#include <math.h>

#include "kpi_rates.h"
#include "kpi_test.h"

static void test_rate(void)
{
    double r = -1;
    CHECK_EQ_INT(kpi_rate(31, 34, &r), KPI_OK);
    CHECK_CLOSE(r, 31.0 / 34.0, 1e-15);
    CHECK_CLOSE(r, 0.9117647058823529, 1e-15); /* the seed report */
    CHECK_EQ_INT(kpi_rate(99, 103, &r), KPI_OK);
    CHECK_CLOSE(r, 0.9611650485436893, 1e-15);
    CHECK_EQ_INT(kpi_rate(34, 34, &r), KPI_OK);
    CHECK_CLOSE(r, 1.0, 0);
    CHECK_EQ_INT(kpi_rate(0, 34, &r), KPI_OK);
    CHECK_CLOSE(r, 0.0, 0);
    CHECK_EQ_INT(kpi_rate(0, 0, &r), KPI_EDIV0);
    CHECK_EQ_INT(kpi_rate(5, 0, &r), KPI_EDIV0);
    CHECK_EQ_INT(kpi_rate(-1, 34, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(-1, 0, &r), KPI_ENUM); /* validation first */
    CHECK_EQ_INT(kpi_rate(1, -34, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(0.5, 34, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(1, 34.5, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(35, 34, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(NAN, 34, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(1, INFINITY, &r), KPI_ENUM);
    /* the one count rule (kpi_check.h): above 2^53 is no count */
    CHECK_EQ_INT(kpi_rate(1e308, 1e308, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(1, 1e308, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_rate(9007199254740992.0, 9007199254740992.0, &r), KPI_OK);
    CHECK_CLOSE(r, 1.0, 0);
}

static void test_lossrate(void)
{
    double r = -1;
    const double one[] = {2, 12};
    CHECK_EQ_INT(kpi_lossrate(one, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 2.0 / 12.0, 1e-15);
    const double two[] = {1, 8, 0, 4};
    CHECK_EQ_INT(kpi_lossrate(two, 2, &r), KPI_OK);
    CHECK_CLOSE(r, 1.0 / 12.0, 1e-15);
    const double zero[] = {0, 0, 0, 0};
    CHECK_EQ_INT(kpi_lossrate(zero, 2, &r), KPI_EDIV0);
    CHECK_EQ_INT(kpi_lossrate(zero, 0, &r), KPI_EDIV0);
    const double part_over[] = {1, 0, 0, 4}; /* totals fit, a pair not */
    CHECK_EQ_INT(kpi_lossrate(part_over, 2, &r), KPI_ENUM);
    const double neg[] = {-1, 8};
    CHECK_EQ_INT(kpi_lossrate(neg, 1, &r), KPI_ENUM);
    const double frac[] = {1, 8.25};
    CHECK_EQ_INT(kpi_lossrate(frac, 1, &r), KPI_ENUM);
    const double huge[] = {1e308, 1e308, 1e308, 1e308};
    CHECK_EQ_INT(kpi_lossrate(huge, 2, &r), KPI_ENUM);
    const double nan[] = {NAN, 8};
    CHECK_EQ_INT(kpi_lossrate(nan, 1, &r), KPI_ENUM);
}

static void test_yoy(void)
{
    double r = 0;
    CHECK_EQ_INT(kpi_yoy(12, 9, &r), KPI_OK);
    CHECK_CLOSE(r, -0.25, 0);
    CHECK_EQ_INT(kpi_yoy(3, 4, &r), KPI_OK);
    CHECK_CLOSE(r, (4.0 - 3.0) / 3.0, 0); /* the plain formula's rounding */
    CHECK_EQ_INT(kpi_yoy(-4, -2, &r), KPI_OK);
    CHECK_CLOSE(r, 0.5, 0);
    CHECK_EQ_INT(kpi_yoy(0, 5, &r), KPI_EDIV0);
    CHECK_EQ_INT(kpi_yoy(0, 0, &r), KPI_EDIV0);
    CHECK_EQ_INT(kpi_yoy(1e308, -1e308, &r), KPI_OK);
    CHECK_CLOSE(r, -2.0, 1e-15);
    CHECK_EQ_INT(kpi_yoy(1e-300, 1e300, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_yoy(NAN, 1, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_yoy(1, INFINITY, &r), KPI_ENUM);
}

static void test_cagr(void)
{
    double r = 0;
    CHECK_EQ_INT(kpi_cagr(120, 173, 5, &r), KPI_OK);
    CHECK_CLOSE(r, pow(173.0 / 120.0, 0.2) - 1, 1e-14);
    CHECK_EQ_INT(kpi_cagr(100, 100, 3, &r), KPI_OK);
    CHECK_CLOSE(r, 0.0, 0);
    CHECK_EQ_INT(kpi_cagr(100, 0, 3, &r), KPI_OK);
    CHECK_CLOSE(r, -1.0, 0);
    CHECK_EQ_INT(kpi_cagr(1, 2, 0.5, &r), KPI_OK);
    CHECK_CLOSE(r, 3.0, 1e-15);
    CHECK_EQ_INT(kpi_cagr(1, 1 + 1e-12, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 1e-12, 1e-3); /* expm1: no cancellation near 0 */
    CHECK_EQ_INT(kpi_cagr(0, 5, 3, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(-1, 5, 3, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, -5, 3, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, 5, 0, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, 5, -1, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1e-300, 1e300, 0.01, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1e-300, 1e300, 1, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(DBL_MIN, DBL_MAX, 1e6, &r), KPI_OK);
    CHECK(isfinite(r));
    CHECK_EQ_INT(kpi_cagr(NAN, 5, 1, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, NAN, 1, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, 5, NAN, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, INFINITY, 1, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_cagr(1, 5, INFINITY, &r), KPI_ENUM);
}

/* CAGR near zero growth (issue 14): log1p of the relative change, not the
 * difference of two logarithms that cancel. References: mpmath, 50 digits,
 * expm1(ln(last/first)/periods) of the doubles as given; 4 eps relative
 * (the old formula was off by 0.11 and 8.7e-8 in the first two). */
static void test_cagr_accuracy(void)
{
    static const double cases[][4] = {
        {1e15, 1e15 + 8, 4, 1.999999999999994e-15},
        {100, 100.000001, 10, 9.999999929752427e-10},
        {1, 1 + DBL_EPSILON, 1, 2.220446049250313e-16},
        {100, 99.99999, 7, -1.4285714902493703e-08},
        {120, 173, 5, 0.07590263566280787},
        /* the ratio overflows: the difference of logarithms is kept */
        {1e-300, 1e300, 1e6, 0.001382505837098726},
        {4.9406564584124654e-324, DBL_MAX, 1e6, 0.0014552806795114094},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double r = 0;
        CHECK_EQ_INT(kpi_cagr(cases[i][0], cases[i][1], cases[i][2], &r),
                     KPI_OK);
        CHECK_CLOSE(r, cases[i][3], 4 * DBL_EPSILON);
    }
}

static void test_doubledecline(void)
{
    double r = -1;
    CHECK_EQ_INT(kpi_doubledecline(5, 3, 0.2, 0, 0, &r), KPI_OK);
    CHECK_CLOSE(r, 1.0, 0);
    CHECK_EQ_INT(kpi_doubledecline(5, 5, 0.2, 0, 0, &r), KPI_OK);
    CHECK_CLOSE(r, 0.0, 0);
    CHECK_EQ_INT(kpi_doubledecline(5, 3, 0.2, 0.3, 0, &r), KPI_OK);
    CHECK_CLOSE(r, 0.0, 0);
    CHECK_EQ_INT(kpi_doubledecline(2, 0, 0, 0, 0, &r), KPI_OK);
    CHECK_CLOSE(r, 0.0, 0); /* strict */
    CHECK_EQ_INT(kpi_doubledecline(2, 0, 0, 0, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 1.0, 0); /* zero holds */
    CHECK_EQ_INT(kpi_doubledecline(0, 0, 0.1, 0, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 1.0, 0);
    CHECK_EQ_INT(kpi_doubledecline(0, 1, 0, 0, 1, &r), KPI_OK);
    CHECK_CLOSE(r, 0.0, 0); /* disputes rose */
    CHECK_EQ_INT(kpi_doubledecline(5, 3, 1.2, 0, 0, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_doubledecline(5, 3, 0.2, -0.1, 0, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_doubledecline(-5, 3, 0.2, 0, 0, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_doubledecline(5.5, 3, 0.2, 0, 0, &r), KPI_ENUM);
    CHECK_EQ_INT(kpi_doubledecline(5, 3, NAN, 0, 0, &r), KPI_ENUM);
}

int main(void)
{
    test_rate();
    test_lossrate();
    test_yoy();
    test_cagr();
    test_cagr_accuracy();
    test_doubledecline();
    return kpi_test_report("rates");
}
