/*
 * rv_enc.h - RV32IMAC (+ Zicsr) instruction encoders.
 *
 * Two layers:
 *   1. per-format packers (rv_pk_r, rv_pk_i, ..., rv_pk_cr, rv_pk_ci, ...),
 *      one per instruction format of "The RISC-V Instruction Set Manual,
 *      Volume I: Unprivileged ISA" (document 20191213): section 2.2/2.3
 *      (R/I/S/B/U/J) and section 16.2 (the RVC formats);
 *   2. one pure `static inline uint32_t` per mnemonic (rv_addi, rv_c_addi,
 *      ...) that checks its operands, returns the encoding and never writes.
 *      Writing is the caller's job (rv_put).
 *
 * An encoding is returned as one uint32_t holding the instruction's value:
 *   32-bit instruction:  bits [1:0] == 11
 *   16-bit (RVC):        bits [1:0] != 11, value <= 0xffff
 * so rv_size() tells them apart from the value alone (section 1.5, "Base
 * Instruction-Length Encoding"). In memory both are little-endian.
 *
 * An encoder asked for something it cannot encode (register not allowed
 * there, immediate out of range or misaligned) returns RV_BAD: UNIMP, the
 * CSRRW x0, cycle, x0 of GNU as (a write to the read-only `cycle` CSR, an
 * illegal-instruction exception on every implementation; Zicsr section
 * 9.1, privileged spec table 2.2). The code generator never emits CSRRW on
 * `cycle`, so rv_validate() rejects any image holding it.
 *
 * Only RV32I, M, A, C and the Zicsr instructions; nothing from B, F, D.
 */
#ifndef RV_ENC_H
#define RV_ENC_H

#include <stddef.h>
#include <stdint.h>

/* ---- registers (section 2.1; ABI names from the psABI) ------------------ */
enum {
    RV_ZERO = 0, RV_RA = 1, RV_SP = 2, RV_GP = 3, RV_TP = 4,
    RV_T0 = 5, RV_T1 = 6, RV_T2 = 7,
    RV_S0 = 8, RV_S1 = 9,
    RV_A0 = 10, RV_A1, RV_A2, RV_A3, RV_A4, RV_A5, RV_A6, RV_A7,
    RV_S2 = 18, RV_S3, RV_S4, RV_S5, RV_S6, RV_S7, RV_S8, RV_S9, RV_S10, RV_S11,
    RV_T3 = 28, RV_T4, RV_T5, RV_T6
};

/* CSR numbers used here (privileged spec, table 2.2/2.5) */
#define RV_CSR_MSTATUS 0x300u
#define RV_CSR_CYCLE   0xc00u
#define RV_MSTATUS_MIE 0x8u      /* mstatus bit 3: machine interrupt enable */

/* The "cannot encode" sentinel: UNIMP = CSRRW x0, cycle, x0. */
#define RV_BAD 0xc0001073u

static inline unsigned rv_size(uint32_t enc) { return (enc & 3u) == 3u ? 4u : 2u; }

/* ---- range predicates, one per immediate field -------------------------------- */
static inline int rv_reg_ok(unsigned r) { return r <= 31u; }
/* the eight registers of the 3-bit RVC fields rd'/rs1'/rs2': x8..x15 */
static inline int rv_creg_ok(unsigned r) { return r >= 8u && r <= 15u; }
/* I-type / S-type immediates: signed 12 bits */
static inline int rv_imm12_ok(int32_t v) { return v >= -2048 && v <= 2047; }
/* U-type: the 20 upper bits (LUI/AUIPC take imm[31:12] as a 20-bit field) */
static inline int rv_imm20_ok(uint32_t v) { return v <= 0xfffffu; }
/* shift amounts of SLLI/SRLI/SRAI on RV32 */
static inline int rv_shamt_ok(unsigned n) { return n <= 31u; }
/* CSR numbers and the 5-bit zimm of the CSR*I forms */
static inline int rv_csr_ok(uint32_t csr) { return csr <= 0xfffu; }
static inline int rv_uimm5_ok(uint32_t v) { return v <= 31u; }
/* B-type offset: even, -4096..4094 */
static inline int rv_boff_ok(int32_t d) { return d >= -4096 && d <= 4094 && (d & 1) == 0; }
/* J-type offset: even, -1 MiB..1 MiB - 2 */
static inline int rv_joff_ok(int32_t d) { return d >= -1048576 && d <= 1048574 && (d & 1) == 0; }
/* RVC: 6-bit signed immediates (C.LI, C.ADDI, C.ANDI) */
static inline int rv_cimm6_ok(int32_t v) { return v >= -32 && v <= 31; }
/* RVC: C.LUI nzimm[17:12]: the 20-bit LUI field of a value in -32..31, not 0 */
static inline int rv_clui_ok(uint32_t hi20)
{
    return hi20 != 0 && (hi20 <= 31u || (hi20 >= 0xfffe0u && hi20 <= 0xfffffu));
}
/* RVC: C.LW/C.SW offset: 0..124, multiple of 4 */
static inline int rv_clw_ok(int32_t off) { return off >= 0 && off <= 124 && (off & 3) == 0; }
/* RVC: C.LWSP/C.SWSP offset: 0..252, multiple of 4 */
static inline int rv_clwsp_ok(int32_t off) { return off >= 0 && off <= 252 && (off & 3) == 0; }
/* RVC: C.ADDI16SP: multiple of 16, -512..496, not 0 */
static inline int rv_caddi16sp_ok(int32_t v) { return v != 0 && v >= -512 && v <= 496 && (v & 15) == 0; }
/* RVC: C.ADDI4SPN: multiple of 4, 4..1020 */
static inline int rv_caddi4spn_ok(int32_t v) { return v > 0 && v <= 1020 && (v & 3) == 0; }
/* RVC: C.SLLI/C.SRLI/C.SRAI shamt on RV32: 1..31 (0 is a HINT, 32+ reserved) */
static inline int rv_cshamt_ok(unsigned n) { return n >= 1u && n <= 31u; }
/* RVC: C.BEQZ/C.BNEZ offset: even, -256..254 */
static inline int rv_cboff_ok(int32_t d) { return d >= -256 && d <= 254 && (d & 1) == 0; }
/* RVC: C.J/C.JAL offset: even, -2048..2046 */
static inline int rv_cjoff_ok(int32_t d) { return d >= -2048 && d <= 2046 && (d & 1) == 0; }

