#!/bin/bash
# tests/verify/run-conformance.sh FEMTOC TESTDIR OPTIONS_FILE
#
# Every conformance program that is expected to run (a `-- result` section)
# must pass verification: r1 = context of unknown size (its loads keep their
# checks), r2 = a number. Options for single files come from OPTIONS_FILE
# (printed with their reasons on every run). Programs with an `-- error`
# section are expected to fail and are verified without being required to
# pass (listed with the reason). Sums the proven/checked counts.
femtoc=$1; dir=$2; optfile=$3
pass=0; fail=0; lp=0; lc=0; sp=0; sc=0

echo "options for single files (from $optfile):"
grep -v -E '^\s*(#|$)' "$optfile" | sed 's/^/    /'

for t in "$dir"/*.data; do
    name=$(basename "$t")
    opts=$(grep -v -E '^\s*#' "$optfile" | awk -v n="$name" '$1 == n { sub(/^[^ ]+ +/, ""); sub(/ +--( .*)?$/, ""); print; exit }')
    if ! grep -q -- '^-- result' "$t"; then
        echo "not required: $name (no -- result: the suite expects it to fail)"
        continue
    fi
    # shellcheck disable=SC2086
    out=$("$femtoc" --verify-only --stats $opts "$t" 2>&1); rc=$?
    if [ "$rc" != 0 ]; then
        echo "FAIL $name (options: ${opts:-none}):"; echo "$out" | sed 's/^/    /'
        fail=$((fail + 1)); continue
    fi
    pass=$((pass + 1))
    s=$(grep -E '[0-9]+ loads \(' <<<"$out")
    lp=$((lp + $(sed -E 's/.* loads \(([0-9]+) proven.*/\1/' <<<"$s")))
    lc=$((lc + $(sed -E 's/.* proven, ([0-9]+) checked\), [0-9]+ stores.*/\1/' <<<"$s")))
    sp=$((sp + $(sed -E 's/.* stores \(([0-9]+) proven.*/\1/' <<<"$s")))
    sc=$((sc + $(sed -E 's/.* stores \([0-9]+ proven, ([0-9]+) checked.*/\1/' <<<"$s")))
done
echo "memory accesses over all programs: loads $lp proven / $lc checked, stores $sp proven / $sc checked"
echo "verify-conformance: $pass passed, $fail failed"
[ "$fail" = 0 ]
