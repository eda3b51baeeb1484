/* kpi_mk.h - the Mann-Kendall trend test (MKTEST) and TRENDDIR.
 *
 * The series (values y, optional years x) is prepared by kpi_series_prepare:
 * pairs with a NaN member are skipped, missing years are 1..n by position,
 * and the points are ordered by year. Years must be distinct.
 *
 *   S     = sum over i < j of sgn(y_j - y_i)            (O(n log n))
 *   Var   = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18     (t: tie groups in y)
 *   Z     = (S - 1)/sqrt(Var) for S > 0, 0 for S = 0, (S + 1)/sqrt(Var) S < 0
 *   tau   = S / (n(n-1)/2)
 *   p     = exact two-sided permutation p-value when y has no ties and
 *           n <= KPI_MK_EXACT_MAX, else papprox
 *   papprox = 2 Q(|Z|), Q the upper standard normal tail (always normal)
 *
 * The exact two-sided p-value is P(S >= |s|) + P(S <= -|s|) under H0 (all
 * n! orders equally likely), capped at 1; S = N - 2I with I the number of
 * inversions of a random permutation, whose distribution is counted exactly
 * (Mahonian numbers in 256-bit integers), so p is rounded only at the end.
 *
 * Choices where the spec is silent:
 *  - all values tied (Var = 0): S = 0, Z = 0, p = papprox = 1;
 *  - infinite values and years are accepted (the test only compares them);
 *  - duplicate years are reported (KPI_EVALUE) before too few points
 *    (KPI_EDIV0, n < 3 usable pairs). */
#ifndef KPI_MK_H
#define KPI_MK_H

#include <stddef.h>

#include "kpi_status.h"

/* Largest n for which the exact permutation p-value is used. */
#define KPI_MK_EXACT_MAX 50

typedef enum kpi_mk_output {
    KPI_MK_P,
    KPI_MK_PAPPROX,
    KPI_MK_S,
    KPI_MK_VAR,
    KPI_MK_Z,
    KPI_MK_TAU
} kpi_mk_output;

/* Parses MKTEST's output option: "p", "papprox", "s", "var", "z", "tau",
 * ASCII case-insensitive, surrounding white space ignored. Anything else,
 * NULL, "" or only spaces too, is KPI_EVALUE (the default "p" is the
 * catalogue's, applied by the add-in's binder). */
kpi_status kpi_mk_output_parse(const char *s, kpi_mk_output *o);

typedef struct kpi_mk_result {
    double s;       /* Mann-Kendall S */
    double var;     /* Var(S) with the tie correction */
    double z;       /* continuity-corrected normal score */
    double tau;     /* S / (n(n-1)/2) */
    double p;       /* two-sided p-value: exact when `exact`, else papprox */
    double papprox; /* two-sided p-value of the normal approximation */
    size_t n;       /* usable points */
    int exact;      /* 1 when p is the exact permutation p-value */
} kpi_mk_result;

/* Mann-Kendall test of y[0..n) against years x[0..n) (x may be NULL).
 * KPI_OK; KPI_EVALUE for NULL pointers (y may be NULL only when n == 0) or
 * duplicate years; KPI_EDIV0 for fewer than 3 usable points; KPI_ENOMEM;
 * KPI_ENUM if a number would not be finite (not expected in practice). */
kpi_status kpi_mk_test(const double *y, const double *x, size_t n,
                       kpi_mk_result *r);

/* The member of r selected by o. */
kpi_status kpi_mk_output_value(const kpi_mk_result *r, kpi_mk_output o,
                               double *out);

/* TRENDDIR: *dir = 1 (rising), -1 (falling) or 0: the sign of S when
 * MKTEST's p < alpha, else 0. alpha must lie in (0, 1), else KPI_ENUM (NaN
 * too; checked before the data; the default 0.05 is the catalogue's).
 * Other errors as kpi_mk_test. */
kpi_status kpi_trenddir(const double *y, const double *x, size_t n,
                        double alpha, double *dir);

#endif
