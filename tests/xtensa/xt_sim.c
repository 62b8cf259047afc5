/*
 * xt_sim.c - test step xtensa-sim: the Xtensa runner (sim/fc_xt.h) and what
 * can only be checked by execution.
 *
 *  1. hand-encoded routines (backends/xtensa/xt_enc.h) on lx106 and dc233c
 *     (call0 ABI): each instruction's result against host arithmetic on
 *     fixed and random inputs (ALU, MUL32, SAR shifts, immediates, L32R,
 *     loads/stores, every branch, calls);
 *  2. on dc233c only: DIV32 (QUOU/QUOS/REMU/REMS) against host division,
 *     the windowed ABI (ENTRY, RETW, RETW.N, CALL4/8/12, CALLX4/8/12, a
 *     recursion deep enough for window overflows and underflows), and the
 *     disassembler reading those encodings back;
 *  3. on lx106: DIV32 and ENTRY are illegal (SIGILL), so the core model
 *     really lacks them;
 *  4. the runner: faults (SIGILL, SIGSEGV, divide by zero), the time limit,
 *     restarts that restore memory, code rewritten in place, exact
 *     instruction counts, upcalls (the guest waits while the host's handler
 *     reads and writes guest memory, then resumes with its result);
 *  5. runtime/fc_div32.c (and libgcc's names it provides) and the 64-bit
 *     division routines of runtime/fc_native_rt.c built for lx106, against
 *     host arithmetic on random inputs (fixed seed) plus the edge cases.
 * Last line: "xtensa-sim: N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_xt.h"
#include "xtensa/xt_enc.h"

unsigned xt_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

extern const uint8_t fc_xt_rt_lx106[];
extern const uint32_t fc_xt_rt_lx106_len;
extern const uint32_t fc_xt_rt_lx106_fc_udiv32, fc_xt_rt_lx106_fc_umod32, fc_xt_rt_lx106_fc_sdiv32,
    fc_xt_rt_lx106_fc_smod32, fc_xt_rt_lx106___udivsi3, fc_xt_rt_lx106___umodsi3,
    fc_xt_rt_lx106___divsi3, fc_xt_rt_lx106___modsi3, fc_xt_rt_lx106___muldi3,
    fc_xt_rt_lx106_fc_native_udiv64, fc_xt_rt_lx106_fc_native_umod64,
    fc_xt_rt_lx106_fc_native_sdiv64, fc_xt_rt_lx106_fc_native_smod64;

#define RT_ADDR   0x00100000u
#define CODE_ADDR 0x00200000u
#define DATA_ADDR 0x00300000u
#define TABLE_ADDR 0x00400000u
#define PAGE      0x1000u
#define TABLE_MAX 4096u

/* argument records for fc_xt_call_table: a2..a7 in, the result in 6 and 7
 * (host and guest are both little-endian: the words are copied as they are) */
static uint32_t tab[TABLE_MAX * 8];

static int run_table(fc_xt *x, uint32_t fn, enum fc_xt_abi abi, uint32_t n)
{
    int e = fc_xt_write(x, TABLE_ADDR, tab, n * 32u);
    if (!e)
        e = fc_xt_call_table(x, fn, abi, TABLE_ADDR, n, NULL);
    if (!e)
        e = fc_xt_read(x, TABLE_ADDR, tab, n * 32u);
    return e;
}

static unsigned passed, failed;

static void check(int ok, const char *what, const char *core)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL [%s] %s\n", core, what);
    }
}

/* ---- a code buffer ------------------------------------------------------------ */
typedef struct code {
    uint8_t b[1024];
    uint32_t n;
    int bad;
} code;

static uint32_t here(const code *c) { return CODE_ADDR + c->n; }
static void emit(code *c, uint32_t enc)
{
    if (enc == XT_BAD)
        c->bad = 1;
    c->n += xt_put(c->b + c->n, enc);
}
static void word(code *c, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        c->b[c->n++] = (uint8_t)(v >> (8 * i));
}
static void align4(code *c)
{
    while (c->n & 3u)
        c->b[c->n++] = 0;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}
/* random words with many edge values */
static uint32_t val(void)
{
    static const uint32_t edge[] = {0, 1, 2, 3, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu,
                                    0x10000u, 0xffffu, 31, 32, 0x80000001u, 7, 0x55555555u};
    uint32_t k = rnd() % 24;
    if (k < sizeof edge / sizeof edge[0])
        return edge[k];
    if (k < 19)
        return rnd() >> (rnd() % 32);
    return rnd();
}

/* load c at CODE_ADDR, call its entry with up to 4 args */
static int run(fc_xt *x, code *c, uint32_t entry, enum fc_xt_abi abi, const uint32_t *a, unsigned na,
               uint64_t *ret, fc_xt_stats *st)
{
    if (c->bad)
        return -100;
    int r = fc_xt_write(x, CODE_ADDR, c->b, c->n);
    if (r)
        return r;
    return fc_xt_call(x, entry, abi, a, na, ret, st);
}

