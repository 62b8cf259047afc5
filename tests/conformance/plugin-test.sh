#!/bin/bash
# tests/conformance/plugin-test.sh PLUGIN FEMTO_AS DIR
#
# Drive the conformance plugin the way the bpf_conformance runner does, for
# every DIR/*.data: the program (the file's -- raw section, else its
# assembled -- asm, via femto-as --data) as hex bytes "xx  " on standard
# input; the -- mem bytes, when there are any, as the first argument in the
# same format; then the run's options (the runner's --plugin_options, split
# on blanks). Exit status 0: standard output parsed as hex must equal
# -- result. Non-zero: the trimmed standard error must equal the -- error
# text (a file without one fails, as in the runner). Stricter than the runner
# in one point: a file that expects an error fails when the plugin succeeds
# (the runner then compares r0 with 0). In ELF mode the program goes in as an
# ELF object (femto-as --elf, hex-encoded) and the plugin gets --elf, as with
# the runner's --elf true.
#
# The runs: $PLUGIN_RUNS, one per line "LABEL ELF [nolsan] OPTIONS..." (ELF 0
# or 1; nolsan: the plugin runs with ASAN_OPTIONS detect_leaks=0), e.g.
# "plugin-thumbv7m 0 nolsan --engine thumbv7m". Every file is read and
# assembled once and given to every run. Without PLUGIN_RUNS, one run:
# label $PLUGIN_LABEL (default plugin, plugin-elf in ELF mode), ELF mode
# $PLUGIN_ELF, options $PLUGIN_OPTIONS.
# Prints "LABEL: N passed, N failed" per run, and with several runs a last
# line "$PLUGIN_TOTAL: N passed, N failed" (default plugin) over all of them.
set -u
plugin=$1 as=$2 dir=$3
if [ -z "${PLUGIN_RUNS:-}" ]; then
    label=${PLUGIN_LABEL:-plugin}
    [ "${PLUGIN_ELF:-0}" = 1 ] && label=plugin-elf
    PLUGIN_RUNS="$label ${PLUGIN_ELF:-0} ${PLUGIN_OPTIONS:-}"
fi
labels=$(awk 'NF { print $1 }' <<<"$PLUGIN_RUNS")
total=${PLUGIN_TOTAL:-plugin}

