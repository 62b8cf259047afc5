/*
 * rv_cg.c - the RV32 emission layer under the instruction selector
 * (rv_isel.c): rv32imac, rv32ima (no compressed instructions) and rv32imc
 * (no A extension: every atomic with interrupts masked, no AMO or LR/SC).
 *
 * What the selector's code is made of (rv_cg.h): labels, branches sized by
 * the shared layer (middle/fc_emit.h: C.BEQZ/C.J, then B/JAL, then an
 * inverted B over a JAL; sizes only grow, so the passes converge),
 * relocations and runtime-routine calls, constants, ALU, loads and stores,
 * the budget, 64-bit compares and shifts by a register, 32-bit division,
 * bounds checks (the fast test against the span of the region the verifier
 * expects, else the shared slow-path routine FC_SYM_MEMCHECK, else an error
 * exit with FC_ERR_MEM_READ/WRITE, the address and the instruction index),
 * atomics, the error and slow-path stubs and the shared out-of-line code.
 * Fixed registers: s0 env (struct fc_native_env *), s1 the budget, s10
 * scratch T3, s11 fp = eBPF r10, t0-t2 scratch T0..T2.
 *
 * Misaligned LW/LH/SW/SH: eBPF allows them, and the code issues them as
 * they come. RISC-V leaves misaligned accesses to the execution environment
 * (unprivileged spec 2.6): cores without hardware support (SiFive E31) trap,
 * and the platform's M-mode trap handler must emulate them, as the Cortex-M
 * runtime needs CCR.UNALIGN_TRP = 0. AMOs and LR/SC are never misaligned
 * here: a misaligned 32-bit atomic and every 64-bit atomic run with
 * interrupts masked (CSRRCI mstatus.MIE): on a single hart that is atomic
 * against interrupt handlers, the only other code; it needs M-mode, as the
 * Thumb-2 code needs a privileged CPSID.
 */
#include "fc_vm.h"

#include "rv32/rv_cg.h"

/* ========================================================================
 * Emission primitives
 * ===================================================================== */

void put(cg *c, uint32_t enc) { fc_em_put(&c->em, enc); }

uint32_t newlab(cg *c) { return fc_em_newlab(&c->em); }

void bind(cg *c, uint32_t l) { fc_em_bind(&c->em, l); }

uint32_t L_fixed(const cg *c, unsigned k) { return c->in.n + 1 + k; }

static uint32_t brid(cg *c) { return fc_em_brid(&c->em); }

static unsigned level(cg *c, uint32_t id, unsigned need) { return fc_em_level(&c->em, id, need); }

/*
 * Branch to label l when `a cond b`: C.BEQZ/C.BNEZ (compare with x0, rs1 in
 * x8..x15, +-256 bytes), B<cond> (+-4 KiB), or B<!cond> over a JAL (+-1 MiB).
 * A branch that once needed a longer form keeps it, so passes converge.
 */
void br(cg *c, enum rv_cond cond, unsigned a, unsigned b, uint32_t l)
{
    uint32_t id = brid(c);
    int32_t d = (int32_t)(c->em.lab[l] - c->em.pos);
    int eq = cond == RV_BEQ || cond == RV_BNE;
    if (eq && a == ZERO) {          /* x0 on the right: the RVC form's shape */
        a = b;
        b = ZERO;
    }
    int cform = c->rvc && eq && b == ZERO && rv_creg_ok(a);
    unsigned lv = level(c, id, cform && rv_cboff_ok(d) ? 0u : rv_boff_ok(d) ? 1u : 2u);
    if (lv == 0)
        put(c, cond == RV_BEQ ? rv_c_beqz(a, d) : rv_c_bnez(a, d));
    else if (lv == 1)
        put(c, rv_branch(cond, a, b, d));
    else {
        put(c, rv_branch(rv_cond_invert(cond), a, b, 8));
        put(c, rv_jal(ZERO, d - 4));
    }
}

/* J / JAL ra to label l: the RVC form when it reaches, else JAL (+-1 MiB) */
void jal_lab(cg *c, unsigned rd, uint32_t l)
{
    uint32_t id = brid(c);
    int32_t d = (int32_t)(c->em.lab[l] - c->em.pos);
    int cform = c->rvc && (rd == ZERO || rd == RV_RA);
    unsigned lv = level(c, id, cform && rv_cjoff_ok(d) ? 0u : 1u);
    if (lv == 0)
        put(c, rd == ZERO ? rv_c_j(d) : rv_c_jal(d));
    else
        put(c, rv_jal(rd, d));
}
void jmp(cg *c, uint32_t l) { jal_lab(c, ZERO, l); }

void reloc(cg *c, unsigned kind, unsigned sym, int32_t addend)
{
    fc_em_reloc(&c->em, kind, sym, addend);
}

