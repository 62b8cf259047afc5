/* Unit tests: the interpreter's loads, stores, atomics, stack and faults. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "test_vm.h"

static tvm t;

static int run(const fc_insn *p, uint32_t n)
{
    tvm_init(&t, p, n);
    for (unsigned k = 0; k < T_CTX_LEN; k++)
        t.ctx[k] = (uint8_t)(0x11 * (k % 15 + 1) + k); /* recognisable bytes */
    return tvm_run(&t);
}

Test(vm_mem, loads_little_endian_any_alignment)
{
    for (int off = 0; off < 8; off++) {
        fc_insn p[] = {LDX(DW, 0, 1, off), EXIT()};
        cr_assert_eq(run(p, NINS(p)), FC_OK);
        cr_assert_eq(t.r0, rd64(t.ctx + off));
        fc_insn w[] = {LDX(W, 0, 1, off), EXIT()};
        cr_assert_eq(run(w, NINS(w)), FC_OK);
        cr_assert_eq(t.r0, rd64(t.ctx + off) & 0xffffffffu);
        fc_insn h[] = {LDX(H, 0, 1, off), EXIT()};
        cr_assert_eq(run(h, NINS(h)), FC_OK);
        cr_assert_eq(t.r0, (uint64_t)t.ctx[off] | (uint64_t)t.ctx[off + 1] << 8);
        fc_insn b[] = {LDX(B, 0, 1, off), EXIT()};
        cr_assert_eq(run(b, NINS(b)), FC_OK);
        cr_assert_eq(t.r0, t.ctx[off]);
    }
}

Test(vm_mem, sign_extending_loads)
{
    fc_insn p[] = {
        ST(DW, 1, 0, 0), /* clear */
        ST(W, 1, 0, 0x8081f0f1), LDXS(B, 2, 1, 0), LDXS(H, 3, 1, 0), LDXS(W, 4, 1, 0),
        LDXS(B, 5, 1, 3), LDX(B, 6, 1, 3),
        MOV64X(0, 2), EXIT(),
    };
    cr_assert_eq(run(p, NINS(p)), FC_OK);
    cr_assert_eq(t.r0, 0xfffffffffffffff1ull);
    /* read the other registers through a second program each */
    fc_insn q[] = {ST(W, 1, 0, 0x7f01), LDXS(H, 0, 1, 0), EXIT()};
    cr_assert_eq(run(q, NINS(q)), FC_OK);
    cr_assert_eq(t.r0, 0x7f01);
    fc_insn r[] = {ST(W, 1, 0, (int32_t)0x8081f0f1u), LDXS(W, 0, 1, 0), EXIT()};
    cr_assert_eq(run(r, NINS(r)), FC_OK);
    cr_assert_eq(t.r0, 0xffffffff8081f0f1ull);
    fc_insn s[] = {ST(W, 1, 0, (int32_t)0x8081f0f1u), LDXS(H, 0, 1, 2), EXIT()};
    cr_assert_eq(run(s, NINS(s)), FC_OK);
    cr_assert_eq(t.r0, 0xffffffffffff8081ull);
    fc_insn u[] = {ST(W, 1, 0, 0x7081f0f1), LDXS(B, 0, 1, 3), EXIT()};
    cr_assert_eq(run(u, NINS(u)), FC_OK);
    cr_assert_eq(t.r0, 0x70);
}

