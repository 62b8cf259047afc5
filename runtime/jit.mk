# runtime/jit.mk: the device compiles (runtime/fc_jit.h): the compile path
# over the verifier, the analysis and the core's backend. On the host it is
# part of libfcc (it calls the compiler's parts); a device links
# build/cross/T/libfcjit.a, which step jit-cross builds freestanding for
# Cortex-M3 and RV32 (docs/PORTING.md "The device's own compiler").
COMPILER_SRCS += runtime/fc_jit.c

# ---- the device build: freestanding, the runtime's libc only ----------------
# Parts, each reported by its ROM at -Os; a part = its sources.
JIT_PART_verifier := compiler/fc_verify.c compiler/fc_analysis.c compiler/fc_diag.c
JIT_PART_shared   := middle/fc_emit.c middle/fc_hihalf.c
# the middle end (the lowering to IR, fc_ir_opt and the register allocator)
# under each backend's instruction selector
JIT_PART_middle   := middle/fc_ir.c middle/fc_lower.c middle/fc_opt.c middle/fc_promote.c middle/fc_regalloc.c
JIT_PART_jit      := runtime/fc_jit.c
JIT_PART_cm3      := backends/thumb2/t2_emit.c backends/thumb2/t2_isel.c
JIT_PART_rv32     := backends/rv32/rv_cg.c backends/rv32/rv_isel.c
# The backend's fc_backend struct points at its listing disassembler (the
# disasm hook), so the link pulls it in although the device never lists:
# reported as a part of its own (backends/ could move the hook out).
JIT_PART_cm3-listing  := backends/thumb2/t2_disasm.c
JIT_PART_rv32-listing := backends/rv32/rv_disasm.c
JIT_CROSS_TARGETS := cm3 rv32
JIT_cm3_DEFS      := -DFC_JIT_NO_RV32
JIT_rv32_DEFS     := -DFC_JIT_NO_THUMB2
JIT_SRCS_T = $(JIT_PART_verifier) $(JIT_PART_shared) $(JIT_PART_middle) $(JIT_PART_jit) $(JIT_PART_$(1)) $(JIT_PART_$(1)-listing)

define jit_cross_rules
$(BUILD)/cross-jit/$(1)/%.o: %.c $(wildcard runtime/*.h compiler/*.h middle/*.h backends/*.h backends/*/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$(1)_CC) $$(CROSS_CFLAGS) $$(CROSS_$(1)_FLAGS) $$(JIT_$(1)_DEFS) -Icompiler -Ibackends -Imiddle \
	  -fstack-usage -c $$< -o $$@
$(BUILD)/cross/$(1)/libfcjit.a: $$(patsubst %.c,$(BUILD)/cross-jit/$(1)/%.o,$$(call JIT_SRCS_T,$(1)))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && $$(patsubst %-gcc,%-ar,$$(CROSS_$(1)_CC)) rcs $$@ $$^
# the link proof: -nostdlib, runtime + compiler + libgcc, no undefined symbol
$(BUILD)/cross-jit/$(1)/jit-link.elf: $(BUILD)/cross-jit/$(1)/tests/jit/jit_cross_main.o \
                                      $(BUILD)/cross/$(1)/libfcjit.a $(BUILD)/cross/$(1)/libfcrt.a
	$$(CROSS_$(1)_CC) $$(CROSS_$(1)_FLAGS) -nostdlib -Wl,--gc-sections -Wl,-e,jit_cross_entry \
	  -Wl,--no-undefined -o $$@ $$^ -lgcc
endef
$(foreach t,$(JIT_CROSS_TARGETS),$(eval $(call jit_cross_rules,$(t))))

.PHONY: jit-cross
jit-cross: $(foreach t,$(JIT_CROSS_TARGETS),$(BUILD)/cross-jit/$(t)/jit-link.elf)
	@for t in $(JIT_CROSS_TARGETS); do \
	  case $$t in cm3) p=arm-none-eabi;; rv32) p=riscv64-unknown-elf;; esac; \
	  echo "== the device's compiler for $$t at -Os (text bytes per part, object files)"; \
	  for part in verifier shared middle jit $$t $$t-listing; do \
	    case $$part in verifier) fs="$(JIT_PART_verifier)";; shared) fs="$(JIT_PART_shared)";; \
	                   middle) fs="$(JIT_PART_middle)";; \
	                   jit) fs="$(JIT_PART_jit)";; cm3) fs="$(JIT_PART_cm3)";; rv32) fs="$(JIT_PART_rv32)";; \
	                   cm3-listing) fs="$(JIT_PART_cm3-listing)";; rv32-listing) fs="$(JIT_PART_rv32-listing)";; esac; \
	    objs=""; for f in $$fs; do objs="$$objs $(BUILD)/cross-jit/$$t/$${f%.c}.o"; done; \
	    echo "  $$part: $$($$p-size -t $$objs | tail -1 | awk '{print $$1}') ($$fs)"; \
	  done; \
	  echo "  largest stack frame: $$(cat $$(find $(BUILD)/cross-jit/$$t -name '*.su') | sort -t'	' -k2 -n | tail -1 | tr '\t' ' ')"; \
	  echo "  linked (fc_jit_compile + fc_install + runtime, after --gc-sections): $$($$p-size $(BUILD)/cross-jit/$$t/jit-link.elf | tail -1 | awk '{print $$1}') text"; \
	done

