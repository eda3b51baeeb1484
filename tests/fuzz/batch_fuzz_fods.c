/* batch_fuzz_fods.c - libFuzzer harness for the flat ODF reader
 * (batch/fods.c, kc_fods_scan_mem) and what reads its cells: the KPI
 * collector (batch/kpi.c) and the CSV cell and field writers
 * (batch/sheetcsv.c). The first byte picks how the rest is read: as the
 * document itself, or as steps that open and close elements (sheets, rows,
 * cells of every type, repeats, covered cells, paragraphs, drawings,
 * comments) and add leaves (text, entities, invalid UTF-8, CDATA, a few
 * malformed tags), so that unguided replays reach deep into the reader.
 * Aborts when an invariant breaks:
 * - sheets begin and end in turn; every cell lies in a sheet, inside
 *   Calc's grid, after the cell before it (by row, then column);
 * - every string given is valid UTF-8, no longer than a cell may hold;
 * - a scan without a sink counts the same error cells as one with;
 * - the KPI keys collected are usable and distinct; a CSV field is valid
 *   UTF-8 and quoted when it must be. */
#include "buf.h"
#include "fods.h"
#include "kpi.h"
#include "sheetcsv.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CALLS 20000L /* cells reported before the sink stops a scan */

/* Elements opened by the generator, with their end tags. */
static const char *const opens[][2] = {
    {"<table:table table:name=\"KPI\">", "</table:table>"},
    {"<table:table table:name=\"S&amp;1\">", "</table:table>"},
    {"<table:table table:name=\"a&#9;b\xff\">", "</table:table>"},
    {"<table:table-row>", "</table:table-row>"},
    {"<table:table-row>", "</table:table-row>"},
    {"<table:table-row table:number-rows-repeated=\"3\">",
     "</table:table-row>"},
    {"<table:table-row table:number-rows-repeated=\"1048576\">",
     "</table:table-row>"},
    {"<table:table-cell>", "</table:table-cell>"},
    {"<table:table-cell office:value-type=\"string\">", "</table:table-cell>"},
    {"<table:table-cell table:number-columns-repeated=\"2\">",
     "</table:table-cell>"},
    {"<table:table-cell office:value-type=\"float\" office:value=\"0.5\">",
     "</table:table-cell>"},
    {"<table:table-cell office:value-type=\"percentage\" "
     "office:value=\"1E-05\">",
     "</table:table-cell>"},
    {"<table:table-cell office:value-type=\"date\" "
     "office:date-value=\"2020-12-31\">",
     "</table:table-cell>"},
    {"<table:table-cell office:value-type=\"time\" "
     "office:time-value=\"PT1H\">",
     "</table:table-cell>"},
    {"<table:table-cell office:value-type=\"boolean\" "
     "office:boolean-value=\"true\">",
     "</table:table-cell>"},
    {"<table:table-cell calcext:value-type=\"error\" office:value=\"0\">",
     "</table:table-cell>"},
    {"<table:covered-table-cell>", "</table:covered-table-cell>"},
    {"<text:p>", "</text:p>"},
    {"<text:p>", "</text:p>"},
    {"<text:h>", "</text:h>"},
    {"<draw:frame>", "</draw:frame>"},
    {"<office:annotation>", "</office:annotation>"},
    {"<table:table-row-group>", "</table:table-row-group>"},
    {"<table:table-header-rows>", "</table:table-header-rows>"},
};

/* What an element of OPENS is: 1 a sheet (or a group of rows), 2 a row,
 * 3 a cell, 4 a paragraph, 5 something else. */
static unsigned kind(size_t open)
{
    if (open <= 2 || open >= 22)
        return 1;
    return open <= 6 ? 2 : open <= 16 ? 3 : open <= 19 ? 4 : 5;
}

/* 1 when an element of kind K belongs in one of kind CTX (0: the
 * spreadsheet). */
static int fits(unsigned ctx, unsigned k)
{
    return ctx == 0   ? k == 1
           : ctx == 1 ? k == 1 || k == 2
           : ctx == 2 ? k == 3
           : ctx == 3 ? k == 4 || k == 5
                      : k == 5 || k == 4;
}

/* Fragments that open nothing. */
static const char *const leaves[] = {
    "<table:table-cell/>",
    "<table:table-cell table:number-columns-repeated=\"16384\"/>",
    ("<table:table-cell table:number-columns-repeated=\"3\" "
     "office:value-type=\"float\" office:value=\"7\"/>"),
    "<table:covered-table-cell/>",
    "<table:table-row/>",
    "<table:table-row table:number-rows-repeated=\"1048570\"/>",
    "<table:table-column table:number-columns-repeated=\"4\"/>",
    "<text:p/>",
    "<text:s text:c=\"3\"/>",
    "<text:s/>",
    "<text:tab/>",
    "<text:line-break/>",
    "<text:span>x</text:span>",
    "certrate",
    "adoptrate",
    "file",
    "key",
    "#DIV/0!",
    "a,\"b\"",
    "0.25",
    "&lt;&amp;&#x4e2d;&#0;&#xD800;&#1114112;&bad;&",
    "\xe4\xb8\xad",
    "\xff\xc0\xaf\xed\xa0\x80\xe4\xb8",
    "<![CDATA[<x>]]>",
    "<!-- c -->",
    "<?pi x?>",
    " ",
    "\n",
    "<", /* malformed from here */
    "</x>",
    "<a b=c>",
};

#define HEAD "<office:document><office:body><office:spreadsheet>"
#define TAIL "</office:spreadsheet></office:body></office:document>"

