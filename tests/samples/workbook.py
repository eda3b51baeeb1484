"""What a township analyst meets in the yearly workbook (issue 11), checked
in a real LibreOffice by tests/samples/run.py:

  - validation: every input cell refuses what is not a figure (a STOP alert
    with a Chinese message); a bad figure that got in anyway (pasted, or
    typed into an older file) is circled by Calc's "Mark Invalid Data"
    (XSheetAuditing.showInvalid) at its cell and explained beside it
    (Input column F) and in the indicator's note, which names the cell;
  - every indicator that cannot be computed names the input cell to fill,
    by its Chinese label and address; no case concluded is a state of its
    own (本年无审结案件), not an error;
  - 双下降: the reason for each case, under both 0 -> 0 rules, agreeing
    with DOUBLEDECLINE;
  - the printed pages (soffice --convert-to pdf): three pages, Chinese
    only (no line of Latin letters without Chinese), a footer with the page
    number and count, no "###", no developer path, the statistics in words.
"""
import os
import re
import shutil
import subprocess
import tempfile

import uno  # noqa: F401  (Python-UNO first)

import layout as L
from office import SOFFICE, make_profile, prop

CJK = re.compile(r"[\u4e00-\u9fff]")


def cell(doc, sheet, addr):
    return doc.Sheets.getByName(sheet).getCellRangeByName(addr)


def text(doc, sheet, addr):
    return cell(doc, sheet, addr).getString()


def label(key):
    return [zh for _r, k, zh, _e in L.ITEMS if k == key][0]


def where(key):
    return "%s（C%d）" % (label(key), L.ITEM_ROW[key])


def c_of(key):
    return "C%d" % L.ITEM_ROW[key]


# --- validation ------------------------------------------------------------

def check_rules(report, office, path):
    """Every input cell has a validation that refuses (STOP) with a Chinese
    message; the yes/no setting is a dropdown."""
    doc = office.load(path)
    try:
        rules(report, doc, os.path.basename(path))
    finally:
        doc.close(True)


def rules(report, doc, name):
    inp = doc.Sheets.getByName("Input")
    cells = [("Input", c_of(k)) for k in L.KEYS] + [("Input", L.YEAR_CELL)]
    cells += [("Input", a) for _n, a, *_r in L.SETTINGS]
    cells += [("History", "%s%d" % (L.HIST_COL[k], L.HIST_FIRST_ROW + 3))
              for k in L.KEYS] + [("History", "A50")]
    bad = []
    for sheet, a in cells:
        v = cell(doc, sheet, a).Validation
        ok = (v.Type.value != "ANY" and v.ShowErrorMessage and
              v.ErrorAlertStyle.value == "STOP" and
              CJK.match(v.ErrorMessage or "") is not None or
              (v.ErrorMessage or "").startswith(("“", "请", "年度")))
        if not ok:
            bad.append("%s.%s" % (sheet, a))
    report.check(not bad, "%s: input cells without a refusing validation "
                 "with a Chinese message: %s" % (name, bad[:8]))
    zh = inp.getCellRangeByName("H4").Validation
    report.check(zh.Type.value == "LIST" and zh.ShowList != 0 and
                 '"是"' in zh.getFormula1() and '"否"' in zh.getFormula1(),
                 "%s: the 0→0 setting is a 是/否 dropdown (%s)"
                 % (name, zh.getFormula1()))
    msg = inp.getCellRangeByName(c_of("certified")).Validation.ErrorMessage
    report.check("全角" in msg and "“应持证人数”（C9）" in msg and
                 "31人" in msg, "%s: the message of 已持证人数 says whole "
                 "number, not above 应持证人数 (C9), no unit, no full-width "
                 "digits: %r" % (name, msg))
    ymsg = cell(doc, "Input", L.YEAR_CELL).Validation.ErrorMessage
    report.check("四位" in ymsg and "2020年" in ymsg,
                 "%s: the year's message: %r" % (name, ymsg))
    for sheet in ["Input", "History", "Indicators"] + L.PRINT_SHEETS:
        report.check(doc.Sheets.getByName(sheet).isProtected(),
                     "%s: sheet %s protected" % (name, sheet))
    hist = doc.Sheets.getByName("History")
    report.check(not hist.getCellRangeByName("B%d" % L.HIST_FIRST_ROW)
                 .CellProtection.IsLocked and hist.getCellRangeByName("B4")
                 .CellProtection.IsLocked,
                 "%s: History: data cells open, headings locked" % name)


