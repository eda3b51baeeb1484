/* kpi_uno_addin.c - the add-in object Calc calls: XKpiCalc and XServiceName.
 *
 * A call of a spreadsheet function arrives here as a member of XKpiCalc.
 * Its position in the interface (after XInterface's three members) is its
 * row in the catalogue, because the IDL is generated from the catalogue in
 * order; the name is checked too, so a stale types file can never call the
 * wrong function. The arguments are converted, kpi_call binds them to the
 * catalogue row (Err:511, defaults) and runs the function's entry point,
 * and the result goes back as an any. */
#include "kpi_uno_addin.h"

#include "catalogue.h"
#include "kpi_funcs.h"
#include "kpi_uno_convert.h"

#define XINTERFACE_MEMBERS 3

static const kpi_function_desc *
function_of(const typelib_InterfaceMemberTypeDescription *m)
{
    const rtl_uString *name = m->pMemberName;
    size_t i = (size_t)(m->nPosition - XINTERFACE_MEMBERS);
    if (m->nPosition >= XINTERFACE_MEMBERS && i < kpi_catalogue_count &&
        kpi_uno_name_is(name, kpi_catalogue[i].name))
        return &kpi_catalogue[i];
    for (i = 0; i < kpi_catalogue_count; i++)
        if (kpi_uno_name_is(name, kpi_catalogue[i].name))
            return &kpi_catalogue[i];
    return NULL;
}

static void call_function(const kpi_function_desc *fn, uno_Any *ret,
                          void *args[])
{
    kpi_uno_call_args call;
    if (kpi_uno_args_from_call(fn, args, &call) != KPI_OK) {
        kpi_uno_any_from_error(ret, KPI_ENOMEM);
        return;
    }
    kpi_result result = {0, 0, NULL};
    if (kpi_call(fn, call.args, call.nargs, &result) == KPI_OK)
        kpi_uno_any_from_result(ret, &result);
    else
        kpi_uno_any_from_error(ret, KPI_ENOMEM);
    kpi_result_free(&result);
    kpi_uno_call_args_free(&call);
}

static int addin_call(kpi_uno_object *obj,
                      const typelib_InterfaceMemberTypeDescription *m,
                      void *ret, void *args[])
{
    (void)obj;
    if (m->aBase.eTypeClass != typelib_TypeClass_INTERFACE_METHOD)
        return 0;
    const kpi_function_desc *fn = function_of(m);
    if (fn) {
        call_function(fn, ret, args);
        return 1;
    }
    if (kpi_uno_name_is(m->pMemberName, "getServiceName")) {
        kpi_uno_return_ascii(ret, KPI_SERVICE_NAME);
        return 1;
    }
    return 0;
}

static const char *const addin_services[] = {KPI_SERVICE_NAME, NULL};
static const char *const addin_interfaces[] = {
    KPI_INTERFACE_NAME, "com.sun.star.lang.XServiceName", NULL};

const kpi_uno_class kpi_uno_addin_class = {
    KPI_IMPLEMENTATION_NAME, addin_services, addin_interfaces, addin_call};
