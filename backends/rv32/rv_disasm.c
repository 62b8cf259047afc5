/*
 * rv_disasm.c - a small RV32IMAC + Zicsr printer for listings (femtoc -S):
 * the instructions rv_enc.h can make, in GNU as syntax without aliases
 * ("addi a0, a1, 0", "c.lw a0, 4(s0)"); branch and jump targets relative
 * (".+16"), followed by the absolute address. No libc: the on-device JIT
 * links the backends.
 */
#include <stddef.h>
#include <stdint.h>
#include "rv32/rv_enc.h"

unsigned rv_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

static const char *const rname[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
};

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

static void reg(out *o, unsigned r) { ps(o, rname[r & 31u]); }
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

static int32_t sx(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    return (int32_t)(((v & ((m << 1) - 1u)) ^ m) - m);
}

static void mem(out *o, unsigned rd, int32_t off, unsigned base)
{
    reg(o, rd);
    sep(o);
    pdec(o, off);
    ps(o, "(");
    reg(o, base);
    ps(o, ")");
}

static void rrr(out *o, const char *mn, unsigned rd, unsigned a, unsigned b)
{
    ps(o, mn);
    ps(o, " ");
    reg(o, rd);
    sep(o);
    reg(o, a);
    sep(o);
    reg(o, b);
}

static void rri(out *o, const char *mn, unsigned rd, unsigned a, int32_t imm)
{
    ps(o, mn);
    ps(o, " ");
    reg(o, rd);
    sep(o);
    reg(o, a);
    sep(o);
    pdec(o, imm);
}

