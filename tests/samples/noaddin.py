"""What a recipient without the kpicalc add-in sees (tests/samples/run.py).

Without the extension (Excel, WPS, Gnumeric, a LibreOffice without it) every
add-in call is #NAME?. The workbooks must then say "需要 kpicalc 扩展 / needs
the kpicalc add-in" (layout.NEEDS_ADDIN) in every cell that calls the add-in
or judges a value that does, and never blame the analyst (本年输入无效,
本年缺少输入, …), show "—" or a 达标 mark for such a value, count 0 years of
data, or show a plausible number.

The checks are written against the cells' formulas, not a list of cells, so
a guard added later without the probe is caught:
  - every formula cell that calls the add-in (org.kpicalc.kpicalc.*), uses
    the probe name, or tests for an error (ISERROR, IFERROR, ISERR, ISNA,
    IFNA, ERROR.TYPE) shows the needs-add-in text, unless it is one of the
    native guards listed in native_guards() (lookups and indicators that
    need no add-in: their values are right without it);
  - no cell shows #NAME? or Err:NNN, the analyst's-error notes, or "—";
  - named positions (KPI keys, the years of data, target met, the banners)
    show it, and the printed sheets colour it (conditional format).
"""
import csv
import os
import re
import shutil
import subprocess
import tempfile

import uno  # noqa: F401
from office import prop

import layout as L

NEEDS = L.NEEDS_ADDIN
BLAME = ("本年输入无效", "本年缺少输入", "上年输入无效", "上年缺少输入",
         "invalid input", "an input is missing", "请更正", "请填写 ",
         "上年数据有误", "数据有误")
ADDIN_CALL = re.compile(r"org\.kpicalc\.kpicalc\.", re.I)
GUARD = re.compile(r"(?<![\w.])(ISERROR|IFERROR|ISERR|ISNA|IFNA|ERROR\.TYPE|"
                   r"ERRORTYPE)\s*\(", re.I)
PROBE = (L.ADDIN_SHEET, L.ADDIN_CELL)
BANNERS = {("Input", L.INPUT_BANNER_CELL), ("Indicators", "A3"),
           ("Trend", "A3")}
# The printed and the input sheets colour every needs-add-in cell.
COLOURED_SHEETS = ("Input", "Indicators", "Trend")

# KPI keys whose value comes from the add-in.
ADDIN_KPI = ["certrate", "certrate_lo", "certrate_hi", "adoptrate",
             "adoptrate_lo", "adoptrate_hi", "lossrate", "doubledecline",
             "certrate_trend", "adoptrate_trend", "lossrate_trend",
             "disputes_trend", "disputes_senslope", "disputes_forecast",
             "doubledecline_reason"]


def native_guards():
    """Guards over values computed without the add-in: they keep their
    meaning when it is missing. (sheet, cell) -> why."""
    out = {}
    for row, key, _z, _e in L.ITEMS:
        out[("Input", "D%d" % row)] = "last year's figure, looked up"
    for i in range(L.TREND_YEARS):
        out[("Series", "B%d" % (2 + i))] = "History row of a year"
    out[("Config", "B2")] = "History row of the rollover"
    for key, _zh, _en, kind, target, _d in L.INDICATORS:
        if key in L.ADDIN_INDICATORS:
            continue
        r = L.IND_ROW[key]
        out[("Indicators", "K%d" % r)] = "note on a native indicator"
        out[("Indicators", "%s%d" % (L.CLAIM_CHECK_COL, r))] = \
            "the report's claim against a native indicator"
        if kind in ("rate", "count", "ratio"):
            out[("Indicators", "D%d" % r)] = "change of a native indicator"
        if target is not None:
            out[("Indicators", "G%d" % r)] = "target of a native indicator"
    return out


def addr(c, r):
    return "%s%d" % (L.col_letter(c), r + 1)


class Shown:
    """A formula cell as read in bulk: its formula, what it shows (text,
    number or error text) and whether that is an error."""

    def __init__(self, formula, value, error):
        self.formula = formula
        self.value = value
        self.error = error

    def text(self):
        return self.value if isinstance(self.value, str) else ""


def formula_cells(doc):
    """[(sheet, 'A1', Shown)] of every formula cell, read range by range
    (a call per cell takes minutes over 14 workbooks)."""
    out = []
    for sh in doc.Sheets:
        errors = set()
        err_ranges = sh.queryFormulaCells(4)  # FormulaResult.ERROR
        for rng in err_ranges.getRangeAddresses():
            for r in range(rng.StartRow, rng.EndRow + 1):
                for c in range(rng.StartColumn, rng.EndColumn + 1):
                    errors.add((c, r))
        ranges = sh.queryContentCells(16)  # CellFlags.FORMULA
        for a in ranges.getRangeAddresses():
            rng = sh.getCellRangeByPosition(a.StartColumn, a.StartRow,
                                            a.EndColumn, a.EndRow)
            formulas = rng.getFormulaArray()
            data = rng.getDataArray()
            for i, row in enumerate(formulas):
                for j, f in enumerate(row):
                    c, r = a.StartColumn + j, a.StartRow + i
                    if (c, r) in errors:
                        v = sh.getCellByPosition(c, r).getString()
                    else:
                        v = data[i][j]
                    out.append((sh.Name, addr(c, r),
                                Shown(f, v, (c, r) in errors)))
    return out


