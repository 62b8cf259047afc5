#!/bin/bash
# tests/ux/ux-test.sh BIN CLANG OUTDIR [MPS2_ELF SIFIVE_ELF]
#
# The developer-facing side of the tools: femtoc -g writes the line table
# (an optional section the loader skips and the signature covers), and a
# fault is named by its C line in femto-run (every engine), femto-objdump
# (--insn, --pc through the pc map) and femto-board; femtoc -S for native
# targets and after a failed verification; --stats; --budget; -o -; several
# -march; --version; femto-objdump -d/-h; the --ctx names of femto-run.
# Expected lines come from the C source (grep), expected sizes from the
# section table (python, docs/fcx.md "Installed slot"), never from a
# previous run.
bin=$1; clang=$2; out=$3; mps2=$4; sifive=$5
femtoc=$bin/femtoc; run=$bin/femto-run; objdump=$bin/femto-objdump; sign=$bin/femto-sign
board=$bin/femto-board
src=tests/run
mkdir -p "$out"
pass=0; fail=0
ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/    /'; done; }
check() { local n=$1 c=$2; shift 2; if [ "$c" = 0 ]; then ok "$n"; else bad "$n" "$@"; fi; }

if ! "$clang" -target bpf -O2 -g -ffreestanding -Iruntime -c "$src/prog.c" -o "$out/prog.o" 2>"$out/clang.log"; then
    bad "clang -target bpf builds tests/run/prog.c" "$(cat "$out/clang.log")"
    echo "toolchain-ux: $pass passed, $fail failed"; exit 1
fi
# the C line of the out-of-bounds read prog.c makes for a first byte 0xee
line=$(grep -n 'return m\[len + 1000\];' "$src/prog.c" | cut -d: -f1)
[ -n "$line" ]
check "the faulting line is found in tests/run/prog.c (line $line)" $?

# ---- femtoc -g: the line table ----------------------------------------------------
"$femtoc" "$out/prog.o" -g -march=thumbv7m,rv32imac -o "$out/g.fcx" 2>"$out/g.log"
check "femtoc -g -march=thumbv7m,rv32imac" $? "$(cat "$out/g.log")"
"$femtoc" "$out/prog.o" -march=thumbv7m,rv32imac -o "$out/nog.fcx" 2>"$out/nog.log"
check "femtoc without -g" $? "$(cat "$out/nog.log")"
got=$("$objdump" "$out/g.fcx"); rc=$?
[ $rc = 0 ] && grep -Eq '^ +[0-9]+ lines .* optional$' <<<"$got" && grep -q 'verdict: valid' <<<"$got"
check "-g: an optional 'lines' section, and the loader's verdict is valid" $? "exit $rc" "$got"
got=$("$objdump" "$out/nog.fcx")
! grep -q ' lines ' <<<"$got"
check "without -g: no line table" $?
got=$("$femtoc" "$out/prog.o" -g -march=thumbv7m --ctx-size 0 -o "$out/x.fcx" 2>&1; \
      printf 'mov %%r0, 0\nexit\n' > "$out/ret0.s"; "$femtoc" "$out/ret0.s" -g -o "$out/ret0.fcx" 2>&1)
grep -q "no line info" <<<"$got"
check "-g on an input without line info warns" $? "$got"

# ---- a fault names its C line, in every engine ------------------------------------------
for e in "--core thumbv7m" "--core rv32imac" "--engine interp"; do
    got=$("$run" "$out/g.fcx" $e --ctx-hex "ee 01 02" 2>&1 >/dev/null); rc=$?
    [ $rc = 1 ] && grep -Eq "^tests/run/prog.c:$line: error: memory read out of bounds .*\(insn [0-9]+: ldx" <<<"$got"
    check "femto-run $e: the fault names prog.c:$line" $? "exit $rc" "$got"
