#!/usr/bin/python3
"""Writes the workbooks the batch tests and the benchmark use (stdlib only).

  make_fixtures.py faults DIR      one workbook per fault and feature test
  make_fixtures.py yearly N DIR    N realistic yearly township workbooks (.fods)

Every workbook that claims a cached result says it was written by
LibreOffice, so that LibreOffice trusts the cache unless told to recalculate.
"""
import os
import random
import struct
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

LO_GENERATOR = 'LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2'
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
      'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
      'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
      'xmlns:dom="http://www.w3.org/2001/xml-events" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:ooo="http://openoffice.org/2004/office"')
SPREADSHEET = 'application/vnd.oasis.opendocument.spreadsheet'


# ---- cells and sheets ---------------------------------------------------

def num(v):
    return ('<table:table-cell office:value-type="float" office:value="%r" '
            'calcext:value-type="float"><text:p>%s</text:p></table:table-cell>'
            % (v, v))


def txt(s):
    return ('<table:table-cell office:value-type="string" calcext:value-type="string">'
            '<text:p>%s</text:p></table:table-cell>' % escape(s))


def formula(f, cached=None):
    """A formula cell; CACHED is the result stored with it (None: none)."""
    attr = 'table:formula=%s' % quoteattr('of:=' + f)
    if cached is None:
        return '<table:table-cell %s/>' % attr
    return ('<table:table-cell %s office:value-type="float" office:value="%r" '
            'calcext:value-type="float"><text:p>%s</text:p></table:table-cell>'
            % (attr, cached, cached))


def sheet(name, rows):
    return ('<table:table table:name=%s>%s</table:table>'
            % (quoteattr(name), ''.join('<table:table-row>%s</table:table-row>'
                                        % ''.join(r) for r in rows)))


def kpi_sheet(items):
    """ITEMS: (key, formula, label_zh, label_en)."""
    rows = [[txt('key'), txt('value'), txt('label_zh'), txt('label_en')]]
    rows += [[txt(k), formula(f), txt(zh), txt(en)] for k, f, zh, en in items]
    return sheet('KPI', rows)


def body(sheets):
    return '<office:body><office:spreadsheet>%s</office:spreadsheet></office:body>' % ''.join(sheets)


def fods(path, sheets, scripts=''):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s '
                'office:version="1.3" office:mimetype="%s"><office:meta>'
                '<meta:generator>%s</meta:generator></office:meta>%s%s'
                '</office:document>\n' % (NS, SPREADSHEET, LO_GENERATOR, scripts, body(sheets)))


def odf_zip(path, mimetype, content_body, scripts='', extra=()):
    """A zipped ODF package: mimetype first and stored, then the parts."""
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content %s '
               'office:version="1.3">%s%s</office:document-content>'
               % (NS, scripts, content_body))
    meta = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta %s '
            'office:version="1.3"><office:meta><meta:generator>%s</meta:generator>'
            '</office:meta></office:document-meta>' % (NS, LO_GENERATOR))
    parts = [('content.xml', content), ('meta.xml', meta)] + list(extra)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                'manifest:version="1.3" manifest:media-type="%s"/>%s</manifest:manifest>'
                % (mimetype, ''.join('<manifest:file-entry manifest:full-path="%s" '
                                     'manifest:media-type="text/xml"/>' % n
                                     for n, _ in parts)))
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in parts + [('META-INF/manifest.xml', manifest)]:
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


# ---- the realistic yearly workbook ----------------------------------------

