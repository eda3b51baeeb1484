#!/usr/bin/env bash
# The extension goes into kpicalc's private profiles through the office's
# own deployment API (batch/profile.c, tests/calc/office.py): as root
# WITHOUT user namespaces, with the profiles and the working folder under a
# mode-700 directory (where `nobody` cannot go) - the case that failed with
# unopkg run as another user. Run as root, the checks run in a private
# mount namespace chrooted to a bind mount of / (a chrooted process may not
# create user namespaces; the kernel refuses CLONE_NEWUSER), which is
# checked first. Also: the profile's Basic module is restored, a second run
# reuses the profile, and a damaged .oxt fails with the office's reason
# (batch and harness).
#
#   tests/platform/test_profile_install.sh   (KPICALC, KPICALC_OXT as in tests/batch)
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
KPICALC=${KPICALC:-$ROOT/build/kpicalc}
OXT=$(realpath -m "${KPICALC_OXT:-$ROOT/build/kpicalc.oxt}")
PY=/usr/bin/python3
PASSED=0
FAILED=0
check() { # name command...
    local name=$1
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "ok   $name"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL $name"
    fi
}
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit
}
if [ ! -x "$KPICALC" ] || [ ! -r "$OXT" ]; then
    check "build/kpicalc and build/kpicalc.oxt are built (make)" false
    finish
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/mnt" "$TMP/private/work" "$TMP/private/tmp"
chmod 700 "$TMP/private"
head -c 3000 "$OXT" >"$TMP/damaged.oxt"

# jail CMD: runs the shell command CMD as this user; as root, in a mount
# namespace chrooted to a bind mount of / (no user namespaces), in a
# folder under the mode-700 directory.
JAIL=0
if [ "$(id -u)" -eq 0 ] &&
    unshare -m sh -c "mount --make-rprivate / && mount --rbind / '$TMP/mnt'" 2>/dev/null; then
    JAIL=1
fi
jail() {
    local env="cd '$TMP/private/work' && export TMPDIR='$TMP/private/tmp' HOME='$TMP/private'"
    if [ $JAIL -eq 1 ]; then
        unshare -m sh -c "mount --make-rprivate / && mount --rbind / '$TMP/mnt' &&
            exec chroot '$TMP/mnt' sh -c \"$env && $1\""
    else
        sh -c "$env && $1"
    fi
}
if [ $JAIL -eq 1 ]; then
    check "setting: no user namespaces where the checks run" \
        jail "! unshare --user true 2>/dev/null"
else
    echo "note: not root (or no mount namespaces): the checks run as $(id -un) with the namespaces there are"
fi
check "setting: the working folder's parent is mode 700" \
    [ "$(stat -c %a "$TMP/private")" = 700 ]

# --- the batch ---------------------------------------------------------------
P=$TMP/private/profiles
jail "'$KPICALC' recalc --extension '$OXT' --profile-dir '$P' -j1 \
    '$ROOT/samples/dongchen-2020.ods' --summary '$TMP/private/s1.csv'" \
    >"$TMP/log1" 2>&1
check "batch: kpicalc recalc installs the add-in and succeeds (exit 0)" [ $? -eq 0 ] ||
    sed 's/^/    /' "$TMP/log1" | tail -5
certrate() { # summary: the certrate of its one row
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "certrate") c = i; next }
        { print $c }' "$1" 2>/dev/null
}
check "batch: the add-in computed CERTRATE (0.911764705882353)" \
    [ "$(certrate "$TMP/private/s1.csv")" = 0.911764705882353 ]
W=$(ls -d "$P"/*/worker-0 2>/dev/null | head -1)
check "batch: the profile holds the extension in its user repository" \
    sh -c "ls '$W/user/uno_packages/cache/uno_packages/' | grep -q ."
check "batch: the profile's Basic module is restored (no installing macro left)" \
    sh -c "[ -s '$W/user/basic/Standard/Module1.xba' ] && ! grep -q KpiInstall '$W/user/basic/Standard/Module1.xba' && [ ! -e '$W/kpicalc-install.status' ]"
MARK=$(stat -c %Y.%i "$W/.kpicalc-complete" 2>/dev/null)
jail "'$KPICALC' recalc --extension '$OXT' --profile-dir '$P' -j1 \
    '$ROOT/samples/dongchen-2020.ods' --summary '$TMP/private/s2.csv'" \
    >"$TMP/log2" 2>&1
check "batch: a second run reuses the profile and gives the same rate" \
    [ "$(stat -c %Y.%i "$W/.kpicalc-complete" 2>/dev/null)" = "$MARK" -a \
    "$(certrate "$TMP/private/s2.csv")" = 0.911764705882353 ]
jail "'$KPICALC' recalc --extension '$TMP/damaged.oxt' --profile-dir '$TMP/private/p2' \
    -j1 '$ROOT/samples/dongchen-2020.ods'" >"$TMP/log3" 2>&1
check "batch: a damaged .oxt fails the run (exit 1)" [ $? -eq 1 ]
check "batch: ... naming the office's reason" \
    grep -q 'LibreOffice could not install .*damaged.oxt: error .*Zip' "$TMP/log3"
check "batch: ... and leaves no profile in place" \
    sh -c "! ls -d '$TMP'/private/p2/*/worker-0 2>/dev/null"

# --- the test harness ----------------------------------------------------------
cat >"$TMP/harness.py" <<PYEOF
import sys
sys.path.insert(0, "$ROOT/tests/calc")
from office import make_profile
try:
    print("profile", make_profile(sys.argv[1]))
except RuntimeError as e:
    print("error", " ".join(str(e).split()))
PYEOF
harness() { # oxt: prints "profile DIR", or "error MESSAGE"
    jail "'$PY' '$TMP/harness.py' '$1'"
}
OUT=$(harness "$OXT" 2>&1)
PROF=${OUT#profile }
check "harness: make_profile installs the extension" \
    sh -c "ls '$PROF/user/uno_packages/cache/uno_packages/' 2>/dev/null | grep -q ."
check "harness: ... and restores the Basic module" \
    sh -c "[ -s '$PROF/user/basic/Standard/Module1.xba' ] && ! grep -q KpiInstall '$PROF/user/basic/Standard/Module1.xba'"
rm -rf "$PROF"
OUT=$(harness "$TMP/damaged.oxt" 2>&1)
case $OUT in
"error installing "*damaged.oxt" failed: error "*Zip*) ok=1 ;;
*) ok=0 ;;
esac
check "harness: a damaged .oxt raises the office's reason" [ $ok -eq 1 ] ||
    echo "    $OUT" | head -3
finish