def circled(doc, sheet):
    """The cells Calc circles as invalid (Tools ▸ Detective ▸ Mark Invalid
    Data): the cell under the centre of each circle."""
    sh = doc.Sheets.getByName(sheet)
    sh.clearArrows()
    found = sh.showInvalid()
    out = set()
    dp = sh.DrawPage
    for i in range(dp.getCount()):
        shape = dp.getByIndex(i)
        if "Ellipse" not in shape.ShapeType and \
                "Circle" not in shape.ShapeType:
            continue
        x = shape.Position.X + shape.Size.Width // 2
        y = shape.Position.Y + shape.Size.Height // 2
        for r in range(0, 120):
            for c in range(0, 26):
                cc = sh.getCellByPosition(c, r)
                p, s = cc.Position, cc.Size
                if p.X <= x < p.X + s.Width and p.Y <= y < p.Y + s.Height:
                    out.add("%s%d" % (L.col_letter(c), r + 1))
    sh.clearArrows()
    return found, out


# (what is typed, into which cell, the Input column-F text, the text the
# indicator's note must contain)
CERT = L.ITEM_ROW["certified"]
BAD_INPUTS = [
    (35, "超过应持证人数", "✗ 不能大于“应持证人数”（C9）",
     "请更正：已持证人数（C10）大于“应持证人数”"),
    (-31, "负数", "✗ 不能为负数", "已持证人数（C10）须为不小于0的整数"),
    (31.5, "小数", "✗ 须为整数", "已持证人数（C10）须为不小于0的整数"),
    ("31人", "带单位", "✗ 不是数字：只填数字，不带单位", "已持证人数（C10）不是数字"),
    ("３１", "全角数字", "✗ 全角字符：请改用半角数字", "已持证人数（C10）不是数字"),
]


def put(c, v):
    if isinstance(v, str):
        c.setString(v)
    else:
        c.setValue(v)


def check_bad_inputs(report, office, path):
    doc = office.load(path)
    try:
        doc.calculateAll()
        found, where_ = circled(doc, "Input")
        report.check(not found and not where_, "seed: no input circled as "
                     "invalid (%r)" % sorted(where_))
        found, where_ = circled(doc, "History")
        report.check(not found, "seed: no History cell invalid")
        inp = doc.Sheets.getByName("Input")
        c10 = inp.getCellRangeByName("C%d" % CERT)
        kr = "K%d" % L.IND_ROW["certrate"]
        for value, what, fmsg, note in BAD_INPUTS:
            put(c10, value)
            doc.calculateAll()
            found, where_ = circled(doc, "Input")
            # a part above its whole: both cells of the pair are circled
            want = {"C%d" % CERT} | ({"C%d" % L.ITEM_ROW["required"]}
                                     if value == 35 else set())
            report.check(found and where_ == want,
                         "bad input (%s %r): circled at %s only: %r"
                         % (what, value, sorted(want), sorted(where_)))
            f = text(doc, "Input", "%s%d" % (L.CHECK_COL, CERT))
            report.check(f == fmsg, "bad input (%s): Input F%d says %r, "
                         "want %r" % (what, CERT, f, fmsg))
            if value == 31.5:
                report.check(c10.getString() == "31.5", "bad input: 31.5 "
                             "shows as typed, not rounded: %r"
                             % c10.getString())
            k = text(doc, "Indicators", kr)
            report.check(note in k, "bad input (%s): the note of 持证率 says "
                         "%r, want %r in it" % (what, k, note))
            kpi = doc.Sheets.getByName("KPI")
            v = kpi.getCellByPosition(1, 1 + L.KPI_KEYS.index("certrate_num"))
            report.check(v.getError() != 0, "bad input (%s): KPI "
                         "certrate_num is not available" % what)
        c10.setValue(31)
        # the year
        y = cell(doc, "Input", L.YEAR_CELL)
        y.setString("2020年")
        doc.calculateAll()
        found, where_ = circled(doc, "Input")
        d = text(doc, "Input", "D" + L.YEAR_CELL[1:])
        report.check(L.YEAR_CELL in where_ and d.startswith("✗ 年度须为四位数字"),
                     "bad year '2020年': circled %r, D3 says %r"
                     % (sorted(where_), d))
        y.setValue(2020)
        # the 0 -> 0 setting
        h4 = cell(doc, "Input", "H4")
        h4.setString("x")
        found, where_ = circled(doc, "Input")
        report.check("H4" in where_, "0→0 setting 'x' is circled: %r"
                     % sorted(where_))
        h4.setString("否")
        found, where_ = circled(doc, "Input")
        report.check("H4" not in where_, "0→0 setting 否 is valid")
        h4.setString("是")
        # History
        hb = cell(doc, "History", "B%d" % (L.HIST_FIRST_ROW + 5))
        hb.setString("abc")
        found, where_ = circled(doc, "History")
        report.check(where_ == {"B%d" % (L.HIST_FIRST_ROW + 5)},
                     "History: text in a count is circled: %r"
                     % sorted(where_))
        hb.setString("")
    finally:
        doc.close(True)