struct check {
    int in_sheet;
    long sheets_begun, sheets_ended;
    long row, col; /* the last cell of the sheet, -1 before any */
    long calls;
    const struct kc_sheet_sink *next; /* the KPI collector, or NULL */
    struct kc_buf field;
};

static void utf8_ok(const char *s)
{
    size_t n = strlen(s);
    if (!kc_utf8_valid(s, n) || n > KC_FODS_MAX_CELL_BYTES)
        abort();
}

static int c_begin(void *ctx, const char *name)
{
    struct check *c = ctx;
    if (c->in_sheet)
        abort();
    utf8_ok(name);
    c->in_sheet = 1;
    c->sheets_begun++;
    c->row = c->col = -1;
    return c->next ? c->next->sheet_begin(c->next->ctx, name) : 0;
}

static int c_cell(void *ctx, long row, long col, const struct kc_cell *cell)
{
    struct check *c = ctx;
    if (!c->in_sheet || row < 0 || col < 0 || row >= 1048576 || col >= 16384)
        abort();
    if (row < c->row || (row == c->row && col <= c->col))
        abort();
    c->row = row;
    c->col = col;
    if ((int)cell->type < KC_CELL_EMPTY || (int)cell->type > KC_CELL_ERROR)
        abort();
    utf8_ok(cell->value);
    utf8_ok(cell->text);
    const char *t = kc_csv_cell_text(cell);
    utf8_ok(t);
    kc_buf_clear(&c->field);
    if (kc_csv_field(&c->field, t) != 0)
        abort();
    utf8_ok(kc_buf_str(&c->field));
    if (strpbrk(t, ",\"\r\n") && kc_buf_str(&c->field)[0] != '"')
        abort();
    if (++c->calls > MAX_CALLS)
        return -1;
    return c->next ? c->next->cell(c->next->ctx, row, col, cell) : 0;
}

static int c_end(void *ctx)
{
    struct check *c = ctx;
    if (!c->in_sheet)
        abort();
    c->in_sheet = 0;
    c->sheets_ended++;
    return c->next ? c->next->sheet_end(c->next->ctx) : 0;
}

static void scan(const char *doc, size_t len)
{
    struct kc_err kerr;
    char *err = kerr.msg;
    struct kc_scan_result bare, res;
    int rc0 = kc_fods_scan_mem(doc, len, NULL, &bare, &kerr);

    struct kc_kpi_list kpis = {0};
    struct kc_kpi_collector kc;
    struct kc_sheet_sink kpi_sink;
    kc_kpi_collector_init(&kc, &kpis, &kpi_sink);
    struct check c = {0};
    c.next = &kpi_sink;
    struct kc_sheet_sink sink = {&c, c_begin, c_cell, c_end};
    int rc = kc_fods_scan_mem(doc, len, &sink, &res, &kerr);
    if (rc == 0 && (c.in_sheet || c.sheets_begun != c.sheets_ended))
        abort();
    if (rc == 0 && (rc0 != 0 || res.error_cells != bare.error_cells))
        abort();
    if (rc != 0 && !err[0])
        abort();
    if (res.error_cells < 0)
        abort();
    for (size_t i = 0; i < kpis.n; i++) {
        if (!kc_kpi_key_ok(kpis.v[i].key))
            abort();
        utf8_ok(kpis.v[i].value);
        for (size_t j = i + 1; j < kpis.n && j < i + 64; j++)
            if (strcmp(kpis.v[i].key, kpis.v[j].key) == 0)
                abort();
    }
    kc_kpi_collector_free(&kc);
    kc_kpi_list_free(&kpis);
    kc_buf_free(&c.field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int mode = data[0] % 4; /* 0 raw, 1 whole, 2 cut short, 3 no head */
    if (mode == 0) {        /* the bytes are the document */
        scan((const char *)data + 1, size - 1);
        return 0;
    }
    struct kc_buf d = {0};
    if (mode != 3)
        kc_buf_adds(&d, HEAD);
    const size_t nopens = sizeof opens / sizeof *opens;
    const size_t nleaves = sizeof leaves / sizeof *leaves;
    size_t stack[64], depth = 0;
    for (size_t i = 1; i < size; i++) {
        unsigned b = data[i];
        if (b >= 0xF8 && i + 1 < size) { /* a raw byte */
            kc_buf_addc(&d, (char)data[++i]);
        } else if (b >= 0xC0) { /* close the innermost element */
            if (depth > 0)
                kc_buf_adds(&d, opens[stack[--depth]][1]);
        } else if (b >= 0x60 && depth < 64) {
            /* mostly an element that fits where it goes */
            unsigned k = b - 0x60, ctx = depth ? kind(stack[depth - 1]) : 0;
            size_t e = k % (size_t)nopens;
            if (k % 8 != 7) {
                size_t cand[sizeof opens / sizeof *opens], nc = 0;
                for (size_t x = 0; x < nopens; x++)
                    if (fits(ctx, kind(x)))
                        cand[nc++] = x;
                e = nc ? cand[(k / 8) % nc] : e;
            }
            stack[depth] = e;
            kc_buf_adds(&d, opens[stack[depth++]][0]);
        } else {
            /* the last three leaves are malformed: only when cut short */
            kc_buf_adds(&d, leaves[b % (mode == 2 ? nleaves : nleaves - 3)]);
        }
    }
    if (mode == 1) { /* a whole document */
        while (depth > 0)
            kc_buf_adds(&d, opens[stack[--depth]][1]);
        kc_buf_adds(&d, TAIL);
    }
    scan(kc_buf_str(&d), d.len);
    kc_buf_free(&d);
    return 0;
}
