/* ed25519-openssl: runtime/fc_ed25519.c against OpenSSL's libcrypto.
 *
 *   ed25519-openssl [N [SEED]]      (default N = 10000, SEED = 1)
 *
 * 1. Known cases, each with the outcome both verifiers must give, or, where
 *    fc_ed25519.c is deliberately stricter (small-order keys, and encodings
 *    RFC 8032 5.1.3 refuses but OpenSSL reads leniently), with both
 *    outcomes spelled out: OpenSSL accepts, we reject. If OpenSSL changes its
 *    mind the step fails and the comment at the top of fc_ed25519.c must be
 *    revisited. OpenSSL also re-signs the RFC 8032 7.1 vectors from their
 *    secret keys, which checks the vectors the unit tests use.
 * 2. N random cases: a key made by OpenSSL from a seeded secret, a random
 *    message of 0..300 bytes, signed by OpenSSL (EVP_DigestSign); the
 *    signature, then a copy with one bit of the signature flipped, one with a
 *    bit of the public key flipped and one with a bit of the message flipped
 *    (or a byte appended to an empty message) are verified by both, which
 *    must agree on every one, and accept the first.
 *
 * Prints "ed25519-openssl: N passed, N failed", one count per check. */
#include <openssl/evp.h>
#include <openssl/err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_ed25519.h"
#include "ed25519_edge.h"

static long passed, failed;

static void check(int ok, const char *what, long i)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        if (failed <= 20)
            printf("FAIL: %s (case %ld)\n", what, i);
    }
}

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(h + 2 * i, "%2x", &v) != 1)
            abort();
        out[i] = (uint8_t)v;
    }
    return n;
}

/* 1 = valid for OpenSSL (EVP_DigestVerify with a raw Ed25519 key), 0 = not;
 * a key OpenSSL refuses to load counts as invalid (never happens for 32 bytes). */
static int ossl_verify(const uint8_t sig[64], const uint8_t pub[32], const uint8_t *msg, size_t len)
{
    EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int r = 0;
    if (k && c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1)
        r = EVP_DigestVerify(c, sig, 64, msg, len) == 1;
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(k);
    ERR_clear_error();
    return r;
}

static int fc_ok(const uint8_t sig[64], const uint8_t pub[32], const uint8_t *msg, size_t len)
{
    return fc_ed25519_verify(sig, pub, msg, len) == 0;
}

/* OpenSSL: the public key and the signature of msg for a 32-byte secret. */
static void ossl_sign(const uint8_t secret[32], const uint8_t *msg, size_t len, uint8_t pub[32], uint8_t sig[64])
{
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, secret, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t pl = 32, sl = 64;
    if (!k || !c || EVP_PKEY_get_raw_public_key(k, pub, &pl) != 1 || pl != 32 ||
        EVP_DigestSignInit(c, NULL, NULL, NULL, k) != 1 || EVP_DigestSign(c, sig, &sl, msg, len) != 1 || sl != 64) {
        fprintf(stderr, "ed25519-openssl: OpenSSL could not sign\n");
        exit(2);
    }
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(k);
}

/* splitmix64: the random cases depend on the seed only */
static uint64_t rng;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)next();
}

