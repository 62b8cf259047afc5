/* Fletcher-32 over the context (the Femto-Containers benchmark kernel) */
#include "fcprog.h"

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u32 c0 = 0, c1 = 0;
    u64 words = len / 2;
    const u8 *p = ctx;

    while (words) {
        u64 block = words > 359 ? 359 : words;
        words -= block;
        do {
            c0 += (u32)(p[0] | p[1] << 8);
            c1 += c0;
            p += 2;
        } while (--block);
        c0 %= 65535;
        c1 %= 65535;
    }
    return (u64)c1 << 16 | c0;
}
