/* Writes each sheet of a workbook as its own CSV file. */
#include "sheetcsv.h"

#include "buf.h"
#include "fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!cell->text || !*cell->text)
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
    if (!(w->cells[w->n].text = strdup(cell->text))) {
        snprintf(w->err, sizeof w->err, "out of memory");
        return -1;
    }
    w->n++;
    return 0;
}

/* A sheet name made safe as part of a file name. */
static char *safe_name(const char *name)
{
    char *s = strdup(name);
    if (!s)
        return NULL;
    for (char *p = s; *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '_';
    if (s[0] == '.')
        s[0] = '_';
    return s;
}

static int on_sheet_end(void *ctx)
{
    struct kc_csv_writer *w = ctx;
    long width = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->cells[i].col + 1 > width)
            width = w->cells[i].col + 1;
    struct kc_buf out = {0};
    long row = 0;
    int rc = w->bom ? kc_buf_adds(&out, KC_UTF8_BOM) : 0;
    for (size_t i = 0; i < w->n && rc == 0;) {
        long r = w->cells[i].row;
        for (; row < r && rc == 0; row++) /* empty rows in between */
            for (long c = 1; c <= width; c++)
                rc |= kc_buf_adds(&out, c < width ? "," : "\n");
        long col = 0;
        for (; i < w->n && w->cells[i].row == r && rc == 0; i++) {
            for (; col < w->cells[i].col; col++)
                rc |= kc_buf_addc(&out, ',');
            rc |= kc_csv_field(&out, w->cells[i].text);
        }
        for (; col + 1 < width && rc == 0; col++)
            rc |= kc_buf_addc(&out, ',');
        rc |= kc_buf_addc(&out, '\n');
        row = r + 1;
    }
    char *safe = safe_name(w->sheet ? w->sheet : "Sheet");
    size_t n = strlen(w->stem) + (safe ? strlen(safe) : 0) + 8;
    char *fname = malloc(n);
    char *path = NULL;
    if (rc != 0 || !safe || !fname) {
        snprintf(w->err, sizeof w->err, "out of memory");
        rc = -1;
    } else {
        snprintf(fname, n, "%s-%s.csv", w->stem, safe);
        path = kc_path_join(w->dir, fname);
        char err[400];
        if (!path) {
            snprintf(w->err, sizeof w->err, "out of memory");
            rc = -1;
        } else if (kc_write_atomic(path, kc_buf_str(&out), out.len, err,
                                   sizeof err) != 0) {
            snprintf(w->err, sizeof w->err, "%s", err);
            rc = -1;
        } else {
            w->files++;
        }
    }
    free(safe);
    free(fname);
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
    sink->ctx = w;
    sink->sheet_begin = on_sheet_begin;
    sink->cell = on_cell;
    sink->sheet_end = on_sheet_end;
}

void kc_csv_writer_free(struct kc_csv_writer *w)
{
    if (!w)
        return;
    clear_cells(w);
    free(w->cells);
    free(w->sheet);
    w->cells = NULL;
    w->sheet = NULL;
    w->cap = 0;
}
