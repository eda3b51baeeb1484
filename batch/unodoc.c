/* Spreadsheet documents without a view, through the binary UNO C API. */
#include "unodoc.h"

#include "formats.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* typelib/typedescription.h of LibreOffice 7.4 uses `bool` and the bare
 * tag `_typelib_TypeClass`: C needs <stdbool.h> and a typedef first. */
#include <sal/types.h>
#include <typelib/typeclass.h>
typedef enum _typelib_TypeClass _typelib_TypeClass;
#include <rtl/string.h>
#include <rtl/textenc.h>
#include <rtl/ustring.h>
#include <typelib/typedescription.h>
#include <uno/any2.h>
#include <uno/data.h>
#include <uno/dispatcher.h>
#include <uno/environment.h>
#include <uno/mapping.h>
#include <uno/sequence2.h>

#define STR2(x) #x
#define STR(x) STR2(x)

/* The C API, found in the libraries the office already loaded (kpicalc
 * does not link them: their folder is only known at run time). */
static struct {
    __typeof__(&uno_getEnvironment) get_environment;
    __typeof__(&uno_getMapping) get_mapping;
    __typeof__(&typelib_typedescription_getByName) td_by_name;
    __typeof__(&typelib_typedescriptionreference_getDescription) td_of_ref;
    __typeof__(&typelib_typedescription_release) td_release;
    __typeof__(&typelib_static_type_getByTypeClass) basic_type;
    __typeof__(&uno_type_any_construct) any_construct;
    __typeof__(&uno_any_destruct) any_destruct;
    __typeof__(&uno_type_sequence_construct) seq_construct;
    __typeof__(&uno_destructData) destruct;
    __typeof__(&rtl_string2UString) ustr_from;
    __typeof__(&rtl_uString_release) ustr_release;
    __typeof__(&rtl_uString2String) ustr_to;
    __typeof__(&rtl_string_release) str_release;
} api;

/* The methods called, each with its type description. */
enum {
    M_QUERY,
    M_SMGR,
    M_CREATE,
    M_LOAD,
    M_STORE,
    M_CLOSE,
    M_DISPOSE,
    M_SHEETS,
    M_RANGE,
    M_GETDATA,
    M_SETDATA,
    M_COUNT
};
static const struct {
    const char *iface, *method;
} methods[M_COUNT] = {
    [M_QUERY] = {"com.sun.star.uno.XInterface", "queryInterface"},
    [M_SMGR] = {"com.sun.star.uno.XComponentContext", "getServiceManager"},
    [M_CREATE] = {"com.sun.star.lang.XMultiComponentFactory",
                  "createInstanceWithContext"},
    [M_LOAD] = {"com.sun.star.frame.XLoadable", "load"},
    [M_STORE] = {"com.sun.star.frame.XStorable", "storeToURL"},
    [M_CLOSE] = {"com.sun.star.util.XCloseable", "close"},
    [M_DISPOSE] = {"com.sun.star.lang.XComponent", "dispose"},
    [M_SHEETS] = {"com.sun.star.sheet.XSpreadsheetDocument", "getSheets"},
    [M_RANGE] = {"com.sun.star.sheet.XCellRangesAccess",
                 "getCellRangeByPosition"},
    [M_GETDATA] = {"com.sun.star.sheet.XCellRangeData", "getDataArray"},
    [M_SETDATA] = {"com.sun.star.sheet.XCellRangeData", "setDataArray"},
};
static typelib_TypeDescription *method_td[M_COUNT];
static typelib_TypeDescription *iface_td[M_COUNT];
static typelib_TypeDescription *pv_td, *pv_seq_td, *data_td;
static uno_Interface *context, *factory;
static rtl_uString *spreadsheet_service;

/* com.sun.star.beans.PropertyValue as binary UNO lays it out (checked
 * against the type description in kc_unodoc_init). */
struct kc_pv {
    rtl_uString *name;
    sal_Int32 handle;
    uno_Any value;
    sal_Int32 state;
};

