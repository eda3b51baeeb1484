#!/bin/bash
# What the county summary workbook (--summary FILE.ods, docs/county.md)
# adds to a run over many workbooks: kpicalc -j2 over N workbooks (ODS
# out; see BENCH_WORKBOOKS) three ways, ROUNDS rounds:
#   none    no summary
#   csv     --summary s.csv (each workbook's cells are read from the .ods
#           the run writes: build/bench/scan_cost times that)
#   county  --summary county.ods (the same reading, then one office worker
#           recalculates the county workbook, freezes its add-in cells and
#           saves it)
# Goal (issue 12): county adds under 5% to the run's wall time. The figures
# count only if the outputs are whole: every workbook's .ods of each run,
# the CSV summary's rows, and the county.ods with one row per workbook and
# its two charts.
# The three ways run in a different order each round (the machine's speed
# drifts); best and median of the rounds are shown, and, measured inside
# each county run, the seconds from the last workbook's output to the end
# of the run: the county workbook's own step, which wall-time differences
# between runs only estimate.
#   usage: bench/batch/bench_summary.sh [WORKBOOKS (1000)] [ROUNDS (2)]
#   BENCH_KPICALC=path/to/kpicalc to measure another build.
#   BENCH_WORKBOOKS=samples: the workbooks are copies of the real ones in
#   samples/ (the template with its charts, every indicator and its counts,
#   so the funnel plots have a point per workbook), taken in turn; default
#   "synthetic": tests/batch/make_fixtures.py's small yearly workbooks
#   (a few indicators, no counts: the cheapest workbooks to recalculate,
#   so the summary's share of the run is at its largest).
set -eu
N=${1:-1000}
ROUNDS=${2:-2}
. "$(dirname "$0")/common.sh" bench-summary
KPICALC=${BENCH_KPICALC:-$KPICALC}

WORKBOOKS=${BENCH_WORKBOOKS:-synthetic}
case $WORKBOOKS in
samples)
    mkdir -p "$T/in"
    mapfile -t SRC < <(find "$ROOT/samples" -name '*.ods' | sort)
    for i in $(seq "$N"); do
        cp "${SRC[$(((i - 1) % ${#SRC[@]}))]}" "$T/in/township-$(printf %04d "$i").ods"
    done
    what="copies of the ${#SRC[@]} workbooks in samples/"
    ;;
synthetic)
    /usr/bin/python3 "$ROOT/tests/batch/make_fixtures.py" yearly "$N" "$T/in"
    what="generated yearly workbooks"
    ;;
*) echo "BENCH_WORKBOOKS: samples or synthetic" >&2; exit 2 ;;
esac
echo "workbooks: $N $what; machine: $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
# warm-up (not timed): the profiles are made
"$KPICALC" recalc -q -j 2 -o "$T/warm" --summary "$T/warm/c.ods" \
    $(find "$T/in" -type f | sort | head -2)

cat >"$T/timed.py" <<'EOF'
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
end, wall = time.time(), time.monotonic() - t
open(sys.argv[1], 'w').write('%.3f\n' % wall)
open(sys.argv[1] + '.end', 'w').write('%.3f\n' % end)
EOF
# seconds from the last workbook output of folder $2 to the end time in $1
cat >"$T/tail.py" <<'EOF'
import os, sys
end = float(open(sys.argv[1]).read())
last = max(os.path.getmtime(os.path.join(sys.argv[2], f)) for f in os.listdir(sys.argv[2])
           if f.endswith('.ods') and f != 'county.ods')
print('%.3f' % (end - last))
EOF
cat >"$T/check.py" <<'EOF'
import os, re, sys, zipfile
import xml.etree.ElementTree as ET
n, out, county = int(sys.argv[1]), sys.argv[2], sys.argv[3]
files = [f for f in os.listdir(out) if f.endswith('.ods') and f != 'county.ods']
# (a CSV summary, s.csv, sits beside them in the csv run's folder)
assert len(files) == n, '%d of %d outputs' % (len(files), n)
for f in files:
    with zipfile.ZipFile(os.path.join(out, f)) as z:
        assert z.testzip() is None, f
if county:
    T = '{urn:oasis:names:tc:opendocument:xmlns:table:1.0}'
    with zipfile.ZipFile(county) as z:
        assert z.testzip() is None
        root = ET.fromstring(z.read('content.xml'))
        charts = [m for m in z.namelist() if re.match(r'Object \d+/content.xml$', m)]
        assert len(charts) == 2, charts
        for c in charts:
            ET.fromstring(z.read(c))
        assert b'ORG.KPICALC' not in z.read('content.xml').upper()
    tab = [t for t in root.iter(T + 'table') if t.get(T + 'name') == '数据'][0]
    rows = len(list(tab.iter(T + 'table-row')))
    assert rows >= n + 1, 'data sheet: %d rows for %d workbooks' % (rows, n)
    if sys.argv[4] == 'samples':  # a funnel point per workbook, both plots
        O = '{urn:oasis:names:tc:opendocument:xmlns:office:1.0}'
        fun = [t for t in root.iter(T + 'table') if t.get(T + 'name') == '漏斗图'][0]
        vals = [c for c in fun.iter(T + 'table-cell')
                if c.get(O + 'value-type') == 'percentage' or c.get(O + 'value-type') == 'float']
        assert len(vals) >= 2 * 5 * n, 'funnel sheet: %d numbers for %d workbooks' % (len(vals), n)
