/*
 * t2_disasm.c - a small Thumb-2 printer for `femtoc -S` listings.
 *
 * It knows the encodings the thumbv7m backend emits (the ones in t2_enc.h)
 * and prints them in GNU objdump's syntax (register names sl/fp/ip,
 * decimal immediates, absolute branch targets, `.w` on wide forms of
 * instructions that also have narrow ones, condition suffixes inside IT
 * blocks). tests/unit/test_t2_enc.c compares it with objdump on every
 * golden encoding. Anything else is reported as undecodable (length 0).
 * No stdio: text goes into the caller's buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include "thumb2/t2_enc.h"

unsigned t2_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

typedef struct sb {
    char *b;
    size_t n, cap;
} sb;

static void s_ch(sb *s, char c)
{
    if (s->n + 1 < s->cap)
        s->b[s->n++] = c;
    if (s->cap)
        s->b[s->n < s->cap ? s->n : s->cap - 1] = 0;
}
static void s_str(sb *s, const char *t)
{
    while (*t)
        s_ch(s, *t++);
}
static void s_udec(sb *s, uint32_t v)
{
    char t[12];
    int k = 0;
    do
        t[k++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (k)
        s_ch(s, t[--k]);
}
static void s_hex(sb *s, uint32_t v)
{
    static const char hx[] = "0123456789abcdef";
    int started = 0;
    s_str(s, "0x");
    for (int k = 28; k >= 0; k -= 4) {
        unsigned d = (v >> k) & 15u;
        if (d || started || k == 0) {
            s_ch(s, hx[d]);
            started = 1;
        }
    }
}

static const char *const regname[16] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
                                        "r8", "r9", "sl", "fp", "ip", "sp", "lr", "pc"};
static const char *const condname[16] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                         "hi", "ls", "ge", "lt", "gt", "le", "", ""};

static void s_reg(sb *s, unsigned r) { s_str(s, regname[r & 15u]); }
static void s_imm(sb *s, uint32_t v) { s_ch(s, '#'); s_udec(s, v); }
static void s_simm(sb *s, int32_t v)
{
    s_ch(s, '#');
    if (v < 0) {
        s_ch(s, '-');
        s_udec(s, 0u - (uint32_t)v);
    } else {
        s_udec(s, (uint32_t)v);
    }
}
static void s_sep(sb *s) { s_str(s, ", "); }

/* mnemonic: name, the S suffix, the IT condition, .w */
static void s_mn(sb *s, const char *name, int sflag, const char *cond, int wide)
{
    s_str(s, name);
    if (sflag)
        s_ch(s, 's');
    s_str(s, cond);
    if (wide)
        s_str(s, ".w");
    s_ch(s, '\t');
}

static void s_list(sb *s, uint32_t list)
{
    int first = 1;
    s_ch(s, '{');
    for (unsigned r = 0; r < 16; r++)
        if (list >> r & 1u) {
            if (!first)
                s_sep(s);
            s_reg(s, r);
            first = 0;
        }
    s_ch(s, '}');
}

static uint32_t expand_imm(uint32_t imm12)   /* A5.3.2 */
{
    uint32_t b = imm12 & 0xffu;
    if ((imm12 >> 10) == 0) {
        switch ((imm12 >> 8) & 3u) {
        case 0: return b;
        case 1: return b << 16 | b;
        case 2: return b << 24 | b << 8;
        default: return b * 0x01010101u;
        }
    }
    uint32_t v = 0x80u | (imm12 & 0x7fu), rot = imm12 >> 7;
    return v >> rot | v << (32 - rot);
}

static const char *const shname[4] = {"lsl", "lsr", "asr", "ror"};

/* data-processing names (A5.3.1 / A5.3.11 op), and whether a narrow form exists */
static const char *dp_name(unsigned op, int *narrow)
{
    *narrow = 1;
    switch (op) {
    case 0: return "and";
    case 1: return "bic";
    case 2: return "orr";
    case 3: *narrow = 0; return "orn";
    case 4: return "eor";
    case 8: return "add";
    case 10: return "adc";
    case 11: return "sbc";
    case 13: return "sub";
    case 14: *narrow = 0; return "rsb";
    default: return 0;
    }
}

