/*
 * diff_random.c - diff-random: generated eBPF programs through the
 * interpreter, the Thumb-2 backend (Cortex-M3 in Unicorn) and the RV32IMAC
 * backend (SiFive E31 in Unicorn), compared exactly.
 *
 *   diff-random [-n COUNT] [-s SEED] [-j JOBS] [--only INDEX [-S]] [--corpus DIR]
 *               [--xt N] [-v]
 *
 * JOBS worker processes (default 2) share the programs (index modulo JOBS),
 * each with its own emulators; the results do not depend on JOBS.
 *
 * Program INDEX comes from its own generator state (derived from SEED and
 * INDEX), so `--only INDEX` rebuilds and reruns one program of a run (-S:
 * with the native code of each run listed). --corpus DIR also writes each
 * verified program into DIR in the input layout of tests/fuzz/fuzz_diff.c
 * (the seed corpus of `make fuzz-diff`). --xt N: programs
 * 0..N-1 also run on every Xtensa engine (sim/fc_xt_diff.h: lx106 and
 * esp32 in qemu-xtensa), each with the same option sets; one QEMU process per engine
 * and worker for the whole run.
 *
 * What a program holds (every class of RFC 9669 plus femtoc's forms):
 *   ALU and ALU64 with immediates and registers: add sub mul div sdiv or and
 *   lsh rsh neg mod smod xor mov movsx arsh, le/be 16/32/64, bswap16/32/64;
 *   lddw (immediates and section addresses); loads, sign-extending loads,
 *   stores of immediates and registers, atomics (add/or/and/xor with and
 *   without fetch, xchg, cmpxchg; 32 and 64 bits), each through the frame
 *   pointer, the context, a section, a computed pointer or any register,
 *   in bounds and out of bounds; forward conditional jumps (JMP and JMP32,
 *   immediate and register), ja and ja32; counted loops whose back edge may
 *   or may not exhaust the budget, and endless loops; local calls in chains
 *   (call depth against a per-case limit) that use their caller's frame;
 *   helper calls (arithmetic, memory, unwinding, denied, unknown, the
 *   runtime's memcpy, callx).
 * Half the programs are "safe": built so that the verifier usually accepts
 * them; those run with the verifier's facts (proven accesses unchecked) as
 * well, which is where a wrong proof would show.
 *
 * Each case runs in the interpreter and in both emulators (fc_emu_diff: r0,
 * error code, error instruction, fault address, budget left, context, .data,
 * .bss and stack bytes). A mismatch prints the case and the program's
 * disassembly. At the end the run checks its own coverage: every opcode row
 * of the ISA table generated, every outcome reached; a gap counts as a
 * failure. Last line: `diff-random: N passed, N failed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fc_disasm.h"
#include "fc_emu.h"
#include "fc_helpers.h"
#include "diff_helpers.h"
#include "fc_verify.h"
#include "fc_xt_diff.h"

#define DEFAULT_SEED  0x6a09e667f3bcc908ull
#define DEFAULT_COUNT 10000u
#define CAP 1200u                 /* slots per program */
#define MAX_SUBS 4u
#define MAX_FIX 256u

/* ---- helpers the programs call ------------------------------------------ */
#define H_MIX     0x80u   /* r1 + 3 r2 - r3 ^ (r4 << 7) + r5 */
#define H_SUM     0x81u   /* sum of the r2 bytes at r1 (read-write), each +1 */
#define H_UNWIND  0x82u   /* stops the program when r1 % 8 == 0 */
#define H_DENIED  0x83u   /* registered, not in the allowlist */
#define H_UNKNOWN 0x99u   /* not registered */

static uint64_t h_denied(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm, (void)b, (void)c, (void)d, (void)e;
    return ~a;
}

static const fc_helper helpers[] = {
    {FC_HELPER_MEMCPY, fc_helper_memcpy, "memcpy"},
    {H_MIX, h_mix, "mix"},
    {H_SUM, h_sum, "sum"},
    {H_UNWIND, h_unwind, "unwind"},
    {H_DENIED, h_denied, "denied"},
};
static const uint32_t allow[] = {FC_HELPER_MEMCPY, H_MIX, H_SUM, H_UNWIND};
#define NALLOW (sizeof allow / sizeof allow[0])

/* ---- the generator ---------------------------------------------------------- */
typedef struct fix {
    uint32_t site;     /* instruction to patch */
    uint32_t target;   /* block index (jumps) or subprogram index (calls) */
    uint8_t kind;      /* 0 jump off, 1 ja32 imm, 2 local call */
} fix;

typedef struct gen {
    uint64_t s;
    fc_insn p[CAP];
    uint32_t n;
    int overflow;
    int safe;
    int in_loop;                 /* generating a loop body */
    uint32_t ctx_len;
    uint32_t ro_len, data_len, bss_len;  /* 0: section absent */
    unsigned nsub;
    uint32_t sub_at[MAX_SUBS];
    uint32_t blk[64];            /* main body block starts */
    unsigned nblk;
    fix fx[MAX_FIX];
    unsigned nfx;
    int has_loop;
} gen;

static uint64_t rnd(gen *g)
{
    /* xorshift64* */
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 0x2545f4914f6cdd1dull;
}
static unsigned pick(gen *g, unsigned n) { return n ? (unsigned)(rnd(g) % n) : 0; }
static int chance(gen *g, unsigned pct) { return pick(g, 100) < pct; }

static uint64_t splitmix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void emit(gen *g, uint8_t op, unsigned d, unsigned s, int16_t off, int32_t imm)
{
    if (g->n >= CAP) {
        g->overflow = 1;
        return;
    }
    g->p[g->n++] = fc_insn_make(op, d, s, off, imm);
}

static void add_fix(gen *g, uint32_t site, uint32_t target, uint8_t kind)
{
    if (g->nfx < MAX_FIX)
        g->fx[g->nfx++] = (fix){site, target, kind};
    else
        g->overflow = 1;
}

static int32_t rimm(gen *g)
{
    static const int32_t edge[] = {0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 127, 128, 255,
                                   256, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
                                   (int32_t)0x80000000, -2, -8, -128, -256, -32768, 0x12345678,
                                   (int32_t)0xdeadbeef};
    switch (pick(g, 3)) {
    case 0: return edge[pick(g, sizeof edge / sizeof edge[0])];
    case 1: return (int32_t)pick(g, 64) - 16;
    default: return (int32_t)rnd(g);
    }
}

