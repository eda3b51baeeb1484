/* kpi_sen.c - the Theil-Sen slope and Sen's confidence limits; see kpi_sen.h.
 *
 * Order statistics of the N pairwise slopes.
 *
 * Small N (<= direct_max): the slopes are materialised and selected with an
 * introselect (quickselect, median-of-three, Hoare partition; falls back to
 * qsort on a bad pivot streak), O(N) expected.
 *
 * Large N: with the points scaled by powers of two (exact) so that |x| < 1
 * and |y| < 2^400, and "base" the order (x asc, y asc), a pair u, v with x_u <
 * x_v has slope <= t iff key_t(v) <= key_t(u), key_t = y - t x. So c(t), the
 * number of slopes <= t, is the number of pairs that a stable merge sort of
 * base by (key_t asc, x desc) puts in the other order: inversion counting, O(n
 * log n). Sorting base by that order for t = lo and then merge-sorting the
 * result by the order of t = hi exchanges exactly the pairs with slope in (lo,
 * hi], which the merge enumerates. The key comparisons are exact: key_t is
 * rounded once by fma (a monotone rounding, so unequal rounded keys decide),
 * and equal rounded keys are compared exactly: by fma(-t, dx, dy) when the
 * differences dx, dy are exact (the usual case), else with an error-free
 * expansion of (y_a - y_b) - t (x_a - x_b) (TwoProduct by fma, TwoSum,
 * Shewchuk's grow-expansion). Thresholds are doubles with |t| <= 2^1000, so
 * nothing overflows; for tiny |t| the keys are scaled by 2^600 so that nothing
 * underflows. An interval (lo, hi] with c(lo) < k <= c(hi) is shrunk with
 * thresholds taken from a random sample of slopes (quantiles around the
 * target rank) and then bisection on the ordered bit patterns, until at most
 * cand_max slopes remain; they are enumerated and selected. If lo and hi
 * become adjacent doubles with more candidates than that, the k-th slope is
 * hi when c_<(hi) < k (counted exactly with the order (key asc, x asc)), else
 * a real strictly between lo and hi, reported as lo (within one ulp).
 *
 * The comparisons are exact unless a product t x underflows, which needs
 * non-zero years spanning more than about 2^400 in magnitude after scaling;
 * inconsistencies are detected by recounting and reported as KPI_ENUM
 * rather than a wrong slope. */
#include "kpi_sen.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_check.h"
#include "kpi_dist.h"
#include "kpi_series.h"

#if defined(__clang__)
/* The error-free transformations below need every a*b+c rounded twice. */
#pragma STDC FP_CONTRACT OFF
#endif

#define SEN_DIRECT_MAX ((size_t)1 << 20)
#define SEN_CAND_MIN ((size_t)1 << 20)
#define SEN_SAMPLE_MIN ((size_t)1024)
#define SEN_SAMPLE_MAX ((size_t)1 << 20)
#define SEN_TMAX 0x1p1000
#define SEN_MAX_ITER 4000

/* ---------------------------------------------------------------------
 * Selection in an array of doubles (no NaN). */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Moves the median of a[i], a[j], a[k] to a[i]. */
static void median3_to(double *a, size_t i, size_t j, size_t k)
{
    if (a[j] < a[i])
        swap_d(&a[i], &a[j]);
    if (a[k] < a[j]) {
        swap_d(&a[j], &a[k]);
        if (a[j] < a[i])
            swap_d(&a[i], &a[j]);
    }
    swap_d(&a[i], &a[j]); /* the median was at j */
}

/* Rearranges a[0..n) so that a[k] is the (k+1)-th smallest, everything
 * before it <= a[k] and everything after it >= a[k]; returns a[k].
 * Introselect: Hoare partitions around a median-of-three pivot placed at
 * the front (so each partition makes progress; runs of equal values split
 * evenly), qsort once the pivots have been bad too often. */
