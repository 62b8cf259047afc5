/*
 * t2_enc.h - Thumb-2 (ARMv7-M, Cortex-M3) instruction encoders.
 *
 * Two layers:
 *   1. per-format packers (t2_pk_*), one per encoding class of the ARMv7-M
 *      Architecture Reference Manual (ARM DDI 0403E) chapter A5;
 *   2. one pure `static inline uint32_t` per mnemonic (t2_add_imm, ...) that
 *      returns the encoding and never writes. Writing is the caller's job.
 *
 * An encoding is returned as one uint32_t:
 *   16-bit instruction:  0x0000hhhh                  (value <= 0xffff)
 *   32-bit instruction:  (first halfword << 16) | second halfword
 * A 32-bit encoding always has a first halfword >= 0xe800, so the two never
 * collide; t2_size() tells them apart. In memory each halfword is stored
 * little-endian, first halfword first (A5.1).
 *
 * An encoder asked for something it cannot encode (register out of range or
 * not allowed there, immediate out of range) returns T2_BAD: a permanently
 * undefined instruction (UDF.W #0xebad, A7.7 UDF T2). The code generator
 * never emits UDF on purpose, so t2_validate() rejects any image holding it.
 *
 * Only Cortex-M3 (ARMv7-M) instructions: no DSP, FPU or v8-M encodings.
 * Section names below are those of ARM DDI 0403E.
 */
#ifndef T2_ENC_H
#define T2_ENC_H

#include <stdint.h>
#include <stddef.h>

/* ---- registers ------------------------------------------------------------ */
enum {
    T2_R0 = 0, T2_R1, T2_R2, T2_R3, T2_R4, T2_R5, T2_R6, T2_R7,
    T2_R8, T2_R9, T2_R10, T2_R11, T2_R12, T2_SP = 13, T2_LR = 14, T2_PC = 15,
    T2_IP = 12
};

/* Condition codes (A7.3). */
enum t2_cond {
    T2_EQ = 0, T2_NE, T2_CS, T2_CC, T2_MI, T2_PL, T2_VS, T2_VC,
    T2_HI, T2_LS, T2_GE, T2_LT, T2_GT, T2_LE, T2_AL
};
#define T2_HS T2_CS
#define T2_LO T2_CC
static inline enum t2_cond t2_cond_invert(enum t2_cond c)
{
    return (enum t2_cond)((unsigned)c ^ 1u);
}

/* Shift types of the shifted-register forms (A7.4.2). */
enum t2_shift { T2_LSL = 0, T2_LSR = 1, T2_ASR = 2, T2_ROR = 3 };

/* The "cannot encode" sentinel: UDF.W #0xebad (A7.7 UDF, encoding T2). */
#define T2_BAD 0xf7feabadu

static inline unsigned t2_size(uint32_t enc) { return enc > 0xffffu ? 4u : 2u; }

/* ---- range predicates, one per immediate field ----------------------------- */
/* general registers usable as operands of data-processing instructions:
 * r0-r12 and lr (SP and PC are UNPREDICTABLE there, A5.3.1, A5.3.11). */
static inline int t2_reg_ok(unsigned r) { return r <= 12u || r == 14u; }
static inline int t2_low_reg(unsigned r) { return r <= 7u; }
static inline int t2_imm3_ok(uint32_t v) { return v <= 7u; }
static inline int t2_imm5_ok(uint32_t v) { return v <= 31u; }
static inline int t2_imm8_ok(uint32_t v) { return v <= 0xffu; }
static inline int t2_imm12_ok(uint32_t v) { return v <= 0xfffu; }
static inline int t2_imm16_ok(uint32_t v) { return v <= 0xffffu; }
/* LDR/STR immediate offset: T3 (0..4095) or T4 (-255..-1) */
static inline int t2_ldst_off_ok(int32_t off) { return off >= -255 && off <= 4095; }
/* LDRD/STRD/LDREX: word-aligned, -1020..1020 (LDREX: 0..1020) */
static inline int t2_ldrd_off_ok(int32_t off) { return off >= -1020 && off <= 1020 && (off & 3) == 0; }
static inline int t2_ldrex_off_ok(int32_t off) { return off >= 0 && off <= 1020 && (off & 3) == 0; }
/* branch displacements, from the address of the branch + 4 (A7.7 B, BL) */
static inline int t2_b16c_ok(int32_t d) { return d >= -256 && d <= 254 && (d & 1) == 0; }
static inline int t2_b16_ok(int32_t d) { return d >= -2048 && d <= 2046 && (d & 1) == 0; }
static inline int t2_b32c_ok(int32_t d) { return d >= -1048576 && d <= 1048574 && (d & 1) == 0; }
static inline int t2_b32_ok(int32_t d) { return d >= -16777216 && d <= 16777214 && (d & 1) == 0; }
static inline int t2_cbz_ok(int32_t d) { return d >= 0 && d <= 126 && (d & 1) == 0; }
/* shift amounts of the immediate shift forms (A7.4.2 DecodeImmShift) */
static inline int t2_shift_ok(enum t2_shift t, unsigned n)
{
    if (t == T2_LSL) return n <= 31u;
    if (t == T2_ROR) return n >= 1u && n <= 31u;
    return n >= 1u && n <= 32u;          /* LSR, ASR: #32 encoded as 0 */
}

/*
 * Modified immediate constants (A5.3.2): returns the 12-bit i:imm3:imm8
 * field that expands to v, or -1 when v has no such form.
 *   i:imm3:a = 0000x  00000000 00000000 00000000 abcdefgh
 *              0001x  00000000 abcdefgh 00000000 abcdefgh
 *              0010x  abcdefgh 00000000 abcdefgh 00000000
 *              0011x  abcdefgh abcdefgh abcdefgh abcdefgh
 *   otherwise          1bcdefgh rotated right by i:imm3:a (8..31)
 */
static inline int32_t t2_modimm(uint32_t v)
{
    uint32_t b = v & 0xffu;
    if (v <= 0xffu)
        return (int32_t)v;
    if (v == (b | (b << 16)))
        return (int32_t)(0x100u | b);
    b = (v >> 8) & 0xffu;
    if (v == ((b << 8) | (b << 24)))
        return (int32_t)(0x200u | b);
    b = v & 0xffu;
    if (v == (b * 0x01010101u))
        return (int32_t)(0x300u | b);
    for (unsigned rot = 8; rot <= 31; rot++) {
        uint32_t u = (v << rot) | (v >> (32u - rot));   /* undo ROR #rot */
        if (u >= 0x80u && u <= 0xffu)
            return (int32_t)((rot << 7) | (u & 0x7fu));
    }
    return -1;
}
static inline int t2_modimm_ok(uint32_t v) { return t2_modimm(v) >= 0; }

