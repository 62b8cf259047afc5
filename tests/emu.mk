# tests/emu.mk: the conformance driver for the native backends (tests/emu/conf_t2.c,
# every .data program through a backend in the simulator, sim/, and the interpreter).
# ---- conformance through Thumb-2 (tests/emu/conf_t2.c) ----------------------
PROGRAMS += $(BIN)/conf-thumbv7m
$(BIN)/conf-thumbv7m: $(OBJ)/tests/emu/conf_t2.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# The backend's default, the selector over the allocated IR (t2_isel.c): a
# fallback to the template generator fails. -template: the template generator
# (t2_codegen.c, FC_BK_TEMPLATE, femtoc -fcodegen=template), tested until it goes.
TEST_STEPS += conformance-thumbv7m conformance-thumbv7m-template
step-conformance-thumbv7m: $(BIN)/conf-thumbv7m
	$(BIN)/conf-thumbv7m $(CONFORMANCE_DIR)/tests tests/t2ir tests/rv32ir
step-conformance-thumbv7m-template: $(BIN)/conf-thumbv7m
	$(BIN)/conf-thumbv7m -T $(CONFORMANCE_DIR)/tests
