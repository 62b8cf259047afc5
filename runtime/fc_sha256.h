/*
 * fc_sha256.h - SHA-256 (FIPS 180-4), freestanding C99, no allocation.
 *
 * Used by the container writer (host) and the device loader to compute the
 * payload hash of an .fcx container (docs/fcx.md) and the hash of an
 * installed slot image.
 */
#ifndef FC_SHA256_H
#define FC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define FC_SHA256_LEN 32u
#define FC_SHA256_BLOCK 64u

typedef struct fc_sha256_ctx {
    uint32_t h[8];
    uint64_t nbytes;             /* message length so far */
    uint8_t buf[FC_SHA256_BLOCK];
    uint32_t nbuf;               /* bytes pending in buf */
} fc_sha256_ctx;

void fc_sha256_init(fc_sha256_ctx *c);
void fc_sha256_update(fc_sha256_ctx *c, const void *data, size_t len);
/* Writes the 32-byte digest; the context must be re-initialised to reuse it. */
void fc_sha256_final(fc_sha256_ctx *c, uint8_t out[FC_SHA256_LEN]);

/* One-shot convenience. */
void fc_sha256(const void *data, size_t len, uint8_t out[FC_SHA256_LEN]);

#endif /* FC_SHA256_H */
