#!/usr/bin/env bash
# Tests of `kpicalc new-year`: rolls samples/dongchen-2020.ods (and a county
# sample) to 2021 and checks the result in an ordinary LibreOffice: the
# workbook is converted to one CSV per sheet by soffice --headless in a
# throwaway profile with the extension installed, recalculating on load.
# Ends with "newyear: N passed, N failed"; exits non-zero on any failure.
#
#   tests/batch/test_newyear.sh            (KPICALC=path overrides build/kpicalc)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
KPICALC=${KPICALC:-$ROOT/build/kpicalc}
OXT=${KPICALC_OXT:-$ROOT/build/kpicalc.oxt}
PY=/usr/bin/python3
export KPICALC_OXT=$OXT
# the messages checked here are the English ones (test_cli_lang.sh checks
# the Chinese)
unset LANGUAGE LC_ALL LC_MESSAGES KPICALC_DEBUG
export LANG=C.UTF-8

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL $*"
}
check() { # description command...
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}

TMP=$(mktemp -d /tmp/kpicalc-newyear-test-XXXXXX)
# kpicalc keeps its LibreOffice profiles under the cache folder: a fresh one
export XDG_CACHE_HOME=$TMP/cache
PROFILE=
cleanup() {
    rm -rf "$TMP"
    [ -n "$PROFILE" ] && rm -rf "$PROFILE"
}
trap cleanup EXIT

finish() {
    # CSVs that cells() found missing (it runs in $(...): it cannot count)
    if [ -s "$TMP/missing-csv" ]; then
        fail "CSV exports missing: $(sort -u "$TMP/missing-csv" | tr '\n' ' ')"
    fi
    echo "newyear: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
    exit $?
}

if [ ! -x "$KPICALC" ] || [ ! -r "$OXT" ]; then
    fail "build/kpicalc and build/kpicalc.oxt are needed (make)"
    finish
fi
if ! "$KPICALC" new-year --help >/dev/null 2>&1; then
    fail "kpicalc has no new-year command (batch/main.c must dispatch it)"
    finish
fi

# A throwaway LibreOffice profile with the extension, recalculating on load.
PROFILE=$("$PY" -c "import sys; sys.path.insert(0, 'tests/calc')
from office import make_profile; print(make_profile('$OXT'))") || {
    fail "cannot make a LibreOffice profile"
    finish
}

# to_csv WORKBOOK DIR: one CSV per sheet, DIR/<stem>-<Sheet>.csv
to_csv() {
    mkdir -p "$2"
    soffice --headless --norestore "-env:UserInstallation=file://$PROFILE" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1' \
        --outdir "$2" "$1" >/dev/null 2>&1
}

# cells CSV ADDR...: prints the shown text of each cell, one per line. A
# missing CSV (a failed export) is no empty cell: cells prints a marker for
# each cell, so that no check passes on it, returns 1 and records the file
# for finish() to count as a failure.
cells() {
    if [ ! -r "$1" ]; then
        echo "cells: no CSV $1" >&2
        echo "$1" >>"$TMP/missing-csv"
        local a
        for a in "${@:2}"; do echo "<no CSV $1>"; done
        return 1
    fi
    "$PY" - "$@" <<'EOF'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
for addr in sys.argv[2:]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", addr)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    r, c = int(m.group(2)) - 1, col - 1
    v = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
    print(v.strip().replace("\n", " "))
EOF
}

