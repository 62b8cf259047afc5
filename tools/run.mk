# tools/run.mk: femto-run (run a container through the real loader on an
# emulated core) and the differential tests built on the same device:
#   femto-run      tests/run/femto-run-test.sh: femto-run itself
#   diff-cprogs    tests/c/*.c -> femtoc -march=thumbv7m,rv32imac -> installed
#                  and run on each core and in the interpreter, compared
#   diff-random    tests/diff/diff_random.c: generated programs, interpreter
#                  vs Thumb-2 vs RV32
#   fuzz-diff-smoke  a short run of the libFuzzer differential harness
# and `make fuzz-diff` (FUZZ_DIFF_TIME seconds, default 60).

FR_DEVICE_OBJ := $(OBJ)/tests/run/fr_device.o
$(OBJ)/tools/femto-run.o $(OBJ)/tests/run/fr_device.o: CFLAGS += -Itools -Itests/run

PROGRAMS += $(BIN)/femto-run
$(BIN)/femto-run: $(OBJ)/tools/femto-run.o $(FR_DEVICE_OBJ) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# ---- femto-run itself ------------------------------------------------------
RUN_TEST_OUT := $(BUILD)/run-tests
TEST_STEPS += femto-run
step-femto-run: $(BIN)/femto-run $(BIN)/femtoc
	bash tests/run/femto-run-test.sh $(BIN)/femto-run $(BIN)/femtoc $(CLANG) $(RUN_TEST_OUT)/femto-run

# ---- C programs on every engine ----------------------------------------------
DIFF_OUT := $(BUILD)/diff-tests
$(OBJ)/tests/diff/%.o: CFLAGS += -Itools -Itests/run

$(BIN)/fc-diff-cprog: $(OBJ)/tests/diff/diff_cprogs.o $(FR_DEVICE_OBJ) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += diff-cprogs
step-diff-cprogs: $(BIN)/fc-diff-cprog $(BIN)/femtoc
	bash tests/diff/diff-cprogs.sh $(BIN)/fc-diff-cprog $(BIN)/femtoc $(DIFF_OUT)/cprogs $(CLANG) $(CLANG19) $(CC) tests/c

# ---- random programs: interpreter vs Thumb-2 vs RV32 --------------------------
DIFF_RANDOM_COUNT ?= 6000
$(BIN)/diff-random: $(OBJ)/tests/diff/diff_random.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += diff-random
step-diff-random: $(BIN)/diff-random
	$(BIN)/diff-random -n $(DIFF_RANDOM_COUNT)
