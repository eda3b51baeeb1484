#!/usr/bin/env bash
# The batch command in the user's language (issue 11): `kpicalc recalc` and
# `kpicalc new-year` print their help and messages in Chinese when the locale
# is Chinese (the first non-empty of LC_ALL, LC_MESSAGES, LANG starts with
# "zh", in UTF-8), in English otherwise; every kc_tr("...") message of
# batch/ has a Chinese entry (tests/batch/check_messages.py); per-workbook
# reasons are Chinese on stderr and English in the summary; no LibreOffice
# output on stderr. Ends with "cli-lang: N passed, N failed".
#
#   tests/batch/test_cli_lang.sh     (KPICALC=path overrides build/kpicalc)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
KPICALC=${KPICALC:-$ROOT/build/kpicalc}
export KPICALC_OXT=${KPICALC_OXT:-$ROOT/build/kpicalc.oxt}
PY=/usr/bin/python3
unset LANGUAGE LC_ALL LC_MESSAGES LANG KPICALC_DEBUG

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL $*"
}
check() { # description command...
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

TMP=$(mktemp -d /tmp/kpicalc-lang-test-XXXXXX)
export XDG_CACHE_HOME=$TMP/cache
trap 'rm -rf "$TMP"' EXIT
finish() {
    echo "cli-lang: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
    exit $?
}
if [ ! -x "$KPICALC" ]; then
    fail "$KPICALC is missing (make)"
    finish
fi

# --- every wrapped message has a Chinese entry ------------------------------
"$PY" tests/batch/check_messages.py >"$TMP/msgs" 2>&1
check "every kc_tr message has a Chinese entry: $(grep -v '^note' "$TMP/msgs" | head -3)" \
    [ $? -eq 0 ]
# ... and the check finds one that has none
mkdir -p "$TMP/tree/batch"
cp batch/*.c batch/*.h "$TMP/tree/batch/"
printf '\nconst char *kc_untranslated(void);\nconst char *kc_untranslated(void)\n{\n    return kc_tr("a message nobody "\n                 "translated: %%s");\n}\n' \
    >>"$TMP/tree/batch/cli.c"
"$PY" tests/batch/check_messages.py "$TMP/tree" >"$TMP/msgs2" 2>&1
st=$?
check "the check fails on a message without an entry (exit $st)" [ "$st" -eq 1 ]
check "  ... and names it with its file" \
    has "$TMP/msgs2" "batch/cli.c:"
check "  ... joined from its pieces" \
    has "$TMP/msgs2" "a message nobody translated: %s"

# --- help ------------------------------------------------------------------
zh() { env LANG=zh_CN.UTF-8 "$@"; }
zh "$KPICALC" --help >"$TMP/h" 2>&1
check "kpicalc --help in Chinese" sh -c "grep -q '^用法：' '$TMP/h' && grep -q '^命令：' '$TMP/h'"
zh "$KPICALC" recalc --help >"$TMP/h" 2>&1
check "recalc --help in Chinese" sh -c \
    "grep -q '单个工作簿超过这么多秒即放弃' '$TMP/h' && ! grep -q 'give up on a workbook' '$TMP/h'"
zh "$KPICALC" new-year --help >"$TMP/h" 2>&1
check "new-year --help in Chinese" has "$TMP/h" "把 kpicalc 年度工作簿滚动到下一年"
LANG=C "$KPICALC" new-year --help >"$TMP/h" 2>&1
check "new-year --help in English under LANG=C" has "$TMP/h" "Usage: kpicalc new-year"

# which variable decides
lang_of() { # env assignments...: prints zh or en, from recalc --help
    env -u LANG -u LC_ALL -u LC_MESSAGES "$@" "$KPICALC" recalc --help 2>&1 |
        head -1 | grep -q '^用法' && echo zh || echo en
}
check "LANG=zh_CN.UTF-8: Chinese" [ "$(lang_of LANG=zh_CN.UTF-8)" = zh ]
check "LANG=zh_CN.utf8: Chinese" [ "$(lang_of LANG=zh_CN.utf8)" = zh ]
check "LANG=zh_CN (no code set): Chinese" [ "$(lang_of LANG=zh_CN)" = zh ]
check "LANG=zh_CN.GB18030: English (kpicalc writes UTF-8 only)" \
    [ "$(lang_of LANG=zh_CN.GB18030)" = en ]
check "LANG=en_US.UTF-8: English" [ "$(lang_of LANG=en_US.UTF-8)" = en ]
check "no locale at all: English" [ "$(lang_of)" = en ]
check "LC_ALL=C wins over LANG=zh_CN.UTF-8" \
    [ "$(lang_of LC_ALL=C LANG=zh_CN.UTF-8)" = en ]
check "LC_MESSAGES=zh_CN.UTF-8 wins over LANG=C" \
    [ "$(lang_of LC_MESSAGES=zh_CN.UTF-8 LANG=C)" = zh ]
check "LC_ALL=zh_CN.UTF-8 wins over LC_MESSAGES=C" \
    [ "$(lang_of LC_ALL=zh_CN.UTF-8 LC_MESSAGES=C)" = zh ]
check "an empty LC_ALL is no choice" \
    [ "$(lang_of LC_ALL= LANG=zh_CN.UTF-8)" = zh ]

# --- usage errors ----------------------------------------------------------
zh "$KPICALC" recalc --shard 0/3 x >"$TMP/e" 2>&1
st=$?
check "recalc usage error in Chinese (exit $st)" sh -c \
    "[ $st -eq 2 ] && grep -q '分片从 1 开始编号' '$TMP/e' && grep -q \"请运行 'kpicalc recalc --help'\" '$TMP/e'"
zh "$KPICALC" frobnicate >"$TMP/e" 2>&1
check "unknown command in Chinese" has "$TMP/e" "未知命令“frobnicate”"
printf 'typed\n' >"$TMP/exists.ods"
zh "$KPICALC" new-year samples/dongchen-2020.ods -o "$TMP/exists.ods" \
    >"$TMP/e" 2>&1
st=$?
check "new-year refusal in Chinese (exit $st)" sh -c \
    "[ $st -eq 2 ] && grep -q '已存在：保持原样不动（--force 可替换它）' '$TMP/e'"
zh "$KPICALC" new-year samples/dongchen-2020.ods -o "$TMP/nodir/x.ods" \
    >"$TMP/e" 2>&1
check "new-year: a missing folder, in Chinese" has "$TMP/e" "OUT 所在的文件夹不存在"

# --- per-workbook reasons: Chinese on stderr, English in the summary --------
# a missing file fails without LibreOffice
zh "$KPICALC" recalc "$TMP/missing.ods" --summary "$TMP/s.csv" >"$TMP/o" \
    2>"$TMP/e"
st=$?
check "a missing workbook fails (exit $st)" [ "$st" -eq 1 ]
check "  ... its reason in Chinese on stderr" has "$TMP/e" "无法打开：No such file"
check "  ... the closing line in Chinese" has "$TMP/e" "成功 0 个，失败 1 个"
check "  ... the summary keeps English for programs" \
    has "$TMP/s.csv" "cannot open: No such file or directory"
LANG=C "$KPICALC" recalc "$TMP/missing.ods" >"$TMP/o" 2>"$TMP/e"
check "  ... in English under LANG=C" has "$TMP/e" "cannot open: No such file"

# an empty .ods and a good workbook: a worker's reason, through LibreOffice
mkdir -p "$TMP/in"
: >"$TMP/in/empty.ods"
cat >"$TMP/in/plain.fods" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet><table:table table:name="Sheet1">
  <table:table-row><table:table-cell office:value-type="float" office:value="1">
   <text:p>1</text:p></table:table-cell></table:table-row>
 </table:table></office:spreadsheet></office:body></office:document>
EOF
zh "$KPICALC" recalc -j 1 "$TMP/in" --summary "$TMP/s2.csv" >"$TMP/o" 2>"$TMP/e"
st=$?
check "a corrupt workbook fails, the other succeeds (exit $st: $(tail -2 "$TMP/e"))" \
    sh -c "[ $st -eq 1 ] && grep -q '成功 1 个，失败 1 个' '$TMP/e'"
check "  ... 文件已损坏 on stderr" has "$TMP/e" "文件已损坏：it is empty (0 bytes)"
check "  ... 'corrupt file' in the summary" \
    has "$TMP/s2.csv" "corrupt file: it is empty (0 bytes)"
check "  ... no LibreOffice output on stderr" lacks "$TMP/e" "allowlisted"

finish
