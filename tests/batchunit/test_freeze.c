/* Unit tests of batch/freeze.c: freezing the add-in's cells of a .fods.
 * Every case runs through kc_freeze_mem_chunked with several chunk sizes
 * (1 byte at a time up to 64 KiB), so that no result depends on where the
 * input is cut; then the file API.
 *
 * With two arguments, `test_batch_freeze IN OUT` freezes the file IN into
 * OUT (OUT "-": count only) and prints the counts: the driver of the
 * end-to-end check (tests/batch/check_portable.py, docs in its header). */
#include "freeze.h"
#include "kpi_test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document "            \
    "xmlns:office=\"o\" xmlns:table=\"t\" xmlns:text=\"x\" "                   \
    "xmlns:calcext=\"c\"><office:body><office:spreadsheet>"
#define SHEET "<table:table table:name=\"S\">"
#define TAIL                                                                   \
    "</table:table></office:spreadsheet></office:body></office:document>\n"
#define ROW(x) "<table:table-row>" x "</table:table-row>"
#define K "ORG.KPICALC.KPICALC."

static const size_t chunks[] = {1, 2, 3, 7, 64, 65536};

/* Freezes IN with every chunk size; checks that all give the same output
 * and counts, that the output equals WANT (NULL: IN itself) and that
 * freezing the output again changes nothing. Returns the stats. */
static struct kc_freeze_stats freeze_ok(const char *in, const char *want,
                                        int line)
{
    struct kc_freeze_stats st0 = {0};
    char first[1 << 16];
    first[0] = '\0';
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        struct kc_buf out = {0};
        struct kc_freeze_stats st;
        struct kc_err kerr = {""};
        char *err = kerr.msg;
        int rc =
            kc_freeze_mem_chunked(in, strlen(in), chunks[i], &out, &st, &kerr);
        if (rc != 0) {
            fprintf(stderr, "line %d: chunk %zu: %s\n", line, chunks[i], err);
            CHECK(rc == 0);
            kc_buf_free(&out);
            return st0;
        }
        const char *got = kc_buf_str(&out);
        if (i == 0) {
            st0 = st;
            snprintf(first, sizeof first, "%s", got);
            const char *w = want ? want : in;
            if (strcmp(got, w) != 0)
                fprintf(stderr, "line %d:\n got: %s\nwant: %s\n", line, got, w);
            CHECK(strcmp(got, w) == 0);
            /* idempotent: nothing left to freeze */
            struct kc_buf again = {0};
            struct kc_freeze_stats st2;
            CHECK_EQ_INT(kc_freeze_mem(out.p, out.len, &again, &st2, &kerr), 0);
            CHECK(strcmp(kc_buf_str(&again), got) == 0);
            CHECK_EQ_INT(st2.cells_frozen, 0);
            CHECK_EQ_INT(st2.calls_outside, st.calls_outside);
            kc_buf_free(&again);
        } else {
            CHECK(strcmp(got, first) == 0);
            CHECK_EQ_INT(st.cells_frozen, st0.cells_frozen);
            CHECK_EQ_INT(st.errors_frozen, st0.errors_frozen);
            CHECK_EQ_INT(st.calls_outside, st0.calls_outside);
        }
        /* count only gives the same counts */
        struct kc_freeze_stats sc;
        CHECK_EQ_INT(
            kc_freeze_mem_chunked(in, strlen(in), chunks[i], NULL, &sc, &kerr),
            0);
        CHECK_EQ_INT(sc.cells_frozen, st.cells_frozen);
        kc_buf_free(&out);
    }
    return st0;
}

/* Freezing IN must fail with a message containing WHY, with every chunk
 * size, and leave OUT untouched. */
static void freeze_fails(const char *in, const char *why, int line)
{
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        struct kc_buf out = {0};
        kc_buf_adds(&out, "kept");
        struct kc_freeze_stats st;
        struct kc_err kerr = {""};
        char *err = kerr.msg;
        int rc =
            kc_freeze_mem_chunked(in, strlen(in), chunks[i], &out, &st, &kerr);
        if (rc == 0 || !strstr(err, why))
            fprintf(stderr,
                    "line %d: chunk %zu: rc %d, err \"%s\", want \"%s\"\n",
                    line, chunks[i], rc, err, why);
        CHECK(rc != 0);
        CHECK(strstr(err, why) != NULL);
        CHECK(strcmp(kc_buf_str(&out), "kept") == 0);
        kc_buf_free(&out);
    }
}

