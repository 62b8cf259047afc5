# backends/rv32/: the rv32imac backend (and rv32ima, the same without
# compressed instructions, and rv32imc, without the A extension): encoders
# rv_enc.h, the emission layer rv_cg.c, the instruction selector over the
# middle end's allocated IR rv_isel.c, listing disassembler. Part of libfcc
# like every backend.
COMPILER_SRCS += backends/rv32/rv_cg.c backends/rv32/rv_isel.c backends/rv32/rv_disasm.c
# the selector over the allocated IR is device code too (step middle-cross)
MIDDLE_CROSS_SRCS += backends/rv32/rv_isel.c

# ---- conformance through the RV32 backends ----------------------------------
# The Thumb-2 conformance driver (tests/emu/conf_t2.c) with -m: every .data
# program compiled by the backend (without and with verifier facts), run in
# the RV32 emulator and by the interpreter, compared exactly.
# rv32imc: no A extension (every atomic with interrupts masked), on the same
# RV32IMAC emulator (the harness checks interrupts are enabled again after
# each run; tests/unit/test_rv_imc.c that no A instruction is made).
# A program the backend does not compile fails its case.
# tests/rv32ir/*.data: cases the suite lacks (carries
# and borrows across the sign bit of a lo half, 64-bit shifts by a register,
# the hi half of a multiply, be64 in place); the expected value and the
# interpreter must both agree, as for the suite.
TEST_STEPS += conformance-rv32imac conformance-rv32ima conformance-rv32imc
step-conformance-rv32imac: $(BIN)/conf-thumbv7m
	$(BIN)/conf-thumbv7m -m rv32imac $(CONFORMANCE_DIR)/tests tests/rv32ir
step-conformance-rv32ima: $(BIN)/conf-thumbv7m
	$(BIN)/conf-thumbv7m -m rv32ima $(CONFORMANCE_DIR)/tests tests/rv32ir
step-conformance-rv32imc: $(BIN)/conf-thumbv7m
	$(BIN)/conf-thumbv7m -m rv32imc $(CONFORMANCE_DIR)/tests tests/rv32ir

# ---- the committed golden table still matches the GNU assembler --------------
TEST_STEPS += golden-rv32
step-golden-rv32:
	@if $(PYTHON) tools/gen-golden-rv32 --check; then echo "golden-rv32: 1 passed, 0 failed"; \
	else echo "golden-rv32: 0 passed, 1 failed"; exit 1; fi

# ---- the plugin's rv32imac engine (sim/fc_engine.c, fc_engines[]): in step plugin
PLUGIN_ENGINES += rv32imac
