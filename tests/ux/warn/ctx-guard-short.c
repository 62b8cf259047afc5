/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: load from context offset 100..100 (1 bytes): past the 16 bytes --ctx-size promises */
#include <stdint.h>
/* the length test covers bytes 0..99 only: byte 100 may lie past the context */
uint64_t entry(const uint8_t *ctx, uint64_t len)
{
    if (len < 100)
        return 0;
    return ctx[100];
}
