/*
 * The thumbv7m backend against the interpreter, in Unicorn (tools/fc_emu.h).
 *
 * Every case runs through both engines with the same guest addresses and
 * fc_emu_diff compares r0, error, error slot, fault address, budget left and
 * memory. Each targeted case also states the outcome it expects, so the two
 * engines cannot agree on a wrong answer unnoticed. The random part
 * generates terminating programs over the whole ISA (with in- and
 * out-of-bounds accesses, loops under a small budget, helper and local
 * calls) and runs each under three backend settings.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_asm.h"
#include "fc_emu.h"

static fc_emu *emu;

static void open_emu(void)
{
    char err[200];
    emu = fc_emu_open(err, sizeof err);
    cr_assert(emu, "%s", err);
}
static void close_emu(void)
{
    fc_emu_close(emu);
    emu = NULL;
}

/* ---- helpers for the cases ------------------------------------------------ */
/* 1: r1 + 2*r2 + 3*r3 + 4*r4 + 5*r5 */
static uint64_t h_mix(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm;
    return a + 2 * b + 3 * c + 4 * d + 5 * e;
}
/* 2: sum of the r2 bytes at r1 (checked), writes 0x5a over them */
static uint64_t h_sum(fc_vm *vm, uint64_t p, uint64_t n, uint64_t c, uint64_t d, uint64_t e)
{
    (void)c, (void)d, (void)e;
    uint8_t *m = fc_vm_translate(vm, p, n, FC_PERM_RW);
    uint64_t s = 0;
    if (!m) {
        vm->helper_err = FC_ERR_HELPER_FAULT;
        vm->err_addr = p;
        return 0;
    }
    for (uint64_t k = 0; k < n; k++) {
        s += m[k];
        m[k] = 0x5a;
    }
    return s;
}
/* 5: the suite's unwind */
static uint64_t h_unwind(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    if (a == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return a;
}
/* 7: registered but not allowed by the allowlist below */
static uint64_t h_denied(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm, (void)b, (void)c, (void)d, (void)e;
    return a;
}
static const fc_helper helpers[] = {
    {1, h_mix, "mix"}, {2, h_sum, "sum"}, {5, h_unwind, "unwind"}, {7, h_denied, "denied"},
};
static const uint32_t allow[] = {1, 2, 5};

typedef struct expect {
    int err;
    uint64_t r0;
    uint32_t pc;
} expect;

static fc_insn *assemble(const char *src, uint32_t *n)
{
    fc_insn *out = NULL;
    size_t k = 0;
    fc_asm_error e;
    int rc = fc_asm(src, strlen(src), &out, &k, &e);
    cr_assert_eq(rc, 0, "assembler: line %u: %s", e.line, e.msg);
    *n = (uint32_t)k;
    return out;
}

/* run src through both engines under every backend setting; check `want` */
static void check(const char *src, const fc_emu_case *base, expect want)
{
    static const uint32_t flags[] = {0, FC_BK_CHECK_ALL, FC_BK_NO_OPT};
    uint32_t n;
    fc_insn *p = assemble(src, &n);
    for (unsigned f = 0; f < 3; f++) {
        fc_emu_case c = *base;
        fc_emu_outcome oi, on;
        char msg[300];
        c.insns = p;
        c.n = n;
        c.bk_flags = flags[f];
        int d = fc_emu_diff(emu, &c, &oi, &on, msg, sizeof msg);
        cr_assert_eq(d, 0, "flags %u: %s\n%s", flags[f], msg, src);
        cr_assert_eq(on.err, want.err, "flags %u: error %d (%s), want %d\n%s", flags[f], on.err,
                     fc_err_str(on.err), want.err, src);
        if (want.err == FC_OK)
            cr_assert_eq(on.r0, want.r0, "r0 0x%llx, want 0x%llx\n%s", (unsigned long long)on.r0,
                         (unsigned long long)want.r0, src);
        else
            cr_assert_eq(on.err_pc, want.pc, "error at %u, want %u\n%s", on.err_pc, want.pc, src);
    }
    free(p);
}

static fc_emu_case ctx_case(const uint8_t *ctx, uint32_t len)
{
    fc_emu_case c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.ctx_len = len;
    c.helpers = helpers;
    c.nhelpers = sizeof helpers / sizeof helpers[0];
    c.allow = allow;
    c.nallow = 3;
    return c;
}

static const uint8_t ctx16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

TestSuite(t2_emu, .init = open_emu, .fini = close_emu);

Test(t2_emu, memory_errors_stop_at_the_access)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    check("ldxw %r0, [%r1+12]\nexit", &c, (expect){FC_OK, 0x100f0e0d, 0});
    check("mov %r0, 0\nldxw %r0, [%r1+13]\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 1});
    check("ldxdw %r0, [%r1+8]\nexit", &c, (expect){FC_OK, 0x100f0e0d0c0b0a09ull, 0});
    check("ldxdw %r0, [%r1+9]\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 0});
    check("ldxb %r0, [%r1-1]\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 0});
    check("mov %r2, %r1\nadd %r2, 15\nldxb %r0, [%r2]\nstb [%r2], 7\nldxb %r0, [%r2]\nexit", &c,
          (expect){FC_OK, 7, 0});
    check("sth [%r1+15], 1\nexit", &c, (expect){FC_ERR_MEM_WRITE, 0, 0});
    /* upper half of the address not zero */
    check("lddw %r2, 0x100000000\nadd %r2, %r1\nldxb %r0, [%r2]\nexit", &c,
          (expect){FC_ERR_MEM_READ, 0, 3});
    check("mov %r2, -1\nldxb %r0, [%r2+1]\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 1});
    /* a read-only context */
    c.ctx_perm = FC_PERM_R;
    check("ldxb %r0, [%r1]\nstb [%r1], 1\nexit", &c, (expect){FC_ERR_MEM_WRITE, 0, 1});
    /* no context at all: r1 = 0 */
    fc_emu_case none = ctx_case(NULL, 0);
    check("mov %r0, %r1\nexit", &none, (expect){FC_OK, 0, 0});
    check("ldxb %r0, [%r1]\nexit", &none, (expect){FC_ERR_MEM_READ, 0, 0});
}

Test(t2_emu, the_stack_region_follows_the_call_depth)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    /* frame-local and out-of-frame accesses through r10 */
    check("stdw [%r10-8], 5\nldxdw %r0, [%r10-8]\nexit", &c, (expect){FC_OK, 5, 0});
    check("stb [%r10-512], 9\nldxb %r0, [%r10-512]\nexit", &c, (expect){FC_OK, 9, 0});
    check("ldxb %r0, [%r10]\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 0});
    check("ldxb %r0, [%r10-513]\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 0});
    /* a callee may use its caller's frame, not the reverse */
    check("stdw [%r10-8], 77\ncall local f\nexit\nf:\nldxdw %r0, [%r10+504]\nexit", &c,
          (expect){FC_OK, 77, 0});
    check("mov %r6, %r10\ncall local f\nldxdw %r0, [%r6-520]\nexit\nf:\nstdw [%r10-8], 3\nexit",
          &c, (expect){FC_ERR_MEM_READ, 0, 2});
    /* r10 as a value, and pointers into the frame */
    check("mov %r0, %r10\nsub %r0, %r1\nexit", &c,
          (expect){FC_OK, (uint64_t)FC_EMU_STACK_ADDR + FC_EMU_STACK_SIZE - 0x20100000u, 0});
    check("mov %r2, %r10\nadd %r2, -16\nstw [%r2+4], 0x1234\nldxw %r0, [%r10-12]\nexit", &c,
          (expect){FC_OK, 0x1234, 0});
}

Test(t2_emu, budget_counts_taken_backward_jumps)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    const char *loop = "mov %r0, 0\nl:\nadd %r0, 1\njlt %r0, 10, l\nexit";
    c.budget = 9;                         /* 9 taken back-jumps: exactly enough */
    check(loop, &c, (expect){FC_OK, 10, 0});
    c.budget = 8;
    check(loop, &c, (expect){FC_ERR_BUDGET, 0, 2});
    c.budget = 3;
    check("ja +0\nl:\nja l", &c, (expect){FC_ERR_BUDGET, 0, 1});
    check("mov %r0, 1\nja32 +0\nexit", &c, (expect){FC_OK, 1, 0});
}

Test(t2_emu, calls_depth_and_saved_registers)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    check("mov %r6, 1\nmov %r7, 2\nmov %r8, 3\nmov %r9, 4\ncall local f\n"
          "lsh %r6, 12\nlsh %r7, 8\nlsh %r8, 4\nadd %r6, %r7\nadd %r6, %r8\nadd %r6, %r9\n"
          "mov %r0, %r6\nexit\nf:\nmov %r6, 9\nmov %r7, 9\nmov %r8, 9\nmov %r9, 9\nexit",
          &c, (expect){FC_OK, 0x1234, 0});
    /* recursion: r1 counts down; 6 nested calls from main reach depth 8 */
    const char *rec = "mov %r1, 6\ncall local f\nexit\nf:\njeq %r1, 0, z\nsub %r1, 1\ncall local f\n"
                      "add %r0, 1\nexit\nz:\nmov %r0, 100\nexit";
    check(rec, &c, (expect){FC_OK, 106, 0});
    c.max_depth = 7;
    check(rec, &c, (expect){FC_ERR_CALL_DEPTH, 0, 5});
    c.max_depth = 0;
    check("call local +5\nexit", &c, (expect){FC_ERR_BAD_PROGRAM, 0, 0});
}

/* local calls cost one unit of budget each, after the depth check
 * (docs/sandbox.md section 6); fc_emu_diff also compares budget_left */
Test(t2_emu, local_calls_charge_the_budget)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    const char *seq = "call local f\ncall local f\ncall local f\nmov %r0, 7\nexit\nf:\nexit";
    c.budget = 3;
    check(seq, &c, (expect){FC_OK, 7, 0});
    c.budget = 2;
    check(seq, &c, (expect){FC_ERR_BUDGET, 0, 2});
    c.budget = 1;                         /* (0 would mean the default) */
    check(seq, &c, (expect){FC_ERR_BUDGET, 0, 1});
    /* calls inside a loop: 4 calls + 3 back edges */
    const char *loop = "mov %r6, 0\nl:\ncall local f\nadd %r6, 1\njlt %r6, 4, l\nmov %r0, %r6\nexit\n"
                       "f:\nexit";
    c.budget = 7;
    check(loop, &c, (expect){FC_OK, 4, 0});
    c.budget = 6;
    check(loop, &c, (expect){FC_ERR_BUDGET, 0, 1});
    /* recursion: the depth error comes before the budget error */
    const char *rec = "call local f\nexit\nf:\ncall local f\nexit";
    c.budget = 100;
    check(rec, &c, (expect){FC_ERR_CALL_DEPTH, 0, 2});
    c.budget = 3;                         /* main's call, then 2 of f's */
    check(rec, &c, (expect){FC_ERR_BUDGET, 0, 2});
    /* fan-out: 4 calls per level, 4 levels (4+16+64+256 = 340 calls) */
    const char *fan = "call local a\ncall local a\ncall local a\ncall local a\nmov %r0, 1\nexit\n"
                      "a:\ncall local b\ncall local b\ncall local b\ncall local b\nexit\n"
                      "b:\ncall local d\ncall local d\ncall local d\ncall local d\nexit\n"
                      "d:\ncall local e\ncall local e\ncall local e\ncall local e\nexit\ne:\nexit";
    c.budget = 340;
    check(fan, &c, (expect){FC_OK, 1, 0});
    c.budget = 339;
    check(fan, &c, (expect){FC_ERR_BUDGET, 0, 19});
    c.budget = 200;                       /* call 201: the 2nd of d's at pc 17 */
    check(fan, &c, (expect){FC_ERR_BUDGET, 0, 17});
}

/* a write to r10 is malformed (fc_insn_check): every engine stops there */
Test(t2_emu, writes_to_r10_are_bad_instructions)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    static const char *const w[] = {
        "mov %r10, 1", "mov %r10, %r1", "add %r10, -8", "add32 %r10, 0", "lddw %r10, 0x1234",
        "ldxw %r10, [%r1+0]", "neg %r10",
    };
    for (unsigned k = 0; k < sizeof w / sizeof w[0]; k++) {
        char src[200];
        snprintf(src, sizeof src, "mov %%r0, 3\nmov %%r6, 1\n%s\nmov %%r0, %%r10\nexit", w[k]);
        check(src, &c, (expect){FC_ERR_BAD_INSN, 0, 2});
    }
}

Test(t2_emu, helpers_through_the_trampoline)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    check("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nlddw %r5, 0x100000005\ncall 1\nexit", &c,
          (expect){FC_OK, 1 + 4 + 9 + 16 + 5 * 0x100000005ull, 0});
    /* r1..r5 keep their values across a helper call */
    check("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\ncall 1\nmov %r0, %r5\nexit",
          &c, (expect){FC_OK, 5, 0});
    check("call 9\nexit", &c, (expect){FC_ERR_HELPER_UNKNOWN, 0, 0});
    check("call 7\nexit", &c, (expect){FC_ERR_HELPER_DENIED, 0, 0});
    check("mov %r1, 0\ncall 5\nexit", &c, (expect){FC_ERR_UNWIND, 0, 1});
    check("mov %r1, 3\ncall 5\nexit", &c, (expect){FC_OK, 3, 0});
    check("mov %r2, 5\nmov %r1, 4\ncall %r2\nexit", &c, (expect){FC_OK, 4, 0});
    check("lddw %r2, 0x100000005\nmov %r1, 4\ncall %r2\nexit", &c,
          (expect){FC_ERR_HELPER_UNKNOWN, 0, 3});
    /* the helper sees the context and the stack of the current depth */
    check("mov %r2, 4\ncall 2\nldxb %r1, [%r1]\nadd %r0, %r1\nexit", &c, (expect){FC_OK, 10 + 0x5a, 0});
    check("stw [%r10-4], 0x01010101\nmov %r1, %r10\nsub %r1, 4\nmov %r2, 4\ncall 2\n"
          "ldxw %r1, [%r10-4]\nadd %r0, %r1\nexit", &c, (expect){FC_OK, 4 + 0x5a5a5a5a, 0});
    check("call local f\nexit\nf:\nmov %r1, %r10\nadd %r1, 8\nmov %r2, 4\ncall 2\nexit", &c,
          (expect){FC_OK, 0, 0});
    check("mov %r1, %r10\nadd %r1, 8\nmov %r2, 4\ncall 2\nexit", &c,
          (expect){FC_ERR_HELPER_FAULT, 0, 3});
}

