/* Unit tests of kpicalc new-year's pure parts (batch/newyear.c), through
 * their in-memory entry points: the cell-address parser and the reader of
 * the rollover plan that a workbook's Config sheet computes. */
#include "buf.h"
#include "kpi_test.h"
#include "newyear.h"

#include <stdlib.h>
#include <string.h>

/* Parses ADDR; checks the outcome against SHEET (NULL: must fail), ROW
 * and COL (0-based). */
static void addr(const char *a, const char *sheet, long row, long col)
{
    char *s = (char *)"untouched";
    long r = -7, c = -7;
    int rc = kc_ny_parse_address(a, &s, &r, &c);
    if (!sheet) {
        if (rc == 0)
            fprintf(stderr, "accepted: '%s'\n", a);
        CHECK_EQ_INT(rc, -1);
        CHECK(s == NULL); /* never left dangling */
        return;
    }
    if (rc != 0)
        fprintf(stderr, "refused: '%s'\n", a);
    CHECK_EQ_INT(rc, 0);
    if (rc == 0) {
        CHECK(strcmp(s, sheet) == 0);
        CHECK_EQ_INT(r, row);
        CHECK_EQ_INT(c, col);
        free(s);
    }
}

static void test_addresses(void)
{
    addr("$History.$B$11", "History", 10, 1);
    addr("History.B11", "History", 10, 1);
    addr("$Input.$C$3", "Input", 2, 2);
    addr("Input.$C3", "Input", 2, 2);
    addr("Input.C$3", "Input", 2, 2);
    addr("$Sheet1.$A$1", "Sheet1", 0, 0);
    addr("$S.$Z$1", "S", 0, 25);
    addr("$S.$AA$1", "S", 0, 26);
    addr("$S.$AMJ$1048576", "S", 1048575, 1023);
    addr("$S.$XFD$2", "S", 1, 16383);
    /* quoted names: spaces, dots, doubled quotes, Chinese */
    addr("$'My Sheet'.$B$2", "My Sheet", 1, 1);
    addr("'a.b'.C4", "a.b", 3, 2);
    addr("$'it''s'.$A$1", "it's", 0, 0);
    addr("$'历史'.$B$11", "历史", 10, 1);
    addr("$历史.$B$11", "历史", 10, 1);
    /* not a single cell */
    addr("", NULL, 0, 0);
    addr("$History", NULL, 0, 0);
    addr("$History.", NULL, 0, 0);
    addr(".$B$11", NULL, 0, 0);
    addr("$.$B$11", NULL, 0, 0);
    addr("$History.$B$0", NULL, 0, 0);
    addr("$History.$B$011", NULL, 0, 0);
    addr("$History.$B$1048577", NULL, 0, 0);
    addr("$History.$B$99999999999999999999", NULL, 0, 0);
    addr("$History.$B", NULL, 0, 0);
    addr("$History.$11", NULL, 0, 0);
    addr("$History.$b$11", NULL, 0, 0);
    addr("$History.$ABCDE$1", NULL, 0, 0);
    addr("$History.$B$11:$C$12", NULL, 0, 0);
    addr("$History.$B$11 ", NULL, 0, 0);
    addr("$History.$B$-1", NULL, 0, 0);
    addr("$History.$B$+1", NULL, 0, 0);
    addr("'unclosed.$B$1", NULL, 0, 0);
    addr("''.$B$1", NULL, 0, 0);
    addr("'a'b.$B$1", NULL, 0, 0);
    addr("#REF!", NULL, 0, 0);
}

/* ------------------------------------------------------------------------ */
/* Plans, from flat ODF built here */

/* One row of the Config sheet: up to three cells; a cell "=N" is the
 * number N, "!E" an error showing E, NULL or "" empty, else text. */
static void row(struct kc_buf *b, const char *a, const char *t, const char *v)
{
    const char *cells[3] = {a, t, v};
    kc_buf_adds(b, "<table:table-row>");
    for (int i = 0; i < 3; i++) {
        const char *c = cells[i];
        if (!c || !*c)
            kc_buf_adds(b, "<table:table-cell/>");
        else if (c[0] == '=')
            kc_buf_addf(b,
                        "<table:table-cell office:value-type=\"float\" "
                        "office:value=\"%s\"><text:p>%s</text:p>"
                        "</table:table-cell>",
                        c + 1, c + 1);
        else if (c[0] == '!')
            kc_buf_addf(b,
                        "<table:table-cell table:formula=\"of:=NA()\" "
                        "office:value-type=\"error\" "
                        "calcext:value-type=\"error\"><text:p>%s</text:p>"
                        "</table:table-cell>",
                        c + 1);
        else
            kc_buf_addf(b,
                        "<table:table-cell office:value-type=\"string\">"
                        "<text:p>%s</text:p></table:table-cell>",
                        c);
    }
    kc_buf_adds(b, "</table:table-row>");
}

