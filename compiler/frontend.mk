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
COMPILER_SRCS += compiler/fc_elf.c compiler/fc_verify.c compiler/fc_analysis.c compiler/fc_compile.c compiler/fc_fault.c
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

# Objects made by clang for the ELF reader's unit tests (tests/unit/test_elf.c
# reads them from FC_FE_OBJDIR).
FE_UNIT_DIR := $(FE_TEST_OUT)/unit-objs
FE_UNIT_OBJS := $(addprefix $(FE_UNIT_DIR)/,calls.c14.o calls.c19v4g.o cross_section.c19v4g.o \
                globals.c14g.o crc32.c19v3.o)
$(FE_UNIT_DIR)/%.c14.o: tests/c/%.c tests/c/fcprog.h
	@mkdir -p $(dir $@)
	$(CLANG) -target bpf -O2 -Itests/c -c $< -o $@
$(FE_UNIT_DIR)/%.c14g.o: tests/c/%.c tests/c/fcprog.h
	@mkdir -p $(dir $@)
	$(CLANG) -target bpf -O2 -g -Itests/c -c $< -o $@
$(FE_UNIT_DIR)/%.c19v3.o: tests/c/%.c tests/c/fcprog.h
	@mkdir -p $(dir $@)
	$(CLANG19) --target=bpf -mcpu=v3 -O2 -Itests/c -c $< -o $@
$(FE_UNIT_DIR)/%.c19v4g.o: tests/c/%.c tests/c/fcprog.h
	@mkdir -p $(dir $@)
	$(CLANG19) --target=bpf -mcpu=v4 -O2 -g -Itests/c -c $< -o $@
step-unit: $(FE_UNIT_OBJS)
step-unit: export FC_FE_OBJDIR := $(abspath $(FE_UNIT_DIR))

# ---- fuzzing the ELF reader + verifier (libFuzzer) --------------------------
FUZZ_TIME ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_ELF_SRCS := tests/fuzz/fuzz_elf.c compiler/fc_elf.c compiler/fc_verify.c compiler/fc_analysis.c \
                 compiler/fc_diag.c runtime/fc_isa.c middle/fc_hihalf.c
$(FUZZ_DIR)/fuzz_elf: $(FUZZ_ELF_SRCS) $(wildcard compiler/*.h runtime/*.h middle/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 -g -O1 -D_DEFAULT_SOURCE -Iruntime -Icompiler -Imiddle -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined $(FUZZ_ELF_SRCS) -lelf -o $@

# seed corpus: the clang objects of the unit tests
$(FUZZ_DIR)/corpus-elf.stamp: $(FE_UNIT_OBJS)
	@mkdir -p $(FUZZ_DIR)/corpus-elf
	cp $(FE_UNIT_OBJS) $(FUZZ_DIR)/corpus-elf/
	@touch $@

.PHONY: fuzz-elf
fuzz-elf: $(FUZZ_DIR)/fuzz_elf $(FUZZ_DIR)/corpus-elf.stamp
	$(FUZZ_DIR)/fuzz_elf -max_total_time=$(FUZZ_TIME) -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus-elf

# A short smoke run in the test suite: a fixed number of inputs from a fixed
# seed, starting from the seed objects (a copy, so the corpus stays small).
TEST_STEPS += fuzz-elf-smoke
step-fuzz-elf-smoke: $(FUZZ_DIR)/fuzz_elf $(FUZZ_DIR)/corpus-elf.stamp
	@rm -rf $(FUZZ_DIR)/smoke && mkdir -p $(FUZZ_DIR)/smoke && cp $(FUZZ_DIR)/corpus-elf/* $(FUZZ_DIR)/smoke/
	@if $(FUZZ_DIR)/fuzz_elf -runs=8000 -seed=1 -max_len=65536 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/smoke \
	      >$(FUZZ_DIR)/smoke.log 2>&1; then \
	    tail -3 $(FUZZ_DIR)/smoke.log; echo "fuzz-elf-smoke: 1 passed, 0 failed"; \
	else tail -40 $(FUZZ_DIR)/smoke.log; echo "fuzz-elf-smoke: 0 passed, 1 failed"; exit 1; fi

# verify-facts: the verifier's facts, states and messages per program (the
# conformance suite, diff-random's corpus, the refused programs, the C and
# bench programs) hashed by tests/verify/vfy_facts.c and compared with
# tests/verify/facts.golden: a change of what the verifier proves shows as a
# changed line. `make verify-facts-golden` writes the file anew (after a
# change meant to alter the facts). `make verify-ws` prints the workspace
# per part (docs/sandbox.md section 13).
$(BIN)/vfy-facts: $(OBJ)/tests/verify/vfy_facts.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)
VFY_FACTS_RUN = bash tests/verify/run-facts.sh $(BIN)/vfy-facts $(FE_TEST_OUT)/facts $(CLANG) $(CLANG19) tests/c \
  bench/progs $(CONFORMANCE_DIR)/tests $(FUZZ_DIFF_CORPUS) tests/verify/neg
TEST_STEPS += verify-facts
step-verify-facts: $(BIN)/vfy-facts
	@$(MAKE) --no-print-directory $(FUZZ_DIFF_CORPUS)/.seeded
	$(VFY_FACTS_RUN) check tests/verify/facts.golden
.PHONY: verify-facts-golden verify-ws
verify-facts-golden: $(BIN)/vfy-facts
	@$(MAKE) --no-print-directory $(FUZZ_DIFF_CORPUS)/.seeded
	$(VFY_FACTS_RUN) write tests/verify/facts.golden
verify-ws: $(BIN)/vfy-facts
	@$(MAKE) --no-print-directory $(FUZZ_DIFF_CORPUS)/.seeded
	$(VFY_FACTS_RUN) ws -
