/* A streaming reader of flat ODF spreadsheets written by LibreOffice. */
#include "fods.h"

#include "buf.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Calc's limits: a repeat count beyond them is clamped. */
#define MAX_ROWS 1048576L
#define MAX_COLS 16384L

struct pending_cell {
    long col, reps;
    enum kc_cell_type type;
    char *value, *text;
};

struct scanner {
    const char *p, *end;
    const struct kc_sheet_sink *sink;
    struct kc_scan_result *res;
    long depth;
    long ss_level, sheet_level, row_level, cell_level, p_level, skip_level;
    long row, rows_rep, col;
    int seen_spreadsheet;
    char *sheet;      /* the name of the sheet being read, for messages */
    size_t row_bytes; /* text and values of the cells pending in the row */
    /* the cell being read */
    long cell_reps;
    int cell_covered;
    enum kc_cell_type cell_type;
    struct kc_buf cell_value, cell_text;
    /* the cells of the row being read */
    struct pending_cell *cells;
    size_t ncells, capcells;
    struct kc_err *err;
};

struct attr {
    const char *name;
    size_t name_len;
    const char *val; /* raw, still escaped */
    size_t val_len;
};

#define MAX_ATTRS 64

static int fail(struct scanner *s, const char *msg)
{
    kc_err_set(s->err, "%s", msg);
    return -1;
}

static int name_is(const char *n, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(n, want, len) == 0;
}

/* Appends UTF-8 for code point CP. */
static int add_utf8(struct kc_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0x110000)
        cp = 0xFFFD; /* not a character XML allows: the replacement one */
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return kc_buf_add(b, u, n);
}

/* Appends S[0..N) to B, decoding XML character and entity references. */
static int add_decoded(struct kc_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t run = amp ? (size_t)(amp - (s + i)) : n - i;
        if (run && kc_buf_add(b, s + i, run) != 0)
            return -1;
        i += run;
        if (!amp)
            break;
        const char *semi = memchr(s + i, ';', n - i);
        if (!semi || semi - (s + i) > 12) {
            if (kc_buf_addc(b, '&') != 0)
                return -1;
            i++;
            continue;
        }
        const char *ent = s + i + 1;
        size_t el = (size_t)(semi - ent);
        int rc = 0;
        if (name_is(ent, el, "amp"))
            rc = kc_buf_addc(b, '&');
        else if (name_is(ent, el, "lt"))
            rc = kc_buf_addc(b, '<');
        else if (name_is(ent, el, "gt"))
            rc = kc_buf_addc(b, '>');
        else if (name_is(ent, el, "quot"))
            rc = kc_buf_addc(b, '"');
        else if (name_is(ent, el, "apos"))
            rc = kc_buf_addc(b, '\'');
        else if (el >= 2 && ent[0] == '#') {
            int hex = ent[1] == 'x' || ent[1] == 'X';
            char tmp[16];
            size_t dl = el - 1 - (size_t)hex;
            if (dl == 0 || dl >= sizeof tmp) {
                rc = kc_buf_add(b, s + i, el + 2);
            } else {
                memcpy(tmp, ent + 1 + hex, dl);
                tmp[dl] = '\0';
                char *endp;
                int ok = (tmp[0] >= '0' && tmp[0] <= '9') ||
                         (hex && ((tmp[0] >= 'a' && tmp[0] <= 'f') ||
                                  (tmp[0] >= 'A' && tmp[0] <= 'F')));
                unsigned long cp = strtoul(tmp, &endp, hex ? 16 : 10);
                rc = *endp || !ok ? kc_buf_add(b, s + i, el + 2)
                                  : add_utf8(b, cp);
            }
        } else {
            rc = kc_buf_add(b, s + i, el + 2);
        }
        if (rc != 0)
            return -1;
        i += el + 2;
    }
    return 0;
}

static const struct attr *find_attr(const struct attr *a, int n,
                                    const char *name)
{
    for (int i = 0; i < n; i++)
        if (name_is(a[i].name, a[i].name_len, name))
            return &a[i];
    return NULL;
}

