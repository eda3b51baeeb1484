/* funcs_series.c - series and small arguments of the trend functions; see
 * funcs_series.h. */
#include "funcs_series.h"

#include <stdlib.h>

void kpi_series_args_free(kpi_series_args *s)
{
    free(s->y);
    free(s->x);
    s->y = s->x = NULL;
    s->n = 0;
}

kpi_status kpi_series_args_read(const kpi_arg *values, const kpi_arg *years,
                                int years_required, kpi_series_args *s)
{
    s->y = s->x = NULL;
    s->n = 0;
    kpi_status st = kpi_arg_series(values, &s->y, &s->n);
    if (st != KPI_OK)
        return st;
    if (!years || years->missing) {
        if (years_required) {
            kpi_series_args_free(s);
            return KPI_EMISSING;
        }
        return KPI_OK;
    }
    size_t nx = 0;
    st = kpi_arg_series(years, &s->x, &nx);
    if (st == KPI_OK && nx != s->n)
        st = KPI_EVALUE; /* the two ranges must pair up */
    if (st != KPI_OK)
        kpi_series_args_free(s);
    return st;
}

kpi_status kpi_arg_bound(const kpi_arg *a, int *bound)
{
    double b = 0;
    kpi_status st = kpi_arg_scalar(a, &b);
    if (st != KPI_OK)
        return st;
    if (b != -1 && b != 0 && b != 1)
        return KPI_ENUM;
    *bound = (int)b;
    return KPI_OK;
}
