/*
 * fc_reloc_rv32.c - RISC-V (RV32) relocations for the device loader.
 *
 * Encodings from the RISC-V Unprivileged ISA manual (20191213), chapter 2:
 *   U-type (LUI 0110111, AUIPC 0010111): imm[31:12] in bits 31..12, rd 11..7
 *   I-type (ADDI 0010011 funct3 000, JALR 1100111 funct3 000):
 *           imm[11:0] in bits 31..20, rs1 19..15, funct3 14..12, rd 11..7
 * A pair splits a 32-bit value into hi20 = (v + 0x800) >> 12 and a
 * sign-extended lo12 = v - (hi20 << 12). Arithmetic is modulo 2^32 on RV32,
 * so AUIPC+JALR reaches every address: there is no range error.
 */
#include "fc_loader.h"

static uint32_t w32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static void put_w32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* hi opcode (LUI/AUIPC) at b, I-type lo opcode with funct3 0 at b+4 whose
 * rs1 is the hi instruction's rd. */
static int pair(uint8_t *b, uint32_t hi_op, uint32_t lo_op, uint32_t v)
{
    uint32_t hi = w32(b), lo = w32(b + 4);
    uint32_t rd = (hi >> 7) & 0x1Fu;
    uint32_t h20 = (v + 0x800u) >> 12;
    uint32_t l12 = (v - (h20 << 12)) & 0xFFFu;

    if ((hi & 0x7Fu) != hi_op || (lo & 0x7Fu) != lo_op ||
        ((lo >> 12) & 7u) != 0 || ((lo >> 15) & 0x1Fu) != rd || rd == 0)
        return FC_LERR_RELOC_INSN;
    put_w32(b, (hi & 0xFFFu) | (h20 << 12));
    put_w32(b + 4, (lo & 0xFFFFFu) | (l12 << 20));
    return FC_OK;
}

int fc_reloc_rv32(unsigned kind, uint8_t *bytes, uint32_t place, uint32_t value)
{
    switch (kind) {
    case FC_RELOC_RV_CALL:
        return pair(bytes, 0x17u, 0x67u, value - place);
    case FC_RELOC_RV_HI20_LO12:
        return pair(bytes, 0x37u, 0x13u, value);
    default:
        return FC_LERR_RELOC_KIND;
    }
}