/* ============================================================================
 * Layer 1: per-format packers. They assume fields in range (the mnemonic
 * layer checks); they only place bits.
 * ========================================================================= */

static inline uint32_t t2_w32(uint32_t hw1, uint32_t hw2)
{
    return ((hw1 & 0xffffu) << 16) | (hw2 & 0xffffu);
}

/*
 * A5.3.1 Data processing (modified immediate):
 *   15       11 10  9  8   5  4  3   0   15  14 12 11  8 7       0
 *   | 1 1 1 1 0 | i | 0 | op | S | Rn |  | 0 | imm3 | Rd | imm8    |
 */
static inline uint32_t t2_pk_dpmi(unsigned op, unsigned s, unsigned rn,
                                  unsigned rd, uint32_t imm12)
{
    return t2_w32(0xf000u | ((imm12 >> 11) & 1u) << 10 | op << 5 | s << 4 | rn,
                  ((imm12 >> 8) & 7u) << 12 | rd << 8 | (imm12 & 0xffu));
}
/* op values of A5.3.1 and A5.3.11 (same numbering) */
enum { T2_OP_AND = 0, T2_OP_BIC = 1, T2_OP_ORR = 2, T2_OP_ORN = 3,
       T2_OP_EOR = 4, T2_OP_ADD = 8, T2_OP_ADC = 10, T2_OP_SBC = 11,
       T2_OP_SUB = 13, T2_OP_RSB = 14 };

/*
 * A5.3.3 Data processing (plain binary immediate):
 *   | 1 1 1 1 0 | i | 1 | op(5) | Rn |  | 0 | imm3 | Rd | imm8 |
 */
static inline uint32_t t2_pk_dpbi(unsigned op, unsigned rn, unsigned rd,
                                  uint32_t i, uint32_t imm3, uint32_t imm8)
{
    return t2_w32(0xf200u | i << 10 | op << 4 | rn, imm3 << 12 | rd << 8 | imm8);
}

/*
 * A5.3.11 Data processing (shifted register):
 *   | 1 1 1 0 1 0 1 | op | S | Rn |  | 0 | imm3 | Rd | imm2 | type | Rm |
 */
static inline uint32_t t2_pk_dpsr(unsigned op, unsigned s, unsigned rn,
                                  unsigned rd, unsigned rm, enum t2_shift t,
                                  unsigned n)
{
    unsigned imm5 = n & 31u;  /* LSR/ASR #32 are encoded as 0 */
    return t2_w32(0xea00u | op << 5 | s << 4 | rn,
                  (imm5 >> 2) << 12 | rd << 8 | (imm5 & 3u) << 6 | (unsigned)t << 4 | rm);
}

/*
 * A5.3.12 Data processing (register), register-controlled shifts:
 *   | 1 1 1 1 1 0 1 0 | 0 | type | S | Rn |  | 1 1 1 1 | Rd | 0 0 0 0 | Rm |
 * and extends (Rn = 1111, no add):
 *   | 1 1 1 1 1 0 1 0 | 0 | op(3) | 1 1 1 1 |  | 1 1 1 1 | Rd | 1 0 | rot | Rm |
 */
static inline uint32_t t2_pk_shreg(enum t2_shift t, unsigned s, unsigned rd,
                                   unsigned rn, unsigned rm)
{
    return t2_w32(0xfa00u | (unsigned)t << 5 | s << 4 | rn, 0xf000u | rd << 8 | rm);
}
static inline uint32_t t2_pk_ext(unsigned op, unsigned rd, unsigned rm, unsigned rot)
{
    return t2_w32(0xfa0fu | op << 4, 0xf080u | rd << 8 | rot << 4 | rm);
}

/*
 * A5.3.13 Miscellaneous operations (REV, REV16, REVSH, CLZ):
 *   | 1 1 1 1 1 0 1 0 1 | op1 | Rm |  | 1 1 1 1 | Rd | 1 0 | op2 | Rm |
 */
static inline uint32_t t2_pk_misc(unsigned op1, unsigned op2, unsigned rd, unsigned rm)
{
    return t2_w32(0xfa80u | op1 << 4 | rm, 0xf080u | rd << 8 | op2 << 4 | rm);
}

/*
 * A5.3.14 Multiply, multiply accumulate:
 *   | 1 1 1 1 1 0 1 1 0 | op1 | Rn |  | Ra | Rd | op2 | Rm |
 * A5.3.15 Long multiply, long multiply accumulate, and divide:
 *   | 1 1 1 1 1 0 1 1 1 | op1 | Rn |  | RdLo | RdHi | op2(4) | Rm |
 */
static inline uint32_t t2_pk_mul(unsigned op1, unsigned op2, unsigned rn,
                                 unsigned ra, unsigned rd, unsigned rm)
{
    return t2_w32(0xfb00u | op1 << 4 | rn, ra << 12 | rd << 8 | op2 << 4 | rm);
}
static inline uint32_t t2_pk_lmul(unsigned op1, unsigned op2, unsigned rn,
                                  unsigned rdlo, unsigned rdhi, unsigned rm)
{
    return t2_w32(0xfb80u | op1 << 4 | rn, rdlo << 12 | rdhi << 8 | op2 << 4 | rm);
}

/*
 * A5.3.7 - A5.3.10 Load/store single data item, 12-bit immediate (T3/T2):
 *   | 1 1 1 1 1 0 0 | S | 1 | size | L | Rn |  | Rt | imm12 |
 * 8-bit immediate with P/U/W (T4/T3):
 *   | 1 1 1 1 1 0 0 | S | 0 | size | L | Rn |  | Rt | 1 | P | U | W | imm8 |
 * register offset (T2):
 *   | 1 1 1 1 1 0 0 | S | 0 | size | L | Rn |  | Rt | 0 0 0 0 0 0 | imm2 | Rm |
 * `kind` below is the first halfword without Rn, for the 8-bit/register
 * forms; the 12-bit form adds 0x0080.
 */
enum {
    T2_LS_STRB = 0xf800u, T2_LS_LDRB = 0xf810u, T2_LS_STRH = 0xf820u,
    T2_LS_LDRH = 0xf830u, T2_LS_STR = 0xf840u, T2_LS_LDR = 0xf850u,
    T2_LS_LDRSB = 0xf910u, T2_LS_LDRSH = 0xf930u
};
static inline uint32_t t2_pk_ls12(unsigned kind, unsigned rt, unsigned rn, uint32_t imm12)
{
    return t2_w32(kind | 0x80u | rn, rt << 12 | imm12);
}
static inline uint32_t t2_pk_ls8(unsigned kind, unsigned rt, unsigned rn,
                                 unsigned p, unsigned u, unsigned w, uint32_t imm8)
{
    return t2_w32(kind | rn, rt << 12 | 0x800u | p << 10 | u << 9 | w << 8 | imm8);
}
static inline uint32_t t2_pk_lsreg(unsigned kind, unsigned rt, unsigned rn,
                                   unsigned rm, unsigned imm2)
{
    return t2_w32(kind | rn, rt << 12 | imm2 << 4 | rm);
}

