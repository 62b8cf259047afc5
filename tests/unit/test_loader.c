/*
 * Unit tests: the device loader (runtime/fc_loader.c) over the simulated
 * flash. Containers come from the writer (compiler/fc_fcx.c); corrupted
 * ones are valid containers with one field changed (and the hash
 * recomputed, except for the hash test), so each test reaches the check it
 * is about. Every refused container must leave the whole flash untouched.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fc_loader.h"
#include "fc_fcx.h"
#include "fc_backend.h"
#include "fc_emu.h"   /* sim/: the Unicorn Cortex-M3 machine */

/* ---- the simulated device ------------------------------------------------ */
#define FLASH_SIZE (64u * 1024u)
#define SLOT_OFF   (16u * 1024u)
#define SLOT_SIZE  (8u * 1024u)
#define MAP_ADDR   0x08000000u      /* where the "core" sees the flash      */
#define RAM_ADDR   0x20001000u      /* where it sees the instance RAM       */
#define HELPER_ADDR 0x08000101u     /* runtime helper trampoline (Thumb bit) */
#define UDIV_ADDR   0x08000201u

static _Alignas(8) uint8_t flash_mem[FLASH_SIZE];
static uint8_t snapshot[FLASH_SIZE];
static fc_flash_sim sim;
static _Alignas(8) uint8_t ram[4096];
static _Alignas(8) uint8_t pagebuf[4096];
static _Alignas(8) uint8_t stack[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
static fc_platform plat;
static fc_install_cfg cfg;

static uint64_t h_double(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm; (void)r2; (void)r3; (void)r4; (void)r5;
    return r1 * 2;
}
static uint64_t h_plus(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm; (void)r3; (void)r4; (void)r5;
    return r1 + r2;
}
static const fc_helper helpers[] = {
    { 0x99, h_double, "double" },
    { 0x9a, h_plus, "plus" },
};

/* Flash with "other firmware" outside the slot: a pattern that is not the
 * erased state, so a stray erase or program would show. */
static void device(uint32_t page, uint32_t prog_unit, uint32_t buf_len)
{
    cr_assert_eq(fc_flash_sim_init(&sim, flash_mem, FLASH_SIZE, page, prog_unit, MAP_ADDR), FC_FLASH_OK);
    for (uint32_t i = 0; i < FLASH_SIZE; i++)
        if (i < SLOT_OFF || i >= SLOT_OFF + SLOT_SIZE)
            flash_mem[i] = (uint8_t)(i * 7u + 3u);
    memset(&plat, 0, sizeof plat);
    plat.target = FC_TARGET_THUMBV7M;
    plat.isa = FC_ISA_T2_HWDIV;
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;   /* these tests install unsigned native code */
    plat.helpers = helpers;
    plat.nhelpers = 2;
    plat.sym[FC_SYM_HELPER] = HELPER_ADDR;
    plat.sym[FC_SYM_UDIV64] = UDIV_ADDR;
    memset(&cfg, 0, sizeof cfg);
    cfg.plat = &plat;
    cfg.slot.flash = &sim.flash;
    cfg.slot.off = SLOT_OFF;
    cfg.slot.size = SLOT_SIZE;
    cfg.ram = ram;
    cfg.ram_len = sizeof ram;
    cfg.ram_addr = RAM_ADDR;
    cfg.buf = pagebuf;
    cfg.buf_len = buf_len;
    memset(ram, 0xA5, sizeof ram);
}

static void setup(void) { device(256, 8, 256); }

static void snap(void)
{
    memcpy(snapshot, flash_mem, FLASH_SIZE);
    sim.n_erase = sim.n_program = sim.n_violations = 0;
}

static void assert_flash_untouched(void)
{
    cr_assert_eq(sim.n_erase, 0, "erase happened");
    cr_assert_eq(sim.n_program, 0, "program happened");
    cr_assert(memcmp(snapshot, flash_mem, FLASH_SIZE) == 0, "flash changed");
}

static void assert_outside_slot_untouched(void)
{
    cr_assert(memcmp(snapshot, flash_mem, SLOT_OFF) == 0, "flash below the slot changed");
    cr_assert(memcmp(snapshot + SLOT_OFF + SLOT_SIZE, flash_mem + SLOT_OFF + SLOT_SIZE,
                     FLASH_SIZE - SLOT_OFF - SLOT_SIZE) == 0, "flash above the slot changed");
}

/* ---- programs --------------------------------------------------------------- */
/* brace form: usable in static initializers */
#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }
#define LDDW_SECT(d, sect, off) I(0x18, d, FC_LDDW_SECTION, 0, sect), I(0, 0, 0, 0, off)

/* r0 = rodata[4] + ++data[0] + ctx[0] + bss[8]; bss[8] = r0 (all u32) */
static fc_insn sum_prog[] = {
    I(0x61, 6, 1, 0, 0),              /* ldxw r6, [r1]       */
    LDDW_SECT(2, FC_SECT_RODATA, 4),
    I(0x61, 0, 2, 0, 0),              /* ldxw r0, [r2]       */
    LDDW_SECT(3, FC_SECT_DATA, 0),
    I(0x61, 4, 3, 0, 0),              /* ldxw r4, [r3]       */
    I(0x07, 4, 0, 0, 1),              /* add r4, 1           */
    I(0x63, 3, 4, 0, 0),              /* stxw [r3], r4       */
    I(0x0f, 0, 4, 0, 0),              /* add r0, r4          */
    I(0x0f, 0, 6, 0, 0),              /* add r0, r6          */
    LDDW_SECT(5, FC_SECT_BSS, 8),
    I(0x61, 7, 5, 0, 0),              /* ldxw r7, [r5]       */
    I(0x0f, 0, 7, 0, 0),              /* add r0, r7          */
    I(0x63, 5, 0, 0, 0),              /* stxw [r5], r0       */
    I(0x95, 0, 0, 0, 0),              /* exit                */
};
static uint8_t rodata[16] = { 1, 2, 3, 4, 0x10, 0x20, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9 };
static uint8_t data_init[8] = { 0x05, 0x01, 0, 0, 0xEE, 0xEE, 0xEE, 0xEE };

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static fc_prog mkprog(fc_insn *insns, uint32_t n)
{
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = insns;
    p.ninsns = n;
    return p;
}

static const uint32_t sum_helpers[] = { 0x99, 0x9a };

static fc_prog sum(void)
{
    fc_prog p = mkprog(sum_prog, sizeof sum_prog / sizeof sum_prog[0]);
    p.rodata = rodata;
    p.rodata_len = sizeof rodata;
    p.data = data_init;
    p.data_len = sizeof data_init;
    p.bss_len = 40;
    return p;
}

static uint8_t *write_fcx(const fc_fcx_input *in, size_t *len)
{
    uint8_t *b = NULL;
    fc_diag dv[4];
    fc_diags d = { dv, 4, 0, 0, 0 };
    int e = fc_fcx_write_alloc(in, &b, len, &d);
    cr_assert_eq(e, FC_FCX_OK, "writer: %s", d.n ? dv[0].msg : "?");
    return b;
}

static uint8_t *sum_fcx(size_t *len)
{
    fc_prog p = sum();
    fc_fcx_input in = { .prog = &p, .helpers = sum_helpers, .nhelpers = 2 };
    return write_fcx(&in, len);
}

static int run(const fc_app *app, uint32_t entry, uint32_t ctx_word, uint64_t *r0, fc_run_result *res)
{
    static uint8_t ctx[4];
    fc_run_args a;
    memset(&a, 0, sizeof a);
    ctx[0] = (uint8_t)ctx_word; ctx[1] = (uint8_t)(ctx_word >> 8);
    ctx[2] = (uint8_t)(ctx_word >> 16); ctx[3] = (uint8_t)(ctx_word >> 24);
    a.entry = entry;
    a.stack = stack;
    a.stack_len = sizeof stack;
    a.ctx = ctx;
    a.ctx_len = sizeof ctx;
    a.ctx_addr = 0x30000000u;
    return fc_run(app, &a, r0, res);
}

/* ---- round trip through the interpreter fallback ---------------------------- */
Test(loader, bytecode_container_runs_in_interpreter, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app;
    fc_lresult r;
    fc_install_info info;
    uint64_t r0 = 0;
    fc_run_result res;

    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, &info, &r), FC_OK, "%s", r.what);
    assert_outside_slot_untouched();
    cr_assert_eq(app.engine, FC_TARGET_EBPF);
    cr_assert_eq(info.engine, FC_TARGET_EBPF);
    cr_assert_eq(info.ninsns, sizeof sum_prog / sizeof sum_prog[0]);
    /* the bss word must start at 0 (RAM was 0xA5 before install) */
    uint32_t ctxw = 0x1000u;
    uint32_t want = le32(rodata + 4) + (le32(data_init) + 1) + ctxw;
    cr_assert_eq(run(&app, 0, ctxw, &r0, &res), FC_OK, "run: %s (pc %u)", fc_lerr_str(res.err), res.err_pc);
    cr_assert_eq(res.engine, FC_TARGET_EBPF);
    cr_assert_eq(r0, want);
    /* .data and .bss persist between runs */
    uint32_t want2 = le32(rodata + 4) + (le32(data_init) + 2) + ctxw + want;
    cr_assert_eq(run(&app, 0, ctxw, &r0, &res), FC_OK);
    cr_assert_eq(r0, want2);
    /* reset starts over */
    fc_app_reset(&app);
    cr_assert_eq(run(&app, 0, ctxw, &r0, &res), FC_OK);
    cr_assert_eq(r0, want);
    free(b);
}

Test(loader, reports_instance_ram, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app;
    fc_ram_usage u;
    fc_install_info info;
    fc_install_cfg c2 = cfg;
    cr_assert_eq(fc_check(b, (uint32_t)len, &c2, &info, NULL), FC_OK);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    fc_app_ram(&app, &u);
    cr_assert_eq(u.data, sizeof data_init);
    cr_assert_eq(u.bss, 40);
    cr_assert_eq(u.rodata, 0);
    cr_assert_eq(u.stack, app.frames * FC_STACK_SIZE);
    cr_assert_eq(u.native_env, 0);
    cr_assert_eq(u.app_struct, sizeof(fc_app));
    cr_assert_geq(u.total, u.data + u.bss + u.stack + u.app_struct);
    cr_assert_eq(info.ram_bytes, app.ram_need);
    /* .rodata in RAM: counted, and the program still reads it */
    cfg.flags = FC_INSTALL_RODATA_RAM;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    fc_app_ram(&app, &u);
    cr_assert_eq(u.rodata, sizeof rodata);
    uint64_t r0;
    cr_assert_eq(run(&app, 0, 7, &r0, NULL), FC_OK);
    cr_assert_eq(r0, le32(rodata + 4) + le32(data_init) + 1 + 7);
    /* a RAM buffer smaller than needed is refused before writing */
    cfg.flags = 0;
    cfg.ram_len = info.ram_bytes - 8;
    snap();
    fc_lresult r;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_RAM);
    assert_flash_untouched();
    free(b);
}

Test(loader, helper_allowlist_comes_from_the_container, .init = setup)
{
    fc_insn prog[] = {
        I(0xb7, 1, 0, 0, 21),        /* mov r1, 21        */
        I(0x85, 0, 0, 0, 0x99),      /* call 0x99 (double) */
        I(0x95, 0, 0, 0, 0),
    };
    fc_prog p = mkprog(prog, 3);
    fc_fcx_input in = { .prog = &p };
    size_t len;
    uint8_t *b = write_fcx(&in, &len);
    fc_app app;
    uint64_t r0 = 0;
    fc_run_result res;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(app.nhelpers, 1);
    cr_assert_eq(run(&app, 0, 0, &r0, &res), FC_OK);
    cr_assert_eq(r0, h_double(NULL, 21, 0, 0, 0, 0));
    free(b);

    /* the same program with an import list that omits 0x99: the device has
     * the helper, the container did not ask for it -> denied at run time */
    uint32_t only[] = { 0x9a };
    in.helpers = only;
    in.nhelpers = 1;
    b = write_fcx(&in, &len);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(run(&app, 0, 0, &r0, &res), FC_ERR_HELPER_DENIED);
    cr_assert_eq(res.err_pc, 1);
    /* and with no import at all nothing is allowed (not "everything") */
    in.helpers = only;
    in.nhelpers = 0;
    free(b);
    b = write_fcx(&in, &len);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(app.nhelpers, 0);
    cr_assert_eq(run(&app, 0, 0, &r0, &res), FC_ERR_HELPER_DENIED);
    free(b);
}

