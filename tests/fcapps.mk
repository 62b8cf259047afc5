# tests/fcapps.mk: Femto-Containers apps run unchanged (tests/fcapps/): built
# with their recipe (clang -Os -emit-llvm | llc -march=bpf -mcpu=v2), run on
# the interpreter, thumbv7m and rv32imac (femto-run) and on both boards
# (femto-board), each result compared with a host build of the same C
# against an independent model of the helpers (tests/fcapps/host/).
# llc is Debian's llvm package (llc, or a versioned llc-NN).
LLC ?= $(shell command -v llc 2>/dev/null || command -v llc-19 2>/dev/null || command -v llc-14 2>/dev/null || echo llc)
FCAPPS_OUT := $(BUILD)/fcapps
TEST_STEPS += fcapps
step-fcapps: $(BIN)/femtoc $(BIN)/femto-run $(BOARD_MPS2_ELF) $(BOARD_SIFIVE_ELF)
	python3 tests/fcapps/run-fcapps.py $(BIN) $(FCAPPS_OUT) $(CLANG) $(LLC) $(BUILD)/board