/*
 * A5.3.6 Load/store dual or exclusive:
 *   LDRD/STRD: | 1 1 1 0 1 0 0 | P | U | 1 | W | L | Rn |  | Rt | Rt2 | imm8 |
 *   LDREX:     | 1 1 1 0 1 0 0 0 0 1 0 1 | Rn |  | Rt | 1 1 1 1 | imm8 |
 *   STREX:     | 1 1 1 0 1 0 0 0 0 1 0 0 | Rn |  | Rt | Rd | imm8 |
 */
static inline uint32_t t2_pk_dual(unsigned l, unsigned p, unsigned u, unsigned w,
                                  unsigned rn, unsigned rt, unsigned rt2, uint32_t imm8)
{
    return t2_w32(0xe840u | p << 8 | u << 7 | w << 5 | l << 4 | rn, rt << 12 | rt2 << 8 | imm8);
}

/*
 * A5.3.4 Branches (A7.7 B T3/T4, BL T1):
 *   B<c>.W | 1 1 1 1 0 | S | cond | imm6 |  | 1 0 | J1 | 0 | J2 | imm11 |
 *   B.W    | 1 1 1 1 0 | S | imm10      |  | 1 0 | J1 | 1 | J2 | imm11 |
 *   BL     | 1 1 1 1 0 | S | imm10      |  | 1 1 | J1 | 1 | J2 | imm11 |
 * B.W/BL: I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S),
 *         offset = SignExtend(S:I1:I2:imm10:imm11:'0');
 * B<c>.W: offset = SignExtend(S:J2:J1:imm6:imm11:'0').
 */
static inline uint32_t t2_pk_bcond32(unsigned cond, int32_t d)
{
    uint32_t u = (uint32_t)d;
    unsigned s = (u >> 20) & 1u, j2 = (u >> 19) & 1u, j1 = (u >> 18) & 1u;
    return t2_w32(0xf000u | s << 10 | cond << 6 | ((u >> 12) & 0x3fu),
                  0x8000u | j1 << 13 | j2 << 11 | ((u >> 1) & 0x7ffu));
}
static inline uint32_t t2_pk_b32(unsigned link, int32_t d)
{
    uint32_t u = (uint32_t)d;
    unsigned s = (u >> 24) & 1u, i1 = (u >> 23) & 1u, i2 = (u >> 22) & 1u;
    unsigned j1 = (~(i1 ^ s)) & 1u, j2 = (~(i2 ^ s)) & 1u;
    return t2_w32(0xf000u | s << 10 | ((u >> 12) & 0x3ffu),
                  0x9000u | link << 14 | j1 << 13 | j2 << 11 | ((u >> 1) & 0x7ffu));
}

/* ============================================================================
 * Layer 2: one encoder per mnemonic.
 * Naming: t2_<mnemonic>[s]_<operand form>; `s` = sets the flags.
 * ========================================================================= */

/* -- data processing, modified immediate (A5.3.1): dst = rn OP const ------- */
static inline uint32_t t2_dpmi_chk(unsigned op, unsigned s, unsigned rd, unsigned rn, uint32_t v)
{
    int32_t e = t2_modimm(v);
    if (e < 0 || !t2_reg_ok(rd) || !t2_reg_ok(rn))
        return T2_BAD;
    return t2_pk_dpmi(op, s, rn, rd, (uint32_t)e);
}
/* A7.7 AND (immediate) T1 */
static inline uint32_t t2_and_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_AND, 0, rd, rn, v); }
/* A7.7 BIC (immediate) T1 */
static inline uint32_t t2_bic_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_BIC, 0, rd, rn, v); }
/* A7.7 ORR (immediate) T1 */
static inline uint32_t t2_orr_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_ORR, 0, rd, rn, v); }
/* A7.7 ORN (immediate) T1 */
static inline uint32_t t2_orn_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_ORN, 0, rd, rn, v); }
/* A7.7 EOR (immediate) T1 */
static inline uint32_t t2_eor_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_EOR, 0, rd, rn, v); }
/* A7.7 ADD (immediate) T3 */
static inline uint32_t t2_add_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_ADD, 0, rd, rn, v); }
static inline uint32_t t2_adds_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_ADD, 1, rd, rn, v); }
/* A7.7 ADC (immediate) T1 */
static inline uint32_t t2_adc_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_ADC, 0, rd, rn, v); }
static inline uint32_t t2_adcs_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_ADC, 1, rd, rn, v); }
/* A7.7 SBC (immediate) T1 */
static inline uint32_t t2_sbc_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_SBC, 0, rd, rn, v); }
static inline uint32_t t2_sbcs_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_SBC, 1, rd, rn, v); }
/* A7.7 SUB (immediate) T3 */
static inline uint32_t t2_sub_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_SUB, 0, rd, rn, v); }
static inline uint32_t t2_subs_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_SUB, 1, rd, rn, v); }
/* A7.7 RSB (immediate) T2 */
static inline uint32_t t2_rsb_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_RSB, 0, rd, rn, v); }
static inline uint32_t t2_rsbs_imm(unsigned rd, unsigned rn, uint32_t v) { return t2_dpmi_chk(T2_OP_RSB, 1, rd, rn, v); }
/* A7.7 MOV (immediate) T2: ORR with Rn = 1111 */
static inline uint32_t t2_mov_imm(unsigned rd, uint32_t v)
{
    int32_t e = t2_modimm(v);
    return (e < 0 || !t2_reg_ok(rd)) ? T2_BAD : t2_pk_dpmi(T2_OP_ORR, 0, 15, rd, (uint32_t)e);
}
/* A7.7 MVN (immediate) T1: ORN with Rn = 1111 */
static inline uint32_t t2_mvn_imm(unsigned rd, uint32_t v)
{
    int32_t e = t2_modimm(v);
    return (e < 0 || !t2_reg_ok(rd)) ? T2_BAD : t2_pk_dpmi(T2_OP_ORN, 0, 15, rd, (uint32_t)e);
}
/* A7.7 CMP (immediate) T2: SUBS with Rd = 1111 */
static inline uint32_t t2_cmp_imm(unsigned rn, uint32_t v)
{
    int32_t e = t2_modimm(v);
    return (e < 0 || !t2_reg_ok(rn)) ? T2_BAD : t2_pk_dpmi(T2_OP_SUB, 1, rn, 15, (uint32_t)e);
}
/* A7.7 CMN (immediate) T1: ADDS with Rd = 1111 */
static inline uint32_t t2_cmn_imm(unsigned rn, uint32_t v)
{
    int32_t e = t2_modimm(v);
    return (e < 0 || !t2_reg_ok(rn)) ? T2_BAD : t2_pk_dpmi(T2_OP_ADD, 1, rn, 15, (uint32_t)e);
}
/* A7.7 TST (immediate) T1: ANDS with Rd = 1111 */
static inline uint32_t t2_tst_imm(unsigned rn, uint32_t v)
{
    int32_t e = t2_modimm(v);
    return (e < 0 || !t2_reg_ok(rn)) ? T2_BAD : t2_pk_dpmi(T2_OP_AND, 1, rn, 15, (uint32_t)e);
}

