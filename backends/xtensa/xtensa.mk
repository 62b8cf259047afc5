# backends/xtensa/: the Xtensa code generators and what they build on: the
# encoders xt_enc.h, the listing disassembler, the lx106 backend (xt_isel.c:
# the middle end's IR selected into call0 code). Part of libfcc like every
# backend.
COMPILER_SRCS += backends/xtensa/xt_disasm.c backends/xtensa/xt_isel.c

# ---- the encoders against the GNU assembler -----------------------------------
# The committed table (tests/golden/xtensa.txt) is what xtensa-lx106-elf-as
# makes of the cases of tests/unit/test_xt_enc.c today, and the encoders and
# the disassembler agree with it (the xt_enc tests of the unit binary, run here
# again on their own). The windowed and DIV32 encodings, which lx106 binutils
# cannot assemble, are checked by execution on dc233c (step xtensa-sim).
TEST_STEPS += golden-xtensa
# $(BIN)/unit-tests, not $(UNIT_BIN): tests/tests.mk (read after this fragment)
# defines it, and a prerequisite is expanded when the line is read.
step-golden-xtensa: $(BIN)/unit-tests
	@p=0; f=0; \
	if $(PYTHON) tools/gen-golden-xtensa --check; then p=$$((p+1)); else f=$$((f+1)); fi; \
	if LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	   $(UNIT_BIN) --filter 'xt_enc/*'; then p=$$((p+1)); else f=$$((f+1)); fi; \
	echo "golden-xtensa: $$p passed, $$f failed"; [ $$f -eq 0 ]

# The software division lx106 code will call (no DIV32 there), part of the
# device runtime: runtime/fc_div32.c (fc_div32.h). Tested on lx106 in step
# xtensa-sim (sim/xtensa.mk).
RUNTIME_SRCS += runtime/fc_div32.c

# ---- the lx106 backend (xt_isel.c, on the middle end) in qemu-xtensa ----------
# tests/xtensa/cases/*.data: the selector's own paths (64-bit shifts by a
# register, MUL64 through MUL16U, divisions through the 64-bit routines,
# unaligned accesses byte by byte, bases aligned or not at run time (the
# run-time alignment test's two ways), checked accesses inside and outside the
# region the in-line test expects, local calls with spills, 64-bit compares,
# branch relaxation, a check with a non-zero upper half, the budget); their
# results are the reference interpreter's, run here first. Then the
# conformance suite on engine lx106 (one QEMU process for all; the plugin step
# runs it again a program per process). Counts are cases.
# Last, femtoc -march=lx106 into a container (the local-call case as an ELF):
# femto-objdump must list an xtensa CODE section with ISA bit MUL32 and the
# CALL0s of the local calls.
TEST_STEPS += xtensa-isel
step-xtensa-isel: $(BIN)/run-conformance $(BIN)/femtoc $(BIN)/femto-as $(BIN)/femto-objdump
	@out=$$( { $(BIN)/run-conformance --engine interp tests/xtensa/cases; \
	           $(BIN)/run-conformance --engine lx106 tests/xtensa/cases; \
	           $(BIN)/run-conformance --engine lx106 $(CONFORMANCE_DIR)/tests; } 2>&1 ); \
	echo "$$out" | grep -v '^conformance: [0-9]'; \
	d=$(BUILD)/xtensa-isel; mkdir -p $$d; \
	sed -n '/^-- asm/,/^-- /p' tests/xtensa/cases/calls-spill.data | grep -v '^--' > $$d/calls.s; \
	if $(BIN)/femto-as --elf $$d/calls.s -o $$d/calls.o && $(BIN)/femtoc -march=lx106 $$d/calls.o -o $$d/calls.fcx && \
	   $(BIN)/femto-objdump -d $$d/calls.fcx > $$d/calls.txt && \
	   grep -Eq '^ +[0-9]+ code +xtensa .* 0x1$$' $$d/calls.txt && [ $$(grep -c 'call0 ' $$d/calls.txt) -eq 3 ]; \
	then out="$$out$$(printf '\nconformance: 1 passed, 0 failed')"; \
	else echo "FAIL femtoc -march=lx106 container ($$d/calls.txt)"; out="$$out$$(printf '\nconformance: 0 passed, 1 failed')"; fi; \
	echo "$$out" | awk '/^conformance: [0-9]+ passed, [0-9]+ failed/ { p += $$2; f += $$4 } \
	  END { printf "xtensa-isel: %d passed, %d failed\n", p, f; exit f != 0 || p == 0 }'

