/*
 * fc_xt_diff.c - differential runs on the Xtensa cores (fc_xt_diff.h): the
 * interpreter against an Xtensa backend's code in qemu-xtensa.
 */
#include "fc_xt_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_native.h"
#include "fc_xt_tramp.h"
#include "fc_vm.h"

extern const uint8_t fc_xt_rt_lx106[];
extern const uint32_t fc_xt_rt_lx106_len;
extern const uint32_t fc_xt_rt_lx106_fc_native_udiv64, fc_xt_rt_lx106_fc_native_umod64,
    fc_xt_rt_lx106_fc_native_sdiv64, fc_xt_rt_lx106_fc_native_smod64;

static const uint32_t *const lx106_sym[FC_SYM__COUNT] = {
    [FC_SYM_UDIV64] = &fc_xt_rt_lx106_fc_native_udiv64,
    [FC_SYM_SDIV64] = &fc_xt_rt_lx106_fc_native_sdiv64,
    [FC_SYM_UMOD64] = &fc_xt_rt_lx106_fc_native_umod64,
    [FC_SYM_SMOD64] = &fc_xt_rt_lx106_fc_native_smod64,
};

/* ---- the engines: one row each ------------------------------------------- */
const fc_xtd_engine fc_xtd_engines[] = {
    {"lx106", FC_XT_LX106, FC_XT_CALL0, &fc_backend_lx106, fc_xt_rt_lx106, &fc_xt_rt_lx106_len,
     lx106_sym},
    /* the same call0 blob, reached through windowed trampolines (fc_xt_tramp.h) */
    {"esp32", FC_XT_DC233C, FC_XT_WINDOWED, &fc_backend_esp32, fc_xt_rt_lx106, &fc_xt_rt_lx106_len,
     lx106_sym},
};
const size_t fc_xtd_engines_count = sizeof fc_xtd_engines / sizeof fc_xtd_engines[0];

const fc_xtd_engine *fc_xtd_find(const char *name)
{
    for (size_t k = 0; k < fc_xtd_engines_count; k++)
        if (strcmp(fc_xtd_engines[k].name, name) == 0)
            return &fc_xtd_engines[k];
    return NULL;
}

/* ---- the machine ------------------------------------------------------------ */
#define XD_RT        0x00100000u
#define XD_CODE      0x00200000u
#define XD_CODE_SIZE 0x00040000u
#define XD_BLK       0x00300000u
#define XD_PAGE      0x1000u
#define XD_ENV       (XD_BLK + 0x0000u)
#define XD_STACK_OFF 0x1000u
#define XD_STACK_LEN (FC_STACK_SIZE * FC_MAX_CALL_DEPTH)
#define XD_AREA_SIZE 0x4000u
#define XD_CTX_OFF   0x2000u
#define XD_RO_OFF    0x6000u
#define XD_DATA_OFF  0xa000u
#define XD_BSS_OFF   0xe000u
#define XD_BLK_SIZE  0x12000u
#define XD_FILL      0xa5u

struct fc_xtd {
    const fc_xtd_engine *eng;
    fc_xt *x;
    uint8_t *blk;            /* the native run's host copy of the block */
    fc_vm *vm;               /* the run in progress (upcalls) */
    int hook_err;            /* an upcall that could not be served */
    uint32_t helper_calls;
};

fc_xt *fc_xtd_runner(fc_xtd *d) { return d->x; }
const fc_xtd_engine *fc_xtd_engine_of(const fc_xtd *d) { return d->eng; }

/* The helper trampoline, on the host: as fc_emu.c's hook, with the guest's
 * block brought over and back. */
