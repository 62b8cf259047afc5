#!/bin/sh
# Board tests of the device's own compiler (step board-jit): bytecode-only
# containers on the JIT firmware of mps2-an385 (build/board-jit, FC_POLICY_JIT)
# are verified and compiled on the board and run natively, with the results
# the interpreter gives (the ordinary firmware runs the same container in its
# interpreter); a container with Thumb-2 code made by femtoc installs as is;
# an out-of-bounds read in device-compiled code is reported at its
# instruction; a program the device's verifier refuses (femtoc --masked-shifts
# accepted it, the device verifies with femtoc's defaults) falls back to the
# interpreter with femtoc's message; the compile cost is printed (--icount).
# usage: run-board-jit-tests.sh DIR FEMTOC JIT_FIRMWARE FIRMWARE HELLO_O
dir=$1; femtoc=$2; jfw=$3; fw=$4; hello=$5
pass=0; fail=0
check() {
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
mkdir -p "$dir"
"$femtoc" "$hello" -march=ebpf -o "$dir/hello-ebpf.fcx" && "$femtoc" "$hello" -march=thumbv7m -o "$dir/hello.fcx"
check "femtoc makes the bytecode-only and the Thumb-2 container" $?
for msg in "femtoc runs eBPF on microcontrollers" "x" "" "an odd-length message, 37 bytes long"; do
    ref=$(python3 tools/femto-board --firmware "$fw" "$dir/hello-ebpf.fcx" --ctx-str "$msg" --runs 2 2>&1)
    want=$(echo "$ref" | sed -n 's/^board: run 1 (interpreter): r0 = \(0x[0-9a-f]*\)$/\1/p')
    out=$(python3 tools/femto-board --icount --firmware "$jfw" "$dir/hello-ebpf.fcx" --ctx-str "$msg" --runs 2 2>&1); rc=$?
    n=$(printf %s "$msg" | wc -c)
    [ -n "$want" ] && [ $rc = 0 ] && echo "$out" | grep -q "board: jit: verified and compiled 66 eBPF insns with thumbv7m" &&
        echo "$out" | grep -q "board: jit: compile [0-9]* instructions ([0-9]* per eBPF insn)" &&
        [ "$(echo "$out" | grep -c "run [12] (native): r0 = $want")" = 2 ] &&
        [ "$(echo "$out" | grep -c "hello from femtoc: $n bytes")" = 2 ]
    check "mps2-an385 JIT: bytecode-only hello '$msg' compiled on the board, native r0 = interpreter's ($want)" $?
    [ $? = 0 ] || echo "$ref$out" | sed 's/^/    /'
done
out=$(python3 tools/femto-board --firmware "$jfw" "$dir/hello.fcx" --ctx-str "abc" 2>&1); rc=$?
[ $rc = 0 ] && ! echo "$out" | grep -q "board: jit: verified" && echo "$out" | grep -q "run 1 (native)"
check "mps2-an385 JIT: femtoc's Thumb-2 container installs as is (development policy)" $?
[ $? = 0 ] || echo "$out" | sed 's/^/    /'
# out-of-bounds read in device-compiled code
printf 'mov %%r0, 0\nldxb %%r0, [%%r1+4096]\nexit\n' > "$dir/oob.s"
"$femtoc" "$dir/oob.s" -march=ebpf -o "$dir/oob.fcx" 2>/dev/null
out=$(python3 tools/femto-board --firmware "$jfw" "$dir/oob.fcx" --ctx-str "abc" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "board: jit: verified and compiled" &&
    echo "$out" | grep -q "error .*memory read.* at eBPF instruction 1"
check "mps2-an385 JIT: out-of-bounds read in device-compiled code reported at instruction 1" $?
[ $? = 0 ] || echo "$out" | sed 's/^/    /'
# refused by the device's verifier: the interpreter runs it, femtoc's message
printf 'mov %%r0, 1\nlsh32 %%r0, 33\nexit\n' > "$dir/shift.s"
"$femtoc" "$dir/shift.s" --masked-shifts -march=ebpf -o "$dir/shift.fcx" 2>/dev/null
fmsg=$("$femtoc" "$dir/shift.s" -march=ebpf -o "$dir/shift-x.fcx" 2>&1 | sed -n 's/.*error: //p' | head -1 | sed 's/ ([^()]*)$//')
out=$(python3 tools/femto-board --firmware "$jfw" "$dir/shift.fcx" 2>&1); rc=$?
[ -n "$fmsg" ] && [ $rc = 0 ] && echo "$out" | grep -q "run 1 (interpreter)" &&
    echo "$out" | grep -F "board: jit: refused at eBPF instruction 1: $fmsg" | grep -q "installing its bytecode"
check "mps2-an385 JIT: a program the device's verifier refuses runs in the interpreter, femtoc's message ($fmsg)" $?
[ $? = 0 ] || echo "$out" | sed 's/^/    /'
echo "board-jit: $pass passed, $fail failed"
[ $fail = 0 ]
