/*
 * Unit tests: signed containers. Host signing (compiler/fc_sign.c, OpenSSL),
 * the trailer record (COSE_Sign1), and the device policy in the loader
 * (runtime/fc_loader.c, verification with runtime/fc_ed25519.c): a trusted
 * signature installs native code; unsigned, untrusted or changed containers
 * get bytecode only or are refused, before anything is written. Keys are
 * made here, per run (never a committed private key).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include "fc_fcx.h"
#include "fc_loader.h"
#include "fc_sign.h"
#include "fc_sha256.h"

#define FLASH_SIZE (32u * 1024u)
#define SLOT_SIZE  (16u * 1024u)
#define MAP_ADDR   0x08000000u
#define RAM_ADDR   0x20001000u

static _Alignas(8) uint8_t flash_mem[FLASH_SIZE];
static uint8_t snapshot[FLASH_SIZE];
static fc_flash_sim sim;
static _Alignas(8) uint8_t ram[1024];
static _Alignas(8) uint8_t pagebuf[256];
static fc_platform plat;
static fc_install_cfg cfg;
static fc_trust_key trusted[2];

#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }
/* r0 = 42 */
static fc_insn prog42[] = { I(0xb7, 0, 0, 0, 42), I(0x95, 0, 0, 0, 0) };
/* Thumb-2: movs r0, #42 ... bx lr (never executed on the host: the engine
 * choice is what these tests look at) */
static uint8_t tcode[16] = { 0x2a, 0x20, 0x70, 0x47, 0x00, 0xbf, 0x00, 0xbf,
                             0x00, 0xbf, 0x00, 0xbf, 0x00, 0xbf, 0x00, 0xbf };
static uint32_t tentry[1] = { 0 };

static void setup(void)
{
    cr_assert_eq(fc_flash_sim_init(&sim, flash_mem, FLASH_SIZE, 256, 8, MAP_ADDR), FC_FLASH_OK);
    memset(&plat, 0, sizeof plat);
    plat.target = FC_TARGET_THUMBV7M;
    plat.isa = FC_ISA_T2_HWDIV;
    memset(&cfg, 0, sizeof cfg);
    cfg.plat = &plat;
    cfg.slot.flash = &sim.flash;
    cfg.slot.off = 0;
    cfg.slot.size = SLOT_SIZE;
    cfg.ram = ram;
    cfg.ram_len = sizeof ram;
    cfg.ram_addr = RAM_ADDR;
    cfg.buf = pagebuf;
    cfg.buf_len = sizeof pagebuf;
}

static void snap(void)
{
    memcpy(snapshot, flash_mem, FLASH_SIZE);
    sim.n_erase = sim.n_program = 0;
}

static void assert_flash_untouched(void)
{
    cr_assert_eq(sim.n_erase, 0, "erase happened");
    cr_assert_eq(sim.n_program, 0, "program happened");
    cr_assert(memcmp(snapshot, flash_mem, FLASH_SIZE) == 0, "flash changed");
}

/* A fresh Ed25519 key as a PEM file; *pub its raw public key. */
static char *make_key(uint8_t pub[32])
{
    static int n;
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/fc-test-key-%d-%d.pem", (int)getpid(), n++);
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    cr_assert(k, "keygen");
    FILE *f = fopen(path, "w");
    cr_assert(f);
    cr_assert(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1);
    fclose(f);
    size_t len = 32;
    cr_assert(EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 && len == 32);
    EVP_PKEY_free(k);
    return path;
}

static fc_sign_key *load(const char *path)
{
    char err[300];
    fc_sign_key *k = fc_sign_load_key(path, err, sizeof err);
    cr_assert(k, "%s", err);
    return k;
}

