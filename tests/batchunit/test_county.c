/* Unit tests of batch/county.c: the targets file (every error), the
 * empty-workbook rule, and the county summary's flat ODF (well-formed,
 * the formulas of ranks, marks, pooled totals and 双下降, the warnings, the
 * charts' series, escaping), without LibreOffice; and the failures of
 * kc_county_write that come before any office starts. */
#include "buf.h"
#include "county.h"
#include "kpi.h"
#include "kpi_test.h"
#include "outcheck.h"
#include "pool.h"
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static int parse(const char *text, struct kc_county_opts *o, struct kc_err *err)
{
    kc_county_defaults(o);
    return kc_county_parse_targets(text, strlen(text), o, err);
}

static const struct kc_county_target *target(const struct kc_county_opts *o,
                                             const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->t[i].key, key) == 0)
            return &o->t[i];
    return NULL;
}

static void test_targets(void)
{
    struct kc_county_opts o;
    struct kc_err kerr;
    char *err = kerr.msg;
    kc_county_defaults(&o);
    CHECK_EQ_INT(o.n, 5);
    CHECK(target(&o, "certrate")->value == 0.95);
    CHECK(target(&o, "certrate")->dir == '>');
    CHECK(target(&o, "lossrate")->dir == '<');
    CHECK(target(&o, "lossrate")->value == 0.10);
    CHECK(target(&o, "appearance_rate")->value == 0.80);
    CHECK_EQ_INT(o.zero_holds, 1);

    CHECK_EQ_INT(parse(KC_UTF8_BOM "# county 2021\n\ncertrate >= 90%\r\n"
                                   "  lossrate<=0.05\nzero_to_zero=not_down\n",
                       &o, &kerr),
                 0);
    CHECK(target(&o, "certrate")->value == 0.90);
    CHECK_EQ_INT(target(&o, "certrate")->from_file, 1);
    CHECK_EQ_INT(target(&o, "adoptrate")->from_file, 0);
    CHECK(target(&o, "lossrate")->value == 0.05);
    CHECK_EQ_INT(o.zero_holds, 0);
    CHECK_EQ_INT(o.zero_from_file, 1);
    CHECK_EQ_INT(parse("adoptrate<=0.5\nzero_to_zero=down", &o, &kerr), 0);
    CHECK(target(&o, "adoptrate")->dir == '<');
    CHECK_EQ_INT(o.zero_holds, 1);

    /* every error names its line, and leaves the options as they were */
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"certrate 0.9", "line 1: 'certrate 0.9' is not"},
        {"\nfoo>=0.5", "line 2: unknown indicator 'foo'"},
        {"certrate>=abc", "line 1: 'abc' is not a number"},
        {"certrate>=0.9x", "is not a number"},
        {"certrate>=", "is not a number"},
        {"certrate>=1.5", "from 0 to 1"},
        {"certrate>=-1%", "from 0 to 1"},
        {"certrate>=150%", "from 0 to 1"},
        {"certrate=0.9", "needs >= or <="},
        {"zero_to_zero=maybe", "zero_to_zero is 'down' or 'not_down'"},
        {"certrate>=nan", "is not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        kc_county_defaults(&o);
        o.zero_holds = 7;
        err[0] = '\0';
        CHECK_EQ_INT(kc_county_parse_targets(bad[i].text, strlen(bad[i].text),
                                             &o, &kerr),
                     -1);
        if (!strstr(err, bad[i].want))
            fprintf(stderr, "targets '%s': got '%s'\n", bad[i].text, err);
        CHECK(strstr(err, bad[i].want) != NULL);
        CHECK_EQ_INT(o.zero_holds, 7);
        CHECK(target(&o, "certrate")->value == 0.95);
    }

    CHECK_EQ_INT(kc_county_load_targets("/nonexistent/targets.txt", &o, &kerr),
                 -1);
    CHECK(strstr(err, "cannot read /nonexistent/targets.txt") != NULL);
    char path[] = "/tmp/kc-county-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        const char t[] = "certrate>=0.5\nbogus\n";
        CHECK(write(fd, t, sizeof t - 1) == (ssize_t)(sizeof t - 1));
        close(fd);
        kc_county_defaults(&o);
        CHECK_EQ_INT(kc_county_load_targets(path, &o, &kerr), -1);
        CHECK(strstr(err, path) != NULL && strstr(err, "line 2") != NULL);
        unlink(path);
    }

    CHECK_EQ_INT(kc_county_format("out/county.ods"), 'o');
    CHECK_EQ_INT(kc_county_format("out/COUNTY.XLSX"), 'x');
    CHECK_EQ_INT(kc_county_format("out/county.csv"), 0);
    CHECK_EQ_INT(kc_county_format("out/county"), 0);
    CHECK_EQ_INT(kc_county_format(NULL), 0);
}

