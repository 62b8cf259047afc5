/* Fletcher-32 over the context, as 16-bit little-endian words: the kernel of
 * the Femto-Containers paper (360 bytes there and here). Sums start at
 * 0xffff and are folded (end-around carry) every 359 words, the most that
 * cannot overflow 32 bits. */
#include "bench_prog.h"

BENCH_ENTRY(fletcher32)
{
    const u16 *w = (const u16 *)ctx;
    u32 words = (u32)len / 2u;
    u32 s1 = 0xffffu, s2 = 0xffffu;

    while (words) {
        u32 n = words > 359u ? 359u : words;
        words -= n;
        do {
            s1 += *w++;
            s2 += s1;
        } while (--n);
        s1 = (s1 & 0xffffu) + (s1 >> 16);
        s2 = (s2 & 0xffffu) + (s2 >> 16);
    }
    s1 = (s1 & 0xffffu) + (s1 >> 16);
    s2 = (s2 & 0xffffu) + (s2 >> 16);
    return (u64)(s2 << 16 | s1);
}
