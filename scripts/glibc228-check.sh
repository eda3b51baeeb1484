#!/usr/bin/env bash
# ./build.sh glibc228 [DIR]: the .oxt built here (Debian 12, glibc 2.36)
# loads and computes on an old glibc and an older office. A check to run
# by hand, as root; not part of ./build.sh test (it downloads a second
# system and office).
#
# Debootstraps KPICALC_OLD_SUITE (default bullseye: Debian 11, glibc 2.31,
# the glibc of Kylin V10 SP1, LibreOffice 7.0; the one run here) from
# KPICALC_OLD_MIRROR (default http://deb.debian.org/debian) into DIR
# (default /var/tmp/kpicalc-SUITE; kept between runs, made again when
# incomplete), --variant=minbase, and installs libreoffice-calc,
# python3-uno and libreoffice-l10n-zh-cn there. glibc 2.28 itself (the
# glibc of UOS 20) is Debian 10, archived:
#   KPICALC_OLD_SUITE=buster KPICALC_OLD_MIRROR=http://archive.debian.org/debian
# (NOT run here: this machine cannot reach the archive). Buster's Release
# files are signed by keys that Debian 12's keyring no longer carries:
# debootstrap then runs with --no-check-gpg unless KPICALC_OLD_KEYRING
# names a keyring with them (for example bullseye's
# debian-archive-keyring.gpg); apt inside the root checks with the root's
# own keyring, ignoring only the archive's expired Valid-Until. On any
# suite, GLIBC228 (below) adds glibc 2.28's own loader.
#
# The shipped .oxt (OXT, default build/kpicalc.oxt) is only read. Its
# description.xml requires LibreOffice 7.4, which these offices refuse, so
# the check installs a TEST copy that differs from it in that one
# dependency element only (checked here; the library is the same bytes).
# Then, in the root, as root:
#   1. the root's own loader resolves the library, its UNO libraries and
#      every symbol version (ld.so --list, and with LD_BIND_NOW/LD_WARN as
#      `ldd -r` does);
#   1b. when GLIBC228 names the prefix of a glibc 2.28 built from source
#      and the root's glibc is newer, the same with that glibc's loader;
#   2. one cell in a real Calc: CERTRATE(31;34) = 0.911764705882353, by the
#      English name through the API, by the programmatic name, and typed;
#   3. the in-Calc formula suite, tests/calc/run_calc_tests.py, with the
#      root's python3-uno and soffice (failures listed in DIR.failures),
#      and again with the programmatic names (offices before 7.4 do not
#      map the English names in setFormula: DIR.failures-programmatic).
# The log goes to DIR.log; a results table is printed at the end. Exit
# status 0 when the library loads, the cell computes by its programmatic
# name and the suite with programmatic names passes (the failures of the
# suite as it is are listed for classification: an old office's naming).
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE=${KPICALC_OLD_SUITE:-bullseye}
MIRROR=${KPICALC_OLD_MIRROR:-http://deb.debian.org/debian}
DIR=$(realpath -m "${1:-/var/tmp/kpicalc-$SUITE}")
LOG=$DIR.log
OXT=$(realpath -m "${OXT:-build/kpicalc.oxt}")
PKGS=(libreoffice-calc python3-uno libreoffice-l10n-zh-cn)
W_IN=/root/kpicalc-old # the work folder, as seen in the root
W=$DIR$W_IN

NAME=glibc228-check
# shellcheck source=scripts/lib/debian-root.sh
. scripts/lib/debian-root.sh
[ -f "$OXT" ] || {
    echo "glibc228-check: no $OXT (run ./build.sh first)" >&2
    exit 2
}
GPG=()
if [ -n "${KPICALC_OLD_KEYRING:-}" ]; then
    GPG=(--keyring="$KPICALC_OLD_KEYRING")
elif [ "$SUITE" = buster ]; then
    GPG=(--no-check-gpg)
fi
root_make "$SUITE" "$MIRROR" --variant=minbase "${GPG[@]}"

case $MIRROR in
*archive.debian.org*)
    echo "deb $MIRROR $SUITE main" >"$DIR/etc/apt/sources.list"
    echo 'Acquire::Check-Valid-Until "false";' >"$DIR/etc/apt/apt.conf.d/99kpicalc-archive"
    ;;
