/* kpi_uno_convert.h - between UNO values and the add-in's arguments.
 *
 * Calc passes each argument of an `any` parameter as a double, a string, a
 * range (sequence<sequence<any>>: numbers as doubles, empty cells as empty
 * strings, text as strings) or void when left out; the repeated last
 * parameter of a function like LOSSRATE comes as sequence<any>. These turn
 * them into kpi_args, and a kpi_result into the any Calc reads back: a
 * double for a single value, sequence<sequence<double>> for an array. */
#ifndef KPI_UNO_CONVERT_H
#define KPI_UNO_CONVERT_H

#include "catalogue.h"
#include "kpi_args.h"
#include "kpi_uno_sdk.h"

#define KPI_UNO_INLINE_ARGS 8

typedef struct kpi_uno_call_args {
    kpi_arg *args;
    size_t nargs;
    /* storage for calls with few scalar arguments: no allocation */
    kpi_arg inline_args[KPI_UNO_INLINE_ARGS];
    kpi_cell inline_cells[KPI_UNO_INLINE_ARGS];
    rtl_String *texts[KPI_UNO_INLINE_ARGS]; /* UTF-8 copies of strings */
} kpi_uno_call_args;

/* Converts the arguments args[] of a call of fn. KPI_ENOMEM on failure
 * (nothing to free then). */
kpi_status kpi_uno_args_from_call(const kpi_function_desc *fn, void *args[],
                                  kpi_uno_call_args *out);
void kpi_uno_call_args_free(kpi_uno_call_args *a);

/* Constructs the any *ret from r. */
void kpi_uno_any_from_result(uno_Any *ret, const kpi_result *r);

/* Constructs the any *ret holding the error of s (a NaN-coded double). */
void kpi_uno_any_from_error(uno_Any *ret, kpi_status s);

#endif
