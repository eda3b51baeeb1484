/* batch_fuzz_freeze.c - libFuzzer harness for batch/freeze.c (the add-in
 * cells' freezer of a .fods), through its in-memory entry points.
 *
 * The input is either taken as the document itself (first byte odd) or
 * read as a recipe that builds a .fods from fragments: sheets, rows and
 * cells (repeated or not), add-in and native formulas, error results,
 * array formulas, paragraphs, entities, CDATA, comments, validations and
 * named expressions, now and then a broken or unbalanced piece.
 *
 * Invariants (abort on a broken one):
 *  - the same input cut into chunks of 1 byte, of a size taken from the
 *    input and of 64 KiB gives the same result, output and counts;
 *  - a rejected input leaves the output buffer as it was;
 *  - an accepted input gives an output that is accepted again (well-formed
 *    as far as the freezer checks), in which nothing is left to freeze,
 *    which comes out of a second pass unchanged and with the same count of
 *    calls outside cells;
 *  - with no cell frozen, the output is the input byte for byte. */
#include "freeze.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_OR_ABORT(c)                                                      \
    do {                                                                       \
        if (!(c))                                                              \
            abort();                                                           \
    } while (0)

/* Elements that open (each closes with the end tag of its name). */
static const char *const opening[] = {
    "<table:table table:name=\"S\">",
    "<table:table-row>",
    "<table:table-row table:number-rows-repeated=\"3\">",
    "<table:table-row-group>",
    "<table:table-cell>",
    "<table:table-cell table:number-columns-repeated=\"2\">",
    "<table:table-cell table:formula=\"of:=ORG.KPICALC.KPICALC.CERTRATE(1;2)"
    "\" office:value-type=\"float\" office:value=\"0.5\">",
    "<table:table-cell table:formula=\"of:=org.kpicalc.kpicalc.yoy(1;0)\" "
    "office:value-type=\"string\" office:string-value=\"\" "
    "calcext:value-type=\"error\">",
    "<table:table-cell table:number-matrix-columns-spanned=\"2\" "
    "table:number-matrix-rows-spanned=\"2\" table:formula=\"of:=ORG.KPICALC."
    "KPICALC.RATECI(5;3)\" calcext:value-type=\"error\">",
    "<table:table-cell table:number-matrix-columns-spanned=\"3\" "
    "table:number-matrix-rows-spanned=\"1\" table:formula=\"of:=ORG.KPICALC."
    "KPICALC.RATECI(31;34)\" office:value=\"0.7\">",
    "<table:table-cell calcext:value-type=\"error\">",
    "<table:table-cell calcext:value-type=\"error\" "
    "table:number-columns-repeated=\"3\">",
    "<table:table-cell table:formula=\"of:=[.A1]*2\">",
    "<table:table-cell table:formula=\"of:=&quot;ORG.KPICALC.X(1)&quot;\">",
    "<table:table-cell table:formula='of:=ORG.KPI&#67;ALC.X(1)' "
    "calcext:value-type='error'>",
    "<table:covered-table-cell table:formula=\"of:=ORG.KPICALC.X(1)\">",
    "<text:p>",
    "<text:span>",
    "<office:annotation>",
    "<table:shapes>",
};

/* Pieces that are complete in themselves, or break the document. */
static const char *const pieces[] = {
    "<table:table-cell/>",
    "<table:table-cell table:formula=\"of:=ORG.KPICALC.KPICALC.YOY(1;0)\" "
    "calcext:value-type=\"error\"/>",
    "<table:table-cell calcext:value-type=\"error\" "
    "table:number-columns-repeated=\"2\"/>",
    "<table:covered-table-cell table:formula=\"of:=ORG.KPICALC.X(1)\"/>",
    "<table:table-row table:number-rows-repeated=\"2\"/>",
    "<text:p/>",
    "#DIV/0!",
    "#N/A",
    "Err:511",
    "&amp;&lt;&#x4e2d;",
    "<![CDATA[#NUM!]]>",
    "<!-- c -->",
    "<?pi?>",
    "<table:content-validation table:condition=\"of:is-true-formula("
    "ORG.KPICALC.X(1))\"/>",
    "<table:named-expression table:expression=\"of:=ORG.KPICALC.X(1)\"/>",
    "\n ",
    /* broken */
    "&bogus;",
    "<a b=\"1\" b=\"2\"/>",
    "<x",
    ">",
    "</y>",
};
#define NOPEN (sizeof opening / sizeof *opening)
#define NPIECE (sizeof pieces / sizeof *pieces)

