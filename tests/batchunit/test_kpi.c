/* Unit tests of batch/kpi.c, driven by the flat ODF reader's in-memory
 * entry point: the KPI sheet (any case, the first one), each value type,
 * unusable and repeated keys with their notes, and 60,000 keys (the
 * repeated-key check is a hash, not a scan of the keys so far). */
#include "buf.h"
#include "fods.h"
#include "kpi.h"
#include "kpi_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<office:document><office:body><office:spreadsheet>"
#define TAIL "</office:spreadsheet></office:body></office:document>\n"
#define S(text)                                                                \
    "<table:table-cell office:value-type=\"string\"><text:p>" text             \
    "</text:p></table:table-cell>"
#define ROW(cells) "<table:table-row>" cells "</table:table-row>"
#define HEADER ROW(S("key") S("value") S("label_zh") S("label_en"))

static int collect(const char *doc, size_t len, struct kc_kpi_list *out,
                   struct kc_buf *notes)
{
    struct kc_kpi_collector c;
    struct kc_sheet_sink sink;
    kc_kpi_collector_init(&c, out, &sink);
    struct kc_scan_result res;
    struct kc_err kerr;
    int rc = kc_fods_scan_mem(doc, len, &sink, &res, &kerr);
    kc_buf_adds(notes, kc_buf_str(&c.notes));
    kc_kpi_collector_free(&c);
    return rc;
}

static const struct kc_kpi *find(const struct kc_kpi_list *l, const char *k)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].key, k) == 0)
            return &l->v[i];
    return NULL;
}

static int is(const struct kc_kpi_list *l, const char *key, char type,
              const char *value)
{
    const struct kc_kpi *k = find(l, key);
    int ok = k && k->type == type && strcmp(k->value, value) == 0;
    if (!ok)
        fprintf(stderr, "  %s: got %c [%s], want %c [%s]\n", key,
                k ? k->type : '?', k ? k->value : "", type, value);
    return ok;
}

static void test_sheet(void)
{
    static const char doc[] =
        HEAD "<table:table table:name=\"Indicators\">" ROW(S("certrate") S(
            "not this one")) "</table:table>"
                             "<table:table table:name=\"kpi\">" HEADER ROW(
                                 S("certrate") "<table:table-cell "
                                               "office:value-type="
                                               "\"percentage\" office:value="
                                               "\"0.911764705882353\"><text:p>"
                                               "91.2%"
                                               "</text:p></table:table-cell>" S(
                                                   "\xe6\x8c\x81\xe8\xaf\x81"
                                                   "\xe7\x8e\x87")
                                                   S("certification rate"))
                                 ROW(S(" adoptrate ") "<table:table-cell "
                                                      "office:value-"
                                                      "type=\"float\" "
                                                      "office:value=\"0."
                                                      "961165048543689\"><text:"
                                                      "p>0.96"
                                                      "</text:p></"
                                                      "table:table-cell>")
                                     ROW(S(
                                         "lossrate") "<table:table-cell "
                                                     "office:value-"
                                                     "type=\"float\" "
                                                     "calcext:value-type"
                                                     "=\"error\" "
                                                     "office:value=\"0\">"
                                                     "<text:p>#DIV/0!</text:p>"
                                                     "</table:table-cell>")
                                         ROW(S(
                                             "doubledecline") "<table:table-"
                                                              "cell "
                                                              "office:value-"
                                                              "type="
                                                              "\"boolean\" "
                                                              "office:boolean-"
                                                              "value=\""
                                                              "true\"><text:p>"
                                                              "TRUE</text:p>"
                                                              "</"
                                                              "table:table-"
                                                              "cell>")
                                             ROW(S("day") "<table:table-cell "
                                                          "office:value-type="
                                                          "\"date\" "
                                                          "office:date-value="
                                                          "\"2020-12-31\"><"
                                                          "text:p>12/31/20"
                                                          "</text:p></"
                                                          "table:table-cell>")
                                                 ROW(S("name") S(
                                                     "\xe4\xb8\x9c"
                                                     "\xe9\x99\x88"
                                                     "\xe4\xb9"
                                                     "\xa1")) ROW(S("nothing"))
                                                     ROW(S("a b") S("1")) ROW(
                                                         S("certrate") S("secon"
                                                                         "d"))
                                                         ROW("<table:table-"
                                                             "cell/"
                                                             ">" S(
                                                                 "no key")) "<t"
                                                                            "ab"
                                                                            "le"
                                                                            ":t"
                                                                            "ab"
                                                                            "le"
                                                                            "-r"
                                                                            "ow"
                                                                            " "
                                                                            "ta"
                                                                            "bl"
                                                                            "e:"
                                                                            "nu"
                                                                            "mb"
                                                                            "er"
                                                                            "-r"
                                                                            "ow"
                                                                            "s-"
                                                                            "re"
                                                                            "pe"
                                                                            "at"
                                                                            "ed"
                                                                            "="
                                                                            "\""
                                                                            "3"
                                                                            "\""
                                                                            "/"
                                                                            ">" ROW(S("late") S(
                                                                                "o"
                                                                                "k")) "</table:table>"
                                                                                      "<table:table table:name=\"KPI\">" HEADER
                                                                                          ROW(S("other") S(
                                                                                              "1")) "</table:table>" TAIL;
    struct kc_kpi_list l = {0};
    struct kc_buf notes = {0};
    CHECK_EQ_INT(collect(doc, sizeof doc - 1, &l, &notes), 0);
    CHECK_EQ_INT(l.n, 8);
    CHECK(is(&l, "certrate", KC_KPI_NUMBER, "0.911764705882353"));
    CHECK(is(&l, "adoptrate", KC_KPI_NUMBER, "0.961165048543689"));
    CHECK(is(&l, "lossrate", KC_KPI_ERROR, "#DIV/0!"));
    CHECK(is(&l, "doubledecline", KC_KPI_BOOL, "TRUE"));
    CHECK(is(&l, "day", KC_KPI_DATE, "2020-12-31"));
    CHECK(
        is(&l, "name", KC_KPI_STRING, "\xe4\xb8\x9c\xe9\x99\x88\xe4\xb9\xa1"));
    CHECK(is(&l, "nothing", KC_KPI_EMPTY, ""));
    CHECK(is(&l, "late", KC_KPI_STRING, "ok"));
    CHECK(find(&l, "other") == NULL); /* only the first KPI sheet */
    CHECK(l.n > 0 && strcmp(l.v[0].key, "certrate") == 0);
    CHECK(strcmp(kc_buf_str(&notes),
                 "KPI row 9: key 'a b' ignored (use A-Z a-z 0-9 _ - .); "
                 "KPI row 10: key 'certrate' repeated, first kept") == 0);
    kc_kpi_list_free(&l);
    kc_buf_free(&notes);

    /* no KPI sheet: no indicators, no notes */
    static const char none[] =
        HEAD "<table:table table:name=\"x\">" HEADER "</table:table>" TAIL;
    CHECK_EQ_INT(collect(none, sizeof none - 1, &l, &notes), 0);
    CHECK_EQ_INT(l.n, 0);
    CHECK_EQ_INT(notes.len, 0);
    kc_kpi_list_free(&l);
    kc_buf_free(&notes);
}

