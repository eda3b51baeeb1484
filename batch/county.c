/* The county summary workbook: a flat ODF spreadsheet of data and
 * formulas, recalculated, its add-in cells frozen and saved by one office
 * worker. */
#include "county.h"

#include "buf.h"
#include "fsutil.h"
#include "paths.h"
#include "profile.h"
#include "strset.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The rates of the table: key, 中文, English, numerator and denominator
 * keys (NULL: no pooled total), the template's target. */
struct rate {
    const char *key, *zh, *en, *num, *den;
    char dir;
    double target;
};

static const struct rate rates[] = {
    {"certrate", "持证率", "Certification rate", "certrate_num", "certrate_den",
     '>', 0.95},
    {"adoptrate", "审查意见采纳率", "Adoption rate", "adoptrate_num",
     "adoptrate_den", '>', 0.90},
    {"adviser_rate", "法律顾问参与率", "Adviser share", "adviser_rate_num",
     "adviser_rate_den", '>', 0.80},
    {"appearance_rate", "负责人出庭应诉率", "Appearance rate",
     "appearance_rate_num", "appearance_rate_den", '>', 0.80},
    {"lossrate", "败诉率", "Loss rate", "lossrate_num", "lossrate_den", '<',
     0.10},
};
#define NRATES (sizeof rates / sizeof *rates)

/* The counts of the table (county total: their sum). */
static const struct count {
    const char *key, *zh, *en;
} counts[] = {
    {"lost_cases", "败诉败议案件数", "Cases lost"},
    {"disputes", "行政争议发案量", "Disputes"},
};
#define NCOUNTS (sizeof counts / sizeof *counts)

/* What the county's 双下降 needs, in this order. */
static const char *const dd_keys[] = {"disputes",          "disputes_prev",
                                      "lossrate_num",      "lossrate_den",
                                      "lossrate_prev_num", "lossrate_prev_den"};
#define NDD (sizeof dd_keys / sizeof *dd_keys)

/* The funnel charts: the rate, its numerator and denominator keys. */
static const int funnel_rate[] = {0, 4}; /* certrate, lossrate */
#define NFUNNELS 2
#define GRID 40

#define S_SUM "汇总"
#define S_TGT "目标"
#define S_FUN "漏斗图"
#define S_DATA "数据"
#define ADDIN "ORG.KPICALC.KPICALC."

void kc_county_defaults(struct kc_county_opts *o)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < NRATES; i++) {
        snprintf(o->t[i].key, sizeof o->t[i].key, "%s", rates[i].key);
        o->t[i].dir = rates[i].dir;
        o->t[i].value = rates[i].target;
    }
    o->n = NRATES;
    o->zero_holds = 1;
    o->label_limit = 60;
}