*)
    {
        echo "deb $MIRROR $SUITE main"
        echo "deb $MIRROR $SUITE-updates main"
        echo "deb ${MIRROR%/debian}/debian-security $SUITE-security main"
    } >"$DIR/etc/apt/sources.list"
    ;;
esac
cp /etc/resolv.conf "$DIR/etc/resolv.conf"

root_mount

: >"$LOG"
missing=$(in_chroot "for p in ${PKGS[*]}; do dpkg-query -W -f='\${Status}' \$p 2>/dev/null |
    grep -q 'install ok installed' || echo \$p; done" | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
    log "installing in the $SUITE root: $missing"
    in_chroot "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq $missing >/dev/null" 2>&1 | tee -a "$LOG"
fi
LO_VERSION=$(in_chroot "dpkg-query -W -f='\${Version}' libreoffice-calc")
GLIBC=$(in_chroot "ldd --version | sed -n '1s/.* //p'")

# The test copy of the .oxt, the in-Calc suite and what it reads
# (tests/reference; CalcAddIns.xcu from the .oxt; kpi-gen built from this
# tree, statically: one built on glibc 2.36 would not start on 2.28)
rm -rf "$W"
mkdir -p "$W/build" "$W/lib" "$W/tests"
/usr/bin/python3 - "$OXT" "$W/build/kpicalc.oxt" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "description.xml":
            text = data.decode("utf-8")
            new = re.sub(r"\n\s*<dependencies>\s*<l:LibreOffice-minimal-version"
                         r"[^>]*/>\s*</dependencies>", "", text)
            if new == text or "dependencies" in new:
                sys.exit("glibc228-check: no LibreOffice-minimal-version dependency to remove")
            data = new.encode("utf-8")
        zout.writestr(info, data)
PY
# the test copy differs from the shipped .oxt in description.xml only
for f in $(unzip -Z1 "$OXT"); do
    [ "${f%/}" = "$f" ] || continue
    [ "$f" = description.xml ] && continue
    cmp -s <(unzip -p "$OXT" "$f") <(unzip -p "$W/build/kpicalc.oxt" "$f") || {
        echo "glibc228-check: the test .oxt differs in $f" >&2
        exit 1
    }
done
unzip -q -o "$OXT" libkpicalc.so -d "$W/lib"
unzip -q -o "$OXT" CalcAddIns.xcu -d "$W/build"
cp -r tests/calc tests/reference "$W/tests/"
find "$W/tests" -name __pycache__ -prune -exec rm -rf {} +
KG=$(mktemp -d)
make -s B="$KG" CC="gcc -static" "$KG/kpi-gen" >/dev/null
cp "$KG/kpi-gen" "$W/build/kpi-gen"
rm -rf "$KG"
log "kpicalc.oxt $(sha256sum "$OXT" | cut -c1-12) (libkpicalc.so" \
    "$(sha256sum "$W/lib/libkpicalc.so" | cut -c1-12)); LibreOffice $LO_VERSION, glibc $GLIBC in the $SUITE root"

set +e
# 1. The root's loader: every library found, every symbol and version bound
PROG=/usr/lib/libreoffice/program
LDSO=/lib64/ld-linux-x86-64.so.2
log "the root's loader ($LDSO, glibc $GLIBC) on libkpicalc.so"
in_chroot "LD_LIBRARY_PATH=$PROG $LDSO --list $W_IN/lib/libkpicalc.so" >"$W/list" 2>&1
LIST=$?
in_chroot "LD_LIBRARY_PATH=$PROG LD_TRACE_LOADED_OBJECTS=1 LD_WARN=yes LD_BIND_NOW=yes \
    $LDSO $W_IN/lib/libkpicalc.so" >"$W/bind" 2>&1
BIND=$?
tee -a "$LOG" <"$W/list"
tee -a "$LOG" <"$W/bind" | grep -E 'not found|undefined|version' || true
if [ "$LIST" -eq 0 ] && [ "$BIND" -eq 0 ] && ! grep -qE 'not found|undefined symbol' "$W/list" "$W/bind"; then
    LOADS="yes: every library and symbol version resolved"
    LOADS_OK=0
else
    LOADS="NO: $(grep -hE 'not found|undefined symbol' "$W/list" "$W/bind" | head -3 | tr '\n' ' ')"
    LOADS_OK=1
fi

# 1b. A glibc 2.28 built from source, when the root's glibc is newer
G228="not run (GLIBC228 unset)"
G228_OK=0
if [ "$GLIBC" = 2.28 ]; then
    G228="not needed (the root's glibc is 2.28)"
elif [ -n "${GLIBC228:-}" ]; then
    rm -rf "$DIR/opt/glibc-2.28" && mkdir -p "$DIR/opt" && cp -a "$GLIBC228" "$DIR/opt/glibc-2.28"
    G=/opt/glibc-2.28
    GV=$(in_chroot "$G/lib/ld-linux-x86-64.so.2 --library-path $G/lib $G/lib/libc.so.6" |
        sed -n '1s/.* version \([0-9.]*[0-9]\)\.*$/\1/p')
    log "glibc $GV's loader ($G) on libkpicalc.so"
    in_chroot "LD_TRACE_LOADED_OBJECTS=1 LD_WARN=yes LD_BIND_NOW=yes \
        $G/lib/ld-linux-x86-64.so.2 --library-path $G/lib:$PROG:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu \
        $W_IN/lib/libkpicalc.so" >"$W/bind228" 2>&1
    G228_RC=$?
    tee -a "$LOG" <"$W/bind228"
    # LibreOffice's own libraries of a newer root need more than 2.28
    # themselves (libuno_sal: log@GLIBC_2.29): only what libkpicalc.so
    # needs counts here, and the loader must have read it
    # (the loader prefixes every message with the file it was asked for:
    # what counts is the file named after "required by" or in brackets)
    BAD='not found|not defined|undefined symbol'
    OURS=$(grep -E "$BAD" "$W/bind228" | grep -E 'required by [^)]*libkpicalc\.so|\([^)]*libkpicalc\.so\)$' || true)
    if [ "$GV" = 2.28 ] && grep -q "libc.so.6 => $G/lib/libc.so.6" "$W/bind228" &&
        grep -q "libm.so.6 => $G/lib/libm.so.6" "$W/bind228" && [ -z "$OURS" ]; then
        G228="yes: the library's own glibc symbols and versions resolved (exit $G228_RC;"
        G228+=" $(grep -cE "$BAD" "$W/bind228") lines about the root's own libraries, which need more:"
        G228+=" $(grep -oE 'GLIBC_2\.[0-9]+. not found \(required by [^)]*' "$W/bind228" | sed 's/.*\///' | sort -u | tr '\n' ' '))"
    else
        G228="NO: ${OURS:-the loader did not use glibc 2.28 libc and libm (GLIBC228 is glibc ${GV:-?})}"
        G228_OK=1
    fi
fi

# 2. One cell in a real Calc, three ways: the English name through the
# API (setFormula), as the suite writes it; the add-in's programmatic name;
# and the name as a user types it (FormulaLocal, the en-US UI's names).
# Offices before 7.4 may not map the English name in setFormula.
log "CERTRATE(31;34) in the $SUITE root's Calc"
in_chroot "cd $W_IN && python3 - <<'PY'
import sys
sys.path.insert(0, 'tests/calc')
from office import Office
with Office('build/kpicalc.oxt') as o:
    doc = o.new_calc()
    cell = doc.Sheets.getByIndex(0).getCellByPosition(0, 0)
    for how, f in (('api', '=CERTRATE(31;34)'),
                   ('programmatic', '=ORG.KPICALC.KPICALC.CERTRATE(31;34)'),
                   ('typed', '=CERTRATE(31;34)')):
        if how == 'typed':
            cell.FormulaLocal = f
        else:
            cell.setFormula(f)
        doc.calculateAll()
        print(how, f, '=', repr(cell.getValue()), cell.getString(), cell.getError())
    doc.close(True)
PY" 2>&1 | tee "$W/cell" | tee -a "$LOG"
cell_says() { # how
    if grep -q "^$1 .* = [0-9.e-]* 0.911764705882353 0\$" "$W/cell"; then
        echo "0.911764705882353"
    else
        echo "WRONG: $(grep "^$1 " "$W/cell" | sed 's/.* = //')"
    fi
}
CELL="api $(cell_says api); programmatic $(cell_says programmatic); typed $(cell_says typed)"
CELL_OK=1
case $(cell_says programmatic) in 0.9*) CELL_OK=0 ;; esac