EOF

way() {
    case $1 in
    none) /usr/bin/python3 "$T/timed.py" "$T/t.none.$2" "$KPICALC" recalc -q -j 2 -o "$T/a" "$T/in" ;;
    csv) /usr/bin/python3 "$T/timed.py" "$T/t.csv.$2" "$KPICALC" recalc -q -j 2 -o "$T/b" \
        --summary "$T/b/s.csv" "$T/in" ;;
    county) /usr/bin/python3 "$T/timed.py" "$T/t.county.$2" "$KPICALC" recalc -q -j 2 -o "$T/c" \
        --summary "$T/c/county.ods" "$T/in"
        /usr/bin/python3 "$T/tail.py" "$T/t.county.$2.end" "$T/c" >"$T/step.$2" ;;
    esac
}
ORDERS=("none csv county" "csv county none" "county none csv")
for r in $(seq "$ROUNDS"); do
    rm -rf "$T/a" "$T/b" "$T/c"
    for w in ${ORDERS[$(((r - 1) % 3))]}; do way "$w" "$r"; done
    /usr/bin/python3 "$T/check.py" "$N" "$T/a" "" "$WORKBOOKS" &&
        /usr/bin/python3 "$T/check.py" "$N" "$T/b" "" "$WORKBOOKS" &&
        [ "$(($(wc -l <"$T/b/s.csv") - 1))" = "$N" ] &&
        /usr/bin/python3 "$T/check.py" "$N" "$T/c" "$T/c/county.ods" "$WORKBOOKS" ||
        { echo "round $r: broken outputs: the figures do not count" >&2; exit 1; }
    echo "round $r (wall s): none $(cat "$T/t.none.$r"), csv $(cat "$T/t.csv.$r")," \
        "county $(cat "$T/t.county.$r") (its step after the last workbook $(cat "$T/step.$r") s)" \
        "[load $(cut -d' ' -f1 /proc/loadavg)]"
done
# the wall times of way $1 (t.WAY.ROUND; t.WAY.ROUND.end holds the end)
walls() { for r in $(seq "$ROUNDS"); do cat "$T/t.$1.$r"; done; }
best() { walls "$1" | sort -n | head -1; }
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
awk -v a="$(walls none | median)" -v b="$(walls csv | median)" \
    -v c="$(walls county | median)" -v tl="$(cat "$T"/step.* | median)" -v r="$ROUNDS" 'BEGIN {
    printf "\nmedians of %d rounds: none %.2f s, csv %.2f s (%+.1f%%), county %.2f s (%+.1f%%)\n", r, a, b, (b / a - 1) * 100, c, (c / a - 1) * 100
    printf "the county step after the last workbook (median): %.2f s = %.1f%% of the run without summary\n", tl, tl / a * 100
}'
# the other part of the summary's cost: reading each written workbook's
# cells (in the workers, so spread over the -j2 run): timed on one output
make -s -C "$ROOT" build/bench/scan_cost
SAMPLE=$(find "$T/c" -maxdepth 1 -name '*.ods' ! -name county.ods | sort | head -1)
MS=$("$ROOT/build/bench/scan_cost" "$SAMPLE" 100 | awk '{print $8}')
awk -v ms="$MS" -v n="$N" -v tl="$(cat "$T"/step.* | median)" -v a="$(walls none | median)" 'BEGIN {
    printf "reading one workbook'"'"'s cells: %.2f ms (build/bench/scan_cost); %d of them over 2 workers: %.2f s\n", ms, n, ms * n / 2000
    printf "the county summary'"'"'s own cost, measured: %.2f s + %.2f s = %.1f%% of the run without summary (median)\n", tl, ms * n / 2000, (tl + ms * n / 2000) / a * 100
}'
awk -v n="$N" -v a="$(best none)" -v b="$(best csv)" -v c="$(best county)" 'BEGIN {
    printf "\n%-44s %8s\n", "kpicalc recalc -j2, best of the rounds", "wall s"
    printf "%-44s %8.2f\n", "no summary", a
    printf "%-44s %8.2f  (+%.1f%%)\n", "--summary s.csv", b, (b / a - 1) * 100
    printf "%-44s %8.2f  (+%.1f%%)\n", "--summary county.ods", c, (c / a - 1) * 100
    printf "\nthe county workbook over the CSV summary: +%.2f s (+%.1f%%)\n", c - b, (c / b - 1) * 100
    printf "county summary of %d workbooks vs no summary: +%.1f%% (goal: under 5%%)\n", n, (c / a - 1) * 100
}'
