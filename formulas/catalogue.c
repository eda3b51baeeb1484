/* catalogue.c - the function catalogue; see catalogue.h.
 *
 * To add a function: write its core routine (addin/core/) and its wrapper
 * (addin/funcs/funcs_*.c), add a row here and its entry point to
 * addin/funcs/kpi_bindings.c, rebuild. The IDL, the CalcAddIns.xcu and the
 * reference docs follow; the binder applies what a row says.
 *
 * A row: name, section, help (en, zh), example formula, its result,
 * number of parameters, then one macro per parameter:
 *   REQ(KIND, name, name_zh, help_en, help_zh)       required
 *   OPT(KIND, default, name, ...)                    optional number-like
 *   OPTION("default", name, ...)                     optional text option
 *   YEARS(name, ...)                                 optional years (1..n)
 *   VAR(KIND, name, ...)                             repeated, last only
 * KIND is COUNT, NUMBER, RATE, LEVEL, FLAG, BOUND, OPTION, SERIES or YEARS
 * (catalogue.h). A help text never states the default: kpi-gen appends
 * it from the row ("Default: 0.95."), and refuses a help with "default". */
#include "catalogue.h"

#include <string.h>

#define PARAM(n, nz, he, hz, k)                                                \
    .name = n, .name_zh = nz, .help_en = he, .help_zh = hz, .kind = KPI_KIND_##k
#define REQ(k, n, nz, he, hz)                                                  \
    {                                                                          \
        PARAM(n, nz, he, hz, k)                                                \
    }
#define OPT(k, d, n, nz, he, hz)                                               \
    {                                                                          \
        PARAM(n, nz, he, hz, k), .optional = 1, .dflt = (d)                    \
    }
#define OPTION(d, n, nz, he, hz)                                               \
    {                                                                          \
        PARAM(n, nz, he, hz, OPTION), .optional = 1, .dflt_text = (d)          \
    }
#define YEARS(n, nz, he, hz)                                                   \
    {                                                                          \
        PARAM(n, nz, he, hz, YEARS), .optional = 1                             \
    }
#define VAR(k, n, nz, he, hz)                                                  \
    {                                                                          \
        PARAM(n, nz, he, hz, k), .optional = 1, .varargs = 1                   \
    }

#define S_RATES "Rates and changes"
#define S_CI "Uncertainty of a rate"
#define S_OLS "Linear trend"
#define S_MK "Nonparametric trend"

