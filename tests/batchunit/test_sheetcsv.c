/* Unit tests of batch/sheetcsv.c, driven by the flat ODF reader's
 * in-memory entry point: what a cell carries (values, not shown text, for
 * numbers and dates), RFC 4180 quoting, gaps, the byte-order mark, and
 * file names for sheets whose names collide once cleaned. */
#include "buf.h"
#include "fods.h"
#include "fsutil.h"
#include "kpi_test.h"
#include "sheetcsv.h"
#include "text.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<office:document><office:body><office:spreadsheet>"
#define TAIL "</office:spreadsheet></office:body></office:document>\n"
#define CELL(attrs, text)                                                      \
    "<table:table-cell " attrs "><text:p>" text "</text:p></table:table-cell>"

static char tmpdir[] = "/tmp/kc_test_sheetcsv_XXXXXX";

/* Scans DOC into CSV files named STEM-*.csv in TMPDIR. */
static int to_csv(const char *doc, const char *stem, int bom,
                  struct kc_csv_writer *w, struct kc_err *err)
{
    struct kc_sheet_sink sink;
    kc_csv_writer_init(w, tmpdir, stem, &sink);
    w->bom = bom;
    struct kc_scan_result res;
    return kc_fods_scan_mem(doc, strlen(doc), &sink, &res, err);
}

/* 1 when the file NAME in TMPDIR holds exactly WANT. */
static int file_is(const char *name, const char *want)
{
    char *path = kc_path_join(tmpdir, name);
    char *data = NULL;
    size_t len = 0;
    int ok = path && kc_read_file(path, &data, &len) == 0 &&
             len == strlen(want) && memcmp(data, want, len) == 0;
    if (!ok)
        fprintf(stderr, "  %s: got [%s]\n  want [%s]\n", name,
                data ? data : "(none)", want);
    free(data);
    free(path);
    return ok;
}

static int count_files(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.' &&
                                     strcmp(e->d_name, "..") != 0);
    if (d)
        closedir(d);
    return n;
}

