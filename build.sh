#!/usr/bin/env bash
# kpicalc build driver.
#
#   ./build.sh            install missing Debian packages, build everything
#   ./build.sh demo       the main job on the bundled sample: recalculate the
#                         sample workbooks headless with the add-in, print
#                         the indicators and the county summary
#   ./build.sh test       every test: unit (ASan/UBSan), format, cppcheck,
#                         generated files, real-Calc integration, batch;
#                         ends with "N passed, N failed"
#   ./build.sh bench      benchmarks (ratios against baselines in one run)
#   ./build.sh install    install build/kpicalc.oxt into your LibreOffice
#   ./build.sh fuzz [S]   run the libFuzzer harnesses for S seconds each
#   ./build.sh chroot [DIR]  demo and test as root in a fresh Debian 12 chroot
#                         (no user namespaces): scripts/chroot-check.sh
#   ./build.sh compat [DIR]  build/kpicalc and the .oxt on Debian 13 (LibreOffice
#                         25.2) in a chroot: scripts/compat-check.sh
#   ./build.sh glibc228 [DIR]  the .oxt on an older glibc and office (Debian 11
#                         by default; Debian 10 from the archive): scripts/glibc228-check.sh
#   ./build.sh arm64 [B]  cross-build the add-in for Linux aarch64:
#                         build/arm64/kpicalc-linux-aarch64.oxt
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
PY=/usr/bin/python3 # Debian's Python: it has python3-uno (tests only)

# dpkg-dev: apt-get source gsl (the add-in's static GSL, ensure_gsl_source)
BUILD_PKGS=(gcc make zip libgsl-dev libreoffice-calc libreoffice-dev
    libreofficekit-dev dpkg-dev)
# the read-back suite's readers that are not LibreOffice: openpyxl, xlrd,
# Gnumeric's ssconvert, poppler; patchelf makes its broken add-in
TEST_PKGS=(python3-uno cppcheck clang-format libreoffice-l10n-zh-cn
    poppler-utils python3-openpyxl python3-xlrd gnumeric patchelf)
# bench: python3-uno (bench_calc.py), python3-scipy (bench_trend_scipy.py).
# python3-statsmodels is used by no benchmark: it is kept for regenerating
# tests/reference (gen_rateci_ols.py, which also needs python3-mpmath).
BENCH_PKGS=(python3-uno python3-scipy python3-statsmodels)
FUZZ_PKGS=(clang libclang-rt-14-dev)

log() { printf '==> %s\n' "$*" >&2; }

# Installs the packages of the given lists that are missing.
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    # with recommends: the set the test suite was run with
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
        "${missing[@]}" >/dev/null
}

# Enables Debian's source packages (deb-src) for the Debian mirrors apt
# already uses, once: a file of its own in /etc/apt/sources.list.d, for
# deb822 (debian.sources) and one-line (sources.list) configurations.
ensure_deb_src() {
    grep -qsE '^(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list \
        /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources &&
        return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    log "enabling Debian source packages (deb-src) for apt-get source gsl"
    if [ -r /etc/apt/sources.list.d/debian.sources ]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
            "${sudo[@]}" tee /etc/apt/sources.list.d/kpicalc-deb-src.sources >/dev/null
    fi
    if grep -qs '^deb .*debian' /etc/apt/sources.list; then
        sed -n 's/^deb \(.*debian.*\)/deb-src \1/p' /etc/apt/sources.list |
            "${sudo[@]}" tee /etc/apt/sources.list.d/kpicalc-deb-src.list >/dev/null
    fi
    "${sudo[@]}" apt-get update -qq
}

# Debian's GSL source in build/gsl-src (once), from which make builds the
# add-in's static -fPIC GSL (Makefile: $(B)/gsl).
ensure_gsl_source() {
    local dir=build/gsl-src
    [ -x "$dir/configure" ] && return 0
    ensure_deb_src
    log "fetching Debian's GSL source into $dir (apt-get source gsl)"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && apt-get source -qq gsl >/dev/null 2>&1) || {
        local sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get update -qq
        (cd "$dir.tmp" && apt-get source -qq gsl >/dev/null)
    }
    mv "$dir.tmp"/gsl-*/ "$dir"
    rm -rf "$dir.tmp"
}

build() {
    ensure_packages "${BUILD_PKGS[@]}"
    ensure_gsl_source
    make -s -j"$(nproc)" all
}

# --- test ------------------------------------------------------------------
PASSED=0
FAILED=0

