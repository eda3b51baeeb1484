/* kpi_args.h - spreadsheet arguments and results, independent of UNO.
 *
 * The UNO layer turns each argument of a call into a kpi_arg (a scalar or a
 * range of cells, or "missing") and turns the kpi_result back into what Calc
 * shows. The functions in addin/funcs/ check their arguments with the helpers
 * declared here, call the statistics core and fill the result; errors are
 * stored as the error-coded NaN doubles Calc displays as #DIV/0!, #NUM!, ... */
#ifndef KPI_ARGS_H
#define KPI_ARGS_H

#include <stddef.h>

#include "kpi_status.h"

typedef enum kpi_cell_kind {
    KPI_CELL_EMPTY,
    KPI_CELL_NUMBER,
    KPI_CELL_TEXT
} kpi_cell_kind;

typedef struct kpi_cell {
    kpi_cell_kind kind;
    double num; /* the value of a KPI_CELL_NUMBER */
} kpi_cell;

typedef struct kpi_arg {
    int missing; /* the argument was left out (or left empty: ";;") */
    size_t rows, cols;
    kpi_cell *cells;  /* rows * cols cells, row by row */
    const char *text; /* a scalar text argument, UTF-8; NULL otherwise */
} kpi_arg;

typedef struct kpi_result {
    size_t rows, cols;
    double *v; /* rows * cols values, row by row; errors NaN-coded */
} kpi_result;

/* Calc's error codes (formula/errorcodes.hxx). */
enum {
    KPI_CALC_ERR_NUM = 503,     /* #NUM! */
    KPI_CALC_ERR_MISSING = 511, /* Err:511, missing variable */
    KPI_CALC_ERR_VALUE = 519,   /* #VALUE! */
    KPI_CALC_ERR_DIV0 = 532     /* #DIV/0! */
};

/* The NaN that Calc shows as the error of status s (s != KPI_OK). */
double kpi_error_double(kpi_status s);
/* The Calc error code carried by d, or 0 when d is an ordinary number. */
int kpi_error_code(double d);

/* Allocates a rows x cols result (KPI_ENOMEM on failure). */
kpi_status kpi_result_alloc(kpi_result *r, size_t rows, size_t cols);
/* Fills every element of r with the error of s. */
void kpi_result_fill_error(kpi_result *r, kpi_status s);
void kpi_result_free(kpi_result *r);

/* The i-th argument, or a missing one past the end. */
const kpi_arg *kpi_arg_at(const kpi_arg *args, size_t nargs, size_t i);

/* Number of cells of an argument (0 when missing). */
size_t kpi_arg_count(const kpi_arg *a);

/* A single number of a bound argument (kpi_bind.h: defaults are already
 * in): missing is KPI_EMISSING; text, or a range of more than one cell, is
 * KPI_EVALUE; an empty cell is 0, as Calc passes it. */
kpi_status kpi_arg_scalar(const kpi_arg *a, double *out);

/* kpi_arg_scalar, but a missing argument gives dflt when optional. For
 * callers outside the binder only; entry points use kpi_arg_scalar. */
kpi_status kpi_arg_number(const kpi_arg *a, int optional, double dflt,
                          double *out);

/* The number at element e (row by row) of an argument; a single value
 * repeats for every e. Missing is KPI_EMISSING, a text cell KPI_EVALUE, an
 * empty cell 0. */
kpi_status kpi_arg_element(const kpi_arg *a, size_t e, double *out);

/* An option string: missing gives NULL; anything but text is KPI_EVALUE. */
kpi_status kpi_arg_option(const kpi_arg *a, const char **out);

/* A series: the cells as doubles, NaN for empty and text cells (skipped
 * later by kpi_series_prepare). *out is allocated; *n receives the count. A
 * missing required argument is KPI_EMISSING. */
kpi_status kpi_arg_series(const kpi_arg *a, double **out, size_t *n);

/* Element-wise calls. A function of k scalar arguments applied over ranges:
 * every argument that is a range must have the shape of the others (else the
 * result is one #VALUE!); single values are repeated. fn gets the k numbers
 * of one element (empty cells as 0; a text cell, or a missing required
 * argument, is that element's #VALUE! / Err:511 before fn is called).
 * Entry points pass bound arguments (all present): nrequired = k and dflt
 * NULL; dflt serves callers outside the binder. */
typedef kpi_status (*kpi_elementwise_fn)(const double *x, size_t k,
                                         const void *ctx, double *out);

typedef struct kpi_elementwise_spec {
    size_t k;           /* arguments per element */
    size_t nrequired;   /* the first nrequired may not be missing */
    const double *dflt; /* defaults of the optional ones (k entries) */
} kpi_elementwise_spec;

kpi_status kpi_elementwise(const kpi_arg *args, size_t nargs,
                           const kpi_elementwise_spec *spec,
                           kpi_elementwise_fn fn, const void *ctx,
                           kpi_result *out);

#endif
