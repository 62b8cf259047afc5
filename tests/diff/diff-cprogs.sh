#!/bin/bash
# tests/diff/diff-cprogs.sh DRIVER FEMTOC OUTDIR CLANG CLANG19 HOSTCC SRCDIR
#
# Every C test program (SRCDIR = tests/c, owned by the front end; read here,
# built into OUTDIR) for several compiler configurations:
#   1. clang -> eBPF object; femtoc -march=thumbv7m,rv32imac --ctx-size 64
#      -> container;
#   2. fc-diff-cprog (tests/diff/diff_cprogs.c): the container installed by
#      the loader and run in the interpreter, on the emulated Cortex-M3 and on
#      the emulated RV32IMAC, plus the object through each backend directly
#      under four option sets (Thumb-2 and RV32 in Unicorn, lx106 and esp32
#      in one qemu-xtensa process each per program); every engine must match the interpreter
#      (r0, error, instruction, budget, context, .data/.bss, stack);
#   3. the agreed results must equal the program compiled natively (HOSTCC)
#      and run with the same seeds, so the engines cannot agree on a wrong
#      answer.
# "// compilers: v3 v4" and "// entry: NAME" lines in a program work as in
# tests/c/run-cprogs.sh.
driver=$1; femtoc=$2; out=$3; clang=$4; clang19=$5; hostcc=$6; src=$7
mkdir -p "$out"
pass=0; fail=0
seeds="1 2 3 4 5 6"
declare -A CFG=(
    [c14]="$clang -target bpf -O2"
    [c19v1]="$clang19 --target=bpf -mcpu=v1 -O2"
    [c19v2]="$clang19 --target=bpf -mcpu=v2 -O2"
    [c19v3]="$clang19 --target=bpf -mcpu=v3 -O2"
    [c19v4]="$clang19 --target=bpf -mcpu=v4 -O2"
)
ALL="c14 c19v1 c19v2 c19v3 c19v4"
label=diff-cprogs

for f in "$src"/*.c; do
    name=$(basename "$f" .c)
    case "$name" in native_main|run_cprog) continue ;; esac
    cfgs=$(grep -m1 '^// compilers:' "$f" | sed 's@^// compilers: *@@')
    if [ -n "$cfgs" ]; then
        cfgs=$(tr ' ' '\n' <<<"$cfgs" | sed 's/^v\([1-4]\)$/c19v\1/' | tr '\n' ' ')
    else
        cfgs=$ALL
    fi
    entry=$(grep -m1 '^// entry:' "$f" | sed 's@^// entry: *@@')
    eopt=(); [ -n "$entry" ] && eopt=(--entry "$entry")

    if ! $hostcc -std=gnu11 -O2 -fsanitize=undefined -fno-sanitize-recover=all -DFC_NATIVE \
            -DPROG_SRC="\"$(realpath "$f")\"" -I"$src" "$src/native_main.c" -o "$out/$name.native" \
            2>"$out/$name.native.log"; then
        echo "FAIL $name: native build failed:"; sed 's/^/    /' "$out/$name.native.log"
        fail=$((fail + 1)); continue
    fi
    # shellcheck disable=SC2086
    if ! expect=$("$out/$name.native" $seeds 2>&1); then
        echo "FAIL $name: native run failed:"; sed 's/^/    /' <<<"$expect"
        fail=$((fail + 1)); continue
    fi
    for c in $cfgs; do
        o=$out/$name.$c.o; x=$out/$name.$c.fcx
        if [ -z "${CFG[$c]}" ]; then
            echo "FAIL $name [$c]: unknown configuration"; fail=$((fail + 1)); continue
        fi
        # shellcheck disable=SC2086
        if ! ${CFG[$c]} -I"$src" -c "$f" -o "$o" 2>"$o.log"; then
            echo "FAIL $name [$c]: compile failed:"; sed 's/^/    /' "$o.log"
            fail=$((fail + 1)); continue
        fi
        if ! "$femtoc" "$o" "${eopt[@]}" -march=thumbv7m,rv32imac --ctx-size 64 -o "$x" \
                2>"$x.log"; then
            echo "FAIL $name [$c]: femtoc failed:"; sed 's/^/    /' "$x.log"
            fail=$((fail + 1)); continue
        fi
        # shellcheck disable=SC2086
        got=$("$driver" "$o" "$x" "${eopt[@]}" $seeds 2>&1); rc=$?
        if [ $rc != 0 ] || [ "$(grep '^seed' <<<"$got")" != "$expect" ]; then
            echo "FAIL $name [$c] (exit $rc):"
            diff <(echo "$expect") <(grep '^seed' <<<"$got") | sed 's/^/    /'
            grep -v '^seed' <<<"$got" | sed 's/^/    /'
            fail=$((fail + 1)); continue
        fi
        echo "ok   $name [$c]: $(grep '^runs:' <<<"$got")"
        pass=$((pass + 1))
    done
done
echo "$label: $pass passed, $fail failed"
[ "$fail" = 0 ]
