#!/bin/bash
# tests/jit/run-jit-diff.sh JIT_DIFF OUTDIR CLANG CLANG19 CSRC CONFDIR CORPUS
#
# Compiles the C programs of CSRC (clang 14 -O2 and clang-19 -mcpu=v4, or
# what their "// compilers:" line asks; "// entry: NAME" names the entry)
# into OUTDIR, then runs jit-diff on them, the conformance programs of
# CONFDIR and the random programs of CORPUS. A program that does not
# compile is a failure.
jd=$1; out=$2; clang=$3; clang19=$4; src=$5; conf=$6; corpus=$7
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
"$jd" --conf "$conf" --corpus "$corpus" "${args[@]}" > "$out/jit-diff.log" 2>&1; rc=$?
grep -v '^jit-diff:' "$out/jit-diff.log" | head -200
line=$(grep '^jit-diff:' "$out/jit-diff.log")
p=$(sed -n 's/^jit-diff: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$line")
f=$(sed -n 's/^jit-diff: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$line")
if [ -z "$p" ]; then
    echo "FAIL jit-diff ended without its count (exit $rc)"; tail -20 "$out/jit-diff.log"
    p=0; f=1
fi
echo "jit-diff: $p passed, $((f + cfail)) failed"
[ "$rc" = 0 ] && [ $((f + cfail)) = 0 ]
