/* Unit tests of batch/lok.c that need no office: the cleaning of
 * LibreOfficeKit's error text, and a start that cannot find LibreOffice. */
#include "err.h"
#include "kpi_test.h"
#include "lok.h"

#include <string.h>

int main(void)
{
    struct kc_err e;
    /* words worth showing are kept as they are */
    kc_err_set(&e, "old");
    CHECK_EQ_INT(kc_lok_error_text(&e, "Unsupported URL <file:///x>"), -1);
    CHECK(strcmp(kc_err_msg(&e), "Unsupported URL <file:///x>") == 0);
    /* no words, and the words for "it did not load", leave ERR empty */
    kc_err_set(&e, "old");
    CHECK_EQ_INT(kc_lok_error_text(&e, NULL), -1);
    CHECK(strcmp(kc_err_msg(&e), "") == 0);
    kc_err_set(&e, "old");
    kc_lok_error_text(&e, "");
    CHECK(strcmp(kc_err_msg(&e), "") == 0);
    kc_err_set(&e, "old");
    kc_lok_error_text(&e, "loadComponentFromURL returned an empty reference");
    CHECK(strcmp(kc_err_msg(&e), "") == 0);
    /* a '%' in LibreOffice's text is not a conversion */
    kc_lok_error_text(&e, "100%s done");
    CHECK(strcmp(kc_err_msg(&e), "100%s done") == 0);
    /* a long text is cut to the error's size, never overflowed */
    char big[3 * KC_ERR_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    kc_lok_error_text(&e, big);
    CHECK_EQ_INT(strlen(kc_err_msg(&e)), KC_ERR_MAX - 1);
    /* a NULL ERR drops the text */
    CHECK_EQ_INT(kc_lok_error_text(NULL, "x"), -1);
    /* no LibreOffice in the program folder: the start fails, with why */
    kc_err_clear(&e);
    CHECK_EQ_INT(kc_lok_start("/nonexistent/kpicalc-test/program", NULL, &e),
                 -1);
    CHECK(strcmp(kc_err_msg(&e), "LibreOffice could not start (lok_init_2)") ==
          0);
    /* closing nothing does nothing */
    kc_lok_close(NULL);
    return kpi_test_report("batch lok");
}
