/* fcapps: a hook declared void (as many Femto-Containers hooks are): r0 is
 * never written, the run returns 0. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

void void_hook(void *ctx)
{
    (void)ctx;
    uint32_t v = 0;
    bpf_fetch_global(7, &v);
    bpf_store_global(7, v + 42);
    bpf_printf("void hook ran\n");
}
