/*
 * fc_lower.c - verified eBPF -> the 32-bit IR (fc_ir.h).
 *
 * One pass per function over the eBPF instructions, after the one hi-half
 * analysis (fc_hihalf.h): known zero before each slot (hin, with the
 * verifier's hi_zero facts unless FC_IR_NO_FACTS) and live after each slot
 * (lout, with use/def sets that are exactly the hi vregs this file reads,
 * given which results are dead). Branch targets are eBPF slots while
 * lowering and become block numbers at the end.
 */
#include "fc_ir.h"
#include "fc_emit.h"
#include "fc_hihalf.h"
#include "fc_isa.h"
#include "fc_vm.h"              /* FC_MAX_CALL_DEPTH */

#define EDGE_BIT 0x80000000u     /* tgt while lowering: a deferred edge block */
#define LEADER   1u
#define FSTART   2u

typedef struct lw {
    const fc_insn *ins;
    uint32_t n;
    const fc_insn_info *info;
    uint32_t flags;
    uint8_t *opid;
    uint16_t *hin, *lout;
    uint32_t *mark;          /* LEADER/FSTART while planning; then block of a leader slot */
    uint32_t *pend;          /* deferred edges: {jump slot, target slot} */
    uint32_t npend, pendcap;
    fc_hh h;
    fc_ir *ir;
    uint32_t cur;
    uint16_t kzo;            /* hi halves known zero after cur */
    int overflow;
    fc_ir_insn scratch;
} lw;

size_t fc_ir_workspace_size(uint32_t n)
{
    return (size_t)(n + 1u) * FC_IR_BYTES_PER_INSN + FC_IR_BYTES_FIXED;
}

/* ---- the hi-half use/def sets of this lowering --------------------------- */
static int is_jump_op(unsigned op)
{
    return op >= FC_OP_JA && op < FC_OP_CALL;
}

static void usedef(const void *ctx, uint32_t i, uint16_t *use, uint16_t *def);

static int is_local_call(const lw *w, uint32_t i)
{
    return w->opid[i] == FC_OP_CALL && fc_src(w->ins[i]) == FC_CALL_LOCAL;
}

int fc_ir_is_entry(const fc_ir *ir, uint32_t f)
{
    if (f >= ir->nfn)
        return 0;
    if (!ir->entries || !ir->nentries)
        return ir->fn[f].start == 0;
    for (uint32_t e = 0; e < ir->nentries; e++)
        if (ir->entries[e] == ir->fn[f].start)
            return 1;
    return 0;
}

uint32_t fc_ir_call_chain(const fc_ir *ir, uint32_t (*frame)(const void *ctx, uint32_t f), const void *ctx,
                          uint32_t call_cost, uint32_t *tmp)
{
    uint32_t *prev = tmp, *cur = tmp + ir->nfn, most = 0;
    for (uint32_t f = 0; f < ir->nfn; f++)
        prev[f] = frame(ctx, f);
    for (uint32_t d = 1; d < FC_MAX_CALL_DEPTH; d++) {
        for (uint32_t f = 0; f < ir->nfn; f++) {
            const fc_ir_func *fn = &ir->fn[f];
            uint32_t deepest = 0;
            for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++)
                for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++)
                    if (ir->ins[k].op == FC_IR_CALL && ir->ins[k].tgt < ir->nfn &&
                        call_cost + prev[ir->ins[k].tgt] > deepest)
                        deepest = call_cost + prev[ir->ins[k].tgt];
            cur[f] = frame(ctx, f) + (deepest > 0x10000000u ? 0x10000000u : deepest);
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    for (uint32_t f = 0; f < ir->nfn; f++)
        if (fc_ir_is_entry(ir, f) && prev[f] > most)
            most = prev[f];
    return most;
}

/* Is slot i in an entry function (its exit ends the run: only r0 is read)?
 * The functions are in instruction order: a binary search. */
static int in_entry_fn(const lw *w, uint32_t i)
{
    const fc_ir *ir = w->ir;
    uint32_t lo = 0, hi = ir->nfn;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ir->fn[mid].start <= i)
            lo = mid;
        else
            hi = mid;
    }
    return ir->nfn && fc_ir_is_entry(ir, lo);
}

/* Hi halves a local call at slot i reads: what its callee's entry reads
 * before writing it (live in at the callee's first slot), whichever
 * registers those are. A verified callee reads r1..r5 at most, but an
 * unverified one may read r0 or r6..r9 too (the interpreter hands it the
 * caller's r0..r9). A callee starting with a local call reads what that
 * call reads plus what is live past it; the chain is followed through at
 * most nfn calls (a cycle is a recursion without end: it reads nothing
 * more before the depth error). A target outside the program, an invalid
 * slot or the second slot of an lddw faults first: nothing is read. */
static uint16_t callee_reads(const lw *w, uint32_t i)
{
    uint16_t res = 0, u, d;
    for (uint32_t k = 0; k <= w->ir->nfn; k++) {
        uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)w->ins[i].imm;
        if (t >= w->n || w->opid[t] == 0 || w->opid[t] == FC_HH_SECOND)
            break;
        if (!is_local_call(w, (uint32_t)t)) {
            usedef(w, (uint32_t)t, &u, &d);
            res |= (uint16_t)(u | (w->lout[t] & ~d));
            break;
        }
        res |= (uint16_t)(w->lout[t] & ~0x3fu);
        i = (uint32_t)t;
    }
    return (uint16_t)(res & ~FC_HH_R10);
}

