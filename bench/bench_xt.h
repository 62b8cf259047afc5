/*
 * bench_xt.h - femto-bench on the Xtensa cores: the benchmark programs in
 * qemu-xtensa through the Xtensa runner (sim/fc_xt.h), on two engines of
 * sim/fc_xt_diff.h: "lx106" (ESP8266: -cpu lx106, femtoc -march=lx106) and
 * "esp32" (-cpu dc233c, the core with windowed registers, MUL32 and DIV32,
 * femtoc -march=esp32; no QEMU core is an ESP32's LX6);
 * executed instructions counted exactly by the runner (fc_xt_count: QEMU's
 * -d in_asm,exec,nochain logs; Debian's QEMU has no TCG plugins), the
 * monitor's own instructions left out.
 *
 * Engines (each checked against the host-compiled program's r0):
 *   native     xtensa-lx106-elf-gcc -O2 of the same C source, called directly
 *              (call0 code, no DIV32: on the esp32 engine the same binary on
 *              dc233c, the native baseline on that core; Debian has no
 *              windowed-ABI gcc)
 *   femtoc     femtoc's lx106 / esp32 code alone (the backend with the verifier's
 *              facts, context size declared as the input length), entry to
 *              return, on the machine of sim/fc_xt_diff.h (its env prepared
 *              by the host, as "femtoc code alone" on the other cores)
 *   checked    the same with FC_BK_CHECK_ALL
 *   interp     runtime/fc_vm.c for lx106 at -O2 (bench/dev/bench_xt.c; the
 *              same call0 build on dc233c for the esp32 engine):
 *              fc_vm_init, the regions, fc_vm_run (no fc_run: the loader
 *              does not place lx106 code yet, so there is no AOT-through-
 *              fc_run column on lx106)
 * ROM per part: `size` of the runtime objects as runtime-cross builds them
 * for lx106 (-Os -mlongcalls).
 */
#ifndef BENCH_XT_H
#define BENCH_XT_H

#include <stdint.h>
#include <stdio.h>

#include "femto_bench.h"

enum { XT_NATIVE = 0, XT_FEMTOC, XT_CHECKED, XT_INTERP, XT__COUNT };

typedef struct bench_xt_prog {
    const char *name;
    uint32_t in_len;
    uint64_t r0;
    uint64_t insns[XT__COUNT];
    uint32_t native_bytes, code_bytes[2], ebpf_insns;
} bench_xt_prog;

/* the engines measured, in report order */
#define BENCH_XT_ENGINES 2
extern const char *const bench_xt_engine_name[BENCH_XT_ENGINES];

typedef struct bench_xt_res {
    const char *engine;   /* "lx106" or "esp32" (bench_xt_open) */
    int available;
    char why[200];
    bench_xt_prog prog[BENCH_MAX_PROGS];
    unsigned nprog;
    bench_size_row size_os[BENCH_MAX_SIZES];
    unsigned nsize_os;
    unsigned qemu_starts;
} bench_xt_res;

typedef struct bench_xt bench_xt;

/* Open the machine of engine (a bench_xt_engine_name; dir: the bench build
 * directory with lx106/bench.bin, .nm and size-Os.txt). res->engine is set
 * even on failure. NULL with a message. */
bench_xt *bench_xt_open(const char *dir, const char *engine, bench_xt_res *res, char *err, size_t errlen);
void bench_xt_close(bench_xt *b);

/* One program: its eBPF object, the input and the expected r0. 0, or -1
 * with a message (a wrong r0 included). */
int bench_xt_prog_run(bench_xt *b, const char *dir, const char *mcpu, const char *name,
                      const uint8_t *input, uint32_t in_len, uint64_t r0, char *err, size_t errlen);

void bench_xt_write_md(FILE *f, const bench_xt_res *r);
void bench_xt_write_json(FILE *f, const bench_xt_res *r);
void bench_xt_print_summary(FILE *f, const bench_xt_res *r);

#endif
