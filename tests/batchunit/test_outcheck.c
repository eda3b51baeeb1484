/* Unit tests of batch/outcheck.c: the files LibreOffice wrote from a tiny
 * workbook with a chart (tests/batchunit/fixtures, made by
 * make_outcheck_fixtures.py) pass in every format; each kind of damage
 * fails with a reason that says what is wrong. Run from the repository
 * root. */
#include "kpi_test.h"
#include "outcheck.h"
#include "zipmaker.h"

#include <sys/stat.h>
#include <unistd.h>

static struct kc_err kerr;
static char *const err = kerr.msg;

static int chk(const void *p, size_t len, const char *fmt)
{
    err[0] = '\0';
    return kc_output_check_mem(p, len, fmt, &kerr);
}

#define FAILS(p, len, fmt, want)                                               \
    do {                                                                       \
        CHECK(chk(p, len, fmt) != 0);                                          \
        CHECK(zm_says(err, want));                                             \
    } while (0)

#define PASSES(p, len, fmt)                                                    \
    do {                                                                       \
        int rc_ = chk(p, len, fmt);                                            \
        if (rc_ != 0)                                                          \
            fprintf(stderr, "  %s: %s\n", fmt, err);                           \
        CHECK_EQ_INT(rc_, 0);                                                  \
    } while (0)

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* R1 and the whole files. */
static void test_whole(void)
{
    static const char *const fmts[] = {"ods", "xlsx", "xls",
                                       "pdf", "csv",  "fods"};
    for (int i = 0; i < 6; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/batchunit/fixtures/tiny.%s",
                 fmts[i]);
        int rc = kc_output_check(path, fmts[i], &kerr);
        if (rc != 0)
            fprintf(stderr, "  %s: %s\n", path, err);
        CHECK_EQ_INT(rc, 0);
    }
    CHECK_EQ_INT(
        kc_output_check("tests/batchunit/fixtures/pad.ods", "ODS", &kerr), 0);
    CHECK_EQ_INT(
        kc_output_check("tests/batchunit/fixtures/pad.xls", "xls", &kerr), 0);
    /* ZIP64 archives of an ODF shape, by Info-ZIP and by Python */
    CHECK_EQ_INT(kc_output_check("tests/batchunit/fixtures/zip64-info.zip",
                                 "ods", &kerr),
                 0);
    CHECK_EQ_INT(
        kc_output_check("tests/batchunit/fixtures/zip64-py.zip", "ods", &kerr),
        0);
    /* the wrong format is no pass */
    CHECK(kc_output_check("tests/batchunit/fixtures/tiny.ods", "xlsx", &kerr) !=
          0);
    CHECK(zm_says(err, "no member [Content_Types].xml"));
    CHECK(kc_output_check("tests/batchunit/fixtures/tiny.xlsx", "ods", &kerr) !=
          0);
    CHECK(zm_says(err, "not mimetype"));
    CHECK(kc_output_check("tests/batchunit/fixtures/tiny.ods", "docx", &kerr) !=
          0);
    CHECK(zm_says(err, "unknown output format docx"));
    CHECK(kc_output_check("tests/batchunit/fixtures/no-such.ods", "ods",
                          &kerr) != 0);
    CHECK(zm_says(err, "cannot open"));
    CHECK(kc_output_check("tests/batchunit/fixtures", "ods", &kerr) != 0);
    CHECK(zm_says(err, "not a regular file"));
    /* an empty file: only a CSV file may be empty */
    char tmp[] = "/tmp/kpicalc-outcheck-XXXXXX";
    int fd = mkstemp(tmp);
    CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
        CHECK(kc_output_check(tmp, "ods", &kerr) != 0);
        CHECK(zm_says(err, "empty file"));
        CHECK_EQ_INT(kc_output_check(tmp, "csv", &kerr), 0);
        unlink(tmp);
    }
    static const char *const all[] = {"ods", "xlsx", "xls", "pdf", "fods"};
    for (int i = 0; i < 5; i++)
        FAILS(NULL, 0, all[i], "empty file");
}

