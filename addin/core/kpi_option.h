/* kpi_option.h - matching a spreadsheet option string against its names. */
#ifndef KPI_OPTION_H
#define KPI_OPTION_H

#include <stddef.h>

#include "kpi_status.h"

/* Finds s among the n lower-case names: ASCII case-insensitive, surrounding
 * ASCII white space ignored. On success *idx receives the index; anything
 * else, NULL, "" and only white space included, is KPI_EVALUE and leaves
 * *idx unchanged. There is no default here: an option left out, or given
 * as blank text, gets its default from the catalogue's row in the add-in's
 * binder (addin/funcs/kpi_bind.c) before the core is called. */
kpi_status kpi_option_index(const char *s, const char *const *names, size_t n,
                            size_t *idx);

#endif