/* ============================================================================
 * Layer 1: per-format packers. They assume fields in range (layer 2 checks)
 * and only place bits.
 * ========================================================================= */

/*
 * Section 2.2, figure 2.3 (base formats) and 2.3 (immediate encodings):
 *
 *  31        25 24   20 19   15 14  12 11          7 6      0
 * | funct7     |  rs2  |  rs1  |funct3| rd           | opcode |  R
 * | imm[11:0]          |  rs1  |funct3| rd           | opcode |  I
 * | imm[11:5]  |  rs2  |  rs1  |funct3| imm[4:0]     | opcode |  S
 * |i12|imm10:5 |  rs2  |  rs1  |funct3|imm4:1 | i11  | opcode |  B
 * | imm[31:12]                        | rd           | opcode |  U
 * |i20| imm[10:1]  |i11| imm[19:12]   | rd           | opcode |  J
 */
static inline uint32_t rv_pk_r(uint32_t opc, uint32_t f3, uint32_t f7, unsigned rd,
                               unsigned rs1, unsigned rs2)
{
    return f7 << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
           (uint32_t)rd << 7 | opc;
}
static inline uint32_t rv_pk_i(uint32_t opc, uint32_t f3, unsigned rd, unsigned rs1, int32_t imm)
{
    return ((uint32_t)imm & 0xfffu) << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
           (uint32_t)rd << 7 | opc;
}
static inline uint32_t rv_pk_s(uint32_t opc, uint32_t f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 5) & 0x7fu) << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 |
           f3 << 12 | (u & 0x1fu) << 7 | opc;
}
static inline uint32_t rv_pk_b(uint32_t opc, uint32_t f3, unsigned rs1, unsigned rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 12) & 1u) << 31 | ((u >> 5) & 0x3fu) << 25 | (uint32_t)rs2 << 20 |
           (uint32_t)rs1 << 15 | f3 << 12 | ((u >> 1) & 0xfu) << 8 | ((u >> 11) & 1u) << 7 | opc;
}
static inline uint32_t rv_pk_u(uint32_t opc, unsigned rd, uint32_t imm20)
{
    return (imm20 & 0xfffffu) << 12 | (uint32_t)rd << 7 | opc;
}
static inline uint32_t rv_pk_j(uint32_t opc, unsigned rd, int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 20) & 1u) << 31 | ((u >> 1) & 0x3ffu) << 21 | ((u >> 11) & 1u) << 20 |
           ((u >> 12) & 0xffu) << 12 | (uint32_t)rd << 7 | opc;
}

/* major opcodes (table 24.1) */
#define RV_OP_LOAD     0x03u
#define RV_OP_MISC_MEM 0x0fu
#define RV_OP_IMM      0x13u
#define RV_OP_AUIPC    0x17u
#define RV_OP_STORE    0x23u
#define RV_OP_AMO      0x2fu
#define RV_OP_OP       0x33u
#define RV_OP_LUI      0x37u
#define RV_OP_BRANCH   0x63u
#define RV_OP_JALR     0x67u
#define RV_OP_JAL      0x6fu
#define RV_OP_SYSTEM   0x73u

/*
 * Section 16.2, table 16.1 (compressed formats):
 *
 *    15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0
 *   |  funct4   |    rd/rs1    |     rs2      | op  |  CR
 *   | funct3 |imm|    rd/rs1    |     imm      | op  |  CI
 *   | funct3 |       imm        |     rs2      | op  |  CSS
 *   | funct3 |          imm           |  rd'   | op  |  CIW
 *   | funct3 |  imm   |  rs1'  | imm |  rd'   | op  |  CL
 *   | funct3 |  imm   |  rs1'  | imm |  rs2'  | op  |  CS
 *   |      funct6     |rd'/rs1'| f2  |  rs2'  | op  |  CA
 *   | funct3 | offset |  rs1'  |   offset     | op  |  CB
 *   | funct3 |        jump target           | op  |  CJ
 *
 * The packers take the already scrambled immediate bits of each field; the
 * mnemonic layer does the scrambling (each instruction orders them
 * differently).
 */
