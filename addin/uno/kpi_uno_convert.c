/* kpi_uno_convert.c - between UNO values and kpi_args; see
 * kpi_uno_convert.h. */
#include "kpi_uno_convert.h"

#include <stdlib.h>
#include <string.h>

static typelib_TypeDescriptionReference *type_of(typelib_TypeClass e)
{
    return *typelib_static_type_getByTypeClass(e);
}

/* sequence<double> and sequence<sequence<double>>: static type references,
 * made once (typelib_static_sequence_type_init does nothing when set). */
static typelib_TypeDescriptionReference *row_type(void)
{
    static typelib_TypeDescriptionReference *t;
    typelib_static_sequence_type_init(&t, type_of(typelib_TypeClass_DOUBLE));
    return t;
}

static typelib_TypeDescriptionReference *matrix_type(void)
{
    static typelib_TypeDescriptionReference *t;
    typelib_static_sequence_type_init(&t, row_type());
    return t;
}

/* sequence<sequence<any>>, the type of a range argument, made once too. */
static typelib_TypeDescriptionReference *any_matrix_type(void)
{
    static typelib_TypeDescriptionReference *row, *t;
    typelib_static_sequence_type_init(&row, type_of(typelib_TypeClass_ANY));
    typelib_static_sequence_type_init(&t, row);
    return t;
}

/* A number from an any of a numeric type class; 0 when it is not one. */
static int any_number(const uno_Any *a, double *out)
{
    const void *p = a->pData;
    switch (a->pType->eTypeClass) {
    case typelib_TypeClass_DOUBLE:
        *out = *(const double *)p;
        return 1;
    case typelib_TypeClass_FLOAT:
        *out = *(const float *)p;
        return 1;
    case typelib_TypeClass_LONG:
        *out = *(const sal_Int32 *)p;
        return 1;
    case typelib_TypeClass_UNSIGNED_LONG:
        *out = *(const sal_uInt32 *)p;
        return 1;
    case typelib_TypeClass_SHORT:
        *out = *(const sal_Int16 *)p;
        return 1;
    case typelib_TypeClass_UNSIGNED_SHORT:
        *out = *(const sal_uInt16 *)p;
        return 1;
    case typelib_TypeClass_HYPER:
        *out = (double)*(const sal_Int64 *)p;
        return 1;
    case typelib_TypeClass_BYTE:
        *out = *(const sal_Int8 *)p;
        return 1;
    case typelib_TypeClass_BOOLEAN:
        *out = *(const sal_Bool *)p ? 1 : 0;
        return 1;
    default:
        return 0;
    }
}

/* One cell of a range: a number, an empty cell (void or "") or text. */
static kpi_cell cell_from_any(const uno_Any *a)
{
    kpi_cell c = {KPI_CELL_TEXT, 0};
    if (any_number(a, &c.num)) {
        c.kind = KPI_CELL_NUMBER;
    } else if (a->pType->eTypeClass == typelib_TypeClass_VOID) {
        c.kind = KPI_CELL_EMPTY;
    } else if (a->pType->eTypeClass == typelib_TypeClass_STRING) {
        const rtl_uString *s = *(rtl_uString *const *)a->pData;
        c.kind = s->length == 0 ? KPI_CELL_EMPTY : KPI_CELL_TEXT;
    }
    return c;
}

/* A range: sequence<sequence<any>> (or of double). Rows shorter than the
 * longest are padded with empty cells. */
static kpi_status range_from_sequence(const uno_Sequence *outer, int of_doubles,
                                      kpi_arg *arg)
{
    size_t rows = (size_t)outer->nElements, cols = 0;
    uno_Sequence *const *row = (uno_Sequence *const *)outer->elements;
    for (size_t r = 0; r < rows; r++)
        if ((size_t)row[r]->nElements > cols)
            cols = (size_t)row[r]->nElements;
    arg->rows = rows;
    arg->cols = cols;
    if (rows == 0 || cols == 0) { /* an empty array: one empty cell */
        arg->rows = arg->cols = 1;
        arg->cells = calloc(1, sizeof *arg->cells);
        return arg->cells ? KPI_OK : KPI_ENOMEM;
    }
    arg->cells = malloc(rows * cols * sizeof *arg->cells);
    if (!arg->cells)
        return KPI_ENOMEM;
    for (size_t r = 0; r < rows; r++) {
        size_t n = (size_t)row[r]->nElements;
        kpi_cell *dst = &arg->cells[r * cols];
        for (size_t c = 0; c < n; c++) {
            if (of_doubles) {
                dst[c].kind = KPI_CELL_NUMBER;
                dst[c].num = ((const double *)row[r]->elements)[c];
            } else {
                dst[c] = cell_from_any(&((const uno_Any *)row[r]->elements)[c]);
            }
        }
        for (size_t c = n; c < cols; c++)
            dst[c] = (kpi_cell){KPI_CELL_EMPTY, 0};
    }
    return KPI_OK;
}

/* Whether the any holds a value of type t (same reference, or equal). */
static int any_is(const uno_Any *a, typelib_TypeDescriptionReference *t)
{
    return a->pType == t ||
           typelib_typedescriptionreference_equals(a->pType, t);
}

/* Converts one any argument into *arg; cell is storage for a scalar and
 * *text receives a UTF-8 copy of a string argument. */
