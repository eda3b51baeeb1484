/* Unit tests of batch/fods.c through its in-memory entry point: every
 * cell type, repeated rows and columns, covered cells, comments, entities
 * and character references, invalid UTF-8, the size limits of a cell and a
 * row, malformed XML, a sink that stops, and the path entry point. */
#include "buf.h"
#include "fods.h"
#include "kpi_test.h"
#include "text.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:"   \
    "office:1.0\" office:mimetype=\"application/"                              \
    "vnd.oasis.opendocument.spreadsheet\"><office:body><office:spreadsheet>"
#define TAIL "</office:spreadsheet></office:body></office:document>\n"

/* A sink that records everything as lines of text. */
struct rec {
    struct kc_buf out;
    long calls, stop_after; /* stop_after 0: never */
    int all_utf8;
};

static char type_letter(enum kc_cell_type t)
{
    return "-NDBSE"[t];
}

static int r_begin(void *ctx, const char *name)
{
    struct rec *r = ctx;
    r->all_utf8 &= kc_utf8_valid(name, strlen(name));
    return kc_buf_addf(&r->out, "sheet:%s\n", name);
}

static int r_cell(void *ctx, long row, long col, const struct kc_cell *c)
{
    struct rec *r = ctx;
    if (r->stop_after && ++r->calls > r->stop_after)
        return -1;
    r->all_utf8 &= kc_utf8_valid(c->value, strlen(c->value)) &&
                   kc_utf8_valid(c->text, strlen(c->text));
    return kc_buf_addf(&r->out, "%ld,%ld,%c,%s,%s\n", row, col,
                       type_letter(c->type), c->value, c->text);
}

static int r_end(void *ctx)
{
    struct rec *r = ctx;
    return kc_buf_adds(&r->out, "end\n");
}

/* Scans DOC; returns the scan's status, the records in R. */
static int scan(const char *doc, size_t len, struct rec *r,
                struct kc_scan_result *res, struct kc_err *err)
{
    memset(r, 0, sizeof *r);
    r->all_utf8 = 1;
    struct kc_sheet_sink sink = {r, r_begin, r_cell, r_end};
    kc_err_clear(err);
    return kc_fods_scan_mem(doc, len, &sink, res, err);
}

static const char every_type[] = HEAD
    "<table:table table:name=\"A&amp;B\">"
    "<table:table-column table:number-columns-repeated=\"5\"/>"
    "<table:table-row>"
    "<table:table-cell office:value-type=\"float\" "
    "office:value=\"0.911764705882353\" calcext:value-type=\"float\">"
    "<text:p>0.91</text:p></table:table-cell>"
    "<table:table-cell office:value-type=\"percentage\" office:value=\"0.5\">"
    "<text:p>50%</text:p></table:table-cell>"
    "<table:table-cell office:value-type=\"currency\" office:currency=\"CNY\" "
    "office:value=\"1234.5\"><text:p>\xc2\xa5"
    "1,234.50</text:p>"
    "</table:table-cell>"
    "<table:table-cell office:value-type=\"date\" "
    "office:date-value=\"2020-12-31\"><text:p>12/31/20</text:p>"
    "</table:table-cell>"
    "<table:table-cell office:value-type=\"time\" "
    "office:time-value=\"PT10H30M00S\"><text:p>10:30:00</text:p>"
    "</table:table-cell>"
    "<table:table-cell office:value-type=\"boolean\" "
    "office:boolean-value=\"true\"><text:p>TRUE</text:p></table:table-cell>"
    "<table:table-cell office:value-type=\"string\" "
    "calcext:value-type=\"string\"><text:p>a<text:s text:c=\"2\"/>b<text:tab/>"
    "c<text:line-break/>d &lt;&#x4e2d;&#25991;<![CDATA[<x>]]></text:p>"
    "<text:p>second</text:p></table:table-cell>"
    "<table:table-cell office:value-type=\"float\" office:value=\"1\" "
    "calcext:value-type=\"error\"><text:p>#DIV/0!</text:p></table:table-cell>"
    "<table:table-cell/>"
    "<table:table-cell office:value-type=\"string\"><office:annotation>"
    "<text:p>comment</text:p></office:annotation><text:p>vis</text:p>"
    "<draw:frame><text:p>in a drawing</text:p></draw:frame>"
    "</table:table-cell>"
    "</table:table-row>"
    "<table:table-row table:number-rows-repeated=\"2\">"
    "<table:table-cell table:number-columns-repeated=\"2\" "
    "office:value-type=\"float\" office:value=\"7\"><text:p>7</text:p>"
    "</table:table-cell>"
    "<table:covered-table-cell office:value-type=\"float\" office:value=\"9\">"
    "<text:p>9</text:p></table:covered-table-cell>"
    "<table:table-cell calcext:value-type=\"error\" office:value-type=\"float\""
    " office:value=\"0\"><text:p>#N/A</text:p></table:table-cell>"
    "</table:table-row>"
    "<table:table-row table:number-rows-repeated=\"1048572\">"
    "<table:table-cell table:number-columns-repeated=\"1024\"/>"
    "</table:table-row>"
    "<table:table-row><table:table-cell office:value-type=\"string\">"
    "<text:p>last</text:p></table:table-cell></table:table-row>"
    "<table:table-row><table:table-cell office:value-type=\"string\">"
    "<text:p>beyond the grid</text:p></table:table-cell></table:table-row>"
    "</table:table>"
    "<table:table table:name=\"bad&#0;&#xD800;&#x110000;x\xff\xc0\xaf\"/>"
    "<table:table table:name=\"&#x;&#-5;&#12345678901;&bogus;& \">"
    "<table:table-row><table:table-cell office:value-type=\"string\">"
    "<text:p>\xe4\xb8</text:p></table:table-cell></table:table-row>"
    "</table:table>" TAIL;

