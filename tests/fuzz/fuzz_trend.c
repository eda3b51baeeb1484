/* fuzz_trend.c - libFuzzer harness for MKTEST, TRENDDIR and SENSLOPE.
 * See tests/fuzz/README.md for how to build and run it.
 *
 * Input bytes are decoded into: a value count n (usually small, sometimes
 * up to ~1500, at most about half the input length), values and optional years
 * drawn from classes (small integers, ties, NaN, +-inf, +-1e308 / DBL_MAX,
 * subnormals, raw 8-byte patterns, year-like numbers), option values (alpha,
 * confidence, bound, including NaN, 0, 1, 1.5, inf, -2..2) and an MKTEST output
 * string.
 *
 * Invariants (abort() on violation, which libFuzzer reports):
 *  - every status is a known kpi_status code;
 *  - KPI_OK results are finite; p and papprox in [0, 1]; |tau| <= 1;
 *    Var >= 0; TRENDDIR in {-1, 0, 1}; status agrees with MKTEST's;
 *  - SENSLOPE: low <= slope <= high when all three succeed; the slope of
 *    kpi_sen_interval equals kpi_sen_slope's;
 *  - the selection algorithm (forced with a random candidate budget)
 *    gives the same status and, to 1e-12 relative (plus one ulp for the
 *    adjacent-doubles case), the same value as the direct algorithm,
 *    except that it may answer KPI_ENUM for data spanning extreme
 *    magnitudes (documented in kpi_sen.c). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "kpi_mk.h"
#include "kpi_sen.h"

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint8_t rd8(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static double rd_raw(reader *r)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = (u << 8) | rd8(r);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static double rd_value(reader *r, double prev, int year)
{
    uint8_t c = rd8(r);
    uint8_t b = rd8(r);
    switch (c % 12) {
    case 0:
    case 1:
    case 2:
        return year ? 1990.0 + (double)(b % 40) : (double)(b % 8);
    case 3:
        return prev; /* a tie */
    case 4:
        return NAN;
    case 5:
        return (b & 1) ? INFINITY : -INFINITY;
    case 6: {
        static const double huge[] = {1e308,   -1e308, DBL_MAX, -DBL_MAX,
                                      1.7e308, 1e300,  -1e200,  8.98e307};
        return huge[b % 8];
    }
    case 7:
        return ldexp((double)(b % 16) - 8.0, -1060 + (int)(b % 50));
    case 8:
        return rd_raw(r);
    case 9:
        return ((double)b - 128.0) / 64.0; /* dyadic fractions */
    case 10:
        return (double)b * 0.001 + 0.5; /* rates on three decimals */
    default:
        return ldexp((double)b - 100.0, (int)(rd8(r) % 64) - 32);
    }
}

static double rd_option(reader *r)
{
    static const double opts[] = {NAN,  0.0,   1.0,         1.5,     -0.5, 0.05,
                                  0.01, 0.10,  0.90,        0.95,    0.99, 0.3,
                                  0.5,  1e-12, 0.999999999, INFINITY};
    uint8_t c = rd8(r);
    if (c < 200)
        return opts[c % 16];
    return rd_raw(r);
}

static int known(int st)
{
    return st == KPI_OK || st == KPI_EDIV0 || st == KPI_ENUM ||
           st == KPI_EVALUE || st == KPI_ENOMEM;
}

#define REQUIRE(cond)                                                          \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_trend: invariant failed: %s (line %d)\n",    \
                    #cond, __LINE__);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

static int extreme(const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double v = fabs(a[i]);
        if (isfinite(v) && (v > 1e150 || (v > 0.0 && v < 1e-150)))
            return 1;
    }
    return 0;
}

