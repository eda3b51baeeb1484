#!/usr/bin/python3
"""check_portable.py RECALC.fods PORTABLE... : is a portable workbook
(`kpicalc recalc --portable`, or a .fods frozen by batch/freeze.c and saved
by LibreOffice) what its recalculated original says, for programs that do
not have the kpicalc add-in?

RECALC.fods is the workbook recalculated with the add-in (what `kpicalc
recalc --to fods` writes); each PORTABLE is an .xlsx, .xls, .ods or .fods
made from it. For each, read twice, once by a reader of its format
(openpyxl for .xlsx, xlrd and the BIFF records for .xls, the ODF XML for
.ods/.fods) and once by Gnumeric (`ssconvert`, its own reading and its own
recalculation, `--recalc`):

  - no cell's formula calls a kpicalc function (an identifier starting
    with ORG.KPICALC. followed by "(", outside string literals; a name of
    the add-in inside a quoted string is no call), and no defined name
    does (Gnumeric's reading; for .xls also no add-in function in the BIFF
    records);
  - every cell holds the value of the recalculated workbook: numbers
    within 1e-9 (relative), truth values as 1/0, text as is, errors as the
    same error, where LibreOffice's own errors (Err:5xx) of a kpicalc
    cell must read #VALUE! (and of a native formula: any error); a formula
    result "" may read as empty. In .xls a native formula's text result
    may read 0: LibreOffice 7.4 caches 0 there for text results (also
    without --portable); the frozen cells' text is checked as text. Gnumeric's values are its
    own recalculation: there the kpicalc cells and the constants must
    match, while native formulas that Gnumeric evaluates otherwise than
    LibreOffice (the template's Config!B2 does) are printed as a note;
    dates are not compared there (its CSV shows them formatted);
  - every cell with a native formula (no kpicalc call) still has a
    formula;
  - the same sheets are protected (not checked in Gnumeric's reading of
    an .ods, which drops protection; Gnumeric does not read .fods).

Prints each failure with up to 5 examples, then "N passed, N failed";
exits 0 when nothing failed, 1 otherwise, 2 on bad usage or an unreadable
file. Needs python3-openpyxl, python3-xlrd and gnumeric (ssconvert);
uses the readers of tests/batch/outputs/readers.py."""
import datetime
import gzip
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'outputs'))
import readers as R  # noqa: E402

PREFIX = 'ORG.KPICALC.'
GNM = '{http://www.gnumeric.org/v10.dtd}'
ERRORS = ('#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A')


def _ident(ch):
    return ch.isalnum() or ch in '._' or ord(ch) >= 0x80


def count_calls(f):
    """kpicalc calls in formula F, as batch/freeze.c counts them: string
    literals ("..."), quoted names ('...') and references ([...]) skipped."""
    if not f:
        return 0
    n, i, calls = len(f), 0, 0
    while i < n:
        c = f[i]
        if c in '"\'':
            j = f.find(c, i + 1)
            i = n if j < 0 else j + 1
        elif c == '[':
            i += 1
            while i < n and f[i] != ']':
                if f[i] == "'":
                    j = f.find("'", i + 1)
                    i = n if j < 0 else j + 1
                else:
                    i += 1
            i += 1
        elif _ident(c):
            s = i
            while i < n and _ident(f[i]):
                i += 1
            word = f[s:i]
            if len(word) > len(PREFIX) and word.upper().startswith(PREFIX):
                j = i
                while j < n and f[j] in ' \t\r\n':
                    j += 1
                if j < n and f[j] == '(':
                    calls += 1
        else:
            i += 1
    return calls


class Report:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, bad=()):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL: %s' % what)
            for b in list(bad)[:5]:
                print('    %s' % b)
            if len(bad) > 5:
                print('    ... %d in all' % len(bad))
        return ok


def cellname(key):
    r, c = key
    s = ''
    c += 1
    while c:
        c, m = divmod(c - 1, 26)
        s = chr(65 + m) + s
    return '%s%d' % (s, r + 1)


def serial(iso):
    """A spreadsheet serial number for an ODF date or time value."""
    if iso.startswith('PT'):
        h, rest = iso[2:].split('H')
        m, rest = rest.split('M')
        s = rest.rstrip('S')
        return (int(h) * 3600 + int(m) * 60 + float(s)) / 86400
    d = datetime.datetime.fromisoformat(iso)
    return (d - datetime.datetime(1899, 12, 30)).total_seconds() / 86400


# ---- the reference -------------------------------------------------------------

