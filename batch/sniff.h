/* Which LibreOffice import filter a workbook's bytes call for, when they
 * say so plainly: an OpenDocument spreadsheet (zipped or flat XML), an
 * Office Open XML workbook, or an OLE2 file (Excel 97-2003). Anything
 * else gets NULL and is left to LibreOffice's own type detection.
 *
 * And what kind of container the bytes are (kc_sniff_class), which decides
 * how kpicalc checks a file before LibreOffice sees it: a ZIP archive
 * (checked whole, and its XML for links: zipcheck.h, linkcheck.h), flat
 * ODF XML (its links), an OLE2 file (an Excel workbook, not a Word file),
 * or other bytes, which are refused (LibreOffice's type detection would
 * open HTML, RTF and the like, and fetch what they link to). */
#ifndef KPICALC_SNIFF_H
#define KPICALC_SNIFF_H

#include "zipcheck.h"

#include <stddef.h>

/* How many bytes of a file's head the sniffers look at. */
#define KC_SNIFF_HEAD 16384

enum kc_sniff_class {
    KC_SNIFF_OTHER = 0,
    KC_SNIFF_ZIP = 1,     /* starts with a ZIP local header "PK\3\4" */
    KC_SNIFF_OLE2 = 2,    /* the OLE2 compound file magic */
    KC_SNIFF_FLAT_ODF = 3 /* XML whose root is office:document (any kind) */
};

/* The class of the N bytes at HEAD (a file's first bytes, at most
 * KC_SNIFF_HEAD of them are looked at). */
enum kc_sniff_class kc_sniff_class(const unsigned char *head, size_t n);

/* The filter name for the file whose first N bytes are HEAD, or NULL. ZIP
 * is what kc_zip_check saw of it when it is a ZIP archive, NULL when it is
 * not one (then HEAD decides). */
const char *kc_sniff_filter_mem(const unsigned char *head, size_t n,
                                const struct kc_zip_info *zip);

/* The same for the file at PATH (its first KC_SNIFF_HEAD bytes). */
const char *kc_sniff_filter(const char *path, const struct kc_zip_info *zip);

#endif