/* A 32-bit instruction; returns 0 when it is not one this printer knows. */
static int dis32(sb *s, uint32_t h1, uint32_t h2, uint32_t pc, const char *c)
{
    unsigned rn = h1 & 15u, rd = (h2 >> 8) & 15u, rm = h2 & 15u, rt = h2 >> 12;
    int narrow;

    /* system and branches (hw2 bit 15 set) first */
    if (h1 == 0xf3bfu && h2 == 0x8f2fu) { s_mn(s, "clrex", 0, c, 0); return 1; }
    if (h1 == 0xf3efu && (h2 & 0xf000u) == 0x8000u) {
        s_mn(s, "mrs", 0, c, 0);
        s_reg(s, rd);
        s_sep(s);
        if ((h2 & 0xffu) == 16) s_str(s, "PRIMASK"); else s_imm(s, h2 & 0xffu);
        return 1;
    }
    if ((h1 & 0xfff0u) == 0xf380u && (h2 & 0xff00u) == 0x8800u) {
        s_mn(s, "msr", 0, c, 0);
        if ((h2 & 0xffu) == 16) s_str(s, "PRIMASK"); else s_imm(s, h2 & 0xffu);
        s_sep(s);
        s_reg(s, rn);
        return 1;
    }
    if ((h1 & 0xfff0u) == 0xf7f0u && (h2 & 0xf000u) == 0xa000u) {
        s_mn(s, "udf", 0, c, 1);
        s_imm(s, (h1 & 15u) << 12 | (h2 & 0xfffu));
        return 1;
    }
    if ((h1 & 0xf800u) == 0xf000u && (h2 & 0x8000u)) {
        uint32_t sbit = (h1 >> 10) & 1u, j1 = (h2 >> 13) & 1u, j2 = (h2 >> 11) & 1u, d;
        if ((h2 & 0x5000u) == 0) {              /* B<c>.W (T3) */
            unsigned cond = (h1 >> 6) & 15u;
            if (cond >= 14) return 0;
            d = sbit << 20 | j2 << 19 | j1 << 18 | (h1 & 0x3fu) << 12 | (h2 & 0x7ffu) << 1;
            if (sbit) d |= 0xffe00000u;
            s_ch(s, 'b');
            s_mn(s, condname[cond], 0, "", 1);
        } else if (h2 & 0x1000u) {              /* B.W (T4) / BL */
            uint32_t i1 = ~(j1 ^ sbit) & 1u, i2 = ~(j2 ^ sbit) & 1u;
            d = sbit << 24 | i1 << 23 | i2 << 22 | (h1 & 0x3ffu) << 12 | (h2 & 0x7ffu) << 1;
            if (sbit) d |= 0xfe000000u;
            s_mn(s, (h2 & 0x4000u) ? "bl" : "b", 0, c, !(h2 & 0x4000u));
        } else {
            return 0;
        }
        s_hex(s, pc + 4 + d);
        return 1;
    }
    /* data processing, modified immediate (A5.3.1) */
    if ((h1 & 0xfa00u) == 0xf000u && !(h2 & 0x8000u)) {
        unsigned op = (h1 >> 5) & 15u, sf = (h1 >> 4) & 1u;
        uint32_t v = expand_imm(((h1 >> 10) & 1u) << 11 | ((h2 >> 12) & 7u) << 8 | (h2 & 0xffu));
        const char *cmp = 0;
        if (sf && rd == 15)
            cmp = op == 0 ? "tst" : op == 4 ? "teq" : op == 8 ? "cmn" : op == 13 ? "cmp" : 0;
        if (cmp) {
            s_mn(s, cmp, 0, c, op != 4);
            s_reg(s, rn);
        } else if ((op == 2 || op == 3) && rn == 15) {
            s_mn(s, op == 2 ? "mov" : "mvn", sf, c, 1);
            s_reg(s, rd);
        } else {
            const char *n = dp_name(op, &narrow);
            if (!n) return 0;
            s_mn(s, n, sf, c, narrow);
            s_reg(s, rd);
            s_sep(s);
            s_reg(s, rn);
        }
        s_sep(s);
        s_imm(s, v);
        return 1;
    }
    /* plain binary immediate (A5.3.3) */
    if ((h1 & 0xfa00u) == 0xf200u && !(h2 & 0x8000u)) {
        unsigned op = (h1 >> 4) & 31u;
        uint32_t i12 = ((h1 >> 10) & 1u) << 11 | ((h2 >> 12) & 7u) << 8 | (h2 & 0xffu);
        if (op == 0 || op == 10) {
            s_mn(s, op ? "subw" : "addw", 0, c, 0);
            s_reg(s, rd);
            s_sep(s);
            s_reg(s, rn);
            s_sep(s);
            s_imm(s, i12);
            return 1;
        }
        if (op == 4 || op == 12) {
            s_mn(s, op == 4 ? "movw" : "movt", 0, c, 0);
            s_reg(s, rd);
            s_sep(s);
            s_imm(s, rn << 12 | i12);
            return 1;
        }
        return 0;
    }
    /* data processing, shifted register (A5.3.11) */
    if ((h1 & 0xfe00u) == 0xea00u) {
        unsigned op = (h1 >> 5) & 15u, sf = (h1 >> 4) & 1u;
        unsigned type = (h2 >> 4) & 3u, n = ((h2 >> 12) & 7u) << 2 | ((h2 >> 6) & 3u);
        const char *cmp = 0;
        if (sf && rd == 15)
            cmp = op == 0 ? "tst" : op == 4 ? "teq" : op == 8 ? "cmn" : op == 13 ? "cmp" : 0;
        if (cmp) {
            s_mn(s, cmp, 0, c, op != 4);
            s_reg(s, rn);
        } else if ((op == 2 || op == 3) && rn == 15) {
            s_mn(s, op == 2 ? "mov" : "mvn", sf, c, 1);
            s_reg(s, rd);
        } else {
            const char *nm = dp_name(op, &narrow);
            if (!nm) return 0;
            s_mn(s, nm, sf, c, narrow);
            s_reg(s, rd);
            s_sep(s);
            s_reg(s, rn);
        }
        s_sep(s);
        s_reg(s, rm);
        if (n || type) {
            s_sep(s);
            s_str(s, shname[type]);
            s_ch(s, ' ');
            s_imm(s, (n == 0 && (type == 1 || type == 2)) ? 32u : n);
        }
        return 1;
    }
    /* register-controlled shifts, extends, misc (A5.3.12, A5.3.13) */
    if ((h1 & 0xff80u) == 0xfa00u && (h2 & 0xf0f0u) == 0xf000u) {
        s_mn(s, shname[(h1 >> 5) & 3u], (h1 >> 4) & 1u, c, 1);
        s_reg(s, rd);
        s_sep(s);
        s_reg(s, rn);
        s_sep(s);
        s_reg(s, rm);
        return 1;
    }
    if ((h1 & 0xff8fu) == 0xfa0fu && (h2 & 0xf0c0u) == 0xf080u) {
        static const char *const ext[8] = {"sxth", "uxth", 0, 0, "sxtb", "uxtb", 0, 0};
        const char *nm = ext[(h1 >> 4) & 7u];
        unsigned rot = (h2 >> 4) & 3u;
        if (!nm) return 0;
        s_mn(s, nm, 0, c, 1);
        s_reg(s, rd);
        s_sep(s);
        s_reg(s, rm);
        if (rot) {
            s_str(s, ", ror ");
            s_imm(s, rot * 8);
        }
        return 1;
    }
    if ((h1 & 0xffc0u) == 0xfa80u && (h2 & 0xf0c0u) == 0xf080u && (h1 & 15u) == rm) {
        unsigned op1 = (h1 >> 4) & 3u, op2 = (h2 >> 4) & 3u;
        const char *nm = op1 == 1 ? (op2 == 0 ? "rev" : op2 == 1 ? "rev16" : op2 == 2 ? "rbit" : "revsh")
                       : op1 == 3 && op2 == 0 ? "clz" : 0;
        if (!nm) return 0;
        s_mn(s, nm, 0, c, op1 == 1 && op2 != 2);
        s_reg(s, rd);
        s_sep(s);
        s_reg(s, rm);
        return 1;
    }
    /* multiply and divide (A5.3.14, A5.3.15) */
    if ((h1 & 0xfff0u) == 0xfb00u && (h2 & 0x00e0u) == 0) {
        int mls = (h2 >> 4) & 1u;
        if (!mls && rt == 15) {
            s_mn(s, "mul", 0, c, 1);
        } else {
            s_mn(s, mls ? "mls" : "mla", 0, c, 0);
        }
        s_reg(s, rd);
        s_sep(s);
        s_reg(s, rn);
        s_sep(s);
        s_reg(s, rm);
        if (mls || rt != 15) {
            s_sep(s);
            s_reg(s, rt);
        }
        return 1;
    }
    if ((h1 & 0xffd0u) == 0xfb90u && (h2 & 0xf0f0u) == 0xf0f0u) {
        s_mn(s, (h1 & 0x20u) ? "udiv" : "sdiv", 0, c, 0);
        s_reg(s, rd);
        s_sep(s);
        s_reg(s, rn);
        s_sep(s);
        s_reg(s, rm);
        return 1;
    }
    if (((h1 & 0xfff0u) == 0xfba0u || (h1 & 0xfff0u) == 0xfb80u) && (h2 & 0xf0u) == 0) {
        s_mn(s, (h1 & 0x20u) ? "umull" : "smull", 0, c, 0);
        s_reg(s, rt);
        s_sep(s);
        s_reg(s, rd);
        s_sep(s);
        s_reg(s, rn);
        s_sep(s);
        s_reg(s, rm);
        return 1;
    }
    /* load/store exclusive, dual, multiple (A5.3.5, A5.3.6) */
    if (h1 == 0xe92du || h1 == 0xe8bdu) {
        s_mn(s, h1 == 0xe92du ? "stmdb" : "ldmia", 0, c, h1 == 0xe8bdu);
        s_str(s, "sp!, ");
        s_list(s, h2);
        return 1;
    }
    if ((h1 & 0xffe0u) == 0xe840u) {
        int ld = (h1 >> 4) & 1u;
        s_mn(s, ld ? "ldrex" : "strex", 0, c, 0);
        if (!ld) {
            s_reg(s, rd);
            s_sep(s);
        }
        s_reg(s, rt);
        s_str(s, ", [");
        s_reg(s, rn);
        if (h2 & 0xffu) {
            s_sep(s);
            s_imm(s, (h2 & 0xffu) * 4);
        }
        s_ch(s, ']');
        return 1;
    }
    if ((h1 & 0xfe40u) == 0xe840u && (h1 & 0x0120u)) {
        unsigned p = (h1 >> 8) & 1u, u = (h1 >> 7) & 1u, w = (h1 >> 5) & 1u;
        uint32_t v = (h2 & 0xffu) * 4;
        s_mn(s, (h1 & 0x10u) ? "ldrd" : "strd", 0, c, 0);
        s_reg(s, rt);
        s_sep(s);
        s_reg(s, rd);
        s_str(s, ", [");
        s_reg(s, rn);
        if (p) {
            if (v || !u) {
                s_sep(s);
                s_simm(s, u ? (int32_t)v : -(int32_t)v);
            }
            s_ch(s, ']');
            if (w) s_ch(s, '!');
        } else {
            s_str(s, "], ");
            s_simm(s, u ? (int32_t)v : -(int32_t)v);
        }
        return 1;
    }
    /* load/store single (A5.3.7 - A5.3.10) */
    if ((h1 & 0xfe00u) == 0xf800u) {
        static const char *const ls[16] = {"strb", "ldrb", "strh", "ldrh", "str", "ldr", 0, 0,
                                           0, "ldrsb", 0, "ldrsh", 0, 0, 0, 0};
        unsigned kind = ((h1 >> 8) & 1u) << 3 | ((h1 >> 4) & 7u);
        const char *nm = ls[kind];
        if (!nm) return 0;
        s_mn(s, nm, 0, c, 1);
        s_reg(s, rt);
        s_str(s, ", [");
        s_reg(s, rn);
        if (h1 & 0x80u) {                          /* imm12 */
            if (h2 & 0xfffu) {
                s_sep(s);
                s_imm(s, h2 & 0xfffu);
            }
            s_ch(s, ']');
        } else if (h2 & 0x800u) {                  /* imm8, P U W */
            unsigned p = (h2 >> 10) & 1u, u = (h2 >> 9) & 1u, w = (h2 >> 8) & 1u;
            int32_t v = (int32_t)(h2 & 0xffu);
            if (!u) v = -v;
            if (p) {
                s_sep(s);
                s_simm(s, v);
                s_ch(s, ']');
                if (w) s_ch(s, '!');
            } else {
                s_str(s, "], ");
                s_simm(s, v);
            }
        } else {                                   /* register */
            s_sep(s);
            s_reg(s, rm);
            if ((h2 >> 4) & 3u) {
                s_str(s, ", lsl ");
                s_imm(s, (h2 >> 4) & 3u);
            }
            s_ch(s, ']');
        }
        return 1;
    }
    return 0;
}

