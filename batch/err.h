/* One small error type for the batch (issue 14).
 *
 * Rules:
 *  1. A function that can fail takes `struct kc_err *err` as its last
 *     parameter and returns 0 on success, -1 (or NULL) on failure, with a
 *     message in ERR. ERR may be NULL: the message is then dropped.
 *  2. The message is for the user: plain words, the file it concerns,
 *     the system's reason (strerror) last. It is English in the code and
 *     goes through kc_tr() where it is shown (batch/msg.c).
 *  3. A caller that adds context prefixes it (kc_err_wrap: "PATH: " +
 *     the inner message); it never copies the message into a buffer of
 *     its own to re-format it.
 *  4. The message is truncated, never overflowed: KC_ERR_MAX bytes,
 *     NUL-terminated, cut at a UTF-8 character boundary.
 *  5. A caller declares its error empty (`struct kc_err e = {""};`), so a
 *     callee that failed without a message shows "", never stale bytes. */
#ifndef KPICALC_ERR_H
#define KPICALC_ERR_H

#include <stdarg.h>
#include <stddef.h>

#define KC_ERR_MAX 1024

struct kc_err {
    char msg[KC_ERR_MAX];
};

#if defined(__GNUC__)
#define KC_ERR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KC_ERR_PRINTF(f, a)
#endif

/* Empties ERR. */
void kc_err_clear(struct kc_err *err);

/* Sets the message; returns -1, so that `return kc_err_set(err, ...)`
 * both reports and fails. */
int kc_err_set(struct kc_err *err, const char *fmt, ...) KC_ERR_PRINTF(2, 3);

/* kc_err_set for a caller that has a va_list (its own printf-like helper). */
int kc_err_vset(struct kc_err *err, const char *fmt, va_list ap)
    KC_ERR_PRINTF(2, 0);

/* As kc_err_set, with ": " and strerror(errno) appended (errno as it was
 * on entry). */
int kc_err_sys(struct kc_err *err, const char *fmt, ...) KC_ERR_PRINTF(2, 3);

/* Puts the formatted text before the message already in ERR ("what: "
 * + inner). An empty ERR gets the text alone. Returns -1. */
int kc_err_wrap(struct kc_err *err, const char *fmt, ...) KC_ERR_PRINTF(2, 3);

/* The message ("" for a NULL or empty ERR). */
const char *kc_err_msg(const struct kc_err *err);

#endif