Test(t2_emu, atomics)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    check("stdw [%r10-8], 40\nmov %r1, 2\nlock add [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit", &c,
          (expect){FC_OK, 42, 0});
    check("stw [%r10-8], 40\nmov %r1, 2\nlock fetch add32 [%r10-8], %r1\nmov %r0, %r1\nexit", &c,
          (expect){FC_OK, 40, 0});
    /* unaligned 32-bit: the interrupt-masked path */
    check("mov %r2, 0x7f\nlock fetch or32 [%r1+1], %r2\nldxw %r0, [%r1+1]\nlsh %r0, 8\nor %r0, %r2\n"
          "exit", &c, (expect){FC_OK, 0x0505077f02ull, 0});
    check("lddw %r0, 0x0807060504030201\nlddw %r2, 0x1122334455667788\n"
          "lock cmpxchg [%r1], %r2\nldxdw %r0, [%r1]\nexit", &c, (expect){FC_OK, 0x1122334455667788ull, 0});
    check("mov %r0, 0x04030201\nmov %r2, 99\nlock cmpxchg32 [%r1], %r2\nldxw %r3, [%r1]\n"
          "add %r0, %r3\nexit", &c, (expect){FC_OK, 0x04030201 + 99, 0});
    check("mov %r0, 5\nmov %r2, 99\nlock cmpxchg32 [%r1+3], %r2\nexit", &c,
          (expect){FC_OK, 0x07060504, 0});
    check("lddw %r2, 0xff00ff00ff00ff00\nlock fetch xor [%r1+4], %r2\nldxdw %r0, [%r1+4]\n"
          "xor %r0, %r2\nexit", &c, (expect){FC_OK, 0x0c0b0a0908070605ull ^ 0xff00ff00ff00ff00ull ^
                                                   0x0c0b0a0908070605ull, 0});
    check("mov %r2, 1\nlock xchg [%r1+9], %r2\nexit", &c, (expect){FC_ERR_MEM_WRITE, 0, 1});
    c.ctx_perm = FC_PERM_R;
    check("mov %r2, 1\nlock add32 [%r1], %r2\nexit", &c, (expect){FC_ERR_MEM_WRITE, 0, 1});
}

