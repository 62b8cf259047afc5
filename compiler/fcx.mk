# compiler/fcx.mk: the .fcx container writer/reader (libfcc) and
# femto-objdump (prints a container, -d disassembles its bytecode).
COMPILER_SRCS += compiler/fc_fcx.c compiler/fc_fcx_dump.c
# The writer reports through fc_diags (compiler/fc_diag.c, not mine): listed
# here too so the link never depends on fragment order; make drops the
# duplicate from $^ when its owner lists it as well.
COMPILER_SRCS += $(filter-out $(COMPILER_SRCS),compiler/fc_diag.c)

PROGRAMS += $(BIN)/femto-objdump
$(BIN)/femto-objdump: $(OBJ)/tools/femto-objdump.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)