static void usedef(const void *ctx, uint32_t i, uint16_t *use, uint16_t *def)
{
    const lw *w = ctx;
    const fc_insn *x = &w->ins[i];
    unsigned op = w->opid[i], cls = FC_CLASS(x->op), aop = FC_OPCODE_OP(x->op);
    uint16_t d = (uint16_t)(1u << fc_dst(*x)), s = (uint16_t)(1u << fc_src(*x));
    int live = (w->lout[i] & d) != 0, X = (x->op & FC_SRC_X) != 0;

    *use = 0;
    *def = 0;
    if (op == 0 || op == FC_HH_SECOND)
        return;
    switch (cls) {
    case FC_CLS_ALU:
        *def = d;
        if (op == FC_OP_BE64 || (op == FC_OP_LE64 && live))
            *use = d;
        if (op == FC_OP_LE64)
            *def = 0;               /* the hi half is left as it is */
        break;
    case FC_CLS_ALU64:
        *def = d;
        switch (aop) {
        case FC_ALU_MOV:
            if (op == FC_OP_MOV_X && live)
                *use = s;
            break;
        case FC_ALU_ADD: case FC_ALU_SUB: case FC_ALU_MUL: case FC_ALU_AND: case FC_ALU_OR:
        case FC_ALU_XOR:
            if (live)
                *use = (uint16_t)(d | (X ? s : 0));
            break;
        case FC_ALU_LSH: case FC_ALU_NEG:
            if (live)
                *use = d;
            break;
        case FC_ALU_RSH: case FC_ALU_ARSH:
            *use = d;
            break;
        case FC_ALU_DIV: case FC_ALU_MOD:
            *use = (uint16_t)(d | (X ? s : 0));
            break;
        case FC_ALU_END:
            if (op == FC_OP_BSWAP64)
                *use = d;
            break;
        default:
            break;
        }
        break;
    case FC_CLS_LD:
        *def = d;
        break;
    case FC_CLS_LDX:
        *use = s;       /* the check reads the base's hi half */
        *def = d;
        break;
    case FC_CLS_ST:
        *use = d;
        break;
    case FC_CLS_STX:
        *use = (uint16_t)(d | (FC_SIZE(x->op) == FC_SZ_DW ? s : 0));
        if (FC_MODE(x->op) == FC_MODE_ATOMIC) {
            int dw = FC_SIZE(x->op) == FC_SZ_DW;
            if (x->imm == FC_ATOMIC_CMPXCHG) {
                if (dw)
                    *use |= 1u;
                *def = 1u;
            } else if (x->imm & FC_ATOMIC_FETCH) {
                *def = s;
            }
        }
        break;
    case FC_CLS_JMP: case FC_CLS_JMP32:
        if (op == FC_OP_CALL && fc_src(*x) == FC_CALL_LOCAL) {
            *use = callee_reads(w, i);
            *def = 0x3f;
        } else if (op == FC_OP_CALL) {
            *use = 0x3e;
            *def = 0x01;
        } else if (op == FC_OP_CALLX) {
            *use = (uint16_t)(d | 0x3e);
            *def = 0x01;
        } else if (op == FC_OP_EXIT) {
            /* r0 is the result; a callee's r1..r5 reach its caller too */
            *use = in_entry_fn(w, i) ? 1u : 0x3fu;
        } else if (cls == FC_CLS_JMP && op != FC_OP_JA) {
            *use = (uint16_t)(d | (X ? s : 0));
        }
        break;
    default:
        break;
    }
    *use &= (uint16_t)~FC_HH_R10;
}

/* ---- emission -------------------------------------------------------------- */
static fc_ir_insn *em(lw *w, unsigned op)
{
    fc_ir *ir = w->ir;
    fc_ir_insn *x = &w->scratch;
    if (ir->nins < ir->inscap)
        x = &ir->ins[ir->nins++];
    else
        w->overflow = 1;
    x->op = (uint8_t)op;
    x->fl = 0;
    x->cc = 0;
    x->sz = 0;
    x->d[0] = x->d[1] = FC_IR_NONE;
    for (unsigned k = 0; k < 5; k++)
        x->s[k] = FC_IR_Z;
    x->pad = 0;
    x->imm = 0;
    x->tgt = 0;
    x->insn = w->cur;
    return x;
}

static void new_block(lw *w, uint32_t insn)
{
    fc_ir *ir = w->ir;
    if (ir->nblk && ir->blk[ir->nblk - 1].end == 0xffffffffu)
        ir->blk[ir->nblk - 1].end = ir->nins;
    if (ir->nblk >= ir->blkcap) {
        w->overflow = 1;
        return;
    }
    ir->blk[ir->nblk].start = ir->nins;
    ir->blk[ir->nblk].end = 0xffffffffu;
    ir->blk[ir->nblk].insn = insn;
    ir->nblk++;
}

static uint8_t L(unsigned r)
{
    return r == 10 ? FC_IR_FP : FC_IR_LO(r);
}

