/* fcapps: a periodic task on ztimer (ztimer_now, ztimer_periodic_wakeup):
 * five periods of 1000 us, then one whose deadline has passed already. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

uint32_t periodic(void *ctx)
{
    (void)ctx;
    uint32_t last = bpf_ztimer_now(), start = last;
    for (int i = 0; i < 5; i++)
        bpf_ztimer_periodic_wakeup(&last, 1000);
    uint32_t mid = bpf_ztimer_now();
    last -= 3000;   /* a missed deadline: no sleep, last becomes now */
    bpf_ztimer_periodic_wakeup(&last, 1000);
    uint32_t end = bpf_ztimer_now();
    bpf_printf("slept %u us, then %u us; last - start = %u\n", mid - start, end - mid, last - start);
    return (mid - start) * 10 + (end - mid);
}
