/* test_formats.c - the table of output formats (batch/formats.c). */
#include "../../batch/formats.h"
#include "../../batch/outcheck.h"
#include "../unit/kpi_test.h"

#include <string.h>

int main(void)
{
    /* rule 1: names are lower case, unique, found in any case */
    for (size_t i = 0; i < kc_nformats; i++) {
        const char *n = kc_formats[i].name;
        for (const char *c = n; *c; c++)
            CHECK(*c >= 'a' && *c <= 'z');
        CHECK(kc_format_find(n) == &kc_formats[i]);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(n, kc_formats[j].name) != 0);
        /* rule 3: every format's check knows it (an unknown one says so) */
        struct kc_err kerr = {""};
        char *err = kerr.msg;
        kc_output_check_mem((const unsigned char *)"x", 1, n, &kerr);
        CHECK(strstr(err, "unknown output format") == NULL);
        CHECK(kc_formats[i].what && *kc_formats[i].what);
    }
    CHECK(kc_format_find("XLSX") == kc_format_find("xlsx"));
    CHECK(kc_format_find("Pdf") != NULL);
    CHECK(kc_format_find("docx") == NULL);
    CHECK(kc_format_find("") == NULL);
    CHECK(kc_format_find(NULL) == NULL);
    /* rule 2: csv is kpicalc's own, every other one has a filter */
    CHECK(kc_format_find("csv")->filter == NULL);
    CHECK(strcmp(kc_format_find("ods")->filter, "calc8") == 0);
    CHECK(kc_format_find("pdf")->filter != NULL);
    /* flags */
    CHECK(kc_format_find("xls")->flags & KC_FMT_SHEET_LIMIT);
    CHECK(!(kc_format_find("xlsx")->flags & KC_FMT_SHEET_LIMIT));
    CHECK(!(kc_format_find("pdf")->flags & KC_FMT_IN_PLACE));
    CHECK(!(kc_format_find("csv")->flags & KC_FMT_IN_PLACE));
    CHECK(kc_format_find("fods")->flags & KC_FMT_IN_PLACE);
    /* the list for messages */
    char buf[128];
    CHECK(strcmp(kc_format_names(buf, sizeof buf),
                 "ods, fods, xlsx, xls, pdf, csv") == 0);
    char small[6];
    kc_format_names(small, sizeof small);
    CHECK(strlen(small) < sizeof small);
    /* an unknown format is refused by the check, by name */
    struct kc_err kerr = {""};
    char *err = kerr.msg;
    CHECK(kc_output_check_mem((const unsigned char *)"x", 1, "docx", &kerr) !=
          0);
    CHECK(strstr(err, "unknown output format docx") != NULL);
    return kpi_test_report("formats");
}
