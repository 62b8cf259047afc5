/*
 * t2_engine.c - the thumbv7m engine for the conformance runner and plugin
 * (tests/conformance/fc_engine.h): compile with the Thumb-2 backend (no
 * verifier facts: every access checked), run in Unicorn on an emulated
 * Cortex-M3 (tools/fc_emu.h). To plug it in, fc_engines[] gets the row
 *     {"thumbv7m", "Thumb-2 backend in Unicorn (Cortex-M3)", fc_engine_thumbv7m_run}
 * and the runner/plugin link this object (with -Itools -Itests/conformance).
 * The same adapter serves the RV32 backend (fc_engine_rv32imac_run: rv32imac
 * code on an emulated RV32IMAC, tools/fc_emu_rv32.c).
 * The context is placed at the emulator's context area (r1 = 0x20100000),
 * not at its host address: results that expose pointers differ from the
 * interpreter's "interp" engine, which uses host addresses.
 */
#include <stdio.h>
#include <string.h>

#include "fc_emu.h"
#include "fc_engine.h"

int fc_engine_thumbv7m_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res);
int fc_engine_rv32imac_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res);

/* the suite's helper 5 ("unwind", uBPF): returns r1; 0 stops the program */
static uint64_t unwind(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)r2, (void)r3, (void)r4, (void)r5;
    if (r1 == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return r1;
}
static const fc_helper helpers[] = {{5, unwind, "unwind"}};

/* backend b's code in the emulator *ep of its target (opened once) */
static int run_native(const fc_backend *b, fc_emu **ep, const fc_insn *insns, size_t n,
                      uint8_t *mem, size_t mem_len, fc_engine_result *res)
{
    fc_emu *e = *ep;
    char err[150];
    fc_prog p;
    fc_vm vm;
    uint32_t entry, ctx_addr, area;
    uint64_t r0 = 0;
    int rc;

    memset(res, 0, sizeof *res);
    if (!e && !(e = *ep = fc_emu_open_target(b->target, err, sizeof err))) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "emulator: %s", err);
        return res->err;
    }
    fc_emu_set_backend(e, b);
    uint8_t *ctx = fc_emu_area(e, FC_EMU_CTX, &ctx_addr, &area);
    if (n > UINT32_MAX || mem_len > area) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "program or memory too large for the emulator");
        return res->err;
    }
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)insns;
    p.ninsns = (uint32_t)n;
    rc = fc_emu_load_prog(e, &p, NULL, NULL, &entry, NULL, err, sizeof err);
    if (rc != FC_BK_OK) {
        res->err = FC_ERR_BAD_PROGRAM;
        snprintf(res->msg, sizeof res->msg, "%s", err);
        return res->err;
    }
    if (mem_len)
        memcpy(ctx, mem, mem_len);
    rc = fc_emu_vm(e, &vm, insns, (uint32_t)n);
    if (rc == FC_OK && mem_len)
        rc = fc_vm_add_region(&vm, ctx_addr, ctx, (uint32_t)mem_len, FC_PERM_RW, FC_REGION_CTX);
    fc_vm_set_helpers(&vm, helpers, 1, NULL, 0);
    if (rc == FC_OK) {
        fc_emu_stats st;
        rc = fc_emu_run(e, entry, &vm, mem_len ? ctx_addr : 0, mem_len, &r0, &st);
        if (rc < 0) {
            res->err = FC_ERR_BAD_PROGRAM;
            snprintf(res->msg, sizeof res->msg, "%s in the emulator: machine fault at 0x%x (%d)",
                     b->name, st.pc, st.uc_err);
            return res->err;
        }
    }
    if (mem_len)
        memcpy(mem, ctx, mem_len);
    res->err = rc;
    if (rc == FC_OK) {
        res->r0 = r0;
    } else {
        res->err_pc = vm.err_pc;
        res->err_addr = vm.err_addr;
        snprintf(res->msg, sizeof res->msg, "%s at pc %u", fc_err_str(rc), vm.err_pc);
    }
    return rc;
}

int fc_engine_thumbv7m_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res)
{
    static fc_emu *e;
    return run_native(&fc_backend_thumbv7m, &e, insns, n, mem, mem_len, res);
}

int fc_engine_rv32imac_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res)
{
    static fc_emu *e;
    return run_native(&fc_backend_rv32imac, &e, insns, n, mem, mem_len, res);
}
