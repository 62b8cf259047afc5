/*
 * fc_emu_rv32.c - the RV32IMAC target of the Unicorn harness (tools/fc_emu.h):
 * how an emulated RV32IMAC core (Unicorn's SiFive E31 model: rv32imac, M
 * mode) runs code made by the rv32imac / rv32ima backends. The memory map,
 * the differential runs and everything else are the harness's (fc_emu.c);
 * this file gives what differs from Cortex-M3:
 *
 *   - the core: UC_ARCH_RISCV, UC_MODE_RISCV32, CPU model SiFive E31, set
 *     at once after uc_open (as trap 1 of ../shared/notes/emulation.md for
 *     Cortex-M: the default model is a generic rv32 with extensions the
 *     target does not have);
 *   - the calling convention (ILP32): env in a0, return address in ra,
 *     result in a0; the trampoline's arguments a0 (env), a1 (id), a2 (fb);
 *   - the stub page: `jalr zero, 0(ra)` at FC_EMU_HELPER_ADDR (the hook runs
 *     the host's fc_native_helper_vm first) and `jal zero, .` at
 *     FC_EMU_SENTINEL (the run stops on reaching it);
 *   - the runtime routines: runtime/fc_native_rt.c compiled with
 *     riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -O2 into a blob
 *     at FC_EMU_RT_ADDR (backends/rv32/rv32.mk), so executed-instruction
 *     counts include them;
 *   - interrupts: mstatus.MIE is set before every run and must be set again
 *     after it (the interrupt-masked atomics must restore it).
 *
 * Illegal instructions (trap 6) end the run with UC_ERR_EXCEPTION: the
 * harness reports a machine fault.
 */
#include "fc_emu.h"

#include <unicorn/unicorn.h>

#include "rv32/rv_enc.h"

/* the runtime routines, compiled for RV32IMAC at build time (rv32.mk) */
extern const uint8_t fc_emu_rt_rv32_blob[];
extern const uint32_t fc_emu_rt_rv32_blob_len;
extern const uint32_t fc_emu_rt_rv32_sym[FC_SYM__COUNT];

static void rv32_stubs(uint8_t *page)
{
    rv_put(page + (FC_EMU_HELPER_ADDR - FC_EMU_STUB_ADDR), rv_jalr(RV_ZERO, RV_RA, 0));
    rv_put(page + (FC_EMU_SENTINEL - FC_EMU_STUB_ADDR), rv_jal(RV_ZERO, 0));
}

static int rv32_before(struct uc_struct *uc)
{
    uint32_t ms = 0;
    if (uc_reg_read(uc, UC_RISCV_REG_MSTATUS, &ms) != UC_ERR_OK)
        return -1;
    ms |= RV_MSTATUS_MIE;
    return uc_reg_write(uc, UC_RISCV_REG_MSTATUS, &ms) == UC_ERR_OK ? 0 : -1;
}

static int rv32_after(struct uc_struct *uc)
{
    uint32_t ms = 0;
    if (uc_reg_read(uc, UC_RISCV_REG_MSTATUS, &ms) != UC_ERR_OK)
        return -1;
    return (ms & RV_MSTATUS_MIE) ? 0 : -1;     /* left with interrupts masked */
}

const fc_emu_arch fc_emu_arch_rv32imac = {
    .target = FC_TARGET_RV32IMAC,
    .backend = &fc_backend_rv32imac,
    .uc_arch = UC_ARCH_RISCV,
    .uc_mode = UC_MODE_RISCV32,
    .uc_cpu = UC_CPU_RISCV32_SIFIVE_E31,
    .reg_arg = {UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2},
    .reg_sp = UC_RISCV_REG_SP,
    .reg_ret = UC_RISCV_REG_RA,
    .reg_pc = UC_RISCV_REG_PC,
    .code_bit = 0,
    .rt_blob = fc_emu_rt_rv32_blob,
    .rt_blob_len = &fc_emu_rt_rv32_blob_len,
    .rt_sym = fc_emu_rt_rv32_sym,
    .stubs = rv32_stubs,
    .before = rv32_before,
    .after = rv32_after,
};
