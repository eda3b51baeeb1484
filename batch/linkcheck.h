/* A check that a workbook names nothing outside itself that LibreOffice
 * would fetch: linked pictures, linked OLE objects, frames, plug-ins and
 * applets, sections and sheets linked to files, links to external data
 * (ODF table:cell-range-source, OOXML web queries), fonts, templates on
 * other hosts, and every OOXML relationship to an external target but a
 * hyperlink or a cell reference to another workbook. kpicalc refuses such
 * a workbook before LibreOffice sees it, at load and so at export (a
 * linked picture is fetched when an export asks for its bytes).
 *
 * What stays allowed, because LibreOffice fetches none of it: hyperlinks
 * (text:a, draw:a, OOXML hyperlink relationships, form buttons and form
 * targets), script event bindings (macros never run), the cached copy of a
 * cell reference to another workbook (ODF table:table-source with
 * table:mode="copy-results-only", OOXML externalLinkPath: links are never
 * updated), and a template named by a local path (only its date is read).
 *
 * A target is inside the workbook when, after its XML entities and percent
 * escapes are decoded, it is empty, a fragment (#...), or a relative path
 * with no scheme, no leading '/', no backslash and no ".." segment that
 * climbs above the package's root (or a vnd.sun.star.Package: URL of such
 * a path); a chart's "..", the document that holds it, is inside. An entity
 * other than XML's five and character references cannot be resolved here and
 * counts as outside. Pure C: bytes in, a verdict out. */
#ifndef KPICALC_LINKCHECK_H
#define KPICALC_LINKCHECK_H

#include "err.h"

#include "zipcheck.h"

#include <stddef.h>

/* Kinds of XML the scanner knows. */
enum kc_link_kind {
    KC_LINK_XML = 0, /* ODF content/styles/meta, OOXML parts, VML */
    KC_LINK_RELS = 1 /* an OOXML relationships part (*.rels) */
};

/* 1 when the target URL (already entity-decoded, LEN bytes) stays inside
 * the package, 0 when it leads outside. */
int kc_link_internal(const char *url, size_t len);

/* Checks the LEN bytes of XML at BUF, of kind KIND: 0, or -1 with the
 * offending element and target in ERR. */
int kc_links_check_xml(const char *buf, size_t len, enum kc_link_kind kind,
                       struct kc_err *err);

/* Checks the ZIP archive at BUF (LEN bytes) whole, as kc_zip_check_mem
 * does (with LIMITS, NULL for the defaults; what it holds in INFO), and
 * every XML, VML and relationships member's links: 0, or -1 with the reason
 * in ERR. *LINKED (may be NULL) is set to 1 when the failure is a link
 * (not damage). */
int kc_links_check_zip(const unsigned char *buf, size_t len,
                       const struct kc_zip_limits *limits,
                       struct kc_zip_info *info, int *linked,
                       struct kc_err *err);

/* A streaming scanner, for XML given in pieces. */
struct kc_link_scan;
struct kc_link_scan *kc_link_scan_new(enum kc_link_kind kind);
/* The same for a part DEPTH folders below the package's root (an embedded
 * object's "Object 1/content.xml" is 1), whose targets may go up as far as
 * the root with "..". */
struct kc_link_scan *kc_link_scan_new_in(enum kc_link_kind kind, int depth);
/* 0, or -1 with the reason in ERR (then further pieces are refused). */
int kc_link_scan_feed(struct kc_link_scan *s, const char *p, size_t n,
                      struct kc_err *err);
/* The end of the XML: 0, or -1 with ERR. */
int kc_link_scan_end(struct kc_link_scan *s, struct kc_err *err);
void kc_link_scan_free(struct kc_link_scan *s);

/* The message prefix of a refused link, as workbooks fail with it. */
#define KC_LINK_REFUSED "links to content outside the workbook"

#endif
