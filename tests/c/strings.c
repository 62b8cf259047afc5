/* strings in .rodata (a 2-D char table: femtoc refuses pointer tables): keyword matching, and a stack buffer copied with
 * the memcpy helper */
#include "fcprog.h"

static const char words[4][8] = {"alpha", "beta", "gamma", "delta"};

static NOINLINE int match(const char *w, const u8 *s, u32 n)
{
    for (u32 i = 0; i < n; i++) {
        if (w[i] == 0)
            return 1;
        if ((u8)w[i] != (s[i] & 0x7f))
            return 0;
    }
    return 0;
}

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u8 buf[48];
    u64 score = 0;

    fc_memcpy(buf, ctx, 48);
    for (u32 w = 0; w < 4; w++)
        for (u32 off = 0; off + 8 <= 48; off++)
            score += (u64)match(words[w], buf + off, 8) << w;
    for (u32 i = 0; i < 48; i++)
        score = score * 7 + (buf[i] % 26u);
    return score + len;
}
