/*
 * t2_emit.c - the Thumb-2 emission layer (t2_emit.h).
 */
#include "thumb2/t2_emit.h"
#include "fc_vm.h"

#define IP T2_IP
#define LR T2_LR
#define NONE FC_EM_NONE

void t2e_put(t2_em *x, uint32_t enc)
{
    if (!(x->flags & FC_BK_NO_OPT))
        enc = t2_narrow(enc);
    fc_em_put(&x->em, enc);
}

/* B / B<c> to a label: 16-bit when it reaches, else 32-bit; a branch that
 * once needed 32 bits keeps them (sizes only grow, so passes converge). */
void t2e_br(t2_em *x, enum t2_cond cond, uint32_t l)
{
    uint32_t id = fc_em_brid(&x->em);
    int32_t d = (int32_t)(x->em.lab[l] - (x->em.pos + 4));
    int fits = cond == T2_AL ? t2_b16_ok(d) : t2_b16c_ok(d);

    if (x->guess_fwd && x->em.lab[l] == 0 && !fits) {
        fits = 1;
        d = 0;
    }
    if (fc_em_level(&x->em, id, fits ? 0u : 1u))
        t2e_put(x, cond == T2_AL ? t2_b32(d) : t2_bcond32(cond, d));
    else
        t2e_put(x, cond == T2_AL ? t2_b16(d) : t2_bcond16(cond, d));
}

void t2e_cbz(t2_em *x, unsigned rn, int nz, uint32_t l, int fwd)
{
    uint32_t id = fc_em_brid(&x->em);
    int32_t d = (int32_t)(x->em.lab[l] - (x->em.pos + 4));
    /* a label ahead not placed yet (d < 0 in an early pass) is taken to
     * reach; the passes repeat until every label stands */
    int ok = fwd && t2_low_reg(rn) && !(x->flags & FC_BK_NO_OPT) && (d < 0 || t2_cbz_ok(d));

    if (!fc_em_level(&x->em, id, ok ? 0u : 1u)) {
        (void)fc_em_brid(&x->em);   /* the long form's B<c>: later ids stay the same */
        t2e_put(x, nz ? t2_cbnz(rn, d < 0 ? 0 : d) : t2_cbz(rn, d < 0 ? 0 : d));
        return;
    }
    t2e_put(x, t2_cmp_imm(rn, 0));
    t2e_br(x, nz ? T2_NE : T2_EQ, l);
}

/* BL to a local label (shared routines) */
void t2e_bl_lab(t2_em *x, uint32_t l)
{
    t2e_put(x, t2_bl((int32_t)(x->em.lab[l] - (x->em.pos + 4))));
}

/* BL to a runtime routine: a relocated call, displacement 0 until loaded */
void t2e_bl_sym(t2_em *x, unsigned sym)
{
    fc_em_reloc(&x->em, FC_RELOC_THM_CALL, sym, 0);
    t2e_put(x, t2_bl(0));
}

/* An error exit for the current instruction: branch (cond) to a new stub. */
void t2e_br_err(t2_em *x, enum t2_cond cond, unsigned code)
{
    uint32_t l = fc_em_newlab(&x->em);
    fc_em_stub *s = fc_em_addstub(&x->em, T2_ST_ERR, l);
    s->code = (uint8_t)code;
    t2e_br(x, cond, l);
}

void t2e_mov_const(t2_em *x, unsigned rd, uint32_t v)
{
    uint32_t e[2];
    unsigned k = t2_mov_const(rd, v, e);
    for (unsigned i = 0; i < k; i++)
        t2e_put(x, e[i]);
}

void t2e_mov_reg(t2_em *x, unsigned rd, unsigned rm)
{
    if (rd != rm)
        t2e_put(x, t2_mov_reg(rd, rm));
}

uint32_t t2e_dp_imm_enc(enum t2_dp op, unsigned s, unsigned rd, unsigned rn, uint32_t v)
{
    switch (op) {
    case T2_DP_AND: return s ? T2_BAD : t2_and_imm(rd, rn, v);
    case T2_DP_ORR: return s ? T2_BAD : t2_orr_imm(rd, rn, v);
    case T2_DP_EOR: return s ? T2_BAD : t2_eor_imm(rd, rn, v);
    case T2_DP_BIC: return s ? T2_BAD : t2_bic_imm(rd, rn, v);
    case T2_DP_ORN: return s ? T2_BAD : t2_orn_imm(rd, rn, v);
    case T2_DP_ADD: return s ? t2_adds_imm(rd, rn, v) : t2_add_imm(rd, rn, v);
    case T2_DP_ADC: return s ? t2_adcs_imm(rd, rn, v) : t2_adc_imm(rd, rn, v);
    case T2_DP_SUB: return s ? t2_subs_imm(rd, rn, v) : t2_sub_imm(rd, rn, v);
    case T2_DP_SBC: return s ? t2_sbcs_imm(rd, rn, v) : t2_sbc_imm(rd, rn, v);
    case T2_DP_RSB: return s ? t2_rsbs_imm(rd, rn, v) : t2_rsb_imm(rd, rn, v);
    }
    return T2_BAD;
}

