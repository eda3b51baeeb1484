/* batch_fuzz_zipcheck.c - libFuzzer harness of batch/zipcheck.c, through
 * kc_zip_check_mem and kc_zip_scan. The first byte picks a mode: the input
 * as an archive, or one of four whole archives (made once with
 * tests/batchunit/zipmaker.h: plain, data descriptors, ZIP64, ZIP64 with
 * descriptors) damaged by the rest of the input (XOR at offsets, then a
 * truncation). Aborts when an invariant breaks:
 *   - a whole archive passes, and its members' bytes reach the visitor;
 *   - the verdict and the reason do not change from one run to the next;
 *   - a reason is given on failure, none is needed on success;
 *   - on success the visitor saw, for each member it asked for, exactly
 *     its declared size, begin/end balanced. */
#include "../batchunit/zipmaker.h"
#include "zipcheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIE(why, msg)                                                          \
    do {                                                                       \
        fprintf(stderr, "invariant broken: %s (%s)\n", why, msg);              \
        abort();                                                               \
    } while (0)

static unsigned char *seeds[4];
static size_t seed_len[4];

static void init(void)
{
    static char text[3000];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = (char)('a' + (i * 7) % 26);
    static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    struct zm_member m[] = {{"mimetype", mime, sizeof mime - 1, 0},
                            {"content.xml", text, sizeof text - 1, 1},
                            {"xl/workbook.xml", "<w/>", 4, 1},
                            {"empty", "", 0, 0}};
    for (int i = 0; i < 4; i++) {
        struct zm_opts o = {i >= 2, i % 2, 0};
        seeds[i] = zm_build(m, 4, &o, &seed_len[i]);
    }
}

struct seen {
    int open, begins, ends;
    unsigned long long want, got;
    int bad;
};

static int v_begin(void *ctx, const struct kc_zip_member *m, struct kc_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (s->open || m->name_len > 65535)
        s->bad = 1;
    if (m->encrypted)
        return 1; /* neither data nor end follow */
    s->open = 1;
    s->begins++;
    s->want = m->usize;
    s->got = 0;
    return 1;
}

static int v_data(void *ctx, const unsigned char *p, size_t n,
                  struct kc_err *err)
{
    (void)err;
    struct seen *s = ctx;
    volatile unsigned char sink = n ? p[n - 1] : 0; /* bytes readable */
    (void)sink;
    if (!s->open || n == 0 || n > 65536)
        s->bad = 1;
    s->got += n;
    return 0;
}

static int v_end(void *ctx, struct kc_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (!s->open || s->got != s->want)
        s->bad = 1;
    s->open = 0;
    s->ends++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!seeds[0])
        init();
    if (size == 0)
        return 0;
    int mode = data[0] % 5;
    unsigned char *buf;
    size_t len;
    if (mode == 0) {
        len = size - 1;
        buf = malloc(len ? len : 1);
        memcpy(buf, data + 1, len);
    } else {
        len = seed_len[mode - 1];
        buf = zm_copy(seeds[mode - 1], len);
        /* XOR at offsets: 3 bytes each (offset 16 bits, value) */
        size_t i = 1;
        for (; i + 3 <= size && i < 1 + 3 * 8; i += 3) {
            size_t off = ((size_t)data[i] << 8 | data[i + 1]) % len;
            buf[off] ^= data[i + 2];
        }
        if (i < size && data[i] < 64) /* sometimes cut */
            len = len * data[i] / 64;
        struct kc_err ke0 = {""};
        char *e0 = ke0.msg;
        if (size == 1 && kc_zip_check_mem(buf, len, NULL, NULL, &ke0) != 0)
            DIE("a whole archive fails", e0);
    }
    struct kc_err ke1 = {""}, ke2 = {""};
    char *e1 = ke1.msg, *e2 = ke2.msg;
    e1[0] = e2[0] = '\0';
    struct kc_zip_info info = {5, 5};
    int r1 = kc_zip_check_mem(buf, len, NULL, &info, &ke1);
    struct seen s = {0, 0, 0, 0, 0, 0};
    struct kc_zip_visitor vis = {&s, v_begin, v_data, v_end};
    struct kc_zip_limits lim = {1u << 20, 1u << 10, 50};
    int r2 = kc_zip_scan(buf, len, NULL, &vis, NULL, &ke2);
    if (r1 != r2 || (r1 != 0 && strcmp(e1, e2) != 0))
        DIE("two runs differ", e2);
    if (r1 != 0 && e1[0] == '\0')
        DIE("no reason", "");
    if (r1 == 0 && (info.odf_spreadsheet > 1 || info.ooxml_workbook > 1 ||
                    s.bad || s.open || s.begins != s.ends))
        DIE("the visitor saw wrong pieces", "");
    if (r1 != 0 && (info.odf_spreadsheet || info.ooxml_workbook))
        DIE("info set on failure", e1);
    /* tighter limits never turn a failure into a pass */
    if (kc_zip_check_mem(buf, len, &lim, NULL, &ke2) == 0 && r1 != 0)
        DIE("tighter limits pass", e1);
    free(buf);
    return 0;
}
