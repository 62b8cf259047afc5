/*
 * fc_ir.c - names and the text form of the IR (fc_ir.h), for
 * `femtoc --dump=lower`. No stdio: the line is built in the caller's buffer.
 */
#include "fc_ir.h"

static const char *const op_names[FC_IR__COUNT] = {
    [FC_IR_NOP] = "nop", [FC_IR_MOV] = "mov", [FC_IR_MOVI] = "movi", [FC_IR_ADD] = "add",
    [FC_IR_SUB] = "sub", [FC_IR_MUL] = "mul", [FC_IR_AND] = "and", [FC_IR_OR] = "or",
    [FC_IR_XOR] = "xor", [FC_IR_LSH] = "lsh", [FC_IR_RSH] = "rsh", [FC_IR_ARSH] = "arsh",
    [FC_IR_DIVU] = "divu", [FC_IR_MODU] = "modu", [FC_IR_DIVS] = "divs", [FC_IR_MODS] = "mods",
    [FC_IR_NEG] = "neg", [FC_IR_SEXT8] = "sext8", [FC_IR_SEXT16] = "sext16",
    [FC_IR_ZEXT16] = "zext16", [FC_IR_BSWAP16] = "bswap16", [FC_IR_BSWAP32] = "bswap32",
    [FC_IR_ADD64] = "add64", [FC_IR_SUB64] = "sub64", [FC_IR_MUL64] = "mul64",
    [FC_IR_DIVU64] = "divu64", [FC_IR_MODU64] = "modu64", [FC_IR_DIVS64] = "divs64",
    [FC_IR_MODS64] = "mods64", [FC_IR_LSH64] = "lsh64", [FC_IR_RSH64] = "rsh64",
    [FC_IR_ARSH64] = "arsh64", [FC_IR_NEG64] = "neg64", [FC_IR_BSWAP64] = "bswap64",
    [FC_IR_LD] = "ld", [FC_IR_ST] = "st", [FC_IR_CHECK] = "check", [FC_IR_ATOMIC] = "atomic",
    [FC_IR_SECADDR] = "secaddr", [FC_IR_BR] = "br", [FC_IR_BR64] = "br64", [FC_IR_JMP] = "jmp",
    [FC_IR_BUDGET] = "budget", [FC_IR_CALLH] = "callh", [FC_IR_CALLX] = "callx",
    [FC_IR_CALL] = "call", [FC_IR_EXIT] = "exit", [FC_IR_ERR] = "err", [FC_IR_GUARD] = "guard",
};

const char *fc_ir_op_name(unsigned op)
{
    return op < FC_IR__COUNT && op_names[op] ? op_names[op] : "?";
}

const char *fc_ir_cc_name(unsigned cc)
{
    static const char *const n[16] = {
        [FC_IR_EQ] = "eq", [FC_IR_GT] = "gt", [FC_IR_GE] = "ge", [FC_IR_SET] = "set",
        [FC_IR_NE] = "ne", [FC_IR_SGT] = "sgt", [FC_IR_SGE] = "sge", [FC_IR_LT] = "lt",
        [FC_IR_LE] = "le", [FC_IR_SLT] = "slt", [FC_IR_SLE] = "sle",
    };
    return cc < 16 && n[cc] ? n[cc] : "?";
}

typedef struct out {
    char *b;
    size_t size, len;
    fc_ir_namefn fn;        /* operand names (NULL: the vregs) */
    void *ctx;
    uint32_t k;
    int def;                /* printing the results */
} out;

static void ps(out *o, const char *s)
{
    while (*s) {
        if (o->len + 1 < o->size)
            o->b[o->len] = *s;
        o->len++;
        s++;
    }
    if (o->size)
        o->b[o->len < o->size ? o->len : o->size - 1] = 0;
}

