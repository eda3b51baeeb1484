#!/bin/bash
# Memory over a long run: `kpicalc recalc` over many workbooks (1,000 by
# default), once with the default worker restarts (every 200 workbooks) and
# once without any restart, each reporting the peak memory of its largest
# worker; and the resident memory of the workers sampled every second, so
# that growth (a leak in LibreOffice) shows.
#   usage: bench/batch/soak.sh [WORKBOOKS (1000)] [JOBS (2)]
set -eu
N=${1:-1000}
J=${2:-2}
. "$(dirname "$0")/common.sh" soak

# 20 distinct yearly workbooks, copied to N files in folders of 100
/usr/bin/python3 "$ROOT/tests/batch/make_fixtures.py" yearly 20 "$T/src"
for i in $(seq 0 $((N - 1))); do
    d=$T/in/part-$((i / 100))
    mkdir -p "$d"
    cp "$T/src/township-$(printf %03d $((i % 20 + 1))).fods" "$d/w-$i.fods"
done

# sample every second: the largest worker's resident memory (MiB)
sample() {
    local out=$1 pat=$2
    while sleep 1; do
        local max=0
        for p in $(pgrep -f "[k]picalc recalc .*$pat"); do
            local kb
            kb=$(awk '/^VmRSS:/ {print $2}' /proc/$p/status 2>/dev/null || echo 0)
            [ "${kb:-0}" -gt "$max" ] && max=$kb
        done
        echo $((max / 1024)) >>"$out"
    done
}

run() {
    local name=$1
    shift
    sample "$T/$name.rss" "$T/out-$name" &
    local sp=$!
    local t0=$(date +%s)
    "$KPICALC" recalc -j "$J" -o "$T/out-$name" "$@" "$T/in" 2>"$T/$name.log" || true
    local t1=$(date +%s)
    kill $sp 2>/dev/null || true
    wait $sp 2>/dev/null || true
    echo "== $name: $(cat "$T/$name.log" | tail -1) [$((t1 - t0)) s]"
    # the sampled maximum, per tenth of the run
    /usr/bin/python3 - "$T/$name.rss" <<'EOF'
import sys
v = [int(x) for x in open(sys.argv[1]) if x.strip()]
v = [x for x in v if x > 0]
if not v:
    sys.exit()
k = max(1, len(v) // 10)
parts = [max(v[i:i + k]) for i in range(0, len(v), k)]
print('   largest worker RSS (MiB) per tenth of the run: ' + ' '.join(map(str, parts)))
EOF
}

"$KPICALC" recalc -q -j "$J" "$T/src/township-001.fods" "$T/src/township-002.fods" >/dev/null 2>&1 || true
echo "soak: $N workbooks, -j $J"
run restarts
run norestart --max-docs-per-worker 1000000 --max-worker-memory 0