/* ---- 1. two-operand instructions: op a2, a2, a3 (or a sequence) --------------- */
typedef uint32_t (*host2)(uint32_t, uint32_t);
static uint32_t h_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t h_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t h_addx2(uint32_t a, uint32_t b) { return (a << 1) + b; }
static uint32_t h_addx4(uint32_t a, uint32_t b) { return (a << 2) + b; }
static uint32_t h_addx8(uint32_t a, uint32_t b) { return (a << 3) + b; }
static uint32_t h_subx2(uint32_t a, uint32_t b) { return (a << 1) - b; }
static uint32_t h_subx4(uint32_t a, uint32_t b) { return (a << 2) - b; }
static uint32_t h_subx8(uint32_t a, uint32_t b) { return (a << 3) - b; }
static uint32_t h_and(uint32_t a, uint32_t b) { return a & b; }
static uint32_t h_or(uint32_t a, uint32_t b) { return a | b; }
static uint32_t h_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t h_mull(uint32_t a, uint32_t b) { return a * b; }
static uint32_t h_mul16u(uint32_t a, uint32_t b) { return (a & 0xffffu) * (b & 0xffffu); }
static uint32_t h_mul16s(uint32_t a, uint32_t b) { return (uint32_t)((int32_t)(int16_t)a * (int16_t)b); }
static uint32_t h_neg(uint32_t a, uint32_t b) { (void)b; return 0u - a; }
static uint32_t h_abs(uint32_t a, uint32_t b) { (void)b; return (int32_t)a < 0 ? 0u - a : a; }
static uint32_t h_sll(uint32_t a, uint32_t b) { return a << (b & 31u); }
static uint32_t h_srl(uint32_t a, uint32_t b) { return a >> (b & 31u); }
static uint32_t h_sra(uint32_t a, uint32_t b)
{
    uint32_t s = b & 31u;
    return (int32_t)a < 0 ? ~(~a >> s) : a >> s;
}
static uint32_t h_src(uint32_t a, uint32_t b) { return (uint32_t)((((uint64_t)b << 32) | a) >> (b & 31u)); }
static uint32_t h_slli7(uint32_t a, uint32_t b) { (void)b; return a << 7; }
static uint32_t h_slli31(uint32_t a, uint32_t b) { (void)b; return a << 31; }
static uint32_t h_srai20(uint32_t a, uint32_t b) { (void)b; return h_sra(a, 20); }
static uint32_t h_srli15(uint32_t a, uint32_t b) { (void)b; return a >> 15; }
static uint32_t h_extui(uint32_t a, uint32_t b) { (void)b; return (a >> 17) & 0x1fu; }
static uint32_t h_extui16(uint32_t a, uint32_t b) { (void)b; return a >> 16; }
static uint32_t h_moveqz(uint32_t a, uint32_t b) { return b == 0 ? 0x1234u : a; }
static uint32_t h_movnez(uint32_t a, uint32_t b) { return b != 0 ? 0x1234u : a; }
static uint32_t h_movltz(uint32_t a, uint32_t b) { return (int32_t)b < 0 ? 0x1234u : a; }
static uint32_t h_movgez(uint32_t a, uint32_t b) { return (int32_t)b >= 0 ? 0x1234u : a; }
static uint32_t h_addn(uint32_t a, uint32_t b) { return a + b + 15u - 1u; }
static uint32_t h_nsau(uint32_t a, uint32_t b)
{
    (void)b;
    uint32_t n = 0;
    if (!a)
        return 32;
    while (!(a & 0x80000000u)) {
        a <<= 1;
        n++;
    }
    return n;
}
static uint32_t h_quou(uint32_t a, uint32_t b) { return a / b; }
static uint32_t h_remu(uint32_t a, uint32_t b) { return a % b; }
static uint32_t h_quos(uint32_t a, uint32_t b) { return (uint32_t)((int32_t)a / (int32_t)b); }
static uint32_t h_rems(uint32_t a, uint32_t b) { return (uint32_t)((int32_t)a % (int32_t)b); }

typedef struct op2case {
    const char *name;
    uint32_t enc[4];         /* up to 4 instructions on a2, a3 (a4 scratch) */
    host2 host;
    int div;                 /* divisor must be non-zero (and not INT_MIN / -1) */
} op2case;

static void op2_tests(fc_xt *x, const char *core, const op2case *ops, unsigned nops, int windowed)
{
    for (unsigned i = 0; i < nops; i++) {
        code c = {.n = 0};
        if (windowed)
            emit(&c, xt_entry(XT_A1, 32));
        for (unsigned k = 0; k < 4 && ops[i].enc[k]; k++)
            emit(&c, ops[i].enc[k]);
        emit(&c, windowed ? xt_retw_n() : xt_ret_n());
        if (c.bad) {
            check(0, ops[i].name, core);
            continue;
        }
        if (fc_xt_write(x, CODE_ADDR, c.b, c.n)) {
            check(0, "write code", core);
            continue;
        }
        unsigned bad = 0, n = 0;
        while (n < 400) {
            uint32_t a0 = val(), a1 = val();
            if (ops[i].div && (a1 == 0 || (a0 == 0x80000000u && a1 == 0xffffffffu)))
                continue;
            memset(&tab[n * 8], 0, 32);
            tab[n * 8] = a0;
            tab[n * 8 + 1] = a1;
            tab[n * 8 + 6] = 0xa5a5a5a5u;
            n++;
        }
        int e = run_table(x, CODE_ADDR, windowed ? FC_XT_WINDOWED : FC_XT_CALL0, n);
        for (unsigned t = 0; t < n; t++) {
            uint32_t a0 = tab[t * 8], a1 = tab[t * 8 + 1], r = tab[t * 8 + 6];
            if (e || r != ops[i].host(a0, a1)) {
                if (bad++ < 3)
                    printf("  [%s] %s(0x%08x, 0x%08x) = 0x%08x (err %d), host 0x%08x\n", core, ops[i].name,
                           a0, a1, r, e, ops[i].host(a0, a1));
            }
        }
        char what[96];
        snprintf(what, sizeof what, "%s%s against the host", ops[i].name, windowed ? " (windowed)" : "");
        check(bad == 0, what, core);
    }
}

