/*
 * fc_engine.c - engine table for the conformance runner and plugin: the
 * interpreter and each backend in the simulator.
 */
#include "fc_engine.h"

#include <stdio.h>
#include <string.h>

#include "fc_emu.h"
#include "fc_vm.h"

/*
 * The suite's helper 5 ("unwind", from uBPF): returns its first argument;
 * a return of 0 stops the program at once (call_unwind_fail.data, callx.data).
 */
static uint64_t conf_unwind(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                            uint64_t r4, uint64_t r5)
{
    (void)r2, (void)r3, (void)r4, (void)r5;
    if (r1 == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return r1;
}

static const fc_helper conf_helpers[] = {
    {5, conf_unwind, "unwind"},
};

static void describe(fc_engine_result *res)
{
    if (res->err == FC_ERR_MEM_READ || res->err == FC_ERR_MEM_WRITE)
        snprintf(res->msg, sizeof res->msg, "%s at pc %u (address 0x%llx)",
                 fc_err_str(res->err), res->err_pc, (unsigned long long)res->err_addr);
    else
        snprintf(res->msg, sizeof res->msg, "%s at pc %u", fc_err_str(res->err), res->err_pc);
}

/* the outcome of a run of vm into res */
static int finish(fc_engine_result *res, int rc, uint64_t r0, const fc_vm *vm)
{
    res->err = rc;
    if (rc == FC_OK) {
        res->r0 = r0;
    } else {
        res->err_pc = vm->err_pc;
        res->err_addr = vm->err_addr;
        describe(res);
    }
    return rc;
}

/* ---- interp: the reference interpreter (runtime/fc_vm.c) ---------------- */
static int run_interp(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                      fc_engine_result *res)
{
    static uint8_t stack[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
    fc_vm vm;
    uint64_t r0 = 0, ctx = 0;
    int rc;

    memset(res, 0, sizeof *res);
    if (n > UINT32_MAX || mem_len > UINT32_MAX) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "program or memory too large");
        return res->err;
    }
    rc = fc_vm_init(&vm, insns, (uint32_t)n, stack, sizeof stack);
    if (rc == FC_OK && mem_len) {
        ctx = (uint64_t)(uintptr_t)mem;
        rc = fc_vm_add_region(&vm, ctx, mem, (uint32_t)mem_len, FC_PERM_RW, FC_REGION_CTX);
    }
    if (rc != FC_OK) {
        res->err = rc;
        snprintf(res->msg, sizeof res->msg, "VM set-up failed: %s", fc_err_str(rc));
        return rc;
    }
    fc_vm_set_helpers(&vm, conf_helpers, sizeof conf_helpers / sizeof conf_helpers[0], NULL, 0);
    rc = fc_vm_run(&vm, ctx, mem_len, &r0);
    return finish(res, rc, r0, &vm);
}

/* ---- native engines: a backend's code in the simulator (fc_emu.h) --------
 * Compiled without verifier facts (every access checked), run on an emulated
 * Cortex-M3 or RV32IMAC. The context is placed at the machine's context area
 * (r1 = 0x20100000), not at its host address: results that expose pointers
 * differ from the "interp" engine, which uses host addresses. */
