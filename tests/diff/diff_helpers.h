/*
 * tests/diff/diff_helpers.h - the test helpers of the random programs
 * (diff_random's generator calls them by number): diff-random, the
 * libFuzzer diff harness and ir-diff register the same ones, so a corpus
 * made by one runs the same in the others. Host only.
 */
#ifndef DIFF_HELPERS_H
#define DIFF_HELPERS_H

#include <stdint.h>
#include "fc_vm.h"

/* H_MIX: r1 + 3 r2 - (r3 ^ (r4 << 7)) + r5 */
static inline uint64_t h_mix(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm;
    return a + 3 * b - (c ^ (d << 7)) + e;
}

/* H_SUM: a hash of the r2 bytes at r1 (read-write), each then +1; lengths
 * above 64 refused like a careful helper */
static inline uint64_t h_sum(fc_vm *vm, uint64_t p, uint64_t n, uint64_t c, uint64_t d, uint64_t e)
{
    (void)c, (void)d, (void)e;
    if (n == 0)
        return 0;
    uint8_t *m = n <= 64 ? fc_vm_translate(vm, p, n, FC_PERM_RW) : NULL;
    if (!m) {
        vm->helper_err = FC_ERR_HELPER_FAULT;
        vm->err_addr = p;
        return 0;
    }
    uint64_t s = 0;
    for (uint64_t k = 0; k < n; k++) {
        s = s * 31 + m[k];
        m[k]++;
    }
    return s;
}

/* H_UNWIND: stops the program when r1 % 8 == 0 */
static inline uint64_t h_unwind(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    if (a % 8 == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return a ^ 0x5555;
}

#endif