/* R2-R5: ods */
static void test_ods(void)
{
    size_t len;
    unsigned char *p = zm_fixture("pad.ods", &len);
    if (!p)
        return;
    FAILS(p, 49152, "ods", "no end of central directory");
    FAILS(p, 20000, "ods", "no end of central directory");
    FAILS(p, len - 30, "ods", "no end of central directory");
    free(p);
    p = zm_fixture("tiny.ods", &len);
    if (!p)
        return;
    unsigned char *q = zm_copy(p, len);
    /* a flipped byte in deflated data */
    q[zm_data(q, len, "content.xml") + 100] ^= 0x20;
    FAILS(q, len, "ods", "member content.xml: its");
    /* a local header naming another member */
    memcpy(q, p, len);
    q[zm_local(q, len, "styles.xml") + 30] = 'x';
    FAILS(q, len, "ods", "names another member (xtyles.xml)");
    /* content.xml missing (renamed in both headers: a whole archive) */
    memcpy(q, p, len);
    q[zm_local(q, len, "content.xml") + 30 + 10] = 'x';
    q[zm_central(q, len, "content.xml") + 46 + 10] = 'x';
    FAILS(q, len, "ods", "no member content.xml");
    /* the manifest missing */
    memcpy(q, p, len);
    q[zm_local(q, len, "META-INF/manifest.xml") + 30 + 20] = 'x';
    q[zm_central(q, len, "META-INF/manifest.xml") + 46 + 20] = 'x';
    FAILS(q, len, "ods", "no member META-INF/manifest.xml");
    free(q);
    free(p);

    /* built archives: the ODF rules themselves */
    static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    static const char good[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<office:document-content xmlns:office=\"urn:x\"><a x=\"1\">t</a>"
        "</office:document-content>";
    static const char bad[] = "<?xml version=\"1.0\"?>\n"
                              "<office:document-content><a></b>"
                              "</office:document-content>";
    static const char doctype[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>"
        "<office:document-content>&lol;</office:document-content>";
    static const char other_root[] = "<office:document-styles/>";
    static const char cut[] = "<office:document-styles><a>";
    struct zm_member m[] = {
        {"mimetype", mime, sizeof mime - 1, 0},
        {"content.xml", good, sizeof good - 1, 1},
        {"styles.xml", other_root, sizeof other_root - 1, 1},
        {"META-INF/manifest.xml", "<m/>", 4, 1}};
    struct zm_opts o = {0, 1, 0};
    p = zm_build(m, 4, &o, &len);
    PASSES(p, len, "ods");
    free(p);
    m[1].data = bad;
    m[1].len = sizeof bad - 1;
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "ods",
          "content.xml: line 2: end tag </b> does not match <a>");
    free(p);
    m[1].data = doctype;
    m[1].len = sizeof doctype - 1;
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "ods", "content.xml: line 2: a DOCTYPE declaration");
    free(p);
    m[1].data = other_root;
    m[1].len = sizeof other_root - 1;
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "ods", "its root element is <office:document-styles>");
    free(p);
    m[1].data = good;
    m[1].len = sizeof good - 1;
    m[2].data = cut;
    m[2].len = sizeof cut - 1;
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "ods", "styles.xml: line 1: ends inside element <a>");
    free(p);
    m[2].data = other_root;
    m[2].len = sizeof other_root - 1;
    /* the mimetype member: compressed, wrong, not first */
    m[0].deflate = 1;
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "ods", "mimetype member is compressed");
    free(p);
    m[0].deflate = 0;
    m[0].data = "application/vnd.oasis.opendocument.text";
    m[0].len = strlen(m[0].data);
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "ods",
          "its mimetype member says "
          "application/vnd.oasis.opendocument.text");
    free(p);
    p = zm_build(m + 1, 3, &o, &len);
    FAILS(p, len, "ods", "its first member is content.xml, not mimetype");
    free(p);
    /* ZIP64 whole, then damaged */
    m[0].data = mime;
    m[0].len = sizeof mime - 1;
    struct zm_opts o64 = {1, 0, 0};
    p = zm_build(m, 4, &o64, &len);
    PASSES(p, len, "ods");
    p[zm_data(p, len, "content.xml") + 5] ^= 0x10;
    FAILS(p, len, "ods", "member content.xml");
    free(p);
}

/* R6-R7: xlsx */
static void test_xlsx(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.xlsx", &len);
    if (!p)
        return;
    unsigned char *q = zm_copy(p, len);
    FAILS(q, len / 2, "xlsx", "no end of central directory");
    q[zm_local(q, len, "[Content_Types].xml") + 30 + 1] = 'X';
    q[zm_central(q, len, "[Content_Types].xml") + 46 + 1] = 'X';
    FAILS(q, len, "xlsx", "no member [Content_Types].xml");
    memcpy(q, p, len);
    q[zm_local(q, len, "xl/workbook.xml") + 30 + 3] = 'W';
    q[zm_central(q, len, "xl/workbook.xml") + 46 + 3] = 'W';
    FAILS(q, len, "xlsx", "no member xl/workbook.xml");
    memcpy(q, p, len);
    q[zm_data(q, len, "xl/worksheets/sheet1.xml") + 30] ^= 0x08;
    FAILS(q, len, "xlsx", "member xl/worksheets/sheet1.xml");
    free(q);
    free(p);
    static const char ws_bad[] = "<worksheet><sheetData><row r=\"1\">"
                                 "<c r=\"A1\"><v>1</v></c></sheetData>"
                                 "</worksheet>";
    struct zm_member m[] = {
        {"[Content_Types].xml", "<Types/>", 8, 1},
        {"_rels/.rels", "<Relationships/>", 16, 1},
        {"xl/workbook.xml", "<workbook/>", 11, 1},
        {"xl/worksheets/sheet1.xml", ws_bad, sizeof ws_bad - 1, 1}};
    struct zm_opts o = {0, 0, 0};
    p = zm_build(m, 4, &o, &len);
    FAILS(p, len, "xlsx",
          "xl/worksheets/sheet1.xml: line 1: end tag </sheetData> does not "
          "match <row>");
    free(p);
    m[1].data = "<Relationships>";
    m[1].len = 15;
    p = zm_build(m, 2, &o, &len);
    FAILS(p, len, "xlsx", "_rels/.rels: line 1: ends inside element");
    free(p);
}

