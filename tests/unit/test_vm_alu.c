/* Unit tests: the interpreter's ALU, ALU64, byte swaps, movsx and lddw. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "test_vm.h"

/* ---- a model of RFC 9669 section 4.1, written with the host's signed
 * types and explicit special cases (the interpreter works on magnitudes
 * with unsigned arithmetic: two independent formulations). */
static uint64_t model(unsigned op, int is64, int off, uint64_t a, uint64_t b)
{
    if (is64) {
        int64_t sa = (int64_t)a, sb = (int64_t)b;
        switch (op) {
        case FC_ALU_ADD: return a + b;
        case FC_ALU_SUB: return a - b;
        case FC_ALU_MUL: return a * b;
        case FC_ALU_DIV:
            if (off == 1) {
                if (sb == 0) return 0;
                if (sa == INT64_MIN && sb == -1) return a;
                return (uint64_t)(sa / sb);
            }
            return b ? a / b : 0;
        case FC_ALU_MOD:
            if (off == 1) {
                if (sb == 0) return a;
                if (sb == -1) return 0;
                return (uint64_t)(sa % sb);
            }
            return b ? a % b : a;
        case FC_ALU_OR:  return a | b;
        case FC_ALU_AND: return a & b;
        case FC_ALU_XOR: return a ^ b;
        case FC_ALU_LSH: return a << (b & 63);
        case FC_ALU_RSH: return a >> (b & 63);
        case FC_ALU_ARSH: return (uint64_t)(sa >> (b & 63)); /* gcc: arithmetic */
        case FC_ALU_MOV: return b;
        case FC_ALU_NEG: return (uint64_t)0 - a;
        }
    } else {
        uint32_t x = (uint32_t)a, y = (uint32_t)b;
        int32_t sx = (int32_t)x, sy = (int32_t)y;
        switch (op) {
        case FC_ALU_ADD: return (uint32_t)(x + y);
        case FC_ALU_SUB: return (uint32_t)(x - y);
        case FC_ALU_MUL: return (uint32_t)((uint64_t)x * y);
        case FC_ALU_DIV:
            if (off == 1) {
                if (sy == 0) return 0;
                if (sx == INT32_MIN && sy == -1) return x;
                return (uint32_t)(sx / sy);
            }
            return y ? x / y : 0;
        case FC_ALU_MOD:
            if (off == 1) {
                if (sy == 0) return x;
                if (sy == -1) return 0;
                return (uint32_t)(sx % sy);
            }
            return y ? x % y : x;
        case FC_ALU_OR:  return x | y;
        case FC_ALU_AND: return x & y;
        case FC_ALU_XOR: return x ^ y;
        case FC_ALU_LSH: return (uint32_t)(x << (y & 31));
        case FC_ALU_RSH: return x >> (y & 31);
        case FC_ALU_ARSH: return (uint32_t)(sx >> (y & 31));
        case FC_ALU_MOV: return y;
        case FC_ALU_NEG: return (uint32_t)(0u - x);
        }
    }
    cr_assert_fail("model: op 0x%x", op);
    return 0;
}

static const uint64_t vals[] = {
    0, 1, 2, 3, 7, 10, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0xffff,
    0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull,
    0x100000003ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0x8000000000000001ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0xfffffffffffffff6ull, 0xffffffff80000000ull, 0x123456789abcdef0ull,
    0xfedcba9876543210ull, 0x00000000deadbeefull, 0xb1858436100dc5c8ull,
};
#define NVALS (sizeof vals / sizeof vals[0])

static const struct { unsigned op; int off; const char *name; } ops[] = {
    {FC_ALU_ADD, 0, "add"}, {FC_ALU_SUB, 0, "sub"}, {FC_ALU_MUL, 0, "mul"},
    {FC_ALU_DIV, 0, "div"}, {FC_ALU_DIV, 1, "sdiv"}, {FC_ALU_MOD, 0, "mod"},
    {FC_ALU_MOD, 1, "smod"}, {FC_ALU_OR, 0, "or"}, {FC_ALU_AND, 0, "and"},
    {FC_ALU_XOR, 0, "xor"}, {FC_ALU_LSH, 0, "lsh"}, {FC_ALU_RSH, 0, "rsh"},
    {FC_ALU_ARSH, 0, "arsh"}, {FC_ALU_MOV, 0, "mov"},
};