/* 60,000 keys, each twice: the second of each is a repeated key. */
static void test_many_keys(void)
{
    enum { N = 60000 };
    struct kc_buf d = {0};
    kc_buf_adds(&d, HEAD "<table:table table:name=\"KPI\">" HEADER);
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < N; k++)
            kc_buf_addf(&d,
                        ROW(S("k%d") "<table:table-cell office:value-type="
                                     "\"float\" office:value=\"%d\"><text:p>"
                                     "%d</text:p></table:table-cell>"),
                        k, pass * N + k, pass * N + k);
    kc_buf_adds(&d, "</table:table>" TAIL);
    struct kc_kpi_list l = {0};
    struct kc_buf notes = {0};
    CHECK_EQ_INT(collect(d.p, d.len, &l, &notes), 0);
    CHECK_EQ_INT(l.n, N);
    CHECK(l.n == N && strcmp(l.v[N - 1].key, "k59999") == 0 &&
          strcmp(l.v[N - 1].value, "59999") == 0);
    CHECK(strstr(kc_buf_str(&notes), "KPI row 120001: key 'k59999' repeated") !=
          NULL);
    kc_kpi_list_free(&l);
    kc_buf_free(&notes);
    kc_buf_free(&d);
}

static void test_keys(void)
{
    CHECK(kc_kpi_key_ok("certrate"));
    CHECK(kc_kpi_key_ok("a.b-c_D9"));
    CHECK(!kc_kpi_key_ok(""));
    CHECK(!kc_kpi_key_ok(NULL));
    CHECK(!kc_kpi_key_ok("a b"));
    CHECK(!kc_kpi_key_ok("\xe6\x8c\x81"));
    char k[66];
    memset(k, 'k', 64);
    k[64] = '\0';
    CHECK(kc_kpi_key_ok(k));
    k[64] = 'k';
    k[65] = '\0';
    CHECK(!kc_kpi_key_ok(k));
    struct kc_kpi_list l = {0};
    CHECK_EQ_INT(kc_kpi_add(&l, "a", NULL, KC_KPI_EMPTY), 0);
    CHECK_EQ_INT(kc_kpi_add(&l, NULL, "x", KC_KPI_STRING), -1);
    CHECK_EQ_INT(kc_kpi_add(NULL, "a", "x", KC_KPI_STRING), -1);
    CHECK(l.n == 1 && strcmp(l.v[0].value, "") == 0);
    kc_kpi_list_free(&l);
    CHECK(l.v == NULL && l.n == 0);
}

int main(void)
{
    test_sheet();
    test_many_keys();
    test_keys();
    return kpi_test_report("batch kpi");
}
