/* A worker process: LibreOffice in-process through LibreOfficeKit. */
#include "worker.h"

#include "buf.h"
#include "fods.h"
#include "fsutil.h"
#include "kpi.h"
#include "paths.h"
#include "pool.h"
#include "proto.h"
#include "sheetcsv.h"
#include "sniff.h"
#include "unodoc.h"
#include "zipcheck.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* LibreOfficeKitInit.h defines static helpers that not every version
 * marks as possibly unused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <LibreOfficeKit/LibreOfficeKitInit.h>
#pragma GCC diagnostic pop

/* From LibreOfficeKitEnums.h, which only C++ can include whole. */
#define KC_LOK_DOCTYPE_SPREADSHEET 1
#define KC_LOK_CALLBACK_DOCUMENT_PASSWORD 20
#define KC_LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY 21
#define KC_LOK_FEATURE_DOCUMENT_PASSWORD (1ULL << 0)
#define KC_LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY (1ULL << 1)

#define MAX_FIELDS 64

static LibreOfficeKit *office;
static int password_asked;
static int uno_ready; /* workbooks can be opened without a view */

/* An open workbook: a bare model through UNO, or a LibreOfficeKit view. */
struct wdoc {
    struct kc_unodoc *uno;
    LibreOfficeKitDocument *lok;
};

int kc_fault_for(const char *base)
{
    const char *spec = getenv("KPICALC_FAULT");
    if (!spec || !*spec || !base)
        return 0;
    char *copy = strdup(spec), *save = NULL;
    int kind = 0;
    for (char *item = copy ? strtok_r(copy, ",", &save) : NULL; item && !kind;
         item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        if (colon && strcmp(colon + 1, base) == 0) {
            if (strncmp(item, "crash:", 6) == 0)
                kind = 'c';
            else if (strncmp(item, "hang:", 5) == 0)
                kind = 'h';
        }
    }
    free(copy);
    return kind;
}

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

static void office_error(char *msg, size_t msgsz, const char *what)
{
    char *e = office->pClass->getError(office);
    /* LibreOfficeKit's words for "it did not load" add nothing */
    int useless = !e || !*e || strstr(e, "returned an empty reference");
    snprintf(msg, msgsz, "%s%s%s", what, useless ? "" : ": ", useless ? "" : e);
    if (e) {
        if (LIBREOFFICEKIT_HAS(office, freeError))
            office->pClass->freeError(e);
        else
            free(e);
    }
}

/* Writes D to URL in the format FMT (ods, fods, xlsx, xls, pdf); a scratch
 * or staged file, which LibreOffice need not sync to disk. */
static int doc_save(struct wdoc *d, const char *url, const char *fmt,
                    const char *what, char *msg, size_t msgsz)
{
    if (d->uno) {
        char err[1024];
        if (kc_unodoc_store(d->uno, url, fmt, err, sizeof err) == 0)
            return 0;
        snprintf(msg, msgsz, "%s: %s", what, err);
        return -1;
    }
    if (d->lok->pClass->saveAs(d->lok, url, fmt, NULL))
        return 0;
    office_error(msg, msgsz, what);
    return -1;
}

static void doc_close(struct wdoc *d)
{
    if (d->uno)
        kc_unodoc_close(d->uno);
    if (d->lok)
        d->lok->pClass->destroy(d->lok);
    d->uno = NULL;
    d->lok = NULL;
}

/* The test-only trace: KPICALC_TRACE names a file to which each opened
 * workbook's loader ("uno" or "lok") and path are appended. */
static void trace_loader(const char *how, const char *path)
{
    const char *t = getenv("KPICALC_TRACE");
    FILE *f = t && *t ? fopen(t, "a") : NULL;
    if (f) {
        fprintf(f, "%s\t%s\n", how, path);
        fclose(f);
    }
}

/* Opens the workbook at URL (the file PATH; ZIP what kc_zip_check saw of
 * it, or NULL): as a bare model when its bytes name the filter, else (or when
 * that fails) through LibreOfficeKit, whose type detection and password
 * callback give the reason a file cannot be opened. */
