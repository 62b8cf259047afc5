/*
 * fc_libc.c - fc_memset/fc_memmove/fc_memcmp: byte loops, with word loops
 * where both pointers share an alignment (GCC/Clang). Freestanding C99.
 *
 * GCC recognises such loops and may replace them by calls to memset/memcpy
 * (-ftree-loop-distribute-patterns, on at -O2 and -Os), which a libc-free
 * device image cannot resolve; the attribute keeps the loops as written.
 */
#include <stdint.h>
#include "fc_libc.h"

#if defined(__GNUC__) && !defined(__clang__)
#define FC_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define FC_NO_LIBCALLS
#endif

/* Word stores through a type that may alias anything (GCC/Clang), so the
 * fill is legal on any object; elsewhere plain bytes. */
#if defined(__GNUC__)
typedef uint32_t __attribute__((may_alias)) fc_word;
#define FC_HAVE_WORD 1
#endif

FC_NO_LIBCALLS void *fc_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
#ifdef FC_HAVE_WORD
    /* the run-time stack clear is the main user: 512..4096 bytes */
    uint32_t w = (uint32_t)(unsigned char)c * 0x01010101u;
    while (n && ((uintptr_t)d & 3u)) {
        *d++ = (unsigned char)c;
        n--;
    }
    for (; n >= 16; n -= 16, d += 16) {
        ((fc_word *)d)[0] = w;
        ((fc_word *)d)[1] = w;
        ((fc_word *)d)[2] = w;
        ((fc_word *)d)[3] = w;
    }
    for (; n >= 4; n -= 4, d += 4)
        *(fc_word *)d = w;
#endif
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

FC_NO_LIBCALLS void *fc_memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    /* Pointers into different objects cannot be compared with < in C;
     * compare their integer values. Forward copy is safe unless dst starts
     * inside [src, src+n). */
    if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d - (uintptr_t)s >= n) {
#ifdef FC_HAVE_WORD
        /* same alignment: words (the verifier's state copies are the main
         * user, hundreds of bytes each) */
        if ((((uintptr_t)d ^ (uintptr_t)s) & 3u) == 0) {
            while (n && ((uintptr_t)d & 3u)) {
                *d++ = *s++;
                n--;
            }
            for (; n >= 4; n -= 4, d += 4, s += 4)
                *(fc_word *)d = *(const fc_word *)s;
        }
#endif
        while (n--)
            *d++ = *s++;
    } else {
        d += n;
        s += n;
#ifdef FC_HAVE_WORD
        if ((((uintptr_t)d ^ (uintptr_t)s) & 3u) == 0) {
            while (n && ((uintptr_t)d & 3u)) {
                *--d = *--s;
                n--;
            }
            for (; n >= 4; n -= 4) {
                d -= 4;
                s -= 4;
                *(fc_word *)d = *(const fc_word *)s;
            }
        }
#endif
        while (n--)
            *--d = *--s;
    }
    return dst;
}

FC_NO_LIBCALLS int fc_memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}
