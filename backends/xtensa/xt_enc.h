/*
 * xt_enc.h - Xtensa instruction encoders (little-endian cores: lx106, the
 * ESP8266's; dc233c, QEMU's windowed core with MUL32 and DIV32; the ESP32's
 * LX6 has the same encodings for everything here).
 *
 * Two layers, as rv_enc.h / t2_enc.h:
 *   1. per-format packers (xt_pk_rrr, xt_pk_rri8, ..., xt_pk_rrrn, ...), one
 *      per instruction format of the "Xtensa Instruction Set Architecture
 *      (ISA) Reference Manual" (Tensilica, RC-2010.1, PD-09-0801-10-01),
 *      chapter "Instruction Formats and Opcodes" (the formats and their
 *      lengths); the opcode values are those of its opcode maps, the
 *      operand semantics those of the instruction descriptions;
 *   2. one pure `static inline uint32_t` per mnemonic (xt_add, xt_l32i_n,
 *      ...) that checks its operands, returns the encoding and never writes.
 *      Writing is the caller's job (xt_put). Each encoder names the option
 *      that brings the instruction (chapter 4: Code Density, 32-bit Integer
 *      Multiply "MUL32", 32-bit Integer Divide "DIV32", Windowed Registers,
 *      16-bit Integer Multiply, Miscellaneous Operations "NSA").
 *
 * An encoding is one uint32_t holding the instruction's value (bit 0 = the
 * first bit of the first byte, section 3.5.4.1 "Little-Endian Fetch"). Its
 * length follows from op0 (bits [3:0]): op0 8..13 are the 16-bit Code
 * Density formats, every other op0 here a 24-bit instruction (the manual's
 * instruction-length rule). In memory both are little-endian byte sequences.
 *
 * An encoder asked for something it cannot encode (register above a15,
 * immediate out of range or misaligned, branch out of reach) returns XT_BAD,
 * the 24-bit ILL (all zero bytes, an illegal-instruction exception on every
 * core). Code generators never emit ILL for a trap (they use BREAK or ILL.N),
 * so an image holding the 24-bit ILL is a broken one.
 *
 * pc-relative forms:
 *   - branches (B*, BEQZ.N, J, LOOP...) take d = target - address of the
 *     branch; the field holds d - 4 (the manual: target = PC + offset + 4);
 *   - CALL0/4/8/12 and L32R depend on the instruction's address modulo 4, so
 *     they take the address of the instruction and the target (the literal
 *     for L32R) as two absolute addresses.
 *
 * Windowed calls: CALLn/CALLXn write the return address into a(n*4) with
 * its two top bits replaced by the window increment n, and ENTRY rotates the
 * window (chapter 4, "Windowed Register Option"). lx106 has no windows;
 * use the CALL0/CALLX0/RET forms there (the call0 ABI).
 */
#ifndef XT_ENC_H
#define XT_ENC_H

#include <stddef.h>
#include <stdint.h>

/* ---- registers: the 16 visible address registers a0..a15 (section 3.3.1) */
enum {
    XT_A0 = 0, XT_A1, XT_A2, XT_A3, XT_A4, XT_A5, XT_A6, XT_A7,
    XT_A8, XT_A9, XT_A10, XT_A11, XT_A12, XT_A13, XT_A14, XT_A15
};
#define XT_SP XT_A1           /* the stack pointer in both ABIs */

/* special register numbers used here (the manual's special-register table;
 * the same numbers as GNU as's "rsr a2, sar" etc., checked by the golden table) */
#define XT_SR_LBEG      0u
#define XT_SR_LEND      1u
#define XT_SR_LCOUNT    2u
#define XT_SR_SAR       3u
#define XT_SR_WINDOWBASE  72u
#define XT_SR_WINDOWSTART 73u
#define XT_SR_PS        230u
#define XT_SR_CCOUNT    234u

/* The "cannot encode" sentinel: the 24-bit ILL. */
#define XT_BAD 0x000000u

/* bytes of an encoding: 2 for the Code Density op0 values 8..13, else 3 */
static inline unsigned xt_size(uint32_t enc)
{
    unsigned op0 = enc & 15u;
    return op0 >= 8u && op0 <= 13u ? 2u : 3u;
}

/* Write an encoding at p (little-endian); returns its size. */
static inline unsigned xt_put(uint8_t *p, uint32_t enc)
{
    unsigned n = xt_size(enc);
    p[0] = (uint8_t)enc;
    p[1] = (uint8_t)(enc >> 8);
    if (n == 3u)
        p[2] = (uint8_t)(enc >> 16);
    return n;
}

/* Read the instruction at p (n bytes available); 0 if fewer than its size. */
static inline unsigned xt_get(const uint8_t *p, uint32_t n, uint32_t *enc)
{
    if (n < 2u)
        return 0;
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8;
    if (xt_size(v) == 3u) {
        if (n < 3u)
            return 0;
        v |= (uint32_t)p[2] << 16;
    }
    *enc = v;
    return xt_size(v);
}

