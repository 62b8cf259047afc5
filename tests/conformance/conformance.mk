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

# Step plugin: every program once through the plugin on each engine, the
# interpreter also with the program as an ELF object; every file is read and
# assembled once for all runs (tests/conformance/plugin-test.sh, PLUGIN_RUNS).
# A backend's fragment adds its engine to PLUGIN_ENGINES. One engine alone:
# step-plugin-interp, step-plugin-elf, step-plugin-ENGINE. The interpreter
# and ELF runs are the runner's protocol itself, a plugin process per program
# (exit status, standard output and error); the native engines' runs go
# through one `--batch` plugin process per engine (the same parsing, run and
# output code per program, its line judged as a one-run process would be:
# what differs there is the engine, and a process per program started the
# simulator 225 times; step-plugin-ENGINE still runs a process per program).
TEST_STEPS += conformance negative plugin
PLUGIN_ENGINES += thumbv7m
step-conformance: $(BIN)/run-conformance
	$(BIN)/run-conformance $(CONFORMANCE_DIR)/tests
step-negative: $(BIN)/run-conformance
	$(BIN)/run-conformance --negative $(CONFORMANCE_DIR)/negative
step-plugin: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_RUNS="$$(printf '%s\n' 'plugin-interp 0' 'plugin-elf 1' $(foreach e,$(PLUGIN_ENGINES),'plugin-$(e) 0 batch --engine $(e)'))" \
	  bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests
step-plugin-interp: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_LABEL=plugin-interp bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests
step-plugin-elf: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_ELF=1 bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests
step-plugin-%: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_OPTIONS="--engine $*" PLUGIN_LABEL=plugin-$* bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests

endif
