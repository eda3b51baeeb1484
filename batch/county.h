/* The county summary workbook (`kpicalc recalc --summary FILE.ods` or
 * FILE.xlsx): one row per township with its indicators, 达标/未达标 against
 * one set of county targets, a rank per indicator, county totals as
 * pooled rates, 双下降 under one county-wide 0 -> 0 rule, warnings (mixed
 * years, empty workbooks, failures, missing keys), and funnel charts of
 * 持证率 and 败诉率 with their control limits. docs/county.md describes it.
 *
 * The batch knows no statistics: kc_county_render writes a flat ODF
 * spreadsheet (.fods) holding the data, native Calc formulas (RANK, SUM,
 * IF) and the funnel limits as calls of the add-in's FUNNELLIMITS and
 * FUNNELZ, with the charts as inline objects; a column of townships is
 * one array formula. kc_county_write has one office worker (pool.c)
 * recalculate it with the add-in, replace the add-in's cells by their
 * values in the loaded document (kc_county_freeze_spec: their rectangles),
 * save it as .ods or .xlsx, check it whole (outcheck.c) and only then
 * rename it to its name. */
#ifndef KPICALC_COUNTY_H
#define KPICALC_COUNTY_H

#include "err.h"

#include "pool.h"

#include <stddef.h>

struct kc_buf;

#define KC_COUNTY_MAX_TARGETS 16

/* One county target: KEY >= VALUE (dir '>') or KEY <= VALUE (dir '<'). */
struct kc_county_target {
    char key[32];
    char dir;
    double value;
    int from_file; /* 1: set by a targets file, 0: the template's default */
};

struct kc_county_opts {
    struct kc_county_target t[KC_COUNTY_MAX_TARGETS];
    size_t n;
    int zero_holds;     /* a loss rate 0 -> 0 counts as fallen (default 1) */
    int zero_from_file; /* zero_holds set by a targets file */
    size_t label_limit; /* townships labelled one by one in the charts
                           (default 60; beyond, one unlabelled series) */
};

/* The template's targets (certrate >= 0.95, adoptrate >= 0.90,
 * adviser_rate >= 0.80, appearance_rate >= 0.80, lossrate <= 0.10) and
 * the 0 -> 0 rule "counts as fallen". */
void kc_county_defaults(struct kc_county_opts *o);

/* Applies a targets file's text (N bytes) to O. One setting a line:
 * "KEY>=VALUE" or "KEY<=VALUE" (VALUE a fraction 0.95 or a percentage
 * 95%), "zero_to_zero=down" or "zero_to_zero=not_down"; blank lines and
 * lines starting with # are skipped; KEY is one of the summary's rates.
 * 0, or -1 with "line N: reason" in ERR (O is then unchanged). */
int kc_county_parse_targets(const char *text, size_t n,
                            struct kc_county_opts *o, struct kc_err *err);

/* kc_county_parse_targets on the file at PATH. */
int kc_county_load_targets(const char *path, struct kc_county_opts *o,
                           struct kc_err *err);

/* 'o' for a .ods path, 'x' for .xlsx (any case), 0 otherwise. */
int kc_county_format(const char *path);

/* Appends to OUT the county summary of N workbooks (FILES[i], RESULTS[i])
 * as a flat ODF spreadsheet. 0, or -1 with a message in ERR. */
int kc_county_render(struct kc_buf *out, const char *const *files,
                     const struct kc_result *results, size_t n,
                     const struct kc_county_opts *o, struct kc_err *err);

/* Appends to OUT where the add-in's cells of a summary of N workbooks are,
 * as kc_job.freeze has it (pool.h): the funnel sheet's add-in check, and
 * per funnel plot the z and limit columns of the township rows and the
 * limit columns of the grid. 0, or -1 (out of memory). */
int kc_county_freeze_spec(size_t n, struct kc_buf *out);

/* What kc_county_write needs to run an office worker. */
struct kc_county_office {
    const char *lo_program;
    const char *oxt;         /* the extension (for a profile of its own) */
    const char *profile_dir; /* --profile-dir, or NULL */
    const struct kc_profile *profile; /* a profile this run holds and no
                                         worker uses now, or NULL */
    const char *run_tag;
    double timeout;
    int verbose;
};

/* Writes the county summary to PATH (.ods or .xlsx): renders it, has an
 * office worker recalculate, freeze and save it, checks it whole, renames
 * it into place. PATH is either as it was or the whole new summary.
 * 0, or -1 with the reason in ERR. */
int kc_county_write(const char *path, const char *const *files,
                    const struct kc_result *results, size_t n,
                    const struct kc_county_opts *o,
                    const struct kc_county_office *office, struct kc_err *err);

/* 1 when R's indicators say the workbook is empty: inputs_filled is 0, or
 * it has indicator keys of the summary and none of them holds a number.
 * WHY (may be NULL) receives the reason in words. */
int kc_county_is_empty(const struct kc_result *r, char *why, size_t whysz);

#endif
