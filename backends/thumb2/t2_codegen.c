/*
 * t2_codegen.c - the Thumb-2 (thumbv7m: Cortex-M3, runs on M4/M7) backend.
 *
 * eBPF registers are 64 bits wide, the core 32: every eBPF register is a
 * {lo, hi} pair of halves. Each half lives either in a machine register or
 * in its slot of env->regs (runtime/fc_native.h), chosen once per program
 * by use counts. Machine registers:
 *
 *   r0-r3, ip, lr  scratch (operands of spilled halves, addresses, calls;
 *                  AAPCS caller-saved, so runtime routines may clobber them)
 *   r4-r6, r8-r10  homes of the six most used halves (callee-saved: helper
 *                  calls and runtime routines leave them alone); in a
 *                  program with loops r10 holds the budget counter instead
 *   r7             env (struct fc_native_env *): a low register, so that
 *                  the loads and stores of env->regs have 16-bit encodings
 *   r11            fb = eBPF r10 - 512: the base of the current 512-byte
 *                  frame, so [r10 + off] is [fb + off + 512], a positive
 *                  12-bit offset
 *   sp             machine stack (fc_native.h has the frame diagram)
 *
 * The hi halves are where a 32-bit core loses time, so the shared analysis
 * (middle/fc_hihalf.h, with the verifier's hi_zero facts when given; its
 * hi_dead facts are not read yet) finds
 *   - hi halves known to be zero before an instruction (ALU32 results,
 *     narrow loads, zero-extension idioms, r10): their reads become
 *     constants, 64-bit compares become 32-bit ones, pointer checks need no
 *     high-half test, 64-bit division becomes UDIV;
 *   - hi halves dead after an instruction: they are not computed at all.
 *
 * Memory accesses the verifier marked FC_ACC_CHECK (all of them without
 * facts), except accesses of the current frame through r10 (always inside
 * the stack region), get an inline check: the high half of the address
 * must be 0, then a fast test against the region the verifier expects
 * (region_hint), else a call of the runtime's slow path (every region), else
 * an error exit with FC_ERR_MEM_READ/WRITE and the instruction index.
 *
 * Emission is size-then-emit (the shared layer middle/fc_emit.h: labels,
 * branch levels, relocations, pc map, stubs, the pass loop): the same code
 * runs over the whole program in counting passes (branch sizes only ever grow), until no label moves,
 * then once more writing. Output is deterministic; a final scan
 * (t2_validate) rejects the image if any encoder refused its operands.
 */
#include "fc_backend.h"
#include "fc_vm.h"
#include "fc_hihalf.h"
#include "fc_emit.h"
#include "thumb2/t2_enc.h"
#include "thumb2/t2_emit.h"
#include "thumb2/t2_isel.h"

#define ENV T2_R7
#define FB T2_R11
#define IP T2_IP
#define LR T2_LR
#define R0 T2_R0
#define R1 T2_R1
#define R2 T2_R2
#define R3 T2_R3
/* the scratch register of a second operand: r2, or lr when r2 is a home
 * (leaf programs without a 64-bit multiply that needs its high half) */
#define TB (c->tb)

#define NHOMES 8u               /* r4..r6, r8..r10; r3, r2 (leaf programs) */
static const uint8_t home_regs[NHOMES] = {T2_R4, T2_R5, T2_R6, T2_R8, T2_R9, T2_R10, T2_R3, T2_R2};
#define BUDGET_REG T2_R10       /* the budget, in programs with back-edges */
#define NONE 0xffu
#define NOPAD 0xffffffffu

/* per-instruction bounds of the dynamic tables (checked, never overrun) */
#define LABS_PER_INSN 10u
#define BRS_PER_INSN 12u
#define STUBS_PER_INSN 4u
#define EXTRA 64u
#define MAX_PASSES 32u

/* marks in opid[] */
#define OP_SECOND 0xffu         /* second slot of an lddw */

#define FL_ERR_COMMON T2_FL_ERR_COMMON
#define FL_ERR_MEM_R T2_FL_ERR_MEM_R
#define FL_ERR_MEM_W T2_FL_ERR_MEM_W
#define FL_MEMSLOW T2_FL_MEMSLOW
#define FL__COUNT T2_FL__COUNT
#define ST_ERR T2_ST_ERR
#define ST_HELPERR T2_ST_HELPERR

typedef fc_em_stub stub;  /* lab2: continue, lab3: error part / target, val: hi half */

typedef struct fc_cg {
    fc_em_in in;         /* the program and the options */
    fc_diags *diags;

    /* analysis */
    fc_hh hh;            /* the shared hi-half analysis' view of the program */
    uint8_t *opid;       /* FC_OP_* per slot, OP_SECOND, 0 invalid */
    uint16_t *hz;        /* hi value known zero before slot i (bit r) */
    uint16_t *lout;      /* hi live after slot i */
    uint16_t *hza;       /* hi value known zero after slot i */
    uint16_t *loc;       /* hi location (home or env slot) holds 0 before slot i */
    uint16_t *tmp16;
    uint8_t has_local_calls;
    uint8_t budget_reg;  /* the budget counter lives in BUDGET_REG */
    uint8_t home[11][2]; /* machine register or NONE */
    uint8_t tb;          /* second-operand scratch: R2, or LR when r2 is a home */
    uint8_t r23home;     /* r2 or r3 is a home */
    /* span cache: when two home registers are worth more so, they hold
     * the start and one lim[k] of the region span the hot checks use
     * (env->rd/wr do not change during a run), loaded by the prologue */
    uint8_t sc_start, sc_lim;     /* registers, NONE: no cache */
    uint32_t sc_span, sc_limoff;  /* their env offsets */

    /* emission (middle/fc_emit.h, t2_emit.h) */
    t2_em x;
    /* budget pads: a conditional back-edge j to t branches (when taken) to
     * its pad, placed just before t, which takes the unit of budget and
     * falls (or branches) into t; padhead[t] / padnext[j] chain the
     * back-edges to t, padlab[j] is the pad's label in this pass */
    uint32_t *padhead, *padnext, *padlab;
    /* fusion of `mov32 d, s` into the 32-bit ALU operation on d after it
     * (three-operand forms): fuse[i] marks the mov; while the operation is
     * emitted, reads of d's low half read s instead */
    uint8_t *fuse;
    uint8_t fusing, fuse_d, fuse_s;

} cg;

/* ========================================================================
 * Emission primitives
 * ===================================================================== */

static void put(cg *c, uint32_t enc) { t2e_put(&c->x, enc); }

static uint32_t newlab(cg *c) { return fc_em_newlab(&c->x.em); }

static void bind(cg *c, uint32_t l) { fc_em_bind(&c->x.em, l); }

static uint32_t L_insn(uint32_t i) { return i; }

static void br(cg *c, enum t2_cond cond, uint32_t l) { t2e_br(&c->x, cond, l); }

static void reloc(cg *c, unsigned kind, unsigned sym, int32_t addend)
{
    fc_em_reloc(&c->x.em, kind, sym, addend);
}

static void bl_sym(cg *c, unsigned sym) { t2e_bl_sym(&c->x, sym); }

static void mapto(cg *c, uint32_t insn) { fc_em_mapto(&c->x.em, insn); }

static stub *addstub(cg *c, unsigned t, uint32_t lab)
{
    return fc_em_addstub(&c->x.em, t, lab);
}

static void br_err(cg *c, enum t2_cond cond, unsigned code) { t2e_br_err(&c->x, cond, code); }

static void mov_const(cg *c, unsigned rd, uint32_t v) { t2e_mov_const(&c->x, rd, v); }

static void mov_reg(cg *c, unsigned rd, unsigned rm) { t2e_mov_reg(&c->x, rd, rm); }

#define dp t2_dp
#define DP_AND T2_DP_AND
#define DP_ORR T2_DP_ORR
#define DP_EOR T2_DP_EOR
#define DP_ADD T2_DP_ADD
#define DP_ADC T2_DP_ADC
#define DP_SUB T2_DP_SUB
#define DP_SBC T2_DP_SBC
#define DP_BIC T2_DP_BIC
#define dp_imm_enc t2e_dp_imm_enc
#define dp_reg_enc t2e_dp_reg_enc

static void dp_imm(cg *c, enum dp op, unsigned s, unsigned rd, unsigned rn, uint32_t v, unsigned tmp)
{
    t2e_dp_imm(&c->x, op, s, rd, rn, v, tmp);
}

static void cmp_imm(cg *c, unsigned rn, uint32_t v, unsigned tmp) { t2e_cmp_imm(&c->x, rn, v, tmp); }

/* ========================================================================
 * eBPF register halves
 * ===================================================================== */

static int32_t slot(unsigned r, unsigned h) { return (int32_t)FC_NENV_REG(r, h); }

static int is_home(const cg *c, unsigned r, unsigned h) { return r < 10 && c->home[r][h] != NONE; }

/* hi of r known zero before the current instruction */
static int hz(const cg *c, unsigned r)
{
    return r == 10 || (c->hz[c->x.em.cur] >> r & 1u);
}

/*
 * What an instruction does with the hi half of a register it defines:
 *   HA_SKIP     nothing: dead after, or known zero and its location already 0
 *   HA_ZERO     the value is known zero: store 0 (insn() does it at the end)
 *   HA_COMPUTE  compute and store it
 * The analysis (loc[]) and the emitters follow the same rule.
 */
enum { HA_SKIP, HA_ZERO, HA_COMPUTE };

static int hact_at(const cg *c, uint32_t i, unsigned r)
{
    if (r >= 10)
        return HA_COMPUTE;
    if (!(c->lout[i] >> r & 1u))
        return HA_SKIP;
    if (c->hza[i] >> r & 1u)
        return (c->loc[i] >> r & 1u) ? HA_SKIP : HA_ZERO;
    return HA_COMPUTE;
}

static int hact(const cg *c, unsigned r) { return hact_at(c, c->x.em.cur, r); }

/* the emitters compute a hi half only in this case */
static int hneed(const cg *c, unsigned r) { return hact(c, r) == HA_COMPUTE; }

/* A register holding half h of r: its home, or `tmp` loaded from env. */
static unsigned rd_half(cg *c, unsigned r, unsigned h, unsigned tmp)
{
    if (c->fusing && r == c->fuse_d && h == 0)
        r = c->fuse_s;
    if (r == 10) {
        if (h)
            put(c, t2_mov_imm(tmp, 0));
        else
            put(c, t2_addw(tmp, FB, FC_STACK_SIZE));
        return tmp;
    }
    if (h && hz(c, r)) {
        if (is_home(c, r, h))
            return c->home[r][h];   /* holds 0 */
        put(c, t2_mov_imm(tmp, 0));
        return tmp;
    }
    if (is_home(c, r, h))
        return c->home[r][h];
    put(c, t2_ldr_imm(tmp, ENV, slot(r, h)));
    return tmp;
}

/* Where to compute half h of r: its home or tmp (then wb_half stores). */
static unsigned wr_half(const cg *c, unsigned r, unsigned h, unsigned tmp)
{
    return is_home(c, r, h) ? c->home[r][h] : tmp;
}

static void wb_half(cg *c, unsigned r, unsigned h, unsigned reg)
{
    if (is_home(c, r, h))
        mov_reg(c, c->home[r][h], reg);
    else
        put(c, t2_str_imm(reg, ENV, slot(r, h)));
}

