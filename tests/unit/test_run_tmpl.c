/*
 * Unit tests: fc_run's run template (runtime/fc_loader.c) and the header
 * field stack_untouched (docs/fcx.md, docs/sandbox.md section 3).
 *
 * - The template must be exactly what a fresh build gives, run after run,
 *   whatever the host changed in between (context moved or dropped, extra
 *   regions added or edited in place, another stack buffer, the budget): a
 *   platform hook compares the env fc_run hands it with fc_native_env_init
 *   of the same VM, and the VM's table with the regions asked for.
 * - A native run clears the part of every frame the container says the code
 *   can touch, after a run that dirtied the whole stack; it leaves the rest.
 * - The interpreter, through the same template, sees an extra region the
 *   host changed in place.
 * - femtoc's value of the field is 0 unless the program provably stays in
 *   its one frame; the loader refuses an inconsistent value.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "fc_loader.h"
#include "fc_fcx.h"
#include "fc_verify.h"

#define FLASH_SIZE (64u * 1024u)
#define SLOT_OFF   (16u * 1024u)
#define SLOT_SIZE  (8u * 1024u)
#define MAP_ADDR   0x08000000u
#define RAM_ADDR   0x20001000u
#define STACK_A    0x20010000u    /* guest addresses of the two stack buffers */
#define STACK_B    0x20020000u
#define CTX_ADDR   0x30000000u
#define EXTRA_ADDR 0x40000000u

