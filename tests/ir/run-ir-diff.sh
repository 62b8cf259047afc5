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
# fc_ir_opt), `femtoc --dump=promote` a NAME.promote (fc_ir_promote's stack
# words in temporaries, Cortex-M3's pressure limit) and `femtoc --dump=alloc` (the Cortex-M3-like table) a
# NAME.alloc beside it (the dumps' text format is stable; one count each).
irdiff=$1; out=$2; clang=$3; clang19=$4; src=$5; conf=$6; corpus=$7; femtoc=$8
mkdir -p "$out"
. "$(dirname "$0")/../diff/cprog-objects.sh"
args=(); cfail=0
cprog_objects "$clang" "$clang19" "$src" "$out"
corpus_size_ok "$corpus"
dpass=0
for kind in lower alloc opt promote; do
    for g in tests/ir/cases/*.$kind; do
        d=${g%.$kind}.data
        if "$femtoc" --dump=$kind "$d" > "$out/$(basename "$g")" 2>&1 && cmp -s "$out/$(basename "$g")" "$g"; then
            dpass=$((dpass + 1))
        else
            echo "FAIL femtoc --dump=$kind $d differs from $g:"; diff "$g" "$out/$(basename "$g")" | head -20
            cfail=$((cfail + 1))
        fi
    done
done
echo "femtoc --dump=lower, --dump=opt, --dump=promote, --dump=alloc: $dpass dumps as expected"
"$irdiff" --conf "$conf" --conf tests/ir/cases --corpus "$corpus" "${args[@]}" > "$out/ir-diff.log" 2>&1; rc=$?
step_counts "$out/ir-diff.log" ir-diff "$dpass" "$cfail" "$rc"
