/*
 * xt_isel.c - the lx106 (ESP8266) and esp32 backends: the middle end's allocated IR
 * (fc_ir.h, fc_regalloc.h with fc_ra_target_lx106) selected into Xtensa
 * code (call0 ABI, base ISA + Code Density + MUL16 + MUL32; no divide
 * instruction, no MUL32_HIGH, no atomics) through xt_enc.h and the shared
 * emission layer fc_emit. Freestanding C99, no allocation.
 *
 * Registers (the lx106 table in middle/fc_regalloc.c):
 *   a0        return address; saved by every prologue, then a scratch
 *   a1        machine stack pointer
 *   a2-a7     allocated, caller-saved (call0: a2-a11 and a0 are)
 *   a8-a11    scratch: spill reloads, addresses, pseudo-op temporaries
 *   a12, a13  allocated, callee-saved (every function saves them)
 *   a14       the environment (struct fc_native_env)
 *   a15       the frame register (eBPF r10 of the current frame)
 *
 * Machine frame of each function (call0: sp 16-byte aligned):
 *
 *   sp + 0    a0          sp + 12   a14 (entry function only)
 *   sp + 4    a12         sp + 16   a15 (entry function only)
 *   sp + 8    a13         sp + 20   spill slots, 4 bytes each
 *
 * The entry stores sp in env->saved_sp; every error exit reloads it and
 * returns through the entry function's epilogue with the error code.
 *
 * Constants and runtime addresses. movi reaches -2048..2047; everything
 * else comes from one literal pool at the start of the code (l32r reaches
 * 256 KiB backwards only, so the pool must precede every use: a pool in
 * front of the code is the one place that serves the whole image without
 * islands, and an image above 256 KiB is refused by the encoder). The
 * runtime routines' and sections' addresses are pool words with
 * FC_RELOC_ABS32 relocations, which the generic loader code applies; no
 * Xtensa-specific relocation is needed. The alternative, the addresses in
 * the environment, would change the env layout every target shares.
 *
 * Values across calls. Local calls, helper calls and exits pass the eBPF
 * registers through env->regs (the maps of fc_regalloc say which vregs and
 * where they live): the caller stores what the callee's entry reads, the
 * callee's prologue loads it into its own locations, its exit stores what
 * callers read back. One convention for every boundary, and env->regs is
 * what the helper trampoline reads anyway.
 *
 * Heavy pseudo-ops (64-bit multiply and division, 32-bit division, atomics)
 * stage their operands in env->regs[5..7] (free between calls), save a2-a7
 * in env->regs[8..10], compute in fixed registers (division: a call of the
 * runtime's 64-bit routine, call0: a in a2:a3, b in a4:a5, result a2:a3;
 * 32-bit division uses the same routines on zero- or sign-extended
 * operands, which give the eBPF results for a zero divisor and INT_MIN / -1
 * too), then restore a2-a7 and load the results. No new runtime symbol.
 *
 * Memory. lx106 faults on unaligned L16/L32/S16/S32, and eBPF allows any
 * alignment: program loads and stores of 2 and 4 bytes test the address's
 * low bits at run time and take one L16UI/L32I/S16I/S32I when it is
 * aligned, byte by byte when not (fast_begin). Bounds checks test the
 * region the verifier's hint names in line (fast_region: one span, or the
 * frame), and only outside it call a shared routine per (permission, size)
 * that walks the eight region spans and the stack; the site branches to an
 * error stub on failure.
 *
 * Atomics: lx106 has no atomic instructions (no S32C1I). A run is a
 * single-threaded call into the sandbox and nothing else touches its
 * regions during it (the runtime does not run an app from an interrupt
 * handler), so the read-modify-write is plain loads and stores.
 *
 * The esp32 flavour (fc_backend_esp32, -march=esp32, target
 * FC_TARGET_ESP32; the flag `win` of one selector, not a copy). ESP-IDF
 * code is windowed, so the runtime enters the code with CALLX8 (env in our
 * a2) and the code calls the runtime's routines (helper trampoline, 64-bit
 * division) with CALLX8, their arguments in a10.. (the callee's a2..),
 * their result back in a10/a11. What differs, and only that:
 *   - every function starts with ENTRY a1, frame and returns with RETW.N;
 *     a0 (the windowed return address, a scratch in the body) is kept at
 *     sp + 0; sp never moves after ENTRY;
 *   - local eBPF calls are windowed too (CALL8, env and the callee's frame
 *     register as its a2, a3; it returns 0 or the error code in a2): a
 *     call0-internal call would move a1 under a live window, and the
 *     overflow handlers find the caller's save area through a1. An error
 *     returns from the function that failed with its code, and each caller
 *     passes a non-zero a10 on (lab_eret), up to the entry's RETW: no
 *     saved_sp, no unwinding;
 *   - a CALL8/CALLX8 callee's window starts at our a8, so a8-a15 are its:
 *     a12, a13 (allocated, callee-saved in the table), a14 (env) and a15
 *     (frame register) are stored at sp + 4..16 around each call and
 *     reloaded after (a2-a7 survive in our window). So the allocator table
 *     stays fc_ra_target_lx106: its caller-saved a2-a7 are a safe (if
 *     pessimistic) view of both calls;
 *   - 32-bit division and modulo are QUOU/QUOS/REMU/REMS in line, with the
 *     eBPF cases tested first (x / 0 = 0, x % 0 = x: DIV32 would raise
 *     IntegerDivideByZero; x / -1 = -x and x % -1 = 0 for the signed
 *     forms); 64-bit division stays the runtime's routines;
 *   - no MUL32_HIGH (MULUH/MULSH: no upstream QEMU core executes them, so
 *     nothing here could test them): the 64-bit multiply is lx106's MULL +
 *     MUL16U sequence, for both;
 *   - frames are 32 bytes larger: the top 32 belong to the window overflow
 *     handlers (the base save area of the caller's caller, the extra save
 *     area of our a4-a7 as a CALL8 caller).
 * Memory accesses have the same run-time alignment test (the LX6 faults on
 * unaligned L16/L32 too) and atomics plain read-modify-write (the runtime runs an app on
 * one core, not from an interrupt).
 */
#include "fc_backend.h"
#include "fc_emit.h"
#include "fc_ir.h"
#include "fc_isa.h"
#include "fc_vm.h"
#include "fc_regalloc.h"
#include "xt_enc.h"

unsigned xt_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr, char *buf,
                   size_t size);

#define A0 0u
#define SP 1u
#define S8 8u
#define S9 9u
#define S10 10u
#define S11 11u
#define ENV 14u
#define FP 15u

#define FRAME_FIXED 20u
#define MAX_SLOTS 250u
/* machine stack of the runtime routines the code calls (lx106 -Os, gcc
 * -fstack-usage: fc_native_udiv64..smod64 32 bytes; fc_native_helper 16 +
 * fc_native_helper_vm 48, the helpers themselves not included, as
 * FC_NATIVE_MSTACK says) */
#define XT_RT_FRAME 64u
/* env words the heavy ops use (docs above) */
#define T_OFF(i) (0x28u + 4u * (i))
#define W_OFF(i) (0x40u + 4u * (i))
/* the env word of eBPF register vreg v (1..20) */
#define ENVV(v) (4u * ((unsigned)(v) - 1u))

#define NOSYM 0xffu

typedef struct pool_ent {
    uint32_t val;
    uint8_t sym;
} pool_ent;

enum { ST_ERR = 1, ST_MEM = 2 };

struct fc_cg {
    fc_em em;
    const fc_ir *ir;
    const fc_ra *ra;
    uint32_t k;             /* IR instruction being selected */
    uint32_t f;             /* its function */
    uint32_t frame;         /* machine frame bytes of function f */
    uint32_t frame0;        /* of the entry function */
    pool_ent *pool;
    uint32_t npool, poolcap;
    int pool_full;
    uint32_t lab_blk, lab_fn, lab_err, lab_errmem, lab_chk;
    uint16_t chk_used;      /* bit perm * 4 + lg */
    int win;                /* the esp32 flavour: windowed ABI, DIV32 */
    uint32_t lab_eret;      /* win: return the error code in a10 */
    int internal;           /* an assumption broke */
    const char *why;
    const fc_insn_info *info;   /* the verifier's facts (region hints), or NULL */
    uint32_t ninsns;
    uint32_t npass;         /* passes made */
    int guess_fwd;          /* the first pass: br_level */
};

/* ---- emission primitives ------------------------------------------------- */
static void put(struct fc_cg *c, uint32_t enc) { fc_em_put(&c->em, enc); }

static void word(struct fc_cg *c, uint32_t v)
{
    fc_em *em = &c->em;
    if (em->writing && em->buf && em->pos + 4u <= em->cap) {
        em->buf[em->pos] = (uint8_t)v;
        em->buf[em->pos + 1] = (uint8_t)(v >> 8);
        em->buf[em->pos + 2] = (uint8_t)(v >> 16);
        em->buf[em->pos + 3] = (uint8_t)(v >> 24);
    }
    em->pos += 4u;
}

static void fail(struct fc_cg *c, const char *why)
{
    if (!c->internal) {
        c->internal = 1;
        c->why = why;
    }
}

static uint32_t pool_idx(struct fc_cg *c, uint32_t val, unsigned sym)
{
    for (uint32_t i = 0; i < c->npool; i++)
        if (c->pool[i].val == val && c->pool[i].sym == sym)
            return i;
    if (c->npool >= c->poolcap) {
        c->pool_full = 1;
        return 0;
    }
    c->pool[c->npool].val = val;
    c->pool[c->npool].sym = (uint8_t)sym;
    c->em.moved = 1;    /* the code after the pool moves: one more pass */
    return c->npool++;
}

static void l32r(struct fc_cg *c, unsigned r, uint32_t idx)
{
    put(c, xt_l32r(r, c->em.pos, 4u * idx));
}

/* r = v */
static void movc(struct fc_cg *c, unsigned r, uint32_t v)
{
    int32_t s = (int32_t)v;
    if (xt_movin_ok(s))
        put(c, xt_movi_n(r, s));
    else if (xt_simm12_ok(s))
        put(c, xt_movi(r, s));
    else
        l32r(c, r, pool_idx(c, v, NOSYM));
}

