# runtime/: the freestanding device runtime (ISA tables, interpreter, sandbox,
# helpers, loader). Built for the host (tests, tools) and cross-compiled.

RUNTIME_SRCS += runtime/fc_isa.c

# ---- cross builds: the device runtime must build freestanding for each core
CROSS_CFLAGS := -std=c99 -Os -ffreestanding -fno-builtin -Wall -Wextra -Werror \
                -ffunction-sections -fdata-sections -Iruntime
CROSS_SRCS    = $(RUNTIME_SRCS)

CROSS_cm3_CC     := arm-none-eabi-gcc
CROSS_cm3_FLAGS  := -mcpu=cortex-m3 -mthumb
CROSS_rv32_CC    := riscv64-unknown-elf-gcc
CROSS_rv32_FLAGS := -march=rv32imac -mabi=ilp32
CROSS_lx106_CC   := xtensa-lx106-elf-gcc
CROSS_lx106_FLAGS := -mlongcalls

CROSS_TARGETS := cm3 rv32 lx106

define cross_rules
# every runtime header: a changed struct must rebuild every object that sees it
# (a stale object linked beside new ones breaks the firmware's ABI silently)
$(BUILD)/cross/$(1)/%.o: %.c $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$(1)_CC) $$(CROSS_CFLAGS) $$(CROSS_$(1)_FLAGS) -c $$< -o $$@
$(BUILD)/cross/$(1)/libfcrt.a: $$(CROSS_SRCS:%.c=$(BUILD)/cross/$(1)/%.o)
	rm -f $$@ && $$(patsubst %-gcc,%-ar,$$(CROSS_$(1)_CC)) rcs $$@ $$^
endef
# The rules are instantiated by the Makefile after every fragment is read, so
# sources any fragment adds to RUNTIME_SRCS are cross-compiled too.

.PHONY: runtime-cross
runtime-cross: $(foreach t,$(CROSS_TARGETS),$(BUILD)/cross/$(t)/libfcrt.a)
	@for t in $(CROSS_TARGETS); do echo "== runtime for $$t (text data bss per object)"; \
	  case $$t in cm3) s=arm-none-eabi-size;; rv32) s=riscv64-unknown-elf-size;; lx106) s=xtensa-lx106-elf-size;; esac; \
	  $$s -t $(BUILD)/cross/$$t/libfcrt.a | tail -1; done

TEST_STEPS += runtime-cross
step-runtime-cross: runtime-cross
	@echo "runtime-cross: 3 passed, 0 failed"
