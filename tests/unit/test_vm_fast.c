/* Unit tests: the interpreter's fast paths (checked programs, the region hit
 * cache, lazy stack zeroing, instruction counting at control transfers)
 * against the exact rules they shortcut. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "test_vm.h"
#include "fc_helpers.h"

static tvm t;

typedef struct outcome {
    int err;
    uint32_t err_pc;
    uint64_t err_addr, r0, insn_count, budget_left;
} outcome;

static outcome run_mode(const fc_insn *p, uint32_t n, int checked, uint64_t budget)
{
    outcome o;
    tvm_init(&t, p, n);
    for (unsigned k = 0; k < T_CTX_LEN; k++)
        t.ctx[k] = (uint8_t)(k * 7 + 1);
    if (budget)
        t.vm.budget = budget;
    if (checked)
        cr_assert_eq(fc_vm_check(&t.vm), FC_OK, "the program passes fc_vm_check");
    t.r0 = 0;
    o.err = fc_vm_run(&t.vm, T_CTX_ADDR, T_CTX_LEN, &t.r0);
    o.err_pc = t.vm.err_pc;
    o.err_addr = t.vm.err_addr;
    o.r0 = o.err ? 0 : t.r0;
    o.insn_count = t.vm.insn_count;
    o.budget_left = t.vm.budget_left;
    return o;
}

/* checked and per-step checking runs must give one outcome */
static outcome both(const fc_insn *p, uint32_t n, uint64_t budget)
{
    outcome a = run_mode(p, n, 0, budget), b = run_mode(p, n, 1, budget);
    cr_assert_eq(a.err, b.err, "err %d / %d", a.err, b.err);
    cr_assert_eq(a.err_pc, b.err_pc);
    cr_assert_eq(a.err_addr, b.err_addr);
    cr_assert_eq(a.r0, b.r0);
    cr_assert_eq(a.insn_count, b.insn_count, "insn_count %llu / %llu",
                 (unsigned long long)a.insn_count, (unsigned long long)b.insn_count);
    cr_assert_eq(a.budget_left, b.budget_left);
    return b;
}

Test(vm_fast, check_refuses_what_the_loop_refuses)
{
    /* an unreachable bad instruction: the program runs, but is not "checked" */
    fc_insn p[] = {MOV64(0, 7), EXIT(), INS(FC_CLS_ALU64 | FC_ALU_ADD, 0, 0, 1, 1)};
    tvm_init(&t, p, NINS(p));
    cr_assert_eq(fc_vm_check(&t.vm), FC_ERR_BAD_INSN);
    cr_assert_eq(t.vm.checked, 0);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 7);
    cr_assert_eq(fc_vm_check(NULL), FC_ERR_BAD_ARG);
}

/* fc_insn_check (the loader's install check) accepts nothing fc_vm_check
 * refuses: so the loader may mark what it installed as checked. */
Test(vm_fast, insn_check_implies_vm_check)
{
    uint32_t accepted = 0;
    static const int16_t offs[] = {0, 1, 2, 4, 8, 16, 32, -1};
    static const int32_t imms[] = {0, 1, 16, 32, 64, 0x01, 0x08, 0x50, 0xa0, 0xa1, 0xe1, 0xf1, 5};
    for (unsigned op = 0; op < 256; op++)
        for (unsigned regs = 0; regs < 256; regs += 7)
            for (unsigned o = 0; o < sizeof offs / sizeof offs[0]; o++)
                for (unsigned m = 0; m < sizeof imms / sizeof imms[0]; m++) {
                    fc_insn p[3] = {INS(op, regs & 15, regs >> 4, offs[o], imms[m]),
                                    INS(0, 0, 0, 0, 0), EXIT()};
                    if (fc_insn_check(&p[0], &p[1], NULL) != FC_INSN_OK)
                        continue;
                    accepted++;
                    tvm_init(&t, p, 1);
                    cr_assert_eq(fc_vm_check(&t.vm), FC_OK,
                                 "op 0x%02x regs 0x%02x off %d imm %d", op, regs, offs[o], imms[m]);
                }
    cr_assert_gt(accepted, 1000, "%u instructions accepted", accepted);
}