static void test_cells(void)
{
    static const char doc[] = HEAD
        "<table:table table:name=\"data\">"
        "<table:table-row>" CELL("office:value-type=\"string\"", "name")
            CELL("office:value-type=\"string\"", "rate") CELL(
                "office:value-type=\"string\"",
                "note") "</table:table-row>"
                        "<table:table-row>" CELL(
                            "office:value-type=\"string\"",
                            "\xe4\xb8\x9c\xe9\x99\x88") CELL("office:value-"
                                                             "type="
                                                             "\"percentage\" "
                                                             "office:value=\"0."
                                                             "911764705882353"
                                                             "\"",
                                                             "91.2%")
                            CELL(
                                "office:value-type=\"string\"",
                                "a, \"quoted\" one") "</table:table-row>"
                                                     "<table:table-row "
                                                     "table:number-rows-"
                                                     "repeated="
                                                     "\"2\"/>"
                                                     "<table:table-row>" CELL(
                                                         "office:value-type="
                                                         "\"currency\" "
                                                         "office:value=\"1234."
                                                         "5\"",
                                                         "\xc2\xa5"
                                                         "1,234.50") CELL("offi"
                                                                          "ce:"
                                                                          "valu"
                                                                          "e-"
                                                                          "type"
                                                                          "="
                                                                          "\"fl"
                                                                          "oat"
                                                                          "\" "
                                                                          "offi"
                                                                          "ce:"
                                                                          "valu"
                                                                          "e="
                                                                          "\"-"
                                                                          "1E-"
                                                                          "05"
                                                                          "\"",
                                                                          "-0."
                                                                          "0000"
                                                                          "1")
                                                         CELL(
                                                             "office:value-"
                                                             "type="
                                                             "\"string\"",
                                                             "two<text:line-"
                                                             "break/"
                                                             ">lines") "</"
                                                                       "table:"
                                                                       "table-"
                                                                       "row>"
                                                                       "<table:"
                                                                       "table-"
                                                                       "row"
                                                                       ">" CELL(
                                                                           "off"
                                                                           "ice"
                                                                           ":"
                                                                           "val"
                                                                           "ue-"
                                                                           "typ"
                                                                           "e="
                                                                           "\"d"
                                                                           "ate"
                                                                           "\" "
                                                                           "off"
                                                                           "ice"
                                                                           ":"
                                                                           "dat"
                                                                           "e-"
                                                                           "val"
                                                                           "ue="
                                                                           "\"2"
                                                                           "020"
                                                                           "-"
                                                                           "12-"
                                                                           "31T"
                                                                           "10:"
                                                                           "30:"
                                                                           "00"
                                                                           "\"",
                                                                           "12/"
                                                                           "31/"
                                                                           "20 "
                                                                           "10:"
                                                                           "30") CELL("office:value-type=\"time\" "
                                                                                      "office:time-value=\"PT10H30M00S\"",
                                                                                      "10:30:00")
                                                                           CELL(
                                                                               "off"
                                                                               "ice"
                                                                               ":va"
                                                                               "lue"
                                                                               "-ty"
                                                                               "pe="
                                                                               "\"b"
                                                                               "ool"
                                                                               "ean"
                                                                               "\" "
                                                                               "off"
                                                                               "ice"
                                                                               ":bo"
                                                                               "ole"
                                                                               "an-"
                                                                               "val"
                                                                               "ue="
                                                                               "\"f"
                                                                               "als"
                                                                               "e"
                                                                               "\"",
                                                                               "FAL"
                                                                               "SE") "</table:table-row>"
                                                                                     "<table:table-row>" CELL(
                                                                                         "office:value-type=\"float\" "
                                                                                         "calcext:value-type=\"error\" "
                                                                                         "office:value=\"0\"",
                                                                                         "#DIV/0!") CELL("office:value-type=\"float\" office:value=\".5\"",
                                                                                                         "0.5 shown")
                                                                                         CELL(
                                                                                             "office:value-type=\"string\"",
                                                                                             " padded") "</table:table-row>"
                                                                                                        "<table:table-row>"
                                                                                                        "<table:table-cell table:number-columns-repeated=\"2\"/>" CELL(
                                                                                                            "office:value-type=\"string\"",
                                                                                                            "cr&#13;lf")
                                                                                                            CELL(
                                                                                                                "",
                                                                                                                "") "<table:table-cell table:number-columns-repeated=\"5\"/>"
                                                                                                                    "</table:table-row>"
                                                                                                                    "<table:table-row table:number-rows-repeated=\"100\"/>"
                                                                                                                    "</table:table>" TAIL;
    struct kc_csv_writer w;
    struct kc_err kerr;
    CHECK_EQ_INT(to_csv(doc, "wb", 0, &w, &kerr), 0);
    CHECK_EQ_INT(w.files, 1);
    CHECK(w.err[0] == '\0');
    CHECK(file_is("wb-data.csv", "name,rate,note\n"
                                 "\xe4\xb8\x9c\xe9\x99\x88,0.911764705882353,"
                                 "\"a, \"\"quoted\"\" one\"\n"
                                 ",,\n"
                                 ",,\n"
                                 "1234.5,-1E-05,\"two\nlines\"\n"
                                 "2020-12-31T10:30:00,10:30:00,FALSE\n"
                                 "#DIV/0!,0.5 shown,\" padded\"\n"
                                 ",,\"cr\rlf\"\n"));
    kc_csv_writer_free(&w);

    /* with a byte-order mark */
    CHECK_EQ_INT(to_csv(HEAD
                        "<table:table table:name=\"b\"><table:table-row>" CELL(
                            "office:value-type=\"float\" office:value=\"3\"",
                            "3.00") "</table:table-row></table:table>" TAIL,
                        "bom", 1, &w, &kerr),
                 0);
    CHECK(file_is("bom-b.csv", "\xef\xbb\xbf"
                               "3\n"));
    kc_csv_writer_free(&w);

    /* an empty sheet gives an empty file */
    CHECK_EQ_INT(
        to_csv(HEAD "<table:table table:name=\"e\"/>" TAIL, "em", 0, &w, &kerr),
        0);
    CHECK_EQ_INT(w.files, 1);
    CHECK(file_is("em-e.csv", ""));
    kc_csv_writer_free(&w);
}