Test(loader, budget_from_container_and_per_run, .init = setup)
{
    fc_insn prog[] = {
        I(0xb7, 0, 0, 0, 0),         /* mov r0, 0          */
        I(0x07, 0, 0, 0, 1),         /* add r0, 1          */
        I(0xa5, 0, 0, -2, 100),      /* jlt r0, 100, -2    */
        I(0x95, 0, 0, 0, 0),
    };
    fc_prog p = mkprog(prog, 4);
    fc_fcx_input in = { .prog = &p, .budget = 50 };
    size_t len;
    uint8_t *b = write_fcx(&in, &len);
    fc_app app;
    uint64_t r0 = 0;
    fc_run_result res;
    fc_run_args a = { .stack = stack, .stack_len = sizeof stack };
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_BUDGET);
    cr_assert_eq(res.err_pc, 2);
    a.budget = 1000;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(r0, 100);
    cr_assert_eq(res.budget_left, 1000 - 99);
    /* a platform limit below the container's budget refuses the install */
    plat.max_budget = 49;
    snap();
    fc_lresult r;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_BUDGET);
    assert_flash_untouched();
    free(b);
}

Test(loader, entries_by_name, .init = setup)
{
    fc_insn prog[] = {
        I(0xb7, 0, 0, 0, 11), I(0x95, 0, 0, 0, 0),
        I(0xb7, 0, 0, 0, 22), I(0x95, 0, 0, 0, 0),
    };
    fc_prog p = mkprog(prog, 4);
    fc_fcx_entry e[] = { { "first", 0 }, { "second", 2 } };
    fc_fcx_input in = { .prog = &p, .entries = e, .nentries = 2 };
    size_t len;
    uint8_t *b = write_fcx(&in, &len);
    fc_app app;
    uint64_t r0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(fc_app_entry(&app, "first"), 0);
    cr_assert_eq(fc_app_entry(&app, "second"), 1);
    cr_assert_eq(fc_app_entry(&app, "third"), -1);
    cr_assert_eq(fc_app_entry(&app, "secon"), -1);
    cr_assert_str_eq(fc_app_entry_name(&app, 1), "second");
    cr_assert_eq(run(&app, 1, 0, &r0, NULL), FC_OK);
    cr_assert_eq(r0, 22);
    cr_assert_eq(run(&app, 0, 0, &r0, NULL), FC_OK);
    cr_assert_eq(r0, 11);
    cr_assert_eq(run(&app, 2, 0, &r0, NULL), FC_LERR_ENTRY_UNKNOWN);
    free(b);
}

Test(loader, run_refuses_bad_arguments, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app;
    uint64_t r0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    fc_run_args a = { .stack = stack, .stack_len = FC_STACK_SIZE * app.frames - 1 };
    cr_assert_eq(fc_run(&app, &a, &r0, NULL), FC_LERR_STACK);
    a.stack_len = sizeof stack;
    a.ctx_len = 4;   /* no ctx pointer */
    cr_assert_eq(fc_run(&app, &a, &r0, NULL), FC_LERR_ARG);
    cr_assert_eq(fc_run(NULL, &a, &r0, NULL), FC_LERR_ARG);
    /* without a context the program's load from r1 faults, cleanly */
    a.ctx_len = 0;
    fc_run_result res;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_MEM_READ);
    cr_assert_eq(res.err_pc, 0);
    free(b);
}

/* fc_run checks its arguments again when any of them differs from the last
 * accepted run's (the fast path keeps only exactly those): each field
 * changed alone after a good run is refused or honoured, and the good
 * arguments run again after it. */
Test(loader, run_checks_every_changed_argument_again, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    static uint8_t ctx[4] = { 3, 0, 0, 0 };
    fc_app app;
    uint64_t r0, want;
    fc_run_result res;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    const fc_run_args good = { .stack = stack, .stack_len = sizeof stack, .ctx = ctx, .ctx_len = 4,
                               .ctx_addr = 0x30000000u };
    cr_assert_eq(fc_run(&app, &good, &want, NULL), FC_OK);
    cr_assert_eq(want, le32(rodata + 4) + le32(data_init) + 1 + 3);
    for (unsigned k = 0; k < 8; k++) {
        fc_run_args a = good;
        int expect = FC_LERR_ARG;
        switch (k) {
        case 0: a.entry = app.nentries; expect = FC_LERR_ENTRY_UNKNOWN; break;
        case 1: a.stack_len = FC_STACK_SIZE * app.frames - 1; expect = FC_LERR_STACK; break;
        case 2: a.stack = NULL; expect = FC_LERR_STACK; break;
        case 3: a.ctx = NULL; break;
        case 4: a.ctx_perm = 4; break;
        case 5: a.nextra = 1; break;                         /* extra NULL */
        case 6: a.ctx_len = 0; expect = FC_ERR_MEM_READ; break;  /* the load from r1 faults */
        case 7: a.ctx_addr = 0x30001000u; expect = FC_OK; break; /* r1 moves with the region */
        }
        r0 = 0;
        fc_app_reset(&app);   /* the program counts its runs in .data */
        cr_assert_eq(fc_run(&app, &a, &r0, &res), expect, "change %u: %d", k, res.err);
        if (expect == FC_OK)
            cr_assert_eq(r0, want, "change %u", k);
        r0 = 0;
        fc_app_reset(&app);
        cr_assert_eq(fc_run(&app, &good, &r0, NULL), FC_OK, "good run after change %u", k);
        cr_assert_eq(r0, want);
    }
    free(b);
}

/* ---- install mechanics ------------------------------------------------------ */
Test(loader, nothing_written_outside_the_slot, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app;
    fc_install_info info;
    /* no write protection: the loader alone must keep to the slot */
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, &info, NULL), FC_OK);
    assert_outside_slot_untouched();
    cr_assert_eq(sim.n_violations, 0);
    cr_assert_eq(sim.n_erase, info.slot_pages);
    /* with the window set to the slot no write is refused either */
    fc_flash_sim_protect(&sim, SLOT_OFF, SLOT_OFF + SLOT_SIZE);
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, &info, NULL), FC_OK);
    cr_assert_eq(sim.n_violations, 0);
    assert_outside_slot_untouched();
    free(b);
}

Test(loader, image_is_the_same_for_every_geometry)
{
    /* page size, program unit and buffer size change how the image is
     * streamed, never what ends up in the slot */
    static uint8_t ref[SLOT_SIZE];
    struct { uint32_t page, pu, buf; } g[] = {
        { 256, 8, 256 }, { 256, 1, 64 }, { 1024, 4, 72 }, { 2048, 64, 2048 }, { 128, 8, 128 }, { 512, 16, 80 },
    };
    size_t len;
    uint8_t *b = NULL;
    for (unsigned k = 0; k < sizeof g / sizeof g[0]; k++) {
        device(g[k].page, g[k].pu, g[k].buf);
        if (!b)
            b = sum_fcx(&len);
        fc_app app;
        fc_lresult r;
        cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "geometry %u: %s", k, r.what);
        if (k == 0)
            memcpy(ref, flash_mem + SLOT_OFF, app.image_size);
        else
            cr_assert(memcmp(ref, flash_mem + SLOT_OFF, app.image_size) == 0, "geometry %u differs", k);
        uint64_t r0;
        cr_assert_eq(run(&app, 0, 3, &r0, NULL), FC_OK);
        cr_assert_eq(r0, le32(rodata + 4) + le32(data_init) + 1 + 3);
    }
    free(b);
}

Test(loader, reinstall_and_open, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app, app2;
    fc_lresult r;
    uint64_t r0, r1;

    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_LERR_NOT_INSTALLED);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    /* installing again over a programmed slot needs the erase the sim enforces */
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "%s", r.what);
    cr_assert_eq(run(&app, 0, 5, &r0, NULL), FC_OK);
    /* "reboot": open the slot again, RAM re-initialised */
    memset(ram, 0x5A, sizeof ram);
    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_OK, "%s", r.what);
    cr_assert_eq(app2.ninsns, app.ninsns);
    cr_assert(memcmp(app2.container_sha256, b + FC_FCX_H_SHA256, 32) == 0);
    cr_assert_eq(run(&app2, 0, 5, &r1, NULL), FC_OK);
    cr_assert_eq(r0, r1);
    /* one flipped bit anywhere in the installed image is detected */
    flash_mem[SLOT_OFF + app.insns_off + 3] ^= 0x10;
    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_LERR_SLOT_CORRUPT);
    flash_mem[SLOT_OFF + app.insns_off + 3] ^= 0x10;
    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_OK);
    /* the same in the install record */
    flash_mem[SLOT_OFF + 0x3C] ^= 1;
    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_LERR_SLOT_CORRUPT);
    flash_mem[SLOT_OFF + 0x3C] ^= 1;
    /* a device that lost a helper the app imports refuses to open it */
    fc_insn prog[] = { I(0x85, 0, 0, 0, 0x9a), I(0x95, 0, 0, 0, 0) };
    fc_prog p = mkprog(prog, 2);
    fc_fcx_input in = { .prog = &p };
    free(b);
    b = write_fcx(&in, &len);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_OK, "%s", r.what);
    run(&app2, 0, 5, &r1, NULL);   /* the run template now holds these arguments */
    plat.nhelpers = 1;
    cr_assert_eq(fc_open(&cfg, &app2, &r), FC_LERR_HELPER_MISSING);
    /* a refused open leaves nothing fc_run would run, template or not */
    cr_assert_eq(run(&app2, 0, 5, &r1, NULL), FC_LERR_ARG);
    free(b);
}

Test(loader, flash_failure_leaves_no_valid_install, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app;
    fc_lresult r;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_OK);
    /* a run leaves the run template (in the instance RAM the second install
     * shares) ready for these very arguments: fc_run's fast path must still
     * refuse a failed install */
    uint64_t r0_ok;
    cr_assert_eq(run(&app, 0, 0, &r0_ok, NULL), FC_OK);
    /* fail each flash operation of a second install in turn */
    uint32_t k;
    for (k = 1; k < 200; k++) {
        fc_app failed, opened;
        snap();
        sim.n_ops = 0;
        sim.fail_at = k;
        int e = fc_install(b, (uint32_t)len, &cfg, &failed, NULL, &r);
        sim.fail_at = 0;
        assert_outside_slot_untouched();
        if (e == FC_OK)
            break;   /* k is past the last operation */
        cr_assert(e == FC_LERR_FLASH_ERASE || e == FC_LERR_FLASH_PROGRAM, "op %u: %s", k, fc_lerr_str(e));
        uint64_t r0;
        cr_assert_neq(run(&failed, 0, 0, &r0, NULL), FC_OK, "op %u: a failed install must not run", k);
        if (sim.n_erase == 0) {
            /* nothing was touched: the previous install is still valid */
            cr_assert_eq(fc_open(&cfg, &opened, &r), FC_OK, "op %u: %s", k, r.what);
        } else {
            cr_assert_eq(fc_open(&cfg, &opened, &r), FC_LERR_NOT_INSTALLED, "op %u: %s", k, r.what);
        }
    }
    cr_assert_gt(k, 3, "the install has several flash operations");
    cr_assert_lt(k, 200);
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_OK);
    free(b);
}

Test(loader, refuses_bad_slot_ram_and_buffer, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_app app;
    fc_lresult r;
    snap();
    cfg.slot.off = SLOT_OFF + 8;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_SLOT);
    cfg.slot.off = FLASH_SIZE - 256;
    cfg.slot.size = 512;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_SLOT);
    cfg.slot.off = SLOT_OFF;
    cfg.slot.size = 256;   /* one page: too small for this image */
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_SLOT_SPACE);
    cfg.slot.size = SLOT_SIZE;
    cfg.buf_len = 60;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_BUF);
    cfg.buf_len = 68;      /* not a multiple of the 8-byte program unit */
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_BUF);
    cfg.buf_len = 256;
    cfg.ram = ram + 4;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_RAM);
    cfg.ram = ram;
    plat.policy = FC_POLICY_REQUIRE_SIGNATURE;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_SIGNATURE);
    assert_flash_untouched();
    free(b);
}

/* ---- native code: relocations, engine choice, the hook ---------------------- */
/*
 * A Thumb-2 code section of 400 bytes (NOPs) with:
 *   0    BL   -> FC_SYM_HELPER         (entry 0 is at 0)
 *   60   MOVW/MOVT r3 -> data + 4      (code starts at slot+192: the page
 *                                       boundary at slot+256 falls between
 *                                       the MOVW and the MOVT)
 *   100  .word -> rodata + 2 (ABS32)
 *   204  MOVW/MOVT r1 -> bss - 8
 *   318  BL   -> FC_SYM_UDIV64         (the boundary at slot+512 splits the
 *                                       BL's two halfwords)
 */
