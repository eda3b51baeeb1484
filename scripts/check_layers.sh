#!/bin/bash
# check_layers.sh - the include graph keeps the layers of docs/ARCHITECTURE.md
# ("Which may depend on which"). Each #include of every .c/.h is resolved
# (a quoted name first in the file's own folder, as the compiler does) and
# checked against these rules:
#   addin/core    no UNO header, nothing of addin/funcs, addin/uno,
#                 formulas/ or batch/
#   addin/funcs   no UNO header, nothing of addin/uno or batch/
#   addin/uno     no GSL, nothing of the statistics core but kpi_core.h
#                 (process set-up) and kpi_status.h; nothing of batch/
#   formulas      (the catalogue and kpi-gen) no UNO, no GSL, nothing of
#                 addin/ or batch/: the generator links the catalogue alone
#   batch         nothing of addin/ or formulas/, no GSL
# UNO headers are <uno/...>, <rtl/...>, <typelib/...>, <cppu/...>,
# <sal/...>, <osl/...>, <com/...> and the UNO layer's own kpi_uno_*.h.
#
#   scripts/check_layers.sh [ROOT]     check the tree at ROOT (default: the
#                                      repository); prints each violation
#   scripts/check_layers.sh --self-test
#                                      check the repository, then plant one
#                                      violation per rule in temporary copies
#                                      and check that each is caught
# Ends with "layers: N passed, M failed"; exit status 1 on any failure.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")

# The layer of a header included from file $1 as $2 ("name" or <name>),
# in LAYER: core, funcs, uno, formulas, batch, unosdk, gsl or other. (No
# subshells: this runs for every include.)
layer_of() {
    local from=$1 inc=$2 root=$3 name dir d
    LAYER=other
    case $inc in
    \<*)
        name=${inc#<}
        case $name in
        uno/* | rtl/* | typelib/* | cppu/* | sal/* | osl/* | com/*) LAYER=unosdk ;;
        gsl/*) LAYER=gsl ;;
        esac
        return
        ;;
    esac
    name=${inc#\"}
    name=${name%\"}
    dir=${from%/*}
    if [ ! -e "$root/$dir/$name" ]; then
        dir=""
        for d in addin/core addin/funcs addin/uno formulas batch; do
            if [ -e "$root/$d/$name" ]; then
                dir=$d
                break
            fi
        done
    fi
    case $dir in
    addin/core) LAYER=core ;;
    addin/funcs) LAYER=funcs ;;
    addin/uno) LAYER=uno ;;
    formulas | formulas/*) LAYER=formulas ;;
    batch) LAYER="batch" ;;
    esac
}

# Prints the violations of the tree at $1; returns 1 when there is one.
check_tree() {
    local root=$1 bad=0 f inc layer rule base why
    while IFS= read -r hit; do
        f=${hit%%:*}
        inc=${hit#*:}
        case $f in
        addin/core/*) rule=core ;;
        addin/funcs/*) rule=funcs ;;
        addin/uno/*) rule=uno ;;
        formulas/*) rule=formulas ;;
        batch/*) rule="batch" ;;
        *) continue ;;
        esac
        layer_of "$f" "$inc" "$root"
        layer=$LAYER
        base=${inc//[\"<>]/}
        why=""
        case $rule:$layer in
        core:unosdk | core:funcs | core:uno | core:formulas | core:batch)
            why="the statistics core includes no UNO and nothing of the spreadsheet layer" ;;
        funcs:unosdk | funcs:uno | funcs:batch)
            why="the spreadsheet functions include no UNO" ;;
        uno:gsl | uno:batch)
            why="the UNO layer includes no statistics" ;;
        uno:core)
            case $base in
            kpi_core.h | kpi_status.h) ;;
            *) why="the UNO layer includes no statistics (only kpi_core.h, kpi_status.h)" ;;
            esac
            ;;
        formulas:unosdk | formulas:gsl | formulas:core | formulas:funcs | formulas:uno | formulas:batch)
            why="the catalogue and kpi-gen include nothing of the implementation" ;;
        batch:core | batch:funcs | batch:uno | batch:formulas | batch:gsl)
            why="batch/ includes nothing of addin/ or formulas/" ;;
        esac
        if [ -n "$why" ]; then
            echo "layer violation: $f includes $inc: $why"
            bad=1
        fi
    done < <(cd "$root" && find addin formulas batch -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null |
        xargs -0 -r sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/;T;F;p' |
        paste -d: - -)
    return $bad
}

PASSED=0
FAILED=0
result() { # ok? what
    if [ "$1" -eq 0 ]; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        echo "FAIL $2"
    fi
}

# A copy of the sources of the repository, with $2 appended to file $1.
planted_copy() {
    local tmp
    tmp=$(mktemp -d)
    (cd "$REPO" && tar cf - addin formulas batch) | (cd "$tmp" && tar xf -)
    printf '%s\n' "$2" >>"$tmp/$1"
    echo "$tmp"
}

self_test() {
    local status tmp plant file line
    check_tree "$REPO"
    result $? "the repository keeps its layers"
    tmp=$(planted_copy addin/core/kpi_status.h "")
    check_tree "$tmp" >/dev/null
    result $? "an untouched copy passes"
    rm -rf "$tmp"
    # one planted violation per rule, each must fail
    for plant in \
        'addin/core/kpi_rates.c|#include <uno/any2.h>' \
        'addin/core/kpi_rates.c|#include "kpi_args.h"' \
        'addin/core/kpi_dist.h|#include "catalogue.h"' \
        'addin/funcs/kpi_args.c|#include <rtl/ustring.h>' \
        'addin/funcs/kpi_bind.c|#include "kpi_uno_convert.h"' \
        'addin/uno/kpi_uno_addin.c|#include "kpi_rates.h"' \
        'addin/uno/kpi_uno_addin.c|#include <gsl/gsl_cdf.h>' \
        'formulas/catalogue.c|#include "kpi_funcs.h"' \
        'formulas/gen/kpi_gen.c|#include "kpi_dist.h"' \
        'batch/main.c|#include "kpi_status.h"' \
        'batch/main.c|#include "catalogue.h"' \
        'batch/paths.c|  #  include <gsl/gsl_errno.h>'; do
        file=${plant%%|*}
        line=${plant#*|}
        tmp=$(planted_copy "$file" "$line")
        check_tree "$tmp" >/dev/null
        status=$?
        [ $status -ne 0 ]
        result $? "planted '$line' in $file is caught"
        rm -rf "$tmp"
    done
}

if [ "${1:-}" = --self-test ]; then
    self_test
else
    check_tree "${1:-$REPO}"
    result $? "the tree keeps its layers"
fi
echo "layers: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
