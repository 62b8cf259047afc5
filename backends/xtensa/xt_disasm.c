/*
 * xt_disasm.c - a small Xtensa printer for listings: the instructions
 * xt_enc.h can make, in GNU as syntax without aliases ("or a2, a3, a3" for
 * MOV, "rsr a2, sar"); branch, call and L32R targets relative to the
 * instruction (".+16"), followed by the absolute address. Anything else is
 * printed as its bytes (".byte 0x.., ..."). No libc: the on-device JIT
 * links the backends.
 */
#include <stddef.h>
#include <stdint.h>
#include "xtensa/xt_enc.h"

unsigned xt_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

typedef struct out {
    char *b;
    size_t n, cap;
} out;

static void ps(out *o, const char *s)
{
    while (*s) {
        if (o->n + 1 < o->cap)
            o->b[o->n++] = *s;
        s++;
    }
    if (o->cap)
        o->b[o->n < o->cap ? o->n : o->cap - 1] = 0;
}

static void pdec(out *o, int32_t v)
{
    char t[12];
    unsigned k = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    if (v < 0)
        ps(o, "-");
    do {
        t[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k) {
        char ch[2] = {t[--k], 0};
        ps(o, ch);
    }
}

static void phex(out *o, uint32_t v)
{
    static const char hx[] = "0123456789abcdef";
    char t[11];
    unsigned k = 0;
    ps(o, "0x");
    do {
        t[k++] = hx[v & 15u];
        v >>= 4;
    } while (v);
    while (k) {
        char ch[2] = {t[--k], 0};
        ps(o, ch);
    }
}

static void reg(out *o, unsigned r)
{
    ps(o, "a");
    pdec(o, (int32_t)(r & 15u));
}
static void sep(out *o) { ps(o, ", "); }

/* ".+16 <0x1234>" */
static void target(out *o, int32_t d, uint32_t addr)
{
    ps(o, d < 0 ? ".-" : ".+");
    pdec(o, d < 0 ? -d : d);
    ps(o, " <");
    phex(o, addr + (uint32_t)d);
    ps(o, ">");
}

static void p3(out *o, const char *m, unsigned a, unsigned b, unsigned c)
{
    ps(o, m);
    ps(o, " ");
    reg(o, a);
    sep(o);
    reg(o, b);
    sep(o);
    reg(o, c);
}
static void p2(out *o, const char *m, unsigned a, unsigned b)
{
    ps(o, m);
    ps(o, " ");
    reg(o, a);
    sep(o);
    reg(o, b);
}
static void p1(out *o, const char *m, unsigned a)
{
    ps(o, m);
    ps(o, " ");
    reg(o, a);
}
/* "m ar, as, imm" */
static void p2i(out *o, const char *m, unsigned a, unsigned b, int32_t imm)
{
    p2(o, m, a, b);
    sep(o);
    pdec(o, imm);
}

static void sreg(out *o, unsigned sr)
{
    switch (sr) {
    case XT_SR_LBEG: ps(o, "lbeg"); break;
    case XT_SR_LEND: ps(o, "lend"); break;
    case XT_SR_LCOUNT: ps(o, "lcount"); break;
    case XT_SR_SAR: ps(o, "sar"); break;
    case XT_SR_WINDOWBASE: ps(o, "windowbase"); break;
    case XT_SR_WINDOWSTART: ps(o, "windowstart"); break;
    case XT_SR_PS: ps(o, "ps"); break;
    case XT_SR_CCOUNT: ps(o, "ccount"); break;
    default: pdec(o, (int32_t)sr); break;
    }
}

static int32_t sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1u);
    return (int32_t)((v ^ m) - m);
}

