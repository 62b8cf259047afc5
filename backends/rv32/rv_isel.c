/*
 * rv_isel.c - the RV32 backends rv32imac, rv32ima and rv32imc: the
 * instruction selector over the middle end's allocated IR.
 *
 *   verified eBPF --fc_ir_lower--> 32-bit IR --fc_ra_run (fc_ra_target_rv32)-->
 *   a location per operand --select, one IR instruction at a time--> fc_emit
 *
 * The pieces come from the emission layer (rv_cg.h): the emitters and instruction choosers, the bounds check and its
 * slow-path routines, the fault stubs, the budget charge, the helper call
 * through the trampoline, the division routines, the prologue frame and
 * the shared tail (rv_cg.h). What differs is where values live: the
 * allocator's registers (a0-a7, t5, t6 caller-saved; s2-s9 callee-saved)
 * or 4-byte spill slots of the function's own native spill area on the
 * machine stack (never the eBPF stack, which is observable memory):
 *
 *   sp_in  -> +--------------------------+
 *             | ra, s11 .. s0 (+ pad)    |  64 bytes (frame_enter)
 *   saved_sp  +--------------------------+  (env->saved_sp)
 *             | spill slots of the entry |  4 * nslots, rounded to 16
 *             +--------------------------+  slot s at sp + 4s
 *             | call frame (48 bytes)    |  a local call: s2..s9, return
 *             | spill slots of the callee|  its own area, on its entry
 *             +--------------------------+  ... per nested call
 *
 * A source in a slot is loaded into a scratch register of the pool (t3, t4,
 * then s10 and ra where the op's own sequence leaves them alone) just
 * before the op; a result in a slot is computed in a scratch register and
 * stored right after. Known-zero hi halves are x0 (FC_RA_ZERO), never
 * materialised; a coalesced mov (same register) makes no code.
 *
 * Local calls pass the callee's live-in values and its results through
 * env->regs (the slots of r0..r9, as the helper trampoline does), so the
 * caller's and the callee's allocations never need a parallel move.
 *
 * Entry points: one prologue each, jumping to its entry function (each
 * entry starts a function of its own, fc_ir_lower_entries), except one
 * entry at slot 0, whose function follows. A function a local call
 * targets starts with its spill area and its live-in values from
 * env->regs; an entry function that is also called (a recursion the
 * run's depth check ends) tells its depth at the exit by r10.
 *
 * The machine stack: the prologue's 64 bytes, then along the deepest chain
 * of at most FC_MAX_CALL_DEPTH - 1 nested local calls 48 bytes per call
 * and each callee's spill area (mstack_need); it must stay within the
 * bound of 64 + 7 * 48 bytes, which FC_NATIVE_MSTACK
 * holds with the runtime routines' frames. Refused (FC_BK_EPROG, the reason
 * in the diagnostic): a program beyond
 * that (none of the conformance suite, the C programs or diff-random's
 * seeds), an op whose spilled operands need more scratch registers than
 * the pool has.
 */
#include "fc_ir.h"
#include "fc_regalloc.h"
#include "fc_vm.h"

#include "rv32/rv_cg.h"

/* the emission table sizes: per eBPF slot up to 16 IR instructions */
static const fc_em_sizes ir_sizes = {40u, 48u, 10u, 64u, FL__COUNT};

/* the most machine stack the code may use: the prologue and 7 call frames */
#define MSTACK_CODE_MAX (FRAME_SIZE + (FC_MAX_CALL_DEPTH - 1u) * CALL_FRAME)

static size_t rv_isel_work_size(const fc_prog *p)
{
    uint32_t n = p ? p->ninsns : 0;
    return fc_ir_workspace_size(n) + fc_ra_workspace_size(n) + fc_em_work_size(&ir_sizes, n) + 64 +
           (size_t)n + 16u;     /* a called flag per function */
}

static uint32_t spill_of(const fc_ra *ra, uint32_t f)
{
    return (ra->nslots[f] * 4u + 15u) & ~15u;
}

/* The deepest machine stack of the code: the prologue, then at most
 * FC_MAX_CALL_DEPTH - 1 nested calls from an entry function (a recursion
 * followed round as often as the run's depth check allows), each a call
 * frame and the callee's spill area; two rows of nfn words in tmp. */
static uint32_t spill_cb(const void *ctx, uint32_t f)
{
    return spill_of(ctx, f);
}

static uint32_t mstack_need(const fc_ir *ir, const fc_ra *ra, uint32_t *tmp)
{
    return FRAME_SIZE + fc_ir_call_chain(ir, spill_cb, ra, CALL_FRAME, tmp);
}

/* the function starting at slot at */
static uint32_t fn_at(const fc_ir *ir, uint32_t at)
{
    for (uint32_t f = 0; f < ir->nfn; f++)
        if (ir->fn[f].start == at)
            return f;
    return 0;
}

/* ---- locations ------------------------------------------------------------ */

static const uint8_t pool[4] = {RV_T3, RV_T4, RV_S10, RV_RA};

/* slot l's offset from sp (16 more while registers are borrowed, below) */
static int32_t soff(const cg *c, uint16_t l)
{
    return (int32_t)(4u * (l - FC_RA_SLOT(0)) + (c->nborrow ? 16u : 0u));
}

/* A scratch register of the pool for the current op. A 64-bit ALU op
 * with every source and result in slots needs six (a 64-bit shift by a
 * register five; its branches stay inside its sequence): beyond the pool it
 * borrows an a-register no operand of the op names, saved below the spill
 * area (sp down 16 while borrowed: soff) and restored after the op
 * (give_back), which has no branch out of it. */
static unsigned take(cg *c)
{
    for (unsigned i = 0; i < c->pool_lim; i++)
        if (!(c->pool_used >> i & 1u)) {
            c->pool_used |= (uint8_t)(1u << i);
            return pool[i];
        }
    unsigned op = c->irp->ins[c->cur_k].op;
    if (c->pool_lim == 4 && c->nborrow < 4 &&
        ((op >= FC_IR_ADD64 && op <= FC_IR_MUL64) || (op >= FC_IR_LSH64 && op <= FC_IR_ARSH64))) {
        const uint16_t *l = c->ra->loc[c->cur_k];
        uint32_t busy = 0;
        for (unsigned j = 0; j < 7; j++)
            if (FC_RA_IS_REG(l[j]))
                busy |= 1u << (l[j] - 1u);
        for (unsigned i = 0; i < c->nborrow; i++)
            busy |= 1u << c->borrow[i];
        unsigned a = RV_A0;
        while (a <= RV_A7 && (busy >> a & 1u))
            a++;
        if (a <= RV_A7) {
            if (!c->nborrow)
                e_addi(c, RV_SP, RV_SP, -16);
            e_sw(c, a, RV_SP, (int32_t)(4 * c->nborrow));
            c->borrow[c->nborrow++] = (uint8_t)a;
            return a;
        }
    }
    c->refuse = 1;
    return pool[0];
}

/* after an op: the borrowed registers back */
static void give_back(cg *c)
{
    if (!c->nborrow)
        return;
    for (unsigned i = 0; i < c->nborrow; i++)
        e_lw(c, c->borrow[i], RV_SP, (int32_t)(4 * i));
    c->nborrow = 0;
    e_addi(c, RV_SP, RV_SP, 16);
}

