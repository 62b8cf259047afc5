/*
 * fc_xt_engine.c - the "lx106" and "esp32" conformance engines: the Xtensa
 * backends' code (backends/xtensa/xt_isel.c, the middle end) run through
 * the Xtensa runner (fc_xt.h): lx106 code (call0) in qemu-xtensa -cpu
 * lx106, esp32 code (windowed ABI, DIV32) in qemu-xtensa -cpu dc233c,
 * QEMU's core with windowed registers, MUL32 and DIV32 (no upstream QEMU
 * core is an LX6), called with CALLX8. Each engine has its own process.
 *
 * Guest memory (one QEMU process for the whole run, restarted after a fault):
 *
 *   0x00100000  the lx106 routine blob (sim/xtensa.mk): 64-bit division and
 *               the suite's helper trampoline (sim/xt_conf_rt.c)
 *   0x00200000  the code (256 KiB: l32r reaches its pool from anywhere)
 *   0x00300000  the environment (struct fc_native_env)
 *   0x00310000  the context (64 KiB)
 *   0x00180000  esp32 only: the windowed trampolines (below, FC_XT_TRAMP_BASE)
 *   0x00400000  the stack, FC_MAX_CALL_DEPTH frames, top 0x00401000
 *
 * The routine blob is call0 code (xtensa-lx106-elf-gcc cannot make windowed
 * code), and esp32 code reaches the runtime's routines with CALLX8. So the
 * esp32 engine binds each routine symbol (FC_SYM_HELPER.., five) to a
 * windowed trampoline of its own on one page at 0x00180000, encoded by
 * sim/fc_xt_tramp.c (fc_xt_tramp.h has the sequence; the Xtensa differential
 * layer uses the same).
 *
 * The env is built on the host by fc_native_env_init over a host VM whose
 * regions and stack carry these guest addresses, copied in, and read back
 * after the call for fc_native_env_finish. Unlike the Unicorn machines,
 * QEMU user mode maps whole pages and has no access hook: an access by the
 * code past the context but inside its 64 KiB is not caught here (one
 * outside every mapping kills QEMU with SIGSEGV, reported as a failure).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_backend.h"
#include "fc_engine.h"
#include "fc_native.h"
#include "fc_vm.h"
#include "fc_xt.h"
#include "fc_xt_tramp.h"

extern const uint8_t fc_xt_rt_lx106[];
extern const uint32_t fc_xt_rt_lx106_len;
extern const uint32_t fc_xt_rt_lx106_fc_native_udiv64, fc_xt_rt_lx106_fc_native_umod64,
    fc_xt_rt_lx106_fc_native_sdiv64, fc_xt_rt_lx106_fc_native_smod64, fc_xt_rt_lx106_fc_xt_conf_helper;

#define XE_RT    0x00100000u
#define XE_CODE  0x00200000u
#define XE_CODE_SIZE 0x40000u
#define XE_ENV   0x00300000u
#define XE_CTX   0x00310000u
#define XE_CTX_SIZE 0x10000u
#define XE_STACK 0x00400000u
#define XE_STACK_SIZE (FC_STACK_SIZE * FC_MAX_CALL_DEPTH)
#define XE_PAGE  4096u

/* one engine: its backend, core, ABI and QEMU process */
typedef struct xe_flavour {
    const char *name;
    const fc_backend *bk;
    enum fc_xt_core core;
    enum fc_xt_abi abi;
    fc_xt *x;
} xe_flavour;

static xe_flavour xe_lx106 = {"lx106", &fc_backend_lx106, FC_XT_LX106, FC_XT_CALL0, NULL};
static xe_flavour xe_esp32 = {"esp32", &fc_backend_esp32, FC_XT_DC233C, FC_XT_WINDOWED, NULL};