static void set_half_const(cg *c, unsigned r, unsigned h, uint32_t v)
{
    unsigned d = wr_half(c, r, h, IP);
    mov_const(c, d, v);
    wb_half(c, r, h, d);
}

/* hi of r = 0 (the result of a 32-bit operation); HA_ZERO is left to insn() */
static void hi_zero(cg *c, unsigned r)
{
    if (hneed(c, r))
        set_half_const(c, r, 1, 0);
}

/* hi of r = sign of reg (lo of r, already written) */
static void hi_sign(cg *c, unsigned r, unsigned lo)
{
    if (!hneed(c, r))
        return;
    unsigned d = wr_half(c, r, 1, IP);
    put(c, t2_asr_imm(d, lo, 31));
    wb_half(c, r, 1, d);
}

/* ========================================================================
 * The error exits, the budget, the bounds checks
 * ===================================================================== */

/* one unit of budget for a taken backward jump: none left -> FC_ERR_BUDGET
 * (the stub puts 0 back: SUBS took it below) */
static void budget(cg *c)
{
    if (c->budget_reg) {
        uint32_t l = newlab(c);
        stub *s = addstub(c, ST_ERR, l);
        s->code = FC_ERR_BUDGET;
        s->val = 1;                           /* reset the counter to 0 */
        put(c, t2_subs_imm(BUDGET_REG, BUDGET_REG, 1));
        br(c, T2_CC, l);
        return;
    }
    put(c, t2_ldr_imm(R3, ENV, FC_NENV_BUDGET));
    put(c, t2_subs_imm(R3, R3, 1));
    br_err(c, T2_CC, FC_ERR_BUDGET);
    put(c, t2_str_imm(R3, ENV, FC_NENV_BUDGET));
}

/* jump to slot t from the current slot, taken when cond holds */
static void jump(cg *c, enum t2_cond cond, uint64_t t)
{
    uint32_t i = c->x.em.cur;
    if (t >= c->in.n) {                       /* as the interpreter: taken -> error */
        br_err(c, cond, FC_ERR_BAD_PROGRAM);
        return;
    }
    if (t > i) {
        br(c, cond, L_insn((uint32_t)t));
        return;
    }
    /* backward: a taken jump costs one unit of budget */
    if (c->padlab && c->padlab[i] != NOPAD) {
        br(c, cond, c->padlab[i]);
        return;
    }
    uint32_t skip = 0;
    if (cond != T2_AL) {
        skip = newlab(c);
        br(c, t2_cond_invert(cond), skip);
    }
    budget(c);
    br(c, T2_AL, L_insn((uint32_t)t));
    if (cond != T2_AL)
        bind(c, skip);
}

static unsigned lg2(unsigned n) { return n == 8 ? 3u : n == 4 ? 2u : n == 2 ? 1u : 0u; }

/*
 * Address of an access of n bytes at [r + off]: returns the base register
 * and the offset to use in the load/store. perm: FC_PERM_R, _W or _RW
 * (atomics). With a check, the address ends in ip.
 */
static void mem_addr(cg *c, unsigned r, int16_t off, unsigned n, unsigned perm,
                     unsigned *rb, int32_t *roff)
{
    const fc_insn_info *inf = c->in.info ? &c->in.info[c->x.em.cur] : NULL;
    unsigned k = lg2(n);

    if (!fc_em_access_checked(inf, c->in.flags, r, off, n)) {
        c->x.em.unchecked++;
        if (r == 10) {
            int32_t o = off + (int32_t)FC_STACK_SIZE;
            if (t2_ldst_off_ok(o) && t2_ldst_off_ok(o + 4)) {
                *rb = FB;
                *roff = o;
                return;
            }
            dp_imm(c, DP_ADD, 0, IP, FB, (uint32_t)o, IP);
        } else {
            unsigned b = rd_half(c, r, 0, IP);
            if (t2_ldst_off_ok(off) && t2_ldst_off_ok(off + 4)) {
                *rb = b;
                *roff = off;
                return;
            }
            dp_imm(c, DP_ADD, 0, IP, b, (uint32_t)(int32_t)off, IP);
        }
        *rb = IP;
        *roff = 0;
        return;
    }

    /* the address, and its high half must be 0 */
    unsigned blo = rd_half(c, r, 0, IP);
    t2_hisrc hi = {NONE, NONE, 0};
    if (!hz(c, r)) {
        if (is_home(c, r, 1))
            hi.reg = c->home[r][1];
        else {
            hi.base = ENV;
            hi.off = slot(r, 1);
        }
    }
    t2_spancache sc = {c->sc_start, c->sc_lim, c->sc_span, c->sc_limoff};
    *rb = t2e_check(&c->x, blo, hi, off, k, perm, inf ? inf->region_hint : 0xffu, r == 10, R0, R1, 0,
                    &sc);
    *roff = 0;
}

/* ========================================================================
 * Instructions
 * ===================================================================== */

static int32_t imm(const fc_insn *i) { return i->imm; }

/* ---- ALU ------------------------------------------------------------------- */

static enum dp alu_dp(unsigned aop)
{
    switch (aop) {
    case FC_ALU_ADD: return DP_ADD;
    case FC_ALU_SUB: return DP_SUB;
    case FC_ALU_OR:  return DP_ORR;
    case FC_ALU_AND: return DP_AND;
    default:         return DP_EOR;
    }
}

/* 32-bit ALU: lo only, hi = 0 */
static void alu32(cg *c, const fc_insn *i, unsigned op)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    unsigned aop = FC_OPCODE_OP(i->op);
    int x = (i->op & FC_SRC_X) != 0;
    uint32_t k = (uint32_t)imm(i);
    unsigned dl = wr_half(c, d, 0, R0);
    unsigned a, b;

    switch (aop) {
    case FC_ALU_MOV:
        if (op == FC_OP_MOVSX8_32 || op == FC_OP_MOVSX16_32) {
            b = rd_half(c, s, 0, TB);
            put(c, op == FC_OP_MOVSX8_32 ? t2_sxtb(dl, b) : t2_sxth(dl, b));
        } else if (x) {
            b = rd_half(c, s, 0, dl);
            mov_reg(c, dl, b);
        } else {
            mov_const(c, dl, k);
        }
        break;
    case FC_ALU_ADD: case FC_ALU_SUB: case FC_ALU_OR: case FC_ALU_AND: case FC_ALU_XOR:
        a = rd_half(c, d, 0, R0);
        if (x) {
            b = rd_half(c, s, 0, TB);
            put(c, dp_reg_enc(alu_dp(aop), 0, dl, a, b));
        } else {
            dp_imm(c, alu_dp(aop), 0, dl, a, k, TB);
        }
        break;
    case FC_ALU_MUL:
        a = rd_half(c, d, 0, R0);
        if (x) {
            b = rd_half(c, s, 0, TB);
        } else {
            mov_const(c, TB, k);
            b = TB;
        }
        put(c, t2_mul(dl, a, b));
        break;
    case FC_ALU_DIV: case FC_ALU_MOD: {
        int sgn = i->off == 1, mod = aop == FC_ALU_MOD;
        a = rd_half(c, d, 0, R0);
        if (!x && k == 0) {                       /* constant zero divisor */
            if (!mod)
                put(c, t2_mov_imm(dl, 0));
            else
                mov_reg(c, dl, a);
            break;
        }
        if (x) {
            b = rd_half(c, s, 0, TB);
            put(c, t2_cmp_imm(b, 0));
            if (mod) {
                put(c, t2_it_x(T2_NE, "T"));
                put(c, sgn ? t2_sdiv(IP, a, b) : t2_udiv(IP, a, b));
                put(c, t2_mls(dl, IP, b, a));
            } else {
                put(c, t2_it_x(T2_NE, "E"));
                put(c, sgn ? t2_sdiv(dl, a, b) : t2_udiv(dl, a, b));
                put(c, t2_mov_imm(dl, 0));
            }
        } else {
            mov_const(c, TB, k);
            if (mod) {
                put(c, sgn ? t2_sdiv(IP, a, TB) : t2_udiv(IP, a, TB));
                put(c, t2_mls(dl, IP, TB, a));
            } else {
                put(c, sgn ? t2_sdiv(dl, a, TB) : t2_udiv(dl, a, TB));
            }
        }
        break;
    }
    case FC_ALU_LSH: case FC_ALU_RSH: case FC_ALU_ARSH: {
        enum t2_shift t = aop == FC_ALU_LSH ? T2_LSL : aop == FC_ALU_RSH ? T2_LSR : T2_ASR;
        a = rd_half(c, d, 0, R0);
        if (x) {
            b = rd_half(c, s, 0, TB);
            put(c, t2_and_imm(IP, b, 31));
            put(c, t2_shift_reg(t, dl, a, IP));
        } else if ((k & 31u) == 0) {
            mov_reg(c, dl, a);
        } else {
            put(c, t2_shift_imm(t, dl, a, k & 31u));
        }
        break;
    }
    case FC_ALU_NEG:
        a = rd_half(c, d, 0, R0);
        put(c, t2_rsb_imm(dl, a, 0));
        break;
    case FC_ALU_END:
        a = rd_half(c, d, 0, R0);
        if (op == FC_OP_LE16) {
            put(c, t2_uxth(dl, a));
        } else if (op == FC_OP_LE32) {
            mov_reg(c, dl, a);
        } else if (op == FC_OP_LE64) {
            return;                          /* no change at all */
        } else if (op == FC_OP_BE16) {
            put(c, t2_rev16(dl, a));
            put(c, t2_uxth(dl, dl));
        } else if (op == FC_OP_BE32) {
            put(c, t2_rev(dl, a));
        } else {                             /* BE64: swap the halves */
            unsigned ah = rd_half(c, d, 1, R1);
            unsigned dh = wr_half(c, d, 1, R1);
            int nh = hneed(c, d);
            if (nh)
                put(c, t2_rev(IP, a));
            put(c, t2_rev(dl, ah));
            wb_half(c, d, 0, dl);
            if (nh) {
                mov_reg(c, dh, IP);
                wb_half(c, d, 1, dh);
            }
            return;
        }
        break;
    }
    wb_half(c, d, 0, dl);
    hi_zero(c, d);
}

