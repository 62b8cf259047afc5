#!/bin/bash
# tests/c/run-cprogs.sh RUNNER FEMTOC OUTDIR CLANG CLANG19 HOSTCC SRCDIR
#
# Every tests/c/*.c program, for each compiler configuration:
#   1. compiled for eBPF (clang 14 / clang-19 -mcpu=v2..v4, some with -g),
#   2. verified and run in the interpreter (fc-cprog-run, context 64 bytes,
#      --ctx-size 64) for several seeds,
#   3. compared with the same source compiled natively (HOSTCC with UBSan,
#      so a program relying on undefined behaviour fails here) and run with
#      the same seeds,
#   4. for -g objects: the femtoc -S listing must carry file:line info.
# A program can limit its configurations with "// compilers: CFG..." and
# name its entry with "// entry: NAME".
runner=$1; femtoc=$2; out=$3; clang=$4; clang19=$5; hostcc=$6; src=$7
mkdir -p "$out"
pass=0; fail=0
seeds="1 2 3 4 5 6"
declare -A CFG=(
    [c14]="$clang -target bpf -O2"
    [c14g]="$clang -target bpf -O2 -g"
    [c19v1]="$clang19 --target=bpf -mcpu=v1 -O2"
    [c19v2]="$clang19 --target=bpf -mcpu=v2 -O2"
    [c19v3g]="$clang19 --target=bpf -mcpu=v3 -O2 -g"
    [c19v4]="$clang19 --target=bpf -mcpu=v4 -O2"
    [c19v4g]="$clang19 --target=bpf -mcpu=v4 -O2 -g"
)
ALL="c14 c14g c19v1 c19v2 c19v3g c19v4 c19v4g"
declare -A TOT=()

for f in "$src"/*.c; do
    name=$(basename "$f" .c)
    case "$name" in native_main|run_cprog) continue ;; esac
    cfgs=$(grep -m1 '^// compilers:' "$f" | sed 's@^// compilers: *@@')
    [ -n "$cfgs" ] || cfgs=$ALL
    case "$cfgs" in *v4*) cfgs=$(tr ' ' '\n' <<<"$cfgs" | sed 's/^v4$/c19v4 c19v4g/; s/^v3$/c19v3g/' | tr '\n' ' ') ;; esac
    for c in $ALL; do # the configurations a program leaves out, with its reason
        case " $cfgs " in *" $c "*) ;; *)
            echo "not built: $name [$c]: $(grep -m1 '^// compilers:' "$f" | sed 's@^// @@') -- $(sed -n 1,2p "$f" | tr -d '\n' | sed 's@/\*@@; s@\*/@@; s@ \* @ @g')" ;;
        esac
    done
    entry=$(grep -m1 '^// entry:' "$f" | sed 's@^// entry: *@@')
    eopt=(); [ -n "$entry" ] && eopt=(--entry "$entry")

    if ! $hostcc -std=gnu11 -O2 -fsanitize=undefined -fno-sanitize-recover=all -DFC_NATIVE \
            -DPROG_SRC="\"$(realpath "$f")\"" -I"$src" "$src/native_main.c" -o "$out/$name.native" 2>"$out/$name.native.log"; then
        echo "FAIL $name: native build failed:"; sed 's/^/    /' "$out/$name.native.log"
        fail=$((fail + 1)); continue
    fi
    # shellcheck disable=SC2086
    if ! expect=$("$out/$name.native" $seeds 2>&1); then
        echo "FAIL $name: native run failed:"; sed 's/^/    /' <<<"$expect"
        fail=$((fail + 1)); continue
    fi
    for c in $cfgs; do
        o=$out/$name.$c.o
        # shellcheck disable=SC2086
        if ! ${CFG[$c]} -I"$src" -c "$f" -o "$o" 2>"$o.log"; then
            echo "FAIL $name [$c]: compile failed:"; sed 's/^/    /' "$o.log"
            fail=$((fail + 1)); continue
        fi
        # shellcheck disable=SC2086
        got=$("$runner" "$o" "${eopt[@]}" --ctx-size 64 $seeds 2>&1); rc=$?
        if [ $rc != 0 ] || [ "$(grep '^seed' <<<"$got")" != "$expect" ]; then
            echo "FAIL $name [$c] (exit $rc):"
            diff <(echo "$expect") <(grep -v '^verified' <<<"$got") | sed 's/^/    /'
            grep -v '^seed' <<<"$got" | sed 's/^/    /'
            fail=$((fail + 1)); continue
        fi
        if [ "${c%g}" != "$c" ] && ! "$femtoc" -S "${eopt[@]}" "$o" | grep -q "$name.c:[0-9]"; then
            echo "FAIL $name [$c]: no source lines in the -S listing of a -g object"
            fail=$((fail + 1)); continue
        fi
        stats=$("$femtoc" --verify-only --stats --ctx-size 64 "${eopt[@]}" "$o" 2>&1 | sed 's/^[^:]*: //')
        echo "ok   $name [$c]: $stats"
        read -r lp lc sp sc <<<"$(sed -E 's/.*loads \(([0-9]+) proven, ([0-9]+) checked\), [0-9]+ stores \(([0-9]+) proven, ([0-9]+) checked\).*/\1 \2 \3 \4/' <<<"$stats")"
        TOT[$c]="$(( ${TOT[$c]%% *} + lp + sp )) $(( ${TOT[$c]##* } + lc + sc ))"
        pass=$((pass + 1))
    done
done
for c in $ALL; do
    [ -n "${TOT[$c]}" ] && echo "memory accesses [$c], all programs: ${TOT[$c]%% *} proven, ${TOT[$c]##* } checked"
done
echo "cprogs: $pass passed, $fail failed"
[ "$fail" = 0 ]