static int xe_open(xe_flavour *fl, char *err, size_t len)
{
    /* the trampoline page (see the top): the call0 routines in
     * FC_SYM_HELPER.. order */
    const uint32_t target[FC_XT_TRAMP_NSYM] = {fc_xt_rt_lx106_fc_xt_conf_helper, fc_xt_rt_lx106_fc_native_udiv64,
                                               fc_xt_rt_lx106_fc_native_sdiv64, fc_xt_rt_lx106_fc_native_umod64,
                                               fc_xt_rt_lx106_fc_native_smod64};
    if (fl->x)
        return 0;
    fc_xt *xe = fl->x = fc_xt_open(fl->core, err, len);
    if (!xe)
        return -1;
    if (fl->abi == FC_XT_WINDOWED && fc_xt_tramp_install(xe, target)) {
        snprintf(err, len, "qemu-xtensa: the trampoline page failed");
        fc_xt_close(xe);
        fl->x = NULL;
        return -1;
    }
    if (fc_xt_map(xe, XE_RT, (fc_xt_rt_lx106_len + XE_PAGE - 1) & ~(XE_PAGE - 1), FC_XT_RWX) ||
        fc_xt_write(xe, XE_RT, fc_xt_rt_lx106, fc_xt_rt_lx106_len) ||
        fc_xt_map(xe, XE_CODE, XE_CODE_SIZE, FC_XT_RWX) ||
        fc_xt_map(xe, XE_ENV, XE_PAGE, FC_XT_R | FC_XT_W) ||
        fc_xt_map(xe, XE_CTX, XE_CTX_SIZE, FC_XT_R | FC_XT_W) ||
        fc_xt_map(xe, XE_STACK, (XE_STACK_SIZE + XE_PAGE - 1) & ~(XE_PAGE - 1), FC_XT_R | FC_XT_W)) {
        snprintf(err, len, "qemu-xtensa: the memory map failed");
        fc_xt_close(xe);
        fl->x = NULL;
        return -1;
    }
    return 0;
}

static int sym_addr(const xe_flavour *fl, unsigned sym, uint32_t *v)
{
    if (fl->abi == FC_XT_WINDOWED)
        return (*v = fc_xt_tramp_sym(sym)) ? 0 : -1;
    switch (sym) {
    case FC_SYM_HELPER: *v = fc_xt_rt_lx106_fc_xt_conf_helper; return 0;
    case FC_SYM_UDIV64: *v = fc_xt_rt_lx106_fc_native_udiv64; return 0;
    case FC_SYM_SDIV64: *v = fc_xt_rt_lx106_fc_native_sdiv64; return 0;
    case FC_SYM_UMOD64: *v = fc_xt_rt_lx106_fc_native_umod64; return 0;
    case FC_SYM_SMOD64: *v = fc_xt_rt_lx106_fc_native_smod64; return 0;
    default: return -1;     /* no .rodata/.data/.bss in the suite's runs */
    }
}

static int bad(fc_engine_result *res, const char *fmt, const char *a, long b)
{
    res->err = FC_ERR_BAD_PROGRAM;
    snprintf(res->msg, sizeof res->msg, fmt, a, b);
    return res->err;
}

