"""The layout of the kpicalc yearly workbook: one place for every position.

Imported by samples/make_samples.py (which builds the template and the
samples) and by tests/samples/run.py (which checks them). The C command
`kpicalc new-year` does not import this: it reads the rollover plan that the
template's hidden Config sheet computes (see docs/templates.md).
"""
import os
import sys

# col_letter lives in tests/calc/testkit.py (plain Python), shared with the
# test runners; importable here whatever the caller put on sys.path.
_TESTKIT_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "tests", "calc")
if _TESTKIT_DIR not in sys.path:
    sys.path.append(_TESTKIT_DIR)
from testkit import col_letter  # noqa: E402  (layout.col_letter for callers)

# Input sheet: (key, 中文, English) per input row, in sections. Column C
# holds this year's figure, D last year's (read from the History sheet), E
# where this year's figure comes from.
SECTIONS = [
    ("执法人员", "Law-enforcement officers", [
        ("required", "应持证人数", "Officers required to hold a certificate"),
        ("certified", "已持证人数", "Officers holding a certificate"),
        ("exam", "参加执法证考试人数",
         "New officers sitting the certificate exam"),
    ]),
    ("合法性审查", "Legality review", [
        ("reviews", "合法性审查事项数", "Legality reviews"),
        ("offices", "涉及科室数", "Offices whose matters were reviewed"),
        ("adviser", "法律顾问参与联审数",
         "Reviews joined by the legal adviser"),
        ("opinions", "反馈审查意见数", "Review opinions given"),
        ("adopted", "采纳意见数", "Review opinions adopted"),
    ]),
    ("行政争议", "Administrative disputes", [
        ("disputes", "行政争议发案量",
         "New disputes (lawsuits + reconsideration applications)"),
        ("suits", "行政诉讼审结数", "Lawsuits concluded"),
        ("suits_lost", "行政诉讼败诉数", "Lawsuits lost"),
        ("recons", "行政复议审结数", "Reconsiderations concluded"),
        ("recons_lost", "行政复议败议数",
         "Reconsiderations lost (act revoked, changed or declared unlawful)"),
        ("lost_other", "败诉败议数（未分列）",
         "Cases lost, kind not stated (counted in cases lost, not in the "
         "loss rate)"),
    ]),
    ("执法与公开", "Enforcement and disclosure", [
        ("penalties", "行政处罚件数", "Administrative penalties"),
        ("licences", "行政许可件数", "Administrative licences"),
        ("disclosed", "主动公开政府信息数",
         "Government information disclosed proactively"),
        ("requests", "依申请公开数", "Information disclosed on request"),
        ("cameras", "执法记录仪配置数", "Body cameras in service"),
    ]),
    # appended (issue 11): rows 9-30 and History columns B-U stay where
    # they were; these two take rows 32-33 and History columns V-W
    ("行政应诉", "Court appearances", [
        ("appear_due", "应出庭应诉案件数（开庭审理的行政诉讼案件数）",
         "Lawsuits heard in court (the agency head should appear)"),
        ("appeared", "负责人出庭应诉案件数",
         "Lawsuits where the agency head appeared in court"),
    ]),
]

# part <= whole: the input validation and the notes know these pairs
PAIRS = {"certified": "required", "adviser": "reviews",
         "adopted": "opinions", "suits_lost": "suits",
         "recons_lost": "recons", "appeared": "appear_due"}

INPUT_HEADER_ROW = 7      # 1-based row of the input table's header
INPUT_TITLE = ("行政执法工作年度数据", "Annual law-enforcement figures")
UNIT_CELL = "C2"
YEAR_CELL = "C3"
SOURCE_CELL = "C4"
SETTINGS = [  # (name, cell on Input, 中文, English, default)
    ("Confidence", "H2", "置信水平", "Confidence level", 0.95),
    ("Alpha", "H3", "显著性水平 α", "Significance level α", 0.05),
    # 是/否 from a dropdown (issue 11): a loss rate 0 last year and 0 this
    # year counts as fallen by default, as the seed report counts it
    ("ZeroHolds", "H4", "双下降：败诉率上年为0、本年仍为0，计为下降？",
     "Double decline: loss rate 0 → 0 counts as fallen?", "是"),
]
YES, NO = "是", "否"
CHECK_COL = "F"  # Input: what is wrong with a figure typed in column C


