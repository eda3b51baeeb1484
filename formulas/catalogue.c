/* catalogue.c - the function catalogue; see catalogue.h.
 *
 * To add a function: write its entry point in addin/funcs/, add a row here,
 * rebuild. The IDL, the CalcAddIns.xcu and the reference docs follow. */
#include "catalogue.h"

#include <string.h>

#define REQ(n, nz, he, hz)                                                     \
    {                                                                          \
        n, nz, he, hz, 0, 0                                                    \
    }
#define OPT(n, nz, he, hz)                                                     \
    {                                                                          \
        n, nz, he, hz, 1, 0                                                    \
    }
#define VAR(n, nz, he, hz)                                                     \
    {                                                                          \
        n, nz, he, hz, 1, 1                                                    \
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
     kpi_fn_certrate,
     2,
     {REQ("certified", "已持证人数", "Officers who hold a certificate.",
          "已持有执法证件的人数。"),
      REQ("required", "应持证人数",
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
     kpi_fn_adoptrate,
     2,
     {REQ("adopted", "采纳意见数", "Opinions adopted.", "被采纳的意见条数。"),
      REQ("given", "反馈意见数", "Opinions given (the denominator).",
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
     kpi_fn_lossrate,
     3,
     {REQ("lost", "败诉数", "Cases lost of the first kind.",
          "第一类案件的败诉（败议）数。"),
      REQ("concluded", "审结数", "Cases concluded of the first kind.",
          "第一类案件的审结数。"),
      VAR("more", "更多",
          "Further pairs: lost, concluded, lost, concluded, ...",
          "更多成对数据：败诉数、审结数、败诉数、审结数……")}},

    {"YOY",
     S_RATES,
     "Year-on-year change: (current - previous) / |previous|.",
     "同比变化：（本年 − 上年）÷ |上年|。",
     "=YOY(12;9)",
     "-0.25 (-25%)",
     kpi_fn_yoy,
     2,
     {REQ("previous", "上年值", "Last year's figure.", "上一年的数值。"),
      REQ("current", "本年值", "This year's figure.", "本年的数值。")}},

    {"CAGR",
     S_RATES,
     "Compound annual growth rate: (last / first)^(1 / periods) - 1.",
     "年均复合增长率：（末值 ÷ 初值）^(1 ÷ 期数) − 1。",
     "=CAGR(120;173;5)",
     "0.0759 (7.6%)",
     kpi_fn_cagr,
     3,
     {REQ("first", "初值", "The figure of the first year (> 0).",
          "起始年份的数值（须大于 0）。"),
      REQ("last", "末值", "The figure of the last year (>= 0).",
          "末尾年份的数值（不小于 0）。"),
      REQ("periods", "期数", "Number of years between them (> 0).",
          "两者相隔的年数（须大于 0）。")}},

    {"DOUBLEDECLINE",
     S_RATES,
     "Double decline check: TRUE (1) when both the number of administrative "
     "disputes and the litigation loss rate fell versus last year.",
     "“双下降”检查：行政争议发案量和败诉率均比上年下降时为 TRUE（1）。",
     "=DOUBLEDECLINE(5;3;0.2;0)",
     "1 (TRUE)",
     kpi_fn_doubledecline,
     5,
     {REQ("cases_prev", "上年发案量", "Disputes last year.",
          "上一年的行政争议发案量。"),
      REQ("cases_cur", "本年发案量", "Disputes this year.",
          "本年的行政争议发案量。"),
      REQ("rate_prev", "上年败诉率", "Loss rate last year (0 to 1).",
          "上一年的败诉率（0 到 1）。"),
      REQ("rate_cur", "本年败诉率", "Loss rate this year (0 to 1).",
          "本年的败诉率（0 到 1）。"),
      OPT("zero_holds", "零值视为下降",
          "TRUE: a figure that was 0 and stays 0 counts as fallen. Default "
          "FALSE (strict).",
          "为 TRUE 时，上年为 0 且本年仍为 0 的指标视为下降；默认 FALSE"
          "（严格）。")}},
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
