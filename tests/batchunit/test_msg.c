/* Unit tests of batch/msg.c: the language chosen from the locale, the
 * message table (sorted, each translation with its key's printf
 * conversions, valid UTF-8) and the translation of per-workbook reasons.
 * (tests/batch/test_cli_lang.sh checks that every kc_tr("...") of batch/
 * has an entry, and the messages of the built program.) */
#include "kpi_test.h"
#include "msg.h"

#include <stdlib.h>
#include <string.h>

/* The printf conversions of FMT, as "length+conversion" joined by ' ' (a
 * '*' width or precision counts as an int argument), into OUT. Returns -1
 * on a conversion this test does not know. */
static int conversions(const char *fmt, char *out, size_t outsz)
{
    size_t k = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        while (*p && strchr("-+ #0", *p))
            p++;
        char spec[16];
        size_t n = 0;
        if (*p == '*') {
            k += (size_t)snprintf(out + k, outsz - k, "int ");
            p++;
        }
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == '.') {
            p++;
            if (*p == '*') {
                k += (size_t)snprintf(out + k, outsz - k, "int ");
                p++;
            }
            while (*p >= '0' && *p <= '9')
                p++;
        }
        while (*p && strchr("hlLqjzt", *p) && n < 4)
            spec[n++] = *p++;
        if (!*p || !strchr("diouxXeEfFgGcsp", *p))
            return -1;
        spec[n++] = *p == 'i' ? 'd' : *p;
        spec[n] = '\0';
        k += (size_t)snprintf(out + k, outsz - k, "%s ", spec);
        if (k >= outsz)
            return -1;
    }
    return 0;
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80                 ? 0
                : *p >= 0xC2 && *p < 0xE0 ? 1
                : *p >= 0xE0 && *p < 0xF0 ? 2
                : *p >= 0xF0 && *p < 0xF5 ? 3
                                          : -1;
        if (n < 0)
            return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return 0;
    }
    return 1;
}

static int count_s(const char *s)
{
    int n = 0;
    for (const char *p = strstr(s, "%s"); p; p = strstr(p + 2, "%s"))
        n++;
    return n;
}

static void test_locale(void)
{
    CHECK(kc_msg_locale_is_zh("zh_CN.UTF-8"));
    CHECK(kc_msg_locale_is_zh("zh_CN.utf8"));
    CHECK(kc_msg_locale_is_zh("zh_CN"));
    CHECK(kc_msg_locale_is_zh("zh"));
    CHECK(kc_msg_locale_is_zh("zh_TW.UTF-8"));
    CHECK(kc_msg_locale_is_zh("zh_SG.UTF-8@stroke"));
    CHECK(!kc_msg_locale_is_zh("zh_CN.GB18030"));
    CHECK(!kc_msg_locale_is_zh("zh_CN.GBK"));
    CHECK(!kc_msg_locale_is_zh("zh_CN.gb2312"));
    CHECK(!kc_msg_locale_is_zh("en_US.UTF-8"));
    CHECK(!kc_msg_locale_is_zh("C.UTF-8"));
    CHECK(!kc_msg_locale_is_zh("C"));
    CHECK(!kc_msg_locale_is_zh("POSIX"));
    CHECK(!kc_msg_locale_is_zh(""));
    CHECK(!kc_msg_locale_is_zh(NULL));
    CHECK(!kc_msg_locale_is_zh("zhx_CN.UTF-8"));

    /* the environment: LC_ALL, then LC_MESSAGES, then LANG (read once per
     * process, so only the forced switch is tested beyond the rule) */
    kc_msg_force(1);
    CHECK(kc_msg_zh());
    CHECK(strcmp(kc_tr("out of memory"), "out of memory") != 0);
    CHECK(strcmp(kc_tr("no such message, kept as it is"),
                 "no such message, kept as it is") == 0);
    kc_msg_force(0);
    CHECK(!kc_msg_zh());
    CHECK(strcmp(kc_tr("out of memory"), "out of memory") == 0);
    kc_msg_force(-1);
}