/* call a runtime routine: AUIPC ra + JALR ra, relocated (FC_RELOC_RV_CALL) */
void call_sym(cg *c, unsigned sym)
{
    reloc(c, FC_RELOC_RV_CALL, sym, 0);
    put(c, rv_auipc(RV_RA, 0));
    put(c, rv_jalr(RV_RA, RV_RA, 0));
}

void mapto(cg *c, uint32_t insn) { fc_em_mapto(&c->em, insn); }

stub *addstub(cg *c, enum stub_type t, uint32_t lab)
{
    return fc_em_addstub(&c->em, (unsigned)t, lab);
}

/* an error exit for the current instruction, to branch to */
uint32_t err_lab(cg *c, unsigned code)
{
    uint32_t l = newlab(c);
    stub *s = addstub(c, ST_ERR, l);
    s->code = (uint8_t)code;
    return l;
}

/* ---- instruction choosers: the RVC form where one exists ------------------ */

void e_li(cg *c, unsigned rd, uint32_t v)
{
    uint32_t e[2];
    unsigned k = rv_li(rd, v, c->rvc, e);
    for (unsigned i = 0; i < k; i++)
        put(c, e[i]);
}

void e_mv(cg *c, unsigned rd, unsigned rs)
{
    if (rd == rs)
        return;
    if (rs == ZERO)
        e_li(c, rd, 0);
    else
        put(c, c->rvc ? rv_c_mv(rd, rs) : rv_addi(rd, rs, 0));
}

/* rd = a OP b */
void e_rrr(cg *c, enum alu op, unsigned rd, unsigned a, unsigned b)
{
    int comm = op == A_ADD || op == A_AND || op == A_OR || op == A_XOR;
    /* x0 operands: identities (rd = a for a + 0, a | 0, ...) */
    if ((op == A_ADD || op == A_OR || op == A_XOR) && (a == ZERO || b == ZERO)) {
        e_mv(c, rd, a == ZERO ? b : a);
        return;
    }
    if ((op == A_SUB || op == A_SLL || op == A_SRL || op == A_SRA) && b == ZERO) {
        e_mv(c, rd, a);
        return;
    }
    if (op == A_AND && (a == ZERO || b == ZERO)) {
        e_li(c, rd, 0);
        return;
    }
    if (c->rvc && comm && rd == b && rd != a) {
        unsigned t = a;
        a = b;
        b = t;
    }
    if (c->rvc && rd == a) {
        if (op == A_ADD && rd != ZERO) {
            put(c, rv_c_add(rd, b));
            return;
        }
        if (rv_creg_ok(rd) && rv_creg_ok(b) &&
            (op == A_SUB || op == A_AND || op == A_OR || op == A_XOR)) {
            put(c, op == A_SUB ? rv_c_sub(rd, b) : op == A_AND ? rv_c_and(rd, b)
                   : op == A_OR ? rv_c_or(rd, b) : rv_c_xor(rd, b));
            return;
        }
    }
    switch (op) {
    case A_ADD:   put(c, rv_add(rd, a, b)); break;
    case A_SUB:   put(c, rv_sub(rd, a, b)); break;
    case A_AND:   put(c, rv_and(rd, a, b)); break;
    case A_OR:    put(c, rv_or(rd, a, b)); break;
    case A_XOR:   put(c, rv_xor(rd, a, b)); break;
    case A_SLL:   put(c, rv_sll(rd, a, b)); break;
    case A_SRL:   put(c, rv_srl(rd, a, b)); break;
    case A_SRA:   put(c, rv_sra(rd, a, b)); break;
    case A_SLTU:  put(c, rv_sltu(rd, a, b)); break;
    case A_SLT:   put(c, rv_slt(rd, a, b)); break;
    case A_MUL:   put(c, rv_mul(rd, a, b)); break;
    case A_MULHU: put(c, rv_mulhu(rd, a, b)); break;
    case A_DIV:   put(c, rv_div(rd, a, b)); break;
    case A_DIVU:  put(c, rv_divu(rd, a, b)); break;
    case A_REM:   put(c, rv_rem(rd, a, b)); break;
    case A_REMU:  put(c, rv_remu(rd, a, b)); break;
    }
}

/* rd = a + imm (imm in 12 bits) */
void e_addi(cg *c, unsigned rd, unsigned a, int32_t imm)
{
    if (imm == 0) {
        e_mv(c, rd, a);
    } else if (a == ZERO) {
        e_li(c, rd, (uint32_t)imm);
    } else if (c->rvc && rd == a && rd == RV_SP && rv_caddi16sp_ok(imm)) {
        put(c, rv_c_addi16sp(imm));
    } else if (c->rvc && rd == a && rv_cimm6_ok(imm)) {
        put(c, rv_c_addi(rd, imm));
    } else {
        put(c, rv_addi(rd, a, imm));
    }
}