#define CODE_LEN 400u
static uint8_t tcode[CODE_LEN];
static fc_fcx_reloc trel[] = {
    { 318, FC_RELOC_THM_CALL, FC_SYM_UDIV64, 0, 0 },
    { 0, FC_RELOC_THM_CALL, FC_SYM_HELPER, 0, 0 },
    { 60, FC_RELOC_THM_MOVW_MOVT, FC_SYM_DATA, 0, 4 },
    { 100, FC_RELOC_ABS32, FC_SYM_RODATA, 0, 2 },
    { 204, FC_RELOC_THM_MOVW_MOVT, FC_SYM_BSS, 0, -8 },
};
static fc_fcx_pcmap tmap[] = { { 0, 0 }, { 60, 1 }, { 204, 4 }, { 318, 9 } };
static uint32_t tentry[] = { 0 };

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void make_tcode(void)
{
    for (unsigned i = 0; i < CODE_LEN; i += 2)
        put16(tcode + i, 0xBF00);                    /* nop */
    put16(tcode + 0, 0xF000); put16(tcode + 2, 0xF800);      /* bl   */
    put16(tcode + 60, 0xF240); put16(tcode + 62, 0x0300);    /* movw r3, #0 */
    put16(tcode + 64, 0xF2C0); put16(tcode + 66, 0x0300);    /* movt r3, #0 */
    memset(tcode + 100, 0, 4);
    put16(tcode + 204, 0xF240); put16(tcode + 206, 0x0100);  /* movw r1 */
    put16(tcode + 208, 0xF2C0); put16(tcode + 210, 0x0100);  /* movt r1 */
    put16(tcode + 318, 0xF000); put16(tcode + 320, 0xF800);  /* bl   */
    put16(tcode + 396, 0x4770);                              /* bx lr */
}

static fc_fcx_code thumb_code(void)
{
    make_tcode();
    fc_fcx_code c = {
        .target = FC_TARGET_THUMBV7M, .isa = FC_ISA_T2_HWDIV, .code = tcode, .code_len = CODE_LEN,
        .relocs = trel, .nrelocs = 5, .pcmap = tmap, .npcmap = 4, .entry_offsets = tentry,
    };
    return c;
}

static uint8_t *native_fcx(size_t *len, fc_fcx_code *c, uint32_t ncode)
{
    static fc_prog p;
    p = sum();
    fc_fcx_input in = { .prog = &p, .helpers = sum_helpers, .nhelpers = 2, .code = c, .ncode = ncode };
    return write_fcx(&in, len);
}

/* independent decoders (ARMv7-M ARM A7.7.18, A7.7.76, A7.7.79) */
static uint32_t bl_target(const uint8_t *p, uint32_t place)
{
    uint32_t h1 = get16(p), h2 = get16(p + 2);
    uint32_t s = (h1 >> 10) & 1, j1 = (h2 >> 13) & 1, j2 = (h2 >> 11) & 1;
    uint32_t i1 = !(j1 ^ s), i2 = !(j2 ^ s);
    uint32_t imm = (s << 24) | (i1 << 23) | (i2 << 22) | ((h1 & 0x3FF) << 12) | ((h2 & 0x7FF) << 1);
    if (s)
        imm |= 0xFE000000u;
    cr_assert_eq(h1 & 0xF800, 0xF000);
    cr_assert_eq(h2 & 0xD000, 0xD000);
    return place + 4 + imm;
}

static uint32_t mov_imm16(const uint8_t *p, unsigned *rd)
{
    uint32_t h1 = get16(p), h2 = get16(p + 2);
    *rd = (h2 >> 8) & 0xF;
    return ((h1 & 0xF) << 12) | (((h1 >> 10) & 1) << 11) | (((h2 >> 12) & 7) << 8) | (h2 & 0xFF);
}

static uint32_t movw_movt(const uint8_t *p, unsigned want_rd)
{
    unsigned rd1, rd2;
    cr_assert_eq(get16(p) & 0xFBF0, 0xF240, "not a MOVW");
    cr_assert_eq(get16(p + 4) & 0xFBF0, 0xF2C0, "not a MOVT");
    uint32_t v = mov_imm16(p, &rd1) | (mov_imm16(p + 4, &rd2) << 16);
    cr_assert_eq(rd1, want_rd);
    cr_assert_eq(rd2, want_rd);
    return v;
}

static void check_thumb_slot(const fc_app *app)
{
    const uint8_t *code = flash_mem + SLOT_OFF + app->code_off;
    uint32_t base = MAP_ADDR + SLOT_OFF + app->code_off;
    cr_assert_eq(app->code_off, FC_SLOT_REC_SIZE, "code expected right after the record");
    cr_assert_eq(bl_target(code + 0, base + 0), HELPER_ADDR & ~1u);
    cr_assert_eq(bl_target(code + 318, base + 318), UDIV_ADDR & ~1u);
    cr_assert_eq(movw_movt(code + 60, 3), RAM_ADDR + app->ram_data + 4);
    cr_assert_eq(movw_movt(code + 204, 1), RAM_ADDR + app->ram_bss - 8);
    cr_assert_eq(le32(code + 100), MAP_ADDR + SLOT_OFF + app->rodata_off + 2);
    /* everything that is not relocated is copied unchanged */
    for (unsigned i = 0; i < CODE_LEN; i++) {
        int patched = i < 4 || (i >= 60 && i < 68) || (i >= 100 && i < 104) ||
                      (i >= 204 && i < 212) || (i >= 318 && i < 322);
        if (!patched)
            cr_assert_eq(code[i], tcode[i], "code byte %u changed", i);
    }
}

Test(loader, thumb_relocations_applied_while_streaming, .init = setup)
{
    fc_fcx_code c = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    fc_app app;
    fc_lresult r;
    fc_install_info info;
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, &info, &r), FC_OK, "%s", r.what);
    assert_outside_slot_untouched();
    cr_assert_eq(app.engine, FC_TARGET_THUMBV7M);
    cr_assert_eq(info.nrelocs, 5);
    /* the straddling relocations really straddle page boundaries */
    cr_assert_lt((SLOT_OFF + app.code_off + 60) / 256, (SLOT_OFF + app.code_off + 67) / 256);
    cr_assert_lt((SLOT_OFF + app.code_off + 318) / 256, (SLOT_OFF + app.code_off + 321) / 256);
    check_thumb_slot(&app);
    /* and the same with small, odd buffers: boundaries everywhere */
    uint32_t bufs[] = { 64, 72, 88, 136 };
    for (unsigned k = 0; k < 4; k++) {
        cfg.buf_len = bufs[k];
        cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "%s", r.what);
        check_thumb_slot(&app);
    }
    free(b);
}

Test(loader, thumb_relocations_match_gnu_objdump, .init = setup)
{
    fc_fcx_code c = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    fc_app app;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    char path[] = "/tmp/fc_thumb_XXXXXX", cmd[256], line[256];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, flash_mem + SLOT_OFF + app.code_off, CODE_LEN), CODE_LEN);
    close(fd);
    uint32_t base = MAP_ADDR + SLOT_OFF + app.code_off;
    snprintf(cmd, sizeof cmd,
             "arm-none-eabi-objdump -D -b binary -marm -Mforce-thumb --adjust-vma=0x%x %s", base, path);
    FILE *p = popen(cmd, "r");
    cr_assert(p, "arm-none-eabi-objdump is needed (tools/bootstrap installs it)");
    char want_bl1[64], want_bl2[64], want_w[64], want_t[64];
    snprintf(want_bl1, sizeof want_bl1, "bl\t0x%x", HELPER_ADDR & ~1u);
    snprintf(want_bl2, sizeof want_bl2, "bl\t0x%x", UDIV_ADDR & ~1u);
    uint32_t dv = RAM_ADDR + app.ram_data + 4;
    snprintf(want_w, sizeof want_w, "movw\tr3, #%u", dv & 0xFFFF);
    snprintf(want_t, sizeof want_t, "movt\tr3, #%u", dv >> 16);
    int seen = 0;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, want_bl1)) seen |= 1;
        if (strstr(line, want_bl2)) seen |= 2;
        if (strstr(line, want_w)) seen |= 4;
        if (strstr(line, want_t)) seen |= 8;
    }
    cr_assert_eq(pclose(p), 0, "objdump failed");
    unlink(path);
    cr_assert_eq(seen, 15, "objdump disagrees (found mask %d): want '%s' '%s' '%s' '%s'", seen,
                 want_bl1, want_bl2, want_w, want_t);
    free(b);
}

Test(loader, rv32_relocations, .init = setup)
{
    /* AUIPC ra / JALR ra (call FC_SYM_UDIV64) at 0, LUI a0 / ADDI a0 (data+0x7ff) at 8 */
    static uint8_t rc[24];
    uint32_t w[] = { 0x00000097u, 0x000080e7u, 0x00000537u, 0x00050513u, 0x00008067u, 0x00000013u };
    for (unsigned i = 0; i < 6; i++)
        for (unsigned k = 0; k < 4; k++)
            rc[4 * i + k] = (uint8_t)(w[i] >> (8 * k));
    fc_fcx_reloc rl[] = { { 0, FC_RELOC_RV_CALL, FC_SYM_UDIV64, 0, 0 },
                          { 8, FC_RELOC_RV_HI20_LO12, FC_SYM_DATA, 0, 0x7ff } };
    uint32_t ent[] = { 0 };
    fc_fcx_code c = { .target = FC_TARGET_RV32IMAC, .isa = FC_ISA_RV_M | FC_ISA_RV_C, .code = rc,
                      .code_len = 24, .relocs = rl, .nrelocs = 2, .entry_offsets = ent };
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    plat.target = FC_TARGET_RV32IMAC;
    plat.isa = FC_ISA_RV_M | FC_ISA_RV_A | FC_ISA_RV_C;
    plat.sym[FC_SYM_UDIV64] = 0x08000800u;
    fc_app app;
    fc_lresult r;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "%s", r.what);
    cr_assert_eq(app.engine, FC_TARGET_RV32IMAC);
    const uint8_t *code = flash_mem + SLOT_OFF + app.code_off;
    uint32_t place = MAP_ADDR + SLOT_OFF + app.code_off;
    uint32_t auipc = le32(code), jalr = le32(code + 4), lui = le32(code + 8), addi = le32(code + 12);
    cr_assert_eq(auipc & 0xFFF, 0x097);
    cr_assert_eq(jalr & 0xFFFFF, 0x080e7);
    /* independent decode: U-type imm + sign-extended I-type imm */
    uint32_t call = place + (auipc & 0xFFFFF000u) + (uint32_t)((int32_t)jalr >> 20);
    cr_assert_eq(call, 0x08000800u);
    uint32_t val = (lui & 0xFFFFF000u) + (uint32_t)((int32_t)addi >> 20);
    cr_assert_eq(val, RAM_ADDR + app.ram_data + 0x7ff);
    /* a JALR whose rs1 is not the AUIPC's rd is refused */
    free(b);
    rc[5] = 0x01;  /* jalr: rs1 = x0 (and rd = x3): no longer the AUIPC's ra */
    b = native_fcx(&len, &c, 1);
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_RELOC_INSN);
    assert_flash_untouched();
    free(b);
}

Test(loader, engine_choice_and_fallback, .init = setup)
{
    fc_fcx_code c = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    fc_app app;
    fc_lresult r;
    uint64_t r0;
    fc_run_result res;
    uint32_t want = le32(rodata + 4) + le32(data_init) + 1 + 9;

    /* a RISC-V core: no code for it, the bytecode runs */
    plat.target = FC_TARGET_RV32IMAC;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK);
    cr_assert_eq(app.engine, FC_TARGET_EBPF);
    cr_assert_eq(app.code_len, 0);
    cr_assert_eq(run(&app, 0, 9, &r0, &res), FC_OK);
    cr_assert_eq(r0, want);
    /* ... unless native code is required */
    cfg.flags = FC_INSTALL_REQUIRE_NATIVE;
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_NO_NATIVE);
    assert_flash_untouched();
    /* a Thumb core without hardware divide cannot take code that needs it */
    plat.target = FC_TARGET_THUMBV7M;
    plat.isa = 0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_ISA);
    assert_flash_untouched();
    cfg.flags = 0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK);
    cr_assert_eq(app.engine, FC_TARGET_EBPF);
    /* bytecode only by choice */
    plat.isa = FC_ISA_T2_HWDIV;
    cfg.flags = FC_INSTALL_BYTECODE_ONLY;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK);
    cr_assert_eq(app.engine, FC_TARGET_EBPF);
    free(b);
}

