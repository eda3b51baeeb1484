/* The batch summary: one row per workbook with its file, status, the
 * number of cells that show an error, its indicators (one column per key,
 * in the order first seen) and a message; as CSV or as a JSON array of
 * objects with the same fields. Written atomically. */
#ifndef KPICALC_SUMMARY_H
#define KPICALC_SUMMARY_H

#include "pool.h"

#include <stddef.h>

/* 'c' for a .csv path, 'j' for .json (any case), 0 otherwise. */
int kc_summary_format(const char *path);

/* Writes the summary of N workbooks (FILES[i] and RESULTS[i]) to PATH,
 * a CSV file starting with a UTF-8 byte-order mark when BOM is set.
 * 0, or -1 with a message in ERR. */
int kc_summary_write(const char *path, const char *const *files,
                     const struct kc_result *results, size_t n, int bom,
                     char *err, size_t errsz);

#endif