static long attr_long(const struct attr *a, int n, const char *name, long dflt,
                      long max)
{
    const struct attr *x = find_attr(a, n, name);
    if (!x || x->val_len == 0 || x->val_len > 18)
        return dflt;
    char tmp[20];
    memcpy(tmp, x->val, x->val_len);
    tmp[x->val_len] = '\0';
    char *endp;
    long v = strtol(tmp, &endp, 10);
    if (*endp || v < 1)
        return dflt;
    return v > max ? max : v;
}

static enum kc_cell_type parse_type(const struct attr *a, int n)
{
    const struct attr *t = find_attr(a, n, "calcext:value-type");
    if (!t)
        t = find_attr(a, n, "office:value-type");
    if (!t)
        return KC_CELL_EMPTY;
    const char *v = t->val;
    size_t l = t->val_len;
    if (name_is(v, l, "float") || name_is(v, l, "percentage") ||
        name_is(v, l, "currency"))
        return KC_CELL_NUMBER;
    if (name_is(v, l, "date") || name_is(v, l, "time"))
        return KC_CELL_DATE;
    if (name_is(v, l, "boolean"))
        return KC_CELL_BOOL;
    if (name_is(v, l, "error"))
        return KC_CELL_ERROR;
    if (name_is(v, l, "string"))
        return KC_CELL_STRING;
    return KC_CELL_EMPTY;
}

static int set_value(struct scanner *s, const struct attr *a, int n)
{
    static const char *const names[] = {"office:value", "office:date-value",
                                        "office:time-value",
                                        "office:boolean-value"};
    kc_buf_clear(&s->cell_value);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const struct attr *x = find_attr(a, n, names[i]);
        if (x)
            return add_decoded(&s->cell_value, x->val, x->val_len);
    }
    return 0;
}

static void free_cells(struct scanner *s)
{
    for (size_t i = 0; i < s->ncells; i++) {
        free(s->cells[i].value);
        free(s->cells[i].text);
    }
    s->ncells = 0;
}

/* A copy of B's contents with invalid UTF-8 replaced (NULL: no memory). */
static char *utf8_dup(const struct kc_buf *b)
{
    struct kc_buf out = {0};
    if (kc_utf8_add(&out, kc_buf_str(b), b->len) != 0) {
        kc_buf_free(&out);
        return NULL;
    }
    return kc_buf_take(&out);
}

/* Fails when the cell being read holds more than a cell may. */
static int check_cell_size(struct scanner *s)
{
    if (s->cell_text.len <= KC_FODS_MAX_CELL_BYTES &&
        s->cell_value.len <= KC_FODS_MAX_CELL_BYTES)
        return 0;
    kc_err_set(s->err,
               "sheet '%.100s', row %ld, column %ld: a cell holds more than "
               "%d bytes",
               s->sheet ? s->sheet : "", s->row + 1, s->col + 1,
               KC_FODS_MAX_CELL_BYTES);
    return -1;
}

static int finish_cell(struct scanner *s)
{
    s->cell_level = -1;
    long reps = s->cell_reps;
    if (s->cell_covered) {
        s->col += reps;
        return 0;
    }
    if (check_cell_size(s) != 0)
        return -1;
    if (s->cell_type == KC_CELL_ERROR && s->col < MAX_COLS &&
        s->row < MAX_ROWS) { /* only the cells inside Calc's grid */
        long cols = reps < MAX_COLS - s->col ? reps : MAX_COLS - s->col;
        long rows =
            s->rows_rep < MAX_ROWS - s->row ? s->rows_rep : MAX_ROWS - s->row;
        long add = cols * rows; /* at most 2^34 */
        s->res->error_cells = s->res->error_cells > LONG_MAX - add
                                  ? LONG_MAX
                                  : s->res->error_cells + add;
    }
    if (s->cell_type != KC_CELL_EMPTY || s->cell_text.len > 0) {
        s->row_bytes += s->cell_text.len + s->cell_value.len;
        if (s->row_bytes > KC_FODS_MAX_ROW_BYTES) {
            kc_err_set(s->err,
                       "sheet '%.100s', row %ld: the row holds more than %d "
                       "bytes",
                       s->sheet ? s->sheet : "", s->row + 1,
                       KC_FODS_MAX_ROW_BYTES);
            return -1;
        }
        if (s->ncells == s->capcells) {
            size_t cap = s->capcells ? s->capcells * 2 : 16;
            struct pending_cell *v = realloc(s->cells, cap * sizeof *v);
            if (!v)
                return fail(s, "out of memory");
            s->cells = v;
            s->capcells = cap;
        }
        struct pending_cell *c = &s->cells[s->ncells];
        c->col = s->col;
        c->reps = reps;
        c->type = s->cell_type;
        c->value = utf8_dup(&s->cell_value);
        c->text = utf8_dup(&s->cell_text);
        if (!c->value || !c->text) {
            free(c->value);
            free(c->text);
            return fail(s, "out of memory");
        }
        s->ncells++;
    }
    s->col += reps;
    return 0;
}

