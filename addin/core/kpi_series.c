/* kpi_series.c - preparation of (year, value) series; see kpi_series.h. */
#include "kpi_series.h"

#include <math.h>
#include <stdlib.h>

typedef struct point {
    double x, y;
    size_t pos; /* original position: keeps the sort stable */
} point;

static int point_cmp(const void *a, const void *b)
{
    const point *p = a, *q = b;
    if (p->x < q->x)
        return -1;
    if (p->x > q->x)
        return 1;
    return (p->pos > q->pos) - (p->pos < q->pos);
}

static int is_sorted(const point *p, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (p[i].x < p[i - 1].x)
            return 0;
    return 1;
}

kpi_status kpi_series_prepare(const double *y, const double *x, size_t n,
                              kpi_series *out)
{
    out->x = out->y = NULL;
    out->n = 0;
    point *pts = malloc((n ? n : 1) * sizeof *pts);
    out->x = malloc((n ? n : 1) * sizeof *out->x);
    out->y = malloc((n ? n : 1) * sizeof *out->y);
    if (!pts || !out->x || !out->y) {
        free(pts);
        kpi_series_free(out);
        return KPI_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double xi = x ? x[i] : (double)(i + 1);
        if (isnan(y[i]) || isnan(xi))
            continue;
        pts[m].x = xi;
        pts[m].y = y[i];
        pts[m].pos = i;
        m++;
    }
    if (!is_sorted(pts, m))
        qsort(pts, m, sizeof *pts, point_cmp);
    for (size_t i = 0; i < m; i++) {
        out->x[i] = pts[i].x;
        out->y[i] = pts[i].y;
    }
    out->n = m;
    free(pts);
    return KPI_OK;
}

int kpi_series_has_duplicate_years(const kpi_series *s)
{
    for (size_t i = 1; i < s->n; i++)
        if (s->x[i] == s->x[i - 1])
            return 1;
    return 0;
}

int kpi_series_all_finite(const kpi_series *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]))
            return 0;
    return 1;
}

void kpi_series_free(kpi_series *s)
{
    free(s->x);
    free(s->y);
    s->x = s->y = NULL;
    s->n = 0;
}