static inline unsigned rv_c3(unsigned r) { return (r - 8u) & 7u; }
static inline uint32_t rv_pk_cr(uint32_t f4, unsigned rd, unsigned rs2, uint32_t op)
{
    return f4 << 12 | (uint32_t)rd << 7 | (uint32_t)rs2 << 2 | op;
}
static inline uint32_t rv_pk_ci(uint32_t f3, uint32_t b12, unsigned rd, uint32_t b6_2, uint32_t op)
{
    return f3 << 13 | (b12 & 1u) << 12 | (uint32_t)rd << 7 | (b6_2 & 0x1fu) << 2 | op;
}
static inline uint32_t rv_pk_css(uint32_t f3, uint32_t b12_7, unsigned rs2, uint32_t op)
{
    return f3 << 13 | (b12_7 & 0x3fu) << 7 | (uint32_t)rs2 << 2 | op;
}
static inline uint32_t rv_pk_ciw(uint32_t f3, uint32_t b12_5, unsigned rdp, uint32_t op)
{
    return f3 << 13 | (b12_5 & 0xffu) << 5 | (uint32_t)rv_c3(rdp) << 2 | op;
}
static inline uint32_t rv_pk_cl(uint32_t f3, uint32_t b12_10, unsigned rs1p, uint32_t b6_5,
                                unsigned rdp, uint32_t op)
{
    return f3 << 13 | (b12_10 & 7u) << 10 | (uint32_t)rv_c3(rs1p) << 7 | (b6_5 & 3u) << 5 |
           (uint32_t)rv_c3(rdp) << 2 | op;
}
static inline uint32_t rv_pk_cs(uint32_t f3, uint32_t b12_10, unsigned rs1p, uint32_t b6_5,
                                unsigned rs2p, uint32_t op)
{
    return rv_pk_cl(f3, b12_10, rs1p, b6_5, rs2p, op);   /* same layout, rs2' for rd' */
}
static inline uint32_t rv_pk_ca(uint32_t f6, unsigned rdp, uint32_t f2, unsigned rs2p, uint32_t op)
{
    return f6 << 10 | (uint32_t)rv_c3(rdp) << 7 | f2 << 5 | (uint32_t)rv_c3(rs2p) << 2 | op;
}
static inline uint32_t rv_pk_cb(uint32_t f3, uint32_t b12_10, unsigned rs1p, uint32_t b6_2, uint32_t op)
{
    return f3 << 13 | (b12_10 & 7u) << 10 | (uint32_t)rv_c3(rs1p) << 7 | (b6_2 & 0x1fu) << 2 | op;
}
static inline uint32_t rv_pk_cj(uint32_t f3, uint32_t b12_2, uint32_t op)
{
    return f3 << 13 | (b12_2 & 0x7ffu) << 2 | op;
}

/* ============================================================================
 * Layer 2: one encoder per mnemonic.
 * ========================================================================= */

/* ---- RV32I integer register-immediate (section 2.4.1) --------------------- */
static inline uint32_t rv_opimm(uint32_t f3, unsigned rd, unsigned rs1, int32_t imm)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs1) || !rv_imm12_ok(imm))
        return RV_BAD;
    return rv_pk_i(RV_OP_IMM, f3, rd, rs1, imm);
}
static inline uint32_t rv_addi(unsigned rd, unsigned rs1, int32_t imm) { return rv_opimm(0, rd, rs1, imm); }
static inline uint32_t rv_slti(unsigned rd, unsigned rs1, int32_t imm) { return rv_opimm(2, rd, rs1, imm); }
static inline uint32_t rv_sltiu(unsigned rd, unsigned rs1, int32_t imm) { return rv_opimm(3, rd, rs1, imm); }
static inline uint32_t rv_xori(unsigned rd, unsigned rs1, int32_t imm) { return rv_opimm(4, rd, rs1, imm); }
static inline uint32_t rv_ori(unsigned rd, unsigned rs1, int32_t imm) { return rv_opimm(6, rd, rs1, imm); }
static inline uint32_t rv_andi(unsigned rd, unsigned rs1, int32_t imm) { return rv_opimm(7, rd, rs1, imm); }

/* shifts by a constant: I-type with imm[11:5] = 0000000 / 0100000 */
static inline uint32_t rv_shifti(uint32_t f3, uint32_t f7, unsigned rd, unsigned rs1, unsigned n)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs1) || !rv_shamt_ok(n))
        return RV_BAD;
    return rv_pk_r(RV_OP_IMM, f3, f7, rd, rs1, n);
}
static inline uint32_t rv_slli(unsigned rd, unsigned rs1, unsigned n) { return rv_shifti(1, 0x00, rd, rs1, n); }
static inline uint32_t rv_srli(unsigned rd, unsigned rs1, unsigned n) { return rv_shifti(5, 0x00, rd, rs1, n); }
static inline uint32_t rv_srai(unsigned rd, unsigned rs1, unsigned n) { return rv_shifti(5, 0x20, rd, rs1, n); }

static inline uint32_t rv_lui(unsigned rd, uint32_t imm20)
{
    if (!rv_reg_ok(rd) || !rv_imm20_ok(imm20))
        return RV_BAD;
    return rv_pk_u(RV_OP_LUI, rd, imm20);
}
static inline uint32_t rv_auipc(unsigned rd, uint32_t imm20)
{
    if (!rv_reg_ok(rd) || !rv_imm20_ok(imm20))
        return RV_BAD;
    return rv_pk_u(RV_OP_AUIPC, rd, imm20);
}

