#!/bin/bash
# tests/conformance/plugin-test.sh PLUGIN FEMTO_AS DIR
#
# Drive the conformance plugin the way the bpf_conformance runner does, for
# every DIR/*.data: the program (the file's -- raw section, else its
# assembled -- asm, via femto-as --data) as hex bytes "xx  " on standard
# input; the -- mem bytes, when there are any, as the first argument in the
# same format; then the options in $PLUGIN_OPTIONS (the runner's
# --plugin_options, split on blanks). Exit status 0: standard output parsed
# as hex must equal -- result. Non-zero: the trimmed standard error must
# equal the -- error text (a file without one fails, as in the runner).
# Stricter than the runner in one point: a file that expects an error fails
# when the plugin succeeds (the runner then compares r0 with 0).
# With PLUGIN_ELF=1 the program goes in as an ELF object (femto-as --elf,
# hex-encoded) and the plugin gets --elf, as with the runner's --elf true.
# Ends with "plugin: N passed, N failed" ("plugin-elf: ..." in ELF mode).
set -u
plugin=$1 as=$2 dir=$3
pass=0 fail=0
label=${PLUGIN_LABEL:-plugin}
[ "${PLUGIN_ELF:-0}" = 1 ] && label=plugin-elf

if [ ! -d "$dir" ] || ! ls "$dir"/*.data >/dev/null 2>&1; then
    echo "plugin-test: $dir: no .data files"
    echo "$label: 0 passed, 1 failed"
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
        v=$(python3 -c "print('%x' % int('$v'))")
    else
        echo "?$1"; return
    fi
    v=$(sed 's/^0*//' <<<"$v")
    echo "${v:-0}"
}

check_one() {
    local f=$1 name prog mem expected_result expected_error rc out err got want t
    local -a args elf_args=()
    [ "$PLUGIN_ELF" = 1 ] && elf_args=(--elf)
    t=$(mktemp -d "$tmp/c.XXXXXX")
    name=$(basename "$f")
    if [ ${#elf_args[@]} = 0 ]; then
        "$as" --data "$f" --hex -o "$t/prog.hex" 2>"$t/as.err"
    else
        "$as" --data "$f" --elf -o "$t/prog.o" 2>"$t/as.err" &&
            od -An -v -tx1 "$t/prog.o" >"$t/prog.hex"
    fi
    if [ $? != 0 ]; then
        echo "FAIL $name: femto-as: $(cat "$t/as.err")"
        return
    fi
    prog=$(runner_hex <"$t/prog.hex")
    mem=$(section "$f" mem | tr -s ' \t' '\n\n' | grep -v '^$' | runner_hex)
    expected_result=$(section "$f" result | tr -d ' \t' | grep -v '^$' | tail -1)
    expected_error=$(section "$f" error | sed 's/[ \t]*$//' | grep -v '^$' | tail -1)

    args=()
    [ -n "$mem" ] && args+=("$mem")
    # shellcheck disable=SC2206
    args+=(${PLUGIN_OPTIONS:-} "${elf_args[@]}")
    "$plugin" "${args[@]}" <<<"$prog" >"$t/out" 2>"$t/err"
    rc=$?
    out=$(tr -d '\r' <"$t/out" | sed 's/[ \t]*$//' | head -1)
    err=$(tr -d '\r' <"$t/err" | sed 's/[ \t]*$//' | head -1)

    if [ $rc -ne 0 ]; then
        if [ -z "$expected_error" ]; then
            echo "FAIL $name: plugin returned error code $rc and output '$err'"
        elif [ "$err" != "$expected_error" ]; then
            echo "FAIL $name: plugin returned error code $rc and output '$err' but expected '$expected_error'"
        else
            echo "ok $name"
        fi
        return
    fi
    if [ -n "$expected_error" ]; then
        echo "FAIL $name: plugin succeeded (r0 = $out) but the file expects the error '$expected_error'"
        return
    fi
    if ! [[ $out =~ ^(0[xX])?[0-9a-fA-F]+$ ]]; then
        echo "FAIL $name: plugin output '$out' is not a hex number"
        return
    fi
    got=$(norm "0x${out#0[xX]}")
    want=$(norm "${expected_result:-0}")
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: plugin returned r0 = 0x$got, expected 0x$want"
    else
        echo "ok $name"
    fi
    rm -rf "$t"
}
export -f check_one section runner_hex norm
export as plugin tmp
export PLUGIN_OPTIONS="${PLUGIN_OPTIONS:-}" PLUGIN_ELF="${PLUGIN_ELF:-0}"
jobs=$(nproc 2>/dev/null || echo 2); [ "$jobs" -gt 8 ] && jobs=8
printf '%s\0' "$dir"/*.data | xargs -0 -n 1 -P "$jobs" bash -c 'check_one "$1"' _ >"$tmp/results"
while read -r line; do
    if [[ $line == "ok "* ]]; then pass=$((pass + 1)); else echo "$line"; fail=$((fail + 1)); fi
done < <(sort "$tmp/results")
if [ "$(grep -c . "$tmp/results")" != "$(ls "$dir"/*.data | wc -l)" ]; then
    echo "FAIL lost results"; fail=$((fail + 1))
fi
echo "$label: $pass passed, $fail failed"
[ $fail -eq 0 ]