static uint64_t rimm64(gen *g)
{
    static const uint64_t edge[] = {0, 1, ~0ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
                                    0xffffffffull, 0x100000000ull, 0xffffffff80000000ull,
                                    0x00000000ffff0000ull, 0x0123456789abcdefull};
    return chance(g, 40) ? edge[pick(g, sizeof edge / sizeof edge[0])]
                         : chance(g, 50) ? (uint64_t)(int64_t)rimm(g) : rnd(g);
}

static void lddw(gen *g, unsigned d, uint64_t v)
{
    emit(g, FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, d, FC_LDDW_IMM, 0, (int32_t)(uint32_t)v);
    emit(g, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

static void lddw_sect(gen *g, unsigned d, int sect, uint32_t off)
{
    emit(g, FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, d, FC_LDDW_SECTION, 0, sect);
    emit(g, 0, 0, 0, 0, (int32_t)off);
}

/* a present section (1 rodata, 2 data, 3 bss) and its length, or 0 */
static int some_section(gen *g, uint32_t *len)
{
    int s[3], n = 0;
    if (g->ro_len) s[n++] = FC_SECT_RODATA;
    if (g->data_len) s[n++] = FC_SECT_DATA;
    if (g->bss_len) s[n++] = FC_SECT_BSS;
    if (!n)
        return 0;
    int k = s[pick(g, (unsigned)n)];
    *len = k == FC_SECT_RODATA ? g->ro_len : k == FC_SECT_DATA ? g->data_len : g->bss_len;
    return k;
}

/* destination registers: r0..r8 (r9 keeps the context, r10 is read-only);
 * inside loops r0..r5 (r6..r8 may count) */
static unsigned rdst(gen *g)
{
    if (g->in_loop)
        return pick(g, 6);
    if (!g->safe && chance(g, 3))
        return 9;
    return chance(g, 80) ? pick(g, 6) : 6 + pick(g, 3);
}
static unsigned rsrc(gen *g) { return pick(g, 11); }

/* ---- ALU ---- */
static void gen_alu(gen *g)
{
    static const uint8_t ops[] = {FC_ALU_ADD, FC_ALU_SUB, FC_ALU_MUL, FC_ALU_DIV, FC_ALU_OR,
                                  FC_ALU_AND, FC_ALU_LSH, FC_ALU_RSH, FC_ALU_NEG, FC_ALU_MOD,
                                  FC_ALU_XOR, FC_ALU_MOV, FC_ALU_ARSH, FC_ALU_END};
    uint8_t aop = ops[pick(g, sizeof ops)];
    int is64 = chance(g, 55);
    uint8_t cls = is64 ? FC_CLS_ALU64 : FC_CLS_ALU;
    unsigned d = rdst(g), s = rsrc(g);
    int x = chance(g, 50);
    int16_t off = 0;
    int32_t k = rimm(g);

    switch (aop) {
    case FC_ALU_NEG:
        emit(g, cls | FC_SRC_K | aop, d, 0, 0, 0);
        return;
    case FC_ALU_END: {
        static const int32_t w[] = {16, 32, 64};
        if (is64)   /* bswap: source bit 0 only */
            emit(g, cls | FC_SRC_K | aop, d, 0, 0, w[pick(g, 3)]);
        else        /* le / be */
            emit(g, cls | (x ? FC_SRC_X : FC_SRC_K) | aop, d, 0, 0, w[pick(g, 3)]);
        return;
    }
    case FC_ALU_DIV:
    case FC_ALU_MOD:
        if (chance(g, 50))
            off = 1;                                /* sdiv / smod */
        if (!x && k == 0 && (g->safe || chance(g, 50)))
            k = 1 + (int32_t)pick(g, 9);            /* the verifier refuses / 0 */
        break;
    case FC_ALU_LSH:
    case FC_ALU_RSH:
    case FC_ALU_ARSH:
        /* in range for the verifier; out of range (masked) only when wild */
        if (!x && (g->safe || chance(g, 70)))
            k = (int32_t)pick(g, is64 ? 64 : 32);
        break;
    case FC_ALU_MOV:
        if (x && chance(g, 35)) {
            static const int16_t sx[] = {8, 16, 32};
            off = sx[pick(g, is64 ? 3 : 2)];        /* movsx */
        }
        break;
    }
    if (x)
        emit(g, cls | FC_SRC_X | aop, d, s, off, 0);
    else
        emit(g, cls | FC_SRC_K | aop, d, 0, off, k);
}

/* ---- memory ---- */
static const uint8_t sizes[] = {FC_SZ_B, FC_SZ_H, FC_SZ_W, FC_SZ_DW};

/* base register and offset for an access of nb bytes */
static void mem_target(gen *g, unsigned nb, unsigned *base, int16_t *off)
{
    int oob = g->safe ? 0 : chance(g, 22);
    uint32_t len;
    switch (pick(g, 10)) {
    case 0: case 1: case 2: case 3:                 /* the frame */
        *base = 10;
        if (!oob)
            *off = chance(g, 70) ? (int16_t)(-(int)(nb * (1 + pick(g, 512 / nb))))
                                 : (int16_t)(-(int)(nb + pick(g, 513 - nb)));
        else
            *off = chance(g, 50) ? (int16_t)(-(int)(513 + pick(g, 8)))
                                 : (int16_t)(-(int)nb + 1 + (int)pick(g, 12));
        return;
    case 4: case 5: case 6:                         /* the context */
        *base = 9;
        if (!oob && g->ctx_len >= nb)
            *off = (int16_t)pick(g, g->ctx_len - nb + 1);
        else if (g->safe)
            goto frame;
        else
            *off = chance(g, 70) ? (int16_t)((int)g->ctx_len - (int)nb + 1 + (int)pick(g, 8))
                                 : (int16_t)(-1 - (int)pick(g, 8));
        return;
    case 7: {                                       /* a section */
        int sect = some_section(g, &len);
        if (!sect || len < nb)
            goto frame;
        /* r8 = section address, then the access (writes to .rodata fault) */
        *base = g->in_loop ? 5 : 8;
        lddw_sect(g, *base, sect, oob ? len - nb + 1 + pick(g, 4) : pick(g, len - nb + 1));
        *off = 0;
        return;
    }
    case 8: {                                       /* a computed pointer */
        unsigned t = g->in_loop ? 4 : 7, src = pick(g, 9);
        emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, t, src, 0, 0);
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_AND, t, 0, 0, chance(g, 50) ? 15 : 63);
        if (chance(g, 50)) {
            emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_ADD, t, 9, 0, 0);
            *off = 0;
        } else {
            emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_SUB, t, 0, 0, 64);
            emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_ADD, t, 10, 0, 0);
            *off = (int16_t)(-(int)pick(g, 8) * 8);
        }
        *base = t;
        return;
    }
    default:                                        /* any register */
        if (g->safe)
            goto frame;
        *base = pick(g, 11);
        *off = (int16_t)((int)pick(g, 128) - 64);
        return;
    }