/* d = s >> n (logical, n 1..31): SRLI reaches 15, EXTUI the rest */
static uint32_t srl_imm(unsigned d, unsigned s, unsigned n)
{
    return n < 16u ? xt_srli(d, s, n) : xt_extui(d, s, n, 32u - n);
}

static void mov(struct fc_cg *c, unsigned d, unsigned s)
{
    if (d != s)
        put(c, xt_mov_n(d, s));
}

/* d = s + v; tmp a register other than d and s for large v */
static void addc(struct fc_cg *c, unsigned d, unsigned s, int32_t v, unsigned tmp)
{
    if (v == 0) {
        mov(c, d, s);
    } else if (xt_simm8_ok(v)) {
        put(c, xt_addi(d, s, v));
    } else if (v >= -32768 - 128 && v <= 32512 + 127) {
        int32_t hi = (int32_t)(((uint32_t)v + 128u) & ~255u), lo = v - hi;
        if (hi > 32512)
            hi = 32512, lo = v - hi;
        put(c, xt_addmi(d, s, hi));
        if (lo)
            put(c, xt_addi(d, d, lo));
    } else {
        movc(c, tmp, (uint32_t)v);
        put(c, xt_add(d, s, tmp));
    }
}

static uint32_t slot_off(struct fc_cg *c, unsigned l)
{
    uint32_t s = l - 0x100u;
    if (s >= MAX_SLOTS)
        fail(c, "too many spill slots");
    return FRAME_FIXED + 4u * s;
}

/* the register holding location l (loaded into scratch when needed) */
static unsigned rd(struct fc_cg *c, unsigned l, unsigned scratch)
{
    if (FC_RA_IS_REG(l))
        return l - 1u;
    if (l == FC_RA_FP)
        return FP;
    if (FC_RA_IS_SLOT(l)) {
        put(c, xt_l32i(scratch, SP, (int32_t)slot_off(c, l)));
        return scratch;
    }
    put(c, xt_movi_n(scratch, 0));      /* FC_RA_ZERO (NONE: no value anyone reads) */
    return scratch;
}

/* the register to compute location l's new value in */
static unsigned wr(unsigned l, unsigned scratch)
{
    return FC_RA_IS_REG(l) ? l - 1u : scratch;
}

/* after computing into r: store a slot */
static void wdone(struct fc_cg *c, unsigned l, unsigned r)
{
    if (FC_RA_IS_SLOT(l))
        put(c, xt_s32i(r, SP, (int32_t)slot_off(c, l)));
    else if (l == FC_RA_FP || l == FC_RA_ZERO)
        fail(c, "a result in the frame register or the constant 0");
    else if (FC_RA_IS_REG(l) && l - 1u != r)
        mov(c, l - 1u, r);
}

/* location l = the value in register r (a move, a store, nothing for NONE) */
static void setloc(struct fc_cg *c, unsigned l, unsigned r)
{
    if (l == FC_RA_NONE)
        return;
    wdone(c, l, r);
}

/* ---- branches -------------------------------------------------------------- */
static enum xt_br br_inv(enum xt_br r)
{
    switch (r) {
    case XT_BEQ: return XT_BNE;
    case XT_BNE: return XT_BEQ;
    case XT_BLT: return XT_BGE;
    case XT_BGE: return XT_BLT;
    case XT_BLTU: return XT_BGEU;
    case XT_BGEU: return XT_BLTU;
    case XT_BANY: return XT_BNONE;
    case XT_BNONE: return XT_BANY;
    case XT_BALL: return XT_BNALL;
    case XT_BNALL: return XT_BALL;
    case XT_BBC: return XT_BBS;
    default: return XT_BBC;
    }
}

static int32_t dist(struct fc_cg *c, uint32_t lab)
{
    return (int32_t)(c->em.lab[lab] - c->em.pos);
}

static void jmp(struct fc_cg *c, uint32_t lab) { put(c, xt_j(dist(c, lab))); }

/* The size level of a branch to lab (0: the short form, whose reach is
 * ok(), 1: the inverse over a J) and in *d the distance to encode. In the
 * first pass a label still at 0 is one ahead not placed yet: it is taken to
 * be in reach (as the Thumb-2 selector's guess_fwd; the later passes grow
 * what does not reach, sizes only grow), else every forward branch past the
 * first 128 bytes would keep the long form it needed in that pass. */
static unsigned br_level(struct fc_cg *c, uint32_t lab, int (*ok)(int32_t), int32_t *d)
{
    uint32_t id = fc_em_brid(&c->em);
    int fits;
    *d = dist(c, lab);
    fits = ok(*d);
    if (!fits && c->guess_fwd && c->em.lab[lab] == 0) {
        fits = 1;
        *d = 6;
    }
    return fc_em_level(&c->em, id, fits ? 0u : 1u);
}

/* if (as r at) goto lab: the 8-bit form, or the inverse over a J */
static void bra(struct fc_cg *c, enum xt_br r, unsigned as, unsigned at, uint32_t lab)
{
    int32_t d;
    if (br_level(c, lab, xt_boff8_ok, &d) == 0) {
        put(c, xt_br(r, as, at, d));
    } else {
        put(c, xt_br(br_inv(r), as, at, 6));
        jmp(c, lab);
    }
}

/* if (as m 0) goto lab (BEQZ/BNEZ/BLTZ/BGEZ, 12-bit reach) */
static void braz(struct fc_cg *c, enum xt_bz m, unsigned as, uint32_t lab)
{
    int32_t d;
    if (br_level(c, lab, xt_boff12_ok, &d) == 0) {
        put(c, xt_bz(m, as, d));
    } else {
        put(c, xt_bz((enum xt_bz)(m ^ 1u), as, 6));
        jmp(c, lab);
    }
}

/* if (bit of as is set / clear) goto lab */
static void brabit(struct fc_cg *c, int set, unsigned as, unsigned bit, uint32_t lab)
{
    int32_t d;
    if (br_level(c, lab, xt_boff8_ok, &d) == 0) {
        put(c, set ? xt_bbsi(as, bit, d) : xt_bbci(as, bit, d));
    } else {
        put(c, set ? xt_bbci(as, bit, 6) : xt_bbsi(as, bit, 6));
        jmp(c, lab);
    }
}

/* an error exit at the current IR instruction's eBPF slot: a stub */
static uint32_t err_stub(struct fc_cg *c, unsigned type, unsigned code)
{
    uint32_t lab = fc_em_newlab(&c->em);
    fc_em_stub *s = fc_em_addstub(&c->em, type, lab);
    s->code = (uint8_t)code;
    return lab;
}

static void pad4(struct fc_cg *c)
{
    switch (c->em.pos & 3u) {
    case 1: put(c, xt_nop()); break;
    case 2: put(c, xt_nop_n()); break;
    case 3: put(c, xt_nop()); put(c, xt_nop_n()); break;    /* 5 bytes */
    default: break;
    }
}

/* ---- ALU ------------------------------------------------------------------- */
static void bswap32(struct fc_cg *c, unsigned d, unsigned a)
{
    /* a0, a11 temporaries; a and d may be anything else (d may equal a) */
    put(c, xt_extui(A0, a, 24, 8));
    put(c, xt_extui(S11, a, 16, 8));
    put(c, xt_slli(S11, S11, 8));
    put(c, xt_or(A0, A0, S11));
    put(c, xt_extui(S11, a, 8, 8));
    put(c, xt_slli(S11, S11, 16));
    put(c, xt_or(A0, A0, S11));
    put(c, xt_slli(S11, a, 24));
    put(c, xt_or(d, A0, S11));
}

static void sel_alu32(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    int k = (x->fl & FC_IR_K) != 0;
    uint32_t imm = (uint32_t)x->imm;
    unsigned d, a, b = S9;

    if (x->op == FC_IR_MOVI) {
        d = wr(l[0], S10);
        movc(c, d, imm);
        wdone(c, l[0], d);
        return;
    }
    if (l[0] == FC_RA_NONE)
        return;
    a = rd(c, l[2], S8);
    d = wr(l[0], S10);
    switch (x->op) {
    case FC_IR_MOV: mov(c, d, a); break;
    case FC_IR_NEG: put(c, xt_neg(d, a)); break;
    case FC_IR_SEXT8: put(c, xt_slli(d, a, 24)); put(c, xt_srai(d, d, 24)); break;
    case FC_IR_SEXT16: put(c, xt_slli(d, a, 16)); put(c, xt_srai(d, d, 16)); break;
    case FC_IR_ZEXT16: put(c, xt_extui(d, a, 0, 16)); break;
    case FC_IR_BSWAP16:
        put(c, xt_extui(S11, a, 8, 8));
        put(c, xt_extui(A0, a, 0, 8));
        put(c, xt_slli(A0, A0, 8));
        put(c, xt_or(d, A0, S11));
        break;
    case FC_IR_BSWAP32: bswap32(c, d, a); break;
    case FC_IR_LSH: case FC_IR_RSH: case FC_IR_ARSH:
        if (k) {
            unsigned n = imm & 31u;
            if (n == 0)
                mov(c, d, a);
            else if (x->op == FC_IR_LSH)
                put(c, xt_slli(d, a, n));
            else if (x->op == FC_IR_ARSH)
                put(c, xt_srai(d, a, n));
            else if (n < 16)
                put(c, xt_srli(d, a, n));
            else
                put(c, xt_extui(d, a, n, 32u - n));
        } else {
            b = rd(c, l[3], S9);
            if (x->op == FC_IR_LSH) {
                put(c, xt_ssl(b));
                put(c, xt_sll(d, a));
            } else {
                put(c, xt_ssr(b));
                put(c, x->op == FC_IR_RSH ? xt_srl(d, a) : xt_sra(d, a));
            }
        }
        break;
    default:
        if (k) {
            int32_t v = (int32_t)imm;
            if (x->op == FC_IR_ADD && xt_simm8_ok(v)) {
                put(c, xt_addi(d, a, v));
                break;
            }
            if (x->op == FC_IR_SUB && v != INT32_MIN && xt_simm8_ok(-v)) {
                put(c, xt_addi(d, a, -v));
                break;
            }
            if (x->op == FC_IR_AND && (imm == 0xffu || imm == 0xffffu)) {
                put(c, xt_extui(d, a, 0, imm == 0xffu ? 8 : 16));
                break;
            }
            movc(c, S9, imm);
            b = S9;
        } else {
            b = rd(c, l[3], S9);
        }
        switch (x->op) {
        case FC_IR_ADD: put(c, xt_add(d, a, b)); break;
        case FC_IR_SUB: put(c, xt_sub(d, a, b)); break;
        case FC_IR_MUL: put(c, xt_mull(d, a, b)); break;
        case FC_IR_AND: put(c, xt_and(d, a, b)); break;
        case FC_IR_OR: put(c, xt_or(d, a, b)); break;
        case FC_IR_XOR: put(c, xt_xor(d, a, b)); break;
        default: fail(c, "unknown 32-bit op"); break;
        }
        break;
    }
    wdone(c, l[0], d);
}

