/* batch_fuzz_proto.c - libFuzzer harness of batch/proto.c, the records
 * between kpicalc and its workers, through kc_rec_field and kc_rec_split.
 * Two halves of every input:
 *   1. as a received line (any bytes up to the first LF, a NUL ends it as
 *      it ends a C string): kc_rec_split returns -1 or 1..MAX fields, each
 *      at most as long as the line, and never writes past it; a line of
 *      MAX+1 fields is refused; a line that splits re-encodes (kc_rec_field)
 *      to a record that splits to the same fields;
 *   2. as fields to send (split at NUL bytes): the record built from them
 *      holds one LF, at its end, no TAB but between fields, and splits back
 *      to exactly those fields. */
#include "proto.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX 16

#define DIE(why)                                                               \
    do {                                                                       \
        fprintf(stderr, "invariant broken: %s\n", why);                        \
        abort();                                                               \
    } while (0)

/* Builds a record of the N fields F; checks its shape; returns it (without
 * its LF, NUL-terminated) or NULL when out of memory. */
static char *build(char **f, int n)
{
    struct kc_buf b = {0};
    for (int i = 0; i < n; i++)
        if (kc_rec_field(&b, f[i]) != 0) {
            kc_buf_free(&b);
            return NULL;
        }
    if (kc_rec_end(&b) != 0) {
        kc_buf_free(&b);
        return NULL;
    }
    int tabs = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.p[i] == '\n' && i + 1 != b.len)
            DIE("an LF inside a record");
        tabs += b.p[i] == '\t';
    }
    if (b.len == 0 || b.p[b.len - 1] != '\n')
        DIE("a record without its LF");
    if (tabs != n - 1)
        DIE("a TAB inside a field");
    b.p[b.len - 1] = '\0';
    return b.p;
}

static void same_fields(char **a, int na, char **b, int nb)
{
    if (na != nb)
        DIE("not as many fields after a round trip");
    for (int i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            DIE("a field changed in a round trip");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* 1. a received line */
    size_t ll = 0;
    while (ll < size && data[ll] != '\n' && data[ll] != '\0')
        ll++;
    char *line = malloc(ll + 1);
    if (!line)
        return 0;
    memcpy(line, data, ll);
    line[ll] = '\0';
    char *f[MAX + 1];
    int n = kc_rec_split(line, f, MAX);
    if (n != -1 && (n < 1 || n > MAX))
        DIE("a field count out of range");
    if (n > 0) {
        for (int i = 0; i < n; i++)
            if (f[i] < line || f[i] + strlen(f[i]) > line + ll)
                DIE("a field outside the line");
        char *again = build(f, n);
        if (again) {
            char *g[MAX + 1];
            int m = kc_rec_split(again, g, MAX);
            same_fields(f, n, g, m);
            free(again);
        }
    }
    free(line);

    /* 2. fields to send: the input cut at NUL bytes */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *in[MAX];
    int k = 0;
    for (char *s = copy; k < MAX;) {
        in[k++] = s;
        char *z = memchr(s, '\0', (size_t)(copy + size - s));
        if (!z || z == copy + size)
            break;
        s = z + 1;
    }
    char *rec = build(in, k);
    if (rec) {
        char *out[MAX + 1];
        int m = kc_rec_split(rec, out, MAX);
        same_fields(in, k, out, m);
        /* one field fewer allowed: refused, never cut */
        if (k > 1) {
            char *rec2 = build(in, k);
            if (rec2 && kc_rec_split(rec2, out, k - 1) != -1)
                DIE("a record with too many fields was not refused");
            free(rec2);
        }
        free(rec);
    }
    free(copy);
    return 0;
}
