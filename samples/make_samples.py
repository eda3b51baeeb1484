#!/usr/bin/python3
"""Builds the kpicalc yearly workbook template and the sample workbooks.

    /usr/bin/python3 samples/make_samples.py [build/kpicalc.oxt]

Drives a real headless LibreOffice (tests/calc/office.py) with the kpicalc
extension installed, so every formula is entered as a user types it
(English function names, `;` between arguments) and is stored in the file
as an add-in call (`ORG.KPICALC.KPICALC.CERTRATE(...)` in content.xml:
the programmatic name, which Calc writes upper-cased and reads in any case).

Writes
  samples/templates/annual-report.ots   the empty yearly template
  samples/dongchen-2020.ods             the template with the seed report's
                                        2020 figures (东陈乡); unknown cells
                                        are left empty
  samples/county/*.ods                  12 synthetic townships, history
                                        2014-2019 and 2020 as this year,
                                        from a fixed random seed

The layout (sheets, rows, columns, KPI keys) is in samples/layout.py and is
described in docs/templates.md. Needs Debian's /usr/bin/python3 (python3-uno).
"""
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "calc"))

import uno  # noqa: E402
from com.sun.star.awt import Rectangle  # noqa: E402
from com.sun.star.lang import Locale  # noqa: E402
from com.sun.star.table import BorderLine2, CellAddress  # noqa: E402
from com.sun.star.table import CellRangeAddress  # noqa: E402
from com.sun.star.util import CellProtection  # noqa: E402

from layout import (  # noqa: E402
    ADDIN_CELL, ADDIN_INDICATORS, ADDIN_LABEL_CELL, ADDIN_NAME, ADDIN_PROBE,
    ADDIN_SHEET, INPUT_BANNER_CELL, NEEDS_ADDIN, HEADS, HIDDEN_SHEETS,
    HIST_COL, HIST_FIRST_ROW, HIST_LAST_ROW,
    HIST_SOURCE_COL, IND_FIRST_ROW, IND_ROW, INDICATORS, INPUT_HEADER_ROW,
    INPUT_TITLE, ITEM_ROW, ITEMS, KEYS, KPI, SETTINGS, SHEETS, SOURCE_CELL,
    TREND_SERIES, TREND_STAT_ROW, TREND_STATS_FIRST_ROW,
    TREND_TABLE_FIRST_ROW, TREND_TABLE_HEADER_ROW, TREND_TABLE_LAST_ROW,
    TREND_YEARS, UNIT_CELL, YEAR_CELL, col_letter, kpi_format)
from office import Office, prop  # noqa: E402

SEED = 20201231
TEMPLATE = os.path.join(HERE, "templates", "annual-report.ots")
DONGCHEN = os.path.join(HERE, "dongchen-2020.ods")
COUNTY_DIR = os.path.join(HERE, "county")

EN_US = Locale("en", "US", "")

# colours
C_TITLE = 0x1F3864
C_HEAD_BG = 0xD9E2F3
C_SECTION_BG = 0xEDEDED
C_INPUT_BG = 0xFFF2CC
C_REPORT_BG = 0xDDEBF7
C_GOOD_BG = 0xC6EFCE
C_GOOD_FG = 0x006100
C_BAD_BG = 0xFFC7CE
C_BAD_FG = 0x9C0006
C_NOTE_FG = 0x595959
C_MISSING_FG = 0x808080
C_NOADDIN_BG = 0xFCE4D6
C_NOADDIN_FG = 0x843C0C

HIST_RANGE_A = "History.$A$%d:$A$%d" % (HIST_FIRST_ROW, HIST_LAST_ROW)


def hist_range(col):
    return "History.$%s$%d:$%s$%d" % (col, HIST_FIRST_ROW, col, HIST_LAST_ROW)


class Book:
    """A Calc document being built, with small helpers."""

    def __init__(self, doc):
        self.doc = doc
        self.formats = doc.NumberFormats

    def sheet(self, name):
        return self.doc.Sheets.getByName(name)

    def fmt(self, code):
        key = self.formats.queryKey(code, EN_US, False)
        if key == -1:
            key = self.formats.addNew(code, EN_US)
        return key

    def style(self, name, parent="Default", **props):
        styles = self.doc.StyleFamilies.getByName("CellStyles")
        if styles.hasByName(name):
            st = styles.getByName(name)
        else:
            st = self.doc.createInstance("com.sun.star.style.CellStyle")
            styles.insertByName(name, st)
            st.ParentStyle = parent
        for k, v in props.items():
            if k == "NumberFormatCode":
                st.NumberFormat = self.fmt(v)
            else:
                setattr(st, k, v)
        return st


def border(width=18, color=0xA6A6A6):
    b = BorderLine2()
    b.OuterLineWidth = width
    b.LineWidth = width
    b.Color = color
    return b


def protection(locked, hidden=False):
    p = CellProtection()
    p.IsLocked = locked
    p.IsFormulaHidden = hidden
    p.IsHidden = False
    p.IsPrintHidden = False
    return p


def make_styles(book):
    doc = book.doc
    default = doc.StyleFamilies.getByName("CellStyles").getByName("Default")
    default.CharFontName = "Liberation Sans"
    default.CharFontNameAsian = "Noto Sans CJK SC"
    default.CharHeight = 10.0
    default.CharHeightAsian = 10.0
    default.VertJustify = 2  # CellVertJustify2.CENTER
    grid = border()
    book.style("kpi_title", CharHeight=14.0, CharHeightAsian=14.0,
               CharWeight=150.0, CharWeightAsian=150.0, CharColor=C_TITLE)
    book.style("kpi_note", CharColor=C_NOTE_FG, CharHeight=9.0,
               CharHeightAsian=9.0, IsTextWrapped=True)
    book.style("kpi_head", CharWeight=150.0, CharWeightAsian=150.0,
               CellBackColor=C_HEAD_BG, IsTextWrapped=True,
               TopBorder=grid, BottomBorder=grid, LeftBorder=grid,
               RightBorder=grid)
    book.style("kpi_section", CharWeight=150.0, CharWeightAsian=150.0,
               CellBackColor=C_SECTION_BG)
    book.style("kpi_label", IsTextWrapped=True, TopBorder=grid,
               BottomBorder=grid, LeftBorder=grid, RightBorder=grid)
    book.style("kpi_key", CharColor=C_MISSING_FG, CharHeight=8.0,
               CharFontName="Liberation Mono")
    book.style("kpi_input", CellBackColor=C_INPUT_BG,
               CellProtection=protection(False), TopBorder=grid,
               BottomBorder=grid, LeftBorder=grid, RightBorder=grid)
    book.style("kpi_input_text", parent="kpi_input", IsTextWrapped=True,
               CharHeight=9.0, CharHeightAsian=9.0)
    book.style("kpi_calc", TopBorder=grid, BottomBorder=grid,
               LeftBorder=grid, RightBorder=grid)
    # conditional-format styles (only colours: the number format stays)
    book.style("kpi_report", CellBackColor=C_REPORT_BG)
    book.style("kpi_good", CellBackColor=C_GOOD_BG, CharColor=C_GOOD_FG)
    book.style("kpi_bad", CellBackColor=C_BAD_BG, CharColor=C_BAD_FG)
    book.style("kpi_missing", CharColor=C_MISSING_FG, CharPosture=2)
    # the kpicalc add-in does not answer (docs/templates.md)
    book.style("kpi_noaddin", CellBackColor=C_NOADDIN_BG,
               CharColor=C_NOADDIN_FG)


def make_page_style(book):
    pages = book.doc.StyleFamilies.getByName("PageStyles")
    name = "kpi_landscape"
    if not pages.hasByName(name):
        ps = book.doc.createInstance("com.sun.star.style.PageStyle")
        pages.insertByName(name, ps)
    ps = pages.getByName(name)
    ps.IsLandscape = True
    ps.Width = 29700
    ps.Height = 21000
    for side in ("LeftMargin", "RightMargin", "TopMargin", "BottomMargin"):
        setattr(ps, side, 1000)
    ps.HeaderIsOn = False
    ps.FooterIsOn = False
    ps.CenterHorizontally = True
    ps.ScaleToPagesX = 1
    ps.ScaleToPagesY = 1
    ps.PrintGrid = False
    return name


