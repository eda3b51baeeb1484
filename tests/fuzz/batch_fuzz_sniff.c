/* batch_fuzz_sniff.c - libFuzzer harness of batch/sniff.c, through
 * kc_sniff_class and kc_sniff_filter_mem (the bytes of a file's head). The
 * first byte picks a mode: the input as it is, or after one of the heads
 * the sniffers know (a ZIP local header, the OLE2 magic, a flat ODF root
 * with and without the spreadsheet media type). Aborts when an invariant
 * breaks:
 *   - the class is one of the four; the filter one of the three names or
 *     NULL; neither changes from one call to the next;
 *   - the OLE2 magic gives the class OLE2 and the filter "MS Excel 97", a
 *     ZIP header the class ZIP (never a filter without what the archive
 *     check saw), the flat filter only the class FLAT_ODF;
 *   - only the first KC_SNIFF_HEAD bytes count: the same head with more
 *     bytes after it gives the same answers;
 *   - with a ZIP's kc_zip_info the answer depends on it alone. */
#include "sniff.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIE(why)                                                               \
    do {                                                                       \
        fprintf(stderr, "invariant broken: %s\n", why);                        \
        abort();                                                               \
    } while (0)

static const char *const heads[] = {
    "",
    "PK\3\4",
    "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ("<?xml version=\"1.0\"?>\n<office:document office:mimetype=\"application/"
     "vnd.oasis.opendocument.spreadsheet\" "),
    "<office:document\n",
    "<office:document-content ",
};

static int known(const char *f)
{
    return !f || strcmp(f, "calc8") == 0 ||
           strcmp(f, "Calc MS Excel 2007 XML") == 0 ||
           strcmp(f, "MS Excel 97") == 0 ||
           strcmp(f, "OpenDocument Spreadsheet Flat XML") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *h = heads[data[0] % (sizeof heads / sizeof *heads)];
    size_t hl = strlen(h);
    if (data[0] % 6 == 2)
        hl = 8; /* the magic holds no NUL, strlen is fine: explicit */
    size_t n = hl + size - 1;
    unsigned char *buf = malloc(n + KC_SNIFF_HEAD + 1);
    if (!buf)
        return 0;
    memcpy(buf, h, hl);
    memcpy(buf + hl, data + 1, size - 1);
    enum kc_sniff_class c = kc_sniff_class(buf, n);
    const char *f = kc_sniff_filter_mem(buf, n, NULL);
    if (c < KC_SNIFF_OTHER || c > KC_SNIFF_FLAT_ODF)
        DIE("an unknown class");
    if (!known(f))
        DIE("an unknown filter");
    if (kc_sniff_class(buf, n) != c || kc_sniff_filter_mem(buf, n, NULL) != f)
        DIE("not the same answer twice");
    if (n >= 8 && memcmp(buf, heads[2], 8) == 0 &&
        (c != KC_SNIFF_OLE2 || !f || strcmp(f, "MS Excel 97") != 0))
        DIE("the OLE2 magic not known");
    if (n >= 4 && memcmp(buf, "PK\3\4", 4) == 0 && c != KC_SNIFF_ZIP)
        DIE("a ZIP header not known");
    if (f && strcmp(f, "OpenDocument Spreadsheet Flat XML") == 0 &&
        c != KC_SNIFF_FLAT_ODF)
        DIE("a flat filter for bytes that are not flat ODF");
    if (f &&
        (strcmp(f, "calc8") == 0 || strcmp(f, "Calc MS Excel 2007 XML") == 0))
        DIE("a ZIP filter without the archive check");
    /* bytes past the head do not count */
    if (n >= KC_SNIFF_HEAD) {
        memset(buf + n, 'x', KC_SNIFF_HEAD / 2);
        if (kc_sniff_class(buf, n + KC_SNIFF_HEAD / 2) != c ||
            kc_sniff_filter_mem(buf, n + KC_SNIFF_HEAD / 2, NULL) != f)
            DIE("bytes past the head changed the answer");
    }
    /* with what the archive check saw, that alone decides */
    struct kc_zip_info zi = {data[0] & 1, (data[0] >> 1) & 1};
    const char *zf = kc_sniff_filter_mem(buf, n, &zi);
    const char *want = zi.odf_spreadsheet  ? "calc8"
                       : zi.ooxml_workbook ? "Calc MS Excel 2007 XML"
                                           : NULL;
    if (zf != want && (!zf || !want || strcmp(zf, want) != 0))
        DIE("the archive's members did not decide");
    free(buf);
    return 0;
}
