/* funcs_series.h - reading the series arguments (values [; years]) and the
 * small optional arguments shared by the trend functions. */
#ifndef FUNCS_SERIES_H
#define FUNCS_SERIES_H

#include "kpi_args.h"

typedef struct kpi_series_args {
    double *y; /* values, NaN where a cell is empty or text */
    double *x; /* years, or NULL for 1, 2, ..., n */
    size_t n;
} kpi_series_args;

/* Reads values and (when years is not NULL and not missing) years; they
 * must have the same number of cells (KPI_EVALUE). years_required makes a
 * missing years argument KPI_EMISSING. */
kpi_status kpi_series_args_read(const kpi_arg *values, const kpi_arg *years,
                                int years_required, kpi_series_args *s);
void kpi_series_args_free(kpi_series_args *s);

/* A bound argument: -1, 0 or 1 (else KPI_ENUM); missing is KPI_EMISSING
 * (the binder has put its default in). */
kpi_status kpi_arg_bound(const kpi_arg *a, int *bound);

#endif