def input_rows():
    """[(row, key, zh, en)] for the input items and [(row, zh, en)] for the
    section headings, 1-based rows of the Input sheet."""
    items, heads = [], []
    row = INPUT_HEADER_ROW + 1
    for zh, en, entries in SECTIONS:
        heads.append((row, zh, en))
        row += 1
        for key, izh, ien in entries:
            items.append((row, key, izh, ien))
            row += 1
    return items, heads


ITEMS, HEADS = input_rows()
KEYS = [k for _, k, _, _ in ITEMS]
ITEM_ROW = {k: r for r, k, _, _ in ITEMS}


# History sheet: one row per year. Column A the year, then one column per
# input item in ITEMS order, then a source note.
HIST_FIRST_ROW = 5
HIST_LAST_ROW = 104
# the 19 keys of layout version 1 in B-T, the source note in U, keys added
# later after it (V, W, ...): a column never moves
HIST_V1_KEYS = 19
HIST_COL = {k: col_letter(1 + i + (i >= HIST_V1_KEYS))
            for i, k in enumerate(KEYS)}
HIST_SOURCE_COL = col_letter(1 + HIST_V1_KEYS)
HIST_LAST_COL = col_letter(1 + len(KEYS))

# Input: the report's figures without an indicator (free text, one row
# each, C:E merged), below the input table and its legend.
NOTE_ITEMS = [
    ("note_training", "执法培训", "Training of officers"),
    ("note_equipment", "执法装备与经费", "Equipment and spending"),
    ("note_problems", "发现的问题", "Problems found"),
    ("note_other", "其他情况", "Other"),
]
NOTES_HEAD_ROW = ITEMS[-1][0] + 4
NOTE_ROW = {k: NOTES_HEAD_ROW + 1 + i for i, (k, *_r) in
            enumerate(NOTE_ITEMS)}

# Trend window: the report year and the 6 before it.
TREND_YEARS = 7

# The add-in probe. Without the kpicalc extension (Excel, WPS, Gnumeric, a
# LibreOffice without it) every add-in call is #NAME? (ERROR.TYPE 5; Calc
# 7.4: error 525, shown "#NAME?"). One named cell on the hidden Series sheet
# says whether the add-in answers; every cell that calls the add-in or
# judges a value that does shows NEEDS_ADDIN instead when it does not, so a
# missing add-in never looks like the analyst's error or a plausible value.
# The probe is volatile (RAND()), so Calc, Excel and Gnumeric recompute it
# on loading even when they keep the other cached results.
ADDIN_NAME = "KpicalcAddin"
ADDIN_SHEET = "Series"
ADDIN_LABEL_CELL = "A11"
ADDIN_CELL = "B11"
ADDIN_PROBE = "=ISNUMBER(CERTRATE(1;2+0*RAND()))"
NEEDS_ADDIN = "需要 kpicalc 扩展 / needs the kpicalc add-in"
# Indicators (and Trend series) whose value is an add-in call.
ADDIN_INDICATORS = ("certrate", "adoptrate", "lossrate", "doubledecline")
# The banner on the Input sheet (empty while the add-in answers).
INPUT_BANNER_CELL = "A6"