/* R8: fods, and the XML checker fed piece by piece */
static void test_fods(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.fods", &len);
    if (!p)
        return;
    PASSES(p, len, "fods");
    FAILS(p, len / 2, "fods", "not well-formed XML: line ");
    CHECK(zm_says(err, "(truncated?)"));
    /* one byte at a time: the same verdict */
    struct kc_xml *x = kc_xml_new();
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++)
        rc = kc_xml_feed(x, p + i, 1, &kerr);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(kc_xml_finish(x, &kerr), 0);
    CHECK(strcmp(kc_xml_root(x), "office:document") == 0);
    kc_xml_free(x);
    free(p);
    static const char other[] = "<?xml version=\"1.0\"?><office:document-x/>";
    FAILS(other, sizeof other - 1, "fods",
          "its root element is "
          "<office:document-x>");
    FAILS("%PDF-1.4", 8, "fods", "text before the root element");
}

/* R19: the XML checker's rules, one document each. */
static void test_xml(void)
{
    static const struct {
        const char *doc, *want; /* want NULL: well-formed */
    } cases[] = {
        {"<a/>", NULL},
        {"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c --><a x='1' y=\"2\">"
         "t&amp;&lt;&gt;&apos;&quot;&#65;&#x42;&#x10FFFF;<![CDATA[<&]]]]>"
         "<!----><?pi data?><b:c xmlns:b='u'/>\xe4\xb8\xad</a >\n<!-- e -->",
         NULL},
        {"  <a></a>  ", NULL},
        {"", "no root element"},
        {"<!-- only -->", "no root element"},
        {"<a>", "ends inside element <a>"},
        {"<a><b>", "ends inside element <b>"},
        {"<a/><!-- x", "ends inside markup"},
        {"<a>\xe4\xb8", "ends inside a UTF-8 character"},
        {"<a></b>", "end tag </b> does not match <a>"},
        {"<a><b></a></b>", "end tag </a> does not match <b>"},
        {"<ab></a>", "end tag </a> does not match <ab>"},
        {"<a></ab>", "end tag </ab> does not match <a>"},
        {"</a>", "end tag with no open element"},
        {"<a/><b/>", "a second root element"},
        {"x<a/>", "text before the root element"},
        {"<a/>x", "text after the root element"},
        {"<a/>&amp;", "text after the root element"},
        {"<a x='1' x='2'/>", "attribute x given twice"},
        {"<a x=1/>", "attribute value without quotes"},
        {"<a x/>", "attribute without '='"},
        {"<a x y='1'/>", "attribute without '='"},
        {"<a x='1'y='2'/>", "no space between attributes"},
        {"<a x='<'/>", "'<' in an attribute value"},
        {"<a x='&bad;'/>", "unknown entity &bad;"},
        {"<a =''/>", "bad attribute in a start tag"},
        {"<a/ >", "'/' not followed by '>'"},
        {"<a>&foo;</a>", "unknown entity &foo;"},
        {"<a>&verylongname;</a>", "unknown entity"},
        {"<a>&amp</a>", "a reference not ended by ';'"},
        {"<a>& </a>", "'&' not followed by a reference"},
        {"<a>&#0;</a>", "not allowed in XML"},
        {"<a>&#xD800;</a>", "not allowed in XML"},
        {"<a>&#99999999999;</a>", "not allowed in XML"},
        {"<a>&#x;</a>", "bad character reference"},
        {"<a>&#12a;</a>", "bad character reference"},
        {"<a>]]></a>", "\"]]>\" in text"},
        {"<a><!-- a -- b --></a>", "\"--\" inside a comment"},
        {"<a><!- x --></a>", "\"<!-\" not followed by '-'"},
        {"<a><!x></a>", "bad markup after \"<!\""},
        {"<a><![CDAT[x]]></a>", "bad markup after \"<![\""},
        {"<![CDATA[x]]><a/>", "CDATA section outside the root element"},
        /* a DOCTYPE naming an external DTD (never read), as LibreOffice
         * writes for Basic modules, is well-formed; an internal subset,
         * where entities would be declared, is refused */
        {"<!DOCTYPE a><a/>", NULL},
        {"<?xml version='1.0'?>\n<!DOCTYPE script:module PUBLIC "
         "\"-//OpenOffice.org//DTD OfficeDocument 1.0//EN\" \"module.dtd\">\n"
         "<script:module xmlns:script='u'>x</script:module>",
         NULL},
        {"<!DOCTYPE a SYSTEM 'x[y]'><a/>", NULL},
        {"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
         "a DOCTYPE declaration with an internal subset"},
        {"<a><!DOCTYPE a></a>", "a DOCTYPE declaration inside an element"},
        {"<!DOCTYPE a", "no root element"},
        {"<a/><!DOCTYPE a", "ends inside markup"},
        {"<!DOCTYPX a><a/>", "bad markup after \"<!\""},
        {" <?xml version='1.0'?><a/>", "XML declaration not at the start"},
        {"<a/><?xml version='1.0'?>", "XML declaration not at the start"},
        {"<?pi x?><?xml version='1.0'?><a/>", "XML declaration not at"},
        {"<? x?><a/>", "\"<?\" not followed by a name"},
        {"<?x/?><a/>", "bad processing instruction"},
        {"<1a/>", "'<' not followed by a name"},
        {"<a/b>", "'/' not followed by '>'"},
        {"<a%/>", "bad character in a tag's name"},
        {"<a></a%>", "bad character in an end tag"},
        {"<a></a x>", "bad character in an end tag"},
        {"<a></ a>", "\"</\" not followed by a name"},
        {"<a>\x01</a>", "character U+0001 is not allowed"},
        {"<a>\xef\xbf\xbe</a>", "character U+FFFE is not allowed"},
        {"<a>\xff</a>", "invalid UTF-8 (byte 0xFF)"},
        {"<a>\xc0\x80</a>", "invalid UTF-8"},
        {"<a>\xe0\x80\x80</a>", "badly encoded"},
        {"<a>\xed\xa0\x80</a>", "badly encoded"},
        {"<a>\xe4x</a>", "invalid UTF-8 (byte 0x78)"},
        {"<a x='\xff'/>", "invalid UTF-8"},
        {"<a>\n\n<b></a>", "line 3: end tag"},
    };
    int n = (int)(sizeof cases / sizeof cases[0]);
    for (int i = 0; i < n; i++) {
        /* whole, then in pieces of 3 bytes */
        for (int piece = 0; piece < 2; piece++) {
            struct kc_xml *x = kc_xml_new();
            const unsigned char *d = (const unsigned char *)cases[i].doc;
            size_t len = strlen(cases[i].doc), step = piece ? 3 : len;
            int rc = 0;
            err[0] = '\0';
            for (size_t k = 0; k < len && rc == 0; k += step)
                rc = kc_xml_feed(x, d + k, len - k < step ? len - k : step,
                                 &kerr);
            if (rc == 0)
                rc = kc_xml_finish(x, &kerr);
            if (cases[i].want) {
                if (rc == 0)
                    fprintf(stderr, "  case %d passed: %s\n", i, cases[i].doc);
                CHECK(rc != 0);
                CHECK(zm_says(err, cases[i].want));
                /* a failed checker keeps failing */
                CHECK(kc_xml_feed(x, (const unsigned char *)"<", 1, &kerr) !=
                      0);
                CHECK(kc_xml_finish(x, &kerr) != 0);
            } else {
                if (rc != 0)
                    fprintf(stderr, "  case %d: %s\n", i, err);
                CHECK_EQ_INT(rc, 0);
            }
            kc_xml_free(x);
        }
    }
    /* nesting beyond the limit */
    struct kc_xml *x = kc_xml_new();
    int rc = 0;
    for (int i = 0; i < 5000 && rc == 0; i++)
        rc = kc_xml_feed(x, (const unsigned char *)"<a>", 3, &kerr);
    CHECK(rc != 0);
    CHECK(zm_says(err, "more than 4096 nested elements"));
    kc_xml_free(x);
    /* one tag with too many attribute names */
    x = kc_xml_new();
    rc = kc_xml_feed(x, (const unsigned char *)"<a", 2, &kerr);
    char at[32];
    for (int i = 0; i < 20000 && rc == 0; i++) {
        snprintf(at, sizeof at, " attr%d=''", i);
        rc = kc_xml_feed(x, (const unsigned char *)at, strlen(at), &kerr);
    }
    CHECK(rc != 0);
    CHECK(zm_says(err, "too many attributes"));
    kc_xml_free(x);
    /* a name beyond the bound on the open elements' names */
    x = kc_xml_new();
    rc = kc_xml_feed(x, (const unsigned char *)"<a", 2, &kerr);
    for (int i = 0; i < (1 << 17) && rc == 0; i++)
        rc = kc_xml_feed(x, (const unsigned char *)"bbbbbbbbbb", 10, &kerr);
    CHECK(rc != 0);
    CHECK(zm_says(err, "element names too long"));
    kc_xml_free(x);
}

