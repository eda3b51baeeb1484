/* The batch summary, as CSV or JSON. */
#include "summary.h"

#include "buf.h"
#include "county.h"
#include "fsutil.h"
#include "paths.h"
#include "sheetcsv.h"
#include "strset.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The fixed columns; no indicator column takes one of these names. */
static const char *const fixed[] = {"file",        "file_hex",   "status",
                                    "error_cells", "kpi_errors", "message"};

int kc_summary_format(const char *path)
{
    char ext[16];
    kc_extension(path, ext, sizeof ext);
    if (strcmp(ext, "csv") == 0)
        return 'c';
    if (strcmp(ext, "json") == 0)
        return 'j';
    return 0;
}

static const char *status_of(const struct kc_result *r)
{
    return r->state == KC_OK       ? "ok"
           : r->state == KC_FAILED ? "failed"
                                   : "not processed";
}

/* The message of R: its own, and for a workbook whose inputs are empty
 * a note saying so (its error cells are then formulas waiting for their
 * inputs, not mistakes). Uses TMP. */
static const char *message_of(const struct kc_result *r, struct kc_buf *tmp)
{
    char why[256];
    if (!kc_county_is_empty(r, why, sizeof why))
        return r->message ? r->message : "";
    kc_buf_clear(tmp);
    if (r->message && *r->message &&
        (kc_buf_adds(tmp, r->message) || kc_buf_adds(tmp, "; ")))
        return r->message;
    if (kc_buf_adds(tmp, why) != 0)
        return r->message ? r->message : "";
    if (r->error_cells > 0 &&
        kc_buf_addf(tmp,
                    "; its %ld error cells are formulas waiting for "
                    "their inputs",
                    r->error_cells) != 0)
        return r->message ? r->message : "";
    return kc_buf_str(tmp);
}

/* The columns of the indicators, and a row's indicators by column. */
struct table {
    const char **keys; /* distinct keys in the order first seen */
    char **cols;       /* the column name of each */
    size_t n;
    struct kc_strset index; /* key -> its position */
    const struct kc_kpi **row;
};

static void table_free(struct table *t)
{
    if (t->cols)
        for (size_t k = 0; k < t->n; k++)
            free(t->cols[k]);
    free(t->cols);
    free(t->keys);
    free(t->row);
    kc_strset_free(&t->index);
}

static int table_make(struct table *t, const struct kc_result *results,
                      size_t n)
{
    memset(t, 0, sizeof *t);
    kc_strset_init(&t->index, 0);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += results[i].kpis.n;
    t->keys = malloc((total ? total : 1) * sizeof *t->keys);
    if (!t->keys)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < results[i].kpis.n; j++) {
            const char *key = results[i].kpis.v[j].key;
            int added = kc_strset_add(&t->index, key, t->n);
            if (added < 0)
                return -1;
            if (added)
                t->keys[t->n++] = key;
        }
    t->cols = calloc(t->n ? t->n : 1, sizeof *t->cols);
    t->row = calloc(t->n ? t->n : 1, sizeof *t->row);
    if (!t->cols || !t->row)
        return -1;
    /* names: each key its own unless taken (ignoring case) by a fixed
     * column or an earlier key; then kpi_KEY, kpi_KEY_2, ... */
    struct kc_strset used;
    kc_strset_init(&used, 1);
    int rc = 0;
    for (size_t f = 0; f < sizeof fixed / sizeof *fixed && rc == 0; f++)
        rc = kc_strset_add(&used, fixed[f], 0) < 0 ? -1 : 0;
    for (size_t k = 0; k < t->n && rc == 0; k++)
        if (kc_strset_get(&used, t->keys[k]) == KC_STRSET_NONE) {
            t->cols[k] = strdup(t->keys[k]);
            rc = !t->cols[k] || kc_strset_add(&used, t->cols[k], 0) < 0;
        }
    for (size_t k = 0; k < t->n && rc == 0; k++) {
        if (t->cols[k])
            continue;
        size_t len = strlen(t->keys[k]) + 32;
        char *c = malloc(len);
        if (!c) {
            rc = -1;
            break;
        }
        snprintf(c, len, "kpi_%s", t->keys[k]);
        for (unsigned long m = 2; kc_strset_get(&used, c) != KC_STRSET_NONE;
             m++)
            snprintf(c, len, "kpi_%s_%lu", t->keys[k], m);
        t->cols[k] = c;
        rc = kc_strset_add(&used, c, 0) < 0;
    }
    kc_strset_free(&used);
    return rc ? -1 : 0;
}

/* Puts R's indicators in T->row by column (the first of a repeated key). */
static void row_fill(struct table *t, const struct kc_result *r)
{
    for (size_t j = 0; j < r->kpis.n; j++) {
        size_t k = kc_strset_get(&t->index, r->kpis.v[j].key);
        if (k != KC_STRSET_NONE && !t->row[k])
            t->row[k] = &r->kpis.v[j];
    }
}

