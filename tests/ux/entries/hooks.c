/* tests/ux/ux-test.sh: several entry points (hooks) in one container
 * (femtoc --entry on_sum,on_len --entry on_twice --entry on_fault). Each
 * entry gives a different r0 for the same context; on_sum and on_twice
 * share a function (analysed with both call sites joined); on_fault hands
 * a helper a pointer past the context (a helper fault naming the helper).
 * The expected values: r0 of each entry for the context 01 02 03. */
#include <stdint.h>
#include "femtoc_bpf.h"

static __attribute__((noinline)) uint64_t sum(const uint8_t *p, uint64_t n)
{
    uint64_t s = 0;
    for (uint64_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

uint64_t on_sum(const uint8_t *ctx, uint64_t len)      /* expect on_sum: 0x3ee */
{
    return sum(ctx, len) + 1000;
}

uint64_t on_len(const uint8_t *ctx, uint64_t len)      /* expect on_len: 0x15 */
{
    (void)ctx;
    return len * 7;
}

uint64_t on_twice(const uint8_t *ctx, uint64_t len)    /* expect on_twice: 0xf */
{
    return sum(ctx, len) * 2 + 3;
}

uint64_t on_fault(uint8_t *ctx, uint64_t len)
{
    return (uint64_t)fc_fetch_local(1, (uint32_t *)(ctx + len + 64));   /* the faulting line */
}