/* the register holding the value at l (a slot: loaded into a scratch) */
static unsigned in_reg(cg *c, uint16_t l)
{
    if (l == FC_RA_FP)
        return FP;
    if (FC_RA_IS_REG(l))
        return l - 1u;
    if (FC_RA_IS_SLOT(l)) {
        unsigned r = take(c);
        e_lw(c, r, RV_SP, soff(c, l));
        return r;
    }
    return ZERO;        /* FC_RA_ZERO (and FC_RA_NONE: nothing to read) */
}

/* register r = the value at l */
static void ld_into(cg *c, unsigned r, uint16_t l)
{
    if (FC_RA_IS_SLOT(l))
        e_lw(c, r, RV_SP, soff(c, l));
    else
        e_mv(c, r, l == FC_RA_FP ? FP : FC_RA_IS_REG(l) ? l - 1u : ZERO);
}

/* the location l = register r */
static void st_from(cg *c, uint16_t l, unsigned r)
{
    if (FC_RA_IS_SLOT(l))
        e_sw(c, r, RV_SP, soff(c, l));
    else if (FC_RA_IS_REG(l))
        e_mv(c, l - 1u, r);
}

static unsigned src(cg *c, uint32_t k, unsigned j) { return in_reg(c, c->ra->loc[k][2 + j]); }

/* where result j of k is computed: its register, a scratch for a slot
 * (t3 for a 32-bit op, whose sources are read first; a fresh one of the
 * pool for a 64-bit pseudo-op, whose results never share a register with a
 * source), ZERO for a dead result */
static unsigned dst(cg *c, uint32_t k, unsigned j, int wide)
{
    uint16_t l = c->ra->loc[k][j];
    if (FC_RA_IS_REG(l))
        return l - 1u;
    if (FC_RA_IS_SLOT(l))
        return wide ? take(c) : pool[0];
    return ZERO;
}

/* after the op: a result in a slot goes there */
static void wb(cg *c, uint32_t k, unsigned j, unsigned r)
{
    uint16_t l = c->ra->loc[k][j];
    if (FC_RA_IS_SLOT(l) && r != ZERO)
        e_sw(c, r, RV_SP, soff(c, l));
}

/* the label of IR block b */
static uint32_t blk_lab(const cg *c, uint32_t b) { return c->blab + b; }

/* ---- 32-bit ops ---------------------------------------------------------------- */

static enum alu alu_of_ir(unsigned op)
{
    switch (op) {
    case FC_IR_ADD: return A_ADD;
    case FC_IR_SUB: return A_SUB;
    case FC_IR_MUL: return A_MUL;
    case FC_IR_AND: return A_AND;
    case FC_IR_OR:  return A_OR;
    case FC_IR_XOR: return A_XOR;
    case FC_IR_LSH: return A_SLL;
    case FC_IR_RSH: return A_SRL;
    default:        return A_SRA;
    }
}

static void sel_alu32(cg *c, uint32_t k, const fc_ir_insn *x)
{
    unsigned d = dst(c, k, 0, 0);
    int kf = (x->fl & FC_IR_K) != 0;
    uint32_t v = (uint32_t)x->imm;
    unsigned a, b;

    if (d == ZERO)
        return;                         /* dead: no side effect */
    switch (x->op) {
    case FC_IR_MOV:
        e_mv(c, d, src(c, k, 0));       /* coalesced: rX, rX makes nothing */
        break;
    case FC_IR_MOVI:
        e_li(c, d, v);
        break;
    case FC_IR_ADD: case FC_IR_SUB: case FC_IR_AND: case FC_IR_OR: case FC_IR_XOR:
        a = src(c, k, 0);
        if (kf)
            e_rri(c, alu_of_ir(x->op), d, a, v, T0);
        else
            e_rrr(c, alu_of_ir(x->op), d, a, src(c, k, 1));
        break;
    case FC_IR_MUL:
        a = src(c, k, 0);
        if (kf && v && !(v & (v - 1u))) {
            unsigned n = 0;
            while (!(v >> n & 1u))
                n++;
            e_shi(c, SH_LL, d, a, n);
        } else if (kf) {
            e_li(c, T0, v);
            e_rrr(c, A_MUL, d, a, T0);
        } else {
            e_rrr(c, A_MUL, d, a, src(c, k, 1));
        }
        break;
    case FC_IR_LSH: case FC_IR_RSH: case FC_IR_ARSH:
        /* RISC-V shifts take the amount's low 5 bits: the IR's & 31 */
        a = src(c, k, 0);
        if (kf)
            e_shi(c, x->op == FC_IR_LSH ? SH_LL : x->op == FC_IR_RSH ? SH_RL : SH_RA, d, a, v & 31u);
        else
            e_rrr(c, alu_of_ir(x->op), d, a, src(c, k, 1));
        break;
    case FC_IR_DIVU: case FC_IR_MODU: case FC_IR_DIVS: case FC_IR_MODS: {
        int sgn = x->op == FC_IR_DIVS || x->op == FC_IR_MODS;
        int mod = x->op == FC_IR_MODU || x->op == FC_IR_MODS;
        a = src(c, k, 0);
        if (kf && v == 0) {             /* x / 0 = 0, x % 0 = x */
            if (mod)
                e_mv(c, d, a);
            else
                e_li(c, d, 0);
        } else if (kf) {
            e_li(c, T2, v);
            div32(c, d, a, T2, sgn, mod, 1);
        } else {
            b = src(c, k, 1);
            div32(c, d, a, b, sgn, mod, 0);
        }
        break;
    }
    case FC_IR_NEG:
        e_rrr(c, A_SUB, d, ZERO, src(c, k, 0));
        break;
    case FC_IR_SEXT8: case FC_IR_SEXT16: case FC_IR_ZEXT16: {
        unsigned sh = x->op == FC_IR_SEXT8 ? 24u : 16u;
        e_shi(c, SH_LL, d, src(c, k, 0), sh);
        e_shi(c, x->op == FC_IR_ZEXT16 ? SH_RL : SH_RA, d, d, sh);
        break;
    }
    case FC_IR_BSWAP16:
        bswap16(c, d, src(c, k, 0));
        break;
    default:                            /* BSWAP32 */
        a = src(c, k, 0);
        e_li(c, T2, 0x00ff00ffu);
        bswap32(c, d, a, T2);
        break;
    }
    wb(c, k, 0, d);
}

/* ---- 64-bit pseudo-ops ------------------------------------------------------- */

/* {dl, dh} = {al, ah} + {bl, bh} (bl, bh may be ZERO); dl is no source */
static void add64(cg *c, unsigned dl, unsigned dh, unsigned al, unsigned ah, unsigned bl, unsigned bh)
{
    e_rrr(c, A_ADD, dl, al, bl);
    if (dh == ZERO)
        return;
    if (bl == ZERO || al == ZERO) {     /* no carry */
        e_rrr(c, A_ADD, dh, ah, bh);
        return;
    }
    e_rrr(c, A_SLTU, T0, dl, bl);       /* carry: bl is intact (dl != bl) */
    e_rrr(c, A_ADD, dh, ah, bh);
    e_rrr(c, A_ADD, dh, dh, T0);
}