int kc_county_format(const char *path)
{
    char ext[16];
    kc_extension(path ? path : "", ext, sizeof ext);
    if (strcmp(ext, "ods") == 0)
        return 'o';
    if (strcmp(ext, "xlsx") == 0)
        return 'x';
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int kc_county_parse_targets(const char *text, size_t n,
                            struct kc_county_opts *o, struct kc_err *err)
{
    struct kc_county_opts tmp = *o;
    char *copy = malloc(n + 1);
    if (!copy) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    memcpy(copy, text ? text : "", n);
    copy[n] = '\0';
    int rc = 0;
    long line = 0;
    char *save = NULL;
    for (char *l = copy; l && rc == 0; l = save) {
        char *nl = strchr(l, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        line++;
        char *s = trim(l);
        if (line == 1 && strncmp(s, KC_UTF8_BOM, 3) == 0)
            s += 3;
        if (!*s || *s == '#')
            continue;
        char *op = strpbrk(s, "<>=");
        if (!op) {
            kc_err_set(err,
                       "line %ld: '%s' is not KEY>=VALUE, KEY<=VALUE or "
                       "zero_to_zero=down|not_down",
                       line, s);
            rc = -1;
            break;
        }
        char dir = *op;
        char *value = op + 1;
        if ((dir == '<' || dir == '>') && *value == '=')
            value++;
        *op = '\0';
        char *key = trim(s);
        value = trim(value);
        if (strcmp(key, "zero_to_zero") == 0 && dir == '=') {
            if (strcmp(value, "down") == 0)
                tmp.zero_holds = 1;
            else if (strcmp(value, "not_down") == 0)
                tmp.zero_holds = 0;
            else {
                kc_err_set(err,
                           "line %ld: zero_to_zero is 'down' or 'not_down', "
                           "not '%s'",
                           line, value);
                rc = -1;
                break;
            }
            tmp.zero_from_file = 1;
            continue;
        }
        if (dir == '=' || value == op + 1) {
            kc_err_set(err, "line %ld: '%s' needs >= or <=", line, key);
            rc = -1;
            break;
        }
        size_t k = 0;
        while (k < tmp.n && strcmp(tmp.t[k].key, key) != 0)
            k++;
        if (k == tmp.n) {
            kc_err_set(err,
                       "line %ld: unknown indicator '%s' (known: certrate, "
                       "adoptrate, adviser_rate, appearance_rate, lossrate)",
                       line, key);
            rc = -1;
            break;
        }
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        int pct = *end == '%';
        if (pct)
            end++;
        if (end == value || *trim(end) || errno || !isfinite(v)) {
            kc_err_set(err, "line %ld: '%s' is not a number", line, value);
            rc = -1;
            break;
        }
        if (pct)
            v /= 100;
        if (v < 0 || v > 1) {
            kc_err_set(err,
                       "line %ld: a target rate is from 0 to 1 (or 0%% to "
                       "100%%), not '%s'",
                       line, value);
            rc = -1;
            break;
        }
        tmp.t[k].dir = dir;
        tmp.t[k].value = v;
        tmp.t[k].from_file = 1;
    }
    free(copy);
    if (rc == 0)
        *o = tmp;
    return rc;
}

int kc_county_load_targets(const char *path, struct kc_county_opts *o,
                           struct kc_err *err)
{
    char *data = NULL;
    size_t len = 0;
    if (kc_read_file(path, &data, &len) != 0) {
        kc_err_sys(err, "cannot read %s", path);
        return -1;
    }
    int rc = kc_county_parse_targets(data, len, o, err);
    if (rc != 0)
        kc_err_wrap(err, "%s: ", path);
    free(data);
    return rc;
}

/* --- reading a workbook's indicators ----------------------------------- */

static const struct kc_kpi *kpi_of(const struct kc_result *r, const char *key)
{
    if (r->state != KC_OK)
        return NULL;
    for (size_t j = 0; j < r->kpis.n; j++)
        if (strcmp(r->kpis.v[j].key, key) == 0)
            return &r->kpis.v[j];
    return NULL;
}

/* The number KEY holds, or NULL. */
static const char *num_of(const struct kc_result *r, const char *key)
{
    const struct kc_kpi *k = kpi_of(r, key);
    return k && k->type == KC_KPI_NUMBER && kc_is_json_number(k->value)
               ? k->value
               : NULL;
}

int kc_county_is_empty(const struct kc_result *r, char *why, size_t whysz)
{
    if (why && whysz)
        why[0] = '\0';
    if (!r || r->state != KC_OK)
        return 0;
    const char *filled = num_of(r, "inputs_filled");
    if (filled && strtod(filled, NULL) == 0) {
        if (why)
            snprintf(why, whysz,
                     "empty workbook: no input filled (inputs_filled = 0)");
        return 1;
    }
    if (filled)
        return 0;
    int known = 0, numbers = 0;
    for (size_t i = 0; i < NRATES; i++)
        if (kpi_of(r, rates[i].key)) {
            known++;
            numbers += num_of(r, rates[i].key) != NULL;
        }
    for (size_t i = 0; i < NCOUNTS; i++)
        if (kpi_of(r, counts[i].key)) {
            known++;
            numbers += num_of(r, counts[i].key) != NULL;
        }
    if (known > 0 && numbers == 0) {
        if (why)
            snprintf(why, whysz,
                     "empty workbook: none of its indicators has a value "
                     "(inputs not filled?)");
        return 1;
    }
    return 0;
}

/* --- writing flat ODF ------------------------------------------------------
 */

/* Appends S as XML text (or an attribute value): markup escaped, invalid
 * UTF-8 replaced, characters XML forbids dropped. */
static int xml_text(struct kc_buf *b, const char *s)
{
    struct kc_buf u = {0};
    const char *p = s ? s : "";
    int rc = kc_utf8_add(&u, p, strlen(p));
    for (const char *c = kc_buf_str(&u); rc == 0 && *c; c++) {
        unsigned char ch = (unsigned char)*c;
        if (ch == '&')
            rc = kc_buf_adds(b, "&amp;");
        else if (ch == '<')
            rc = kc_buf_adds(b, "&lt;");
        else if (ch == '>')
            rc = kc_buf_adds(b, "&gt;");
        else if (ch == '"')
            rc = kc_buf_adds(b, "&quot;");
        else if (ch == '\n' || ch == '\t')
            rc = kc_buf_adds(b, " ");
        else if (ch < 0x20 || ch == 0x7f)
            continue;
        else
            rc = kc_buf_addc(b, (char)ch);
    }
    kc_buf_free(&u);
    return rc;
}

/* Column letters of the 0-based column C. */
static void col_name(size_t c, char *out)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* The writer's state: the output and the row being written. */
struct w {
    struct kc_buf *b;
    struct kc_buf f; /* a formula being built */
    int rc;
    size_t col; /* cells written in the current row */
};

static void row_begin(struct w *w)
{
    w->rc |= kc_buf_adds(w->b, "<table:table-row>");
    w->col = 0;
}

static void row_end(struct w *w)
{
    if (w->col == 0)
        w->rc |= kc_buf_adds(w->b, "<table:table-cell/>");
    w->rc |= kc_buf_adds(w->b, "</table:table-row>\n");
}

static void style_attr(struct w *w, const char *style)
{
    if (style)
        w->rc |= kc_buf_addf(w->b, " table:style-name=\"%s\"", style);
}

static void cell_empty(struct w *w, const char *style)
{
    w->rc |= kc_buf_adds(w->b, "<table:table-cell");
    style_attr(w, style);
    w->rc |= kc_buf_adds(w->b, "/>");
    w->col++;
}

static void cell_text(struct w *w, const char *style, const char *s)
{
    if (!s || !*s) {
        cell_empty(w, style);
        return;
    }
    w->rc |=
        kc_buf_adds(w->b, "<table:table-cell office:value-type=\"string\"");
    style_attr(w, style);
    w->rc |= kc_buf_adds(w->b, "><text:p>") | xml_text(w->b, s) |
             kc_buf_adds(w->b, "</text:p></table:table-cell>");
    w->col++;
}

/* A number cell from its text as the workbook stored it (a JSON-style
 * number), or an empty cell. */
static void cell_num(struct w *w, const char *style, const char *v)
{
    if (!v) {
        cell_empty(w, style);
        return;
    }
    w->rc |= kc_buf_adds(w->b, "<table:table-cell office:value-type=\"float\"");
    style_attr(w, style);
    w->rc |= kc_buf_addf(w->b, " office:value=\"%s\"/>", v);
    w->col++;
}

static void cell_long(struct w *w, const char *style, long v)
{
    char s[32];
    snprintf(s, sizeof s, "%ld", v);
    cell_num(w, style, s);
}

/* A formula cell: the formula is w->f (without "of:="); ROWS > 0 makes it
 * an array formula over this cell and the ROWS - 1 below it in its column
 * (the caller writes those as empty cells: the office fills them). A
 * column of townships is one array formula, not one formula a row: the
 * office parses, computes and writes it once, and the add-in is called
 * once with the column (docs/county.md, Performance). */
static void formula_cell(struct w *w, const char *style, size_t rows)
{
    w->rc |= kc_buf_adds(w->b, "<table:table-cell table:formula=\"of:=") |
             xml_text(w->b, kc_buf_str(&w->f)) | kc_buf_adds(w->b, "\"");
    if (rows)
        w->rc |= kc_buf_addf(w->b,
                             " table:number-matrix-columns-spanned=\"1\" "
                             "table:number-matrix-rows-spanned=\"%zu\"",
                             rows);
    style_attr(w, style);
    w->rc |= kc_buf_adds(w->b, "/>");
    w->col++;
    kc_buf_clear(&w->f);
}

static void cell_formula(struct w *w, const char *style)
{
    formula_cell(w, style, 0);
}

/* The range "[.C5:.C9]" of column COL, rows R0..R1 of the same sheet. */
static const char *col_range(size_t col, size_t r0, size_t r1, char *out,
                             size_t outsz)
{
    char cn[8];
    col_name(col, cn);
    snprintf(out, outsz, "[.%s%zu:.%s%zu]", cn, r0, cn, r1);
    return out;
}

#define F(...) (w->rc |= kc_buf_addf(&w->f, __VA_ARGS__))

/* --- the layout ------------------------------------------------------------
 */

/* Where things are, in 1-based rows and 0-based columns. */
struct layout {
    size_t n;         /* workbooks: summary rows first_row.. */
    size_t first_row; /* of the summary's data rows (1-based) */
    size_t total_row; /* the county row */
    size_t col_rate[NRATES], col_mark[NRATES], col_rank[NRATES];
    size_t col_count[NCOUNTS], col_dd, col_reason, col_note, ncols;
    /* the data sheet: columns of the keys */
    const char **keys;
    size_t nkeys;
    struct kc_strset index;
    size_t data_first; /* first key column on the data sheet */
    size_t tgt_row[NRATES], tgt_zero_row;
};

static size_t key_col(const struct layout *L, const char *key)
{
    size_t k = kc_strset_get(&L->index, key);
    return k == KC_STRSET_NONE ? KC_STRSET_NONE : L->data_first + k;
}

static int layout_make(struct layout *L, const struct kc_result *results,
                       size_t n)
{
    memset(L, 0, sizeof *L);
    kc_strset_init(&L->index, 0);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += results[i].kpis.n;
    L->keys = malloc((total ? total : 1) * sizeof *L->keys);
    if (!L->keys)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < results[i].kpis.n; j++) {
            const char *key = results[i].kpis.v[j].key;
            int added = kc_strset_add(&L->index, key, L->nkeys);
            if (added < 0)
                return -1;
            if (added)
                L->keys[L->nkeys++] = key;
        }
    L->n = n;
    L->first_row = 5;
    L->total_row = L->first_row + n;
    size_t c = 2; /* A unit, B year */
    for (size_t i = 0; i < NRATES; i++) {
        L->col_rate[i] = c++;
        L->col_mark[i] = c++;
        L->col_rank[i] = c++;
    }
    for (size_t i = 0; i < NCOUNTS; i++)
        L->col_count[i] = c++;
    L->col_dd = c++;
    L->col_reason = c++;
    L->col_note = c++;
    L->ncols = c;
    L->data_first = 4; /* file, status, error_cells, empty */
    for (size_t i = 0; i < NRATES; i++)
        L->tgt_row[i] = 3 + i;
    L->tgt_zero_row = 3 + NRATES + 1;
    return 0;
}

static void layout_free(struct layout *L)
{
    free(L->keys);
    kc_strset_free(&L->index);
}

/* A reference to the data sheet's cells of KEY in the LEN workbooks from
 * I on, or "". */
static int data_ref(const struct layout *L, const char *key, size_t i,
                    size_t len, char *out, size_t outsz)
{
    size_t c = key_col(L, key);
    if (c == KC_STRSET_NONE) {
        out[0] = '\0';
        return -1;
    }
    char cn[8];
    col_name(c, cn);
    snprintf(out, outsz, "[$'" S_DATA "'.$%s$%zu:.$%s$%zu]", cn, i + 2, cn,
             i + 1 + len);
    return 0;
}

/* The data sheet's range of KEY over every workbook. */
static int data_range(const struct layout *L, const char *key, char *out,
                      size_t outsz)
{
    size_t c = key_col(L, key);
    if (c == KC_STRSET_NONE || L->n == 0) {
        out[0] = '\0';
        return -1;
    }
    char cn[8];
    col_name(c, cn);
    snprintf(out, outsz, "[$'" S_DATA "'.$%s$2:.$%s$%zu]", cn, cn, L->n + 1);
    return 0;
}

static const char *status_zh(const struct kc_result *r)
{
    return r->state == KC_OK       ? "ok"
           : r->state == KC_FAILED ? "failed"
                                   : "not processed";
}

/* The unit's name: its "unit" indicator, else the file's name. */
static const char *unit_of(const struct kc_result *r, const char *file)
{
    const struct kc_kpi *u = kpi_of(r, "unit");
    if (u && u->type == KC_KPI_STRING && *u->value)
        return u->value;
    return kc_basename(file ? file : "");
}

/* --- warnings ------------------------------------------------------------ */

struct year_count {
    char year[32];
    size_t n;
};

static int cmp_year(const void *a, const void *b)
{
    const struct year_count *x = a, *y = b;
    return (x->n < y->n) - (x->n > y->n);
}

/* Workbooks that give a rate but not its numerator and denominator (an
 * older template in a folder of newer ones): the pooled county total of
 * that rate leaves them out, and says so, one line per rate. */
static int partial_totals(struct kc_buf *out, const char *const *files,
                          const struct kc_result *results, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < NRATES; i++) {
        if (!rates[i].num || !rates[i].den)
            continue;
        struct kc_buf who = {0};
        size_t nwho = 0, nused = 0;
        for (size_t j = 0; j < n; j++) {
            const struct kc_result *r = &results[j];
            if (r->state != KC_OK || kc_county_is_empty(r, NULL, 0) ||
                !num_of(r, rates[i].key))
                continue;
            if (num_of(r, rates[i].num) && num_of(r, rates[i].den)) {
                nused++;
                continue;
            }
            rc |= kc_buf_addf(&who, "%s%s", nwho ? "，" : "",
                              unit_of(r, files[j]));
            nwho++;
        }
        if (nwho && nused)
            rc |=
                kc_buf_addf(out,
                            "合计不完整 Incomplete county total: %s 的全县合计"
                            "只含 %zu 个有分子分母的工作簿，不含 %zu 个"
                            "（其 KPI 表只有比率，模板较旧）：%s\n",
                            rates[i].zh, nused, nwho, kc_buf_str(&who));
        kc_buf_free(&who);
    }
    return rc;
}