# Indicators sheet rows (1-based) and the KPI keys, in order.
IND_FIRST_ROW = 5
INDICATORS = [
    # key, 中文, English, kind (rate/ratio/count/flag), target, direction
    ("certrate", "持证率", "Certification rate", "rate", 0.95, ">="),
    ("adoptrate", "审查意见采纳率", "Adoption rate of review opinions",
     "rate", 0.90, ">="),
    ("adviser_rate", "法律顾问参与率",
     "Share of reviews joined by the legal adviser", "rate", 0.80, ">="),
    ("reviews_per_office", "每科室审查事项", "Reviews per office", "ratio",
     None, None),
    ("lossrate", "败诉率（诉讼+复议）",
     "Loss rate (lawsuits + reconsiderations)", "rate", 0.10, "<="),
    ("lost_cases", "败诉败议案件数", "Cases lost", "count", None, None),
    ("disputes", "行政争议发案量", "New administrative disputes", "count",
     None, None),
    ("doubledecline", "“双下降”（发案量、败诉率）",
     "Double decline (disputes and loss rate)", "flag", 1, ">="),
    ("penalties", "行政处罚", "Administrative penalties", "count", None,
     None),
    ("licences", "行政许可", "Administrative licences", "count", None, None),
    ("disclosed", "主动公开信息", "Information disclosed proactively",
     "count", None, None),
    ("requests", "依申请公开", "Information disclosed on request", "count",
     None, None),
    ("appearance_rate", "行政机关负责人出庭应诉率",
     "Court appearance rate of agency heads", "rate", 0.80, ">="),
]
# Indicators: the report's own claim (typed) and whether it agrees
CLAIM_COL, CLAIM_CHECK_COL = "L", "M"
# the texts of a rate whose denominator is 0 (a valid state)
ZERO_TEXT = {"lossrate": "无审结案件", "appearance_rate": "无开庭案件"}
# 双下降 reasons (KPI doubledecline_reason, /work/notes/kpi-keys.md)
DD_REASONS = ["双下降", "败诉率上升", "发案量上升", "发案量未下降",
              "败诉率持平(0→0，按规则计为下降)",
              "败诉率持平(0→0，按规则不计为下降)", "败诉率未下降",
              "本年无审结案件", "数据缺失"]
IND_ROW = {k: IND_FIRST_ROW + i for i, (k, *_r) in enumerate(INDICATORS)}

# Trend sheet: statistics rows, then the series table (one row per year).
TREND_STATS_FIRST_ROW = 7
TREND_SERIES = [
    # key, column on Trend, 中文, English, kind
    ("certrate", "B", "持证率", "Certification rate", "rate"),
    ("adoptrate", "E", "采纳率", "Adoption rate", "rate"),
    ("adviser_rate", "H", "法律顾问参与率", "Adviser share", "rate"),
    ("lossrate", "I", "败诉率", "Loss rate", "rate"),
    ("lost_cases", "J", "败诉败议数", "Cases lost", "count"),
    ("disputes", "K", "行政争议", "Disputes", "count"),
    ("penalties", "L", "行政处罚", "Penalties", "count"),
    ("licences", "M", "行政许可", "Licences", "count"),
    ("disclosed", "N", "主动公开", "Proactive disclosures", "count"),
    ("requests", "O", "依申请公开", "Disclosures on request", "count"),
]
TREND_STAT_ROW = {k: TREND_STATS_FIRST_ROW + i
                  for i, (k, *_r) in enumerate(TREND_SERIES)}
TREND_TABLE_HEADER_ROW = TREND_STATS_FIRST_ROW + len(TREND_SERIES) + 2
TREND_TABLE_FIRST_ROW = TREND_TABLE_HEADER_ROW + 1
TREND_TABLE_LAST_ROW = TREND_TABLE_FIRST_ROW + TREND_YEARS - 1

# The KPI sheet (read by `kpicalc recalc --summary`): key, 中文, English,
# formula of the value.
def _ind(key, col="B"):
    return "Indicators.$%s$%d" % (col, IND_ROW[key])


def _kpi_ref(ref):
    """The indicator's value; #N/A when it is empty or a text of a valid
    state without a value (无审结案件); the needs-add-in text passes."""
    return '=IF(ISNUMBER({r});{r};IF({r}="";NA();IF({r}="{n}";{r};NA())))' \
        .format(r=ref, n=NEEDS_ADDIN)


def _trend(key, col):
    return "Trend.$%s$%d" % (col, TREND_STAT_ROW[key])


