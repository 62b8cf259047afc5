/* Unit tests: local calls (frames, depth, saved registers) and helper
 * dispatch (unknown, allowlist, faults, unwind, callx). */
#include <criterion/criterion.h>
#include <stdint.h>
#include "test_vm.h"

static tvm t;

TestSuite(vm_call, .init = test_vm_watchdog);
#define TOP (T_STACK_ADDR + sizeof t.stack)

static int run(const fc_insn *p, uint32_t n)
{
    tvm_init(&t, p, n);
    return tvm_run(&t);
}

/* ---- local calls ------------------------------------------------------------ */

Test(vm_call, args_result_and_saved_registers)
{
    /* conformance call_local, by hand */
    fc_insn p[] = {
        MOV64(0, 0), MOV64(1, 1), MOV64(2, 2), MOV64(3, 3), MOV64(4, 4), MOV64(5, 5),
        MOV64(6, 6), MOV64(7, 7), MOV64(8, 8), MOV64(9, 9),
        CALL_LOCAL(9),                                      /* 10 -> 20 */
        JK(JNE, 0, 15, 6), JK(JNE, 6, 6, 5), JK(JNE, 7, 7, 4), JK(JNE, 8, 8, 3), JK(JNE, 9, 9, 2),
        MOV64(0, 1), EXIT(),                                /* 16 */
        MOV64(0, -1), EXIT(),                               /* 18: failed */
        /* 20: r0 = r1 + ... + r5; clobber r6..r9 */
        MOV64(0, 0), A64X(ADD, 0, 1), A64X(ADD, 0, 2), A64X(ADD, 0, 3), A64X(ADD, 0, 4),
        A64X(ADD, 0, 5), MOV64(6, 0), MOV64(7, 0), MOV64(8, 0), MOV64(9, 0), EXIT(),
    };
    cr_assert_eq(run(p, NINS(p)), FC_OK, "%s at %u", fc_err_str(t.err), t.vm.err_pc);
    cr_assert_eq(t.r0, 1);
}

Test(vm_call, frames_move_down_by_512)
{
    /* main returns its r10 minus the callee's r10 */
    fc_insn q[] = {
        MOV64X(6, 10), CALL_LOCAL(3), A64X(SUB, 6, 0), MOV64X(0, 6), EXIT(),
        MOV64X(0, 10), EXIT(),
    };
    cr_assert_eq(run(q, NINS(q)), FC_OK);
    cr_assert_eq(t.r0, FC_STACK_SIZE);
    /* after the return r10 is the caller's again: 0: call 2 (exit); 1: r0 = r10 */
    fc_insn r[] = {CALL_LOCAL(1), MOV64X(0, 10), EXIT()};
    cr_assert_eq(run(r, NINS(r)), FC_OK);
    cr_assert_eq(t.r0, TOP);
}

Test(vm_call, frames_are_separate_and_caller_frames_reachable)
{
    fc_insn p[] = {
        ST(DW, 10, -8, 111),          /* caller frame slot */
        MOV64X(1, 10), A64K(ADD, 1, -8),  /* r1 = &caller slot */
        CALL_LOCAL(3),                /* 3 -> 7 */
        LDX(DW, 2, 10, -8),           /* 4: caller slot after the call */
        A64X(ADD, 0, 2),              /* r0 = callee result + slot */
        EXIT(),
        /* 7: callee: own slot at r10-8, and writes through the pointer */
        ST(DW, 10, -8, 5),
        LDX(DW, 0, 1, 0),             /* reads caller's 111 */
        ST(DW, 1, 0, 1000),           /* writes caller's slot */
        LDX(DW, 3, 10, -8), A64X(ADD, 0, 3),   /* + own 5 */
        EXIT(),
    };
    cr_assert_eq(run(p, NINS(p)), FC_OK, "%s at %u", fc_err_str(t.err), t.vm.err_pc);
    cr_assert_eq(t.r0, 111 + 5 + 1000);
    cr_assert_eq(rd64(t.stack + sizeof t.stack - 8), 1000);
    cr_assert_eq(rd64(t.stack + sizeof t.stack - 512 - 8), 5, "callee frame just below");
}

