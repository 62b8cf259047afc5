/*
 * t2_isel.c - the thumbv7m backend: the Thumb-2 instruction selector over
 * the middle end's allocated IR.
 *
 *   verified eBPF --fc_ir_lower--> IR --fc_ra_run (fc_ra_target_cm3)-->
 *   locations per operand --selection per IR instruction--> fc_emit
 *
 * The contract: the native ABI and env of runtime/fc_native.h, the error
 * exits, bounds checks, slow paths and stubs of the emission layer
 * (t2_emit.h), the budget and helper calls, pc map and relocations.
 * Machine registers:
 *
 *   r0-r8    allocatable (fc_ra_target_cm3: r0-r3 caller-saved, the rest
 *            callee-saved: a helper call or a runtime routine keeps them);
 *            r8 holds the budget counter in most programs that charge it
 *            (see t2_isel_compile), then it is not allocated
 *   r9       env (struct fc_native_env *)
 *   r10, ip, lr  scratch: operands in spill slots, immediates, addresses,
 *            the fast test of a bounds check (r10 is callee-saved, so the
 *            memcheck routine and the helper trampoline keep it anyway)
 *   r11      fb = eBPF r10 - 512; FC_IR_FP
 *            reads as fb + 512 and [fp + off] is [fb, #off + 512]
 *   sp       machine stack; below the 40 bytes the prologue pushes, the
 *            function's spill area (nslots 4-byte slots, 8-byte aligned):
 *            slot s is [sp, #4s]. Spill slots never live in the eBPF stack
 *            (that is memory the program observes)
 *
 * Every IR operation is selected. Entry points: one prologue each, branching to its entry function (fc_ir_lower_entries:
 * each entry starts a function of its own). The machine stack: the
 * prologue's 40 bytes, then along every chain of local calls (at most
 * FC_MAX_CALL_DEPTH - 1 nested, a recursion included) 32 bytes per call
 * and each function's spill area; mstack_need() computes the deepest such
 * chain, which must stay within 40 + 7 * 48 bytes so that
 * FC_NATIVE_MSTACK keeps the runtime routines' share. No program of the
 * conformance suite, the C programs or diff-random's seeds comes near it;
 * one beyond it is refused (FC_BK_EPROG, the reason in the diagnostic).
 *
 * Freestanding C99, no allocation: everything in the caller's workspace.
 */
#include "fc_backend.h"
#include "fc_vm.h"
#include "fc_ir.h"
#include "fc_regalloc.h"
#include "thumb2/t2_emit.h"

#define ENV T2_R9
#define FB T2_R11
#define S0 T2_IP
#define S1 T2_LR
#define S2 T2_R10
#define BUD T2_R8       /* the budget counter, in programs that charge it */
#define NONE FC_EM_NONE

/* per eBPF slot bounds of the emission tables (an eBPF instruction is at
 * most 16 IR instructions; each check takes 4 labels and 2 stubs) */
#define LABS_PER_INSN 16u
#define BRS_PER_INSN 24u
#define STUBS_PER_INSN 6u
#define EXTRA 64u
#define MAX_PASSES 32u
/* The machine stack: the prologue's push, a local call's push (r4-r8 or
 * r4-r7 and ip, r10, the return address and a pad) and the most the code
 * may use: the 40-byte prologue and 7 nested
 * calls of 48 bytes (FC_NATIVE_MSTACK = 640 holds that plus the runtime
 * routines' frames) */
#define PROLOGUE_PUSH 40u
#define CALL_PUSH 32u
#define MSTACK_CODE_MAX (40u + (FC_MAX_CALL_DEPTH - 1u) * 48u)

typedef struct is {
    t2_em x;
    fc_em_in in;
    fc_ir ir;
    fc_ra ra;
    uint32_t *blab;      /* label of each IR block in this pass */
    uint32_t *flab;      /* label of each function's entry sequence */
    uint32_t f;          /* function being selected */
    uint8_t *called;     /* per function: a local call targets it */
    uint32_t frame;      /* bytes of the current function's spill area */
    uint32_t k;          /* IR instruction being selected */
    uint32_t b, bend;    /* its block, the end of its function's blocks */
    uint32_t chk_insn, acc_insn, unchecked;
    uint32_t npass;      /* passes made */
    int bud;             /* the budget lives in BUD (r8, then not allocated) */
    int s0_fold;         /* a MOV folded into this instruction (mov_folds): */
    uint16_t s0_loc;     /* the location its first source is read from instead */
    int sh_fold;         /* an LSH folded into instruction sh_at (lsh_folds): */
    uint32_t sh_at, sh_t;  /* its result location sh_t there is */
    uint16_t sh_loc;     /* sh_loc LSL sh_n */
    uint8_t sh_n;
    const char *why;     /* the reason of a refusal */
} is;

static void put(is *c, uint32_t e) { t2e_put(&c->x, e); }

static void refuse(is *c, const char *why)
{
    if (!c->why)
        c->why = why;
}

static uint16_t L(const is *c, unsigned j) { return c->ra.loc[c->k][j]; }
static const fc_ir_insn *I(const is *c) { return &c->ir.ins[c->k]; }

/* ---- operands ---------------------------------------------------------------- */

static int32_t slot_off(unsigned l) { return (int32_t)(4u * (l - 0x100u)); }

/* A register holding location l: its register, or `scratch` loaded. Every
 * form keeps the flags (LDR, MOV.W #0, ADDW), so sources may be read
 * between an ADDS and its ADC. */
static unsigned rsrc(is *c, unsigned l, unsigned scratch)
{
    if (FC_RA_IS_REG(l))
        return l - 1u;
    if (FC_RA_IS_SLOT(l))
        put(c, t2_ldr_imm(scratch, T2_SP, slot_off(l)));
    else if (l == FC_RA_FP)
        put(c, t2_addw(scratch, FB, FC_STACK_SIZE));
    else    /* FC_RA_ZERO, or FC_RA_NONE: a value no result depends on (ir-diff
             * runs such reads with junk) */
        put(c, t2_mov_imm(scratch, 0));
    return scratch;
}

/* Where to compute a result in location l: its register or `scratch` (then
 * wb stores it). */
static unsigned rdst(const is *c, unsigned l, unsigned scratch)
{
    (void)c;
    return FC_RA_IS_REG(l) ? l - 1u : scratch;
}

/* The result in register r into location l (MOV and STR keep the flags). */
static void wb(is *c, unsigned l, unsigned r)
{
    if (FC_RA_IS_REG(l))
        t2e_mov_reg(&c->x, l - 1u, r);
    else if (FC_RA_IS_SLOT(l))
        put(c, t2_str_imm(r, T2_SP, slot_off(l)));
    else if (l != FC_RA_NONE)
        refuse(c, "a result without a location");
}

/* location l = constant v */
static void set_const(is *c, unsigned l, uint32_t v)
{
    unsigned d = rdst(c, l, S0);
    t2e_mov_const(&c->x, d, v);
    wb(c, l, d);
}

/* location l into register r while r0-r3 are saved at [sp, #0..15] (so a
 * value of theirs is read from there; the spill slots are 16 bytes up) */
static void arg_in(is *c, unsigned r, unsigned l)
{
    if (FC_RA_IS_REG(l) && l - 1u <= T2_R3)
        put(c, t2_ldr_imm(r, T2_SP, (int32_t)(4u * (l - 1u))));
    else if (FC_RA_IS_SLOT(l))
        put(c, t2_ldr_imm(r, T2_SP, 16 + slot_off(l)));
    else if (FC_RA_IS_REG(l))
        t2e_mov_reg(&c->x, r, l - 1u);
    else
        (void)rsrc(c, l, r);
}

/* register r into location l while r0-r3 are saved (a result for one of them
 * is written into its save slot, so the restore brings it) */
static void res_out(is *c, unsigned l, unsigned r)
{
    if (FC_RA_IS_REG(l) && l - 1u <= T2_R3)
        put(c, t2_str_imm(r, T2_SP, (int32_t)(4u * (l - 1u))));
    else if (FC_RA_IS_SLOT(l))
        put(c, t2_str_imm(r, T2_SP, 16 + slot_off(l)));
    else
        wb(c, l, r);
}

/* ---- liveness of a register --------------------------------------------------- */

/*
 * The value in register location l is read by no instruction from
 * instruction k of block b on before l is written again, on every path
 * (followed through `depth` more blocks; anything the scan does not model,
 * calls, atomics, 64-bit divisions, a path longer than that, counts as a
 * read). The allocator keeps one web per register at a time, so a register
 * written without being read holds nothing live before that write.
 */
static int dead_from(const is *c, uint32_t b, uint32_t k, uint16_t l, unsigned depth)
{
    const fc_ir_block *bl = &c->ir.blk[b];
    for (; k < bl->end; k++) {
        const fc_ir_insn *y = &c->ir.ins[k];
        const uint16_t *lc = c->ra.loc[k];
        switch (y->op) {
        case FC_IR_CALL: case FC_IR_CALLH: case FC_IR_CALLX: case FC_IR_ATOMIC:
        case FC_IR_DIVU64: case FC_IR_MODU64: case FC_IR_DIVS64: case FC_IR_MODS64:
            return 0;
        case FC_IR_ERR:
            return 1;
        case FC_IR_EXIT: {
            if (c->ra.map[k] == FC_RA_NOMAP)
                return 0;
            const fc_ra_map *m = &c->ra.maps[c->ra.map[k]];
            for (unsigned v = 0; v < FC_IR_NVREG; v++)
                if (m->use[v] == l)
                    return 0;
            return 1;
        }
        default:
            break;
        }
        for (unsigned j = 2; j < 7; j++)
            if (lc[j] == l)
                return 0;
        if (lc[0] == l || lc[1] == l)
            return 1;
    }
    if (depth == 0)
        return 0;
    const fc_ir_func *fn = &c->ir.fn[c->f];
    uint32_t bend = fn->b0 + fn->nb;
    const fc_ir_insn *z = bl->end > bl->start ? &c->ir.ins[bl->end - 1] : NULL;
    if (z && z->op == FC_IR_JMP)
        return dead_from(c, z->tgt, c->ir.blk[z->tgt].start, l, depth - 1);
    if (z && (z->op == FC_IR_BR || z->op == FC_IR_BR64 || z->op == FC_IR_GUARD) &&
        !dead_from(c, z->tgt, c->ir.blk[z->tgt].start, l, depth - 1))
        return 0;
    return b + 1 < bend && dead_from(c, b + 1, c->ir.blk[b + 1].start, l, depth - 1);
}

/* the result register l of the instruction being selected holds nothing
 * anybody reads */
