/*
 * fr_device.c - the simulated device of femto-run (see fr_device.h): the
 * real loader over a simulated flash, native code on the simulator's
 * machines (fc_emu.h).
 */
#include "fr_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_emu.h"

/* The machine's data areas (fc_emu.h); used as they are when there is
 * an emulator, and as the guest addresses of host buffers when there is
 * none, so every engine computes the same pointers. */
#define FR_CTX_ADDR    0x20100000u
#define FR_RODATA_ADDR 0x20200000u
#define FR_RAM_ADDR    0x20300000u

struct fr_device {
    unsigned target;
    fc_emu *emu;                  /* NULL: interpreter only */
    int count;
    /* host views (the emulator's areas, or own buffers) */
    uint8_t *ctx, *rodata, *ram, *stack;
    uint32_t ctx_addr, rodata_addr, ram_addr, stack_addr;
    uint32_t area_size, stack_size;
    int own_buffers;
    unsigned ctx_perm;            /* FC_PERM_RW unless fr_set_ctx_perm */
    /* flash */
    uint8_t *flash_mem;
    fc_flash_sim sim;
    uint8_t pagebuf[FR_FLASH_PAGE];
    int placed;                   /* the installed slot is in the emulator */
    /* platform */
    fc_platform plat;
    fc_helper_env henv;
    fc_kv kv_local, kv_global;
    fc_kv_entry kv_local_e[FR_KV_CAP], kv_global_e[FR_KV_CAP];
    void (*out_fn)(void *ctx, const char *s, uint32_t n);
    void *out_ctx;
    /* the current native run */
    fr_stats *st;
};

const char *fr_core_name(unsigned target)
{
    switch (target) {
    case FC_TARGET_THUMBV7M: return "thumbv7m";
    case FC_TARGET_RV32IMAC: return "rv32imac";
    case FC_TARGET_EBPF: return "ebpf";
    }
    return "?";
}

const char *fr_core_desc(unsigned target)
{
    switch (target) {
    case FC_TARGET_THUMBV7M: return "Cortex-M3 (Thumb-2) in Unicorn";
    case FC_TARGET_RV32IMAC: return "RV32IMAC (SiFive E31) in Unicorn";
    case FC_TARGET_EBPF: return "the interpreter";
    }
    return "?";
}

static void out_write(void *ctx, const char *s, uint32_t n)
{
    fr_device *d = ctx;
    if (d->out_fn)
        d->out_fn(d->out_ctx, s, n);
}

void fr_set_output(fr_device *d, void (*fn)(void *ctx, const char *s, uint32_t n), void *ctx)
{
    d->out_fn = fn;
    d->out_ctx = ctx;
}

void fr_set_ctx_perm(fr_device *d, unsigned perm)
{
    d->ctx_perm = perm;
}

void fr_set_trust(fr_device *d, const fc_trust_key *keys, uint32_t n, uint32_t policy)
{
    d->plat.trusted = keys;
    d->plat.ntrusted = n;
    d->plat.policy = policy;
}

const fc_platform *fr_platform(const fr_device *d)
{
    return &d->plat;
}

/*
 * The platform hook: execute in place. The emulated core sees the slot at
 * its flash address; it is copied there once per install (the flash does
 * not change between runs, and every placement costs a translation-cache
 * flush in the harness).
 */
static int emu_invoke(void *hook_ctx, fc_native_invoke *c, uint64_t *r0)
{
    fr_device *d = hook_ctx;
    fc_emu_stats es;
    int rc;

    if (!d->placed) {
        if (fc_emu_place(d->emu, (uint32_t)c->app->img_addr, c->app->img, c->app->image_size))
            return FC_LERR_NATIVE_UNAVAILABLE;
        d->placed = 1;
    }
    /* The cap only stops code that broke its budget accounting: a correct
     * run executes at most about (budget + 1) * program size eBPF
     * instructions, each a few dozen machine instructions (64-bit division
     * a few hundred). */
    uint64_t per = (uint64_t)(c->app->ninsns + 16u) * 2000u;
    uint64_t b = c->vm->budget;
    fc_emu_cap(d->emu, b >= (UINT64_C(1) << 62) / per ? (UINT64_C(1) << 62) : (b + 1) * per);
    rc = fc_emu_run(d->emu, c->entry_addr, c->vm, c->ctx_addr, c->ctx_len, r0, &es);
    if (d->st) {
        d->st->counted = d->count;
        d->st->insns = es.insns;
        d->st->helper_calls = es.helper_calls;
        d->st->pc = es.pc;
        d->st->uc_err = es.uc_err;
        d->st->machine_fault = rc < 0;
        d->st->fault = es.fault;
        d->st->fault_addr = es.fault_addr;
    }
    if (rc < 0) {
        uint32_t pc = es.pc & ~1u;
        if (pc >= c->code_addr && pc < c->code_addr + c->code_len)
            c->fault_off = (uint32_t)(pc - c->code_addr);
    }
    return rc;
}