Test(vm_call, callee_cannot_reach_below_its_frame_nor_after_return)
{
    fc_insn p[] = {CALL_LOCAL(1), EXIT(), LDX(B, 0, 10, -513), EXIT()};
    cr_assert_eq(run(p, NINS(p)), FC_ERR_MEM_READ);
    cr_assert_eq(t.vm.err_pc, 2);
    cr_assert_eq(t.vm.err_addr, TOP - 512 - 513);
    fc_insn ok[] = {CALL_LOCAL(1), EXIT(), LDX(B, 0, 10, -512), EXIT()};
    cr_assert_eq(run(ok, NINS(ok)), FC_OK);
    /* the callee returns a pointer into its own frame; the caller may not use it */
    fc_insn q[] = {CALL_LOCAL(2), LDX(DW, 0, 0, 0), EXIT(), MOV64X(0, 10), A64K(ADD, 0, -8), EXIT()};
    cr_assert_eq(run(q, NINS(q)), FC_ERR_MEM_READ);
    cr_assert_eq(t.vm.err_pc, 1);
    cr_assert_eq(t.vm.err_addr, TOP - 512 - 8);
}

Test(vm_call, depth_limit)
{
    /* main: r0 = 0; call f. f: r0 += 1; call f (infinite recursion) */
    fc_insn p[] = {MOV64(0, 0), CALL_LOCAL(1), EXIT(), A64K(ADD, 0, 1), CALL_LOCAL(-2)};
    cr_assert_eq(run(p, NINS(p)), FC_ERR_CALL_DEPTH);
    cr_assert_eq(t.vm.err_pc, 4);
    /* frames 2..8 run f: 7 levels of 2 instructions, plus main's 2 */
    cr_assert_eq(t.vm.insn_count, 2 + 2 * (FC_MAX_CALL_DEPTH - 1));

    tvm_init(&t, p, NINS(p));
    t.vm.max_depth = 3;
    cr_assert_eq(tvm_run(&t), FC_ERR_CALL_DEPTH);
    cr_assert_eq(t.vm.insn_count, 2 + 2 * 2);

    tvm_init(&t, p, NINS(p));
    t.vm.max_depth = 1;
    cr_assert_eq(tvm_run(&t), FC_ERR_CALL_DEPTH);
    cr_assert_eq(t.vm.err_pc, 1);

    /* exactly max_depth frames is fine: 7 nested calls, each to the next
     * call; the deepest returns its r10 */
    fc_insn d[16];
    uint32_t n = 0;
    for (int k = 0; k < 7; k++) {
        d[n++] = CALL_LOCAL(1);
        d[n++] = EXIT();
    }
    d[n++] = MOV64X(0, 10);
    d[n++] = EXIT();
    cr_assert_eq(run(d, n), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(t.r0, TOP - 7 * FC_STACK_SIZE);
}

Test(vm_call, smaller_stack_limits_depth)
{
    static uint8_t small[FC_STACK_SIZE * 2];
    fc_vm vm;
    uint64_t r0;
    fc_insn p[] = {CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), MOV64(0, 4), EXIT()};
    cr_assert_eq(fc_vm_init(&vm, p, NINS(p), small, sizeof small), FC_OK);
    cr_assert_eq(vm.max_depth, 2);
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_ERR_CALL_DEPTH);
    cr_assert_eq(vm.err_pc, 2);
}

/* ---- helpers --------------------------------------------------------------- */

static uint64_t seen[6];

static uint64_t h_record(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm;
    seen[1] = a; seen[2] = b; seen[3] = c; seen[4] = d; seen[5] = e;
    return a * 1000 + e;
}

static uint64_t h_fault(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)b; (void)c; (void)d; (void)e;
    vm->helper_err = FC_ERR_HELPER_FAULT;
    vm->err_addr = a;
    return 5;
}

/* The conformance suite's helper 5: returns its argument; 0 stops the program. */
static uint64_t h_unwind(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)b; (void)c; (void)d; (void)e;
    if (a == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return a;
}

static uint64_t h_weird(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)a; (void)b; (void)c; (void)d; (void)e;
    vm->helper_err = 1234;
    return 0;
}

