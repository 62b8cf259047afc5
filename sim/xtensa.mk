# sim/xtensa.mk: the Xtensa runner of the host simulator (sim/fc_xt.h):
#   sim/xt_monitor.c   the guest program qemu-xtensa runs (built with
#                      xtensa-lx106-elf-gcc, linked by sim/xt_monitor.ld,
#                      embedded as a C array by sim/gen-xt-blob)
#   sim/fc_xt.c        the host side: one QEMU process, requests over a socket
# and the lx106 runtime routines (runtime/fc_div32.c, the 64-bit division of
# runtime/fc_native_rt.c) linked flat at FC_XT_RT_ADDR (sim/fc_xt_rt.ld) for it,
# with the conformance suite's helper trampoline (sim/xt_conf_rt.c) that the
# "lx106" engine (sim/fc_xt_engine.c) runs native code against.
XT_GEN := $(BUILD)/gen
XT_CC := xtensa-lx106-elf-gcc
XT_CFLAGS := -std=c99 -O2 -ffreestanding -fno-builtin -Wall -Wextra -Werror -Iruntime \
             -ffunction-sections -fdata-sections
XT_RT_ROUTINES := fc_udiv32 fc_umod32 fc_sdiv32 fc_smod32 __udivsi3 __umodsi3 __divsi3 __modsi3 \
                  __muldi3 fc_native_udiv64 fc_native_umod64 fc_native_sdiv64 fc_native_smod64 \
                  fc_xt_conf_helper

$(XT_GEN)/xt_monitor.elf: sim/xt_monitor.c sim/xt_monitor.ld
	@mkdir -p $(dir $@)
	$(XT_CC) $(XT_CFLAGS) -nostdlib -T sim/xt_monitor.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments \
	  -Wl,-u,fc_xt_upcall -o $@ sim/xt_monitor.c

# the upcall's address (the helper trampoline of sim/fc_xt_diff.c) from its symbols
$(XT_GEN)/fc_xt_monitor.c: $(XT_GEN)/xt_monitor.elf sim/gen-xt-blob
	xtensa-lx106-elf-nm $< > $(XT_GEN)/xt_monitor.nm
	$(PYTHON) sim/gen-xt-blob $< $(XT_GEN)/xt_monitor.nm fc_xt_monitor_elf $@ fc_xt_upcall

# no -lgcc: Debian's lx106 libgcc lacks __udivsi3, __muldi3...; fc_div32.c
# has them, and the link fails if anything else is missing
$(XT_GEN)/fc_xt_rt_lx106.elf: runtime/fc_div32.c runtime/fc_div32.h $(EMU_RT_DEPS) sim/fc_xt_rt.ld sim/xt_conf_rt.c
	@mkdir -p $(dir $@)
	$(XT_CC) $(XT_CFLAGS) -nostdlib -Wl,--gc-sections -T sim/fc_xt_rt.ld \
	  $(addprefix -Wl$(comma)-u$(comma),$(XT_RT_ROUTINES)) \
	  -o $@ runtime/fc_div32.c runtime/fc_native_rt.c runtime/fc_libc.c sim/xt_conf_rt.c

$(XT_GEN)/fc_xt_rt_lx106.c: $(XT_GEN)/fc_xt_rt_lx106.elf sim/gen-xt-blob
	xtensa-lx106-elf-objcopy -O binary $< $(XT_GEN)/fc_xt_rt_lx106.bin
	xtensa-lx106-elf-nm $< > $(XT_GEN)/fc_xt_rt_lx106.nm
	$(PYTHON) sim/gen-xt-blob $(XT_GEN)/fc_xt_rt_lx106.bin $(XT_GEN)/fc_xt_rt_lx106.nm fc_xt_rt_lx106 $@ \
	  $(XT_RT_ROUTINES)

SIM_SRCS += sim/fc_xt.c sim/fc_xt_tramp.c sim/fc_xt_engine.c sim/fc_xt_diff.c $(XT_GEN)/fc_xt_monitor.c $(XT_GEN)/fc_xt_rt_lx106.c

# ---- the runner, the encodings lx106 binutils cannot check, the division -----
# tests/xtensa/xt_sim.c: hand-encoded routines (xt_enc.h) on both cores, the
# windowed and DIV32 instructions by execution on dc233c, faults, restarts,
# instruction counts, and runtime/fc_div32.c + the 64-bit division routines
# against host arithmetic on random inputs (fixed seed) on lx106.
PROGRAMS += $(BIN)/xt-sim-test
$(BIN)/xt-sim-test: $(OBJ)/tests/xtensa/xt_sim.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)

TEST_STEPS += xtensa-sim
step-xtensa-sim: $(BIN)/xt-sim-test
	$(BIN)/xt-sim-test
