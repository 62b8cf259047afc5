/*
 * fc_div32.c - 32-bit division in software (fc_div32.h). Freestanding C99:
 * no division operator anywhere (it would call the very routines this file
 * provides on lx106).
 *
 * On lx106 (Xtensa, call0 ABI) also libgcc's missing __udivsi3, __umodsi3,
 * __divsi3, __modsi3, __muldi3 and __umulsidi3 (fc_div32.h).
 *
 * Unsigned core: shift-subtract, one quotient bit per step, only as many
 * steps as the quotient has bits: the divisor is first shifted left until
 * its top bit lines up with the dividend's, so n < 2 * d at every step and
 * each step decides one bit (restoring division, Hacker's Delight 9-1).
 */
#include "fc_div32.h"

/* leading zeros of a non-zero word (binary search: no NSA or CLZ needed) */
static unsigned nlz(uint32_t x)
{
    unsigned n = 0;
    if (x <= 0x0000ffffu) { n += 16; x <<= 16; }
    if (x <= 0x00ffffffu) { n += 8; x <<= 8; }
    if (x <= 0x0fffffffu) { n += 4; x <<= 4; }
    if (x <= 0x3fffffffu) { n += 2; x <<= 2; }
    if (x <= 0x7fffffffu) { n += 1; }
    return n;
}

/* q = n / d, *r = n % d, d != 0 */
static uint32_t udivmod(uint32_t n, uint32_t d, uint32_t *r)
{
    uint32_t q = 0, dd;
    unsigned s, i;
    if (n < d) {
        *r = n;
        return 0;
    }
    s = nlz(d) - nlz(n);            /* n >= d: 0..31 */
    dd = d << s;
    for (i = 0; i <= s; i++) {
        q <<= 1;
        if (n >= dd) {
            n -= dd;
            q |= 1u;
        }
        dd >>= 1;
    }
    *r = n;
    return q;
}

uint32_t fc_udiv32(uint32_t a, uint32_t b)
{
    uint32_t r;
    return b ? udivmod(a, b, &r) : 0u;
}

uint32_t fc_umod32(uint32_t a, uint32_t b)
{
    uint32_t r;
    if (!b)
        return a;
    udivmod(a, b, &r);
    return r;
}

/* on the magnitudes: 2^31 / 1 negates to itself, so INT32_MIN / -1 =
 * INT32_MIN without overflow; the conversions back are modular */
static uint32_t mag(int32_t v) { return v < 0 ? 0u - (uint32_t)v : (uint32_t)v; }

static int32_t to_s32(uint32_t u)
{
    return u <= 0x7fffffffu ? (int32_t)u : (int32_t)(u - 0x80000000u) - 0x7fffffff - 1;
}

int32_t fc_sdiv32(int32_t a, int32_t b)
{
    uint32_t r, q;
    if (!b)
        return 0;
    q = udivmod(mag(a), mag(b), &r);
    return to_s32((a < 0) != (b < 0) ? 0u - q : q);
}

int32_t fc_smod32(int32_t a, int32_t b)
{
    uint32_t r;
    if (!b)
        return a;
    udivmod(mag(a), mag(b), &r);
    return to_s32(a < 0 ? 0u - r : r);
}

#if defined(__XTENSA__) && defined(__XTENSA_CALL0_ABI__)
/* 32 x 32 -> 64 from 16-bit halves (lx106 has MULL, the low word, but not
 * MULUH): no 64-bit multiplication in C here, it would call __muldi3 */
static uint64_t umul32x32(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xffffu, ah = a >> 16, bl = b & 0xffffu, bh = b >> 16;
    uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint32_t mid = (ll >> 16) + (lh & 0xffffu) + (hl & 0xffffu);
    uint32_t lo = (ll & 0xffffu) | mid << 16;
    uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
    return (uint64_t)hi << 32 | lo;
}

/* libgcc's names (C semantics: a zero divisor is undefined behaviour, here
 * the eBPF results); __muldi3 and __umulsidi3 are missing from Debian's
 * lx106 libgcc as well (runtime/fc_native_rt.c's 64-bit division needs
 * __muldi3) */
uint64_t __umulsidi3(uint32_t a, uint32_t b);
uint64_t __muldi3(uint64_t a, uint64_t b);
uint64_t __umulsidi3(uint32_t a, uint32_t b) { return umul32x32(a, b); }
uint64_t __muldi3(uint64_t a, uint64_t b)
{
    uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32), bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
    return umul32x32(al, bl) + ((uint64_t)(al * bh + ah * bl) << 32);
}

uint32_t __udivsi3(uint32_t a, uint32_t b);
uint32_t __umodsi3(uint32_t a, uint32_t b);
int32_t __divsi3(int32_t a, int32_t b);
int32_t __modsi3(int32_t a, int32_t b);
uint32_t __udivsi3(uint32_t a, uint32_t b) { return fc_udiv32(a, b); }
uint32_t __umodsi3(uint32_t a, uint32_t b) { return fc_umod32(a, b); }
int32_t __divsi3(int32_t a, int32_t b) { return fc_sdiv32(a, b); }
int32_t __modsi3(int32_t a, int32_t b) { return fc_smod32(a, b); }
#endif