/* ---- heavy ops: staged in env, fixed registers ------------------------------ */
static void stage_loc(struct fc_cg *c, unsigned l, unsigned i)
{
    unsigned r = rd(c, l, S8);
    put(c, xt_s32i(r, ENV, (int32_t)T_OFF(i)));
}

static void stage_const(struct fc_cg *c, uint32_t v, unsigned i)
{
    movc(c, S8, v);
    put(c, xt_s32i(S8, ENV, (int32_t)T_OFF(i)));
}

static void save_args(struct fc_cg *c)
{
    for (unsigned r = 2; r <= 7; r++)
        put(c, xt_s32i(r, ENV, (int32_t)W_OFF(r - 2)));
}

static void results_from_t(struct fc_cg *c, const uint16_t *l)
{
    for (unsigned j = 0; j < 2; j++)
        if (l[j] != FC_RA_NONE) {
            unsigned d = wr(l[j], S8);
            put(c, xt_l32i(d, ENV, (int32_t)T_OFF(j)));
            wdone(c, l[j], d);
        }
}

static void restore_results(struct fc_cg *c, const uint16_t *l)
{
    put(c, xt_s32i(2, ENV, (int32_t)T_OFF(0)));
    put(c, xt_s32i(3, ENV, (int32_t)T_OFF(1)));
    for (unsigned r = 2; r <= 7; r++)
        put(c, xt_l32i(r, ENV, (int32_t)W_OFF(r - 2)));
    results_from_t(c, l);
}

static void load_staged(struct fc_cg *c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put(c, xt_l32i(2 + i, ENV, (int32_t)T_OFF(i)));
}

static void call_sym(struct fc_cg *c, unsigned sym)
{
    l32r(c, A0, pool_idx(c, 0, sym));
    put(c, xt_callx0(A0));
}

/* esp32: a CALL8/CALLX8 callee's window starts at our a8, so a8-a15 do not
 * survive it (a0-a7 do): a12/a13 (allocated, callee-saved in the table),
 * the env and the frame register wait in the frame (sp + 4..16) */
static void win_save(struct fc_cg *c)
{
    for (unsigned r = 12; r <= 15; r++)
        put(c, xt_s32i_n(r, SP, (int32_t)(4u * (r - 11u))));
}

static void win_restore(struct fc_cg *c)
{
    for (unsigned r = 12; r <= 15; r++)
        put(c, xt_l32i_n(r, SP, (int32_t)(4u * (r - 11u))));
}

/* esp32: CALLX8 the runtime routine sym (its arguments in a10.. = its a2..,
 * its result in a10, a11) */
static void callx8_sym(struct fc_cg *c, unsigned sym)
{
    l32r(c, S8, pool_idx(c, 0, sym));
    put(c, xt_callx8(S8));
}

/* esp32: the routine sym on the four staged words (a10..a13), its result
 * (a10, a11) into l[0], l[1] (never a10/a11: not in the table); a2-a7
 * survive the CALLX8 */
static void win_call_staged(struct fc_cg *c, unsigned sym, const uint16_t *l)
{
    win_save(c);
    for (unsigned i = 0; i < 4; i++)
        put(c, xt_l32i(S10 + i, ENV, (int32_t)T_OFF(i)));
    callx8_sym(c, sym);
    win_restore(c);     /* a10, a11 (the result) stay */
    setloc(c, l[0], S10);
    setloc(c, l[1], S11);
}

/* {a2,a3} = {a2,a3} * {a4,a5} (low 64 bits); MUL16U gives the high word of
 * a2 * a4 (no MUL32_HIGH on lx106); clobbers a6-a11 */
static void mul64_body(struct fc_cg *c)
{
    put(c, xt_mull(6, 2, 5));
    put(c, xt_mull(7, 3, 4));
    put(c, xt_add(6, 6, 7));            /* cross terms of the high word */
    put(c, srl_imm(8, 2, 16));          /* xh */
    put(c, srl_imm(9, 4, 16));          /* yh */
    put(c, xt_mul16u(10, 8, 9));        /* xh * yh */
    put(c, xt_add(6, 6, 10));
    put(c, xt_mul16u(10, 2, 9));        /* xl * yh */
    put(c, xt_mul16u(11, 8, 4));        /* xh * yl */
    put(c, xt_mul16u(7, 2, 4));         /* xl * yl */
    put(c, srl_imm(8, 7, 16));
    put(c, xt_add(10, 10, 8));          /* mid = xl*yh + (xl*yl >> 16): no carry out */
    put(c, xt_extui(8, 10, 0, 16));
    put(c, xt_add(11, 11, 8));          /* mid2 = xh*yl + (mid & 0xffff): no carry out */
    put(c, srl_imm(10, 10, 16));
    put(c, xt_add(6, 6, 10));
    put(c, srl_imm(11, 11, 16));
    put(c, xt_add(6, 6, 11));
    put(c, xt_mull(2, 2, 4));
    mov(c, 3, 6);
}

static unsigned div_sym(unsigned op)
{
    switch (op) {
    case FC_IR_DIVU: case FC_IR_DIVU64: return FC_SYM_UDIV64;
    case FC_IR_MODU: case FC_IR_MODU64: return FC_SYM_UMOD64;
    case FC_IR_DIVS: case FC_IR_DIVS64: return FC_SYM_SDIV64;
    default: return FC_SYM_SMOD64;
    }
}

/* esp32: QUOU/QUOS/REMU/REMS in line. eBPF: x / 0 = 0, x % 0 = x (DIV32
 * raises IntegerDivideByZero: tested first), x / -1 = -x (INT_MIN / -1 =
 * INT_MIN), x % -1 = 0 (signed forms; not left to QUOS/REMS) */
static void sel_div32_win(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    int sgn = x->op == FC_IR_DIVS || x->op == FC_IR_MODS;
    int div = x->op == FC_IR_DIVU || x->op == FC_IR_DIVS;
    unsigned a = rd(c, l[2], S8), b, d = wr(l[0], S10);
    uint32_t (*op)(unsigned, unsigned, unsigned) =
        x->op == FC_IR_DIVU ? xt_quou : x->op == FC_IR_DIVS ? xt_quos : x->op == FC_IR_MODU ? xt_remu : xt_rems;

    if (x->fl & FC_IR_K) {
        int32_t v = x->imm;
        if (v == 0) {
            if (div)
                put(c, xt_movi_n(d, 0));
            else
                mov(c, d, a);
        } else if (sgn && v == -1) {
            if (div)
                put(c, xt_neg(d, a));
            else
                put(c, xt_movi_n(d, 0));
        } else {
            movc(c, S9, (uint32_t)v);
            put(c, op(d, a, S9));
        }
        wdone(c, l[0], d);
        return;
    }
    b = rd(c, l[3], S9);
    uint32_t zero = fc_em_newlab(&c->em), done = fc_em_newlab(&c->em), m1 = 0;
    braz(c, XT_BEQZ, b, zero);
    if (sgn) {
        m1 = fc_em_newlab(&c->em);
        put(c, xt_addi(S11, b, 1));
        braz(c, XT_BEQZ, S11, m1);
    }
    put(c, op(d, a, b));
    jmp(c, done);
    if (sgn) {
        fc_em_bind(&c->em, m1);
        if (div)
            put(c, xt_neg(d, a));
        else
            put(c, xt_movi_n(d, 0));
        jmp(c, done);
    }
    fc_em_bind(&c->em, zero);
    if (div)
        put(c, xt_movi_n(d, 0));
    else
        mov(c, d, a);
    fc_em_bind(&c->em, done);
    wdone(c, l[0], d);
}

static void sel_div32(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    int sgn = x->op == FC_IR_DIVS || x->op == FC_IR_MODS;
    if (c->win) {
        sel_div32_win(c, x, l);
        return;
    }
    unsigned a = rd(c, l[2], S8);
    put(c, xt_s32i(a, ENV, (int32_t)T_OFF(0)));
    if (sgn)
        put(c, xt_srai(S9, a, 31));
    else
        put(c, xt_movi_n(S9, 0));
    put(c, xt_s32i(S9, ENV, (int32_t)T_OFF(1)));
    if (x->fl & FC_IR_K) {
        stage_const(c, (uint32_t)x->imm, 2);
        stage_const(c, sgn && x->imm < 0 ? 0xffffffffu : 0u, 3);
    } else {
        unsigned b = rd(c, l[3], S8);
        put(c, xt_s32i(b, ENV, (int32_t)T_OFF(2)));
        if (sgn)
            put(c, xt_srai(S9, b, 31));
        else
            put(c, xt_movi_n(S9, 0));
        put(c, xt_s32i(S9, ENV, (int32_t)T_OFF(3)));
    }
    save_args(c);
    load_staged(c, 4);
    call_sym(c, div_sym(x->op));
    uint16_t res[2] = {l[0], FC_RA_NONE};
    restore_results(c, res);
}

