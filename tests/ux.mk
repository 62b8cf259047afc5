# tests/ux.mk: the developer-facing side of the tools (issue 14, part B):
#   toolchain-ux  tests/ux/ux-test.sh: femtoc -g (the line table), faults
#                 named by their C line in femto-run, femto-objdump and
#                 femto-board, femto-objdump -d/--line/--pc/--insn/-h,
#                 femtoc -S for native targets and on a failed verification,
#                 --stats (slot, RAM, fixed per-call cost), --budget, -o -,
#                 several -march, --version, the --ctx names.
TEST_STEPS += toolchain-ux
step-toolchain-ux: $(BIN)/femto-run $(BIN)/femtoc $(BIN)/femto-objdump $(BIN)/femto-sign $(BIN)/femto-as \
                   $(BIN)/femto-conformance-plugin \
                   $(BIN)/femto-board $(BOARD_MPS2_ELF) $(BOARD_SIFIVE_ELF)
	bash tests/ux/ux-test.sh $(BIN) $(CLANG) $(BUILD)/ux-tests "$(BOARD_MPS2_ELF)" "$(BOARD_SIFIVE_ELF)"