frame:
    *base = 10;
    *off = (int16_t)(-(int)(nb * (1 + pick(g, 512 / nb))));
}

static void gen_mem(gen *g)
{
    uint8_t sz = sizes[pick(g, 4)];
    unsigned kind = pick(g, 12), base;
    int16_t off;
    if (kind >= 10)
        sz = chance(g, 50) ? FC_SZ_W : FC_SZ_DW;    /* atomics: 32 or 64 bits */
    mem_target(g, fc_size_bytes(sz), &base, &off);
    if (kind < 3) {
        emit(g, FC_CLS_LDX | sz | FC_MODE_MEM, rdst(g), base, off, 0);
    } else if (kind < 5 && sz != FC_SZ_DW) {
        emit(g, FC_CLS_LDX | sz | FC_MODE_MEMSX, rdst(g), base, off, 0);
    } else if (kind < 7) {
        emit(g, FC_CLS_ST | sz | FC_MODE_MEM, base, 0, off, rimm(g));
    } else if (kind < 10) {
        emit(g, FC_CLS_STX | sz | FC_MODE_MEM, base, rsrc(g), off, 0);
    } else {
        static const int32_t aops[] = {
            FC_ATOMIC_ADD, FC_ATOMIC_OR, FC_ATOMIC_AND, FC_ATOMIC_XOR,
            FC_ATOMIC_ADD | FC_ATOMIC_FETCH, FC_ATOMIC_OR | FC_ATOMIC_FETCH,
            FC_ATOMIC_AND | FC_ATOMIC_FETCH, FC_ATOMIC_XOR | FC_ATOMIC_FETCH,
            FC_ATOMIC_XCHG, FC_ATOMIC_CMPXCHG};
        /* the source register is written by fetch forms: never r9/r10 */
        emit(g, FC_CLS_STX | sz | FC_MODE_ATOMIC, base, g->in_loop ? pick(g, 6) : pick(g, 9), off,
             aops[pick(g, 10)]);
    }
}

/* ---- jumps ---- */
static const uint8_t jccs[] = {FC_JMP_JEQ, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JSET, FC_JMP_JNE,
                               FC_JMP_JSGT, FC_JMP_JSGE, FC_JMP_JLT, FC_JMP_JLE, FC_JMP_JSLT,
                               FC_JMP_JSLE};

static void emit_jcc(gen *g, int16_t off)
{
    uint8_t cls = chance(g, 50) ? FC_CLS_JMP : FC_CLS_JMP32;
    uint8_t j = jccs[pick(g, sizeof jccs)];
    if (chance(g, 50))
        emit(g, cls | FC_SRC_X | j, rsrc(g), rsrc(g), off, 0);
    else
        emit(g, cls | FC_SRC_K | j, rsrc(g), 0, off, rimm(g));
}

/* a forward jump to a later block of the main body (patched at the end) */
static void gen_jump(gen *g, unsigned cur_blk, unsigned nblocks)
{
    uint32_t target = cur_blk + 1 + pick(g, nblocks - cur_blk < 6 ? nblocks - cur_blk : 6);
    uint32_t site = g->n;
    unsigned k = pick(g, 10);
    if (k < 8) {
        emit_jcc(g, 0);
        add_fix(g, site, target, 0);
    } else if (k == 8) {
        emit(g, FC_CLS_JMP | FC_JMP_JA, 0, 0, 0, 0);
        add_fix(g, site, target, 0);
    } else {
        emit(g, FC_CLS_JMP32 | FC_JMP_JA, 0, 0, 0, 0);   /* ja32: offset in imm */
        add_fix(g, site, target, 1);
    }
}

/* ---- calls ---- */
static void set_ptr(gen *g, unsigned r)
{
    uint32_t len;
    int sect;
    switch (pick(g, g->safe ? 3 : 5)) {
    case 0:
        emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, r, 10, 0, 0);
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_ADD, r, 0, 0, -(int32_t)(8 + 8 * pick(g, 63)));
        break;
    case 1:
        emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, r, 9, 0, 0);
        if (g->ctx_len)
            emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_ADD, r, 0, 0, (int32_t)pick(g, g->ctx_len));
        break;
    case 2:
        if ((sect = some_section(g, &len)))
            lddw_sect(g, r, sect, pick(g, len));
        else
            emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, r, 10, 0, 0);   /* just past the frame */
        break;
    case 3:
        emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, r, 10, 0, 0);
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_ADD, r, 0, 0, -(int32_t)pick(g, 600));
        break;
    default:
        lddw(g, r, rimm64(g));
        break;
    }
}

static void set_arg(gen *g, unsigned r)
{
    if (chance(g, 50))
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, r, 0, 0, rimm(g));
    else if (chance(g, 50))
        lddw(g, r, rimm64(g));
    /* else: whatever r holds */
}

static void gen_helper(gen *g)
{
    unsigned k = pick(g, g->safe ? 8 : 12);
    switch (k) {
    case 0: case 1:
        for (unsigned r = 1; r <= 5; r++)
            set_arg(g, r);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_MIX);
        break;
    case 2: case 3:
        set_ptr(g, 1);
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, 2, 0, 0,
             g->safe ? (int32_t)pick(g, 9) : chance(g, 90) ? (int32_t)pick(g, 24) : 100);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_SUM);
        break;
    case 4: case 5:
        set_ptr(g, 1);
        set_ptr(g, 2);
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, 3, 0, 0, (int32_t)pick(g, g->safe ? 9 : 24));
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, FC_HELPER_MEMCPY);
        break;
    case 6: case 7:
        if (chance(g, 50))
            set_arg(g, 1);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_UNWIND);
        break;
    case 8:
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_DENIED);
        break;
    case 9:
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_UNKNOWN);
        break;
    default: {
        /* callx: the helper number in a register */
        static const uint32_t ids[] = {H_MIX, H_UNWIND, H_DENIED, H_UNKNOWN, H_SUM};
        unsigned r = 5;
        if (chance(g, 80))
            emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, r, 0, 0, (int32_t)ids[pick(g, 5)]);
        emit(g, FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL, r, 0, 0, 0);
        break;
    }
    }
}