/* Every binary ALU operation, 32 and 64 bits, register and immediate
 * forms, over a grid of edge values, against the model. */
Test(vm_alu, binary_ops_match_model)
{
    unsigned bad = 0, runs = 0;
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int is64 = 0; is64 <= 1; is64++)
            for (int x = 0; x <= 1; x++)
                for (unsigned ia = 0; ia < NVALS; ia++)
                    for (unsigned ib = 0; ib < NVALS; ib++) {
                        uint64_t a = vals[ia], b = vals[ib], got, want, eff;
                        uint8_t cls = is64 ? FC_CLS_ALU64 : FC_CLS_ALU;
                        fc_insn p[6] = {LDDW(0, a), LDDW(1, b), EXIT(), EXIT()};
                        if (x) {
                            p[4] = INS(cls | FC_SRC_X | ops[o].op, 0, 1, ops[o].off, 0);
                            eff = b;
                        } else {
                            int32_t imm = (int32_t)(uint32_t)b;
                            p[4] = INS(cls | FC_SRC_K | ops[o].op, 0, 0, ops[o].off, imm);
                            eff = is64 ? (uint64_t)(int64_t)imm : (uint32_t)imm;
                        }
                        p[5] = EXIT();
                        want = model(ops[o].op, is64, ops[o].off, a, eff);
                        int err = run_prog(p, 6, &got);
                        runs++;
                        if (err != FC_OK || got != want) {
                            if (bad++ < 10)
                                cr_log_error("%s%s %s: a=%#llx b=%#llx: got %#llx err %d, want %#llx",
                                             ops[o].name, is64 ? "64" : "32", x ? "reg" : "imm",
                                             (unsigned long long)a, (unsigned long long)eff,
                                             (unsigned long long)got, err, (unsigned long long)want);
                        }
                    }
    cr_assert_eq(bad, 0, "%u of %u ALU cases differ from the model", bad, runs);
    cr_assert_gt(runs, 10000);
}

static uint64_t run1(fc_insn op, uint64_t a, uint64_t b)
{
    fc_insn p[] = {LDDW(0, a), LDDW(1, b), op, EXIT()};
    uint64_t r0;
    int err = run_prog(p, NINS(p), &r0);
    cr_assert_eq(err, FC_OK, "%s", fc_err_str(err));
    return r0;
}

Test(vm_alu, neg)
{
    for (unsigned i = 0; i < NVALS; i++) {
        cr_expect_eq(run1(A64K(NEG, 0, 0), vals[i], 0), model(FC_ALU_NEG, 1, 0, vals[i], 0));
        cr_expect_eq(run1(A32K(NEG, 0, 0), vals[i], 0), model(FC_ALU_NEG, 0, 0, vals[i], 0));
    }
    cr_assert_eq(run1(A64K(NEG, 0, 0), 0x8000000000000000ull, 0), 0x8000000000000000ull);
    cr_assert_eq(run1(A32K(NEG, 0, 0), 0xffffffff80000000ull, 0), 0x80000000u);
}

