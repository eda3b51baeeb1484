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
    HIST_COL, HIST_FIRST_ROW, HIST_LAST_ROW, HIST_V1_KEYS,
    HIST_SOURCE_COL, IND_FIRST_ROW, IND_ROW, INDICATORS, INPUT_HEADER_ROW,
    INPUT_TITLE, ITEM_ROW, ITEMS, KEYS, KPI, SETTINGS, SHEETS, SOURCE_CELL,
    CHECK_COL, CLAIM_CHECK_COL, CLAIM_COL, DD_REASONS, HIST_LAST_COL,
    NOTE_ITEMS, NOTE_ROW, NOTES_HEAD_ROW, PAIRS, PRINT_ORDER, PRINT_SHEETS,
    YES, NO, ZERO_TEXT,
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


def footer_text(doc, text, parts):
    """Fills an XText of a header/footer: PARTS are strings or field
    service names (com.sun.star.text.TextField.*)."""
    text.setString("")
    cur = text.createTextCursor()
    for part in parts:
        if part.startswith("com.sun.star."):
            text.insertTextContent(cur, doc.createInstance(part), False)
        else:
            text.insertString(cur, part, False)


def make_print_page_style(book, name, landscape):
    """The Chinese print pages: A4, a footer with 制表人/审核人 lines, 第 x 页
    共 y 页 and the print date (issue 11)."""
    pages = book.doc.StyleFamilies.getByName("PageStyles")
    if not pages.hasByName(name):
        pages.insertByName(name, book.doc.createInstance(
            "com.sun.star.style.PageStyle"))
    ps = pages.getByName(name)
    ps.IsLandscape = landscape
    ps.Width, ps.Height = (29700, 21000) if landscape else (21000, 29700)
    for side in ("LeftMargin", "RightMargin", "TopMargin", "BottomMargin"):
        setattr(ps, side, 1000)
    ps.HeaderIsOn = False
    ps.FooterIsOn = True
    ps.FooterBodyDistance = 250
    # page numbers run on over the print pages (the first page, PrintInput,
    # is portrait: 1; the landscape ones continue)
    ps.FirstPageNumber = 0 if landscape else 1
    ps.CenterHorizontally = True
    ps.ScaleToPagesX = 1
    ps.ScaleToPagesY = 1
    ps.PrintGrid = False
    content = ps.RightPageFooterContent
    footer_text(book.doc, content.LeftText,
                ["制表人：__________    审核人：__________"])
    footer_text(book.doc, content.CenterText,
                ["第 ", "com.sun.star.text.TextField.PageNumber", " 页  共 ",
                 "com.sun.star.text.TextField.PageCount", " 页"])
    footer_text(book.doc, content.RightText,
                ["打印日期：", "com.sun.star.text.TextField.Date"])
    ps.RightPageFooterContent = content
    ps.FooterIsShared = True
    return name


def validate(rng, kind, formula="", title="", message="", etitle="",
             emessage="", entries=None, op="FORMULA", formula2=""):
    """Input validation of RNG: KIND is a ValidationType (CUSTOM, WHOLE,
    DECIMAL, LIST); a STOP alert with ETITLE/EMESSAGE refuses what fails;
    TITLE/MESSAGE are shown while the cell is selected."""
    v = rng.Validation
    v.Type = uno.Enum("com.sun.star.sheet.ValidationType", kind)
    if entries is not None:
        v.setOperator(uno.Enum("com.sun.star.sheet.ConditionOperator",
                               "EQUAL"))
        v.setFormula1(";".join('"%s"' % e for e in entries))
        v.ShowList = 1  # TableValidationVisibility.UNSORTED
    else:
        v.setOperator(uno.Enum("com.sun.star.sheet.ConditionOperator", op))
        v.setFormula1(formula)
        if formula2:
            v.setFormula2(formula2)
    # relative references are relative to the range's first cell
    a = rng.RangeAddress
    base = CellAddress()
    base.Sheet, base.Column, base.Row = a.Sheet, a.StartColumn, a.StartRow
    v.setSourcePosition(base)
    v.IgnoreBlankCells = True
    v.ShowInputMessage = bool(message)
    v.InputTitle = title
    v.InputMessage = message
    v.ShowErrorMessage = True
    v.ErrorTitle = etitle
    v.ErrorMessage = emessage
    v.ErrorAlertStyle = uno.Enum("com.sun.star.sheet.ValidationAlertStyle",
                                 "STOP")
    rng.Validation = v


LABEL = {k: zh for _r, k, zh, _e in ITEMS}
HALFWIDTH = ("只填半角数字，如 31；不要带单位（如“31人”），不要用全角数字"
             "（如“３１”：请把输入法切换到半角）。不知道的数字请留空，不要填 0。")


def count_rule(key, row, col="C"):
    """(validation formula, error message) of the count in COL/ROW."""
    a = "$%s$%d" % (col, row)
    conds = ["ISNUMBER(%s)" % a, "%s>=0" % a, "%s=INT(%s)" % (a, a)]
    extra = ""
    if col == "C" and key in PAIRS:
        w = "$C$%d" % ITEM_ROW[PAIRS[key]]
        conds.append("OR(NOT(ISNUMBER(%s));%s<=%s)" % (w, a, w))
        extra = "，且不能大于“%s”（%s）" % (LABEL[PAIRS[key]], w.replace(
            "$", ""))
    parts = [k for k, w in PAIRS.items() if w == key]
    if col == "C" and parts:
        for part in parts:
            pa = "$C$%d" % ITEM_ROW[part]
            conds.append("OR(NOT(ISNUMBER(%s));%s>=%s)" % (pa, a, pa))
        extra += "，且不能小于“%s”（%s）" % ("”“".join(
            LABEL[p] for p in parts), "、".join(
            "C%d" % ITEM_ROW[p] for p in parts))
    msg = ("“%s”须为不小于 0 的整数%s。%s Whole number >= 0%s."
           % (LABEL[key], extra, HALFWIDTH,
              ", not more than its whole" if "大于" in extra else ""))
    return "AND(%s)" % ";".join(conds), msg