# --- notes that name the cell ---------------------------------------------

def check_notes(report, office, path):
    """On a complete workbook, each input emptied in turn: every indicator
    that needs it says which cell to fill."""
    import make_samples as M
    doc = office.load(path)
    try:
        inp = doc.Sheets.getByName("Input")
        doc.calculateAll()
        bad = []
        for key in L.KEYS:
            c = inp.getCellRangeByName(c_of(key))
            old = c.getValue()
            c.setString("")
            doc.calculateAll()
            for ind, keys in M.IND_INPUTS.items():
                if key not in keys or ind in ("lost_cases", "doubledecline"):
                    continue
                r = L.IND_ROW[ind]
                note = text(doc, "Indicators", "K%d" % r)
                b = cell(doc, "Indicators", "B%d" % r)
                if len(keys) > 1:
                    ok = b.getError() != 0 and \
                        ("请填写 " + where(key)) in note
                else:
                    ok = b.getString() == "" and where(key) in note
                if not ok:
                    bad.append((key, ind, note))
            if key in M.IND_INPUTS["doubledecline"]:
                k12 = text(doc, "Indicators", "K%d" % L.IND_ROW[
                    "doubledecline"])
                if not (k12.startswith("数据缺失") and where(key) in k12):
                    bad.append((key, "doubledecline", k12))
            c.setValue(old)
        doc.calculateAll()
        report.check(not bad, "every note names the cell to fill: %s"
                     % bad[:4])
        report.check(all(text(doc, "Indicators", "K%d" % L.IND_ROW[k]) == ""
                         for k in M.IND_INPUTS if k != "doubledecline"),
                     "complete workbook: no note")
        # no case concluded: a state of its own
        for k in ("suits", "recons", "suits_lost", "recons_lost"):
            inp.getCellRangeByName(c_of(k)).setValue(0)
        doc.calculateAll()
        r = L.IND_ROW["lossrate"]
        b9 = cell(doc, "Indicators", "B%d" % r)
        k9 = text(doc, "Indicators", "K%d" % r)
        g9 = text(doc, "Indicators", "G%d" % r)
        report.check(b9.getError() == 0 and b9.getString() == "无审结案件" and
                     k9.startswith("本年无审结案件") and "无效" not in k9 and
                     g9 == "不适用 n/a",
                     "no case concluded: 败诉率 %r, note %r, target %r"
                     % (b9.getString(), k9, g9))
        kpi = kpi_values(doc)
        report.check(kpi["lossrate"] == "#N/A" and kpi["lossrate_num"] == 0
                     and kpi["lossrate_den"] == 0 and
                     kpi["doubledecline_reason"] == "本年无审结案件",
                     "no case concluded: KPI lossrate %r, %r/%r, reason %r"
                     % (kpi["lossrate"], kpi["lossrate_num"],
                        kpi["lossrate_den"], kpi["doubledecline_reason"]))
        errs = [a for a in ("B%d" % r, "D%d" % r, "G%d" % r, "H%d" % r,
                            "J%d" % r, "K%d" % r)
                if cell(doc, "Indicators", a).getError()]
        report.check(not errs, "no case concluded: no error in the 败诉率 "
                     "row: %s" % errs)
        p = L.PRINT_ORDER.index("lossrate") + 5
        ph = text(doc, "PrintIndicators", "H%d" % p)
        report.check(ph.startswith("本年无审结案件"), "no case concluded: the "
                     "printed reading %r" % ph)
    finally:
        doc.close(True)


def kpi_values(doc):
    sh = doc.Sheets.getByName("KPI")
    out = {}
    for i, k in enumerate(L.KPI_KEYS):
        c = sh.getCellByPosition(1, 1 + i)
        if c.getError():
            out[k] = c.getString()
        elif c.getType().value == "FORMULA" and c.FormulaResultType2 == 2:
            out[k] = c.getString()
        else:
            out[k] = c.getValue()
    return out


# --- 双下降 ----------------------------------------------------------------

