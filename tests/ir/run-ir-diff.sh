#!/bin/bash
# tests/ir/run-ir-diff.sh IR_DIFF OUTDIR CLANG CLANG19 CSRC CONFDIR CORPUS FEMTOC
#
# Compiles the C programs of CSRC (clang 14 -O2 and clang-19 -mcpu=v4; a
# "// compilers: v3 v4" line restricts them to those clang-19 CPUs, "// entry:
# NAME" names the entry function) into OUTDIR, then runs ir-diff on them, the
# conformance programs of CONFDIR, the hand-written cases of tests/ir/cases
# (the hi-half materialisations no generator reaches; each fails when its
# movi is left out) and the random programs of CORPUS. A
# program that does not compile is a failure. Also: `femtoc --dump=lower` of
# each tests/ir/cases/NAME.data with a NAME.lower beside it must print exactly
# that file, `femtoc --dump=opt` a NAME.opt beside it (the range guards of
# fc_ir_opt) and `femtoc --dump=alloc` (the Cortex-M3-like table) a
# NAME.alloc beside it (the dumps' text format is stable; one count each).
irdiff=$1; out=$2; clang=$3; clang19=$4; src=$5; conf=$6; corpus=$7; femtoc=$8
mkdir -p "$out"
args=(); cfail=0
for f in "$src"/*.c; do
    name=$(basename "$f" .c)
    case "$name" in native_main|run_cprog) continue ;; esac
    cfgs=$(grep -m1 '^// compilers:' "$f" | sed 's@^// compilers: *@@')
    [ -z "$cfgs" ] && cfgs="c14 v4"
    entry=$(grep -m1 '^// entry:' "$f" | sed 's@^// entry: *@@')
    for c in $cfgs; do
        o=$out/$name.$c.o
        case $c in
            c14) cc=("$clang" -target bpf -O2) ;;
            v[1-4]) cc=("$clang19" --target=bpf -mcpu=$c -O2) ;;
            *) echo "FAIL $name: unknown configuration $c"; cfail=$((cfail + 1)); continue ;;
        esac
        if ! "${cc[@]}" -I"$src" -c "$f" -o "$o" 2>"$o.log"; then
            echo "FAIL $name [$c]: compile failed:"; sed 's/^/    /' "$o.log"
            cfail=$((cfail + 1)); continue
        fi
        args+=(--elf "$o${entry:+@$entry}")
    done
done
n=$(ls "$corpus" | wc -l)
if [ "$n" -lt 100 ]; then
    echo "FAIL only $n programs in $corpus"; cfail=$((cfail + 1))
fi
dpass=0
for g in tests/ir/cases/*.lower; do
    d=${g%.lower}.data
    if "$femtoc" --dump=lower "$d" > "$out/$(basename "$g")" 2>&1 && cmp -s "$out/$(basename "$g")" "$g"; then
        dpass=$((dpass + 1))
    else
        echo "FAIL femtoc --dump=lower $d differs from $g:"; diff "$g" "$out/$(basename "$g")" | head -20
        cfail=$((cfail + 1))
    fi
done
for g in tests/ir/cases/*.alloc; do
    d=${g%.alloc}.data
    if "$femtoc" --dump=alloc "$d" > "$out/$(basename "$g")" 2>&1 && cmp -s "$out/$(basename "$g")" "$g"; then
        dpass=$((dpass + 1))
    else
        echo "FAIL femtoc --dump=alloc $d differs from $g:"; diff "$g" "$out/$(basename "$g")" | head -20
        cfail=$((cfail + 1))
    fi
done
for g in tests/ir/cases/*.opt; do
    d=${g%.opt}.data
    if "$femtoc" --dump=opt "$d" > "$out/$(basename "$g")" 2>&1 && cmp -s "$out/$(basename "$g")" "$g"; then
        dpass=$((dpass + 1))
    else
        echo "FAIL femtoc --dump=opt $d differs from $g:"; diff "$g" "$out/$(basename "$g")" | head -20
        cfail=$((cfail + 1))
    fi
done
echo "femtoc --dump=lower, --dump=opt, --dump=alloc: $dpass dumps as expected"
"$irdiff" --conf "$conf" --conf tests/ir/cases --corpus "$corpus" "${args[@]}" > "$out/ir-diff.log" 2>&1; rc=$?
grep -v '^ir-diff:' "$out/ir-diff.log" | head -200
line=$(grep '^ir-diff:' "$out/ir-diff.log")
p=$(sed -n 's/^ir-diff: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$line")
f=$(sed -n 's/^ir-diff: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$line")
if [ -z "$p" ]; then
    echo "FAIL ir-diff ended without its count (exit $rc)"; tail -20 "$out/ir-diff.log"
    p=0; f=1
fi
echo "ir-diff: $((p + dpass)) passed, $((f + cfail)) failed"
[ "$rc" = 0 ] && [ $((f + cfail)) = 0 ]
