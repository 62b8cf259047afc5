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
. "$(dirname "$0")/../diff/cprog-objects.sh"
args=(); cfail=0
cprog_objects "$clang" "$clang19" "$src" "$out"
corpus_size_ok "$corpus"
"$jd" --conf "$conf" --corpus "$corpus" "${args[@]}" > "$out/jit-diff.log" 2>&1; rc=$?
step_counts "$out/jit-diff.log" jit-diff 0 "$cfail" "$rc"