# Rows of the Input sheet per key, and History columns (samples/layout.py).
read -r -a KEYS <<<"$("$PY" -c "import sys; sys.path.insert(0, 'samples')
import layout as L; print(' '.join(L.KEYS))")"
row_of() { "$PY" -c "import sys; sys.path.insert(0, 'samples')
import layout as L; print(L.ITEM_ROW['$1'])"; }
ROWS=()
for k in "${KEYS[@]}"; do ROWS+=("$(row_of "$k")"); done
# History's column of each key, in KEYS order (a column never moves)
read -r -a HCOLS <<<"$("$PY" -c "import sys; sys.path.insert(0, 'samples')
import layout as L; print(' '.join(L.HIST_COL[k] for k in L.KEYS))")"

# --- the seed township, 2020 -> 2021 ----------------------------------------
SRC=samples/dongchen-2020.ods
OUT=$TMP/dongchen-2021.ods
"$KPICALC" new-year "$SRC" --year 2021 -o "$OUT" >"$TMP/log" 2>&1
status=$?
check "new-year dongchen exits 0 (got $status: $(tail -2 "$TMP/log"))" \
    [ "$status" -eq 0 ]
check "the rolled workbook exists" [ -s "$OUT" ]
check "no temporary file left beside OUT" \
    [ -z "$(find "$TMP" -maxdepth 1 -name '.kpicalc-newyear-*')" ]
check "the log says verified" grep -Eq \
    '^kpicalc new-year: .+ -> .+: [0-9]+ cells written, [0-9]+ cleared, verified$' \
    "$TMP/log"
# LibreOffice's own output ("No language allowlisted...") goes to its log:
# every line printed is kpicalc's
check "no LibreOffice noise: $(grep -v '^kpicalc new-year: ' "$TMP/log" | head -2)" \
    [ -z "$(grep -v '^kpicalc new-year: ' "$TMP/log")" ]
check "a year with figures is not called empty" \
    sh -c "! grep -q 'empty year' '$TMP/log'"

to_csv "$SRC" "$TMP/before"
to_csv "$OUT" "$TMP/after"
B=$TMP/before/dongchen-2020
A=$TMP/after/dongchen-2021
check "CSV export of the rolled workbook" [ -s "$A-Input.csv" ]

check "the year is 2021" [ "$(cells "$A-Input.csv" C3)" = 2021 ]
check "the KPI year is 2021" [ "$(cells "$A-KPI.csv" B2)" = 2021 ]
check "the unit is kept" [ "$(cells "$A-Input.csv" C2)" = 东陈乡 ]
check "the source cell is cleared" [ -z "$(cells "$A-Input.csv" C4)" ]

# 2020's figures (column C before) are now in the last-year column (D)
mapfile -t before_c < <(cells "$B-Input.csv" "${ROWS[@]/#/C}")
mapfile -t after_d < <(cells "$A-Input.csv" "${ROWS[@]/#/D}")
mapfile -t after_c < <(cells "$A-Input.csv" "${ROWS[@]/#/C}")
mapfile -t after_e < <(cells "$A-Input.csv" "${ROWS[@]/#/E}")
check "the seed figures are there before (34 officers, 31 certified)" \
    test "${before_c[0]}" = 34 -a "${before_c[1]}" = 31
check "last-year column = 2020's figures: ${after_d[*]}" \
    [ "${after_d[*]}" = "${before_c[*]}" ]
check "last year's 应持证 34, 已持证 31, 意见 103/99, 许可 173" \
    [ "${after_d[0]} ${after_d[1]} ${after_d[6]} ${after_d[7]} ${after_d[15]}" = "34 31 103 99 173" ]
check "this-year inputs are empty: '${after_c[*]}'" \
    [ -z "$(printf '%s' "${after_c[@]}")" ]
mapfile -t before_e < <(cells "$B-Input.csv" "${ROWS[@]/#/E}")
check "the source notes (column E) are kept where they were" \
    [ "${after_e[*]}" = "${before_e[*]}" -a -n "$(printf '%s' "${before_e[@]}")" ]

# History gains a 2020 row (row 11: after 2014..2019 in rows 5..10)
check "History A11 is 2020" [ "$(cells "$A-History.csv" A11)" = 2020 ]
mapfile -t hist < <(cells "$A-History.csv" "${HCOLS[@]/%/11}")
check "History 2020 row = 2020's figures: ${hist[*]}" \
    [ "${hist[*]}" = "${before_c[*]}" ]
check "History 2020 row has the source" \
    grep -q "东陈乡2020年度行政执法工作报告" "$A-History.csv"
check "History 2019 row still has the 2 earlier lost cases" \
    [ "$(cells "$A-History.csv" A10 O10)" = "$(printf '2019\n2')" ]
check "History has no row 12" [ -z "$(cells "$A-History.csv" A12)" ]
# the indicators follow: last year's 持证率 is 2020's 0.9118
check "Indicators: last year's certification rate 91.2%" \
    [ "$(cells "$A-Indicators.csv" C5)" = "91.2%" ]
check "Trend window moved to 2015-2021" \
    [ "$(cells "$A-Trend.csv" A20 A26 | tr '\n' ' ')" = "2015 2021 " ]

# --- rolling again: 2021 -> 2022 -------------------------------------------
OUT2=$TMP/dongchen-2022.ods
"$KPICALC" new-year "$OUT" -o "$OUT2" >"$TMP/log2" 2>&1
check "a second rollover (default year) exits 0" [ $? -eq 0 ]
to_csv "$OUT2" "$TMP/after2"
A2=$TMP/after2/dongchen-2022
check "second rollover: year 2022" [ "$(cells "$A2-Input.csv" C3)" = 2022 ]
check "second rollover: History rows 2020 and 2021" \
    [ "$(cells "$A2-History.csv" A11 B11 A12 | tr '\n' ' ')" = "2020 34 2021 " ]
mapfile -t d2 < <(cells "$A2-Input.csv" "${ROWS[@]/#/D}")
check "second rollover: last year (2021) is empty" \
    [ -z "$(printf '%s' "${d2[@]}")" ]
check "rolling an empty year warns" grep -q \
    "^kpicalc new-year: warning: nothing is filled in for 2021 .*empty year" \
    "$TMP/log2"

# the per-figure source notes (Input column E) stay in the rolled workbook;
# what the plan clears without copying (the report's other figures, its
# claims) is named, with where it remains. Never lost without a word.
E1=E$(row_of required)
note=$(cells "$B-Input.csv" "$E1")
check "the seed has a source note in $E1 ('$note')" [ -n "$note" ]
check "the note is in the rolled workbook at $E1" \
    [ "$(cells "$A-Input.csv" "$E1")" = "$note" ]
check "cleared cells not copied are named, and where they remain" grep -Eq \
    "^kpicalc new-year: warning: [0-9]+ filled cells .* not copied into the rolled workbook \(.*[$]Input[.][$]C[$]38.*\): .*dongchen-2020[.]ods keeps them" \
    "$TMP/log"
check "no source note is named as lost" \
    bash -c '! grep -q "[$]Input[.][$]E[$]" "$1"' _ "$TMP/log"

# --- a synthetic county workbook -------------------------------------------
CSRC=samples/county/donghu-2020.ods
COUT=$TMP/donghu-2021.ods
"$KPICALC" new-year "$CSRC" --year 2021 -o "$COUT" >"$TMP/log3" 2>&1
check "county rollover exits 0" [ $? -eq 0 ]
to_csv "$CSRC" "$TMP/cbefore"
to_csv "$COUT" "$TMP/cafter"
mapfile -t cb < <(cells "$TMP/cbefore/donghu-2020-Input.csv" "${ROWS[@]/#/C}")
mapfile -t ca < <(cells "$TMP/cafter/donghu-2021-Input.csv" "${ROWS[@]/#/D}")
check "county: last-year column = 2020's figures" \
    test "${ca[*]}" = "${cb[*]}" -a -n "${cb[0]}"
check "county: History 2020 in row 11 (after 2014..2019)" \
    [ "$(cells "$TMP/cafter/donghu-2021-History.csv" A11)" = 2020 ]

# --- text inputs that Calc would take for numbers, flat ODF output ----------
"$PY" - "$TMP/text.ods" <<'EOF'
import sys
sys.path.insert(0, "tests/calc")
sys.path.insert(0, "samples")
import uno
import layout as L
from office import Office, prop
with Office("build/kpicalc.oxt") as o:
    doc = o.load("samples/dongchen-2020.ods")
    inp = doc.Sheets.getByName("Input")
    inp.getCellRangeByName(L.SOURCE_CELL).setString("0012")
    inp.getCellRangeByName("C%d" % L.ITEM_ROW["exam"]).setString("n/a")
    inp.getCellRangeByName("C%d" % L.ITEM_ROW["cameras"]).setString("1-2")
    doc.calculateAll()
    doc.storeToURL(uno.systemPathToFileUrl(sys.argv[1]),
                   (prop("FilterName", "calc8"),))
    doc.close(True)
EOF
"$KPICALC" new-year "$TMP/text.ods" -o "$TMP/text-2021.fods" >"$TMP/log7" 2>&1
check "text inputs: rollover to .fods exits 0" [ $? -eq 0 ]
to_csv "$TMP/text-2021.fods" "$TMP/text"
check "text inputs: History keeps the texts '0012', 'n/a', '1-2'" \
    [ "$(cells "$TMP/text/text-2021-History.csv" U11 D11 T11 | tr '\n' ' ')" = "0012 n/a 1-2 " ]

# --- refusals: nothing written ---------------------------------------------
"$KPICALC" new-year "$SRC" --year 2022 -o "$TMP/wrong.ods" >"$TMP/log4" 2>&1
st=$?
check "a year that is not the next one is refused (exit $st)" [ "$st" -ne 0 ]
check "  ... and says why" grep -q "rolls to 2021, not 2022" "$TMP/log4"
check "  ... and writes nothing" [ ! -e "$TMP/wrong.ods" ]

cp "$SRC" "$TMP/same.ods"
"$KPICALC" new-year "$TMP/same.ods" -o "$TMP/same.ods" >/dev/null 2>&1
check "OUT = WORKBOOK is a usage error" [ $? -eq 2 ]

# (with KPICALC_DEBUG, LibreOffice's own output reaches stderr: the filter
# checked above is what keeps it away)
KPICALC_DEBUG=1 "$KPICALC" new-year samples/templates/annual-report.ots \
    -o "$TMP/t.ods" >"$TMP/log5" 2>&1
st=$?
check "the empty template (no year) is refused (exit $st)" [ "$st" -eq 1 ]
check "  ... and says the year is missing" grep -q "no year" "$TMP/log5"
check "  ... and names the year cell" grep -q 'year cell [$]Input[.][$]C[$]3' \
    "$TMP/log5"
check "KPICALC_DEBUG: LibreOffice's own output on stderr" \
    grep -q "allowlisted" "$TMP/log5"

"$PY" - "$TMP/plain.ods" <<'EOF'
import sys
sys.path.insert(0, "tests/calc")
import uno
from office import Office, prop
with Office("build/kpicalc.oxt", install=False) as o:
    doc = o.new_calc()
    doc.Sheets.getByIndex(0).getCellByPosition(0, 0).setValue(1)
    doc.storeToURL(uno.systemPathToFileUrl(sys.argv[1]),
                   (prop("FilterName", "calc8"),))
    doc.close(True)
EOF
"$KPICALC" new-year "$TMP/plain.ods" -o "$TMP/plain2.ods" >"$TMP/log6" 2>&1
st=$?
check "a workbook that is not a kpicalc template is refused (exit $st)" \
    [ "$st" -eq 1 ]
check "  ... and says why" grep -q "not a kpicalc yearly workbook" "$TMP/log6"
check "  ... and writes nothing" [ ! -e "$TMP/plain2.ods" ]

"$KPICALC" new-year "$SRC" -o "$TMP/x.xlsx" >/dev/null 2>&1
check "OUT other than .ods/.fods is a usage error" [ $? -eq 2 ]

# --- a safe rollover (issue 11): never over a file, never a new folder -----
printf 'the 2021 figures typed here\n' >"$TMP/exists.ods"
"$KPICALC" new-year "$SRC" -o "$TMP/exists.ods" >"$TMP/log8" 2>&1
st=$?
check "an existing OUT is refused (exit $st)" [ "$st" -eq 2 ]
check "  ... saying --force replaces it" grep -q "exists: .*--force" "$TMP/log8"
check "  ... and it is left as it was" \
    [ "$(cat "$TMP/exists.ods")" = "the 2021 figures typed here" ]
# --force (options before and after the workbook, a fractional --timeout,
# -q: nothing on stdout)
"$KPICALC" new-year --force -q -o "$TMP/exists.ods" "$SRC" --timeout 600.5 \
    >"$TMP/log9" 2>"$TMP/log9e"
st=$?
check "--force replaces it (exit $st: $(tail -1 "$TMP/log9e"))" [ "$st" -eq 0 ]
check "  ... with the rolled workbook" [ "$(head -c 2 "$TMP/exists.ods")" = PK ]
check "  ... -q: no closing line" [ ! -s "$TMP/log9" ]
check "  ... no temporary file left" \
    [ -z "$(find "$TMP" -maxdepth 1 -name '.kpicalc-newyear-*')" ]

"$KPICALC" new-year "$SRC" -o "$TMP/no/such/folder/x.ods" >"$TMP/log10" 2>&1
st=$?
check "a missing output folder is refused (exit $st)" [ "$st" -eq 2 ]
check "  ... saying so" grep -q "folder of OUT does not exist" "$TMP/log10"
check "  ... and not made" [ ! -e "$TMP/no" ]
mkdir "$TMP/adir.ods"
"$KPICALC" new-year "$SRC" -o "$TMP/adir.ods" --force >/dev/null 2>&1
check "OUT that is a folder is refused, even with --force" [ $? -eq 2 ]

# --- the command line: recalc's conventions (issue 14) ----------------------
"$KPICALC" new-year -V >"$TMP/out" 2>&1
check "-V prints the version" grep -Eq '^kpicalc [0-9]' "$TMP/out"
"$KPICALC" new-year --help >"$TMP/out" 2>&1
check "--help names -v, -V, --force" sh -c \
    "grep -q -- '-v, --verbose' '$TMP/out' && grep -q -- '-V, --version' '$TMP/out' && grep -q -- '--force' '$TMP/out'"
usage_case() { # description args...: exit 2 and a pointer to --help
    local what=$1
    shift
    "$KPICALC" new-year "$@" >"$TMP/out" 2>&1
    local st=$?
    check "usage error, $what: exit 2 (got $st) and a pointer to --help" \
        sh -c "[ $st -eq 2 ] && grep -q \"Try 'kpicalc new-year --help'\" '$TMP/out'"
}
usage_case "unknown short option" -x "$SRC" -o "$TMP/u.ods"
usage_case "unknown long option" --frobnicate "$SRC" -o "$TMP/u.ods"
usage_case "--timeout abc" --timeout abc "$SRC" -o "$TMP/u.ods"
usage_case "--timeout 0" --timeout 0 "$SRC" -o "$TMP/u.ods"
usage_case "--timeout -1" --timeout -1 "$SRC" -o "$TMP/u.ods"
usage_case "--year 20x1" --year 20x1 "$SRC" -o "$TMP/u.ods"
usage_case "-o without its value" "$SRC" -o
usage_case "two workbooks" "$SRC" "$SRC" -o "$TMP/u.ods"
usage_case "no workbook" -o "$TMP/u.ods"
usage_case "no -o" "$SRC"

# --- the ZIP check runs within --timeout (issue 13) -------------------------
# a whole archive of 1,500 members of 1 MiB (1.5 GiB to inflate, under the
# bomb limits): seconds to check, more than the 0.5 s allowed
"$PY" - "$TMP/slow.ods" <<'EOF'
import struct, sys, zlib
data = b"\0" * (1 << 20)
c = zlib.compressobj(9, zlib.DEFLATED, -15)
comp = c.compress(data) + c.flush()
crc = zlib.crc32(data) & 0xffffffff
out, central = bytearray(), bytearray()
def add(name, method, payload, crc_, usize):
    off, n = len(out), name.encode()
    out.extend(struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, method, 0, 0x21,
                           crc_, len(payload), usize, len(n), 0) + n + payload)
    central.extend(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0,
                               method, 0, 0x21, crc_, len(payload), usize,
                               len(n), 0, 0, 0, 0, 0, off) + n)
