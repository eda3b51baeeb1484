/* Unit tests of batch/summary.c through kc_summary_render (in memory) and
 * kc_summary_write: exact CSV and JSON bytes, JSON validity (a small
 * validator that also refuses duplicate keys and invalid UTF-8), unique
 * columns, file names that are not UTF-8, errors out of numeric columns,
 * 60,000 keys, and every way a write can fail. */
#include "buf.h"
#include "fsutil.h"
#include "kpi.h"
#include "kpi_test.h"
#include "pool.h"
#include "strset.h"
#include "summary.h"
#include "text.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- a small JSON validator (RFC 8259), refusing duplicate keys --------- */

struct jv {
    const char *p, *end;
    int depth;
};

static void ws(struct jv *j)
{
    while (j->p < j->end &&
           (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
        j->p++;
}

static int jvalue(struct jv *j);

/* A string; its raw text (between the quotes) in OUT when OUT is given. */
static int jstring(struct jv *j, struct kc_buf *out)
{
    if (j->p >= j->end || *j->p != '"')
        return 0;
    const char *start = ++j->p;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end)
                return 0;
            if (*j->p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (j->p + i >= j->end ||
                        !strchr("0123456789abcdefABCDEF", j->p[i]))
                        return 0;
                j->p += 5;
                continue;
            }
            if (!strchr("\"\\/bfnrt", *j->p))
                return 0;
            j->p++;
            continue;
        }
        size_t k = kc_utf8_seq(j->p, (size_t)(j->end - j->p));
        if (k == 0)
            return 0;
        j->p += k;
    }
    if (j->p >= j->end)
        return 0;
    if (out) {
        kc_buf_clear(out);
        kc_buf_add(out, start, (size_t)(j->p - start));
    }
    j->p++;
    return 1;
}

static int jnumber(struct jv *j)
{
    const char *s = j->p;
    while (j->p < j->end && strchr("-+.eE0123456789", *j->p))
        j->p++;
    if (j->p == s)
        return 0;
    char tmp[64];
    size_t n = (size_t)(j->p - s);
    if (n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return kc_is_json_number(tmp);
}

static int jobject(struct jv *j)
{
    j->p++; /* { */
    ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return 1;
    }
    struct kc_strset seen; /* the keys so far (copies in KEYS) */
    kc_strset_init(&seen, 0);
    char **keys = NULL;
    size_t nkeys = 0;
    struct kc_buf key = {0};
    int ok = 1;
    for (;;) {
        ws(j);
        if (!jstring(j, &key)) {
            ok = 0;
            break;
        }
        /* a key seen before in this object */
        if ((nkeys & (nkeys - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
            char **v = realloc(keys, (nkeys ? nkeys * 2 : 1) * sizeof *v);
            if (!v) {
                ok = 0;
                break;
            }
            keys = v;
        }
        keys[nkeys] = kc_buf_take(&key);
        if (kc_strset_add(&seen, keys[nkeys], nkeys) != 1)
            ok = 0;
        nkeys++;
        ws(j);
        if (!ok || j->p >= j->end || *j->p != ':') {
            ok = 0;
            break;
        }
        j->p++;
        if (!jvalue(j)) {
            ok = 0;
            break;
        }
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            break;
        }
        ok = 0;
        break;
    }
    kc_strset_free(&seen);
    for (size_t i = 0; i < nkeys; i++)
        free(keys[i]);
    free(keys);
    kc_buf_free(&key);
    return ok;
}

static int jarray(struct jv *j)
{
    j->p++; /* [ */
    ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return 1;
    }
    for (;;) {
        if (!jvalue(j))
            return 0;
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return 1;
        }
        return 0;
    }
}

static int jlit(struct jv *j, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
        return 0;
    j->p += n;
    return 1;
}

static int jvalue(struct jv *j)
{
    ws(j);
    if (j->p >= j->end || ++j->depth > 64)
        return 0;
    int ok;
    switch (*j->p) {
    case '{':
        ok = jobject(j);
        break;
    case '[':
        ok = jarray(j);
        break;
    case '"':
        ok = jstring(j, NULL);
        break;
    case 't':
        ok = jlit(j, "true");
        break;
    case 'f':
        ok = jlit(j, "false");
        break;
    case 'n':
        ok = jlit(j, "null");
        break;
    default:
        ok = jnumber(j);
    }
    j->depth--;
    return ok;
}

static int json_valid(const char *s, size_t n)
{
    struct jv j = {s, s + n, 0};
    if (!jvalue(&j))
        return 0;
    ws(&j);
    return j.p == j.end;
}

