/*
 * The native ABI (runtime/fc_native.h) and the runtime routines
 * (runtime/fc_native_rt.c) on the host: env layout, the 64-bit division
 * semantics against the interpreter's definition, the bounds-check slow
 * path against fc_vm_translate, env set-up from a VM.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>
#include "fc_native.h"
#include "fc_vm.h"

Test(t2_rt, env_layout_is_the_documented_abi)
{
    cr_assert_eq(offsetof(fc_native_env, regs), FC_NENV_REGS);
    cr_assert_eq(offsetof(fc_native_env, regs[3][1]), FC_NENV_REG(3, 1));
    cr_assert_eq(offsetof(fc_native_env, err), FC_NENV_ERR);
    cr_assert_eq(offsetof(fc_native_env, err_insn), FC_NENV_ERR_INSN);
    cr_assert_eq(offsetof(fc_native_env, err_addr), FC_NENV_ERR_ADDR);
    cr_assert_eq(offsetof(fc_native_env, budget), FC_NENV_BUDGET);
    cr_assert_eq(offsetof(fc_native_env, stack_floor), FC_NENV_STACK_FLOOR);
    cr_assert_eq(offsetof(fc_native_env, helper_ctx), FC_NENV_HELPER_CTX);
    cr_assert_eq(offsetof(fc_native_env, saved_sp), FC_NENV_SAVED_SP);
    cr_assert_eq(offsetof(fc_native_env, cur_fb), FC_NENV_CUR_FB);
    cr_assert_eq(offsetof(fc_native_env, stack_end), FC_NENV_STACK_END);
    cr_assert_eq(offsetof(fc_native_env, rd), FC_NENV_RD);
    cr_assert_eq(offsetof(fc_native_env, wr), FC_NENV_WR);
    cr_assert_eq(sizeof(fc_native_span), FC_NATIVE_SPAN_SIZE);
    cr_assert_eq(offsetof(fc_native_span, lim[2]), FC_NENV_SPAN_LIM(2));
    cr_assert_eq(offsetof(fc_native_env, wr[3]), FC_NENV_SPAN(FC_NENV_WR, 3));
    cr_assert_eq(sizeof(fc_native_env), FC_NENV_SIZE);
}

/* The reference definitions (RFC 9669), written independently of the
 * routines: 128-bit-free, using the host's 64-bit division. */
