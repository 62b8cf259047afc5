/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: the context pointer stored as a value into the key-value store (helper 0x11) */
#include <stdint.h>
#include "femtoc_bpf.h"
uint64_t entry(const uint8_t *ctx, uint64_t len)
{
    fc_store_global(1, (uint32_t)(uintptr_t)ctx);
    return 0;
}