/* A loaded model with the interfaces used on it, each asked for once. */
struct kc_unodoc {
    uno_Interface *model, *storable, *closeable;
};

static rtl_uString *ustr(const char *s)
{
    rtl_uString *u = NULL;
    api.ustr_from(&u, s, (sal_Int32)strlen(s), RTL_TEXTENCODING_UTF8,
                  OSTRING_TO_OUSTRING_CVTFLAGS);
    return u;
}

static void iface_release(uno_Interface *i)
{
    if (i)
        i->release(i);
}

static void release_any_iface(void *p)
{
    iface_release(p);
}

/* Writes the UNO exception EXC (type and message) into ERR, and frees it. */
static void describe(uno_Any *exc, const char *what, struct kc_err *err)
{
    rtl_String *type = NULL, *text = NULL;
    rtl_uString *msg = exc->pData ? *(rtl_uString **)exc->pData : NULL;
    api.ustr_to(&type, exc->pType->pTypeName->buffer,
                exc->pType->pTypeName->length, RTL_TEXTENCODING_UTF8,
                OUSTRING_TO_OSTRING_CVTFLAGS);
    if (msg && msg->length > 0)
        api.ustr_to(&text, msg->buffer, msg->length, RTL_TEXTENCODING_UTF8,
                    OUSTRING_TO_OSTRING_CVTFLAGS);
    kc_err_set(err, "%s: %s%s%s", what, type ? type->buffer : "?",
               text ? ": " : "", text ? text->buffer : "");
    if (type)
        api.str_release(type);
    if (text)
        api.str_release(text);
    api.any_destruct(exc, release_any_iface);
}

/* Calls method M on the interface I; 0, or -1 with the exception in ERR. */
static int call(uno_Interface *i, int m, void *ret, void **args,
                const char *what, struct kc_err *err)
{
    uno_Any exc, *pexc = &exc;
    i->pDispatcher(i, method_td[m], ret, args, &pexc);
    if (pexc) {
        describe(pexc, what, err);
        return -1;
    }
    return 0;
}

/* The interface of the type of method M's interface, from the object I
 * (acquired), or NULL. */
static uno_Interface *query(uno_Interface *i, int m)
{
    uno_Any res;
    typelib_TypeDescriptionReference *type = iface_td[m]->pWeakRef;
    void *args[1] = {&type};
    if (call(i, M_QUERY, &res, args, "queryInterface", NULL) != 0)
        return NULL;
    uno_Interface *out = NULL;
    if (res.pType->eTypeClass == typelib_TypeClass_INTERFACE && res.pData) {
        out = *(uno_Interface **)res.pData;
        if (out)
            out->acquire(out);
    }
    api.any_destruct(&res, release_any_iface);
    return out;
}

/* A list of PropertyValues, made into a sequence. */
struct pvlist {
    struct kc_pv v[8];
    int n;
};

static void pv_add(struct pvlist *l, const char *name, void *value,
                   typelib_TypeClass tc)
{
    struct kc_pv *p = &l->v[l->n++];
    memset(p, 0, sizeof *p);
    p->name = ustr(name);
    p->handle = -1;
    api.any_construct(&p->value, value, *api.basic_type(tc), NULL);
}

static void pv_string(struct pvlist *l, const char *name, const char *value)
{
    rtl_uString *u = ustr(value);
    pv_add(l, name, &u, typelib_TypeClass_STRING);
    api.ustr_release(u);
}

static void pv_bool(struct pvlist *l, const char *name, int value)
{
    sal_Bool b = value ? 1 : 0;
    pv_add(l, name, &b, typelib_TypeClass_BOOLEAN);
}

static void pv_short(struct pvlist *l, const char *name, int value)
{
    sal_Int16 s = (sal_Int16)value;
    pv_add(l, name, &s, typelib_TypeClass_SHORT);
}