/* 0 when the instruction is not one this printer knows */
static int qrst(out *o, uint32_t v)
{
    unsigned op2 = v >> 20 & 15u, op1 = v >> 16 & 15u, r = v >> 12 & 15u, s = v >> 8 & 15u,
             t = v >> 4 & 15u;
    static const char *const rst0[16] = {0, "and", "or", "xor", 0, 0, 0, 0,
                                         "add", "addx2", "addx4", "addx8", "sub", "subx2", "subx4", "subx8"};
    static const char *const rst2[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                         "mull", 0, "muluh", "mulsh", "quou", "quos", "remu", "rems"};
    static const char *const movc[4] = {"moveqz", "movnez", "movltz", "movgez"};
    if (op1 == 0) {
        if (rst0[op2]) {
            p3(o, rst0[op2], r, s, t);
            return 1;
        }
        if (op2 == 6 && s <= 1u) {
            p2(o, s ? "abs" : "neg", r, t);
            return 1;
        }
        if (op2 == 4) {   /* ST1 */
            if (t == 0 && r <= 2u) {
                p1(o, r == 0 ? "ssr" : r == 1 ? "ssl" : "ssa8l", s);
                return 1;
            }
            if (r == 4 && t <= 1u) {
                ps(o, "ssai ");
                pdec(o, (int32_t)(s | t << 4));
                return 1;
            }
            if (r == 14 || r == 15) {
                p2(o, r == 14 ? "nsa" : "nsau", t, s);
                return 1;
            }
            return 0;
        }
        if (op2 != 0)
            return 0;
        switch (r) {      /* ST0 */
        case 0: {
            unsigned m = t >> 2, n = t & 3u;
            if (m == 2 && n <= 1u && s == 0) {
                ps(o, n ? "retw" : "ret");
                return 1;
            }
            if (m == 2 && n == 2) {
                p1(o, "jx", s);
                return 1;
            }
            if (m == 3) {
                static const char *const cx[4] = {"callx0", "callx4", "callx8", "callx12"};
                p1(o, cx[n], s);
                return 1;
            }
            if (t == 0 && s == 0) {
                ps(o, "ill");
                return 1;
            }
            return 0;
        }
        case 1:
            p2(o, "movsp", t, s);
            return 1;
        case 2:
            if (s != 0)
                return 0;
            switch (t) {
            case 0: ps(o, "isync"); return 1;
            case 1: ps(o, "rsync"); return 1;
            case 2: ps(o, "esync"); return 1;
            case 3: ps(o, "dsync"); return 1;
            case 12: ps(o, "memw"); return 1;
            case 13: ps(o, "extw"); return 1;
            case 15: ps(o, "nop"); return 1;
            default: return 0;
            }
        case 4:
            ps(o, "break ");
            pdec(o, (int32_t)s);
            sep(o);
            pdec(o, (int32_t)t);
            return 1;
        case 5:
            if (t == 0 && s <= 1u) {
                ps(o, s ? "simcall" : "syscall");
                return 1;
            }
            return 0;
        case 6:
            ps(o, "rsil ");
            reg(o, t);
            sep(o);
            pdec(o, (int32_t)s);
            return 1;
        default:
            return 0;
        }
    }
    if (op1 == 1) {
        switch (op2) {
        case 0: case 1: {
            unsigned sa = (op2 & 1u) << 4 | t;
            if (sa == 0)
                return 0;
            p2i(o, "slli", r, s, (int32_t)(32u - sa));
            return 1;
        }
        case 2: case 3:
            p2i(o, "srai", r, t, (int32_t)((op2 & 1u) << 4 | s));
            return 1;
        case 4:
            p2i(o, "srli", r, t, (int32_t)s);
            return 1;
        case 6:
            ps(o, "xsr ");
            reg(o, t);
            sep(o);
            sreg(o, r << 4 | s);
            return 1;
        case 8:
            p3(o, "src", r, s, t);
            return 1;
        case 9:
            if (s)
                return 0;
            p2(o, "srl", r, t);
            return 1;
        case 10:
            if (t)
                return 0;
            p2(o, "sll", r, s);
            return 1;
        case 11:
            if (s)
                return 0;
            p2(o, "sra", r, t);
            return 1;
        case 12:
            p3(o, "mul16u", r, s, t);
            return 1;
        case 13:
            p3(o, "mul16s", r, s, t);
            return 1;
        default:
            return 0;
        }
    }
    if (op1 == 2) {
        if (!rst2[op2])
            return 0;
        p3(o, rst2[op2], r, s, t);
        return 1;
    }
    if (op1 == 3) {
        if (op2 <= 1u) {
            ps(o, op2 ? "wsr " : "rsr ");
            reg(o, t);
            sep(o);
            sreg(o, r << 4 | s);
            return 1;
        }
        if (op2 >= 8u && op2 <= 11u) {
            p3(o, movc[op2 - 8u], r, s, t);
            return 1;
        }
        return 0;
    }
    if (op1 == 4 || op1 == 5) {
        ps(o, "extui ");
        reg(o, r);
        sep(o);
        reg(o, t);
        sep(o);
        pdec(o, (int32_t)((op1 & 1u) << 4 | s));
        sep(o);
        pdec(o, (int32_t)(op2 + 1u));
        return 1;
    }
    return 0;
}

