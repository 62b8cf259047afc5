/*
 * fc_isa.c - the opcode table and the encoding checks (RFC 9669).
 * Freestanding C99.
 */
#include "fc_isa.h"

#ifdef FC_ISA_HAVE_NAMES
const fc_opinfo fc_opinfo_table[FC_OP_COUNT] = {
    {0, FC_DISC_NONE, 0, 0, "(invalid)"},
#define FC_X_ROW(id, opc, disc, dv, fmt, mn) {(uint8_t)(opc), (uint8_t)(disc), (uint8_t)(fmt), (int16_t)(dv), mn},
    FC_OPCODES(FC_X_ROW)
#undef FC_X_ROW
};
#else
/* the packed rows hold every discriminator value exactly */
#define FC_X_CHK(id, opc, disc, dv, fmt, mn) \
    typedef char fc_isa_dv_fits_##id[((dv) >= 0 && (dv) <= 255) ? 1 : -1];
FC_OPCODES(FC_X_CHK)
#undef FC_X_CHK
const fc_opinfo fc_opinfo_table[FC_OP_COUNT] = {
    {0, FC_DISC_NONE, 0, 0},
#define FC_X_ROW(id, opc, disc, dv, fmt, mn) {(uint8_t)(opc), (disc), (fmt), (uint8_t)(dv)},
    FC_OPCODES(FC_X_ROW)
#undef FC_X_ROW
};
#endif

/*
 * Rows sharing an opcode are told apart by their discriminator, so the scan
 * looks at every row with a matching opcode. The table is small (~200 rows)
 * and this runs once per instruction at verification time, never in the
 * interpreter's hot loop (which switches on the opcode byte).
 */
unsigned fc_insn_op(fc_insn i)
{
    for (unsigned k = 1; k < FC_OP_COUNT; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        if (r->opcode != i.op)
            continue;
        switch (r->disc) {
        case FC_DISC_NONE:
            return k;
        case FC_DISC_OFF:
            if (i.off == r->disc_value)
                return k;
            break;
        case FC_DISC_IMM:
            if (i.imm == r->disc_value)
                return k;
            break;
        }
    }
    return FC_OP_INVALID;
}

static int opcode_known(uint8_t op)
{
    for (unsigned k = 1; k < FC_OP_COUNT; k++)
        if (fc_opinfo_table[k].opcode == op)
            return 1;
    return 0;
}

enum fc_insn_fault fc_insn_check(const fc_insn *insn, const fc_insn *next,
                                 unsigned *op_out)
{
    fc_insn i = *insn;
    unsigned dst = fc_dst(i), src = fc_src(i);
    unsigned op;

    if (op_out)
        *op_out = FC_OP_INVALID;
    if ((FC_CLASS(i.op) == FC_CLS_LD || FC_CLASS(i.op) == FC_CLS_LDX) &&
        (FC_MODE(i.op) == FC_MODE_ABS || FC_MODE(i.op) == FC_MODE_IND))
        return FC_INSN_LEGACY_PACKET;
    op = fc_insn_op(i);
    if (op == FC_OP_INVALID)
        return opcode_known(i.op) ? FC_INSN_BAD_DISC : FC_INSN_UNKNOWN_OPCODE;
    if (op_out)
        *op_out = op;

    switch ((enum fc_fmt)fc_opinfo_table[op].fmt) {
    case FC_FMT_ALU_K:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        break; /* off checked by the discriminator */
    case FC_FMT_ALU_X:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src > 10) return FC_INSN_BAD_SRC;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_NEG:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_END:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        break;
    case FC_FMT_LDDW:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        if (src != FC_LDDW_IMM && src != FC_LDDW_SECTION)
            return FC_INSN_BAD_LDDW_SRC;
        if (!next || next->op != 0 || next->regs != 0 || next->off != 0)
            return FC_INSN_BAD_LDDW;
        if (src == FC_LDDW_SECTION &&
            (i.imm < FC_SECT_RODATA || i.imm > FC_SECT_BSS))
            return FC_INSN_BAD_LDDW_SRC;
        break;
    case FC_FMT_LDX:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src > 10) return FC_INSN_BAD_SRC;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_ST:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        break;
    case FC_FMT_STX:
    case FC_FMT_ATOMIC:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src > 10) return FC_INSN_BAD_SRC;
        if (fc_opinfo_table[op].fmt == FC_FMT_STX && i.imm != 0)
            return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_JA:
        if (dst != 0) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_JA32:
        if (dst != 0) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        break;
    case FC_FMT_JCC_K:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        break;
    case FC_FMT_JCC_X:
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src > 10) return FC_INSN_BAD_SRC;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_CALL:
        if (dst != 0) return FC_INSN_BAD_DST;
        if (src != FC_CALL_HELPER && src != FC_CALL_LOCAL) return FC_INSN_BAD_SRC;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        break;
    case FC_FMT_CALLX:
        /* uBPF extension: the register holding the helper number is in dst. */
        if (dst > 10) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    case FC_FMT_EXIT:
        if (dst != 0) return FC_INSN_BAD_DST;
        if (src != 0) return FC_INSN_BAD_SRC;
        if (i.off != 0) return FC_INSN_RESERVED_OFF;
        if (i.imm != 0) return FC_INSN_RESERVED_IMM;
        break;
    }
    /* r10 is read-only: refused here, in the one check every engine and the
     * device's loader share, so no engine can give such a program a meaning
     * of its own. cmpxchg writes r0, the other fetch forms write src. */
    switch ((enum fc_fmt)fc_opinfo_table[op].fmt) {
    case FC_FMT_ALU_K: case FC_FMT_ALU_X: case FC_FMT_NEG: case FC_FMT_END:
    case FC_FMT_LDDW: case FC_FMT_LDX:
        if (dst == FC_REG_FP) return FC_INSN_WRITES_FP;
        break;
    case FC_FMT_ATOMIC:
        if ((i.imm & FC_ATOMIC_FETCH) && i.imm != FC_ATOMIC_CMPXCHG && src == FC_REG_FP)
            return FC_INSN_WRITES_FP;
        break;
    default:
        break;
    }
    return FC_INSN_OK;
}

const char *fc_insn_fault_str(enum fc_insn_fault f)
{
#ifndef FC_ISA_HAVE_NAMES
    return f == FC_INSN_OK ? "ok" : "malformed instruction";
#else
    switch (f) {
    case FC_INSN_OK:             return "ok";
    case FC_INSN_UNKNOWN_OPCODE: return "unknown opcode";
    case FC_INSN_BAD_DISC:       return "undefined variant of the opcode (offset or immediate)";
    case FC_INSN_BAD_DST:        return "invalid or reserved destination register";
    case FC_INSN_BAD_SRC:        return "invalid or reserved source register";
    case FC_INSN_RESERVED_OFF:   return "reserved field 'offset' is not zero";
    case FC_INSN_RESERVED_IMM:   return "reserved field 'imm' is not zero";
    case FC_INSN_LEGACY_PACKET:  return "legacy packet access (LD_ABS/LD_IND) is not supported";
    case FC_INSN_BAD_LDDW:       return "lddw without a valid second slot";
    case FC_INSN_BAD_LDDW_SRC:   return "unsupported lddw pseudo source";
    case FC_INSN_WRITES_FP:      return "writes r10 (the frame pointer is read-only)";
    }
    return "?";
#endif
}