static void gen_local_call(gen *g)
{
    if (!g->nsub)
        return;
    add_fix(g, g->n, pick(g, g->nsub), 2);
    emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_LOCAL, 0, 0);
    /* The verifier forgets r1..r5 at a call (reading them is an error):
     * written again, except sometimes right before a helper call, which may
     * take them as they came back from the callee ("r1..r5 pass through") */
    if (g->safe && chance(g, 20) && g->n + 1 < CAP) {
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, 1, 0, 0, rimm(g));
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_MIX);
    }
    if (g->safe)
        for (unsigned r = 1; r <= 5; r++)
            emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, r, 0, 0, rimm(g));
}

/* ---- loops ---- */
static void gen_loop_body_op(gen *g)
{
    unsigned k = pick(g, 10);
    if (k < 5) {
        gen_alu(g);
    } else if (k < 8) {
        gen_mem(g);
    } else if (k == 8) {
        emit_jcc(g, 1);   /* skip the next instruction (never an lddw here) */
        gen_alu(g);
    } else {
        gen_helper(g);
    }
}

static void gen_loop(gen *g)
{
    unsigned c = 6 + pick(g, 3);          /* r6..r8 count */
    int32_t iters = 1 + (int32_t)pick(g, chance(g, 80) ? 6 : 40);
    emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, c, 0, 0, iters);
    uint32_t top = g->n;
    g->in_loop = 1;
    for (unsigned k = 1 + pick(g, 4); k; k--)
        gen_loop_body_op(g);
    g->in_loop = 0;
    /* the back edge: several forms, all taken while the counter is positive */
    switch (pick(g, 4)) {
    case 0:
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_SUB, c, 0, 0, 1);
        emit(g, FC_CLS_JMP | FC_SRC_K | FC_JMP_JSGT, c, 0, (int16_t)(top - g->n - 1), 0);
        break;
    case 1:
        emit(g, FC_CLS_ALU | FC_SRC_K | FC_ALU_ADD, c, 0, 0, -1);
        emit(g, FC_CLS_JMP32 | FC_SRC_K | FC_JMP_JNE, c, 0, (int16_t)(top - g->n - 1), 0);
        break;
    case 2:
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_ADD, c, 0, 0, -1);
        emit(g, FC_CLS_JMP | FC_SRC_K | FC_JMP_JEQ, c, 0, 1, 0);
        emit(g, FC_CLS_JMP | FC_JMP_JA, 0, 0, (int16_t)(top - g->n - 1), 0);
        break;
    default:
        /* jsgt32 c, r5 with r5 = 0: a register comparison as the back edge */
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_SUB, c, 0, 0, 1);
        emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, 5, 0, 0, 0);
        emit(g, FC_CLS_JMP32 | FC_SRC_X | FC_JMP_JSGT, c, 5, (int16_t)(top - g->n - 1), 0);
        break;
    }
    g->has_loop = 1;
}

/* an endless loop: only the budget ends it */
static void gen_endless(gen *g)
{
    uint32_t top = g->n;
    gen_alu(g);
    if (chance(g, 50))
        emit(g, FC_CLS_JMP | FC_JMP_JA, 0, 0, (int16_t)(top - g->n - 1), 0);
    else
        emit(g, FC_CLS_JMP32 | FC_JMP_JA, 0, 0, 0, (int32_t)(top - g->n - 1));
    g->has_loop = 1;
}

/* ---- the program ---- */
static void gen_sub(gen *g, unsigned j)
{
    g->sub_at[j] = g->n;
    emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, 0, 0, 0, rimm(g));
    g->in_loop = 1;   /* r0..r5 only: r6..r9 are not written in a callee */
    for (unsigned k = 2 + pick(g, 5); k; k--) {
        unsigned w = pick(g, 10);
        if (w < 5) {
            gen_alu(g);
        } else if (w < 7) {
            uint8_t sz = sizes[pick(g, 4)];
            emit(g, FC_CLS_STX | sz | FC_MODE_MEM, 10, pick(g, 6),
                 (int16_t)(-(int)fc_size_bytes(sz) * (int)(1 + pick(g, 8))), 0);
        } else if (w < 9) {
            /* the caller's frame [r10, r10 + 512): in bounds; beyond it
             * (above the stack at depth 2) when wild */
            uint8_t sz = sizes[pick(g, 4)];
            unsigned nb = fc_size_bytes(sz);
            int off = (int)(nb * pick(g, 512 / nb));
            if (!g->safe && chance(g, 30))
                off = (int)pick(g, 1100);
            emit(g, FC_CLS_LDX | sz | FC_MODE_MEM, pick(g, 6), 10, (int16_t)off, 0);
        } else {
            gen_helper(g);
        }
    }
    g->in_loop = 0;
    if (j + 1 < g->nsub && chance(g, 75)) {           /* a chain: deeper calls */
        add_fix(g, g->n, j + 1, 2);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_LOCAL, 0, 0);
    }
    emit(g, FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
}