# ---- the esp32 flavour (xt_isel.c, windowed ABI, DIV32) in qemu-xtensa ------
# Engine esp32: the same selector's windowed flavour run on dc233c (QEMU's
# core with windowed registers, MUL32, DIV32; called with CALLX8; the call0
# routine blob reached through windowed trampolines, sim/fc_xt_engine.c).
# The selector's cases (with the esp32 ones: seven-deep CALL8 chains that
# wrap the register file, errors returned through every RETW, DIV32 edge
# cases) and the conformance suite, on the interpreter and on esp32: every
# case passes on both, and the outcome lines (r0, or the error with its
# eBPF pc) are identical (error addresses aside: host and guest pointers).
# Last, femtoc -march=thumbv7m,rv32imac,lx106,esp32 into one container:
# femto-objdump must list the four code sections, esp32's with ISA bits
# MUL32|DIV32|WINDOWED (0x7), and its listing ENTRY, CALL8 and CALLX8.
TEST_STEPS += xtensa-esp32
step-xtensa-esp32: $(BIN)/run-conformance $(BIN)/femtoc $(BIN)/femto-as $(BIN)/femto-objdump
	@d=$(BUILD)/xtensa-esp32; mkdir -p $$d; p=0; f=0; \
	for e in interp esp32; do \
	  { $(BIN)/run-conformance -v --engine $$e tests/xtensa/cases; \
	    $(BIN)/run-conformance -v --engine $$e $(CONFORMANCE_DIR)/tests; } > $$d/$$e.log 2>&1; \
	  grep '^FAIL' $$d/$$e.log; \
	  set -- $$(awk '/^conformance: [0-9]+ passed, [0-9]+ failed/ { p += $$2; f += $$4 } END { print p + 0, f + 0 }' $$d/$$e.log); \
	  echo "engine $$e: $$1 passed, $$2 failed"; p=$$((p+$$1)); f=$$((f+$$2)); \
	  grep -E '^(ok|FAIL) ' $$d/$$e.log | sed -E 's/ \(address 0x[0-9a-f]+\)//' | sort > $$d/$$e.out; \
	done; \
	if [ -s $$d/esp32.out ] && cmp -s $$d/interp.out $$d/esp32.out; then p=$$((p+1)); \
	else echo "FAIL esp32 outcomes differ from the interpreter's:"; diff $$d/interp.out $$d/esp32.out | head -20; f=$$((f+1)); fi; \
	sed -n '/^-- asm/,/^-- /p' tests/xtensa/cases/calls-deep.data | grep -v '^--' | grep -v '^call 5$$' > $$d/deep.s; \
	if $(BIN)/femto-as --elf $$d/deep.s -o $$d/deep.o && \
	   $(BIN)/femtoc -march=thumbv7m,rv32imac,lx106,esp32 $$d/deep.o -o $$d/deep.fcx && \
	   $(BIN)/femto-objdump -d $$d/deep.fcx > $$d/deep.txt && \
	   grep -Eq '^ +[0-9]+ code +thumbv7m ' $$d/deep.txt && grep -Eq '^ +[0-9]+ code +rv32imac ' $$d/deep.txt && \
	   grep -Eq '^ +[0-9]+ code +xtensa .* 0x1$$' $$d/deep.txt && grep -Eq '^ +[0-9]+ code +esp32 .* 0x7$$' $$d/deep.txt && \
	   grep -q 'entry a1, ' $$d/deep.txt && grep -q 'call8 ' $$d/deep.txt && grep -q 'callx8 ' $$d/deep.txt; \
	then p=$$((p+1)); else echo "FAIL femtoc -march=thumbv7m,rv32imac,lx106,esp32 container ($$d/deep.txt)"; f=$$((f+1)); fi; \
	echo "xtensa-esp32: $$p passed, $$f failed"; [ $$f -eq 0 ] && [ $$p -gt 0 ]