static uint8_t *native_fcx(size_t *len)
{
    static fc_prog p;
    static fc_fcx_code c;
    memset(&p, 0, sizeof p);
    p.insns = prog42;
    p.ninsns = 2;
    c = (fc_fcx_code){ .target = FC_TARGET_THUMBV7M, .isa = FC_ISA_T2_HWDIV, .code = tcode,
                       .code_len = sizeof tcode, .entry_offsets = tentry };
    fc_fcx_input in = { .prog = &p, .code = &c, .ncode = 1 };
    uint8_t *b = NULL;
    cr_assert_eq(fc_fcx_write_alloc(&in, &b, len, NULL), FC_FCX_OK);
    return b;
}

static uint8_t *sign(const uint8_t *b, size_t len, const fc_sign_key *k, size_t *slen)
{
    uint8_t *s = NULL;
    char err[300];
    cr_assert_eq(fc_fcx_sign(b, len, k, &s, slen, err, sizeof err), 0, "%s", err);
    return s;
}

static int install(const uint8_t *b, size_t len, fc_install_info *info, fc_lresult *r)
{
    fc_app app;
    return fc_install(b, (uint32_t)len, &cfg, &app, info, r);
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

Test(sign, record_is_cose_sign1_and_verifies_with_openssl, .init = setup)
{
    uint8_t pub[32], kid[8], h[32];
    char *kp = make_key(pub);
    fc_sign_key *k = load(kp);
    size_t len, slen;
    uint8_t *b = native_fcx(&len), *s = sign(b, len, k, &slen);
    fc_fcx_header hd;
    cr_assert(fc_fcx_read_header(s, (uint32_t)slen, &hd));
    cr_assert_eq(hd.image_size, len, "the payload keeps its size");
    cr_assert(hd.flags & FC_FCX_F_TRAILER);
    cr_assert_eq(slen, len + 8 + 88);
    cr_assert_eq(le32(s + len), FC_FCX_TRAILER_SIGNATURE);
    cr_assert_eq(le32(s + len + 4), FC_FCX_SIG_LEN);
    const uint8_t *body = s + len + 8;
    /* tag 18, array(4), protected bstr(13) {1: -8, 4: h'kid'}, {}, nil, bstr(64) */
    static const uint8_t head[] = { 0xD2, 0x84, 0x4D, 0xA2, 0x01, 0x27, 0x04, 0x48 };
    cr_assert(memcmp(body, head, sizeof head) == 0);
    fc_sha256(pub, 32, h);
    fc_sign_key_id(pub, kid);
    cr_assert(memcmp(kid, h, 8) == 0);
    cr_assert(memcmp(body + 8, kid, 8) == 0);
    cr_assert_eq(body[16], 0xA0);
    cr_assert_eq(body[17], 0xF6);
    cr_assert_eq(body[18], 0x58);
    cr_assert_eq(body[19], 0x40);
    cr_assert_eq(fc_fcx_validate(s, (uint32_t)slen, NULL), FC_OK);
    cr_assert(fc_fcx_sig_check_host(s, hd.image_size, body, FC_FCX_SIG_LEN, pub));
    /* the Sig_structure prefix: 84 6A "Signature1" 4D <prot> 40 59 <len16> */
    uint8_t pre[FC_FCX_SIG_MAX_PREFIX];
    uint32_t np = fc_fcx_sig_prefix(pre, kid, 300);
    cr_assert_eq(np, 1 + 11 + 14 + 1 + 3);
    cr_assert_eq(pre[0], 0x84);
    cr_assert(memcmp(pre + 1, "\x6aSignature1", 11) == 0);
    cr_assert_eq(pre[27], 0x59);
    cr_assert_eq(pre[28], 0x01);
    cr_assert_eq(pre[29], 0x2c);
    cr_assert_eq(fc_fcx_sig_prefix(pre, kid, 23), 28, "short payload: length in the head byte");
    cr_assert_eq(pre[27], 0x57);
    cr_assert_eq(fc_fcx_sig_prefix(pre, kid, 70000), 32);
    cr_assert_eq(pre[27], 0x5A);
    /* re-signing replaces the signature: one record, still valid */
    size_t s2len;
    uint8_t *s2 = sign(s, slen, k, &s2len);
    cr_assert_eq(s2len, slen);
    cr_assert(memcmp(s2, s, slen) == 0, "Ed25519 is deterministic: same bytes");
    free(s2);
    free(s);
    free(b);
    fc_sign_free(k);
    unlink(kp);
    free(kp);
}

Test(sign, trusted_signature_installs_native_code, .init = setup)
{
    char *kp = make_key(trusted[0].pub);
    fc_sign_key *k = load(kp);
    size_t len, slen;
    uint8_t *b = native_fcx(&len), *s = sign(b, len, k, &slen);
    fc_install_info info;
    fc_lresult r;
    plat.trusted = trusted;
    plat.ntrusted = 1;
    const uint32_t policies[2] = { FC_POLICY_NATIVE_SIGNED, FC_POLICY_REQUIRE_SIGNATURE };
    for (int p = 0; p < 2; p++) {
        plat.policy = policies[p];
        cr_assert_eq(install(s, slen, &info, &r), FC_OK, "%s", r.what);
        cr_assert_eq(info.engine, FC_TARGET_THUMBV7M);
        cr_assert_eq(info.trust, FC_TRUST_OK);
        cr_assert_eq(info.key, 0);
        cr_assert_eq(info.native_dropped, 0);
        /* after a reboot the slot still says so */
        fc_app app;
        cr_assert_eq(fc_open(&cfg, &app, &r), FC_OK, "%s", r.what);
        cr_assert_eq(app.trust, FC_TRUST_OK);
        cr_assert_eq(app.engine, FC_TARGET_THUMBV7M);
    }
    /* the second of two trusted keys */
    uint8_t other[32];
    char *kp2 = make_key(other);
    memcpy(trusted[1].pub, trusted[0].pub, 32);
    memcpy(trusted[0].pub, other, 32);
    plat.ntrusted = 2;
    cr_assert_eq(install(s, slen, &info, &r), FC_OK, "%s", r.what);
    cr_assert_eq(info.trust, FC_TRUST_OK);
    cr_assert_eq(info.key, 1);
    free(s);
    free(b);
    fc_sign_free(k);
    unlink(kp);
    unlink(kp2);
    free(kp);
    free(kp2);
}

Test(sign, unsigned_or_untrusted_gets_bytecode_only_or_is_refused, .init = setup)
{
    uint8_t stranger[32];
    char *kp = make_key(trusted[0].pub), *kp2 = make_key(stranger);
    fc_sign_key *k2 = load(kp2);
    size_t len, slen;
    uint8_t *b = native_fcx(&len), *s = sign(b, len, k2, &slen);
    fc_install_info info;
    fc_lresult r;
    plat.trusted = trusted;
    plat.ntrusted = 1;
    struct { const uint8_t *b; size_t len; unsigned trust; int refuse; const char *msg; } c[2] = {
        { b, len, FC_TRUST_UNSIGNED, FC_LERR_SIGNATURE, "unsigned" },
        { s, slen, FC_TRUST_UNTRUSTED, FC_LERR_SIG_UNTRUSTED, "not trusted" },
    };
    for (int i = 0; i < 2; i++) {
        /* native needs a signature: bytecode only, said so */
        plat.policy = FC_POLICY_NATIVE_SIGNED;
        cr_assert_eq(install(c[i].b, c[i].len, &info, &r), FC_OK, "%s", r.what);
        cr_assert_eq(info.engine, FC_TARGET_EBPF);
        cr_assert_eq(info.trust, c[i].trust);
        cr_assert_eq(info.native_dropped, 1);
        /* ... and refused when the install insists on native code */
        cfg.flags = FC_INSTALL_REQUIRE_NATIVE;
        snap();
        cr_assert_eq(install(c[i].b, c[i].len, &info, &r), c[i].refuse);
        cr_assert(strstr(r.what, "native code needs a signature by a trusted key"), "%s", r.what);
        assert_flash_untouched();
        cfg.flags = 0;
        /* refuse anything unsigned */
        plat.policy = FC_POLICY_REQUIRE_SIGNATURE;
        snap();
        cr_assert_eq(install(c[i].b, c[i].len, &info, &r), c[i].refuse);
        assert_flash_untouched();
        char msg[200];
        fc_lresult_format(&r, msg, sizeof msg);
        cr_assert(strstr(msg, c[i].msg) || strstr(msg, "no key"), "%s", msg);
        /* development policy: accepted, native, trust still reported */
        plat.policy = FC_POLICY_ACCEPT_UNSIGNED;
        cr_assert_eq(install(c[i].b, c[i].len, &info, &r), FC_OK);
        cr_assert_eq(info.engine, FC_TARGET_THUMBV7M);
        cr_assert_eq(info.trust, c[i].trust);
    }
    /* installed natively under the development policy, then re-opened by a
     * firmware with a stricter one: refused, not run */
    plat.ntrusted = 1;
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;
    cr_assert_eq(install(b, len, &info, &r), FC_OK);
    cr_assert_eq(info.engine, FC_TARGET_THUMBV7M);
    fc_app app;
    plat.policy = FC_POLICY_NATIVE_SIGNED;
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_LERR_SIGNATURE);
    plat.policy = FC_POLICY_REQUIRE_SIGNATURE;
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_LERR_SIGNATURE);
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_OK);
    /* bytecode-only installs of unsigned containers reopen under NATIVE_SIGNED */
    plat.policy = FC_POLICY_NATIVE_SIGNED;
    cr_assert_eq(install(b, len, &info, &r), FC_OK);
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_OK, "%s", r.what);
    cr_assert_eq(app.engine, FC_TARGET_EBPF);
    /* no trust store at all: nothing can be trusted */
    plat.ntrusted = 0;
    plat.policy = FC_POLICY_NATIVE_SIGNED;
    cr_assert_eq(install(s, slen, &info, &r), FC_OK);
    cr_assert_eq(info.trust, FC_TRUST_UNTRUSTED);
    cr_assert_eq(info.engine, FC_TARGET_EBPF);
    free(s);
    free(b);
    fc_sign_free(k2);
    unlink(kp);
    unlink(kp2);
    free(kp);
    free(kp2);
}