/* ---- RV32I integer register-register (section 2.4.2) ----------------------- */
static inline uint32_t rv_op(uint32_t f3, uint32_t f7, unsigned rd, unsigned rs1, unsigned rs2)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs1) || !rv_reg_ok(rs2))
        return RV_BAD;
    return rv_pk_r(RV_OP_OP, f3, f7, rd, rs1, rs2);
}
static inline uint32_t rv_add(unsigned rd, unsigned a, unsigned b) { return rv_op(0, 0x00, rd, a, b); }
static inline uint32_t rv_sub(unsigned rd, unsigned a, unsigned b) { return rv_op(0, 0x20, rd, a, b); }
static inline uint32_t rv_sll(unsigned rd, unsigned a, unsigned b) { return rv_op(1, 0x00, rd, a, b); }
static inline uint32_t rv_slt(unsigned rd, unsigned a, unsigned b) { return rv_op(2, 0x00, rd, a, b); }
static inline uint32_t rv_sltu(unsigned rd, unsigned a, unsigned b) { return rv_op(3, 0x00, rd, a, b); }
static inline uint32_t rv_xor(unsigned rd, unsigned a, unsigned b) { return rv_op(4, 0x00, rd, a, b); }
static inline uint32_t rv_srl(unsigned rd, unsigned a, unsigned b) { return rv_op(5, 0x00, rd, a, b); }
static inline uint32_t rv_sra(unsigned rd, unsigned a, unsigned b) { return rv_op(5, 0x20, rd, a, b); }
static inline uint32_t rv_or(unsigned rd, unsigned a, unsigned b) { return rv_op(6, 0x00, rd, a, b); }
static inline uint32_t rv_and(unsigned rd, unsigned a, unsigned b) { return rv_op(7, 0x00, rd, a, b); }

/* ---- M extension (chapter 7): OP with funct7 = 0000001 --------------------- */
static inline uint32_t rv_mul(unsigned rd, unsigned a, unsigned b) { return rv_op(0, 0x01, rd, a, b); }
static inline uint32_t rv_mulh(unsigned rd, unsigned a, unsigned b) { return rv_op(1, 0x01, rd, a, b); }
static inline uint32_t rv_mulhsu(unsigned rd, unsigned a, unsigned b) { return rv_op(2, 0x01, rd, a, b); }
static inline uint32_t rv_mulhu(unsigned rd, unsigned a, unsigned b) { return rv_op(3, 0x01, rd, a, b); }
static inline uint32_t rv_div(unsigned rd, unsigned a, unsigned b) { return rv_op(4, 0x01, rd, a, b); }
static inline uint32_t rv_divu(unsigned rd, unsigned a, unsigned b) { return rv_op(5, 0x01, rd, a, b); }
static inline uint32_t rv_rem(unsigned rd, unsigned a, unsigned b) { return rv_op(6, 0x01, rd, a, b); }
static inline uint32_t rv_remu(unsigned rd, unsigned a, unsigned b) { return rv_op(7, 0x01, rd, a, b); }

/* ---- control transfer (section 2.5) ------------------------------------------- */
static inline uint32_t rv_jal(unsigned rd, int32_t off)
{
    if (!rv_reg_ok(rd) || !rv_joff_ok(off))
        return RV_BAD;
    return rv_pk_j(RV_OP_JAL, rd, off);
}
static inline uint32_t rv_jalr(unsigned rd, unsigned rs1, int32_t off)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs1) || !rv_imm12_ok(off))
        return RV_BAD;
    return rv_pk_i(RV_OP_JALR, 0, rd, rs1, off);
}

/* conditional branches, funct3 (section 2.5 "Conditional Branches") */
enum rv_cond { RV_BEQ = 0, RV_BNE = 1, RV_BLT = 4, RV_BGE = 5, RV_BLTU = 6, RV_BGEU = 7 };
static inline enum rv_cond rv_cond_invert(enum rv_cond c) { return (enum rv_cond)((unsigned)c ^ 1u); }

static inline uint32_t rv_branch(enum rv_cond c, unsigned rs1, unsigned rs2, int32_t off)
{
    if (!rv_reg_ok(rs1) || !rv_reg_ok(rs2) || !rv_boff_ok(off) ||
        (c != RV_BEQ && c != RV_BNE && c != RV_BLT && c != RV_BGE && c != RV_BLTU && c != RV_BGEU))
        return RV_BAD;
    return rv_pk_b(RV_OP_BRANCH, (uint32_t)c, rs1, rs2, off);
}
static inline uint32_t rv_beq(unsigned a, unsigned b, int32_t off) { return rv_branch(RV_BEQ, a, b, off); }
static inline uint32_t rv_bne(unsigned a, unsigned b, int32_t off) { return rv_branch(RV_BNE, a, b, off); }
static inline uint32_t rv_blt(unsigned a, unsigned b, int32_t off) { return rv_branch(RV_BLT, a, b, off); }
static inline uint32_t rv_bge(unsigned a, unsigned b, int32_t off) { return rv_branch(RV_BGE, a, b, off); }
static inline uint32_t rv_bltu(unsigned a, unsigned b, int32_t off) { return rv_branch(RV_BLTU, a, b, off); }
static inline uint32_t rv_bgeu(unsigned a, unsigned b, int32_t off) { return rv_branch(RV_BGEU, a, b, off); }

