/* kpi_test.h - a minimal test harness for the C core's unit tests.
 *
 * Each tests/unit/test_*.c is its own program: it calls the CHECK macros
 * and ends main() with `return kpi_test_report("name");`, which prints
 * "name: N passed, N failed" and returns non-zero when anything failed. */
#ifndef KPI_TEST_H
#define KPI_TEST_H

#include <math.h>
#include <stdio.h>

static int kpi_test_passed, kpi_test_failed;

#define KPI_FAIL_(...)                                                         \
    do {                                                                       \
        kpi_test_failed++;                                                     \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                        \
        fprintf(stderr, __VA_ARGS__);                                          \
        fputc('\n', stderr);                                                   \
    } while (0)

/* CHECK(cond): a boolean condition. */
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond)                                                              \
            kpi_test_passed++;                                                 \
        else                                                                   \
            KPI_FAIL_("CHECK(%s) failed", #cond);                              \
    } while (0)

/* CHECK_EQ_INT(got, want): integers (status codes, counts). */
#define CHECK_EQ_INT(got, want)                                                \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        if (g_ == w_)                                                          \
            kpi_test_passed++;                                                 \
        else                                                                   \
            KPI_FAIL_("%s = %lld, want %lld", #got, g_, w_);                   \
    } while (0)

/* CHECK_CLOSE(got, want, rel): |got-want| <= rel*max(|want|,1e-300), or both
 * equal (covers infinities). Use rel = 0 for exact equality. */
#define CHECK_CLOSE(got, want, rel)                                            \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        double tol_ = (rel) * (fabs(w_) > 1e-300 ? fabs(w_) : 1e-300);         \
        if (g_ == w_ || fabs(g_ - w_) <= tol_)                                 \
            kpi_test_passed++;                                                 \
        else                                                                   \
            KPI_FAIL_("%s = %.17g, want %.17g (rel %.3g)", #got, g_, w_,       \
                      (double)(rel));                                          \
    } while (0)

/* CHECK_ABS(got, want, abs): absolute tolerance, for values near zero. */
#define CHECK_ABS(got, want, tol)                                              \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        if (g_ == w_ || fabs(g_ - w_) <= (tol))                                \
            kpi_test_passed++;                                                 \
        else                                                                   \
            KPI_FAIL_("%s = %.17g, want %.17g (abs %.3g)", #got, g_, w_,       \
                      (double)(tol));                                          \
    } while (0)

static inline int kpi_test_report(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, kpi_test_passed,
           kpi_test_failed);
    return kpi_test_failed ? 1 : 0;
}

#endif