/* The sequence of L's values (L is emptied). */
static uno_Sequence *pv_sequence(struct pvlist *l)
{
    uno_Sequence *seq = NULL;
    api.seq_construct(&seq, pv_seq_td->pWeakRef, l->v, l->n, NULL);
    for (int k = 0; k < l->n; k++)
        api.destruct(&l->v[k], pv_td, NULL);
    l->n = 0;
    return seq;
}

static void sequence_free(uno_Sequence *seq)
{
    if (seq)
        api.destruct(&seq, pv_seq_td, NULL);
}

static int resolve(void *lib, void **slot, const char *name, struct kc_err *err)
{
    *slot = lib ? dlsym(lib, name) : NULL;
    if (!*slot) {
        kc_err_set(err, "the UNO runtime has no %s", name);
        return -1;
    }
    return 0;
}

static void *loaded(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
}

/* comphelper::getProcessComponentContext() returns a
 * css::uno::Reference<XComponentContext>: by value in LibreOffice 7.4, by
 * const reference (to a static Reference) in 25.2, as their machine code
 * shows. A C++ function returning a Reference by value returns it through
 * a hidden pointer to memory the caller provides (a class with a
 * destructor is never returned in registers); one returning a reference
 * takes no argument and returns the Reference's address. Calling either
 * as the other crashed the office ("Unspecified Application Error"). */
struct cxx_reference_return {
    void *iface;
    void *unused[3];
};

#if defined(__x86_64__)
/* x86-64 (System V): the hidden pointer is the first argument (rdi), and a
 * by-value function returns it again (rax), as a by-reference one returns
 * its Reference's address: called as this type, either gives the address
 * of a Reference, and the address tells which it was. */
typedef void *const *(*cxx_reference_getter)(struct cxx_reference_return *);

/* The C++ interface that FN (the address of getProcessComponentContext)
 * returns, acquired, whichever way it returns it; NULL when none. */
static void *cxx_context_from(void *fn)
{
    cxx_reference_getter getter;
    memcpy(&getter, &fn, sizeof getter);
    struct cxx_reference_return slot = {NULL, {NULL, NULL, NULL}};
    void *const *ref = getter(&slot);
    if (ref == &slot.iface) /* by value: the copy returned is ours */
        return slot.iface;
    void *cxx = ref ? *ref : NULL;
    if (cxx) { /* the office's own Reference: acquire a copy of it */
        void (**vtable)(void *) = *(void (***)(void *))cxx;
        vtable[1](cxx); /* XInterface's second virtual function: acquire */
    }
    return cxx;
}
#else
/* Elsewhere (AArch64: the hidden pointer goes in x8, not the first
 * argument) a C function returning a struct larger than two registers is
 * called as a C++ one returning a class by value; a by-reference function
 * ignores that pointer and leaves the slot unwritten. Only then is it
 * called again as a function returning the Reference's address: the
 * other order would let a by-value function write through whatever the
 * hidden pointer register held. Not verified on an office yet. */
typedef struct cxx_reference_return (*cxx_reference_getter)(void);
typedef void *const *(*cxx_reference_ref_getter)(void);
#define UNWRITTEN ((void *)(uintptr_t)0x6b70696361ccccc1u)

static void *cxx_context_from(void *fn)
{
    cxx_reference_getter by_value;
    memcpy(&by_value, &fn, sizeof by_value);
    struct cxx_reference_return r = {UNWRITTEN, {NULL, NULL, NULL}};
    r = by_value();
    if (r.iface != UNWRITTEN)
        return r.iface; /* the copy returned is ours: acquired */
    cxx_reference_ref_getter by_ref;
    memcpy(&by_ref, &fn, sizeof by_ref);
    void *const *ref = by_ref();
    void *cxx = ref ? *ref : NULL;
    if (cxx) {
        void (**vtable)(void *) = *(void (***)(void *))cxx;
        vtable[1](cxx); /* acquire */
    }
    return cxx;
}
#endif