/* One changed byte anywhere in the signed payload (hash recomputed, so only
 * the signature can tell), in the signature or in the key id: never native. */
Test(sign, zeroed_platform_never_runs_unsigned_native_code, .init = setup)
{
    /* setup() zeroes the platform and sets no policy: the default must be
     * NATIVE_SIGNED, with or without a trust store */
    size_t len;
    uint8_t *b = native_fcx(&len);
    fc_install_info info;
    fc_lresult r;
    fc_app app;
    cr_assert_eq(plat.policy, 0u);
    cr_assert_eq(FC_POLICY_NATIVE_SIGNED, 0u);
    for (int keys = 0; keys < 2; keys++) {
        plat.trusted = keys ? trusted : NULL;
        plat.ntrusted = (uint32_t)keys;
        cr_assert_eq(install(b, len, &info, &r), FC_OK, "%s", r.what);
        cr_assert_eq(info.engine, FC_TARGET_EBPF);
        cr_assert_eq(info.native_dropped, 1);
    }
    /* installed natively on purpose, reopened by a firmware with the default */
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;
    cr_assert_eq(install(b, len, &info, &r), FC_OK, "%s", r.what);
    cr_assert_eq(info.engine, FC_TARGET_THUMBV7M);
    plat.policy = 0;
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_LERR_SIGNATURE);
    /* ACCEPT_UNSIGNED does not weaken REQUIRE_SIGNATURE */
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED | FC_POLICY_REQUIRE_SIGNATURE;
    cr_assert_eq(fc_open(&cfg, &app, &r), FC_LERR_SIGNATURE);
    snap();
    cr_assert_eq(install(b, len, &info, &r), FC_LERR_SIGNATURE);
    assert_flash_untouched();
    free(b);
}