#define FREEZE(in, want) freeze_ok(in, want, __LINE__)
#define FAILS(in, why) freeze_fails(in, why, __LINE__)

static void test_calls(void)
{
    const char *f;
    f = "of:=" K "CERTRATE(31;34)";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 1);
    f = "of:=org.kpicalc.kpicalc.certrate(31;34)+Org.KpiCalc.KpiCalc.YOY (1;2)";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 2);
    f = "of:=\"" K "CERTRATE(1;2)\"&\"KPICALC\"";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 0);
    f = "of:=[$'" K "X('.A1]+['a''" K "Y(''b'.B2]";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 0);
    f = "of:=MYORG.KPICALC.X(1)+ORG.KPICALC.+ORG.KPICALC.NAME";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 0);
    f = "of:=IF(A;\"\";" K "RATECI([.A1];[.B1]))";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 1);
    f = "of:=\"unterminated " K "X(";
    CHECK_EQ_INT(kc_freeze_count_calls(f, strlen(f)), 0);
    CHECK_EQ_INT(kc_freeze_count_calls("", 0), 0);
}

static void test_error_formula(void)
{
    static const char *const e[][2] = {
        {"#DIV/0!", "of:=1/0"},           {"#NUM!", "of:=ASIN(2)"},
        {"#VALUE!", "of:=\"#VALUE!\"+0"}, {"#N/A", "of:=NA()"},
        {"#NAME?", "of:=#NAME?"},         {"#REF!", "of:=INDIRECT(\"\")"},
        {"#NULL!", "of:=#NULL!"},         {"Err:511", "of:=\"#VALUE!\"+0"},
        {"Err:502", "of:=\"#VALUE!\"+0"}, {"", "of:=\"#VALUE!\"+0"},
        {" #N/A\n", "of:=NA()"},          {"#div/0!", "of:=\"#VALUE!\"+0"}};
    for (size_t i = 0; i < sizeof e / sizeof *e; i++)
        CHECK(strcmp(kc_freeze_error_formula(e[i][0], strlen(e[i][0])),
                     e[i][1]) == 0);
}

static void test_values(void)
{
    struct kc_freeze_stats st;
    /* a number, a text, a truth value, lower case, a reference in entities */
    st = FREEZE(
        HEAD SHEET ROW(
            "<table:table-cell table:style-name=\"ce1\" table:formula=\"of:=" K
            "CERTRATE(31;34)\" office:value-type=\"float\" "
            "office:value=\"0.911764705882353\" calcext:value-type=\"float\">"
            "<text:p>0.9118</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=IF(" K
            "CERTRATE(1;2)&gt;0;&quot;yes &amp; no&quot;;&quot;no&quot;)\" "
            "office:value-type=\"string\" office:string-value=\"yes &amp; no\" "
            "calcext:value-type=\"string\"><text:p>yes &amp; no</text:p>"
            "</table:table-cell>"
            "<table:table-cell table:formula='of:=org.kpicalc.kpicalc."
            "doubledecline(5;3;0.2;0)&lt;&gt;0' office:value-type=\"boolean\" "
            "office:boolean-value=\"true\" calcext:value-type=\"boolean\">"
            "<text:p>TRUE</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=ORG.KPI&#67;ALC.KPICALC.YOY("
            "[.A1];2)\" office:value-type=\"percentage\" office:value=\"-0.5\" "
            "calcext:value-type=\"percentage\"><text:p>-50%</text:p>"
            "</table:table-cell>") TAIL,
        HEAD SHEET ROW(
            "<table:table-cell table:style-name=\"ce1\" "
            "office:value-type=\"float\" "
            "office:value=\"0.911764705882353\" calcext:value-type=\"float\">"
            "<text:p>0.9118</text:p></table:table-cell>"
            "<table:table-cell "
            "office:value-type=\"string\" office:string-value=\"yes &amp; no\" "
            "calcext:value-type=\"string\"><text:p>yes &amp; no</text:p>"
            "</table:table-cell>"
            "<table:table-cell office:value-type=\"boolean\" "
            "office:boolean-value=\"true\" calcext:value-type=\"boolean\">"
            "<text:p>TRUE</text:p></table:table-cell>"
            "<table:table-cell office:value-type=\"percentage\" "
            "office:value=\"-0.5\" "
            "calcext:value-type=\"percentage\"><text:p>-50%</text:p>"
            "</table:table-cell>") TAIL);
    CHECK_EQ_INT(st.cells_frozen, 4);
    CHECK_EQ_INT(st.errors_frozen, 0);
    CHECK_EQ_INT(st.calls_outside, 0);
    /* an empty-text result (LibreOffice writes no value type), an empty
     * element, a covered cell with a formula */
    st = FREEZE(
        HEAD SHEET ROW(
            "<table:table-cell table:formula=\"of:=IF(" K
            "YOY(1;2)&lt;0;&quot;&quot;;1)\"><text:p/></table:table-cell>"
            "<table:table-cell table:formula=\"of:=" K "YOY(1;2)\"/>"
            "<table:covered-table-cell table:formula=\"of:=" K "YOY(1;2)\" "
            "office:value-type=\"float\" office:value=\"1\"/>") TAIL,
        HEAD SHEET ROW("<table:table-cell><text:p/></table:table-cell>"
                       "<table:table-cell/>"
                       "<table:covered-table-cell "
                       "office:value-type=\"float\" office:value=\"1\"/>")
            TAIL);
    CHECK_EQ_INT(st.cells_frozen, 3);
}

