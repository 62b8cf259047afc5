# runtime/: the freestanding device runtime (ISA tables, interpreter, sandbox,
# helpers, loader). Built for the host (tests, tools) and cross-compiled.

RUNTIME_SRCS += runtime/fc_isa.c

# ---- cross builds: the device runtime must build freestanding for each core
# FC_LOADER_TERSE: the loader's detailed refusal messages and the names of
# its error codes (about 8 KB on Cortex-M3) stay in the host build, where the
# tools print them; a device reports the code's number ("loader error 75"),
# which femto-objdump --error and femto-board name (docs/PORTING.md)
CROSS_CFLAGS := -std=c99 -Os -ffreestanding -fno-builtin -Wall -Wextra -Werror \
                -ffunction-sections -fdata-sections -Iruntime -DFC_LOADER_TERSE
CROSS_SRCS    = $(RUNTIME_SRCS)

CROSS_cm3_CC     := arm-none-eabi-gcc
CROSS_cm3_FLAGS  := -mcpu=cortex-m3 -mthumb
CROSS_rv32_CC    := riscv64-unknown-elf-gcc
CROSS_rv32_FLAGS := -march=rv32imac -mabi=ilp32
CROSS_lx106_CC   := xtensa-lx106-elf-gcc
CROSS_lx106_FLAGS := -mlongcalls

CROSS_TARGETS := cm3 rv32 lx106

# ---- build options (docs/PORTING.md "Runtime build options") -----------
# Two more archives per core in RT_VARIANT_TARGETS, build/cross-VARIANT/T/:
#   nointerp  -DFC_NO_INTERP: native-only device (fc_vm.c keeps only the
#             sandbox's region/helper functions; no fc_vm_run)
#   nonative  -DFC_NO_NATIVE: interpreter-only device, without the native
#             env code and the relocation files
# RT_V_ABSENT: symbols no object of the variant may define or reference
# (runtime-cross fails if one does: the part is really left out).
RT_VARIANTS        := nointerp nonative
RT_VARIANT_TARGETS := cm3 rv32 lx106
RT_nointerp_DEFS   := -DFC_NO_INTERP
RT_nointerp_DROP   :=
RT_nointerp_ABSENT := fc_vm_run fc_vm_check
RT_nonative_DEFS   := -DFC_NO_NATIVE
RT_nonative_DROP    = $(NATIVE_RT_SRCS) runtime/fc_reloc_thumb.c runtime/fc_reloc_rv32.c
RT_nonative_ABSENT := fc_native_run fc_native_env_init fc_native_helper fc_reloc_thumb fc_reloc_rv32

define cross_variant_rules
$(BUILD)/cross-$(2)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CROSS_$(1)_CC) $$(CROSS_CFLAGS) $$(CROSS_$(1)_FLAGS) $$(RT_$(2)_DEFS) -c $$< -o $$@
$(BUILD)/cross-$(2)/$(1)/libfcrt.a: $$(patsubst %.c,$(BUILD)/cross-$(2)/$(1)/%.o,$$(filter-out $$(RT_$(2)_DROP),$$(CROSS_SRCS)))
	rm -f $$@ && $$(patsubst %-gcc,%-ar,$$(CROSS_$(1)_CC)) rcs $$@ $$^
endef

define cross_rules
# every runtime header: a changed struct must rebuild every object that sees it
# (a stale object linked beside new ones breaks the firmware's ABI silently)
$(BUILD)/cross/$(1)/%.o: %.c $(wildcard runtime/*.h)
	@mkdir -p $$(dir $$@)
	$$(CROSS_$(1)_CC) $$(CROSS_CFLAGS) $$(CROSS_$(1)_FLAGS) -c $$< -o $$@
$(BUILD)/cross/$(1)/libfcrt.a: $$(CROSS_SRCS:%.c=$(BUILD)/cross/$(1)/%.o)
	rm -f $$@ && $$(patsubst %-gcc,%-ar,$$(CROSS_$(1)_CC)) rcs $$@ $$^
$(if $(filter $(1),$(RT_VARIANT_TARGETS)),$(foreach v,$(RT_VARIANTS),$(eval $(call cross_variant_rules,$(1),$(v)))))
endef
# The rules are instantiated by the Makefile after every fragment is read, so
# sources any fragment adds to RUNTIME_SRCS are cross-compiled too.

.PHONY: runtime-cross
runtime-cross: $(foreach t,$(CROSS_TARGETS),$(BUILD)/cross/$(t)/libfcrt.a) \
               $(foreach v,$(RT_VARIANTS),$(foreach t,$(RT_VARIANT_TARGETS),$(BUILD)/cross-$(v)/$(t)/libfcrt.a))
	@for t in $(CROSS_TARGETS); do echo "== runtime for $$t (text data bss per object)"; \
	  case $$t in cm3) s=arm-none-eabi-size;; rv32) s=riscv64-unknown-elf-size;; lx106) s=xtensa-lx106-elf-size;; esac; \
	  $$s -t $(BUILD)/cross/$$t/libfcrt.a | tail -1; done
	@set -e; for v in $(RT_VARIANTS); do for t in $(RT_VARIANT_TARGETS); do \
	  case $$t in cm3) p=arm-none-eabi;; rv32) p=riscv64-unknown-elf;; lx106) p=xtensa-lx106-elf;; esac; \
	  case $$v in nointerp) name="native-only (-DFC_NO_INTERP)"; absent="$(RT_nointerp_ABSENT)";; \
	              nonative) name="interpreter-only (-DFC_NO_NATIVE)"; absent="$(RT_nonative_ABSENT)";; esac; \
	  a=$(BUILD)/cross-$$v/$$t/libfcrt.a; \
	  echo "== $$name runtime for $$t (text data bss, whole archive)"; \
	  $$p-size -t $$a | tail -1; \
	  for s in $$absent; do \
	    if $$p-nm $$a | grep -Eq "^ *([0-9a-f]+ )?[TtUW] $$s$$"; then \
	      echo "runtime-cross: $$name for $$t still has $$s"; exit 1; fi; \
	  done; done; done

TEST_STEPS += runtime-cross
# counts: each default archive, each variant archive (built and without
# its RT_V_ABSENT symbols); any failure stops the recipe above
step-runtime-cross: runtime-cross
	@echo "runtime-cross: $(words $(CROSS_TARGETS) $(foreach v,$(RT_VARIANTS),$(RT_VARIANT_TARGETS))) passed, 0 failed"