/* ---- range predicates ------------------------------------------------------ */
static inline int xt_reg_ok(unsigned r) { return r <= 15u; }
static inline int xt_simm8_ok(int32_t v) { return v >= -128 && v <= 127; }
static inline int xt_simm12_ok(int32_t v) { return v >= -2048 && v <= 2047; }
/* 8-bit branch offsets: d - 4 in -128..127 */
static inline int xt_boff8_ok(int32_t d) { return d - 4 >= -128 && d - 4 <= 127; }
/* BRI12 (BEQZ/BNEZ/BLTZ/BGEZ): d - 4 in -2048..2047 */
static inline int xt_boff12_ok(int32_t d) { return d - 4 >= -2048 && d - 4 <= 2047; }
/* J: d - 4 in -131072..131071 */
static inline int xt_joff_ok(int32_t d) { return d - 4 >= -131072 && d - 4 <= 131071; }
/* BEQZ.N/BNEZ.N: forward only, d - 4 in 0..63 */
static inline int xt_nboff_ok(int32_t d) { return d - 4 >= 0 && d - 4 <= 63; }
/* MOVI.N: -32..95 */
static inline int xt_movin_ok(int32_t v) { return v >= -32 && v <= 95; }
/* ADDI.N: -1 or 1..15 */
static inline int xt_addin_ok(int32_t v) { return v == -1 || (v >= 1 && v <= 15); }
/* L32I.N/S32I.N: 0..60, multiple of 4 */
static inline int xt_lsn_ok(int32_t off) { return off >= 0 && off <= 60 && (off & 3) == 0; }
/* L8UI/S8I 0..255, L16*I/S16I 0..510 even, L32I/S32I 0..1020 multiple of 4 */
static inline int xt_ls_ok(int32_t off, unsigned scale)
{
    return off >= 0 && off <= (int32_t)(255u << scale) && (off & (int32_t)((1u << scale) - 1u)) == 0;
}

/* B4CONST / B4CONSTU (the manual's branch-immediate tables): the immediates
 * of BEQI..BGEI and BLTUI/BGEUI, by their 4-bit index. -1 when v has none. */