Test(t2_emu, sections_through_relocations)
{
    static const uint8_t ro[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    static const uint8_t da[4] = {1, 2, 3, 4};
    fc_emu_case c = ctx_case(ctx16, 16);
    c.rodata = ro;
    c.rodata_len = 8;
    c.data = da;
    c.data_len = 4;
    c.bss_len = 16;
    check("lddw %r1, .rodata+4\nldxw %r0, [%r1]\nexit", &c, (expect){FC_OK, 0x88776655, 0});
    check("lddw %r1, .rodata\nstb [%r1], 0\nexit", &c, (expect){FC_ERR_MEM_WRITE, 0, 2});
    check("lddw %r1, .data+2\nsth [%r1], 0x4242\nlddw %r2, .data\nldxw %r0, [%r2]\nexit", &c,
          (expect){FC_OK, 0x42420201, 0});
    check("lddw %r1, .bss+8\nstdw [%r1], -1\nldxdw %r0, [%r1]\nldxb %r2, [%r1+8]\nexit", &c,
          (expect){FC_ERR_MEM_READ, 0, 4});
}

Test(t2_emu, bad_programs_fail_like_the_interpreter)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    check("mov %r0, 1", &c, (expect){FC_ERR_BAD_PROGRAM, 0, 1});
    check("mov %r0, 1\nja +5\nexit", &c, (expect){FC_ERR_BAD_PROGRAM, 0, 1});
    check("mov %r0, 1\njeq %r0, 1, -3\nexit", &c, (expect){FC_ERR_BAD_PROGRAM, 0, 1});
    /* a jump into the second slot of an lddw executes it */
    check("ja +1\nlddw %r0, 5\nexit", &c, (expect){FC_ERR_BAD_INSN, 0, 2});
}

