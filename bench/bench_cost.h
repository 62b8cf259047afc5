/*
 * bench_cost.h - estimated cycle counts from an instruction trace.
 *
 * femto-bench feeds every executed instruction (address, bytes) of a
 * measured call to a cost model, which classifies it by decoding it and
 * charges the cycles its core's manual documents for that class:
 *
 *   bench_model_m3   Cortex-M3: ARM DDI 0337 (Cortex-M3 TRM), table 3.1
 *                    "Cortex-M3 instruction set summary" and section 3.3.2
 *                    "Load/store timings" (bench_cost_m3.c)
 *   bench_model_e31  RV32IMAC: the SiFive E31 core manual, "Instruction Fetch
 *                    Unit" and "Execution Pipeline" (bench_cost_e31.c)
 *
 * The counts are estimates: zero wait-state memory, no interrupts, and where
 * a manual gives a data-dependent range the model charges its upper end.
 * Each model documents its table in `doc` (printed into results.md).
 */
#ifndef BENCH_COST_H
#define BENCH_COST_H

#include <stdint.h>

/* instruction classes, for the mix reported next to the cycle estimate */
enum bench_class {
    BC_ALU = 0,     /* data processing, moves, compares, address forms   */
    BC_MUL,         /* multiplies                                        */
    BC_DIV,         /* divides and remainders                            */
    BC_LOAD,        /* single loads (and load-exclusive)                 */
    BC_STORE,       /* single stores                                     */
    BC_MULTI,       /* LDM/STM/PUSH/POP/LDRD/STRD                        */
    BC_BRANCH,      /* every control transfer instruction, taken or not  */
    BC_OTHER,       /* IT, hints, system                                 */
    BC__COUNT
};
extern const char *const bench_class_name[BC__COUNT];

typedef struct bench_meter {
    uint64_t insns;             /* executed instructions (as Unicorn counts) */
    uint64_t cycles;            /* the estimate                              */
    uint64_t taken;             /* control transfers that changed the flow   */
    uint64_t skipped;           /* Thumb: IT-block instructions whose
                                   condition failed (Unicorn does not report
                                   them; charged 1 cycle, not in insns)      */
    uint64_t mispredicts;       /* E31: mispredicted control transfers       */
    uint64_t cls[BC__COUNT];
} bench_meter;

/* Reads len bytes of the core's memory (for instructions the trace does not
 * report, e.g. skipped IT-block instructions); NULL if unmapped. */
typedef const uint8_t *(*bench_read_fn)(void *ctx, uint32_t addr, uint32_t len);

typedef struct bench_model {
    const char *core;           /* "Cortex-M3"                              */
    const char *source;         /* the manual the table comes from          */
    const char *const *doc;     /* the cost table, Markdown lines, NULL-ended */
    void *(*create)(bench_read_fn rd, void *rd_ctx);
    void (*destroy)(void *st);
    /* a new measured call: pipeline and predictor state back to cold */
    void (*reset)(void *st);
    void (*step)(void *st, bench_meter *m, uint32_t addr, const uint8_t *insn, uint32_t size);
    /* the call returned: settle what the last instruction left open */
    void (*finish)(void *st, bench_meter *m);
} bench_model;

extern const bench_model bench_model_m3, bench_model_e31;

#endif