static int close_enough(double a, double b)
{
    if (a == b)
        return 1;
    double m = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= 1e-12 * m + 4.0 * DBL_TRUE_MIN;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        gsl_set_error_handler_off();
        init = 1;
    }
    reader r = {data, size};
    uint8_t h = rd8(&r);
    size_t n = rd8(&r);
    if (h & 0x80)
        n = n * 6 + rd8(&r); /* up to ~1500: the selection path by default */
    int with_x = (h & 1) != 0;
    double alpha = rd_option(&r);
    double conf = rd_option(&r);
    int bound = (int)(rd8(&r) % 5) - 2;
    size_t cand = 1 + rd8(&r) % 64;
    char out[8];
    for (int i = 0; i < 7; i++)
        out[i] = (char)rd8(&r);
    out[7] = 0;
    if (n > r.n / 2 + 2)
        n = r.n / 2 + 2; /* about two input bytes per value */

    double *y = malloc((n ? n : 1) * sizeof *y);
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!y || !x) {
        free(y);
        free(x);
        return 0;
    }
    double py = 0.0, px = 2000.0;
    for (size_t i = 0; i < n; i++) {
        y[i] = py = rd_value(&r, py, 0);
        x[i] = px = with_x ? rd_value(&r, px, 1) : (double)(i + 1);
    }
    const double *xv = with_x ? x : NULL;

    /* MKTEST */
    kpi_mk_result mk;
    int st = kpi_mk_test(y, xv, n, &mk);
    REQUIRE(known(st));
    if (st == KPI_OK) {
        REQUIRE(isfinite(mk.s) && isfinite(mk.var) && isfinite(mk.z) &&
                isfinite(mk.tau));
        REQUIRE(mk.p >= 0.0 && mk.p <= 1.0);
        REQUIRE(mk.papprox >= 0.0 && mk.papprox <= 1.0);
        REQUIRE(fabs(mk.tau) <= 1.0 && mk.var >= 0.0 && mk.n >= 3);
        REQUIRE(!mk.exact || mk.n <= KPI_MK_EXACT_MAX);
        REQUIRE((mk.z > 0) == (mk.s > 1) && (mk.z < 0) == (mk.s < -1));
    }
    kpi_mk_output o;
    int pst = kpi_mk_output_parse(out, &o);
    REQUIRE(pst == KPI_OK || pst == KPI_EVALUE);
    if (pst == KPI_OK && st == KPI_OK) {
        double v;
        REQUIRE(kpi_mk_output_value(&mk, o, &v) == KPI_OK && isfinite(v));
    }

    /* TRENDDIR */
    double dir = 5.0;
    int dst = kpi_trenddir(y, xv, n, alpha, &dir);
    REQUIRE(known(dst));
    int alpha_ok = alpha > 0.0 && alpha < 1.0; /* NaN: #NUM! (kpi_check.h) */
    if (!alpha_ok)
        REQUIRE(dst == KPI_ENUM);
    else
        REQUIRE(dst == st);
    if (dst == KPI_OK)
        REQUIRE(dir == 0.0 || dir == 1.0 || dir == -1.0);

    /* SENSLOPE */
    double v = 7.0;
    int sst = kpi_sen_slope(y, xv, n, conf, bound, &v);
    REQUIRE(known(sst));
    if (sst == KPI_OK)
        REQUIRE(isfinite(v));
    if (bound < -1 || bound > 1)
        REQUIRE(sst == KPI_ENUM);

    double s3[3];
    kpi_status ls;
    int ist = kpi_sen_interval(y, xv, n, conf, &s3[1], &s3[0], &s3[2], &ls);
    REQUIRE(known(ist) && known(ls));
    if (ist == KPI_OK) {
        REQUIRE(isfinite(s3[1]));
        double s0;
        REQUIRE(kpi_sen_slope(y, xv, n, conf, 0, &s0) == KPI_OK && s0 == s3[1]);
        if (ls == KPI_OK) {
            REQUIRE(isfinite(s3[0]) && isfinite(s3[2]));
            REQUIRE(s3[0] <= s3[1] && s3[1] <= s3[2]);
        }
    }

    /* the two order-statistic algorithms agree */
    if (bound >= -1 && bound <= 1) {
        kpi_sen_tuning direct = {(size_t)1 << 22, 1};
        kpi_sen_tuning select = {0, cand};
        double a = 0.0, b = 0.0;
        int sa = kpi_sen_slope_tuned(y, xv, n, conf, bound, &direct, &a);
        int sb = kpi_sen_slope_tuned(y, xv, n, conf, bound, &select, &b);
        REQUIRE(known(sa) && known(sb));
        if (sa == KPI_OK)
            REQUIRE(isfinite(a));
        if (sb == KPI_OK)
            REQUIRE(isfinite(b));
        int ext = extreme(y, n) || (xv && extreme(x, n));
        if (sa != sb) {
            if (!(ext && sb == KPI_ENUM)) {
                fprintf(stderr, "direct %d %.17g selection %d %.17g\n", sa, a,
                        sb, b);
                REQUIRE(sa == sb);
            }
        } else if (sa == KPI_OK && !close_enough(a, b)) {
            fprintf(stderr, "direct %.17g selection %.17g (cand %zu)\n", a, b,
                    cand);
            REQUIRE(ext);
        }
    }
    free(y);
    free(x);
    return 0;
}