/* the hi half of r as a source before cur */
static uint8_t H(const lw *w, unsigned r)
{
    if (r == 10 || (w->hin[w->cur] >> r & 1u))
        return FC_IR_Z;
    return FC_IR_HI(r);
}

/* the hi half of result r, or NONE when it is dead or known zero after cur */
static uint8_t HD(lw *w, unsigned r)
{
    if ((w->lout[w->cur] >> r & 1u) && !(w->kzo >> r & 1u))
        return FC_IR_HI(r);
    w->ir->hi_skipped++;
    return FC_IR_NONE;
}

static void op2(lw *w, unsigned op, uint8_t d0, uint8_t s0, int k, uint8_t s1, int32_t imm)
{
    fc_ir_insn *x = em(w, op);
    x->d[0] = d0;
    x->s[0] = s0;
    if (k) {
        x->fl = FC_IR_K;
        x->imm = imm;
    } else {
        x->s[1] = s1;
    }
}

static void movi(lw *w, uint8_t d, int32_t imm)
{
    fc_ir_insn *x = em(w, FC_IR_MOVI);
    x->d[0] = d;
    x->imm = imm;
}

/* a 64-bit pseudo-op {L(d), hd} = {L(d), H(d)} op ({L(s), H(s)} | imm) */
static void op64(lw *w, unsigned op, unsigned d, uint8_t hd, const fc_insn *i)
{
    fc_ir_insn *x = em(w, op);
    x->d[0] = L(d);
    x->d[1] = hd;
    x->s[0] = L(d);
    /* a left shift's lo half needs no hi input: a dead result reads none */
    x->s[1] = op == FC_IR_LSH64 && hd == FC_IR_NONE ? FC_IR_Z : H(w, d);
    if (i->op & FC_SRC_X) {
        x->s[2] = L(fc_src(*i));
        x->s[3] = H(w, fc_src(*i));
    } else {
        x->fl = FC_IR_K;
        x->imm = i->imm;
    }
}

/* movi hi, 0 for every register of mask (its hi half known zero, now needed) */
static void materialise(lw *w, uint16_t mask)
{
    for (unsigned r = 0; r < 10; r++)
        if (mask >> r & 1u) {
            movi(w, FC_IR_HI(r), 0);
            w->ir->hi_fixups++;
        }
}

/* hi halves that stop being known zero on the way out of cur and are live */
static uint16_t edge_needs(lw *w)
{
    uint32_t s[2];
    uint16_t need = 0;
    unsigned k = fc_hh_succs(&w->h, w->cur, s);
    for (unsigned j = 0; j < k; j++) {
        uint16_t u, d;
        usedef(w, s[j], &u, &d);
        uint16_t livein = (uint16_t)(u | (w->lout[s[j]] & ~d));
        need |= (uint16_t)(w->kzo & ~w->hin[s[j]] & livein);
    }
    return (uint16_t)(need & 0x3ffu);
}

static void check(lw *w, unsigned r, int16_t off, unsigned n, unsigned perm)
{
    const fc_insn_info *f = w->info ? &w->info[w->cur] : NULL;
    if (!fc_em_access_checked(f, w->flags & FC_IR_CHECK_ALL ? FC_BK_CHECK_ALL : 0, r, off, n))
        return;
    fc_ir_insn *x = em(w, FC_IR_CHECK);
    x->s[0] = L(r);
    x->s[1] = H(w, r);
    x->imm = off;
    x->sz = (uint8_t)n;
    x->cc = (uint8_t)perm;
    w->ir->checks++;
}

static void ld(lw *w, uint8_t d, uint8_t base, int32_t off, unsigned n, int sx)
{
    fc_ir_insn *x = em(w, FC_IR_LD);
    x->d[0] = d;
    x->s[0] = base;
    x->imm = off;
    x->sz = (uint8_t)n;
    x->fl = sx ? FC_IR_SX : 0;
}

static void st(lw *w, uint8_t base, int32_t off, unsigned n, int k, uint8_t v, int32_t imm)
{
    fc_ir_insn *x = em(w, FC_IR_ST);
    x->s[0] = base;
    x->sz = (uint8_t)n;
    if (k) {
        x->fl = FC_IR_K;
        x->tgt = (uint32_t)imm;     /* the stored value; imm is the offset */
    } else {
        x->s[1] = v;
    }
    x->imm = off;
}

static uint32_t func_of(const lw *w, uint32_t slot)
{
    const fc_ir *ir = w->ir;
    for (uint32_t f = 0; f < ir->nfn; f++)
        if (ir->fn[f].start == slot)
            return f;
    return 0;
}

/* Targets of a taken jump in unverified code, each through an edge block of
 * its own: outside the program, where the interpreter stops with
 * FC_ERR_BAD_PROGRAM at the jump before any budget (BAD_TARGET); the second
 * slot of an lddw, which it executes: FC_ERR_BAD_INSN there, after the
 * budget of a backward jump (SECOND_AT | slot). */
#define BAD_TARGET 0xffffffffu
#define SECOND_AT 0x80000000u

static int is_second(const lw *w, uint64_t t)
{
    return t < w->n && w->opid[t] == FC_HH_SECOND;
}