static void test_validator(void)
{
    /* the validator itself must be able to fail */
    CHECK(json_valid("[{\"a\": 1, \"b\": [true, null, \"x\"]}]", 34));
    CHECK(!json_valid("{\"a\": 1, \"a\": 2}", 16));
    CHECK(!json_valid("[\"\xff\"]", 5));
    CHECK(!json_valid("[\"a\nb\"]", 7));
    CHECK(!json_valid("[1,]", 4));
    CHECK(!json_valid("[01]", 4));
    CHECK(!json_valid("{\"a\" 1}", 7));
    CHECK(!json_valid("[] x", 4));
}

/* --- results to summarise ----------------------------------------------- */

static void result(struct kc_result *r, enum kc_state st, long error_cells,
                   const char *message)
{
    memset(r, 0, sizeof *r);
    r->state = st;
    r->error_cells = error_cells;
    r->message = message ? strdup(message) : NULL;
}

static void results_free(struct kc_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].message);
        kc_kpi_list_free(&r[i].kpis);
    }
}

static char *render(int fmt, const char *const *files,
                    const struct kc_result *r, size_t n)
{
    struct kc_buf b = {0};
    struct kc_err kerr;
    if (kc_summary_render(&b, fmt, files, r, n, 0, &kerr) != 0) {
        kc_buf_free(&b);
        return NULL;
    }
    return kc_buf_take(&b);
}

static int same(const char *got, const char *want)
{
    int ok = got && strcmp(got, want) == 0;
    if (!ok)
        fprintf(stderr, "  got  [%s]\n  want [%s]\n", got ? got : "(null)",
                want);
    return ok;
}

static void test_formats(void)
{
    struct kc_result r[3];
    const char *files[3] = {"in/good.fods", "in/\xe4\xb8\x9c,\"q\".ods",
                            "in/broken.ods"};
    result(&r[0], KC_OK, 2, "");
    kc_kpi_add(&r[0].kpis, "certrate", "0.911764705882353", KC_KPI_NUMBER);
    kc_kpi_add(&r[0].kpis, "lossrate", "#DIV/0!", KC_KPI_ERROR);
    kc_kpi_add(&r[0].kpis, "doubledecline", "TRUE", KC_KPI_BOOL);
    kc_kpi_add(&r[0].kpis, "name", "\xe4\xb8\x9c\xe9\x99\x88 \"x\"",
               KC_KPI_STRING);
    kc_kpi_add(&r[0].kpis, "day", "2020-12-31", KC_KPI_DATE);
    result(&r[1], KC_OK, 0, "KPI row 3: key 'a b' ignored");
    kc_kpi_add(&r[1].kpis, "lossrate", "0.0833", KC_KPI_NUMBER);
    kc_kpi_add(&r[1].kpis, "certrate", "", KC_KPI_EMPTY);
    kc_kpi_add(&r[1].kpis, "adoptrate", "#N/A", KC_KPI_ERROR);
    kc_kpi_add(&r[1].kpis, "certrate", "9", KC_KPI_NUMBER); /* repeated */
    result(&r[2], KC_FAILED, -1, "corrupt file: no end of\ncentral directory");

    char *csv = render('c', files, r, 3);
    CHECK(same(csv,
               "\xef\xbb\xbf"
               "file,status,error_cells,certrate,lossrate,doubledecline,name,"
               "day,adoptrate,kpi_errors,message\n"
               "in/good.fods,ok,2,0.911764705882353,,TRUE,"
               "\"\xe4\xb8\x9c\xe9\x99\x88 \"\"x\"\"\",2020-12-31,,"
               "lossrate=#DIV/0!,\n"
               "\"in/\xe4\xb8\x9c,\"\"q\"\".ods\",ok,0,,0.0833,,,,,"
               "adoptrate=#N/A,KPI row 3: key 'a b' ignored\n"
               "in/broken.ods,failed,,,,,,,,,\"corrupt file: no end of\n"
               "central directory\"\n"));
    free(csv);

    char *json = render('j', files, r, 3);
    CHECK(same(
        json,
        "[\n"
        "  {\"file\": \"in/good.fods\", \"status\": \"ok\", \"error_cells\": "
        "2, "
        "\"certrate\": 0.911764705882353, \"lossrate\": null, "
        "\"doubledecline\": true, \"name\": \"\xe4\xb8\x9c\xe9\x99\x88 "
        "\\\"x\\\"\", \"day\": \"2020-12-31\", \"adoptrate\": null, "
        "\"kpi_errors\": {\"lossrate\": \"#DIV/0!\"}, \"message\": \"\"},\n"
        "  {\"file\": \"in/\xe4\xb8\x9c,\\\"q\\\".ods\", \"status\": \"ok\", "
        "\"error_cells\": 0, \"certrate\": null, \"lossrate\": 0.0833, "
        "\"doubledecline\": null, \"name\": null, \"day\": null, "
        "\"adoptrate\": null, \"kpi_errors\": {\"adoptrate\": \"#N/A\"}, "
        "\"message\": \"KPI row 3: key 'a b' ignored\"},\n"
        "  {\"file\": \"in/broken.ods\", \"status\": \"failed\", "
        "\"error_cells\": null, \"certrate\": null, \"lossrate\": null, "
        "\"doubledecline\": null, \"name\": null, \"day\": null, "
        "\"adoptrate\": null, \"kpi_errors\": {}, \"message\": \"corrupt "
        "file: no end of\\ncentral directory\"}\n"
        "]\n"));
    CHECK(json && json_valid(json, strlen(json)));
    free(json);

    /* no workbook at all */
    char *empty = render('j', NULL, NULL, 0);
    CHECK(same(empty, "[]\n"));
    free(empty);
    empty = render('c', NULL, NULL, 0);
    CHECK(same(empty, "\xef\xbb\xbf"
                      "file,status,error_cells,kpi_errors,"
                      "message\n"));
    free(empty);
    /* a bad format, missing arrays */
    struct kc_buf b = {0};
    struct kc_err kerr;
    CHECK_EQ_INT(kc_summary_render(&b, 'x', files, r, 3, 0, &kerr), -1);
    CHECK_EQ_INT(kc_summary_render(&b, 'c', NULL, r, 3, 0, &kerr), -1);
    kc_buf_free(&b);
    results_free(r, 3);
}