if [ ! -d "$dir" ] || ! ls "$dir"/*.data >/dev/null 2>&1; then
    echo "plugin-test: $dir: no .data files"
    echo "$total: 0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Lines of one section of a .data file, comments and CRs removed.
section() {
    awk -v want="$2" '
        /^--/ { s = $0; sub(/^--[ \t]*/, "", s); sub(/[ \t\r]*$/, "", s); cur = s; next }
        cur == want { sub(/\r$/, ""); if (want != "error") sub(/#.*/, ""); print }' "$1"
}

# Hex bytes (one token per byte) in the runner's format: "%02x" + two blanks.
runner_hex() {
    awk '{ for (i = 1; i <= NF; i++) printf "%s  ", $i }'
}

# A 64-bit value written as 0x-hex or decimal -> lowercase hex, no 0x, no
# leading zeros.
norm() {
    local v=${1,,}
    if [[ $v == 0x* ]]; then
        v=${v#0x}
    elif [[ $v =~ ^[0-9]+$ ]]; then
        if [ ${#v} -le 18 ]; then printf -v v '%x' "$((10#$v))"
        else v=$(python3 -c "print('%x' % int('$v'))"); fi
    else
        echo "?$1"; return
    fi
    v=$(sed 's/^0*//' <<<"$v")
    echo "${v:-0}"
}

# One run of the plugin on the file's program: prints "ok LABEL NAME" or
# "FAIL LABEL NAME: why".
run_one() {
    local label=$1 elf=$2 opts=$3 rc out err got want asan=${ASAN_OPTIONS:-}
    local -a args=()
    if [[ $opts == nolsan* ]]; then
        opts=${opts#nolsan}
        asan=${asan:+$asan:}detect_leaks=0
    fi
    [ -n "$mem" ] && args+=("$mem")
    # shellcheck disable=SC2206
    args+=($opts)
    [ "$elf" = 1 ] && args+=(--elf)
    if [ "$elf" = 1 ]; then
        ASAN_OPTIONS=$asan "$plugin" "${args[@]}" <<<"$prog_elf" >"$t/out" 2>"$t/err"
    else
        ASAN_OPTIONS=$asan "$plugin" "${args[@]}" <<<"$prog" >"$t/out" 2>"$t/err"
    fi
    rc=$?
    out=$(tr -d '\r' <"$t/out" | sed 's/[ \t]*$//' | head -1)
    err=$(tr -d '\r' <"$t/err" | sed 's/[ \t]*$//' | head -1)

    if [ $rc -ne 0 ]; then
        if [ -z "$expected_error" ]; then
            echo "FAIL $label $name: plugin returned error code $rc and output '$err'"
        elif [ "$err" != "$expected_error" ]; then
            echo "FAIL $label $name: plugin returned error code $rc and output '$err' but expected '$expected_error'"
        else
            echo "ok $label $name"
        fi
        return
    fi
    if [ -n "$expected_error" ]; then
        echo "FAIL $label $name: plugin succeeded (r0 = $out) but the file expects the error '$expected_error'"
        return
    fi
    if ! [[ $out =~ ^(0[xX])?[0-9a-fA-F]+$ ]]; then
        echo "FAIL $label $name: plugin output '$out' is not a hex number"
        return
    fi
    got=$(norm "0x${out#0[xX]}")
    want=$(norm "${expected_result:-0}")
    if [ "$got" != "$want" ]; then
        echo "FAIL $label $name: plugin returned r0 = 0x$got, expected 0x$want"
    else
        echo "ok $label $name"
    fi
}

check_one() {
    local f=$1 name prog="" prog_elf="" mem expected_result expected_error t label elf opts
    t=$(mktemp -d "$tmp/c.XXXXXX")
    name=$(basename "$f")
    mem=$(section "$f" mem | tr -s ' \t' '\n\n' | grep -v '^$' | runner_hex)
    expected_result=$(section "$f" result | tr -d ' \t' | grep -v '^$' | tail -1)
    expected_error=$(section "$f" error | sed 's/[ \t]*$//' | grep -v '^$' | tail -1)
    if awk 'NF && $2 == 0 { found = 1 } END { exit !found }' <<<"$PLUGIN_RUNS"; then
        if "$as" --data "$f" --hex -o "$t/prog.hex" 2>"$t/as.err"; then
            prog=$(runner_hex <"$t/prog.hex")
        else
            prog=FAIL
        fi
    fi
    if awk 'NF && $2 == 1 { found = 1 } END { exit !found }' <<<"$PLUGIN_RUNS"; then
        if "$as" --data "$f" --elf -o "$t/prog.o" 2>"$t/as.err"; then
            prog_elf=$(od -An -v -tx1 "$t/prog.o" | runner_hex)
        else
            prog_elf=FAIL
        fi
    fi
    while read -r label elf opts; do
        [ -n "$label" ] || continue
        if { [ "$elf" = 1 ] && [ "$prog_elf" = FAIL ]; } || { [ "$elf" != 1 ] && [ "$prog" = FAIL ]; }; then
            echo "FAIL $label $name: femto-as: $(cat "$t/as.err")"
            continue
        fi
        run_one "$label" "$elf" "$opts"
    done <<<"$PLUGIN_RUNS"
    rm -rf "$t"
}
export -f check_one run_one section runner_hex norm
export as plugin tmp PLUGIN_RUNS
jobs=$(nproc 2>/dev/null || echo 2); [ "$jobs" -gt 8 ] && jobs=8
printf '%s\0' "$dir"/*.data | xargs -0 -n 1 -P "$jobs" bash -c 'check_one "$1"' _ >"$tmp/results"
fail_all=0 pass_all=0 nfiles=$(ls "$dir"/*.data | wc -l)
grep '^FAIL' "$tmp/results" | sort
for label in $labels; do
    pass=$(grep -c "^ok $label " "$tmp/results")
    fail=$(grep -c "^FAIL $label " "$tmp/results")
    if [ $((pass + fail)) != "$nfiles" ]; then
        echo "FAIL $label: lost results"; fail=$((fail + 1))
    fi
    echo "$label: $pass passed, $fail failed"
    pass_all=$((pass_all + pass)) fail_all=$((fail_all + fail))
done
if [ "$(wc -w <<<"$labels")" -gt 1 ]; then
    echo "$total: $pass_all passed, $fail_all failed"
fi
[ $fail_all -eq 0 ]
