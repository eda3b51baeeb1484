/* A worker process: LibreOffice in-process through LibreOfficeKit. */
#include "worker.h"

#include "buf.h"
#include "fods.h"
#include "freeze.h"
#include "formats.h"
#include "fsutil.h"
#include "kpi.h"
#include "linkcheck.h"
#include "lok.h"
#include "outcheck.h"
#include "paths.h"
#include "pool.h"
#include "proto.h"
#include "sheetcsv.h"
#include "sniff.h"
#include "unodoc.h"
#include "zipcheck.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FIELDS 64

static volatile sig_atomic_t file_size_hit; /* a write passed the limit */

static void on_file_size(int sig)
{
    (void)sig;
    file_size_hit = 1;
}
static int uno_ready; /* workbooks can be opened without a view */

/* An open workbook: a bare model through UNO, or a LibreOfficeKit view. */
struct wdoc {
    struct kc_unodoc *uno;
    struct kc_lok_doc *lok;
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
            else if (strncmp(item, "damage:", 7) == 0)
                kind = 'd';
        }
    }
    free(copy);
    return kind;
}

/* Writes D to URL in the format FMT (ods, fods, xlsx, xls, pdf); a scratch
 * or staged file, which LibreOffice need not sync to disk. */
static int doc_save(struct wdoc *d, const char *url, const char *fmt,
                    const char *what, struct kc_err *err)
{
    if (d->uno) {
        if (kc_unodoc_store(d->uno, url, fmt, err) == 0)
            return 0;
        return kc_err_wrap(err, "%s: ", what);
    }
    kc_err_clear(err);
    if (kc_lok_save_as(d->lok, url, fmt, err) == 0)
        return 0;
    if (!*kc_err_msg(err)) /* LibreOffice said nothing */
        return kc_err_set(err, "%s", what);
    return kc_err_wrap(err, "%s: ", what);
}

static void doc_close(struct wdoc *d)
{
    if (d->uno)
        kc_unodoc_close(d->uno);
    kc_lok_close(d->lok);
    d->uno = NULL;
    d->lok = NULL;
}

/* The test-only trace: KPICALC_TRACE names a file to which each opened
 * workbook's loader ("uno" or "lok") and path are appended, and the ways
 * taken: its cells read from an export or the written .ods ("cells-export",
 * "cells-ods"), add-in cells frozen in the model or through an export
 * ("freeze-model", "freeze-export"). */
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
                    const struct kc_zip_info *zip, struct kc_err *err)
{
    const char *filter = uno_ready ? kc_sniff_filter(path, zip) : NULL;
    if (filter) {
        d->uno = kc_unodoc_load(url, filter, NULL); /* LOK says why */
        if (d->uno) {
            trace_loader("uno", path);
            return 0;
        }
    }
    d->lok = kc_lok_load(url, err);
    if (!d->lok)
        return -1;
    trace_loader("lok", path);
    return 0;
}

/* The add-in probe: a flat ODF workbook with one known call, whose answer
 * 31/34 proves that the add-in is loaded and computes. */
static const char probe_doc[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\" "
    "office:version=\"1.3\" "
    "office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\">"
    "<office:body><office:spreadsheet><table:table table:name=\"probe\">"
    "<table:table-row><table:table-cell "
    "table:formula=\"of:=ORG.KPICALC.KPICALC.CERTRATE(31;34)\"/>"
    "</table:table-row></table:table></office:spreadsheet></office:body>"
    "</office:document>\n";

struct probe_cell {
    int seen;
    enum kc_cell_type type;
    char value[64], text[64];
};

static int probe_begin(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return 0;
}

static int probe_on_cell(void *ctx, long row, long col, const struct kc_cell *c)
{
    struct probe_cell *p = ctx;
    if (row == 0 && col == 0) {
        p->seen = 1;
        p->type = c->type;
        snprintf(p->value, sizeof p->value, "%s", c->value);
        snprintf(p->text, sizeof p->text, "%s", c->text);
    }
    return 0;
}

static int probe_end(void *ctx)
{
    (void)ctx;
    return 0;
}

/* Looks for the add-in's library below DIR (the worker's profile, where
 * the extension was installed); a malloc'd path or NULL. */
static char *find_library(const char *dir, int depth)
{
    DIR *d = depth < 12 ? opendir(dir) : NULL;
    if (!d)
        return NULL;
    char *found = NULL;
    struct dirent *de;
    while (!found && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *p = kc_path_join(dir, de->d_name);
        struct stat st;
        if (p && lstat(p, &st) == 0) {
            if (S_ISREG(st.st_mode) && strcmp(de->d_name, "libkpicalc.so") == 0)
                found = strdup(p);
            else if (S_ISDIR(st.st_mode))
                found = find_library(p, depth + 1);
        }
        free(p);
    }
    closedir(d);
    return found;
}

/* Why the add-in does not answer, as the dynamic loader tells it: the
 * library that cannot be loaded, by name. */
static void addin_reason(const struct kc_worker_cfg *cfg, char *out,
                         size_t outsz)
{
    char *lib = cfg->profile_dir ? find_library(cfg->profile_dir, 0) : NULL;
    if (!lib) {
        snprintf(out, outsz,
                 "the kpicalc extension is not installed in the worker's "
                 "profile (kpicalc.oxt beside kpicalc, --extension or "
                 "KPICALC_OXT)");
        return;
    }
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(out, outsz, "its library cannot be loaded: %s", e ? e : lib);
    } else {
        dlclose(h);
        snprintf(out, outsz,
                 "its library loads, but LibreOffice does not call it "
                 "(is the extension registered?)");
    }
    free(lib);
}