static double select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* k in [lo, hi) */
    unsigned budget = 16;
    for (size_t m = n; m > 1; m >>= 1)
        budget += 2;
    while (hi - lo > 16) {
        if (budget-- == 0) {
            qsort(a + lo, hi - lo, sizeof *a, cmp_double);
            return a[k];
        }
        median3_to(a, lo, lo + (hi - lo) / 2, hi - 1);
        double p = a[lo];
        size_t i = lo, j = hi;
        for (;;) {
            while (a[i] < p)
                i++;
            do
                j--;
            while (a[j] > p);
            if (i >= j)
                break;
            swap_d(&a[i], &a[j]);
            i++;
        }
        /* a[lo..j] <= p <= a[j+1..hi), lo <= j < hi - 1 */
        if (k <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
    for (size_t i = lo + 1; i < hi; i++) {
        double v = a[i];
        size_t j = i;
        while (j > lo && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
    return a[k];
}

static double min_of(const double *a, size_t n)
{
    double m = a[0];
    for (size_t i = 1; i < n; i++)
        if (a[i] < m)
            m = a[i];
    return m;
}

/* ---------------------------------------------------------------------
 * Exact arithmetic. */

/* The most significant non-zero component of the exact sum of e[0..m)
 * (m <= 8), or 0 when the sum is 0: its sign is the sign of the sum.
 * Shewchuk's grow-expansion with zero elimination. */
static double exact_sum_top(const double *e, int m)
{
    double h[8];
    int hn = 0;
    for (int i = 0; i < m; i++) {
        double q = e[i];
        int k = 0;
        for (int j = 0; j < hn; j++) {
            double s = q + h[j];
            double bv = s - q;
            double av = s - bv;
            double err = (q - av) + (h[j] - bv);
            q = s;
            if (err != 0.0)
                h[k++] = err;
        }
        if (q != 0.0)
            h[k++] = q;
        hn = k;
    }
    return hn ? h[hn - 1] : 0.0;
}

static int sign_of(double v)
{
    return (v > 0.0) - (v < 0.0);
}

/* ---------------------------------------------------------------------
 * Points, thresholds and orders. */

typedef struct sen_pt {
    double x, y; /* scaled year and value */
    double k;    /* fma-rounded key y - t x for the current threshold */
    double r;    /* sign carrier of the exact residual (y - t x) - k */
} sen_pt;

enum sen_order {
    ORD_LE,    /* (key_t asc, x desc): inversions = slopes <= t */
    ORD_LT,    /* (key_t asc, x asc): inversions = slopes < t */
    ORD_POSINF /* (x desc, y asc): t = +infinity, inversions = all pairs */
};

/* A threshold t. For 0 < |t| < 2^-500 the keys are computed as
 * 2^600 (y - t x) = (2^600 y) - (2^600 t) x, the same order, so that the
 * products t x never underflow (power-of-two scalings are exact). */
typedef struct sen_thr {
    double ts; /* t * ym */
    double ym; /* 1 or 2^600 */
    enum sen_order mode;
} sen_thr;

static sen_thr make_thr(double t, enum sen_order mode)
{
    sen_thr th = {t, 1.0, mode};
    if (t != 0.0 && fabs(t) < 0x1p-500) {
        th.ts = t * 0x1p600;
        th.ym = 0x1p600;
    }
    return th;
}

static void set_keys(sen_pt *p, size_t n, const sen_thr *th)
{
    double t = th->ts;
    for (size_t i = 0; i < n; i++) {
        double y = p[i].y * th->ym;
        double k = fma(-t, p[i].x, y);
        double pr = t * p[i].x;
        double e = fma(t, p[i].x, -pr); /* t x = pr + e exactly */
        double terms[4] = {y, -pr, -e, -k};
        p[i].k = k;
        p[i].r = exact_sum_top(terms, 4);
    }
}

/* Exact s + e = a + b (Knuth's TwoSum). */
static double two_sum_err(double a, double b, double s)
{
    double bv = s - a;
    double av = s - bv;
    return (a - av) + (b - bv);
}

/* Sign of key_t(a) - key_t(b) = (y_a - y_b) - t (x_a - x_b), exactly, for
 * points whose rounded keys are equal. */
static int key_tie_cmp(const sen_pt *a, const sen_pt *b, const sen_thr *th)
{
    int sa = sign_of(a->r), sb = sign_of(b->r);
    if (sa != sb || sa == 0)
        return (sa > sb) - (sa < sb);
    if (a->x == b->x)
        return (a->y > b->y) - (a->y < b->y);
    double t = th->ts;
    double ya = a->y * th->ym, yb = b->y * th->ym;
    double dy = ya - yb, dx = a->x - b->x;
    if (two_sum_err(ya, -yb, dy) == 0.0 &&
        two_sum_err(a->x, -b->x, dx) == 0.0) {
        /* exact differences: fma rounds dy - t dx once, keeping its sign
         * (unless it underflows to zero) */
        double d = fma(-t, dx, dy);
        if (d != 0.0)
            return sign_of(d);
    }
    double pa = t * a->x, ea = fma(t, a->x, -pa);
    double pb = t * b->x, eb = fma(t, b->x, -pb);
    double terms[6] = {a->y * th->ym, -(b->y * th->ym), -pa, -ea, pb, eb};
    return sign_of(exact_sum_top(terms, 6));
}

/* ord_cmp for equal rounded keys or t = +infinity. */
static int ord_cmp_slow(const sen_pt *a, const sen_pt *b, const sen_thr *th)
{
    if (th->mode == ORD_POSINF) {
        if (a->x != b->x)
            return a->x > b->x ? -1 : 1;
        return (a->y > b->y) - (a->y < b->y);
    }
    int c = key_tie_cmp(a, b, th);
    if (c != 0 || a->x == b->x)
        return c;
    if (th->mode == ORD_LE)
        return a->x > b->x ? -1 : 1;
    return a->x < b->x ? -1 : 1;
}

/* < 0 when a comes strictly before b in the order of th. Unequal rounded
 * keys decide (fma rounds monotonically); the rest is ord_cmp_slow. */
static inline int ord_cmp(const sen_pt *a, const sen_pt *b, const sen_thr *th)
{
    if (th->mode != ORD_POSINF) {
        if (a->k < b->k)
            return -1;
        if (a->k > b->k)
            return 1;
    }
    return ord_cmp_slow(a, b, th);
}

/* ---------------------------------------------------------------------
 * The prepared problem. */

typedef struct sen_ctx {
    double *bx, *by; /* scaled points in base order (x asc, y asc) */
    size_t n;
    uint64_t npairs;     /* pairs with distinct x: the number of slopes */
    int scale;           /* slope = scaled slope * 2^scale */
    double tie_x, tie_y; /* sums of t(t-1)(2t+5) over tie groups */
    /* large-N machinery */
    sen_pt *work, *tmp;
    double *smp; /* sorted sample of scaled slopes, |s| <= SEN_TMAX */
    size_t nsmp;
    double *cand; /* enumerated candidate slopes */
    size_t ncand, cand_max;
    uint64_t emitted;
    int bad; /* an inconsistency was detected (inexact arithmetic) */
} sen_ctx;

static void emit_pair(sen_ctx *c, const sen_pt *u, const sen_pt *v)
{
    double s;
    if (v->x > u->x)
        s = (v->y - u->y) / (v->x - u->x);
    else if (u->x > v->x)
        s = (u->y - v->y) / (u->x - v->x);
    else {
        c->bad = 1;
        return;
    }
    c->emitted++;
    if (c->ncand < c->cand_max)
        c->cand[c->ncand++] = s;
    else
        c->bad = 1;
}

/* Stable merge sort of a[0..n) by the order of th; returns the number of
 * pairs it exchanges (strict inversions) and, with emit, records each. */
static uint64_t msort(sen_ctx *c, sen_pt *a, size_t n, const sen_thr *th,
                      int emit)
{
    if (n < 2)
        return 0;
    uint64_t cnt = 0;
    if (n <= 12) {
        for (size_t i = 1; i < n; i++) {
            sen_pt v = a[i];
            size_t j = i;
            while (j > 0 && ord_cmp(&v, &a[j - 1], th) < 0) {
                if (emit)
                    emit_pair(c, &a[j - 1], &v);
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
            cnt += i - j;
        }
        return cnt;
    }
    size_t h = n / 2;
    cnt = msort(c, a, h, th, emit);
    cnt += msort(c, a + h, n - h, th, emit);
    if (ord_cmp(&a[h], &a[h - 1], th) >= 0)
        return cnt; /* no pair across the halves is exchanged */
    sen_pt *tmp = c->tmp;
    if (ord_cmp(&a[n - 1], &a[0], th) < 0) {
        /* every right element precedes every left one: rotate */
        cnt += (uint64_t)h * (uint64_t)(n - h);
        if (emit)
            for (size_t j = h; j < n; j++)
                for (size_t i = 0; i < h; i++)
                    emit_pair(c, &a[i], &a[j]);
        memcpy(tmp, a + h, (n - h) * sizeof *a);
        memmove(a + (n - h), a, h * sizeof *a);
        memcpy(a, tmp, (n - h) * sizeof *a);
        return cnt;
    }
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        if (ord_cmp(&a[j], &a[i], th) < 0) {
            cnt += h - i;
            if (emit)
                for (size_t l = i; l < h; l++)
                    emit_pair(c, &a[l], &a[j]);
            tmp[o++] = a[j++];
        } else {
            tmp[o++] = a[i++];
        }
    }
    while (i < h)
        tmp[o++] = a[i++];
    memcpy(a, tmp, o * sizeof *a);
    return cnt;
}

static void load_base(sen_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        c->work[i].x = c->bx[i];
        c->work[i].y = c->by[i];
        c->work[i].k = 0.0;
        c->work[i].r = 0.0;
    }
}

/* The number of slopes <= t (ORD_LE) or < t (ORD_LT), exactly. */
static uint64_t count_slopes(sen_ctx *c, double t, enum sen_order mode)
{
    sen_thr th = make_thr(t, mode);
    load_base(c);
    set_keys(c->work, c->n, &th);
    return msort(c, c->work, c->n, &th, 0);
}

/* ---------------------------------------------------------------------
 * Interval search. */

typedef struct sen_bracket {
    double lo, hi;      /* finite ends (ignored where infinite) */
    int lo_inf, hi_inf; /* lo = -inf, hi = +inf */
    uint64_t clo, chi;  /* c(lo) < k <= c(hi) */
} sen_bracket;

/* Doubles as monotone integers. */
static int64_t d2o(double d)
{
    int64_t i;
    memcpy(&i, &d, sizeof i);
    return i >= 0 ? i : -(i & INT64_MAX) - 1;
}

static double o2d(int64_t o)
{
    int64_t i = o >= 0 ? o : ((-(o + 1)) | INT64_MIN);
    double d;
    memcpy(&d, &i, sizeof d);
    return d;
}

static int inside(const sen_bracket *b, double t)
{
    return (b->lo_inf || t > b->lo) && (b->hi_inf || t < b->hi);
}

/* Bisection point of the bracket in the ordered bit patterns, within
 * [-SEN_TMAX, SEN_TMAX]; 0 when the bracket has no double inside. */
static int bisect(const sen_bracket *b, double *t)
{
    int64_t olo = b->lo_inf ? d2o(-SEN_TMAX) - 1 : d2o(b->lo);
    int64_t ohi = b->hi_inf ? d2o(SEN_TMAX) + 1 : d2o(b->hi);
    if (ohi <= olo)
        return 0;
    uint64_t diff = (uint64_t)ohi - (uint64_t)olo; /* may exceed INT64_MAX */
    if (diff < 2)
        return 0;
    int64_t mid = olo + (int64_t)(diff / 2);
    double v = o2d(mid);
    if (v == 0.0)
        v = 0.0; /* -0 and +0 order alike; use +0 */
    if (!inside(b, v))
        return 0;
    *t = v;
    return 1;
}

/* Index of the first sample > v (strict) or >= v. */
static size_t smp_bound(const sen_ctx *c, double v, int strict)
{
    size_t lo = 0, hi = c->nsmp;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int right = strict ? (c->smp[mid] > v) : (c->smp[mid] >= v);
        if (right)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void try_threshold(sen_ctx *c, sen_bracket *b, uint64_t k, double t)
{
    if (!inside(b, t) || c->bad)
        return;
    uint64_t ct = count_slopes(c, t, ORD_LE);
    if (ct < b->clo || ct > b->chi) {
        c->bad = 1;
        return;
    }
    if (ct >= k) {
        b->hi = t;
        b->hi_inf = 0;
        b->chi = ct;
    } else {
        b->lo = t;
        b->lo_inf = 0;
        b->clo = ct;
    }
}

/* Shrinks b (c(lo) < k <= c(hi)) until at most cand_max slopes lie in
 * (lo, hi] or no double is left strictly inside. */
static void find_bracket(sen_ctx *c, sen_bracket *b, uint64_t k)
{
    double tried_prev = NAN;
    for (int iter = 0; iter < SEN_MAX_ITER && !c->bad; iter++) {
        if (b->chi - b->clo <= c->cand_max)
            return;
        size_t ia = b->lo_inf ? 0 : smp_bound(c, b->lo, 1);
        size_t ib = b->hi_inf ? c->nsmp : smp_bound(c, b->hi, 0);
        if (ib > ia) {
            /* sample quantiles a little below and above the target */
            size_t cnt = ib - ia;
            double f = ((double)(k - b->clo) - 0.5) / (double)(b->chi - b->clo);
            double pos = f * (double)cnt;
            double d = 2.0 * sqrt((double)cnt * f * (1.0 - f)) + 1.0;
            double pa = floor(pos - d), pb = ceil(pos + d);
            size_t ja = pa < 0.0 ? 0 : (size_t)pa;
            size_t jb = pb < 0.0 ? 0 : (size_t)pb;
            if (ja > cnt - 1)
                ja = cnt - 1;
            if (jb > cnt - 1)
                jb = cnt - 1;
            double ta = c->smp[ia + ja], tb = c->smp[ia + jb];
            try_threshold(c, b, k, ta);
            if (tb != ta)
                try_threshold(c, b, k, tb);
            continue;
        }
        if (!b->hi_inf && !(tried_prev == b->hi)) {
            /* a slope value repeated in the sample: probe just below it */
            size_t e0 = smp_bound(c, b->hi, 0), e1 = smp_bound(c, b->hi, 1);
            tried_prev = b->hi;
            if (e1 - e0 >= 2) {
                double t = nextafter(b->hi, -INFINITY);
                if (inside(b, t)) {
                    try_threshold(c, b, k, t);
                    continue;
                }
            }
        }
        double t;
        if (!bisect(b, &t))
            return;
        try_threshold(c, b, k, t);
    }
}

/* Enumerates the slopes in (lo, hi] into c->cand. */
static void enumerate(sen_ctx *c, const sen_bracket *b)
{
    load_base(c);
    if (!b->lo_inf) {
        sen_thr tl = make_thr(b->lo, ORD_LE);
        set_keys(c->work, c->n, &tl);
        if (msort(c, c->work, c->n, &tl, 0) != b->clo)
            c->bad = 1;
    }
    sen_thr th =
        make_thr(b->hi_inf ? 0.0 : b->hi, b->hi_inf ? ORD_POSINF : ORD_LE);
    if (!b->hi_inf)
        set_keys(c->work, c->n, &th);
    c->ncand = 0;
    c->emitted = 0;
    uint64_t cnt = msort(c, c->work, c->n, &th, 1);
    if (cnt != b->chi - b->clo || c->emitted != cnt || c->ncand != cnt)
        c->bad = 1;
}

/* The k-th smallest slope (1-based) in scaled units, and when want_next and
 * available from the same bracket the (k+1)-th (*got_next = 1). */
static kpi_status resolve(sen_ctx *c, sen_bracket *b, uint64_t k, int want_next,
                          double *va, double *vb, int *got_next)
{
    *got_next = 0;
    if (c->bad)
        return KPI_ENUM;
    if (b->chi - b->clo <= c->cand_max) {
        enumerate(c, b);
        if (c->bad)
            return KPI_ENUM;
        size_t j = (size_t)(k - b->clo - 1);
        *va = select_kth(c->cand, c->ncand, j);
        if (want_next && j + 1 < c->ncand) {
            *vb = min_of(c->cand + j + 1, c->ncand - j - 1);
            *got_next = 1;
        }
        return KPI_OK;
    }
    /* Too many slopes between two adjacent doubles (or beyond SEN_TMAX). */
    if (b->hi_inf)
        return KPI_ENUM;
    double t;
    if (bisect(b, &t))
        return KPI_ENUM; /* not adjacent: the search gave up */
    uint64_t cs = count_slopes(c, b->hi, ORD_LT);
    if (cs > b->chi || cs < b->clo) {
        c->bad = 1;
        return KPI_ENUM;
    }
    if (cs < k)
        *va = b->hi; /* the k-th slope is exactly hi */
    else if (b->lo_inf)
        return KPI_ENUM; /* below -SEN_TMAX */
    else
        *va = b->lo; /* strictly between lo and hi: within one ulp */
    if (want_next && k + 1 <= b->chi) {
        *vb = cs < k + 1 ? b->hi : b->lo;
        *got_next = 1;
    }
    return KPI_OK;
}

/* Sorts a[0..n) ascending (no NaN) by an LSD radix sort of the ordered bit
 * patterns; tmp has room for n. */
static void radix_sort(double *a, double *tmp, size_t n)
{
    enum { BITS = 11, BUCKETS = 1 << BITS };
    size_t count[BUCKETS];
    double *src = a, *dst = tmp;
    for (int pass = 0; pass < 6; pass++) {
        int shift = pass * BITS;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[((uint64_t)d2o(src[i]) ^ (UINT64_C(1) << 63)) >> shift &
                  (BUCKETS - 1)]++;
        size_t sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[((uint64_t)d2o(src[i]) ^ (UINT64_C(1) << 63)) >> shift &
                      (BUCKETS - 1)]++] = src[i];
        double *t = src;
        src = dst;
        dst = t;
    }
    /* an even number of passes: the result is back in a */
}

static uint64_t sm64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A sorted random sample of (scaled) slopes, fixed seed: reproducible. */
static kpi_status sample_slopes(sen_ctx *c)
{
    size_t m = 2 * c->n;
    if (m < SEN_SAMPLE_MIN)
        m = SEN_SAMPLE_MIN;
    if (m > SEN_SAMPLE_MAX)
        m = SEN_SAMPLE_MAX;
    if ((uint64_t)m > c->npairs)
        m = (size_t)c->npairs;
    c->smp = malloc((m ? m : 1) * sizeof *c->smp);
    if (!c->smp)
        return KPI_ENOMEM;
    uint64_t state = 0x5EED5EED12345678u ^ (uint64_t)c->n;
    size_t got = 0;
    for (size_t a = 0; a < 4 * m && got < m; a++) {
        size_t i = (size_t)(sm64(&state) % c->n);
        size_t j = (size_t)(sm64(&state) % c->n);
        if (c->bx[i] == c->bx[j])
            continue;
        double s = (c->by[j] - c->by[i]) / (c->bx[j] - c->bx[i]);
        if (!(fabs(s) <= SEN_TMAX))
            continue;
        c->smp[got++] = s;
    }
    c->nsmp = got;
    double *tmp = malloc((got ? got : 1) * sizeof *tmp);
    if (!tmp)
        return KPI_ENOMEM;
    radix_sort(c->smp, tmp, got);
    free(tmp);
    return KPI_OK;
}

static void large_free(sen_ctx *c)
{
    free(c->work);
    free(c->tmp);
    free(c->smp);
    free(c->cand);
    c->work = c->tmp = NULL;
    c->smp = c->cand = NULL;
}

/* The k0-th (0-based) smallest slope and, with want_next, the next one;
 * scaled units. */
static kpi_status order_stats(sen_ctx *c, const kpi_sen_tuning *tun,
                              uint64_t k0, int want_next, double *va,
                              double *vb)
{
    size_t direct_max = tun ? tun->direct_max : SEN_DIRECT_MAX;
    if (c->npairs <= (uint64_t)direct_max) {
        size_t np = (size_t)c->npairs, o = 0;
        double *s = malloc(np * sizeof *s);
        if (!s)
            return KPI_ENOMEM;
        for (size_t i = 0; i < c->n; i++)
            for (size_t j = i + 1; j < c->n && o < np; j++)
                if (c->bx[i] < c->bx[j])
                    s[o++] = (c->by[j] - c->by[i]) / (c->bx[j] - c->bx[i]);
        if (o != np) { /* not reachable: npairs counts these pairs */
            free(s);
            return KPI_ENUM;
        }
        *va = select_kth(s, np, (size_t)k0);
        if (want_next)
            *vb = min_of(s + k0 + 1, np - (size_t)k0 - 1);
        free(s);
        return KPI_OK;
    }

    size_t cand_max = tun ? tun->cand_max : 0;
    if (!tun) {
        cand_max = SEN_CAND_MIN;
        if (cand_max / 2 < c->n)
            cand_max = 2 * c->n;
    }
    if (cand_max == 0)
        cand_max = 1;
    c->cand_max = cand_max;
    c->bad = 0;
    c->work = malloc(c->n * sizeof *c->work);
    c->tmp = malloc(c->n * sizeof *c->tmp);
    c->cand = malloc(cand_max * sizeof *c->cand);
    kpi_status st = KPI_ENOMEM;
    if (c->work && c->tmp && c->cand)
        st = sample_slopes(c);
    if (st != KPI_OK) {
        large_free(c);
        return st;
    }

    uint64_t k = k0 + 1;
    sen_bracket b = {0.0, 0.0, 1, 1, 0, c->npairs};
    find_bracket(c, &b, k);
    int got_next = 0;
    st = resolve(c, &b, k, want_next, va, vb, &got_next);
    if (st == KPI_OK && want_next && !got_next) {
        /* the (k+1)-th slope lies above this bracket: search above hi */
        sen_bracket b2 = {b.hi, 0.0, b.hi_inf, 1, b.chi, c->npairs};
        int dummy;
        double unused;
        find_bracket(c, &b2, k + 1);
        st = resolve(c, &b2, k + 1, 0, vb, &unused, &dummy);
    }
    large_free(c);
    return st;
}

/* ---------------------------------------------------------------------
 * Preparation and the entry points. */

static void ctx_free(sen_ctx *c)
{
    free(c->bx);
    free(c->by);
    c->bx = c->by = NULL;
}

/* Sum of t(t-1)(2t+5) over the groups of equal values of sorted a[0..n). */
static double tie_sum(const double *a, size_t n, uint64_t *tied_pairs)
{
    long double sum = 0.0L;
    uint64_t tp = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j] == a[i])
            j++;
        long double t = (long double)(j - i);
        sum += t * (t - 1.0L) * (2.0L * t + 5.0L);
        tp += (uint64_t)(j - i) * (uint64_t)(j - i - 1) / 2;
        i = j;
    }
    if (tied_pairs)
        *tied_pairs = tp;
    return (double)sum;
}