def read_reference(path):
    book = R.read_fods(path)
    root = ET.parse(path).getroot()
    protected = sorted(t.get(R.q('table', 'name')) for t in root.iter(R.q('table', 'table'))
                       if t.get(R.q('table', 'protected')) == 'true')
    return book, protected


def expected(cell):
    """(kind, value) that a portable copy must show; kind 'any-err' accepts
    any error, 'empty' also an empty string."""
    addin = count_calls(cell.formula) > 0
    if cell.kind in ('num', 'bool'):
        return ('num', cell.value)
    if cell.kind == 'err':
        if cell.value in ERRORS:
            return ('err', cell.value)
        return ('err', '#VALUE!') if addin else ('any-err', None)
    if cell.kind == 'date':
        return ('num', serial(cell.value))
    if cell.kind == 'str':
        return ('str', cell.value) if cell.value != '' else ('empty', None)
    return ('str', cell.value) if cell.value else ('empty', None)


def same(want, got, loose_text=False, text_zero=False):
    """WANT from expected(); GOT a (kind, value) or None (empty);
    TEXT_ZERO: a text or empty result may read 0."""
    kind, v = want
    if text_zero and kind in ('empty', 'str') and got == ('num', 0.0):
        return True
    if kind == 'empty':
        return got is None or got == ('str', '')
    if got is None:
        return False
    gk, gv = got
    if kind == 'any-err':
        return gk == 'err'
    if kind == 'num':
        if gk == 'str' and loose_text:
            try:
                gv, gk = float(gv), 'num'
            except ValueError:
                return False
        return gk == 'num' and (gv == v or abs(gv - v) <= 1e-9 * max(abs(v), 1e-300))
    if kind == 'str' and gk == 'num' and loose_text:
        try:
            return abs(float(v) - gv) <= 1e-9 * max(abs(gv), 1e-300)
        except ValueError:
            return False
    return gk == kind and gv == v


def compare(rep, ref, got, what, loose_text=False, skip_dates=False, native='strict',
            text_zero=False):
    """Every cell of REF against GOT ({sheet: {key: (kind, value)}}).
    NATIVE 'note': the cells with a native formula are not checked, their
    differences printed as a note; TEXT_ZERO: a native formula's text
    result may read 0."""
    bad, notes, missing = [], [], sorted(set(ref) - set(got))
    rep.check(not missing, '%s: every sheet is there' % what, missing)
    for sheet, cells in ref.items():
        g = got.get(sheet, {})
        for key, cell in sorted(cells.items()):
            if skip_dates and cell.kind == 'date':
                continue
            want = expected(cell)
            is_native = bool(cell.formula) and not count_calls(cell.formula)
            if not same(want, g.get(key), loose_text, text_zero and is_native):
                line = '%s!%s: want %s %r, got %r (formula %s)' % (
                    sheet, cellname(key), want[0], want[1], g.get(key), cell.formula)
                (notes if is_native and native == 'note' else bad).append(line)
    rep.check(not bad, '%s: every %scell holds the recalculated value'
              % (what, 'kpicalc or constant ' if native == 'note' else ''), bad)
    if notes:
        print('note: %s: %d native formulas give other values (the program\'s own '
              'evaluation, not a kpicalc matter), e.g.' % (what, len(notes)))
        for n in notes[:3]:
            print('    %s' % n)


def native_formulas(ref):
    return {(s, k) for s, cells in ref.items() for k, c in cells.items()
            if c.formula and not count_calls(c.formula)}


# ---- readers of the portable copy ----------------------------------------------

def _kv(cell):
    if cell is None:
        return None
    if cell.kind in ('num', 'bool'):
        return ('num', cell.value)
    if cell.kind == 'date':
        return ('num', serial(cell.value))
    if cell.kind == 'other':
        return ('str', cell.value or '')
    return (cell.kind, cell.value)


def read_odf(path):
    """values, formulas, protected sheets of an .ods or .fods."""
    if path.lower().endswith('.fods'):
        book = R.read_fods(path)
        root = ET.parse(path).getroot()
    else:
        book = R.read_ods(path)
        root = R.parse_xml(R.open_zip(path).read('content.xml'), path)
    protected = sorted(t.get(R.q('table', 'name')) for t in root.iter(R.q('table', 'table'))
                       if t.get(R.q('table', 'protected')) == 'true')
    values = {s: {k: _kv(c) for k, c in cells.items()} for s, cells in book.items()}
    formulas = {s: {k: c.formula for k, c in cells.items() if c.formula}
                for s, cells in book.items()}
    return values, formulas, protected


