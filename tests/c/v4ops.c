/* clang-19 -mcpu=v4 only: signed division and modulo, sign-extending loads,
 * byte swaps, 32-bit signed arithmetic */
#include "fcprog.h"
// compilers: v4

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    const s8 *sb = (const s8 *)ctx;
    s64 acc = (s64)len;

    for (int i = 0; i < 16; i++) {
        s32 a = sb[i];
        s32 b = sb[i + 16] | 1;
        acc += a / b + a % b;
        acc ^= (s64)(s16)(ctx[i] << 8 | ctx[i + 1]);
    }
    u32 w = ctx[40] | (u32)ctx[41] << 8 | (u32)ctx[42] << 16 | (u32)ctx[43] << 24;
    acc += __builtin_bswap32(w);
    acc += (s64)__builtin_bswap64((u64)acc) / 3;
    return (u64)acc;
}
