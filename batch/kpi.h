/* The indicators of a workbook: its sheet named KPI holds one per row
 * below a header row; column A a stable ASCII key, column B the value
 * (a number, a truth value, text or an error), columns C and D labels. */
#ifndef KPICALC_KPI_H
#define KPICALC_KPI_H

#include "buf.h"
#include "fods.h"
#include "strset.h"

#include <stddef.h>

/* The type letters used in records and summaries. */
#define KC_KPI_NUMBER 'n'
#define KC_KPI_BOOL 'b'
#define KC_KPI_DATE 'd'
#define KC_KPI_STRING 's'
#define KC_KPI_ERROR 'e'
#define KC_KPI_EMPTY '-'

struct kc_kpi {
    char *key;
    char *value; /* raw number, TRUE/FALSE, ISO date, text or error text */
    char type;   /* one of the letters above */
};

struct kc_kpi_list {
    struct kc_kpi *v;
    size_t n, cap;
};

/* Collects the indicators while the reader goes through a workbook. */
struct kc_kpi_collector {
    struct kc_kpi_list *out;
    struct kc_buf notes; /* problems found, "; "-separated */
    int in_kpi, seen_kpi;
    long row;          /* the row being collected, -1 before any */
    char *key, *value; /* its column A and B */
    char type;
    struct kc_strset keys; /* the keys in OUT, for a repeated key */
    size_t nkeys;          /* how many of OUT's keys are in KEYS */
};

/* 1 when KEY is a usable indicator key: 1 to 64 of A-Z a-z 0-9 _ - . */
int kc_kpi_key_ok(const char *key);

void kc_kpi_collector_init(struct kc_kpi_collector *c, struct kc_kpi_list *out,
                           struct kc_sheet_sink *sink);
void kc_kpi_collector_free(struct kc_kpi_collector *c);

/* Appends a copy of an indicator. 0 or -1 (out of memory). */
int kc_kpi_add(struct kc_kpi_list *l, const char *key, const char *value,
               char type);
void kc_kpi_list_free(struct kc_kpi_list *l);

#endif