/* The test-only override of the context function's symbol name
 * (KPICALC_CONTEXT_SYMBOL): a name the office does not export exercises
 * the fallback to LibreOfficeKit views (tests/platform/test_loader.sh). */
static const char *context_symbol(void)
{
    const char *s = getenv("KPICALC_CONTEXT_SYMBOL");
    return s && *s ? s : "_ZN10comphelper26getProcessComponentContextEv";
}

/* The office's XComponentContext, as a binary UNO interface. */
static uno_Interface *office_context(const char *lo_program, struct kc_err *err)
{
    static const char *const libs[] = {"libmergedlo.so", "libcomphelper.so"};
    const char *sym = context_symbol();
    void *fn = NULL;
    for (size_t k = 0; k < sizeof libs / sizeof *libs && !fn; k++) {
        void *lib = loaded(lo_program, libs[k]);
        fn = lib ? dlsym(lib, sym) : NULL;
    }
    if (!fn) {
        kc_err_set(err, "LibreOffice does not export %s", sym);
        return NULL;
    }
    void *cxx = cxx_context_from(fn); /* acquired */
    if (!cxx) {
        kc_err_set(err, "LibreOffice has no component context yet");
        return NULL;
    }
    uno_Environment *cxx_env = NULL, *uno_env = NULL;
    uno_Mapping *map = NULL;
    rtl_uString *cxx_name = ustr(STR(CPPU_ENV)), *uno_name = ustr("uno");
    api.get_environment(&cxx_env, cxx_name, NULL);
    api.get_environment(&uno_env, uno_name, NULL);
    api.ustr_release(cxx_name);
    api.ustr_release(uno_name);
    if (cxx_env && uno_env)
        api.get_mapping(&map, cxx_env, uno_env, NULL);
    void *out = NULL;
    if (map) {
        /* the interface of getServiceManager is XComponentContext */
        map->mapInterface(map, &out, cxx,
                          (typelib_InterfaceTypeDescription *)iface_td[M_SMGR]);
        map->release(map);
    }
    if (cxx_env)
        cxx_env->release(cxx_env);
    if (uno_env)
        uno_env->release(uno_env);
    /* release the C++ reference: XInterface's third virtual function */
    void (**vtable)(void *) = *(void (***)(void *))cxx;
    vtable[2](cxx);
    if (!out)
        kc_err_set(err, "cannot map the component context to C");
    return out;
}

/* The type description of method M, found among its interface's members. */
static int find_method(int m, struct kc_err *err)
{
    char full[256];
    rtl_uString *n = ustr(methods[m].iface);
    api.td_by_name(&iface_td[m], n);
    api.ustr_release(n);
    if (!iface_td[m] ||
        iface_td[m]->eTypeClass != typelib_TypeClass_INTERFACE) {
        kc_err_set(err, "no UNO type %s", methods[m].iface);
        return -1;
    }
    snprintf(full, sizeof full, "%s::%s", methods[m].iface, methods[m].method);
    typelib_InterfaceTypeDescription *itd =
        (typelib_InterfaceTypeDescription *)iface_td[m];
    for (sal_Int32 k = 0; k < itd->nAllMembers && !method_td[m]; k++) {
        typelib_TypeDescription *td = NULL;
        api.td_of_ref(&td, itd->ppAllMembers[k]);
        if (!td)
            continue;
        rtl_String *name = NULL;
        api.ustr_to(&name, td->pTypeName->buffer, td->pTypeName->length,
                    RTL_TEXTENCODING_UTF8, OUSTRING_TO_OSTRING_CVTFLAGS);
        if (name && strcmp(name->buffer, full) == 0)
            method_td[m] = td;
        else
            api.td_release(td);
        if (name)
            api.str_release(name);
    }
    if (!method_td[m]) {
        kc_err_set(err, "no UNO method %s", full);
        return -1;
    }
    return 0;
}

