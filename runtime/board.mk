# runtime/boards/: device firmware for emulated boards (QEMU system mode).
# The firmware is the runtime + loader + standard helpers, cross-compiled:
# boards/board_main.c is shared; each board has board_cfg.h, startup.c and
# link.ld. tools/femto-board runs a container on one.
#
#   board        cross  QEMU
#   mps2-an385   cm3    qemu-system-arm -M mps2-an385      (Cortex-M3)
#   sifive_e     rv32   qemu-system-riscv32 -M sifive_e    (RV32IMAC)
#   xtensa-sim   lx106  qemu-system-xtensa -M sim -cpu lx106 (Xtensa lx106)
#
# BOARD_b_RT: the runtime archive the board links (every board: the full
# runtime, interpreter and native code; a board_cfg.h with BOARD_NO_NATIVE
# would link build/cross-nonative/T/libfcrt.a, -DFC_NO_NATIVE, instead and
# board_main.c leaves the native routines out).

BOARDS := mps2-an385 sifive_e xtensa-sim
BOARD_mps2-an385_CROSS := cm3
BOARD_sifive_e_CROSS   := rv32
BOARD_xtensa-sim_CROSS := lx106
BOARD_mps2-an385_RT := $(BUILD)/cross/cm3/libfcrt.a
BOARD_sifive_e_RT   := $(BUILD)/cross/rv32/libfcrt.a
BOARD_xtensa-sim_RT := $(BUILD)/cross/lx106/libfcrt.a
BOARD_FILES := startup.c board_main.c
# more files of a board's own directory
BOARD_xtensa-sim_FILES := div64.c

define board_rules
$(BUILD)/board/$(1)/%.o: runtime/boards/%.c runtime/boards/board.h runtime/boards/$(1)/board_cfg.h $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_CFLAGS) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -O2 \
	  -Iruntime/boards -Iruntime/boards/$(1) -c $$< -o $$@
$(BUILD)/board/$(1)/%.o: runtime/boards/$(1)/%.c runtime/boards/board.h runtime/boards/$(1)/board_cfg.h $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_CFLAGS) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -O2 \
	  -Iruntime/boards -Iruntime/boards/$(1) -c $$< -o $$@
$(BUILD)/board/$(1).elf: $(BOARD_FILES:%.c=$(BUILD)/board/$(1)/%.o) $(BOARD_$(1)_FILES:%.c=$(BUILD)/board/$(1)/%.o) \
                         $(BOARD_$(1)_RT) runtime/boards/$(1)/link.ld
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -nostdlib -Wl,--gc-sections \
	  -T runtime/boards/$(1)/link.ld -o $$@ $$(filter %.o,$$^) $(BOARD_$(1)_RT) -lgcc
	@$$(patsubst %-gcc,%-size,$$(CROSS_$$(BOARD_$(1)_CROSS)_CC)) $$@
endef
$(foreach b,$(BOARDS),$(eval $(call board_rules,$(b))))

BOARD_MPS2_ELF := $(BUILD)/board/mps2-an385.elf
BOARD_SIFIVE_ELF := $(BUILD)/board/sifive_e.elf
BOARD_XTENSA_ELF := $(BUILD)/board/xtensa-sim.elf

.PHONY: firmware
ifeq ($(TRUST),)
firmware: $(foreach b,$(BOARDS),$(BUILD)/board/$(b).elf)
else
firmware: $(foreach b,$(BOARDS),$(TRUST_DIR)/$(b).elf)
endif

# Trusted firmware: `make firmware TRUST=pub.pem [TRUST_POLICY=require]
# [TRUST_DIR=dir]` bakes the Ed25519 public key into the trust store
# (board_trust.h, made by femto-sign --trust-header; the key is read again
# on every make, the header replaced only when it changes). Policy native
# (default): native code only from containers signed by that key, others
# bytecode only; require: refuse anything not signed by it.
TRUST_DIR ?= $(BUILD)/board-trust
TRUST_POLICY ?= native
ifneq ($(TRUST),)
$(TRUST_DIR)/board_trust.h: $(BIN)/femto-sign FORCE
	@mkdir -p $(dir $@)
	@{ $(BIN)/femto-sign --trust-header $(TRUST) && \
	  echo '#define BOARD_POLICY $(if $(filter require,$(TRUST_POLICY)),FC_POLICY_REQUIRE_SIGNATURE,FC_POLICY_NATIVE_SIGNED)' && \
	  echo '#define BOARD_POLICY_NAME "$(if $(filter require,$(TRUST_POLICY)),require,native)"'; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
endif
.PHONY: FORCE
FORCE:

define board_trust_rules
$(TRUST_DIR)/$(1)/%.o: runtime/boards/%.c runtime/boards/board.h runtime/boards/$(1)/board_cfg.h $(TRUST_DIR)/board_trust.h $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_CFLAGS) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -O2 -DBOARD_TRUST \
	  -I$(TRUST_DIR) -Iruntime/boards -Iruntime/boards/$(1) -c $$< -o $$@
$(TRUST_DIR)/$(1)/%.o: runtime/boards/$(1)/%.c runtime/boards/board.h runtime/boards/$(1)/board_cfg.h $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_CFLAGS) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -O2 \
	  -Iruntime/boards -Iruntime/boards/$(1) -c $$< -o $$@
$(TRUST_DIR)/$(1).elf: $(BOARD_FILES:%.c=$(TRUST_DIR)/$(1)/%.o) $(BOARD_$(1)_FILES:%.c=$(TRUST_DIR)/$(1)/%.o) \
                         $(BOARD_$(1)_RT) runtime/boards/$(1)/link.ld
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -nostdlib -Wl,--gc-sections \
	  -T runtime/boards/$(1)/link.ld -o $$@ $$(filter %.o,$$^) $(BOARD_$(1)_RT) -lgcc
endef
ifneq ($(TRUST),)
$(foreach b,$(BOARDS),$(eval $(call board_trust_rules,$(b))))
$(TRUST_DIR)/sifive_e/startup.o: CROSS_rv32_FLAGS := -march=rv32imac_zicsr -mabi=ilp32
endif

# The trap handler reads CSRs: GCC 12 wants Zicsr named (the core has it).
$(BUILD)/board/sifive_e/startup.o: CROSS_rv32_FLAGS := -march=rv32imac_zicsr -mabi=ilp32
