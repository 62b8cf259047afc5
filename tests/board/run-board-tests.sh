#!/bin/sh
# Board tests: containers run on qemu-system-arm -M mps2-an385 through the
# real firmware (runtime + loader + helpers). Checks r0 against a Fletcher-32
# computed independently, the helper output, and the error path.
# usage: run-board-tests.sh DEMO_DIR   (FC_BUILD, FEMTOC in the environment)
dir=$1
pass=0; fail=0
fletcher() {
    python3 - "$1" <<'PY'
import sys
d = sys.argv[1].encode()
a = b = 0xffff
for i in range(0, len(d) - 1, 2):
    a += d[i] | (d[i + 1] << 8); b += a
    a = (a & 0xffff) + (a >> 16); b = (b & 0xffff) + (b >> 16)
a = (a & 0xffff) + (a >> 16); b = (b & 0xffff) + (b >> 16)
print("0x%016x" % ((b << 16) | a))
PY
}
check() { # name, condition result
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
# board:container pairs. The multi-target container runs on both boards
# (the loader picks the code for its core); bytecode-only in the interpreter.
for pair in mps2-an385:hello.fcx mps2-an385:hello-ebpf.fcx mps2-an385:hello-multi.fcx \
            sifive_e:hello-rv32.fcx sifive_e:hello-ebpf.fcx sifive_e:hello-multi.fcx; do
    board=${pair%%:*}; fcx=$dir/${pair#*:}
    for msg in "femtoc runs eBPF on microcontrollers" "x" "" "an odd-length message, 37 bytes long"; do
        want=$(fletcher "$msg")
        out=$(python3 tools/femto-board --board "$board" "$fcx" --ctx-str "$msg" --runs 2 2>&1); rc=$?
        case "$fcx" in *ebpf*) eng=interpreter;; *) eng=native;; esac
        r1=$(echo "$out" | grep -c "run 1 ($eng): r0 = $want")
        r2=$(echo "$out" | grep -c "run 2 ($eng): r0 = $want")
        n=$(printf %s "$msg" | wc -c)
        printed=$(echo "$out" | grep -c "hello from femtoc: $n bytes, fletcher32 = $(printf '0x%08x' $((want & 0xffffffff))), run 2")
        [ $rc = 0 ] && [ "$r1" = 1 ] && [ "$r2" = 1 ] && [ "$printed" = 1 ]
        check "$board $(basename "$fcx") '$msg' -> $want" $?
        [ $? = 0 ] || echo "$out" | sed 's/^/    /'
    done
done
# A container whose program reads outside its context must stop with a
# memory error at the right instruction, and the board must survive it.
cat > "$dir/oob.s" <<'S'
mov %r0, 0
ldxb %r0, [%r1+4096]
exit
S
for pair in mps2-an385:ebpf mps2-an385:thumbv7m sifive_e:rv32imac; do
    board=${pair%%:*}; march=${pair#*:}
    if "$FEMTOC" "$dir/oob.s" -march=$march -o "$dir/oob-$march.fcx" 2>/dev/null; then
        out=$(python3 tools/femto-board --board "$board" "$dir/oob-$march.fcx" --ctx-str "abc" 2>&1); rc=$?
        echo "$out" | grep -q "error .*memory read.* at eBPF instruction 1" && [ $rc = 1 ]
        check "$board $march: out-of-bounds read reported with its instruction" $?
        [ $? = 0 ] || echo "$out" | sed 's/^/    /'
    else
        check "femtoc -march=$march accepts oob.s" 1
    fi
done
echo "board: $pass passed, $fail failed"
[ $fail = 0 ]
