/*
 * fc_native_rt.c - the device side of the native calling convention
 * (runtime/fc_native.h): building the env of a run from an fc_vm, reading
 * the outcome back, the helper trampoline, the 64-bit division routines and
 * the slow path of bounds checks.
 *
 * Freestanding C99 for every core: no C library, no libgcc division (the
 * 64-bit division is written here with 32-bit divides and shifts, so that a
 * code generator calling FC_SYM_UDIV64 gets exactly this code), no
 * floating point. The Thumb-2 emulator harness links the four division
 * routines and fc_native_memcheck from this file compiled for Cortex-M3,
 * so executed instruction counts include them.
 */
#include "fc_native.h"
#include "fc_vm.h"
#include "fc_libc.h"

/* ---- 64-bit division (RFC 9669 section 4.1 semantics) ------------------- */

/* leading zeros of a nonzero 32-bit value (CLZ where the core has it;
 * no libgcc __clzsi2 elsewhere) */
static unsigned nlz32(uint32_t x)
{
#if defined(__GNUC__) && defined(__ARM_FEATURE_CLZ)
    return (unsigned)__builtin_clz(x);
#else
    unsigned n = 0;
    if (!(x >> 16)) { n += 16; x <<= 16; }
    if (!(x >> 24)) { n += 8;  x <<= 8; }
    if (!(x >> 28)) { n += 4;  x <<= 4; }
    if (!(x >> 30)) { n += 2;  x <<= 2; }
    if (!(x >> 31)) { n += 1; }
    return n;
#endif
}

/*
 * (u1:u0) / v for u1 < v (the quotient fits in 32 bits), remainder in *r:
 * schoolbook long division in base 2^16 with a normalised divisor, each
 * quotient digit estimated by one 32/32 hardware divide and corrected at
 * most twice (Knuth, TAOCP vol. 2, 4.3.1, algorithm D; the two-digit form
 * is Hacker's Delight 9-3).
 */
static uint32_t divlu(uint32_t u1, uint32_t u0, uint32_t v, uint32_t *r)
{
    const uint32_t b = 0x10000u;
    unsigned s = nlz32(v);
    uint32_t vn1, vn0, un32, un10, un1, un0, un21, q1, q0, rhat;

    v <<= s;
    vn1 = v >> 16;
    vn0 = v & 0xffffu;
    un32 = s ? (u1 << s) | (u0 >> (32u - s)) : u1;
    un10 = u0 << s;
    un1 = un10 >> 16;
    un0 = un10 & 0xffffu;

    q1 = un32 / vn1;
    rhat = un32 - q1 * vn1;
    while (q1 >= b || q1 * vn0 > b * rhat + un1) {
        q1--;
        rhat += vn1;
        if (rhat >= b)
            break;
    }
    un21 = un32 * b + un1 - q1 * v;      /* < v: fits, mod 2^32 arithmetic */

    q0 = un21 / vn1;
    rhat = un21 - q0 * vn1;
    while (q0 >= b || q0 * vn0 > b * rhat + un0) {
        q0--;
        rhat += vn1;
        if (rhat >= b)
            break;
    }
    *r = (un21 * b + un0 - q0 * v) >> s;
    return q1 * b + q0;
}

/* q = n / d, *r = n % d, d != 0. When both fit in 32 bits one hardware
 * divide does it (UDIV on Cortex-M3); a 32-bit divisor takes one divide for
 * the high word and divlu for the low one; a wider divisor gets its
 * quotient (< 2^32) estimated from the top 32 bits of the normalised
 * divisor, at most one too large after the decrement, then corrected once
 * (Hacker's Delight 9-5). */
