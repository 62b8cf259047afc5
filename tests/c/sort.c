/* insertion sort of a stack array (nested loops, data-dependent indices),
 * then a binary search */
#include "fcprog.h"

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u16 v[32];
    int n = 32;

    (void)len;
    for (int i = 0; i < n; i++)
        v[i] = (u16)(ctx[2 * i] | ctx[2 * i + 1] << 8);
    for (int i = 1; i < n; i++) {
        u16 x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
    u16 key = (u16)(ctx[5] | ctx[6] << 8);
    int lo = 0, hi = n - 1, found = -1;
    while (lo <= hi) {
        int mid = (int)((unsigned)(lo + hi) >> 1);
        if (v[mid] == key) { found = mid; break; }
        if (v[mid] < key) lo = mid + 1; else hi = mid - 1;
    }
    u64 h = 0;
    for (int i = 0; i < n; i++)
        h = h * 65599 + v[i];
    return h ^ (u64)(s64)found;
}
