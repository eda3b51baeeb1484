#!/usr/bin/env python3
"""Hostile workbooks for tests/batch/test_hostile.sh (issue 13), and the
test's helpers.

  make_hostile.py links DIR URL SECRETDIR   workbooks that link to URL (a
        listener on 127.0.0.1) or to files in SECRETDIR, one per kind of
        link, plus allowed ones (hyperlinks) that must still open
  make_hostile.py secret SECRETDIR MARKER   the secret files (a PNG, a text
        file and a workbook carrying MARKER)
  make_hostile.py bombs DIR                 the fods of 1,048,576 repeated
        rows x 1,024 columns (1.1 KB), a 1 MB .ods whose content.xml
        inflates to 1 GB, a workbook whose flat export is ~8 MB
  make_hostile.py listen PORTFILE LOGFILE   a TCP listener on 127.0.0.1 that
        appends each connection's first line to LOGFILE (writes its port to
        PORTFILE; runs until killed)
  make_hostile.py grep MARKER DIR           exit 1 when MARKER is in any file
        below DIR: raw, inside ZIP members, or inside a PDF's deflated
        streams
"""
import os
import socket
import struct
import sys
import zipfile
import zlib

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" ')
MIME = 'application/vnd.oasis.opendocument.spreadsheet'
CELLS = ('<table:table-row><table:table-cell office:value-type="float" '
         'office:value="31"><text:p>31</text:p></table:table-cell>'
         '<table:table-cell table:formula="of:=[.A1]+1"/></table:table-row>')


def frame(inner):
    return ('<table:shapes><draw:frame svg:width="3cm" svg:height="3cm" '
            'svg:x="1cm" svg:y="1cm">%s</draw:frame></table:shapes>' % inner)


def body(shapes='', before='', table_extra=''):
    return ('<office:body><office:spreadsheet>%s<table:table table:name="Data">'
            '%s%s%s</table:table></office:spreadsheet></office:body>'
            % (before, table_extra, shapes, CELLS))


def content(inner, root='office:document-content', mime=False, head=''):
    m = ' office:mimetype="%s"' % MIME if mime else ''
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s<%s %soffice:version="1.3"%s>'
            '%s</%s>\n' % (head, root, NS, m, inner, root.split()[0]))


def write_ods(path, content_xml, styles_xml=None):
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type'
                '="%s"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/>%s</manifest:manifest>\n'
                % (MIME, '<manifest:file-entry manifest:full-path="styles.xml" '
                   'manifest:media-type="text/xml"/>' if styles_xml else ''))
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), MIME)
        z.writestr('META-INF/manifest.xml', manifest, zipfile.ZIP_DEFLATED)
        z.writestr('content.xml', content_xml, zipfile.ZIP_DEFLATED)
        if styles_xml:
            z.writestr('styles.xml', styles_xml, zipfile.ZIP_DEFLATED)


def write_fods(path, inner, head=''):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(content(inner, 'office:document', True, head))


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
      'package.relationships+xml"/><Default Extension="xml" ContentType='
      '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
      '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>%s</Types>\n')
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PR = 'http://schemas.openxmlformats.org/package/2006/relationships'


def rels(items):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="%s">%s</Relationships>\n' % (PR, ''.join(
                '<Relationship Id="%s" Type="%s/%s" Target="%s"%s/>'
                % (i, R, t, target, ' TargetMode="External"' if ext else '')
                for i, t, target, ext in items)))


