#!/usr/bin/python3
"""What the user gets from `kpicalc recalc` and `kpicalc new-year`, read
back as the user gets it, with readers that are not LibreOffice: zipfile +
xml.etree, openpyxl, xlrd, poppler (pdfinfo, pdftotext), the csv module and
Gnumeric's ssconvert (tests/batch/outputs/readers.py).

Groups (the contract is /work/notes/contract.md, points in brackets):
  0 readers      each reader refuses each kind of damage (so a read-back can
                 fail)
  1 samples      every sample and the template in one run to
                 ods,fods,xlsx,xls,pdf,csv; each output read back; the values
                 of the KPI and Indicators sheets equal the .fods output's in
                 every format; 持证率 of 东陈乡 = 31/34
  2 in-place     --in-place twice (东陈乡, 4 county .ods, an .xlsx, .xls, .fods):
                 whole files, recalculated values, FILE.bak = the file before
                 the last run [3]
  3 new-year     the rolled .ods reads back whole with its year [10]
  4 damaged      five kinds of damaged input: "corrupt file", no output;
                 --in-place twice leaves FILE and FILE.bak as they were [2, 3]
  5 xls-limit    70,000 rows / 300 columns to .xls: "does not fit in .xls";
                 to .ods: ok [4]
  6 usage        -o = an input folder: exit 2 [5]; a summary that cannot be
                 written: exit 1 [6]
  7 dead-addin   an add-in whose library needs a missing library: every
                 workbook fails, naming it; a call of a function the add-in
                 does not know fails its workbook [7]
  8 portable     --portable: no kpicalc formula left, same values, native
                 formulas kept, Gnumeric recalculates it [8]
  9 names        colliding CSV sheet names; a file name that is not UTF-8 in
                 a JSON summary; summary columns unique [9]

Usage: outputs.py [-k GROUP-SUBSTRING] ; KPICALC=path/to/kpicalc (default
build/kpicalc; the add-in is the kpicalc.oxt beside it). Needs the Debian
packages python3-openpyxl, python3-xlrd, poppler-utils, gnumeric, patchelf.
Ends with "N passed, N failed"; exits 1 on any failure."""
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile

sys.dont_write_bytecode = True  # no __pycache__ in tests/ or samples/
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, 'outputs'))
import readers as R  # noqa: E402
import makefiles as MK  # noqa: E402

KPICALC = os.path.abspath(os.environ.get('KPICALC') or os.path.join(ROOT, 'build', 'kpicalc'))
OXT = os.path.join(os.path.dirname(KPICALC), 'kpicalc.oxt')
REPO_SAMPLES = os.path.join(ROOT, 'samples')
# the suite works on copies, made at its start (main): SAMPLES/dongchen-2020.ods,
# SAMPLES/county/*.ods, TEMPLATE
SAMPLES = TEMPLATE = DONGCHEN = None
CHECKED = ('KPI', 'Indicators')  # the sheets whose every value is compared
sys.path.insert(0, os.path.join(ROOT, 'samples'))
import layout  # noqa: E402  (samples/layout.py: plain Python)
# what a sample's add-in cells show where the add-in does not answer
NEEDS_ADDIN = getattr(layout, 'NEEDS_ADDIN', None)
EXCEL_ERRORS = {'#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A'}
RUN_TIMEOUT = 300

# ---- the tally --------------------------------------------------------------


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, ok, what, detail=''):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL %s%s' % (what, (': ' + detail) if detail else ''), flush=True)
        return ok

    def skip(self, what, why):
        self.skipped += 1
        print('SKIP %s: %s' % (what, why), flush=True)


T = Tally()
check = T.check


class Run:
    """One kpicalc run: rc, out, err (text)."""

    def __init__(self, rc, out, err, secs):
        self.rc, self.out, self.err, self.secs = rc, out, err, secs

    def tail(self, n=400):
        return self.err[-n:].replace('\n', ' | ')


def kc(*args, env=None, cwd=None):
    """Runs kpicalc ARGS (str or bytes) in its own process group; kills the
    group if it outlives RUN_TIMEOUT."""
    e = dict(BASE_ENV)
    e.update(env or {})
    t0 = time.time()
    p = subprocess.Popen([KPICALC] + list(args), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=e, cwd=cwd,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        err += b'\n<outputs.py: killed after %d s>' % RUN_TIMEOUT
    return Run(p.returncode, out.decode('utf-8', 'replace'),
               err.decode('utf-8', 'replace'), time.time() - t0)


def sha(path):
    with open(path, 'rb') as f:
        return f.read()


def tree(d):
    """{relative path: bytes} of every file below D."""
    out = {}
    for dp, _, fs in os.walk(d):
        for f in fs:
            p = os.path.join(dp, f)
            out[os.path.relpath(p, d)] = sha(p)
    return out


def files_below(d):
    return sorted(os.path.relpath(os.path.join(dp, f), d)
                  for dp, _, fs in os.walk(d) for f in fs)


def load_summary(path):
    """The JSON summary's rows, or None (and the reason) when unreadable."""
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f), ''
    except Exception as e:
        return None, '%s: %s' % (type(e).__name__, e)


def row_of(rows, suffix):
    for r in rows or []:
        if isinstance(r.get('file'), str) and r['file'].endswith(suffix):
            return r
    return None


def close(a, b, rel=1e-9):
    return a == b or math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


def cellname(key):
    r, c = key
    s, c = '', c + 1
    while c:
        c, m = divmod(c - 1, 26)
        s = chr(65 + m) + s
    return '%s%d' % (s, r + 1)


def csv_value_is(text, cell):
    """Whether a CSV field holds CELL's value (docs/batch.md, Outputs): a
    number in full (compared at 1e-9), TRUE/FALSE, an error's text."""
    if text is None:
        return False
    if cell.kind == 'num':
        try:
            return close(float(text), cell.value)
        except ValueError:
            return False
    if cell.kind == 'bool':
        return text == ('TRUE' if cell.value else 'FALSE')
    return text == cell.value


def compare_values(ref, got, sheets, what, shown=False, texts=False):
    bad, n = diff_values(ref, got, sheets, shown, texts)
    check(not bad and n > 0, what,
          ('%d of %d cells differ: %s' % (len(bad), n, '; '.join(bad[:4]))) if bad
          else 'no cell compared')
    return n