def read_openpyxl(path):
    """values (cached), formulas, protected sheets of an .xlsx."""
    import openpyxl
    try:
        wf = openpyxl.load_workbook(path)
        wv = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:
        raise R.Unreadable('%s: openpyxl: %s' % (path, e))
    values, formulas, protected = {}, {}, []
    for ws in wf.worksheets:
        f = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if hasattr(v, 'text'):  # an ArrayFormula
                    v = v.text
                if isinstance(v, str) and c.data_type == 'f':
                    f[(c.row - 1, c.column - 1)] = v
        formulas[ws.title] = f
        if ws.protection.sheet:
            protected.append(ws.title)
    for ws in wv.worksheets:
        vals = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                key = (c.row - 1, c.column - 1)
                if isinstance(v, bool):
                    vals[key] = ('num', float(v))
                elif isinstance(v, (int, float)):
                    vals[key] = ('num', float(v))
                elif isinstance(v, datetime.datetime):
                    vals[key] = ('num', (v - datetime.datetime(1899, 12, 30)).total_seconds()
                                 / 86400)
                elif isinstance(v, datetime.date):
                    vals[key] = ('num', float((v - datetime.date(1899, 12, 30)).days))
                elif isinstance(v, datetime.time):
                    vals[key] = ('num', (v.hour * 3600 + v.minute * 60 + v.second) / 86400)
                elif c.data_type == 'e':
                    vals[key] = ('err', v)
                else:
                    vals[key] = ('str', str(v))
        values[ws.title] = vals
    return values, formulas, sorted(protected)


def read_gnumeric(path, tmp):
    """Gnumeric's reading: formulas, defined names' values, protected
    sheets (its XML), and its recalculated values (CSV)."""
    gfile = os.path.join(tmp, 'book.gnumeric')
    r = subprocess.run(['ssconvert', path, gfile], capture_output=True, text=True,
                       timeout=300)
    if not os.path.exists(gfile):
        raise R.Unreadable('%s: ssconvert wrote nothing: %s' % (path, r.stderr[-300:]))
    with gzip.open(gfile) as f:
        root = ET.parse(f).getroot()
    formulas, protected, names = {}, [], []
    for sh in root.iter(GNM + 'Sheet'):
        name = sh.find(GNM + 'Name').text
        if sh.get('Protected') == '1':
            protected.append(name)
        f = {}
        for c in sh.iter(GNM + 'Cell'):
            text = c.text or ''
            if text.startswith('=') or c.get('ExprID') is not None:
                f[(int(c.get('Row')), int(c.get('Col')))] = text or '(shared %s)' % c.get('ExprID')
        formulas[name] = f
    for n in root.iter(GNM + 'Name'):
        v = n.find(GNM + 'value')
        if v is not None:
            names.append((n.find(GNM + 'name').text, v.text or ''))
    csvdir = os.path.join(tmp, 'csv')
    os.makedirs(csvdir, exist_ok=True)
    subprocess.run(['ssconvert', '--recalc', '-S', path, os.path.join(csvdir, 'x.%n.csv')],
                   capture_output=True, text=True, timeout=300)
    order = [sh.find(GNM + 'Name').text for sh in root.iter(GNM + 'Sheet')]
    values = {}
    for i, name in enumerate(order):
        p = os.path.join(csvdir, 'x.%d.csv' % i)
        if not os.path.exists(p):
            raise R.Unreadable('%s: ssconvert --recalc wrote no CSV for sheet %s' % (path, name))
        vals = {}
        for key, text in R.read_csv(p).items():
            if text in ('TRUE', 'FALSE'):
                vals[key] = ('num', 1.0 if text == 'TRUE' else 0.0)
            elif text in ERRORS or text.startswith('Err:'):
                vals[key] = ('err', text)
            else:
                try:
                    vals[key] = ('num', float(text))
                except ValueError:
                    vals[key] = ('str', text)
        values[name] = vals
    return values, formulas, sorted(protected), names


# ---- the checks ---------------------------------------------------------------------

def check_formulas(rep, ref, formulas, what):
    left = ['%s!%s: %s' % (s, cellname(k), f) for s, fs in formulas.items()
            for k, f in sorted(fs.items()) if count_calls(f)]
    rep.check(not left, '%s: no cell calls a kpicalc function' % what, left)
    lost = sorted('%s!%s: %s' % (s, cellname(k), ref[s][k].formula)
                  for s, k in native_formulas(ref) if k not in formulas.get(s, {}))
    rep.check(not lost, '%s: every native formula is still a formula (%d)'
              % (what, len(native_formulas(ref))), lost)


