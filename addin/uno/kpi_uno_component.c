/* kpi_uno_component.c - the shared library's entry points for UNO.
 *
 * LibreOffice's shared-library loader asks
 * component_getImplementationEnvironment which environment the library speaks
 * ("uno": binary UNO, so the loader maps between it and C++), then calls
 * component_getFactory for our implementation name. The factory
 * (XSingleComponentFactory) creates add-in objects (kpi_uno_addin.c). */
#include <string.h>

#include "catalogue.h"
#include "kpi_core.h"
#include "kpi_uno_addin.h"
#include "kpi_uno_object.h"

#define EXPORT __attribute__((visibility("default")))

static int factory_call(kpi_uno_object *obj,
                        const typelib_InterfaceMemberTypeDescription *m,
                        void *ret, void *args[])
{
    (void)obj;
    (void)args;
    if (kpi_uno_name_is(m->pMemberName, "createInstanceWithContext") ||
        kpi_uno_name_is(m->pMemberName,
                        "createInstanceWithArgumentsAndContext")) {
        /* A NULL reference tells the caller that creation failed. */
        *(uno_Interface **)ret = kpi_uno_object_new(&kpi_uno_addin_class);
        return 1;
    }
    return 0;
}

static const char *const factory_services[] = {KPI_SERVICE_NAME, NULL};
static const char *const factory_interfaces[] = {
    "com.sun.star.lang.XSingleComponentFactory", NULL};

static const kpi_uno_class factory_class = {KPI_IMPLEMENTATION_NAME,
                                            factory_services,
                                            factory_interfaces, factory_call};

EXPORT void component_getImplementationEnvironment(const char **env_type_name,
                                                   uno_Environment **env)
{
    (void)env;
    *env_type_name = "uno";
}

EXPORT void *component_getFactory(const char *impl_name, void *service_manager,
                                  void *registry_key)
{
    (void)service_manager;
    (void)registry_key;
    if (!impl_name || strcmp(impl_name, KPI_IMPLEMENTATION_NAME) != 0)
        return NULL;
    kpi_core_init();
    return kpi_uno_object_new(&factory_class);
}