def yearly(path, seed, townships=60):
    """A township's yearly report: staff, opinions and litigation per unit,
    rates per unit and totals, and the KPI sheet. About 10 formulas per row."""
    rnd = random.Random(seed)
    head = ['unit', 'staff', 'certified', 'opinions', 'adopted', 'cases_prev',
            'cases', 'lost_prev', 'lost']
    data = [[txt(h) for h in head]]
    for i in range(townships):
        staff = rnd.randint(10, 60)
        opinions = rnd.randint(20, 200)
        cases_prev = rnd.randint(0, 30)
        cases = rnd.randint(0, 30)
        data.append([txt('unit %d' % (i + 1)), num(staff), num(rnd.randint(0, staff)),
                     num(opinions), num(rnd.randint(0, opinions)), num(cases_prev),
                     num(cases), num(rnd.randint(0, cases_prev)), num(rnd.randint(0, cases))])
    n = townships + 1
    calc = [[txt(h) for h in ('unit', 'certrate', 'adoptrate', 'lossrate_prev',
                               'lossrate', 'cases_fell', 'loss_fell', 'double',
                               'rank', 'score')]]
    for r in range(2, n + 1):
        calc.append([
            formula('[$Data.A%d]' % r),
            formula('[$Data.C%d]/[$Data.B%d]' % (r, r), cached=0),
            formula('IF([$Data.D%d]=0;0;[$Data.E%d]/[$Data.D%d])' % (r, r, r), cached=0),
            formula('IF([$Data.F%d]=0;0;[$Data.H%d]/[$Data.F%d])' % (r, r, r), cached=0),
            formula('IF([$Data.G%d]=0;0;[$Data.I%d]/[$Data.G%d])' % (r, r, r), cached=0),
            formula('[$Data.G%d]<[$Data.F%d]' % (r, r), cached=0),
            formula('[.E%d]<[.D%d]' % (r, r), cached=0),
            formula('AND([.F%d];[.G%d])' % (r, r), cached=0),
            formula('RANK([.B%d];[.B$2:.B$%d])' % (r, n), cached=0),
            formula('ROUND(([.B%d]+[.C%d])/2*100;1)' % (r, r), cached=0),
        ])
    totals = [[txt('total'), formula('SUM([$Data.B2:.B%d])' % n, cached=0),
               formula('SUM([$Data.C2:.C%d])' % n, cached=0),
               formula('SUM([$Data.D2:.D%d])' % n, cached=0),
               formula('SUM([$Data.E2:.E%d])' % n, cached=0),
               formula('SUM([$Data.F2:.F%d])' % n, cached=0),
               formula('SUM([$Data.G2:.G%d])' % n, cached=0),
               formula('SUM([$Data.H2:.H%d])' % n, cached=0),
               formula('SUM([$Data.I2:.I%d])' % n, cached=0),
               formula('AVERAGE([$Calc.J2:.J%d])' % n, cached=0)]]
    kpi = kpi_sheet([
        ('certrate', '[$Totals.C1]/[$Totals.B1]', '持证率', 'certification rate'),
        ('adoptrate', '[$Totals.E1]/[$Totals.D1]', '采纳率', 'adoption rate'),
        ('lossrate', '[$Totals.I1]/[$Totals.G1]', '败诉率', 'litigation loss rate'),
        ('doubledecline', 'AND([$Totals.G1]<[$Totals.F1];[$Totals.I1]/[$Totals.G1]<[$Totals.H1]/[$Totals.F1])',
         '双下降', 'double decline'),
        ('units', 'COUNTA([$Data.A2:.A%d])' % n, '单位数', 'units'),
    ])
    fods(path, [sheet('Data', data), sheet('Calc', calc), sheet('Totals', totals), kpi])


# ---- the fault and feature fixtures --------------------------------------

def stale_sheets():
    """31/34 cached as 0.5, 2+3 cached as 99; a KPI sheet that reads them."""
    data = sheet('Data', [[num(31), num(34), formula('[.A1]/[.B1]', cached=0.5),
                           formula('2+3', cached=99)]])
    return [data, kpi_sheet([('certrate', '[$Data.C1]', '持证率', 'certification rate'),
                             ('five', '[$Data.D1]', '五', 'five')])]