/* ---- loads and stores (section 2.6) --------------------------------------------- */
enum rv_width { RV_B = 0, RV_H = 1, RV_W = 2, RV_BU = 4, RV_HU = 5 };
static inline uint32_t rv_load(enum rv_width w, unsigned rd, unsigned rs1, int32_t off)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs1) || !rv_imm12_ok(off) ||
        (w != RV_B && w != RV_H && w != RV_W && w != RV_BU && w != RV_HU))
        return RV_BAD;
    return rv_pk_i(RV_OP_LOAD, (uint32_t)w, rd, rs1, off);
}
static inline uint32_t rv_lb(unsigned rd, unsigned rs1, int32_t off) { return rv_load(RV_B, rd, rs1, off); }
static inline uint32_t rv_lh(unsigned rd, unsigned rs1, int32_t off) { return rv_load(RV_H, rd, rs1, off); }
static inline uint32_t rv_lw(unsigned rd, unsigned rs1, int32_t off) { return rv_load(RV_W, rd, rs1, off); }
static inline uint32_t rv_lbu(unsigned rd, unsigned rs1, int32_t off) { return rv_load(RV_BU, rd, rs1, off); }
static inline uint32_t rv_lhu(unsigned rd, unsigned rs1, int32_t off) { return rv_load(RV_HU, rd, rs1, off); }

static inline uint32_t rv_store(enum rv_width w, unsigned rs2, unsigned rs1, int32_t off)
{
    if (!rv_reg_ok(rs2) || !rv_reg_ok(rs1) || !rv_imm12_ok(off) ||
        (w != RV_B && w != RV_H && w != RV_W))
        return RV_BAD;
    return rv_pk_s(RV_OP_STORE, (uint32_t)w, rs1, rs2, off);
}
/* operand order as in assembly: sw rs2, off(rs1) */
static inline uint32_t rv_sb(unsigned rs2, unsigned rs1, int32_t off) { return rv_store(RV_B, rs2, rs1, off); }
static inline uint32_t rv_sh(unsigned rs2, unsigned rs1, int32_t off) { return rv_store(RV_H, rs2, rs1, off); }
static inline uint32_t rv_sw(unsigned rs2, unsigned rs1, int32_t off) { return rv_store(RV_W, rs2, rs1, off); }

/* ---- Zicsr (chapter 9) ----------------------------------------------------------- */
static inline uint32_t rv_csr(uint32_t f3, unsigned rd, unsigned rs1, uint32_t csr)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs1) || !rv_csr_ok(csr))
        return RV_BAD;
    return rv_pk_i(RV_OP_SYSTEM, f3, rd, rs1, (int32_t)csr);
}
static inline uint32_t rv_csrrw(unsigned rd, uint32_t csr, unsigned rs1)
{
    if (csr == RV_CSR_CYCLE)    /* that is the sentinel: never on purpose */
        return RV_BAD;
    return rv_csr(1, rd, rs1, csr);
}
static inline uint32_t rv_csrrs(unsigned rd, uint32_t csr, unsigned rs1) { return rv_csr(2, rd, rs1, csr); }
static inline uint32_t rv_csrrc(unsigned rd, uint32_t csr, unsigned rs1) { return rv_csr(3, rd, rs1, csr); }
static inline uint32_t rv_csrrsi(unsigned rd, uint32_t csr, uint32_t z)
{
    return rv_uimm5_ok(z) ? rv_csr(6, rd, (unsigned)z, csr) : RV_BAD;
}
static inline uint32_t rv_csrrci(unsigned rd, uint32_t csr, uint32_t z)
{
    return rv_uimm5_ok(z) ? rv_csr(7, rd, (unsigned)z, csr) : RV_BAD;
}

/* ---- A extension (chapter 8), 32-bit (funct3 = 010) -------------------------- */
/*   31   27 26 25 24  20 19  15 14 12 11  7 6      0
 *  | funct5 |aq|rl| rs2 | rs1 | 010 | rd  | 0101111 |   rs1 = address      */
static inline uint32_t rv_amo(uint32_t f5, unsigned aq, unsigned rl, unsigned rd, unsigned rs2,
                              unsigned rs1)
{
    if (!rv_reg_ok(rd) || !rv_reg_ok(rs2) || !rv_reg_ok(rs1) || aq > 1u || rl > 1u)
        return RV_BAD;
    return rv_pk_r(RV_OP_AMO, 2, f5 << 2 | (uint32_t)aq << 1 | rl, rd, rs1, rs2);
}
/* assembly order: amoadd.w rd, rs2, (rs1) */
static inline uint32_t rv_lr_w(unsigned rd, unsigned rs1) { return rv_amo(0x02, 1, 1, rd, 0, rs1); }
static inline uint32_t rv_sc_w(unsigned rd, unsigned rs2, unsigned rs1) { return rv_amo(0x03, 1, 1, rd, rs2, rs1); }
static inline uint32_t rv_amoswap_w(unsigned rd, unsigned rs2, unsigned rs1) { return rv_amo(0x01, 1, 1, rd, rs2, rs1); }
static inline uint32_t rv_amoadd_w(unsigned rd, unsigned rs2, unsigned rs1) { return rv_amo(0x00, 1, 1, rd, rs2, rs1); }
static inline uint32_t rv_amoxor_w(unsigned rd, unsigned rs2, unsigned rs1) { return rv_amo(0x04, 1, 1, rd, rs2, rs1); }
static inline uint32_t rv_amoand_w(unsigned rd, unsigned rs2, unsigned rs1) { return rv_amo(0x0c, 1, 1, rd, rs2, rs1); }
static inline uint32_t rv_amoor_w(unsigned rd, unsigned rs2, unsigned rs1) { return rv_amo(0x08, 1, 1, rd, rs2, rs1); }

/* ---- RVC (chapter 16) --------------------------------------------------------------- */