static int result_dead(const is *c, uint16_t l)
{
    return FC_RA_IS_REG(l) && dead_from(c, c->b, c->k + 1, l, 4);
}

/* instruction y of the kinds lsh_folds passes over: no call, atomic or
 * runtime routine (they clobber registers beyond their results) */
static int plain_op(const fc_ir_insn *y)
{
    return y->op < FC_IR_DIVU64 || (y->op > FC_IR_MODS64 && y->op <= FC_IR_SECADDR && y->op != FC_IR_ATOMIC);
}

/*
 * `t = lsh a, #n` (a: the location it reads, a folded MOV's source) and,
 * a few instructions on in its block, the first
 * instruction that reads t, an operation that takes t as one operand
 * (add/sub/and/or/xor as the second, add/and/or/xor as either, add64 as a
 * pair t:0); nothing in between writes t or a, and nothing reads t after
 * it: the operation takes `a, lsl #n` (shifted register operand) and the
 * LSH has no code (its result register keeps a's value then, which nobody
 * reads). Returns the operation's index, 0: no fold.
 */
static uint32_t lsh_folds(const is *c, unsigned a)
{
    const fc_ir_insn *x = I(c);
    unsigned t = L(c, 0), n = (uint32_t)x->imm & 31u;
    if (!(x->fl & FC_IR_K) || n == 0 || !FC_RA_IS_REG(t))
        return 0;
    for (uint32_t k = c->k + 1; k < c->ir.blk[c->b].end && k <= c->k + 4; k++) {
        const fc_ir_insn *y = &c->ir.ins[k];
        const uint16_t *l = c->ra.loc[k];
        int reads = 0, ok = 0;
        for (unsigned j = 2; j < 7; j++)
            reads |= l[j] == t;
        if (!plain_op(y))
            return 0;
        if (!reads) {
            if (l[0] == t || l[1] == t || l[0] == a || l[1] == a)
                return 0;
            continue;
        }
        if (!(y->fl & FC_IR_K) && l[0] != FC_RA_NONE) {
            switch (y->op) {
            case FC_IR_SUB:
                ok = l[3] == t && l[2] != t;
                break;
            case FC_IR_ADD: case FC_IR_AND: case FC_IR_OR: case FC_IR_XOR:
                ok = (l[3] == t) != (l[2] == t);
                break;
            case FC_IR_ADD64:
                ok = (l[4] == t && l[5] == FC_RA_ZERO && l[2] != t && l[3] != t) ||
                     (l[2] == t && l[3] == FC_RA_ZERO && l[4] != t && l[5] != t);
                break;
            default:
                break;
            }
        }
        if (ok && (l[0] == t || l[1] == t || dead_from(c, c->b, k + 1, t, 4)))
            return k;
        return 0;
    }
    return 0;
}

static uint32_t dp_sh_enc(enum t2_dp op, unsigned s, unsigned rd, unsigned rn, unsigned rm, unsigned n)
{
    static const uint8_t opc[] = {[T2_DP_AND] = T2_OP_AND, [T2_DP_ORR] = T2_OP_ORR, [T2_DP_EOR] = T2_OP_EOR,
                                  [T2_DP_ADD] = T2_OP_ADD, [T2_DP_SUB] = T2_OP_SUB};
    return t2_dpsr_chk(opc[op], s, rd, rn, rm, T2_LSL, n);
}

/* ---- 32-bit ALU -------------------------------------------------------------- */

static enum t2_dp dp_of(unsigned op)
{
    switch (op) {
    case FC_IR_ADD: return T2_DP_ADD;
    case FC_IR_SUB: return T2_DP_SUB;
    case FC_IR_AND: return T2_DP_AND;
    case FC_IR_OR:  return T2_DP_ORR;
    default:        return T2_DP_EOR;
    }
}

/*
 * `d = mov a` right before `d = op d, b` (same register d, b not in it):
 * the op reads a instead (`add d, a, b` for `mov d, a; add d, d, b`). The
 * next instruction overwrites d, so the MOV's value is read by nobody else.
 */
static int mov_folds(const is *c)
{
    uint32_t k = c->k + 1;
    unsigned ld = L(c, 0);
    if (k >= c->ir.blk[c->b].end || !FC_RA_IS_REG(ld))
        return 0;
    const fc_ir_insn *y = &c->ir.ins[k];
    const uint16_t *l = c->ra.loc[k];
    switch (y->op) {
    case FC_IR_ADD: case FC_IR_SUB: case FC_IR_AND: case FC_IR_OR: case FC_IR_XOR:
    case FC_IR_MUL: case FC_IR_LSH: case FC_IR_RSH: case FC_IR_ARSH:
        if (!(y->fl & FC_IR_K) && l[3] == ld)
            return 0;
        break;
    case FC_IR_NEG: case FC_IR_SEXT8: case FC_IR_SEXT16: case FC_IR_ZEXT16:
    case FC_IR_BSWAP16: case FC_IR_BSWAP32:
        break;
    default:
        return 0;
    }
    return l[0] == ld && l[2] == ld;
}

static void sel_mov(is *c)
{
    unsigned ld = L(c, 0), ls = L(c, 2);
    if (ld == ls)
        return;                              /* coalesced: no code */
    if (mov_folds(c)) {
        c->s0_fold = 1;
        c->s0_loc = (uint16_t)ls;
        return;
    }
    if (FC_RA_IS_SLOT(ld) && FC_RA_IS_REG(ls)) {
        wb(c, ld, ls - 1u);
        return;
    }
    unsigned d = rdst(c, ld, S0);
    unsigned s = rsrc(c, ls, d);
    t2e_mov_reg(&c->x, d, s);
    wb(c, ld, d);
}

static void sel_divmod(is *c, unsigned d, unsigned a, unsigned lb, unsigned sgn, unsigned mod)
{
    const fc_ir_insn *x = I(c);
    if (x->fl & FC_IR_K) {
        uint32_t k = (uint32_t)x->imm;
        if (k == 0) {                            /* eBPF: x / 0 = 0, x % 0 = x */
            if (mod)
                t2e_mov_reg(&c->x, d, a);
            else
                put(c, t2_mov_imm(d, 0));
            return;
        }
        t2e_mov_const(&c->x, S1, k);
        if (mod) {
            put(c, sgn ? t2_sdiv(S2, a, S1) : t2_udiv(S2, a, S1));
            put(c, t2_mls(d, S2, S1, a));
        } else {
            put(c, sgn ? t2_sdiv(d, a, S1) : t2_udiv(d, a, S1));
        }
        return;
    }
    unsigned b = rsrc(c, lb, S1);
    put(c, t2_cmp_imm(b, 0));
    if (mod) {
        put(c, t2_it_x(T2_NE, "T"));
        put(c, sgn ? t2_sdiv(S2, a, b) : t2_udiv(S2, a, b));
        put(c, t2_mls(d, S2, b, a));
        /* b == 0: d = a (the dividend) */
        if (d != a) {
            put(c, t2_it_x(T2_EQ, ""));
            put(c, t2_mov_reg_w(d, a));
        }
    } else {
        put(c, t2_it_x(T2_NE, "E"));
        put(c, sgn ? t2_sdiv(d, a, b) : t2_udiv(d, a, b));
        put(c, t2_mov_imm(d, 0));
    }
}

static void sel_alu32(is *c)
{
    const fc_ir_insn *x = I(c);
    fc_ir_insn zk;
    unsigned ld = L(c, 0), op = x->op, la = c->s0_fold ? c->s0_loc : L(c, 2);
    int k = (x->fl & FC_IR_K) != 0;

    c->s0_fold = 0;
    if (ld == FC_RA_NONE)
        return;
    if (op == FC_IR_MOV) {
        sel_mov(c);
        return;
    }
    if (op == FC_IR_MOVI) {
        set_const(c, ld, (uint32_t)x->imm);
        return;
    }
    unsigned d = rdst(c, ld, S0);
    if (op == FC_IR_ADD && k && la == FC_RA_FP) {
        t2e_dp_imm(&c->x, T2_DP_ADD, 0, d, FB, (uint32_t)x->imm + FC_STACK_SIZE, S1);
        wb(c, ld, d);
        return;
    }
    if (op == FC_IR_LSH && !c->sh_fold && (c->sh_at = lsh_folds(c, la)) != 0) {
        c->sh_fold = 1;
        c->sh_t = ld;
        c->sh_loc = (uint16_t)la;
        c->sh_n = (uint8_t)(x->imm & 31);
        return;
    }
    if (c->sh_fold && c->sh_at == c->k) {
        /* the other operand first, then the folded LSH's source shifted */
        unsigned lo = L(c, 3) == c->sh_t ? la : L(c, 3);
        unsigned ra = rsrc(c, lo, S0), rb = rsrc(c, c->sh_loc, S1);
        c->sh_fold = 0;
        put(c, dp_sh_enc(dp_of(op), 0, d, ra, rb, c->sh_n));
        wb(c, ld, d);
        return;
    }
    if (!k && L(c, 3) == FC_RA_ZERO && op >= FC_IR_ADD && op <= FC_IR_ARSH && op != FC_IR_MUL) {
        /* a known-zero second operand: the immediate form with #0 */
        k = 1;
        zk = *x;
        zk.imm = 0;
        x = &zk;
    }
    unsigned a = rsrc(c, la, S0), b;
    switch (op) {
    case FC_IR_ADD: case FC_IR_SUB: case FC_IR_AND: case FC_IR_OR: case FC_IR_XOR:
        if (k) {
            t2e_dp_imm(&c->x, dp_of(op), 0, d, a, (uint32_t)x->imm, S1);
        } else {
            b = rsrc(c, L(c, 3), S1);
            put(c, t2e_dp_reg_enc(dp_of(op), 0, d, a, b));
        }
        break;
    case FC_IR_MUL:
        if (k) {
            t2e_mov_const(&c->x, S1, (uint32_t)x->imm);
            b = S1;
        } else {
            b = rsrc(c, L(c, 3), S1);
        }
        put(c, t2_mul(d, a, b));
        break;
    case FC_IR_LSH: case FC_IR_RSH: case FC_IR_ARSH: {
        enum t2_shift t = op == FC_IR_LSH ? T2_LSL : op == FC_IR_RSH ? T2_LSR : T2_ASR;
        if (k) {
            unsigned n = (uint32_t)x->imm & 31u;
            if (n == 0)
                t2e_mov_reg(&c->x, d, a);
            else
                put(c, t2_shift_imm(t, d, a, n));
        } else {
            b = rsrc(c, L(c, 3), S1);
            put(c, t2_and_imm(S1, b, 31));
            put(c, t2_shift_reg(t, d, a, S1));
        }
        break;
    }
    case FC_IR_DIVU: sel_divmod(c, d, a, L(c, 3), 0, 0); break;
    case FC_IR_MODU: sel_divmod(c, d, a, L(c, 3), 0, 1); break;
    case FC_IR_DIVS: sel_divmod(c, d, a, L(c, 3), 1, 0); break;
    case FC_IR_MODS: sel_divmod(c, d, a, L(c, 3), 1, 1); break;
    case FC_IR_NEG: put(c, t2_rsb_imm(d, a, 0)); break;
    case FC_IR_SEXT8: put(c, t2_sxtb(d, a)); break;
    case FC_IR_SEXT16: put(c, t2_sxth(d, a)); break;
    case FC_IR_ZEXT16: put(c, t2_uxth(d, a)); break;
    case FC_IR_BSWAP16:
        put(c, t2_rev16(d, a));
        put(c, t2_uxth(d, d));
        break;
    case FC_IR_BSWAP32: put(c, t2_rev(d, a)); break;
    default:
        refuse(c, "32-bit operation");
        return;
    }
    wb(c, ld, d);
}