static void gen_prog(gen *g)
{
    g->n = 0;
    g->overflow = 0;
    g->nfx = 0;
    g->nblk = 0;
    g->in_loop = 0;
    g->has_loop = 0;
    g->nsub = pick(g, MAX_SUBS + 1);

    /* prologue: r9 = context, every other register written */
    emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, 9, 1, 0, 0);
    for (unsigned r = 0; r <= 8; r++) {
        if (r == 1 && chance(g, 50))
            continue;                                 /* r1 stays the context */
        switch (pick(g, 5)) {
        case 0: lddw(g, r, rimm64(g)); break;
        case 1: emit(g, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV, r, 0, 0, rimm(g)); break;
        case 2: emit(g, FC_CLS_ALU | FC_SRC_K | FC_ALU_MOV, r, 0, 0, rimm(g)); break;
        default: set_ptr(g, r); break;
        }
    }
    /* body: blocks; forward jumps land on block starts */
    unsigned nblocks = 4 + pick(g, 24);
    for (unsigned b = 0; b < nblocks; b++) {
        g->blk[g->nblk++] = g->n;
        unsigned k = pick(g, 100);
        if (k < 32)
            gen_alu(g);
        else if (k < 60)
            gen_mem(g);
        else if (k < 70)
            gen_jump(g, b, nblocks);
        else if (k < 78)
            gen_helper(g);
        else if (k < 84)
            gen_local_call(g);
        else if (k < 91)
            gen_loop(g);
        else if (k < 96)
            lddw(g, rdst(g), rimm64(g));
        else if (!g->safe && k < 98)
            gen_endless(g);
        else
            gen_alu(g);
    }
    g->blk[g->nblk++] = g->n;                         /* block `nblocks`: the exit */
    if (chance(g, 60))
        emit(g, FC_CLS_ALU64 | FC_SRC_X | FC_ALU_XOR, 0, pick(g, 10), 0, 0);
    emit(g, FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
    for (unsigned j = 0; j < g->nsub; j++)
        gen_sub(g, j);

    for (unsigned k = 0; k < g->nfx; k++) {
        fix *f = &g->fx[k];
        if (f->site >= g->n)
            continue;
        uint32_t to = f->kind == 2 ? g->sub_at[f->target]
                                   : g->blk[f->target < g->nblk ? f->target : g->nblk - 1];
        int32_t rel = (int32_t)to - (int32_t)f->site - 1;
        if (f->kind == 0)
            g->p[f->site].off = (int16_t)rel;
        else
            g->p[f->site].imm = rel;
    }
}

/* ---- one case ------------------------------------------------------------------ */
typedef struct tally {
    unsigned programs, passed, failed, verified, skipped;
    unsigned runs;
    unsigned outcome[FC_ERR__COUNT];
    unsigned rows[FC_OP_COUNT];
    unsigned loops_done, loops_exhausted;
    unsigned ctx_faults, stack_faults, section_faults;
    unsigned printed;
    unsigned xt_programs, xt_runs, xt_starts;   /* --xt: programs, runs, QEMU processes */
} tally;

/* --xt: the Xtensa engines (one QEMU process each per worker) and how many
 * programs (from 0) run on them */
static unsigned xt_count;
static fc_xtd *xtd[8];
static unsigned nxtd;


static void print_case(FILE *out, const gen *g, const fc_emu_case *c, const char *what,
                       const char *msg, const fc_emu_outcome *oi, const fc_emu_outcome *on,
                       unsigned idx)
{
    static char listing[CAP * 64];
    fprintf(out, "MISMATCH program %u (%s, %s): %s\n", idx, what, g->safe ? "safe" : "wild", msg);
    fprintf(out, "  interpreter: err %d (%s) r0 0x%llx insn %u addr 0x%llx budget left %llu\n", oi->err,
           fc_err_str(oi->err), (unsigned long long)oi->r0, oi->err_pc,
           (unsigned long long)oi->err_addr, (unsigned long long)oi->budget_left);
    fprintf(out, "  native:      err %d (%s) r0 0x%llx insn %u addr 0x%llx budget left %llu\n", on->err,
           on->err < 0 ? "machine" : fc_err_str(on->err), (unsigned long long)on->r0, on->err_pc,
           (unsigned long long)on->err_addr, (unsigned long long)on->budget_left);
    fprintf(out, "  budget %llu, max depth %u, context %u bytes (%s):", (unsigned long long)c->budget,
           c->max_depth ? c->max_depth : FC_MAX_CALL_DEPTH, c->ctx_len,
           c->ctx_perm == FC_PERM_R ? "read-only" : "read-write");
    for (uint32_t k = 0; k < c->ctx_len; k++)
        fprintf(out, " %02x", c->ctx[k]);
    fprintf(out, "\n  .rodata %u, .data %u, .bss %u bytes; program (%u slots):\n", c->rodata ? c->rodata_len : 0,
           c->data ? c->data_len : 0, c->bss_len, c->n);
    fc_disasm_prog_buf(c->insns, c->n, FC_DISASM_INDEX | FC_DISASM_TARGET, listing, sizeof listing);
    fputs(listing, out);
}

/* a mismatch of any engine: the first 12 (every one with -v) in full, then
 * one line each */
static void report_mismatch(FILE *out, tally *t, int verbose, const gen *g, const fc_emu_case *c,
                            const char *what, const char *msg, const fc_emu_outcome *oi,
                            const fc_emu_outcome *on, unsigned idx)
{
    if (t->printed++ < 12 || verbose)
        print_case(out, g, c, what, msg, oi, on, idx);
    else if (t->printed == 13)
        fprintf(out, "(further mismatches: one line each)\n");
    else
        fprintf(out, "MISMATCH program %u (%s): %s\n", idx, what, msg);
}