def diff_values(ref, got, sheets, shown=False, texts=False):
    """The differences ([text], number of cells compared) between every
    number, truth value and error of REF's SHEETS (a Book from the .fods
    output) and GOT (a Book; or with SHOWN, {sheet: {key: text}} of CSV
    files, which carry values, not the text shown). With TEXTS,
    the text results of REF's formulas too."""
    bad = []
    n = 0
    for s in sheets:
        if s not in ref:
            bad.append('no sheet %s in the reference' % s)
            continue
        if s not in got:
            bad.append('no sheet %s' % s)
            continue
        for key, c in sorted(ref[s].items()):
            g = got[s].get(key)
            where = '%s!%s' % (s, cellname(key))
            if texts and c.kind == 'str' and c.formula and not shown:
                n += 1
                if c.value and (g is None or g.kind != 'str' or g.value != c.value):
                    bad.append('%s is %r, not the text %r' % (where, g and g.value, c.value))
                continue
            if c.kind not in ('num', 'bool', 'err'):
                continue
            n += 1
            if shown:
                if not csv_value_is(g, c):
                    bad.append('%s is %r, not %r (shown %r)' % (where, g, c.value, c.text))
                continue
            if g is None:
                bad.append('%s missing (reference %r)' % (where, c.value))
            elif c.kind == 'err':
                if g.kind != 'err':
                    bad.append('%s is %r, not the error %s' % (where, g.value, c.value))
                elif c.value in EXCEL_ERRORS and g.value in EXCEL_ERRORS and g.value != c.value:
                    bad.append('%s is %s, not %s' % (where, g.value, c.value))
            elif g.kind not in ('num', 'bool'):
                bad.append('%s is %s %r, not %r' % (where, g.kind, g.value, c.value))
            elif not close(g.value, c.value):
                bad.append('%s is %r, not %r' % (where, g.value, c.value))
    return bad, n


def read_book(path):
    """The Book of any workbook output, by its extension (raises Unreadable)."""
    ext = os.path.splitext(path)[1]
    return {'.ods': R.read_ods, '.fods': R.read_fods, '.xlsx': R.read_xlsx,
            '.xls': R.read_xls}[ext](path)


def whole(path, what):
    """Check: PATH reads back whole; returns its Book or None."""
    try:
        book = read_book(path)
    except (R.Unreadable, OSError, KeyError) as e:
        check(False, what, str(e))
        return None
    check(len(book) > 0, what, 'no sheet')
    return book


def kpi_value(book, key):
    """Column B of the KPI row whose column A is KEY."""
    kpi = book.get('KPI', {})
    for (r, c), cell in kpi.items():
        if c == 0 and cell.value == key:
            return kpi.get((r, 1))
    return None


# ---- the shared inputs ---------------------------------------------------------

def copy_samples(tmp):
    """Copies the sample workbooks and the template into TMP/samples (a
    folder of workbooks only: the template beside it, given by itself,
    since a folder's .ots files are not taken)."""
    global SAMPLES, TEMPLATE, DONGCHEN
    SAMPLES = os.path.join(tmp, 'samples')
    os.makedirs(os.path.join(SAMPLES, 'county'))
    shutil.copy(os.path.join(REPO_SAMPLES, 'dongchen-2020.ods'), SAMPLES)
    for f in os.listdir(os.path.join(REPO_SAMPLES, 'county')):
        if f.endswith('.ods'):
            shutil.copy(os.path.join(REPO_SAMPLES, 'county', f), os.path.join(SAMPLES, 'county'))
    TEMPLATE = os.path.join(tmp, 'annual-report.ots')
    shutil.copy(os.path.join(REPO_SAMPLES, 'templates', 'annual-report.ots'), TEMPLATE)
    DONGCHEN = os.path.join(SAMPLES, 'dongchen-2020.ods')


def sample_list():
    """(stem below the output folder, input path) of every sample workbook
    and the template (given by itself: its outputs land at the top)."""
    out = [('dongchen-2020', DONGCHEN)]
    for f in sorted(os.listdir(os.path.join(SAMPLES, 'county'))):
        if f.endswith('.ods'):
            out.append(('county/' + f[:-4], os.path.join(SAMPLES, 'county', f)))
    out.append(('annual-report', TEMPLATE))
    return out


STATE = {}  # what a group leaves for a later one (group 1's reference values)


# ---- group 0: the readers refuse what is not whole ----------------------------

def g_readers(tmp):
    """The read-back can fail: each reader refuses each kind of damage."""
    d = os.path.join(tmp, 'g0')
    os.makedirs(d)
    good = R.read_ods(DONGCHEN)
    check('KPI' in good, 'readers: a sample .ods reads')
    cases = [('empty.ods', MK.empty, R.read_ods),
             ('names.ods', lambda p: MK.header_names_other_member(DONGCHEN, p), R.read_ods),
             ('zip64.ods', lambda p: MK.zip64_damaged_deflate(DONGCHEN, p), R.read_ods),
             ('cut.ods', lambda p: MK.truncated(DONGCHEN, p), R.read_ods),
             ('cut.fods', lambda p: open(p, 'w').write('<office:document'), R.read_fods)]
    for name, make, reader in cases:
        p = os.path.join(d, name)
        make(p)
        try:
            reader(p)
            check(False, 'readers: %s is refused' % name)
        except R.Unreadable:
            check(True, '')
    whole64 = os.path.join(d, 'zip64-whole.ods')
    MK.zip64_damaged_deflate(DONGCHEN, whole64, damage=False)
    check('KPI' in R.read_ods(whole64), 'readers: the same ZIP64 archive undamaged reads')
    p = os.path.join(d, 'cut.csv')
    open(p, 'w').write('a,b\n1,')
    try:
        R.read_csv(p)
        check(False, 'readers: a CSV cut short is refused')
    except R.Unreadable:
        check(True, '')


# ---- group 1: every sample, every format, read back ---------------------------