uint32_t t2e_dp_reg_enc(enum t2_dp op, unsigned s, unsigned rd, unsigned rn, unsigned rm)
{
    switch (op) {
    case T2_DP_AND: return s ? T2_BAD : t2_and_reg(rd, rn, rm);
    case T2_DP_ORR: return s ? T2_BAD : t2_orr_reg(rd, rn, rm);
    case T2_DP_EOR: return s ? T2_BAD : t2_eor_reg(rd, rn, rm);
    case T2_DP_BIC: return s ? T2_BAD : t2_bic_reg(rd, rn, rm);
    case T2_DP_ORN: return s ? T2_BAD : t2_orn_reg(rd, rn, rm);
    case T2_DP_ADD: return s ? t2_adds_reg(rd, rn, rm) : t2_add_reg(rd, rn, rm);
    case T2_DP_ADC: return s ? t2_adcs_reg(rd, rn, rm) : t2_adc_reg(rd, rn, rm);
    case T2_DP_SUB: return s ? t2_subs_reg(rd, rn, rm) : t2_sub_reg(rd, rn, rm);
    case T2_DP_SBC: return s ? t2_sbcs_reg(rd, rn, rm) : t2_sbc_reg(rd, rn, rm);
    case T2_DP_RSB: return s ? T2_BAD : t2_rsb_reg(rd, rn, rm);
    }
    return T2_BAD;
}

/*
 * rd = rn OP v with the cheapest encoding: the modified immediate, an
 * equivalent form (ADD/SUB of -v, ADC/SBC of ~v, AND/BIC and ORR/ORN of
 * ~v, ADDW/SUBW), else v materialised into `tmp`. Flag-setting forms only
 * use equivalents with identical flags (AddWithCarry of the same operands).
 */
void t2e_dp_imm(t2_em *x, enum t2_dp op, unsigned s, unsigned rd, unsigned rn, uint32_t v,
                unsigned tmp)
{
    int big = v == 0 || v == 0x80000000u;
    if (t2_modimm_ok(v)) {
        t2e_put(x, t2e_dp_imm_enc(op, s, rd, rn, v));
        return;
    }
    switch (op) {
    case T2_DP_ADD:
        if (t2_modimm_ok(0u - v) && (!s || !big)) { t2e_put(x, t2e_dp_imm_enc(T2_DP_SUB, s, rd, rn, 0u - v)); return; }
        if (!s && v <= 0xfffu) { t2e_put(x, t2_addw(rd, rn, v)); return; }
        if (!s && (0u - v) <= 0xfffu) { t2e_put(x, t2_subw(rd, rn, 0u - v)); return; }
        break;
    case T2_DP_SUB:
        if (t2_modimm_ok(0u - v) && (!s || !big)) { t2e_put(x, t2e_dp_imm_enc(T2_DP_ADD, s, rd, rn, 0u - v)); return; }
        if (!s && v <= 0xfffu) { t2e_put(x, t2_subw(rd, rn, v)); return; }
        if (!s && (0u - v) <= 0xfffu) { t2e_put(x, t2_addw(rd, rn, 0u - v)); return; }
        break;
    case T2_DP_ADC:
        if (t2_modimm_ok(~v)) { t2e_put(x, t2e_dp_imm_enc(T2_DP_SBC, s, rd, rn, ~v)); return; }
        break;
    case T2_DP_SBC:
        if (t2_modimm_ok(~v)) { t2e_put(x, t2e_dp_imm_enc(T2_DP_ADC, s, rd, rn, ~v)); return; }
        break;
    case T2_DP_AND:
        if (t2_modimm_ok(~v)) { t2e_put(x, t2e_dp_imm_enc(T2_DP_BIC, s, rd, rn, ~v)); return; }
        if (v == 0xffffu) { t2e_put(x, t2_uxth(rd, rn)); return; }
        break;
    case T2_DP_ORR:
        if (t2_modimm_ok(~v)) { t2e_put(x, t2e_dp_imm_enc(T2_DP_ORN, s, rd, rn, ~v)); return; }
        break;
    default:
        break;
    }
    t2e_mov_const(x, tmp, v);
    t2e_put(x, t2e_dp_reg_enc(op, s, rd, rn, tmp));
}