/* the four halves of a 64-bit pseudo-op staged, then a body */
static void stage64(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    stage_loc(c, l[2], 0);
    stage_loc(c, l[3], 1);
    if (x->fl & FC_IR_K) {
        stage_const(c, (uint32_t)x->imm, 2);
        stage_const(c, x->imm < 0 ? 0xffffffffu : 0u, 3);
    } else {
        stage_loc(c, l[4], 2);
        stage_loc(c, l[5], 3);
    }
    if (c->win && x->op != FC_IR_MUL64)
        return;         /* win_call_staged loads them into a10..a13 */
    save_args(c);
    load_staged(c, 4);
}

/* inline 64-bit ops over registers: a = {A0r, A1r}, b = {B0, B1} */
static void sel_alu64(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    int k = (x->fl & FC_IR_K) != 0;
    unsigned op = x->op;

    if (op == FC_IR_MUL64 || op == FC_IR_DIVU64 || op == FC_IR_MODU64 || op == FC_IR_DIVS64 ||
        op == FC_IR_MODS64) {
        stage64(c, x, l);
        if (op != FC_IR_MUL64 && c->win) {
            win_call_staged(c, div_sym(op), l);
            return;
        }
        if (op == FC_IR_MUL64)
            mul64_body(c);
        else
            call_sym(c, div_sym(op));
        restore_results(c, l);
        return;
    }
    if (l[0] == FC_RA_NONE && l[1] == FC_RA_NONE)
        return;
    unsigned a0 = rd(c, l[2], S8), a1 = rd(c, l[3], S9);
    /* results: d0 never in a1's or b1's register, d1 never in a0's or b0's
     * (the allocator: both are live where the pseudo-op writes), but d0 may
     * be a0's or b0's and d1 a1's or b1's register: one web, a register
     * updated in place (add64 r9, r0 in a loop). The scratch ones: d0 in a0
     * (the register), d1 in a9 once a1 is read. */
    unsigned d0 = wr(l[0], A0), d1 = wr(l[1], S9);
    uint32_t skip;

    switch (op) {
    case FC_IR_ADD64: case FC_IR_SUB64: {
        unsigned b0, b1;
        if (k) {
            movc(c, S10, (uint32_t)x->imm);
            b0 = S10;
            b1 = FC_EM_NONE;
        } else {
            b0 = rd(c, l[4], S10);
            b1 = rd(c, l[5], S11);
        }
        /* the lo half into a0 (the register) first: d0 may be a0 or b0 (the
         * same web when a register is updated in place), which the carry
         * test still reads */
        put(c, op == FC_IR_ADD64 ? xt_add(A0, a0, b0) : xt_sub(A0, a0, b0));
        if (b1 != FC_EM_NONE)
            put(c, op == FC_IR_ADD64 ? xt_add(d1, a1, b1) : xt_sub(d1, a1, b1));
        else if (x->imm < 0)
            put(c, xt_addi(d1, a1, op == FC_IR_ADD64 ? -1 : 1));
        else
            mov(c, d1, a1);
        skip = fc_em_newlab(&c->em);
        if (op == FC_IR_ADD64)
            bra(c, XT_BGEU, A0, a0, skip);      /* no carry: lo sum >= a lo */
        else
            bra(c, XT_BGEU, a0, b0, skip);      /* no borrow */
        put(c, xt_addi(d1, d1, op == FC_IR_ADD64 ? 1 : -1));
        fc_em_bind(&c->em, skip);
        mov(c, d0, A0);
        break;
    }
    case FC_IR_NEG64:
        put(c, xt_neg(d0, a0));
        put(c, xt_neg(d1, a1));
        skip = fc_em_newlab(&c->em);
        braz(c, XT_BEQZ, d0, skip);
        put(c, xt_addi(d1, d1, -1));
        fc_em_bind(&c->em, skip);
        break;
    case FC_IR_BSWAP64:
        /* d0 may be a0's register (an in-place swap): the lo result waits in a10 */
        bswap32(c, S10, a1);
        bswap32(c, d1, a0);
        mov(c, d0, S10);
        break;
    case FC_IR_LSH64: case FC_IR_RSH64: case FC_IR_ARSH64:
        if (k) {
            unsigned n = (unsigned)x->imm & 63u;
            if (n == 0) {
                mov(c, d0, a0);
                mov(c, d1, a1);
            } else if (n < 32) {
                if (op == FC_IR_LSH64) {
                    put(c, xt_ssai(32u - n));
                    put(c, xt_src(d1, a1, a0));
                    put(c, xt_slli(d0, a0, n));
                } else {
                    put(c, xt_ssai(n));
                    put(c, xt_src(d0, a1, a0));
                    put(c, op == FC_IR_RSH64 ? xt_srl(d1, a1) : xt_sra(d1, a1));
                }
            } else {
                unsigned m = n - 32u;
                if (op == FC_IR_LSH64) {
                    if (m)
                        put(c, xt_slli(d1, a0, m));
                    else
                        mov(c, d1, a0);
                    put(c, xt_movi_n(d0, 0));
                } else if (op == FC_IR_RSH64) {
                    put(c, xt_ssai(m));
                    put(c, xt_srl(d0, a1));
                    put(c, xt_movi_n(d1, 0));
                } else {
                    put(c, xt_srai(d0, a1, m));
                    put(c, xt_srai(d1, a1, 31));
                }
            }
        } else {
            unsigned n = rd(c, l[4], S10);
            uint32_t big = fc_em_newlab(&c->em);
            skip = fc_em_newlab(&c->em);
            put(c, xt_extui(S10, n, 0, 6));
            put(c, op == FC_IR_LSH64 ? xt_ssl(S10) : xt_ssr(S10));
            brabit(c, 1, S10, 5, big);          /* amount >= 32 */
            if (op == FC_IR_LSH64) {
                put(c, xt_src(d1, a1, a0));
                put(c, xt_sll(d0, a0));
            } else {
                put(c, xt_src(d0, a1, a0));
                put(c, op == FC_IR_RSH64 ? xt_srl(d1, a1) : xt_sra(d1, a1));
            }
            jmp(c, skip);
            fc_em_bind(&c->em, big);
            if (op == FC_IR_LSH64) {
                put(c, xt_sll(d1, a0));
                put(c, xt_movi_n(d0, 0));
            } else if (op == FC_IR_RSH64) {
                put(c, xt_srl(d0, a1));
                put(c, xt_movi_n(d1, 0));
            } else {
                put(c, xt_sra(d0, a1));
                put(c, xt_srai(d1, a1, 31));
            }
            fc_em_bind(&c->em, skip);
        }
        break;
    default:
        fail(c, "unknown 64-bit op");
        break;
    }
    wdone(c, l[0], d0);
    if (l[1] != FC_RA_NONE)
        wdone(c, l[1], d1);
}

/* ---- memory ---------------------------------------------------------------- */
/* base register and offset for n bytes at [b + off] (l8ui/s8i reach 0..255) */
static int32_t mem_base(struct fc_cg *c, unsigned *b, int32_t off, unsigned n)
{
    if (off >= 0 && off + (int32_t)n - 1 <= 255)
        return off;
    addc(c, S8, *b, off, S10);
    *b = S8;
    return 0;
}

/*
 * The aligned fast path. Byte by byte is what every address allows (the
 * cores fault on an unaligned L16UI/L32I/S16I/S32I); a 2- or 4-byte access
 * whose offset is a multiple of its size tests the base's low bits at run
 * time and takes the one L16UI/L32I/S16I/S32I when they are clear:
 *
 *       bbci b, 0, fast           (2 bytes)  |  extui a10, b, 0, 2
 *                                            |  beqz a10, fast    (4 bytes)
 *       <byte by byte>
 *       j done
 *   fast: l32i d, b, off  (or l16ui, s16i, s32i)
 *   done:
 *
 * Nothing is assumed of the address (no fact, no alignment of any region):
 * an aligned access costs 2-3 instructions instead of 4-10. 0 and the
 * label of the fast form in *fast when it applies.
 */
static int fast_begin(struct fc_cg *c, unsigned b, int32_t off, unsigned n, uint32_t *fast)
{
    if ((n != 2 && n != 4) || off % (int32_t)n != 0)
        return 0;
    *fast = fc_em_newlab(&c->em);
    if (n == 2) {
        brabit(c, 0, b, 0, *fast);
    } else {
        put(c, xt_extui(S10, b, 0, 2));
        braz(c, XT_BEQZ, S10, *fast);
    }
    return 1;
}

/* after the byte-wise form: the fast one, insn */
static void fast_end(struct fc_cg *c, uint32_t fast, uint32_t insn)
{
    uint32_t done = fc_em_newlab(&c->em);
    jmp(c, done);
    fc_em_bind(&c->em, fast);
    put(c, insn);
    fc_em_bind(&c->em, done);
}

/* d = n bytes (1, 2, 4) at [b + off], little-endian: byte by byte, or the
 * aligned fast path; a9, a10 temporaries, d written last (it may be b) */
static void load_bytes(struct fc_cg *c, unsigned d, unsigned b, int32_t off, unsigned n)
{
    uint32_t fast;
    int f;
    if (n == 1) {
        put(c, xt_l8ui(d, b, off));
        return;
    }
    f = fast_begin(c, b, off, n, &fast);
    put(c, xt_l8ui(S9, b, off));
    for (unsigned i = 1; i < n; i++) {
        put(c, xt_l8ui(S10, b, off + (int32_t)i));
        put(c, xt_slli(S10, S10, 8u * i));
        put(c, xt_or(i + 1 == n ? d : S9, S9, S10));
    }
    if (f)
        fast_end(c, fast, n == 2 ? xt_l16ui(d, b, off) : xt_l32i(d, b, off));
}

/* n bytes of v at [b + off]: byte by byte, or the aligned fast path; a10
 * temporary */
static void store_bytes(struct fc_cg *c, unsigned v, unsigned b, int32_t off, unsigned n)
{
    uint32_t fast;
    int f = fast_begin(c, b, off, n, &fast);
    put(c, xt_s8i(v, b, off));
    for (unsigned i = 1; i < n; i++) {
        put(c, srl_imm(S10, v, 8u * i));
        put(c, xt_s8i(S10, b, off + (int32_t)i));
    }
    if (f)
        fast_end(c, fast, n == 2 ? xt_s16i(v, b, off) : xt_s32i(v, b, off));
}