static const char *head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:"
    "xmlns:calcext:1.0\" office:mimetype=\"application/"
    "vnd.oasis.opendocument.spreadsheet\"><office:body><office:spreadsheet>"
    "<table:table table:name=\"Input\"><table:table-row><table:table-cell "
    "office:value-type=\"string\"><text:p>kpicalc-rollover</text:p>"
    "</table:table-cell></table:table-row></table:table>";

/* A Config sheet: the marker row (MARKER, VERSION), then "plan" and the
 * rows of OPS (triples, ended by NULL). */
static int plan_of(const char *marker, const char *version,
                   const char *const *ops, struct kc_ny_plan *p,
                   struct kc_err *err)
{
    struct kc_buf b = {0};
    kc_buf_adds(&b, head);
    kc_buf_adds(&b, "<table:table table:name=\"Config\">");
    row(&b, marker, version, "layout version");
    row(&b, "history_row", "=11", NULL);
    row(&b, NULL, NULL, NULL);
    row(&b, "plan", "target", "value");
    for (int i = 0; ops[i]; i += 3)
        row(&b, ops[i], ops[i + 1], ops[i + 2]);
    kc_buf_adds(&b, "</table:table></office:spreadsheet></office:body>"
                    "</office:document>");
    kc_err_clear(err);
    int rc = kc_ny_plan_parse_fods(kc_buf_str(&b), b.len, p, err);
    kc_buf_free(&b);
    return rc;
}

/* Expects the plan OPS to be refused with a reason containing WHY. */
static void refused(const char *marker, const char *version,
                    const char *const *ops, const char *why)
{
    struct kc_ny_plan p;
    struct kc_err kerr;
    char *err = kerr.msg;
    int rc = plan_of(marker, version, ops, &p, &kerr);
    CHECK_EQ_INT(rc, -1);
    if (!strstr(err, why))
        fprintf(stderr, "reason '%s' lacks '%s'\n", err, why);
    CHECK(strstr(err, why) != NULL);
    CHECK(p.n == 0 && p.v == NULL);
}