static const char every_type_want[] =
    "sheet:A&B\n"
    "0,0,N,0.911764705882353,0.91\n"
    "0,1,N,0.5,50%\n"
    "0,2,N,1234.5,\xc2\xa5"
    "1,234.50\n"
    "0,3,D,2020-12-31,12/31/20\n"
    "0,4,D,PT10H30M00S,10:30:00\n"
    "0,5,B,true,TRUE\n"
    "0,6,S,,a  b\tc\nd <\xe4\xb8\xad\xe6\x96\x87<x>\nsecond\n"
    "0,7,E,1,#DIV/0!\n"
    "0,9,S,,vis\n"
    "1,0,N,7,7\n"
    "1,1,N,7,7\n"
    "1,3,E,0,#N/A\n"
    "2,0,N,7,7\n"
    "2,1,N,7,7\n"
    "2,3,E,0,#N/A\n"
    "1048575,0,S,,last\n"
    "end\n"
    "sheet:bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd"
    "\xef\xbf\xbd\n"
    "end\n"
    "sheet:&#x;&#-5;&#12345678901;&bogus;& \n"
    "0,0,S,,\xef\xbf\xbd\xef\xbf\xbd\n"
    "end\n";

static void test_every_type(void)
{
    struct rec r;
    struct kc_scan_result res;
    struct kc_err kerr;
    char *err = kerr.msg;
    CHECK_EQ_INT(scan(every_type, sizeof every_type - 1, &r, &res, &kerr), 0);
    CHECK(strcmp(kc_buf_str(&r.out), every_type_want) == 0);
    if (strcmp(kc_buf_str(&r.out), every_type_want) != 0)
        fprintf(stderr, "got:\n%s\nerr: %s\n", kc_buf_str(&r.out), err);
    CHECK_EQ_INT(res.error_cells, 3);
    CHECK(r.all_utf8);
    kc_buf_free(&r.out);

    /* no sink: only counting */
    CHECK_EQ_INT(
        kc_fods_scan_mem(every_type, sizeof every_type - 1, NULL, &res, &kerr),
        0);
    CHECK_EQ_INT(res.error_cells, 3);

    /* the path entry point reads the same */
    char path[] = "/tmp/kc_test_fods_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, every_type, sizeof every_type - 1) ==
              (ssize_t)(sizeof every_type - 1));
        close(fd);
        memset(&r, 0, sizeof r);
        struct kc_sheet_sink sink = {&r, r_begin, r_cell, r_end};
        CHECK_EQ_INT(kc_fods_scan(path, &sink, &res, &kerr), 0);
        CHECK(strcmp(kc_buf_str(&r.out), every_type_want) == 0);
        kc_buf_free(&r.out);
        /* an empty file, a missing one */
        fd = open(path, O_WRONLY | O_TRUNC);
        close(fd);
        CHECK_EQ_INT(kc_fods_scan(path, NULL, &res, &kerr), -1);
        CHECK(strstr(err, "empty file") != NULL);
        unlink(path);
        CHECK_EQ_INT(kc_fods_scan(path, NULL, &res, &kerr), -1);
        CHECK(strstr(err, "No such file") != NULL);
    }
}