Test(vm_mem, stores_each_size)
{
    const uint64_t v = 0x8877665544332211ull;
    fc_insn p[] = {
        LDDW(2, v),
        STX(B, 1, 2, 1), STX(H, 1, 2, 3), STX(W, 1, 2, 9), STX(DW, 1, 2, 17),
        ST(B, 1, 30, 0x1ff), ST(H, 1, 32, 0x12345), ST(W, 1, 40, -2), ST(DW, 1, 48, -3),
        MOV64(0, 0), EXIT(),
    };
    uint8_t before[T_CTX_LEN], want[T_CTX_LEN];
    tvm_init(&t, p, NINS(p));
    for (unsigned k = 0; k < T_CTX_LEN; k++)
        t.ctx[k] = (uint8_t)(0xa0 + k);
    memcpy(before, t.ctx, sizeof before);
    cr_assert_eq(tvm_run(&t), FC_OK);
    memcpy(want, before, sizeof want);
    want[1] = 0x11;
    want[3] = 0x11; want[4] = 0x22;
    want[9] = 0x11; want[10] = 0x22; want[11] = 0x33; want[12] = 0x44;
    wr64(want + 17, v);
    want[30] = 0xff;
    want[32] = 0x45; want[33] = 0x23;
    want[40] = 0xfe; want[41] = 0xff; want[42] = 0xff; want[43] = 0xff;
    wr64(want + 48, (uint64_t)-3); /* st dw: the immediate is sign-extended */
    cr_assert_arr_eq(t.ctx, want, sizeof want);
}

Test(vm_mem, stack_frame)
{
    const uint64_t top = T_STACK_ADDR + sizeof t.stack;
    fc_insn p[] = {
        MOV64X(0, 10), EXIT(),
    };
    cr_assert_eq(run(p, NINS(p)), FC_OK);
    cr_assert_eq(t.r0, top, "r10 = top of the stack buffer");
    fc_insn q[] = {
        LDDW(2, 0x0102030405060708ull), STX(DW, 10, 2, -8), STX(DW, 10, 2, -512),
        LDX(DW, 0, 10, -8), LDX(B, 3, 10, -512), A64X(ADD, 0, 3), EXIT(),
    };
    cr_assert_eq(run(q, NINS(q)), FC_OK);
    cr_assert_eq(t.r0, 0x0102030405060708ull + 8);
    cr_assert_eq(rd64(t.stack + sizeof t.stack - 8), 0x0102030405060708ull, "mapped to the buffer's top");
    fc_insn above[] = {ST(B, 10, 0, 1), EXIT()};
    cr_assert_eq(run(above, NINS(above)), FC_ERR_MEM_WRITE);
    cr_assert_eq(t.vm.err_addr, top);
    fc_insn below[] = {LDX(B, 0, 10, -513), EXIT()};
    cr_assert_eq(run(below, NINS(below)), FC_ERR_MEM_READ, "only the current frame at depth 1");
    cr_assert_eq(t.vm.err_addr, top - 513);
}

Test(vm_mem, stack_zeroed_each_run)
{
    fc_insn p[] = {LDX(DW, 0, 10, -8), ST(DW, 10, -8, 55), EXIT()};
    tvm_init(&t, p, NINS(p));
    memset(t.stack, 0xcc, sizeof t.stack);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0, "no data leaks from the previous run");
    /* zeroed lazily: down to what the run reached (in 64-byte steps), the
     * rest of the frames keeps its bytes and is not readable unzeroed
     * (test_vm_fast.c, stack_not_cleared_is_never_readable) */
    for (unsigned k = sizeof t.stack - 64; k < sizeof t.stack - 8; k++)
        cr_assert_eq(t.stack[k], 0, "reached part zeroed (byte %u)", k);
    cr_assert_eq(t.stack[sizeof t.stack - 65], 0xcc, "not zeroed beyond the reach");
}