/* the error of a jump to the second slot of an lddw, t */
static void second_err(lw *w, uint32_t t)
{
    fc_ir_insn *x = em(w, FC_IR_ERR);
    x->imm = 4;                 /* FC_ERR_BAD_INSN */
    x->insn = t;
}

static void branch_to(lw *w, fc_ir_insn *x, uint64_t t)
{
    if (t <= w->cur || t >= w->n || is_second(w, t)) { /* backward: a budget unit on the taken edge */
        if (w->npend < w->pendcap) {
            w->pend[2 * w->npend] = w->cur;
            w->pend[2 * w->npend + 1] = t >= w->n ? BAD_TARGET : is_second(w, t) ? SECOND_AT | (uint32_t)t
                                                                               : (uint32_t)t;
            x->tgt = EDGE_BIT | w->npend++;
        } else {
            w->overflow = 1;
        }
        return;
    }
    x->tgt = (uint32_t)t;
}

/* a result whose hi half is 0 by construction: written only when the
 * analysis does not know it (FC_IR_NO_HIOPT) and it is live */
static void zero_hi(lw *w, unsigned r)
{
    uint8_t h = HD(w, r);
    if (h != FC_IR_NONE)
        movi(w, h, 0);
}

static void lower_alu32(lw *w, const fc_insn *i, unsigned op)
{
    unsigned d = fc_dst(*i), s = fc_src(*i), aop = FC_OPCODE_OP(i->op);
    int k = !(i->op & FC_SRC_X);
    static const uint8_t map[16] = {
        [FC_ALU_ADD >> 4] = FC_IR_ADD, [FC_ALU_SUB >> 4] = FC_IR_SUB, [FC_ALU_MUL >> 4] = FC_IR_MUL,
        [FC_ALU_OR >> 4] = FC_IR_OR, [FC_ALU_AND >> 4] = FC_IR_AND, [FC_ALU_LSH >> 4] = FC_IR_LSH,
        [FC_ALU_RSH >> 4] = FC_IR_RSH, [FC_ALU_XOR >> 4] = FC_IR_XOR, [FC_ALU_ARSH >> 4] = FC_IR_ARSH,
    };
    switch (aop) {
    case FC_ALU_MOV:
        if (op == FC_OP_MOVSX8_32 || op == FC_OP_MOVSX16_32)
            op2(w, op == FC_OP_MOVSX8_32 ? FC_IR_SEXT8 : FC_IR_SEXT16, L(d), L(s), 0, 0, 0);
        else if (k)
            movi(w, L(d), i->imm);
        else
            op2(w, FC_IR_MOV, L(d), L(s), 0, 0, 0);
        break;
    case FC_ALU_DIV: case FC_ALU_MOD: {
        unsigned o = aop == FC_ALU_DIV ? (i->off ? FC_IR_DIVS : FC_IR_DIVU)
                                       : (i->off ? FC_IR_MODS : FC_IR_MODU);
        op2(w, o, L(d), L(d), k, L(s), i->imm);
        break;
    }
    case FC_ALU_NEG:
        op2(w, FC_IR_NEG, L(d), L(d), 0, 0, 0);
        break;
    case FC_ALU_END:
        if (op == FC_OP_LE16)
            op2(w, FC_IR_ZEXT16, L(d), L(d), 0, 0, 0);
        else if (op == FC_OP_BE16)
            op2(w, FC_IR_BSWAP16, L(d), L(d), 0, 0, 0);
        else if (op == FC_OP_BE32)
            op2(w, FC_IR_BSWAP32, L(d), L(d), 0, 0, 0);
        else if (op == FC_OP_BE64) {
            fc_ir_insn *x = em(w, FC_IR_BSWAP64);
            x->d[0] = L(d);
            x->d[1] = HD(w, d);
            x->s[0] = L(d);
            x->s[1] = H(w, d);
        }
        /* le32: the lo half as it is; le64: nothing at all */
        break;
    default:
        op2(w, map[aop >> 4], L(d), L(d), k, L(s), k && aop >= FC_ALU_LSH && aop != FC_ALU_XOR
                                                   ? (int32_t)((uint32_t)i->imm & 31u) : i->imm);
        break;
    }
    if (op != FC_OP_LE64 && op != FC_OP_BE64)
        zero_hi(w, d);
}

