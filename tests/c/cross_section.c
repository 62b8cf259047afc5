/* two program sections (--entry picks one) and a helper function in a
 * third code section: calls across sections in both directions of the
 * object layout */
#include "fcprog.h"
// entry: prog_main

FC_SECTION("lib/math") NOINLINE u64 isqrt(u64 v)
{
    u64 r = 0, bit = 1ull << 62;

    while (bit > v)
        bit >>= 2;
    while (bit) {
        if (v >= r + bit) {
            v -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

FC_SECTION("hook/other") u64 other_hook(const u8 *ctx, u64 len)
{
    return isqrt(ctx[0] + len);
}

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u64 acc = 0;
    for (u32 i = 0; i + 4 <= len && i < 64; i += 4) {
        u64 w = ctx[i] | (u64)ctx[i + 1] << 8 | (u64)ctx[i + 2] << 16 | (u64)ctx[i + 3] << 24;
        acc += isqrt(w * w + i);
    }
    return acc;
}
