/*
 * bench_selftest.c - `femto-bench --selftest`: the cost models against
 * instruction sequences whose cycle counts follow from their manuals:
 *
 *   Cortex-M3 TRM section 3.3.2 gives totals for pipelined load/store pairs
 *   ("LDR R0,[R1]; LDR R1,[R2] - normally three cycles total", ...); the
 *   rest are single rows of table 3.1 with P = 3 and range maxima.
 *   E31: the latencies and the misprediction penalty of its manual.
 *
 * Encodings were produced with the GNU assemblers (arm-none-eabi-as
 * -mcpu=cortex-m3, riscv64-unknown-elf-as -march=rv32imac) and are checked
 * here by decoding, so a decoder bug shows up as a wrong total.
 */
#include <stdio.h>
#include <string.h>

#include "bench_cost.h"

typedef struct step {
    uint32_t addr;
    uint32_t enc;     /* Thumb 32-bit: hw1 << 16 | hw2 */
    uint8_t size;
    uint8_t skipped;  /* in memory, not reported (failed IT condition) */
} step;

typedef struct tcase {
    const char *what;
    const bench_model *model;
    step s[8];
    unsigned n;
    uint64_t cycles, skipped, mispredicts;
} tcase;

#define T16(a, e) { a, e, 2, 0 }
#define T32(a, e) { a, e, 4, 0 }
#define SKIP(a, e) { a, e, 2, 1 }
#define R32(a, e) { a, e, 4, 0 }
#define R16(a, e) { a, e, 2, 0 }

static const tcase cases[] = {
    /* Cortex-M3, section 3.3.2 examples */
    { "LDR R0,[R1]; LDR R1,[R2]", &bench_model_m3, { T16(0, 0x6808), T16(2, 0x6811) }, 2, 3, 0, 0 },
    { "LDR R0,[R1,R2]; STR R0,[R3,#20]", &bench_model_m3, { T16(0, 0x5888), T16(2, 0x6158) }, 2, 3, 0, 0 },
    { "LDR R0,[R1,R2]; STR R1,[R3,R2]", &bench_model_m3, { T16(0, 0x5888), T16(2, 0x5099) }, 2, 3, 0, 0 },
    { "LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R3,#4]", &bench_model_m3,
      { T16(0, 0x5948), T16(2, 0x6811), T16(4, 0x685a) }, 3, 4, 0, 0 },
    /* table 3.1 rows */
    { "UDIV (2..12)", &bench_model_m3, { T32(0, 0xfbb1f0f2) }, 1, 12, 0, 0 },
    { "UMULL (3..5)", &bench_model_m3, { T32(0, 0xfba20103) }, 1, 5, 0, 0 },
    { "SMLAL (4..7)", &bench_model_m3, { T32(0, 0xfbc20103) }, 1, 7, 0, 0 },
    { "MLA", &bench_model_m3, { T32(0, 0xfb013002) }, 1, 2, 0, 0 },
    { "MULS", &bench_model_m3, { T16(0, 0x4348) }, 1, 1, 0, 0 },
    { "PUSH {r4-r7,lr} (1+N)", &bench_model_m3, { T16(0, 0xb5f0) }, 1, 6, 0, 0 },
    { "POP {r4-r7,pc} (1+N+P)", &bench_model_m3, { T16(0, 0xbdf0) }, 1, 9, 0, 0 },
    { "CMP; BEQ taken (1+P); ADDS", &bench_model_m3,
      { T16(0x20, 0x2800), T16(0x22, 0xd006), T16(0x32, 0x3104) }, 3, 6, 0, 0 },
    { "CMP; BEQ not taken (1); ITE", &bench_model_m3,
      { T16(0x20, 0x2800), T16(0x22, 0xd006), T16(0x24, 0xbf14) }, 3, 3, 0, 0 },
    { "ITE NE; MOVNE skipped; MOVEQ", &bench_model_m3,
      { T16(0x24, 0xbf14), SKIP(0x26, 0x2101), T16(0x28, 0x2102) }, 3, 3, 1, 0 },
    { "ITE NE; MOVNE; MOVEQ skipped; ADDS", &bench_model_m3,
      { T16(0x24, 0xbf14), T16(0x26, 0x2101), SKIP(0x28, 0x2102), T16(0x2a, 0x3104) }, 4, 4, 1, 0 },
    { "ADDS R1,#4; LDR R0,[R1] (address stall)", &bench_model_m3,
      { T16(0, 0x3104), T16(2, 0x6808) }, 2, 4, 0, 0 },
    { "ADD.W R1,R1,#4; LDR R0,[R1] (address stall)", &bench_model_m3,
      { T32(0, 0xf1010104), T16(4, 0x6808) }, 2, 4, 0, 0 },
    { "TBB (2+P)", &bench_model_m3, { T32(0, 0xe8dff000) }, 1, 5, 0, 0 },
    { "LDRD", &bench_model_m3, { T32(0, 0xe9d20100) }, 1, 3, 0, 0 },
    { "BX LR", &bench_model_m3, { T16(0, 0x4770) }, 1, 4, 0, 0 },
    { "MOV PC, LR", &bench_model_m3, { T16(0, 0x46f7) }, 1, 4, 0, 0 },
    { "CBZ taken; MOVS", &bench_model_m3, { T16(0x3a, 0xb110), T16(0x42, 0x2000) }, 2, 5, 0, 0 },

    /* E31 */
    { "LW; dependent ADDI (latency 2)", &bench_model_e31,
      { R32(0, 0x0005a503), R32(4, 0x00150513) }, 2, 3, 0, 0 },
    { "LBU; dependent ADDI (latency 3)", &bench_model_e31,
      { R32(0, 0x0005c503), R32(4, 0x00150513) }, 2, 4, 0, 0 },
    { "MUL; dependent ADD (latency 5)", &bench_model_e31,
      { R32(0, 0x02c58533), R32(4, 0x00a506b3) }, 2, 6, 0, 0 },
    { "DIVU; ADDI; dependent ADD (latency 33)", &bench_model_e31,
      { R32(0, 0x02c5d533), R32(4, 0x00168693), R32(8, 0x00a50733) }, 3, 34, 0, 0 },
    { "LW; independent ADDI; dependent ADDI", &bench_model_e31,
      { R32(0, 0x0005a503), R32(4, 0x00160613), R32(8, 0x00150513) }, 3, 3, 0, 0 },
    { "BEQ taken, cold predictor (+3)", &bench_model_e31,
      { R32(0x24, 0x00a50863), R16(0x34, 0x0505) }, 2, 5, 0, 1 },
    { "BNE not taken, cold predictor", &bench_model_e31,
      { R32(0x28, 0x00a51863), R32(0x2c, 0x00160613) }, 2, 2, 0, 0 },
    { "loop of 3: taken (miss), taken (hit), not taken (miss)", &bench_model_e31,
      { R32(0, 0x00160613), R32(4, 0xfeb51ee3), R32(0, 0x00160613), R32(4, 0xfeb51ee3),
        R32(0, 0x00160613), R32(4, 0xfeb51ee3), R32(8, 0x00160613) }, 7, 13, 0, 2 },
    { "JAL (cold BTB, +3); C.ADDI; RET (return-address stack)", &bench_model_e31,
      { R32(0x2c, 0x100000ef), R16(0x12c, 0x0505), R32(0x12e, 0x00008067), R32(0x30, 0x00160613) },
      4, 7, 0, 1 },
    { "C.LW; dependent C.ADDI", &bench_model_e31, { R16(0, 0x4188), R16(2, 0x0505) }, 2, 3, 0, 0 },
    { "LW; C.MV from it; C.ADD", &bench_model_e31,
      { R32(0, 0x0005a503), R16(4, 0x85aa), R16(6, 0x95aa) }, 3, 4, 0, 0 },
};

