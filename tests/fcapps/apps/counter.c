/* fcapps: a hook that counts its runs in the key-value store (the
 * thread/counter examples' shape) and reports through printf. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

#define KEY_RUNS 1
#define KEY_SHARED 0x50

int counter(void *ctx)
{
    uint32_t runs = 0, shared = 0;
    (void)ctx;
    bpf_fetch_local(KEY_RUNS, &runs);
    bpf_store_local(KEY_RUNS, runs + 1);
    bpf_fetch_global(KEY_SHARED, &shared);
    bpf_store_global(KEY_SHARED, shared + 10);
    bpf_fetch_global(KEY_SHARED, &shared);
    bpf_printf("counter: run %u, shared %u, now %u ms\n", runs + 1, shared, bpf_now_ms());
    return (int)(runs + 1 + shared);
}
