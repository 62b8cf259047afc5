#!/bin/bash
# tests/verify/run-facts.sh VFY_FACTS OUTDIR CLANG CLANG19 CSRC BENCHSRC CONFDIR CORPUS NEGDIR MODE GOLDEN
#
# Runs vfy-facts on the conformance programs, the random corpus, the refused
# assembly programs, the C programs of CSRC (as the differential steps
# compile them) and the bench programs of BENCHSRC (clang-19 -mcpu=v4 -O2,
# as make bench). MODE check: every line must equal GOLDEN's line for the
# same run (a run GOLDEN lacks is listed as new, not a failure; so is a
# GOLDEN line no run made); write: GOLDEN is written; ws: the workspace
# table per part is printed.
vf=$1; out=$2; clang=$3; clang19=$4; src=$5; bsrc=$6; conf=$7; corpus=$8; neg=$9; mode=${10}; golden=${11}
mkdir -p "$out"
. "$(dirname "$0")/../diff/cprog-objects.sh"
args=(); cfail=0
cprog_objects "$clang" "$clang19" "$src" "$out"
for f in "$bsrc"/*.c; do
    o=$out/bench-$(basename "$f" .c).o
    if ! "$clang19" --target=bpf -mcpu=v4 -O2 -fno-builtin -I"$bsrc" -c "$f" -o "$o" 2>"$o.log"; then
        echo "FAIL $(basename "$f"): compile failed:"; sed 's/^/    /' "$o.log"; cfail=$((cfail + 1)); continue
    fi
    args+=(--elf "$o")
done
corpus_size_ok "$corpus"
ws=(); [ "$mode" = ws ] && ws=(--ws)
"$vf" "${ws[@]}" --conf "$conf" --corpus "$corpus" --neg "$neg" "${args[@]}" > "$out/facts.txt" 2>&1; rc=$?
if [ "$rc" != 0 ] || ! tail -1 "$out/facts.txt" | grep -q '^vfy-facts: '; then
    echo "FAIL vfy-facts (exit $rc)"; tail -20 "$out/facts.txt"; cfail=$((cfail + 1))
fi
grep -v -e '^W ' -e '^workspace' -e '^vfy-facts:' "$out/facts.txt" | sort > "$out/facts.sorted"
case $mode in
write)
    cp "$out/facts.sorted" "$golden"
    echo "wrote $golden: $(wc -l < "$golden") runs"
    [ "$cfail" = 0 ]; exit ;;
ws)
    grep -e '^workspace' "$out/facts.txt"
    echo "per program: $out/facts.txt (lines W ...)"
    [ "$cfail" = 0 ]; exit ;;
esac
key() { sed 's/ rc=.*//' "$1" | sort; }
new=$(comm -23 <(key "$out/facts.sorted") <(key "$golden") | wc -l)
gone=$(comm -13 <(key "$out/facts.sorted") <(key "$golden") | wc -l)
[ "$new" != 0 ] && echo "note: $new runs not in $golden (new programs): not compared"
[ "$gone" != 0 ] && echo "note: $gone runs of $golden not made (programs gone)"
# the runs both have, line against line; prints the differing ones, sets pass/fail
compare() {
    join -t'|' <(sed 's/ rc=/|rc=/' "$1" | sort -t'|' -k1,1) \
               <(sed 's/ rc=/|rc=/' "$2" | sort -t'|' -k1,1) > "$out/joined"
    pass=0; fail=0
    while IFS='|' read -r name now then; do
        if [ "$now" = "$then" ]; then pass=$((pass + 1)); else
            fail=$((fail + 1)); echo "FAIL $name: now $now, was $then"
        fi
    done < "$out/joined"
}
# the comparison itself must see a change: the first golden line with its
# states hash altered gives exactly one difference
sed '1s/states=\(.\)/states=\1x/' "$golden" > "$out/golden.altered"
compare "$out/facts.sorted" "$out/golden.altered" > "$out/selftest.log"
if [ "$fail" != 1 ]; then
    echo "FAIL self-test: an altered golden line gave $fail differences, not 1"; cfail=$((cfail + 1))
fi
compare "$out/facts.sorted" "$golden"
echo "verify-facts: $pass passed, $((fail + cfail)) failed"
[ $((fail + cfail)) = 0 ]