/* A faulting access writes nothing, and reports pc and address. */
Test(vm_mem, faults_leave_memory_untouched)
{
    uint8_t before[T_CTX_LEN];
    struct { fc_insn i; int err; int64_t addr_off; } cases[] = {
        {STX(DW, 1, 2, 60), FC_ERR_MEM_WRITE, 60},   /* 4 bytes in, 4 out */
        {STX(W, 1, 2, 61), FC_ERR_MEM_WRITE, 61},
        {STX(H, 1, 2, 63), FC_ERR_MEM_WRITE, 63},
        {ST(B, 1, 64, 1), FC_ERR_MEM_WRITE, 64},
        {ST(DW, 1, -1, 1), FC_ERR_MEM_WRITE, -1},
        {ATOM(DW, 1, 2, 60, FC_ATOMIC_ADD), FC_ERR_MEM_WRITE, 60},
        {ATOM(W, 1, 2, 62, FC_ATOMIC_XCHG), FC_ERR_MEM_WRITE, 62},
        {LDX(DW, 0, 1, 57), FC_ERR_MEM_READ, 57},
        {LDX(B, 0, 1, -1), FC_ERR_MEM_READ, -1},
        {LDXS(W, 0, 1, 61), FC_ERR_MEM_READ, 61},
    };
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fc_insn p[] = {LDDW(2, ~0ull), MOV64(0, 0), cases[c].i, MOV64(0, 1), EXIT()};
        tvm_init(&t, p, NINS(p));
        memset(t.ctx, 0x5a, sizeof t.ctx);
        memcpy(before, t.ctx, sizeof before);
        cr_assert_eq(tvm_run(&t), cases[c].err, "case %u: %s", c, fc_err_str(t.err));
        cr_assert_eq(t.vm.err_pc, 3, "case %u", c);
        cr_assert_eq(t.vm.err_addr, T_CTX_ADDR + (uint64_t)cases[c].addr_off, "case %u", c);
        cr_assert_eq(t.r0, 0xdeadbeefdeadbeefull, "case %u: r0 not returned on failure", c);
        cr_assert_arr_eq(t.ctx, before, sizeof before, "case %u wrote memory", c);
    }
}

Test(vm_mem, read_only_and_write_only_regions)
{
    static uint8_t ro[16], wo[16];
    fc_insn p[] = {
        LDDW(1, 0x30000000), LDX(DW, 0, 1, 8),          /* read ro: fine */
        LDDW(2, 0x30001000), STX(DW, 2, 0, 0),          /* write wo: fine */
        EXIT(),
    };
    for (int k = 0; k < 16; k++)
        ro[k] = (uint8_t)k;
    memset(wo, 0, sizeof wo);
    tvm_init(&t, p, NINS(p));
    fc_vm_add_region(&t.vm, 0x30000000, ro, 16, FC_PERM_R, FC_REGION_RODATA);
    fc_vm_add_region(&t.vm, 0x30001000, wo, 16, FC_PERM_W, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, rd64(ro + 8));
    cr_assert_eq(rd64(wo), rd64(ro + 8));

    fc_insn w[] = {LDDW(1, 0x30000000), ST(B, 1, 0, 9), EXIT()};
    tvm_init(&t, w, NINS(w));
    fc_vm_add_region(&t.vm, 0x30000000, ro, 16, FC_PERM_R, FC_REGION_RODATA);
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_WRITE);
    cr_assert_eq(ro[0], 0);
    fc_insn r[] = {LDDW(1, 0x30001000), LDX(B, 0, 1, 0), EXIT()};
    tvm_init(&t, r, NINS(r));
    fc_vm_add_region(&t.vm, 0x30001000, wo, 16, FC_PERM_W, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_READ);
    /* atomics need both permissions */
    fc_insn a[] = {LDDW(1, 0x30000000), ATOM(W, 1, 0, 0, FC_ATOMIC_ADD | FC_ATOMIC_FETCH), EXIT()};
    tvm_init(&t, a, NINS(a));
    fc_vm_add_region(&t.vm, 0x30000000, ro, 16, FC_PERM_R, FC_REGION_RODATA);
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_WRITE);
    fc_insn b[] = {LDDW(1, 0x30001000), ATOM(W, 1, 0, 0, FC_ATOMIC_OR), EXIT()};
    tvm_init(&t, b, NINS(b));
    fc_vm_add_region(&t.vm, 0x30001000, wo, 16, FC_PERM_W, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_WRITE);
}