int kc_unodoc_init(const char *lo_program, struct kc_err *err)
{
    void *cppu = loaded(lo_program, "libuno_cppu.so.3");
    void *sal = loaded(lo_program, "libuno_sal.so.3");
    struct {
        void *lib;
        void **slot;
        const char *name;
    } syms[] = {
        {cppu, (void **)&api.get_environment, "uno_getEnvironment"},
        {cppu, (void **)&api.get_mapping, "uno_getMapping"},
        {cppu, (void **)&api.td_by_name, "typelib_typedescription_getByName"},
        {cppu, (void **)&api.td_of_ref,
         "typelib_typedescriptionreference_getDescription"},
        {cppu, (void **)&api.td_release, "typelib_typedescription_release"},
        {cppu, (void **)&api.basic_type, "typelib_static_type_getByTypeClass"},
        {cppu, (void **)&api.any_construct, "uno_type_any_construct"},
        {cppu, (void **)&api.any_destruct, "uno_any_destruct"},
        {cppu, (void **)&api.seq_construct, "uno_type_sequence_construct"},
        {cppu, (void **)&api.destruct, "uno_destructData"},
        {sal, (void **)&api.ustr_from, "rtl_string2UString"},
        {sal, (void **)&api.ustr_release, "rtl_uString_release"},
        {sal, (void **)&api.ustr_to, "rtl_uString2String"},
        {sal, (void **)&api.str_release, "rtl_string_release"},
    };
    for (size_t k = 0; k < sizeof syms / sizeof *syms; k++)
        if (resolve(syms[k].lib, syms[k].slot, syms[k].name, err) != 0)
            return -1;
    for (int m = 0; m < M_COUNT; m++)
        if (find_method(m, err) != 0)
            return -1;
    rtl_uString *n = ustr("com.sun.star.beans.PropertyValue");
    api.td_by_name(&pv_td, n);
    api.ustr_release(n);
    n = ustr("[]com.sun.star.beans.PropertyValue");
    api.td_by_name(&pv_seq_td, n);
    api.ustr_release(n);
    n = ustr("[][]any");
    api.td_by_name(&data_td, n);
    api.ustr_release(n);
    if (!pv_td || !pv_seq_td || !data_td ||
        pv_td->nSize != (sal_Int32)sizeof(struct kc_pv)) {
        kc_err_set(err, "com.sun.star.beans.PropertyValue is not laid "
                        "out as expected");
        return -1;
    }
    context = office_context(lo_program, err);
    if (!context)
        return -1;
    if (call(context, M_SMGR, &factory, NULL, "getServiceManager", err) != 0)
        return -1;
    if (!factory) {
        kc_err_set(err, "the office has no service manager");
        return -1;
    }
    spreadsheet_service = ustr("com.sun.star.sheet.SpreadsheetDocument");
    return 0;
}

/* Closes DOC's model (disposing it when a listener vetoes) and releases
 * its interfaces; DOC itself is not freed. */
static void close_doc(struct kc_unodoc *doc)
{
    int closed = -1;
    if (doc->closeable) {
        sal_Bool deliver = 1; /* whoever vetoes must close it later */
        void *args[1] = {&deliver};
        closed = call(doc->closeable, M_CLOSE, NULL, args, "close", NULL);
    }
    if (closed != 0 && doc->model) {
        uno_Interface *component = query(doc->model, M_DISPOSE);
        if (component) {
            call(component, M_DISPOSE, NULL, NULL, "dispose", NULL);
            iface_release(component);
        }
    }
    iface_release(doc->closeable);
    iface_release(doc->storable);
    iface_release(doc->model);
}