/* -- plain binary immediate (A5.3.3) -------------------------------------------- */
/* A7.7 ADD (immediate) T4 (ADDW): rd = rn + imm12; rn may be SP */
static inline uint32_t t2_addw(unsigned rd, unsigned rn, uint32_t v)
{
    if (!t2_imm12_ok(v) || !t2_reg_ok(rd) || !(t2_reg_ok(rn) || rn == T2_SP))
        return T2_BAD;
    return t2_pk_dpbi(0x00u, rn, rd, v >> 11, (v >> 8) & 7u, v & 0xffu);
}
/* A7.7 SUB (immediate) T4 (SUBW) */
static inline uint32_t t2_subw(unsigned rd, unsigned rn, uint32_t v)
{
    if (!t2_imm12_ok(v) || !t2_reg_ok(rd) || !(t2_reg_ok(rn) || rn == T2_SP))
        return T2_BAD;
    return t2_pk_dpbi(0x0au, rn, rd, v >> 11, (v >> 8) & 7u, v & 0xffu);
}
/* A7.7 ADR T3: rd = Align(PC, 4) + imm12 (ADDW with Rn = PC) */
static inline uint32_t t2_adr_add(unsigned rd, uint32_t v)
{
    if (!t2_imm12_ok(v) || !t2_reg_ok(rd))
        return T2_BAD;
    return t2_pk_dpbi(0x00u, 15, rd, v >> 11, (v >> 8) & 7u, v & 0xffu);
}
/* A7.7 MOV (immediate) T3 (MOVW): rd = imm16 */
static inline uint32_t t2_movw(unsigned rd, uint32_t v)
{
    if (!t2_imm16_ok(v) || !t2_reg_ok(rd))
        return T2_BAD;
    return t2_pk_dpbi(0x04u, v >> 12, rd, (v >> 11) & 1u, (v >> 8) & 7u, v & 0xffu);
}
/* A7.7 MOVT T1: rd[31:16] = imm16 */
static inline uint32_t t2_movt(unsigned rd, uint32_t v)
{
    if (!t2_imm16_ok(v) || !t2_reg_ok(rd))
        return T2_BAD;
    return t2_pk_dpbi(0x0cu, v >> 12, rd, (v >> 11) & 1u, (v >> 8) & 7u, v & 0xffu);
}

/* -- shifted register (A5.3.11): rd = rn OP (rm SHIFT n) --------------------- */
static inline uint32_t t2_dpsr_chk(unsigned op, unsigned s, unsigned rd, unsigned rn,
                                   unsigned rm, enum t2_shift t, unsigned n)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || !(t2_shift_ok(t, n) || n == 0))
        return T2_BAD;
    return t2_pk_dpsr(op, s, rn, rd, rm, t, n);
}
/* A7.7 AND/BIC/ORR/ORN/EOR/ADD/ADC/SBC/SUB/RSB (register) T2/T3, shift LSL #0 */
static inline uint32_t t2_and_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_AND, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_bic_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_BIC, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_orr_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ORR, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_orrs_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ORR, 1, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_orn_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ORN, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_eor_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_EOR, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_add_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ADD, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_adds_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ADD, 1, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_adc_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ADC, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_adcs_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_ADC, 1, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_sbc_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_SBC, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_sbcs_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_SBC, 1, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_sub_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_SUB, 0, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_subs_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_SUB, 1, rd, rn, rm, T2_LSL, 0); }
static inline uint32_t t2_rsb_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_dpsr_chk(T2_OP_RSB, 0, rd, rn, rm, T2_LSL, 0); }
/* A7.7 ORR (register) T2 with a shift: rd = rn | (rm SHIFT n) */
static inline uint32_t t2_orr_sh(unsigned rd, unsigned rn, unsigned rm, enum t2_shift t, unsigned n)
{
    return (n == 0) ? T2_BAD : t2_dpsr_chk(T2_OP_ORR, 0, rd, rn, rm, t, n);
}
/* A7.7 CMP (register) T3: SUBS with Rd = 1111 */
static inline uint32_t t2_cmp_reg(unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_dpsr(T2_OP_SUB, 1, rn, 15, rm, T2_LSL, 0);
}
/* A7.7 CMN (register) T2 */
static inline uint32_t t2_cmn_reg(unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_dpsr(T2_OP_ADD, 1, rn, 15, rm, T2_LSL, 0);
}
/* A7.7 TST (register) T2 */
static inline uint32_t t2_tst_reg(unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_dpsr(T2_OP_AND, 1, rn, 15, rm, T2_LSL, 0);
}
/* A7.7 TEQ (register) T1 */
static inline uint32_t t2_teq_reg(unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_dpsr(T2_OP_EOR, 1, rn, 15, rm, T2_LSL, 0);
}
/* A7.7 MOV (register) T3 (MOV.W, ORR with Rn = 1111, no shift) */
static inline uint32_t t2_mov_reg_w(unsigned rd, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_dpsr(T2_OP_ORR, 0, 15, rd, rm, T2_LSL, 0);
}
/* A7.7 MVN (register) T2 (ORN with Rn = 1111) */
static inline uint32_t t2_mvn_reg(unsigned rd, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_dpsr(T2_OP_ORN, 0, 15, rd, rm, T2_LSL, 0);
}
/* A7.7 LSL/LSR/ASR (immediate) T2: MOV.W with a shift (ORR, Rn = 1111) */
static inline uint32_t t2_shift_imm(enum t2_shift t, unsigned rd, unsigned rm, unsigned n)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rm) || !t2_shift_ok(t, n) || (t == T2_LSL && n == 0))
        return T2_BAD;
    return t2_pk_dpsr(T2_OP_ORR, 0, 15, rd, rm, t, n);
}
static inline uint32_t t2_lsl_imm(unsigned rd, unsigned rm, unsigned n) { return t2_shift_imm(T2_LSL, rd, rm, n); }
static inline uint32_t t2_lsr_imm(unsigned rd, unsigned rm, unsigned n) { return t2_shift_imm(T2_LSR, rd, rm, n); }
static inline uint32_t t2_asr_imm(unsigned rd, unsigned rm, unsigned n) { return t2_shift_imm(T2_ASR, rd, rm, n); }