KPI = [
    ("year", "年度", "Year", '=IF(ReportYear="";NA();ReportYear)'),
    ("unit", "单位", "Unit", '=IF(ReportUnit="";NA();ReportUnit)'),
    ("certrate", "持证率", "Certification rate", _kpi_ref(_ind("certrate"))),
    ("certrate_lo", "持证率区间下限", "Certification rate, CI lower",
     _kpi_ref(_ind("certrate", "H"))),
    ("certrate_hi", "持证率区间上限", "Certification rate, CI upper",
     _kpi_ref(_ind("certrate", "I"))),
    ("adoptrate", "审查意见采纳率", "Adoption rate",
     _kpi_ref(_ind("adoptrate"))),
    ("adoptrate_lo", "采纳率区间下限", "Adoption rate, CI lower",
     _kpi_ref(_ind("adoptrate", "H"))),
    ("adoptrate_hi", "采纳率区间上限", "Adoption rate, CI upper",
     _kpi_ref(_ind("adoptrate", "I"))),
    ("adviser_rate", "法律顾问参与率", "Share of reviews joined by the adviser",
     _kpi_ref(_ind("adviser_rate"))),
    ("reviews", "合法性审查事项数", "Legality reviews",
     '=IF(COUNT(cur_reviews)=0;NA();cur_reviews)'),
    ("lossrate", "败诉率", "Loss rate", _kpi_ref(_ind("lossrate"))),
    ("lost_cases", "败诉败议案件数", "Cases lost", _kpi_ref(_ind("lost_cases"))),
    ("disputes", "行政争议发案量", "New administrative disputes",
     _kpi_ref(_ind("disputes"))),
    ("doubledecline", "双下降", "Double decline (1 yes, 0 no)",
     _kpi_ref(_ind("doubledecline"))),
    ("penalties", "行政处罚", "Administrative penalties",
     _kpi_ref(_ind("penalties"))),
    ("licences", "行政许可", "Administrative licences",
     _kpi_ref(_ind("licences"))),
    ("disclosed", "主动公开信息", "Information disclosed proactively",
     _kpi_ref(_ind("disclosed"))),
    ("requests", "依申请公开", "Information disclosed on request",
     _kpi_ref(_ind("requests"))),
    ("certrate_trend", "持证率趋势方向", "Certification rate trend (1/0/-1)",
     "=" + _trend("certrate", "J")),
    ("adoptrate_trend", "采纳率趋势方向", "Adoption rate trend (1/0/-1)",
     "=" + _trend("adoptrate", "J")),
    ("lossrate_trend", "败诉率趋势方向", "Loss rate trend (1/0/-1)",
     "=" + _trend("lossrate", "J")),
    ("disputes_trend", "发案量趋势方向", "Disputes trend (1/0/-1)",
     "=" + _trend("disputes", "J")),
    ("disputes_senslope", "发案量 Sen 斜率", "Disputes, Sen slope per year",
     "=" + _trend("disputes", "G")),
    ("disputes_forecast", "发案量下一年预测", "Disputes, forecast next year",
     "=" + _trend("disputes", "K")),
]


def _counts(pairs, value):
    """VALUE when every (part, whole) of PAIRS is a whole number, part <=
    whole; else #N/A (no add-in needed)."""
    cells = [c for p in pairs for c in p]
    ok = []
    for x, n in pairs:
        ok += ["%s>=0" % x, "%s>=%s" % (n, x), "%s=INT(%s)" % (x, x),
               "%s=INT(%s)" % (n, n)]
    return "=IF(COUNT(%s)<%d;NA();IF(AND(%s);%s;NA()))" % (
        ";".join(cells), len(cells), ";".join(ok), value)


def _pair(side, x, n):
    return ("%s_%s" % (side, x), "%s_%s" % (side, n))


