/* Unit tests: the interpreter's jumps, the budget rule, bad programs, the
 * "BAD_INSN exactly when the opcode table says invalid" property, and a
 * random-program robustness run. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "test_vm.h"

static tvm t;

TestSuite(vm_jmp, .init = test_vm_watchdog);

static int run(const fc_insn *p, uint32_t n, uint64_t budget)
{
    tvm_init(&t, p, n);
    t.vm.budget = budget;
    return tvm_run(&t);
}

Test(vm_jmp, builder_matches_fc_insn_make)
{
    fc_insn a = INS(0xdb, 10, 9, -300, (int32_t)0x80000001u);
    fc_insn b = fc_insn_make(0xdb, 10, 9, -300, (int32_t)0x80000001u);
    cr_assert(a.op == b.op && a.regs == b.regs && a.off == b.off && a.imm == b.imm);
}

/* ---- conditional jumps against a model ---------------------------------- */

static int cond_model(unsigned op, int is64, uint64_t a, uint64_t b)
{
    if (!is64) {
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    int64_t sa = is64 ? (int64_t)a : (int64_t)(int32_t)(uint32_t)a;
    int64_t sb = is64 ? (int64_t)b : (int64_t)(int32_t)(uint32_t)b;
    switch (op) {
    case FC_JMP_JEQ:  return a == b;
    case FC_JMP_JNE:  return a != b;
    case FC_JMP_JGT:  return a > b;
    case FC_JMP_JGE:  return a >= b;
    case FC_JMP_JLT:  return a < b;
    case FC_JMP_JLE:  return a <= b;
    case FC_JMP_JSET: return (a & b) != 0;
    case FC_JMP_JSGT: return sa > sb;
    case FC_JMP_JSGE: return sa >= sb;
    case FC_JMP_JSLT: return sa < sb;
    case FC_JMP_JSLE: return sa <= sb;
    }
    cr_assert_fail("op %#x", op);
    return 0;
}

Test(vm_jmp, conditions_match_model)
{
    static const unsigned ops[] = {FC_JMP_JEQ, FC_JMP_JNE, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JLT,
                                   FC_JMP_JLE, FC_JMP_JSET, FC_JMP_JSGT, FC_JMP_JSGE,
                                   FC_JMP_JSLT, FC_JMP_JSLE};
    static const uint64_t v[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                                 0x1ffffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                 0xffffffff80000000ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
                                 0x00000001ffffffffull, 0x8000000100000000ull};
    const unsigned nv = sizeof v / sizeof v[0];
    unsigned bad = 0, runs = 0;
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int is64 = 0; is64 <= 1; is64++)
            for (int x = 0; x <= 1; x++)
                for (unsigned i = 0; i < nv; i++)
                    for (unsigned j = 0; j < nv; j++) {
                        uint8_t cls = is64 ? FC_CLS_JMP : FC_CLS_JMP32;
                        int32_t imm = (int32_t)(uint32_t)v[j];
                        uint64_t b = x ? v[j] : (is64 ? (uint64_t)(int64_t)imm : (uint32_t)imm);
                        fc_insn p[] = {
                            LDDW(1, v[i]), LDDW(2, v[j]), MOV64(0, 0),
                            x ? INS(cls | FC_SRC_X | ops[o], 1, 2, 1, 0)
                              : INS(cls | FC_SRC_K | ops[o], 1, 0, 1, imm),
                            EXIT(), MOV64(0, 1), EXIT(),
                        };
                        int want = cond_model(ops[o], is64, v[i], b);
                        runs++;
                        if (run(p, NINS(p), 0) != FC_OK || t.r0 != (uint64_t)want) {
                            if (bad++ < 10)
                                cr_log_error("op %#x %s %s a=%#llx b=%#llx: got %llu (err %d) want %d",
                                             ops[o], is64 ? "64" : "32", x ? "reg" : "imm",
                                             (unsigned long long)v[i], (unsigned long long)b,
                                             (unsigned long long)t.r0, t.err, want);
                        }
                    }
    cr_assert_eq(bad, 0, "%u of %u jump cases differ", bad, runs);
}

