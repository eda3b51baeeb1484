#!/bin/bash
# Hostile inputs of issue 13 against `kpicalc recalc`: nothing is fetched
# (a listener on 127.0.0.1 counts connections: zero expected), no file
# outside the inputs reaches an output (a secret marker is searched in
# every output, inside ZIP members and PDF streams), symbolic links,
# hostile profile folders, and the bombs (memory and output limits).
# Fixtures: tests/batch/make_hostile.py. Each check has its control: the
# same fixture makes LibreOffice itself fetch, --follow-symlinks does put
# the secret into an output (so the search would see it), and so on.
# Needs build/kpicalc (KPICALC=...) and kpicalc.oxt beside it.
# Ends with "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KPICALC=${KPICALC:-$ROOT/build/kpicalc}
PY=/usr/bin/python3
HOSTILE=$ROOT/tests/batch/make_hostile.py
SOFFICE=/usr/lib/libreoffice/program/soffice

if [ ! -x "$KPICALC" ]; then
    echo "tests/batch/test_hostile.sh: $KPICALC is missing"
    echo "0 passed, 1 failed"
    exit 1
fi

T=$(mktemp -d /tmp/kpicalc-hostile.XXXXXX)
LISTENER=
cleanup() {
    [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
    pkill -KILL -f "$T/" 2>/dev/null
    chmod -R u+rwx "$T" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$T/cache
unset KPICALC_FAULT KPICALC_OXT

PASSED=0
FAILED=0
SKIPPED=0
start() {
    CURRENT=$1
    ERRORS=
    STARTED=$(date +%s)
}
expect() {
    local what=$1
    shift
    "$@" >/dev/null 2>&1 || ERRORS="$ERRORS; $what"
}
finish() {
    if [ -z "$ERRORS" ]; then
        PASSED=$((PASSED + 1))
        echo "PASS $CURRENT ($(($(date +%s) - STARTED)) s)"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL $CURRENT ($(($(date +%s) - STARTED)) s):${ERRORS#;}"
    fi
}
skip() {
    SKIPPED=$((SKIPPED + 1))
    echo "SKIP $1: $2"
}
kc() {
    "$KPICALC" "$@" >"$T/out" 2>"$T/err"
    RC=$?
}
is_status() { [ "$RC" = "$1" ]; }
contains() { grep -qF -- "$2" "$1"; }
field() {
    "$PY" - "$1" "$2" "$3" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):
    if r['file'].endswith('/' + sys.argv[2]) or r['file'] == sys.argv[2]:
        print(r.get(sys.argv[3], '<no column>'))
        break
else:
    print('<no row>')
EOF
}
field_is() { [ "$(field "$1" "$2" "$3")" = "$4" ]; }
field_has() { field "$1" "$2" "$3" | grep -qF -- "$4"; }
connections() { if [ -s "$LOG" ]; then wc -l <"$LOG"; else echo 0; fi; }
no_secret() { "$PY" "$HOSTILE" grep "$MARKER" "$1"; }
has_secret() { ! "$PY" "$HOSTILE" grep "$MARKER" "$1"; }

# ---- the listener, the secret, the fixtures --------------------------------
LOG=$T/listener.log
: >"$LOG"
"$PY" "$HOSTILE" listen "$T/port" "$LOG" &
LISTENER=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port" 2>/dev/null)
URL=http://127.0.0.1:$PORT
MARKER=KPICALC-SECRET-$RANDOM$RANDOM
SECRET=$T/secret
"$PY" "$HOSTILE" secret "$SECRET" "$MARKER"
IN=$T/in
"$PY" "$HOSTILE" links "$IN/links" "$URL" "$SECRET"
if [ -z "$PORT" ] || [ ! -s "$IN/links/ok-plain.ods" ]; then
    echo "tests/batch/test_hostile.sh: cannot start the listener or make the fixtures"
    echo "0 passed, 1 failed"
    exit 1
fi

# ---- links -------------------------------------------------------------------
start "check-only run (--summary alone): no linked object is fetched"
kc recalc "$IN/links" -j 2 --summary "$T/check.csv"
expect "status 1 (the hostile workbooks fail)" is_status 1
expect "no connection to the listener ($(connections) seen: $(head -3 "$LOG" | tr '\n' ' '))" [ "$(connections)" = 0 ]
expect "the plain workbook is ok" field_is "$T/check.csv" ok-plain.ods status ok
finish

start "every kind of link is refused before LibreOffice sees it, at load and at export"
OUT=$T/out-links
kc recalc "$IN/links" -o "$OUT" --to ods,xlsx,xls,pdf,csv -j 2 --summary "$OUT/s.csv"
S=$OUT/s.csv
expect "status 1" is_status 1
for f in "$IN"/links/hostile-*; do
    b=$(basename "$f")
    [ "$b" = hostile-html.xls ] && continue
    expect "$b: refused as a link" field_has "$S" "$b" message "links to content outside the workbook"
    expect "$b: no output" [ -z "$(ls "$OUT/${b%.*}".* 2>/dev/null)" ]
done
expect "the linked element is named" field_has "$S" hostile-frame-http.ods message "<draw:floating-frame> to $URL/frame.html"
expect "the member is named" field_has "$S" hostile-x-image-http.xlsx message "(in xl/drawings/_rels/drawing1.xml.rels)"
expect "HTML named .xls: refused, never given to type detection" field_has "$S" hostile-html.xls message "cannot be opened as a spreadsheet"
for b in ok-hyperlink.fods ok-x-hyperlink.xlsx ok-plain.ods; do
    expect "$b: a hyperlink is not a fetch: ok" field_is "$S" "$b" status ok
done
expect "ok-hyperlink: its outputs written" test -s "$OUT/ok-hyperlink.pdf"
expect "no connection to the listener ($(connections) seen: $(head -3 "$LOG" | tr '\n' ' '))" [ "$(connections)" = 0 ]
expect "the secret is in no output (raw, in ZIP members, in PDF streams)" no_secret "$OUT"
finish

start "real workbooks with charts and pictures still open (the samples, zipped and flat)"
mkdir -p "$T/real"
cp "$ROOT"/samples/*.ods "$T/real/"
kc recalc "$T/real" -o "$T/real-out" --to ods,fods --summary "$T/real.csv" -j 2
expect "status 0 ($(grep -v ',ok,' "$T/real.csv" | head -2 | tr '\n' ' '))" is_status 0
# their flat exports carry chart:chart xlink:href="..", the holding document
kc recalc "$T/real-out" --summary "$T/real2.csv" -j 2
expect "flat ODF with charts: status 0 ($(grep -v ',ok,' "$T/real2.csv" | head -2 | tr '\n' ' '))" is_status 0
expect "their charts link to '..'" grep -q 'xlink:href="\.\."' "$T/real-out/dongchen-2020.fods"
finish

start "the fixtures are hostile indeed: LibreOffice itself fetches their links (control)"
# Only now, after every kpicalc run above counted zero connections.
mkdir -p "$T/ctl"
for f in hostile-image-http.ods hostile-flat-image-http.fods; do
    before=$(connections)
    timeout 120 "$SOFFICE" --headless --norestore "-env:UserInstallation=file://$T/ctl/profile" \
        --convert-to pdf --outdir "$T/ctl" "$IN/links/$f" >/dev/null 2>&1
    expect "control: LibreOffice converting $f connects to the listener" [ "$(connections)" -gt "$before" ]
done
finish

# ---- symbolic links --------------------------------------------------------------
SL=$T/sl
mkdir -p "$SL/in" "$SL/in2"
cp "$IN/links/ok-plain.ods" "$SL/in/real.ods"
cp "$IN/links/ok-plain.ods" "$SL/in2/other.ods"
ln -s "$SL/in2/other.ods" "$SL/in/inside-link.ods"
ln -s "$SECRET/secret.fods" "$SL/in/outside.fods"
ln -s "$SL/nowhere.ods" "$SL/in/dangling.ods"
ln -s loop2.ods "$SL/in/loop1.ods"
ln -s loop1.ods "$SL/in/loop2.ods"
ln -s "$SECRET" "$SL/in/folder-link"

start "symbolic links: outside the input folders not followed; dangling and looping ones reported"
kc recalc "$SL/in" "$SL/in2" -o "$SL/out" --to ods,csv --summary "$SL/s.csv"
S=$SL/s.csv
expect "status 1" is_status 1
expect "a link to a file outside: refused" field_has "$S" outside.fods message "a symbolic link leading outside the input folders"
expect "... naming the option" field_has "$S" outside.fods message "--follow-symlinks"
expect "a dangling link: reported" field_has "$S" dangling.ods message "dangling symbolic link"
expect "a link loop: reported" field_has "$S" loop1.ods message "symbolic link loop"
expect "... both of its links" field_has "$S" loop2.ods message "symbolic link loop"
expect "each named on stderr" contains "$T/err" "dangling.ods"
expect "a link inside the input folders: followed" field_is "$S" inside-link.ods status ok
expect "a plain file: ok" field_is "$S" real.ods status ok
expect "a link to a folder: not followed" bash -c "! grep -q folder-link '$S'"
expect "no output for the outside link" test ! -e "$SL/out/outside.ods"
expect "the secret is in no output" no_secret "$SL/out"
finish

start "--follow-symlinks follows it (control: the secret search finds what it should)"
kc recalc "$SL/in" -o "$SL/follow" --to ods,csv --follow-symlinks --summary "$SL/f.csv"
expect "the outside link: ok" field_is "$SL/f.csv" outside.fods status ok
expect "the secret is in its outputs, and the search sees it" has_secret "$SL/follow"
expect "dangling still reported" field_has "$SL/f.csv" dangling.ods message "dangling"
finish

start "--in-place on a symbolic link: refused, the link stays a link"
mkdir -p "$SL/ip"
cp "$IN/links/ok-plain.ods" "$SL/ip/target.ods"
cp "$SL/ip/target.ods" "$T/target.orig"
ln -s "$SL/ip/target.ods" "$SL/link.ods"
kc recalc --in-place "$SL/link.ods" --summary "$SL/ip.csv"
expect "status 1" is_status 1
expect "the reason" field_has "$SL/ip.csv" link.ods message "--in-place does not replace links"
expect "the link is still a link" test -L "$SL/link.ods"
expect "to the same file" [ "$(readlink "$SL/link.ods")" = "$SL/ip/target.ods" ]
expect "which is unchanged" cmp -s "$SL/ip/target.ods" "$T/target.orig"
expect "no backup made" test ! -e "$SL/link.ods.bak"
finish

# ---- profiles ----------------------------------------------------------------------
PD=$T/pd
mkdir -p "$PD"
chmod 755 "$T"
start "a profile folder of another user, or writable by others, is refused"
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PD/other"
    chown nobody "$PD/other"
    kc recalc "$IN/links/ok-plain.ods" --profile-dir "$PD/other" --summary "$T/p1.csv"
    expect "another user's: status 1" is_status 1
    expect "another user's: the reason" grep -rqF "belongs to another user" "$T/err" "$T/p1.csv"
    expect "nothing made in it" [ -z "$(ls -A "$PD/other")" ]
else
    echo "  (not root: a folder of another user cannot be made; that case is not tried)"
fi
mkdir -p "$PD/open"
chmod 0777 "$PD/open"
kc recalc "$IN/links/ok-plain.ods" --profile-dir "$PD/open" --summary "$T/p2.csv"
expect "writable by others: status 1" is_status 1
expect "writable by others: the reason" grep -rqF "writable by other users" "$T/err" "$T/p2.csv"
expect "nothing made in it" [ -z "$(ls -A "$PD/open")" ]
mkdir -p "$PD/ww"
chmod 0777 "$PD/ww"
kc recalc "$IN/links/ok-plain.ods" --profile-dir "$PD/ww/kp" --summary "$T/p3.csv"
expect "in a folder everyone may write to (not sticky): status 1" is_status 1
expect "... the reason" grep -rqF "which everyone may write to" "$T/err" "$T/p3.csv"
finish

start "a profile folder in a sticky /tmp-like folder works; planted links in it are not followed"
mkdir -p "$PD/sticky"
chmod 1777 "$PD/sticky"
KP=$PD/sticky/kp
kc recalc "$IN/links/ok-plain.ods" --profile-dir "$KP" --summary "$T/p4.csv"
expect "status 0 ($(tail -c 300 "$T/err"))" is_status 0
expect "made for this user only (mode 700)" [ "$(stat -c %a "$KP")" = 700 ]
TAGDIR=$(ls -d "$KP"/*/ 2>/dev/null | head -1)
expect "a profile was made" test -d "$TAGDIR/worker-0"
echo "the victim's own data" >"$T/victim"
cp "$T/victim" "$T/victim.orig"
rm -f "$TAGDIR/worker-0.lock"
ln -s "$T/victim" "$TAGDIR/worker-0.lock"
kc recalc "$IN/links/ok-plain.ods" --profile-dir "$KP" -j 1 --summary "$T/p5.csv"
expect "a planted lock link: the run fails" is_status 1
expect "... naming it" grep -rqF "worker-0.lock" "$T/err" "$T/p5.csv"
expect "... and the file it points to is untouched" cmp -s "$T/victim" "$T/victim.orig"
rm -f "$TAGDIR/worker-0.lock"
mv "$TAGDIR/worker-0" "$TAGDIR/planted"
ln -s planted "$TAGDIR/worker-0"
kc recalc "$IN/links/ok-plain.ods" --profile-dir "$KP" -j 1 --summary "$T/p6.csv"
expect "a profile that is a symbolic link: refused" is_status 1
expect "... the reason" grep -rqF "is a symbolic link" "$T/err" "$T/p6.csv"
chmod 0775 "$TAGDIR"
kc recalc "$IN/links/ok-plain.ods" --profile-dir "$KP" -j 1 --summary "$T/p7.csv"
expect "a version folder writable by its group: refused" grep -rqF "writable by other users" "$T/err" "$T/p7.csv"
chmod 0700 "$TAGDIR"
finish

# ---- bombs -------------------------------------------------------------------------
"$PY" "$HOSTILE" bombs "$T/bombs"

start "1 MB .ods inflating to 1 GB: refused by the archive check"
T0=$(date +%s)
kc recalc "$T/bombs/bomb-inflate.ods" --summary "$T/b1.csv"
expect "status 1" is_status 1
expect "the reason" field_has "$T/b1.csv" bomb-inflate.ods message "a ZIP bomb?"
expect "at once ($(($(date +%s) - T0)) s)" [ $(($(date +%s) - T0)) -lt 60 ]
finish

start "1.1 KB .fods of 1,048,576 rows x 1,024 columns: fails at its memory limit, memory bounded"
T0=$(date +%s)
kc recalc "$T/bombs/bomb-rows.fods" --memory-limit 1024 --timeout 600 -j 1 --summary "$T/b2.csv"
T1=$(date +%s)
expect "status 1" is_status 1
expect "the reason: memory limit" field_has "$T/b2.csv" bomb-rows.fods message "memory limit"
expect "... naming the limit" field_has "$T/b2.csv" bomb-rows.fods message "the limit of 1024 MB"
PEAK=$(sed -n 's/.*peak worker memory \([0-9]*\) MiB.*/\1/p' "$T/err")
expect "peak worker memory bounded (${PEAK:-?} MiB <= 1536)" [ "${PEAK:-99999}" -le 1536 ]
expect "well before the timeout ($((T1 - T0)) s)" [ $((T1 - T0)) -lt 300 ]
kc recalc "$T/bombs/bomb-rows.fods" --memory-limit lots
expect "a bad --memory-limit is bad usage" is_status 2
finish

start "--max-output-size: an output past the limit fails the workbook, nothing written"
kc recalc "$T/bombs/big-output.fods" -o "$T/big" --to fods,csv --max-output-size 1 --summary "$T/b3.csv"
expect "status 1" is_status 1
expect "the reason" field_has "$T/b3.csv" big-output.fods message "output size limit"
expect "nothing written" [ -z "$(ls "$T/big" | grep -v '^b3.csv$')" ]
kc recalc "$T/bombs/big-output.fods" -o "$T/big2" --to fods,csv --summary "$T/b4.csv"
expect "control: without the option it is written (status $RC)" is_status 0
expect "control: and is larger than 1 MB" [ "$(stat -c %s "$T/big2/big-output.fods" 2>/dev/null || echo 0)" -gt 1048576 ]
kc recalc "$T/bombs/big-output.fods" --max-output-size -3
expect "a bad --max-output-size is bad usage" is_status 2
finish

start "--help names the new options"
kc recalc --help
for opt in --memory-limit --max-output-size --follow-symlinks; do
    expect "--help mentions $opt" contains "$T/out" "$opt"
done
finish

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" = 0 ]