static void test_plans(void)
{
    static const char *const good[] = {"year",
                                       "$Input.$C$3",
                                       "=2020",
                                       "set",
                                       "$History.$A$11",
                                       "=2020",
                                       "set",
                                       "$History.$B$11",
                                       "=34",
                                       "set",
                                       "$History.$C$11",
                                       "",
                                       "set",
                                       "$History.$U$11",
                                       "东陈乡2020年度报告",
                                       "set",
                                       "$History.$V$11",
                                       "0012",
                                       "clear",
                                       "$Input.$C$9",
                                       "",
                                       "clear",
                                       "$'My Input'.$E$9",
                                       "",
                                       "end",
                                       "",
                                       "",
                                       NULL};
    struct kc_ny_plan p;
    struct kc_err kerr;
    char *err = kerr.msg;
    int rc = plan_of("kpicalc-rollover", "=1", good, &p, &kerr);
    if (rc != 0)
        fprintf(stderr, "good plan refused: %s\n", err);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(p.n, 8);
    CHECK_EQ_INT(p.year, 2020);
    if (rc == 0 && p.n == 8) {
        CHECK(p.v[0].op == KC_NY_YEAR);
        CHECK(strcmp(p.v[0].sheet, "Input") == 0 && p.v[0].row == 2 &&
              p.v[0].col == 2);
        CHECK(p.v[2].op == KC_NY_SET && p.v[2].kind == KC_NY_NUMBER &&
              strcmp(p.v[2].value, "34") == 0);
        CHECK(p.v[2].plan_row == 7); /* rows 1-4 head it; "year" is 5 */
        CHECK(p.v[3].kind == KC_NY_NONE);
        CHECK(p.v[4].kind == KC_NY_TEXT &&
              strcmp(p.v[4].value, "东陈乡2020年度报告") == 0);
        CHECK(p.v[5].kind == KC_NY_TEXT && strcmp(p.v[5].value, "0012") == 0);
        CHECK(p.v[6].op == KC_NY_CLEAR && p.v[6].row == 8 && p.v[6].col == 2);
        CHECK(strcmp(p.v[7].sheet, "My Input") == 0);
        CHECK(strcmp(p.v[7].target, "$'My Input'.$E$9") == 0);
    }
    kc_ny_plan_free(&p);
    CHECK(p.n == 0 && p.v == NULL);

    static const char *const end_only[] = {"end", "", "", NULL};
    static const char *const no_end[] = {"year", "$Input.$C$3", "=2020", NULL};
    static const char *const bad_op[] = {
        "year", "$Input.$C$3", "=2020", "move", "$A.$B$1",
        "",     "end",         "",      "",     NULL};
    static const char *const bad_addr[] = {
        "year", "$Input.$C$3", "=2020", "set", "$History.$B$0",
        "=1",   "end",         "",      "",    NULL};
    static const char *const no_year[] = {
        "year", "$Input.$C$3", "!#N/A", "end", "", "", NULL};
    static const char *const text_year[] = {
        "year", "$Input.$C$3", "2020年", "end", "", "", NULL};
    static const char *const frac_year[] = {
        "year", "$Input.$C$3", "=2020.5", "end", "", "", NULL};
    static const char *const two_years[] = {
        "year",  "$Input.$C$3", "=2020", "year", "$Input.$C$3",
        "=2020", "end",         "",      "",     NULL};
    static const char *const clear_value[] = {
        "year", "$Input.$C$3", "=2020", "clear", "$Input.$C$9",
        "=1",   "end",         "",      "",      NULL};
    static const char *const error_value[] = {
        "year",     "$Input.$C$3", "=2020", "set", "$History.$B$11",
        "!#VALUE!", "end",         "",      "",    NULL};
    static const char *const error_target[] = {
        "year", "$Input.$C$3", "=2020", "set", "!#N/A",
        "=1",   "end",         "",      "",    NULL};
    refused("something else", "=1", end_only, "not a kpicalc yearly workbook");
    refused(NULL, NULL, end_only, "not a kpicalc yearly workbook");
    refused("kpicalc-rollover", "=2", end_only, "layout version 2");
    refused("kpicalc-rollover", "1", end_only, "layout version");
    refused("kpicalc-rollover", "=1", end_only, "has 0 'year' rows");
    refused("kpicalc-rollover", "=1", no_end, "no 'end' row");
    refused("kpicalc-rollover", "=1", bad_op, "unknown operation 'move'");
    refused("kpicalc-rollover", "=1", bad_addr,
            "'$History.$B$0' is not a cell address");
    refused("kpicalc-rollover", "=1", no_year,
            "no year: its year cell $Input.$C$3 shows #N/A");
    refused("kpicalc-rollover", "=1", text_year, "'2020年', not a year");
    refused("kpicalc-rollover", "=1", frac_year, "not a year");
    refused("kpicalc-rollover", "=1", two_years, "has 2 'year' rows");
    refused("kpicalc-rollover", "=1", clear_value, "'clear' with a value");
    refused("kpicalc-rollover", "=1", error_value, "the plan shows #VALUE!");
    refused("kpicalc-rollover", "=1", error_target, "the plan shows #N/A");

    /* not flat ODF at all */
    struct kc_err kerr2;
    char *err2 = kerr2.msg;
    struct kc_ny_plan q;
    CHECK_EQ_INT(kc_ny_plan_parse_fods("<x", 2, &q, &kerr2), -1);
    CHECK(q.n == 0);
    /* no Config sheet */
    struct kc_buf b = {0};
    kc_buf_adds(&b, head);
    kc_buf_adds(&b, "</office:spreadsheet></office:body></office:document>");
    CHECK_EQ_INT(kc_ny_plan_parse_fods(kc_buf_str(&b), b.len, &q, &kerr2), -1);
    CHECK(strstr(err2, "not a kpicalc yearly workbook") != NULL);
    kc_buf_free(&b);
}

int main(void)
{
    test_addresses();
    test_plans();
    return kpi_test_report("batch new-year plan and addresses");
}
