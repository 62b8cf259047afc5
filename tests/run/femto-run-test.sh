#!/bin/bash
# tests/run/femto-run-test.sh FEMTO_RUN FEMTOC CLANG OUTDIR
#
# femto-run end to end: containers (bytecode only, thumbv7m, rv32imac, both,
# lx106, esp32) installed by the real loader and run in the interpreter / Unicorn /
# qemu-xtensa (lx106; esp32 code on dc233c), objects
# and assembly in the interpreter; memory from --mem and --mem-hex; faults
# (memory, budget, a machine fault in corrupted native code) with the
# instruction named; --stats (present, deterministic, growing with the work);
# printf helper output; option errors. Expected values come from python,
# computed from the same input bytes, never from a previous run.
run=$1; femtoc=$2; clang=$3; out=$4
sign=$(dirname "$run")/femto-sign; objdump=$(dirname "$run")/femto-objdump
src=$(dirname "$0")
mkdir -p "$out"
pass=0; fail=0

ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/    /'; done; }
# check NAME CONDITION-EXIT-STATUS [details...]
check() { local n=$1 c=$2; shift 2; if [ "$c" = 0 ]; then ok "$n"; else bad "$n" "$@"; fi; }

# ---- expected values -----------------------------------------------------------
# prog.c: r0 and the printf line for the bytes given as hex
expect_prog() {
    python3 - "$1" <<'PY'
import sys
m = bytes.fromhex(sys.argv[1].replace(" ", ""))
n = len(m)
s = sum(b * (i + 1) for i, b in enumerate(m)) & (2**64 - 1)
r = (((s * 0x9e3779b97f4a7c15) & (2**64 - 1)) // (n | 1)) ^ ((n << 56) & (2**64 - 1))
print("femto-run: %u bytes, sum %u" % (n & 0xffffffff, s & 0xffffffff))
print("0x%x" % r)
PY
}
# N random bytes from a seed (the first never 0xee: that one makes prog.c fault)
randhex() { python3 -c "import random,sys; random.seed(int(sys.argv[1])); b=[random.randrange(256) for _ in range(int(sys.argv[2]))]; b[:1]=[x ^ 1 if x == 0xee else x for x in b[:1]]; print(' '.join('%02x' % x for x in b))" "$1" "$2"; }

# ---- inputs ------------------------------------------------------------------------
if ! "$clang" -target bpf -O2 -g -ffreestanding -Iruntime -c "$src/prog.c" -o "$out/prog.o" 2>"$out/clang.log"; then
    bad "clang -target bpf builds tests/run/prog.c" "$(cat "$out/clang.log")"
    echo "femto-run: $pass passed, $fail failed"; exit 1
fi
for m in ebpf thumbv7m rv32imac lx106 esp32 thumbv7m,rv32imac thumbv7m,rv32imac,lx106 thumbv7m,rv32imac,lx106,esp32; do
    if ! "$femtoc" "$out/prog.o" -march=$m -o "$out/prog-${m//,/+}.fcx" 2>"$out/femtoc.log"; then
        bad "femtoc -march=$m" "$(cat "$out/femtoc.log")"
    fi
done
# a loop of r2 (context length) iterations: r2 - 1 taken backward jumps
cat > "$out/loop.s" <<'S'
mov %r0, 0
add %r0, 1
jlt %r0, %r2, -2
exit
S
# an out-of-bounds read at instruction 2
cat > "$out/oob.s" <<'S'
mov %r0, 7
ldxb %r3, [%r1]
ldxw %r0, [%r1+4096]
exit
S
for s in loop oob; do
    for m in ebpf thumbv7m rv32imac lx106 esp32; do
        "$femtoc" "$out/$s.s" -march=$m -o "$out/$s-$m.fcx" 2>"$out/femtoc.log" ||
            bad "femtoc $s.s -march=$m" "$(cat "$out/femtoc.log")"
    done
done

# ---- every kind of container, every core, both memory options -------------------
hex=$(randhex 1 40)
want=$(expect_prog "$hex")
python3 -c "import sys; open(sys.argv[1], 'wb').write(bytes.fromhex(sys.argv[2].replace(' ', '')))" "$out/mem40.bin" "$hex"
declare -A ENGINE=(
    [ebpf]="engine: interpreter"
    [thumbv7m]="engine: thumbv7m native code"
    [rv32imac]="engine: rv32imac native code"
    [lx106]="engine: lx106 native code"
    [esp32]="engine: esp32 native code (Xtensa windowed ABI + DIV32 on dc233c"
)
runcase() { # label, expected engine, femto-run args...
    local label=$1 eng=$2; shift 2
    got=$("$run" "$@" --stats 2>&1); rc=$?
    body=$(grep -v -E '^(engine|instructions|budget left|fixed cost|per call):' <<<"$got")
    [ $rc = 0 ] && [ "$body" = "$want" ] && grep -q "^$eng" <<<"$got"
    check "$label" $? "exit $rc, want:" "$want" "got:" "$got"
}
runcase "bytecode container (interpreter), --mem-hex" "${ENGINE[ebpf]}" "$out/prog-ebpf.fcx" --mem-hex "$hex"
runcase "bytecode container, --mem FILE" "${ENGINE[ebpf]}" "$out/prog-ebpf.fcx" --mem "$out/mem40.bin"
runcase "thumbv7m container (Cortex-M3 in Unicorn), --mem-hex" "${ENGINE[thumbv7m]}" "$out/prog-thumbv7m.fcx" --mem-hex "$hex"
runcase "thumbv7m container, --mem FILE" "${ENGINE[thumbv7m]}" "$out/prog-thumbv7m.fcx" --mem "$out/mem40.bin"
runcase "rv32imac container (E31 in Unicorn), --mem-hex" "${ENGINE[rv32imac]}" "$out/prog-rv32imac.fcx" --mem-hex "$hex"
runcase "rv32imac container, --mem FILE" "${ENGINE[rv32imac]}" "$out/prog-rv32imac.fcx" --mem "$out/mem40.bin"
runcase "multi-target container, default core: thumbv7m" "${ENGINE[thumbv7m]}" "$out/prog-thumbv7m+rv32imac.fcx" --mem-hex "$hex"
runcase "multi-target container, --core thumbv7m" "${ENGINE[thumbv7m]}" "$out/prog-thumbv7m+rv32imac.fcx" --core thumbv7m --mem-hex "$hex"
runcase "multi-target container, --core rv32imac" "${ENGINE[rv32imac]}" "$out/prog-thumbv7m+rv32imac.fcx" --core rv32imac --mem-hex "$hex"
runcase "multi-target container, --engine interp" "${ENGINE[ebpf]}" "$out/prog-thumbv7m+rv32imac.fcx" --engine interp --mem-hex "$hex"
runcase "multi-target container, --core rv32imac --engine native" "${ENGINE[rv32imac]}" "$out/prog-thumbv7m+rv32imac.fcx" --core rv32imac --engine native --mem-hex "$hex"
runcase "thumbv7m container on an rv32imac core: the loader falls back to the interpreter" \
    "engine: interpreter (no rv32imac code" "$out/prog-thumbv7m.fcx" --core rv32imac --mem-hex "$hex"
runcase "lx106 container (qemu-xtensa), --mem-hex" "${ENGINE[lx106]}" "$out/prog-lx106.fcx" --mem-hex "$hex"
runcase "lx106 container, --core lx106 --engine native, --mem FILE" "${ENGINE[lx106]}" "$out/prog-lx106.fcx" --core lx106 --engine native --mem "$out/mem40.bin"
runcase "three-target container, --core lx106" "${ENGINE[lx106]}" "$out/prog-thumbv7m+rv32imac+lx106.fcx" --core lx106 --mem-hex "$hex"
runcase "thumbv7m+rv32imac container on an lx106 core: the loader falls back to the interpreter" \
    "engine: interpreter (no lx106 code" "$out/prog-thumbv7m+rv32imac.fcx" --core lx106 --mem-hex "$hex"
# esp32: windowed code on QEMU's dc233c (CALLX8 entry, the routines through windowed trampolines)
runcase "esp32 container (dc233c in qemu-xtensa), --mem-hex" "${ENGINE[esp32]}" "$out/prog-esp32.fcx" --mem-hex "$hex"
runcase "esp32 container, --core esp32 --engine native, --mem FILE" "${ENGINE[esp32]}" "$out/prog-esp32.fcx" --core esp32 --engine native --mem "$out/mem40.bin"
runcase "four-target container, --core esp32" "${ENGINE[esp32]}" "$out/prog-thumbv7m+rv32imac+lx106+esp32.fcx" --core esp32 --mem-hex "$hex"
runcase "four-target container, --core lx106" "${ENGINE[lx106]}" "$out/prog-thumbv7m+rv32imac+lx106+esp32.fcx" --core lx106 --mem-hex "$hex"
runcase "lx106 (call0) code on an esp32 core: the loader falls back to the interpreter" \
    "engine: interpreter (no esp32 code" "$out/prog-thumbv7m+rv32imac+lx106.fcx" --core esp32 --mem-hex "$hex"
runcase ".o object in the interpreter" "${ENGINE[ebpf]}" "$out/prog.o" --mem-hex "$hex"
runcase ".o object, --entry prog" "${ENGINE[ebpf]}" "$out/prog.o" --entry prog --mem-hex "$hex"
runcase "container, --entry prog" "${ENGINE[thumbv7m]}" "$out/prog-thumbv7m.fcx" --entry prog --mem-hex "$hex"
# other inputs and sizes: no memory at all, one byte, a large context
for n in 0 1 3 255 4096; do
    hex=$(randhex $((n + 7)) $n); want=$(expect_prog "$hex")
    for f in prog-ebpf.fcx prog-thumbv7m.fcx prog-rv32imac.fcx prog-lx106.fcx prog-esp32.fcx prog.o; do
        if [ $n = 0 ]; then args=(); else args=(--mem-hex "$hex"); fi
        got=$("$run" "$out/$f" "${args[@]}" 2>&1); rc=$?
        [ $rc = 0 ] && [ "$got" = "$want" ]
        check "$f with $n bytes of memory" $? "exit $rc, want:" "$want" "got:" "$got"
    done
done

# ---- the printf helper's output comes first, r0 last ------------------------------
hex=$(randhex 9 12)
got=$("$run" "$out/prog-rv32imac.fcx" --mem-hex "$hex" 2>/dev/null)
[ "$(head -1 <<<"$got")" = "$(expect_prog "$hex" | head -1)" ] && [ "$(tail -1 <<<"$got")" = "$(expect_prog "$hex" | tail -1)" ]
check "printf helper output on stdout, then r0 on the last line" $? "$got"

# ---- memory faults: exit 1, the error, the instruction and its disassembly ---------
for f in oob-ebpf.fcx oob-thumbv7m.fcx oob-rv32imac.fcx oob-lx106.fcx oob-esp32.fcx oob.s; do
    got=$("$run" "$out/$f" --mem-hex "01 02 03 04" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q -E "insn 2: error: memory read out of bounds \(address 0x[0-9a-f]+\) \(ldxw %r0, \[%r1\+4096\]\)" <<<"$got" &&
        ! grep -q '^0x' <<<"$got"
    check "$f: out-of-bounds read -> exit 1, insn 2 and its disassembly" $? "exit $rc:" "$got"
done
# the fault address is the context's address + 4096 on every engine
addrs=$(for f in oob-ebpf.fcx oob-thumbv7m.fcx oob-rv32imac.fcx oob-lx106.fcx oob-esp32.fcx; do "$run" "$out/$f" --mem-hex "01" 2>&1 | grep -o 'address 0x[0-9a-f]*'; done | sort -u)
[ "$(wc -l <<<"$addrs")" = 1 ]
check "the fault address is the same on every engine" $? "$addrs"
# Xtensa: checked stack accesses through r10 + the context's length (femtoc's
# verifier hints the stack: the in-line frame test of xt_isel.c), inside the
# frame and then past the stack's end (the shared routine refuses it)
printf 'mov %%r3, %%r10\nadd %%r3, -24\nadd %%r3, %%r2\nstw [%%r3+0], 0x1234567\nstxh [%%r3+6], %%r2\nldxw %%r0, [%%r3+0]\nldxh %%r4, [%%r3+6]\nlsh %%r4, 32\nadd %%r0, %%r4\nexit\n' > "$out/stkin.s"
printf 'mov %%r3, %%r10\nadd %%r3, -8\nadd %%r3, %%r2\nldxw %%r0, [%%r3-4]\nldxw %%r0, [%%r3+0]\nexit\n' > "$out/stkoob.s"
for m in lx106 esp32; do
    "$femtoc" "$out/stkin.s" -march=$m -o "$out/stkin-$m.fcx" 2>"$out/femtoc.log" &&
        "$femtoc" "$out/stkoob.s" -march=$m -o "$out/stkoob-$m.fcx" 2>>"$out/femtoc.log" ||
        bad "femtoc stkin.s / stkoob.s -march=$m" "$(cat "$out/femtoc.log")"
    got=$("$run" "$out/stkin-$m.fcx" --mem-hex "01 02 03 04 05 06 07 08" --stats 2>&1); rc=$?
    [ $rc = 0 ] && grep -q "^engine: $m native code" <<<"$got" && [ "$(tail -n1 <<<"$got")" = 0x801234567 ]
    check "$m: checked stack accesses at r10 + length inside the frame (0x801234567)" $? "exit $rc:" "$got"
    got=$("$run" "$out/stkoob-$m.fcx" --mem-hex "01 02 03 04 05 06 07 08" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q -E "insn 4: error: memory read out of bounds" <<<"$got" && ! grep -q '^0x' <<<"$got"
    check "$m: a checked stack read past the stack's end -> insn 4, memory read out of bounds" $? "exit $rc:" "$got"
done
# prog.c: a first byte 0xee reads past the context; printf output came first;
# the source line from -g for the object
for f in prog-ebpf.fcx prog-thumbv7m.fcx prog-rv32imac.fcx prog-lx106.fcx prog-esp32.fcx prog.o; do
    got=$("$run" "$out/$f" --mem-hex "ee 01 02" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q "femto-run: 3 bytes, sum $((0xee + 2 + 6))" <<<"$got" &&
        grep -q -E "error: memory read out of bounds \(address 0x[0-9a-f]+\).*ldxb" <<<"$got"
    check "$f: fault after printf output" $? "exit $rc:" "$got"
done
got=$("$run" "$out/prog.o" --mem-hex "ee 01 02" 2>&1)
grep -q -E "^tests/run/prog.c:[0-9]+: error: memory read out of bounds" <<<"$got"
check "prog.o (-g): the fault names the source line" $? "$got"

# ---- budget: r2 - 1 taken backward jumps; one fewer exhausts it ------------------------
hex=$(randhex 3 10)
for f in loop-ebpf.fcx loop-thumbv7m.fcx loop-rv32imac.fcx loop-lx106.fcx loop-esp32.fcx loop.s; do
    got=$("$run" "$out/$f" --mem-hex "$hex" --budget 9 2>&1); rc=$?
    [ $rc = 0 ] && [ "$got" = "0xa" ]
    check "$f: --budget 9 is enough for 10 iterations" $? "exit $rc: $got"
    got=$("$run" "$out/$f" --mem-hex "$hex" --budget 8 --stats 2>&1); rc=$?
    [ $rc = 1 ] && grep -q -E "insn 2: error: branch budget exhausted: 8 taken backward jumps allowed.*\(jlt %r0, %r2, -2\)" <<<"$got" &&
        grep -q '^budget left: 0$' <<<"$got"
    check "$f: --budget 8 exhausts at insn 2" $? "exit $rc:" "$got"
done

# ---- --stats: present, deterministic, counting the work --------------------------------
count() { "$run" "$@" --stats 2>/dev/null | sed -n 's/^instructions: //p'; }
for f in prog-ebpf.fcx prog-thumbv7m.fcx prog-rv32imac.fcx prog-lx106.fcx prog-esp32.fcx prog.o; do
    small=$(randhex 5 8); big=$(randhex 6 64)
    a=$(count "$out/$f" --mem-hex "$big"); b=$(count "$out/$f" --mem-hex "$big"); c=$(count "$out/$f" --mem-hex "$small")
    [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" -gt 0 ] && [ "$c" -gt 0 ] && [ "$a" -gt "$c" ]
    check "$f: --stats instructions equal on two runs ($a = $b), more for more bytes ($c for 8)" $?
done
# native counts include the runtime routines: the 64-bit division makes the
# Thumb-2 count well above the number of eBPF instructions executed
hex=$(randhex 8 16)
i=$(count "$out/prog-ebpf.fcx" --mem-hex "$hex"); t=$(count "$out/prog-thumbv7m.fcx" --mem-hex "$hex")
[ -n "$i" ] && [ -n "$t" ] && [ "$t" -gt "$i" ]
check "thumbv7m count ($t machine instructions) exceeds the eBPF count ($i)" $?

# ---- a machine fault in native code: the loader's pc map names the instruction -----------
# Corrupt the code made for the out-of-bounds load of oob.s (insn 2) with an
# undefined instruction, rehash the container, and run it.
corrupt() { # in, out, target, bytes(hex)
    python3 - "$@" <<'PY'
import hashlib, struct, sys
src, dst, target, patch = sys.argv[1], sys.argv[2], int(sys.argv[3]), bytes.fromhex(sys.argv[4])
b = bytearray(open(src, "rb").read())
nsect, sect_off = struct.unpack_from("<HI", b, 0x12)
image_size = struct.unpack_from("<I", b, 0x0C)[0]
sects = [struct.unpack_from("<HHBBHIII", b, sect_off + 24 * k) for k in range(nsect)]
code = next(k for k, s in enumerate(sects) if s[0] == 16 and s[2] == target)
pcmap = next(s for s in sects if s[0] == 19 and s[4] == code)
recs = [struct.unpack_from("<II", b, pcmap[5] + 8 * k) for k in range(pcmap[6] // 8)]
off = next(o for o, insn in recs if insn == 2)
b[sects[code][5] + off: sects[code][5] + off + len(patch)] = patch
b[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(bytes(b[:image_size])).digest()
open(dst, "wb").write(b)
PY
}
# Thumb: UDF #0 (0xde00); RV32: an all-zero halfword (illegal in RVC)
corrupt "$out/oob-thumbv7m.fcx" "$out/bad-thumbv7m.fcx" 1 "00de00de" &&
corrupt "$out/oob-rv32imac.fcx" "$out/bad-rv32imac.fcx" 2 "00000000" &&
corrupt "$out/oob-lx106.fcx" "$out/bad-lx106.fcx" 3 "000000" &&
corrupt "$out/oob-esp32.fcx" "$out/bad-esp32.fcx" 4 "000000"
check "corrupted containers written" $?
for c in thumbv7m rv32imac; do
    got=$("$run" "$out/bad-$c.fcx" --mem-hex "01 02 03 04" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q -E "insn 2: error: machine fault in the $c code at offset 0x[0-9a-f]+ .*\(ldxw %r0, \[%r1\+4096\]\)" <<<"$got"
    check "$c: machine fault in native code -> exit 1, offset and insn 2" $? "exit $rc:" "$got"
done
# lx106 (Xtensa ILL, 0x000000): qemu-xtensa dies of SIGILL and gives no pc, so
# no instruction is named; the run still ends as a machine fault, not a result
for c in lx106 esp32; do
    got=$("$run" "$out/bad-$c.fcx" --mem-hex "01 02 03 04" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q "error: machine fault in $c native code .*qemu-xtensa: the code died of signal 4" <<<"$got" &&
        ! grep -q '^0x' <<<"$got"
    check "$c: machine fault in native code -> exit 1, the guest signal" $? "exit $rc:" "$got"
done

# ---- lx106: the machine stack bound (FC_NATIVE_MSTACK, 640 bytes) ------------------------
# a chain of N local calls, each function with r0..r9 live as 64-bit values
# (20 halves in 8 registers: a 96-byte frame); 6 deep is 6 * 96 + the runtime
# routines' 64 = 640 bytes and compiles, 7 deep (736) is refused by femtoc
chain() { # N -> assembly
    local n=$1 i r
    for i in $(seq 0 $((n - 1))); do
        [ $i -gt 0 ] && echo "f$i:"
        for r in 0 1 2 3 4 5 6 7 8 9; do printf 'lddw %%r%d, 0x%x\n' $r $(( (r + 1 + i) * 0x0101010101010101 )); done
        for r in 1 2 3 4 5 6 7 8 9; do echo "add %r0, %r$r"; done
        echo "mov %r6, %r0"
        [ $i -lt $((n - 1)) ] && printf 'call local f%d\nadd %%r0, %%r6\n' $((i + 1))
        echo "exit"
    done
}
chain 6 > "$out/chain6.s"; chain 7 > "$out/chain7.s"
want=$(python3 -c "
m = 2**64 - 1
def f(i, n):
    v = sum((r + 1 + i) * 0x0101010101010101 for r in range(10)) & m
    return v if i == n - 1 else (f(i + 1, n) + v) & m
print('0x%x' % f(0, 6))")
got=$("$femtoc" "$out/chain6.s" -march=lx106 -o "$out/chain6.fcx" 2>&1 && "$run" "$out/chain6.fcx" --stats 2>&1); rc=$?
[ $rc = 0 ] && grep -q "^engine: lx106 native code" <<<"$got" && [ "$(tail -n1 <<<"$got")" = "$want" ]
check "lx106: 6 nested 96-byte frames (640 bytes) compile and run ($want)" $? "exit $rc:" "$got"
got=$("$femtoc" "$out/chain7.s" -march=lx106 -o "$out/chain7.fcx" 2>&1); rc=$?
[ $rc != 0 ] && grep -q "lx106: the code needs 736 bytes of machine stack .*above FC_NATIVE_MSTACK (640)" <<<"$got" &&
    [ ! -e "$out/chain7.fcx" ]
check "lx106: 7 nested 96-byte frames (736 bytes) refused by femtoc" $? "exit $rc:" "$got"

# ---- refusals and option errors: exit 1 with a message ----------------------------------
errcase() { # label, regex, args...
    local label=$1 re=$2; shift 2
    got=$("$run" "$@" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q -E "$re" <<<"$got"
    check "$label" $? "exit $rc:" "$got"
}
errcase "--engine native on a bytecode-only container" "error: --engine native: the container has no native code" \
    "$out/prog-ebpf.fcx" --engine native
errcase "--engine native, --core rv32imac, thumbv7m-only container: the loader refuses" \
    "error: the loader refused the container for rv32imac: .*native code required" \
    "$out/prog-thumbv7m.fcx" --engine native --core rv32imac
errcase "--entry of an unknown name lists the entries" "error: no entry 'nosuch'; the container has: prog" \
    "$out/prog-thumbv7m.fcx" --entry nosuch
errcase "unknown option" "^femto-run: error: unknown option '--frobnicate'" "$out/prog.o" --frobnicate
errcase "bad --core" "error: --core: unknown core 'z80'" "$out/prog-ebpf.fcx" --core z80
errcase "bad --budget" "error: --budget: '0' is not a number >= 1" "$out/prog-ebpf.fcx" --budget 0
errcase "bad --mem-hex" "error: --mem-hex: 'zz'" "$out/prog-ebpf.fcx" --mem-hex "01 zz"
errcase "missing memory file" "error: $out/nosuch.bin: No such file" "$out/prog-ebpf.fcx" --mem "$out/nosuch.bin"
errcase "no input" "error: no input file"
errcase "--engine native on an object" "error: --engine native needs a container" "$out/prog.o" --engine native
head -c 100 "$out/prog-thumbv7m.fcx" > "$out/trunc.fcx"
errcase "truncated container" "error: not a valid container" "$out/trunc.fcx"

# ---- what the code assumes of the context: --ctx-size and --ctx-ro -------------------------
# rd: a load at [r1+60] (proven with --ctx-size 64); wr: a store at [r1] (proven with 8)
printf 'ldxw %%r0, [%%r1+60]\nexit\n' > "$out/ctxrd.s"
printf 'stw [%%r1+0], 7\nldxw %%r0, [%%r1+0]\nexit\n' > "$out/ctxwr.s"
for m in ebpf thumbv7m rv32imac lx106; do
    "$femtoc" "$out/ctxrd.s" --ctx-size 64 -march=$m -o "$out/ctxrd-$m.fcx" 2>"$out/femtoc.log" ||
        bad "femtoc ctxrd.s --ctx-size 64 -march=$m" "$(cat "$out/femtoc.log")"
    "$femtoc" "$out/ctxwr.s" --ctx-size 8 -march=$m -o "$out/ctxwr-$m.fcx" 2>"$out/femtoc.log" ||
        bad "femtoc ctxwr.s --ctx-size 8 -march=$m" "$(cat "$out/femtoc.log")"
    "$femtoc" "$out/ctxwr.s" -march=$m -o "$out/ctxwrc-$m.fcx" 2>"$out/femtoc.log" ||
        bad "femtoc ctxwr.s -march=$m" "$(cat "$out/femtoc.log")"
done
bytes() { python3 -c "import sys; print(' '.join('%02x' % (i & 255) for i in range(int(sys.argv[1]))))" "$1"; }
rd_want=$(python3 -c "print('0x%x' % int.from_bytes(bytes(range(60, 64)), 'little'))")
short_re="context shorter than the container requires: the memory has"
for m in ebpf thumbv7m rv32imac lx106; do
    for eng in auto interp; do
        [ $m = ebpf ] && [ $eng = interp ] && continue
        args=("$out/ctxrd-$m.fcx" --engine $eng)
        errcase "ctx-size 64, $m/$eng: 63 bytes refused" "$short_re 63 bytes, .* at least 64" "${args[@]}" --mem-hex "$(bytes 63)"
        errcase "ctx-size 64, $m/$eng: 4 bytes refused" "$short_re 4 bytes" "${args[@]}" --mem-hex "$(bytes 4)"
        errcase "ctx-size 64, $m/$eng: no context refused" "$short_re 0 bytes" "${args[@]}"
        got=$("$run" "${args[@]}" --mem-hex "$(bytes 64)" 2>&1); rc=$?
        [ $rc = 0 ] && [ "$(tail -n1 <<<"$got")" = "$rd_want" ]
        check "ctx-size 64, $m/$eng: 64 bytes run ($rd_want)" $? "exit $rc:" "$got"
        got=$("$run" "${args[@]}" --mem-hex "$(bytes 65)" --ctx-ro 2>&1); rc=$?
        [ $rc = 0 ] && [ "$(tail -n1 <<<"$got")" = "$rd_want" ]
        check "ctx-size 64, $m/$eng: 65 bytes read-only run (code only reads)" $? "exit $rc:" "$got"
        args=("$out/ctxwr-$m.fcx" --engine $eng --mem-hex "$(bytes 8)")
        errcase "unchecked context store, $m/$eng: --ctx-ro refused" \
            "cannot run entry 0: context read-only but the code writes it unchecked" "${args[@]}" --ctx-ro
        got=$("$run" "${args[@]}" 2>&1); rc=$?
        [ $rc = 0 ] && [ "$(tail -n1 <<<"$got")" = 0x7 ]
        check "unchecked context store, $m/$eng: writable context runs (0x7)" $? "exit $rc:" "$got"
        # built without --ctx-size the store keeps its check: a memory error instead
        errcase "checked context store, $m/$eng: --ctx-ro is a write fault at insn 0" \
            "insn 0: error: memory write out of bounds .*stw \[%r1\], 7" \
            "$out/ctxwrc-$m.fcx" --engine $eng --mem-hex "$(bytes 8)" --ctx-ro
    done
done
# femtoc refuses sizes that could make a proof wrap around
for n in 65537 4294967295 99999999999; do
    got=$("$femtoc" "$out/ctxrd.s" --ctx-size $n -march=thumbv7m -o "$out/huge.fcx" 2>&1); rc=$?
    [ $rc != 0 ] && grep -q -E "ctx-size.*(at most 65536|not a size)" <<<"$got" && [ ! -e "$out/huge.fcx" ]
    check "femtoc --ctx-size $n refused" $? "exit $rc:" "$got"
done
"$femtoc" "$out/ctxrd.s" --ctx-size 65536 -march=thumbv7m -o "$out/ctx64k.fcx" 2>&1
check "femtoc --ctx-size 65536 accepted" $?
# a container claiming more than 64 KiB (forged, hash recomputed) is refused by the loader
python3 - "$out/ctxrd-thumbv7m.fcx" "$out/forged.fcx" <<'PY'
import hashlib, struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<I', b, 0x20, 0x10001)
img = struct.unpack_from('<I', b, 0x0c)[0]
b[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(bytes(b[:img])).digest()
open(sys.argv[2], 'wb').write(b)
PY
errcase "forged ctx_min above 64 KiB refused by the loader" "not a valid container: ctx_min above the 64 KiB limit" \
    "$out/forged.fcx" --mem-hex "$(bytes 64)"

# ---- signatures: --trust, --require-signature (keys made here, per run) ----------------------
r0_want=$(expect_prog "$(python3 -c "import sys; print(open(sys.argv[1], 'rb').read().hex())" "$out/mem40.bin")" | tail -n1)
if openssl genpkey -algorithm ed25519 -out "$out/key.pem" 2>"$out/openssl.log" &&
   openssl pkey -in "$out/key.pem" -pubout -out "$out/pub.pem" 2>>"$out/openssl.log" &&
   openssl genpkey -algorithm ed25519 -out "$out/other.pem" 2>>"$out/openssl.log"; then
    kid=$("$sign" --key-id "$out/pub.pem" | sed -n 's/^key id: //p')
    "$femtoc" "$out/prog.o" -march=thumbv7m,rv32imac,lx106 --sign "$out/key.pem" -o "$out/signed.fcx" 2>"$out/femtoc.log"
    check "femtoc --sign writes a signed container" $? "$(cat "$out/femtoc.log")"
    "$sign" "$out/key.pem" "$out/prog-thumbv7m+rv32imac+lx106.fcx" -o "$out/signed2.fcx" >/dev/null
    cmp -s "$out/signed.fcx" "$out/signed2.fcx"
    check "femto-sign gives the same bytes as femtoc --sign (deterministic Ed25519)" $?
    "$sign" "$out/other.pem" "$out/signed.fcx" -o "$out/other.fcx" >/dev/null
    check "femto-sign re-signs with another key" $?
    # standard tooling agrees: the COSE Sig_structure rebuilt in python, checked by openssl pkeyutl
    python3 - "$out/signed.fcx" "$out/sig-msg.bin" "$out/sig.bin" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
img = struct.unpack_from('<I', b, 0x0c)[0]
body = b[img + 8:img + 8 + 84]
def bstr(x):
    n = len(x)
    h = bytes([0x40 | n]) if n < 24 else bytes([0x58, n]) if n < 256 else \
        b'\x59' + n.to_bytes(2, 'big') if n < 65536 else b'\x5a' + n.to_bytes(4, 'big')
    return h + x
assert body[:3] == bytes([0xd2, 0x84, 0x4d]) and body[16:20] == bytes([0xa0, 0xf6, 0x58, 0x40])
msg = b'\x84' + b'\x6aSignature1' + bstr(body[3:16]) + bstr(b'') + bstr(b[:img])
open(sys.argv[2], 'wb').write(msg)
open(sys.argv[3], 'wb').write(body[20:84])
PY
    got=$(openssl pkeyutl -verify -pubin -inkey "$out/pub.pem" -rawin -in "$out/sig-msg.bin" -sigfile "$out/sig.bin" 2>&1)
    check "the signature verifies with openssl pkeyutl over the COSE Sig_structure" $? "$got"
    got=$("$objdump" "$out/signed.fcx" 2>&1)
    grep -q "signature: Ed25519 (COSE_Sign1, alg EdDSA), key id $kid" <<<"$got" && grep -q "verdict: valid" <<<"$got"
    check "femto-objdump shows the signature and its key id ($kid)" $? "$got"
    got=$("$objdump" "$out/prog-thumbv7m.fcx" 2>&1)
    grep -q "signature: none (unsigned)" <<<"$got"
    check "femto-objdump says when a container is unsigned" $? "$got"
    # one byte of native code changed, hash recomputed: only the signature can tell
    python3 - "$out/signed.fcx" "$out/tampered.fcx" <<'PY'
import hashlib, struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
img = struct.unpack_from('<I', b, 0x0c)[0]
n = struct.unpack_from('<H', b, 0x12)[0]
for i in range(n):
    t, _, tgt, _, _, off, size = struct.unpack_from('<HHBBHII', b, 0x50 + 24 * i)
    if t == 16:                      # the first CODE section
        b[off + size // 2] ^= 0x01
        break
b[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(bytes(b[:img])).digest()
open(sys.argv[2], 'wb').write(b)
PY
    for core in thumbv7m rv32imac lx106; do
        got=$("$run" "$out/signed.fcx" --core $core --trust "$out/pub.pem" --mem "$out/mem40.bin" --stats 2>&1); rc=$?
        [ $rc = 0 ] && grep -q "^engine: $core native code" <<<"$got" &&
            grep -q "^signature: signed by a trusted key" <<<"$got" && [ "$(tail -n1 <<<"$got")" = "$r0_want" ]
        check "--trust, signed by the key, $core: native code runs" $? "exit $rc:" "$got"
        got=$("$run" "$out/signed.fcx" --core $core --trust "$out/pub.pem" --require-signature --mem "$out/mem40.bin" --stats 2>&1); rc=$?
        [ $rc = 0 ] && grep -q "^engine: $core native code" <<<"$got" && [ "$(tail -n1 <<<"$got")" = "$r0_want" ]
        check "--require-signature, signed by the key, $core: native code runs" $? "exit $rc:" "$got"
    done
    for c in "prog-thumbv7m.fcx:unsigned" "other.fcx:signed by an untrusted key" "tampered.fcx:signed, but its signature does not verify"; do
        f=${c%%:*}; why=${c#*:}
        got=$("$run" "$out/$f" --core thumbv7m --trust "$out/pub.pem" --mem "$out/mem40.bin" --stats 2>&1); rc=$?
        [ $rc = 0 ] && grep -q "note: thumbv7m native code not installed: the container is $why; its bytecode runs in the interpreter" <<<"$got" &&
            grep -q "^engine: interpreter (thumbv7m code not trusted)" <<<"$got" && [ "$(tail -n1 <<<"$got")" = "$r0_want" ]
        check "--trust, $f ($why): bytecode only, same r0" $? "exit $rc:" "$got"
        errcase "--trust --require-signature: $f ($why) refused" "the loader refused the container for thumbv7m: .*(signature|trust)" \
            "$out/$f" --core thumbv7m --trust "$out/pub.pem" --require-signature --mem "$out/mem40.bin"
        errcase "--trust --engine native: $f ($why) refused" "native code needs a signature by a trusted key|does not verify" \
            "$out/$f" --core thumbv7m --trust "$out/pub.pem" --engine native --mem "$out/mem40.bin"
        got=$("$run" "$out/$f" --core thumbv7m --mem "$out/mem40.bin" --stats 2>&1); rc=$?
        [ $rc = 0 ] && grep -q "^engine: thumbv7m native code" <<<"$got"
        check "no --trust (development policy): $f runs natively" $? "exit $rc:" "$got"
    done
    errcase "--require-signature without --trust" "needs the trusted keys" "$out/signed.fcx" --require-signature
    errcase "--trust with a file that is not a key" "error: --trust: .*not a PEM" "$out/signed.fcx" --trust "$out/mem40.bin"
    got=$("$sign" "$out/pub.pem" "$out/signed.fcx" -o "$out/x.fcx" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q "not a PEM private key" <<<"$got"
    check "femto-sign refuses a public key for signing" $? "exit $rc:" "$got"
    got=$("$sign" "$out/key.pem" "$out/mem40.bin" -o "$out/x.fcx" 2>&1); rc=$?
    [ $rc = 1 ] && grep -q "not a valid container" <<<"$got"
    check "femto-sign refuses what is not a container" $? "exit $rc:" "$got"
else
    bad "openssl genpkey -algorithm ed25519 (needed for the signature tests)" "$(cat "$out/openssl.log")"
fi

# ---- -h explains every option -------------------------------------------------------------
got=$("$run" -h); rc=$?
missing=""
for o in --mem --mem-hex --ctx-ro --trust --require-signature --stats --engine --core --budget --entry -h auto interp native thumbv7m rv32imac; do
    grep -q -- "$o" <<<"$got" || missing="$missing $o"
done
[ $rc = 0 ] && [ -z "$missing" ]
check "-h exits 0 and explains every option" $? "missing:$missing"

echo "femto-run: $pass passed, $fail failed"
[ $fail = 0 ]