/* The OLE2 directory entry of stream NAME (ASCII) in the 512-byte-sector
 * file P, or NULL. */
static unsigned char *ole_entry(unsigned char *p, size_t len, const char *name)
{
    uint32_t s = get32(p + 0x30);
    uint32_t fat0 = get32(p + 0x4C);
    for (int hops = 0; s < 0xFFFFFFF0u && hops < 100; hops++) {
        if ((size_t)(s + 2) * 512 > len)
            return NULL;
        for (int e = 0; e < 4; e++) {
            unsigned char *d = p + (size_t)(s + 1) * 512 + 128 * e;
            size_t n = strlen(name), k;
            for (k = 0; k < n && d[2 * k] == (unsigned char)name[k]; k++)
                ;
            if (k == n && d[2 * n] == 0)
                return d;
        }
        s = get32(p + (size_t)(fat0 + 1) * 512 + 4 * s);
    }
    return NULL;
}

/* FAT entry I of a file whose FAT is its first FAT sector. */
static unsigned char *fat_at(unsigned char *p, uint32_t i)
{
    return p + (size_t)(get32(p + 0x4C) + 1) * 512 + 4 * i;
}

/* A synthetic OLE2 file with 110 FAT sectors (so a DIFAT sector). */
static unsigned char *ole_big_fat(size_t *len)
{
    const uint32_t ns = 120;
    *len = 512 + (size_t)ns * 512;
    unsigned char *p = calloc(1, *len);
    static const unsigned char magic[8] = {0xd0, 0xcf, 0x11, 0xe0,
                                           0xa1, 0xb1, 0x1a, 0xe1};
    memcpy(p, magic, 8);
    put16(p + 0x18, 0x3E);
    put16(p + 0x1A, 3);
    put16(p + 0x1C, 0xFFFE);
    put16(p + 0x1E, 9);
    put16(p + 0x20, 6);
    put32(p + 0x2C, 110);
    put32(p + 0x30, 111);
    put32(p + 0x38, 4096);
    put32(p + 0x3C, 0xFFFFFFFEu);
    put32(p + 0x44, 109);
    put32(p + 0x48, 1);
    for (uint32_t i = 0; i < 109; i++)
        put32(p + 0x4C + 4 * i, i);
    /* the DIFAT sector: FAT sector 110, then free, then end of chain */
    unsigned char *d = p + 110 * 512;
    memset(d, 0xFF, 512);
    put32(d, 110);
    put32(d + 508, 0xFFFFFFFEu);
    /* the FAT: 110 sectors of 128 entries, all free but these */
    uint32_t fat_of[110];
    for (uint32_t i = 0; i < 109; i++)
        fat_of[i] = i;
    fat_of[109] = 110;
    for (uint32_t i = 0; i < 110; i++)
        memset(p + (size_t)(fat_of[i] + 1) * 512, 0xFF, 512);
#define FAT(i, v)                                                              \
    put32(p + (size_t)(fat_of[(i) / 128] + 1) * 512 + 4 * ((i) % 128), v)
    for (uint32_t i = 0; i < 109; i++)
        FAT(i, 0xFFFFFFFDu);
    FAT(110u, 0xFFFFFFFDu);
    FAT(109u, 0xFFFFFFFCu);
    FAT(111u, 0xFFFFFFFEu);
    for (uint32_t i = 112; i < 119; i++)
        FAT(i, i + 1);
    FAT(119u, 0xFFFFFFFEu);
#undef FAT
    /* the directory (sector 111): the root, a Workbook stream of 4096
     * bytes */
    unsigned char *e = p + 112 * 512;
    memset(e, 0, 512);
    static const char *const names[] = {"Root Entry", "Workbook"};
    for (int k = 0; k < 2; k++) {
        unsigned char *x = e + 128 * k;
        size_t n = strlen(names[k]);
        for (size_t j = 0; j < n; j++)
            x[2 * j] = (unsigned char)names[k][j];
        put16(x + 0x40, (uint32_t)(2 * n + 2));
        x[0x42] = k == 0 ? 5 : 2;
        put32(x + 0x44, 0xFFFFFFFFu);
        put32(x + 0x48, 0xFFFFFFFFu);
        put32(x + 0x4C, k == 0 ? 1 : 0xFFFFFFFFu);
        put32(x + 0x74, k == 0 ? 0xFFFFFFFEu : 112);
        put32(x + 0x78, k == 0 ? 0 : 4096);
    }
    /* the stream, in sectors 112-119: BOF of the globals, EOF */
    static const unsigned char recs[] = {0x09, 0x08, 16, 0, 0,    6, 5, 0,
                                         0,    0,    0,  0, 0,    0, 0, 0,
                                         0,    0,    0,  0, 0x0A, 0, 0, 0};
    memcpy(p + 113 * 512, recs, sizeof recs);
    return p;
}

