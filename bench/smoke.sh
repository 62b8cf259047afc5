#!/bin/sh
# bench/smoke.sh FEMTO_BENCH BENCHDIR MCPU - the bench-smoke test step:
#   1. the cycle models against sequences with documented totals;
#   2. fletcher32 and arith64 on Cortex-M3, on lx106 and on esp32 (qemu-xtensa)
#      through every engine (femto-bench fails when any engine's r0 differs
#      from the host-compiled program's);
#   3. the same again: the JSON of both runs must be byte-identical
#      (instruction counts and cycle estimates are deterministic).
bin=$1; dir=$2; mcpu=$3
pass=0; fail=0
out=$("$bin" --selftest 2>&1); echo "$out"
p=$(echo "$out" | sed -n 's/^cost-model self-test: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$out" | sed -n 's/^cost-model self-test: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then p=0; f=1; fi
pass=$((pass + p)); fail=$((fail + f))
for run in 1 2; do
    if "$bin" -C "$dir" --mcpu "$mcpu" --targets cm3,lx106,esp32 --progs fletcher32,arith64 \
            --json "$dir/smoke$run.json" > "$dir/smoke$run.log" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL run $run:"
    fi
    cat "$dir/smoke$run.log"
done
if cmp -s "$dir/smoke1.json" "$dir/smoke2.json"; then
    pass=$((pass + 1)); echo "ok   two runs gave identical results"
else
    fail=$((fail + 1)); echo "FAIL two runs gave different results:"
    diff "$dir/smoke1.json" "$dir/smoke2.json" | head -20
fi
echo "bench-smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
