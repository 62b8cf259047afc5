# runtime/boards/: device firmware for emulated boards (QEMU system mode).
# The firmware is the runtime + loader + standard helpers, cross-compiled.

BOARD_MPS2_DIR := runtime/boards/mps2-an385
BOARD_MPS2_SRCS := $(BOARD_MPS2_DIR)/startup.c $(BOARD_MPS2_DIR)/main.c
BOARD_MPS2_ELF := $(BUILD)/board/mps2-an385.elf

$(BUILD)/board/mps2/%.o: $(BOARD_MPS2_DIR)/%.c $(wildcard runtime/*.h) $(BOARD_MPS2_DIR)/board.h
	@mkdir -p $(dir $@)
	$(CROSS_cm3_CC) $(CROSS_CFLAGS) $(CROSS_cm3_FLAGS) -O2 -I$(BOARD_MPS2_DIR) -c $< -o $@

$(BOARD_MPS2_ELF): $(BOARD_MPS2_SRCS:$(BOARD_MPS2_DIR)/%.c=$(BUILD)/board/mps2/%.o) \
                   $(BUILD)/cross/cm3/libfcrt.a $(BOARD_MPS2_DIR)/link.ld
	$(CROSS_cm3_CC) $(CROSS_cm3_FLAGS) -nostdlib -Wl,--gc-sections -T $(BOARD_MPS2_DIR)/link.ld \
	  -o $@ $(filter %.o,$^) $(BUILD)/cross/cm3/libfcrt.a -lgcc
	@arm-none-eabi-size $@

.PHONY: firmware
firmware: $(BOARD_MPS2_ELF)