# 3. The in-Calc formula suite with the root's office and python3-uno, as
# it is; and 3b. the same suite again with every add-in function that it
# writes through setFormula/setArrayFormula given by its programmatic name
# (ORG.KPICALC.KPICALC.NAME, in a copy of it: tests/calc-prog), so that an
# office that does not map the English names there still computes them:
# what fails in 3b is not the naming
log "in-Calc formula suite in the $SUITE root (LibreOffice $LO_VERSION)"
in_chroot "cd $W_IN && python3 tests/calc/run_calc_tests.py build/kpicalc.oxt" >"$W/suite" 2>&1
CALC=$?
tee -a "$LOG" <"$W/suite" | tail -3
grep -avE '^calc: [0-9]+ passed' "$W/suite" >"$DIR.failures" || true
CALC_LINE=$(grep -aE '^calc: [0-9]+ passed, [0-9]+ failed' "$W/suite" | tail -1)
cat >"$W/run_programmatic.py" <<'PY'
"""tests/calc with the add-in's programmatic names: a copy of it in
tests/calc-prog whose setFormula/setArrayFormula calls go through
kpi_prog (NAME( -> ORG.KPICALC.KPICALC.NAME()."""
import builtins, os, re, shutil, subprocess, sys
names = subprocess.run(["build/kpi-gen", "list"], stdout=subprocess.PIPE,
                       text=True, check=True).stdout.split()