static uint32_t upcall(void *ctx, fc_xt *x, uint32_t env_addr, uint32_t id, uint32_t fb)
{
    fc_xtd *d = ctx;
    fc_native_env env;
    d->helper_calls++;
    if (env_addr != XD_ENV || !d->vm || fc_xt_read(x, XD_BLK, d->blk, XD_BLK_SIZE)) {
        d->hook_err = 1;
        return FC_ERR_BAD_ARG;
    }
    memcpy(&env, d->blk, sizeof env);
    uint32_t ret = fc_native_helper_vm(d->vm, &env, id, fb);
    memcpy(d->blk, &env, sizeof env);
    if (fc_xt_write(x, XD_BLK, d->blk, XD_BLK_SIZE))
        d->hook_err = 1;
    return ret;
}

fc_xtd *fc_xtd_open(const fc_xtd_engine *eng, char *err, size_t errlen)
{
    fc_xtd *d = calloc(1, sizeof *d);
    uint32_t rtl = (*eng->rt_len + XD_PAGE - 1) & ~(XD_PAGE - 1);
    if (!d || !(d->blk = malloc(XD_BLK_SIZE))) {
        free(d);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->eng = eng;
    d->x = fc_xt_open(eng->core, err, errlen);
    if (!d->x) {
        free(d->blk);
        free(d);
        return NULL;
    }
    if (fc_xt_map(d->x, XD_RT, rtl, FC_XT_RWX) || fc_xt_write(d->x, XD_RT, eng->rt, *eng->rt_len) ||
        fc_xt_map(d->x, XD_CODE, XD_CODE_SIZE, FC_XT_RWX) ||
        fc_xt_map(d->x, XD_BLK, XD_BLK_SIZE, FC_XT_R | FC_XT_W)) {
        snprintf(err, errlen, "qemu-xtensa -cpu %s: the memory map failed", fc_xt_core_name(eng->core));
        fc_xtd_close(d);
        return NULL;
    }
    if (eng->abi == FC_XT_WINDOWED) {
        /* the windowed code's routines: trampolines to the call0 upcall and
         * the blob's routines, in FC_SYM_HELPER.. order */
        uint32_t target[FC_XT_TRAMP_NSYM];
        int bad = XD_RT + rtl > FC_XT_TRAMP_BASE;
        target[0] = fc_xt_upcall_addr();
        for (unsigned i = 1; i < FC_XT_TRAMP_NSYM; i++) {
            const uint32_t *s = eng->rt_sym[FC_SYM_HELPER + i];
            bad |= !s;
            target[i] = s ? *s : 0;
        }
        if (bad || fc_xt_tramp_install(d->x, target)) {
            snprintf(err, errlen, "qemu-xtensa -cpu %s: the trampoline page failed", fc_xt_core_name(eng->core));
            fc_xtd_close(d);
            return NULL;
        }
    }
    fc_xt_set_upcall(d->x, upcall, d);
    return d;
}

void fc_xtd_close(fc_xtd *d)
{
    if (!d)
        return;
    fc_xt_close(d->x);
    free(d->blk);
    free(d);
}

int fc_xtd_count(fc_xtd *d, int on) { return fc_xt_count(d->x, on); }

static int sym_addr(const fc_xtd_engine *eng, unsigned sym, uint32_t *v)
{
    switch (sym) {
    case FC_SYM_RODATA: *v = XD_BLK + XD_RO_OFF; return 0;
    case FC_SYM_DATA: *v = XD_BLK + XD_DATA_OFF; return 0;
    case FC_SYM_BSS: *v = XD_BLK + XD_BSS_OFF; return 0;
    case FC_SYM_HELPER: *v = fc_xt_upcall_addr(); break;
    default:
        if (sym >= FC_SYM__COUNT || !eng->rt_sym[sym])
            return -1;
        *v = *eng->rt_sym[sym];
        break;
    }
    /* windowed code calls each routine through its trampoline */
    if (eng->abi == FC_XT_WINDOWED)
        return (*v = fc_xt_tramp_sym(sym)) ? 0 : -1;
    return 0;
}

/* the block with c's memory (as fc_emu.c's fill) */
static void fill(uint8_t *blk, const fc_emu_case *c)
{
    memset(blk, XD_FILL, XD_BLK_SIZE);
    if (c->ctx_len)
        memcpy(blk + XD_CTX_OFF, c->ctx, c->ctx_len);
    if (c->rodata)
        memcpy(blk + XD_RO_OFF, c->rodata, c->rodata_len);
    if (c->data)
        memcpy(blk + XD_DATA_OFF, c->data, c->data_len);
    if (c->bss_len)
        memset(blk + XD_BSS_OFF, 0, c->bss_len);
}

static int setup_vm(fc_vm *vm, const fc_emu_case *c, uint8_t *blk, uint64_t *ctx_addr)
{
    int rc = fc_vm_init(vm, c->insns, c->n, blk + XD_STACK_OFF, XD_STACK_LEN);
    if (rc != FC_OK)
        return rc;
    vm->stack_addr = XD_BLK + XD_STACK_OFF;
    if (c->max_depth)
        vm->max_depth = c->max_depth;
    vm->budget = c->budget ? c->budget : FC_DEFAULT_BUDGET;
    fc_vm_set_helpers(vm, c->helpers, c->nhelpers, c->allow, c->nallow);
    *ctx_addr = 0;
    if (c->ctx_len) {
        rc = fc_vm_add_region(vm, XD_BLK + XD_CTX_OFF, blk + XD_CTX_OFF, c->ctx_len,
                              c->ctx_perm ? c->ctx_perm : FC_PERM_RW, FC_REGION_CTX);
        *ctx_addr = XD_BLK + XD_CTX_OFF;
    }
    if (rc == FC_OK && c->rodata)
        rc = fc_vm_add_region(vm, XD_BLK + XD_RO_OFF, blk + XD_RO_OFF, c->rodata_len, FC_PERM_R,
                              FC_REGION_RODATA);
    if (rc == FC_OK && c->data)
        rc = fc_vm_add_region(vm, XD_BLK + XD_DATA_OFF, blk + XD_DATA_OFF, c->data_len, FC_PERM_RW,
                              FC_REGION_DATA);
    if (rc == FC_OK && c->bss_len)
        rc = fc_vm_add_region(vm, XD_BLK + XD_BSS_OFF, blk + XD_BSS_OFF, c->bss_len, FC_PERM_RW,
                              FC_REGION_BSS);
    return rc;
}

static void outcome(fc_emu_outcome *o, int rc, uint64_t r0, const fc_vm *vm, uint64_t insns)
{
    o->err = rc;
    o->r0 = rc == FC_OK ? r0 : 0;
    o->err_pc = rc == FC_OK ? 0 : vm->err_pc;
    o->err_addr = rc == FC_OK ? 0 : vm->err_addr;
    o->budget_left = vm->budget_left;
    o->insns = insns;
}

static const char *err_name(int err)
{
    switch (err) {
    case FC_EMU_EFAULT: return "machine fault";
    case FC_EMU_ECAP: return "time limit";
    case FC_EMU_ESETUP: return "set-up failure";
    default: return fc_err_str(err);
    }
}

/* compile, relocate, write the code: FC_BK_OK or a status with msg */
static int load(fc_xtd *d, const fc_emu_case *c, uint32_t *entry, uint32_t *code_len, char *msg,
                size_t msglen)
{
    const fc_backend *b = d->eng->backend;
    fc_prog p;
    fc_bk_opts opts = {c->bk_flags, NULL, 0};
    fc_bk_out out;
    fc_diag dg[4];
    fc_diags diags = {dg, 4, 0, 0, 0};
    uint32_t eoff = 0;
    int rc;

    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)c->insns;
    p.ninsns = c->n;
    p.rodata = (uint8_t *)(uintptr_t)c->rodata;
    p.rodata_len = c->rodata_len;
    p.data = (uint8_t *)(uintptr_t)c->data;
    p.data_len = c->data_len;
    p.bss_len = c->bss_len;
    memset(&out, 0, sizeof out);
    size_t wl = b->work_size(&p);
    void *work = malloc(wl ? wl : 1);
    if (!work) {
        snprintf(msg, msglen, "out of memory");
        return FC_BK_EWORK;
    }
    rc = b->compile(&p, c->info, &opts, work, wl, &out, &diags);
    if (rc == FC_BK_ENOSPACE) {
        out.code = malloc(out.code_len ? out.code_len : 1);
        out.code_cap = out.code_len;
        out.relocs = malloc(sizeof *out.relocs * (out.nrelocs + 1));
        out.relocs_cap = out.nrelocs;
        out.pcmap = NULL;
        out.pcmap_cap = 0;
        out.entry_off = &eoff;
        rc = out.code && out.relocs ? b->compile(&p, c->info, &opts, work, wl, &out, &diags) : FC_BK_EWORK;
    }
    free(work);
    if (rc == FC_BK_OK && out.code_len > XD_CODE_SIZE) {
        snprintf(msg, msglen, "%s: %u code bytes, more than the machine's code area", b->name, out.code_len);
        rc = FC_BK_EPROG;
    } else if (rc != FC_BK_OK) {
        snprintf(msg, msglen, "%s backend: status %d%s%.200s", b->name, rc, diags.n ? ": " : "",
                 diags.n ? dg[0].msg : "");
    }
    for (uint32_t k = 0; rc == FC_BK_OK && k < out.nrelocs; k++) {
        const fc_bk_reloc *r = &out.relocs[k];
        uint32_t v;
        if (r->kind != FC_RELOC_ABS32 || r->offset + 4u > out.code_len || sym_addr(d->eng, r->sym, &v)) {
            snprintf(msg, msglen, "%s: relocation %u (kind %u, symbol %u) not supported here", b->name, k,
                     (unsigned)r->kind, (unsigned)r->sym);
            rc = FC_BK_EPROG;
            break;
        }
        v += (uint32_t)r->addend;
        for (unsigned j = 0; j < 4; j++)
            out.code[r->offset + j] = (uint8_t)(v >> (8 * j));
    }
    if (rc == FC_BK_OK && fc_xt_write(d->x, XD_CODE, out.code, out.code_len)) {
        snprintf(msg, msglen, "qemu-xtensa: the code write failed");
        rc = FC_BK_EPROG;
    }
    *entry = XD_CODE + eoff;
    *code_len = out.code_len;
    free(out.code);
    free(out.relocs);
    return rc;
}

