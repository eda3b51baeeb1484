/* test_option.c - kpi_option_index (kpi_option.c), the matcher behind the
 * option parsers (their own cases are in test_mk.c and test_rateci.c). It
 * has no default: NULL and blank text are KPI_EVALUE (the binder supplies
 * an option's default, test_funcs.c). */
#include <stddef.h>

#include "kpi_option.h"
#include "kpi_test.h"

int main(void)
{
    static const char *const names[] = {"alpha", "b", "gamma"};
    const size_t n = sizeof names / sizeof names[0];
    static const struct {
        const char *s;
        kpi_status st;
        size_t idx;
    } cases[] = {
        {NULL, KPI_EVALUE, 0},
        {"", KPI_EVALUE, 0},
        {" \t\n\r\v\f", KPI_EVALUE, 0},
        {"alpha", KPI_OK, 0},
        {"ALPHA", KPI_OK, 0},
        {"\tAlPhA \n", KPI_OK, 0},
        {"b", KPI_OK, 1},
        {" B ", KPI_OK, 1},
        {"gamma", KPI_OK, 2},
        {"alph", KPI_EVALUE, 0},
        {"alphas", KPI_EVALUE, 0},
        {"al pha", KPI_EVALUE, 0},
        {"bb", KPI_EVALUE, 0},
        {"\xc3\xa9", KPI_EVALUE, 0},
        {"b\x01", KPI_EVALUE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t idx = 99;
        CHECK_EQ_INT(kpi_option_index(cases[i].s, names, n, &idx), cases[i].st);
        CHECK_EQ_INT(idx, cases[i].st == KPI_OK ? cases[i].idx : 99);
    }
    /* No names: nothing is accepted, blank or not. */
    size_t idx = 99;
    CHECK_EQ_INT(kpi_option_index(" ", names, 0, &idx), KPI_EVALUE);
    CHECK_EQ_INT(idx, 99);
    CHECK_EQ_INT(kpi_option_index("alpha", names, 0, &idx), KPI_EVALUE);
    CHECK_EQ_INT(idx, 99);
    return kpi_test_report("option");
}