def write_xlsx(path, sheet_tail='', sheet_rels=None, extra=None, ct_extra=''):
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
          'main" xmlns:r="%s"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/>'
          '</sheets></workbook>\n' % R)
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="%s"><sheetData><row r="1"><c r="A1"><v>31</v>'
             '</c><c r="B1"><f>A1+1</f><v>0</v></c></row></sheetData>%s</worksheet>\n'
             % (R, sheet_tail))
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT % ct_extra)
        z.writestr('_rels/.rels', rels([('rId1', 'officeDocument', 'xl/workbook.xml', 0)]))
        z.writestr('xl/workbook.xml', wb)
        z.writestr('xl/_rels/workbook.xml.rels',
                   rels([('rId1', 'worksheet', 'worksheets/sheet1.xml', 0)]))
        z.writestr('xl/worksheets/sheet1.xml', sheet)
        if sheet_rels:
            z.writestr('xl/worksheets/_rels/sheet1.xml.rels', rels(sheet_rels))
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def xlsx_drawing(path, target):
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/'
               '2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/'
               'drawingml/2006/main" xmlns:r="%s"><xdr:oneCellAnchor><xdr:from>'
               '<xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row>'
               '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="900000" cy="900000"/>'
               '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="linked"/><xdr:cNvPicPr/>'
               '</xdr:nvPicPr><xdr:blipFill><a:blip r:link="rId1"/><a:stretch>'
               '<a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom '
               'prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
               '<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>\n' % R)
    write_xlsx(path, '<drawing r:id="rId1"/>',
               [('rId1', 'drawing', '../drawings/drawing1.xml', 0)],
               {'xl/drawings/drawing1.xml': drawing,
                'xl/drawings/_rels/drawing1.xml.rels':
                    rels([('rId1', 'image', target, 1)])},
               '<Override PartName="/xl/drawings/drawing1.xml" ContentType='
               '"application/vnd.openxmlformats-officedocument.drawing+xml"/>')


def png(marker):
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    raw = b''.join(b'\0' + b'\xff\0\0' * 8 for _ in range(8))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 8, 8, 8, 2, 0, 0, 0))
            + chunk(b'tEXt', b'Comment\0' + marker.encode())
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def make_secret(d, marker):
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, 'secret.png'), 'wb').write(png(marker))
    open(os.path.join(d, 'secret.txt'), 'w').write(marker + '\n')
    cell = ('<table:table-row><table:table-cell office:value-type="string">'
            '<text:p>%s</text:p></table:table-cell></table:table-row>' % marker)
    inner = ('<office:body><office:spreadsheet><table:table table:name="Data">%s'
             '</table:table></office:spreadsheet></office:body>' % cell)
    write_ods(os.path.join(d, 'secret.ods'), content(inner))
    write_fods(os.path.join(d, 'secret.fods'), inner)