done
got=$("$run" "$out/nog.fcx" --ctx-hex "ee 01 02" 2>&1 >/dev/null)
grep -Eq "nog.fcx: insn [0-9]+: error: memory read out of bounds" <<<"$got" && ! grep -q "prog.c" <<<"$got"
check "without -g the fault names the instruction only" $? "$got"
insn=$(sed -n 's/.*(insn \([0-9]*\): .*/\1/p' <<<"$("$run" "$out/g.fcx" --ctx-hex "ee 01 02" 2>&1 >/dev/null)")

# ---- femto-objdump: --insn, --pc, --line, -d, -h ---------------------------------------
got=$("$objdump" --insn "$insn" "$out/g.fcx"); rc=$?
[ $rc = 0 ] && grep -Eq "^insn $insn: tests/run/prog.c:$line:[0-9]+$" <<<"$got"
check "femto-objdump --insn $insn: prog.c:$line" $? "exit $rc" "$got"
got=$("$objdump" --insn "$insn" "$out/nog.fcx"); rc=$?
[ $rc = 1 ] && grep -q "femtoc -g" <<<"$got"
check "femto-objdump --insn without a line table says how to get one" $? "exit $rc" "$got"
dump=$("$objdump" --line "$out/g.fcx"); printf '%s\n' "$dump" > "$out/g.dump"
for t in thumbv7m rv32imac; do
    # the native offsets the pc map gives the faulting instruction, from the dump
    offs=$(python3 - "$t" "$insn" "$out/g.dump" <<'PY'
import re, sys
t, insn = sys.argv[1], sys.argv[2]
cur = None; code = {}; offs = []
for l in open(sys.argv[3]):
    m = re.match(r" +(\d+) (\S+) +(\S+) +(\d+) ", l)
    if m:
        cur = (m.group(2), m.group(3), int(m.group(1)), int(m.group(4)))
        if cur[0] == "code": code[cur[2]] = cur[1]
        continue
    m = re.match(r" +\+0x([0-9a-f]+) -> insn (\d+)", l)
    if m and cur and cur[0] == "pcmap" and code.get(cur[3]) == t and m.group(2) == insn:
        offs.append(int(m.group(1), 16))
print(" ".join("0x%x" % (o + d) for o in offs for d in (0, 2)))
PY
)
    [ -n "$offs" ]
    check "$t: the pc map gives insn $insn native code" $? "$dump"
    res=1
    for o in $offs; do
        got=$("$objdump" --pc "$t:$o" "$out/g.fcx"); rc=$?
        [ $rc = 0 ] && grep -Eq "^$t\+$o: insn $insn: tests/run/prog.c:$line:" <<<"$got" && res=0 || { res=1; break; }
    done
    [ $res = 0 ]
    check "femto-objdump --pc $t:OFF (offsets $offs): insn $insn, prog.c:$line" $? "exit $rc" "$got"
done
grep -q "4294967295" <<<"$dump"; [ $? = 1 ] && grep -q -- "-> -  (no instruction" <<<"$dump"
check "pc map: '-' for code made for no instruction, never 4294967295" $?
grep -Eq "^ +insn [0-9]+: tests/run/prog.c:[0-9]+:[0-9]+$" <<<"$dump" && \
  grep -Eq "\+0x[0-9a-f]+ -> insn $insn  tests/run/prog.c:$line$" <<<"$dump"
check "--line: the records, and file:line beside the pc map" $?
got=$("$objdump" -d "$out/g.fcx")
grep -Eq "^ +; insn $insn: ldx" <<<"$got" && grep -Eq "^ +[0-9a-f]{6}: [0-9a-f]{4}.*(ldr|ldrb)" <<<"$got" && \
  grep -Eq "^ +[0-9a-f]{6}: [0-9a-f]{4}.*(lbu|addi)" <<<"$got"
check "femto-objdump -d disassembles the Thumb-2 and RV32 code under each eBPF instruction" $?
got=$("$objdump" -h); rc=$?
missing=""
for o in -d -x --line --pc --insn --version -h; do grep -q -- "$o" <<<"$got" || missing="$missing $o"; done
[ $rc = 0 ] && [ -z "$missing" ]
check "femto-objdump -h exits 0 and explains every option" $? "missing:$missing"
"$objdump" --bogus "$out/g.fcx" >/dev/null 2>&1; [ $? = 2 ]
check "femto-objdump: an unknown option is a usage error (exit 2)" $?