# (name, last year: disputes, suits, suits_lost, recons, recons_lost; this
# year: the same; rule 是/否; the reason; DOUBLEDECLINE)
DD_CASES = [
    ("both fell", (10, 6, 1, 4, 1), (5, 6, 0, 4, 1), "是", "双下降", 1),
    ("rate rose", (10, 6, 0, 4, 1), (5, 6, 1, 4, 1), "是", "败诉率上升", 0),
    ("disputes rose", (5, 6, 1, 4, 1), (10, 6, 0, 4, 0), "是", "发案量上升", 0),
    ("disputes flat", (5, 6, 1, 4, 1), (5, 6, 0, 4, 0), "是", "发案量未下降",
     0),
    ("0→0, rule yes", (10, 6, 0, 4, 0), (5, 5, 0, 3, 0), "是",
     "败诉率持平(0→0，按规则计为下降)", 1),
    ("0→0, rule no", (10, 6, 0, 4, 0), (5, 5, 0, 3, 0), "否",
     "败诉率持平(0→0，按规则不计为下降)", 0),
    ("rate flat", (10, 5, 1, 5, 0), (5, 5, 1, 5, 0), "是", "败诉率未下降", 0),
    ("none concluded", (10, 5, 1, 5, 0), (5, 0, 0, 0, 0), "是", "本年无审结案件",
     None),
    ("disputes missing", (10, 5, 1, 5, 0), (None, 5, 0, 5, 0), "是", "数据缺失",
     None),
]
DD_KEYS = ("disputes", "suits", "suits_lost", "recons", "recons_lost")


def check_doubledecline(report, office, path):
    doc = office.load(path)
    try:
        hist = doc.Sheets.getByName("History")
        inp = doc.Sheets.getByName("Input")
        year = int(cell(doc, "Input", L.YEAR_CELL).getValue())
        hrow = None
        for r in range(L.HIST_FIRST_ROW, L.HIST_LAST_ROW + 1):
            if hist.getCellRangeByName("A%d" % r).getValue() == year - 1:
                hrow = r
        rdd = L.IND_ROW["doubledecline"]
        seen = set()
        for name, prev, cur, rule, reason, flag in DD_CASES:
            for k, v in zip(DD_KEYS, prev):
                hist.getCellRangeByName("%s%d" % (L.HIST_COL[k], hrow)) \
                    .setValue(v)
            for k, v in zip(DD_KEYS, cur):
                c = inp.getCellRangeByName(c_of(k))
                c.setString("") if v is None else c.setValue(v)
            inp.getCellRangeByName("H4").setString(rule)
            doc.calculateAll()
            got = kpi_values(doc)
            b12 = cell(doc, "Indicators", "B%d" % rdd)
            k12 = text(doc, "Indicators", "K%d" % rdd)
            val = None if b12.getError() else b12.getValue()
            report.check(got["doubledecline_reason"] == reason and
                         val == flag and k12.startswith(reason) and
                         ("0→0 规则：" + ("计为下降" if rule == "是" else
                                        "不计为下降")) in k12,
                         "双下降 %s: reason %r (want %r), value %r (want %r), "
                         "note %r" % (name, got["doubledecline_reason"],
                                      reason, val, flag, k12))
            seen.add(got["doubledecline_reason"])
        report.check(seen == set(L.DD_REASONS), "双下降: every reason met: "
                     "missing %r" % sorted(set(L.DD_REASONS) - seen))
    finally:
        doc.close(True)


# --- the printed pages -----------------------------------------------------

DEV = re.compile(r"docs/|samples/|\.py\b|\.md\b|make_samples|/work/")


def pdf_of(oxt, path, outdir):
    """PATH converted by soffice --convert-to pdf (a profile with the
    extension), into OUTDIR; returns the PDF's path."""
    profile = make_profile(oxt)
    try:
        subprocess.run([SOFFICE, "--headless", "--norestore",
                        "-env:UserInstallation=file://" + profile,
                        "--convert-to", "pdf", "--outdir", outdir, path],
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return os.path.join(outdir, os.path.splitext(os.path.basename(path))[0]
                        + ".pdf")


def page_text(pdf, page):
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l",
                           str(page), pdf, "-"], stdout=subprocess.PIPE,
                          text=True, check=True).stdout


