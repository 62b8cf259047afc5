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
# The runs: $PLUGIN_RUNS, one per line "LABEL ELF [nolsan|batch] OPTIONS..."
# (ELF 0 or 1; nolsan: the plugin runs with ASAN_OPTIONS detect_leaks=0;
# batch: every file's run goes through one plugin process, --batch, whose
# line per run is the one-run protocol's output and exit status), e.g.
# "plugin-thumbv7m 0 batch --engine thumbv7m". Every file is read and
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
    while [[ $v == 0* ]]; do v=${v#0}; done
    echo "${v:-0}"
}

# The verdict on one run from its exit status, the first line of its standard
# output and of its standard error (CRs and trailing blanks removed): prints
# "ok LABEL NAME" or "FAIL LABEL NAME: why".
judge() {
    local label=$1 name=$2 rc=$3 out=$4 err=$5 got want
    if [ "$rc" -ne 0 ]; then
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

# Text $1, CRs and trailing blanks removed, into variable $2.
trim() {
    local l=${1//$'\r'/}
    printf -v "$2" '%s' "${l%"${l##*[! $'\t']}"}"
}

# The first line of a file, trimmed, into variable $2.
first_line() {
    local l=""
    IFS= read -r l <"$1"
    trim "$l" "$2"
}

# One run of the plugin process on the file's program.
run_one() {
    local label=$1 elf=$2 opts=$3 rc out err asan=${ASAN_OPTIONS:-}
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
    first_line "$t/out" out
    first_line "$t/err" err
    judge "$label" "$name" "$rc" "$out" "$err"
}

# A batch run's share of one file: its input pair into $tmp/batch/LABEL/NAME,
# what it expects into $tmp/expect/NAME (judged after the batch ran).
queue_one() {
    local label=$1 elf=$2
    mkdir -p "$tmp/batch/$label"
    if [ "$elf" = 1 ]; then
        printf '%s\n%s\n' "$mem" "$prog_elf" >"$tmp/batch/$label/$name"
    else
        printf '%s\n%s\n' "$mem" "$prog" >"$tmp/batch/$label/$name"
    fi
    printf '%s\n%s\n' "$expected_result" "$expected_error" >"$tmp/expect/$name"
}

check_one() {
    local f=$1 name prog="" prog_elf="" mem expected_result expected_error t label elf opts
    t=$(mktemp -d "$tmp/c.XXXXXX")
    name=${f##*/}
    # the -- mem bytes in the runner's format, the last non-empty -- result
    # line (blanks removed) and -- error line (trailing blanks removed)
    { IFS= read -r mem; IFS= read -r expected_result; IFS= read -r expected_error; } < <(awk '
        /^--/ { s = $0; sub(/^--[ \t]*/, "", s); sub(/[ \t\r]*$/, "", s); cur = s; next }
        { sub(/\r$/, "") }
        cur == "error" { e = $0; sub(/[ \t]*$/, "", e); if (e != "") err = e; next }
        { sub(/#.*/, "") }
        cur == "mem" { for (i = 1; i <= NF; i++) mem = mem $i "  "; next }
        cur == "result" { r = $0; gsub(/[ \t]/, "", r); if (r != "") res = r }
        END { print mem; print res; print err }' "$f")
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
        if [[ $opts == batch* ]]; then queue_one "$label" "$elf"; else run_one "$label" "$elf" "$opts"; fi
    done <<<"$PLUGIN_RUNS"
    rm -rf "$t"
}
export -f check_one run_one queue_one judge trim first_line runner_hex norm
export as plugin tmp PLUGIN_RUNS
mkdir -p "$tmp/expect"
jobs=$(nproc 2>/dev/null || echo 2); [ "$jobs" -gt 8 ] && jobs=8
printf '%s\0' "$dir"/*.data | xargs -0 -n 1 -P "$jobs" bash -c 'check_one "$1"' _ >"$tmp/results"

# The batch runs: one plugin process each for every file queued, its output
# lines judged in the order the pairs went in. The batch runs go one after
# the other, each beside the other's judging.
while read -r label elf opts; do
    [[ $opts == batch* ]] || continue
    opts=${opts#batch}
    [ -d "$tmp/batch/$label" ] || continue
    names=()
    for q in "$tmp/batch/$label"/*; do names+=("${q##*/}"); done
    # shellcheck disable=SC2086
    (cd "$tmp/batch/$label" && cat "${names[@]}") |
        "$plugin" --batch $opts $([ "$elf" = 1 ] && echo --elf) >"$tmp/batch-$label.out" 2>"$tmp/batch-$label.err"
    brc=$?
    i=0
    while IFS= read -r line && [ $i -lt ${#names[@]} ]; do
        name=${names[$i]}
        { IFS= read -r expected_result; IFS= read -r expected_error; } <"$tmp/expect/$name"
        trim "$line" line
        case $line in
            "0 "*) judge "$label" "$name" 0 "${line#0 }" "" ;;
            "1 "*) judge "$label" "$name" 1 "" "${line#1 }" ;;
            *) echo "FAIL $label $name: --batch line '$line' is neither '0 R0' nor '1 MESSAGE'" ;;
        esac
        i=$((i + 1))
    done <"$tmp/batch-$label.out" >>"$tmp/results"
    nout=$(wc -l <"$tmp/batch-$label.out")
    if [ $brc -ne 0 ] || [ "$nout" -ne ${#names[@]} ]; then
        echo "the --batch process (exit $brc) gave $nout lines for ${#names[@]} runs: $(head -3 "$tmp/batch-$label.err")" \
            >"$tmp/batchfail.$label"
    fi
done <<<"$PLUGIN_RUNS"
fail_all=0 pass_all=0 nfiles=$(ls "$dir"/*.data | wc -l)
grep '^FAIL' "$tmp/results" | sort
for label in $labels; do
    pass=$(grep -c "^ok $label " "$tmp/results")
    fail=$(grep -c "^FAIL $label " "$tmp/results")
    if [ $((pass + fail)) != "$nfiles" ]; then
        echo "FAIL $label: lost results"; fail=$((fail + 1))
    fi
    if [ -e "$tmp/batchfail.$label" ]; then
        echo "FAIL $label: $(cat "$tmp/batchfail.$label")"; fail=$((fail + 1))
    fi
    echo "$label: $pass passed, $fail failed"
    pass_all=$((pass_all + pass)) fail_all=$((fail_all + fail))
done
if [ "$(wc -w <<<"$labels")" -gt 1 ]; then
    echo "$total: $pass_all passed, $fail_all failed"
fi
[ $fail_all -eq 0 ]
