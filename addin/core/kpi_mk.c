/* kpi_mk.c - the Mann-Kendall trend test; see kpi_mk.h. */
#include "kpi_mk.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_check.h"
#include "kpi_dist.h"
#include "kpi_option.h"
#include "kpi_series.h"

/* n(n-1)(2n+5) fits in uint64_t up to this n (2e6: 1.6e19 < 2^64). */
#define MK_EXACT_INT_MAX 2000000u

kpi_status kpi_mk_output_parse(const char *s, kpi_mk_output *o)
{
    static const char *const names[] = {
        [KPI_MK_P] = "p", [KPI_MK_PAPPROX] = "papprox",
        [KPI_MK_S] = "s", [KPI_MK_VAR] = "var",
        [KPI_MK_Z] = "z", [KPI_MK_TAU] = "tau"};
    size_t i;
    if (!o)
        return KPI_EVALUE;
    kpi_status st =
        kpi_option_index(s, names, sizeof names / sizeof names[0], &i);
    if (st == KPI_OK)
        *o = (kpi_mk_output)i;
    return st;
}

kpi_status kpi_mk_output_value(const kpi_mk_result *r, kpi_mk_output o,
                               double *out)
{
    if (!r || !out)
        return KPI_EVALUE;
    switch (o) {
    case KPI_MK_P:
        *out = r->p;
        return KPI_OK;
    case KPI_MK_PAPPROX:
        *out = r->papprox;
        return KPI_OK;
    case KPI_MK_S:
        *out = r->s;
        return KPI_OK;
    case KPI_MK_VAR:
        *out = r->var;
        return KPI_OK;
    case KPI_MK_Z:
        *out = r->z;
        return KPI_OK;
    case KPI_MK_TAU:
        *out = r->tau;
        return KPI_OK;
    }
    return KPI_EVALUE;
}

/* Sorts a[0..n) ascending (tmp: scratch of n) and returns the number of
 * strict inversions, pairs i < j with a[i] > a[j]. No NaN in a. */
static uint64_t mk_sort_count(double *a, double *tmp, size_t n)
{
    if (n < 2)
        return 0;
    if (n <= 16) {
        uint64_t c = 0;
        for (size_t i = 1; i < n; i++) {
            double v = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] > v) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
            c += i - j;
        }
        return c;
    }
    size_t h = n / 2;
    uint64_t c = mk_sort_count(a, tmp, h) + mk_sort_count(a + h, tmp, n - h);
    if (!(a[h] < a[h - 1]))
        return c; /* already in order across the halves */
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        if (a[j] < a[i]) {
            c += h - i;
            tmp[o++] = a[j++];
        } else {
            tmp[o++] = a[i++];
        }
    }
    while (i < h)
        tmp[o++] = a[i++];
    /* a[j..n) is already in place. */
    memcpy(a, tmp, o * sizeof *a);
    return c;
}

/* Unsigned 256-bit integers: the Mahonian numbers up to n = 50 are at most
 * 50! < 2^215. */
typedef struct u256 {
    uint64_t w[4]; /* little-endian limbs */
} u256;

static void u256_add(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t s = a->w[i] + carry;
        carry = s < carry;
        uint64_t t = s + b->w[i];
        carry += t < s;
        r->w[i] = t;
    }
}

static void u256_sub(u256 *r, const u256 *a, const u256 *b) /* a >= b */
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b->w[i] + borrow;
        uint64_t nb = bi < borrow; /* b->w[i] + borrow overflowed */
        nb += a->w[i] < bi;
        r->w[i] = a->w[i] - bi;
        borrow = nb;
    }
}

static void u256_mul_small(u256 *r, uint64_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        /* 64 x 32 bit pieces: m <= 50 keeps every product within 64 bits */
        uint64_t lo = (r->w[i] & 0xFFFFFFFFu) * m + carry;
        uint64_t hi = (r->w[i] >> 32) * m + (lo >> 32);
        r->w[i] = (lo & 0xFFFFFFFFu) | (hi << 32);
        carry = hi >> 32;
    }
}

static long double u256_to_ld(const u256 *a)
{
    long double v = 0.0L;
    for (int i = 3; i >= 0; i--)
        v = ldexpl(v, 64) + (long double)a->w[i];
    return v;
}

/* Two-sided exact p-value P(S >= |s|) + P(S <= -|s|), capped at 1, for n
 * untied values (3 <= n <= KPI_MK_EXACT_MAX). With N = n(n-1)/2 pairs and I
 * the inversions of a uniformly random permutation, S = N - 2I and by
 * symmetry the p-value is 2 P(I <= m), m = (N - |s|)/2. The counts M_j(k)
 * of permutations of j with k inversions (Mahonian numbers) are exact
 * integers: M_j(k) = C_{j-1}(k) - C_{j-1}(k - j), C the prefix sums of
 * M_{j-1}, truncated at k <= m (all the lower tail needs); then
 * p = 2 C_n(m) / n!, one rounding of each integer and one division.
 * Returns a negative value when out of memory. */