/* Keys equal to fixed columns, or to each other but for case, get
 * distinct names; a user's own kpi_file keeps its name. */
static void test_unique_columns(void)
{
    struct kc_result r[2];
    const char *files[2] = {"a.ods", "b.ods"};
    result(&r[0], KC_OK, 0, "");
    static const char *const keys[] = {
        "file", "kpi_file",   "Status",   "message",     "x",
        "X",    "kpi_errors", "file_hex", "ERROR_CELLS", "kpi_x"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        kc_kpi_add(&r[0].kpis, keys[k], "1", KC_KPI_NUMBER);
    result(&r[1], KC_OK, 0, "");
    kc_kpi_add(&r[1].kpis, "kpi_file_2", "2", KC_KPI_NUMBER);
    char *csv = render('c', files, r, 2);
    const char *want_head =
        "\xef\xbb\xbf"
        "file,status,error_cells,kpi_file_3,kpi_file,kpi_Status,kpi_message,"
        "x,kpi_X_2,kpi_kpi_errors,kpi_file_hex,kpi_ERROR_CELLS,kpi_x,"
        "kpi_file_2,kpi_errors,message\n";
    CHECK(csv && strncmp(csv, want_head, strlen(want_head)) == 0);
    if (csv && strncmp(csv, want_head, strlen(want_head)) != 0)
        fprintf(stderr, "  got %.*s\n", (int)strlen(want_head), csv);
    free(csv);
    char *json = render('j', files, r, 2);
    CHECK(json && json_valid(json, strlen(json)));
    CHECK(json && strstr(json, "\"kpi_file_3\": 1,") != NULL); /* "file" */
    CHECK(json && strstr(json, "\"kpi_file\": 1,") != NULL);
    CHECK(json && strstr(json, "\"kpi_file_2\": 2,") != NULL);
    free(json);
    results_free(r, 2);
}

/* Names that are not UTF-8: the summary stays valid UTF-8 and JSON; the
 * JSON keeps the bytes in file_hex. */
static void test_invalid_utf8(void)
{
    struct kc_result r[2];
    const char *files[2] = {"in/bad\xff\xfe.ods", "in/\xe4\xb8.\xc0\xaf\x01"};
    result(&r[0], KC_OK, 0, "cannot read in/bad\xff\xfe.ods\ttab");
    kc_kpi_add(&r[0].kpis, "t", "x\xed\xa0\x80y", KC_KPI_STRING);
    result(&r[1], KC_FAILED, -1, NULL);
    char *json = render('j', files, r, 2);
    CHECK(json && json_valid(json, strlen(json)));
    CHECK(json && strstr(json, "\"file\": \"in/bad\xef\xbf\xbd\xef\xbf\xbd"
                               ".ods\", \"file_hex\": "
                               "\"696e2f626164fffe2e6f6473\", ") != NULL);
    CHECK(json && strstr(json, "\"file\": \"in/\xef\xbf\xbd\xef\xbf\xbd."
                               "\xef\xbf\xbd\xef\xbf\xbd\\u0001\", "
                               "\"file_hex\": \"696e2fe4b82ec0af01\"") != NULL);
    CHECK(json && strstr(json, "\"t\": \"x\xef\xbf\xbd\xef\xbf\xbd"
                               "\xef\xbf\xbdy\"") != NULL);
    CHECK(json && strstr(json, "\\ttab\"") != NULL);
    free(json);
    char *csv = render('c', files, r, 2);
    CHECK(csv && kc_utf8_valid(csv, strlen(csv)));
    CHECK(csv &&
          strstr(csv, "\nin/bad\xef\xbf\xbd\xef\xbf\xbd.ods,ok,") != NULL);
    free(csv);
    /* a valid name has no file_hex */
    const char *good[1] = {"in/\xe4\xb8\x9c.ods"};
    json = render('j', good, r, 1);
    CHECK(json && strstr(json, "file_hex") == NULL);
    free(json);
    results_free(r, 2);
}

/* 2 workbooks x 60,000 keys (half shared): linear, so it just finishes;
 * checked for the right columns and values. */
static void test_many_keys(void)
{
    enum { N = 60000 };
    struct kc_result r[2];
    const char *files[2] = {"a.ods", "b.ods"};
    char key[32], val[32];
    for (int w = 0; w < 2; w++) {
        result(&r[w], KC_OK, 0, "");
        for (int k = 0; k < N; k++) {
            snprintf(key, sizeof key, "k%d", k + w * N / 2);
            snprintf(val, sizeof val, "%d", w * 1000000 + k);
            kc_kpi_add(&r[w].kpis, key, val, KC_KPI_NUMBER);
        }
    }
    char *csv = render('c', files, r, 2);
    CHECK(csv != NULL);
    if (csv) {
        /* header: 3 fixed + 90,000 keys + 2 fixed */
        char *nl = strchr(csv, '\n');
        long commas = 0;
        for (char *p = csv; p < nl; p++)
            commas += *p == ',';
        CHECK_EQ_INT(commas + 1, 3 + N * 3 / 2 + 2);
        CHECK(strstr(csv, ",k89999,kpi_errors,message\n") != NULL);
        /* a.ods: k0 = 0 ... k59999 = 59999, then 30,000 empty */
        CHECK(strstr(nl, "\na.ods,ok,0,0,1,2,") != NULL);
        CHECK(strstr(nl, ",59999,,") != NULL);
        /* b.ods: k0..k29999 empty, k30000 = 1000000 */
        char *b = strstr(nl, "\nb.ods,ok,0,");
        CHECK(b != NULL);
        if (b) {
            long empties = 0;
            char *p = b + strlen("\nb.ods,ok,0,");
            while (*p == ',') {
                empties++;
                p++;
            }
            CHECK_EQ_INT(empties, N / 2);
            CHECK(strncmp(p, "1000000,1000001,", 16) == 0);
        }
    }
    free(csv);
    char *json = render('j', files, r, 2);
    CHECK(json && json_valid(json, strlen(json)) == 1);
    free(json);
    results_free(r, 2);
}

/* --- writing ------------------------------------------------------------ */

static char tmpdir[] = "/tmp/kc_test_summary_XXXXXX";

static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".kpicalc-") != NULL;
    if (d)
        closedir(d);
    return n;
}