/* Error cells are counted once per cell of the grid, repeats included,
 * and none outside it. */
static void test_error_count(void)
{
    static const char doc[] =
        HEAD "<table:table table:name=\"S\">"
             "<table:table-row table:number-rows-repeated=\"3\">"
             "<table:table-cell calcext:value-type=\"error\" "
             "table:number-columns-repeated=\"4\"><text:p>#REF!</text:p>"
             "</table:table-cell></table:table-row>"
             "<table:table-row table:number-rows-repeated=\"1048572\"/>"
             "<table:table-row table:number-rows-repeated=\"5\">"
             "<table:table-cell table:number-columns-repeated=\"16383\"/>"
             "<table:table-cell office:value-type=\"error\" "
             "table:number-columns-repeated=\"99999\"><text:p>Err:502</text:p>"
             "</table:table-cell></table:table-row>"
             "</table:table>" TAIL;
    struct kc_scan_result res;
    struct kc_err kerr;
    CHECK_EQ_INT(kc_fods_scan_mem(doc, sizeof doc - 1, NULL, &res, &kerr), 0);
    /* 3 x 4, then 1 column x 1 row (the last row of the grid) */
    CHECK_EQ_INT(res.error_cells, 13);
}

static void expect_fail(const char *doc, const char *want)
{
    struct rec r;
    struct kc_scan_result res;
    struct kc_err kerr;
    char *err = kerr.msg;
    int rc = scan(doc, strlen(doc), &r, &res, &kerr);
    CHECK_EQ_INT(rc, -1);
    CHECK(strstr(err, want) != NULL);
    if (!strstr(err, want))
        fprintf(stderr, "  want '%s', got '%s'\n", want, err);
    kc_buf_free(&r.out);
}

static void test_malformed(void)
{
    expect_fail(HEAD "</table:table>" TAIL, "unbalanced end tag");
    expect_fail(HEAD "<table:table table:name=\"x\">",
                "ends inside an element");
    expect_fail(HEAD "<table:table table:name=\"x", "unterminated attribute");
    expect_fail(HEAD "<table:table table:name=x>" TAIL, "unquoted attribute");
    expect_fail(HEAD "<table:table table:name>" TAIL,
                "attribute without a value");
    expect_fail(HEAD "<table:table / >" TAIL, "stray '/'");
    expect_fail(HEAD "< >" TAIL, "empty tag name");
    expect_fail(HEAD "<", "truncated tag");
    expect_fail(HEAD "<table:table table:name=\"x\"", "truncated tag");
    expect_fail(HEAD "<table:table table:name=\"x\"><table:table-row>"
                     "<table:table-cell><text:p><![CDATA[abc",
                "unterminated CDATA");
    expect_fail("<office:document><office:body/></office:document>",
                "no office:spreadsheet");
    expect_fail("", "no office:spreadsheet");
    expect_fail("just text, no XML", "no office:spreadsheet");
    /* NULL data with a length */
    struct kc_scan_result res;
    struct kc_err kerr;
    CHECK_EQ_INT(kc_fods_scan_mem(NULL, 5, NULL, &res, &kerr), -1);
    CHECK_EQ_INT(kc_fods_scan_mem("x", 1, NULL, NULL, &kerr), -1);
    CHECK_EQ_INT(kc_fods_scan(NULL, NULL, &res, &kerr), -1);
}

/* A sink that stops ends the scan with an error. */
static void test_sink_stops(void)
{
    struct rec r;
    memset(&r, 0, sizeof r);
    r.all_utf8 = 1;
    r.stop_after = 3;
    struct kc_sheet_sink sink = {&r, r_begin, r_cell, r_end};
    struct kc_scan_result res;
    struct kc_err kerr;
    char *err = kerr.msg;
    CHECK_EQ_INT(
        kc_fods_scan_mem(every_type, sizeof every_type - 1, &sink, &res, &kerr),
        -1);
    CHECK(strstr(err, "stopped while reading cells") != NULL);
    CHECK_EQ_INT(r.calls, 4);
    kc_buf_free(&r.out);
}

/* A cell beyond KC_FODS_MAX_CELL_BYTES fails, naming where it is; one at
 * the limit passes; a row beyond KC_FODS_MAX_ROW_BYTES fails. */