Test(vm_mem, effective_address_wraps_mod_2_64)
{
    static uint8_t low[16];
    /* r1 = 2^64 - 1, off = +1: the address is 0 (mod 2^64) */
    fc_insn p[] = {LDDW(1, ~0ull), LDX(B, 0, 1, 1), EXIT()};
    tvm_init(&t, p, NINS(p));
    low[0] = 0x42;
    fc_vm_add_region(&t.vm, 0, low, 16, FC_PERM_R, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0x42);
    /* an access that would run past 2^64 faults */
    fc_insn q[] = {LDDW(1, ~0ull - 3), LDX(DW, 0, 1, 0), EXIT()};
    tvm_init(&t, q, NINS(q));
    fc_vm_add_region(&t.vm, 0, low, 16, FC_PERM_R, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_READ);
    cr_assert_eq(t.vm.err_addr, ~0ull - 3);
}

Test(vm_mem, region_above_4gib)
{
    static uint8_t hi[16];
    fc_insn p[] = {LDDW(1, 0x123456780ull), ST(W, 1, 4, 0x0badf00d), LDX(W, 0, 1, 4), EXIT()};
    tvm_init(&t, p, NINS(p));
    fc_vm_add_region(&t.vm, 0x123456780ull, hi, 16, FC_PERM_RW, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0x0badf00d);
    fc_insn q[] = {LDDW(1, 0x23456780ull), LDX(W, 0, 1, 4), EXIT()};
    tvm_init(&t, q, NINS(q));
    fc_vm_add_region(&t.vm, 0x123456780ull, hi, 16, FC_PERM_RW, FC_REGION_EXTRA);
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_READ, "the truncated address is not the region");
}

/* ---- atomics ---- */

typedef struct { uint64_t mem, r0, src; } atom_out;

static atom_out atomic(int is64, int32_t op, uint64_t mem, uint64_t src, uint64_t r0)
{
    fc_insn p[] = {
        LDDW(0, r0), LDDW(2, src),
        is64 ? ATOM(DW, 1, 2, 8, op) : ATOM(W, 1, 2, 8, op),
        STX(DW, 1, 2, 16), /* report src */
        EXIT(),
    };
    tvm_init(&t, p, NINS(p));
    wr64(t.ctx + 8, mem);
    cr_assert_eq(tvm_run(&t), FC_OK, "%s", fc_err_str(t.err));
    return (atom_out){rd64(t.ctx + 8), t.r0, rd64(t.ctx + 16)};
}

Test(vm_mem, atomics_64)
{
    const uint64_t m = 0x123456789abcdef0ull, s = 0x0f0f0f0f0f0f0f0full, r = 0x5555;
    atom_out o;
    o = atomic(1, FC_ATOMIC_ADD, m, s, r);
    cr_assert(o.mem == m + s && o.src == s && o.r0 == r);
    o = atomic(1, FC_ATOMIC_OR, m, s, r);
    cr_assert(o.mem == (m | s) && o.src == s && o.r0 == r);
    o = atomic(1, FC_ATOMIC_AND, m, s, r);
    cr_assert(o.mem == (m & s) && o.src == s);
    o = atomic(1, FC_ATOMIC_XOR, m, s, r);
    cr_assert(o.mem == (m ^ s) && o.src == s);
    o = atomic(1, FC_ATOMIC_ADD | FC_ATOMIC_FETCH, m, s, r);
    cr_assert(o.mem == m + s && o.src == m && o.r0 == r);
    o = atomic(1, FC_ATOMIC_OR | FC_ATOMIC_FETCH, m, s, r);
    cr_assert(o.mem == (m | s) && o.src == m);
    o = atomic(1, FC_ATOMIC_AND | FC_ATOMIC_FETCH, m, s, r);
    cr_assert(o.mem == (m & s) && o.src == m);
    o = atomic(1, FC_ATOMIC_XOR | FC_ATOMIC_FETCH, m, s, r);
    cr_assert(o.mem == (m ^ s) && o.src == m);
    o = atomic(1, FC_ATOMIC_XCHG, m, s, r);
    cr_assert(o.mem == s && o.src == m && o.r0 == r);
    o = atomic(1, FC_ATOMIC_CMPXCHG, m, s, m);          /* equal: swap */
    cr_assert(o.mem == s && o.r0 == m && o.src == s);
    o = atomic(1, FC_ATOMIC_CMPXCHG, m, s, m + 1);      /* not equal */
    cr_assert(o.mem == m && o.r0 == m && o.src == s);
}

