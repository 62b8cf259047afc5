# `make demo`: compile tools/demo/hello.c to a container and run it on an
# emulated Cortex-M3 board (QEMU mps2-an385) through the real device loader;
# demo-rv32 and demo-xtensa on the RV32 and lx106 boards.

DEMO_DIR   := $(BUILD)/demo
DEMO_MARCH ?= thumbv7m
DEMO_MSG   ?= femtoc runs eBPF on microcontrollers

$(DEMO_DIR)/hello.o: tools/demo/hello.c runtime/femtoc_bpf.h
	@mkdir -p $(dir $@)
	$(CLANG) -target bpf -O2 -g -ffreestanding -Iruntime -c $< -o $@

$(DEMO_DIR)/hello.fcx: $(DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=$(DEMO_MARCH) -o $@

.PHONY: demo demo-run demo-rv32 demo-rv32-run demo-xtensa demo-xtensa-run
demo: bootstrap
	@$(MAKE) --no-print-directory demo-run
# The same program for RISC-V: qemu-system-riscv32 -M sifive_e (RV32IMAC).
demo-rv32: bootstrap
	@$(MAKE) --no-print-directory demo-rv32-run
demo-rv32-run: $(DEMO_DIR)/hello-rv32.fcx $(BOARD_SIFIVE_ELF)
	@echo "== femtoc: $(DEMO_DIR)/hello.o -> $(DEMO_DIR)/hello-rv32.fcx (-march=rv32imac)"
	@echo "== running on qemu-system-riscv32 -M sifive_e (RV32IMAC) through the device loader"
	@FC_BUILD=$(BUILD) $(PYTHON) tools/femto-board --board sifive_e $(DEMO_DIR)/hello-rv32.fcx --ctx-str "$(DEMO_MSG)" --runs 2

# The same program on Xtensa: qemu-system-xtensa -M sim -cpu lx106. The
# container carries lx106, RV32 and Thumb-2 code; the lx106 board's loader
# places its lx106 code and runs it natively (call0), then, for comparison,
# the container with code for the other cores only runs in the interpreter
# there, with the same result.
demo-xtensa: bootstrap
	@$(MAKE) --no-print-directory demo-xtensa-run
demo-xtensa-run: $(DEMO_DIR)/hello-all.fcx $(DEMO_DIR)/hello-multi.fcx $(BOARD_XTENSA_ELF)
	@echo "== femtoc: $(DEMO_DIR)/hello.o -> $(DEMO_DIR)/hello-all.fcx (-march=lx106,rv32imac,thumbv7m)"
	@echo "== running on qemu-system-xtensa -M sim -cpu lx106 (Xtensa lx106) through the device loader: lx106 native code"
	@FC_BUILD=$(BUILD) $(PYTHON) tools/femto-board --board xtensa-sim $(DEMO_DIR)/hello-all.fcx --ctx-str "$(DEMO_MSG)" --runs 2 --stats
	@echo "== the same program without lx106 code ($(DEMO_DIR)/hello-multi.fcx, -march=rv32imac,thumbv7m): the interpreter"
	@FC_BUILD=$(BUILD) $(PYTHON) tools/femto-board --board xtensa-sim $(DEMO_DIR)/hello-multi.fcx --ctx-str "$(DEMO_MSG)" --runs 2

# The demo signs: a key made on the spot (never kept in the tree), firmware
# whose trust store holds its public half, native code because it is signed.
DEMO_TRUST := $(DEMO_DIR)/demo-trust
demo-run: $(DEMO_DIR)/hello.o $(BIN)/femtoc $(BIN)/femto-sign $(BOARD_MPS2_ELF)
	@mkdir -p $(DEMO_TRUST)
	@rm -f $(DEMO_TRUST)/key.pem $(DEMO_TRUST)/pub.pem
	@echo "== a signing key, made on the spot: openssl genpkey -algorithm ed25519"
	@openssl genpkey -algorithm ed25519 -out $(DEMO_TRUST)/key.pem
	@openssl pkey -in $(DEMO_TRUST)/key.pem -pubout -out $(DEMO_TRUST)/pub.pem
	@echo "== femtoc: $(DEMO_DIR)/hello.o -> $(DEMO_DIR)/hello-signed.fcx (-march=$(DEMO_MARCH) --sign key.pem)"
	@$(BIN)/femtoc $(DEMO_DIR)/hello.o --stats --verify-only
	@$(BIN)/femtoc $(DEMO_DIR)/hello.o -march=$(DEMO_MARCH) --sign $(DEMO_TRUST)/key.pem -o $(DEMO_DIR)/hello-signed.fcx
	@echo "== firmware that trusts the key: make firmware TRUST=pub.pem"
	@$(MAKE) --no-print-directory firmware TRUST=$(DEMO_TRUST)/pub.pem TRUST_DIR=$(DEMO_TRUST) >/dev/null
	@echo "== running on qemu-system-arm -M mps2-an385 (Cortex-M3) through the device loader"
	@FC_BUILD=$(BUILD) $(PYTHON) tools/femto-board --firmware $(DEMO_TRUST)/mps2-an385.elf \
	  --trust $(DEMO_TRUST)/pub.pem $(DEMO_DIR)/hello-signed.fcx --ctx-str "$(DEMO_MSG)" --runs 2

# Containers for the board test: Thumb-2, bytecode only (the interpreter
# fallback), and one carrying Thumb-2 and RV32 code (the loader picks).
$(DEMO_DIR)/hello-ebpf.fcx: $(DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=ebpf -o $@
$(DEMO_DIR)/hello-rv32.fcx: $(DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=rv32imac -o $@
$(DEMO_DIR)/hello-multi.fcx: $(DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=rv32imac,thumbv7m -o $@
# lx106: its own code, code for all three cores, and lx106 code relabelled
# as needing DIV32 and the windowed ABI (an ESP32's options, CODE info bits
# 0x7; the hash recomputed): the lx106 loader must not place it
$(DEMO_DIR)/hello-lx106.fcx: $(DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=lx106 -o $@
$(DEMO_DIR)/hello-all.fcx: $(DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=lx106,rv32imac,thumbv7m -o $@
$(DEMO_DIR)/hello-xtwin.fcx: $(DEMO_DIR)/hello-lx106.fcx tests/board/set-code-isa.py
	$(PYTHON) tests/board/set-code-isa.py $< 3 0x7 $@

# The board step: the demo flow, checked against a Fletcher-32 computed
# independently (python) for several messages, plus a fault report, plus
# signatures: keys made here on every run (never committed), firmware with
# that trust store under both policies.
TEST_STEPS += board
step-board: $(DEMO_DIR)/hello.fcx $(DEMO_DIR)/hello-ebpf.fcx $(DEMO_DIR)/hello-multi.fcx \
            $(DEMO_DIR)/hello-rv32.fcx $(DEMO_DIR)/hello-lx106.fcx $(DEMO_DIR)/hello-all.fcx \
            $(DEMO_DIR)/hello-xtwin.fcx $(BOARD_MPS2_ELF) $(BOARD_SIFIVE_ELF) $(BOARD_XTENSA_ELF) $(BIN)/femto-sign
	@mkdir -p $(DEMO_DIR)/trust
	@rm -f $(DEMO_DIR)/trust/*.pem
	@openssl genpkey -algorithm ed25519 -out $(DEMO_DIR)/trust/key.pem
	@openssl pkey -in $(DEMO_DIR)/trust/key.pem -pubout -out $(DEMO_DIR)/trust/pub.pem
	@openssl genpkey -algorithm ed25519 -out $(DEMO_DIR)/trust/other.pem
	@$(MAKE) --no-print-directory firmware TRUST=$(DEMO_DIR)/trust/pub.pem TRUST_DIR=$(DEMO_DIR)/trust/native
	@$(MAKE) --no-print-directory firmware TRUST=$(DEMO_DIR)/trust/pub.pem TRUST_POLICY=require \
	  TRUST_DIR=$(DEMO_DIR)/trust/require
	@FC_BUILD=$(BUILD) FEMTOC=$(BIN)/femtoc sh tests/board/run-board-tests.sh $(DEMO_DIR)
