/*
 * fc_sign.h - signing .fcx containers on the host (C11, OpenSSL libcrypto).
 *
 *   key.pem (openssl genpkey -algorithm ed25519)
 *      -> fc_sign_load_key -> fc_fcx_sign(container) -> container + trailer
 *         record {type 1, COSE_Sign1 / EdDSA / key id, over [0, image_size)}
 *
 * The record format and the signed message (a COSE Sig_structure) are in
 * docs/fcx.md "Signatures" and runtime/fc_container.h; the device checks
 * them in runtime/fc_loader.c with its own Ed25519 (runtime/fc_ed25519.h).
 * All cryptography here is OpenSSL's.
 */
#ifndef FC_SIGN_H
#define FC_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include "fc_container.h"

typedef struct fc_sign_key fc_sign_key;   /* an Ed25519 private key */

/* Read a PEM private key (PKCS#8, as `openssl genpkey -algorithm ed25519`
 * writes it). NULL with a message in err when it is unreadable or not
 * Ed25519. */
fc_sign_key *fc_sign_load_key(const char *path, char *err, size_t errlen);
void fc_sign_free(fc_sign_key *k);
/* Its raw 32-byte public key. */
void fc_sign_key_pub(const fc_sign_key *k, uint8_t pub[32]);

/* Read a PEM public key (`openssl pkey -pubout`), or the public half of a
 * PEM private key. 0, or -1 with a message in err. */
int fc_sign_load_pub(const char *path, uint8_t pub[32], char *err, size_t errlen);

/* The key id: the first 8 bytes of SHA-256 of the raw public key. */
void fc_sign_key_id(const uint8_t pub[32], uint8_t kid[FC_FCX_KEYID_LEN]);

/*
 * Sign (or re-sign) a valid container: signature records already in its
 * trailer are dropped (other records kept), the TRAILER flag is set and the
 * payload hash recomputed, then one Ed25519 record by k is appended.
 * *out is malloc'd (free()). 0, or -1 with a message in err.
 */
int fc_fcx_sign(const uint8_t *in, size_t len, const fc_sign_key *k, uint8_t **out,
                size_t *out_len, char *err, size_t errlen);

/* Check one Ed25519 signature record body against pub over the container
 * payload, with OpenSSL (host tools, tests). 1 valid, 0 not. */
int fc_fcx_sig_check_host(const uint8_t *fcx, uint32_t image_size, const uint8_t *body,
                          uint32_t body_len, const uint8_t pub[32]);

#endif /* FC_SIGN_H */