void t2e_cmp_imm(t2_em *x, unsigned rn, uint32_t v, unsigned tmp)
{
    if (t2_modimm_ok(v))
        t2e_put(x, t2_cmp_imm(rn, v));
    else if (t2_modimm_ok(0u - v) && v != 0x80000000u)
        t2e_put(x, t2_cmn_imm(rn, 0u - v));
    else {
        t2e_mov_const(x, tmp, v);
        t2e_put(x, t2_cmp_reg(rn, tmp));
    }
}

void t2e_atomic32(t2_em *x, enum t2_dp op, int cmpx, int xchg, unsigned val, unsigned cmp)
{
    fc_em *em = &x->em;
    uint32_t loop = fc_em_newlab(em), unal = fc_em_newlab(em), done = fc_em_newlab(em),
             fail = fc_em_newlab(em);

    t2e_put(x, t2_tst_imm(IP, 3));
    t2e_br(x, T2_NE, unal);
    fc_em_bind(em, loop);
    t2e_put(x, t2_ldrex(T2_R0, IP, 0));
    if (cmpx) {
        t2e_put(x, t2_cmp_reg(T2_R0, cmp));
        t2e_br(x, T2_NE, fail);
        t2e_put(x, t2_strex(T2_R2, val, IP, 0));
    } else if (xchg) {
        t2e_put(x, t2_strex(T2_R2, val, IP, 0));
    } else {
        t2e_put(x, t2e_dp_reg_enc(op, 0, T2_R1, T2_R0, val));
        t2e_put(x, t2_strex(T2_R2, T2_R1, IP, 0));
    }
    t2e_put(x, t2_cmp_imm(T2_R2, 0));
    t2e_br(x, T2_NE, loop);
    t2e_br(x, T2_AL, done);
    fc_em_bind(em, fail);
    t2e_put(x, t2_clrex());
    t2e_br(x, T2_AL, done);
    fc_em_bind(em, unal);
    t2e_put(x, t2_mrs(T2_R2, T2_SYSM_PRIMASK));
    t2e_put(x, t2_cpsid_i());
    t2e_put(x, t2_ldr_imm(T2_R0, IP, 0));
    if (cmpx) {
        t2e_put(x, t2_cmp_reg(T2_R0, cmp));
        t2e_put(x, t2_it_x(T2_EQ, ""));
        t2e_put(x, t2_str_imm(val, IP, 0));
    } else if (xchg) {
        t2e_put(x, t2_str_imm(val, IP, 0));
    } else {
        t2e_put(x, t2e_dp_reg_enc(op, 0, T2_R1, T2_R0, val));
        t2e_put(x, t2_str_imm(T2_R1, IP, 0));
    }
    t2e_put(x, t2_msr(T2_SYSM_PRIMASK, T2_R2));
    fc_em_bind(em, done);
}

/* ---- the bounds check ------------------------------------------------------ */

static void hi_load(t2_em *x, t2_hisrc hi, unsigned d)
{
    if (hi.reg == NONE && hi.base != NONE)
        t2e_put(x, t2_ldr_imm(d, hi.base, hi.off));    /* LDR keeps the flags */
}

void t2e_check_addr(t2_em *x, unsigned dlo, unsigned dhi, unsigned blo, t2_hisrc hi, int32_t off,
                    unsigned tmp, uint32_t carry, uint32_t err)
{
    uint32_t uoff = (uint32_t)off;
    if (hi.reg == NONE && hi.base == NONE) {
        /* hi = carry + sext(off): 0 iff (off >= 0 ? no carry : carry) */
        if (off > 0)
            t2e_dp_imm(x, T2_DP_ADD, 1, dlo, blo, uoff, tmp);
        else
            t2e_dp_imm(x, T2_DP_SUB, 1, dlo, blo, 0u - uoff, tmp);
        t2e_br(x, off > 0 ? T2_CS : T2_CC, carry);
    } else {
        t2e_dp_imm(x, T2_DP_ADD, 1, dlo, blo, uoff, tmp);
        hi_load(x, hi, dhi);
        t2e_put(x, t2_adcs_imm(dhi, hi.reg != NONE ? hi.reg : dhi, off < 0 ? 0xffffffffu : 0));
        t2e_br(x, T2_NE, err);
    }
}

