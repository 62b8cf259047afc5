/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: store to the constant address 0x40000000 */
#include <stdint.h>
uint64_t entry(uint8_t *ctx, uint64_t len)
{
    *(volatile uint32_t *)0x40000000u = 1;
    return 0;
}
