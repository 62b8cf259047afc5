/* bit manipulation: popcount, rotates, 64-bit multiply-high emulation,
 * 32-bit wrap-around */
#include "fcprog.h"

static NOINLINE u32 popc(u64 x)
{
    u32 n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

static NOINLINE u64 mulhi(u64 a, u64 b)
{
    u64 al = (u32)a, ah = a >> 32, bl = (u32)b, bh = b >> 32;
    u64 t = al * bl, m1 = ah * bl + (t >> 32), m2 = al * bh + (u32)m1;
    return ah * bh + (m1 >> 32) + (m2 >> 32);
}

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u64 x = len;
    u32 w = 0xdeadbeefu;

    for (u32 i = 0; i + 8 <= 64; i += 8) {
        u64 q = 0;
        for (u32 k = 0; k < 8; k++)
            q |= (u64)ctx[i + k] << (8 * k);
        x ^= (q << 13) | (q >> 51);
        x += mulhi(q, 0x9e3779b97f4a7c15ull);
        w = w * 1664525u + 1013904223u + popc(q);
    }
    return x ^ ((u64)w << 17) ^ popc(x);
}
