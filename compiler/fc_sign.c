/*
 * fc_sign.c - Ed25519 signatures of .fcx containers through OpenSSL
 * (libcrypto). Format: docs/fcx.md "Signatures".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "fc_sign.h"
#include "fc_fcx.h"
#include "fc_loader.h"
#include "fc_sha256.h"

struct fc_sign_key {
    EVP_PKEY *pkey;
    uint8_t pub[32];
};

static void ossl_err(char *err, size_t errlen, const char *what, const char *path)
{
    unsigned long e = ERR_get_error();
    char buf[256] = "";
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    snprintf(err, errlen, "%s: %s%s%s", path, what, buf[0] ? ": " : "", buf);
    ERR_clear_error();
}

static int raw_pub(EVP_PKEY *p, uint8_t pub[32])
{
    size_t n = 32;
    return EVP_PKEY_get_raw_public_key(p, pub, &n) == 1 && n == 32 ? 0 : -1;
}

fc_sign_key *fc_sign_load_key(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the key", path);
        return NULL;
    }
    EVP_PKEY *p = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!p) {
        ossl_err(err, errlen, "not a PEM private key", path);
        return NULL;
    }
    if (EVP_PKEY_id(p) != EVP_PKEY_ED25519) {
        snprintf(err, errlen, "%s: not an Ed25519 key (make one with "
                 "`openssl genpkey -algorithm ed25519 -out key.pem`)", path);
        EVP_PKEY_free(p);
        return NULL;
    }
    fc_sign_key *k = calloc(1, sizeof *k);
    if (!k || raw_pub(p, k->pub)) {
        snprintf(err, errlen, "%s: cannot read the public half of the key", path);
        EVP_PKEY_free(p);
        free(k);
        return NULL;
    }
    k->pkey = p;
    return k;
}

void fc_sign_free(fc_sign_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

void fc_sign_key_pub(const fc_sign_key *k, uint8_t pub[32])
{
    memcpy(pub, k->pub, 32);
}

int fc_sign_load_pub(const char *path, uint8_t pub[32], char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the key", path);
        return -1;
    }
    EVP_PKEY *p = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    if (!p) {
        ERR_clear_error();
        rewind(f);
        p = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    }
    fclose(f);
    if (!p) {
        ossl_err(err, errlen, "not a PEM public (or private) key", path);
        return -1;
    }
    int rc = 0;
    if (EVP_PKEY_id(p) != EVP_PKEY_ED25519) {
        snprintf(err, errlen, "%s: not an Ed25519 key", path);
        rc = -1;
    } else if (raw_pub(p, pub)) {
        snprintf(err, errlen, "%s: cannot read the raw public key", path);
        rc = -1;
    }
    EVP_PKEY_free(p);
    return rc;
}

void fc_sign_key_id(const uint8_t pub[32], uint8_t kid[FC_FCX_KEYID_LEN])
{
    uint8_t h[32];
    fc_sha256(pub, 32, h);
    memcpy(kid, h, FC_FCX_KEYID_LEN);
}

/* The signed message: Sig_structure prefix, then the payload. malloc'd. */
static uint8_t *message(const uint8_t *fcx, uint32_t image_size, const uint8_t *kid, size_t *n)
{
    uint8_t pre[FC_FCX_SIG_MAX_PREFIX];
    uint32_t np = fc_fcx_sig_prefix(pre, kid, image_size);
    uint8_t *m = malloc(np + (size_t)image_size);
    if (!m)
        return NULL;
    memcpy(m, pre, np);
    memcpy(m + np, fcx, image_size);
    *n = np + (size_t)image_size;
    return m;
}

int fc_fcx_sign(const uint8_t *in, size_t len, const fc_sign_key *k, uint8_t **out,
                size_t *out_len, char *err, size_t errlen)
{
    fc_lresult r;
    fc_fcx_header h = {0};
    char msg[200];

    *out = NULL;
    *out_len = 0;
    if (len > UINT32_MAX || fc_fcx_validate(in, (uint32_t)len, &r) != FC_OK) {
        fc_lresult_format(&r, msg, sizeof msg);
        snprintf(err, errlen, "not a valid container: %s", msg);
        return -1;
    }
    if (!fc_fcx_read_header(in, (uint32_t)len, &h)) {
        snprintf(err, errlen, "not a valid container: truncated");
        return -1;
    }
    /* the payload, then the trailer records that are not signatures */
    size_t cap = len + FC_FCX_TRAILER_REC_HDR + FC_FCX_SIG_LEN + 8;
    uint8_t *b = malloc(cap);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(b, in, h.image_size);
    size_t n = h.image_size;
    if (h.flags & FC_FCX_F_TRAILER) {
        size_t p = h.image_size;
        while (p + FC_FCX_TRAILER_REC_HDR <= len) {   /* validated: records fit */
            uint32_t type = fc_le32(in + p), rl = fc_le32(in + p + 4);
            size_t whole = FC_FCX_TRAILER_REC_HDR + rl + ((8u - (rl & 7u)) & 7u);
            if (type != FC_FCX_TRAILER_SIGNATURE) {
                memcpy(b + n, in + p, whole);
                n += whole;
            }
            p += whole;
        }
    }
    /* the flag is part of what is signed: set it, re-hash the payload */
    fc_put_le32(b + FC_FCX_H_FLAGS, h.flags | FC_FCX_F_TRAILER);
    fc_fcx_rehash(b, h.image_size);

    uint8_t kid[FC_FCX_KEYID_LEN], sig[64];
    size_t mlen = 0, slen = sizeof sig;
    fc_sign_key_id(k->pub, kid);
    uint8_t *m = message(b, h.image_size, kid, &mlen);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = m && c && EVP_DigestSignInit(c, NULL, NULL, NULL, k->pkey) == 1 &&
             EVP_DigestSign(c, sig, &slen, m, mlen) == 1 && slen == 64;
    EVP_MD_CTX_free(c);
    free(m);
    if (!ok) {
        ossl_err(err, errlen, "signing failed", "OpenSSL");
        free(b);
        return -1;
    }
    fc_put_le32(b + n, FC_FCX_TRAILER_SIGNATURE);
    fc_put_le32(b + n + 4, FC_FCX_SIG_LEN);
    fc_fcx_sig_encode(b + n + FC_FCX_TRAILER_REC_HDR, kid, sig);
    n += FC_FCX_TRAILER_REC_HDR + FC_FCX_SIG_LEN;
    while (n & 7u)
        b[n++] = 0;
    *out = b;
    *out_len = n;
    return 0;
}

int fc_fcx_sig_check_host(const uint8_t *fcx, uint32_t image_size, const uint8_t *body,
                          uint32_t body_len, const uint8_t pub[32])
{
    const uint8_t *kid, *sig;
    if (!fc_fcx_sig_decode(body, body_len, &kid, &sig))
        return 0;
    size_t mlen = 0;
    uint8_t *m = message(fcx, image_size, kid, &mlen);
    EVP_PKEY *p = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = m && p && c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, p) == 1 &&
             EVP_DigestVerify(c, sig, 64, m, mlen) == 1;
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(p);
    free(m);
    ERR_clear_error();
    return ok;
}
