/* Unit tests of batch/zipcheck.c: whole archives made by LibreOffice,
 * Info-ZIP and Python (tests/batchunit/fixtures, made by
 * make_outcheck_fixtures.py) and by zipmaker.h pass; each kind of damage
 * fails with a reason that says what is wrong. Run from the repository
 * root. */
#include "buf.h"
#include "kpi_test.h"
#include "zipcheck.h"
#include "zipmaker.h"

#include <unistd.h>

static struct kc_err kerr;
static char *const err = kerr.msg;

/* Checks the LEN bytes at P: 0 or -1, the reason in err. */
static int chk(const unsigned char *p, size_t len)
{
    err[0] = '\0';
    struct kc_zip_info info;
    return kc_zip_check_mem(p, len, NULL, &info, &kerr);
}

/* Expects the bytes to fail with a reason containing WANT. */
#define FAILS(p, len, want)                                                    \
    do {                                                                       \
        CHECK(chk(p, len) != 0);                                               \
        CHECK(zm_says(err, want));                                             \
    } while (0)

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void test_whole(void)
{
    static const char *const ok[] = {"tiny.ods", "tiny.xlsx", "pad.ods",
                                     "zip64-info.zip", "zip64-py.zip"};
    for (int i = 0; i < 5; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/batchunit/fixtures/%s", ok[i]);
        struct kc_zip_info info = {7, 7};
        int rc = kc_zip_check(path, &info, &kerr);
        if (rc != 0)
            fprintf(stderr, "  %s: %s\n", ok[i], err);
        CHECK_EQ_INT(rc, 0);
        CHECK_EQ_INT(kc_is_zip(path), 1);
        CHECK_EQ_INT(info.odf_spreadsheet, i != 1);
        CHECK_EQ_INT(info.ooxml_workbook, i == 1);
    }
    CHECK_EQ_INT(kc_is_zip("tests/batchunit/fixtures/tiny.xls"), 0);
    CHECK_EQ_INT(kc_is_zip("tests/batchunit/fixtures/no-such"), -1);
    CHECK(kc_zip_check("tests/batchunit/fixtures/no-such", NULL, &kerr) != 0);
    CHECK(zm_says(err, "cannot open"));
    CHECK(kc_zip_check("tests/batchunit/fixtures", NULL, &kerr) != 0);
    CHECK(zm_says(err, "not a regular file"));
    FAILS(NULL, 0, "empty file");
    FAILS((const unsigned char *)"PK\3\4", 4, "truncated ZIP archive");
}

/* Truncations, among them the 0.x release's: 49,152 bytes of pad.ods. */
static void test_truncated(void)
{
    size_t len;
    unsigned char *p = zm_fixture("pad.ods", &len);
    CHECK(p && len > 50000 && len < 52000);
    if (!p)
        return;
    FAILS(p, 49152, "no end of central directory");
    static const size_t at[] = {30, 1000, 16384, 32768};
    for (int i = 0; i < 4; i++)
        FAILS(p, at[i], "no end of central directory");
    FAILS(p, len - 1, "no end of central directory");
    /* bytes lost from the middle: the directory points at the wrong bytes */
    unsigned char *q = zm_copy(p, len);
    memmove(q + 20000, q + 20100, len - 20100);
    CHECK(chk(q, len - 100) != 0);
    CHECK(zm_says(err, "ZIP archive"));
    free(q);
    /* the end record's directory offset beyond the file */
    q = zm_copy(p, len);
    put32(q + len - 22 + 16, (uint32_t)len);
    FAILS(q, len, "central directory outside the file");
    /* one entry fewer than the directory holds */
    memcpy(q, p, len);
    q[len - 22 + 10]--;
    FAILS(q, len, "holds more than its");
    /* more entries than the directory can hold */
    memcpy(q, p, len);
    q[len - 22 + 10] = 0xF0;
    q[len - 22 + 11] = 0x7F;
    FAILS(q, len, "cannot hold");
    /* split archives */
    memcpy(q, p, len);
    q[len - 22 + 4] = 1;
    FAILS(q, len, "split over several files");
    free(q);
    free(p);
}

