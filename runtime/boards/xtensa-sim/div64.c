/*
 * div64.c - libgcc's 64-bit division (__udivdi3, __umoddi3, __divdi3,
 * __moddi3) for the xtensa-sim firmware. Debian's lx106 libgcc leaves them
 * undefined (as it does the 32-bit ones runtime/fc_div32.c supplies), and
 * the interpreter and the helpers' number formatting divide 64-bit values
 * in C. Plain restoring division, one quotient bit per step: lx106 has no
 * divide instruction, and the interpreter's cost here is not the point of
 * the board.
 *
 * The callers never divide by zero (the interpreter gives eBPF's result for
 * a zero divisor itself); a zero divisor here gives quotient 0, remainder
 * the dividend, as eBPF would.
 */
#include <stdint.h>

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

static uint64_t udivmod(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    if (d == 0) {
        *rem = n;
        return 0;
    }
    if ((n >> 32) == 0 && (d >> 32) == 0) {   /* the common case: 32-bit */
        *rem = (uint32_t)n % (uint32_t)d;
        return (uint32_t)n / (uint32_t)d;
    }
    for (int i = 63; i >= 0; i--) {
        r = r << 1 | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= (uint64_t)1 << i;
        }
    }
    *rem = r;
    return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    return udivmod(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    udivmod(n, d, &r);
    return r;
}

/* magnitudes as unsigned: INT64_MIN's is 2^63, no overflow */
static uint64_t mag(int64_t v) { return v < 0 ? 0u - (uint64_t)v : (uint64_t)v; }

int64_t __divdi3(int64_t n, int64_t d)
{
    uint64_t r, q = udivmod(mag(n), mag(d), &r);
    return (int64_t)((n < 0) != (d < 0) ? 0u - q : q);
}

int64_t __moddi3(int64_t n, int64_t d)
{
    uint64_t r;
    udivmod(mag(n), mag(d), &r);
    return (int64_t)(n < 0 ? 0u - r : r);
}