def check_formula(key, row):
    """Input column F: what is wrong with the figure in C (empty when
    nothing is), also for a figure that got past the validation (pasted,
    or typed before the validation existed)."""
    c = "C%d" % row
    pair = ""
    if key in PAIRS:
        w = "C%d" % ITEM_ROW[PAIRS[key]]
        pair = ('IF(AND(ISNUMBER(%s);%s>%s);"✗ 不能大于“%s”（%s）";"")'
                % (w, c, w, LABEL[PAIRS[key]], w))
    return ('=IF({c}="";"";IF(NOT(ISNUMBER({c}));IF(ASC({c})<>{c};'
            '"✗ 全角字符：请改用半角数字";"✗ 不是数字：只填数字，不带单位");'
            'IF({c}<0;"✗ 不能为负数";IF({c}<>INT({c});"✗ 须为整数";{p}))))'
            .format(c=c, p=pair or '""'))


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
    widths(sh, [22, 62, 16, 16, 60, 48, 62, 14])
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
        c = put(sh, addr, default, "kpi_input", fmt)
        if name == "ZeroHolds":
            validate(c, "LIST", entries=[YES, NO], title="0→0 规则",
                     message="从下拉列表选择“是”或“否”。是：败诉率上年为0、本年"
                     "仍为0，双下降中计为下降（默认）；否：不计为下降。",
                     etitle="只能选“是”或“否”",
                     emessage="请从下拉列表选择“是”或“否”。 Choose 是 (yes) "
                     "or 否 (no) from the list.")
        else:
            validate(c, "DECIMAL", "0.0000001", title=zh,
                     message="填 0 与 1 之间的小数，如 %s。" % default,
                     etitle="数值无效", emessage="“%s”须为 0 与 1 之间的"
                     "小数（不含 0 和 1），如 %s。 A number between 0 and 1."
                     % (zh, default), op="BETWEEN", formula2="0.9999999")
    validate(cell(sh, YEAR_CELL), "WHOLE", "1900", title="年度",
             message="填四位数年份，如 2020。",
             etitle="年度无效", emessage="年度须为四位数字，如 2020（不要写"
             "“2020年”，不要用全角数字）。 A four-digit year, e.g. 2020.",
             op="BETWEEN", formula2="2100")
    yr = YEAR_CELL
    bad_year = '"✗ 年度须为四位数字，如 2020"'
    put(sh, "D" + yr[1:], '=IF({y}="";"请填写年度";IF(NOT(ISNUMBER({y}));{b};'
        'IF(AND({y}=INT({y});{y}>=1900;{y}<=2100);"";{b})))'
        .format(y=yr, b=bad_year), "kpi_note")
    cond_format(sh, "D" + yr[1:], [('LEFT(D%s;1)="✗"' % yr[1:], "kpi_bad")])
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
                        ("E", "来源（本年）", "Source (this year)"),
                        ("F", "检查", "Check")):
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
        # General: a figure shows as typed (31.5 stays 31.5, not 32)
        put(sh, "C%d" % row, None, "kpi_input", book.fmt("General"))
        hc = HIST_COL[key]
        put(sh, "D%d" % row,
            '=IF(ReportYear="";"";IFERROR(IF(INDEX(%s;MATCH(ReportYear-1;'
            '%s;0))="";"";INDEX(%s;MATCH(ReportYear-1;%s;0)));""))'
            % (hist_range(hc), HIST_RANGE_A, hist_range(hc), HIST_RANGE_A),
            "kpi_calc", book.fmt("0"))
        put(sh, "E%d" % row, None, "kpi_input_text")
        rule, emsg = count_rule(key, row)
        validate(cell(sh, "C%d" % row), "CUSTOM", rule, title=zh,
                 message="填全年数字（人数为年末数），半角整数；不知道请留空。",
                 etitle="“%s”输入无效" % zh, emessage=emsg)
        put(sh, "%s%d" % (CHECK_COL, row), check_formula(key, row),
            "kpi_note")
        cond_format(sh, "%s%d" % (CHECK_COL, row),
                    [('LEFT(%s%d;1)="✗"' % (CHECK_COL, row), "kpi_bad")])
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
    # the report's figures without an indicator: free text, cleared by
    # kpicalc new-year
    put(sh, "A%d" % NOTES_HEAD_ROW, bi("报告中的其他情况（无对应指标）",
                                       "Other figures of the report (no "
                                       "indicator)"), "kpi_section")
    merge(sh, "A%d:E%d" % (NOTES_HEAD_ROW, NOTES_HEAD_ROW))
    for key, zh, en in NOTE_ITEMS:
        r = NOTE_ROW[key]
        put(sh, "A%d" % r, key, "kpi_key")
        put(sh, "B%d" % r, bi(zh, en), "kpi_label")
        put(sh, "C%d" % r, None, "kpi_input_text")
        merge(sh, "C%d:E%d" % (r, r))
        sh.Rows.getByIndex(r - 1).Height = 1000
        add_name(book.doc, key, "$Input.$C$%d" % r)
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
    """"" when no input is given, #N/A when only some are, else expr.
    (A text typed into an input counts as given: the note says what is
    wrong with it.)"""
    args = ";".join(inputs)
    empty = ";".join('%s=""' % x for x in inputs)
    return '=IF(AND(%s);"";IF(COUNT(%s)<%d;%s;%s))' % (
        empty, args, len(inputs), partial, expr)


# #NUM! (error 503) for an invalid figure of an indicator computed without
# the add-in, as the add-in gives for an invalid count
NUM_ERROR = "(-1)^0.5"
# the inputs of each indicator (for the notes that name the cells)
IND_INPUTS = {
    "certrate": ["certified", "required"],
    "adoptrate": ["adopted", "opinions"],
    "adviser_rate": ["adviser", "reviews"],
    "reviews_per_office": ["reviews", "offices"],
    "lossrate": ["suits_lost", "suits", "recons_lost", "recons"],
    "lost_cases": ["suits_lost", "recons_lost", "lost_other"],
    "disputes": ["disputes"], "penalties": ["penalties"],
    "licences": ["licences"], "disclosed": ["disclosed"],
    "requests": ["requests"],
    "appearance_rate": ["appeared", "appear_due"],
    "doubledecline": ["disputes", "suits_lost", "suits", "recons_lost",
                      "recons"],
}
ZERO_NOTE = {"lossrate": "无审结案件（行政诉讼、行政复议审结数均为 0），败诉率不适用",
             "appearance_rate": "无开庭审理的行政诉讼案件，出庭应诉率不适用"}