static void sel_ld(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    unsigned b = rd(c, l[2], S8);
    int32_t off = mem_base(c, &b, x->imm, x->sz);
    unsigned d = wr(l[0], S9);
    if (x->sz != 1 && x->sz != 2 && x->sz != 4) {
        fail(c, "load size");
        return;
    }
    load_bytes(c, d, b, off, x->sz);
    if ((x->fl & FC_IR_SX) && x->sz < 4) {
        unsigned sh = 32u - 8u * x->sz;
        put(c, xt_slli(d, d, sh));
        put(c, xt_srai(d, d, sh));
    }
    setloc(c, l[0], d);
}

static void sel_st(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    unsigned v;
    if (x->fl & FC_IR_K) {
        movc(c, S9, x->tgt);
        v = S9;
    } else {
        v = rd(c, l[3], S9);
    }
    unsigned b = rd(c, l[2], S8);
    int32_t off = mem_base(c, &b, x->imm, x->sz);
    if (x->sz != 1 && x->sz != 2 && x->sz != 4) {
        fail(c, "store size");
        return;
    }
    store_bytes(c, v, b, off, x->sz);
}

static unsigned lg_of(unsigned n) { return n >= 8 ? 3u : n >= 4 ? 2u : n >= 2 ? 1u : 0u; }

/* The region an access most likely touches: the verifier's hint for its
 * eBPF instruction, else the stack for an access through r10 and the
 * context for the others (as the Thumb-2 selector's guess). */
static unsigned hint_of(const struct fc_cg *c, const fc_ir_insn *x)
{
    unsigned h = c->info && x->insn < c->ninsns ? c->info[x->insn].region_hint : 0xffu;
    if (h == 0xffu)
        h = x->s[0] == FC_IR_FP ? FC_REGION_STACK : FC_REGION_CTX;
    return h;
}

/* a9 = a8 - the start of span slot of table tab (FC_NENV_RD, FC_NENV_WR),
 * a10 = its limit for 1 << lg bytes (inside: a9 < a10); if (a9 r a10)
 * goto lab. The shared routine's test and the in-line one. */
static void span_test(struct fc_cg *c, uint32_t tab, unsigned slot, unsigned lg, enum xt_br r, uint32_t lab)
{
    put(c, xt_l32i(S9, ENV, (int32_t)FC_NENV_SPAN(tab, slot)));
    put(c, xt_sub(S9, S8, S9));
    put(c, xt_l32i(S10, ENV, (int32_t)(FC_NENV_SPAN(tab, slot) + FC_NENV_SPAN_LIM(lg))));
    bra(c, r, S9, S10, lab);
}

/* The frame test's first half: 1 << lg bytes at a8 past the stack's end
 * goto no; a9 = the frame's start (a15 - 512), for the caller's compare. */
static void frame_test(struct fc_cg *c, unsigned lg, uint32_t no)
{
    put(c, xt_l32i(S10, ENV, (int32_t)(FC_NENV_STACK_END + 4u * lg)));
    bra(c, XT_BGEU, S8, S10, no);
    put(c, xt_addmi(S9, FP, -512));
}

/* In line before the shared routine: the one test of the hinted region
 * (its span, slot 4 for an extra region, or the frame [a15 - 512, stack
 * end)) with the routine's own words of the env, to ok when the 1 << lg
 * bytes at a8 lie inside it; the routine would accept them too (it makes
 * the same test among its others), so skipping it changes no outcome. A
 * range outside falls through to the routine, which decides. Not for
 * read-write (atomics): the routine tests both tables. a9, a10 clobbered. */
static void fast_region(struct fc_cg *c, unsigned hint, unsigned perm, unsigned lg, uint32_t ok)
{
    if (hint == FC_REGION_STACK) {
        uint32_t no = fc_em_newlab(&c->em);
        frame_test(c, lg, no);
        bra(c, XT_BGEU, S8, S9, ok);
        fc_em_bind(&c->em, no);
    } else if (perm == FC_PERM_R || perm == FC_PERM_W) {
        span_test(c, perm == FC_PERM_R ? FC_NENV_RD : FC_NENV_WR, hint <= FC_REGION_BSS ? hint : 4u, lg, XT_BLTU,
                  ok);
    }
}

/* The test of a check and of a range guard (one sequence): a8 = lo of the
 * address b + imm, a11 = hi (from the location lh); a non-zero hi, or 1 << lg
 * bytes at a8 inside no region with permission perm (the hinted region in
 * line, then the shared routine), go to lab. */
static void range_test(struct fc_cg *c, unsigned b, unsigned lh, int32_t imm, unsigned perm, unsigned lg,
                       unsigned hint, uint32_t lab)
{
    uint32_t ok;
    addc(c, S8, b, imm, S10);
    if (!(lh == FC_RA_ZERO && imm == 0)) {
        unsigned h = rd(c, lh, S11);
        mov(c, S11, h);
        if (imm < 0)
            put(c, xt_addi(S11, S11, -1));
        if (imm != 0) {
            uint32_t nc = fc_em_newlab(&c->em);
            bra(c, XT_BGEU, S8, b, nc);         /* no carry out of the low half */
            put(c, xt_addi(S11, S11, 1));
            fc_em_bind(&c->em, nc);
        }
        braz(c, XT_BNEZ, S11, lab);
    }
    ok = fc_em_newlab(&c->em);
    fast_region(c, hint, perm, lg, ok);
    c->chk_used |= (uint16_t)(1u << (perm * 4u + lg));
    put(c, xt_call0(c->em.pos, c->em.lab[c->lab_chk + perm * 4u + lg]));
    braz(c, XT_BEQZ, S9, lab);
    fc_em_bind(&c->em, ok);
}

/* CHECK: a8 = lo of the address, a11 = hi; outside: the error stub with
 * err_addr = {a8, a11} */
static void sel_check(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    unsigned perm = x->cc & 3u, lg = lg_of(x->sz);
    unsigned code = perm == FC_PERM_R ? FC_ERR_MEM_READ : FC_ERR_MEM_WRITE;
    uint32_t stub = err_stub(c, ST_MEM, code);
    unsigned b = rd(c, l[2], S9);

    c->em.checks++;
    if (perm == 0 || (1u << lg) != x->sz) {
        fail(c, "check size or permission");
        return;
    }
    range_test(c, b, l[3], x->imm, perm, lg, hint_of(c, x), stub);
}

/* GUARD (fc_ir_opt): the test of a check of the guard's range (1, 2, 4 or 8
 * bytes, R or W), to block tgt (the copy that keeps every check) where the
 * check would go to its error stub: the routine accepts a range only inside
 * one span with the permission or the frame. */
static void sel_guard(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    unsigned perm = x->cc & 3u, lg = lg_of(x->sz);
    unsigned b = rd(c, l[2], S9);

    if ((perm != FC_PERM_R && perm != FC_PERM_W) || (1u << lg) != x->sz) {
        fail(c, "guard size or permission");
        return;
    }
    range_test(c, b, l[3], x->imm, perm, lg, hint_of(c, x), c->lab_blk + x->tgt);
}

/* The shared bounds check: a8 = address; a9 = 1 inside a span of slot
 * 0..7 (rd, wr or both) or the stack [a15 - 512, top), else 0 with
 * a11 = 0 (the hi half of err_addr). a10 clobbered; returns to a0. */
static void check_routine(struct fc_cg *c, unsigned perm, unsigned lg)
{
    for (unsigned s = 0; s < FC_NATIVE_NSLOTS; s++) {
        uint32_t next = fc_em_newlab(&c->em);
        for (unsigned t = 0; t < 2; t++) {
            uint32_t tab = t == 0 ? FC_NENV_RD : FC_NENV_WR;
            if (!(perm & (1u << t)))
                continue;
            span_test(c, tab, s, lg, XT_BGEU, next);
        }
        put(c, xt_movi_n(S9, 1));
        put(c, xt_ret_n());
        fc_em_bind(&c->em, next);
    }
    uint32_t no = fc_em_newlab(&c->em);
    frame_test(c, lg, no);
    bra(c, XT_BLTU, S8, S9, no);
    put(c, xt_movi_n(S9, 1));
    put(c, xt_ret_n());
    fc_em_bind(&c->em, no);
    put(c, xt_movi_n(S9, 0));
    put(c, xt_movi_n(S11, 0));
    put(c, xt_ret_n());
}

/* ATOMIC: staged {s1,s2} value, {s3,s4} comparand, address; plain
 * read-modify-write (no atomics on lx106: see the top of the file) */