def shows_needs(cell, banner=False):
    """CELL (a UNO cell or a Shown) says the add-in is missing."""
    if isinstance(cell, Shown):
        if cell.error:
            return False
        s = cell.text()
    else:
        if cell.getError():
            return False
        s = cell.getString()
    return s.startswith(NEEDS) if banner else s == NEEDS


def first_rule(sheet, a):
    """Formula of the first conditional-format rule of a cell, or ''."""
    entries = sheet.getCellRangeByName(a).ConditionalFormat
    if entries.getCount() == 0:
        return ""
    return entries.getByIndex(0).getFormula1()


def check_without_addin(report, doc, name, colours=True):
    """The checks of the module docstring on a recalculated workbook in an
    office without the add-in. COLOURS: also the conditional formats (the
    same in every workbook made from the template)."""
    native = native_guards()
    probe = doc.Sheets.getByName(PROBE[0]).getCellRangeByName(PROBE[1])
    report.check(probe.getError() == 0 and probe.getValue() == 0,
                 "%s: add-in probe %s.%s is FALSE without the add-in (%r)"
                 % (name, PROBE[0], PROBE[1], probe.getString()))
    not_needs, leaked, blamed, uncoloured = [], [], [], []
    n_needs = 0
    for sheet, a, cell in formula_cells(doc):
        if (sheet, a) == PROBE:
            continue
        f = cell.formula
        s = cell.value if isinstance(cell.value, str) else repr(cell.value)
        where = "%s.%s" % (sheet, a)
        # the print pages turn errors into words (缺数据) and pass the
        # needs-add-in text of the working sheets on: checked below
        must = (ADDIN_CALL.search(f) or L.ADDIN_NAME.lower() in f.lower()
                or (GUARD.search(f) and (sheet, a) not in native and
                    sheet not in L.PRINT_SHEETS))
        if must:
            if shows_needs(cell, (sheet, a) in BANNERS):
                n_needs += 1
                if colours and sheet in COLOURED_SHEETS and \
                        L.ADDIN_NAME.upper() not in \
                        first_rule(doc.Sheets.getByName(sheet), a).upper():
                    uncoloured.append(where)
            else:
                not_needs.append((where, s))
        if cell.error and (s == "#NAME?" or s.startswith("Err:")):
            leaked.append((where, s))
        if any(b in s for b in BLAME) or s == "—" or \
                (must and ("达标" in s)):
            blamed.append((where, s))
    report.check(n_needs > 0, "%s: cells say %r without the add-in (%d)"
                 % (name, NEEDS, n_needs))
    report.check(not not_needs, "%s: add-in cells and guards that do not say "
                 "the add-in is missing: %s" % (name, not_needs[:8]))
    report.check(not leaked, "%s: raw add-in errors shown: %s"
                 % (name, leaked[:8]))
    report.check(not blamed, "%s: a missing add-in shown as the analyst's "
                 "error, '—' or a target mark: %s" % (name, blamed[:8]))
    report.check(not uncoloured, "%s: needs-add-in cells without the "
                 "orange conditional format: %s" % (name, uncoloured[:8]))
    # named positions, whatever their formulas look like
    kpi = doc.Sheets.getByName("KPI")
    bad = [k for k in ADDIN_KPI if not shows_needs(kpi.getCellByPosition(
        1, 1 + L.KPI_KEYS.index(k)))]
    report.check(not bad, "%s: KPI values from the add-in that do not say it "
                 "is missing: %s" % (name, bad))
    trend = doc.Sheets.getByName("Trend")
    bad = [k for k, *_r in L.TREND_SERIES if k in L.ADDIN_INDICATORS and
           not shows_needs(trend.getCellRangeByName(
               "B%d" % L.TREND_STAT_ROW[k]))]
    report.check(not bad, "%s: years of data of add-in series (Trend B) "
                 "not marked: %s" % (name, bad))
    ind = doc.Sheets.getByName("Indicators")
    bad = []
    for key, _zh, _en, kind, target, _d in L.INDICATORS:
        if key not in L.ADDIN_INDICATORS:
            continue
        r = L.IND_ROW[key]
        cols = "BK" + ("G" if target is not None else "")
        bad += ["%s%d" % (c, r) for c in cols
                if not shows_needs(ind.getCellRangeByName("%s%d" % (c, r)))]
    report.check(not bad, "%s: indicator, target met or note of an add-in "
                 "indicator not marked: %s" % (name, bad))
    # the print pages say it where the working sheets do
    pi = doc.Sheets.getByName("PrintIndicators")
    bad = []
    for key in L.ADDIN_INDICATORS:
        r = 5 + L.PRINT_ORDER.index(key)
        for c in "BH":
            if not shows_needs(pi.getCellRangeByName("%s%d" % (c, r))):
                bad.append("%s%d" % (c, r))
    report.check(not bad, "%s: PrintIndicators cells of add-in indicators "
                 "that do not say the add-in is missing: %s" % (name, bad))
    bad = [b for b in sorted(BANNERS) if not shows_needs(
        doc.Sheets.getByName(b[0]).getCellRangeByName(b[1]), True)]
    report.check(not bad, "%s: banners that do not say the add-in is "
                 "missing: %s" % (name, bad))


