/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: returns the context pointer in r0 */
#include <stdint.h>
uint64_t entry(const uint8_t *ctx, uint64_t len)
{
    return (uint64_t)ctx;
}