# ---- the signature covers the line table ---------------------------------------------------
if openssl genpkey -algorithm ed25519 -out "$out/key.pem" 2>/dev/null &&
   openssl pkey -in "$out/key.pem" -pubout -out "$out/pub.pem" 2>/dev/null; then
    "$femtoc" "$out/prog.o" -g -march=thumbv7m --sign "$out/key.pem" -o "$out/gs.fcx"
    got=$("$run" --trust "$out/pub.pem" --require-signature "$out/gs.fcx" --ctx-hex "ee" 2>&1); rc=$?
    grep -q "prog.c:$line" <<<"$got"
    check "a signed -g container runs under --require-signature, fault at prog.c:$line" $? "$got"
    # change one byte of a file name in the line table, recompute the hash: the
    # container is valid, but its signature no longer is
    python3 - "$out/gs.fcx" "$out/gs-edit.fcx" <<'PY'
import hashlib, struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
n, so = struct.unpack_from("<HI", b, 0x12)
for i in range(n):
    t, fl, tg, r, l, off, size = struct.unpack_from("<HHBBHII", b, so + 24 * i)
    if t == 32:
        b[off + size - 2] ^= 0x01          # the last byte of the last file name
img = struct.unpack_from("<I", b, 0x0c)[0]
c = bytearray(b[:img]); c[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(c).digest()
open(sys.argv[2], "wb").write(b)
PY
    got=$("$objdump" "$out/gs-edit.fcx"); grep -q "verdict: valid" <<<"$got"
    check "the edited container is valid on its own (hash recomputed)" $? "$got"
    got=$("$run" --trust "$out/pub.pem" --require-signature "$out/gs-edit.fcx" 2>&1); rc=$?
    [ $rc = 1 ] && grep -qi "signature" <<<"$got"
    check "a changed line table breaks the signature (refused under --require-signature)" $? "exit $rc" "$got"
else
    bad "openssl genpkey -algorithm ed25519 (needed for the signature test)"
fi

# ---- femtoc -S -------------------------------------------------------------------------------
got=$("$femtoc" "$out/prog.o" -march=thumbv7m -S); rc=$?
[ $rc = 0 ] && grep -Eq "^ +$insn: ldx.*# \[check [a-z]+\] tests/run/prog.c:$line$" <<<"$got" && \
  grep -Eq "^ +[0-9a-f]{6}: [0-9a-f]{4} " <<<"$got" && ! grep -Eq "^ +00[0-9a-f]{2}: " <<<"$got"
check "-S -march=thumbv7m: decimal indices, [check ...] notes, C lines, native code" $? "$(head -40 <<<"$got")"
printf 'mov %%r0, 1\nadd %%r0, %%r3\nexit\n' > "$out/bad.s"
got=$("$femtoc" "$out/bad.s" -S 2>/dev/null); rc=$?
[ $rc = 1 ] && grep -Eq "^ +1: add %r0, %r3 +# <-- error: r3 read before it is written" <<<"$got"
check "-S after a failed verification: the listing, the failing instruction marked" $? "exit $rc" "$got"

# ---- femtoc --stats: sizes checked against the section table --------------------------------
got=$("$femtoc" "$out/prog.o" -march=thumbv7m,rv32imac --stats -o "$out/st.fcx"); rc=$?
want=$("$objdump" "$out/st.fcx" | python3 -c '
import re, sys
secs = []
for l in sys.stdin:
    m = re.match(r" +(\d+) (\S+) +(\S+) +(\d+) 0x([0-9a-f]+) 0x([0-9a-f]+)", l)
    if m: secs.append((m.group(2), m.group(3), int(m.group(4)), int(m.group(6), 16), int(m.group(1))))
size = {s[0]: s[3] for s in secs if s[0] != "code" and s[0] != "pcmap" and s[0] != "code-entries"}
al = lambda n: (n + 7) & ~7
for t in ("thumbv7m", "rv32imac"):
    ci = [s for s in secs if s[0] == "code" and s[1] == t][0]
    pm = [s for s in secs if s[0] == "pcmap" and s[2] == ci[4]][0]
    # record, code, rodata, data, bytecode, helpers, entries (32 bytes each), pcmap
    n = 192
    for part in (ci[3], size.get("rodata", 0), size.get("data", 0), size["bytecode"],
                 size.get("helpers", 0), size["entries"], pm[3]):
        n = al(n + part)
    print("%s: %u bytes of code, flash slot %u bytes" % (t, ci[3], n))
')
ok1=0
while read -r w; do grep -qF "$w" <<<"$got" || ok1=1; done <<<"$want"
[ $rc = 0 ] && [ -n "$want" ] && [ $ok1 = 0 ] && grep -q "512 bytes per call (1 stack frame of 512 bytes" <<<"$got"
check "--stats: code bytes and flash slot bytes per target as the section table gives them" $? "want:" "$want" "got:" "$got"

# ---- femto-run --stats: the fixed per-call cost ---------------------------------------------
for c in thumbv7m rv32imac interp; do
    got=$("$run" "$out/st.fcx" $( [ $c = interp ] && echo --engine || echo --core ) $c --ctx-str hello --stats); rc=$?
    n=$(sed -n 's/^instructions: \([0-9]*\)$/\1/p' <<<"$got")
    f=$(sed -n 's/^fixed cost: \([0-9]*\) \(eBPF \)*instructions per call.*measured.*/\1/p' <<<"$got")
    [ $rc = 0 ] && [ -n "$f" ] && [ "$f" -gt 0 ] && [ "$f" -lt "$n" ] && \
      [ "$(tail -1 <<<"$got")" = "$(python3 tests/ux/expect.py 68656c6c6f)" ]
    check "femto-run --stats $c: fixed cost $f of $n instructions, r0 still last" $? "$got"
    # the fixed cost is the empty program through femtoc's own compile path: femtoc's
    # container of `mov r0, 0; exit` must cost exactly that on the same engine
    "$femtoc" "$out/ret0.s" -march=thumbv7m,rv32imac -o "$out/ret0n.fcx" 2>/dev/null
    g0=$("$run" "$out/ret0n.fcx" $( [ $c = interp ] && echo --engine || echo --core ) $c --stats)
    n0=$(sed -n 's/^instructions: \([0-9]*\)$/\1/p' <<<"$g0")
    [ -n "$f" ] && [ "$n0" = "$f" ]
    check "femto-run --stats $c: femtoc's empty container runs in exactly the fixed cost ($n0 = $f)" $? "$g0"
done

# ---- --budget, -o -, several -march, --ctx names, --version -------------------------------------
printf 'mov %%r0, 0\nadd %%r0, 1\njlt %%r0, 100, -2\nexit\n' > "$out/loop.s"
"$femtoc" "$out/loop.s" --budget 50 -o "$out/loop50.fcx" && "$femtoc" "$out/loop.s" -o "$out/loop.fcx"
got=$("$objdump" "$out/loop50.fcx" | grep budget)
grep -q "budget: 50$" <<<"$got"
check "femtoc --budget 50 is in the header" $? "$got"
got=$("$run" "$out/loop50.fcx" 2>&1); rc=$?
r2=$("$run" "$out/loop.fcx" 2>&1)
[ $rc = 1 ] && grep -q "budget" <<<"$got" && [ "$r2" = 0x64 ]
check "the recorded budget stops a 99-jump loop; the default lets it finish" $? "$got" "$r2"
"$femtoc" "$out/loop.s" --budget 0 -o "$out/x.fcx" 2>/dev/null; [ $? = 1 ]
check "--budget 0 is refused" $?
"$femtoc" "$out/prog.o" -march=thumbv7m -o - > "$out/stdout.fcx" && "$femtoc" "$out/prog.o" -march=thumbv7m -o "$out/file.fcx" && \
  cmp -s "$out/stdout.fcx" "$out/file.fcx" && [ ! -e ./- ]
check "-o - writes the container to standard output" $?
"$femtoc" "$out/prog.o" -march=thumbv7m --stats -o - 2>"$out/stats.err" | cmp -s - "$out/file.fcx" && grep -q "flash slot" "$out/stats.err"
check "-o - with --stats: the container alone on stdout, the figures on stderr" $?
"$femtoc" "$out/prog.o" -march=thumbv7m -march=rv32imac -o "$out/m2.fcx" && \
  "$femtoc" "$out/prog.o" -march=thumbv7m,rv32imac -o "$out/m1.fcx" && cmp -s "$out/m1.fcx" "$out/m2.fcx"
check "two -march options add up" $?
"$femtoc" "$out/prog.o" -march=thumbv7m -march=thumbv7m -o "$out/x.fcx" 2>/dev/null; [ $? = 1 ]
check "the same core twice is refused" $?
a=$("$run" "$out/st.fcx" --ctx-str "hi!" 2>&1); b=$("$run" "$out/st.fcx" --ctx-hex "686921" 2>&1)
c=$("$run" "$out/st.fcx" --mem-hex "686921" 2>&1); printf 'hi!' > "$out/hi.bin"; d=$("$run" "$out/st.fcx" --ctx "$out/hi.bin" 2>&1)
[ "$a" = "$(python3 tests/ux/expect.py 686921 full)" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$d" ]
check "femto-run --ctx-str / --ctx-hex / --ctx, and the --mem-hex alias, agree" $? "$a" "$b" "$c" "$d"
for t in "$femtoc" "$run" "$objdump" "$board" "$bin/femto-as" "$sign" "$bin/femto-conformance-plugin"; do
    got=$("$t" --version 2>&1); rc=$?
    [ $rc = 0 ] && grep -q "0\.14" <<<"$got" || break
done
check "--version in femtoc, femto-run, femto-objdump, femto-board, femto-as, femto-sign, the plugin" $? "$t: $got"
got=$("$femtoc" -h)
missing=""
for o in -g --budget -ffreestanding --version "-o -"; do grep -q -- "$o" <<<"$got" || missing="$missing $o"; done
[ -z "$missing" ]
check "femtoc -h explains the new options" $? "missing:$missing"

# ---- warnings: a constant address, past --ctx-size, a pointer leaked ----------------------------
for c in tests/ux/warn/*.c; do
    n=$(basename "$c" .c)
    want=$(sed -n 's|^/\* expect: \(.*\) \*/$|\1|p' "$c")
    "$clang" -target bpf -O2 -g -ffreestanding -Iruntime -c "$c" -o "$out/w-$n.o" 2>"$out/w-$n.log" || \
        { bad "clang $c" "$(cat "$out/w-$n.log")"; continue; }
    got=$("$femtoc" "$out/w-$n.o" --ctx-size 16 -o "$out/w-$n.fcx" 2>&1); rc=$?
    if [ "$want" = nothing ]; then
        [ $rc = 0 ] && [ -z "$got" ]
    else
        [ $rc = 0 ] && grep -qF "warning: $want" <<<"$got" && grep -q "^tests/ux/warn/$n.c:[0-9]*: warning" <<<"$got" && \
          ! "$femtoc" "$out/w-$n.o" --ctx-size 16 -Werror -o "$out/w-$n.fcx" 2>/dev/null && \
          [ -z "$("$femtoc" "$out/w-$n.o" --ctx-size 16 -w -o "$out/w-$n.fcx" 2>&1)" ]
    fi
    check "warning $n: ${want}" $? "exit $rc" "$got"
done

# ---- several entry points (hooks) in one container ----------------------------------------------
# tests/ux/entries/hooks.c: four C entries (two share a function); three.s: three assembly
# entries. Expected r0 values come from the sources' comments (worked out by hand).
"$clang" -target bpf -O2 -g -ffreestanding -Iruntime -c tests/ux/entries/hooks.c -o "$out/hooks.o" 2>"$out/hooks.log"
check "clang builds tests/ux/entries/hooks.c" $? "$(cat "$out/hooks.log")"
"$femtoc" "$out/hooks.o" -g --entry on_sum,on_len -e on_twice --entry=on_fault -march=thumbv7m,rv32imac \
    -o "$out/hooks.fcx" 2>"$out/hooks.log"
check "femtoc --entry on_sum,on_len -e on_twice --entry=on_fault: one container" $? "$(cat "$out/hooks.log")"
got=$("$objdump" "$out/hooks.fcx")
ok1=0
for k in 0 1 2 3; do
    n=$(sed -n "s/.*expect \([a-z_]*\): .*/\1/p" tests/ux/entries/hooks.c | sed -n "$((k + 1))p")
    [ $k = 3 ] && n=on_fault
    grep -Eq "^ +entry $k: $n +insn [0-9]+( |$)" <<<"$got" || ok1=1
done
[ "$(grep -c '^ *entry 3 at +0x' <<<"$got")" = 2 ] && grep -q 'verdict: valid' <<<"$got" && [ $ok1 = 0 ]
check "femto-objdump lists the four entries, in order, with native code for both targets" $? "$got"
seen=""
while read -r name want; do
    for e in "--engine interp" "--core thumbv7m" "--core rv32imac"; do
        got=$("$run" "$out/hooks.fcx" $e --entry "$name" --ctx-hex "01 02 03" 2>&1); rc=$?
        [ $rc = 0 ] && [ "$got" = "$want" ]
        check "hooks.c entry $name, $e: r0 $want" $? "exit $rc" "$got"
    done
    seen="$seen $want"
done < <(sed -n 's/.*expect \([a-z_]*\): \(0x[0-9a-f]*\) .*/\1 \2/p' tests/ux/entries/hooks.c)
[ "$(tr ' ' '\n' <<<"$seen" | grep -c .)" = 3 ] && [ "$(tr ' ' '\n' <<<"$seen" | grep . | sort -u | wc -l)" = 3 ]
check "the three entries give three different results:$seen" $?
fline=$(grep -n 'the faulting line' tests/ux/entries/hooks.c | cut -d: -f1)
for e in "--engine interp" "--core thumbv7m" "--core rv32imac"; do
    got=$("$run" "$out/hooks.fcx" $e --entry on_fault --ctx-hex "01 02 03" 2>&1); rc=$?
    [ $rc = 1 ] && grep -Eq "^tests/ux/entries/hooks.c:$fline: error: helper fault: helper fetch_local refused the memory at 0x[0-9a-f]+ .*helper number 0x12\) \(insn [0-9]+: call 0x12\)$" <<<"$got"
    check "femto-run $e --entry on_fault: the helper fault names fetch_local (0x12) and hooks.c:$fline" $? "exit $rc" "$got"
done
got=$("$run" "$out/hooks.fcx" --entry sum 2>&1); rc=$?
[ $rc = 1 ] && grep -q "no entry 'sum'; the container has: on_sum on_len on_twice on_fault" <<<"$got"
check "femto-run --entry of a non-entry lists the entries" $? "$got"
"$femtoc" tests/ux/entries/three.s --entry a=0,b=4 --entry c=6 -march=thumbv7m,rv32imac -o "$out/three.fcx" 2>"$out/three.log"
check "femtoc three.s --entry a=0,b=4 --entry c=6" $? "$(cat "$out/three.log")"
while read -r name want; do
    for e in "--engine interp" "--core thumbv7m" "--core rv32imac"; do
        got=$("$run" "$out/three.fcx" $e --entry "$name" --ctx-hex "01 02 03" 2>&1); rc=$?
        [ $rc = 0 ] && [ "$got" = "$want" ]
        check "three.s entry $name, $e: r0 $want" $? "exit $rc" "$got"
    done
done < <(sed -n 's/^#   entry \([a-z]*\)=[0-9]* expect \(0x[0-9a-f]*\) .*/\1 \2/p' tests/ux/entries/three.s)
# two entries, named in the other order: entry 0 (the default) is b
"$femtoc" tests/ux/entries/three.s -e b=4 -e a=0 -march=thumbv7m,rv32imac -o "$out/two.fcx" 2>"$out/two.log"
check "femtoc three.s -e b=4 -e a=0: two entries" $? "$(cat "$out/two.log")"
wa=$(sed -n 's/^#   entry a=[0-9]* expect \(0x[0-9a-f]*\) .*/\1/p' tests/ux/entries/three.s)
wb=$(sed -n 's/^#   entry b=[0-9]* expect \(0x[0-9a-f]*\) .*/\1/p' tests/ux/entries/three.s)
for e in "--engine interp" "--core thumbv7m" "--core rv32imac"; do
    ga=$("$run" "$out/two.fcx" $e --entry a --ctx-hex "01 02 03" 2>&1); gb=$("$run" "$out/two.fcx" $e --ctx-hex "01 02 03" 2>&1)
    [ -n "$wa" ] && [ "$ga" = "$wa" ] && [ "$gb" = "$wb" ] && [ "$wa" != "$wb" ]
    check "two entries, $e: --entry a gives $wa, the default (entry 0, b) $wb" $? "$ga" "$gb"
done
# a container whose entry table names the same instruction twice (rehashed: only the table is wrong)
python3 - "$out/three.fcx" "$out/bad-entries.fcx" <<'EOF'
import hashlib, struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
nsect, toff = struct.unpack_from("<HI", b, 0x12)
for i in range(nsect):
    typ, _f, _t, _r, _l, off, size = struct.unpack_from("<HHBBHII", b, toff + 24 * i)
    if typ == 2:                                    # ENTRIES: entry 1 now starts where entry 2 does
        struct.pack_into("<I", b, off + 32 + 24, struct.unpack_from("<I", b, off + 64 + 24)[0])
img = struct.unpack_from("<I", b, 0x0c)[0]
z = bytearray(b[:img]); z[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(z).digest()
open(sys.argv[2], "wb").write(b)
EOF
got=$("$objdump" "$out/bad-entries.fcx"); rc=$?
g2=$("$run" "$out/bad-entries.fcx" --entry a 2>&1); rc2=$?
[ $rc = 1 ] && grep -q "two entries start at the same instruction" <<<"$got" && grep -q "sha256: .* (ok)" <<<"$got" && \
  [ $rc2 != 0 ] && grep -q "two entries start at the same instruction" <<<"$g2"
check "a container with a bad entry table (hash fixed) is refused by the loader" $? "exit $rc/$rc2" "$got" "$g2"
got=$("$femtoc" -h)
grep -q -- "-e NAME, --entry NAME\[,NAME...\]" <<<"$got" && grep -q "NAME=INDEX" <<<"$got"
check "femtoc -h explains several entry points" $? "$got"

# ---- femto-board ---------------------------------------------------------------------------------
if [ -f "$mps2" ] && [ -f "$sifive" ]; then
    for bf in "mps2-an385 $mps2" "sifive_e $sifive"; do
        set -- $bf
        "$board" --board $1 --firmware $2 "$out/g.fcx" --ctx-hex "ee 01 02" >"$out/b.out" 2>"$out/b.err"; rc=$?
        [ $rc = 1 ] && grep -Eq "^board: run 1: error 1 \(memory read out of bounds\) at eBPF instruction $insn, address 0x[0-9a-f]{16} \(tests/run/prog.c:$line\)$" "$out/b.err" && \
          grep -Eq "^tests/run/prog.c:$line: error: memory read out of bounds \(address 0x[0-9a-f]+\) \(insn $insn: ldx" "$out/b.err" && \
          [ "$(cat "$out/b.out")" = "femto-run: 3 bytes, sum 246" ] && ! grep -q "^board:" "$out/b.out"
        check "femto-board $1: program output on stdout, the fault with prog.c:$line on stderr" $? "exit $rc" "$(cat "$out/b.out")" "$(cat "$out/b.err")"
        "$board" --board $1 --firmware $2 "$out/st.fcx" --runs 0 >/dev/null 2>&1; [ $? != 0 ]
        check "femto-board $1: --runs 0 is refused" $?
        slot=$(sed -n "s/.*$( [ $1 = sifive_e ] && echo rv32imac || echo thumbv7m ): [0-9]* bytes of code, flash slot \([0-9]*\) bytes.*/\1/p" <<<"$("$femtoc" "$out/prog.o" -march=thumbv7m,rv32imac --stats -o "$out/x.fcx")")
        got=$("$board" --board $1 --firmware $2 "$out/st.fcx" --ctx-str hi --stats 2>&1 >/dev/null); rc=$?
        [ $rc = 0 ] && [ -n "$slot" ] && grep -q "flash slot $slot bytes" <<<"$got"
        check "femto-board $1 --stats: the slot bytes femtoc --stats predicted ($slot)" $? "$got"
        env=$(sed -n 's/.*run template with the \([0-9]*\)-byte native env.*/\1/p' <<<"$("$femtoc" "$out/prog.o" -march=thumbv7m --stats -o "$out/x.fcx")" | head -1)
        [ -n "$env" ] && grep -q "run template in the instance RAM holds a $env-byte native env" <<<"$got"
        check "femto-board $1 --stats: the native env size the board's runtime reports ($env, femtoc --stats says the same)" $? "$got"
        while read -r name want; do
            "$board" --board $1 --firmware $2 "$out/hooks.fcx" --entry "$name" --ctx-hex "01 02 03" >"$out/b.out" 2>"$out/b.err"; rc=$?
            [ $rc = 0 ] && grep -q "^board: run 1 (native): r0 = 0x$(printf '%016x' "$want")$" "$out/b.err"
            check "femto-board $1 --entry $name: r0 $want" $? "exit $rc" "$(cat "$out/b.err")"
        done < <(sed -n 's/.*expect \([a-z_]*\): \(0x[0-9a-f]*\) .*/\1 \2/p' tests/ux/entries/hooks.c)
        "$board" --board $1 --firmware $2 "$out/hooks.fcx" --entry on_fault --ctx-hex "01 02 03" >"$out/b.out" 2>"$out/b.err"; rc=$?
        [ $rc = 1 ] && grep -Eq "^board: run 1: error 8 \(helper fault\) at eBPF instruction [0-9]+, address 0x[0-9a-f]{16} \(tests/ux/entries/hooks.c:$fline\)$" "$out/b.err" && \
          grep -Eq "^tests/ux/entries/hooks.c:$fline: error: helper fault: helper fetch_local refused the memory at 0x[0-9a-f]+ .*helper number 0x12\) \(insn [0-9]+: call 0x12\)$" "$out/b.err"
        check "femto-board $1 --entry on_fault: the helper's name and number, the instruction and hooks.c:$fline (as femto-run)" $? "exit $rc" "$(cat "$out/b.err")"
        "$board" --board $1 --firmware $2 "$out/hooks.fcx" --entry nosuch >/dev/null 2>"$out/b.err"; rc=$?
        [ $rc != 0 ] && grep -q "no entry 'nosuch'; the container has: on_sum on_len on_twice on_fault" "$out/b.err"
        check "femto-board $1 --entry of an unknown name lists the entries" $? "exit $rc" "$(cat "$out/b.err")"
    done
else
    echo "toolchain-ux: femto-board cases not run: no firmware (make firmware)"
    bad "femto-board firmware present ($mps2, $sifive)"
fi

echo "toolchain-ux: $pass passed, $fail failed"
[ $fail = 0 ]