/* 16.3 stack-pointer-based loads and stores */
static inline uint32_t rv_c_lwsp(unsigned rd, int32_t off)
{
    uint32_t u = (uint32_t)off;
    if (rd == 0 || !rv_reg_ok(rd) || !rv_clwsp_ok(off))
        return RV_BAD;
    /* CI: imm[5] at 12, imm[4:2|7:6] at 6:2 */
    return rv_pk_ci(2, u >> 5, rd, ((u >> 2) & 7u) << 2 | ((u >> 6) & 3u), 2);
}
static inline uint32_t rv_c_swsp(unsigned rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;
    if (!rv_reg_ok(rs2) || !rv_clwsp_ok(off))
        return RV_BAD;
    /* CSS: imm[5:2|7:6] at 12:7 */
    return rv_pk_css(6, ((u >> 2) & 0xfu) << 2 | ((u >> 6) & 3u), rs2, 2);
}

/* 16.4 register-based loads and stores: CL/CS, uimm[5:3] at 12:10, uimm[2|6] at 6:5 */
static inline uint32_t rv_c_lw(unsigned rdp, unsigned rs1p, int32_t off)
{
    uint32_t u = (uint32_t)off;
    if (!rv_creg_ok(rdp) || !rv_creg_ok(rs1p) || !rv_clw_ok(off))
        return RV_BAD;
    return rv_pk_cl(2, u >> 3, rs1p, ((u >> 2) & 1u) << 1 | ((u >> 6) & 1u), rdp, 0);
}
static inline uint32_t rv_c_sw(unsigned rs2p, unsigned rs1p, int32_t off)
{
    uint32_t u = (uint32_t)off;
    if (!rv_creg_ok(rs2p) || !rv_creg_ok(rs1p) || !rv_clw_ok(off))
        return RV_BAD;
    return rv_pk_cs(6, u >> 3, rs1p, ((u >> 2) & 1u) << 1 | ((u >> 6) & 1u), rs2p, 0);
}

/* 16.5 control transfer */
static inline uint32_t rv_cj_imm(int32_t off)     /* CJ: imm[11|4|9:8|10|6|7|3:1|5] */
{
    uint32_t u = (uint32_t)off;
    return ((u >> 11) & 1u) << 10 | ((u >> 4) & 1u) << 9 | ((u >> 8) & 3u) << 7 |
           ((u >> 10) & 1u) << 6 | ((u >> 6) & 1u) << 5 | ((u >> 7) & 1u) << 4 |
           ((u >> 1) & 7u) << 1 | ((u >> 5) & 1u);
}
static inline uint32_t rv_c_j(int32_t off)
{
    return rv_cjoff_ok(off) ? rv_pk_cj(5, rv_cj_imm(off), 1) : RV_BAD;
}
static inline uint32_t rv_c_jal(int32_t off)     /* RV32 only: jal ra */
{
    return rv_cjoff_ok(off) ? rv_pk_cj(1, rv_cj_imm(off), 1) : RV_BAD;
}
static inline uint32_t rv_c_jr(unsigned rs1)
{
    return rs1 != 0 && rv_reg_ok(rs1) ? rv_pk_cr(8, rs1, 0, 2) : RV_BAD;
}
static inline uint32_t rv_c_jalr(unsigned rs1)
{
    return rs1 != 0 && rv_reg_ok(rs1) ? rv_pk_cr(9, rs1, 0, 2) : RV_BAD;
}
/* CB branches: offset[8|4:3] at 12:10, offset[7:6|2:1|5] at 6:2 */
static inline uint32_t rv_c_bz(uint32_t f3, unsigned rs1p, int32_t off)
{
    uint32_t u = (uint32_t)off;
    if (!rv_creg_ok(rs1p) || !rv_cboff_ok(off))
        return RV_BAD;
    return rv_pk_cb(f3, ((u >> 8) & 1u) << 2 | ((u >> 3) & 3u), rs1p,
                    ((u >> 6) & 3u) << 3 | ((u >> 1) & 3u) << 1 | ((u >> 5) & 1u), 1);
}
static inline uint32_t rv_c_beqz(unsigned rs1p, int32_t off) { return rv_c_bz(6, rs1p, off); }
static inline uint32_t rv_c_bnez(unsigned rs1p, int32_t off) { return rv_c_bz(7, rs1p, off); }