def make_links(d, url, secret):
    """Each workbook here must fail with 'links to content outside the
    workbook' (hostile-*) or succeed (ok-*)."""
    os.makedirs(d, exist_ok=True)
    sf = 'file://' + secret
    img = '<draw:image xlink:href="%s" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
    obj = '<draw:object xlink:href="%s" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
    ods = {
        'hostile-image-http.ods': body(frame(img % (url + '/beacon.png'))),
        'hostile-image-file.ods': body(frame(img % (sf + '/secret.png'))),
        'hostile-ole-http.ods': body(frame(obj % (url + '/ole-object.ods'))),
        'hostile-ole-file.ods': body(frame(obj % (sf + '/secret.ods'))),
        'hostile-ole-relative.ods': body(frame(obj % ('../../' + os.path.basename(secret) + '/secret.ods'))),
        'hostile-frame-http.ods': body(frame(
            '<draw:floating-frame xlink:href="%s/frame.html" xlink:type="simple" '
            'xlink:show="embed" xlink:actuate="onLoad"/>' % url)),
        'hostile-plugin-http.ods': body(frame(
            '<draw:plugin xlink:href="%s/plugin.bin" xlink:type="simple" '
            'xlink:show="embed" xlink:actuate="onLoad"/>' % url)),
        'hostile-section-file.ods': body(frame(
            '<draw:text-box><text:section text:name="s1"><text:section-source '
            'xlink:href="%s/secret.txt" xlink:type="simple"/></text:section>'
            '</draw:text-box>' % sf)),
        'hostile-extdata-http.ods': body(table_extra=(
            '<table:cell-range-source table:name="%s/data.html" '
            'table:filter-name="calc_HTML_WebQuery" table:filter-options="" '
            'xlink:href="%s/data.html" xlink:type="simple" '
            'table:last-column-spanned="2" table:last-row-spanned="2" '
            'table:refresh-delay="PT1S"/>' % (url, url))),
        'hostile-sheetlink-file.ods': body(table_extra=(
            '<table:table-source xlink:type="simple" xlink:href="%s/secret.ods" '
            'table:table-name="Data" table:filter-name="calc8" '
            'table:mode="copy-all"/>' % sf)),
    }
    for name, inner in ods.items():
        write_ods(os.path.join(d, name), content(inner))
    styles = content('<office:styles><style:style style:name="bg" style:family='
                     '"table-cell"><style:table-cell-properties><style:background-image'
                     ' xlink:href="%s/background.png" xlink:type="simple" '
                     'xlink:actuate="onLoad"/></style:table-cell-properties>'
                     '</style:style></office:styles>' % url, 'office:document-styles')
    write_ods(os.path.join(d, 'hostile-style-background-http.ods'), content(body()), styles)
    fonts = content('<office:font-face-decls><style:font-face style:name="F" '
                    'svg:font-family="F"><svg:font-face-src><svg:font-face-uri '
                    'xlink:href="%s/font.ttf" xlink:type="simple"/></svg:font-face-src>'
                    '</style:font-face></office:font-face-decls>' % url,
                    'office:document-styles')
    write_ods(os.path.join(d, 'hostile-font-http.ods'), content(body()), fonts)
    fods = {
        'hostile-flat-image-http.fods': (body(frame(img % (url + '/beacon-flat.png'))), ''),
        'hostile-flat-image-file.fods': (body(frame(img % (sf + '/secret.png'))), ''),
        'hostile-flat-image-entity.fods': (body(frame(img % (
            '&#104;ttp' + url[4:] + '/entity.png'))), ''),
        'hostile-flat-image-percent.fods': (body(frame(img % (
            '..%2F..%2F' + os.path.basename(secret) + '%2Fsecret.png'))), ''),
        'hostile-flat-image-doctype.fods': (body(frame(img % '&beacon;')),
                                       '<!DOCTYPE office:document [<!ENTITY beacon "%s/doctype.png">]>\n' % url),
    }
    for name, (inner, head) in fods.items():
        write_fods(os.path.join(d, name), inner, head)
    xlsx_drawing(os.path.join(d, 'hostile-x-image-http.xlsx'), url + '/beacon-xlsx.png')
    xlsx_drawing(os.path.join(d, 'hostile-x-image-file.xlsx'), sf + '/secret.png')
    write_xlsx(os.path.join(d, 'hostile-x-ole-http.xlsx'),
               '<oleObjects><oleObject progId="Excel.Sheet.12" shapeId="1025" r:id="rId1"/></oleObjects>',
               [('rId1', 'oleObject', url + '/ole-object.xlsx', 1)])
    write_xlsx(os.path.join(d, 'hostile-x-webquery.xlsx'), '', None,
               {'xl/connections.xml':
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                '2006/main"><connection id="1" name="q" type="4" refreshedVersion="4" '
                'refreshOnLoad="1"><webPr sourceData="1" url="%s/query.html" '
                'htmlTables="1"/></connection></connections>\n' % url})
    # HTML bytes named .xls: LibreOffice's type detection opens HTML (and
    # fetches its pictures); kpicalc refuses bytes it cannot check
    with open(os.path.join(d, 'hostile-html.xls'), 'w') as f:
        f.write('<html><body><img src="%s/html.png"><table><tr><td>31</td></tr>'
                '</table></body></html>\n' % url)
    # allowed: hyperlinks are not fetched
    write_fods(os.path.join(d, 'ok-hyperlink.fods'), body(before='', table_extra='').replace(
        '<text:p>31</text:p>', '<text:p><text:a xlink:type="simple" xlink:href="%s/hyperlink">31'
        '</text:a></text:p>' % url))
    write_xlsx(os.path.join(d, 'ok-x-hyperlink.xlsx'),
               '<hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>',
               [('rId1', 'hyperlink', url + '/hyperlink-xlsx', 1)])
    write_ods(os.path.join(d, 'ok-plain.ods'), content(body()))