static int file_equals(const char *path, const char *want)
{
    char *data = NULL;
    size_t len = 0;
    int ok = kc_read_file(path, &data, &len) == 0 && len == strlen(want) &&
             memcmp(data, want, len) == 0;
    free(data);
    return ok;
}

static void test_write(void)
{
    struct kc_result r[1];
    const char *files[1] = {"x.ods"};
    result(&r[0], KC_OK, 1, "");
    kc_kpi_add(&r[0].kpis, "certrate", "0.5", KC_KPI_NUMBER);
    struct kc_err kerr;
    char *err = kerr.msg;
    char *sub = kc_path_join(tmpdir, "new/folder/s.csv");
    /* a folder made as needed; the bytes are the rendered ones */
    CHECK_EQ_INT(kc_summary_write(sub, files, r, 1, 0, &kerr), 0);
    char *want = render('c', files, r, 1);
    CHECK(want && file_equals(sub, want));
    char *subdir = kc_dirname(sub);
    CHECK_EQ_INT(count_temp_files(subdir), 0);

    /* under a regular file */
    char *under = kc_path_join(tmpdir, "new/folder/s.csv/deeper/s.json");
    CHECK_EQ_INT(kc_summary_write(under, files, r, 1, 0, &kerr), -1);
    char prefix[1200];
    snprintf(prefix, sizeof prefix, "cannot write %s: ", under);
    CHECK(strncmp(err, prefix, strlen(prefix)) == 0);
    CHECK(strstr(err, "Not a directory") != NULL ||
          strstr(err, "a file of that name exists") != NULL);

    /* the path is a folder: the rename fails, nothing is left behind */
    char *isdir = kc_path_join(tmpdir, "dir.json");
    mkdir(isdir, 0755);
    char *inside = kc_path_join(isdir, "keep");
    FILE *f = fopen(inside, "w");
    if (f)
        fclose(f);
    CHECK_EQ_INT(kc_summary_write(isdir, files, r, 1, 0, &kerr), -1);
    CHECK(strstr(err, "cannot write ") == err);
    CHECK(strstr(err, "Is a directory") != NULL);
    CHECK_EQ_INT(count_temp_files(tmpdir), 0);

    /* a full disk, as a file-size limit: the old summary stays whole */
    struct rlimit old;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = {16, old.rlim_max};
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = kc_summary_write(sub, files, r, 1, 0, &kerr);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ_INT(rc, -1);
    CHECK(strstr(err, "cannot write ") == err);
    CHECK(strstr(err, "File too large") != NULL);
    CHECK(want && file_equals(sub, want));
    CHECK_EQ_INT(count_temp_files(subdir), 0);

    /* a read-only folder (not for root, who may write anyway) */
    if (geteuid() != 0) {
        chmod(subdir, 0555);
        CHECK_EQ_INT(kc_summary_write(sub, files, r, 1, 0, &kerr), -1);
        CHECK(strstr(err, "Permission denied") != NULL);
        chmod(subdir, 0755);
        CHECK(want && file_equals(sub, want));
    }

    /* neither .csv nor .json */
    CHECK_EQ_INT(kc_summary_write("s.txt", files, r, 1, 0, &kerr), -1);
    CHECK(strstr(err, ".csv or .json") != NULL);
    CHECK_EQ_INT(kc_summary_format("a/B.JSON"), 'j');
    CHECK_EQ_INT(kc_summary_format("a/b.Csv"), 'c');
    CHECK_EQ_INT(kc_summary_format("a/b.csv.txt"), 0);

    free(want);
    free(sub);
    free(subdir);
    free(under);
    free(isdir);
    free(inside);
    results_free(r, 1);
}

