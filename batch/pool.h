/* The worker processes: N children, each running LibreOffice with its own
 * profile and handling one workbook at a time. The parent hands out
 * workbooks, enforces a timeout per workbook (the worker is killed and
 * replaced), replaces a worker that dies (the workbook is retried once on
 * a fresh worker, then failed), and restarts each worker after a number of
 * workbooks or when it grows too big, so memory stays flat. While a
 * worker works, the parent reads its resident memory every 100 ms and
 * kills its process group when it passes the memory limit: the workbook
 * fails with "memory limit" (not retried: it would do the same again).
 *
 * Records (see proto.h), parent to worker:
 *   JOB id input flags backup freeze [format final]...   (at most
 * KC_MAX_OUTPUTS outputs; flags: s scan the cells, b a byte-order mark in CSV
 * files, p portable outputs: add-in results frozen to values, r CSV text kept
 *   raw even where it starts like a formula)
 * worker to parent:
 *   READY | FATAL message [permanent]   (permanent: a new worker would fail
 *   the same way, e.g. the add-in does not answer)
 *   RES id ok|failed error_cells addin_cells message [key type value]...
 * A staged output lives in <folder of final>/.kpicalc-<run tag>-<worker
 * pid>.tmp until it is complete and checked; the parent removes that folder
 * when it kills a worker. */
#ifndef KPICALC_POOL_H
#define KPICALC_POOL_H

#include "err.h"

#include "kpi.h"
#include "profile.h"

#include <signal.h>
#include <stddef.h>

#define KC_MAX_OUTPUTS 8

struct kc_job {
    const char *input;  /* the workbook (absolute path) */
    const char *backup; /* --in-place: where the original is kept */
    /* rectangles whose cells are replaced by their values in the loaded
     * document before it is saved, "SHEET:COL0:ROW0:COL1:ROW1;..." (0-based
     * sheet index, columns and rows; each holds whole array formulas), or
     * NULL: the county workbook's add-in cells (county.c) */
    const char *freeze;
    int nout;
    const char *fmt[KC_MAX_OUTPUTS];
    char *final[KC_MAX_OUTPUTS]; /* the output files (absolute paths) */
};

enum kc_state { KC_PENDING = 0, KC_OK, KC_FAILED };

struct kc_result {
    enum kc_state state;
    long error_cells; /* -1 when unknown */
    long addin_cells; /* cells calling the add-in; -1 when not counted */
    char *message;    /* why it failed, or notes; may be NULL */
    struct kc_kpi_list kpis;
    double seconds;
    int attempts;
};

struct kc_pool_cfg {
    int workers;
    double timeout;       /* seconds per workbook */
    int max_docs;         /* workbooks per worker before a restart */
    long max_rss_kb;      /* restart a worker that grew beyond this */
    long mem_limit_kb;    /* kill a worker that passes this while it works
                             (its workbook fails: "memory limit"); 0: none */
    long long max_output; /* no file a worker writes may reach this many
                             bytes (0: no limit) */
    int retries;          /* extra attempts after a worker crash */
    int scan;             /* read indicators and count error cells */
    int csv_bom;          /* CSV outputs start with a UTF-8 byte-order mark */
    int csv_raw;          /* CSV text that starts like a formula kept as is */
    int portable;         /* workbook outputs carry add-in results as values */
    const char *lo_program;
    struct kc_profile *profiles; /* one per worker */
    const char *run_tmp;         /* private folder for this run */
    const char *run_tag;         /* kc_run_tag: names the staging folders */
    volatile sig_atomic_t *stop; /* set by a signal: stop the run */
    void (*on_result)(void *ctx, size_t index);
    void *ctx;
};

struct kc_pool_stats {
    long peak_rss_kb; /* the largest worker, at its high-water mark */
    int started;      /* worker processes started */
};

/* Processes every job whose result is KC_PENDING. 0 when the run went to
 * its end (whatever each workbook's result), -1 with a message in ERR
 * when LibreOffice cannot start at all; results left KC_PENDING were not
 * processed. */
int kc_pool_run(const struct kc_pool_cfg *cfg, const struct kc_job *jobs,
                struct kc_result *results, size_t n,
                struct kc_pool_stats *stats, struct kc_err *err);

#endif