/*
 * rd = a OP v for a 32-bit constant v (A_ADD, A_SUB, A_AND, A_OR, A_XOR,
 * A_SLTU): the I-type form when v fits 12 bits (SUB as ADDI of -v), else v
 * materialised into tmp (which may be rd only if rd != a).
 */
void e_rri(cg *c, enum alu op, unsigned rd, unsigned a, uint32_t v, unsigned tmp)
{
    int32_t s = (int32_t)v;
    if (op == A_SUB && s != INT32_MIN) {
        op = A_ADD;
        v = 0u - v;
        s = (int32_t)v;
    }
    if (rv_imm12_ok(s)) {
        switch (op) {
        case A_ADD:
            e_addi(c, rd, a, s);
            return;
        case A_AND:
            if (s == -1)
                e_mv(c, rd, a);
            else if (c->rvc && rd == a && rv_creg_ok(rd) && rv_cimm6_ok(s))
                put(c, rv_c_andi(rd, s));
            else
                put(c, rv_andi(rd, a, s));
            return;
        case A_OR:
        case A_XOR:
            if (s == 0)
                e_mv(c, rd, a);
            else
                put(c, op == A_OR ? rv_ori(rd, a, s) : rv_xori(rd, a, s));
            return;
        case A_SLTU:
            put(c, rv_sltiu(rd, a, s));
            return;
        default:
            break;
        }
    }
    if (v == 0) {
        e_rrr(c, op, rd, a, ZERO);
        return;
    }
    e_li(c, tmp, v);
    e_rrr(c, op, rd, a, tmp);
}

void e_shi(cg *c, enum shk k, unsigned rd, unsigned a, unsigned n)
{
    if (n == 0) {
        e_mv(c, rd, a);
        return;
    }
    if (c->rvc && rd == a) {
        if (k == SH_LL && rd != ZERO) {
            put(c, rv_c_slli(rd, n));
            return;
        }
        if (k != SH_LL && rv_creg_ok(rd)) {
            put(c, k == SH_RL ? rv_c_srli(rd, n) : rv_c_srai(rd, n));
            return;
        }
    }
    put(c, k == SH_LL ? rv_slli(rd, a, n) : k == SH_RL ? rv_srli(rd, a, n) : rv_srai(rd, a, n));
}

/* loads and stores with a 12-bit offset; C.LW/C.SW/C.LWSP/C.SWSP when possible */
void e_lw(cg *c, unsigned rd, unsigned base, int32_t off)
{
    if (c->rvc && base == RV_SP && rd != ZERO && rv_clwsp_ok(off))
        put(c, rv_c_lwsp(rd, off));
    else if (c->rvc && rv_creg_ok(rd) && rv_creg_ok(base) && rv_clw_ok(off))
        put(c, rv_c_lw(rd, base, off));
    else
        put(c, rv_lw(rd, base, off));
}

void e_sw(cg *c, unsigned v, unsigned base, int32_t off)
{
    if (c->rvc && base == RV_SP && rv_clwsp_ok(off))
        put(c, rv_c_swsp(v, off));
    else if (c->rvc && rv_creg_ok(v) && rv_creg_ok(base) && rv_clw_ok(off))
        put(c, rv_c_sw(v, base, off));
    else
        put(c, rv_sw(v, base, off));
}

void e_load(cg *c, unsigned n, int sx, unsigned rd, unsigned base, int32_t off)
{
    switch (n) {
    case 1: put(c, sx ? rv_lb(rd, base, off) : rv_lbu(rd, base, off)); break;
    case 2: put(c, sx ? rv_lh(rd, base, off) : rv_lhu(rd, base, off)); break;
    default: e_lw(c, rd, base, off); break;
    }
}

void e_store(cg *c, unsigned n, unsigned v, unsigned base, int32_t off)
{
    switch (n) {
    case 1: put(c, rv_sb(v, base, off)); break;
    case 2: put(c, rv_sh(v, base, off)); break;
    default: e_sw(c, v, base, off); break;
    }
}

/* ========================================================================
 * eBPF register halves
 * ===================================================================== */

int32_t slot(unsigned r, unsigned h) { return (int32_t)FC_NENV_REG(r, h); }

/* ========================================================================
 * Budget, jumps and conditions
 * ===================================================================== */

/* a taken backward jump: one unit of budget, none left is FC_ERR_BUDGET */
void budget(cg *c)
{
    br(c, RV_BEQ, BUD, ZERO, err_lab(c, FC_ERR_BUDGET));
    e_addi(c, BUD, BUD, -1);
}