/* A frozen error cell as LibreOffice 7.4 writes it. */
#define ERRCELL(f, text)                                                       \
    "<table:table-cell table:formula=\"of:=" f "\" office:value-type="         \
    "\"string\" office:string-value=\"\" calcext:value-type=\"error\">"        \
    "<text:p>" text "</text:p></table:table-cell>"
#define FROZEN(e, text)                                                        \
    "<table:table-cell table:formula=\"of:=" e "\" office:value-type="         \
    "\"string\" office:string-value=\"\" calcext:value-type=\"error\">"        \
    "<text:p>" text "</text:p></table:table-cell>"

static void test_errors(void)
{
    struct kc_freeze_stats st;
    st = FREEZE(
        HEAD SHEET ROW(ERRCELL(K "CERTRATE(1;0)", "#DIV/0!")
                           ERRCELL(K "CERTRATE(5;3)", "#NUM!")
                               ERRCELL(K "CERTRATE(&quot;x&quot;;3)", "#VALUE!")
                                   ERRCELL("IF(1;NA();" K "YOY(1;2))", "#N/A"))
            ROW(ERRCELL("IF(1;nosuch;" K "YOY(1;2))",
                        "#NAME?") ERRCELL("IF(1;#REF!;" K "YOY(1;2))", "#REF!")
                    ERRCELL("IF(1;#NULL!;" K "YOY(1;2))", "#NULL!")
                        ERRCELL(K "CERTRATE()", "Err:511")
                            ERRCELL("IF(1;SQRT(-1);" K "YOY(1;2))", "Err:502"))
                TAIL,
        HEAD SHEET ROW(FROZEN("1/0", "#DIV/0!") FROZEN("ASIN(2)", "#NUM!")
                           FROZEN("&quot;#VALUE!&quot;+0", "#VALUE!")
                               FROZEN("NA()", "#N/A"))
            ROW(FROZEN("#NAME?", "#NAME?") FROZEN(
                "INDIRECT(&quot;&quot;)", "#REF!") FROZEN("#NULL!", "#NULL!")
                    FROZEN("&quot;#VALUE!&quot;+0", "#VALUE!")
                        FROZEN("&quot;#VALUE!&quot;+0", "#VALUE!")) TAIL);
    CHECK_EQ_INT(st.cells_frozen, 9);
    CHECK_EQ_INT(st.errors_frozen, 9);
    /* one of them reads #NAME?: a function the add-in does not know */
    CHECK_EQ_INT(st.name_errors, 1);
    /* the error is read from the cell's own first paragraph, not from a
     * comment; an error cell without text and an empty one: #VALUE!;
     * plain text that is no standard error (Err:511) becomes #VALUE! (not
     * text with markup in it) */
    st = FREEZE(
        HEAD SHEET ROW(
            "<table:table-cell table:formula=\"of:=" K "YOY(1;0)\" "
            "calcext:value-type=\"error\"><office:annotation><text:p>#NUM!"
            "</text:p></office:annotation><text:p><text:span>#DIV/0!"
            "</text:span></text:p><text:p>#N/A</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=" K "YOY(1;0)\" "
            "calcext:value-type=\"error\"><text:p/></table:table-cell>"
            "<table:table-cell table:formula=\"of:=" K "YOY(1;0)\" "
            "calcext:value-type=\"error\"/>"
            "<table:table-cell table:formula=\"of:=" K "YOY(1;0)\" "
            "calcext:value-type=\"error\"><text:p>Err&#58;511</text:p><text:p>x"
            "</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=" K "YOY(1;0)\" "
            "calcext:value-type=\"error\"><text:p>Err:<text:span>511"
            "</text:span></text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=" K "YOY(1;0)\" "
            "calcext:value-type=\"error\"><text:p></text:p></table:table-cell>")
            TAIL,
        HEAD SHEET ROW(
            "<table:table-cell table:formula=\"of:=1/0\" "
            "calcext:value-type=\"error\"><office:annotation><text:p>#NUM!"
            "</text:p></office:annotation><text:p><text:span>#DIV/0!"
            "</text:span></text:p><text:p>#N/A</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=&quot;#VALUE!&quot;+0\" "
            "calcext:value-type=\"error\"><text:p/></table:table-cell>"
            "<table:table-cell table:formula=\"of:=&quot;#VALUE!&quot;+0\" "
            "calcext:value-type=\"error\"/>"
            "<table:table-cell table:formula=\"of:=&quot;#VALUE!&quot;+0\" "
            "calcext:value-type=\"error\"><text:p>#VALUE!</text:p><text:p>x"
            "</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=&quot;#VALUE!&quot;+0\" "
            "calcext:value-type=\"error\"><text:p>Err:<text:span>511"
            "</text:span></text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=&quot;#VALUE!&quot;+0\" "
            "calcext:value-type=\"error\"><text:p>#VALUE!</text:p>"
            "</table:table-cell>") TAIL);
    CHECK_EQ_INT(st.errors_frozen, 6);
    CHECK_EQ_INT(st.name_errors, 0);
    /* a native formula's error stays as it is */
    FREEZE(HEAD SHEET ROW(ERRCELL("1/0", "#DIV/0!")) TAIL, NULL);
}