pat = re.compile(r"(?<![\w.])(%s)\(" % "|".join(names), re.I)
builtins.kpi_prog = lambda f: pat.sub(
    lambda m: "ORG.KPICALC.KPICALC.%s(" % m.group(1).upper(), f)
shutil.rmtree("tests/calc-prog", ignore_errors=True)
shutil.copytree("tests/calc", "tests/calc-prog")
call = re.compile(r"\.(setFormula|setArrayFormula)\((.*)\)$")
for f in os.listdir("tests/calc-prog"):
    if f.endswith(".py"):
        p = os.path.join("tests/calc-prog", f)
        with open(p, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        lines = [call.sub(r".\1(kpi_prog(\2))", l) for l in lines]
        with open(p, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
sys.path.insert(0, "tests/calc-prog")
import run_calc_tests as r
sys.exit(r.main(sys.argv[1:]))
PY
log "the suite again with programmatic names"
in_chroot "cd $W_IN && python3 run_programmatic.py build/kpicalc.oxt" >"$W/suite-prog" 2>&1
PROG_RC=$?
tee -a "$LOG" <"$W/suite-prog" | tail -3
grep -avE '^calc: [0-9]+ passed' "$W/suite-prog" >"$DIR.failures-programmatic" || true
PROG_LINE=$(grep -aE '^calc: [0-9]+ passed, [0-9]+ failed' "$W/suite-prog" | tail -1)
set -e

row() { printf '| %-30s | %-60s |\n' "$@"; }
{
    echo
    echo "glibc228-check $(date -u +%F): kpicalc.oxt (test copy without the 7.4 dependency) on $SUITE"
    row "glibc / LibreOffice" "$GLIBC / $LO_VERSION"
    row "root's loader binds the lib" "$LOADS"
    row "glibc 2.28 loader (GLIBC228)" "$G228"
    row "CERTRATE(31;34) in Calc" "$CELL"
    row "in-Calc formula suite (exit)" "$CALC: ${CALC_LINE:-no result line} (lines in $DIR.failures)"
    row "the same, programmatic names" "$PROG_RC: ${PROG_LINE:-no result line} (in $DIR.failures-programmatic)"
} | tee -a "$LOG"
[ "$LOADS_OK" -eq 0 ] && [ "$G228_OK" -eq 0 ] && [ "$CELL_OK" -eq 0 ] && [ "$PROG_RC" -eq 0 ]
