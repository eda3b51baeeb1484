/* kpi_rates.h - rates and changes of the yearly report: certification and
 * adoption rates, the litigation loss rate, year-on-year change, compound
 * growth and the "double decline" check (docs/spec.md, "Rates and changes").
 *
 * Counts follow kpi_check.h (whole, >= 0, at most 2^53, else KPI_ENUM; so
 * do LOSSRATE's totals) and a part may not exceed its whole (KPI_ENUM); a
 * zero denominator is
 * KPI_EDIV0; a NaN argument is KPI_ENUM. Results are always finite. */
#ifndef KPI_RATES_H
#define KPI_RATES_H

#include <stddef.h>

#include "kpi_check.h" /* kpi_is_count */
#include "kpi_status.h"

/* part / whole: CERTRATE (certified of required), ADOPTRATE (adopted of
 * given). */
kpi_status kpi_rate(double part, double whole, double *out);

/* sum(lost) / sum(concluded) over npairs pairs given as lost, concluded,
 * lost, concluded, ... in pairs[0 .. 2*npairs); each lost <= its concluded;
 * sum(concluded) above 2^53 is KPI_ENUM (kpi_count_add). */
kpi_status kpi_lossrate(const double *pairs, size_t npairs, double *out);

/* (current - previous) / |previous|. */
kpi_status kpi_yoy(double previous, double current, double *out);

/* (last / first)^(1 / periods) - 1; first <= 0, last < 0 or periods <= 0 is
 * KPI_ENUM. */
kpi_status kpi_cagr(double first, double last, double periods, double *out);

/* 1 when both the dispute count and the loss rate fell, else 0. With
 * zero_holds, a figure that was 0 and stays 0 counts as fallen. */
kpi_status kpi_doubledecline(double cases_prev, double cases_cur,
                             double rate_prev, double rate_cur, int zero_holds,
                             double *out);

#endif
