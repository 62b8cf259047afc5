/*
 * main.c - runs one fcapps app built for the host against the helper model
 * and prints what femto-run prints: the app's output, `coap response: N
 * bytes: ..` for a CoAP hook, then its result (low 32 bits) as 0x...
 *
 *   host-APP none | mem HEX | fletcher FILE | coap HEX
 *
 * Built with -DENTRY=function and, for a void hook, -DRET_VOID.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bpf/bpfapi/helpers.h"
#include "model.h"

#ifdef RET_VOID
void ENTRY(void *ctx);
#else
uint64_t ENTRY(void *ctx);   /* the low 32 bits are the app's int/uint32_t */
#endif

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    while (*s && n < cap && sscanf(s, "%2x", &v) == 1) {
        out[n++] = (uint8_t)v;
        s += 2;
        while (*s == ' ') s++;
    }
    return n;
}

int main(int argc, char **argv)
{
    uint8_t mem[256] = {0};
    void *ctx = NULL;
    uint8_t *buf = NULL;
    uint32_t r0;
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "mem") == 0 && argc == 3) {
        hex(argv[2], mem, sizeof mem);
        ctx = mem;
    } else if (strcmp(argv[1], "fletcher") == 0 && argc == 3) {
        static uint16_t words[4096];
        FILE *f = fopen(argv[2], "rb");
        size_t n = f ? fread(words, 1, sizeof words, f) : 0;
        struct { __bpf_shared_ptr(const uint16_t *, data); uint32_t words; } *c = (void *)mem;
        if (f) fclose(f);
        c->data = words;
        c->words = (uint32_t)(n / 2);
        ctx = c;
    } else if (strcmp(argv[1], "coap") == 0 && argc == 3) {
        /* payload_p is 32 bits in the pkt view: memory below 4 GiB */
        uint8_t *area = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        static bpf_coap_ctx_t c;
        if (area == MAP_FAILED)
            return 2;
        buf = area + 64;
        size_t n = hex(argv[2], buf, 128);
        model_coap_request(area, buf, n);
        c.pkt = area;
        c.buf = buf;
        c.buf_len = 128;
        ctx = &c;
    } else if (strcmp(argv[1], "none") != 0) {
        return 2;
    }
#ifdef RET_VOID
    ENTRY(ctx);
    r0 = 0;
#else
    r0 = (uint32_t)ENTRY(ctx);
#endif
    fflush(stdout);
    if (buf) {
        int32_t n = (int32_t)r0;
        if (n > 0 && n <= 128) {
            printf("coap response: %d bytes:", n);
            for (int k = 0; k < n; k++) printf(" %02x", buf[k]);
            printf("\n");
        }
    }
    printf("0x%x\n", r0);
    return 0;
}