def check_pdf(report, oxt, path, outdir=None, seed=True):
    name = os.path.basename(path)
    tmp = outdir or tempfile.mkdtemp(prefix="kpicalc-print-")
    os.makedirs(tmp, exist_ok=True)
    try:
        pdf = pdf_of(oxt, path, tmp)
        info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE,
                              text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        report.check(pages == 3, "%s: PDF has 3 pages (基础数据, 指标, 趋势), "
                     "got %d" % (name, pages))
        titles = ["行政执法工作年度基础数据", "行政执法工作指标", "趋势分析"]
        for p in range(1, pages + 1):
            t = page_text(pdf, p)
            latin = [ln.strip() for ln in t.splitlines()
                     if re.search(r"[A-Za-z]", ln) and not CJK.search(ln)]
            report.check(not latin, "%s page %d: lines of Latin letters only: "
                         "%s" % (name, p, latin[:4]))
            report.check(re.search(r"第\s*%d\s*页\s*共\s*%d\s*页"
                                   % (p, pages), t) is not None,
                         "%s page %d: footer 第 %d 页 共 %d 页" % (name, p, p,
                                                            pages))
            report.check("制表人" in t and "审核人" in t and "打印日期" in t,
                         "%s page %d: 制表人, 审核人, date in the footer"
                         % (name, p))
            report.check("###" not in t, "%s page %d: no ###" % (name, p))
            report.check(not DEV.search(t), "%s page %d: no developer path: "
                         "%r" % (name, p, DEV.findall(t)))
            report.check(not re.search(r"#N/A|#DIV/0|#NUM|#VALUE|Err:", t),
                         "%s page %d: no error code printed" % (name, p))
            if p <= len(titles):
                report.check(titles[p - 1] in t, "%s page %d: %s"
                             % (name, p, titles[p - 1]))
        t2, t3 = page_text(pdf, 2), page_text(pdf, 3)
        if seed:
            report.check("91.2%" in t2 and "31/34" in t2 and "95%置信区间" in t2
                         and "请填写 行政诉讼审结数（C20）" in t2,
                         "%s: the indicators page in words" % name)
            report.check("需至少3个年度数据" in t3 and "（趋势检验 p" not in t3,
                         "%s: first-year trend page says 需至少3个年度数据"
                         % name)
        else:
            report.check(re.search(r"近7年(呈显著(上升|下降)趋势|无显著变化趋势)",
                                   t3) is not None, "%s: the trend in words"
                         % name)
        # pdftoppm renders every page
        subprocess.run(["pdftoppm", "-png", "-r", "50", pdf,
                        os.path.join(tmp, "page")], check=True)
        pngs = [f for f in os.listdir(tmp) if f.startswith("page")]
        report.check(len(pngs) == pages, "%s: pdftoppm renders %d pages"
                     % (name, len(pngs)))
        for f in pngs:
            os.remove(os.path.join(tmp, f))
    finally:
        if not outdir:
            shutil.rmtree(tmp, ignore_errors=True)


def check_print_layout(report, office, path):
    """PrintTrend's charts start below its series table, whatever the row
    heights on loading (rows that grow with wrapped text would slide under
    charts placed by position)."""
    doc = office.load(path)
    try:
        doc.calculateAll()
        sh = doc.Sheets.getByName("PrintTrend")
        cur = sh.createCursor()
        cur.gotoEndOfUsedArea(False)
        last = cur.RangeAddress.EndRow
        c = sh.getCellByPosition(0, last)
        bottom = c.Position.Y + c.Size.Height
        tops = [sh.Charts.getByName(n) for n in sh.Charts.ElementNames]
        dp = sh.DrawPage
        ys = [dp.getByIndex(i).Position.Y for i in range(dp.getCount())]
        report.check(len(tops) == 3 and len(ys) == 3 and
                     min(ys) >= bottom - 10,
                     "%s: PrintTrend's 3 charts below the table (chart tops "
                     "%r, table bottom %d)" % (os.path.basename(path), ys,
                                               bottom))
    finally:
        doc.close(True)


def control_pdf(report, office, oxt, path, tmp):
    """The checks of check_pdf fail on a page with a Latin-only line and a
    column too narrow for its number."""
    doc = office.load(path)
    try:
        pi = doc.Sheets.getByName("PrintIndicators")
        pi.unprotect("")
        pi.Columns.getByIndex(1).Width = 400  # B: 4 mm, "91.2%" -> ###
        pin = doc.Sheets.getByName("PrintInput")
        pin.unprotect("")
        pin.getCellRangeByName("A3").setString("Synthetic data only")
        doc.calculateAll()
        out = os.path.join(tmp, "control.ods")
        doc.storeToURL(uno.systemPathToFileUrl(out),
                       (prop("FilterName", "calc8"),))
    finally:
        doc.close(True)
    quiet = type(report)(quiet=True)
    check_pdf(quiet, oxt, out, os.path.join(tmp, "control"))
    report.check(quiet.failed >= 2, "print control: a Latin-only line and "
                 "### are caught (%d failures)" % quiet.failed)
