"""Readers of the files `kpicalc recalc` writes, that are not LibreOffice:
zipfile + xml.etree for .ods/.fods/.xlsx, openpyxl for .xlsx, xlrd for .xls,
poppler's pdfinfo/pdftotext for .pdf, the csv module for .csv.

Every reader returns a Book: {sheet name: {(row, col): Cell}} with rows and
columns counted from 0, only for cells that hold something. A reader raises
Unreadable (with the reason) when the file is not whole."""
import csv
import io
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections import namedtuple

# kind: 'num' (float, percentage, currency), 'bool', 'str', 'err', 'date', 'other'
# value: float for num/bool, str otherwise; text: the text shown (ODF only);
# formula: the formula text or None
Cell = namedtuple('Cell', 'kind value text formula')

NS = {
    'office': 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
    'table': 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
    'text': 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
    'calcext': 'urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0',
    'x': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
    'r': 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
    'rel': 'http://schemas.openxmlformats.org/package/2006/relationships',
}


def q(prefix, name):
    return '{%s}%s' % (NS[prefix], name)


class Unreadable(Exception):
    pass


# ---- ZIP ----------------------------------------------------------------

def open_zip(path):
    """The archive, checked whole: the central directory reads, every
    member's local header agrees with it and its CRC matches (testzip reads
    each member through its local header)."""
    try:
        z = zipfile.ZipFile(path)
        bad = z.testzip()
    except Exception as e:  # BadZipFile, zlib.error, EOFError, OSError...
        raise Unreadable('%s: not a whole ZIP: %s' % (path, e))
    if bad is not None:
        raise Unreadable('%s: ZIP member %s does not read back (bad CRC, or its '
                         'local header unlike the central directory)' % (path, bad))
    return z


def parse_xml(data, what):
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise Unreadable('%s: XML not well-formed: %s' % (what, e))


# ---- ODF (.ods content.xml, .fods) --------------------------------------

def _odf_text(cell):
    """The text a cell shows: its paragraphs joined by newlines."""
    paras = []
    for p in cell.findall(q('text', 'p')):
        out = []

        def walk(el):
            if el.text:
                out.append(el.text)
            for ch in el:
                if ch.tag == q('text', 's'):
                    out.append(' ' * int(ch.get(q('text', 'c'), '1')))
                elif ch.tag == q('text', 'tab'):
                    out.append('\t')
                elif ch.tag == q('text', 'line-break'):
                    out.append('\n')
                else:
                    walk(ch)
                if ch.tail:
                    out.append(ch.tail)
        walk(p)
        paras.append(''.join(out))
    return '\n'.join(paras)


def _odf_cell(el):
    formula = el.get(q('table', 'formula'))
    vt = el.get(q('calcext', 'value-type')) or el.get(q('office', 'value-type'))
    text = _odf_text(el)
    if vt in ('float', 'percentage', 'currency'):
        return Cell('num', float(el.get(q('office', 'value'))), text, formula)
    if vt == 'boolean':
        b = el.get(q('office', 'boolean-value'))
        return Cell('bool', 1.0 if b == 'true' else 0.0, text, formula)
    if vt == 'error':
        return Cell('err', text, text, formula)
    if vt == 'string':
        return Cell('str', el.get(q('office', 'string-value'), text), text, formula)
    if vt in ('date', 'time'):
        return Cell('date', el.get(q('office', vt + '-value')), text, formula)
    if vt is None and formula is None and not text:
        return None
    return Cell('other', text, text, formula)


ROW_GROUPS = ('table-rows', 'table-header-rows', 'table-row-group')


def _rows(el):
    """The table:table-row elements of a table in order, through row
    groups, not into anything nested in a cell (charts, frames)."""
    for ch in el:
        if ch.tag == q('table', 'table-row'):
            yield ch
        elif ch.tag in [q('table', g) for g in ROW_GROUPS]:
            yield from _rows(ch)


