#!/bin/sh
# Board tests: containers run on the emulated boards (qemu-system-arm -M
# mps2-an385, qemu-system-riscv32 -M sifive_e, qemu-system-xtensa -M sim
# -cpu lx106) through the real firmware (runtime + loader + helpers). Checks
# r0 against a Fletcher-32 computed independently, the helper output, the
# error path, the budget and signatures. On every board the loader places
# the code for its core (xtensa-sim: lx106 code, femtoc -march=lx106) and
# runs it natively; a container without code for the core (bytecode only,
# code for the other cores, Xtensa code needing ISA options lx106 lacks)
# runs in the interpreter, with the same results.
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
            sifive_e:hello-rv32.fcx sifive_e:hello-ebpf.fcx sifive_e:hello-multi.fcx \
            xtensa-sim:hello-lx106.fcx xtensa-sim:hello-ebpf.fcx xtensa-sim:hello-multi.fcx \
            xtensa-sim:hello-all.fcx xtensa-sim:hello-xtwin.fcx; do
    board=${pair%%:*}; fcx=$dir/${pair#*:}
    for msg in "femtoc runs eBPF on microcontrollers" "x" "" "an odd-length message, 37 bytes long"; do
        want=$(fletcher "$msg")
        out=$(python3 tools/femto-board --board "$board" "$fcx" --ctx-str "$msg" --runs 2 2>&1); rc=$?
        case "$board:$fcx" in *ebpf*|xtensa-sim:*multi*|xtensa-sim:*xtwin*) eng=interpreter;; *) eng=native;; esac
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
for pair in mps2-an385:ebpf mps2-an385:thumbv7m sifive_e:rv32imac xtensa-sim:ebpf xtensa-sim:rv32imac,thumbv7m \
            xtensa-sim:lx106; do
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
# The budget (taken backward jumps) on every board: the loop below takes its
# backward jump 999 times, so a budget of 999 ends with r0 = 1000 and one of
# 998 stops it with the budget error at the jump (eBPF instruction 2).
cat > "$dir/loop.s" <<'S'
mov %r0, 0
add %r0, 1
jlt %r0, 1000, -2
exit
S
for pair in mps2-an385:thumbv7m sifive_e:rv32imac xtensa-sim:ebpf xtensa-sim:lx106; do
    board=${pair%%:*}; march=${pair#*:}
    for b in 999 998; do
        f=$dir/loop-$march-$b.fcx
        if ! "$FEMTOC" "$dir/loop.s" -march=$march --budget $b -o "$f" 2>/dev/null; then
            check "femtoc -march=$march --budget $b accepts loop.s" 1
            continue
        fi
        out=$(python3 tools/femto-board --board "$board" "$f" 2>&1); rc=$?
        if [ $b = 999 ]; then
            [ $rc = 0 ] && echo "$out" | grep -q "run 1 (.*): r0 = 0x00000000000003e8"
            check "$board $march: budget 999 is enough for 999 backward jumps (r0 = 1000)" $?
        else
            [ $rc = 1 ] && echo "$out" | grep -q "run 1: error 3 (.*budget.*) at eBPF instruction 2"
            check "$board $march: budget 998 stops the loop at its jump" $?
        fi
        [ $? = 0 ] || echo "$out" | sed 's/^/    /'
    done
done
# ---- signatures: firmware with a trust store (make firmware TRUST=...), keys made per run ----
# $dir/trust/: key.pem (trusted), other.pem; firmware in trust/native, trust/require.
# The signed containers carry code for all three cores: the same policies on
# every board, native lx106 code on xtensa-sim included.
t=$dir/trust
if [ -f "$t/pub.pem" ] && [ -f "$t/native/mps2-an385.elf" ] && [ -f "$t/require/sifive_e.elf" ] &&
   [ -f "$t/require/xtensa-sim.elf" ]; then
    msg="signed on the spot"
    want=$(fletcher "$msg")
    "$FEMTOC" "$dir/hello.o" -march=rv32imac,thumbv7m,lx106 --sign "$t/key.pem" -o "$t/signed.fcx" 2>&1
    check "femtoc --sign hello.o" $?
    "$FEMTOC" "$dir/hello.o" -march=rv32imac,thumbv7m,lx106 --sign "$t/other.pem" -o "$t/other.fcx" 2>&1
    python3 - "$t/signed.fcx" "$t/tampered.fcx" <<'PY'
import hashlib, struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
img = struct.unpack_from('<I', b, 0x0c)[0]
n = struct.unpack_from('<H', b, 0x12)[0]
for i in range(n):                  # one byte in the middle of every code section
    t, _, _, _, _, off, size = struct.unpack_from('<HHBBHII', b, 0x50 + 24 * i)
    if t == 16:
        b[off + size // 2] ^= 0x20
b[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(bytes(b[:img])).digest()
open(sys.argv[2], 'wb').write(b)
PY
    for board in mps2-an385 sifive_e xtensa-sim; do
        fw="--firmware $t/native/$board.elf --trust $t/pub.pem"
        out=$(python3 tools/femto-board --board $board $fw "$t/signed.fcx" --ctx-str "$msg" 2>&1); rc=$?
        [ $rc = 0 ] && echo "$out" | grep -q "board: signature ok" && echo "$out" | grep -q "run 1 (native): r0 = $want"
        check "$board, trusted key: signed container runs natively" $?
        [ $? = 0 ] || echo "$out" | sed 's/^/    /'
        for c in "hello-all.fcx:unsigned" "trust/other.fcx:signed by an untrusted key" "trust/tampered.fcx:signed, but its signature does not verify"; do
            f=${c%%:*}; why=${c#*:}
            out=$(python3 tools/femto-board --board $board $fw "$dir/$f" --ctx-str "$msg" 2>&1); rc=$?
            [ $rc = 0 ] && echo "$out" | grep -q "native code refused: the container is $why; installing its bytecode only" &&
                echo "$out" | grep -q "run 1 (interpreter): r0 = $want"
            check "$board, policy native: $(basename "$f") ($why): bytecode only" $?
            [ $? = 0 ] || echo "$out" | sed 's/^/    /'
            out=$(python3 tools/femto-board --board $board --firmware "$t/require/$board.elf" --trust "$t/pub.pem" \
                  --require-signature "$dir/$f" --ctx-str "$msg" 2>&1); rc=$?
            [ $rc = 2 ] && echo "$out" | grep -q "board: install failed: .*\(signature\|trust\)"
            check "$board, policy require: $(basename "$f") ($why) refused" $?
            [ $? = 0 ] || echo "$out" | sed 's/^/    /'
        done
        out=$(python3 tools/femto-board --board $board --firmware "$t/require/$board.elf" --trust "$t/pub.pem" \
              --require-signature "$t/signed.fcx" --ctx-str "$msg" 2>&1); rc=$?
        [ $rc = 0 ] && echo "$out" | grep -q "run 1 (native): r0 = $want"
        check "$board, policy require: signed container runs natively" $?
        [ $? = 0 ] || echo "$out" | sed 's/^/    /'
        # femto-board will not pretend: the firmware must hold the key and the policy asked for
        out=$(python3 tools/femto-board --board $board --firmware "$t/native/$board.elf" --trust "$t/pub.pem" \
              --require-signature "$t/signed.fcx" 2>&1); rc=$?
        [ $rc != 0 ] && echo "$out" | grep -q "policy native; wanted key id .*, policy require"
        check "$board: femto-board refuses firmware with another policy" $?
        out=$(python3 tools/femto-board --board $board --trust "$t/pub.pem" \
              --firmware "$FC_BUILD/board/$board.elf" "$t/signed.fcx" 2>&1); rc=$?
        [ $rc != 0 ] && echo "$out" | grep -q "has no trust store"
        check "$board: femto-board refuses firmware without a trust store for --trust" $?
    done
else
    check "trusted firmware and keys built by the board step ($t)" 1
fi
echo "board: $pass passed, $fail failed"
[ $fail = 0 ]
