/*
 * fc_libc.h - the few mem* routines the device runtime needs, so that it
 * links without a C library. Freestanding C99.
 *
 * Prefixed names (not memcpy/memset) on purpose: the runtime library is also
 * linked into host programs, where a definition of `memcpy` in libfcrt.a
 * would silently replace the C library's (and its sanitizer interceptors).
 */
#ifndef FC_LIBC_H
#define FC_LIBC_H

#include <stddef.h>

void *fc_memset(void *dst, int c, size_t n);
/* Copies n bytes; the ranges may overlap (memmove semantics). */
void *fc_memmove(void *dst, const void *src, size_t n);
int fc_memcmp(const void *a, const void *b, size_t n);

#endif /* FC_LIBC_H */
