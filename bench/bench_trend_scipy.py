#!/usr/bin/python3
"""Times scipy.stats.kendalltau and scipy.stats.theilslopes on the data that
bench_trend writes (DATADIR/trend_N.txt), with bench_trend's protocol: best
of at least 3 calls and at least 0.3 s. Prints
    RESULT <what> <n> <seconds per call> <value>
and, for theilslopes beyond THEIL_MAX points,
    SKIP theil <n> <reason>
theilslopes builds n x n difference matrices (about 3 * 8 n^2 bytes plus
the slope vector), 240 GB at n = 10^5: it is not run there.

kendalltau's value is S = tau_b * sqrt((N - T_x)(N - T_y)), comparable to
MKTEST's S; theilslopes' value is its slope.
"""

import math
import sys
import time
import warnings

import numpy as np
from scipy import stats

THEIL_MAX = 10000


def best_time(fn):
    best, total, reps = math.inf, 0.0, 0
    while reps < 3 or (total < 0.3 and reps < 1000):
        t0 = time.perf_counter()
        out = fn()
        t = time.perf_counter() - t0
        best = min(best, t)
        total += t
        reps += 1
    return best, out


def main():
    datadir = sys.argv[1]
    for n in (1000, 10000, 100000):
        x, y = np.loadtxt(f"{datadir}/trend_{n}.txt", unpack=True)
        t, kt = best_time(lambda: stats.kendalltau(x, y))
        npairs = n * (n - 1) // 2
        _, counts = np.unique(y, return_counts=True)
        ties = int((counts * (counts - 1) // 2).sum())
        s = kt.correlation * math.sqrt(npairs * (npairs - ties))
        print(f"RESULT kendalltau {n} {t:.6g} {s:.17g}", flush=True)
        if n <= THEIL_MAX:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, ts = best_time(lambda: stats.theilslopes(y, x))
            print(f"RESULT theil {n} {t:.6g} {ts.slope:.17g}", flush=True)
        else:
            gb = 3 * 8 * n * n / 1e9
            print(f"SKIP theil {n} needs ~{gb:.0f} GB (n x n matrices)",
                  flush=True)


if __name__ == "__main__":
    main()