/* R9-R12: xls */
static void test_xls(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.xls", &len); /* a mini stream */
    if (!p)
        return;
    unsigned char *q = zm_copy(p, len);
    FAILS(q, 300, "xls", "truncated OLE2 file");
    FAILS(q, 4000, "xls", "truncated?");
    FAILS("PK\3\4 not ole at all, long enough?", 35, "xls",
          "not an OLE2 compound file");
    q[0x1C] = 0;
    FAILS(q, len, "xls", "bad byte order mark");
    memcpy(q, p, len);
    q[0x1E] = 10;
    FAILS(q, len, "xls", "version 3 with sector shift 10");
    memcpy(q, p, len);
    q[0x20] = 7;
    FAILS(q, len, "xls", "bad mini sector size");
    memcpy(q, p, len);
    put32(q + 0x2C, 0);
    FAILS(q, len, "xls", "claims 0 FAT sectors");
    memcpy(q, p, len);
    put32(q + 0x48, 1000);
    FAILS(q, len, "xls", "claims 1000 DIFAT sectors");
    memcpy(q, p, len);
    put32(q + 0x2C, 2);
    FAILS(q, len, "xls", "FAT sector 4294967295 lies outside the file");
    /* broken FAT chains: the mini stream's chain (root entry) */
    unsigned char *root = ole_entry(q, len, "Root Entry");
    CHECK(root != NULL);
    uint32_t rs = root ? get32(root + 0x74) : 0;
    memcpy(q, p, len);
    put32(fat_at(q, rs + 2), 5000);
    FAILS(q, len, "xls", "points outside the file (sector 5000");
    memcpy(q, p, len);
    put32(fat_at(q, rs + 2), rs + 2);
    FAILS(q, len, "xls", "two FAT chains lead to sector");
    memcpy(q, p, len);
    /* the chain's last sector back to its first: a cycle */
    uint32_t last = rs;
    while (get32(fat_at(q, last)) != 0xFFFFFFFEu)
        last = get32(fat_at(q, last));
    put32(fat_at(q, last), rs);
    FAILS(q, len, "xls", "is a cycle");
    memcpy(q, p, len);
    put32(fat_at(q, rs + 2), 0xFFFFFFFEu);
    FAILS(q, len, "xls", "its mini stream is broken");
    memcpy(q, p, len);
    put32(q + 0x3C, 0xFFFFFFFFu);
    FAILS(q, len, "xls", "its mini FAT chain is broken");
    memcpy(q, p, len);
    put32(q + 0x30, 0xFFFFFFFEu);
    FAILS(q, len, "xls", "its directory chain is broken");
    memcpy(q, p, len);
    root = ole_entry(q, len, "Root Entry");
    root[0x42] = 1;
    FAILS(q, len, "xls", "no root entry");
    /* no Workbook stream; a "Book" stream is one */
    memcpy(q, p, len);
    unsigned char *wb = ole_entry(q, len, "Workbook");
    CHECK(wb != NULL);
    if (!wb)
        return;
    wb[0] = 'X';
    FAILS(q, len, "xls", "no Workbook stream");
    memcpy(q, p, len);
    wb = ole_entry(q, len, "Workbook");
    memcpy(wb, "B\0o\0o\0k\0\0\0", 10);
    put16(wb + 0x40, 10);
    PASSES(q, len, "xls");
    /* the stream's BOF (in the mini stream) */
    memcpy(q, p, len);
    wb = ole_entry(q, len, "Workbook");
    root = ole_entry(q, len, "Root Entry");
    size_t first =
        (size_t)(get32(root + 0x74) + 1) * 512 + (size_t)get32(wb + 0x74) * 64;
    CHECK_EQ_INT(q[first], 0x09);
    CHECK_EQ_INT(q[first + 1], 0x08);
    q[first] = 0x0A;
    FAILS(q, len, "xls", "does not start with a BOF record");
    memcpy(q, p, len);
    q[first + 6] = 0x10; /* the substream type: a worksheet */
    FAILS(q, len, "xls", "not the workbook globals");
    /* a mini chain shorter than the stream */
    memcpy(q, p, len);
    wb = ole_entry(q, len, "Workbook");
    put32(wb + 0x78, get32(wb + 0x78) + 200);
    FAILS(q, len, "xls", "Workbook stream's chain ends after");
    /* one longer */
    memcpy(q, p, len);
    wb = ole_entry(q, len, "Workbook");
    put32(wb + 0x78, 64);
    FAILS(q, len, "xls", "goes on past its size");
    free(q);
    free(p);

    p = zm_fixture("pad.xls", &len); /* a stream of whole sectors */
    if (!p)
        return;
    q = zm_copy(p, len);
    FAILS(q, 20000, "xls", "truncated?");
    wb = ole_entry(q, len, "Workbook");
    CHECK(wb && get32(wb + 0x78) >= 4096);
    if (!wb)
        return;
    uint32_t ws = get32(wb + 0x74);
    put32(fat_at(q, ws), 0xFFFFFFFEu);
    FAILS(q, len, "xls", "Workbook stream's chain is broken (short of");
    memcpy(q, p, len);
    put32(fat_at(q, ws), ws);
    FAILS(q, len, "xls", "is a cycle");
    memcpy(q, p, len);
    wb = ole_entry(q, len, "Workbook");
    put32(wb + 0x78, 4096);
    FAILS(q, len, "xls", "goes on past its size");
    memcpy(q, p, len);
    q[(size_t)(ws + 1) * 512] = 0;
    FAILS(q, len, "xls", "does not start with a BOF record");
    /* the globals' EOF record turned into another record */
    memcpy(q, p, len);
    static const unsigned char eof_bof[6] = {0x0A, 0, 0, 0, 0x09, 0x08};
    long e = zm_find(q, len, (size_t)(ws + 1) * 512, eof_bof, 6);
    CHECK(e > 0);
    if (e > 0) {
        q[e] = 0x0B;
        FAILS(q, len, "xls", "its globals end without an EOF record");
    }
    /* the stream cut: a short size whose chain is short too */
    memcpy(q, p, len);
    wb = ole_entry(q, len, "Workbook");
    put32(wb + 0x78, 4096);
    uint32_t s = ws;
    for (int i = 0; i < 7; i++)
        s = get32(fat_at(q, s));
    put32(fat_at(q, s), 0xFFFFFFFEu);
    if (e > 0 && (size_t)e > (size_t)(ws + 1) * 512 + 4096) {
        CHECK(chk(q, len, "xls") != 0);
        CHECK(strstr(err, "ends before the EOF record") ||
              strstr(err, "runs past the end"));
    }
    free(q);
    free(p);

    /* 110 FAT sectors: the DIFAT chain */
    p = ole_big_fat(&len);
    PASSES(p, len, "xls");
    q = zm_copy(p, len);
    put32(q + 0x48, 0);
    FAILS(q, len, "xls", "its DIFAT lists 109 of its 110 FAT sectors");
    memcpy(q, p, len);
    put32(q + 0x44, 4000);
    FAILS(q, len, "xls", "its DIFAT chain leaves the file");
    free(q);
    free(p);
}