static kpi_status ctx_prepare(const double *y, const double *x, size_t n,
                              sen_ctx *c)
{
    memset(c, 0, sizeof *c);
    kpi_series s;
    kpi_status st = kpi_series_prepare(y, x, n, &s);
    if (st != KPI_OK)
        return st;
    c->bx = s.x;
    c->by = s.y;
    c->n = s.n;
    size_t m = s.n;
    if (!kpi_series_all_finite(&s)) {
        ctx_free(c);
        return KPI_ENUM;
    }
    if (m < 2) {
        ctx_free(c);
        return KPI_EDIV0;
    }
    if (m > UINT32_MAX) {
        ctx_free(c);
        return KPI_ENUM;
    }
    /* base order: x ascending (done), y ascending within equal x */
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && c->bx[j] == c->bx[i])
            j++;
        if (j - i > 1)
            qsort(c->by + i, j - i, sizeof *c->by, cmp_double);
        i = j;
    }
    uint64_t xtied;
    c->tie_x = tie_sum(c->bx, m, &xtied);
    c->npairs = (uint64_t)m * (uint64_t)(m - 1) / 2 - xtied;
    if (c->npairs == 0) {
        ctx_free(c);
        return KPI_EDIV0;
    }
    double *ys = malloc(m * sizeof *ys);
    if (!ys) {
        ctx_free(c);
        return KPI_ENOMEM;
    }
    memcpy(ys, c->by, m * sizeof *ys);
    qsort(ys, m, sizeof *ys, cmp_double);
    c->tie_y = tie_sum(ys, m, NULL);
    free(ys);

    /* Scale by powers of two: |x| into [1/2, 1), and |y| below 2^400 only
     * when larger (so that 2^600 y, used for tiny thresholds, and every key
     * y - t x with |t| <= 2^1000 stay far from overflow). */
    double mx = 0.0, my = 0.0;
    for (size_t i = 0; i < m; i++) {
        if (fabs(c->bx[i]) > mx)
            mx = fabs(c->bx[i]);
        if (fabs(c->by[i]) > my)
            my = fabs(c->by[i]);
    }
    int ex = 0, ey = 0;
    frexp(mx, &ex);
    if (my > 0.0)
        frexp(my, &ey);
    ey = ey > 400 ? ey - 400 : 0;
    for (size_t i = 0; i < m; i++) {
        c->bx[i] = ldexp(c->bx[i], -ex);
        c->by[i] = ldexp(c->by[i], -ey);
    }
    c->scale = ey - ex;
    /* Scaling is exact unless a year becomes subnormal; if two distinct
     * years became equal (years spanning more than ~2^1000), the pairs
     * would change: refuse. */
    uint64_t xtied2;
    (void)tie_sum(c->bx, m, &xtied2);
    if (xtied2 != xtied) {
        ctx_free(c);
        return KPI_ENUM;
    }
    return KPI_OK;
}

