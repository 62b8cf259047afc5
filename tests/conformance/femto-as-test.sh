#!/bin/bash
# tests/conformance/femto-as-test.sh FEMTO_AS DIR
#
# The femto-as command line: for every DIR/*.data program,
#   - --elf output is an ELF64 EM_BPF relocatable object that llvm-objdump -d
#     reads, whose code section (llvm-objcopy) holds exactly the --raw bytes,
#     with a global function symbol `main` covering it;
#   - -d disassembly re-assembles to the same raw bytes;
# plus --section/--entry, -h, and errors as "FILE:LINE: error: ..." with
# exit status 1. Ends with "femto-as: N passed, N failed".
set -u
as=$1 dir=$2
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tool() {  # prefer LLVM 19 (knows the v4 instructions), else the default
    if [ -x "/usr/lib/llvm-19/bin/$1" ]; then echo "/usr/lib/llvm-19/bin/$1"
    elif command -v "$1-19" >/dev/null; then echo "$1-19"
    else echo "$1"; fi
}
objdump=$(tool llvm-objdump) objcopy=$(tool llvm-objcopy) readelf=$(tool llvm-readelf)

ok()  { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

if ! ls "$dir"/*.data >/dev/null 2>&1; then
    echo "femto-as-test: $dir: no .data files"
    echo "femto-as: 0 passed, 1 failed"
    exit 1
fi

# One program: --raw and --elf outputs, the ELF's code section compared with
# the raw bytes. Prints "ok NAME" or "FAIL NAME: why". Run in parallel; the
# LLVM readers that take many files run once over all objects afterwards.
check_one() {
    local f=$1 n
    n=${f##*/}; n=${n%.data}
    if ! "$as" --data "$f" -o "$tmp/bin/$n.bin" 2>"$tmp/err.$n"; then echo "FAIL $n: --raw: $(cat "$tmp/err.$n")"; return; fi
    if ! "$as" --data "$f" --elf -o "$tmp/o/$n.o" 2>"$tmp/err.$n"; then echo "FAIL $n: --elf: $(cat "$tmp/err.$n")"; return; fi
    "$objcopy" -O binary --only-section=.text "$tmp/o/$n.o" "$tmp/text.$n"
    if ! cmp -s "$tmp/text.$n" "$tmp/bin/$n.bin"; then echo "FAIL $n: .text differs from the raw bytecode"; return; fi
    echo "ok $n $(stat -c %s "$tmp/bin/$n.bin")"
}
export -f check_one
export as tmp objcopy
mkdir -p "$tmp/o" "$tmp/bin"
jobs=$(nproc 2>/dev/null || echo 2); [ "$jobs" -gt 8 ] && jobs=8
printf '%s\0' "$dir"/*.data | xargs -0 -n 1 -P "$jobs" bash -c 'check_one "$1"' _ >"$tmp/results"
good=()
declare -A size
while read -r word name rest; do
    if [ "$word" = ok ]; then good+=("$name"); size[$name]=$rest; else echo "$word $name $rest"; fail=$((fail + 1)); fi
done < <(sort "$tmp/results")
[ "$(wc -l <"$tmp/results")" = "$(ls "$dir"/*.data | wc -l)" ] || bad "lost results"

# llvm-readelf over every object: ELF64, REL, EM_BPF, global FUNC main
# covering the whole code; llvm-objdump -d reads each one.
(cd "$tmp/o" && "$readelf" -h -s "${good[@]/%/.o}") >"$tmp/readelf" 2>&1
(cd "$tmp/o" && "$objdump" -d "${good[@]/%/.o}") >"$tmp/objdump" 2>&1
# Split both listings per object once (the checks below then read small files).
mkdir -p "$tmp/re" "$tmp/od"
awk -v d="$tmp/re" '/^File: / { f = d "/" substr($0, 7) } f { print > f }' "$tmp/readelf"
awk -v d="$tmp/od" '/file format/ { sub(/:$/, "", $1); f = d "/" $1 } f { print > f }' "$tmp/objdump"
# (bash's own matching: a grep per object and check cost more than the tools)
nl=$'\n'
for n in "${good[@]}"; do
    info="" od=""
    [ -e "$tmp/re/$n.o" ] && IFS= read -r -d '' info <"$tmp/re/$n.o"
    [ -e "$tmp/od/$n.o" ] && IFS= read -r -d '' od <"$tmp/od/$n.o"
    if [[ $info != *ELF64* || $info != *'REL (Relocatable file)'* || $info != *EM_BPF* ]]; then
        bad "$n: not an ELF64 EM_BPF relocatable object: $(head -3 <<<"$info")"
    elif ! [[ $nl$info =~ $nl\ +[0-9]+:\ 0+\ +${size[$n]}\ FUNC\ +GLOBAL\ +DEFAULT\ +1\ main$nl ]]; then
        bad "$n: no global FUNC symbol main of ${size[$n]} bytes in section 1"
    elif [[ $od != *'<main>:'* ]]; then
        bad "$n: llvm-objdump -d does not show <main>"
    else
        ok
    fi
done

# -d on all programs back to back (every one ends where the next begins)
# re-assembles to the same bytes.
(cd "$tmp/bin" && cat "${good[@]/%/.bin}") >"$tmp/all.bin"
"$as" -d "$tmp/all.bin" -o "$tmp/all.s" && "$as" "$tmp/all.s" -o "$tmp/all2.bin" 2>"$tmp/err"
if [ -s "$tmp/all.bin" ] && cmp -s "$tmp/all.bin" "$tmp/all2.bin"; then ok
else bad "-d output does not re-assemble to the same bytes $(cat "$tmp/err")"; fi

# --section / --entry
printf 'mov %%r0, 1\nexit\n' >"$tmp/s.s"
if "$as" "$tmp/s.s" --elf --section xdp --entry prog -o "$tmp/s.o" &&
   "$readelf" -S "$tmp/s.o" | grep -qE '\] xdp +PROGBITS .* AX ' &&
   "$readelf" -s "$tmp/s.o" | grep -qE 'FUNC +GLOBAL +DEFAULT +1 prog$'; then ok; else bad "--section/--entry"; fi
# -o NAME.o selects ELF; default output name
if "$as" "$tmp/s.s" -o "$tmp/auto.o" && "$readelf" -h "$tmp/auto.o" | grep -q EM_BPF; then ok; else bad "-o x.o is not ELF"; fi
if "$as" "$tmp/s.s" && [ "$(stat -c %s "$tmp/s.bin" 2>/dev/null)" = 16 ]; then ok; else bad "default output s.bin"; fi
# --hex
if [ "$("$as" "$tmp/s.s" --hex -o -)" = "b7 00 00 00 01 00 00 00 95 00 00 00 00 00 00 00 " ]; then ok; else bad "--hex"; fi
# errors: FILE:LINE: error: MESSAGE, exit 1, no output file
printf 'mov %%r0, 1\n\nor %%r0, %%r50\nexit\n' >"$tmp/e.s"
"$as" "$tmp/e.s" -o "$tmp/e.bin" 2>"$tmp/err"; rc=$?
if [ $rc = 1 ] && grep -qx "$tmp/e.s:3: error: invalid register '%r50' (registers are %r0..%r10)" "$tmp/err" &&
   [ ! -e "$tmp/e.bin" ]; then ok; else bad "error report (exit $rc): $(cat "$tmp/err")"; fi
"$as" --data "$dir/../negative/invalid_label.data" -o "$tmp/e.bin" 2>"$tmp/err"; rc=$?
if [ $rc = 1 ] && grep -q "invalid_label.data:4: error: unknown label 'NOT_A_LABEL'" "$tmp/err"; then ok
else bad ".data error report (exit $rc): $(cat "$tmp/err")"; fi
"$as" --bogus "$tmp/s.s" 2>"$tmp/err"; rc=$?
if [ $rc = 1 ] && grep -q "unrecognized option '--bogus'" "$tmp/err"; then ok; else bad "unknown option"; fi
# -h
if "$as" -h | grep -q '^Usage: femto-as' && "$as" --help | grep -q -- '--elf'; then ok; else bad "-h"; fi

echo "femto-as: $pass passed, $fail failed"
[ $fail -eq 0 ]