/* -- register-controlled shifts (A5.3.12): rd = rn SHIFT rm[7:0] -------------- */
/* A7.7 LSL/LSR/ASR (register) T2. Amounts 32..255 give 0 (LSL/LSR) or the
 * sign (ASR): the code generator relies on this (A7.4.2 Shift_C). */
static inline uint32_t t2_shift_reg(enum t2_shift t, unsigned rd, unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_shreg(t, 0, rd, rn, rm);
}
static inline uint32_t t2_lsl_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_shift_reg(T2_LSL, rd, rn, rm); }
static inline uint32_t t2_lsr_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_shift_reg(T2_LSR, rd, rn, rm); }
static inline uint32_t t2_asr_reg(unsigned rd, unsigned rn, unsigned rm) { return t2_shift_reg(T2_ASR, rd, rn, rm); }

/* -- extends (A5.3.12) and byte reversal (A5.3.13) ------------------------------ */
/* A7.7 SXTH/UXTH/SXTB/UXTB T2 (no rotation) */
static inline uint32_t t2_ext(unsigned op, unsigned rd, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_ext(op, rd, rm, 0);
}
static inline uint32_t t2_sxth(unsigned rd, unsigned rm) { return t2_ext(0, rd, rm); }
static inline uint32_t t2_uxth(unsigned rd, unsigned rm) { return t2_ext(1, rd, rm); }
static inline uint32_t t2_sxtb(unsigned rd, unsigned rm) { return t2_ext(4, rd, rm); }
static inline uint32_t t2_uxtb(unsigned rd, unsigned rm) { return t2_ext(5, rd, rm); }
/* A7.7 REV T2, REV16 T2, REVSH T2, CLZ T1 */
static inline uint32_t t2_misc_chk(unsigned op1, unsigned op2, unsigned rd, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_misc(op1, op2, rd, rm);
}
static inline uint32_t t2_rev(unsigned rd, unsigned rm) { return t2_misc_chk(1, 0, rd, rm); }
static inline uint32_t t2_rev16(unsigned rd, unsigned rm) { return t2_misc_chk(1, 1, rd, rm); }
static inline uint32_t t2_revsh(unsigned rd, unsigned rm) { return t2_misc_chk(1, 3, rd, rm); }
static inline uint32_t t2_clz(unsigned rd, unsigned rm) { return t2_misc_chk(3, 0, rd, rm); }

/* -- multiply and divide (A5.3.14, A5.3.15) --------------------------------------- */
/* A7.7 MUL T2: rd = rn * rm */
static inline uint32_t t2_mul(unsigned rd, unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_mul(0, 0, rn, 15, rd, rm);
}
/* A7.7 MLA T1: rd = ra + rn * rm */
static inline uint32_t t2_mla(unsigned rd, unsigned rn, unsigned rm, unsigned ra)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || !t2_reg_ok(ra)) return T2_BAD;
    return t2_pk_mul(0, 0, rn, ra, rd, rm);
}
/* A7.7 MLS T1: rd = ra - rn * rm */
static inline uint32_t t2_mls(unsigned rd, unsigned rn, unsigned rm, unsigned ra)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || !t2_reg_ok(ra)) return T2_BAD;
    return t2_pk_mul(0, 1, rn, ra, rd, rm);
}
/* A7.7 UMULL T1 / SMULL T1: rdhi:rdlo = rn * rm (rdlo != rdhi) */
static inline uint32_t t2_umull(unsigned rdlo, unsigned rdhi, unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rdlo) || !t2_reg_ok(rdhi) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || rdlo == rdhi)
        return T2_BAD;
    return t2_pk_lmul(2, 0, rn, rdlo, rdhi, rm);
}
static inline uint32_t t2_smull(unsigned rdlo, unsigned rdhi, unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rdlo) || !t2_reg_ok(rdhi) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || rdlo == rdhi)
        return T2_BAD;
    return t2_pk_lmul(0, 0, rn, rdlo, rdhi, rm);
}
/* A7.7 UDIV T1 / SDIV T1: rd = rn / rm */
static inline uint32_t t2_udiv(unsigned rd, unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_lmul(3, 0xf, rn, 15, rd, rm);
}
static inline uint32_t t2_sdiv(unsigned rd, unsigned rn, unsigned rm)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rn) || !t2_reg_ok(rm)) return T2_BAD;
    return t2_pk_lmul(1, 0xf, rn, 15, rd, rm);
}

/* -- loads and stores (A5.3.7 - A5.3.10) ------------------------------------------ */
/*
 * [rn, #off]: T3/T2 (imm12, off 0..4095) or T4/T3 (P=1 U=0 W=0, off -255..-1).
 * rt must not be SP or PC here (the code generator never loads into them
 * this way); rn may be SP.
 */
static inline uint32_t t2_ls_imm(unsigned kind, unsigned rt, unsigned rn, int32_t off)
{
    if (!t2_reg_ok(rt) || !(t2_reg_ok(rn) || rn == T2_SP) || !t2_ldst_off_ok(off))
        return T2_BAD;
    if (off >= 0)
        return t2_pk_ls12(kind, rt, rn, (uint32_t)off);
    return t2_pk_ls8(kind, rt, rn, 1, 0, 0, (uint32_t)-off);
}
/* A7.7 LDR (immediate) T3/T4, LDRH T2/T3, LDRB T2/T3, LDRSH T1/T2, LDRSB T1/T2,
 * STR (immediate) T3/T4, STRH T2/T3, STRB T2/T3 */
static inline uint32_t t2_ldr_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_LDR, rt, rn, off); }
static inline uint32_t t2_ldrh_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_LDRH, rt, rn, off); }
static inline uint32_t t2_ldrb_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_LDRB, rt, rn, off); }
static inline uint32_t t2_ldrsh_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_LDRSH, rt, rn, off); }
static inline uint32_t t2_ldrsb_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_LDRSB, rt, rn, off); }
static inline uint32_t t2_str_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_STR, rt, rn, off); }
static inline uint32_t t2_strh_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_STRH, rt, rn, off); }
static inline uint32_t t2_strb_imm(unsigned rt, unsigned rn, int32_t off) { return t2_ls_imm(T2_LS_STRB, rt, rn, off); }
/* A7.7 LDR (immediate) T4 with Rt = SP/PC allowed: LDR sp, [rn, #off] restores
 * the machine stack; LDR pc, [sp], #8 returns from a local call (post-indexed,
 * P=0 U=1 W=1; loading PC is an interworking branch). */
