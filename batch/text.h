/* Text helpers shared by the readers and writers of cells and summaries:
 * UTF-8 validation with replacement, JSON strings that are valid for any
 * bytes, and the grammar of a plain number. */
#ifndef KPICALC_TEXT_H
#define KPICALC_TEXT_H

#include <stddef.h>

struct kc_buf;

/* The length (1 to 4) of the well-formed UTF-8 sequence at S[0..N), or 0
 * when S does not start one (a stray continuation byte, an overlong form,
 * a surrogate, a code point above U+10FFFF, a truncated sequence). */
size_t kc_utf8_seq(const char *s, size_t n);

/* 1 when S[0..N) is well-formed UTF-8. */
int kc_utf8_valid(const char *s, size_t n);

/* Appends S[0..N) to B with each byte that does not belong to a
 * well-formed UTF-8 sequence replaced by U+FFFD (EF BF BD). 0 or -1. */
int kc_utf8_add(struct kc_buf *b, const char *s, size_t n);

/* Appends S (NULL: "") to B as a JSON string: quoted, '"' '\\' and the
 * control characters escaped, invalid UTF-8 bytes replaced by U+FFFD, so
 * the result is valid JSON and valid UTF-8 whatever S holds. 0 or -1. */
int kc_json_string(struct kc_buf *b, const char *s);

/* Appends the bytes of S to B as lowercase hexadecimal. 0 or -1. */
int kc_hex_add(struct kc_buf *b, const char *s);

/* 1 when S is a number as JSON writes them (-?int frac? exp?): such a
 * number reads the same in CSV readers, pandas and JSON. */
int kc_is_json_number(const char *s);

#endif
