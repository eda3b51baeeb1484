/* The batch summary: one row per workbook with its file, status, the
 * number of cells that show an error, its indicators (one column per key,
 * in the order first seen), the indicators that are errors, and a message;
 * as CSV or as a JSON array of objects with the same fields. docs/batch.md
 * describes both formats.
 *
 * - Every column name is distinct, ignoring case: a key equal to a fixed
 *   column (file, file_hex, status, error_cells, kpi_errors, message) or
 *   to an earlier key but for case is written as kpi_KEY, then kpi_KEY_2,
 *   kpi_KEY_3, ... when that is taken too.
 * - An indicator whose value is an error (#DIV/0!, ...) leaves its column
 *   empty (CSV) or null (JSON), so a numeric column stays numeric; the
 *   error is in kpi_errors: "key=#DIV/0!; key2=#N/A" (CSV) or an object
 *   {"key": "#DIV/0!"} (JSON).
 * - Everything written is valid UTF-8: a byte of a file name (or of any
 *   text) that is not UTF-8 is written as U+FFFD; the JSON row of such a
 *   file also has "file_hex", its name's bytes in hexadecimal.
 * - A CSV summary starts with a UTF-8 byte-order mark, so that Excel reads
 *   its Chinese as UTF-8 whatever the system's code page.
 * - Linear in the number of workbooks times the number of distinct keys.
 */
#ifndef KPICALC_SUMMARY_H
#define KPICALC_SUMMARY_H

#include "err.h"

#include "pool.h"

#include <stddef.h>

struct kc_buf;

/* 'c' for a .csv path, 'j' for .json (any case), 0 otherwise. */
int kc_summary_format(const char *path);

/* Appends to OUT the summary of N workbooks (FILES[i] and RESULTS[i]) in
 * format FMT ('c' or 'j'). In CSV, a text field that starts like a formula
 * (=, +, -, @, tab, CR) gets a leading apostrophe unless RAW (CSV
 * injection: Excel would run it). 0, or -1 with a message in ERR. */
int kc_summary_render(struct kc_buf *out, int fmt, const char *const *files,
                      const struct kc_result *results, size_t n, int raw,
                      struct kc_err *err);

/* Writes the summary of N workbooks to PATH (its format by its
 * extension), creating its folder if needed. The text goes to a new
 * temporary file beside PATH, which is flushed, read back and compared,
 * then renamed over PATH: PATH is either the old summary or the whole new
 * one. 0, or -1 with "cannot write PATH: <reason>" in ERR (a folder that
 * cannot be made, a full disk, a short write, a failed flush, read-back
 * or rename); the temporary file is then removed.
 * A CSV summary always starts with a byte-order mark; RAW as for
 * kc_summary_render. */
int kc_summary_write(const char *path, const char *const *files,
                     const struct kc_result *results, size_t n, int raw,
                     struct kc_err *err);

#endif