def g_samples(tmp):
    out = os.path.join(tmp, 'g1')
    samples = sample_list()
    before = tree(SAMPLES)
    run = kc('recalc', SAMPLES, TEMPLATE, '-o', out, '--to', 'ods,fods,xlsx,xls,pdf,csv',
             '--summary', os.path.join(out, 's.json'))
    STATE['g1_run'] = run
    print('  recalc of %d workbooks to 6 formats: %.1f s' % (len(samples), run.secs))
    check(run.rc == 0, 'samples: exit 0', 'exit %d: %s' % (run.rc, run.tail()))
    check(tree(SAMPLES) == before, 'samples: the inputs are untouched')
    rows, why = load_summary(os.path.join(out, 's.json'))
    check(rows is not None, 'samples: the JSON summary reads', why)
    check(rows is not None and len(rows) == len(samples),
          'samples: one summary row per workbook (%d)' % len(samples),
          'got %s' % (len(rows) if rows is not None else None))
    check(not [f for f in files_below(out) if '.kpicalc-' in f],
          'samples: no staging file left', ' '.join(files_below(out))[:300])
    refs = {}
    for stem, src in samples:
        name = os.path.basename(stem)
        base = os.path.join(out, stem)
        row = row_of(rows, '/' + os.path.relpath(src, SAMPLES)) if src != TEMPLATE \
            else row_of(rows, '/' + os.path.basename(src))
        check(row is not None and row.get('status') == 'ok', '%s: status ok' % name,
              str(row and row.get('message')))
        # the reference: the .fods output, LibreOffice's computed values
        ref = whole(base + '.fods', '%s.fods reads back (XML)' % name)
        if ref is None:
            continue
        refs[stem] = ref
        missing = [s for s in CHECKED if s not in ref]
        check(not missing, '%s.fods has the sheets %s' % (name, CHECKED), 'missing %s' % missing)
        for ext in ('.ods', '.xlsx', '.xls'):
            book = whole(base + ext, '%s%s reads back whole' % (name, ext))
            if book is not None:
                compare_values(ref, book, CHECKED, '%s%s: values = the .fods values' % (name, ext))
        try:
            opx = R.read_xlsx_openpyxl(base + '.xlsx')
            compare_values(ref, opx, CHECKED, '%s.xlsx through openpyxl: values' % name)
        except R.Unreadable as e:
            check(False, '%s.xlsx through openpyxl' % name, str(e))
        # CSV: one per sheet of the workbook, with the cells' values
        shown = {}
        for s in ref:
            p = '%s-%s.csv' % (base, s.replace('/', '_'))
            try:
                shown[s] = R.read_csv(p)
            except (OSError, R.Unreadable) as e:
                check(False, '%s: CSV of sheet %s reads back' % (name, s), str(e))
        compare_values(ref, shown, CHECKED, '%s CSV: carries the values' % name, shown=True)
        # PDF: whole, with the indicator pages
        try:
            pages = R.pdf_pages(base + '.pdf')
            check(pages >= 1, '%s.pdf has a page' % name, '%d pages' % pages)
            text = R.pdf_text(base + '.pdf')
            b5 = ref.get('Indicators', {}).get((4, 1))
            if b5 is not None and b5.kind == 'num':
                check(b5.text in text, '%s.pdf shows 持证率 %s' % (name, b5.text))
            unit = kpi_value(ref, 'unit')
            if unit is not None and unit.kind == 'str':
                check(unit.value in text, '%s.pdf names the unit %s' % (name, unit.value))
        except R.Unreadable as e:
            check(False, '%s.pdf reads back' % name, str(e))
        # the summary says what the workbook says
        if row is not None:
            v = kpi_value(ref, 'certrate')
            if v is not None and v.kind == 'num':
                check(isinstance(row.get('certrate'), float) and close(row['certrate'], v.value),
                      '%s: summary certrate = the workbook\'s' % name,
                      '%r vs %r' % (row.get('certrate'), v.value))
    STATE['refs'] = refs
    # one value against an independent source: the seed report's 31 of 34
    exact = 31 / 34
    as_text = float('%.15g' % exact)
    ref = refs.get('dongchen-2020')
    if check(ref is not None, 'dongchen: reference read'):
        v = kpi_value(ref, 'certrate')
        check(v is not None and v.value == as_text, 'dongchen .fods: 持证率 = 31/34',
              repr(v))
        ods = R.read_ods(os.path.join(out, 'dongchen-2020.ods'))
        check(kpi_value(ods, 'certrate').value == as_text, 'dongchen .ods: 持证率 = 31/34')
        xl = R.read_xlsx(os.path.join(out, 'dongchen-2020.xlsx'))
        check(kpi_value(xl, 'certrate').value == as_text, 'dongchen .xlsx: 持证率 = 31/34')
        xs = R.read_xls(os.path.join(out, 'dongchen-2020.xls'))
        check(kpi_value(xs, 'certrate').value == exact,
              'dongchen .xls: 持证率 is the double 31/34 itself',
              repr(kpi_value(xs, 'certrate')))
        kcsv = R.read_csv(os.path.join(out, 'dongchen-2020-KPI.csv'))
        shown = [kcsv.get((r, 1)) for r in range(60) if kcsv.get((r, 0)) == 'certrate']
        check(shown == ['%.15g' % exact], 'dongchen CSV: 持证率 is %.15g (not the 91.2%% shown)'
              % exact, repr(shown))
        row = row_of(rows, 'dongchen-2020.ods')
        check(row is not None and row.get('certrate') == as_text,
              'dongchen summary: 持证率 = 31/34', repr(row and row.get('certrate')))
        check('91.2%' in R.pdf_text(os.path.join(out, 'dongchen-2020.pdf')),
              'dongchen .pdf shows 91.2%')


# ---- group 2: --in-place ----------------------------------------------------------

def g_inplace(tmp):
    d = os.path.join(tmp, 'g2')
    os.makedirs(d)
    g1 = os.path.join(tmp, 'g1')
    files = {}  # name -> stem of group 1 (for its reference values)
    # 东陈乡 and four county workbooks (.ods with charts, as the old bug's)
    for stem, src in sample_list()[:5]:
        shutil.copy(src, os.path.join(d, os.path.basename(src)))
        files[os.path.basename(src)] = stem
    # the other formats --in-place keeps: group 1's outputs of 东陈乡
    for ext in ('.xlsx', '.xls', '.fods'):
        p = os.path.join(g1, 'dongchen-2020' + ext)
        if os.path.exists(p):
            shutil.copy(p, os.path.join(d, 'dongchen-copy' + ext))
            files['dongchen-copy' + ext] = 'dongchen-2020'
    original = {f: sha(os.path.join(d, f)) for f in files}
    refs = STATE.get('refs', {})
    first = {}
    for n in (1, 2):
        run = kc('recalc', '--in-place', d, '--summary', os.path.join(tmp, 'g2-%d.json' % n))
        print('  --in-place run %d over %d workbooks: %.1f s' % (n, len(files), run.secs))
        check(run.rc == 0, 'in-place run %d: exit 0' % n, 'exit %d: %s' % (run.rc, run.tail()))
        expect = sorted(list(files) + [f + '.bak' for f in files])
        check(sorted(os.listdir(d)) == expect,
              'in-place run %d: FILE and FILE.bak, nothing else' % n,
              ' '.join(sorted(set(os.listdir(d)) ^ set(expect))))
        for f, stem in sorted(files.items()):
            p = os.path.join(d, f)
            book = whole(p, 'in-place run %d: %s reads back whole' % (n, f))
            if book is not None and stem in refs:
                compare_values(refs[stem], book, CHECKED,
                               'in-place run %d: %s has the recalculated values' % (n, f))
            bak = p + '.bak'
            want = original[f] if n == 1 else first.get(f)
            check(os.path.exists(bak) and sha(bak) == want,
                  'in-place run %d: %s.bak = the file %s' % (
                      n, f, 'as it was' if n == 1 else 'the first run wrote'))
            if n == 1:
                first[f] = sha(p)