/* Proves that the add-in answers: 0, or -1 with the reason in ERR. */
static int probe_addin(const struct kc_worker_cfg *cfg, struct kc_err *err)
{
    char *in = kc_path_join(cfg->scratch, "probe.fods");
    char *out = kc_path_join(cfg->scratch, "probe-out.fods");
    char *inurl = in ? kc_file_url(in) : NULL;
    char *outurl = out ? kc_file_url(out) : NULL;
    struct probe_cell cell = {0};
    struct kc_sheet_sink sink = {&cell, probe_begin, probe_on_cell, probe_end};
    struct kc_scan_result sres;
    struct wdoc d = {NULL, NULL};
    int rc = -1, wrong = 0;
    if (!inurl || !outurl)
        kc_err_set(err, "out of memory");
    else if (kc_write_atomic(in, probe_doc, sizeof probe_doc - 1, err) != 0)
        kc_err_wrap(err, "cannot write its test workbook: ");
    else if (doc_open(&d, in, inurl, NULL, err) != 0)
        kc_err_wrap(err, "its test workbook does not open: ");
    else if (doc_save(&d, outurl, "fods", "cannot export its test workbook",
                      err) != 0) {
        /* ERR says what failed */
    } else if (kc_fods_scan(out, &sink, &sres, err) != 0)
        kc_err_wrap(err, "cannot read its test workbook: ");
    else if (cell.type == KC_CELL_NUMBER &&
             fabs(strtod(cell.value, NULL) - 31.0 / 34.0) < 1e-12)
        rc = 0;
    else
        wrong = 1;
    doc_close(&d);
    if (wrong) {
        char reason[1024];
        addin_reason(cfg, reason, sizeof reason);
        kc_err_set(err, "=CERTRATE(31;34) gives %s: %s",
                   cell.seen && cell.text[0] ? cell.text : "nothing", reason);
    }
    if (rc != 0)
        kc_err_wrap(err,
                    "the kpicalc add-in does not work in this LibreOffice: ");
    if (in)
        unlink(in);
    if (out)
        unlink(out);
    free(in);
    free(out);
    free(inurl);
    free(outurl);
    return rc;
}

struct output {
    const char *fmt;   /* ods, fods, xlsx, xls, pdf, csv */
    const char *final; /* the file to produce (for csv: the stem's name) */
    char *dir;         /* its folder */
    char *stage;       /* the staging folder in it */
    int stage_lock;    /* held while the staging folder is in use */
};

struct job {
    const char *id, *input, *backup;
    const char *freeze; /* rectangles frozen in the model (pool.h), or NULL */
    int scan, bom, portable, raw;
    struct output out[KC_MAX_OUTPUTS];
    int nout;
};

/* What one workbook's run found out, beside its indicators. */
struct outcome {
    long error_cells; /* -1 when the cells were not read */
    long addin_cells; /* cells calling the add-in; -1 when not counted */
};

/* Sends one fan-out of reader callbacks to up to three sinks. */
struct fanout {
    struct kc_sheet_sink *s[3];
};

static int fan_begin(void *ctx, const char *name)
{
    struct fanout *f = ctx;
    int rc = 0;
    for (int i = 0; i < 3; i++)
        rc |= f->s[i] ? f->s[i]->sheet_begin(f->s[i]->ctx, name) : 0;
    return rc;
}

static int fan_cell(void *ctx, long row, long col, const struct kc_cell *c)
{
    struct fanout *f = ctx;
    int rc = 0;
    for (int i = 0; i < 3; i++)
        rc |= f->s[i] ? f->s[i]->cell(f->s[i]->ctx, row, col, c) : 0;
    return rc;
}

static int fan_end(void *ctx)
{
    struct fanout *f = ctx;
    int rc = 0;
    for (int i = 0; i < 3; i++)
        rc |= f->s[i] ? f->s[i]->sheet_end(f->s[i]->ctx) : 0;
    return rc;
}

/* The extent of the cells read: how many there are, and the first sheet
 * too large for .xls (65,536 rows, 256 columns). */
struct extent {
    long cells;
    long names; /* error cells showing #NAME? */
    char sheet[256];
    long rows, cols; /* of the current sheet */
    char big[256];   /* the first sheet over the .xls limits */
    long big_rows, big_cols;
};

#define XLS_MAX_ROWS 65536L
#define XLS_MAX_COLS 256L

static int ext_begin(void *ctx, const char *name)
{
    struct extent *e = ctx;
    snprintf(e->sheet, sizeof e->sheet, "%s", name);
    e->rows = e->cols = 0;
    return 0;
}

