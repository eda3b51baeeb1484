/* kpi_bind.h - the binder: a call's arguments against its catalogue row.
 *
 * The one place where optionality and defaults are applied, for every
 * function (formulas/catalogue.c says, per parameter, its kind, whether it
 * may be left out and its default):
 *   - a parameter is left out when missing, or passed empty (";;"), or,
 *     for an OPTION, given as blank text ("" or only ASCII white space);
 *   - a required parameter left out -> KPI_EMISSING (Err:511), before any
 *     other check;
 *   - an optional parameter left out -> its default from the row: a 1x1
 *     number (COUNT, NUMBER, RATE, LEVEL, FLAG, BOUND) or a text
 *     (OPTION: the core's option parsers have no default of their own);
 *     an optional YEARS stays missing (1, 2, ..., n);
 *   - repeated parameters (the last, VAR): trailing ones left out are
 *     dropped (LOSSRATE(1;8;;)); one left out before a given one is
 *     KPI_EMISSING;
 *   - more arguments than parameters (no VAR) -> KPI_EVALUE.
 * The values themselves (text where a number is needed, domains) are
 * checked by the entry points and the core. */
#ifndef KPI_BIND_H
#define KPI_BIND_H

#include "catalogue.h"
#include "kpi_args.h"

#define KPI_BIND_INLINE_ARGS 16

typedef struct kpi_bound_args {
    kpi_arg *args; /* nargs arguments: the fixed parameters, then repeats */
    size_t nargs;
    kpi_arg inline_args[KPI_BIND_INLINE_ARGS];
    kpi_cell defaults[KPI_MAX_PARAMS]; /* the cells of filled-in defaults */
} kpi_bound_args;

/* Binds args[0..nargs) of a call of fn into *b (which points into itself:
 * do not copy it). On KPI_OK free it with kpi_bound_args_free; the bound
 * arguments share the cells and texts of args. Other results: as above,
 * or KPI_ENOMEM; nothing to free then. */
kpi_status kpi_bind(const kpi_function_desc *fn, const kpi_arg *args,
                    size_t nargs, kpi_bound_args *b);
void kpi_bound_args_free(kpi_bound_args *b);

#endif