/* Hand-computed edge cases (independent of the model). */
Test(vm_alu, shifts_edges)
{
    const uint64_t v = 0x8000000000000001ull;
    cr_assert_eq(run1(A64X(LSH, 0, 1), v, 0), v);
    cr_assert_eq(run1(A64X(LSH, 0, 1), v, 63), 0x8000000000000000ull);
    cr_assert_eq(run1(A64X(LSH, 0, 1), v, 64), v, "64 & 63 == 0");
    cr_assert_eq(run1(A64X(LSH, 0, 1), 1, 32), 0x100000000ull);
    cr_assert_eq(run1(A64X(RSH, 0, 1), v, 63), 1);
    cr_assert_eq(run1(A64X(RSH, 0, 1), v, 32), 0x80000000u);
    cr_assert_eq(run1(A64X(ARSH, 0, 1), v, 63), ~0ull);
    cr_assert_eq(run1(A64X(ARSH, 0, 1), v, 0), v);
    cr_assert_eq(run1(A64K(ARSH, 0, 32), v, 0), 0xffffffff80000000ull);
    cr_assert_eq(run1(A64K(ARSH, 0, -1), v, 0), ~0ull, "imm -1 & 63 = 63");
    /* 32-bit: amount masked to 31, upper half of dst ignored, result zero-extended */
    cr_assert_eq(run1(A32X(LSH, 0, 1), 0xffffffff00000001ull, 31), 0x80000000u);
    cr_assert_eq(run1(A32X(LSH, 0, 1), 0xffffffff00000001ull, 32), 1, "32 & 31 == 0");
    cr_assert_eq(run1(A32X(RSH, 0, 1), 0x80000000u, 31), 1);
    cr_assert_eq(run1(A32X(ARSH, 0, 1), 0x80000000u, 31), 0xffffffffu);
    cr_assert_eq(run1(A32X(ARSH, 0, 1), 0x80000000u, 0), 0x80000000u);
    cr_assert_eq(run1(A32K(ARSH, 0, 4), 0xf0000000u, 0), 0xff000000u);
    cr_assert_eq(run1(A32K(LSH, 0, 0), 0x1234567890ull, 0), 0x34567890u, "zero-extends");
}

Test(vm_alu, division_edges)
{
    const uint64_t min64 = 0x8000000000000000ull;
    fc_insn sdiv64 = INS(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_DIV, 0, 1, 1, 0);
    fc_insn smod64 = INS(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOD, 0, 1, 1, 0);
    fc_insn sdiv32 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_DIV, 0, 1, 1, 0);
    fc_insn smod32 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_MOD, 0, 1, 1, 0);
    fc_insn sdiv32k = INS(FC_CLS_ALU | FC_SRC_K | FC_ALU_DIV, 0, 0, 1, -1);
    fc_insn smod64k = INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOD, 0, 0, 1, -1);

    /* INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0 (conformance sdiv*-intmin-by-negone) */
    cr_assert_eq(run1(sdiv64, min64, ~0ull), min64);
    cr_assert_eq(run1(smod64, min64, ~0ull), 0);
    cr_assert_eq(run1(smod64k, min64, 0), 0);
    cr_assert_eq(run1(sdiv32, 0x80000000u, 0xffffffffu), 0x80000000u);
    cr_assert_eq(run1(sdiv32k, 0x80000000u, 0), 0x80000000u);
    cr_assert_eq(run1(smod32, 0x80000000u, 0xffffffffu), 0);
    /* by zero: div -> 0, mod -> dividend (32-bit: zero-extended) */
    cr_assert_eq(run1(A64X(DIV, 0, 1), 1234, 0), 0);
    cr_assert_eq(run1(sdiv64, (uint64_t)-10, 0), 0);
    cr_assert_eq(run1(A64X(MOD, 0, 1), (uint64_t)-10, 0), (uint64_t)-10);
    cr_assert_eq(run1(smod64, (uint64_t)-10, 0), (uint64_t)-10);
    cr_assert_eq(run1(A32X(DIV, 0, 1), 0xffffffff00000007ull, 0), 0);
    cr_assert_eq(run1(A32X(MOD, 0, 1), 0xffffffff00000007ull, 0), 7);
    cr_assert_eq(run1(smod32, 0xfffffff6u, 0x100000000ull), 0xfffffff6u, "divisor's low half is 0");
    cr_assert_eq(run1(A32K(DIV, 0, 0), 99, 0), 0);
    cr_assert_eq(run1(A32K(MOD, 0, 0), 0xabcdef0099ull, 0), 0xcdef0099u);
    /* signs: truncation toward zero; remainder takes the dividend's sign */
    cr_assert_eq(run1(sdiv64, (uint64_t)-7, 2), (uint64_t)-3);
    cr_assert_eq(run1(smod64, (uint64_t)-7, 2), (uint64_t)-1);
    cr_assert_eq(run1(smod64, 7, (uint64_t)-2), 1);
    cr_assert_eq(run1(smod32, 0xfffffff9u, 2), 0xffffffffu);
    /* unsigned division uses the sign-extended immediate on ALU64 */
    cr_assert_eq(run1(A64K(DIV, 0, -10), ~0ull, 0), 1);
    cr_assert_eq(run1(A32K(DIV, 0, -10), 0xffffffffu, 0), 1);
    cr_assert_eq(run1(A32X(DIV, 0, 1), 12, 0x100000004ull), 3, "div32 uses the divisor's low half");
}

