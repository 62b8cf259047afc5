/*
 * fc_reloc_thumb.c - Thumb-2 relocations for the device loader.
 *
 * Encodings from the ARMv7-M Architecture Reference Manual (DDI 0403E):
 *   BL       A7.7.18, encoding T1   (FC_RELOC_THM_CALL)
 *   MOVW     A7.7.76, encoding T3   (FC_RELOC_THM_MOVW_MOVT, first word)
 *   MOVT     A7.7.79, encoding T1   (FC_RELOC_THM_MOVW_MOVT, second word)
 * A 32-bit Thumb instruction is two little-endian halfwords, the first at
 * the lower address (A5.1). The loader passes a copy of the instruction
 * bytes from the container; the immediate fields are replaced (the value
 * comes from the relocation record, RELA style), every other bit must
 * already encode the expected instruction or the relocation is refused.
 */
#include "fc_loader.h"

static uint16_t hw(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static void put_hw(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/*
 * BL T1:  hw1 = 11110 S imm10        hw2 = 11 J1 1 J2 imm11
 * I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S),
 * imm32 = SignExtend(S:I1:I2:imm10:imm11:0), target = PC + imm32 with
 * PC = address of the BL + 4. Range -2^24 .. 2^24-2.
 */
static int thm_call(uint8_t *b, uint32_t place, uint32_t value)
{
    uint16_t h1 = hw(b), h2 = hw(b + 2);
    int64_t off;
    uint32_t u, s, i1, i2, j1, j2;

    if ((h1 & 0xF800u) != 0xF000u || (h2 & 0xD000u) != 0xD000u)
        return FC_LERR_RELOC_INSN;
    /* The Thumb bit of a function address does not take part in BL. */
    off = (int64_t)(value & ~1u) - ((int64_t)place + 4);
    if (off < -16777216 || off > 16777214)
        return FC_LERR_RELOC_RANGE;
    u = (uint32_t)off;
    s = (u >> 24) & 1u;
    i1 = (u >> 23) & 1u;
    i2 = (u >> 22) & 1u;
    j1 = (~i1 ^ s) & 1u;
    j2 = (~i2 ^ s) & 1u;
    h1 = (uint16_t)(0xF000u | (s << 10) | ((u >> 12) & 0x3FFu));
    h2 = (uint16_t)(0xD000u | (j1 << 13) | (j2 << 11) | ((u >> 1) & 0x7FFu));
    put_hw(b, h1);
    put_hw(b + 2, h2);
    return FC_OK;
}

/* MOVW/MOVT: hw1 = 11110 i 10 x 1 0 0 imm4 (x=0 MOVW, x=1 MOVT),
 * hw2 = 0 imm3 Rd imm8, imm16 = imm4:i:imm3:imm8. */
static int put_imm16(uint8_t *b, uint16_t want, uint32_t imm16, unsigned *rd)
{
    uint16_t h1 = hw(b), h2 = hw(b + 2);

    if ((h1 & 0xFBF0u) != want || (h2 & 0x8000u) != 0)
        return FC_LERR_RELOC_INSN;
    *rd = (h2 >> 8) & 0xFu;
    if (*rd == 13u || *rd == 15u)   /* UNPREDICTABLE (A7.7.76) */
        return FC_LERR_RELOC_INSN;
    h1 = (uint16_t)(want | (((imm16 >> 11) & 1u) << 10) | ((imm16 >> 12) & 0xFu));
    h2 = (uint16_t)((h2 & 0x0F00u) | (((imm16 >> 8) & 7u) << 12) | (imm16 & 0xFFu));
    put_hw(b, h1);
    put_hw(b + 2, h2);
    return FC_OK;
}

static int thm_movw_movt(uint8_t *b, uint32_t value)
{
    unsigned rd_lo, rd_hi;
    int e = put_imm16(b, 0xF240u, value & 0xFFFFu, &rd_lo);

    if (e == FC_OK)
        e = put_imm16(b + 4, 0xF2C0u, value >> 16, &rd_hi);
    if (e == FC_OK && rd_lo != rd_hi)
        e = FC_LERR_RELOC_INSN;
    return e;
}

int fc_reloc_thumb(unsigned kind, uint8_t *bytes, uint32_t place, uint32_t value)
{
    switch (kind) {
    case FC_RELOC_THM_CALL:
        return thm_call(bytes, place, value);
    case FC_RELOC_THM_MOVW_MOVT:
        return thm_movw_movt(bytes, value);
    default:
        return FC_LERR_RELOC_KIND;
    }
}
