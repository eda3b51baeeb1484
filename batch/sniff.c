/* Which import filter a workbook's bytes call for. */
#include "sniff.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"
#define FLAT_HEAD 16384
#define EOCD_MAX (22 + 65535)

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* The ODF mimetype member, stored first and uncompressed, as ODF asks. */
static int odf_spreadsheet(const unsigned char *head, size_t n)
{
    if (n < 30 || le32(head) != 0x04034b50 || le16(head + 8) != 0)
        return 0;
    size_t name = le16(head + 26), extra = le16(head + 28);
    size_t size = le32(head + 18);
    if (name != 8 || memcmp(head + 30, "mimetype", 8) != 0 ||
        30 + name + extra + size > n)
        return 0;
    return size == strlen(ODS_MIME) &&
           memcmp(head + 30 + name + extra, ODS_MIME, size) == 0;
}

/* Whether the ZIP archive F lists the member NAME in its central
 * directory. */
static int zip_has(FILE *f, const char *name)
{
    if (fseek(f, 0, SEEK_END) != 0)
        return 0;
    long len = ftell(f);
    if (len < 22)
        return 0;
    size_t tail = len < EOCD_MAX ? (size_t)len : EOCD_MAX;
    unsigned char *t = malloc(tail);
    int found = 0;
    if (!t || fseek(f, len - (long)tail, SEEK_SET) != 0 ||
        fread(t, 1, tail, f) != tail) {
        free(t);
        return 0;
    }
    size_t e = tail - 22 + 1;
    while (e-- > 0 && le32(t + e) != 0x06054b50)
        ;
    if (e < tail) {
        size_t count = le16(t + e + 10), size = le32(t + e + 12);
        long off = (long)le32(t + e + 16);
        unsigned char *cd =
            size > 0 && off + (long)size <= len ? malloc(size) : NULL;
        if (cd && fseek(f, off, SEEK_SET) == 0 &&
            fread(cd, 1, size, f) == size) {
            size_t p = 0, want = strlen(name);
            for (size_t k = 0; k < count && p + 46 <= size && !found; k++) {
                if (le32(cd + p) != 0x02014b50)
                    break;
                size_t n = le16(cd + p + 28), x = le16(cd + p + 30),
                       c = le16(cd + p + 32);
                if (p + 46 + n > size)
                    break;
                found = n == want && memcmp(cd + p + 46, name, n) == 0;
                p += 46 + n + x + c;
            }
        }
        free(cd);
    }
    free(t);
    return found;
}

const char *kc_sniff_filter(const char *path)
{
    static const unsigned char ole[8] = {0xd0, 0xcf, 0x11, 0xe0,
                                         0xa1, 0xb1, 0x1a, 0xe1};
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *head = malloc(FLAT_HEAD + 1);
    size_t n = head ? fread(head, 1, FLAT_HEAD, f) : 0;
    const char *filter = NULL;
    if (n >= 8 && memcmp(head, ole, 8) == 0) {
        filter = "MS Excel 97";
    } else if (n >= 4 && le32(head) == 0x04034b50) {
        if (odf_spreadsheet(head, n))
            filter = "calc8";
        else if (zip_has(f, "xl/workbook.xml"))
            filter = "Calc MS Excel 2007 XML";
    } else if (n > 0) {
        head[n] = '\0';
        char *root = strstr((char *)head, "<office:document ");
        char *end = root ? strchr(root, '>') : NULL;
        char *mime =
            root ? strstr(root, "office:mimetype=\"" ODS_MIME "\"") : NULL;
        if (mime && end && mime < end)
            filter = "OpenDocument Spreadsheet Flat XML";
    }
    free(head);
    fclose(f);
    return filter;
}