Test(vm_alu, alu32_zero_extends)
{
    cr_assert_eq(run1(A32K(ADD, 0, 1), 0xffffffffffffffffull, 0), 0);
    cr_assert_eq(run1(A32K(MOV, 0, -1), 0, 0), 0xffffffffu);
    cr_assert_eq(run1(A64K(MOV, 0, -1), 0, 0), ~0ull);
    cr_assert_eq(run1(A32X(MOV, 0, 1), 0, 0x123456789ull), 0x23456789u);
    cr_assert_eq(run1(A32K(MUL, 0, 0x10000), 0x10000, 0), 0);
    cr_assert_eq(run1(A32K(OR, 0, 0), 0xaaaaaaaa55555555ull, 0), 0x55555555u);
}

Test(vm_alu, movsx)
{
    const uint64_t v = 0x0123456789abcdefull;
    fc_insn sx8_32 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_MOV, 0, 1, 8, 0);
    fc_insn sx16_32 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_MOV, 0, 1, 16, 0);
    fc_insn sx8_64 = INS(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, 0, 1, 8, 0);
    fc_insn sx16_64 = INS(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, 0, 1, 16, 0);
    fc_insn sx32_64 = INS(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, 0, 1, 32, 0);
    cr_assert_eq(run1(sx8_32, 0, v), 0xffffffefu);
    cr_assert_eq(run1(sx16_32, 0, v), 0xffffcdefu);
    cr_assert_eq(run1(sx8_64, 0, v), 0xffffffffffffffefull);
    cr_assert_eq(run1(sx16_64, 0, v), 0xffffffffffffcdefull);
    cr_assert_eq(run1(sx32_64, 0, v), 0xffffffff89abcdefull);
    cr_assert_eq(run1(sx8_64, 0, 0x7f), 0x7f);
    cr_assert_eq(run1(sx16_64, 0, 0x17fff), 0x7fff);
    cr_assert_eq(run1(sx32_64, 0, 0xf7fffffffull), 0x7fffffff);
    cr_assert_eq(run1(sx8_32, 0, 0x80), 0xffffff80u);
}

Test(vm_alu, byte_swaps)
{
    const uint64_t v = 0x8877665544332211ull;
    fc_insn le16 = INS(FC_CLS_ALU | FC_SRC_K | FC_ALU_END, 0, 0, 0, 16);
    fc_insn le32 = INS(FC_CLS_ALU | FC_SRC_K | FC_ALU_END, 0, 0, 0, 32);
    fc_insn le64 = INS(FC_CLS_ALU | FC_SRC_K | FC_ALU_END, 0, 0, 0, 64);
    fc_insn be16 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_END, 0, 0, 0, 16);
    fc_insn be32 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_END, 0, 0, 0, 32);
    fc_insn be64 = INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_END, 0, 0, 0, 64);
    fc_insn bs16 = INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_END, 0, 0, 0, 16);
    fc_insn bs32 = INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_END, 0, 0, 0, 32);
    fc_insn bs64 = INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_END, 0, 0, 0, 64);
    cr_assert_eq(run1(le16, v, 0), 0x2211);
    cr_assert_eq(run1(le32, v, 0), 0x44332211);
    cr_assert_eq(run1(le64, v, 0), v);
    cr_assert_eq(run1(be16, v, 0), 0x1122);
    cr_assert_eq(run1(be32, v, 0), 0x11223344);
    cr_assert_eq(run1(be64, v, 0), 0x1122334455667788ull);
    cr_assert_eq(run1(bs16, v, 0), 0x1122);
    cr_assert_eq(run1(bs32, v, 0), 0x11223344);
    cr_assert_eq(run1(bs64, v, 0), 0x1122334455667788ull);
}