static int lsai(out *o, uint32_t v)
{
    unsigned imm8 = v >> 16 & 255u, r = v >> 12 & 15u, s = v >> 8 & 15u, t = v >> 4 & 15u;
    switch (r) {
    case 0: p2i(o, "l8ui", t, s, (int32_t)imm8); return 1;
    case 1: p2i(o, "l16ui", t, s, (int32_t)(imm8 << 1)); return 1;
    case 2: p2i(o, "l32i", t, s, (int32_t)(imm8 << 2)); return 1;
    case 4: p2i(o, "s8i", t, s, (int32_t)imm8); return 1;
    case 5: p2i(o, "s16i", t, s, (int32_t)(imm8 << 1)); return 1;
    case 6: p2i(o, "s32i", t, s, (int32_t)(imm8 << 2)); return 1;
    case 9: p2i(o, "l16si", t, s, (int32_t)(imm8 << 1)); return 1;
    case 10:
        ps(o, "movi ");
        reg(o, t);
        sep(o);
        pdec(o, sext(s << 8 | imm8, 12));
        return 1;
    case 12: p2i(o, "addi", t, s, sext(imm8, 8)); return 1;
    case 13: p2i(o, "addmi", t, s, sext(imm8, 8) * 256); return 1;
    default: return 0;
    }
}