/* 64-bit shifts by a constant */
static void shift64_k(cg *c, unsigned d, unsigned aop, unsigned n)
{
    int need_hi = hneed(c, d);
    unsigned al, ah, dl, dh;

    if (n == 0)
        return;
    dl = wr_half(c, d, 0, R0);
    dh = wr_half(c, d, 1, R1);
    if (aop == FC_ALU_LSH) {
        al = rd_half(c, d, 0, R0);
        if (n < 32) {
            if (need_hi) {
                ah = rd_half(c, d, 1, R1);
                put(c, t2_lsl_imm(dh, ah, n));
                put(c, t2_orr_sh(dh, dh, al, T2_LSR, 32 - n));
                wb_half(c, d, 1, dh);
            }
            put(c, t2_lsl_imm(dl, al, n));
        } else {
            if (need_hi) {
                if (n == 32)
                    mov_reg(c, dh, al);
                else
                    put(c, t2_lsl_imm(dh, al, n - 32));
                wb_half(c, d, 1, dh);
            }
            put(c, t2_mov_imm(dl, 0));
        }
        wb_half(c, d, 0, dl);
        return;
    }
    /* RSH / ARSH: lo from both halves, hi from hi */
    al = rd_half(c, d, 0, R0);
    ah = rd_half(c, d, 1, R1);
    if (n < 32) {
        put(c, t2_lsr_imm(dl, al, n));
        put(c, t2_orr_sh(dl, dl, ah, T2_LSL, 32 - n));
        wb_half(c, d, 0, dl);
        if (need_hi) {
            put(c, aop == FC_ALU_RSH ? t2_lsr_imm(dh, ah, n) : t2_asr_imm(dh, ah, n));
            wb_half(c, d, 1, dh);
        }
        return;
    }
    if (n == 32)
        mov_reg(c, dl, ah);
    else
        put(c, aop == FC_ALU_RSH ? t2_lsr_imm(dl, ah, n - 32) : t2_asr_imm(dl, ah, n - 32));
    wb_half(c, d, 0, dl);
    if (need_hi) {
        if (aop == FC_ALU_RSH)
            put(c, t2_mov_imm(dh, 0));
        else
            put(c, t2_asr_imm(dh, ah, 31));
        wb_half(c, d, 1, dh);
    }
}

/*
 * 64-bit shifts by a register, branch-free. Register-specified shifts use
 * the bottom byte of the amount and give 0 (LSL/LSR) for 32..255, so with
 * n in 0..63 the terms of the wrong side vanish:
 *   lsh: hi = hi<<n | lo>>(32-n) | lo<<(n-32);  lo = lo<<n
 *   rsh: lo = lo>>n | hi<<(32-n) | hi>>(n-32);  hi = hi>>n
 *   arsh: lo = lo>>n | hi<<(32-n), replaced by hi asr (n-32) when n >= 32
 *         (ASR by 224..255 would fill with the sign, so it is predicated)
 */
static void shift64_x(cg *c, unsigned d, unsigned s, unsigned aop)
{
    unsigned b = rd_half(c, s, 0, TB);
    unsigned al = rd_half(c, d, 0, R0), ah = rd_half(c, d, 1, R1);
    unsigned dl = wr_half(c, d, 0, R0), dh = wr_half(c, d, 1, R1);
    int need_hi = hneed(c, d);

    put(c, t2_and_imm(IP, b, 63));
    if (aop == FC_ALU_LSH) {
        if (need_hi) {
            put(c, t2_lsl_reg(dh, ah, IP));
            put(c, t2_rsb_imm(LR, IP, 32));
            put(c, t2_lsr_reg(LR, al, LR));
            put(c, t2_orr_reg(dh, dh, LR));
            put(c, t2_sub_imm(LR, IP, 32));
            put(c, t2_lsl_reg(LR, al, LR));
            put(c, t2_orr_reg(dh, dh, LR));
            wb_half(c, d, 1, dh);
        }
        put(c, t2_lsl_reg(dl, al, IP));
        wb_half(c, d, 0, dl);
        return;
    }
    put(c, t2_lsr_reg(dl, al, IP));
    put(c, t2_rsb_imm(LR, IP, 32));
    put(c, t2_lsl_reg(LR, ah, LR));
    put(c, t2_orr_reg(dl, dl, LR));
    if (aop == FC_ALU_RSH) {
        put(c, t2_sub_imm(LR, IP, 32));
        put(c, t2_lsr_reg(LR, ah, LR));
        put(c, t2_orr_reg(dl, dl, LR));
    } else {
        put(c, t2_subs_imm(LR, IP, 32));
        put(c, t2_it_x(T2_PL, ""));
        put(c, t2_asr_reg(dl, ah, LR));
    }
    wb_half(c, d, 0, dl);
    if (need_hi) {
        put(c, aop == FC_ALU_RSH ? t2_lsr_reg(dh, ah, IP) : t2_asr_reg(dh, ah, IP));
        wb_half(c, d, 1, dh);
    }
}

/* 64-bit division and modulo: a runtime routine, or UDIV when both are
 * known to fit in 32 bits (then signed = unsigned: both are >= 0) */
static void divmod64(cg *c, const fc_insn *i, unsigned aop)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    int x = (i->op & FC_SRC_X) != 0, sgn = i->off == 1, mod = aop == FC_ALU_MOD;
    uint64_t k = (uint64_t)(int64_t)imm(i);
    int small = hz(c, d) && (x ? hz(c, s) : k <= 0xffffffffu);

    if (!x && k == 0) {
        if (!mod) {
            set_half_const(c, d, 0, 0);
            if (hneed(c, d))
                set_half_const(c, d, 1, 0);
        }
        return;
    }
    if (small && !(c->in.flags & FC_BK_NO_OPT)) {
        unsigned a = rd_half(c, d, 0, R0), dl = wr_half(c, d, 0, R0), b;
        if (x) {
            b = rd_half(c, s, 0, TB);
            put(c, t2_cmp_imm(b, 0));
            if (mod) {
                put(c, t2_it_x(T2_NE, "T"));
                put(c, t2_udiv(IP, a, b));
                put(c, t2_mls(dl, IP, b, a));
            } else {
                put(c, t2_it_x(T2_NE, "E"));
                put(c, t2_udiv(dl, a, b));
                put(c, t2_mov_imm(dl, 0));
            }
        } else {
            mov_const(c, TB, (uint32_t)k);
            if (mod) {
                put(c, t2_udiv(IP, a, TB));
                put(c, t2_mls(dl, IP, TB, a));
            } else {
                put(c, t2_udiv(dl, a, TB));
            }
        }
        wb_half(c, d, 0, dl);
        hi_zero(c, d);    /* was zero before: the location holds 0 or is dead */
        return;
    }
    /* a in r0:r1, b in r2:r3 (homes are r4-r9: no overlap) */
    mov_reg(c, R0, rd_half(c, d, 0, R0));
    mov_reg(c, R1, rd_half(c, d, 1, R1));
    if (x) {
        mov_reg(c, R2, rd_half(c, s, 0, R2));
        mov_reg(c, R3, rd_half(c, s, 1, R3));
    } else {
        mov_const(c, R2, (uint32_t)k);
        mov_const(c, R3, (uint32_t)(k >> 32));
    }
    bl_sym(c, mod ? (sgn ? FC_SYM_SMOD64 : FC_SYM_UMOD64) : (sgn ? FC_SYM_SDIV64 : FC_SYM_UDIV64));
    wb_half(c, d, 0, R0);
    if (hneed(c, d))
        wb_half(c, d, 1, R1);
}

static void alu64(cg *c, const fc_insn *i, unsigned op)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    unsigned aop = FC_OPCODE_OP(i->op);
    int x = (i->op & FC_SRC_X) != 0;
    uint64_t k = (uint64_t)(int64_t)imm(i);
    uint32_t kl = (uint32_t)k, kh = (uint32_t)(k >> 32);
    int need_hi = hneed(c, d);
    unsigned al, ah, bl, bh, dl, dh;

    switch (aop) {
    case FC_ALU_MOV:
        if (op == FC_OP_MOVSX8_64 || op == FC_OP_MOVSX16_64 || op == FC_OP_MOVSX32_64) {
            bl = rd_half(c, s, 0, TB);
            dl = wr_half(c, d, 0, R0);
            if (op == FC_OP_MOVSX8_64)
                put(c, t2_sxtb(dl, bl));
            else if (op == FC_OP_MOVSX16_64)
                put(c, t2_sxth(dl, bl));
            else
                mov_reg(c, dl, bl);
            wb_half(c, d, 0, dl);
            hi_sign(c, d, dl);
            return;
        }
        if (!x) {
            set_half_const(c, d, 0, kl);
            if (need_hi)
                set_half_const(c, d, 1, kh);
            return;
        }
        if (s == d)
            return;
        for (unsigned h = 0; h < 2; h++) {
            if (h && !need_hi)
                break;
            if (h && hz(c, s)) {
                set_half_const(c, d, 1, 0);
                break;
            }
            unsigned t = wr_half(c, d, h, R0);
            unsigned v = rd_half(c, s, h, t);
            mov_reg(c, t, v);
            wb_half(c, d, h, t);
        }
        return;
    case FC_ALU_ADD: case FC_ALU_SUB: {
        enum dp lo = aop == FC_ALU_ADD ? DP_ADD : DP_SUB, hi = aop == FC_ALU_ADD ? DP_ADC : DP_SBC;
        al = rd_half(c, d, 0, R0);
        dl = wr_half(c, d, 0, R0);
        if (!need_hi) {
            if (x)
                put(c, dp_reg_enc(lo, 0, dl, al, rd_half(c, s, 0, TB)));
            else
                dp_imm(c, lo, 0, dl, al, kl, TB);
            wb_half(c, d, 0, dl);
            return;
        }
        if (x) {
            bl = rd_half(c, s, 0, TB);
            dh = wr_half(c, d, 1, R1);
            if (hz(c, s) && !(c->in.flags & FC_BK_NO_OPT)) {
                /* hi of s is 0: ADC/SBC with #0 */
                ah = rd_half(c, d, 1, R1);
                put(c, dp_reg_enc(lo, 1, dl, al, bl));
                put(c, dp_imm_enc(hi, 0, dh, ah, 0));
            } else if (hz(c, d) && aop == FC_ALU_ADD && !(c->in.flags & FC_BK_NO_OPT)) {
                bh = rd_half(c, s, 1, IP);
                put(c, dp_reg_enc(lo, 1, dl, al, bl));
                put(c, dp_imm_enc(hi, 0, dh, bh, 0));
            } else {
                bh = rd_half(c, s, 1, IP);
                ah = rd_half(c, d, 1, R1);
                put(c, dp_reg_enc(lo, 1, dl, al, bl));
                put(c, dp_reg_enc(hi, 0, dh, ah, bh));
            }
        } else {
            ah = rd_half(c, d, 1, R1);
            dh = wr_half(c, d, 1, R1);
            dp_imm(c, lo, 1, dl, al, kl, TB);
            put(c, dp_imm_enc(hi, 0, dh, ah, kh));   /* 0 or ~0: always encodable */
        }
        wb_half(c, d, 0, dl);
        wb_half(c, d, 1, dh);
        return;
    }
    case FC_ALU_OR: case FC_ALU_AND: case FC_ALU_XOR: {
        enum dp o = alu_dp(aop);
        for (unsigned h = 0; h < 2; h++) {
            if (h && !need_hi)
                break;
            uint32_t kv = h ? kh : kl;
            if (!x && h) {
                /* hi op with 0 or ~0 */
                if ((o == DP_ORR || o == DP_EOR) && kv == 0)
                    break;                       /* unchanged */
                if (o == DP_AND && kv == 0xffffffffu)
                    break;
                if (o == DP_AND || o == DP_ORR) {   /* 0 or ~0 */
                    set_half_const(c, d, 1, o == DP_AND ? 0 : 0xffffffffu);
                    break;
                }
            }
            if (h && x && hz(c, s) && o != DP_AND && !(c->in.flags & FC_BK_NO_OPT))
                break;                           /* hi | 0, hi ^ 0: unchanged */
            unsigned a = rd_half(c, d, h, h ? R1 : R0), t = wr_half(c, d, h, h ? R1 : R0);
            if (x)
                put(c, dp_reg_enc(o, 0, t, a, rd_half(c, s, h, h ? IP : TB)));
            else if (h)
                put(c, t2_mvn_reg(t, a));        /* EOR with ~0 */
            else
                dp_imm(c, o, 0, t, a, kv, TB);
            wb_half(c, d, h, t);
        }
        return;
    }
    case FC_ALU_MUL:
        al = rd_half(c, d, 0, R0);
        if (x) {
            bl = rd_half(c, s, 0, TB);
        } else {
            mov_const(c, TB, kl);
            bl = TB;
        }
        dl = wr_half(c, d, 0, R0);
        if (!need_hi) {
            put(c, t2_mul(dl, al, bl));
            wb_half(c, d, 0, dl);
            return;
        }
        put(c, t2_umull(IP, LR, al, bl));
        if (!hz(c, d)) {
            ah = rd_half(c, d, 1, R1);
            put(c, t2_mla(LR, ah, bl, LR));
        }
        /* bl is dead now: r2 may take bh (r3 can be a home) */
        if (x) {
            if (!hz(c, s)) {
                bh = rd_half(c, s, 1, R2);
                put(c, t2_mla(LR, al, bh, LR));
            }
        } else if (kh) {
            put(c, t2_sub_reg(LR, LR, al));       /* al * ~0 = -al */
        }
        dh = wr_half(c, d, 1, R1);
        mov_reg(c, dl, IP);
        wb_half(c, d, 0, dl);
        mov_reg(c, dh, LR);
        wb_half(c, d, 1, dh);
        return;
    case FC_ALU_DIV: case FC_ALU_MOD:
        divmod64(c, i, aop);
        return;
    case FC_ALU_LSH: case FC_ALU_RSH: case FC_ALU_ARSH:
        if (x)
            shift64_x(c, d, s, aop);
        else
            shift64_k(c, d, aop, (uint32_t)imm(i) & 63u);
        return;
    case FC_ALU_NEG:
        al = rd_half(c, d, 0, R0);
        dl = wr_half(c, d, 0, R0);
        if (!need_hi) {
            put(c, t2_rsb_imm(dl, al, 0));
            wb_half(c, d, 0, dl);
            return;
        }
        ah = rd_half(c, d, 1, R1);
        dh = wr_half(c, d, 1, R1);
        put(c, t2_rsbs_imm(dl, al, 0));
        put(c, t2_mvn_reg(dh, ah));
        put(c, t2_adc_imm(dh, dh, 0));
        wb_half(c, d, 0, dl);
        wb_half(c, d, 1, dh);
        return;
    case FC_ALU_END:                            /* bswap16/32/64 */
        al = rd_half(c, d, 0, R0);
        dl = wr_half(c, d, 0, R0);
        if (op == FC_OP_BSWAP16) {
            put(c, t2_rev16(dl, al));
            put(c, t2_uxth(dl, dl));
        } else if (op == FC_OP_BSWAP32) {
            put(c, t2_rev(dl, al));
        } else {
            ah = rd_half(c, d, 1, R1);
            dh = wr_half(c, d, 1, R1);
            if (need_hi)
                put(c, t2_rev(IP, al));
            put(c, t2_rev(dl, ah));
            wb_half(c, d, 0, dl);
            if (need_hi) {
                mov_reg(c, dh, IP);
                wb_half(c, d, 1, dh);
            }
            return;
        }
        wb_half(c, d, 0, dl);
        hi_zero(c, d);
        return;
    }
}

