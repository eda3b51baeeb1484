/* Writes each sheet of a workbook as its own CSV file. */
#include "sheetcsv.h"

#include "buf.h"
#include "fsutil.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest CSV file name made, in bytes: file systems take 255, and the
 * temporary name it is written under first (kc_write_atomic) is longer. */
#define NAME_BYTES 160

int kc_csv_field(struct kc_buf *b, const char *field)
{
    const char *f = field ? field : "";
    size_t n = strlen(f);
    int quote = strpbrk(f, ",\"\r\n") != NULL ||
                (n > 0 && (f[0] == ' ' || f[n - 1] == ' '));
    if (!quote)
        return kc_buf_add(b, f, n);
    if (kc_buf_addc(b, '"') != 0)
        return -1;
    for (const char *s = f; *s; s++) {
        if (*s == '"' && kc_buf_addc(b, '"') != 0)
            return -1;
        if (kc_buf_addc(b, *s) != 0)
            return -1;
    }
    return kc_buf_addc(b, '"');
}

int kc_csv_formula_like(const char *text)
{
    return text && *text && strchr("=+-@\t\r", *text) != NULL;
}

const char *kc_csv_cell_text(const struct kc_cell *cell)
{
    const char *v = cell->value ? cell->value : "";
    const char *t = cell->text ? cell->text : "";
    switch (cell->type) {
    case KC_CELL_NUMBER:
        return kc_is_json_number(v) ? v : t;
    case KC_CELL_DATE:
        /* a date's value is ISO 8601 (2020-12-31, 2020-12-31T10:30:00);
         * a time's is a duration (PT10H30M00S): its shown text is kept */
        return *v && *v != 'P' ? v : t;
    case KC_CELL_BOOL:
        if (strcmp(v, "true") == 0)
            return "TRUE";
        if (strcmp(v, "false") == 0)
            return "FALSE";
        return t;
    default:
        return t;
    }
}

static void clear_cells(struct kc_csv_writer *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->cells[i].text);
    w->n = 0;
}

static int on_sheet_begin(void *ctx, const char *name)
{
    struct kc_csv_writer *w = ctx;
    clear_cells(w);
    free(w->sheet);
    w->sheet = strdup(name && *name ? name : "Sheet");
    if (!w->sheet) {
        snprintf(w->err, sizeof w->err, "out of memory");
        return -1;
    }
    return 0;
}

static int on_cell(void *ctx, long row, long col, const struct kc_cell *cell)
{
    struct kc_csv_writer *w = ctx;
    const char *text = kc_csv_cell_text(cell);
    if (!*text)
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        struct kc_csv_cell *v = realloc(w->cells, cap * sizeof *v);
        if (!v) {
            snprintf(w->err, sizeof w->err, "out of memory");
            return -1;
        }
        w->cells = v;
        w->cap = cap;
    }
    w->cells[w->n].row = row;
    w->cells[w->n].col = col;
    /* text that a spreadsheet would run as a formula (=, +, -, @, tab,
     * CR first) is kept as text with a leading apostrophe, as OWASP
     * recommends; numbers, dates and truth values are never text here */
    int guard = !w->raw && kc_csv_formula_like(text) &&
                (cell->type == KC_CELL_STRING || cell->type == KC_CELL_ERROR ||
                 text == cell->text);
    char *copy = guard ? malloc(strlen(text) + 2) : strdup(text);
    if (copy && guard) {
        copy[0] = '\'';
        strcpy(copy + 1, text);
    }
    if (!(w->cells[w->n].text = copy)) {
        snprintf(w->err, sizeof w->err, "out of memory");
        return -1;
    }
    w->n++;
    return 0;
}

/* A sheet name made safe as part of a file name: '/', '\' and control
 * characters become '_', as does a leading '.'; at most MAX bytes, cut at
 * a character boundary. */
