#!/bin/bash
# Speed of `kpicalc recalc` against its best peer, in the same run:
#   kpicalc -j1, kpicalc -j2, and one
#   soffice --headless --convert-to ods --outdir OUT FILES...
# over the same generated yearly workbooks (forced full recalculation, ODS
# out). soffice gets a profile with recalculation on load forced and the
# same speed settings kpicalc uses (no thumbnail; the version recorded, so
# that LibreOffice 7.4 skips its graphics self-test at start). A fourth
# row, kpicalc -j1 with KPICALC_LOADER=lok, opens every workbook into a
# LibreOfficeKit view instead of a bare model: the cost of the views. Each
# command runs ROUNDS times, interleaved; the best wall time counts (the machine may be shared),
# and the CPU seconds are shown too (less sensitive to other load).
# BENCH_INPUT=samples takes the bundled sample workbooks instead (real
# size, each with a chart: the outputs that were once truncated), copied
# round-robin up to WORKBOOKS files.
#   usage: bench/batch/bench_batch.sh [WORKBOOKS (100)] [ROUNDS (3)]
set -eu
SOFFICE=/usr/lib/libreoffice/program/soffice
N=${1:-100}
ROUNDS=${2:-3}
. "$(dirname "$0")/common.sh" bench

if [ "${BENCH_INPUT:-generated}" = samples ]; then
    mkdir -p "$T/in"
    src=("$ROOT"/samples/*.ods "$ROOT"/samples/county/*.ods)
    for i in $(seq 0 $((N - 1))); do
        cp "${src[i % ${#src[@]}]}" "$T/in/$(printf 'township-%03d.ods' $((i + 1)))"
    done
    FORMULAS=$(unzip -p "$T/in/township-001.ods" content.xml | grep -o 'table:formula=' | wc -l)
    echo "workbooks: $N copies of the ${#src[@]} sample workbooks (with charts), $FORMULAS formulas in the first"
else
    /usr/bin/python3 "$ROOT/tests/batch/make_fixtures.py" yearly "$N" "$T/in"
    FORMULAS=$(grep -o 'table:formula=' "$T/in/township-001.fods" | wc -l)
    echo "workbooks: $N generated yearly workbooks, 4 sheets, $FORMULAS formulas each"
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# warm-up (not timed): kpicalc creates its two profiles, soffice its own
"$KPICALC" recalc -q -j 2 -o "$T/warm" "$T/in/township-001".* "$T/in/township-002".*
mkdir -p "$T/sprofile/user"
"$SOFFICE" --headless --terminate_after_init "-env:UserInstallation=file://$T/sprofile"
/usr/bin/python3 - "$T/sprofile/user/registrymodifications.xcu" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p).read()
xcd = open('/usr/lib/libreoffice/share/registry/main.xcd', encoding='utf-8').read()
version = re.search(r'<prop oor:name="ooSetupVersion">\s*<value>([^<]+)</value>', xcd).group(1)
items = ''.join(
    '<item oor:path="%s"><prop oor:name="%s" oor:op="fuse"><value>%s</value></prop></item>\n' % i
    for i in (('/org.openoffice.Office.Calc/Formula/Load', 'ODFRecalcMode', '0'),
              ('/org.openoffice.Office.Calc/Formula/Load', 'OOXMLRecalcMode', '0'),
              ('/org.openoffice.Office.Common/Save/Document', 'GenerateThumbnail', 'false'),
              ('/org.openoffice.Setup/Product', 'ooSetupLastVersion', version)))
open(p, 'w').write(s.replace('</oor:items>', items + '</oor:items>'))
EOF

# every output an .ods that a reader other than LibreOffice takes whole
cat >"$T/whole.py" <<'EOF'
import os, sys, zipfile
import xml.etree.ElementTree as ET
n = int(sys.argv[1])
bad = 0
for d in sys.argv[2:]:
    files = [f for f in os.listdir(d) if f.endswith('.ods')]
    if len(files) != n:
        print('%s has %d of %d outputs' % (d, len(files), n)); bad += 1
    for f in files:
        try:
            with zipfile.ZipFile(os.path.join(d, f)) as z:
                if z.testzip() is not None: raise ValueError('CRC')
                ET.fromstring(z.read('content.xml'))
        except Exception as e:
            print('%s/%s: not whole: %s' % (d, f, e)); bad += 1
sys.exit(1 if bad else 0)
EOF

# the timer: runs a command, writes "wall-seconds cpu-seconds" to a file
cat >"$T/timed.py" <<'EOF'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], 'w').write('%.3f %.3f\n' % (wall, r.ru_utime + r.ru_stime))
EOF
timed() { /usr/bin/python3 "$T/timed.py" "$@"; }

for r in $(seq "$ROUNDS"); do
    rm -rf "$T/o1" "$T/o2" "$T/o3" "$T/o4"
    timed "$T/t.j1.$r" "$KPICALC" recalc -q -j 1 -o "$T/o1" "$T/in"
    timed "$T/t.lok.$r" env KPICALC_LOADER=lok "$KPICALC" recalc -q -j 1 -o "$T/o4" "$T/in"
    timed "$T/t.j2.$r" "$KPICALC" recalc -q -j 2 -o "$T/o2" "$T/in"
    timed "$T/t.so.$r" "$SOFFICE" --headless --norestore "-env:UserInstallation=file://$T/sprofile" \
        --convert-to ods --outdir "$T/o3" "$T/in"/*
    # a speed-up counts only if the outputs stay whole: every output of
    # every command, read back by Python's zipfile and XML parser
    /usr/bin/python3 "$T/whole.py" "$N" "$T/o1" "$T/o2" "$T/o3" "$T/o4" ||
        { echo "round $r: broken outputs: the figures do not count" >&2; exit 1; }
    echo "round $r (wall/cpu s): kpicalc -j1 $(tr ' ' / <"$T/t.j1.$r")," \
        "kpicalc -j1 views $(tr ' ' / <"$T/t.lok.$r")," \
        "kpicalc -j2 $(tr ' ' / <"$T/t.j2.$r"), soffice $(tr ' ' / <"$T/t.so.$r")" \
        "[load $(cut -d' ' -f1 /proc/loadavg)]"
done

# the outputs are recalculated: the KPI sheet's cached certification rate
/usr/bin/python3 - "$T" <<'EOF'
import re, sys, zipfile
t = sys.argv[1]
for d in ('o1', 'o2', 'o3', 'o4'):
    x = zipfile.ZipFile('%s/%s/township-001.ods' % (t, d)).read('content.xml').decode()
    m = re.search(r'<table:table table:name="KPI".*?certrate.*?office:value="([^"]+)"', x, re.S)
    if not m or m.group(1) == '0':
        sys.exit('%s: the KPI sheet was not recalculated' % d)
print('check: every output recalculated (certrate of township-001 = %s)' % m.group(1))
EOF

best() { cat "$T"/t.$1.* | cut -d' ' -f"$2" | sort -n | head -1; }
awk -v n="$N" -v a="$(best j1 1)" -v b="$(best j2 1)" -v c="$(best so 1)" \
    -v ca="$(best j1 2)" -v cb="$(best j2 2)" -v cc="$(best so 2)" \
    -v d="$(best lok 1)" -v cd="$(best lok 2)" 'BEGIN {
    printf "\n%-38s %8s %9s %12s\n", "command (best of the rounds)", "wall s", "files/s", "cpu s/file"
    printf "%-38s %8.2f %9.2f %12.3f\n", "kpicalc recalc -j1", a, n / a, ca / n
    printf "%-38s %8.2f %9.2f %12.3f\n", "kpicalc recalc -j2", b, n / b, cb / n
    printf "%-38s %8.2f %9.2f %12.3f\n", "soffice --convert-to ods (1 process)", c, n / c, cc / n
    printf "%-38s %8.2f %9.2f %12.3f\n", "kpicalc -j1, LibreOfficeKit views", d, n / d, cd / n
    printf "\nratio kpicalc -j1 / soffice: %.2fx (goal: at least 1.0x)\n", c / a
    printf "ratio kpicalc -j2 / soffice: %.2fx (goal: at least 1.8x)\n", c / b
    printf "ratio kpicalc -j1 with views / soffice: %.2fx\n", c / d
}'

# BENCH_SUMMARY=N: what the county summary workbook adds over N workbooks
# (bench_summary.sh; issue 12's goal: under 5% of the run's wall time)
if [ -n "${BENCH_SUMMARY:-}" ]; then
    echo
    "$(dirname "$0")/bench_summary.sh" "$BENCH_SUMMARY" "$ROUNDS"
fi