Test(vm_alu, lddw_immediate)
{
    cr_assert_eq(run1(MOV64X(0, 1), 0, 0x8000000000000001ull), 0x8000000000000001ull);
    fc_insn p[] = {LDDW(0, 0x0000000080000000ull), EXIT()};
    uint64_t r0;
    cr_assert_eq(run_prog(p, NINS(p), &r0), FC_OK);
    cr_assert_eq(r0, 0x80000000ull, "the low half is not sign-extended");
}

Test(vm_alu, lddw_section)
{
    static tvm t;
    uint8_t ro[16], bss[8];
    fc_insn p[] = {
        INS(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 0, FC_LDDW_SECTION, 0, FC_SECT_RODATA), INS(0, 0, 0, 0, 12),
        INS(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 1, FC_LDDW_SECTION, 0, FC_SECT_BSS), INS(0, 0, 0, 0, 4),
        A64X(SUB, 0, 1), EXIT(),
    };
    tvm_init(&t, p, NINS(p));
    cr_assert_eq(fc_vm_add_region(&t.vm, 0x8000100, ro, sizeof ro, FC_PERM_R, FC_REGION_RODATA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&t.vm, 0x20004000, bss, sizeof bss, FC_PERM_RW, FC_REGION_BSS), FC_OK);
    cr_assert_eq(tvm_run(&t), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(t.r0, (0x8000100ull + 12) - (0x20004000ull + 4));

    /* a section the host did not provide */
    fc_insn q[] = {INS(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 0, FC_LDDW_SECTION, 0, FC_SECT_DATA),
                   INS(0, 0, 0, 0, 0), EXIT()};
    tvm_init(&t, q, NINS(q));
    cr_assert_eq(fc_vm_add_region(&t.vm, 0x8000100, ro, sizeof ro, FC_PERM_R, FC_REGION_RODATA), FC_OK);
    cr_assert_eq(tvm_run(&t), FC_ERR_BAD_PROGRAM);
    cr_assert_eq(t.vm.err_pc, 0);

    /* a section id outside 1..3 */
    q[0].imm = 0;
    tvm_init(&t, q, NINS(q));
    cr_assert_eq(tvm_run(&t), FC_ERR_BAD_INSN);
}

Test(vm_alu, lddw_malformed)
{
    /* lddw as the last slot */
    fc_insn a[] = {MOV64(0, 1), LDDW_LO(0, 5)};
    uint64_t r0;
    cr_assert_eq(run_prog(a, NINS(a), &r0), FC_ERR_BAD_INSN);
    /* second slot is not a continuation */
    fc_insn b[] = {LDDW_LO(0, 5), MOV64(0, 1), EXIT()};
    cr_assert_eq(run_prog(b, NINS(b), &r0), FC_ERR_BAD_INSN);
    /* unknown pseudo source */
    fc_insn c[] = {INS(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 0, 1, 0, 0), INS(0, 0, 0, 0, 0), EXIT()};
    cr_assert_eq(run_prog(c, NINS(c), &r0), FC_ERR_BAD_INSN);
    /* jumping into the second slot reaches opcode 0: invalid */
    fc_insn d[] = {JA(1), LDDW(0, 7), EXIT()};
    cr_assert_eq(run_prog(d, NINS(d), &r0), FC_ERR_BAD_INSN);
}
