/* What reading one written workbook's cells costs the summary: the steps
 * of the worker's scan_staged_ods (batch/worker.c) on an .ods file, timed
 * over many repetitions: the content.xml taken out of the ZIP, scanned
 * for the KPI sheet and the error count (fods.c, kpi.c), and scanned again
 * for the add-in's cells (freeze.c, counting only). The summary pays this
 * once per workbook, inside the workers; bench_summary.sh adds it to the
 * county step it measures in the run.
 *
 *   build/bench/scan_cost FILE.ods [REPETITIONS (50)]
 * prints "unzip MS scan MS addin MS total MS" (milliseconds per workbook)
 * and exits 1 when the file cannot be read as the worker reads it. */
#include "buf.h"
#include "fods.h"
#include "freeze.h"
#include "kpi.h"
#include "zipcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int begin(void *ctx, const struct kc_zip_member *m, struct kc_err *err)
{
    (void)ctx;
    (void)err;
    return m->name_len == 11 && memcmp(m->name, "content.xml", 11) == 0;
}

static int data(void *ctx, const unsigned char *p, size_t n, struct kc_err *err)
{
    if (kc_buf_add(ctx, (const char *)p, n) != 0)
        return kc_err_set(err, "out of memory");
    return 0;
}

static int end(void *ctx, struct kc_err *err)
{
    (void)ctx;
    (void)err;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: scan_cost FILE.ods [REPETITIONS]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 50;
    if (reps < 1)
        reps = 1;
    struct kc_err err = {""};
    if (kc_zlib_load(&err) != 0) {
        fprintf(stderr, "scan_cost: %s\n", err.msg);
        return 1;
    }
    double t_zip = 0, t_scan = 0, t_addin = 0;
    for (int k = 0; k < reps; k++) {
        const unsigned char *map = NULL;
        size_t len = 0;
        struct kc_buf xml = {0};
        struct kc_zip_visitor vis = {&xml, begin, data, end};
        double t0 = now();
        int ok = kc_map_file(argv[1], &map, &len, &err) == 0 &&
                 kc_zip_scan(map, len, NULL, &vis, NULL, &err) == 0 &&
                 xml.len > 0;
        double t1 = now();
        struct kc_kpi_list kpis = {0};
        struct kc_kpi_collector kc;
        struct kc_sheet_sink sink;
        kc_kpi_collector_init(&kc, &kpis, &sink);
        struct kc_scan_result sres;
        ok = ok && kc_fods_scan_mem(kc_buf_str(&xml), xml.len, &sink, &sres,
                                    &err) == 0;
        double t2 = now();
        struct kc_freeze_stats fs;
        ok = ok &&
             kc_freeze_mem(kc_buf_str(&xml), xml.len, NULL, &fs, &err) == 0;
        double t3 = now();
        if (ok && k == 0 && kpis.n == 0)
            kc_err_set(&err, "no KPI sheet"), ok = 0;
        kc_kpi_collector_free(&kc);
        kc_kpi_list_free(&kpis);
        kc_buf_free(&xml);
        kc_unmap_file(map, len);
        if (!ok) {
            fprintf(stderr, "scan_cost: %s: %s\n", argv[1],
                    err.msg[0] ? err.msg : "no content.xml");
            return 1;
        }
        t_zip += t1 - t0;
        t_scan += t2 - t1;
        t_addin += t3 - t2;
    }
    printf("unzip %.3f scan %.3f addin %.3f total %.3f\n", t_zip / reps * 1e3,
           t_scan / reps * 1e3, t_addin / reps * 1e3,
           (t_zip + t_scan + t_addin) / reps * 1e3);
    return 0;
}
