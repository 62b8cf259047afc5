/*
 * femto_bench.h - what femto-bench measures (femto_bench.c) and reports
 * (bench_report.c).
 */
#ifndef FEMTO_BENCH_H
#define FEMTO_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include "bench_cost.h"

/* engines, in table order */
enum bench_engine {
    ENG_NATIVE = 0,      /* gcc -O2 for the target, called directly            */
    ENG_AOT,             /* femtoc AOT code, through fc_run                     */
    ENG_CHECKED,         /* femtoc AOT with every access bounds-checked         */
    ENG_INTERP,          /* the interpreter (runtime/fc_vm.c), through fc_run   */
    ENG_CODE,            /* femtoc AOT code alone, entry to return (fc_emu_run) */
    ENG__COUNT
};
extern const char *const bench_engine_key[ENG__COUNT];
extern const char *const bench_engine_title[ENG__COUNT];

/* installs: the femtoc containers and a bytecode-only one */
enum bench_install { INST_AOT = 0, INST_CHECKED, INST_INTERP, INST__COUNT };
extern const char *const bench_install_key[INST__COUNT];

#define BENCH_MAX_PROGS 16u
#define BENCH_MAX_BUCKETS 16u
#define BENCH_MAX_SIZES 16u

typedef struct bench_measure {
    int done;
    uint64_t r0;
    bench_meter m;
    uint64_t bucket[BENCH_MAX_BUCKETS];   /* instructions per firmware part */
} bench_measure;

typedef struct bench_install_res {
    bench_measure m;
    bench_measure first;   /* the first fc_run after the install (it builds the
                              run template); eng[] holds the second, the
                              steady per-run cost */
    uint32_t fcx_bytes, slot_bytes, nrelocs;
    uint32_t ram_data, ram_bss, ram_rodata, ram_stack, ram_env, ram_app, ram_total;
    uint32_t ram_tmpl;     /* fc_run's run template (VM, + native env for femtoc) */
} bench_install_res;

typedef struct bench_prog_res {
    const char *name, *what;
    uint32_t in_len;
    uint64_t r0;                           /* the host's result: every engine's */
    bench_measure eng[ENG__COUNT];
    bench_install_res inst[INST__COUNT];
    uint32_t native_bytes;                 /* .text of the gcc-compiled program */
    uint32_t code_bytes[2];                /* femtoc code: AOT, all checks      */
    uint32_t checks[2];                    /* accesses with a run-time check    */
    uint32_t accesses;                     /* memory accesses in the program    */
    uint32_t ebpf_insns;                   /* bytecode slots (8 bytes each)     */
    uint32_t frames;
} bench_prog_res;

typedef struct bench_size_row {
    char obj[32];
    uint32_t text, data, bss;
} bench_size_row;

/* Ed25519 verification (runtime/fc_ed25519.c) of the RFC 8032 TEST 1024
 * message, once as the firmware has it (-O2) and once as runtime-cross
 * ships it (-Os) */
enum bench_ed_build { ED_O2 = 0, ED_OS, ED__COUNT };
typedef struct bench_ed_res {
    int done;
    bench_measure ok;                      /* the valid signature             */
    bench_measure bad;                     /* one message bit flipped         */
    uint32_t stack;                        /* machine stack of the call, bytes */
} bench_ed_res;

typedef struct bench_target_res {
    const char *key;                       /* "cm3"                             */
    const char *title;                     /* "Cortex-M3"                       */
    const char *march;                     /* femtoc -march / backend name      */
    const char *native_cc;                 /* how the native twins were built   */
    int available;
    char why[200];                         /* when not available                */
    const bench_model *model;
    char bucket[BENCH_MAX_BUCKETS][24];    /* names of the buckets              */
    unsigned nbuckets;
    bench_prog_res prog[BENCH_MAX_PROGS];
    unsigned nprog;
    bench_size_row size_os[BENCH_MAX_SIZES], size_o2[BENCH_MAX_SIZES];
    unsigned nsize_os, nsize_o2;
    /* -Os objects of the runtime build options: -DFC_NO_INTERP, -DFC_NO_NATIVE */
    bench_size_row size_nointerp[BENCH_MAX_SIZES], size_nonative[BENCH_MAX_SIZES];
    unsigned nsize_nointerp, nsize_nonative;
    uint32_t sizeof_app;
    bench_ed_res ed[ED__COUNT];
    uint32_t ed_msg_len;
} bench_target_res;

struct bench_xt_res;
typedef struct bench_report {
    const char *ebpf_cc;                   /* how the bytecode was built        */
    bench_target_res *t;
    unsigned nt;
    const struct bench_xt_res *xt[2];      /* lx106, esp32 (bench_xt.h: BENCH_XT_ENGINES),
                                              NULL: not run */
} bench_report;

/* ratio helpers */
double bench_ratio(uint64_t x, uint64_t native);
/* geometric mean of eng/native over the programs (the empty program left
 * out); what: 0 instructions, 1 cycles, 2 code bytes. 0 when nothing. */
double bench_geomean(const bench_target_res *t, unsigned eng, int what);

void bench_write_md(FILE *f, const bench_report *r);
void bench_write_json(FILE *f, const bench_report *r);
/* gnuplot data + script for the slowdown plot: prefix.dat, prefix.gp
 * (which writes prefix.png). 0 or -1. */
int bench_write_plot(const char *prefix, const bench_report *r);
/* bench_selftest.c: the cost models on sequences with documented totals;
 * prints a count line, returns 0 when all pass */
int bench_selftest(FILE *out);

/* `size` output (text data bss dec hex file) into rows. 0, or -1 with a message. */
int bench_read_sizes(const char *path, bench_size_row *rows, unsigned *n, char *err, size_t errlen);

/* the short per-target summary printed on stdout */
void bench_print_summary(FILE *f, const bench_target_res *t);

#endif
