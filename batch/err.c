/* One small error type for the batch: see err.h for its rules. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Cuts S (of capacity CAP) so that it ends on a whole UTF-8 character. */
static void cut_utf8(char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n + 1 < cap)
        return; /* not truncated */
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--; /* continuation bytes */
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t want = lead >= 0xF0   ? 4
                      : lead >= 0xE0 ? 3
                      : lead >= 0xC0 ? 2
                                     : 1;
        if (n - (i - 1) < want)
            s[i - 1] = '\0';
    }
}

void kc_err_clear(struct kc_err *err)
{
    if (err)
        err->msg[0] = '\0';
}

static void vset(struct kc_err *err, const char *fmt, va_list ap)
{
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    cut_utf8(err->msg, sizeof err->msg);
}

int kc_err_set(struct kc_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int kc_err_vset(struct kc_err *err, const char *fmt, va_list ap)
{
    if (err)
        vset(err, fmt, ap);
    return -1;
}

int kc_err_sys(struct kc_err *err, const char *fmt, ...)
{
    int e = errno;
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, fmt, ap);
        va_end(ap);
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(e));
        cut_utf8(err->msg, sizeof err->msg);
    }
    errno = e;
    return -1;
}

int kc_err_wrap(struct kc_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char inner[KC_ERR_MAX];
    memcpy(inner, err->msg, sizeof inner);
    va_list ap;
    va_start(ap, fmt);
    vset(err, fmt, ap);
    va_end(ap);
    if (inner[0]) {
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, "%s", inner);
        cut_utf8(err->msg, sizeof err->msg);
    }
    return -1;
}

const char *kc_err_msg(const struct kc_err *err)
{
    return err ? err->msg : "";
}
