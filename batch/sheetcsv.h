/* Writes each sheet of a workbook as its own CSV file (UTF-8, comma,
 * quotes where needed, the displayed text of each cell), named
 * STEM-SHEETNAME.csv, from the cells reported by the flat ODF reader. */
#ifndef KPICALC_SHEETCSV_H
#define KPICALC_SHEETCSV_H

#include "fods.h"

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
    char err[512];
};

/* Prepares W to write into DIR; returns the sink to give the reader. */
void kc_csv_writer_init(struct kc_csv_writer *w, const char *dir,
                        const char *stem, struct kc_sheet_sink *sink);
void kc_csv_writer_free(struct kc_csv_writer *w);

/* Appends FIELD to B as one CSV field (quoted when it holds a comma, a
 * quote, CR or LF, or starts or ends with a space). 0 or -1. */
struct kc_buf;
int kc_csv_field(struct kc_buf *b, const char *field);

#endif