def make_bombs(d):
    os.makedirs(d, exist_ok=True)
    # 1,048,576 rows x 1,024 columns of one value, in about 1 KB
    with open(os.path.join(d, 'bomb-rows.fods'), 'w') as f:
        f.write(content(
            '<office:body><office:spreadsheet><table:table table:name="Bomb">'
            '<table:table-row table:number-rows-repeated="1048576">'
            '<table:table-cell table:number-columns-repeated="1024" '
            'office:value-type="float" office:value="1"><text:p>1</text:p>'
            '</table:table-cell></table:table-row></table:table>'
            '</office:spreadsheet></office:body>', 'office:document', True))
    # a 1 MB .ods whose content.xml inflates to 1 GB
    path = os.path.join(d, 'bomb-inflate.ods')
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), MIME)
        zi = zipfile.ZipInfo('content.xml')
        zi.compress_type = zipfile.ZIP_DEFLATED
        with z.open(zi, 'w', force_zip64=True) as f:
            head = content(body())
            f.write(head.encode()[:-1])
            block = b' ' * (1 << 20)
            for _ in range(1024):
                f.write(block)
            f.write(b'\n')
    # a workbook whose flat ODF export is about 8 MB
    rows = ''.join('<table:table-row><table:table-cell office:value-type="float" '
                   'office:value="%d"/><table:table-cell office:value-type="string">'
                   '<text:p>row %d of a long sheet</text:p></table:table-cell>'
                   '</table:table-row>' % (i, i) for i in range(60000))
    write_fods(os.path.join(d, 'big-output.fods'),
               '<office:body><office:spreadsheet><table:table table:name="Data">%s'
               '</table:table></office:spreadsheet></office:body>' % rows)


def listen(portfile, logfile):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(64)
    with open(portfile + '.tmp', 'w') as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + '.tmp', portfile)
    while True:
        c, _ = s.accept()
        c.settimeout(2)
        try:
            line = c.recv(4096).split(b'\r\n')[0]
        except OSError:
            line = b'(nothing read)'
        with open(logfile, 'ab') as f:
            f.write(line + b'\n')
        try:
            c.sendall(b'HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n')
        except OSError:
            pass
        c.close()


def grep(marker, d):
    m = marker.encode()
    found = []

    def look(name, data):
        if m in data:
            found.append(name)
        if data[:4] == b'PK\x03\x04':
            try:
                import io
                z = zipfile.ZipFile(io.BytesIO(data))
                for n in z.namelist():
                    look(name + '!' + n, z.read(n))
            except (zipfile.BadZipFile, OSError, RuntimeError):
                pass
        if data[:5] == b'%PDF-':
            i = 0
            while True:
                i = data.find(b'stream', i)
                if i < 0:
                    break
                start = i + 6 + (2 if data[i + 6:i + 8] == b'\r\n' else 1)
                end = data.find(b'endstream', start)
                if end < 0:
                    break
                try:
                    look(name + '!stream', zlib.decompress(data[start:end]))
                except zlib.error:
                    pass
                i = end
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            if os.path.isfile(p) and not os.path.islink(p):
                look(p, open(p, 'rb').read())
    for f in found:
        print('secret found in', f)
    return 1 if found else 0


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ''
    if cmd == 'links' and len(sys.argv) == 5:
        make_links(sys.argv[2], sys.argv[3], os.path.abspath(sys.argv[4]))
    elif cmd == 'secret' and len(sys.argv) == 4:
        make_secret(sys.argv[2], sys.argv[3])
    elif cmd == 'bombs' and len(sys.argv) == 3:
        make_bombs(sys.argv[2])
    elif cmd == 'listen' and len(sys.argv) == 4:
        listen(sys.argv[2], sys.argv[3])
    elif cmd == 'grep' and len(sys.argv) == 4:
        return grep(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
