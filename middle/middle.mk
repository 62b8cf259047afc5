# middle/: the target-independent parts every backend shares (freestanding
# C99, no allocation: the on-device compiler will build the same sources):
# the emission layer (fc_emit: labels, branch sizing, relocations, pc map,
# stubs, the size-then-emit pass loop, decode and refusal), the one
# upper-half analysis (fc_hihalf) and the 32-bit IR with the lowering into it
# (fc_ir, fc_lower) and the register allocator over it (fc_regalloc; all
# tested by the step ir-diff, tests/ir.mk). Part of libfcc.
COMPILER_SRCS += middle/fc_emit.c middle/fc_hihalf.c middle/fc_ir.c middle/fc_lower.c middle/fc_opt.c middle/fc_promote.c middle/fc_regalloc.c

# ---- the shared layer and the code generators stay device-buildable -------
# Each source compiled freestanding for Cortex-M3, RV32 and Xtensa (the
# runtime-cross toolchains), -std=c99 -Os -Wall -Wextra -Werror; one count per
# source and core.
MIDDLE_CROSS_SRCS := middle/fc_emit.c middle/fc_hihalf.c middle/fc_ir.c middle/fc_lower.c middle/fc_opt.c middle/fc_promote.c middle/fc_regalloc.c \
                     backends/thumb2/t2_emit.c backends/thumb2/t2_isel.c \
                     backends/rv32/rv_cg.c \
                     backends/xtensa/xt_isel.c
TEST_STEPS += middle-cross
step-middle-cross:
	@pass=0; fail=0; mkdir -p $(BUILD)/middle-cross; \
	for t in $(CROSS_TARGETS); do \
	  case $$t in cm3) cc="$(CROSS_cm3_CC) $(CROSS_cm3_FLAGS)";; rv32) cc="$(CROSS_rv32_CC) $(CROSS_rv32_FLAGS)";; \
	              lx106) cc="$(CROSS_lx106_CC) $(CROSS_lx106_FLAGS)";; esac; \
	  for f in $(MIDDLE_CROSS_SRCS); do \
	    if $$cc $(CROSS_CFLAGS) -Icompiler -Ibackends -Imiddle -c $$f -o $(BUILD)/middle-cross/$$t-$$(basename $$f .c).o; \
	    then pass=$$((pass + 1)); else echo "FAIL $$t $$f"; fail=$$((fail + 1)); fi; \
	  done; \
	done; \
	echo "middle-cross: $$pass passed, $$fail failed"; [ $$fail = 0 ]

# ---- fc_ir_opt's range guards in native code ----------------------------------
# The cases of tests/ir/cases (the guard-* ones: merged checks whose guard
# passes, fails with an access outside, fails with every access inside, a
# base written between two checks, a loop) compiled through the Thumb-2 and
# RV32 selectors, with and
# without the verifier's facts, run in Unicorn against the interpreter:
# result or error, error slot, budget left and memory must agree; and on
# engine lx106 (its selector, in qemu-xtensa; no facts): the file's result
# or error. ir-diff runs the same files in the IR interpreter.
TEST_STEPS += ir-guards
step-ir-guards: $(BIN)/conf-thumbv7m $(BIN)/run-conformance
	@pass=0; fail=0; \
	for m in thumbv7m rv32imac lx106; do \
	  if [ $$m = lx106 ]; then out=$$($(BIN)/run-conformance --engine lx106 tests/ir/cases 2>&1); rc=$$?; \
	  else out=$$($(BIN)/conf-thumbv7m -m $$m tests/ir/cases 2>&1); rc=$$?; fi; \
	  echo "$$out" | grep -v '^PASS'; \
	  line=$$(echo "$$out" | grep -E '^conformance(-.*)?: [0-9]+ passed, [0-9]+ failed' | tail -1); \
	  p=$$(echo "$$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p'); \
	  f=$$(echo "$$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p'); \
	  if [ -z "$$p" ] || [ $$rc != 0 -a "$${f:-0}" = 0 ]; then echo "FAIL $$m: no count (exit $$rc)"; p=0; f=1; fi; \
	  pass=$$((pass + p)); fail=$$((fail + f)); \
	done; \
	echo "ir-guards: $$pass passed, $$fail failed"; [ $$fail = 0 ]