/* Sees the stack region during the run (helpers may take stack pointers). */
static uint64_t h_stack(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)b; (void)c; (void)d; (void)e;
    uint8_t *p = fc_vm_translate(vm, a, 8, FC_PERM_W);
    if (!p) {
        vm->helper_err = FC_ERR_HELPER_FAULT;
        return 0;
    }
    p[0] = 0x77;
    return 1;
}

/* Records the outcome fields of the VM as a helper sees them mid-run. */
static uint64_t outcome_seen[5];
static uint64_t h_outcome(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)a; (void)b; (void)c; (void)d; (void)e;
    outcome_seen[0] = (uint64_t)vm->err;
    outcome_seen[1] = vm->err_pc;
    outcome_seen[2] = vm->err_addr;
    outcome_seen[3] = vm->insn_count;
    outcome_seen[4] = vm->budget_left;
    return 0;
}

static const fc_helper helpers[] = {
    {3, h_record, "record"}, {4, h_fault, "fault"}, {5, h_unwind, "unwind"},
    {6, h_weird, "weird"}, {7, h_stack, "stack"}, {8, NULL, "no function"},
    {9, h_outcome, "outcome"},
};

static int run_h(const fc_insn *p, uint32_t n, const uint32_t *allow, uint32_t nallow)
{
    tvm_init(&t, p, n);
    fc_vm_set_helpers(&t.vm, helpers, NINS(helpers), allow, nallow);
    return tvm_run(&t);
}

