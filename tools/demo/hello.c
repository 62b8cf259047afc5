/*
 * The `make demo` program: a Femto-Containers style sensor hook.
 * The context is a buffer of bytes (a message received over the network);
 * the program checks it with Fletcher-32, counts how often it has run in its
 * key-value store, prints a line through the printf helper and returns the
 * checksum.
 *
 *   clang -target bpf -O2 -g -ffreestanding -Iruntime -c tools/demo/hello.c -o hello.o
 *   femtoc hello.o -march=thumbv7m -o hello.fcx
 */
#include <stdint.h>
#include "femtoc_bpf.h"

static uint32_t fletcher32(const uint8_t *p, uint32_t len)
{
    uint32_t a = 0xffff, b = 0xffff;
    for (uint32_t i = 0; i + 1 < len; i += 2) {
        a += (uint32_t)p[i] | ((uint32_t)p[i + 1] << 8);
        b += a;
        a = (a & 0xffff) + (a >> 16);
        b = (b & 0xffff) + (b >> 16);
    }
    a = (a & 0xffff) + (a >> 16);
    b = (b & 0xffff) + (b >> 16);
    return (b << 16) | a;
}

uint64_t hello(const uint8_t *msg, uint64_t len)
{
    uint32_t runs = 0;
    uint32_t sum = fletcher32(msg, (uint32_t)len);

    fc_fetch_local(1, &runs);
    fc_store_local(1, runs + 1);
    fc_printf("hello from femtoc: %u bytes, fletcher32 = 0x%08x, run %u\n",
              (uint32_t)len, sum, runs + 1);
    return sum;
}