static void test_members(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.ods", &len);
    CHECK(p != NULL);
    if (!p)
        return;
    unsigned char *q = zm_copy(p, len);
    /* a flipped byte in content.xml's deflated data */
    long d = zm_data(q, len, "content.xml");
    CHECK(d > 0);
    q[d + 200] ^= 0x55;
    FAILS(q, len, "member content.xml: its");
    CHECK(strstr(err, "damaged") || strstr(err, "checksum"));
    /* its local header names another member */
    memcpy(q, p, len);
    long l = zm_local(q, len, "content.xml");
    q[l + 30 + 10] = 'm';
    FAILS(q, len, "names another member (content.xmm)");
    /* another compression method in the local header */
    memcpy(q, p, len);
    q[l + 8] = 0;
    FAILS(q, len, "another compression method");
    /* the stored mimetype's CRC in its local header (no descriptor) */
    memcpy(q, p, len);
    q[zm_local(q, len, "mimetype") + 14] ^= 1;
    FAILS(q, len, "does not match the central directory");
    /* content.xml's data descriptor */
    memcpy(q, p, len);
    long c = zm_central(q, len, "content.xml");
    CHECK(c > 0 && (q[c + 8] & 8));
    uint32_t cs = (uint32_t)(q[c + 20] | q[c + 21] << 8 | q[c + 22] << 16 |
                             (uint32_t)q[c + 23] << 24);
    q[d + cs + 4] ^= 1; /* after its signature: the CRC-32 */
    FAILS(q, len, "data descriptor");
    /* the central CRC of a stored member */
    memcpy(q, p, len);
    c = zm_central(q, len, "mimetype");
    q[c + 16] ^= 1;
    FAILS(q, len, "mimetype");
    /* a local header that is not there */
    memcpy(q, p, len);
    l = zm_local(q, len, "styles.xml");
    q[l] = 'X';
    FAILS(q, len, "member styles.xml has no local header");
    /* an unknown compression method, in both headers */
    memcpy(q, p, len);
    c = zm_central(q, len, "styles.xml");
    q[c + 10] = 12;
    q[l + 8] = 12;
    FAILS(q, len, "unknown compression method 12");
    /* a stored member whose sizes differ */
    memcpy(q, p, len);
    c = zm_central(q, len, "mimetype");
    l = zm_local(q, len, "mimetype");
    q[c + 20]++;
    q[l + 18]++;
    FAILS(q, len, "its size is wrong");
    free(q);
    free(p);
}

static const char text[] = "<?xml version=\"1.0\"?>\n<a>hello</a>\n";