/* ---- random programs ------------------------------------------------------------ */

typedef struct gen {
    uint64_t s;
    fc_insn *p;
    uint32_t n, cap;
} gen;

static uint64_t rnd(gen *g)
{
    g->s ^= g->s << 13;
    g->s ^= g->s >> 7;
    g->s ^= g->s << 17;
    return g->s;
}
static unsigned pick(gen *g, unsigned n) { return (unsigned)(rnd(g) % n); }

static void emit(gen *g, uint8_t op, unsigned d, unsigned s, int16_t off, int32_t imm)
{
    cr_assert(g->n < g->cap);
    g->p[g->n++] = fc_insn_make(op, d, s, off, imm);
}

static int32_t rimm(gen *g)
{
    static const int32_t edge[] = {0, 1, -1, 2, 7, 31, 32, 33, 63, 64, 65, 255, 0x7fffffff,
                                   (int32_t)0x80000000, 0x10000, 0xffff, -256, 0x12345678};
    return pick(g, 3) ? edge[pick(g, sizeof edge / sizeof edge[0])] : (int32_t)rnd(g);
}

/* registers the random ALU may write: r0..r8 (r9 holds the context, r10 the frame) */
static unsigned rdst(gen *g) { return pick(g, 9); }
static unsigned rsrc(gen *g) { return pick(g, 11); }