#define A2 XT_A2
#define A3 XT_A3
#define A4 XT_A4
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- constants, L32R, memory ---------------------------------------------------- */
static void const_tests(fc_xt *x, const char *core)
{
    struct { const char *name; uint32_t enc[3]; uint32_t want; } k[] = {
        {"movi -2048", {xt_movi(A2, -2048)}, 0xfffff800u},
        {"movi 2047", {xt_movi(A2, 2047)}, 2047},
        {"movi.n -32", {xt_movi_n(A2, -32)}, 0xffffffe0u},
        {"movi.n 95", {xt_movi_n(A2, 95)}, 95},
        {"addi -128", {xt_movi_n(A2, 0), xt_addi(A2, A2, -128)}, 0xffffff80u},
        {"addmi -32768", {xt_movi_n(A2, 1), xt_addmi(A2, A2, -32768)}, 0xffff8001u},
        {"addmi 32512", {xt_movi_n(A2, 1), xt_addmi(A2, A2, 32512)}, 32513},
        {"mov.n", {xt_movi(A3, 77), xt_mov_n(A2, A3)}, 77},
        {"or as mov", {xt_movi(A3, 78), xt_mov(A2, A3)}, 78},
    };
    for (unsigned i = 0; i < sizeof k / sizeof k[0]; i++) {
        code c = {.n = 0};
        for (unsigned j = 0; j < 3 && k[i].enc[j]; j++)
            emit(&c, k[i].enc[j]);
        emit(&c, xt_ret());
        uint64_t r = 0;
        int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, NULL, 0, &r, NULL);
        check(e == 0 && (uint32_t)r == k[i].want, k[i].name, core);
    }
    /* L32R from a literal pool in front of the code, at both alignments of
     * the L32R itself (its base is (pc + 3) & ~3) */
    for (unsigned pad = 0; pad < 2; pad++) {
        code c = {.n = 0};
        word(&c, 0xdeadbeefu);
        word(&c, 0x01234567u);
        uint32_t entry = here(&c);
        if (pad)
            emit(&c, xt_nop_n());
        emit(&c, xt_l32r(A2, here(&c), CODE_ADDR));
        emit(&c, xt_l32r(A3, here(&c), CODE_ADDR + 4));
        emit(&c, xt_xor(A2, A2, A3));
        emit(&c, xt_ret());
        uint64_t r = 0;
        int e = run(x, &c, entry, FC_XT_CALL0, NULL, 0, &r, NULL);
        check(e == 0 && (uint32_t)r == (0xdeadbeefu ^ 0x01234567u),
              pad ? "l32r at pc = 2 mod 4" : "l32r at pc = 0 mod 4", core);
    }
    /* loads and stores: a2 = DATA_ADDR */
    uint8_t d[64];
    for (unsigned i = 0; i < sizeof d; i++)
        d[i] = (uint8_t)(0x80 + i * 7);
    fc_xt_write(x, DATA_ADDR, d, sizeof d);
    struct { const char *name; uint32_t enc[2]; uint32_t want; } l[] = {
        {"l8ui", {xt_l8ui(A2, A2, 5)}, d[5]},
        {"l16ui", {xt_l16ui(A2, A2, 6)}, (uint32_t)d[6] | (uint32_t)d[7] << 8},
        {"l16si", {xt_l16si(A2, A2, 6)}, (uint32_t)(int32_t)(int16_t)(d[6] | d[7] << 8)},
        {"l32i", {xt_l32i(A2, A2, 8)}, le32(d + 8)},
        {"l32i.n", {xt_l32i_n(A2, A2, 60)}, le32(d + 60)},
    };
    for (unsigned i = 0; i < sizeof l / sizeof l[0]; i++) {
        code c = {.n = 0};
        emit(&c, l[i].enc[0]);
        emit(&c, xt_ret_n());
        uint32_t a = DATA_ADDR;
        uint64_t r = 0;
        int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, &a, 1, &r, NULL);
        check(e == 0 && (uint32_t)r == l[i].want, l[i].name, core);
    }
    {
        code c = {.n = 0};   /* store a3 four ways: s8i, s16i, s32i, s32i.n */
        emit(&c, xt_s8i(A3, A2, 0));
        emit(&c, xt_s16i(A3, A2, 2));
        emit(&c, xt_s32i(A3, A2, 4));
        emit(&c, xt_s32i_n(A3, A2, 8));
        emit(&c, xt_ret_n());
        uint32_t a[2] = {DATA_ADDR + 16, 0xa1b2c3d4u};
        uint8_t got[12], want[12] = {0xd4, d[17], 0xd4, 0xc3, 0xd4, 0xc3, 0xb2, 0xa1, 0xd4, 0xc3, 0xb2, 0xa1};
        int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, a, 2, NULL, NULL);
        e = e ? e : fc_xt_read(x, DATA_ADDR + 16, got, sizeof got);
        check(e == 0 && !memcmp(got, want, sizeof got), "s8i/s16i/s32i/s32i.n", core);
    }
}

/* ---- branches: a2 = taken ---------------------------------------------------------- */
typedef int (*hostb)(uint32_t, uint32_t);
static int b_eq(uint32_t a, uint32_t b) { return a == b; }
static int b_ne(uint32_t a, uint32_t b) { return a != b; }
static int b_lt(uint32_t a, uint32_t b) { return (int32_t)a < (int32_t)b; }
static int b_ge(uint32_t a, uint32_t b) { return (int32_t)a >= (int32_t)b; }
static int b_ltu(uint32_t a, uint32_t b) { return a < b; }
static int b_geu(uint32_t a, uint32_t b) { return a >= b; }
static int b_any(uint32_t a, uint32_t b) { return (a & b) != 0; }
static int b_none(uint32_t a, uint32_t b) { return (a & b) == 0; }
static int b_all(uint32_t a, uint32_t b) { return (a & b) == b; }
static int b_nall(uint32_t a, uint32_t b) { return (a & b) != b; }
static int b_bc(uint32_t a, uint32_t b) { return !(a >> (b & 31u) & 1u); }
static int b_bs(uint32_t a, uint32_t b) { return a >> (b & 31u) & 1u; }
static int b_eqz(uint32_t a, uint32_t b) { (void)b; return a == 0; }
static int b_nez(uint32_t a, uint32_t b) { (void)b; return a != 0; }
static int b_ltz(uint32_t a, uint32_t b) { (void)b; return (int32_t)a < 0; }
static int b_gez(uint32_t a, uint32_t b) { (void)b; return (int32_t)a >= 0; }
static int b_eqim1(uint32_t a, uint32_t b) { (void)b; return a == 0xffffffffu; }
static int b_nei256(uint32_t a, uint32_t b) { (void)b; return a != 256; }
static int b_lti7(uint32_t a, uint32_t b) { (void)b; return (int32_t)a < 7; }
static int b_gei1(uint32_t a, uint32_t b) { (void)b; return (int32_t)a >= 1; }
static int b_ltui32k(uint32_t a, uint32_t b) { (void)b; return a < 32768u; }
static int b_geui64k(uint32_t a, uint32_t b) { (void)b; return a >= 65536u; }
static int b_bci31(uint32_t a, uint32_t b) { (void)b; return !(a >> 31); }
static int b_bsi0(uint32_t a, uint32_t b) { (void)b; return a & 1u; }
static int b_bsi17(uint32_t a, uint32_t b) { (void)b; return a >> 17 & 1u; }