void t2e_fast_test(t2_em *x, unsigned base, unsigned k, unsigned perm, unsigned hint, unsigned c1,
                   unsigned c2)
{
    if (hint == FC_REGION_STACK) {
        t2e_put(x, t2_sub_reg(c1, base, x->fb));
        t2e_put(x, t2_ldr_imm(c2, x->env, (int32_t)(FC_NENV_STACK_END + 4 * k)));
        t2e_put(x, t2_sub_reg(c2, c2, x->fb));
        t2e_put(x, t2_cmp_reg(c1, c2));
    } else {
        unsigned sl = hint <= FC_REGION_BSS ? hint : 4u;
        uint32_t span = (perm == FC_PERM_R ? FC_NENV_RD : FC_NENV_WR) + FC_NATIVE_SPAN_SIZE * sl;
        t2e_put(x, t2_ldr_imm(c1, x->env, (int32_t)span));
        t2e_put(x, t2_ldr_imm(c2, x->env, (int32_t)(span + FC_NENV_SPAN_LIM(k))));
        t2e_put(x, t2_sub_reg(c1, base, c1));
        t2e_put(x, t2_cmp_reg(c1, c2));
    }
}

unsigned t2e_check(t2_em *x, unsigned blo, t2_hisrc hi, int32_t off, unsigned k, unsigned perm,
                   unsigned hint, int stack_base, unsigned c1, unsigned c2, int nofuse)
{
    fc_em_stub *s = fc_em_memcheck(&x->em, T2_ST_MEM, perm, k);
    uint32_t back = s->lab2, slow = s->lab, err = s->lab3;
    int hz = hi.reg == NONE && hi.base == NONE;
    unsigned base = IP;          /* the register the access and the check use */
    unsigned hichk = NONE;       /* the register of a high half still to test */

    if (off == 0 && perm != FC_PERM_RW && !(x->flags & FC_BK_NO_OPT) && !nofuse) {
        /* the address is blo itself: no copy into ip on the fast path; the
         * stubs copy it when they need it (slow path, error report) */
        base = blo;
        if (blo != IP)
            s->base = (uint8_t)blo;
        if (!hz) {
            /* the high half joins the fast test as a 64-bit compare,
             * (hi:lo-start) < (0:lim), and the slow path tests it first */
            hichk = hi.reg != NONE ? hi.reg : LR;
            hi_load(x, hi, LR);
            s->hireg = (uint8_t)hichk;
            s->lab4 = fc_em_newlab(&x->em);
        }
    } else if (hz && off == 0) {
        t2e_mov_reg(x, IP, blo);
    } else {
        uint32_t e = err;
        if (hz) {
            /* a carry out of the address: its stub puts the high half in lr */
            fc_em_stub *h;
            e = fc_em_newlab(&x->em);
            h = fc_em_addstub(&x->em, T2_ST_MEMHI, e);
            h->lab3 = err;
            h->val = off > 0 ? 1u : 0xffffffffu;
        }
        t2e_check_addr(x, IP, LR, blo, hi, off, LR, e, err);
    }

    if (perm == FC_PERM_RW) {
        /* atomics: need one region both readable and writable: slow path */
        t2e_br(x, T2_AL, slow);
        fc_em_bind(&x->em, back);
        return IP;
    }
    /* fast path: the region the verifier expects (else ctx / the frame) */
    if (hint == 0xffu)
        hint = stack_base ? FC_REGION_STACK : FC_REGION_CTX;
    /* c1 = address - start, compared with lim in c2 (lr may hold the
     * high half) */
    t2e_fast_test(x, base, k, perm, hint, c1, c2);
    if (hichk != NONE)
        t2e_put(x, t2_sbcs_imm(c1, hichk, 0));
    t2e_br(x, T2_HS, slow);
    fc_em_bind(&x->em, back);
    return base;
}

/* ---- stubs and shared routines --------------------------------------------- */