# Adds the counts of a suite's "N passed, M failed" line(s), or counts the
# suite as one test by its exit status when it prints none.
tally() { # name status output-file
    local name=$1 status=$2 out=$3 p f found=0
    while read -r p f; do
        PASSED=$((PASSED + p))
        FAILED=$((FAILED + f))
        found=1
    done < <(sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2/p;s/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2/p' "$out")
    if [ $found -eq 0 ]; then
        if [ "$status" -eq 0 ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
    elif [ "$status" -ne 0 ] && ! grep -q "[1-9][0-9]* failed" "$out"; then
        FAILED=$((FAILED + 1)) # crashed or exited non-zero without a failure line
    fi
    if [ "$status" -eq 0 ]; then log "$name: ok"; else log "$name: FAILED (exit $status)"; fi
}

run_suite() { # name command...
    local name=$1 out status
    shift
    out=$(mktemp)
    set +e
    "$@" 2>&1 | tee "$out"
    status=${PIPESTATUS[0]}
    set -e
    tally "$name" "$status" "$out"
    rm -f "$out"
}

c_sources() {
    git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^build/'
}

check_format() {
    local bad=0 f
    for f in $(c_sources); do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || {
            echo "not formatted: $f (run clang-format -i $f)"
            bad=1
        }
    done
    return $bad
}

check_cppcheck() {
    cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
        --enable=warning,performance,portability \
        --suppress=missingIncludeSystem --suppress=unknownMacro \
        -Iaddin/core -Iaddin/funcs -Iformulas -Ibatch \
        $(c_sources | grep '\.c$' | grep -v '^addin/uno/')
    # The UNO layer: checked too, with the SDK headers.
    cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
        --enable=warning,performance,portability \
        --suppress=missingIncludeSystem --suppress=unknownMacro \
        -DUNX -DGCC -DLINUX -Iaddin/core -Iaddin/funcs -Iformulas \
        addin/uno/*.c
}

# The IDL and the reference docs in the repository are what the catalogue
# generates: a second list of functions cannot drift.
check_generated() {
    local tmp status=0
    tmp=$(mktemp -d)
    build/kpi-gen idl "$tmp/XKpiCalc.idl"
    build/kpi-gen md "$tmp/ref.md"
    diff -u idl/XKpiCalc.idl "$tmp/XKpiCalc.idl" || status=1
    diff -u docs/FUNCTIONS-reference.md "$tmp/ref.md" || status=1
    # `make all` has just rewritten both from the catalogue, so the diffs
    # above compare fresh files: a stale commit shows against git instead.
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git diff --exit-code -- idl/XKpiCalc.idl docs/FUNCTIONS-reference.md || {
            echo "idl/XKpiCalc.idl or docs/FUNCTIONS-reference.md differs" \
                "from git: the catalogue changed; commit the regenerated files"
            status=1
        }
    fi
    # every catalogue function is in the extension's configuration
    for fn in $(build/kpi-gen list); do
        grep -q "oor:name=\"$fn\"" build/CalcAddIns.xcu ||
            { echo "missing from CalcAddIns.xcu: $fn"; status=1; }
    done
    rm -rf "$tmp"
    return $status
}

unit_tests() {
    local status=0 t
    for t in build/tests/test_*; do
        [ -x "$t" ] || continue
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
            "$t" || status=1
    done
    return $status
}

# The fuzz harnesses, driven by tests/fuzz/replay.c (no libFuzzer, no
# clang): fixed-seed pseudo-random inputs under ASan and UBSan.
fuzz_replay() {
    local status=0
    build/tests/replay_fuzz_funcs 50000 || status=1
    build/tests/replay_fuzz_trend 3000 || status=1
    # the batch's parsers of untrusted bytes (tests/fuzz/batch_fuzz_*.c)
    for t in build/tests/replay_batch_fuzz_*; do
        [ -x "$t" ] || continue
        "$t" 20000 || status=1
    done
    return $status
}

cmd_test() {
    ensure_packages "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"
    ensure_gsl_source
    make -s -j"$(nproc)" all tests
    run_suite "unit tests (ASan+UBSan)" unit_tests
    run_suite "fuzz harnesses, replayed" fuzz_replay
    run_suite "clang-format" check_format
    run_suite "cppcheck" check_cppcheck
    run_suite "generated files" check_generated
    run_suite "include layers" scripts/check_layers.sh --self-test
    run_suite "in-Calc integration" "$PY" tests/calc/run_calc_tests.py build/kpicalc.oxt
    run_suite "sample workbooks" "$PY" tests/samples/run.py build/kpicalc.oxt
    run_suite "batch command" tests/batch/run.sh
    run_suite "new-year" tests/batch/test_newyear.sh
    run_suite "messages in Chinese" tests/batch/test_cli_lang.sh
    run_suite "hostile inputs (issue 13)" tests/batch/test_hostile.sh
    run_suite "outputs read back" "$PY" tests/batch/outputs.py
    run_suite "county summary (issue 12)" "$PY" tests/batch/test_county.py
    run_suite "platform: the .oxt's ELF needs" tests/platform/check_oxt_abi.sh build/kpicalc.oxt
    run_suite "platform: install without user namespaces" tests/platform/test_profile_install.sh
    run_suite "platform: bare model and its fallback" tests/platform/test_loader.sh
    run_suite "summary cells from the written .ods" tests/batch/test_scan_source.sh
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
}

# --- demo ------------------------------------------------------------------
# Prints the columns named in $2 (comma-separated) of the summary CSV $1 for
# the rows whose file matches $3, as a table. Fields hold no commas.
summary_table() {
    awk -F, -v want="$2" -v match_re="$3" '
        NR == 1 { sub(/^\357\273\277/, "") # the summary starts with a BOM
                  for (i = 1; i <= NF; i++) col[$i] = i
                  n = split(want, w, ",")
                  for (j = 1; j <= n; j++) printf "%-17s ", w[j]; print ""; next }
        $1 ~ match_re { for (j = 1; j <= n; j++) {
                  v = (w[j] in col) ? $(col[w[j]]) : ""
                  if (v ~ /^-?[0-9.]+(e-?[0-9]+)?$/ && v ~ /\./) v = sprintf("%.4f", v)
                  if (w[j] == "file") { sub(/.*\//, "", v) }
                  printf "%-17s ", v }
                  print "" }' "$1"
}

cmd_demo() {
    build
    local out=build/demo
    rm -rf "$out"
    log "recalculating the sample workbooks headless with the add-in"
    build/kpicalc recalc samples -o "$out" --to ods,pdf \
        --summary "$out/summary.csv"
    echo
    echo "东陈乡 2020 (samples/dongchen-2020.ods, figures of the seed report):"
    awk -F, 'NR == 1 { sub(/^\357\273\277/, "")
                       for (i = 1; i <= NF; i++) h[i] = $i; next }
        $1 ~ /dongchen/ { for (i = 4; i < NF; i++)
            if ($i != "") printf "  %-18s %s\n", h[i], $i }' "$out/summary.csv"
    echo
    echo "County summary (samples/county: synthetic townships, 2020):"
    summary_table "$out/summary.csv" \
        file,status,certrate,adoptrate,lossrate,disputes,doubledecline,disputes_trend \
        county
    echo
    echo "Recalculated workbooks and PDFs: $out/   Summary: $out/summary.csv"
}

# --- bench -----------------------------------------------------------------
cmd_bench() {
    ensure_packages "${BENCH_PKGS[@]}"
    build # checks BUILD_PKGS
    "$PY" bench/bench_calc.py build/kpicalc.oxt
    [ -x bench/bench_trend.sh ] && bench/bench_trend.sh
    [ -x bench/batch/bench_batch.sh ] && bench/batch/bench_batch.sh
    return 0
}

# --- install ---------------------------------------------------------------
cmd_install() {
    build
    if [ "$(id -u)" -eq 0 ]; then
        echo "As root, unopkg can only install for all users:" >&2
        echo "  unopkg add --shared $ROOT/build/kpicalc.oxt" >&2
        echo "Run ./build.sh install as the user who runs LibreOffice." >&2
        exit 2
    fi
    unopkg add --force "$ROOT/build/kpicalc.oxt"
    echo "Installed. Restart LibreOffice; the functions are in the Function Wizard, category Add-In."
}

cmd_fuzz() {
    ensure_packages "${BUILD_PKGS[@]}" "${FUZZ_PKGS[@]}"
    local secs=${1:-300} # issue 13: 5 minutes each by default
    make -s fuzz
    for f in build/fuzz/fuzz_* build/fuzz/batch_fuzz_*; do
        [ -x "$f" ] || continue
        log "fuzzing $f for ${secs}s"
        "$f" -max_total_time="$secs" -print_final_stats=1
    done
}

case "${1:-}" in
"") build ;;
demo) cmd_demo ;;
test) cmd_test ;;
bench) cmd_bench ;;
install) cmd_install ;;
fuzz) shift; cmd_fuzz "$@" ;;
chroot) shift; scripts/chroot-check.sh "$@" ;;
compat) shift; scripts/compat-check.sh "$@" ;;
glibc228) shift; scripts/glibc228-check.sh "$@" ;;
arm64) build; shift; scripts/arm64-oxt.sh "$@" ;;
-h | --help | help) sed -n '2,/^[^#]/{/^#/p}' "$0" ;; # the header comment
*)
    echo "unknown command: $1 (try ./build.sh --help)" >&2
    exit 2
    ;;
esac
