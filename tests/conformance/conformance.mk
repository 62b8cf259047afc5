# tests/conformance/: the conformance runner (step conformance), the negative
# cases (step negative) and the conformance plugin driven like the suite's
# runner drives it (step plugin). Included from compiler/asm.mk (the Makefile
# reads tests/*.mk only).
ifndef FC_CONFORMANCE_MK
FC_CONFORMANCE_MK := 1

CONF_ENGINE_OBJS := $(OBJ)/tests/conformance/fc_engine.o $(OBJ)/tests/emu/t2_engine.o

# femto-as itself: ELF output read back by the LLVM tools, -d round trip,
# options and error format.
TEST_STEPS += femto-as
step-femto-as: $(BIN)/femto-as
	bash tests/conformance/femto-as-test.sh $(BIN)/femto-as $(CONFORMANCE_DIR)/tests

# The runner and the plugin link the interpreter: built once runtime/fc_vm.c
# is in the tree.
ifneq ($(wildcard runtime/fc_vm.c),)
PROGRAMS += $(BIN)/run-conformance $(BIN)/femto-conformance-plugin

$(BIN)/run-conformance: $(OBJ)/tests/conformance/run_conformance.o $(CONF_ENGINE_OBJS) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# --elf uses the ELF reader once compiler/fc_elf.c is part of libfcc. Other
# fragments may add it after this one is read, so the test happens when the
# recipe runs; a stamp holding the flag rebuilds the object when it changes.
FC_PLUGIN_ELF = $(if $(filter compiler/fc_elf.c,$(COMPILER_SRCS)),-DFC_HAVE_ELF_READER)
.PHONY: fc-conformance-force
$(OBJ)/tools/femto-conformance-plugin.flags: fc-conformance-force
	@mkdir -p $(dir $@)
	@echo '$(FC_PLUGIN_ELF)' | cmp -s - $@ || echo '$(FC_PLUGIN_ELF)' >$@
$(OBJ)/tools/femto-conformance-plugin.o: tools/femto-conformance-plugin.c $(OBJ)/tools/femto-conformance-plugin.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/conformance $(FC_PLUGIN_ELF) -MMD -MP -c $< -o $@

$(BIN)/femto-conformance-plugin: $(OBJ)/tools/femto-conformance-plugin.o $(CONF_ENGINE_OBJS) $(LIBS)
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
# The same with the programs as ELF objects (--elf), once the plugin has the
# ELF reader; until then every case is reported skipped, with the reason.
step-plugin-elf: $(BIN)/femto-conformance-plugin $(BIN)/femto-as
	$(if $(FC_PLUGIN_ELF),PLUGIN_ELF=1 bash tests/conformance/plugin-test.sh $(BIN)/femto-conformance-plugin $(BIN)/femto-as $(CONFORMANCE_DIR)/tests,@echo "plugin-elf: 0 passed, 0 failed, $$(ls $(CONFORMANCE_DIR)/tests/*.data | wc -l) skipped (compiler/fc_elf.c is not in libfcc yet: the plugin has no ELF reader)")
else
TEST_STEPS += conformance negative plugin plugin-elf
step-conformance step-negative step-plugin step-plugin-elf:
	@echo "$(@:step-%=%): 0 passed, 1 failed (runtime/fc_vm.c, the interpreter, is not in the tree yet)"; exit 1
endif

endif