/* Appends to a growing PDF. */
static void pdf_add(struct zm_buf *b, const char *s)
{
    zm_put(b, s, strlen(s));
}

/* A PDF 1.5 whose only page is in a compressed object stream, with an
 * xref stream (PAGE 0: the stream holds no page). */
static unsigned char *pdf_objstm(int page, size_t *len)
{
    struct zm_buf b = {NULL, 0, 0};
    pdf_add(&b, "%PDF-1.5\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
                "2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n");
    const char *inner = page ? "3 0 <</Type/Page/Parent 2 0 R>>"
                             : "3 0 <</Type/Annot/Parent 2 0 R>>";
    int (*compress2)(unsigned char *, unsigned long *, const unsigned char *,
                     unsigned long, int);
    *(void **)&compress2 = zm_zlib("compress2");
    unsigned char z[256];
    unsigned long zl = sizeof z;
    if (!compress2 ||
        compress2(z, &zl, (const unsigned char *)inner, strlen(inner), 9) != 0)
        abort();
    char hd[128];
    snprintf(hd, sizeof hd,
             "4 0 obj <</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length "
             "%lu>>stream\n",
             zl);
    pdf_add(&b, hd);
    zm_put(&b, z, zl);
    pdf_add(&b, "\nendstream endobj\n");
    size_t x = b.len;
    pdf_add(&b, "5 0 obj <</Type /XRef/Size 6/Root 1 0 R/W[1 2 1]/Length 0>>"
                "stream\n\nendstream endobj\n");
    snprintf(hd, sizeof hd, "startxref\n%zu\n%%%%EOF\n", x);
    pdf_add(&b, hd);
    *len = b.len;
    return b.p;
}

