/*
 * fc_xt_diff.h - differential runs on the Xtensa cores (sim/, libfcsim; host
 * tools and tests only): fc_emu_diff's contract (sim/fc_emu.h: the same
 * fc_emu_case in, the same fc_emu_outcome out, the same comparisons) for the
 * Xtensa backends, whose code runs in qemu-xtensa through the runner
 * (sim/fc_xt.h), one QEMU process per fc_xtd for as many cases as the caller
 * runs (restarted by the runner after a fault).
 *
 * The engines are rows of fc_xtd_engines[] (sim/fc_xt_diff.c): a name, the
 * QEMU core, the call ABI, the backend and the routine blob it is relocated
 * against: lx106 (call0, -cpu lx106) and esp32 (windowed, -cpu dc233c, the
 * same call0 blob through trampolines). A next Xtensa engine is one row.
 *
 * The machine (guest addresses; pointers a program sees are these):
 *
 *   0x00100000  the engine's routine blob (64-bit division...)
 *   0x00180000  windowed engines (esp32): one page of trampolines
 *               (fc_xt_tramp.h), FC_SYM_HELPER..FC_SYM_SMOD64 in order, each
 *               ENTRY, CALLX0 of the call0 routine (the upcall, the blob's),
 *               RETW.N: the symbols resolve to these
 *   0x00200000  the code (256 KiB)
 *   0x00300000  one block, written before and read back after every run:
 *     +0x00000  env (struct fc_native_env), the rest of the page a pattern
 *     +0x01000  eBPF stack, FC_MAX_CALL_DEPTH frames of 512 bytes
 *     +0x02000  context  }
 *     +0x06000  .rodata  }  16 KiB each: the region's bytes from the start,
 *     +0x0a000  .data    }  the rest the fill pattern 0xa5
 *     +0x0e000  .bss     }
 *   FC_SYM_HELPER is the runner's upcall (fc_xt_upcall_addr): a helper call
 *   stops the guest, the host reads the block back, runs the helper
 *   (fc_native_helper_vm on the host VM of the run) and writes the block
 *   again before the guest goes on.
 *
 * Unlike Unicorn's exact map, QEMU user mode has no access hook: an access
 * outside the block, the code and the blob kills QEMU (SIGSEGV: a failure
 * of the run, "machine fault"); one inside the block but outside every
 * region is not stopped. A stray write there is still found: the whole
 * block (but the env page) is compared with the interpreter's, pattern
 * included. A stray read gives the native run data the interpreter refuses
 * (its run ends with a memory error), so the outcomes differ.
 */
#ifndef FC_XT_DIFF_H
#define FC_XT_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "fc_emu.h"
#include "fc_xt.h"

typedef struct fc_xtd_engine {
    const char *name;                /* "lx106", "esp32" */
    enum fc_xt_core core;
    enum fc_xt_abi abi;              /* how the runner calls the code; a
                                        windowed engine reaches the (call0)
                                        routines through trampolines */
    const fc_backend *backend;
    const uint8_t *rt;               /* the routine blob, linked at 0x00100000 */
    const uint32_t *rt_len;
    const uint32_t *const *rt_sym;   /* FC_SYM__COUNT entries: the blob's symbol
                                        (an address), or NULL (HELPER and the
                                        sections are the machine's) */
} fc_xtd_engine;

extern const fc_xtd_engine fc_xtd_engines[];
extern const size_t fc_xtd_engines_count;
/* NULL when no row has that name */
const fc_xtd_engine *fc_xtd_find(const char *name);

typedef struct fc_xtd fc_xtd;

/* Start QEMU for the engine and map the machine. NULL with a message. */
fc_xtd *fc_xtd_open(const fc_xtd_engine *eng, char *err, size_t errlen);
void fc_xtd_close(fc_xtd *d);
const fc_xtd_engine *fc_xtd_engine_of(const fc_xtd *d);
/* the runner (for its counters and time limit) */
fc_xt *fc_xtd_runner(fc_xtd *d);

/* Count executed instructions of the native runs from now on (the runner's
 * exec trace: exact, slow) or stop counting; fc_emu_outcome.insns. */
int fc_xtd_count(fc_xtd *d, int on);

/*
 * fc_emu_diff for this engine: case c through the interpreter (regions at
 * the machine's guest addresses, on host copies) and through the engine's
 * backend (c->info, c->bk_flags; c->backend must be NULL or the engine's) in
 * QEMU; compares r0, error, error slot, fault address, budget left, and the
 * block's bytes (context, sections, stack - a zero against the pattern in the
 * stack is no difference, as in fc_emu_diff - and the pattern around them).
 * 0 agree, 1 differ, -1 could not run (compile failure, a region too large
 * for the block...); msg says how.
 */
int fc_xtd_diff(fc_xtd *d, const fc_emu_case *c, fc_emu_outcome *interp, fc_emu_outcome *native,
                char *msg, size_t msglen);

#endif /* FC_XT_DIFF_H */
