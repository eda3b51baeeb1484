/* test_sniff.c - which import filter a workbook's bytes call for
 * (batch/sniff.c), through the in-memory entry points. */
#include "../../batch/sniff.h"
#include "../unit/kpi_test.h"

#include <string.h>

#define FLAT                                                                   \
    "<?xml version=\"1.0\"?>\n<office:document office:mimetype=\""             \
    "application/vnd.oasis.opendocument.spreadsheet\">"

static const unsigned char *u(const char *s)
{
    return (const unsigned char *)s;
}

int main(void)
{
    const char *flat = FLAT;
    CHECK_EQ_INT(kc_sniff_class(u(flat), strlen(flat)), KC_SNIFF_FLAT_ODF);
    CHECK(strcmp(kc_sniff_filter_mem(u(flat), strlen(flat), NULL),
                 "OpenDocument Spreadsheet Flat XML") == 0);
    /* a root that is not office:document, or another media type */
    const char *content = "<office:document-content>";
    CHECK_EQ_INT(kc_sniff_class(u(content), strlen(content)), KC_SNIFF_OTHER);
    CHECK(kc_sniff_filter_mem(u(content), strlen(content), NULL) == NULL);
    const char *text = "<office:document office:mimetype=\"application/"
                       "vnd.oasis.opendocument.text\">";
    CHECK_EQ_INT(kc_sniff_class(u(text), strlen(text)), KC_SNIFF_FLAT_ODF);
    CHECK(kc_sniff_filter_mem(u(text), strlen(text), NULL) == NULL);
    /* OLE2 */
    static const unsigned char ole[] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1,
                                        0xb1, 0x1a, 0xe1, 0};
    CHECK_EQ_INT(kc_sniff_class(ole, 9), KC_SNIFF_OLE2);
    CHECK(strcmp(kc_sniff_filter_mem(ole, 9, NULL), "MS Excel 97") == 0);
    /* a ZIP whose bytes hold flat-ODF-looking text: its filter comes from
     * the archive check alone (the fuzzer's find, 2026-12-02) */
    const char pk[] = "PK\3\4" FLAT;
    CHECK_EQ_INT(kc_sniff_class(u(pk), sizeof pk - 1), KC_SNIFF_ZIP);
    CHECK(kc_sniff_filter_mem(u(pk), sizeof pk - 1, NULL) == NULL);
    struct kc_zip_info zi = {1, 0};
    CHECK(strcmp(kc_sniff_filter_mem(u(pk), sizeof pk - 1, &zi), "calc8") == 0);
    /* nothing, and HTML (type detection would open it and fetch) */
    CHECK_EQ_INT(kc_sniff_class(NULL, 0), KC_SNIFF_OTHER);
    CHECK(kc_sniff_filter_mem(NULL, 0, NULL) == NULL);
    const char *html = "<html><img src=\"http://127.0.0.1/x.png\"></html>";
    CHECK_EQ_INT(kc_sniff_class(u(html), strlen(html)), KC_SNIFF_OTHER);
    return kpi_test_report("sniff");
}