/* A 16-bit instruction; returns 0 when unknown. */
static int dis16(sb *s, uint32_t h, uint32_t pc, const char *c, int in_it)
{
    if ((h & 0xff00u) == 0x4600u) {
        s_mn(s, "mov", 0, c, 0);
        s_reg(s, (h >> 4 & 8u) | (h & 7u));
        s_sep(s);
        s_reg(s, (h >> 3) & 15u);
        return 1;
    }
    if ((h & 0xf800u) == 0x2000u || (h & 0xf800u) == 0x2800u) {
        int cmp = (h & 0x0800u) != 0;
        s_mn(s, cmp ? "cmp" : "mov", !cmp && !in_it, c, 0);
        s_reg(s, (h >> 8) & 7u);
        s_sep(s);
        s_imm(s, h & 0xffu);
        return 1;
    }
    if ((h & 0xf000u) == 0x6000u || (h & 0xf000u) == 0x7000u || (h & 0xf000u) == 0x8000u) {
        /* LDR/STR (x4), LDRB/STRB (x1), LDRH/STRH (x2) (immediate) T1 */
        unsigned grp = h >> 12, ld = (h >> 11) & 1u;
        const char *nm = grp == 6 ? (ld ? "ldr" : "str") : grp == 7 ? (ld ? "ldrb" : "strb")
                                                                     : (ld ? "ldrh" : "strh");
        unsigned scale = grp == 6 ? 4 : grp == 7 ? 1 : 2;
        s_mn(s, nm, 0, c, 0);
        s_reg(s, h & 7u);
        s_str(s, ", [");
        s_reg(s, (h >> 3) & 7u);
        s_sep(s);
        s_imm(s, ((h >> 6) & 31u) * scale);
        s_ch(s, ']');
        return 1;
    }
    if ((h & 0xff00u) == 0x4400u || (h & 0xff00u) == 0x4500u || (h & 0xffc0u) == 0x4280u) {
        /* ADD (register) T2, CMP (register) T2 / T1 */
        int add = (h & 0xff00u) == 0x4400u, t1 = (h & 0xffc0u) == 0x4280u;
        unsigned rdn = t1 ? (h & 7u) : ((h >> 4 & 8u) | (h & 7u)), rm = t1 ? (h >> 3) & 7u : (h >> 3) & 15u;
        s_mn(s, add ? "add" : "cmp", 0, c, 0);
        s_reg(s, rdn);
        s_sep(s);
        s_reg(s, rm);
        return 1;
    }
    if ((h & 0xfe00u) == 0xb400u || (h & 0xfe00u) == 0xbc00u) {
        int pop = (h & 0x0800u) != 0;
        s_mn(s, pop ? "pop" : "push", 0, c, 0);
        s_list(s, (h & 0xffu) | ((h >> 8) & 1u) << (pop ? 15 : 14));
        return 1;
    }
    if ((h & 0xff00u) == 0xb000u) {               /* ADD SP, #imm T2 / SUB SP, #imm T1 */
        s_mn(s, (h & 0x80u) ? "sub" : "add", 0, c, 0);
        s_str(s, "sp");
        s_sep(s);
        s_imm(s, (h & 0x7fu) << 2);
        return 1;
    }
    if ((h & 0xff87u) == 0x4700u) {
        s_mn(s, "bx", 0, c, 0);
        s_reg(s, (h >> 3) & 15u);
        return 1;
    }
    if (h == 0xbf00u) { s_str(s, "nop"); return 1; }
    if ((h & 0xff00u) == 0xbf00u) {                 /* IT */
        unsigned fc = (h >> 4) & 15u, mask = h & 15u, k;
        s_str(s, "it");
        for (k = 1; k < 4 && (mask & ((1u << (4 - k)) - 1u)); k++)
            s_ch(s, ((mask >> (4 - k)) & 1u) == (fc & 1u) ? 't' : 'e');
        s_ch(s, '\t');
        s_str(s, condname[fc]);
        return 1;
    }
    if (h == 0xb672u || h == 0xb662u) {
        s_str(s, h == 0xb672u ? "cpsid\ti" : "cpsie\ti");
        return 1;
    }
    if ((h & 0xff00u) == 0xde00u) {
        s_mn(s, "udf", 0, "", 0);
        s_imm(s, h & 0xffu);
        return 1;
    }
    if ((h & 0xf000u) == 0xd000u && ((h >> 8) & 15u) < 14) {
        uint32_t d = (h & 0xffu) << 1;
        if (d & 0x100u) d |= 0xfffffe00u;
        s_ch(s, 'b');
        s_str(s, condname[(h >> 8) & 15u]);
        s_str(s, ".n\t");
        s_hex(s, pc + 4 + d);
        return 1;
    }
    if ((h & 0xf800u) == 0xe000u) {
        uint32_t d = (h & 0x7ffu) << 1;
        if (d & 0x800u) d |= 0xfffff000u;
        s_mn(s, "b", 0, c, 0);
        s->n -= 1;                                 /* "b" + cond + ".n" */
        s_str(s, ".n\t");
        s_hex(s, pc + 4 + d);
        return 1;
    }
    if ((h & 0xf500u) == 0xb100u) {
        uint32_t d = ((h >> 9) & 1u) << 6 | ((h >> 3) & 31u) << 1;
        s_mn(s, (h & 0x0800u) ? "cbnz" : "cbz", 0, "", 0);
        s_reg(s, h & 7u);
        s_sep(s);
        s_hex(s, pc + 4 + d);
        return 1;
    }
    return 0;
}