/* the RISC-V branch for `x OP y` on 32-bit values; *swap: compare y, x */
enum rv_cond cond_of(unsigned jop, int uns, int *swap)
{
    *swap = 0;
    switch (jop) {
    case FC_JMP_JEQ:  return RV_BEQ;
    case FC_JMP_JNE:  return RV_BNE;
    case FC_JMP_JGT:  *swap = 1; return RV_BLTU;    /* y < x */
    case FC_JMP_JGE:  return RV_BGEU;
    case FC_JMP_JLT:  return RV_BLTU;
    case FC_JMP_JLE:  *swap = 1; return RV_BGEU;    /* y >= x */
    case FC_JMP_JSGT: *swap = 1; return uns ? RV_BLTU : RV_BLT;
    case FC_JMP_JSGE: return uns ? RV_BGEU : RV_BGE;
    case FC_JMP_JSLT: return uns ? RV_BLTU : RV_BLT;
    default:          *swap = 1; return uns ? RV_BGEU : RV_BGE;   /* JSLE */
    }
}

/*
 * A 64-bit condition as branches: to lt when true, to lf when false, one
 * of the two being the fall-through (ft_true: falls through when true).
 * x < y: hi decides unless equal (signed or unsigned), then lo unsigned.
 */
void cond64(cg *c, unsigned jop, unsigned xl, unsigned xh, unsigned yl, unsigned yh,
                   uint32_t lt, uint32_t lf, int ft_true)
{
    int sgn = jop == FC_JMP_JSGT || jop == FC_JMP_JSGE || jop == FC_JMP_JSLT || jop == FC_JMP_JSLE;
    switch (jop) {
    case FC_JMP_JNE:
        cond64(c, FC_JMP_JEQ, xl, xh, yl, yh, lf, lt, !ft_true);
        return;
    case FC_JMP_JEQ:
        br(c, RV_BNE, xl, yl, lf);
        br(c, ft_true ? RV_BNE : RV_BEQ, xh, yh, ft_true ? lf : lt);
        return;
    case FC_JMP_JGE: case FC_JMP_JSGE:      /* !(x < y) */
        cond64(c, sgn ? FC_JMP_JSLT : FC_JMP_JLT, xl, xh, yl, yh, lf, lt, !ft_true);
        return;
    case FC_JMP_JGT: case FC_JMP_JSGT:      /* y < x */
        cond64(c, sgn ? FC_JMP_JSLT : FC_JMP_JLT, yl, yh, xl, xh, lt, lf, ft_true);
        return;
    case FC_JMP_JLE: case FC_JMP_JSLE:      /* !(y < x) */
        cond64(c, sgn ? FC_JMP_JSLT : FC_JMP_JLT, yl, yh, xl, xh, lf, lt, !ft_true);
        return;
    default:                                /* JLT, JSLT */
        br(c, sgn ? RV_BLT : RV_BLTU, xh, yh, lt);
        br(c, RV_BNE, xh, yh, lf);
        br(c, ft_true ? RV_BGEU : RV_BLTU, xl, yl, ft_true ? lf : lt);
        return;
    }
}

/* ========================================================================
 * Bounds checks
 * ===================================================================== */

unsigned lg2(unsigned n) { return n == 8 ? 3u : n == 4 ? 2u : n == 2 ? 1u : 0u; }

void mem_fast(cg *c, unsigned blo, unsigned bhi, int32_t off, unsigned k, unsigned perm,
              unsigned hint, uint32_t carry, uint32_t err, uint32_t slow)
{
    int32_t o = off;

    /* T0 = lo of the address; its hi half must be 0 */
    if (rv_imm12_ok(o)) {
        e_addi(c, T0, blo, o);
    } else {
        e_li(c, T0, (uint32_t)o);
        e_rrr(c, A_ADD, T0, T0, blo);
    }
    if (bhi == ZERO) {
        /* hi = carry + sext(off) >> 32: 0 iff (off >= 0 ? no carry : carry),
         * and carry iff T0 < blo (unsigned) */
        if (off != 0)
            br(c, off > 0 ? RV_BLTU : RV_BGEU, T0, blo, carry);
    } else {
        put(c, rv_sltu(T1, T0, blo));
        e_rrr(c, A_ADD, T1, T1, bhi);
        if (off < 0)
            e_addi(c, T1, T1, -1);
        br(c, RV_BNE, T1, ZERO, err);
    }

    /* fast path: the region of the hint */
    if (perm == FC_PERM_RW && hint != FC_REGION_STACK) {
        /* atomics need one region both readable and writable: slow path */
        jmp(c, slow);
        return;
    }
    if (hint == FC_REGION_STACK) {
        /* [fb, top) with fb = r10 - 512: (a - fb) < (stack_end[k] - fb) */
        e_addi(c, T1, FP, -(int32_t)FC_STACK_SIZE);
        e_rrr(c, A_SUB, T2, T0, T1);
        e_lw(c, T3, ENV, (int32_t)(FC_NENV_STACK_END + 4 * k));
        e_rrr(c, A_SUB, T3, T3, T1);
    } else {
        unsigned sl = hint <= FC_REGION_BSS ? hint : 4u;
        uint32_t span = (perm == FC_PERM_R ? FC_NENV_RD : FC_NENV_WR) + FC_NATIVE_SPAN_SIZE * sl;
        e_lw(c, T1, ENV, (int32_t)span);
        e_lw(c, T3, ENV, (int32_t)(span + FC_NENV_SPAN_LIM(k)));
        e_rrr(c, A_SUB, T2, T0, T1);
    }
    br(c, RV_BGEU, T2, T3, slow);
}

