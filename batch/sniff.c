/* Which import filter a workbook's bytes call for. */
#include "sniff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAT_HEAD 16384

const char *kc_sniff_filter(const char *path, const struct kc_zip_info *zip)
{
    static const unsigned char ole[8] = {0xd0, 0xcf, 0x11, 0xe0,
                                         0xa1, 0xb1, 0x1a, 0xe1};
    if (zip)
        return zip->odf_spreadsheet  ? "calc8"
               : zip->ooxml_workbook ? "Calc MS Excel 2007 XML"
                                     : NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *head = malloc(FLAT_HEAD + 1);
    size_t n = head ? fread(head, 1, FLAT_HEAD, f) : 0;
    fclose(f);
    const char *filter = NULL;
    if (n >= 8 && memcmp(head, ole, 8) == 0) {
        filter = "MS Excel 97";
    } else if (n > 0) {
        /* flat ODF: the media type is an attribute of the root element */
        head[n] = '\0';
        char *root = strstr(head, "<office:document ");
        char *end = root ? strchr(root, '>') : NULL;
        char *mime = root ? strstr(root, "office:mimetype=\"application/"
                                         "vnd.oasis.opendocument."
                                         "spreadsheet\"")
                          : NULL;
        if (mime && end && mime < end)
            filter = "OpenDocument Spreadsheet Flat XML";
    }
    free(head);
    return filter;
}