/* ---- lddw ---------------------------------------------------------------- */

static void lddw(cg *c, const fc_insn *i)
{
    unsigned d = fc_dst(*i);
    uint32_t hi = (uint32_t)c->in.ins[c->x.em.cur + 1].imm;
    if (fc_src(*i) == FC_LDDW_SECTION) {
        unsigned sym = fc_em_section_sym(i->imm);
        unsigned t = wr_half(c, d, 0, R0);
        reloc(c, FC_RELOC_THM_MOVW_MOVT, sym, (int32_t)hi);
        put(c, t2_movw(t, 0));
        put(c, t2_movt(t, 0));
        wb_half(c, d, 0, t);
        hi_zero(c, d);
        return;
    }
    set_half_const(c, d, 0, (uint32_t)i->imm);
    if (hneed(c, d))
        set_half_const(c, d, 1, hi);
}

/* ---- loads and stores ---------------------------------------------------- */

static uint32_t ld_enc(unsigned n, int sx, unsigned rt, unsigned rn, int32_t off)
{
    switch (n) {
    case 1: return sx ? t2_ldrsb_imm(rt, rn, off) : t2_ldrb_imm(rt, rn, off);
    case 2: return sx ? t2_ldrsh_imm(rt, rn, off) : t2_ldrh_imm(rt, rn, off);
    default: return t2_ldr_imm(rt, rn, off);
    }
}

static uint32_t st_enc(unsigned n, unsigned rt, unsigned rn, int32_t off)
{
    switch (n) {
    case 1: return t2_strb_imm(rt, rn, off);
    case 2: return t2_strh_imm(rt, rn, off);
    default: return t2_str_imm(rt, rn, off);
    }
}

static void ldx(cg *c, const fc_insn *i)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    unsigned n = fc_size_bytes(i->op);
    int sx = FC_MODE(i->op) == FC_MODE_MEMSX;
    unsigned rb, dl, dh;
    int32_t ro;

    mem_addr(c, s, i->off, n, FC_PERM_R, &rb, &ro);
    dl = wr_half(c, d, 0, R0);
    if (n == 8) {
        dh = wr_half(c, d, 1, R1);
        if (hneed(c, d)) {
            put(c, t2_ldr_imm(dh, rb, ro + 4));   /* hi first: dl may be rb */
            wb_half(c, d, 1, dh);
        }
        put(c, t2_ldr_imm(dl, rb, ro));
        wb_half(c, d, 0, dl);
        return;
    }
    put(c, ld_enc(n, sx && n < 4, dl, rb, ro));
    wb_half(c, d, 0, dl);
    if (sx)
        hi_sign(c, d, dl);
    else
        hi_zero(c, d);
}

static void store(cg *c, const fc_insn *i)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    unsigned n = fc_size_bytes(i->op);
    int x = FC_CLASS(i->op) == FC_CLS_STX;
    uint64_t k = (uint64_t)(int64_t)imm(i);
    unsigned rb, v;
    int32_t ro;

    mem_addr(c, d, i->off, n, FC_PERM_W, &rb, &ro);
    if (x) {
        v = rd_half(c, s, 0, R0);
    } else {
        mov_const(c, R0, (uint32_t)k);
        v = R0;
    }
    put(c, st_enc(n, v, rb, ro));
    if (n == 8) {
        if (x) {
            v = rd_half(c, s, 1, R1);
        } else if ((uint32_t)(k >> 32) != (uint32_t)k) {
            mov_const(c, R1, (uint32_t)(k >> 32));
            v = R1;
        }
        put(c, t2_str_imm(v, rb, ro + 4));
    }
}

/*
 * Atomics. 32-bit: an LDREX/STREX loop when the address is word-aligned
 * (LDREX faults on an unaligned address whatever CCR says), else the
 * interrupt-masked sequence. 64-bit: Cortex-M3 has no LDREXD, so always
 * the masked sequence: save PRIMASK, CPSID i, load, modify, store, restore
 * PRIMASK. On a single core that is atomic against interrupt handlers, the
 * only other code that can touch the memory; in unprivileged mode CPSID
 * has no effect (as on every RTOS that runs apps unprivileged, a
 * privileged runtime is needed for the masked form). The interpreter does
 * a plain read-modify-write, the same observable result.
 */
static void atomic(cg *c, const fc_insn *i)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    unsigned n = fc_size_bytes(i->op);
    int32_t aop = imm(i);
    int fetch = (aop & FC_ATOMIC_FETCH) != 0;
    int cmpx = aop == FC_ATOMIC_CMPXCHG, xchg = aop == FC_ATOMIC_XCHG;
    enum dp o = DP_ADD;
    unsigned rb, sl, sh = R3, e0l = LR, e0h = LR;
    int32_t ro;

    switch (aop & ~FC_ATOMIC_FETCH) {
    case FC_ATOMIC_OR: o = DP_ORR; break;
    case FC_ATOMIC_AND: o = DP_AND; break;
    case FC_ATOMIC_XOR: o = DP_EOR; break;
    default: o = DP_ADD; break;
    }
    mem_addr(c, d, i->off, n, FC_PERM_RW, &rb, &ro);
    if (rb != IP || ro != 0)      /* never: a checked address is in ip */
        dp_imm(c, DP_ADD, 0, IP, rb, (uint32_t)ro, IP);

    if (n == 4) {
        sl = rd_half(c, s, 0, R3);
        if (cmpx)
            e0l = rd_half(c, 0, 0, LR);
        t2e_atomic32(&c->x, o, cmpx, xchg, sl, e0l);
        if (cmpx) {
            wb_half(c, 0, 0, R0);
            hi_zero(c, 0);
        } else if (fetch) {
            wb_half(c, s, 0, R0);
            hi_zero(c, s);
        }
        return;
    }

    /* 64-bit, interrupts masked; old value in r0:r1, PRIMASK in r2 */
    put(c, t2_mrs(R2, T2_SYSM_PRIMASK));
    put(c, t2_cpsid_i());
    put(c, t2_ldr_imm(R0, IP, 0));
    put(c, t2_ldr_imm(R1, IP, 4));
    if (cmpx) {
        uint32_t skip = newlab(c);
        e0l = rd_half(c, 0, 0, LR);
        put(c, t2_cmp_reg(R0, e0l));
        br(c, T2_NE, skip);
        e0h = rd_half(c, 0, 1, LR);
        put(c, t2_cmp_reg(R1, e0h));
        br(c, T2_NE, skip);
        sl = rd_half(c, s, 0, R3);
        put(c, t2_str_imm(sl, IP, 0));
        sh = rd_half(c, s, 1, R3);
        put(c, t2_str_imm(sh, IP, 4));
        bind(c, skip);
    } else if (xchg) {
        sl = rd_half(c, s, 0, R3);
        put(c, t2_str_imm(sl, IP, 0));
        sh = rd_half(c, s, 1, R3);
        put(c, t2_str_imm(sh, IP, 4));
    } else {
        /* loads into r3 and stores leave the flags: carry goes from lo to hi */
        sl = rd_half(c, s, 0, R3);
        put(c, dp_reg_enc(o, o == DP_ADD, LR, R0, sl));
        put(c, t2_str_imm(LR, IP, 0));
        if (is_home(c, s, 1))
            sh = c->home[s][1];
        else if (s == 10 || hz(c, s))
            sh = R3, put(c, t2_mov_imm(R3, 0));      /* MOV.W: flags kept */
        else
            put(c, t2_ldr_imm(R3, ENV, slot(s, 1)));
        put(c, dp_reg_enc(o == DP_ADD ? DP_ADC : o, 0, LR, R1, sh));
        put(c, t2_str_imm(LR, IP, 4));
    }
    put(c, t2_msr(T2_SYSM_PRIMASK, R2));
    /* a hi half is written only when the analysis says so (HA_COMPUTE):
     * a skipped write must leave the location as it was */
    if (cmpx) {
        wb_half(c, 0, 0, R0);
        if (hneed(c, 0))
            wb_half(c, 0, 1, R1);
    } else if (fetch) {
        wb_half(c, s, 0, R0);
        if (hneed(c, s))
            wb_half(c, s, 1, R1);
    }
}