void mem_check(cg *c, unsigned blo, unsigned bhi, int32_t off, unsigned n, unsigned perm,
               unsigned hint)
{
    unsigned k = lg2(n);
    stub *s = fc_em_memcheck(&c->em, ST_MEM, perm, k);
    uint32_t back = s->lab2, slow = s->lab, err = s->lab3, carry = err;

    if (bhi == ZERO && off != 0) {
        /* a carry out of the address: its stub puts the high half in T1 */
        stub *h;
        carry = newlab(c);
        h = addstub(c, ST_MEMHI, carry);
        h->lab3 = err;
        h->val = off > 0 ? 1u : 0xffffffffu;
    }
    mem_fast(c, blo, bhi, off, k, perm, hint, carry, err, slow);
    bind(c, back);
}


/* ========================================================================
 * ALU
 * ===================================================================== */

/*
 * rd = bswap32(a) without Zbb: swap the bytes inside each halfword with the
 * mask 0x00ff00ff (in m, loaded by the caller), then swap the halfwords.
 * Uses T0, T1; rd may be a.
 */
void bswap32(cg *c, unsigned rd, unsigned a, unsigned m)
{
    e_shi(c, SH_RL, T0, a, 8);
    e_rrr(c, A_AND, T0, T0, m);
    e_rrr(c, A_AND, T1, a, m);
    e_shi(c, SH_LL, T1, T1, 8);
    e_rrr(c, A_OR, T0, T0, T1);
    e_shi(c, SH_RL, T1, T0, 16);
    e_shi(c, SH_LL, T0, T0, 16);
    e_rrr(c, A_OR, rd, T0, T1);
}

/* rd = bswap16(a) (upper bits of the result 0); uses T0 */
void bswap16(cg *c, unsigned rd, unsigned a)
{
    e_rri(c, A_AND, T0, a, 0xffu, T0);
    e_shi(c, SH_LL, T0, T0, 8);
    e_shi(c, SH_RL, rd, a, 8);
    e_rri(c, A_AND, rd, rd, 0xffu, rd);
    e_rrr(c, A_OR, rd, rd, T0);
}

/* lo = a / b (32-bit) with eBPF's x / 0 = 0: RISC-V gives all ones there
 * (section 7.2), so the quotient is masked with (b != 0 ? ~0 : 0). The
 * remainder needs nothing: RISC-V's x % 0 = x and INT_MIN % -1 = 0 and
 * INT_MIN / -1 = INT_MIN are eBPF's. */
void div32(cg *c, unsigned dl, unsigned a, unsigned b, int sgn, int mod, int b_nonzero)
{
    if (mod) {
        e_rrr(c, sgn ? A_REM : A_REMU, dl, a, b);
        return;
    }
    if (b_nonzero) {
        e_rrr(c, sgn ? A_DIV : A_DIVU, dl, a, b);
        return;
    }
    e_rrr(c, sgn ? A_DIV : A_DIVU, T0, a, b);
    put(c, rv_sltiu(T1, b, 1));          /* seqz: 1 when b == 0 */
    e_addi(c, T1, T1, -1);
    e_rrr(c, A_AND, dl, T0, T1);
}

/*
 * 64-bit shifts by a register (amount & 63), with one branch on n >= 32:
 * dl:dh = al:ah shifted by b (aop FC_ALU_LSH, RSH, ARSH), both generators'
 * sequence (rv_cg.h). For n < 32 the bits crossing halves are
 * (lo >> 1) >> (31 - n), which is right for n = 0 as well (RISC-V would
 * take a shift by 32 - 0 as 0). dh ZERO: the hi half is not wanted; ah
 * ZERO: known zero. Where the result's hi half is 0, dh gets it written
 * only with zero_hi. dl may be al (in place); t0-t2 are scratch.
 */