/* The warnings as lines of text (each ends in '\n'), and in MAJ the year
 * most workbooks have. */
static int warnings(struct kc_buf *out, const char *const *files,
                    const struct kc_result *results, size_t n,
                    const struct layout *L, char *maj, size_t majsz)
{
    int rc = 0;
    struct year_count *yc = calloc(n + 1, sizeof *yc);
    size_t ny = 0;
    if (!yc)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *y = num_of(&results[i], "year");
        if (!y)
            continue;
        size_t k = 0;
        while (k < ny && strcmp(yc[k].year, y) != 0)
            k++;
        if (k == ny)
            snprintf(yc[ny++].year, sizeof yc->year, "%s", y);
        yc[k].n++;
    }
    qsort(yc, ny, sizeof *yc, cmp_year);
    snprintf(maj, majsz, "%s", ny ? yc[0].year : "");
    if (ny > 1) {
        rc |= kc_buf_adds(out, "年度不一致 Mixed years: ");
        for (size_t k = 0; k < ny; k++)
            rc |= kc_buf_addf(out, "%s%s 年 %zu 个", k ? "，" : "", yc[k].year,
                              yc[k].n);
        rc |= kc_buf_adds(out, "；不同于多数年度的：");
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            const char *y = num_of(&results[i], "year");
            if (y && strcmp(y, yc[0].year) != 0) {
                rc |= kc_buf_addf(out, "%s%s（%s）", first ? "" : "，",
                                  unit_of(&results[i], files[i]), y);
                first = 0;
            }
        }
        rc |= kc_buf_adds(out, "\n");
    }
    free(yc);
    struct kc_buf empty = {0}, failed = {0};
    size_t nempty = 0, nfailed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct kc_result *r = &results[i];
        if (kc_county_is_empty(r, NULL, 0)) {
            rc |= kc_buf_addf(&empty, "%s%s", nempty ? "，" : "",
                              unit_of(r, files[i]));
            nempty++;
        }
        if (r->state != KC_OK) {
            rc |= kc_buf_addf(&failed, "%s%s（%s）", nfailed ? "；" : "",
                              files[i] ? files[i] : "",
                              r->message ? r->message : status_zh(r));
            nfailed++;
        }
    }
    if (nempty)
        rc |= kc_buf_addf(
            out,
            "空白工作簿 Empty workbooks (%zu，输入未填写，不参与排名"
            "和合计): %s\n",
            nempty, kc_buf_str(&empty));
    if (nfailed)
        rc |= kc_buf_addf(out, "处理失败 Failed workbooks (%zu): %s\n", nfailed,
                          kc_buf_str(&failed));
    kc_buf_free(&empty);
    kc_buf_free(&failed);
    /* keys the summary needs that no workbook has */
    struct kc_buf miss = {0};
    for (size_t i = 0; i < NRATES; i++) {
        if (key_col(L, rates[i].key) == KC_STRSET_NONE)
            rc |=
                kc_buf_addf(&miss, "%s%s", miss.len ? ", " : "", rates[i].key);
        if (rates[i].num && key_col(L, rates[i].num) == KC_STRSET_NONE)
            rc |=
                kc_buf_addf(&miss, "%s%s", miss.len ? ", " : "", rates[i].num);
        if (rates[i].den && key_col(L, rates[i].den) == KC_STRSET_NONE)
            rc |=
                kc_buf_addf(&miss, "%s%s", miss.len ? ", " : "", rates[i].den);
    }
    for (size_t k = 0; k < NDD; k++)
        if (key_col(L, dd_keys[k]) == KC_STRSET_NONE &&
            !strstr(kc_buf_str(&miss), dd_keys[k]))
            rc |= kc_buf_addf(&miss, "%s%s", miss.len ? ", " : "", dd_keys[k]);
    if (miss.len && n)
        rc |= kc_buf_addf(out,
                          "缺少指标键 Missing KPI keys (模板的 KPI 表未提供，"
                          "相应合计、漏斗图或县级双下降判定空缺): %s\n",
                          kc_buf_str(&miss));
    kc_buf_free(&miss);
    rc |= partial_totals(out, files, results, n);
    if (n == 0)
        rc |= kc_buf_adds(out, "没有工作簿 No workbooks\n");
    return rc;
}

/* --- the sheets -------------------------------------------------------- */

static const char *pct_label(double v, char *buf, size_t sz)
{
    snprintf(buf, sz, "%g%%", v * 100);
    return buf;
}

static void sheet_targets(struct w *w, const struct layout *L,
                          const struct kc_county_opts *o)
{
    (void)L;
    w->rc |= kc_buf_adds(w->b, "<table:table table:name=\"" S_TGT
                               "\" table:style-name=\"ta2\">"
                               "<table:table-column table:style-name=\"coW\" "
                               "table:number-columns-repeated=\"2\"/>"
                               "<table:table-column table:style-name=\"coN\" "
                               "table:number-columns-repeated=\"3\"/>\n");
    row_begin(w);
    cell_text(w, "ceTitle",
              "县级目标 County targets（修改此表即改变达标判定）");
    row_end(w);
    row_begin(w);
    const char *head[] = {"指标 Indicator", "键 Key", "方向 Direction",
                          "目标 Target", "来源 Source"};
    for (size_t i = 0; i < 5; i++)
        cell_text(w, "ceHead", head[i]);
    row_end(w);
    for (size_t i = 0; i < NRATES; i++) {
        const struct kc_county_target *t = NULL;
        for (size_t k = 0; k < o->n; k++)
            if (strcmp(o->t[k].key, rates[i].key) == 0)
                t = &o->t[k];
        char zh[128], v[32];
        snprintf(zh, sizeof zh, "%s %s", rates[i].zh, rates[i].en);
        snprintf(v, sizeof v, "%.17g", t ? t->value : rates[i].target);
        row_begin(w);
        cell_text(w, NULL, zh);
        cell_text(w, NULL, rates[i].key);
        cell_text(w, NULL, (t ? t->dir : rates[i].dir) == '<' ? "≤" : "≥");
        cell_num(w, "cePct", v);
        cell_text(w, NULL,
                  t && t->from_file ? "目标文件 targets file"
                                    : "模板默认 template default");
        row_end(w);
    }
    row_begin(w);
    row_end(w);
    row_begin(w);
    cell_text(w, NULL,
              "败诉率 0→0 是否计为下降 Loss rate 0→0 counts as fallen");
    cell_text(w, NULL, "zero_to_zero");
    cell_text(w, NULL, o->zero_holds ? "计为下降 down" : "不计为下降 not down");
    cell_long(w, "ceInt", o->zero_holds ? 1 : 0);
    cell_text(w, NULL,
              o->zero_from_file ? "目标文件 targets file" : "默认 default");
    row_end(w);
    w->rc |= kc_buf_adds(w->b, "</table:table>\n");
}

static void sheet_data(struct w *w, const char *const *files,
                       const struct kc_result *results, size_t n,
                       const struct layout *L)
{
    w->rc |= kc_buf_adds(w->b, "<table:table table:name=\"" S_DATA
                               "\" table:style-name=\"ta2\">"
                               "<table:table-column table:style-name=\"coW\"/>"
                               "<table:table-column/>\n");
    row_begin(w);
    cell_text(w, "ceHead", "file");
    cell_text(w, "ceHead", "status");
    cell_text(w, "ceHead", "error_cells");
    cell_text(w, "ceHead", "empty");
    for (size_t k = 0; k < L->nkeys; k++)
        cell_text(w, "ceHead", L->keys[k]);
    row_end(w);
    const struct kc_kpi **row = calloc(L->nkeys + 1, sizeof *row);
    if (!row) {
        w->rc = -1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct kc_result *r = &results[i];
        row_begin(w);
        cell_text(w, NULL, files[i] ? files[i] : "");
        cell_text(w, NULL, status_zh(r));
        if (r->state == KC_OK && r->error_cells >= 0)
            cell_long(w, NULL, r->error_cells);
        else
            cell_empty(w, NULL);
        cell_long(w, NULL, kc_county_is_empty(r, NULL, 0));
        memset(row, 0, L->nkeys * sizeof *row);
        for (size_t j = 0; j < r->kpis.n; j++) {
            size_t k = kc_strset_get(&L->index, r->kpis.v[j].key);
            if (k != KC_STRSET_NONE && !row[k])
                row[k] = &r->kpis.v[j];
        }
        for (size_t k = 0; k < L->nkeys; k++) {
            const struct kc_kpi *kp = r->state == KC_OK ? row[k] : NULL;
            if (!kp || kp->type == KC_KPI_EMPTY)
                cell_empty(w, NULL);
            else if (kp->type == KC_KPI_NUMBER && kc_is_json_number(kp->value))
                cell_num(w, NULL, kp->value);
            else if (kp->type == KC_KPI_ERROR)
                cell_empty(w, NULL); /* an error is no value */
            else
                cell_text(w, NULL, kp->value);
        }
        row_end(w);
    }
    free(row);
    w->rc |= kc_buf_adds(w->b, "</table:table>\n");
}

/* Whether the county rule can judge workbook I: it was read, is not
 * empty, and has the six counts on the data sheet. */