static void gen_alu(gen *g)
{
    static const uint8_t ops[] = {FC_ALU_ADD, FC_ALU_SUB, FC_ALU_MUL, FC_ALU_DIV, FC_ALU_OR,
                                  FC_ALU_AND, FC_ALU_LSH, FC_ALU_RSH, FC_ALU_NEG, FC_ALU_MOD,
                                  FC_ALU_XOR, FC_ALU_MOV, FC_ALU_ARSH, FC_ALU_END};
    uint8_t aop = ops[pick(g, sizeof ops)];
    uint8_t cls = pick(g, 2) ? FC_CLS_ALU64 : FC_CLS_ALU;
    int x = pick(g, 2);
    unsigned d = rdst(g), s = rsrc(g);
    int16_t off = 0;
    int32_t k = rimm(g);
    if (aop == FC_ALU_NEG) {
        emit(g, cls | aop, d, 0, 0, 0);
        return;
    }
    if (aop == FC_ALU_END) {
        static const int32_t w[] = {16, 32, 64};
        if (cls == FC_CLS_ALU64)
            emit(g, cls | aop, d, 0, 0, w[pick(g, 3)]);
        else
            emit(g, cls | aop | (pick(g, 2) ? FC_SRC_X : 0), d, 0, 0, w[pick(g, 3)]);
        return;
    }
    if ((aop == FC_ALU_DIV || aop == FC_ALU_MOD) && pick(g, 2))
        off = 1;
    if (aop == FC_ALU_MOV && x && pick(g, 3) == 0) {
        static const int16_t sx[] = {8, 16, 32};
        off = sx[pick(g, cls == FC_CLS_ALU64 ? 3 : 2)];
    }
    if (x)
        emit(g, cls | FC_SRC_X | aop, d, s, off, 0);
    else
        emit(g, cls | FC_SRC_K | aop, d, 0, off, k);
}

/* loads/stores/atomics through r10 (frame), r9 (context) or a register */
static void gen_mem(gen *g)
{
    static const uint8_t sz[] = {FC_SZ_B, FC_SZ_H, FC_SZ_W, FC_SZ_DW};
    uint8_t size = sz[pick(g, 4)];
    unsigned base, kind = pick(g, 10);
    int16_t off;
    switch (pick(g, 4)) {
    case 0: case 1:
        base = 10;
        off = (int16_t)(-(int)pick(g, 530) + (pick(g, 8) == 0 ? 16 : 0));
        break;
    case 2:
        base = 9;
        off = (int16_t)((int)pick(g, 40) - 4);
        break;
    default:
        base = rsrc(g);
        off = (int16_t)((int)pick(g, 64) - 32);
        break;
    }
    if (kind < 4) {
        int sx = size != FC_SZ_DW && pick(g, 3) == 0;
        emit(g, FC_CLS_LDX | size | (sx ? FC_MODE_MEMSX : FC_MODE_MEM), rdst(g), base, off, 0);
    } else if (kind < 6) {
        emit(g, FC_CLS_ST | size | FC_MODE_MEM, base, 0, off, rimm(g));
    } else if (kind < 9) {
        emit(g, FC_CLS_STX | size | FC_MODE_MEM, base, rsrc(g), off, 0);
    } else {
        static const int32_t aops[] = {FC_ATOMIC_ADD, FC_ATOMIC_OR, FC_ATOMIC_AND, FC_ATOMIC_XOR,
                                       FC_ATOMIC_ADD | FC_ATOMIC_FETCH, FC_ATOMIC_OR | FC_ATOMIC_FETCH,
                                       FC_ATOMIC_AND | FC_ATOMIC_FETCH, FC_ATOMIC_XOR | FC_ATOMIC_FETCH,
                                       FC_ATOMIC_XCHG, FC_ATOMIC_CMPXCHG};
        uint8_t asz = pick(g, 2) ? FC_SZ_W : FC_SZ_DW;
        emit(g, FC_CLS_STX | asz | FC_MODE_ATOMIC, base, rdst(g), off, aops[pick(g, 10)]);
    }
}

static void gen_jcc(gen *g, uint32_t end)
{
    static const uint8_t j[] = {FC_JMP_JEQ, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JSET, FC_JMP_JNE,
                                FC_JMP_JSGT, FC_JMP_JSGE, FC_JMP_JLT, FC_JMP_JLE, FC_JMP_JSLT,
                                FC_JMP_JSLE};
    uint8_t cls = pick(g, 2) ? FC_CLS_JMP : FC_CLS_JMP32;
    uint32_t room = end - g->n - 1;
    int16_t off = (int16_t)(room ? pick(g, room < 12 ? room : 12) : 0);
    if (pick(g, 2))
        emit(g, cls | FC_SRC_X | j[pick(g, 11)], rsrc(g), rsrc(g), off, 0);
    else
        emit(g, cls | FC_SRC_K | j[pick(g, 11)], rsrc(g), 0, off, rimm(g));
}

