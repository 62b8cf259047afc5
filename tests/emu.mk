# tests/emu.mk: the conformance driver for the native backends (tests/emu/conf_t2.c,
# every .data program through a backend in the simulator, sim/, and the interpreter).
# ---- conformance through Thumb-2 (tests/emu/conf_t2.c) ----------------------
PROGRAMS += $(BIN)/conf-thumbv7m
$(BIN)/conf-thumbv7m: $(OBJ)/tests/emu/conf_t2.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

# The selector over the allocated IR (t2_isel.c), with the cases of
# tests/t2ir (its patterns) and tests/rv32ir: a program it does not compile
# fails its case.
TEST_STEPS += conformance-thumbv7m
step-conformance-thumbv7m: $(BIN)/conf-thumbv7m
	$(BIN)/conf-thumbv7m $(CONFORMANCE_DIR)/tests tests/t2ir tests/rv32ir
