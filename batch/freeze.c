/* Freezing the kpicalc add-in's cells of a flat ODF spreadsheet: a
 * streaming XML rewriter (see freeze.h for what it changes). */
#include "freeze.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ROWS 1048576L
#define MAX_COLS 16384L
#define READ_CHUNK 65536
#define ADDIN_PREFIX "ORG.KPICALC."

/* ------------------------------------------------------------------ */
/* Recognising a call and mapping an error                            */

static int ident_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c >= 0x80;
}

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int prefix_ci(const char *s, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (upper((unsigned char)s[i]) != pre[i])
            return 0;
    return 1;
}

/* Skips a quoted run starting at F[I] (the quote Q); returns the index
 * after its closing quote (a doubled quote reads as two runs). */
static size_t skip_quoted(const char *f, size_t n, size_t i, char q)
{
    const char *e = memchr(f + i + 1, q, n - i - 1);
    return e ? (size_t)(e - f) + 1 : n;
}

long kc_freeze_count_calls(const char *f, size_t n)
{
    long calls = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)f[i];
        if (c == '"' || c == '\'') {
            i = skip_quoted(f, n, i, (char)c);
        } else if (c == '[') { /* a reference: sheet names may be quoted */
            i++;
            while (i < n && f[i] != ']')
                i = f[i] == '\'' ? skip_quoted(f, n, i, '\'') : i + 1;
            i++;
        } else if (ident_char(c)) {
            size_t s = i;
            while (i < n && ident_char((unsigned char)f[i]))
                i++;
            if (i - s > strlen(ADDIN_PREFIX) &&
                prefix_ci(f + s, i - s, ADDIN_PREFIX)) {
                size_t j = i;
                while (j < n && (f[j] == ' ' || f[j] == '\t' || f[j] == '\n' ||
                                 f[j] == '\r'))
                    j++;
                if (j < n && f[j] == '(')
                    calls++;
            }
        } else {
            i++;
        }
    }
    return calls;
}

static const char *const error_names[] = {
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"};
#define VALUE_ERROR 2
#define NAME_ERROR 4

/* The index in error_names of the error shown as TEXT[0..n) (white space
 * around ignored), or -1 for any other text (Err:502, ...). */
static int error_lookup(const char *text, size_t n)
{
    while (n > 0 &&
           (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')) {
        text++;
        n--;
    }
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
                     text[n - 1] == '\n' || text[n - 1] == '\r'))
        n--;
    for (size_t i = 0; i < sizeof error_names / sizeof *error_names; i++)
        if (strlen(error_names[i]) == n && memcmp(error_names[i], text, n) == 0)
            return (int)i;
    return -1;
}

const char *kc_freeze_error_formula(const char *text, size_t n)
{
    /* Expressions rather than error constants where one gives the same
     * error in LibreOffice, Excel and Gnumeric: LibreOffice 7.4 writes a
     * constant like =#DIV/0! that cells of a column share into .xls as
     * =#N/A (a shared formula whose error token is always #N/A). */
    static const char *const formulas[] = {
        "of:=#NULL!", "of:=1/0",     "of:=\"#VALUE!\"+0", "of:=INDIRECT(\"\")",
        "of:=#NAME?", "of:=ASIN(2)", "of:=NA()"};
    int e = error_lookup(text, n);
    return formulas[e < 0 ? VALUE_ERROR : e];
}

/* ------------------------------------------------------------------ */
/* Input in chunks                                                    */

struct input {
    int fd;          /* -1: memory */
    const char *mem; /* memory input */
    size_t memlen, mempos, chunk;
    char *buf;
    size_t cap, pos, len; /* unread bytes: buf[pos..len) */
    int eof;
    unsigned long long base; /* offset in the input of buf[0] */
    /* UTF-8 being checked: continuation bytes still due, the code point so
     * far and its least value (no overlong forms) */
    unsigned need;
    unsigned long cp, cp_min;
    unsigned long long bad_at; /* where invalid UTF-8 starts */
};

/* Checks S[0..N) (at offset AT) as the next bytes of UTF-8 text whose
 * every code point is an XML character or a C0/C1 control (controls are
 * checked later, with the markup they are in). 0, or -1 with bad_at set. */
static int utf8_check(struct input *in, const unsigned char *s, size_t n,
                      unsigned long long at)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (in->need == 0) {
            if (c < 0x80)
                continue;
            if (c >= 0xC2 && c <= 0xDF) {
                in->need = 1;
                in->cp = c & 0x1F;
                in->cp_min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                in->need = 2;
                in->cp = c & 0x0F;
                in->cp_min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                in->need = 3;
                in->cp = c & 0x07;
                in->cp_min = 0x10000;
            } else {
                in->bad_at = at + i;
                return -1;
            }
            continue;
        }
        if ((c & 0xC0) != 0x80) {
            in->bad_at = at + i;
            return -1;
        }
        in->cp = (in->cp << 6) | (c & 0x3F);
        if (--in->need == 0) {
            unsigned long cp = in->cp;
            if (cp < in->cp_min || cp > 0x10FFFF ||
                (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
                cp == 0xFFFF) {
                in->bad_at = at + i;
                return -1;
            }
        }
    }
    return 0;
}

