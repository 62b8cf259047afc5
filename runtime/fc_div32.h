/*
 * fc_div32.h - 32-bit division in software, for cores without a divide
 * instruction (Xtensa lx106, the ESP8266's: no DIV32 option).
 *
 * fc_udiv32 .. fc_smod32 have eBPF's semantics (RFC 9669 section 4.1), so
 * native code for BPF_DIV / BPF_MOD (32-bit ALU) calls them directly:
 * division by zero gives 0, modulo by zero leaves the dividend,
 * INT32_MIN / -1 = INT32_MIN and INT32_MIN % -1 = 0 (no trap, no UB).
 * Signed modulo takes the sign of the dividend (C's truncating division).
 *
 * Built for Xtensa with the call0 ABI (lx106), the file also defines
 * libgcc's __udivsi3, __umodsi3, __divsi3 and __modsi3, which Debian's
 * lx106 libgcc leaves undefined (the ESP8266 ROM has them), and __muldi3 /
 * __umulsidi3, also missing there, so that the runtime's own C divisions
 * and 64-bit multiplications (runtime/fc_native_rt.c's 64-bit division
 * routines) link.
 */
#ifndef FC_DIV32_H
#define FC_DIV32_H

#include <stdint.h>

uint32_t fc_udiv32(uint32_t a, uint32_t b);
uint32_t fc_umod32(uint32_t a, uint32_t b);
int32_t fc_sdiv32(int32_t a, int32_t b);
int32_t fc_smod32(int32_t a, int32_t b);

#endif /* FC_DIV32_H */