/* Result location l is the register of source operand j (a 64-bit result
 * in the same web as its source, e.g. `r2 = bswap64 r2` in a loop, shares
 * its register even though the allocator keeps the halves of different
 * webs apart): writing it early would clobber a source still to be read. */
static int clobbers(const is *c, unsigned l, unsigned j)
{
    return FC_RA_IS_REG(l) && L(c, j) == l;
}

/* ---- 64-bit pseudo-ops ----------------------------------------------------------- */

/* The second operand's halves: registers or, for an immediate, sext(imm). */
static uint32_t klo(const fc_ir_insn *x) { return (uint32_t)x->imm; }
static uint32_t khi(const fc_ir_insn *x) { return x->imm < 0 ? 0xffffffffu : 0; }

/* add64 with an LSH folded into the pair t:0 (lsh_folds) */
static void sel_add64_sh(is *c)
{
    unsigned jo = L(c, 4) == c->sh_t ? 2u : 4u;   /* jo: the other pair */
    unsigned l0 = L(c, 0), l1 = L(c, 1);
    int need_hi = l1 != FC_RA_NONE && !result_dead(c, l1);
    int late = need_hi && clobbers(c, l0, jo + 1);
    unsigned a = rsrc(c, L(c, jo), S0), dl = late ? S2 : rdst(c, l0, S2);

    c->sh_fold = 0;
    put(c, dp_sh_enc(T2_DP_ADD, (unsigned)need_hi, dl, a, rsrc(c, c->sh_loc, S1), c->sh_n));
    if (!late)
        wb(c, l0, dl);
    if (need_hi) {
        unsigned dh = rdst(c, l1, S0);
        put(c, t2e_dp_imm_enc(T2_DP_ADC, 0, dh, rsrc(c, L(c, jo + 1), S0), 0));
        wb(c, l1, dh);
    }
    if (late)
        wb(c, l0, S2);
}

static void sel_addsub64(is *c)
{
    const fc_ir_insn *x = I(c);
    int add = x->op == FC_IR_ADD64, k = (x->fl & FC_IR_K) != 0;
    enum t2_dp lo = add ? T2_DP_ADD : T2_DP_SUB, hi = add ? T2_DP_ADC : T2_DP_SBC;
    unsigned l0 = L(c, 0), l1 = L(c, 1);
    if (c->sh_fold && c->sh_at == c->k) {
        sel_add64_sh(c);
        return;
    }
    /* a hi half nobody reads (the lowering keeps it when it is live on
     * some path the selector sees written first) is not computed */
    int need_hi = l1 != FC_RA_NONE && !result_dead(c, l1);
    /* the low result waits in r10 when its register is a high source */
    int late = need_hi && (clobbers(c, l0, 3) || (!k && clobbers(c, l0, 5)));
    unsigned a = rsrc(c, L(c, 2), S0), dl = late ? S2 : rdst(c, l0, S2);

    if (k)
        t2e_dp_imm(&c->x, lo, need_hi, dl, a, klo(x), S1);
    else
        put(c, t2e_dp_reg_enc(lo, need_hi, dl, a, rsrc(c, L(c, 4), S1)));
    if (!late)
        wb(c, l0, dl);
    if (!need_hi)
        return;
    unsigned dh = rdst(c, l1, S0);
    if (k) {
        unsigned ah = rsrc(c, L(c, 3), S0);
        put(c, t2e_dp_imm_enc(hi, 0, dh, ah, khi(x)));   /* 0 or ~0: encodable */
    } else if (L(c, 5) == FC_RA_ZERO) {
        put(c, t2e_dp_imm_enc(hi, 0, dh, rsrc(c, L(c, 3), S0), 0));
    } else if (add && L(c, 3) == FC_RA_ZERO) {
        put(c, t2e_dp_imm_enc(hi, 0, dh, rsrc(c, L(c, 5), S1), 0));
    } else {
        unsigned ah = rsrc(c, L(c, 3), S0), bh = rsrc(c, L(c, 5), S1);
        put(c, t2e_dp_reg_enc(hi, 0, dh, ah, bh));
    }
    wb(c, l1, dh);
    if (late)
        wb(c, l0, S2);
}

static void sel_neg64(is *c)
{
    unsigned l0 = L(c, 0), l1 = L(c, 1);
    unsigned a = rsrc(c, L(c, 2), S0);
    if (l1 == FC_RA_NONE) {
        unsigned dl = rdst(c, l0, S2);
        put(c, t2_rsb_imm(dl, a, 0));
        wb(c, l0, dl);
        return;
    }
    int late = clobbers(c, l0, 3);
    unsigned dl = late ? S2 : rdst(c, l0, S2);
    put(c, t2_rsbs_imm(dl, a, 0));
    if (!late)
        wb(c, l0, dl);
    unsigned ah = rsrc(c, L(c, 3), S0), dh = rdst(c, l1, S0);
    put(c, t2_mvn_reg(dh, ah));                 /* MVN (no S) keeps the carry */
    put(c, t2_adc_imm(dh, dh, 0));
    wb(c, l1, dh);
    if (late)
        wb(c, l0, S2);
}

/*
 * {d0,d1} = a * b (mod 2^64): lo:hi = umull(al, bl), hi += ah*bl + al*bh.
 * The cross terms first into r10, then the UMULL into ip:lr (ip, lr hold
 * the operands until then), so every source may be in a slot.
 */
static void sel_mul64(is *c)
{
    const fc_ir_insn *x = I(c);
    int k = (x->fl & FC_IR_K) != 0, have = 0;
    unsigned l0 = L(c, 0), l1 = L(c, 1), a, b;

    if (l1 == FC_RA_NONE) {
        unsigned dl = rdst(c, l0, S2);
        a = rsrc(c, L(c, 2), S0);
        if (k)
            t2e_mov_const(&c->x, S1, klo(x)), b = S1;
        else
            b = rsrc(c, L(c, 4), S1);
        put(c, t2_mul(dl, a, b));
        wb(c, l0, dl);
        return;
    }
    if (L(c, 3) != FC_RA_ZERO) {                 /* ah * bl */
        a = rsrc(c, L(c, 3), S0);
        if (k)
            t2e_mov_const(&c->x, S1, klo(x)), b = S1;
        else
            b = rsrc(c, L(c, 4), S1);
        put(c, t2_mul(S2, a, b));
        have = 1;
    }
    if (k ? khi(x) != 0 : L(c, 5) != FC_RA_ZERO) {   /* al * bh */
        a = rsrc(c, L(c, 2), S0);
        if (k) {                                 /* bh = ~0: al * ~0 = -al */
            put(c, have ? t2_sub_reg(S2, S2, a) : t2_rsb_imm(S2, a, 0));
        } else {
            b = rsrc(c, L(c, 5), S1);
            put(c, have ? t2_mla(S2, a, b, S2) : t2_mul(S2, a, b));
        }
        have = 1;
    }
    a = rsrc(c, L(c, 2), S0);
    if (k)
        t2e_mov_const(&c->x, S1, klo(x)), b = S1;
    else
        b = rsrc(c, L(c, 4), S1);
    put(c, t2_umull(S0, S1, a, b));
    if (have)
        put(c, t2_add_reg(S1, S1, S2));
    wb(c, l0, S0);
    wb(c, l1, S1);
}

/* 64-bit shifts by a constant: each result computed from registers that
 * still hold the sources (results never share a register with a source) */
static void sel_shift64_k(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned n = (uint32_t)x->imm & 63u, op = x->op;
    unsigned l0 = L(c, 0), l1 = L(c, 1);
    int need_hi = l1 != FC_RA_NONE;
    unsigned al = rsrc(c, L(c, 2), S0), ah = rsrc(c, L(c, 3), S1), d;

    /* the first result computed goes to r10 and is written last: its
     * register may be the other result's source */
    if (n == 0) {
        t2e_mov_reg(&c->x, S2, al);
        if (need_hi)
            wb(c, l1, ah);
        wb(c, l0, S2);
        return;
    }
    if (op == FC_IR_LSH64) {
        if (need_hi) {                           /* hi first, from both halves */
            if (n < 32) {
                put(c, t2_lsl_imm(S2, ah, n));
                put(c, t2_orr_sh(S2, S2, al, T2_LSR, 32 - n));
            } else if (n == 32) {
                t2e_mov_reg(&c->x, S2, al);
            } else {
                put(c, t2_lsl_imm(S2, al, n - 32));
            }
        }
        d = rdst(c, l0, S0);
        if (n < 32)
            put(c, t2_lsl_imm(d, al, n));
        else
            put(c, t2_mov_imm(d, 0));
        wb(c, l0, d);
        if (need_hi)
            wb(c, l1, S2);
        return;
    }
    int ar = op == FC_IR_ARSH64;
    if (n < 32) {                                /* lo first, from both halves */
        put(c, t2_lsr_imm(S2, al, n));
        put(c, t2_orr_sh(S2, S2, ah, T2_LSL, 32 - n));
    } else if (n == 32) {
        t2e_mov_reg(&c->x, S2, ah);
    } else {
        put(c, ar ? t2_asr_imm(S2, ah, n - 32) : t2_lsr_imm(S2, ah, n - 32));
    }
    if (need_hi) {
        d = rdst(c, l1, S0);
        if (n < 32)
            put(c, ar ? t2_asr_imm(d, ah, n) : t2_lsr_imm(d, ah, n));
        else if (ar)
            put(c, t2_asr_imm(d, ah, 31));
        else
            put(c, t2_mov_imm(d, 0));
        wb(c, l1, d);
    }
    wb(c, l0, S2);
}