static double mk_exact_p(size_t n, int64_t s)
{
    int64_t npairs = (int64_t)(n * (n - 1) / 2);
    int64_t as = s < 0 ? -s : s;
    size_t m = (size_t)((npairs - as) / 2);
    u256 *cnt = calloc(m + 1, sizeof *cnt); /* M_j(0..top) */
    u256 *pre = calloc(m + 1, sizeof *pre); /* C_{j-1}(0..top) */
    if (!cnt || !pre) {
        free(cnt);
        free(pre);
        return -1.0;
    }
    u256 fact = {{1, 0, 0, 0}};
    size_t top = 0; /* j = 1: one permutation, no inversion */
    cnt[0].w[0] = 1;
    for (size_t j = 2; j <= n; j++) {
        pre[0] = cnt[0];
        for (size_t k = 1; k <= top; k++)
            u256_add(&pre[k], &pre[k - 1], &cnt[k]);
        size_t maxk = j * (j - 1) / 2;
        size_t ntop = maxk < m ? maxk : m;
        for (size_t k = 0; k <= ntop; k++) {
            /* sum of M_{j-1}(q) for k - j < q <= k, q <= top */
            u256 v = pre[k < top ? k : top];
            if (k >= j)
                u256_sub(&v, &v, &pre[k - j < top ? k - j : top]);
            cnt[k] = v;
        }
        top = ntop;
        u256_mul_small(&fact, j);
    }
    u256 tail = cnt[0];
    for (size_t k = 1; k <= top; k++)
        u256_add(&tail, &tail, &cnt[k]);
    free(cnt);
    free(pre);
    double p = (double)(2.0L * u256_to_ld(&tail) / u256_to_ld(&fact));
    return p > 1.0 ? 1.0 : p;
}

kpi_status kpi_mk_test(const double *y, const double *x, size_t n,
                       kpi_mk_result *r)
{
    if (!r)
        return KPI_EVALUE;
    memset(r, 0, sizeof *r);
    if (n > 0 && !y)
        return KPI_EVALUE;

    kpi_series ser;
    kpi_status st = kpi_series_prepare(y, x, n, &ser);
    if (st != KPI_OK)
        return st;
    if (kpi_series_has_duplicate_years(&ser)) {
        kpi_series_free(&ser);
        return KPI_EVALUE;
    }
    size_t m = ser.n;
    if (m < 3) {
        kpi_series_free(&ser);
        return KPI_EDIV0;
    }
    if (m > UINT32_MAX) { /* N = m(m-1)/2 must fit int64_t */
        kpi_series_free(&ser);
        return KPI_ENUM;
    }

    /* The values in year order; sorting them counts discordant pairs. */
    double *tmp = malloc(m * sizeof *tmp);
    if (!tmp) {
        kpi_series_free(&ser);
        return KPI_ENOMEM;
    }
    uint64_t disc = mk_sort_count(ser.y, tmp, m);
    free(tmp);

    /* Tie groups of the (now sorted) values. */
    uint64_t tied_pairs = 0, tie_int = 0;
    long double tie_ld = 0.0L;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && ser.y[j] == ser.y[i])
            j++;
        uint64_t t = j - i;
        if (t > 1) {
            tied_pairs += t * (t - 1) / 2;
            if (m <= MK_EXACT_INT_MAX)
                tie_int += t * (t - 1) * (2 * t + 5);
            else
                tie_ld += (long double)t * (long double)(t - 1) *
                          (long double)(2 * t + 5);
        }
        i = j;
    }
    kpi_series_free(&ser);

    uint64_t npairs = (uint64_t)m * (m - 1) / 2;
    int64_t s = (int64_t)(npairs - tied_pairs) - 2 * (int64_t)disc;

    long double vnum;
    if (m <= MK_EXACT_INT_MAX) {
        uint64_t total = (uint64_t)m * (m - 1) * (2 * (uint64_t)m + 5);
        vnum = (long double)(total - tie_int);
    } else {
        vnum = (long double)m * (long double)(m - 1) *
                   (long double)(2 * (uint64_t)m + 5) -
               tie_ld;
        if (vnum < 0.0L)
            vnum = 0.0L;
    }
    double var = (double)(vnum / 18.0L);

    double z = 0.0;
    if (var > 0.0) {
        double sd = sqrt(var);
        if (s > 0)
            z = ((double)s - 1.0) / sd;
        else if (s < 0)
            z = ((double)s + 1.0) / sd;
    }
    double papprox = 1.0;
    if (z != 0.0) {
        double q = 0.0;
        if (kpi_dist_norm_upper(fabs(z), &q) != KPI_OK)
            return KPI_ENUM; /* z is finite here: not reached */
        papprox = 2.0 * q;
        if (papprox > 1.0)
            papprox = 1.0;
    }

    r->n = m;
    r->s = (double)s;
    r->var = var;
    r->z = z;
    r->tau = (double)s / (double)npairs;
    r->papprox = papprox;
    if (tied_pairs == 0 && m <= KPI_MK_EXACT_MAX) {
        r->p = mk_exact_p(m, s);
        r->exact = 1;
        if (r->p < 0.0) {
            memset(r, 0, sizeof *r);
            return KPI_ENOMEM;
        }
    } else {
        r->p = papprox;
        r->exact = 0;
    }
    if (!isfinite(r->s) || !isfinite(r->var) || !isfinite(r->z) ||
        !isfinite(r->tau) || !(r->p >= 0.0 && r->p <= 1.0) ||
        !(r->papprox >= 0.0 && r->papprox <= 1.0)) {
        memset(r, 0, sizeof *r);
        return KPI_ENUM;
    }
    return KPI_OK;
}

kpi_status kpi_trenddir(const double *y, const double *x, size_t n,
                        double alpha, double *dir)
{
    if (!dir)
        return KPI_EVALUE;
    *dir = 0.0;
    if (!kpi_is_level(alpha)) /* NaN included */
        return KPI_ENUM;
    kpi_mk_result r;
    kpi_status st = kpi_mk_test(y, x, n, &r);
    if (st != KPI_OK)
        return st;
    if (r.p < alpha)
        *dir = r.s > 0.0 ? 1.0 : (r.s < 0.0 ? -1.0 : 0.0);
    return KPI_OK;
}