static void emit_stub(t2_em *x, const fc_em_stub *s)
{
    fc_em_stub_begin(&x->em, s);
    switch (s->type) {
    case T2_ST_ERR:
        if (s->val)
            t2e_put(x, t2_mov_imm(x->budget_reg, 0));
        t2e_mov_const(x, T2_R1, s->insn);
        t2e_put(x, t2_movs_imm8(T2_R0, s->code));
        t2e_br(x, T2_AL, t2e_fixed(x, T2_FL_ERR_COMMON));
        break;
    case T2_ST_HELPERR:
        t2e_mov_const(x, T2_R1, s->insn);
        t2e_br(x, T2_AL, t2e_fixed(x, T2_FL_ERR_COMMON));
        break;
    case T2_ST_MEMHI:
        t2e_mov_const(x, LR, s->val);
        t2e_br(x, T2_AL, s->lab3);
        break;
    case T2_ST_MEM:
        if (s->hireg != NONE) {
            t2e_put(x, t2_cmp_imm(s->hireg, 0));
            t2e_br(x, T2_NE, s->lab4);
        }
        if (s->base != NONE)
            t2e_mov_reg(x, IP, s->base);
        t2e_bl_lab(x, t2e_fixed(x, T2_FL_MEMSLOW + (s->perm - 1u) * 4u + s->lg));
        t2e_br(x, T2_EQ, s->lab2);
        t2e_put(x, t2_mov_imm(LR, 0));
        fc_em_bind(&x->em, s->lab3);
        t2e_mov_const(x, T2_R1, s->insn);
        t2e_br(x, T2_AL, t2e_fixed(x, s->perm == FC_PERM_R ? T2_FL_ERR_MEM_R : T2_FL_ERR_MEM_W));
        if (s->hireg != NONE) {
            /* the high half is not 0: the address is lo (base), hi */
            fc_em_bind(&x->em, s->lab4);
            if (s->base != NONE)
                t2e_mov_reg(x, IP, s->base);
            t2e_mov_reg(x, LR, s->hireg);
            t2e_br(x, T2_AL, s->lab3);
        }
        break;
    }
}

static void shared(t2_em *x)
{
    unsigned env = x->env;
    fc_em_mapto(&x->em, FC_BK_NO_INSN);
    /* err_common: r0 = code, r1 = slot */
    fc_em_bind(&x->em, t2e_fixed(x, T2_FL_ERR_COMMON));
    if (x->budget_reg != NONE)
        t2e_put(x, t2_str_imm(x->budget_reg, env, FC_NENV_BUDGET));
    t2e_put(x, t2_str_imm(T2_R0, env, FC_NENV_ERR));
    t2e_put(x, t2_str_imm(T2_R1, env, FC_NENV_ERR_INSN));
    t2e_put(x, t2_ldr_sp_imm(env, FC_NENV_SAVED_SP));
    t2e_put(x, t2_pop_w(T2_POP_EXIT));
    /* memory errors: address in lr:ip */
    for (unsigned w = 0; w < 2; w++) {
        fc_em_bind(&x->em, t2e_fixed(x, w ? T2_FL_ERR_MEM_W : T2_FL_ERR_MEM_R));
        t2e_put(x, t2_str_imm(IP, env, FC_NENV_ERR_ADDR));
        t2e_put(x, t2_str_imm(LR, env, FC_NENV_ERR_ADDR + 4));
        t2e_put(x, t2_movs_imm8(T2_R0, w ? FC_ERR_MEM_WRITE : FC_ERR_MEM_READ));
        t2e_br(x, T2_AL, t2e_fixed(x, T2_FL_ERR_COMMON));
    }
    /* slow paths: Z=1 when some region holds [ip, ip+n); all registers kept */
    for (unsigned k = 0; k < 12; k++) {
        if (!(x->em.memslow_used >> k & 1u))
            continue;
        fc_em_bind(&x->em, t2e_fixed(x, T2_FL_MEMSLOW + k));
        t2e_put(x, t2_push_w(0x500fu));            /* {r0-r3, ip, lr} */
        t2e_put(x, t2_str_imm(x->fb, env, FC_NENV_CUR_FB));
        t2e_mov_reg(x, T2_R0, env);
        t2e_mov_reg(x, T2_R1, IP);
        t2e_put(x, t2_movs_imm8(T2_R2, 1u << (k % 4)));
        t2e_put(x, t2_movs_imm8(T2_R3, k / 4 + 1));
        t2e_bl_sym(x, FC_SYM_MEMCHECK);
        t2e_put(x, t2_cmp_imm(T2_R0, 1));
        t2e_put(x, t2_pop_w(0x900fu));             /* {r0-r3, ip, pc} */
    }
}

void t2e_out_of_line(t2_em *x)
{
    for (uint32_t k = 0; k < x->em.nst; k++)
        emit_stub(x, &x->em.st[k]);
    shared(x);
}
