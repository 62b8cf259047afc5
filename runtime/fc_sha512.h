/*
 * fc_sha512.h - SHA-512 (FIPS 180-4), freestanding C99, no allocation.
 *
 * The hash of Ed25519 (RFC 8032 5.1: H = SHA-512): the device's signature
 * verifier (fc_ed25519.h) streams a container through it.
 */
#ifndef FC_SHA512_H
#define FC_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define FC_SHA512_LEN 64u
#define FC_SHA512_BLOCK 128u

typedef struct fc_sha512 {
    uint64_t h[8];
    uint64_t nbytes;                /* message length so far (2^64 bytes is plenty) */
    uint8_t buf[FC_SHA512_BLOCK];
    uint32_t nbuf;                  /* bytes pending in buf */
} fc_sha512;

void fc_sha512_init(fc_sha512 *c);
void fc_sha512_update(fc_sha512 *c, const void *data, size_t len);
/* Writes the 64-byte digest; the context must be re-initialised to reuse it. */
void fc_sha512_final(fc_sha512 *c, uint8_t out[64]);

#endif /* FC_SHA512_H */