/* The two Xtensa targets (docs/fcx.md: 3 xtensa, call0 entry; 4 esp32,
 * windowed entry): a core takes the code of its own target only, whatever
 * ISA bits it has, and the other one's falls back to the bytecode. */
static uint8_t xt_code[2][16];
static fc_fcx_reloc xt_rel[] = { { 0, FC_RELOC_ABS32, FC_SYM_HELPER, 0, 0 } };
static fc_fcx_pcmap xt_map[] = { { 4, 0 } };

static fc_fcx_code xt_code_of(unsigned target)
{
    unsigned k = target == FC_TARGET_ESP32;
    for (unsigned i = 4; i < 16; i++)
        xt_code[k][i] = (uint8_t)(0x10u * (k + 1) + i);
    fc_fcx_code c = {
        .target = (uint8_t)target, .isa = k ? FC_ISA_XT_MUL32 | FC_ISA_XT_DIV32 | FC_ISA_XT_WINDOWED : FC_ISA_XT_MUL32,
        .code = xt_code[k], .code_len = 16, .relocs = xt_rel, .nrelocs = 1, .pcmap = xt_map, .npcmap = 1,
        .entry_offsets = tentry,
    };
    return c;
}

static void xt_expect(const uint8_t *b, size_t len, unsigned core, unsigned engine)
{
    fc_app app;
    fc_lresult r;
    plat.target = core;
    plat.isa = FC_ISA_XT_MUL32 | FC_ISA_XT_DIV32 | FC_ISA_XT_WINDOWED;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "core %u: %s", core, r.what);
    cr_assert_eq(app.engine, engine, "core %u took the code of target %u", core, (unsigned)app.engine);
    if (engine == FC_TARGET_EBPF) {
        cr_assert_eq(app.code_len, 0);
        return;
    }
    const uint8_t *code = flash_mem + SLOT_OFF + app.code_off;
    unsigned k = engine == FC_TARGET_ESP32;
    cr_assert_eq(app.code_len, 16);
    cr_assert_eq(le32(code), HELPER_ADDR, "the ABS32 pool word");
    for (unsigned i = 4; i < 16; i++)
        cr_assert_eq(code[i], xt_code[k][i], "code byte %u is not target %u's", i, engine);
}

Test(loader, xtensa_targets_never_cross, .init = setup)
{
    fc_fcx_code both[2] = { xt_code_of(FC_TARGET_XTENSA), xt_code_of(FC_TARGET_ESP32) };
    size_t len;
    uint8_t *b = native_fcx(&len, both, 2);
    xt_expect(b, len, FC_TARGET_XTENSA, FC_TARGET_XTENSA);
    xt_expect(b, len, FC_TARGET_ESP32, FC_TARGET_ESP32);
    free(b);
    b = native_fcx(&len, &both[0], 1);      /* lx106 code only */
    xt_expect(b, len, FC_TARGET_ESP32, FC_TARGET_EBPF);
    xt_expect(b, len, FC_TARGET_XTENSA, FC_TARGET_XTENSA);
    free(b);
    b = native_fcx(&len, &both[1], 1);      /* esp32 code only */
    xt_expect(b, len, FC_TARGET_XTENSA, FC_TARGET_EBPF);
    xt_expect(b, len, FC_TARGET_ESP32, FC_TARGET_ESP32);
    /* an esp32 core without DIV32 cannot take it */
    plat.isa = FC_ISA_XT_MUL32 | FC_ISA_XT_WINDOWED;
    cfg.flags = FC_INSTALL_REQUIRE_NATIVE;
    fc_app app;
    fc_lresult r;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_ISA);
    cfg.flags = 0;
    free(b);
}

Test(loader, host_cannot_run_thumb_code_but_interp_can, .init = setup)
{
    fc_fcx_code c = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    fc_app app;
    uint64_t r0 = 0;
    fc_run_result res;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(app.engine, FC_TARGET_THUMBV7M);
    /* no hook: report, do not pretend */
    cr_assert_eq(run(&app, 0, 1, &r0, &res), FC_LERR_NATIVE_UNAVAILABLE);
    cr_assert_eq(res.engine, FC_TARGET_THUMBV7M);
    /* the device hook built for the host refuses as well, without calling */
    plat.invoke = fc_native_invoke_direct;
    cr_assert_eq(run(&app, 0, 1, &r0, &res), FC_LERR_NATIVE_UNAVAILABLE);
    /* the bytecode of the same install runs */
    fc_run_args a = { .stack = stack, .stack_len = sizeof stack, .flags = FC_RUN_INTERP,
                      .ctx = (uint8_t *)"\x02\0\0\0", .ctx_len = 4 };
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(res.engine, FC_TARGET_EBPF);
    cr_assert_eq(r0, le32(rodata + 4) + le32(data_init) + 1 + 2);
    free(b);
}

/* a stand-in for the emulator runner: checks what it is given */
static fc_native_invoke seen_call;
static fc_vm seen_vm;
static int fake_invoke(void *ctx, fc_native_invoke *c, uint64_t *r0)
{
    cr_assert_eq(ctx, &seen_call);
    seen_call = *c;
    seen_vm = *c->vm;
    if (c->ctx_len == 4) {       /* pretend: r0 = ctx address low bits */
        *r0 = c->ctx_addr & 0xFFFF;
        return FC_OK;
    }
    c->vm->err = FC_ERR_MEM_WRITE;
    c->vm->err_pc = 3;
    c->vm->err_addr = 0x1234;
    if (c->ctx_len == 8)
        c->fault_off = 205;       /* a machine fault inside the MOVW at 204 */
    return FC_ERR_MEM_WRITE;
}

Test(loader, native_hook_gets_the_same_sandbox, .init = setup)
{
    fc_fcx_code c = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    fc_app app;
    uint64_t r0 = 0;
    fc_run_result res;
    static uint8_t ctx[8];
    plat.invoke = fake_invoke;
    plat.invoke_ctx = &seen_call;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    fc_run_args a = { .stack = stack, .stack_len = sizeof stack, .ctx = ctx, .ctx_len = 4,
                      .ctx_addr = 0x30004321u };
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_OK);
    cr_assert_eq(r0, 0x4321);
    cr_assert_eq(res.engine, FC_TARGET_THUMBV7M);
    uint32_t code_addr = MAP_ADDR + SLOT_OFF + app.code_off;
    cr_assert_eq(seen_call.code_addr, code_addr);
    cr_assert_eq(seen_call.entry_addr, code_addr | 1u, "Thumb entry needs bit 0");
    cr_assert_eq(seen_call.code_len, CODE_LEN);
    cr_assert_eq(seen_call.code, flash_mem + SLOT_OFF + app.code_off);
    cr_assert_eq(seen_call.ctx_addr, 0x30004321u);
    cr_assert_eq(seen_vm.max_depth, app.frames);
    cr_assert_eq(seen_vm.nallow, 2);
    cr_assert_eq(seen_vm.allow[0], sum_helpers[0]);
    cr_assert_eq(seen_vm.allow[1], sum_helpers[1]);
    /* regions: ctx, rodata (read-only, in the slot), data, bss */
    cr_assert_eq(seen_vm.nregions, 4);
    cr_assert_eq(seen_vm.regions[0].kind, FC_REGION_CTX);
    cr_assert_eq(seen_vm.regions[1].kind, FC_REGION_RODATA);
    cr_assert_eq(seen_vm.regions[1].addr, MAP_ADDR + SLOT_OFF + app.rodata_off);
    cr_assert_eq(seen_vm.regions[1].perm, FC_PERM_R);
    cr_assert_eq(seen_vm.regions[2].kind, FC_REGION_DATA);
    cr_assert_eq(seen_vm.regions[2].addr, RAM_ADDR + app.ram_data);
    cr_assert_eq(seen_vm.regions[2].perm, FC_PERM_RW);
    cr_assert_eq(seen_vm.regions[3].kind, FC_REGION_BSS);
    cr_assert_eq(seen_vm.regions[3].len, 40);
    /* an error the code reports itself keeps its instruction index */
    a.ctx_len = 5;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_MEM_WRITE);
    cr_assert_eq(res.err_pc, 3);
    cr_assert_eq(res.err_addr, 0x1234);
    cr_assert_eq(res.native_pc, UINT32_MAX);
    /* a machine fault the hook caught is named through the pc map */
    a.ctx_len = 8;
    cr_assert_eq(fc_run(&app, &a, &r0, &res), FC_ERR_MEM_WRITE);
    cr_assert_eq(res.native_pc, 205);
    cr_assert_eq(res.err_pc, 4);
    cr_assert_eq(fc_app_pc_to_insn(&app, 0), 0);
    cr_assert_eq(fc_app_pc_to_insn(&app, 59), 0);
    cr_assert_eq(fc_app_pc_to_insn(&app, 318), 9);
    cr_assert_eq(fc_app_pc_to_insn(&app, CODE_LEN), UINT32_MAX);
    free(b);
}

Test(loader, relocation_range_and_symbols_checked_before_writing, .init = setup)
{
    fc_fcx_code c = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &c, 1);
    fc_app app;
    fc_lresult r;
    char msg[160];
    snap();
    /* helper trampoline 32 MiB away: out of BL range */
    plat.sym[FC_SYM_HELPER] = MAP_ADDR + SLOT_OFF + 0x02000001u;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_RELOC_RANGE);
    fc_lresult_format(&r, msg, sizeof msg);
    cr_assert(strstr(msg, "record 0:"), "%s", msg);  /* the BL at offset 0 */
    assert_flash_untouched();
    /* just inside the range (+16 MiB - 2 from PC) is fine */
    plat.sym[FC_SYM_HELPER] = MAP_ADDR + SLOT_OFF + FC_SLOT_REC_SIZE + 4 + 16777214u;
    cr_assert_eq(fc_check(b, (uint32_t)len, &cfg, NULL, &r), FC_OK, "%s", r.what);
    plat.sym[FC_SYM_HELPER] += 2;
    cr_assert_eq(fc_check(b, (uint32_t)len, &cfg, NULL, &r), FC_LERR_RELOC_RANGE);
    /* a symbol the platform does not provide */
    plat.sym[FC_SYM_HELPER] = HELPER_ADDR;
    plat.sym[FC_SYM_UDIV64] = 0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_RELOC_SYM_MISSING);
    cr_assert_eq(r.value, FC_SYM_UDIV64);
    assert_flash_untouched();
    /* addresses above 4 GiB cannot be relocated into 32-bit code */
    plat.sym[FC_SYM_UDIV64] = UDIV_ADDR;
    cfg.ram_addr = 0x100000000ull;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_ADDR);
    assert_flash_untouched();
    free(b);
}

/* ---- every validation check, one corrupted container each ------------------- */
typedef struct corrupt {
    const char *name;
    int native;                      /* start from the container with code */
    void (*mutate)(uint8_t **b, size_t *len);
    int rehash;
    int want;
    const char *msg;                 /* expected in the formatted result */
} corrupt;

/* section table entry i */
static uint8_t *sect(uint8_t *b, unsigned i) { return b + FC_FCX_HDR_SIZE + i * FC_FCX_SECT_SIZE; }
static int find(const uint8_t *b, unsigned type)
{
    for (unsigned i = 0; i < b[FC_FCX_H_NSECT]; i++)
        if (get16(b + FC_FCX_HDR_SIZE + i * FC_FCX_SECT_SIZE) == type)
            return (int)i;
    cr_assert_fail("no section of type %u", type);
    return -1;
}
static uint8_t *sect_of(uint8_t *b, unsigned type) { return sect(b, (unsigned)find(b, type)); }
static uint8_t *body(uint8_t *b, unsigned type) { return b + le32(sect_of(b, type) + FC_FCX_S_OFFSET); }
static void set32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }
static void grow(uint8_t **b, size_t *len, size_t extra)
{
    *b = realloc(*b, *len + extra);
    memset(*b + *len, 0, extra);
    *len += extra;
}