/* backend b's code in the emulator *ep of its target (opened once) */
static int run_native(const fc_backend *b, uint32_t bk_flags, fc_emu **ep, const fc_insn *insns, size_t n,
                      uint8_t *mem, size_t mem_len, fc_engine_result *res)
{
    fc_bk_opts opts = {bk_flags, NULL, 0};
    fc_emu *e = *ep;
    char err[150];
    fc_prog p;
    fc_vm vm;
    fc_emu_case c;
    uint32_t entry, area;
    uint64_t r0 = 0, ctx_addr = 0;
    int rc;

    memset(res, 0, sizeof *res);
    if (!e && !(e = *ep = fc_emu_open_target(b->target, err, sizeof err))) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "emulator: %s", err);
        return res->err;
    }
    fc_emu_set_backend(e, b);
    uint8_t *ctx = fc_emu_area(e, FC_EMU_CTX, NULL, &area);
    if (n > UINT32_MAX || mem_len > area) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "program or memory too large for the emulator");
        return res->err;
    }
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)insns;
    p.ninsns = (uint32_t)n;
    rc = fc_emu_load_prog(e, &p, NULL, &opts, &entry, NULL, err, sizeof err);
    if (rc != FC_BK_OK) {
        res->err = FC_ERR_BAD_PROGRAM;
        snprintf(res->msg, sizeof res->msg, "%s", err);
        return res->err;
    }
    memset(&c, 0, sizeof c);
    c.insns = insns;
    c.n = (uint32_t)n;
    c.ctx = mem;
    c.ctx_len = (uint32_t)mem_len;
    c.helpers = conf_helpers;
    c.nhelpers = sizeof conf_helpers / sizeof conf_helpers[0];
    rc = fc_emu_case_vm(e, &c, &vm, &ctx_addr);
    if (rc == FC_OK) {
        fc_emu_stats st;
        rc = fc_emu_run(e, entry, &vm, ctx_addr, mem_len, &r0, &st);
        if (rc == FC_EMU_EACCESS) {
            res->err = FC_ERR_BAD_PROGRAM;
            snprintf(res->msg, sizeof res->msg,
                     "%s in the simulator: %s of 0x%08x outside the granted memory at pc 0x%x",
                     b->name, fc_emu_fault_str(st.fault), st.fault_addr, st.pc);
            return res->err;
        }
        if (rc < 0) {
            res->err = FC_ERR_BAD_PROGRAM;
            snprintf(res->msg, sizeof res->msg, "%s in the emulator: machine fault at 0x%x (%d)",
                     b->name, st.pc, st.uc_err);
            return res->err;
        }
    }
    if (mem_len)
        memcpy(mem, ctx, mem_len);
    return finish(res, rc, r0, &vm);
}

int fc_engine_thumbv7m_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res)
{
    static fc_emu *e;
    return run_native(&fc_backend_thumbv7m, 0, &e, insns, n, mem, mem_len, res);
}

int fc_engine_rv32imac_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res)
{
    static fc_emu *e;
    return run_native(&fc_backend_rv32imac, 0, &e, insns, n, mem, mem_len, res);
}

/* ---- the table ------------------------------------------------------------ */
const fc_engine fc_engines[] = {
    {"interp", "reference interpreter (runtime/fc_vm.c)", run_interp},
    {"thumbv7m", "Thumb-2 backend (the middle end's selector), run in Unicorn (Cortex-M3)",
     fc_engine_thumbv7m_run},
    {"rv32imac", "RV32IMAC backend (the middle end's selector), run in Unicorn (SiFive E31)",
     fc_engine_rv32imac_run},
    {"lx106", "lx106 (Xtensa) through the middle end, in qemu-xtensa (sim/fc_xt_engine.c)", fc_engine_lx106_run},
    {"esp32", "esp32 (Xtensa LX6, windowed) through the middle end, in qemu-xtensa -cpu dc233c", fc_engine_esp32_run},
};
const size_t fc_engines_count = sizeof fc_engines / sizeof fc_engines[0];

const fc_engine *fc_engine_find(const char *name)
{
    for (size_t k = 0; k < fc_engines_count; k++)
        if (strcmp(fc_engines[k].name, name) == 0)
            return &fc_engines[k];
    return NULL;
}

long fc_engine_check(const fc_insn *insns, size_t n, char *msg, size_t size)
{
    if (n == 0) {
        snprintf(msg, size, "empty program");
        return 0;
    }
    for (size_t pc = 0; pc < n;) {
        const fc_insn *next = pc + 1 < n ? &insns[pc + 1] : NULL;
        enum fc_insn_fault f = fc_insn_check(&insns[pc], next, NULL);
        if (f != FC_INSN_OK) {
            snprintf(msg, size, "invalid instruction at %zu (opcode 0x%02x): %s", pc, insns[pc].op,
                     fc_insn_fault_str(f));
            return (long)pc;
        }
        pc += fc_insn_slots(insns[pc]);
    }
    return -1;
}

int fc_engine_exec(const fc_engine *e, const fc_insn *insns, size_t n,
                   uint8_t *mem, size_t mem_len, fc_engine_result *res)
{
    long bad;
    memset(res, 0, sizeof *res);
    bad = fc_engine_check(insns, n, res->msg, sizeof res->msg);
    if (bad >= 0) {
        res->err = FC_ERR_BAD_INSN;
        res->err_pc = (uint32_t)bad;
        return res->err;
    }
    return e->run(insns, n, mem, mem_len, res);
}