/* Reads more input, keeping buf[pos..len). 1: read some, 0: end, -1:
 * error (errno), -2: invalid UTF-8 (bad_at). */
static int input_more(struct input *in)
{
    if (in->eof)
        return 0;
    if (in->pos > 0) {
        memmove(in->buf, in->buf + in->pos, in->len - in->pos);
        in->base += in->pos;
        in->len -= in->pos;
        in->pos = 0;
    }
    size_t want = in->fd >= 0 ? READ_CHUNK : in->chunk;
    if (in->cap - in->len < want) {
        size_t cap = in->cap ? in->cap : READ_CHUNK;
        while (cap - in->len < want) {
            if (cap > ((size_t)-1) / 4) {
                errno = ENOMEM;
                return -1;
            }
            cap *= 2;
        }
        char *b = realloc(in->buf, cap);
        if (!b) {
            errno = ENOMEM;
            return -1;
        }
        in->buf = b;
        in->cap = cap;
    }
    if (in->fd < 0) {
        size_t k = in->memlen - in->mempos;
        if (k > want)
            k = want;
        if (k == 0) {
            in->eof = 1;
            return in->need ? (in->bad_at = in->base + in->len, -2) : 0;
        }
        memcpy(in->buf + in->len, in->mem + in->mempos, k);
        in->mempos += k;
        in->len += k;
        return utf8_check(in, (const unsigned char *)in->buf + in->len - k, k,
                          in->base + in->len - k)
                   ? -2
                   : 1;
    }
    for (;;) {
        ssize_t r = read(in->fd, in->buf + in->len, in->cap - in->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0) {
            in->eof = 1;
            return in->need ? (in->bad_at = in->base + in->len, -2) : 0;
        }
        in->len += (size_t)r;
        return utf8_check(in,
                          (const unsigned char *)in->buf + in->len - (size_t)r,
                          (size_t)r, in->base + in->len - (size_t)r)
                   ? -2
                   : 1;
    }
}

/* ------------------------------------------------------------------ */
/* The rewriter                                                       */

struct attr {
    size_t span_beg, span_end; /* in the tag: white space before, value */
    const char *name;
    size_t name_len;
    const char *val; /* raw, still escaped */
    size_t val_len;
};

/* A cell held back until its end, to learn which error it shows. */
struct frame {
    struct kc_buf tag;   /* the rewritten start tag */
    size_t name_end;     /* where its name ends: the formula goes there */
    struct kc_buf body;  /* everything after the start tag */
    struct kc_buf text;  /* the text of its first paragraph */
    long depth;          /* the cell's depth */
    long p_depth;        /* its first paragraph's, while open; else -1 */
    int p_done;          /* its first paragraph has been read */
    int p_seen;          /* that paragraph had a start and an end tag */
    size_t p_beg, p_end; /* where its content is in the body */
    long count;          /* cells it stands for (repetitions) */
};

struct region {          /* the other cells of a frozen array formula */
    long r0, c0, r1, c1; /* [r0, r1) x [c0, c1) */
};

struct freezer {
    struct input in;
    FILE *f;             /* output file, or NULL */
    struct kc_buf *mout; /* output memory, or NULL */
    struct kc_freeze_stats st;
    struct kc_err *err;
    /* the open elements */
    long depth;
    struct kc_buf names;
    size_t *name_at;
    size_t name_cap;
    int root_seen, root_done;
    /* where cells are */
    long ss_depth, sheet_depth, row_depth, skip_depth;
    long row, rows_rep, col;
    struct region *regions;
    size_t nregions, capregions;
    /* cells held back */
    struct frame *frames;
    size_t nframes, capframes;
    /* scratch */
    struct attr *attrs;
    size_t capattrs;
    struct kc_buf tmp;
    const struct attr **sorted;
    size_t capsorted;
};

static int failf(struct freezer *z, const char *what)
{
    kc_err_set(z->err, "malformed XML at byte %llu: %s", z->in.base + z->in.pos,
               what);
    return -1;
}

static int oom(struct freezer *z)
{
    kc_err_set(z->err, "out of memory");
    return -1;
}

/* input_more with its errors told: 1, 0 (end) or -1 (reason set). */
static int more(struct freezer *z)
{
    int r = input_more(&z->in);
    if (r == -2)
        kc_err_set(z->err, "malformed XML at byte %llu: invalid UTF-8",
                   z->in.bad_at);
    else if (r < 0)
        kc_err_sys(z->err, "cannot read the input");
    return r < 0 ? -1 : r;
}

static int emit(struct freezer *z, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (z->nframes > 0) {
        if (kc_buf_add(&z->frames[z->nframes - 1].body, s, n) != 0)
            return oom(z);
        return 0;
    }
    if (z->f) {
        if (fwrite(s, 1, n, z->f) != n) {
            kc_err_sys(z->err, "cannot write the output");
            return -1;
        }
    } else if (z->mout && kc_buf_add(z->mout, s, n) != 0) {
        return oom(z);
    }
    return 0;
}