static void test_arrays(void)
{
    struct kc_freeze_stats st;
    /* RATECI over 3 cells (2 values and #N/A), after 2 repeated empty
     * cells, then a native array over 2 rows whose elements are errors */
    st = FREEZE(
        HEAD SHEET ROW(
            "<table:table-cell table:number-columns-repeated=\"2\"/>"
            "<table:table-cell table:number-matrix-columns-spanned=\"3\" "
            "table:number-matrix-rows-spanned=\"1\" table:formula=\"of:=" K
            "RATECI(31;34)\" office:value-type=\"float\" office:value=\"0.77\" "
            "calcext:value-type=\"float\"><text:p>0.77</text:p>"
            "</table:table-cell><table:table-cell office:value-type=\"float\" "
            "office:value=\"0.97\" calcext:value-type=\"float\"><text:p>0.97"
            "</text:p></table:table-cell><table:table-cell office:value-type="
            "\"string\" office:string-value=\"\" calcext:value-type=\"error\">"
            "<text:p>#N/A</text:p></table:table-cell>"
            "<table:table-cell table:number-matrix-columns-spanned=\"1\" "
            "table:number-matrix-rows-spanned=\"2\" table:formula=\"of:=1/"
            "[.A1:.A2]\" calcext:value-type=\"error\"><text:p>#DIV/0!</text:p>"
            "</table:table-cell>")
            ROW("<table:table-cell table:number-columns-repeated=\"4\"/>"
                "<table:table-cell calcext:value-type=\"error\"><text:p>"
                "#N/A</text:p></table:table-cell>"
                "<table:table-cell calcext:value-type=\"error\"><text:p>"
                "#DIV/0!</text:p></table:table-cell>") TAIL,
        HEAD SHEET ROW(
            "<table:table-cell table:number-columns-repeated=\"2\"/>"
            "<table:table-cell office:value-type=\"float\" "
            "office:value=\"0.77\" "
            "calcext:value-type=\"float\"><text:p>0.77</text:p>"
            "</table:table-cell><table:table-cell office:value-type=\"float\" "
            "office:value=\"0.97\" calcext:value-type=\"float\"><text:p>0.97"
            "</text:p></table:table-cell><table:table-cell table:formula="
            "\"of:=NA()\" office:value-type="
            "\"string\" office:string-value=\"\" calcext:value-type=\"error\">"
            "<text:p>#N/A</text:p></table:table-cell>"
            "<table:table-cell table:number-matrix-columns-spanned=\"1\" "
            "table:number-matrix-rows-spanned=\"2\" table:formula=\"of:=1/"
            "[.A1:.A2]\" calcext:value-type=\"error\"><text:p>#DIV/0!</text:p>"
            "</table:table-cell>")
            ROW("<table:table-cell table:number-columns-repeated=\"4\"/>"
                "<table:table-cell calcext:value-type=\"error\"><text:p>"
                "#N/A</text:p></table:table-cell>"
                "<table:table-cell calcext:value-type=\"error\"><text:p>"
                "#DIV/0!</text:p></table:table-cell>") TAIL);
    CHECK_EQ_INT(st.cells_frozen, 1);
    CHECK_EQ_INT(st.errors_frozen, 1);
    /* a 2x2 error array (RATECI(5;3)) in rows 2-3, under a repeated row;
     * the array's last row is repeated; the cell beside it is no part */
    st = FREEZE(
        HEAD SHEET
        "<table:table-row table:number-rows-repeated=\"1\"/>"
        "<table:table-row-group>" ROW(
            "<table:table-cell/><table:table-cell "
            "table:number-matrix-columns-spanned=\"2\" "
            "table:number-matrix-rows-spanned=\"3\" table:formula=\"of:=" K
            "RATECI(5;3)\" calcext:value-type=\"error\"><text:p>#NUM!</text:p>"
            "</table:table-cell><table:table-cell calcext:value-type=\"error\">"
            "<text:p>#NUM!</text:p></table:table-cell>") "<table:table-row "
                                                         "table:number-rows-"
                                                         "repeated=\"2\">"
                                                         "<table:table-cell/"
                                                         "><table:table-cell "
                                                         "calcext:value-type="
                                                         "\"error\" "
                                                         "table:number-columns-"
                                                         "repeated=\"2\"><text:"
                                                         "p>#NUM!"
                                                         "</text:p></"
                                                         "table:table-cell><"
                                                         "table:table-cell "
                                                         "calcext:value-type="
                                                         "\"error\"><text:p>#"
                                                         "NUM!</text:p></"
                                                         "table:table-cell>"
                                                         "</table:table-row></"
                                                         "table:table-row-"
                                                         "group>" ROW(
                                                             "<table:table-"
                                                             "cell/"
                                                             "><table:table-"
                                                             "cell "
                                                             "calcext:value-"
                                                             "type="
                                                             "\"error\"><text:"
                                                             "p>#NUM!</"
                                                             "text:p></"
                                                             "table:table-"
                                                             "cell>") TAIL,
        HEAD SHEET
        "<table:table-row table:number-rows-repeated=\"1\"/>"
        "<table:table-row-group>" ROW(
            "<table:table-cell/><table:table-cell "
            "table:formula=\"of:=ASIN(2)\" "
            "calcext:value-type=\"error\"><text:p>#NUM!</text:p>"
            "</table:table-cell><table:table-cell "
            "table:formula=\"of:=ASIN(2)\" "
            "calcext:value-type=\"error\">"
            "<text:p>#NUM!</text:p></table:table-cell>") "<table:table-row "
                                                         "table:number-rows-"
                                                         "repeated=\"2\">"
                                                         "<table:table-cell/"
                                                         "><table:table-cell "
                                                         "table:formula=\"of:="
                                                         "ASIN(2)\" "
                                                         "calcext:value-type="
                                                         "\"error\" "
                                                         "table:number-columns-"
                                                         "repeated=\"2\"><text:"
                                                         "p>#NUM!"
                                                         "</text:p></"
                                                         "table:table-cell><"
                                                         "table:table-cell "
                                                         "calcext:value-type="
                                                         "\"error\"><text:p>#"
                                                         "NUM!</text:p></"
                                                         "table:table-cell>"
                                                         "</table:table-row></"
                                                         "table:table-row-"
                                                         "group>" ROW(
                                                             "<table:table-"
                                                             "cell/"
                                                             "><table:table-"
                                                             "cell "
                                                             "calcext:value-"
                                                             "type="
                                                             "\"error\"><text:"
                                                             "p>#NUM!</"
                                                             "text:p></"
                                                             "table:table-"
                                                             "cell>") TAIL);
    CHECK_EQ_INT(st.cells_frozen, 1);
    CHECK_EQ_INT(st.errors_frozen, 1 + 1 + 4);
    /* a new sheet forgets the arrays of the one before */
    st = FREEZE(
        HEAD SHEET ROW(
            "<table:table-cell table:number-matrix-columns-spanned=\"1\" "
            "table:number-matrix-rows-spanned=\"2\" table:formula=\"of:=" K
            "RATECI(5;3)\" office:value=\"1\"/>") "</table:table>" SHEET ROW("")
            ROW("<table:table-cell calcext:value-type=\"error\"/>") TAIL,
        HEAD SHEET ROW(
            "<table:table-cell office:value=\"1\"/>") "</table:table>" SHEET
            ROW("") ROW("<table:table-cell calcext:value-type=\"error\"/>")
                TAIL);
    CHECK_EQ_INT(st.errors_frozen, 0);
}

