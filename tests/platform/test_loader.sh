#!/usr/bin/env bash
# The batch's two loaders on this machine's office: workbooks open as bare
# UNO models when kpicalc finds the office's component context through
# comphelper::getProcessComponentContext, and every workbook goes through
# LibreOfficeKit views, with the same indicators and one note in the run's
# log, when it cannot (the symbol missing: KPICALC_CONTEXT_SYMBOL, a test
# hook of batch/unodoc.c, names one the office does not export).
#
#   tests/platform/test_loader.sh      (KPICALC=..., default build/kpicalc)
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
cp samples/dongchen-2020.ods "$TMP/"

# run NAME [VAR=value...]: one recalc of the seed workbook with one worker;
# its stderr in $TMP/NAME.err, the loaders used in $TMP/NAME.trace
run() {
    local name=$1
    shift
    env "$@" KPICALC_DEBUG=1 KPICALC_TRACE="$TMP/$name.trace" "$KPICALC" recalc -j 1 \
        "$TMP/dongchen-2020.ods" -o "$TMP/$name" --summary "$TMP/$name/summary.csv" \
        --profile-dir "$TMP/profiles" >"$TMP/$name.out" 2>"$TMP/$name.err"
}
certrate() { # the CERTRATE indicator of a summary
    awk -F, 'NR == 1 { sub(/^\357\273\277/, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
        { print $(c["certrate"]) }' "$1" 2>/dev/null
}
loaders() { # the loaders of the workbook itself (not the add-in probe)
    grep -v 'probe\.fods' "$1" 2>/dev/null | grep -E '^(uno|lok)[[:space:]]' | cut -f1 | sort -u | tr '\n' ' '
}
NOTE='every workbook goes through LibreOfficeKit views'

run bare
st=$?
[ $st -eq 0 ] && pass "bare model: exit 0" || fail "bare model: exit $st: $(tail -2 "$TMP/bare.err")"
[ "$(loaders "$TMP/bare.trace")" = "uno " ] && pass "bare model: the workbook opened as a bare UNO model" ||
    fail "bare model: loaders '$(loaders "$TMP/bare.trace")', expected uno"
[ "$(certrate "$TMP/bare/summary.csv")" = 0.911764705882353 ] && pass "bare model: CERTRATE 0.911764705882353" ||
    fail "bare model: CERTRATE '$(certrate "$TMP/bare/summary.csv")'"
grep -q "$NOTE" "$TMP/bare.err" && fail "bare model: the run says it fell back" ||
    pass "bare model: no fallback note"

run fallback KPICALC_CONTEXT_SYMBOL=_ZN10comphelper12kpicalcAbsentEv
st=$?
[ $st -eq 0 ] && pass "no context symbol: exit 0" || fail "no context symbol: exit $st: $(tail -2 "$TMP/fallback.err")"
[ "$(loaders "$TMP/fallback.trace")" = "lok " ] && pass "no context symbol: the workbook went through LibreOfficeKit" ||
    fail "no context symbol: loaders '$(loaders "$TMP/fallback.trace")', expected lok"
[ "$(certrate "$TMP/fallback/summary.csv")" = 0.911764705882353 ] && pass "no context symbol: CERTRATE 0.911764705882353" ||
    fail "no context symbol: CERTRATE '$(certrate "$TMP/fallback/summary.csv")'"
n=$(grep -c "$NOTE" "$TMP/fallback.err")
[ "$n" -ge 1 ] && grep "$NOTE" "$TMP/fallback.err" | grep -q 'does not export _ZN10comphelper12kpicalcAbsentEv' &&
    pass "no context symbol: the log says why ($n note(s) from 1 worker)" ||
    fail "no context symbol: no note naming the missing symbol in the log"
# the parent prints the workers' note once for the run: two workers, two
# workbooks, one line
mkdir -p "$TMP/two"
cp samples/dongchen-2020.ods "$TMP/two/a.ods"
cp samples/dongchen-2020.ods "$TMP/two/b.ods"
KPICALC_CONTEXT_SYMBOL=_ZN10comphelper12kpicalcAbsentEv "$KPICALC" recalc -j 2 \
    "$TMP/two" -o "$TMP/two-out" --profile-dir "$TMP/profiles" \
    >"$TMP/two.out" 2>"$TMP/two.err"
n=$(grep -c '^kpicalc: note: .*kpicalcAbsent' "$TMP/two.err")
[ "$n" -eq 1 ] && pass "no context symbol, 2 workers: the run prints the note once" ||
    fail "no context symbol, 2 workers: the run printed the note $n times"
# the same indicators both ways
if cmp -s <(cut -d, -f1-27 "$TMP/bare/summary.csv") <(cut -d, -f1-27 "$TMP/fallback/summary.csv"); then
    pass "both loaders: the same summary"
else
    fail "both loaders: the summaries differ"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