Test(vm_jmp, ja_and_ja32)
{
    fc_insn p[] = {MOV64(0, 1), JA(2), MOV64(0, 2), EXIT(), JA32(-3), EXIT()};
    /* 0: r0=1; 1: ja +2 -> 4; 4: ja32 -3 -> 2; 2: r0=2; 3: exit */
    cr_assert_eq(run(p, NINS(p), 10), FC_OK);
    cr_assert_eq(t.r0, 2);
    cr_assert_eq(t.vm.budget_left, 9, "ja32 backward took one unit");
    cr_assert_eq(t.vm.insn_count, 5);
}

/* ---- the budget: taken backward jumps ------------------------------------ */

/* A loop of N iterations whose backward jump is taken N - 1 times:
 *   0: r0 = 0   1: r1 = N   2: r0 += 1   3: r1 -= 1   4: if r1 != 0 goto 2   5: exit */
#define LOOP(N) {MOV64(0, 0), MOV64(1, N), A64K(ADD, 0, 1), A64K(SUB, 1, 1), JK(JNE, 1, 0, -3), EXIT()}

Test(vm_jmp, budget_exact_boundary)
{
    const int N = 10;
    fc_insn p[] = LOOP(N);
    cr_assert_eq(run(p, NINS(p), N - 1), FC_OK, "N-1 taken backward jumps fit budget N-1");
    cr_assert_eq(t.r0, (uint64_t)N);
    cr_assert_eq(t.vm.budget_left, 0);
    cr_assert_eq(t.vm.insn_count, 2 + 3 * (uint64_t)N + 1);

    cr_assert_eq(run(p, NINS(p), N - 2), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.err_pc, 4, "stops at the jump");
    cr_assert_eq(t.vm.budget_left, 0);
    cr_assert_eq(t.vm.insn_count, 2 + 3 * (uint64_t)(N - 1), "the refused jump is counted");
    cr_assert_eq(t.r0, 0xdeadbeefdeadbeefull, "no result on failure");

    cr_assert_eq(run(p, NINS(p), N + 5), FC_OK);
    cr_assert_eq(t.vm.budget_left, 6);
}

Test(vm_jmp, budget_self_loops)
{
    fc_insn a[] = {JA(-1), EXIT()};
    cr_assert_eq(run(a, NINS(a), 5), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.err_pc, 0);
    cr_assert_eq(t.vm.insn_count, 6);
    fc_insn b[] = {MOV64(0, 0), JA32(-1), EXIT()};
    cr_assert_eq(run(b, NINS(b), 3), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.err_pc, 1);
    cr_assert_eq(t.vm.insn_count, 5);
    fc_insn c[] = {MOV64(1, 1), J32K(JEQ, 1, 1, -1), EXIT()};
    cr_assert_eq(run(c, NINS(c), 0), FC_ERR_BUDGET, "budget 0: the first backward jump fails");
    cr_assert_eq(t.vm.err_pc, 1);
    /* default budget set by fc_vm_init */
    tvm_init(&t, a, NINS(a));
    cr_assert_eq(tvm_run(&t), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.insn_count, (uint64_t)FC_DEFAULT_BUDGET + 1);
}

/* The instruction count across every way control moves (an lddw, a local
 * call and its exit, a forward conditional jump, a backward ja32 or a
 * backward conditional jump), checked and unchecked (the two loops of the
 * -O2 build), to the end and to an exhausted budget. */
Test(vm_jmp, insn_count_every_jump_kind)
{
    fc_insn p[] = {
        MOV64(0, 0),            /* 0 */
        MOV64(1, 3),            /* 1 */
        LDDW(2, 7),             /* 2, 3: the loop */
        CALL_LOCAL(5),          /* 4: -> 10 */
        JK(JEQ, 1, 1, 2),       /* 5: -> 8 on the last pass */
        A64K(SUB, 1, 1),        /* 6 */
        JA32(-6),               /* 7: -> 2 (or a conditional jump, below) */
        A64K(ADD, 0, 100),      /* 8 */
        EXIT(),                 /* 9 */
        A64K(ADD, 0, 1),        /* 10: the callee */
        EXIT(),                 /* 11 */
    };
    for (int form = 0; form < 2; form++) {
        if (form)
            p[7] = JK(JNE, 1, 0, -6);
        for (int checked = 0; checked < 2; checked++) {
            tvm_init(&t, p, NINS(p));
            t.vm.budget = 100;
            if (checked)
                cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
            cr_assert_eq(tvm_run(&t), FC_OK);
            cr_assert_eq(t.r0, 103);
            cr_assert_eq(t.vm.insn_count, 2 + 7 * 2 + 5 + 2, "form %d checked %d", form, checked);
            cr_assert_eq(t.vm.budget_left, 100 - 5);

            tvm_init(&t, p, NINS(p));
            t.vm.budget = 3;  /* call, jump, call, then the jump fails */
            if (checked)
                cr_assert_eq(fc_vm_check(&t.vm), FC_OK);
            cr_assert_eq(tvm_run(&t), FC_ERR_BUDGET);
            cr_assert_eq(t.vm.err_pc, 7);
            cr_assert_eq(t.vm.insn_count, 2 + 7 + 7, "form %d checked %d", form, checked);
            cr_assert_eq(t.vm.budget_left, 0);
        }
    }
}