static int doc_open(struct wdoc *d, const char *path, const char *url,
                    const struct kc_zip_info *zip, char *msg, size_t msgsz)
{
    const char *filter = uno_ready ? kc_sniff_filter(path, zip) : NULL;
    if (filter) {
        char err[1024];
        d->uno = kc_unodoc_load(url, filter, err, sizeof err);
        if (d->uno) {
            trace_loader("uno", path);
            return 0;
        }
    }
    password_asked = 0;
    d->lok = office->pClass->documentLoadWithOptions(office, url, "Batch=true");
    if (!d->lok) {
        if (password_asked)
            snprintf(msg, msgsz,
                     "password-protected: cannot be opened "
                     "without its password");
        else
            office_error(msg, msgsz,
                         "cannot be opened as a spreadsheet (unknown "
                         "format or damaged file)");
        return -1;
    }
    if (d->lok->pClass->getDocumentType(d->lok) != KC_LOK_DOCTYPE_SPREADSHEET) {
        snprintf(msg, msgsz,
                 "not a spreadsheet (LibreOffice opened it as "
                 "another kind of document)");
        doc_close(d);
        return -1;
    }
    trace_loader("lok", path);
    return 0;
}

struct output {
    const char *fmt;   /* ods, fods, xlsx, xls, pdf, csv */
    const char *final; /* the file to produce (for csv: the stem's name) */
    char *dir;         /* its folder */
    char *stage;       /* the staging folder in it */
};

struct job {
    const char *id, *input, *backup;
    int scan, bom;
    struct output out[KC_MAX_OUTPUTS];
    int nout;
};

/* Sends one fan-out of reader callbacks to up to two sinks. */
struct fanout {
    struct kc_sheet_sink *a, *b;
};

static int fan_begin(void *ctx, const char *name)
{
    struct fanout *f = ctx;
    return (f->a ? f->a->sheet_begin(f->a->ctx, name) : 0) |
           (f->b ? f->b->sheet_begin(f->b->ctx, name) : 0);
}

static int fan_cell(void *ctx, long row, long col, const struct kc_cell *c)
{
    struct fanout *f = ctx;
    return (f->a ? f->a->cell(f->a->ctx, row, col, c) : 0) |
           (f->b ? f->b->cell(f->b->ctx, row, col, c) : 0);
}

static int fan_end(void *ctx)
{
    struct fanout *f = ctx;
    return (f->a ? f->a->sheet_end(f->a->ctx) : 0) |
           (f->b ? f->b->sheet_end(f->b->ctx) : 0);
}

/* Keeps the file FINAL under the name BACKUP (a hard link, replacing an
 * older backup atomically). */
