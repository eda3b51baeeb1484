/* kpi_rates.c - rates and changes; see kpi_rates.h. */
#include "kpi_rates.h"

#include <math.h>

static kpi_status finite_or_num(double v, double *out)
{
    if (!isfinite(v))
        return KPI_ENUM;
    *out = v;
    return KPI_OK;
}

kpi_status kpi_rate(double part, double whole, double *out)
{
    if (!kpi_is_count(part) || !kpi_is_count(whole))
        return KPI_ENUM;
    if (whole == 0)
        return KPI_EDIV0;
    if (part > whole)
        return KPI_ENUM;
    return finite_or_num(part / whole, out);
}

kpi_status kpi_lossrate(const double *pairs, size_t npairs, double *out)
{
    double sum_lost = 0, sum_concluded = 0;
    for (size_t i = 0; i < npairs; i++) {
        double lost = pairs[2 * i], concluded = pairs[2 * i + 1];
        if (!kpi_is_count(lost) || !kpi_is_count(concluded) || lost > concluded)
            return KPI_ENUM;
        /* the totals are counts too (kpi_check.h); sum_lost <= sum_concluded
         * so it fits when sum_concluded does */
        if (!kpi_count_add(&sum_concluded, concluded) ||
            !kpi_count_add(&sum_lost, lost))
            return KPI_ENUM;
    }
    if (sum_concluded == 0)
        return KPI_EDIV0;
    return finite_or_num(sum_lost / sum_concluded, out);
}

kpi_status kpi_yoy(double previous, double current, double *out)
{
    if (!isfinite(previous) || !isfinite(current))
        return KPI_ENUM;
    if (previous == 0)
        return KPI_EDIV0;
    double diff = current - previous;
    if (!isfinite(diff)) /* the difference overflows; the ratio may not */
        return finite_or_num(
            current / fabs(previous) - previous / fabs(previous), out);
    return finite_or_num(diff / fabs(previous), out);
}

kpi_status kpi_cagr(double first, double last, double periods, double *out)
{
    if (!isfinite(first) || !isfinite(last) || !isfinite(periods))
        return KPI_ENUM;
    if (first <= 0 || last < 0 || periods <= 0)
        return KPI_ENUM;
    /* exp(log(last/first)/periods) - 1. The logarithm of the ratio is
     * log1p((last - first)/first), not log(last) - log(first): near zero
     * growth the two logarithms cancel (CAGR(1E15;1E15+8;4) would lose
     * 11% of its value), while last - first is then exact. expm1 keeps the
     * small result's digits. When the ratio itself overflows (first near
     * DBL_MIN, last near DBL_MAX), the difference of logarithms is the
     * only way and loses nothing there. */
    if (last == 0) {
        *out = -1;
        return KPI_OK;
    }
    double d = (last - first) / first;
    double growth = isfinite(d) ? log1p(d) : log(last) - log(first);
    return finite_or_num(expm1(growth / periods), out);
}

static int fell(double prev, double cur, int zero_holds)
{
    if (cur < prev)
        return 1;
    return zero_holds && prev == 0 && cur == 0;
}

kpi_status kpi_doubledecline(double cases_prev, double cases_cur,
                             double rate_prev, double rate_cur, int zero_holds,
                             double *out)
{
    if (!kpi_is_count(cases_prev) || !kpi_is_count(cases_cur))
        return KPI_ENUM;
    if (!(rate_prev >= 0 && rate_prev <= 1) ||
        !(rate_cur >= 0 && rate_cur <= 1))
        return KPI_ENUM;
    *out = fell(cases_prev, cases_cur, zero_holds) &&
                   fell(rate_prev, rate_cur, zero_holds)
               ? 1.0
               : 0.0;
    return KPI_OK;
}