static uint64_t ref_udiv(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static uint64_t ref_umod(uint64_t a, uint64_t b) { return b ? a % b : a; }
static int64_t ref_sdiv(int64_t a, int64_t b)
{
    if (b == 0) return 0;
    if (a == INT64_MIN && b == -1) return INT64_MIN;
    return a / b;
}
static int64_t ref_smod(int64_t a, int64_t b)
{
    if (b == 0) return a;
    if (a == INT64_MIN && b == -1) return 0;
    return a % b;
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* operands that hit the edges: 0, 1, -1, powers of two, INT_MIN, small */
static uint64_t operand(uint64_t *s)
{
    uint64_t r = rnd(s);
    switch (r % 8) {
    case 0: return 0;
    case 1: return (uint64_t)INT64_MIN;
    case 2: return ~(uint64_t)0;
    case 3: return (uint64_t)1 << (r >> 8) % 64;
    case 4: return (r >> 8) % 1000;
    case 5: return (uint32_t)(r >> 16);
    case 6: return 0 - ((r >> 8) % 1000);
    default: return rnd(s) >> (r >> 8) % 64;
    }
}

Test(t2_rt, division_routines_match_the_definition)
{
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (unsigned i = 0; i < 200000; i++) {
        uint64_t a = operand(&s), b = operand(&s);
        cr_assert_eq(fc_native_udiv64(a, b), ref_udiv(a, b), "udiv %llx %llx", (unsigned long long)a, (unsigned long long)b);
        cr_assert_eq(fc_native_umod64(a, b), ref_umod(a, b), "umod %llx %llx", (unsigned long long)a, (unsigned long long)b);
        cr_assert_eq(fc_native_sdiv64((int64_t)a, (int64_t)b), ref_sdiv((int64_t)a, (int64_t)b), "sdiv %llx %llx", (unsigned long long)a, (unsigned long long)b);
        cr_assert_eq(fc_native_smod64((int64_t)a, (int64_t)b), ref_smod((int64_t)a, (int64_t)b), "smod %llx %llx", (unsigned long long)a, (unsigned long long)b);
    }
    cr_assert_eq(fc_native_sdiv64(INT64_MIN, -1), INT64_MIN);
    cr_assert_eq(fc_native_smod64(INT64_MIN, -1), 0);
    cr_assert_eq(fc_native_smod64(-7, 2), -1);
    cr_assert_eq(fc_native_umod64(5, 0), 5);
    cr_assert_eq(fc_native_udiv64(5, 0), 0);
}

/* the slow path agrees with the interpreter's translation for any access */
Test(t2_rt, memcheck_matches_vm_translate)
{
    static uint8_t stack[FC_STACK_SIZE * 4], a[100], b[37], c[8];
    fc_vm vm;
    fc_native_env env;
    uint64_t s = 12345;

    cr_assert_eq(fc_vm_init(&vm, NULL, 0, stack, sizeof stack), FC_OK);
    vm.stack_addr = 0x20000000u;
    vm.max_depth = 3;
    cr_assert_eq(fc_vm_add_region(&vm, 0x30000000u, a, sizeof a, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x30000064u, b, sizeof b, FC_PERM_R, FC_REGION_RODATA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x40000000u, c, sizeof c, FC_PERM_W, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x50000000u, c, 0, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_native_env_init(&env, &vm, 0x30000000u, 100), FC_OK);
    cr_assert_eq(env.regs[1][0], 0x30000000u);
    cr_assert_eq(env.regs[2][0], 100u);
    cr_assert_eq(env.regs[10][0], 0x20000800u);
    cr_assert_eq(env.stack_floor, 0x20000800u - 3 * FC_STACK_SIZE);

    for (unsigned depth = 1; depth <= 3; depth++) {
        uint32_t top = 0x20000800u, fb = top - depth * FC_STACK_SIZE;
        env.cur_fb = fb;
        /* the VM's stack region at this depth, as fc_vm_run sets it */
        vm.regions[FC_STACK_SLOT].addr = fb;
        vm.regions[FC_STACK_SLOT].len = depth * FC_STACK_SIZE;
        vm.regions[FC_STACK_SLOT].host = stack + sizeof stack - depth * FC_STACK_SIZE;
        vm.regions[FC_STACK_SLOT].perm = FC_PERM_RW;
        static const uint32_t bases[] = {0x30000000u, 0x30000064u, 0x40000000u, 0x20000000u,
                                         0x50000000u, 0xfffffff8u};
        for (unsigned i = 0; i < 60000; i++) {
            uint32_t base = i % 7 == 6 ? fb : bases[rnd(&s) % 6];
            uint32_t addr = base + (uint32_t)(rnd(&s) % 1200) - 100;
            uint32_t n = 1u << (rnd(&s) % 4);
            unsigned perm = 1 + rnd(&s) % 3;
            int want = fc_vm_translate(&vm, addr, n, perm) != NULL;
            cr_assert_eq(fc_native_memcheck(&env, addr, n, perm), (uint32_t)want,
                         "depth %u addr 0x%x n %u perm %u: want %d", depth, addr, n, perm, want);
        }
    }
}

Test(t2_rt, env_init_refuses_what_native_code_cannot_address)
{
    static uint8_t stack[FC_STACK_SIZE], a[16];
    fc_vm vm;
    fc_native_env env;
    cr_assert_eq(fc_vm_init(&vm, NULL, 0, stack, sizeof stack), FC_OK);
    vm.stack_addr = 0x100000000ull;     /* above 4 GiB */
    cr_assert_eq(fc_native_env_init(&env, &vm, 0, 0), FC_ERR_BAD_ARG);
    vm.stack_addr = 0x1000;
    cr_assert_eq(fc_native_env_init(&env, &vm, 0, 0), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0xfffffff8ull, a, 16, FC_PERM_R, FC_REGION_CTX), FC_OK);
    cr_assert_eq(fc_native_env_init(&env, &vm, 0, 0), FC_ERR_BAD_ARG);
    vm.budget = 0x100000005ull;          /* capped: the counter is 32 bits */
    vm.nregions = 0;
    cr_assert_eq(fc_native_env_init(&env, &vm, 0, 0), FC_OK);
    cr_assert_eq(env.budget, 0xffffffffu);
    env.budget -= 7;                     /* seven backward jumps taken */
    cr_assert_eq(fc_native_env_finish(&env, &vm, FC_OK, NULL), FC_OK);
    cr_assert_eq(vm.budget_left, 0x100000005ull - 7);
}

/* env_init writes every field (no memset first): an env full of garbage
 * comes out exactly as the layout of fc_native.h describes it */
Test(t2_rt, env_init_writes_every_field)
{
    static uint8_t stack[FC_STACK_SIZE * 2], a[100], b[3], c[8];
    fc_vm vm;
    fc_native_env env, want;
    cr_assert_eq(fc_vm_init(&vm, NULL, 0, stack, sizeof stack), FC_OK);
    vm.stack_addr = 0x20000000u;
    vm.max_depth = 2;
    vm.budget = 77;
    cr_assert_eq(fc_vm_add_region(&vm, 0x40000000u, c, sizeof c, FC_PERM_W, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x30000000u, a, sizeof a, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x30000064u, b, sizeof b, FC_PERM_R, FC_REGION_BSS), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x50000000u, a, 5, FC_PERM_R, FC_REGION_CTX), FC_OK);
    memset(stack, 0x5a, sizeof stack);
    memset(&env, 0xa5, sizeof env);
    cr_assert_eq(fc_native_env_init(&env, &vm, 0x123456789ull, 100), FC_OK);

    memset(&want, 0, sizeof want);
    want.regs[1][0] = 0x23456789u;
    want.regs[1][1] = 1;
    want.regs[2][0] = 100;
    want.regs[10][0] = 0x20000400u;
    want.budget = 77;
    want.stack_floor = 0x20000000u;
    want.helper_ctx = (uint32_t)(uintptr_t)&vm;
    want.cur_fb = 0x20000200u;
    for (unsigned k = 0; k < 4; k++)
        want.stack_end[k] = 0x20000400u + 1 - (1u << k);
    /* ctx -> slot 0 (rd, wr), bss -> slot 3 (rd), the extra region and the
     * second ctx region -> slots 4 (wr) and 5 (rd), in table order */
    const struct { unsigned slot, w; uint32_t start, len; } sp[] = {
        {0, 0, 0x30000000u, 100}, {0, 1, 0x30000000u, 100}, {3, 0, 0x30000064u, 3},
        {4, 1, 0x40000000u, 8}, {5, 0, 0x50000000u, 5}};
    for (unsigned i = 0; i < sizeof sp / sizeof sp[0]; i++) {
        fc_native_span *s = sp[i].w ? &want.wr[sp[i].slot] : &want.rd[sp[i].slot];
        s->start = sp[i].start;
        for (unsigned k = 0; k < 4; k++)
            s->lim[k] = sp[i].len >= (1u << k) ? sp[i].len - (1u << k) + 1 : 0;
    }
    for (unsigned off = 0; off < sizeof env; off += 4)
        cr_assert_eq(*(uint32_t *)((uint8_t *)&env + off), *(uint32_t *)((uint8_t *)&want + off),
                     "env word at 0x%x", off);
    for (unsigned i = 0; i < sizeof stack; i++)
        cr_assert_eq(stack[i], 0, "stack byte %u not cleared", i);
}

/* the long-division paths: full-width dividends against divisors of every
 * width, and dividends next to multiples of the divisor (the quotient
 * digit corrections and the final correction step) */
Test(t2_rt, division_routines_every_divisor_width)
{
    uint64_t s = 0x2545f4914f6cdd1du;
    for (unsigned i = 0; i < 300000; i++) {
        unsigned wb = 1 + (unsigned)(rnd(&s) % 64), wa = 1 + (unsigned)(rnd(&s) % 64);
        uint64_t b = rnd(&s) >> (64 - wb), a = rnd(&s) >> (64 - wa);
        if (b == 0)
            b = 1;
        if (i % 3 == 0) {           /* q * b + small, q * b - small */
            uint64_t q = rnd(&s) >> (64 - (1 + rnd(&s) % 40));
            a = q * b + (rnd(&s) % 3) - 1;
        }
        cr_assert_eq(fc_native_udiv64(a, b), a / b, "udiv %llx %llx", (unsigned long long)a, (unsigned long long)b);
        cr_assert_eq(fc_native_umod64(a, b), a % b, "umod %llx %llx", (unsigned long long)a, (unsigned long long)b);
    }
    /* the extremes of the normalisation */
    static const uint64_t v[] = {1, 2, 3, 0xffffu, 0x10000u, 0xffffffffu, 0x100000000u,
                                 0x100000001u, 0x7fffffffffffffffu, 0x8000000000000000u,
                                 0xfffffffeffffffffu, 0xffffffff00000000u, 0xffffffffffffffffu,
                                 0x80000000u, 0x800000000000u, 0xffff0000ffffu};
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        for (unsigned j = 0; j < sizeof v / sizeof v[0]; j++) {
            cr_assert_eq(fc_native_udiv64(v[i], v[j]), v[i] / v[j]);
            cr_assert_eq(fc_native_umod64(v[i], v[j]), v[i] % v[j]);
        }
}