static void pu(out *o, uint64_t v, unsigned base)
{
    char t[24];
    unsigned k = sizeof t - 1;
    t[k] = 0;
    do {
        t[--k] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (base == 16)
        ps(o, "0x");
    ps(o, t + k);
}

static void pi(out *o, int64_t v)
{
    if (v < 0) {
        ps(o, "-");
        pu(o, (uint64_t)0 - (uint64_t)v, 10);
    } else {
        pu(o, (uint64_t)v, 10);
    }
}

static void pimm(out *o, int32_t v)
{
    if (v > 4095 || v < -4096)
        pu(o, (uint32_t)v, 16);
    else
        pi(o, v);
}

static void preg(out *o, unsigned v)
{
    if (o->fn) {
        char t[32];
        t[0] = 0;
        o->fn(o->ctx, o->k, o->def, v, t, sizeof t);
        ps(o, t);
    } else if (v == FC_IR_Z) {
        ps(o, "0");
    } else if (v == FC_IR_FP) {
        ps(o, "fp");
    } else if (v == FC_IR_NONE) {
        ps(o, "_");
    } else if (v >= FC_IR_T0) {
        ps(o, "t");
        pu(o, v - FC_IR_T0, 10);
    } else {
        ps(o, "r");
        pu(o, (v - 1u) / 2u, 10);
        ps(o, (v - 1u) % 2u ? ".hi" : ".lo");
    }
}

static void pmem(out *o, const fc_ir_insn *x, int pair)
{
    ps(o, " [");
    preg(o, x->s[0]);
    if (pair) {
        ps(o, ":");
        preg(o, x->s[1]);
    }
    if (x->imm) {
        ps(o, x->imm < 0 ? " - " : " + ");
        pu(o, x->imm < 0 ? (uint64_t)0 - (uint64_t)(int64_t)x->imm : (uint64_t)x->imm, 10);
    }
    ps(o, "]");
}

static const char *sect_name(uint32_t s)
{
    return s == FC_SECT_RODATA ? ".rodata" : s == FC_SECT_DATA ? ".data" : s == FC_SECT_BSS ? ".bss"
                                                                                           : ".?";
}

size_t fc_ir_format(const fc_ir *ir, uint32_t k, char *buf, size_t size)
{
    return fc_ir_format_with(ir, k, NULL, NULL, buf, size);
}

size_t fc_ir_format_with(const fc_ir *ir, uint32_t k, fc_ir_namefn fn, void *ctx, char *buf, size_t size)
{
    out o0 = {buf, size, 0, fn, ctx, k, 0}, *o = &o0;
    const fc_ir_insn *x = &ir->ins[k];
    unsigned op = x->op;
    int k2 = (x->fl & FC_IR_K) != 0;

    if (size)
        buf[0] = 0;
    ps(o, "    ");
    if (x->d[0] != FC_IR_NONE || x->d[1] != FC_IR_NONE) {
        o->def = 1;
        preg(o, x->d[0]);
        if (x->d[1] != FC_IR_NONE || (op >= FC_IR_ADD64 && op <= FC_IR_BSWAP64) || op == FC_IR_CALLH ||
            op == FC_IR_CALLX || (op == FC_IR_ATOMIC && x->sz == 8)) {
            ps(o, ", ");
            preg(o, x->d[1]);
        }
        ps(o, " = ");
        o->def = 0;
    }
    ps(o, fc_ir_op_name(op));
    switch (op) {
    case FC_IR_MOVI:
        ps(o, " ");
        pimm(o, x->imm);
        break;
    case FC_IR_LD:
        ps(o, x->fl & FC_IR_SX ? "s" : "");
        pu(o, x->sz, 10);
        pmem(o, x, 0);
        break;
    case FC_IR_ST:
        pu(o, x->sz, 10);
        pmem(o, x, 0);
        ps(o, ", ");
        if (k2)
            pimm(o, (int32_t)x->tgt);
        else
            preg(o, x->s[1]);
        break;
    case FC_IR_CHECK: case FC_IR_GUARD:
        ps(o, x->cc == 1 ? ".r" : x->cc == 2 ? ".w" : ".rw");
        pu(o, x->sz, 10);
        pmem(o, x, 1);
        if (op == FC_IR_GUARD) {
            ps(o, " else -> b");
            pu(o, x->tgt, 10);
        }
        break;
    case FC_IR_ATOMIC:
        pu(o, x->sz, 10);
        ps(o, ".");
        pu(o, x->cc, 16);
        pmem(o, x, 0);
        ps(o, ", ");
        preg(o, x->s[1]);
        if (x->sz == 8) {
            ps(o, ":");
            preg(o, x->s[2]);
        }
        if (x->cc == 0xf1) {
            ps(o, ", ");
            preg(o, x->s[3]);
            if (x->sz == 8) {
                ps(o, ":");
                preg(o, x->s[4]);
            }
        }
        break;
    case FC_IR_SECADDR:
        ps(o, " ");
        ps(o, sect_name(x->tgt));
        ps(o, " + ");
        pu(o, (uint32_t)x->imm, 10);
        break;
    case FC_IR_BR: case FC_IR_BR64:
        ps(o, ".");
        ps(o, fc_ir_cc_name(x->cc));
        ps(o, " ");
        preg(o, x->s[0]);
        if (op == FC_IR_BR64) {
            ps(o, ":");
            preg(o, x->s[1]);
        }
        ps(o, ", ");
        if (k2) {
            pimm(o, x->imm);
        } else {
            preg(o, x->s[op == FC_IR_BR64 ? 2 : 1]);
            if (op == FC_IR_BR64) {
                ps(o, ":");
                preg(o, x->s[3]);
            }
        }
        ps(o, " -> b");
        pu(o, x->tgt, 10);
        break;
    case FC_IR_JMP:
        ps(o, " b");
        pu(o, x->tgt, 10);
        break;
    case FC_IR_CALLH: case FC_IR_CALLX:
        ps(o, " ");
        if (op == FC_IR_CALLH) {
            pu(o, x->tgt, 16);
        } else {
            preg(o, x->s[0]);
            ps(o, ":");
            preg(o, x->s[1]);
        }
        if (x->cc) {
            ps(o, " (hi 0:");
            for (unsigned r = 1; r <= 5; r++)
                if (x->cc >> r & 1u) {
                    ps(o, " r");
                    pu(o, r, 10);
                }
            ps(o, ")");
        }
        break;
    case FC_IR_CALL:
        ps(o, " f");
        pu(o, x->tgt, 10);
        break;
    case FC_IR_ERR:
        ps(o, " ");
        pi(o, x->imm);
        break;
    case FC_IR_BUDGET: case FC_IR_EXIT: case FC_IR_NOP:
        break;
    default: {
        /* arithmetic: 32-bit ops name s0 (and s1 / imm); pseudo-ops pairs */
        int pair = op >= FC_IR_ADD64 && op <= FC_IR_BSWAP64;
        int unary = op == FC_IR_MOV || op == FC_IR_NEG || op == FC_IR_SEXT8 || op == FC_IR_SEXT16 ||
                    op == FC_IR_ZEXT16 || op == FC_IR_BSWAP16 || op == FC_IR_BSWAP32 ||
                    op == FC_IR_NEG64 || op == FC_IR_BSWAP64;
        ps(o, " ");
        preg(o, x->s[0]);
        if (pair) {
            ps(o, ":");
            preg(o, x->s[1]);
        }
        if (unary)
            break;
        ps(o, ", ");
        if (k2) {
            pimm(o, x->imm);
        } else if (pair) {
            preg(o, x->s[2]);
            ps(o, ":");
            preg(o, x->s[3]);
        } else {
            preg(o, x->s[1]);
        }
        break;
    }
    }
    if ((op == FC_IR_LD || op == FC_IR_ST || op == FC_IR_ATOMIC) && (x->fl & FC_IR_G))
        ps(o, " (guarded)");
    /* the eBPF instruction, at a fixed column when the line is short */
    while (o->len < 44)
        ps(o, " ");
    ps(o, " ; @");
    pu(o, x->insn, 10);
    return o->len;
}