static int xe_run(xe_flavour *fl, const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                  fc_engine_result *res)
{
    static uint8_t stack[XE_STACK_SIZE];
    const fc_backend *b = fl->bk;
    const char *nm = fl->name;
    fc_bk_opts opts = {0, NULL, 0};
    fc_bk_out out;
    fc_diag dg[4];
    fc_diags diags = {dg, 4, 0, 0, 0};
    fc_prog p;
    fc_vm vm;
    fc_native_env env;
    fc_xt_stats st;
    char err[160];
    uint32_t eoff = 0, arg = XE_ENV;
    uint64_t ret = 0, r0 = 0;
    void *work = NULL;
    int rc;

    memset(res, 0, sizeof *res);
    if (xe_open(fl, err, sizeof err)) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "%s", err);
        return res->err;
    }
    if (n > UINT32_MAX || mem_len > XE_CTX_SIZE) {
        res->err = FC_ERR_BAD_ARG;
        snprintf(res->msg, sizeof res->msg, "program or memory too large for the %s engine", nm);
        return res->err;
    }
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)insns;
    p.ninsns = (uint32_t)n;
    memset(&out, 0, sizeof out);
    size_t wl = b->work_size(&p);
    work = malloc(wl);
    if (!work)
        return bad(res, "%s: out of memory%ld", nm, 0);
    rc = b->compile(&p, NULL, &opts, work, wl, &out, &diags);
    if (rc == FC_BK_ENOSPACE) {
        out.code = malloc(out.code_len ? out.code_len : 1);
        out.code_cap = out.code_len;
        out.relocs = malloc(sizeof *out.relocs * (out.nrelocs + 1));
        out.relocs_cap = out.nrelocs;
        out.entry_off = &eoff;
        rc = out.code && out.relocs ? b->compile(&p, NULL, &opts, work, wl, &out, &diags) : FC_BK_EWORK;
    }
    free(work);
    if (rc == FC_BK_OK && out.code_len > XE_CODE_SIZE)
        rc = FC_BK_EPROG;
    for (uint32_t k = 0; rc == FC_BK_OK && k < out.nrelocs; k++) {
        const fc_bk_reloc *r = &out.relocs[k];
        uint32_t v;
        if (r->kind != FC_RELOC_ABS32 || r->offset + 4u > out.code_len || sym_addr(fl, r->sym, &v)) {
            free(out.code);
            free(out.relocs);
            return bad(res, "%s: relocation against symbol %ld not supported by the engine", nm, r->sym);
        }
        v += (uint32_t)r->addend;
        for (unsigned j = 0; j < 4; j++)
            out.code[r->offset + j] = (uint8_t)(v >> (8 * j));
    }
    if (rc != FC_BK_OK) {
        snprintf(res->msg, sizeof res->msg, "%s backend: status %d%s%.160s", nm, rc, diags.n ? ": " : "",
                 diags.n ? dg[0].msg : "");
        res->err = FC_ERR_BAD_PROGRAM;
        free(out.code);
        free(out.relocs);
        return res->err;
    }
    rc = fc_xt_write(fl->x, XE_CODE, out.code, out.code_len);
    free(out.code);
    free(out.relocs);
    if (rc)
        return bad(res, "%s: code write failed (%ld)", "qemu-xtensa", rc);

    if (fc_vm_init(&vm, insns, (uint32_t)n, stack, sizeof stack) != FC_OK)
        return bad(res, "%s: VM set-up failed%ld", nm, 0);
    vm.stack_addr = XE_STACK;
    if (mem_len && fc_vm_add_region(&vm, XE_CTX, mem, (uint32_t)mem_len, FC_PERM_RW, FC_REGION_CTX) != FC_OK)
        return bad(res, "%s: VM set-up failed%ld", nm, 0);
    rc = fc_native_env_init(&env, &vm, mem_len ? XE_CTX : 0, mem_len);
    if (rc != FC_OK)
        return bad(res, "%s: env set-up failed (%ld)", nm, rc);
    if (fc_xt_write(fl->x, XE_ENV, &env, sizeof env) || fc_xt_write(fl->x, XE_STACK, stack, sizeof stack) ||
        (mem_len && fc_xt_write(fl->x, XE_CTX, mem, (uint32_t)mem_len)))
        return bad(res, "%s: memory write failed%ld", "qemu-xtensa", 0);
    memset(&st, 0, sizeof st);
    rc = fc_xt_call(fl->x, XE_CODE + eoff, fl->abi, &arg, 1, &ret, &st);
    if (rc == FC_XT_EFAULT)
        return bad(res, "%s: the code faulted in qemu-xtensa (signal %ld)", nm, st.signal);
    if (rc == FC_XT_ETIMEOUT)
        return bad(res, "%s: no return within the time limit%ld", nm, 0);
    if (rc != FC_XT_OK)
        return bad(res, "%s: runner error %ld", "qemu-xtensa", rc);
    if (fc_xt_read(fl->x, XE_ENV, &env, sizeof env) || (mem_len && fc_xt_read(fl->x, XE_CTX, mem, (uint32_t)mem_len)))
        return bad(res, "%s: memory read failed%ld", "qemu-xtensa", 0);
    rc = fc_native_env_finish(&env, &vm, (uint32_t)ret, &r0);
    res->err = rc;
    if (rc == FC_OK) {
        res->r0 = r0;
    } else {
        res->err_pc = vm.err_pc;
        res->err_addr = vm.err_addr;
        if (rc == FC_ERR_MEM_READ || rc == FC_ERR_MEM_WRITE)
            snprintf(res->msg, sizeof res->msg, "%s at pc %u (address 0x%llx)", fc_err_str(rc), res->err_pc,
                     (unsigned long long)res->err_addr);
        else
            snprintf(res->msg, sizeof res->msg, "%s at pc %u", fc_err_str(rc), res->err_pc);
    }
    return rc;
}

int fc_engine_lx106_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                        fc_engine_result *res)
{
    return xe_run(&xe_lx106, insns, n, mem, mem_len, res);
}

int fc_engine_esp32_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                        fc_engine_result *res)
{
    return xe_run(&xe_esp32, insns, n, mem, mem_len, res);
}
