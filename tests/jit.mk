# tests/jit.mk: the device's compiler (runtime/fc_jit.c) against femtoc's
# compile path, on the host.
#   jit-diff   tests/jit/run-jit-diff.sh: every conformance program (femtoc's
#              defaults, and the conformance set-up: masked shifts, helper 5),
#              the C programs of tests/c (clang 14 and clang-19 -mcpu=v4;
#              ctx-size 0 and 64) and diff-random's programs (the fuzz-diff
#              seed corpus), for thumbv7m, rv32imac, rv32ima and rv32imc:
#              the same refusal (message, instruction) or the same code,
#              relocations, pc map and entries; and for thumbv7m and
#              rv32imac the bytecode-only container installed under
#              FC_POLICY_JIT gives the slot image of femtoc's code installed
#              (tests/jit/jit_diff.c)
JIT_DIFF_OUT := $(BUILD)/jit-diff
$(BIN)/jit-diff: $(OBJ)/tests/jit/jit_diff.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += jit-diff
step-jit-diff: $(BIN)/jit-diff
	@$(MAKE) --no-print-directory $(FUZZ_DIFF_CORPUS)/.seeded
	bash tests/jit/run-jit-diff.sh $(BIN)/jit-diff $(JIT_DIFF_OUT) $(CLANG) $(CLANG19) tests/c \
	  $(CONFORMANCE_DIR)/tests $(FUZZ_DIFF_CORPUS)
