# backends/thumb2/: the thumbv7m backend (encoders t2_enc.h, the emission
# layer t2_emit.c, the instruction selector over the middle end's allocated
# IR t2_isel.c, disassembler for listings).
COMPILER_SRCS += backends/thumb2/t2_emit.c backends/thumb2/t2_isel.c backends/thumb2/t2_disasm.c

# The golden tables (tests/golden/thumb2*.txt) must match what GNU as and
# objdump make of the cases in tests/unit/test_t2_enc.c today.
TEST_STEPS += golden-thumb2
step-golden-thumb2:
	@$(PYTHON) tools/gen-golden-thumb2 --check && echo "golden-thumb2: 1 passed, 0 failed" || \
	  { echo "golden-thumb2: 0 passed, 1 failed (run tools/gen-golden-thumb2)"; exit 1; }

# The IR selector's own cases (tests/t2ir/*.data: each selection pattern
# that the suite may not reach, e.g. the in-line budget edge of every form of
# conditional jump, CBZ/CBNZ, SBCS #0, a MOV folded into the next operation)
# and the carry cases of tests/rv32ir run with the whole conformance suite in
# the step conformance-thumbv7m (tests/emu.mk).