/* one random program: lddw of every register, a body, maybe a loop, exit */
static void gen_prog(gen *g)
{
    g->n = 0;
    emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, 9, 1, 0, 0);   /* r9 = ctx */
    for (unsigned r = 0; r < 9; r++)
        if (pick(g, 3)) {
            uint64_t v = pick(g, 2) ? (uint64_t)rimm(g) : rnd(g);
            emit(g, FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, r, 0, 0, (int32_t)v);
            emit(g, 0, 0, 0, 0, (int32_t)(v >> 32));
        }
    uint32_t body = 8 + pick(g, 40);
    int loop = pick(g, 3) == 0;
    uint32_t loop_start = 0;
    if (loop) {
        /* r8 counts down from a small number; the budget may run out */
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, 8, 0, 0, 1 + (int32_t)pick(g, 6));
        loop_start = g->n;
    }
    uint32_t end = g->n + body;
    while (g->n < end) {
        unsigned k = pick(g, 20);
        if (k < 11)
            gen_alu(g);
        else if (k < 16)
            gen_mem(g);
        else if (k < 18)
            gen_jcc(g, end);
        else if (k == 18) {
            emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, 0, 0, pick(g, 4) ? 1 : 5);  /* mix / unwind */
        } else {
            emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_LOCAL, 0, 0);        /* patched below */
        }
    }
    if (loop) {
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_SUB, 8, 0, 0, 1);
        emit(g, FC_CLS_JMP | FC_SRC_K | FC_JMP_JSGT, 8, 0,
             (int16_t)((int32_t)loop_start - (int32_t)g->n - 1), 0);
    }
    emit(g, FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
    /* the subprogram: a few ALU instructions on r0..r5 and its own frame */
    uint32_t fn = g->n;
    for (unsigned k = 0; k < 4; k++)
        emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_ADD, pick(g, 6), pick(g, 6), 0, 0);
    emit(g, FC_CLS_STX | FC_SZ_DW | FC_MODE_MEM, 10, 0, -8, 0);
    emit(g, FC_CLS_LDX | FC_SZ_DW | FC_MODE_MEM, 6, 10, -8, 0);     /* r6: restored by return */
    emit(g, FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
    for (uint32_t i = 0; i < fn; i++)
        if (g->p[i].op == (FC_CLS_JMP | FC_JMP_CALL) && fc_src(g->p[i]) == FC_CALL_LOCAL)
            g->p[i].imm = (int32_t)(fn - i - 1);
}

Test(t2_emu, random_programs_agree, .timeout = 600)
{
    static fc_insn buf[512];
    uint8_t ctx[32];
    gen g = {0x853c49e6748fea9bull, buf, 0, 512};
    static const uint32_t flags[] = {0, FC_BK_CHECK_ALL, FC_BK_NO_OPT};
    unsigned runs = 0, errs[FC_ERR__COUNT] = {0};
    const char *env = getenv("FC_T2_RANDOM");
    unsigned total = env ? (unsigned)atoi(env) : 1500;

    for (unsigned t = 0; t < total; t++) {
        gen_prog(&g);
        for (unsigned k = 0; k < sizeof ctx; k++)
            ctx[k] = (uint8_t)rnd(&g);
        fc_emu_case c = ctx_case(ctx, sizeof ctx);
        c.budget = 1 + pick(&g, 8);
        for (unsigned f = 0; f < 3; f++) {
            fc_emu_outcome oi, on;
            char msg[300];
            c.insns = buf;
            c.n = g.n;
            c.bk_flags = flags[f];
            int d = fc_emu_diff(emu, &c, &oi, &on, msg, sizeof msg);
            if (d != 0) {
                char line[160];
                fprintf(stderr, "program %u (flags %u), %u slots, budget %llu, ctx:", t, flags[f], g.n,
                        (unsigned long long)c.budget);
                for (unsigned k = 0; k < sizeof ctx; k++)
                    fprintf(stderr, " %02x", ctx[k]);
                fprintf(stderr, "\n");
                for (uint32_t i = 0; i < g.n; i++) {
                    fc_insn x = buf[i];
                    snprintf(line, sizeof line, "  %3u: %02x %x %x %6d %d", i, x.op, fc_dst(x),
                             fc_src(x), x.off, x.imm);
                    fprintf(stderr, "%s\n", line);
                }
            }
            cr_assert_eq(d, 0, "program %u flags %u: %s", t, flags[f], msg);
            if (oi.err >= 0 && oi.err < FC_ERR__COUNT)
                errs[oi.err]++;
            runs++;
        }
    }
    /* the generator must reach the interesting outcomes, or it tests little */
    cr_assert_gt(errs[FC_OK], runs / 20, "only %u successful runs of %u", errs[FC_OK], runs);
    cr_assert_gt(errs[FC_ERR_MEM_READ] + errs[FC_ERR_MEM_WRITE], runs / 20);
    cr_assert_gt(errs[FC_ERR_BUDGET], 0);
    cr_assert_gt(errs[FC_ERR_UNWIND], 0);
    cr_log_info("%u runs: ok %u, read %u, write %u, budget %u, unwind %u, depth %u", runs,
                errs[FC_OK], errs[FC_ERR_MEM_READ], errs[FC_ERR_MEM_WRITE], errs[FC_ERR_BUDGET],
                errs[FC_ERR_UNWIND], errs[FC_ERR_CALL_DEPTH]);
}

/* ---- listings: the printer decodes everything the backend emits ---------------- */
unsigned t2_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

static int count_lines(void *ctx, const char *text, size_t len)
{
    (void)text;
    cr_assert(len > 0 && text[len - 1] == '\n');
    (*(unsigned *)ctx)++;
    return 0;
}