static void test_built(void)
{
    struct zm_member mem[] = {{"a.txt", text, sizeof text - 1, 0},
                              {"b.xml", text, sizeof text - 1, 1},
                              {"c.xml", text, sizeof text - 1, 1}};
    size_t len;
    for (int z64 = 0; z64 < 2; z64++)
        for (int desc = 0; desc < 2; desc++) {
            struct zm_opts o = {z64, desc, 0};
            unsigned char *p = zm_build(mem, 3, &o, &len);
            int rc = chk(p, len);
            if (rc != 0)
                fprintf(stderr, "  zip64 %d descriptor %d: %s\n", z64, desc,
                        err);
            CHECK_EQ_INT(rc, 0);
            free(p);
        }
    /* ZIP64: the central extra field left out */
    struct zm_opts o = {1, 0, 1};
    unsigned char *p = zm_build(mem, 3, &o, &len);
    FAILS(p, len, "ZIP64 extra field is missing or short");
    free(p);
    o.short64 = 0;
    p = zm_build(mem, 3, &o, &len);
    unsigned char *q = zm_copy(p, len);
    /* the ZIP64 end record's locator points elsewhere */
    q[len - 22 - 20 + 8] ^= 4;
    FAILS(q, len, "no ZIP64 end of central directory");
    /* the ZIP64 end record damaged */
    memcpy(q, p, len);
    q[len - 22 - 20 - 56] = 'X';
    FAILS(q, len, "no ZIP64 end of central directory");
    /* an end record that calls for ZIP64 without its locator */
    memcpy(q, p, len);
    q[len - 22 - 20] = 'X';
    FAILS(q, len, "calls for a ZIP64 end record");
    /* a local ZIP64 extra field whose size disagrees */
    memcpy(q, p, len);
    long l = zm_local(q, len, "b.xml");
    q[l + 30 + 5 + 4]++;
    FAILS(q, len, "does not match the central directory");
    /* damaged deflate data in a ZIP64 archive */
    memcpy(q, p, len);
    q[zm_data(q, len, "c.xml") + 3] ^= 0x40;
    FAILS(q, len, "member c.xml");
    free(q);
    free(p);
    /* members that overlap: two entries for one local header */
    struct zm_member two[] = {{"a.txt", text, sizeof text - 1, 0},
                              {"a.txt", text, sizeof text - 1, 0}};
    struct zm_opts plain = {0, 0, 0};
    p = zm_build(two, 2, &plain, &len);
    long c2 =
        zm_find(p, len, (size_t)zm_central(p, len, "a.txt") + 4, "PK\1\2", 4);
    CHECK(c2 > 0);
    memset(p + c2 + 42, 0, 4);
    FAILS(p, len, "overlap");
    free(p);
    /* an encrypted member is not read: only its structure is checked */
    p = zm_build(mem, 3, &plain, &len);
    long c = zm_central(p, len, "b.xml");
    p[c + 8] |= 1;
    p[zm_local(p, len, "b.xml") + 6] |= 1;
    p[zm_data(p, len, "b.xml") + 2] ^= 0xFF;
    CHECK_EQ_INT(chk(p, len), 0);
    free(p);
    /* deflated data cut short (both headers agree on the shorter size) */
    p = zm_build(mem, 3, &plain, &len);
    c = zm_central(p, len, "b.xml");
    p[c + 20] -= 5;
    p[zm_local(p, len, "b.xml") + 18] -= 5;
    FAILS(p, len, "ends before its last block");
    free(p);
    /* an archive with no member */
    static const unsigned char empty[22] = {'P', 'K', 5, 6};
    FAILS(empty, sizeof empty, "empty ZIP archive");
}

/* Rule 7: ZIP bombs, by ratio and by total, with default and own limits. */
static void test_bombs(void)
{
    size_t big = 4u << 20, len;
    char *zeros = calloc(1, big);
    char *digits = malloc(big);
    if (!zeros || !digits)
        abort();
    unsigned long s = 1;
    for (size_t i = 0; i < big; i++) {
        s = s * 6364136223846793005UL + 1442695040888963407UL;
        digits[i] = (char)('0' + (s >> 59) % 10);
    }
    struct zm_opts o = {0, 0, 0};
    struct zm_member zm[] = {{"bomb.xml", zeros, big, 1}};
    unsigned char *p = zm_build(zm, 1, &o, &len);
    FAILS(p, len, "member bomb.xml would inflate");
    CHECK(zm_says(err, "more than 1000 times"));
    CHECK(zm_says(err, "ZIP bomb"));
    /* a higher ratio allowed by the caller */
    struct kc_zip_limits lax = {0, 0, 100000};
    CHECK_EQ_INT(kc_zip_check_mem(p, len, &lax, NULL, &kerr), 0);
    /* or a higher threshold */
    struct kc_zip_limits above = {0, 8u << 20, 0};
    CHECK_EQ_INT(kc_zip_check_mem(p, len, &above, NULL, &kerr), 0);
    free(p);
    struct zm_member dm[] = {{"digits.xml", digits, big, 1},
                             {"more.xml", digits, big, 1}};
    p = zm_build(dm, 2, &o, &len);
    CHECK_EQ_INT(chk(p, len), 0);
    struct kc_zip_limits strict = {0, 0, 2};
    CHECK(kc_zip_check_mem(p, len, &strict, NULL, &kerr) != 0);
    CHECK(zm_says(err, "more than 2 times"));
    struct kc_zip_limits total = {6u << 20, 0, 0};
    CHECK(kc_zip_check_mem(p, len, &total, NULL, &kerr) != 0);
    CHECK(zm_says(err, "more than 6291456 bytes"));
    /* a declared size of 3 GiB: refused by the default total at once */
    long c = zm_central(p, len, "digits.xml");
    put32(p + c + 24, 3u << 30);
    put32(p + zm_local(p, len, "digits.xml") + 22, 3u << 30);
    struct kc_zip_limits noratio = {0, 0, ~0u};
    CHECK(kc_zip_check_mem(p, len, &noratio, NULL, &kerr) != 0);
    CHECK(zm_says(err, "more than 2147483648 bytes"));
    /* a member that inflates to more than it declares */
    put32(p + c + 24, 1000);
    put32(p + zm_local(p, len, "digits.xml") + 22, 1000);
    FAILS(p, len, "inflates to more than 1000 bytes");
    free(p);
    free(zeros);
    free(digits);
}

