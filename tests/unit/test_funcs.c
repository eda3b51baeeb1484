/* test_funcs.c - unit tests of the spreadsheet layer (addin/funcs/) and of
 * the catalogue: argument checks, element-wise calls over ranges, error
 * encoding, and the consistency of formulas/catalogue.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "kpi_args.h"
#include "kpi_bind.h"
#include "kpi_funcs.h"
#include "kpi_test.h"

/* A call as Calc makes it: through the binder (defaults, Err:511). */
static kpi_status call(const char *name, const kpi_arg *args, size_t nargs,
                       kpi_result *out)
{
    const kpi_function_desc *fn = kpi_catalogue_find(name, strlen(name));
    if (!fn)
        abort();
    return kpi_call(fn, args, nargs, out);
}

/* Argument builders: scalars, text, missing, and column ranges. */
#define POOL_SIZE 512
static kpi_cell cells_pool[POOL_SIZE][16];
static int pool_used;

static kpi_arg num(double v)
{
    if (pool_used >= POOL_SIZE)
        abort();
    kpi_cell *c = cells_pool[pool_used++];
    c[0] = (kpi_cell){KPI_CELL_NUMBER, v};
    return (kpi_arg){0, 1, 1, c, NULL};
}

static kpi_arg text(const char *s)
{
    if (pool_used >= POOL_SIZE)
        abort();
    kpi_cell *c = cells_pool[pool_used++];
    c[0] = (kpi_cell){KPI_CELL_TEXT, 0};
    return (kpi_arg){0, 1, 1, c, s};
}

static kpi_arg missing(void)
{
    return (kpi_arg){1, 0, 0, NULL, NULL};
}

/* A column; NAN stands for an empty cell, -INFINITY for a text cell. */
static kpi_arg column(const double *v, size_t n)
{
    if (pool_used >= POOL_SIZE)
        abort();
    kpi_cell *c = cells_pool[pool_used++];
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            c[i] = (kpi_cell){KPI_CELL_EMPTY, 0};
        else if (v[i] == -INFINITY)
            c[i] = (kpi_cell){KPI_CELL_TEXT, 0};
        else
            c[i] = (kpi_cell){KPI_CELL_NUMBER, v[i]};
    }
    return (kpi_arg){0, n, 1, c, NULL};
}

static void test_error_encoding(void)
{
    CHECK_EQ_INT(kpi_error_code(kpi_error_double(KPI_EDIV0)), 532);
    CHECK_EQ_INT(kpi_error_code(kpi_error_double(KPI_ENUM)), 503);
    CHECK_EQ_INT(kpi_error_code(kpi_error_double(KPI_EVALUE)), 519);
    CHECK_EQ_INT(kpi_error_code(kpi_error_double(KPI_EMISSING)), 511);
    CHECK_EQ_INT(kpi_error_code(kpi_error_double(KPI_ENOMEM)), 519);
    CHECK_EQ_INT(kpi_error_code(0.5), 0);
    CHECK(isnan(kpi_error_double(KPI_EDIV0)));
}