static int finish_row(struct scanner *s)
{
    s->row_level = -1;
    if (s->sink && s->sink->cell) {
        for (long r = 0; r < s->rows_rep && s->row + r < MAX_ROWS; r++) {
            for (size_t i = 0; i < s->ncells; i++) {
                const struct pending_cell *c = &s->cells[i];
                struct kc_cell cell = {c->type, c->value, c->text};
                for (long k = 0; k < c->reps && c->col + k < MAX_COLS; k++)
                    if (s->sink->cell(s->sink->ctx, s->row + r, c->col + k,
                                      &cell) != 0) {
                        free_cells(s);
                        return fail(s, "stopped while reading cells");
                    }
            }
            if (s->ncells == 0)
                break; /* empty rows: nothing to report */
        }
    }
    free_cells(s);
    s->row_bytes = 0;
    s->row += s->rows_rep;
    return 0;
}

static int start_element(struct scanner *s, const char *name, size_t nl,
                         const struct attr *a, int na, int empty)
{
    long level = s->depth + 1;
    if (s->skip_level >= 0)
        goto push;
    if (s->p_level >= 0) { /* inside a paragraph of a cell */
        if (name_is(name, nl, "text:s")) {
            long c = attr_long(a, na, "text:c", 1, 10000);
            for (long i = 0; i < c; i++)
                if (kc_buf_addc(&s->cell_text, ' ') != 0)
                    return fail(s, "out of memory");
            if (check_cell_size(s) != 0)
                return -1;
        } else if (name_is(name, nl, "text:tab")) {
            if (kc_buf_addc(&s->cell_text, '\t') != 0)
                return fail(s, "out of memory");
        } else if (name_is(name, nl, "text:line-break")) {
            if (kc_buf_addc(&s->cell_text, '\n') != 0)
                return fail(s, "out of memory");
        } else if (name_is(name, nl, "office:annotation") ||
                   name_is(name, nl, "text:note") ||
                   (nl > 5 && memcmp(name, "draw:", 5) == 0)) {
            s->skip_level = level;
        }
        goto push;
    }
    if (s->cell_level >= 0) { /* inside a cell, outside paragraphs */
        if (name_is(name, nl, "text:p") || name_is(name, nl, "text:h")) {
            if (s->cell_text.len > 0 && kc_buf_addc(&s->cell_text, '\n'))
                return fail(s, "out of memory");
            s->p_level = level;
        } else {
            s->skip_level = level; /* comments, drawings, ... */
        }
        goto push;
    }
    if (s->row_level >= 0) { /* inside a row, between cells */
        int covered = name_is(name, nl, "table:covered-table-cell");
        if (covered || name_is(name, nl, "table:table-cell")) {
            s->cell_level = level;
            s->cell_covered = covered;
            s->cell_reps =
                attr_long(a, na, "table:number-columns-repeated", 1, MAX_COLS);
            s->cell_type = parse_type(a, na);
            kc_buf_clear(&s->cell_text);
            if (set_value(s, a, na) != 0)
                return fail(s, "out of memory");
            if (check_cell_size(s) != 0)
                return -1;
            if (empty)
                return finish_cell(s);
        } else {
            s->skip_level = level;
        }
        goto push;
    }
    if (s->sheet_level >= 0) { /* inside a sheet, between rows */
        if (name_is(name, nl, "table:table-row")) {
            s->row_level = level;
            s->rows_rep =
                attr_long(a, na, "table:number-rows-repeated", 1, MAX_ROWS);
            s->col = 0;
            s->row_bytes = 0;
            free_cells(s);
            if (empty)
                return finish_row(s);
        } else if (!name_is(name, nl, "table:table-row-group") &&
                   !name_is(name, nl, "table:table-header-rows") &&
                   !name_is(name, nl, "table:table-rows")) {
            s->skip_level = level;
        }
        goto push;
    }
    if (s->ss_level >= 0) { /* inside office:spreadsheet */
        if (level == s->ss_level + 1 && name_is(name, nl, "table:table")) {
            const struct attr *t = find_attr(a, na, "table:name");
            struct kc_buf nm = {0};
            if (t && add_decoded(&nm, t->val, t->val_len) != 0)
                return fail(s, "out of memory");
            free(s->sheet);
            s->sheet = utf8_dup(&nm);
            kc_buf_free(&nm);
            if (!s->sheet)
                return fail(s, "out of memory");
            s->sheet_level = level;
            s->row = 0;
            int rc = 0;
            if (s->sink && s->sink->sheet_begin)
                rc = s->sink->sheet_begin(s->sink->ctx, s->sheet);
            if (rc != 0)
                return fail(s, "stopped at a sheet");
            if (empty) {
                s->sheet_level = -1;
                if (s->sink && s->sink->sheet_end &&
                    s->sink->sheet_end(s->sink->ctx) != 0)
                    return fail(s, "stopped at a sheet");
            }
        } else {
            s->skip_level = level;
        }
        goto push;
    }
    if (name_is(name, nl, "office:spreadsheet")) {
        s->ss_level = level;
        s->seen_spreadsheet = 1;
    }
push:
    if (!empty) {
        s->depth = level;
    } else { /* <x/>: it ends here, so nothing stays open at its level */
        if (s->skip_level == level)
            s->skip_level = -1;
        if (s->p_level == level) /* <text:p/>: an empty paragraph */
            s->p_level = -1;
    }
    return 0;
}