static int dd_judged(const struct layout *L, const struct kc_result *r)
{
    int have = r->state == KC_OK && !kc_county_is_empty(r, NULL, 0);
    for (size_t k = 0; k < NDD && have; k++)
        have =
            num_of(r, dd_keys[k]) && key_col(L, dd_keys[k]) != KC_STRSET_NONE;
    return have;
}

/* The 双下降 cells of workbook I (summary row ROW). A run of workbooks the
 * county rule can judge (RUN of them from this one; 0 inside a run) gets
 * the rule as two array formulas over the run's rows; the others show
 * the workbook's own verdict. */
static void dd_cells(struct w *w, const struct layout *L,
                     const struct kc_result *r, size_t i, size_t row,
                     size_t run)
{
    if (dd_judged(L, r)) {
        if (!run) { /* inside a run: the array formulas fill these */
            cell_empty(w, "ceCenter");
            cell_empty(w, NULL);
            return;
        }
        char ref[NDD][128], rr[64], zr[64];
        for (size_t k = 0; k < NDD; k++)
            data_ref(L, dd_keys[k], i, run, ref[k], sizeof ref[k]);
        col_range(L->col_reason, row, row + run - 1, rr, sizeof rr);
        snprintf(zr, sizeof zr, "[$'" S_TGT "'.$D$%zu]", L->tgt_zero_row);
        /* D disputes, DP last year's; LN/LD this year's lost/concluded,
         * PN/PD last year's: rates compared by cross-multiplying; AND and
         * OR of arrays are products and sums (AND() would fold the column
         * into one value) */
        const char *D = ref[0], *DP = ref[1], *LN = ref[2], *LD = ref[3],
                   *PN = ref[4], *PD = ref[5];
        F("IF(%s=\"数据缺失\";\"\";IF((%s=\"双下降\")+(%s="
          "\"败诉率持平(0→0，按规则计为下降)\");\"是\";\"否\"))",
          rr, rr, rr);
        formula_cell(w, "ceCenter", run);
        F("IF(%s=0;\"本年无审结案件\";IF(%s>%s;\"发案量上升\";IF(%s=%s;"
          "\"发案量未下降\";IF(%s=0;\"上年无审结案件\";IF(%s*%s>%s*%s;"
          "\"败诉率上升\";IF((%s=0)*(%s=0);IF(%s=1;\"败诉率持平(0→0，按规则"
          "计为下降)\";\"败诉率持平(0→0，按规则不计为下降)\");IF(%s*%s=%s*%s;"
          "\"败诉率未下降\";\"双下降\")))))))",
          LD, D, DP, D, DP, PD, LN, PD, PN, LD, LN, PN, zr, LN, PD, PN, LD);
        formula_cell(w, NULL, run);
        return;
    }
    const char *dd = num_of(r, "doubledecline");
    const struct kc_kpi *why = kpi_of(r, "doubledecline_reason");
    if (r->state != KC_OK || kc_county_is_empty(r, NULL, 0)) {
        cell_empty(w, "ceCenter");
        cell_empty(w, NULL);
        return;
    }
    cell_text(w, "ceCenter", !dd ? "" : strtod(dd, NULL) != 0 ? "是" : "否");
    char text[512];
    snprintf(text, sizeof text, "%s（按本乡镇工作簿；县级判定缺数据）",
             why && why->type == KC_KPI_STRING ? why->value
             : dd                              ? "本乡镇判定"
                                               : "数据缺失");
    cell_text(w, NULL, text);
}

static void sheet_summary(struct w *w, const char *const *files,
                          const struct kc_result *results, size_t n,
                          const struct layout *L,
                          const struct kc_county_opts *o,
                          const struct kc_buf *warn, const char *year)
{
    char cn[8], cn2[8];
    size_t nwarn = 0;
    for (const char *p = kc_buf_str(warn); *p; p++)
        nwarn += *p == '\n';
    size_t last_row = L->total_row + 2 + (nwarn ? nwarn + 1 : 1);
    col_name(L->ncols - 1, cn);
    w->rc |= kc_buf_addf(
        w->b,
        "<table:table table:name=\"" S_SUM "\" table:style-name=\"ta1\" "
        "table:print-ranges=\"'" S_SUM "'.A1:'" S_SUM "'.%s%zu\">",
        cn, last_row);
    w->rc |=
        kc_buf_adds(w->b, "<table:table-column table:style-name=\"coU\"/>"
                          "<table:table-column table:style-name=\"coY\"/>");
    for (size_t i = 0; i < NRATES; i++)
        w->rc |=
            kc_buf_adds(w->b, "<table:table-column table:style-name=\"coN\"/>"
                              "<table:table-column table:style-name=\"coM\"/>"
                              "<table:table-column table:style-name=\"coR\"/>");
    w->rc |= kc_buf_addf(w->b,
                         "<table:table-column table:style-name=\"coN\" "
                         "table:number-columns-repeated=\"%zu\"/>"
                         "<table:table-column table:style-name=\"coM\"/>"
                         "<table:table-column table:style-name=\"coW\"/>"
                         "<table:table-column table:style-name=\"coW\"/>\n",
                         NCOUNTS);
    char title[256];
    snprintf(title, sizeof title,
             "%s%s各乡镇行政执法指标汇总 County summary of township "
             "indicators",
             year, *year ? " 年度" : "");
    row_begin(w);
    cell_text(w, "ceTitle", title);
    row_end(w);
    struct kc_buf sub = {0};
    w->rc |= kc_buf_addf(&sub, "乡镇 %zu 个；目标：", n);
    for (size_t k = 0; k < o->n; k++) {
        char pl[32];
        for (size_t i = 0; i < NRATES; i++)
            if (strcmp(rates[i].key, o->t[k].key) == 0)
                w->rc |=
                    kc_buf_addf(&sub, "%s%s%s%s", k ? "，" : "", rates[i].zh,
                                o->t[k].dir == '<' ? "≤" : "≥",
                                pct_label(o->t[k].value, pl, sizeof pl));
    }
    w->rc |= kc_buf_addf(&sub,
                         "；双下降 0→0 规则：%s；全县合计为汇总率（分子之和/"
                         "分母之和）。",
                         o->zero_holds ? "计为下降" : "不计为下降");
    row_begin(w);
    cell_text(w, "ceSub", kc_buf_str(&sub));
    row_end(w);
    kc_buf_free(&sub);
    /* headers, Chinese then English */
    for (int lang = 0; lang < 2; lang++) {
        row_begin(w);
        const char *st = lang ? "ceHeadEn" : "ceHead";
        cell_text(w, st, lang ? "Unit" : "单位");
        cell_text(w, st, lang ? "Year" : "年度");
        for (size_t i = 0; i < NRATES; i++) {
            cell_text(w, st, lang ? rates[i].en : rates[i].zh);
            cell_text(w, st, lang ? "Target met" : "达标");
            cell_text(w, st, lang ? "Rank" : "排名");
        }
        for (size_t i = 0; i < NCOUNTS; i++)
            cell_text(w, st, lang ? counts[i].en : counts[i].zh);
        cell_text(w, st, lang ? "Double decline" : "双下降");
        cell_text(w, st, lang ? "Reason" : "双下降理由");
        cell_text(w, st, lang ? "Note" : "备注");
        row_end(w);
    }
    size_t r0 = L->first_row, r1 = L->first_row + (n ? n : 1) - 1;
    for (size_t i = 0; i < n; i++) {
        const struct kc_result *r = &results[i];
        size_t row = L->first_row + i;
        int empty = kc_county_is_empty(r, NULL, 0);
        int usable = r->state == KC_OK && !empty;
        row_begin(w);
        cell_text(w, NULL, unit_of(r, files[i]));
        cell_num(w, "ceYear", num_of(r, "year"));
        for (size_t k = 0; k < NRATES; k++) {
            const struct kc_county_target *t = NULL;
            for (size_t m = 0; m < o->n; m++)
                if (strcmp(o->t[m].key, rates[k].key) == 0)
                    t = &o->t[m];
            char dir = t ? t->dir : rates[k].dir;
            cell_num(w, "cePct", usable ? num_of(r, rates[k].key) : NULL);
            if (i > 0) { /* the column's array formulas fill these */
                cell_empty(w, "ceCenter");
                cell_empty(w, "ceCenter");
                continue;
            }
            char R[64];
            col_range(L->col_rate[k], r0, r1, R, sizeof R);
            col_name(L->col_rate[k], cn);
            F("IF(ISNUMBER(%s);IF(%s%s[$'" S_TGT "'.$D$%zu];"
              "\"达标\";\"未达标\");\"\")",
              R, R, dir == '<' ? "<=" : ">=", L->tgt_row[k]);
            formula_cell(w, "ceCenter", n);
            /* ties share the better rank; the direction is the target's */
            F("IF(ISNUMBER(%s);RANK(%s;[.$%s$%zu:.$%s$%zu];%d);\"\")", R, R, cn,
              r0, cn, r1, dir == '<' ? 1 : 0);
            formula_cell(w, "ceCenter", n);
        }
        for (size_t k = 0; k < NCOUNTS; k++)
            cell_num(w, "ceInt", usable ? num_of(r, counts[k].key) : NULL);
        size_t run = 0; /* a run of workbooks the county rule judges */
        if (dd_judged(L, r) && (i == 0 || !dd_judged(L, &results[i - 1])))
            while (i + run < n && dd_judged(L, &results[i + run]))
                run++;
        dd_cells(w, L, r, i, row, run);
        char note[1024] = "";
        if (r->state != KC_OK)
            snprintf(note, sizeof note, "%s：%s",
                     r->state == KC_FAILED ? "处理失败" : "未处理",
                     r->message ? r->message : "");
        else if (empty)
            snprintf(note, sizeof note, "空白工作簿（输入未填写）");
        else if (*year && num_of(r, "year") &&
                 strcmp(num_of(r, "year"), year) != 0)
            snprintf(note, sizeof note, "年度不同于多数（%s）", year);
        cell_text(w, "ceWarn", note);
        row_end(w);
    }
    /* the county: pooled rates, summed counts */
    row_begin(w);
    cell_text(w, "ceTotal", "全县 County (pooled)");
    cell_empty(w, "ceTotal");
    for (size_t k = 0; k < NRATES; k++) {
        char nr[96], dr[96];
        const struct kc_county_target *t = NULL;
        for (size_t m = 0; m < o->n; m++)
            if (strcmp(o->t[m].key, rates[k].key) == 0)
                t = &o->t[m];
        char dir = t ? t->dir : rates[k].dir;
        if (rates[k].num && n &&
            data_range(L, rates[k].num, nr, sizeof nr) == 0 &&
            data_range(L, rates[k].den, dr, sizeof dr) == 0) {
            /* only the workbooks that are neither failed nor empty */
            char er[96];
            size_t ec = 3; /* the data sheet's "empty" column */
            col_name(ec, cn2);
            snprintf(er, sizeof er, "[$'" S_DATA "'.$%s$2:.$%s$%zu]", cn2, cn2,
                     n + 1);
            F("IF(SUMIF(%s;0;%s)>0;SUMIF(%s;0;%s)/SUMIF(%s;0;%s);\"\")", er, dr,
              er, nr, er, dr);
            cell_formula(w, "ceTotalPct");
        } else {
            cell_text(w, "ceTotal", "—");
        }
        col_name(L->col_rate[k], cn);
        F("IF(ISNUMBER([.%s%zu]);IF([.%s%zu]%s[$'" S_TGT "'.$D$%zu];"
          "\"达标\";\"未达标\");\"\")",
          cn, L->total_row, cn, L->total_row,
          dir == '<' ? "<=" : ">=", L->tgt_row[k]);
        cell_formula(w, "ceTotal");
        cell_empty(w, "ceTotal");
    }
    for (size_t k = 0; k < NCOUNTS; k++) {
        col_name(L->col_count[k], cn);
        if (n) {
            F("SUM([.%s%zu:.%s%zu])", cn, r0, cn, r1);
            cell_formula(w, "ceTotalInt");
        } else
            cell_empty(w, "ceTotal");
    }
    col_name(L->col_dd, cn);
    if (n) {
        F("COUNTIF([.%s%zu:.%s%zu];\"是\")&\" 个\"", cn, r0, cn, r1);
        cell_formula(w, "ceTotal");
    } else
        cell_empty(w, "ceTotal");
    cell_text(w, "ceTotal", "双下降乡镇数 townships");
    cell_empty(w, "ceTotal");
    row_end(w);
    row_begin(w);
    row_end(w);
    row_begin(w);
    cell_text(w, "ceWarnHead",
              nwarn ? "注意 Warnings" : "注意 Warnings: 无 none");
    row_end(w);
    const char *p = kc_buf_str(warn);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, len);
        row_begin(w);
        cell_text(w, "ceWarn", line ? line : "");
        row_end(w);
        free(line);
        p += len + (nl ? 1 : 0);
    }
    w->rc |= kc_buf_adds(w->b, "</table:table>\n");
}

