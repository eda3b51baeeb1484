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

if [ "$(id -u)" -ne 0 ]; then
    echo "chroot-check: needs root (debootstrap, mount, chroot)" >&2
    exit 2
fi
log() { printf '==> %s\n' "$*" >&2; }

# The Debian mirror apt uses here (deb822 or one-line sources).
mirror() {
    local m
    m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / '"$SUITE"'( |$)/ && u { print u; exit }' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$m" ] || m=$(awk '$1 == "deb" && $3 == "'"$SUITE"'" { print $2; exit }' \
        /etc/apt/sources.list 2>/dev/null || true)
    echo "${m:-http://deb.debian.org/debian}"
}

MOUNTED=()
unmount_all() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        umount -R "${MOUNTED[i]}" 2>/dev/null || umount -lR "${MOUNTED[i]}" || true
    done
    MOUNTED=()
}
trap unmount_all EXIT
bind() { # what where [rbind]
    mkdir -p "$2"
    if [ "${3:-}" = rbind ]; then
        mount --rbind "$1" "$2"
        mount --make-rslave "$2"
    else
        mount -t "$1" "$1" "$2"
    fi
    MOUNTED+=("$2")
}

if findmnt -rn -o TARGET | grep -q "^$DIR/"; then
    echo "chroot-check: something is still mounted under $DIR (umount -R it first)" >&2
    exit 1
fi

dpkg-query -W -f='${Status}' debootstrap 2>/dev/null | grep -q "install ok installed" || {
    log "installing debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

if [ ! -e "$DIR/.kpicalc-debootstrap-complete" ]; then
    rm -rf "$DIR"
    log "debootstrap $SUITE into $DIR from $(mirror) (once)"
    debootstrap --arch=amd64 "$SUITE" "$DIR" "$(mirror)" >"$LOG.debootstrap" 2>&1 || {
        tail -20 "$LOG.debootstrap"
        exit 1
    }
    touch "$DIR/.kpicalc-debootstrap-complete"
fi

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

bind proc "$DIR/proc"
bind sysfs "$DIR/sys"
bind /dev "$DIR/dev" rbind

in_chroot() {
    chroot "$DIR" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "$1"
}
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