const kpi_function_desc kpi_catalogue[] = {
    {"CERTRATE",
     S_RATES,
     "Certification rate: officers holding a law-enforcement certificate "
     "divided by the officers who must hold one. Takes ranges element by "
     "element in an array formula.",
     "持证率：已持有行政执法证件的人数除以应持证人数。在数组公式中可逐个元素"
     "处理区域。",
     "=CERTRATE(31;34)",
     "0.9118 (91.2%)",
     2,
     {REQ(COUNT, "certified", "已持证人数", "Officers who hold a certificate.",
          "已持有执法证件的人数。"),
      REQ(COUNT, "required", "应持证人数",
          "Officers who must hold a certificate (the denominator).",
          "应当持证的执法人员人数（分母）。")}},

    {"ADOPTRATE",
     S_RATES,
     "Adoption rate: legality-review opinions adopted divided by opinions "
     "given. Takes ranges element by element in an array formula.",
     "采纳率：被采纳的合法性审查意见数除以提出的意见数。在数组公式中可逐个"
     "元素处理区域。",
     "=ADOPTRATE(99;103)",
     "0.9612 (96.1%)",
     2,
     {REQ(COUNT, "adopted", "采纳意见数", "Opinions adopted.",
          "被采纳的意见条数。"),
      REQ(COUNT, "given", "反馈意见数", "Opinions given (the denominator).",
          "反馈的审查意见条数（分母）。")}},

    {"LOSSRATE",
     S_RATES,
     "Litigation loss rate: cases lost divided by cases concluded, summed "
     "over pairs (lawsuits, reconsiderations, ...). Each lost count may not "
     "exceed its concluded count.",
     "败诉率：败诉（败议）案件数之和除以审结案件数之和，可按行政诉讼、行政"
     "复议等成对给出。每一对中败诉数不得超过审结数。",
     "=LOSSRATE(1;8;0;4)",
     "0.0833 (8.3%)",
     3,
     {REQ(COUNT, "lost", "败诉数", "Cases lost of the first kind.",
          "第一类案件的败诉（败议）数。"),
      REQ(COUNT, "concluded", "审结数", "Cases concluded of the first kind.",
          "第一类案件的审结数。"),
      VAR(COUNT, "more", "更多",
          "Further pairs: lost, concluded, lost, concluded, ...",
          "更多成对数据：败诉数、审结数、败诉数、审结数……")}},

    {"YOY",
     S_RATES,
     "Year-on-year change: (current - previous) / |previous|.",
     "同比变化：（本年 − 上年）÷ |上年|。",
     "=YOY(12;9)",
     "-0.25 (-25%)",
     2,
     {REQ(NUMBER, "previous", "上年值", "Last year's figure.",
          "上一年的数值。"),
      REQ(NUMBER, "current", "本年值", "This year's figure.", "本年的数值。")}},

    {"CAGR",
     S_RATES,
     "Compound annual growth rate: (last / first)^(1 / periods) - 1.",
     "年均复合增长率：（末值 ÷ 初值）^(1 ÷ 期数) − 1。",
     "=CAGR(120;173;5)",
     "0.0759 (7.6%)",
     3,
     {REQ(NUMBER, "first", "初值", "The figure of the first year (> 0).",
          "起始年份的数值（须大于 0）。"),
      REQ(NUMBER, "last", "末值", "The figure of the last year (>= 0).",
          "末尾年份的数值（不小于 0）。"),
      REQ(NUMBER, "periods", "期数", "Number of years between them (> 0).",
          "两者相隔的年数（须大于 0）。")}},

    {"DOUBLEDECLINE",
     S_RATES,
     "Double decline check: TRUE (1) when both the number of administrative "
     "disputes and the litigation loss rate fell versus last year.",
     "“双下降”检查：行政争议发案量和败诉率均比上年下降时为 TRUE（1）。",
     "=DOUBLEDECLINE(5;3;0.2;0)",
     "1 (TRUE)",
     5,
     {REQ(COUNT, "cases_prev", "上年发案量", "Disputes last year.",
          "上一年的行政争议发案量。"),
      REQ(COUNT, "cases_cur", "本年发案量", "Disputes this year.",
          "本年的行政争议发案量。"),
      REQ(RATE, "rate_prev", "上年败诉率", "Loss rate last year (0 to 1).",
          "上一年的败诉率（0 到 1）。"),
      REQ(RATE, "rate_cur", "本年败诉率", "Loss rate this year (0 to 1).",
          "本年的败诉率（0 到 1）。"),
      OPT(FLAG, 0, "zero_holds", "零值视为下降",
          "TRUE: a figure that was 0 and stays 0 counts as fallen; FALSE: "
          "strict.",
          "为 TRUE 时，上年为 0 且本年仍为 0 的指标视为下降；为 FALSE 时"
          "严格比较。")}},

    {"RATECI",
     S_CI,
     "Confidence interval of a rate x/n: a 1x2 array {lower, upper}. Methods: "
     "\"wilson\", \"exact\" (Clopper-Pearson), \"jeffreys\", \"agresti\" "
     "(Agresti-Coull). With ranges of counts, one row per element.",
     "比率 x/n 的置信区间：返回 1×2 数组 {下限, 上限}。方法：\"wilson\"、"
     "\"exact\"（Clopper-Pearson 精确法）、\"jeffreys\"、\"agresti\"（Agresti-"
     "Coull）。计数为区域时，每个元素一行。",
     "=INDEX(RATECI(31;34);1;1)",
     "0.7704 (lower limit, Wilson 95%)",
     4,
     {REQ(COUNT, "successes", "成功数", "Successes, e.g. officers certified.",
          "成功次数，如已持证人数。"),
      REQ(COUNT, "trials", "总数",
          "Trials, e.g. officers who must be certified.",
          "试验总数，如应持证人数。"),
      OPT(LEVEL, 0.95, "confidence", "置信水平", "Confidence level in (0, 1).",
          "置信水平，介于 0 和 1 之间。"),
      OPTION("wilson", "method", "方法",
             "\"wilson\", \"exact\", \"jeffreys\" or \"agresti\".",
             "\"wilson\"、\"exact\"、\"jeffreys\" 或 \"agresti\"。")}},

    {"RATETEST",
     S_CI,
     "Two-sided p-value that two rates x1/n1 and x2/n2 differ: Fisher's exact "
     "test (\"fisher\") or the pooled two-proportion z test (\"z\").",
     "两个比率 x1/n1 与 x2/n2 是否不同的双侧 p 值：Fisher 精确检验"
     "（\"fisher\"）或合并的两比例 z 检验（\"z\"）。",
     "=RATETEST(2;12;0;10)",
     "0.4805 (no evidence of a difference)",
     5,
     {REQ(COUNT, "x1", "x1", "Successes in the first group (e.g. last year).",
          "第一组的成功数（如上年）。"),
      REQ(COUNT, "n1", "n1", "Trials in the first group.", "第一组的总数。"),
      REQ(COUNT, "x2", "x2", "Successes in the second group (e.g. this year).",
          "第二组的成功数（如本年）。"),
      REQ(COUNT, "n2", "n2", "Trials in the second group.", "第二组的总数。"),
      OPTION("fisher", "method", "方法", "\"fisher\" or \"z\".",
             "\"fisher\" 或 \"z\"。")}},

    {"TRENDSLOPE",
     S_OLS,
     "Linear trend: the least-squares slope per year of a series. Empty or "
     "text cells are skipped; without years the figures are 1, 2, ..., n "
     "years apart.",
     "线性趋势：序列按年的最小二乘斜率。空单元格或文本跳过；不给年份时按 1, "
     "2, …, n 计。",
     "=TRENDSLOPE({5;4;4;3;2};{2016;2017;2018;2019;2020})",
     "-0.7 per year",
     2,
     {REQ(SERIES, "values", "数值", "The yearly figures (a row or a column).",
          "各年数值（一行或一列）。"),
      YEARS("years", "年份", "The years of the figures.",
            "各数值对应的年份。")}},

    {"TRENDPVALUE",
     S_OLS,
     "Two-sided p-value of the linear trend's slope (t test, n - 2 degrees of "
     "freedom); 0 for a perfect line, 1 for a constant series; needs 3 points.",
     "线性趋势斜率的双侧 p 值（t 检验，自由度 n − 2）；完全共线为 0，常数序列"
     "为 1；至少需要 3 个点。",
     "=TRENDPVALUE({5;4;4;3;2};{2016;2017;2018;2019;2020})",
     "0.0060",
     2,
     {REQ(SERIES, "values", "数值", "The yearly figures.", "各年数值。"),
      YEARS("years", "年份", "The years.", "年份。")}},

    {"TRENDFORECAST",
     S_OLS,
     "Linear-trend forecast at a target year; bound -1 or 1 gives the lower "
     "or upper limit of the prediction interval of a new observation.",
     "按线性趋势预测目标年份的数值；bound 为 −1 或 1 时给出新观测值预测区间的"
     "下限或上限。",
     "=TRENDFORECAST({5;4;4;3;2};{2016;2017;2018;2019;2020};2021)",
     "1.5 (fitted value for 2021)",
     5,
     {REQ(SERIES, "values", "数值", "The yearly figures.", "各年数值。"),
      YEARS("years", "年份", "The years of the figures (may be left empty).",
            "各数值对应的年份（可留空）。"),
      REQ(NUMBER, "target_year", "目标年份", "The year to forecast.",
          "要预测的年份。"),
      OPT(LEVEL, 0.95, "confidence", "置信水平", "Confidence level.",
          "置信水平。"),
      OPT(BOUND, 0, "bound", "界限",
          "0: fitted value; -1: lower limit; 1: upper limit.",
          "0：拟合值；−1：下限；1：上限。")}},

    {"TRENDSTATS",
     S_OLS,
     "Linear trend statistics as a 1x7 array: {slope, intercept, se(slope), "
     "se(intercept), R², p-value, n}.",
     "线性趋势统计量（1×7 数组）：{斜率, 截距, 斜率标准误, 截距标准误, R², "
     "p 值, n}。",
     "=INDEX(TRENDSTATS({5;4;4;3;2});1;5)",
     "0.9423 (R²)",
     2,
     {REQ(SERIES, "values", "数值", "The yearly figures.", "各年数值。"),
      YEARS("years", "年份", "The years.", "年份。")}},

    {"MKTEST",
     S_MK,
     "Mann-Kendall trend test, after ordering by year. output \"p\": "
     "two-sided p-value, exact for n <= 50 without ties; \"papprox\", \"s\", "
     "\"var\", \"z\", \"tau\".",
     "Mann-Kendall 趋势检验（先按年份排序）。output 为 \"p\"：双侧 p 值，"
     "n ≤ 50 且无结时为精确值；也可为 \"papprox\"、\"s\"、\"var\"、\"z\"、"
     "\"tau\"。",
     "=MKTEST({30;25;27;20;18;15;12})",
     "0.0028 (exact)",
     3,
     {REQ(SERIES, "values", "数值", "The yearly figures.", "各年数值。"),
      YEARS("years", "年份", "The years (distinct).", "年份（不得重复）。"),
      OPTION("p", "output", "输出",
             "\"p\", \"papprox\", \"s\", \"var\", \"z\" or \"tau\".",
             "\"p\"、\"papprox\"、\"s\"、\"var\"、\"z\" 或 \"tau\"。")}},

    {"SENSLOPE",
     S_MK,
     "Theil-Sen slope: the median of the pairwise slopes; bound -1 or 1 gives "
     "Sen's confidence limits.",
     "Theil-Sen 斜率：两两斜率的中位数；bound 为 −1 或 1 时给出 Sen 置信限。",
     "=SENSLOPE({30;25;27;20;18;15;12})",
     "-3 per year",
     4,
     {REQ(SERIES, "values", "数值", "The yearly figures.", "各年数值。"),
      YEARS("years", "年份", "The years.", "年份。"),
      OPT(LEVEL, 0.95, "confidence", "置信水平", "Confidence level.",
          "置信水平。"),
      OPT(BOUND, 0, "bound", "界限",
          "0: the slope; -1: lower limit; 1: upper limit.",
          "0：斜率；−1：下限；1：上限。")}},

    {"TRENDDIR",
     S_MK,
     "Trend direction: 1 rising, -1 falling, 0 no significant trend (the sign "
     "of Mann-Kendall's S when its p-value is below alpha).",
     "趋势方向：1 上升，−1 下降，0 无显著趋势（Mann-Kendall 检验 p 值小于 "
     "alpha 时取 S 的符号）。",
     "=TRENDDIR({30;25;27;20;18;15;12})",
     "-1 (falling)",
     3,
     {REQ(SERIES, "values", "数值", "The yearly figures.", "各年数值。"),
      YEARS("years", "年份", "The years (distinct).", "年份（不得重复）。"),
      OPT(LEVEL, 0.05, "alpha", "显著性水平", "Significance level.",
          "显著性水平。")}},

    {"FUNNELLIMITS",
     "Comparing units (county)",
     "Funnel-plot control limit of a rate for a unit with denominator n around "
     "the target rate p0: the exact binomial limit of Spiegelhalter (2005), "
     "interpolated so that it is smooth in n. level is two-sided (0.95, "
     "0.998). With a range of n, an array for drawing the funnel.",
     "漏斗图控制限：分母为 n 的单位在目标比率 p0 下的比率控制限，采用 "
     "Spiegelhalter（2005）的精确二项分布控制限（经插值，随 n "
     "平滑变化）。level 为双侧水平（0.95、0.998）。n "
     "为区域时返回数组，可用于绘制漏斗图。",
     "=FUNNELLIMITS(34;0.95;0.95;\"lower\")",
     "0.8516 (a township with 34 officers below 85.2% is low)",
     4,
     {REQ(COUNT, "n", "分母", "The unit's denominator, e.g. cases concluded.",
          "单位的分母，如审结案件数。"),
      REQ(RATE, "p0", "目标比率",
          "The target or the county's pooled rate (0 to 1).",
          "目标比率或全县合并比率（0 到 1）。"),
      OPT(LEVEL, 0.95, "level", "水平",
          "Two-sided level in (0, 1): 0.95 or 0.998.",
          "双侧水平，介于 0 和 1 之间：0.95 或 0.998。"),
      OPTION("upper", "side", "上下限", "\"upper\" or \"lower\".",
             "\"upper\"（上限）或 \"lower\"（下限）。")}},

    {"FUNNELZ",
     "Comparing units (county)",
     "How far x/n lies from the target rate p0 in funnel terms: the exact "
     "binomial tail as a normal z (positive above p0). |z| > 1.96 (3.09) means "
     "outside the 95% (99.8%) limits of the exact test.",
     "x/n 偏离目标比率 p0 的程度（漏斗图意义）：精确二项尾概率换算的正态 z "
     "值（高于 p0 为正）。|z| > 1.96（3.09）表示在精确检验的 "
     "95%（99.8%）控制限之外。",
     "=FUNNELZ(2;4;0.05)",
     "2.197 (2 of 4 lost against 5%: above the 95% limit)",
     3,
     {REQ(COUNT, "x", "分子", "The unit's count, e.g. cases lost.",
          "单位的计数，如败诉案件数。"),
      REQ(COUNT, "n", "分母", "The unit's denominator.", "单位的分母。"),
      REQ(RATE, "p0", "目标比率", "The target or the county's rate (0 to 1).",
          "目标比率或全县比率（0 到 1）。")}},

    {"RATESHRINK",
     "Comparing units (county)",
     "Empirical-Bayes shrunk rate of a unit x/n: the beta-binomial posterior "
     "mean with a Beta prior fitted by moments to all units' counts xs/ns, for "
     "ranking small units fairly. The pooled rate when the units show no extra "
     "variation.",
     "单位比率 x/n 的经验贝叶斯收缩估计：以全部单位计数 xs/ns 按矩法拟合 Beta "
     "先验后的 "
     "beta-"
     "二项后验均值，用于公平地比较小单位的排名。各单位间没有额外差异时为合并比"
     "率。",
     "=RATESHRINK(1;8;{1;3;0;10;2};{8;20;4;40;30})",
     "0.1527 (1 of 8, pulled toward the pooled 15.7%)",
     4,
     {REQ(COUNT, "x", "分子", "The unit's count.", "本单位的计数。"),
      REQ(COUNT, "n", "分母", "The unit's denominator.", "本单位的分母。"),
      REQ(SERIES, "xs", "各单位分子",
          "Every unit's count (a range; empty or text pairs skipped).",
          "所有单位的计数（区域；含空白或文本的对跳过）。"),
      REQ(SERIES, "ns", "各单位分母",
          "Every unit's denominator, paired with xs.",
          "所有单位的分母，与 xs 一一对应。")}},

    {"POISSONTEST",
     "Comparing units (county)",
     "Two-sided p-value that two counts c1 and c2 (over exposures t1 and t2) "
     "come from the same rate: the exact conditional test (binomial test of c1 "
     "out of c1 + c2), as R's poisson.test.",
     "两个计数 c1 与 c2（暴露量 t1 与 t2）来自同一发生率的双侧 p "
     "值：精确条件检验（c1 在 c1 + c2 中的二项检验），与 R 的 poisson.test "
     "相同。",
     "=POISSONTEST(2;0)",
     "0.5 (2 lost cases to 0 is no evidence of a real fall)",
     4,
     {REQ(COUNT, "c1", "计数1", "The first count (e.g. last year).",
          "第一个计数（如上年）。"),
      REQ(COUNT, "c2", "计数2", "The second count (e.g. this year).",
          "第二个计数（如本年）。"),
      OPT(NUMBER, 1.0, "t1", "暴露量1",
          "Exposure of c1 (> 0), e.g. years or cases handled.",
          "c1 的暴露量（大于 0），如年数或办案数。"),
      OPT(NUMBER, 1.0, "t2", "暴露量2", "Exposure of c2 (> 0).",
          "c2 的暴露量（大于 0）。")}},

    {"COUNTCI",
     "Comparing units (county)",
     "Exact (Garwood) confidence interval of the mean of a Poisson count: a "
     "1x2 array {lower, upper}. With a range of counts, one row per element.",
     "泊松计数均值的精确（Garwood）置信区间：返回 1×2 数组 {下限, "
     "上限}。计数为区域时，每个元素一行。",
     "=INDEX(COUNTCI(5);1;2)",
     "11.67 (upper 95% limit of 5 events)",
     2,
     {REQ(COUNT, "count", "计数", "The count of events, up to 99999.",
          "事件计数，最大 99999。"),
      OPT(LEVEL, 0.95, "confidence", "置信水平", "Confidence level in (0, 1).",
          "置信水平，介于 0 和 1 之间。")}},
};

const size_t kpi_catalogue_count =
    sizeof kpi_catalogue / sizeof kpi_catalogue[0];

const kpi_function_desc *kpi_catalogue_find(const char *name, size_t len)
{
    for (size_t i = 0; i < kpi_catalogue_count; i++)
        if (strlen(kpi_catalogue[i].name) == len &&
            memcmp(kpi_catalogue[i].name, name, len) == 0)
            return &kpi_catalogue[i];
    return NULL;
}

const char *kpi_param_kind_name(kpi_param_kind kind)
{
    switch (kind) {
    case KPI_KIND_COUNT:
        return "count";
    case KPI_KIND_NUMBER:
        return "number";
    case KPI_KIND_RATE:
        return "rate";
    case KPI_KIND_LEVEL:
        return "level";
    case KPI_KIND_FLAG:
        return "flag";
    case KPI_KIND_BOUND:
        return "bound";
    case KPI_KIND_OPTION:
        return "option";
    case KPI_KIND_SERIES:
        return "series";
    case KPI_KIND_YEARS:
        return "years";
    }
    return "?";
}