def cell(sheet, addr):
    return sheet.getCellRangeByName(addr)


def put(sheet, addr, value, style=None, fmt=None):
    """Writes a number, a text or a formula (a string starting with '=')."""
    c = cell(sheet, addr)
    if isinstance(value, bool):
        c.setFormula("=TRUE()" if value else "=FALSE()")
    elif isinstance(value, (int, float)):
        c.setValue(value)
    elif isinstance(value, str) and value.startswith("="):
        c.setFormula(value)
    elif value is not None:
        c.setString(value)
    if style:
        c.CellStyle = style
    if fmt is not None:
        c.NumberFormat = fmt
    return c


def bi(zh, en, sep=" "):
    """A bilingual label: 简体中文 first, English beside."""
    return zh + sep + en


def widths(sheet, mm):
    cols = sheet.Columns
    for i, w in enumerate(mm):
        if w:
            cols.getByIndex(i).Width = int(w * 100)


def add_name(doc, name, ref):
    names = doc.NamedRanges
    if names.hasByName(name):
        names.removeByName(name)
    addr = CellAddress()
    names.addNewByName(name, ref, addr, 0)


def cond_format(sheet, rng, rules):
    """rules: [(formula relative to the range's first cell, style)]."""
    r = cell(sheet, rng)
    entries = r.ConditionalFormat
    entries.clear()
    op = uno.Enum("com.sun.star.sheet.ConditionOperator", "FORMULA")
    a = r.RangeAddress
    base = CellAddress()
    base.Sheet, base.Column, base.Row = a.Sheet, a.StartColumn, a.StartRow
    for formula, style in rules:
        entries.addNew((prop("Operator", op), prop("Formula1", formula),
                        prop("StyleName", style),
                        prop("SourcePosition", base)))
    r.ConditionalFormat = entries


def merge(sheet, rng):
    cell(sheet, rng).merge(True)


def print_area(sheet, index, rng):
    r = cell(sheet, rng).RangeAddress
    a = CellRangeAddress()
    a.Sheet = index
    a.StartColumn, a.StartRow = r.StartColumn, r.StartRow
    a.EndColumn, a.EndRow = r.EndColumn, r.EndRow
    sheet.setPrintAreas((a,))


# ---------------------------------------------------------------------------
# The template


def build_input(book):
    sh = book.sheet("Input")
    widths(sh, [22, 62, 16, 16, 60, 6, 52, 12])
    put(sh, "A1", bi(*INPUT_TITLE, sep=" — "), "kpi_title")
    merge(sh, "A1:E1")
    for addr, zh, en in ((UNIT_CELL, "单位", "Unit"),
                         (YEAR_CELL, "年度", "Year"),
                         (SOURCE_CELL, "数据来源", "Source of this year's "
                          "figures")):
        row = addr[1:]
        put(sh, "B" + row, bi(zh, en), "kpi_label")
    put(sh, UNIT_CELL, None, "kpi_input_text")
    put(sh, YEAR_CELL, None, "kpi_input", book.fmt("0"))
    put(sh, SOURCE_CELL, None, "kpi_input_text")
    merge(sh, "C4:E4")
    for name, addr, zh, en, default in SETTINGS:
        col = chr(ord(addr[0]) - 1)
        put(sh, col + addr[1:], bi(zh, en), "kpi_label")
        fmt = None
        if isinstance(default, float):
            fmt = book.fmt("0.00")
        elif isinstance(default, bool):
            fmt = book.fmt("BOOLEAN")
        put(sh, addr, default, "kpi_input", fmt)
    put(sh, "A5", "黄色单元格为输入项。上年数据取自 History 表（kpicalc new-year "
        "滚动到新年度时自动写入）；蓝色 = 数字取自报告（见“来源”列）。"
        " Yellow cells are inputs. Last year's figures are read from the "
        "History sheet (kpicalc new-year writes them there when it rolls "
        "the workbook to a new year); blue = figure taken from the report "
        "(see the Source column).", "kpi_note")
    merge(sh, "A5:H5")
    sh.Rows.getByIndex(4).Height = 1100
    h = INPUT_HEADER_ROW
    for col, zh, en in (("A", "键", "Key"), ("B", "项目", "Item"),
                        ("C", "本年", "This year"),
                        ("D", "上年", "Last year"),
                        ("E", "来源（本年）", "Source (this year)")):
        put(sh, "%s%d" % (col, h), bi(zh, en), "kpi_head")
    # says so when the add-in is missing (empty otherwise)
    put(sh, INPUT_BANNER_CELL, '=IF(%s;"";%s)' % (ADDIN_NAME, NEEDS),
        "kpi_note")
    cond_format(sh, INPUT_BANNER_CELL, [NOADDIN_RULE])
    put(sh, "C%d" % (h - 1), '=IF(ReportYear="";"";ReportYear)', "kpi_note",
        book.fmt("0"))
    put(sh, "D%d" % (h - 1), '=IF(ReportYear="";"";ReportYear-1)',
        "kpi_note", book.fmt("0"))
    for row, zh, en in HEADS:
        put(sh, "A%d" % row, bi(zh, en), "kpi_section")
        merge(sh, "A%d:E%d" % (row, row))
    for row, key, zh, en in ITEMS:
        put(sh, "A%d" % row, key, "kpi_key")
        put(sh, "B%d" % row, bi(zh, en), "kpi_label")
        put(sh, "C%d" % row, None, "kpi_input", book.fmt("0"))
        hc = HIST_COL[key]
        put(sh, "D%d" % row,
            '=IF(ReportYear="";"";IFERROR(IF(INDEX(%s;MATCH(ReportYear-1;'
            '%s;0))="";"";INDEX(%s;MATCH(ReportYear-1;%s;0)));""))'
            % (hist_range(hc), HIST_RANGE_A, hist_range(hc), HIST_RANGE_A),
            "kpi_calc", book.fmt("0"))
        put(sh, "E%d" % row, None, "kpi_input_text")
        add_name(book.doc, "cur_" + key, "$Input.$C$%d" % row)
        add_name(book.doc, "prev_" + key, "$Input.$D$%d" % row)
        # blue when the source column names where the figure comes from
        cond_format(sh, "C%d" % row, [('$E%d<>""' % row, "kpi_report")])
    last = ITEMS[-1][0]
    legend = last + 2
    put(sh, "A%d" % legend,
        "计数均为全年件数（人数为年末数）。留空 = 未知；不要用 0 代替未知。"
        " Counts are for the whole year (officers: at year end). Leave a "
        "cell empty when the figure is unknown; do not type 0 for unknown.",
        "kpi_note")
    merge(sh, "A%d:H%d" % (legend, legend))
    sh.Rows.getByIndex(legend - 1).Height = 900
    add_name(book.doc, "ReportUnit", "$Input.$" + UNIT_CELL[0] + "$"
             + UNIT_CELL[1:])
    add_name(book.doc, "ReportYear", "$Input.$" + YEAR_CELL[0] + "$"
             + YEAR_CELL[1:])
    add_name(book.doc, "ReportSource", "$Input.$" + SOURCE_CELL[0] + "$"
             + SOURCE_CELL[1:])
    for name, addr, *_r in SETTINGS:
        add_name(book.doc, name, "$Input.$%s$%s" % (addr[0], addr[1:]))


def cur(key):
    return "cur_" + key


def prev(key):
    return "prev_" + key


def guarded(inputs, expr, partial="NA()"):
    """"" when no input is given, #N/A when only some are, else expr."""
    args = ";".join(inputs)
    return '=IF(COUNT(%s)=0;"";IF(COUNT(%s)<%d;%s;%s))' % (
        args, args, len(inputs), partial, expr)


NEEDS = '"%s"' % NEEDS_ADDIN
NOADDIN_RULE = ("NOT(%s)" % ADDIN_NAME, "kpi_noaddin")


