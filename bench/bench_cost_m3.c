/*
 * bench_cost_m3.c - the Cortex-M3 cycle estimate (see bench_cost.h).
 *
 * Costs from the Cortex-M3 Technical Reference Manual (ARM DDI 0337),
 * table 3.1 "Cortex-M3 instruction set summary" (zero wait states) and
 * section 3.3.2 "Load/store timings":
 *
 *   data processing, MOVW/MOVT, bit field, extend, shifts  1   (+P to PC)
 *   MUL 1, MLA/MLS 2, SMULL/UMULL 3..5 -> 5, SMLAL/UMLAL 4..7 -> 7
 *   SDIV/UDIV 2..12 (early termination) -> 12
 *   LDR/LDRB/LDRH/LDRSB/LDRSH/LDREX 2, LDR to PC 2+P
 *   STR with an immediate offset 1, with a register offset 2
 *   a load or store right after a single load is pipelined: one cycle less
 *     (not below 1) unless that load's destination forms its address
 *   a load or store whose address register the previous data-processing
 *     instruction wrote: one cycle more (no forwarding path)
 *   LDM/STM/PUSH/POP 1+N (+P when PC is loaded), LDRD/STRD 1+N = 3
 *   B/BL/BX/BLX 1+P; B<cond>/CBZ/CBNZ 1+P taken, 1 not taken; TBB/TBH 2+P
 *   IT 1; an IT-block instruction whose condition fails 1
 *   P (pipeline refill) is 1..3 depending on the target's alignment and
 *   width: 3, the value of the TRM's own TBB and LDR-to-PC examples.
 *
 * Decoding follows the ARMv7-M Architecture Reference Manual (ARM DDI 0403),
 * A5.2 (16-bit) and A5.3 (32-bit Thumb encodings).
 */
#include "bench_cost.h"

#include <stdlib.h>
#include <string.h>

#define P 3u

enum kind {
    K_DP,        /* data processing (rd may be written)                */
    K_MUL,       /* multiply / divide: fixed cost, rd written          */
    K_LD,        /* single load                                        */
    K_ST,        /* single store, register offset (or exclusive)       */
    K_STI,       /* single store, immediate offset                     */
    K_MULTI,     /* LDM/STM/PUSH/POP: 1+N                              */
    K_DUAL,      /* LDRD/STRD: 3                                       */
    K_BR,        /* unconditional branch: 1+P                          */
    K_CBR,       /* conditional branch: 1+P taken, 1 not               */
    K_TB,        /* TBB/TBH: 2+P                                       */
    K_IT,
    K_OTHER      /* 1 */
};

typedef struct t2 {
    enum kind kind;
    uint8_t cls;
    uint8_t cost;     /* K_MUL's cycles; K_MULTI's N */
    int8_t rd;        /* register written by data processing, -1 none */
    int8_t rt;        /* register a single load writes, -1 none */
    int8_t rn, rm;    /* address registers of a load/store, -1 none */
    uint8_t to_pc;    /* writes PC (DP to PC, LDR PC, POP/LDM with PC) */
    uint8_t it_count; /* IT: instructions in the block */
} t2;

static void dp(t2 *d, int rd)
{
    d->kind = K_DP;
    d->cls = BC_ALU;
    d->rd = (int8_t)rd;
    if (rd == 15) {
        d->to_pc = 1;
        d->cls = BC_BRANCH;
    }
}

static void ldst(t2 *d, enum kind k, int rt, int rn, int rm)
{
    d->kind = k;
    d->cls = k == K_LD ? BC_LOAD : BC_STORE;
    d->rt = k == K_LD ? (int8_t)rt : -1;
    d->rn = (int8_t)rn;
    d->rm = (int8_t)rm;
    if (k == K_LD && rt == 15) {
        d->to_pc = 1;
        d->cls = BC_BRANCH;
    }
}

static void multi(t2 *d, int load, int rn, uint32_t list)
{
    d->kind = K_MULTI;
    d->cls = BC_MULTI;
    d->rn = (int8_t)rn;
    d->cost = (uint8_t)__builtin_popcount(list);
    if (load && (list & 0x8000u)) {
        d->to_pc = 1;
        d->cls = BC_BRANCH;
    }
}

