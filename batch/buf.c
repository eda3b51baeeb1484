/* A growable byte buffer. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct kc_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2)
            return -1;
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

int kc_buf_add(struct kc_buf *b, const char *s, size_t n)
{
    if (!b || (!s && n))
        return -1;
    if (grow(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int kc_buf_adds(struct kc_buf *b, const char *s)
{
    return kc_buf_add(b, s ? s : "", s ? strlen(s) : 0);
}

int kc_buf_addc(struct kc_buf *b, char c)
{
    return kc_buf_add(b, &c, 1);
}

int kc_buf_addf(struct kc_buf *b, const char *fmt, ...)
{
    if (!b || !fmt)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void kc_buf_clear(struct kc_buf *b)
{
    if (!b)
        return;
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void kc_buf_free(struct kc_buf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

const char *kc_buf_str(const struct kc_buf *b)
{
    return (b && b->p) ? b->p : "";
}

char *kc_buf_take(struct kc_buf *b)
{
    char *p = b->p ? b->p : strdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