static void add(struct kc_result *r, const char *k, const char *v, char t)
{
    CHECK_EQ_INT(kc_kpi_add(&r->kpis, k, v, t), 0);
}

static void test_empty(void)
{
    struct kc_result r = {.state = KC_OK, .error_cells = 129};
    char why[256];
    CHECK_EQ_INT(kc_county_is_empty(&r, why, sizeof why), 0); /* no KPIs */
    add(&r, "certrate", "#DIV/0!", KC_KPI_ERROR);
    add(&r, "lossrate", "", KC_KPI_EMPTY);
    CHECK_EQ_INT(kc_county_is_empty(&r, why, sizeof why), 1);
    CHECK(strstr(why, "none of its indicators") != NULL);
    add(&r, "inputs_filled", "3", KC_KPI_NUMBER);
    CHECK_EQ_INT(kc_county_is_empty(&r, why, sizeof why), 0);
    kc_kpi_list_free(&r.kpis);
    add(&r, "inputs_filled", "0", KC_KPI_NUMBER);
    add(&r, "certrate", "0.9", KC_KPI_NUMBER);
    CHECK_EQ_INT(kc_county_is_empty(&r, why, sizeof why), 1);
    CHECK(strstr(why, "inputs_filled = 0") != NULL);
    r.state = KC_FAILED;
    CHECK_EQ_INT(kc_county_is_empty(&r, why, sizeof why), 0);
    CHECK_EQ_INT(kc_county_is_empty(NULL, NULL, 0), 0);
    kc_kpi_list_free(&r.kpis);
}

