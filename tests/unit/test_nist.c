/* test_nist.c - the OLS core against NIST's Statistical Reference Datasets:
 * "Norris" (linear regression, 36 points) and its certified values. */
#include <gsl/gsl_errno.h>

#include "kpi_ols.h"
#include "kpi_test.h"

static const double norris_y[36] = {
    0.1,   338.8, 118.1, 888.0, 9.2,   228.1, 668.5, 998.5, 449.1,
    778.9, 559.2, 0.3,   0.1,   778.1, 668.8, 339.3, 448.9, 10.8,
    557.7, 228.3, 998.0, 888.8, 119.6, 0.3,   0.6,   557.6, 339.3,
    888.0, 998.5, 778.9, 10.2,  117.6, 228.9, 668.4, 449.2, 0.2};
static const double norris_x[36] = {
    0.2,   337.4, 118.2, 884.6, 10.1,  226.5, 666.3, 996.3, 448.6,
    777.0, 558.2, 0.4,   0.6,   775.5, 666.9, 338.0, 447.5, 11.6,
    556.0, 228.1, 995.8, 887.6, 120.2, 0.3,   0.3,   556.8, 339.1,
    887.2, 999.0, 779.0, 11.1,  118.3, 229.2, 669.1, 448.9, 0.5};

int main(void)
{
    gsl_set_error_handler_off();
    kpi_ols_result r;
    CHECK_EQ_INT(kpi_ols_fit(norris_y, norris_x, 36, &r), KPI_OK);
    /* certified values, 15 significant digits */
    CHECK_CLOSE(r.slope, 1.00211681802045, 1e-13);
    CHECK_CLOSE(r.intercept, -0.262323073774029, 1e-12);
    CHECK_CLOSE(r.se_slope, 4.29796848199937e-04, 1e-12);
    CHECK_CLOSE(r.se_intercept, 0.232818234301152, 1e-12);
    CHECK_CLOSE(r.r2, 0.999993745883712, 1e-14);
    CHECK_EQ_INT(r.n, 36);
    /* certified residual standard deviation 0.884796396144373 */
    CHECK(r.aux_ok);
    CHECK_CLOSE(r.s2, 0.884796396144373 * 0.884796396144373, 1e-12);
    return kpi_test_report("nist");
}