KPI += [
    ("certrate_num", "已持证人数", "Officers holding a certificate",
     _counts([_pair("cur", "certified", "required")], "cur_certified")),
    ("certrate_den", "应持证人数", "Officers required to hold one",
     _counts([_pair("cur", "certified", "required")], "cur_required")),
    ("adoptrate_num", "采纳意见数", "Review opinions adopted",
     _counts([_pair("cur", "adopted", "opinions")], "cur_adopted")),
    ("adoptrate_den", "反馈意见数", "Review opinions given",
     _counts([_pair("cur", "adopted", "opinions")], "cur_opinions")),
    ("adviser_rate_num", "法律顾问参与联审数",
     "Reviews joined by the legal adviser",
     _counts([_pair("cur", "adviser", "reviews")], "cur_adviser")),
    ("adviser_rate_den", "合法性审查事项数", "Legality reviews",
     _counts([_pair("cur", "adviser", "reviews")], "cur_reviews")),
    ("lossrate_num", "败诉败议案件数", "Lawsuits and reconsiderations lost",
     _counts([_pair("cur", "suits_lost", "suits"),
              _pair("cur", "recons_lost", "recons")],
             "cur_suits_lost+cur_recons_lost")),
    ("lossrate_den", "审结案件数", "Lawsuits and reconsiderations concluded",
     _counts([_pair("cur", "suits_lost", "suits"),
              _pair("cur", "recons_lost", "recons")],
             "cur_suits+cur_recons")),
    ("appearance_rate", "行政机关负责人出庭应诉率",
     "Court appearance rate of agency heads",
     _kpi_ref(_ind("appearance_rate"))),
    ("appearance_rate_num", "负责人出庭应诉案件数",
     "Lawsuits where the agency head appeared",
     _counts([_pair("cur", "appeared", "appear_due")], "cur_appeared")),
    ("appearance_rate_den", "应出庭应诉案件数（开庭审理的行政诉讼案件数）",
     "Lawsuits heard in court",
     _counts([_pair("cur", "appeared", "appear_due")], "cur_appear_due")),
    ("disputes_prev", "上年行政争议发案量", "New disputes, last year",
     '=IF(COUNT(prev_disputes)=0;NA();prev_disputes)'),
    ("lossrate_prev_num", "上年败诉败议案件数", "Cases lost, last year",
     _counts([_pair("prev", "suits_lost", "suits"),
              _pair("prev", "recons_lost", "recons")],
             "prev_suits_lost+prev_recons_lost")),
    ("lossrate_prev_den", "上年审结案件数", "Cases concluded, last year",
     _counts([_pair("prev", "suits_lost", "suits"),
              _pair("prev", "recons_lost", "recons")],
             "prev_suits+prev_recons")),
    # the formula is made by make_samples.py (dd_reason_formula)
    ("doubledecline_reason", "双下降判定理由", "Double decline: reason",
     None),
    ("inputs_filled", "已填写输入项数", "Input cells filled",
     "=COUNTA(%s)" % ";".join("cur_" + k for k in KEYS)),
]
KPI_KEYS = [k for k, *_r in KPI]


def kpi_format(key):
    """Number format of a KPI value: rates to 4 decimals, counts whole."""
    if key in ("year", "unit", "reviews", "lost_cases", "disputes",
               "doubledecline", "penalties", "licences", "disclosed",
               "requests", "disputes_prev", "inputs_filled",
               "doubledecline_reason") or \
            key.endswith(("_trend", "_num", "_den")):
        return "0"
    if key.endswith(("_senslope", "_forecast")):
        return "0.00"
    return "0.0000"

# Chinese-only pages for printing (issue 11): the only sheets with print
# ranges; the working sheets stay bilingual
PRINT_SHEETS = ["PrintInput", "PrintIndicators", "PrintTrend"]
# the order of the indicators on PrintIndicators (rows 5, 6, ...)
PRINT_ORDER = ["certrate", "adoptrate", "adviser_rate", "reviews_per_office",
               "appearance_rate", "lossrate", "lost_cases", "disputes",
               "doubledecline", "penalties", "licences", "disclosed",
               "requests"]
SHEETS = ["Input", "Indicators", "Trend", "History", "KPI"] + PRINT_SHEETS + [
    "Series", "Config"]
HIDDEN_SHEETS = ["Series", "Config"]
