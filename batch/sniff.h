/* Which LibreOffice import filter a workbook's bytes call for, when they
 * say so plainly: an OpenDocument spreadsheet (zipped or flat XML), an
 * Office Open XML workbook, or an OLE2 file (Excel 97-2003). Anything
 * else gets NULL and is left to LibreOffice's own type detection. */
#ifndef KPICALC_SNIFF_H
#define KPICALC_SNIFF_H

#include "zipcheck.h"

/* The filter name for the file at PATH, or NULL. ZIP is what kc_zip_check
 * saw of it when it is a ZIP archive, NULL when it is not one. */
const char *kc_sniff_filter(const char *path, const struct kc_zip_info *zip);

#endif