static int ext_cell(void *ctx, long row, long col, const struct kc_cell *c)
{
    struct extent *e = ctx;
    if (c->type == KC_CELL_EMPTY)
        return 0;
    e->cells++;
    if (c->type == KC_CELL_ERROR && strstr(c->text, "#NAME?"))
        e->names++;
    if (row + 1 > e->rows)
        e->rows = row + 1;
    if (col + 1 > e->cols)
        e->cols = col + 1;
    return 0;
}

static int ext_end(void *ctx)
{
    struct extent *e = ctx;
    if (!e->big[0] && (e->rows > XLS_MAX_ROWS || e->cols > XLS_MAX_COLS)) {
        snprintf(e->big, sizeof e->big, "%s", e->sheet);
        e->big_rows = e->rows;
        e->big_cols = e->cols;
    }
    return 0;
}

/* Keeps the file FINAL under the name BACKUP (a hard link, replacing an
 * older backup atomically). */
static int keep_backup(const char *final, const char *backup,
                       struct kc_err *err)
{
    size_t n = strlen(backup) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.kpicalc-%ld.tmp", backup, (long)getpid());
    unlink(tmp);
    int rc = 0;
    if (link(final, tmp) != 0 || rename(tmp, backup) != 0) {
        kc_err_sys(err, "cannot keep a backup %s", backup);
        unlink(tmp);
        rc = -1;
    }
    free(tmp);
    return rc;
}

/* Checks what was staged for O as whole files of its format, read back by
 * kpicalc's own readers (outcheck.c), before anything is published: its
 * file, or for CSV every sheet's file. */
static int check_staged(const struct output *o, struct kc_err *err)
{
    struct kc_err why = {""}; /* the check's own words, inside ours */
    if (strcmp(o->fmt, "csv") != 0) {
        char *staged = kc_path_join(o->stage, kc_basename(o->final));
        struct stat st;
        int rc = -1;
        if (!staged)
            kc_err_set(err, "out of memory");
        else if (stat(staged, &st) != 0)
            kc_err_set(err,
                       "output check failed: LibreOffice wrote no "
                       "%s",
                       kc_basename(o->final));
        else if (kc_output_check(staged, o->fmt, &why) != 0)
            kc_err_set(err,
                       "output check failed: %s: %s (nothing of this workbook "
                       "was written)",
                       kc_basename(o->final), why.msg);
        else
            rc = 0;
        free(staged);
        return rc;
    }
    DIR *d = opendir(o->stage);
    if (!d) {
        kc_err_sys(err, "cannot read %s", o->stage);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (de->d_name[0] == '.' || nl < 4 ||
            strcmp(de->d_name + nl - 4, ".csv") != 0)
            continue;
        char *staged = kc_path_join(o->stage, de->d_name);
        if (!staged) {
            kc_err_set(err, "out of memory");
            rc = -1;
        } else if (kc_output_check(staged, "csv", &why) != 0) {
            kc_err_set(err,
                       "output check failed: %s: %s (nothing of this workbook "
                       "was written)",
                       de->d_name, why.msg);
            rc = -1;
        }
        free(staged);
    }
    closedir(d);
    return rc;
}

/* Moves every file staged in O->stage into O->dir, each flushed to disk
 * first; with BACKUP, the file it replaces is kept under that name. */
static int publish(struct output *o, const char *backup, struct kc_err *err)
{
    DIR *d = opendir(o->stage);
    if (!d) {
        kc_err_sys(err, "cannot read %s", o->stage);
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
            kc_err_set(err, "out of memory");
            rc = -1;
        } else if (kc_fsync_path(staged) != 0) {
            kc_err_sys(err, "cannot write %s", final);
            rc = -1;
        } else if (backup && keep_backup(final, backup, err) != 0) {
            rc = -1;
        } else if (rename(staged, final) != 0) {
            kc_err_sys(err, "cannot write %s", final);
            rc = -1;
        }
        free(staged);
        free(final);
    }
    closedir(d);
    kc_fsync_path(o->dir);
    return rc;
}

/* Step 1: the input is a readable, non-empty regular file, and its bytes
 * are a kind kpicalc checks before LibreOffice sees it: a ZIP archive that
 * is whole (LibreOffice would "repair" a damaged one into a blank
 * workbook) and flat ODF, both without links to anything outside
 * themselves (linkcheck.h), or an OLE2 Excel workbook. Other bytes (HTML,
 * RTF, text, a Word file) would go to LibreOffice's type detection, which
 * opens them and fetches what they link to: they are refused. */