def odf_tables(root):
    """Book of an office:document-content or office:document element: the
    sheets of its office:spreadsheet (not a chart's local tables)."""
    book = {}
    body = root.find(q('office', 'body'))
    sheet_root = body.find(q('office', 'spreadsheet')) if body is not None else None
    if sheet_root is None:
        raise Unreadable('no office:body/office:spreadsheet')
    for t in sheet_root.findall(q('table', 'table')):
        name = t.get(q('table', 'name'))
        cells = {}
        row = 0
        for r in _rows(t):
            rrep = int(r.get(q('table', 'number-rows-repeated'), '1'))
            col = 0
            for c in r:
                if c.tag not in (q('table', 'table-cell'),
                                 q('table', 'covered-table-cell')):
                    continue
                crep = int(c.get(q('table', 'number-columns-repeated'), '1'))
                cell = _odf_cell(c)
                if cell is not None:
                    # a repeated cell with content: at most a few in practice
                    for dr in range(min(rrep, 100000)):
                        for dc in range(min(crep, 1024)):
                            cells[(row + dr, col + dc)] = cell
                col += crep
            row += rrep
        book[name] = cells
    return book


def read_ods(path):
    z = open_zip(path)
    names = z.namelist()
    if not names or names[0] != 'mimetype':
        raise Unreadable('%s: mimetype is not the first member' % path)
    mt = z.read('mimetype')
    if not mt.startswith(b'application/vnd.oasis.opendocument.spreadsheet'):
        raise Unreadable('%s: mimetype %r' % (path, mt))
    for part in ('content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml'):
        if part in names:
            parse_xml(z.read(part), '%s!%s' % (path, part))
    if 'content.xml' not in names:
        raise Unreadable('%s: no content.xml' % path)
    return odf_tables(parse_xml(z.read('content.xml'), path + '!content.xml'))


def ods_formulas(path):
    """{sheet: {(r, c): formula}} of an .ods."""
    book = read_ods(path)
    return {s: {k: c.formula for k, c in cells.items() if c.formula}
            for s, cells in book.items()}


def read_fods(path):
    with open(path, 'rb') as f:
        data = f.read()
    return odf_tables(parse_xml(data, path))


# ---- OOXML (.xlsx) --------------------------------------------------------

def _col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_parts(path):
    """(zip, [(sheet name, part path)]) of a whole .xlsx."""
    z = open_zip(path)
    names = set(z.namelist())
    for part in ('[Content_Types].xml', 'xl/workbook.xml',
                 'xl/_rels/workbook.xml.rels'):
        if part not in names:
            raise Unreadable('%s: no %s' % (path, part))
    wb = parse_xml(z.read('xl/workbook.xml'), path + '!xl/workbook.xml')
    rels = parse_xml(z.read('xl/_rels/workbook.xml.rels'), path + '!rels')
    target = {r.get('Id'): r.get('Target') for r in rels.iter(q('rel', 'Relationship'))}
    sheets = []
    for s in wb.iter(q('x', 'sheet')):
        t = target[s.get(q('r', 'id'))]
        t = t.lstrip('/') if t.startswith('/') else 'xl/' + t
        if t not in names:
            raise Unreadable('%s: sheet part %s missing' % (path, t))
        sheets.append((s.get('name'), t))
    return z, sheets


def read_xlsx(path):
    z, sheets = xlsx_parts(path)
    shared = []
    if 'xl/sharedStrings.xml' in z.namelist():
        sst = parse_xml(z.read('xl/sharedStrings.xml'), path + '!sharedStrings')
        for si in sst.findall(q('x', 'si')):
            shared.append(''.join(t.text or '' for t in si.iter(q('x', 't'))))
    book = {}
    for name, part in sheets:
        root = parse_xml(z.read(part), '%s!%s' % (path, part))
        cells = {}
        for c in root.iter(q('x', 'c')):
            m = re.fullmatch(r'([A-Z]+)(\d+)', c.get('r'))
            key = (int(m.group(2)) - 1, _col_index(m.group(1)))
            f = c.find(q('x', 'f'))
            formula = f.text if f is not None else None
            v = c.find(q('x', 'v'))
            t = c.get('t', 'n')
            vtext = v.text if v is not None else None
            if t == 'n' and vtext is not None:
                cell = Cell('num', float(vtext), None, formula)
            elif t == 'b' and vtext is not None:
                cell = Cell('bool', float(vtext), None, formula)
            elif t == 'e':
                cell = Cell('err', vtext, None, formula)
            elif t == 's' and vtext is not None:
                cell = Cell('str', shared[int(vtext)], None, formula)
            elif t in ('str', 'inlineStr'):
                s = vtext if vtext is not None else ''.join(
                    x.text or '' for x in c.iter(q('x', 't')))
                cell = Cell('str', s, None, formula)
            elif formula is not None:
                cell = Cell('other', None, None, formula)
            else:
                continue
            cells[key] = cell
        book[name] = cells
    return book