/* Without zlib the check fails, never passes. */
static void test_no_zlib(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.ods", &len);
    kc_zlib_use("libkpicalc-no-such-zlib.so.1");
    FAILS(p, len, "zlib cannot be loaded");
    CHECK(zm_says(err, "libkpicalc-no-such-zlib.so.1"));
    kc_zlib_use("libc.so.6"); /* loads, but has no inflate */
    FAILS(p, len, "lacks inflate");
    kc_zlib_use("libz.so.1");
    CHECK_EQ_INT(chk(p, len), 0);
    free(p);
}

/* kc_zip_read_member: a member read from a file whole; a missing or
 * empty member, a damaged file and no file each fail with the reason. */
static void test_read_member(void)
{
    struct zm_member mem[] = {{"a.txt", text, sizeof text - 1, 0},
                              {"content.xml", text, sizeof text - 1, 1},
                              {"empty.xml", "", 0, 0}};
    size_t len;
    struct zm_opts o = {0, 0, 0};
    unsigned char *p = zm_build(mem, 3, &o, &len);
    char path[] = "/tmp/kpicalc-test-zip-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, p, len) == (ssize_t)len);
    if (fd >= 0)
        close(fd);
    struct kc_buf b = {0};
    CHECK_EQ_INT(kc_zip_read_member(path, "content.xml", &b, &kerr), 0);
    CHECK(b.len == sizeof text - 1 && memcmp(b.p, text, b.len) == 0);
    kc_buf_clear(&b);
    CHECK_EQ_INT(kc_zip_read_member(path, "content", &b, &kerr), -1);
    CHECK(strstr(err, "no content") != NULL);
    CHECK_EQ_INT(kc_zip_read_member(path, "empty.xml", &b, &kerr), -1);
    CHECK(strstr(err, "empty.xml is empty") != NULL);
    /* cut in half: the central directory is gone */
    CHECK(truncate(path, (off_t)(len / 2)) == 0);
    CHECK_EQ_INT(kc_zip_read_member(path, "content.xml", &b, &kerr), -1);
    CHECK(err[0] != '\0');
    unlink(path);
    CHECK_EQ_INT(kc_zip_read_member(path, "content.xml", &b, &kerr), -1);
    CHECK(err[0] != '\0');
    CHECK(b.len == 0);
    kc_buf_free(&b);
    free(p);
}

int main(void)
{
    test_whole();
    test_truncated();
    test_members();
    test_built();
    test_bombs();
    test_read_member();
    test_no_zlib();
    return kpi_test_report("batch zipcheck");
}