static void m_magic(uint8_t **b, size_t *l) { (void)l; (*b)[1] = 'G'; }
static void m_newer(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_MAJOR, FC_FCX_VERSION_MAJOR + 1); }
static void m_older(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_MAJOR, FC_FCX_VERSION_MAJOR - 1); }
static void m_minor(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_MINOR, FC_FCX_VERSION_MINOR + 7); }
static void m_hdrsize(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_HEADER_SIZE, 96); }
static void m_reqflag(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_FLAGS, 0x4); }
static void m_optflag(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_FLAGS, 0x00400000u); }
static void m_reserved(uint8_t **b, size_t *l) { (void)l; (*b)[FC_FCX_H_RESERVED + 5] = 1; }
static void m_ctxbig(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_CTX_MIN, FC_FCX_MAX_CTX + 1); }
static void m_ctxwrap(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_CTX_MIN, 0xFFFFFFFFu); }
static void m_ctxmax(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_CTX_MIN, FC_FCX_MAX_CTX); }
static void m_ctxflag(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_CTX_FLAGS, 2); }
static void m_imgbig(uint8_t **b, size_t *l) { set32(*b + FC_FCX_H_IMAGE_SIZE, (uint32_t)*l + 8); }
static void m_imgodd(uint8_t **b, size_t *l) { set32(*b + FC_FCX_H_IMAGE_SIZE, (uint32_t)*l - 4); }
static void m_imgpad(uint8_t **b, size_t *l) { grow(b, l, 16); set32(*b + FC_FCX_H_IMAGE_SIZE, (uint32_t)*l); }
static void m_trailing(uint8_t **b, size_t *l) { grow(b, l, 8); }
static void m_trailer_ok(uint8_t **b, size_t *l)
{
    size_t at = *l;
    grow(b, l, 8 + 8 + 8 + 64);   /* an unknown record and a signature record */
    set32(*b + at, 0x77); set32(*b + at + 4, 5);
    set32(*b + at + 16, FC_FCX_TRAILER_SIGNATURE); set32(*b + at + 20, 64);
    set32(*b + FC_FCX_H_FLAGS, FC_FCX_F_TRAILER);
}
static void m_trailer_bad(uint8_t **b, size_t *l)
{
    size_t at = *l;
    grow(b, l, 16);
    set32(*b + at, FC_FCX_TRAILER_SIGNATURE); set32(*b + at + 4, 9);   /* 9+pad > 8 left */
    set32(*b + FC_FCX_H_FLAGS, FC_FCX_F_TRAILER);
}
static void m_trailer_pad(uint8_t **b, size_t *l)
{
    size_t at = *l;
    grow(b, l, 16);
    set32(*b + at, 0x77); set32(*b + at + 4, 5);
    (*b)[at + 8 + 6] = 1;   /* padding after the 5-byte body */
    set32(*b + FC_FCX_H_FLAGS, FC_FCX_F_TRAILER);
}
static void m_trailer_none(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_FLAGS, FC_FCX_F_TRAILER); }
static void m_nsect0(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_NSECT, 0); }
static void m_nsectbig(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_NSECT, 65); }
static void m_sectoff(uint8_t **b, size_t *l) { (void)l; set32(*b + FC_FCX_H_SECT_OFF, 84); }
static void m_sectoff_far(uint8_t **b, size_t *l) { set32(*b + FC_FCX_H_SECT_OFF, (uint32_t)*l - 16); }
static void m_frames0(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_FRAMES, 0); }
static void m_frames9(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_FRAMES, FC_MAX_CALL_DEPTH + 1); }
static void m_targets(uint8_t **b, size_t *l) { (void)l; put16(*b + FC_FCX_H_TARGETS, 1 | 4); }
static void m_hash(uint8_t **b, size_t *l) { (void)l; body(*b, FC_FCX_SECT_RODATA)[0] ^= 1; }
static void m_hashfield(uint8_t **b, size_t *l) { (void)l; (*b)[FC_FCX_H_SHA256 + 31] ^= 0x80; }
static void m_type(uint8_t **b, size_t *l) { (void)l; put16(sect_of(*b, FC_FCX_SECT_DATA), 0x40); }
/* .data becomes an unknown optional section (skipped): the container then
 * has no .data, so the lddw naming it must name .rodata instead */
static void m_lddw_data_to(uint8_t *b, unsigned sect)
{
    uint8_t *s = sect_of(b, FC_FCX_SECT_BYTECODE), *code = body(b, FC_FCX_SECT_BYTECODE);
    for (uint32_t k = 0; k + 16 <= le32(s + FC_FCX_S_SIZE); k += 8)
        if (code[k] == 0x18 && (code[k + 1] >> 4) == FC_LDDW_SECTION && code[k + 4] == FC_SECT_DATA)
            code[k + 4] = (uint8_t)sect;
}
static void m_data_gone(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_DATA);
    put16(s + FC_FCX_S_TYPE, 0x40);
    put16(s + FC_FCX_S_FLAGS, FC_FCX_SF_OPTIONAL);
}
static void m_type_opt(uint8_t **b, size_t *l)
{
    m_data_gone(b, l);
    m_lddw_data_to(*b, FC_SECT_RODATA);
}
static void m_sflags(uint8_t **b, size_t *l) { (void)l; put16(sect_of(*b, FC_FCX_SECT_DATA) + FC_FCX_S_FLAGS, 1); }
static void m_sres(uint8_t **b, size_t *l) { (void)l; sect_of(*b, FC_FCX_SECT_DATA)[FC_FCX_S_RESERVED1] = 1; }
static void m_empty(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_DATA);
    memset(*b + le32(s + FC_FCX_S_OFFSET), 0, le32(s + FC_FCX_S_SIZE));
    set32(s + FC_FCX_S_SIZE, 0);
}
static void m_align(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_DATA);
    set32(s + FC_FCX_S_OFFSET, le32(s + FC_FCX_S_OFFSET) + 4);
}
static void m_bounds(uint8_t **b, size_t *l)
{
    uint8_t *s = sect_of(*b, FC_FCX_SECT_DATA);
    set32(s + FC_FCX_S_SIZE, (uint32_t)*l);
}
static void m_bounds_wrap(uint8_t **b, size_t *l)
{
    (void)l;   /* offset + size wraps to a small number in 32 bits */
    uint8_t *s = sect_of(*b, FC_FCX_SECT_DATA);
    set32(s + FC_FCX_S_OFFSET, 0xFFFFFFF8u);
    set32(s + FC_FCX_S_SIZE, 0x10);
}
static void m_overlap(uint8_t **b, size_t *l)
{
    (void)l;   /* .data starts inside .rodata */
    uint8_t *ro = sect_of(*b, FC_FCX_SECT_RODATA), *d = sect_of(*b, FC_FCX_SECT_DATA);
    set32(d + FC_FCX_S_OFFSET, le32(ro + FC_FCX_S_OFFSET) + 8);
}
static void m_overlap_table(uint8_t **b, size_t *l) { (void)l; set32(sect_of(*b, FC_FCX_SECT_BYTECODE) + FC_FCX_S_OFFSET, 80); }
static void m_order(uint8_t **b, size_t *l)
{
    (void)l;   /* swap the rodata and data table entries */
    uint8_t t[FC_FCX_SECT_SIZE], *x = sect_of(*b, FC_FCX_SECT_RODATA), *y = sect_of(*b, FC_FCX_SECT_DATA);
    memcpy(t, x, sizeof t); memcpy(x, y, sizeof t); memcpy(y, t, sizeof t);
}
static void m_gap(uint8_t **b, size_t *l)
{
    (void)l;   /* the 4-byte native entry table is followed by 4 bytes of padding */
    uint8_t *d = sect_of(*b, FC_FCX_SECT_CODE_ENTRIES);
    (*b)[le32(d + FC_FCX_S_OFFSET) + le32(d + FC_FCX_S_SIZE)] = 0x55;
}
static void m_dup(uint8_t **b, size_t *l) { (void)l; put16(sect_of(*b, FC_FCX_SECT_DATA), FC_FCX_SECT_RODATA); }
static void m_bss_off(uint8_t **b, size_t *l) { (void)l; set32(sect_of(*b, FC_FCX_SECT_BSS) + FC_FCX_S_OFFSET, 8); }
static void m_bss_zero(uint8_t **b, size_t *l) { (void)l; set32(sect_of(*b, FC_FCX_SECT_BSS) + FC_FCX_S_INFO, 0); }
static void m_target_nc(uint8_t **b, size_t *l) { (void)l; sect_of(*b, FC_FCX_SECT_DATA)[FC_FCX_S_TARGET] = 1; }
static void m_info_nc(uint8_t **b, size_t *l) { (void)l; set32(sect_of(*b, FC_FCX_SECT_DATA) + FC_FCX_S_INFO, 1); }
static void m_link_nc(uint8_t **b, size_t *l) { (void)l; put16(sect_of(*b, FC_FCX_SECT_DATA) + FC_FCX_S_LINK, 1); }
static void m_link_far(uint8_t **b, size_t *l) { (void)l; put16(sect_of(*b, FC_FCX_SECT_RELOC) + FC_FCX_S_LINK, 60); }
static void m_link_notcode(uint8_t **b, size_t *l)
{
    (void)l;
    put16(sect_of(*b, FC_FCX_SECT_RELOC) + FC_FCX_S_LINK, (uint16_t)find(*b, FC_FCX_SECT_BYTECODE));
}
static void m_no_bytecode(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_BYTECODE);
    put16(s + FC_FCX_S_TYPE, 0x41);
    put16(s + FC_FCX_S_FLAGS, FC_FCX_SF_OPTIONAL);
}
static void m_insn(uint8_t **b, size_t *l) { (void)l; body(*b, FC_FCX_SECT_BYTECODE)[8 * 7] = 0xff; }
static void m_insn_size(uint8_t **b, size_t *l)
{
    (void)l;   /* the last instruction is `exit`: its upper 4 bytes are 0 */
    uint8_t *s = sect_of(*b, FC_FCX_SECT_BYTECODE);
    set32(s + FC_FCX_S_SIZE, le32(s + FC_FCX_S_SIZE) - 4);
}
static void m_entry_name(uint8_t **b, size_t *l) { (void)l; memset(body(*b, FC_FCX_SECT_ENTRIES), 'x', 24); }
static void m_entry_pad(uint8_t **b, size_t *l) { (void)l; body(*b, FC_FCX_SECT_ENTRIES)[20] = 'x'; }
static void m_entry_insn(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_ENTRIES) + 24, 17); }
static void m_entry_lddw(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_ENTRIES) + 24, 2); }
static void m_entry_none(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_ENTRIES);
    put16(s + FC_FCX_S_TYPE, 0x42);
    put16(s + FC_FCX_S_FLAGS, FC_FCX_SF_OPTIONAL);
}
static void m_helper_order(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *h = body(*b, FC_FCX_SECT_HELPERS);
    set32(h, 0x9a); set32(h + 4, 0x99);
}
static void m_helper_missing(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_HELPERS) + 4, 0x7777); }
static void m_code_target(uint8_t **b, size_t *l) { (void)l; sect_of(*b, FC_FCX_SECT_CODE)[FC_FCX_S_TARGET] = 9; }
static void m_code_target0(uint8_t **b, size_t *l) { (void)l; sect_of(*b, FC_FCX_SECT_CODE)[FC_FCX_S_TARGET] = 0; }
static void m_nentry(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_CODE_ENTRIES), CODE_LEN); }
static void m_nentry_align(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_CODE_ENTRIES), 3); }
static void m_nentry_size(uint8_t **b, size_t *l)
{
    (void)l;   /* 4 bytes of zero padding follow the 4-byte table */
    set32(sect_of(*b, FC_FCX_SECT_CODE_ENTRIES) + FC_FCX_S_SIZE, 8);
}
static void m_nentry_none(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_CODE_ENTRIES);
    put16(s + FC_FCX_S_TYPE, 0x43);
    put16(s + FC_FCX_S_FLAGS, FC_FCX_SF_OPTIONAL);
    put16(s + FC_FCX_S_LINK, 0);
}
/* relocation records (sorted by the writer: 0, 60, 100, 204, 318) */
static uint8_t *rel(uint8_t *b, unsigned k) { return body(b, FC_FCX_SECT_RELOC) + k * FC_FCX_RELOC_SIZE; }
static void m_rel_off(uint8_t **b, size_t *l) { (void)l; set32(rel(*b, 4), CODE_LEN); }
static void m_rel_pair(uint8_t **b, size_t *l) { (void)l; set32(rel(*b, 4), CODE_LEN - 4); (*b)[rel(*b, 4) - *b + 4] = FC_RELOC_THM_MOVW_MOVT; }
static void m_rel_align(uint8_t **b, size_t *l) { (void)l; set32(rel(*b, 2), 102); }
static void m_rel_order(uint8_t **b, size_t *l) { (void)l; set32(rel(*b, 1), 200); }
static void m_rel_overlap(uint8_t **b, size_t *l) { (void)l; set32(rel(*b, 1), 2); }
static void m_rel_kind(uint8_t **b, size_t *l) { (void)l; rel(*b, 1)[FC_FCX_R_KIND] = 9; }
static void m_rel_kind_rv(uint8_t **b, size_t *l) { (void)l; rel(*b, 1)[FC_FCX_R_KIND] = FC_RELOC_RV_CALL; }
static void m_rel_sym(uint8_t **b, size_t *l) { (void)l; rel(*b, 1)[FC_FCX_R_SYM] = FC_SYM__COUNT; }
static void m_rel_res(uint8_t **b, size_t *l) { (void)l; rel(*b, 1)[FC_FCX_R_RESERVED] = 1; }
static void m_rel_insn(uint8_t **b, size_t *l) { (void)l; body(*b, FC_FCX_SECT_CODE)[60] = 0; }
static void m_rel_rd(uint8_t **b, size_t *l) { (void)l; body(*b, FC_FCX_SECT_CODE)[67] = 0x04; }
static void m_rel_bl(uint8_t **b, size_t *l) { (void)l; body(*b, FC_FCX_SECT_CODE)[321] = 0xE8; }
static void m_rel_size(uint8_t **b, size_t *l)
{
    (void)l;
    uint8_t *s = sect_of(*b, FC_FCX_SECT_RELOC);
    memset(rel(*b, 4) + 8, 0, 4);
    set32(s + FC_FCX_S_SIZE, le32(s + FC_FCX_S_SIZE) - 4);
}
static void m_pcmap(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_PCMAP) + 8, 0); }
static void m_pcmap_insn(uint8_t **b, size_t *l) { (void)l; set32(body(*b, FC_FCX_SECT_PCMAP) + 12, 999); }
static void m_dup_code(uint8_t **b, size_t *l)
{
    (void)l;   /* claim the pc map is a second reloc section for the code */
    put16(sect_of(*b, FC_FCX_SECT_PCMAP), FC_FCX_SECT_RELOC);
}
static void m_truncated(uint8_t **b, size_t *l) { (void)b; *l = 40; }

