/* The records exchanged between kpicalc and its worker processes. */
#include "proto.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int kc_rec_field(struct kc_buf *b, const char *field)
{
    if (!b)
        return -1;
    if (b->len > 0 && kc_buf_addc(b, '\t') != 0)
        return -1;
    /* an empty first field must still take room, or the next field's TAB
     * would not be written (an empty B means "no field yet") */
    if (b->len == 0 && (!field || !*field))
        return kc_buf_add(b, "\\e", 2);
    for (const char *s = field ? field : ""; *s; s++) {
        int rc;
        switch (*s) {
        case '\\':
            rc = kc_buf_add(b, "\\\\", 2);
            break;
        case '\t':
            rc = kc_buf_add(b, "\\t", 2);
            break;
        case '\n':
            rc = kc_buf_add(b, "\\n", 2);
            break;
        case '\r':
            rc = kc_buf_add(b, "\\r", 2);
            break;
        default:
            rc = kc_buf_addc(b, *s);
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int kc_rec_fieldf(struct kc_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return kc_rec_field(b, small);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = kc_rec_field(b, big);
    free(big);
    return rc;
}

int kc_rec_end(struct kc_buf *b)
{
    return kc_buf_addc(b, '\n');
}

int kc_rec_split(char *line, char **fields, int max)
{
    if (!line || !fields || max <= 0)
        return -1;
    int n = 0;
    char *out = line;
    fields[n++] = out;
    for (char *s = line; *s; s++) {
        if (*s == '\t') {
            *out++ = '\0';
            if (n == max)
                return -1;
            fields[n++] = out;
        } else if (*s == '\\') {
            s++;
            switch (*s) {
            case '\\':
                *out++ = '\\';
                break;
            case 't':
                *out++ = '\t';
                break;
            case 'n':
                *out++ = '\n';
                break;
            case 'r':
                *out++ = '\r';
                break;
            case 'e': /* an empty field, written so when it comes first */
                break;
            default:
                return -1;
            }
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
    return n;
}

int kc_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int kc_rect_next(const char **p, int r[5])
{
    const char *s = *p;
    if (!*s)
        return 0;
    for (int k = 0; k < 5; k++) {
        if (*s < '0' || *s > '9')
            return -1;
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || v > INT_MAX)
            return -1;
        r[k] = (int)v;
        s = end;
        if (k < 4 ? *s != ':' : *s != ';' && *s != '\0')
            return -1;
        if (*s)
            s++;
    }
    if (r[3] < r[1] || r[4] < r[2])
        return -1;
    *p = s;
    return 1;
}