/* 16.6 integer computational: constant generation */
static inline uint32_t rv_c_li(unsigned rd, int32_t imm)
{
    if (rd == 0 || !rv_reg_ok(rd) || !rv_cimm6_ok(imm))
        return RV_BAD;
    return rv_pk_ci(2, (uint32_t)imm >> 5, rd, (uint32_t)imm, 1);
}
static inline uint32_t rv_c_lui(unsigned rd, uint32_t imm20)
{
    if (rd == 0 || rd == RV_SP || !rv_reg_ok(rd) || !rv_clui_ok(imm20))
        return RV_BAD;
    return rv_pk_ci(3, imm20 >> 5, rd, imm20, 1);
}
/* register-immediate */
static inline uint32_t rv_c_addi(unsigned rd, int32_t imm)
{
    if (rd == 0 || !rv_reg_ok(rd) || imm == 0 || !rv_cimm6_ok(imm))
        return RV_BAD;
    return rv_pk_ci(0, (uint32_t)imm >> 5, rd, (uint32_t)imm, 1);
}
/* c.addi16sp: nzimm[9] at 12, nzimm[4|6|8:7|5] at 6:2 */
static inline uint32_t rv_c_addi16sp(int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    if (!rv_caddi16sp_ok(imm))
        return RV_BAD;
    return rv_pk_ci(3, u >> 9, RV_SP,
                    ((u >> 4) & 1u) << 4 | ((u >> 6) & 1u) << 3 | ((u >> 7) & 3u) << 1 |
                        ((u >> 5) & 1u), 1);
}
/* c.addi4spn: nzuimm[5:4|9:6|2|3] at 12:5 */
static inline uint32_t rv_c_addi4spn(unsigned rdp, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    if (!rv_creg_ok(rdp) || !rv_caddi4spn_ok(imm))
        return RV_BAD;
    return rv_pk_ciw(0, ((u >> 4) & 3u) << 6 | ((u >> 6) & 0xfu) << 2 | ((u >> 2) & 1u) << 1 |
                            ((u >> 3) & 1u), rdp, 0);
}
static inline uint32_t rv_c_slli(unsigned rd, unsigned n)
{
    if (rd == 0 || !rv_reg_ok(rd) || !rv_cshamt_ok(n))
        return RV_BAD;
    return rv_pk_ci(0, 0, rd, n, 2);
}
/* CB-format ALU: funct2 at 11:10, imm[5] at 12, imm[4:0] at 6:2 */
static inline uint32_t rv_c_srli(unsigned rdp, unsigned n)
{
    if (!rv_creg_ok(rdp) || !rv_cshamt_ok(n))
        return RV_BAD;
    return rv_pk_cb(4, 0u << 0, rdp, n, 1);
}
static inline uint32_t rv_c_srai(unsigned rdp, unsigned n)
{
    if (!rv_creg_ok(rdp) || !rv_cshamt_ok(n))
        return RV_BAD;
    return rv_pk_cb(4, 1u, rdp, n, 1);
}
static inline uint32_t rv_c_andi(unsigned rdp, int32_t imm)
{
    if (!rv_creg_ok(rdp) || !rv_cimm6_ok(imm))
        return RV_BAD;
    return rv_pk_cb(4, ((uint32_t)imm >> 5 & 1u) << 2 | 2u, rdp, (uint32_t)imm, 1);
}
/* register-register (CR) */
static inline uint32_t rv_c_mv(unsigned rd, unsigned rs2)
{
    if (rd == 0 || rs2 == 0 || !rv_reg_ok(rd) || !rv_reg_ok(rs2))
        return RV_BAD;
    return rv_pk_cr(8, rd, rs2, 2);
}
static inline uint32_t rv_c_add(unsigned rd, unsigned rs2)
{
    if (rd == 0 || rs2 == 0 || !rv_reg_ok(rd) || !rv_reg_ok(rs2))
        return RV_BAD;
    return rv_pk_cr(9, rd, rs2, 2);
}
/* CA: funct6 100011, funct2 SUB 00, XOR 01, OR 10, AND 11 */
static inline uint32_t rv_c_ca(uint32_t f2, unsigned rdp, unsigned rs2p)
{
    if (!rv_creg_ok(rdp) || !rv_creg_ok(rs2p))
        return RV_BAD;
    return rv_pk_ca(0x23, rdp, f2, rs2p, 1);
}
static inline uint32_t rv_c_sub(unsigned rdp, unsigned rs2p) { return rv_c_ca(0, rdp, rs2p); }
static inline uint32_t rv_c_xor(unsigned rdp, unsigned rs2p) { return rv_c_ca(1, rdp, rs2p); }
static inline uint32_t rv_c_or(unsigned rdp, unsigned rs2p) { return rv_c_ca(2, rdp, rs2p); }
static inline uint32_t rv_c_and(unsigned rdp, unsigned rs2p) { return rv_c_ca(3, rdp, rs2p); }
static inline uint32_t rv_c_nop(void) { return rv_pk_ci(0, 0, 0, 0, 1); }
static inline uint32_t rv_c_ebreak(void) { return rv_pk_cr(9, 0, 0, 2); }
static inline uint32_t rv_ebreak(void) { return rv_pk_i(RV_OP_SYSTEM, 0, 0, 0, 1); }

/* ============================================================================
 * The constant materialiser: rd = v with ADDI (12-bit), LUI, or LUI + ADDI.
 * ADDI sign-extends its 12 bits, so the upper part is rounded: hi20 =
 * (v + 0x800) >> 12 makes v - (hi20 << 12) fall in -2048..2047 (the
 * "sign-carry fix"). `c`: prefer RVC forms (C.LI, C.LUI, C.ADDI) where they
 * exist. Returns the number of encodings written to out (1 or 2).
 * ========================================================================= */
static inline int32_t rv_lo12(uint32_t v) { return (int32_t)((v & 0xfffu) ^ 0x800u) - 0x800; }
static inline uint32_t rv_hi20(uint32_t v) { return ((v + 0x800u) >> 12) & 0xfffffu; }

static inline unsigned rv_li(unsigned rd, uint32_t v, int c, uint32_t out[2])
{
    int32_t s = (int32_t)v;
    if (rv_imm12_ok(s)) {
        out[0] = c && rv_cimm6_ok(s) && rd != 0 ? rv_c_li(rd, s) : rv_addi(rd, RV_ZERO, s);
        return 1;
    }
    uint32_t hi = rv_hi20(v);
    int32_t lo = rv_lo12(v);
    out[0] = c && rv_clui_ok(hi) && rd != RV_SP ? rv_c_lui(rd, hi) : rv_lui(rd, hi);
    if (lo == 0)
        return 1;
    out[1] = c && rv_cimm6_ok(lo) ? rv_c_addi(rd, lo) : rv_addi(rd, rd, lo);
    return 2;
}

