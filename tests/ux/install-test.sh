#!/bin/bash
# tests/ux/install-test.sh PREFIX CLANG WORKDIR
#
# After `make install PREFIX=...`: everything a firmware developer needs comes
# from the prefix alone. For each board: compile the example firmware
# (share/femtoc/boards) with the cross compiler and `pkg-config --cflags
# --libs femtoc-runtime-CORE`, link it against the installed libfcrt.a, build
# a program with the installed femtoc_bpf.h and femtoc, run it with the
# installed femto-board on that firmware; r0 is checked against
# tests/ux/expect.py (python, from the C source's arithmetic).
prefix=$1; clang=$2; work=$3
pass=0; fail=0
ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/    /'; done; }
check() { local n=$1 c=$2; shift 2; if [ "$c" = 0 ]; then ok "$n"; else bad "$n" "$@"; fi; }
rm -rf "$work" && mkdir -p "$work"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig

missing=""
for f in bin/femtoc bin/femto-run bin/femto-objdump bin/femto-sign bin/femto-as bin/femto-board \
         include/femtoc/fc_loader.h include/femtoc/fc_helpers.h include/femtoc/femtoc_bpf.h \
         lib/femtoc/cm3/libfcrt.a lib/femtoc/rv32/libfcrt.a lib/femtoc/lx106/libfcrt.a \
         share/femtoc/boards/board_main.c share/femtoc/boards/mps2-an385/link.ld share/doc/femtoc/PORTING.md; do
    [ -e "$prefix/$f" ] || missing="$missing $f"
done
[ -z "$missing" ]
check "make install put the tools, headers, runtime per core, boards and docs in place" $? "missing:$missing"
for c in cm3 rv32 lx106; do
    got=$(pkg-config --cflags --libs femtoc-runtime-$c 2>&1)
    grep -q -- "-I$prefix/include/femtoc" <<<"$got" && grep -q -- "-L$prefix/lib/femtoc/$c" <<<"$got" && \
      grep -q -- "-lfcrt" <<<"$got"
    check "pkg-config femtoc-runtime-$c: $got" $?
done
nm "$prefix/lib/femtoc/lx106/libfcrt.a" 2>/dev/null | grep -q " T fc_install$" || \
  xtensa-lx106-elf-nm "$prefix/lib/femtoc/lx106/libfcrt.a" | grep -q " T fc_install$"
check "the lx106 runtime defines fc_install" $?

"$prefix/bin/femtoc" --version | grep -q "0.14"
check "the installed femtoc runs" $?
msg="installed"
hex=$(printf '%s' "$msg" | od -An -tx1 | tr -d ' \n')
want=$(python3 tests/ux/expect.py "$hex")
if ! "$clang" -target bpf -O2 -g -ffreestanding -I"$prefix/include/femtoc" -c tests/run/prog.c -o "$work/prog.o" \
     2>"$work/clang.log"; then
    bad "clang with the installed femtoc_bpf.h" "$(cat "$work/clang.log")"
fi
for bc in "mps2-an385 cm3 arm-none-eabi-gcc thumbv7m" "sifive_e rv32 riscv64-unknown-elf-gcc rv32imac"; do
    set -- $bc
    board=$1 core=$2 cc=$3 march=$4
    bd=$prefix/share/femtoc/boards
    flags=$(pkg-config --cflags femtoc-runtime-$core)
    # the RISC-V startup code reads CSRs: it needs the zicsr extension named
    sflags=""; [ $core = rv32 ] && sflags="-march=rv32imac_zicsr"
    log=$work/$board.log
    if $cc $flags -std=c99 -O2 -ffunction-sections -fdata-sections -Wall -Werror -I"$bd" -I"$bd/$board" -c "$bd/board_main.c" -o "$work/$board-main.o" >"$log" 2>&1 &&
       $cc $flags $sflags -std=c99 -O2 -ffunction-sections -fdata-sections -Wall -Werror -I"$bd" -I"$bd/$board" -c "$bd/$board/startup.c" -o "$work/$board-startup.o" >>"$log" 2>&1 &&
       $cc $(pkg-config --cflags femtoc-runtime-$core | sed 's/-ffreestanding//') -nostdlib -Wl,--gc-sections -T "$bd/$board/link.ld" \
           -o "$work/$board.elf" "$work/$board-main.o" "$work/$board-startup.o" $(pkg-config --libs femtoc-runtime-$core) -lgcc >>"$log" 2>&1; then
        ok "$board firmware built from the installed files only"
    else
        bad "$board firmware built from the installed files only" "$(cat "$log")"
        continue
    fi
    "$prefix/bin/femtoc" "$work/prog.o" -g -march=$march -o "$work/prog-$march.fcx" 2>"$work/femtoc.log"
    check "installed femtoc -march=$march" $? "$(cat "$work/femtoc.log")"
    got=$("$prefix/bin/femto-board" --board $board --firmware "$work/$board.elf" "$work/prog-$march.fcx" --ctx-str "$msg" 2>&1); rc=$?
    r0=$(sed -n 's/^board: run 1 (native): r0 = 0x0*\([0-9a-f]*\)$/0x\1/p' <<<"$got")
    [ $rc = 0 ] && [ "$r0" = "$want" ]
    check "$board: the program runs natively on that firmware, r0 = $want" $? "exit $rc" "$got"
done

echo "install: $pass passed, $fail failed"
[ $fail = 0 ]
