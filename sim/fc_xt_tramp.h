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
 * Used by the "esp32" conformance engine (sim/fc_xt_engine.c), the esp32
 * row of the Xtensa differential layer (sim/fc_xt_diff.c) and femto-run's
 * esp32 device (sim/fr_device.c), each with the page at FC_XT_TRAMP_BASE
 * (fc_xt_tramp_install) and the five routine symbols FC_SYM_HELPER..
 * FC_SYM_SMOD64 bound to it (fc_xt_tramp_sym). On an ESP32 the
 * runtime's routines are windowed C and the code calls them directly; the
 * trampolines exist only because the test blob is call0.
 */
#ifndef FC_XT_TRAMP_H
#define FC_XT_TRAMP_H

#include <stdint.h>

#include "fc_xt.h"

/* at most this many trampolines on a page */
#define FC_XT_TRAMP_MAX 8u
#define FC_XT_TRAMP_PAGE 4096u
/* the page's guest address in the Xtensa machines of sim/ (between the
 * routine blob at 0x00100000 and the code at 0x00200000), and the routines
 * it serves: FC_SYM_HELPER..FC_SYM_SMOD64, in that order */
#define FC_XT_TRAMP_BASE 0x00180000u
#define FC_XT_TRAMP_NSYM 5u

/* the guest address of trampoline i on a page mapped at base */
uint32_t fc_xt_tramp_addr(uint32_t base, unsigned i);

/* Encode n (<= FC_XT_TRAMP_MAX) trampolines to target[0..n) into pg (len
 * bytes, at least FC_XT_TRAMP_PAGE; zeroed first) for the page at base.
 * 0, or -1 if n is too large or an encoder refused. */
int fc_xt_tramp_page(uint8_t *pg, uint32_t len, uint32_t base, const uint32_t *target, unsigned n);

/* Map the page at FC_XT_TRAMP_BASE in x (read, write, execute) and fill
 * it with trampolines to target[0..FC_XT_TRAMP_NSYM): the call0 addresses
 * of FC_SYM_HELPER, FC_SYM_UDIV64, FC_SYM_SDIV64, FC_SYM_UMOD64,
 * FC_SYM_SMOD64. 0, or -1 (an encoder refused, the map or write failed). */
int fc_xt_tramp_install(fc_xt *x, const uint32_t target[FC_XT_TRAMP_NSYM]);

/* The trampoline on that page of routine symbol sym (enum fc_sym), or 0
 * if sym is not one of the five. */
uint32_t fc_xt_tramp_sym(unsigned sym);

#endif /* FC_XT_TRAMP_H */