static int check_input(const char *path, struct kc_zip_info *zinfo, int *zip,
                       struct kc_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        kc_err_sys(err, "cannot open");
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        kc_err_set(err, "not a regular file");
        return -1;
    }
    if (access(path, R_OK) != 0) {
        kc_err_sys(err, "cannot read");
        return -1;
    }
    if (st.st_size == 0) {
        kc_err_set(err, "corrupt file: it is empty (0 bytes)");
        return -1;
    }
    const unsigned char *m;
    size_t len;
    if (kc_map_file(path, &m, &len, err) != 0)
        return -1;
    enum kc_sniff_class cls = kc_sniff_class(m, len);
    int rc = 0, linked = 0;
    *zip = cls == KC_SNIFF_ZIP;
    if (cls == KC_SNIFF_ZIP) {
        if (kc_links_check_zip(m, len, NULL, zinfo, &linked, err) != 0) {
            if (!linked)
                kc_err_wrap(err, "corrupt file: ");
            rc = -1;
        }
    } else if (cls == KC_SNIFF_FLAT_ODF) {
        if (kc_links_check_xml((const char *)m, len, KC_LINK_XML, err) != 0)
            rc = -1;
    } else if (cls == KC_SNIFF_OLE2) {
        static const char not_excel[] = "not an Excel workbook";
        struct kc_err why = {""};
        if (kc_output_check_mem(m, len, "xls", &why) != 0 &&
            strncmp(why.msg, not_excel, sizeof not_excel - 1) == 0) {
            kc_err_set(err,
                       "cannot be opened as a spreadsheet (an OLE2 file that "
                       "is not an Excel workbook: a Word or PowerPoint file?)");
            rc = -1;
        }
    } else {
        kc_err_set(err, "cannot be opened as a spreadsheet (unknown format or "
                        "damaged file)");
        rc = -1;
    }
    kc_unmap_file(m, len);
    if (rc != 0)
        return -1;
    char ext[16];
    kc_extension(path, ext, sizeof ext);
    if (*zip == 1 && strcmp(ext, "xlsx") == 0 && !zinfo->ooxml_workbook &&
        !zinfo->odf_spreadsheet) {
        /* the workbook part is what holds the sheets (an ODF spreadsheet
         * named .xlsx is still opened for what it is) */
        kc_err_set(err, "corrupt file: an .xlsx package without "
                        "xl/workbook.xml");
        return -1;
    }
    return 0;
}

/* Step 2: the output folders, each with a staging folder of this process. */
static int prepare_outputs(struct job *j, const char *run_tag,
                           struct kc_err *err)
{
    for (int i = 0; i < j->nout; i++) {
        struct output *o = &j->out[i];
        o->dir = kc_dirname(o->final);
        o->stage =
            o->dir ? kc_stage_dir(o->dir, run_tag, (long)getpid()) : NULL;
        if (!o->stage) {
            kc_err_set(err, "out of memory");
            return -1;
        }
        if (kc_mkdirs(o->dir, 0755, err) != 0) {
            return kc_err_wrap(err, "output folder: ");
        }
        int shared = 0; /* outputs in one folder share one staging folder */
        for (int k = 0; k < i && !shared; k++)
            if (strcmp(j->out[k].stage, o->stage) == 0) {
                o->stage_lock = j->out[k].stage_lock;
                shared = 1;
            }
        if (shared)
            continue;
        kc_rmtree(o->stage);
        if (kc_make_locked_dir(o->stage, &o->stage_lock, NULL) != 0) {
            kc_err_sys(err, "cannot write in the output folder %s", o->dir);
            return -1;
        }
    }
    return 0;
}

static int find_output(const struct job *j, const char *fmt)
{
    for (int i = 0; i < j->nout; i++)
        if (strcmp(j->out[i].fmt, fmt) == 0)
            return i;
    return -1;
}

static unsigned output_needs(const struct job *j);

/* The cells of the document XML DATA[0..LEN) (a flat ODF export, or the
 * content.xml of an .ods written by this run: the same elements): the KPI
 * sheet (for the summary), the CSV, the extent, the error and add-in cells. */
static int scan_xml(struct job *j, const char *data, size_t len,
                    struct kc_kpi_list *kpis, struct kc_buf *notes,
                    struct extent *ext, struct outcome *res, struct kc_err *err)
{
    int want_csv = find_output(j, "csv");
    struct kc_kpi_collector kc;
    struct kc_sheet_sink kpi_sink, csv_sink, fan_sink;
    struct kc_sheet_sink ext_sink = {ext, ext_begin, ext_cell, ext_end};
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
    csv.raw = j->raw;
    struct fanout fan = {{j->scan ? &kpi_sink : NULL,
                          want_csv >= 0 ? &csv_sink : NULL, &ext_sink}};
    fan_sink = (struct kc_sheet_sink){&fan, fan_begin, fan_cell, fan_end};
    struct kc_scan_result sres;
    struct kc_err why = {""}; /* the reader's words, then the CSV writer's */
    int src = kc_fods_scan_mem(data, len, &fan_sink, &sres, &why);
    int rc = -1;
    if (src != 0)
        kc_err_set(err, "cannot read the exported cells: %s%s%s", why.msg,
                   csv.err[0] ? ": " : "", csv.err);
    else if (want_csv >= 0 && csv.files == 0)
        kc_err_set(err, "the workbook has no sheet to write as CSV");
    else
        rc = 0;
    /* the add-in's cells, counted by a second pass (freeze.c): for the
     * warning on .xlsx/.xls outputs, and to find a call of a function this
     * add-in lacks, which reads #NAME?; without such an output and with no
     * cell reading #NAME? the count is not needed (addin_cells stays -1):
     * most of what reading a workbook's cells costs the summary
     * (bench/batch/scan_cost.c) */
    int count = (output_needs(j) & KC_FMT_KEEPS_CALLS) || ext->names > 0;
    if (rc == 0) {
        res->error_cells = sres.error_cells;
        struct kc_freeze_stats fs;
        if (count && kc_freeze_mem(data, len, NULL, &fs, NULL) == 0) {
            res->addin_cells = fs.cells_frozen + fs.calls_outside;
            /* the probe showed the add-in answering: a call that still
             * reads #NAME? names a function this add-in does not have */
            if (fs.name_errors > 0) {
                kc_err_set(err,
                           "%ld cell%s call kpicalc functions this add-in "
                           "does not know (they read #NAME?): was the "
                           "workbook made with a newer kpicalc?",
                           fs.name_errors, fs.name_errors == 1 ? "" : "s");
                rc = -1;
            }
        }
    }
    if (kc.notes.len > 0)
        kc_buf_adds(notes, kc_buf_str(&kc.notes));
    kc_kpi_collector_free(&kc);
    kc_csv_writer_free(&csv);
    free(stem);
    return rc;
}