/* --- the funnel sheet and its charts ------------------------------------ */

/* Colors of the limit lines: county rate, 95%, 99.8%. */
static void chart_styles(struct w *w)
{
    w->rc |= kc_buf_adds(
        w->b, "<office:automatic-styles>"
              "<style:style style:name=\"chCh\" style:family=\"chart\">"
              "<style:graphic-properties draw:stroke=\"none\"/></style:style>"
              "<style:style style:name=\"chTitle\" style:family=\"chart\">"
              "<style:text-properties fo:font-size=\"12pt\" "
              "fo:font-weight=\"bold\"/></style:style>"
              "<style:style style:name=\"chAxisX\" style:family=\"chart\">"
              "<style:chart-properties chart:display-label=\"true\" "
              "chart:logarithmic=\"false\"/>"
              "<style:text-properties fo:font-size=\"8pt\"/></style:style>"
              "<style:style style:name=\"chAxisY\" style:family=\"chart\" "
              "style:data-style-name=\"Npct0\">"
              "<style:chart-properties chart:display-label=\"true\" "
              "chart:link-data-style-to-source=\"false\"/>"
              "<style:text-properties fo:font-size=\"8pt\"/></style:style>"
              "<style:style style:name=\"chPt\" style:family=\"chart\">"
              "<style:chart-properties chart:symbol-type=\"named-symbol\" "
              "chart:symbol-name=\"circle\" chart:symbol-width=\"0.2cm\" "
              "chart:symbol-height=\"0.2cm\" chart:data-label-series=\"true\" "
              "chart:label-position=\"right\"/>"
              "<style:graphic-properties draw:stroke=\"none\" "
              "draw:fill-color=\"#1f4e79\"/>"
              "<style:text-properties fo:font-size=\"7pt\"/></style:style>"
              "<style:style style:name=\"chLegend\" style:family=\"chart\">"
              "<style:text-properties fo:font-size=\"8pt\"/></style:style>"
              "<style:style style:name=\"chPtAll\" style:family=\"chart\">"
              "<style:chart-properties chart:symbol-type=\"named-symbol\" "
              "chart:symbol-name=\"circle\" chart:symbol-width=\"0.2cm\" "
              "chart:symbol-height=\"0.2cm\"/>"
              "<style:graphic-properties draw:stroke=\"none\" "
              "draw:fill-color=\"#1f4e79\"/></style:style>"
              "<style:style style:name=\"chP0\" style:family=\"chart\">"
              "<style:chart-properties chart:symbol-type=\"none\"/>"
              "<style:graphic-properties draw:stroke=\"solid\" "
              "svg:stroke-width=\"0.05cm\" svg:stroke-color=\"#404040\"/>"
              "</style:style>"
              "<style:style style:name=\"chL95\" style:family=\"chart\">"
              "<style:chart-properties chart:symbol-type=\"none\"/>"
              "<style:graphic-properties draw:stroke=\"solid\" "
              "svg:stroke-width=\"0.04cm\" svg:stroke-color=\"#ed7d31\"/>"
              "</style:style>"
              "<style:style style:name=\"chL998\" style:family=\"chart\">"
              "<style:chart-properties chart:symbol-type=\"none\"/>"
              "<style:graphic-properties draw:stroke=\"solid\" "
              "svg:stroke-width=\"0.04cm\" svg:stroke-color=\"#c00000\"/>"
              "</style:style>"
              "<number:percentage-style style:name=\"Npct0\">"
              "<number:number number:decimal-places=\"0\" "
              "number:min-integer-digits=\"1\"/><number:text>%</number:text>"
              "</number:percentage-style>"
              "</office:automatic-styles>");
}

/* A chart range "'漏斗图'.$C$5:'漏斗图'.$C$9". */
static void range_attr(struct w *w, const char *attr, size_t col, size_t r0,
                       size_t r1)
{
    char cn[8];
    col_name(col, cn);
    w->rc |=
        kc_buf_addf(w->b, " %s=\"'" S_FUN "'.$%s$%zu:'" S_FUN "'.$%s$%zu\"",
                    attr, cn, r0, cn, r1);
}

/* A scatter series of the rows R0..R1 (x in XCOL, y in YCOL), named by the
 * cell at LABEL_COL, LABEL_ROW (none: LABEL_ROW 0); IN_LEGEND 0 leaves it
 * out of the legend. */
static void series(struct w *w, const char *style, size_t xcol, size_t ycol,
                   size_t r0, size_t r1, size_t label_col, size_t label_row,
                   int in_legend)
{
    w->rc |= kc_buf_addf(w->b,
                         "<chart:series chart:class=\"chart:scatter\" "
                         "chart:style-name=\"%s\"%s",
                         style, in_legend ? "" : " loext:hide-legend=\"true\"");
    range_attr(w, "chart:values-cell-range-address", ycol, r0, r1);
    if (label_row) {
        char cn[8];
        col_name(label_col, cn);
        w->rc |= kc_buf_addf(
            w->b, " chart:label-cell-address=\"'" S_FUN "'.$%s$%zu\"", cn,
            label_row);
    }
    w->rc |= kc_buf_adds(w->b, "><chart:domain");
    range_attr(w, "table:cell-range-address", xcol, r0, r1);
    w->rc |= kc_buf_adds(w->b, "/></chart:series>");
}

/* The funnel sheet's columns of a point's chart label (unit table) and of
 * the legend's names (the row between the unit table and the grid). */