static corrupt cases[] = {
    { "magic", 0, m_magic, 1, FC_LERR_MAGIC, "magic" },
    { "version_newer", 0, m_newer, 1, FC_LERR_VERSION_NEWER, "newer than this loader" },
    { "version_older", 0, m_older, 1, FC_LERR_VERSION_OLDER, "older" },
    { "minor_newer_ok", 0, m_minor, 1, FC_OK, NULL },
    { "header_size", 0, m_hdrsize, 1, FC_LERR_HEADER_SIZE, "header_size" },
    { "required_flag", 0, m_reqflag, 1, FC_LERR_FLAGS, "required flag" },
    { "optional_flag_ok", 0, m_optflag, 1, FC_OK, NULL },
    { "reserved", 0, m_reserved, 1, FC_LERR_RESERVED, "reserved" },
    { "ctx_min_above_64k", 0, m_ctxbig, 1, FC_LERR_CTX_LIMIT, "64 KiB" },
    { "ctx_min_wraps", 1, m_ctxwrap, 1, FC_LERR_CTX_LIMIT, "64 KiB" },
    { "ctx_min_64k_ok", 1, m_ctxmax, 1, FC_OK, NULL },
    { "ctx_flags_unknown", 0, m_ctxflag, 1, FC_LERR_CTX_LIMIT, "unknown flag" },
    { "image_size_beyond", 0, m_imgbig, 0, FC_LERR_IMAGE_SIZE, "beyond end of container" },
    { "image_size_odd", 0, m_imgodd, 1, FC_LERR_IMAGE_SIZE, "multiple of 8" },
    { "image_size_padding", 0, m_imgpad, 1, FC_LERR_IMAGE_SIZE, "beyond the last section" },
    { "trailing_bytes", 0, m_trailing, 1, FC_LERR_TRAILING, "trailer flag" },
    { "trailer_ok", 0, m_trailer_ok, 1, FC_OK, NULL },
    { "trailer_padding", 0, m_trailer_pad, 1, FC_LERR_TRAILER, "padding not zero" },
    { "trailer_bad", 0, m_trailer_bad, 1, FC_LERR_TRAILER, "beyond end" },
    { "trailer_missing", 0, m_trailer_none, 1, FC_LERR_TRAILER, "no trailer" },
    { "truncated", 0, m_truncated, 0, FC_LERR_TRUNCATED, "shorter" },
    { "section_count_0", 0, m_nsect0, 1, FC_LERR_SECTION_TABLE, "section_count" },
    { "section_count_big", 0, m_nsectbig, 1, FC_LERR_SECTION_TABLE, "section_count" },
    { "section_table_align", 0, m_sectoff, 1, FC_LERR_SECTION_TABLE, "multiple of 8" },
    { "section_table_beyond", 0, m_sectoff_far, 1, FC_LERR_SECTION_TABLE, "beyond end of image" },
    { "frames_0", 0, m_frames0, 1, FC_LERR_FRAMES, "stack_frames" },
    { "frames_9", 0, m_frames9, 1, FC_LERR_FRAMES, "stack_frames" },
    { "targets", 0, m_targets, 1, FC_LERR_TARGETS, "target bits" },
    { "hash_payload", 0, m_hash, 0, FC_LERR_HASH, "SHA-256" },
    { "hash_field", 0, m_hashfield, 0, FC_LERR_HASH, "SHA-256" },
    { "section_type", 0, m_type, 1, FC_LERR_SECT_TYPE, "unknown section type" },
    { "section_type_optional_ok", 0, m_type_opt, 1, FC_OK, NULL },
    { "section_flags", 0, m_sflags, 1, FC_LERR_SECT_FLAGS, "section flag" },
    { "section_reserved", 0, m_sres, 1, FC_LERR_SECT_FIELD, "reserved" },
    { "section_empty", 0, m_empty, 1, FC_LERR_SECT_EMPTY, "no bytes" },
    { "section_align", 0, m_align, 1, FC_LERR_SECT_ALIGN, "multiple of 8" },
    { "section_bounds", 0, m_bounds, 1, FC_LERR_SECT_BOUNDS, "offset+length beyond end of container" },
    { "section_bounds_wrap", 0, m_bounds_wrap, 1, FC_LERR_SECT_BOUNDS, "beyond end" },
    { "section_overlap", 0, m_overlap, 1, FC_LERR_SECT_OVERLAP, "previous section" },
    { "section_overlap_table", 0, m_overlap_table, 1, FC_LERR_SECT_OVERLAP, "section table" },
    { "section_order", 0, m_order, 1, FC_LERR_SECT_ORDER, "file order" },
    { "section_gap", 1, m_gap, 1, FC_LERR_SECT_GAP, "padding" },
    { "section_dup", 0, m_dup, 1, FC_LERR_SECT_DUP, "second section" },
    { "bss_offset", 0, m_bss_off, 1, FC_LERR_SECT_FIELD, "bss" },
    { "bss_zero", 0, m_bss_zero, 1, FC_LERR_SECT_EMPTY, "bss" },
    { "target_on_data", 0, m_target_nc, 1, FC_LERR_SECT_FIELD, "target" },
    { "info_on_data", 0, m_info_nc, 1, FC_LERR_SECT_FIELD, "info" },
    { "link_on_data", 0, m_link_nc, 1, FC_LERR_SECT_FIELD, "link" },
    { "link_beyond", 1, m_link_far, 1, FC_LERR_SECT_LINK, "link" },
    { "link_not_code", 1, m_link_notcode, 1, FC_LERR_SECT_LINK, "code section" },
    { "no_bytecode", 0, m_no_bytecode, 1, FC_LERR_NO_BYTECODE, "bytecode" },
    { "bytecode_insn", 0, m_insn, 1, FC_LERR_BYTECODE, "record 7" },
    { "bytecode_lddw_absent_section", 0, m_data_gone, 1, FC_LERR_BYTECODE, "lddw names a data section" },
    { "bytecode_size", 0, m_insn_size, 1, FC_LERR_SECT_SIZE, "multiple of 8" },
    { "entry_name_unterminated", 0, m_entry_name, 1, FC_LERR_ENTRY, "NUL" },
    { "entry_name_padding", 0, m_entry_pad, 1, FC_LERR_ENTRY, "NUL-padded" },
    { "entry_insn", 0, m_entry_insn, 1, FC_LERR_ENTRY, "beyond the bytecode" },
    { "entry_mid_lddw", 0, m_entry_lddw, 1, FC_LERR_ENTRY, "lddw" },
    { "no_entries", 0, m_entry_none, 1, FC_LERR_NO_ENTRIES, "entry" },
    { "helper_order", 0, m_helper_order, 1, FC_LERR_HELPER_ORDER, "ascending" },
    { "helper_missing", 0, m_helper_missing, 1, FC_LERR_HELPER_MISSING, "not registered" },
    { "code_target", 1, m_code_target, 1, FC_LERR_CODE_TARGET, "unknown target" },
    { "code_target_ebpf", 1, m_code_target0, 1, FC_LERR_CODE_TARGET, "unknown target" },
    { "native_entry_beyond", 1, m_nentry, 1, FC_LERR_NATIVE_ENTRY, "outside the code" },
    { "native_entry_align", 1, m_nentry_align, 1, FC_LERR_NATIVE_ENTRY, "misaligned" },
    { "native_entry_size", 1, m_nentry_size, 1, FC_LERR_CODE_ENTRIES, "4 x entry count" },
    { "native_entries_missing", 1, m_nentry_none, 1, FC_LERR_CODE_ENTRIES, "without a native entry" },
    { "reloc_offset", 1, m_rel_off, 1, FC_LERR_RELOC_OFFSET, "beyond the code" },
    { "reloc_pair_room", 1, m_rel_pair, 1, FC_LERR_RELOC_OFFSET, "no room" },
    { "reloc_align", 1, m_rel_align, 1, FC_LERR_RELOC_OFFSET, "misaligned" },
    { "reloc_order", 1, m_rel_order, 1, FC_LERR_RELOC_ORDER, "ascending" },
    { "reloc_overlap", 1, m_rel_overlap, 1, FC_LERR_RELOC_ORDER, "overlapping" },
    { "reloc_kind", 1, m_rel_kind, 1, FC_LERR_RELOC_KIND, "kind" },
    { "reloc_kind_other_arch", 1, m_rel_kind_rv, 1, FC_LERR_RELOC_KIND, "target" },
    { "reloc_symbol", 1, m_rel_sym, 1, FC_LERR_RELOC_SYM, "symbol" },
    { "reloc_reserved", 1, m_rel_res, 1, FC_LERR_SECT_FIELD, "reserved" },
    { "reloc_size", 1, m_rel_size, 1, FC_LERR_SECT_SIZE, "multiple of 12" },
    { "reloc_not_movw", 1, m_rel_insn, 1, FC_LERR_RELOC_INSN, "does not match" },
    { "reloc_movt_other_rd", 1, m_rel_rd, 1, FC_LERR_RELOC_INSN, "does not match" },
    { "reloc_not_bl", 1, m_rel_bl, 1, FC_LERR_RELOC_INSN, "does not match" },
    { "pcmap_order", 1, m_pcmap, 1, FC_LERR_PCMAP, "ascending" },
    { "pcmap_insn", 1, m_pcmap_insn, 1, FC_LERR_PCMAP, "beyond the bytecode" },
    { "dup_reloc_section", 1, m_dup_code, 1, FC_LERR_SECT_DUP, "second section" },
};

/* Parameters are indices: Criterion may run a test in a re-executed
 * process, where pointers (and function pointers) of the parent are void. */
#define NCASES (sizeof cases / sizeof cases[0])
static int case_idx[NCASES];

ParameterizedTestParameters(loader_corrupt, each_check)
{
    for (unsigned i = 0; i < NCASES; i++)
        case_idx[i] = (int)i;
    return cr_make_param_array(int, case_idx, NCASES);
}

ParameterizedTest(int *ci, loader_corrupt, each_check, .init = setup)
{
    corrupt *c = &cases[*ci];
    size_t len;
    uint8_t *b;
    fc_fcx_code code = thumb_code();
    fc_app app;
    fc_lresult r;
    char msg[200];

    b = c->native ? native_fcx(&len, &code, 1) : sum_fcx(&len);
    /* the unmodified container is valid: the mutation is what fails */
    cr_assert_eq(fc_check(b, (uint32_t)len, &cfg, NULL, &r), FC_OK, "%s: base: %s", c->name, r.what);
    c->mutate(&b, &len);
    if (c->rehash)
        cr_assert_eq(fc_fcx_rehash(b, len), 0, "%s: rehash", c->name);
    snap();
    int e = fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r);
    fc_lresult_format(&r, msg, sizeof msg);
    cr_assert_eq(e, c->want, "%s: got %s (%s), want %s", c->name, fc_lerr_str(e), msg, fc_lerr_str(c->want));
    cr_assert_eq(r.code, e);
    if (e != FC_OK) {
        assert_flash_untouched();
        cr_assert(strstr(msg, c->msg), "%s: message '%s' lacks '%s'", c->name, msg, c->msg);
        /* the device-independent verdict agrees, for container-level faults */
        if (e != FC_LERR_HELPER_MISSING && e != FC_LERR_RELOC_INSN)
            cr_assert_eq(fc_fcx_validate(b, (uint32_t)len, NULL), e, "%s", c->name);
    } else {
        fc_app again;
        cr_assert_eq(fc_open(&cfg, &again, &r), FC_OK, "%s: %s", c->name, r.what);
    }
    free(b);
}

