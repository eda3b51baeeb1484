/* The check of kpicalc's outputs (rules R1-R19 in outcheck.h). */
#include "outcheck.h"

#include "formats.h"

#include "zipcheck.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* R19: the streaming XML checker                                      */

enum {
    X_TOP,        /* outside the root element */
    X_TEXT,       /* character data inside it */
    X_LT,         /* after '<' */
    X_STAG_NAME,  /* a start tag's name */
    X_STAG_WS,    /* white space in a start tag */
    X_ATTR_NAME,  /* an attribute's name */
    X_ATTR_EQ,    /* before its '=' */
    X_ATTR_VAL0,  /* before its opening quote */
    X_ATTR_VAL,   /* its value */
    X_STAG_AFTER, /* just after a value's closing quote */
    X_EMPTY,      /* after '/' in a start tag */
    X_ETAG0,      /* after "</" */
    X_ETAG_NAME,  /* an end tag's name */
    X_ETAG_WS,    /* white space after it */
    X_BANG,       /* after "<!" */
    X_BANG_DASH,  /* after "<!-" */
    X_COMMENT,
    X_COMMENT_D1, /* after '-' in a comment */
    X_COMMENT_D2, /* after "--" */
    X_CDATA_OPEN, /* matching "CDATA[" */
    X_CDATA,
    X_CDATA_B1,     /* after ']' */
    X_CDATA_B2,     /* after "]]" */
    X_DOCTYPE,      /* matching "DOCTYPE" */
    X_DOCTYPE_BODY, /* its name and external identifier */
    X_DOCTYPE_Q,    /* a quoted literal in it */
    X_PI_T0,        /* after "<?" */
    X_PI_T,         /* a processing instruction's target */
    X_PI_BODY,
    X_PI_Q,     /* after '?' in it */
    X_REF0,     /* after '&' */
    X_REF_NAME, /* an entity's name */
    X_CREF0,    /* after "&#" */
    X_CREF_DEC,
    X_CREF_HEX0, /* after "&#x" */
    X_CREF_HEX
};

#define MAX_DEPTH 4096
#define MAX_NAMES (1u << 20) /* bytes of the open elements' names */
#define MAX_ATTRS (1u << 16) /* bytes of one tag's attribute names */

struct kc_xml {
    int state, ret; /* ret: where a reference returns */
    int quote;
    int failed;
    char msg[256];
    unsigned long line;
    /* UTF-8 decoding */
    uint32_t acc, min;
    int need;
    int first; /* no character seen yet (but a byte-order mark) */
    int bom;
    int decl_ok;
    /* the open elements: their names one after the other */
    char *names;
    size_t nlen, ncap;
    size_t starts[MAX_DEPTH];
    size_t depth;
    size_t cmp; /* bytes of an end tag's name matched */
    char ename[64];
    size_t elen;
    /* the attribute names of the tag being read, NUL-separated */
    char *attrs;
    size_t alen, acap, astart;
    /* a reference, a literal being matched, a PI target */
    char ref[8];
    int reflen;
    uint32_t refval;
    int match;
    char pit[4];
    int pitlen;
    int brackets; /* ']' just seen in text */
    int root_seen, root_done;
    char root[64];
};

struct kc_xml *kc_xml_new(void)
{
    struct kc_xml *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->line = 1;
    x->first = 1;
    return x;
}

void kc_xml_free(struct kc_xml *x)
{
    if (!x)
        return;
    free(x->names);
    free(x->attrs);
    free(x);
}

const char *kc_xml_root(const struct kc_xml *x)
{
    return x->root;
}

