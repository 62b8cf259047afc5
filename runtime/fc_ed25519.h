/*
 * fc_ed25519.h - Ed25519 signature verification (RFC 8032 5.1.7), pure
 * Ed25519 (no context, no prehash), freestanding C99, no allocation.
 *
 * Verification only: the device checks that a key it trusts signed a
 * container. The message may arrive in pieces (the loader reads a container
 * page by page), so the verifier streams it through SHA-512:
 *
 *     fc_ed25519_vfy v;
 *     fc_ed25519_verify_start(&v, pub, sig);
 *     fc_ed25519_verify_update(&v, page, n);       ... any number of times
 *     ok = fc_ed25519_verify_finish(&v) == 0;
 *
 * The rules for edge cases (non-canonical S, keys that do not decode,
 * small-order keys) are at the top of fc_ed25519.c. Costs (Cortex-M3, -Os)
 * are in bench/results.md, section "Ed25519 verification".
 */
#ifndef FC_ED25519_H
#define FC_ED25519_H

#include <stddef.h>
#include <stdint.h>
#include "fc_sha512.h"

#define FC_ED25519_PUB_LEN 32u
#define FC_ED25519_SIG_LEN 64u

typedef struct fc_ed25519_vfy {
    fc_sha512 h;        /* SHA-512(R || A || M) so far */
    uint8_t sig[64];    /* R (32 bytes) || S (32 bytes, little-endian) */
    uint8_t pub[32];    /* A, as encoded */
    int bad;            /* set by start when S >= L: finish fails without the point arithmetic */
} fc_ed25519_vfy;

/* Begins a verification of sig by pub; both are copied. */
void fc_ed25519_verify_start(fc_ed25519_vfy *v, const uint8_t pub[32], const uint8_t sig[64]);
/* Feeds the next len bytes of the message (len may be 0). */
void fc_ed25519_verify_update(fc_ed25519_vfy *v, const void *msg, size_t len);
/* 0 = the signature is valid for the whole message fed, -1 = invalid.
 * The context is used up; start again to reuse it. */
int fc_ed25519_verify_finish(fc_ed25519_vfy *v);
/* One shot: 0 = valid, -1 = invalid. */
int fc_ed25519_verify(const uint8_t sig[64], const uint8_t pub[32], const void *msg, size_t len);

#endif /* FC_ED25519_H */