/*
 * 64-bit shifts by a register, branch-free (register shifts give 0 for 32..255, so the wrong side's terms vanish).
 * Needs the amount (r10), a temporary (lr) and both source halves and both
 * results in registers: at most one source half may come from a slot (ip).
 */
static void sel_shift64_x(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned op = x->op, l0 = L(c, 0), l1 = L(c, 1);
    int need_hi = l1 != FC_RA_NONE;
    unsigned la = L(c, 2), lh = L(c, 3);
    unsigned al, ah, dl, dh;
    int saved = !FC_RA_IS_REG(l0) || (need_hi && !FC_RA_IS_REG(l1)) ||
                (!FC_RA_IS_REG(la) && !FC_RA_IS_REG(lh)) || l0 == la || l0 == lh ||
                l0 == L(c, 4) || (need_hi && (l1 == la || l1 == lh || l1 == L(c, 4)));
    if (saved) {
        /* operands in slots: r0-r3 saved, the sources in r0, r1, the
         * results in r2, r3 */
        put(c, t2_push16(0x0fu));
        arg_in(c, S2, L(c, 4));
        arg_in(c, T2_R0, la);
        arg_in(c, T2_R1, lh);
        put(c, t2_and_imm(S2, S2, 63));
        al = T2_R0, ah = T2_R1, dl = T2_R2, dh = need_hi ? T2_R3 : NONE;
    } else {
        unsigned b = rsrc(c, L(c, 4), S2);
        put(c, t2_and_imm(S2, b, 63));
        al = rsrc(c, la, S0), ah = rsrc(c, lh, S0);
        dl = l0 - 1u, dh = need_hi ? l1 - 1u : NONE;
    }

    if (op == FC_IR_LSH64) {
        if (need_hi) {
            put(c, t2_lsl_reg(dh, ah, S2));
            put(c, t2_rsb_imm(S1, S2, 32));
            put(c, t2_lsr_reg(S1, al, S1));
            put(c, t2_orr_reg(dh, dh, S1));
            put(c, t2_sub_imm(S1, S2, 32));
            put(c, t2_lsl_reg(S1, al, S1));
            put(c, t2_orr_reg(dh, dh, S1));
        }
        put(c, t2_lsl_reg(dl, al, S2));
    } else {
        put(c, t2_lsr_reg(dl, al, S2));
    put(c, t2_rsb_imm(S1, S2, 32));
    put(c, t2_lsl_reg(S1, ah, S1));
    put(c, t2_orr_reg(dl, dl, S1));
    if (op == FC_IR_RSH64) {
        put(c, t2_sub_imm(S1, S2, 32));
        put(c, t2_lsr_reg(S1, ah, S1));
        put(c, t2_orr_reg(dl, dl, S1));
    } else {
        put(c, t2_subs_imm(S1, S2, 32));
        put(c, t2_it_x(T2_PL, ""));
        put(c, t2_asr_reg(dl, ah, S1));
    }
    if (need_hi)
        put(c, op == FC_IR_RSH64 ? t2_lsr_reg(dh, ah, S2) : t2_asr_reg(dh, ah, S2));
    }
    if (saved) {
        res_out(c, l0, dl);
        if (need_hi)
            res_out(c, l1, dh);
        put(c, t2_pop16(0x0fu));
    }
}

static void sel_bswap64(is *c)
{
    unsigned l0 = L(c, 0), l1 = L(c, 1);
    unsigned al = rsrc(c, L(c, 2), S0), ah = rsrc(c, L(c, 3), S1);
    put(c, t2_rev(S2, ah));                      /* lo waits in r10: its register may be al */
    if (l1 != FC_RA_NONE) {
        unsigned dh = rdst(c, l1, S0);
        put(c, t2_rev(dh, al));
        wb(c, l1, dh);
    }
    wb(c, l0, S2);
}

/*
 * 64-bit division by the runtime routines (AAPCS: a in r0:r1, b in r2:r3,
 * the result in r0:r1; r0-r3, ip, lr clobbered). r0-r3 hold allocated
 * values, so they are saved around the call (16 bytes: sp stays 8-byte
 * aligned) and the arguments read from the saved copies: no parallel move.
 */
static void divmod64_call(is *c)
{
    const fc_ir_insn *x = I(c);
    int k = (x->fl & FC_IR_K) != 0;
    unsigned sym;
    switch (x->op) {
    case FC_IR_DIVU64: sym = FC_SYM_UDIV64; break;
    case FC_IR_MODU64: sym = FC_SYM_UMOD64; break;
    case FC_IR_DIVS64: sym = FC_SYM_SDIV64; break;
    default:           sym = FC_SYM_SMOD64; break;
    }
    put(c, t2_push16(0x0fu));                   /* {r0-r3} */
    arg_in(c, T2_R0, L(c, 2));
    arg_in(c, T2_R1, L(c, 3));
    if (k) {
        t2e_mov_const(&c->x, T2_R2, klo(x));
        t2e_mov_const(&c->x, T2_R3, khi(x));
    } else {
        arg_in(c, T2_R2, L(c, 4));
        arg_in(c, T2_R3, L(c, 5));
    }
    t2e_bl_sym(&c->x, sym);
    res_out(c, L(c, 0), T2_R0);
    if (L(c, 1) != FC_RA_NONE)
        res_out(c, L(c, 1), T2_R1);
    put(c, t2_pop16(0x0fu));
}

/* 64-bit division when both operands fit in 32 bits (hi halves known zero,
 * or a non-negative constant): UDIV, the eBPF rules for 0; else refused
 * (the runtime routines take r0-r3, which hold allocated values here) */
static void sel_divmod64(is *c)
{
    const fc_ir_insn *x = I(c);
    int k = (x->fl & FC_IR_K) != 0, mod = x->op == FC_IR_MODU64 || x->op == FC_IR_MODS64;
    int small = L(c, 3) == FC_RA_ZERO && (k ? x->imm >= 0 : L(c, 5) == FC_RA_ZERO);
    unsigned l0 = L(c, 0), l1 = L(c, 1);

    if (!small && !(k && x->imm == 0)) {
        divmod64_call(c);
        return;
    }
    if (k && x->imm == 0) {
        if (mod) {                               /* x % 0 = x */
            t2e_mov_reg(&c->x, S2, rsrc(c, L(c, 2), S0));
            if (l1 != FC_RA_NONE)
                wb(c, l1, rsrc(c, L(c, 3), S0));
            wb(c, l0, S2);
        } else {
            set_const(c, l0, 0);
            if (l1 != FC_RA_NONE)
                set_const(c, l1, 0);
        }
        return;
    }
    unsigned a = rsrc(c, L(c, 2), S0), d = rdst(c, l0, S0);
    sel_divmod(c, d, a, L(c, 4), 0, mod);
    wb(c, l0, d);
    if (l1 != FC_RA_NONE)
        set_const(c, l1, 0);
}

/* ---- memory ------------------------------------------------------------------------ */

/* base register and offset of [s0 + imm] (FP: [fb, #imm + 512]) */
static unsigned mem_base(is *c, int32_t *off)
{
    unsigned l = L(c, 2), b;
    int32_t o = I(c)->imm;
    if (l == FC_RA_FP) {
        b = FB;
        o += (int32_t)FC_STACK_SIZE;
    } else {
        b = rsrc(c, l, S0);
    }
    if (!t2_ldst_off_ok(o)) {
        t2e_dp_imm(&c->x, T2_DP_ADD, 0, S0, b, (uint32_t)o, S2);
        b = S0;
        o = 0;
    }
    *off = o;
    return b;
}

static void count_access(is *c)
{
    uint32_t insn = I(c)->insn;
    if (insn != c->acc_insn) {
        c->acc_insn = insn;
        if (c->chk_insn != insn && !(I(c)->fl & FC_IR_G))
            c->unchecked++;
    }
}

static void sel_ld(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned l0 = L(c, 0);
    int32_t o;
    count_access(c);
    unsigned b = mem_base(c, &o), d = rdst(c, l0, S1);
    int sx = (x->fl & FC_IR_SX) != 0;
    switch (x->sz) {
    case 1: put(c, sx ? t2_ldrsb_imm(d, b, o) : t2_ldrb_imm(d, b, o)); break;
    case 2: put(c, sx ? t2_ldrsh_imm(d, b, o) : t2_ldrh_imm(d, b, o)); break;
    case 4: put(c, t2_ldr_imm(d, b, o)); break;
    default: refuse(c, "load size"); return;
    }
    wb(c, l0, d);
}

static void sel_st(is *c)
{
    const fc_ir_insn *x = I(c);
    int32_t o;
    unsigned v;
    count_access(c);
    unsigned b = mem_base(c, &o);
    if (x->fl & FC_IR_K) {
        t2e_mov_const(&c->x, S1, x->tgt);
        v = S1;
    } else {
        v = rsrc(c, L(c, 3), S1);
    }
    switch (x->sz) {
    case 1: put(c, t2_strb_imm(v, b, o)); break;
    case 2: put(c, t2_strh_imm(v, b, o)); break;
    case 4: put(c, t2_str_imm(v, b, o)); break;
    default: refuse(c, "store size");
    }
}

static unsigned lg2(unsigned n) { return n == 8 ? 3u : n == 4 ? 2u : n == 2 ? 1u : 0u; }

static void sel_check(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned llo = L(c, 2), lhi = L(c, 3);
    const fc_insn_info *inf = c->in.info ? &c->in.info[x->insn] : NULL;
    t2_hisrc hi = {NONE, NONE, 0};
    int nofuse = 0;
    unsigned c2 = S1;

    c->chk_insn = x->insn;
    if (FC_RA_IS_REG(lhi))
        hi.reg = (uint8_t)(lhi - 1u);
    else if (FC_RA_IS_SLOT(lhi)) {
        hi.base = T2_SP;
        hi.off = slot_off(lhi);
    } else if (lhi != FC_RA_ZERO) {
        refuse(c, "check: high half");
        return;
    }
    unsigned blo = rsrc(c, llo, S0);
    if (x->imm == 0 && x->cc != FC_PERM_RW && lhi != FC_RA_ZERO && !(c->x.flags & FC_BK_NO_OPT)) {
        /* the fused test: the high half in its register or lr, c2 elsewhere */
        if (blo != S0)
            c2 = S0;
        else if (hi.reg != NONE)
            c2 = S1;
        else
            nofuse = 1;
    }
    t2e_check(&c->x, blo, hi, x->imm, lg2(x->sz), x->cc, inf ? inf->region_hint : 0xffu,
              x->s[0] == FC_IR_FP, S2, c2, nofuse);
}