Test(loader, message_names_the_section, .init = setup)
{
    size_t len;
    uint8_t *b = sum_fcx(&len);
    fc_lresult r;
    char msg[200];
    int i = find(b, FC_FCX_SECT_DATA);
    m_bounds(&b, &len);
    fc_fcx_rehash(b, len);
    cr_assert_eq(fc_check(b, (uint32_t)len, &cfg, NULL, &r), FC_LERR_SECT_BOUNDS);
    fc_lresult_format(&r, msg, sizeof msg);
    char want[80];
    snprintf(want, sizeof want, "section %d: offset+length beyond end of container", i);
    cr_assert(strncmp(msg, want, strlen(want)) == 0, "'%s' vs '%s'", msg, want);
    /* truncation keeps a terminated prefix */
    char tiny[8];
    fc_lresult_format(&r, tiny, sizeof tiny);
    cr_assert_eq(strlen(tiny), 7);
    cr_assert(strncmp(tiny, want, 7) == 0);
    /* every code has a name */
    for (int c = FC_LERR_BASE; c < FC_LERR__END; c++)
        cr_assert(fc_lerr_str(c) && strcmp(fc_lerr_str(c), "unknown error") != 0, "code %d", c);
    free(b);
}

Test(loader, every_single_byte_flip_is_refused_without_writing, .init = setup)
{
    /* a flipped byte anywhere is caught (most by the hash); nothing is ever
     * written and nothing crashes */
    fc_fcx_code code = thumb_code();
    size_t len;
    uint8_t *b = native_fcx(&len, &code, 1);
    fc_app app;
    snap();
    for (size_t i = 0; i < len; i++) {
        b[i] ^= 0x21;
        int e = fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL);
        cr_assert_neq(e, FC_OK, "flip at %zu accepted", i);
        b[i] ^= 0x21;
    }
    assert_flash_untouched();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    free(b);
}

/* ---- end to end: backend -> writer -> loader -> Thumb-2 code in place -------
 * The thumbv7m backend compiles a program; the container goes through the
 * writer and fc_install into a flash mapped where the emulated Cortex-M3
 * executes it; fc_run enters it through a platform hook built on
 * tools/fc_emu. The same installed app is then run by the interpreter: both
 * engines must agree on r0, errors and memory. */
static fc_insn e2e_prog[] = {
    I(0x61, 6, 1, 0, 0),              /* ldxw r6, [r1]           */
    LDDW_SECT(2, FC_SECT_RODATA, 4),
    I(0x61, 0, 2, 0, 0),              /* ldxw r0, [r2]           */
    LDDW_SECT(3, FC_SECT_DATA, 0),
    I(0x61, 4, 3, 0, 0),
    I(0x07, 4, 0, 0, 1),
    I(0x63, 3, 4, 0, 0),              /* data[0]++               */
    I(0x0f, 0, 4, 0, 0),
    I(0x0f, 0, 6, 0, 0),
    LDDW_SECT(5, FC_SECT_BSS, 8),
    I(0x61, 7, 5, 0, 0),
    I(0x0f, 0, 7, 0, 0),
    I(0x63, 5, 0, 0, 0),              /* bss[8] = r0             */
    I(0xb7, 8, 0, 0, 0),              /* mov r8, 0               */
    I(0x07, 8, 0, 0, 1),              /* add r8, 1               */
    I(0xa5, 8, 0, -2, 10),            /* jlt r8, 10, -2          */
    I(0x0f, 0, 8, 0, 0),              /* r0 += 10                */
    I(0xbf, 1, 0, 0, 0),              /* mov r1, r0              */
    I(0x85, 0, 0, 0, 0x99),           /* call double             */
    I(0x95, 0, 0, 0, 0),
    /* entry "oob": a read past the 4-byte context */
    I(0x61, 0, 1, 8, 0),              /* ldxw r0, [r1+8]         */
    I(0x95, 0, 0, 0, 0),
};
#define E2E_N (sizeof e2e_prog / sizeof e2e_prog[0])
#define E2E_OOB (E2E_N - 2)

typedef struct emu_hook {
    fc_emu *e;
    int calls;
} emu_hook;

static int emu_invoke(void *ctx, fc_native_invoke *c, uint64_t *r0)
{
    emu_hook *h = ctx;
    fc_emu_stats st;
    /* execute in place: the emulated core sees the slot at its flash address */
    cr_assert_eq(fc_emu_place(h->e, (uint32_t)c->app->img_addr, c->app->img, c->app->image_size), 0);
    h->calls++;
    int rc = fc_emu_run(h->e, c->entry_addr, c->vm, c->ctx_addr, c->ctx_len, r0, &st);
    if (rc < 0 && st.pc >= c->code_addr && st.pc < c->code_addr + c->code_len)
        c->fault_off = (uint32_t)(st.pc - c->code_addr);
    return rc;
}

Test(loader, installed_thumb_code_runs_in_place_like_the_interpreter)
{
    char err[200];
    fc_emu *e = fc_emu_open(err, sizeof err);
    cr_assert_not_null(e, "emulator: %s", err);

    /* compile with the thumbv7m backend */
    const fc_backend *bk = &fc_backend_thumbv7m;
    fc_prog p = mkprog(e2e_prog, sizeof e2e_prog / sizeof e2e_prog[0]);
    p.rodata = rodata; p.rodata_len = sizeof rodata;
    p.data = data_init; p.data_len = sizeof data_init;
    p.bss_len = 40;
    size_t wl = bk->work_size(&p);
    void *work = malloc(wl ? wl : 1);
    uint32_t slots[2] = { 0, E2E_OOB }, entry_off[2] = { 0, 0 };
    fc_bk_opts opts = { .flags = 0, .entries = slots, .nentries = 2 };
    fc_bk_out out;
    memset(&out, 0, sizeof out);
    out.entry_off = entry_off;
    cr_assert_eq(bk->compile(&p, NULL, &opts, work, wl, &out, NULL), FC_BK_ENOSPACE);
    out.code = malloc(out.code_len); out.code_cap = out.code_len;
    out.relocs = malloc((out.nrelocs + 1) * sizeof *out.relocs); out.relocs_cap = out.nrelocs;
    out.pcmap = malloc((out.npcmap + 1) * sizeof *out.pcmap); out.pcmap_cap = out.npcmap;
    cr_assert_eq(bk->compile(&p, NULL, &opts, work, wl, &out, NULL), FC_BK_OK);
    cr_assert_gt(out.nrelocs, 0, "the code calls runtime routines");

    fc_fcx_reloc *rl = calloc(out.nrelocs + 1, sizeof *rl);
    fc_fcx_pcmap *pm = calloc(out.npcmap + 1, sizeof *pm);
    for (uint32_t k = 0; k < out.nrelocs; k++)
        rl[k] = (fc_fcx_reloc){ out.relocs[k].offset, out.relocs[k].kind, out.relocs[k].sym, 0,
                                out.relocs[k].addend };
    for (uint32_t k = 0; k < out.npcmap; k++)
        pm[k] = (fc_fcx_pcmap){ out.pcmap[k].native_off, out.pcmap[k].insn };
    fc_fcx_code code = { .target = FC_TARGET_THUMBV7M, .isa = FC_ISA_T2_HWDIV, .code = out.code,
                         .code_len = out.code_len, .relocs = rl, .nrelocs = out.nrelocs,
                         .pcmap = pm, .npcmap = out.npcmap, .entry_offsets = entry_off };
    uint32_t imports[] = { 0x99 };
    fc_fcx_entry ents[] = { { "main", 0 }, { "oob", E2E_OOB } };
    fc_fcx_input in = { .prog = &p, .helpers = imports, .nhelpers = 1, .entries = ents, .nentries = 2,
                        .code = &code, .ncode = 1 };
    size_t len;
    uint8_t *b = write_fcx(&in, &len);

    /* the device: flash mapped so that the slot is the emulator's code area,
     * instance RAM = its .data area, symbols = its runtime routines */
    device(256, 8, 256);
    sim.flash.map_addr = FC_EMU_CODE_ADDR - SLOT_OFF;
    uint32_t ram_guest, ram_size, ctx_guest, stack_guest;
    uint8_t *eram = fc_emu_area(e, FC_EMU_DATA, &ram_guest, &ram_size);
    uint8_t *ectx = fc_emu_area(e, FC_EMU_CTX, &ctx_guest, NULL);
    uint8_t *estack = fc_emu_area(e, FC_EMU_STACK, &stack_guest, NULL);
    cfg.ram = eram;
    cfg.ram_len = ram_size;
    cfg.ram_addr = ram_guest;
    fc_emu_symbols(e, plat.sym);
    emu_hook hook = { e, 0 };
    plat.invoke = emu_invoke;
    plat.invoke_ctx = &hook;
    fc_app app;
    fc_lresult r;
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "%s", r.what);
    assert_outside_slot_untouched();
    cr_assert_eq(app.engine, FC_TARGET_THUMBV7M);

    fc_run_args a = { .stack = estack, .stack_len = FC_EMU_STACK_SIZE, .stack_addr = stack_guest,
                      .ctx = ectx, .ctx_len = 4, .ctx_addr = ctx_guest };
    uint64_t r0s[2][3];
    fc_run_result res[2][3];
    static uint8_t ram_after[2][64];
    uint32_t ctxw[3] = { 0x100, 0x2000, 0x7 };
    for (int engine = 0; engine < 2; engine++) {
        fc_app_reset(&app);
        a.flags = engine ? FC_RUN_INTERP : 0;
        for (int k = 0; k < 3; k++) {
            memcpy(ectx, &ctxw[k], 4);
            a.entry = k == 2 ? 1 : 0;   /* third run: the faulting entry */
            r0s[engine][k] = 0xDEAD;
            fc_run(&app, &a, &r0s[engine][k], &res[engine][k]);
        }
        memcpy(ram_after[engine], eram, app.ram_need);
    }
    cr_assert_gt(hook.calls, 0);
    for (int k = 0; k < 3; k++) {
        fc_run_result *n = &res[0][k], *i = &res[1][k];
        cr_assert_eq(n->engine, FC_TARGET_THUMBV7M);
        cr_assert_eq(i->engine, FC_TARGET_EBPF);
        cr_assert_eq(n->err, i->err, "run %d: native %s, interpreter %s", k, fc_lerr_str(n->err),
                     fc_lerr_str(i->err));
        cr_assert_eq(r0s[0][k], r0s[1][k], "run %d: r0 0x%llx vs 0x%llx", k,
                     (unsigned long long)r0s[0][k], (unsigned long long)r0s[1][k]);
        cr_assert_eq(n->budget_left, i->budget_left, "run %d", k);
        cr_assert_eq(n->err_pc, i->err_pc, "run %d", k);
    }
    cr_assert(memcmp(ram_after[0], ram_after[1], app.ram_need) == 0, ".data/.bss differ");
    /* and the values are the program's, not just equal */
    uint32_t want0 = (le32(rodata + 4) + le32(data_init) + 1 + ctxw[0] + 10) * 2;
    uint32_t bss0 = want0 / 2 - 10;
    uint32_t want1 = (le32(rodata + 4) + le32(data_init) + 2 + ctxw[1] + bss0 + 10) * 2;
    cr_assert_eq(res[1][0].err, FC_OK);
    cr_assert_eq(r0s[1][0], want0);
    cr_assert_eq(r0s[1][1], want1);
    cr_assert_eq(res[1][2].err, FC_ERR_MEM_READ);
    cr_assert_eq(res[1][2].err_pc, E2E_OOB);
    cr_assert_eq(res[1][0].budget_left, FC_DEFAULT_BUDGET - 9);
    free(b);
    free(rl);
    free(pm);
    free(out.code);
    free(out.relocs);
    free(out.pcmap);
    free(work);
    fc_emu_close(e);
}

/* ---- what the code assumes of the context (docs/sandbox.md section 11) ------ */
/* ldxw r0, [r1+60]; exit: with --ctx-size 64 this load is unchecked native code */
static fc_insn ctx_read_prog[] = {
    I(0x61, 0, 1, 60, 0),
    I(0x95, 0, 0, 0, 0),
};
/* stw [r1+0], 7; ldxw r0, [r1+0]; exit */
static fc_insn ctx_write_prog[] = {
    I(0x62, 1, 0, 0, 7),
    I(0x61, 0, 1, 0, 0),
    I(0x95, 0, 0, 0, 0),
};

