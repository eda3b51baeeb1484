#!/usr/bin/env bash
# Where the summary's cells come from. When the run writes an .ods and
# nothing else needs a flat ODF export (no CSV output, no --portable, no
# .xls/.xlsx), the worker reads each workbook's cells from the content.xml
# of the .ods it wrote (batch/worker.c, scan_from_ods) instead of exporting
# the workbook once more: the summary's cost at 1,000 workbooks
# (bench/batch/bench_summary.sh). This checks that the two sources give the
# same summary, byte for byte, on the 13 sample workbooks (with charts),
# which source each run used (KPICALC_TRACE), that a CSV output still goes
# through the export, that a workbook calling a function the add-in does
# not have still fails on the new path, and that an .ods that cannot be
# read back fails its workbook and replaces nothing.
#
#   tests/batch/test_scan_source.sh      (KPICALC=..., default build/kpicalc)
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
KPICALC=${KPICALC:-build/kpicalc}
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/in"
cp samples/*.ods samples/county/*.ods "$TMP/in/"
N=$(find "$TMP/in" -name '*.ods' | wc -l)

run() { # name [VAR=value...] -- recalc options
    local name=$1
    shift
    local envs=()
    while [ "$1" != -- ]; do
        envs+=("$1")
        shift
    done
    shift
    env "${envs[@]}" KPICALC_TRACE="$TMP/$name.trace" "$KPICALC" recalc -q -j 2 \
        "$TMP/in" -o "$TMP/$name" --profile-dir "$TMP/profiles" "$@" \
        >"$TMP/$name.out" 2>"$TMP/$name.err"
}
count() { grep -c "^$2"$'\t' "$TMP/$1.trace" 2>/dev/null; }

run ods -- --summary "$TMP/ods/summary.csv"
st=$?
[ $st -eq 0 ] && pass "ods only: exit 0" || fail "ods only: exit $st: $(tail -2 "$TMP/ods.err")"
[ "$(count ods cells-ods)" = "$N" ] && [ "$(count ods cells-export)" = 0 ] &&
    pass "ods only: the cells of all $N workbooks read from the written .ods" ||
    fail "ods only: cells-ods $(count ods cells-ods), cells-export $(count ods cells-export) of $N"

run export KPICALC_SCAN_EXPORT=1 -- --summary "$TMP/export/summary.csv"
st=$?
[ $st -eq 0 ] && pass "forced export: exit 0" || fail "forced export: exit $st"
[ "$(count export cells-export)" = "$N" ] && [ "$(count export cells-ods)" = 0 ] &&
    pass "forced export: all $N workbooks exported" ||
    fail "forced export: cells-export $(count export cells-export) of $N"
rows=$(($(wc -l <"$TMP/ods/summary.csv") - 1))
[ "$rows" = "$N" ] && pass "summary: $N rows" || fail "summary: $rows rows for $N workbooks"
if cmp -s "$TMP/ods/summary.csv" "$TMP/export/summary.csv"; then
    pass "the two sources give the same summary, byte for byte"
else
    fail "the summaries differ: $(diff "$TMP/ods/summary.csv" "$TMP/export/summary.csv" | head -4)"
fi
# the values are there, not blanks: the seed's 持证率 and its error count
grep -q 'dongchen-2020.ods,ok,[0-9]*,2020,.*0.911764705882353' "$TMP/ods/summary.csv" &&
    pass "seed workbook: ok, year 2020, CERTRATE 0.911764705882353" ||
    fail "seed workbook row: $(grep dongchen "$TMP/ods/summary.csv" | cut -c1-120)"

run csv -- --to ods,csv --summary "$TMP/csv/summary.csv"
[ "$(count csv cells-export)" = "$N" ] && pass "with a CSV output: the export is kept" ||
    fail "with a CSV output: cells-export $(count csv cells-export) of $N"
cmp -s "$TMP/ods/summary.csv" "$TMP/csv/summary.csv" &&
    pass "with a CSV output: the same summary" || fail "with a CSV output: the summary differs"

# a workbook calling a function this add-in does not have fails on the new path too
if /usr/bin/python3 - "$TMP/in/dongchen-2020.ods" "$TMP/name.ods" <<'PY'; then
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as o:
    for i in z.infolist():
        data = z.read(i.filename)
        if i.filename == "content.xml":
            data = data.replace(b"ORG.KPICALC.KPICALC.CERTRATE(", b"ORG.KPICALC.KPICALC.CERTRATEX(", 1)
        o.writestr(i, data, compress_type=zipfile.ZIP_STORED if i.filename == "mimetype" else zipfile.ZIP_DEFLATED)
PY
    mkdir -p "$TMP/bad"
    mv "$TMP/name.ods" "$TMP/bad/"
    env KPICALC_TRACE="$TMP/bad.trace" "$KPICALC" recalc -q -j 1 "$TMP/bad" -o "$TMP/badout" \
        --profile-dir "$TMP/profiles" --summary "$TMP/badout/s.csv" >"$TMP/bad.out" 2>"$TMP/bad.err"
    st=$?
    [ $st -ne 0 ] && grep -q 'does not know' "$TMP/bad.err" "$TMP/badout/s.csv" 2>/dev/null &&
        [ ! -e "$TMP/badout/name.ods" ] &&
        pass "unknown function: the workbook fails on the .ods path, nothing published" ||
        fail "unknown function: exit $st, $(tail -2 "$TMP/bad.err")"
    [ "$(count bad cells-ods)" = 1 ] && pass "unknown function: read through the .ods path" ||
        fail "unknown function: cells-ods $(count bad cells-ods)"
else
    fail "could not make the unknown-function workbook"
fi
# the .ods LibreOffice just wrote cannot be read back (KPICALC_FAULT
# damage: cuts the staged file in half before its cells are read): that
# workbook fails with the reason, its earlier output stays as it was, the
# others are written
cp "$TMP/ods/dongchen-2020.ods" "$TMP/dongchen-before.ods"
# the run writes into its own folder: put the earlier output there first
mkdir -p "$TMP/again" && cp "$TMP/dongchen-before.ods" "$TMP/again/dongchen-2020.ods"
env KPICALC_FAULT=damage:dongchen-2020.ods KPICALC_TRACE="$TMP/again.trace" \
    "$KPICALC" recalc -q -j 2 "$TMP/in" -o "$TMP/again" --profile-dir "$TMP/profiles" \
    --summary "$TMP/again/s.csv" >"$TMP/again.out" 2>"$TMP/again.err"
st=$?
[ $st -eq 1 ] && grep -q 'dongchen-2020.ods.*cannot read the cells of' "$TMP/again.err" &&
    pass "damaged staged .ods: exit 1, the workbook fails with the reason" ||
    fail "damaged staged .ods: exit $st, $(grep dongchen "$TMP/again.err" | head -2)"
cmp -s "$TMP/dongchen-before.ods" "$TMP/again/dongchen-2020.ods" &&
    pass "damaged staged .ods: the earlier output is left as it was" ||
    fail "damaged staged .ods: the earlier output was replaced"
grep -q '^"*[^,]*dongchen-2020.ods"*,failed,' "$TMP/again/s.csv" &&
    [ "$(grep -c ',ok,' "$TMP/again/s.csv")" = $((N - 1)) ] &&
    pass "damaged staged .ods: summary row failed, the other $((N - 1)) ok" ||
    fail "damaged staged .ods: summary $(cut -d, -f1-2 "$TMP/again/s.csv" | tr '\n' ' ' | cut -c1-200)"
[ "$(find "$TMP/again" -name '.kpicalc-*' | wc -l)" = 0 ] &&
    pass "damaged staged .ods: no staging folder left" ||
    fail "damaged staged .ods: left $(find "$TMP/again" -name '.kpicalc-*')"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
