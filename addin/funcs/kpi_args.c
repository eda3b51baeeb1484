/* kpi_args.c - argument checks, element-wise calls and results; see
 * kpi_args.h. */
#include "kpi_args.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int calc_code(kpi_status s)
{
    switch (s) {
    case KPI_EDIV0:
        return KPI_CALC_ERR_DIV0;
    case KPI_ENUM:
        return KPI_CALC_ERR_NUM;
    case KPI_EMISSING:
        return KPI_CALC_ERR_MISSING;
    case KPI_OK:
    case KPI_EVALUE:
    case KPI_ENOMEM:
    default:
        return KPI_CALC_ERR_VALUE;
    }
}

double kpi_error_double(kpi_status s)
{
    /* A quiet NaN whose low 32 bits carry the error code. */
    uint64_t bits = UINT64_C(0x7FF8000000000000) | (uint64_t)calc_code(s);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

int kpi_error_code(double d)
{
    if (!isnan(d))
        return 0;
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return (int)(bits & 0xFFFF);
}

kpi_status kpi_result_alloc(kpi_result *r, size_t rows, size_t cols)
{
    r->rows = r->cols = 0;
    r->v = NULL;
    if (rows == 0 || cols == 0 || rows > SIZE_MAX / sizeof(double) / cols)
        return KPI_ENOMEM;
    r->v = malloc(rows * cols * sizeof *r->v);
    if (!r->v)
        return KPI_ENOMEM;
    r->rows = rows;
    r->cols = cols;
    return KPI_OK;
}

void kpi_result_fill_error(kpi_result *r, kpi_status s)
{
    double e = kpi_error_double(s);
    for (size_t i = 0; i < r->rows * r->cols; i++)
        r->v[i] = e;
}

void kpi_result_free(kpi_result *r)
{
    free(r->v);
    r->v = NULL;
    r->rows = r->cols = 0;
}

static const kpi_arg missing_arg = {.missing = 1};

const kpi_arg *kpi_arg_at(const kpi_arg *args, size_t nargs, size_t i)
{
    return i < nargs ? &args[i] : &missing_arg;
}

size_t kpi_arg_count(const kpi_arg *a)
{
    return a->missing ? 0 : a->rows * a->cols;
}

kpi_status kpi_arg_element(const kpi_arg *a, size_t e, double *out)
{
    if (a->missing)
        return KPI_EMISSING;
    const kpi_cell *c = &a->cells[a->rows * a->cols == 1 ? 0 : e];
    switch (c->kind) {
    case KPI_CELL_NUMBER:
        *out = c->num;
        return KPI_OK;
    case KPI_CELL_EMPTY:
        *out = 0;
        return KPI_OK;
    case KPI_CELL_TEXT:
    default:
        return KPI_EVALUE;
    }
}

kpi_status kpi_arg_number(const kpi_arg *a, int optional, double dflt,
                          double *out)
{
    if (a->missing) {
        if (!optional)
            return KPI_EMISSING;
        *out = dflt;
        return KPI_OK;
    }
    if (a->rows * a->cols != 1)
        return KPI_EVALUE;
    return kpi_arg_element(a, 0, out);
}

kpi_status kpi_arg_scalar(const kpi_arg *a, double *out)
{
    return kpi_arg_number(a, 0, 0, out);
}

kpi_status kpi_arg_option(const kpi_arg *a, const char **out)
{
    *out = NULL;
    if (a->missing)
        return KPI_OK;
    if (!a->text)
        return KPI_EVALUE;
    *out = a->text;
    return KPI_OK;
}

kpi_status kpi_arg_series(const kpi_arg *a, double **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (a->missing)
        return KPI_EMISSING;
    size_t count = a->rows * a->cols;
    double *v = malloc((count ? count : 1) * sizeof *v);
    if (!v)
        return KPI_ENOMEM;
    for (size_t i = 0; i < count; i++)
        v[i] = a->cells[i].kind == KPI_CELL_NUMBER ? a->cells[i].num : NAN;
    *out = v;
    *n = count;
    return KPI_OK;
}

/* The shape shared by the range arguments: 1x1 when all are single values;
 * KPI_EVALUE when two ranges differ. */
static kpi_status common_shape(const kpi_arg *args, size_t nargs, size_t *rows,
                               size_t *cols)
{
    *rows = *cols = 1;
    int have = 0;
    for (size_t i = 0; i < nargs; i++) {
        const kpi_arg *a = &args[i];
        if (a->missing || a->rows * a->cols == 1)
            continue;
        if (!have) {
            *rows = a->rows;
            *cols = a->cols;
            have = 1;
        } else if (a->rows != *rows || a->cols != *cols) {
            return KPI_EVALUE;
        }
    }
    return KPI_OK;
}

/* The number of argument i at element e of the broadcast (a missing
 * optional argument gives its default), or the status that makes this
 * element an error. */
static kpi_status element_value(const kpi_arg *a, size_t i, size_t e,
                                const kpi_elementwise_spec *spec, double *out)
{
    if (a->missing && i >= spec->nrequired && spec->dflt) {
        *out = spec->dflt[i];
        return KPI_OK;
    }
    return kpi_arg_element(a, e, out);
}

kpi_status kpi_elementwise(const kpi_arg *args, size_t nargs,
                           const kpi_elementwise_spec *spec,
                           kpi_elementwise_fn fn, const void *ctx,
                           kpi_result *out)
{
    size_t rows, cols;
    kpi_status st = common_shape(args, nargs, &rows, &cols);
    if (st != KPI_OK || nargs > spec->k) {
        if (kpi_result_alloc(out, 1, 1) != KPI_OK)
            return KPI_ENOMEM;
        kpi_result_fill_error(out, KPI_EVALUE);
        return KPI_OK;
    }
    if (kpi_result_alloc(out, rows, cols) != KPI_OK)
        return KPI_ENOMEM;
    double stack[16];
    double *x = spec->k <= 16 ? stack : malloc(spec->k * sizeof *x);
    if (!x) {
        kpi_result_free(out);
        return KPI_ENOMEM;
    }
    for (size_t e = 0; e < rows * cols; e++) {
        kpi_status es = KPI_OK;
        for (size_t i = 0; i < spec->k && es == KPI_OK; i++)
            es = element_value(kpi_arg_at(args, nargs, i), i, e, spec, &x[i]);
        double r = 0;
        if (es == KPI_OK)
            es = fn(x, spec->k, ctx, &r);
        out->v[e] = es == KPI_OK ? r : kpi_error_double(es);
    }
    if (x != stack)
        free(x);
    return KPI_OK;
}
