/*
 * fc_xt_tramp.h - windowed trampolines to call0 routines (sim/, libfcsim;
 * host tools and tests only). The Xtensa runner's routine blob and its
 * upcall (sim/fc_xt.h) are call0 code (xtensa-lx106-elf-gcc cannot make
 * windowed code); esp32 code (windowed ABI) reaches a routine with CALLX8,
 * its arguments in a10.., the callee's a2... So each routine an esp32 run
 * needs is bound to a windowed trampoline of its own, encoded with xt_enc.h
 * into one page that the caller maps at a guest address `base`:
 *
 *   base + 4 * i          literal words: the call0 routines' addresses
 *   base + 32 + 16 * i:   entry a1, 32     window of its own, a2.. = the args
 *                         mov.n a12, a0    keep the windowed return address in
 *                                          a register call0 preserves (and touch
 *                                          a12: any window overflow happens here,
 *                                          not inside the call0 routine)
 *                         l32r a8, lit_i
 *                         callx0 a8        call0: args a2..a5, result a2:a3
 *                         mov.n a0, a12
 *                         retw.n           result in the caller's a10:a11
 *
 * Used by the "esp32" conformance engine (sim/fc_xt_engine.c) and the esp32
 * row of the Xtensa differential layer (sim/fc_xt_diff.c). On an ESP32 the
 * runtime's routines are windowed C and the code calls them directly; the
 * trampolines exist only because the test blob is call0.
 */
#ifndef FC_XT_TRAMP_H
#define FC_XT_TRAMP_H

#include <stdint.h>

/* at most this many trampolines on a page */
#define FC_XT_TRAMP_MAX 8u
#define FC_XT_TRAMP_PAGE 4096u

/* the guest address of trampoline i on a page mapped at base */
uint32_t fc_xt_tramp_addr(uint32_t base, unsigned i);

/* Encode n (<= FC_XT_TRAMP_MAX) trampolines to target[0..n) into pg (len
 * bytes, at least FC_XT_TRAMP_PAGE; zeroed first) for the page at base.
 * 0, or -1 if n is too large or an encoder refused. */
int fc_xt_tramp_page(uint8_t *pg, uint32_t len, uint32_t base, const uint32_t *target, unsigned n);

#endif /* FC_XT_TRAMP_H */
