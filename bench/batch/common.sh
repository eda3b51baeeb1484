# Sourced by the batch benchmarks (bench_batch.sh, soak.sh): sets ROOT and
# KPICALC (which must be built), a scratch folder T removed on exit, and a
# private cache folder for kpicalc's profiles.
#   usage: . "$(dirname "$0")/common.sh" NAME
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KPICALC=$ROOT/build/kpicalc
[ -x "$KPICALC" ] || { echo "run 'make build/kpicalc' first" >&2; exit 1; }
T=$(mktemp -d "/tmp/kpicalc-$1.XXXXXX")
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME=$T/cache