/* ============================================================================
 * The compressor: the 16-bit twin of a 32-bit encoding, or the encoding
 * itself when it has none (chapter 16's expansions read backwards). Covers
 * ADDI (C.LI, C.MV, C.ADDI, C.ADDI16SP, C.ADDI4SPN), SLLI/SRLI/SRAI, ANDI,
 * ADD (C.ADD, C.MV), SUB/XOR/OR/AND, LUI, LW/SW (sp-relative and x8..x15)
 * and JALR x0 (C.JR). Never touched: ADDI rd, rd, 0 (the placeholder a
 * HI20_LO12 relocation patches), JALR with a link (the relocated call
 * pair), branches, JAL and AUIPC (their offsets are the emitter's), and
 * anything already 16-bit or RV_BAD.
 * ========================================================================= */
static inline uint32_t rv_compress(uint32_t enc)
{
    uint32_t r = RV_BAD;
    if (enc == RV_BAD || rv_size(enc) != 4u)
        return enc;
    unsigned op = enc & 0x7fu, rd = (enc >> 7) & 31u, f3 = (enc >> 12) & 7u;
    unsigned rs1 = (enc >> 15) & 31u, rs2 = (enc >> 20) & 31u, f7 = enc >> 25;
    int32_t ii = (int32_t)enc >> 20;                                   /* I-type */
    int32_t si = (int32_t)(enc & 0xfe000000u) >> 20 | (int32_t)rd;     /* S-type */
    switch (op) {
    case RV_OP_IMM:
        if (rd == 0)
            break;
        if (f3 == 0) {                                  /* ADDI */
            if (rs1 == 0)
                r = rv_c_li(rd, ii);
            else if (ii == 0)
                r = rd != rs1 ? rv_c_mv(rd, rs1) : RV_BAD;
            else if (rd == rs1)
                r = rd == RV_SP && rv_caddi16sp_ok(ii) ? rv_c_addi16sp(ii) : rv_c_addi(rd, ii);
            else if (rs1 == RV_SP)
                r = rv_c_addi4spn(rd, ii);
        } else if (rd == rs1 && f3 == 1 && f7 == 0) {
            r = rv_c_slli(rd, rs2);
        } else if (rd == rs1 && f3 == 5 && (f7 == 0 || f7 == 0x20u)) {
            r = f7 ? rv_c_srai(rd, rs2) : rv_c_srli(rd, rs2);
        } else if (rd == rs1 && f3 == 7) {
            r = rv_c_andi(rd, ii);
        }
        break;
    case RV_OP_OP:
        if (rd == 0)
            break;
        if (f7 == 0 && f3 == 0) {                       /* ADD */
            if (rs1 == 0 || rs2 == 0)
                r = rv_c_mv(rd, rs1 | rs2);
            else if (rd == rs1)
                r = rv_c_add(rd, rs2);
            else if (rd == rs2)
                r = rv_c_add(rd, rs1);
        } else if (f7 == 0x20u && f3 == 0) {            /* SUB */
            r = rd == rs1 ? rv_c_sub(rd, rs2) : RV_BAD;
        } else if (f7 == 0 && (f3 == 4 || f3 == 6 || f3 == 7)) {
            uint32_t f2 = f3 == 4 ? 1u : f3 == 6 ? 2u : 3u;
            r = rd == rs1 ? rv_c_ca(f2, rd, rs2) : rd == rs2 ? rv_c_ca(f2, rd, rs1) : RV_BAD;
        }
        break;
    case RV_OP_LUI:
        r = rv_c_lui(rd, enc >> 12);
        break;
    case RV_OP_LOAD:
        if (f3 == 2)
            r = rs1 == RV_SP ? rv_c_lwsp(rd, ii) : rv_c_lw(rd, rs1, ii);
        break;
    case RV_OP_STORE:
        if (f3 == 2)
            r = rs1 == RV_SP ? rv_c_swsp(rs2, si) : rv_c_sw(rs2, rs1, si);
        break;
    case RV_OP_JALR:
        if (f3 == 0 && rd == 0 && ii == 0)
            r = rv_c_jr(rs1);
        break;
    default:
        break;
    }
    return r == RV_BAD ? enc : r;
}

/* ---- writing and scanning ----------------------------------------------------- */
static inline void rv_put(uint8_t *p, uint32_t enc)
{
    p[0] = (uint8_t)enc;
    p[1] = (uint8_t)(enc >> 8);
    if (rv_size(enc) == 4) {
        p[2] = (uint8_t)(enc >> 16);
        p[3] = (uint8_t)(enc >> 24);
    }
}

/* The instruction at p (len bytes left): its encoding and size, 0 if cut. */
static inline unsigned rv_get(const uint8_t *p, size_t len, uint32_t *enc)
{
    if (len < 2)
        return 0;
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8;
    if ((v & 3u) != 3u) {
        *enc = v;
        return 2;
    }
    if (len < 4 || (v & 0x1cu) == 0x1cu)     /* 48-bit and longer: never made here */
        return 0;
    *enc = v | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return 4;
}

/* Scan an image: the offset of the first RV_BAD, C.UNIMP (0x0000) or cut
 * instruction, or len when the image is clean. */
static inline size_t rv_validate(const uint8_t *p, size_t len)
{
    size_t off = 0;
    while (off < len) {
        uint32_t enc;
        unsigned n = rv_get(p + off, len - off, &enc);
        if (n == 0 || (n == 4 && enc == RV_BAD) || (n == 2 && enc == 0))
            return off;
        off += n;
    }
    return off;
}

#endif /* RV_ENC_H */
