/* formats.h - the one table of output formats.
 *
 * Every place that needs to know an output format reads this table: the
 * command line (--to, --in-place), the export through LibreOffice (the
 * filter name), the whole-file check before an output takes its name
 * (outcheck.c) and the worker's per-format steps.
 *
 * To add an output format: add one row to kc_formats[] in formats.c and,
 * if LibreOffice does not write it, its writer; if none of the existing
 * checks fits, a check in outcheck.c (a new enum kc_fmt_check value).
 *
 * Rules
 *   1. A format's name is its --to word and its file extension, lower
 *      case; kc_format_find matches it in any case.
 *   2. A row with a filter is written by LibreOffice's export with that
 *      filter name; a row without one is written by kpicalc itself.
 *   3. Every row names the check its outputs pass before they are
 *      published (outcheck.h, rules R1-R19).
 */
#ifndef KC_FORMATS_H
#define KC_FORMATS_H

#include <stddef.h>

enum kc_fmt_check {
    KC_CHECK_ODS,  /* R2-R5: ZIP + ODF members */
    KC_CHECK_XLSX, /* R6-R7: ZIP + OOXML members */
    KC_CHECK_FODS, /* R8: flat ODF XML */
    KC_CHECK_XLS,  /* R9-R12: OLE2 + BIFF8 globals */
    KC_CHECK_PDF,  /* PDF trailer, xref, a page */
    KC_CHECK_CSV   /* UTF-8, balanced quotes */
};

enum {
    KC_FMT_IN_PLACE = 1u << 0,    /* --in-place may rewrite a file of it */
    KC_FMT_SHEET_LIMIT = 1u << 1, /* 65,536 rows x 256 columns (.xls) */
    KC_FMT_KEEPS_CALLS = 1u << 2, /* formulas stay: add-in calls read
                                     #NAME? where the add-in is missing */
    KC_FMT_MAY_BE_EMPTY = 1u << 3 /* a 0-byte file is a valid output */
};

struct kc_format {
    const char *name;   /* "ods": --to word and extension */
    const char *filter; /* LibreOffice export filter; NULL: kpicalc's own */
    enum kc_fmt_check check;
    unsigned flags;
    const char *what; /* for the help text */
};

extern const struct kc_format kc_formats[];
extern const size_t kc_nformats;

/* The row of NAME (any case), or NULL. */
const struct kc_format *kc_format_find(const char *name);

/* "ods, fods, xlsx, xls, pdf, csv" into BUF (for messages and help);
 * returns BUF. */
const char *kc_format_names(char *buf, size_t bufsz);

#endif
