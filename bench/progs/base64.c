/* A byte parser: decode base64 text (RFC 4648 alphabet, '=' padding) from
 * the context, validating every character, and hash the decoded bytes
 * (FNV-1a). Returns the byte count in the upper half and the hash in the
 * lower; 0xffffffff in the upper half at the first invalid character. The
 * decoding table (0xff: not in the alphabet) is computed by the compiler. */
#include "bench_prog.h"

#define B64(c) (u8)((c) >= 'A' && (c) <= 'Z' ? ((c) - 'A') & 63 : \
                    (c) >= 'a' && (c) <= 'z' ? ((c) - 'a' + 26) & 63 : \
                    (c) >= '0' && (c) <= '9' ? ((c) - '0' + 52) & 63 : \
                    (c) == '+' ? 62 : (c) == '/' ? 63 : 0xff)

static const u8 b64_table[256] = { BENCH_T256(B64) };

BENCH_ENTRY(base64)
{
    u32 n = (u32)len & ~3u, out = 0, h = 0x811c9dc5u;

    for (u32 i = 0; i < n; i += 4) {
        u32 pad = 0, v = 0;
        for (u32 k = 0; k < 4; k++) {
            u8 c = ctx[i + k];
            u32 d = b64_table[c];
            if (c == '=' && i + 4 == n && k >= 2) {
                pad++;
                d = 0;
            } else if (d == 0xffu || pad) {
                return (u64)0xffffffffu << 32 | (i + k);
            }
            v = v << 6 | d;
        }
        for (u32 k = 0; k < 3 - pad; k++) {
            h = (h ^ ((v >> (16 - 8 * k)) & 0xffu)) * 0x01000193u;
            out++;
        }
    }
    return (u64)out << 32 | h;
}