# ---- group 3: new-year ------------------------------------------------------------

def g_newyear(tmp):
    d = os.path.join(tmp, 'g3')
    os.makedirs(d)
    src = os.path.join(d, 'dongchen-2020.ods')
    shutil.copy(DONGCHEN, src)
    for ext in ('.ods',):
        out = os.path.join(d, 'dongchen-2021' + ext)
        run = kc('new-year', src, '--year', '2021', '-o', out)
        print('  new-year to %s: %.1f s' % (ext, run.secs))
        check(run.rc == 0, 'new-year %s: exit 0' % ext, 'exit %d: %s' % (run.rc, run.tail()))
        check('verified' in run.err + run.out, 'new-year %s: says verified' % ext)
        book = whole(out, 'new-year %s reads back whole' % ext)
        if book is None:
            continue
        inp = book.get('Input', {})
        year = inp.get((2, 2))
        check(year is not None and year.value == 2021, 'new-year %s: Input!C3 is 2021' % ext,
              repr(year))
        ky = kpi_value(book, 'year')
        check(ky is not None and ky.value == 2021, 'new-year %s: KPI year 2021' % ext, repr(ky))
        d9, d10 = inp.get((8, 3)), inp.get((9, 3))
        check(d9 is not None and d10 is not None and (d9.value, d10.value) == (34, 31),
              'new-year %s: last year\'s 应持证 34, 已持证 31' % ext, '%r %r' % (d9, d10))
        c5 = book.get('Indicators', {}).get((4, 2))
        check(c5 is not None and c5.kind == 'num' and close(c5.value, 31 / 34),
              'new-year %s: last year\'s 持证率 is 31/34' % ext, repr(c5))
        h = book.get('History', {}).get((10, 0))
        check(h is not None and h.value == 2020, 'new-year %s: History gains 2020' % ext, repr(h))
    check(sha(src) == sha(DONGCHEN), 'new-year: the source is untouched')
    check(sorted(os.listdir(d)) == ['dongchen-2020.ods', 'dongchen-2021.ods'],
          'new-year: nothing else left beside the outputs', ' '.join(sorted(os.listdir(d))))


# ---- group 4: damaged inputs -----------------------------------------------------

def damaged_set(tmp, d):
    """Writes the damaged inputs into D; returns {name: kind}."""
    os.makedirs(d, exist_ok=True)
    good_xlsx = os.path.join(tmp, 'g1', 'dongchen-2020.xlsx')
    if not os.path.exists(good_xlsx):  # group 1 not run: a small one
        good_xlsx = os.path.join(ROOT, 'tests', 'batch', 'fixtures', 'extlink', 'link.xlsx')
    made = {
        'empty.ods': ('a 0-byte file', lambda p: MK.empty(p)),
        'header-names-other.ods': ('local header names another member',
                                   lambda p: MK.header_names_other_member(DONGCHEN, p)),
        'zip64-bad-deflate.ods': ('ZIP64 with damaged deflate data',
                                  lambda p: MK.zip64_damaged_deflate(DONGCHEN, p)),
        'truncated-49152.ods': ('cut at 49,152 bytes (the old bug)',
                                lambda p: MK.truncated(DONGCHEN, p)),
        'no-workbook-part.xlsx': ('.xlsx without xl/workbook.xml',
                                  lambda p: MK.xlsx_without_workbook(good_xlsx, p)),
    }
    kinds = {}
    for name, (kind, fn) in made.items():
        fn(os.path.join(d, name))
        kinds[name] = kind
    return kinds


def g_damaged(tmp):
    d = os.path.join(tmp, 'g4', 'in')
    kinds = damaged_set(tmp, d)
    out = os.path.join(tmp, 'g4', 'out')
    run = kc('recalc', d, '-o', out, '--to', 'ods,xlsx,csv',
             '--summary', os.path.join(out, 's.json'))
    print('  -o run over %d damaged inputs: %.1f s' % (len(kinds), run.secs))
    check(run.rc == 1, 'damaged: exit 1', 'exit %d' % run.rc)
    rows, why = load_summary(os.path.join(out, 's.json'))
    check(rows is not None, 'damaged: the summary reads', why)
    for name, kind in kinds.items():
        row = row_of(rows, '/' + name)
        msg = (row or {}).get('message') or ''
        check(row is not None and row.get('status') == 'failed' and msg.startswith('corrupt file'),
              'damaged (%s): failed, "corrupt file"' % kind,
              'status %s, message %r' % ((row or {}).get('status'), msg))
        stem = os.path.splitext(name)[0]
        left = [f for f in files_below(out) if os.path.basename(f).startswith(stem)]
        check(not left, 'damaged (%s): no output' % kind, ' '.join(left))
    # --in-place, twice, beside a good FILE.bak: nothing changes
    ip = os.path.join(tmp, 'g4', 'inplace')
    shutil.copytree(d, ip)
    for name in kinds:
        good = DONGCHEN if name.endswith('.ods') else os.path.join(tmp, 'g1', 'dongchen-2020.xlsx')
        if os.path.exists(good):
            shutil.copy(good, os.path.join(ip, name + '.bak'))
    before = tree(ip)
    for n in (1, 2):
        run = kc('recalc', '--in-place', ip, '--summary', os.path.join(tmp, 'g4-ip%d.json' % n))
        check(run.rc == 1, 'damaged --in-place run %d: exit 1' % n, 'exit %d' % run.rc)
        after = tree(ip)
        for name, kind in kinds.items():
            for f in (name, name + '.bak'):
                check(after.get(f) == before.get(f),
                      'damaged (%s) --in-place run %d: %s unchanged' % (kind, n, f),
                      'missing' if f not in after else '%d bytes, were %d' % (
                          len(after[f]), len(before.get(f, b''))))
        extra = sorted(set(after) - set(before))
        check(not extra, 'damaged --in-place run %d: nothing added' % n, ' '.join(extra))