static int xfail(struct kc_xml *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int xfail(struct kc_xml *x, const char *fmt, ...)
{
    int k = snprintf(x->msg, sizeof x->msg, "line %lu: ", x->line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->msg + k, sizeof x->msg - (size_t)k, fmt, ap);
    va_end(ap);
    x->failed = 1;
    return -1;
}

static int is_ws(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_name_start(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == ':' || c >= 0x80;
}

static int is_name_char(uint32_t c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static size_t put_utf8(char *u, uint32_t c)
{
    if (c < 0x80) {
        u[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    u[0] = (char)(0xF0 | (c >> 18));
    u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Appends the N bytes at S to the growable buffer *B (of *LEN bytes in
 * *CAP, at most MAX), NUL-terminable; -1 when it would pass MAX or memory
 * is out. */
static int grow_bytes(char **b, size_t *len, size_t *cap, size_t max,
                      const unsigned char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t ncap = *cap ? *cap : 256;
        while (ncap < *len + n + 1 && ncap < max)
            ncap *= 2;
        if (ncap > max)
            ncap = max;
        if (*len + n + 1 > ncap)
            return -1;
        char *nb = realloc(*b, ncap);
        if (!nb)
            return -1;
        *b = nb;
        *cap = ncap;
    }
    memcpy(*b + *len, s, n);
    *len += n;
    return 0;
}

/* Appends code point C to the growable buffer *B (LEN, CAP), at most MAX
 * bytes: 0 or -1. */
static int grow_add(char **b, size_t *len, size_t *cap, size_t max, uint32_t c)
{
    char u[4];
    size_t k = put_utf8(u, c);
    return grow_bytes(b, len, cap, max, (const unsigned char *)u, k);
}

/* The length of the run of ASCII name characters at P (N bytes). */
static size_t name_run(const unsigned char *p, size_t n)
{
    size_t j = 0;
    while (j < n && p[j] < 0x80 && is_name_char(p[j]))
        j++;
    return j;
}

/* Where character data goes after markup ends. */
static int outside(const struct kc_xml *x)
{
    return x->depth > 0 ? X_TEXT : X_TOP;
}

/* The name of the innermost open element, for messages. */
static void top_name(const struct kc_xml *x, const char **s, int *n)
{
    size_t st = x->starts[x->depth - 1];
    *s = x->names + st;
    *n = (int)(x->nlen - st < 200 ? x->nlen - st : 200);
}

/* A start tag's name is complete. */
static int stag_named(struct kc_xml *x)
{
    if (x->depth == 1) {
        size_t k = x->nlen < sizeof x->root - 1 ? x->nlen : sizeof x->root - 1;
        memcpy(x->root, x->names, k);
        x->root[k] = '\0';
    }
    x->alen = 0;
    return 0;
}

/* An attribute's name is complete: it must be new in its tag. */
static int attr_named(struct kc_xml *x)
{
    const char *cur = x->attrs + x->astart;
    size_t clen = x->alen - x->astart;
    for (size_t i = 0; i < x->astart;) {
        size_t l = strlen(x->attrs + i);
        if (l == clen && memcmp(x->attrs + i, cur, clen) == 0)
            return xfail(x, "attribute %.*s given twice", (int)clen, cur);
        i += l + 1;
    }
    if (x->alen + 1 >= x->acap && x->alen + 1 > MAX_ATTRS)
        return xfail(x, "too many attributes");
    if (grow_add(&x->attrs, &x->alen, &x->acap, MAX_ATTRS, 0) != 0)
        return xfail(x, "too many attributes");
    return 0;
}

/* A start tag ends ('>' or "/>"). */
static int stag_end(struct kc_xml *x, int empty)
{
    if (empty) {
        x->nlen = x->starts[--x->depth];
        if (x->depth == 0)
            x->root_done = 1;
    }
    x->state = outside(x);
    return 0;
}

/* An end tag's name is complete: it must close the innermost element. */
static int etag_end(struct kc_xml *x)
{
    const char *s;
    int n;
    top_name(x, &s, &n);
    if (x->starts[x->depth - 1] + x->cmp != x->nlen)
        return xfail(x, "end tag </%.*s> does not match <%.*s>", (int)x->elen,
                     x->ename, n, s);
    x->nlen = x->starts[--x->depth];
    if (x->depth == 0)
        x->root_done = 1;
    return 0;
}

static int ref_end(struct kc_xml *x)
{
    static const char *const ents[] = {"lt", "gt", "amp", "apos", "quot"};
    for (int i = 0; i < 5; i++)
        if ((int)strlen(ents[i]) == x->reflen &&
            memcmp(ents[i], x->ref, (size_t)x->reflen) == 0)
            return 0;
    return xfail(x, "unknown entity &%.*s; (only the five predefined ones)",
                 x->reflen, x->ref);
}

/* One code point C. */
static int step(struct kc_xml *x, uint32_t c)
{
    if (!is_xml_char(c))
        return xfail(x, "character U+%04X is not allowed in XML", c);
    if (x->first) {
        if (c == 0xFEFF && !x->bom) {
            x->bom = 1; /* a byte-order mark, once, before anything */
            return 0;
        }
        x->first = 0;
        x->decl_ok = c == '<'; /* the declaration must come first */
    } else if (x->state == X_LT && c != '?') {
        x->decl_ok = 0;
    }
    switch (x->state) {
    case X_TOP:
        if (c == '<') {
            x->state = X_LT;
        } else if (!is_ws(c)) {
            return xfail(x, x->root_done ? "text after the root element"
                                         : "text before the root element");
        }
        return 0;
    case X_TEXT:
        if (c == '<') {
            x->state = X_LT;
        } else if (c == '&') {
            x->ret = X_TEXT;
            x->state = X_REF0;
        } else if (c == '>' && x->brackets >= 2) {
            return xfail(x, "\"]]>\" in text");
        }
        x->brackets = c == ']' ? x->brackets + 1 : 0;
        return 0;
    case X_LT:
        if (c == '/') {
            if (x->depth == 0)
                return xfail(x, "end tag with no open element");
            x->cmp = 0;
            x->elen = 0;
            x->state = X_ETAG0;
        } else if (c == '!') {
            x->state = X_BANG;
        } else if (c == '?') {
            x->pitlen = 0;
            x->state = X_PI_T0;
        } else if (is_name_start(c)) {
            if (x->root_done)
                return xfail(x, "a second root element");
            if (x->depth == MAX_DEPTH)
                return xfail(x, "more than %d nested elements", MAX_DEPTH);
            x->root_seen = 1;
            x->starts[x->depth++] = x->nlen;
            if (grow_add(&x->names, &x->nlen, &x->ncap, MAX_NAMES, c) != 0)
                return xfail(x, "element names too long");
            x->state = X_STAG_NAME;
        } else {
            return xfail(x, "'<' not followed by a name");
        }
        return 0;
    case X_STAG_NAME:
        if (is_name_char(c)) {
            if (grow_add(&x->names, &x->nlen, &x->ncap, MAX_NAMES, c) != 0)
                return xfail(x, "element names too long");
            return 0;
        }
        stag_named(x);
        if (is_ws(c))
            x->state = X_STAG_WS;
        else if (c == '/')
            x->state = X_EMPTY;
        else if (c == '>')
            return stag_end(x, 0);
        else
            return xfail(x, "bad character in a tag's name");
        return 0;
    case X_STAG_WS:
    case X_STAG_AFTER:
        if (is_ws(c)) {
            x->state = X_STAG_WS;
        } else if (c == '/') {
            x->state = X_EMPTY;
        } else if (c == '>') {
            return stag_end(x, 0);
        } else if (is_name_start(c) && x->state == X_STAG_WS) {
            x->astart = x->alen;
            if (grow_add(&x->attrs, &x->alen, &x->acap, MAX_ATTRS, c) != 0)
                return xfail(x, "too many attributes");
            x->state = X_ATTR_NAME;
        } else {
            return xfail(x, x->state == X_STAG_AFTER
                                ? "no space between attributes"
                                : "bad attribute in a start tag");
        }
        return 0;
    case X_ATTR_NAME:
        if (is_name_char(c)) {
            if (grow_add(&x->attrs, &x->alen, &x->acap, MAX_ATTRS, c) != 0)
                return xfail(x, "too many attributes");
            return 0;
        }
        if (attr_named(x) != 0)
            return -1;
        if (is_ws(c))
            x->state = X_ATTR_EQ;
        else if (c == '=')
            x->state = X_ATTR_VAL0;
        else
            return xfail(x, "attribute without '='");
        return 0;
    case X_ATTR_EQ:
        if (c == '=')
            x->state = X_ATTR_VAL0;
        else if (!is_ws(c))
            return xfail(x, "attribute without '='");
        return 0;
    case X_ATTR_VAL0:
        if (c == '"' || c == '\'') {
            x->quote = (int)c;
            x->state = X_ATTR_VAL;
        } else if (!is_ws(c)) {
            return xfail(x, "attribute value without quotes");
        }
        return 0;
    case X_ATTR_VAL:
        if (c == (uint32_t)x->quote) {
            x->state = X_STAG_AFTER;
        } else if (c == '<') {
            return xfail(x, "'<' in an attribute value");
        } else if (c == '&') {
            x->ret = X_ATTR_VAL;
            x->state = X_REF0;
        }
        return 0;
    case X_EMPTY:
        if (c != '>')
            return xfail(x, "'/' not followed by '>' in a start tag");
        return stag_end(x, 1);
    case X_ETAG0:
    case X_ETAG_NAME:
        if (x->state == X_ETAG0 ? is_name_start(c) : is_name_char(c)) {
            char u[4];
            size_t k = put_utf8(u, c);
            size_t st = x->starts[x->depth - 1];
            for (size_t i = 0; i < k; i++) {
                if (x->elen < sizeof x->ename)
                    x->ename[x->elen++] = u[i];
                if (st + x->cmp < x->nlen && x->names[st + x->cmp] == u[i])
                    x->cmp++;
                else
                    x->cmp = (size_t)-1 / 2; /* can no longer match */
            }
            x->state = X_ETAG_NAME;
            return 0;
        }
        if (x->state == X_ETAG0)
            return xfail(x, "\"</\" not followed by a name");
        if (c == '>') {
            if (etag_end(x) != 0)
                return -1;
            x->state = outside(x);
        } else if (is_ws(c)) {
            x->state = X_ETAG_WS;
        } else {
            return xfail(x, "bad character in an end tag");
        }
        return 0;
    case X_ETAG_WS:
        if (c == '>') {
            if (etag_end(x) != 0)
                return -1;
            x->state = outside(x);
        } else if (!is_ws(c)) {
            return xfail(x, "bad character in an end tag");
        }
        return 0;
    case X_BANG:
        if (c == '-') {
            x->state = X_BANG_DASH;
        } else if (c == '[') {
            if (x->depth == 0)
                return xfail(x, "CDATA section outside the root element");
            x->match = 0;
            x->state = X_CDATA_OPEN;
        } else if (c == 'D') {
            x->match = 1;
            x->state = X_DOCTYPE;
        } else {
            return xfail(x, "bad markup after \"<!\"");
        }
        return 0;
    case X_BANG_DASH:
        if (c != '-')
            return xfail(x, "bad comment (\"<!-\" not followed by '-')");
        x->state = X_COMMENT;
        return 0;
    case X_COMMENT:
        if (c == '-')
            x->state = X_COMMENT_D1;
        return 0;
    case X_COMMENT_D1:
        x->state = c == '-' ? X_COMMENT_D2 : X_COMMENT;
        return 0;
    case X_COMMENT_D2:
        if (c != '>')
            return xfail(x, "\"--\" inside a comment");
        x->state = outside(x);
        return 0;
    case X_CDATA_OPEN:
        if (c != (uint32_t) "CDATA["[x->match])
            return xfail(x, "bad markup after \"<![\"");
        if (++x->match == 6)
            x->state = X_CDATA;
        return 0;
    case X_CDATA:
        if (c == ']')
            x->state = X_CDATA_B1;
        return 0;
    case X_CDATA_B1:
        x->state = c == ']' ? X_CDATA_B2 : X_CDATA;
        return 0;
    case X_CDATA_B2:
        if (c == '>')
            x->state = X_TEXT;
        else if (c != ']')
            x->state = X_CDATA;
        return 0;
    case X_DOCTYPE:
        if (c != (uint32_t) "DOCTYPE"[x->match])
            return xfail(x, "bad markup after \"<!\"");
        if (++x->match == 7) {
            if (x->depth != 0)
                return xfail(x, "a DOCTYPE declaration inside an element");
            x->state = X_DOCTYPE_BODY;
        }
        return 0;
    case X_DOCTYPE_BODY:
        /* a DOCTYPE naming an external DTD, which is never read (as
         * LibreOffice writes for Basic modules and dialogs), is allowed;
         * an internal subset, where entities could be declared, is not */
        if (c == '"' || c == '\'') {
            x->quote = (int)c;
            x->state = X_DOCTYPE_Q;
        } else if (c == '[') {
            return xfail(x, "a DOCTYPE declaration with an internal subset "
                            "(refused: its entities can expand without "
                            "bound)");
        } else if (c == '>') {
            x->state = outside(x);
        }
        return 0;
    case X_DOCTYPE_Q:
        if (c == (uint32_t)x->quote)
            x->state = X_DOCTYPE_BODY;
        return 0;
    case X_PI_T0:
    case X_PI_T:
        if (x->state == X_PI_T0 ? is_name_start(c) : is_name_char(c)) {
            if (x->pitlen < 4)
                x->pit[x->pitlen] = (char)(c < 0x80 ? c : '?');
            x->pitlen++;
            x->state = X_PI_T;
            return 0;
        }
        if (x->state == X_PI_T0)
            return xfail(x, "\"<?\" not followed by a name");
        if (x->pitlen == 3 && strncasecmp(x->pit, "xml", 3) == 0 && !x->decl_ok)
            return xfail(x, "XML declaration not at the start");
        x->decl_ok = 0;
        if (is_ws(c))
            x->state = X_PI_BODY;
        else if (c == '?')
            x->state = X_PI_Q;
        else
            return xfail(x, "bad processing instruction");
        return 0;
    case X_PI_BODY:
        if (c == '?')
            x->state = X_PI_Q;
        return 0;
    case X_PI_Q:
        if (c == '>')
            x->state = outside(x);
        else if (c != '?')
            x->state = X_PI_BODY;
        return 0;
    case X_REF0:
        if (c == '#') {
            x->refval = 0;
            x->state = X_CREF0;
        } else if (is_name_start(c)) {
            x->ref[0] = (char)(c < 0x80 ? c : '?');
            x->reflen = 1;
            x->state = X_REF_NAME;
        } else {
            return xfail(x, "'&' not followed by a reference");
        }
        return 0;
    case X_REF_NAME:
        if (c == ';') {
            if (ref_end(x) != 0)
                return -1;
            x->state = x->ret;
        } else if (is_name_char(c)) {
            if (x->reflen == (int)sizeof x->ref)
                return xfail(x, "unknown entity &%.*s...;", x->reflen, x->ref);
            x->ref[x->reflen++] = (char)(c < 0x80 ? c : '?');
        } else {
            return xfail(x, "a reference not ended by ';'");
        }
        return 0;
    case X_CREF0:
        if (c == 'x') {
            x->state = X_CREF_HEX0;
            return 0;
        }
        /* fall through */
    case X_CREF_DEC:
    case X_CREF_HEX0:
    case X_CREF_HEX: {
        int hex = x->state == X_CREF_HEX0 || x->state == X_CREF_HEX;
        int d = c >= '0' && c <= '9'          ? (int)(c - '0')
                : hex && c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
                : hex && c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10)
                                              : -1;
        if (d >= 0) {
            x->refval = x->refval * (hex ? 16 : 10) + (uint32_t)d;
            if (x->refval > 0x10FFFF)
                x->refval = 0x110000; /* stays out of range */
            x->state = hex ? X_CREF_HEX : X_CREF_DEC;
            return 0;
        }
        if (c != ';' || x->state == X_CREF0 || x->state == X_CREF_HEX0)
            return xfail(x, "bad character reference");
        if (!is_xml_char(x->refval))
            return xfail(x, "character reference to a character that is "
                            "not allowed in XML");
        x->state = x->ret;
        return 0;
    }
    }
    return xfail(x, "internal error");
}

int kc_xml_feed(struct kc_xml *x, const unsigned char *p, size_t n,
                struct kc_err *err)
{
    for (size_t i = 0; i < n && !x->failed; i++) {
        unsigned b = p[i];
        if (x->need == 0) {
            if (b < 0x80 && is_name_char(b) &&
                (x->state == X_STAG_NAME || x->state == X_ATTR_NAME ||
                 x->state == X_ETAG_NAME)) {
                /* fast path: the rest of a name */
                size_t k = name_run(p + i, n - i);
                int bad;
                if (x->state == X_STAG_NAME) {
                    bad = grow_bytes(&x->names, &x->nlen, &x->ncap, MAX_NAMES,
                                     p + i, k);
                    if (bad)
                        xfail(x, "element names too long");
                } else if (x->state == X_ATTR_NAME) {
                    bad = grow_bytes(&x->attrs, &x->alen, &x->acap, MAX_ATTRS,
                                     p + i, k);
                    if (bad)
                        xfail(x, "too many attributes");
                } else {
                    size_t st = x->starts[x->depth - 1];
                    size_t e = k < sizeof x->ename - x->elen
                                   ? k
                                   : sizeof x->ename - x->elen;
                    memcpy(x->ename + x->elen, p + i, e);
                    x->elen += e;
                    if (x->cmp <= x->nlen - st && k <= x->nlen - st - x->cmp &&
                        memcmp(x->names + st + x->cmp, p + i, k) == 0)
                        x->cmp += k;
                    else
                        x->cmp = (size_t)-1 / 2; /* can no longer match */
                }
                i += k - 1;
                continue;
            }
            if (b < 0x80) {
                /* fast path: plain text and attribute values */
                if (x->state == X_TEXT && !x->first) {
                    size_t j = i;
                    while (j < n) {
                        unsigned d = p[j];
                        if (d == '\n')
                            x->line++;
                        else if (d < 0x20 ? d != '\t' && d != '\r'
                                          : d >= 0x80 || d == '<' || d == '&' ||
                                                d == ']' || d == '>')
                            break;
                        j++;
                    }
                    if (j > i) {
                        x->brackets = 0;
                        i = j - 1;
                        continue;
                    }
                } else if (x->state == X_ATTR_VAL) {
                    size_t j = i;
                    while (j < n) {
                        unsigned d = p[j];
                        if (d == '\n')
                            x->line++;
                        else if (d < 0x20 ? d != '\t' && d != '\r'
                                          : d >= 0x80 || d == '<' || d == '&' ||
                                                d == (unsigned)x->quote)
                            break;
                        j++;
                    }
                    if (j > i) {
                        i = j - 1;
                        continue;
                    }
                }
                if (b == '\n')
                    x->line++;
                step(x, b);
            } else if (b >= 0xC2 && b <= 0xDF) {
                x->need = 1, x->acc = b & 0x1F, x->min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                x->need = 2, x->acc = b & 0x0F, x->min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                x->need = 3, x->acc = b & 0x07, x->min = 0x10000;
            } else {
                xfail(x, "invalid UTF-8 (byte 0x%02X)", b);
            }
        } else if ((b & 0xC0) != 0x80) {
            xfail(x, "invalid UTF-8 (byte 0x%02X)", b);
        } else {
            x->acc = x->acc << 6 | (b & 0x3F);
            if (--x->need == 0) {
                if (x->acc < x->min || x->acc > 0x10FFFF ||
                    (x->acc >= 0xD800 && x->acc <= 0xDFFF))
                    xfail(x, "invalid UTF-8 (U+%04X badly encoded)", x->acc);
                else
                    step(x, x->acc);
            }
        }
    }
    if (x->failed)
        return kc_err_set(err, "%s", x->msg);
    return 0;
}

int kc_xml_finish(struct kc_xml *x, struct kc_err *err)
{
    if (x->failed)
        return kc_err_set(err, "%s", x->msg);
    if (x->need)
        xfail(x, "ends inside a UTF-8 character (truncated?)");
    else if (!x->root_seen)
        xfail(x, "no root element");
    else if (x->depth > 0) {
        const char *s;
        int n;
        top_name(x, &s, &n);
        xfail(x, "ends inside element <%.*s> (truncated?)", n, s);
    } else if (x->state != X_TOP)
        xfail(x, "ends inside markup (truncated?)");
    if (x->failed)
        return kc_err_set(err, "%s", x->msg);
    return 0;
}

/* ------------------------------------------------------------------ */
/* R2-R7: ods and xlsx through the ZIP check's visitor                 */

struct zipout {
    int xlsx;
    int has_manifest, has_content, has_types, has_workbook;
    int is_mimetype, is_content; /* the member being read */
    char mimetype[64];
    size_t mlen;
    struct kc_xml *xml;
    char part[128];
};

static int name_is(const struct kc_zip_member *m, const char *s)
{
    return m->name_len == strlen(s) && memcmp(m->name, s, m->name_len) == 0;
}

static int name_ends(const struct kc_zip_member *m, const char *s)
{
    size_t k = strlen(s);
    return m->name_len >= k && memcmp(m->name + m->name_len - k, s, k) == 0;
}

static const char odf_mime[] = "application/vnd.oasis.opendocument.spreadsheet";

static int zo_begin(void *ctx, const struct kc_zip_member *m,
                    struct kc_err *err)
{
    struct zipout *z = ctx;
    int shown = (int)(m->name_len < 100 ? m->name_len : 100);
    snprintf(z->part, sizeof z->part, "%.*s", shown, m->name);
    z->is_mimetype = z->is_content = 0;
    if (m->encrypted)
        return kc_err_set(err, "member %s is encrypted", z->part);

    if (!z->xlsx) {
        if (m->local_offset == 0) { /* R3 */
            if (!name_is(m, "mimetype"))
                return kc_err_set(
                    err,
                    "not an OpenDocument file: its first member is "
                    "%s, not mimetype",
                    z->part);
            if (m->method != 0)
                return kc_err_set(
                    err, "its mimetype member is compressed (it must be "
                         "stored)");
            z->is_mimetype = 1;
            z->mlen = 0;
            return 1;
        }
        z->has_manifest |= name_is(m, "META-INF/manifest.xml");
        z->is_content = name_is(m, "content.xml");
        z->has_content |= z->is_content;
    } else {
        z->has_types |= name_is(m, "[Content_Types].xml");
        z->has_workbook |= name_is(m, "xl/workbook.xml");
    }
    if (name_ends(m, ".xml") || (z->xlsx && name_ends(m, ".rels"))) {
        z->xml = kc_xml_new();
        if (!z->xml)
            return kc_err_set(err, "out of memory");
        return 1;
    }
    return 0;
}

static int zo_data(void *ctx, const unsigned char *p, size_t n,
                   struct kc_err *err)
{
    struct zipout *z = ctx;
    if (z->is_mimetype) {
        if (n > sizeof z->mimetype - z->mlen)
            n = sizeof z->mimetype - z->mlen;
        memcpy(z->mimetype + z->mlen, p, n);
        z->mlen += n;
        return 0;
    }
    if (kc_xml_feed(z->xml, p, n, err) != 0)
        return kc_err_wrap(err, "%s: ", z->part);
    return 0;
}

static int zo_end(void *ctx, struct kc_err *err)
{
    struct zipout *z = ctx;
    if (z->is_mimetype) {
        z->is_mimetype = 0;
        if (z->mlen != sizeof odf_mime - 1 ||
            memcmp(z->mimetype, odf_mime, z->mlen) != 0)
            return kc_err_set(err,
                              "not an OpenDocument spreadsheet: its mimetype "
                              "member says %.*s",
                              (int)z->mlen, z->mimetype);
        return 0;
    }
    int rc = kc_xml_finish(z->xml, err);
    if (rc != 0)
        kc_err_wrap(err, "%s: ", z->part);
    else if (z->is_content &&
             strcmp(kc_xml_root(z->xml), "office:document-content") != 0)
        rc = kc_err_set(err,
                        "content.xml: its root element is <%s>, not "
                        "<office:document-content>",
                        kc_xml_root(z->xml));
    kc_xml_free(z->xml);
    z->xml = NULL;
    return rc;
}

static int check_zipped(const unsigned char *m, size_t size, int xlsx,
                        struct kc_err *err)
{
    struct zipout z;
    memset(&z, 0, sizeof z);
    z.xlsx = xlsx;
    struct kc_zip_visitor vis = {&z, zo_begin, zo_data, zo_end};
    int rc = kc_zip_scan(m, size, NULL, &vis, NULL, err);
    kc_xml_free(z.xml);
    if (rc != 0)
        return -1;
    if (!xlsx) {
        if (!z.has_manifest)
            return kc_err_set(err, "no member META-INF/manifest.xml");
        if (!z.has_content)
            return kc_err_set(err, "no member content.xml");
        return 0;
    }
    if (!z.has_types)
        return kc_err_set(err, "no member [Content_Types].xml");
    if (!z.has_workbook)
        return kc_err_set(err, "no member xl/workbook.xml");
    return 0;
}

/* R8 */
static int check_fods(const unsigned char *m, size_t size, struct kc_err *err)
{
    struct kc_xml *x = kc_xml_new();
    if (!x)
        return kc_err_set(err, "out of memory");
    int rc = kc_xml_feed(x, m, size, err);
    if (rc == 0)
        rc = kc_xml_finish(x, err);
    if (rc != 0)
        kc_err_wrap(err, "not well-formed XML: ");
    else if (strcmp(kc_xml_root(x), "office:document") != 0)
        rc = kc_err_set(
            err, "not a flat OpenDocument file: its root element is <%s>",
            kc_xml_root(x));
    kc_xml_free(x);
    return rc;
}

/* ------------------------------------------------------------------ */
/* R9-R12: xls                                                          */

#define FREESECT 0xFFFFFFFFu
#define ENDOFCHAIN 0xFFFFFFFEu
#define FATSECT 0xFFFFFFFDu
#define DIFSECT 0xFFFFFFFCu

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

struct ole {
    const unsigned char *m;
    size_t size;
    uint32_t ss;     /* sector size */
    uint32_t nsect;  /* sectors wholly inside the file */
    uint32_t *fat;   /* FAT entries */
    uint32_t nfat;   /* how many */
    uint32_t *chain; /* scratch: a chain's sectors */
    struct kc_err *err;
};

static const unsigned char *sector(const struct ole *o, uint32_t s)
{
    return o->m + (size_t)(s + 1) * o->ss;
}

/* R10: the FAT, read through the header's and the DIFAT's lists. */
static int ole_fat(struct ole *o)
{
    const unsigned char *h = o->m;
    uint32_t nfs = le32(h + 0x2C), difat = le32(h + 0x44),
             ndifat = le32(h + 0x48);
    uint32_t per = o->ss / 4;
    if (nfs == 0 || nfs > o->nsect)
        return kc_err_set(o->err, "damaged OLE2 file: it claims %u FAT sectors",
                          nfs);
    if (ndifat > o->nsect)
        return kc_err_set(
            o->err, "damaged OLE2 file: it claims %u DIFAT sectors", ndifat);
    uint32_t *list = malloc((size_t)nfs * sizeof *list);
    unsigned char *seen = calloc(o->nsect, 1);
    o->fat = malloc((size_t)nfs * per * sizeof *o->fat);
    if (!list || !seen || !o->fat) {
        free(list);
        free(seen);
        return kc_err_set(o->err, "out of memory");
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < 109 && k < nfs; i++)
        list[k++] = le32(h + 0x4C + 4 * i);
    uint32_t s = difat;
    for (uint32_t d = 0; d < ndifat && k < nfs; d++) {
        if (s >= o->nsect || seen[s]) {
            free(list);
            free(seen);
            return kc_err_set(o->err,
                              s >= o->nsect
                                  ? "damaged OLE2 file: its DIFAT chain leaves "
                                    "the file (truncated?)"
                                  : "damaged OLE2 file: its DIFAT chain is a "
                                    "cycle");
        }
        seen[s] = 1;
        const unsigned char *p = sector(o, s);
        for (uint32_t i = 0; i < per - 1 && k < nfs; i++)
            list[k++] = le32(p + 4 * i);
        s = le32(p + 4 * (per - 1));
    }
    free(seen);
    if (k < nfs) {
        free(list);
        return kc_err_set(o->err,
                          "damaged OLE2 file: its DIFAT lists %u of its %u FAT "
                          "sectors",
                          k, nfs);
    }
    for (uint32_t i = 0; i < nfs; i++) {
        if (list[i] >= o->nsect) {
            uint32_t bad = list[i];
            free(list);
            return kc_err_set(
                o->err,
                "damaged OLE2 file: FAT sector %u lies outside the "
                "file (truncated?)",
                bad);
        }
        const unsigned char *p = sector(o, list[i]);
        for (uint32_t j = 0; j < per; j++)
            o->fat[(size_t)i * per + j] = le32(p + 4 * j);
    }
    free(list);
    o->nfat = nfs * per;
    /* every entry; the sectors beyond the file unused; in-degree <= 1 */
    unsigned char *in = calloc(o->nsect, 1);
    if (!in)
        return kc_err_set(o->err, "out of memory");
    int rc = 0;
    for (uint32_t i = 0; i < o->nfat && rc == 0; i++) {
        uint32_t v = o->fat[i];
        if (i >= o->nsect) {
            if (v != FREESECT)
                rc = kc_err_set(
                    o->err,
                    "damaged OLE2 file: sector %u is in use but lies "
                    "beyond the end of the file (truncated?)",
                    i);
        } else if (v < o->nsect) {
            if (in[v]++)
                rc = kc_err_set(
                    o->err,
                    "damaged OLE2 file: two FAT chains lead to sector "
                    "%u",
                    v);
        } else if (v < DIFSECT) {
            rc =
                kc_err_set(o->err,
                           "damaged OLE2 file: FAT entry %u points outside the "
                           "file (sector %u; truncated?)",
                           i, v);
        }
    }
    /* acyclic: with in-degrees <= 1, what the chain heads do not reach is
     * a cycle */
    unsigned char *reach = rc == 0 ? calloc(o->nsect, 1) : NULL;
    if (rc == 0 && !reach)
        rc = kc_err_set(o->err, "out of memory");
    for (uint32_t i = 0; rc == 0 && i < o->nsect && i < o->nfat; i++) {
        if (in[i] || o->fat[i] >= o->nsect)
            continue;
        for (uint32_t c = i; c < o->nsect && c < o->nfat && !reach[c];
             c = o->fat[c])
            reach[c] = 1;
    }
    for (uint32_t i = 0; rc == 0 && i < o->nsect && i < o->nfat; i++)
        if (o->fat[i] < o->nsect && !reach[i])
            rc =
                kc_err_set(o->err,
                           "damaged OLE2 file: the FAT chain through sector %u "
                           "is a cycle",
                           i);
    free(reach);
    free(in);
    return rc;
}

/* Follows the FAT chain from START into o->chain: its length, or
 * (uint32_t)-1 when it leaves the file (the FAT is acyclic by now). */
static uint32_t ole_chain(struct ole *o, uint32_t start)
{
    uint32_t n = 0;
    for (uint32_t s = start; s != ENDOFCHAIN; s = o->fat[s]) {
        if (s >= o->nsect || s >= o->nfat || n >= o->nsect)
            return (uint32_t)-1;
        o->chain[n++] = s;
    }
    return n;
}

/* A stream: the file offsets of its sectors of LEN bytes. */
struct ostream {
    size_t *off;
    uint32_t len;
    uint64_t size;
};

static int check_xls(const unsigned char *m, size_t size, struct kc_err *err)
{
    static const unsigned char magic[8] = {0xd0, 0xcf, 0x11, 0xe0,
                                           0xa1, 0xb1, 0x1a, 0xe1};
    if (size < 512 || memcmp(m, magic, 8) != 0)
        return kc_err_set(err,
                          size < 512 && size >= 8 && memcmp(m, magic, 8) == 0
                              ? "truncated OLE2 file (%zu bytes)"
                              : "not an OLE2 compound file (%zu bytes, no OLE2 "
                                "header)",
                          size);
    uint32_t major = le16(m + 0x1A), shift = le16(m + 0x1E);
    if (le16(m + 0x1C) != 0xFFFE)
        return kc_err_set(err, "damaged OLE2 file: bad byte order mark");
    if (!((major == 3 && shift == 9) || (major == 4 && shift == 12)))
        return kc_err_set(err,
                          "damaged OLE2 file: version %u with sector shift %u",
                          major, shift);
    if (le16(m + 0x20) != 6)
        return kc_err_set(err, "damaged OLE2 file: bad mini sector size");
    struct ole o = {m, size, 1u << shift, 0, NULL, 0, NULL, err};
    if (size < o.ss)
        return kc_err_set(err, "truncated OLE2 file (%zu bytes)", size);
    uint64_t ns = (size - o.ss) / o.ss;
    o.nsect = ns > 0xFFFFFFF0u ? 0xFFFFFFF0u : (uint32_t)ns;
    if (ole_fat(&o) != 0) {
        free(o.fat);
        return -1;
    }
    int rc = -1;
    o.chain = malloc((size_t)(o.nsect ? o.nsect : 1) * sizeof *o.chain);
    uint32_t *mchain = NULL;
    size_t *off = NULL;
    if (!o.chain) {
        kc_err_set(err, "out of memory");
        goto done;
    }
    /* R11: the directory */
    uint32_t ndir = ole_chain(&o, le32(m + 0x30));
    if (ndir == (uint32_t)-1 || ndir == 0) {
        kc_err_set(err, "damaged OLE2 file: its directory chain is broken");
        goto done;
    }
    uint32_t per_dir = o.ss / 128;
    const unsigned char *root = sector(&o, o.chain[0]);
    if (root[0x42] != 5) {
        kc_err_set(err, "damaged OLE2 file: no root entry");
        goto done;
    }
    uint32_t root_start = le32(root + 0x74);
    uint64_t root_size = le32(root + 0x78);
    const unsigned char *wb = NULL;
    for (uint32_t i = 0; i < ndir * per_dir && !wb; i++) {
        const unsigned char *e =
            sector(&o, o.chain[i / per_dir]) + (size_t)(i % per_dir) * 128;
        uint32_t nl = le16(e + 0x40);
        if (e[0x42] != 2 || (nl != 18 && nl != 10))
            continue;
        const char *want = nl == 18 ? "workbook" : "book";
        int same = 1;
        for (uint32_t j = 0; j < nl / 2 - 1 && same; j++) {
            uint32_t ch = le16(e + 2 * j);
            same = ch < 0x80 && (char)(ch | 0x20) == want[j];
        }
        if (same)
            wb = e;
    }
    if (!wb) {
        kc_err_set(
            err, "not an Excel workbook: no Workbook stream in its OLE2 file");
        goto done;
    }
    struct ostream st = {NULL, 0, le32(wb + 0x78)};
    if (major == 4)
        st.size |= (uint64_t)le32(wb + 0x7C) << 32;
    uint32_t start = le32(wb + 0x74);
    if (st.size < le32(m + 0x38)) {
        /* a small stream: in the mini stream, through the mini FAT */
        uint32_t nmf = ole_chain(&o, le32(m + 0x3C));
        if (nmf == (uint32_t)-1) {
            kc_err_set(err, "damaged OLE2 file: its mini FAT chain is "
                            "broken");
            goto done;
        }
        uint32_t nmini = nmf * (o.ss / 4);
        mchain = malloc((size_t)(nmini ? nmini : 1) * sizeof *mchain);
        if (!mchain) {
            kc_err_set(err, "out of memory");
            goto done;
        }
        for (uint32_t i = 0; i < nmini; i++)
            mchain[i] = le32(sector(&o, o.chain[i / (o.ss / 4)]) +
                             4 * (i % (o.ss / 4)));
        uint32_t nms = ole_chain(&o, root_start);
        if (nms == (uint32_t)-1 || (uint64_t)nms * o.ss < root_size) {
            kc_err_set(err, "damaged OLE2 file: its mini stream is broken");
            goto done;
        }
        uint64_t want = (st.size + 63) / 64;
        off = malloc((size_t)(want ? want : 1) * sizeof *off);
        if (!off) {
            kc_err_set(err, "out of memory");
            goto done;
        }
        uint32_t s = start;
        for (uint64_t i = 0; i < want; i++) {
            if (s >= nmini || (uint64_t)(s + 1) * 64 > root_size ||
                i >= nmini) {
                kc_err_set(
                    err,
                    "damaged OLE2 file: the Workbook stream's chain ends "
                    "after %llu of its %llu mini sectors",
                    (unsigned long long)i, (unsigned long long)want);
                goto done;
            }
            off[i] = (size_t)(sector(&o, o.chain[s / (o.ss / 64)]) - m) +
                     (size_t)(s % (o.ss / 64)) * 64;
            s = mchain[s];
        }
        if (s != ENDOFCHAIN) {
            kc_err_set(err,
                       "damaged OLE2 file: the Workbook stream's chain goes on "
                       "past its size");
            goto done;
        }
        st.len = 64;
    } else {
        uint64_t want = (st.size + o.ss - 1) / o.ss;
        uint32_t n = ole_chain(&o, start);
        if (n == (uint32_t)-1 || n < want) {
            kc_err_set(
                err,
                "damaged OLE2 file: the Workbook stream's chain is broken "
                "(%s %llu sectors)",
                n == (uint32_t)-1 ? "it leaves the file, of" : "short of",
                (unsigned long long)want);
            goto done;
        }
        if (n > want) {
            kc_err_set(err,
                       "damaged OLE2 file: the Workbook stream's chain goes on "
                       "past its size");
            goto done;
        }
        off = malloc((size_t)(want ? want : 1) * sizeof *off);
        if (!off) {
            kc_err_set(err, "out of memory");
            goto done;
        }
        for (uint32_t i = 0; i < n; i++)
            off[i] = (size_t)(sector(&o, o.chain[i]) - m);
        st.len = o.ss;
    }
    st.off = off;
    /* R12: BIFF records from the BOF to the globals' EOF */
    uint64_t pos = 0;
    for (uint64_t rec = 0;; rec++) {
        unsigned char hd[6];
        size_t need = rec == 0 ? 6 : 4;
        if (pos > st.size || st.size - pos < need) {
            kc_err_set(
                err, rec == 0 ? "not an Excel workbook: its Workbook stream is "
                                "empty"
                              : "damaged Excel workbook: its Workbook stream "
                                "ends before the EOF record of its globals "
                                "(truncated?)");
            goto done;
        }
        for (size_t i = 0; i < need; i++) {
            uint64_t q = pos + i;
            hd[i] = m[off[q / st.len] + q % st.len];
        }
        uint32_t type = le16(hd), len = le16(hd + 2);
        if (rec == 0) {
            if (type != 0x0809 && type != 0x0409 && type != 0x0209 &&
                type != 0x0009) {
                kc_err_set(
                    err, "damaged Excel workbook: its Workbook stream does not "
                         "start with a BOF record");
                goto done;
            }
            if (type == 0x0809 && len >= 4) {
                unsigned char dt[2];
                for (int i = 0; i < 2; i++) {
                    uint64_t q = pos + 6 + (uint64_t)i;
                    if (q >= st.size) {
                        dt[i] = 0;
                        continue;
                    }
                    dt[i] = m[off[q / st.len] + q % st.len];
                }
                if (le16(dt) != 0x0005) {
                    kc_err_set(err,
                               "damaged Excel workbook: its first substream is "
                               "not the workbook globals");
                    goto done;
                }
            }
        } else if (type == 0x000A) {
            rc = 0;
            break;
        } else if (type == 0x0809 || type == 0x0409 || type == 0x0209 ||
                   type == 0x0009) {
            kc_err_set(err,
                       "damaged Excel workbook: its globals end without an EOF "
                       "record");
            goto done;
        }
        if (st.size - pos - 4 < len) {
            kc_err_set(
                err,
                "damaged Excel workbook: a record of its globals runs past "
                "the end of the Workbook stream (truncated?)");
            goto done;
        }
        pos += 4 + (uint64_t)len;
    }
done:
    free(off);
    free(mchain);
    free(o.chain);
    free(o.fat);
    return rc;
}

/* ------------------------------------------------------------------ */
/* R13-R15: pdf                                                         */

static int pdf_ws(unsigned c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == 0;
}

static int pdf_delim(unsigned c)
{
    return pdf_ws(c) || strchr("()<>[]{}/%", (int)c) != NULL;
}

static const unsigned char *rfind(const unsigned char *h, size_t n,
                                  const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

/* Reads an unsigned integer at *I (after white space): 0, or -1. */
static int pdf_uint(const unsigned char *m, size_t size, size_t *i, uint64_t *v)
{
    while (*i < size && pdf_ws(m[*i]))
        (*i)++;
    size_t j = *i;
    *v = 0;
    while (*i < size && m[*i] >= '0' && m[*i] <= '9' && *i - j < 19)
        *v = *v * 10 + (uint64_t)(m[(*i)++] - '0');
    return *i > j ? 0 : -1;
}

/* Whether "N G obj" starts at offset AT (N given when WANT_N >= 0). */
static int pdf_obj_at(const unsigned char *m, size_t size, uint64_t at,
                      long long want_n)
{
    size_t i = (size_t)at;
    uint64_t n, g;
    if (at >= size || m[i] < '0' || m[i] > '9' ||
        pdf_uint(m, size, &i, &n) != 0 || pdf_uint(m, size, &i, &g) != 0)
        return 0;
    while (i < size && pdf_ws(m[i]))
        i++;
    if (size - i < 3 || memcmp(m + i, "obj", 3) != 0)
        return 0;
    return want_n < 0 || n == (uint64_t)want_n;
}

/* Whether the N bytes at P hold "/Type /Page" (not /Pages). */
static int has_page(const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n, *q = p;
    while ((q = memmem(q, (size_t)(end - q), "/Type", 5)) != NULL) {
        q += 5;
        const unsigned char *r = q;
        while (r < end && pdf_ws(*r))
            r++;
        if (end - r >= 5 && memcmp(r, "/Page", 5) == 0 &&
            (end - r == 5 || pdf_delim(r[5])))
            return 1;
    }
    return 0;
}

struct pagescan {
    unsigned char *buf; /* CARRY bytes kept, then a chunk */
    size_t carry;
    int found;
};

static int page_sink(void *ctx, const unsigned char *p, size_t n)
{
    struct pagescan *ps = ctx;
    memcpy(ps->buf + ps->carry, p, n);
    size_t all = ps->carry + n;
    if (has_page(ps->buf, all)) {
        ps->found = 1;
        return 1; /* enough */
    }
    ps->carry = all < 32 ? all : 32;
    memmove(ps->buf, ps->buf + all - ps->carry, ps->carry);
    return 0;
}

/* R15 in Flate-compressed object streams. */
static int page_in_objstm(const unsigned char *m, size_t size)
{
    if (kc_zlib_load(NULL) != 0)
        return 0;
    struct pagescan ps = {malloc(65536 + 32), 0, 0};
    if (!ps.buf)
        return 0;
    const unsigned char *end = m + size, *q = m;
    while (!ps.found && (q = memmem(q, (size_t)(end - q), "/ObjStm", 7))) {
        q += 7;
        size_t room = (size_t)(end - q) < 4096 ? (size_t)(end - q) : 4096;
        const unsigned char *s = memmem(q, room, "stream", 6);
        const unsigned char *d0 = rfind(m, (size_t)(q - m), "obj");
        if (!s || !d0 || !memmem(d0, (size_t)(s - d0), "/FlateDecode", 12))
            continue;
        s += 6;
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        const unsigned char *e = memmem(s, (size_t)(end - s), "endstream", 9);
        size_t len = (size_t)((e ? e : end) - s);
        ps.carry = 0;
        kc_inflate(s, len, 0, 1ULL << 28, page_sink, &ps, NULL, NULL);
        q = s;
    }
    free(ps.buf);
    return ps.found;
}

static int check_pdf(const unsigned char *m, size_t size, struct kc_err *err)
{
    if (size < 5 || memcmp(m, "%PDF-", 5) != 0)
        return kc_err_set(err, "not a PDF file (no %%PDF- header)");
    size_t tail = size > 1024 ? size - 1024 : 0;
    const unsigned char *eof = rfind(m + tail, size - tail, "%%EOF");
    if (!eof)
        return kc_err_set(err, "no %%%%EOF in its last 1 KiB (truncated?)");
    size_t eofpos = (size_t)(eof - m);
    size_t lo = eofpos > 1024 ? eofpos - 1024 : 0;
    const unsigned char *sx = rfind(m + lo, eofpos - lo, "startxref");
    if (!sx)
        return kc_err_set(err, "no startxref before its %%%%EOF");
    size_t i = (size_t)(sx - m) + 9;
    uint64_t x;
    if (pdf_uint(m, eofpos, &i, &x) != 0)
        return kc_err_set(err, "no offset after its startxref");
    if (x >= size)
        return kc_err_set(err,
                          "its startxref (%llu) points outside the file "
                          "(%zu bytes)",
                          (unsigned long long)x, size);
    if (size - x >= 4 && memcmp(m + x, "xref", 4) == 0) {
        /* a table: subsections "FIRST COUNT", entries of 20 bytes */
        size_t p = (size_t)x + 4;
        for (;;) {
            while (p < size && pdf_ws(m[p]))
                p++;
            if (size - p >= 7 && memcmp(m + p, "trailer", 7) == 0)
                break;
            uint64_t first, count;
            if (pdf_uint(m, size, &p, &first) != 0 ||
                pdf_uint(m, size, &p, &count) != 0)
                return kc_err_set(err,
                                  "its xref table is damaged or has no trailer "
                                  "(truncated?)");
            while (p < size && pdf_ws(m[p]) && m[p] != '\n')
                p++;
            if (p < size && m[p] == '\n')
                p++;
            if (count > (size - p) / 20)
                return kc_err_set(
                    err, "its xref table runs past the end of the file "
                         "(truncated?)");
            for (uint64_t k = 0; k < count; k++, p += 20) {
                const unsigned char *e = m + p;
                if (e[17] != 'n')
                    continue;
                uint64_t o = 0;
                for (int d = 0; d < 10; d++)
                    o = o * 10 +
                        (uint64_t)(e[d] >= '0' && e[d] <= '9' ? e[d] - '0' : 0);
                if (!pdf_obj_at(m, size, o, (long long)(first + k)))
                    return kc_err_set(err,
                                      "its xref table says object %llu is at "
                                      "offset %llu, which holds no such object",
                                      (unsigned long long)(first + k),
                                      (unsigned long long)o);
            }
        }
        size_t sxp = (size_t)(sx - m);
        if (sxp <= p || !memmem(m + p, sxp - p, "/Root", 5))
            return kc_err_set(err, "its trailer names no /Root");
    } else if (pdf_obj_at(m, size, x, -1)) {
        size_t room = size - (size_t)x < 4096 ? size - (size_t)x : 4096;
        const unsigned char *t = memmem(m + x, room, "/Type", 5);
        const unsigned char *s = memmem(m + x, room, "stream", 6);
        size_t j = t ? (size_t)(t - m) + 5 : size;
        while (j < size && pdf_ws(m[j]))
            j++;
        if (!t || (s && s < t) || size - j < 5 ||
            memcmp(m + j, "/XRef", 5) != 0)
            return kc_err_set(
                err,
                "its startxref (%llu) points at an object that is "
                "not an xref stream",
                (unsigned long long)x);
    } else {
        return kc_err_set(
            err,
            "its startxref (%llu) points at neither an xref table "
            "nor an xref stream",
            (unsigned long long)x);
    }
    if (!has_page(m, size) && !page_in_objstm(m, size))
        return kc_err_set(err, "no page object (/Type /Page)");
    return 0;
}

/* ------------------------------------------------------------------ */
/* R16-R18: csv                                                         */

/* The length of the valid UTF-8 sequence at P (N bytes left), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned b = p[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        k = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        k = 3;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        k = 4;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (n < k || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

static int check_csv(const unsigned char *m, size_t size, struct kc_err *err)
{
    size_t i = size >= 3 && memcmp(m, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    if (i == size)
        return 0;
    enum { START, PLAIN, QUOTED, QUOTE } st = START;
    unsigned long line = 1, qline = 0;
    for (; i < size; i++) {
        unsigned c = m[i];
        if (c == 0)
            return kc_err_set(err, "a NUL byte at line %lu", line);
        if (c >= 0x80) {
            size_t k = utf8_len(m + i, size - i);
            if (!k)
                return kc_err_set(err, "invalid UTF-8 at line %lu (byte %zu)",
                                  line, i);
            i += k - 1;
            c = 'a'; /* an ordinary character */
        }
        switch (st) {
        case START:
        case PLAIN:
            if (c == '"') {
                if (st == PLAIN)
                    return kc_err_set(
                        err,
                        "a quote inside an unquoted field at line "
                        "%lu",
                        line);
                st = QUOTED;
                qline = line;
            } else if (c == ',' || c == '\r' || c == '\n') {
                st = START;
            } else {
                st = PLAIN;
            }
            break;
        case QUOTED:
            if (c == '"')
                st = QUOTE;
            break;
        case QUOTE:
            if (c == '"')
                st = QUOTED;
            else if (c == ',' || c == '\r' || c == '\n')
                st = START;
            else
                return kc_err_set(
                    err,
                    "a quote inside a quoted field is not doubled "
                    "at line %lu",
                    line);
            break;
        }
        if (c == '\n')
            line++;
    }
    if (st == QUOTED)
        return kc_err_set(err,
                          "an open quote: the quoted field of line %lu never "
                          "closes (truncated?)",
                          qline);
    if (m[size - 1] != '\n')
        return kc_err_set(err,
                          "it does not end with a line break (truncated?)");
    return 0;
}

/* ------------------------------------------------------------------ */

int kc_output_check_mem(const unsigned char *buf, size_t len, const char *fmt,
                        struct kc_err *err)
{
    const struct kc_format *f = kc_format_find(fmt);
    if (!f)
        return kc_err_set(err, "unknown output format %s",
                          fmt ? fmt : "(none)");
    if (len == 0) /* R1 */
        return (f->flags & KC_FMT_MAY_BE_EMPTY) ? 0
                                                : kc_err_set(err, "empty file");
    switch (f->check) {
    case KC_CHECK_ODS:
    case KC_CHECK_XLSX:
        return check_zipped(buf, len, f->check == KC_CHECK_XLSX, err);
    case KC_CHECK_FODS:
        return check_fods(buf, len, err);
    case KC_CHECK_XLS:
        return check_xls(buf, len, err);
    case KC_CHECK_PDF:
        return check_pdf(buf, len, err);
    case KC_CHECK_CSV:
        return check_csv(buf, len, err);
    }
    return kc_err_set(err, "no check for output format %s", f->name);
}

int kc_output_check(const char *path, const char *fmt, struct kc_err *err)
{
    const unsigned char *m;
    size_t size;
    if (kc_map_file(path, &m, &size, err) != 0)
        return -1;
    int rc = kc_output_check_mem(m, size, fmt, err);
    kc_unmap_file(m, size);
    return rc;
}
