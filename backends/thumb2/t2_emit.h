/*
 * t2_emit.h - the Thumb-2 emission layer under the instruction selector over
 * the allocated IR (t2_isel.c).
 *
 *   primitives   put (narrowed unless FC_BK_NO_OPT), branches to labels
 *                (sized by the shared layer), BL to a label or a runtime
 *                routine (relocated), constants, data-processing with the
 *                cheapest immediate form, compares
 *   checks       the inline bounds check of an access (high half, fast
 *                test against one region's span, the slow-path stub)
 *   out of line  the stubs (error exits, slow paths of checks, helper
 *                errors) and the shared routines after them (err_common,
 *                the memory error exits, the memcheck trampolines)
 *
 * The state both share is a t2_em: the emission layer's fc_em, the options,
 * where the fixed labels start, the register holding env, and the register
 * holding the budget (FC_EM_NONE: the budget lives in env). Freestanding
 * C99, no allocation.
 */
#ifndef T2_EMIT_H
#define T2_EMIT_H

#include "fc_backend.h"
#include "fc_emit.h"
#include "thumb2/t2_enc.h"

typedef struct t2_em {
    fc_em em;
    uint32_t flags;      /* FC_BK_* */
    uint32_t n;          /* eBPF slots: the fixed labels follow the n + 1 slot labels */
    uint8_t env;         /* register holding struct fc_native_env * */
    uint8_t fb;          /* register holding the frame base (r10 - 512) */
    uint8_t budget_reg;  /* register holding the budget, FC_EM_NONE: env->budget */
    uint8_t guess_fwd;   /* a label still at 0 is one ahead not placed yet: branches
                          * to it take their short form (set by the selector in its
                          * first pass; the later passes grow what does not reach) */
} t2_em;

/* fixed labels, after the n+1 instruction labels */
enum {
    T2_FL_ERR_COMMON = 0,
    T2_FL_ERR_MEM_R,
    T2_FL_ERR_MEM_W,
    T2_FL_MEMSLOW,              /* + perm_idx * 4 + log2(size): 12 labels */
    T2_FL__COUNT = T2_FL_MEMSLOW + 12
};

enum t2_stub_type {
    T2_ST_ERR,     /* MOVW r1, insn; MOVS r0, code; B err_common (val: budget reg = 0) */
    T2_ST_MEM,     /* slow path of a check, then the error exit             */
    T2_ST_MEMHI,   /* lr = constant high half, then to the ST_MEM error part */
    T2_ST_HELPERR  /* r0 = code (trampoline): MOVW r1, insn; B err_common   */
};

enum t2_dp { T2_DP_AND, T2_DP_ORR, T2_DP_EOR, T2_DP_ADD, T2_DP_ADC, T2_DP_SUB, T2_DP_SBC,
             T2_DP_RSB, T2_DP_BIC, T2_DP_ORN };

#define T2_POP_EXIT 0x8ff8u     /* {r3-r11, pc}: the epilogue of every entry */
#define T2_PUSH_ENTRY 0x4ff8u   /* {r3-r11, lr}: 8-byte aligned */

static inline uint32_t t2e_fixed(const t2_em *x, unsigned k) { return x->n + 1 + k; }

void t2e_put(t2_em *x, uint32_t enc);
void t2e_br(t2_em *x, enum t2_cond cond, uint32_t l);
/* Branch to label l when register rn is zero (nz: non-zero): CBZ/CBNZ
 * when rn is a low register and l is ahead (fwd: the caller knows it is,
 * before the first pass has placed it) in reach, else CMP rn, #0 and B<c>.
 * Takes two branch ids either way. */