typedef uint32_t (*mkbr)(int32_t d);
/* branch forward over "movi.n a2, 0; ret.n" (4 bytes) to "movi.n a2, 1; ret.n" */
#define BR(name, e, h) {name, h, e}
typedef struct brcase { const char *name; hostb host; uint32_t (*enc)(int32_t); } brcase;
static uint32_t e_beq(int32_t d) { return xt_beq(A2, A3, d); }
static uint32_t e_bne(int32_t d) { return xt_bne(A2, A3, d); }
static uint32_t e_blt(int32_t d) { return xt_blt(A2, A3, d); }
static uint32_t e_bge(int32_t d) { return xt_bge(A2, A3, d); }
static uint32_t e_bltu(int32_t d) { return xt_bltu(A2, A3, d); }
static uint32_t e_bgeu(int32_t d) { return xt_bgeu(A2, A3, d); }
static uint32_t e_bany(int32_t d) { return xt_bany(A2, A3, d); }
static uint32_t e_bnone(int32_t d) { return xt_bnone(A2, A3, d); }
static uint32_t e_ball(int32_t d) { return xt_ball(A2, A3, d); }
static uint32_t e_bnall(int32_t d) { return xt_bnall(A2, A3, d); }
static uint32_t e_bbc(int32_t d) { return xt_bbc(A2, A3, d); }
static uint32_t e_bbs(int32_t d) { return xt_bbs(A2, A3, d); }
static uint32_t e_beqz(int32_t d) { return xt_beqz(A2, d); }
static uint32_t e_bnez(int32_t d) { return xt_bnez(A2, d); }
static uint32_t e_bltz(int32_t d) { return xt_bltz(A2, d); }
static uint32_t e_bgez(int32_t d) { return xt_bgez(A2, d); }
static uint32_t e_beqzn(int32_t d) { return xt_beqz_n(A2, d); }
static uint32_t e_bnezn(int32_t d) { return xt_bnez_n(A2, d); }
static uint32_t e_beqi(int32_t d) { return xt_beqi(A2, -1, d); }
static uint32_t e_bnei(int32_t d) { return xt_bnei(A2, 256, d); }
static uint32_t e_blti(int32_t d) { return xt_blti(A2, 7, d); }
static uint32_t e_bgei(int32_t d) { return xt_bgei(A2, 1, d); }
static uint32_t e_bltui(int32_t d) { return xt_bltui(A2, 32768, d); }
static uint32_t e_bgeui(int32_t d) { return xt_bgeui(A2, 65536, d); }
static uint32_t e_bbci(int32_t d) { return xt_bbci(A2, 31, d); }
static uint32_t e_bbsi0(int32_t d) { return xt_bbsi(A2, 0, d); }
static uint32_t e_bbsi17(int32_t d) { return xt_bbsi(A2, 17, d); }

static const brcase branches[] = {
    BR("beq", e_beq, b_eq), BR("bne", e_bne, b_ne), BR("blt", e_blt, b_lt), BR("bge", e_bge, b_ge),
    BR("bltu", e_bltu, b_ltu), BR("bgeu", e_bgeu, b_geu), BR("bany", e_bany, b_any),
    BR("bnone", e_bnone, b_none), BR("ball", e_ball, b_all), BR("bnall", e_bnall, b_nall),
    BR("bbc", e_bbc, b_bc), BR("bbs", e_bbs, b_bs), BR("beqz", e_beqz, b_eqz), BR("bnez", e_bnez, b_nez),
    BR("bltz", e_bltz, b_ltz), BR("bgez", e_bgez, b_gez), BR("beqz.n", e_beqzn, b_eqz),
    BR("bnez.n", e_bnezn, b_nez), BR("beqi -1", e_beqi, b_eqim1), BR("bnei 256", e_bnei, b_nei256),
    BR("blti 7", e_blti, b_lti7), BR("bgei 1", e_bgei, b_gei1), BR("bltui 32768", e_bltui, b_ltui32k),
    BR("bgeui 65536", e_bgeui, b_geui64k), BR("bbci 31", e_bbci, b_bci31), BR("bbsi 0", e_bbsi0, b_bsi0),
    BR("bbsi 17", e_bbsi17, b_bsi17),
};

static void branch_tests(fc_xt *x, const char *core)
{
    for (unsigned i = 0; i < sizeof branches / sizeof branches[0]; i++) {
        code c = {.n = 0};
        uint32_t probe = branches[i].enc(8);
        int32_t d = (int32_t)xt_size(probe) + 4;     /* over movi.n + ret.n */
        emit(&c, branches[i].enc(d));
        emit(&c, xt_movi_n(A2, 0));
        emit(&c, xt_ret_n());
        emit(&c, xt_movi_n(A2, 1));
        emit(&c, xt_ret_n());
        if (c.bad || fc_xt_write(x, CODE_ADDR, c.b, c.n)) {
            check(0, branches[i].name, core);
            continue;
        }
        unsigned bad = 0, n = 300;
        for (unsigned t = 0; t < n; t++) {
            uint32_t a0 = val(), a1 = val();
            if (t % 5 == 0)
                a1 = a0;
            if (t == 1)
                a0 = 256;
            if (t == 2)
                a0 = 32767;
            memset(&tab[t * 8], 0, 32);
            tab[t * 8] = a0;
            tab[t * 8 + 1] = a1;
            tab[t * 8 + 6] = 2;
        }
        int e = run_table(x, CODE_ADDR, FC_XT_CALL0, n);
        for (unsigned t = 0; t < n; t++) {
            uint32_t a0 = tab[t * 8], a1 = tab[t * 8 + 1], r = tab[t * 8 + 6];
            if (e || (int)r != branches[i].host(a0, a1)) {
                if (bad++ < 3)
                    printf("  [%s] %s(0x%08x, 0x%08x): %d (err %d)\n", core, branches[i].name, a0, a1,
                           (int)r, e);
            }
        }
        check(bad == 0, branches[i].name, core);
    }
    /* backward branch and J: a loop counting a2 down, a3 = iterations */
    code c = {.n = 0};
    emit(&c, xt_movi_n(A3, 0));
    emit(&c, xt_j(3 + 3));                 /* over the addi below into the test */
    uint32_t loop = here(&c);
    emit(&c, xt_addi(A3, A3, 1));          /* loop: */
    emit(&c, xt_addi(A2, A2, -1));
    emit(&c, xt_bnez(A2, (int32_t)(loop - here(&c))));
    emit(&c, xt_mov_n(A2, A3));
    emit(&c, xt_ret_n());
    /* entry: j lands on the addi a2 (so the first pass is the decrement) */
    uint32_t a = 37;
    uint64_t r = 0;
    int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, &a, 1, &r, NULL);
    if (e || (uint32_t)r != 36)
        printf("  [%s] loop: err %d, result %" PRIu64 "\n", core, e, r);
    check(e == 0 && (uint32_t)r == 36, "j and a backward bnez loop", core);
}