void shift64_reg(cg *c, unsigned aop, unsigned dl, unsigned dh, unsigned al, unsigned ah, unsigned b,
                 int zero_hi)
{
    uint32_t small = newlab(c), done = newlab(c);
    int hz0 = dh != ZERO && zero_hi;

    e_rri(c, A_AND, T0, b, 63, T0);
    e_addi(c, T1, T0, -32);
    br(c, RV_BLT, T1, ZERO, small);
    if (aop == FC_ALU_LSH) {
        if (dh != ZERO)
            e_rrr(c, A_SLL, dh, al, T1);
        e_li(c, dl, 0);
        jmp(c, done);
        bind(c, small);
        if (dh != ZERO) {
            e_shi(c, SH_RL, T2, al, 1);
            e_rri(c, A_XOR, T1, T0, 31, T1);
            e_rrr(c, A_SRL, T2, T2, T1);
            e_rrr(c, A_SLL, dh, ah, T0);
            e_rrr(c, A_OR, dh, dh, T2);
        }
        e_rrr(c, A_SLL, dl, al, T0);
        bind(c, done);
        return;
    }
    enum alu ho = aop == FC_ALU_RSH ? A_SRL : A_SRA;
    e_rrr(c, ho, dl, ah, T1);
    if (aop == FC_ALU_RSH || ah == ZERO) {
        if (hz0)
            e_li(c, dh, 0);
    } else if (dh != ZERO) {
        e_shi(c, SH_RA, dh, ah, 31);
    }
    jmp(c, done);
    bind(c, small);
    e_rrr(c, A_SRL, dl, al, T0);
    if (ah != ZERO) {
        e_shi(c, SH_LL, T2, ah, 1);
        e_rri(c, A_XOR, T1, T0, 31, T1);
        e_rrr(c, A_SLL, T2, T2, T1);
        e_rrr(c, A_OR, dl, dl, T2);
    }
    if (ah == ZERO) {
        if (hz0)
            e_li(c, dh, 0);
    } else if (dh != ZERO) {
        e_rrr(c, ho, dh, ah, T0);
    }
    bind(c, done);
}

/* ---- lddw ------------------------------------------------------------------- */

/* ---- loads and stores -------------------------------------------------------- */

/* interrupts off around a sequence: T2 = old mstatus (MIE bit only kept) */
void irq_off(cg *c) { put(c, rv_csrrci(T2, RV_CSR_MSTATUS, RV_MSTATUS_MIE)); }
void irq_restore(cg *c)
{
    e_rri(c, A_AND, T2, T2, RV_MSTATUS_MIE, T2);
    put(c, rv_csrrs(ZERO, RV_CSR_MSTATUS, T2));
}

/*
 * The read-modify-write of n (4, 8) bytes at [T0] with the value {sl, sh}
 * (cmpxchg: compared with {cl, ch}); the old value ends in T1 (lo) and T3
 * (hi, n = 8). Clobbers T1..T3 and ra; the operands must be none of them.
 */
void atomic_rmw(cg *c, unsigned n, int32_t aop, unsigned sl, unsigned sh, unsigned cl, unsigned ch)
{
    int fetch = (aop & FC_ATOMIC_FETCH) != 0;
    int cmpx = aop == FC_ATOMIC_CMPXCHG, xchg = aop == FC_ATOMIC_XCHG;
    enum alu o;

    switch (aop & ~FC_ATOMIC_FETCH) {
    case FC_ATOMIC_OR:  o = A_OR; break;
    case FC_ATOMIC_AND: o = A_AND; break;
    case FC_ATOMIC_XOR: o = A_XOR; break;
    default:            o = A_ADD; break;
    }

    if (n == 4) {
        uint32_t unal = newlab(c), done = newlab(c);
        if (c->amo) {   /* aligned: AMO or LR/SC; without A (rv32imc) all take the masked path */
            e_rri(c, A_AND, T1, T0, 3, T1);
            br(c, RV_BNE, T1, ZERO, unal);
            if (cmpx) {
                uint32_t loop = newlab(c);
                bind(c, loop);
                put(c, rv_lr_w(T1, T0));
                br(c, RV_BNE, T1, cl, done);
                put(c, rv_sc_w(T2, sl, T0));
                br(c, RV_BNE, T2, ZERO, loop);
            } else {
                unsigned rd = fetch ? T1 : ZERO;
                switch (xchg ? -1 : (int)o) {
                case -1:    put(c, rv_amoswap_w(rd, sl, T0)); break;
                case A_OR:  put(c, rv_amoor_w(rd, sl, T0)); break;
                case A_AND: put(c, rv_amoand_w(rd, sl, T0)); break;
                case A_XOR: put(c, rv_amoxor_w(rd, sl, T0)); break;
                default:    put(c, rv_amoadd_w(rd, sl, T0)); break;
                }
            }
            jmp(c, done);
        }
        bind(c, unal);
        irq_off(c);
        e_lw(c, T1, T0, 0);
        if (cmpx) {
            uint32_t skip = newlab(c);
            br(c, RV_BNE, T1, cl, skip);
            e_sw(c, sl, T0, 0);
            bind(c, skip);
        } else if (xchg) {
            e_sw(c, sl, T0, 0);
        } else {
            e_rrr(c, o, T3, T1, sl);
            e_sw(c, T3, T0, 0);
        }
        irq_restore(c);
        bind(c, done);
        return;
    }

    /* 64-bit: old value in T1 (lo) : T3 (hi), ra the scratch */
    irq_off(c);
    e_lw(c, T1, T0, 0);
    e_lw(c, T3, T0, 4);
    if (cmpx) {
        uint32_t skip = newlab(c);
        br(c, RV_BNE, T1, cl, skip);
        br(c, RV_BNE, T3, ch, skip);
        e_sw(c, sl, T0, 0);
        e_sw(c, sh, T0, 4);
        bind(c, skip);
    } else if (xchg) {
        e_sw(c, sl, T0, 0);
        e_sw(c, sh, T0, 4);
    } else if (o == A_ADD) {
        e_rrr(c, A_ADD, RV_RA, T1, sl);
        e_sw(c, RV_RA, T0, 0);
        e_rrr(c, A_SLTU, RV_RA, RV_RA, sl);     /* carry */
        e_rrr(c, A_ADD, RV_RA, RV_RA, T3);
        e_rrr(c, A_ADD, RV_RA, RV_RA, sh);
        e_sw(c, RV_RA, T0, 4);
    } else {
        e_rrr(c, o, RV_RA, T1, sl);
        e_sw(c, RV_RA, T0, 0);
        e_rrr(c, o, RV_RA, T3, sh);
        e_sw(c, RV_RA, T0, 4);
    }
    irq_restore(c);
}