/* {dl, dh} = {al, ah} + sext64 constant {kl, kh} with kh 0 or ~0 */
static void add64_k(cg *c, unsigned dl, unsigned dh, unsigned al, unsigned ah, uint32_t kl, uint32_t kh)
{
    if (dh == ZERO) {
        e_rri(c, A_ADD, dl, al, kl, T1);
        return;
    }
    if (kl == 0) {
        e_mv(c, dl, al);
    } else if (rv_imm12_ok((int32_t)kl)) {
        e_addi(c, dl, al, (int32_t)kl);
        put(c, rv_sltiu(T0, dl, (int32_t)kl));
    } else {
        e_li(c, T1, kl);
        e_rrr(c, A_ADD, dl, al, T1);
        e_rrr(c, A_SLTU, T0, dl, T1);
    }
    if (kh == 0xffffffffu) {
        e_addi(c, dh, ah, -1);
        if (kl)
            e_rrr(c, A_ADD, dh, dh, T0);
    } else if (kh == 0) {
        if (kl)
            e_rrr(c, A_ADD, dh, ah, T0);
        else
            e_mv(c, dh, ah);
    } else {                            /* not made by the lowering; kept exact */
        e_li(c, T2, kh);
        e_rrr(c, A_ADD, dh, ah, T2);
        if (kl)
            e_rrr(c, A_ADD, dh, dh, T0);
    }
}

static void shift64_k_ir(cg *c, unsigned op, unsigned dl, unsigned dh, unsigned al, unsigned ah, unsigned n)
{
    if (n == 0) {
        e_mv(c, dl, al);
        if (dh != ZERO)
            e_mv(c, dh, ah);
        return;
    }
    if (op == FC_IR_LSH64) {
        if (n < 32) {
            if (dh != ZERO) {
                if (ah == ZERO) {
                    e_shi(c, SH_RL, dh, al, 32 - n);
                } else {
                    e_shi(c, SH_RL, T0, al, 32 - n);
                    e_shi(c, SH_LL, dh, ah, n);
                    e_rrr(c, A_OR, dh, dh, T0);
                }
            }
            e_shi(c, SH_LL, dl, al, n);
        } else {
            if (dh != ZERO)
                e_shi(c, SH_LL, dh, al, n - 32);
            e_li(c, dl, 0);
        }
        return;
    }
    enum shk hk = op == FC_IR_RSH64 ? SH_RL : SH_RA;
    if (n < 32) {
        e_shi(c, SH_RL, dl, al, n);
        if (ah != ZERO) {
            e_shi(c, SH_LL, T0, ah, 32 - n);
            e_rrr(c, A_OR, dl, dl, T0);
        }
        if (dh != ZERO) {
            if (ah == ZERO)
                e_li(c, dh, 0);
            else
                e_shi(c, hk, dh, ah, n);
        }
        return;
    }
    if (ah == ZERO)
        e_li(c, dl, 0);
    else
        e_shi(c, hk, dl, ah, n - 32);
    if (dh != ZERO) {
        if (op == FC_IR_RSH64 || ah == ZERO)
            e_li(c, dh, 0);
        else
            e_shi(c, SH_RA, dh, ah, 31);
    }
}

/* 64-bit division: DIVU/REMU when both operands are known < 2^32 (then
 * the signed forms are the unsigned ones), else the runtime routine through
 * the shared stub: a in t0:t1, b in t2:s10, result in t0:t1 */
static void sel_div64(cg *c, uint32_t k, const fc_ir_insn *x)
{
    const uint16_t *l = c->ra->loc[k];
    int kf = (x->fl & FC_IR_K) != 0;
    int sgn = x->op == FC_IR_DIVS64 || x->op == FC_IR_MODS64;
    int mod = x->op == FC_IR_MODU64 || x->op == FC_IR_MODS64;
    uint64_t kv = (uint64_t)(int64_t)x->imm;
    int ahz = l[3] == FC_RA_ZERO, noopt = (c->in.flags & FC_BK_NO_OPT) != 0;

    c->pool_lim = 2;                    /* s10 and ra are the stub's */
    if (kf && kv == 0) {                /* x / 0 = 0, x % 0 = x */
        if (mod) {
            ld_into(c, T0, l[2]);
            ld_into(c, T1, l[3]);
        } else {
            e_li(c, T0, 0);
            e_li(c, T1, 0);
        }
    } else if (!noopt && ahz && (kf ? kv <= 0xffffffffu : l[5] == FC_RA_ZERO)) {
        unsigned a = src(c, k, 0);
        if (kf) {
            e_li(c, T2, (uint32_t)kv);
            div32(c, T0, a, T2, 0, mod, 1);
        } else {
            div32(c, T0, a, src(c, k, 2), 0, mod, 0);
        }
        e_li(c, T1, 0);
    } else {
        unsigned r = mod ? (sgn ? 3u : 2u) : (sgn ? 1u : 0u);
        c->div_used |= (uint8_t)(1u << r);
        ld_into(c, T0, l[2]);
        ld_into(c, T1, l[3]);
        if (kf) {
            e_li(c, T2, (uint32_t)kv);
            e_li(c, T3, (uint32_t)(kv >> 32));
        } else {
            ld_into(c, T2, l[4]);
            ld_into(c, T3, l[5]);
        }
        jal_lab(c, RV_RA, L_fixed(c, FL_DIV + r));
    }
    st_from(c, l[0], T0);
    st_from(c, l[1], T1);
}