mt = b"application/vnd.oasis.opendocument.spreadsheet"
add("mimetype", 0, mt, zlib.crc32(mt) & 0xffffffff, len(mt))
for i in range(1500):
    add("pad/%d.bin" % i, 8, comp, crc, len(data))
cd = len(out)
out.extend(central)
out.extend(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1501, 1501,
                       len(central), cd, 0))
open(sys.argv[1], "wb").write(out)
EOF
t0=$(date +%s.%N)
"$KPICALC" new-year "$TMP/slow.ods" -o "$TMP/slow-2021.ods" --timeout 0.5 \
    >"$TMP/log11" 2>&1
st=$?
took=$(awk "BEGIN { print $(date +%s.%N) - $t0 }")
check "a slow ZIP check fails (exit $st)" [ "$st" -eq 1 ]
check "  ... by --timeout, in the check: $(tail -1 "$TMP/log11")" grep -q \
    "timeout: the check of the workbook was not done within --timeout 0.5 s" \
    "$TMP/log11"
check "  ... within the limit (took $took s)" \
    awk "BEGIN { exit !($took < 5) }"
check "  ... and writes nothing" [ ! -e "$TMP/slow-2021.ods" ]

# The office dies with kpicalc (issue 13): a SIGKILL of the parent while the
# office works leaves no process behind and no OUT written later; SIGHUP
# ends the run by that signal, with no OUT and no scratch copy left.
for sig in KILL HUP; do
    mkdir -p "$TMP/o-$sig/tmp"
    TMPDIR=$TMP/o-$sig/tmp "$KPICALC" new-year "$SRC" -o "$TMP/o-$sig/orphan.ods" \
        >"$TMP/log-$sig" 2>&1 &
    pid=$!
    # wait until the office is at work (its child has started its log, after
    # the child that checks the ZIP ended), then the signal
    for _ in $(seq 100); do
        ls "$TMP/o-$sig/tmp"/kpicalc-newyear-*/office.log >/dev/null 2>&1 &&
            pgrep -P "$pid" >/dev/null && break
        sleep 0.1
    done
    child=$(pgrep -P "$pid" | head -1)
    sleep 1
    kill -s "$sig" "$pid"
    wait "$pid" 2>/dev/null
    st=$?
    for _ in $(seq 50); do
        [ -n "$child" ] && kill -0 "$child" 2>/dev/null || break
        sleep 0.1
    done
    check "SIG$sig: the office (pid $child) is gone with kpicalc" \
        sh -c "[ -n '$child' ] && ! kill -0 '$child' 2>/dev/null"
    sleep 2 # an orphan would finish and rename its file now
    check "SIG$sig: no OUT written, now or later" [ ! -e "$TMP/o-$sig/orphan.ods" ]
    if [ "$sig" = HUP ]; then
        check "SIGHUP: kpicalc dies of SIGHUP (status $st)" [ "$st" -eq 129 ]
        check "SIGHUP: no scratch copy left ($(ls -A "$TMP/o-HUP/tmp"))" \
            [ -z "$(ls -A "$TMP/o-HUP/tmp")" ]
        check "SIGHUP: no staged OUT left ($(ls -A "$TMP/o-HUP"))" \
            [ "$(ls -A "$TMP/o-HUP")" = tmp ]
    fi
done

finish
