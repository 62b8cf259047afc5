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
#include "fc_xt.h"
#include "fc_xt_tramp.h"

/* The lx106 routine blob (sim/xtensa.mk), linked at FR_XT_RT_ADDR. */
extern const uint8_t fc_xt_rt_lx106[];
extern const uint32_t fc_xt_rt_lx106_len;
extern const uint32_t fc_xt_rt_lx106_fc_native_udiv64, fc_xt_rt_lx106_fc_native_umod64,
    fc_xt_rt_lx106_fc_native_sdiv64, fc_xt_rt_lx106_fc_native_smod64;

/* The machine's data areas (fc_emu.h); used as they are when there is
 * an emulator, and as the guest addresses of host buffers when there is
 * none, so every engine computes the same pointers. */
#define FR_CTX_ADDR    0x20100000u
#define FR_RODATA_ADDR 0x20200000u
#define FR_RAM_ADDR    0x20300000u
/* The lx106 device (qemu-xtensa, sim/fc_xt.h): the routine blob where
 * sim/fc_xt_rt.ld links it, which is the Unicorn machines' flash address,
 * so the flash (the slot) sits above it; the env at the Unicorn machines'
 * env address; the data areas at the addresses above. */
#define FR_XT_RT_ADDR    0x00100000u
#define FR_XT_FLASH_ADDR 0x00200000u
#define FR_XT_ENV_ADDR   FC_EMU_ENV_ADDR
#define FR_XT_PAGE       4096u

struct fr_device {
    unsigned target;
    fc_emu *emu;                  /* NULL: interpreter only, lx106 or esp32 */
    fc_xt *xt;                    /* the Xtensa core (qemu-xtensa), or NULL */
    enum fc_xt_abi xt_abi;        /* how its entry is called: CALLX0 (lx106),
                                     CALLX8 (esp32) */
    fc_native_invoke *call;       /* the Xtensa run in progress (upcalls) */
    int xt_err;                   /* an upcall could not bring memory over */
    fc_native_env xenv;           /* its env as the guest last had it */
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
    /* Femto-Containers devices (fr_set_saul, fr_set_coap, fr_add_region) */
    fc_helper_port port;
    fc_saul_dev saul[FR_SAUL_MAX];
    fc_coap_port coap;
    uint8_t coap_req[FC_EMU_AREA_SIZE];
    uint32_t coap_req_len;
    int has_coap;
    uint8_t *extra[3];
    uint32_t extra_addr[3];
    fc_region regions[FR_EXTRA_MAX + 2];
    uint32_t nregions;             /* fr_add_region's */
    uint64_t clock_us;
};

static const uint32_t extra_addrs[3] = {0x20500000u, 0x20600000u, 0x20700000u};

const char *fr_core_name(unsigned target)
{
    switch (target) {
    case FC_TARGET_THUMBV7M: return "thumbv7m";
    case FC_TARGET_RV32IMAC: return "rv32imac";
    case FC_TARGET_XTENSA: return "lx106";
    case FC_TARGET_ESP32: return "esp32";
    case FC_TARGET_EBPF: return "ebpf";
    }
    return "?";
}