static void sel_alu64(cg *c, uint32_t k, const fc_ir_insn *x)
{
    int kf = (x->fl & FC_IR_K) != 0;
    uint64_t kv = (uint64_t)(int64_t)x->imm;
    uint32_t kl = (uint32_t)kv, kh = (uint32_t)(kv >> 32);
    unsigned al, ah, bl = ZERO, bh = ZERO, dl, dh;

    if (x->op >= FC_IR_DIVU64 && x->op <= FC_IR_MODS64) {
        sel_div64(c, k, x);
        return;
    }
    al = src(c, k, 0);
    ah = src(c, k, 1);
    if (!kf && x->op != FC_IR_NEG64 && x->op != FC_IR_BSWAP64) {
        bl = src(c, k, 2);
        if (x->op != FC_IR_LSH64 && x->op != FC_IR_RSH64 && x->op != FC_IR_ARSH64)
            bh = src(c, k, 3);
    }
    dl = dst(c, k, 0, 1);
    dh = dst(c, k, 1, 1);
    if (dl == ZERO)                     /* lo dead, hi wanted: lo in a scratch */
        dl = take(c);
    /* the sequences below write a result before they have read every
     * source: a result register that is also a source (the allocator does
     * give one, e.g. be64 r2 in place) is computed in a scratch and moved */
    unsigned dl_to = ZERO, dh_to = ZERO;
    /* add (of a constant, or of another register) and sub of a constant
     * read al only before writing dl and write dh last (a pointer bumped in
     * place keeps its registers) */
    int addk = (x->op == FC_IR_ADD64 && (kf || al != bl)) || (x->op == FC_IR_SUB64 && kf);
    if ((dl == al && !addk) || dl == ah || dl == bl || dl == bh) {
        dl_to = dl;
        dl = take(c);
    }
    if (dh != ZERO && !addk && (dh == al || dh == ah || dh == bl || dh == bh)) {
        dh_to = dh;
        dh = take(c);
    }

    switch (x->op) {
    case FC_IR_ADD64:
        if (kf)
            add64_k(c, dl, dh, al, ah, kl, kh);
        else
            add64(c, dl, dh, al, ah, bl, bh);
        break;
    case FC_IR_SUB64:
        if (kf) {                       /* subtracting k is adding -k (64-bit) */
            kv = 0 - kv;
            add64_k(c, dl, dh, al, ah, (uint32_t)kv, (uint32_t)(kv >> 32));
            break;
        }
        if (dh != ZERO && bl != ZERO)
            e_rrr(c, A_SLTU, T0, al, bl);       /* borrow */
        e_rrr(c, A_SUB, dl, al, bl);
        if (dh != ZERO) {
            e_rrr(c, A_SUB, dh, ah, bh);
            if (bl != ZERO)
                e_rrr(c, A_SUB, dh, dh, T0);
        }
        break;
    case FC_IR_MUL64:
        if (kf) {
            bl = kl ? T2 : ZERO;
            if (kl)
                e_li(c, T2, kl);
        }
        if (dh == ZERO) {
            e_rrr(c, A_MUL, dl, al, bl);
            break;
        }
        /* (ah:al) * (bh:bl) mod 2^64 = al*bl + ((al*bh + ah*bl) << 32) */
        e_rrr(c, A_MULHU, T0, al, bl);
        if (bh != ZERO) {
            e_rrr(c, A_MUL, T1, al, bh);
            e_rrr(c, A_ADD, T0, T0, T1);
        } else if (kf && kh) {
            e_rrr(c, A_SUB, T0, T0, al);        /* al * ~0 << 32 */
        }
        if (ah != ZERO) {
            e_rrr(c, A_MUL, T1, ah, bl);
            e_rrr(c, A_ADD, T0, T0, T1);
        }
        e_rrr(c, A_MUL, dl, al, bl);
        e_mv(c, dh, T0);
        break;
    case FC_IR_NEG64:
        if (dh == ZERO) {
            e_rrr(c, A_SUB, dl, ZERO, al);
            break;
        }
        /* -(ah:al) = (-ah - (al != 0)) : -al */
        e_rrr(c, A_SLTU, T0, ZERO, al);
        e_rrr(c, A_SUB, dl, ZERO, al);
        e_rrr(c, A_SUB, dh, ZERO, ah);
        e_rrr(c, A_SUB, dh, dh, T0);
        break;
    case FC_IR_LSH64: case FC_IR_RSH64: case FC_IR_ARSH64:
        if (kf)
            shift64_k_ir(c, x->op, dl, dh, al, ah, (uint32_t)x->imm & 63u);
        else
            shift64_reg(c, x->op == FC_IR_LSH64 ? FC_ALU_LSH : x->op == FC_IR_RSH64 ? FC_ALU_RSH : FC_ALU_ARSH,
                        dl, dh, al, ah, bl, 1);
        break;
    default:                            /* BSWAP64 */
        e_li(c, T2, 0x00ff00ffu);
        bswap32(c, dl, ah, T2);
        if (dh != ZERO)
            bswap32(c, dh, al, T2);
        break;
    }
    if (dl_to != ZERO)
        e_mv(c, dl_to, dl);
    else
        wb(c, k, 0, dl);
    if (dh_to != ZERO)
        e_mv(c, dh_to, dh);
    else
        wb(c, k, 1, dh);
}

/* ---- memory ----------------------------------------------------------------------- */

static void count_access(cg *c, const fc_ir_insn *x)
{
    if (c->last_chk != x->insn) {       /* no CHECK for this eBPF access: proven */
        if (!(x->fl & FC_IR_G))         /* (or its check covered by a guard) */
            c->em.unchecked++;
        c->last_chk = x->insn;
    }
}

static void sel_mem(cg *c, uint32_t k, const fc_ir_insn *x)
{
    int32_t off = x->imm;
    unsigned base = src(c, k, 0), rb = base;

    if (x->op == FC_IR_CHECK) {
        const fc_insn_info *inf = c->in.info ? &c->in.info[x->insn] : NULL;
        unsigned hint = inf ? inf->region_hint : 0xffu;
        unsigned bhi = src(c, k, 1);
        if (hint == 0xffu)
            hint = base == FP ? FC_REGION_STACK : FC_REGION_CTX;
        c->last_chk = x->insn;
        mem_check(c, base, bhi, off, x->sz, x->cc, hint);
        return;
    }
    count_access(c, x);
    if (!rv_imm12_ok(off)) {
        e_li(c, T0, (uint32_t)off);
        e_rrr(c, A_ADD, T0, T0, base);
        rb = T0;
        off = 0;
    }
    if (x->op == FC_IR_LD) {
        unsigned d = dst(c, k, 0, 0);
        if (d == ZERO)
            return;
        e_load(c, x->sz, (x->fl & FC_IR_SX) && x->sz < 4, d, rb, off);
        wb(c, k, 0, d);
        return;
    }
    unsigned v;
    if (x->fl & FC_IR_K) {
        v = x->tgt ? T1 : ZERO;
        if (x->tgt)
            e_li(c, T1, x->tgt);
    } else {
        v = src(c, k, 1);
    }
    e_store(c, x->sz, v, rb, off);
}

/* atomics: atomic_rmw's read-modify-write sequence (AMO or LR/SC when
 * aligned with the A extension, else interrupts masked) at [T0] */
static void sel_atomic(cg *c, uint32_t k, const fc_ir_insn *x)
{
    const uint16_t *l = c->ra->loc[k];
    unsigned base = src(c, k, 0), w8 = x->sz == 8;
    int cmpx = x->cc == FC_ATOMIC_CMPXCHG;

    c->pool_lim = 2;                    /* s10 and ra are the sequence's */
    count_access(c, x);
    if (rv_imm12_ok(x->imm)) {
        e_addi(c, T0, base, x->imm);
    } else {
        e_li(c, T0, (uint32_t)x->imm);
        e_rrr(c, A_ADD, T0, T0, base);
    }
    c->pool_used = 0;                   /* the base is read */
    /* The value and compare operands: the sequence takes t0-t3, s10 and ra
     * (the 64-bit one loads the old value into t1:t3 before it reads them),
     * so those in spill slots go through a0-a7 registers no operand of the
     * op names, saved below the spill area around it (slot offsets + 16) */
    unsigned r[4], nsv = 0, sv[4];
    uint32_t busy = 0;
    for (unsigned j = 0; j < 7; j++)
        if (FC_RA_IS_REG(l[j]))
            busy |= 1u << (l[j] - 1u);
    for (unsigned j = 0; j < 4; j++) {
        int used = j == 0 || (j == 1 && w8) || (j == 2 && cmpx) || (j == 3 && cmpx && w8);
        uint16_t lj = l[3 + j];
        r[j] = ZERO;
        if (!used)
            continue;
        if (!FC_RA_IS_SLOT(lj)) {
            r[j] = in_reg(c, lj);
            continue;
        }
        unsigned a = RV_A0;
        while (busy >> a & 1u)
            a++;
        busy |= 1u << a;
        if (!nsv)
            e_addi(c, RV_SP, RV_SP, -16);
        e_sw(c, a, RV_SP, (int32_t)(4 * nsv));
        e_lw(c, a, RV_SP, soff(c, lj) + 16);
        sv[nsv++] = a;
        r[j] = a;
    }
    atomic_rmw(c, x->sz, (int32_t)x->cc, r[0], r[1], r[2], r[3]);
    for (unsigned i = 0; i < nsv; i++)
        e_lw(c, sv[i], RV_SP, (int32_t)(4 * i));
    if (nsv)
        e_addi(c, RV_SP, RV_SP, 16);
    st_from(c, l[0], T1);
    if (w8)
        st_from(c, l[1], T3);
}

