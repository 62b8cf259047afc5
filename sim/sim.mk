# sim/sim.mk: the host device simulator, libfcsim (host only; every host
# program links it and -lunicorn):
#   fc_emu.c, fc_emu_rv32.c  the Unicorn machines (Cortex-M3, RV32IMAC) with
#                            exact memory maps (sim/fc_emu.h)
#   fr_device.c              a device running containers through the real
#                            loader (femto-run, the differential drivers)
#   fc_engine.c              the engines of the conformance runner/plugin
# and the runtime-routine blobs the machines embed: runtime/fc_native_rt.c
# compiled for each core like on a device (-O2), linked flat at
# FC_EMU_RT_ADDR (sim/fc_emu_rt.ld), turned into a C array with the
# routines' addresses (sim/gen-rt-blob), so executed-instruction counts
# include them.
EMU_RT_ROUTINES := fc_native_udiv64 fc_native_sdiv64 fc_native_umod64 fc_native_smod64 \
                   fc_native_memcheck
EMU_GEN := $(BUILD)/gen
RV_EMU_GEN := $(EMU_GEN)
EMU_RT_DEPS := runtime/fc_native_rt.c runtime/fc_libc.c runtime/fc_native.h runtime/fc_vm.h \
               sim/fc_emu_rt.ld
EMU_RT_LDFLAGS = -nostdlib -Wl,--gc-sections -T sim/fc_emu_rt.ld \
                 $(addprefix -Wl$(comma)-u$(comma),$(EMU_RT_ROUTINES))
EMU_RT_CFLAGS := -std=c99 -O2 -ffreestanding -fno-builtin -Wall -Wextra -Werror -Iruntime \
                 -ffunction-sections -fdata-sections
comma := ,

# Cortex-M3
$(EMU_GEN)/fc_emu_rt.elf: $(EMU_RT_DEPS)
	@mkdir -p $(dir $@)
	arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb $(EMU_RT_CFLAGS) $(EMU_RT_LDFLAGS) \
	  -o $@ runtime/fc_native_rt.c runtime/fc_libc.c

# RV32IMAC: -msmall-data-limit=0 and --no-relax: no gp-relative accesses
# (the blob has no gp)
$(EMU_GEN)/fc_emu_rt_rv32.elf: $(EMU_RT_DEPS)
	@mkdir -p $(dir $@)
	riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -msmall-data-limit=0 $(EMU_RT_CFLAGS) \
	  $(EMU_RT_LDFLAGS) -Wl,--no-relax -o $@ runtime/fc_native_rt.c runtime/fc_libc.c -lgcc

$(EMU_GEN)/fc_emu_rt.c: $(EMU_GEN)/fc_emu_rt.elf sim/gen-rt-blob
	arm-none-eabi-objcopy -O binary -j .text $< $(EMU_GEN)/fc_emu_rt.bin
	arm-none-eabi-nm $< > $(EMU_GEN)/fc_emu_rt.nm
	$(PYTHON) sim/gen-rt-blob $(EMU_GEN)/fc_emu_rt.bin $(EMU_GEN)/fc_emu_rt.nm fc_emu_rt 1 $@

$(EMU_GEN)/fc_emu_rt_rv32.c: $(EMU_GEN)/fc_emu_rt_rv32.elf sim/gen-rt-blob
	riscv64-unknown-elf-objcopy -O binary -j .text $< $(EMU_GEN)/fc_emu_rt_rv32.bin
	riscv64-unknown-elf-nm $< > $(EMU_GEN)/fc_emu_rt_rv32.nm
	$(PYTHON) sim/gen-rt-blob $(EMU_GEN)/fc_emu_rt_rv32.bin $(EMU_GEN)/fc_emu_rt_rv32.nm \
	  fc_emu_rt_rv32 0 $@

SIM_SRCS += sim/fc_emu.c sim/fc_emu_rv32.c sim/fr_device.c sim/fc_engine.c \
            $(EMU_GEN)/fc_emu_rt.c $(EMU_GEN)/fc_emu_rt_rv32.c
$(OBJ)/$(EMU_GEN)/fc_emu_rt.o $(OBJ)/$(EMU_GEN)/fc_emu_rt_rv32.o: CFLAGS += -Wno-missing-field-initializers