static void test_native_and_copy(void)
{
    struct kc_freeze_stats st;
    /* native formulas stay, also one that refers to a frozen cell; a
     * string literal that names the add-in is no call; comments, CDATA,
     * processing instructions, entities, odd white space: byte for byte */
    const char *in =
        "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- <table:table-cell "
        "table:formula=\"of:=" K "X(1)\"> -->\n" HEAD "<?pi x?>" SHEET ROW(
            "<table:table-cell table:formula=\"of:=" K "CERTRATE(1;2)\" "
            "office:value-type=\"float\" office:value=\"0.5\"><text:p>0.5"
            "</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=[.A1]*2\" "
            "office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p>"
            "</table:table-cell>"
            "<table:table-cell   table:formula = 'of:=&quot;" K
            "CERTRATE(1;2)&quot;'\toffice:value-type=\"string\"\n"
            "office:string-value=\"" K "CERTRATE(1;2)\" ><text:p>"
            "<![CDATA[<&>]]>&#x4e2d;&#25991;&lt;&amp;&gt;&apos;&quot;"
            "\xe4\xb8\xad\xf0\x9f\x98\x80</text:p ></table:table-cell >") TAIL
        "<!-- end -->\n";
    const char *want =
        "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- <table:table-cell "
        "table:formula=\"of:=" K "X(1)\"> -->\n" HEAD "<?pi x?>" SHEET ROW(
            "<table:table-cell "
            "office:value-type=\"float\" office:value=\"0.5\"><text:p>0.5"
            "</text:p></table:table-cell>"
            "<table:table-cell table:formula=\"of:=[.A1]*2\" "
            "office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p>"
            "</table:table-cell>"
            "<table:table-cell   table:formula = 'of:=&quot;" K
            "CERTRATE(1;2)&quot;'\toffice:value-type=\"string\"\n"
            "office:string-value=\"" K "CERTRATE(1;2)\" ><text:p>"
            "<![CDATA[<&>]]>&#x4e2d;&#25991;&lt;&amp;&gt;&apos;&quot;"
            "\xe4\xb8\xad\xf0\x9f\x98\x80</text:p ></table:table-cell >") TAIL
        "<!-- end -->\n";
    st = FREEZE(in, want);
    CHECK_EQ_INT(st.cells_frozen, 1);
    CHECK_EQ_INT(st.calls_outside, 0);
    /* a document without add-in cells comes out unchanged */
    FREEZE(HEAD SHEET ROW("<table:table-cell table:formula=\"of:=SUM(1;2)\"/>")
               TAIL,
           NULL);
}