static void sel_atomic(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    unsigned n = x->sz, cc = x->cc;
    if (n != 4 && n != 8) {
        fail(c, "atomic size");
        return;
    }
    for (unsigned j = 0; j < 4; j++)
        stage_loc(c, l[3 + j], j);
    unsigned b = rd(c, l[2], S9);
    addc(c, S8, b, x->imm, S10);
    put(c, xt_s32i(S8, ENV, (int32_t)T_OFF(4)));
    save_args(c);
    load_staged(c, 4);                  /* a2 a3 value, a4 a5 comparand */
    put(c, xt_l32i(6, ENV, (int32_t)T_OFF(4)));
    mov(c, 7, 4);
    put(c, xt_mov_n(8, 5));             /* a7:a8 comparand */
    mov(c, 4, 2);
    mov(c, 5, 3);                       /* a4:a5 value */
    load_bytes(c, 2, 6, 0, 4);          /* a2:a3 old */
    if (n == 8)
        load_bytes(c, 3, 6, 4, 4);
    else
        put(c, xt_movi_n(3, 0));
    switch (cc) {
    case FC_ATOMIC_ADD: case FC_ATOMIC_ADD | FC_ATOMIC_FETCH: {
        uint32_t nc = fc_em_newlab(&c->em);
        put(c, xt_add(5, 3, 5));
        put(c, xt_add(4, 2, 4));
        bra(c, XT_BGEU, 4, 2, nc);
        put(c, xt_addi(5, 5, 1));
        fc_em_bind(&c->em, nc);
        break;
    }
    case FC_ATOMIC_OR: case FC_ATOMIC_OR | FC_ATOMIC_FETCH:
        put(c, xt_or(4, 2, 4));
        put(c, xt_or(5, 3, 5));
        break;
    case FC_ATOMIC_AND: case FC_ATOMIC_AND | FC_ATOMIC_FETCH:
        put(c, xt_and(4, 2, 4));
        put(c, xt_and(5, 3, 5));
        break;
    case FC_ATOMIC_XOR: case FC_ATOMIC_XOR | FC_ATOMIC_FETCH:
        put(c, xt_xor(4, 2, 4));
        put(c, xt_xor(5, 3, 5));
        break;
    case FC_ATOMIC_XCHG:
        break;
    case FC_ATOMIC_CMPXCHG: {
        uint32_t keep = fc_em_newlab(&c->em), done = fc_em_newlab(&c->em);
        bra(c, XT_BNE, 2, 7, keep);
        if (n == 8)
            bra(c, XT_BNE, 3, 8, keep);
        jmp(c, done);
        fc_em_bind(&c->em, keep);
        mov(c, 4, 2);
        mov(c, 5, 3);
        fc_em_bind(&c->em, done);
        break;
    }
    default:
        fail(c, "atomic operation");
        break;
    }
    store_bytes(c, 4, 6, 0, 4);
    if (n == 8)
        store_bytes(c, 5, 6, 4, 4);
    restore_results(c, l);
}

/* ---- control ----------------------------------------------------------------- */
static void branch_cc(struct fc_cg *c, unsigned cc, unsigned a, unsigned b, uint32_t lab)
{
    switch (cc) {
    case FC_IR_EQ: bra(c, XT_BEQ, a, b, lab); break;
    case FC_IR_NE: bra(c, XT_BNE, a, b, lab); break;
    case FC_IR_GT: bra(c, XT_BLTU, b, a, lab); break;
    case FC_IR_GE: bra(c, XT_BGEU, a, b, lab); break;
    case FC_IR_LT: bra(c, XT_BLTU, a, b, lab); break;
    case FC_IR_LE: bra(c, XT_BGEU, b, a, lab); break;
    case FC_IR_SET: bra(c, XT_BANY, a, b, lab); break;
    case FC_IR_SGT: bra(c, XT_BLT, b, a, lab); break;
    case FC_IR_SGE: bra(c, XT_BGE, a, b, lab); break;
    case FC_IR_SLT: bra(c, XT_BLT, a, b, lab); break;
    case FC_IR_SLE: bra(c, XT_BGE, b, a, lab); break;
    default: fail(c, "branch condition"); break;
    }
}

static void sel_br(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    uint32_t T = c->lab_blk + x->tgt;
    unsigned a = rd(c, l[2], S8), b;
    if (x->fl & FC_IR_K) {
        movc(c, S9, (uint32_t)x->imm);
        b = S9;
    } else {
        b = rd(c, l[3], S9);
    }
    branch_cc(c, x->cc, a, b, T);
}

static void sel_br64(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    uint32_t T = c->lab_blk + x->tgt, skip = fc_em_newlab(&c->em);
    unsigned a0 = rd(c, l[2], S8), a1 = rd(c, l[3], S9), b0, b1;
    unsigned cc = x->cc;
    if (x->fl & FC_IR_K) {
        movc(c, S10, (uint32_t)x->imm);
        movc(c, S11, x->imm < 0 ? 0xffffffffu : 0u);
        b0 = S10;
        b1 = S11;
    } else {
        b0 = rd(c, l[4], S10);
        b1 = rd(c, l[5], S11);
    }
    switch (cc) {
    case FC_IR_EQ:
        bra(c, XT_BNE, a0, b0, skip);
        bra(c, XT_BEQ, a1, b1, T);
        break;
    case FC_IR_NE:
        bra(c, XT_BNE, a0, b0, T);
        bra(c, XT_BNE, a1, b1, T);
        break;
    case FC_IR_SET:
        bra(c, XT_BANY, a0, b0, T);
        bra(c, XT_BANY, a1, b1, T);
        break;
    default: {
        int sgn = cc == FC_IR_SGT || cc == FC_IR_SGE || cc == FC_IR_SLT || cc == FC_IR_SLE;
        int gt = cc == FC_IR_GT || cc == FC_IR_GE || cc == FC_IR_SGT || cc == FC_IR_SGE;
        unsigned lo_cc = cc == FC_IR_GT || cc == FC_IR_SGT ? FC_IR_GT
                       : cc == FC_IR_GE || cc == FC_IR_SGE ? FC_IR_GE
                       : cc == FC_IR_LT || cc == FC_IR_SLT ? FC_IR_LT : FC_IR_LE;
        if (cc != FC_IR_GT && cc != FC_IR_GE && cc != FC_IR_LT && cc != FC_IR_LE && !sgn) {
            fail(c, "branch condition");
            break;
        }
        /* the hi halves decide unless equal (signed for the signed orders) */
        if (gt)
            bra(c, sgn ? XT_BLT : XT_BLTU, b1, a1, T);
        else
            bra(c, sgn ? XT_BLT : XT_BLTU, a1, b1, T);
        bra(c, XT_BNE, a1, b1, skip);
        branch_cc(c, lo_cc, a0, b0, T);
        break;
    }
    }
    fc_em_bind(&c->em, skip);
}

static void budget(struct fc_cg *c)
{
    uint32_t stub = err_stub(c, ST_ERR, FC_ERR_BUDGET);
    put(c, xt_l32i(S9, ENV, (int32_t)FC_NENV_BUDGET));
    braz(c, XT_BEQZ, S9, stub);
    put(c, xt_addi(S9, S9, -1));
    put(c, xt_s32i(S9, ENV, (int32_t)FC_NENV_BUDGET));
}

/* the value of location l into env word of vreg v */
static void to_env(struct fc_cg *c, unsigned v, unsigned l)
{
    if (v == 0 || v > 20u) {
        fail(c, "a temporary or the frame register crosses a call");
        return;
    }
    unsigned r = rd(c, l, S9);
    put(c, xt_s32i(r, ENV, (int32_t)ENVV(v)));
}

static void from_env(struct fc_cg *c, unsigned v, unsigned l)
{
    if (v == 0 || v > 20u) {
        fail(c, "a temporary or the frame register crosses a call");
        return;
    }
    unsigned d = wr(l, S9);
    put(c, xt_l32i(d, ENV, (int32_t)ENVV(v)));
    wdone(c, l, d);
}

static void sel_callh(struct fc_cg *c, const fc_ir_insn *x, const uint16_t *l)
{
    const fc_ra_map *mp = &c->ra->maps[c->ra->map[c->k]];
    uint32_t stub;
    for (unsigned r = 1; r <= 5; r++) {
        unsigned lo = FC_IR_LO(r), hi = FC_IR_HI(r);
        if (mp->use[lo] != FC_RA_NONE)
            to_env(c, lo, mp->use[lo]);
        if (x->cc >> r & 1u) {
            put(c, xt_movi_n(S9, 0));
            put(c, xt_s32i(S9, ENV, (int32_t)ENVV(hi)));
        } else if (mp->use[hi] != FC_RA_NONE) {
            to_env(c, hi, mp->use[hi]);
        }
    }
    /* the trampoline's arguments: env, id, frame base; call0 in a2..a4,
     * windowed in a10..a12 (its a2..a4) */
    unsigned ra = c->win ? S10 : 2u;
    if (x->op == FC_IR_CALLX) {
        unsigned h = rd(c, l[3], S9);
        braz(c, XT_BNEZ, h, err_stub(c, ST_ERR, FC_ERR_HELPER_UNKNOWN));
        unsigned id = rd(c, l[2], S8);
        mov(c, ra + 1u, id);
    } else {
        movc(c, ra + 1u, x->tgt);
    }
    if (c->win)
        win_save(c);
    mov(c, ra, ENV);
    put(c, xt_addmi(ra + 2u, FP, -512));
    put(c, xt_s32i(ra + 2u, ENV, (int32_t)FC_NENV_CUR_FB));
    if (c->win) {
        callx8_sym(c, FC_SYM_HELPER);
        win_restore(c);
    } else {
        call_sym(c, FC_SYM_HELPER);
    }
    stub = err_stub(c, ST_ERR, 0xff);   /* the trampoline's error, in a2 (win: a10) */
    braz(c, XT_BNEZ, ra, stub);
    for (unsigned j = 0; j < 2; j++)
        if (l[j] != FC_RA_NONE) {
            unsigned d = wr(l[j], S9);
            put(c, xt_l32i(d, ENV, (int32_t)FC_NENV_REG(0, j)));
            wdone(c, l[j], d);
        }
}

static void sel_call(struct fc_cg *c, const fc_ir_insn *x)
{
    const fc_ra_map *mp = &c->ra->maps[c->ra->map[c->k]];
    uint32_t f = x->tgt, el;
    if (f >= c->ir->nfn) {
        fail(c, "call of no function");
        return;
    }
    el = c->ra->entry_live[f];
    put(c, xt_addmi(S9, FP, -1024));
    put(c, xt_l32i(S10, ENV, (int32_t)FC_NENV_STACK_FLOOR));
    bra(c, XT_BLTU, S9, S10, err_stub(c, ST_ERR, FC_ERR_CALL_DEPTH));
    budget(c);
    for (unsigned v = 1; v < FC_IR_NVREG; v++)
        if ((el >> v & 1u) && v != FC_IR_FP && mp->use[v] != FC_RA_NONE)
            to_env(c, v, mp->use[v]);
    if (c->win) {
        /* a windowed call (docs at the top): env and the callee's frame
         * register as its a2, a3; it returns 0 or the error code in a2 */
        win_save(c);
        mov(c, S10, ENV);
        put(c, xt_addmi(S11, FP, -512));
        put(c, xt_call8(c->em.pos, c->em.lab[c->lab_fn + f]));
        win_restore(c);
        braz(c, XT_BNEZ, S10, c->lab_eret);
    } else {
        put(c, xt_addmi(FP, FP, -512));
        put(c, xt_call0(c->em.pos, c->em.lab[c->lab_fn + f]));
        put(c, xt_addmi(FP, FP, 512));
    }
    for (unsigned v = 1; v < FC_IR_NVREG; v++)
        if (mp->def[v] != FC_RA_NONE && v != FC_IR_FP)
            from_env(c, v, mp->def[v]);
}