struct kc_unodoc *kc_unodoc_load(const char *url, const char *filter,
                                 struct kc_err *err)
{
    struct kc_unodoc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        kc_err_set(err, "out of memory");
        return NULL;
    }
    void *cargs[2] = {&spreadsheet_service, &context};
    int rc = call(factory, M_CREATE, &doc->model, cargs,
                  "cannot create a spreadsheet", err);
    if (rc == 0 && !doc->model) {
        kc_err_set(err, "cannot create a spreadsheet");
        rc = -1;
    }
    if (rc != 0) {
        free(doc);
        return NULL;
    }
    uno_Interface *loadable = query(doc->model, M_LOAD);
    doc->storable = query(doc->model, M_STORE);
    doc->closeable = query(doc->model, M_CLOSE);
    rc = -1;
    if (!loadable || !doc->storable) {
        kc_err_set(err, "the spreadsheet cannot load or store files");
    } else {
        struct pvlist l = {.n = 0};
        pv_string(&l, "URL", url);
        pv_string(&l, "FilterName", filter);
        pv_short(&l, "MacroExecutionMode", 0); /* NEVER_EXECUTE */
        pv_short(&l, "UpdateDocMode", 0);      /* NO_UPDATE */
        uno_Sequence *seq = pv_sequence(&l);
        void *largs[1] = {&seq};
        rc = call(loadable, M_LOAD, NULL, largs, "cannot be opened", err);
        sequence_free(seq);
    }
    iface_release(loadable);
    if (rc != 0) {
        close_doc(doc);
        free(doc);
        return NULL;
    }
    return doc;
}

int kc_unodoc_store(struct kc_unodoc *doc, const char *url, const char *fmt,
                    struct kc_err *err)
{
    /* the export filter of each output format: formats.c's table */
    const struct kc_format *row = kc_format_find(fmt);
    const char *filter = row ? row->filter : NULL;
    if (!filter) {
        kc_err_set(err, "no export filter for %s", fmt);
        return -1;
    }
    struct pvlist l = {.n = 0};
    pv_string(&l, "FilterName", filter);
    pv_bool(&l, "Overwrite", 1);
    uno_Sequence *seq = pv_sequence(&l);
    rtl_uString *u = ustr(url);
    void *args[2] = {&u, &seq};
    int rc = call(doc->storable, M_STORE, NULL, args, "cannot be written", err);
    api.ustr_release(u);
    sequence_free(seq);
    return rc;
}

void kc_unodoc_close(struct kc_unodoc *doc)
{
    if (!doc)
        return;
    close_doc(doc);
    free(doc);
}

int kc_unodoc_freeze(struct kc_unodoc *doc, int sheet, int c0, int r0, int c1,
                     int r1, struct kc_err *err)
{
    uno_Interface *book = query(doc->model, M_SHEETS), *sheets = NULL,
                  *access = NULL, *range = NULL, *data = NULL;
    uno_Sequence *values = NULL;
    int rc = -1;
    if (!book) {
        kc_err_set(err, "the document is not a spreadsheet");
        goto out;
    }
    if (call(book, M_SHEETS, &sheets, NULL, "getSheets", err) != 0)
        goto out;
    access = sheets ? query(sheets, M_RANGE) : NULL;
    if (!access) {
        kc_err_set(err, "the sheets cannot be reached by position");
        goto out;
    }
    sal_Int32 pos[5] = {c0, r0, c1, r1, sheet};
    void *args[5] = {&pos[0], &pos[1], &pos[2], &pos[3], &pos[4]};
    if (call(access, M_RANGE, &range, args, "getCellRangeByPosition", err) != 0)
        goto out;
    data = range ? query(range, M_GETDATA) : NULL;
    if (!data) {
        kc_err_set(err, "the range has no data array");
        goto out;
    }
    if (call(data, M_GETDATA, &values, NULL, "getDataArray", err) != 0)
        goto out;
    void *sargs[1] = {&values};
    rc = call(data, M_SETDATA, NULL, sargs, "setDataArray", err);
out:
    if (values)
        api.destruct(&values, data_td, release_any_iface);
    iface_release(data);
    iface_release(range);
    iface_release(access);
    iface_release(sheets);
    iface_release(book);
    return rc;
}
