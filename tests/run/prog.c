/*
 * The femto-run test program (tests/run/femto-run-test.sh): a weighted sum
 * of the context bytes, scrambled with a 64-bit multiply and a 64-bit
 * division (a runtime routine on 32-bit cores), printed through the printf
 * helper. A first byte 0xee makes it read past the end of its context.
 * The script computes the expected r0 and output independently (python).
 */
#include <stdint.h>
#include "femtoc_bpf.h"

uint64_t prog(const uint8_t *m, uint64_t len)
{
    uint64_t s = 0;
    for (uint64_t i = 0; i < len; i++)
        s += (uint64_t)m[i] * (i + 1);
    fc_printf("femto-run: %u bytes, sum %u\n", (uint32_t)len, (uint32_t)s);
    if (len && m[0] == 0xee)
        return m[len + 1000];
    return (s * 0x9e3779b97f4a7c15ull) / (len | 1) ^ (len << 56);
}
