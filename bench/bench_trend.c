/* bench_trend.c - times MKTEST (kpi_mk_test) and SENSLOPE (kpi_sen_slope,
 * kpi_sen_interval) on 10^3, 10^4 and 10^5 random points (fixed seed).
 *
 *   bench_trend DATADIR
 *
 * writes DATADIR/trend_N.txt (one "year value" pair a line, the data that
 * bench_trend_scipy.py times scipy on) and prints one line per measurement:
 *   RESULT <what> <n> <seconds per call> <value>
 * Seconds are the best of several calls (at least 3, at least 0.3 s). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "kpi_mk.h"
#include "kpi_sen.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t state = 20240607u;
static double uniform(void)
{
    state = state * 6364136223846793005u + 1442695040888963407u;
    return (double)(state >> 11) * 0x1p-53;
}

/* A weak trend, noise, values on three decimals (so there are ties). */
static void make_data(double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double u1 = uniform(), u2 = uniform();
        double g = sqrt(-2.0 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
        x[i] = (double)(i + 1);
        y[i] = round((0.5 + 2e-6 * (double)i + 0.1 * g) * 1000.0) / 1000.0;
    }
}

enum what { MK, SEN, SENCI };

static double run_once(enum what w, const double *x, const double *y, size_t n,
                       double *value)
{
    double t0 = now();
    int st = 0;
    if (w == MK) {
        kpi_mk_result r;
        st = kpi_mk_test(y, x, n, &r);
        *value = r.s;
    } else if (w == SEN) {
        st = kpi_sen_slope(y, x, n, NAN, 0, value);
    } else {
        double lo, hi;
        kpi_status ls;
        st = kpi_sen_interval(y, x, n, 0.95, value, &lo, &hi, &ls);
        if (ls != KPI_OK)
            st = (int)ls;
    }
    double t = now() - t0;
    if (st != KPI_OK) {
        fprintf(stderr, "bench_trend: status %d\n", st);
        exit(1);
    }
    return t;
}

static void bench(const char *name, enum what w, const double *x,
                  const double *y, size_t n)
{
    double best = INFINITY, total = 0.0, value = 0.0;
    for (int rep = 0; rep < 3 || (total < 0.3 && rep < 1000); rep++) {
        double t = run_once(w, x, y, n, &value);
        total += t;
        if (t < best)
            best = t;
    }
    printf("RESULT %s %zu %.6g %.17g\n", name, n, best, value);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_trend DATADIR\n");
        return 2;
    }
    gsl_set_error_handler_off();
    const size_t sizes[] = {1000, 10000, 100000};
    for (size_t k = 0; k < 3; k++) {
        size_t n = sizes[k];
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        if (!x || !y)
            return 1;
        make_data(x, y, n);
        char path[4096];
        snprintf(path, sizeof path, "%s/trend_%zu.txt", argv[1], n);
        FILE *f = fopen(path, "w");
        if (!f) {
            perror(path);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%.17g %.17g\n", x[i], y[i]);
        fclose(f);
        bench("mk", MK, x, y, n);
        bench("sen", SEN, x, y, n);
        bench("senci", SENCI, x, y, n);
        free(x);
        free(y);
    }
    return 0;
}