static char *safe_name(const char *name, size_t max)
{
    size_t n = strlen(name);
    while (n > max) { /* back to the start of a character */
        n--;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    char *s = strndup(name, n);
    if (!s)
        return NULL;
    for (char *p = s; *p; p++)
        if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '_';
    if (s[0] == '.')
        s[0] = '_';
    return s;
}

/* A file name for the sheet being ended, unused so far in this workbook
 * (ignoring case): STEM-SAFE.csv, else STEM-SAFE-2.csv, -3, ...; kept in
 * W's set. NULL with W->err set. */
static char *file_name(struct kc_csv_writer *w)
{
    size_t stem = strlen(w->stem);
    /* room for "-" SAFE "-NNNNNNNNNN.csv" */
    if (stem + 1 + 4 + 16 >= NAME_BYTES) {
        snprintf(w->err, sizeof w->err,
                 "the CSV file names of %.200s would be too long", w->stem);
        return NULL;
    }
    char *safe = safe_name(w->sheet && *w->sheet ? w->sheet : "Sheet",
                           NAME_BYTES - stem - 1 - 4 - 16);
    size_t n = stem + (safe ? strlen(safe) : 0) + 32;
    char *fname = safe ? malloc(n) : NULL;
    if (!fname) {
        free(safe);
        snprintf(w->err, sizeof w->err, "out of memory");
        return NULL;
    }
    snprintf(fname, n, "%s-%s.csv", w->stem, safe);
    for (unsigned long k = 2; kc_strset_get(&w->used, fname) != KC_STRSET_NONE;
         k++)
        snprintf(fname, n, "%s-%s-%lu.csv", w->stem, safe, k);
    free(safe);
    if (w->nnames == w->capnames) {
        size_t cap = w->capnames ? w->capnames * 2 : 8;
        char **v = realloc(w->names, cap * sizeof *v);
        if (!v) {
            free(fname);
            snprintf(w->err, sizeof w->err, "out of memory");
            return NULL;
        }
        w->names = v;
        w->capnames = cap;
    }
    if (kc_strset_add(&w->used, fname, w->nnames) < 0) {
        free(fname);
        snprintf(w->err, sizeof w->err, "out of memory");
        return NULL;
    }
    w->names[w->nnames++] = fname; /* owned by W from now on */
    return fname;
}

/* The CSV text of the cells collected (sorted by row, then column). */
static int render(const struct kc_csv_writer *w, struct kc_buf *out)
{
    long width = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->cells[i].col + 1 > width)
            width = w->cells[i].col + 1;
    long row = 0;
    int rc = w->bom ? kc_buf_adds(out, KC_UTF8_BOM) : 0;
    for (size_t i = 0; i < w->n && rc == 0;) {
        long r = w->cells[i].row;
        for (; row < r && rc == 0; row++) /* empty rows in between */
            for (long c = 1; c <= width; c++)
                rc |= kc_buf_adds(out, c < width ? "," : "\n");
        long col = 0;
        for (; i < w->n && w->cells[i].row == r && rc == 0; i++) {
            for (; col < w->cells[i].col; col++)
                rc |= kc_buf_addc(out, ',');
            rc |= kc_csv_field(out, w->cells[i].text);
        }
        for (; col + 1 < width && rc == 0; col++)
            rc |= kc_buf_addc(out, ',');
        rc |= kc_buf_addc(out, '\n');
        row = r + 1;
    }
    return rc;
}

static int on_sheet_end(void *ctx)
{
    struct kc_csv_writer *w = ctx;
    struct kc_buf out = {0};
    int rc = 0;
    if (render(w, &out) != 0) {
        snprintf(w->err, sizeof w->err, "out of memory");
        rc = -1;
    }
    const char *fname = rc == 0 ? file_name(w) : NULL;
    char *path = fname ? kc_path_join(w->dir, fname) : NULL;
    if (rc == 0 && fname && !path) {
        snprintf(w->err, sizeof w->err, "out of memory");
        rc = -1;
    } else if (!fname) {
        rc = -1;
    } else {
        struct kc_err err = {""};
        if (kc_write_atomic(path, kc_buf_str(&out), out.len, &err) != 0) {
            snprintf(w->err, sizeof w->err, "%.*s", (int)sizeof w->err - 1,
                     err.msg);
            rc = -1;
        } else {
            w->files++;
        }
    }
    free(path);
    kc_buf_free(&out);
    clear_cells(w);
    return rc;
}

void kc_csv_writer_init(struct kc_csv_writer *w, const char *dir,
                        const char *stem, struct kc_sheet_sink *sink)
{
    memset(w, 0, sizeof *w);
    w->dir = dir;
    w->stem = stem;
    kc_strset_init(&w->used, 1);
    sink->ctx = w;
    sink->sheet_begin = on_sheet_begin;
    sink->cell = on_cell;
    sink->sheet_end = on_sheet_end;
}

const char *kc_csv_writer_last_name(const struct kc_csv_writer *w)
{
    return w && w->nnames ? w->names[w->nnames - 1] : NULL;
}

void kc_csv_writer_free(struct kc_csv_writer *w)
{
    if (!w)
        return;
    clear_cells(w);
    free(w->cells);
    free(w->sheet);
    kc_strset_free(&w->used);
    for (size_t i = 0; i < w->nnames; i++)
        free(w->names[i]);
    free(w->names);
    w->cells = NULL;
    w->sheet = NULL;
    w->names = NULL;
    w->cap = w->nnames = w->capnames = 0;
}
