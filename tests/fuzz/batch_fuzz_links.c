/* batch_fuzz_links.c - libFuzzer harness of batch/linkcheck.c, through
 * kc_links_check_xml, the streaming scanner and kc_link_internal. The first
 * byte picks a mode:
 *   0: the input as XML (both kinds): the streaming scanner, fed in pieces
 *      whose sizes the second byte picks, gives the verdict and reason of
 *      the one-piece check;
 *   1: the input as the target of a linked picture, in a document made
 *      around it (when it holds no quote, '<', '&' or NUL): the document is
 *      refused exactly when kc_link_internal says the target leads outside;
 *      and a target kc_link_internal lets through has no backslash and no
 *      ".." that climbs above the package's root once percent-decoded;
 *   2: the same target in an OOXML relationship with TargetMode External:
 *      always refused, unless the type is a hyperlink;
 *   3: the input as a ZIP archive (kc_links_check_zip): a verdict with a
 *      reason, the same twice. */
#include "linkcheck.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIE(why, msg)                                                          \
    do {                                                                       \
        fprintf(stderr, "invariant broken: %s (%s)\n", why, msg);              \
        abort();                                                               \
    } while (0)

static void pieces(const char *p, size_t n, unsigned seed, enum kc_link_kind k)
{
    struct kc_err kwhole = {""};
    char *whole = kwhole.msg;
    struct kc_err kcut = {""};
    char *cut = kcut.msg;
    int a = kc_links_check_xml(p, n, k, &kwhole);
    struct kc_link_scan *s = kc_link_scan_new(k);
    if (!s)
        return;
    int b = 0;
    size_t at = 0, step = (seed % 7) + 1;
    while (at < n && b == 0) {
        size_t m = n - at < step ? n - at : step;
        b = kc_link_scan_feed(s, p + at, m, &kcut);
        at += m;
        step = step * 3 % 17 + 1;
    }
    if (b == 0)
        b = kc_link_scan_end(s, &kcut);
    kc_link_scan_free(s);
    if (a != b || (a != 0 && strcmp(whole, cut) != 0))
        DIE("pieces and a whole disagree", whole);
    if (a != 0 && !whole[0])
        DIE("a refusal without a reason", "");
}

/* percent-decodes until stable, as the checker does */
static size_t decoded(const char *in, size_t n, char *out)
{
    char tmp[600];
    if (n == 0)
        return 0;
    memcpy(tmp, in, n);
    for (int r = 0; r < 4; r++) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            if (tmp[i] == '%' && i + 2 < n &&
                isxdigit((unsigned char)tmp[i + 1]) &&
                isxdigit((unsigned char)tmp[i + 2])) {
                char h[3] = {tmp[i + 1], tmp[i + 2], 0};
                out[o++] = (char)strtol(h, NULL, 16);
                i += 2;
            } else {
                out[o++] = tmp[i];
            }
        }
        if (o == n && memcmp(out, tmp, n) == 0)
            break;
        memcpy(tmp, out, o);
        n = o;
    }
    memcpy(out, tmp, n);
    return n;
}

static void target(const char *t, size_t n, int rels)
{
    if (n > 500 || memchr(t, '"', n) || memchr(t, '<', n) ||
        memchr(t, '&', n) || memchr(t, '\0', n))
        return;
    char doc[1200];
    struct kc_err kerr;
    if (rels)
        snprintf(doc, sizeof doc,
                 "<Relationships><Relationship Id=\"r\" Type=\"http://x/%s\" "
                 "Target=\"%.*s\" TargetMode=\"External\"/></Relationships>",
                 n % 2 ? "hyperlink" : "image", (int)n, t);
    else
        snprintf(doc, sizeof doc,
                 "<office:document><draw:frame><draw:image xlink:href=\"%.*s\""
                 "/></draw:frame></office:document>",
                 (int)n, t);
    int refused =
        kc_links_check_xml(doc, strlen(doc), rels ? KC_LINK_RELS : KC_LINK_XML,
                           &kerr) != 0;
    if (rels) {
        if (refused != !(n % 2))
            DIE("an external relationship judged wrong", doc);
        return;
    }
    /* white space becomes a space in an attribute value */
    char norm[600];
    for (size_t i = 0; i < n; i++)
        norm[i] = t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ? ' ' : t[i];
    int internal = kc_link_internal(norm, n);
    if (refused == internal)
        DIE("the document and the target disagree", doc);
    if (!internal)
        return;
    char d[600] = "";
    size_t dn = decoded(norm, n, d);
    size_t s = 0;
    while (s < dn && d[s] == ' ')
        s++;
    if (s < dn && d[s] == '#')
        return;
    if (memchr(d, '\\', dn))
        DIE("a backslash let through", doc);
    while (dn > s && d[dn - 1] == ' ')
        dn--; /* trailing blanks are trimmed */
    /* no ".." climbs above the package's root */
    int level = 0;
    for (size_t i = s; i <= dn;) {
        size_t e = i;
        while (e < dn && d[e] != '/')
            e++;
        size_t sl = e - i;
        if (sl == 2 && d[i] == '.' && d[i + 1] == '.') {
            if (--level < 0)
                DIE("a .. above the root let through", doc);
        } else if (sl > 0 && !(sl == 1 && d[i] == '.')) {
            level++;
        }
        i = e + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const char *p = (const char *)data + 2;
    size_t n = size - 2;
    struct kc_err kerr;
    char *err = kerr.msg;
    switch (data[0] % 4) {
    case 0:
        pieces(p, n, data[1], data[1] & 1 ? KC_LINK_RELS : KC_LINK_XML);
        break;
    case 1:
        target(p, n, 0);
        break;
    case 2:
        target(p, n, 1);
        break;
    default: {
        struct kc_err kerr2;
        char *err2 = kerr2.msg;
        int linked = 0, linked2 = 0;
        int a =
            kc_links_check_zip(data + 1, size - 1, NULL, NULL, &linked, &kerr);
        int b = kc_links_check_zip(data + 1, size - 1, NULL, NULL, &linked2,
                                   &kerr2);
        if (a != b || linked != linked2 || (a && strcmp(err, err2) != 0))
            DIE("not the same verdict twice", err);
        if (a && !err[0])
            DIE("a refusal without a reason", "");
    }
    }
    return 0;
}
