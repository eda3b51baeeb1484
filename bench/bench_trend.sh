#!/bin/sh
# bench_trend.sh - MKTEST and SENSLOPE of the C core against scipy's
# kendalltau and theilslopes on the same random data (10^3, 10^4, 10^5
# points), in one run. Built by make ($(B)/bench/bench_trend: the core with
# the project's flags, no sanitizers). Run from the repository root:
#   sh bench/bench_trend.sh
# Uses Debian's /usr/bin/python3 (scipy from python3-scipy).
set -eu

B=${B:-build}
OUT="$B/bench"
mkdir -p "$OUT/data"

make -s B="$B" "$OUT/bench_trend"

"$OUT/bench_trend" "$OUT/data" > "$OUT/ours.txt"
/usr/bin/python3 bench/bench_trend_scipy.py "$OUT/data" > "$OUT/scipy.txt"

cat "$OUT/ours.txt" "$OUT/scipy.txt" | awk '
$1 == "RESULT" { t[$2 " " $3] = $4; v[$2 " " $3] = $5; next }
$1 == "SKIP"   { skip[$2 " " $3] = 1; next }
function cell(k) { return (k in t) ? sprintf("%.4g", t[k]) : "-" }
function ratio(a, b) {
    return ((a in t) && (b in t) && t[a] > 0) ? sprintf("%.1fx", t[b] / t[a]) : "-"
}
function agree(a, b, rel) {
    if (!(a in v) || !(b in v)) return "-"
    d = v[a] - v[b]; if (d < 0) d = -d
    m = v[b]; if (m < 0) m = -m
    return (d <= rel * (m > 1e-300 ? m : 1e-300)) ? "same" : "DIFFERENT"
}
END {
    printf "%-8s | %-10s %-11s %-8s %-5s | %-10s %-10s %-11s %-8s %-5s\n",
        "n", "MK (s)", "kendalltau", "speedup", "S", "SEN (s)", "SEN+CI (s)",
        "theilslopes", "speedup", "slope"
    for (i = 0; i < 3; i++) {
        n = (i == 0) ? 1000 : (i == 1) ? 10000 : 100000
        th = skip["theil " n] ? "skipped*" : cell("theil " n)
        printf "%-8s | %-10s %-11s %-8s %-5s | %-10s %-10s %-11s %-8s %-5s\n",
            n, cell("mk " n), cell("kendalltau " n),
            ratio("mk " n, "kendalltau " n), agree("mk " n, "kendalltau " n, 1e-9),
            cell("sen " n), cell("senci " n), th,
            ratio("senci " n, "theil " n), agree("sen " n, "theil " n, 1e-12)
    }
    print ""
    print "seconds: best of >= 3 calls and >= 0.3 s; speedup = scipy / ours"
    print "(SENSLOPE+CI: slope and both limits, as theilslopes returns them)."
    print "* theilslopes materialises n x n matrices (~240 GB at 10^5): not run."
}'