# the 0 -> 0 rule in force (Input H4: 是/否; TRUE/FALSE of older files)
ZH = 'IF(ISLOGICAL(ZeroHolds);ZeroHolds;ZeroHolds="%s")' % YES


def where(key, side):
    if side == "cur":
        return "%s（%s）" % (LABEL[key], "C%d" % ITEM_ROW[key])
    return "%s（历年数据表 %s 列）" % (LABEL[key], HIST_COL[key])


def ref(key, side):
    return "%s_%s" % (side, key)


def problem(key, side):
    """A text saying what is wrong with input KEY, "" when nothing is."""
    x = ref(key, side)
    pair = '""'
    if key in PAIRS:
        w = ref(PAIRS[key], side)
        pair = ('IF(AND(ISNUMBER(%s);%s>%s);"%s大于“%s”";"")'
                % (w, x, w, where(key, side), LABEL[PAIRS[key]]))
    return ('IF({x}="";"";IF(NOT(ISNUMBER({x}));"{w}不是数字";'
            'IF(OR({x}<0;{x}<>INT({x}));"{w}须为不小于0的整数";{p})))'
            .format(x=x, w=where(key, side), p=pair))


def missing(key, side):
    return 'IF(%s="";"%s";"")' % (ref(key, side), where(key, side))


def joined(keys, side, fn, sep):
    return 'TEXTJOIN("%s";1;%s)' % (sep, ";".join(fn(k, side) for k in keys))


