/* What reading one written workbook's cells costs the summary: the steps
 * of the worker's scan_staged_ods (batch/worker.c) on an .ods file, timed
 * over many repetitions: the content.xml taken out of the ZIP
 * (kc_zip_read_member, as the worker does), scanned
 * for the KPI sheet and the error count (fods.c, kpi.c), and scanned again
 * for the add-in's cells (freeze.c, counting only), which the worker does
 * only when a cell reads #NAME? (or an .xlsx/.xls output needs the count):
 * "total" counts that pass only then. The summary pays this once per
 * workbook, inside the workers; bench_summary.sh adds it to the county
 * step it measures in the run.
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
    double t_zip = 0, t_scan = 0, t_addin = 0;
    int names = 0;
    for (int k = 0; k < reps; k++) {
        struct kc_buf xml = {0};
        double t0 = now();
        int ok = kc_zip_read_member(argv[1], "content.xml", &xml, &err) == 0;
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
        names = ok && strstr(kc_buf_str(&xml), "#NAME?") != NULL;
        if (ok && k == 0 && kpis.n == 0)
            kc_err_set(&err, "no KPI sheet"), ok = 0;
        kc_kpi_collector_free(&kc);
        kc_kpi_list_free(&kpis);
        kc_buf_free(&xml);
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
           (t_zip + t_scan + (names ? t_addin : 0)) / reps * 1e3);
    return 0;
}
