/* The batch summary, as CSV or JSON. */
#include "summary.h"

#include "buf.h"
#include "fsutil.h"
#include "paths.h"
#include "sheetcsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fixed[] = {"file", "status", "error_cells", "message"};

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

/* The column name for an indicator key (never one of the fixed ones). */
static void column_name(const char *key, char *out, size_t n)
{
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (strcmp(key, fixed[i]) == 0) {
            snprintf(out, n, "kpi_%s", key);
            return;
        }
    snprintf(out, n, "%s", key);
}

/* The keys of all results, in the order first seen. */
static int collect_keys(const struct kc_result *results, size_t n,
                        const char ***keys, size_t *nkeys)
{
    size_t cap = 16, k = 0;
    const char **v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < results[i].kpis.n; j++) {
            const char *key = results[i].kpis.v[j].key;
            int seen = 0;
            for (size_t m = 0; m < k && !seen; m++)
                seen = strcmp(v[m], key) == 0;
            if (seen)
                continue;
            if (k == cap) {
                const char **w = realloc(v, cap * 2 * sizeof *v);
                if (!w) {
                    free(v);
                    return -1;
                }
                v = w;
                cap *= 2;
            }
            v[k++] = key;
        }
    }
    *keys = v;
    *nkeys = k;
    return 0;
}

static const struct kc_kpi *find_kpi(const struct kc_result *r, const char *key)
{
    for (size_t j = 0; j < r->kpis.n; j++)
        if (strcmp(r->kpis.v[j].key, key) == 0)
            return &r->kpis.v[j];
    return NULL;
}

static int write_csv(struct kc_buf *b, const char *const *files,
                     const struct kc_result *results, size_t n,
                     const char **keys, size_t nkeys)
{
    int rc = kc_buf_adds(b, "file,status,error_cells");
    char col[128];
    for (size_t k = 0; k < nkeys; k++) {
        column_name(keys[k], col, sizeof col);
        rc |= kc_buf_addc(b, ',') | kc_csv_field(b, col);
    }
    rc |= kc_buf_adds(b, ",message\n");
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct kc_result *r = &results[i];
        rc |= kc_csv_field(b, files[i]);
        rc |= kc_buf_addf(b, ",%s,", status_of(r));
        if (r->state == KC_OK && r->error_cells >= 0)
            rc |= kc_buf_addf(b, "%ld", r->error_cells);
        for (size_t k = 0; k < nkeys; k++) {
            const struct kc_kpi *kp = find_kpi(r, keys[k]);
            rc |= kc_buf_addc(b, ',');
            if (kp)
                rc |= kc_csv_field(b, kp->value);
        }
        rc |= kc_buf_addc(b, ',');
        rc |= kc_csv_field(b, r->message ? r->message : "");
        rc |= kc_buf_addc(b, '\n');
    }
    return rc ? -1 : 0;
}

/* 1 when S is a number as JSON writes them. */
static int json_number(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static int json_value(struct kc_buf *b, const struct kc_kpi *kp)
{
    if (!kp || kp->type == KC_KPI_EMPTY)
        return kc_buf_adds(b, "null");
    if (kp->type == KC_KPI_NUMBER && json_number(kp->value))
        return kc_buf_adds(b, kp->value);
    if (kp->type == KC_KPI_BOOL)
        return kc_buf_adds(b,
                           strcmp(kp->value, "TRUE") == 0 ? "true" : "false");
    return kc_buf_json_string(b, kp->value);
}

static int write_json(struct kc_buf *b, const char *const *files,
                      const struct kc_result *results, size_t n,
                      const char **keys, size_t nkeys)
{
    int rc = kc_buf_adds(b, "[");
    char col[128];
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct kc_result *r = &results[i];
        rc |= kc_buf_adds(b, i ? ",\n  {" : "\n  {");
        rc |= kc_buf_adds(b, "\"file\": ") | kc_buf_json_string(b, files[i]);
        rc |= kc_buf_adds(b, ", \"status\": ") |
              kc_buf_json_string(b, status_of(r));
        if (r->state == KC_OK && r->error_cells >= 0)
            rc |= kc_buf_addf(b, ", \"error_cells\": %ld", r->error_cells);
        else
            rc |= kc_buf_adds(b, ", \"error_cells\": null");
        for (size_t k = 0; k < nkeys; k++) {
            column_name(keys[k], col, sizeof col);
            rc |= kc_buf_adds(b, ", ") | kc_buf_json_string(b, col) |
                  kc_buf_adds(b, ": ") | json_value(b, find_kpi(r, keys[k]));
        }
        rc |= kc_buf_adds(b, ", \"message\": ") |
              kc_buf_json_string(b, r->message ? r->message : "");
        rc |= kc_buf_adds(b, "}");
    }
    rc |= kc_buf_adds(b, n ? "\n]\n" : "]\n");
    return rc ? -1 : 0;
}

int kc_summary_write(const char *path, const char *const *files,
                     const struct kc_result *results, size_t n, int bom,
                     char *err, size_t errsz)
{
    int fmt = kc_summary_format(path);
    if (!fmt || (n && (!files || !results))) {
        snprintf(err, errsz, "the summary must be a .csv or .json file");
        return -1;
    }
    const char **keys = NULL;
    size_t nkeys = 0;
    if (collect_keys(results, n, &keys, &nkeys) != 0) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    struct kc_buf b = {0};
    int rc = fmt == 'c' && bom ? kc_buf_adds(&b, KC_UTF8_BOM) : 0;
    if (rc == 0)
        rc = fmt == 'c' ? write_csv(&b, files, results, n, keys, nkeys)
                        : write_json(&b, files, results, n, keys, nkeys);
    free(keys);
    if (rc != 0) {
        kc_buf_free(&b);
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    char *dir = kc_dirname(path);
    if (!dir || kc_mkdirs(dir, 0755, err, errsz) != 0) {
        free(dir);
        kc_buf_free(&b);
        return -1;
    }
    free(dir);
    rc = kc_write_atomic(path, kc_buf_str(&b), b.len, err, errsz);
    kc_buf_free(&b);
    return rc;
}