static uint64_t udivmod(uint64_t n, uint64_t d, uint64_t *r)
{
    uint32_t nh = (uint32_t)(n >> 32), nl = (uint32_t)n;
    uint32_t dh = (uint32_t)(d >> 32), dl = (uint32_t)d;
    uint32_t rem32, q1;
    uint64_t q, rem;
    unsigned s;

    if (dh == 0) {
        uint32_t qh;
        if (nh == 0) {
            *r = nl % dl;
            return nl / dl;
        }
        qh = nh / dl;
        q1 = divlu(nh - qh * dl, nl, dl, &rem32);
        *r = rem32;
        return (uint64_t)qh << 32 | q1;
    }
    s = nlz32(dh);                                    /* 0..31 */
    q1 = divlu((uint32_t)(n >> 33), (uint32_t)(n >> 1),
               (uint32_t)((d << s) >> 32), &rem32);   /* n/2 < 2^63: high < divisor */
    q = ((uint64_t)q1 << s) >> 31;
    if (q != 0)
        q--;
    rem = n - q * d;
    if (rem >= d) {
        q++;
        rem -= d;
    }
    *r = rem;
    return q;
}

uint64_t fc_native_udiv64(uint64_t a, uint64_t b)
{
    uint64_t r;
    return b ? udivmod(a, b, &r) : 0;
}

uint64_t fc_native_umod64(uint64_t a, uint64_t b)
{
    uint64_t r;
    if (!b)
        return a;
    udivmod(a, b, &r);
    return r;
}

/* Signed forms on the magnitudes: INT64_MIN / -1 = INT64_MIN and
 * INT64_MIN % -1 = 0 fall out (2^63 / 1 negates to itself), no overflow. */
#define SIGN64 0x8000000000000000u

int64_t fc_native_sdiv64(int64_t sa, int64_t sb)
{
    uint64_t a = (uint64_t)sa, b = (uint64_t)sb, r, q;
    if (!b)
        return 0;
    q = udivmod((a & SIGN64) ? 0 - a : a, (b & SIGN64) ? 0 - b : b, &r);
    q = ((a ^ b) & SIGN64) ? 0 - q : q;
    return (int64_t)q;   /* two's complement on every supported core */
}

int64_t fc_native_smod64(int64_t sa, int64_t sb)
{
    uint64_t a = (uint64_t)sa, b = (uint64_t)sb, r;
    if (!b)
        return sa;
    udivmod((a & SIGN64) ? 0 - a : a, (b & SIGN64) ? 0 - b : b, &r);
    r = (a & SIGN64) ? 0 - r : r;
    return (int64_t)r;
}

/* ---- bounds check slow path ---------------------------------------------- */

static unsigned size_log2(uint32_t n)
{
    return n == 8 ? 3u : n == 4 ? 2u : n == 2 ? 1u : 0u;
}

static int span_has(const fc_native_span *s, uint32_t addr, unsigned k)
{
    return (uint32_t)(addr - s->start) < s->lim[k];
}

uint32_t fc_native_memcheck(const fc_native_env *env, uint32_t addr, uint32_t n,
                            uint32_t perm)
{
    unsigned k = size_log2(n), slot;
    uint32_t fb = env->cur_fb, top = env->regs[FC_REG_FP][0], len;

    if ((n != 1 && n != 2 && n != 4 && n != 8) || perm == 0 || (perm & ~FC_PERM_RW))
        return 0;
    /* the stack: [fb, top), readable and writable */
    len = top - fb;
    if (fb <= top && len >= n && (uint32_t)(addr - fb) <= len - n)
        return 1;
    for (slot = 0; slot < FC_NATIVE_NSLOTS; slot++) {
        if ((perm & FC_PERM_R) && !span_has(&env->rd[slot], addr, k))
            continue;
        if ((perm & FC_PERM_W) && !span_has(&env->wr[slot], addr, k))
            continue;
        return 1;
    }
    return 0;
}

/* ---- env set-up and outcome ------------------------------------------------ */

#define BUDGET_CAP 0xffffffffu

static uint32_t env_budget(const fc_vm *vm)
{
    return vm->budget > BUDGET_CAP ? BUDGET_CAP : (uint32_t)vm->budget;
}