static void test_cell_text(void)
{
    struct kc_cell c = {KC_CELL_NUMBER, "0.5", "50%"};
    CHECK(strcmp(kc_csv_cell_text(&c), "0.5") == 0);
    c.value = "1e300";
    CHECK(strcmp(kc_csv_cell_text(&c), "1e300") == 0);
    c.value = "NaN";
    CHECK(strcmp(kc_csv_cell_text(&c), "50%") == 0);
    c.value = "";
    CHECK(strcmp(kc_csv_cell_text(&c), "50%") == 0);
    c.value = "+1";
    CHECK(strcmp(kc_csv_cell_text(&c), "50%") == 0);
    c.value = "01";
    CHECK(strcmp(kc_csv_cell_text(&c), "50%") == 0);
    c = (struct kc_cell){KC_CELL_BOOL, "true", "WAHR"};
    CHECK(strcmp(kc_csv_cell_text(&c), "TRUE") == 0);
    c.value = "maybe";
    CHECK(strcmp(kc_csv_cell_text(&c), "WAHR") == 0);
    c = (struct kc_cell){KC_CELL_DATE, "", "shown"};
    CHECK(strcmp(kc_csv_cell_text(&c), "shown") == 0);
    c = (struct kc_cell){KC_CELL_ERROR, "0", "#N/A"};
    CHECK(strcmp(kc_csv_cell_text(&c), "#N/A") == 0);
    c = (struct kc_cell){KC_CELL_STRING, "", "=1+1"};
    CHECK(strcmp(kc_csv_cell_text(&c), "=1+1") == 0);
    c = (struct kc_cell){KC_CELL_EMPTY, NULL, NULL};
    CHECK(strcmp(kc_csv_cell_text(&c), "") == 0);

    struct kc_buf b = {0};
    CHECK_EQ_INT(kc_csv_field(&b, "plain"), 0);
    kc_buf_addc(&b, '|');
    kc_csv_field(&b, "\"");
    kc_buf_addc(&b, '|');
    kc_csv_field(&b, "");
    kc_buf_addc(&b, '|');
    kc_csv_field(&b, NULL);
    kc_buf_addc(&b, '|');
    kc_csv_field(&b, "end ");
    kc_buf_addc(&b, '|');
    kc_csv_field(&b, "a\r\nb");
    CHECK(strcmp(kc_buf_str(&b), "plain|\"\"\"\"|||\"end \"|\"a\r\nb\"") == 0);
    kc_buf_free(&b);
}

#define SHEET(name)                                                            \
    "<table:table table:name=\"" name                                          \
    "\"><table:table-row>" CELL("office:value-type=\"string\"",                \
                                name) "</table:table-row></table:table>"

static void test_names(void)
{
    /* cleaned names that collide, in sheet order, ignoring case */
    static const char doc[] =
        HEAD SHEET("a&#9;b") SHEET("a_b") SHEET("A/B") SHEET("a_b-2")
            SHEET(".hidden") SHEET("") SHEET("\xe4\xb8\xad\xe6\x96\x87")
                SHEET("back\\slash") SHEET("Sheet") TAIL;
    struct kc_csv_writer w;
    struct kc_err kerr;
    char *err = kerr.msg;
    CHECK_EQ_INT(to_csv(doc, "wb", 0, &w, &kerr), 0);
    CHECK_EQ_INT(w.files, 9);
    CHECK(file_is("wb-a_b.csv", "a\tb\n"));
    CHECK(file_is("wb-a_b-2.csv", "a_b\n"));
    CHECK(file_is("wb-A_B-3.csv", "A/B\n"));
    CHECK(file_is("wb-a_b-2-2.csv", "a_b-2\n"));
    CHECK(file_is("wb-_hidden.csv", ".hidden\n"));
    CHECK(file_is("wb-Sheet.csv", "")); /* its one cell is empty */
    CHECK(file_is("wb-\xe4\xb8\xad\xe6\x96\x87.csv",
                  "\xe4\xb8\xad\xe6\x96\x87\n"));
    CHECK(file_is("wb-back_slash.csv", "back\\slash\n"));
    CHECK(file_is("wb-Sheet-2.csv", "Sheet\n"));
    CHECK(strcmp(kc_csv_writer_last_name(&w), "wb-Sheet-2.csv") == 0);
    kc_csv_writer_free(&w);

    /* the same document again: the same names (deterministic), replaced */
    int before = count_files();
    CHECK_EQ_INT(to_csv(doc, "wb", 0, &w, &kerr), 0);
    CHECK_EQ_INT(w.files, 9);
    CHECK_EQ_INT(count_files(), before);
    kc_csv_writer_free(&w);

    /* a long name is cut at a character boundary, the file name stays
     * within 160 bytes; two that agree on their first 150 bytes differ */
    struct kc_buf d = {0};
    kc_buf_adds(&d, HEAD);
    for (int k = 0; k < 2; k++) {
        kc_buf_adds(&d, "<table:table table:name=\"");
        for (int i = 0; i < 100; i++)
            kc_buf_adds(&d, "\xe4\xb8\xad"); /* 300 bytes */
        kc_buf_adds(&d, k ? "1" : "2");
        kc_buf_adds(&d, "\"/>");
    }
    kc_buf_adds(&d, TAIL);
    CHECK_EQ_INT(to_csv(kc_buf_str(&d), "long", 0, &w, &kerr), 0);
    if (w.err[0])
        fprintf(stderr, "  %s / %s\n", err, w.err);
    CHECK_EQ_INT(w.files, 2);
    for (size_t i = 0; i < w.nnames; i++) {
        CHECK(strlen(w.names[i]) <= 160);
        CHECK(kc_utf8_valid(w.names[i], strlen(w.names[i])));
    }
    CHECK(w.nnames == 2 && strcmp(w.names[0], w.names[1]) != 0);
    kc_csv_writer_free(&w);
    kc_buf_free(&d);

    /* a workbook name too long to leave room for any sheet */
    char stem[150];
    memset(stem, 's', sizeof stem - 1);
    stem[sizeof stem - 1] = '\0';
    CHECK_EQ_INT(to_csv(HEAD SHEET("x") TAIL, stem, 0, &w, &kerr), -1);
    CHECK(strstr(w.err, "would be too long") != NULL);
    CHECK_EQ_INT(w.files, 0);
    kc_csv_writer_free(&w);
}