Test(t2_emu, listing_decodes_all_generated_code)
{
    static fc_insn buf[512];
    static uint8_t code[65536];
    static fc_bk_reloc rel[1024];
    static fc_bk_pcmap map[8192];
    gen g = {0x1234567887654321ull, buf, 0, 512};
    const fc_backend *b = fc_backend_find("thumbv7m");
    cr_assert(b && b->disasm);
    for (unsigned t = 0; t < 300; t++) {
        gen_prog(&g);
        fc_prog p;
        memset(&p, 0, sizeof p);
        p.insns = buf;
        p.ninsns = g.n;
        size_t wl = b->work_size(&p);
        void *w = malloc(wl);
        fc_bk_out out;
        memset(&out, 0, sizeof out);
        out.code = code;
        out.code_cap = sizeof code;
        out.relocs = rel;
        out.relocs_cap = 1024;
        out.pcmap = map;
        out.pcmap_cap = 8192;
        fc_bk_opts o = {t % 3 == 1 ? FC_BK_CHECK_ALL : t % 3 == 2 ? FC_BK_NO_OPT : 0, NULL, 0};
        cr_assert_eq(b->compile(&p, NULL, &o, w, wl, &out, NULL), FC_BK_OK);
        free(w);
        for (uint32_t off = 0; off < out.code_len;) {
            char text[128];
            unsigned n = b->disasm(code, out.code_len, off, off, text, sizeof text);
            cr_assert(n == 2 || n == 4, "program %u: undecodable at 0x%x: %02x%02x %02x%02x", t, off,
                      code[off + 1], code[off], code[off + 3], code[off + 2]);
            cr_assert(text[0], "program %u: empty text at 0x%x", t, off);
            off += n;
        }
        unsigned lines = 0;
        cr_assert_eq(fc_backend_listing(b, &p, &out, count_lines, &lines), 0);
        cr_assert_gt(lines, out.npcmap);
    }
}

/* ---- every row of the opcode table, with edge operands ------------------------ */
Test(t2_emu, every_opcode_row_agrees)
{
    static const uint64_t vals[][2] = {
        {0x123456789abcdef0ull, 0x0fedcba987654321ull}, {0, 0}, {1, ~0ull},
        {0x8000000000000000ull, ~0ull}, {0xffffffff80000000ull, 0xffffffffull}, {5, 0},
        {0x00000000ffffffffull, 0x100000001ull}, {~0ull, 63}, {0x7fffffff, 33},
    };
    static const int32_t imms[] = {7, 0, -1, 31, 32, 63, (int32_t)0x80000000, 0x7fffffff, -77};
    unsigned rows = 0, runs = 0;
    fc_emu_case c = ctx_case(ctx16, 16);

    for (unsigned id = 1; id < FC_OP_COUNT; id++) {
        const fc_opinfo *r = &fc_opinfo_table[id];
        int16_t disc_off = r->disc == FC_DISC_OFF ? r->disc_value : 0;
        int32_t disc_imm = r->disc == FC_DISC_IMM ? r->disc_value : 0;
        rows++;
        for (unsigned v = 0; v < sizeof vals / sizeof vals[0]; v++) {
            fc_insn p[32];
            unsigned n = 0;
            int32_t k = imms[v];
            /* r3 = a, r4 = b, r5 = helper 1, [r10-16] = b */
            p[n++] = fc_insn_make(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 3, 0, 0, (int32_t)vals[v][0]);
            p[n++] = fc_insn_make(0, 0, 0, 0, (int32_t)(vals[v][0] >> 32));
            p[n++] = fc_insn_make(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 4, 0, 0, (int32_t)vals[v][1]);
            p[n++] = fc_insn_make(0, 0, 0, 0, (int32_t)(vals[v][1] >> 32));
            p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_ALU_MOV, 5, 0, 0, 1);
            p[n++] = fc_insn_make(FC_CLS_STX | FC_SZ_DW | FC_MODE_MEM, 10, 4, -16, 0);
            p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_ALU_MOV, 0, 0, 0, 9);
            unsigned at = n;
            switch ((enum fc_fmt)r->fmt) {
            case FC_FMT_ALU_K: p[n++] = fc_insn_make(r->opcode, 3, 0, disc_off, k); break;
            case FC_FMT_ALU_X: p[n++] = fc_insn_make(r->opcode, 3, 4, disc_off, 0); break;
            case FC_FMT_NEG: p[n++] = fc_insn_make(r->opcode, 3, 0, 0, 0); break;
            case FC_FMT_END: p[n++] = fc_insn_make(r->opcode, 3, 0, 0, disc_imm); break;
            case FC_FMT_LDDW:
                p[n++] = fc_insn_make(r->opcode, 3, 0, 0, k);
                p[n++] = fc_insn_make(0, 0, 0, 0, (int32_t)vals[v][1]);
                break;
            case FC_FMT_LDX: p[n++] = fc_insn_make(r->opcode, 3, 10, (int16_t)(-16 + (int)v % 3), 0); break;
            case FC_FMT_ST: p[n++] = fc_insn_make(r->opcode, 10, 0, (int16_t)(-16 + (int)v % 3), k); break;
            case FC_FMT_STX: p[n++] = fc_insn_make(r->opcode, 10, 4, (int16_t)(-16 + (int)v % 3), 0); break;
            case FC_FMT_ATOMIC:
                p[n++] = fc_insn_make(r->opcode, 10, 3, (int16_t)(-16 + (v % 2) * 4 + (int)(v == 5)), disc_imm);
                break;
            case FC_FMT_JA: p[n++] = fc_insn_make(r->opcode, 0, 0, 1, 0); break;
            case FC_FMT_JA32: p[n++] = fc_insn_make(r->opcode, 0, 0, 0, 1); break;
            case FC_FMT_JCC_K: p[n++] = fc_insn_make(r->opcode, 3, 0, 1, k); break;
            case FC_FMT_JCC_X: p[n++] = fc_insn_make(r->opcode, 3, 4, 1, 0); break;
            case FC_FMT_CALL:
                if (v % 2)
                    p[n++] = fc_insn_make(r->opcode, 0, FC_CALL_LOCAL, 0, 0);   /* patched */
                else
                    p[n++] = fc_insn_make(r->opcode, 0, FC_CALL_HELPER, 0, 1);
                break;
            case FC_FMT_CALLX: p[n++] = fc_insn_make(r->opcode, 5, 0, 0, 0); break;
            case FC_FMT_EXIT: p[n++] = fc_insn_make(r->opcode, 0, 0, 0, 0); break;
            }
            /* a jump taken skips this one */
            p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_ALU_MOV, 3, 0, 0, 12345);
            /* r0 = r0 ^ r3 ^ r4 ^ [r10-16] */
            p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_XOR, 0, 3, 0, 0);
            p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_XOR, 0, 4, 0, 0);
            p[n++] = fc_insn_make(FC_CLS_LDX | FC_SZ_DW | FC_MODE_MEM, 6, 10, -16, 0);
            p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_XOR, 0, 6, 0, 0);
            p[n++] = fc_insn_make(FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
            if (r->fmt == FC_FMT_CALL && (v % 2)) {
                p[at].imm = (int32_t)(n - at - 1);
                p[n++] = fc_insn_make(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_ADD, 3, 4, 0, 0);
                p[n++] = fc_insn_make(FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
            }
            static const uint32_t flags[] = {0, FC_BK_CHECK_ALL, FC_BK_NO_OPT};
            for (unsigned f = 0; f < 3; f++) {
                fc_emu_outcome oi, on;
                char msg[300];
                c.insns = p;
                c.n = n;
                c.bk_flags = flags[f];
                int d = fc_emu_diff(emu, &c, &oi, &on, msg, sizeof msg);
                cr_assert_eq(d, 0, "row %s (0x%02x) values %u flags %u: %s", r->mnemonic, r->opcode, v,
                             flags[f], msg);
                cr_assert_eq(on.err, FC_OK, "row %s values %u: %s", r->mnemonic, v, fc_err_str(on.err));
                runs++;
            }
        }
    }
    cr_assert_eq(rows, FC_OP_COUNT - 1);
    cr_log_info("%u opcode rows, %u runs", rows, runs);
}