static int name_is(const char *n, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(n, want, len) == 0;
}

static int xml_char_ok(unsigned long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD ||
           (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

static int ctrl_byte(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* Checks the reference at S[0..N) (S[0] == '&'): returns its length, 0 if
 * it is not complete within N bytes, -1 if it is malformed. Appends the
 * character to OUT when OUT is not NULL. */
static long check_ref(const char *s, size_t n, struct kc_buf *out, int *oomp)
{
    size_t lim = n < 40 ? n : 40;
    const char *semi = memchr(s, ';', lim);
    if (!semi)
        return n < 40 ? 0 : -1;
    size_t el = (size_t)(semi - s) - 1;
    const char *e = s + 1;
    char c = 0;
    unsigned long cp = 0;
    if (name_is(e, el, "amp"))
        c = '&';
    else if (name_is(e, el, "lt"))
        c = '<';
    else if (name_is(e, el, "gt"))
        c = '>';
    else if (name_is(e, el, "quot"))
        c = '"';
    else if (name_is(e, el, "apos"))
        c = '\'';
    else if (el >= 2 && e[0] == '#') {
        int hex = e[1] == 'x';
        size_t i = 1 + (size_t)hex;
        if (i >= el)
            return -1;
        for (; i < el; i++) {
            unsigned char d = (unsigned char)e[i];
            int v;
            if (d >= '0' && d <= '9')
                v = d - '0';
            else if (hex && d >= 'a' && d <= 'f')
                v = d - 'a' + 10;
            else if (hex && d >= 'A' && d <= 'F')
                v = d - 'A' + 10;
            else
                return -1;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
            if (cp > 0x10FFFF)
                return -1;
        }
        if (!xml_char_ok(cp))
            return -1;
    } else {
        return -1;
    }
    if (out) {
        char u[4];
        size_t k;
        if (c) {
            u[0] = c;
            k = 1;
        } else if (cp < 0x80) {
            u[0] = (char)cp;
            k = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            k = 2;
        } else if (cp < 0x10000) {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            k = 3;
        } else {
            u[0] = (char)(0xF0 | (cp >> 18));
            u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (char)(0x80 | (cp & 0x3F));
            k = 4;
        }
        if (kc_buf_add(out, u, k) != 0) {
            *oomp = 1;
            return -1;
        }
    }
    return (long)el + 2;
}

/* Checks S[0..N) as character data (no '<'); decodes it into OUT when OUT
 * is not NULL. 0, or -1 with the reason set. */
static int check_chars(struct freezer *z, const char *s, size_t n,
                       struct kc_buf *out)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] != '&') {
            if (ctrl_byte((unsigned char)s[run]))
                return failf(z, "a control character");
            run++;
        }
        if (out && run > i && kc_buf_add(out, s + i, run - i) != 0)
            return oom(z);
        if (run >= n)
            break;
        int o = 0;
        long k = check_ref(s + run, n - run, out, &o);
        if (o)
            return oom(z);
        if (k <= 0)
            return failf(z, "a malformed entity or character reference");
        i = run + (size_t)k;
    }
    return 0;
}

static int all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

/* Text S[0..N) between tags. */
static int on_text(struct freezer *z, const char *s, size_t n)
{
    if (z->depth == 0) {
        if (!all_space(s, n))
            return failf(z, "text outside the root element");
        return emit(z, s, n);
    }
    struct frame *fr = z->nframes ? &z->frames[z->nframes - 1] : NULL;
    int collect = fr && fr->p_depth >= 0 && fr->text.len < 64;
    if (check_chars(z, s, n, collect ? &fr->text : NULL) != 0)
        return -1;
    return emit(z, s, n);
}

static int name_start_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == ':' || c >= 0x80;
}

