/* SHA-256 (FIPS 180-4) of the whole context; returns the first 8 bytes of
 * the digest as a big-endian number. The round constants and initial hash
 * value are the standard's (FIPS 180-4 sections 4.2.2 and 5.3.3). */
#include "bench_prog.h"

static const u32 K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u,
};

#define ROR(x, n) ((x) >> (n) | (x) << (32u - (n)))

static void compress(u32 st[8], const u8 *blk)
{
    u32 w[64];
    u32 a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];

    for (u32 t = 0; t < 16; t++)
        w[t] = (u32)blk[4 * t] << 24 | (u32)blk[4 * t + 1] << 16 | (u32)blk[4 * t + 2] << 8 |
               blk[4 * t + 3];
    for (u32 t = 16; t < 64; t++) {
        u32 s0 = ROR(w[t - 15], 7) ^ ROR(w[t - 15], 18) ^ (w[t - 15] >> 3);
        u32 s1 = ROR(w[t - 2], 17) ^ ROR(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    for (u32 t = 0; t < 64; t++) {
        u32 t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        u32 t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d;
    st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

BENCH_ENTRY(sha256)
{
    u32 st[8] = { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                  0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u };
    u8 last[128];
    u32 n = (u32)len, full = n & ~63u, rest = n - full, tail;
    u64 bits = (u64)n * 8u;

    for (u32 off = 0; off < full; off += 64)
        compress(st, ctx + off);
    /* the padding: 0x80, zeros, the length in bits (big-endian), in one
     * or two blocks */
    for (u32 i = 0; i < rest; i++)
        last[i] = ctx[full + i];
    last[rest] = 0x80;
    tail = rest < 56 ? 64 : 128;
    for (u32 i = rest + 1; i < tail - 8; i++)
        last[i] = 0;
    for (u32 i = 0; i < 8; i++)
        last[tail - 1 - i] = (u8)(bits >> (8 * i));
    compress(st, last);
    if (tail == 128)
        compress(st, last + 64);
    return (u64)st[0] << 32 | st[1];
}
