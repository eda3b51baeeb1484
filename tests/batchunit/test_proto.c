/* Unit tests of batch/proto.c: the records between kpicalc and its
 * workers (escapes, the empty first field, too many fields, bad escapes,
 * kc_rec_fieldf beyond its small buffer, kc_write_all). */
#include "kpi_test.h"
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The record of the N fields F, without its LF (malloc'd). */
static char *record(const char *const *f, int n)
{
    struct kc_buf b = {0};
    for (int i = 0; i < n; i++)
        kc_rec_field(&b, f[i]);
    kc_rec_end(&b);
    if (!b.p || b.len == 0 || b.p[b.len - 1] != '\n') {
        kc_buf_free(&b);
        return NULL;
    }
    b.p[b.len - 1] = '\0';
    return b.p;
}

static int round_trip(const char *const *f, int n)
{
    char *r = record(f, n);
    char *got[16];
    int m = r ? kc_rec_split(r, got, 16) : -1;
    int same = m == n;
    for (int i = 0; same && i < n; i++)
        same = strcmp(got[i], f[i]) == 0;
    free(r);
    return same;
}

/* kc_rect_next: a list of rectangles, its end, and every malformed one. */
static void test_rects(void)
{
    const char *p = "1:0:1:0:1;1:4:5:8:9";
    int r[5];
    CHECK_EQ_INT(kc_rect_next(&p, r), 1);
    CHECK(r[0] == 1 && r[1] == 0 && r[2] == 1 && r[3] == 0 && r[4] == 1);
    CHECK_EQ_INT(kc_rect_next(&p, r), 1);
    CHECK(r[0] == 1 && r[1] == 4 && r[2] == 5 && r[3] == 8 && r[4] == 9);
    CHECK_EQ_INT(kc_rect_next(&p, r), 0);
    CHECK_EQ_INT(kc_rect_next(&p, r), 0);
    const char *bad[] = {"1:0:1",       "1:0:1:0:x",   "-1:0:0:0:0",
                         "+1:0:0:0:0",  "1:0:5:0:4",   "1:3:0:2:0",
                         "1:0:1:0:1,2", "1:0:1:0:1 ",  "99999999999:0:0:0:0",
                         ":0:0:0:0",    "1:0:1:0:1;x", "1;0;1;0;1"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        const char *q = bad[k];
        int got;
        while ((got = kc_rect_next(&q, r)) == 1)
            ;
        if (got != -1)
            fprintf(stderr, "  accepted: %s\n", bad[k]);
        CHECK_EQ_INT(got, -1);
    }
}

int main(void)
{
    test_rects();
    /* plain fields, TAB-separated */
    const char *plain[] = {"RES", "12", "ok", "3", "", "note"};
    char *r = record(plain, 6);
    CHECK(r && strcmp(r, "RES\t12\tok\t3\t\tnote") == 0);
    free(r);
    CHECK(round_trip(plain, 6));

    /* every escape */
    const char *esc[] = {"a\tb", "c\nd", "e\rf", "g\\h", "\\t"};
    r = record(esc, 5);
    CHECK(r && strcmp(r, "a\\tb\tc\\nd\te\\rf\tg\\\\h\t\\\\t") == 0);
    CHECK(r && !strchr(r, '\n'));
    free(r);
    CHECK(round_trip(esc, 5));

    /* an empty first field keeps its place (it was lost before: "" then
     * "x" made the record "x", one field) */
    const char *empty_first[] = {"", "x"};
    r = record(empty_first, 2);
    CHECK(r && strcmp(r, "\\e\tx") == 0);
    free(r);
    CHECK(round_trip(empty_first, 2));
    const char *empties[] = {"", "", ""};
    CHECK(round_trip(empties, 3));
    const char *one_empty[] = {""};
    CHECK(round_trip(one_empty, 1));
    /* NULL is an empty field */
    struct kc_buf b = {0};
    CHECK_EQ_INT(kc_rec_field(&b, NULL), 0);
    CHECK_EQ_INT(kc_rec_field(&b, "y"), 0);
    CHECK(b.p && strcmp(b.p, "\\e\ty") == 0);
    kc_buf_free(&b);

    /* splitting: limits and bad escapes */
    char *f[4];
    char line1[] = "a\tb\tc";
    CHECK_EQ_INT(kc_rec_split(line1, f, 4), 3);
    CHECK(strcmp(f[2], "c") == 0);
    char line2[] = "a\tb\tc\td\te";
    CHECK_EQ_INT(kc_rec_split(line2, f, 4), -1); /* too many: refused */
    char line3[] = "a\\qb";
    CHECK_EQ_INT(kc_rec_split(line3, f, 4), -1); /* unknown escape */
    char line4[] = "trailing\\";
    CHECK_EQ_INT(kc_rec_split(line4, f, 4), -1); /* escape at the end */
    char line5[] = "";
    CHECK_EQ_INT(kc_rec_split(line5, f, 4), 1);
    CHECK(f[0][0] == '\0');
    char line6[] = "x\t";
    CHECK_EQ_INT(kc_rec_split(line6, f, 4), 2);
    CHECK(strcmp(f[0], "x") == 0 && f[1][0] == '\0');
    CHECK_EQ_INT(kc_rec_split(NULL, f, 4), -1);
    CHECK_EQ_INT(kc_rec_split(line1, f, 0), -1);

    /* kc_rec_fieldf: short and longer than its 256-byte buffer */
    b = (struct kc_buf){0};
    CHECK_EQ_INT(kc_rec_fieldf(&b, "%d-%s", 7, "x"), 0);
    char big[600];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_EQ_INT(kc_rec_fieldf(&b, "%s\t", big), 0);
    CHECK_EQ_INT(kc_rec_end(&b), 0);
    b.p[b.len - 1] = '\0';
    CHECK_EQ_INT(kc_rec_split(b.p, f, 4), 2);
    CHECK(strcmp(f[0], "7-x") == 0);
    CHECK(strlen(f[1]) == sizeof big && f[1][sizeof big - 1] == '\t');
    kc_buf_free(&b);
    CHECK_EQ_INT(kc_rec_field(NULL, "x"), -1);

    /* kc_write_all through a pipe, and to a closed descriptor */
    int p[2];
    CHECK_EQ_INT(pipe(p), 0);
    CHECK_EQ_INT(kc_write_all(p[1], "hello\n", 6), 0);
    char got[8] = "";
    CHECK_EQ_INT(read(p[0], got, sizeof got), 6);
    CHECK(memcmp(got, "hello\n", 6) == 0);
    close(p[0]);
    close(p[1]);
    CHECK_EQ_INT(kc_write_all(p[1], "x", 1), -1);
    return kpi_test_report("batch proto");
}
