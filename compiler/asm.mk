# compiler/asm.mk: assembler, disassembler, .data reader (libfcc), femto-as,
# and the conformance runner, negative checks and plugin
# (tests/conformance/conformance.mk).
COMPILER_SRCS += compiler/fc_asm.c compiler/fc_disasm.c compiler/fc_testdata.c

PROGRAMS += $(BIN)/femto-as
$(BIN)/femto-as: $(OBJ)/tools/femto-as.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# The unit tests (test_asm.c, test_disasm.c) read the conformance files at
# run time: the directory comes from the environment of the unit step.
step-unit: export FC_CONFORMANCE_DIR := $(CONFORMANCE_DIR)

# tests/conformance/ is not in the Makefile's fragment list: included here.
include tests/conformance/conformance.mk