def read_xlsx_openpyxl(path):
    """The same through openpyxl (data_only: the cached values)."""
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as e:
        raise Unreadable('%s: openpyxl: %s' % (path, e))
    book = {}
    for ws in wb.worksheets:
        cells = {}
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, bool):
                    cells[(r, c)] = Cell('bool', float(v), None, None)
                elif isinstance(v, (int, float)):
                    cells[(r, c)] = Cell('num', float(v), None, None)
                elif isinstance(v, str) and v.startswith('#') and v.upper() == v:
                    cells[(r, c)] = Cell('err', v, None, None)
                else:
                    cells[(r, c)] = Cell('str', str(v), None, None)
        book[ws.title] = cells
    wb.close()
    return book


# ---- BIFF (.xls) -----------------------------------------------------------

def read_xls(path):
    import xlrd
    try:
        wb = xlrd.open_workbook(path)
    except Exception as e:
        raise Unreadable('%s: xlrd: %s' % (path, e))
    book = {}
    for sh in wb.sheets():
        cells = {}
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                x = sh.cell(r, c)
                if x.ctype == xlrd.XL_CELL_NUMBER or x.ctype == xlrd.XL_CELL_DATE:
                    cells[(r, c)] = Cell('num', float(x.value), None, None)
                elif x.ctype == xlrd.XL_CELL_BOOLEAN:
                    cells[(r, c)] = Cell('bool', float(x.value), None, None)
                elif x.ctype == xlrd.XL_CELL_ERROR:
                    cells[(r, c)] = Cell('err', xlrd.error_text_from_code.get(
                        x.value, '#ERR%d' % x.value), None, None)
                elif x.ctype == xlrd.XL_CELL_TEXT:
                    cells[(r, c)] = Cell('str', x.value, None, None)
        book[sh.name] = cells
    return book


def _biff_records(path):
    """(type, body) of each record of an .xls file's Workbook stream."""
    import struct
    from xlrd import compdoc
    try:
        with open(path, 'rb') as f:
            stream = compdoc.CompDoc(f.read()).get_named_stream('Workbook')
    except Exception as e:
        raise Unreadable('%s: no OLE2 Workbook stream: %s' % (path, e))
    if stream is None:
        raise Unreadable('%s: no Workbook stream' % path)
    p = 0
    while p + 4 <= len(stream):
        t, n = struct.unpack('<HH', stream[p:p + 4])
        yield t, stream[p + 4:p + 4 + n]
        p += 4 + n


def xls_addin_names(path):
    """The functions an .xls calls from an add-in: the EXTERNNAME records
    (0x0023) after an add-in SUPBOOK (0x01AE whose body is ctab, 0x3A01)."""
    names = []
    in_addin = False
    for t, body in _biff_records(path):
        if t == 0x01AE:
            in_addin = body[2:4] == b'\x01\x3a'
        elif t == 0x0023 and in_addin:
            n = body[6]
            flags = body[7]
            raw = body[8:8 + (2 * n if flags & 1 else n)]
            names.append(raw.decode('utf-16-le' if flags & 1 else 'latin-1'))
    return names


def xls_formula_count(path):
    """The number of FORMULA records (0x0006) of an .xls."""
    return sum(1 for t, _ in _biff_records(path) if t == 0x0006)


# ---- PDF and CSV -------------------------------------------------------------

def pdf_pages(path):
    r = subprocess.run(['pdfinfo', path], capture_output=True, text=True)
    if r.returncode != 0:
        raise Unreadable('%s: pdfinfo: %s' % (path, r.stderr.strip()))
    m = re.search(r'^Pages:\s+(\d+)', r.stdout, re.M)
    if not m:
        raise Unreadable('%s: pdfinfo gives no page count' % path)
    return int(m.group(1))


def pdf_text(path):
    r = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'],
                       capture_output=True)
    if r.returncode != 0:
        raise Unreadable('%s: pdftotext: %s' % (path, r.stderr.decode(errors='replace')))
    return r.stdout.decode('utf-8')


def read_csv(path):
    """{(r, c): text} of a CSV file (UTF-8, optional BOM)."""
    with open(path, 'rb') as f:
        data = f.read()
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        raise Unreadable('%s: not UTF-8: %s' % (path, e))
    if data and not data.endswith(b'\n'):
        raise Unreadable('%s: does not end with a newline (cut short?)' % path)
    cells = {}
    for r, row in enumerate(csv.reader(io.StringIO(text, newline=''))):
        for c, v in enumerate(row):
            if v != '':
                cells[(r, c)] = v
    return cells
