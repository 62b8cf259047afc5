/* Unit tests: the runtime's own mem* routines (runtime/fc_libc.c), compared
 * with the C library's at every alignment and length up to 80. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "fc_libc.h"

static void fill(uint8_t *b, size_t n, unsigned seed)
{
    for (size_t k = 0; k < n; k++)
        b[k] = (uint8_t)(seed * 31 + k * 7 + 1);
}

Test(vm_libc, memset_every_alignment_and_length)
{
    uint8_t a[128], b[128];
    for (size_t start = 0; start < 8; start++)
        for (size_t n = 0; n <= 80; n++) {
            fill(a, sizeof a, (unsigned)n);
            memcpy(b, a, sizeof b);
            cr_assert_eq(fc_memset(a + start, 0x1c3, n), a + start);
            memset(b + start, 0xc3, n);
            cr_assert_arr_eq(a, b, sizeof a, "start %zu len %zu", start, n);
        }
}

Test(vm_libc, memmove_overlaps_both_ways)
{
    uint8_t a[128], b[128];
    for (size_t src = 0; src < 12; src++)
        for (size_t dst = 0; dst < 12; dst++)
            for (size_t n = 0; n <= 40; n += 3) {
                fill(a, sizeof a, (unsigned)(src + dst));
                memcpy(b, a, sizeof b);
                cr_assert_eq(fc_memmove(a + dst, a + src, n), a + dst);
                memmove(b + dst, b + src, n);
                cr_assert_arr_eq(a, b, sizeof a, "src %zu dst %zu len %zu", src, dst, n);
            }
}

Test(vm_libc, memcmp_sign_and_length)
{
    const uint8_t x[] = {1, 2, 3, 0x80}, y[] = {1, 2, 4, 0x00};
    cr_assert_eq(fc_memcmp(x, y, 0), 0);
    cr_assert_eq(fc_memcmp(x, y, 2), 0);
    cr_assert_lt(fc_memcmp(x, y, 3), 0);
    cr_assert_gt(fc_memcmp(y, x, 3), 0);
    cr_assert_gt(fc_memcmp(x + 3, y + 3, 1), 0, "bytes compare as unsigned");
}
