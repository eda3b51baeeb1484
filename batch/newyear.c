/* kpicalc new-year: rolls a kpicalc yearly workbook to the next year. */
#include "child.h"
#include "cli.h"
#include "newyear.h"

#include "buf.h"
#include "fods.h"
#include "outcheck.h"
#include "fsutil.h"
#include "paths.h"
#include "profile.h"
#include "text.h"
#include "zipcheck.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* postUnoCommand and registerCallback on a document are "unstable" API. */
#define LOK_USE_UNSTABLE_API
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <LibreOfficeKit/LibreOfficeKitInit.h>
#pragma GCC diagnostic pop

/* From LibreOfficeKitEnums.h, which only C++ can include whole. */
#define NY_LOK_DOCTYPE_SPREADSHEET 1
#define NY_LOK_CALLBACK_UNO_COMMAND_RESULT 16
#define NY_LOK_CALLBACK_DOCUMENT_PASSWORD 20
#define NY_LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY 21
#define NY_LOK_FEATURE_DOCUMENT_PASSWORD (1ULL << 0)
#define NY_LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY (1ULL << 1)

#define PLAN_SHEET "Config"
#define PLAN_MARKER "kpicalc-rollover"
#define PLAN_VERSION 1
#define MAX_STEPS 10000
#define COMMAND_TIMEOUT 120.0 /* seconds for LibreOffice to run the edits */
#define DEFAULT_TIMEOUT 600.0

static const char *prog = "kpicalc new-year";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kpicalc new-year WORKBOOK [--year N] -o OUT\n"
            "                        [--extension FILE] [--profile-dir DIR]\n"
            "                        [--timeout SECONDS] [--verbose]\n"
            "Rolls a kpicalc yearly workbook to year N (the workbook's year "
            "+ 1, the\ndefault): this year's figures become a History row, "
            "so they show as last\nyear's; this year's inputs are cleared. "
            "OUT is .ods or .fods and is written\nonly when the result has "
            "been verified. See docs/templates.md.\n");
}

/* ------------------------------------------------------------------------ */
/* Plans and addresses */

void kc_ny_plan_free(struct kc_ny_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].target);
        free(p->v[i].sheet);
        free(p->v[i].value);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

static long column_index(const char **s)
{
    long col = 0;
    int n = 0;
    while (**s >= 'A' && **s <= 'Z' && n < 4) {
        col = col * 26 + (**s - 'A' + 1);
        (*s)++;
        n++;
    }
    if (n == 0 || (**s >= 'A' && **s <= 'Z'))
        return -1;
    return col - 1;
}

int kc_ny_parse_address(const char *addr, char **sheet, long *row, long *col)
{
    const char *s = addr, *name, *end;
    *sheet = NULL;
    if (*s == '$')
        s++;
    if (*s == '\'') {
        name = ++s;
        while (*s && !(*s == '\'' && s[1] != '\''))
            s += (*s == '\'') ? 2 : 1;
        if (*s != '\'')
            return -1;
        end = s++;
    } else {
        name = s;
        while (*s && *s != '.')
            s++;
        end = s;
    }
    if (end == name || *s != '.')
        return -1;
    s++;
    if (*s == '$')
        s++;
    long c = column_index(&s);
    if (c < 0)
        return -1;
    if (*s == '$')
        s++;
    if (*s < '1' || *s > '9')
        return -1;
    char *stop;
    errno = 0;
    long r = strtol(s, &stop, 10);
    if (errno || *stop || r < 1 || r > 1048576)
        return -1;
    /* the sheet name, with doubled quotes undone */
    char *nm = malloc((size_t)(end - name) + 1);
    if (!nm)
        return -1;
    size_t k = 0;
    for (const char *p = name; p < end; p++) {
        nm[k++] = *p;
        if (*p == '\'' && p + 1 < end && p[1] == '\'')
            p++;
    }
    nm[k] = '\0';
    *sheet = nm;
    *row = r - 1;
    *col = c;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Cells read from a flat-ODF export */

struct ny_cell {
    int sheet; /* index into ny_cells.names */
    long row, col;
    enum kc_cell_type type;
    char *value, *text;
};

struct ny_cells {
    char **names; /* the sheets to keep */
    int nnames;
    int current; /* the sheet being read, or -1 */
    struct ny_cell *v;
    size_t n, cap;
};

static void cells_free(struct ny_cells *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].value);
        free(c->v[i].text);
    }
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

