/* loops over the context and over a stack array; a struct on the stack */
#include "fcprog.h"

struct acc {
    u32 sum;
    u32 xor;
    u16 hist[16];
};

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    struct acc a = {0, 0, {0}};
    u32 i;

    for (i = 0; i < 64 && i < len; i++) {
        a.sum += ctx[i];
        a.xor ^= (u32)ctx[i] << (i & 7);
        a.hist[ctx[i] & 15]++;
    }
    u64 r = ((u64)a.sum << 32) | a.xor;
    for (i = 0; i < 16; i++)
        r = r * 31 + a.hist[i];
    return r;
}