/* Every executable row: the one-step check agrees with what the loop does
 * when it is not told the program is checked (random register values). */
Test(vm_fast, random_programs_same_outcome_checked_or_not)
{
    uint32_t seed = 99;
    unsigned runs = 0;
    for (unsigned prog = 0; prog < 3000; prog++) {
        fc_insn p[12];
        uint32_t n = 12;
        for (unsigned k = 0; k < n - 1; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned pick = (seed >> 8) % 8;
            unsigned d = (seed >> 12) % 10, s = (seed >> 16) % 11;
            int16_t off = (int16_t)((seed >> 20) % 16) - 8;
            switch (pick) {
            case 0: p[k] = A64X(ADD, d, s); break;
            case 1: p[k] = A32K(MUL, d, (int32_t)seed); break;
            case 2: p[k] = JK(JGT, d, (int32_t)(seed >> 4) % 64, (int16_t)(off % 4)); break;
            case 3: p[k] = LDX(W, d, 1, off + 8); break;
            case 4: p[k] = STX(DW, 10, s, -8 * (int)((seed >> 24) % 70 + 1)); break;
            case 5: p[k] = LDX(B, d, 10, -1 - (int)((seed >> 24) % 600)); break;
            case 6: p[k] = INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_DIV, d, 0, (seed >> 28) & 1, (int32_t)(seed >> 3)); break;
            default: p[k] = A64K(MOV, d, (int32_t)seed); break;
            }
        }
        p[n - 1] = EXIT();
        both(p, n, 20);
        runs++;
    }
    cr_assert_eq(runs, 3000);
}

Test(vm_fast, budget_exhaustion_same_point)
{
    /* a loop with an lddw inside, test at the bottom, N iterations */
    enum { N = 50 };
    fc_insn p[] = {MOV64(0, 0), LDDW(3, 0x100000000ull), A64X(ADD, 0, 3), A64K(ADD, 4, 1),
                   JK(JLT, 4, N, -5), EXIT()};
    for (uint64_t b = N - 3; b <= N; b++) {
        outcome o = both(p, NINS(p), b);
        if (b >= N - 1) {
            cr_assert_eq(o.err, FC_OK);
            cr_assert_eq(o.budget_left, b - (N - 1));
            /* mov, then N times (lddw add add jlt), then exit */
            cr_assert_eq(o.insn_count, 1 + 4 * (uint64_t)N + 1);
        } else {
            cr_assert_eq(o.err, FC_ERR_BUDGET);
            cr_assert_eq(o.err_pc, 5, "stops at the back edge");
            cr_assert_eq(o.budget_left, 0);
            cr_assert_eq(o.insn_count, 1 + 4 * (b + 1));
        }
    }
}

Test(vm_fast, count_includes_stop_and_not_the_end)
{
    fc_insn off_end[] = {MOV64(0, 1), MOV64(0, 2)};
    outcome o = both(off_end, NINS(off_end), 0);
    cr_assert_eq(o.err, FC_ERR_BAD_PROGRAM);
    cr_assert_eq(o.err_pc, 2);
    cr_assert_eq(o.insn_count, 2);
    fc_insn lddw_end[] = {MOV64(0, 1), LDDW(0, 5)};
    o = both(lddw_end, NINS(lddw_end), 0);
    cr_assert_eq(o.err, FC_ERR_BAD_PROGRAM);
    cr_assert_eq(o.insn_count, 2, "lddw counts one");
    fc_insn fault[] = {MOV64(0, 1), LDDW(0, 5), LDX(B, 0, 0, 0), EXIT()};
    o = both(fault, NINS(fault), 0);
    cr_assert_eq(o.err, FC_ERR_MEM_READ);
    cr_assert_eq(o.err_pc, 3);
    cr_assert_eq(o.insn_count, 3);
    /* into the second slot of an lddw: opcode 0 */
    fc_insn slot2[] = {JA(1), LDDW(0, 5), EXIT()};
    o = both(slot2, NINS(slot2), 0);
    cr_assert_eq(o.err, FC_ERR_BAD_INSN);
    cr_assert_eq(o.err_pc, 2);
    cr_assert_eq(o.insn_count, 2);
}