def needs(formula):
    """FORMULA (starting with '=') when the add-in answers, else the
    needs-the-add-in text. Every cell that calls the add-in, or judges a
    value that does, goes through this (see layout.ADDIN_NAME)."""
    assert formula.startswith("=")
    return '=IF(%s;%s;%s)' % (ADDIN_NAME, formula[1:], NEEDS)


def literal(text):
    """TEXT as a formula string: pieces of at most 200 characters joined
    with & (Excel refuses string constants over 255 characters)."""
    parts = [text[i:i + 200] for i in range(0, len(text), 200)] or [""]
    return "&".join('"%s"' % p.replace('"', '""') for p in parts)


def needs_banner(text):
    """A note that says TEXT while the add-in answers, and that it is
    missing (not an input error) when it does not."""
    missing = (NEEDS_ADDIN + "：本工作簿的指标由 kpicalc 扩展函数计算，未安装该扩展"
               "时无法计算（不是输入错误）。请在 LibreOffice 中安装 kpicalc 扩展；"
               "Excel/WPS 用户请使用 kpicalc recalc --portable 生成的文件。 "
               "The indicators of this workbook are computed by the kpicalc "
               "add-in's functions and cannot be computed without it (this "
               "is not an input error). Install the kpicalc extension in "
               "LibreOffice; for Excel or WPS, use a file written by "
               "kpicalc recalc --portable.")
    return "=IF(%s;%s;%s)" % (ADDIN_NAME, literal(text), literal(missing))


def name_err(x):
    """X is #NAME? (ERROR.TYPE 5): a function the application does not
    know, i.e. the add-in (or this version of it) is missing; never the
    analyst's error. ERROR.TYPE of Calc's own errors (Err:504…) is #N/A."""
    return "IFERROR(ERROR.TYPE(%s);0)=5" % x


def both(b, c, expr):
    """A comparison of this year (b) with last year (c): "—" when either is
    an error (the error shows in b or c already; #NAME? says the add-in is
    missing), "" when either is empty."""
    return ('=IF(OR(ISERROR(%s);ISERROR(%s));IF(OR(%s;%s);%s;"—");'
            'IF(OR(%s="";%s="");"";%s))' % (b, c, name_err(b), name_err(c),
                                            NEEDS, b, c, expr))


def note_formula(b, c):
    """Column K: why this or last year's value is an error."""
    return ('=IF(ISERROR({b});IF({nb};{n};IF(ISNA({b});'
            '"本年缺少输入 this year: an input is missing";'
            '"本年输入无效 this year: invalid input"));'
            'IF(ISERROR({c});IF({nc};{n};IF(ISNA({c});'
            '"上年缺少输入 last year: an input is missing";'
            '"上年输入无效 last year: invalid input"));""))'
            .format(b=b, c=c, nb=name_err(b), nc=name_err(c), n=NEEDS))


def indicator_formulas(key, side):
    """(value formula, [successes, trials] for RATECI/RATETEST or None)."""
    v = cur if side == "cur" else prev
    if key == "certrate":
        ins = [v("certified"), v("required")]
        return (guarded(ins, "CERTRATE(%s;%s)" % tuple(ins)), ins)
    if key == "adoptrate":
        ins = [v("adopted"), v("opinions")]
        return (guarded(ins, "ADOPTRATE(%s;%s)" % tuple(ins)), ins)
    if key == "adviser_rate":
        ins = [v("adviser"), v("reviews")]
        return (guarded(ins, "%s/%s" % tuple(ins)), ins)
    if key == "reviews_per_office":
        ins = [v("reviews"), v("offices")]
        return (guarded(ins, "%s/%s" % tuple(ins)), None)
    if key == "lossrate":
        ins = [v("suits_lost"), v("suits"), v("recons_lost"), v("recons")]
        return (guarded(ins, "LOSSRATE(%s;%s;%s;%s)" % tuple(ins)),
                ["%s+%s" % (ins[0], ins[2]), "%s+%s" % (ins[1], ins[3])])
    if key == "lost_cases":
        ins = [v("suits_lost"), v("recons_lost"), v("lost_other")]
        return ('=IF(COUNT(%s)=0;"";SUM(%s))' % (";".join(ins),
                                                 ";".join(ins)), None)
    if key in ("disputes", "penalties", "licences", "requests", "disclosed"):
        return ('=IF(COUNT(%s)=0;"";%s)' % (v(key), v(key)), None)
    if key == "doubledecline":
        if side != "cur":
            return (None, None)
        b = "B%d" % IND_ROW["disputes"]
        c = "C%d" % IND_ROW["disputes"]
        rb = "B%d" % IND_ROW["lossrate"]
        rc = "C%d" % IND_ROW["lossrate"]
        return ('=IF(AND(%s="";%s="";%s="";%s="");"";IF(COUNT(%s;%s;%s;%s)<4;'
                'NA();DOUBLEDECLINE(%s;%s;%s;%s;ZeroHolds)))'
                % (b, c, rb, rc, b, c, rb, rc, c, b, rc, rb), None)
    raise KeyError(key)