static kpi_status check_options(double *conf, int bound)
{
    if (bound < -1 || bound > 1)
        return KPI_ENUM;
    if (!kpi_is_level(*conf)) /* NaN included */
        return KPI_ENUM;
    return KPI_OK;
}

/* One statistic of a prepared context: bound 0 slope, -1/+1 limits. */
static kpi_status ctx_stat(sen_ctx *c, double conf, int bound,
                           const kpi_sen_tuning *tun, double *out)
{
    uint64_t np = c->npairs;
    double va = 0.0, vb = 0.0;
    kpi_status st;
    if (bound == 0) {
        int even = np % 2 == 0;
        uint64_t k0 = even ? np / 2 - 1 : (np - 1) / 2;
        st = order_stats(c, tun, k0, even, &va, &vb);
        if (st != KPI_OK)
            return st;
        double a = ldexp(va, c->scale);
        if (even) {
            double b = ldexp(vb, c->scale);
            double sum = a + b;
            a = isfinite(sum) ? sum / 2.0 : a / 2.0 + b / 2.0;
        }
        if (!isfinite(a))
            return KPI_ENUM;
        *out = a;
        return KPI_OK;
    }
    /* Sen (1968) eq. 2.6 as scipy.stats.theilslopes */
    double nn = (double)c->n;
    long double total =
        (long double)nn * (long double)(nn - 1.0) * (2.0L * nn + 5.0L);
    double sigsq = (1.0 / 18.0) * (double)(total - (long double)c->tie_x -
                                           (long double)c->tie_y);
    if (!(sigsq >= 0.0))
        return KPI_EDIV0;
    double sigma = sqrt(sigsq);
    double z;
    st = kpi_dist_norm_quantile((1.0 - conf) / 2.0, &z);
    if (st != KPI_OK)
        return st;
    double nt = (double)np;
    double ru = rint((nt - z * sigma) / 2.0);
    double rl = rint((nt + z * sigma) / 2.0) - 1.0;
    if (ru > nt - 1.0)
        ru = nt - 1.0;
    if (rl < 0.0)
        rl = 0.0;
    if (!(ru >= 0.0 && rl <= nt - 1.0))
        return KPI_ENUM; /* not reachable: z < 0 */
    uint64_t k0 = (uint64_t)(bound < 0 ? rl : ru);
    st = order_stats(c, tun, k0, 0, &va, &vb);
    if (st != KPI_OK)
        return st;
    double a = ldexp(va, c->scale);
    if (!isfinite(a))
        return KPI_ENUM;
    *out = a;
    return KPI_OK;
}