static void lower_alu64(lw *w, const fc_insn *i, unsigned op)
{
    unsigned d = fc_dst(*i), s = fc_src(*i), aop = FC_OPCODE_OP(i->op);
    int k = !(i->op & FC_SRC_X);
    int32_t ihi = i->imm < 0 ? -1 : 0;
    uint8_t hd = HD(w, d);

    switch (aop) {
    case FC_ALU_MOV:
        if (op == FC_OP_MOV_K) {
            movi(w, L(d), i->imm);
            if (hd != FC_IR_NONE)
                movi(w, hd, ihi);
        } else if (op == FC_OP_MOV_X) {
            if (d != s)
                op2(w, FC_IR_MOV, L(d), L(s), 0, 0, 0);
            if (hd != FC_IR_NONE && d != s)
                op2(w, FC_IR_MOV, hd, H(w, s), 0, 0, 0);
        } else {
            if (op == FC_OP_MOVSX32_64)
                op2(w, FC_IR_MOV, L(d), L(s), 0, 0, 0);
            else
                op2(w, op == FC_OP_MOVSX8_64 ? FC_IR_SEXT8 : FC_IR_SEXT16, L(d), L(s), 0, 0, 0);
            if (hd != FC_IR_NONE)
                op2(w, FC_IR_ARSH, hd, L(d), 1, 0, 31);
        }
        break;
    case FC_ALU_AND: case FC_ALU_OR: case FC_ALU_XOR: {
        unsigned o = aop == FC_ALU_AND ? FC_IR_AND : aop == FC_ALU_OR ? FC_IR_OR : FC_IR_XOR;
        op2(w, o, L(d), L(d), k, L(s), i->imm);
        if (hd != FC_IR_NONE)
            op2(w, o, hd, H(w, d), k, H(w, s), ihi);
        break;
    }
    case FC_ALU_ADD: case FC_ALU_SUB: case FC_ALU_MUL: {
        unsigned o32 = aop == FC_ALU_ADD ? FC_IR_ADD : aop == FC_ALU_SUB ? FC_IR_SUB : FC_IR_MUL;
        if (hd == FC_IR_NONE)
            op2(w, o32, L(d), L(d), k, L(s), i->imm);
        else
            op64(w, o32 == FC_IR_ADD ? FC_IR_ADD64 : o32 == FC_IR_SUB ? FC_IR_SUB64 : FC_IR_MUL64, d,
                 hd, i);
        break;
    }
    case FC_ALU_DIV:
        op64(w, i->off ? FC_IR_DIVS64 : FC_IR_DIVU64, d, hd, i);
        break;
    case FC_ALU_MOD:
        op64(w, i->off ? FC_IR_MODS64 : FC_IR_MODU64, d, hd, i);
        break;
    case FC_ALU_LSH: case FC_ALU_RSH: case FC_ALU_ARSH: {
        /* by an immediate of 32 or more one half moves into the other:
         * 32-bit ops (reading the old half before the other is written) */
        unsigned a = (uint32_t)i->imm & 63u;
        uint8_t lo = L(d), hi = H(w, d);
        if (k && a >= 32 && aop == FC_ALU_LSH) {
            if (hd != FC_IR_NONE)
                op2(w, a == 32 ? FC_IR_MOV : FC_IR_LSH, hd, lo, a != 32, 0, (int32_t)(a - 32));
            movi(w, lo, 0);
        } else if (k && a >= 32) {
            unsigned o = aop == FC_ALU_RSH ? FC_IR_RSH : FC_IR_ARSH;
            if (hi == FC_IR_Z)
                movi(w, lo, 0);
            else
                op2(w, a == 32 ? FC_IR_MOV : o, lo, hi, a != 32, 0, (int32_t)(a - 32));
            if (hd != FC_IR_NONE) {
                if (aop == FC_ALU_RSH || hi == FC_IR_Z)
                    movi(w, hd, 0);
                else
                    op2(w, FC_IR_ARSH, hd, hi, 1, 0, 31);
            }
        } else if (k && a < 32 && hd == FC_IR_NONE && aop == FC_ALU_LSH) {
            op2(w, FC_IR_LSH, lo, lo, 1, 0, (int32_t)a);
        } else {
            op64(w, aop == FC_ALU_LSH ? FC_IR_LSH64 : aop == FC_ALU_RSH ? FC_IR_RSH64 : FC_IR_ARSH64, d,
                 hd, i);
        }
        break;
    }
    case FC_ALU_NEG:
        if (hd == FC_IR_NONE) {
            op2(w, FC_IR_NEG, L(d), L(d), 0, 0, 0);
        } else {
            fc_ir_insn *x = em(w, FC_IR_NEG64);
            x->d[0] = L(d);
            x->d[1] = hd;
            x->s[0] = L(d);
            x->s[1] = H(w, d);
        }
        break;
    case FC_ALU_END:
        if (op == FC_OP_BSWAP16 || op == FC_OP_BSWAP32) {
            op2(w, op == FC_OP_BSWAP16 ? FC_IR_BSWAP16 : FC_IR_BSWAP32, L(d), L(d), 0, 0, 0);
            if (hd != FC_IR_NONE)
                movi(w, hd, 0);
        } else {
            fc_ir_insn *x = em(w, FC_IR_BSWAP64);
            x->d[0] = L(d);
            x->d[1] = hd;
            x->s[0] = L(d);
            x->s[1] = H(w, d);
        }
        break;
    default:
        break;
    }
}