static kpi_status arg_from_any(const uno_Any *a, kpi_arg *arg, kpi_cell *cell,
                               rtl_String **text)
{
    memset(arg, 0, sizeof *arg);
    arg->rows = arg->cols = 1;
    arg->cells = cell;
    *cell = (kpi_cell){KPI_CELL_EMPTY, 0};
    if (a->pType->eTypeClass == typelib_TypeClass_VOID) {
        arg->missing = 1;
        arg->rows = arg->cols = 0;
        return KPI_OK;
    }
    if (any_number(a, &cell->num)) {
        cell->kind = KPI_CELL_NUMBER;
        return KPI_OK;
    }
    if (a->pType->eTypeClass == typelib_TypeClass_STRING) {
        const rtl_uString *s = *(rtl_uString *const *)a->pData;
        cell->kind = KPI_CELL_TEXT;
        rtl_uString2String(text, s->buffer, s->length, RTL_TEXTENCODING_UTF8,
                           OUSTRING_TO_OSTRING_CVTFLAGS);
        if (!*text)
            return KPI_ENOMEM;
        arg->text = (*text)->buffer;
        return KPI_OK;
    }
    if (any_is(a, any_matrix_type()))
        return range_from_sequence(*(uno_Sequence *const *)a->pData, 0, arg);
    if (any_is(a, matrix_type()))
        return range_from_sequence(*(uno_Sequence *const *)a->pData, 1, arg);
    cell->kind = KPI_CELL_TEXT; /* anything else is not a number */
    return KPI_OK;
}

void kpi_uno_call_args_free(kpi_uno_call_args *a)
{
    for (size_t i = 0; i < a->nargs; i++) {
        size_t slot = i < KPI_UNO_INLINE_ARGS ? i : KPI_UNO_INLINE_ARGS;
        kpi_arg *arg = &a->args[i];
        if (arg->cells && (slot == KPI_UNO_INLINE_ARGS ||
                           arg->cells != &a->inline_cells[slot]))
            free(arg->cells);
        if (i < KPI_UNO_INLINE_ARGS && a->texts[i])
            rtl_string_release(a->texts[i]);
    }
    if (a->args != a->inline_args)
        free(a->args);
    a->args = NULL;
    a->nargs = 0;
}

kpi_status kpi_uno_args_from_call(const kpi_function_desc *fn, void *args[],
                                  kpi_uno_call_args *out)
{
    memset(out->texts, 0, sizeof out->texts);
    size_t fixed = fn->nparams, nvar = 0;
    const uno_Sequence *var = NULL;
    if (fixed && fn->params[fixed - 1].varargs) {
        fixed--;
        var = *(uno_Sequence *const *)args[fixed];
        nvar = (size_t)var->nElements;
    }
    size_t n = fixed + nvar;
    out->nargs = 0;
    out->args = n <= KPI_UNO_INLINE_ARGS ? out->inline_args
                                         : calloc(n, sizeof *out->args);
    if (!out->args)
        return KPI_ENOMEM;
    kpi_status st = KPI_OK;
    for (size_t i = 0; i < n && st == KPI_OK; i++) {
        const uno_Any *a = i < fixed
                               ? (const uno_Any *)args[i]
                               : &((const uno_Any *)var->elements)[i - fixed];
        kpi_cell scratch = {KPI_CELL_EMPTY, 0};
        rtl_String *text = NULL;
        int inline_slot = i < KPI_UNO_INLINE_ARGS;
        kpi_cell *cell = inline_slot ? &out->inline_cells[i] : &scratch;
        st = arg_from_any(a, &out->args[i], cell, &text);
        out->nargs = i + 1;
        if (inline_slot) {
            out->texts[i] = text;
        } else if (st == KPI_OK && out->args[i].cells == &scratch) {
            /* beyond the inline storage: give the scalar its own cell */
            kpi_cell *own = malloc(sizeof *own);
            if (own)
                *own = scratch;
            out->args[i].cells = own;
            if (!own)
                st = KPI_ENOMEM;
            if (text) { /* option strings only matter among the first few */
                out->args[i].text = NULL;
                rtl_string_release(text);
            }
        } else {
            if (out->args[i].cells == &scratch) /* failed: keep no pointer */
                out->args[i].cells = NULL;
            if (text)
                rtl_string_release(text);
        }
    }
    if (st != KPI_OK)
        kpi_uno_call_args_free(out);
    return st;
}

void kpi_uno_any_from_result(uno_Any *ret, const kpi_result *r)
{
    if (r->rows * r->cols == 1) {
        uno_type_any_construct(ret, &r->v[0], type_of(typelib_TypeClass_DOUBLE),
                               NULL);
        return;
    }
    typelib_TypeDescriptionReference *rtype = row_type(),
                                     *mtype = matrix_type();
    uno_Sequence *matrix = NULL;
    uno_Sequence *stack_rows[64];
    uno_Sequence **rows =
        r->rows <= 64 ? stack_rows : malloc(r->rows * sizeof *rows);
    int ok = rows != NULL;
    size_t built = 0;
    for (; ok && built < r->rows; built++) {
        rows[built] = NULL;
        ok = uno_type_sequence_construct(&rows[built], rtype,
                                         &r->v[built * r->cols],
                                         (sal_Int32)r->cols, NULL);
    }
    if (ok)
        ok = uno_type_sequence_construct(&matrix, mtype, rows,
                                         (sal_Int32)r->rows, NULL);
    for (size_t i = 0; rows && i < built; i++)
        if (rows[i])
            uno_type_destructData(&rows[i], rtype, NULL);
    if (rows != stack_rows)
        free(rows);
    if (!ok) {
        kpi_uno_any_from_error(ret, KPI_ENOMEM);
        return;
    }
    uno_type_any_construct(ret, &matrix, mtype, NULL);
    uno_type_destructData(&matrix, mtype, NULL);
}

void kpi_uno_any_from_error(uno_Any *ret, kpi_status s)
{
    double e = kpi_error_double(s);
    uno_type_any_construct(ret, &e, type_of(typelib_TypeClass_DOUBLE), NULL);
}
