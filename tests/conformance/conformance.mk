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
# The middle end's engines
# (thumbv7m-ir, rv32imac-ir) are not in the list: ir-coverage and the
# conformance-*-ir steps run the whole suite through the selectors in one
# process (a fallback fails there), and `make test STEPS=plugin-thumbv7m-ir`
# still runs one through the plugin protocol.
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

# Step ir-coverage: every conformance program the verifier accepts compiled
# by femtoc -march=thumbv7m -fcodegen=ir (with the verifier's facts, as
# femtoc compiles), plain and --check-all; its Thumb-2 code must come from
# the middle end's selector: a fallback to the template generator is a
# failure (the reason printed). The code itself runs in the steps
# conformance-thumbv7m-ir (with and without facts), diff-cprogs-ir and
# diff-random-ir.
TEST_STEPS += ir-coverage
step-ir-coverage: $(BIN)/femtoc
	@pass=0; fail=0; unver=0; \
	for f in $(CONFORMANCE_DIR)/tests/*.data; do \
	  for o in "" --check-all; do \
	    out=$$($(BIN)/femtoc -march=thumbv7m -fcodegen=ir --stats $$o -o /dev/null $$f 2>&1); \
	    if ! echo "$$out" | grep -q 'thumbv7m: .* bytes of code'; then unver=$$((unver + 1)); \
	    elif echo "$$out" | grep -q 'made by the ir selector'; then pass=$$((pass + 1)); \
	    else echo "FALLBACK $$f $$o: $$(echo "$$out" | grep -e '-fcodegen=ir')"; fail=$$((fail + 1)); fi; \
	  done; \
	done; \
	echo "ir-coverage: $$pass compiled by the ir selector, $$fail fell back to the template generator, $$unver not verified (no code)"; \
	echo "ir-coverage: $$pass passed, $$fail failed"; [ $$fail = 0 ]

endif