static void test_outside(void)
{
    /* validations, conditional formats, cell styles' maps, named
     * expressions: counted, not changed; a call inside a chart's table (no
     * sheet) is still frozen */
    const char *in = HEAD
        "<table:content-validations><table:content-validation "
        "table:name=\"v\" table:condition=\"of:is-true-formula(" K
        "CERTRATE([.B1];2)&gt;0)\"/></table:content-validations>" SHEET
        "<calcext:conditional-formats><calcext:conditional-format><calcext:"
        "condition calcext:value=\"formula-is(" K "YOY([.A1];1)&gt;0)+" K
        "YOY(1;2)\"/></calcext:conditional-format></calcext:conditional-"
        "formats><table:shapes><table:table><table:table-row><table:table-"
        "cell table:formula=\"of:=" K "YOY(1;2)\" office:value=\"2\"/>"
        "</table:table-row></table:table></table:shapes>" ROW(
            "<table:table-cell/>") "</"
                                   "table:table><table:named-expressions><"
                                   "table:named-expression "
                                   "table:name=\"k\" table:expression=\"of:=" K
                                   "CERTRATE(1;2)\"/>"
                                   "<table:named-range "
                                   "table:name=\"ORG.KPICALC.X(\" "
                                   "table:cell-range-address=\"$S.$A$1\"/>"
                                   "</table:named-expressions><style:map "
                                   "style:condition=\"is-true-"
                                   "formula(" K
                                   "YOY(1;2))\"/></office:spreadsheet></"
                                   "office:body>"
                                   "</office:document>";
    struct kc_buf out = {0};
    struct kc_freeze_stats st;
    struct kc_err kerr;
    CHECK_EQ_INT(kc_freeze_mem(in, strlen(in), &out, &st, &kerr), 0);
    CHECK_EQ_INT(st.calls_outside, 5);
    CHECK_EQ_INT(st.cells_frozen, 1);
    CHECK(strstr(kc_buf_str(&out), "<table:table-cell office:value=\"2\"/>"));
    CHECK_EQ_INT(out.len,
                 strlen(in) - strlen(" table:formula=\"of:=" K "YOY(1;2)\""));
    kc_buf_free(&out);
}