/* A township with everything the county needs. */
static void town(struct kc_result *r, const char *unit, const char *year,
                 int cn, int cd, int ln, int ld, int pn, int pd, int d, int dp)
{
    char v[64];
    r->state = KC_OK;
    r->error_cells = 0;
    add(r, "year", year, KC_KPI_NUMBER);
    add(r, "unit", unit, KC_KPI_STRING);
    snprintf(v, sizeof v, "%.15g", (double)cn / cd);
    add(r, "certrate", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", cn);
    add(r, "certrate_num", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", cd);
    add(r, "certrate_den", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%.15g", (double)ln / ld);
    add(r, "lossrate", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", ln);
    add(r, "lossrate_num", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", ld);
    add(r, "lossrate_den", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", pn);
    add(r, "lossrate_prev_num", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", pd);
    add(r, "lossrate_prev_den", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", d);
    add(r, "disputes", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", dp);
    add(r, "disputes_prev", v, KC_KPI_NUMBER);
    add(r, "inputs_filled", "40", KC_KPI_NUMBER);
}

/* The adviser share's rate and, unless OLD (a template before its
 * numerator and denominator keys), its counts. */
static void adviser(struct kc_result *r, int an, int ad, int old)
{
    char v[64];
    snprintf(v, sizeof v, "%.15g", (double)an / ad);
    add(r, "adviser_rate", v, KC_KPI_NUMBER);
    if (old)
        return;
    snprintf(v, sizeof v, "%d", an);
    add(r, "adviser_rate_num", v, KC_KPI_NUMBER);
    snprintf(v, sizeof v, "%d", ad);
    add(r, "adviser_rate_den", v, KC_KPI_NUMBER);
}

static size_t sumifs(const char *x)
{
    return count_of(x, "SUMIF([$'数据'.$D$2:.$D$");
}

/* Workbooks of a template without adviser_rate_num/_den: the rate is shown,
 * the county total is "—", the warning names the keys, nothing fails. */
static void test_old_template(void)
{
    struct kc_result r[2] = {{0}};
    const char *files[2] = {"in/a.ods", "in/b.ods"};
    town(&r[0], "东湖乡", "2020", 31, 34, 0, 4, 0, 5, 3, 5);
    adviser(&r[0], 7, 8, 1);
    town(&r[1], "西岭乡", "2020", 20, 20, 1, 8, 2, 8, 6, 4);
    adviser(&r[1], 3, 4, 1);
    struct kc_county_opts o;
    kc_county_defaults(&o);
    struct kc_buf b = {0};
    struct kc_err kerr;
    CHECK_EQ_INT(kc_county_render(&b, files, r, 2, &o, &kerr), 0);
    const char *x = kc_buf_str(&b);
    CHECK_EQ_INT(
        kc_output_check_mem((const unsigned char *)x, b.len, "fods", &kerr), 0);
    CHECK(strstr(x, "office:value=\"0.875\"") != NULL); /* 7/8 shown */
    CHECK(strstr(x, "office:value=\"0.75\"") != NULL);  /* 3/4 */
    /* pooled: certrate and lossrate only (3 SUMIFs each) */
    CHECK_EQ_INT(sumifs(x), 2 * 3);
    CHECK(strstr(x, "缺少指标键 Missing KPI keys") != NULL);
    CHECK(strstr(x, "adoptrate_num, adoptrate_den, adviser_rate_num, "
                    "adviser_rate_den") != NULL);
    /* the county row: 持证率 and 败诉率 pooled; 审查意见采纳率, 法律顾问参与率
     * and 负责人出庭应诉率 "—" */
    const char *total = strstr(x, "全县 County (pooled)");
    CHECK(total != NULL);
    CHECK_EQ_INT(count_of(total ? total : "", ">—<"), 3);
    kc_buf_free(&b);
    for (int i = 0; i < 2; i++)
        kc_kpi_list_free(&r[i].kpis);
}

/* A folder mixing templates: one workbook without the adviser share's
 * counts. The county total pools the others and says whom it leaves out;
 * a folder where no workbook has them says nothing of the kind. */
static void test_mixed_templates(void)
{
    struct kc_result r[3] = {{0}};
    const char *files[3] = {"in/a.ods", "in/b.ods", "in/c.ods"};
    town(&r[0], "东湖乡", "2020", 31, 34, 0, 4, 0, 5, 3, 5);
    adviser(&r[0], 7, 8, 1); /* older template */
    town(&r[1], "西岭乡", "2020", 20, 20, 1, 8, 2, 8, 6, 4);
    adviser(&r[1], 3, 4, 0);
    town(&r[2], "南溪乡", "2020", 9, 10, 0, 2, 1, 3, 1, 2);
    adviser(&r[2], 1, 2, 0);
    struct kc_county_opts o;
    kc_county_defaults(&o);
    struct kc_buf b = {0};
    struct kc_err kerr;
    CHECK_EQ_INT(kc_county_render(&b, files, r, 3, &o, &kerr), 0);
    const char *x = kc_buf_str(&b);
    CHECK(strstr(x, "合计不完整 Incomplete county total: 法律顾问参与率 的全县"
                    "合计只含 2 个有分子分母的工作簿，不含 1 个") != NULL);
    const char *line = strstr(x, "合计不完整");
    const char *eol = line ? strchr(line, '<') : NULL;
    CHECK(line && eol &&
          memmem(line, (size_t)(eol - line), "东湖乡", strlen("东湖乡")));
    CHECK(line && eol &&
          !memmem(line, (size_t)(eol - line), "西岭乡", strlen("西岭乡")));
    CHECK_EQ_INT(count_of(x, "合计不完整"), 1); /* certrate etc. are whole */
    kc_buf_free(&b);
    for (int i = 0; i < 3; i++)
        kc_kpi_list_free(&r[i].kpis);
    /* no workbook with the counts: the missing-keys line, not this one */
    struct kc_result q[2] = {{0}};
    town(&q[0], "东湖乡", "2020", 31, 34, 0, 4, 0, 5, 3, 5);
    adviser(&q[0], 7, 8, 1);
    town(&q[1], "西岭乡", "2020", 20, 20, 1, 8, 2, 8, 6, 4);
    adviser(&q[1], 3, 4, 1);
    struct kc_buf c = {0};
    CHECK_EQ_INT(kc_county_render(&c, files, q, 2, &o, &kerr), 0);
    CHECK(strstr(kc_buf_str(&c), "合计不完整") == NULL);
    kc_buf_free(&c);
    for (int i = 0; i < 2; i++)
        kc_kpi_list_free(&q[i].kpis);
}

static void test_render(void)
{
    struct kc_result r[5] = {{0}};
    const char *files[5] = {"in/a.ods", "in/b.ods", "in/c.ods", "in/d.ods",
                            "in/e.ods"};
    town(&r[0], "东湖乡", "2020", 31, 34, 0, 4, 0, 5, 3, 5);
    town(&r[1], "A<&\"B", "2020", 20, 20, 1, 8, 2, 8, 6, 4);
    town(&r[2], "南溪乡", "2021", 9, 10, 0, 0, 1, 3, 1, 2);
    adviser(&r[0], 7, 8, 0);
    adviser(&r[1], 3, 4, 0);
    adviser(&r[2], 1, 1, 0);
    r[3].state = KC_OK; /* a fresh, empty workbook */
    add(&r[3], "year", "2020", KC_KPI_NUMBER);
    add(&r[3], "inputs_filled", "0", KC_KPI_NUMBER);
    add(&r[3], "certrate", "#DIV/0!", KC_KPI_ERROR);
    r[4].state = KC_FAILED;
    r[4].message = strdup("corrupt file: no end of central directory");
    struct kc_county_opts o;
    kc_county_defaults(&o);
    struct kc_buf b = {0};
    struct kc_err kerr;
    char *err = kerr.msg;
    CHECK_EQ_INT(kc_county_render(&b, files, r, 5, &o, &kerr), 0);
    const char *x = kc_buf_str(&b);
    CHECK_EQ_INT(
        kc_output_check_mem((const unsigned char *)x, b.len, "fods", &kerr), 0);
    /* the four sheets */
    CHECK(strstr(x, "table:name=\"汇总\"") != NULL);
    CHECK(strstr(x, "table:name=\"漏斗图\"") != NULL);
    CHECK(strstr(x, "table:name=\"目标\"") != NULL);
    CHECK(strstr(x, "table:name=\"数据\"") != NULL);
    /* ranks: certrate high is better (order 0), lossrate low (order 1);
     * one array formula over the five rows a column */
    CHECK(strstr(x, "RANK([.C5:.C9];[.$C$5:.$C$9];0)") != NULL);
    CHECK(strstr(x, "RANK([.O5:.O9];[.$O$5:.$O$9];1)") != NULL);
    /* marks against the targets sheet, direction by target */
    CHECK(strstr(x, "IF([.C5:.C9]&gt;=[$'目标'.$D$3];&quot;达标&quot;") !=
          NULL);
    CHECK(strstr(x, "IF([.O5:.O9]&lt;=[$'目标'.$D$7];&quot;达标&quot;") !=
          NULL);
    CHECK_EQ_INT(count_of(x, "RANK("), 5);
    /* array formulas: marks and ranks (5 rates x 2) and the funnel's unit
     * columns (2 x 8) over the 5 workbooks; the grid's limits (2 x 4) over
     * its 40 rows; 双下降 (2) over the run of 3 judged workbooks */
    CHECK_EQ_INT(count_of(x, "table:number-matrix-rows-spanned=\"5\""),
                 5 * 2 + 2 * 8);
    CHECK_EQ_INT(count_of(x, "table:number-matrix-rows-spanned=\"40\""), 2 * 4);
    CHECK_EQ_INT(count_of(x, "table:number-matrix-rows-spanned=\"3\""), 2);
    CHECK_EQ_INT(count_of(x, "table:number-matrix-rows-spanned="),
                 5 * 2 + 2 * 8 + 2 * 4 + 2);
    /* pooled: sums over the workbooks that are neither failed nor empty */
    CHECK_EQ_INT(sumifs(x), 3 * 3); /* certrate, adviser_rate, lossrate */
    CHECK(count_of(x, "SUMIF([$'数据'.$D$2:.$D$6];0;") == 3 * 3);
    /* adoptrate has no numerator: no pooled total, and it is named */
    CHECK(strstr(x, "adoptrate_num, adoptrate_den, appearance_rate") != NULL);
    CHECK(strstr(x, "缺少指标键") != NULL);
    /* ... but no longer adviser_rate's keys */
    const char *miss = strstr(x, "缺少指标键");
    const char *eol = miss ? strchr(miss, '<') : NULL;
    CHECK(miss && eol);
    CHECK(miss && eol &&
          !memmem(miss, (size_t)(eol - miss), "adviser_rate",
                  strlen("adviser_rate")));
    /* warnings */
    CHECK(strstr(x, "年度不一致 Mixed years: 2020 年 3 个，2021 年 1 个") !=
          NULL);
    CHECK(strstr(x, "南溪乡（2021）") != NULL);
    CHECK(strstr(x, "空白工作簿 Empty workbooks (1") != NULL);
    CHECK(strstr(x, "处理失败 Failed workbooks (1): in/e.ods（corrupt file: "
                    "no end of central directory）") != NULL);
    /* escaping */
    CHECK(strstr(x, "A&lt;&amp;&quot;B") != NULL);
    CHECK(strstr(x, "A<&") == NULL);
    /* the county's 双下降 from the six counts, with the 0->0 rule cell */
    CHECK(count_of(x, "按规则不计为下降") >= 1);
    /* over the data sheet's rows 2..4 (the judged run), as products */
    CHECK(strstr(x, "$2:.$") != NULL);
    CHECK(strstr(x, "IF(([$'数据'.$") != NULL);
    CHECK(strstr(x, "IF(AND(") == NULL);
    CHECK(strstr(x, "IF(OR(") == NULL);
    CHECK(strstr(x, "[$'目标'.$D$9]=1") != NULL);
    /* the funnel: limits and z by the add-in, wrapped so that an add-in
     * without them leaves the cells empty */
    CHECK(count_of(x, "ORG.KPICALC.KPICALC.FUNNELLIMITS(") == 1 + 2 * (4 + 4));
    CHECK(count_of(x, "ORG.KPICALC.KPICALC.FUNNELZ(") == 2);
    /* two charts; series: the townships, county rate, 4 limits, and a
     * labelled one per unit */
    CHECK_EQ_INT(count_of(x, "<draw:object>"), 2);
    CHECK_EQ_INT(count_of(x, "<chart:series "), 2 * (6 + 5));
    CHECK_EQ_INT(count_of(x, "chart:style-name=\"chPt\""), 2 * 5);
    CHECK_EQ_INT(count_of(x, "chart:style-name=\"chPtAll\""), 2);
    CHECK(strstr(x, "chart:data-label-series=\"true\"") != NULL);
    /* a legend of four entries: the per-unit label series and the upper
     * limits are left out of it */
    CHECK_EQ_INT(count_of(x, "<chart:legend "), 2);
    CHECK_EQ_INT(count_of(x, "loext:hide-legend=\"true\""), 2 * (2 + 5));
    CHECK(strstr(x, "xmlns:loext=") != NULL);
    /* the legend's names, in the row between unit table and grid (certrate:
     * units in rows 6..10, the legend row 11, the grid header 12) */
    CHECK(strstr(x, ">乡镇 Townships<") != NULL);
    CHECK(strstr(x, ">95% 控制限 limits<") != NULL);
    CHECK(strstr(x, ">99.8% 控制限 limits<") != NULL);
    CHECK(strstr(x, "chart:style-name=\"chPtAll\" "
                    "chart:values-cell-range-address=\"'漏斗图'.$D$6:'漏斗图'."
                    "$D$10\" chart:label-cell-address=\"'漏斗图'.$B$11\"") !=
          NULL);
    CHECK(strstr(x, "chart:label-cell-address=\"'漏斗图'.$E$11\"") != NULL);
    CHECK(strstr(x, "chart:label-cell-address=\"'漏斗图'.$H$11\"") != NULL);
    /* a point is labelled by its 图中标注 cell: the unit outside the 95%
     * limits only */
    CHECK(strstr(x, "IF(ISNUMBER([.D6:.D10])*([.J6:.J10]&lt;&gt;&quot;控制限内"
                    "&quot;);[.A6:.A10];&quot; &quot;)") != NULL);
    CHECK(strstr(x,
                 "chart:values-cell-range-address=\"'漏斗图'.$D$6:'漏斗图'."
                 "$D$6\" chart:label-cell-address=\"'漏斗图'.$K$6\"") != NULL);
    /* each funnel table's formulas name their own rows: units from row 6
     * (certrate) and row 84 (lossrate, after 40 grid rows and the chart's
     * 28) */
    CHECK(strstr(x, "IF(ISNUMBER([.B6:.B10])*ISNUMBER([.C6:.C10]);IF([.C6:."
                    "C10]&gt;0;[.B6:.B10]/[.C6:.C10]") != NULL);
    CHECK(strstr(x, "IF(ISNUMBER([.B84:.B88])*ISNUMBER([.C84:.C88]);IF([.C84:."
                    "C88]&gt;0;[.B84:.B88]/[.C84:.C88]") != NULL);
    /* and no formula names a heading row (5, 83) or a row after the units */
    CHECK(strstr(x, "[.B5:") == NULL);
    CHECK(strstr(x, "[.B83:") == NULL);
    CHECK(strstr(x, ".B89]") == NULL);
    CHECK(strstr(x, "FUNNELZ([.B6:.B10];[.C6:.C10];") != NULL);
    /* x and n are the data sheet's numbers, not formulas */
    CHECK(strstr(x, "IF(ISNUMBER([$'数据'") == NULL);
    /* the add-in's cells, frozen in the loaded document: the check (A2),
     * E..I of the unit rows 6..10 and 84..88, C..F of the grid rows
     * 13..52 and 91..130 (0-based in the spec), as the formulas above */
    struct kc_buf spec = {0};
    CHECK_EQ_INT(kc_county_freeze_spec(5, &spec), 0);
    CHECK(strcmp(kc_buf_str(&spec), "1:0:1:0:1;1:4:5:8:9;1:2:12:5:51;"
                                    "1:4:83:8:87;1:2:90:5:129") == 0);
    /* and the worker's reader takes it: five rectangles, then the end */
    const char *sp = kc_buf_str(&spec);
    int rect[5], nrect = 0, got;
    while ((got = kc_rect_next(&sp, rect)) == 1)
        nrect++;
    CHECK(got == 0 && nrect == 5);
    CHECK(strstr(x, "FUNNELZ([.B84:.B88];[.C84:.C88];") != NULL);
    CHECK(strstr(x, "FUNNELLIMITS([.A91:.A130];[.B91:.B130];") != NULL);
    kc_buf_clear(&spec);
    CHECK_EQ_INT(kc_county_freeze_spec(0, &spec), 0); /* no unit rows */
    CHECK(strcmp(kc_buf_str(&spec), "1:0:1:0:1;1:2:8:5:47;1:2:82:5:121") == 0);
    kc_buf_free(&spec);
    /* the grid's limits: rows 13..52 (certrate) */
    CHECK(strstr(x,
                 "FUNNELLIMITS([.A13:.A52];[.B13:.B52];0.95;&quot;lower&quot;"
                 ")") != NULL);
    /* one page, A4 landscape */
    CHECK(strstr(x, "style:print-orientation=\"landscape\"") != NULL);
    CHECK(strstr(x, "style:scale-to-pages=\"1\"") != NULL);
    CHECK(strstr(x, "table:print-ranges=\"'汇总'.A1:'汇总'.V") != NULL);

    /* beyond the label limit: one unlabelled series for all */
    o.label_limit = 3;
    kc_buf_clear(&b);
    CHECK_EQ_INT(kc_county_render(&b, files, r, 5, &o, &kerr), 0);
    CHECK_EQ_INT(count_of(kc_buf_str(&b), "<chart:series "), 2 * (5 + 1));
    CHECK_EQ_INT(count_of(kc_buf_str(&b), "chart:style-name=\"chPtAll\""), 2);
    CHECK_EQ_INT(count_of(kc_buf_str(&b), "chart:style-name=\"chPt\""), 0);
    CHECK_EQ_INT(count_of(kc_buf_str(&b), "<chart:legend "), 2);

    /* a targets file shows on the targets sheet */
    kc_county_defaults(&o);
    CHECK_EQ_INT(parse("certrate>=0.9\nzero_to_zero=not_down", &o, &kerr), 0);
    kc_buf_clear(&b);
    CHECK_EQ_INT(kc_county_render(&b, files, r, 5, &o, &kerr), 0);
    x = kc_buf_str(&b);
    CHECK(strstr(x, "office:value=\"0.90000000000000002\"") != NULL);
    CHECK(strstr(x, "目标文件 targets file") != NULL);
    CHECK(strstr(x, "双下降 0→0 规则：不计为下降") != NULL);

    /* no workbook at all still renders a whole document */
    kc_buf_clear(&b);
    CHECK_EQ_INT(kc_county_render(&b, NULL, NULL, 0, &o, &kerr), 0);
    CHECK_EQ_INT(kc_output_check_mem((const unsigned char *)kc_buf_str(&b),
                                     b.len, "fods", &kerr),
                 0);
    CHECK(strstr(kc_buf_str(&b), "没有工作簿") != NULL);
    /* bad arguments */
    CHECK_EQ_INT(kc_county_render(&b, NULL, r, 5, &o, &kerr), -1);
    CHECK_EQ_INT(kc_county_render(&b, files, r, 5, NULL, &kerr), -1);

    /* kc_county_write: the failures before any office starts */
    struct kc_county_office office = {.lo_program = "/nonexistent",
                                      .run_tag = "test"};
    CHECK_EQ_INT(kc_county_write("x.csv", files, r, 5, &o, &office, &kerr), -1);
    CHECK(strstr(err, ".ods or .xlsx") != NULL);
    CHECK_EQ_INT(kc_county_write("x.ods", files, r, 5, &o, NULL, &kerr), -1);
    /* a folder that cannot be made: under a file */
    CHECK_EQ_INT(kc_county_write("/dev/null/sub/county.ods", files, r, 5, &o,
                                 &office, &kerr),
                 -1);
    CHECK(err[0] != '\0');
    kc_buf_free(&b);
    for (int i = 0; i < 5; i++) {
        kc_kpi_list_free(&r[i].kpis);
        free(r[i].message);
    }
}

int main(void)
{
    test_targets();
    test_empty();
    test_render();
    test_old_template();
    test_mixed_templates();
    return kpi_test_report("batch county");
}
