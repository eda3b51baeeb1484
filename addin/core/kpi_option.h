/* kpi_option.h - matching a spreadsheet option string against its names. */
#ifndef KPI_OPTION_H
#define KPI_OPTION_H

#include <stddef.h>

#include "kpi_status.h"

/* Finds s among the n lower-case names: ASCII case-insensitive, surrounding
 * ASCII white space ignored. NULL, "" or only white space give dflt. On
 * success *idx receives the index; anything else is KPI_EVALUE and leaves
 * *idx unchanged. */
kpi_status kpi_option_index(const char *s, const char *const *names, size_t n,
                            size_t dflt, size_t *idx);

#endif