/*
 * A range guard (fc_ir_opt): to block tgt unless the sz bytes at {lo, hi} +
 * imm lie inside the span of the region the first check's access expects,
 * the fast test of a check (t2e_check) without its slow path: a range that
 * fails it takes the copy of the block that keeps every check.
 */
static void sel_guard(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned lhi = L(c, 3), a = S0;
    const fc_insn_info *inf = c->in.info ? &c->in.info[x->insn] : NULL;
    unsigned hint = inf ? inf->region_hint : 0xffu;
    uint32_t fail = c->blab[x->tgt];
    t2_hisrc hi = {NONE, NONE, 0};

    if (hint == 0xffu)
        hint = x->s[0] == FC_IR_FP ? FC_REGION_STACK : FC_REGION_CTX;
    unsigned blo = rsrc(c, L(c, 2), S0);
    if (FC_RA_IS_REG(lhi)) {
        hi.reg = (uint8_t)(lhi - 1u);
    } else if (FC_RA_IS_SLOT(lhi)) {
        hi.base = T2_SP;
        hi.off = slot_off(lhi);
    } else if (lhi != FC_RA_ZERO) {
        refuse(c, "guard: high half");
        return;
    }
    /* S0 = lo of the address; its hi half must be 0 */
    if (x->imm == 0) {
        a = blo;
        if (lhi != FC_RA_ZERO) {
            unsigned h = hi.reg;
            if (h == NONE) {
                put(c, t2_ldr_imm(S1, T2_SP, hi.off));
                h = S1;
            }
            put(c, t2_cmp_imm(h, 0));
            t2e_br(&c->x, T2_NE, fail);
        }
    } else {
        t2e_check_addr(&c->x, S0, S1, blo, hi, x->imm, S2, fail, fail);
    }
    /* S2 = address - start, compared with the lim of 1 << k bytes in S1:
     * the check's own fast test */
    t2e_fast_test(&c->x, a, lg2(x->sz), x->cc, hint, S2, S1);
    t2e_br(&c->x, T2_HS, fail);
}

static void sel_secaddr(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned l0 = L(c, 0), d = rdst(c, l0, S0);
    if (l0 == FC_RA_NONE)
        return;
    fc_em_reloc(&c->x.em, FC_RELOC_THM_MOVW_MOVT, fc_em_section_sym((int32_t)x->tgt), x->imm);
    put(c, t2_movw(d, 0));
    put(c, t2_movt(d, 0));
    wb(c, l0, d);
}

/*
 * Atomics: LDREX/STREX (t2e_atomic32)
 * for an aligned 32-bit access, else PRIMASK masked; 64-bit always
 * masked) over r0-r3, ip and lr, with r0-r3 saved around them (their
 * values read from the saved copies): address in ip, value lo then hi in
 * r3, the compared value in lr, the old value in r0:r1, PRIMASK in r2.
 */
static void sel_atomic(is *c)
{
    const fc_ir_insn *x = I(c);
    int aop = x->cc, fetch = (aop & FC_ATOMIC_FETCH) != 0;
    int cmpx = aop == FC_ATOMIC_CMPXCHG, xchg = aop == FC_ATOMIC_XCHG;
    enum t2_dp o;
    fc_em *em = &c->x.em;
    (void)fetch;

    switch (aop & ~FC_ATOMIC_FETCH) {
    case FC_ATOMIC_OR: o = T2_DP_ORR; break;
    case FC_ATOMIC_AND: o = T2_DP_AND; break;
    case FC_ATOMIC_XOR: o = T2_DP_EOR; break;
    default: o = T2_DP_ADD; break;
    }
    count_access(c);
    put(c, t2_push16(0x0fu));
    if (L(c, 2) == FC_RA_FP)
        t2e_dp_imm(&c->x, T2_DP_ADD, 0, S0, FB, (uint32_t)x->imm + FC_STACK_SIZE, S1);
    else {
        arg_in(c, S0, L(c, 2));
        if (x->imm)
            t2e_dp_imm(&c->x, T2_DP_ADD, 0, S0, S0, (uint32_t)x->imm, S1);
    }
    if (x->sz == 4) {
        arg_in(c, T2_R3, L(c, 3));
        if (cmpx)
            arg_in(c, S1, L(c, 5));
        t2e_atomic32(&c->x, o, cmpx, xchg, T2_R3, S1);
    } else {
        put(c, t2_mrs(T2_R2, T2_SYSM_PRIMASK));
        put(c, t2_cpsid_i());
        put(c, t2_ldr_imm(T2_R0, S0, 0));
        put(c, t2_ldr_imm(T2_R1, S0, 4));
        if (cmpx) {
            uint32_t skip = fc_em_newlab(em);
            arg_in(c, S1, L(c, 5));
            put(c, t2_cmp_reg(T2_R0, S1));
            t2e_br(&c->x, T2_NE, skip);
            arg_in(c, S1, L(c, 6));
            put(c, t2_cmp_reg(T2_R1, S1));
            t2e_br(&c->x, T2_NE, skip);
            arg_in(c, T2_R3, L(c, 3));
            put(c, t2_str_imm(T2_R3, S0, 0));
            arg_in(c, T2_R3, L(c, 4));
            put(c, t2_str_imm(T2_R3, S0, 4));
            fc_em_bind(em, skip);
        } else if (xchg) {
            arg_in(c, T2_R3, L(c, 3));
            put(c, t2_str_imm(T2_R3, S0, 0));
            arg_in(c, T2_R3, L(c, 4));
            put(c, t2_str_imm(T2_R3, S0, 4));
        } else {
            /* loads into r3 and stores keep the flags: the carry goes from
             * lo to hi */
            arg_in(c, T2_R3, L(c, 3));
            put(c, t2e_dp_reg_enc(o, o == T2_DP_ADD, S1, T2_R0, T2_R3));
            put(c, t2_str_imm(S1, S0, 0));
            arg_in(c, T2_R3, L(c, 4));
            put(c, t2e_dp_reg_enc(o == T2_DP_ADD ? T2_DP_ADC : o, 0, S1, T2_R1, T2_R3));
            put(c, t2_str_imm(S1, S0, 4));
        }
        put(c, t2_msr(T2_SYSM_PRIMASK, T2_R2));
    }
    if (L(c, 0) != FC_RA_NONE)
        res_out(c, L(c, 0), T2_R0);
    if (x->sz == 8 && L(c, 1) != FC_RA_NONE)
        res_out(c, L(c, 1), T2_R1);
    put(c, t2_pop16(0x0fu));
}

/* ---- control --------------------------------------------------------------------- */

static void charge_jump(is *c, uint32_t lab);

/* block b (not its function's first) cannot be entered by falling into it:
 * the block before it ends in a JMP, EXIT or ERR */
static int no_fallthrough_into(const is *c, uint32_t b)
{
    const fc_ir_block *p = &c->ir.blk[b - 1];
    if (p->end == p->start)
        return 0;
    unsigned op = c->ir.ins[p->end - 1].op;
    return op == FC_IR_JMP || op == FC_IR_EXIT || op == FC_IR_ERR;
}

/*
 * Block tb is the budget edge block of a backward conditional jump
 * (`budget; jmp head`, the lowering puts them after its function's body)
 * that the selector emits in line at its one branch: behind the inverted
 * condition, where the charge and the jump back fuse (SUBS budget; BCS head),
 * so a loop iteration costs one taken branch. The branch is the last
 * instruction of an earlier block p whose fall-through block p + 1 is not tb,
 * nothing else jumps to tb and nothing falls into it; then tb itself has no
 * code of its own.
 */
static int edge_inline(const is *c, uint32_t tb)
{
    const fc_ir_func *fn = &c->ir.fn[c->f];
    uint32_t bend = fn->b0 + fn->nb, refs = 0, p = 0;
    if (tb <= fn->b0 || tb >= bend)
        return 0;
    const fc_ir_block *t = &c->ir.blk[tb];
    if (t->end - t->start != 2 || c->ir.ins[t->start].op != FC_IR_BUDGET ||
        c->ir.ins[t->start + 1].op != FC_IR_JMP || !no_fallthrough_into(c, tb))
        return 0;
    for (uint32_t b = fn->b0; b < bend; b++) {
        const fc_ir_block *q = &c->ir.blk[b];
        if (q->end == q->start)
            continue;
        const fc_ir_insn *z = &c->ir.ins[q->end - 1];
        if ((z->op == FC_IR_BR || z->op == FC_IR_BR64 || z->op == FC_IR_JMP) && z->tgt == tb) {
            refs++;
            p = b;
            if (z->op == FC_IR_JMP)
                return 0;
        }
    }
    return refs == 1 && p + 1 < tb;
}

/* The edge block tb in line: charge one unit, then jump to its target. */
static void edge_code(is *c, uint32_t tb)
{
    const fc_ir_insn *bu = &c->ir.ins[c->ir.blk[tb].start];
    uint32_t cur = c->x.em.cur;
    c->x.em.cur = bu->insn;                  /* the jump's own instruction */
    charge_jump(c, c->blab[bu[1].tgt]);
    c->x.em.cur = cur;
}

static enum t2_cond cond32(unsigned cc)
{
    switch (cc) {
    case FC_IR_EQ:  return T2_EQ;
    case FC_IR_NE:  return T2_NE;
    case FC_IR_SET: return T2_NE;
    case FC_IR_GT:  return T2_HI;
    case FC_IR_GE:  return T2_CS;
    case FC_IR_LT:  return T2_CC;
    case FC_IR_LE:  return T2_LS;
    case FC_IR_SGT: return T2_GT;
    case FC_IR_SGE: return T2_GE;
    case FC_IR_SLT: return T2_LT;
    default:        return T2_LE;   /* SLE */
    }
}

#define NOLAB 0xffffffffu

/*
 * The (last) branch of a conditional jump to block tgt on cond; zreg, when
 * not NONE, a low register compared with 0 by the branch itself (CBZ for EQ,
 * CBNZ for NE, when the target is ahead and in reach; else CMP #0 and B<c>).
 * An edge block emitted in line (edge_inline): the inverted branch past
 * the edge code, then the edge code, at which label pre (the other branches
 * of the jump to tgt) is bound.
 */
