/* kpi_bind.c - the binder and kpi_call; see kpi_bind.h and kpi_funcs.h. */
#include "kpi_bind.h"

#include <stdlib.h>
#include <string.h>

#include "kpi_funcs.h"

static const kpi_arg missing_arg = {.missing = 1};

/* The argument standing for optional parameter pd left out. */
static kpi_arg default_arg(const kpi_param_desc *pd, kpi_cell *cell)
{
    if (pd->kind == KPI_KIND_YEARS || pd->kind == KPI_KIND_SERIES)
        return missing_arg; /* years 1, 2, ..., n */
    kpi_arg a = {0, 1, 1, cell, NULL};
    if (pd->kind == KPI_KIND_OPTION) {
        *cell = (kpi_cell){KPI_CELL_TEXT, 0};
        a.text = pd->dflt_text ? pd->dflt_text : "";
    } else {
        *cell = (kpi_cell){KPI_CELL_NUMBER, pd->dflt};
    }
    return a;
}

kpi_status kpi_bind(const kpi_function_desc *fn, const kpi_arg *args,
                    size_t nargs, kpi_bound_args *b)
{
    b->args = NULL;
    b->nargs = 0;
    size_t fixed = fn->nparams;
    int repeats = fixed > 0 && fn->params[fixed - 1].varargs;
    if (repeats)
        fixed--;
    if (nargs > fixed && !repeats)
        return KPI_EVALUE;
    size_t n = fixed;
    if (repeats) { /* the repeats given, trailing ones left out dropped */
        for (size_t i = nargs; i > fixed; i--)
            if (!args[i - 1].missing) {
                n = i;
                break;
            }
    }
    for (size_t i = fixed; i < n; i++)
        if (args[i].missing)
            return KPI_EMISSING;
    for (size_t p = 0; p < fixed; p++)
        if (!fn->params[p].optional && (p >= nargs || args[p].missing))
            return KPI_EMISSING;
    b->args = n <= KPI_BIND_INLINE_ARGS ? b->inline_args
                                        : malloc(n * sizeof *b->args);
    if (!b->args)
        return KPI_ENOMEM;
    for (size_t p = 0; p < n; p++) {
        if (p < nargs && !args[p].missing)
            b->args[p] = args[p];
        else
            b->args[p] = default_arg(&fn->params[p], &b->defaults[p]);
    }
    b->nargs = n;
    return KPI_OK;
}

void kpi_bound_args_free(kpi_bound_args *b)
{
    if (b->args != b->inline_args)
        free(b->args);
    b->args = NULL;
    b->nargs = 0;
}

kpi_status kpi_call(const kpi_function_desc *fn, const kpi_arg *args,
                    size_t nargs, kpi_result *out)
{
    out->rows = out->cols = 0;
    out->v = NULL;
    kpi_fn_impl impl = kpi_binding_find(fn->name);
    if (!impl) /* a catalogue row without an entry point (test_funcs) */
        return kpi_fn_scalar(KPI_EVALUE, 0, out);
    kpi_bound_args b;
    kpi_status st = kpi_bind(fn, args, nargs, &b);
    if (st == KPI_ENOMEM)
        return KPI_ENOMEM;
    if (st != KPI_OK)
        return kpi_fn_scalar(st, 0, out);
    st = impl(b.args, b.nargs, out);
    kpi_bound_args_free(&b);
    return st;
}