/* ---- call0 calls: f(x) = g(x) + 1 via CALL0 and via CALLX0 ------------------------- */
static void call_tests(fc_xt *x, const char *core)
{
    for (int viax = 0; viax < 2; viax++) {
        code c = {.n = 0};
        word(&c, 0);                          /* literal: g's address */
        uint32_t f = here(&c);
        emit(&c, xt_addi(XT_A1, XT_A1, -16));
        emit(&c, xt_s32i(XT_A0, XT_A1, 0));
        uint32_t at = here(&c);
        if (viax) {
            emit(&c, xt_l32r(A4, at, CODE_ADDR));
            emit(&c, xt_callx0(A4));
        } else {
            emit(&c, xt_nop());                /* placeholder: call0 g, patched below */
        }
        emit(&c, xt_addi_n(A2, A2, 1));
        emit(&c, xt_l32i(XT_A0, XT_A1, 0));
        emit(&c, xt_addi(XT_A1, XT_A1, 16));
        emit(&c, xt_ret_n());
        align4(&c);
        uint32_t g = here(&c);
        emit(&c, xt_mull(A2, A2, A2));
        emit(&c, xt_ret());
        c.b[0] = (uint8_t)g;
        c.b[1] = (uint8_t)(g >> 8);
        c.b[2] = (uint8_t)(g >> 16);
        c.b[3] = (uint8_t)(g >> 24);
        if (!viax)
            xt_put(c.b + (at - CODE_ADDR), xt_call0(at, g));
        uint32_t a = 12;
        uint64_t r = 0;
        int e = run(x, &c, f, FC_XT_CALL0, &a, 1, &r, NULL);
        check(e == 0 && (uint32_t)r == 145, viax ? "callx0 through l32r" : "call0", core);
    }
}

/* ---- 2. windowed: f(a, b) calls g with callN / callxN, g = a / b (quou) -------- */
static void windowed_tests(fc_xt *x, const char *core)
{
    for (unsigned n = 1; n <= 3; n++) {
        for (int viax = 0; viax < 2; viax++) {
            code c = {.n = 0};
            word(&c, 0);
            uint32_t f = here(&c);
            unsigned base = 4 * n;             /* the callee's a2 is our a(4n+2) */
            emit(&c, xt_entry(XT_A1, 48));
            emit(&c, xt_mov(base + 2, A2));
            emit(&c, xt_mov(base + 3, A3));
            uint32_t at = here(&c);
            if (viax) {
                emit(&c, xt_l32r(A4, at, CODE_ADDR));
                emit(&c, xt_callxn(n, A4));
            } else {
                emit(&c, xt_nop());
            }
            emit(&c, xt_addi(A2, base + 2, 100));
            emit(&c, xt_retw());
            align4(&c);
            uint32_t g = here(&c);
            emit(&c, xt_entry(XT_A1, 32));
            emit(&c, xt_quou(A2, A2, A3));
            emit(&c, xt_retw_n());
            for (unsigned i = 0; i < 4; i++)
                c.b[i] = (uint8_t)(g >> (8 * i));
            if (!viax)
                xt_put(c.b + (at - CODE_ADDR), xt_calln(n, at, g));
            uint32_t a[2] = {1000, 7};
            uint64_t r = 0;
            int e = run(x, &c, f, FC_XT_WINDOWED, a, 2, &r, NULL);
            char what[64];
            snprintf(what, sizeof what, "entry/retw/%s%u/retw.n", viax ? "callx" : "call", 4 * n);
            if (e || (uint32_t)r != 1000 / 7 + 100)
                printf("  [%s] %s: err %d, result %" PRIu64 "\n", core, what, e, r);
            check(e == 0 && (uint32_t)r == 1000 / 7 + 100, what, core);
        }
    }
    /* sum(n) = n + sum(n - 1) with CALL8: 40 frames, far more than the 64
     * physical registers hold, so window overflows and underflows happen */
    code c = {.n = 0};
    uint32_t sum = here(&c);
    emit(&c, xt_entry(XT_A1, 32));
    emit(&c, xt_bnez(A2, 3 + 3));             /* over the retw below */
    emit(&c, xt_retw());                        /* sum(0) = 0 */
    emit(&c, xt_addi(XT_A10, A2, -1));
    emit(&c, xt_call8(here(&c), sum));          /* sum is 4-aligned (CODE_ADDR) */
    emit(&c, xt_add(A2, A2, XT_A10));
    emit(&c, xt_retw());
    uint32_t a = 40;
    uint64_t r = 0;
    int e = run(x, &c, sum, FC_XT_WINDOWED, &a, 1, &r, NULL);
    check(e == 0 && (uint32_t)r == 40 * 41 / 2, "call8 recursion 40 deep (window overflow/underflow)", core);

    /* the disassembler reads the encodings lx106 binutils cannot make */
    struct { uint32_t enc; const char *text; } d[] = {
        {xt_entry(XT_A1, 32), "entry a1, 32"}, {xt_retw(), "retw"}, {xt_retw_n(), "retw.n"},
        {xt_callx8(A4), "callx8 a4"}, {xt_callx4(XT_A5), "callx4 a5"}, {xt_callx12(XT_A6), "callx12 a6"},
        {xt_call8(0x1000, 0x1010), "call8 .+16 <0x1010>"}, {xt_call4(0x1000, 0x0ffc), "call4 .-4 <0xffc>"},
        {xt_call12(0x1002, 0x1008), "call12 .+6 <0x1008>"},
        {xt_quou(A2, A3, A4), "quou a2, a3, a4"}, {xt_quos(A2, A3, A4), "quos a2, a3, a4"},
        {xt_remu(A2, A3, A4), "remu a2, a3, a4"}, {xt_rems(A2, A3, A4), "rems a2, a3, a4"},
        {xt_movsp(XT_A1, XT_A5), "movsp a1, a5"},
    };
    unsigned bad = 0;
    for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++) {
        uint8_t b[3];
        char t[64];
        unsigned n = xt_put(b, d[i].enc);
        uint32_t addr = strstr(d[i].text, "0x1008") ? 0x1002u : 0x1000u;
        if (xt_disasm(b, n, 0, addr, t, sizeof t) != n || strcmp(t, d[i].text)) {
            printf("  disassembler: \"%s\", want \"%s\"\n", t, d[i].text);
            bad++;
        }
    }
    check(bad == 0, "disassembler: windowed and DIV32 encodings", core);
}