def build_indicators(book):
    sh = book.sheet("Indicators")
    widths(sh, [58, 17, 17, 17, 15, 15, 29, 15, 15, 15, 44])
    put(sh, "A1", '="行政执法工作指标 Law-enforcement indicators — "&ReportUnit'
        '&" "&ReportYear', "kpi_title")
    merge(sh, "A1:K1")
    put(sh, "A2", '="数据来源 Source: "&IF(ReportSource="";"—";ReportSource)',
        "kpi_note")
    merge(sh, "A2:K2")
    put(sh, "A3", needs_banner(
        "由 kpicalc 扩展函数计算。空白 = 无输入；#N/A = 缺少部分输入；"
        "其他错误见 docs/templates.md。 Computed with the kpicalc add-in's "
        "functions. Blank = no input; #N/A = an input is missing; other "
        "errors: see docs/templates.md."), "kpi_note")
    cond_format(sh, "A3", [NOADDIN_RULE])
    merge(sh, "A3:K3")
    hr = IND_FIRST_ROW - 1
    heads = [("A", "指标", "Indicator"), ("B", "本年", "This year"),
             ("C", "上年", "Last year"),
             ("D", "变化（百分点/件）", "Change (points / count)"),
             ("E", "同比", "Year on year"), ("F", "目标", "Target"),
             ("G", "是否达标", "Target met"),
             ("H", "区间下限", "CI lower"), ("I", "区间上限", "CI upper"),
             ("J", "与上年差异 p 值", "p, vs last year"),
             ("K", "说明", "Note")]
    for col, zh, en in heads:
        put(sh, "%s%d" % (col, hr), bi(zh, en, "\n"), "kpi_head")
    sh.Rows.getByIndex(hr - 1).OptimalHeight = True
    f_rate = book.fmt("0.0%")
    f_ratio = book.fmt("0.0")
    f_count = book.fmt("0")
    f_pp = book.fmt('+0.0" pp";-0.0" pp";0.0" pp"')
    f_dcount = book.fmt("+0;-0;0")
    f_dratio = book.fmt("+0.0;-0.0;0.0")
    f_yoy = book.fmt("+0.0%;-0.0%;0.0%")
    f_p = book.fmt("0.000")
    f_flag = book.fmt('[=1]"是 yes";[=0]"否 no";General')
    for key, zh, en, kind, target, direction in INDICATORS:
        r = IND_ROW[key]
        fmt = {"rate": f_rate, "ratio": f_ratio, "count": f_count,
               "flag": f_flag}[kind]
        # the value calls the add-in: it and every cell judging it say
        # so when the add-in is missing
        addin = key in ADDIN_INDICATORS
        wrap = needs if addin else (lambda f: f)
        pre = [NOADDIN_RULE] if addin else []
        put(sh, "A%d" % r, bi(zh, en), "kpi_label")
        cf, ci_args = indicator_formulas(key, "cur")
        pf, pci_args = indicator_formulas(key, "prev")
        put(sh, "B%d" % r, wrap(cf), "kpi_calc", fmt)
        put(sh, "C%d" % r, wrap(pf) if pf else pf, "kpi_calc", fmt)
        b, c = "B%d" % r, "C%d" % r
        if kind in ("rate",):
            put(sh, "D%d" % r, wrap(both(b, c, "(%s-%s)*100" % (b, c))),
                "kpi_calc", f_pp)
            cond_format(sh, "D%d" % r, pre)
            put(sh, "E%d" % r, None, "kpi_calc")
        elif kind in ("count", "ratio"):
            put(sh, "D%d" % r, both(b, c, "%s-%s" % (b, c)), "kpi_calc",
                f_dcount if kind == "count" else f_dratio)
            # year on year is an add-in call (YOY) whatever the indicator
            put(sh, "E%d" % r, needs(both(b, c, 'IF(%s=0;"—";YOY(%s;%s))'
                                          % (c, c, b))), "kpi_calc", f_yoy)
            cond_format(sh, "E%d" % r, [NOADDIN_RULE])
        else:
            put(sh, "D%d" % r, None, "kpi_calc")
            put(sh, "E%d" % r, None, "kpi_calc")
        f = "F%d" % r
        if target is not None:
            tfmt = {"rate": book.fmt(('"≥ "' if direction == ">=" else '"≤ "')
                                     + "0%"),
                    "flag": f_flag}[kind]
            put(sh, f, target, "kpi_input", tfmt)
            cmp_ = "%s%s%s" % (b, direction, f)
            put(sh, "G%d" % r, wrap('=IF(ISERROR(%s);IF(%s;%s;"—");'
                                    'IF(OR(%s="";%s="");"";IF(%s;'
                                    '"✓ 达标 met";"✗ 未达标 not met")))'
                                    % (b, name_err(b), NEEDS, b, f, cmp_)),
                "kpi_calc")
            good = "AND(ISNUMBER(%s);ISNUMBER(%s);%s)" % (b, f, cmp_)
            bad = "AND(ISNUMBER(%s);ISNUMBER(%s);NOT(%s))" % (b, f, cmp_)
            cond_format(sh, "B%d" % r, pre + [
                (good, "kpi_good"), (bad, "kpi_bad"),
                ("ISERROR(%s)" % b, "kpi_missing")])
            cond_format(sh, "G%d" % r, pre + [(good, "kpi_good"),
                                              (bad, "kpi_bad")])
        else:
            put(sh, f, None, "kpi_calc")
            put(sh, "G%d" % r, None, "kpi_calc")
            cond_format(sh, "B%d" % r, pre + [("ISERROR(%s)" % b,
                                               "kpi_missing")])
        cond_format(sh, "C%d" % r, pre + [("ISERROR(%s)" % c,
                                           "kpi_missing")])
        if ci_args and kind == "rate":
            x, n = ci_args
            px, pn = pci_args
            rng = sh.getCellRangeByName("H%d:I%d" % (r, r))
            if key == "lossrate":
                ins = [cur("suits_lost"), cur("suits"), cur("recons_lost"),
                       cur("recons")]
                pins = [prev("suits_lost"), prev("suits"),
                        prev("recons_lost"), prev("recons")]
            else:
                ins = [x, n]
                pins = [px, pn]
            rng.setArrayFormula(needs('=IF(COUNT(%s)<%d;"";RATECI(%s;%s;'
                                      'Confidence))' % (";".join(ins),
                                                        len(ins), x, n))[1:])
            rng.CellStyle = "kpi_calc"
            rng.NumberFormat = f_rate
            cond_format(sh, "H%d:I%d" % (r, r), [NOADDIN_RULE])
            allin = ins + pins
            put(sh, "J%d" % r, needs('=IF(COUNT(%s)<%d;"";RATETEST(%s;%s;%s;'
                                     '%s))' % (";".join(allin), len(allin),
                                               x, n, px, pn)), "kpi_calc",
                f_p)
            cond_format(sh, "J%d" % r, [NOADDIN_RULE])
        else:
            for col in "HIJ":
                put(sh, "%s%d" % (col, r), None, "kpi_calc")
        put(sh, "K%d" % r, wrap(note_formula(b, c)), "kpi_label")
        cond_format(sh, "K%d" % r, pre)
        sh.getCellRangeByName("K%d" % r).CharHeight = 8.0
        sh.getCellRangeByName("K%d" % r).CharHeightAsian = 8.0
    last = IND_ROW[INDICATORS[-1][0]]
    notes = [
        "定义 Definitions: 持证率 = 已持证 ÷ 应持证 (CERTRATE); 采纳率 = 采纳意见 "
        "÷ 反馈意见 (ADOPTRATE); 法律顾问参与率 = 联审 ÷ 审查事项; 败诉率 = "
        "(诉讼败诉 + 复议败议) ÷ (诉讼审结 + 复议审结) (LOSSRATE); 败诉败议案件数 "
        "含未分列的败诉败议; 双下降 = 发案量和败诉率均比上年下降 (DOUBLEDECLINE).",
        "certification rate = certified ÷ required; adoption rate = adopted ÷ "
        "given; adviser share = joined ÷ reviews; loss rate = lost ÷ "
        "concluded over lawsuits and reconsiderations; cases lost include "
        "those of unstated kind; double decline = disputes and loss rate "
        "both fell.",
        '="区间：Wilson "&TEXT(Confidence;"0%")&" 置信区间 (RATECI)；p 值：与上年比较'
        '的 Fisher 精确检验 (RATETEST)。 Interval: Wilson "&TEXT(Confidence;'
        '"0%")&" confidence interval (RATECI); p: Fisher\'s exact test against '
        'last year (RATETEST)."',
        "目标为示例值，可在黄色单元格修改。绿色 = 达标，红色 = 未达标，灰色 = 无法计算，"
        "橙色 = 需要 kpicalc 扩展。 Targets are examples: change them in the "
        "yellow cells. Green = met, red = not met, grey = cannot be computed, "
        "orange = needs the kpicalc add-in.",
    ]
    for i, text in enumerate(notes):
        row = last + 2 + i
        put(sh, "A%d" % row, text, "kpi_note")
        merge(sh, "A%d:K%d" % (row, row))
        sh.Rows.getByIndex(row - 1).Height = 850
    print_area(sh, SHEETS.index("Indicators"), "A1:K%d" % (last + 1 +
                                                           len(notes)))


def build_history(book):
    sh = book.sheet("History")
    widths(sh, [12] + [15] * len(KEYS) + [70])
    put(sh, "A1", "历年数据 History — 每年一行 one row per year", "kpi_title")
    merge(sh, "A1:J1")
    put(sh, "A2", "以往年度的数字填在这里（年份在 A 列）；kpicalc new-year 把本年数据"
        "追加为新的一行。留空 = 未知。 Figures of past years go here (year in "
        "column A); kpicalc new-year appends this year's figures as a new "
        "row. Empty = unknown.", "kpi_note")
    merge(sh, "A2:J2")
    sh.Rows.getByIndex(1).Height = 900
    put(sh, "A3", "year", "kpi_key")
    put(sh, "A4", bi("年度", "Year", "\n"), "kpi_head")
    for _, key, zh, en in ITEMS:
        col = HIST_COL[key]
        put(sh, "%s3" % col, key, "kpi_key")
        put(sh, "%s4" % col, bi(zh, en, "\n"), "kpi_head")
    put(sh, HIST_SOURCE_COL + "3", "source", "kpi_key")
    put(sh, HIST_SOURCE_COL + "4", bi("来源/备注", "Source / note", "\n"),
        "kpi_head")
    sh.Rows.getByIndex(3).OptimalHeight = True
    rng = sh.getCellRangeByName("A%d:%s%d" % (HIST_FIRST_ROW, HIST_SOURCE_COL,
                                              HIST_LAST_ROW))
    rng.NumberFormat = book.fmt("0")
    cond_format(sh, "A%d:%s%d" % (HIST_FIRST_ROW, HIST_SOURCE_COL,
                                  HIST_LAST_ROW),
                [('$%s%d<>""' % (HIST_SOURCE_COL, HIST_FIRST_ROW),
                  "kpi_report")])
    return sh


