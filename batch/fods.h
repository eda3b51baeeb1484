/* A streaming reader of the flat ODF spreadsheets (.fods) that LibreOffice
 * writes: it reports the sheets and their non-empty cells (row and column
 * from 0, with the value type, the raw value and the displayed text) and
 * counts the cells that show an error. Content inside drawings, charts and
 * comments is not part of any cell. */
#ifndef KPICALC_FODS_H
#define KPICALC_FODS_H

#include "err.h"

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

/* What one cell may hold (its shown text, or its value), and the cells of
 * one row together, in bytes: a document beyond them fails with the sheet,
 * row and column in the reason instead of growing memory without end.
 * (Calc and Excel cells hold at most 32,767 characters when typed.) */
#define KC_FODS_MAX_CELL_BYTES (1 << 20)
#define KC_FODS_MAX_ROW_BYTES (64 << 20)

/* Scans the document DATA[0..LEN). SINK may be NULL (only counting).
 * Every string given to the sink (sheet names, values, texts) is valid
 * UTF-8: a byte that is not, or a character reference to no character
 * XML allows (&#0;, a surrogate, beyond U+10FFFF), reads as U+FFFD.
 * Repeated rows and columns are reported once per cell inside Calc's grid
 * (1,048,576 rows, 16,384 columns); covered cells (hidden by a merge) are
 * not reported. 0, or -1 with a message in ERR: malformed XML, no
 * office:spreadsheet element, a cell or row beyond the limits above, a
 * sink that stopped. */
int kc_fods_scan_mem(const char *data, size_t len,
                     const struct kc_sheet_sink *sink,
                     struct kc_scan_result *res, struct kc_err *err);

/* The same for the file at PATH (unreadable or empty: -1). */
int kc_fods_scan(const char *path, const struct kc_sheet_sink *sink,
                 struct kc_scan_result *res, struct kc_err *err);

#endif
