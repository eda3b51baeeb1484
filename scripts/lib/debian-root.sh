# shellcheck shell=bash
# What the by-hand platform checks (chroot-check.sh, compat-check.sh,
# glibc228-check.sh) share: a Debian root made once with debootstrap and
# kept between runs, its mounts undone on exit, and commands run in it as
# root with a clean environment. Sourced, not run. The caller sets NAME
# (for messages), DIR (the root) and LOG (the run's log; debootstrap's
# output goes to $LOG.debootstrap) before sourcing.

log() { printf '==> %s\n' "$*" >&2; }
die() { # status message
    echo "$NAME: $2" >&2
    exit "$1"
}

[ "$(id -u)" -eq 0 ] || die 2 "needs root (debootstrap, mount, chroot)"

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

# Refuses to work on a root that still has something mounted in it (a
# rm -rf there would reach the host's /dev or /proc).
root_unmounted() {
    if findmnt -rn -o TARGET | grep -q "^$DIR/"; then
        die 1 "something is still mounted under $DIR (umount -R it first)"
    fi
}

# debootstrap SUITE from MIRROR into DIR once (a marker file says it
# finished; an unfinished root is made again), with any further
# debootstrap options given.
root_make() { # suite mirror [debootstrap options...]
    local suite=$1 mirror=$2
    shift 2
    root_unmounted
    dpkg-query -W -f='${Status}' debootstrap 2>/dev/null | grep -q "install ok installed" || {
        log "installing debootstrap"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    [ ! -e "$DIR/.kpicalc-debootstrap-complete" ] || return 0
    rm -rf "$DIR"
    log "debootstrap $* $suite into $DIR from $mirror (once)"
    debootstrap --arch=amd64 "$@" "$suite" "$DIR" "$mirror" >"$LOG.debootstrap" 2>&1 || {
        tail -20 "$LOG.debootstrap"
        die 1 "debootstrap failed (is $mirror reachable?)"
    }
    touch "$DIR/.kpicalc-debootstrap-complete"
}

# /proc, /sys and /dev in the root, undone on exit.
root_mount() {
    bind proc "$DIR/proc"
    bind sysfs "$DIR/sys"
    bind /dev "$DIR/dev" rbind
}

# Runs a shell command in the root as root, with a clean environment.
in_chroot() {
    chroot "$DIR" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "$1"
}