static int list_sink(void *ctx, const char *text, size_t len)
{
    return fwrite(text, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

/* --only: the native code of a case, as femtoc -S shows it */
static void print_native(FILE *fout, const fc_backend *b, const fc_emu_case *c)
{
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)c->insns;
    p.ninsns = c->n;
    size_t wl = b->work_size(&p);
    void *w = malloc(wl ? wl : 1);
    fc_bk_opts o = {c->bk_flags, NULL, 0};
    fc_bk_out out;
    memset(&out, 0, sizeof out);
    if (w && b->compile(&p, c->info, &o, w, wl, &out, NULL) == FC_BK_ENOSPACE) {
        out.code = malloc(out.code_len + 1);
        out.code_cap = out.code_len;
        out.relocs = malloc((out.nrelocs + 1) * sizeof *out.relocs);
        out.relocs_cap = out.nrelocs;
        out.pcmap = malloc((out.npcmap + 1) * sizeof *out.pcmap);
        out.pcmap_cap = out.npcmap;
        if (out.code && out.relocs && out.pcmap &&
            b->compile(&p, c->info, &o, w, wl, &out, NULL) == FC_BK_OK) {
            fprintf(fout, "  %s code (%u bytes):\n", b->name, out.code_len);
            fc_backend_listing(b, &p, &out, list_sink, fout);
        }
        free(out.code);
        free(out.relocs);
        free(out.pcmap);
    }
    free(w);
}

/* --corpus: a verified program in tests/fuzz/fuzz_diff.c's input layout */
static const char *corpus_dir;

static void write_seed(const gen *g, unsigned idx, uint64_t budget, unsigned perm)
{
    char path[4096];
    uint8_t hdr[4];
    snprintf(path, sizeof path, "%s/diff-random-%05u", corpus_dir, idx);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    hdr[0] = (uint8_t)(g->ctx_len > 63 ? 63 : g->ctx_len);
    hdr[1] = budget > 256 ? 255 : (uint8_t)(budget - 1);
    hdr[2] = (uint8_t)((perm == FC_PERM_R) | (g->data_len ? 8 : 0) | (g->ro_len ? 16 : 0) |
                       (g->bss_len ? 32 : 0));
    hdr[3] = (uint8_t)idx;
    fwrite(hdr, 1, 4, f);
    for (uint32_t i = 0; i < g->n; i++) {
        uint8_t b[8];
        fc_insn_encode(g->p[i], b);
        fwrite(b, 1, 8, f);
    }
    fclose(f);
}

static void count_rows(const gen *g, tally *t)
{
    for (uint32_t i = 0; i < g->n; i += fc_insn_slots(g->p[i])) {
        unsigned id = fc_insn_op(g->p[i]);
        t->rows[id < FC_OP_COUNT ? id : 0]++;
    }
}

/* one program: generate, verify, run through both backends; 1 if it passed */
static int run_program(fc_emu *emu[2], uint64_t seed, unsigned idx, tally *t, int verbose,
                       int listing)
{
    static gen g;
    static uint8_t ctx[64], ro[64], da[64];
    static fc_insn_info info[CAP];
    static unsigned char ws[1 << 22];
    static const uint8_t pattern_sizes[] = {0, 8, 13, 16, 32, 64};

    memset(&g, 0, sizeof g);
    g.s = splitmix(seed ^ splitmix(idx + 1)) | 1;
    g.safe = chance(&g, 50);
    g.ctx_len = pattern_sizes[pick(&g, sizeof pattern_sizes)];
    if (g.safe && g.ctx_len == 0)
        g.ctx_len = 16;
    g.ro_len = chance(&g, 40) ? 8 + 8 * pick(&g, 8) : 0;
    g.data_len = chance(&g, 40) ? 8 + 8 * pick(&g, 8) : 0;
    g.bss_len = chance(&g, 40) ? 8 + 8 * pick(&g, 8) : 0;
    for (unsigned k = 0; k < sizeof ctx; k++) {
        ctx[k] = (uint8_t)rnd(&g);
        ro[k] = (uint8_t)rnd(&g);
        da[k] = (uint8_t)rnd(&g);
    }
    unsigned perm = !g.safe && chance(&g, 10) ? FC_PERM_R : FC_PERM_RW;
    /* small budgets: a loop that never ends costs (budget x its length) on
     * every engine; the default budget now and then */
    static const uint64_t budgets[] = {1, 2, 3, 5, 8, 13, 40, 300};
    uint64_t budget = chance(&g, 1) ? FC_DEFAULT_BUDGET
                                    : budgets[pick(&g, sizeof budgets / sizeof budgets[0])];
    uint32_t max_depth = chance(&g, 30) ? 1 + pick(&g, 4) : 0;
    gen_prog(&g);
    if (g.overflow) {
        printf("program %u: skipped: the generator overflowed %u slots\n", idx, CAP);
        fflush(stdout);
        t->skipped++;
        return 1;
    }
    count_rows(&g, t);

    /* the verifier: the context size and the helpers this case grants */
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = g.p;
    p.ninsns = g.n;
    p.rodata = g.ro_len ? ro : NULL;
    p.rodata_len = g.ro_len;
    p.data = g.data_len ? da : NULL;
    p.data_len = g.data_len;
    p.bss_len = g.bss_len;
    fc_vfy_helper vh[NALLOW];
    for (unsigned k = 0; k < NALLOW; k++) {
        memset(&vh[k], 0, sizeof vh[k]);
        vh[k].id = allow[k];
        vh[k].nargs = FC_HSIG_UNKNOWN;
    }
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = perm == FC_PERM_RW ? g.ctx_len : 0;
    vo.helpers = vh;
    vo.nhelpers = NALLOW;
    size_t wl = fc_vfy_workspace_size(&p);
    int verified = wl <= sizeof ws &&
                   fc_vfy_run(&p, &vo, ws, wl, info, NULL, NULL) == 0;
    t->verified += verified;
    if (verified && corpus_dir)
        write_seed(&g, idx, budget, perm);

    fc_emu_case c;
    memset(&c, 0, sizeof c);
    c.insns = g.p;
    c.n = g.n;
    c.ctx = ctx;
    c.ctx_len = g.ctx_len;
    c.ctx_perm = perm;
    c.rodata = g.ro_len ? ro : NULL;
    c.rodata_len = g.ro_len;
    c.data = g.data_len ? da : NULL;
    c.data_len = g.data_len;
    c.bss_len = g.bss_len;
    c.helpers = helpers;
    c.nhelpers = sizeof helpers / sizeof helpers[0];
    c.allow = allow;
    c.nallow = NALLOW;
    c.budget = budget;
    c.max_depth = max_depth;

    /* option sets: the backend flags rotate so every setting meets every
     * kind of program; a verified program also runs with the verifier's
     * facts (proven accesses unchecked, upper halves known zero) */
    static const uint32_t rot[] = {0, FC_BK_CHECK_ALL, FC_BK_NO_OPT};
    static const char *const rot_name[] = {"no facts", "check-all", "no-opt"};
    typedef struct variant { const fc_insn_info *info; uint32_t flags; const char *name; } variant;
    variant var[2];
    unsigned nvar = 0;
    if (verified)
        var[nvar++] = (variant){info, idx % 2 ? FC_BK_CHECK_ALL : 0,
                                idx % 2 ? "facts, check-all" : "facts"};
    var[nvar++] = (variant){NULL, rot[idx % 3], rot_name[idx % 3]};

    /* this program's report, written out at once (workers share stdout) */
    char *rbuf = NULL;
    size_t rlen = 0;
    FILE *out = open_memstream(&rbuf, &rlen);
    if (!out)
        out = stdout;
    int ok = 1;
    fc_emu_outcome first;
    memset(&first, 0, sizeof first);
    for (unsigned b = 0; b < 2; b++)
        for (unsigned v = 0; v < nvar; v++) {
            fc_emu_outcome oi, on;
            char msg[400], what[80];
            c.info = var[v].info;
            c.bk_flags = var[v].flags;
            int d = fc_emu_diff(emu[b], &c, &oi, &on, msg, sizeof msg);
            t->runs++;
            snprintf(what, sizeof what, "%s, %s", b ? "rv32imac" : "thumbv7m", var[v].name);
            if (d != 0) {
                ok = 0;
                report_mismatch(out, t, verbose, &g, &c, what, msg, &oi, &on, idx);
            }
            if (b == 0 && v == 0)
                first = oi;
            if (listing)
                print_native(out, b ? &fc_backend_rv32imac : &fc_backend_thumbv7m, &c);
        }
    if (idx < xt_count)
        t->xt_programs++;
    for (unsigned x = 0; idx < xt_count && x < nxtd; x++)
        for (unsigned v = 0; v < nvar; v++) {
            const fc_xtd_engine *xe = fc_xtd_engine_of(xtd[x]);
            fc_emu_outcome oi, on;
            char msg[400], what[80];
            c.info = var[v].info;
            c.bk_flags = var[v].flags;   /* the Xtensa backends are the middle end's */
            int d = fc_xtd_diff(xtd[x], &c, &oi, &on, msg, sizeof msg);
            t->runs++;
            t->xt_runs++;
            snprintf(what, sizeof what, "%s, %s", xe->name, var[v].name);
            if (d != 0) {
                ok = 0;
                report_mismatch(out, t, verbose, &g, &c, what, msg, &oi, &on, idx);
            }
            if (listing)
                print_native(out, xe->backend, &c);
        }

    /* what the interpreter did, for the coverage checks */
    if (first.err >= 0 && first.err < FC_ERR__COUNT)
        t->outcome[first.err]++;
    if (g.has_loop && first.err == FC_OK && first.budget_left < budget)
        t->loops_done++;
    if (first.err == FC_ERR_BUDGET)
        t->loops_exhausted++;
    if (first.err == FC_ERR_MEM_READ || first.err == FC_ERR_MEM_WRITE) {
        uint32_t ctx_addr, stack_addr, a;
        fc_emu_area(emu[0], FC_EMU_CTX, &ctx_addr, NULL);
        fc_emu_area(emu[0], FC_EMU_STACK, &stack_addr, NULL);
        a = (uint32_t)first.err_addr;
        if (first.err_addr >> 32)
            ;
        else if (a - ctx_addr < 0x1000u || ctx_addr - a < 0x100u)
            t->ctx_faults++;
        else if (a - stack_addr < FC_EMU_STACK_SIZE + 0x100u || stack_addr - a < 0x100u)
            t->stack_faults++;
        else if (a >= 0x20200000u && a < 0x20500000u)
            t->section_faults++;
    }
    if (verbose)
        fprintf(out, "program %u: %s, %u slots, %s, interpreter: %s\n", idx,
                g.safe ? "safe" : "wild", g.n, verified ? "verified" : "not verified",
                fc_err_str(first.err));
    if (out != stdout) {
        fclose(out);
        if (rlen)
            fwrite(rbuf, 1, rlen, stdout);
        free(rbuf);
    }
    fflush(stdout);
    return ok;
}

/* programs first, first + step, ... below end, on emulators of its own */
static int work(uint64_t seed, unsigned first, unsigned step, unsigned end, tally *t, int verbose,
                int listing)
{
    char err[200];
    fc_emu *emu[2] = {fc_emu_open_target(FC_TARGET_THUMBV7M, err, sizeof err), NULL};
    if (emu[0])
        emu[1] = fc_emu_open_target(FC_TARGET_RV32IMAC, err, sizeof err);
    if (!emu[0] || !emu[1]) {
        printf("diff-random: emulator: %s\ndiff-random: 0 passed, 1 failed\n", err);
        fc_emu_close(emu[0]);
        return 1;
    }
    nxtd = 0;
    for (size_t k = 0; first < xt_count && k < fc_xtd_engines_count && k < sizeof xtd / sizeof xtd[0]; k++) {
        xtd[nxtd] = fc_xtd_open(&fc_xtd_engines[k], err, sizeof err);
        if (!xtd[nxtd]) {
            printf("diff-random: %s: %s\ndiff-random: 0 passed, 1 failed\n", fc_xtd_engines[k].name, err);
            while (nxtd)
                fc_xtd_close(xtd[--nxtd]);
            fc_emu_close(emu[0]);
            fc_emu_close(emu[1]);
            return 1;
        }
        nxtd++;
    }
    for (unsigned i = first; i < end; i += step) {
        t->programs++;
        if (run_program(emu, seed, i, t, verbose, listing))
            t->passed++;
        else
            t->failed++;
    }
    while (nxtd) {
        nxtd--;
        t->xt_starts += fc_xt_starts(fc_xtd_runner(xtd[nxtd]));
        fc_xtd_close(xtd[nxtd]);
    }
    fc_emu_close(emu[0]);
    fc_emu_close(emu[1]);
    return 0;
}

static void merge(tally *t, const tally *w)
{
    t->programs += w->programs;
    t->passed += w->passed;
    t->failed += w->failed;
    t->verified += w->verified;
    t->skipped += w->skipped;
    t->runs += w->runs;
    for (unsigned k = 0; k < FC_ERR__COUNT; k++)
        t->outcome[k] += w->outcome[k];
    for (unsigned k = 0; k < FC_OP_COUNT; k++)
        t->rows[k] += w->rows[k];
    t->loops_done += w->loops_done;
    t->loops_exhausted += w->loops_exhausted;
    t->ctx_faults += w->ctx_faults;
    t->stack_faults += w->stack_faults;
    t->section_faults += w->section_faults;
    for (unsigned b = 0; b < 2; b++) {
    }
    t->xt_programs += w->xt_programs;
    t->xt_runs += w->xt_runs;
    t->xt_starts += w->xt_starts;
}

int main(int argc, char **argv)
{
    uint64_t seed = DEFAULT_SEED;
    unsigned count = DEFAULT_COUNT, only = 0;
    int have_only = 0, verbose = 0, listing = 0;
    unsigned jobs = 2;

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
            count = (unsigned)strtoul(argv[++a], NULL, 0);
        else if (strcmp(argv[a], "-s") == 0 && a + 1 < argc)
            seed = strtoull(argv[++a], NULL, 0);
        else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc)
            only = (unsigned)strtoul(argv[++a], NULL, 0), have_only = 1, verbose = 1;
        else if (strcmp(argv[a], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[a], "--xt") == 0 && a + 1 < argc)
            xt_count = (unsigned)strtoul(argv[++a], NULL, 0);
        else if (strcmp(argv[a], "-S") == 0)
            listing = 1;
        else if (strcmp(argv[a], "--corpus") == 0 && a + 1 < argc)
            corpus_dir = argv[++a];
        else if (strcmp(argv[a], "-j") == 0 && a + 1 < argc)
            jobs = (unsigned)strtoul(argv[++a], NULL, 0);
        else {
            fprintf(stderr, "usage: diff-random [-n COUNT] [-s SEED] [-j JOBS] [--only INDEX [-S]] [--corpus DIR] [--xt N] [-v]\n");
            return 2;
        }
    }

    if (have_only)
        jobs = 1;
    if (jobs < 1 || jobs > 64)
        jobs = 1;
    printf("diff-random: seed 0x%016llx, %u programs, interpreter vs thumbv7m and rv32imac, "
           "%u worker%s\n", (unsigned long long)seed, have_only ? 1u : count, jobs,
           jobs > 1 ? "s" : "");
    fflush(stdout);

    static tally t;
    time_t t0 = time(NULL);
    if (have_only) {
        if (work(seed, only, 1, only + 1, &t, verbose, listing))
            return 1;
    } else if (jobs == 1) {
        if (work(seed, 0, 1, count, &t, verbose, listing))
            return 1;
    } else {
        /* workers: programs k, k + jobs, ... each; tallies come back through
         * pipes */
        int fds[64];
        pid_t pids[64];
        for (unsigned k = 0; k < jobs; k++) {
            int pfd[2];
            if (pipe(pfd) || (pids[k] = fork()) < 0) {
                printf("diff-random: cannot start worker %u\ndiff-random: 0 passed, 1 failed\n", k);
                return 1;
            }
            if (pids[k] == 0) {
                static tally w;
                close(pfd[0]);
                int rc = work(seed, k, jobs, count, &w, verbose, listing);
                fflush(stdout);
                const char *b = (const char *)&w;
                size_t left = sizeof w;
                while (!rc && left) {
                    ssize_t n = write(pfd[1], b, left);
                    if (n <= 0)
                        break;
                    b += n;
                    left -= (size_t)n;
                }
                _exit(rc || left ? 1 : 0);
            }
            close(pfd[1]);
            fds[k] = pfd[0];
        }
        for (unsigned k = 0; k < jobs; k++) {
            static tally w;
            char *b = (char *)&w;
            size_t got = 0;
            int status = 0;
            while (got < sizeof w) {
                ssize_t n = read(fds[k], b + got, sizeof w - got);
                if (n <= 0)
                    break;
                got += (size_t)n;
            }
            close(fds[k]);
            waitpid(pids[k], &status, 0);
            if (got != sizeof w || !WIFEXITED(status) || WEXITSTATUS(status)) {
                printf("diff-random: worker %u died (status 0x%x): its programs count as failed\n",
                       k, status);
                t.programs += (count - k + jobs - 1) / jobs;
                t.failed += (count - k + jobs - 1) / jobs;
                continue;
            }
            merge(&t, &w);
        }
    }

    printf("programs %u: %u verified (run with the verifier's facts too), %u skipped; %u runs "
           "(%lds)\n", t.programs, t.verified, t.skipped, t.runs, (long)(time(NULL) - t0));
    if (xt_count) {
        printf("xtensa:");
        for (size_t k = 0; k < fc_xtd_engines_count; k++)
            printf(" %s", fc_xtd_engines[k].name);
        printf(": programs 0..%u (%u programs), %u runs, %u QEMU processes started\n", xt_count - 1,
               t.xt_programs, t.xt_runs, t.xt_starts);
    }
    printf("interpreter outcomes:");
    for (int e = 0; e < FC_ERR__COUNT; e++)
        if (t.outcome[e])
            printf(" %s %u;", fc_err_str(e), t.outcome[e]);
    printf("\nloops finished %u, budget exhausted %u; memory faults in the context %u, the stack "
           "%u, sections %u\n", t.loops_done, t.loops_exhausted, t.ctx_faults, t.stack_faults,
           t.section_faults);

    /* coverage: a run that misses part of the ISA or an outcome tests less
     * than it claims */
    unsigned gaps = 0;
    if (!have_only) {
        for (unsigned id = 1; id < FC_OP_COUNT; id++)
            if (!t.rows[id]) {
                printf("COVERAGE: opcode row %s (0x%02x) never generated\n",
                       fc_opinfo_table[id].mnemonic, fc_opinfo_table[id].opcode);
                gaps++;
            }
        static const int need[] = {FC_OK, FC_ERR_MEM_READ, FC_ERR_MEM_WRITE, FC_ERR_BUDGET,
                                   FC_ERR_HELPER_UNKNOWN, FC_ERR_HELPER_DENIED,
                                   FC_ERR_CALL_DEPTH, FC_ERR_HELPER_FAULT, FC_ERR_UNWIND};
        for (unsigned k = 0; k < sizeof need / sizeof need[0]; k++)
            if (t.outcome[need[k]] < 5) {
                printf("COVERAGE: outcome '%s' reached %u times (want >= 5)\n",
                       fc_err_str(need[k]), t.outcome[need[k]]);
                gaps++;
            }
        struct { const char *what; unsigned n, want; } more[] = {
            {"loops that finished within the budget", t.loops_done, 20},
            {"loops that exhausted the budget", t.loops_exhausted, 20},
            {"faults in the context", t.ctx_faults, 20},
            {"faults around the stack", t.stack_faults, 20},
            {"faults in sections", t.section_faults, 5},
            {"verified programs (facts used)", t.verified, count / 10},
            {"successful runs", t.outcome[FC_OK], count / 10},
        };
        for (unsigned k = 0; k < sizeof more / sizeof more[0]; k++)
            if (more[k].n < more[k].want) {
                printf("COVERAGE: %s: %u (want >= %u)\n", more[k].what, more[k].n, more[k].want);
                gaps++;
            }
        if (gaps)
            printf("coverage: %u gaps\n", gaps);
    }
    printf("diff-random: %u passed, %u failed\n", t.passed, t.failed + gaps);
    return t.failed + gaps ? 1 : 0;
}