#define LABEL_COL 10
#define LEG_UNITS 1
#define LEG_95 4
#define LEG_998 7

/* Where a funnel block's parts are. */
struct fblock {
    size_t head;          /* its heading row (the chart is anchored there) */
    size_t u0, u1;        /* unit rows */
    size_t legend;        /* the row naming the legend's entries */
    size_t ghead, g0, g1; /* the grid's header and rows */
};

static void chart(struct w *w, const struct fblock *B, size_t n, int fi,
                  const struct kc_county_opts *o)
{
    const struct rate *rt = &rates[funnel_rate[fi]];
    w->rc |= kc_buf_addf(
        w->b,
        "<draw:frame draw:z-index=\"%d\" draw:name=\"funnel-%s\" "
        "svg:width=\"25cm\" svg:height=\"12cm\" svg:x=\"0.1cm\" "
        "svg:y=\"0cm\"><draw:object>"
        "<office:document office:version=\"1.3\" "
        "office:mimetype=\"application/vnd.oasis.opendocument.chart\">",
        fi, rt->key);
    chart_styles(w);
    w->rc |= kc_buf_addf(
        w->b,
        "<office:body><office:chart><chart:chart svg:width=\"25cm\" "
        "svg:height=\"12cm\" chart:class=\"chart:scatter\" "
        "chart:style-name=\"chCh\"><chart:title chart:style-name=\"chTitle\">"
        "<text:p>%s漏斗图 %s funnel plot</text:p></chart:title>"
        /* the label rule, in words; the legend names the series */
        "<chart:subtitle><text:p>图中只标注 95%% "
        "控制限以外的乡镇（各乡镇的位置见上表）"
        "Only townships outside the 95%% limits are named; the table above "
        "places every township</text:p></chart:subtitle>"
        "<chart:legend chart:legend-position=\"bottom\" "
        "style:legend-expansion=\"wide\" chart:style-name=\"chLegend\"/>"
        "<chart:plot-area>"
        "<chart:axis chart:dimension=\"x\" chart:name=\"primary-x\" "
        "chart:style-name=\"chAxisX\"><chart:title><text:p>分母 n "
        "(denominator)</text:p></chart:title></chart:axis>"
        "<chart:axis chart:dimension=\"y\" chart:name=\"primary-y\" "
        "chart:style-name=\"chAxisY\"><chart:title><text:p>%s</text:p>"
        "</chart:title><chart:grid chart:class=\"major\"/></chart:axis>",
        rt->zh, rt->en, rt->zh);
    /* the legend: 乡镇 (every township, one series), the county rate, the
     * 95% and the 99.8% limits (each pair once: the upper line is left out
     * of the legend) */
    size_t gx = 0, gp = 1, lo95 = 2, hi95 = 3, lo998 = 4, hi998 = 5;
    if (n)
        series(w, "chPtAll", 2, 3, B->u0, B->u1, LEG_UNITS, B->legend, 1);
    series(w, "chP0", gx, gp, B->g0, B->g1, gp, B->ghead, 1);
    series(w, "chL95", gx, lo95, B->g0, B->g1, LEG_95, B->legend, 1);
    series(w, "chL95", gx, hi95, B->g0, B->g1, hi95, B->ghead, 0);
    series(w, "chL998", gx, lo998, B->g0, B->g1, LEG_998, B->legend, 1);
    series(w, "chL998", gx, hi998, B->g0, B->g1, hi998, B->ghead, 0);
    /* the townships' labels: one series each, over the point of the series
     * above, named by the table's 图中标注 cell (the unit when its point is
     * outside the 95% limits, else empty) and out of the legend; beyond
     * the label limit none */
    if (n && n <= o->label_limit)
        for (size_t i = 0; i < n; i++)
            series(w, "chPt", 2, 3, B->u0 + i, B->u0 + i, LABEL_COL, B->u0 + i,
                   0);
    w->rc |= kc_buf_adds(w->b, "</chart:plot-area></chart:chart>"
                               "</office:chart></office:body>"
                               "</office:document></draw:object></draw:frame>");
}

/* Where funnel block FI's parts are with N townships: after the sheet's
 * title, its add-in check and a blank row, each block is a heading, a
 * header, a row per township (one when there is none), the legend's row,
 * the grid's header and GRID rows, and 28 rows for the chart. */
static void funnel_block(size_t n, int fi, struct fblock *B)
{
    size_t units = n ? n : 1;
    B->head = 4 + (size_t)fi * (units + GRID + 33);
    B->u0 = B->head + 2;
    B->u1 = B->u0 + units - 1;
    B->legend = B->u1 + 1;
    B->ghead = B->u0 + units + 1;
    B->g0 = B->ghead + 1;
    B->g1 = B->g0 + GRID - 1;
}

#define SHEET_FUN 1 /* the funnel sheet's index: 汇总, 漏斗图, 目标, 数据 */

int kc_county_freeze_spec(size_t n, struct kc_buf *out)
{
    /* the add-in check (A2), then each block's z and limits (E..I of the
     * unit rows) and the grid's limits (C..F) */
    int rc = kc_buf_addf(out, "%d:0:1:0:1", SHEET_FUN);
    for (int fi = 0; fi < NFUNNELS && rc == 0; fi++) {
        struct fblock B;
        funnel_block(n, fi, &B);
        if (n)
            rc |= kc_buf_addf(out, ";%d:4:%zu:8:%zu", SHEET_FUN, B.u0 - 1,
                              B.u1 - 1);
        rc |=
            kc_buf_addf(out, ";%d:2:%zu:5:%zu", SHEET_FUN, B.g0 - 1, B.g1 - 1);
    }
    return rc;
}

/* The limits FUNNELLIMITS draws, in the order of the table's columns. */
static const char *const levels[4] = {"0.95;\"lower\"", "0.95;\"upper\"",
                                      "0.998;\"lower\"", "0.998;\"upper\""};

/* The first unit row's array formulas, each over the N unit rows of block
 * B: rate, FUNNELZ, the four limits, the position and the chart label;
 * P0 is the county rate's cell. Columns: A unit, B x, C n, D rate, E z,
 * F..I limits, J position, K label. */
static void funnel_arrays(struct w *w, const struct fblock *B, size_t n,
                          const char *p0)
{
    char c[11][64];
    for (size_t k = 0; k < 11; k++)
        col_range(k, B->u0, B->u1, c[k], sizeof c[k]);
    /* AND() of arrays would fold a column into one value: products */
    F("IF(ISNUMBER(%s)*ISNUMBER(%s);IF(%s>0;%s/%s;NA());NA())", c[1], c[2],
      c[2], c[1], c[2]);
    formula_cell(w, "cePct", n);
    F("IFERROR(" ADDIN "FUNNELZ(%s;%s;%s);\"\")", c[1], c[2], p0);
    formula_cell(w, "ceDec", n);
    for (int k = 0; k < 4; k++) {
        F("IFERROR(" ADDIN "FUNNELLIMITS(%s;%s;%s);\"\")", c[2], p0, levels[k]);
        formula_cell(w, "cePct", n);
    }
    F("IF(ISNUMBER(%s)*ISNUMBER(%s)*ISNUMBER(%s);"
      "IF(%s>%s;\"高于99.8%%控制限\";IF(%s<%s;\"低于99.8%%控制限\";"
      "IF(%s>%s;\"高于95%%控制限\";IF(%s<%s;\"低于95%%控制限\";"
      "\"控制限内\"))));\"\")",
      c[3], c[7], c[8], c[3], c[8], c[3], c[7], c[3], c[6], c[3], c[5]);
    formula_cell(w, NULL, n);
    /* the point's label in the chart: the unit only outside the 95% limits
     * (every point when the limits are unavailable); else a space, as Calc
     * labels a point of an empty-named series with its value */
    F("IF(ISNUMBER(%s)*(%s<>\"控制限内\");%s;\" \")", c[3], c[9], c[0]);
    formula_cell(w, NULL, n);
}