static void row_clear(struct table *t, const struct kc_result *r)
{
    for (size_t j = 0; j < r->kpis.n; j++) {
        size_t k = kc_strset_get(&t->index, r->kpis.v[j].key);
        if (k != KC_STRSET_NONE)
            t->row[k] = NULL;
    }
}

/* One CSV field of the text S, with invalid UTF-8 replaced; unless RAW,
 * a text that a spreadsheet would run as a formula (=, +, -, @, tab, CR
 * first: CSV injection) gets a leading apostrophe, as OWASP recommends. */
static int csv_text(struct kc_buf *b, struct kc_buf *tmp, const char *s,
                    int raw)
{
    kc_buf_clear(tmp);
    const char *p = s ? s : "";
    if ((!raw && kc_csv_formula_like(p) && kc_buf_addc(tmp, '\'') != 0) ||
        kc_utf8_add(tmp, p, strlen(p)) != 0)
        return -1;
    return kc_csv_field(b, kc_buf_str(tmp));
}

static int write_csv(struct kc_buf *b, const char *const *files,
                     const struct kc_result *results, size_t n, struct table *t,
                     int raw)
{
    struct kc_buf tmp = {0}, errs = {0}, msg = {0};
    int rc = kc_buf_adds(b, KC_UTF8_BOM "file,status,error_cells");
    for (size_t k = 0; k < t->n; k++)
        rc |= kc_buf_addc(b, ',') | csv_text(b, &tmp, t->cols[k], raw);
    rc |= kc_buf_adds(b, ",kpi_errors,message\n");
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct kc_result *r = &results[i];
        row_fill(t, r);
        rc |= csv_text(b, &tmp, files[i], raw);
        rc |= kc_buf_addf(b, ",%s,", status_of(r));
        if (r->state == KC_OK && r->error_cells >= 0)
            rc |= kc_buf_addf(b, "%ld", r->error_cells);
        kc_buf_clear(&errs);
        for (size_t k = 0; k < t->n; k++) {
            const struct kc_kpi *kp = t->row[k];
            rc |= kc_buf_addc(b, ',');
            if (!kp)
                continue;
            if (kp->type == KC_KPI_ERROR)
                rc |= kc_buf_adds(&errs, errs.len ? "; " : "") |
                      kc_buf_adds(&errs, t->cols[k]) | kc_buf_addc(&errs, '=') |
                      kc_buf_adds(&errs, kp->value);
            else if (kp->type != KC_KPI_EMPTY)
                /* numbers, dates and truth values are values, not text */
                rc |= csv_text(b, &tmp, kp->value,
                               raw || kp->type != KC_KPI_STRING);
        }
        rc |= kc_buf_addc(b, ',') | csv_text(b, &tmp, kc_buf_str(&errs), raw);
        rc |= kc_buf_addc(b, ',') | csv_text(b, &tmp, message_of(r, &msg), raw);
        rc |= kc_buf_addc(b, '\n');
        row_clear(t, r);
    }
    kc_buf_free(&tmp);
    kc_buf_free(&errs);
    kc_buf_free(&msg);
    return rc ? -1 : 0;
}

static int json_value(struct kc_buf *b, const struct kc_kpi *kp)
{
    if (!kp || kp->type == KC_KPI_EMPTY || kp->type == KC_KPI_ERROR)
        return kc_buf_adds(b, "null");
    if (kp->type == KC_KPI_NUMBER && kc_is_json_number(kp->value))
        return kc_buf_adds(b, kp->value);
    if (kp->type == KC_KPI_BOOL)
        return kc_buf_adds(b,
                           strcmp(kp->value, "TRUE") == 0 ? "true" : "false");
    return kc_json_string(b, kp->value);
}

static int write_json(struct kc_buf *b, const char *const *files,
                      const struct kc_result *results, size_t n,
                      struct table *t)
{
    struct kc_buf msg = {0};
    int rc = kc_buf_adds(b, "[");
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct kc_result *r = &results[i];
        const char *file = files[i] ? files[i] : "";
        row_fill(t, r);
        rc |= kc_buf_adds(b, i ? ",\n  {" : "\n  {");
        rc |= kc_buf_adds(b, "\"file\": ") | kc_json_string(b, file);
        if (!kc_utf8_valid(file, strlen(file)))
            rc |= kc_buf_adds(b, ", \"file_hex\": \"") | kc_hex_add(b, file) |
                  kc_buf_addc(b, '"');
        rc |=
            kc_buf_adds(b, ", \"status\": ") | kc_json_string(b, status_of(r));
        if (r->state == KC_OK && r->error_cells >= 0)
            rc |= kc_buf_addf(b, ", \"error_cells\": %ld", r->error_cells);
        else
            rc |= kc_buf_adds(b, ", \"error_cells\": null");
        for (size_t k = 0; k < t->n; k++)
            rc |= kc_buf_adds(b, ", ") | kc_json_string(b, t->cols[k]) |
                  kc_buf_adds(b, ": ") | json_value(b, t->row[k]);
        rc |= kc_buf_adds(b, ", \"kpi_errors\": {");
        int first = 1;
        for (size_t k = 0; k < t->n; k++)
            if (t->row[k] && t->row[k]->type == KC_KPI_ERROR) {
                rc |= kc_buf_adds(b, first ? "" : ", ") |
                      kc_json_string(b, t->cols[k]) | kc_buf_adds(b, ": ") |
                      kc_json_string(b, t->row[k]->value);
                first = 0;
            }
        rc |= kc_buf_adds(b, "}, \"message\": ") |
              kc_json_string(b, message_of(r, &msg));
        rc |= kc_buf_adds(b, "}");
        row_clear(t, r);
    }
    rc |= kc_buf_adds(b, n ? "\n]\n" : "]\n");
    kc_buf_free(&msg);
    return rc ? -1 : 0;
}