fr_device *fr_open(unsigned target, int count, char *err, size_t errlen)
{
    fr_device *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->target = target;
    d->count = count;
    d->ctx_perm = FC_PERM_RW;
    if (target != FC_TARGET_EBPF) {
        d->emu = fc_emu_open_target(target, err, errlen);
        if (!d->emu) {
            free(d);
            return NULL;
        }
        if (count)
            fc_emu_count(d->emu, 1);
        d->ctx = fc_emu_area(d->emu, FC_EMU_CTX, &d->ctx_addr, &d->area_size);
        d->rodata = fc_emu_area(d->emu, FC_EMU_RODATA, &d->rodata_addr, NULL);
        d->ram = fc_emu_area(d->emu, FC_EMU_DATA, &d->ram_addr, NULL);
        d->stack = fc_emu_area(d->emu, FC_EMU_STACK, &d->stack_addr, &d->stack_size);
    } else {
        d->own_buffers = 1;
        d->area_size = FC_EMU_AREA_SIZE;
        d->stack_size = FC_EMU_STACK_SIZE;
        d->ctx = calloc(1, d->area_size);
        d->rodata = calloc(1, d->area_size);
        d->ram = calloc(1, d->area_size);
        d->stack = calloc(1, d->stack_size);
        d->ctx_addr = FR_CTX_ADDR;
        d->rodata_addr = FR_RODATA_ADDR;
        d->ram_addr = FR_RAM_ADDR;
        d->stack_addr = FC_EMU_STACK_ADDR;
    }
    d->flash_mem = malloc(FR_FLASH_SIZE);
    if (!d->ctx || !d->rodata || !d->ram || !d->stack || !d->flash_mem ||
        fc_flash_sim_init(&d->sim, d->flash_mem, FR_FLASH_SIZE, FR_FLASH_PAGE, FR_FLASH_UNIT,
                          FC_EMU_CODE_ADDR) != FC_FLASH_OK) {
        snprintf(err, errlen, "out of memory");
        fr_close(d);
        return NULL;
    }

    fc_kv_init(&d->kv_local, d->kv_local_e, FR_KV_CAP);
    fc_kv_init(&d->kv_global, d->kv_global_e, FR_KV_CAP);
    d->henv.write = out_write;
    d->henv.ctx = d;
    d->henv.kv_local = &d->kv_local;
    d->henv.kv_global = &d->kv_global;

    d->plat.target = (uint8_t)target;
    d->plat.helpers = fc_std_helpers;
    d->plat.nhelpers = fc_std_helpers_count;
    if (target == FC_TARGET_THUMBV7M)
        d->plat.isa = FC_ISA_T2_HWDIV;              /* Cortex-M3: no DSP */
    else if (target == FC_TARGET_RV32IMAC)
        d->plat.isa = FC_ISA_RV_M | FC_ISA_RV_A | FC_ISA_RV_C;
    if (d->emu) {
        fc_emu_symbols(d->emu, d->plat.sym);
        d->plat.invoke = emu_invoke;
        d->plat.invoke_ctx = d;
    }
    return d;
}

void fr_close(fr_device *d)
{
    if (!d)
        return;
    if (d->own_buffers) {
        free(d->ctx);
        free(d->rodata);
        free(d->ram);
        free(d->stack);
    }
    fc_emu_close(d->emu);
    free(d->flash_mem);
    free(d);
}

int fr_install(fr_device *d, const uint8_t *fcx, uint32_t len, uint32_t flags, fc_app *app,
               fc_install_info *info, fc_lresult *res)
{
    fc_install_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.plat = &d->plat;
    cfg.slot.flash = &d->sim.flash;
    cfg.slot.off = 0;
    cfg.slot.size = FR_FLASH_SIZE;
    cfg.ram = d->ram;
    cfg.ram_len = d->area_size;
    cfg.ram_addr = d->ram_addr;
    cfg.buf = d->pagebuf;
    cfg.buf_len = sizeof d->pagebuf;
    cfg.flags = flags;
    d->placed = 0;
    /* a new instance: fresh key-value tables */
    fc_kv_init(&d->kv_local, d->kv_local_e, FR_KV_CAP);
    fc_kv_init(&d->kv_global, d->kv_global_e, FR_KV_CAP);
    return fc_install(fcx, len, &cfg, app, info, res);
}