static void br_to(is *c, enum t2_cond cond, unsigned zreg, uint32_t tgt, uint32_t pre)
{
    int inl = edge_inline(c, tgt);
    /* in line: the inverted branch goes past the edge code, to what follows
     * the branch - the next block, or the JMP that closes a checked copy of
     * fc_ir_opt (a BR that is not its block's last instruction) */
    uint32_t lab = inl ? fc_em_newlab(&c->x.em) : c->blab[tgt];

    if (inl && cond == T2_AL) {
        /* always taken: just the edge code */
    } else if (zreg != NONE) {
        t2e_cbz(&c->x, zreg, (inl ? t2_cond_invert(cond) : cond) == T2_NE, lab, inl || tgt > c->b);
    } else {
        t2e_br(&c->x, inl ? t2_cond_invert(cond) : cond, lab);
    }
    if (inl) {
        if (pre != NOLAB)
            fc_em_bind(&c->x.em, pre);
        edge_code(c, tgt);
        fc_em_bind(&c->x.em, lab);
    }
}

/* compare (or TST) register a with location lb or constant v */
static void cmp32(is *c, unsigned a, int k, unsigned lb, uint32_t v, int tst)
{
    if (!k && lb == FC_RA_ZERO) {
        k = 1;                                   /* a known-zero operand: #0 */
        v = 0;
    }
    if (k) {
        if (!tst)
            t2e_cmp_imm(&c->x, a, v, S1);
        else if (t2_modimm_ok(v))
            put(c, t2_tst_imm(a, v));
        else {
            t2e_mov_const(&c->x, S1, v);
            put(c, t2_tst_reg(a, S1));
        }
        return;
    }
    unsigned b = rsrc(c, lb, S1);
    put(c, tst ? t2_tst_reg(a, b) : t2_cmp_reg(a, b));
}

static void sel_br(is *c)
{
    const fc_ir_insn *x = I(c);
    unsigned a = rsrc(c, L(c, 2), S0);
    int k = (x->fl & FC_IR_K) != 0;
    if ((x->cc == FC_IR_EQ || x->cc == FC_IR_NE) && (k ? x->imm == 0 : L(c, 3) == FC_RA_ZERO) &&
        t2_low_reg(a)) {
        br_to(c, cond32(x->cc), a, x->tgt, NOLAB);
        return;
    }
    cmp32(c, a, k, L(c, 3), (uint32_t)x->imm, x->cc == FC_IR_SET);
    br_to(c, cond32(x->cc), NONE, x->tgt, NOLAB);
}

/*
 * 64-bit conditional branches. EQ/NE/SET: the low halves, then the high
 * ones only when those leave it open. Orderings: CMP lo + SBCS hi (C = no
 * borrow, N^V = signed less) give >= and < directly; > and <= swap the
 * operands, or for a constant k become >= k+1 and < k+1.
 */
static void sel_br64(is *c)
{
    const fc_ir_insn *x = I(c);
    int k = (x->fl & FC_IR_K) != 0;
    unsigned cc = x->cc;
    uint32_t t = edge_inline(c, x->tgt) ? fc_em_newlab(&c->x.em) : c->blab[x->tgt];
    uint64_t kv = (uint64_t)(int64_t)x->imm;

    if (cc == FC_IR_EQ || cc == FC_IR_NE || cc == FC_IR_SET) {
        int tst = cc == FC_IR_SET;
        if (k && kv == 0) {
            if (tst)
                return;                          /* a & 0: never */
            unsigned al = rsrc(c, L(c, 2), S0), ah = rsrc(c, L(c, 3), S1);
            put(c, t2_orrs_reg(S2, al, ah));     /* a == 0 <=> (lo | hi) == 0 */
            br_to(c, cc == FC_IR_EQ ? T2_EQ : T2_NE, NONE, x->tgt, NOLAB);
            return;
        }
        uint32_t skip = fc_em_newlab(&c->x.em);
        unsigned al = rsrc(c, L(c, 2), S0);
        cmp32(c, al, k, L(c, 4), (uint32_t)kv, tst);
        if (!(tst && k && (uint32_t)(kv >> 32) == 0)) {
            t2e_br(&c->x, T2_NE, cc == FC_IR_EQ ? skip : t);
            unsigned ah = rsrc(c, L(c, 3), S0);
            cmp32(c, ah, k, L(c, 5), (uint32_t)(kv >> 32), tst);
            br_to(c, cc == FC_IR_EQ ? T2_EQ : T2_NE, NONE, x->tgt, cc == FC_IR_EQ ? NOLAB : t);
        } else {
            br_to(c, T2_NE, NONE, x->tgt, t);    /* the low halves decide */
        }
        fc_em_bind(&c->x.em, skip);
        return;
    }
    if (k) {
        if (cc == FC_IR_GT || cc == FC_IR_LE) {
            if (kv == UINT64_MAX) {              /* a > ~0 never, a <= ~0 always */
                if (cc == FC_IR_LE)
                    br_to(c, T2_AL, NONE, x->tgt, NOLAB);
                return;
            }
            kv += 1;
            cc = cc == FC_IR_GT ? FC_IR_GE : FC_IR_LT;
        } else if (cc == FC_IR_SGT || cc == FC_IR_SLE) {
            kv += 1;                             /* kv <= INT32_MAX: no overflow */
            cc = cc == FC_IR_SGT ? FC_IR_SGE : FC_IR_SLT;
        }
        unsigned al = rsrc(c, L(c, 2), S0);
        t2e_cmp_imm(&c->x, al, (uint32_t)kv, S1);
        unsigned ah = rsrc(c, L(c, 3), S0);
        t2e_dp_imm(&c->x, T2_DP_SBC, 1, S2, ah, (uint32_t)(kv >> 32), S1);
    } else {
        int swap = cc == FC_IR_GT || cc == FC_IR_LE || cc == FC_IR_SGT || cc == FC_IR_SLE;
        unsigned al = rsrc(c, L(c, 2), S0), bl = rsrc(c, L(c, 4), S1);
        put(c, swap ? t2_cmp_reg(bl, al) : t2_cmp_reg(al, bl));
        /* a known-zero subtrahend hi: SBCS #0 (no register made 0) */
        unsigned lsub = swap ? L(c, 3) : L(c, 5), lmin = swap ? L(c, 5) : L(c, 3);
        if (lsub == FC_RA_ZERO) {
            put(c, t2_sbcs_imm(S2, rsrc(c, lmin, S0), 0));
        } else {
            unsigned ah = rsrc(c, L(c, 3), S0), bh = rsrc(c, L(c, 5), S1);
            put(c, swap ? t2_sbcs_reg(S2, bh, ah) : t2_sbcs_reg(S2, ah, bh));
        }
    }
    enum t2_cond cond;
    switch (cc) {
    case FC_IR_GT:  cond = T2_CC; break;  /* b < a */
    case FC_IR_GE:  cond = T2_CS; break;
    case FC_IR_LT:  cond = T2_CC; break;
    case FC_IR_LE:  cond = T2_CS; break;  /* b >= a */
    case FC_IR_SGT: cond = T2_LT; break;
    case FC_IR_SGE: cond = T2_GE; break;
    case FC_IR_SLT: cond = T2_LT; break;
    default:        cond = T2_GE; break;  /* SLE */
    }
    br_to(c, cond, NONE, x->tgt, NOLAB);
}

/* One unit of budget: none left -> FC_ERR_BUDGET (the counter stays 0).
 * With the counter in BUD this is the SUBS alone: the caller branches to
 * the returned stub label on CC (borrow: none was left). */
static uint32_t charge(is *c)
{
    if (c->bud) {
        /* the stub puts 0 back (SUBS took it below 0), err_common stores it */
        uint32_t l = fc_em_newlab(&c->x.em);
        fc_em_stub *s = fc_em_addstub(&c->x.em, T2_ST_ERR, l);
        s->code = FC_ERR_BUDGET;
        s->val = 1;
        put(c, t2_subs_imm(BUD, BUD, 1));
        return l;
    }
    put(c, t2_ldr_imm(S1, ENV, FC_NENV_BUDGET));
    put(c, t2_subs_imm(S1, S1, 1));
    t2e_br_err(&c->x, T2_CC, FC_ERR_BUDGET);
    put(c, t2_str_imm(S1, ENV, FC_NENV_BUDGET));
    return 0;
}

/* a unit of budget, then to label lab: with the counter in BUD
 * `SUBS; BCS lab; B stub` (the charge and the jump fused) */
static void charge_jump(is *c, uint32_t lab)
{
    uint32_t l = charge(c);
    if (c->bud) {
        t2e_br(&c->x, T2_CS, lab);
        t2e_br(&c->x, T2_AL, l);
    } else {
        t2e_br(&c->x, T2_AL, lab);
    }
}

/* IR instruction j is a JMP to a block not emitted right after its own */
static int jmp_away(const is *c, uint32_t j)
{
    const fc_ir_insn *x = &c->ir.ins[j];
    return x->op == FC_IR_JMP && !(x->tgt == c->b + 1 && j + 1 == c->ir.blk[c->b].end && c->b + 1 < c->bend);
}

/* a BUDGET followed by a JMP away (`ja` backward): the two fused. Only a
 * BUDGET instruction: the charge of a local call (sel_call) is followed by
 * the call itself, so a JMP after the call must not take its place. */
static int budget_fuses(const is *c, uint32_t k)
{
    return c->bud && c->ir.ins[k].op == FC_IR_BUDGET && k + 1 < c->ir.blk[c->b].end && jmp_away(c, k + 1);
}

static void sel_budget(is *c)
{
    if (budget_fuses(c, c->k)) {
        charge_jump(c, c->blab[c->ir.ins[c->k + 1].tgt]);
        return;
    }
    uint32_t l = charge(c);
    if (c->bud)
        t2e_br(&c->x, T2_CC, l);
}

/*
 * Helper calls: the trampoline reads r1..r5 from env->regs (fc_native.h),
 * so each argument half goes there from its location (a hi half known zero
 * as 0); r0 = env, r1 = id, r2 = fb; the result comes back in env->regs[0].
 */