kpi_status kpi_sen_slope_tuned(const double *y, const double *x, size_t n,
                               double conf, int bound,
                               const kpi_sen_tuning *tun, double *out)
{
    if (!out)
        return KPI_EVALUE;
    *out = 0.0;
    kpi_status st = check_options(&conf, bound);
    if (st != KPI_OK)
        return st;
    if (n > 0 && !y)
        return KPI_EVALUE;
    sen_ctx c;
    st = ctx_prepare(y, x, n, &c);
    if (st != KPI_OK)
        return st;
    st = ctx_stat(&c, conf, bound, tun, out);
    ctx_free(&c);
    if (st != KPI_OK)
        *out = 0.0;
    return st;
}

kpi_status kpi_sen_slope(const double *y, const double *x, size_t n,
                         double conf, int bound, double *out)
{
    return kpi_sen_slope_tuned(y, x, n, conf, bound, NULL, out);
}

kpi_status kpi_sen_interval(const double *y, const double *x, size_t n,
                            double conf, double *slope, double *low,
                            double *high, kpi_status *lim_status)
{
    if (!slope || !low || !high || !lim_status)
        return KPI_EVALUE;
    *slope = *low = *high = NAN;
    *lim_status = KPI_EVALUE;
    kpi_status st = check_options(&conf, 0);
    if (st != KPI_OK) {
        *lim_status = st;
        return st;
    }
    if (n > 0 && !y)
        return KPI_EVALUE;
    sen_ctx c;
    st = ctx_prepare(y, x, n, &c);
    if (st != KPI_OK) {
        *lim_status = st;
        return st;
    }
    st = ctx_stat(&c, conf, 0, NULL, slope);
    if (st != KPI_OK) {
        *slope = NAN;
        *lim_status = st;
        ctx_free(&c);
        return st;
    }
    kpi_status ls = ctx_stat(&c, conf, -1, NULL, low);
    if (ls == KPI_OK)
        ls = ctx_stat(&c, conf, 1, NULL, high);
    if (ls != KPI_OK)
        *low = *high = NAN;
    *lim_status = ls;
    ctx_free(&c);
    return KPI_OK;
}