/* ---- 3/4. faults, time limit, restarts, rewritten code, counts -------------------- */
static void fault_tests(fc_xt *x, enum fc_xt_core core_id, const char *core)
{
    uint8_t pat[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, got[16];
    fc_xt_write(x, DATA_ADDR + 256, pat, sizeof pat);
    struct { const char *name; uint32_t enc[3]; int sig; } f[] = {
        {"ill: SIGILL", {XT_BAD}, 4},
        {"load from unmapped memory: SIGSEGV", {xt_movi(A2, 0x10), xt_l32i(A2, A2, 0)}, 11},
        {"store to unmapped memory: SIGSEGV", {xt_movi(A2, 0x10), xt_s32i(A2, A2, 0)}, 11},
        {"quou by zero: SIGFPE", {xt_movi_n(A3, 0), xt_quou(A2, A2, A3)}, 8},
        {"quou on lx106: SIGILL", {xt_quou(A2, A2, A3)}, 4},
        {"entry on lx106: SIGILL", {xt_entry(XT_A1, 32)}, 4},
    };
    for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) {
        int lx_only = strstr(f[i].name, "on lx106") != NULL;
        int dc_only = strstr(f[i].name, "by zero") != NULL;
        if ((lx_only && core_id != FC_XT_LX106) || (dc_only && core_id != FC_XT_DC233C))
            continue;
        code c = {.n = 0};
        for (unsigned j = 0; j < 3 && (f[i].enc[j] || j == 0); j++) {
            if (f[i].enc[j] == XT_BAD) {
                c.n += xt_put(c.b + c.n, XT_BAD);
                break;
            }
            emit(&c, f[i].enc[j]);
        }
        emit(&c, xt_ret_n());
        fc_xt_stats st;
        unsigned starts = fc_xt_starts(x);
        int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, NULL, 0, NULL, &st);
        if (e != FC_XT_EFAULT || st.signal != f[i].sig)
            printf("  [%s] %s: result %d, signal %d\n", core, f[i].name, e, st.signal);
        check(e == FC_XT_EFAULT && st.signal == f[i].sig, f[i].name, core);
        /* the next request restarts QEMU with the memory the host knows */
        memset(got, 0, sizeof got);
        e = fc_xt_read(x, DATA_ADDR + 256, got, sizeof got);
        check(e == 0 && !memcmp(got, pat, sizeof pat) && fc_xt_starts(x) == starts + 1,
              "restart after a fault restores memory", core);
    }
    /* the time limit */
    code c = {.n = 0};
    emit(&c, xt_j(0));
    fc_xt_timeout(x, 300);
    int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, NULL, 0, NULL, NULL);
    fc_xt_timeout(x, 2000);
    check(e == FC_XT_ETIMEOUT, "endless loop stops at the time limit", core);
    /* code rewritten in place runs as rewritten */
    uint64_t r1 = 0, r2 = 0;
    c.n = 0;
    emit(&c, xt_movi_n(A2, 1));
    emit(&c, xt_ret_n());
    int e1 = run(x, &c, CODE_ADDR, FC_XT_CALL0, NULL, 0, &r1, NULL);
    c.n = 0;
    emit(&c, xt_movi_n(A2, 2));
    emit(&c, xt_ret_n());
    int e2 = run(x, &c, CODE_ADDR, FC_XT_CALL0, NULL, 0, &r2, NULL);
    check(e1 == 0 && e2 == 0 && (uint32_t)r1 == 1 && (uint32_t)r2 == 2, "code rewritten in place", core);
}

static void count_tests(fc_xt *x, const char *core)
{
    if (fc_xt_count(x, 1)) {
        check(0, "counting: restart with the trace", core);
        return;
    }
    /* movi.n; loop: addi.n; bne (k times); mov.n; ret.n = 2k + 3 */
    code c = {.n = 0};
    emit(&c, xt_movi_n(A3, 0));
    uint32_t loop = here(&c);
    emit(&c, xt_addi_n(A3, A3, 1));
    emit(&c, xt_bne(A3, A2, (int32_t)(loop - here(&c))));
    emit(&c, xt_mov_n(A2, A3));
    emit(&c, xt_ret_n());
    unsigned ks[] = {1, 10, 100, 1000};
    for (unsigned i = 0; i < 4; i++) {
        uint32_t a = ks[i];
        uint64_t r = 0;
        fc_xt_stats st;
        int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, &a, 1, &r, &st);
        char what[64];
        snprintf(what, sizeof what, "instruction count of a %u-pass loop", ks[i]);
        if (e || !st.counted || st.insns != 2ull * ks[i] + 3)
            printf("  [%s] %s: err %d, counted %d, %" PRIu64 " (want %u)\n", core, what, e, st.counted,
                   st.insns, 2 * ks[i] + 3);
        check(e == 0 && (uint32_t)r == ks[i] && st.counted && st.insns == 2ull * ks[i] + 3, what, core);
    }
    fc_xt_count(x, 0);
}

/* an upcall handler: reads and writes guest memory while the guest waits */
static unsigned upcall_seen;
static uint32_t upcall_fn(void *ctx, fc_xt *x, uint32_t a2, uint32_t a3, uint32_t a4)
{
    uint32_t w = a2 ^ 0x5a5a5a5au, back = 0;
    (void)ctx;
    upcall_seen++;
    if (fc_xt_write(x, DATA_ADDR + 512, &w, 4) || fc_xt_read(x, DATA_ADDR + 512, &back, 4) || back != w)
        return 0xdeadu;
    return a2 * 3u + a3 + a4;
}

static void upcall_tests(fc_xt *x, const char *core)
{
    /* f(v, fn): fn(v, v + 1, 7) + 1, with a0 saved around the CALLX0 */
    code c = {.n = 0};
    emit(&c, xt_addi(XT_A1, XT_A1, -16));
    emit(&c, xt_s32i(XT_A0, XT_A1, 0));
    emit(&c, xt_mov_n(XT_A8, XT_A3));
    emit(&c, xt_addi(XT_A3, XT_A2, 1));
    emit(&c, xt_movi(XT_A4, 7));
    emit(&c, xt_callx0(XT_A8));
    emit(&c, xt_addi(XT_A2, XT_A2, 1));
    emit(&c, xt_l32i(XT_A0, XT_A1, 0));
    emit(&c, xt_addi(XT_A1, XT_A1, 16));
    emit(&c, xt_ret_n());
    uint32_t a[2] = {1000, fc_xt_upcall_addr()};
    uint64_t r = 0;
    fc_xt_set_upcall(x, upcall_fn, NULL);
    upcall_seen = 0;
    int e = run(x, &c, CODE_ADDR, FC_XT_CALL0, a, 2, &r, NULL);
    uint32_t w = 0;
    int er = fc_xt_read(x, DATA_ADDR + 512, &w, 4);
    if (e || (uint32_t)r != 3000u + 1001u + 7u + 1u || upcall_seen != 1 || er || w != (1000u ^ 0x5a5a5a5au))
        printf("  [%s] upcall: err %d, r 0x%llx, %u upcalls, word 0x%08x\n", core, e, (unsigned long long)r,
               upcall_seen, w);
    check(e == 0 && (uint32_t)r == 4009u && upcall_seen == 1, "upcall: the host's result returned", core);
    check(er == 0 && w == (1000u ^ 0x5a5a5a5au), "upcall: the handler's write seen by the guest", core);
    /* without a handler the call fails, and the runner goes on after a restart */
    fc_xt_set_upcall(x, NULL, NULL);
    e = run(x, &c, CODE_ADDR, FC_XT_CALL0, a, 2, &r, NULL);
    check(e != FC_XT_OK, "upcall without a handler fails the call", core);
    a[0] = 5;
    fc_xt_set_upcall(x, upcall_fn, NULL);
    e = run(x, &c, CODE_ADDR, FC_XT_CALL0, a, 2, &r, NULL);
    check(e == 0 && (uint32_t)r == 15u + 6u + 7u + 1u, "upcall after a restart", core);
    fc_xt_set_upcall(x, NULL, NULL);
}