static void sel_callh(is *c)
{
    const fc_ir_insn *x = I(c);
    const fc_ra_map *m = &c->ra.maps[c->ra.map[c->k]];
    int zero = 0;

    if (c->ra.map[c->k] == FC_RA_NOMAP) {
        refuse(c, "helper call without a map");
        return;
    }
    if (x->op == FC_IR_CALLX && L(c, 3) != FC_RA_ZERO) {
        unsigned h = rsrc(c, L(c, 3), S0);
        put(c, t2_cmp_imm(h, 0));
        t2e_br_err(&c->x, T2_NE, FC_ERR_HELPER_UNKNOWN);
    }
    for (unsigned r = 1; r <= 5; r++)
        for (unsigned h = 0; h < 2; h++) {
            unsigned v = h ? FC_IR_HI(r) : FC_IR_LO(r), l = m->use[v], reg;
            int32_t at = (int32_t)FC_NENV_REG(r, h);
            if (h && (x->cc >> r & 1u))
                l = FC_RA_ZERO;
            if (l == FC_RA_NONE)
                continue;                        /* read by nobody */
            if (l == FC_RA_ZERO) {
                if (!zero)
                    put(c, t2_mov_imm(S1, 0));
                zero = 1;
                reg = S1;
            } else {
                reg = rsrc(c, l, S0);
            }
            put(c, t2_str_imm(reg, ENV, at));
        }
    if (x->op == FC_IR_CALLX)
        t2e_mov_reg(&c->x, T2_R1, rsrc(c, L(c, 2), T2_R1));
    else
        t2e_mov_const(&c->x, T2_R1, x->tgt);
    t2e_mov_reg(&c->x, T2_R0, ENV);
    t2e_mov_reg(&c->x, T2_R2, FB);
    t2e_bl_sym(&c->x, FC_SYM_HELPER);
    put(c, t2_cmp_imm(T2_R0, 0));
    {
        uint32_t l = fc_em_newlab(&c->x.em);
        fc_em_addstub(&c->x.em, T2_ST_HELPERR, l);
        t2e_br(&c->x, T2_NE, l);
    }
    for (unsigned h = 0; h < 2; h++) {
        unsigned l = L(c, h);
        if (l == FC_RA_NONE)
            continue;
        unsigned d = rdst(c, l, S0);
        put(c, t2_ldr_imm(d, ENV, (int32_t)FC_NENV_REG(0, h)));
        wb(c, l, d);
    }
}

/*
 * Local calls. Values cross through env->regs (the staging area: each eBPF
 * register half has its word there, as at the start of a run): the caller
 * stores what the callee's entry reads, the callee's entry sequence loads
 * them into its own locations; the callee's exit stores what its callers
 * read back, the caller loads them after the call. No parallel move, at
 * two memory accesses per value. Machine stack per call: r4-r8 (the
 * allocator's callee-saved registers) and r10 (8-byte alignment), the
 * return address and a pad, then the callee's spill area.
 */
static void stage_out(is *c, unsigned v, unsigned l)
{
    unsigned reg;
    if (l == FC_RA_NONE)
        return;
    if (l == FC_RA_ZERO) {
        put(c, t2_mov_imm(S0, 0));
        reg = S0;
    } else {
        reg = rsrc(c, l, S0);
    }
    put(c, t2_str_imm(reg, ENV, (int32_t)FC_NENV_REG((v - 1u) / 2u, (v - 1u) % 2u)));
}

static void stage_in(is *c, unsigned v, unsigned l)
{
    if (l == FC_RA_NONE || l == FC_RA_ZERO || l == FC_RA_FP)
        return;
    unsigned d = rdst(c, l, S0);
    put(c, t2_ldr_imm(d, ENV, (int32_t)FC_NENV_REG((v - 1u) / 2u, (v - 1u) % 2u)));
    wb(c, l, d);
}

#define CALL_SAVED 0x05f0u      /* {r4-r8, r10} */
#define CALL_SAVED_BUD 0x14f0u  /* {r4-r7, r10, ip}: r8 is the budget */

static void sel_call(is *c)
{
    const fc_ir_insn *x = I(c);
    uint32_t f = x->tgt, ret;
    if (c->ra.map[c->k] == FC_RA_NOMAP || f >= c->ir.nfn) {
        refuse(c, "local call without a map");
        return;
    }
    const fc_ra_map *m = &c->ra.maps[c->ra.map[c->k]];
    /* depth: the new frame base must stay >= stack_floor */
    put(c, t2_subw(S0, FB, FC_STACK_SIZE));
    put(c, t2_ldr_imm(S1, ENV, FC_NENV_STACK_FLOOR));
    put(c, t2_cmp_reg(S0, S1));
    t2e_br_err(&c->x, T2_CC, FC_ERR_CALL_DEPTH);
    /* one unit of budget, after the depth check (as the interpreter) */
    sel_budget(c);
    for (unsigned v = 1; v < FC_IR_FP; v++)
        if (c->ra.entry_live[f] >> v & 1u)
            stage_out(c, v, m->use[v]);
    put(c, t2_push_w(c->bud ? CALL_SAVED_BUD : CALL_SAVED));
    ret = fc_em_newlab(&c->x.em);
    /* ADR r0, ret+1 (Thumb bit): ADDW r0, pc, #(ret + 1 - Align(pc+4, 4)) */
    put(c, t2_adr_add(T2_R0, c->x.em.lab[ret] + 1 - ((c->x.em.pos + 4) & ~3u)));
    put(c, t2_push16(0x3u));                    /* {r0, r1}: ret, pad */
    put(c, t2_subw(FB, FB, FC_STACK_SIZE));
    t2e_br(&c->x, T2_AL, c->flab[f]);
    fc_em_bind(&c->x.em, ret);
    put(c, t2_addw(FB, FB, FC_STACK_SIZE));
    put(c, t2_pop_w(c->bud ? CALL_SAVED_BUD : CALL_SAVED));
    for (unsigned v = 1; v <= FC_IR_HI(5); v++)
        stage_in(c, v, m->def[v]);
}

static void sel_exit(is *c)
{
    const fc_ra_map *m = &c->ra.maps[c->ra.map[c->k]];
    if (c->ra.map[c->k] == FC_RA_NOMAP) {
        refuse(c, "exit without a map");
        return;
    }
    int top = fc_ir_is_entry(&c->ir, c->f), callee = !top || c->called[c->f];
    uint32_t live = callee ? c->ra.ret_live[c->f] : 0;
    if (top)
        live |= 1u << FC_IR_LO(0) | 1u << FC_IR_HI(0);
    for (unsigned v = 1; v < FC_IR_FP; v++)
        if (live >> v & 1u) {
            unsigned l = m->use[v];
            stage_out(c, v, l == FC_RA_NONE ? FC_RA_ZERO : l);
        }
    if (c->frame)
        put(c, t2_add_sp16(c->frame));
    if (top && callee) {
        /* at depth > 1 (fb below the entry frame): return to the caller */
        put(c, t2_ldr_imm(S0, ENV, (int32_t)FC_NENV_REG(10, 0)));
        put(c, t2_subw(S0, S0, FC_STACK_SIZE));
        put(c, t2_cmp_reg(FB, S0));
        put(c, t2_it_x(T2_NE, ""));
        put(c, t2_ldr_pc_post(T2_SP, 8));
    } else if (!top) {
        put(c, t2_ldr_pc_post(T2_SP, 8));
        return;
    }
    if (c->bud)
        put(c, t2_str_imm(BUD, ENV, FC_NENV_BUDGET));
    put(c, t2_movs_imm8(T2_R0, FC_OK));
    put(c, t2_pop_w(T2_POP_EXIT));
}

static void sel(is *c)
{
    const fc_ir_insn *x = I(c);
    switch (x->op) {
    case FC_IR_NOP:
        return;
    case FC_IR_MOV: case FC_IR_MOVI: case FC_IR_ADD: case FC_IR_SUB: case FC_IR_MUL:
    case FC_IR_AND: case FC_IR_OR: case FC_IR_XOR: case FC_IR_LSH: case FC_IR_RSH:
    case FC_IR_ARSH: case FC_IR_DIVU: case FC_IR_MODU: case FC_IR_DIVS: case FC_IR_MODS:
    case FC_IR_NEG: case FC_IR_SEXT8: case FC_IR_SEXT16: case FC_IR_ZEXT16:
    case FC_IR_BSWAP16: case FC_IR_BSWAP32:
        sel_alu32(c);
        return;
    case FC_IR_ADD64: case FC_IR_SUB64:
        if (L(c, 0) != FC_RA_NONE)
            sel_addsub64(c);
        return;
    case FC_IR_MUL64:
        if (L(c, 0) != FC_RA_NONE)
            sel_mul64(c);
        return;
    case FC_IR_NEG64:
        if (L(c, 0) != FC_RA_NONE)
            sel_neg64(c);
        return;
    case FC_IR_LSH64: case FC_IR_RSH64: case FC_IR_ARSH64:
        if (L(c, 0) == FC_RA_NONE)
            return;
        if (x->fl & FC_IR_K)
            sel_shift64_k(c);
        else
            sel_shift64_x(c);
        return;
    case FC_IR_BSWAP64:
        if (L(c, 0) != FC_RA_NONE)
            sel_bswap64(c);
        return;
    case FC_IR_DIVU64: case FC_IR_MODU64: case FC_IR_DIVS64: case FC_IR_MODS64:
        if (L(c, 0) != FC_RA_NONE)
            sel_divmod64(c);
        return;
    case FC_IR_LD: sel_ld(c); return;
    case FC_IR_ST: sel_st(c); return;
    case FC_IR_CHECK: sel_check(c); return;
    case FC_IR_GUARD: sel_guard(c); return;
    case FC_IR_SECADDR: sel_secaddr(c); return;
    case FC_IR_BR: sel_br(c); return;
    case FC_IR_BR64: sel_br64(c); return;
    case FC_IR_JMP:
        /* to the block emitted next: no code; after a BUDGET it fused with */
        if (jmp_away(c, c->k) && !(c->k > c->ir.blk[c->b].start && c->ir.ins[c->k - 1].op == FC_IR_BUDGET &&
                                   budget_fuses(c, c->k - 1)))
            t2e_br(&c->x, T2_AL, c->blab[x->tgt]);
        return;
    case FC_IR_BUDGET: sel_budget(c); return;
    case FC_IR_CALLH: case FC_IR_CALLX: sel_callh(c); return;
    case FC_IR_EXIT: sel_exit(c); return;
    case FC_IR_ERR: t2e_br_err(&c->x, T2_AL, (unsigned)x->imm); return;
    case FC_IR_CALL: sel_call(c); return;
    case FC_IR_ATOMIC: sel_atomic(c); return;
    default: refuse(c, "unknown IR operation"); return;
    }
}

/* ---- passes ----------------------------------------------------------------------- */

static uint32_t frame_of(const is *c, uint32_t f)
{
    return (c->ra.nslots[f] * 4u + 7u) & ~7u;
}

/*
 * The machine stack the code needs at most: the prologue, then the deepest
 * chain of at most FC_MAX_CALL_DEPTH - 1 nested local calls from an entry
 * function, each a call push and the callee's spill area (a recursion is
 * followed round as often as the depth allows: the run's depth check stops
 * it there). need[d][f]: the most below f's entry with d more calls
 * allowed, one row of nfn words at a time in `tmp` (two rows). Saturates.
 */
static uint32_t frame_cb(const void *ctx, uint32_t f)
{
    return frame_of(ctx, f);
}