/* lim[k] = len - 2^k + 1 when len >= 2^k, else 0 (fc_native.h) */
static void span_set(fc_native_span *s, uint32_t start, uint32_t len)
{
    s->start = start;
    s->lim[0] = len;
    s->lim[1] = len >= 2u ? len - 1u : 0u;
    s->lim[2] = len >= 4u ? len - 3u : 0u;
    s->lim[3] = len >= 8u ? len - 7u : 0u;
}

#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALLS
#endif

/*
 * The part of env that depends only on vm's regions and stack (the run
 * template of fc_run keeps it from run to run): checks, stack bounds,
 * helper_ctx and the region slots. Every field is written once, without a
 * memset of the whole 464-byte structure first.
 */
NO_LIBCALLS int fc_native_env_regions(fc_native_env *env, fc_vm *vm)
{
    uint64_t top;
    uint32_t frames, k, slot, top32;
    int8_t rd_of[FC_NATIVE_NSLOTS], wr_of[FC_NATIVE_NSLOTS];
    uint8_t used[FC_NATIVE_NSLOTS];
    int8_t where[FC_MAX_REGIONS];

    if (!env || !vm)
        return FC_ERR_BAD_ARG;
    if (!vm->stack || vm->max_depth == 0 || vm->max_depth > FC_MAX_CALL_DEPTH ||
        vm->max_depth > vm->stack_size / FC_STACK_SIZE || vm->nregions > FC_MAX_REGIONS)
        return FC_ERR_BAD_ARG;
    /* native targets are 32-bit: every guest range must lie below 2^32 */
    top = vm->stack_addr + vm->stack_size;
    if (vm->stack_addr > 0xffffffffu || top > 0xffffffffu)
        return FC_ERR_BAD_ARG;
    for (k = 0; k < vm->nregions; k++)
        if (vm->regions[k].addr > 0xffffffffu ||
            vm->regions[k].addr + vm->regions[k].len > 0x100000000u)
            return FC_ERR_BAD_ARG;

    top32 = (uint32_t)top;
    env->regs[FC_REG_FP][0] = top32;
    env->regs[FC_REG_FP][1] = 0;
    frames = vm->max_depth * FC_STACK_SIZE;
    env->stack_floor = top32 - frames;
    env->helper_ctx = (uint32_t)(uintptr_t)vm;
    env->reserved = 0;
    env->stack_end[0] = top32;
    env->stack_end[1] = top32 - 1u;
    env->stack_end[2] = top32 - 3u;
    env->stack_end[3] = top32 - 7u;

    /* region slots: kinds CTX..BSS at their own slot, the rest after;
     * rd_of / wr_of: the region of each slot's span, -1 for an empty span */
    for (slot = 0; slot < FC_NATIVE_NSLOTS; slot++) {
        used[slot] = 0;
        rd_of[slot] = wr_of[slot] = -1;
    }
    for (k = 0; k < vm->nregions; k++) {
        where[k] = -1;
        if (vm->regions[k].kind <= FC_REGION_BSS && !used[vm->regions[k].kind]) {
            where[k] = (int8_t)vm->regions[k].kind;
            used[vm->regions[k].kind] = 1;
        }
    }
    for (k = 0; k < vm->nregions; k++) {
        if (where[k] < 0) {
            for (slot = 4; slot < FC_NATIVE_NSLOTS + 4; slot++)
                if (!used[slot % FC_NATIVE_NSLOTS])
                    break;
            where[k] = (int8_t)(slot % FC_NATIVE_NSLOTS);
            used[slot % FC_NATIVE_NSLOTS] = 1;
        }
        if (vm->regions[k].perm & FC_PERM_R)
            rd_of[where[k]] = (int8_t)k;
        if (vm->regions[k].perm & FC_PERM_W)
            wr_of[where[k]] = (int8_t)k;
    }
    for (slot = 0; slot < FC_NATIVE_NSLOTS; slot++) {
        const fc_region *r;
        if (rd_of[slot] >= 0) {
            r = &vm->regions[rd_of[slot]];
            span_set(&env->rd[slot], (uint32_t)r->addr, r->len);
        } else {
            span_set(&env->rd[slot], 0, 0);
        }
        if (wr_of[slot] >= 0) {
            r = &vm->regions[wr_of[slot]];
            span_set(&env->wr[slot], (uint32_t)r->addr, r->len);
        } else {
            span_set(&env->wr[slot], 0, 0);
        }
    }
    return FC_OK;
}