def check_file(rep, ref, ref_protected, path, tmp):
    base = os.path.basename(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in ('.ods', '.fods'):
        values, formulas, protected = read_odf(path)
        what = '%s (ODF XML)' % base
        check_formulas(rep, ref, formulas, what)
        compare(rep, ref, values, what)
        rep.check(protected == ref_protected, '%s: the same sheets protected' % what,
                  ['want %s, got %s' % (ref_protected, protected)])
    elif ext == '.xlsx':
        values, formulas, protected = read_openpyxl(path)
        what = '%s (openpyxl)' % base
        check_formulas(rep, ref, formulas, what)
        compare(rep, ref, values, what)
        rep.check(protected == ref_protected, '%s: the same sheets protected' % what,
                  ['want %s, got %s' % (ref_protected, protected)])
    elif ext == '.xls':
        what = '%s (xlrd, BIFF)' % base
        names = R.xls_addin_names(path)
        rep.check(not names, '%s: no add-in function referenced' % what, names)
        book = R.read_xls(path)
        compare(rep, ref, {s: {k: _kv(c) for k, c in cells.items()} for s, cells in book.items()},
                what, text_zero=True)
    else:
        raise R.Unreadable('%s: not an .xlsx, .xls, .ods or .fods' % path)
    if ext == '.fods':
        return  # Gnumeric does not read flat ODF
    values, formulas, protected, names = read_gnumeric(path, tmp)
    what = '%s (Gnumeric)' % base
    check_formulas(rep, ref, formulas, what)
    bad = ['%s = %s' % nv for nv in names if count_calls(nv[1])]
    rep.check(not bad, '%s: no defined name calls a kpicalc function' % what, bad)
    compare(rep, ref, values, what + ' recalculated', loose_text=True, skip_dates=True,
            native='note')
    if ext != '.ods':  # Gnumeric's ODF import drops sheet protection
        rep.check(protected == ref_protected, '%s: the same sheets protected' % what,
                  ['want %s, got %s' % (ref_protected, protected)])


def self_test():
    """The call counter agrees with batch/freeze.c's on the unit tests' cases."""
    cases = [('of:=ORG.KPICALC.KPICALC.CERTRATE(31;34)', 1),
             ('of:=org.kpicalc.kpicalc.certrate(31;34)+Org.KpiCalc.KpiCalc.YOY (1;2)', 2),
             ('of:="ORG.KPICALC.KPICALC.CERTRATE(1;2)"&"KPICALC"', 0),
             ("of:=[$'ORG.KPICALC.KPICALC.X('.A1]+['a''ORG.KPICALC.KPICALC.Y(''b'.B2]", 0),
             ('of:=MYORG.KPICALC.X(1)+ORG.KPICALC.+ORG.KPICALC.NAME', 0),
             ('ORG.KPICALC.KPICALC.CERTRATE(B1,2)>0', 1),
             ("='Sheet ORG.KPICALC.X('!A1", 0)]
    return all(count_calls(f) == n for f, n in cases)


def main(argv):
    if len(argv) < 3 or not argv[1].lower().endswith('.fods'):
        print('usage: check_portable.py RECALC.fods PORTABLE.{xlsx,xls,ods,fods}...',
              file=sys.stderr)
        return 2
    rep = Report()
    rep.check(self_test(), 'the kpicalc call counter')
    try:
        ref, ref_protected = read_reference(argv[1])
        n_addin = sum(1 for cells in ref.values() for c in cells.values()
                      if count_calls(c.formula))
        print('%s: %d sheets, %d cells call kpicalc, %d native formulas, protected: %s' % (
            os.path.basename(argv[1]), len(ref), n_addin, len(native_formulas(ref)),
            ', '.join(ref_protected) or 'none'))
        with tempfile.TemporaryDirectory(prefix='check_portable.') as tmp:
            for i, path in enumerate(argv[2:]):
                d = os.path.join(tmp, str(i))
                os.makedirs(d)
                check_file(rep, ref, ref_protected, path, d)
    except (R.Unreadable, OSError, ET.ParseError, subprocess.TimeoutExpired) as e:
        print('check_portable: %s' % e, file=sys.stderr)
        print('%d passed, %d failed' % (rep.passed, rep.failed + 1))
        return 2
    print('%d passed, %d failed' % (rep.passed, rep.failed))
    return 0 if rep.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
