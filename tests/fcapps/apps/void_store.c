/* fcapps: a void hook that only writes its context: r0 is never written
 * on any path, and the run returns 0 (r0 is 0 at entry in every engine). */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

void void_store(uint32_t *ctx)
{
    ctx[0] += 1;
}