/* Step 4: exports the workbook to flat ODF in the scratch folder and reads
 * its cells once for everything that needs them: the indicators, the CSV
 * outputs, the error count, the size (.xls limits, a blank "repair"), the
 * add-in calls. Keeps the export as *FODS for the portable outputs. */
static int scan_cells(const struct kc_worker_cfg *cfg, struct job *j,
                      struct wdoc *doc, struct kc_kpi_list *kpis,
                      struct kc_buf *notes, struct extent *ext,
                      struct outcome *res, char **fods, struct kc_err *err)
{
    *fods = kc_path_join(cfg->scratch, "scan.fods");
    char *furl = *fods ? kc_file_url(*fods) : NULL;
    if (!furl) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    int saved =
        doc_save(doc, furl, "fods", "cannot export the cells", err) == 0;
    free(furl);
    if (!saved)
        return -1;
    const unsigned char *map = NULL;
    size_t len = 0;
    struct kc_err why = {""};
    if (kc_map_file(*fods, &map, &len, &why) != 0 || len == 0) {
        kc_unmap_file(map, len);
        return kc_err_set(err, "cannot read the exported cells: %s",
                          len == 0 && !why.msg[0] ? "empty file" : why.msg);
    }
    trace_loader("cells-export", j->input);
    int rc = scan_xml(j, (const char *)map, len, kpis, notes, ext, res, err);
    kc_unmap_file(map, len);
    return rc;
}

/* Whether the cells can be read from the .ods this run writes anyway
 * instead of a flat ODF export: when only the summary needs them (no CSV,
 * no portable copy, no .xls limits, no add-in count for .xlsx/.xls, not a
 * LibreOfficeKit view). The content.xml of that .ods holds the same cells;
 * the export was the summary's cost (bench/batch/bench_summary.sh).
 * KPICALC_SCAN_EXPORT=1 keeps the export (tests compare the two). */
static int scan_from_ods(const struct job *j, const struct wdoc *doc,
                         unsigned need)
{
    const char *force = getenv("KPICALC_SCAN_EXPORT");
    return j->scan && !j->portable && !doc->lok &&
           (need & (KC_FMT_SHEET_LIMIT | KC_FMT_KEEPS_CALLS)) == 0 &&
           find_output(j, "csv") < 0 && find_output(j, "ods") >= 0 &&
           !(force && strcmp(force, "1") == 0);
}

/* Step 6b: the cells from the staged .ods (see scan_from_ods). */
static int scan_staged_ods(struct job *j, struct kc_kpi_list *kpis,
                           struct kc_buf *notes, struct outcome *res,
                           struct kc_err *err)
{
    const struct output *o = &j->out[find_output(j, "ods")];
    char *staged = kc_path_join(o->stage, kc_basename(o->final));
    if (!staged)
        return kc_err_set(err, "out of memory");
    struct kc_buf xml = {0};
    struct kc_err why = {""};
    int rc = -1;
    if (kc_zip_read_member(staged, "content.xml", &xml, &why) == 0) {
        struct extent ext = {0};
        trace_loader("cells-ods", j->input);
        rc =
            scan_xml(j, kc_buf_str(&xml), xml.len, kpis, notes, &ext, res, err);
    } else {
        kc_err_set(err, "cannot read the cells of %s: %s", o->final, why.msg);
    }
    kc_buf_free(&xml);
    free(staged);
    return rc;
}

/* Step 5: the portable copy: the scanned export with every add-in cell
 * frozen to its value (freeze.c), opened in place of the workbook. */
static int make_portable(const struct kc_worker_cfg *cfg, const char *fods,
                         struct wdoc *doc, struct kc_buf *notes,
                         struct kc_err *err)
{
    char *frozen = kc_path_join(cfg->scratch, "portable.fods");
    char *url = frozen ? kc_file_url(frozen) : NULL;
    struct kc_freeze_stats fs;
    int rc = -1;
    if (!url)
        kc_err_set(err, "out of memory");
    else if (kc_freeze_fods(fods, frozen, &fs, err) != 0)
        kc_err_wrap(err, "cannot make the portable copy: ");
    else {
        if (fs.calls_outside > 0) {
            char note[256];
            snprintf(note, sizeof note,
                     "%s%ld kpicalc calls outside cells (validations, "
                     "conditional formats, names) stay in the portable "
                     "files and show #NAME? without kpicalc",
                     notes->len ? "; " : "", fs.calls_outside);
            kc_buf_adds(notes, note);
        }
        doc_close(doc);
        rc = doc_open(doc, frozen, url, NULL, err);
    }
    if (frozen)
        unlink(frozen);
    free(frozen);
    free(url);
    return rc;
}