/* ---- jumps ---------------------------------------------------------------- */

/* the condition of `a OP b` after a 32-bit CMP a, b (or TST for JSET);
 * uns: signed operations on values known to be >= 0 */
static enum t2_cond cond32(unsigned jop, int uns)
{
    switch (jop) {
    case FC_JMP_JEQ:  return T2_EQ;
    case FC_JMP_JNE:  return T2_NE;
    case FC_JMP_JSET: return T2_NE;
    case FC_JMP_JGT:  return T2_HI;
    case FC_JMP_JGE:  return T2_CS;
    case FC_JMP_JLT:  return T2_CC;
    case FC_JMP_JLE:  return T2_LS;
    case FC_JMP_JSGT: return uns ? T2_HI : T2_GT;
    case FC_JMP_JSGE: return uns ? T2_CS : T2_GE;
    case FC_JMP_JSLT: return uns ? T2_CC : T2_LT;
    default:          return uns ? T2_LS : T2_LE;   /* JSLE */
    }
}

/*
 * Conditional jumps. 64-bit orderings come from CMP lo + SBCS hi (the flags
 * of the 64-bit subtraction: C = no borrow, N^V = signed less), which
 * give >= and < directly; > and <= swap the operands. For a constant k,
 * a > k is a >= k+1 and a <= k is a < k+1 (k+1 in 64 bits; k = ~0 makes
 * them never/always). EQ/NE/SET: CMP (TST) lo, then hi only if lo was equal
 * (zero).
 */
static void jcc(cg *c, const fc_insn *i, int is32)
{
    unsigned d = fc_dst(*i), s = fc_src(*i);
    unsigned jop = FC_OPCODE_OP(i->op);
    int x = (i->op & FC_SRC_X) != 0;
    uint64_t t = (uint64_t)c->x.em.cur + 1 + (uint64_t)(int64_t)i->off;
    uint64_t k = (uint64_t)(int64_t)imm(i);
    int eqlike = jop == FC_JMP_JEQ || jop == FC_JMP_JNE || jop == FC_JMP_JSET;

    if (is32 || (!(c->in.flags & FC_BK_NO_OPT) && hz(c, d) && (x ? hz(c, s) : (k >> 32) == 0))) {
        /* one 32-bit compare: JMP32, or 64-bit values with zero hi halves */
        unsigned a = rd_half(c, d, 0, R0);
        uint32_t kl = (uint32_t)k;
        if (x) {
            unsigned b = rd_half(c, s, 0, TB);
            put(c, jop == FC_JMP_JSET ? t2_tst_reg(a, b) : t2_cmp_reg(a, b));
        } else if (jop == FC_JMP_JSET) {
            if (t2_modimm_ok(kl)) {
                put(c, t2_tst_imm(a, kl));
            } else {
                mov_const(c, TB, kl);
                put(c, t2_tst_reg(a, TB));
            }
        } else {
            cmp_imm(c, a, kl, TB);
        }
        jump(c, cond32(jop, !is32), t);
        return;
    }

    if (!x && !eqlike) {
        if (jop == FC_JMP_JGT || jop == FC_JMP_JLE) {
            if (k == UINT64_MAX) {               /* a > ~0 never, a <= ~0 always */
                if (jop == FC_JMP_JLE)
                    jump(c, T2_AL, t);
                return;
            }
            k += 1;
            jop = jop == FC_JMP_JGT ? FC_JMP_JGE : FC_JMP_JLT;
        } else if (jop == FC_JMP_JSGT || jop == FC_JMP_JSLE) {
            k += 1;                              /* k <= INT32_MAX: no overflow */
            jop = jop == FC_JMP_JSGT ? FC_JMP_JSGE : FC_JMP_JSLT;
        }
    }
    unsigned al = rd_half(c, d, 0, R0), ah = rd_half(c, d, 1, R1), bl = TB, bh = IP;
    uint32_t kl = (uint32_t)k, kh = (uint32_t)(k >> 32);
    /* b's high half known zero: SBCS with #0 (non-swapped order) */
    int bh0 = x && hz(c, s) && !(c->in.flags & FC_BK_NO_OPT) && !eqlike &&
              !(jop == FC_JMP_JGT || jop == FC_JMP_JLE || jop == FC_JMP_JSGT || jop == FC_JMP_JSLE);
    if (x) {
        bl = rd_half(c, s, 0, TB);
        if (!bh0)
            bh = rd_half(c, s, 1, IP);
    }
    if (eqlike) {
        int tst = jop == FC_JMP_JSET;
        if (!x && k == 0) {
            if (tst)
                return;                          /* a & 0: never */
            put(c, t2_orrs_reg(IP, al, ah));     /* a == 0 <=> (lo | hi) == 0 */
        } else if (x && hz(c, s) && !tst) {
            put(c, t2_cmp_reg(al, bl));
            put(c, t2_it_x(T2_EQ, ""));
            put(c, t2_cmp_imm(ah, 0));
        } else if (x) {
            put(c, tst ? t2_tst_reg(al, bl) : t2_cmp_reg(al, bl));
            put(c, t2_it_x(T2_EQ, ""));
            put(c, tst ? t2_tst_reg(ah, bh) : t2_cmp_reg(ah, bh));
        } else {
            if (tst && t2_modimm_ok(kl)) {
                put(c, t2_tst_imm(al, kl));
            } else if (tst) {
                mov_const(c, TB, kl);
                put(c, t2_tst_reg(al, TB));
            } else {
                cmp_imm(c, al, kl, TB);
            }
            put(c, t2_it_x(T2_EQ, ""));
            put(c, tst ? t2_tst_imm(ah, kh) : t2_cmp_imm(ah, kh));   /* 0 or ~0 */
        }
        jump(c, jop == FC_JMP_JEQ ? T2_EQ : T2_NE, t);
        return;
    }
    int swap = jop == FC_JMP_JGT || jop == FC_JMP_JLE || jop == FC_JMP_JSGT || jop == FC_JMP_JSLE;
    enum t2_cond cond;
    switch (jop) {
    case FC_JMP_JGT:  cond = T2_CC; break;  /* b < a */
    case FC_JMP_JGE:  cond = T2_CS; break;
    case FC_JMP_JLT:  cond = T2_CC; break;
    case FC_JMP_JLE:  cond = T2_CS; break;  /* b >= a */
    case FC_JMP_JSGT: cond = T2_LT; break;
    case FC_JMP_JSGE: cond = T2_GE; break;
    case FC_JMP_JSLT: cond = T2_LT; break;
    default:          cond = T2_GE; break;  /* JSLE */
    }
    if (x && swap) {
        put(c, t2_cmp_reg(bl, al));
        put(c, t2_sbcs_reg(LR, bh, ah));
    } else if (bh0) {
        put(c, t2_cmp_reg(al, bl));
        put(c, t2_sbcs_imm(LR, ah, 0));
    } else if (x) {
        put(c, t2_cmp_reg(al, bl));
        put(c, t2_sbcs_reg(LR, ah, bh));
    } else {
        cmp_imm(c, al, kl, TB);
        dp_imm(c, DP_SBC, 1, LR, ah, kh, IP);
    }
    jump(c, cond, t);
}

/* ---- calls and exit --------------------------------------------------------- */

static void call_helper(cg *c, const fc_insn *i, int callx)
{
    unsigned r;
    if (callx) {
        unsigned d = fc_dst(*i);
        if (!hz(c, d)) {
            unsigned h = rd_half(c, d, 1, R1);
            put(c, t2_cmp_imm(h, 0));
            br_err(c, T2_NE, FC_ERR_HELPER_UNKNOWN);
        }
    }
    /* the trampoline reads r1..r5 from env */
    for (r = 1; r <= 5; r++)
        for (unsigned h = 0; h < 2; h++)
            if (is_home(c, r, h))
                put(c, t2_str_imm(c->home[r][h], ENV, slot(r, h)));
    if (callx)
        mov_reg(c, R1, rd_half(c, fc_dst(*i), 0, R1));
    else
        mov_const(c, R1, (uint32_t)i->imm);
    mov_reg(c, R0, ENV);
    mov_reg(c, R2, FB);
    bl_sym(c, FC_SYM_HELPER);
    put(c, t2_cmp_imm(R0, 0));
    {
        uint32_t l = newlab(c);
        addstub(c, ST_HELPERR, l);
        br(c, T2_NE, l);
    }
    for (unsigned h = 0; h < 2; h++)
        if (is_home(c, 0, h))
            put(c, t2_ldr_imm(c->home[0][h], ENV, slot(0, h)));
}

/* the r6..r9 halves a local call saves: homes pushed, the rest copied */
static void call_local(cg *c, const fc_insn *i)
{
    uint64_t t = (uint64_t)c->x.em.cur + 1 + (uint64_t)(int64_t)i->imm;
    uint32_t homes = 0, ret;
    unsigned nh = 0, nspill = 0, r, h, spill[8];

    if (t >= c->in.n) {
        br_err(c, T2_AL, FC_ERR_BAD_PROGRAM);
        return;
    }
    /* depth: the new frame base must stay >= stack_floor */
    put(c, t2_subw(IP, FB, FC_STACK_SIZE));
    put(c, t2_ldr_imm(LR, ENV, FC_NENV_STACK_FLOOR));
    put(c, t2_cmp_reg(IP, LR));
    br_err(c, T2_CC, FC_ERR_CALL_DEPTH);
    /* a local call costs one unit of budget (after the depth check, as the
     * interpreter); without the budget register LR is the free scratch */
    if (c->budget_reg) {
        budget(c);
    } else {
        put(c, t2_ldr_imm(LR, ENV, FC_NENV_BUDGET));
        put(c, t2_subs_imm(LR, LR, 1));
        br_err(c, T2_CC, FC_ERR_BUDGET);
        put(c, t2_str_imm(LR, ENV, FC_NENV_BUDGET));
    }

    for (r = 6; r <= 9; r++)
        for (h = 0; h < 2; h++) {
            if (is_home(c, r, h)) {
                homes |= 1u << c->home[r][h];
                nh++;
            } else {
                spill[nspill++] = r * 2 + h;
            }
        }
    /* every push is of an even number of words: sp stays 8-byte aligned */
    if (nh & 1u)
        homes |= 1u << IP;
    if (nh)
        put(c, t2_push_w(homes));
    /* the spilled halves go through r0..r3 in groups of 4, or through r0,
     * r1 in pairs when r2/r3 are homes (c->tb == LR or R3 a home) */
    unsigned g = c->r23home ? 2u : 4u;
    for (unsigned k = 0; k < nspill; k += g) {
        unsigned m = nspill - k < g ? nspill - k : g;
        for (unsigned j = 0; j < m; j++)
            put(c, t2_ldr_imm(j, ENV, slot(spill[k + j] / 2, spill[k + j] % 2)));
        put(c, t2_push16(((1u << m) - 1u) | ((m & 1u) << m)));
    }
    ret = newlab(c);
    /* ADR r0, ret+1 (Thumb bit): ADDW r0, pc, #(ret + 1 - Align(pc+4, 4)) */
    put(c, t2_adr_add(R0, c->x.em.lab[ret] + 1 - ((c->x.em.pos + 4) & ~3u)));
    put(c, t2_push16(0x3u));                                  /* {r0, r1}: ret, pad */
    put(c, t2_subw(FB, FB, FC_STACK_SIZE));
    br(c, T2_AL, L_insn((uint32_t)t));
    bind(c, ret);
    put(c, t2_addw(FB, FB, FC_STACK_SIZE));
    /* restore in reverse */
    if (nspill) {
        for (int k = (int)(((nspill - 1) / g) * g); k >= 0; k -= (int)g) {
            unsigned m = nspill - (unsigned)k < g ? nspill - (unsigned)k : g;
            put(c, t2_pop16(((1u << m) - 1u) | ((m & 1u) << m)));
            for (unsigned j = 0; j < m; j++)
                put(c, t2_str_imm(j, ENV, slot(spill[(unsigned)k + j] / 2, spill[(unsigned)k + j] % 2)));
        }
    }
    if (nh)
        put(c, t2_pop_w(homes));
}