# ---- group 5: what does not fit in .xls --------------------------------------------

def g_xlslimit(tmp):
    d = os.path.join(tmp, 'g5', 'in')
    os.makedirs(d)
    MK.tall_fods(os.path.join(d, 'tall.fods'), rows=70000, sheet='Tall')
    MK.wide_fods(os.path.join(d, 'wide.fods'), cols=300, sheet='Wide')
    out = os.path.join(tmp, 'g5', 'xls')
    run = kc('recalc', d, '-o', out, '--to', 'xls', '--summary', os.path.join(out, 's.json'))
    print('  70,000 rows and 300 columns to .xls: %.1f s' % run.secs)
    check(run.rc == 1, 'xls limit: exit 1', 'exit %d: %s' % (run.rc, run.tail()))
    rows, why = load_summary(os.path.join(out, 's.json'))
    for name, sheet in (('tall.fods', 'Tall'), ('wide.fods', 'Wide')):
        row = row_of(rows, '/' + name) or {}
        msg = row.get('message') or ''
        check(row.get('status') == 'failed' and 'does not fit in .xls' in msg and sheet in msg,
              'xls limit: %s fails, "does not fit in .xls", names sheet %s' % (name, sheet),
              'status %s, message %r' % (row.get('status'), msg))
        check(not os.path.exists(os.path.join(out, name[:-5] + '.xls')),
              'xls limit: no %s.xls written' % name[:-5])
    out = os.path.join(tmp, 'g5', 'ods')
    run = kc('recalc', d, '-o', out, '--to', 'ods')
    print('  the same to .ods: %.1f s' % run.secs)
    check(run.rc == 0, 'xls limit: the same workbooks to .ods: exit 0',
          'exit %d: %s' % (run.rc, run.tail()))
    book = whole(os.path.join(out, 'tall.ods'), 'tall.ods reads back whole')
    if book:
        t = book.get('Tall', {})
        last = t.get((69999, 0)), t.get((69999, 1))
        check(last[0] is not None and last[1] is not None and
              (last[0].value, last[1].value) == (70000, 140000),
              'tall.ods: row 70,000 holds 70000 and =A70000*2', repr(last))
        check(len(t) == 70001, 'tall.ods: 70,001 cells', str(len(t)))
    book = whole(os.path.join(out, 'wide.ods'), 'wide.ods reads back whole')
    if book:
        w = book.get('Wide', {}).get((0, 299))
        check(w is not None and w.value == 300, 'wide.ods: column 300 holds 300', repr(w))


# ---- group 6: usage: -o = an input folder; a summary that cannot be written ----------

def g_usage(tmp):
    d = os.path.join(tmp, 'g6')
    src = os.path.join(d, 'in')
    os.makedirs(os.path.join(src, 'sub'))
    MK.small_good(os.path.join(src, 'good.fods'))
    MK.small_good(os.path.join(src, 'sub', 'deep.fods'))
    before = tree(src)
    cases = [
        ('-o = the input folder', [src, '-o', src], src),
        ('-o = the folder of an input file', [os.path.join(src, 'good.fods'), '-o', src], src),
        ('-o = a subfolder that is an input folder',
         [src, os.path.join(src, 'sub'), '-o', os.path.join(src, 'sub')],
         os.path.join(src, 'sub')),
        ('-o = the input folder written IN/.', [src, '-o', src + '/.'], src),
    ]
    for what, args, named in cases:
        run = kc('recalc', *args)
        check(run.rc == 2, '%s: exit 2' % what, 'exit %d: %s' % (run.rc, run.tail()))
        check(named in run.err, '%s: the message names the folder' % what, run.tail())
        check(tree(src) == before, '%s: nothing written into it' % what,
              ' '.join(sorted(set(tree(src)) ^ set(before))))
    # a summary whose folder is a regular file
    plain = os.path.join(d, 'plainfile')
    open(plain, 'w').write('not a folder\n')
    target = os.path.join(plain, 's.json')
    run = kc('recalc', os.path.join(src, 'good.fods'), '-o', os.path.join(d, 'out'),
             '--summary', target)
    check(run.rc == 1, 'summary under a regular file: exit 1 (every workbook ok)',
          'exit %d: %s' % (run.rc, run.tail()))
    check('kpicalc: summary: cannot write %s: ' % target in run.err,
          'summary under a regular file: "kpicalc: summary: cannot write FILE: reason"', run.tail())
    check(os.path.exists(os.path.join(d, 'out', 'good.ods')),
          'summary under a regular file: the workbook itself is written')
    # a summary on a full file system
    full = os.path.join(d, 'full')
    os.makedirs(full)
    m = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full],
                       capture_output=True, text=True)
    if m.returncode != 0:
        T.skip('summary on a full file system', 'cannot mount a tmpfs: %s' % m.stderr.strip())
        return
    STATE['mounted'] = full
    try:
        try:
            with open(os.path.join(full, 'filler'), 'wb') as f:
                while True:
                    f.write(b'\0' * 4096)
                    f.flush()
        except OSError:
            pass
        target = os.path.join(full, 's.json')
        run = kc('recalc', os.path.join(src, 'good.fods'), '--summary', target)
        check(run.rc == 1, 'summary on a full file system: exit 1',
              'exit %d: %s' % (run.rc, run.tail()))
        check('kpicalc: summary: cannot write %s: ' % target in run.err,
              'summary on a full file system: the message', run.tail())
        check(os.listdir(full) == ['filler'], 'summary on a full file system: no partial file left',
              ' '.join(os.listdir(full)))
    finally:
        subprocess.run(['umount', full], capture_output=True)
        STATE.pop('mounted', None)


# ---- group 7: an add-in that cannot load ---------------------------------------------

MISSING_LIB = 'libkpicalc-missing.so.1'