static void sheet_funnel(struct w *w, const char *const *files,
                         const struct kc_result *results, size_t n,
                         const struct layout *L, const struct kc_county_opts *o)
{
    w->rc |= kc_buf_adds(
        w->b, "<table:table table:name=\"" S_FUN "\" table:style-name=\"ta2\">"
              "<table:table-column table:style-name=\"coFU\"/>"
              "<table:table-column table:style-name=\"coF\" "
              "table:number-columns-repeated=\"8\"/>"
              "<table:table-column table:style-name=\"coW\"/>"
              "<table:table-column table:style-name=\"coN\"/>\n");
    row_begin(w);
    cell_text(w, "ceTitle",
              "漏斗图 Funnel plots：率对分母，全县汇总率，95% 与 99.8% 控制限"
              "（Spiegelhalter 2005，kpicalc FUNNELLIMITS）");
    row_end(w);
    row_begin(w);
    F("IF(ISERROR(" ADDIN
      "FUNNELLIMITS(10;0.5;0.95;\"upper\"));\"控制限不可用："
      "kpicalc 加载项没有 FUNNELLIMITS（请更新 kpicalc）\";\"控制限由 kpicalc "
      "加载项计算，已固定为数值 Limits computed by the kpicalc add-in, "
      "frozen to values\")");
    cell_formula(w, "ceWarn");
    row_end(w);
    size_t row = 3;
    for (int fi = 0; fi < NFUNNELS; fi++) {
        const struct rate *rt = &rates[funnel_rate[fi]];
        struct fblock B;
        row++; /* a blank row */
        row_begin(w);
        row_end(w);
        funnel_block(n, fi, &B);
        if (B.head != row) /* the arithmetic of funnel_block is wrong */
            w->rc = -1;
        char p0[64], cn[8];
        col_name(L->col_rate[funnel_rate[fi]], cn);
        snprintf(p0, sizeof p0, "[$'" S_SUM "'.$%s$%zu]", cn, L->total_row);
        int have = rt->num && key_col(L, rt->num) != KC_STRSET_NONE &&
                   key_col(L, rt->den) != KC_STRSET_NONE;
        /* heading row */
        row_begin(w);
        char head[256];
        snprintf(head, sizeof head, "%s %s%s", rt->zh, rt->en,
                 have ? ""
                      : "：缺少分子分母（KPI 键 *_num/*_den），无法绘制 — "
                        "needs the numerator and denominator keys");
        cell_text(w, have ? "ceHead" : "ceWarn", head);
        row_end(w);
        row++;
        row_begin(w);
        const char *uh[] = {"单位 Unit",
                            "分子 x",
                            "分母 n",
                            "率 rate",
                            "FUNNELZ",
                            "95%下限",
                            "95%上限",
                            "99.8%下限",
                            "99.8%上限",
                            "位置 Position",
                            "图中标注 Chart label"};
        for (size_t c = 0; c < sizeof uh / sizeof *uh; c++)
            cell_text(w, "ceHead", uh[c]);
        row_end(w);
        row++;
        for (size_t i = 0; i < n; i++, row++) {
            const struct kc_result *r = &results[i];
            int usable = r->state == KC_OK && !kc_county_is_empty(r, NULL, 0);
            row_begin(w);
            cell_text(w, NULL, unit_of(r, files[i]));
            /* x and n: the data sheet's numbers */
            cell_num(w, "ceInt", have && usable ? num_of(r, rt->num) : NULL);
            cell_num(w, "ceInt", have && usable ? num_of(r, rt->den) : NULL);
            if (i == 0)
                funnel_arrays(w, &B, n, p0);
            else { /* the columns' array formulas fill these */
                const char *st[] = {"cePct", "ceDec", "cePct", "cePct",
                                    "cePct", "cePct", NULL,    NULL};
                for (size_t c = 0; c < sizeof st / sizeof *st; c++)
                    cell_empty(w, st[c]);
            }
            row_end(w);
        }
        if (!n) {
            row_begin(w);
            row_end(w);
            row++;
        }
        /* the legend's names */
        if (B.legend != row) /* as for the head above */
            w->rc = -1;
        row_begin(w);
        cell_text(w, "ceHead", "图例 Legend");
        cell_text(w, NULL, "乡镇 Townships");
        cell_empty(w, NULL);
        cell_empty(w, NULL);
        cell_text(w, NULL, "95% 控制限 limits");
        cell_empty(w, NULL);
        cell_empty(w, NULL);
        cell_text(w, NULL, "99.8% 控制限 limits");
        row_end(w);
        row++;
        row_begin(w);
        const char *gh[] = {"分母 n",           "全县率 County rate",
                            "95% 下限 lower",   "95% 上限 upper",
                            "99.8% 下限 lower", "99.8% 上限 upper"};
        for (size_t c = 0; c < 6; c++)
            cell_text(w, "ceHead", gh[c]);
        row_end(w);
        row++;
        for (int k = 1; k <= GRID; k++, row++) {
            row_begin(w);
            /* denominators from 1 to 1.1 x the largest, denser where the
             * limits bend */
            F("MAX(1;ROUND(MAX([.$C$%zu:.$C$%zu])*1.1*(%d/%d)^2;0))", B.u0,
              B.u1, k, GRID);
            cell_formula(w, "ceInt");
            F("IF(ISNUMBER(%s);%s;NA())", p0, p0);
            cell_formula(w, "cePct");
            for (int m = 0; m < 4; m++) {
                if (k > 1) { /* the first row's array formulas fill these */
                    cell_empty(w, "cePct");
                    continue;
                }
                char A[64], P[64];
                F("IFERROR(" ADDIN "FUNNELLIMITS(%s;%s;%s);NA())",
                  col_range(0, B.g0, B.g1, A, sizeof A),
                  col_range(1, B.g0, B.g1, P, sizeof P), levels[m]);
                formula_cell(w, "cePct", GRID);
            }
            row_end(w);
        }
        /* the chart below its tables, over the empty rows that follow,
         * on a page of its own when printed */
        w->rc |=
            kc_buf_adds(w->b, "<table:table-row table:style-name=\"roBreak\">");
        w->col = 0;
        w->rc |= kc_buf_adds(w->b, "<table:table-cell>");
        chart(w, &B, n, fi, o);
        w->rc |= kc_buf_adds(w->b, "</table:table-cell>");
        w->col++;
        row_end(w);
        w->rc |= kc_buf_adds(w->b, "<table:table-row "
                                   "table:number-rows-repeated=\"27\">"
                                   "<table:table-cell/></table:table-row>\n");
        row += 28; /* the next free row */
    }
    w->rc |= kc_buf_adds(w->b, "</table:table>\n");
}