/* The IT state before the instruction at `off`: decoded from the start of
 * the code (the backend's code has no data between instructions). */
static unsigned it_state(const uint8_t *code, uint32_t code_len, uint32_t off)
{
    unsigned st = 0;
    uint32_t i = 0;
    while (i + 2 <= code_len && i < off) {
        uint16_t h = (uint16_t)(code[i] | code[i + 1] << 8);
        if (!t2_is32(h) && (h & 0xff00u) == 0xbf00u && (h & 15u)) {
            st = h & 0xffu;
        } else if (st) {
            st = (st & 7u) ? ((st & 0xe0u) | ((st << 1) & 0x1fu)) : 0;
        }
        i += t2_is32(h) ? 4 : 2;
    }
    return st;
}

unsigned t2_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size)
{
    sb s = {buf, 0, size};
    unsigned st;
    const char *c = "";
    uint16_t h;

    if (size)
        buf[0] = 0;
    if (off + 2 > code_len || (off & 1u))
        return 0;
    h = (uint16_t)(code[off] | code[off + 1] << 8);
    st = it_state(code, code_len, off);
    if (st)
        c = condname[st >> 4];
    if (t2_is32(h)) {
        if (off + 4 > code_len)
            return 0;
        uint16_t h2 = (uint16_t)(code[off + 2] | code[off + 3] << 8);
        if (!dis32(&s, h, h2, addr, c))
            return 0;
        return 4;
    }
    if (!dis16(&s, h, addr, c, st != 0))
        return 0;
    return 2;
}
