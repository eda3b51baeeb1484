/* kpi_uno_object.h - a reference-counted binary-UNO object in C.
 *
 * A C object that UNO sees as one object with several interfaces, the way a
 * C++ class implementing several interfaces looks: one uno_Interface per
 * interface type (all sharing one reference count and one dispatcher), the
 * first of them being its XInterface identity. This module answers the
 * members every object has: XInterface (queryInterface, acquire, release),
 * XTypeProvider (getTypes, getImplementationId) and XServiceInfo
 * (getImplementationName, supportsService, getSupportedServiceNames); a
 * class answers the rest through its call hook. */
#ifndef KPI_UNO_OBJECT_H
#define KPI_UNO_OBJECT_H

#include <stddef.h>

#include "kpi_uno_sdk.h"

#define KPI_UNO_MAX_INTERFACES 8

typedef struct kpi_uno_object kpi_uno_object;

typedef struct kpi_uno_class {
    const char *implementation_name;
    const char *const *service_names; /* NULL-terminated */
    /* Interfaces besides XInterface, XTypeProvider and XServiceInfo, which
     * every object has; NULL-terminated. */
    const char *const *interface_names;
    /* Answers a member not answered here; returns 0 when it does not know
     * the member (the caller then raises a RuntimeException). */
    int (*call)(kpi_uno_object *obj,
                const typelib_InterfaceMemberTypeDescription *member, void *ret,
                void *args[]);
} kpi_uno_class;

typedef struct kpi_uno_interface {
    uno_Interface ui; /* first: the uno_Interface* is this struct's address */
    kpi_uno_object *obj;
} kpi_uno_interface;

struct kpi_uno_object {
    kpi_uno_interface interfaces[KPI_UNO_MAX_INTERFACES];
    typelib_TypeDescriptionReference *types[KPI_UNO_MAX_INTERFACES];
    size_t ntypes;
    oslInterlockedCount refcount;
    const kpi_uno_class *cls;
};

/* A new object of class cls with a reference count of 1, returned as its
 * XInterface; NULL when memory or a type is missing. */
uno_Interface *kpi_uno_object_new(const kpi_uno_class *cls);

/* Compares an rtl_uString with an ASCII string. */
int kpi_uno_name_is(const rtl_uString *s, const char *ascii);

/* Stores a new string made of ASCII text at *out (a return slot). */
void kpi_uno_return_ascii(void *ret, const char *ascii);

#endif