static _Alignas(8) uint8_t flash_mem[FLASH_SIZE];
static fc_flash_sim sim;
static _Alignas(8) uint8_t ram[8192];
static _Alignas(8) uint8_t pagebuf[4096];
static _Alignas(8) uint8_t stack_a[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
static _Alignas(8) uint8_t stack_b[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
static fc_platform plat;
static fc_install_cfg cfg;

#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }

static void device(void)
{
    cr_assert_eq(fc_flash_sim_init(&sim, flash_mem, FLASH_SIZE, 256, 8, MAP_ADDR), FC_FLASH_OK);
    memset(&plat, 0, sizeof plat);
    plat.target = FC_TARGET_THUMBV7M;
    plat.isa = FC_ISA_T2_HWDIV;
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;   /* these tests install unsigned native code */
    memset(&cfg, 0, sizeof cfg);
    cfg.plat = &plat;
    cfg.slot.flash = &sim.flash;
    cfg.slot.off = SLOT_OFF;
    cfg.slot.size = SLOT_SIZE;
    cfg.ram = ram;
    cfg.ram_len = sizeof ram;
    cfg.ram_addr = RAM_ADDR;
    cfg.buf = pagebuf;
    cfg.buf_len = sizeof pagebuf;
}

static uint8_t *write_fcx(const fc_fcx_input *in, size_t *len)
{
    uint8_t *b = NULL;
    fc_diag dv[4];
    fc_diags d = { dv, 4, 0, 0, 0 };
    cr_assert_eq(fc_fcx_write_alloc(in, &b, len, &d), FC_FCX_OK, "writer: %s", d.n ? dv[0].msg : "?");
    return b;
}

/* r0 = the u32 at EXTRA_ADDR (lddw + ldxw): reads an extra region */
static fc_insn read_extra[] = {
    I(0x18, 1, 0, 0, (int32_t)EXTRA_ADDR), I(0, 0, 0, 0, 0),
    I(0x61, 0, 1, 0, 0),
    I(0x95, 0, 0, 0, 0),
};
static _Alignas(8) uint8_t data_init[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static uint8_t code_bytes[8];     /* never executed: the hook stands in */
static const uint32_t entry_off[1] = { 0 };

/* a container with Thumb code (a stand-in the fake hook never runs) */
static uint8_t *native_fcx(size_t *len, uint32_t frames, uint32_t untouched)
{
    static fc_prog p;
    static fc_fcx_code c;
    memset(&p, 0, sizeof p);
    p.insns = read_extra;
    p.ninsns = 4;
    p.data = data_init;
    p.data_len = sizeof data_init;
    p.bss_len = 24;
    memset(&c, 0, sizeof c);
    c.target = FC_TARGET_THUMBV7M;
    c.isa = FC_ISA_T2_HWDIV;
    c.code = code_bytes;
    c.code_len = sizeof code_bytes;
    c.entry_offsets = entry_off;
    fc_fcx_input in = { .prog = &p, .frames = frames, .stack_untouched = untouched, .code = &c, .ncode = 1 };
    return write_fcx(&in, len);
}

/* ---- the hook: the template against a fresh build ---------------------------- */
typedef struct hook_state {
    int calls;
    int dirty;                 /* after checking, fill the whole stack with 0xEE */
    uint32_t use;              /* bytes per frame that must be zero at entry */
    uint32_t frames;
    uint8_t *stack;            /* the run's stack buffer (host) */
    uint32_t stack_len;
    int untouched_kept;        /* below `use`, the 0xEE of the last run survived */
    const fc_region *want;     /* the regions the table must hold, in order */
    uint32_t nwant;
    uint64_t budget;
} hook_state;

static hook_state hs;

static int tmpl_hook(void *ctx, fc_native_invoke *c, uint64_t *r0)
{
    fc_native_env fresh;
    fc_vm *vm = c->vm;
    uint8_t *top = hs.stack + hs.stack_len;
    (void)ctx;

    hs.calls++;
    cr_assert_not_null(c->env, "fc_run gave no env although every address fits 32 bits");
    /* the stack at entry: what the code may touch is zero in every frame */
    hs.untouched_kept = 1;
    for (uint32_t d = 0; d < hs.frames; d++) {
        uint8_t *ft = top - d * FC_STACK_SIZE;
        for (uint32_t k = 1; k <= hs.use; k++)
            cr_assert_eq(ft[-(int32_t)k], 0, "frame %u byte r10-%u not cleared", d + 1, k);
        for (uint32_t k = hs.use + 1; k <= FC_STACK_SIZE; k++)
            if (ft[-(int32_t)k] != 0xEE)
                hs.untouched_kept = 0;
    }
    /* the VM's table: exactly the regions asked for */
    cr_assert_eq(vm->nregions, hs.nwant, "run %d: %u regions, want %u", hs.calls, vm->nregions, hs.nwant);
    for (uint32_t k = 0; k < hs.nwant; k++) {
        cr_assert_eq(vm->regions[k].addr, hs.want[k].addr, "region %u addr", k);
        cr_assert_eq(vm->regions[k].host, hs.want[k].host, "region %u host", k);
        cr_assert_eq(vm->regions[k].len, hs.want[k].len, "region %u len", k);
        cr_assert_eq(vm->regions[k].perm, hs.want[k].perm, "region %u perm", k);
        cr_assert_eq(vm->regions[k].kind, hs.want[k].kind, "region %u kind", k);
    }
    cr_assert_eq(vm->budget, hs.budget);
    cr_assert_eq(vm->stack, hs.stack);
    cr_assert_eq(vm->stack_size, hs.stack_len);
    /* the env: byte for byte what fc_native_env_init builds from this VM
     * (it also zeroes the frames: the stack was checked above) */
    memset(&fresh, 0x5A, sizeof fresh);
    cr_assert_eq(fc_native_env_init(&fresh, vm, c->ctx_addr, c->ctx_len), FC_OK);
    cr_assert(memcmp(&fresh, c->env, sizeof fresh) == 0, "run %d: the template env differs from a fresh one",
              hs.calls);
    /* a run that writes every stack byte */
    if (hs.dirty)
        memset(hs.stack, 0xEE, hs.stack_len);
    c->env->regs[0][0] = 0x1234;
    c->env->regs[0][1] = 0;
    return fc_native_env_finish(c->env, vm, FC_OK, r0);
}

static void want(fc_region *w, uint32_t k, uint64_t addr, void *host, uint32_t len, unsigned perm,
                 unsigned kind)
{
    w[k].addr = addr;
    w[k].host = host;
    w[k].len = len;
    w[k].perm = (uint8_t)perm;
    w[k].kind = (uint8_t)kind;
}

static void run_ok(const fc_app *app, const fc_run_args *a)
{
    uint64_t r0 = 0;
    fc_run_result res;
    int calls = hs.calls;
    cr_assert_eq(fc_run(app, a, &r0, &res), FC_OK, "fc_run: %s", fc_lerr_str(res.err));
    cr_assert_eq(hs.calls, calls + 1);
    cr_assert_eq(r0, 0x1234);
    cr_assert_eq(res.engine, FC_TARGET_THUMBV7M);
    cr_assert_eq(res.budget_left, hs.budget);
}

Test(run_tmpl, template_follows_every_change_of_the_host)
{
    size_t len;
    uint8_t *b;
    fc_app app;
    fc_install_info info;
    static uint8_t ctx1[16], ctx2[8];
    static _Alignas(8) uint8_t ex1[32], ex2[64];
    fc_region extra[2], w[8];

    device();
    plat.invoke = tmpl_hook;
    b = native_fcx(&len, 1, 0);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, &info, NULL), FC_OK);
    cr_assert_gt(info.run_tmpl_bytes, sizeof(fc_vm), "the template holds the VM");
    cr_assert_leq(info.ram_bytes + info.run_tmpl_bytes, sizeof ram);
    uint64_t data_addr = RAM_ADDR + app.ram_data, bss_addr = RAM_ADDR + app.ram_bss;

    memset(&hs, 0, sizeof hs);
    hs.frames = 1;
    hs.use = FC_STACK_SIZE;
    hs.stack = stack_a;
    hs.stack_len = sizeof stack_a;
    hs.budget = FC_DEFAULT_BUDGET;
    hs.want = w;

    /* 1: the first run builds the template */
    fc_run_args a = { .stack = stack_a, .stack_len = sizeof stack_a, .stack_addr = STACK_A,
                      .ctx = ctx1, .ctx_len = sizeof ctx1, .ctx_addr = CTX_ADDR };
    want(w, 0, CTX_ADDR, ctx1, sizeof ctx1, FC_PERM_R, FC_REGION_CTX);
    want(w, 1, data_addr, ram + app.ram_data, 8, FC_PERM_RW, FC_REGION_DATA);
    want(w, 2, bss_addr, ram + app.ram_bss, 24, FC_PERM_RW, FC_REGION_BSS);
    hs.nwant = 3;
    run_ok(&app, &a);
    /* 2: the same again (no rebuild: still exact) */
    run_ok(&app, &a);
    /* 3: the context moves, shrinks and becomes writable */
    a.ctx = ctx2;
    a.ctx_len = sizeof ctx2;
    a.ctx_addr = CTX_ADDR + 0x100;
    a.ctx_perm = FC_PERM_RW;
    want(w, 0, CTX_ADDR + 0x100, ctx2, sizeof ctx2, FC_PERM_RW, FC_REGION_CTX);
    run_ok(&app, &a);
    /* 4: an extra region */
    want(extra, 0, EXTRA_ADDR, ex1, sizeof ex1, FC_PERM_R, 0);
    a.extra = extra;
    a.nextra = 1;
    want(w, 3, EXTRA_ADDR, ex1, sizeof ex1, FC_PERM_R, FC_REGION_EXTRA);
    hs.nwant = 4;
    run_ok(&app, &a);
    /* 5: the same array, its entry edited in place: length, host, perm */
    extra[0].host = ex2;
    extra[0].len = sizeof ex2;
    extra[0].perm = FC_PERM_RW;
    want(w, 3, EXTRA_ADDR, ex2, sizeof ex2, FC_PERM_RW, FC_REGION_EXTRA);
    run_ok(&app, &a);
    /* 6: only the guest address of the extra region changes */
    extra[0].addr = EXTRA_ADDR + 0x1000;
    w[3].addr = EXTRA_ADDR + 0x1000;
    run_ok(&app, &a);
    /* 7: a second extra region, and a zero-length one between (skipped) */
    fc_region extra3[3];
    extra3[0] = extra[0];
    want(extra3, 1, 0x50000000u, ex1, 0, FC_PERM_R, 0);
    want(extra3, 2, 0x50000000u, ex1, sizeof ex1, FC_PERM_R, 0);
    a.extra = extra3;
    a.nextra = 3;
    want(w, 4, 0x50000000u, ex1, sizeof ex1, FC_PERM_R, FC_REGION_EXTRA);
    hs.nwant = 5;
    run_ok(&app, &a);
    /* 8: back to one extra region, in the same array (the count shrinks) */
    a.nextra = 1;
    hs.nwant = 4;
    run_ok(&app, &a);
    /* 9: no context any more: the table shifts */
    a.ctx = NULL;
    a.ctx_len = 0;
    a.ctx_addr = 0;
    w[0] = w[1];
    w[1] = w[2];
    w[2] = w[3];
    hs.nwant = 3;
    run_ok(&app, &a);
    /* 10: another stack buffer, at another guest address; a budget */
    a.stack = stack_b;
    a.stack_len = 3 * FC_STACK_SIZE;
    a.stack_addr = STACK_B;
    a.budget = 77;
    hs.stack = stack_b;
    hs.stack_len = 3 * FC_STACK_SIZE;
    hs.budget = 77;
    run_ok(&app, &a);
    /* 11: the same buffer at a new guest address only */
    a.stack_addr = STACK_B + 0x800;
    run_ok(&app, &a);
    /* 12: a context again */
    a.ctx = ctx1;
    a.ctx_len = sizeof ctx1;
    a.ctx_addr = CTX_ADDR;
    a.ctx_perm = 0;
    memmove(w + 1, w, 3 * sizeof w[0]);
    want(w, 0, CTX_ADDR, ctx1, sizeof ctx1, FC_PERM_R, FC_REGION_CTX);
    hs.nwant = 4;
    run_ok(&app, &a);
    cr_assert_eq(hs.calls, 12);
    free(b);
}

/* A helper-like change of the table between runs (a region added behind
 * fc_run's back) is seen by its length and rebuilt. */
Test(run_tmpl, table_grown_behind_fc_runs_back_is_rebuilt)
{
    size_t len;
    uint8_t *b;
    fc_app app;
    static uint8_t ctx1[16], junk[16];
    fc_region w[4];

    device();
    plat.invoke = tmpl_hook;
    b = native_fcx(&len, 1, 0);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    memset(&hs, 0, sizeof hs);
    hs.frames = 1;
    hs.use = FC_STACK_SIZE;
    hs.stack = stack_a;
    hs.stack_len = sizeof stack_a;
    hs.budget = FC_DEFAULT_BUDGET;
    hs.want = w;
    fc_run_args a = { .stack = stack_a, .stack_len = sizeof stack_a, .stack_addr = STACK_A,
                      .ctx = ctx1, .ctx_len = sizeof ctx1, .ctx_addr = CTX_ADDR };
    want(w, 0, CTX_ADDR, ctx1, sizeof ctx1, FC_PERM_R, FC_REGION_CTX);
    want(w, 1, RAM_ADDR + app.ram_data, ram + app.ram_data, 8, FC_PERM_RW, FC_REGION_DATA);
    want(w, 2, RAM_ADDR + app.ram_bss, ram + app.ram_bss, 24, FC_PERM_RW, FC_REGION_BSS);
    hs.nwant = 3;
    run_ok(&app, &a);
    /* what a helper calling fc_vm_add_region on the run's VM would leave
     * behind: the template's VM is the first thing at app.ram_tmpl */
    fc_vm *tv = (fc_vm *)(void *)(ram + app.ram_tmpl);
    cr_assert_eq(tv->nregions, 3, "the template's VM is at app.ram_tmpl");
    cr_assert_eq(fc_vm_add_region(tv, 0x60000000u, junk, sizeof junk, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    run_ok(&app, &a);    /* the hook checks the table: 3 regions again */
    free(b);
}

/* ---- the stack a native run clears --------------------------------------------- */
static void stack_clearing(uint32_t frames, uint32_t untouched)
{
    size_t len;
    uint8_t *b;
    fc_app app;
    static uint8_t ctx1[16];
    fc_region w[3];

    device();
    plat.invoke = tmpl_hook;
    b = native_fcx(&len, frames, untouched);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(app.stack_untouched, untouched);
    memset(&hs, 0, sizeof hs);
    hs.frames = frames;
    hs.use = FC_STACK_SIZE - untouched;
    hs.stack = stack_a;
    hs.stack_len = sizeof stack_a;
    hs.budget = FC_DEFAULT_BUDGET;
    hs.want = w;
    hs.dirty = 1;
    want(w, 0, CTX_ADDR, ctx1, sizeof ctx1, FC_PERM_R, FC_REGION_CTX);
    want(w, 1, RAM_ADDR + app.ram_data, ram + app.ram_data, 8, FC_PERM_RW, FC_REGION_DATA);
    want(w, 2, RAM_ADDR + app.ram_bss, ram + app.ram_bss, 24, FC_PERM_RW, FC_REGION_BSS);
    hs.nwant = 3;
    fc_run_args a = { .stack = stack_a, .stack_len = sizeof stack_a, .stack_addr = STACK_A,
                      .ctx = ctx1, .ctx_len = sizeof ctx1, .ctx_addr = CTX_ADDR };
    memset(stack_a, 0xEE, sizeof stack_a);   /* an earlier run, of anything */
    for (int k = 0; k < 3; k++) {
        run_ok(&app, &a);   /* the hook checks the cleared part, then dirties all */
        cr_assert_eq(hs.untouched_kept, 1, "bytes the code never touches were cleared too");
    }
    free(b);
}

Test(run_tmpl, native_run_clears_the_whole_frames_by_default) { stack_clearing(3, 0); }
Test(run_tmpl, native_run_clears_what_the_code_can_touch) { stack_clearing(3, 448); }
Test(run_tmpl, native_run_of_an_empty_program_clears_nothing) { stack_clearing(1, FC_STACK_SIZE); }

/* ---- the interpreter through the same template ---------------------------------- */
Test(run_tmpl, interpreter_sees_an_extra_region_changed_in_place)
{
    size_t len;
    uint8_t *b;
    fc_app app;
    uint64_t r0 = 0;
    fc_run_result res;
    static _Alignas(8) uint8_t ex1[8] = { 0x11, 0x22, 0x33, 0x44 }, ex2[8] = { 0xAA, 0xBB, 0xCC, 0xDD };
    fc_region extra[1];

    device();
    b = native_fcx(&len, 1, 0);
    cfg.flags = FC_INSTALL_BYTECODE_ONLY;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    want(extra, 0, EXTRA_ADDR, ex1, sizeof ex1, FC_PERM_R, 0);
    fc_run_args a = { .stack = stack_a, .stack_len = sizeof stack_a, .extra = extra, .nextra = 1 };
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(r0, 0x44332211u);
    extra[0].host = ex2;                       /* in place: same array */
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(r0, 0xDDCCBBAAu);
    extra[0].len = 2;                          /* too short for the load now */
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_MEM_READ);
    cr_assert_eq(res.err_addr, EXTRA_ADDR);
    cr_assert_eq(res.err_pc, 2);
    extra[0].len = 8;
    extra[0].perm = 0;                         /* no permission at all */
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_MEM_READ);
    a.nextra = 0;                              /* gone */
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_MEM_READ);
    extra[0].perm = FC_PERM_R;
    a.nextra = 1;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(r0, 0xDDCCBBAAu);
    /* a refused region (its end passes 2^64) fails the run, and the next
     * good one works again */
    extra[0].addr = UINT64_MAX - 3;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_LERR_REGIONS);
    extra[0].addr = EXTRA_ADDR;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(r0, 0xDDCCBBAAu);
    free(b);
}

