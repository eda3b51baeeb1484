/* kpi_uno_object.c - a reference-counted binary-UNO object; see
 * kpi_uno_object.h. */
#include "kpi_uno_object.h"

#include <stdlib.h>
#include <string.h>

#define XINTERFACE "com.sun.star.uno.XInterface"
#define XTYPEPROVIDER "com.sun.star.lang.XTypeProvider"
#define XSERVICEINFO "com.sun.star.lang.XServiceInfo"
#define RUNTIMEEXCEPTION "com.sun.star.uno.RuntimeException"

int kpi_uno_name_is(const rtl_uString *s, const char *ascii)
{
    return rtl_ustr_ascii_compare_WithLength(s->buffer, s->length, ascii) == 0;
}

void kpi_uno_return_ascii(void *ret, const char *ascii)
{
    rtl_uString **out = ret;
    *out = NULL;
    rtl_uString_newFromAscii(out, ascii);
}

static void SAL_CALL object_acquire(uno_Interface *ui)
{
    kpi_uno_object *obj = ((kpi_uno_interface *)ui)->obj;
    osl_atomic_increment(&obj->refcount);
}

static void SAL_CALL object_release(uno_Interface *ui)
{
    kpi_uno_object *obj = ((kpi_uno_interface *)ui)->obj;
    if (osl_atomic_decrement(&obj->refcount) == 0) {
        for (size_t i = 0; i < obj->ntypes; i++)
            typelib_typedescriptionreference_release(obj->types[i]);
        free(obj);
    }
}

/* queryInterface: the interface of the requested type, or a void any. */
static void query_interface(kpi_uno_object *obj, void *ret, void *args[])
{
    typelib_TypeDescriptionReference *want =
        *(typelib_TypeDescriptionReference **)args[0];
    for (size_t i = 0; i < obj->ntypes; i++) {
        if (typelib_typedescriptionreference_equals(obj->types[i], want)) {
            uno_Interface *ui = &obj->interfaces[i].ui;
            uno_type_any_construct(ret, &ui, obj->types[i], NULL);
            return;
        }
    }
    uno_any_construct(ret, NULL, NULL, NULL);
}

/* sequence<T> for the simple types used here: static references, made
 * once (typelib_static_sequence_type_init does nothing when set). */
static typelib_TypeDescriptionReference *sequence_type(typelib_TypeClass e)
{
    static typelib_TypeDescriptionReference *types, *bytes, *strings;
    typelib_TypeDescriptionReference **t = e == typelib_TypeClass_TYPE ? &types
                                           : e == typelib_TypeClass_BYTE
                                               ? &bytes
                                               : &strings;
    typelib_static_sequence_type_init(t,
                                      *typelib_static_type_getByTypeClass(e));
    return *t;
}

static void get_types(kpi_uno_object *obj, void *ret)
{
    uno_Sequence **out = ret;
    *out = NULL;
    uno_type_sequence_construct(out, sequence_type(typelib_TypeClass_TYPE),
                                obj->types, (sal_Int32)obj->ntypes, NULL);
}

static void get_implementation_id(void *ret)
{
    /* An empty id: introspection caches by getTypes() nowadays. */
    uno_Sequence **out = ret;
    *out = NULL;
    uno_type_sequence_construct(out, sequence_type(typelib_TypeClass_BYTE),
                                NULL, 0, NULL);
}

static void supported_service_names(kpi_uno_object *obj, void *ret)
{
    size_t n = 0;
    while (obj->cls->service_names[n])
        n++;
    rtl_uString *names[8] = {NULL};
    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++)
        rtl_uString_newFromAscii(&names[i], obj->cls->service_names[i]);
    uno_Sequence **out = ret;
    *out = NULL;
    uno_type_sequence_construct(out, sequence_type(typelib_TypeClass_STRING),
                                names, (sal_Int32)n, NULL);
    for (size_t i = 0; i < n; i++)
        rtl_uString_release(names[i]);
}

static void supports_service(kpi_uno_object *obj, void *ret, void *args[])
{
    const rtl_uString *name = *(rtl_uString **)args[0];
    sal_Bool found = 0;
    for (size_t i = 0; obj->cls->service_names[i]; i++)
        if (kpi_uno_name_is(name, obj->cls->service_names[i]))
            found = 1;
    *(sal_Bool *)ret = found;
}

/* Members of XInterface, XTypeProvider and XServiceInfo. */
static int generic_call(kpi_uno_object *obj, const rtl_uString *name, void *ret,
                        void *args[])
{
    if (kpi_uno_name_is(name, "queryInterface"))
        query_interface(obj, ret, args);
    else if (kpi_uno_name_is(name, "acquire"))
        osl_atomic_increment(&obj->refcount);
    else if (kpi_uno_name_is(name, "release"))
        object_release(&obj->interfaces[0].ui);
    else if (kpi_uno_name_is(name, "getTypes"))
        get_types(obj, ret);
    else if (kpi_uno_name_is(name, "getImplementationId"))
        get_implementation_id(ret);
    else if (kpi_uno_name_is(name, "getImplementationName"))
        kpi_uno_return_ascii(ret, obj->cls->implementation_name);
    else if (kpi_uno_name_is(name, "supportsService"))
        supports_service(obj, ret, args);
    else if (kpi_uno_name_is(name, "getSupportedServiceNames"))
        supported_service_names(obj, ret);
    else
        return 0;
    return 1;
}

static void raise_runtime_exception(uno_Any **exc)
{
    typelib_TypeDescriptionReference *type = NULL;
    typelib_typedescriptionreference_newByAsciiName(
        &type, typelib_TypeClass_EXCEPTION, RUNTIMEEXCEPTION);
    uno_type_any_construct(*exc, NULL, type, NULL);
    typelib_typedescriptionreference_release(type);
}

static void SAL_CALL object_dispatch(uno_Interface *ui,
                                     const typelib_TypeDescription *member,
                                     void *ret, void *args[], uno_Any **exc)
{
    kpi_uno_object *obj = ((kpi_uno_interface *)ui)->obj;
    const typelib_InterfaceMemberTypeDescription *m =
        (const typelib_InterfaceMemberTypeDescription *)member;
    if (obj->cls->call(obj, m, ret, args) ||
        generic_call(obj, m->pMemberName, ret, args)) {
        *exc = NULL;
        return;
    }
    raise_runtime_exception(exc);
}

uno_Interface *kpi_uno_object_new(const kpi_uno_class *cls)
{
    kpi_uno_object *obj = calloc(1, sizeof *obj);
    if (!obj)
        return NULL;
    obj->cls = cls;
    obj->refcount = 1;
    const char *names[KPI_UNO_MAX_INTERFACES] = {XINTERFACE, XTYPEPROVIDER,
                                                 XSERVICEINFO};
    size_t n = 3;
    for (size_t i = 0; cls->interface_names[i] && n < KPI_UNO_MAX_INTERFACES;
         i++)
        names[n++] = cls->interface_names[i];
    for (size_t i = 0; i < n; i++) {
        typelib_typedescriptionreference_newByAsciiName(
            &obj->types[i], typelib_TypeClass_INTERFACE, names[i]);
        kpi_uno_interface *iface = &obj->interfaces[i];
        iface->ui.acquire = object_acquire;
        iface->ui.release = object_release;
        iface->ui.pDispatcher = object_dispatch;
        iface->obj = obj;
    }
    obj->ntypes = n;
    return &obj->interfaces[0].ui;
}