static int name_char(unsigned char c)
{
    return name_start_char(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const struct attr *find_attr(const struct attr *a, size_t n,
                                    const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (name_is(a[i].name, a[i].name_len, name))
            return &a[i];
    return NULL;
}

static long attr_long(const struct attr *x, long max)
{
    if (!x || x->val_len == 0 || x->val_len > 18)
        return 1;
    long v = 0;
    for (size_t i = 0; i < x->val_len; i++) {
        char c = x->val[i];
        if (c < '0' || c > '9')
            return 1;
        v = v * 10 + (c - '0');
    }
    if (v < 1)
        return 1;
    return v > max ? max : v;
}

static int cmp_attr(const void *a, const void *b)
{
    const struct attr *x = *(const struct attr *const *)a;
    const struct attr *y = *(const struct attr *const *)b;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    if (c)
        return c;
    return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static int has_duplicates(struct freezer *z, size_t na)
{
    if (na < 2)
        return 0;
    if (na > z->capsorted) {
        const struct attr **v = realloc(z->sorted, na * sizeof *v);
        if (!v)
            return -1;
        z->sorted = v;
        z->capsorted = na;
    }
    for (size_t i = 0; i < na; i++)
        z->sorted[i] = &z->attrs[i];
    qsort(z->sorted, na, sizeof *z->sorted, cmp_attr);
    for (size_t i = 1; i < na; i++)
        if (cmp_attr(&z->sorted[i - 1], &z->sorted[i]) == 0)
            return 1;
    return 0;
}

/* Attributes whose value is a formula, where a call counts as outside a
 * cell: any name containing "formula", "condition" or "expression", and
 * calcext:value (conditional formats' conditions). */
static int formula_attr(const char *n, size_t l)
{
    static const char *const parts[] = {"formula", "condition", "expression"};
    if (name_is(n, l, "calcext:value"))
        return 1;
    for (size_t k = 0; k < 3; k++) {
        size_t pl = strlen(parts[k]);
        for (size_t i = 0; i + pl <= l; i++)
            if (memcmp(n + i, parts[k], pl) == 0)
                return 1;
    }
    return 0;
}

static long decoded_calls(struct freezer *z, const struct attr *a)
{
    kc_buf_clear(&z->tmp);
    if (check_chars(z, a->val, a->val_len, &z->tmp) != 0)
        return -1;
    return kc_freeze_count_calls(kc_buf_str(&z->tmp), z->tmp.len);
}

static int push_name(struct freezer *z, const char *name, size_t nl)
{
    if ((size_t)z->depth >= z->name_cap) {
        size_t cap = z->name_cap ? z->name_cap * 2 : 64;
        size_t *v = realloc(z->name_at, cap * sizeof *v);
        if (!v)
            return oom(z);
        z->name_at = v;
        z->name_cap = cap;
    }
    z->name_at[z->depth] = z->names.len;
    if (kc_buf_add(&z->names, name, nl) != 0)
        return oom(z);
    z->depth++;
    return 0;
}

static int in_region(const struct freezer *z, long r0, long r1, long c0,
                     long c1)
{
    for (size_t i = 0; i < z->nregions; i++) {
        const struct region *g = &z->regions[i];
        if (r0 < g->r1 && g->r0 < r1 && c0 < g->c1 && g->c0 < c1)
            return 1;
    }
    return 0;
}

static int add_region(struct freezer *z, long r0, long r1, long c0, long c1)
{
    if (z->nregions == z->capregions) {
        size_t cap = z->capregions ? z->capregions * 2 : 16;
        struct region *v = realloc(z->regions, cap * sizeof *v);
        if (!v)
            return oom(z);
        z->regions = v;
        z->capregions = cap;
    }
    z->regions[z->nregions++] = (struct region){r0, c0, r1, c1};
    return 0;
}

/* Appends TAG[0..n) to OUT without the attributes flagged in DROP (each
 * with the white space before it). */
static int rewrite_tag(struct kc_buf *out, const char *tag, size_t n,
                       const struct attr *a, size_t na,
                       const unsigned char *drop)
{
    size_t at = 0;
    for (size_t i = 0; i < na; i++) {
        if (!drop[i])
            continue;
        if (kc_buf_add(out, tag + at, a[i].span_beg - at) != 0)
            return -1;
        at = a[i].span_end;
    }
    return kc_buf_add(out, tag + at, n - at);
}

static int close_frame(struct freezer *z);

/* The start tag TAG[0..n) of element NAME with attributes A. */
static int on_start(struct freezer *z, const char *tag, size_t n,
                    const char *name, size_t nl, size_t na, int empty)
{
    const struct attr *a = z->attrs;
    if (z->depth == 0) {
        if (z->root_done)
            return failf(z, "a second root element");
        z->root_seen = 1;
    }
    int dup = has_duplicates(z, na);
    if (dup < 0)
        return oom(z);
    if (dup)
        return failf(z, "an attribute given twice");
    long level = z->depth + 1;
    int cell = name_is(name, nl, "table:table-cell") ||
               name_is(name, nl, "table:covered-table-cell");
    /* where are we? */
    int tracked = 0;
    long cols_rep = 1, rows_rep = 1, row = 0, col = 0;
    if (z->skip_depth < 0) {
        if (z->row_depth >= 0) {
            if (cell && level == z->row_depth + 1) {
                tracked = 1;
                row = z->row;
                col = z->col;
                rows_rep = z->rows_rep;
                cols_rep =
                    attr_long(find_attr(a, na, "table:number-columns-repeated"),
                              MAX_COLS);
                z->col += cols_rep;
            }
            if (!empty)
                z->skip_depth = level; /* the inside of a cell */
        } else if (z->sheet_depth >= 0) {
            if (name_is(name, nl, "table:table-row")) {
                if (!empty) {
                    z->row_depth = level;
                    z->rows_rep = attr_long(
                        find_attr(a, na, "table:number-rows-repeated"),
                        MAX_ROWS);
                    z->col = 0;
                    size_t k = 0; /* drop the arrays above this row */
                    for (size_t i = 0; i < z->nregions; i++)
                        if (z->regions[i].r1 > z->row)
                            z->regions[k++] = z->regions[i];
                    z->nregions = k;
                } else {
                    z->row += attr_long(
                        find_attr(a, na, "table:number-rows-repeated"),
                        MAX_ROWS);
                }
            } else if (!name_is(name, nl, "table:table-row-group") &&
                       !name_is(name, nl, "table:table-header-rows") &&
                       !name_is(name, nl, "table:table-rows") && !empty) {
                z->skip_depth = level;
            }
        } else if (z->ss_depth >= 0) {
            if (level == z->ss_depth + 1 && name_is(name, nl, "table:table") &&
                !empty) {
                z->sheet_depth = level;
                z->row = 0;
                z->nregions = 0;
            } else if (!empty) {
                z->skip_depth = level;
            }
        } else if (name_is(name, nl, "office:spreadsheet") && !empty) {
            z->ss_depth = level;
        }
    }
    /* the first paragraph of a held-back cell */
    struct frame *fr = z->nframes ? &z->frames[z->nframes - 1] : NULL;
    struct frame *para = NULL; /* whose first paragraph starts here */
    if (fr && !fr->p_done && fr->p_depth < 0 && level == fr->depth + 1 &&
        name_is(name, nl, "text:p")) {
        if (empty)
            fr->p_done = 1;
        else {
            fr->p_depth = level;
            para = fr;
        }
    }
    /* what to do with it */
    const struct attr *fa = cell ? find_attr(a, na, "table:formula") : NULL;
    long calls = 0;
    if (fa && (calls = decoded_calls(z, fa)) < 0)
        return -1;
    long outside = 0;
    for (size_t i = 0; i < na; i++) {
        if (&a[i] == fa || !formula_attr(a[i].name, a[i].name_len))
            continue;
        long k = decoded_calls(z, &a[i]);
        if (k < 0)
            return -1;
        outside += k;
    }
    z->st.calls_outside += outside;
    const struct attr *vt =
        cell ? find_attr(a, na, "calcext:value-type") : NULL;
    int is_error = vt && name_is(vt->val, vt->val_len, "error");
    int freeze = calls > 0;
    int array_error = !freeze && !fa && is_error && tracked &&
                      in_region(z, row, row + rows_rep, col, col + cols_rep);
    if (!freeze && !array_error) {
        if (emit(z, tag, n) != 0)
            return -1;
        if (para) {
            para->p_seen = 1;
            para->p_beg = para->p_end = para->body.len;
        }
        goto push;
    }
    long count = cols_rep * rows_rep;
    if (!tracked) /* outside the grid: its own repetitions only */
        count = attr_long(find_attr(a, na, "table:number-columns-repeated"),
                          MAX_COLS);
    unsigned char dropbuf[16];
    unsigned char *drop = na <= sizeof dropbuf ? dropbuf : calloc(na, 1);
    if (!drop)
        return oom(z);
    memset(drop, 0, na <= sizeof dropbuf ? sizeof dropbuf : na);
    long span_c = 1, span_r = 1;
    for (size_t i = 0; i < na; i++) {
        if (name_is(a[i].name, a[i].name_len,
                    "table:number-matrix-columns-spanned")) {
            span_c = attr_long(&a[i], MAX_COLS);
            drop[i] = freeze;
        } else if (name_is(a[i].name, a[i].name_len,
                           "table:number-matrix-rows-spanned")) {
            span_r = attr_long(&a[i], MAX_ROWS);
            drop[i] = freeze;
        } else if (&a[i] == fa) {
            drop[i] = 1;
        }
    }
    size_t name_end = 1 + nl;
    int rc = 0;
    if (freeze) {
        z->st.cells_frozen += count;
        if (tracked && (span_c > 1 || span_r > 1))
            rc = add_region(z, row, row + span_r, col, col + span_c);
    }
    if (rc == 0 && !is_error) {
        kc_buf_clear(&z->tmp);
        if (rewrite_tag(&z->tmp, tag, n, a, na, drop) != 0)
            rc = oom(z);
        else
            rc = emit(z, z->tmp.p, z->tmp.len);
    } else if (rc == 0) { /* held back until its text is known */
        z->st.errors_frozen += count;
        if (z->nframes == z->capframes) {
            size_t cap = z->capframes ? z->capframes * 2 : 4;
            struct frame *v = realloc(z->frames, cap * sizeof *v);
            if (!v)
                rc = oom(z);
            else {
                z->frames = v;
                z->capframes = cap;
            }
        }
        if (rc == 0) {
            fr = &z->frames[z->nframes++];
            memset(fr, 0, sizeof *fr);
            fr->depth = level;
            fr->p_depth = -1;
            fr->count = count;
            fr->name_end = name_end;
            if (rewrite_tag(&fr->tag, tag, n, a, na, drop))
                rc = oom(z);
            if (rc == 0 && empty)
                rc = close_frame(z);
        }
    }
    if (drop != dropbuf)
        free(drop);
    if (rc != 0)
        return -1;
push:
    if (empty) {
        if (z->depth == 0)
            z->root_done = 1;
        if (z->skip_depth == level)
            z->skip_depth = -1;
        return 0;
    }
    return push_name(z, name, nl);
}

/* Ends the innermost held-back cell: its start tag with the error's
 * formula, its body, then (already in its body) its end tag. */
static int close_frame(struct freezer *z)
{
    struct frame fr = z->frames[--z->nframes];
    const char *text = kc_buf_str(&fr.text);
    /* an add-in call that reads #NAME? with the add-in loaded: a function
     * this add-in does not know */
    if (error_lookup(text, fr.text.len) == NAME_ERROR)
        z->st.name_errors += fr.count;
    char ins[64] = " table:formula=\"";
    size_t k = strlen(ins);
    for (const char *f = kc_freeze_error_formula(text, fr.text.len);
         *f && k + 8 < sizeof ins; f++) { /* escaped for the attribute */
        if (*f == '"') {
            memcpy(ins + k, "&quot;", 6);
            k += 6;
        } else {
            ins[k++] = *f;
        }
    }
    ins[k++] = '"';
    /* a paragraph of plain text that shows no standard error (Err:511) is
     * made to show #VALUE!, as the formula does, so that the file reads the
     * same before it is recalculated */
    const char *body = kc_buf_str(&fr.body);
    int retext = fr.p_seen && error_lookup(text, fr.text.len) < 0 &&
                 !memchr(body + fr.p_beg, '<', fr.p_end - fr.p_beg);
    size_t keep = retext ? fr.p_beg : fr.body.len;
    int rc = 0;
    if (emit(z, fr.tag.p, fr.name_end) != 0 || emit(z, ins, k) != 0 ||
        emit(z, fr.tag.p + fr.name_end, fr.tag.len - fr.name_end) != 0 ||
        emit(z, body, keep) != 0)
        rc = -1;
    else if (retext && (emit(z, error_names[VALUE_ERROR],
                             strlen(error_names[VALUE_ERROR])) != 0 ||
                        emit(z, body + fr.p_end, fr.body.len - fr.p_end) != 0))
        rc = -1;
    kc_buf_free(&fr.tag);
    kc_buf_free(&fr.body);
    kc_buf_free(&fr.text);
    return rc;
}

static int on_end(struct freezer *z, const char *tag, size_t n,
                  const char *name, size_t nl)
{
    if (z->depth == 0)
        return failf(z, "an end tag without its start tag");
    const char *open = z->names.p + z->name_at[z->depth - 1];
    size_t ol = z->names.len - z->name_at[z->depth - 1];
    if (ol != nl || memcmp(open, name, nl) != 0)
        return failf(z, "an end tag that does not match its start tag");
    long level = z->depth;
    z->names.len = z->name_at[z->depth - 1];
    z->depth--;
    if (z->depth == 0)
        z->root_done = 1;
    if (z->skip_depth == level)
        z->skip_depth = -1;
    else if (z->skip_depth < 0) {
        if (level == z->row_depth) {
            z->row_depth = -1;
            z->row += z->rows_rep;
        } else if (level == z->sheet_depth) {
            z->sheet_depth = -1;
            z->nregions = 0;
        } else if (level == z->ss_depth) {
            z->ss_depth = -1;
        }
    }
    struct frame *fr = z->nframes ? &z->frames[z->nframes - 1] : NULL;
    if (fr && level == fr->p_depth) {
        fr->p_depth = -1;
        fr->p_done = 1;
        fr->p_end = fr->body.len;
    }
    if (emit(z, tag, n) != 0)
        return -1;
    if (fr && level == fr->depth)
        return close_frame(z);
    return 0;
}

/* Parses the tag TAG[0..n) ('<' ... '>'). */
static int on_tag(struct freezer *z, const char *tag, size_t n)
{
    size_t p = 1;
    int closing = tag[p] == '/';
    if (closing)
        p++;
    const char *name = tag + p;
    if (p >= n || !name_start_char((unsigned char)tag[p]))
        return failf(z, "a bad element name");
    while (p < n && name_char((unsigned char)tag[p]))
        p++;
    size_t nl = (size_t)(tag + p - name);
    if (closing) {
        while (p < n && is_space(tag[p]))
            p++;
        if (p != n - 1)
            return failf(z, "a malformed end tag");
        return on_end(z, tag, n, name, nl);
    }
    size_t na = 0;
    int empty = 0;
    for (;;) {
        size_t ws = p;
        while (p < n && is_space(tag[p]))
            p++;
        if (tag[p] == '>')
            break;
        if (tag[p] == '/') {
            if (p + 2 != n)
                return failf(z, "a stray '/' in a tag");
            empty = 1;
            break;
        }
        if (p == ws)
            return failf(z, "attributes not separated by white space");
        const char *an = tag + p;
        if (!name_start_char((unsigned char)tag[p]))
            return failf(z, "a bad attribute name");
        while (p < n && name_char((unsigned char)tag[p]))
            p++;
        size_t anl = (size_t)(tag + p - an);
        while (p < n && is_space(tag[p]))
            p++;
        if (tag[p] != '=')
            return failf(z, "an attribute without a value");
        p++;
        while (p < n && is_space(tag[p]))
            p++;
        if (tag[p] != '"' && tag[p] != '\'')
            return failf(z, "an unquoted attribute value");
        char q = tag[p++];
        const char *av = tag + p;
        const char *ae = memchr(av, q, n - p);
        if (!ae) /* cannot happen: the tag ends outside quotes */
            return failf(z, "an unterminated attribute value");
        size_t avl = (size_t)(ae - av);
        if (memchr(av, '<', avl))
            return failf(z, "'<' in an attribute value");
        if (check_chars(z, av, avl, NULL) != 0)
            return -1;
        if (na == z->capattrs) {
            size_t cap = z->capattrs ? z->capattrs * 2 : 16;
            struct attr *v = realloc(z->attrs, cap * sizeof *v);
            if (!v)
                return oom(z);
            z->attrs = v;
            z->capattrs = cap;
        }
        z->attrs[na++] =
            (struct attr){ws, (size_t)(ae + 1 - tag), an, anl, av, avl};
        p = (size_t)(ae + 1 - tag);
    }
    return on_start(z, tag, n, name, nl, na, empty);
}

/* Finds the end of the markup starting at buf[pos] ('<'); returns its
 * length, reading more input as needed; 0 on error (reason set). */
static size_t markup_len(struct freezer *z, int *kind)
{
    struct input *in = &z->in;
    size_t scan = 1;
    char quote = 0;
    const char *endseq = NULL;
    *kind = 0;
    for (;;) {
        const char *b = in->buf + in->pos;
        size_t avail = in->len - in->pos;
        if (!endseq && *kind == 0 && avail >= 2) {
            if (b[1] == '!' || b[1] == '?') {
                if (b[1] == '?') {
                    endseq = "?>";
                    *kind = 'P';
                } else if (avail >= 4 && memcmp(b, "<!--", 4) == 0) {
                    endseq = "-->";
                    *kind = 'C';
                } else if (avail >= 9 && memcmp(b, "<![CDATA[", 9) == 0) {
                    endseq = "]]>";
                    *kind = 'D';
                } else if (avail >= 9 || in->eof) {
                    if (avail >= 9 && memcmp(b, "<!DOCTYPE", 9) == 0) {
                        failf(z, "a DOCTYPE (not supported)");
                        return 0;
                    }
                    failf(z, "an unknown markup declaration");
                    return 0;
                }
            } else {
                *kind = 'T';
            }
            if (endseq)
                scan = *kind == 'P' ? 2 : *kind == 'C' ? 4 : 9;
        }
        if (*kind == 'T') {
            while (scan < avail) {
                char c = b[scan];
                if (quote) {
                    if (c == quote)
                        quote = 0;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    return scan + 1;
                } else if (c == '<') {
                    failf(z, "'<' inside a tag");
                    return 0;
                }
                scan++;
            }
        } else if (endseq) {
            size_t el = strlen(endseq);
            while (scan + el <= avail) {
                const char *q = memchr(b + scan, endseq[0], avail - scan);
                if (!q || (size_t)(q - b) + el > avail) {
                    scan = q ? (size_t)(q - b) : avail - (el - 1);
                    break;
                }
                if (memcmp(q, endseq, el) == 0)
                    return (size_t)(q - b) + el;
                scan = (size_t)(q - b) + 1;
            }
        }
        int r = more(z);
        if (r < 0)
            return 0;
        if (r == 0) {
            failf(z, *kind == 'T'   ? "the document ends inside a tag"
                     : *kind == 'C' ? "an unterminated comment"
                     : *kind == 'D' ? "an unterminated CDATA section"
                     : *kind == 'P' ? "an unterminated processing instruction"
                                    : "the document ends inside a tag");
            return 0;
        }
    }
}

static int check_raw(struct freezer *z, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ctrl_byte((unsigned char)s[i]))
            return failf(z, "a control character");
    return 0;
}

static int run(struct freezer *z)
{
    struct input *in = &z->in;
    int r = 1;
    while (in->len < 3 && (r = more(z)) > 0)
        ;
    if (r < 0)
        return -1;
    if (in->len >= 3 && memcmp(in->buf, "\xef\xbb\xbf", 3) == 0) {
        if (emit(z, in->buf, 3) != 0) /* a byte-order mark */
            return -1;
        in->pos = 3;
    }
    for (;;) {
        if (in->pos == in->len) {
            r = more(z);
            if (r < 0)
                return -1;
            if (r == 0)
                break;
        }
        const char *b = in->buf + in->pos;
        size_t avail = in->len - in->pos;
        if (b[0] != '<') {
            const char *lt = memchr(b, '<', avail);
            size_t k = lt ? (size_t)(lt - b) : avail;
            if (!lt && !in->eof) {
                /* keep back a reference that may go on in the next chunk */
                const char *amp = NULL;
                for (size_t i = k; i > 0 && k - i < 40; i--)
                    if (b[i - 1] == '&') {
                        amp = b + i - 1;
                        break;
                    }
                if (amp && !memchr(amp, ';', (size_t)(b + k - amp)))
                    k = (size_t)(amp - b);
                if (k == 0) {
                    if (more(z) < 0)
                        return -1;
                    continue;
                }
            }
            if (on_text(z, b, k) != 0)
                return -1;
            in->pos += k;
            continue;
        }
        int kind;
        size_t n = markup_len(z, &kind);
        if (n == 0)
            return -1;
        b = in->buf + in->pos; /* the buffer may have moved */
        int rc;
        if (kind == 'T') {
            rc = on_tag(z, b, n);
        } else if (kind == 'D') {
            if (z->depth == 0)
                return failf(z, "CDATA outside the root element");
            struct frame *fr = z->nframes ? &z->frames[z->nframes - 1] : NULL;
            rc = check_raw(z, b + 9, n - 12);
            if (rc == 0 && fr && fr->p_depth >= 0 && fr->text.len < 64 &&
                kc_buf_add(&fr->text, b + 9, n - 12) != 0)
                rc = oom(z);
            if (rc == 0)
                rc = emit(z, b, n);
        } else {
            rc = check_raw(z, b, n);
            if (rc == 0)
                rc = emit(z, b, n);
        }
        if (rc != 0)
            return -1;
        in->pos += n;
    }
    if (z->depth != 0)
        return failf(z, "the document ends inside an element");
    if (!z->root_seen)
        return failf(z, "no root element");
    return 0;
}

static void freezer_free(struct freezer *z)
{
    free(z->in.buf);
    kc_buf_free(&z->names);
    free(z->name_at);
    free(z->regions);
    for (size_t i = 0; i < z->nframes; i++) {
        kc_buf_free(&z->frames[i].tag);
        kc_buf_free(&z->frames[i].body);
        kc_buf_free(&z->frames[i].text);
    }
    free(z->frames);
    free(z->attrs);
    kc_buf_free(&z->tmp);
    free(z->sorted);
}

static void freezer_init(struct freezer *z, struct kc_err *err)
{
    memset(z, 0, sizeof *z);
    z->in.fd = -1;
    z->err = err;
    z->ss_depth = z->sheet_depth = z->row_depth = z->skip_depth = -1;
    z->rows_rep = 1;
}

int kc_freeze_mem_chunked(const char *in, size_t n, size_t chunk,
                          struct kc_buf *out, struct kc_freeze_stats *st,
                          struct kc_err *err)
{
    if ((!in && n) || chunk == 0 || !st) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    memset(st, 0, sizeof *st);
    struct freezer z;
    freezer_init(&z, err);
    z.in.mem = in;
    z.in.memlen = n;
    z.in.chunk = chunk;
    struct kc_buf tmp = {0};
    z.mout = out ? &tmp : NULL;
    int rc = run(&z);
    if (rc == 0 && out && kc_buf_add(out, tmp.p ? tmp.p : "", tmp.len) != 0)
        rc = oom(&z);
    if (rc == 0)
        *st = z.st;
    kc_buf_free(&tmp);
    freezer_free(&z);
    return rc;
}

int kc_freeze_mem(const char *in, size_t n, struct kc_buf *out,
                  struct kc_freeze_stats *st, struct kc_err *err)
{
    return kc_freeze_mem_chunked(in, n, READ_CHUNK, out, st, err);
}

int kc_freeze_fods(const char *in, const char *out, struct kc_freeze_stats *st,
                   struct kc_err *err)
{
    if (!in || !st) {
        kc_err_set(err, "invalid arguments");
        return -1;
    }
    memset(st, 0, sizeof *st);
    struct freezer z;
    freezer_init(&z, err);
    z.in.fd = open(in, O_RDONLY | O_CLOEXEC);
    if (z.in.fd < 0) {
        kc_err_sys(err, "cannot read %s", in);
        return -1;
    }
    char *tmpname = NULL;
    int rc = 0;
    if (out) {
        size_t l = strlen(out);
        tmpname = malloc(l + 16);
        if (!tmpname) {
            rc = oom(&z);
        } else {
            memcpy(tmpname, out, l);
            memcpy(tmpname + l, ".tmp-XXXXXX", 12);
            int fd = mkstemp(tmpname);
            if (fd < 0) {
                kc_err_sys(err, "cannot write %s", out);
                free(tmpname);
                tmpname = NULL;
                rc = -1;
            } else {
                (void)fchmod(fd, 0644);
                z.f = fdopen(fd, "w");
                if (!z.f) {
                    kc_err_sys(err, "cannot write %s", out);
                    close(fd);
                    rc = -1;
                }
            }
        }
    }
    if (rc == 0)
        rc = run(&z);
    close(z.in.fd);
    if (z.f) {
        int ferr = fflush(z.f) != 0 || ferror(z.f);
        if (fclose(z.f) != 0)
            ferr = 1;
        if (rc == 0 && ferr) {
            kc_err_sys(err, "cannot write %s", out);
            rc = -1;
        }
    }
    if (tmpname) {
        if (rc == 0 && rename(tmpname, out) != 0) {
            kc_err_sys(err, "cannot write %s", out);
            rc = -1;
        }
        if (rc != 0)
            unlink(tmpname);
        free(tmpname);
    }
    if (rc == 0)
        *st = z.st;
    freezer_free(&z);
    return rc;
}