def stale_xlsx(path):
    """C1 = A1/B1 cached 0.5 and D1 = 2+3 cached 99 (true: 0.9117..., 5)."""
    files = {
        '[Content_Types].xml':
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            '</Types>',
        '_rels/.rels':
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            '</Relationships>',
        'docProps/app.xml':
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Application>%s</Application></Properties>' % LO_GENERATOR,
        'xl/workbook.xml':
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        'xl/_rels/workbook.xml.rels':
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>',
        'xl/worksheets/sheet1.xml':
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1"><v>31</v></c><c r="B1"><v>34</v></c>'
            '<c r="C1"><f>A1/B1</f><v>0.5</v></c><c r="D1"><f>2+3</f><v>99</v></c></row></sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


MACRO_MODULE = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Main
  Dim n As Integer
  n = FreeFile
  Open Environ(&quot;KPICALC_MACRO_PROBE&quot;) For Output As #n
  Print #n, &quot;the macro ran&quot;
  Close #n
End Sub
</script:module>'''
MACRO_LB = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/></library:library>'''
MACRO_LC = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" library:link="false"/></library:libraries>'''
ON_LOAD = ('<office:scripts><office:event-listeners><script:event-listener '
           'script:language="ooo:script" script:event-name="dom:load" '
           'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document" '
           'xlink:type="simple"/></office:event-listeners></office:scripts>')


def macro_ods(path):
    """On load, a Basic macro writes the file named by $KPICALC_MACRO_PROBE."""
    odf_zip(path, SPREADSHEET, body([sheet('Data', [[num(1), formula('[.A1]+1', cached=2)]])]),
            scripts=ON_LOAD,
            extra=[('Basic/Standard/Module1.xml', MACRO_MODULE),
                   ('Basic/Standard/script-lb.xml', MACRO_LB),
                   ('Basic/script-lc.xml', MACRO_LC)])


def flip_deflated(src, dst, member='content.xml'):
    """Copies SRC with bytes of MEMBER's compressed data flipped; the archive
    structure stays whole, only the deflate stream is damaged (this makes
    LibreOffice 7.4 abort while loading)."""
    data = bytearray(open(src, 'rb').read())
    info = zipfile.ZipFile(src).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    lo, hi = start + 20, min(start + 60, start + info.compress_size - 4)
    for i in range(lo, hi):
        data[i] ^= 0x55
    open(dst, 'wb').write(data)


def faults(d):
    os.makedirs(d, exist_ok=True)
    # a plain good workbook, with indicators and one error cell
    fods(os.path.join(d, 'good.fods'),
         [sheet('Data', [[num(31), num(34), num(99), num(103), formula('1/0')]]),
          kpi_sheet([('certrate', '[$Data.A1]/[$Data.B1]', '持证率', 'certification rate'),
                     ('adoptrate', '[$Data.C1]/[$Data.D1]', '采纳率', 'adoption rate'),
                     ('lossrate', '1/0', '败诉率', 'litigation loss rate'),
                     ('doubledecline', 'AND(1<2;3<4)', '双下降', 'double decline')])])
    # stale caches in each format
    fods(os.path.join(d, 'stale.fods'), stale_sheets())
    odf_zip(os.path.join(d, 'stale.ods'), SPREADSHEET, body(stale_sheets()))
    stale_xlsx(os.path.join(d, 'stale.xlsx'))
    # a workbook with an auto-run macro
    macro_ods(os.path.join(d, 'macro.ods'))
    # corrupt and foreign files
    odf_zip(os.path.join(d, 'whole.ods'), SPREADSHEET,
            body([sheet('Data', [[num(i), formula('[.A1]*%d' % i, cached=0)] for i in range(1, 200)])]))
    whole = open(os.path.join(d, 'whole.ods'), 'rb').read()
    open(os.path.join(d, 'truncated.ods'), 'wb').write(whole[:len(whole) // 2])
    os.remove(os.path.join(d, 'whole.ods'))
    odf_zip(os.path.join(d, 'small.ods'), SPREADSHEET,
            body([sheet('Data', [[num(1), formula('[.A1]+1', cached=2)]])]))
    flip_deflated(os.path.join(d, 'small.ods'), os.path.join(d, 'crashes-lo.ods'))
    os.remove(os.path.join(d, 'small.ods'))
    open(os.path.join(d, 'random.xlsx'), 'wb').write(random.Random(7).randbytes(3000))
    open(os.path.join(d, 'notes.ods'), 'w').write('these are meeting notes, not a workbook\n')
    odf_zip(os.path.join(d, 'letter.odt'), 'application/vnd.oasis.opendocument.text',
            '<office:body><office:text><text:p>Dear township,</text:p></office:text></office:body>')
    # the add-in's functions (need build/kpicalc.oxt)
    fods(os.path.join(d, 'addin.fods'),
         [sheet('Data', [[formula('org.kpicalc.KpiCalc.CERTRATE(31;34)'),
                          formula('org.kpicalc.KpiCalc.ADOPTRATE(99;103)')]]),
          kpi_sheet([('certrate', 'org.kpicalc.KpiCalc.CERTRATE(31;34)', '持证率', 'certification rate')])])


def main(argv):
    if len(argv) == 3 and argv[1] == 'faults':
        faults(argv[2])
    elif len(argv) == 4 and argv[1] == 'yearly':
        os.makedirs(argv[3], exist_ok=True)
        for i in range(int(argv[2])):
            yearly(os.path.join(argv[3], 'township-%03d.fods' % (i + 1)), seed=i)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