static void do_exit(cg *c)
{
    if (c->has_local_calls) {
        /* at depth > 1 (fb below the entry frame): return to the caller */
        put(c, t2_ldr_imm(IP, ENV, slot(10, 0)));
        put(c, t2_subw(IP, IP, FC_STACK_SIZE));
        put(c, t2_cmp_reg(FB, IP));
        put(c, t2_it_x(T2_NE, ""));
        put(c, t2_ldr_pc_post(T2_SP, 8));
    }
    for (unsigned h = 0; h < 2; h++)
        if (is_home(c, 0, h))
            put(c, t2_str_imm(c->home[0][h], ENV, slot(0, h)));
    if (c->budget_reg)
        put(c, t2_str_imm(BUDGET_REG, ENV, FC_NENV_BUDGET));
    put(c, t2_movs_imm8(R0, FC_OK));
    put(c, t2_pop_w(0x8ff8u));                  /* {r3-r11, pc} */
}

/* ---- one instruction ------------------------------------------------------- */

static void jump_always(cg *c, uint64_t t) { jump(c, T2_AL, t); }

static const fc_em_isel isel = {
    alu32, alu64, lddw, ldx, store, atomic, jump_always, jcc, call_helper, call_local, do_exit
};

static void hi_usedef(const cg *c, uint32_t idx, uint16_t *use, uint16_t *def);
static void insn1(cg *c, uint32_t idx);

/* one instruction, then the hi halves it defines as known zero */
static void insn(cg *c, uint32_t idx)
{
    unsigned op = c->opid[idx];
    uint16_t use, def;

    insn1(c, idx);
    if (op == 0 || op == OP_SECOND || op == FC_OP_CALL || op == FC_OP_CALLX)
        return;
    hi_usedef(c, idx, &use, &def);
    for (unsigned r = 0; r < 10; r++)
        if ((def >> r & 1u) && hact(c, r) == HA_ZERO)
            set_half_const(c, r, 1, 0);
}

static void insn1(cg *c, uint32_t idx)
{
    const fc_insn *i = &c->in.ins[idx];
    unsigned op = c->opid[idx];

    c->x.em.cur = idx;
    if (op == 0 || op == OP_SECOND) {
        /* invalid here: the interpreter stops with FC_ERR_BAD_INSN */
        br_err(c, T2_AL, FC_ERR_BAD_INSN);
        return;
    }
    fc_em_select(&isel, c, i, idx, op);
}

/* ---- prologue, stubs, shared routines ---------------------------------------- */

static void prologue(cg *c, uint32_t entry)
{
    c->x.em.cur = entry;
    put(c, t2_push_w(0x4ff8u));                 /* {r3-r11, lr}: 8-byte aligned */
    mov_reg(c, ENV, R0);
    put(c, t2_str_sp_imm(ENV, FC_NENV_SAVED_SP));
    put(c, t2_ldr_imm(FB, ENV, slot(10, 0)));
    put(c, t2_subw(FB, FB, FC_STACK_SIZE));
    for (unsigned r = 0; r < 10; r++)
        for (unsigned h = 0; h < 2; h++)
            if (is_home(c, r, h))
                put(c, t2_ldr_imm(c->home[r][h], ENV, slot(r, h)));
    if (c->budget_reg)
        put(c, t2_ldr_imm(BUDGET_REG, ENV, FC_NENV_BUDGET));
    if (c->sc_start != NONE) {
        put(c, t2_ldr_imm(c->sc_start, ENV, (int32_t)c->sc_span));
        put(c, t2_ldr_imm(c->sc_lim, ENV, (int32_t)c->sc_limoff));
    }
    if (entry != 0 || c->in.nentries > 1)
        br(c, T2_AL, L_insn(entry));
}

/* one whole pass over the program */
static void pass(cg *c)
{
    fc_em_begin(&c->x.em);

    fc_em_entries(&c->x.em, &c->in, prologue, c);
    for (uint32_t i = 0; i < c->in.n; i++) {
        if (c->opid[i] == OP_SECOND)
            continue;                  /* bound to a stub below if reached */
        if (c->padlab && c->padhead[i] != NOPAD) {
            unsigned prev = i ? c->opid[i - 1] : 0;
            if (!(prev == FC_OP_JA || prev == FC_OP_JA32 || prev == FC_OP_EXIT)) {
                c->x.em.cur = i;            /* falling in from above: over the pads */
                br(c, T2_AL, L_insn(i));
            }
            for (uint32_t j = c->padhead[i]; j != NOPAD; j = c->padnext[j]) {
                c->x.em.cur = j;
                mapto(c, j);
                c->padlab[j] = newlab(c);
                bind(c, c->padlab[j]);
                budget(c);
                if (c->padnext[j] != NOPAD)
                    br(c, T2_AL, L_insn(i));
            }
        }
        mapto(c, i);
        bind(c, L_insn(i));
        if (c->fuse && c->fuse[i]) {
            /* mov32 d, s at i: only the operation at i + 1, reading s */
            bind(c, L_insn(i + 1));
            c->fusing = 1;
            c->fuse_d = (uint8_t)fc_dst(c->in.ins[i]);
            c->fuse_s = (uint8_t)fc_src(c->in.ins[i]);
            insn(c, i + 1);
            c->fusing = 0;
            i++;
            continue;
        }
        insn(c, i);
    }
    /* falling off the end: FC_ERR_BAD_PROGRAM at slot n */
    c->x.em.cur = c->in.n;
    mapto(c, c->in.n);
    bind(c, L_insn(c->in.n));
    mov_const(c, R1, c->in.n);
    put(c, t2_movs_imm8(R0, FC_ERR_BAD_PROGRAM));
    br(c, T2_AL, t2e_fixed(&c->x, FL_ERR_COMMON));
    /* a jump into the middle of an lddw executes its second slot: bad insn */
    for (uint32_t i = 0; i < c->in.n; i++)
        if (c->opid[i] == OP_SECOND) {
            c->x.em.cur = i;
            mapto(c, i);
            bind(c, L_insn(i));
            mov_const(c, R1, i);
            put(c, t2_movs_imm8(R0, FC_ERR_BAD_INSN));
            br(c, T2_AL, t2e_fixed(&c->x, FL_ERR_COMMON));
        }
    t2e_out_of_line(&c->x);
}

static void pass_cb(void *ctx) { pass((cg *)ctx); }

/* ========================================================================
 * Analysis: hi halves known zero (forward), hi halves live (backward)
 * ===================================================================== */

#define ALLREGS 0x7ffu

/* the access at idx (base register r) gets a run-time check: mem_addr's
 * rule. Only a checked access reads the high half of its address. */
static int acc_checked(const cg *c, uint32_t idx, unsigned r, int16_t off, unsigned n)
{
    return fc_em_access_checked(c->in.info ? &c->in.info[idx] : NULL, c->in.flags, r, off, n);
}

static void hi_usedef(const cg *c, uint32_t idx, uint16_t *use, uint16_t *def)
{
    const fc_insn *i = &c->in.ins[idx];
    unsigned op = c->opid[idx], d = fc_dst(*i), s = fc_src(*i);
    unsigned cls = FC_CLASS(i->op), aop = FC_OPCODE_OP(i->op);
    uint16_t U = 0, D = 0, bd = (uint16_t)(1u << d), bs = (uint16_t)(1u << s);

    if (op == 0 || op == OP_SECOND) {
        *use = *def = 0;
        return;
    }
    switch (cls) {
    case FC_CLS_ALU:
        if (op == FC_OP_LE64) break;
        if (op == FC_OP_BE64) { U = bd; D = bd; break; }
        D = bd;
        break;
    case FC_CLS_ALU64:
        D = bd;
        if (aop == FC_ALU_MOV) {
            if (op == FC_OP_MOV_X && s == d) D = 0;     /* no-op */
            else if (op == FC_OP_MOV_X && (c->lout[idx] >> d & 1u)) U = bs;
            break;
        }
        if (op == FC_OP_BSWAP16 || op == FC_OP_BSWAP32) break;
        if ((aop == FC_ALU_LSH || aop == FC_ALU_RSH || aop == FC_ALU_ARSH) &&
            !(i->op & FC_SRC_X) && ((uint32_t)i->imm & 63u) == 0) {
            D = 0;                                      /* shift by 0: no-op */
            break;
        }
        if (aop == FC_ALU_LSH && !(i->op & FC_SRC_X)) {
            if (((uint32_t)i->imm & 63u) < 32 && (c->lout[idx] >> d & 1u)) U = bd;
            break;
        }
        U = bd;
        if ((i->op & FC_SRC_X) && aop != FC_ALU_LSH && aop != FC_ALU_RSH && aop != FC_ALU_ARSH)
            U |= bs;
        /* operations whose low result does not depend on the high inputs:
         * when the high result is dead the emitters read no high half */
        if ((aop == FC_ALU_ADD || aop == FC_ALU_SUB || aop == FC_ALU_OR || aop == FC_ALU_AND ||
             aop == FC_ALU_XOR || aop == FC_ALU_MUL || aop == FC_ALU_NEG || aop == FC_ALU_LSH) &&
            !(c->lout[idx] >> d & 1u))
            U = 0;
        break;
    case FC_CLS_LD:
        D = bd;
        break;
    case FC_CLS_LDX:
        if (acc_checked(c, idx, s, i->off, fc_size_bytes(i->op)))
            U = bs;
        D = bd;
        break;
    case FC_CLS_ST:
        if (acc_checked(c, idx, d, i->off, fc_size_bytes(i->op)))
            U = bd;
        break;
    case FC_CLS_STX:
        if (FC_MODE(i->op) == FC_MODE_ATOMIC || acc_checked(c, idx, d, i->off, fc_size_bytes(i->op)))
            U = bd;
        if (FC_SIZE(i->op) == FC_SZ_DW)
            U |= bs;
        if (FC_MODE(i->op) == FC_MODE_ATOMIC) {
            if (i->imm == FC_ATOMIC_CMPXCHG) {
                if (FC_SIZE(i->op) == FC_SZ_DW) U |= 1u;
                D = 1u;
            } else if (i->imm & FC_ATOMIC_FETCH) {
                D = bs;
            }
        }
        break;
    default: /* JMP, JMP32 */
        if (op == FC_OP_CALL && s == FC_CALL_LOCAL) { U = ALLREGS; break; }
        if (op == FC_OP_CALL || op == FC_OP_CALLX) {
            U = 0x3eu | (op == FC_OP_CALLX ? bd : 0);
            D = 1u;
            break;
        }
        if (op == FC_OP_EXIT) { U = c->has_local_calls ? ALLREGS : 1u; break; }
        if (op == FC_OP_JA || op == FC_OP_JA32) break;
        if (cls == FC_CLS_JMP) U = bd | ((i->op & FC_SRC_X) ? bs : 0);
        break;
    }
    *use = U;
    *def = D;
}

