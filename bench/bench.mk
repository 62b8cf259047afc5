# bench/bench.mk - `make bench`: every benchmark program (bench/progs/*.c) on
# every target and engine, measured in Unicorn by executed instructions and
# an estimated cycle count; writes bench/results.md, bench/results.json and
# bench/slowdown.png. Included from tools/bench.mk (the Makefile includes
# tools/*.mk). Also the test step bench-smoke (a small subset, checked twice).
#
#   $(BENCH_DIR)/ebpf-V/P.o      P compiled for eBPF (clang-19, -mcpu=V = $(BENCH_MCPU))
#   $(BENCH_DIR)/T/progs/P.o     P compiled natively for target T (gcc -O2)
#   $(BENCH_DIR)/T/rt/*.o        the device runtime for T at -O2
#   $(BENCH_DIR)/T/bench.elf     the benchmark firmware for T (bench/dev/)
#   $(BENCH_DIR)/T/size-*.txt    `size` of the runtime objects (-Os and -O2)

BENCH_DIR   := $(BUILD)/bench
BENCH_MCPU  ?= v4
BENCH_PROGS := $(sort $(basename $(notdir $(wildcard bench/progs/*.c))))
BENCH_TARGETS := cm3 rv32
BENCH_OUT   ?= bench
BENCH_ARGS  ?=

BENCH_cm3_CC    := arm-none-eabi-gcc
BENCH_cm3_SIZE  := arm-none-eabi-size
BENCH_cm3_FLAGS := -mcpu=cortex-m3 -mthumb
BENCH_rv32_CC    := riscv64-unknown-elf-gcc
BENCH_rv32_SIZE  := riscv64-unknown-elf-size
BENCH_rv32_FLAGS := -march=rv32imac -mabi=ilp32

# the runtime the firmware carries (the same list as libfcrt)
BENCH_RT_SRCS := runtime/fc_vm.c runtime/fc_isa.c runtime/fc_libc.c runtime/fc_helpers.c runtime/fc_helpers_fc.c \
                 runtime/fc_native_rt.c runtime/fc_loader.c runtime/fc_sha256.c \
                 runtime/fc_flash_sim.c runtime/fc_reloc_thumb.c runtime/fc_reloc_rv32.c \
                 runtime/fc_sha512.c runtime/fc_ed25519.c
# the Ed25519 verifier once more as runtime-cross ships it (-Os), its entry
# points renamed os_* so that both builds sit in the firmware
BENCH_ED_OS := fc_ed25519 fc_sha512
BENCH_ED_SYMS := fc_ed25519_verify fc_ed25519_verify_start fc_ed25519_verify_update \
                 fc_ed25519_verify_finish fc_sha512_init fc_sha512_update fc_sha512_final
BENCH_RT_CFLAGS := -std=c99 -O2 -ffreestanding -fno-builtin -Wall -Wextra -Werror \
                   -ffunction-sections -fdata-sections -Iruntime
BENCH_NATIVE_CFLAGS := -std=c99 -O2 -ffreestanding -DBENCH_NATIVE -Wall -Wextra -Werror \
                       -ffunction-sections -Ibench/progs

# eBPF: clang-19 -mcpu=v4 (v3's 32-bit subregisters and jumps, plus
# sign-extending loads and moves: matmul runs 17% fewer femtoc instructions
# than with v3, sha256 5%, the rest the same); -fno-builtin keeps clang from
# turning copy loops into memcpy calls, which eBPF lacks.
$(BENCH_DIR)/ebpf-$(BENCH_MCPU)/%.o: bench/progs/%.c bench/progs/bench_prog.h
	@mkdir -p $(dir $@)
	$(CLANG19) --target=bpf -mcpu=$(BENCH_MCPU) -O2 -fno-builtin -Wall -Wextra -Werror \
	  -Ibench/progs -c $< -o $@

define bench_variant_size
$(BENCH_DIR)/$(1)/size-$(2)-Os.txt: $(BUILD)/cross-$(2)/$(1)/libfcrt.a
	@mkdir -p $$(dir $$@)
	$$(BENCH_$(1)_SIZE) $$(patsubst %.c,$(BUILD)/cross-$(2)/$(1)/%.o,$$(filter-out $$(RT_$(2)_DROP),$(BENCH_RT_SRCS))) > $$@
endef

define bench_target_rules
$(BENCH_DIR)/$(1)/progs/%.o: bench/progs/%.c bench/progs/bench_prog.h
	@mkdir -p $$(dir $$@)
	$$(BENCH_$(1)_CC) $$(BENCH_$(1)_FLAGS) $$(BENCH_NATIVE_CFLAGS) -c $$< -o $$@

$(BENCH_DIR)/$(1)/rt/%.o: runtime/%.c $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(BENCH_$(1)_CC) $$(BENCH_$(1)_FLAGS) $$(BENCH_RT_CFLAGS) -c $$< -o $$@

$(BENCH_DIR)/$(1)/bench_dev.o: bench/dev/bench_dev.c bench/bench_io.h $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(BENCH_$(1)_CC) $$(BENCH_$(1)_FLAGS) $$(BENCH_RT_CFLAGS) -c $$< -o $$@

$(BENCH_DIR)/$(1)/os/%.o: $(BUILD)/cross/$(1)/libfcrt.a
	@mkdir -p $$(dir $$@)
	$$(patsubst %-gcc,%-objcopy,$$(BENCH_$(1)_CC)) $(foreach s,$(BENCH_ED_SYMS),--redefine-sym $(s)=os_$(s)) \
	  $(BUILD)/cross/$(1)/runtime/$$*.o $$@

$(BENCH_DIR)/$(1)/bench.elf: $(BENCH_DIR)/$(1)/bench_dev.o \
        $(BENCH_RT_SRCS:runtime/%.c=$(BENCH_DIR)/$(1)/rt/%.o) \
        $(BENCH_ED_OS:%=$(BENCH_DIR)/$(1)/os/%.o) \
        $(BENCH_PROGS:%=$(BENCH_DIR)/$(1)/progs/%.o) bench/dev/bench.ld
	$$(BENCH_$(1)_CC) $$(BENCH_$(1)_FLAGS) -nostdlib -T bench/dev/bench.ld -Wl,--no-warn-rwx-segments \
	  -o $$@ $$(filter %.o,$$^) -lgcc

# ROM/RAM of the runtime parts: `size` of the objects as shipped
# (runtime-cross, -Os) and as the firmware here has them (-O2)
$(BENCH_DIR)/$(1)/size-Os.txt: $(BUILD)/cross/$(1)/libfcrt.a
	@mkdir -p $$(dir $$@)
	$$(BENCH_$(1)_SIZE) $(BENCH_RT_SRCS:%.c=$(BUILD)/cross/$(1)/%.o) > $$@
$(BENCH_DIR)/$(1)/size-O2.txt: $(BENCH_RT_SRCS:runtime/%.c=$(BENCH_DIR)/$(1)/rt/%.o)
	@mkdir -p $$(dir $$@)
	$$(BENCH_$(1)_SIZE) $$^ > $$@

# the same for the runtime build options (runtime/runtime.mk RT_VARIANTS,
# -Os): size-nointerp-Os.txt, size-nonative-Os.txt
$(foreach v,$(RT_VARIANTS),$(eval $(call bench_variant_size,$(1),$(v))))

BENCH_INPUTS += $(BENCH_DIR)/$(1)/bench.elf $(BENCH_DIR)/$(1)/size-Os.txt \
                $(BENCH_DIR)/$(1)/size-O2.txt $(RT_VARIANTS:%=$(BENCH_DIR)/$(1)/size-%-Os.txt)
endef
BENCH_INPUTS := $(BENCH_PROGS:%=$(BENCH_DIR)/ebpf-$(BENCH_MCPU)/%.o)
$(foreach t,$(BENCH_TARGETS),$(eval $(call bench_target_rules,$(t))))

# ---- lx106 (Xtensa): run in qemu-xtensa through the Xtensa runner -----------
#   $(BENCH_DIR)/lx106/bench.bin (+ .nm)  the interpreter at -O2 (fc_vm.c...),
#       the gcc -O2 twins and bench/dev/bench_xt.c, flat at 0x00500000
#   $(BENCH_DIR)/lx106/size-Os.txt  `size` of the runtime as runtime-cross
#       ships it for lx106 (-Os -mlongcalls): ROM per part
# femtoc's lx106 code runs on the machine of sim/fc_xt_diff.h (its routine
# blob: the same 64-bit division at -O2).
BENCH_XT_CC  := xtensa-lx106-elf-gcc
BENCH_XT_RT  := runtime/fc_vm.c runtime/fc_isa.c runtime/fc_libc.c runtime/fc_native_rt.c runtime/fc_div32.c
$(BENCH_DIR)/lx106/progs/%.o: bench/progs/%.c bench/progs/bench_prog.h
	@mkdir -p $(dir $@)
	$(BENCH_XT_CC) $(BENCH_NATIVE_CFLAGS) -c $< -o $@
$(BENCH_DIR)/lx106/rt/%.o: runtime/%.c $(wildcard runtime/*.h)
	@mkdir -p $(dir $@)
	$(BENCH_XT_CC) $(BENCH_RT_CFLAGS) -c $< -o $@
$(BENCH_DIR)/lx106/bench_xt.o: bench/dev/bench_xt.c $(wildcard runtime/*.h)
	@mkdir -p $(dir $@)
	$(BENCH_XT_CC) $(BENCH_RT_CFLAGS) -c $< -o $@
$(BENCH_DIR)/lx106/bench.elf: $(BENCH_DIR)/lx106/bench_xt.o $(BENCH_XT_RT:runtime/%.c=$(BENCH_DIR)/lx106/rt/%.o) \
        $(BENCH_PROGS:%=$(BENCH_DIR)/lx106/progs/%.o) bench/dev/bench_xt.ld
	$(BENCH_XT_CC) -nostdlib -T bench/dev/bench_xt.ld -Wl,--no-warn-rwx-segments -o $@ $(filter %.o,$^) -lgcc
$(BENCH_DIR)/lx106/bench.bin: $(BENCH_DIR)/lx106/bench.elf
	xtensa-lx106-elf-objcopy -O binary $< $@
	xtensa-lx106-elf-nm $< > $(BENCH_DIR)/lx106/bench.nm
$(BENCH_DIR)/lx106/size-Os.txt: $(BUILD)/cross/lx106/libfcrt.a
	@mkdir -p $(dir $@)
	xtensa-lx106-elf-size $(BENCH_RT_SRCS:%.c=$(BUILD)/cross/lx106/%.o) $(BUILD)/cross/lx106/runtime/fc_div32.o > $@
BENCH_INPUTS += $(BENCH_DIR)/lx106/bench.bin $(BENCH_DIR)/lx106/size-Os.txt

# ---- the host program ---------------------------------------------------------
BENCH_HOST_SRCS := bench/femto_bench.c bench/bench_cost_m3.c bench/bench_cost_e31.c \
                   bench/bench_image.c bench/bench_report.c bench/bench_selftest.c bench/bench_xt.c
PROGRAMS += $(BIN)/femto-bench
$(BIN)/femto-bench: $(BENCH_HOST_SRCS:%.c=$(OBJ)/%.o) $(BENCH_PROGS:%=$(OBJ)/bench/progs/%.o) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)
$(BENCH_HOST_SRCS:%.c=$(OBJ)/%.o): CFLAGS += -Ibench
# the host twin of each program: the expected results
$(BENCH_PROGS:%=$(OBJ)/bench/progs/%.o): CFLAGS += -DBENCH_NATIVE -Ibench/progs

.PHONY: bench bench-run
bench: bootstrap
	@$(MAKE) --no-print-directory bench-run

bench-run: $(BIN)/femto-bench $(BENCH_INPUTS)
	$(BIN)/femto-bench -C $(BENCH_DIR) --mcpu $(BENCH_MCPU) --md $(BENCH_OUT)/results.md \
	  --json $(BENCH_OUT)/results.json --plot $(BENCH_DIR)/slowdown $(BENCH_ARGS)
	gnuplot $(BENCH_DIR)/slowdown.gp
	cp $(BENCH_DIR)/slowdown.png $(BENCH_OUT)/slowdown.png
	@echo "bench: wrote $(BENCH_OUT)/results.md, $(BENCH_OUT)/results.json, $(BENCH_OUT)/slowdown.png"

# ---- smoke test: the cost models' self-test, then two programs on Cortex-M3
# through every engine (r0 checked), twice: the two results must be identical
TEST_STEPS += bench-smoke
step-bench-smoke: $(BIN)/femto-bench $(BENCH_INPUTS)
	@sh bench/smoke.sh $(BIN)/femto-bench $(BENCH_DIR) $(BENCH_MCPU)