def series_cols():
    """Column of each input key on the hidden Series sheet (A year, B the
    History row)."""
    return {k: col_letter(2 + i) for i, k in enumerate(KEYS)}


def build_probe(book):
    """The add-in probe (layout.ADDIN_NAME): TRUE while the kpicalc add-in
    answers. Named before any formula uses the name."""
    sh = book.sheet(ADDIN_SHEET)
    put(sh, ADDIN_LABEL_CELL, "kpicalc_addin")
    put(sh, ADDIN_CELL, ADDIN_PROBE)
    add_name(book.doc, ADDIN_NAME, "$%s.$%s$%s" % (ADDIN_SHEET, ADDIN_CELL[0],
                                                  ADDIN_CELL[1:]))


def build_series(book):
    """Hidden sheet: the last TREND_YEARS years, one row each, every input
    item (this year from Input, earlier years from History)."""
    sh = book.sheet("Series")
    sc = series_cols()
    put(sh, "A1", "year")
    put(sh, "B1", "history_row")
    for k in KEYS:
        put(sh, "%s1" % sc[k], k)
    for i in range(TREND_YEARS):
        r = 2 + i
        put(sh, "A%d" % r, '=IF(ReportYear="";"";ReportYear-%d)'
            % (TREND_YEARS - 1 - i))
        put(sh, "B%d" % r, '=IF($A%d="";"";IFERROR(MATCH($A%d;%s;0);""))'
            % (r, r, HIST_RANGE_A))
        for k in KEYS:
            hc = HIST_COL[k]
            put(sh, "%s%d" % (sc[k], r),
                '=IF($A{r}="";"";IF($A{r}=ReportYear;IF(ISBLANK(cur_{k});"";'
                'cur_{k});IF($B{r}="";"";IF(INDEX({h};$B{r})="";"";'
                'INDEX({h};$B{r})))))'.format(r=r, k=k, h=hist_range(hc)))


def trend_value_formula(key, r):
    """Formula of the series table cell of indicator key in Series row r."""
    sc = series_cols()

    def s(k):
        return "Series.$%s$%d" % (sc[k], r)

    if key == "certrate":
        ins = [s("certified"), s("required")]
        return '=IF(COUNT(%s;%s)<2;"";CERTRATE(%s;%s))' % tuple(ins * 2)
    if key == "adoptrate":
        ins = [s("adopted"), s("opinions")]
        return '=IF(COUNT(%s;%s)<2;"";ADOPTRATE(%s;%s))' % tuple(ins * 2)
    if key == "adviser_rate":
        ins = [s("adviser"), s("reviews")]
        return '=IF(COUNT(%s;%s)<2;"";%s/%s)' % tuple(ins * 2)
    if key == "lossrate":
        ins = [s("suits_lost"), s("suits"), s("recons_lost"), s("recons")]
        return '=IF(COUNT(%s;%s;%s;%s)<4;"";LOSSRATE(%s;%s;%s;%s))' % tuple(ins * 2)
    if key == "lost_cases":
        ins = [s("suits_lost"), s("recons_lost"), s("lost_other")]
        return '=IF(COUNT(%s;%s;%s)=0;"";SUM(%s;%s;%s))' % tuple(ins * 2)
    return '=IF(COUNT(%s)=0;"";%s)' % (s(key), s(key))


def build_trend(book):
    sh = book.sheet("Trend")
    widths(sh, [52, 17, 21, 19, 19, 21, 19, 19, 21, 34, 21, 21, 21, 22, 22])
    put(sh, "A1", '="趋势分析 Trend analysis — "&ReportUnit&" "&IF(ReportYear='
        '"";"";(ReportYear-%d)&"–"&ReportYear)' % (TREND_YEARS - 1),
        "kpi_title")
    merge(sh, "A1:O1")
    put(sh, "A2", '="数据来源 Source: "&IF(ReportSource="";"—";ReportSource)',
        "kpi_note")
    merge(sh, "A2:O2")
    put(sh, "A3", needs_banner(
        "斜率和预测值至少需要 2 个年份的数据，p 值、R²、方向和预测区间至少 3 个；"
        "不足时显示 #DIV/0!（函数的约定结果，不是故障）。空白年份被跳过。预测值限制在"
        "可能范围内（件数 ≥ 0，比率 0–100%）。 Slopes and the forecast need at "
        "least 2 years of data; p-values, R², the direction and the "
        "prediction interval at least 3. With fewer they show #DIV/0! (the "
        "functions' documented result, not a fault). Years without data are "
        "skipped. Forecasts are kept within the possible range (counts ≥ 0, "
        "rates 0–100%)."), "kpi_note")
    cond_format(sh, "A3", [NOADDIN_RULE])
    merge(sh, "A3:O3")
    sh.Rows.getByIndex(2).Height = 1300
    put(sh, "A4", '="斜率、方向：最小二乘与 Mann–Kendall/Sen；α = "&Alpha&"，'
        '置信水平 "&TEXT(Confidence;"0%")&"；预测为 "&IF(ReportYear="";"下一年";'
        'ReportYear+1)&" 年的线性外推及其预测区间。 Slopes and direction: '
        'least squares and Mann–Kendall/Sen; α = "&Alpha&", confidence "&'
        'TEXT(Confidence;"0%")&"; forecast: linear extrapolation to "&'
        'IF(ReportYear="";"next year";ReportYear+1)&" with its prediction '
        'interval."', "kpi_note")
    merge(sh, "A4:O4")
    sh.Rows.getByIndex(3).Height = 900
    hr = TREND_STATS_FIRST_ROW - 1
    heads = [("A", "指标", "Indicator"), ("B", "年数", "n"),
             ("C", "斜率/年", "OLS slope per year"),
             ("D", "斜率 p 值", "p (t test)"), ("E", "R²", "R²"),
             ("F", "MK 检验 p 值", "Mann–Kendall p"),
             ("G", "Sen 斜率", "Sen slope"),
             ("H", "Sen 下限", "Sen lower"), ("I", "Sen 上限", "Sen upper"),
             ("J", "趋势方向", "Direction"),
             ("K", "下一年预测", "Forecast next year"),
             ("L", "预测下限", "Forecast lower"),
             ("M", "预测上限", "Forecast upper")]
    for col, zh, en in heads:
        put(sh, "%s%d" % (col, hr), bi(zh, en, "\n"), "kpi_head")
    sh.Rows.getByIndex(hr - 1).OptimalHeight = True
    f_rate = book.fmt("0.0%")
    f_count = book.fmt("0")
    f_slope_rate = book.fmt('+0.00" pp";-0.00" pp";0.00" pp"')
    f_slope = book.fmt("+0.00;-0.00;0.00")
    f_p = book.fmt("0.000")
    f_fc = book.fmt("0.0")
    f_dir = book.fmt('"↑ 上升 rising";"↓ 下降 falling";"→ 无趋势 none"')
    y0, y1 = TREND_TABLE_FIRST_ROW, TREND_TABLE_LAST_ROW
    years = "$A$%d:$A$%d" % (y0, y1)
    for key, col, zh, en, kind in TREND_SERIES:
        r = TREND_STAT_ROW[key]
        vals = "$%s$%d:$%s$%d" % (col, y0, col, y1)
        put(sh, "A%d" % r, bi(zh, en), "kpi_label")
        # the years of data of a series computed by the add-in: not 0
        # when the add-in is missing
        if key in ADDIN_INDICATORS:
            put(sh, "B%d" % r, needs("=COUNT(%s)" % vals), "kpi_calc",
                f_count)
            cond_format(sh, "B%d" % r, [NOADDIN_RULE])
        else:
            put(sh, "B%d" % r, "=COUNT(%s)" % vals, "kpi_calc", f_count)
        # slopes of rates in percentage points per year
        scale = "*100" if kind == "rate" else ""
        put(sh, "C%d" % r, needs("=TRENDSLOPE(%s;%s)%s" % (vals, years,
                                                           scale)),
            "kpi_calc", f_slope_rate if kind == "rate" else f_slope)
        put(sh, "D%d" % r, needs("=TRENDPVALUE(%s;%s)" % (vals, years)),
            "kpi_calc", f_p)
        put(sh, "E%d" % r, needs("=INDEX(TRENDSTATS(%s;%s);1;5)"
                                 % (vals, years)), "kpi_calc", f_p)
        put(sh, "F%d" % r, needs("=MKTEST(%s;%s)" % (vals, years)),
            "kpi_calc", f_p)
        for c, extra in (("G", ""), ("H", ";Confidence;-1"),
                         ("I", ";Confidence;1")):
            put(sh, "%s%d" % (c, r), needs("=SENSLOPE(%s;%s%s)%s"
                                           % (vals, years, extra, scale)),
                "kpi_calc", f_slope_rate if kind == "rate" else f_slope)
        put(sh, "J%d" % r, needs("=TRENDDIR(%s;%s;Alpha)" % (vals, years)),
            "kpi_calc", f_dir)
        for c, extra in (("K", ""), ("L", ";Confidence;-1"),
                         ("M", ";Confidence;1")):
            fc = "TRENDFORECAST(%s;%s;ReportYear+1%s)" % (vals, years, extra)
            # within the possible range: counts >= 0, rates in [0, 1]
            fc = ("MIN(1;MAX(0;%s))" if kind == "rate" else "MAX(0;%s)") % fc
            put(sh, "%s%d" % (c, r), needs("=" + fc), "kpi_calc",
                f_rate if kind == "rate" else f_fc)
        for c in "CDEFGHIJKLM":
            cond_format(sh, "%s%d" % (c, r),
                        [NOADDIN_RULE,
                         ("ISERROR(%s%d)" % (c, r), "kpi_missing")])
    # the series table
    th = TREND_TABLE_HEADER_ROW
    put(sh, "A%d" % (th - 1), "历年数据（近 %d 年） Series (last %d years)"
        % (TREND_YEARS, TREND_YEARS), "kpi_section")
    merge(sh, "A%d:O%d" % (th - 1, th - 1))
    theads = {"A": ("年度", "Year"), "C": ("下限", "lower"),
              "D": ("上限", "upper"), "F": ("下限", "lower"),
              "G": ("上限", "upper")}
    for key, col, zh, en, kind in TREND_SERIES:
        theads[col] = (zh, en)
    for col, (zh, en) in theads.items():
        put(sh, "%s%d" % (col, th), bi(zh, en, "\n"), "kpi_head")
    sh.Rows.getByIndex(th - 1).OptimalHeight = True
    for i in range(TREND_YEARS):
        r = y0 + i
        sr = 2 + i
        put(sh, "A%d" % r, "=Series.$A$%d" % sr, "kpi_calc", book.fmt("0"))
        for key, col, zh, en, kind in TREND_SERIES:
            fv = trend_value_formula(key, sr)
            if key in ADDIN_INDICATORS:
                fv = needs(fv)
                cond_format(sh, "%s%d" % (col, r), [NOADDIN_RULE])
            put(sh, "%s%d" % (col, r), fv,
                "kpi_calc", f_rate if kind == "rate" else f_count)
        sc = series_cols()
        for cols, (x, n) in ((("C", "D"), ("certified", "required")),
                             (("F", "G"), ("adopted", "opinions"))):
            xs = "Series.$%s$%d" % (sc[x], sr)
            ns = "Series.$%s$%d" % (sc[n], sr)
            rng = sh.getCellRangeByName("%s%d:%s%d" % (cols[0], r, cols[1], r))
            rng.setArrayFormula(needs('=IF(COUNT(%s;%s)<2;"";RATECI(%s;%s;'
                                      'Confidence))' % (xs, ns, xs, ns))[1:])
            rng.CellStyle = "kpi_calc"
            rng.NumberFormat = f_rate
            cond_format(sh, "%s%d:%s%d" % (cols[0], r, cols[1], r),
                        [NOADDIN_RULE])
    return sh