static int put_ctx(fr_device *d, const uint8_t *ctx, uint32_t ctx_len)
{
    if (ctx_len > d->area_size)
        return -1;
    memset(d->ctx, 0, d->area_size);
    if (ctx_len)
        memcpy(d->ctx, ctx, ctx_len);
    return 0;
}

int fr_run(fr_device *d, const fc_app *app, uint32_t entry, uint32_t run_flags,
           const uint8_t *ctx, uint32_t ctx_len, uint64_t budget, uint64_t *r0,
           fc_run_result *res, fr_stats *st)
{
    fc_run_args a;
    fc_run_result tmp;
    fr_stats stmp;
    int rc;

    if (!res)
        res = &tmp;
    if (!st)
        st = &stmp;
    memset(st, 0, sizeof *st);
    if (put_ctx(d, ctx, ctx_len)) {
        memset(res, 0, sizeof *res);
        return res->err = FC_LERR_ARG;
    }
    memset(&a, 0, sizeof a);
    a.entry = entry;
    a.flags = run_flags;
    a.stack = d->stack;
    a.stack_len = d->stack_size;
    a.stack_addr = d->stack_addr;
    a.ctx = ctx_len ? d->ctx : NULL;
    a.ctx_len = ctx_len;
    a.ctx_addr = d->ctx_addr;
    a.ctx_perm = d->ctx_perm;
    a.budget = budget;
    a.env = &d->henv;
    d->st = st;
    rc = fc_run(app, &a, r0, res);
    d->st = NULL;
    if (res->engine == FC_TARGET_EBPF) {
        st->counted = 1;
        st->insns = res->insn_count;
    }
    return rc;
}

int fr_run_prog(fr_device *d, const fc_insn *insns, uint32_t n, const uint8_t *rodata,
                uint32_t rodata_len, const uint8_t *data, uint32_t data_len, uint32_t bss_len,
                const uint8_t *ctx, uint32_t ctx_len, uint64_t budget, uint64_t *r0, fc_vm *vm)
{
    uint32_t bss_off = (data_len + 7u) & ~7u;
    int rc;

    if (put_ctx(d, ctx, ctx_len) || rodata_len > d->area_size || bss_off > d->area_size ||
        bss_len > d->area_size - bss_off)
        return FC_ERR_BAD_ARG;
    if (rodata_len)
        memcpy(d->rodata, rodata, rodata_len);
    memset(d->ram, 0, bss_off + bss_len);
    if (data_len)
        memcpy(d->ram, data, data_len);
    rc = fc_vm_init(vm, insns, n, d->stack, d->stack_size);
    if (rc != FC_OK)
        return rc;
    vm->stack_addr = d->stack_addr;
    if (ctx_len)
        rc = fc_vm_add_region(vm, d->ctx_addr, d->ctx, ctx_len, d->ctx_perm, FC_REGION_CTX);
    if (rc == FC_OK && rodata_len)
        rc = fc_vm_add_region(vm, d->rodata_addr, d->rodata, rodata_len, FC_PERM_R,
                              FC_REGION_RODATA);
    if (rc == FC_OK && data_len)
        rc = fc_vm_add_region(vm, d->ram_addr, d->ram, data_len, FC_PERM_RW, FC_REGION_DATA);
    if (rc == FC_OK && bss_len)
        rc = fc_vm_add_region(vm, d->ram_addr + bss_off, d->ram + bss_off, bss_len, FC_PERM_RW,
                              FC_REGION_BSS);
    if (rc != FC_OK)
        return rc;
    fc_vm_set_helpers(vm, fc_std_helpers, fc_std_helpers_count, NULL, 0);
    if (budget)
        vm->budget = budget;
    vm->env = &d->henv;
    return fc_vm_run(vm, ctx_len ? d->ctx_addr : 0, ctx_len, r0);
}

uint8_t *fr_area(fr_device *d, enum fr_area a, uint32_t *guest_addr, uint32_t *size)
{
    uint8_t *p = NULL;
    uint32_t addr = 0, sz = 0;
    switch (a) {
    case FR_CTX: p = d->ctx; addr = d->ctx_addr; sz = d->area_size; break;
    case FR_RAM: p = d->ram; addr = d->ram_addr; sz = d->area_size; break;
    case FR_STACK: p = d->stack; addr = d->stack_addr; sz = d->stack_size; break;
    }
    if (guest_addr)
        *guest_addr = addr;
    if (size)
        *size = sz;
    return p;
}
