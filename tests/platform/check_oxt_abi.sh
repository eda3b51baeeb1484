#!/usr/bin/env bash
# What the .oxt's library needs from the machine it runs on, read from the
# ELF file itself (readelf, objdump): it must need nothing but LibreOffice's
# UNO libraries and glibc (GSL is linked in), no symbol version above
# GLIBC_2.28, and be a Linux x86-64 UNO component. Controls: the same checks
# must fail on a library that needs hypot@GLIBC_2.35 and on Debian's
# libgsl (which needs libgslcblas), and pass on the control built with
# addin/compat/glibc_2_28.h.
#
#   tests/platform/check_oxt_abi.sh [build/kpicalc.oxt]
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
OXT=${1:-build/kpicalc.oxt}
PY=/usr/bin/python3
FLOOR=2.28
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# needed_ok LIB: 0 when every NEEDED entry of LIB is LibreOffice's UNO
# runtime or glibc's; prints the others.
needed_ok() {
    local bad
    bad=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
        grep -Ev '^(libuno_[a-z]+\.so\.[0-9]+|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|ld-linux-x86-64\.so\.2)$')
    [ -z "$bad" ] || { echo "$bad" | sed 's/^/    needs /'; return 1; }
}

# versions_ok LIB: 0 when no symbol version LIB needs is a glibc version
# above FLOOR, GLIBC_PRIVATE, or a version of a library other than glibc
# and LibreOffice's UNO runtime (UDK_*, LIBO_UDK_*); prints the others.
versions_ok() {
    local bad
    bad=$(objdump -T "$1" | awk '$0 ~ /\*UND\*/ { for (i = 1; i <= NF; i++)
                if ($i ~ /^\(?[A-Z]/ && $i ~ /_/) { v = $i; gsub(/[()]/, "", v); print v, $NF } }' |
        while read -r v sym; do
            case $v in
            GLIBC_2.*)
                # GLIBC_2.2.5 < 2.28: compare as version numbers
                if [ "$(printf '%s\n%s\n' "${v#GLIBC_}" "$FLOOR" | sort -V | tail -1)" != "$FLOOR" ]; then
                    echo "$sym@$v"
                fi
                ;;
            UDK_* | LIBO_UDK_*) ;;
            *) echo "$sym@$v" ;;
            esac
        done)
    [ -z "$bad" ] || { echo "$bad" | sed 's/^/    needs /'; return 1; }
}

# --- the controls: the checks can fail -------------------------------------
cat >"$TMP/ctl.c" <<'C'
#include <math.h>
double kpi_ctl(double x, double y) { return hypot(x, y) + exp(x) + log(y) + pow(x, y); }
C
if gcc -O2 -fPIC -shared -fno-builtin -o "$TMP/ctl-new.so" "$TMP/ctl.c" -lm 2>"$TMP/cc.err"; then
    if versions_ok "$TMP/ctl-new.so" >/dev/null; then
        fail "control: a library calling hypot/exp/log/pow with today's versions is refused"
    else
        pass "control: a library calling hypot/exp/log/pow with today's versions is refused"
    fi
else
    fail "control: cannot build the control library: $(cat "$TMP/cc.err")"
fi
if gcc -O2 -fPIC -shared -fno-builtin -include addin/compat/glibc_2_28.h \
    -o "$TMP/ctl-old.so" "$TMP/ctl.c" -lm 2>"$TMP/cc.err"; then
    if versions_ok "$TMP/ctl-old.so"; then
        pass "control: the same built with addin/compat/glibc_2_28.h passes"
    else
        fail "control: the same built with addin/compat/glibc_2_28.h passes"
    fi
else
    fail "control: cannot build with addin/compat/glibc_2_28.h: $(cat "$TMP/cc.err")"
fi
SYSGSL=$(ls /usr/lib/x86_64-linux-gnu/libgsl.so.[0-9]* 2>/dev/null | head -1)
if [ -n "$SYSGSL" ]; then
    if needed_ok "$SYSGSL" >/dev/null; then
        fail "control: Debian's $(basename "$SYSGSL") (needs libgslcblas) is refused"
    else
        pass "control: Debian's $(basename "$SYSGSL") (needs libgslcblas) is refused"
    fi
fi

# --- the .oxt ---------------------------------------------------------------
if [ ! -r "$OXT" ]; then
    fail "no extension $OXT (make oxt)"
    echo "$PASSED passed, $FAILED failed"
    exit 1
fi
LIB="$TMP/libkpicalc.so"
if ! "$PY" - "$OXT" "$LIB" <<'PYEOF'; then
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = [n for n in z.namelist() if n.endswith(".so")]
    if names != ["libkpicalc.so"]:
        sys.exit("the extension's libraries are %s, not libkpicalc.so alone" % names)
    with open(sys.argv[2], "wb") as f:
        f.write(z.read("libkpicalc.so"))
PYEOF
    fail "$OXT holds libkpicalc.so (and no other library)"
    echo "$PASSED passed, $FAILED failed"
    exit 1
fi
pass "$OXT holds libkpicalc.so (and no other library)"

if readelf -h "$LIB" | grep -q 'Class:.*ELF64' &&
    readelf -h "$LIB" | grep -q 'Machine:.*X86-64' &&
    readelf -h "$LIB" | grep -q 'Type:.*DYN'; then
    pass "libkpicalc.so is an x86-64 ELF shared object"
else
    fail "libkpicalc.so is an x86-64 ELF shared object"
fi
grep -q 'platform=Linux_x86_64' <("$PY" -c "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('META-INF/manifest.xml').decode())" "$OXT") &&
    pass "the manifest registers the component for Linux_x86_64" ||
    fail "the manifest registers the component for Linux_x86_64"
if needed_ok "$LIB"; then
    pass "libkpicalc.so needs no library but LibreOffice's UNO runtime and glibc ($(readelf -d "$LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '))"
else
    fail "libkpicalc.so needs no library but LibreOffice's UNO runtime and glibc"
fi
if readelf -d "$LIB" | grep -q 'NEEDED.*libgsl'; then
    fail "GSL is linked in (no NEEDED libgsl*)"
else
    pass "GSL is linked in (no NEEDED libgsl*)"
fi
if versions_ok "$LIB"; then
    pass "no symbol version above GLIBC_$FLOOR (highest: $(objdump -T "$LIB" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1))"
else
    fail "no symbol version above GLIBC_$FLOOR"
fi
# Versions the dynamic loader checks before any symbol is bound
# (Version References, e.g. GLIBC_ABI_DT_RELR of newer linkers).
if objdump -p "$LIB" | awk '/^Version References:/ { on = 1; next } on && /^$/ { on = 0 } on && /0x/ { print $NF }' |
    grep -Ev '^(GLIBC_2\.(2\.5|[0-9]|1[0-9]|2[0-8])(\.[0-9]+)?|UDK_.*|LIBO_UDK_.*)$' >"$TMP/refs"; then
    fail "the loader needs no version above GLIBC_$FLOOR: $(tr '\n' ' ' <"$TMP/refs")"
else
    pass "the loader needs no version above GLIBC_$FLOOR"
fi
if objdump -T "$LIB" | grep -q ' component_getFactory$' &&
    ! objdump -T "$LIB" | grep -E '\.text.* gsl_' >/dev/null; then
    pass "exports component_getFactory and no GSL symbol"
else
    fail "exports component_getFactory and no GSL symbol"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