def check_with_addin(report, doc, name):
    """With the add-in: the probe is TRUE and no cell says it is missing."""
    probe = doc.Sheets.getByName(PROBE[0]).getCellRangeByName(PROBE[1])
    report.check(probe.getError() == 0 and probe.getValue() == 1,
                 "%s: add-in probe is TRUE with the add-in (%r)"
                 % (name, probe.getString()))
    said = ["%s.%s" % (s, a) for s, a, cell in formula_cells(doc)
            if NEEDS in cell.text()]
    report.check(not said, "%s: cells say the add-in is missing while it is "
                 "installed: %s" % (name, said[:8]))


def raw_call(report, office):
    """Documents what an add-in call gives without the extension in this
    LibreOffice: #NAME? (error 525), ERROR.TYPE 5; the guards do not rely
    on the form (the probe is ISNUMBER, so Err:504 would do the same)."""
    doc = office.new_calc()
    try:
        sh = doc.Sheets.getByIndex(0)
        sh.getCellRangeByName("A1").setFormula("=CERTRATE(1;2)")
        sh.getCellRangeByName("A2").setFormula("=ERROR.TYPE(A1)")
        sh.getCellRangeByName("A3").setFormula(L.ADDIN_PROBE)
        doc.calculateAll()
        a1 = sh.getCellRangeByName("A1")
        a2 = sh.getCellRangeByName("A2")
        a3 = sh.getCellRangeByName("A3")
        report.check(a1.getString() in ("#NAME?", "Err:504") and
                     a1.getError() in (525, 504),
                     "no add-in: CERTRATE(1;2) is #NAME? or Err:504, got "
                     "%r (%d)" % (a1.getString(), a1.getError()))
        report.check(a1.getString() != "#NAME?" or a2.getValue() == 5,
                     "no add-in: ERROR.TYPE of #NAME? is 5, got %r"
                     % a2.getString())
        report.check(a3.getError() == 0 and a3.getValue() == 0,
                     "no add-in: the probe formula is FALSE, got %r"
                     % a3.getString())
    finally:
        doc.close(True)


def load_template(office, path):
    return office.desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(path), "_blank", 0,
        (prop("Hidden", True), prop("AsTemplate", True)))


def check_books(report, office, template, books):
    """Every sample and the template, recalculated without the add-in."""
    for path in [template] + list(books):
        name = os.path.basename(path) + " (no add-in)"
        doc = load_template(office, path) if path == template else \
            office.load(path)
        try:
            doc.calculateAll()
            check_without_addin(report, doc, name,
                                colours=path in (template, books[0]))
        finally:
            doc.close(True)


def control(report, office, path):
    """The check fails on a guard that does not look at the probe: the
    note of 持证率 put back to its old formula."""
    doc = office.load(path)
    try:
        ind = doc.Sheets.getByName("Indicators")
        ind.unprotect("")
        r = L.IND_ROW["certrate"]
        ind.getCellRangeByName("K%d" % r).setFormula(
            '=IF(ISNA(B{r});"本年缺少输入 this year: an input is missing";'
            'IF(ISERROR(B{r});"本年输入无效 this year: invalid input";""))'
            .format(r=r))
        # and a target-met mark computed without the probe
        ind.getCellRangeByName("G%d" % r).setFormula(
            '=IF(ISERROR(B{r});"—";"x")'.format(r=r))
        doc.calculateAll()
        quiet = type(report)(quiet=True)
        check_without_addin(quiet, doc, "control")
        report.check(quiet.failed >= 2, "no add-in control: unguarded note "
                     "and target mark are caught (%d failures)"
                     % quiet.failed)
    finally:
        doc.close(True)


# --- Gnumeric: the same workbook as .xlsx, recalculated by ssconvert -------