def add_chart(book, sh, name, rect, ranges, title, diagram, percent=False):
    charts = sh.Charts
    if charts.hasByName(name):
        charts.removeByName(name)
    addrs = []
    for rng in ranges:
        addrs.append(cell(sh, rng).RangeAddress)
    charts.addNewByName(name, rect, tuple(addrs), True, True)
    ch = charts.getByName(name).EmbeddedObject
    ch.Diagram = ch.createInstance(diagram)
    ch.HasMainTitle = True
    ch.Title.String = title
    ch.Title.CharHeight = 11.0
    ch.Title.CharHeightAsian = 11.0
    ch.HasLegend = True
    ch.Legend.Alignment = uno.Enum("com.sun.star.chart.ChartLegendPosition",
                                   "BOTTOM")
    ch.Legend.CharHeight = 8.0
    ch.Legend.CharHeightAsian = 8.0
    d = ch.Diagram
    if diagram.endswith("LineDiagram"):
        d.SymbolType = -2  # ChartSymbolType.AUTO: a lone year shows too
    if percent:
        y = d.YAxis
        y.LinkNumberFormatToSource = False
        y.NumberFormat = ch.NumberFormats.addNew("0%", EN_US) if \
            ch.NumberFormats.queryKey("0%", EN_US, False) == -1 else \
            ch.NumberFormats.queryKey("0%", EN_US, False)
        y.AutoMax = False
        y.Max = 1.0
    for axis in (d.XAxis, d.YAxis):
        axis.CharHeight = 8.0
        axis.CharHeightAsian = 8.0
    return ch


def build_charts(book):
    sh = book.sheet("Trend")
    y1 = TREND_TABLE_LAST_ROW
    h0 = TREND_TABLE_HEADER_ROW
    top = sh.getCellRangeByName("A%d" % (y1 + 2)).Position.Y
    left = sh.getCellRangeByName("A1").Position.X
    total = sh.getCellRangeByName("P1").Position.X - left
    w = (total - 2 * 300) // 3
    h = 7600

    def rect(i):
        r = Rectangle()
        r.X = left + i * (w + 300)
        r.Y = top
        r.Width = w
        r.Height = h
        return r

    def col(c):
        return "%s%d:%s%d" % (c, h0, c, y1)

    yrs = col("A")
    add_chart(book, sh, "rates", rect(0),
              [yrs, col("B"), col("E"), col("H"), col("I")],
              "比率 Rates", "com.sun.star.chart.LineDiagram", percent=True)
    add_chart(book, sh, "cases", rect(1),
              [yrs, col("K"), col("J"), col("L")],
              "争议与案件 Disputes and cases", "com.sun.star.chart.BarDiagram")
    add_chart(book, sh, "volumes", rect(2),
              [yrs, col("M"), col("N"), col("O")],
              "许可与公开 Licences and disclosures",
              "com.sun.star.chart.BarDiagram")
    # the print range reaches below the charts
    last_row = y1 + 2
    while sh.getCellRangeByName("A%d" % last_row).Position.Y < top + h:
        last_row += 1
    print_area(sh, SHEETS.index("Trend"), "A1:O%d" % last_row)


def build_kpi(book):
    sh = book.sheet("KPI")
    widths(sh, [34, 26, 40, 60])
    for col, text in zip("ABCD", ("key", "value", "label_zh", "label_en")):
        put(sh, "%s1" % col, text, "kpi_head")
    for i, (key, zh, en, formula) in enumerate(KPI):
        r = 2 + i
        put(sh, "A%d" % r, key)
        put(sh, "B%d" % r, formula, None, book.fmt(kpi_format(key)))
        put(sh, "C%d" % r, zh)
        put(sh, "D%d" % r, en)
    # the note stays out of columns A-D: every row there is an indicator
    sh.Columns.getByIndex(5).Width = 9000
    put(sh, "F1", "kpicalc recalc --summary 读取本表 A、B 两列（键、值）。"
        " `kpicalc recalc --summary` reads columns A and B (key, value) of "
        "this sheet. #N/A = not available (input missing); "
        + NEEDS_ADDIN + " = the add-in is missing.", "kpi_note")
    sh.getCellRangeByName("F1").IsTextWrapped = True