/* ---- 5. lx106: the division routines against the host ------------------------------ */
static uint64_t val64(void)
{
    static const uint64_t edge[] = {0, 1, 2, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                    0xffffffffffffffffull, 0xffffffffull, 0x100000000ull, 0x80000000ull,
                                    0xfffffffffffffffeull};
    uint32_t k = rnd() % 20;
    if (k < sizeof edge / sizeof edge[0])
        return edge[k];
    uint64_t v = (uint64_t)rnd() << 32 | rnd();
    return v >> (rnd() % 64);
}

static void div_tests(fc_xt *x)
{
    const char *core = "lx106";
    if (fc_xt_map(x, RT_ADDR, (fc_xt_rt_lx106_len + PAGE - 1) & ~(PAGE - 1), FC_XT_RWX) ||
        fc_xt_write(x, RT_ADDR, fc_xt_rt_lx106, fc_xt_rt_lx106_len)) {
        check(0, "load the lx106 runtime routines", core);
        return;
    }
    struct { const char *name; uint32_t fn; int sign, mod, ebpf; } d32[] = {
        {"fc_udiv32", fc_xt_rt_lx106_fc_udiv32, 0, 0, 1}, {"fc_umod32", fc_xt_rt_lx106_fc_umod32, 0, 1, 1},
        {"fc_sdiv32", fc_xt_rt_lx106_fc_sdiv32, 1, 0, 1}, {"fc_smod32", fc_xt_rt_lx106_fc_smod32, 1, 1, 1},
        {"__udivsi3", fc_xt_rt_lx106___udivsi3, 0, 0, 0}, {"__umodsi3", fc_xt_rt_lx106___umodsi3, 0, 1, 0},
        {"__divsi3", fc_xt_rt_lx106___divsi3, 1, 0, 0}, {"__modsi3", fc_xt_rt_lx106___modsi3, 1, 1, 0},
    };
    for (unsigned i = 0; i < sizeof d32 / sizeof d32[0]; i++) {
        unsigned bad = 0, n = 4000;
        for (unsigned t = 0; t < n; t++) {
            uint32_t a0 = val(), a1 = val();
            if (t < 3)
                a1 = 0;                              /* eBPF: x / 0, x % 0 */
            if (t == 3)
                a0 = 0x80000000u, a1 = 0xffffffffu;  /* INT_MIN / -1 */
            memset(&tab[t * 8], 0, 32);
            tab[t * 8] = a0;
            tab[t * 8 + 1] = a1;
            tab[t * 8 + 6] = 0xa5a5a5a5u;
        }
        int e = run_table(x, d32[i].fn, FC_XT_CALL0, n);
        for (unsigned t = 0; t < n; t++) {
            uint32_t a0 = tab[t * 8], a1 = tab[t * 8 + 1], r = tab[t * 8 + 6], want;
            if (a1 == 0)
                want = d32[i].mod ? a0 : 0;
            else if (!d32[i].sign)
                want = d32[i].mod ? a0 % a1 : a0 / a1;
            else if (a0 == 0x80000000u && a1 == 0xffffffffu)
                want = d32[i].mod ? 0 : 0x80000000u;
            else
                want = (uint32_t)(d32[i].mod ? (int32_t)a0 % (int32_t)a1 : (int32_t)a0 / (int32_t)a1);
            if (e || r != want) {
                if (bad++ < 3)
                    printf("  [lx106] %s(0x%08x, 0x%08x) = 0x%08x (err %d), want 0x%08x\n", d32[i].name,
                           a0, a1, r, e, want);
            }
        }
        char what[80];
        snprintf(what, sizeof what, "%s against host division (%u inputs)", d32[i].name, n);
        check(bad == 0, what, core);
    }
    struct { const char *name; uint32_t fn; int kind; } d64[] = {
        {"fc_native_udiv64", fc_xt_rt_lx106_fc_native_udiv64, 0},
        {"fc_native_umod64", fc_xt_rt_lx106_fc_native_umod64, 1},
        {"fc_native_sdiv64", fc_xt_rt_lx106_fc_native_sdiv64, 2},
        {"fc_native_smod64", fc_xt_rt_lx106_fc_native_smod64, 3},
        {"__muldi3", fc_xt_rt_lx106___muldi3, 4},
    };
    for (unsigned i = 0; i < sizeof d64 / sizeof d64[0]; i++) {
        unsigned bad = 0, n = 4000;
        for (unsigned t = 0; t < n; t++) {
            uint64_t a = val64(), b = val64();
            if (t < 2)
                b = 0;
            if (t == 2)
                a = 0x8000000000000000ull, b = ~0ull;
            memset(&tab[t * 8], 0, 32);
            tab[t * 8] = (uint32_t)a;
            tab[t * 8 + 1] = (uint32_t)(a >> 32);
            tab[t * 8 + 2] = (uint32_t)b;
            tab[t * 8 + 3] = (uint32_t)(b >> 32);
            tab[t * 8 + 6] = 0xa5a5a5a5u;
        }
        int e = run_table(x, d64[i].fn, FC_XT_CALL0, n);
        for (unsigned t = 0; t < n; t++) {
            uint64_t a = tab[t * 8] | (uint64_t)tab[t * 8 + 1] << 32;
            uint64_t b = tab[t * 8 + 2] | (uint64_t)tab[t * 8 + 3] << 32;
            uint64_t r = tab[t * 8 + 6] | (uint64_t)tab[t * 8 + 7] << 32, want;
            int64_t sa = (int64_t)a, sb = (int64_t)b;
            switch (d64[i].kind) {
            case 0: want = b ? a / b : 0; break;
            case 1: want = b ? a % b : a; break;
            case 2: want = !b ? 0 : (sa == INT64_MIN && sb == -1) ? a : (uint64_t)(sa / sb); break;
            case 3: want = !b ? a : (sa == INT64_MIN && sb == -1) ? 0 : (uint64_t)(sa % sb); break;
            default: want = a * b; break;
            }
            if (e || r != want) {
                if (bad++ < 3)
                    printf("  [lx106] %s(0x%016" PRIx64 ", 0x%016" PRIx64 ") = 0x%016" PRIx64
                           " (err %d), want 0x%016" PRIx64 "\n", d64[i].name, a, b, r, e, want);
            }
        }
        char what[80];
        snprintf(what, sizeof what, "%s against host arithmetic (%u inputs)", d64[i].name, n);
        check(bad == 0, what, core);
    }
}

