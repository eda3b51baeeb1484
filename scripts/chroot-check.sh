#!/usr/bin/env bash
# ./build.sh chroot [DIR]: the README's two commands, as root, in a
# brand-new Debian 12 without user namespaces (a chroot never has them: the
# kernel refuses CLONE_NEWUSER to a chrooted process), started in a folder
# under /root (mode 700). A CI-like check to run by hand; not part of
# ./build.sh test (it downloads a Debian base system and LibreOffice).
#
# Debootstraps Debian 12 (bookworm) into DIR (default build/chroot; kept
# between runs, made again when incomplete) from the Debian mirror apt uses
# here, gives it the same Debian apt sources, clones this repository's HEAD
# into DIR/root/project, and runs ./build.sh demo and ./build.sh test there
# as root. The whole log goes to DIR.log; the last line says both results.
# Exit status 0 when both pass.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=$(realpath -m "${1:-build/chroot}")
LOG=$DIR.log
SUITE=bookworm

NAME=chroot-check
# shellcheck source=scripts/lib/debian-root.sh
. scripts/lib/debian-root.sh

# The Debian mirror apt uses here (deb822 or one-line sources).
mirror() {
    local m
    m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / '"$SUITE"'( |$)/ && u { print u; exit }' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$m" ] || m=$(awk '$1 == "deb" && $3 == "'"$SUITE"'" { print $2; exit }' \
        /etc/apt/sources.list 2>/dev/null || true)
    echo "${m:-http://deb.debian.org/debian}"
}

root_make "$SUITE" "$(mirror)"

# The Debian sources apt uses here (with security and updates), no deb-src:
# build.sh must enable those itself.
if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    for f in /etc/apt/sources.list.d/*.sources; do
        grep -q 'debian' "$f" && ! grep -q 'deb-src' "$f" && cp "$f" "$DIR/etc/apt/sources.list.d/"
    done
    rm -f "$DIR/etc/apt/sources.list" "$DIR/etc/apt/sources.list.d/kpicalc-deb-src."*
fi
cp /etc/resolv.conf "$DIR/etc/resolv.conf"
chmod 700 "$DIR/root"

log "cloning $ROOT (HEAD $(git rev-parse --short HEAD)) into $DIR/root/project"
rm -rf "$DIR/root/project"
git clone -q --no-local "$ROOT" "$DIR/root/project"

root_mount
# git: the repository is a clone (build.sh lists its sources with git)
in_chroot 'dpkg-query -W -f="\${Status}" git 2>/dev/null | grep -q "ok installed" ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null; }'
if in_chroot 'unshare --user true' 2>/dev/null; then
    USERNS="available (the check does not cover the case without them)"
else
    USERNS="unavailable, as intended"
fi
log "user namespaces in the chroot: $USERNS; /root is $(stat -c %a "$DIR/root")"

: >"$LOG"
set +e
in_chroot 'cd /root/project && ./build.sh demo' 2>&1 | tee -a "$LOG"
DEMO=${PIPESTATUS[0]}
in_chroot 'cd /root/project && ./build.sh test' 2>&1 | tee -a "$LOG"
TEST=${PIPESTATUS[0]}
set -e
DEMO_LINE=$(grep -a 'kpicalc: .* ok, .* failed' "$LOG" | head -1)
TEST_LINE=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$LOG" | tail -1)
echo "chroot Debian 12, root, user namespaces $USERNS:" \
    "demo exit $DEMO (${DEMO_LINE:-no summary line}); test exit $TEST (${TEST_LINE:-no result line})" |
    tee -a "$LOG"
[ "$DEMO" -eq 0 ] && [ "$TEST" -eq 0 ]