/* A folder that cannot be written: the sheet fails with the reason. */
static void test_write_fails(void)
{
    struct kc_csv_writer w;
    struct kc_sheet_sink sink;
    struct kc_err kerr;
    char *err = kerr.msg;
    char *dir = kc_path_join(tmpdir, "missing/below");
    kc_csv_writer_init(&w, dir, "wb", &sink);
    struct kc_scan_result res;
    const char *doc = HEAD SHEET("x") TAIL;
    CHECK_EQ_INT(kc_fods_scan_mem(doc, strlen(doc), &sink, &res, &kerr), -1);
    CHECK(strstr(err, "stopped at a sheet") != NULL);
    CHECK(strstr(w.err, "No such file or directory") != NULL);
    CHECK_EQ_INT(w.files, 0);
    kc_csv_writer_free(&w);
    free(dir);
}

/* CSV injection: text that starts like a formula gets an apostrophe, a
 * number never; --csv-raw keeps the text as it is. */
static void test_injection(void)
{
    static const char doc[] =
        HEAD "<table:table table:name=\"s\"><table:table-row>" CELL(
            "office:value-type=\"string\"", "=HYPERLINK(\"http://x\")")
            CELL("office:value-type=\"string\"",
                 "+1") CELL("office:value-type=\"string\"", "@SUM(A1)")
                CELL("office:value-type=\"string\"", "-x") CELL(
                    "office:value-type=\"float\" office:value=\"-1.5\"", "-1.5")
                    CELL("office:value-type=\"string\"",
                         "a=b") "</table:table-row></table:table>" TAIL;
    struct kc_csv_writer w;
    struct kc_err kerr;
    CHECK_EQ_INT(to_csv(doc, "inj", 0, &w, &kerr), 0);
    CHECK(file_is("inj-s.csv",
                  "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'@SUM(A1),'-x,-1.5,"
                  "a=b\n"));
    kc_csv_writer_free(&w);
    struct kc_sheet_sink sink;
    kc_csv_writer_init(&w, tmpdir, "raw", &sink);
    w.raw = 1;
    struct kc_scan_result res;
    CHECK_EQ_INT(kc_fods_scan_mem(doc, strlen(doc), &sink, &res, &kerr), 0);
    CHECK(
        file_is("raw-s.csv",
                "\"=HYPERLINK(\"\"http://x\"\")\",+1,@SUM(A1),-x,-1.5,a=b\n"));
    kc_csv_writer_free(&w);
    CHECK(kc_csv_formula_like("=1") && kc_csv_formula_like("\t") &&
          !kc_csv_formula_like("") && !kc_csv_formula_like(NULL) &&
          !kc_csv_formula_like("1="));
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_cells();
    test_cell_text();
    test_names();
    test_write_fails();
    test_injection();
    kc_rmtree(tmpdir);
    return kpi_test_report("batch sheetcsv");
}