static void test_limits(void)
{
    const size_t max = KC_FODS_MAX_CELL_BYTES;
    struct kc_buf d = {0};
    struct kc_err kerr;
    char *err = kerr.msg;
    struct kc_scan_result res;
    /* exactly the limit, as text */
    kc_buf_adds(&d, HEAD "<table:table table:name=\"big\"><table:table-row>"
                         "<table:table-cell office:value-type=\"string\">"
                         "<text:p>");
    size_t at = d.len;
    for (size_t i = 0; i < max; i++)
        kc_buf_addc(&d, 'x');
    kc_buf_adds(&d, "</text:p></table:table-cell></table:table-row>"
                    "</table:table>" TAIL);
    CHECK_EQ_INT(kc_fods_scan_mem(d.p, d.len, NULL, &res, &kerr), 0);
    /* one byte more */
    d.p[at + max - 1] = 'y';
    kc_buf_clear(&d);
    kc_buf_adds(&d, HEAD "<table:table table:name=\"big\"><table:table-row>"
                         "<table:table-cell/><table:table-cell>"
                         "<text:p>");
    for (size_t i = 0; i <= max; i++)
        kc_buf_addc(&d, 'x');
    kc_buf_adds(&d, "</text:p></table:table-cell></table:table-row>"
                    "</table:table>" TAIL);
    CHECK_EQ_INT(kc_fods_scan_mem(d.p, d.len, NULL, &res, &kerr), -1);
    CHECK(strstr(err, "sheet 'big', row 1, column 2: a cell holds more than "
                      "1048576 bytes") != NULL);
    /* through spaces: 105 x 10,000 */
    kc_buf_clear(&d);
    kc_buf_adds(&d, HEAD "<table:table table:name=\"s\"><table:table-row>"
                         "<table:table-cell><text:p>");
    for (int i = 0; i < 105; i++)
        kc_buf_adds(&d, "<text:s text:c=\"10000\"/>");
    kc_buf_adds(&d, "</text:p></table:table-cell></table:table-row>"
                    "</table:table>" TAIL);
    CHECK_EQ_INT(kc_fods_scan_mem(d.p, d.len, NULL, &res, &kerr), -1);
    CHECK(strstr(err, "a cell holds more than") != NULL);
    /* through CDATA */
    kc_buf_clear(&d);
    kc_buf_adds(&d, HEAD "<table:table table:name=\"s\"><table:table-row>"
                         "<table:table-cell><text:p><![CDATA[");
    for (size_t i = 0; i <= max; i++)
        kc_buf_addc(&d, 'c');
    kc_buf_adds(&d, "]]></text:p></table:table-cell></table:table-row>"
                    "</table:table>" TAIL);
    CHECK_EQ_INT(kc_fods_scan_mem(d.p, d.len, NULL, &res, &kerr), -1);
    CHECK(strstr(err, "a cell holds more than") != NULL);
    /* a value attribute */
    kc_buf_clear(&d);
    kc_buf_adds(&d, HEAD "<table:table table:name=\"s\"><table:table-row>"
                         "<table:table-cell office:value-type=\"float\" "
                         "office:value=\"");
    for (size_t i = 0; i <= max; i++)
        kc_buf_addc(&d, '1');
    kc_buf_adds(&d, "\"/></table:table-row></table:table>" TAIL);
    CHECK_EQ_INT(kc_fods_scan_mem(d.p, d.len, NULL, &res, &kerr), -1);
    CHECK(strstr(err, "a cell holds more than") != NULL);
    /* a row: 64 cells of 1 MiB, then one more byte */
    kc_buf_clear(&d);
    kc_buf_adds(&d, HEAD "<table:table table:name=\"r\"><table:table-row "
                         "table:number-rows-repeated=\"4\"/><table:table-row>");
    for (int c = 0; c < 65; c++) {
        kc_buf_adds(&d, "<table:table-cell><text:p>");
        for (size_t i = 0; i < (c < 64 ? max : 1); i++)
            kc_buf_addc(&d, 'r');
        kc_buf_adds(&d, "</text:p></table:table-cell>");
    }
    kc_buf_adds(&d, "</table:table-row></table:table>" TAIL);
    CHECK_EQ_INT(kc_fods_scan_mem(d.p, d.len, NULL, &res, &kerr), -1);
    CHECK(strstr(err, "sheet 'r', row 5: the row holds more than") != NULL);
    kc_buf_free(&d);
}

int main(void)
{
    test_every_type();
    test_error_count();
    test_malformed();
    test_sink_stops();
    test_limits();
    return kpi_test_report("batch fods");
}
