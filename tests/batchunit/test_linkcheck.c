/* Unit tests of batch/linkcheck.c: which targets stay inside a workbook,
 * which elements are refused or let through, OOXML relationships, the
 * tricks (entities, percent escapes, DOCTYPE entities, comments, CDATA,
 * quotes holding '>'), and a ZIP package through kc_links_check_zip. */
#include "../batchunit/zipmaker.h"
#include "kpi_test.h"
#include "linkcheck.h"

#include <stdlib.h>
#include <string.h>

static int internal(const char *u)
{
    return kc_link_internal(u, strlen(u));
}

static int refused(const char *xml, enum kc_link_kind k)
{
    struct kc_err kerr;
    return kc_links_check_xml(xml, strlen(xml), k, &kerr) != 0;
}

static int image_refused(const char *href)
{
    char doc[1024];
    snprintf(doc, sizeof doc,
             "<office:document><draw:frame><draw:image xlink:href=\"%s\"/>"
             "</draw:frame></office:document>",
             href);
    return refused(doc, KC_LINK_XML);
}

static int rel_refused(const char *type, const char *target, int external)
{
    char doc[1024];
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?><Relationships xmlns=\"x\"><Relationship "
             "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships/%s\" Target=\"%s\"%s/>"
             "</Relationships>",
             type, target, external ? " TargetMode=\"External\"" : "");
    return refused(doc, KC_LINK_RELS);
}