/* the memory the sequence lives in, for the model's reads */
typedef struct mem {
    uint8_t b[0x200];
} mem;

static const uint8_t *mem_read(void *ctx, uint32_t addr, uint32_t len)
{
    mem *m = ctx;
    return addr < sizeof m->b && len <= sizeof m->b - addr ? m->b + addr : NULL;
}

static void put(uint8_t *p, const step *s, int thumb)
{
    if (s->size == 2) {
        p[0] = (uint8_t)s->enc;
        p[1] = (uint8_t)(s->enc >> 8);
    } else if (thumb) {        /* two halfwords, first one first */
        p[0] = (uint8_t)(s->enc >> 16);
        p[1] = (uint8_t)(s->enc >> 24);
        p[2] = (uint8_t)s->enc;
        p[3] = (uint8_t)(s->enc >> 8);
    } else {
        for (int k = 0; k < 4; k++)
            p[k] = (uint8_t)(s->enc >> (8 * k));
    }
}

int bench_selftest(FILE *out)
{
    unsigned pass = 0, fail = 0;
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const tcase *c = &cases[k];
        int thumb = c->model == &bench_model_m3;
        mem m;
        bench_meter me;
        memset(&m, 0, sizeof m);
        memset(&me, 0, sizeof me);
        for (unsigned i = 0; i < c->n; i++)
            put(m.b + c->s[i].addr, &c->s[i], thumb);
        void *st = c->model->create(mem_read, &m);
        c->model->reset(st);
        for (unsigned i = 0; i < c->n; i++)
            if (!c->s[i].skipped)
                c->model->step(st, &me, c->s[i].addr, m.b + c->s[i].addr, c->s[i].size);
        c->model->finish(st, &me);
        c->model->destroy(st);
        if (me.cycles == c->cycles && me.skipped == c->skipped && me.mispredicts == c->mispredicts) {
            pass++;
        } else {
            fail++;
            fprintf(out, "FAIL %s: %s: %llu cycles (want %llu), %llu skipped (want %llu), "
                         "%llu mispredicted (want %llu)\n", c->model->core, c->what,
                    (unsigned long long)me.cycles, (unsigned long long)c->cycles,
                    (unsigned long long)me.skipped, (unsigned long long)c->skipped,
                    (unsigned long long)me.mispredicts, (unsigned long long)c->mispredicts);
        }
    }
    fprintf(out, "cost-model self-test: %u passed, %u failed\n", pass, fail);
    return fail ? 1 : 0;
}