/* ---- control ------------------------------------------------------------------------ */

/* Block t is a deferred edge block (budget, then a jump: the taken edge of
 * a backward conditional jump) that nothing falls into: every branch to it
 * takes its two ops in line instead, behind the inverted condition (no
 * extra jump), and the block itself is not
 * emitted. */
static int edge_shape(const cg *c, uint32_t t)
{
    const fc_ir *ir = c->irp;
    const fc_ir_block *b = &ir->blk[t];
    if (t == 0 || t >= ir->nblk || b->end - b->start != 2 || ir->ins[b->start].op != FC_IR_BUDGET ||
        ir->ins[b->start + 1].op != FC_IR_JMP)
        return 0;
    const fc_ir_block *pb = &ir->blk[t - 1];
    if (pb->end == pb->start)
        return 0;
    unsigned lop = ir->ins[pb->end - 1].op;
    return lop == FC_IR_JMP || lop == FC_IR_EXIT || lop == FC_IR_ERR;
}

/* ... and its jump's target is emitted (not such a block itself: `l: ja l`
 * alone after a jump has the same shape, and its target must be bound) */
static int is_edge(const cg *c, uint32_t t)
{
    return edge_shape(c, t) && !edge_shape(c, c->irp->ins[c->irp->blk[t].start + 1].tgt);
}

/* the two ops of edge block t in line */
static void inline_edge(cg *c, uint32_t t)
{
    const fc_ir_insn *bu = &c->irp->ins[c->irp->blk[t].start];
    uint32_t cur = c->em.cur;
    c->em.cur = bu->insn;               /* the budget error reports its jump */
    budget(c);
    jmp(c, blk_lab(c, bu[1].tgt));
    c->em.cur = cur;
}

/*
 * A range guard (fc_ir_opt): to block tgt unless the sz bytes at {lo, hi} +
 * imm lie inside the span of the region the first check's access expects:
 * the fast test of mem_check without its slow path (a range that fails it
 * takes the copy of the block that keeps every check).
 */
static void sel_guard(cg *c, uint32_t k, const fc_ir_insn *x)
{
    const fc_insn_info *inf = c->in.info ? &c->in.info[x->insn] : NULL;
    unsigned hint = inf ? inf->region_hint : 0xffu;
    unsigned lk = x->sz == 8 ? 3u : x->sz == 4 ? 2u : x->sz == 2 ? 1u : 0u;
    uint32_t fail = blk_lab(c, x->tgt);
    unsigned blo = src(c, k, 0), bhi = src(c, k, 1);

    if (hint == 0xffu)
        hint = x->s[0] == FC_IR_FP ? FC_REGION_STACK : FC_REGION_CTX;
    mem_fast(c, blo, bhi, x->imm, lk, x->cc, hint, fail, fail, fail);
}

/* if a cond b goto block t */
static void branch_to(cg *c, enum rv_cond cc, unsigned a, unsigned b, uint32_t t)
{
    if (!is_edge(c, t)) {
        br(c, cc, a, b, blk_lab(c, t));
        return;
    }
    uint32_t skip = newlab(c);
    br(c, rv_cond_invert(cc), a, b, skip);
    inline_edge(c, t);
    bind(c, skip);
}

static void sel_br(cg *c, uint32_t k, const fc_ir_insn *x)
{
    int kf = (x->fl & FC_IR_K) != 0, swap;
    uint32_t L = x->tgt;
    unsigned jop = (unsigned)x->cc << 4;
    unsigned a = src(c, k, 0), b;
    uint32_t kv = (uint32_t)x->imm;

    if (jop == FC_JMP_JSET) {
        if (kf)
            e_rri(c, A_AND, T0, a, kv, T0);
        else
            e_rrr(c, A_AND, T0, a, src(c, k, 1));
        branch_to(c, RV_BNE, T0, ZERO, L);
        return;
    }
    if (kf) {
        b = kv ? T1 : ZERO;
        if (kv)
            e_li(c, T1, kv);
    } else {
        b = src(c, k, 1);
    }
    enum rv_cond cc = cond_of(jop, 0, &swap);
    if (swap)
        branch_to(c, cc, b, a, L);
    else
        branch_to(c, cc, a, b, L);
}

static void sel_br64(cg *c, uint32_t k, const fc_ir_insn *x)
{
    int kf = (x->fl & FC_IR_K) != 0, swap;
    uint32_t L = x->tgt;
    unsigned jop = (unsigned)x->cc << 4;
    unsigned xl = src(c, k, 0), xh = src(c, k, 1), yl, yh;
    uint64_t kv = (uint64_t)(int64_t)x->imm;
    uint32_t kl = (uint32_t)kv, kh = (uint32_t)(kv >> 32);

    if (jop == FC_JMP_JSET) {
        if (kf) {
            e_rri(c, A_AND, T0, xl, kl, T0);
            e_rri(c, A_AND, T1, xh, kh, T1);
        } else {
            e_rrr(c, A_AND, T0, xl, src(c, k, 2));
            e_rrr(c, A_AND, T1, xh, src(c, k, 3));
        }
        e_rrr(c, A_OR, T0, T0, T1);
        branch_to(c, RV_BNE, T0, ZERO, L);
        return;
    }
    if (kf) {
        yl = kl ? T1 : ZERO;
        if (kl)
            e_li(c, T1, kl);
        yh = kh == 0 ? ZERO : kh == kl ? T1 : T2;
        if (yh == T2)
            e_li(c, T2, kh);
    } else {
        yl = src(c, k, 2);
        yh = src(c, k, 3);
    }
    if (xh == ZERO && yh == ZERO && !(c->in.flags & FC_BK_NO_OPT)) {
        /* both < 2^32: one branch on the lo halves, signed orders unsigned */
        enum rv_cond cc = cond_of(jop, 1, &swap);
        if (swap)
            branch_to(c, cc, yl, xl, L);
        else
            branch_to(c, cc, xl, yl, L);
        return;
    }
    uint32_t fl = newlab(c);
    if (is_edge(c, L)) {
        /* fall through into the edge's ops when true */
        uint32_t in = newlab(c);
        cond64(c, jop, xl, xh, yl, yh, in, fl, 1);
        bind(c, in);
        inline_edge(c, L);
    } else {
        cond64(c, jop, xl, xh, yl, yh, blk_lab(c, L), fl, 0);
    }
    bind(c, fl);
}

/* helper call through the trampoline (runtime/fc_native.h): r1..r5 into
 * env->regs, fc_native_helper(env, id, fb); 0 or the error code; the result
 * (and r1..r5, kept there) come back from env->regs */
