/*
 * model.c - a plain host model of the Femto-Containers helpers for the host
 * build of the fcapps apps (see bpf/bpfapi/helpers.h here). Written from the
 * published behaviour (RIOT saul_reg, gcoap/nanocoap, ztimer, fmt; RFC 7252
 * option encoding), independently of runtime/fc_helpers*.c: this is what
 * the engines are compared with.
 *
 * The scenario is fixed and matches what tests/fcapps/run-fcapps.py gives
 * femto-run and femto-board: sensors temp 2150 (scale -2, unit 2), hum 4500
 * (scale -2, unit 0), light 312 (scale 0, unit 5); a clock at 0 that moves
 * only by sleeping; empty key-value stores.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "bpf/bpfapi/helpers.h"
#include "model.h"

/* ---- printf, memcpy, key-value ------------------------------------------- */
void *bpf_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return 0;
}

void *bpf_memcpy(void *dest, const void *src, size_t n)
{
    return memmove(dest, src, n);
}

typedef struct { uint32_t key[64], val[64]; unsigned n; } store;
static store local_store, global_store;

static int put(store *s, uint32_t k, uint32_t v)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->key[i] == k) { s->val[i] = v; return 0; }
    if (s->n == 64) return -1;
    s->key[s->n] = k; s->val[s->n++] = v;
    return 0;
}

static int get(const store *s, uint32_t k, uint32_t *v)
{
    *v = 0;
    for (unsigned i = 0; i < s->n; i++)
        if (s->key[i] == k) { *v = s->val[i]; return 0; }
    return -1;
}

int bpf_store_local(uint32_t key, uint32_t value) { return put(&local_store, key, value); }
int bpf_store_global(uint32_t key, uint32_t value) { return put(&global_store, key, value); }
int bpf_fetch_local(uint32_t key, uint32_t *value) { get(&local_store, key, value); return 0; }
int bpf_fetch_global(uint32_t key, uint32_t *value) { get(&global_store, key, value); return 0; }

/* ---- clock ---------------------------------------------------------------- */
static uint32_t clock_us;
uint32_t bpf_now_ms(void) { return clock_us / 1000; }
uint32_t bpf_ztimer_now(void) { return clock_us; }

/* RIOT ztimer_periodic_wakeup: sleep to *last + period when that is at most
 * one period away, else the deadline was missed and *last becomes now. */
void bpf_ztimer_periodic_wakeup(uint32_t *last_wakeup, uint32_t period)
{
    uint32_t target = *last_wakeup + period;
    if (target - clock_us <= period) {
        clock_us = target;
        *last_wakeup = target;
    } else {
        *last_wakeup = clock_us;
    }
}

/* ---- SAUL ------------------------------------------------------------------- */
typedef struct { uint8_t type; phydat_t d; } sensor;
static sensor sensors[] = {
    {0x82, {{2150, 0, 0}, 2, -2}},
    {0x83, {{4500, 0, 0}, 0, -2}},
    {0x84, {{312, 0, 0}, 5, 0}},
};
#define NSENSORS (sizeof sensors / sizeof sensors[0])

bpf_saul_reg_t *bpf_saul_reg_find_nth(int pos)
{
    if (pos < 0) pos = 0;
    return (size_t)pos < NSENSORS ? &sensors[pos] : NULL;
}

bpf_saul_reg_t *bpf_saul_reg_find_type(uint8_t type)
{
    for (size_t i = 0; i < NSENSORS; i++)
        if (sensors[i].type == type)
            return &sensors[i];
    return NULL;
}

int bpf_saul_reg_read(bpf_saul_reg_t *dev, phydat_t *data)
{
    if (!dev)
        return -19;   /* -ENODEV */
    *data = ((sensor *)dev)->d;
    return 1;
}

/* ---- fmt ---------------------------------------------------------------------- */
size_t bpf_fmt_u32_dec(char *out, uint32_t val)
{
    char b[16];
    int n = snprintf(b, sizeof b, "%u", val);
    if (out) memcpy(out, b, (size_t)n);
    return (size_t)n;
}