static void lower_mem(lw *w, const fc_insn *i)
{
    unsigned d = fc_dst(*i), s = fc_src(*i), cls = FC_CLASS(i->op), n = fc_size_bytes(i->op);
    int32_t off = i->off;

    if (cls == FC_CLS_LDX) {
        check(w, s, i->off, n, 1u);
        uint8_t hd = HD(w, d);      /* narrow loads: 0 when the analysis does not know it */
        if (n == 8) {
            if (hd != FC_IR_NONE)
                ld(w, hd, L(s), off + 4, 4, 0);
            ld(w, L(d), L(s), off, 4, 0);
        } else if (FC_MODE(i->op) == FC_MODE_MEMSX) {
            ld(w, L(d), L(s), off, n, 1);
            if (hd != FC_IR_NONE)
                op2(w, FC_IR_ARSH, hd, L(d), 1, 0, 31);
        } else {
            ld(w, L(d), L(s), off, n, 0);
            if (hd != FC_IR_NONE)
                movi(w, hd, 0);
        }
        return;
    }
    if (FC_MODE(i->op) == FC_MODE_ATOMIC) {
        check(w, d, i->off, n, 3u);
        int dw = n == 8;
        fc_ir_insn *x = em(w, FC_IR_ATOMIC);
        x->s[0] = L(d);
        x->imm = off;
        x->sz = (uint8_t)n;
        x->cc = (uint8_t)i->imm;
        x->s[1] = L(s);
        x->s[2] = dw ? H(w, s) : FC_IR_Z;
        if (i->imm == FC_ATOMIC_CMPXCHG) {
            x->s[3] = L(0);
            x->s[4] = dw ? H(w, 0) : FC_IR_Z;
            x->d[0] = L(0);
            x->d[1] = dw ? HD(w, 0) : FC_IR_NONE;
            if (!dw)
                zero_hi(w, 0);
        } else if (i->imm & FC_ATOMIC_FETCH) {
            x->d[0] = L(s);
            x->d[1] = dw ? HD(w, s) : FC_IR_NONE;
            if (!dw)
                zero_hi(w, s);
        }
        return;
    }
    check(w, d, i->off, n, 2u);
    int k = cls == FC_CLS_ST;
    if (n == 8) {
        st(w, L(d), off, 4, k, L(s), i->imm);
        st(w, L(d), off + 4, 4, k, k ? FC_IR_Z : H(w, s), i->imm < 0 ? -1 : 0);
    } else {
        st(w, L(d), off, n, k, L(s), i->imm);
    }
}

static void lower_jcc(lw *w, const fc_insn *i, uint32_t t)
{
    unsigned d = fc_dst(*i), s = fc_src(*i), cc = FC_OPCODE_OP(i->op) >> 4;
    int k = !(i->op & FC_SRC_X);
    fc_ir_insn *x;

    if (FC_CLASS(i->op) == FC_CLS_JMP32) {
        x = em(w, FC_IR_BR);
        x->s[0] = L(d);
        if (k) {
            x->fl = FC_IR_K;
            x->imm = i->imm;
        } else {
            x->s[1] = L(s);
        }
    } else if (H(w, d) == FC_IR_Z && (k ? i->imm >= 0 : H(w, s) == FC_IR_Z)) {
        /* both upper halves 0: both values in [0, 2^32), the signed and the
         * unsigned 64-bit orders agree with the unsigned 32-bit one */
        static const uint8_t u[16] = {[FC_IR_SGT] = FC_IR_GT, [FC_IR_SGE] = FC_IR_GE,
                                      [FC_IR_SLT] = FC_IR_LT, [FC_IR_SLE] = FC_IR_LE};
        if (u[cc])
            cc = u[cc];
        x = em(w, FC_IR_BR);
        x->s[0] = L(d);
        if (k) {
            x->fl = FC_IR_K;
            x->imm = i->imm;
        } else {
            x->s[1] = L(s);
        }
    } else {
        x = em(w, FC_IR_BR64);
        x->s[0] = L(d);
        x->s[1] = H(w, d);
        if (k) {
            x->fl = FC_IR_K;
            x->imm = i->imm;
        } else {
            x->s[2] = L(s);
            x->s[3] = H(w, s);
        }
    }
    x->cc = (uint8_t)cc;
    branch_to(w, x, t);
}