int main(void)
{
    const op2case base_ops[] = {
        {"add", {xt_add(A2, A2, A3)}, h_add, 0},
        {"sub", {xt_sub(A2, A2, A3)}, h_sub, 0},
        {"addx2", {xt_addx2(A2, A2, A3)}, h_addx2, 0},
        {"addx4", {xt_addx4(A2, A2, A3)}, h_addx4, 0},
        {"addx8", {xt_addx8(A2, A2, A3)}, h_addx8, 0},
        {"subx2", {xt_subx2(A2, A2, A3)}, h_subx2, 0},
        {"subx4", {xt_subx4(A2, A2, A3)}, h_subx4, 0},
        {"subx8", {xt_subx8(A2, A2, A3)}, h_subx8, 0},
        {"and", {xt_and(A2, A2, A3)}, h_and, 0},
        {"or", {xt_or(A2, A2, A3)}, h_or, 0},
        {"xor", {xt_xor(A2, A2, A3)}, h_xor, 0},
        {"mull", {xt_mull(A2, A2, A3)}, h_mull, 0},
        {"mul16u", {xt_mul16u(A2, A2, A3)}, h_mul16u, 0},
        {"mul16s", {xt_mul16s(A2, A2, A3)}, h_mul16s, 0},
        {"neg", {xt_neg(A2, A2)}, h_neg, 0},
        {"abs", {xt_abs(A2, A2)}, h_abs, 0},
        {"ssl+sll", {xt_ssl(A3), xt_sll(A2, A2)}, h_sll, 0},
        {"ssr+srl", {xt_ssr(A3), xt_srl(A2, A2)}, h_srl, 0},
        {"ssr+sra", {xt_ssr(A3), xt_sra(A2, A2)}, h_sra, 0},
        {"ssr+src", {xt_ssr(A3), xt_src(A2, A3, A2)}, h_src, 0},
        {"slli 7", {xt_slli(A2, A2, 7)}, h_slli7, 0},
        {"slli 31", {xt_slli(A2, A2, 31)}, h_slli31, 0},
        {"srai 20", {xt_srai(A2, A2, 20)}, h_srai20, 0},
        {"srli 15", {xt_srli(A2, A2, 15)}, h_srli15, 0},
        {"extui 17,5", {xt_extui(A2, A2, 17, 5)}, h_extui, 0},
        {"extui 16,16", {xt_extui(A2, A2, 16, 16)}, h_extui16, 0},
        {"moveqz", {xt_movi(A4, 0x234), xt_addmi(A4, A4, 0x1000), xt_moveqz(A2, A4, A3)}, h_moveqz, 0},
        {"movnez", {xt_movi(A4, 0x234), xt_addmi(A4, A4, 0x1000), xt_movnez(A2, A4, A3)}, h_movnez, 0},
        {"movltz", {xt_movi(A4, 0x234), xt_addmi(A4, A4, 0x1000), xt_movltz(A2, A4, A3)}, h_movltz, 0},
        {"movgez", {xt_movi(A4, 0x234), xt_addmi(A4, A4, 0x1000), xt_movgez(A2, A4, A3)}, h_movgez, 0},
        {"add.n+addi.n", {xt_add_n(A2, A2, A3), xt_addi_n(A2, A2, 15), xt_addi_n(A2, A2, -1)}, h_addn, 0},
        {"nsau", {xt_nsau(A2, A2)}, h_nsau, 0},
    };
    const op2case div_ops[] = {
        {"quou", {xt_quou(A2, A2, A3)}, h_quou, 1},
        {"remu", {xt_remu(A2, A2, A3)}, h_remu, 1},
        {"quos", {xt_quos(A2, A2, A3)}, h_quos, 1},
        {"rems", {xt_rems(A2, A2, A3)}, h_rems, 1},
    };

    enum fc_xt_core cores[2] = {FC_XT_LX106, FC_XT_DC233C};
    for (unsigned k = 0; k < 2; k++) {
        char err[200];
        const char *core = fc_xt_core_name(cores[k]);
        fc_xt *x = fc_xt_open(cores[k], err, sizeof err);
        if (!x) {
            printf("FAIL [%s] open: %s\n", core, err);
            failed++;
            continue;
        }
        if (fc_xt_map(x, CODE_ADDR, PAGE, FC_XT_RWX) || fc_xt_map(x, DATA_ADDR, PAGE, FC_XT_R | FC_XT_W) ||
            fc_xt_map(x, TABLE_ADDR, TABLE_MAX * 32u, FC_XT_R | FC_XT_W)) {
            check(0, "map code and data", core);
            fc_xt_close(x);
            continue;
        }
        op2_tests(x, core, base_ops, sizeof base_ops / sizeof base_ops[0], 0);
        const_tests(x, core);
        branch_tests(x, core);
        call_tests(x, core);
        if (cores[k] == FC_XT_DC233C) {
            op2_tests(x, core, div_ops, sizeof div_ops / sizeof div_ops[0], 0);
            op2_tests(x, core, base_ops, 6, 1);
            op2_tests(x, core, div_ops, sizeof div_ops / sizeof div_ops[0], 1);
            windowed_tests(x, core);
        }
        fault_tests(x, cores[k], core);
        upcall_tests(x, core);
        count_tests(x, core);
        if (cores[k] == FC_XT_LX106)
            div_tests(x);
        printf("[%s] %u QEMU starts\n", core, fc_xt_starts(x));
        fc_xt_close(x);
    }
    printf("xtensa-sim: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
