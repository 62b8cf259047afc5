/* Bubble sort of up to 64 32-bit words copied from the context onto the
 * stack, then a positional hash of the sorted array. */
#include "bench_prog.h"

#define MAXW 64u

BENCH_ENTRY(bubblesort)
{
    u32 a[MAXW];
    u32 n = (u32)len / 4u, h = 0;
    const u32 *src = (const u32 *)ctx;

    if (n > MAXW)
        n = MAXW;
    for (u32 i = 0; i < n; i++)
        a[i] = src[i];
    for (u32 i = 0; i + 1 < n; i++) {
        u32 swapped = 0;
        for (u32 j = 0; j + 1 < n - i; j++) {
            u32 x = a[j], y = a[j + 1];
            if (x > y) {
                a[j] = y;
                a[j + 1] = x;
                swapped = 1;
            }
        }
        if (!swapped)
            break;
    }
    for (u32 i = 0; i < n; i++)
        h = h * 31u + a[i];
    return h;
}
