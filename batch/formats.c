/* formats.c - the one table of output formats; see formats.h. */
#include "formats.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct kc_format kc_formats[] = {
    {"ods", "calc8", KC_CHECK_ODS, KC_FMT_IN_PLACE,
     "OpenDocument spreadsheet (the default)"},
    {"fods", "OpenDocument Spreadsheet Flat XML", KC_CHECK_FODS,
     KC_FMT_IN_PLACE, "OpenDocument spreadsheet, one XML file"},
    {"xlsx", "Calc MS Excel 2007 XML", KC_CHECK_XLSX,
     KC_FMT_IN_PLACE | KC_FMT_KEEPS_CALLS, "Excel 2007-365 workbook"},
    {"xls", "MS Excel 97", KC_CHECK_XLS,
     KC_FMT_IN_PLACE | KC_FMT_KEEPS_CALLS | KC_FMT_SHEET_LIMIT,
     "Excel 97-2003 workbook"},
    {"pdf", "calc_pdf_Export", KC_CHECK_PDF, 0, "PDF of the printed pages"},
    {"csv", NULL, KC_CHECK_CSV, KC_FMT_MAY_BE_EMPTY,
     "one UTF-8 CSV file per sheet, values"},
};
const size_t kc_nformats = sizeof kc_formats / sizeof *kc_formats;

const struct kc_format *kc_format_find(const char *name)
{
    for (size_t i = 0; name && i < kc_nformats; i++)
        if (strcasecmp(name, kc_formats[i].name) == 0)
            return &kc_formats[i];
    return NULL;
}

const char *kc_format_names(char *buf, size_t bufsz)
{
    size_t used = 0;
    if (bufsz)
        buf[0] = '\0';
    for (size_t i = 0; i < kc_nformats && used < bufsz; i++) {
        int n = snprintf(buf + used, bufsz - used, "%s%s", i ? ", " : "",
                         kc_formats[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}
