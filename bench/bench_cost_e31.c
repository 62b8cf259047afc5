/*
 * bench_cost_e31.c - the RV32IMAC cycle estimate (see bench_cost.h), after
 * the SiFive E31 core manual (the core Unicorn's RV32 model is named after):
 *
 *   - single-issue, in-order, five stages, peak one instruction per cycle,
 *     fully bypassed: most results are usable by the next instruction;
 *   - result latencies: LW 2, LH/LHU/LB/LBU 3, MUL/MULH/MULHU/MULHSU 5,
 *     DIV/DIVU/REM/REMU 2..33 (operand dependent) -> 33, CSR reads 3;
 *   - the pipeline interlocks only on read-after-write and write-after-write
 *     hazards; the multiplier/divider does one operation at a time;
 *   - branch prediction: a branch target buffer, a branch history table of
 *     2-bit counters and a return-address stack (6 entries); a correctly
 *     predicted control transfer costs nothing extra, a mispredicted one 3.
 *
 * The model issues each instruction when its source registers are ready and
 * charges mispredictions with a predictor modelled without capacity limits
 * (no aliasing in the BTB and BHT; counters start weakly not-taken; a branch
 * is predicted taken only when the BTB knows its target). Predictor and
 * pipeline start cold for every measured call. Decoding follows the RISC-V
 * unprivileged ISA manual (RV32I, M, and the C extension's RV32 encodings).
 */
#include "bench_cost.h"

#include <stdlib.h>
#include <string.h>

#define MISPREDICT 3u
#define LAT_LW 2u
#define LAT_LSUB 3u
#define LAT_MUL 5u
#define LAT_DIV 33u
#define LAT_CSR 3u
#define RAS_DEPTH 6u
#define TABLE 8192u          /* predictor entries (open addressing) */

enum flow { F_NONE, F_BRANCH, F_JAL, F_JALR };

typedef struct rv {
    uint8_t cls;
    uint8_t flow;
    int8_t rd, rs1, rs2;     /* -1: none (x0 as a destination is none) */
    uint8_t lat;             /* result latency */
    uint8_t muldiv;
} rv;

static void set(rv *d, unsigned cls, int rd, int rs1, int rs2)
{
    d->cls = (uint8_t)cls;
    d->rd = (int8_t)(rd > 0 ? rd : -1);
    d->rs1 = (int8_t)(rs1 > 0 ? rs1 : -1);
    d->rs2 = (int8_t)(rs2 > 0 ? rs2 : -1);
}

static void decode32(uint32_t w, rv *d)
{
    int rd = (int)(w >> 7 & 31), rs1 = (int)(w >> 15 & 31), rs2 = (int)(w >> 20 & 31);
    uint32_t f3 = w >> 12 & 7;

    switch (w & 0x7f) {
    case 0x37: case 0x17: set(d, BC_ALU, rd, -1, -1); break;               /* LUI, AUIPC */
    case 0x6f: set(d, BC_BRANCH, rd, -1, -1); d->flow = F_JAL; break;
    case 0x67: set(d, BC_BRANCH, rd, rs1, -1); d->flow = F_JALR; break;
    case 0x63: set(d, BC_BRANCH, -1, rs1, rs2); d->flow = F_BRANCH; break;
    case 0x03: set(d, BC_LOAD, rd, rs1, -1); d->lat = f3 == 2 ? LAT_LW : LAT_LSUB; break;
    case 0x23: set(d, BC_STORE, -1, rs1, rs2); break;
    case 0x13: set(d, BC_ALU, rd, rs1, -1); break;
    case 0x33:
        if ((w >> 25) == 1) {                                            /* M extension */
            set(d, f3 < 4 ? BC_MUL : BC_DIV, rd, rs1, rs2);
            d->lat = f3 < 4 ? LAT_MUL : LAT_DIV;
            d->muldiv = 1;
        } else {
            set(d, BC_ALU, rd, rs1, rs2);
        }
        break;
    case 0x2f: set(d, BC_LOAD, rd, rs1, rs2); d->lat = LAT_LW; break;    /* AMO */
    case 0x73:                                                          /* SYSTEM */
        set(d, BC_OTHER, f3 ? rd : -1, f3 ? rs1 : -1, -1);
        if (f3)
            d->lat = LAT_CSR;
        break;
    default: break;                                                     /* FENCE, ... */
    }
}

