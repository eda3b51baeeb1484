/* kpi_core.h - process-wide set-up of the statistics core. */
#ifndef KPI_CORE_H
#define KPI_CORE_H

/* Call once before any other core function, e.g. when the add-in is
 * loaded: turns off GSL's default error handler, which would abort the
 * process (taking the user's office down); every GSL status is checked
 * by the core instead. Safe to call more than once. */
void kpi_core_init(void);

#endif