static uint8_t *ctx_fcx(fc_insn *insns, uint32_t n, uint32_t ctx_min, uint32_t ctx_flags,
                        int native, size_t *len)
{
    static fc_prog p;
    static fc_fcx_code c;
    p = mkprog(insns, n);
    c = thumb_code();
    c.npcmap = 0;   /* its pc map names instructions of a longer program */
    fc_fcx_input in = { .prog = &p, .ctx_min = ctx_min, .ctx_flags = ctx_flags,
                        .code = native ? &c : NULL, .ncode = native ? 1u : 0u };
    return write_fcx(&in, len);
}

static int invoked;
static int counting_invoke(void *ctx, fc_native_invoke *c, uint64_t *r0)
{
    (void)ctx; (void)c;
    invoked++;
    *r0 = 0x600d;
    return FC_OK;
}

static int run_ctx(const fc_app *app, uint32_t flags, uint8_t *ctx, uint32_t ctx_len, unsigned perm,
                   uint64_t *r0)
{
    fc_run_args a = { .stack = stack, .stack_len = sizeof stack, .flags = flags, .ctx = ctx,
                      .ctx_len = ctx_len, .ctx_addr = 0x30000000u, .ctx_perm = perm };
    fc_run_result res;
    int e = fc_run(app, &a, r0, &res);
    cr_assert_eq(res.err, e);
    return e;
}

Test(loader, short_context_refused_by_every_engine, .init = setup)
{
    static uint8_t ctx[128];
    size_t len;
    uint8_t *b = ctx_fcx(ctx_read_prog, 2, 64, 0, 1, &len);
    fc_app app;
    fc_lresult r;
    uint64_t r0;
    plat.invoke = counting_invoke;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "%s", r.what);
    cr_assert_eq(app.engine, FC_TARGET_THUMBV7M);
    cr_assert_eq(app.ctx_min, 64);
    for (uint32_t k = 0; k < 64; k++)
        ctx[k] = (uint8_t)k;
    const uint32_t engines[2] = { 0, FC_RUN_INTERP };
    for (int e = 0; e < 2; e++) {
        invoked = 0;
        /* N-1, 4 (the reproduction: built for 64, run with 4), 0: refused
         * before the first instruction, the same error for both engines */
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 63, FC_PERM_R, &r0), FC_LERR_CTX_SHORT);
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 4, FC_PERM_R, &r0), FC_LERR_CTX_SHORT);
        cr_assert_eq(run_ctx(&app, engines[e], NULL, 0, FC_PERM_R, &r0), FC_LERR_CTX_SHORT);
        cr_assert_eq(invoked, 0, "native code entered with a short context");
        /* N and more: runs */
        r0 = 0;
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 64, FC_PERM_R, &r0), FC_OK);
        cr_assert_eq(r0, e ? 0x3f3e3d3cu : 0x600du);
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 128, FC_PERM_R, &r0), FC_OK);
        cr_assert_eq(invoked, e ? 0 : 2);
    }
    /* the requirement survives a reboot (install record) */
    fc_app again;
    cr_assert_eq(fc_open(&cfg, &again, &r), FC_OK, "%s", r.what);
    cr_assert_eq(again.ctx_min, 64);
    cr_assert_eq(run_ctx(&again, FC_RUN_INTERP, ctx, 63, FC_PERM_R, &r0), FC_LERR_CTX_SHORT);
    cr_assert_str_eq(fc_lerr_str(FC_LERR_CTX_SHORT), "context shorter than the container requires");
    free(b);
}

Test(loader, no_context_requirement_runs_with_any_context, .init = setup)
{
    static uint8_t ctx[64];
    size_t len;
    uint8_t *b = ctx_fcx(ctx_read_prog, 2, 0, 0, 0, &len);
    fc_app app;
    uint64_t r0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    cr_assert_eq(app.ctx_min, 0);
    /* the interpreter checks the load itself: a short context is a memory
     * error at the load, not a refusal */
    cr_assert_eq(run_ctx(&app, 0, ctx, 4, FC_PERM_R, &r0), FC_ERR_MEM_READ);
    cr_assert_eq(run_ctx(&app, 0, NULL, 0, FC_PERM_R, &r0), FC_ERR_MEM_READ);
    cr_assert_eq(run_ctx(&app, 0, ctx, 64, FC_PERM_R, &r0), FC_OK);
    free(b);
}

Test(loader, forged_context_requirement_refused_or_enforced, .init = setup)
{
    static uint8_t ctx[64];
    size_t len;
    uint8_t *b = ctx_fcx(ctx_read_prog, 2, 64, 0, 0, &len);
    fc_app app;
    fc_lresult r;
    uint64_t r0;
    /* larger than the limit: refused before writing */
    set32(b + FC_FCX_H_CTX_MIN, 0x10001u);
    cr_assert_eq(fc_fcx_rehash(b, len), 0);
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_CTX_LIMIT);
    assert_flash_untouched();
    /* larger, within the limit: enforced (the device cannot know what was
     * proven, it only holds the host to what the container claims) */
    set32(b + FC_FCX_H_CTX_MIN, 65);
    cr_assert_eq(fc_fcx_rehash(b, len), 0);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK);
    cr_assert_eq(run_ctx(&app, 0, ctx, 64, FC_PERM_R, &r0), FC_LERR_CTX_SHORT);
    /* lowered without re-hashing: the hash catches it */
    set32(b + FC_FCX_H_CTX_MIN, 0);
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_HASH);
    assert_flash_untouched();
    free(b);
}

Test(loader, context_writing_code_refuses_a_read_only_context, .init = setup)
{
    static uint8_t ctx[8];
    size_t len;
    uint8_t *b = ctx_fcx(ctx_write_prog, 3, 8, FC_FCX_CTX_WRITES, 1, &len);
    fc_app app;
    fc_lresult r;
    uint64_t r0;
    plat.invoke = counting_invoke;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "%s", r.what);
    cr_assert_eq(app.ctx_flags, FC_FCX_CTX_WRITES);
    const uint32_t engines[2] = { 0, FC_RUN_INTERP };
    for (int e = 0; e < 2; e++) {
        invoked = 0;
        memset(ctx, 0, sizeof ctx);
        /* read-only, explicitly or by default (0): refused, nothing written */
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 8, FC_PERM_R, &r0), FC_LERR_CTX_READONLY);
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 8, 0, &r0), FC_LERR_CTX_READONLY);
        cr_assert_eq(invoked, 0);
        cr_assert_eq(ctx[0], 0);
        /* the length check comes first */
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 7, FC_PERM_RW, &r0), FC_LERR_CTX_SHORT);
        /* writable: runs */
        cr_assert_eq(run_ctx(&app, engines[e], ctx, 8, FC_PERM_RW, &r0), FC_OK);
        cr_assert_eq(r0, e ? 7u : 0x600du);
        cr_assert_eq(ctx[0], e ? 7 : 0);
    }
    /* a program that only reads runs with a read-only context */
    free(b);
    b = ctx_fcx(ctx_read_prog, 2, 64, 0, 1, &len);
    static uint8_t big[64];
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK);
    cr_assert_eq(run_ctx(&app, 0, big, 64, FC_PERM_R, &r0), FC_OK);
    cr_assert_eq(run_ctx(&app, FC_RUN_INTERP, big, 64, FC_PERM_R, &r0), FC_OK);
    /* without the flag, a store into a read-only context is the
     * interpreter's memory error (checked code), not a refusal */
    free(b);
    b = ctx_fcx(ctx_write_prog, 3, 0, 0, 0, &len);
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK);
    cr_assert_eq(run_ctx(&app, 0, ctx, 8, FC_PERM_R, &r0), FC_ERR_MEM_WRITE);
    free(b);
}

Test(loader, native_context_must_lie_below_4gib, .init = setup)
{
    static uint8_t ctx[64];
    size_t len;
    uint8_t *b = ctx_fcx(ctx_read_prog, 2, 64, 0, 1, &len);
    fc_app app;
    uint64_t r0;
    plat.invoke = counting_invoke;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, NULL), FC_OK);
    invoked = 0;
    fc_run_args a = { .stack = stack, .stack_len = sizeof stack, .ctx = ctx, .ctx_len = 64,
                      .ctx_addr = 0xFFFFFFE0u };
    cr_assert_eq(fc_run(&app, &a, &r0, NULL), FC_LERR_ADDR);
    a.ctx_addr = 0x100000000ull;
    cr_assert_eq(fc_run(&app, &a, &r0, NULL), FC_LERR_ADDR);
    cr_assert_eq(invoked, 0);
    a.ctx_addr = 0xFFFFFFC0u;   /* ends exactly at 2^32 */
    cr_assert_eq(fc_run(&app, &a, &r0, NULL), FC_OK);
    cr_assert_eq(invoked, 1);
    free(b);
}

Test(loader, writer_refuses_context_requirements_above_the_limit)
{
    fc_prog p = mkprog(ctx_read_prog, 2);
    fc_diag dv[4];
    fc_diags d = { dv, 4, 0, 0, 0 };
    uint8_t *b = NULL;
    size_t len;
    fc_fcx_input in = { .prog = &p, .ctx_min = FC_FCX_MAX_CTX + 1 };
    cr_assert_eq(fc_fcx_write_alloc(&in, &b, &len, &d), FC_FCX_E_INPUT);
    in.ctx_min = FC_FCX_MAX_CTX;
    in.ctx_flags = 4;
    cr_assert_eq(fc_fcx_write_alloc(&in, &b, &len, &d), FC_FCX_E_INPUT);
    in.ctx_flags = FC_FCX_CTX_WRITES;
    cr_assert_eq(fc_fcx_write_alloc(&in, &b, &len, &d), FC_FCX_OK);
    cr_assert_eq(le32(b + FC_FCX_H_CTX_MIN), FC_FCX_MAX_CTX);
    cr_assert_eq(le32(b + FC_FCX_H_CTX_FLAGS), FC_FCX_CTX_WRITES);
    cr_assert_eq(fc_fcx_validate(b, (uint32_t)len, NULL), FC_OK);
    free(b);
}

/* The entry table against the bytecode (check_entry_starts): every entry
 * must start a function the way the verifier saw it. The writer refuses
 * such tables too, so a valid container is written and its entry k moved
 * to instruction `at` (the hash made right again). */
static void entries_refused(fc_insn *prog, uint32_t n, const fc_fcx_entry *e, uint32_t ne,
                            uint32_t k, uint32_t at, const char *what)
{
    fc_prog p = mkprog(prog, n);
    fc_fcx_input in = { .prog = &p, .entries = e, .nentries = ne };
    size_t len;
    uint8_t *b = write_fcx(&in, &len);
    fc_app app;
    fc_lresult r;
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_OK, "base: %s", r.what);
    set32(body(b, FC_FCX_SECT_ENTRIES) + k * FC_FCX_ENTRY_SIZE + FC_FCX_E_INSN, at);
    cr_assert_eq(fc_fcx_rehash(b, len), 0);
    snap();
    cr_assert_eq(fc_install(b, (uint32_t)len, &cfg, &app, NULL, &r), FC_LERR_ENTRY, "%s", what);
    cr_assert(strstr(r.what, what), "'%s' instead of '%s'", r.what, what);
    cr_assert_eq(r.sect, 1, "the entries section is named");
    cr_assert_eq(r.item, (int32_t)k, "entry %u is named", k);
    assert_flash_untouched();
    free(b);
}

Test(loader, entry_table_refused, .init = setup)
{
    fc_insn two[] = {
        I(0xb7, 0, 0, 0, 11), I(0x95, 0, 0, 0, 0),
        I(0xb7, 0, 0, 0, 22), I(0x95, 0, 0, 0, 0),
    };
    fc_fcx_entry ok2[] = { { "a", 0 }, { "b", 2 } };
    entries_refused(two, 4, ok2, 2, 1, 0, "same instruction");
    entries_refused(two, 4, ok2, 2, 1, 1, "fall through");
    entries_refused(two, 4, ok2, 2, 1, 3, "fall through");
    fc_insn called[] = {
        I(0x85, 0, 1, 0, 2),  I(0x95, 0, 0, 0, 0),   /* call local +2 (insn 3) */
        I(0x95, 0, 0, 0, 0),
        I(0xb7, 0, 0, 0, 22), I(0x95, 0, 0, 0, 0),
    };
    fc_fcx_entry ok3[] = { { "a", 0 }, { "b", 2 } };
    entries_refused(called, 5, ok3, 2, 1, 3, "local call targets an entry");
}