static void hi_usedef_cb(const void *ctx, uint32_t idx, uint16_t *use, uint16_t *def)
{
    hi_usedef((const cg *)ctx, idx, use, def);
}

static void analyse(cg *c)
{
    uint32_t i, n = c->in.n, s[2];
    uint16_t *hin = c->tmp16;
    int changed;
    int noopt = (c->in.flags & FC_BK_NO_OPT) != 0;

    fc_hh_known_zero(&c->hh, hin);
    for (i = 0; i < n; i++)
        c->hz[i] = noopt ? (uint16_t)(1u << 10) : hin[i];

    /* live: backward, union */
    fc_hh_live(&c->hh, hi_usedef_cb, c, c->lout);
    for (i = 0; i < n; i++) {
        if (noopt) {
            c->lout[i] = ALLREGS;
        }
        /* The verifier's hi_dead is not applied for now: with it, 6 of
         * diff-random's 10,000 programs (e.g. 7564) returned a stale upper
         * half on both targets. The cause was the verifier's liveness (r1..r5
         * treated as dead at a subprogram's exit although a helper may read
         * them), since fixed there; using the facts again is a follow-up to
         * land with a diff-random run over several seeds. */
        c->hza[i] = noopt || c->opid[i] == OP_SECOND ? (uint16_t)(1u << 10)
                                                     : fc_hh_transfer(&c->hh, i, c->hz[i]);
    }

    /* hi locations holding 0: forward, intersection. A defined hi half
     * that is dead keeps its old location content (the write is skipped);
     * one known zero leaves 0; a computed one leaves anything. */
    for (i = 0; i < n; i++)
        hin[i] = ALLREGS;
    for (uint32_t e = 0; e < c->in.nentries; e++) {
        uint32_t at = c->in.entries ? c->in.entries[e] : 0;
        if (at < n) hin[at] = c->hz[at] & (uint16_t)(ALLREGS & ~0x6u);
    }
    for (i = 0; i < n; i++) {
        const fc_insn *x = &c->in.ins[i];
        if (c->opid[i] == FC_OP_CALL && fc_src(*x) == FC_CALL_LOCAL) {
            uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)x->imm;
            if (t < n) hin[t] = 1u << 10;
        }
    }
    do {
        changed = 0;
        for (i = 0; i < n; i++) {
            unsigned op = c->opid[i];
            if (op == OP_SECOND)
                continue;
            uint16_t out = hin[i], use, def;
            hi_usedef(c, i, &use, &def);
            if (op == FC_OP_CALL && fc_src(c->in.ins[i]) == FC_CALL_LOCAL) {
                out &= (uint16_t)~0x3fu;                 /* the callee may write r0..r5 */
            } else if (op == FC_OP_CALL || op == FC_OP_CALLX) {
                out &= (uint16_t)~1u;                    /* the trampoline writes r0 */
            } else {
                for (unsigned r = 0; r < 10; r++) {
                    if (!(def >> r & 1u) || !(c->lout[i] >> r & 1u))
                        continue;
                    if (c->hza[i] >> r & 1u)
                        out |= (uint16_t)(1u << r);
                    else
                        out &= (uint16_t)~(1u << r);
                }
            }
            unsigned k = fc_hh_succs(&c->hh, i, s);
            for (unsigned j = 0; j < k; j++) {
                uint16_t v = (uint16_t)(hin[s[j]] & out);
                if (v != hin[s[j]]) {
                    hin[s[j]] = v;
                    changed = 1;
                }
            }
        }
    } while (changed);
    for (i = 0; i < n; i++)
        c->loc[i] = noopt ? 0 : hin[i];
}

/* ---- register allocation: the most used halves get r4..r9 ------------------- */

static void allocate(cg *c)
{
    uint32_t cnt[10][2] = {{0}};
    uint8_t *depth = (uint8_t *)c->tmp16;     /* reuse: n bytes */
    uint32_t i, n = c->in.n;

    for (i = 0; i < n; i++)
        depth[i] = 0;
    for (i = 0; i < n; i++) {
        const fc_insn *x = &c->in.ins[i];
        unsigned op = c->opid[i];
        if (op == 0 || op == OP_SECOND) continue;
        if (op == FC_OP_CALL && fc_src(*x) == FC_CALL_LOCAL)
            c->budget_reg = !(c->in.flags & FC_BK_NO_OPT);  /* a call is charged too */
        if ((FC_CLASS(x->op) == FC_CLS_JMP || FC_CLASS(x->op) == FC_CLS_JMP32) &&
            op != FC_OP_CALL && op != FC_OP_CALLX && op != FC_OP_EXIT) {
            uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)(op == FC_OP_JA32 ? x->imm : x->off);
            if (t <= i) {
                /* a loop: the budget counter earns a machine register */
                c->budget_reg = !(c->in.flags & FC_BK_NO_OPT);
                for (uint64_t j = t; j <= i; j++)
                    if (depth[j] < 3) depth[j]++;
            }
        }
    }
    /* the span cache candidates: (table, slot, k) of the checked accesses'
     * fast paths, weighted like the halves (each saves two loads) */
    uint32_t scw[2][5][4] = {{{0}}};
    for (i = 0; i < n; i++) {
        const fc_insn *x = &c->in.ins[i];
        unsigned op = c->opid[i], cls = FC_CLASS(x->op), r, wr;
        if (op == 0 || op == OP_SECOND || (cls != FC_CLS_LDX && cls != FC_CLS_ST && cls != FC_CLS_STX))
            continue;
        if (cls == FC_CLS_STX && FC_MODE(x->op) == FC_MODE_ATOMIC)
            continue;
        r = cls == FC_CLS_LDX ? fc_src(*x) : fc_dst(*x);
        wr = cls != FC_CLS_LDX;
        if (!acc_checked(c, i, r, x->off, fc_size_bytes(x->op)))
            continue;
        unsigned hint = c->in.info ? c->in.info[i].region_hint : 0xffu;
        if (hint == 0xffu)
            hint = r == 10 ? FC_REGION_STACK : FC_REGION_CTX;
        if (hint == FC_REGION_STACK)
            continue;
        scw[wr][hint <= FC_REGION_BSS ? hint : 4u][lg2(fc_size_bytes(x->op))] += 1u << (3 * depth[i]);
    }
    for (i = 0; i < n; i++) {
        const fc_insn *x = &c->in.ins[i];
        unsigned op = c->opid[i], d = fc_dst(*x), s = fc_src(*x);
        uint16_t use, def;
        if (op == 0 || op == OP_SECOND) continue;
        uint32_t w = 1u << (3 * depth[i]);
        unsigned cls = FC_CLASS(x->op);
        hi_usedef(c, i, &use, &def);
        if (op == FC_OP_CALL || op == FC_OP_CALLX || op == FC_OP_EXIT || op == FC_OP_JA ||
            op == FC_OP_JA32)
            continue;
        uint16_t hot = (uint16_t)(use & ~c->hz[i]);
        for (unsigned r = 0; r < 10; r++)
            if ((def >> r & 1u) && hact_at(c, i, r) != HA_SKIP)
                hot |= (uint16_t)(1u << r);
        if (d < 10) {
            cnt[d][0] += w;
            if (hot >> d & 1u) cnt[d][1] += w;
        }
        if ((cls == FC_CLS_LDX || cls == FC_CLS_STX || (x->op & FC_SRC_X)) && s < 10 &&
            cls != FC_CLS_ST) {
            cnt[s][0] += w;
            if (hot >> s & 1u) cnt[s][1] += w;
        }
    }
    /* r3 is a home only in "leaf" programs: no helper call, no atomic, no
     * 64-bit division routine, so nothing but the bounds-check slow path
     * (which saves r0-r3) runs while it holds a value, and no emitter of
     * such a program uses r3 as a scratch register (local calls use ip, lr,
     * r0 and r1; the homes they save are pushed whatever they are) */
    int leaf = !(c->in.flags & FC_BK_NO_OPT);
    for (i = 0; i < n && leaf; i++) {
        const fc_insn *x = &c->in.ins[i];
        unsigned op = c->opid[i], aop = FC_OPCODE_OP(x->op), d = fc_dst(*x), s = fc_src(*x);
        if (op == 0 || op == OP_SECOND)
            continue;
        if ((op == FC_OP_CALL && fc_src(*x) != FC_CALL_LOCAL) || op == FC_OP_CALLX)
            leaf = 0;
        else if (FC_CLASS(x->op) == FC_CLS_STX && FC_MODE(x->op) == FC_MODE_ATOMIC)
            leaf = 0;
        else if (FC_CLASS(x->op) == FC_CLS_ALU64 && (aop == FC_ALU_DIV || aop == FC_ALU_MOD)) {
            int xs = (x->op & FC_SRC_X) != 0;
            int small = (d == 10 || (c->hz[i] >> d & 1u)) &&
                        (xs ? (s == 10 || (c->hz[i] >> s & 1u)) : x->imm >= 0);
            if (!(!xs && x->imm == 0) && !small)
                leaf = 0;
        }
    }
    /* r2 too when no 64-bit multiply needs its high half: that emitter
     * needs r2 besides ip and lr; every other one then uses lr for the
     * second operand (TB) */
    int leaf2 = leaf;
    for (i = 0; i < n && leaf2; i++) {
        const fc_insn *x = &c->in.ins[i];
        if (c->opid[i] != 0 && c->opid[i] != OP_SECOND && FC_CLASS(x->op) == FC_CLS_ALU64 &&
            FC_OPCODE_OP(x->op) == FC_ALU_MUL && hact_at(c, i, fc_dst(*x)) == HA_COMPUTE)
            leaf2 = 0;
    }
    c->tb = leaf2 ? LR : R2;
    uint8_t regs[NHOMES];
    unsigned nregs = 0;
    for (unsigned m = 0; m < NHOMES; m++) {
        if (home_regs[m] == BUDGET_REG && c->budget_reg)
            continue;
        if (home_regs[m] == R3 && !leaf)
            continue;
        if (home_regs[m] == R2 && !leaf2)
            continue;
        regs[nregs++] = home_regs[m];
    }
    for (unsigned r = 0; r < 10; r++)
        c->home[r][0] = c->home[r][1] = NONE;
    uint32_t hcnt[NHOMES] = {0};
    unsigned nh = 0;
    for (unsigned m = 0; m < nregs; m++) {
        uint32_t best = 0;
        int br_ = -1, bh = -1;
        for (unsigned r = 0; r < 10; r++)
            for (unsigned h = 0; h < 2; h++)
                if (c->home[r][h] == NONE && cnt[r][h] > best) {
                    best = cnt[r][h];
                    br_ = (int)r;
                    bh = (int)h;
                }
        if (br_ < 0)
            break;
        c->home[br_][bh] = regs[m];
        hcnt[m] = best;
        nh++;
    }
    /* the span cache takes the last two registers when each is worth
     * more there (a check saves two loads; a half saves about one access
     * per use) */
    c->sc_start = c->sc_lim = NONE;
    if (!(c->in.flags & FC_BK_NO_OPT) && nregs >= 4) {
        uint32_t bw = 0;
        unsigned bt = 0, bs = 0, bk = 0;
        for (unsigned t = 0; t < 2; t++)
            for (unsigned sl = 0; sl < 5; sl++)
                for (unsigned k = 0; k < 4; k++)
                    if (scw[t][sl][k] > bw) {
                        bw = scw[t][sl][k];
                        bt = t; bs = sl; bk = k;
                    }
        uint32_t c1 = nh >= nregs - 1 ? hcnt[nregs - 2] : 0;
        uint32_t c2 = nh >= nregs ? hcnt[nregs - 1] : 0;
        if (bw > 0 && bw > c1 && bw > c2) {
            for (unsigned r = 0; r < 10; r++)
                for (unsigned h = 0; h < 2; h++)
                    if (c->home[r][h] == regs[nregs - 1] || c->home[r][h] == regs[nregs - 2])
                        c->home[r][h] = NONE;
            c->sc_start = regs[nregs - 2];
            c->sc_lim = regs[nregs - 1];
            c->sc_span = (bt ? FC_NENV_WR : FC_NENV_RD) + FC_NATIVE_SPAN_SIZE * bs;
            c->sc_limoff = c->sc_span + FC_NENV_SPAN_LIM(bk);
        }
    }
    for (unsigned r = 0; r < 10; r++)
        for (unsigned h = 0; h < 2; h++)
            if (c->home[r][h] == R2 || c->home[r][h] == R3)
                c->r23home = 1;
    if (c->sc_start == R2 || c->sc_start == R3 || c->sc_lim == R2 || c->sc_lim == R3)
        c->r23home = 1;
}