static void decode16(uint32_t h, rv *d)
{
    uint32_t q = h & 3, f3 = h >> 13;
    int r = (int)(h >> 7 & 31), r2 = (int)(h >> 2 & 31);
    int rp = (int)(h >> 7 & 7) + 8, r2p = (int)(h >> 2 & 7) + 8;

    if (q == 0) {
        if (f3 == 0) set(d, BC_ALU, r2p, 2, -1);                          /* ADDI4SPN */
        else if (f3 == 2) { set(d, BC_LOAD, r2p, rp, -1); d->lat = LAT_LW; } /* LW */
        else if (f3 == 6) set(d, BC_STORE, -1, rp, r2p);                  /* SW */
    } else if (q == 1) {
        switch (f3) {
        case 0: case 2: set(d, BC_ALU, r, f3 == 0 ? r : -1, -1); break;   /* ADDI, LI */
        case 1: set(d, BC_BRANCH, 1, -1, -1); d->flow = F_JAL; break;    /* JAL */
        case 3: set(d, BC_ALU, r, r == 2 ? 2 : -1, -1); break;           /* ADDI16SP, LUI */
        case 4:
            if ((h >> 10 & 3) == 3) set(d, BC_ALU, rp, rp, r2p);          /* SUB..AND */
            else set(d, BC_ALU, rp, rp, -1);                              /* SRLI, SRAI, ANDI */
            break;
        case 5: set(d, BC_BRANCH, 0, -1, -1); d->flow = F_JAL; break;    /* J */
        default: set(d, BC_BRANCH, -1, rp, -1); d->flow = F_BRANCH; break; /* BEQZ, BNEZ */
        }
    } else if (q == 2) {
        if (f3 == 0) set(d, BC_ALU, r, r, -1);                            /* SLLI */
        else if (f3 == 2) { set(d, BC_LOAD, r, 2, -1); d->lat = LAT_LW; } /* LWSP */
        else if (f3 == 6) set(d, BC_STORE, -1, 2, r2);                    /* SWSP */
        else if (f3 == 4) {
            if (!(h >> 12 & 1)) {
                if (r2 == 0) { set(d, BC_BRANCH, 0, r, -1); d->flow = F_JALR; }  /* JR */
                else set(d, BC_ALU, r, -1, r2);                                  /* MV */
            } else if (r2 == 0 && r != 0) {
                set(d, BC_BRANCH, 1, r, -1);                                     /* JALR */
                d->flow = F_JALR;
            } else if (r2 != 0) {
                set(d, BC_ALU, r, r, r2);                                        /* ADD */
            }
        }
    }
}

typedef struct pred {
    uint32_t pc;
    uint32_t target;      /* BTB */
    uint8_t used, has_target, ctr;
} pred;

typedef struct e31 {
    uint64_t t;               /* cycle the next instruction can issue */
    uint64_t ready[32];       /* cycle each register's value is available */
    uint64_t md_free;         /* multiplier/divider free from */
    pred *tab;
    unsigned nused;
    pred spare;               /* when the table is full: always cold */
    uint32_t ras[RAS_DEPTH];
    unsigned ras_top, ras_n;
    /* a control transfer waiting for the next address */
    int pend;
    uint8_t pend_flow;
    uint32_t pend_pc, pend_seq, pend_pred;
} e31;

static pred *lookup(e31 *s, uint32_t pc)
{
    uint32_t i = (pc >> 1) * 2654435761u % TABLE;
    while (s->tab[i].used && s->tab[i].pc != pc)
        i = (i + 1) % TABLE;
    if (!s->tab[i].used) {
        if (s->nused >= TABLE / 2) {
            memset(&s->spare, 0, sizeof s->spare);
            s->spare.ctr = 1;
            return &s->spare;
        }
        s->nused++;
        s->tab[i].used = 1;
        s->tab[i].pc = pc;
        s->tab[i].ctr = 1;    /* weakly not taken */
    }
    return &s->tab[i];
}

static void *e31_create(bench_read_fn rd, void *rd_ctx)
{
    (void)rd;
    (void)rd_ctx;
    e31 *s = calloc(1, sizeof *s);
    if (s && !(s->tab = calloc(TABLE, sizeof *s->tab))) {
        free(s);
        return NULL;
    }
    return s;
}

static void e31_destroy(void *st)
{
    e31 *s = st;
    if (s)
        free(s->tab);
    free(s);
}

static void e31_reset(void *st)
{
    e31 *s = st;
    pred *tab = s->tab;
    memset(tab, 0, TABLE * sizeof *tab);
    memset(s, 0, sizeof *s);
    s->tab = tab;
}

static void ras_push(e31 *s, uint32_t a)
{
    s->ras_top = (s->ras_top + 1) % RAS_DEPTH;
    s->ras[s->ras_top] = a;
    if (s->ras_n < RAS_DEPTH)
        s->ras_n++;
}

static int ras_pop(e31 *s, uint32_t *a)
{
    if (!s->ras_n)
        return 0;
    *a = s->ras[s->ras_top];
    s->ras_top = (s->ras_top + RAS_DEPTH - 1) % RAS_DEPTH;
    s->ras_n--;
    return 1;
}

