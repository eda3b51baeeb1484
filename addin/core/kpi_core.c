/* kpi_core.c - process-wide set-up of the statistics core. */
#include "kpi_core.h"

#include <gsl/gsl_errno.h>

void kpi_core_init(void)
{
    gsl_set_error_handler_off();
}