static void known_cases(void)
{
    /* RFC 8032 7.1: secret, public key, message, signature (TEST 1, 2, 3, SHA(abc);
     * TEST 1024 is in the unit tests) */
    static const char *rfc[][4] = {
        { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
        { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
          "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
          "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
        { "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
          "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
          "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
        { "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
          "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
          "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704" },
    };
    static const uint8_t L[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                   0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10 };
    int small_ossl = 0, noncanon_ossl = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t sec[32], pub[32], msg[64], sig[64], p2[32], s2[64];
        unhex(rfc[i][0], sec);
        unhex(rfc[i][1], pub);
        size_t n = unhex(rfc[i][2], msg);
        unhex(rfc[i][3], sig);
        ossl_sign(sec, msg, n, p2, s2);
        check(!memcmp(pub, p2, 32) && !memcmp(sig, s2, 64), "OpenSSL re-derives the RFC 8032 vector", i);
        check(ossl_verify(sig, pub, msg, n) && fc_ok(sig, pub, msg, n), "RFC 8032 vector valid for both", i);
        /* S + L: both reject (RFC 8032 5.1.7 step 1) */
        unsigned c = 0;
        for (int j = 0; j < 32; j++) {
            c += (unsigned)sig[32 + j] + L[j];
            sig[32 + j] = (uint8_t)c;
            c >>= 8;
        }
        check(!ossl_verify(sig, pub, msg, n) && !fc_ok(sig, pub, msg, n), "S + L rejected by both", i);
        memcpy(sig + 32, L, 32);
        check(!ossl_verify(sig, pub, msg, n) && !fc_ok(sig, pub, msg, n), "S = L rejected by both", i);
    }
    /* small-order keys with a signature satisfying the cofactorless equation:
     * OpenSSL accepts (documented), we reject */
    for (size_t i = 0; i < sizeof ED_SMALL_ORDER / sizeof ED_SMALL_ORDER[0]; i++) {
        uint8_t pub[32], sig[64], msg[64];
        unhex(ED_SMALL_ORDER[i].pub, pub);
        unhex(ED_SMALL_ORDER[i].sig, sig);
        size_t n = unhex(ED_SMALL_ORDER[i].msg, msg);
        int o = ossl_verify(sig, pub, msg, n);
        small_ossl += o;
        check(o == 1, "OpenSSL accepts the small-order key (as fc_ed25519.c documents)", (long)i);
        check(!fc_ok(sig, pub, msg, n), "fc_ed25519 rejects the small-order key", (long)i);
    }
    /* encodings RFC 8032 5.1.3 refuses (y >= p; x = 0 with the sign bit set)
     * of small-order points, with a signature that holds if they are read
     * leniently: OpenSSL reads them so and accepts (documented), we reject */
    for (size_t i = 0; i < sizeof ED_NONCANONICAL / sizeof ED_NONCANONICAL[0]; i++) {
        uint8_t pub[32], sig[64], msg[64];
        unhex(ED_NONCANONICAL[i].pub, pub);
        unhex(ED_NONCANONICAL[i].sig, sig);
        size_t n = unhex(ED_NONCANONICAL[i].msg, msg);
        int o = ossl_verify(sig, pub, msg, n);
        noncanon_ossl += o;
        check(o == 1, "OpenSSL accepts the non-canonical key (as fc_ed25519.c documents)", (long)i);
        check(!fc_ok(sig, pub, msg, n), "fc_ed25519 rejects the non-canonical key", (long)i);
    }
    /* keys off the curve, and x = 0 with the sign bit: both reject */
    for (size_t i = 0; i < sizeof ED_OFF_CURVE_Y / sizeof ED_OFF_CURVE_Y[0]; i++) {
        uint8_t pub[32] = { (uint8_t)ED_OFF_CURVE_Y[i] }, sig[64] = { 1 };
        check(!ossl_verify(sig, pub, (const uint8_t *)"", 0) && !fc_ok(sig, pub, (const uint8_t *)"", 0),
              "off-curve key rejected by both", (long)i);
    }
    /* mixed-order keys: cofactorless in both */
    for (size_t i = 0; i < sizeof ED_MIXED / sizeof ED_MIXED[0]; i++) {
        uint8_t pub[32], sig[64], msg[64];
        unhex(ED_MIXED[i].pub, pub);
        unhex(ED_MIXED[i].sig, sig);
        size_t n = unhex(ED_MIXED[i].msg, msg);
        check(ossl_verify(sig, pub, msg, n) == ED_MIXED[i].ok && fc_ok(sig, pub, msg, n) == ED_MIXED[i].ok,
              "mixed-order key: same cofactorless outcome in both", (long)i);
    }
    printf("known cases: OpenSSL accepts %d of %zu small-order keys (fc_ed25519: 0), "
           "%d of %zu non-canonical encodings of them (fc_ed25519: 0)\n", small_ossl,
           sizeof ED_SMALL_ORDER / sizeof ED_SMALL_ORDER[0], noncanon_ossl,
           sizeof ED_NONCANONICAL / sizeof ED_NONCANONICAL[0]);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    long kinds[4][2] = { { 0 } };          /* [original, sig flip, pub flip, msg flip][valid, invalid] */

    known_cases();
    rng = seed;
    for (long i = 0; i < n; i++) {
        uint8_t sec[32], pub[32], sig[64], msg[302];
        size_t len = (size_t)(next() % 301);
        fill(sec, 32);
        fill(msg, len);
        ossl_sign(sec, msg, len, pub, sig);
        for (int kind = 0; kind < 4; kind++) {
            uint8_t s[64], p[32], m[302];
            size_t l = len;
            memcpy(s, sig, 64);
            memcpy(p, pub, 32);
            memcpy(m, msg, len);
            uint64_t r = next();
            if (kind == 1)
                s[r % 64] ^= (uint8_t)(1u << (r >> 8) % 8);
            if (kind == 2)
                p[r % 32] ^= (uint8_t)(1u << (r >> 8) % 8);
            if (kind == 3) {
                if (l)
                    m[r % l] ^= (uint8_t)(1u << (r >> 16) % 8);
                else
                    m[l++] = (uint8_t)r;
            }
            int o = ossl_verify(s, p, m, l), f = fc_ok(s, p, m, l);
            kinds[kind][!o]++;
            check(o == f, "OpenSSL and fc_ed25519 disagree", i);
            if (kind == 0)
                check(f == 1, "OpenSSL's signature rejected", i);
            if (o != f)
                printf("  case %ld kind %d: OpenSSL %d, fc_ed25519 %d\n", i, kind, o, f);
        }
    }
    printf("random: %ld keys and messages (seed %llu); valid/invalid for OpenSSL: signed %ld/%ld, "
           "signature bit flipped %ld/%ld, key bit flipped %ld/%ld, message bit flipped %ld/%ld\n",
           n, (unsigned long long)seed, kinds[0][0], kinds[0][1], kinds[1][0], kinds[1][1],
           kinds[2][0], kinds[2][1], kinds[3][0], kinds[3][1]);
    printf("ed25519-openssl: %ld passed, %ld failed\n", passed, failed);
    return failed != 0;
}
