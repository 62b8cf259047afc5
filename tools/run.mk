# tools/run.mk: femto-run (run a container through the real loader on an
# emulated core) and the differential tests built on the same device:
#   femto-run      tests/run/femto-run-test.sh: femto-run itself
#   diff-cprogs    tests/c/*.c -> femtoc -march=thumbv7m,rv32imac -> installed
#                  and run on each core and in the interpreter, compared; the
#                  objects through each backend directly, lx106 and esp32
#                  included
#   diff-random    tests/diff/diff_random.c: generated programs, interpreter
#                  vs Thumb-2 vs RV32, the first DIFF_RANDOM_XT_COUNT on lx106
#                  and esp32
#   fuzz-diff-smoke  a short run of the libFuzzer differential harness
# and `make fuzz-diff` (FUZZ_DIFF_TIME seconds, default 60).

# The device (sim/fr_device.c) is part of libfcsim.
PROGRAMS += $(BIN)/femto-run
$(BIN)/femto-run: $(OBJ)/tools/femto-run.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# ---- femto-run itself ------------------------------------------------------
RUN_TEST_OUT := $(BUILD)/run-tests
TEST_STEPS += femto-run
step-femto-run: $(BIN)/femto-run $(BIN)/femtoc $(BIN)/femto-sign $(BIN)/femto-objdump
	bash tests/run/femto-run-test.sh $(BIN)/femto-run $(BIN)/femtoc $(CLANG) $(RUN_TEST_OUT)/femto-run

# ---- C programs on every engine ----------------------------------------------
DIFF_OUT := $(BUILD)/diff-tests
$(BIN)/fc-diff-cprog: $(OBJ)/tests/diff/diff_cprogs.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += diff-cprogs
step-diff-cprogs: $(BIN)/fc-diff-cprog $(BIN)/femtoc
	bash tests/diff/diff-cprogs.sh $(BIN)/fc-diff-cprog $(BIN)/femtoc $(DIFF_OUT)/cprogs $(CLANG) $(CLANG19) $(CC) tests/c

# ---- random programs: interpreter vs Thumb-2 vs RV32 (and lx106, esp32) --------
# The first DIFF_RANDOM_XT_COUNT programs also run on the Xtensa engines
# (sim/fc_xt_diff.h: lx106 and esp32 in qemu-xtensa, one QEMU process per
# engine and worker).
DIFF_RANDOM_COUNT ?= 10000
DIFF_RANDOM_XT_COUNT ?= 2000
$(BIN)/diff-random: $(OBJ)/tests/diff/diff_random.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += diff-random
step-diff-random: $(BIN)/diff-random
	$(BIN)/diff-random -n $(DIFF_RANDOM_COUNT) --xt $(DIFF_RANDOM_XT_COUNT)


# ---- libFuzzer: verifier, then interpreter vs Thumb-2 vs RV32 vs lx106, esp32 --
# Built with clang from the sources (not the gcc archives), ASan + UBSan; the
# seed corpus is diff-random's verified programs (--corpus). lx106 and esp32
# run in one qemu-xtensa process each for the campaign, a child of the fuzzer process.
FUZZ_DIFF_TIME  ?= 60
FUZZ_DIFF_RUNS  ?= 3000
FUZZ_DIFF_BIN    = $(BUILD)/fuzz/fuzz_diff
FUZZ_DIFF_CORPUS = $(BUILD)/fuzz/diff-corpus
FUZZ_DIFF_SRCS   = tests/fuzz/fuzz_diff.c $(sort $(RUNTIME_SRCS) $(COMPILER_SRCS) $(SIM_SRCS))
# One object per source (under $(OBJ)/fuzz-diff/, with their header
# dependencies), so the build runs in parallel.
FUZZ_DIFF_CFLAGS = -std=c11 -g -O1 -Wall -Wextra -Werror -Wno-missing-field-initializers -D_DEFAULT_SOURCE \
	  -Iruntime -Icompiler -Ibackends -Imiddle -Isim -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined
FUZZ_DIFF_OBJS   = $(FUZZ_DIFF_SRCS:%.c=$(OBJ)/fuzz-diff/%.o)
$(OBJ)/fuzz-diff/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_DIFF_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/fuzz_diff: $(FUZZ_DIFF_OBJS)
	@mkdir -p $(dir $@)
	$(CLANG) -fsanitize=fuzzer,address,undefined -o $@ $(FUZZ_DIFF_OBJS) -lelf -lunicorn -lpthread -lm -lcrypto

$(FUZZ_DIFF_CORPUS)/.seeded: $(BIN)/diff-random
	@rm -rf $(FUZZ_DIFF_CORPUS) && mkdir -p $(FUZZ_DIFF_CORPUS)
	$(BIN)/diff-random -n 600 --corpus $(FUZZ_DIFF_CORPUS) | tail -1
	@touch $@

# Unicorn keeps allocations for the life of the process: leaks are not checked.
FUZZ_DIFF_OPTS = -max_len=4100 -timeout=20 -detect_leaks=0 -artifact_prefix=$(BUILD)/fuzz/diff-

.PHONY: fuzz-diff
fuzz-diff: $(FUZZ_DIFF_BIN) $(FUZZ_DIFF_CORPUS)/.seeded
	$(FUZZ_DIFF_BIN) $(FUZZ_DIFF_OPTS) -max_total_time=$(FUZZ_DIFF_TIME) -print_final_stats=1 \
	  $(FUZZ_DIFF_CORPUS)

# The test step: a fixed number of inputs from a fixed seed, on a copy of
# the seed corpus.
TEST_STEPS += fuzz-diff-smoke
step-fuzz-diff-smoke: $(FUZZ_DIFF_BIN) $(FUZZ_DIFF_CORPUS)/.seeded
	@rm -rf $(BUILD)/fuzz/diff-smoke && mkdir -p $(BUILD)/fuzz/diff-smoke && \
	  cp $(FUZZ_DIFF_CORPUS)/diff-random-* $(BUILD)/fuzz/diff-smoke/
	@if $(FUZZ_DIFF_BIN) $(FUZZ_DIFF_OPTS) -runs=$(FUZZ_DIFF_RUNS) -seed=1 $(BUILD)/fuzz/diff-smoke \
	      > $(BUILD)/fuzz/diff-smoke.log 2>&1; then \
	    tail -3 $(BUILD)/fuzz/diff-smoke.log; \
	    n=$$(sed -n 's/^fuzz-diff: .* inputs, \([0-9]*\) verified.*/\1/p' $(BUILD)/fuzz/diff-smoke.log); \
	    if [ "$${n:-0}" -lt 100 ]; then echo "fuzz-diff-smoke: 0 passed, 1 failed (only $${n:-0} inputs reached the engines)"; exit 1; fi; \
	    echo "fuzz-diff-smoke: 1 passed, 0 failed ($(FUZZ_DIFF_RUNS) inputs after the $$(ls $(FUZZ_DIFF_CORPUS) | wc -l) seeds)"; \
	else tail -40 $(BUILD)/fuzz/diff-smoke.log; echo "fuzz-diff-smoke: 0 passed, 1 failed"; exit 1; fi