static inline uint32_t t2_ldr_sp_imm(unsigned rn, uint32_t off)
{
    if (!t2_reg_ok(rn) || !t2_imm12_ok(off)) return T2_BAD;
    return t2_pk_ls12(T2_LS_LDR, T2_SP, rn, off);
}
static inline uint32_t t2_str_sp_imm(unsigned rn, uint32_t off)
{
    if (!t2_reg_ok(rn) || !t2_imm12_ok(off)) return T2_BAD;
    return t2_pk_ls12(T2_LS_STR, T2_SP, rn, off);
}
static inline uint32_t t2_ldr_pc_post(unsigned rn, uint32_t off)
{
    if (!(t2_reg_ok(rn) || rn == T2_SP) || !t2_imm8_ok(off)) return T2_BAD;
    return t2_pk_ls8(T2_LS_LDR, T2_PC, rn, 0, 1, 1, off);
}
/* A7.7 LDR (immediate) T4 post-indexed: LDR rt, [rn], #off */
static inline uint32_t t2_ldr_post(unsigned rt, unsigned rn, uint32_t off)
{
    if (!t2_reg_ok(rt) || !(t2_reg_ok(rn) || rn == T2_SP) || !t2_imm8_ok(off) || rt == rn) return T2_BAD;
    return t2_pk_ls8(T2_LS_LDR, rt, rn, 0, 1, 1, off);
}
/* A7.7 STR (immediate) T4 pre-indexed with writeback: STR rt, [rn, #-off]! (PUSH of one register) */
static inline uint32_t t2_str_pre_dec(unsigned rt, unsigned rn, uint32_t off)
{
    if (!t2_reg_ok(rt) || !(t2_reg_ok(rn) || rn == T2_SP) || !t2_imm8_ok(off) || rt == rn) return T2_BAD;
    return t2_pk_ls8(T2_LS_STR, rt, rn, 1, 0, 1, off);
}
/* A7.7 LDR (register) T2: rt = [rn + (rm << sh)] */
static inline uint32_t t2_ldr_reg(unsigned rt, unsigned rn, unsigned rm, unsigned sh)
{
    if (!t2_reg_ok(rt) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || sh > 3) return T2_BAD;
    return t2_pk_lsreg(T2_LS_LDR, rt, rn, rm, sh);
}
static inline uint32_t t2_str_reg(unsigned rt, unsigned rn, unsigned rm, unsigned sh)
{
    if (!t2_reg_ok(rt) || !t2_reg_ok(rn) || !t2_reg_ok(rm) || sh > 3) return T2_BAD;
    return t2_pk_lsreg(T2_LS_STR, rt, rn, rm, sh);
}
/* A7.7 LDRD (immediate) T1 / STRD (immediate) T1, offset form (P=1, W=0).
 * The address must be word-aligned on ARMv7-M: used only on env. */
static inline uint32_t t2_ldrd(unsigned rt, unsigned rt2, unsigned rn, int32_t off)
{
    if (!t2_reg_ok(rt) || !t2_reg_ok(rt2) || rt == rt2 || !(t2_reg_ok(rn) || rn == T2_SP) ||
        !t2_ldrd_off_ok(off))
        return T2_BAD;
    return t2_pk_dual(1, 1, off >= 0, 0, rn, rt, rt2, (uint32_t)(off >= 0 ? off : -off) >> 2);
}
static inline uint32_t t2_strd(unsigned rt, unsigned rt2, unsigned rn, int32_t off)
{
    if (!t2_reg_ok(rt) || !t2_reg_ok(rt2) || !(t2_reg_ok(rn) || rn == T2_SP) || !t2_ldrd_off_ok(off))
        return T2_BAD;
    return t2_pk_dual(0, 1, off >= 0, 0, rn, rt, rt2, (uint32_t)(off >= 0 ? off : -off) >> 2);
}
/* A7.7 LDREX T1: rt = [rn, #off] exclusive; STREX T1: rd = status */
static inline uint32_t t2_ldrex(unsigned rt, unsigned rn, int32_t off)
{
    if (!t2_reg_ok(rt) || !t2_reg_ok(rn) || !t2_ldrex_off_ok(off)) return T2_BAD;
    return t2_w32(0xe850u | rn, rt << 12 | 0xf00u | (uint32_t)off >> 2);
}
static inline uint32_t t2_strex(unsigned rd, unsigned rt, unsigned rn, int32_t off)
{
    if (!t2_reg_ok(rd) || !t2_reg_ok(rt) || !t2_reg_ok(rn) || !t2_ldrex_off_ok(off) ||
        rd == rt || rd == rn)
        return T2_BAD;
    return t2_w32(0xe840u | rn, rt << 12 | rd << 8 | (uint32_t)off >> 2);
}
/* A7.7 CLREX T1 */
static inline uint32_t t2_clrex(void) { return 0xf3bf8f2fu; }
/* A7.7 PUSH T2 (STMDB SP!, list; no SP, no PC) / POP T2 (LDMIA SP!, list;
 * no SP, not both LR and PC; at least two registers) */
static inline uint32_t t2_push_w(uint32_t list)
{
    if ((list & 0xa000u) || list == 0 || (list & (list - 1)) == 0 || list > 0xffffu) return T2_BAD;
    return t2_w32(0xe92du, list);
}
static inline uint32_t t2_pop_w(uint32_t list)
{
    if ((list & 0x2000u) || (list & 0xc000u) == 0xc000u || list == 0 ||
        (list & (list - 1)) == 0 || list > 0xffffu)
        return T2_BAD;
    return t2_w32(0xe8bdu, list);
}

/* -- 16-bit forms the code generator uses for size (A5.2) -------------------------- */
/* A7.7 PUSH T1: r0-r7 and LR;  POP T1: r0-r7 and PC */
static inline uint32_t t2_push16(uint32_t list)
{
    if (list & ~0x40ffu || list == 0) return T2_BAD;
    return 0xb400u | ((list >> 14) & 1u) << 8 | (list & 0xffu);
}
static inline uint32_t t2_pop16(uint32_t list)
{
    if (list & ~0x80ffu || list == 0) return T2_BAD;
    return 0xbc00u | ((list >> 15) & 1u) << 8 | (list & 0xffu);
}
/* A7.7 ADD (SP plus immediate) T2 and SUB (SP minus immediate) T1: SP +/- a
 * multiple of 4 up to 508 */