int kc_summary_render(struct kc_buf *out, int fmt, const char *const *files,
                      const struct kc_result *results, size_t n, int raw,
                      struct kc_err *err)
{
    if ((fmt != 'c' && fmt != 'j') || (n && (!files || !results))) {
        kc_err_set(err, "the summary must be a .csv or .json file");
        return -1;
    }
    struct table t;
    int rc = table_make(&t, results, n);
    if (rc == 0)
        rc = fmt == 'c' ? write_csv(out, files, results, n, &t, raw)
                        : write_json(out, files, results, n, &t);
    table_free(&t);
    if (rc != 0)
        kc_err_set(err, "out of memory");
    return rc;
}

/* A name for a temporary file beside PATH that no other run, here or on
 * another machine sharing the folder, is likely to pick. */
static char *temp_name(const char *dir, const char *path)
{
    unsigned long long r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
        r = (unsigned long long)time(NULL) * 0x9E3779B97F4A7C15ULL ^
            (unsigned long long)clock();
    size_t n = strlen(dir) + strlen(kc_basename(path)) + 64;
    char *tmp = malloc(n);
    if (tmp)
        snprintf(tmp, n, "%s/.%s.kpicalc-%ld-%016llx.tmp", dir,
                 kc_basename(path), (long)getpid(), r);
    return tmp;
}

/* 1 when the file at FD holds exactly DATA[0..LEN). */
static int reads_back(int fd, const char *data, size_t len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size != len)
        return 0;
    char chunk[65536];
    size_t off = 0;
    while (off < len) {
        size_t want = len - off < sizeof chunk ? len - off : sizeof chunk;
        ssize_t got = pread(fd, chunk, want, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0 || memcmp(chunk, data + off, (size_t)got) != 0)
            return 0;
        off += (size_t)got;
    }
    return 1;
}

/* Writes DATA to a new temporary file beside PATH, checks it, renames it
 * to PATH. 0, or -1 with the reason in WHY (and no temporary file left). */
static int write_checked(const char *path, const char *dir, const char *data,
                         size_t len, struct kc_err *err)
{
    char *tmp = NULL;
    int fd = -1;
    for (int attempt = 0; attempt < 8 && fd < 0; attempt++) {
        free(tmp);
        if (!(tmp = temp_name(dir, path))) {
            kc_err_set(err, "out of memory");
            return -1;
        }
        fd =
            open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        kc_err_set(err, "%s", strerror(errno));
        free(tmp);
        return -1;
    }
    int ok = 1;
    size_t off = 0;
    while (ok && off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            kc_err_set(err, "%s", strerror(errno));
            ok = 0;
        } else if (w == 0) {
            kc_err_set(err, "short write: %zu of %zu bytes written", off, len);
            ok = 0;
        } else {
            off += (size_t)w;
        }
    }
    if (ok && fsync(fd) != 0) {
        kc_err_sys(err, "cannot flush it to disk");
        ok = 0;
    }
    if (ok && !reads_back(fd, data, len)) {
        kc_err_set(err, "the file written does not read back whole");
        ok = 0;
    }
    if (close(fd) != 0 && ok) {
        kc_err_set(err, "%s", strerror(errno));
        ok = 0;
    }
    if (ok && rename(tmp, path) != 0) {
        kc_err_set(err, "%s", strerror(errno));
        ok = 0;
    }
    if (!ok) {
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    if (kc_fsync_path(dir) != 0) {
        kc_err_sys(err, "cannot flush the folder %s", dir);
        return -1;
    }
    return 0;
}

int kc_summary_write(const char *path, const char *const *files,
                     const struct kc_result *results, size_t n, int raw,
                     struct kc_err *err)
{
    int fmt = path ? kc_summary_format(path) : 0;
    if (!fmt) {
        kc_err_set(err, "the summary must be a .csv or .json file");
        return -1;
    }
    struct kc_buf b = {0};
    if (kc_summary_render(&b, fmt, files, results, n, raw, err) != 0) {
        kc_buf_free(&b);
        return -1;
    }
    char *dir = kc_dirname(path);
    int rc = -1;
    if (!dir)
        kc_err_set(err, "out of memory");
    else if (kc_mkdirs(dir, 0755, err) == 0)
        rc = write_checked(path, dir, kc_buf_str(&b), b.len, err);
    if (rc != 0)
        kc_err_wrap(err, "cannot write %s: ", path);
    free(dir);
    kc_buf_free(&b);
    return rc;
}