def build_config(book):
    """Hidden sheet read by `kpicalc new-year`: a rollover plan computed by
    formulas, one operation per row: op | target cell | value."""
    sh = book.sheet("Config")
    put(sh, "A1", "kpicalc-rollover")
    put(sh, "B1", 1)
    put(sh, "C1", "layout version; the rows from 'plan' down are the "
        "rollover plan read by kpicalc new-year (op, target, value)")
    put(sh, "A2", "history_row")
    put(sh, "B2", '=IF(ReportYear="";NA();IFERROR(MATCH(ReportYear;{a};0)+{o};'
        'MAX({o};SUMPRODUCT(MAX(({a}<>"")*ROW({a}))))+1))'
        .format(a=HIST_RANGE_A, o=HIST_FIRST_ROW - 1))
    put(sh, "A3", "history_row_checked")
    put(sh, "B3", "=IF(B2>%d;NA();B2)" % HIST_LAST_ROW)
    put(sh, "A5", "plan")
    put(sh, "B5", "target")
    put(sh, "C5", "value")
    rows = []
    y = "$Input.$%s$%s" % (YEAR_CELL[0], YEAR_CELL[1:])
    rows.append(("year", y, '=IF(ReportYear="";NA();ReportYear)'))
    rows.append(("set", '="$History.$A$"&$B$3', "=ReportYear"))
    for _, key, _z, _e in ITEMS:
        rows.append(("set", '="$History.$%s$"&$B$3' % HIST_COL[key],
                     '=IF(ISBLANK(cur_%s);"";cur_%s)' % (key, key)))
    rows.append(("set", '="$History.$%s$"&$B$3' % HIST_SOURCE_COL,
                 '=IF(ISBLANK(ReportSource);"";ReportSource)'))
    for row, key, _z, _e in ITEMS:
        rows.append(("clear", "$Input.$C$%d" % row, ""))
        rows.append(("clear", "$Input.$E$%d" % row, ""))
    s = "$Input.$%s$%s" % (SOURCE_CELL[0], SOURCE_CELL[1:])
    rows.append(("clear", s, ""))
    rows.append(("end", "", ""))
    for i, (op, target, value) in enumerate(rows):
        r = 6 + i
        put(sh, "A%d" % r, op)
        put(sh, "B%d" % r, target)
        if value:
            put(sh, "C%d" % r, value)


def protect_sheets(book):
    for name in ("Input", "Indicators", "Trend", "KPI", "Series", "Config"):
        book.sheet(name).protect("")


def build_template(office, path):
    doc = office.new_calc()
    book = Book(doc)
    sheets = doc.Sheets
    first = sheets.getByIndex(0).Name
    for i, name in enumerate(SHEETS):
        sheets.insertNewByName(name, i)
    sheets.removeByName(first)
    make_styles(book)
    page = make_page_style(book)
    for name in SHEETS:
        book.sheet(name).PageStyle = page
    # sheets that are not printed (the PDF shows Indicators and Trend)
    for name in ("Input", "History", "KPI", "Series", "Config"):
        book.sheet(name).setPrintAreas(())
    build_probe(book)
    build_input(book)
    build_history(book)
    build_series(book)
    build_indicators(book)
    build_trend(book)
    # A chart gets its data series only if its ranges hold numbers when it
    # is created: fill this year's inputs for a moment, then clear them.
    # (every year of the window, or the text rows are taken for labels).
    inp = book.sheet("Input")
    hist = book.sheet("History")
    put(inp, YEAR_CELL, 2020)
    for row, _k, _z, _e in ITEMS:
        put(inp, "C%d" % row, 1)
    for i in range(TREND_YEARS - 1):
        put(hist, "A%d" % (HIST_FIRST_ROW + i), 2020 - TREND_YEARS + 1 + i)
        for key in KEYS:
            put(hist, "%s%d" % (HIST_COL[key], HIST_FIRST_ROW + i), 1)
    doc.calculateAll()
    build_charts(book)
    for row, _k, _z, _e in ITEMS:
        cell(inp, "C%d" % row).setString("")
    cell(inp, YEAR_CELL).setString("")
    cell(hist, "A%d:%s%d" % (HIST_FIRST_ROW, HIST_SOURCE_COL, HIST_LAST_ROW)
         ).clearContents(1 | 2 | 4 | 16)  # values, dates, strings, formulas
    build_kpi(book)
    build_config(book)
    for name in HIDDEN_SHEETS:
        book.sheet(name).IsVisible = False
    protect_sheets(book)
    props = doc.DocumentProperties
    props.Title = "kpicalc 行政执法工作年度指标模板 Annual law-enforcement " \
        "indicators template"
    props.Subject = "kpicalc yearly workbook template"
    props.Keywords = ("kpicalc", "template", "行政执法")
    props.Description = ("Fill the Input sheet (this year) and the History "
                         "sheet (earlier years); see docs/templates.md. "
                         "Needs the kpicalc extension.")
    props.Author = "kpicalc"
    fixed = uno.createUnoStruct("com.sun.star.util.DateTime")
    fixed.Year, fixed.Month, fixed.Day = 2021, 1, 1
    props.CreationDate = fixed
    props.ModificationDate = fixed
    doc.CurrentController.setActiveSheet(book.sheet("Input"))
    doc.calculateAll()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc.storeToURL(uno.systemPathToFileUrl(path),
                   (prop("FilterName", "calc8_template"),))
    doc.close(True)


# ---------------------------------------------------------------------------
# Filling the template


def set_user_prop(props, name, value):
    ud = props.UserDefinedProperties
    if ud.PropertySetInfo.hasPropertyByName(name):
        ud.removeProperty(name)
    ud.addProperty(name, 128, value)  # 128 = REMOVABLE


def fill(office, data, out):
    """data: {unit, year, source, this: {key: value}, notes: {key: text},
    history: [(year, {key: value}, note)], title, description,
    synthetic}."""
    doc = office.desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(TEMPLATE), "_blank", 0,
        (prop("Hidden", True), prop("AsTemplate", True)))
    try:
        inp = doc.Sheets.getByName("Input")
        put(inp, UNIT_CELL, data["unit"])
        put(inp, YEAR_CELL, data["year"])
        put(inp, SOURCE_CELL, data["source"])
        for key, value in data["this"].items():
            if value is not None:
                put(inp, "C%d" % ITEM_ROW[key], value)
        for key, text in data.get("notes", {}).items():
            put(inp, "E%d" % ITEM_ROW[key], text)
        hist = doc.Sheets.getByName("History")
        for i, (year, values, note) in enumerate(data["history"]):
            r = HIST_FIRST_ROW + i
            put(hist, "A%d" % r, year)
            for key, value in values.items():
                if value is not None:
                    put(hist, "%s%d" % (HIST_COL[key], r), value)
            if note:
                put(hist, "%s%d" % (HIST_SOURCE_COL, r), note)
        props = doc.DocumentProperties
        props.Title = data["title"]
        props.Subject = "kpicalc sample workbook"
        props.Description = data["description"]
        props.Keywords = tuple(data.get("keywords", ()))
        set_user_prop(props, "Synthetic", "yes" if data["synthetic"] else "no")
        set_user_prop(props, "Generator", "samples/make_samples.py")
        fixed = uno.createUnoStruct("com.sun.star.util.DateTime")
        fixed.Year, fixed.Month, fixed.Day = data["year"] + 1, 1, 20
        props.CreationDate = fixed
        props.ModificationDate = fixed
        doc.calculateAll()
        os.makedirs(os.path.dirname(out), exist_ok=True)
        doc.storeToURL(uno.systemPathToFileUrl(out),
                       (prop("FilterName", "calc8"),))
    finally:
        doc.close(True)


