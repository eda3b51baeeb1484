/* batch_fuzz_outcheck.c - libFuzzer harness of batch/outcheck.c, through
 * kc_output_check_mem and the streaming XML checker. The first byte picks
 * a format; the rest is the file, given a plausible start for the formats
 * that need one (an OLE2 header for xls, %PDF- and a trailer for pdf, a
 * whole ODF archive damaged by the input for ods). Aborts when an
 * invariant breaks:
 *   - the verdict and the reason do not change from one run to the next,
 *     and a failure always has a reason;
 *   - the XML checker gives the same verdict and reason whether a document
 *     comes whole or in pieces of any sizes (the second byte picks them);
 *   - fods and the XML checker agree: a fods that passes is well-formed;
 *   - a whole ODF archive passes. */
#include "../batchunit/zipmaker.h"
#include "outcheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIE(why, msg)                                                          \
    do {                                                                       \
        fprintf(stderr, "invariant broken: %s (%s)\n", why, msg);              \
        abort();                                                               \
    } while (0)

static const char *const fmts[] = {"ods", "xlsx", "fods", "xls", "pdf", "csv"};

static unsigned char *ods;
static size_t ods_len;

static void init(void)
{
    static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    static const char content[] =
        "<?xml version=\"1.0\"?><office:document-content a=\"1\" b='2'>"
        "<t>x &amp; y &#x4E2D;</t><!-- c --><![CDATA[<>]]><e/>"
        "</office:document-content>";
    struct zm_member m[] = {{"mimetype", mime, sizeof mime - 1, 0},
                            {"content.xml", content, sizeof content - 1, 1},
                            {"styles.xml", "<s/>", 4, 1},
                            {"META-INF/manifest.xml", "<m/>", 4, 0}};
    struct zm_opts o = {0, 1, 0};
    ods = zm_build(m, 4, &o, &ods_len);
}

/* Feeds N bytes at P to a new XML checker in pieces picked by SEED (0:
 * whole). */
static int xml_pieces(const unsigned char *p, size_t n, unsigned seed,
                      struct kc_err *err, char *root, size_t rootsz)
{
    struct kc_xml *x = kc_xml_new();
    if (!x)
        abort();
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        seed = seed * 1103515245u + 12345u;
        size_t k =
            seed == 12345u || seed % 4 == 0 ? n - i : 1 + (seed >> 16) % 7;
        if (k > n - i)
            k = n - i;
        rc = kc_xml_feed(x, p + i, k, err);
        i += k;
    }
    if (rc == 0)
        rc = kc_xml_finish(x, err);
    snprintf(root, rootsz, "%s", kc_xml_root(x));
    kc_xml_free(x);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ods)
        init();
    if (size < 2)
        return 0;
    int f = data[0] % 7;
    unsigned seed = data[1];
    data += 2;
    size -= 2;
    unsigned char *buf = NULL;
    size_t len = 0;
    const char *fmt = fmts[f % 6];
    if (f == 6) { /* a whole ODF archive damaged by the input */
        fmt = "ods";
        buf = zm_copy(ods, ods_len);
        len = ods_len;
        for (size_t i = 0; i + 3 <= size && i < 3 * 6; i += 3)
            buf[((size_t)data[i] << 8 | data[i + 1]) % len] ^= data[i + 2];
        struct kc_err ke0 = {""};
        char *e0 = ke0.msg;
        if (size == 0 && kc_output_check_mem(buf, len, fmt, &ke0))
            DIE("a whole ODF archive fails", e0);
    } else if (f == 3) { /* an OLE2 header, the input from offset 0x2C */
        len = 512 + size;
        buf = calloc(1, len);
        static const unsigned char hd[] = {0xd0, 0xcf, 0x11, 0xe0,
                                           0xa1, 0xb1, 0x1a, 0xe1};
        memcpy(buf, hd, 8);
        buf[0x1A] = 3, buf[0x1C] = 0xFE, buf[0x1D] = 0xFF, buf[0x1E] = 9,
        buf[0x20] = 6;
        memcpy(buf + 0x2C, data, size);
    } else if (f == 4) { /* %PDF-, the input, a trailer */
        char tail[64];
        int t = snprintf(tail, sizeof tail, "\nstartxref\n%u\n%%%%EOF\n",
                         seed * 7 % (unsigned)(size + 9));
        len = 9 + size + (size_t)t;
        buf = malloc(len);
        memcpy(buf, "%PDF-1.6\n", 9);
        memcpy(buf + 9, data, size);
        memcpy(buf + 9 + size, tail, (size_t)t);
    } else {
        len = size;
        buf = zm_copy(data, size);
    }
    struct kc_err ke1 = {""};
    char *e1 = ke1.msg;
    struct kc_err ke2 = {""};
    char *e2 = ke2.msg;
    int r1 = kc_output_check_mem(buf, len, fmt, &ke1);
    int r2 = kc_output_check_mem(buf, len, fmt, &ke2);
    if (r1 != r2 || (r1 != 0 && strcmp(e1, e2) != 0))
        DIE("two runs differ", e2);
    if (r1 != 0 && e1[0] == '\0')
        DIE("no reason", fmt);
    /* the XML checker: whole and in pieces */
    struct kc_err k1 = {""}, k2 = {""};
    const char *x1 = k1.msg, *x2 = k2.msg;
    char root1[64], root2[64];
    int w1 = xml_pieces(data, size, 0, &k1, root1, sizeof root1);
    int w2 = xml_pieces(data, size, seed | 1, &k2, root2, sizeof root2);
    if (w1 != w2 || strcmp(x1, x2) != 0 || strcmp(root1, root2) != 0)
        DIE("pieces change the XML verdict", x2);
    if (f == 2 && r1 == 0 && w1 != 0)
        DIE("a fods passes that is not well-formed", x1);
    free(buf);
    return 0;
}