/* exactly what fc_native_env_regions writes: an empty span is all zero */
void fc_native_env_slot(fc_native_env *env, uint32_t slot, const fc_region *r)
{
    if (r->perm & FC_PERM_R)
        span_set(&env->rd[slot], (uint32_t)r->addr, r->len);
    else
        span_set(&env->rd[slot], 0, 0);
    if (r->perm & FC_PERM_W)
        span_set(&env->wr[slot], (uint32_t)r->addr, r->len);
    else
        span_set(&env->wr[slot], 0, 0);
}

/* What changes from run to run: the registers (r10 stays from
 * fc_native_env_regions), the outcome fields, the budget, the scratch. */
NO_LIBCALLS void fc_native_env_start(fc_native_env *env, uint32_t ctx_addr, uint32_t ctx_len,
                                     uint32_t budget)
{
    /* written out: a loop costs three times as many instructions, and this
     * is most of a short native run's fixed cost */
    env->regs[0][0] = env->regs[0][1] = 0;
    env->regs[1][0] = (uint32_t)ctx_addr;
    env->regs[1][1] = 0;
    env->regs[2][0] = ctx_len;
    env->regs[2][1] = 0;
    env->regs[3][0] = env->regs[3][1] = 0;
    env->regs[4][0] = env->regs[4][1] = 0;
    env->regs[5][0] = env->regs[5][1] = 0;
    env->regs[6][0] = env->regs[6][1] = 0;
    env->regs[7][0] = env->regs[7][1] = 0;
    env->regs[8][0] = env->regs[8][1] = 0;
    env->regs[9][0] = env->regs[9][1] = 0;
    /* r10 too: regs[] is unspecified after a run (the lx106 code keeps
     * a2-a7 in regs[8..10] around its runtime calls); stack_end[0] is the
     * top (top + 1 - 1), which no code writes */
    env->regs[FC_REG_FP][0] = env->stack_end[0];
    env->regs[FC_REG_FP][1] = 0;
    env->err = 0;
    env->err_insn = 0;
    env->err_addr[0] = 0;
    env->err_addr[1] = 0;
    env->budget = budget;
    env->saved_sp = 0;
    env->cur_fb = env->regs[FC_REG_FP][0] - FC_STACK_SIZE;
}

int fc_native_env_init(fc_native_env *env, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len)
{
    uint32_t frames;
    int rc = fc_native_env_regions(env, vm);

    if (rc != FC_OK)
        return rc;
    fc_native_env_start(env, (uint32_t)ctx_addr, (uint32_t)ctx_len, env_budget(vm));
    env->regs[1][1] = (uint32_t)(ctx_addr >> 32);
    env->regs[2][1] = (uint32_t)(ctx_len >> 32);
    /* as fc_vm_run: the frames area starts zeroed, budget and errors reset */
    frames = vm->max_depth * FC_STACK_SIZE;
    fc_memset(vm->stack + (vm->stack_size - frames), 0, frames);
    vm->err = FC_OK;
    vm->err_pc = 0;
    vm->err_addr = 0;
    vm->insn_count = 0;
    vm->budget_left = vm->budget;
    vm->helper_err = 0;
    vm->regions[FC_STACK_SLOT].perm = FC_PERM_RW;
    vm->regions[FC_STACK_SLOT].kind = FC_REGION_STACK;
    return FC_OK;
}

