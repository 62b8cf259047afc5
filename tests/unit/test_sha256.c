/* Unit tests: SHA-256 (runtime/fc_sha256.c) against the FIPS 180-4 / NIST
 * example vectors and against the system's sha256sum on generated data. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fc_sha256.h"

static void to_hex(const uint8_t d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_vector(const char *msg, size_t len, const char *want)
{
    uint8_t d[32];
    char h[65];
    fc_sha256(msg, len, d);
    to_hex(d, h);
    cr_assert_str_eq(h, want, "sha256 of a %zu-byte message", len);
}

/* The examples published with FIPS 180-4 (NIST CSRC "SHA256.pdf") */
Test(sha256, fips_one_block)
{
    check_vector("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, fips_two_blocks)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_vector(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, empty_message)
{
    check_vector("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, million_a_incremental)
{
    /* one million 'a', fed in uneven pieces through update() */
    static char a[1000];
    fc_sha256_ctx c;
    uint8_t d[32];
    char h[65];
    size_t done = 0, step = 1;
    memset(a, 'a', sizeof a);
    fc_sha256_init(&c);
    while (done < 1000000) {
        size_t n = step < 1000000 - done ? step : 1000000 - done;
        if (n > sizeof a)
            n = sizeof a;
        fc_sha256_update(&c, a, n);
        done += n;
        step = step * 7 % 997 + 1;
    }
    fc_sha256_final(&c, d);
    to_hex(d, h);
    cr_assert_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* sha256sum of the same bytes, through a temporary file */
static void system_sha256(const uint8_t *data, size_t len, char out[65])
{
    char path[] = "/tmp/fc_sha256_XXXXXX", cmd[128];
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp");
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    FILE *p = popen(cmd, "r");
    cr_assert(p, "cannot run sha256sum");
    cr_assert_eq(fscanf(p, "%64s", out), 1, "no output from sha256sum");
    cr_assert_eq(pclose(p), 0, "sha256sum failed");
    unlink(path);
}

Test(sha256, matches_sha256sum_on_generated_data)
{
    /* every length around the padding boundaries (55/56/63/64 mod 64) and a
     * few large ones; contents from a fixed xorshift generator */
    size_t lens[] = { 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65537, 300001 };
    uint32_t x = 0x12345678u;
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        uint8_t *buf = malloc(n), d[32], d2[32];
        char mine[65], sys[65];
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            buf[i] = (uint8_t)x;
        }
        fc_sha256(buf, n, d);
        to_hex(d, mine);
        system_sha256(buf, n, sys);
        cr_assert_str_eq(mine, sys, "length %zu", n);
        /* the same through byte-at-a-time updates */
        fc_sha256_ctx c;
        fc_sha256_init(&c);
        for (size_t i = 0; i < n && n <= 4096; i++)
            fc_sha256_update(&c, buf + i, 1);
        if (n <= 4096) {
            fc_sha256_final(&c, d2);
            cr_assert(memcmp(d, d2, 32) == 0, "incremental differs at length %zu", n);
        }
        free(buf);
    }
}
