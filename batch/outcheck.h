/* The check of every file kpicalc writes, in pure C, before it takes its
 * name: a workbook that LibreOffice wrote truncated or damaged must never
 * replace a good one. Each rule below is numbered; the code cites them.
 *
 * Every format
 *   R1. The file can be read and is not empty (a CSV file may be).
 * ods
 *   R2. The whole file is a ZIP archive that passes kc_zip_check (every
 *       member's local header, data and CRC-32; limits against bombs).
 *   R3. Its first member (at offset 0) is "mimetype", stored, holding
 *       exactly application/vnd.oasis.opendocument.spreadsheet.
 *   R4. It has the members META-INF/manifest.xml and content.xml.
 *   R5. Every member whose name ends in ".xml" (content.xml, styles.xml,
 *       meta.xml, settings.xml, the manifest, charts' parts) is
 *       well-formed XML (R19), and content.xml's root element is
 *       office:document-content.
 * xlsx
 *   R6. The whole file passes kc_zip_check (as R2).
 *   R7. It has the members [Content_Types].xml and xl/workbook.xml, and
 *       every member whose name ends in ".xml" or ".rels" (among them
 *       every xl/worksheets/ *.xml) is well-formed XML (R19).
 * fods
 *   R8. The file is well-formed XML (R19) whose root element is
 *       office:document.
 * xls
 *   R9.  An OLE2 compound file: its magic, byte order mark, version 3 with
 *        512-byte sectors or version 4 with 4096-byte ones, 64-byte mini
 *        sectors.
 *   R10. Its FAT sectors, listed in the header and the DIFAT chain, lie
 *        inside the file; the DIFAT chain is acyclic and ends; every FAT
 *        entry is a free mark, an end of chain, a FAT/DIFAT mark, or a
 *        sector inside the file; no sector beyond the end of the file is
 *        in use; no two chains share a sector and no chain is a cycle.
 *   R11. Its directory chain holds a root entry and a stream named
 *        "Workbook" (or "Book"), whose chain (through the mini FAT and mini
 *        stream when it is smaller than the cut-off) has exactly the
 *        sectors its size needs, then ends.
 *   R12. That stream starts with a BIFF BOF record of the workbook
 *        globals, and its records, each inside the stream, reach the EOF
 *        record that ends the globals.
 * pdf
 *   R13. It starts with "%PDF-" and has "%%EOF" within its last 1 KiB.
 *   R14. The last "startxref" before that %%EOF gives an offset inside the
 *        file where an xref table ("xref") or an xref stream (an indirect
 *        object of /Type/XRef) starts; every in-use entry of an xref table
 *        points at that object ("N G obj") inside the file, and a
 *        "trailer" follows the table.
 *   R15. It holds at least one page object (/Type/Page), in the file's
 *        bytes or in one of its Flate-compressed object streams.
 * csv
 *   R16. It is valid UTF-8 (a UTF-8 byte-order mark is allowed at the
 *        start) without NUL bytes.
 *   R17. Its quotes are balanced per RFC 4180: a quote opens a field, is
 *        doubled inside a quoted field, and closes it just before a comma,
 *        a line break or the end of the file.
 *   R18. Unless empty, it ends with a line break.
 * XML (R19, a streaming checker: a member is fed piece by piece as it
 * inflates, never held whole)
 *   valid UTF-8 of XML characters (a byte-order mark allowed first); one
 *   root element, only white space, comments and processing instructions
 *   around it; start and end tags balanced and properly nested; names of
 *   the XML name characters (for ASCII; other characters are let through);
 *   attributes NAME="VALUE" or NAME='VALUE', each at most once per tag,
 *   values without '<'; references only to the five predefined entities
 *   (&lt; &gt; &amp; &apos; &quot;) and to XML characters (&#N; &#xH;);
 *   comments without "--"; CDATA sections inside the root only; no "]]>"
 *   in text; the XML declaration only at the very start; no DOCTYPE (a
 *   DOCTYPE is refused: its entities are how XML bombs work); at most
 *   4,096 open elements. */
#ifndef KPICALC_OUTCHECK_H
#define KPICALC_OUTCHECK_H

#include "err.h"

#include <stddef.h>

/* Checks the file at PATH as an output of format FMT (one of "ods",
 * "fods", "xlsx", "xls", "pdf", "csv"; any case): 0 when it is whole;
 * -1 with the reason in ERR otherwise (an unknown FMT fails too). The
 * reason names the part and what is wrong, e.g. "content.xml: line 2:
 * end tag </table:table-row> does not match <table:table-cell>" or
 * "truncated or damaged ZIP archive: no end of central directory". */
int kc_output_check(const char *path, const char *fmt, struct kc_err *err);

/* The same for the LEN bytes at BUF (BUF may be NULL when LEN is 0). */
int kc_output_check_mem(const unsigned char *buf, size_t len, const char *fmt,
                        struct kc_err *err);

/* The streaming XML checker (R19). kc_xml_new returns NULL when memory
 * runs out. kc_xml_feed takes the next N bytes; kc_xml_finish says whether
 * the document ended whole. Each returns 0, or -1 with the reason in ERR
 * ("line L: ..."); after a failure every call fails the same way. */
struct kc_xml;
struct kc_xml *kc_xml_new(void);
int kc_xml_feed(struct kc_xml *x, const unsigned char *p, size_t n,
                struct kc_err *err);
int kc_xml_finish(struct kc_xml *x, struct kc_err *err);
/* The root element's name (its first 63 bytes), "" before it is read. */
const char *kc_xml_root(const struct kc_xml *x);
void kc_xml_free(struct kc_xml *x);

#endif