/* Step 6: every output but CSV (written by the scan), staged. */
static int save_outputs(struct job *j, struct wdoc *doc, struct kc_err *err)
{
    for (int i = 0; i < j->nout; i++) {
        struct output *o = &j->out[i];
        if (strcmp(o->fmt, "csv") == 0)
            continue;
        char *staged = kc_path_join(o->stage, kc_basename(o->final));
        char *surl = staged ? kc_file_url(staged) : NULL;
        free(staged);
        if (!surl) {
            kc_err_set(err, "out of memory");
            return -1;
        }
        char what[256];
        snprintf(what, sizeof what, "cannot write %s", o->final);
        int saved = doc_save(doc, surl, o->fmt, what, err) == 0;
        free(surl);
        if (!saved)
            return -1;
    }
    return 0;
}

/* The first file in the folder (or the file) PATH that reached LIMIT
 * bytes, the size limit of every file a worker writes (RLIMIT_FSIZE: a
 * write past it fails, so a file that reached it was cut short); its name
 * in OUT, or 0. */
static int reached_limit(const char *path, long long limit, char *out,
                         size_t outsz)
{
    struct stat st;
    if (limit <= 0 || !path || lstat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode)) {
        if ((long long)st.st_size < limit)
            return 0;
        snprintf(out, outsz, "%s", kc_basename(path));
        return 1;
    }
    DIR *d = S_ISDIR(st.st_mode) ? opendir(path) : NULL;
    int hit = 0;
    struct dirent *de;
    while (d && !hit && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *p = kc_path_join(path, de->d_name);
        hit = p && reached_limit(p, limit, out, outsz);
        free(p);
    }
    if (d)
        closedir(d);
    return hit;
}

/* Steps 1 and 2: the input checked (a link refused with --in-place) and
 * the output folders prepared; ZINFO/ZIP as check_input gives them. */