/*
 * `mov32 d, s` then a 32-bit ALU operation on d (not a mov, not an
 * endianness one: neither reads d's high half) that no jump enters: the
 * operation reads s for d, so the mov disappears. Its high half (0) is
 * written by the operation anyway; only a mov whose high-half write the
 * analysis counts on (HA_ZERO) keeps its own code.
 */
static void find_fusions(cg *c)
{
    uint32_t i, n = c->in.n, s[2];
    for (i = 0; i <= n; i++)
        c->fuse[i] = 0;
    if (c->in.flags & FC_BK_NO_OPT)
        return;
    /* fuse[] first marks the jump targets */
    for (i = 0; i < n; i++) {
        const fc_insn *x = &c->in.ins[i];
        unsigned op = c->opid[i], cls = FC_CLASS(x->op);
        if (op == 0 || op == OP_SECOND || (cls != FC_CLS_JMP && cls != FC_CLS_JMP32))
            continue;
        if (op == FC_OP_CALL && fc_src(*x) == FC_CALL_LOCAL) {
            uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)x->imm;
            if (t < n) c->fuse[t] = 2;
            continue;
        }
        if (op == FC_OP_CALL || op == FC_OP_CALLX || op == FC_OP_EXIT)
            continue;
        unsigned k = fc_hh_succs(&c->hh, i, s);
        for (unsigned j = 0; j < k; j++)
            if (s[j] != i + 1)
                c->fuse[s[j]] = 2;
    }
    for (i = 0; i < c->in.nentries; i++)
        c->fuse[c->in.entries[i]] = 2;
    for (i = 0; i + 1 < n; i++) {
        const fc_insn *a = &c->in.ins[i], *b = &c->in.ins[i + 1];
        unsigned d = fc_dst(*a), bop = c->opid[i + 1], aop = FC_OPCODE_OP(b->op);
        if (c->opid[i] != FC_OP_MOV32_X || c->fuse[i] == 1 || c->fuse[i + 1] == 2 ||
            fc_src(*a) == d || d >= 10 || bop == 0 || bop == OP_SECOND ||
            FC_CLASS(b->op) != FC_CLS_ALU || fc_dst(*b) != d || aop == FC_ALU_MOV ||
            aop == FC_ALU_END || hact_at(c, i, d) != HA_SKIP)
            continue;
        c->fuse[i] = 1;
        i++;                     /* the operation is not itself a mov */
    }
    for (i = 0; i <= n; i++)
        if (c->fuse[i] == 2)
            c->fuse[i] = 0;
}

/* ========================================================================
 * The backend entry points
 * ===================================================================== */

static const fc_em_sizes t2_sizes = {LABS_PER_INSN, BRS_PER_INSN, STUBS_PER_INSN, EXTRA, FL__COUNT};

static unsigned t2_size_cb(uint32_t enc) { return t2_size(enc); }
static void t2_put_cb(uint8_t *at, uint32_t enc) { t2_put(at, enc); }
static const fc_em_target t2_target = {T2_BAD, t2_size_cb, t2_put_cb, t2_validate};

/* opid, fuse; hz, lout, tmp16, hza, loc; padhead, padnext, padlab */
/* either generator runs in the workspace (the selector first with FC_BK_IR,
 * then, when it refuses the program, the template generator) */
static size_t t2_work_size_for(const fc_prog *p, uint32_t flags)
{
    uint32_t n = p ? p->ninsns : 0;
    size_t t = ((size_t)n + 1) * (2 + 2 * 5 + 4 * 3) + fc_em_work_size(&t2_sizes, n) + 64;
    size_t ir = (flags & FC_BK_IR) ? t2_isel_work_size(p) : 0;
    return t > ir ? t : ir;
}

static size_t t2_work_size(const fc_prog *p)
{
    return t2_work_size_for(p, FC_BK_IR);
}

static int diag(fc_diags *d, int32_t insn, const char *msg)
{
    if (d)
        fc_diag_add(d, FC_SEV_ERROR, insn, "thumbv7m: %s", msg);
    return 0;
}

static int t2_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts,
                      void *work, size_t work_len, fc_bk_out *out, fc_diags *diags)
{
    cg cc, *c = &cc;
    uint8_t *w = work, *wend = (uint8_t *)work + work_len;
    uint32_t n, i;
    uint32_t one_entry = 0;

    if (!p || !out || (p->ninsns && !p->insns))
        return diag(diags, -1, "no program"), FC_BK_EPROG;
    if (!work || work_len < t2_work_size_for(p, opts ? opts->flags : 0u))
        return FC_BK_EWORK;
    n = p->ninsns;
    if (n == 0)
        return diag(diags, -1, "empty program"), FC_BK_EPROG;
    out->ir = 0;
    if (opts && (opts->flags & FC_BK_IR)) {
        const char *why;
        int r = t2_isel_compile(p, info, opts, work, work_len, out, diags, &why);
        if (r != T2_ISEL_REFUSED) {
            out->ir = 1;
            return r;
        }
        /* not selected yet: the template generator makes the code */
        if (diags)
            fc_diag_add(diags, FC_SEV_NOTE, -1, "thumbv7m: -fcodegen=ir: %s; the template generator made the code",
                        why ? why : "refused");
    }

    for (i = 0; i < sizeof cc; i++)
        ((uint8_t *)c)[i] = 0;
    {
        int32_t at;
        const char *why = fc_em_in_init(&c->in, p, info, opts, &one_entry, &at);
        if (why)
            return diag(diags, at, why), FC_BK_EPROG;
    }
    c->diags = diags;

    c->opid = fc_em_carve(&w, wend, n + 1, 1);
    c->hz = fc_em_carve(&w, wend, 2 * (n + 1), 2);
    c->lout = fc_em_carve(&w, wend, 2 * (n + 1), 2);
    c->tmp16 = fc_em_carve(&w, wend, 2 * (n + 1), 2);
    c->hza = fc_em_carve(&w, wend, 2 * (n + 1), 2);
    c->loc = fc_em_carve(&w, wend, 2 * (n + 1), 2);
    c->fuse = fc_em_carve(&w, wend, (size_t)(n + 1), 1);
    c->padhead = fc_em_carve(&w, wend, 4 * (size_t)(n + 1), 4);
    c->padnext = fc_em_carve(&w, wend, 4 * (size_t)(n + 1), 4);
    uint32_t *padlab = fc_em_carve(&w, wend, 4 * (size_t)(n + 1), 4);
    if (!c->opid || !c->hz || !c->lout || !c->tmp16 || !c->hza || !c->loc || !c->padhead ||
        !c->padnext || !padlab || !c->fuse || fc_em_setup(&c->x.em, &t2_target, &t2_sizes, n, &w, wend))
        return FC_BK_EWORK;

    /* decode; refuse what native code cannot express */
    c->has_local_calls = (uint8_t)fc_em_decode(p->insns, n, c->opid, NULL, NULL);
    if (n > 0x7fffffffu)
        return diag(diags, -1, "program too large"), FC_BK_EPROG;

    fc_em_hh(&c->hh, &c->in, c->opid);
    analyse(c);
    allocate(c);
    c->x.flags = c->in.flags;
    c->x.n = n;
    c->x.env = ENV;
    c->x.fb = FB;
    c->x.budget_reg = c->budget_reg ? BUDGET_REG : NONE;
    c->x.guess_fwd = 0;
    /* budget pads for the conditional back-edges (with the budget in a
     * register; not into the second slot of an lddw, whose label is a stub) */
    for (i = 0; i <= n; i++)
        c->padhead[i] = c->padnext[i] = padlab[i] = NOPAD;
    if (c->budget_reg) {
        int any = 0;
        for (i = n; i-- > 0;) {
            const fc_insn *x = &p->insns[i];
            unsigned op = c->opid[i], cls = FC_CLASS(x->op);
            uint64_t t;
            if (op == 0 || op == OP_SECOND || (cls != FC_CLS_JMP && cls != FC_CLS_JMP32) ||
                op == FC_OP_CALL || op == FC_OP_CALLX || op == FC_OP_EXIT || op == FC_OP_JA ||
                op == FC_OP_JA32)
                continue;
            t = (uint64_t)i + 1 + (uint64_t)(int64_t)x->off;
            if (t > i || c->opid[t] == OP_SECOND)
                continue;
            c->padnext[i] = c->padhead[t];
            c->padhead[t] = i;
            any = 1;
        }
        if (any)
            c->padlab = padlab;
    }
    find_fusions(c);
    out->mregs = 0;
    for (unsigned r = 0; r < 10; r++)
        out->mregs += (c->home[r][0] != NONE) + (c->home[r][1] != NONE);

    /* counting passes until no label moves and no branch grows, then writing */
    {
        const char *msg = "";
        int32_t at;
        int r = fc_em_run(&c->x.em, pass_cb, c, MAX_PASSES, out, &msg, &at);
        if (r == FC_BK_EINTERNAL)
            diag(diags, at, msg);
        return r;
    }
}

unsigned t2_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

const fc_backend fc_backend_thumbv7m = {
    "thumbv7m",
    FC_TARGET_THUMBV7M,
    "Thumb-2 for ARMv7-M (Cortex-M3; runs on M4/M7)",
    "thumbv7m-none-eabi",
    4,
    t2_work_size,
    t2_compile,
    t2_disasm,
    t2_work_size_for,
};
