/* Spreadsheet documents without a view: LibreOffice's own UNO API, called
 * in-process through the binary UNO C API.
 *
 * LibreOfficeKit opens every document into a frame with a view, a sidebar,
 * a status bar and a tab bar, which costs more than reading the file. A
 * batch recalculation needs none of it: this module asks the office that
 * LibreOfficeKit started for a bare spreadsheet model
 * (com.sun.star.sheet.SpreadsheetDocument), loads the file into it
 * (XLoadable, with the import filter named), stores it (XStorable) and
 * closes it (XCloseable). Recalculation on load, macros and links follow
 * the profile's settings, as with LibreOfficeKit; no interaction handler is
 * given, so nothing ever asks a question: a password-protected file simply
 * fails to load.
 *
 * The one step outside the C API is finding the office's component
 * context: comphelper::getProcessComponentContext(), a C++ function, is
 * called through the platform's C++ ABI (see unodoc.c) and its result
 * mapped into the binary UNO environment. Where that symbol is missing the
 * caller keeps to LibreOfficeKit. */
#ifndef KPICALC_UNODOC_H
#define KPICALC_UNODOC_H

#include "err.h"

#include <stddef.h>

struct kc_unodoc; /* a loaded spreadsheet model */

/* Binds to the UNO runtime of the office started by lok_init_2 from the
 * program folder LO_PROGRAM. 0 on success; -1 with the reason in ERR. */
int kc_unodoc_init(const char *lo_program, struct kc_err *err);

/* Loads the file at URL with the import FILTER into a new spreadsheet
 * model. NULL with LibreOffice's reason in ERR when it cannot. */
struct kc_unodoc *kc_unodoc_load(const char *url, const char *filter,
                                 struct kc_err *err);

/* Stores DOC to URL with the export filter of FMT (ods, fods, xlsx, xls,
 * pdf), without LibreOffice's own sync to disk. 0, or -1 with ERR. */
int kc_unodoc_store(struct kc_unodoc *doc, const char *url, const char *fmt,
                    struct kc_err *err);

/* Replaces every cell of the rectangle C0..C1 x R0..R1 (0-based) of the
 * sheet at index SHEET by its value, formulas and array formulas alike
 * (getDataArray, then setDataArray: the UNO API's "formula to value"). The
 * rectangle must hold whole array formulas. A cell whose result is an
 * error becomes the error #N/A, whichever error it was (getDataArray
 * gives no value for an error, setDataArray writes #N/A for none): the
 * county workbook's add-in cells are in IFERROR and can only give #N/A.
 * 0, or -1 with LibreOffice's reason in ERR. */
int kc_unodoc_freeze(struct kc_unodoc *doc, int sheet, int c0, int r0, int c1,
                     int r1, struct kc_err *err);

/* Closes DOC and frees it. */
void kc_unodoc_close(struct kc_unodoc *doc);

#endif