# The seed report: 东陈乡2020年度行政执法工作报告 (shared/seeds). Only figures
# the report states; every other cell stays empty.
DONGCHEN_SOURCE = "东陈乡2020年度行政执法工作报告（2021年1月20日）"
DONGCHEN_2020 = {
    "required": (34, "报告九：“全乡应持证人员34名”"),
    "certified": (31, "报告九：“已持证人员31名，持证率91.2%”"),
    "exam": (2, "报告九：“组织2名新录用人员参加省行政执法证考试”"),
    "reviews": (36, "报告五：“共审查……事项36项”（自8月开展以来）"),
    "offices": (12, "报告五：“涉及12个科室”"),
    "adviser": (29, "报告五：“邀请乡法律顾问参与联审29项”"),
    "opinions": (103, "报告五：“反馈审查意见103条”"),
    "adopted": (99, "报告五：“其中采纳意见99条，采纳率达96%”"),
    "suits_lost": (0, "报告七：“未发生一起行政诉讼败诉……情况”"),
    "recons_lost": (0, "报告七：“未发生……行政复议败议情况”"),
    "penalties": (2, "报告六：“全年共作出行政处罚2件”"),
    "licences": (173, "报告六：“行政许可173件”"),
    "disclosed": (228, "报告八：“主动公开……政府信息228条”"),
    "requests": (2, "报告八：“依申请公开信息2条”"),
    "cameras": (13, "报告三：“先后配置执法记录仪13台”"),
}


def dongchen():
    history = [(y, {}, None) for y in range(2014, 2019)]
    history.append((2019, {"lost_other": 2},
                    "报告七：“对以往2件行政败诉败议案件进行原因分析”——年份与诉讼/复议"
                    "之分未说明，记为2019年未分列败诉败议。 Report §7: '2 earlier "
                    "lost cases' — year and kind not stated; entered as 2019, "
                    "kind not stated. Other years: not in the report."))
    return {
        "unit": "东陈乡",
        "year": 2020,
        "source": DONGCHEN_SOURCE,
        "this": {k: v for k, (v, _n) in DONGCHEN_2020.items()},
        "notes": {k: n for k, (_v, n) in DONGCHEN_2020.items()},
        "history": history,
        "title": "东陈乡 2020 行政执法工作指标 (seed report figures)",
        "description": "Figures of 东陈乡2020年度行政执法工作报告 (the seed "
                       "report); cells the report does not give are empty.",
        "keywords": ("kpicalc", "sample", "东陈乡", "2020"),
        "synthetic": False,
    }


# Synthetic county: 12 townships, 2014-2020, fixed seed. Plausible values,
# not real data: every file says so (Input source cell, title of every
# printed page, document properties).
COUNTY = [
    ("donghu", "东湖乡"), ("xiling", "西岭镇"), ("nanxi", "南溪乡"),
    ("beitang", "北塘镇"), ("qingshan", "青山乡"), ("baishi", "白石镇"),
    ("hongyan", "红岩乡"), ("jinqiao", "金桥镇"), ("yuquan", "玉泉乡"),
    ("shimen", "石门镇"), ("liuxi", "柳溪乡"), ("meiyuan", "梅园镇"),
]
COUNTY_YEARS = list(range(2014, 2021))
SYNTH_TAG = "（模拟）"


def poisson(rng, lam):
    # Knuth; lam is small here
    L = math.exp(-lam)
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def binom(rng, n, p):
    return sum(1 for _ in range(n) if rng.random() < p)


def township_series(rng):
    """{year: {key: value}} for COUNTY_YEARS."""
    out = {}
    required = rng.randint(20, 60)
    cert0 = rng.uniform(0.72, 0.88)
    cert_step = rng.uniform(0.005, 0.03)
    adopt0 = rng.uniform(0.82, 0.95)
    adviser0 = rng.uniform(0.55, 0.85)
    disputes0 = rng.uniform(10, 30)
    disputes_step = rng.uniform(0.4, 2.0)
    loss0 = rng.uniform(0.08, 0.25)
    reviews0 = rng.randint(12, 45)
    licences0 = rng.randint(80, 300)
    disclosed0 = rng.randint(90, 300)
    for i, year in enumerate(COUNTY_YEARS):
        req = max(12, required + rng.randint(-2, 3))
        required = req
        crate = min(1.0, cert0 + cert_step * i + rng.uniform(-0.02, 0.02))
        cert = min(req, max(0, round(req * crate)))
        reviews = max(6, reviews0 + rng.randint(-4, 6) + 2 * i)
        offices = rng.randint(6, 14)
        adviser = min(reviews, round(reviews * min(1.0, adviser0 + 0.02 * i
                                                   + rng.uniform(-.05, .05))))
        opinions = max(10, round(reviews * rng.uniform(2.0, 3.5)))
        adopted = min(opinions, round(opinions * min(1.0, adopt0 + 0.005 * i
                                                     + rng.uniform(-.03,
                                                                   .03))))
        disputes = poisson(rng, max(2.5, disputes0 - disputes_step * i))
        suits = max(3, round(disputes * rng.uniform(0.3, 0.6)) + rng.randint(
            0, 3))
        recons = max(2, round(disputes * rng.uniform(0.3, 0.5)) +
                     rng.randint(0, 2))
        p_loss = max(0.02, loss0 - 0.015 * i)
        suits_lost = min(3, binom(rng, suits, p_loss))
        recons_lost = min(3 - suits_lost, binom(rng, recons, p_loss))
        out[year] = {
            "required": req,
            "certified": cert,
            "exam": rng.randint(0, 5),
            "reviews": reviews,
            "offices": offices,
            "adviser": adviser,
            "opinions": opinions,
            "adopted": adopted,
            "disputes": disputes,
            "suits": suits,
            "suits_lost": suits_lost,
            "recons": recons,
            "recons_lost": recons_lost,
            "lost_other": 0,
            "penalties": rng.randint(0, 25),
            "licences": max(20, licences0 + round(rng.gauss(8 * i, 20))),
            "disclosed": max(30, disclosed0 + round(rng.gauss(10 * i, 25))),
            "requests": rng.randint(0, 9),
            "cameras": rng.randint(4, 20),
        }
    return out


def county():
    rng = random.Random(SEED)
    books = []
    for slug, name in COUNTY:
        series = township_series(rng)
        unit = name + SYNTH_TAG
        source = ("模拟数据，非真实统计（samples/make_samples.py，随机种子 %d）。"
                  " Synthetic data, not real statistics (samples/"
                  "make_samples.py, seed %d)." % (SEED, SEED))
        history = [(y, series[y], "模拟数据 synthetic")
                   for y in COUNTY_YEARS[:-1]]
        books.append((slug, {
            "unit": unit,
            "year": COUNTY_YEARS[-1],
            "source": source,
            "this": series[COUNTY_YEARS[-1]],
            "notes": {},
            "history": history,
            "title": "%s %d 行政执法工作指标 — SYNTHETIC sample" % (
                unit, COUNTY_YEARS[-1]),
            "description": "SYNTHETIC data generated by samples/make_samples.py"
                           " (seed %d) for the demo, the batch tests and the "
                           "benchmarks. Not real statistics." % SEED,
            "keywords": ("kpicalc", "sample", "synthetic", "模拟数据"),
            "synthetic": True,
        }))
    return books


def main(argv):
    oxt = argv[0] if argv else os.path.join(ROOT, "build", "kpicalc.oxt")
    jobs = [(build_template, TEMPLATE)]
    jobs.append((lambda o, out: fill(o, dongchen(), out), DONGCHEN))
    os.makedirs(COUNTY_DIR, exist_ok=True)
    for slug, data in county():
        out = os.path.join(COUNTY_DIR, "%s-%d.ods" % (slug, data["year"]))
        jobs.append(((lambda d: lambda o, out: fill(o, d, out))(data), out))
    # A headless office very rarely dies under this load ("Binary URP
    # bridge disposed"): start a new one and do that file again, once.
    pending = list(jobs)
    retried = set()
    while pending:
        with Office(oxt) as office:
            while pending:
                fn, out = pending[0]
                try:
                    fn(office, out)
                except Exception as e:  # noqa: BLE001
                    if out in retried:
                        raise
                    retried.add(out)
                    print("office failed on %s (%s): again with a new one"
                          % (os.path.relpath(out, ROOT), type(e).__name__))
                    break
                print("wrote", os.path.relpath(out, ROOT))
                pending.pop(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