def dead_oxt(tmp):
    """A copy of the extension whose libkpicalc.so needs MISSING_LIB."""
    d = os.path.join(tmp, 'g7', 'oxt')
    os.makedirs(d)
    zin = zipfile.ZipFile(OXT)
    zin.extractall(d)
    so = os.path.join(d, 'libkpicalc.so')
    subprocess.run(['patchelf', '--add-needed', MISSING_LIB, so], check=True,
                   capture_output=True)
    out = os.path.join(tmp, 'g7', 'kpicalc-dead.oxt')
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            p = os.path.join(d, info.filename)
            if info.is_dir():
                z.writestr(info, b'')
            else:
                z.write(p, info.filename)
    return out, so


def g_deadaddin(tmp):
    if not shutil.which('patchelf'):
        check(False, 'dead add-in: patchelf is needed (apt-get install patchelf)')
        return
    oxt, so = dead_oxt(tmp)
    ldd = subprocess.run(['ldd', so], capture_output=True, text=True).stdout
    check('%s => not found' % MISSING_LIB in ldd, 'dead add-in: the copy needs a missing library')
    d = os.path.join(tmp, 'g7', 'in')
    os.makedirs(d)
    shutil.copy(DONGCHEN, d)
    MK.small_good(os.path.join(d, 'no-addin-call.fods'))
    out = os.path.join(tmp, 'g7', 'out')
    run = kc('recalc', d, '-o', out, '--extension', oxt, '-j', '1',
             '--summary', os.path.join(out, 's.json'))
    print('  a run with the dead add-in: %.1f s' % run.secs)
    check(run.rc == 1, 'dead add-in: exit 1', 'exit %d: %s' % (run.rc, run.tail()))
    rows, why = load_summary(os.path.join(out, 's.json'))
    check(rows is not None and len(rows) == 2, 'dead add-in: summary with 2 rows', why)
    for name in ('dongchen-2020.ods', 'no-addin-call.fods'):
        row = row_of(rows, '/' + name) or {}
        msg = row.get('message') or ''
        check(row.get('status') == 'failed' and
              'the kpicalc add-in does not work in this LibreOffice' in msg,
              'dead add-in: %s fails, "add-in does not work"' % name,
              'status %s, message %r' % (row.get('status'), msg))
        check(MISSING_LIB in msg, 'dead add-in: %s: the message names %s' % (name, MISSING_LIB),
              repr(msg))
    written = [f for f in files_below(out) if f != 's.json']
    check(not written, 'dead add-in: no output written', ' '.join(written))
    # a healthy add-in, a workbook calling a function it does not know
    d = os.path.join(tmp, 'g7', 'unknown')
    os.makedirs(d)
    MK.unknown_function(os.path.join(d, 'unknown-function.fods'))
    MK.small_good(os.path.join(d, 'fine.fods'))
    out = os.path.join(tmp, 'g7', 'unknown-out')
    run = kc('recalc', d, '-o', out, '-j', '1', '--summary', os.path.join(out, 's.json'))
    check(run.rc == 1, 'unknown add-in function: exit 1', 'exit %d: %s' % (run.rc, run.tail()))
    rows, why = load_summary(os.path.join(out, 's.json'))
    row = row_of(rows, '/unknown-function.fods') or {}
    msg = row.get('message') or ''
    check(row.get('status') == 'failed' and 'kpicalc functions this add-in does not know' in msg,
          'unknown add-in function: the workbook fails, "... this add-in does not know"',
          'status %s, message %r' % (row.get('status'), msg))
    check(not os.path.exists(os.path.join(out, 'unknown-function.ods')),
          'unknown add-in function: no output')
    row = row_of(rows, '/fine.fods') or {}
    check(row.get('status') == 'ok' and os.path.exists(os.path.join(out, 'fine.ods')),
          'unknown add-in function: the other workbook is ok', repr(row))


# ---- group 8: --portable ------------------------------------------------------------

def catalogue_names():
    """The add-in's function names, from formulas/catalogue.c."""
    with open(os.path.join(ROOT, 'formulas', 'catalogue.c'), encoding='utf-8') as f:
        names = re.findall(r'^\s*\{"([A-Z][A-Z0-9]*)",', f.read(), re.M)
    assert len(names) >= 10, names
    return names


ADDIN_CALL = None


def has_kpicalc(formula):
    """Whether FORMULA calls a kpicalc function: ORG.KPICALC..., or a
    catalogue name called bare or as an Excel add-in/UDF (_xll., _xludf.).
    (A name such as the samples' KpicalcAddin, a cell reference, is no
    call.)"""
    global ADDIN_CALL
    if ADDIN_CALL is None:
        ADDIN_CALL = re.compile(r'(?i)org\.kpicalc|(?<![\w.])(?:_xll\.|_xludf\.)?(?:%s)\s*\('
                                % '|'.join(catalogue_names()))
    return formula is not None and ADDIN_CALL.search(formula) is not None


def xlsx_defined_names(path):
    z = zipfile.ZipFile(path)
    wb = R.parse_xml(z.read('xl/workbook.xml'), path)
    return [(n.get('name'), n.text or '') for n in wb.iter(R.q('x', 'definedName'))]


def ods_named_expressions(path):
    """(name, expression) of the named expressions and ranges of an .ods."""
    z = zipfile.ZipFile(path)
    root = R.parse_xml(z.read('content.xml'), path)
    out = []
    for el in root.iter():
        for attr in ('expression', 'cell-range-address'):
            v = el.get(R.q('table', attr))
            if v is not None and el.get(R.q('table', 'name')):
                out.append((el.get(R.q('table', 'name')), v))
    return out


def protected_sheets(path):
    """Names of the sheets of an .ods that are protected."""
    z = zipfile.ZipFile(path)
    root = R.parse_xml(z.read('content.xml'), path)
    return sorted(t.get(R.q('table', 'name')) for t in root.iter(R.q('table', 'table'))
                  if t.get(R.q('table', 'protected')) == 'true')


def ssconvert_sheets(path, d):
    """{sheet: {key: text}} from `ssconvert --recalc -S`, or raises."""
    os.makedirs(d, exist_ok=True)
    r = subprocess.run(['ssconvert', '--recalc', '-S', path, os.path.join(d, 'x.%s.csv')],
                       capture_output=True, text=True, timeout=120)
    out = {}
    for f in os.listdir(d):
        if f.startswith('x.') and f.endswith('.csv'):
            out[f[2:-4]] = R.read_csv(os.path.join(d, f))
    if not out:
        raise R.Unreadable('ssconvert wrote nothing: %s' % r.stderr[-300:])
    return out


