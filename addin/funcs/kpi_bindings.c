/* kpi_bindings.c - the binding table: each catalogue function's entry
 * point, by name (formulas/catalogue.c describes the functions and holds no
 * pointer into the implementation; tests/unit/test_funcs.c checks that the
 * two lists name the same functions). */
#include <string.h>

#include "kpi_funcs.h"

const kpi_binding kpi_bindings[] = {
    {"CERTRATE", kpi_fn_certrate},
    {"ADOPTRATE", kpi_fn_adoptrate},
    {"LOSSRATE", kpi_fn_lossrate},
    {"YOY", kpi_fn_yoy},
    {"CAGR", kpi_fn_cagr},
    {"DOUBLEDECLINE", kpi_fn_doubledecline},
    {"RATECI", kpi_fn_rateci},
    {"RATETEST", kpi_fn_ratetest},
    {"TRENDSLOPE", kpi_fn_trendslope},
    {"TRENDPVALUE", kpi_fn_trendpvalue},
    {"TRENDFORECAST", kpi_fn_trendforecast},
    {"TRENDSTATS", kpi_fn_trendstats},
    {"MKTEST", kpi_fn_mktest},
    {"SENSLOPE", kpi_fn_senslope},
    {"TRENDDIR", kpi_fn_trenddir},
    {"FUNNELLIMITS", kpi_fn_funnellimits},
    {"FUNNELZ", kpi_fn_funnelz},
    {"RATESHRINK", kpi_fn_rateshrink},
    {"POISSONTEST", kpi_fn_poissontest},
    {"COUNTCI", kpi_fn_countci},
};

const size_t kpi_bindings_count = sizeof kpi_bindings / sizeof *kpi_bindings;

kpi_fn_impl kpi_binding_find(const char *name)
{
    for (size_t i = 0; i < kpi_bindings_count; i++)
        if (strcmp(kpi_bindings[i].name, name) == 0)
            return kpi_bindings[i].impl;
    return NULL;
}