int main(void)
{
    /* targets */
    CHECK(internal(""));
    CHECK(internal("#Sheet2.A1"));
    CHECK(internal("Pictures/1000.png"));
    CHECK(internal("./Object 1"));
    CHECK(internal("Object%201"));
    CHECK(internal("vnd.sun.star.Package:Pictures/a.png"));
    CHECK(internal("rId7"));
    CHECK(!internal("http://127.0.0.1/beacon.png"));
    CHECK(!internal("HTTPS://x"));
    CHECK(!internal("file:///etc/passwd"));
    CHECK(!internal("/etc/passwd"));
    CHECK(!internal("../secret.png"));
    CHECK(!internal("Pictures/../../secret.png"));
    CHECK(!internal("..%2Fsecret.png"));
    CHECK(!internal("%252e%252e/secret.png"));
    CHECK(!internal("\\\\server\\share\\x.png"));
    CHECK(!internal("c:x.png"));
    CHECK(!internal("vnd.sun.star.Package:../x"));
    CHECK(!internal(" http://x"));
    CHECK(!internal("smb://host/x"));

    /* elements */
    CHECK(image_refused("http://127.0.0.1:8/b.png"));
    CHECK(image_refused("&#104;ttp://127.0.0.1/b.png"));
    CHECK(image_refused("&#x66;ile:///etc/passwd"));
    CHECK(image_refused("&beacon;"));
    CHECK(image_refused("&amp"));
    CHECK(!image_refused("Pictures/1.png"));
    CHECK(!image_refused("&#80;ictures/1.png"));
    CHECK(refused("<a><draw:object xlink:href='../o.ods'/></a>", KC_LINK_XML));
    CHECK(refused("<x:floating-frame y:href=\"http://h/\"/>", KC_LINK_XML));
    CHECK(refused("<table:cell-range-source xlink:href=\"http://h/d\"/>",
                  KC_LINK_XML));
    CHECK(refused("<table:table-source xlink:href=\"file:///s.ods\" "
                  "table:mode=\"copy-all\"/>",
                  KC_LINK_XML));
    CHECK(!refused("<table:table-source xlink:href=\"../src.ods\" "
                   "table:mode=\"copy-results-only\"/>",
                   KC_LINK_XML));
    CHECK(!refused("<text:p><text:a xlink:href=\"http://h/\">x</text:a>"
                   "</text:p>",
                   KC_LINK_XML));
    CHECK(!refused("<draw:a xlink:href=\"http://h/\"/>", KC_LINK_XML));
    CHECK(!refused("<script:event-listener xlink:href=\"vnd.sun.star.script:"
                   "x\"/>",
                   KC_LINK_XML));
    CHECK(!refused("<meta:template xlink:href=\"../t.ots\"/>", KC_LINK_XML));
    CHECK(
        refused("<meta:template xlink:href=\"http://h/t.ots\"/>", KC_LINK_XML));
    CHECK(refused("<webPr url=\"http://h/q\"/>", KC_LINK_XML));
    CHECK(refused("<v:imagedata o:href=\"file:///x.png\"/>", KC_LINK_XML));
    CHECK(refused("<form:image form:image-data=\"http://h/i\"/>", KC_LINK_XML));
    CHECK(refused("<xforms:instance src=\"http://h/i\"/>", KC_LINK_XML));
    /* a chart's data is the document that holds it (LibreOffice writes
     * chart:chart xlink:href=".." in every chart, flat or zipped) */
    CHECK(!refused("<chart:chart xlink:href=\"..\" chart:class=\"chart:bar\"/>",
                   KC_LINK_XML));
    CHECK(refused("<chart:chart xlink:href=\"../other.ods\"/>", KC_LINK_XML));
    CHECK(refused("<draw:image xlink:href=\"..\"/>", KC_LINK_XML));
    /* an embedded object's part, one folder down, may name the package's
     * own files, never above its root */
    {
        struct kc_err ke;
        const char *up = "<draw:image xlink:href=\"../Pictures/a.png\"/>";
        const char *out = "<draw:image xlink:href=\"../../a.png\"/>";
        struct kc_link_scan *d1 = kc_link_scan_new_in(KC_LINK_XML, 1);
        CHECK(kc_link_scan_feed(d1, up, strlen(up), &ke) == 0);
        kc_link_scan_free(d1);
        d1 = kc_link_scan_new_in(KC_LINK_XML, 1);
        CHECK(kc_link_scan_feed(d1, out, strlen(out), &ke) != 0);
        kc_link_scan_free(d1);
        CHECK(refused(up, KC_LINK_XML)); /* from the root: outside */
    }

    /* what is not markup hides nothing, and quotes may hold '>' */
    CHECK(!refused("<!-- <draw:image xlink:href=\"http://h/\"/> -->"
                   "<![CDATA[<draw:image xlink:href=\"http://h/\"/>]]>"
                   "<?pi <draw:image xlink:href=\"http://h/\"/> ?><t a='>'/>",
                   KC_LINK_XML));
    CHECK(refused("<t a='>'/><draw:image xlink:href=\"http://h/\"/>",
                  KC_LINK_XML));
    CHECK(refused("<!DOCTYPE d [<!ENTITY e \"http://h/\"> <!-- ] > -->]>"
                  "<draw:image xlink:href='&e;'/>",
                  KC_LINK_XML));
    CHECK(refused("<draw:image\nxlink:href\n=\n'http://h/'/>", KC_LINK_XML));
    CHECK(refused("<draw:image xlink:href=http://h/>", KC_LINK_XML));

    /* OOXML relationships */
    CHECK(rel_refused("image", "http://127.0.0.1/b.png", 1));
    CHECK(rel_refused("image", "file:///etc/passwd", 0));
    CHECK(rel_refused("oleObject", "file:///x.xlsx", 1));
    CHECK(rel_refused("frame", "http://h/", 1));
    CHECK(!rel_refused("image", "../media/image1.png", 0));
    CHECK(!rel_refused("worksheet", "/xl/worksheets/sheet1.xml", 0));
    CHECK(!rel_refused("hyperlink", "http://h/", 1));
    CHECK(!rel_refused("externalLinkPath", "file:///other.xlsx", 1));

    /* in pieces: the same verdict and reason as whole */
    const char *doc = "<x><draw:image xlink:href=\"http://h/beacon.png\"/></x>";
    struct kc_err kwhole = {""}, kcut = {""};
    const char *whole = kwhole.msg, *cut = kcut.msg;
    int a = kc_links_check_xml(doc, strlen(doc), KC_LINK_XML, &kwhole);
    struct kc_link_scan *s = kc_link_scan_new(KC_LINK_XML);
    int b = 0;
    for (size_t i = 0; doc[i] && b == 0; i++)
        b = kc_link_scan_feed(s, doc + i, 1, &kcut);
    if (b == 0)
        b = kc_link_scan_end(s, &kcut);
    kc_link_scan_free(s);
    CHECK(a != 0 && b != 0 && strcmp(whole, cut) == 0);
    CHECK(strstr(whole, KC_LINK_REFUSED) != NULL);
    CHECK(strstr(whole, "http://h/beacon.png") != NULL);

    /* a package: the member is named, a link is told from damage */
    static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    static const char bad[] = "<office:document-content><draw:image "
                              "xlink:href=\"http://h/b.png\"/>"
                              "</office:document-content>";
    static const char good[] = "<office:document-content><draw:image "
                               "xlink:href=\"Pictures/b.png\"/>"
                               "</office:document-content>";
    struct zm_member m[] = {{"mimetype", mime, sizeof mime - 1, 0},
                            {"content.xml", bad, sizeof bad - 1, 1}};
    struct zm_opts o = {0, 0, 0};
    size_t len;
    unsigned char *zip = zm_build(m, 2, &o, &len);
    struct kc_err kerr;
    char *err = kerr.msg;
    int linked = 0;
    struct kc_zip_info info;
    CHECK(zip &&
          kc_links_check_zip(zip, len, NULL, &info, &linked, &kerr) != 0);
    CHECK_EQ_INT(linked, 1);
    CHECK(strstr(err, "(in content.xml)") != NULL);
    free(zip);
    m[1].data = good;
    m[1].len = sizeof good - 1;
    zip = zm_build(m, 2, &o, &len);
    CHECK(zip &&
          kc_links_check_zip(zip, len, NULL, &info, &linked, &kerr) == 0);
    CHECK_EQ_INT(info.odf_spreadsheet, 1);
    /* damage is damage, not a link */
    if (zip && len > 40) {
        zip[len - 30] ^= 0xff;
        CHECK(kc_links_check_zip(zip, len, NULL, NULL, &linked, &kerr) != 0);
        CHECK_EQ_INT(linked, 0);
    }
    free(zip);
    /* a chart object's part links its pictures from one folder down */
    static const char obj[] = "<office:document-content><chart:chart "
                              "xlink:href=\"..\"/><draw:image "
                              "xlink:href=\"../Pictures/c.png\"/>"
                              "</office:document-content>";
    struct zm_member m2[] = {{"mimetype", mime, sizeof mime - 1, 0},
                             {"content.xml", good, sizeof good - 1, 1},
                             {"Object 1/content.xml", obj, sizeof obj - 1, 1}};
    zip = zm_build(m2, 3, &o, &len);
    CHECK(zip &&
          kc_links_check_zip(zip, len, NULL, &info, &linked, &kerr) == 0);
    free(zip);
    return kpi_test_report("batch linkcheck");
}
