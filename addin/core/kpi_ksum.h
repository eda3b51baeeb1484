/* kpi_ksum.h - Neumaier's compensated summation, shared by the modules that
 * add many terms of mixed magnitude (OLS sums, Fisher's table
 * probabilities). */
#ifndef KPI_KSUM_H
#define KPI_KSUM_H

#include <math.h>

typedef struct ksum {
    double s, c; /* the running sum and its compensation */
} ksum;

static inline void ksum_add(ksum *k, double v)
{
    double t = k->s + v;
    if (fabs(k->s) >= fabs(v))
        k->c += (k->s - t) + v;
    else
        k->c += (v - t) + k->s;
    k->s = t;
}

static inline double ksum_get(const ksum *k)
{
    return k->s + k->c;
}

#endif