static void decode16(uint32_t hw, t2 *d)
{
    if ((hw >> 14) == 0) {                       /* shift, add, sub, mov, cmp */
        uint32_t op5 = hw >> 11;
        if (op5 <= 3)
            dp(d, (int)(hw & 7));
        else if (op5 == 5)
            dp(d, -1);                           /* CMP imm8 */
        else
            dp(d, (int)(hw >> 8 & 7));
    } else if ((hw >> 10) == 0x10) {             /* data processing (register) */
        uint32_t opc = hw >> 6 & 15;
        dp(d, (opc == 8 || opc == 10 || opc == 11) ? -1 : (int)(hw & 7));
        if (opc == 13) {
            d->kind = K_MUL;
            d->cls = BC_MUL;
            d->cost = 1;
        }
    } else if ((hw >> 10) == 0x11) {             /* special data, BX/BLX */
        uint32_t opc = hw >> 8 & 3;
        int rd = (int)((hw >> 4 & 8) | (hw & 7));
        if (opc == 3) {
            d->kind = K_BR;
            d->cls = BC_BRANCH;
        } else {
            dp(d, opc == 1 ? -1 : rd);
        }
    } else if ((hw >> 11) == 0x09) {             /* LDR literal */
        ldst(d, K_LD, (int)(hw >> 8 & 7), 15, -1);
    } else if ((hw >> 12) == 0x5) {              /* load/store register offset */
        uint32_t opb = hw >> 9 & 7;
        ldst(d, opb <= 2 ? K_ST : K_LD, (int)(hw & 7), (int)(hw >> 3 & 7), (int)(hw >> 6 & 7));
    } else if ((hw >> 13) == 0x3 || (hw >> 12) == 0x8) {  /* imm5 word/byte/halfword */
        int load = (int)(hw >> 11 & 1);
        ldst(d, load ? K_LD : K_STI, (int)(hw & 7), (int)(hw >> 3 & 7), -1);
    } else if ((hw >> 12) == 0x9) {              /* SP-relative */
        int load = (int)(hw >> 11 & 1);
        ldst(d, load ? K_LD : K_STI, (int)(hw >> 8 & 7), 13, -1);
    } else if ((hw >> 12) == 0xa) {              /* ADR, ADD rd, SP, #imm */
        dp(d, (int)(hw >> 8 & 7));
    } else if ((hw >> 12) == 0xb) {              /* miscellaneous */
        uint32_t op4 = hw >> 8 & 15;
        if (op4 == 0)
            dp(d, 13);                           /* ADD/SUB SP, #imm */
        else if ((op4 & 5) == 1) {               /* CBZ/CBNZ */
            d->kind = K_CBR;
            d->cls = BC_BRANCH;
        } else if (op4 == 2 || op4 == 10)
            dp(d, (int)(hw & 7));                /* extend, REV */
        else if ((op4 & 14) == 4)
            multi(d, 0, 13, (hw & 0xffu) | (hw & 0x100u) << 6);          /* PUSH (LR) */
        else if ((op4 & 14) == 12)
            multi(d, 1, 13, (hw & 0xffu) | (hw & 0x100u) << 7);          /* POP (PC) */
        else if (op4 == 15 && (hw & 15)) {
            d->kind = K_IT;
            d->cls = BC_OTHER;
            d->it_count = (uint8_t)(4 - __builtin_ctz(hw & 15));
        }
    } else if ((hw >> 12) == 0xc) {              /* STM/LDM */
        multi(d, (int)(hw >> 11 & 1), (int)(hw >> 8 & 7), hw & 0xffu);
    } else if ((hw >> 12) == 0xd) {              /* B<cond>, UDF, SVC */
        if ((hw >> 9 & 7) != 7) {
            d->kind = K_CBR;
            d->cls = BC_BRANCH;
        }
    } else if ((hw >> 11) == 0x1c) {             /* B */
        d->kind = K_BR;
        d->cls = BC_BRANCH;
    }
}

