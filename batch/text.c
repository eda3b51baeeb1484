/* Text helpers: UTF-8, JSON strings, numbers. */
#include "text.h"

#include "buf.h"

#include <string.h>

size_t kc_utf8_seq(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n == 0)
        return 0;
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

int kc_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t k = kc_utf8_seq(s + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

int kc_utf8_add(struct kc_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = 0, k;
        while (i + run < n && (k = kc_utf8_seq(s + i + run, n - i - run)) > 0)
            run += k;
        if (run && kc_buf_add(b, s + i, run) != 0)
            return -1;
        i += run;
        if (i < n) {
            if (kc_buf_adds(b, "\xef\xbf\xbd") != 0)
                return -1;
            i++;
        }
    }
    return 0;
}

int kc_json_string(struct kc_buf *b, const char *s)
{
    const char *p = s ? s : "";
    size_t n = strlen(p);
    int rc = kc_buf_addc(b, '"');
    size_t i = 0;
    while (i < n && rc == 0) {
        unsigned char c = (unsigned char)p[i];
        size_t k = kc_utf8_seq(p + i, n - i);
        if (c == '"' || c == '\\')
            rc = kc_buf_addc(b, '\\') | kc_buf_addc(b, (char)c);
        else if (c == '\n')
            rc = kc_buf_adds(b, "\\n");
        else if (c == '\r')
            rc = kc_buf_adds(b, "\\r");
        else if (c == '\t')
            rc = kc_buf_adds(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            rc = kc_buf_addf(b, "\\u%04x", c);
        else if (k == 0)
            rc = kc_buf_adds(b, "\xef\xbf\xbd");
        else
            rc = kc_buf_add(b, p + i, k);
        i += k ? k : 1;
    }
    return rc | kc_buf_addc(b, '"');
}

int kc_hex_add(struct kc_buf *b, const char *s)
{
    static const char digits[] = "0123456789abcdef";
    int rc = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : "");
         *p && rc == 0; p++)
        rc = kc_buf_addc(b, digits[*p >> 4]) | kc_buf_addc(b, digits[*p & 15]);
    return rc;
}

static const char *digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

int kc_is_json_number(const char *s)
{
    const char *p = s;
    if (!p)
        return 0;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        p = digits(p);
    else
        return 0;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        p = digits(p);
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        p = digits(p);
    }
    return *p == '\0';
}