static void sel_callh(cg *c, uint32_t k, const fc_ir_insn *x)
{
    const fc_ra_map *m = &c->ra->maps[c->ra->map[k]];
    const uint16_t *l = c->ra->loc[k];

    if (x->op == FC_IR_CALLX && l[3] != FC_RA_ZERO) {   /* ids above 2^32: unknown */
        unsigned h = src(c, k, 1);
        br(c, RV_BNE, h, ZERO, err_lab(c, FC_ERR_HELPER_UNKNOWN));
        c->pool_used = 0;
    }
    for (unsigned r = 1; r <= 5; r++)
        for (unsigned h = 0; h < 2; h++) {
            uint16_t ll = (h && (x->cc >> r & 1u)) ? FC_RA_ZERO : m->use[h ? FC_IR_HI(r) : FC_IR_LO(r)];
            if (ll == FC_RA_NONE)
                continue;       /* not live: env keeps what it has */
            e_sw(c, in_reg(c, ll), ENV, slot(r, h));
            c->pool_used = 0;
        }
    if (x->op == FC_IR_CALLX)
        ld_into(c, RV_A1, l[2]);        /* before a0 and a2 change */
    else
        e_li(c, RV_A1, x->tgt);
    e_addi(c, RV_A2, FP, -(int32_t)FC_STACK_SIZE);
    e_mv(c, RV_A0, ENV);
    call_sym(c, FC_SYM_HELPER);
    {
        uint32_t e = newlab(c);
        addstub(c, ST_HELPERR, e);
        br(c, RV_BNE, RV_A0, ZERO, e);
    }
    for (unsigned h = 0; h < 2; h++) {
        uint16_t ll = l[h];
        if (FC_RA_IS_REG(ll)) {
            e_lw(c, ll - 1u, ENV, slot(0, h));
        } else if (FC_RA_IS_SLOT(ll)) {
            e_lw(c, T0, ENV, slot(0, h));
            e_sw(c, T0, RV_SP, soff(c, ll));
        }
    }
    for (unsigned v = FC_IR_LO(1); v <= FC_IR_HI(5); v++) {
        uint16_t ll = m->def[v];
        unsigned r = (v - 1u) / 2u, h = (v - 1u) % 2u;
        if (FC_RA_IS_REG(ll)) {
            e_lw(c, ll - 1u, ENV, slot(r, h));
        } else if (FC_RA_IS_SLOT(ll)) {
            e_lw(c, T0, ENV, slot(r, h));
            e_sw(c, T0, RV_SP, soff(c, ll));
        }
    }
}

/* env->regs offset of vreg v (the halves of r0..r9) */
static int32_t vslot(unsigned v) { return slot((v - 1u) / 2u, (v - 1u) % 2u); }

/* env->regs[v] = the value at location l, for each v of mask (r0..r9) */
static void to_env(cg *c, uint32_t mask, const uint16_t *loc)
{
    for (unsigned v = FC_IR_LO(0); v <= FC_IR_HI(9); v++)
        if (mask >> v & 1u) {
            e_sw(c, in_reg(c, loc[v]), ENV, vslot(v));
            c->pool_used = 0;
        }
}

/* the location loc[v] = env->regs[v], for each v of mask */
static void from_env(cg *c, uint32_t mask, const uint16_t *loc)
{
    for (unsigned v = FC_IR_LO(0); v <= FC_IR_HI(9); v++) {
        uint16_t l = loc[v];
        if (!(mask >> v & 1u))
            continue;
        if (FC_RA_IS_REG(l)) {
            e_lw(c, l - 1u, ENV, vslot(v));
        } else if (FC_RA_IS_SLOT(l)) {
            e_lw(c, T0, ENV, vslot(v));
            e_sw(c, T0, RV_SP, soff(c, l));
        }
    }
}

/*
 * A local call: depth (the callee's frame base r10 - 1024 >= stack_floor)
 * and one unit of budget, as the interpreter; the values the callee's entry
 * reads go through env->regs (the caller's locations and the callee's are
 * unrelated: no parallel move needed), the s2..s9 the program allocates and
 * the return address into a 48-byte machine frame,
 * a new 512-byte eBPF frame; back from the callee, r0..r5 come from env->regs.
 */
static void sel_call(cg *c, uint32_t k, const fc_ir_insn *x)
{
    const fc_ra_map *m = &c->ra->maps[c->ra->map[k]];
    uint32_t g = x->tgt, ret, at;

    e_addi(c, T0, FP, -2 * (int32_t)FC_STACK_SIZE);
    e_lw(c, T1, ENV, FC_NENV_STACK_FLOOR);
    br(c, RV_BLTU, T0, T1, err_lab(c, FC_ERR_CALL_DEPTH));
    budget(c);
    to_env(c, c->ra->entry_live[g], m->use);
    e_addi(c, RV_SP, RV_SP, -(int32_t)CALL_FRAME);
    for (unsigned j = 2; j < 10; j++)
        if (c->smask >> j & 1u)
            e_sw(c, sreg(j), RV_SP, (int32_t)(4 * (j - 2)));
    ret = newlab(c);
    at = c->em.pos;
    put(c, rv_auipc(T0, 0));
    put(c, rv_addi(T0, T0, (int32_t)(c->em.lab[ret] - at)));
    e_sw(c, T0, RV_SP, CALL_RET_OFF);
    e_addi(c, FP, FP, -(int32_t)FC_STACK_SIZE);
    jmp(c, c->flab + g);
    bind(c, ret);
    e_addi(c, FP, FP, (int32_t)FC_STACK_SIZE);
    for (unsigned j = 2; j < 10; j++)
        if (c->smask >> j & 1u)
            e_lw(c, sreg(j), RV_SP, (int32_t)(4 * (j - 2)));
    e_addi(c, RV_SP, RV_SP, (int32_t)CALL_FRAME);
    from_env(c, 0x1ffeu, m->def);       /* r0..r5 */
}

/* a function's entry sequence (the target of its calls, and of the
 * prologues but one entry's at slot 0): its spill area, then its live-in
 * vregs from env->regs (at the start of a run: the initial registers) */
static void callee_entry(cg *c, uint32_t f)
{
    if (c->spill)
        e_addi(c, RV_SP, RV_SP, -(int32_t)c->spill);
    from_env(c, c->ra->entry_live[f], c->ra->entry[f]);
}

/* return from the entry function: r0 into env->regs, the spill area off,
 * the shared exit; from a callee: what its callers read back into
 * env->regs, then to the return address of the call frame */
static void sel_exit(cg *c, uint32_t k, uint32_t f)
{
    const fc_ra_map *m = &c->ra->maps[c->ra->map[k]];
    int top = fc_ir_is_entry(c->irp, f), callee = !top || c->called[f];
    if (callee) {
        uint32_t at_top = 0;
        if (top) {      /* below the entry frame: return to the caller */
            at_top = newlab(c);
            e_lw(c, T0, ENV, slot(10, 0));
            br(c, RV_BEQ, FP, T0, at_top);
        }
        to_env(c, c->ra->ret_live[f], m->use);
        if (c->spill)
            e_addi(c, RV_SP, RV_SP, (int32_t)c->spill);
        e_lw(c, T0, RV_SP, CALL_RET_OFF);
        put(c, c->rvc ? rv_c_jr(T0) : rv_jalr(ZERO, T0, 0));
        if (!top)
            return;
        bind(c, at_top);
    }
    for (unsigned h = 0; h < 2; h++) {
        e_sw(c, in_reg(c, m->use[h ? FC_IR_HI(0) : FC_IR_LO(0)]), ENV, slot(0, h));
        c->pool_used = 0;
    }
    if (c->spill)
        e_addi(c, RV_SP, RV_SP, (int32_t)c->spill);
    e_li(c, RV_A0, FC_OK);
    jmp(c, L_fixed(c, FL_EXIT));
}

