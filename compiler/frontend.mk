# compiler/frontend.mk: the front end - ELF reader (the only libelf user),
# diagnostics, verifier + analysis, and the femtoc driver; its tests:
#   verify-neg          tests/verify/neg/*: programs that must be refused, each
#                       with the message it must produce
#   verify-conformance  every conformance program verifies
#   cprogs              tests/c/*.c through clang 14 and clang-19, verified,
#                       run in the interpreter, compared with the same C run
#                       natively
#   fuzz-elf-smoke      a short libFuzzer run of the ELF reader + verifier
# and `make fuzz-elf` (FUZZ_TIME seconds, default 60).
COMPILER_SRCS += compiler/fc_elf.c compiler/fc_verify.c compiler/fc_analysis.c
COMPILER_SRCS += $(filter-out $(COMPILER_SRCS),compiler/fc_diag.c)

PROGRAMS += $(BIN)/femtoc
$(BIN)/femtoc: $(OBJ)/compiler/femtoc.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# ---- tests ---------------------------------------------------------------
FE_TEST_OUT := $(BUILD)/fe-tests

TEST_STEPS += verify-neg
step-verify-neg: $(BIN)/femtoc
	bash tests/verify/run-neg.sh $(BIN)/femtoc $(FE_TEST_OUT)/neg tests/verify/neg

TEST_STEPS += verify-conformance
step-verify-conformance: $(BIN)/femtoc
	bash tests/verify/run-conformance.sh $(BIN)/femtoc $(CONFORMANCE_DIR)/tests tests/verify/conformance-options.txt

$(BIN)/fc-cprog-run: $(OBJ)/tests/c/run_cprog.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += cprogs
step-cprogs: $(BIN)/fc-cprog-run $(BIN)/femtoc
	bash tests/c/run-cprogs.sh $(BIN)/fc-cprog-run $(BIN)/femtoc $(FE_TEST_OUT)/cprogs $(CLANG) $(CLANG19) $(CC) tests/c
