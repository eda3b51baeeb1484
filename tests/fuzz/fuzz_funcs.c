/* fuzz_funcs.c - libFuzzer harness over every spreadsheet function.
 *
 * Decodes the input into a function of the catalogue and a random argument
 * list, as Calc could pass it: missing arguments, numbers (small counts,
 * rates, years, 0, negatives, fractions, 1e308, inf, NaN), text (including
 * valid and invalid option strings) and ranges of mixed cells of random
 * shapes. Calls the function as Calc does (kpi_call: the binder, then the
 * entry point) and checks the result: allocated with at
 * least one element, and every element either a finite number or one of the
 * error-coded NaNs the spec allows (#DIV/0!, #NUM!, #VALUE!, Err:511).
 * Together with fuzz_trend.c this covers the rates, the intervals and tests,
 * OLS, Mann-Kendall and Sen's slope through the layer users reach.
 *
 *   make fuzz && build/fuzz/fuzz_funcs -max_total_time=300
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "kpi_core.h"
#include "kpi_funcs.h"

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned take(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static const char *const texts[] = {
    "wilson", "exact",   "Jeffreys", " agresti ", "fisher", "Z",
    "p",      "papprox", "s",        "var",       "z",      "tau",
    "",       "x",       "bayes",    "31",        "TRUE"};

static double number(reader *r)
{
    static const double specials[] = {0,
                                      1,
                                      -1,
                                      0.5,
                                      0.95,
                                      2020,
                                      34,
                                      31,
                                      1e308,
                                      -1e308,
                                      1e-308,
                                      0.1,
                                      2.5,
                                      1e6,
                                      12,
                                      1e15,
                                      9007199254740993.0};
    unsigned k = take(r);
    if (k < 128)
        return (double)(k % 40); /* small counts, many ties */
    if (k < 200)
        return specials[k % (sizeof specials / sizeof *specials)];
    if (k < 230)
        return 2000 + (k % 30); /* years */
    if (k < 250) {
        double d = 0;
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | take(r);
        memcpy(&d, &bits, sizeof d);
        return isnan(d) ? 0 : d; /* cells never hold NaN */
    }
    return k & 1 ? INFINITY : -INFINITY; /* not from Calc, but robust */
}

static kpi_cell cell(reader *r)
{
    unsigned k = take(r) % 16;
    if (k == 0)
        return (kpi_cell){KPI_CELL_EMPTY, 0};
    if (k == 1)
        return (kpi_cell){KPI_CELL_TEXT, 0};
    return (kpi_cell){KPI_CELL_NUMBER, number(r)};
}

#define MAX_ARGS 12
#define MAX_CELLS 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    if (!initialised) {
        kpi_core_init();
        initialised = 1;
    }
    reader r = {data, size};
    const kpi_function_desc *fn =
        &kpi_catalogue[take(&r) % kpi_catalogue_count];
    size_t nargs = take(&r) % (MAX_ARGS + 1);
    kpi_arg args[MAX_ARGS];
    kpi_cell scalars[MAX_ARGS];
    kpi_cell *owned[MAX_ARGS] = {NULL};
    for (size_t i = 0; i < nargs; i++) {
        kpi_arg *a = &args[i];
        memset(a, 0, sizeof *a);
        unsigned kind = take(&r) % 8;
        a->rows = a->cols = 1;
        a->cells = &scalars[i];
        if (kind == 0) {
            a->missing = 1;
            a->rows = a->cols = 0;
        } else if (kind == 1) {
            scalars[i] = (kpi_cell){KPI_CELL_TEXT, 0};
            a->text = texts[take(&r) % (sizeof texts / sizeof *texts)];
        } else if (kind < 5) {
            scalars[i] = (kpi_cell){KPI_CELL_NUMBER, number(&r)};
        } else {
            size_t rows = 1 + take(&r) % 64, cols = 1 + take(&r) % 3;
            if (take(&r) == 255)
                rows = MAX_CELLS / cols; /* now and then a long column */
            owned[i] = malloc(rows * cols * sizeof *owned[i]);
            if (!owned[i])
                abort();
            for (size_t c = 0; c < rows * cols; c++)
                owned[i][c] = cell(&r);
            a->rows = rows;
            a->cols = cols;
            a->cells = owned[i];
        }
    }
    kpi_result res = {0, 0, NULL};
    kpi_status st = kpi_call(fn, args, nargs, &res);
    if (st == KPI_OK) {
        if (!res.v || res.rows * res.cols == 0)
            abort();
        for (size_t i = 0; i < res.rows * res.cols; i++) {
            double v = res.v[i];
            if (isinf(v))
                abort();
            if (isnan(v)) {
                int code = kpi_error_code(v);
                if (code != KPI_CALC_ERR_DIV0 && code != KPI_CALC_ERR_NUM &&
                    code != KPI_CALC_ERR_VALUE && code != KPI_CALC_ERR_MISSING)
                    abort();
            }
        }
    } else if (st != KPI_ENOMEM) {
        abort();
    }
    kpi_result_free(&res);
    for (size_t i = 0; i < nargs; i++)
        free(owned[i]);
    return 0;
}
