/* tests/ux/ux-test.sh: femtoc warnings (see the expect line) */
/* expect: nothing */
#include <stdint.h>
#include "femtoc_bpf.h"
/* the same operations done right: no warning */
uint64_t entry(const uint8_t *ctx, uint64_t len)
{
    if (len < 8)
        return 0;
    fc_store_global(1, ctx[3]);
    return ctx[7] + (uint64_t)(ctx + 4 - ctx);
}