/* ---- what femtoc writes ------------------------------------------------------ */
static uint32_t untouched_of(fc_insn *insns, uint32_t n, uint32_t ctx_size)
{
    fc_prog p;
    fc_vfy_opts o;
    fc_vfy_stats st;
    memset(&p, 0, sizeof p);
    p.insns = insns;
    p.ninsns = n;
    memset(&o, 0, sizeof o);
    o.ctx_size = ctx_size;
    size_t wsz = fc_vfy_workspace_size(&p);
    void *ws = malloc(wsz ? wsz : 1);
    fc_insn_info *info = calloc(n + 1, sizeof *info);
    cr_assert(ws && info);
    fc_diag dv[4];
    fc_diags d = { dv, 4, 0, 0, 0 };
    cr_assert_eq(fc_vfy_run(&p, &o, ws, wsz, info, &st, &d), 0, "the program must verify: %s",
                 d.n ? dv[0].msg : "?");
    uint32_t u = fc_fcx_stack_untouched(&p, info, &st);
    free(ws);
    free(info);
    return u;
}

Test(run_tmpl, femtoc_claims_untouched_stack_only_when_proven)
{
    /* nothing touches the stack */
    fc_insn empty[] = { I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(untouched_of(empty, 2, 0), 512);
    /* one proven word at r10-20: 20 bytes, rounded up to 24 */
    fc_insn st20[] = { I(0x62, 10, 0, -20, 7), I(0x61, 0, 10, -20, 0), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(untouched_of(st20, 3, 0), 512 - 24);
    /* the deepest byte of the frame: nothing is untouched */
    fc_insn st512[] = { I(0x72, 10, 0, -512, 1), I(0x71, 0, 10, -512, 0), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(untouched_of(st512, 3, 0), 0);
    /* a checked context load (no --ctx-size): it could reach the stack */
    fc_insn chk[] = { I(0x62, 10, 0, -8, 7), I(0x61, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(untouched_of(chk, 3, 0), 0);
    /* the same load proven by a declared context size: fine */
    cr_assert_eq(untouched_of(chk, 3, 4), 512 - 8);
    /* a checked stack access (unknown index into the frame) */
    fc_insn idx[] = {
        I(0x61, 2, 1, 0, 0),            /* r2 = ctx word (unknown)   */
        I(0xbf, 3, 10, 0, 0),           /* r3 = r10                  */
        I(0x07, 3, 0, 0, -8),           /* r3 -= 8                   */
        I(0x1f, 3, 2, 0, 0),            /* r3 -= r2                  */
        I(0x62, 3, 0, 0, 1),            /* stw [r3], 1               */
        I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0),
    };
    cr_assert_eq(untouched_of(idx, 7, 4), 0);
    /* a helper call: it may read the whole stack region */
    fc_insn hcall[] = { I(0x62, 10, 0, -8, 7), I(0x85, 0, 0, 0, 0x20), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(untouched_of(hcall, 3, 0), 0);
    /* a local call: a callee may reach into its caller's frame */
    fc_insn lcall[] = {
        I(0x62, 10, 0, -8, 7), I(0x85, 0, 1, 0, 1), I(0x95, 0, 0, 0, 0),
        I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0),
    };
    cr_assert_eq(untouched_of(lcall, 5, 0), 0);
}

/* ---- the loader refuses an inconsistent value ---------------------------------- */
static int install_with(uint32_t untouched, int reserved_byte)
{
    size_t len;
    fc_app app;
    fc_lresult r;
    uint8_t *b = native_fcx(&len, 1, 0);
    b[FC_FCX_H_STACK_UNTOUCHED] = (uint8_t)untouched;
    b[FC_FCX_H_STACK_UNTOUCHED + 1] = (uint8_t)(untouched >> 8);
    b[FC_FCX_H_STACK_UNTOUCHED + 2] = (uint8_t)(untouched >> 16);
    b[FC_FCX_H_STACK_UNTOUCHED + 3] = (uint8_t)(untouched >> 24);
    if (reserved_byte >= 0)
        b[FC_FCX_H_RESERVED_2_2 + reserved_byte] = 1;
    cr_assert_eq(fc_fcx_rehash(b, len), 0);
    device();
    int e = fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r);
    if (e == FC_OK)
        cr_assert_eq(app.stack_untouched, untouched);
    else
        cr_assert_not_null(r.what);
    free(b);
    return e;
}

Test(run_tmpl, loader_refuses_an_inconsistent_stack_untouched)
{
    cr_assert_eq(install_with(0, -1), FC_OK);
    cr_assert_eq(install_with(8, -1), FC_OK);
    cr_assert_eq(install_with(504, -1), FC_OK);
    cr_assert_eq(install_with(512, -1), FC_OK);
    cr_assert_eq(install_with(513, -1), FC_LERR_STACK_USE);
    cr_assert_eq(install_with(520, -1), FC_LERR_STACK_USE);
    cr_assert_eq(install_with(4, -1), FC_LERR_STACK_USE);
    cr_assert_eq(install_with(0x80000000u, -1), FC_LERR_STACK_USE);
    cr_assert_eq(install_with(0, 0), FC_LERR_RESERVED);
    cr_assert_eq(install_with(8, 3), FC_LERR_RESERVED);
    /* the writer refuses what the loader would */
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = read_extra;
    p.ninsns = 4;
    uint8_t buf[1024];
    size_t len;
    fc_fcx_input in = { .prog = &p, .stack_untouched = 516 };
    cr_assert_eq(fc_fcx_write(&in, buf, sizeof buf, &len, NULL), FC_FCX_E_INPUT);
    in.stack_untouched = 12;
    cr_assert_eq(fc_fcx_write(&in, buf, sizeof buf, &len, NULL), FC_FCX_E_INPUT);
    in.stack_untouched = 16;
    cr_assert_eq(fc_fcx_write(&in, buf, sizeof buf, &len, NULL), FC_FCX_OK);
    cr_assert_eq(buf[FC_FCX_H_STACK_UNTOUCHED], 16);
}

/* the install record keeps the field: fc_open after a "reboot" clears alike */
Test(run_tmpl, reopened_slot_keeps_stack_untouched)
{
    size_t len;
    fc_app app, again;
    fc_lresult r;
    uint8_t *b = native_fcx(&len, 2, 448);
    device();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    memset(ram, 0x77, sizeof ram);   /* RAM lost: the template too */
    cr_assert_eq(fc_open(&cfg, &again, &r), FC_OK, "%s", r.what);
    cr_assert_eq(again.stack_untouched, 448);
    /* and it runs, rebuilding the template from garbage RAM */
    static uint8_t ctx1[16];
    fc_region w[3];
    plat.invoke = tmpl_hook;
    memset(&hs, 0, sizeof hs);
    hs.frames = 2;
    hs.use = 64;
    hs.stack = stack_a;
    hs.stack_len = sizeof stack_a;
    hs.budget = FC_DEFAULT_BUDGET;
    hs.want = w;
    hs.dirty = 1;
    want(w, 0, CTX_ADDR, ctx1, sizeof ctx1, FC_PERM_R, FC_REGION_CTX);
    want(w, 1, RAM_ADDR + again.ram_data, ram + again.ram_data, 8, FC_PERM_RW, FC_REGION_DATA);
    want(w, 2, RAM_ADDR + again.ram_bss, ram + again.ram_bss, 24, FC_PERM_RW, FC_REGION_BSS);
    hs.nwant = 3;
    fc_run_args a = { .stack = stack_a, .stack_len = sizeof stack_a, .stack_addr = STACK_A,
                      .ctx = ctx1, .ctx_len = sizeof ctx1, .ctx_addr = CTX_ADDR };
    memset(stack_a, 0xEE, sizeof stack_a);
    run_ok(&again, &a);
    run_ok(&again, &a);
    free(b);
}
