"""Inputs the read-back suite makes at test time (stdlib only): damaged
workbooks of every kind of contract point 2, workbooks too big for .xls,
sheets whose cleaned names collide, a KPI key equal to a fixed column."""
import os
import struct
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import make_fixtures as MF  # noqa: E402  (tests/batch/make_fixtures.py)

# ---- damaged inputs (contract point 2) -------------------------------------


def empty(path):
    """A 0-byte file."""
    open(path, 'wb').close()


def _local_headers(path):
    """(offset of the local header, name in the central directory) of each
    member of the (whole) archive PATH."""
    with zipfile.ZipFile(path) as z:
        return [(i.header_offset, i.filename) for i in z.infolist()]


def header_names_other_member(src, path, member='content.xml'):
    """SRC with the local header of MEMBER naming another member (same
    length: 'content.xml' -> 'contenT.xml'); the central directory, the data
    and every CRC unchanged."""
    data = bytearray(open(src, 'rb').read())
    for off, name in _local_headers(src):
        if name == member:
            assert data[off:off + 4] == b'PK\x03\x04'
            nlen = struct.unpack('<H', data[off + 26:off + 28])[0]
            other = (member[:-5] + member[-5].upper() + member[-4:]).encode()
            assert len(other) == nlen and other != member.encode()
            data[off + 30:off + 30 + nlen] = other
            break
    else:
        raise ValueError('no member %s in %s' % (member, src))
    open(path, 'wb').write(data)


def zip64_damaged_deflate(src, path, member='content.xml', damage=True):
    """SRC rewritten as a ZIP64 archive (every member with a ZIP64 extra
    field, force_zip64), then bytes in the middle of MEMBER's deflate data
    overwritten (its CRC no longer matches, and inflating fails or gives
    garbage)."""
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(path, 'w') as zout:
        # mimetype first, stored, its local header without an extra field
        # (where ODF readers look for it)
        zout.writestr('mimetype', zin.read('mimetype'), zipfile.ZIP_STORED)
        # zipfile writes ZIP64 records in the central directory and the
        # ZIP64 end of central directory only past its limits: lower them
        # for this archive, so that every other record is ZIP64, as in a
        # 4 GB archive
        saved = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
        try:
            for info in zin.infolist():
                if info.filename == 'mimetype':
                    continue
                zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                with zout.open(zi, 'w', force_zip64=True) as w:
                    w.write(zin.read(info.filename))
            zout.close()
        finally:
            zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = saved
    data = bytearray(open(path, 'rb').read())
    assert b'PK\x06\x06' in data, 'no ZIP64 end of central directory'
    if not damage:  # the control: the same ZIP64 archive, whole
        return
    for off, name in _local_headers(path):
        if name == member:
            nlen, xlen = struct.unpack('<HH', data[off + 26:off + 30])
            start = off + 30 + nlen + xlen
            zf = zipfile.ZipFile(path)
            csize = zf.getinfo(member).compress_size
            mid = start + csize // 2
            data[mid:mid + 64] = bytes((b ^ 0x5A) for b in data[mid:mid + 64])
            break
    else:
        raise ValueError('no member %s' % member)
    open(path, 'wb').write(data)


def truncated(src, path, size=49152):
    """The first SIZE bytes of SRC: what the old bug left of every .ods
    with a chart (49,152 bytes, no central directory)."""
    data = open(src, 'rb').read()
    assert len(data) > size, '%s is too small to be cut at %d' % (src, size)
    open(path, 'wb').write(data[:size])


def xlsx_without_workbook(src, path):
    """An .xlsx (SRC, a whole one) rewritten without xl/workbook.xml."""
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != 'xl/workbook.xml':
                zout.writestr(info.filename, zin.read(info.filename))


# ---- too big for .xls (contract point 4) ------------------------------------


def tall_fods(path, rows=70000, sheet='Tall'):
    """One sheet of ROWS rows: A = row number, B = A * 2 (a formula in the
    last row too), and a KPI sheet with the last value."""
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s '
                'office:version="1.3" office:mimetype="%s"><office:meta>'
                '<meta:generator>%s</meta:generator></office:meta>'
                '<office:body><office:spreadsheet>'
                % (MF.NS, MF.SPREADSHEET, MF.LO_GENERATOR))
        f.write('<table:table table:name="%s">' % sheet)
        for i in range(1, rows):
            f.write('<table:table-row><table:table-cell office:value-type="float" '
                    'office:value="%d"/></table:table-row>' % i)
        f.write('<table:table-row>%s%s</table:table-row>'
                % (MF.num(rows), MF.formula('[.A%d]*2' % rows)))
        f.write('</table:table>')
        f.write(MF.kpi_sheet([('last', '[$%s.B%d]' % (sheet, rows), '末行', 'last row')]))
        f.write('</office:spreadsheet></office:body></office:document>\n')


def wide_fods(path, cols=300, sheet='Wide'):
    """One row of COLS numbered columns (past the 256 of .xls)."""
    MF.fods(path, [MF.sheet(sheet, [[MF.num(c + 1) for c in range(cols)]])])


# ---- CSV names and the summary (contract point 9) ---------------------------


def colliding_sheets(path):
    """Sheets 'a\\tb' and 'a_b': both clean to 'a_b' in a CSV file name
    (batch/sheetcsv.c turns control characters and '/' into '_'). Each
    holds its own text in A1."""
    MF.fods(path, [MF.sheet('a\tb', [[MF.txt('first sheet, with a tab')]]),
                   MF.sheet('a_b', [[MF.txt('second sheet, underscore')]])])


def slash_sheets(path):
    """Sheets 'x/y' and 'x_y' ('/' also becomes '_')."""
    MF.fods(path, [MF.sheet('x/y', [[MF.txt('slash')]]),
                   MF.sheet('x_y', [[MF.txt('underscore')]])])


def fixed_column_keys(path):
    """A KPI sheet whose keys are the summary's fixed columns."""
    MF.fods(path, [MF.kpi_sheet([
        ('file', '1', '文件', 'file'), ('status', '2', '状态', 'status'),
        ('error_cells', '3', '错误', 'error cells'),
        ('message', '4', '消息', 'message'), ('certrate', '31/34', '持证率', 'rate')])])


def unknown_function(path):
    """A KPI sheet calling a kpicalc function that does not exist (#NAME?
    with the add-in installed) beside a real one."""
    MF.fods(path, [MF.kpi_sheet([
        ('certrate', 'ORG.KPICALC.KPICALC.CERTRATE(31;34)', '持证率', 'certification rate'),
        ('future', 'ORG.KPICALC.KPICALC.NOSUCHRATE(1;2)', '未来', 'a later version\'s')])])


def small_good(path):
    """A tiny good workbook: 31/34 on its KPI sheet."""
    MF.fods(path, [MF.kpi_sheet([('certrate', '31/34', '持证率', 'certification rate')])])
