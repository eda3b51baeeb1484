/* kpi_check.c - the count and level rules; see kpi_check.h. */
#include "kpi_check.h"

#include <math.h>

int kpi_is_count(double v)
{
    return isfinite(v) && v >= 0 && v <= KPI_MAX_COUNT && v == floor(v);
}

int kpi_is_level(double p)
{
    return p > 0 && p < 1; /* false for NaN */
}
