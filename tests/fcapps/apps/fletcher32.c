/* fcapps: Fletcher-32 over a buffer the host shares through the context
 * (Femto-Containers' checksum benchmark shape: a __bpf_shared_ptr to the
 * 16-bit words and their count). */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

typedef struct {
    __bpf_shared_ptr(const uint16_t *, data);
    uint32_t words;
} fletcher32_ctx_t;

uint32_t fletcher32_bpf(fletcher32_ctx_t *ctx)
{
    const uint16_t *w = ctx->data;
    uint32_t left = ctx->words, sum1 = 0xffff, sum2 = 0xffff;

    while (left) {
        /* 359 words keep both sums below 2^32 before the reduction */
        uint32_t n = left > 359 ? 359 : left;
        left -= n;
        while (n--) {
            sum1 += *w++;
            sum2 += sum1;
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    return sum2 << 16 | sum1;
}
