/*
 * rv_cg.h - the RV32 backend's emission state and emitters (internal to
 * backends/rv32/): the emission primitives and instruction choosers (the
 * RVC form where one exists), the bounds check and its slow-path routines,
 * fault stubs, budget charge, helper call sequence, division routines,
 * prologue frame and shared tail code (rv_cg.c), under the instruction
 * selector over the allocated IR (rv_isel.c).
 *
 * The emitters keep their short names inside the two files; the macros
 * below give them an rv_cg_ prefix as external symbols of libfcc.
 *
 * Fixed registers:
 *   s0 env, s1 budget, s11 fp (eBPF r10), t0-t2 and s10 scratch (T0..T3),
 *   ra link of the shared routines; x3/x4 (gp, tp) never touched. The
 *   selector allocates a0-a7, t5, t6, s2-s9 (fc_ra_target_rv32) and keeps
 *   t3, t4 for spilled operands.
 */
#ifndef RV_CG_H
#define RV_CG_H

#include "fc_backend.h"
#include "fc_hihalf.h"
#include "fc_emit.h"
#include "rv32/rv_enc.h"

#define ENV RV_S0
#define BUD RV_S1
#define FP RV_S11
#define T0 RV_T0
#define T1 RV_T1
#define T2 RV_T2
#define T3 RV_S10
#define ZERO RV_ZERO


#define FRAME_SIZE 64u          /* prologue: ra + s0..s11 + pad          */
#define CALL_FRAME 48u          /* local call: s2..s9 + return + pad     */
#define CALL_RET_OFF 32
#define SLOW_FRAME 64u          /* memcheck stub                         */

/* per-instruction bounds of the dynamic tables (checked, never overrun) */
#define LABS_PER_INSN 12u
#define BRS_PER_INSN 16u
#define STUBS_PER_INSN 4u
#define EXTRA 64u
#define MAX_PASSES 32u


/* fixed labels, after the n+1 instruction labels */
enum {
    FL_EXIT = 0,                /* a0 = result: write budget, restore, return */
    FL_ERR,                     /* a0 = code, a1 = slot */
    FL_ERR_MEM_R,               /* t0:t1 = address, a1 = slot */
    FL_ERR_MEM_W,
    FL_DIV,                     /* + 0..3: UDIV64, SDIV64, UMOD64, SMOD64 stubs */
    FL_MEMSLOW = FL_DIV + 4,    /* + perm_idx * 4 + log2(size): 12 routines */
    FL__COUNT = FL_MEMSLOW + 12
};

enum stub_type {
    ST_ERR,        /* li a1, insn; li a0, code; j err          */
    ST_HELPERR,    /* a0 = code already: li a1, insn; j err     */
    ST_MEM,        /* slow path of a check, then its error part */
    ST_MEMHI       /* t1 = constant hi half, then the error part */
};

typedef fc_em_stub stub;  /* lab2: continue, lab3: error part / target, val: hi half */

typedef struct fc_cg {
    fc_em_in in;         /* the program and the options */
    int rvc;             /* compressed encodings allowed */
    int amo;             /* A extension: AMO*.W, LR.W/SC.W allowed */
    const char *name;

    uint8_t has_back;    /* a taken backward jump or a local call: s1 holds the budget */

    /* emission (middle/fc_emit.h) */
    fc_em em;
    uint8_t div_used;

    /* the selector's state (rv_isel.c) */
    const struct fc_ir *irp;
    const struct fc_ra *ra;
    uint16_t smask;             /* s<k> saved by the prologue (bit k) */
    uint32_t spill;             /* bytes of the current function's spill area */
    const uint8_t *called;      /* per function, a local call targets it */
    uint32_t blab;              /* label of IR block 0 (then one per block) */
    uint32_t flab;              /* label of function 0's callee entry (one per function) */
    uint32_t last_chk;          /* eBPF slot of the last CHECK (access statistics) */
    uint8_t pool_used;          /* scratch registers taken by the current op */
    uint8_t pool_lim;           /* ... how many of the pool it may take */
    uint8_t refuse;             /* an op the selector cannot make: refused */
    uint8_t nborrow, borrow[4]; /* a-registers borrowed by the current op (take) */
    uint32_t cur_k;             /* the IR instruction being selected */
} cg;


enum alu { A_ADD, A_SUB, A_AND, A_OR, A_XOR, A_SLL, A_SRL, A_SRA, A_SLTU, A_SLT,
           A_MUL, A_MULHU, A_DIV, A_DIVU, A_REM, A_REMU };
enum shk { SH_LL, SH_RL, SH_RA };

