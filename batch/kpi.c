/* Collects the indicators from a workbook's KPI sheet. */
#include "kpi.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int kc_kpi_key_ok(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        if (!isalnum(c) && c != '_' && c != '-' && c != '.')
            return 0;
    }
    return 1;
}

int kc_kpi_add(struct kc_kpi_list *l, const char *key, const char *value,
               char type)
{
    if (!l || !key)
        return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct kc_kpi *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    struct kc_kpi *k = &l->v[l->n];
    k->key = strdup(key);
    k->value = strdup(value ? value : "");
    k->type = type;
    if (!k->key || !k->value) {
        free(k->key);
        free(k->value);
        return -1;
    }
    l->n++;
    return 0;
}

void kc_kpi_list_free(struct kc_kpi_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void note(struct kc_kpi_collector *c, const char *fmt, long row,
                 const char *key)
{
    if (c->notes.len > 0)
        kc_buf_adds(&c->notes, "; ");
    kc_buf_addf(&c->notes, fmt, row + 1, key);
}

static char *trimmed(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

/* Ends the row being collected, keeping its indicator if it has a key. */
static int flush_row(struct kc_kpi_collector *c)
{
    int rc = 0;
    /* the set follows OUT (which holds its keys' strings) */
    for (; c->nkeys < c->out->n; c->nkeys++)
        if (kc_strset_add(&c->keys, c->out->v[c->nkeys].key, c->nkeys) < 0)
            return -1;
    if (c->key && *c->key) {
        int dup = kc_strset_get(&c->keys, c->key) != KC_STRSET_NONE;
        if (!kc_kpi_key_ok(c->key))
            note(c, "KPI row %ld: key '%s' ignored (use A-Z a-z 0-9 _ - .)",
                 c->row, c->key);
        else if (dup)
            note(c, "KPI row %ld: key '%s' repeated, first kept", c->row,
                 c->key);
        else
            rc = kc_kpi_add(c->out, c->key, c->value ? c->value : "",
                            c->value ? c->type : KC_KPI_EMPTY);
    }
    free(c->key);
    free(c->value);
    c->key = c->value = NULL;
    c->type = KC_KPI_EMPTY;
    return rc;
}

static int on_sheet_begin(void *ctx, const char *name)
{
    struct kc_kpi_collector *c = ctx;
    c->in_kpi = !c->seen_kpi && strcasecmp(name, "KPI") == 0;
    if (c->in_kpi)
        c->seen_kpi = 1;
    c->row = -1;
    return 0;
}

static char value_type(const struct kc_cell *cell)
{
    switch (cell->type) {
    case KC_CELL_NUMBER:
        return KC_KPI_NUMBER;
    case KC_CELL_BOOL:
        return KC_KPI_BOOL;
    case KC_CELL_DATE:
        return KC_KPI_DATE;
    case KC_CELL_ERROR:
        return KC_KPI_ERROR;
    case KC_CELL_STRING:
        return KC_KPI_STRING;
    default:
        return *cell->text ? KC_KPI_STRING : KC_KPI_EMPTY;
    }
}

static int on_cell(void *ctx, long row, long col, const struct kc_cell *cell)
{
    struct kc_kpi_collector *c = ctx;
    if (!c->in_kpi || row < 1 || col > 1) /* row 1 is the header */
        return 0;
    if (row != c->row) {
        if (flush_row(c) != 0)
            return -1;
        c->row = row;
    }
    if (col == 0) {
        free(c->key);
        if (!(c->key = trimmed(cell->text)))
            return -1;
        return 0;
    }
    char type = value_type(cell);
    const char *v;
    switch (type) {
    case KC_KPI_NUMBER:
    case KC_KPI_DATE:
        v = *cell->value ? cell->value : cell->text;
        break;
    case KC_KPI_BOOL:
        v = strcasecmp(cell->value, "true") == 0 ? "TRUE" : "FALSE";
        break;
    default:
        v = cell->text;
    }
    free(c->value);
    c->type = type;
    return (c->value = strdup(v)) ? 0 : -1;
}

static int on_sheet_end(void *ctx)
{
    struct kc_kpi_collector *c = ctx;
    int rc = c->in_kpi ? flush_row(c) : 0;
    c->in_kpi = 0;
    return rc;
}

void kc_kpi_collector_init(struct kc_kpi_collector *c, struct kc_kpi_list *out,
                           struct kc_sheet_sink *sink)
{
    memset(c, 0, sizeof *c);
    c->out = out;
    c->row = -1;
    c->type = KC_KPI_EMPTY;
    kc_strset_init(&c->keys, 0);
    sink->ctx = c;
    sink->sheet_begin = on_sheet_begin;
    sink->cell = on_cell;
    sink->sheet_end = on_sheet_end;
}

void kc_kpi_collector_free(struct kc_kpi_collector *c)
{
    if (!c)
        return;
    free(c->key);
    free(c->value);
    c->key = c->value = NULL;
    kc_strset_free(&c->keys);
    c->nkeys = 0;
    kc_buf_free(&c->notes);
}