/* ---- prologue, stubs, shared routines ---------------------------------------- */

/* callee-saved registers in the prologue frame: s0..s11 at 4*k, ra at 60 */
unsigned sreg(unsigned k) { return k < 2 ? RV_S0 + k : RV_S2 + (k - 2); }

/* is s<k> written by this program's code (so saved and restored)? */
static int sreg_used(const cg *c, unsigned k)
{
    return c->smask >> k & 1u;          /* from the allocation */
}

void frame_enter(cg *c)
{
    e_addi(c, RV_SP, RV_SP, -(int32_t)FRAME_SIZE);
    e_sw(c, RV_RA, RV_SP, 60);
    for (unsigned k = 0; k < 12; k++)
        if (sreg_used(c, k))
            e_sw(c, sreg(k), RV_SP, (int32_t)(4 * k));
    e_mv(c, ENV, RV_A0);
    e_sw(c, RV_SP, ENV, FC_NENV_SAVED_SP);
    if (c->has_back)
        e_lw(c, BUD, ENV, FC_NENV_BUDGET);
    e_lw(c, FP, ENV, slot(10, 0));
}

void emit_stub(cg *c, const stub *s)
{
    fc_em_stub_begin(&c->em, s);
    switch (s->type) {
    case ST_ERR:
        e_li(c, RV_A1, s->insn);
        e_li(c, RV_A0, s->code);
        jmp(c, L_fixed(c, FL_ERR));
        break;
    case ST_HELPERR:
        e_li(c, RV_A1, s->insn);
        jmp(c, L_fixed(c, FL_ERR));
        break;
    case ST_MEMHI:
        e_li(c, T1, s->val);
        jmp(c, s->lab3);
        break;
    case ST_MEM:
        jal_lab(c, RV_RA, L_fixed(c, FL_MEMSLOW + (s->perm - 1u) * 4u + s->lg));
        br(c, RV_BNE, T1, ZERO, s->lab2);
        e_li(c, T1, 0);
        bind(c, s->lab3);
        e_li(c, RV_A1, s->insn);
        jmp(c, L_fixed(c, s->perm == FC_PERM_R ? FL_ERR_MEM_R : FL_ERR_MEM_W));
        break;
    }
}