static void sel(cg *c, uint32_t k, uint32_t b, uint32_t f)
{
    const fc_ir_insn *x = &c->irp->ins[k];

    c->pool_used = 0;
    c->pool_lim = 4;
    c->cur_k = k;
    c->nborrow = 0;
    switch (x->op) {
    case FC_IR_NOP:
        break;
    case FC_IR_MOV: case FC_IR_MOVI: case FC_IR_ADD: case FC_IR_SUB: case FC_IR_MUL: case FC_IR_AND:
    case FC_IR_OR: case FC_IR_XOR: case FC_IR_LSH: case FC_IR_RSH: case FC_IR_ARSH: case FC_IR_DIVU:
    case FC_IR_MODU: case FC_IR_DIVS: case FC_IR_MODS: case FC_IR_NEG: case FC_IR_SEXT8:
    case FC_IR_SEXT16: case FC_IR_ZEXT16: case FC_IR_BSWAP16: case FC_IR_BSWAP32:
        sel_alu32(c, k, x);
        break;
    case FC_IR_ADD64: case FC_IR_SUB64: case FC_IR_MUL64: case FC_IR_DIVU64: case FC_IR_MODU64:
    case FC_IR_DIVS64: case FC_IR_MODS64: case FC_IR_LSH64: case FC_IR_RSH64: case FC_IR_ARSH64:
    case FC_IR_NEG64: case FC_IR_BSWAP64:
        sel_alu64(c, k, x);
        give_back(c);
        break;
    case FC_IR_CHECK:
        c->pool_lim = 2;                /* the check's sequence uses s10 and ra */
        /* fall through */
    case FC_IR_LD: case FC_IR_ST:
        sel_mem(c, k, x);
        break;
    case FC_IR_GUARD:
        c->pool_lim = 2;                /* the guard's sequence uses s10 */
        sel_guard(c, k, x);
        break;
    case FC_IR_SECADDR: {
        unsigned d = dst(c, k, 0, 0);
        if (d == ZERO)
            break;
        /* LUI + ADDI, both 32-bit: the loader patches them in place */
        reloc(c, FC_RELOC_RV_HI20_LO12, fc_em_section_sym((int32_t)x->tgt), x->imm);
        put(c, rv_lui(d, 0));
        put(c, rv_addi(d, d, 0));
        wb(c, k, 0, d);
        break;
    }
    case FC_IR_ATOMIC:
        sel_atomic(c, k, x);
        break;
    case FC_IR_BR:
        sel_br(c, k, x);
        break;
    case FC_IR_BR64:
        sel_br64(c, k, x);
        break;
    case FC_IR_JMP:
        if (is_edge(c, x->tgt))
            inline_edge(c, x->tgt);
        else if (x->tgt != b + 1)       /* the next block: fall through */
            jmp(c, blk_lab(c, x->tgt));
        break;
    case FC_IR_BUDGET:
        budget(c);
        break;
    case FC_IR_CALLH: case FC_IR_CALLX:
        sel_callh(c, k, x);
        break;
    case FC_IR_EXIT:
        sel_exit(c, k, f);
        break;
    case FC_IR_CALL:
        sel_call(c, k, x);
        break;
    case FC_IR_ERR:
        e_li(c, RV_A1, x->insn);
        e_li(c, RV_A0, (uint32_t)x->imm);
        jmp(c, L_fixed(c, FL_ERR));
        break;
    default:
        c->refuse = 1;
        break;
    }
}

/* ---- prologue and the pass ------------------------------------------------------------ */

static void ir_prologue(struct fc_cg *c, uint32_t at)
{
    uint32_t f = fn_at(c->irp, at);
    c->em.cur = at;
    frame_enter(c);
    if (c->in.nentries > 1 || f != 0) {
        jmp(c, c->flab + f);            /* its entry sequence */
        return;
    }
    if (c->called[0])
        return;                         /* falls into function 0's entry sequence */
    c->spill = spill_of(c->ra, 0);
    if (c->spill)
        e_addi(c, RV_SP, RV_SP, -(int32_t)c->spill);
    /* the entry's live-in vregs: r1 = context, r2 = its length (lo and hi
     * from env->regs), the others start at 0 */
    for (unsigned v = 1; v < FC_IR_NVREG; v++) {
        if (v == FC_IR_FP || !(c->ra->entry_live[0] >> v & 1u))
            continue;
        uint16_t l = c->ra->entry[0][v];
        int from_env = v >= FC_IR_LO(1) && v <= FC_IR_HI(2);
        unsigned r = FC_RA_IS_REG(l) ? l - 1u : T0;
        if (!FC_RA_IS_REG(l) && !FC_RA_IS_SLOT(l))
            continue;
        if (from_env)
            e_lw(c, r, ENV, slot((v - 1u) / 2u, (v - 1u) % 2u));
        else if (FC_RA_IS_REG(l))
            e_li(c, r, 0);
        else
            r = ZERO;
        if (FC_RA_IS_SLOT(l))
            e_sw(c, r, RV_SP, soff(c, l));
    }
}

static void ir_pass(void *ctx)
{
    cg *c = ctx;
    const fc_ir *ir = c->irp;

    fc_em_begin(&c->em);
    c->div_used = 0;
    c->last_chk = 0xffffffffu;
    c->blab = c->em.nlab;
    for (uint32_t b = 0; b < ir->nblk; b++)
        newlab(c);
    c->flab = c->em.nlab;
    for (uint32_t f = 0; f < ir->nfn; f++)
        newlab(c);
    fc_em_entries(&c->em, &c->in, ir_prologue, c);
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const fc_ir_func *fn = &ir->fn[f];
        c->spill = spill_of(c->ra, f);
        if (f || c->called[0] || c->in.nentries > 1 || c->in.entries[0] != 0) {
            c->em.cur = fn->start;
            mapto(c, fn->start);
            bind(c, c->flab + f);
            callee_entry(c, f);
        }
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            if (is_edge(c, b))
                continue;               /* in line at every branch to it */
            bind(c, blk_lab(c, b));
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                c->em.cur = ir->ins[k].insn;
                mapto(c, ir->ins[k].insn);
                sel(c, k, b, f);
            }
        }
    }
    for (uint32_t k = 0; k < c->em.nst; k++)
        emit_stub(c, &c->em.st[k]);
    shared(c);
}

static unsigned rv_size_cb(uint32_t enc) { return rv_size(enc); }
static void rv_put_cb(uint8_t *at, uint32_t enc) { rv_put(at, enc); }
static const fc_em_target rv_target = {RV_BAD, rv_size_cb, rv_put_cb, rv_validate};
/* With the C extension every instruction goes out through the compressor
 * (rv_enc.h's rv_compress): the one place the selector's 32-bit encodings
 * get their 16-bit twins. Sizing and writing both see the compressed form,
 * so the emission layer's passes stay consistent. */
static unsigned rvc_size_cb(uint32_t enc) { return rv_size(rv_compress(enc)); }
static void rvc_put_cb(uint8_t *at, uint32_t enc) { rv_put(at, rv_compress(enc)); }
static const fc_em_target rvc_target = {RV_BAD, rvc_size_cb, rvc_put_cb, rv_validate};