/* ---- the register allocation of leaf programs, budget pads, span cache ------- */

/* few live halves and a checked access in a loop: the span of the context
 * lives in two registers; the loop reads past the end on its last turn */
Test(t2_emu, span_cache_and_pads)
{
    fc_emu_case c = ctx_case(ctx16, 16);
    /* two reads per turn of the same span: worth its two registers */
    static const char *sum = "mov32 %r0, 0\nmov32 %r2, 0\nldxb %r4, [%r1]\nadd32 %r0, %r4\n"
                             "ldxb %r4, [%r1+1]\nadd32 %r0, %r4\nadd %r1, 2\nadd32 %r2, 1\n"
                             "jlt32 %r2, %r3, -7\nexit";
    char src[400];
    snprintf(src, sizeof src, "mov %%r3, 8\n%s", sum);
    check(src, &c, (expect){FC_OK, 136, 0});
    snprintf(src, sizeof src, "mov %%r3, 9\n%s", sum);
    check(src, &c, (expect){FC_ERR_MEM_READ, 0, 3});
    /* writes: the wr span */
    check("mov %r3, 8\nmov32 %r2, 0\nstb [%r1], 9\nstb [%r1+1], 8\nadd %r1, 2\nadd32 %r2, 1\n"
          "jlt32 %r2, %r3, -5\nldxb %r0, [%r1-2]\nexit", &c, (expect){FC_OK, 9, 0});
    /* two back-edges to one target (two pads), budget running out on either */
    const char *two = "mov %r0, 0\nl:\nadd %r0, 1\njeq %r0, 5, x\njlt %r0, 3, l\njlt %r0, 9, l\n"
                      "x:\nexit";
    check(two, &c, (expect){FC_OK, 5, 0});
    c.budget = 3;
    check(two, &c, (expect){FC_ERR_BUDGET, 0, 4});
    c.budget = 1;
    check(two, &c, (expect){FC_ERR_BUDGET, 0, 3});
    c.budget = 0;
    /* the high half of a pointer in a register: its test, and the error
     * address it reports */
    check("lddw %r2, 0x100000000\nadd %r2, %r1\nmov %r3, 0\nl:\nldxb %r0, [%r2]\nadd %r3, 1\n"
          "jlt %r3, 4, l\nexit", &c, (expect){FC_ERR_MEM_READ, 0, 4});
}
