/* A growable byte buffer, always NUL-terminated. */
#ifndef KPICALC_BUF_H
#define KPICALC_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct kc_buf {
    char *p;    /* NUL-terminated contents, or NULL when empty */
    size_t len; /* bytes used, without the NUL */
    size_t cap; /* bytes allocated */
};

/* Each returns 0, or -1 when memory runs out (the buffer is unchanged). */
int kc_buf_add(struct kc_buf *b, const char *s, size_t n);
int kc_buf_adds(struct kc_buf *b, const char *s);
int kc_buf_addc(struct kc_buf *b, char c);
int kc_buf_addf(struct kc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void kc_buf_clear(struct kc_buf *b);
void kc_buf_free(struct kc_buf *b);
/* Returns the contents (never NULL: "" when empty). */
const char *kc_buf_str(const struct kc_buf *b);
/* Hands over the contents (malloc'd, never NULL unless out of memory). */
char *kc_buf_take(struct kc_buf *b);

/* The UTF-8 byte-order mark, which Excel needs to read a CSV file as
 * UTF-8 (--csv-bom). */
#define KC_UTF8_BOM "\xef\xbb\xbf"

#endif
