/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: load from context offset 100..100 (1 bytes): past the 16 bytes --ctx-size promises */
#include <stdint.h>
uint64_t entry(const uint8_t *ctx, uint64_t len)
{
    return ctx[100];
}