static inline uint32_t t2_add_sp16(uint32_t v)
{
    return v > 508u || (v & 3u) ? T2_BAD : 0xb000u | v >> 2;
}
static inline uint32_t t2_sub_sp16(uint32_t v)
{
    return v > 508u || (v & 3u) ? T2_BAD : 0xb080u | v >> 2;
}
/* A7.7 MOV (register) T1: any registers, flags unchanged */
static inline uint32_t t2_mov_reg(unsigned rd, unsigned rm)
{
    if (rd > 15 || rm > 15 || rd == T2_PC) return T2_BAD;
    return 0x4600u | ((rd >> 3) & 1u) << 7 | rm << 3 | (rd & 7u);
}
/* A7.7 MOV (immediate) T1: MOVS rd, #imm8 (low rd; sets flags outside IT) */
static inline uint32_t t2_movs_imm8(unsigned rd, uint32_t v)
{
    if (!t2_low_reg(rd) || !t2_imm8_ok(v)) return T2_BAD;
    return 0x2000u | rd << 8 | v;
}
/* A7.7 CMP (immediate) T1: low rn, imm8 */
static inline uint32_t t2_cmp_imm8(unsigned rn, uint32_t v)
{
    if (!t2_low_reg(rn) || !t2_imm8_ok(v)) return T2_BAD;
    return 0x2800u | rn << 8 | v;
}
/* A7.7 LDR (immediate) T1 / STR (immediate) T1: low rt, rn; off 0..124, x4 */
static inline uint32_t t2_ldr16(unsigned rt, unsigned rn, uint32_t off)
{
    if (!t2_low_reg(rt) || !t2_low_reg(rn) || off > 124 || (off & 3)) return T2_BAD;
    return 0x6800u | (off >> 2) << 6 | rn << 3 | rt;
}
static inline uint32_t t2_str16(unsigned rt, unsigned rn, uint32_t off)
{
    if (!t2_low_reg(rt) || !t2_low_reg(rn) || off > 124 || (off & 3)) return T2_BAD;
    return 0x6000u | (off >> 2) << 6 | rn << 3 | rt;
}
/* A7.7 BX T1 */
static inline uint32_t t2_bx(unsigned rm) { return rm > 15 ? T2_BAD : 0x4700u | rm << 3; }
/* A7.7 IT T1: firstcond, mask as in the manual (e.g. 0x8 = one instruction) */
static inline uint32_t t2_it(enum t2_cond c, unsigned mask)
{
    if ((unsigned)c >= 15u || mask == 0 || mask > 15u) return T2_BAD;
    return 0xbf00u | (unsigned)c << 4 | mask;
}
/* IT blocks by pattern: t2_it_n(cond, "T", "TE", "TT", "TET"...) — the mask
 * for `x` following the first condition: for each of x[i], bit 3-i is
 * firstcond[0] for T and its inverse for E, then a terminating 1. */
static inline uint32_t t2_it_x(enum t2_cond c, const char *x)
{
    unsigned mask = 0, n = 0, c0 = (unsigned)c & 1u;
    while (x[n] && n < 3) {
        unsigned bit = (x[n] == 'T' || x[n] == 't') ? c0 : c0 ^ 1u;
        mask |= bit << (3 - n);
        n++;
    }
    mask |= 1u << (3 - n);
    if (x[n] || (c == T2_AL && mask != 0x8u)) return T2_BAD;
    return t2_it(c, mask);
}
/* A7.7 NOP T1 */
static inline uint32_t t2_nop(void) { return 0xbf00u; }
/* A7.7 CPS T1: CPSID i / CPSIE i (PRIMASK) */
static inline uint32_t t2_cpsid_i(void) { return 0xb672u; }
static inline uint32_t t2_cpsie_i(void) { return 0xb662u; }
/* A7.7 MRS T1 / MSR (register) T1, special register SYSm (B5.2.3; PRIMASK = 16) */
#define T2_SYSM_PRIMASK 16u
static inline uint32_t t2_mrs(unsigned rd, unsigned sysm)
{
    if (!t2_reg_ok(rd) || sysm > 0xffu) return T2_BAD;
    return t2_w32(0xf3efu, 0x8000u | rd << 8 | sysm);
}
static inline uint32_t t2_msr(unsigned sysm, unsigned rn)
{
    if (!t2_reg_ok(rn) || sysm > 0xffu) return T2_BAD;
    return t2_w32(0xf380u | rn, 0x8800u | sysm);
}
/* A7.7 UDF T1 / T2 (permanently undefined; never emitted but as T2_BAD) */
static inline uint32_t t2_udf16(uint32_t v) { return v > 0xffu ? T2_BAD : 0xde00u | v; }
static inline uint32_t t2_udf32(uint32_t v)
{
    return v > 0xffffu ? T2_BAD : t2_w32(0xf7f0u | v >> 12, 0xa000u | (v & 0xfffu));
}

/* -- branches (A5.3.4, A5.2.6); d = target - (address of branch + 4) ------------ */
/* A7.7 B T1: B<c> (16-bit), -256..254 */
static inline uint32_t t2_bcond16(enum t2_cond c, int32_t d)
{
    if ((unsigned)c >= 14u || !t2_b16c_ok(d)) return T2_BAD;
    return 0xd000u | (unsigned)c << 8 | (((uint32_t)d >> 1) & 0xffu);
}
/* A7.7 B T2: B (16-bit), -2048..2046 */
static inline uint32_t t2_b16(int32_t d)
{
    if (!t2_b16_ok(d)) return T2_BAD;
    return 0xe000u | (((uint32_t)d >> 1) & 0x7ffu);
}
/* A7.7 B T3: B<c>.W, +-1 MiB */
static inline uint32_t t2_bcond32(enum t2_cond c, int32_t d)
{
    if ((unsigned)c >= 14u || !t2_b32c_ok(d)) return T2_BAD;
    return t2_pk_bcond32((unsigned)c, d);
}
/* A7.7 B T4: B.W, +-16 MiB */
static inline uint32_t t2_b32(int32_t d)
{
    if (!t2_b32_ok(d)) return T2_BAD;
    return t2_pk_b32(0, d);
}
/* A7.7 BL T1, +-16 MiB */
static inline uint32_t t2_bl(int32_t d)
{
    if (!t2_b32_ok(d)) return T2_BAD;
    return t2_pk_b32(1, d);
}
/* A7.7 CBZ/CBNZ T1: low rn, forward 0..126 */
static inline uint32_t t2_cbz(unsigned rn, int32_t d)
{
    if (!t2_low_reg(rn) || !t2_cbz_ok(d)) return T2_BAD;
    return 0xb100u | ((uint32_t)d >> 6 & 1u) << 9 | ((uint32_t)d >> 1 & 0x1fu) << 3 | rn;
}
static inline uint32_t t2_cbnz(unsigned rn, int32_t d)
{
    if (!t2_low_reg(rn) || !t2_cbz_ok(d)) return T2_BAD;
    return 0xb900u | ((uint32_t)d >> 6 & 1u) << 9 | ((uint32_t)d >> 1 & 0x1fu) << 3 | rn;
}