static void test_table(void)
{
    size_t n = kc_msg_count();
    CHECK(n > 50);
    for (size_t i = 0; i < n; i++) {
        const char *en = kc_msg_key(i), *zh = kc_msg_text(i);
        CHECK(en && zh && *en && *zh);
        if (!en || !zh)
            continue;
        if (i > 0 && strcmp(kc_msg_key(i - 1), en) >= 0) {
            fprintf(stderr, "not sorted (strcmp) or twice: '%s' after '%s'\n",
                    en, kc_msg_key(i - 1));
            CHECK(0);
        }
        char a[256], b[256];
        int ra = conversions(en, a, sizeof a),
            rb = conversions(zh, b, sizeof b);
        if (ra != 0 || rb != 0 || strcmp(a, b) != 0) {
            fprintf(stderr, "conversions differ: '%s' [%s] vs '%s' [%s]\n", en,
                    a, zh, b);
            CHECK(0);
        } else {
            CHECK(1);
        }
        CHECK(valid_utf8(zh));
        /* the same ending: a message with a newline keeps it */
        size_t le = strlen(en), lz = strlen(zh);
        CHECK((en[le - 1] == '\n') == (zh[lz - 1] == '\n'));
        /* what kc_tr finds is this entry */
        kc_msg_force(1);
        CHECK(kc_tr(en) == zh);
        kc_msg_force(-1);
    }
}

static void reason(const char *en, const char *want)
{
    char buf[512];
    kc_msg_force(1);
    const char *got = kc_tr_reason(en, buf, sizeof buf);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "reason '%s' -> '%s', want '%s'\n", en, got, want);
    CHECK(strcmp(got, want) == 0);
    kc_msg_force(0);
    CHECK(kc_tr_reason(en, buf, sizeof buf) == en);
    kc_msg_force(-1);
}

static void test_reasons(void)
{
    for (size_t i = 0; i < kc_reason_count(); i++) {
        const char *en = kc_reason_key(i), *zh = kc_reason_text(i);
        CHECK(en && zh && count_s(en) == count_s(zh) && count_s(en) <= 4);
        CHECK(valid_utf8(zh));
        /* only %s: these are patterns, not formats */
        CHECK(strchr(en, '%') == NULL || count_s(en) > 0);
    }
    reason("corrupt file: truncated or damaged ZIP archive: no end of "
           "central directory",
           "文件已损坏：truncated or damaged ZIP archive: no end of central "
           "directory");
    reason("output check failed: x.ods: bad CRC",
           "输出检查未通过：x.ods: bad CRC");
    reason("timeout: still not done after 120 s", "超时：120 秒后仍未完成");
    reason("worker crashed (signal 11, Segmentation fault); last words: "
           "boom (2 attempts)",
           "工作进程崩溃（signal 11, Segmentation fault）；最后输出：boom"
           "（共尝试 2 次）");
    reason("worker crashed (signal 9, Killed)",
           "工作进程崩溃（signal 9, Killed）");
    reason("password-protected: cannot be opened without its password",
           "有密码保护：没有密码无法打开");
    reason("its output /o/a.ods would also be written for in/a.xlsx",
           "其输出 /o/a.ods 也会由 in/a.xlsx 写出");
    /* unknown: as it is, with or without the suffix */
    reason("something new", "something new");
    reason("something new (2 attempts)", "something new (2 attempts)");
    reason("", "");
    /* a small buffer cuts, never overflows */
    char tiny[8];
    kc_msg_force(1);
    const char *t =
        kc_tr_reason("corrupt file: abcdefghijkl", tiny, sizeof tiny);
    CHECK(t == tiny && strlen(tiny) < sizeof tiny && valid_utf8(tiny));
    CHECK(kc_tr_reason(NULL, tiny, sizeof tiny) == NULL);
    kc_msg_force(-1);
}

int main(void)
{
    test_locale();
    test_table();
    test_reasons();
    return kpi_test_report("batch messages");
}
