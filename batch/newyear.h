/* kpicalc new-year: rolls a kpicalc yearly workbook to the next year.
 *
 *   kpicalc new-year [options] WORKBOOK -o OUT   (kpicalc new-year --help)
 *
 * OUT must not exist (unless --force) and its folder must; the whole work
 * on the workbook (its ZIP check, then the office) runs in child processes
 * within --timeout. What would be lost is said: a year with nothing filled
 * in, cleared cells that the plan carries nowhere.
 *
 * The workbook's hidden Config sheet computes a rollover plan (one operation
 * per row: "year", "set TARGET VALUE", "clear TARGET", "end"; see
 * docs/templates.md). The command loads the workbook in LibreOffice through
 * LibreOfficeKit (in a child process, with the private profile that has the
 * extension), reads the plan from a flat-ODF export, applies it as posted
 * UNO commands, saves to a temporary file beside OUT, reloads that file and
 * checks every target cell, and only then renames it to OUT. */
#ifndef KPICALC_NEWYEAR_H
#define KPICALC_NEWYEAR_H

#include "err.h"

#include <stddef.h>

/* The command; ARGV[0] is "new-year". Returns the exit status: 0 done,
 * 1 failed (nothing written to OUT), 2 usage error. */
int kpicalc_new_year_main(int argc, char **argv);

/* One operation of a rollover plan. */
enum kc_ny_op { KC_NY_YEAR, KC_NY_SET, KC_NY_CLEAR };

/* The value a "set" writes: a number (raw text as in office:value), a
 * text, a truth value ("true"/"false") or nothing (the cell is cleared). */
enum kc_ny_kind { KC_NY_NONE, KC_NY_NUMBER, KC_NY_TEXT, KC_NY_BOOL };

struct kc_ny_step {
    enum kc_ny_op op;
    char *target; /* "$Sheet.$C$3" as in the plan */
    char *sheet;  /* parsed from target */
    long row, col;
    enum kc_ny_kind kind;
    char *value;
    long plan_row; /* 1-based row of the Config sheet, for messages */
};

struct kc_ny_plan {
    struct kc_ny_step *v;
    size_t n, cap;
    long year; /* the workbook's year, from the "year" step */
};

/* Parses a cell address "$Sheet.$C$3" (the $ signs and quotes around the
 * sheet name optional) into the sheet name (malloc'd) and 0-based row and
 * column. 0, or -1 when it is not a single-cell address. */
int kc_ny_parse_address(const char *addr, char **sheet, long *row, long *col);

void kc_ny_plan_free(struct kc_ny_plan *p);

/* Reads the rollover plan from a flat-ODF document in memory (DATA[0..LEN),
 * as LibreOffice exports the workbook; only its Config sheet is read). 0,
 * or -1 with the reason in ERR (the plan is then empty). */
int kc_ny_plan_parse_fods(const char *data, size_t len, struct kc_ny_plan *plan,
                          struct kc_err *err);

#endif