const char *fr_core_desc(unsigned target)
{
    switch (target) {
    case FC_TARGET_THUMBV7M: return "Cortex-M3 (Thumb-2) in Unicorn";
    case FC_TARGET_RV32IMAC: return "RV32IMAC (SiFive E31) in Unicorn";
    case FC_TARGET_XTENSA: return "Xtensa lx106 (call0) in qemu-xtensa";
    case FC_TARGET_ESP32: return "Xtensa windowed ABI + DIV32 on dc233c in qemu-xtensa";
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

/*
 * The lx106 core. QEMU user mode runs in another process, so the memory a
 * run may touch lives on the host (the device's buffers, at the guest
 * addresses every core uses) and is copied in before the entry and back
 * after it; a helper call is an upcall (fc_xt_set_upcall): the code calls
 * the monitor's fc_xt_upcall as FC_SYM_HELPER, the host copies guest
 * memory back, runs the runtime's trampoline (fc_native_helper_vm) on the
 * host VM, and copies it in again. The slot is written once per install.
 */
typedef struct xt_span {
    uint32_t addr, len;
    uint8_t *host;
} xt_span;

/* what a run may touch: the context, .data/.bss, the run stack, the extra
 * regions (the template and the VM stay on the host) */
static unsigned xt_spans(fr_device *d, const fc_native_invoke *c, xt_span s[8])
{
    unsigned n = 0;
    const fc_region *x;
    uint32_t nx = fr_regions(d, &x);
    if (c->ctx_len)
        s[n++] = (xt_span){d->ctx_addr, (uint32_t)c->ctx_len, d->ctx};
    if (c->app->ram_need)
        s[n++] = (xt_span){d->ram_addr, c->app->ram_need, d->ram};
    s[n++] = (xt_span){d->stack_addr, d->stack_size, d->stack};
    for (uint32_t k = 0; k < nx && n < 8; k++)
        s[n++] = (xt_span){(uint32_t)x[k].addr, x[k].len, x[k].host};
    return n;
}

static int xt_copy(fr_device *d, const fc_native_invoke *c, int in)
{
    xt_span s[8];
    unsigned n = xt_spans(d, c, s);
    for (unsigned k = 0; k < n; k++)
        if (in ? fc_xt_write(d->xt, s[k].addr, s[k].host, s[k].len)
               : fc_xt_read(d->xt, s[k].addr, s[k].host, s[k].len))
            return -1;
    return in ? fc_xt_write(d->xt, FR_XT_ENV_ADDR, &d->xenv, sizeof d->xenv)
              : fc_xt_read(d->xt, FR_XT_ENV_ADDR, &d->xenv, sizeof d->xenv);
}

/* FC_SYM_HELPER(env, id, fb), called by the code through the monitor's
 * upcall; a run whose memory cannot be brought over stops (call_err) */
static uint32_t xt_host(void *ctx, fc_xt *x, uint32_t env_addr, uint32_t id, uint32_t fb)
{
    fr_device *d = ctx;
    (void)x;
    if (!d->call || env_addr != FR_XT_ENV_ADDR || xt_copy(d, d->call, 0)) {
        d->xt_err = 1;
        return FC_ERR_BAD_ARG;
    }
    if (d->st)
        d->st->helper_calls++;
    uint32_t ret = fc_native_helper_vm(d->call->vm, &d->xenv, id, fb);
    if (xt_copy(d, d->call, 1))
        d->xt_err = 1;
    return ret;
}

static int xt_invoke(void *hook_ctx, fc_native_invoke *c, uint64_t *r0)
{
    fr_device *d = hook_ctx;
    fc_xt_stats xs;
    uint64_t ret = 0;
    uint32_t arg = FR_XT_ENV_ADDR;
    int rc;

    if (!d->placed) {
        if (fc_xt_write(d->xt, (uint32_t)c->app->img_addr, c->app->img, c->app->image_size))
            return FC_LERR_NATIVE_UNAVAILABLE;
        d->placed = 1;
    }
    if (c->env)
        d->xenv = *c->env;
    else if ((rc = fc_native_env_init(&d->xenv, c->vm, c->ctx_addr, c->ctx_len)) != FC_OK)
        return rc;
    d->call = c;
    d->xt_err = 0;
    if (xt_copy(d, c, 1)) {
        d->call = NULL;
        return FC_LERR_NATIVE_UNAVAILABLE;
    }
    rc = fc_xt_call(d->xt, c->entry_addr, d->xt_abi, &arg, 1, &ret, &xs);
    if (rc == FC_XT_OK && (d->xt_err || xt_copy(d, c, 0)))
        rc = FC_XT_EIO;
    d->call = NULL;
    if (d->st) {
        d->st->counted = d->count && xs.counted;
        d->st->insns = xs.insns;
        d->st->machine_fault = rc != FC_XT_OK;
        d->st->xt_signal = rc == FC_XT_EFAULT ? xs.signal : 0;
    }
    if (rc == FC_XT_EFAULT)
        return FC_EMU_EFAULT;   /* QEMU gives no pc: the fault has no offset */
    if (rc == FC_XT_ETIMEOUT)
        return FC_EMU_ECAP;
    if (rc != FC_XT_OK)
        return FC_LERR_NATIVE_UNAVAILABLE;
    if (c->env)
        *c->env = d->xenv;
    return fc_native_env_finish(c->env ? c->env : &d->xenv, c->vm, (uint32_t)ret, r0);
}

/* The call0 addresses of FC_SYM_HELPER..FC_SYM_SMOD64 (the upcall and the
 * blob's 64-bit division), in that order. */
static void xt_routines(uint32_t r[FC_XT_TRAMP_NSYM])
{
    r[0] = fc_xt_upcall_addr();
    r[FC_SYM_UDIV64 - FC_SYM_HELPER] = fc_xt_rt_lx106_fc_native_udiv64;
    r[FC_SYM_SDIV64 - FC_SYM_HELPER] = fc_xt_rt_lx106_fc_native_sdiv64;
    r[FC_SYM_UMOD64 - FC_SYM_HELPER] = fc_xt_rt_lx106_fc_native_umod64;
    r[FC_SYM_SMOD64 - FC_SYM_HELPER] = fc_xt_rt_lx106_fc_native_smod64;
}

/* The core: lx106, or dc233c for esp32 code (windowed registers, MUL32,
 * DIV32: no upstream QEMU core is an LX6), whose CALL8s reach the call0
 * routine blob and upcall through the windowed trampolines of
 * fc_xt_tramp.h. */
static fc_xt *xt_device(unsigned target, char *err, size_t errlen)
{
    fc_xt *x = fc_xt_open(target == FC_TARGET_ESP32 ? FC_XT_DC233C : FC_XT_LX106, err, errlen);
    uint32_t tramp[FC_XT_TRAMP_NSYM];
    xt_routines(tramp);
    static const uint32_t areas[] = {FR_CTX_ADDR, FR_RAM_ADDR, 0x20500000u, 0x20600000u, 0x20700000u};
    if (!x)
        return NULL;
    int bad = fc_xt_map(x, FR_XT_RT_ADDR, (fc_xt_rt_lx106_len + FR_XT_PAGE - 1) & ~(FR_XT_PAGE - 1),
                        FC_XT_RWX) ||
              fc_xt_write(x, FR_XT_RT_ADDR, fc_xt_rt_lx106, fc_xt_rt_lx106_len) ||
              fc_xt_map(x, FR_XT_FLASH_ADDR, FR_FLASH_SIZE, FC_XT_RWX) ||
              fc_xt_map(x, FR_XT_ENV_ADDR, FR_XT_PAGE, FC_XT_R | FC_XT_W) ||
              fc_xt_map(x, FC_EMU_STACK_ADDR, (FC_EMU_STACK_SIZE + FR_XT_PAGE - 1) & ~(FR_XT_PAGE - 1),
                        FC_XT_R | FC_XT_W);
    for (unsigned k = 0; !bad && k < sizeof areas / sizeof areas[0]; k++)
        bad = fc_xt_map(x, areas[k], FC_EMU_AREA_SIZE, FC_XT_R | FC_XT_W);
    if (!bad && target == FC_TARGET_ESP32)
        bad = FR_XT_RT_ADDR + fc_xt_rt_lx106_len > FC_XT_TRAMP_BASE || fc_xt_tramp_install(x, tramp);
    if (bad) {
        snprintf(err, errlen, "qemu-xtensa: the memory map failed");
        fc_xt_close(x);
        return NULL;
    }
    return x;
}

/* The simulated clock: moves only when a program sleeps. */
static uint64_t clock_us(void *ctx)
{
    return ((fr_device *)ctx)->clock_us;
}

static uint64_t clock_ms(void *ctx)
{
    return ((fr_device *)ctx)->clock_us / 1000u;
}

static void clock_sleep(void *ctx, uint32_t us)
{
    ((fr_device *)ctx)->clock_us += us;
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
    if (target == FC_TARGET_XTENSA || target == FC_TARGET_ESP32) {
        d->xt_abi = target == FC_TARGET_ESP32 ? FC_XT_WINDOWED : FC_XT_CALL0;
        d->xt = xt_device(target, err, errlen);
        if (!d->xt) {
            free(d);
            return NULL;
        }
        fc_xt_set_upcall(d->xt, xt_host, d);
        if (count && fc_xt_count(d->xt, 1)) {
            snprintf(err, errlen, "qemu-xtensa: cannot count instructions");
            fc_xt_close(d->xt);
            free(d);
            return NULL;
        }
    }
    if (target != FC_TARGET_EBPF && !d->xt) {
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
        for (unsigned k = 0; k < 3; k++)
            d->extra[k] = fc_emu_area(d->emu, (enum fc_emu_area)(FC_EMU_EXTRA0 + k),
                                      &d->extra_addr[k], NULL);
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
        for (unsigned k = 0; k < 3; k++) {
            d->extra[k] = calloc(1, d->area_size);
            d->extra_addr[k] = extra_addrs[k];
        }
    }
    d->flash_mem = malloc(FR_FLASH_SIZE);
    if (!d->ctx || !d->rodata || !d->ram || !d->stack || !d->flash_mem || !d->extra[0] ||
        !d->extra[1] || !d->extra[2] ||
        fc_flash_sim_init(&d->sim, d->flash_mem, FR_FLASH_SIZE, FR_FLASH_PAGE, FR_FLASH_UNIT,
                          d->xt ? FR_XT_FLASH_ADDR : FC_EMU_CODE_ADDR) != FC_FLASH_OK) {
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
    d->henv.now_us = clock_us;
    d->henv.now_ms = clock_ms;
    d->port.saul = d->saul;
    d->port.sleep_us = clock_sleep;
    d->port.ctx = d;
    d->henv.port = &d->port;

    d->plat.target = (uint8_t)target;
    /* a host tool: the development policy until fr_set_trust says otherwise */
    d->plat.policy = FC_POLICY_ACCEPT_UNSIGNED;
    d->plat.helpers = fc_std_helpers;
    d->plat.nhelpers = fc_std_helpers_count;
    if (target == FC_TARGET_THUMBV7M)
        d->plat.isa = FC_ISA_T2_HWDIV;              /* Cortex-M3: no DSP */
    else if (target == FC_TARGET_RV32IMAC)
        d->plat.isa = FC_ISA_RV_M | FC_ISA_RV_A | FC_ISA_RV_C;
    else if (target == FC_TARGET_XTENSA)
        d->plat.isa = FC_ISA_XT_MUL32;              /* lx106 */
    else if (target == FC_TARGET_ESP32)
        d->plat.isa = FC_ISA_XT_MUL32 | FC_ISA_XT_DIV32 | FC_ISA_XT_WINDOWED;
    if (d->xt) {
        uint32_t r[FC_XT_TRAMP_NSYM];
        xt_routines(r);
        for (unsigned k = 0; k < FC_XT_TRAMP_NSYM; k++)
            d->plat.sym[FC_SYM_HELPER + k] = target == FC_TARGET_ESP32 ? fc_xt_tramp_sym(FC_SYM_HELPER + k) : r[k];
        d->plat.invoke = xt_invoke;
        d->plat.invoke_ctx = d;
    }
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
        for (unsigned k = 0; k < 3; k++)
            free(d->extra[k]);
    }
    fc_emu_close(d->emu);
    if (d->xt)
        fc_xt_close(d->xt);
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
    a.nextra = fr_regions(d, &a.extra);
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
    {
        const fc_region *x;
        uint32_t nx = fr_regions(d, &x);
        for (uint32_t k = 0; rc == FC_OK && k < nx; k++)
            rc = fc_vm_add_region(vm, x[k].addr, x[k].host, x[k].len, x[k].perm, FC_REGION_EXTRA);
    }
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

/* ---- Femto-Containers devices ---------------------------------------------------- */

int fr_set_saul(fr_device *d, const fc_saul_dev *devs, uint32_t n)
{
    if (n > FR_SAUL_MAX)
        return -1;
    for (uint32_t k = 0; k < n; k++)
        d->saul[k] = devs[k];
    d->port.nsaul = n;
    return 0;
}

/* fr_add_region's regions, then the CoAP packet's pkt view and buffer. */
uint32_t fr_regions(const fr_device *d, const fc_region **r)
{
    *r = d->regions;
    return d->nregions + (d->has_coap ? 2u : 0u);
}

int fr_add_region(fr_device *d, uint32_t addr, const uint8_t *data, uint32_t len, unsigned perm,
                  char *err, size_t errlen)
{
    unsigned areas = d->has_coap ? 2u : 3u;
    if (d->nregions + (d->has_coap ? 2u : 0u) >= FR_EXTRA_MAX) {
        snprintf(err, errlen, "at most %u extra regions (the CoAP packet takes two)",
                 FR_EXTRA_MAX);
        return -1;
    }
    if (perm != FC_PERM_R && perm != FC_PERM_RW) {
        snprintf(err, errlen, "the permission is r or rw");
        return -1;
    }
    for (unsigned k = 0; k < areas; k++) {
        uint32_t off = addr - d->extra_addr[k];
        if (addr < d->extra_addr[k] || off >= d->area_size)
            continue;
        if (len == 0 || len > d->area_size - off) {
            snprintf(err, errlen, "%u bytes at 0x%08x do not fit the extra area at 0x%08x "
                     "(%u bytes)", (unsigned)len, (unsigned)addr, (unsigned)d->extra_addr[k],
                     (unsigned)d->area_size);
            return -1;
        }
        for (uint32_t j = 0; j < d->nregions; j++)
            if (d->regions[j].addr < (uint64_t)addr + len &&
                addr < d->regions[j].addr + d->regions[j].len) {
                snprintf(err, errlen, "0x%08x overlaps the region at 0x%08llx", (unsigned)addr,
                         (unsigned long long)d->regions[j].addr);
                return -1;
            }
        if (data)
            memcpy(d->extra[k] + off, data, len);
        else
            memset(d->extra[k] + off, 0, len);
        /* keep the CoAP regions last */
        if (d->has_coap) {
            d->regions[d->nregions + 2] = d->regions[d->nregions + 1];
            d->regions[d->nregions + 1] = d->regions[d->nregions];
        }
        d->regions[d->nregions++] = (fc_region){addr, d->extra[k] + off, len, perm,
                                                FC_REGION_EXTRA};
        return 0;
    }
    snprintf(err, errlen, "0x%08x is not in an extra area (0x%08x, 0x%08x%s: %u bytes each)",
             (unsigned)addr, (unsigned)d->extra_addr[0], (unsigned)d->extra_addr[1],
             d->has_coap ? "; the third holds the CoAP packet" : ", 0x20700000",
             (unsigned)d->area_size);
    return -1;
}

static void wr64(uint8_t *p, uint64_t v)
{
    for (unsigned k = 0; k < 8; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

int fr_set_coap(fr_device *d, const uint8_t *req, uint32_t req_len, uint32_t buf_len,
                uint8_t ctx24[24], char *err, size_t errlen)
{
    uint8_t *area = d->extra[FR_COAP_AREA];
    uint32_t base = d->extra_addr[FR_COAP_AREA];
    if (buf_len > d->area_size - FR_COAP_BUF_OFF || req_len > buf_len) {
        snprintf(err, errlen, "a request of %u bytes in a %u-byte buffer: the buffer holds at "
                 "most %u and the request must fit it", (unsigned)req_len, (unsigned)buf_len,
                 (unsigned)(d->area_size - FR_COAP_BUF_OFF));
        return -1;
    }
    if (d->has_coap || d->nregions + 2u > FR_EXTRA_MAX) {
        snprintf(err, errlen, "the CoAP packet needs two of the %u extra regions",
                 FR_EXTRA_MAX);
        return -1;
    }
    for (uint32_t k = 0; k < d->nregions; k++)
        if (d->regions[k].addr >= base && d->regions[k].addr < base + d->area_size) {
            snprintf(err, errlen, "the extra area at 0x%08x holds a region already",
                     (unsigned)base);
            return -1;
        }
    memset(area, 0, FR_COAP_BUF_OFF + buf_len);
    memcpy(area + FR_COAP_BUF_OFF, req, req_len);
    memcpy(d->coap_req, req, req_len);
    d->coap_req_len = req_len;
    memset(&d->coap, 0, sizeof d->coap);
    d->coap.buf = area + FR_COAP_BUF_OFF;
    d->coap.buf_len = buf_len;
    d->coap.buf_addr = base + FR_COAP_BUF_OFF;
    d->coap.pkt = area;
    d->coap.pkt_addr = base;
    if (fc_coap_port_init(&d->coap, req_len)) {
        snprintf(err, errlen, "not a well-formed CoAP message (RFC 7252: version 1, token of "
                 "at most 8 bytes, options, a payload after 0xff)");
        return -1;
    }
    d->port.coap = &d->coap;
    d->has_coap = 1;
    d->regions[d->nregions] = (fc_region){base, area, FC_COAP_PKT_VIEW, FC_PERM_R,
                                          FC_REGION_EXTRA};
    d->regions[d->nregions + 1] = (fc_region){base + FR_COAP_BUF_OFF, area + FR_COAP_BUF_OFF,
                                              buf_len, FC_PERM_RW, FC_REGION_EXTRA};
    wr64(ctx24, base);
    wr64(ctx24 + 8, base + FR_COAP_BUF_OFF);
    wr64(ctx24 + 16, buf_len);
    return 0;
}

void fr_coap_reset(fr_device *d)
{
    if (!d->has_coap)
        return;
    memset(d->coap.buf, 0, d->coap.buf_len);
    memcpy(d->coap.buf, d->coap_req, d->coap_req_len);
    (void)fc_coap_port_init(&d->coap, d->coap_req_len);
}

const uint8_t *fr_coap_buf(const fr_device *d, uint32_t *addr, uint32_t *len)
{
    if (!d->has_coap)
        return NULL;
    if (addr)
        *addr = (uint32_t)d->coap.buf_addr;
    if (len)
        *len = d->coap.buf_len;
    return d->coap.buf;
}