Test(vm_jmp, budget_not_used_by_forward_jumps_untaken_jumps_exits)
{
    fc_insn p[] = {
        MOV64(1, 1),
        JK(JEQ, 1, 0, -1),      /* backward but not taken: free */
        JA(2),                  /* forward: free */
        MOV64(0, 7), EXIT(),    /* 3: function (its exit: free) */
        CALL_LOCAL(-3),         /* 5: a local call costs one unit, backward or not */
        CALL_LOCAL(-4),         /* again */
        JA32(0),                /* forward by 0 */
        EXIT(),
    };
    cr_assert_eq(run(p, NINS(p), 2), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(t.r0, 7);
    cr_assert_eq(t.vm.budget_left, 0);
    cr_assert_eq(run(p, NINS(p), 1), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.err_pc, 6);
}

/* ---- bad programs ----------------------------------------------------------- */

Test(vm_jmp, bad_programs)
{
    tvm_init(&t, NULL, 0);
    cr_assert_eq(tvm_run(&t), FC_ERR_BAD_PROGRAM, "no code");
    cr_assert_eq(t.vm.err_pc, 0);

    fc_insn a[] = {MOV64(0, 1)};
    cr_assert_eq(run(a, NINS(a), 10), FC_ERR_BAD_PROGRAM, "falls off the end");
    cr_assert_eq(t.vm.err_pc, 1);

    fc_insn b[] = {JA(5), EXIT()};
    cr_assert_eq(run(b, NINS(b), 10), FC_ERR_BAD_PROGRAM);
    cr_assert_eq(t.vm.err_pc, 0);
    fc_insn b2[] = {JA(1), EXIT()};
    cr_assert_eq(run(b2, NINS(b2), 10), FC_ERR_BAD_PROGRAM, "target == ninsns");
    fc_insn c[] = {JA(-2), EXIT()};
    cr_assert_eq(run(c, NINS(c), 10), FC_ERR_BAD_PROGRAM, "target -1");
    fc_insn d[] = {JA32(INT32_MIN), EXIT()};
    cr_assert_eq(run(d, NINS(d), 10), FC_ERR_BAD_PROGRAM);
    fc_insn e[] = {JA32(INT32_MAX), EXIT()};
    cr_assert_eq(run(e, NINS(e), 10), FC_ERR_BAD_PROGRAM);
    fc_insn f[] = {MOV64(1, 0), JK(JEQ, 1, 0, -32768), EXIT()};
    cr_assert_eq(run(f, NINS(f), 10), FC_ERR_BAD_PROGRAM);
    cr_assert_eq(t.vm.err_pc, 1);
    fc_insn g[] = {MOV64(1, 1), JK(JEQ, 1, 0, 100), MOV64(0, 3), EXIT()};
    cr_assert_eq(run(g, NINS(g), 10), FC_OK, "untaken jump outside: fine");
    cr_assert_eq(t.r0, 3);
    fc_insn h[] = {CALL_LOCAL(7), EXIT()};
    cr_assert_eq(run(h, NINS(h), 10), FC_ERR_BAD_PROGRAM);
    fc_insn i[] = {CALL_LOCAL(INT32_MIN), EXIT()};
    cr_assert_eq(run(i, NINS(i), 10), FC_ERR_BAD_PROGRAM);
    fc_insn j[] = {CALL_LOCAL(0)};
    cr_assert_eq(run(j, NINS(j), 10), FC_ERR_BAD_PROGRAM, "call to ninsns");
}

Test(vm_jmp, bad_registers_and_sources)
{
    fc_insn a[] = {MOV64(11, 0), EXIT()};
    cr_assert_eq(run(a, NINS(a), 10), FC_ERR_BAD_INSN);
    fc_insn b[] = {LDX(DW, 0, 15, 0), EXIT()};
    cr_assert_eq(run(b, NINS(b), 10), FC_ERR_BAD_INSN);
    fc_insn c[] = {INS(FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL, 0, 2, 0, 0), EXIT()};
    cr_assert_eq(run(c, NINS(c), 10), FC_ERR_BAD_INSN, "call src 2");
    fc_insn d[] = {JX(JEQ, 0, 12, 0), EXIT()};
    cr_assert_eq(run(d, NINS(d), 10), FC_ERR_BAD_INSN);
    fc_insn e[] = {MOV64(0, 9), INS(0xff, 0, 0, 0, 0)};
    cr_assert_eq(run(e, NINS(e), 10), FC_ERR_BAD_INSN);
    cr_assert_eq(t.vm.err_pc, 1);
    cr_assert_eq(t.vm.insn_count, 2);
}

/* Every row of the opcode table executes (no row is missing from the
 * interpreter's switch). */
Test(vm_jmp, every_table_row_is_implemented)
{
    for (unsigned k = 1; k < FC_OP_COUNT; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        int16_t off = r->disc == FC_DISC_OFF ? r->disc_value : 0;
        int32_t imm = r->disc == FC_DISC_IMM ? r->disc_value : 0;
        unsigned dst = 1, src = 0;
        if (r->fmt == FC_FMT_ALU_X || r->fmt == FC_FMT_LDX || r->fmt == FC_FMT_STX ||
            r->fmt == FC_FMT_ATOMIC || r->fmt == FC_FMT_JCC_X)
            src = 1;
        if (r->fmt == FC_FMT_CALL || r->fmt == FC_FMT_JA || r->fmt == FC_FMT_JA32 ||
            r->fmt == FC_FMT_EXIT)
            dst = 0;
        fc_insn p[] = {INS(r->opcode, dst, src, off, imm), INS(0, 0, 0, 0, 0), EXIT()};
        fc_insn q[] = {INS(r->opcode, dst, src, off, imm), EXIT()};
        cr_assert_eq(fc_insn_check(&p[0], &p[1], NULL), FC_INSN_OK, "%s: test builds a valid insn",
                     r->mnemonic);
        if (r->fmt == FC_FMT_LDDW)
            run(p, NINS(p), 10);
        else
            run(q, NINS(q), 10);
        cr_assert_neq(t.err, FC_ERR_BAD_INSN, "row %u (%s, opcode %#x) not implemented", k,
                      r->mnemonic, r->opcode);
    }
}

/* The interpreter refuses an instruction (FC_ERR_BAD_INSN at its index)
 * exactly when the opcode table does not identify it. */
Test(vm_jmp, bad_insn_iff_table_invalid)
{
    static const int16_t offs[] = {0, 1, 2, 8, 16, 32, 64, -1};
    static const int32_t imms[] = {0, 1, 8, 16, 32, 64, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1,
                                   0xe1, 0xf1, -1};
    unsigned mismatches = 0, invalid = 0, runs = 0;
    for (unsigned op = 0; op < 256; op++)
        for (unsigned a = 0; a < sizeof offs / sizeof offs[0]; a++)
            for (unsigned b = 0; b < sizeof imms / sizeof imms[0]; b++) {
                fc_insn i = INS(op, 1, 0, offs[a], imms[b]);
                fc_insn p[] = {i, INS(0, 0, 0, 0, 0), EXIT()};
                int table_invalid = fc_insn_op(i) == FC_OP_INVALID;
                run(p, NINS(p), 3);
                int refused = t.err == FC_ERR_BAD_INSN && t.vm.err_pc == 0;
                runs++;
                invalid += table_invalid;
                if (refused != table_invalid && mismatches++ < 10)
                    cr_log_error("op %#04x off %d imm %#x: table %s, interpreter %s (err %d at %u)",
                                 op, offs[a], imms[b], table_invalid ? "invalid" : "valid",
                                 refused ? "refused" : "ran", t.err, t.vm.err_pc);
            }
    cr_assert_eq(mismatches, 0, "%u of %u encodings disagree", mismatches, runs);
    cr_assert_gt(invalid, 0);
    cr_assert_lt(invalid, runs);
}

/* ---- robustness: random instruction arrays ------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static uint64_t h_sum(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm; (void)c; (void)d; (void)e;
    return a + b;
}

static const fc_helper fuzz_helpers[] = {{1, h_sum, "sum"}};

/*
 * Random programs (half from table rows with random fields, half random
 * bytes) run against a memory arena with guard bytes: the run must end with
 * a defined error code, never touch memory outside its regions (checked
 * here by the guards, and by ASan), and be deterministic.
 */
Test(vm_jmp, random_programs_are_safe)
{
    enum { GUARD = 64, STK = FC_STACK_SIZE * 3, CTX = 64 };
    static uint8_t arena[GUARD + STK + GUARD + CTX + GUARD];
    static fc_insn prog[40];
    fc_vm vm;
    unsigned counts[FC_ERR__COUNT] = {0};
    for (unsigned iter = 0; iter < 50000; iter++) {
        uint32_t n = 1 + (uint32_t)(rnd() % 40);
        for (uint32_t k = 0; k < n; k++) {
            uint64_t r = rnd();
            if (r & 7) {  /* 7 in 8 from the table, 1 in 8 raw bytes */
                const fc_opinfo *row = &fc_opinfo_table[1 + (r >> 8) % (FC_OP_COUNT - 1)];
                int16_t off = (int16_t)((int)((r >> 20) % 17) - 8);
                int32_t imm = (int32_t)(uint32_t)(r >> 32);
                if ((r >> 40) & 1)
                    imm = (int32_t)((r >> 41) % 70) - 3;
                if (row->disc == FC_DISC_OFF) off = row->disc_value;
                if (row->disc == FC_DISC_IMM) imm = row->disc_value;
                prog[k] = INS(row->opcode, (r >> 4) % 11, (r >> 12) % (((r >> 16) & 15) ? 11 : 16),
                              off, imm);
            } else {
                uint8_t b[8];
                for (int j = 0; j < 8; j++)
                    b[j] = (uint8_t)(r >> (8 * j));
                prog[k] = fc_insn_decode(b);
            }
        }
        memset(arena, 0xa5, sizeof arena);
        int err[2];
        uint64_t r0[2], cnt[2];
        for (int rep = 0; rep < 2; rep++) {
            cr_assert_eq(fc_vm_init(&vm, prog, n, arena + GUARD, STK), FC_OK);
            vm.budget = 50;
            cr_assert_eq(fc_vm_add_region(&vm, T_CTX_ADDR, arena + GUARD + STK + GUARD, CTX,
                                          FC_PERM_RW, FC_REGION_CTX), FC_OK);
            fc_vm_set_helpers(&vm, fuzz_helpers, 1, NULL, 0);
            memset(arena + GUARD + STK + GUARD, 0x11, CTX);
            r0[rep] = 0;
            err[rep] = fc_vm_run(&vm, T_CTX_ADDR, CTX, &r0[rep]);
            cnt[rep] = vm.insn_count;
            cr_assert(err[rep] >= 0 && err[rep] < FC_ERR__COUNT && err[rep] != FC_ERR_BAD_ARG,
                      "iteration %u: err %d", iter, err[rep]);
            /* err_pc is an instruction index, or n when the pc ran off the end */
            cr_assert(err[rep] == FC_OK || vm.err_pc < n ||
                      (err[rep] == FC_ERR_BAD_PROGRAM && vm.err_pc == n),
                      "iteration %u: err %d at %u", iter, err[rep], vm.err_pc);
        }
        cr_assert(err[0] == err[1] && r0[0] == r0[1] && cnt[0] == cnt[1], "iteration %u not deterministic", iter);
        counts[err[0]]++;
        for (unsigned g = 0; g < GUARD; g++) {
            cr_assert_eq(arena[g], 0xa5, "iteration %u: guard before the stack", iter);
            cr_assert_eq(arena[GUARD + STK + g], 0xa5, "iteration %u: guard after the stack", iter);
            cr_assert_eq(arena[GUARD + STK + GUARD + CTX + g], 0xa5, "iteration %u: guard after ctx", iter);
        }
    }
    for (int e = 0; e < FC_ERR__COUNT; e++)
        cr_log_info("random programs: %-45s %u", fc_err_str(e), counts[e]);
    cr_assert_gt(counts[FC_OK], 0, "some random programs should finish");
    cr_assert_gt(counts[FC_ERR_MEM_READ] + counts[FC_ERR_MEM_WRITE], 0);
}