static int sheet_index(const struct ny_cells *c, const char *name)
{
    for (int i = 0; i < c->nnames; i++)
        if (strcmp(c->names[i], name) == 0)
            return i;
    return -1;
}

static int on_sheet_begin(void *ctx, const char *name)
{
    struct ny_cells *c = ctx;
    c->current = sheet_index(c, name);
    return 0;
}

static int on_cell(void *ctx, long row, long col, const struct kc_cell *cell)
{
    struct ny_cells *c = ctx;
    if (c->current < 0 || cell->type == KC_CELL_EMPTY)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct ny_cell *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    struct ny_cell *x = &c->v[c->n];
    x->sheet = c->current;
    x->row = row;
    x->col = col;
    x->type = cell->type;
    x->value = strdup(cell->value ? cell->value : "");
    x->text = strdup(cell->text ? cell->text : "");
    if (!x->value || !x->text) {
        free(x->value);
        free(x->text);
        return -1;
    }
    c->n++;
    return 0;
}

static int on_sheet_end(void *ctx)
{
    ((struct ny_cells *)ctx)->current = -1;
    return 0;
}

static int cells_read(struct ny_cells *c, const char *path, char *err,
                      size_t errsz)
{
    cells_free(c);
    c->current = -1;
    struct kc_sheet_sink sink = {c, on_sheet_begin, on_cell, on_sheet_end};
    struct kc_scan_result res = {0};
    return kc_fods_scan(path, &sink, &res, err, errsz);
}

static const struct ny_cell *cell_at(const struct ny_cells *c, int sheet,
                                     long row, long col)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].sheet == sheet && c->v[i].row == row && c->v[i].col == col)
            return &c->v[i];
    return NULL;
}

static const char *cell_str(const struct ny_cell *x)
{
    return x ? x->text : "";
}

/* ------------------------------------------------------------------------ */
/* Reading the plan */

static int plan_add(struct kc_ny_plan *p, struct kc_ny_step *s)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct kc_ny_step *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = *s;
    return 0;
}

