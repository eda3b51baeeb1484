/* LibreOffice in-process through LibreOfficeKit: the one place of the batch
 * that includes LibreOfficeKit's headers and knows its constants.
 *
 * One office per process (lok_init_2 can be called once): the worker
 * (worker.c) and new-year's office child (newyear.c) each start it, open
 * workbooks as documents with a view, save them in a format, and close
 * them. Neither ever stops the office: a process that is done leaves with
 * _exit, which is fast and safe as nothing needs saving.
 *
 * A password-protected file is refused: LibreOffice asks for the password
 * through a callback, which answers with none, so the load fails (a
 * password to modify only opens the file read-only, which is enough to
 * read and save it elsewhere).
 *
 * new-year edits a document with UNO commands (".uno:GoToCell", ...),
 * which LibreOffice runs later, in order, on its own thread:
 * kc_lok_settle waits for them. The messages are English (err.h). */
#ifndef KPICALC_LOK_H
#define KPICALC_LOK_H

#include "err.h"

struct kc_lok_doc; /* a document loaded with a view */

/* Starts the office of the LibreOffice program folder PROGRAM_DIR with the
 * user profile at PROFILE_URL (a file URL), and makes it refuse passwords.
 * Once per process. 0, or -1 with ERR. */
int kc_lok_start(const char *program_dir, const char *profile_url,
                 struct kc_err *err);

/* Loads the file at URL (a file URL) as LibreOffice's type detection sees
 * it, with the batch options both commands use ("Batch=true": no dialog),
 * into a document with a view. The office must be started. NULL with the
 * reason in ERR: the file is password-protected, cannot be opened
 * (LibreOffice's own words added when they say something), or is not a
 * spreadsheet. */
struct kc_lok_doc *kc_lok_load(const char *url, struct kc_err *err);

/* Saves DOC to URL (a file URL) in the format FMT (ods, fods, xlsx, xls,
 * pdf: LibreOfficeKit's short names), without LibreOffice's sync to disk.
 * 0, or -1 with LibreOffice's reason in ERR, cleaned as
 * kc_lok_error_text does: it may be empty (the caller says what failed). */
int kc_lok_save_as(struct kc_lok_doc *doc, const char *url, const char *fmt,
                   struct kc_err *err);

/* Posts the UNO command COMMAND with the JSON arguments ARGS (NULL: none)
 * to DOC. It runs later, in order with the others: see kc_lok_settle. */
void kc_lok_post(struct kc_lok_doc *doc, const char *command, const char *args);

/* Waits until LibreOffice has run every command posted to DOC: posts a
 * full recalculation (".uno:CalculateHard") that reports its result, and
 * waits up to SECONDS for that report. 0, or -1 with ERR: not done in
 * time, or the recalculation reported a failure. */
int kc_lok_settle(struct kc_lok_doc *doc, double seconds, struct kc_err *err);

/* Closes DOC and frees it; NULL does nothing. */
void kc_lok_close(struct kc_lok_doc *doc);

/* LibreOfficeKit's error text TEXT (or NULL), cleaned, into ERR: empty when
 * it says nothing ("" or NULL, or its words for "it did not load",
 * "...returned an empty reference"), else TEXT as it is. Returns -1. What
 * kc_lok_load and kc_lok_save_as put in ERR; public for the unit test. */
int kc_lok_error_text(struct kc_err *err, const char *text);

#endif