TEST_STEPS += jit-cross
step-jit-cross: jit-cross
	@echo "jit-cross: $(words $(JIT_CROSS_TARGETS)) passed, 0 failed"

# ---- board firmware with the compiler -----------------------------------------
# build/board-jit/mps2-an385.elf: the shared firmware (runtime/boards/
# board_main.c) with -DBOARD_JIT, linked with libfcjit.a: FC_POLICY_JIT, a
# static workspace of BOARD_JIT_WS bytes, the CMSDK timer 0 timing install
# and compile. sifive_e has 10 KiB of RAM (QEMU's DTIM, board link.ld): the
# verifier's workspace alone is 7.7 KB fixed and ~300 bytes per instruction, so no JIT variant.
JIT_BOARDS := mps2-an385
JIT_BOARD_mps2-an385_DEFS := -DBOARD_JIT -DBOARD_JIT_WS=1048576u -DBOARD_TIMER_CMSDK=0x40000000u
define jit_board_rules
$(BUILD)/board-jit/$(1)/board_main.o: runtime/boards/board_main.c runtime/boards/board.h runtime/boards/$(1)/board_cfg.h \
                                      $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_CFLAGS) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -O2 $$(JIT_BOARD_$(1)_DEFS) \
	  -Icompiler -Ibackends -Imiddle -Iruntime/boards -Iruntime/boards/$(1) -c $$< -o $$@
$(BUILD)/board-jit/$(1).elf: $(BUILD)/board-jit/$(1)/board_main.o $(BUILD)/board/$(1)/startup.o \
                             $(BUILD)/cross/$$(BOARD_$(1)_CROSS)/libfcjit.a $(BOARD_$(1)_RT) runtime/boards/$(1)/link.ld
	$$(CROSS_$$(BOARD_$(1)_CROSS)_CC) $$(CROSS_$$(BOARD_$(1)_CROSS)_FLAGS) -nostdlib -Wl,--gc-sections \
	  -T runtime/boards/$(1)/link.ld -o $$@ $$(filter %.o,$$^) $(BUILD)/cross/$$(BOARD_$(1)_CROSS)/libfcjit.a \
	  $(BOARD_$(1)_RT) -lgcc
	@$$(patsubst %-gcc,%-size,$$(CROSS_$$(BOARD_$(1)_CROSS)_CC)) $$@
endef
$(foreach b,$(JIT_BOARDS),$(eval $(call jit_board_rules,$(b))))
.PHONY: firmware-jit
firmware-jit: $(foreach b,$(JIT_BOARDS),$(BUILD)/board-jit/$(b).elf)

# ---- the board test and the demo ------------------------------------------------
JIT_DEMO_DIR := $(BUILD)/demo-jit
$(JIT_DEMO_DIR)/hello.o: tools/demo/hello.c runtime/femtoc_bpf.h
	@mkdir -p $(dir $@)
	$(CLANG) -target bpf -O2 -g -ffreestanding -Iruntime -c $< -o $@
$(JIT_DEMO_DIR)/hello-ebpf.fcx: $(JIT_DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=ebpf -o $@
$(JIT_DEMO_DIR)/hello.fcx: $(JIT_DEMO_DIR)/hello.o $(BIN)/femtoc
	$(BIN)/femtoc $< -march=thumbv7m -o $@

TEST_STEPS += board-jit
step-board-jit: $(JIT_DEMO_DIR)/hello.o $(BIN)/femtoc $(BUILD)/board-jit/mps2-an385.elf $(BUILD)/board/mps2-an385.elf
	@sh tests/board/run-board-jit-tests.sh $(JIT_DEMO_DIR)/test $(BIN)/femtoc $(BUILD)/board-jit/mps2-an385.elf \
	  $(BUILD)/board/mps2-an385.elf $(JIT_DEMO_DIR)/hello.o

# `make demo-jit`: bytecode only goes to the board; it verifies, compiles and
# runs the program natively, printing the compile's cost in executed
# instructions (QEMU -icount); then femtoc's Thumb-2 container on the same
# firmware, for the install cost of host-made code.
.PHONY: demo-jit demo-jit-run
demo-jit: bootstrap
	@$(MAKE) --no-print-directory demo-jit-run
demo-jit-run: $(JIT_DEMO_DIR)/hello-ebpf.fcx $(JIT_DEMO_DIR)/hello.fcx $(BUILD)/board-jit/mps2-an385.elf
	@echo "== femtoc: hello.o -> hello-ebpf.fcx (-march=ebpf: bytecode only, no native code, unsigned)"
	@echo "== the board (qemu-system-arm -M mps2-an385, firmware with the compiler) verifies and compiles it"
	@FC_BUILD=$(BUILD) $(PYTHON) tools/femto-board --icount --firmware $(BUILD)/board-jit/mps2-an385.elf \
	  $(JIT_DEMO_DIR)/hello-ebpf.fcx --ctx-str "$(or $(DEMO_MSG),femtoc runs eBPF on microcontrollers)" --runs 2
	@echo "== for comparison: femtoc's Thumb-2 container (-march=thumbv7m) installed on the same firmware"
	@FC_BUILD=$(BUILD) $(PYTHON) tools/femto-board --icount --firmware $(BUILD)/board-jit/mps2-an385.elf \
	  $(JIT_DEMO_DIR)/hello.fcx --ctx-str "$(or $(DEMO_MSG),femtoc runs eBPF on microcontrollers)" --runs 2