static void epilogue(struct fc_cg *c, int entry)
{
    if (c->win) {
        /* the window keeps the caller's a1-a15: only a0 (a scratch here) */
        put(c, xt_l32i_n(A0, SP, 0));
        put(c, xt_retw_n());
        return;
    }
    put(c, xt_l32i_n(A0, SP, 0));
    put(c, xt_l32i_n(12, SP, 4));
    put(c, xt_l32i_n(13, SP, 8));
    if (entry) {
        put(c, xt_l32i_n(ENV, SP, 12));
        put(c, xt_l32i_n(FP, SP, 16));
    }
    addc(c, SP, SP, (int32_t)(entry ? c->frame0 : c->frame), S8);
    put(c, xt_ret_n());
}

static void sel_exit(struct fc_cg *c)
{
    const fc_ra_map *mp = &c->ra->maps[c->ra->map[c->k]];
    if (c->f == 0) {
        for (unsigned h = 0; h < 2; h++) {
            unsigned v = h ? FC_IR_HI(0) : FC_IR_LO(0);
            if (mp->use[v] != FC_RA_NONE) {
                to_env(c, v, mp->use[v]);
            } else {
                put(c, xt_movi_n(S9, 0));
                put(c, xt_s32i(S9, ENV, (int32_t)ENVV(v)));
            }
        }
        put(c, xt_movi_n(2, FC_OK));
        epilogue(c, 1);
        return;
    }
    for (unsigned v = 1; v < FC_IR_NVREG; v++)
        if (mp->use[v] != FC_RA_NONE && v != FC_IR_FP)
            to_env(c, v, mp->use[v]);
    if (c->win)
        put(c, xt_movi_n(2, FC_OK));    /* the caller tests its a10 */
    epilogue(c, 0);
}

static void prologue(struct fc_cg *c, uint32_t f)
{
    int entry = f == 0;
    uint32_t el = c->ra->entry_live[f];
    if (c->win) {
        /* ENTRY (every function: the entry is called by the runtime with
         * CALLX8, a local function by CALL8 with env, frame register) */
        put(c, xt_entry(SP, c->frame));
        put(c, xt_s32i_n(A0, SP, 0));
        mov(c, ENV, 2);
        if (entry)
            put(c, xt_l32i(FP, ENV, (int32_t)FC_NENV_REG(10, 0)));
        else
            mov(c, FP, 3);
        for (unsigned v = 1; v < FC_IR_NVREG; v++)
            if ((el >> v & 1u) && v != FC_IR_FP)
                from_env(c, v, c->ra->entry[f][v]);
        return;
    }
    addc(c, SP, SP, -(int32_t)c->frame, S8);
    put(c, xt_s32i_n(A0, SP, 0));
    put(c, xt_s32i_n(12, SP, 4));
    put(c, xt_s32i_n(13, SP, 8));
    if (entry) {
        put(c, xt_s32i_n(ENV, SP, 12));
        put(c, xt_s32i_n(FP, SP, 16));
        mov(c, ENV, 2);
        put(c, xt_s32i(SP, ENV, (int32_t)FC_NENV_SAVED_SP));
        put(c, xt_l32i(FP, ENV, (int32_t)FC_NENV_REG(10, 0)));
    }
    for (unsigned v = 1; v < FC_IR_NVREG; v++)
        if ((el >> v & 1u) && v != FC_IR_FP)
            from_env(c, v, c->ra->entry[f][v]);
}

/* ---- the pass ------------------------------------------------------------------ */
static void sel_insn(struct fc_cg *c, const fc_ir_insn *x)
{
    const uint16_t *l = c->ra->loc[c->k];
    switch (x->op) {
    case FC_IR_NOP:
        break;
    case FC_IR_DIVU: case FC_IR_MODU: case FC_IR_DIVS: case FC_IR_MODS:
        if (l[0] != FC_RA_NONE)
            sel_div32(c, x, l);
        break;
    case FC_IR_ADD64: case FC_IR_SUB64: case FC_IR_MUL64: case FC_IR_DIVU64: case FC_IR_MODU64:
    case FC_IR_DIVS64: case FC_IR_MODS64: case FC_IR_LSH64: case FC_IR_RSH64: case FC_IR_ARSH64:
    case FC_IR_NEG64: case FC_IR_BSWAP64:
        sel_alu64(c, x, l);
        break;
    case FC_IR_LD: sel_ld(c, x, l); break;
    case FC_IR_ST: sel_st(c, x, l); break;
    case FC_IR_CHECK: sel_check(c, x, l); break;
    case FC_IR_GUARD: sel_guard(c, x, l); break;
    case FC_IR_ATOMIC: sel_atomic(c, x, l); break;
    case FC_IR_SECADDR: {
        unsigned d = wr(l[0], S9);
        if (x->tgt < 1 || x->tgt > 3) {
            fail(c, "section");
            break;
        }
        l32r(c, d, pool_idx(c, (uint32_t)x->imm, fc_em_section_sym((int32_t)x->tgt)));
        setloc(c, l[0], d);
        break;
    }
    case FC_IR_BR: sel_br(c, x, l); break;
    case FC_IR_BR64: sel_br64(c, x, l); break;
    case FC_IR_JMP:
        jmp(c, c->lab_blk + x->tgt);
        break;
    case FC_IR_BUDGET: budget(c); break;
    case FC_IR_CALLH: case FC_IR_CALLX: sel_callh(c, x, l); break;
    case FC_IR_CALL: sel_call(c, x); break;
    case FC_IR_EXIT: sel_exit(c); break;
    case FC_IR_ERR:
        movc(c, S9, x->insn);
        movc(c, 2, (uint32_t)x->imm);
        jmp(c, c->lab_err);
        break;
    default:
        if (x->op < FC_IR_ADD64)
            sel_alu32(c, x, l);
        else
            fail(c, "unknown IR op");
        break;
    }
}

/* win: 32 bytes more at the top of the frame, which the window overflow
 * handlers own (the base save area of the caller's caller and, since the
 * code makes CALL8s, the extra save area of its own a4-a7) */
static uint32_t frame_of(const fc_ra *ra, uint32_t f, int win)
{
    return (FRAME_FIXED + 4u * ra->nslots[f] + (win ? 32u : 0u) + 15u) & ~15u;
}

/*
 * Machine stack the code can use: the frames of the deepest chain of local
 * calls from the entry (at most FC_MAX_CALL_DEPTH functions deep: a deeper
 * call stops with FC_ERR_CALL_DEPTH; recursion included; a call itself
 * pushes nothing), plus the runtime routines' frames below the deepest one
 * (XT_RT_FRAME): fc_ir_call_chain with two rows on the stack for up to
 * MS_FUNCS functions; beyond that the bound assumes every one of the frames
 * is the largest.
 */
#define MS_FUNCS 64u
/* call0 frames (lx106): esp32 code is not held to the bound (below) */
static uint32_t frame_cb(const void *ctx, uint32_t f)
{
    return frame_of(ctx, f, 0);
}

static uint32_t mstack_need(const fc_ir *ir, const fc_ra *ra)
{
    uint32_t tmp[2 * MS_FUNCS], big = 0;

    if (ir->nfn <= MS_FUNCS)
        return fc_ir_call_chain(ir, frame_cb, ra, 0, tmp) + XT_RT_FRAME;
    for (uint32_t f = 0; f < ir->nfn; f++)
        if (frame_of(ra, f, 0) > big)
            big = frame_of(ra, f, 0);
    return frame_of(ra, 0, 0) + (FC_MAX_CALL_DEPTH - 1u) * big + XT_RT_FRAME;
}