static inline int xt_b4const(int32_t v)
{
    static const int32_t t[16] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    for (int i = 0; i < 16; i++)
        if (t[i] == v)
            return i;
    return -1;
}
static inline int xt_b4constu(uint32_t v)
{
    static const uint32_t t[16] = {32768u, 65536u, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    for (int i = 0; i < 16; i++)
        if (t[i] == v)
            return i;
    return -1;
}

/* ============================================================================
 * Layer 1: per-format packers (the manual's format diagrams). They assume fields in range
 * (layer 2 checks) and only place bits.
 *
 *  23    20 19    16 15    12 11     8 7      4 3      0
 * |  op2   |  op1   |   r    |   s    |   t    |  op0   |  RRR
 * |  imm4  |  op1   |   r    |   s    |   t    |  op0   |  RRI4
 * |      imm8       |   r    |   s    |   t    |  op0   |  RRI8
 * |               imm16               |   t    |  op0   |  RI16
 * |  op2   |  op1   |        sr       |   t    |  op0   |  RSR
 * |                 offset (18)                | n|op0  |  CALL   (n: bits 5:4)
 * |  op2   |  op1   |   r    |   s    | m | n  |  op0   |  CALLX
 * |      imm8       |   r    |   s    | m | n  |  op0   |  BRI8
 * |         imm12            |   s    | m | n  |  op0   |  BRI12
 *
 *                    15    12 11     8 7      4 3      0
 *                   |   r    |   s    |   t    |  op0   |  RRRN
 *                   | imm3:0 |   s    |i|imm6:4|  op0   |  RI7
 *                   | imm3:0 |   s    |z|i|i5:4|  op0   |  RI6
 * ========================================================================= */
static inline uint32_t xt_pk_rrr(unsigned op2, unsigned op1, unsigned r, unsigned s, unsigned t,
                                 unsigned op0)
{
    return (uint32_t)op2 << 20 | (uint32_t)op1 << 16 | (uint32_t)r << 12 | (uint32_t)s << 8 |
           (uint32_t)t << 4 | op0;
}
static inline uint32_t xt_pk_rri8(unsigned imm8, unsigned r, unsigned s, unsigned t, unsigned op0)
{
    return (uint32_t)(imm8 & 0xffu) << 16 | (uint32_t)r << 12 | (uint32_t)s << 8 |
           (uint32_t)t << 4 | op0;
}
static inline uint32_t xt_pk_ri16(unsigned imm16, unsigned t, unsigned op0)
{
    return (uint32_t)(imm16 & 0xffffu) << 8 | (uint32_t)t << 4 | op0;
}
static inline uint32_t xt_pk_rsr(unsigned op2, unsigned op1, unsigned sr, unsigned t, unsigned op0)
{
    return (uint32_t)op2 << 20 | (uint32_t)op1 << 16 | (uint32_t)(sr & 0xffu) << 8 |
           (uint32_t)t << 4 | op0;
}
static inline uint32_t xt_pk_call(uint32_t off18, unsigned n, unsigned op0)
{
    return (off18 & 0x3ffffu) << 6 | (uint32_t)n << 4 | op0;
}
static inline uint32_t xt_pk_callx(unsigned op2, unsigned op1, unsigned r, unsigned s, unsigned m,
                                   unsigned n, unsigned op0)
{
    return xt_pk_rrr(op2, op1, r, s, m << 2 | n, op0);
}
static inline uint32_t xt_pk_bri8(unsigned imm8, unsigned r, unsigned s, unsigned m, unsigned n,
                                  unsigned op0)
{
    return xt_pk_rri8(imm8, r, s, m << 2 | n, op0);
}
static inline uint32_t xt_pk_bri12(unsigned imm12, unsigned s, unsigned m, unsigned n, unsigned op0)
{
    return (uint32_t)(imm12 & 0xfffu) << 12 | (uint32_t)s << 8 | (uint32_t)(m << 2 | n) << 4 | op0;
}
static inline uint32_t xt_pk_rrrn(unsigned r, unsigned s, unsigned t, unsigned op0)
{
    return (uint32_t)r << 12 | (uint32_t)s << 8 | (uint32_t)t << 4 | op0;
}
/* RI7 (MOVI.N): imm7[3:0] in r, imm7[6:4] in t[2:0], t[3] = 0 */
static inline uint32_t xt_pk_ri7(unsigned imm7, unsigned s, unsigned op0)
{
    return xt_pk_rrrn(imm7 & 15u, s, (imm7 >> 4) & 7u, op0);
}
/* RI6 (BEQZ.N/BNEZ.N): imm6[3:0] in r, imm6[5:4] in t[1:0], t[3:2] = 1z */
static inline uint32_t xt_pk_ri6(unsigned imm6, unsigned s, unsigned z, unsigned op0)
{
    return xt_pk_rrrn(imm6 & 15u, s, 8u | z << 2 | ((imm6 >> 4) & 3u), op0);
}

/* the op0 major opcodes (the manual's top-level opcode map) */
enum {
    XT_OP0_QRST = 0, XT_OP0_L32R = 1, XT_OP0_LSAI = 2, XT_OP0_CALLN = 5, XT_OP0_SI = 6,
    XT_OP0_B = 7, XT_OP0_L32I_N = 8, XT_OP0_S32I_N = 9, XT_OP0_ADD_N = 10, XT_OP0_ADDI_N = 11,
    XT_OP0_ST2 = 12, XT_OP0_ST3 = 13
};

/* ============================================================================
 * Layer 2: one encoder per mnemonic.
 * ========================================================================= */
#define XT_R3(a, b, c) (xt_reg_ok(a) && xt_reg_ok(b) && xt_reg_ok(c))
#define XT_R2(a, b) (xt_reg_ok(a) && xt_reg_ok(b))

/* ---- RST0 (op0 0, op1 0): arithmetic and logic, ar = as op at ---------------- */
static inline uint32_t xt_rst0(unsigned op2, unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(op2, 0, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_and(unsigned ar, unsigned as, unsigned at) { return xt_rst0(1, ar, as, at); }
static inline uint32_t xt_or(unsigned ar, unsigned as, unsigned at) { return xt_rst0(2, ar, as, at); }
static inline uint32_t xt_xor(unsigned ar, unsigned as, unsigned at) { return xt_rst0(3, ar, as, at); }
static inline uint32_t xt_add(unsigned ar, unsigned as, unsigned at) { return xt_rst0(8, ar, as, at); }
static inline uint32_t xt_addx2(unsigned ar, unsigned as, unsigned at) { return xt_rst0(9, ar, as, at); }
static inline uint32_t xt_addx4(unsigned ar, unsigned as, unsigned at) { return xt_rst0(10, ar, as, at); }
static inline uint32_t xt_addx8(unsigned ar, unsigned as, unsigned at) { return xt_rst0(11, ar, as, at); }
static inline uint32_t xt_sub(unsigned ar, unsigned as, unsigned at) { return xt_rst0(12, ar, as, at); }
static inline uint32_t xt_subx2(unsigned ar, unsigned as, unsigned at) { return xt_rst0(13, ar, as, at); }
static inline uint32_t xt_subx4(unsigned ar, unsigned as, unsigned at) { return xt_rst0(14, ar, as, at); }
static inline uint32_t xt_subx8(unsigned ar, unsigned as, unsigned at) { return xt_rst0(15, ar, as, at); }
/* MOV ar, as is OR ar, as, as (the manual's MOV description) */
static inline uint32_t xt_mov(unsigned ar, unsigned as) { return xt_or(ar, as, as); }
/* RT0 (op2 6): NEG ar, at (s = 0), ABS ar, at (s = 1) */
static inline uint32_t xt_neg(unsigned ar, unsigned at)
{
    return XT_R2(ar, at) ? xt_pk_rrr(6, 0, ar, 0, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_abs(unsigned ar, unsigned at)
{
    return XT_R2(ar, at) ? xt_pk_rrr(6, 0, ar, 1, at, XT_OP0_QRST) : XT_BAD;
}

/* ---- ST0 (op2 0, op1 0): jumps, calls through registers, system ------------ */
/* SNM0 (r 0): t = m:n; m 2 = JR group (RET, RETW, JX), m 3 = CALLX0..12 */
static inline uint32_t xt_ret(void) { return xt_pk_callx(0, 0, 0, 0, 2, 0, XT_OP0_QRST); }
/* Windowed Registers option */
static inline uint32_t xt_retw(void) { return xt_pk_callx(0, 0, 0, 0, 2, 1, XT_OP0_QRST); }
static inline uint32_t xt_jx(unsigned as)
{
    return xt_reg_ok(as) ? xt_pk_callx(0, 0, 0, as, 2, 2, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_callx0(unsigned as)
{
    return xt_reg_ok(as) ? xt_pk_callx(0, 0, 0, as, 3, 0, XT_OP0_QRST) : XT_BAD;
}
/* CALLX4/8/12 (Windowed Registers option): n = 1, 2, 3 */
static inline uint32_t xt_callxn(unsigned n, unsigned as)
{
    return xt_reg_ok(as) && n >= 1u && n <= 3u ? xt_pk_callx(0, 0, 0, as, 3, n, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_callx4(unsigned as) { return xt_callxn(1, as); }
static inline uint32_t xt_callx8(unsigned as) { return xt_callxn(2, as); }
static inline uint32_t xt_callx12(unsigned as) { return xt_callxn(3, as); }
/* MOVSP at, as (r 1; Windowed Registers option) */
static inline uint32_t xt_movsp(unsigned at, unsigned as)
{
    return XT_R2(at, as) ? xt_pk_rrr(0, 0, 1, as, at, XT_OP0_QRST) : XT_BAD;
}
/* SYNC group (r 2): ISYNC t=0, RSYNC 1, ESYNC 2, DSYNC 3, MEMW 12, EXTW 13, NOP 15 */
static inline uint32_t xt_isync(void) { return xt_pk_rrr(0, 0, 2, 0, 0, XT_OP0_QRST); }
static inline uint32_t xt_dsync(void) { return xt_pk_rrr(0, 0, 2, 0, 3, XT_OP0_QRST); }
static inline uint32_t xt_memw(void) { return xt_pk_rrr(0, 0, 2, 0, 12, XT_OP0_QRST); }
static inline uint32_t xt_nop(void) { return xt_pk_rrr(0, 0, 2, 0, 15, XT_OP0_QRST); }
/* BREAK imm4, imm4 (r 4) (Debug option) */
static inline uint32_t xt_break(unsigned s, unsigned t)
{
    return XT_R2(s, t) ? xt_pk_rrr(0, 0, 4, s, t, XT_OP0_QRST) : XT_BAD;
}
/* SYSCALL (r 5, s 0), SIMCALL (r 5, s 1) */
static inline uint32_t xt_syscall(void) { return xt_pk_rrr(0, 0, 5, 0, 0, XT_OP0_QRST); }
static inline uint32_t xt_simcall(void) { return xt_pk_rrr(0, 0, 5, 1, 0, XT_OP0_QRST); }
/* RSIL at, level (r 6; Interrupt option): at = PS, PS.INTLEVEL = level */
static inline uint32_t xt_rsil(unsigned at, unsigned level)
{
    return XT_R2(at, level) ? xt_pk_rrr(0, 0, 6, level, at, XT_OP0_QRST) : XT_BAD;
}

/* ---- ST1 (op2 4, op1 0): the shift amount register ------------------------- */
/* SSR as: SAR = as[4:0] (for right shifts); SSL as: SAR = 32 - as[4:0] */
static inline uint32_t xt_ssr(unsigned as)
{
    return xt_reg_ok(as) ? xt_pk_rrr(4, 0, 0, as, 0, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_ssl(unsigned as)
{
    return xt_reg_ok(as) ? xt_pk_rrr(4, 0, 1, as, 0, XT_OP0_QRST) : XT_BAD;
}
/* SSA8L as: SAR = as[1:0] * 8 (byte shifts, little-endian) */
static inline uint32_t xt_ssa8l(unsigned as)
{
    return xt_reg_ok(as) ? xt_pk_rrr(4, 0, 2, as, 0, XT_OP0_QRST) : XT_BAD;
}
/* SSAI sa: SAR = sa (0..31): sa[3:0] in s, sa[4] in t[0] */
static inline uint32_t xt_ssai(unsigned sa)
{
    return sa <= 31u ? xt_pk_rrr(4, 0, 4, sa & 15u, sa >> 4, XT_OP0_QRST) : XT_BAD;
}
/* NSA at, as / NSAU at, as (r 14 / 15; Miscellaneous Operations option NSA) */
static inline uint32_t xt_nsa(unsigned at, unsigned as)
{
    return XT_R2(at, as) ? xt_pk_rrr(4, 0, 14, as, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_nsau(unsigned at, unsigned as)
{
    return XT_R2(at, as) ? xt_pk_rrr(4, 0, 15, as, at, XT_OP0_QRST) : XT_BAD;
}

/* ---- RST1 (op1 1): shifts, special registers, 16-bit multiply -------------- */
/* SLLI ar, as, n (n 1..31): the field holds 32 - n, bit 4 in op2[0] */
static inline uint32_t xt_slli(unsigned ar, unsigned as, unsigned n)
{
    if (!XT_R2(ar, as) || n < 1u || n > 31u)
        return XT_BAD;
    unsigned sa = 32u - n;
    return xt_pk_rrr(0u | (sa >> 4), 1, ar, as, sa & 15u, XT_OP0_QRST);
}
/* SRAI ar, at, n (n 0..31): n[3:0] in s, n[4] in op2[0] */
static inline uint32_t xt_srai(unsigned ar, unsigned at, unsigned n)
{
    return XT_R2(ar, at) && n <= 31u ? xt_pk_rrr(2u | (n >> 4), 1, ar, n & 15u, at, XT_OP0_QRST)
                                     : XT_BAD;
}
/* SRLI ar, at, n (n 0..15 only: EXTUI does the longer ones) */
static inline uint32_t xt_srli(unsigned ar, unsigned at, unsigned n)
{
    return XT_R2(ar, at) && n <= 15u ? xt_pk_rrr(4, 1, ar, n, at, XT_OP0_QRST) : XT_BAD;
}
/* XSR at, sr (op2 6) */
static inline uint32_t xt_xsr(unsigned at, unsigned sr)
{
    return xt_reg_ok(at) && sr <= 255u ? xt_pk_rsr(6, 1, sr, at, XT_OP0_QRST) : XT_BAD;
}
/* SRC ar, as, at: ar = (as:at) >> SAR (funnel shift, op2 8) */
static inline uint32_t xt_src(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(8, 1, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
/* SRL ar, at: ar = at >> SAR (logical; s = 0) */
static inline uint32_t xt_srl(unsigned ar, unsigned at)
{
    return XT_R2(ar, at) ? xt_pk_rrr(9, 1, ar, 0, at, XT_OP0_QRST) : XT_BAD;
}
/* SLL ar, as: ar = as << (32 - SAR) (t = 0; set SAR with SSL) */
static inline uint32_t xt_sll(unsigned ar, unsigned as)
{
    return XT_R2(ar, as) ? xt_pk_rrr(10, 1, ar, as, 0, XT_OP0_QRST) : XT_BAD;
}
/* SRA ar, at: ar = at >> SAR (arithmetic; s = 0) */
static inline uint32_t xt_sra(unsigned ar, unsigned at)
{
    return XT_R2(ar, at) ? xt_pk_rrr(11, 1, ar, 0, at, XT_OP0_QRST) : XT_BAD;
}
/* MUL16U / MUL16S ar, as, at (16-bit Integer Multiply option) */
static inline uint32_t xt_mul16u(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(12, 1, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_mul16s(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(13, 1, ar, as, at, XT_OP0_QRST) : XT_BAD;
}

/* ---- RST2 (op1 2): MUL32 and DIV32 ------------------------------------------ */
static inline uint32_t xt_rst2(unsigned op2, unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(op2, 2, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
/* MULL (MUL32 option): the low 32 bits of as * at */
static inline uint32_t xt_mull(unsigned ar, unsigned as, unsigned at) { return xt_rst2(8, ar, as, at); }
/* MULUH / MULSH (MUL32_HIGH: neither lx106 nor any QEMU core executes them) */
static inline uint32_t xt_muluh(unsigned ar, unsigned as, unsigned at) { return xt_rst2(10, ar, as, at); }
static inline uint32_t xt_mulsh(unsigned ar, unsigned as, unsigned at) { return xt_rst2(11, ar, as, at); }
/* QUOU / QUOS / REMU / REMS (DIV32 option): ar = as / at, as % at; a zero
 * divisor raises IntegerDivideByZero, so the code must test it first */
static inline uint32_t xt_quou(unsigned ar, unsigned as, unsigned at) { return xt_rst2(12, ar, as, at); }
static inline uint32_t xt_quos(unsigned ar, unsigned as, unsigned at) { return xt_rst2(13, ar, as, at); }
static inline uint32_t xt_remu(unsigned ar, unsigned as, unsigned at) { return xt_rst2(14, ar, as, at); }
static inline uint32_t xt_rems(unsigned ar, unsigned as, unsigned at) { return xt_rst2(15, ar, as, at); }

/* ---- RST3 (op1 3): special registers, conditional moves -------------------- */
static inline uint32_t xt_rsr(unsigned at, unsigned sr)
{
    return xt_reg_ok(at) && sr <= 255u ? xt_pk_rsr(0, 3, sr, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_wsr(unsigned at, unsigned sr)
{
    return xt_reg_ok(at) && sr <= 255u ? xt_pk_rsr(1, 3, sr, at, XT_OP0_QRST) : XT_BAD;
}
/* MOVEQZ / MOVNEZ / MOVLTZ / MOVGEZ ar, as, at: ar = as if at ==0 / !=0 / <0 / >=0 */
static inline uint32_t xt_moveqz(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(8, 3, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_movnez(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(9, 3, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_movltz(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(10, 3, ar, as, at, XT_OP0_QRST) : XT_BAD;
}
static inline uint32_t xt_movgez(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrr(11, 3, ar, as, at, XT_OP0_QRST) : XT_BAD;
}

/* ---- EXTUI ar, at, shift, bits (op1 4/5): ar = (at >> shift) & (2^bits - 1),
 * shift 0..31 (bit 4 in op1[0]), bits 1..16 (op2 = bits - 1) --------------- */
static inline uint32_t xt_extui(unsigned ar, unsigned at, unsigned shift, unsigned bits)
{
    if (!XT_R2(ar, at) || shift > 31u || bits < 1u || bits > 16u)
        return XT_BAD;
    return xt_pk_rrr(bits - 1u, 4u | (shift >> 4), ar, shift & 15u, at, XT_OP0_QRST);
}

/* ---- L32R at, literal (op0 1, RI16): at = mem32(((pc + 3) & ~3) + off),
 * off = (0xffff0000 | imm16) << 2, so -262144..-4: the literal lies before */
static inline uint32_t xt_l32r(unsigned at, uint32_t pc, uint32_t lit)
{
    int32_t off = (int32_t)(lit - ((pc + 3u) & ~3u));     /* 32-bit addresses wrap */
    if (!xt_reg_ok(at) || (lit & 3u) || off > -4 || off < -262144)
        return XT_BAD;
    return xt_pk_ri16((unsigned)((off >> 2) & 0xffff), at, XT_OP0_L32R);
}

/* ---- LSAI (op0 2, RRI8): loads, stores, MOVI, ADDI, ADDMI -------------------- */
enum xt_ls { XT_L8UI = 0, XT_L16UI = 1, XT_L32I = 2, XT_S8I = 4, XT_S16I = 5, XT_S32I = 6,
             XT_L16SI = 9 };
static inline uint32_t xt_ls(enum xt_ls op, unsigned at, unsigned as, int32_t off)
{
    unsigned scale = (op == XT_L8UI || op == XT_S8I) ? 0u
                   : (op == XT_L32I || op == XT_S32I) ? 2u : 1u;
    if (op != XT_L8UI && op != XT_L16UI && op != XT_L32I && op != XT_S8I && op != XT_S16I &&
        op != XT_S32I && op != XT_L16SI)
        return XT_BAD;
    if (!XT_R2(at, as) || !xt_ls_ok(off, scale))
        return XT_BAD;
    return xt_pk_rri8((unsigned)off >> scale, (unsigned)op, as, at, XT_OP0_LSAI);
}
static inline uint32_t xt_l8ui(unsigned at, unsigned as, int32_t off) { return xt_ls(XT_L8UI, at, as, off); }
static inline uint32_t xt_l16ui(unsigned at, unsigned as, int32_t off)
{
    return xt_ls(XT_L16UI, at, as, off);
}
static inline uint32_t xt_l16si(unsigned at, unsigned as, int32_t off)
{
    return xt_ls(XT_L16SI, at, as, off);
}
static inline uint32_t xt_l32i(unsigned at, unsigned as, int32_t off) { return xt_ls(XT_L32I, at, as, off); }
static inline uint32_t xt_s8i(unsigned at, unsigned as, int32_t off) { return xt_ls(XT_S8I, at, as, off); }
static inline uint32_t xt_s16i(unsigned at, unsigned as, int32_t off) { return xt_ls(XT_S16I, at, as, off); }
static inline uint32_t xt_s32i(unsigned at, unsigned as, int32_t off) { return xt_ls(XT_S32I, at, as, off); }
/* MOVI at, imm (-2048..2047): imm[7:0] in imm8, imm[11:8] in s (r = 10) */
static inline uint32_t xt_movi(unsigned at, int32_t imm)
{
    if (!xt_reg_ok(at) || !xt_simm12_ok(imm))
        return XT_BAD;
    uint32_t u = (uint32_t)imm;
    return xt_pk_rri8(u & 0xffu, 10, (u >> 8) & 15u, at, XT_OP0_LSAI);
}
/* ADDI at, as, imm (-128..127; r = 12) */
static inline uint32_t xt_addi(unsigned at, unsigned as, int32_t imm)
{
    return XT_R2(at, as) && xt_simm8_ok(imm) ? xt_pk_rri8((unsigned)imm & 0xffu, 12, as, at, XT_OP0_LSAI)
                                             : XT_BAD;
}
/* ADDMI at, as, imm (multiple of 256, -32768..32512; r = 13) */
static inline uint32_t xt_addmi(unsigned at, unsigned as, int32_t imm)
{
    if (!XT_R2(at, as) || (imm & 255) || imm < -32768 || imm > 32512)
        return XT_BAD;
    return xt_pk_rri8((unsigned)(imm >> 8) & 0xffu, 13, as, at, XT_OP0_LSAI);
}

/* ---- CALLN (op0 5, CALL): CALL0 / CALL4 / CALL8 / CALL12 target, target =
 * (pc & ~3) + (offset << 2) + 4; target 4-aligned, offset signed 18 bits -- */
static inline uint32_t xt_calln(unsigned n, uint32_t pc, uint32_t target)
{
    int32_t d = (int32_t)(target - ((pc & ~3u) + 4u));    /* 32-bit addresses wrap */
    if (n > 3u || (target & 3u) || d < -(131072 * 4) || d > 131071 * 4)
        return XT_BAD;
    return xt_pk_call((uint32_t)(d >> 2), n, XT_OP0_CALLN);
}
static inline uint32_t xt_call0(uint32_t pc, uint32_t target) { return xt_calln(0, pc, target); }
/* Windowed Registers option */
static inline uint32_t xt_call4(uint32_t pc, uint32_t target) { return xt_calln(1, pc, target); }
static inline uint32_t xt_call8(uint32_t pc, uint32_t target) { return xt_calln(2, pc, target); }
static inline uint32_t xt_call12(uint32_t pc, uint32_t target) { return xt_calln(3, pc, target); }

/* ---- SI (op0 6): J, BZ (BRI12), BI0 (BRI8), BI1 (ENTRY, B1, BLTUI/BGEUI) ---- */
/* J: CALL format with n = 0, offset = d - 4 (bytes) */
static inline uint32_t xt_j(int32_t d)
{
    return xt_joff_ok(d) ? xt_pk_call((uint32_t)(d - 4), 0, XT_OP0_SI) : XT_BAD;
}
enum xt_bz { XT_BEQZ = 0, XT_BNEZ = 1, XT_BLTZ = 2, XT_BGEZ = 3 };
static inline uint32_t xt_bz(enum xt_bz m, unsigned as, int32_t d)
{
    if (!xt_reg_ok(as) || (unsigned)m > 3u || !xt_boff12_ok(d))
        return XT_BAD;
    return xt_pk_bri12((unsigned)(d - 4) & 0xfffu, as, (unsigned)m, 1, XT_OP0_SI);
}
static inline uint32_t xt_beqz(unsigned as, int32_t d) { return xt_bz(XT_BEQZ, as, d); }
static inline uint32_t xt_bnez(unsigned as, int32_t d) { return xt_bz(XT_BNEZ, as, d); }
static inline uint32_t xt_bltz(unsigned as, int32_t d) { return xt_bz(XT_BLTZ, as, d); }
static inline uint32_t xt_bgez(unsigned as, int32_t d) { return xt_bz(XT_BGEZ, as, d); }
/* BI0: BEQI / BNEI / BLTI / BGEI as, imm, target: imm one of B4CONST */
enum xt_bi { XT_BEQI = 0, XT_BNEI = 1, XT_BLTI = 2, XT_BGEI = 3 };
static inline uint32_t xt_bi(enum xt_bi m, unsigned as, int32_t imm, int32_t d)
{
    int k = xt_b4const(imm);
    if (!xt_reg_ok(as) || (unsigned)m > 3u || k < 0 || !xt_boff8_ok(d))
        return XT_BAD;
    return xt_pk_bri8((unsigned)(d - 4) & 0xffu, (unsigned)k, as, (unsigned)m, 2, XT_OP0_SI);
}
static inline uint32_t xt_beqi(unsigned as, int32_t imm, int32_t d) { return xt_bi(XT_BEQI, as, imm, d); }
static inline uint32_t xt_bnei(unsigned as, int32_t imm, int32_t d) { return xt_bi(XT_BNEI, as, imm, d); }
static inline uint32_t xt_blti(unsigned as, int32_t imm, int32_t d) { return xt_bi(XT_BLTI, as, imm, d); }
static inline uint32_t xt_bgei(unsigned as, int32_t imm, int32_t d) { return xt_bi(XT_BGEI, as, imm, d); }
/* BI1 m 2 / 3: BLTUI / BGEUI as, imm, target: imm one of B4CONSTU */
static inline uint32_t xt_bltui(unsigned as, uint32_t imm, int32_t d)
{
    int k = xt_b4constu(imm);
    if (!xt_reg_ok(as) || k < 0 || !xt_boff8_ok(d))
        return XT_BAD;
    return xt_pk_bri8((unsigned)(d - 4) & 0xffu, (unsigned)k, as, 2, 3, XT_OP0_SI);
}
static inline uint32_t xt_bgeui(unsigned as, uint32_t imm, int32_t d)
{
    int k = xt_b4constu(imm);
    if (!xt_reg_ok(as) || k < 0 || !xt_boff8_ok(d))
        return XT_BAD;
    return xt_pk_bri8((unsigned)(d - 4) & 0xffu, (unsigned)k, as, 3, 3, XT_OP0_SI);
}
/* ENTRY as, framesize (BI1 m 0, BRI12; Windowed Registers option):
 * framesize 0..32760, multiple of 8 (imm12 = framesize / 8); as = a1 */
static inline uint32_t xt_entry(unsigned as, uint32_t framesize)
{
    if (!xt_reg_ok(as) || (framesize & 7u) || framesize > 0xfffu * 8u)
        return XT_BAD;
    return xt_pk_bri12(framesize >> 3, as, 0, 3, XT_OP0_SI);
}

/* ---- B (op0 7, RRI8): register-register branches, bit tests ---------------- */
enum xt_br { XT_BNONE = 0, XT_BEQ = 1, XT_BLT = 2, XT_BLTU = 3, XT_BALL = 4, XT_BBC = 5,
             XT_BANY = 8, XT_BNE = 9, XT_BGE = 10, XT_BGEU = 11, XT_BNALL = 12, XT_BBS = 13 };
static inline uint32_t xt_br(enum xt_br r, unsigned as, unsigned at, int32_t d)
{
    if (r != XT_BNONE && r != XT_BEQ && r != XT_BLT && r != XT_BLTU && r != XT_BALL && r != XT_BBC &&
        r != XT_BANY && r != XT_BNE && r != XT_BGE && r != XT_BGEU && r != XT_BNALL && r != XT_BBS)
        return XT_BAD;
    if (!XT_R2(as, at) || !xt_boff8_ok(d))
        return XT_BAD;
    return xt_pk_rri8((unsigned)(d - 4) & 0xffu, (unsigned)r, as, at, XT_OP0_B);
}
static inline uint32_t xt_beq(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BEQ, as, at, d); }
static inline uint32_t xt_bne(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BNE, as, at, d); }
static inline uint32_t xt_blt(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BLT, as, at, d); }
static inline uint32_t xt_bge(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BGE, as, at, d); }
static inline uint32_t xt_bltu(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BLTU, as, at, d); }
static inline uint32_t xt_bgeu(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BGEU, as, at, d); }
static inline uint32_t xt_bany(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BANY, as, at, d); }
static inline uint32_t xt_bnone(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BNONE, as, at, d); }
static inline uint32_t xt_ball(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BALL, as, at, d); }
static inline uint32_t xt_bnall(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BNALL, as, at, d); }
static inline uint32_t xt_bbc(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BBC, as, at, d); }
static inline uint32_t xt_bbs(unsigned as, unsigned at, int32_t d) { return xt_br(XT_BBS, as, at, d); }
/* BBCI / BBSI as, bit, target: bit[3:0] in t, bit[4] in r[0] (r = 6|b4, 14|b4) */
static inline uint32_t xt_bbci(unsigned as, unsigned bit, int32_t d)
{
    if (!xt_reg_ok(as) || bit > 31u || !xt_boff8_ok(d))
        return XT_BAD;
    return xt_pk_rri8((unsigned)(d - 4) & 0xffu, 6u | (bit >> 4), as, bit & 15u, XT_OP0_B);
}
static inline uint32_t xt_bbsi(unsigned as, unsigned bit, int32_t d)
{
    if (!xt_reg_ok(as) || bit > 31u || !xt_boff8_ok(d))
        return XT_BAD;
    return xt_pk_rri8((unsigned)(d - 4) & 0xffu, 14u | (bit >> 4), as, bit & 15u, XT_OP0_B);
}

/* ---- Code Density option: the 16-bit forms (RRRN, RI7, RI6) ----------------- */
/* L32I.N / S32I.N at, as, off (0..60, multiple of 4): off / 4 in r */
static inline uint32_t xt_l32i_n(unsigned at, unsigned as, int32_t off)
{
    return XT_R2(at, as) && xt_lsn_ok(off) ? xt_pk_rrrn((unsigned)off >> 2, as, at, XT_OP0_L32I_N)
                                           : XT_BAD;
}
static inline uint32_t xt_s32i_n(unsigned at, unsigned as, int32_t off)
{
    return XT_R2(at, as) && xt_lsn_ok(off) ? xt_pk_rrrn((unsigned)off >> 2, as, at, XT_OP0_S32I_N)
                                           : XT_BAD;
}
static inline uint32_t xt_add_n(unsigned ar, unsigned as, unsigned at)
{
    return XT_R3(ar, as, at) ? xt_pk_rrrn(ar, as, at, XT_OP0_ADD_N) : XT_BAD;
}
/* ADDI.N ar, as, imm (-1 or 1..15; -1 is encoded as 0 in t) */
static inline uint32_t xt_addi_n(unsigned ar, unsigned as, int32_t imm)
{
    if (!XT_R2(ar, as) || !xt_addin_ok(imm))
        return XT_BAD;
    return xt_pk_rrrn(ar, as, imm == -1 ? 0u : (unsigned)imm, XT_OP0_ADDI_N);
}
/* MOVI.N as, imm (-32..95): imm7 = imm & 127 (96..127 stand for -32..-1) */
static inline uint32_t xt_movi_n(unsigned as, int32_t imm)
{
    return xt_reg_ok(as) && xt_movin_ok(imm) ? xt_pk_ri7((unsigned)imm & 127u, as, XT_OP0_ST2) : XT_BAD;
}
/* BEQZ.N / BNEZ.N as, target: forward 4..67 bytes (imm6 = d - 4) */
static inline uint32_t xt_beqz_n(unsigned as, int32_t d)
{
    return xt_reg_ok(as) && xt_nboff_ok(d) ? xt_pk_ri6((unsigned)(d - 4), as, 0, XT_OP0_ST2) : XT_BAD;
}
static inline uint32_t xt_bnez_n(unsigned as, int32_t d)
{
    return xt_reg_ok(as) && xt_nboff_ok(d) ? xt_pk_ri6((unsigned)(d - 4), as, 1, XT_OP0_ST2) : XT_BAD;
}
/* ST3 (op0 13): MOV.N at, as (r 0); S3 (r 15): RET.N t 0, RETW.N t 1,
 * BREAK.N imm4 t 2 (s = imm), NOP.N t 3, ILL.N t 6 */
static inline uint32_t xt_mov_n(unsigned at, unsigned as)
{
    return XT_R2(at, as) ? xt_pk_rrrn(0, as, at, XT_OP0_ST3) : XT_BAD;
}
static inline uint32_t xt_ret_n(void) { return xt_pk_rrrn(15, 0, 0, XT_OP0_ST3); }
static inline uint32_t xt_retw_n(void) { return xt_pk_rrrn(15, 0, 1, XT_OP0_ST3); }
static inline uint32_t xt_break_n(unsigned imm)
{
    return imm <= 15u ? xt_pk_rrrn(15, imm, 2, XT_OP0_ST3) : XT_BAD;
}
static inline uint32_t xt_nop_n(void) { return xt_pk_rrrn(15, 0, 3, XT_OP0_ST3); }
static inline uint32_t xt_ill_n(void) { return xt_pk_rrrn(15, 0, 6, XT_OP0_ST3); }

#undef XT_R2
#undef XT_R3

#endif /* XT_ENC_H */
