/* Freezing the kpicalc add-in's cells of a flat ODF spreadsheet (.fods):
 * a streaming rewriter (`kpicalc recalc --portable`) that turns every cell
 * whose formula calls a kpicalc function into a plain value, so that the
 * workbook, once LibreOffice has loaded the frozen .fods and saved it as
 * .ods/.xlsx/.xls, opens with the same values where the add-in is missing
 * (Excel, WPS, Gnumeric, a LibreOffice without kpicalc).
 *
 * What it changes, and nothing else (every other byte is copied as is):
 *  - a table:table-cell or table:covered-table-cell whose table:formula
 *    calls a kpicalc function (an identifier starting with "ORG.KPICALC.",
 *    any case, followed by "(", outside string literals and references)
 *    loses table:formula, table:number-matrix-columns-spanned and
 *    table:number-matrix-rows-spanned; its office:value-type, office:value,
 *    office:*-value, calcext:value-type and text stay, so it becomes a
 *    plain value;
 *  - such a cell whose result is an error (calcext:value-type="error"; the
 *    error is the text of its first paragraph) gets the native formula that
 *    gives that error: of:=#NULL!, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!
 *    or #N/A; LibreOffice's own errors (Err:502, Err:511, ...), which no
 *    other program knows, become of:=#VALUE!;
 *  - the other cells of a frozen array formula whose element is an error
 *    (plain cells with calcext:value-type="error") get that formula too
 *    (LibreOffice loads an error value without a formula as text).
 * Add-in calls anywhere else (conditional formats, validations, named
 * expressions, other formula attributes) are counted, not changed.
 *
 * The input is read in chunks: memory holds the largest tag, text run or
 * cell being frozen, never the whole document; time is linear. Malformed
 * XML (unbalanced or mismatched tags, bad attributes or references, text
 * outside the root, a DOCTYPE) fails with a reason and writes nothing. */
#ifndef KPICALC_FREEZE_H
#define KPICALC_FREEZE_H

#include "err.h"

#include "buf.h"

#include <stddef.h>

struct kc_freeze_stats {
    long cells_frozen;  /* cells that lost a kpicalc formula (a repeated cell
                           counts each repetition; an array formula counts
                           once, by its anchor) */
    long errors_frozen; /* cells given an error constant: frozen error
                           results, array elements included */
    long calls_outside; /* kpicalc calls left outside cells (formula,
                           condition, expression and calcext:value
                           attributes of other elements) */
    long name_errors;   /* of the frozen errors, those showing #NAME?: with
                           the add-in loaded, a function it does not know */
};

/* Freezes the .fods IN into OUT (written to a temporary file beside OUT,
 * renamed into place when complete; OUT may equal IN). OUT == NULL only
 * counts. ST is filled on success. 0, or -1 with a message in ERR. */
int kc_freeze_fods(const char *in, const char *out, struct kc_freeze_stats *st,
                   struct kc_err *err);

/* The same on memory: OUT (NULL: count only) receives the frozen document,
 * appended; on failure OUT is left as it was. */
int kc_freeze_mem(const char *in, size_t n, struct kc_buf *out,
                  struct kc_freeze_stats *st, struct kc_err *err);

/* kc_freeze_mem with the input handed over CHUNK (>= 1) bytes at a time,
 * so that tests and the fuzz harness reach every chunk boundary. */
int kc_freeze_mem_chunked(const char *in, size_t n, size_t chunk,
                          struct kc_buf *out, struct kc_freeze_stats *st,
                          struct kc_err *err);

/* The number of kpicalc calls in the formula F[0..N) (XML-decoded). */
long kc_freeze_count_calls(const char *f, size_t n);

/* The native formula for the error shown as TEXT ("#DIV/0!" ->
 * "of:=#DIV/0!"; anything not one of the seven standard errors ->
 * "of:=#VALUE!"). Leading and trailing white space is ignored. */
const char *kc_freeze_error_formula(const char *text, size_t n);

#endif