#define put         rv_cg_put
#define newlab      rv_cg_newlab
#define bind        rv_cg_bind
#define L_fixed     rv_cg_L_fixed
#define br          rv_cg_br
#define jal_lab     rv_cg_jal_lab
#define jmp         rv_cg_jmp
#define reloc       rv_cg_reloc
#define call_sym    rv_cg_call_sym
#define mapto       rv_cg_mapto
#define addstub     rv_cg_addstub
#define err_lab     rv_cg_err_lab
#define e_li        rv_cg_li
#define e_mv        rv_cg_mv
#define e_rrr       rv_cg_rrr
#define e_addi      rv_cg_addi
#define e_rri       rv_cg_rri
#define e_shi       rv_cg_shi
#define e_lw        rv_cg_lw
#define e_sw        rv_cg_sw
#define e_load      rv_cg_load
#define e_store     rv_cg_store
#define slot        rv_cg_slot
#define budget      rv_cg_budget
#define cond_of     rv_cg_cond_of
#define cond64      rv_cg_cond64
#define lg2         rv_cg_lg2
#define bswap32     rv_cg_bswap32
#define bswap16     rv_cg_bswap16
#define div32       rv_cg_div32
#define irq_off     rv_cg_irq_off
#define irq_restore rv_cg_irq_restore
#define emit_stub   rv_cg_emit_stub
#define shared      rv_cg_shared
#define sreg        rv_cg_sreg
#define frame_enter rv_cg_frame_enter
#define mem_check   rv_cg_mem_check
#define atomic_rmw  rv_cg_atomic_rmw

void put(cg *c, uint32_t enc);
uint32_t newlab(cg *c);
void bind(cg *c, uint32_t l);
uint32_t L_fixed(const cg *c, unsigned k);
void br(cg *c, enum rv_cond cond, unsigned a, unsigned b, uint32_t l);
void jal_lab(cg *c, unsigned rd, uint32_t l);
void jmp(cg *c, uint32_t l);
void reloc(cg *c, unsigned kind, unsigned sym, int32_t addend);
void call_sym(cg *c, unsigned sym);
void mapto(cg *c, uint32_t insn);
stub *addstub(cg *c, enum stub_type t, uint32_t lab);
uint32_t err_lab(cg *c, unsigned code);
void e_li(cg *c, unsigned rd, uint32_t v);
void e_mv(cg *c, unsigned rd, unsigned rs);
void e_rrr(cg *c, enum alu op, unsigned rd, unsigned a, unsigned b);
void e_addi(cg *c, unsigned rd, unsigned a, int32_t imm);
void e_rri(cg *c, enum alu op, unsigned rd, unsigned a, uint32_t v, unsigned tmp);
void e_shi(cg *c, enum shk k, unsigned rd, unsigned a, unsigned n);
void e_lw(cg *c, unsigned rd, unsigned base, int32_t off);
void e_sw(cg *c, unsigned v, unsigned base, int32_t off);
void e_load(cg *c, unsigned n, int sx, unsigned rd, unsigned base, int32_t off);
void e_store(cg *c, unsigned n, unsigned v, unsigned base, int32_t off);
int32_t slot(unsigned r, unsigned h);      /* env->regs offset of half h of r */
void budget(cg *c);
enum rv_cond cond_of(unsigned jop, int uns, int *swap);
void cond64(cg *c, unsigned jop, unsigned xl, unsigned xh, unsigned yl, unsigned yh,
            uint32_t lt, uint32_t lf, int ft_true);
unsigned lg2(unsigned n);
void bswap32(cg *c, unsigned rd, unsigned a, unsigned m);
void bswap16(cg *c, unsigned rd, unsigned a);
void div32(cg *c, unsigned dl, unsigned a, unsigned b, int sgn, int mod, int b_nonzero);
void irq_off(cg *c);
void irq_restore(cg *c);
void emit_stub(cg *c, const stub *s);
void shared(cg *c);
unsigned sreg(unsigned k);
/* the prologue's frame: sp down by FRAME_SIZE, ra and the s<k> of the
 * generator saved, env from a0, env->saved_sp, the budget, fp */
void frame_enter(cg *c);
/* the run-time bounds check of an access of n bytes at {blo, bhi} + off
 * (bhi ZERO: hi known zero), perm FC_PERM_*, the verifier's region hint
 * (FC_REGION_*); leaves the address in T0; clobbers T1..T3 */
void mem_check(cg *c, unsigned blo, unsigned bhi, int32_t off, unsigned n, unsigned perm,
               unsigned hint);
/* a 64-bit shift by a register: dl:dh = al:ah shifted by b & 63 (aop
 * FC_ALU_LSH/RSH/ARSH; dh ZERO: hi not wanted; ah ZERO: known zero; zero_hi:
 * write a hi half that becomes 0); one sequence for both generators;
 * clobbers T0..T2 */
void shift64_reg(cg *c, unsigned aop, unsigned dl, unsigned dh, unsigned al, unsigned ah, unsigned b,
                 int zero_hi);

/* mem_check's fast test, also the IR selector's range guard (one sequence,
 * so the guard cannot drift from the check): T0 = blo + off, a carry out
 * of it with bhi ZERO branching to `carry`, a non-zero high half otherwise
 * to `err`, then the 1 << k bytes at T0 not inside the hint's span for perm
 * (or the frame) to `slow` (an atomic's FC_PERM_RW outside the stack: a
 * jump to `slow`); falls through when inside. Clobbers T1..T3. */
void mem_fast(cg *c, unsigned blo, unsigned bhi, int32_t off, unsigned k, unsigned perm,
              unsigned hint, uint32_t carry, uint32_t err, uint32_t slow);
/* an atomic read-modify-write at [T0] (the selector.s atomics: the sequence
 * and its rules); the old value in T1 (lo) and T3 (hi) */
void atomic_rmw(cg *c, unsigned n, int32_t aop, unsigned sl, unsigned sh, unsigned cl, unsigned ch);

#endif /* RV_CG_H */
