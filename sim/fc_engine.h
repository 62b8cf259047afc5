/*
 * fc_engine.h - the engines the conformance runner and the conformance
 * plugin can drive: one entry per engine, each a function from
 * (program, input memory) to (r0 or an error, memory after the run).
 *
 * "interp" (runtime/fc_vm.c), and "thumbv7m" / "rv32imac": the backend's
 * code in the simulator (sim/fc_emu.h). A backend joins by adding one row
 * to fc_engines[] in fc_engine.c.
 */
#ifndef FC_ENGINE_H
#define FC_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "fc_isa.h"

typedef struct fc_engine_result {
    int err;            /* enum fc_err; FC_OK when the program exited */
    uint64_t r0;        /* valid when err == FC_OK */
    uint32_t err_pc;    /* slot of the failure */
    uint64_t err_addr;  /* faulting guest address (memory errors) */
    char msg[200];      /* "memory read out of bounds at pc 3 (address 0x...)" */
} fc_engine_result;

typedef struct fc_engine {
    const char *name;
    const char *desc;
    /*
     * Run insns[0..n). mem[0..mem_len) is the read-write context: r1 = its
     * guest address (0 when mem_len == 0), r2 = mem_len. The engine updates
     * mem in place (the memory after the run). Helpers: the conformance
     * suite's (fc_conf_helpers). Returns res->err.
     */
    int (*run)(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
               fc_engine_result *res);
} fc_engine;

extern const fc_engine fc_engines[];
extern const size_t fc_engines_count;

/* NULL if no engine has that name. */
const fc_engine *fc_engine_find(const char *name);

/*
 * Load-time validation shared by every engine: each instruction passes
 * fc_insn_check (lddw with its second slot). Returns -1 when all are valid,
 * else the index of the first bad slot with a message in msg.
 */
long fc_engine_check(const fc_insn *insns, size_t n, char *msg, size_t size);

/*
 * Check, then run, one program: the common path of the runner and the
 * plugin. A program refused by fc_engine_check gives FC_ERR_BAD_INSN with
 * the check's message.
 */
int fc_engine_exec(const fc_engine *e, const fc_insn *insns, size_t n,
                   uint8_t *mem, size_t mem_len, fc_engine_result *res);

/* The native engines' run functions (rows of fc_engines[]). */
int fc_engine_thumbv7m_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res);
int fc_engine_rv32imac_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                           fc_engine_result *res);
/* lx106: the lx106 backend in qemu-xtensa (sim/fc_xt_engine.c) */
int fc_engine_lx106_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                        fc_engine_result *res);
/* esp32: the esp32 backend (windowed ABI, DIV32) in qemu-xtensa -cpu dc233c */
int fc_engine_esp32_run(const fc_insn *insns, size_t n, uint8_t *mem, size_t mem_len,
                        fc_engine_result *res);

#endif /* FC_ENGINE_H */