static int keep_backup(const char *final, const char *backup, char *msg,
                       size_t msgsz)
{
    size_t n = strlen(backup) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(msg, msgsz, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.kpicalc-%ld.tmp", backup, (long)getpid());
    unlink(tmp);
    int rc = 0;
    if (link(final, tmp) != 0 || rename(tmp, backup) != 0) {
        snprintf(msg, msgsz, "cannot keep a backup %s: %s", backup,
                 strerror(errno));
        unlink(tmp);
        rc = -1;
    }
    free(tmp);
    return rc;
}

/* Moves every file staged in O->stage into O->dir, each flushed to disk
 * first; with BACKUP, the file it replaces is kept under that name. */
static int publish(struct output *o, const char *backup, char *msg,
                   size_t msgsz)
{
    DIR *d = opendir(o->stage);
    if (!d) {
        snprintf(msg, msgsz, "cannot read %s: %s", o->stage, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *staged = kc_path_join(o->stage, de->d_name);
        char *final = kc_path_join(o->dir, de->d_name);
        if (!staged || !final) {
            snprintf(msg, msgsz, "out of memory");
            rc = -1;
        } else if (kc_fsync_path(staged) != 0) {
            snprintf(msg, msgsz, "cannot write %s: %s", final, strerror(errno));
            rc = -1;
        } else if (backup && keep_backup(final, backup, msg, msgsz) != 0) {
            rc = -1;
        } else if (rename(staged, final) != 0) {
            snprintf(msg, msgsz, "cannot write %s: %s", final, strerror(errno));
            rc = -1;
        }
        free(staged);
        free(final);
    }
    closedir(d);
    kc_fsync_path(o->dir);
    return rc;
}

/* Does the work for one workbook; fills MSG on failure. */
static int process(const struct kc_worker_cfg *cfg, struct job *j,
                   struct kc_kpi_list *kpis, long *error_cells,
                   struct kc_buf *notes, char *msg, size_t msgsz)
{
    char err[1024];
    struct stat st;
    *error_cells = -1;
    if (stat(j->input, &st) != 0) {
        snprintf(msg, msgsz, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(msg, msgsz, "not a regular file");
        return -1;
    }
    if (access(j->input, R_OK) != 0) {
        snprintf(msg, msgsz, "cannot read: %s", strerror(errno));
        return -1;
    }
    int zip = kc_is_zip(j->input);
    struct kc_zip_info zinfo;
    if (zip == 1 && kc_zip_check(j->input, &zinfo, err, sizeof err) != 0) {
        snprintf(msg, msgsz, "corrupt file: %s", err);
        return -1;
    }
    /* the output folders, each with a staging folder of this process */
    for (int i = 0; i < j->nout; i++) {
        struct output *o = &j->out[i];
        o->dir = kc_dirname(o->final);
        o->stage = o->dir ? kc_stage_dir(o->dir, (long)getpid()) : NULL;
        if (!o->stage) {
            snprintf(msg, msgsz, "out of memory");
            return -1;
        }
        if (kc_mkdirs(o->dir, 0755, err, sizeof err) != 0) {
            snprintf(msg, msgsz, "output folder: %s", err);
            return -1;
        }
        kc_rmtree(o->stage);
        if (mkdir(o->stage, 0755) != 0 && errno != EEXIST) {
            snprintf(msg, msgsz, "cannot write in the output folder %s: %s",
                     o->dir, strerror(errno));
            return -1;
        }
    }
    char *url = kc_file_url(j->input); /* the parent made it absolute */
    if (!url) {
        snprintf(msg, msgsz, "out of memory");
        return -1;
    }
    struct wdoc doc = {NULL, NULL};
    int opened =
        doc_open(&doc, j->input, url, zip == 1 ? &zinfo : NULL, msg, msgsz);
    free(url);
    if (opened != 0)
        return -1;
    int rc = -1;
    int fault = kc_fault_for(kc_basename(j->input));
    if (fault && j->nout > 0) {
        /* leave a partial output behind, as a crash mid-save would */
        char *partial = kc_path_join(j->out[0].stage, "partial");
        FILE *f = partial ? fopen(partial, "w") : NULL;
        if (f) {
            fputs("half", f);
            fclose(f);
        }
        free(partial);
    }
    if (fault == 'c') {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    while (fault == 'h')
        pause();

    int want_csv = -1;
    for (int i = 0; i < j->nout; i++)
        if (strcmp(j->out[i].fmt, "csv") == 0)
            want_csv = i;
    if (j->scan || want_csv >= 0) {
        /* an export to flat ODF gives every cell's type and shown text */
        char *fods = kc_path_join(cfg->scratch, "scan.fods");
        char *furl = fods ? kc_file_url(fods) : NULL;
        if (!furl) {
            free(fods);
            snprintf(msg, msgsz, "out of memory");
            goto out;
        }
        /* a scratch file: LibreOffice need not sync it to disk */
        int saved = doc_save(&doc, furl, "fods", "cannot export the cells", msg,
                             msgsz) == 0;
        free(furl);
        if (!saved) {
            unlink(fods);
            free(fods);
            goto out;
        }
        struct kc_kpi_collector kc;
        struct kc_sheet_sink kpi_sink, csv_sink, fan_sink;
        struct kc_csv_writer csv;
        kc_kpi_collector_init(&kc, kpis, &kpi_sink);
        char *stem = NULL;
        if (want_csv >= 0) {
            const char *b = kc_basename(j->out[want_csv].final);
            const char *dot = strrchr(b, '.');
            stem = dot && dot != b ? strndup(b, (size_t)(dot - b)) : strdup(b);
        }
        kc_csv_writer_init(&csv, want_csv >= 0 ? j->out[want_csv].stage : "",
                           stem ? stem : "", &csv_sink);
        csv.bom = j->bom;
        struct fanout fan = {j->scan ? &kpi_sink : NULL,
                             want_csv >= 0 ? &csv_sink : NULL};
        fan_sink = (struct kc_sheet_sink){&fan, fan_begin, fan_cell, fan_end};
        struct kc_scan_result res;
        int src = kc_fods_scan(fods, &fan_sink, &res, err, sizeof err);
        unlink(fods);
        free(fods);
        if (src != 0)
            snprintf(msg, msgsz, "cannot read the exported cells: %s%s%s", err,
                     csv.err[0] ? ": " : "", csv.err);
        else if (want_csv >= 0 && csv.files == 0)
            snprintf(msg, msgsz, "the workbook has no sheet to write as CSV");
        else
            *error_cells = res.error_cells;
        if (kc.notes.len > 0)
            kc_buf_adds(notes, kc_buf_str(&kc.notes));
        kc_kpi_collector_free(&kc);
        kc_csv_writer_free(&csv);
        free(stem);
        if (src != 0 || (want_csv >= 0 && csv.files == 0))
            goto out;
    }
    for (int i = 0; i < j->nout; i++) {
        struct output *o = &j->out[i];
        if (strcmp(o->fmt, "csv") == 0)
            continue;
        char *staged = kc_path_join(o->stage, kc_basename(o->final));
        char *surl = staged ? kc_file_url(staged) : NULL;
        if (!surl) {
            free(staged);
            snprintf(msg, msgsz, "out of memory");
            goto out;
        }
        /* kpicalc syncs the staged file itself before the rename, so
         * LibreOffice's own sync would be done twice */
        char what[256];
        snprintf(what, sizeof what, "cannot write %s", o->final);
        int saved = doc_save(&doc, surl, o->fmt, what, msg, msgsz) == 0;
        free(surl);
        struct stat sst;
        int exists = stat(staged, &sst) == 0 && sst.st_size > 0;
        free(staged);
        if (!saved)
            goto out;
        if (!exists) {
            snprintf(msg, msgsz, "%s: LibreOffice wrote nothing", what);
            goto out;
        }
    }
    rc = 0;
out:
    doc_close(&doc);
    if (rc == 0)
        for (int i = 0; i < j->nout && rc == 0; i++)
            rc = publish(&j->out[i], j->backup, msg, msgsz);
    return rc;
}

static void reply(int fd, const char *id, int ok, long error_cells,
                  const char *message, const struct kc_kpi_list *kpis)
{
    struct kc_buf b = {0};
    kc_rec_field(&b, "RES");
    kc_rec_field(&b, id);
    kc_rec_field(&b, ok ? "ok" : "failed");
    if (error_cells >= 0)
        kc_rec_fieldf(&b, "%ld", error_cells);
    else
        kc_rec_field(&b, "");
    kc_rec_field(&b, message);
    for (size_t i = 0; kpis && i < kpis->n; i++) {
        char t[2] = {kpis->v[i].type, '\0'};
        kc_rec_field(&b, kpis->v[i].key);
        kc_rec_field(&b, t);
        kc_rec_field(&b, kpis->v[i].value);
    }
    kc_rec_end(&b);
    if (!b.p || kc_write_all(fd, b.p, b.len) != 0)
        _exit(3); /* the parent is gone or memory is: nothing to do */
    kc_buf_free(&b);
}

static void handle(const struct kc_worker_cfg *cfg, int res_fd, char *line)
{
    char *f[MAX_FIELDS];
    int n = kc_rec_split(line, f, MAX_FIELDS);
    if (n < 5 || strcmp(f[0], "JOB") != 0 || (n - 5) % 2 != 0) {
        reply(res_fd, n > 1 ? f[1] : "?", 0, -1, "bad job record", NULL);
        return;
    }
    struct job j = {.id = f[1],
                    .input = f[2],
                    .scan = strchr(f[3], 's') != NULL,
                    .bom = strchr(f[3], 'b') != NULL,
                    .backup = *f[4] ? f[4] : NULL};
    for (int i = 5; i + 1 < n && j.nout < KC_MAX_OUTPUTS; i += 2) {
        j.out[j.nout].fmt = f[i];
        j.out[j.nout].final = f[i + 1];
        j.nout++;
    }
    struct kc_kpi_list kpis = {0};
    struct kc_buf notes = {0};
    long error_cells = -1;
    char msg[2048] = "";
    int rc = process(cfg, &j, &kpis, &error_cells, &notes, msg, sizeof msg);
    for (int i = 0; i < j.nout; i++) {
        if (j.out[i].stage)
            kc_rmtree(j.out[i].stage);
        free(j.out[i].dir);
        free(j.out[i].stage);
    }
    reply(res_fd, j.id, rc == 0, error_cells,
          rc == 0 ? kc_buf_str(&notes) : msg, rc == 0 ? &kpis : NULL);
    kc_kpi_list_free(&kpis);
    kc_buf_free(&notes);
}

void kc_worker_run(const struct kc_worker_cfg *cfg, int job_fd, int res_fd)
{
    char err[512];
    if (kc_mkdirs(cfg->scratch, 0700, err, sizeof err) != 0) {
        struct kc_buf b = {0};
        kc_rec_field(&b, "FATAL");
        kc_rec_field(&b, err);
        kc_rec_end(&b);
        kc_write_all(res_fd, kc_buf_str(&b), b.len);
        _exit(2);
    }
    office = lok_init_2(cfg->lo_program, cfg->profile_url);
    if (!office) {
        struct kc_buf b = {0};
        kc_rec_field(&b, "FATAL");
        kc_rec_field(&b, "LibreOffice could not start (lok_init_2 failed)");
        kc_rec_end(&b);
        kc_write_all(res_fd, kc_buf_str(&b), b.len);
        _exit(2);
    }
    office->pClass->registerCallback(office, on_office_event, NULL);
    /* KPICALC_LOADER=lok (for tests and benchmarks) keeps every workbook
     * on LibreOfficeKit's views */
    const char *loader = getenv("KPICALC_LOADER");
    if (!loader || strcmp(loader, "lok") != 0) {
        uno_ready = kc_unodoc_init(cfg->lo_program, err, sizeof err) == 0;
        if (!uno_ready) /* slower, not wrong: say so in the run's log */
            fprintf(stderr,
                    "kpicalc worker: every workbook goes through "
                    "LibreOfficeKit views: %s\n",
                    err);
    }
    office->pClass->setOptionalFeatures(
        office, KC_LOK_FEATURE_DOCUMENT_PASSWORD |
                    KC_LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY);
    if (kc_write_all(res_fd, "READY\n", 6) != 0)
        _exit(3);
    struct kc_buf in = {0};
    char block[8192];
    for (;;) {
        char *nl;
        while ((nl = in.p ? memchr(in.p, '\n', in.len) : NULL) != NULL) {
            *nl = '\0';
            size_t used = (size_t)(nl - in.p) + 1;
            char *line = strdup(in.p);
            if (!line)
                _exit(3);
            memmove(in.p, in.p + used, in.len - used);
            in.len -= used;
            in.p[in.len] = '\0';
            handle(cfg, res_fd, line);
            free(line);
        }
        ssize_t r = read(job_fd, block, sizeof block);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* the parent closed the pipe: retire */
        if (kc_buf_add(&in, block, (size_t)r) != 0)
            _exit(3);
    }
    kc_rmtree(cfg->scratch);
    /* Leaving without office->destroy: it is slow, and nothing needs
     * saving (the profile is not changed by a run). */
    _exit(0);
}
