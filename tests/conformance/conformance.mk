# tests/conformance/: the conformance runner (step conformance), the negative
# cases (step negative) and the conformance plugin driven like the suite's
# runner drives it (step plugin). Included from compiler/asm.mk (the Makefile
# reads tests/*.mk only).
ifndef FC_CONFORMANCE_MK
FC_CONFORMANCE_MK := 1

# The engines (sim/fc_engine.c) are part of libfcsim.

# femto-as itself: ELF output read back by the LLVM tools, -d round trip,
# options and error format.
TEST_STEPS += femto-as
step-femto-as: $(BIN)/femto-as
	bash tests/conformance/femto-as-test.sh $(BIN)/femto-as $(CONFORMANCE_DIR)/tests

PROGRAMS += $(BIN)/run-conformance $(BIN)/femto-conformance-plugin

$(BIN)/run-conformance: $(OBJ)/tests/conformance/run_conformance.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

$(BIN)/femto-conformance-plugin: $(OBJ)/tools/femto-conformance-plugin.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += conformance negative plugin plugin-elf plugin-thumbv7m
step-conformance: $(BIN)/run-conformance
	$(BIN)/run-conformance $(CONFORMANCE_DIR)/tests
step-negative: $(BIN)/run-conformance
	$(BIN)/run-conformance --negative $(CONFORMANCE_DIR)/negative
step-plugin: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests
# The plugin's thumbv7m engine: Thumb-2 code run in Unicorn (Cortex-M3).
step-plugin-thumbv7m: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_OPTIONS="--engine thumbv7m" PLUGIN_LABEL=plugin-thumbv7m bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests
# The same with the programs as ELF objects (--elf).
step-plugin-elf: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_ELF=1 bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests

endif