static int dis32(out *o, uint32_t e, uint32_t addr)
{
    unsigned opc = e & 0x7fu, rd = (e >> 7) & 31u, f3 = (e >> 12) & 7u;
    unsigned rs1 = (e >> 15) & 31u, rs2 = (e >> 20) & 31u, f7 = e >> 25;
    int32_t immi = sx(e >> 20, 12);
    int32_t imms = sx((e >> 25) << 5 | ((e >> 7) & 31u), 12);
    int32_t immb = sx(((e >> 31) & 1u) << 12 | ((e >> 7) & 1u) << 11 | ((e >> 25) & 0x3fu) << 5 |
                      ((e >> 8) & 0xfu) << 1, 13);
    int32_t immj = sx(((e >> 31) & 1u) << 20 | ((e >> 12) & 0xffu) << 12 | ((e >> 20) & 1u) << 11 |
                      ((e >> 21) & 0x3ffu) << 1, 21);

    switch (opc) {
    case RV_OP_LUI:
    case RV_OP_AUIPC:
        ps(o, opc == RV_OP_LUI ? "lui " : "auipc ");
        reg(o, rd);
        sep(o);
        phex(o, e >> 12);
        return 1;
    case RV_OP_JAL:
        ps(o, "jal ");
        reg(o, rd);
        sep(o);
        target(o, immj, addr);
        return 1;
    case RV_OP_JALR:
        if (f3)
            return 0;
        ps(o, "jalr ");
        mem(o, rd, immi, rs1);
        return 1;
    case RV_OP_BRANCH: {
        static const char *const bn[8] = {"beq", "bne", 0, 0, "blt", "bge", "bltu", "bgeu"};
        if (!bn[f3])
            return 0;
        ps(o, bn[f3]);
        ps(o, " ");
        reg(o, rs1);
        sep(o);
        reg(o, rs2);
        sep(o);
        target(o, immb, addr);
        return 1;
    }
    case RV_OP_LOAD: {
        static const char *const ln[8] = {"lb ", "lh ", "lw ", 0, "lbu ", "lhu ", 0, 0};
        if (!ln[f3])
            return 0;
        ps(o, ln[f3]);
        mem(o, rd, immi, rs1);
        return 1;
    }
    case RV_OP_STORE: {
        static const char *const sn[8] = {"sb ", "sh ", "sw ", 0, 0, 0, 0, 0};
        if (!sn[f3])
            return 0;
        ps(o, sn[f3]);
        mem(o, rs2, imms, rs1);
        return 1;
    }
    case RV_OP_IMM: {
        static const char *const in[8] = {"addi", 0, "slti", "sltiu", "xori", 0, "ori", "andi"};
        if (f3 == 1 || f3 == 5) {
            if (f7 != 0 && !(f3 == 5 && f7 == 0x20))
                return 0;
            rri(o, f3 == 1 ? "slli" : f7 ? "srai" : "srli", rd, rs1, (int32_t)rs2);
            return 1;
        }
        rri(o, in[f3], rd, rs1, immi);
        return 1;
    }
    case RV_OP_OP: {
        static const char *const base[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
        static const char *const muldiv[8] = {"mul", "mulh", "mulhsu", "mulhu",
                                              "div", "divu", "rem", "remu"};
        if (f7 == 0x01)
            rrr(o, muldiv[f3], rd, rs1, rs2);
        else if (f7 == 0x20 && f3 == 0)
            rrr(o, "sub", rd, rs1, rs2);
        else if (f7 == 0x20 && f3 == 5)
            rrr(o, "sra", rd, rs1, rs2);
        else if (f7 == 0)
            rrr(o, base[f3], rd, rs1, rs2);
        else
            return 0;
        return 1;
    }
    case RV_OP_SYSTEM: {
        static const char *const cn[8] = {0, "csrrw", "csrrs", "csrrc", 0, "csrrwi", "csrrsi", "csrrci"};
        uint32_t csr = e >> 20;
        if (e == RV_BAD) {
            ps(o, "unimp");
            return 1;
        }
        if (f3 == 0) {
            if (e == 0x00000073u)
                ps(o, "ecall");
            else if (e == 0x00100073u)
                ps(o, "ebreak");
            else
                return 0;
            return 1;
        }
        if (!cn[f3])
            return 0;
        ps(o, cn[f3]);
        ps(o, " ");
        reg(o, rd);
        sep(o);
        if (csr == RV_CSR_MSTATUS)
            ps(o, "mstatus");
        else
            phex(o, csr);
        sep(o);
        if (f3 >= 5)
            pdec(o, (int32_t)rs1);
        else
            reg(o, rs1);
        return 1;
    }
    case RV_OP_AMO: {
        unsigned f5 = f7 >> 2;
        const char *mn;
        if (f3 != 2)
            return 0;
        switch (f5) {
        case 0x02: mn = "lr.w"; break;
        case 0x03: mn = "sc.w"; break;
        case 0x01: mn = "amoswap.w"; break;
        case 0x00: mn = "amoadd.w"; break;
        case 0x04: mn = "amoxor.w"; break;
        case 0x0c: mn = "amoand.w"; break;
        case 0x08: mn = "amoor.w"; break;
        default: return 0;
        }
        if (f5 == 0x02 && rs2)
            return 0;
        ps(o, mn);
        ps(o, (f7 & 3u) == 3u ? ".aqrl " : (f7 & 2u) ? ".aq " : (f7 & 1u) ? ".rl " : " ");
        reg(o, rd);
        sep(o);
        if (f5 != 0x02) {
            reg(o, rs2);
            sep(o);
        }
        ps(o, "(");
        reg(o, rs1);
        ps(o, ")");
        return 1;
    }
    default:
        return 0;
    }
}

static int dis16(out *o, uint32_t e, uint32_t addr)
{
    unsigned op = e & 3u, f3 = e >> 13;
    unsigned r5 = (e >> 7) & 31u, s5 = (e >> 2) & 31u;
    unsigned r3 = ((e >> 7) & 7u) + 8u, s3 = ((e >> 2) & 7u) + 8u;
    uint32_t b12 = (e >> 12) & 1u;
    int32_t imm6 = sx(b12 << 5 | s5, 6);

    if (e == 0)
        return 0;
    if (op == 0) {
        uint32_t lwoff = ((e >> 10) & 7u) << 3 | ((e >> 6) & 1u) << 2 | ((e >> 5) & 1u) << 6;
        switch (f3) {
        case 0: {
            uint32_t v = ((e >> 11) & 3u) << 4 | ((e >> 7) & 0xfu) << 6 | ((e >> 6) & 1u) << 2 |
                         ((e >> 5) & 1u) << 3;
            if (!v)
                return 0;
            ps(o, "c.addi4spn ");
            reg(o, s3);
            ps(o, ", sp, ");
            pdec(o, (int32_t)v);
            return 1;
        }
        case 2:
        case 6:
            ps(o, f3 == 2 ? "c.lw " : "c.sw ");
            mem(o, s3, (int32_t)lwoff, r3);
            return 1;
        default:
            return 0;
        }
    }
    if (op == 1) {
        switch (f3) {
        case 0:
            if (r5 == 0) {
                ps(o, "c.nop");
                return 1;
            }
            ps(o, "c.addi ");
            reg(o, r5);
            sep(o);
            pdec(o, imm6);
            return 1;
        case 1:
        case 5: {
            uint32_t u = (e >> 2) & 0x7ffu;
            int32_t d = sx(((u >> 10) & 1u) << 11 | ((u >> 9) & 1u) << 4 | ((u >> 7) & 3u) << 8 |
                           ((u >> 6) & 1u) << 10 | ((u >> 5) & 1u) << 6 | ((u >> 4) & 1u) << 7 |
                           ((u >> 1) & 7u) << 1 | (u & 1u) << 5, 12);
            ps(o, f3 == 1 ? "c.jal " : "c.j ");
            target(o, d, addr);
            return 1;
        }
        case 2:
            ps(o, "c.li ");
            reg(o, r5);
            sep(o);
            pdec(o, imm6);
            return 1;
        case 3:
            if (r5 == 2) {
                int32_t v = sx(b12 << 9 | ((e >> 6) & 1u) << 4 | ((e >> 5) & 1u) << 6 |
                               ((e >> 3) & 3u) << 7 | ((e >> 2) & 1u) << 5, 10);
                ps(o, "c.addi16sp sp, ");
                pdec(o, v);
                return 1;
            }
            ps(o, "c.lui ");
            reg(o, r5);
            sep(o);
            phex(o, (uint32_t)imm6 & 0xfffffu);
            return 1;
        case 4: {
            unsigned f2 = (e >> 10) & 3u;
            if (f2 < 2) {
                ps(o, f2 ? "c.srai " : "c.srli ");
                reg(o, r3);
                sep(o);
                pdec(o, (int32_t)(b12 << 5 | s5));
                return 1;
            }
            if (f2 == 2) {
                ps(o, "c.andi ");
                reg(o, r3);
                sep(o);
                pdec(o, imm6);
                return 1;
            }
            if (b12)
                return 0;
            {
                static const char *const an[4] = {"c.sub ", "c.xor ", "c.or ", "c.and "};
                ps(o, an[(e >> 5) & 3u]);
                reg(o, r3);
                sep(o);
                reg(o, s3);
            }
            return 1;
        }
        default: {   /* c.beqz / c.bnez */
            int32_t d = sx(b12 << 8 | ((e >> 10) & 3u) << 3 | ((e >> 5) & 3u) << 6 |
                           ((e >> 3) & 3u) << 1 | ((e >> 2) & 1u) << 5, 9);
            ps(o, f3 == 6 ? "c.beqz " : "c.bnez ");
            reg(o, r3);
            sep(o);
            target(o, d, addr);
            return 1;
        }
        }
    }
    /* quadrant 2 */
    switch (f3) {
    case 0:
        ps(o, "c.slli ");
        reg(o, r5);
        sep(o);
        pdec(o, (int32_t)(b12 << 5 | s5));
        return 1;
    case 2: {
        uint32_t v = b12 << 5 | ((e >> 4) & 7u) << 2 | ((e >> 2) & 3u) << 6;
        if (!r5)
            return 0;
        ps(o, "c.lwsp ");
        mem(o, r5, (int32_t)v, RV_SP);
        return 1;
    }
    case 4:
        if (!b12 && !s5) {
            if (!r5)
                return 0;
            ps(o, "c.jr ");
            reg(o, r5);
        } else if (!b12) {
            ps(o, "c.mv ");
            reg(o, r5);
            sep(o);
            reg(o, s5);
        } else if (!s5) {
            if (!r5)
                ps(o, "c.ebreak");
            else {
                ps(o, "c.jalr ");
                reg(o, r5);
            }
        } else {
            ps(o, "c.add ");
            reg(o, r5);
            sep(o);
            reg(o, s5);
        }
        return 1;
    case 6: {
        uint32_t v = ((e >> 9) & 0xfu) << 2 | ((e >> 7) & 3u) << 6;
        ps(o, "c.swsp ");
        mem(o, s5, (int32_t)v, RV_SP);
        return 1;
    }
    default:
        return 0;
    }
}

unsigned rv_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size)
{
    out o = {buf, 0, size};
    uint32_t e;
    unsigned n;
    if (size)
        buf[0] = 0;
    if (off >= code_len)
        return 0;
    n = rv_get(code + off, code_len - off, &e);
    if (n == 0)
        return 0;
    if (!(n == 4 ? dis32(&o, e, addr) : dis16(&o, e, addr))) {
        o.n = 0;
        ps(&o, n == 4 ? ".word " : ".hword ");
        phex(&o, e);
    }
    return n;
}