def gnumeric_diff(ref, sheets):
    """Gnumeric's CSV holds raw values: numbers compared at 1e-9; returns
    diff_values'."""
    book = {}
    for s, cells in sheets.items():
        b = {}
        for k, v in cells.items():
            if v in ('TRUE', 'FALSE'):
                b[k] = R.Cell('bool', 1.0 if v == 'TRUE' else 0.0, v, None)
            elif v.startswith('#') or v.startswith('Err:'):
                b[k] = R.Cell('err', v, v, None)
            else:
                try:
                    b[k] = R.Cell('num', float(v), v, None)
                except ValueError:
                    b[k] = R.Cell('str', v, v, None)
        book[s] = b
    return diff_values(ref, book, CHECKED)


def g_portable(tmp):
    refs = STATE.get('refs')
    g1 = os.path.join(tmp, 'g1')
    out = os.path.join(tmp, 'g8')
    samples = sample_list()
    run = kc('recalc', SAMPLES, TEMPLATE, '--portable', '-o', out, '--to', 'ods,xlsx,xls',
             '--summary', os.path.join(out, 's.json'))
    print('  --portable run over %d workbooks: %.1f s' % (len(samples), run.secs))
    if not check(run.rc == 0, '--portable: exit 0', 'exit %d: %s' % (run.rc, run.tail())):
        if not os.path.exists(out):
            return  # nothing written: no more to read back
    check('--portable' not in run.err, '--portable: no warning to use --portable', run.tail())
    g1run = STATE.get('g1_run')
    if g1run is not None:
        n = sum('--portable' in line for line in g1run.err.splitlines())
        check(n == 1, 'without --portable, xlsx/xls outputs: one warning naming --portable',
              '%d such lines' % n)
    r2 = kc('recalc', '--portable', '--in-place', os.path.join(out, 'nonexistent'))
    check(r2.rc == 2 and '--portable' in r2.err and '--in-place' in r2.err,
          '--portable with --in-place: exit 2, naming both', 'exit %d: %s' % (r2.rc, r2.tail()))
    if not refs:
        check(False, '--portable: group 1 gave no reference values')
        return
    for i, (stem, src) in enumerate(samples):
        name = os.path.basename(stem)
        base = os.path.join(out, stem)
        ref = refs.get(stem)
        if ref is None:
            continue
        # .ods: no kpicalc formula, native ones kept, same values, protection kept
        book = whole(base + '.ods', '%s portable .ods reads back whole' % name)
        if book is not None:
            left = ['%s!%s %s' % (s, cellname(k), c.formula) for s, cells in book.items()
                    for k, c in cells.items() if has_kpicalc(c.formula)]
            left += ['name %s = %s' % nv for nv in ods_named_expressions(base + '.ods')
                     if has_kpicalc(nv[1])]
            check(not left, '%s portable .ods: no kpicalc function left' % name,
                  '%d cells: %s' % (len(left), '; '.join(left[:3])))
            normal = R.read_ods(os.path.join(g1, stem + '.ods'))
            native = {(s, k) for s, cells in normal.items() for k, c in cells.items()
                      if c.formula and not has_kpicalc(c.formula)}
            kept = {(s, k) for s, cells in book.items() for k, c in cells.items() if c.formula}
            lost = sorted(native - kept)
            check(native and not lost, '%s portable .ods: every native formula kept (%d)'
                  % (name, len(native)), '%d lost, e.g. %s' % (len(lost), lost[:3]))
            compare_values(ref, book, list(ref), '%s portable .ods: every sheet\'s values' % name,
                           texts=True)
            check(protected_sheets(base + '.ods')
                  == protected_sheets(os.path.join(g1, stem + '.ods')),
                  '%s portable .ods: the same sheets protected' % name)
        # .xlsx
        book = whole(base + '.xlsx', '%s portable .xlsx reads back whole' % name)
        if book is not None:
            left = ['%s!%s %s' % (s, cellname(k), c.formula) for s, cells in book.items()
                    for k, c in cells.items() if has_kpicalc(c.formula)]
            left += ['name %s = %s' % nv for nv in xlsx_defined_names(base + '.xlsx')
                     if has_kpicalc(nv[1])]
            check(not left, '%s portable .xlsx: no kpicalc function left' % name,
                  '%d: %s' % (len(left), '; '.join(left[:3])))
            nf = sum(1 for cells in book.values() for c in cells.values() if c.formula)
            check(nf > 0, '%s portable .xlsx: native formulas kept' % name, '%d formulas' % nf)
            compare_values(ref, book, CHECKED, '%s portable .xlsx: values' % name, texts=True)
            try:
                gs = ssconvert_sheets(base + '.xlsx', os.path.join(tmp, 'g8-ss', stem))
                bad = ['%s!%s' % (s, cellname(k)) for s, cells in gs.items()
                       for k, v in cells.items() if v == '#NAME?']
                check(not bad, '%s portable .xlsx in Gnumeric: no #NAME?' % name,
                      '%d cells, e.g. %s' % (len(bad), bad[:4]))
                banner = ['%s!%s' % (s, cellname(k)) for s, cells in gs.items()
                          for k, v in cells.items() if v == NEEDS_ADDIN]
                check(not banner, '%s portable .xlsx in Gnumeric: no cell shows %r'
                      % (name, NEEDS_ADDIN), '%d cells, e.g. %s' % (len(banner), banner[:4]))
                bad, n = gnumeric_diff(ref, gs)
                check(not bad and n > 0, '%s portable .xlsx in Gnumeric: values' % name,
                      '%d of %d cells differ: %s' % (len(bad), n, '; '.join(bad[:4])))
            except (R.Unreadable, subprocess.TimeoutExpired, OSError) as e:
                check(False, '%s portable .xlsx in Gnumeric' % name, str(e))
            if i == 0:  # the control: without --portable Gnumeric cannot compute them
                gs = ssconvert_sheets(os.path.join(g1, stem + '.xlsx'),
                                      os.path.join(tmp, 'g8-ss', 'control'))
                bad, n = gnumeric_diff(ref, gs)
                check(bad, 'control: the non-portable .xlsx in Gnumeric has other values')
                if NEEDS_ADDIN:
                    check(any(v == NEEDS_ADDIN for cells in gs.values() for v in cells.values()),
                          'control: the non-portable .xlsx in Gnumeric shows %r' % NEEDS_ADDIN)
        # .xls
        try:
            names = R.xls_addin_names(base + '.xls')
            check(not names, '%s portable .xls: no add-in function referenced' % name,
                  ' '.join(names))
            check(R.xls_formula_count(base + '.xls') > 0, '%s portable .xls: formulas kept' % name)
            compare_values(ref, R.read_xls(base + '.xls'), CHECKED,
                           '%s portable .xls: values' % name)
            if i == 0:
                check(R.xls_addin_names(os.path.join(g1, stem + '.xls')),
                      'control: the non-portable .xls references the add-in\'s functions')
        except (R.Unreadable, OSError) as e:
            check(False, '%s portable .xls reads back' % name, str(e))


