# tests/ir.mk: the middle end's IR against the eBPF interpreter.
#   ir-diff   tests/ir/run-ir-diff.sh: every conformance program, the C
#             programs of tests/c (clang 14 -O2 and clang-19 -mcpu=v4, or
#             what their "// compilers:" line asks) and diff-random's
#             verified programs (the fuzz-diff seed corpus) lowered to the IR
#             (middle/fc_lower.c) three ways, run in the IR reference
#             interpreter (tests/ir/ir_interp.c) and compared with
#             runtime/fc_vm.c: r0, error, faulting instruction and address,
#             budget left, context, .data, .bss, stack; each lowering
#             also allocated (middle/fc_regalloc.c) for three register
#             tables (cm3-like, rv32-like, a tiny one of 3 registers) and
#             its allocated form run the same way (physical registers and
#             spill slots instead of vregs, caller-saved registers junk
#             after every call); and the text of `femtoc --dump=lower`
#             against tests/ir/cases/*.lower
IR_DIFF_OUT := $(BUILD)/ir-diff
$(BIN)/ir-diff: $(OBJ)/tests/ir/ir_diff.o $(OBJ)/tests/ir/ir_interp.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += ir-diff
# (the corpus rule lives in tools/run.mk, read after this file: made from the recipe)
step-ir-diff: $(BIN)/ir-diff $(BIN)/femtoc
	@$(MAKE) --no-print-directory $(FUZZ_DIFF_CORPUS)/.seeded
	bash tests/ir/run-ir-diff.sh $(BIN)/ir-diff $(IR_DIFF_OUT) $(CLANG) $(CLANG19) tests/c \
	  $(CONFORMANCE_DIR)/tests $(FUZZ_DIFF_CORPUS) $(BIN)/femtoc