void t2e_cbz(t2_em *x, unsigned rn, int nz, uint32_t l, int fwd);
void t2e_bl_lab(t2_em *x, uint32_t l);
void t2e_bl_sym(t2_em *x, unsigned sym);
void t2e_br_err(t2_em *x, enum t2_cond cond, unsigned code);
void t2e_mov_const(t2_em *x, unsigned rd, uint32_t v);
void t2e_mov_reg(t2_em *x, unsigned rd, unsigned rm);
uint32_t t2e_dp_imm_enc(enum t2_dp op, unsigned s, unsigned rd, unsigned rn, uint32_t v);
uint32_t t2e_dp_reg_enc(enum t2_dp op, unsigned s, unsigned rd, unsigned rn, unsigned rm);
/* rd = rn OP v, the cheapest form; tmp takes v when nothing else encodes */
void t2e_dp_imm(t2_em *x, enum t2_dp op, unsigned s, unsigned rd, unsigned rn, uint32_t v,
                unsigned tmp);
void t2e_cmp_imm(t2_em *x, unsigned rn, uint32_t v, unsigned tmp);

/* The high half of a checked address: in register `reg`, or loaded into lr
 * from [base, #off] when reg is FC_EM_NONE and base is not, or known zero
 * (both FC_EM_NONE). */
typedef struct t2_hisrc {
    uint8_t reg, base;
    int32_t off;
} t2_hisrc;

/*
 * The inline check of an access of 1 << k bytes at {blo, hi} + off with
 * permission perm (FC_PERM_R, _W, _RW) and the region the verifier expects
 * (hint, 0xff: none; `stack_base` the base register is r10: then the stack
 * is tried first). blo is a register holding the low half; ip and lr are
 * scratch, c1 and c2 the two registers of the fast test (not ip, not blo,
 * not the high half's register). nofuse: test the high half first even for
 * off 0 (the fused 64-bit compare needs lr free of it or c1/c2 elsewhere).
 * Returns the register holding the address for the access (blo itself, or
 * ip): the access then uses offset 0.
 */
unsigned t2e_check(t2_em *x, unsigned blo, t2_hisrc hi, int32_t off, unsigned k, unsigned perm,
                   unsigned hint, int stack_base, unsigned c1, unsigned c2, int nofuse);

/*
 * The 32-bit atomic read-modify-write at the address in ip: an LDREX/STREX
 * loop when the address is word-aligned (LDREX faults on an unaligned one
 * whatever CCR says), else the sequence with interrupts masked (PRIMASK
 * saved, CPSID i, load, modify, store, PRIMASK restored). op: the operation
 * of an add/or/and/xor (ignored for xchg and cmpxchg); val the register of
 * the operand, cmp that of the compared value (cmpxchg). The old value ends
 * in r0; r1, r2 and the flags are clobbered.
 */
void t2e_atomic32(t2_em *x, enum t2_dp op, int cmpx, int xchg, unsigned val, unsigned cmp);

/*
 * The two halves of a check's fast test, used by t2e_check and by the IR
 * selector's range guard (one sequence, so the guard cannot drift from the
 * check). t2e_check_addr: dlo = blo + off for off != 0 (or a high half),
 * setting the flags: with no high half (hi all NONE: zero) a carry out of
 * the 64-bit sum branches to `carry`; else dhi = hi + sext(off) >> 32 +
 * carry (hi loaded into dhi from its slot first) and a non-zero dhi
 * branches to `err`. tmp: scratch for a constant (not dlo, not blo).
 * t2e_fast_test: c1 = base - start of the span the hint names for perm (the
 * frame [fb, stack_end[k]) for FC_REGION_STACK) compared with the span's
 * lim for 1 << k bytes (in c2): flags HS
 * when the 1 << k bytes at base are not inside.
 */
void t2e_check_addr(t2_em *x, unsigned dlo, unsigned dhi, unsigned blo, t2_hisrc hi, int32_t off,
                    unsigned tmp, uint32_t carry, uint32_t err);
void t2e_fast_test(t2_em *x, unsigned base, unsigned k, unsigned perm, unsigned hint, unsigned c1,
                   unsigned c2);

/* The stubs recorded in this pass, then the shared routines. */
void t2e_out_of_line(t2_em *x);

#endif /* T2_EMIT_H */
