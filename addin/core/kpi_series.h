/* kpi_series.h - series arguments: the (year, value) pairs of a trend method.
 *
 * The spreadsheet hands a method two equally long arrays: values and
 * (optionally) years. A cell that is empty or text arrives as NaN; a pair in
 * which either member is NaN is skipped. Missing years mean 1, 2, ..., n by
 * position in the range, so a skipped cell leaves a gap year. The prepared
 * series is ordered by year (a stable sort: equal years keep their order). */
#ifndef KPI_SERIES_H
#define KPI_SERIES_H

#include <stddef.h>

#include "kpi_status.h"

typedef struct kpi_series {
    double *x; /* years, ascending */
    double *y; /* values */
    size_t n;  /* usable pairs */
} kpi_series;

/* Prepares out from y[0..n) and x[0..n) (x may be NULL). out->x and out->y
 * are allocated (free with kpi_series_free) even when no pair is usable.
 * Returns KPI_OK or KPI_ENOMEM. */
kpi_status kpi_series_prepare(const double *y, const double *x, size_t n,
                              kpi_series *out);

/* Non-zero when two points of a prepared series share a year. */
int kpi_series_has_duplicate_years(const kpi_series *s);

/* Non-zero when every year and value of a prepared series is finite. */
int kpi_series_all_finite(const kpi_series *s);

void kpi_series_free(kpi_series *s);

#endif