static void lower_insn(lw *w, uint32_t idx, uint32_t fidx)
{
    const fc_insn *i = &w->ins[idx];
    unsigned op = w->opid[idx], cls = FC_CLASS(i->op);
    fc_ir_insn *x;

    w->cur = idx;
    w->kzo = fc_hh_transfer(&w->h, idx, w->hin[idx]);
    if (w->flags & FC_IR_NO_HIOPT)
        w->kzo = FC_HH_R10;
    if (op == 0) {
        x = em(w, FC_IR_ERR);
        x->imm = 4;     /* FC_ERR_BAD_INSN */
        return;
    }
    if (op == FC_OP_JA || op == FC_OP_JA32 || (is_jump_op(op) && op != FC_OP_EXIT)) {
        materialise(w, edge_needs(w));
        uint64_t t = (uint64_t)idx + 1 + (uint64_t)(int64_t)(op == FC_OP_JA32 ? i->imm : i->off);
        if (op == FC_OP_JA || op == FC_OP_JA32) {
            if (t >= w->n) {            /* outside the program: no budget first */
                x = em(w, FC_IR_ERR);
                x->imm = 10;            /* FC_ERR_BAD_PROGRAM */
                return;
            }
            if (t <= idx)
                em(w, FC_IR_BUDGET);    /* always taken: charged in line */
            if (is_second(w, t)) {
                second_err(w, (uint32_t)t);
                return;
            }
            x = em(w, FC_IR_JMP);
            x->tgt = (uint32_t)t;
        } else {
            lower_jcc(w, i, (uint32_t)t);
        }
        return;
    }
    switch (cls) {
    case FC_CLS_ALU:
        lower_alu32(w, i, op);
        break;
    case FC_CLS_ALU64:
        lower_alu64(w, i, op);
        break;
    case FC_CLS_LD: {
        unsigned d = fc_dst(*i);
        if (fc_src(*i) == FC_LDDW_SECTION) {
            x = em(w, FC_IR_SECADDR);
            x->d[0] = L(d);
            x->tgt = (uint32_t)i->imm;
            x->imm = w->ins[idx + 1].imm;
            zero_hi(w, d);
        } else {
            uint8_t hd = HD(w, d);
            movi(w, L(d), i->imm);
            if (hd != FC_IR_NONE)
                movi(w, hd, w->ins[idx + 1].imm);
        }
        break;
    }
    case FC_CLS_LDX: case FC_CLS_ST: case FC_CLS_STX:
        lower_mem(w, i);
        break;
    case FC_CLS_JMP:
        if (op == FC_OP_EXIT) {
            materialise(w, (uint16_t)(w->hin[idx] & (fc_ir_is_entry(w->ir, fidx) ? 1u : 0x3fu)));
            em(w, FC_IR_EXIT);
            return;
        }
        if (op == FC_OP_CALL && fc_src(*i) == FC_CALL_LOCAL) {
            /* the callee knows no hi half zero: the ones it reads are
             * written (callee_reads); r6..r9 come back as they went, and
             * the caller knows none of them zero after the call */
            uint64_t t64 = (uint64_t)idx + 1 + (uint64_t)(int64_t)i->imm;
            if (t64 >= w->n) {          /* outside the program: before the depth check */
                x = em(w, FC_IR_ERR);
                x->imm = 10;            /* FC_ERR_BAD_PROGRAM */
                return;
            }
            materialise(w, (uint16_t)(w->hin[idx] & (callee_reads(w, idx) | (w->lout[idx] & 0x3c0u))));
            x = em(w, FC_IR_CALL);
            uint32_t t = (uint32_t)t64;
            x->imm = (int32_t)t;
            x->tgt = func_of(w, t);
            return;
        }
        x = em(w, op == FC_OP_CALLX ? FC_IR_CALLX : FC_IR_CALLH);
        x->cc = (uint8_t)(w->hin[idx] & 0x3eu);
        x->d[0] = L(0);
        x->d[1] = HD(w, 0);
        if (op == FC_OP_CALLX) {
            x->s[0] = L(fc_dst(*i));
            x->s[1] = H(w, fc_dst(*i));
        } else {
            x->tgt = (uint32_t)i->imm;
        }
        break;
    default:
        break;
    }
    materialise(w, edge_needs(w));
}

static int ends_flow(const fc_ir *ir)
{
    if (!ir->nins || ir->blk[ir->nblk - 1].start == ir->nins)
        return 0;
    unsigned op = ir->ins[ir->nins - 1].op;
    return op == FC_IR_JMP || op == FC_IR_EXIT || op == FC_IR_ERR;
}

int fc_ir_lower(const fc_prog *p, const fc_insn_info *info, uint32_t flags, void *ws, size_t ws_len,
                fc_ir *ir)
{
    return fc_ir_lower_entries(p, info, flags, NULL, 0, ws, ws_len, ir);
}

