/* catalogue.h - the function catalogue: the one list of kpicalc's functions.
 *
 * Every function Calc shows comes from this table: its name (the IDL method
 * and the English display name), its parameters, its help in en-US and
 * zh-CN, and its entry point. From it kpi-gen writes the IDL
 * (idl/XKpiCalc.idl), the Calc add-in configuration (CalcAddIns.xcu) and the
 * function reference (docs/FUNCTIONS-reference.md); the UNO layer dispatches
 * through it. Names and parameter order are a file-format promise: ODF stores
 * a call as org.kpicalc.KpiCalc.NAME. */
#ifndef KPI_CATALOGUE_H
#define KPI_CATALOGUE_H

#include <stddef.h>

#include "kpi_funcs.h"

#define KPI_SERVICE_NAME "org.kpicalc.KpiCalc"
#define KPI_IMPLEMENTATION_NAME "org.kpicalc.KpiCalcImpl"
#define KPI_INTERFACE_NAME "org.kpicalc.XKpiCalc"
#define KPI_MAX_PARAMS 6

typedef struct kpi_param_desc {
    const char *name;    /* IDL parameter name = English display name */
    const char *name_zh; /* display name in zh-CN */
    const char *help_en;
    const char *help_zh;
    int optional; /* may be left out (shown in [brackets]) */
    int varargs;  /* repeats: the IDL type is sequence<any> (last only) */
} kpi_param_desc;

typedef struct kpi_function_desc {
    const char *name;    /* IDL method and display name, e.g. CERTRATE */
    const char *section; /* heading of docs/spec.md it belongs to */
    const char *help_en;
    const char *help_zh;
    const char *example;        /* a formula and its result, for the docs */
    const char *example_result; /* what the example shows */
    kpi_fn_impl impl;
    size_t nparams;
    kpi_param_desc params[KPI_MAX_PARAMS];
} kpi_function_desc;

extern const kpi_function_desc kpi_catalogue[];
extern const size_t kpi_catalogue_count;

/* The entry whose name is name (ASCII, exact), or NULL. */
const kpi_function_desc *kpi_catalogue_find(const char *name, size_t len);

#endif