static int si(out *o, uint32_t v, uint32_t addr)
{
    unsigned n = v >> 4 & 3u, m = v >> 6 & 3u, s = v >> 8 & 15u, r = v >> 12 & 15u;
    unsigned imm8 = v >> 16 & 255u, imm12 = v >> 12 & 0xfffu;
    static const int32_t b4c[16] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    static const int32_t b4cu[16] = {32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    switch (n) {
    case 0:
        ps(o, "j ");
        target(o, sext(v >> 6, 18) + 4, addr);
        return 1;
    case 1: {
        static const char *const bz[4] = {"beqz", "bnez", "bltz", "bgez"};
        p1(o, bz[m], s);
        sep(o);
        target(o, sext(imm12, 12) + 4, addr);
        return 1;
    }
    case 2: {
        static const char *const bi[4] = {"beqi", "bnei", "blti", "bgei"};
        p1(o, bi[m], s);
        sep(o);
        pdec(o, b4c[r]);
        sep(o);
        target(o, sext(imm8, 8) + 4, addr);
        return 1;
    }
    default:
        if (m == 0) {
            p1(o, "entry", s);
            sep(o);
            pdec(o, (int32_t)(imm12 << 3));
            return 1;
        }
        if (m >= 2) {
            p1(o, m == 2 ? "bltui" : "bgeui", s);
            sep(o);
            pdec(o, b4cu[r]);
            sep(o);
            target(o, sext(imm8, 8) + 4, addr);
            return 1;
        }
        return 0;
    }
}

static int b(out *o, uint32_t v, uint32_t addr)
{
    unsigned r = v >> 12 & 15u, s = v >> 8 & 15u, t = v >> 4 & 15u;
    int32_t d = sext(v >> 16 & 255u, 8) + 4;
    static const char *const br[16] = {"bnone", "beq", "blt", "bltu", "ball", "bbc", 0, 0,
                                       "bany", "bne", "bge", "bgeu", "bnall", "bbs", 0, 0};
    if (br[r]) {
        p2(o, br[r], s, t);
    } else {
        p1(o, (r & 8u) ? "bbsi" : "bbci", s);
        sep(o);
        pdec(o, (int32_t)((r & 1u) << 4 | t));
    }
    sep(o);
    target(o, d, addr);
    return 1;
}

static int narrow(out *o, uint32_t v, uint32_t addr)
{
    unsigned op0 = v & 15u, t = v >> 4 & 15u, s = v >> 8 & 15u, r = v >> 12 & 15u;
    switch (op0) {
    case XT_OP0_L32I_N: p2i(o, "l32i.n", t, s, (int32_t)(r << 2)); return 1;
    case XT_OP0_S32I_N: p2i(o, "s32i.n", t, s, (int32_t)(r << 2)); return 1;
    case XT_OP0_ADD_N: p3(o, "add.n", r, s, t); return 1;
    case XT_OP0_ADDI_N: p2i(o, "addi.n", r, s, t ? (int32_t)t : -1); return 1;
    case XT_OP0_ST2:
        if (!(t & 8u)) {
            unsigned imm = (t & 7u) << 4 | r;
            p1(o, "movi.n", s);
            sep(o);
            pdec(o, imm >= 96u ? (int32_t)imm - 128 : (int32_t)imm);
        } else {
            p1(o, (t & 4u) ? "bnez.n" : "beqz.n", s);
            sep(o);
            target(o, (int32_t)((t & 3u) << 4 | r) + 4, addr);
        }
        return 1;
    default:   /* ST3 */
        if (r == 0) {
            p2(o, "mov.n", t, s);
            return 1;
        }
        if (r != 15)
            return 0;
        switch (t) {
        case 0: if (s) return 0; ps(o, "ret.n"); return 1;
        case 1: if (s) return 0; ps(o, "retw.n"); return 1;
        case 2: ps(o, "break.n "); pdec(o, (int32_t)s); return 1;
        case 3: if (s) return 0; ps(o, "nop.n"); return 1;
        case 6: if (s) return 0; ps(o, "ill.n"); return 1;
        default: return 0;
        }
    }
}

/*
 * Print the instruction at code[off] (at address addr) into buf; returns its
 * size in bytes (2 or 3), or 0 when fewer bytes than that remain.
 */
unsigned xt_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size)
{
    out o = {buf, 0, size};
    uint32_t v = 0;
    if (size)
        buf[0] = 0;
    if (off > code_len)
        return 0;
    unsigned n = xt_get(code + off, code_len - off, &v);
    if (n == 0)
        return 0;
    int ok = 0;
    switch (v & 15u) {
    case XT_OP0_QRST: ok = qrst(&o, v); break;
    case XT_OP0_L32R: {
        int32_t lit = (int32_t)(((addr + 3u) & ~3u) + ((0xffff0000u | (v >> 8)) << 2) - addr);
        p1(&o, "l32r", v >> 4 & 15u);
        sep(&o);
        target(&o, lit, addr);
        ok = 1;
        break;
    }
    case XT_OP0_LSAI: ok = lsai(&o, v); break;
    case XT_OP0_CALLN: {
        static const char *const cn[4] = {"call0", "call4", "call8", "call12"};
        int32_t d = (int32_t)(((addr & ~3u) + 4u + ((uint32_t)sext(v >> 6, 18) << 2)) - addr);
        ps(&o, cn[v >> 4 & 3u]);
        ps(&o, " ");
        target(&o, d, addr);
        ok = 1;
        break;
    }
    case XT_OP0_SI: ok = si(&o, v, addr); break;
    case XT_OP0_B: ok = b(&o, v, addr); break;
    default:
        if (n == 2)
            ok = narrow(&o, v, addr);
        break;
    }
    if (!ok) {
        o.n = 0;
        ps(&o, ".byte ");
        for (unsigned i = 0; i < n; i++) {
            if (i)
                sep(&o);
            phex(&o, code[off + i]);
        }
    }
    return n;
}