static void test_scalar_calls(void)
{
    kpi_result r;
    kpi_arg a[2] = {num(31), num(34)};
    CHECK_EQ_INT(call("CERTRATE", a, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows * r.cols, 1);
    CHECK_CLOSE(r.v[0], 31.0 / 34.0, 1e-15);
    kpi_result_free(&r);

    kpi_arg t[2] = {text("31"), num(34)};
    CHECK_EQ_INT(call("CERTRATE", t, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    kpi_arg m[2] = {num(31), missing()};
    CHECK_EQ_INT(call("ADOPTRATE", m, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    kpi_arg one[1] = {num(31)};
    CHECK_EQ_INT(call("CERTRATE", one, 1, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    kpi_arg yoy_one[1] = {num(12)};
    CHECK_EQ_INT(call("YOY", yoy_one, 1, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511); /* current left out */
    kpi_result_free(&r);

    kpi_arg yoy_text[2] = {text("a"), num(5)};
    CHECK_EQ_INT(call("YOY", yoy_text, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    kpi_arg cagr_text[3] = {text("a"), num(5), num(3)};
    CHECK_EQ_INT(call("CAGR", cagr_text, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    kpi_arg cagr_two[2] = {num(1), num(2)};
    CHECK_EQ_INT(call("CAGR", cagr_two, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511); /* periods left out */
    kpi_result_free(&r);

    kpi_arg dd[4] = {num(5), num(3), num(0.2), num(0)};
    CHECK_EQ_INT(call("DOUBLEDECLINE", dd, 4, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 1.0, 0);
    kpi_result_free(&r);

    kpi_arg dz[5] = {num(2), num(0), num(0), num(0), missing()};
    CHECK_EQ_INT(call("DOUBLEDECLINE", dz, 5, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 0.0, 0); /* zero_holds defaults to FALSE */
    kpi_result_free(&r);
}

static void test_lossrate_arity(void)
{
    kpi_result r;
    kpi_arg three[3] = {num(1), num(8), num(0)};
    CHECK_EQ_INT(call("LOSSRATE", three, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519); /* odd count: #VALUE! */
    kpi_result_free(&r);

    kpi_arg trailing[4] = {num(1), num(8), missing(), missing()};
    CHECK_EQ_INT(call("LOSSRATE", trailing, 4, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 1.0 / 8.0, 1e-15); /* LOSSRATE(1;8;;) */
    kpi_result_free(&r);

    kpi_arg many[40];
    for (int i = 0; i < 40; i += 2) {
        many[i] = num(1);
        many[i + 1] = num(4);
    }
    CHECK_EQ_INT(call("LOSSRATE", many, 40, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 0.25, 1e-15);
    kpi_result_free(&r);
}

static void test_elementwise(void)
{
    kpi_result r;
    const double parts[] = {31, 30, 34, NAN, -INFINITY};
    const double wholes[] = {34, 34, 0, 34, 34};
    kpi_arg a[2] = {column(parts, 5), column(wholes, 5)};
    CHECK_EQ_INT(call("CERTRATE", a, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows, 5);
    CHECK_EQ_INT(r.cols, 1);
    CHECK_CLOSE(r.v[0], 31.0 / 34.0, 1e-15);
    CHECK_CLOSE(r.v[1], 30.0 / 34.0, 1e-15);
    CHECK_EQ_INT(kpi_error_code(r.v[2]), 532); /* its own error */
    CHECK_CLOSE(r.v[3], 0.0, 0);               /* empty counts as 0 */
    CHECK_EQ_INT(kpi_error_code(r.v[4]), 519); /* text */
    kpi_result_free(&r);

    kpi_arg b[2] = {column(parts, 3), num(34)}; /* range and a number */
    CHECK_EQ_INT(call("CERTRATE", b, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows, 3);
    CHECK_CLOSE(r.v[2], 1.0, 0);
    kpi_result_free(&r);

    kpi_arg c[2] = {column(parts, 3), column(wholes, 2)}; /* shapes differ */
    CHECK_EQ_INT(call("CERTRATE", c, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows * r.cols, 1);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
}

static void test_arg_helpers(void)
{
    double v;
    kpi_arg n = num(3), t = text("x"), m = missing();
    CHECK_EQ_INT(kpi_arg_number(&n, 0, 0, &v), KPI_OK);
    CHECK_CLOSE(v, 3.0, 0);
    CHECK_EQ_INT(kpi_arg_scalar(&n, &v), KPI_OK);
    CHECK_CLOSE(v, 3.0, 0);
    CHECK_EQ_INT(kpi_arg_scalar(&m, &v), KPI_EMISSING);
    CHECK_EQ_INT(kpi_arg_number(&m, 1, 0.95, &v), KPI_OK);
    CHECK_CLOSE(v, 0.95, 0);
    CHECK_EQ_INT(kpi_arg_number(&m, 0, 0, &v), KPI_EMISSING);
    CHECK_EQ_INT(kpi_arg_number(&t, 0, 0, &v), KPI_EVALUE);
    const double col[] = {1, 2};
    kpi_arg range = column(col, 2);
    CHECK_EQ_INT(kpi_arg_number(&range, 0, 0, &v), KPI_EVALUE);

    const char *opt = "unset";
    CHECK_EQ_INT(kpi_arg_option(&m, &opt), KPI_OK);
    CHECK(opt == NULL);
    CHECK_EQ_INT(kpi_arg_option(&t, &opt), KPI_OK);
    CHECK(opt && strcmp(opt, "x") == 0);
    CHECK_EQ_INT(kpi_arg_option(&n, &opt), KPI_EVALUE);

    const double series[] = {1, NAN, -INFINITY, 4};
    kpi_arg s = column(series, 4);
    double *out = NULL;
    size_t count = 0;
    CHECK_EQ_INT(kpi_arg_series(&s, &out, &count), KPI_OK);
    CHECK_EQ_INT(count, 4);
    CHECK(out && out[0] == 1 && isnan(out[1]) && isnan(out[2]) && out[3] == 4);
    free(out);
    CHECK_EQ_INT(kpi_arg_series(&m, &out, &count), KPI_EMISSING);
}

static kpi_arg row_of(const double *v, size_t n)
{
    kpi_arg a = column(v, n);
    a.rows = 1;
    a.cols = n;
    return a;
}

static void test_stats_adapters(void)
{
    kpi_result r;
    kpi_arg ci[2] = {num(31), num(34)};
    CHECK_EQ_INT(call("RATECI", ci, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows, 1);
    CHECK_EQ_INT(r.cols, 2);
    CHECK_CLOSE(r.v[0], 0.7703951343719113, 1e-12);
    CHECK_CLOSE(r.v[1], 0.9695340563253515, 1e-12);
    kpi_result_free(&r);

    kpi_arg bad_method[4] = {num(31), num(34), missing(), text("bayes")};
    CHECK_EQ_INT(call("RATECI", bad_method, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519); /* every element */
    CHECK_EQ_INT(kpi_error_code(r.v[1]), 519);
    kpi_result_free(&r);

    kpi_arg no_trials[1] = {num(31)};
    CHECK_EQ_INT(call("RATECI", no_trials, 1, &r), KPI_OK);
    CHECK_EQ_INT(r.rows * r.cols, 1); /* Calc fills the array area with it */
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    const double xs[] = {31, 30, 35}, ns[] = {34, 34, 34};
    kpi_arg rows[2] = {column(xs, 3), column(ns, 3)};
    CHECK_EQ_INT(call("RATECI", rows, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows, 3);
    CHECK_EQ_INT(r.cols, 2);
    CHECK_CLOSE(r.v[0], 0.7703951343719113, 1e-12);
    CHECK_EQ_INT(kpi_error_code(r.v[4]), 503); /* 35 of 34: its own row */
    CHECK_EQ_INT(kpi_error_code(r.v[5]), 503);
    kpi_result_free(&r);

    kpi_arg pair_mismatch[2] = {column(xs, 3), column(ns, 2)};
    CHECK_EQ_INT(call("RATECI", pair_mismatch, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.rows, 1);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    kpi_arg test[5] = {num(2), num(12), num(0), num(10), text(" Z ")};
    CHECK_EQ_INT(call("RATETEST", test, 5, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 0.1757343356442251, 1e-9);
    kpi_result_free(&r);
    CHECK_EQ_INT(call("RATETEST", test, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    const double y[] = {30, 25, 27, 20, 18, 15, 12};
    const double x[] = {2014, 2015, 2016, 2017, 2018, 2019, 2020};
    const double x6[] = {2014, 2015, 2016, 2017, 2018, 2019};
    const double dup[] = {2014, 2015, 2015, 2017, 2018, 2019, 2020};
    kpi_arg series[2] = {column(y, 7), row_of(x, 7)}; /* a row pairs too */
    CHECK_EQ_INT(call("TRENDSLOPE", series, 2, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], -2.9642857142857144, 1e-12);
    kpi_result_free(&r);

    kpi_arg mismatch[2] = {column(y, 7), column(x6, 6)};
    CHECK_EQ_INT(call("TRENDSLOPE", mismatch, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    CHECK_EQ_INT(call("TRENDSTATS", mismatch, 2, &r), KPI_OK);
    CHECK_EQ_INT(r.cols, 7);
    for (size_t i = 0; i < 7; i++)
        CHECK_EQ_INT(kpi_error_code(r.v[i]), 519);
    kpi_result_free(&r);

    kpi_arg one_point[1] = {num(5)};
    CHECK_EQ_INT(call("TRENDSTATS", one_point, 1, &r), KPI_OK);
    for (size_t i = 0; i < 7; i++)
        CHECK_EQ_INT(kpi_error_code(r.v[i]), 532);
    kpi_result_free(&r);

    kpi_arg fc[5] = {column(y, 7), column(x, 7), num(2021), num(0.95),
                     num(0.5)};
    CHECK_EQ_INT(call("TRENDFORECAST", fc, 5, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 503); /* bound 0.5 */
    kpi_result_free(&r);
    fc[4] = text("upper");
    CHECK_EQ_INT(call("TRENDFORECAST", fc, 5, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    fc[4] = num(0);
    CHECK_EQ_INT(call("TRENDFORECAST", fc, 5, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 9.142857142857142, 1e-9);
    kpi_result_free(&r);
    CHECK_EQ_INT(call("TRENDFORECAST", fc, 2, &r), KPI_OK); /* no target */
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    kpi_arg mk[3] = {column(y, 7), column(x, 7), text("S")};
    CHECK_EQ_INT(call("MKTEST", mk, 3, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], -19, 0);
    kpi_result_free(&r);
    mk[2] = text("q");
    CHECK_EQ_INT(call("MKTEST", mk, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    kpi_arg mkdup[2] = {column(y, 7), column(dup, 7)};
    CHECK_EQ_INT(call("MKTEST", mkdup, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519); /* duplicate years */
    kpi_result_free(&r);
    CHECK_EQ_INT(call("SENSLOPE", mkdup, 2, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], -3, 1e-12); /* allowed for Sen */
    kpi_result_free(&r);
    CHECK_EQ_INT(call("TRENDDIR", series, 2, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], -1, 0);
    kpi_result_free(&r);
    kpi_arg alpha[3] = {column(y, 7), missing(), num(1.5)};
    CHECK_EQ_INT(call("TRENDDIR", alpha, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 503);
    kpi_result_free(&r);
    alpha[2] = text("low");
    CHECK_EQ_INT(call("TRENDDIR", alpha, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519); /* text alpha */
    kpi_result_free(&r);

    /* Ranges of different sizes: #VALUE! for every series function. */
    CHECK_EQ_INT(call("SENSLOPE", mismatch, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    CHECK_EQ_INT(call("TRENDDIR", mismatch, 2, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    kpi_arg fc_mismatch[3] = {column(y, 7), column(x6, 6), num(2021)};
    CHECK_EQ_INT(call("TRENDFORECAST", fc_mismatch, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    /* Text for an option: #VALUE!. */
    kpi_arg sen_conf[3] = {column(y, 7), column(x, 7), text("high")};
    CHECK_EQ_INT(call("SENSLOPE", sen_conf, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    kpi_arg sen_bound[4] = {column(y, 7), column(x, 7), num(0.95),
                            text("upper")};
    CHECK_EQ_INT(call("SENSLOPE", sen_bound, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    kpi_arg fc_conf[4] = {column(y, 7), column(x, 7), num(2021), text("high")};
    CHECK_EQ_INT(call("TRENDFORECAST", fc_conf, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    /* No arguments at all: Err:511. */
    CHECK_EQ_INT(call("MKTEST", NULL, 0, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);
    CHECK_EQ_INT(call("TRENDPVALUE", NULL, 0, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);
}

static int is_upper_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

/* The binder: defaults from the row, Err:511 first, repeats, too many. */
static void test_binder(void)
{
    kpi_result r, d;
    kpi_bound_args b0;
    kpi_arg full[4] = {num(31), num(34), num(0.95), text("agresti")};
    kpi_arg left[4] = {num(31), num(34), missing(), text("agresti")};
    CHECK_EQ_INT(call("RATECI", full, 4, &r), KPI_OK);
    CHECK_EQ_INT(call("RATECI", left, 4, &d), KPI_OK);
    CHECK(r.v[0] == d.v[0] && r.v[1] == d.v[1]); /* confidence 0.95 */
    CHECK_CLOSE(d.v[0], 0.762801376041966, 1e-12);
    kpi_result_free(&r);
    kpi_result_free(&d);

    /* a required argument left out wins over every other error */
    kpi_arg both[4] = {num(31), missing(), text("x"), text("bayes")};
    CHECK_EQ_INT(call("RATECI", both, 4, &r), KPI_OK);
    CHECK_EQ_INT(r.rows * r.cols, 1);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    /* more arguments than parameters */
    kpi_arg three[3] = {num(1), num(2), num(3)};
    CHECK_EQ_INT(call("CERTRATE", three, 3, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    /* a repeat left out before a given one */
    kpi_arg gap[4] = {num(1), num(8), missing(), num(4)};
    CHECK_EQ_INT(call("LOSSRATE", gap, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 511);
    kpi_result_free(&r);

    /* the option's default comes from the row: MKTEST "p" */
    const double y[] = {30, 25, 27, 20, 18, 15, 12};
    kpi_arg mk[3] = {column(y, 7), missing(), missing()};
    kpi_arg mkp[3] = {column(y, 7), missing(), text("p")};
    CHECK_EQ_INT(call("MKTEST", mk, 3, &r), KPI_OK);
    CHECK_EQ_INT(call("MKTEST", mkp, 3, &d), KPI_OK);
    CHECK(r.v[0] == d.v[0] && r.v[0] > 0 && r.v[0] < 0.01);
    kpi_result_free(&r);
    kpi_result_free(&d);

    /* an option given as blank text is left out: the row's default, given
     * by the binder only (the core's parsers answer blank with #VALUE!) */
    static const struct {
        const char *fn;
        size_t nargs;
        const char *dflt, *other;
    } blank[] = {{"RATECI", 4, "wilson", "exact"},
                 {"RATETEST", 5, "fisher", "z"},
                 {"FUNNELLIMITS", 4, "upper", "lower"},
                 {"MKTEST", 3, "p", "s"}};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        const char *const texts[] = {"", " \t ", blank[i].dflt, blank[i].other};
        double got[4];
        for (size_t t = 0; t < 4; t++) {
            kpi_arg a[5];
            if (i == 0) /* RATECI(2;12;;opt) */
                a[0] = num(2), a[1] = num(12), a[2] = missing();
            else if (i == 1) /* RATETEST(2;12;1;10;opt) */
                a[0] = num(2), a[1] = num(12), a[2] = num(1), a[3] = num(10);
            else if (i == 2) /* FUNNELLIMITS(12;0.2;;opt) */
                a[0] = num(12), a[1] = num(0.2), a[2] = missing();
            else /* MKTEST(y;;opt) */
                a[0] = column(y, 7), a[1] = missing();
            a[blank[i].nargs - 1] = text(texts[t]);
            CHECK_EQ_INT(call(blank[i].fn, a, blank[i].nargs, &r), KPI_OK);
            got[t] = r.v[0];
            CHECK_EQ_INT(kpi_error_code(r.v[0]), 0);
            kpi_result_free(&r);
        }
        CHECK(got[0] == got[2] && got[1] == got[2]);
        CHECK(got[3] != got[2]); /* the default, not any option */
    }
    const kpi_function_desc *ci = kpi_catalogue_find("RATECI", 6);
    kpi_arg ci_blank[4] = {num(31), num(34), missing(), text("  ")};
    CHECK_EQ_INT(kpi_bind(ci, ci_blank, 4, &b0), KPI_OK);
    CHECK(b0.args[3].text && !strcmp(b0.args[3].text, "wilson"));
    CHECK(b0.args[2].cells[0].num == 0.95);
    kpi_bound_args_free(&b0);
    /* blank text is left out for an OPTION only: elsewhere it is text */
    kpi_arg conf_blank[4] = {num(31), num(34), text(""), missing()};
    CHECK_EQ_INT(call("RATECI", conf_blank, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    kpi_arg loss_blank[4] = {num(1), num(8), text(""), text("")};
    CHECK_EQ_INT(call("LOSSRATE", loss_blank, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
    /* a text that is not blank stays the user's: an unknown option */
    kpi_arg ci_dot[4] = {num(31), num(34), missing(), text(" . ")};
    CHECK_EQ_INT(call("RATECI", ci_dot, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);

    /* LOSSRATE's total of concluded cases is a count: above 2^53 #NUM! */
    kpi_arg loss_big[4] = {num(0), num(9007199254740992.0), num(0), num(1)};
    CHECK_EQ_INT(call("LOSSRATE", loss_big, 4, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 503);
    kpi_result_free(&r);

    /* years left out before a required argument: 1, 2, ..., n */
    kpi_arg fc[3] = {column(y, 7), missing(), num(8)};
    CHECK_EQ_INT(call("TRENDFORECAST", fc, 3, &r), KPI_OK);
    CHECK_CLOSE(r.v[0], 9.142857142857142, 1e-9);
    kpi_result_free(&r);

    /* the bound arguments themselves */
    kpi_bound_args b;
    const kpi_function_desc *sen = kpi_catalogue_find("SENSLOPE", 8);
    kpi_arg s1[1] = {column(y, 7)};
    CHECK_EQ_INT(kpi_bind(sen, s1, 1, &b), KPI_OK);
    CHECK_EQ_INT(b.nargs, 4);
    CHECK(b.args[1].missing);
    CHECK(!b.args[2].missing && b.args[2].cells[0].num == 0.95);
    CHECK(!b.args[3].missing && b.args[3].cells[0].num == 0);
    kpi_bound_args_free(&b);
    CHECK_EQ_INT(kpi_bind(sen, NULL, 0, &b), KPI_EMISSING);

    /* many repeats: beyond the inline storage */
    kpi_arg many[40];
    for (int i = 0; i < 40; i++)
        many[i] = num(i % 2 ? 4 : 1);
    const kpi_function_desc *loss = kpi_catalogue_find("LOSSRATE", 8);
    CHECK_EQ_INT(kpi_bind(loss, many, 40, &b), KPI_OK);
    CHECK_EQ_INT(b.nargs, 40);
    CHECK(b.args != b.inline_args);
    kpi_bound_args_free(&b);

    /* a row without an entry point: #VALUE!, never a crash */
    static const kpi_function_desc unbound = {
        "NOSUCH", "x", "x", "x", "=NOSUCH()", "0", 1, {{.name = "a"}}};
    CHECK_EQ_INT(kpi_call(&unbound, NULL, 0, &r), KPI_OK);
    CHECK_EQ_INT(kpi_error_code(r.v[0]), 519);
    kpi_result_free(&r);
}

/* The catalogue is the one list: every row must be complete. */
static void test_catalogue(void)
{
    CHECK(kpi_catalogue_count >= 6);
    for (size_t i = 0; i < kpi_catalogue_count; i++) {
        const kpi_function_desc *fn = &kpi_catalogue[i];
        CHECK(is_upper_name(fn->name));
        CHECK(kpi_binding_find(fn->name) != NULL); /* bound */
        CHECK(fn->help_en && *fn->help_en && fn->help_zh && *fn->help_zh);
        CHECK(fn->example && *fn->example && fn->section && *fn->section);
        CHECK(fn->nparams >= 1 && fn->nparams <= KPI_MAX_PARAMS);
        CHECK(kpi_catalogue_find(fn->name, strlen(fn->name)) == fn);
        int seen_optional = 0;
        for (size_t p = 0; p < fn->nparams; p++) {
            const kpi_param_desc *pd = &fn->params[p];
            CHECK(pd->name && *pd->name && pd->name_zh && *pd->name_zh);
            CHECK(pd->help_en && *pd->help_en && pd->help_zh && *pd->help_zh);
            CHECK(!pd->varargs || p + 1 == fn->nparams);
            /* optional ones last, but years may be left out anywhere */
            CHECK(!seen_optional || pd->optional);
            seen_optional |= pd->optional && pd->kind != KPI_KIND_YEARS;
            CHECK(!pd->optional || pd->varargs || pd->kind != KPI_KIND_OPTION ||
                  pd->dflt_text);
        }
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(kpi_catalogue[j].name, fn->name) != 0);
    }
    CHECK(kpi_catalogue_find("NOSUCH", 6) == NULL);
    /* every entry point belongs to a catalogue row */
    for (size_t i = 0; i < kpi_bindings_count; i++)
        CHECK(kpi_catalogue_find(kpi_bindings[i].name,
                                 strlen(kpi_bindings[i].name)) != NULL);
    CHECK_EQ_INT(kpi_bindings_count, kpi_catalogue_count);
    CHECK(kpi_binding_find("NOSUCH") == NULL);
    CHECK(strcmp(kpi_param_kind_name(KPI_KIND_LEVEL), "level") == 0);
}

int main(void)
{
    test_error_encoding();
    test_scalar_calls();
    test_lossrate_arity();
    test_elementwise();
    test_arg_helpers();
    test_stats_adapters();
    test_binder();
    test_catalogue();
    return kpi_test_report("funcs");
}