/* the control transfer before `next` resolved: train, charge a miss */
static void settle(e31 *s, bench_meter *m, uint32_t next)
{
    pred *p;
    if (!s->pend)
        return;
    s->pend = 0;
    if (next != s->pend_pred) {
        s->t += MISPREDICT;
        m->mispredicts++;
    }
    if (next != s->pend_seq)
        m->taken++;
    p = lookup(s, s->pend_pc);
    if (s->pend_flow == F_BRANCH) {
        if (next != s->pend_seq && p->ctr < 3)
            p->ctr++;
        else if (next == s->pend_seq && p->ctr > 0)
            p->ctr--;
    }
    if (next != s->pend_seq) {
        p->target = next;
        p->has_target = 1;
    }
}

static int is_link(int r)
{
    return r == 1 || r == 5;
}

static void predict(e31 *s, const rv *d, uint32_t addr, uint32_t size)
{
    pred *p = lookup(s, addr);
    uint32_t seq = addr + size, pr = seq, ras;
    int popped = 0;

    if (d->flow == F_BRANCH) {
        if (p->has_target && p->ctr >= 2)
            pr = p->target;
    } else {
        if (p->has_target)
            pr = p->target;
        if (d->flow == F_JALR && is_link(d->rs1) && (!is_link(d->rd) || d->rd != d->rs1)) {
            popped = ras_pop(s, &ras);
            if (popped)
                pr = ras;
        }
        if (is_link(d->rd))
            ras_push(s, seq);
    }
    s->pend = 1;
    s->pend_flow = d->flow;
    s->pend_pc = addr;
    s->pend_seq = seq;
    s->pend_pred = pr;
}

static void e31_step(void *st, bench_meter *m, uint32_t addr, const uint8_t *insn, uint32_t size)
{
    e31 *s = st;
    rv d;
    uint64_t issue;
    unsigned lat;

    settle(s, m, addr);
    m->insns++;
    memset(&d, 0, sizeof d);
    d.cls = BC_OTHER;
    d.rd = d.rs1 = d.rs2 = -1;
    if (insn) {
        if (size == 4)
            decode32((uint32_t)insn[0] | (uint32_t)insn[1] << 8 | (uint32_t)insn[2] << 16 |
                         (uint32_t)insn[3] << 24, &d);
        else
            decode16((uint32_t)insn[0] | (uint32_t)insn[1] << 8, &d);
    }
    m->cls[d.cls]++;
    lat = d.lat ? d.lat : 1u;

    issue = s->t;
    if (d.rs1 > 0 && s->ready[d.rs1] > issue)
        issue = s->ready[d.rs1];
    if (d.rs2 > 0 && s->ready[d.rs2] > issue)
        issue = s->ready[d.rs2];
    if (d.muldiv && s->md_free > issue)
        issue = s->md_free;
    if (d.rd > 0 && s->ready[d.rd] > issue + lat - 1)   /* write after write */
        issue = s->ready[d.rd] - (lat - 1);
    s->t = issue + 1;
    if (d.rd > 0)
        s->ready[d.rd] = issue + lat;
    if (d.muldiv)
        s->md_free = issue + lat;
    if (d.flow)
        predict(s, &d, addr, size);
    m->cycles = s->t;
}

static void e31_finish(void *st, bench_meter *m)
{
    e31 *s = st;
    /* the final return goes to the caller: taken, nothing left to check */
    if (s->pend)
        m->taken++;
    s->pend = 0;
    m->cycles = s->t;
}

static const char *const e31_doc[] = {
    "| class | cycles |",
    "|---|---|",
    "| every instruction issues in 1 cycle (single issue, in order, fully bypassed) | 1 |",
    "| result latency LW / LH, LHU, LB, LBU (a dependent instruction waits) | 2 / 3 |",
    "| result latency MUL, MULH, MULHU, MULHSU | 5 |",
    "| result latency DIV, DIVU, REM, REMU (2..33, operand dependent); one multiply/divide at a time | 33 |",
    "| CSR read latency | 3 |",
    "| correctly predicted branch or jump | 0 extra |",
    "| mispredicted branch or jump (BTB, 2-bit BHT, 6-entry RAS; modelled without capacity limits, cold per call) | 3 extra |",
    NULL
};

const bench_model bench_model_e31 = {
    .core = "SiFive E31",
    .source = "SiFive E31 Core Complex Manual, sections Instruction Fetch Unit and Execution Pipeline",
    .doc = e31_doc,
    .create = e31_create,
    .destroy = e31_destroy,
    .reset = e31_reset,
    .step = e31_step,
    .finish = e31_finish,
};