/* The hit cache at region edges: the same instruction (same cache slot) goes
 * from a hit to a miss; the slow path keeps the exact rule. */
Test(vm_fast, region_cache_edges)
{
    static uint8_t top[64], ro[16];
    for (int mode = 0; mode < 2; mode++) {
        /* r2 = ctx + idx (idx from r6 stepping by 4): ldxdw until it faults */
        fc_insn p[] = {MOV64X(6, 1), MOV64(0, 0),
                       LDX(DW, 3, 6, 0), A64K(ADD, 6, 4), A64K(ADD, 0, 1), JA(-4), EXIT()};
        tvm_init(&t, p, NINS(p));
        if (mode)
            cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
        cr_assert_eq(tvm_run(&t), FC_ERR_MEM_READ);
        cr_assert_eq(t.vm.err_addr, T_CTX_ADDR + 60, "56 is the last 8-byte load inside");
        cr_assert_eq(t.vm.err_pc, 2);

        /* a region ending at 2^64: hit, then an access whose end passes 2^64 */
        tvm_init(&t, p, NINS(p));
        cr_assert_eq(fc_vm_add_region(&t.vm, 0xffffffffffffffc0ull, top, 64, FC_PERM_R,
                                      FC_REGION_EXTRA), FC_OK);
        if (mode)
            cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
        t.err = fc_vm_run(&t.vm, 0xffffffffffffffc0ull, 64, &t.r0);
        cr_assert_eq(t.err, FC_ERR_MEM_READ);
        cr_assert_eq(t.vm.err_addr, 0xfffffffffffffffcull, "no wrap to address 0");

        /* above 4 GiB: the cached high region must not answer for its low
         * 32 bits (which are the context here), and vice versa */
        fc_insn q[] = {LDX(B, 0, 1, 0), A64X(ADD, 1, 2), JK(JNE, 3, 0, 2), A64K(ADD, 3, 1),
                       JA(-5), EXIT()};
        tvm_init(&t, q, NINS(q));
        cr_assert_eq(fc_vm_add_region(&t.vm, 0x100000000ull + T_CTX_ADDR, ro, 16, FC_PERM_R,
                                      FC_REGION_EXTRA), FC_OK);
        ro[0] = 0x5a;
        if (mode)
            cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
        /* r1 = high region, r2 = -2^32: first load from the high region,
         * second from the context at the same low bits */
        t.err = fc_vm_run(&t.vm, 0x100000000ull + T_CTX_ADDR, (uint64_t)0 - 0x100000000ull, &t.r0);
        cr_assert_eq(t.err, FC_OK);
        cr_assert_eq(t.r0, t.ctx[0]);

        /* permissions: a read caches a read-only region; a store in the same
         * cache slot (8 instructions later) must still be refused */
        fc_insn w[] = {LDX(B, 0, 1, 0), MOV64(3, 0), MOV64(3, 0), MOV64(3, 0), MOV64(3, 0),
                       MOV64(3, 0), MOV64(3, 0), MOV64(3, 0), ST(B, 1, 0, 1), EXIT()};
        tvm_init(&t, w, NINS(w));
        cr_assert_eq(fc_vm_add_region(&t.vm, 0x30000000ull, ro, 16, FC_PERM_R, FC_REGION_EXTRA),
                     FC_OK);
        if (mode)
            cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
        t.err = fc_vm_run(&t.vm, 0x30000000ull, 16, &t.r0);
        cr_assert_eq(t.err, FC_ERR_MEM_WRITE);
        cr_assert_eq(t.vm.err_pc, 8);

        /* a zero-length region at the cached address matches nothing */
        fc_insn z[] = {LDX(B, 0, 1, 0), EXIT()};
        tvm_init(&t, z, NINS(z));
        t.vm.nregions = 0;
        cr_assert_eq(fc_vm_add_region(&t.vm, 0x40000000ull, ro, 0, FC_PERM_R, FC_REGION_EXTRA),
                     FC_OK);
        if (mode)
            cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
        t.err = fc_vm_run(&t.vm, 0x40000000ull, 0, &t.r0);
        cr_assert_eq(t.err, FC_ERR_MEM_READ);
    }
}