static int check_job(const struct kc_worker_cfg *cfg, struct job *j,
                     struct kc_zip_info *zinfo, int *zip, struct kc_err *err)
{
    struct stat lst;
    if (j->backup && lstat(j->input, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        /* renaming over it would replace the link, not what it points to */
        kc_err_set(err,
                   "a symbolic link: --in-place does not replace links (give "
                   "the file it points to)");
        return -1;
    }
    if (check_input(j->input, zinfo, zip, err) != 0 ||
        prepare_outputs(j, cfg->run_tag, err) != 0)
        return -1;
    return 0;
}

/* Step 3: opens the input workbook into DOC. */
static int open_input(const struct job *j, struct wdoc *doc,
                      const struct kc_zip_info *zip, struct kc_err *err)
{
    char *url = kc_file_url(j->input); /* the parent made it absolute */
    if (!url) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    int opened = doc_open(doc, j->input, url, zip, err);
    free(url);
    return opened;
}

/* The test-only faults of KPICALC_FAULT: a crash or a hang, after a
 * partial output is left behind, as a crash mid-save would. */
static void inject_fault(const struct job *j)
{
    int fault = kc_fault_for(kc_basename(j->input));
    if (fault && j->nout > 0) {
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
}

/* Step 2b: the job's rectangles of add-in cells (pool.h: kc_job.freeze)
 * frozen to their values in the loaded model, in place of the portable
 * round trip (export, freeze.c, load again), which costs two loads of the
 * document. A document opened through LibreOfficeKit has no model to
 * change: it takes the portable round trip instead. */
static int freeze_in_model(struct job *j, struct wdoc *doc, struct kc_err *err)
{
    if (!j->freeze)
        return 0;
    if (!doc->uno) {
        trace_loader("freeze-export", j->input);
        j->portable = 1;
        return 0;
    }
    trace_loader("freeze-model", j->input);
    const char *p = j->freeze;
    int v[5], got;
    while ((got = kc_rect_next(&p, v)) == 1)
        if (kc_unodoc_freeze(doc->uno, v[0], v[1], v[2], v[3], v[4], err) != 0)
            return kc_err_wrap(err, "cannot freeze the add-in's cells: ");
    if (got < 0)
        return kc_err_set(err, "bad rectangle to freeze: %s", p);
    return 0;
}

/* The test-only fault "damage:NAME" (KPICALC_FAULT): the staged .ods of
 * workbook NAME loses its second half after LibreOffice wrote it, before
 * its cells are read from it and before it is checked, as a disk that
 * failed under the save would leave it. Always 0. */
static int damage_for_tests(const struct job *j)
{
    int k = find_output(j, "ods");
    if (kc_fault_for(kc_basename(j->input)) != 'd' || k < 0)
        return 0;
    char *staged = kc_path_join(j->out[k].stage, kc_basename(j->out[k].final));
    struct stat st;
    if (staged && stat(staged, &st) == 0 && truncate(staged, st.st_size / 2))
        perror("kpicalc: test fault: truncate");
    free(staged);
    return 0;
}

/* What the outputs need, from formats.c's table: a sheet limit (.xls),
 * the count of add-in cells for the warning (.xlsx, .xls). */
static unsigned output_needs(const struct job *j)
{
    unsigned need = 0;
    for (int i = 0; i < j->nout; i++) {
        const struct kc_format *f = kc_format_find(j->out[i].fmt);
        if (f)
            need |= f->flags;
    }
    return need;
}

/* Step 4 when something needs the cells: the summary, CSV, .xls (its size
 * limits), .xlsx (the add-in warning), portable outputs, and a workbook
 * LibreOffice "repaired" (is anything left?). The export in *FODS. */
static int read_cells(const struct kc_worker_cfg *cfg, struct job *j,
                      struct wdoc *doc, struct kc_kpi_list *kpis,
                      struct kc_buf *notes, struct outcome *res, char **fods,
                      struct kc_err *err)
{
    unsigned need = output_needs(j);
    int need_scan = j->scan || j->portable || doc->lok ||
                    (need & (KC_FMT_SHEET_LIMIT | KC_FMT_KEEPS_CALLS)) != 0 ||
                    find_output(j, "csv") >= 0;
    struct extent ext = {0};
    if (!need_scan)
        return 0;
    if (scan_cells(cfg, j, doc, kpis, notes, &ext, res, fods, err) != 0)
        return -1;
    if (doc->lok && ext.cells == 0) {
        kc_err_set(err,
                   "corrupt file: LibreOffice could read no cell of it "
                   "(it would only open it as a blank, repaired workbook)");
        return -1;
    }
    if ((need & KC_FMT_SHEET_LIMIT) && ext.big[0]) {
        kc_err_set(err,
                   "the workbook does not fit in .xls: sheet '%s' uses %ld "
                   "rows and %ld columns (.xls holds 65,536 rows and 256 "
                   "columns); write .xlsx or .ods instead",
                   ext.big, ext.big_rows, ext.big_cols);
        return -1;
    }
    return 0;
}

/* Fails the workbook whole when a file was cut short by the output size
 * limit (--max-output-size): the export FODS, or a staged output. */
static int check_size_limit(const struct kc_worker_cfg *cfg,
                            const struct job *j, const char *fods,
                            struct kc_err *err)
{
    if (cfg->max_output <= 0)
        return 0;
    char big[256];
    int hit = fods && reached_limit(fods, cfg->max_output, big, sizeof big);
    if (!hit && file_size_hit) {
        snprintf(big, sizeof big, "a file");
        hit = 1;
    }
    for (int i = 0; i < j->nout && !hit; i++)
        hit = reached_limit(j->out[i].stage, cfg->max_output, big, sizeof big);
    if (!hit)
        return 0;
    kc_err_set(err,
               "output size limit: %s reached %lld MB "
               "(--max-output-size); nothing of this workbook was "
               "written",
               big, cfg->max_output >> 20);
    return -1;
}

/* Does the work for one workbook; fills MSG on failure. */
static int process(const struct kc_worker_cfg *cfg, struct job *j,
                   struct kc_kpi_list *kpis, struct outcome *res,
                   struct kc_buf *notes, struct kc_err *err)
{
    struct kc_zip_info zinfo;
    int zip = 0;
    res->error_cells = res->addin_cells = -1;
    file_size_hit = 0;
    struct wdoc doc = {NULL, NULL};
    if (check_job(cfg, j, &zinfo, &zip, err) != 0 ||
        open_input(j, &doc, zip == 1 ? &zinfo : NULL, err) != 0)
        return -1;
    inject_fault(j);
    if (freeze_in_model(j, &doc, err) != 0) {
        doc_close(&doc);
        return -1;
    }
    char *fods = NULL;
    int rc = -1;
    /* the cells: now from an export, or after the save from the .ods */
    int later = scan_from_ods(j, &doc, output_needs(j));
    if ((later ||
         read_cells(cfg, j, &doc, kpis, notes, res, &fods, err) == 0) &&
        (!j->portable || make_portable(cfg, fods, &doc, notes, err) == 0) &&
        save_outputs(j, &doc, err) == 0 && damage_for_tests(j) == 0 &&
        (!later || scan_staged_ods(j, kpis, notes, res, err) == 0))
        rc = 0;
    if (check_size_limit(cfg, j, fods, err) != 0)
        rc = -1;
    if (fods)
        unlink(fods);
    free(fods);
    doc_close(&doc);
    /* nothing is published unless every staged file is whole */
    for (int i = 0; i < j->nout && rc == 0; i++)
        rc = check_staged(&j->out[i], err);
    for (int i = 0; i < j->nout && rc == 0; i++)
        rc = publish(&j->out[i], j->backup, err);
    return rc;
}

static void reply(int fd, const char *id, int ok, const struct outcome *res,
                  const char *message, const struct kc_kpi_list *kpis)
{
    struct kc_buf b = {0};
    kc_rec_field(&b, "RES");
    kc_rec_field(&b, id);
    kc_rec_field(&b, ok ? "ok" : "failed");
    if (res && res->error_cells >= 0)
        kc_rec_fieldf(&b, "%ld", res->error_cells);
    else
        kc_rec_field(&b, "");
    if (res && res->addin_cells >= 0)
        kc_rec_fieldf(&b, "%ld", res->addin_cells);
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
    if (n < 6 || strcmp(f[0], "JOB") != 0 || (n - 6) % 2 != 0) {
        reply(res_fd, n > 1 ? f[1] : "?", 0, NULL, "bad job record", NULL);
        return;
    }
    struct job j = {.id = f[1],
                    .input = f[2],
                    .scan = strchr(f[3], 's') != NULL,
                    .bom = strchr(f[3], 'b') != NULL,
                    .portable = strchr(f[3], 'p') != NULL,
                    .raw = strchr(f[3], 'r') != NULL,
                    .backup = *f[4] ? f[4] : NULL,
                    .freeze = *f[5] ? f[5] : NULL};
    for (int i = 6; i + 1 < n && j.nout < KC_MAX_OUTPUTS; i += 2) {
        j.out[j.nout].fmt = f[i];
        j.out[j.nout].final = f[i + 1];
        j.out[j.nout].stage_lock = -1;
        j.nout++;
    }
    struct kc_kpi_list kpis = {0};
    struct kc_buf notes = {0};
    struct outcome res;
    struct kc_err err = {""};
    int rc = process(cfg, &j, &kpis, &res, &notes, &err);
    for (int i = 0; i < j.nout; i++) {
        if (j.out[i].stage && j.out[i].stage_lock >= 0) {
            kc_rmtree(j.out[i].stage);
            /* the same folder may serve two outputs: one lock for both */
            for (int k = i + 1; k < j.nout; k++)
                if (j.out[k].stage_lock == j.out[i].stage_lock)
                    j.out[k].stage_lock = -1;
            close(j.out[i].stage_lock);
        }
        free(j.out[i].dir);
        free(j.out[i].stage);
    }
    reply(res_fd, j.id, rc == 0, &res, rc == 0 ? kc_buf_str(&notes) : err.msg,
          rc == 0 ? &kpis : NULL);
    kc_kpi_list_free(&kpis);
    kc_buf_free(&notes);
}

void kc_worker_run(const struct kc_worker_cfg *cfg, int job_fd, int res_fd)
{
    struct kc_err err = {""};
    if (kc_mkdirs(cfg->scratch, 0700, &err) != 0) {
        struct kc_buf b = {0};
        kc_rec_field(&b, "FATAL");
        kc_rec_field(&b, err.msg);
        kc_rec_end(&b);
        kc_write_all(res_fd, kc_buf_str(&b), b.len);
        _exit(2);
    }
    if (cfg->max_output > 0) {
        /* no file this worker writes passes the output size limit: a write
         * beyond it fails with EFBIG (SIGXFSZ ignored) */
        struct rlimit fs = {(rlim_t)cfg->max_output, (rlim_t)cfg->max_output};
        setrlimit(RLIMIT_FSIZE, &fs);
    }
    /* LibreOffice's own temporary files go into the scratch folder, which
     * the parent removes when the worker ends or is killed */
    setenv("TMPDIR", cfg->scratch, 1);
    if (kc_lok_start(cfg->lo_program, cfg->profile_url, &err) != 0) {
        struct kc_buf b = {0};
        kc_rec_field(&b, "FATAL");
        kc_rec_field(&b, err.msg);
        kc_rec_end(&b);
        kc_write_all(res_fd, kc_buf_str(&b), b.len);
        _exit(2);
    }
    /* after lok_init_2, whose handlers make SIGXFSZ fatal: a write past
     * the output size limit fails (EFBIG) instead of killing the worker,
     * and the workbook fails with the reason */
    struct sigaction xfsz;
    memset(&xfsz, 0, sizeof xfsz);
    xfsz.sa_handler = on_file_size;
    xfsz.sa_flags = SA_RESTART;
    sigemptyset(&xfsz.sa_mask);
    sigaction(SIGXFSZ, &xfsz, NULL);
    /* KPICALC_LOADER=lok (for tests and benchmarks) keeps every workbook
     * on LibreOfficeKit's views */
    const char *loader = getenv("KPICALC_LOADER");
    if (!loader || strcmp(loader, "lok") != 0) {
        uno_ready = kc_unodoc_init(cfg->lo_program, &err) == 0;
        if (!uno_ready) { /* slower, not wrong: say so in the run's log */
            kc_err_wrap(&err,
                        "every workbook goes through LibreOfficeKit views "
                        "(slower): ");
            const char *note = err.msg;
            fprintf(stderr, "kpicalc worker: %s\n", note);
            /* NOTE<TAB>text: the parent prints each distinct note once */
            struct kc_buf b = {0};
            kc_rec_field(&b, "NOTE");
            kc_rec_field(&b, note);
            if (kc_rec_end(&b) == 0)
                kc_write_all(res_fd, kc_buf_str(&b), b.len);
            kc_buf_free(&b);
        }
    }
    if (probe_addin(cfg, &err) != 0) {
        /* permanent: another worker would fail the same way */
        struct kc_buf b = {0};
        kc_rec_field(&b, "FATAL");
        kc_rec_field(&b, err.msg);
        kc_rec_field(&b, "permanent");
        kc_rec_end(&b);
        kc_write_all(res_fd, kc_buf_str(&b), b.len);
        kc_rmtree(cfg->scratch);
        _exit(2);
    }
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
