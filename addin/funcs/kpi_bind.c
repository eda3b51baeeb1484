/* kpi_bind.c - the binder and kpi_call; see kpi_bind.h and kpi_funcs.h. */
#include "kpi_bind.h"

#include <stdlib.h>
#include <string.h>

#include "kpi_funcs.h"

static const kpi_arg missing_arg = {.missing = 1};

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* Non-zero when a stands for parameter pd left out: missing (";;"), or,
 * for an OPTION, a text that is empty or only ASCII white space ("" in a
 * formula). The default of a left-out option is supplied here only: the
 * core's option parsers have none and answer blank text with KPI_EVALUE. */
static int left_out(const kpi_param_desc *pd, const kpi_arg *a)
{
    if (a->missing)
        return 1;
    if (pd->kind != KPI_KIND_OPTION || !a->text)
        return 0;
    const char *s = a->text;
    while (is_ascii_space(*s))
        s++;
    return *s == '\0';
}

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
            if (!left_out(&fn->params[fixed], &args[i - 1])) {
                n = i;
                break;
            }
    }
    for (size_t i = fixed; i < n; i++)
        if (left_out(&fn->params[fixed], &args[i]))
            return KPI_EMISSING;
    for (size_t p = 0; p < fixed; p++)
        if (!fn->params[p].optional &&
            (p >= nargs || left_out(&fn->params[p], &args[p])))
            return KPI_EMISSING;
    b->args = n <= KPI_BIND_INLINE_ARGS ? b->inline_args
                                        : malloc(n * sizeof *b->args);
    if (!b->args)
        return KPI_ENOMEM;
    for (size_t p = 0; p < n; p++) {
        const kpi_param_desc *pd = &fn->params[p < fixed ? p : fixed];
        if (p < nargs && !left_out(pd, &args[p]))
            b->args[p] = args[p];
        else
            b->args[p] = default_arg(pd, &b->defaults[p]);
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
