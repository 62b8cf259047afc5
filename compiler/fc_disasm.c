/*
 * fc_disasm.c - eBPF disassembler (bpf_conformance syntax), driven by the
 * opcode table in runtime/fc_isa.h. No stdio, no allocation.
 */
#include "fc_disasm.h"

/* ---- a tiny bounded formatter (snprintf semantics, no libc) ------------- */
typedef struct sbuf {
    char *p;
    size_t cap;   /* bytes available in p, the NUL included */
    size_t len;   /* bytes the full text needs (may exceed cap - 1) */
} sbuf;

static void sb_init(sbuf *b, char *p, size_t cap)
{
    b->p = p;
    b->cap = cap;
    b->len = 0;
    if (cap)
        p[0] = '\0';
}

static void sb_putc(sbuf *b, char c)
{
    if (b->cap && b->len + 1 < b->cap) {
        b->p[b->len] = c;
        b->p[b->len + 1] = '\0';
    }
    b->len++;
}

static void sb_puts(sbuf *b, const char *s)
{
    while (*s)
        sb_putc(b, *s++);
}

static void sb_udec(sbuf *b, uint64_t v)
{
    char t[24];
    int k = 0;
    do {
        t[k++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (k)
        sb_putc(b, t[--k]);
}

static void sb_sdec(sbuf *b, int64_t v)
{
    if (v < 0) {
        sb_putc(b, '-');
        sb_udec(b, (uint64_t)0 - (uint64_t)v);
    } else {
        sb_udec(b, (uint64_t)v);
    }
}

/* Hex digits of v, at least `digits` of them (leading zeros). */
static void sb_hexd(sbuf *b, uint64_t v, int digits)
{
    static const char hx[] = "0123456789abcdef";
    char t[16];
    int k = 0;
    do {
        t[k++] = hx[v & 0xfu];
        v >>= 4;
    } while (v);
    while (k < digits)
        t[k++] = '0';
    while (k)
        sb_putc(b, t[--k]);
}

static void sb_hex(sbuf *b, uint64_t v)
{
    sb_puts(b, "0x");
    sb_hexd(b, v, 1);
}

static void sb_reg(sbuf *b, unsigned r)
{
    sb_puts(b, "%r");
    sb_udec(b, r);
}

/*
 * 32-bit immediates as the suite's disassembler writes them: small values and
 * negative values (but INT32_MIN) in decimal, everything else as the unsigned
 * 32-bit pattern in hex. Both forms read back to the same 32 bits.
 */
static void sb_imm(sbuf *b, int32_t imm)
{
    if ((imm < 0 && imm != INT32_MIN) || (imm >= -10 && imm <= 10))
        sb_sdec(b, imm);
    else
        sb_hex(b, (uint32_t)imm);
}

/* Relative target: "+3", "-2", "+0". */
static void sb_rel(sbuf *b, int64_t rel)
{
    if (rel >= 0)
        sb_putc(b, '+');
    sb_sdec(b, rel);
}

static void sb_mem(sbuf *b, unsigned reg, int16_t off)
{
    sb_putc(b, '[');
    sb_reg(b, reg);
    if (off != 0) {
        if (off > 0)
            sb_putc(b, '+');
        sb_sdec(b, off);
    }
    sb_putc(b, ']');
}

/* The 8 bytes of a slot as one little-endian 64-bit word (the suite's
 * `-- raw` notation: opcode in the low byte). */
static uint64_t insn_word(fc_insn i)
{
    return (uint64_t)i.op | ((uint64_t)i.regs << 8) |
           ((uint64_t)(uint16_t)i.off << 16) | ((uint64_t)(uint32_t)i.imm << 32);
}

static const char *section_name(int32_t sect)
{
    switch (sect) {
    case FC_SECT_RODATA: return ".rodata";
    case FC_SECT_DATA:   return ".data";
    case FC_SECT_BSS:    return ".bss";
    }
    return 0;
}

#define NO_TARGET INT64_MIN

/*
 * Format insns[pc]; returns slots covered (1 or 2). *target gets the absolute
 * slot index a jump/local call goes to (or NO_TARGET).
 */
static unsigned format_insn(sbuf *b, const fc_insn *insns, size_t n, size_t pc,
                            int64_t *target)
{
    fc_insn i = insns[pc];
    const fc_insn *next = pc + 1 < n ? &insns[pc + 1] : 0;
    unsigned op;
    enum fc_insn_fault f = fc_insn_check(&insns[pc], next, &op);
    const fc_opinfo *info;
    unsigned dst = fc_dst(i), src = fc_src(i);

    *target = NO_TARGET;
    if (f != FC_INSN_OK) {
        sb_puts(b, ".insn 0x");
        sb_hexd(b, insn_word(i), 16);
        sb_puts(b, "  # invalid: ");
        sb_puts(b, fc_insn_fault_str(f));
        return 1;
    }
    info = &fc_opinfo_table[op];

    switch ((enum fc_fmt)info->fmt) {
    case FC_FMT_ALU_K:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_reg(b, dst);
        sb_puts(b, ", ");
        sb_imm(b, i.imm);
        break;
    case FC_FMT_ALU_X:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_reg(b, dst);
        sb_puts(b, ", ");
        sb_reg(b, src);
        break;
    case FC_FMT_NEG:
    case FC_FMT_END:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_reg(b, dst);
        break;
    case FC_FMT_LDDW:
        sb_puts(b, "lddw ");
        sb_reg(b, dst);
        sb_puts(b, ", ");
        if (src == FC_LDDW_SECTION) {
            /* femtoc's pseudo form: address of a section plus a byte offset */
            sb_puts(b, section_name(i.imm));
            sb_putc(b, '+');
            sb_udec(b, (uint32_t)next->imm);
        } else {
            sb_hex(b, (uint64_t)(uint32_t)i.imm | ((uint64_t)(uint32_t)next->imm << 32));
        }
        return 2;
    case FC_FMT_LDX:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_reg(b, dst);
        sb_puts(b, ", ");
        sb_mem(b, src, i.off);
        break;
    case FC_FMT_ST:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_mem(b, dst, i.off);
        sb_puts(b, ", ");
        sb_imm(b, i.imm);
        break;
    case FC_FMT_STX:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_mem(b, dst, i.off);
        sb_puts(b, ", ");
        sb_reg(b, src);
        break;
    case FC_FMT_ATOMIC:
        sb_puts(b, "lock ");
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_mem(b, dst, i.off);
        sb_puts(b, ", ");
        sb_reg(b, src);
        break;
    case FC_FMT_JA:
        sb_puts(b, "ja ");
        sb_rel(b, i.off);
        *target = (int64_t)pc + 1 + i.off;
        break;
    case FC_FMT_JA32:
        sb_puts(b, "ja32 ");
        sb_rel(b, i.imm);
        *target = (int64_t)pc + 1 + i.imm;
        break;
    case FC_FMT_JCC_K:
    case FC_FMT_JCC_X:
        sb_puts(b, info->mnemonic);
        sb_putc(b, ' ');
        sb_reg(b, dst);
        sb_puts(b, ", ");
        if (info->fmt == FC_FMT_JCC_K)
            sb_imm(b, i.imm);
        else
            sb_reg(b, src);
        sb_puts(b, ", ");
        sb_rel(b, i.off);
        *target = (int64_t)pc + 1 + i.off;
        break;
    case FC_FMT_CALL:
        if (src == FC_CALL_LOCAL) {
            sb_puts(b, "call local ");
            sb_rel(b, i.imm);
            *target = (int64_t)pc + 1 + i.imm;
        } else {
            sb_puts(b, "call ");
            sb_imm(b, i.imm);
        }
        break;
    case FC_FMT_CALLX:
        sb_puts(b, "call ");
        sb_reg(b, dst);
        break;
    case FC_FMT_EXIT:
        sb_puts(b, "exit");
        break;
    }
    return 1;
}

unsigned fc_disasm_insn(const fc_insn *insns, size_t n, size_t pc,
                        char *buf, size_t size)
{
    sbuf b;
    int64_t target;
    sb_init(&b, buf, size);
    if (!insns || pc >= n)
        return 0;
    return format_insn(&b, insns, n, pc, &target);
}

static void sb_index(sbuf *b, size_t pc)
{
    /* right-aligned in 4 columns, like objdump and the suite's listing */
    size_t w = 1;
    for (size_t v = pc; v >= 10; v /= 10)
        w++;
    for (; w < 4; w++)
        sb_putc(b, ' ');
    sb_udec(b, pc);
    sb_puts(b, ": ");
}

/* "b7 00 00 00 01 00 00 00", then two blanks before any text */
static void sb_raw(sbuf *b, fc_insn i, int text_follows)
{
    uint8_t bytes[8];
    fc_insn_encode(i, bytes);
    for (int k = 0; k < 8; k++) {
        if (k)
            sb_putc(b, ' ');
        sb_hexd(b, bytes[k], 2);
    }
    if (text_follows)
        sb_puts(b, "  ");
}

int fc_disasm_prog(const fc_insn *insns, size_t n, unsigned flags,
                   fc_disasm_sink sink, void *ctx)
{
    char line[320];
    size_t pc = 0;

    while (insns && pc < n) {
        sbuf b;
        int64_t target;
        unsigned used;
        int rc;

        sb_init(&b, line, sizeof line);
        if (flags & FC_DISASM_INDEX)
            sb_index(&b, pc);
        if (flags & FC_DISASM_RAW)
            sb_raw(&b, insns[pc], 1);
        used = format_insn(&b, insns, n, pc, &target);
        if ((flags & FC_DISASM_TARGET) && target != NO_TARGET) {
            sb_puts(&b, "  # -> ");
            sb_sdec(&b, target);
            if (target < 0 || (uint64_t)target >= n)
                sb_puts(&b, " (outside the program)");
        }
        sb_putc(&b, '\n');
        rc = sink(ctx, line, b.len < sizeof line ? b.len : sizeof line - 1);
        if (rc)
            return rc;
        if (used == 2 && (flags & FC_DISASM_RAW)) {
            /* the second lddw slot gets its own raw line, like objdump */
            sb_init(&b, line, sizeof line);
            if (flags & FC_DISASM_INDEX)
                sb_index(&b, pc + 1);
            sb_raw(&b, insns[pc + 1], 0);
            sb_putc(&b, '\n');
            rc = sink(ctx, line, b.len < sizeof line ? b.len : sizeof line - 1);
            if (rc)
                return rc;
        }
        pc += used;
    }
    return 0;
}

static int buf_sink(void *ctx, const char *text, size_t len)
{
    sbuf *b = ctx;
    for (size_t k = 0; k < len; k++)
        sb_putc(b, text[k]);
    return 0;
}

size_t fc_disasm_prog_buf(const fc_insn *insns, size_t n, unsigned flags,
                          char *buf, size_t size)
{
    sbuf b;
    sb_init(&b, buf, size);
    fc_disasm_prog(insns, n, flags, buf_sink, &b);
    return b.len;
}