static const char head_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    "xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\" "
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "
    "xmlns:chart=\"urn:oasis:names:tc:opendocument:xmlns:chart:1.0\" "
    "xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\" "
    "xmlns:loext=\"urn:org:documentfoundation:names:experimental:office:"
    "xmlns:loext:1.0\" "
    "office:version=\"1.3\" "
    "office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\">\n"
    "<office:automatic-styles>"
    "<number:percentage-style style:name=\"Npct\"><number:number "
    "number:decimal-places=\"1\" number:min-decimal-places=\"1\" "
    "number:min-integer-digits=\"1\"/><number:text>%</number:text>"
    "</number:percentage-style>"
    "<number:number-style style:name=\"Nint\"><number:number "
    "number:decimal-places=\"0\" number:min-integer-digits=\"1\"/>"
    "</number:number-style>"
    "<number:number-style style:name=\"Nyear\"><number:number "
    "number:decimal-places=\"0\" number:min-integer-digits=\"1\" "
    "number:grouping=\"false\"/></number:number-style>"
    "<number:number-style style:name=\"Ndec\"><number:number "
    "number:decimal-places=\"2\" number:min-decimal-places=\"2\" "
    "number:min-integer-digits=\"1\"/></number:number-style>"
    "<style:style style:name=\"ta1\" style:family=\"table\" "
    "style:master-page-name=\"A4L\"><style:table-properties "
    "table:display=\"true\"/></style:style>"
    "<style:style style:name=\"ta2\" style:family=\"table\" "
    "style:master-page-name=\"A4W\"><style:table-properties "
    "table:display=\"true\"/></style:style>"
    "<style:style style:name=\"coU\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"3.0cm\"/>"
    "</style:style>"
    "<style:style style:name=\"roBreak\" style:family=\"table-row\">"
    "<style:table-row-properties fo:break-before=\"page\"/></style:style>"
    "<style:style style:name=\"coFU\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"2.6cm\"/>"
    "</style:style>"
    "<style:style style:name=\"coF\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"1.35cm\"/>"
    "</style:style>"
    "<style:style style:name=\"coY\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"1.1cm\"/>"
    "</style:style>"
    "<style:style style:name=\"coN\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"1.6cm\"/>"
    "</style:style>"
    "<style:style style:name=\"coM\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"1.2cm\"/>"
    "</style:style>"
    "<style:style style:name=\"coR\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"0.9cm\"/>"
    "</style:style>"
    "<style:style style:name=\"coW\" style:family=\"table-column\">"
    "<style:table-column-properties style:column-width=\"4.2cm\"/>"
    "</style:style>"
    "<style:style style:name=\"cePct\" style:family=\"table-cell\" "
    "style:data-style-name=\"Npct\"/>"
    "<style:style style:name=\"ceInt\" style:family=\"table-cell\" "
    "style:data-style-name=\"Nint\"/>"
    "<style:style style:name=\"ceYear\" style:family=\"table-cell\" "
    "style:data-style-name=\"Nyear\"/>"
    "<style:style style:name=\"ceDec\" style:family=\"table-cell\" "
    "style:data-style-name=\"Ndec\"/>"
    "<style:style style:name=\"ceCenter\" style:family=\"table-cell\">"
    "<style:paragraph-properties fo:text-align=\"center\"/></style:style>"
    "<style:style style:name=\"ceTitle\" style:family=\"table-cell\">"
    "<style:text-properties fo:font-size=\"14pt\" fo:font-weight=\"bold\" "
    "style:font-size-asian=\"14pt\" style:font-weight-asian=\"bold\"/>"
    "</style:style>"
    "<style:style style:name=\"ceSub\" style:family=\"table-cell\">"
    "<style:text-properties fo:font-size=\"9pt\" "
    "style:font-size-asian=\"9pt\"/></style:style>"
    "<style:style style:name=\"ceHead\" style:family=\"table-cell\">"
    "<style:table-cell-properties fo:background-color=\"#dde8f3\" "
    "fo:wrap-option=\"wrap\" style:vertical-align=\"middle\" "
    "fo:border=\"0.5pt solid #808080\"/>"
    "<style:paragraph-properties fo:text-align=\"center\"/>"
    "<style:text-properties fo:font-weight=\"bold\" "
    "style:font-weight-asian=\"bold\" fo:font-size=\"9pt\" "
    "style:font-size-asian=\"9pt\"/></style:style>"
    "<style:style style:name=\"ceHeadEn\" style:family=\"table-cell\">"
    "<style:table-cell-properties fo:background-color=\"#eef3f9\" "
    "fo:wrap-option=\"wrap\" fo:border=\"0.5pt solid #808080\"/>"
    "<style:paragraph-properties fo:text-align=\"center\"/>"
    "<style:text-properties fo:font-size=\"7pt\" "
    "fo:font-style=\"italic\"/></style:style>"
    "<style:style style:name=\"ceTotal\" style:family=\"table-cell\">"
    "<style:table-cell-properties fo:border-top=\"1pt solid #000000\"/>"
    "<style:text-properties fo:font-weight=\"bold\" "
    "style:font-weight-asian=\"bold\"/></style:style>"
    "<style:style style:name=\"ceTotalPct\" style:family=\"table-cell\" "
    "style:data-style-name=\"Npct\"><style:table-cell-properties "
    "fo:border-top=\"1pt solid #000000\"/><style:text-properties "
    "fo:font-weight=\"bold\" style:font-weight-asian=\"bold\"/>"
    "</style:style>"
    "<style:style style:name=\"ceTotalInt\" style:family=\"table-cell\" "
    "style:data-style-name=\"Nint\"><style:table-cell-properties "
    "fo:border-top=\"1pt solid #000000\"/><style:text-properties "
    "fo:font-weight=\"bold\" style:font-weight-asian=\"bold\"/>"
    "</style:style>"
    "<style:style style:name=\"ceWarn\" style:family=\"table-cell\">"
    "<style:text-properties fo:color=\"#c00000\" fo:font-size=\"9pt\" "
    "style:font-size-asian=\"9pt\"/></style:style>"
    "<style:style style:name=\"ceWarnHead\" style:family=\"table-cell\">"
    "<style:text-properties fo:color=\"#c00000\" fo:font-weight=\"bold\" "
    "style:font-weight-asian=\"bold\"/></style:style>"
    "<style:page-layout style:name=\"pmA4L\"><style:page-layout-properties "
    "fo:page-width=\"29.7cm\" fo:page-height=\"21cm\" "
    "style:print-orientation=\"landscape\" fo:margin-top=\"1cm\" "
    "fo:margin-bottom=\"1cm\" fo:margin-left=\"1cm\" "
    "fo:margin-right=\"1cm\" style:scale-to-pages=\"1\"/>"
    "</style:page-layout>"
    "<style:page-layout style:name=\"pmA4W\"><style:page-layout-properties "
    "fo:page-width=\"29.7cm\" fo:page-height=\"21cm\" "
    "style:print-orientation=\"landscape\" fo:margin-top=\"1cm\" "
    "fo:margin-bottom=\"1cm\" fo:margin-left=\"1cm\" "
    "fo:margin-right=\"1cm\"/></style:page-layout>"
    "</office:automatic-styles>\n"
    /* no header or footer: LibreOffice saves an undeclared one as
     * present and empty, and then prints blank pages */
    "<office:master-styles><style:master-page style:name=\"A4L\" "
    "style:page-layout-name=\"pmA4L\"><style:header style:display=\"false\"/>"
    "<style:footer style:display=\"false\"/></style:master-page>"
    "<style:master-page style:name=\"A4W\" style:page-layout-name=\"pmA4W\">"
    "<style:header style:display=\"false\"/><style:footer "
    "style:display=\"false\"/></style:master-page></office:master-styles>\n"
    "<office:body><office:spreadsheet>\n";

int kc_county_render(struct kc_buf *out, const char *const *files,
                     const struct kc_result *results, size_t n,
                     const struct kc_county_opts *o, struct kc_err *err)
{
    if (!out || !o || (n && (!files || !results))) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    struct layout L;
    struct w w = {.b = out};
    struct kc_buf warn = {0};
    char year[32] = "";
    size_t start = out->len;
    int rc = layout_make(&L, results, n);
    if (rc == 0)
        rc = warnings(&warn, files, results, n, &L, year, sizeof year);
    if (rc == 0) {
        w.rc |= kc_buf_adds(out, head_xml);
        sheet_summary(&w, files, results, n, &L, o, &warn, year);
        sheet_funnel(&w, files, results, n, &L, o);
        sheet_targets(&w, &L, o);
        sheet_data(&w, files, results, n, &L);
        w.rc |= kc_buf_adds(out, "</office:spreadsheet></office:body>"
                                 "</office:document>\n");
        rc = w.rc;
    }
    kc_buf_free(&w.f);
    kc_buf_free(&warn);
    layout_free(&L);
    if (rc != 0) {
        if (out->p) {
            out->len = start;
            out->p[start] = '\0';
        }
        kc_err_set(err, "out of memory");
        return -1;
    }
    return 0;
}

/* --- through the office ------------------------------------------------ */

static void no_result(void *ctx, size_t index)
{
    (void)ctx;
    (void)index;
}

int kc_county_write(const char *path, const char *const *files,
                    const struct kc_result *results, size_t n,
                    const struct kc_county_opts *o,
                    const struct kc_county_office *office, struct kc_err *err)
{
    int fmt = kc_county_format(path);
    if (!fmt || !office || !office->lo_program) {
        kc_err_set(err, "the county summary must be a .ods or .xlsx file");
        return -1;
    }
    kc_err_clear(err);
    struct kc_buf doc = {0}, spec = {0};
    if (kc_county_render(&doc, files, results, n, o, err) != 0) {
        kc_buf_free(&doc);
        return -1;
    }
    char *abs = kc_abspath(path);
    char *dir = abs ? kc_dirname(abs) : NULL;
    const char *tmpdir = getenv("TMPDIR");
    tmpdir = tmpdir && *tmpdir ? tmpdir : "/tmp";
    char name[256];
    snprintf(name, sizeof name, "kpicalc-run-%s-county",
             office->run_tag ? office->run_tag : "x");
    char *scratch = kc_path_join(tmpdir, name);
    char *input = scratch ? kc_path_join(scratch, "county.fods") : NULL;
    int lock = -1, rc = -1;
    struct kc_profile own = {0};
    int own_held = 0;
    if (!abs || !dir || !input) {
        kc_err_set(err, "out of memory");
        goto out;
    }
    if (kc_mkdirs(dir, 0755, err) != 0)
        goto out;
    if (kc_make_locked_dir(scratch, &lock, err) != 0)
        goto out;
    if (kc_write_atomic(input, kc_buf_str(&doc), doc.len, err) != 0)
        goto out;
    const struct kc_profile *prof = office->profile;
    if (!prof) {
        struct kc_profile_cfg pc = {office->lo_program, office->oxt,
                                    office->profile_dir, office->verbose};
        char *base = NULL;
        if (kc_profile_base_dir(&pc, &base, err) != 0 ||
            kc_profile_acquire(&pc, base, &own, err) != 0) {
            free(base);
            goto out;
        }
        free(base);
        own_held = 1;
        prof = &own;
    }
    /* one workbook, its add-in cells frozen in the loaded document and
     * saved in the summary's format */
    if (kc_county_freeze_spec(n, &spec) != 0) {
        kc_err_set(err, "out of memory");
        goto out;
    }
    struct kc_job job = {
        .input = input, .nout = 1, .freeze = kc_buf_str(&spec)};
    job.fmt[0] = fmt == 'o' ? "ods" : "xlsx";
    job.final[0] = abs;
    struct kc_result res = {0};
    res.error_cells = res.addin_cells = -1;
    struct kc_profile profs[1] = {*prof};
    struct kc_pool_cfg cfg = {
        .workers = 1,
        .timeout = office->timeout > 0 ? office->timeout : 120,
        .max_docs = 1,
        .retries = 1,
        .lo_program = office->lo_program,
        .profiles = profs,
        .run_tmp = scratch,
        .run_tag = office->run_tag ? office->run_tag : "county",
        .on_result = no_result,
    };
    struct kc_pool_stats stats;
    if (kc_pool_run(&cfg, &job, &res, 1, &stats, err) != 0) {
        /* LibreOffice did not start: ERR says so */
    } else if (res.state != KC_OK) {
        kc_err_set(err, "%s",
                   res.message ? res.message : "the office worker failed");
    } else {
        rc = 0;
    }
    free(res.message);
    kc_kpi_list_free(&res.kpis);
out:
    if (rc != 0 && !kc_err_msg(err)[0])
        kc_err_set(err, "failed");
    if (own_held)
        kc_profile_release(&own);
    if (lock >= 0) {
        kc_rmtree(scratch);
        close(lock);
    }
    free(input);
    free(scratch);
    free(dir);
    free(abs);
    kc_buf_free(&doc);
    kc_buf_free(&spec);
    return rc;
}
