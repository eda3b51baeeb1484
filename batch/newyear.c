/* kpicalc new-year: rolls a kpicalc yearly workbook to the next year. */
#include "newyear.h"

#include "buf.h"
#include "child.h"
#include "cli.h"
#include "fods.h"
#include "fsutil.h"
#include "lok.h"
#include "msg.h"
#include "outcheck.h"
#include "paths.h"
#include "profile.h"
#include "proto.h"
#include "text.h"
#include "zipcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PLAN_SHEET "Config"
#define PLAN_MARKER "kpicalc-rollover"
#define PLAN_VERSION 1
#define MAX_STEPS 10000
#define COMMAND_TIMEOUT 120.0 /* seconds for LibreOffice to run the edits */
#define DEFAULT_TIMEOUT 600.0

static const char *prog = "kpicalc new-year";

static void usage(FILE *f)
{
    fputs(kc_tr("Usage: kpicalc new-year [options] WORKBOOK -o OUT\n"
                "\n"
                "Rolls a kpicalc yearly workbook to the next year: this "
                "year's figures\n"
                "become a History row, so they show as last year's; this "
                "year's inputs\n"
                "are cleared. OUT (.ods or .fods) is written only when the "
                "result has\n"
                "been verified, and never over an existing file unless "
                "--force.\n"
                "\n"
                "Options:\n"
                "  -o, --output OUT        the rolled workbook (.ods or "
                ".fods); its folder\n"
                "                          must exist\n"
                "      --year N            the year to roll to; it must be "
                "the workbook's\n"
                "                          year + 1 (the default)\n"
                "      --force             replace OUT when it exists\n"
                "      --timeout SECONDS   give up after this long (default "
                "600)\n"
                "      --extension FILE    the add-in to install (default: "
                "kpicalc.oxt beside\n"
                "                          the kpicalc program, or "
                "$KPICALC_OXT)\n"
                "      --profile-dir DIR   keep the private LibreOffice "
                "profiles in DIR\n"
                "  -v, --verbose           show each edit, and LibreOffice's "
                "own messages\n"
                "  -q, --quiet             no line when done; failures and "
                "warnings are\n"
                "                          still reported\n"
                "  -h, --help              show this help\n"
                "  -V, --version           show the version\n"
                "\n"
                "Exit status: 0 done and verified, 1 failed (OUT not "
                "written), 2 bad\n"
                "usage (OUT exists, its folder is missing, ...).\n"
                "\n"
                "Example:\n"
                "  kpicalc new-year dongchen-2020.ods -o dongchen-2021.ods\n"),
          f);
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

static int cells_read(struct ny_cells *c, const char *path, struct kc_err *err)
{
    cells_free(c);
    c->current = -1;
    struct kc_sheet_sink sink = {c, on_sheet_begin, on_cell, on_sheet_end};
    struct kc_scan_result res = {0};
    return kc_fods_scan(path, &sink, &res, err);
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
                     struct kc_err *err)
{
    memset(plan, 0, sizeof *plan);
    const struct ny_cell *m = cell_at(c, 0, 0, 0), *v = cell_at(c, 0, 0, 1);
    if (!m || strcmp(m->text, PLAN_MARKER) != 0) {
        kc_err_set(err,
                   kc_tr("not a kpicalc yearly workbook: its %s sheet has no "
                         "'%s' plan"),
                   PLAN_SHEET, PLAN_MARKER);
        return -1;
    }
    if (!v || v->type != KC_CELL_NUMBER ||
        strtod(v->value, NULL) != PLAN_VERSION) {
        kc_err_set(err,
                   kc_tr("the workbook's rollover plan has layout version %s; "
                         "this kpicalc knows version %d"),
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
        kc_err_set(err, kc_tr("the %s sheet has no 'plan' row"), PLAN_SHEET);
        return -1;
    }
    int years = 0, ended = 0;
    for (long r = start; !ended; r++) {
        const struct ny_cell *a = cell_at(c, 0, r, 0);
        const struct ny_cell *t = cell_at(c, 0, r, 1);
        const struct ny_cell *x = cell_at(c, 0, r, 2);
        const char *op = cell_str(a);
        if (r - start > MAX_STEPS || !a) {
            kc_err_set(err, kc_tr("the plan in %s has no 'end' row"),
                       PLAN_SHEET);
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
            kc_err_set(err, kc_tr("%s row %ld: unknown operation '%s'"),
                       PLAN_SHEET, r + 1, op);
            return -1;
        }
        if ((t && t->type == KC_CELL_ERROR) ||
            (x && x->type == KC_CELL_ERROR)) {
            const char *e = (t && t->type == KC_CELL_ERROR) ? t->text : x->text;
            if (s.op == KC_NY_YEAR)
                kc_err_set(err,
                           kc_tr("the workbook has no year: its year cell %s "
                                 "shows %s"),
                           t && t->type != KC_CELL_ERROR ? t->text : "?", e);
            else
                kc_err_set(err,
                           kc_tr("%s row %ld: the plan shows %s (the History "
                                 "table full, or an input cell in error?)"),
                           PLAN_SHEET, r + 1, e);
            return -1;
        }
        if (kc_ny_parse_address(cell_str(t), &s.sheet, &s.row, &s.col) != 0) {
            kc_err_set(err, kc_tr("%s row %ld: '%s' is not a cell address"),
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
            kc_err_set(err,
                       kc_tr("%s row %ld: a value of this type (date or time: "
                             "'%s') cannot be rolled"),
                       PLAN_SHEET, r + 1, x->text);
            return -1;
        }
        s.target = strdup(cell_str(t));
        if (!s.target || !s.value || plan_add(plan, &s) != 0) {
            free(s.target);
            free(s.value);
            free(s.sheet);
            kc_err_set(err, "%s", kc_tr("out of memory"));
            return -1;
        }
        if (s.op == KC_NY_YEAR) {
            years++;
            double y = strtod(s.value, NULL);
            if (s.kind != KC_NY_NUMBER || y != floor(y) || y < 1000 ||
                y > 9998) {
                kc_err_set(err,
                           kc_tr("the workbook's year (cell %s) is '%s', not a "
                                 "year"),
                           s.target, s.value);
                return -1;
            }
            plan->year = (long)y;
        } else if (s.op == KC_NY_CLEAR && s.kind != KC_NY_NONE) {
            kc_err_set(err, kc_tr("%s row %ld: 'clear' with a value"),
                       PLAN_SHEET, r + 1);
            return -1;
        }
    }
    if (years != 1) {
        kc_err_set(err, kc_tr("the plan in %s has %d 'year' rows, not 1"),
                   PLAN_SHEET, years);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* LibreOfficeKit: commands, and waiting for them */

static int verbose;

/* A message of lok.c (English) in the user's language: a message that
 * msg.c knows whole, or its known phrases (kc_tr_reason). */
static const char *lok_tr(const struct kc_err *e, char *buf, size_t bufsz)
{
    const char *m = kc_err_msg(e);
    const char *t = kc_tr(m);
    return t != m ? t : kc_tr_reason(m, buf, bufsz);
}

/* WHAT failed, with LibreOffice's reason E when it gave one, into ERR. */
static void office_failed(struct kc_err *err, const char *what,
                          const struct kc_err *e)
{
    const char *why = kc_err_msg(e);
    kc_err_set(err, "%s%s%s", what, *why ? ": " : "", why);
}

/* Posts COMMAND with the JSON arguments ARGS (or none). */
static void post(struct kc_lok_doc *doc, const char *command, const char *args)
{
    if (verbose)
        fprintf(stderr, "%s: %s %s\n", prog, command, args ? args : "");
    kc_lok_post(doc, command, args);
}

static int post_goto(struct kc_lok_doc *doc, const char *target)
{
    struct kc_buf b = {0};
    int rc = kc_buf_adds(&b, "{\"ToPoint\":{\"type\":\"string\",\"value\":");
    rc |= kc_json_string(&b, target);
    rc |= kc_buf_adds(&b, "}}");
    if (rc == 0)
        post(doc, ".uno:GoToCell", kc_buf_str(&b));
    kc_buf_free(&b);
    return rc ? -1 : 0;
}

static int post_enter(struct kc_lok_doc *doc, const char *text)
{
    struct kc_buf b = {0};
    int rc = kc_buf_adds(&b, "{\"StringName\":{\"type\":\"string\",\"value\":");
    rc |= kc_json_string(&b, text);
    rc |= kc_buf_adds(&b, "}}");
    if (rc == 0)
        post(doc, ".uno:EnterString", kc_buf_str(&b));
    kc_buf_free(&b);
    return rc ? -1 : 0;
}

/* Waits until LibreOffice has run the posted edits (kc_lok_settle). */
static int settle(struct kc_lok_doc *doc, struct kc_err *err)
{
    if (verbose)
        fprintf(stderr, "%s: .uno:CalculateHard\n", prog);
    struct kc_err e = {""};
    if (kc_lok_settle(doc, COMMAND_TIMEOUT, &e) == 0)
        return 0;
    char tr[2048];
    kc_err_set(err, "%s", lok_tr(&e, tr, sizeof tr));
    return -1;
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

static int apply_step(struct kc_lok_doc *doc, const struct kc_ny_step *s,
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
        post(doc, ".uno:ClearContents", NULL);
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
static int export_cells(struct kc_lok_doc *doc, const char *path,
                        struct ny_cells *cells, struct kc_err *err)
{
    char *url = kc_file_url(path);
    if (!url) {
        kc_err_set(err, "%s", kc_tr("out of memory"));
        return -1;
    }
    struct kc_err e = {""};
    int saved = kc_lok_save_as(doc, url, "fods", &e) == 0;
    free(url);
    if (!saved) {
        office_failed(err, kc_tr("cannot export the workbook's cells"), &e);
        return -1;
    }
    return cells_read(cells, path, err);
}

/* Counts the steps not holding in CELLS; reports the first few in ERR. The
 * text steps that fail are marked in RETRY (when not NULL). */
static int count_wrong(const struct kc_ny_plan *plan,
                       const struct ny_cells *cells, long year, char *retry,
                       struct kc_err *err)
{
    int wrong = 0;
    char text[KC_ERR_MAX]; /* the first few, one after another */
    size_t used = 0;
    text[0] = '\0';
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
        if (wrong <= 3 && used + 1 < sizeof text) {
            int k = snprintf(text + used, sizeof text - used,
                             kc_tr("%s%s holds '%s', not '%s'"),
                             used ? "; " : "", s->target, x ? x->text : "",
                             s->op == KC_NY_SET ? s->value : "");
            if (k > 0)
                used += (size_t)k < sizeof text - used ? (size_t)k
                                                       : sizeof text - used - 1;
        }
    }
    kc_err_set(err, "%s", text);
    return wrong;
}

int kc_ny_plan_parse_fods(const char *data, size_t len, struct kc_ny_plan *plan,
                          struct kc_err *err)
{
    char *names[1] = {PLAN_SHEET};
    struct ny_cells c = {names, 1, -1, NULL, 0, 0};
    struct kc_sheet_sink sink = {&c, on_sheet_begin, on_cell, on_sheet_end};
    struct kc_scan_result res = {0};
    memset(plan, 0, sizeof *plan);
    int rc = kc_fods_scan_mem(data, len, &sink, &res, err);
    if (rc == 0)
        rc = plan_read(&c, plan, err);
    cells_free(&c);
    if (rc != 0)
        kc_ny_plan_free(plan);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Messages of a child process, relayed by the parent */

/* In a child: the pipe to the parent (-1: print directly). */
static int report_fd = -1;

/* A message to the user: KIND 'E' an error, 'W' a warning (both on
 * stderr), 'O' the closing line (stdout). Already translated. */
static void report(char kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void report(char kind, const char *fmt, ...)
{
    char text[3000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + 2, sizeof text - 3, fmt, ap);
    va_end(ap);
    text[0] = kind;
    text[1] = ' ';
    for (char *p = text + 2; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    size_t n = strlen(text);
    if (report_fd < 0) {
        FILE *f = kind == 'O' ? stdout : stderr;
        fprintf(f, kind == 'W' ? kc_tr("%s: warning: %s\n") : "%s: %s\n", prog,
                text + 2);
        fflush(f);
        return;
    }
    text[n++] = '\n';
    kc_write_all(report_fd, text, n);
}

/* In the parent: prints what a child reported on FD (non-blocking; the
 * child has ended). Returns the number of errors among them. */
static int relay_reports(int fd, int quiet)
{
    struct kc_buf b = {0};
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len < (1u << 20))
        kc_buf_add(&b, chunk, (size_t)n);
    int errors = 0;
    char *save = NULL;
    for (char *line = b.len ? strtok_r(b.p, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strlen(line) < 2)
            continue;
        errors += line[0] == 'E';
        if (line[0] == 'O' && quiet)
            continue;
        FILE *f = line[0] == 'O' ? stdout : stderr;
        fprintf(f, line[0] == 'W' ? kc_tr("%s: warning: %s\n") : "%s: %s\n",
                prog, line + 2);
    }
    fflush(stdout);
    kc_buf_free(&b);
    return errors;
}

/* The last non-empty line of the file at PATH (at most OUTSZ-1 bytes), or
 * "". */
static void last_line(const char *path, char *out, size_t outsz)
{
    out[0] = '\0';
    char *data = NULL;
    size_t len = 0;
    if (!path || kc_read_file(path, &data, &len) != 0 || !data)
        return;
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
                       data[len - 1] == ' '))
        len--;
    size_t start = len;
    while (start > 0 && data[start - 1] != '\n')
        start--;
    size_t k = len - start < outsz - 1 ? len - start : outsz - 1;
    memcpy(out, data + start, k);
    out[k] = '\0';
    free(data);
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
    int force; /* OUT may be replaced */
};

/* Opens the workbook at PATH; NULL with the reason in ERR. */
static struct kc_lok_doc *load(const char *path, struct kc_err *err)
{
    char *url = kc_file_url(path);
    if (!url) {
        kc_err_set(err, "%s", kc_tr("out of memory"));
        return NULL;
    }
    struct kc_err e = {""};
    struct kc_lok_doc *doc = kc_lok_load(url, &e);
    free(url);
    if (!doc) {
        char tr[2048];
        kc_err_set(err, "%s", lok_tr(&e, tr, sizeof tr));
    }
    return doc;
}

/* Does the plan write CELL's content somewhere (a "set" of an equal
 * value)? */
static int plan_keeps(const struct kc_ny_plan *plan, const struct ny_cell *x)
{
    for (size_t i = 0; i < plan->n; i++) {
        const struct kc_ny_step *s = &plan->v[i];
        if (s->op != KC_NY_SET || s->kind == KC_NY_NONE)
            continue;
        if (s->kind == KC_NY_NUMBER && x->type == KC_CELL_NUMBER &&
            strtod(s->value, NULL) == strtod(x->value, NULL))
            return 1;
        if (s->kind == KC_NY_TEXT && strcmp(s->value, x->text) == 0)
            return 1;
        if (s->kind == KC_NY_BOOL && x->type == KC_CELL_BOOL &&
            strcasecmp(s->value, x->value) == 0)
            return 1;
    }
    return 0;
}

/* What the rollover would lose, from the cells before it (BEFORE, the
 * sheets of the targets): a year with nothing filled in, and content of
 * cleared cells that no "set" of the plan carries into the rolled
 * workbook (the template decides what is kept; kpicalc says what is not,
 * and that INPUT, which it never changes, still holds it). Warnings
 * only. */
static void warn_losses(const struct kc_ny_plan *plan,
                        const struct ny_cells *before, const char *input)
{
    int filled = 0, dropped = 0;
    char names[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < plan->n; i++) {
        const struct kc_ny_step *s = &plan->v[i];
        if (s->op != KC_NY_CLEAR)
            continue;
        int sh = sheet_index(before, s->sheet);
        const struct ny_cell *x =
            sh < 0 ? NULL : cell_at(before, sh, s->row, s->col);
        if (!x || (x->type == KC_CELL_STRING && x->text[0] == '\0'))
            continue;
        filled++;
        if (plan_keeps(plan, x))
            continue;
        if (dropped++ < 3 && used + 1 < sizeof names) {
            int k = snprintf(names + used, sizeof names - used, "%s%s",
                             used ? ", " : "", s->target);
            if (k > 0)
                used += (size_t)k < sizeof names - used
                            ? (size_t)k
                            : sizeof names - used - 1;
        }
    }
    if (filled == 0)
        report('W',
               kc_tr("nothing is filled in for %ld (every cell the rollover "
                     "clears is empty): the rolled workbook records an "
                     "empty year"),
               plan->year);
    else if (dropped > 0)
        report('W',
               kc_tr("%d filled cell%s that the rollover clears %s not "
                     "copied into the rolled workbook (%s%s): %s keeps "
                     "them"),
               dropped, dropped == 1 ? "" : "s", dropped == 1 ? "is" : "are",
               names, dropped > 3 ? ", ..." : "", input);
}

/* Renames FROM to TO; without FORCE, never over an existing TO. */
static int publish(const char *from, const char *to, int force)
{
    if (force)
        return rename(from, to);
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* a file system without RENAME_NOREPLACE: link() never replaces */
    if (link(from, to) != 0)
        return -1;
    unlink(from);
    return 0;
}

/* A rollover under way in the office child. */
#define ROLL_SHEETS 64
struct roll {
    const struct job *j;
    struct kc_lok_doc *doc;
    struct kc_ny_plan plan;
    char *sheets[ROLL_SHEETS]; /* the sheets that CELLS keeps */
    struct ny_cells cells;
    char *check, *plan_path; /* exports in the scratch folder */
    long year;               /* the year rolled to */
};

/* Starts the office and opens the workbook. */
static int open_workbook(struct roll *r, struct kc_err *err)
{
    struct kc_err e = {""};
    char tr[2048];
    if (kc_lok_start(r->j->lo_program, r->j->profile_url, &e) != 0) {
        kc_err_set(err, "%s", lok_tr(&e, tr, sizeof tr));
        return -1;
    }
    if (!(r->doc = load(r->j->input, err)))
        return kc_err_wrap(err, "%s: ", r->j->input);
    return 0;
}

/* Step 1: the plan, as the workbook computes it, and the year to roll
 * to. */
static int read_plan(struct roll *r, struct kc_err *err)
{
    r->sheets[0] = PLAN_SHEET;
    r->cells.nnames = 1;
    if (export_cells(r->doc, r->plan_path, &r->cells, err) != 0 ||
        plan_read(&r->cells, &r->plan, err) != 0)
        return kc_err_wrap(err, "%s: ", r->j->input);
    r->year = r->j->year ? r->j->year : r->plan.year + 1;
    if (r->year != r->plan.year + 1) {
        kc_err_set(err,
                   kc_tr("%s is the workbook of %ld: it rolls to %ld, not %ld"),
                   r->j->input, r->plan.year, r->plan.year + 1, r->year);
        return -1;
    }
    return 0;
}

/* Warns of what the rollover would lose, from the same export; the sheets
 * read from then on are those of the plan's targets. */
static int check_losses(struct roll *r, struct kc_err *err)
{
    r->cells.nnames = 0;
    for (size_t i = 0; i < r->plan.n; i++)
        if (sheet_index(&r->cells, r->plan.v[i].sheet) < 0) {
            if (r->cells.nnames == ROLL_SHEETS) {
                kc_err_set(err, "%s", kc_tr("the plan names too many sheets"));
                return -1;
            }
            r->sheets[r->cells.nnames++] = r->plan.v[i].sheet;
        }
    if (cells_read(&r->cells, r->plan_path, err) != 0)
        return -1;
    warn_losses(&r->plan, &r->cells, r->j->input);
    return 0;
}

/* Types again, after a leading apostrophe, the text steps marked in RETRY
 * and checks the result; -1 with what is still wrong in ERR (left as it
 * is when there is no text step to retry). */
static int retype_text(struct roll *r, const char *retry, struct kc_err *err)
{
    int again = 0;
    for (size_t i = 0; i < r->plan.n; i++)
        if (retry[i] && r->plan.v[i].kind == KC_NY_TEXT) {
            apply_step(r->doc, &r->plan.v[i], r->year, 1);
            again++;
        }
    if (again == 0 || settle(r->doc, err) != 0 ||
        export_cells(r->doc, r->check, &r->cells, err) != 0 ||
        count_wrong(&r->plan, &r->cells, r->year, NULL, err) > 0)
        return -1;
    return 0;
}

/* Step 2: the edits, then an in-memory check; text that Calc took for a
 * number or a date is typed again with a leading apostrophe. */
static int edit(struct roll *r, struct kc_err *err)
{
    struct kc_err e2; /* inside a translated message of ours */
    for (size_t i = 0; i < r->plan.n; i++)
        if (apply_step(r->doc, &r->plan.v[i], r->year, 0) != 0) {
            kc_err_set(err, "%s", kc_tr("out of memory"));
            return -1;
        }
    if (settle(r->doc, err) != 0)
        return -1;
    char *retry = calloc(r->plan.n ? r->plan.n : 1, 1);
    if (!retry) {
        kc_err_set(err, "%s", kc_tr("out of memory"));
        return -1;
    }
    int rc = -1;
    if (export_cells(r->doc, r->check, &r->cells, err) != 0) {
        /* ERR says why */
    } else if (count_wrong(&r->plan, &r->cells, r->year, retry, &e2) > 0 &&
               retype_text(r, retry, &e2) != 0)
        kc_err_set(err, kc_tr("the edits did not take: %s"), e2.msg);
    else
        rc = 0;
    free(retry);
    return rc;
}

/* Step 3: saves beside OUT, reloads what was saved and checks every
 * target in it. */
static int save_and_verify(struct roll *r, struct kc_err *err)
{
    struct kc_err e2; /* inside a translated message of ours */
    char *url = kc_file_url(r->j->tmp_out);
    if (!url) {
        kc_err_set(err, "%s", kc_tr("out of memory"));
        return -1;
    }
    struct kc_err e = {""};
    int saved = kc_lok_save_as(r->doc, url, r->j->fmt, &e) == 0;
    free(url);
    kc_lok_close(r->doc);
    r->doc = NULL;
    if (!saved) {
        office_failed(err, kc_tr("cannot save the rolled workbook"), &e);
        return -1;
    }
    if (!(r->doc = load(r->j->tmp_out, &e2))) {
        kc_err_set(err, kc_tr("the saved workbook cannot be read back: %s"),
                   e2.msg);
        return -1;
    }
    if (export_cells(r->doc, r->check, &r->cells, err) != 0)
        return -1;
    int wrong = count_wrong(&r->plan, &r->cells, r->year, NULL, &e2);
    if (wrong > 0) {
        kc_err_set(err, kc_tr("the saved workbook misses %d change%s: %s"),
                   wrong, wrong == 1 ? "" : "s", e2.msg);
        return -1;
    }
    return 0;
}

/* Step 4: the saved file, whole as kpicalc's own readers see it and on
 * disk, becomes OUT; the closing line. */
static int publish_output(const struct roll *r, struct kc_err *err)
{
    const struct job *j = r->j;
    struct kc_err e2; /* inside a translated message of ours */
    if (kc_output_check(j->tmp_out, j->fmt, &e2) != 0) {
        kc_err_set(err, kc_tr("output check failed: %s"), e2.msg);
        return -1;
    }
    if (kc_fsync_path(j->tmp_out) != 0 ||
        publish(j->tmp_out, j->out, j->force) != 0) {
        if (errno == EEXIST)
            kc_err_set(err,
                       kc_tr("%s appeared while the workbook was rolled: it "
                             "is left as it is (--force replaces it)"),
                       j->out);
        else
            kc_err_set(err, kc_tr("cannot write %s: %s"), j->out,
                       strerror(errno));
        return -1;
    }
    int sets = 0, clears = 0;
    for (size_t i = 0; i < r->plan.n; i++) {
        if (r->plan.v[i].op == KC_NY_SET && r->plan.v[i].kind != KC_NY_NONE)
            sets++;
        else if (r->plan.v[i].op != KC_NY_YEAR)
            clears++;
    }
    report('O',
           kc_tr("%s (%ld) -> %s (%ld): %d cells written, %d cleared, "
                 "verified"),
           j->input, r->plan.year, j->out, r->year, sets, clears);
    return 0;
}

/* Rolls the workbook J->input to OUT, step by step; -1 with ERR when a
 * step fails (OUT is then not written). */
static int roll(const struct job *j, struct kc_err *err)
{
    struct roll r = {.j = j};
    r.cells = (struct ny_cells){r.sheets, 0, -1, NULL, 0, 0};
    r.check = kc_path_join(j->scratch, "check.fods");
    r.plan_path = kc_path_join(j->scratch, "plan.fods");
    int rc = -1;
    if (!r.check || !r.plan_path)
        kc_err_set(err, "%s", kc_tr("out of memory"));
    else if (open_workbook(&r, err) == 0 && read_plan(&r, err) == 0 &&
             check_losses(&r, err) == 0 && edit(&r, err) == 0 &&
             save_and_verify(&r, err) == 0 && publish_output(&r, err) == 0)
        rc = 0;
    kc_lok_close(r.doc);
    cells_free(&r.cells);
    kc_ny_plan_free(&r.plan);
    free(r.check);
    free(r.plan_path);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The command, step by step */

static volatile sig_atomic_t interrupted;
static double timeout_given; /* --timeout, for messages */

struct ny_options {
    const char *input, *out, *profile_dir, *extension;
    long year;
    double timeout;
    int force, quiet;
};

/* Parses the command line (ARGV[0] is "new-year"): -1 to go on, or an
 * exit status. */
static int parse_args(int argc, char **argv, struct ny_options *o)
{
    enum { OPT_YEAR = 256, OPT_FORCE, OPT_TIMEOUT, OPT_EXTENSION, OPT_PROFILE };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"year", required_argument, NULL, OPT_YEAR},
        {"force", no_argument, NULL, OPT_FORCE},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"extension", required_argument, NULL, OPT_EXTENSION},
        {"profile-dir", required_argument, NULL, OPT_PROFILE},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *cmd = "new-year";
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":o:vqhV", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (!*optarg)
                return kc_usage_error(cmd, "%s", kc_tr("-o needs a file"));
            o->out = optarg;
            break;
        case OPT_YEAR:
            if (kc_parse_long(optarg, 1001, 9999, &o->year) != 0)
                return kc_usage_error(
                    cmd, kc_tr("--year needs a year, not '%s'"), optarg);
            break;
        case OPT_FORCE:
            o->force = 1;
            break;
        case OPT_TIMEOUT:
            if (kc_parse_timeout(optarg, &o->timeout) != 0)
                return kc_usage_error(cmd,
                                      kc_tr("--timeout needs a positive "
                                            "number of seconds, not '%s'"),
                                      optarg);
            break;
        case OPT_EXTENSION:
            o->extension = optarg;
            break;
        case OPT_PROFILE:
            if (!*optarg)
                return kc_usage_error(cmd, "%s",
                                      kc_tr("--profile-dir needs a folder"));
            o->profile_dir = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return KC_EXIT_OK;
        case 'V':
            kc_print_version();
            return KC_EXIT_OK;
        case ':':
            return kc_usage_error(cmd, kc_tr("option '%s' needs a value"),
                                  argv[optind - 1]);
        default:
            return kc_usage_error(cmd, kc_tr("unknown option '%s'"),
                                  argv[optind - 1]);
        }
    }
    if (optind < argc)
        o->input = argv[optind++];
    if (optind < argc)
        return kc_usage_error(cmd, kc_tr("one workbook at a time (%s, %s)"),
                              o->input, argv[optind]);
    if (!o->input)
        return kc_usage_error(cmd, "%s", kc_tr("no workbook given"));
    if (!o->out)
        return kc_usage_error(cmd, "%s",
                              kc_tr("-o OUT is needed: the rolled workbook "
                                    "is written to a new file"));
    return -1;
}

/* The paths of a run, made absolute. */
struct ny_paths {
    char *input, *out, *out_dir, *oxt, *tmp_out, *scratch, *log;
    char ext[16];
};

static void paths_free(struct ny_paths *p)
{
    free(p->input);
    free(p->out);
    free(p->out_dir);
    free(p->oxt);
    free(p->tmp_out);
    free(p->scratch);
    free(p->log);
}

/* Checks what was asked before anything runs: the workbook, OUT (.ods or
 * .fods, not the workbook, not an existing file unless --force, in an
 * existing folder), the extension. -1 to go on, or an exit status. */
static int check_request(const struct ny_options *o, struct ny_paths *p)
{
    const char *cmd = "new-year";
    kc_extension(o->out, p->ext, sizeof p->ext);
    if (strcmp(p->ext, "ods") != 0 && strcmp(p->ext, "fods") != 0)
        return kc_usage_error(
            cmd, kc_tr("OUT must be an .ods or .fods file: %s"), o->out);
    p->input = kc_abspath(o->input);
    p->out = kc_abspath(o->out);
    p->out_dir = p->out ? kc_dirname(p->out) : NULL;
    if (!p->input || !p->out || !p->out_dir) {
        fprintf(stderr, "%s: %s\n", prog, kc_tr("out of memory"));
        return KC_EXIT_FAILED;
    }
    struct stat st_in, st_out, st_dir;
    errno = 0;
    if (stat(p->input, &st_in) != 0 || !S_ISREG(st_in.st_mode)) {
        fprintf(stderr, "%s: %s: %s\n", prog, o->input,
                errno ? strerror(errno) : kc_tr("not a regular file"));
        return KC_EXIT_FAILED;
    }
    int out_exists = lstat(p->out, &st_out) == 0;
    if (out_exists && stat(p->out, &st_out) == 0 &&
        st_out.st_dev == st_in.st_dev && st_out.st_ino == st_in.st_ino)
        return kc_usage_error(cmd, "%s",
                              kc_tr("OUT must not be the workbook itself"));
    if (out_exists && S_ISDIR(st_out.st_mode))
        return kc_usage_error(cmd, kc_tr("OUT %s is a folder: give a file"),
                              o->out);
    if (out_exists && !o->force)
        return kc_usage_error(cmd,
                              kc_tr("%s exists: it is left as it is "
                                    "(--force replaces it)"),
                              o->out);
    if (stat(p->out_dir, &st_dir) != 0 || !S_ISDIR(st_dir.st_mode))
        return kc_usage_error(cmd,
                              kc_tr("the folder of OUT does not exist: %s "
                                    "(create it first)"),
                              p->out_dir);
    if (access(p->out_dir, W_OK) != 0) {
        fprintf(stderr, kc_tr("%s: cannot write in the folder %s: %s\n"), prog,
                p->out_dir, strerror(errno));
        return KC_EXIT_FAILED;
    }
    struct kc_err err = {""};
    int rc = kc_find_extension(o->extension, &p->oxt, &err);
    if (rc < 0)
        return kc_usage_error(cmd, "%s", err.msg);
    if (rc > 0) {
        fprintf(stderr,
                kc_tr("%s: no add-in extension: kpicalc.oxt beside kpicalc, "
                      "--extension or KPICALC_OXT\n"),
                prog);
        return KC_EXIT_FAILED;
    }
    return -1;
}

/* The scratch folder (LibreOffice's temporary files, the exports, the
 * office's log) and the staged output's name beside OUT. 0 or -1. */
static int prepare(struct ny_paths *p)
{
    const char *tmpdir = getenv("TMPDIR");
    struct kc_buf sb = {0};
    if (kc_buf_addf(&sb, "%s/kpicalc-newyear-XXXXXX",
                    tmpdir && *tmpdir ? tmpdir : "/tmp") != 0) {
        fprintf(stderr, "%s: %s\n", prog, kc_tr("out of memory"));
        return -1;
    }
    p->scratch = kc_buf_take(&sb);
    if (!p->scratch || !mkdtemp(p->scratch)) {
        fprintf(stderr, kc_tr("%s: cannot make a scratch folder: %s\n"), prog,
                strerror(errno));
        free(p->scratch);
        p->scratch = NULL;
        return -1;
    }
    p->log = kc_path_join(p->scratch, "office.log");
    size_t n = strlen(p->out_dir) + strlen(p->ext) + 64;
    p->tmp_out = malloc(n);
    if (!p->log || !p->tmp_out) {
        fprintf(stderr, "%s: %s\n", prog, kc_tr("out of memory"));
        return -1;
    }
    snprintf(p->tmp_out, n, "%s/.kpicalc-newyear-%ld.%s", p->out_dir,
             (long)getpid(), p->ext);
    return 0;
}

/* Runs FN(CTX) in a child process (own process group, dies with kpicalc)
 * for at most *BUDGET seconds, which it then lowers by the time taken.
 * What the child reports is printed. WHAT names the step in a timeout
 * message. Returns 0 when the child succeeded, 1 when it failed or was
 * stopped (interrupted is then set). LOG (or NULL) receives the child's
 * stdout and stderr unless -v or KPICALC_DEBUG. */
static int in_child(int (*fn)(void *ctx), void *ctx, double *budget,
                    const char *what, const char *log, int quiet)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
        return 1;
    }
    fflush(stdout);
    fflush(stderr);
    double t0 = kc_now();
    pid_t pid = kc_child_spawn();
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return 1;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        close(fds[0]);
        report_fd = fds[1];
        if (log && !verbose && !getenv("KPICALC_DEBUG")) {
            /* LibreOffice's own output ("No language allowlisted...")
             * goes to its log, not to the user */
            int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
                close(fd);
            }
        }
        int rc = fn(ctx);
        fflush(stdout);
        fflush(stderr);
        /* without office->destroy: slow, and nothing needs it */
        _exit(rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    int wstatus = 0, failed = 1;
    double given = *budget > 0.001 ? *budget : 0.001;
    enum kc_child_end end = kc_child_wait(pid, given, &interrupted, &wstatus);
    int errors = relay_reports(fds[0], quiet);
    close(fds[0]);
    *budget -= kc_now() - t0;
    char tail[300];
    switch (end) {
    case KC_CHILD_EXITED:
        if (WIFEXITED(wstatus)) {
            failed = WEXITSTATUS(wstatus) != 0;
            if (failed && errors == 0)
                fprintf(stderr, kc_tr("%s: %s failed (exit status %d)\n"), prog,
                        what, WEXITSTATUS(wstatus));
        } else if (WIFSIGNALED(wstatus)) {
            last_line(log, tail, sizeof tail);
            fprintf(stderr, kc_tr("%s: %s crashed (signal %d)%s%s\n"), prog,
                    what, WTERMSIG(wstatus),
                    *tail ? kc_tr("; last words: ") : "", tail);
        }
        break;
    case KC_CHILD_STOPPED:
        fprintf(stderr, "%s: %s\n", prog, kc_tr("interrupted"));
        break;
    case KC_CHILD_TIMEOUT:
        fprintf(stderr,
                kc_tr("%s: timeout: %s was not done within --timeout %g "
                      "s\n"),
                prog, what, timeout_given);
        break;
    case KC_CHILD_ERROR:
        fprintf(stderr, "%s: waitpid: %s\n", prog, strerror(errno));
        kc_child_kill(pid);
        break;
    }
    return failed;
}

/* The checks of the input that need no office, in a child under the
 * deadline: a ZIP archive is read whole (a bomb or a damaged package
 * could take long, or be "repaired" into an empty workbook). */
static int check_input(void *ctx)
{
    const struct ny_paths *p = ctx;
    struct kc_err err = {""};
    int zip = kc_is_zip(p->input);
    if (zip < 0) {
        report('E', "%s: %s", p->input, strerror(errno));
        return -1;
    }
    if (zip == 1 && kc_zip_check(p->input, NULL, &err) != 0) {
        report('E', kc_tr("%s: corrupt file: %s"), p->input, err.msg);
        return -1;
    }
    return 0;
}

static int roll_in_child(void *ctx)
{
    const struct job *j = ctx;
    /* LibreOffice's own temporary files go into the scratch folder, which
     * the parent removes whatever happens to the office */
    setenv("TMPDIR", j->scratch, 1);
    struct kc_err err = {""};
    if (roll(j, &err) != 0) {
        report('E', "%s", err.msg);
        return -1;
    }
    return 0;
}

int kpicalc_new_year_main(int argc, char **argv)
{
    struct ny_options o = {.timeout = DEFAULT_TIMEOUT};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct ny_paths p = {0};
    struct kc_profile profile = {.lock_fd = -1};
    int status = KC_EXIT_FAILED, have_profile = 0;
    char *base = NULL;
    rc = check_request(&o, &p);
    if (rc >= 0) {
        status = rc;
        goto done;
    }
    if (prepare(&p) != 0)
        goto done;
    /* SIGINT, SIGTERM and SIGHUP end the child (its whole process group)
     * and remove the scratch folder; a SIGKILL of kpicalc kills the child
     * with it (child.h), so an office never writes OUT later */
    kc_child_on_signals(&interrupted);
    double budget = o.timeout; /* for the check and the office together */
    timeout_given = o.timeout;
    if (in_child(check_input, &p, &budget, kc_tr("the check of the workbook"),
                 NULL, o.quiet) != 0)
        goto done;
    struct kc_err err = {""};
    struct kc_profile_cfg pcfg = {kc_lo_program(), p.oxt, o.profile_dir,
                                  verbose};
    if (kc_profile_base_dir(&pcfg, &base, &err) != 0 ||
        kc_profile_acquire(&pcfg, base, &profile, &err) != 0) {
        fprintf(stderr, kc_tr("%s: LibreOffice profile: %s\n"), prog, err.msg);
        goto done;
    }
    have_profile = 1;
    struct job j = {p.input,         p.out,       p.tmp_out, p.ext,  p.scratch,
                    kc_lo_program(), profile.url, o.year,    o.force};
    if (in_child(roll_in_child, &j, &budget, "LibreOffice", p.log, o.quiet) ==
        0)
        status = KC_EXIT_OK;
done:
    if (p.tmp_out)
        unlink(p.tmp_out); /* renamed to OUT when all went well */
    if (p.scratch)
        kc_rmtree(p.scratch);
    if (have_profile)
        kc_profile_release(&profile);
    free(base);
    paths_free(&p);
    kc_die_of_signal(interrupted);
    return status;
}
