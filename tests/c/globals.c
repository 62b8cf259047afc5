/* .data and .bss globals: counters that persist between runs, a bss array */
#include "fcprog.h"

u32 runs = 7;          /* .data */
u64 last_sum;          /* .bss */
u8 seen[32];           /* .bss */
static s32 bias = -3;  /* .data, static */

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u64 s = 0;

    runs++;
    for (u32 i = 0; i < len && i < 64; i++) {
        seen[ctx[i] & 31] = 1;
        s += ctx[i] * (i + 1);
    }
    u32 distinct = 0;
    for (u32 i = 0; i < 32; i++)
        distinct += seen[i];
    u64 prev = last_sum;
    last_sum = s;
    bias += 2;
    return (prev << 20) ^ (s << 8) ^ ((u64)runs << 40) ^ distinct ^ (u64)(s64)bias;
}