/* CSV injection: a text field that starts like a formula gets an
 * apostrophe in the CSV summary (file, text indicator, message), numbers
 * never; RAW keeps them; JSON is not a spreadsheet and is unchanged. */
static void test_injection(void)
{
    struct kc_result r[1];
    const char *files[1] = {"=cmd|' /C calc'!A0.ods"};
    result(&r[0], KC_OK, 0, "@note");
    kc_kpi_add(&r[0].kpis, "unit", "+evil", KC_KPI_STRING);
    kc_kpi_add(&r[0].kpis, "slope", "-1.5", KC_KPI_NUMBER);
    char *csv = render('c', files, r, 1);
    CHECK(same(csv, "\xef\xbb\xbf"
                    "file,status,error_cells,unit,slope,kpi_errors,message\n"
                    "'=cmd|' /C calc'!A0.ods,ok,0,'+evil,-1.5,,'@note\n"));
    free(csv);
    struct kc_buf b = {0};
    struct kc_err kerr;
    CHECK_EQ_INT(kc_summary_render(&b, 'c', files, r, 1, 1, &kerr), 0);
    CHECK(same(kc_buf_str(&b),
               "\xef\xbb\xbf"
               "file,status,error_cells,unit,slope,kpi_errors,message\n"
               "=cmd|' /C calc'!A0.ods,ok,0,+evil,-1.5,,@note\n"));
    kc_buf_free(&b);
    char *json = render('j', files, r, 1);
    CHECK(json && strstr(json, "\"+evil\"") && strstr(json, "\"=cmd|"));
    free(json);
    results_free(r, 1);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_validator();
    test_formats();
    test_unique_columns();
    test_invalid_utf8();
    test_many_keys();
    test_write();
    test_injection();
    kc_rmtree(tmpdir);
    return kpi_test_report("batch summary");
}
