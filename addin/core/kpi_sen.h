/* kpi_sen.h - the Theil-Sen slope (SENSLOPE) and its confidence limits.
 *
 * The series (values y, optional years x) is prepared by kpi_series_prepare
 * (NaN pairs skipped, default years 1..n). Duplicate years are allowed: the
 * slopes are (y_j - y_i) / (x_j - x_i) over the N pairs with x_i < x_j,
 * each computed in double as scipy.stats.theilslopes computes it.
 *
 *   bound  0: the median of the N slopes (mean of the two middle ones when N
 *             is even, as numpy.median);
 *   bound -1/+1: the lower/upper confidence limit of Sen (1968), eq. 2.6, as
 *             scipy.stats.theilslopes: with z = Phi^-1((1 - conf)/2) < 0 and
 *             sigma^2 = [n(n-1)(2n+5) - sum_x t(t-1)(2t+5)
 *                        - sum_y t(t-1)(2t+5)] / 18   (ties in x and in y),
 *             Ru = min(round((N - z sigma)/2), N - 1),
 *             Rl = max(round((N + z sigma)/2) - 1, 0)   (round half to even),
 *             low = slope[Rl], high = slope[Ru] (0-based, slopes ascending).
 *
 * The order statistics are found without materialising the N slopes when N
 * is large: exact counting of the slopes <= t (merge-sort inversion counting
 * of the order by y - t x, with error-free arithmetic for the comparisons),
 * a random sample of slopes and bisection shrink an interval of slopes until
 * few enough candidates remain, which are then enumerated and selected. Time
 * O(n log n) per count, memory O(n).
 *
 * Choices where the spec is silent (see also docs of kpi_sen_slope):
 *  - conf is a confidence level taken literally (0.3 gives a 30% interval;
 *    scipy would read alpha = 0.3 as 70%); NaN is KPI_ENUM (the default
 *    0.95 is the catalogue's);
 *  - when the tie terms make sigma^2 negative (heavily tied x and y) the
 *    limits are undefined (scipy gives NaN): KPI_EDIV0 for bound +-1;
 *  - infinite values or years: KPI_ENUM;
 *  - a result that overflows double: KPI_ENUM;
 *  - extreme magnitudes: the points are scaled by powers of two (exact in
 *    the normal range) so that |x| < 1 and |y| < 2^400. Years so far apart
 *    (beyond about 2^1000 in ratio) that scaling would merge two of them,
 *    and data for which the exact comparisons would underflow, give
 *    KPI_ENUM; with values beyond 2^400 (~1e120), values more than ~2^1400
 *    below the largest lose precision (as subnormals do), and slopes are
 *    then exact relative to the data's magnitude, not to their own. */
#ifndef KPI_SEN_H
#define KPI_SEN_H

#include <stddef.h>

#include "kpi_status.h"

/* SENSLOPE. bound 0: the slope; -1 / +1: the lower / upper confidence limit
 * at level conf. KPI_OK; KPI_ENUM when conf is NaN or outside (0, 1),
 * bound is not -1, 0 or 1 (both checked before the data), a value or year is
 * infinite or the result overflows; KPI_EVALUE for NULL pointers (y may be
 * NULL only when n == 0); KPI_EDIV0 for fewer than 2 usable points, no pair
 * with distinct years, or (bound +-1) a negative sigma^2; KPI_ENOMEM. */
kpi_status kpi_sen_slope(const double *y, const double *x, size_t n,
                         double conf, int bound, double *out);

/* Slope, lower and upper limit in one call (for array formulas). The
 * status is that of the slope; when the slope is fine but the limits are
 * not (negative sigma^2, overflow), *lim_status says why and low/high are
 * set to NaN. */
kpi_status kpi_sen_interval(const double *y, const double *x, size_t n,
                            double conf, double *slope, double *low,
                            double *high, kpi_status *lim_status);

/* Tuning of the order-statistic algorithm, for tests and benchmarks. */
typedef struct kpi_sen_tuning {
    /* Up to this many slopes are materialised and selected directly
     * (default 1 << 20). */
    size_t direct_max;
    /* The interval search stops once at most this many candidate slopes
     * remain (default max(1 << 20, 2n)); at least 1. */
    size_t cand_max;
} kpi_sen_tuning;

/* kpi_sen_slope with explicit tuning (tun NULL: defaults). */
kpi_status kpi_sen_slope_tuned(const double *y, const double *x, size_t n,
                               double conf, int bound,
                               const kpi_sen_tuning *tun, double *out);

#endif
