/* catalogue.h - the function catalogue: the one list of kpicalc's functions.
 *
 * Every function Calc shows comes from this table: its name (the IDL method
 * and the English display name), its parameters (each with its kind, whether
 * it may be left out, and its default), its help in en-US and zh-CN, and an
 * example with its result. The table is descriptive only: it holds no
 * pointer into the implementation, so kpi-gen links nothing but
 * formulas/catalogue.c. From it kpi-gen writes the IDL (idl/XKpiCalc.idl),
 * the Calc add-in configuration (CalcAddIns.xcu) and the function reference
 * (docs/FUNCTIONS-reference.md, whose examples tests/calc runs in Calc);
 * the add-in binds a call's arguments through it (addin/funcs/kpi_bind.c)
 * and finds the entry point by name in addin/funcs/kpi_bindings.c. Names
 * and parameter order are a file-format promise: ODF stores a call as
 * org.kpicalc.KpiCalc.NAME. */
#ifndef KPI_CATALOGUE_H
#define KPI_CATALOGUE_H

#include <stddef.h>

#define KPI_SERVICE_NAME "org.kpicalc.KpiCalc"
#define KPI_IMPLEMENTATION_NAME "org.kpicalc.KpiCalcImpl"
#define KPI_INTERFACE_NAME "org.kpicalc.XKpiCalc"
#define KPI_MAX_PARAMS 6

/* What a parameter holds. The kind decides how a default is stored and
 * written in the help ("Default: 0.95."); the checks of the values
 * themselves are the core's (docs/spec.md). */
typedef enum kpi_param_kind {
    KPI_KIND_COUNT,  /* a whole number >= 0, at most 2^53 */
    KPI_KIND_NUMBER, /* any number (a figure, a year, a number of periods) */
    KPI_KIND_RATE,   /* a fraction in [0, 1] */
    KPI_KIND_LEVEL,  /* a probability in (0, 1): confidence or alpha */
    KPI_KIND_FLAG,   /* TRUE (non-zero) or FALSE (0) */
    KPI_KIND_BOUND,  /* -1 (lower limit), 0 (the value), 1 (upper limit) */
    KPI_KIND_OPTION, /* a text naming a method or an output */
    KPI_KIND_SERIES, /* a range of yearly figures */
    KPI_KIND_YEARS   /* a range of years paired with the series; left out:
                        1, 2, ..., n by position */
} kpi_param_kind;

typedef struct kpi_param_desc {
    const char *name;    /* IDL parameter name = English display name */
    const char *name_zh; /* display name in zh-CN */
    const char *help_en; /* never states the default: kpi-gen adds it */
    const char *help_zh;
    kpi_param_kind kind;
    int optional;          /* may be left out (shown in [brackets]) */
    int varargs;           /* repeats: the IDL type is sequence<any> (last) */
    double dflt;           /* the default of an optional number-like kind */
    const char *dflt_text; /* the default of an optional OPTION */
} kpi_param_desc;

typedef struct kpi_function_desc {
    const char *name;    /* IDL method and display name, e.g. CERTRATE */
    const char *section; /* heading of docs/spec.md it belongs to */
    const char *help_en;
    const char *help_zh;
    const char *example; /* a formula Calc evaluates (tests/calc runs it) */
    /* what it shows: a number, rounded as written (tests/calc compares to
     * that many decimals), then optionally a space and a comment */
    const char *example_result;
    size_t nparams;
    kpi_param_desc params[KPI_MAX_PARAMS];
} kpi_function_desc;

extern const kpi_function_desc kpi_catalogue[];
extern const size_t kpi_catalogue_count;

/* The entry whose name is name (ASCII, exact), or NULL. */
const kpi_function_desc *kpi_catalogue_find(const char *name, size_t len);

/* The English word of a kind ("count", "level", ...), for the docs. */
const char *kpi_param_kind_name(kpi_param_kind kind);

#endif
