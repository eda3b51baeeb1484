/* A streaming reader of the flat ODF spreadsheets (.fods) that LibreOffice
 * writes: it reports the sheets and their non-empty cells (row and column
 * from 0, with the value type, the raw value and the displayed text) and
 * counts the cells that show an error. Content inside drawings, charts and
 * comments is not part of any cell. */
#ifndef KPICALC_FODS_H
#define KPICALC_FODS_H

#include <stddef.h>

enum kc_cell_type {
    KC_CELL_EMPTY = 0,
    KC_CELL_NUMBER, /* float, percentage, currency */
    KC_CELL_DATE,   /* date, time */
    KC_CELL_BOOL,
    KC_CELL_STRING,
    KC_CELL_ERROR
};

struct kc_cell {
    enum kc_cell_type type;
    const char *value; /* office:value, date-value, ...; "" when none */
    const char *text;  /* the displayed text, paragraphs joined by LF */
};

/* Callbacks; each returns 0 to go on or -1 to stop the scan with an error
 * (the callback writes nothing to ERR; the scan reports "stopped"). */
struct kc_sheet_sink {
    void *ctx;
    int (*sheet_begin)(void *ctx, const char *name);
    int (*cell)(void *ctx, long row, long col, const struct kc_cell *cell);
    int (*sheet_end)(void *ctx);
};

struct kc_scan_result {
    long error_cells; /* cells whose value type is "error" */
};

/* Scans the file at PATH. SINK may be NULL (only counting). 0, or -1 with
 * a message in ERR (unreadable file, malformed XML, a sink stopped). */
int kc_fods_scan(const char *path, const struct kc_sheet_sink *sink,
                 struct kc_scan_result *res, char *err, size_t errsz);

#endif