# ---- group 9: CSV names and the summary ----------------------------------------------

def g_names(tmp):
    d = os.path.join(tmp, 'g9', 'in')
    os.makedirs(d)
    MK.colliding_sheets(os.path.join(d, 'collide.fods'))
    MK.fixed_column_keys(os.path.join(d, 'keys.fods'))
    bad = os.path.join(d.encode(), b'bad-\xff\xfe-name.fods')
    MK.small_good(bad)
    out = os.path.join(tmp, 'g9', 'out')
    run = kc('recalc', d, '-o', out, '--to', 'csv,fods', '--summary', os.path.join(out, 's.json'))
    print('  one run: %.1f s' % run.secs)
    check(run.rc == 0, 'names: exit 0', 'exit %d: %s' % (run.rc, run.tail()))
    # the precondition: LibreOffice kept the tab in the sheet name
    try:
        sheets = list(R.read_fods(os.path.join(out, 'collide.fods')))
    except (R.Unreadable, OSError) as e:
        sheets = str(e)
    check(sheets == ['a\tb', 'a_b'], 'names: the workbook has sheets "a<tab>b" and "a_b"',
          repr(sheets))
    csvs = sorted(f for f in os.listdir(out) if f.startswith('collide') and f.endswith('.csv'))
    check(csvs == ['collide-a_b-2.csv', 'collide-a_b.csv'],
          'names: colliding sheet names give NAME-SHEET.csv and NAME-SHEET-2.csv', repr(csvs))
    texts = sorted(R.read_csv(os.path.join(out, f)).get((0, 0)) for f in csvs)
    check(texts == ['first sheet, with a tab', 'second sheet, underscore'],
          'names: each CSV holds its own sheet', repr(texts))
    # the JSON summary is JSON, whatever the file names
    raw = open(os.path.join(out, 's.json'), 'rb').read()
    dup = []

    def pairs(kv):
        keys = [k for k, _ in kv]
        dup.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(kv)
    try:
        rows = json.loads(raw.decode('utf-8'), object_pairs_hook=pairs)
        why = ''
    except (UnicodeDecodeError, ValueError) as e:
        rows, why = None, '%s: %s' % (type(e).__name__, e)
    check(rows is not None, 'names: a JSON summary with a file name that is not UTF-8 loads', why)
    if rows is None:  # for the checks below, which are about something else
        try:
            rows = json.loads(raw.decode('utf-8', 'replace'), object_pairs_hook=pairs)
        except ValueError:
            pass
    row = None
    for r in rows or []:
        if 'bad-' in r.get('file', '') and r['file'].endswith('-name.fods'):
            row = r
    check(row is not None and row.get('status') == 'ok',
          'names: the non-UTF-8 file has its row, ok', repr(row))
    check(not dup, 'names: the summary\'s columns are unique', repr(dup))
    keys = row_of(rows, 'keys.fods') or {}
    check(keys.get('status') == 'ok' and keys.get('file', '').endswith('keys.fods') and
          keys.get('kpi_file') == 1 and keys.get('kpi_message') == 4,
          'names: KPI keys equal to fixed columns get their own columns', repr(keys))


# ---- main ------------------------------------------------------------------------------

GROUPS = [('0 readers', g_readers), ('1 samples', g_samples), ('2 in-place', g_inplace),
          ('3 new-year', g_newyear),
          ('4 damaged', g_damaged), ('5 xls-limit', g_xlslimit), ('6 usage', g_usage),
          ('7 dead-addin', g_deadaddin), ('8 portable', g_portable), ('9 names', g_names)]


def cpu():
    """CPU seconds of this process and its children so far."""
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

# groups that read group 1's reference values or outputs
NEEDS_G1 = ('2 in-place', '4 damaged', '8 portable')


def main(argv):
    only = argv[argv.index('-k') + 1] if '-k' in argv else None
    if not os.access(KPICALC, os.X_OK) or not os.path.exists(OXT):
        print('outputs: %s and %s are needed (make)' % (KPICALC, OXT))
        print('0 passed, 1 failed')
        return 1
    tmp = tempfile.mkdtemp(prefix='kpicalc-outputs-')
    global BASE_ENV
    BASE_ENV = {k: v for k, v in os.environ.items()
                if k not in ('KPICALC_OXT', 'KPICALC_FAULT', 'KPICALC_LOADER', 'KPICALC_TRACE',
                             'KPICALC_DEBUG')}
    BASE_ENV['XDG_CACHE_HOME'] = os.path.join(tmp, 'cache')
    BASE_ENV['TMPDIR'] = os.path.join(tmp, 'scratch')
    os.makedirs(BASE_ENV['TMPDIR'])
    t_all = time.time()
    try:
        copy_samples(tmp)
        chosen = [(n, fn) for n, fn in GROUPS if not only or only in n]
        if any(n in NEEDS_G1 for n, _ in chosen) and GROUPS[1] not in chosen:
            chosen.insert(0, GROUPS[1])  # their reference values and outputs
        for name, fn in chosen:
            print('== group %s' % name, flush=True)
            p0, f0, t0, c0 = T.passed, T.failed, time.time(), cpu()
            try:
                fn(tmp)
            except Exception:
                traceback.print_exc()
                check(False, 'group %s: raised' % name)
            # not "N passed, N failed": build.sh's tally adds up every such line
            print('-- group %s: %d passed / %d failed, %.1f s (%.1f s CPU)'
                  % (name, T.passed - p0, T.failed - f0, time.time() - t0, cpu() - c0),
                  flush=True)
    finally:
        if STATE.get('mounted'):
            subprocess.run(['umount', STATE['mounted']], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print('outputs read back: %.0f s in all, %.0f s CPU (load average %.1f)'
          % (time.time() - t_all, cpu(), os.getloadavg()[0]))
    print('%d passed, %d failed' % (T.passed, T.failed)
          + (', %d skipped' % T.skipped if T.skipped else ''))
    return 1 if T.failed or not T.passed else 0


BASE_ENV = {}

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