static int end_element(struct scanner *s)
{
    long level = s->depth;
    if (level <= 0)
        return fail(s, "malformed XML: unbalanced end tag");
    s->depth--;
    if (s->skip_level >= 0) {
        if (level == s->skip_level)
            s->skip_level = -1;
        return 0;
    }
    if (level == s->p_level) {
        s->p_level = -1;
    } else if (level == s->cell_level) {
        return finish_cell(s);
    } else if (level == s->row_level) {
        return finish_row(s);
    } else if (level == s->sheet_level) {
        s->sheet_level = -1;
        if (s->sink && s->sink->sheet_end &&
            s->sink->sheet_end(s->sink->ctx) != 0)
            return fail(s, "stopped at a sheet");
    } else if (level == s->ss_level) {
        s->ss_level = -1;
    }
    return 0;
}

static const char *find_seq(const char *p, const char *end, const char *seq)
{
    size_t n = strlen(seq);
    while (p + n <= end) {
        const char *q = memchr(p, seq[0], (size_t)(end - p));
        if (!q || q + n > end)
            return NULL;
        if (memcmp(q, seq, n) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses the tag starting at s->p ('<'), advancing past it. */
static int parse_tag(struct scanner *s)
{
    const char *p = s->p + 1, *end = s->end;
    if (p >= end)
        return fail(s, "malformed XML: truncated tag");
    if (*p == '!' || *p == '?') {
        const char *close;
        if (end - p >= 3 && memcmp(p, "!--", 3) == 0) {
            close = find_seq(p, end, "-->");
            s->p = close ? close + 3 : end;
        } else if (end - p >= 8 && memcmp(p, "![CDATA[", 8) == 0) {
            close = find_seq(p, end, "]]>");
            if (!close)
                return fail(s, "malformed XML: unterminated CDATA");
            if (s->p_level >= 0 && s->skip_level < 0) {
                if (kc_buf_add(&s->cell_text, p + 8, (size_t)(close - p - 8)))
                    return fail(s, "out of memory");
                if (check_cell_size(s) != 0)
                    return -1;
            }
            s->p = close + 3;
        } else {
            close = find_seq(p, end, *p == '?' ? "?>" : ">");
            s->p = close ? close + (*p == '?' ? 2 : 1) : end;
        }
        return 0;
    }
    int closing = *p == '/';
    if (closing)
        p++;
    const char *name = p;
    while (p < end && !is_space(*p) && *p != '>' && *p != '/')
        p++;
    size_t nl = (size_t)(p - name);
    if (nl == 0)
        return fail(s, "malformed XML: empty tag name");
    struct attr a[MAX_ATTRS];
    int na = 0, empty = 0;
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p >= end)
            return fail(s, "malformed XML: truncated tag");
        if (*p == '>') {
            p++;
            break;
        }
        if (*p == '/') {
            if (p + 1 >= end || p[1] != '>')
                return fail(s, "malformed XML: stray '/' in a tag");
            empty = 1;
            p += 2;
            break;
        }
        const char *an = p;
        while (p < end && !is_space(*p) && *p != '=' && *p != '>')
            p++;
        size_t anl = (size_t)(p - an);
        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p != '=' || anl == 0)
            return fail(s, "malformed XML: attribute without a value");
        p++;
        while (p < end && is_space(*p))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            return fail(s, "malformed XML: unquoted attribute");
        char q = *p++;
        const char *av = p;
        const char *ae = memchr(p, q, (size_t)(end - p));
        if (!ae)
            return fail(s, "malformed XML: unterminated attribute");
        if (na < MAX_ATTRS)
            a[na++] = (struct attr){an, anl, av, (size_t)(ae - av)};
        p = ae + 1;
    }
    s->p = p;
    if (closing)
        return end_element(s);
    return start_element(s, name, nl, a, na, empty);
}