/* Reads the plan from the cells of the Config sheet (sheet index 0). */
static int plan_read(const struct ny_cells *c, struct kc_ny_plan *plan,
                     char *err, size_t errsz)
{
    memset(plan, 0, sizeof *plan);
    const struct ny_cell *m = cell_at(c, 0, 0, 0), *v = cell_at(c, 0, 0, 1);
    if (!m || strcmp(m->text, PLAN_MARKER) != 0) {
        snprintf(err, errsz,
                 "not a kpicalc yearly workbook: its %s sheet has no "
                 "'" PLAN_MARKER "' plan (see docs/templates.md)",
                 PLAN_SHEET);
        return -1;
    }
    if (!v || v->type != KC_CELL_NUMBER ||
        strtod(v->value, NULL) != PLAN_VERSION) {
        snprintf(err, errsz,
                 "the workbook's rollover plan has layout version %s; this "
                 "kpicalc knows version %d",
                 cell_str(v), PLAN_VERSION);
        return -1;
    }
    long start = -1;
    for (long r = 1; r < 1000 && start < 0; r++) {
        const struct ny_cell *a = cell_at(c, 0, r, 0);
        if (a && strcmp(a->text, "plan") == 0)
            start = r + 1;
    }
    if (start < 0) {
        snprintf(err, errsz, "the %s sheet has no 'plan' row", PLAN_SHEET);
        return -1;
    }
    int years = 0, ended = 0;
    for (long r = start; !ended; r++) {
        const struct ny_cell *a = cell_at(c, 0, r, 0);
        const struct ny_cell *t = cell_at(c, 0, r, 1);
        const struct ny_cell *x = cell_at(c, 0, r, 2);
        const char *op = cell_str(a);
        if (r - start > MAX_STEPS || !a) {
            snprintf(err, errsz, "the plan in %s has no 'end' row", PLAN_SHEET);
            return -1;
        }
        if (strcmp(op, "end") == 0) {
            ended = 1;
            continue;
        }
        struct kc_ny_step s = {0};
        s.plan_row = r + 1;
        if (strcmp(op, "year") == 0)
            s.op = KC_NY_YEAR;
        else if (strcmp(op, "set") == 0)
            s.op = KC_NY_SET;
        else if (strcmp(op, "clear") == 0)
            s.op = KC_NY_CLEAR;
        else {
            snprintf(err, errsz, "%s row %ld: unknown operation '%s'",
                     PLAN_SHEET, r + 1, op);
            return -1;
        }
        if ((t && t->type == KC_CELL_ERROR) ||
            (x && x->type == KC_CELL_ERROR)) {
            const char *e = (t && t->type == KC_CELL_ERROR) ? t->text : x->text;
            if (s.op == KC_NY_YEAR)
                snprintf(err, errsz,
                         "the workbook has no year (Input sheet, cell "
                         "C3): %s",
                         e);
            else
                snprintf(err, errsz,
                         "%s row %ld: the plan shows %s (the History table "
                         "full, or an input cell in error?)",
                         PLAN_SHEET, r + 1, e);
            return -1;
        }
        if (kc_ny_parse_address(cell_str(t), &s.sheet, &s.row, &s.col) != 0) {
            snprintf(err, errsz, "%s row %ld: '%s' is not a cell address",
                     PLAN_SHEET, r + 1, cell_str(t));
            return -1;
        }
        if (!x || (x->type == KC_CELL_STRING && x->text[0] == '\0')) {
            s.kind = KC_NY_NONE;
            s.value = strdup("");
        } else if (x->type == KC_CELL_NUMBER) {
            s.kind = KC_NY_NUMBER;
            s.value = strdup(x->value);
        } else if (x->type == KC_CELL_BOOL) {
            s.kind = KC_NY_BOOL;
            s.value =
                strdup(strcasecmp(x->value, "true") == 0 ? "TRUE" : "FALSE");
        } else if (x->type == KC_CELL_STRING) {
            s.kind = KC_NY_TEXT;
            s.value = strdup(x->text);
        } else {
            free(s.sheet);
            free(s.value);
            snprintf(err, errsz,
                     "%s row %ld: a value of this type (date or time: "
                     "'%s') cannot be rolled",
                     PLAN_SHEET, r + 1, x->text);
            return -1;
        }
        s.target = strdup(cell_str(t));
        if (!s.target || !s.value || plan_add(plan, &s) != 0) {
            free(s.target);
            free(s.value);
            free(s.sheet);
            snprintf(err, errsz, "out of memory");
            return -1;
        }
        if (s.op == KC_NY_YEAR) {
            years++;
            double y = strtod(s.value, NULL);
            if (s.kind != KC_NY_NUMBER || y != floor(y) || y < 1000 ||
                y > 9998) {
                snprintf(err, errsz,
                         "the workbook's year (Input sheet, cell C3) is "
                         "'%s', not a year",
                         s.value);
                return -1;
            }
            plan->year = (long)y;
        } else if (s.op == KC_NY_CLEAR && s.kind != KC_NY_NONE) {
            snprintf(err, errsz, "%s row %ld: 'clear' with a value", PLAN_SHEET,
                     r + 1);
            return -1;
        }
    }
    if (years != 1) {
        snprintf(err, errsz, "the plan in %s has %d 'year' rows, not 1",
                 PLAN_SHEET, years);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* LibreOfficeKit: commands, and waiting for them */

static LibreOfficeKit *office;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int results_seen, results_failed;
static int verbose;

static void on_office_event(int type, const char *payload, void *data)
{
    (void)data;
    if (type == NY_LOK_CALLBACK_DOCUMENT_PASSWORD ||
        type == NY_LOK_CALLBACK_DOCUMENT_PASSWORD_TO_MODIFY)
        office->pClass->setDocumentPassword(office, payload, NULL);
}

static void on_doc_event(int type, const char *payload, void *data)
{
    (void)data;
    if (type != NY_LOK_CALLBACK_UNO_COMMAND_RESULT || !payload)
        return;
    pthread_mutex_lock(&mu);
    if (strstr(payload, ".uno:CalculateHard")) {
        results_seen++;
        if (!strstr(payload, "\"success\": true") &&
            !strstr(payload, "\"success\":true"))
            results_failed++;
    }
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void office_error(char *msg, size_t msgsz, const char *what)
{
    char *e = office->pClass->getError(office);
    snprintf(msg, msgsz, "%s%s%s", what, e && *e ? ": " : "", e ? e : "");
    if (e) {
        if (LIBREOFFICEKIT_HAS(office, freeError))
            office->pClass->freeError(e);
        else
            free(e);
    }
}

/* Posts COMMAND with the JSON arguments ARGS (or none). */
static void post(LibreOfficeKitDocument *doc, const char *command,
                 const char *args, int notify)
{
    if (verbose)
        fprintf(stderr, "%s: %s %s\n", prog, command, args ? args : "");
    doc->pClass->postUnoCommand(doc, command, args ? args : "", notify);
}

static int post_goto(LibreOfficeKitDocument *doc, const char *target)
{
    struct kc_buf b = {0};
    int rc = kc_buf_adds(&b, "{\"ToPoint\":{\"type\":\"string\",\"value\":");
    rc |= kc_json_string(&b, target);
    rc |= kc_buf_adds(&b, "}}");
    if (rc == 0)
        post(doc, ".uno:GoToCell", kc_buf_str(&b), 0);
    kc_buf_free(&b);
    return rc ? -1 : 0;
}

static int post_enter(LibreOfficeKitDocument *doc, const char *text)
{
    struct kc_buf b = {0};
    int rc = kc_buf_adds(&b, "{\"StringName\":{\"type\":\"string\",\"value\":");
    rc |= kc_json_string(&b, text);
    rc |= kc_buf_adds(&b, "}}");
    if (rc == 0)
        post(doc, ".uno:EnterString", kc_buf_str(&b), 0);
    kc_buf_free(&b);
    return rc ? -1 : 0;
}

/* Posted commands run later, in order, on LibreOffice's own thread: post a
 * full recalculation that reports back, and wait for its report. */
static int settle(LibreOfficeKitDocument *doc, char *err, size_t errsz)
{
    pthread_mutex_lock(&mu);
    int want = results_seen + 1, failed = results_failed;
    pthread_mutex_unlock(&mu);
    post(doc, ".uno:CalculateHard", NULL, 1);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)COMMAND_TIMEOUT;
    int rc = 0;
    pthread_mutex_lock(&mu);
    while (results_seen < want && rc == 0)
        rc = pthread_cond_timedwait(&cv, &mu, &until);
    int ok = results_seen >= want && results_failed == failed;
    pthread_mutex_unlock(&mu);
    if (!ok) {
        snprintf(err, errsz,
                 rc ? "LibreOffice did not finish the edits within %.0f s"
                    : "LibreOffice reported a failed recalculation",
                 COMMAND_TIMEOUT);
        return -1;
    }
    return 0;
}

/* The text to type so that the cell gets VALUE of KIND. Text that Calc
 * would take for a number, a date or a truth value is typed with a leading
 * apostrophe when QUOTE is set. */
static char *typed(enum kc_ny_kind kind, const char *value, int quote)
{
    if (kind != KC_NY_TEXT || !quote)
        return strdup(value);
    size_t n = strlen(value);
    char *s = malloc(n + 2);
    if (s) {
        s[0] = '\'';
        memcpy(s + 1, value, n + 1);
    }
    return s;
}

static int apply_step(LibreOfficeKitDocument *doc, const struct kc_ny_step *s,
                      long year, int quote)
{
    if (post_goto(doc, s->target) != 0)
        return -1;
    if (s->op == KC_NY_YEAR) {
        char y[32];
        snprintf(y, sizeof y, "%ld", year);
        return post_enter(doc, y);
    }
    if (s->op == KC_NY_CLEAR || s->kind == KC_NY_NONE) {
        post(doc, ".uno:ClearContents", NULL, 0);
        return 0;
    }
    char *t = typed(s->kind, s->value, quote);
    if (!t)
        return -1;
    int rc = post_enter(doc, t);
    free(t);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Checking the result */

/* Does the cell hold what step S (of the rolled workbook, year YEAR) puts
 * there? The last step on a cell wins, so only the last one is checked. */
static int step_holds(const struct kc_ny_step *s, const struct ny_cell *x,
                      long year)
{
    if (s->op == KC_NY_YEAR)
        return x && x->type == KC_CELL_NUMBER &&
               strtod(x->value, NULL) == (double)year;
    if (s->op == KC_NY_CLEAR || s->kind == KC_NY_NONE)
        return x == NULL;
    if (!x)
        return 0;
    switch (s->kind) {
    case KC_NY_NUMBER: {
        if (x->type != KC_CELL_NUMBER)
            return 0;
        double a = strtod(s->value, NULL), b = strtod(x->value, NULL);
        return a == b || fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
    }
    case KC_NY_BOOL:
        return x->type == KC_CELL_BOOL && strcasecmp(x->value, s->value) == 0;
    case KC_NY_TEXT:
        return x->type == KC_CELL_STRING && strcmp(x->text, s->value) == 0;
    default:
        return 0;
    }
}

static int is_last_on_cell(const struct kc_ny_plan *p, size_t i)
{
    for (size_t j = i + 1; j < p->n; j++)
        if (p->v[j].row == p->v[i].row && p->v[j].col == p->v[i].col &&
            strcmp(p->v[j].sheet, p->v[i].sheet) == 0)
            return 0;
    return 1;
}

/* Exports DOC to flat ODF at PATH and reads the sheets of the plan's
 * targets. */
static int export_cells(LibreOfficeKitDocument *doc, const char *path,
                        struct ny_cells *cells, char *err, size_t errsz)
{
    char *url = kc_file_url(path);
    if (!url) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    int saved = doc->pClass->saveAs(doc, url, "fods", NULL);
    free(url);
    if (!saved) {
        office_error(err, errsz, "cannot export the workbook's cells");
        return -1;
    }
    return cells_read(cells, path, err, errsz);
}

/* Counts the steps not holding in CELLS; reports the first few in ERR. The
 * text steps that fail are marked in RETRY (when not NULL). */
static int count_wrong(const struct kc_ny_plan *plan,
                       const struct ny_cells *cells, long year, char *retry,
                       char *err, size_t errsz)
{
    int wrong = 0;
    size_t used = 0;
    err[0] = '\0';
    for (size_t i = 0; i < plan->n; i++) {
        const struct kc_ny_step *s = &plan->v[i];
        if (!is_last_on_cell(plan, i))
            continue;
        int sh = sheet_index(cells, s->sheet);
        const struct ny_cell *x =
            sh < 0 ? NULL : cell_at(cells, sh, s->row, s->col);
        if (sh >= 0 && step_holds(s, x, year))
            continue;
        wrong++;
        if (retry)
            retry[i] = 1;
        if (wrong <= 3 && used + 1 < errsz) {
            int k =
                snprintf(err + used, errsz - used, "%s%s holds '%s', not '%s'",
                         used ? "; " : "", s->target, x ? x->text : "",
                         s->op == KC_NY_SET ? s->value : "");
            if (k > 0)
                used += (size_t)k < errsz - used ? (size_t)k : errsz - used - 1;
        }
    }
    return wrong;
}

/* ------------------------------------------------------------------------ */
/* The child process: everything that runs LibreOffice */

struct job {
    const char *input;   /* absolute path of the workbook */
    const char *out;     /* the final output */
    const char *tmp_out; /* the staged output beside it */
    const char *fmt;     /* "ods" or "fods" */
    const char *scratch; /* private folder */
    const char *lo_program;
    const char *profile_url;
    long year; /* requested, or 0 for the workbook's year + 1 */
};

static LibreOfficeKitDocument *load(const char *path, char *err, size_t errsz)
{
    char *url = kc_file_url(path);
    if (!url) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    LibreOfficeKitDocument *doc =
        office->pClass->documentLoadWithOptions(office, url, "Batch=true");
    free(url);
    if (!doc) {
        office_error(err, errsz, "cannot be opened as a spreadsheet");
        return NULL;
    }
    if (doc->pClass->getDocumentType(doc) != NY_LOK_DOCTYPE_SPREADSHEET) {
        snprintf(err, errsz, "not a spreadsheet");
        doc->pClass->destroy(doc);
        return NULL;
    }
    doc->pClass->registerCallback(doc, on_doc_event, NULL);
    return doc;
}

static int roll(const struct job *j, char *err, size_t errsz)
{
    char e2[1024];
    int rc = -1;
    struct kc_ny_plan plan = {0};
    char *sheets[64];
    struct ny_cells cells = {sheets, 0, -1, NULL, 0, 0};
    char *retry = NULL;
    char *check = kc_path_join(j->scratch, "check.fods");
    char *plan_path = kc_path_join(j->scratch, "plan.fods");
    LibreOfficeKitDocument *doc = NULL;
    if (!check || !plan_path) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    office = lok_init_2(j->lo_program, j->profile_url);
    if (!office) {
        snprintf(err, errsz, "LibreOffice could not start (lok_init_2)");
        goto out;
    }
    office->pClass->registerCallback(office, on_office_event, NULL);
    office->pClass->setOptionalFeatures(
        office, NY_LOK_FEATURE_DOCUMENT_PASSWORD |
                    NY_LOK_FEATURE_DOCUMENT_PASSWORD_TO_MODIFY);
    if (!(doc = load(j->input, e2, sizeof e2))) {
        snprintf(err, errsz, "%s: %s", j->input, e2);
        goto out;
    }
    /* 1. the plan, as the workbook computes it */
    sheets[0] = PLAN_SHEET;
    cells.nnames = 1;
    if (export_cells(doc, plan_path, &cells, e2, sizeof e2) != 0 ||
        plan_read(&cells, &plan, e2, sizeof e2) != 0) {
        snprintf(err, errsz, "%s: %s", j->input, e2);
        goto out;
    }
    long year = j->year ? j->year : plan.year + 1;
    if (year != plan.year + 1) {
        snprintf(err, errsz,
                 "%s is the workbook of %ld: it rolls to %ld, not %ld",
                 j->input, plan.year, plan.year + 1, year);
        goto out;
    }
    /* the sheets to check: those of the targets */
    cells.nnames = 0;
    for (size_t i = 0; i < plan.n; i++)
        if (sheet_index(&cells, plan.v[i].sheet) < 0) {
            if (cells.nnames == 64) {
                snprintf(err, errsz, "the plan names too many sheets");
                goto out;
            }
            sheets[cells.nnames++] = plan.v[i].sheet;
        }
    /* 2. the edits, then an in-memory check; text that Calc took for a
     *    number or a date is typed again with a leading apostrophe */
    for (size_t i = 0; i < plan.n; i++)
        if (apply_step(doc, &plan.v[i], year, 0) != 0) {
            snprintf(err, errsz, "out of memory");
            goto out;
        }
    if (settle(doc, err, errsz) != 0)
        goto out;
    retry = calloc(plan.n ? plan.n : 1, 1);
    if (!retry) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    if (export_cells(doc, check, &cells, e2, sizeof e2) != 0) {
        snprintf(err, errsz, "%s", e2);
        goto out;
    }
    int wrong = count_wrong(&plan, &cells, year, retry, e2, sizeof e2);
    if (wrong > 0) {
        int again = 0;
        for (size_t i = 0; i < plan.n; i++)
            if (retry[i] && plan.v[i].kind == KC_NY_TEXT) {
                apply_step(doc, &plan.v[i], year, 1);
                again++;
            }
        if (again == 0 || settle(doc, e2, sizeof e2) != 0 ||
            export_cells(doc, check, &cells, e2, sizeof e2) != 0 ||
            count_wrong(&plan, &cells, year, NULL, e2, sizeof e2) > 0) {
            snprintf(err, errsz, "the edits did not take: %s", e2);
            goto out;
        }
    }
    /* 3. save beside OUT, reload what was saved, check every target */
    char *url = kc_file_url(j->tmp_out);
    if (!url) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    int saved = doc->pClass->saveAs(doc, url, j->fmt, NULL);
    free(url);
    doc->pClass->destroy(doc);
    doc = NULL;
    if (!saved) {
        office_error(err, errsz, "cannot save the rolled workbook");
        goto out;
    }
    if (!(doc = load(j->tmp_out, e2, sizeof e2))) {
        snprintf(err, errsz, "the saved workbook cannot be read back: %s", e2);
        goto out;
    }
    if (export_cells(doc, check, &cells, e2, sizeof e2) != 0) {
        snprintf(err, errsz, "%s", e2);
        goto out;
    }
    wrong = count_wrong(&plan, &cells, year, NULL, e2, sizeof e2);
    if (wrong > 0) {
        snprintf(err, errsz, "the saved workbook misses %d change%s: %s", wrong,
                 wrong == 1 ? "" : "s", e2);
        goto out;
    }
    /* whole as a file too, read by kpicalc's own readers, and on disk */
    if (kc_output_check(j->tmp_out, j->fmt, e2, sizeof e2) != 0) {
        snprintf(err, errsz, "output check failed: %s", e2);
        goto out;
    }
    if (kc_fsync_path(j->tmp_out) != 0 || rename(j->tmp_out, j->out) != 0) {
        snprintf(err, errsz, "cannot write %s: %s", j->out, strerror(errno));
        goto out;
    }
    int sets = 0, clears = 0;
    for (size_t i = 0; i < plan.n; i++) {
        if (plan.v[i].op == KC_NY_SET && plan.v[i].kind != KC_NY_NONE)
            sets++;
        else if (plan.v[i].op != KC_NY_YEAR)
            clears++;
    }
    printf("%s: %s (%ld) -> %s (%ld): %d cells written, %d cleared, "
           "verified\n",
           prog, j->input, plan.year, j->out, year, sets, clears);
    rc = 0;
out:
    if (doc)
        doc->pClass->destroy(doc);
    cells_free(&cells);
    kc_ny_plan_free(&plan);
    free(retry);
    free(check);
    free(plan_path);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The command */

static volatile sig_atomic_t interrupted;

/* The extension: --extension, $KPICALC_OXT, else kpicalc.oxt beside the
 * executable (as for kpicalc recalc). */
static char *find_oxt(const char *given)
{
    const char *env = getenv("KPICALC_OXT");
    if (given && *given)
        return kc_abspath(given);
    if (env && *env)
        return kc_abspath(env);
    return kc_oxt_beside_program();
}

int kpicalc_new_year_main(int argc, char **argv)
{
    const char *input = NULL, *out = NULL, *profile_dir = NULL;
    const char *extension = NULL;
    long year = 0;
    double timeout = DEFAULT_TIMEOUT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            verbose = 1;
        } else if (strcmp(a, "--year") == 0 || strcmp(a, "-o") == 0 ||
                   strcmp(a, "--output") == 0 ||
                   strcmp(a, "--profile-dir") == 0 ||
                   strcmp(a, "--extension") == 0 ||
                   strcmp(a, "--timeout") == 0) {
            if (!val) {
                fprintf(stderr, "%s: %s needs a value\n", prog, a);
                return 2;
            }
            i++;
            if (strcmp(a, "--year") == 0) {
                if (kc_parse_long(val, 1001, 9999, &year) != 0) {
                    fprintf(stderr, "%s: --year %s is not a year\n", prog, val);
                    return 2;
                }
            } else if (strcmp(a, "--profile-dir") == 0) {
                profile_dir = val;
            } else if (strcmp(a, "--extension") == 0) {
                extension = val;
            } else if (strcmp(a, "--timeout") == 0) {
                long t;
                if (kc_parse_long(val, 1, 86400, &t) != 0) {
                    fprintf(stderr, "%s: --timeout %s: give seconds\n", prog,
                            val);
                    return 2;
                }
                timeout = (double)t;
            } else {
                out = val;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "%s: unknown option %s\n", prog, a);
            usage(stderr);
            return 2;
        } else if (!input) {
            input = a;
        } else {
            fprintf(stderr, "%s: one workbook at a time (%s, %s)\n", prog,
                    input, a);
            return 2;
        }
    }
    if (!input || !out) {
        usage(stderr);
        return 2;
    }
    char ext[16];
    kc_extension(out, ext, sizeof ext);
    if (strcmp(ext, "ods") != 0 && strcmp(ext, "fods") != 0) {
        fprintf(stderr, "%s: OUT must be an .ods or .fods file: %s\n", prog,
                out);
        return 2;
    }
    char *abs_in = kc_abspath(input), *abs_out = kc_abspath(out);
    char *out_dir = abs_out ? kc_dirname(abs_out) : NULL;
    char *oxt = find_oxt(extension);
    char *tmp_out = NULL, *base = NULL, *scratch = NULL;
    struct kc_profile profile = {0};
    profile.lock_fd = -1;
    int status = 1, have_profile = 0;
    char err[2048];
    if (!abs_in || !abs_out || !out_dir || !oxt) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    struct stat st_in, st_out;
    errno = 0;
    if (stat(abs_in, &st_in) != 0 || !S_ISREG(st_in.st_mode)) {
        fprintf(stderr, "%s: %s: %s\n", prog, input,
                errno ? strerror(errno) : "not a regular file");
        goto done;
    }
    if (stat(abs_out, &st_out) == 0 && st_out.st_dev == st_in.st_dev &&
        st_out.st_ino == st_in.st_ino) {
        fprintf(stderr, "%s: OUT must not be the workbook itself\n", prog);
        status = 2;
        goto done;
    }
    if (kc_is_zip(abs_in) == 1 && kc_zip_check(abs_in, NULL, err, sizeof err)) {
        fprintf(stderr, "%s: %s: corrupt file: %s\n", prog, input, err);
        goto done;
    }
    if (access(oxt, R_OK) != 0) {
        fprintf(stderr,
                "%s: the extension %s cannot be read (build it with make, "
                "or set KPICALC_OXT)\n",
                prog, oxt);
        goto done;
    }
    size_t n = strlen(out_dir) + strlen(ext) + 64;
    tmp_out = malloc(n);
    if (!tmp_out) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    snprintf(tmp_out, n, "%s/.kpicalc-newyear-%ld.%s", out_dir, (long)getpid(),
             ext);
    if (kc_mkdirs(out_dir, 0755, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        goto done;
    }
    const char *tmpdir = getenv("TMPDIR");
    struct kc_buf sb = {0};
    if (kc_buf_addf(&sb, "%s/kpicalc-newyear-XXXXXX",
                    tmpdir && *tmpdir ? tmpdir : "/tmp") != 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    scratch = kc_buf_take(&sb);
    if (!scratch || !mkdtemp(scratch)) {
        fprintf(stderr, "%s: cannot make a scratch folder: %s\n", prog,
                strerror(errno));
        free(scratch);
        scratch = NULL;
        goto done;
    }
    struct kc_profile_cfg pcfg = {kc_lo_program(), oxt, profile_dir, verbose};
    if (kc_profile_base_dir(&pcfg, &base, err, sizeof err) != 0 ||
        kc_profile_acquire(&pcfg, base, &profile, err, sizeof err) != 0) {
        fprintf(stderr, "%s: LibreOffice profile: %s\n", prog, err);
        goto done;
    }
    have_profile = 1;

    struct job j = {abs_in,  abs_out,         tmp_out,     ext,
                    scratch, kc_lo_program(), profile.url, year};
    fflush(stdout);
    fflush(stderr);
    /* SIGINT, SIGTERM and SIGHUP end the office (its whole process
     * group) and remove the scratch copy; a SIGKILL of kpicalc kills the
     * office with it (child.h), so it never writes OUT later */
    kc_child_on_signals(&interrupted);
    pid_t pid = kc_child_spawn();
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
        goto done;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        /* LibreOffice's own temporary files go into the scratch folder,
         * which the parent removes whatever happens to the office */
        setenv("TMPDIR", scratch, 1);
        int rc = roll(&j, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "%s: %s\n", prog, err);
        fflush(stdout);
        fflush(stderr);
        /* without office->destroy: slow, and nothing needs it */
        _exit(rc == 0 ? 0 : 1);
    }
    int wstatus = 0;
    switch (kc_child_wait(pid, timeout, &interrupted, &wstatus)) {
    case KC_CHILD_EXITED:
        break;
    case KC_CHILD_STOPPED:
        fprintf(stderr, "%s: interrupted\n", prog);
        wstatus = -1;
        break;
    case KC_CHILD_TIMEOUT:
        fprintf(stderr, "%s: LibreOffice took more than %.0f s\n", prog,
                timeout);
        wstatus = -1;
        break;
    case KC_CHILD_ERROR:
        fprintf(stderr, "%s: waitpid: %s\n", prog, strerror(errno));
        kc_child_kill(pid);
        wstatus = -1;
        break;
    }
    if (wstatus != -1 && WIFEXITED(wstatus))
        status = WEXITSTATUS(wstatus) == 0 ? 0 : 1;
    else if (wstatus != -1 && WIFSIGNALED(wstatus))
        fprintf(stderr, "%s: LibreOffice crashed (signal %d)\n", prog,
                WTERMSIG(wstatus));
done:
    if (tmp_out)
        unlink(tmp_out); /* renamed to OUT when all went well */
    if (scratch)
        kc_rmtree(scratch);
    if (have_profile)
        kc_profile_release(&profile);
    free(scratch);
    free(base);
    free(tmp_out);
    free(oxt);
    free(out_dir);
    free(abs_out);
    free(abs_in);
    if (interrupted) {
        /* die of the signal, as a shell expects (as recalc does) */
        int sig = interrupted;
        signal(sig, SIG_DFL);
        raise(sig);
    }
    return status;
}