static void test_malformed(void)
{
    FAILS("", "no root element");
    FAILS("  \n", "no root element");
    FAILS("<a>", "ends inside an element");
    FAILS("<a><b></a></b>", "does not match");
    FAILS("<a></a></a>", "without its start tag");
    FAILS("<a></a><b/>", "a second root element");
    FAILS("x<a/>", "text outside the root");
    FAILS("<a/>x", "text outside the root");
    FAILS("<a b=\"1\" b=\"2\"/>", "given twice");
    FAILS("<a b=\"1\"c=\"2\"/>", "not separated");
    FAILS("<a b=1/>", "unquoted");
    FAILS("<a b/>", "without a value");
    FAILS("<a b=\"<\"/>", "'<' in an attribute");
    FAILS("<a b=\"&foo;\"/>", "reference");
    FAILS("<a>&amp</a>", "reference");
    FAILS("<a>&#0;</a>", "reference");
    FAILS("<a>&#xD800;</a>", "reference");
    FAILS("<a>&#x110000;</a>", "reference");
    FAILS("<a>&#;</a>", "reference");
    FAILS("<a>& x;</a>", "reference");
    FAILS("<a>\x01</a>", "control character");
    FAILS("<a>\xff</a>", "invalid UTF-8");
    FAILS("<a>\xc0\x80</a>", "invalid UTF-8");     /* overlong */
    FAILS("<a>\xed\xa0\x80</a>", "invalid UTF-8"); /* a surrogate */
    FAILS("<a>\xef\xbf\xbe</a>", "invalid UTF-8"); /* U+FFFE */
    FAILS("<a>\xf4\x90\x80\x80</a>", "invalid UTF-8");
    FAILS("<a>\xe4\xb8</a>", "invalid UTF-8");
    FAILS("<a><!-- x</a>", "unterminated comment");
    FAILS("<a><![CDATA[ x</a>", "unterminated CDATA");
    FAILS("<![CDATA[x]]><a/>", "CDATA outside");
    FAILS("<?xml version=\"1.0\"", "unterminated processing");
    FAILS("<!DOCTYPE a><a/>", "DOCTYPE");
    FAILS("<!ELEMENT a><a/>", "unknown markup");
    FAILS("<a", "ends inside a tag");
    FAILS("<a b=\"x>", "ends inside a tag");
    FAILS("<a <b/></a>", "'<' inside a tag");
    FAILS("<1a/>", "bad element name");
    FAILS("</>", "bad element name");
    FAILS("<a / >", "stray '/'");
    FAILS("<a></a x>", "malformed end tag");
    FAILS("<a 1=\"\"/>", "bad attribute name");
    /* a formula cell cut in the middle */
    FAILS(HEAD SHEET ROW(ERRCELL(K "YOY(1;0)", "#DIV/0!")) "</table:table>",
          "ends inside an element");
    FAILS(HEAD SHEET
          "<table:table-row>" ERRCELL(K "YOY(1;0)", "#DIV/0!") "</table:table>",
          "does not match");
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(s, f);
    return fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct kc_buf b = {0};
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        kc_buf_add(&b, tmp, k);
    fclose(f);
    return kc_buf_take(&b);
}