static void decode32(uint32_t hw1, uint32_t hw2, t2 *d)
{
    uint32_t op1 = hw1 >> 11 & 3, op2 = hw1 >> 4 & 0x7f;
    int rn = (int)(hw1 & 15), rt = (int)(hw2 >> 12), rd = (int)(hw2 >> 8 & 15);

    if (op1 == 1) {
        if ((op2 & 0x64) == 0x00) {              /* LDM/STM (incl. PUSH/POP.W) */
            multi(d, (int)(hw1 >> 4 & 1), rn, hw2);
        } else if ((op2 & 0x64) == 0x04) {       /* dual, exclusive, table branch */
            uint32_t o1 = hw1 >> 7 & 3, o2 = hw1 >> 4 & 3, o3 = hw2 >> 4 & 15;
            if (o1 == 0 && o2 == 0)
                ldst(d, K_ST, rt, rn, -1);       /* STREX */
            else if (o1 == 0 && o2 == 1)
                ldst(d, K_LD, rt, rn, -1);       /* LDREX */
            else if (o1 == 1 && o2 == 0)
                ldst(d, K_ST, rt, rn, -1);       /* STREXB/H */
            else if (o1 == 1 && o2 == 1) {
                if (o3 <= 1) {
                    d->kind = K_TB;
                    d->cls = BC_BRANCH;
                } else {
                    ldst(d, K_LD, rt, rn, -1);   /* LDREXB/H */
                }
            } else {
                d->kind = K_DUAL;                /* LDRD/STRD */
                d->cls = BC_MULTI;
                d->rn = (int8_t)rn;
            }
        } else if ((op2 & 0x60) == 0x20) {       /* data processing, shifted register */
            dp(d, (rd == 15 && (hw1 >> 4 & 1)) ? -1 : rd);
        }
    } else if (op1 == 2) {
        if (!(hw2 >> 15)) {                      /* data processing, immediate */
            dp(d, (rd == 15 && !(hw1 >> 9 & 1) && (hw1 >> 4 & 1)) ? -1 : rd);
        } else {
            uint32_t o = hw2 >> 12 & 5;
            if (o == 0) {
                if ((hw1 >> 7 & 7) != 7) {       /* B<cond>.W */
                    d->kind = K_CBR;
                    d->cls = BC_BRANCH;
                }
            } else if (o == 1 || o == 5) {       /* B.W, BL */
                d->kind = K_BR;
                d->cls = BC_BRANCH;
            }
        }
    } else if (op1 == 3) {
        int regoff = !(hw1 >> 7 & 1) && (hw2 >> 6 & 0x3f) == 0;
        if ((op2 & 0x71) == 0x00) {              /* store single */
            ldst(d, regoff ? K_ST : K_STI, rt, rn, regoff ? (int)(hw2 & 15) : -1);
        } else if ((op2 & 0x67) == 0x01 || (op2 & 0x67) == 0x03 || (op2 & 0x67) == 0x05) {
            int word = (op2 & 0x67) == 0x05;
            if (rt == 15 && !word)
                return;                          /* PLD/PLI: a hint */
            ldst(d, K_LD, rt, rn, (rn != 15 && regoff) ? (int)(hw2 & 15) : -1);
        } else if ((op2 & 0x70) == 0x20) {       /* data processing, register */
            dp(d, rd);
        } else if ((op2 & 0x78) == 0x30) {       /* MUL, MLA, MLS */
            uint32_t o1 = hw1 >> 4 & 7, o2 = hw2 >> 4 & 3;
            dp(d, rd);
            d->kind = K_MUL;
            d->cls = BC_MUL;
            d->cost = (o1 == 0 && o2 == 0 && rt == 15) ? 1 : (o1 == 0 && o2 <= 1) ? 2 : 1;
        } else if ((op2 & 0x78) == 0x38) {       /* long multiply, divide */
            uint32_t o1 = hw1 >> 4 & 7;
            dp(d, rd);
            d->kind = K_MUL;
            d->cls = BC_MUL;
            if (o1 == 1 || o1 == 3) {
                d->cls = BC_DIV;
                d->cost = 12;                    /* SDIV/UDIV 2..12 */
            } else if (o1 == 0 || o1 == 2) {
                d->cost = 5;                     /* SMULL/UMULL 3..5 */
            } else {
                d->cost = 7;                     /* SMLAL/UMLAL 4..7 */
            }
        }
    }
}

static void decode(const uint8_t *p, uint32_t size, t2 *d)
{
    memset(d, 0, sizeof *d);
    d->kind = K_OTHER;
    d->cls = BC_OTHER;
    d->rd = d->rt = d->rn = d->rm = -1;
    if (size == 4)
        decode32((uint32_t)p[0] | (uint32_t)p[1] << 8, (uint32_t)p[2] | (uint32_t)p[3] << 8, d);
    else
        decode16((uint32_t)p[0] | (uint32_t)p[1] << 8, d);
}

typedef struct m3 {
    bench_read_fn rd;
    void *rd_ctx;
    /* the previous instruction, for pipelining and address stalls */
    int prev_load;        /* a single load (not to PC) */
    int prev_rt;
    int prev_dp_rd;       /* written by data processing, -1 none */
    /* a conditional branch waiting for the next address */
    int pend;
    uint32_t pend_next;
    /* IT block */
    uint32_t it_left, it_next;
} m3;

static void *m3_create(bench_read_fn rd, void *rd_ctx)
{
    m3 *s = calloc(1, sizeof *s);
    if (s) {
        s->rd = rd;
        s->rd_ctx = rd_ctx;
    }
    return s;
}

static void m3_reset(void *st)
{
    m3 *s = st;
    s->prev_load = 0;
    s->prev_rt = -1;
    s->prev_dp_rd = -1;
    s->pend = 0;
    s->it_left = 0;
}

static void settle(m3 *s, bench_meter *m, int taken)
{
    if (!s->pend)
        return;
    s->pend = 0;
    m->cycles += taken ? 1 + P : 1;
    if (taken)
        m->taken++;
}

/* instructions of the IT block between the last reported one and addr did
 * not pass their condition: Unicorn does not report them */
