/* Writes each sheet of a workbook as its own CSV file (UTF-8, comma,
 * RFC 4180 quoting), named STEM-SHEET.csv, from the cells reported by the
 * flat ODF reader. A cell is written as data: a number (float, percentage,
 * currency) as its stored value in full precision, a date as its ISO
 * value, a truth value as TRUE or FALSE, text, errors and times as shown.
 * Sheet names that give the same file name (after the characters a file
 * name cannot hold are replaced, or ignoring case) get -2, -3, ... in
 * sheet order, so no sheet's file replaces another's. */
#ifndef KPICALC_SHEETCSV_H
#define KPICALC_SHEETCSV_H

#include "fods.h"
#include "strset.h"

#include <stddef.h>

struct kc_csv_cell {
    long row, col;
    char *text;
};

struct kc_csv_writer {
    const char *dir;  /* where the files go */
    const char *stem; /* the workbook's name without extension */
    char *sheet;      /* the sheet being collected */
    struct kc_csv_cell *cells;
    size_t n, cap;
    int files; /* files written so far */
    int bom;   /* start each file with a UTF-8 byte-order mark */
    int raw;   /* keep text that starts like a formula as it is */
    char err[512];
    /* the file names given so far (case-folded set) */
    struct kc_strset used;
    char **names;
    size_t nnames, capnames;
};

/* Prepares W to write into DIR; returns the sink to give the reader. */
void kc_csv_writer_init(struct kc_csv_writer *w, const char *dir,
                        const char *stem, struct kc_sheet_sink *sink);
void kc_csv_writer_free(struct kc_csv_writer *w);

/* The file name (no folder) given to the last sheet written, or NULL. */
const char *kc_csv_writer_last_name(const struct kc_csv_writer *w);

/* What CSV carries for CELL (see above): a pointer into CELL or a static
 * string; "" for nothing. */
/* 1 when TEXT starts with a character that makes a spreadsheet read a
 * CSV field as a formula (=, +, -, @, tab, CR): CSV injection. */
int kc_csv_formula_like(const char *text);

const char *kc_csv_cell_text(const struct kc_cell *cell);

/* Appends FIELD to B as one CSV field (quoted when it holds a comma, a
 * quote, CR or LF, or starts or ends with a space; a quote doubled).
 * 0 or -1. */
struct kc_buf;
int kc_csv_field(struct kc_buf *b, const char *field);

#endif