def export_xlsx(office, path, out):
    doc = office.load(path)
    try:
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(out),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
    finally:
        doc.close(True)


def ssconvert_sheets(xlsx, recalc):
    """{sheet name: rows} of every sheet, through ssconvert to CSV."""
    tmp = tempfile.mkdtemp(prefix="kpicalc-gnumeric-")
    try:
        cmd = ["ssconvert", "-S"] + (["--recalc"] if recalc else []) + \
            [xlsx, os.path.join(tmp, "%s.csv")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)
        out = {}
        for f in os.listdir(tmp):
            with open(os.path.join(tmp, f), encoding="utf-8") as fh:
                out[f[:-4]] = list(csv.reader(fh))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def csv_cell(sheets, sheet, a):
    m = re.fullmatch(r"([A-Z]+)(\d+)", a)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    rows = sheets.get(sheet, [])
    r = int(m.group(2)) - 1
    if r >= len(rows) or col - 1 >= len(rows[r]):
        return ""
    return rows[r][col - 1]


def check_csv(report, sheets, name):
    """The Gnumeric rendering: the named positions say the add-in is
    missing, and nothing blames the analyst or shows a raw #NAME?."""
    want = []
    for key, _zh, _en, kind, target, _d in L.INDICATORS:
        if key in L.ADDIN_INDICATORS:
            r = L.IND_ROW[key]
            want += [("Indicators", "%s%d" % (c, r)) for c in
                     "BK" + ("G" if target is not None else "")]
    for k in ADDIN_KPI:
        want.append(("KPI", "B%d" % (2 + L.KPI_KEYS.index(k))))
    for k, *_r in L.TREND_SERIES:
        r = L.TREND_STAT_ROW[k]
        if k in L.ADDIN_INDICATORS:
            want.append(("Trend", "B%d" % r))
        want += [("Trend", "%s%d" % (c, r)) for c in "CDEFGHIJKLM"]
    bad = [(s, a, csv_cell(sheets, s, a)) for s, a in want
           if csv_cell(sheets, s, a) != NEEDS]
    bad += [(s, a, csv_cell(sheets, s, a)) for s, a in sorted(BANNERS)
            if not csv_cell(sheets, s, a).startswith(NEEDS)]
    report.check(not bad, "%s: cells that do not say the add-in is missing: "
                 "%s" % (name, bad[:6]))
    blamed = [(s, v) for s, rows in sheets.items() for row in rows
              for v in row if any(b in v for b in BLAME) or v == "—" or
              v == "#NAME?"]
    report.check(not blamed, "%s: the analyst blamed, '—' or #NAME?: %s"
                 % (name, blamed[:6]))
    return not bad and not blamed


# --- LibreOffice's default for ODF files: never recalculate on load --------

def office_never_recalc(office_module):
    """An Office (no extension) whose profile keeps cached results on load,
    as LibreOffice does by default for ODF files (ODFRecalcMode 1), unlike
    the test profile (0, always)."""
    xcu = office_module.LOCALE_XCU
    office_module.LOCALE_XCU = xcu.replace(
        '"ODFRecalcMode" oor:op="fuse"><value>0<',
        '"ODFRecalcMode" oor:op="fuse"><value>1<')
    assert office_module.LOCALE_XCU != xcu
    try:
        return office_module.Office(None, install=False)
    finally:
        office_module.LOCALE_XCU = xcu


def write_stale_probe(office, path, out):
    """A copy of PATH, recalculated with the add-in, whose probe is not
    volatile: the control of check_never_recalc."""
    doc = office.load(path)
    try:
        sh = doc.Sheets.getByName(L.ADDIN_SHEET)
        sh.unprotect("")
        sh.getCellRangeByName(L.ADDIN_CELL).setFormula(
            "=ISNUMBER(CERTRATE(1;2))")
        sh.protect("")
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(out),
                       (prop("FilterName", "calc8"),))
    finally:
        doc.close(True)


def check_never_recalc(report, office, books, stale):
    """Opened as saved, without any recalculation asked for: the volatile
    probe is recomputed on load and so is every cell that depends on it.
    STALE (a non-volatile probe) must fail the same checks."""
    for path in books:
        doc = office.load(path)
        try:
            check_without_addin(report, doc, os.path.basename(path) +
                                " (no add-in, opened without recalculation)",
                                colours=False)
        finally:
            doc.close(True)
    if stale:
        doc = office.load(stale)
        try:
            quiet = type(report)(quiet=True)
            check_without_addin(quiet, doc, "stale", colours=False)
            report.check(quiet.failed > 0, "never-recalc control: with a "
                         "probe that is not volatile the cached 'add-in "
                         "present' stays and the checks fail (%d failures)"
                         % quiet.failed)
        finally:
            doc.close(True)