Test(vm_mem, atomics_32)
{
    /* upper half of the memory word untouched; results zero-extended */
    const uint64_t m = 0x11111111fffffff0ull, s = 0xaaaaaaaa00000020ull;
    atom_out o;
    o = atomic(0, FC_ATOMIC_ADD, m, s, 7);
    cr_assert_eq(o.mem, 0x1111111100000010ull, "carry does not reach the upper word");
    o = atomic(0, FC_ATOMIC_ADD | FC_ATOMIC_FETCH, m, s, 7);
    cr_assert_eq(o.mem, 0x1111111100000010ull);
    cr_assert_eq(o.src, 0xfffffff0u);
    o = atomic(0, FC_ATOMIC_OR | FC_ATOMIC_FETCH, m, s, 7);
    cr_assert_eq(o.mem, 0x11111111fffffff0ull);
    cr_assert_eq(o.src, 0xfffffff0u);
    o = atomic(0, FC_ATOMIC_AND, m, s, 7);
    cr_assert_eq(o.mem, 0x1111111100000020ull);
    cr_assert_eq(o.src, s, "non-fetch form leaves src");
    o = atomic(0, FC_ATOMIC_XOR | FC_ATOMIC_FETCH, m, s, 7);
    cr_assert_eq(o.mem, 0x11111111ffffffd0ull);
    o = atomic(0, FC_ATOMIC_AND | FC_ATOMIC_FETCH, m, s, 7);
    cr_assert_eq(o.src, 0xfffffff0u);
    o = atomic(0, FC_ATOMIC_XOR, m, s, 7);
    cr_assert_eq(o.mem, 0x11111111ffffffd0ull);
    o = atomic(0, FC_ATOMIC_OR, m, 0x1, 7);
    cr_assert_eq(o.mem, 0x11111111fffffff1ull);
    o = atomic(0, FC_ATOMIC_XCHG, m, s, 7);
    cr_assert_eq(o.mem, 0x1111111100000020ull);
    cr_assert_eq(o.src, 0xfffffff0u);
    /* cmpxchg32 compares the low half of r0 only */
    o = atomic(0, FC_ATOMIC_CMPXCHG, m, s, 0x99999999fffffff0ull);
    cr_assert_eq(o.mem, 0x1111111100000020ull);
    cr_assert_eq(o.r0, 0xfffffff0u);
    o = atomic(0, FC_ATOMIC_CMPXCHG, m, s, 0xfffffff1u);
    cr_assert_eq(o.mem, m);
    cr_assert_eq(o.r0, 0xfffffff0u);
}

Test(vm_mem, atomic_invalid_forms)
{
    const int32_t bad_ops[] = {0x02, 0x10, 0x41 | 0x2, 0xe0, 0xf0, 0x20, -1};
    for (unsigned k = 0; k < sizeof bad_ops / sizeof bad_ops[0]; k++) {
        fc_insn p[] = {ATOM(DW, 1, 2, 0, bad_ops[k]), EXIT()};
        cr_assert_eq(run(p, NINS(p)), FC_ERR_BAD_INSN, "imm %#x", bad_ops[k]);
    }
    fc_insn b[] = {ATOM(B, 1, 2, 0, FC_ATOMIC_ADD), EXIT()};
    cr_assert_eq(run(b, NINS(b)), FC_ERR_BAD_INSN, "no byte atomics");
    fc_insn h[] = {ATOM(H, 1, 2, 0, FC_ATOMIC_ADD), EXIT()};
    cr_assert_eq(run(h, NINS(h)), FC_ERR_BAD_INSN, "no half-word atomics");
}
