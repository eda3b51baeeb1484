/* Which import filter a workbook's bytes call for. */
#include "sniff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char ole_magic[8] = {0xd0, 0xcf, 0x11, 0xe0,
                                           0xa1, 0xb1, 0x1a, 0xe1};

/* The root element's start tag "<office:document" (followed by a blank or
 * '>', so not office:document-content) in the N bytes at P: a pointer to
 * it and its end ('>'), or NULL. */
static const char *flat_root(const char *p, size_t n, const char **end)
{
    static const char tag[] = "<office:document";
    size_t tl = sizeof tag - 1;
    for (const char *s = p; n >= tl && s <= p + n - tl; s++) {
        s = memchr(s, '<', (size_t)(p + n - s));
        if (!s || (size_t)(p + n - s) < tl + 1)
            return NULL;
        if (memcmp(s, tag, tl) != 0)
            continue;
        char c = s[tl];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '>')
            continue;
        *end = memchr(s, '>', (size_t)(p + n - s));
        return *end ? s : NULL;
    }
    return NULL;
}

enum kc_sniff_class kc_sniff_class(const unsigned char *head, size_t n)
{
    if (!head)
        return KC_SNIFF_OTHER;
    if (n > KC_SNIFF_HEAD)
        n = KC_SNIFF_HEAD;
    if (n >= 4 && memcmp(head, "PK\3\4", 4) == 0)
        return KC_SNIFF_ZIP;
    if (n >= 8 && memcmp(head, ole_magic, 8) == 0)
        return KC_SNIFF_OLE2;
    const char *end;
    if (flat_root((const char *)head, n, &end))
        return KC_SNIFF_FLAT_ODF;
    return KC_SNIFF_OTHER;
}

const char *kc_sniff_filter_mem(const unsigned char *head, size_t n,
                                const struct kc_zip_info *zip)
{
    if (zip)
        return zip->odf_spreadsheet  ? "calc8"
               : zip->ooxml_workbook ? "Calc MS Excel 2007 XML"
                                     : NULL;
    if (!head)
        return NULL;
    if (n > KC_SNIFF_HEAD)
        n = KC_SNIFF_HEAD;
    if (n >= 8 && memcmp(head, ole_magic, 8) == 0)
        return "MS Excel 97";
    /* a ZIP's filter comes from its archive check alone (above), never
     * from flat-looking text inside it (found by batch_fuzz_sniff) */
    if (n >= 4 && memcmp(head, "PK\3\4", 4) == 0)
        return NULL;
    /* flat ODF: the media type is an attribute of the root element */
    static const char mime[] = "office:mimetype=\"application/"
                               "vnd.oasis.opendocument.spreadsheet\"";
    const char *end = NULL;
    const char *root = flat_root((const char *)head, n, &end);
    if (!root)
        return NULL;
    size_t span = (size_t)(end - root), ml = sizeof mime - 1;
    for (size_t i = 0; span >= ml && i <= span - ml; i++)
        if (memcmp(root + i, mime, ml) == 0)
            return "OpenDocument Spreadsheet Flat XML";
    return NULL;
}

const char *kc_sniff_filter(const char *path, const struct kc_zip_info *zip)
{
    if (zip)
        return kc_sniff_filter_mem(NULL, 0, zip);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *head = malloc(KC_SNIFF_HEAD);
    size_t n = head ? fread(head, 1, KC_SNIFF_HEAD, f) : 0;
    fclose(f);
    const char *filter = kc_sniff_filter_mem(head, n, NULL);
    free(head);
    return filter;
}
