/* kpi_check.c - the count and level rules; see kpi_check.h. */
#include "kpi_check.h"

#include <math.h>

int kpi_is_count(double v)
{
    return isfinite(v) && v >= 0 && v <= KPI_MAX_COUNT && v == floor(v);
}

int kpi_count_add(double *total, double v)
{
    /* both whole and <= 2^53: KPI_MAX_COUNT - *total is exact */
    if (!kpi_is_count(*total) || !kpi_is_count(v) || v > KPI_MAX_COUNT - *total)
        return 0;
    *total += v;
    return 1;
}

int kpi_is_level(double p)
{
    return p > 0 && p < 1; /* false for NaN */
}