int kc_fods_scan_mem(const char *data, size_t len,
                     const struct kc_sheet_sink *sink,
                     struct kc_scan_result *res, struct kc_err *err)
{
    if ((!data && len) || !res) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    memset(res, 0, sizeof *res);
    struct scanner s = {.p = data,
                        .end = data + len,
                        .sink = sink,
                        .res = res,
                        .ss_level = -1,
                        .sheet_level = -1,
                        .row_level = -1,
                        .cell_level = -1,
                        .p_level = -1,
                        .skip_level = -1,
                        .err = err};
    int rc = 0;
    while (s.p < s.end && rc == 0) {
        const char *lt = memchr(s.p, '<', (size_t)(s.end - s.p));
        const char *text_end = lt ? lt : s.end;
        if (s.p_level >= 0 && s.skip_level < 0 && text_end > s.p) {
            if (add_decoded(&s.cell_text, s.p, (size_t)(text_end - s.p)) != 0)
                rc = fail(&s, "out of memory");
            else
                rc = check_cell_size(&s);
        }
        if (!lt || rc != 0)
            break;
        s.p = lt;
        rc = parse_tag(&s);
    }
    if (rc == 0 && s.depth != 0)
        rc = fail(&s, "malformed XML: the document ends inside an element");
    if (rc == 0 && !s.seen_spreadsheet)
        rc = fail(&s, "not a spreadsheet: no office:spreadsheet element");
    free_cells(&s);
    free(s.cells);
    free(s.sheet);
    kc_buf_free(&s.cell_value);
    kc_buf_free(&s.cell_text);
    return rc;
}

int kc_fods_scan(const char *path, const struct kc_sheet_sink *sink,
                 struct kc_scan_result *res, struct kc_err *err)
{
    if (!path || !res) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    memset(res, 0, sizeof *res);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        kc_err_sys(err, "cannot read %s", path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        kc_err_set(err, "cannot read %s: empty file", path);
        close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        kc_err_sys(err, "cannot read %s", path);
        return -1;
    }
    int rc = kc_fods_scan_mem(map, size, sink, res, err);
    munmap(map, size);
    return rc;
}