/* R13-R15: pdf */
static void test_pdf(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.pdf", &len);
    if (!p)
        return;
    unsigned char *q = zm_copy(p, len);
    FAILS(q, len - 10, "pdf", "no %%EOF in its last 1 KiB (truncated?)");
    FAILS(q, len / 2, "pdf", "no %%EOF");
    FAILS("%PDX-1.6 %%EOF", 14, "pdf", "no %PDF- header");
    /* no page: /Type/Page renamed, same length */
    long at;
    while ((at = zm_find(q, len, 0, "/Type/Page/", 11)) >= 0)
        q[at + 9] = 'x';
    FAILS(q, len, "pdf", "no page object");
    /* startxref moved */
    memcpy(q, p, len);
    long sx = zm_find(q, len, len - 100, "startxref", 9);
    CHECK(sx > 0);
    long digit = sx + 10;
    memcpy(q, p, len);
    q[digit] = q[digit] == '1' ? '2' : '1';
    CHECK(chk(q, len, "pdf") != 0);
    CHECK(strstr(err, "points at neither") || strstr(err, "outside"));
    /* startxref beyond the file: a 9-digit offset */
    struct zm_buf b = {NULL, 0, 0};
    zm_put(&b, p, (size_t)sx);
    pdf_add(&b, "startxref\n999999999\n%%EOF\n");
    FAILS(b.p, b.len, "pdf", "points outside the file");
    b.len = (size_t)sx;
    pdf_add(&b, "startxref\n%%EOF\n");
    FAILS(b.p, b.len, "pdf", "no offset after its startxref");
    b.len = (size_t)sx;
    pdf_add(&b, "%%EOF\n");
    FAILS(b.p, b.len, "pdf", "no startxref before its %%EOF");
    free(b.p);
    /* an xref entry pointing at the wrong place */
    memcpy(q, p, len);
    long xr = zm_find(q, len, 0, "\nxref\n", 6);
    CHECK(xr > 0);
    long ent = zm_find(q, len, (size_t)xr, " 00000 n", 8);
    CHECK(ent > 0);
    q[ent - 1] = q[ent - 1] == '1' ? '2' : '1';
    FAILS(q, len, "pdf", "which holds no such object");
    /* the table cut: its count beyond the file */
    memcpy(q, p, len);
    long cnt = zm_find(q, len, (size_t)xr + 6, " ", 1);
    memcpy(q + cnt + 1, "99999", 5);
    FAILS(q, len, "pdf", "runs past the end of the file");
    /* no trailer */
    memcpy(q, p, len);
    long tr = zm_find(q, len, (size_t)xr, "trailer", 7);
    memcpy(q + tr, "trailex", 7);
    FAILS(q, len, "pdf", "damaged or has no trailer");
    memcpy(q, p, len);
    long root = zm_find(q, len, (size_t)tr, "/Root", 5);
    q[root + 1] = 'X';
    FAILS(q, len, "pdf", "its trailer names no /Root");
    free(q);
    free(p);
    /* an xref stream and a page only in a compressed object stream */
    p = pdf_objstm(1, &len);
    PASSES(p, len, "pdf");
    long t = zm_find(p, len, 0, "/Type /XRef", 11);
    p[t + 7] = 'Y';
    FAILS(p, len, "pdf", "not an xref stream");
    free(p);
    p = pdf_objstm(0, &len);
    FAILS(p, len, "pdf", "no page object");
    free(p);
}