static void test_files(void)
{
    char dir[] = "/tmp/test_freeze_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char in[128], out[128], bad[128], sub[128];
    snprintf(in, sizeof in, "%s/in.fods", dir);
    snprintf(out, sizeof out, "%s/out.fods", dir);
    snprintf(bad, sizeof bad, "%s/bad.fods", dir);
    snprintf(sub, sizeof sub, "%s/missing/out.fods", dir);
    const char *doc = HEAD SHEET ROW(ERRCELL(K "YOY(1;0)", "#DIV/0!")) TAIL;
    const char *want = HEAD SHEET ROW(FROZEN("1/0", "#DIV/0!")) TAIL;
    CHECK_EQ_INT(write_file(in, doc), 0);
    struct kc_freeze_stats st;
    struct kc_err kerr = {""};
    char *err = kerr.msg;
    CHECK_EQ_INT(kc_freeze_fods(in, out, &st, &kerr), 0);
    CHECK_EQ_INT(st.cells_frozen, 1);
    CHECK_EQ_INT(st.errors_frozen, 1);
    char *got = read_file(out);
    CHECK(got && strcmp(got, want) == 0);
    free(got);
    struct stat sb;
    CHECK(stat(out, &sb) == 0 && (sb.st_mode & 0777) == 0644);
    /* count only */
    CHECK_EQ_INT(kc_freeze_fods(in, NULL, &st, &kerr), 0);
    CHECK_EQ_INT(st.cells_frozen, 1);
    /* in place */
    CHECK_EQ_INT(kc_freeze_fods(out, out, &st, &kerr), 0);
    CHECK_EQ_INT(st.cells_frozen, 0);
    /* malformed: fails, the old output stays, no temporary file is left */
    CHECK_EQ_INT(write_file(bad, "<a><b></a>"), 0);
    CHECK_EQ_INT(kc_freeze_fods(bad, out, &st, &kerr), -1);
    CHECK(strstr(err, "malformed XML at byte 6") != NULL);
    got = read_file(out);
    CHECK(got && strcmp(got, want) == 0);
    free(got);
    CHECK_EQ_INT(count_entries(dir), 3);
    /* a missing input, an output folder that does not exist, no args */
    snprintf(bad, sizeof bad, "%s/nothing.fods", dir);
    CHECK_EQ_INT(kc_freeze_fods(bad, out, &st, &kerr), -1);
    CHECK(strstr(err, "cannot read") && strstr(err, "No such file"));
    CHECK_EQ_INT(kc_freeze_fods(in, sub, &st, &kerr), -1);
    CHECK(strstr(err, "cannot write") != NULL);
    CHECK_EQ_INT(kc_freeze_fods(NULL, out, &st, &kerr), -1);
    CHECK_EQ_INT(kc_freeze_mem_chunked("<a/>", 4, 0, NULL, &st, &kerr), -1);
    CHECK_EQ_INT(count_entries(dir), 3);
    /* a big document: many cells, in 64 KiB reads */
    struct kc_buf big = {0};
    kc_buf_adds(&big, HEAD SHEET);
    for (int i = 0; i < 20000; i++)
        kc_buf_adds(
            &big,
            ROW(ERRCELL(K "YOY(1;0)",
                        "#DIV/0!") "<table:table-cell table:formula=\"of:=" K
                                   "YOY(1;2)\" office:value=\"1\"/>"));
    kc_buf_adds(&big, TAIL);
    CHECK_EQ_INT(write_file(in, kc_buf_str(&big)), 0);
    CHECK_EQ_INT(kc_freeze_fods(in, out, &st, &kerr), 0);
    CHECK_EQ_INT(st.cells_frozen, 40000);
    CHECK_EQ_INT(st.errors_frozen, 20000);
    kc_buf_free(&big);
    unlink(in);
    unlink(out);
    unlink(dir[0] ? strcat(strcpy(bad, dir), "/bad.fods") : bad);
    CHECK_EQ_INT(rmdir(dir), 0);
}

int main(int argc, char **argv)
{
    if (argc == 3) { /* the driver */
        struct kc_freeze_stats st;
        struct kc_err kerr;
        char *err = kerr.msg;
        if (kc_freeze_fods(argv[1], strcmp(argv[2], "-") ? argv[2] : NULL, &st,
                           &kerr) != 0) {
            fprintf(stderr, "freeze: %s\n", err);
            return 1;
        }
        printf("cells_frozen %ld errors_frozen %ld calls_outside %ld\n",
               st.cells_frozen, st.errors_frozen, st.calls_outside);
        return 0;
    }
    test_calls();
    test_error_formula();
    test_values();
    test_errors();
    test_arrays();
    test_native_and_copy();
    test_outside();
    test_malformed();
    test_files();
    return kpi_test_report("batch freeze");
}