Test(sign, every_changed_byte_loses_native_code, .init = setup)
{
    char *kp = make_key(trusted[0].pub);
    fc_sign_key *k = load(kp);
    size_t len, slen;
    uint8_t *b = native_fcx(&len), *s = sign(b, len, k, &slen);
    uint8_t *t = malloc(slen);
    fc_install_info info;
    fc_lresult r;
    unsigned invalid = 0, refused = 0, untrusted = 0;
    plat.trusted = trusted;
    plat.ntrusted = 1;
    for (size_t i = 0; i < slen; i++) {
        if (i >= FC_FCX_H_SHA256 && i < FC_FCX_H_SHA256 + 32)
            continue;   /* the hash field itself: recomputed below anyway */
        memcpy(t, s, slen);
        t[i] ^= 0x01;
        if (i < len)
            fc_fcx_rehash(t, slen);
        plat.policy = FC_POLICY_NATIVE_SIGNED;
        int e = install(t, slen, &info, &r);
        if (e != FC_OK) {
            refused++;                      /* the structure check caught it */
            continue;
        }
        cr_assert_neq(info.engine, FC_TARGET_THUMBV7M, "byte %zu: native code from a changed container", i);
        cr_assert_neq(info.trust, FC_TRUST_OK, "byte %zu", i);
        if (info.trust == FC_TRUST_INVALID)
            invalid++;
        else
            untrusted++;
        plat.policy = FC_POLICY_REQUIRE_SIGNATURE;
        snap();
        e = install(t, slen, &info, &r);
        cr_assert(e == FC_LERR_SIG_INVALID || e == FC_LERR_SIG_UNTRUSTED || e == FC_LERR_SIGNATURE,
                  "byte %zu: %s", i, fc_lerr_str(e));
        assert_flash_untouched();
    }
    cr_assert_gt(invalid, 0);
    cr_assert_geq(untrusted, 8, "the key id bytes at least");
    cr_log_info("changed bytes: %u invalid signature, %u untrusted, %u refused by structure",
                invalid, untrusted, refused);
    /* stripped: trailer removed, flag cleared, re-hashed: unsigned */
    memcpy(t, s, len);
    fc_put_le32(t + FC_FCX_H_FLAGS, 0);
    fc_fcx_rehash(t, len);
    plat.policy = FC_POLICY_NATIVE_SIGNED;
    cr_assert_eq(install(t, len, &info, &r), FC_OK);
    cr_assert_eq(info.trust, FC_TRUST_UNSIGNED);
    cr_assert_eq(info.engine, FC_TARGET_EBPF);
    /* the signature appended to another container: invalid */
    free(t);
    free(s);
    free(b);
    fc_sign_free(k);
    unlink(kp);
    free(kp);
}

Test(sign, keys_are_checked, .init = setup)
{
    char err[300];
    uint8_t pub[32];
    /* an EC key is not Ed25519 */
    EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    cr_assert(ec);
    char path[64];
    snprintf(path, sizeof path, "/tmp/fc-test-ec-%d.pem", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert(PEM_write_PrivateKey(f, ec, NULL, NULL, 0, NULL, NULL) == 1);
    fclose(f);
    EVP_PKEY_free(ec);
    cr_assert_null(fc_sign_load_key(path, err, sizeof err));
    cr_assert(strstr(err, "not an Ed25519 key"), "%s", err);
    cr_assert_eq(fc_sign_load_pub(path, pub, err, sizeof err), -1);
    unlink(path);
    cr_assert_null(fc_sign_load_key("/nonexistent/key.pem", err, sizeof err));
    /* the public half from the private PEM equals OpenSSL's */
    uint8_t want[32];
    char *kp = make_key(want);
    cr_assert_eq(fc_sign_load_pub(kp, pub, err, sizeof err), 0, "%s", err);
    cr_assert(memcmp(pub, want, 32) == 0);
    unlink(kp);
    free(kp);
}