int fc_ir_lower_entries(const fc_prog *p, const fc_insn_info *info, uint32_t flags,
                        const uint32_t *entries, uint32_t nentries, void *ws, size_t ws_len, fc_ir *ir)
{
    lw w0, *w = &w0;
    uint32_t n = p->ninsns;
    uint8_t *q = ws, *end;

    if (!p->insns || n == 0)
        return FC_IR_EPROG;
    if (!ws || ws_len < fc_ir_workspace_size(n))
        return FC_IR_EWORK;
    end = q + ws_len;
    *ir = (fc_ir){0};
    *w = (lw){0};
    w->ins = p->insns;
    w->n = n;
    w->info = flags & FC_IR_NO_FACTS ? NULL : info;
    w->flags = flags;
    w->ir = ir;
    ir->ninsns = n;
    if (entries && nentries) {
        for (uint32_t e = 0; e < nentries; e++)
            if (entries[e] >= n)
                return FC_IR_EPROG;
        ir->entries = entries;
        ir->nentries = nentries;
    }
    ir->inscap = FC_IR_INSNS_PER_INSN * (n + 1);
    ir->blkcap = 2 * (n + 1);
    ir->fncap = n + 1;
    w->pendcap = n + 1;
    ir->ins = fc_em_carve(&q, end, ir->inscap * sizeof(fc_ir_insn), 4);
    ir->blk = fc_em_carve(&q, end, ir->blkcap * sizeof(fc_ir_block), 4);
    ir->fn = fc_em_carve(&q, end, ir->fncap * sizeof(fc_ir_func), 4);
    w->pend = fc_em_carve(&q, end, 2 * w->pendcap * sizeof(uint32_t), 4);
    w->mark = fc_em_carve(&q, end, (n + 1) * sizeof(uint32_t), 4);
    w->hin = fc_em_carve(&q, end, (n + 1) * sizeof(uint16_t), 2);
    w->lout = fc_em_carve(&q, end, (n + 1) * sizeof(uint16_t), 2);
    w->opid = fc_em_carve(&q, end, n + 1, 1);
    ir->optlen = (size_t)(n + 1) * FC_IR_OPT_BYTES_PER_INSN;
    ir->optws = fc_em_carve(&q, end, ir->optlen, 4);
    if (!ir->optws || !ir->ins || !ir->blk || !ir->fn || !w->pend || !w->mark || !w->hin || !w->lout || !w->opid)
        return FC_IR_EWORK;

    /* decode; leaders and function starts */
    fc_em_decode(p->insns, n, w->opid, NULL, NULL);
    for (uint32_t i = 0; i <= n; i++)
        w->mark[i] = 0;
    w->mark[0] = LEADER | FSTART;  /* slot 0 starts a function whether or not it is an entry */
    for (uint32_t e = 0; e < ir->nentries; e++)
        w->mark[entries[e]] |= LEADER | FSTART;
    for (uint32_t i = 0; i < n; i++) {
        unsigned op = w->opid[i];
        const fc_insn *x = &p->insns[i];
        if (op == 0 || op == FC_HH_SECOND)
            continue;
        if (op == FC_OP_CALL && fc_src(*x) == FC_CALL_LOCAL) {
            uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)x->imm;
            if (t < n)
                w->mark[t] |= LEADER | FSTART;
        } else if (is_jump_op(op)) {
            uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)(op == FC_OP_JA32 ? x->imm : x->off);
            if (op != FC_OP_EXIT && t < n)
                w->mark[t] |= LEADER;
            w->mark[i + 1] |= LEADER;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (w->mark[i] & FSTART) {
            if (ir->nfn)
                ir->fn[ir->nfn - 1].end = i;
            ir->fn[ir->nfn].start = i;
            ir->fn[ir->nfn].end = n;
            ir->nfn++;
        }

    /* the one hi-half analysis */
    w->h.ins = p->insns;
    w->h.opid = w->opid;
    w->h.n = n;
    w->h.entries = ir->entries;
    w->h.nentries = ir->nentries ? ir->nentries : 1;
    w->h.info = w->info;
    if (flags & FC_IR_NO_HIOPT) {
        for (uint32_t i = 0; i <= n; i++) {
            w->hin[i] = FC_HH_R10;
            w->lout[i] = FC_HH_ALL;
        }
    } else {
        fc_hh_known_zero(&w->h, w->hin);
        fc_hh_live(&w->h, usedef, w, w->lout);
        w->hin[n] = FC_HH_R10;
        w->lout[n] = 0;
    }

    /* lower, function by function; leader slots get their block numbers */
    for (uint32_t f = 0; f < ir->nfn; f++) {
        fc_ir_func *fn = &ir->fn[f];
        fn->b0 = ir->nblk;
        w->npend = 0;
        uint32_t pend0 = 0;
        for (uint32_t i = fn->start; i < fn->end; i++) {
            if (w->opid[i] == FC_HH_SECOND) {
                w->mark[i] = 0xffffffffu;
                continue;
            }
            if (w->mark[i] & LEADER || i == fn->start) {
                new_block(w, i);
                w->mark[i] = ir->nblk - 1;
            } else {
                w->mark[i] = 0xffffffffu;
            }
            lower_insn(w, i, f);
        }
        if (!ends_flow(ir)) {       /* off the end: no verified run gets here */
            w->cur = fn->end;
            fc_ir_insn *x = em(w, FC_IR_ERR);
            x->imm = 10;  /* FC_ERR_BAD_PROGRAM */
        }
        /* the deferred edge blocks: budget, then the backward target */
        for (uint32_t k = pend0; k < w->npend; k++) {
            w->cur = w->pend[2 * k];
            new_block(w, w->cur);
            uint32_t t = w->pend[2 * k + 1];
            if (t == BAD_TARGET) {
                fc_ir_insn *x = em(w, FC_IR_ERR);
                x->imm = 10;                    /* FC_ERR_BAD_PROGRAM */
            } else if (t & SECOND_AT) {
                if ((t & ~SECOND_AT) <= w->cur)
                    em(w, FC_IR_BUDGET);
                second_err(w, t & ~SECOND_AT);
            } else {
                em(w, FC_IR_BUDGET);
                fc_ir_insn *x = em(w, FC_IR_JMP);
                x->tgt = w->pend[2 * k + 1];
            }
            w->pend[2 * k] = ir->nblk - 1;      /* now: the edge block */
        }
        if (ir->nblk)
            ir->blk[ir->nblk - 1].end = ir->nins;
        fn->nb = ir->nblk - fn->b0;
        /* this function's branch targets: slots -> blocks */
        for (uint32_t b = fn->b0; b < ir->nblk; b++)
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                fc_ir_insn *x = &ir->ins[k];
                if (x->op != FC_IR_BR && x->op != FC_IR_BR64 && x->op != FC_IR_JMP)
                    continue;
                if (x->tgt & EDGE_BIT)
                    x->tgt = w->pend[2 * (x->tgt & ~EDGE_BIT)];
                else if (x->tgt >= fn->start && x->tgt < fn->end && w->mark[x->tgt] != 0xffffffffu)
                    x->tgt = w->mark[x->tgt];
                else
                    w->overflow = 1;    /* a jump out of its function: refused by the verifier */
            }
    }
    return w->overflow ? FC_IR_EPROG : FC_IR_OK;
}