int fc_xtd_diff(fc_xtd *d, const fc_emu_case *c, fc_emu_outcome *oi, fc_emu_outcome *on, char *msg,
                size_t msglen)
{
    const char *bn = d->eng->name;
    uint8_t *hi;
    fc_vm vi, vn;
    fc_native_env env;
    fc_xt_stats st;
    uint64_t ctx_i, ctx_n, r0i = 0, r0n = 0, ret = 0;
    uint32_t entry, arg = XD_ENV;
    int rc, diff = 0;

    memset(oi, 0, sizeof *oi);
    memset(on, 0, sizeof *on);
    msg[0] = 0;
    if (c->ctx_len > XD_AREA_SIZE || c->rodata_len > XD_AREA_SIZE || c->data_len > XD_AREA_SIZE ||
        c->bss_len > XD_AREA_SIZE || (c->backend && c->backend != d->eng->backend)) {
        snprintf(msg, msglen, "%s: a region over %u bytes, or another backend", bn, XD_AREA_SIZE);
        return -1;
    }
    if (!(hi = malloc(XD_BLK_SIZE))) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }

    /* the interpreter on a host copy */
    fill(hi, c);
    rc = setup_vm(&vi, c, hi, &ctx_i);
    if (rc == FC_OK)
        rc = fc_vm_run(&vi, ctx_i, c->ctx_len, &r0i);
    outcome(oi, rc, r0i, &vi, vi.insn_count);

    /* the backend in QEMU */
    rc = load(d, c, &entry, &on->code_len, msg, msglen);
    if (rc != FC_BK_OK) {
        free(hi);
        return -1;
    }
    fill(d->blk, c);
    rc = setup_vm(&vn, c, d->blk, &ctx_n);
    if (rc == FC_OK)
        rc = fc_native_env_init(&env, &vn, ctx_n, c->ctx_len);
    if (rc != FC_OK) {
        outcome(on, rc, 0, &vn, 0);
    } else {
        memcpy(d->blk, &env, sizeof env);
        memset(&st, 0, sizeof st);
        d->vm = &vn;
        d->hook_err = 0;
        d->helper_calls = 0;
        int xr = fc_xt_write(d->x, XD_BLK, d->blk, XD_BLK_SIZE);
        if (xr == FC_XT_OK)
            xr = fc_xt_call(d->x, entry, d->eng->abi, &arg, 1, &ret, &st);
        if (xr == FC_XT_OK)
            xr = fc_xt_read(d->x, XD_BLK, d->blk, XD_BLK_SIZE);
        d->vm = NULL;
        if (xr != FC_XT_OK || d->hook_err) {
            fc_native_env_finish(&env, &vn, FC_ERR_BAD_ARG, NULL);
            outcome(on, xr == FC_XT_ETIMEOUT ? FC_EMU_ECAP : FC_EMU_EFAULT, 0, &vn, st.insns);
            snprintf(msg, msglen, "native run: %s (runner status %d, signal %d%s)", err_name(on->err), xr,
                     st.signal, d->hook_err ? ", a helper upcall failed" : "");
            free(hi);
            return 1;
        }
        memcpy(&env, d->blk, sizeof env);
        rc = fc_native_env_finish(&env, &vn, (uint32_t)ret, &r0n);
        outcome(on, rc, r0n, &vn, st.counted ? st.insns : 0);
    }

    if (oi->err != on->err || oi->r0 != on->r0 || oi->err_pc != on->err_pc) {
        snprintf(msg, msglen, "interp: %s r0=0x%llx pc=%u / %s: %s r0=0x%llx pc=%u", err_name(oi->err),
                 (unsigned long long)oi->r0, oi->err_pc, bn, err_name(on->err), (unsigned long long)on->r0,
                 on->err_pc);
        diff = 1;
    } else if (oi->budget_left != on->budget_left) {
        snprintf(msg, msglen, "budget left: interp %llu, %s %llu", (unsigned long long)oi->budget_left, bn,
                 (unsigned long long)on->budget_left);
        diff = 1;
    } else if ((oi->err == FC_ERR_MEM_READ || oi->err == FC_ERR_MEM_WRITE) && oi->err_addr != on->err_addr) {
        snprintf(msg, msglen, "fault address: interp 0x%llx, %s 0x%llx", (unsigned long long)oi->err_addr, bn,
                 (unsigned long long)on->err_addr);
        diff = 1;
    } else {
        /* everything but the env page; in the stack a zero against the
         * pattern is no difference (fc_emu_diff: native code clears its
         * frames, the interpreter only what a run reaches) */
        for (uint32_t at = XD_PAGE; at < XD_BLK_SIZE; at++) {
            uint8_t a = hi[at], b = d->blk[at];
            if (a == b)
                continue;
            if (at >= XD_STACK_OFF && at < XD_STACK_OFF + XD_STACK_LEN && (a | b) == XD_FILL && (a == 0 || b == 0))
                continue;
            snprintf(msg, msglen, "memory differs at 0x%08x: interp 0x%02x, %s 0x%02x", XD_BLK + at, a, bn, b);
            diff = 1;
            break;
        }
    }
    free(hi);
    return diff;
}
