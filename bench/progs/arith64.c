/* 64-bit arithmetic: an xorshift64 generator seeded from the context, 64-bit
 * multiplies, and unsigned 64-bit divisions and remainders by divisors of
 * 24 to 40 bits (the case a 32-bit core needs a library routine for). */
#include "bench_prog.h"

#define ROUNDS 64u

BENCH_ENTRY(arith64)
{
    u64 x = 0x9e3779b97f4a7c15u, acc = 0;

    for (u32 i = 0; i + 8u <= (u32)len; i += 8u)
        x ^= *(const u64 *)(ctx + i);
    x |= 1u;
    for (u32 r = 0; r < ROUNDS; r++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        u64 m = x * 0xd1342543de82ef95u;
        u64 d = (x >> (24u + (r & 15u))) | 1u;
        acc += m / d;
        acc ^= m % (d + 7u);
        acc = acc * 5u + (acc >> 31);
    }
    return acc;
}
