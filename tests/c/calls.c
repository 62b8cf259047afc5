/* bpf-to-bpf calls from "prog" into .text (R_BPF_64_32 across sections),
 * static calls inside .text (resolved by clang), pointers to the caller's
 * stack passed down three levels */
#include "fcprog.h"

static NOINLINE void fill(u32 *dst, const u8 *src, u32 n)
{
    for (u32 i = 0; i < n; i++)
        dst[i] = src[i] * 3u + i;
}

static NOINLINE u32 sum3(const u32 *v, u32 n)
{
    u32 s = 0;
    for (u32 i = 0; i < n; i++)
        s += v[i] ^ (s >> 3);
    return s;
}

NOINLINE u32 mix(u32 *buf, const u8 *src, u32 n)
{
    fill(buf, src, n);
    buf[0] ^= 0x5a5a;
    return sum3(buf, n);
}

NOINLINE u64 scale(u64 x, u32 k)
{
    return x * k + (x >> 7);
}

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u32 buf[24];
    u32 a = mix(buf, ctx, 24);
    u32 b = mix(buf, ctx + 24, 16);
    return scale(a, 17) ^ scale(b, (u32)len);
}
