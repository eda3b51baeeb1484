/* kpi_tsv.h - reading the reference tables (tests/reference/ tables) in the
 * unit tests: tab-separated fields, comma-separated lists of doubles ("-"
 * for "not given"), status names, and a closeness check with an absolute
 * floor at zero. */
#ifndef KPI_TSV_H
#define KPI_TSV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_status.h"
#include "kpi_test.h"

typedef struct dlist {
    double *v;
    size_t n;
    int null; /* "-": not given */
} dlist;

static inline void parse_list(const char *s, dlist *d)
{
    d->v = NULL;
    d->n = 0;
    d->null = strcmp(s, "-") == 0;
    if (d->null || !*s)
        return;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    d->v = malloc(cap * sizeof *d->v);
    if (!d->v)
        abort();
    const char *p = s;
    while (*p) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || (*end != ',' && *end != '\0')) {
            fprintf(stderr, "bad list in table: '%s'\n", s);
            CHECK(0); /* a malformed list fails, it is not read as 0 */
            break;
        }
        d->v[d->n++] = v;
        p = *end == ',' ? end + 1 : end;
    }
}

static inline int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    }
    return n;
}

static inline int status_of(const char *s)
{
    if (!strcmp(s, "OK"))
        return KPI_OK;
    if (!strcmp(s, "EDIV0"))
        return KPI_EDIV0;
    if (!strcmp(s, "ENUM"))
        return KPI_ENUM;
    if (!strcmp(s, "EVALUE"))
        return KPI_EVALUE;
    return -1;
}

#define CHECK_NEAR(got, want, rel)                                             \
    do {                                                                       \
        if ((want) == 0.0)                                                     \
            CHECK_ABS(got, want, 1e-300);                                      \
        else                                                                   \
            CHECK_CLOSE(got, want, rel);                                       \
    } while (0)

/* A number of a table cell; a malformed one fails the test. */
static inline double tsv_num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0') {
        fprintf(stderr, "bad number in table: '%s'\n", s);
        CHECK(0);
    }
    return v;
}

/* Whether a '#' comment line of the table contains text (e.g. the name of
 * the script that generated it). */
static inline int tsv_comment_has(const char *path, const char *text)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int found = 0;
    if (!fp)
        return 0;
    while (!found && getline(&line, &cap, fp) != -1)
        found = line[0] == '#' && strstr(line, text) != NULL;
    free(line);
    fclose(fp);
    return found;
}

/* Reads the data rows of a table (skipping '#' comments, empty lines and the
 * header line, whose first field is header0), checks each has nfields
 * fields and calls fn on it; a row whose checks fail is named on stderr.
 * Returns the number of data rows, or -1 when the file cannot be opened. */
static inline int tsv_for_rows(const char *path, const char *header0,
                               int nfields, void (*fn)(char **f))
{
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int rows = 0;
    if (!fp) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n",
                path);
        return -1;
    }
    while (getline(&line, &cap, fp) != -1) {
        char *f[16];
        int n;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        n = split_tabs(line, f, 16);
        if (strcmp(f[0], header0) == 0)
            continue;
        if (n != nfields) {
            fprintf(stderr, "%s: row with %d fields, want %d\n", path, n,
                    nfields);
            CHECK(0);
            continue;
        }
        {
            int before = kpi_test_failed;
            fn(f);
            if (kpi_test_failed != before)
                fprintf(stderr, "  ^ in %s row %d (case %s)\n", path, rows + 1,
                        f[0]);
        }
        rows++;
    }
    free(line);
    fclose(fp);
    return rows;
}

#endif