static void pass(void *ctx)
{
    struct fc_cg *c = ctx;
    fc_em *em = &c->em;
    const fc_ir *ir = c->ir;

    fc_em_begin(em);
    c->internal = 0;
    c->guess_fwd = c->npass++ == 0;
    c->lab_blk = fc_em_newlab(em);
    for (uint32_t b = 1; b < ir->nblk; b++)
        fc_em_newlab(em);
    c->lab_fn = fc_em_newlab(em);
    for (uint32_t f = 1; f < ir->nfn; f++)
        fc_em_newlab(em);
    c->lab_err = fc_em_newlab(em);
    c->lab_errmem = fc_em_newlab(em);
    c->lab_chk = fc_em_newlab(em);
    for (unsigned i = 1; i < 16; i++)
        fc_em_newlab(em);
    c->lab_eret = fc_em_newlab(em);

    /* the literal pool (see the top) */
    fc_em_mapto(em, FC_BK_NO_INSN);
    for (uint32_t i = 0; i < c->npool; i++) {
        if (c->pool[i].sym != NOSYM)
            fc_em_reloc(em, FC_RELOC_ABS32, c->pool[i].sym, (int32_t)c->pool[i].val);
        word(c, c->pool[i].sym != NOSYM ? 0u : c->pool[i].val);
    }
    c->frame0 = frame_of(c->ra, 0, c->win);
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const fc_ir_func *fn = &ir->fn[f];
        c->f = f;
        c->frame = frame_of(c->ra, f, c->win);
        if (c->ra->nslots[f] > MAX_SLOTS)
            fail(c, "too many spill slots");
        if (f || c->win)
            pad4(c);    /* CALL0 / CALL8 targets are 4-aligned */
        em->cur = fn->start;
        fc_em_mapto(em, f ? fn->start : FC_BK_NO_INSN);
        if (f == 0 && em->writing && em->entry_off)
            em->entry_off[0] = em->pos;
        fc_em_bind(em, c->lab_fn + f);
        prologue(c, f);
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            const fc_ir_block *bl = &ir->blk[b];
            fc_em_bind(em, c->lab_blk + b);
            for (uint32_t k = bl->start; k < bl->end; k++) {
                const fc_ir_insn *x = &ir->ins[k];
                c->k = k;
                em->cur = x->insn;
                fc_em_mapto(em, x->insn);
                if (x->op == FC_IR_JMP && k + 1 == bl->end && x->tgt == b + 1 &&
                    b + 1 < fn->b0 + fn->nb)
                    continue;   /* to the next block */
                sel_insn(c, x);
            }
        }
    }
    /* error stubs: a9 = slot, a2 = code */
    for (uint32_t s = 0; s < em->nst; s++) {
        const fc_em_stub *st = &em->st[s];
        fc_em_stub_begin(em, st);
        movc(c, S9, st->insn);
        if (st->code != 0xff)
            movc(c, 2, st->code);
        else if (c->win)
            mov(c, 2, S10);     /* the trampoline's error came back in a10 */
        jmp(c, st->type == ST_MEM ? c->lab_errmem : c->lab_err);
    }
    fc_em_mapto(em, FC_BK_NO_INSN);
    fc_em_bind(em, c->lab_errmem);
    put(c, xt_s32i(S8, ENV, (int32_t)FC_NENV_ERR_ADDR));
    put(c, xt_s32i(S11, ENV, (int32_t)FC_NENV_ERR_ADDR + 4));
    fc_em_bind(em, c->lab_err);
    put(c, xt_s32i(2, ENV, (int32_t)FC_NENV_ERR));
    put(c, xt_s32i(S9, ENV, (int32_t)FC_NENV_ERR_INSN));
    if (c->win) {
        /* the function that failed returns the code; each windowed caller
         * passes it on (lab_eret) up to the entry's return */
        epilogue(c, 1);
        fc_em_bind(em, c->lab_eret);
        mov(c, 2, S10);
        epilogue(c, 1);
    } else {
        put(c, xt_l32i(SP, ENV, (int32_t)FC_NENV_SAVED_SP));
        epilogue(c, 1);
    }
    for (unsigned i = 0; i < 16; i++)
        if (c->chk_used >> i & 1u) {
            pad4(c);
            fc_em_bind(em, c->lab_chk + i);
            check_routine(c, i / 4u, i % 4u);
        }
}

/* ---- the backend ------------------------------------------------------------------ */
static const fc_em_sizes lx_sizes = {48, 96, 24, 256, 0};
#define POOL_PER_INSN 8u

static unsigned lx_size(uint32_t enc) { return xt_size(enc); }
static void lx_write(uint8_t *at, uint32_t enc) { xt_put(at, enc); }
/* The pool words are data: an instruction walk cannot tell them from code.
 * Every instruction passed through fc_em_put, which stops at the encoders'
 * XT_BAD, so the image is accepted as written. */
static size_t lx_validate(const uint8_t *code, size_t len)
{
    (void)code;
    return len;
}
static const fc_em_target lx_target = {XT_BAD, lx_size, lx_write, lx_validate};

static size_t lx_work_size(const fc_prog *p)
{
    uint32_t n = p ? p->ninsns : 0;
    return fc_ir_workspace_size(n) + fc_ra_workspace_size(n) + fc_em_work_size(&lx_sizes, 4u * n + 4u) +
           ((size_t)n + 16u) * POOL_PER_INSN * sizeof(pool_ent) + sizeof(struct fc_cg) + 64u;
}

static int xt_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts, void *work,
                      size_t work_len, fc_bk_out *out, fc_diags *d, int win)
{
    const char *nm = win ? "esp32" : "lx106";
    static const uint32_t one_entry = 0;
    fc_em_in in;
    int32_t at;
    const char *msg;
    uint8_t *w = work, *wend;
    struct fc_cg *c;
    fc_ir ir;
    fc_ra ra;
    uint32_t flags = 0;
    int rc;

    if (!p || !out || !p->ninsns)
        return FC_BK_EPROG;
    if (!work || work_len < lx_work_size(p))
        return FC_BK_EWORK;
    wend = w + work_len;
    if ((msg = fc_em_in_init(&in, p, info, opts, &one_entry, &at)) != NULL) {
        if (d)
            fc_diag_add(d, FC_SEV_ERROR, at, "%s: %s", nm, msg);
        return FC_BK_EPROG;
    }
    if (in.nentries != 1 || in.entries[0] != 0) {
        if (d)
            fc_diag_add(d, FC_SEV_ERROR, -1, "%s: one entry point, at slot 0, only", nm);
        return FC_BK_EPROG;
    }
    if (in.flags & FC_BK_CHECK_ALL)
        flags |= FC_IR_CHECK_ALL;
    if (in.flags & (FC_BK_NO_FACTS | FC_BK_NO_OPT))
        flags |= FC_IR_NO_FACTS;
    if (in.flags & FC_BK_NO_OPT)
        flags |= FC_IR_NO_HIOPT;
    c = fc_em_carve(&w, wend, sizeof *c, 8);
    size_t il = fc_ir_workspace_size(p->ninsns), rl = fc_ra_workspace_size(p->ninsns);
    void *iw = fc_em_carve(&w, wend, il, 8), *rw = c && iw ? fc_em_carve(&w, wend, rl, 8) : NULL;
    if (!c || !iw || !rw)
        return FC_BK_EWORK;
    rc = fc_ir_lower(p, (flags & FC_IR_NO_FACTS) ? NULL : info, flags, iw, il, &ir);
    if (rc != FC_IR_OK) {
        if (d)
            fc_diag_add(d, FC_SEV_ERROR, -1, "%s: the lowering failed (%d)", nm, rc);
        return rc == FC_IR_EWORK ? FC_BK_EWORK : FC_BK_EINTERNAL;
    }
    if (!(in.flags & FC_BK_NO_OPT)) {
        fc_ir_promote(&ir, FC_IR_PROMOTE_MAX, fc_ra_navail(&fc_ra_target_lx106));    /* stack words reloaded: from temporaries */
        fc_ir_copyprop(&ir);              /* movs folded into their readers */
        fc_ir_opt(&ir);     /* checks of one base merged under a range guard */
    }
    rc = fc_ra_run(&ir, &fc_ra_target_lx106, rw, rl, &ra);
    if (rc != FC_RA_OK) {
        if (d)
            fc_diag_add(d, FC_SEV_ERROR, -1, "%s: register allocation failed (%d)", nm, rc);
        return rc == FC_RA_EWORK ? FC_BK_EWORK : FC_BK_EINTERNAL;
    }
    /* the machine stack bound every target the runtime places code on keeps
     * (FC_NATIVE_MSTACK, as the Thumb-2 and RV32 selectors bound their spill
     * areas); esp32 code has no runtime port here to place it (its frames
     * and window save areas live on the caller's task stack: docs/PORTING.md
     * "ESP32"), so its need is not bounded by this runtime's constant */
    if (!win) {
        uint32_t need = mstack_need(&ir, &ra);
        if (need > FC_NATIVE_MSTACK) {
            if (d)
                fc_diag_add(d, FC_SEV_ERROR, -1,
                            "%s: the code needs %u bytes of machine stack (its frames on the "
                            "deepest call chain and the runtime routines'), above FC_NATIVE_MSTACK "
                            "(%u)", nm, (unsigned)need, (unsigned)FC_NATIVE_MSTACK);
            return FC_BK_EPROG;
        }
    }
    for (uint32_t i = 0; i < sizeof *c; i++)
        ((uint8_t *)c)[i] = 0;
    c->ir = &ir;
    c->ra = &ra;
    c->win = win;
    c->info = in.info;
    c->ninsns = p->ninsns;
    c->poolcap = (p->ninsns + 16u) * POOL_PER_INSN;
    c->pool = fc_em_carve(&w, wend, sizeof(pool_ent) * (size_t)c->poolcap, 4);
    if (!c->pool || fc_em_setup(&c->em, &lx_target, &lx_sizes, 4u * p->ninsns + 4u, &w, wend))
        return FC_BK_EWORK;
    rc = fc_em_run(&c->em, pass, c, 64, out, &msg, &at);
    out->mregs = ra.webs_reg;
    if (rc == FC_BK_OK || rc == FC_BK_ENOSPACE) {
        if (c->internal || c->pool_full) {
            if (d)
                fc_diag_add(d, FC_SEV_ERROR, (int32_t)c->em.cur, "%s: %s", nm,
                            c->pool_full ? "literal pool full" : c->why);
            return FC_BK_EINTERNAL;
        }
        return rc;
    }
    if (d)
        fc_diag_add(d, FC_SEV_ERROR, at, "%s: %s", nm, msg);
    return rc;
}

static int lx_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts, void *work,
                      size_t work_len, fc_bk_out *out, fc_diags *d)
{
    return xt_compile(p, info, opts, work, work_len, out, d, 0);
}

static int esp_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts, void *work,
                       size_t work_len, fc_bk_out *out, fc_diags *d)
{
    return xt_compile(p, info, opts, work, work_len, out, d, 1);
}

const fc_backend fc_backend_lx106 = {
    "lx106",
    FC_TARGET_XTENSA,
    "Xtensa lx106 (ESP8266), call0 ABI, through the middle end",
    NULL,
    4,
    lx_work_size,
    lx_compile,
    xt_disasm,
};

/* The same selector, windowed flavour (-march=esp32): the entry and every
 * local function start with ENTRY and return with RETW, helper, runtime
 * and local calls are CALL8/CALLX8, 32-bit division is DIV32 in line. Its
 * own target (FC_TARGET_ESP32): the loader never places it on an lx106
 * core, nor lx106 code on a runtime that enters code with CALLX8. */
const fc_backend fc_backend_esp32 = {
    "esp32",
    FC_TARGET_ESP32,
    "Xtensa LX6 (ESP32), windowed ABI, DIV32, through the middle end",
    NULL,
    4,
    lx_work_size,
    esp_compile,
    xt_disasm,
};