/* callee-saved registers s2..s9 some location names */
static uint16_t sregs_of(const fc_ir *ir, const fc_ra *ra)
{
    uint32_t regs = 0;
    for (uint32_t k = 0; k < ir->nins; k++)
        for (unsigned j = 0; j < 7; j++)
            if (FC_RA_IS_REG(ra->loc[k][j]))
                regs |= 1u << (ra->loc[k][j] - 1u);
    for (uint32_t m = 0; m < ra->nmaps; m++)
        for (unsigned v = 0; v < FC_IR_NVREG; v++) {
            if (FC_RA_IS_REG(ra->maps[m].use[v]))
                regs |= 1u << (ra->maps[m].use[v] - 1u);
            if (FC_RA_IS_REG(ra->maps[m].def[v]))
                regs |= 1u << (ra->maps[m].def[v] - 1u);
        }
    for (uint32_t f = 0; f < ir->nfn; f++)
        for (unsigned v = 0; v < FC_IR_NVREG; v++)
            if (FC_RA_IS_REG(ra->entry[f][v]))
                regs |= 1u << (ra->entry[f][v] - 1u);
    uint16_t m = 0;
    for (unsigned k = 2; k < 10; k++)       /* s2..s9 are x18..x25 */
        if (regs >> (RV_S2 + (k - 2)) & 1u)
            m |= (uint16_t)(1u << k);
    return m;
}

static int compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts,
                   void *work, size_t work_len, fc_bk_out *out, fc_diags *diags, int rvc, int amo)
{
    cg cc, *c = &cc;
    fc_ir ir;
    fc_ra ra;
    uint8_t *w = work, *wend = (uint8_t *)work + work_len;
    uint32_t one_entry = 0, n, lf = 0;
    int32_t at;

    for (size_t i = 0; i < sizeof cc; i++)
        ((uint8_t *)c)[i] = 0;
    c->rvc = rvc;
    c->amo = amo;
    c->name = !amo ? "rv32imc" : rvc ? "rv32imac" : "rv32ima";
    int r0 = fc_em_start(&c->in, c->name, p, info, opts, &one_entry, work, work_len,
                         rv_isel_work_size(p), out, diags);
    if (r0 != FC_BK_OK)
        return r0;
    n = p->ninsns;

    if (c->in.flags & FC_BK_CHECK_ALL)
        lf |= FC_IR_CHECK_ALL;
    if (c->in.flags & FC_BK_NO_FACTS)
        lf |= FC_IR_NO_FACTS;
    if (c->in.flags & FC_BK_NO_OPT)
        lf |= FC_IR_NO_HIOPT;
    size_t wir = fc_ir_workspace_size(n), wra = fc_ra_workspace_size(n);
    if (fc_ir_lower_entries(p, info, lf, c->in.entries, c->in.nentries, w, wir, &ir) != FC_IR_OK)
        return fc_em_refuse(diags, c->name, -1, "the lowering refused the program");
    if (!(c->in.flags & FC_BK_NO_OPT)) {
        fc_ir_promote(&ir, FC_IR_PROMOTE_MAX, fc_ra_navail(&fc_ra_target_rv32));  /* stack words reloaded: from temporaries */
        fc_ir_copyprop(&ir);              /* movs folded into their readers */
        fc_ir_opt(&ir);                 /* checks of one base merged under a range guard */
    }
    w += wir;
    if (fc_ra_run(&ir, &fc_ra_target_rv32, w, wra, &ra) != FC_RA_OK)
        return fc_em_refuse(diags, c->name, -1, "the register allocation refused the program");
    w += wra;
    c->irp = &ir;
    c->ra = &ra;

    uint8_t *called = w;
    w += (size_t)n + 16u;
    if (ir.nfn > n + 1u || w > wend)
        return FC_BK_EWORK;
    for (uint32_t f = 0; f < ir.nfn; f++)
        called[f] = 0;
    for (uint32_t k = 0; k < ir.nins; k++) {
        unsigned op = ir.ins[k].op;
        /* a call of no function (the lowering names function 0 for it) */
        if (op == FC_IR_CALL && (ir.ins[k].tgt >= ir.nfn || ir.fn[ir.ins[k].tgt].start != (uint32_t)ir.ins[k].imm))
            return fc_em_refuse(diags, c->name, -1, "a local call of no function");
        if (op == FC_IR_CALL)
            called[ir.ins[k].tgt] = 1;
        if (op == FC_IR_BUDGET || op == FC_IR_CALL)
            c->has_back = 1;
    }
    c->called = called;
    /* the machine stack (two rows per function from the workspace the
     * emission tables take below) */
    {
        uint32_t *tmp = (uint32_t *)(((uintptr_t)w + 3u) & ~(uintptr_t)3u);
        if ((uint8_t *)tmp > wend || (size_t)(wend - (uint8_t *)tmp) < 8u * (size_t)ir.nfn)
            return FC_BK_EWORK;
        if (mstack_need(&ir, &ra, tmp) > MSTACK_CODE_MAX)
            return fc_em_refuse(diags, c->name, -1, "spill areas too large for the machine stack");
    }
    /* s0 env, s10 scratch, s11 fp; s1 budget; s2..s9 as allocated */
    c->smask = (uint16_t)(1u | 1u << 10 | 1u << 11 | (c->has_back ? 2u : 0u) | sregs_of(&ir, &ra));

    if (fc_em_setup(&c->em, rvc ? &rvc_target : &rv_target, &ir_sizes, n, &w, wend))
        return FC_BK_EWORK;
    {
        const char *msg = "";
        int r = fc_em_run(&c->em, ir_pass, c, MAX_PASSES, out, &msg, &at);
        if (c->refuse)
            return fc_em_refuse(diags, c->name, -1, "spilled operands beyond the scratch pool");
        if (r == FC_BK_EINTERNAL && diags)
            fc_diag_add(diags, FC_SEV_ERROR, at, "%s: %s", c->name, msg);
        out->mregs = ra.webs_reg;
        return r;
    }
}

/* ========================================================================
 * The backends
 * ===================================================================== */

static int rv32imac_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts,
                            void *work, size_t work_len, fc_bk_out *out, fc_diags *diags)
{
    return compile(p, info, opts, work, work_len, out, diags, 1, 1);
}

static int rv32ima_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts,
                           void *work, size_t work_len, fc_bk_out *out, fc_diags *diags)
{
    return compile(p, info, opts, work, work_len, out, diags, 0, 1);
}

static int rv32imc_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts,
                           void *work, size_t work_len, fc_bk_out *out, fc_diags *diags)
{
    return compile(p, info, opts, work, work_len, out, diags, 1, 0);
}

unsigned rv_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

const fc_backend fc_backend_rv32imac = {
    "rv32imac",
    FC_TARGET_RV32IMAC,
    "RV32IMAC, ILP32 (SiFive E31/E20 class), compressed instructions",
    "riscv32",
    2,
    rv_isel_work_size,
    rv32imac_compile,
    rv_disasm,
};

/* The same code generator without the C extension: for RV32IMA cores, and
 * to test both encodings of every sequence. */
const fc_backend fc_backend_rv32ima = {
    "rv32ima",
    FC_TARGET_RV32IMAC,
    "RV32IMA, ILP32: as rv32imac without compressed instructions",
    "riscv32",
    4,
    rv_isel_work_size,
    rv32ima_compile,
    rv_disasm,
};

/* Without the A extension (RV32IMC cores: no AMO, no LR/SC): atomics with
 * interrupts masked; femtoc marks its code M | C, no A (docs/fcx.md). */
const fc_backend fc_backend_rv32imc = {
    "rv32imc",
    FC_TARGET_RV32IMAC,
    "RV32IMC, ILP32: as rv32imac without the A extension (atomics with interrupts masked)",
    "riscv32",
    2,
    rv_isel_work_size,
    rv32imc_compile,
    rv_disasm,
};
