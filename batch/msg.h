/* msg.h - kpicalc's messages in the user's language: Chinese (simplified)
 * when the locale says so, English otherwise.
 *
 * gettext-style: a call site wraps its English text, kc_tr("..."), and
 * the English text is the key of a sorted table of translations in msg.c.
 * A text without an entry stays English. tests/batch/test_cli_lang.sh
 * checks that every kc_tr("...") literal of batch/ has an entry, and the
 * unit test that the table is sorted and that each translation has the
 * same printf conversions as its key.
 *
 * The language is Chinese when the first non-empty of LC_ALL, LC_MESSAGES
 * and LANG starts with "zh" and names no character set other than UTF-8
 * (zh_CN.UTF-8, zh_CN.utf8, zh_CN, zh_SG.UTF-8, zh_TW.UTF-8...): kpicalc
 * writes UTF-8 only, so under zh_CN.GB18030 or zh_CN.GBK it speaks English
 * rather than print bytes the terminal would garble. Nothing else of the
 * locale is used (no setlocale: numbers keep their '.'). */
#ifndef KPICALC_MSG_H
#define KPICALC_MSG_H

#include <stddef.h>

/* ENGLISH in the user's language: its translation, or ENGLISH itself. */
const char *kc_tr(const char *english) __attribute__((format_arg(1)));

/* 1 when messages are in Chinese. */
int kc_msg_zh(void);

/* For tests: 1 Chinese, 0 English, -1 back to what the environment says. */
void kc_msg_force(int zh);

/* The language that the locale value VALUE (as in LANG) asks for: 1
 * Chinese, 0 not. */
int kc_msg_locale_is_zh(const char *value);

/* A message about one workbook (a worker's or the pool's reason for a
 * failure, which the summary keeps in English) in the user's language:
 * its known phrases translated (the file names, numbers and technical
 * details in it stay as they are), written into BUF; returns BUF, or MSG
 * itself when it is in English anyway or has no known phrase. */
const char *kc_tr_reason(const char *msg, char *buf, size_t bufsz);

/* The tables, for the tests. */
size_t kc_msg_count(void);
const char *kc_msg_key(size_t i);
const char *kc_msg_text(size_t i);
size_t kc_reason_count(void);
const char *kc_reason_key(size_t i);
const char *kc_reason_text(size_t i);

#endif
