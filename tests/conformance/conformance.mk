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
# step-plugin-interp, step-plugin-elf, step-plugin-ENGINE. The native engines'
# runs go without LeakSanitizer's exit scan (half of each run's time under
# ASan): the same simulator code is leak-checked in the unit tests and the
# diff steps; the interpreter and ELF runs keep it. The template generator's
# engine (thumbv7m-template) is not in the list: `make test
# STEPS=plugin-thumbv7m-template` runs it.
TEST_STEPS += conformance negative plugin
PLUGIN_ENGINES += thumbv7m
step-conformance: $(BIN)/run-conformance
	$(BIN)/run-conformance $(CONFORMANCE_DIR)/tests
step-negative: $(BIN)/run-conformance
	$(BIN)/run-conformance --negative $(CONFORMANCE_DIR)/negative
step-plugin: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	PLUGIN_RUNS="$$(printf '%s\n' 'plugin-interp 0' 'plugin-elf 1' $(foreach e,$(PLUGIN_ENGINES),'plugin-$(e) 0 nolsan --engine $(e)'))" \
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
# plugin-thumbv7m (the engine thumbv7m: no facts), conformance-thumbv7m
# (with and without facts), diff-cprogs and diff-random; the template
# generator's in conformance-thumbv7m-template, diff-cprogs-template and
# diff-random-template.
TEST_STEPS += ir-coverage
step-ir-coverage: $(BIN)/femtoc
	@pass=0; fail=0; unver=0; \
	for f in $(CONFORMANCE_DIR)/tests/*.data; do \
	  for o in "" --check-all; do \
	    out=$$($(BIN)/femtoc -march=thumbv7m -fcodegen=ir --stats $$o -o /dev/null $$f 2>&1); \
	    if ! echo "$$out" | grep -q 'thumbv7m: .* bytes of code'; then unver=$$((unver + 1)); \
	    elif echo "$$out" | grep -q 'made by the ir selector'; then pass=$$((pass + 1)); \
	    else echo "FALLBACK $$f $$o: $$(echo "$$out" | grep -e 'ir selector refused')"; fail=$$((fail + 1)); fi; \
	  done; \
	done; \
	echo "ir-coverage: $$pass compiled by the ir selector, $$fail fell back to the template generator, $$unver not verified (no code)"; \
	echo "ir-coverage: $$pass passed, $$fail failed"; [ $$fail = 0 ]

endif
