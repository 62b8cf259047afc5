/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: nothing */
#include <stdint.h>
/* past --ctx-size 16, but the program tests the length first on every path
 * (a copy of it in another register, a bound in a register, a callee) */
static __attribute__((noinline)) uint64_t tail(const uint8_t *ctx, uint64_t len)
{
    return ctx[50 + (len & 31)];   /* 50..81: below the caller's 101 */
}
uint64_t entry(const uint8_t *ctx, uint64_t len)
{
    uint64_t n = len;
    if (n < 101)
        return 0;
    if (len <= 400)
        return ctx[100] + tail(ctx, len);
    return ctx[399] + *(const uint32_t *)(ctx + 396);
}