/* ---- the constant materialiser --------------------------------------------------- */
/*
 * rd = v in the fewest instructions, flags untouched: MOV.W #modimm, else
 * MVN.W #modimm, else MOVW (v <= 0xffff), else MOVW + MOVT. Writes the
 * encodings to out[0..n) and returns n (1 or 2).
 */
static inline unsigned t2_mov_const(unsigned rd, uint32_t v, uint32_t out[2])
{
    if (t2_modimm_ok(v)) {
        out[0] = t2_mov_imm(rd, v);
        return 1;
    }
    if (t2_modimm_ok(~v)) {
        out[0] = t2_mvn_imm(rd, ~v);
        return 1;
    }
    out[0] = t2_movw(rd, v & 0xffffu);
    if (v <= 0xffffu)
        return 1;
    out[1] = t2_movt(rd, v >> 16);
    return 2;
}

/*
 * t2_narrow: the 16-bit form with exactly the same effect, flags included
 * (A5.2), of a 32-bit encoding, else the encoding itself: loads
 * and stores with small offsets, MOV/ADD of registers (T1/T2 do not touch
 * the flags, like the 32-bit forms the code generator uses), CMP (always
 * sets them). A7.7 LDR/STR/LDRH/STRH/LDRB/STRB (immediate) T1, MOV (register)
 * T1, ADD (register) T2, CMP (register) T1/T2, CMP (immediate) T1.
 * Flag-setting narrow ALU forms (ADDS, MOVS, ...) are not produced: the
 * flags may be live across the instruction.
 */
static inline uint32_t t2_narrow(uint32_t e)
{
    uint32_t h1 = e >> 16, h2 = e & 0xffffu;
    unsigned rn = h1 & 15u, rt = h2 >> 12, rd = (h2 >> 8) & 15u, rm = h2 & 15u;
    if (e <= 0xffffu || e == T2_BAD)
        return e;
    /* LDR/STR/LDRH/STRH/LDRB/STRB (immediate) imm12 -> T1 imm5 (scaled) */
    if ((h1 & 0xff80u) == 0xf880u && t2_low_reg(rn) && t2_low_reg(rt)) {
        static const struct { uint16_t h1; uint16_t n16; unsigned sh; } f[] = {
            {0xf8c0u, 0x6000u, 2}, {0xf8d0u, 0x6800u, 2}, {0xf8a0u, 0x8000u, 1},
            {0xf8b0u, 0x8800u, 1}, {0xf880u, 0x7000u, 0}, {0xf890u, 0x7800u, 0}};
        uint32_t off = h2 & 0xfffu;
        for (unsigned k = 0; k < 6; k++)
            if ((h1 & 0xfff0u) == f[k].h1 && (off & ((1u << f[k].sh) - 1u)) == 0 &&
                (off >> f[k].sh) <= 31u)
                return f[k].n16 | (off >> f[k].sh) << 6 | rn << 3 | rt;
        return e;
    }
    /* MOV.W rd, rm (no shift) -> MOV rd, rm (T1) */
    if (h1 == 0xea4fu && (h2 & 0xf0f0u) == 0)
        return t2_mov_reg(rd, rm);
    /* ADD.W rd, rd, rm -> ADD rd, rm (T2) */
    if ((h1 & 0xfff0u) == 0xeb00u && (h2 & 0xf0f0u) == 0 && rd == rn && rd != 13 && rm != 13)
        return 0x4400u | (rd >> 3) << 7 | rm << 3 | (rd & 7u);
    /* CMP.W rn, rm -> CMP (T1 low / T2 high); CMP.W rn, #imm8 -> CMP (T1) */
    if ((h1 & 0xfff0u) == 0xebb0u && (h2 & 0xff00u) == 0x0f00u && (h2 & 0xf0u) == 0) {
        if (t2_low_reg(rn) && t2_low_reg(rm))
            return 0x4280u | rm << 3 | rn;
        return 0x4500u | (rn >> 3) << 7 | rm << 3 | (rn & 7u);
    }
    if ((h1 & 0xfff0u) == 0xf1b0u && (h2 & 0xff00u) == 0x0f00u && t2_low_reg(rn))
        return 0x2800u | rn << 8 | (h2 & 0xffu);
    return e;
}

/* ---- decoding helpers for relocation and validation ------------------------------ */
/* Is the halfword the first half of a 32-bit instruction? (A5.1) */
static inline int t2_is32(uint16_t hw1) { return (hw1 & 0xf800u) >= 0xe800u; }

/* Patch the displacement of a BL at p (4 bytes, little-endian halfwords). */
static inline uint32_t t2_rd32(const uint8_t *p)
{
    uint32_t h1 = (uint32_t)p[0] | (uint32_t)p[1] << 8, h2 = (uint32_t)p[2] | (uint32_t)p[3] << 8;
    return h1 << 16 | h2;
}
static inline void t2_wr32(uint8_t *p, uint32_t enc)
{
    p[0] = (uint8_t)(enc >> 16); p[1] = (uint8_t)(enc >> 24);
    p[2] = (uint8_t)enc;         p[3] = (uint8_t)(enc >> 8);
}
static inline void t2_wr16(uint8_t *p, uint32_t enc)
{
    p[0] = (uint8_t)enc; p[1] = (uint8_t)(enc >> 8);
}
/* Write an encoding (2 or 4 bytes); returns the bytes written. */
static inline unsigned t2_put(uint8_t *p, uint32_t enc)
{
    if (enc > 0xffffu) { t2_wr32(p, enc); return 4; }
    t2_wr16(p, enc);
    return 2;
}

/*
 * Scan an image: every instruction decodes to a length (A5.1) and none is
 * UDF (the T2_BAD sentinel or any other). Returns the byte offset of the
 * first bad instruction, or len if the image is clean.
 */
static inline size_t t2_validate(const uint8_t *code, size_t len)
{
    size_t i = 0;
    if (len & 1u)
        return len - 1;
    while (i < len) {
        uint16_t h = (uint16_t)(code[i] | code[i + 1] << 8);
        if (t2_is32(h)) {
            if (i + 4 > len) return i;
            uint16_t h2 = (uint16_t)(code[i + 2] | code[i + 3] << 8);
            if ((h & 0xfff0u) == 0xf7f0u && (h2 & 0xf000u) == 0xa000u) return i;  /* UDF.W */
            i += 4;
        } else {
            if ((h & 0xff00u) == 0xde00u) return i;                               /* UDF */
            i += 2;
        }
    }
    return i;
}

#endif /* T2_ENC_H */