int fc_native_env_finish(const fc_native_env *env, fc_vm *vm, uint32_t ret,
                         uint64_t *r0)
{
    uint32_t used = env_budget(vm) - env->budget;
    fc_region *sr = &vm->regions[FC_STACK_SLOT];

    sr->addr = 0;
    sr->host = 0;
    sr->len = 0;
    vm->budget_left = vm->budget - used;
    vm->insn_count = 0;     /* native code does not count */
    vm->err = (int)ret;
    if (ret != FC_OK) {
        vm->err_pc = env->err_insn;
        vm->err_addr = (uint64_t)env->err_addr[0] | (uint64_t)env->err_addr[1] << 32;
        return (int)ret;
    }
    if (r0)
        *r0 = (uint64_t)env->regs[0][0] | (uint64_t)env->regs[0][1] << 32;
    return FC_OK;
}

/* ---- the helper trampoline ------------------------------------------------- */

static uint64_t reg64(const fc_native_env *env, unsigned r)
{
    return (uint64_t)env->regs[r][0] | (uint64_t)env->regs[r][1] << 32;
}

/* The same lookup as the interpreter (fc_vm.c helper_find): a registered
 * helper with a function, then the allowlist. */
uint32_t fc_native_helper_vm(fc_vm *vm, fc_native_env *env, uint32_t id, uint32_t fb)
{
    const fc_helper *h = 0;
    uint32_t k, top;
    fc_region *sr = &vm->regions[FC_STACK_SLOT];
    uint64_t res;
    int err = FC_ERR_HELPER_UNKNOWN;

    if (vm->helpers)
        for (k = 0; k < vm->nhelpers; k++)
            if (vm->helpers[k].id == id && vm->helpers[k].fn) {
                h = &vm->helpers[k];
                err = FC_OK;
                if (vm->allow) {
                    uint32_t j;
                    err = FC_ERR_HELPER_DENIED;
                    for (j = 0; j < vm->nallow; j++)
                        if (vm->allow[j] == id)
                            err = FC_OK;
                }
                break;
            }
    if (err) {
        env->err = (uint32_t)err;
        return (uint32_t)err;
    }
    /* the stack region the helper may use: the frames of depth d, [fb, top) */
    top = (uint32_t)(vm->stack_addr + vm->stack_size);
    sr->addr = fb;
    sr->len = top - fb;
    sr->host = vm->stack + (vm->stack_size - sr->len);
    sr->perm = FC_PERM_RW;
    sr->kind = FC_REGION_STACK;

    vm->helper_err = 0;
    res = h->fn(vm, reg64(env, 1), reg64(env, 2), reg64(env, 3), reg64(env, 4), reg64(env, 5));
    if (vm->helper_err) {
        err = vm->helper_err == FC_ERR_UNWIND ? FC_ERR_UNWIND : FC_ERR_HELPER_FAULT;
        env->err = (uint32_t)err;
        env->err_addr[0] = (uint32_t)vm->err_addr;
        env->err_addr[1] = (uint32_t)(vm->err_addr >> 32);
        return (uint32_t)err;
    }
    env->regs[0][0] = (uint32_t)res;
    env->regs[0][1] = (uint32_t)(res >> 32);
    return FC_OK;
}

uint32_t fc_native_helper(fc_native_env *env, uint32_t id, uint32_t fb)
{
    return fc_native_helper_vm((fc_vm *)(uintptr_t)env->helper_ctx, env, id, fb);
}

/* ---- running native code on the device ------------------------------------- */

int fc_native_run(fc_native_fn entry, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len,
                  uint64_t *r0)
{
    fc_native_env env;
    uint32_t ret;
    int rc;

    if (!entry)
        return FC_ERR_BAD_ARG;
    rc = fc_native_env_init(&env, vm, ctx_addr, ctx_len);
    if (rc != FC_OK) {
        if (vm)
            vm->err = rc;
        return rc;
    }
    ret = entry(&env);
    return fc_native_env_finish(&env, vm, ret, r0);
}