static const char head[] =
    "<?xml version=\"1.0\"?>\n<office:document><office:body>"
    "<office:spreadsheet>";
static const char tail[] =
    "</office:spreadsheet></office:body></office:document>\n";

/* Builds a document from the recipe DATA into B: each byte opens an
 * element, closes the innermost one, adds a piece (the broken ones rarely)
 * or, after 0xFF, a raw byte; what is still open is closed at the end. */
static void build(const uint8_t *data, size_t size, struct kc_buf *b)
{
    size_t stack[64] = {0};
    size_t depth = 0;
    kc_buf_adds(b, head);
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        if (c == 0xFF && i + 1 < size) {
            kc_buf_addc(b, (char)data[++i]);
        } else if (c < 96) {
            if (depth < 64) {
                stack[depth++] = c % NOPEN;
                kc_buf_adds(b, opening[c % NOPEN]);
            }
        } else if (c < 176) {
            if (depth > 0) {
                const char *o = opening[stack[--depth]];
                size_t nl = strcspn(o + 1, " >");
                kc_buf_adds(b, "</");
                kc_buf_add(b, o + 1, nl);
                kc_buf_addc(b, '>');
            }
        } else {
            size_t k = c % NPIECE;
            if (k >= NPIECE - 5 && (c & 0x0F) != 0)
                k = k % 6; /* the broken pieces: one time in sixteen */
            kc_buf_adds(b, pieces[k]);
        }
    }
    while (depth > 0) {
        const char *o = opening[stack[--depth]];
        size_t nl = strcspn(o + 1, " >");
        kc_buf_adds(b, "</");
        kc_buf_add(b, o + 1, nl);
        kc_buf_addc(b, '>');
    }
    kc_buf_adds(b, tail);
}

static int same_stats(const struct kc_freeze_stats *a,
                      const struct kc_freeze_stats *b)
{
    return a->cells_frozen == b->cells_frozen &&
           a->errors_frozen == b->errors_frozen &&
           a->calls_outside == b->calls_outside;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kc_buf doc = {0};
    if (size > 0 && (data[0] & 1))
        kc_buf_add(&doc, (const char *)data + 1, size - 1);
    else
        build(size ? data + 1 : data, size ? size - 1 : 0, &doc);
    const char *in = kc_buf_str(&doc);
    size_t n = doc.len;
    struct kc_err kerr;
    struct kc_freeze_stats st, st1, st2;
    struct kc_buf out = {0}, out1 = {0}, out2 = {0};
    kc_buf_adds(&out, "x");
    int rc = kc_freeze_mem(in, n, &out, &st, &kerr);
    size_t chunk = size > 1 ? (size_t)data[size - 1] % 13 + 1 : 5;
    kc_buf_adds(&out1, "x");
    int rc1 = kc_freeze_mem_chunked(in, n, 1, &out1, &st1, &kerr);
    kc_buf_adds(&out2, "x");
    int rc2 = kc_freeze_mem_chunked(in, n, chunk, &out2, &st2, &kerr);
    CHECK_OR_ABORT(rc == rc1 && rc == rc2);
    CHECK_OR_ABORT(out.len == out1.len && out.len == out2.len);
    CHECK_OR_ABORT(memcmp(out.p, out1.p, out.len) == 0 &&
                   memcmp(out.p, out2.p, out.len) == 0);
    if (rc != 0) {
        CHECK_OR_ABORT(out.len == 1 && out.p[0] == 'x');
    } else {
        CHECK_OR_ABORT(same_stats(&st, &st1) && same_stats(&st, &st2));
        const char *o = out.p + 1;
        size_t on = out.len - 1;
        if (st.cells_frozen == 0 && st.errors_frozen == 0)
            CHECK_OR_ABORT(on == n && memcmp(o, in, n) == 0);
        struct kc_buf again = {0};
        struct kc_freeze_stats sa;
        CHECK_OR_ABORT(kc_freeze_mem(o, on, &again, &sa, &kerr) == 0);
        CHECK_OR_ABORT(sa.cells_frozen == 0 && sa.errors_frozen == 0);
        CHECK_OR_ABORT(sa.calls_outside == st.calls_outside);
        CHECK_OR_ABORT(again.len == on && memcmp(again.p, o, on) == 0);
        kc_buf_free(&again);
    }
    kc_buf_free(&out);
    kc_buf_free(&out1);
    kc_buf_free(&out2);
    kc_buf_free(&doc);
    return 0;
}
