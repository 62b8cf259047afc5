# tests/diff/cprog-objects.sh: sourced by the differential steps' scripts
# (tests/ir/run-ir-diff.sh, tests/jit/run-jit-diff.sh).
#
# cprog_objects CLANG CLANG19 CSRC OUTDIR
#   compiles the C programs of CSRC (clang 14 -O2 and clang-19 -mcpu=v4, or
#   the configurations their "// compilers:" line names: c14, v1..v4;
#   "// entry: NAME" names the entry function) into OUTDIR; appends
#   `--elf OBJ[@ENTRY]` per object to the array `args` and counts in `cfail`
#   every program that does not compile (printed).
# corpus_size_ok CORPUS
#   counts a failure in `cfail` when the random corpus has under 100 programs.
# step_counts LOG NAME EXTRA_PASS EXTRA_FAIL RC
#   prints LOG's lines but its count line, then "NAME: P passed, F failed"
#   with the extra counts added; a log without its count line is one failure.
#   Returns non-zero when anything failed or RC is not 0.
cprog_objects() {
    local clang=$1 clang19=$2 src=$3 out=$4 f name cfgs entry c o
    local -a cc
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
}

corpus_size_ok() {
    local n
    n=$(ls "$1" | wc -l)
    if [ "$n" -lt 100 ]; then
        echo "FAIL only $n programs in $1"; cfail=$((cfail + 1))
    fi
}

step_counts() {
    local log=$1 name=$2 xp=$3 xf=$4 rc=$5 line p f
    grep -v "^$name:" "$log" | head -200
    line=$(grep "^$name:" "$log")
    p=$(sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed\$/\1/p" <<<"$line")
    f=$(sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed\$/\2/p" <<<"$line")
    if [ -z "$p" ]; then
        echo "FAIL $name ended without its count (exit $rc)"; tail -20 "$log"
        p=0; f=1
    fi
    echo "$name: $((p + xp)) passed, $((f + xf)) failed"
    [ "$rc" = 0 ] && [ $((f + xf)) = 0 ]
}