static void it_skip(m3 *s, bench_meter *m, uint32_t addr)
{
    uint32_t a = s->it_next, left = s->it_left, n = 0;
    while (left && a != addr) {
        const uint8_t *p = s->rd(s->rd_ctx, a, 2);
        if (!p)
            break;
        a += ((p[1] >> 3) >= 0x1d) ? 4u : 2u;
        n++;
        left--;
    }
    if (a != addr) {
        s->it_left = 0;          /* left the block through a taken branch */
        return;
    }
    m->skipped += n;
    m->cycles += n;
    s->it_left = left;
}

static int uses(int r, const t2 *d)
{
    return r >= 0 && (r == d->rn || r == d->rm);
}

static void m3_step(void *st, bench_meter *m, uint32_t addr, const uint8_t *insn, uint32_t size)
{
    m3 *s = st;
    t2 d;
    uint64_t c = 1;

    settle(s, m, addr != s->pend_next);
    if (s->it_left)
        it_skip(s, m, addr);
    if (s->it_left) {
        s->it_left--;
        s->it_next = addr + size;
    }
    m->insns++;
    if (!insn) {
        m->cls[BC_OTHER]++;
        m->cycles++;
        s->prev_load = 0;
        s->prev_dp_rd = -1;
        return;
    }
    decode(insn, size, &d);
    m->cls[d.cls]++;

    switch (d.kind) {
    case K_DP:
        c = d.to_pc ? 1 + P : 1;
        break;
    case K_MUL:
        c = d.cost;
        break;
    case K_LD:
    case K_ST:
    case K_STI:
        c = d.kind == K_STI ? 1 : 2;
        if (s->prev_load && !d.to_pc && !uses(s->prev_rt, &d) && c > 1)
            c--;
        if (d.to_pc)
            c += P;
        if (uses(s->prev_dp_rd, &d))
            c++;
        break;
    case K_MULTI:
        c = 1u + d.cost + (d.to_pc ? P : 0u) + (uses(s->prev_dp_rd, &d) ? 1u : 0u);
        break;
    case K_DUAL:
        c = 3u + (uses(s->prev_dp_rd, &d) ? 1u : 0u);
        break;
    case K_BR:
        c = 1 + P;
        break;
    case K_TB:
        c = 2 + P;
        break;
    case K_CBR:
        c = 0;                   /* charged when the next address is known */
        s->pend = 1;
        s->pend_next = addr + size;
        break;
    case K_IT:
        s->it_left = d.it_count;
        s->it_next = addr + size;
        break;
    case K_OTHER:
        break;
    }
    if (d.to_pc || d.kind == K_BR || d.kind == K_TB)
        m->taken++;
    m->cycles += c;
    s->prev_load = d.kind == K_LD && !d.to_pc;
    s->prev_rt = d.rt;
    s->prev_dp_rd = (d.kind == K_DP || d.kind == K_MUL) ? d.rd : -1;
}

static void m3_finish(void *st, bench_meter *m)
{
    settle(st, m, 1);
}

static const char *const m3_doc[] = {
    "| class | cycles charged |",
    "|---|---|",
    "| data processing, MOVW/MOVT, shifts, extends, bit fields | 1 (+P when it writes PC) |",
    "| MUL / MLA, MLS / SMULL, UMULL / SMLAL, UMLAL | 1 / 2 / 5 (3..5) / 7 (4..7) |",
    "| SDIV, UDIV | 12 (2..12, early termination) |",
    "| LDR, LDRB, LDRH, LDRSB, LDRSH, LDREX | 2 (LDR to PC: 2+P) |",
    "| STR with immediate offset / register offset | 1 / 2 |",
    "| load or store right after a single load (not using its result as address) | 1 less, at least 1 |",
    "| load or store whose address register the previous data-processing instruction wrote | 1 more |",
    "| LDM, STM, PUSH, POP / LDRD, STRD | 1+N (+P if PC loaded) / 3 |",
    "| B, BL, BX, BLX / B<cond>, CBZ, CBNZ / TBB, TBH | 1+P / 1+P taken, 1 not / 2+P |",
    "| IT; IT-block instruction whose condition fails | 1; 1 |",
    "| P (pipeline refill, 1..3) | 3 |",
    NULL
};

static void m3_destroy(void *st)
{
    free(st);
}

const bench_model bench_model_m3 = {
    .core = "Cortex-M3",
    .source = "Cortex-M3 TRM (ARM DDI 0337), table 3.1 and section 3.3.2 Load/store timings",
    .doc = m3_doc,
    .create = m3_create,
    .destroy = m3_destroy,
    .reset = m3_reset,
    .step = m3_step,
    .finish = m3_finish,
};

const char *const bench_class_name[BC__COUNT] = {
    "alu", "mul", "div", "load", "store", "multi", "branch", "other",
};
