#!/bin/bash
# tools/bk-compare.sh make|cmp BIN OUTDIR [CONFORMANCE_DIR]
#
# A refactoring check for the backends (not part of `make test`): compile
# every conformance program, every C test program (tests/c, tests/run) and
# every bench program, each as clang 14 / clang-19 -mcpu=v1..v4 objects, with
# femtoc for -march=thumbv7m,rv32imac and for rv32ima, by default and with
# --check-all; keep the containers and the -S listings in OUTDIR.
#   make   BIN OUT   writes OUT/ (BIN: a build's bin/ with femtoc, femto-as)
#   cmp    BIN OUT   compiles again into OUT.new/ and compares file by file
# A program femtoc refuses leaves its message (.err) instead, compared too.
# Ends with "bk-compare: N identical, N differ" (cmp) or the count written.
set -u
mode=$1 bin=$2 out=$3 conf=${4:-../shared/conformance}
clang=${CLANG:-clang}; clang19=${CLANG19:-$(command -v clang-19 || echo clang)}
[ "$mode" = cmp ] && dst=$out.new || dst=$out
rm -rf "$dst"; mkdir -p "$dst/obj"
n=0
objs=()
for f in "$conf"/tests/*.data; do
    b=$(basename "$f" .data)
    "$bin/femto-as" --data "$f" --elf -o "$dst/obj/conf-$b.o" 2>/dev/null && objs+=("$dst/obj/conf-$b.o")
done
for f in tests/c/*.c tests/run/prog.c bench/progs/*.c; do
    b=$(basename "$(dirname "$f")")-$(basename "$f" .c)
    for v in c14 v1 v2 v3 v4; do
        case $v in
            c14) cc=("$clang" -target bpf -O2) ;;
            *) cc=("$clang19" --target=bpf -mcpu=$v -O2) ;;
        esac
        "${cc[@]}" -Itests/c -Ibench/progs -c "$f" -o "$dst/obj/$b.$v.o" 2>/dev/null &&
            objs+=("$dst/obj/$b.$v.o")
    done
done
for o in "${objs[@]}"; do
    b=$(basename "$o" .o)
    for m in thumbv7m,rv32imac rv32ima; do
        for c in "" --check-all; do
            t="$dst/$b.${m//,/+}${c:+.all}"
            # shellcheck disable=SC2086
            if "$bin/femtoc" "$o" -march=$m $c -w -o "$t.fcx" 2>"$t.err" &&
               "$bin/femtoc" "$o" -march=$m $c -w -S -o "$t.S" 2>>"$t.err"; then
                rm -f "$t.err"; n=$((n + 1))
            else
                sed -i "s|$dst/obj/||g" "$t.err"   # refused: the message, without the path
            fi
        done
    done
done
rm -rf "$dst/obj"
if [ "$mode" = make ]; then
    echo "bk-compare: $n containers written to $dst"; exit 0
fi
same=0 diff=0
declare -A seen
for f in "$out"/* "$dst"/*; do
    r=$(basename "$f")
    [ -n "${seen[$r]:-}" ] && continue
    seen[$r]=1
    if cmp -s "$out/$r" "$dst/$r"; then same=$((same + 1)); else diff=$((diff + 1)); echo "DIFF $r"; fi
done
echo "bk-compare: $same identical, $diff differ"
[ $diff = 0 ]