/* R16-R18: csv */
static void test_csv(void)
{
    size_t len;
    unsigned char *p = zm_fixture("tiny.csv", &len);
    if (!p)
        return;
    PASSES(p, len, "csv");
    FAILS(p, len - 1, "csv", "does not end with a line break");
    long q = zm_find(p, len, 0, "\"rate", 5);
    CHECK(q > 0);
    /* cut inside the quoted field */
    FAILS(p, (size_t)q + 6, "csv", "an open quote: the quoted field of line 1");
    free(p);
    static const struct {
        const char *csv, *want;
    } cases[] = {
        {"\xef\xbb\xbf", NULL},
        {"\xef\xbb\xbf"
         "a,b\r\n",
         NULL},
        {"a,\"b\nc\",\"\"\"\"\n", NULL},
        {"\xe4\xb8\xad,\xf0\x9f\x98\x80\n", NULL},
        {"\n", NULL},
        {"a,\"b\n", "an open quote: the quoted field of line 1"},
        {"a\n\"b,c\nd\n", "of line 2 never closes"},
        {"a,b\"c\n", "a quote inside an unquoted field at line 1"},
        {"a\n\"b\"c\n", "is not doubled at line 2"},
        {"a,\xff\n", "invalid UTF-8 at line 1 (byte 2)"},
        {"\xc0\x80\n", "invalid UTF-8"},
        {"\xed\xa0\x80\n", "invalid UTF-8"},
        {"\xf4\x90\x80\x80\n", "invalid UTF-8"},
        {"\xe4\xb8", "invalid UTF-8"},
        {"a,b", "does not end with a line break"},
        {"a,\"b\"", "does not end with a line break"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = chk(cases[i].csv, strlen(cases[i].csv), "csv");
        if (cases[i].want) {
            CHECK(rc != 0);
            CHECK(zm_says(err, cases[i].want));
        } else {
            if (rc != 0)
                fprintf(stderr, "  csv case %zu: %s\n", i, err);
            CHECK_EQ_INT(rc, 0);
        }
    }
    FAILS("a,\0b\n", 5, "csv", "a NUL byte at line 1");
}

int main(void)
{
    test_whole();
    test_ods();
    test_xlsx();
    test_fods();
    test_xml();
    test_xls();
    test_pdf();
    test_csv();
    return kpi_test_report("batch outcheck");
}