/* Lazy zeroing: no stack byte the run did not write is readable with a
 * previous run's content, through any access or a helper; an empty program
 * touches no stack byte. */
Test(vm_fast, stack_not_cleared_is_never_readable)
{
    /* sum every byte of frame 1, from the top down, with byte loads */
    fc_insn p[] = {MOV64X(6, 10), MOV64(0, 0), MOV64(7, 0),
                   A64K(ADD, 6, -1), LDX(B, 3, 6, 0), A64X(OR, 0, 3), A64K(ADD, 7, 1),
                   JK(JLT, 7, 512, -5), EXIT()};
    for (int mode = 0; mode < 2; mode++) {
        tvm_init(&t, p, NINS(p));
        memset(t.stack, 0xcc, sizeof t.stack);
        if (mode)
            fc_vm_check(&t.vm);
        cr_assert_eq(tvm_run(&t), FC_OK);
        cr_assert_eq(t.r0, 0, "every byte of the frame reads 0");
        cr_assert_eq(t.stack[sizeof t.stack - 513], 0xcc, "nothing below the reach is cleared");
    }

    /* a wide load straddling the zeroed part and the rest */
    fc_insn q[] = {LDX(B, 0, 10, -1), LDX(DW, 3, 10, -68), A64X(OR, 0, 3), EXIT()};
    tvm_init(&t, q, NINS(q));
    memset(t.stack, 0xcc, sizeof t.stack);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0);

    /* the callee's frame at depth 2 */
    fc_insn c[] = {CALL_LOCAL(1), EXIT(), LDX(DW, 0, 10, -504), EXIT()};
    tvm_init(&t, c, NINS(c));
    memset(t.stack, 0xcc, sizeof t.stack);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0);

    /* a helper reading the stack (memcpy from r10-512 into the context) */
    fc_insn h[] = {MOV64X(6, 1), MOV64X(2, 10), A64K(ADD, 2, -512), MOV64(3, T_CTX_LEN),
                   CALL(FC_HELPER_MEMCPY), LDX(DW, 0, 6, 0), LDX(DW, 3, 6, 56), A64X(OR, 0, 3),
                   EXIT()};
    tvm_init(&t, h, NINS(h));
    fc_vm_set_helpers(&t.vm, fc_std_helpers, fc_std_helpers_count, NULL, 0);
    memset(t.stack, 0xcc, sizeof t.stack);
    memset(t.ctx, 0x77, sizeof t.ctx);
    cr_assert_eq(tvm_run(&t), FC_OK);
    cr_assert_eq(t.r0, 0);

    /* an empty program writes no stack byte */
    fc_insn e[] = {MOV64(0, 3), EXIT()};
    tvm_init(&t, e, NINS(e));
    memset(t.stack, 0xcc, sizeof t.stack);
    cr_assert_eq(tvm_run(&t), FC_OK);
    for (unsigned k = 0; k < sizeof t.stack; k++)
        cr_assert_eq(t.stack[k], 0xcc, "byte %u", k);
}