def note_formula(key, b, c):
    """Column K: why this or last year's value cannot be computed and which
    cell to fill or correct, by its Chinese label and address; the state
    without a value (no case concluded); "" when all is well."""
    keys = IND_INPUTS[key]
    inv = joined(keys, "cur", problem, "；")
    miss = joined(keys, "cur", missing, "、")
    pinv = joined(keys, "prev", problem, "；")
    pmiss = joined(keys, "prev", missing, "、")
    zero = ""
    if key in ZERO_TEXT:
        zero = ('IF({b}="{z}";"本年{n}";IF({c}="{z}";"上年{n}，无法与上年比较";'
                '""))'.format(b=b, c=c, z=ZERO_TEXT[key], n=ZERO_NOTE[key]))
    return ('=IF(ISERROR({b});IF({nb};{n};IF({inv}<>"";"请更正："&{inv};'
            'IF({miss}<>"";"请填写 "&{miss};"本年输入无效，请核对")));'
            'IF({b}="";IF({miss}<>"";"未填写："&{miss};"");'
            'IF(ISERROR({c});IF({nc};{n};IF({pinv}<>"";"上年数据有误："&{pinv};'
            'IF({pmiss}<>"";"上年缺少："&{pmiss};"上年数据无法计算")));{zero})))'
            .format(b=b, c=c, nb=name_err(b), nc=name_err(c), n=NEEDS,
                    inv=inv, miss=miss, pinv=pinv, pmiss=pmiss,
                    zero=zero or '""'))


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
    missing), "" when either is empty or a text (无审结案件)."""
    return ('=IF(OR(ISERROR(%s);ISERROR(%s));IF(OR(%s;%s);%s;"—");'
            'IF(OR(%s="";%s="";ISTEXT(%s);ISTEXT(%s));"";%s))'
            % (b, c, name_err(b), name_err(c), NEEDS, b, c, b, c, expr))


def native_rate(x, n, zero=None, ratio=False):
    """x/n computed without the add-in, with the add-in's checks: #NUM!
    for a negative or fractional count or (rates) a part above its whole;
    ZERO (a text) when n is 0."""
    bad = ["%s<0" % x, "%s<0" % n, "%s<>INT(%s)" % (x, x),
           "%s<>INT(%s)" % (n, n)]
    if not ratio:
        bad.append("%s>%s" % (x, n))
    z = '"%s"' % zero if zero else "%s/%s" % (x, n)
    return "IF(OR(%s);%s;IF(%s=0;%s;%s/%s))" % (";".join(bad), NUM_ERROR, n,
                                              z, x, n)


def dd_reason(b, c, rb, rc):
    """The reason of 双下降 (layout.DD_REASONS) from the disputes (b this
    year, c last year) and the loss rates (rb, rc)."""
    zt = ZERO_TEXT["lossrate"]
    fell = "OR({b}<{c};AND({b}=0;{c}=0;{zh}))".format(b=b, c=c, zh=ZH)
    return ('IF(ISERROR({rb});"{miss}";IF({rb}="{zt}";"{none}";'
            'IF(OR(ISERROR({b});ISERROR({c});ISERROR({rc}));"{miss}";'
            'IF(OR({b}="";{c}="";{rb}="";{rc}="";ISTEXT({rc});ISTEXT({b});'
            'ISTEXT({c}));"{miss}";'
            'IF(NOT({fell});IF({b}>{c};"{up}";"{flat}");'
            'IF({rb}<{rc};"{dd}";IF({rb}>{rc};"{rup}";IF({rb}=0;'
            'IF({zh};"{z1}";"{z0}");"{rflat}"))))))))'
            .format(b=b, c=c, rb=rb, rc=rc, zt=zt, fell=fell, zh=ZH,
                    miss=DD_REASONS[8], none=DD_REASONS[7],
                    up=DD_REASONS[2], flat=DD_REASONS[3],
                    dd=DD_REASONS[0], rup=DD_REASONS[1],
                    z1=DD_REASONS[4], z0=DD_REASONS[5],
                    rflat=DD_REASONS[6]))


def dd_cells():
    return ("Indicators.$B$%d" % IND_ROW["disputes"],
            "Indicators.$C$%d" % IND_ROW["disputes"],
            "Indicators.$B$%d" % IND_ROW["lossrate"],
            "Indicators.$C$%d" % IND_ROW["lossrate"])


def indicator_formulas(key, side):
    """(value formula, [successes, trials] for RATECI/RATETEST or None)."""
    v = cur if side == "cur" else prev
    if key == "certrate":
        ins = [v("certified"), v("required")]
        return (guarded(ins, "CERTRATE(%s;%s)" % tuple(ins)), ins)
    if key == "adoptrate":
        ins = [v("adopted"), v("opinions")]
        return (guarded(ins, "ADOPTRATE(%s;%s)" % tuple(ins)), ins)
    if key in ("adviser_rate", "appearance_rate"):
        ins = [v(k) for k in IND_INPUTS[key]]
        return (guarded(ins, native_rate(ins[0], ins[1],
                                         ZERO_TEXT.get(key))), ins)
    if key == "reviews_per_office":
        ins = [v("reviews"), v("offices")]
        return (guarded(ins, native_rate(ins[0], ins[1], ratio=True)), None)
    if key == "lossrate":
        ins = [v("suits_lost"), v("suits"), v("recons_lost"), v("recons")]
        return (guarded(ins, 'IF(%s+%s=0;"%s";LOSSRATE(%s;%s;%s;%s))'
                        % (ins[1], ins[3], ZERO_TEXT["lossrate"],
                           *ins)),
                ["%s+%s" % (ins[0], ins[2]), "%s+%s" % (ins[1], ins[3])])
    if key == "lost_cases":
        ins = [v("suits_lost"), v("recons_lost"), v("lost_other")]
        return ('=IF(COUNT(%s)=0;"";SUM(%s))' % (";".join(ins),
                                                 ";".join(ins)), None)
    if key in ("disputes", "penalties", "licences", "requests", "disclosed"):
        x = v(key)
        return ('=IF({x}="";"";IF(ISNUMBER({x});IF(AND({x}>=0;{x}=INT({x}));'
                '{x};{e});{e}))'.format(x=x, e=NUM_ERROR), None)
    if key == "doubledecline":
        if side != "cur":
            return (None, None)
        b = "B%d" % IND_ROW["disputes"]
        c = "C%d" % IND_ROW["disputes"]
        rb = "B%d" % IND_ROW["lossrate"]
        rc = "C%d" % IND_ROW["lossrate"]
        return ('=IF(AND(%s="";%s="";%s="";%s="");"";IF(COUNT(%s;%s;%s;%s)<4;'
                'NA();DOUBLEDECLINE(%s;%s;%s;%s;%s)))'
                % (b, c, rb, rc, b, c, rb, rc, c, b, rc, rb, ZH), None)
    raise KeyError(key)


def build_indicators(book):
    sh = book.sheet("Indicators")
    widths(sh, [58, 19, 19, 19, 19, 16, 32, 16, 16, 16, 80, 22, 26])
    put(sh, "A1", '="行政执法工作指标 Law-enforcement indicators — "&ReportUnit'
        '&" "&ReportYear', "kpi_title")
    merge(sh, "A1:M1")
    put(sh, "A2", '="数据来源 Source: "&IF(ReportSource="";"—";ReportSource)',
        "kpi_note")
    merge(sh, "A2:K2")
    put(sh, "A3", needs_banner(
        "由 kpicalc 扩展函数计算。空白 = 无输入；#N/A = 缺少部分输入；"
        "“说明”列写明应填写或更正的单元格。 Computed with the kpicalc "
        "add-in's functions. Blank = no input; #N/A = an input is missing; "
        "the Note column names the cell to fill or correct."), "kpi_note")
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
             ("K", "说明", "Note"),
             (CLAIM_COL, "报告所述（手填）", "The report says"),
             (CLAIM_CHECK_COL, "与报告核对", "Agrees with the report")]
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
                                    'IF(OR(%s="";%s="");"";IF(ISTEXT(%s);'
                                    '"不适用 n/a";IF(%s;'
                                    '"✓ 达标 met";"✗ 未达标 not met"))))'
                                    % (b, name_err(b), NEEDS, b, f, b,
                                       cmp_)),
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
            # no interval and no test with a denominator of 0
            rng.setArrayFormula(needs('=IF(COUNT(%s)<%d;"";IF(%s=0;"";'
                                      'RATECI(%s;%s;Confidence)))'
                                      % (";".join(ins), len(ins), n, x,
                                         n))[1:])
            rng.CellStyle = "kpi_calc"
            rng.NumberFormat = f_rate
            cond_format(sh, "H%d:I%d" % (r, r), [NOADDIN_RULE])
            allin = ins + pins
            put(sh, "J%d" % r, needs('=IF(COUNT(%s)<%d;"";IF(OR(%s=0;%s=0);'
                                     '"";RATETEST(%s;%s;%s;%s)))'
                                     % (";".join(allin), len(allin), n, pn,
                                        x, n, px, pn)), "kpi_calc",
                f_p)
            cond_format(sh, "J%d" % r, [NOADDIN_RULE])
        else:
            for col in "HIJ":
                put(sh, "%s%d" % (col, r), None, "kpi_calc")
        if key == "doubledecline":
            # the reason, and for missing data which cells (the notes of
            # the loss rate and the disputes); the 0 -> 0 rule in force
            k9, k11 = "K%d" % IND_ROW["lossrate"], "K%d" % IND_ROW["disputes"]
            reason = dd_reason("B%d" % IND_ROW["disputes"],
                               "C%d" % IND_ROW["disputes"],
                               "B%d" % IND_ROW["lossrate"],
                               "C%d" % IND_ROW["lossrate"])
            full = ('{r}&IF({r}="{m}";"："&TEXTJOIN("；";1;{k9};{k11});"")&'
                    '"。0→0 规则："&IF({zh};"计为下降";"不计为下降")&'
                    '"（基础数据表 H4）"'.format(r=reason, m=DD_REASONS[8],
                                            k9=k9, k11=k11, zh=ZH))
            note = '=IF(ISERROR({b});{f};IF({b}="";"";{f}))'.format(b=b,
                                                                   f=full)
        else:
            note = note_formula(key, b, c)
        put(sh, "K%d" % r, wrap(note), "kpi_label")
        cond_format(sh, "K%d" % r, pre)
        sh.getCellRangeByName("K%d" % r).CharHeight = 8.0
        sh.getCellRangeByName("K%d" % r).CharHeightAsian = 8.0
        # what the report itself claims (typed), and whether it agrees
        lc = "%s%d" % (CLAIM_COL, r)
        put(sh, lc, None, "kpi_input_text", fmt)
        if kind == "flag":
            validate(cell(sh, lc), "LIST", entries=[YES, NO],
                     title="报告所述", message="报告称达到“双下降”选“是”，否则选“否”。",
                     etitle="只能选“是”或“否”",
                     emessage="请从下拉列表选择“是”或“否”。")
            agree = '(%s="%s")=(%s=1)' % (lc, YES, b)
        elif kind == "rate":
            # a rate as the report rounds it (96% for 96.1%)
            agree = "ABS(%s-%s)<0.0051" % (lc, b)
        else:
            agree = "%s=%s" % (lc, b)
        put(sh, "%s%d" % (CLAIM_CHECK_COL, r),
            wrap('=IF({l}="";"";IF(ISERROR({b});"无法核对：本表无法计算";'
                 'IF(OR({b}="";ISTEXT({b}));"无法核对";IF({t};"请填数字";'
                 'IF({a};"✓ 一致";"✗ 不一致，请核对")))))'
                 .format(l=lc, b=b, a=agree, t="FALSE()" if kind == "flag"
                         else "ISTEXT(%s)" % lc)), "kpi_label")
        mc = "%s%d" % (CLAIM_CHECK_COL, r)
        cond_format(sh, mc, pre + [('LEFT(%s;1)="✗"' % mc, "kpi_bad")])
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
        merge(sh, "A%d:M%d" % (row, row))
        sh.Rows.getByIndex(row - 1).Height = 850
    for r in range(hr + 1, last + 1):
        sh.Rows.getByIndex(r - 1).OptimalHeight = True
    sh.setPrintAreas(())  # printed through PrintIndicators


def build_history(book):
    sh = book.sheet("History")
    widths(sh, [12] + [15] * HIST_V1_KEYS + [70] + [15] * (len(KEYS) -
                                                         HIST_V1_KEYS))
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
    rng = sh.getCellRangeByName("A%d:%s%d" % (HIST_FIRST_ROW, HIST_LAST_COL,
                                              HIST_LAST_ROW))
    rng.NumberFormat = book.fmt("General")  # as typed: 31.5 is not 32
    # typed by the analyst and written by kpicalc new-year: unlocked on a
    # protected sheet, checked like the Input sheet
    rng.CellProtection = protection(False)
    validate(sh.getCellRangeByName("A%d:A%d" % (HIST_FIRST_ROW,
                                                 HIST_LAST_ROW)),
             "WHOLE", "1900", title="年度", message="填四位数年份，如 2019。",
             etitle="年度无效", emessage="年度须为四位数字，如 2019（不要写"
             "“2019年”，不要用全角数字）。 A four-digit year.", op="BETWEEN",
             formula2="2100")
    for key in KEYS:
        col = HIST_COL[key]
        rule = "AND(ISNUMBER({c}{r});{c}{r}>=0;{c}{r}=INT({c}{r}))".format(
            c=col, r=HIST_FIRST_ROW)
        validate(sh.getCellRangeByName("%s%d:%s%d" % (
            col, HIST_FIRST_ROW, col, HIST_LAST_ROW)), "CUSTOM", rule,
            title=LABEL[key], message="半角整数；不知道请留空。",
            etitle="“%s”输入无效" % LABEL[key],
            emessage="“%s”须为不小于 0 的整数。%s" % (LABEL[key], HALFWIDTH))
    cond_format(sh, "A%d:%s%d" % (HIST_FIRST_ROW, HIST_LAST_COL,
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
        return ('=IF(COUNT(%s;%s;%s;%s)<4;"";IF(%s+%s=0;"";'
                'LOSSRATE(%s;%s;%s;%s)))' % tuple(ins + ins[1::2] + ins))
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


def build_charts(book, name="Trend", h0=TREND_TABLE_HEADER_ROW,
                 y1=TREND_TABLE_LAST_ROW, cols=None, end="P", zh_only=False):
    """Three charts below the series table of sheet NAME (header row h0,
    last year row y1; COLS: the column of each series key); then the
    print range of a print sheet reaches below them."""
    sh = book.sheet(name)
    cols = cols or {k: c for k, c, *_r in TREND_SERIES}
    prefix = "print_" if zh_only else ""  # object names are per document
    top = sh.getCellRangeByName("A%d" % (y1 + 2)).Position.Y
    left = sh.getCellRangeByName("A1").Position.X
    total = sh.getCellRangeByName("%s1" % end).Position.X - left
    w = (total - 2 * 300) // 3
    h = 7600

    def rect(i):
        r = Rectangle()
        r.X = left + i * (w + 300)
        r.Y = top
        r.Width = w
        r.Height = h
        return r

    def col(k):
        c = cols[k] if k != "year" else "A"
        return "%s%d:%s%d" % (c, h0, c, y1)

    def title(zh, en):
        return zh if zh_only else bi(zh, en)

    yrs = col("year")
    add_chart(book, sh, prefix + "rates", rect(0),
              [yrs] + [col(k) for k in ("certrate", "adoptrate",
                                        "adviser_rate", "lossrate")],
              title("比率", "Rates"), "com.sun.star.chart.LineDiagram",
              percent=True)
    add_chart(book, sh, prefix + "cases", rect(1),
              [yrs] + [col(k) for k in ("disputes", "lost_cases",
                                        "penalties")],
              title("争议与案件", "Disputes and cases"),
              "com.sun.star.chart.BarDiagram")
    add_chart(book, sh, prefix + "volumes", rect(2),
              [yrs] + [col(k) for k in ("licences", "disclosed", "requests")],
              title("许可与公开", "Licences and disclosures"),
              "com.sun.star.chart.BarDiagram")
    last_row = y1 + 2
    while sh.getCellRangeByName("A%d" % last_row).Position.Y < top + h:
        last_row += 1
    if name in PRINT_SHEETS:
        last = chr(ord(end) - 1)
        print_area(sh, SHEETS.index(name), "A1:%s%d" % (last, last_row))
    else:
        sh.setPrintAreas(())  # printed through PrintTrend


# ---------------------------------------------------------------------------
# The Chinese print pages (issue 11): what is printed or exported to PDF.
# Values come from the working sheets; an error there prints as words
# (缺数据, 数据有误), never as #N/A or #DIV/0!.


def shown(x, empty='""'):
    """X for printing: its value, or words for an error."""
    return ('=IF(ISERROR({x});IF(ISNA({x});"缺数据";"数据有误");'
            'IF({x}="";{e};{x}))'.format(x=x, e=empty))


def print_title(sh, text, last_col, note=True):
    put(sh, "A1", '="%s — "&IF(ReportUnit="";"（未填单位）";ReportUnit)&" "&'
        'IF(ReportYear="";"";ReportYear&"年")' % text, "kpi_title")
    merge(sh, "A1:%s1" % last_col)
    if note:
        put(sh, "A2", '="数据来源："&IF(ReportSource="";"未填写";ReportSource)',
            "kpi_note")
        merge(sh, "A2:%s2" % last_col)
        sh.Rows.getByIndex(1).OptimalHeight = True


def build_print_input(book):
    sh = book.sheet("PrintInput")
    widths(sh, [64, 20, 20, 86])
    print_title(sh, "行政执法工作年度基础数据", "D")
    hr = 4
    for col, text in zip("ABCD", ("项目", "本年", "上年", "数据来源（本年）")):
        put(sh, "%s%d" % (col, hr), text, "kpi_head")
    r = hr + 1
    f0 = book.fmt("0")
    items = {row: (key, zh) for row, key, zh, _e in ITEMS}
    for row in range(INPUT_HEADER_ROW + 1, ITEMS[-1][0] + 1):
        if row in items:
            key, zh = items[row]
            put(sh, "A%d" % r, zh, "kpi_label")
            put(sh, "B%d" % r, '=IF(Input.$C$%d="";"";Input.$C$%d)'
                % (row, row), "kpi_calc", f0)
            put(sh, "C%d" % r, "=Input.$D$%d" % row, "kpi_calc", f0)
            put(sh, "D%d" % r, '=IF(Input.$E$%d="";"";Input.$E$%d)'
                % (row, row), "kpi_label")
            cell(sh, "D%d" % r).CharHeight = 8.0
            cell(sh, "D%d" % r).CharHeightAsian = 8.0
        else:
            zh = [h for h in HEADS if h[0] == row][0][1]
            put(sh, "A%d" % r, zh, "kpi_section")
            merge(sh, "A%d:D%d" % (r, r))
        r += 1
    r += 1
    put(sh, "A%d" % r, "报告中的其他情况（无对应指标）", "kpi_section")
    merge(sh, "A%d:D%d" % (r, r))
    r += 1
    for key, zh, _en in NOTE_ITEMS:
        put(sh, "A%d" % r, zh, "kpi_label")
        put(sh, "B%d" % r, '=IF(%s="";"";%s)' % (key, key), "kpi_label")
        merge(sh, "B%d:D%d" % (r, r))
        r += 1
    r += 1
    put(sh, "A%d" % r, '="设置：双下降中败诉率 0→0 "&IF(%s;"计为下降";"不计为下降")&'
        '"；置信水平 "&TEXT(Confidence;"0%%")&"；显著性水平 "&Alpha&"。留空的'
        '项目表示报告未提供该数字。"' % ZH, "kpi_note")
    merge(sh, "A%d:D%d" % (r, r))
    for i in range(hr, r + 1):
        sh.Rows.getByIndex(i - 1).OptimalHeight = True
    sh.PrintTitleRows = True
    t = CellRangeAddress()
    t.Sheet, t.StartRow, t.EndRow = SHEETS.index("PrintInput"), hr - 1, hr - 1
    sh.setTitleRows(t)
    print_area(sh, SHEETS.index("PrintInput"), "A1:D%d" % r)


def reading(key):
    """Column H of PrintIndicators: the indicator in words (value with its
    counts, the interval, whether it differs from last year), then the note
    of the Indicators sheet (what to fill, the 双下降 reason)."""
    r = IND_ROW[key]
    i = "Indicators.$%s$" + str(r)
    k = i % "K"
    kind = [x[3] for x in INDICATORS if x[0] == key][0]
    if kind != "rate":
        return '=IF(%s="";"";%s)' % (k, k)
    if key == "lossrate":
        x = "(cur_suits_lost+cur_recons_lost)"
        n = "(cur_suits+cur_recons)"
    else:
        x, n = ["cur_" + a for a in IND_INPUTS[key]]
    b, h, hi, j = i % "B", i % "H", i % "I", i % "J"
    return ('=TEXTJOIN("；";1;IF(ISNUMBER({b});"本年 "&TEXT({b};"0.0%")&"（"&{x}'
            '&"/"&{n}&"）"&IF(ISNUMBER({h});"，"&TEXT(Confidence;"0%")&"置信区间 "'
            '&TEXT({h};"0.0%")&"–"&TEXT({hi};"0.0%");"")&IF(ISNUMBER({j});'
            'IF({j}<Alpha;"；与上年相比变化显著";"；与上年相比变化不显著（可能是'
            '偶然波动）");"");"");{k})'
            .format(b=b, x=x, n=n, h=h, hi=hi, j=j, k=k))


def build_print_indicators(book):
    sh = book.sheet("PrintIndicators")
    widths(sh, [48, 18, 18, 30, 16, 18, 18, 108])
    print_title(sh, "行政执法工作指标", "H")
    hr = 4
    for col, text in zip("ABCDEFGH", ("指标", "本年", "上年", "变化", "目标",
                                      "是否达标", "报告所述", "说明")):
        put(sh, "%s%d" % (col, hr), text, "kpi_head")
    fmts = {"rate": book.fmt("0.0%"), "ratio": book.fmt("0.0"),
            "count": book.fmt("0"), "flag": book.fmt('[=1]"是";[=0]"否";@')}
    dfmts = {"rate": book.fmt('+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"'),
             "ratio": book.fmt("+0.0;-0.0;0.0"),
             "count": book.fmt("+0;-0;0")}
    info = {x[0]: x for x in INDICATORS}
    r = hr + 1
    for key in PRINT_ORDER:
        _k, zh, _en, kind, target, direction = info[key]
        ir = IND_ROW[key]
        w = "Indicators.$%s$" + str(ir)
        put(sh, "A%d" % r, zh, "kpi_label")
        put(sh, "B%d" % r, shown(w % "B"), "kpi_calc", fmts[kind])
        if kind != "flag":
            put(sh, "C%d" % r, shown(w % "C"), "kpi_calc", fmts[kind])
            put(sh, "D%d" % r, '=IF(ISERROR({d});"";IF({d}="—";"";{d}))'
                .format(d=w % "D"), "kpi_calc", dfmts[kind])
        else:
            put(sh, "C%d" % r, None, "kpi_calc")
            put(sh, "D%d" % r, None, "kpi_calc")
        if target is not None:
            tf = fmts["flag"] if kind == "flag" else book.fmt(
                ('"≥ "' if direction == ">=" else '"≤ "') + "0%")
            put(sh, "E%d" % r, '=IF({f}="";"";{f})'.format(f=w % "F"),
                "kpi_calc", tf)
            g = w % "G"
            put(sh, "F%d" % r, '=IF(ISERROR({g});"";IF({g}="—";"";SUBSTITUTE('
                'SUBSTITUTE(SUBSTITUTE({g};" not met";"");" met";"");'
                '" n/a";"")))'.format(g=g), "kpi_calc")
            cond_format(sh, "F%d" % r, [('LEFT(F%d;1)="✓"' % r, "kpi_good"),
                                        ('LEFT(F%d;1)="✗"' % r, "kpi_bad")])
        else:
            put(sh, "E%d" % r, None, "kpi_calc")
            put(sh, "F%d" % r, None, "kpi_calc")
        put(sh, "G%d" % r, '=IF({l}="";"";{l})'.format(
            l=w % CLAIM_COL) + "", "kpi_calc", fmts[kind])
        put(sh, "H%d" % r, reading(key), "kpi_label")
        cell(sh, "H%d" % r).CharHeight = 9.0
        cell(sh, "H%d" % r).CharHeightAsian = 9.0
        r += 1
    last = r - 1
    notes = [
        "定义：持证率 = 已持证人数 ÷ 应持证人数；审查意见采纳率 = 采纳意见数 ÷ 反馈意见数；"
        "法律顾问参与率 = 法律顾问参与联审数 ÷ 合法性审查事项数；行政机关负责人出庭应诉率 = "
        "负责人出庭应诉案件数 ÷ 开庭审理的行政诉讼案件数；败诉率 = （行政诉讼败诉数 + "
        "行政复议败议数）÷（行政诉讼审结数 + 行政复议审结数）；败诉败议案件数含未分列的"
        "案件；“双下降”= 行政争议发案量和败诉率均比上年下降。",
        '="置信区间：按本年人数或件数估计的比率可能范围（"&TEXT(Confidence;"0%")&'
        '"把握）；人数、件数越少，区间越宽。“变化显著”指与上年的差异不大可能是偶然'
        '波动（显著性水平 "&Alpha&"）。"',
        "目标为示例值，可在指标表黄色单元格修改。“报告所述”为报告原文所称数字，供与本表计算"
        "结果核对。",
    ]
    for i, text in enumerate(notes):
        row = last + 2 + i
        put(sh, "A%d" % row, text, "kpi_note")
        merge(sh, "A%d:H%d" % (row, row))
        sh.Rows.getByIndex(row - 1).Height = 1250 if i == 0 else 850
    for i in range(hr, last + 1):
        sh.Rows.getByIndex(i - 1).OptimalHeight = True
    print_area(sh, SHEETS.index("PrintIndicators"), "A1:H%d" % (
        last + 1 + len(notes)))


PT_COLS = {k: col_letter(1 + i) for i, (k, *_r) in enumerate(TREND_SERIES)}


def build_print_trend(book):
    sh = book.sheet("PrintTrend")
    widths(sh, [40] + [22] * len(TREND_SERIES) + [2])
    put(sh, "A1", '="趋势分析 — "&IF(ReportUnit="";"（未填单位）";ReportUnit)&" "&'
        'IF(ReportYear="";"";(ReportYear-%d)&"—"&ReportYear&"年")'
        % (TREND_YEARS - 1), "kpi_title")
    merge(sh, "A1:K1")
    put(sh, "A2", '="数据来源："&IF(ReportSource="";"未填写";ReportSource)',
        "kpi_note")
    merge(sh, "A2:K2")
    hr = 4
    for rng, text in (("A", "指标"), ("B", "年数"), ("C:E", "趋势判断"),
                      ("F:G", "平均每年变化"), ("H:K", "下一年预测")):
        first = rng.split(":")[0]
        put(sh, "%s%d" % (first, hr), text, "kpi_head")
        if ":" in rng:
            a, z = rng.split(":")
            merge(sh, "%s%d:%s%d" % (a, hr, z, hr))
    r = hr + 1
    for key, _col, zh, _en, kind in TREND_SERIES:
        tr = TREND_STAT_ROW[key]
        t = "Trend.$%s$" + str(tr)
        n = t % "B"
        put(sh, "A%d" % r, zh, "kpi_label")
        put(sh, "B%d" % r, '=IF(ISNUMBER({n});{n}&" 年";{n})'.format(n=n),
            "kpi_calc")
        need = '"需至少3个年度数据（现有"&{n}&"年）"'.format(n=n)
        put(sh, "C%d" % r, ('=IF(NOT(ISNUMBER({n}));{n};IF({n}<3;{need};'
                            'IF(ISERROR({d});"无法判断";IF(NOT(ISNUMBER({d}));'
                            '{d};"近"&{n}&"年"&IF({d}=-1;"呈显著下降趋势";'
                            'IF({d}=1;"呈显著上升趋势";"无显著变化趋势"))&'
                            '"（趋势检验 p "&IF({p}<0.001;"< 0.001";"= "&'
                            'TEXT({p};"0.000"))&"）"))))')
            .format(n=n, need=need, d=t % "J", p=t % "F"), "kpi_label")
        merge(sh, "C%d:E%d" % (r, r))
        unit = "个百分点/年" if kind == "rate" else "/年"
        put(sh, "F%d" % r, ('=IF(NOT(ISNUMBER({n}));{n};IF({n}<3;"";'
                            'IF(ISNUMBER({g});'
                            'TEXT({g};"+0.0;-0.0;0.0")&" {u}";'
                            'IF(ISERROR({g});"";{g}))))')
            .format(n=n, g=t % "G", u=unit), "kpi_label")
        merge(sh, "F%d:G%d" % (r, r))
        f = "0.0%" if kind == "rate" else "0"
        put(sh, "H%d" % r, ('=IF(NOT(ISNUMBER({n}));{n};IF({n}<3;"";'
                            'IF(ISNUMBER({k});"约 "&TEXT({k};"{f}")&"（"&TEXT('
                            'Confidence;"0%")&"预测区间 "&TEXT({l};"{f}")&"—"&'
                            'TEXT({m};"{f}")&"）";IF(ISERROR({k});"";{k}))))')
            .format(n=n, k=t % "K", l=t % "L", m=t % "M", f=f),
            "kpi_label")
        merge(sh, "H%d:K%d" % (r, r))
        r += 1
    last = r - 1
    put(sh, "A%d" % (last + 1), '="趋势检验：Mann–Kendall 检验，显著性水平 "&Alpha&'
        '"；平均每年变化：Sen 斜率（稳健估计）；预测：按线性趋势外推到 "&IF(ReportYear='
        '"";"下一年";(ReportYear+1)&"年")&"，并给出预测区间。少于 3 个年度的数据不作'
        '趋势判断。"', "kpi_note")
    merge(sh, "A%d:K%d" % (last + 1, last + 1))
    # fixed heights (two lines): the charts below are placed by position,
    # and rows that grew with their text on loading would slide under them
    for i in range(hr + 1, last + 1):
        sh.Rows.getByIndex(i - 1).Height = 1000
    sh.Rows.getByIndex(last).Height = 900
    # the series (Chinese headers) for the table and the charts
    h0 = last + 3
    put(sh, "A%d" % h0, "年度", "kpi_head")
    f_rate, f_count = book.fmt("0.0%"), book.fmt("0")
    for key, col, zh, _en, kind in TREND_SERIES:
        put(sh, "%s%d" % (PT_COLS[key], h0), zh, "kpi_head")
    for i in range(TREND_YEARS):
        tr = TREND_TABLE_FIRST_ROW + i
        r = h0 + 1 + i
        put(sh, "A%d" % r, '=Trend.$A$%d' % tr, "kpi_calc", f_count)
        for key, col, zh, _en, kind in TREND_SERIES:
            src = "Trend.$%s$%d" % (col, tr)
            put(sh, "%s%d" % (PT_COLS[key], r),
                "=IF(ISNUMBER(%s);%s;\"\")" % (src, src), "kpi_calc",
                f_rate if kind == "rate" else f_count)
    sh.Rows.getByIndex(h0 - 1).Height = 900
    return h0, h0 + TREND_YEARS


def build_kpi(book):
    sh = book.sheet("KPI")
    widths(sh, [34, 26, 40, 60])
    for col, text in zip("ABCD", ("key", "value", "label_zh", "label_en")):
        put(sh, "%s1" % col, text, "kpi_head")
    for i, (key, zh, en, formula) in enumerate(KPI):
        r = 2 + i
        put(sh, "A%d" % r, key)
        if key == "doubledecline_reason":
            # from the add-in's loss rates: needs it
            formula = needs("=" + dd_reason(*dd_cells()))
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
    # the figures go to History and are cleared; each figure's source note
    # (column E) stays where it is: next year's figure usually comes from
    # the same place, and the analyst edits the note where it has changed
    for row, key, _z, _e in ITEMS:
        rows.append(("clear", "$Input.$C$%d" % row, ""))
    s = "$Input.$%s$%s" % (SOURCE_CELL[0], SOURCE_CELL[1:])
    rows.append(("clear", s, ""))
    # this year's notes and the report's claims belong to this year
    for key, *_r in NOTE_ITEMS:
        rows.append(("clear", "$Input.$C$%d" % NOTE_ROW[key], ""))
    for key, *_r in INDICATORS:
        rows.append(("clear", "$Indicators.$%s$%d" % (CLAIM_COL, IND_ROW[key]),
                     ""))
    rows.append(("end", "", ""))
    for i, (op, target, value) in enumerate(rows):
        r = 6 + i
        put(sh, "A%d" % r, op)
        put(sh, "B%d" % r, target)
        if value:
            put(sh, "C%d" % r, value)


def protect_sheets(book):
    for name in ["Input", "Indicators", "Trend", "History", "KPI", "Series",
                 "Config"] + PRINT_SHEETS:
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
    book.sheet("PrintInput").PageStyle = make_print_page_style(
        book, "kpi_print_portrait", False)
    for name in ("PrintIndicators", "PrintTrend"):
        book.sheet(name).PageStyle = make_print_page_style(
            book, "kpi_print_landscape", True)
    # only the print pages are printed (the PDF: PrintInput,
    # PrintIndicators, PrintTrend)
    for name in SHEETS:
        if name not in PRINT_SHEETS:
            book.sheet(name).setPrintAreas(())
    build_probe(book)
    build_input(book)
    build_history(book)
    build_series(book)
    build_indicators(book)
    build_trend(book)
    build_print_input(book)
    build_print_indicators(book)
    pt_h0, pt_y1 = build_print_trend(book)
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
    build_charts(book, "PrintTrend", pt_h0, pt_y1, PT_COLS, "L", True)
    for row, _k, _z, _e in ITEMS:
        cell(inp, "C%d" % row).setString("")
    cell(inp, YEAR_CELL).setString("")
    cell(hist, "A%d:%s%d" % (HIST_FIRST_ROW, HIST_LAST_COL, HIST_LAST_ROW)
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
        for key, text in data.get("report_notes", {}).items():
            put(inp, "C%d" % NOTE_ROW[key], text)
        ind = doc.Sheets.getByName("Indicators")
        for key, claim in data.get("claims", {}).items():
            put(ind, "%s%d" % (CLAIM_COL, IND_ROW[key]), claim)
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
        # what the report itself says (Indicators, column L)
        "claims": {"certrate": 0.912, "adoptrate": 0.96, "lost_cases": 0,
                   "doubledecline": YES},
        # the report's figures without an indicator
        "report_notes": {
            "note_training": "每季度一次邀请法律顾问或上级有关部门专家开展执法业务和法律"
                             "知识培训（报告九）；邀请乡法律顾问开展“三项制度”培训（报告三）",
            "note_equipment": "执法记录仪13台，防刺服、头盔、手电等14套；全年执法费用"
                              "支出4万余元（报告三）",
            "note_problems": "专项治理罗列问题8条（报告一）；存在问题：法治意识有待加强、"
                             "执法人员力量不足、执法中重实体轻程序（报告“存在问题”部分）",
            "note_other": "2020年11月通过省级规范化中队验收（报告一）",
        },
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
        # no developer path: the source cell is printed
        source = ("模拟数据，非真实统计（随机种子 %d）。 Synthetic data, not real "
                  "statistics (seed %d)." % (SEED, SEED))
        # court appearances: from their own random numbers, so that the
        # other figures stay those of earlier versions
        arng = random.Random("%d-%s" % (SEED, slug))
        for year in COUNTY_YEARS:
            v = series[year]
            due = round(v["suits"] * arng.uniform(0.5, 0.9))
            v["appear_due"] = due
            v["appeared"] = binom(arng, due, arng.uniform(0.5, 0.95))
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