size_t bpf_fmt_s16_dfp(char *out, int16_t val, int fp_digits)
{
    char b[64];
    int n;
    long v = val, mag = v < 0 ? -v : v;
    if (fp_digits >= 0) {
        n = snprintf(b, sizeof b, "%ld", v);
        for (int k = 0; k < fp_digits; k++) b[n++] = '0';
    } else {
        long p = 1;
        for (int k = 0; k < -fp_digits; k++) p *= 10;
        n = snprintf(b, sizeof b, "%s%ld.%0*ld", v < 0 ? "-" : "", mag / p, -fp_digits, mag % p);
    }
    if (out) memcpy(out, b, (size_t)n);
    return (size_t)n;
}

/* ---- CoAP ------------------------------------------------------------------------ */
typedef struct {
    uint32_t hdr_p, token_p, payload_p;
    uint16_t payload_len, options_len;
} pkt_view;
static unsigned last_opt;

void model_coap_request(void *pkt, uint8_t *buf, size_t req_len)
{
    pkt_view *p = pkt;
    size_t k = 4 + (buf[0] & 15);
    unsigned nopt = 0;
    while (k < req_len && buf[k] != 0xff) {   /* the test's requests use no extended nibbles */
        k += 1 + (buf[k] & 15);
        nopt++;
    }
    if (k < req_len) k++;
    p->hdr_p = (uint32_t)(uintptr_t)buf;
    p->token_p = (uint32_t)(uintptr_t)buf + 4;
    p->payload_p = (uint32_t)(uintptr_t)(buf + k);
    p->payload_len = (uint16_t)(req_len - k);
    p->options_len = (uint16_t)nopt;
}

void bpf_gcoap_resp_init(bpf_coap_ctx_t *ctx, unsigned resp_code)
{
    pkt_view *p = ctx->pkt;
    uint8_t *b = ctx->buf;
    if (((b[0] >> 4) & 3) == 0)               /* CON -> ACK */
        b[0] = (uint8_t)((b[0] & 0xcf) | 0x20);
    b[1] = (uint8_t)resp_code;
    unsigned hl = 4 + (b[0] & 15);
    p->payload_p = (uint32_t)(uintptr_t)(b + hl);
    p->payload_len = (uint16_t)(ctx->buf_len - hl);
    p->options_len = 0;
    last_opt = 0;
}

void bpf_coap_add_format(bpf_coap_ctx_t *ctx, uint32_t format)
{
    pkt_view *p = ctx->pkt;
    uint8_t *w = (uint8_t *)(uintptr_t)p->payload_p, val[4];
    unsigned n = 0, delta = 12 - last_opt;
    for (uint32_t f = format; f; f >>= 8) n++;
    for (unsigned k = 0; k < n; k++) val[k] = (uint8_t)(format >> (8 * (n - 1 - k)));
    /* delta 12 and lengths below 13 fit the nibbles */
    w[0] = (uint8_t)(delta << 4 | n);
    memcpy(w + 1, val, n);
    p->payload_p += 1 + n;
    p->payload_len = (uint16_t)(p->payload_len - 1 - n);
    p->options_len++;
    last_opt = 12;
}

ssize_t bpf_coap_opt_finish(bpf_coap_ctx_t *ctx, unsigned opt)
{
    pkt_view *p = ctx->pkt;
    if (opt & 1) {
        if (!p->payload_len) return -28;
        *(uint8_t *)(uintptr_t)p->payload_p = 0xff;
        p->payload_p++;
        p->payload_len--;
    } else {
        p->payload_len = 0;
    }
    return (ssize_t)(p->payload_p - p->hdr_p);
}

uint8_t *bpf_coap_get_pdu(bpf_coap_ctx_t *ctx)
{
    return (uint8_t *)(uintptr_t)((pkt_view *)ctx->pkt)->payload_p;
}
