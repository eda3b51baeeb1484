/* Links that lead outside a workbook: a streaming scan of its XML. */
#include "linkcheck.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAG_MAX (1u << 20) /* no real tag comes near 1 MiB */
#define URL_SHOWN 160

enum tag_kind { T_NONE, T_UNKNOWN, T_NORMAL, T_COMMENT, T_CDATA, T_PI, T_DECL };

struct kc_link_scan {
    enum kc_link_kind kind;
    int part_depth; /* folders between the package's root and this part */
    int in_tag;
    enum tag_kind tk;
    char quote;
    int depth;       /* [ ] in a declaration */
    char tail[2];    /* the last two characters of a comment, CDATA, PI */
    char *tag;       /* a normal tag's text, after '<' */
    size_t len, cap; /* of TAG */
    char head[9];    /* the first characters, to tell the kind */
    size_t nhead;
    int failed;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Decodes %XX escapes of IN (N bytes) into OUT (room for N + 1). */
static size_t unpercent(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '%' && i + 2 < n && isxdigit((unsigned char)in[i + 1]) &&
            isxdigit((unsigned char)in[i + 2])) {
            char hex[3] = {in[i + 1], in[i + 2], '\0'};
            out[o++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = '\0';
    return o;
}

/* 1 when URL (N bytes, percent-decoded, trimmed) starts with a scheme. */
static int has_scheme(const char *url, size_t n)
{
    if (n == 0 || !isalpha((unsigned char)url[0]))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = url[i];
        if (c == ':')
            return 1;
        if (!isalnum((unsigned char)c) && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

/* PACKAGE: an OOXML relationship's internal target, a path inside the
 * package whatever it holds ('/' its root, ".." never leaves it): only a
 * scheme or a backslash makes it a URL. */
static int classify(const char *url, size_t len, int package, int depth)
{
    char *a = malloc(len + 1), *b = malloc(len + 1);
    int internal = 0;
    if (!a || !b)
        goto out;
    memcpy(a, url, len);
    a[len] = '\0';
    size_t n = len;
    /* decode until nothing changes: %252e is %2e is '.' to someone */
    for (int round = 0; round < 4; round++) {
        size_t m = unpercent(a, n, b);
        int same = m == n && memcmp(a, b, n) == 0;
        memcpy(a, b, m + 1);
        n = m;
        if (same)
            break;
    }
    char *s = a;
    while (n > 0 && is_space(*s))
        s++, n--;
    while (n > 0 && is_space(s[n - 1]))
        n--;
    s[n] = '\0';
    if (n == 0 || s[0] == '#') {
        internal = 1;
        goto out;
    }
    static const char pkg[] = "vnd.sun.star.Package:";
    if (n >= sizeof pkg - 1 && strncasecmp(s, pkg, sizeof pkg - 1) == 0) {
        s += sizeof pkg - 1;
        n -= sizeof pkg - 1;
    }
    if (memchr(s, '\\', n) || memchr(s, '\0', n) || has_scheme(s, n))
        goto out;
    if (package) {
        internal = 1;
        goto out;
    }
    if (s[0] == '/')
        goto out;
    /* no ".." segment above the package's root (a part DEPTH folders down,
     * an embedded object's, may name the package's own files so) */
    int level = depth;
    for (const char *seg = s; seg <= s + n;) {
        const char *e = memchr(seg, '/', (size_t)(s + n - seg));
        size_t sl = e ? (size_t)(e - seg) : (size_t)(s + n - seg);
        if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            if (--level < 0)
                goto out;
        } else if (sl > 0 && !(sl == 1 && seg[0] == '.')) {
            level++;
        }
        if (!e)
            break;
        seg = e + 1;
    }
    internal = 1;
out:
    free(a);
    free(b);
    return internal;
}

int kc_link_internal(const char *url, size_t len)
{
    return url ? classify(url, len, 0, 0) : 1;
}

/* An attribute: its name and value as in the tag, the value decoded. */
struct attr {
    const char *name;
    size_t nlen;
    char *value; /* decoded, NUL-terminated; NULL when an entity could not
                    be resolved */
    size_t vlen;
};

#define MAX_ATTRS 64

static const char *local_name(const char *name, size_t n, size_t *ln)
{
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (name[i] == ':')
            colon = name + i;
    const char *l = colon ? colon + 1 : name;
    *ln = (size_t)(name + n - l);
    return l;
}

static int name_is(const char *name, size_t n, const char *want)
{
    size_t ln;
    const char *l = local_name(name, n, &ln);
    return ln == strlen(want) && strncasecmp(l, want, ln) == 0;
}

/* Decodes XML's five entities and character references of the N bytes at
 * IN; NULL (with *UNRESOLVED) for any other entity. */
static char *decode(const char *in, size_t n, size_t *outlen, int *unresolved)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    *unresolved = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (in[i] != '&') {
            /* attribute-value normalisation: white space becomes a space */
            out[o++] = is_space(in[i]) ? ' ' : in[i];
            continue;
        }
        const char *semi = memchr(in + i, ';', n - i);
        size_t el = semi ? (size_t)(semi - (in + i)) - 1 : 0;
        const char *e = in + i + 1;
        long cp = -1;
        if (!semi || el == 0)
            cp = -1;
        else if (el == 3 && memcmp(e, "amp", 3) == 0)
            cp = '&';
        else if (el == 2 && memcmp(e, "lt", 2) == 0)
            cp = '<';
        else if (el == 2 && memcmp(e, "gt", 2) == 0)
            cp = '>';
        else if (el == 4 && memcmp(e, "quot", 4) == 0)
            cp = '"';
        else if (el == 4 && memcmp(e, "apos", 4) == 0)
            cp = '\'';
        else if (e[0] == '#' && el > 1 && el < 12) {
            char num[16];
            memcpy(num, e + 1, el - 1);
            num[el - 1] = '\0';
            char *end;
            int hex = num[0] == 'x';
            cp = strtol(num + hex, &end, hex ? 16 : 10);
            if (*end || end == num + hex)
                cp = -1;
        }
        if (cp < 0) {
            *unresolved = 1;
            free(out);
            return NULL;
        }
        /* only ASCII matters to the verdict: others stand as one byte */
        out[o++] = cp < 128 ? (char)cp : (char)0x80;
        i += el + 1;
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

static void refuse(struct kc_err *err, const char *elem, size_t elen,
                   const char *what, const char *url)
{
    kc_err_set(err, KC_LINK_REFUSED ": <%.*s> %s %.*s%s", (int)elen, elem, what,
               URL_SHOWN, url ? url : "(an unresolvable entity)",
               url && strlen(url) > URL_SHOWN ? "..." : "");
}

static const struct attr *find(const struct attr *a, int n, const char *local)
{
    for (int i = 0; i < n; i++)
        if (name_is(a[i].name, a[i].nlen, local))
            return &a[i];
    return NULL;
}

/* The last segment of a relationship type URI. */
static int type_is(const struct attr *type, const char *last)
{
    if (!type || !type->value)
        return 0;
    const char *slash = strrchr(type->value, '/');
    const char *l = slash ? slash + 1 : type->value;
    return strcasecmp(l, last) == 0;
}

static int check_rels(const char *elem, size_t elen, const struct attr *a,
                      int n, struct kc_err *err)
{
    if (!name_is(elem, elen, "Relationship"))
        return 0;
    const struct attr *target = find(a, n, "Target");
    const struct attr *mode = find(a, n, "TargetMode");
    const struct attr *type = find(a, n, "Type");
    if (!target)
        return 0;
    int external =
        mode && (!mode->value || strcasecmp(mode->value, "Internal") != 0);
    int outside = external || !target->value ||
                  !classify(target->value, target->vlen, 1, 0);
    if (!outside)
        return 0;
    /* a hyperlink is not fetched; a cell reference to another workbook
     * keeps its cached values (links are never updated) */
    if (type_is(type, "hyperlink") || type_is(type, "externalLinkPath") ||
        type_is(type, "xlPathMissing"))
        return 0;
    char what[96];
    const char *slash = type && type->value ? strrchr(type->value, '/') : NULL;
    snprintf(what, sizeof what, "(%s) to",
             slash                 ? slash + 1
             : type && type->value ? type->value
                                   : "?");
    refuse(err, elem, elen, what, target->value);
    return -1;
}

static int check_xml(const char *elem, size_t elen, const struct attr *a, int n,
                     int depth, struct kc_err *err)
{
    for (int i = 0; i < n; i++) {
        int is_url = name_is(a[i].name, a[i].nlen, "href") ||
                     name_is(a[i].name, a[i].nlen, "src") ||
                     name_is(a[i].name, a[i].nlen, "image-data") ||
                     name_is(a[i].name, a[i].nlen, "sourceFile") ||
                     (name_is(elem, elen, "webPr") &&
                      name_is(a[i].name, a[i].nlen, "url"));
        if (!is_url)
            continue;
        if (a[i].value && classify(a[i].value, a[i].vlen, 0, depth))
            continue;
        /* a chart's data: ".." is the document that holds the chart */
        if (name_is(elem, elen, "chart") && a[i].value &&
            (strcmp(a[i].value, "..") == 0 || strcmp(a[i].value, "../") == 0))
            continue;
        /* hyperlinks, form targets and script bindings are not fetched */
        if (name_is(elem, elen, "a") || name_is(elem, elen, "event-listener") ||
            name_is(elem, elen, "form") || name_is(elem, elen, "button"))
            continue;
        /* the cached copy of a reference to another workbook */
        const struct attr *mode = find(a, n, "mode");
        if (name_is(elem, elen, "table-source") && mode && mode->value &&
            strcmp(mode->value, "copy-results-only") == 0)
            continue;
        /* a template on this machine: only its date is read */
        if (name_is(elem, elen, "template") && a[i].value &&
            (!has_scheme(a[i].value, a[i].vlen) ||
             strncasecmp(a[i].value, "file:", 5) == 0))
            continue;
        refuse(err, elem, elen, "to", a[i].value);
        return -1;
    }
    return 0;
}

/* Parses the normal tag T (LEN bytes after '<', without '>'). */
static int check_tag(const struct kc_link_scan *s, const char *t, size_t len,
                     struct kc_err *err)
{
    if (len == 0 || t[0] == '/')
        return 0;
    size_t i = 0;
    while (i < len && !is_space(t[i]) && t[i] != '/')
        i++;
    const char *elem = t;
    size_t elen = i;
    struct attr a[MAX_ATTRS];
    int n = 0, rc = 0;
    while (rc == 0) {
        while (i < len && is_space(t[i]))
            i++;
        if (i >= len || t[i] == '/')
            break;
        size_t ns = i;
        while (i < len && !is_space(t[i]) && t[i] != '=' && t[i] != '/')
            i++;
        size_t nl = i - ns;
        while (i < len && is_space(t[i]))
            i++;
        if (i >= len || t[i] != '=' || nl == 0) {
            kc_err_set(err, "malformed XML: <%.*s> has a bad attribute",
                       (int)(elen > 60 ? 60 : elen), elem);
            rc = -1;
            break;
        }
        i++;
        while (i < len && is_space(t[i]))
            i++;
        char q = i < len ? t[i] : 0;
        const char *close =
            q == '"' || q == '\'' ? memchr(t + i + 1, q, len - i - 1) : NULL;
        if (!close) {
            kc_err_set(err, "malformed XML: <%.*s> has a bad attribute",
                       (int)(elen > 60 ? 60 : elen), elem);
            rc = -1;
            break;
        }
        const char *v = t + i + 1;
        size_t vl = (size_t)(close - v);
        i = (size_t)(close - t) + 1;
        if (n == MAX_ATTRS) {
            /* a long tag: its attributes are judged in batches (a target
             * parted from its qualifier is refused, never let through) */
            rc = s->kind == KC_LINK_RELS
                     ? check_rels(elem, elen, a, n, err)
                     : check_xml(elem, elen, a, n, s->part_depth, err);
            for (int k = 0; k < n; k++)
                free(a[k].value);
            n = 0;
            if (rc != 0)
                break;
        }
        int unresolved;
        a[n] = (struct attr){t + ns, nl, NULL, 0};
        a[n].value = decode(v, vl, &a[n].vlen, &unresolved);
        if (!a[n].value && !unresolved) {
            kc_err_set(err, "out of memory");
            rc = -1;
            break;
        }
        n++;
    }
    if (rc == 0)
        rc = s->kind == KC_LINK_RELS
                 ? check_rels(elem, elen, a, n, err)
                 : check_xml(elem, elen, a, n, s->part_depth, err);
    for (int k = 0; k < n; k++)
        free(a[k].value);
    return rc;
}

struct kc_link_scan *kc_link_scan_new(enum kc_link_kind kind)
{
    return kc_link_scan_new_in(kind, 0);
}

struct kc_link_scan *kc_link_scan_new_in(enum kc_link_kind kind, int depth)
{
    struct kc_link_scan *s = calloc(1, sizeof *s);
    if (s) {
        s->kind = kind;
        s->part_depth = depth < 0 ? 0 : depth;
    }
    return s;
}

void kc_link_scan_free(struct kc_link_scan *s)
{
    if (s)
        free(s->tag);
    free(s);
}

static int tag_add(struct kc_link_scan *s, char c, struct kc_err *err)
{
    if (s->len + 1 >= s->cap) {
        if (s->cap >= TAG_MAX) {
            kc_err_set(err, "malformed XML: a tag longer than 1 MiB");
            return -1;
        }
        size_t cap = s->cap ? s->cap * 2 : 256;
        char *p = realloc(s->tag, cap);
        if (!p) {
            kc_err_set(err, "out of memory");
            return -1;
        }
        s->tag = p;
        s->cap = cap;
    }
    s->tag[s->len++] = c;
    return 0;
}

/* The kind of tag its first characters (HEAD, N) name; T_UNKNOWN while
 * they cannot tell yet. */
static enum tag_kind kind_of(const char *h, size_t n)
{
    if (n >= 1 && h[0] == '?')
        return T_PI;
    if (n >= 1 && h[0] != '!')
        return T_NORMAL;
    static const char cdata[] = "![CDATA[";
    if (n >= 2 && h[1] == '-')
        return n >= 3 ? (h[2] == '-' ? T_COMMENT : T_DECL) : T_UNKNOWN;
    if (n >= 2 && h[1] == '[') {
        size_t m = n < 8 ? n : 8;
        if (memcmp(h, cdata, m) != 0)
            return T_DECL;
        return n >= 8 ? T_CDATA : T_UNKNOWN;
    }
    return n >= 2 ? T_DECL : T_UNKNOWN;
}

static int decl_char(struct kc_link_scan *s, char c)
{
    if (s->quote) {
        if (c == s->quote)
            s->quote = 0;
    } else if (c == '"' || c == '\'') {
        s->quote = c;
    } else if (c == '[') {
        s->depth++;
    } else if (c == ']') {
        s->depth--;
    } else if (c == '>' && s->depth <= 0) {
        s->in_tag = 0;
    }
    return 0;
}

static int tag_char(struct kc_link_scan *s, char c, struct kc_err *err)
{
    if (s->tk == T_UNKNOWN) {
        s->head[s->nhead++] = c;
        s->tk = kind_of(s->head, s->nhead);
        if (s->tk == T_UNKNOWN || s->tk == T_PI || s->tk == T_COMMENT ||
            s->tk == T_CDATA)
            return 0; /* the opening itself never ends one of these */
        if (s->tk == T_DECL) {
            for (size_t k = 1; k < s->nhead && s->in_tag; k++)
                decl_char(s, s->head[k]);
            return 0;
        }
        /* T_NORMAL: the head is C alone */
    }
    switch (s->tk) {
    case T_NORMAL:
        if (s->quote) {
            if (c == s->quote)
                s->quote = 0;
            return tag_add(s, c, err);
        }
        if (c == '"' || c == '\'') {
            s->quote = c;
            return tag_add(s, c, err);
        }
        if (c == '>') {
            int rc = check_tag(s, s->tag, s->len, err);
            s->in_tag = 0;
            return rc;
        }
        return tag_add(s, c, err);
    case T_COMMENT:
    case T_CDATA:
    case T_PI: {
        char a = s->tk == T_COMMENT ? '-' : s->tk == T_CDATA ? ']' : 0;
        int ends =
            c == '>' && (s->tk == T_PI ? s->tail[1] == '?'
                                       : s->tail[0] == a && s->tail[1] == a);
        s->tail[0] = s->tail[1];
        s->tail[1] = c;
        if (ends)
            s->in_tag = 0;
        return 0;
    }
    case T_DECL:
        return decl_char(s, c);
    default:
        return 0;
    }
}

int kc_link_scan_feed(struct kc_link_scan *s, const char *p, size_t n,
                      struct kc_err *err)
{
    if (s->failed) {
        kc_err_set(err, "the scan failed before");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!s->in_tag) {
            if (c == '<') {
                s->in_tag = 1;
                s->tk = T_UNKNOWN;
                s->quote = 0;
                s->depth = 0;
                s->len = 0;
                s->nhead = 0;
                s->tail[0] = s->tail[1] = 0;
            }
            continue;
        }
        if (tag_char(s, c, err) != 0) {
            s->failed = 1;
            return -1;
        }
    }
    return 0;
}

int kc_link_scan_end(struct kc_link_scan *s, struct kc_err *err)
{
    if (s->failed) {
        kc_err_set(err, "the scan failed before");
        return -1;
    }
    /* an unfinished tag at the end: LibreOffice's parser refuses the
     * file, so nothing of it is fetched */
    return 0;
}

int kc_links_check_xml(const char *buf, size_t len, enum kc_link_kind kind,
                       struct kc_err *err)
{
    struct kc_link_scan *s = kc_link_scan_new(kind);
    if (!s) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    int rc = kc_link_scan_feed(s, buf, len, err);
    if (rc == 0)
        rc = kc_link_scan_end(s, err);
    kc_link_scan_free(s);
    return rc;
}

/* The ZIP visitor: every member that starts like XML is scanned. */
struct zscan {
    struct kc_link_scan *s;
    enum kc_link_kind kind;
    int decided; /* the member's first non-blank byte was seen */
    int skip;    /* not XML */
    char member[128];
    int linked;
};

static int z_begin(void *ctx, const struct kc_zip_member *m, struct kc_err *err)
{
    (void)err;
    struct zscan *z = ctx;
    if (m->encrypted)
        return 0;
    static const char rels[] = ".rels";
    size_t rl = sizeof rels - 1;
    z->kind = m->name_len >= rl &&
                      strncasecmp(m->name + m->name_len - rl, rels, rl) == 0
                  ? KC_LINK_RELS
                  : KC_LINK_XML;
    z->decided = z->skip = 0;
    snprintf(z->member, sizeof z->member, "%.*s",
             (int)(m->name_len > 100 ? 100 : m->name_len), m->name);
    int depth = 0; /* "Object 1/content.xml" is one folder down */
    for (size_t i = 0; i < m->name_len; i++)
        depth += m->name[i] == '/';
    kc_link_scan_free(z->s);
    z->s = kc_link_scan_new_in(z->kind, depth);
    if (!z->s) {
        kc_err_set(err, "out of memory");
        return -1;
    }
    return 1;
}

static int z_fail(struct zscan *z, struct kc_err *err)
{
    char why[KC_ERR_MAX];
    snprintf(why, sizeof why, "%s", kc_err_msg(err));
    if (strncmp(why, KC_LINK_REFUSED, sizeof KC_LINK_REFUSED - 1) == 0) {
        z->linked = 1;
        kc_err_set(err, "%s (in %s)", why, z->member);
        return -1;
    }
    /* not XML after all (a binary member that starts with '<'): LibreOffice
     * reads it as what it is, not as XML */
    z->skip = 1;
    return 0;
}

static int z_data(void *ctx, const unsigned char *p, size_t n,
                  struct kc_err *err)
{
    struct zscan *z = ctx;
    if (z->skip)
        return 0;
    const char *c = (const char *)p;
    if (!z->decided) {
        size_t i = 0;
        /* a UTF-8 byte-order mark, then blanks */
        if (n >= 3 && (unsigned char)c[0] == 0xef &&
            (unsigned char)c[1] == 0xbb && (unsigned char)c[2] == 0xbf)
            i = 3;
        while (i < n && is_space(c[i]))
            i++;
        if (i == n)
            return 0; /* still undecided */
        z->decided = 1;
        if (c[i] != '<') {
            z->skip = 1;
            return 0;
        }
    }
    if (kc_link_scan_feed(z->s, c, n, err) != 0)
        return z_fail(z, err);
    return 0;
}

static int z_end(void *ctx, struct kc_err *err)
{
    struct zscan *z = ctx;
    if (!z->skip && kc_link_scan_end(z->s, err) != 0)
        return z_fail(z, err);
    kc_link_scan_free(z->s);
    z->s = NULL;
    return 0;
}

int kc_links_check_zip(const unsigned char *buf, size_t len,
                       const struct kc_zip_limits *limits,
                       struct kc_zip_info *info, int *linked,
                       struct kc_err *err)
{
    struct zscan z;
    memset(&z, 0, sizeof z);
    struct kc_zip_visitor v = {&z, z_begin, z_data, z_end};
    if (linked)
        *linked = 0;
    if (info)
        memset(info, 0, sizeof *info);
    int rc = kc_zip_scan(buf, len, limits, &v, info, err);
    kc_link_scan_free(z.s);
    if (rc != 0 && linked)
        *linked = z.linked;
    return rc;
}