void shared(cg *c)
{
    static const unsigned div_sym[4] = {FC_SYM_UDIV64, FC_SYM_SDIV64, FC_SYM_UMOD64, FC_SYM_SMOD64};
    /* caller-saved registers a memcheck call must keep: the homes in
     * a0..a7, t3..t6, and the address in t0 */
    static const uint8_t keep[13] = {RV_T0, RV_A0, RV_A1, RV_A2, RV_A3, RV_A4, RV_A5, RV_A6,
                                     RV_A7, RV_T3, RV_T4, RV_T5, RV_T6};
    static const uint8_t keep_ir[10] = {RV_A0, RV_A1, RV_A2, RV_A3, RV_A4, RV_A5, RV_A6, RV_A7,
                                        RV_T5, RV_T6};

    c->em.cur = c->in.n;
    mapto(c, FC_BK_NO_INSN);
    /* memory errors: address in t0:t1, slot in a1 */
    for (unsigned w = 0; w < 2; w++) {
        bind(c, L_fixed(c, w ? FL_ERR_MEM_W : FL_ERR_MEM_R));
        e_sw(c, T0, ENV, FC_NENV_ERR_ADDR);
        e_sw(c, T1, ENV, FC_NENV_ERR_ADDR + 4);
        e_li(c, RV_A0, w ? FC_ERR_MEM_WRITE : FC_ERR_MEM_READ);
        if (!w)
            jmp(c, L_fixed(c, FL_ERR));
    }
    /* err: a0 = code, a1 = slot; then the common exit */
    bind(c, L_fixed(c, FL_ERR));
    e_sw(c, RV_A0, ENV, FC_NENV_ERR);
    e_sw(c, RV_A1, ENV, FC_NENV_ERR_INSN);
    e_lw(c, RV_SP, ENV, FC_NENV_SAVED_SP);
    /* exit: a0 = result; budget back into env, callee-saved registers back */
    bind(c, L_fixed(c, FL_EXIT));
    if (c->has_back)
        e_sw(c, BUD, ENV, FC_NENV_BUDGET);
    e_lw(c, RV_RA, RV_SP, 60);
    for (unsigned k = 0; k < 12; k++)
        if (sreg_used(c, k))
            e_lw(c, sreg(k), RV_SP, (int32_t)(4 * k));
    e_addi(c, RV_SP, RV_SP, (int32_t)FRAME_SIZE);
    put(c, c->rvc ? rv_c_jr(RV_RA) : rv_jalr(ZERO, RV_RA, 0));

    /* 64-bit division stubs: a in t0:t1, b in t2:s10, result in t0:t1;
     * r0..r5 (caller-saved homes) parked in env->regs around the call */
    for (unsigned r = 0; r < 4; r++) {
        if (!(c->div_used >> r & 1u))
            continue;
        bind(c, L_fixed(c, FL_DIV + r));
        /* the caller-saved registers the selector allocates (a0-a7, t5,
         * t6: keep_ir; t3/t4 hold nothing across it) parked in env->regs,
         * free at that point */
        e_addi(c, RV_SP, RV_SP, -16);
        e_sw(c, RV_RA, RV_SP, 12);
        for (unsigned j = 0; j < sizeof keep_ir; j++)
            e_sw(c, keep_ir[j], ENV, slot(j / 2, j % 2));
        e_mv(c, RV_A0, T0);
        e_mv(c, RV_A1, T1);
        e_mv(c, RV_A2, T2);
        e_mv(c, RV_A3, T3);
        call_sym(c, div_sym[r]);
        e_mv(c, T0, RV_A0);
        e_mv(c, T1, RV_A1);
        for (unsigned j = 0; j < sizeof keep_ir; j++)
            e_lw(c, keep_ir[j], ENV, slot(j / 2, j % 2));
        e_lw(c, RV_RA, RV_SP, 12);
        e_addi(c, RV_SP, RV_SP, 16);
        put(c, c->rvc ? rv_c_jr(RV_RA) : rv_jalr(ZERO, RV_RA, 0));
    }

    /* bounds-check slow paths: t1 = 1 when some region holds [t0, t0+n),
     * every other register kept but ra */
    for (unsigned k = 0; k < 12; k++) {
        if (!(c->em.memslow_used >> k & 1u))
            continue;
        bind(c, L_fixed(c, FL_MEMSLOW + k));
        e_addi(c, RV_SP, RV_SP, -(int32_t)SLOW_FRAME);
        e_sw(c, RV_RA, RV_SP, 60);
        for (unsigned j = 0; j < sizeof keep; j++)
            e_sw(c, keep[j], RV_SP, (int32_t)(4 * j));
        e_addi(c, T1, FP, -(int32_t)FC_STACK_SIZE);
        e_sw(c, T1, ENV, FC_NENV_CUR_FB);
        e_mv(c, RV_A1, T0);
        e_mv(c, RV_A0, ENV);
        e_li(c, RV_A2, 1u << (k % 4));
        e_li(c, RV_A3, k / 4 + 1);
        call_sym(c, FC_SYM_MEMCHECK);
        e_mv(c, T1, RV_A0);
        for (unsigned j = 0; j < sizeof keep; j++)
            e_lw(c, keep[j], RV_SP, (int32_t)(4 * j));
        e_lw(c, RV_RA, RV_SP, 60);
        e_addi(c, RV_SP, RV_SP, (int32_t)SLOW_FRAME);
        put(c, c->rvc ? rv_c_jr(RV_RA) : rv_jalr(ZERO, RV_RA, 0));
    }
}