static uint32_t mstack_need(const is *c, void *tmp)
{
    return PROLOGUE_PUSH + fc_ir_call_chain(&c->ir, frame_cb, c, CALL_PUSH, tmp);
}

/* A function's entry sequence (the target of its calls; the entry
 * function's prologue falls into it): its spill area, then the vregs live at
 * its entry from env->regs (the staging area; at the start of a run it holds
 * the initial registers). */
static void fn_entry(is *c, uint32_t f)
{
    fc_em_bind(&c->x.em, c->flab[f]);
    c->frame = frame_of(c, f);
    if (c->frame)
        put(c, t2_sub_sp16(c->frame));
    for (unsigned v = 1; v < FC_IR_FP; v++)
        if (c->ra.entry_live[f] >> v & 1u)
            stage_in(c, v, c->ra.entry[f][v]);
}

/* the function starting at slot at (an entry starts one) */
static uint32_t fn_at(const is *c, uint32_t at)
{
    for (uint32_t f = 0; f < c->ir.nfn; f++)
        if (c->ir.fn[f].start == at)
            return f;
    return 0;
}

/* The prologue of the entry at slot `at`; then its entry function (the
 * first function follows the last prologue: one entry at slot 0 falls in) */
static void prologue(is *c, uint32_t at)
{
    uint32_t f = fn_at(c, at);
    c->x.em.cur = at;
    put(c, t2_push_w(T2_PUSH_ENTRY));
    t2e_mov_reg(&c->x, ENV, T2_R0);
    put(c, t2_str_sp_imm(ENV, FC_NENV_SAVED_SP));
    put(c, t2_ldr_imm(FB, ENV, (int32_t)FC_NENV_REG(10, 0)));
    put(c, t2_subw(FB, FB, FC_STACK_SIZE));
    if (c->bud)
        put(c, t2_ldr_imm(BUD, ENV, FC_NENV_BUDGET));
    if (c->in.nentries > 1 || f != 0)
        t2e_br(&c->x, T2_AL, c->flab[f]);
}

static void pass(void *ctx)
{
    is *c = ctx;
    fc_em *em = &c->x.em;

    fc_em_begin(em);
    c->chk_insn = c->acc_insn = 0xffffffffu;
    c->unchecked = 0;
    c->s0_fold = c->sh_fold = 0;
    c->x.guess_fwd = c->npass++ == 0;
    for (uint32_t b = 0; b < c->ir.nblk; b++)
        c->blab[b] = fc_em_newlab(em);
    for (uint32_t f = 0; f < c->ir.nfn; f++)
        c->flab[f] = fc_em_newlab(em);
    for (uint32_t e = 0; e < c->in.nentries; e++) {
        fc_em_mapto(em, FC_BK_NO_INSN);
        if (em->writing && em->entry_off)
            em->entry_off[e] = em->pos;
        prologue(c, c->in.entries[e]);
    }
    for (uint32_t f = 0; f < c->ir.nfn; f++) {
        const fc_ir_func *fn = &c->ir.fn[f];
        c->f = f;
        em->cur = fn->start;
        fc_em_mapto(em, em->cur);
        fn_entry(c, f);
        c->bend = fn->b0 + fn->nb;
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            c->b = b;
            fc_em_bind(em, c->blab[b]);
            if (edge_inline(c, b))
                continue;                    /* emitted at its branch */
            for (uint32_t k = c->ir.blk[b].start; k < c->ir.blk[b].end; k++) {
                c->k = k;
                em->cur = c->ir.ins[k].insn;
                fc_em_mapto(em, em->cur);
                sel(c);
            }
        }
    }
    t2e_out_of_line(&c->x);
}

/* ---- entry points ----------------------------------------------------------------- */

static const fc_em_sizes sizes = {LABS_PER_INSN, BRS_PER_INSN, STUBS_PER_INSN, EXTRA, T2_FL__COUNT};

static unsigned size_cb(uint32_t enc) { return t2_size(enc); }
static void put_cb(uint8_t *at, uint32_t enc) { t2_put(at, enc); }
static const fc_em_target target = {T2_BAD, size_cb, put_cb, t2_validate};

static size_t t2_isel_work_size(const fc_prog *p)
{
    uint32_t n = p ? p->ninsns : 0;
    return fc_ir_workspace_size(n) + fc_ra_workspace_size(n) + fc_em_work_size(&sizes, n) +
           4u * (2u * (size_t)n + 8u) + 64u +  /* block and function labels */
           (size_t)n + 16u;                     /* a called flag per function */
}

static int t2_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts, void *work,
                      size_t work_len, fc_bk_out *out, fc_diags *diags)
{
    is cc, *c = &cc;
    uint8_t *w = work, *wend = (uint8_t *)work + work_len;
    uint32_t one_entry = 0, n, i;
    int32_t at;

    for (i = 0; i < sizeof cc; i++)
        ((uint8_t *)c)[i] = 0;
    int r0 = fc_em_start(&c->in, "thumbv7m", p, info, opts, &one_entry, work, work_len,
                         t2_isel_work_size(p), out, diags);
    if (r0 != FC_BK_OK)
        return r0;
    n = p->ninsns;
    uint32_t fl = c->in.flags;
    uint32_t lf = (fl & FC_BK_CHECK_ALL ? FC_IR_CHECK_ALL : 0u) |
                  (fl & FC_BK_NO_FACTS ? FC_IR_NO_FACTS : 0u) |
                  (fl & FC_BK_NO_OPT ? FC_IR_NO_HIOPT : 0u);
    size_t irw = fc_ir_workspace_size(n), raw = fc_ra_workspace_size(n);
    void *irws = fc_em_carve(&w, wend, irw, 8), *raws = fc_em_carve(&w, wend, raw, 8);
    if (!irws || !raws)
        return FC_BK_EWORK;
    if (fc_ir_lower_entries(p, info, lf, c->in.entries, c->in.nentries, irws, irw, &c->ir) != FC_IR_OK) {
        return fc_em_refuse(diags, "thumbv7m", -1, "the lowering refused the program");
    }
    if (!(fl & FC_BK_NO_OPT)) {
        fc_ir_promote(&c->ir, FC_IR_PROMOTE_MAX, fc_ra_navail(&fc_ra_target_cm3) - 1u);  /* r8 may hold the budget */    /* stack words reloaded: from temporaries */
        fc_ir_copyprop(&c->ir);              /* movs folded into their readers */
        fc_ir_opt(&c->ir);     /* checks of one base merged under a range guard */
    }
    /* A program that charges the budget (a taken backward jump, a local
     * call) keeps the counter in r8: SUBS and a branch per unit instead of LDR, SUBS, branch, STR. r8
     * leaves the allocator's table then (8 registers instead of 9), unless
     * that costs more spill operands than it saves: each charge saves two
     * instructions, each extra slot operand costs one (matmul keeps r8). */
    fc_ra_target tgt = fc_ra_target_cm3;
    uint32_t charges = 0;
    for (uint32_t k = 0; k < c->ir.nins; k++)
        if (c->ir.ins[k].op == FC_IR_BUDGET || c->ir.ins[k].op == FC_IR_CALL)
            charges++;
    if (charges) {
        uint32_t spill9;
        if (fc_ra_run(&c->ir, &tgt, raws, raw, &c->ra) != FC_RA_OK) {
            return fc_em_refuse(diags, "thumbv7m", -1, "the register allocation refused the program");
        }
        spill9 = c->ra.reloads + c->ra.spill_stores;
        tgt.avail &= ~(1ull << BUD);
        c->bud = 1;
        if (fc_ra_run(&c->ir, &tgt, raws, raw, &c->ra) != FC_RA_OK ||
            c->ra.reloads + c->ra.spill_stores > spill9 + 3u * charges) {
            tgt.avail = fc_ra_target_cm3.avail;
            c->bud = 0;
        }
    }
    if (fc_ra_run(&c->ir, &tgt, raws, raw, &c->ra) != FC_RA_OK) {
        return fc_em_refuse(diags, "thumbv7m", -1, "the register allocation refused the program");
    }
    c->called = fc_em_carve(&w, wend, (size_t)c->ir.nfn + 1u, 1);
    if (!c->called || c->ir.nfn > n + 1u)
        return FC_BK_EWORK;
    for (uint32_t f = 0; f < c->ir.nfn; f++)
        c->called[f] = 0;
    for (uint32_t k = 0; k < c->ir.nins; k++)
        if (c->ir.ins[k].op == FC_IR_CALL && c->ir.ins[k].tgt < c->ir.nfn)
            c->called[c->ir.ins[k].tgt] = 1;
    /* two rows of need per function from the free part of the workspace
     * (the emission tables are carved from it below) */
    uint8_t *tmp = (uint8_t *)(((uintptr_t)w + 3u) & ~(uintptr_t)3u);
    if (tmp > wend || (size_t)(wend - tmp) < 8u * (size_t)c->ir.nfn)
        return FC_BK_EWORK;
    if (mstack_need(c, tmp) > MSTACK_CODE_MAX) {
        return fc_em_refuse(diags, "thumbv7m", -1, "spill areas too large for the machine stack");
    }
    c->blab = fc_em_carve(&w, wend, 4u * ((size_t)c->ir.nblk + 1u), 4);
    c->flab = fc_em_carve(&w, wend, 4u * ((size_t)c->ir.nfn + 1u), 4);
    if (!c->blab || !c->flab || c->ir.nblk + c->ir.nfn > 2u * n + 8u ||
        fc_em_setup(&c->x.em, &target, &sizes, n, &w, wend))
        return FC_BK_EWORK;
    c->x.flags = fl;
    c->x.n = n;
    c->x.env = ENV;
    c->x.fb = FB;
    c->x.budget_reg = c->bud ? BUD : NONE;

    /* one counting pass finds what is not selected yet */
    pass(c);
    if (c->why)
        return fc_em_refuse(diags, "thumbv7m", -1, c->why);
    const char *msg = "";
    int r = fc_em_run(&c->x.em, pass, c, MAX_PASSES, out, &msg, &at);
    if (r == FC_BK_EINTERNAL && diags)
        fc_diag_add(diags, FC_SEV_ERROR, at, "thumbv7m: %s", msg);
    out->unchecked = c->unchecked;
    out->mregs = c->ra.webs_reg;
    return r;
}

unsigned t2_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

const fc_backend fc_backend_thumbv7m = {
    "thumbv7m",
    FC_TARGET_THUMBV7M,
    "Thumb-2 for ARMv7-M (Cortex-M3; runs on M4/M7)",
    "thumbv7m-none-eabi",
    4,
    t2_isel_work_size,
    t2_compile,
    t2_disasm,
};