Test(vm_call, helper_args_result_and_r1_r5_unchanged)
{
    fc_insn p[] = {
        MOV64(1, 11), MOV64(2, 22), MOV64(3, 33), MOV64(4, 44), MOV64(5, 55), CALL(3),
        /* r0 = result; fold r1..r5 into a checksum to prove them unchanged */
        A64X(ADD, 1, 2), A64X(ADD, 1, 3), A64X(ADD, 1, 4), A64X(ADD, 1, 5), A64K(LSH, 1, 32),
        A64X(OR, 0, 1), EXIT(),
    };
    cr_assert_eq(run_h(p, NINS(p), NULL, 0), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(seen[1], 11);
    cr_assert_eq(seen[5], 55);
    cr_assert_eq(t.r0, ((uint64_t)(11 + 22 + 33 + 44 + 55) << 32) | 11055);
}

Test(vm_call, unknown_and_denied)
{
    fc_insn p[] = {MOV64(0, 0), CALL(99), EXIT()};
    cr_assert_eq(run_h(p, NINS(p), NULL, 0), FC_ERR_HELPER_UNKNOWN);
    cr_assert_eq(t.vm.err_pc, 1);
    fc_insn q[] = {MOV64(1, 1), CALL(3), EXIT()};
    static const uint32_t allow_other[] = {4, 5};
    static const uint32_t allow_it[] = {4, 3};
    cr_assert_eq(run_h(q, NINS(q), allow_other, 2), FC_ERR_HELPER_DENIED);
    cr_assert_eq(t.vm.err_pc, 1);
    cr_assert_eq(run_h(q, NINS(q), allow_it, 2), FC_OK);
    cr_assert_eq(t.r0, 1000);
    cr_assert_eq(run_h(q, NINS(q), allow_it, 0), FC_ERR_HELPER_DENIED, "empty allowlist allows nothing");
    cr_assert_eq(run_h(p, NINS(p), allow_other, 2), FC_ERR_HELPER_UNKNOWN,
                 "unknown is reported before denied");
    fc_insn r[] = {CALL(8), EXIT()};
    cr_assert_eq(run_h(r, NINS(r), NULL, 0), FC_ERR_HELPER_UNKNOWN, "entry without a function");
    /* no helper table at all */
    tvm_init(&t, q, NINS(q));
    cr_assert_eq(tvm_run(&t), FC_ERR_HELPER_UNKNOWN);
}

Test(vm_call, helper_fault_unwind_and_bad_codes)
{
    fc_insn p[] = {LDDW(1, 0x1234), MOV64(0, 9), CALL(4), MOV64(0, 1), EXIT()};
    cr_assert_eq(run_h(p, NINS(p), NULL, 0), FC_ERR_HELPER_FAULT);
    cr_assert_eq(t.vm.err_pc, 3);
    cr_assert_eq(t.vm.err_addr, 0x1234, "the helper's address is kept");
    cr_assert_eq(t.r0, 0xdeadbeefdeadbeefull);

    /* conformance call_unwind_fail: r1 = -1 continues, r0 = 2 */
    fc_insn u[] = {MOV64(1, -1), CALL(5), MOV64(0, 2), EXIT()};
    cr_assert_eq(run_h(u, NINS(u), NULL, 0), FC_OK);
    cr_assert_eq(t.r0, 2);
    fc_insn v[] = {MOV64(1, 0), CALL(5), MOV64(0, 2), EXIT()};
    cr_assert_eq(run_h(v, NINS(v), NULL, 0), FC_ERR_UNWIND);
    cr_assert_eq(t.vm.err_pc, 1);

    fc_insn w[] = {CALL(6), EXIT()};
    cr_assert_eq(run_h(w, NINS(w), NULL, 0), FC_ERR_HELPER_FAULT, "unknown codes become faults");
}

/* During a run a helper sees no error, nothing counted and the whole
 * budget (what native code's runtime shows it), not the last run's
 * outcome: here a run that failed on an address after a taken backward
 * jump, then one that calls the helper. */
Test(vm_call, helper_sees_a_fresh_outcome)
{
    fc_insn bad[] = {MOV64(2, 2), JA(0), A64K(SUB, 2, 1), JK(JNE, 2, 0, -3), LDDW(1, 0x99),
                     LDX(W, 0, 1, 0), EXIT()};
    fc_insn p[] = {MOV64(0, 0), CALL(9), EXIT()};
    tvm_init(&t, bad, NINS(bad));
    fc_vm_set_helpers(&t.vm, helpers, NINS(helpers), NULL, 0);
    t.vm.budget = 50;
    cr_assert_eq(tvm_run(&t), FC_ERR_MEM_READ);
    cr_assert_eq(t.vm.err_pc, 6);
    cr_assert_eq(t.vm.err_addr, 0x99);
    cr_assert_eq(t.vm.budget_left, 49);
    cr_assert_neq(t.vm.insn_count, 0);
    t.vm.insns = p;
    t.vm.ninsns = NINS(p);
    t.vm.budget = 70;
    memset(outcome_seen, 0xa5, sizeof outcome_seen);
    cr_assert_eq(tvm_run(&t), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(outcome_seen[0], FC_OK);
    cr_assert_eq(outcome_seen[1], 0, "err_pc %llu", (unsigned long long)outcome_seen[1]);
    cr_assert_eq(outcome_seen[2], 0, "err_addr %llu", (unsigned long long)outcome_seen[2]);
    cr_assert_eq(outcome_seen[3], 0, "insn_count %llu", (unsigned long long)outcome_seen[3]);
    cr_assert_eq(outcome_seen[4], 70, "budget_left %llu", (unsigned long long)outcome_seen[4]);
    cr_assert_eq(t.vm.insn_count, 3);
    cr_assert_eq(t.vm.budget_left, 70);
}

Test(vm_call, helper_sees_stack_region)
{
    fc_insn p[] = {MOV64X(1, 10), A64K(ADD, 1, -8), CALL(7), LDX(B, 0, 10, -8), EXIT()};
    cr_assert_eq(run_h(p, NINS(p), NULL, 0), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(t.r0, 0x77);
    fc_insn q[] = {MOV64X(1, 10), CALL(7), EXIT()}; /* r10 itself: one past the top */
    cr_assert_eq(run_h(q, NINS(q), NULL, 0), FC_ERR_HELPER_FAULT);
}

Test(vm_call, callx)
{
    /* the encoding the interpreter runs is the one fc_isa.c accepts */
    fc_insn cx = CALLX(2);
    cr_assert_eq(fc_insn_check(&cx, NULL, NULL), FC_INSN_OK,
                 "callx register field changed in fc_isa.c: update the interpreter");
    /* conformance callx: helper number in r2 */
    fc_insn p[] = {MOV64(1, -1), MOV64(2, 5), CALLX(2), MOV64(0, 2), EXIT()};
    cr_assert_eq(run_h(p, NINS(p), NULL, 0), FC_OK, "%s", fc_err_str(t.err));
    cr_assert_eq(t.r0, 2);
    fc_insn q[] = {MOV64(1, 6), MOV64(2, 3), CALLX(2), EXIT()};
    cr_assert_eq(run_h(q, NINS(q), NULL, 0), FC_OK);
    cr_assert_eq(t.r0, 6000);
    /* no truncation of the helper number to 32 bits */
    fc_insn r[] = {LDDW(2, 0x100000003ull), CALLX(2), EXIT()};
    cr_assert_eq(run_h(r, NINS(r), NULL, 0), FC_ERR_HELPER_UNKNOWN);
    static const uint32_t allow[] = {5};
    cr_assert_eq(run_h(q, NINS(q), allow, 1), FC_ERR_HELPER_DENIED);
}

/* A (buggy) host helper that rewrites the VM mid-run cannot make the
 * interpreter overrun its own arrays: the limits are copied at run start. */
static uint64_t h_tamper(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)a; (void)b; (void)c; (void)d; (void)e;
    vm->max_depth = 200;
    vm->nregions = 200;
    return 0;
}

Test(vm_call, helper_tampering_with_the_vm)
{
    static const fc_helper th[] = {{9, h_tamper, "tamper"}};
    /* call the helper, then recurse without end, touching memory on the way */
    fc_insn p[] = {CALL(9), CALL_LOCAL(0), ST(DW, 10, -8, 1), LDX(DW, 0, 1, 0), CALL_LOCAL(-3), EXIT()};
    tvm_init(&t, p, NINS(p));
    fc_vm_set_helpers(&t.vm, th, 1, NULL, 0);
    cr_assert_eq(tvm_run(&t), FC_ERR_CALL_DEPTH, "%s", fc_err_str(t.err));
    cr_assert_eq(t.vm.err_pc, 4);
    cr_assert_eq(t.vm.insn_count, 2 + 3 * (FC_MAX_CALL_DEPTH - 1));
}

/* ---- local calls cost budget (docs/sandbox.md section 6) ---------------------- */

/* main makes k sequential calls of an empty function, then returns 7 */
static uint32_t seq_calls(fc_insn *p, unsigned k)
{
    uint32_t n = 0;
    for (unsigned j = 0; j < k; j++)
        p[n++] = CALL_LOCAL((int32_t)(k - j) + 1);   /* to the function after exit */
    p[n++] = MOV64(0, 7);
    p[n++] = EXIT();
    p[n++] = EXIT();                                 /* the function */
    return n;
}

Test(vm_call, call_budget_exact)
{
    fc_insn p[40];
    for (unsigned k = 1; k <= 30; k += 7) {
        uint32_t n = seq_calls(p, k);
        tvm_init(&t, p, n);
        t.vm.budget = k;                             /* exactly enough */
        cr_assert_eq(tvm_run(&t), FC_OK, "k %u: %s", k, fc_err_str(t.err));
        cr_assert_eq(t.r0, 7);
        cr_assert_eq(t.vm.budget_left, 0);
        tvm_init(&t, p, n);
        t.vm.budget = k + 5;
        cr_assert_eq(tvm_run(&t), FC_OK);
        cr_assert_eq(t.vm.budget_left, 5);
        tvm_init(&t, p, n);
        t.vm.budget = k - 1;                         /* the last call is refused */
        cr_assert_eq(tvm_run(&t), FC_ERR_BUDGET, "k %u", k);
        cr_assert_eq(t.vm.err_pc, k - 1);
        cr_assert_eq(t.vm.budget_left, 0);
        /* the instructions before it ran; the callee of the refused call not */
        cr_assert_eq(t.vm.insn_count, 2u * (k - 1) + 1);
    }
}

Test(vm_call, call_budget_fan_out_stops)
{
    /* f_d calls f_{d+1} ten times, 7 levels deep: ~10^7 calls without the
     * charge. With the charge the default budget stops it after exactly
     * FC_DEFAULT_BUDGET calls. */
    enum { K = 10, LEVELS = 7 };
    fc_insn p[(K + 1) * LEVELS + 2];
    uint32_t n = 0;
    for (unsigned d = 0; d < LEVELS; d++) {
        for (unsigned j = 0; j < K; j++)
            p[n++] = CALL_LOCAL((int32_t)(K - j));   /* to the next level's first slot */
        p[n++] = EXIT();
    }
    p[n++] = MOV64(0, 1);
    p[n++] = EXIT();
    tvm_init(&t, p, n);
    cr_assert_eq(tvm_run(&t), FC_ERR_BUDGET, "%s", fc_err_str(t.err));
    cr_assert_eq(t.vm.budget_left, 0);
    /* per charged call: the call, its exit, and (in a leaf) the leaf's mov */
    cr_assert_leq(t.vm.insn_count, 3ull * FC_DEFAULT_BUDGET + FC_MAX_CALL_DEPTH + 1);
    cr_assert_geq(t.vm.insn_count, (uint64_t)FC_DEFAULT_BUDGET);
}

Test(vm_call, call_budget_after_depth_and_mixed_with_loops)
{
    /* depth is checked before the budget: with no budget left a call beyond
     * max_depth is FC_ERR_CALL_DEPTH */
    fc_insn r[] = {CALL_LOCAL(0), EXIT()};           /* calls itself */
    tvm_init(&t, r, NINS(r));
    t.vm.max_depth = 1;
    t.vm.budget = 0;
    cr_assert_eq(tvm_run(&t), FC_ERR_CALL_DEPTH);
    tvm_init(&t, r, NINS(r));
    t.vm.budget = 0;
    cr_assert_eq(tvm_run(&t), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.err_pc, 0);
    /* a loop of 5 calls: 5 call units + 4 taken back edges */
    fc_insn q[] = {MOV64(6, 0), CALL_LOCAL(4), A64K(ADD, 6, 1), JK(JLT, 6, 5, -3),
                   MOV64X(0, 6), EXIT(), EXIT()};
    q[1] = CALL_LOCAL(4);                            /* 1 -> 6 */
    tvm_init(&t, q, NINS(q));
    t.vm.budget = 9;
    cr_assert_eq(tvm_run(&t), FC_OK, "%s at %u", fc_err_str(t.err), t.vm.err_pc);
    cr_assert_eq(t.r0, 5);
    cr_assert_eq(t.vm.budget_left, 0);
    tvm_init(&t, q, NINS(q));
    t.vm.budget = 8;                                 /* the 5th call is refused */
    cr_assert_eq(tvm_run(&t), FC_ERR_BUDGET);
    cr_assert_eq(t.vm.err_pc, 1);
}

/* an engine that reaches a write to r10 stops with FC_ERR_BAD_INSN there */
Test(vm_call, writes_to_r10_stop_the_run)
{
    const fc_insn w[] = {
        MOV64(10, 1), MOV64X(10, 1), A64K(ADD, 10, -8), A32K(ADD, 10, 0),
        LDX(W, 10, 10, -8), INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_NEG, 10, 0, 0, 0),
        ATOM(DW, 1, 10, 0, FC_ATOMIC_ADD | FC_ATOMIC_FETCH),
    };
    for (unsigned k = 0; k < NINS(w); k++) {
        fc_insn p[] = {MOV64(0, 3), MOV64X(1, 10), A64K(ADD, 1, -8), w[k], MOV64X(0, 10), EXIT()};
        cr_assert_eq(run(p, NINS(p)), FC_ERR_BAD_INSN, "case %u: %s", k, fc_err_str(t.err));
        cr_assert_eq(t.vm.err_pc, 3, "case %u", k);
    }
    fc_insn l[] = {LDDW(10, 0x1234), MOV64X(0, 10), EXIT()};
    cr_assert_eq(run(l, NINS(l)), FC_ERR_BAD_INSN);
    cr_assert_eq(t.vm.err_pc, 0);
    /* cmpxchg with src r10 writes r0, not r10 */
    fc_insn c[] = {MOV64X(1, 10), A64K(ADD, 1, -8), ATOM(DW, 1, 10, 0, FC_ATOMIC_CMPXCHG), MOV64(0, 9), EXIT()};
    cr_assert_eq(run(c, NINS(c)), FC_OK, "%s", fc_err_str(t.err));
}
