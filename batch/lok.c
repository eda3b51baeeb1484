/* LibreOffice in-process through LibreOfficeKit: see lok.h. */
#include "lok.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* postUnoCommand and registerCallback on a document are "unstable" API;
 * LibreOfficeKitInit.h defines static helpers that not every version
 * marks as possibly unused. */
#define LOK_USE_UNSTABLE_API
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <LibreOfficeKit/LibreOfficeKitInit.h>
#pragma GCC diagnostic pop

/* From LibreOfficeKitEnums.h, which only C++ can include whole. */
#define KC_LOK_DOCTYPE_SPREADSHEET 1
#define KC_LOK_CALLBACK_UNO_COMMAND_RESULT 16
#define KC_LOK_CALLBACK_DOCUMENT_PASSWORD 20
#define KC_LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY 21
#define KC_LOK_FEATURE_DOCUMENT_PASSWORD (1ULL << 0)
#define KC_LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY (1ULL << 1)

#define SETTLE_COMMAND ".uno:CalculateHard"

struct kc_lok_doc {
    LibreOfficeKitDocument *lok;
    int listening; /* its callback reports the commands' results */
};

static LibreOfficeKit *office;
static int password_asked; /* during the last load */

/* The results of SETTLE_COMMAND, reported on LibreOffice's thread. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int results_seen, results_failed;

/* LibreOffice asks for a password through this callback; answering with
 * none makes the load fail (or, for a password to modify, go read-only). */
static void on_office_event(int type, const char *payload, void *data)
{
    (void)data;
    if (type == KC_LOK_CALLBACK_DOCUMENT_PASSWORD ||
        type == KC_LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY) {
        if (type == KC_LOK_CALLBACK_DOCUMENT_PASSWORD)
            password_asked = 1;
        office->pClass->setDocumentPassword(office, payload, NULL);
    }
}

/* Counts the results of SETTLE_COMMAND and wakes kc_lok_settle. */
static void on_doc_event(int type, const char *payload, void *data)
{
    (void)data;
    if (type != KC_LOK_CALLBACK_UNO_COMMAND_RESULT || !payload)
        return;
    pthread_mutex_lock(&mu);
    if (strstr(payload, SETTLE_COMMAND)) {
        results_seen++;
        if (!strstr(payload, "\"success\": true") &&
            !strstr(payload, "\"success\":true"))
            results_failed++;
    }
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

int kc_lok_error_text(struct kc_err *err, const char *text)
{
    /* LibreOfficeKit's words for "it did not load" add nothing */
    if (!text || !*text || strstr(text, "returned an empty reference"))
        kc_err_clear(err);
    else
        kc_err_set(err, "%s", text);
    return -1;
}

/* The office's error text of the last call, cleaned, into ERR; -1. */
static int office_error(struct kc_err *err)
{
    char *e = office->pClass->getError(office);
    kc_lok_error_text(err, e);
    if (e) {
        if (LIBREOFFICEKIT_HAS(office, freeError))
            office->pClass->freeError(e);
        else
            free(e);
    }
    return -1;
}

int kc_lok_start(const char *program_dir, const char *profile_url,
                 struct kc_err *err)
{
    office = lok_init_2(program_dir, profile_url);
    if (!office)
        return kc_err_set(err, "LibreOffice could not start (lok_init_2)");
    office->pClass->registerCallback(office, on_office_event, NULL);
    office->pClass->setOptionalFeatures(
        office, KC_LOK_FEATURE_DOCUMENT_PASSWORD |
                    KC_LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY);
    return 0;
}

struct kc_lok_doc *kc_lok_load(const char *url, struct kc_err *err)
{
    struct kc_lok_doc *d = calloc(1, sizeof *d);
    if (!d) {
        kc_err_set(err, "out of memory");
        return NULL;
    }
    password_asked = 0;
    d->lok = office->pClass->documentLoadWithOptions(office, url, "Batch=true");
    if (!d->lok) {
        if (password_asked)
            kc_err_set(err, "password-protected: cannot be opened without "
                            "its password");
        else {
            office_error(err);
            if (*kc_err_msg(err))
                kc_err_wrap(err, "cannot be opened as a spreadsheet (unknown "
                                 "format or damaged file): ");
            else
                kc_err_set(err, "cannot be opened as a spreadsheet (unknown "
                                "format or damaged file)");
        }
        free(d);
        return NULL;
    }
    if (d->lok->pClass->getDocumentType(d->lok) != KC_LOK_DOCTYPE_SPREADSHEET) {
        kc_err_set(err, "not a spreadsheet (LibreOffice opened it as another "
                        "kind of document)");
        kc_lok_close(d);
        return NULL;
    }
    return d;
}

int kc_lok_save_as(struct kc_lok_doc *doc, const char *url, const char *fmt,
                   struct kc_err *err)
{
    if (doc->lok->pClass->saveAs(doc->lok, url, fmt, NULL))
        return 0;
    return office_error(err);
}

/* From DOC's first command on, its callback reports their results. */
static void listen_to(struct kc_lok_doc *doc)
{
    if (!doc->listening) {
        doc->lok->pClass->registerCallback(doc->lok, on_doc_event, NULL);
        doc->listening = 1;
    }
}

void kc_lok_post(struct kc_lok_doc *doc, const char *command, const char *args)
{
    listen_to(doc);
    doc->lok->pClass->postUnoCommand(doc->lok, command, args ? args : "", 0);
}

int kc_lok_settle(struct kc_lok_doc *doc, double seconds, struct kc_err *err)
{
    listen_to(doc);
    pthread_mutex_lock(&mu);
    int want = results_seen + 1, failed = results_failed;
    pthread_mutex_unlock(&mu);
    doc->lok->pClass->postUnoCommand(doc->lok, SETTLE_COMMAND, "", 1);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)seconds;
    int rc = 0;
    pthread_mutex_lock(&mu);
    while (results_seen < want && rc == 0)
        rc = pthread_cond_timedwait(&cv, &mu, &until);
    int ok = results_seen >= want && results_failed == failed;
    pthread_mutex_unlock(&mu);
    if (ok)
        return 0;
    if (rc)
        return kc_err_set(
            err, "LibreOffice did not finish the edits within %.0f s", seconds);
    return kc_err_set(err, "LibreOffice reported a failed recalculation");
}

void kc_lok_close(struct kc_lok_doc *doc)
{
    if (!doc)
        return;
    doc->lok->pClass->destroy(doc->lok);
    free(doc);
}
