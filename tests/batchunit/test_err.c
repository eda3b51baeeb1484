/* Unit tests of batch/err.c: set, sys, wrap, NULL, truncation at a UTF-8
 * character boundary. */
#include "err.h"
#include "kpi_test.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

static int vset_helper(struct kc_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = kc_err_vset(e, fmt, ap);
    va_end(ap);
    return r;
}

int main(void)
{
    struct kc_err e;
    kc_err_clear(&e);
    CHECK(strcmp(kc_err_msg(&e), "") == 0);
    CHECK_EQ_INT(kc_err_set(&e, "cannot read %s", "a.ods"), -1);
    CHECK(strcmp(e.msg, "cannot read a.ods") == 0);
    CHECK_EQ_INT(kc_err_wrap(&e, "%s: ", "county"), -1);
    CHECK(strcmp(e.msg, "county: cannot read a.ods") == 0);
    kc_err_clear(&e);
    kc_err_wrap(&e, "only");
    CHECK(strcmp(e.msg, "only") == 0);
    errno = ENOENT;
    CHECK_EQ_INT(kc_err_sys(&e, "cannot open %s", "x"), -1);
    CHECK(strcmp(e.msg, "cannot open x: No such file or directory") == 0);
    CHECK_EQ_INT(errno, ENOENT);
    CHECK_EQ_INT(vset_helper(&e, "%d of %d", 31, 34), -1);
    CHECK(strcmp(e.msg, "31 of 34") == 0);
    /* NULL: nothing written, still -1 */
    CHECK_EQ_INT(kc_err_set(NULL, "x"), -1);
    CHECK_EQ_INT(kc_err_wrap(NULL, "x"), -1);
    CHECK(strcmp(kc_err_msg(NULL), "") == 0);
    /* truncation: never a broken UTF-8 character at the end */
    char big[3000];
    for (size_t i = 0; i + 3 < sizeof big; i += 3)
        memcpy(big + i, "\xe4\xb9\xa1", 3); /* 乡 */
    big[2997] = '\0';
    for (int shift = 0; shift < 3; shift++) {
        kc_err_set(&e, "%.*s%s", shift, "ab", big);
        size_t n = strlen(e.msg);
        CHECK(n < KC_ERR_MAX);
        CHECK(n >= KC_ERR_MAX - 4);
        CHECK_EQ_INT((int)((n - (size_t)shift) % 3), 0);
    }
    kc_err_set(&e, "%s", "x");
    kc_err_wrap(&e, "%s", big);
    CHECK_EQ_INT((int)(strlen(e.msg) % 3), 0);
    return kpi_test_report("batch err");
}
