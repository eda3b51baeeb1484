#!/usr/bin/env bash
# ./build.sh compat [DIR]: the .oxt and kpicalc built here (Debian 12,
# LibreOffice 7.4) run unchanged on Debian 13 (trixie, LibreOffice 25.2).
# A check to run by hand, as root; not part of ./build.sh test (it
# downloads a second system and office).
#
# Debootstraps Debian 13 into DIR (default /var/tmp/kpicalc-compat; kept
# between runs, made again when incomplete), installs libreoffice-calc and
# what the tests need there (python3-uno, the Chinese localisation), copies
# in this machine's build (KPICALC, default build/kpicalc, and OXT, default
# the kpicalc.oxt beside it) with samples/ and tests/calc/, and runs there
# as root:
#   1. kpicalc recalc of samples/ (the demo), whose summary must equal the
#      same binaries' summary on this machine, indicator for indicator;
#   1b. the county summary workbook of samples/, whose 汇总 and 漏斗图
#      sheets must equal this machine's cell for cell, no add-in call left;
#   2. the in-Calc formula suite, tests/calc/run_calc_tests.py, with the
#      chroot's python3-uno and soffice.
# The log goes to DIR.log; a results table is printed at the end. Exit
# status 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=$(realpath -m "${1:-/var/tmp/kpicalc-compat}")
LOG=$DIR.log
SUITE=trixie
MIRROR=${KPICALC_COMPAT_MIRROR:-http://deb.debian.org/debian}
KPICALC=$(realpath -m "${KPICALC:-build/kpicalc}")
OXT=$(realpath -m "${OXT:-$(dirname "$KPICALC")/kpicalc.oxt}")
PKGS=(libreoffice-calc python3-uno libreoffice-l10n-zh-cn)

NAME=compat-check
# shellcheck source=scripts/lib/debian-root.sh
. scripts/lib/debian-root.sh
for f in "$KPICALC" "$OXT"; do
    [ -f "$f" ] || {
        echo "compat-check: no $f (run ./build.sh first)" >&2
        exit 2
    }
done
root_make "$SUITE" "$MIRROR"

cat >"$DIR/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
rm -f "$DIR/etc/apt/sources.list"
cp /etc/resolv.conf "$DIR/etc/resolv.conf"

root_mount

: >"$LOG"
missing=$(in_chroot "for p in ${PKGS[*]}; do dpkg-query -W -f='\${Status}' \$p 2>/dev/null |
    grep -q 'install ok installed' || echo \$p; done")
if [ -n "$missing" ]; then
    log "installing in the $SUITE root: $(echo $missing)"
    in_chroot "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq $(echo $missing) >/dev/null" 2>&1 | tee -a "$LOG"
fi
LO_VERSION=$(in_chroot "dpkg-query -W -f='\${Version}' libreoffice-calc")
GLIBC=$(in_chroot "ldd --version | sed -n '1s/.* //p'")
HOST_LO=$(dpkg-query -W -f='${Version}' libreoffice-calc 2>/dev/null || echo '?')
HOST_GLIBC=$(ldd --version | sed -n "1s/.* //p")

# The binaries built here, and this tree's samples and in-Calc suite with
# what the suite reads (tests/reference; build/CalcAddIns.xcu from the .oxt,
# and kpi-gen, the catalogue's tool, built from this tree)
W=$DIR/root/kpicalc-compat
rm -rf "$W"
mkdir -p "$W/bin" "$W/build"
cp "$KPICALC" "$W/bin/kpicalc"
cp "$OXT" "$W/bin/kpicalc.oxt"
cp "$OXT" "$W/build/kpicalc.oxt"
cp -r samples "$W/"
mkdir -p "$W/tests"
cp -r tests/calc tests/reference "$W/tests/"
find "$W/tests" -name __pycache__ -prune -exec rm -rf {} +
unzip -q -o "$OXT" CalcAddIns.xcu -d "$W/build"
KG=$(mktemp -d)
make -s B="$KG" "$KG/kpi-gen" >/dev/null
cp "$KG/kpi-gen" "$W/build/kpi-gen"
rm -rf "$KG"
log "kpicalc $(sha256sum "$KPICALC" | cut -c1-12), kpicalc.oxt $(sha256sum "$OXT" | cut -c1-12)" \
    "from $(dirname "$KPICALC"); LibreOffice $LO_VERSION, glibc $GLIBC in the $SUITE root"

set +e
# 1. The demo on this machine (the reference summary) and in the root, on
# the same copy of the samples
HOST_OUT=$(mktemp -d)
log "kpicalc recalc samples on this machine (LibreOffice $HOST_LO)"
(cd "$W" && KPICALC_TRACE="$HOST_OUT/trace" "$KPICALC" recalc -q samples -o "$HOST_OUT/out" \
    --to ods,pdf --summary "$HOST_OUT/summary.csv" --extension "$OXT" \
    --profile-dir "$HOST_OUT/profiles") >"$HOST_OUT/log" 2>&1
HOST_RECALC=$?
log "kpicalc recalc samples in the $SUITE root (LibreOffice $LO_VERSION)"
in_chroot 'cd /root/kpicalc-compat && rm -rf out trace profiles &&
    KPICALC_TRACE=$PWD/trace bin/kpicalc recalc samples -o out --to ods,pdf \
        --summary out/summary.csv --profile-dir profiles' 2>&1 | tee -a "$LOG"
RECALC=${PIPESTATUS[0]}
RECALC_LINE=$(grep -a '^kpicalc: .* ok, .* failed' "$LOG" | tail -1)
# how each workbook was opened (bare UNO model or LibreOfficeKit view)
loaders() {
    grep -v 'probe\.fods' "$1" 2>/dev/null | grep -E '^(uno|lok)[[:space:]]' | cut -f1 | sort | uniq -c |
        awk '{printf "%s%s %s", s, $1, $2; s=", "}'
}
LOADERS=$(loaders "$W/trace")
HOST_LOADERS=$(loaders "$HOST_OUT/trace")
# Every column but the message (which holds timings and notes) equal
same_summary() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import csv, sys
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        r = list(csv.DictReader(f))
    return [{k: v for k, v in row.items() if k != "message"} for row in r]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
for x, y in zip(a, b):
    for k in x:
        if x[k] != y.get(k):
            print(f"{x['file']}: {k} {x[k]!r} here, {y.get(k)!r} there")
sys.exit(0 if a == b and a else 1)
PY
}
if [ -s "$HOST_OUT/summary.csv" ] && [ -s "$W/out/summary.csv" ] &&
    same_summary "$HOST_OUT/summary.csv" "$W/out/summary.csv" >"$HOST_OUT/diff"; then
    SAME="the same ($(($(wc -l <"$W/out/summary.csv") - 1)) rows, every column)"
    SAME_OK=0
else
    SAME="DIFFERS from Debian 12's, or missing"
    SAME_OK=1
    head -20 "$HOST_OUT/diff" | tee -a "$LOG"
fi
grep -a 'dongchen' "$W/out/summary.csv" | cut -d, -f5-8 | tee -a "$LOG"

# 1b. The county summary workbook (array formulas, the add-in's cells frozen
# in the loaded document) on both: the same values on its summary and funnel
# sheets, no add-in call left
log "the county summary workbook of samples here and in the $SUITE root"
(cd "$W" && "$KPICALC" recalc -q samples -o "$HOST_OUT/cty" --summary "$HOST_OUT/cty/county.ods" \
    --extension "$OXT" --profile-dir "$HOST_OUT/profiles") >>"$HOST_OUT/log" 2>&1
in_chroot 'cd /root/kpicalc-compat && rm -rf cty &&
    bin/kpicalc recalc -q samples -o cty --summary cty/county.ods --profile-dir profiles' 2>&1 |
    tee -a "$LOG"
/usr/bin/python3 - "$HOST_OUT/cty/county.ods" "$W/cty/county.ods" >"$HOST_OUT/cdiff" 2>&1 <<'PY'
import sys, zipfile
import xml.etree.ElementTree as ET
T = '{urn:oasis:names:tc:opendocument:xmlns:table:1.0}'
O = '{urn:oasis:names:tc:opendocument:xmlns:office:1.0}'
def sheets(path):
    with zipfile.ZipFile(path) as z:
        c = z.read('content.xml')
    if b'ORG.KPICALC' in c.upper():
        sys.exit('%s: an add-in call is left' % path)
    out = {}
    for t in ET.fromstring(c).iter(T + 'table'):
        rows = []
        for r in t.iter(T + 'table-row'):
            cells = []
            for cell in r.iter(T + 'table-cell'):
                v = cell.get(O + 'value')
                cells.append(v if v is not None else ''.join(cell.itertext()))
            while cells and cells[-1] == '':
                cells.pop()
            rows.append(cells)
        out[t.get(T + 'name')] = rows
    return out
a, b = sheets(sys.argv[1]), sheets(sys.argv[2])
bad = 0
for name in ('汇总', '漏斗图'):
    for i, (x, y) in enumerate(zip(a[name], b[name])):
        if x != y:
            bad += 1
            print('%s row %d: %r here, %r there' % (name, i + 1, x[:8], y[:8]))
    if len(a[name]) != len(b[name]):
        bad += 1
        print('%s: %d rows here, %d there' % (name, len(a[name]), len(b[name])))
print('%d rows of 汇总 and 漏斗图 compared' % (len(a['汇总']) + len(a['漏斗图'])))
sys.exit(1 if bad else 0)
PY
COUNTY_OK=$?
COUNTY_LINE=$(tail -1 "$HOST_OUT/cdiff")
[ "$COUNTY_OK" -eq 0 ] && COUNTY="the same: $COUNTY_LINE" || {
    COUNTY="DIFFERS or missing: $COUNTY_LINE"
    head -20 "$HOST_OUT/cdiff" | tee -a "$LOG"
}

# 2. The in-Calc formula suite with the chroot's office and python3-uno
log "in-Calc formula suite in the $SUITE root"
in_chroot 'cd /root/kpicalc-compat && python3 tests/calc/run_calc_tests.py build/kpicalc.oxt' \
    2>&1 | tee -a "$LOG"
CALC=${PIPESTATUS[0]}
CALC_LINE=$(grep -aE '^calc: [0-9]+ passed, [0-9]+ failed' "$LOG" | tail -1)
set -e
rm -rf "$HOST_OUT"

row() { printf '| %-34s | %-16s | %-42s |\n' "$@"; }
{
    echo
    echo "compat-check $(date -u +%F): the same kpicalc and kpicalc.oxt on two systems"
    row check "Debian 12 (here)" "Debian 13 $SUITE (chroot)"
    row "glibc / LibreOffice" "$HOST_GLIBC / $HOST_LO" "$GLIBC / $LO_VERSION"
    row "recalc samples (exit status)" "$HOST_RECALC" "$RECALC: ${RECALC_LINE:-no summary line}"
    row "workbooks opened as (loader)" "${HOST_LOADERS:-none}" "${LOADERS:-none}"
    row "summary, indicator for indicator" "reference" "$SAME"
    row "county workbook, cell for cell" "reference" "$COUNTY"
    row "in-Calc formula suite (exit)" "(./build.sh test)" "$CALC: ${CALC_LINE:-no result line}"
} | tee -a "$LOG"
[ "$HOST_RECALC" -eq 0 ] && [ "$RECALC" -eq 0 ] && [ "$SAME_OK" -eq 0 ] && [ "$COUNTY_OK" -eq 0 ] &&
    [ "$CALC" -eq 0 ]
