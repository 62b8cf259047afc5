/*
 * fc_helpers_fc.c - SAUL, CoAP, ztimer_periodic_wakeup and abort over the
 * firmware's port (fc_helpers_fc.h). Semantics follow RIOT's saul_reg,
 * gcoap/nanocoap and ztimer as Femto-Containers exposes them; every guest
 * pointer is checked with fc_vm_translate before a byte moves.
 */
#include "fc_helpers_fc.h"
#include "fc_helpers.h"
#include "fc_libc.h"

#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define NEG(e) ((uint64_t)0 - (uint64_t)(e))   /* the C int -e in r0 */

#define COAP_OPT_CONTENT_FORMAT 12u
#define COAP_OPT_FINISH_PAYLOAD 1u
#define COAP_TYPE_CON 0u
#define COAP_TYPE_ACK 2u

static uint64_t fault(fc_vm *vm, uint64_t addr)
{
    vm->helper_err = FC_ERR_HELPER_FAULT;
    vm->err_addr = addr;
    return 0;
}

static const fc_helper_port *port_of(const fc_vm *vm)
{
    const fc_helper_env *e = vm->env;
    return e ? e->port : 0;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned k = 8; k-- > 0;)
        v = v << 8 | p[k];
    return v;
}

static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v);
    wr16(p + 2, v >> 16);
}

/* ---- SAUL ------------------------------------------------------------------ */

/* RIOT's saul_reg_find_nth walks pos links from the head: pos <= 0 is the
 * first device. */
uint64_t fc_helper_saul_find_nth(fc_vm *vm, uint64_t pos, uint64_t r2, uint64_t r3,
                                 uint64_t r4, uint64_t r5)
{
    const fc_helper_port *p = port_of(vm);
    int32_t n = (int32_t)(uint32_t)pos;
    (void)r2; (void)r3; (void)r4; (void)r5;
    if (n < 0)
        n = 0;
    if (!p || (uint32_t)n >= p->nsaul)
        return 0;
    return (uint64_t)n + 1;
}

uint64_t fc_helper_saul_find_type(fc_vm *vm, uint64_t type, uint64_t r2, uint64_t r3,
                                  uint64_t r4, uint64_t r5)
{
    const fc_helper_port *p = port_of(vm);
    (void)r2; (void)r3; (void)r4; (void)r5;
    for (uint32_t k = 0; p && k < p->nsaul; k++)
        if (p->saul[k].type == (uint8_t)type)
            return (uint64_t)k + 1;
    return 0;
}

/* A handle that names no device reads as RIOT's NULL device: -ENODEV, and
 * nothing is written. The reading is zeroed before the driver fills it, so
 * the dimensions it leaves out read as 0 in every run. */
uint64_t fc_helper_saul_read(fc_vm *vm, uint64_t dev, uint64_t data, uint64_t r3,
                             uint64_t r4, uint64_t r5)
{
    const fc_helper_port *p = port_of(vm);
    const fc_saul_dev *d;
    fc_phydat v;
    uint8_t *out;
    int res;
    (void)r3; (void)r4; (void)r5;
    if (!p || dev == 0 || dev > p->nsaul)
        return NEG(ENODEV);
    out = fc_vm_translate(vm, data, FC_PHYDAT_SIZE, FC_PERM_W);
    if (!out)
        return fault(vm, data);
    d = &p->saul[dev - 1];
    fc_memset(&v, 0, sizeof v);
    if (d->read) {
        res = d->read(d->ctx, d, &v);
    } else {
        v = d->value;
        res = d->dim;
    }
    if (res < 0)
        return (uint64_t)(int64_t)res;
    for (unsigned k = 0; k < 3; k++)
        wr16(out + 2 * k, (uint16_t)v.val[k]);
    out[6] = v.unit;
    out[7] = (uint8_t)v.scale;
    return (uint64_t)(int64_t)res;
}

/* ---- CoAP ------------------------------------------------------------------ */

/* The pkt view a program reads (fc_helpers_fc.h). */
static void coap_sync(fc_coap_port *c)
{
    uint32_t base = (uint32_t)c->buf_addr;
    wr32(c->pkt, base);
    wr32(c->pkt + 4, base + 4u);
    wr32(c->pkt + 8, base + c->payload_off);
    wr16(c->pkt + 12, c->payload_len > 0xffffu ? 0xffffu : c->payload_len);
    wr16(c->pkt + 14, c->options_len);
}

/* An option's delta or length nibble and its extended bytes (RFC 7252 3.1):
 * the value from the nibble at *k; -1 if it runs past n or is 15. */
static int32_t opt_ext(const uint8_t *b, uint32_t n, uint32_t *k, uint32_t nib)
{
    if (nib < 13)
        return (int32_t)nib;
    if (nib == 13) {
        if (*k >= n)
            return -1;
        return (int32_t)b[(*k)++] + 13;
    }
    if (nib == 14) {
        if (n - *k < 2)
            return -1;
        *k += 2;
        return (int32_t)((uint32_t)b[*k - 2] << 8 | b[*k - 1]) + 269;
    }
    return -1;
}

int fc_coap_port_init(fc_coap_port *c, uint32_t req_len)
{
    uint32_t tkl, k, nopt = 0;
    uint16_t last = 0;
    if (!c || !c->buf || !c->pkt || req_len < 4 || req_len > c->buf_len ||
        c->buf_addr > 0xffffffffu - c->buf_len)
        return -1;
    tkl = c->buf[0] & 0x0fu;
    if ((c->buf[0] >> 6) != 1 || tkl > 8 || 4 + tkl > req_len)
        return -1;
    k = 4 + tkl;
    while (k < req_len && c->buf[k] != 0xff) {
        uint32_t h = c->buf[k++];
        int32_t delta = opt_ext(c->buf, req_len, &k, h >> 4);
        int32_t len = delta < 0 ? -1 : opt_ext(c->buf, req_len, &k, h & 0x0fu);
        if (len < 0 || (uint32_t)len > req_len - k || (uint32_t)last + (uint32_t)delta > 0xffffu)
            return -1;
        last = (uint16_t)(last + delta);
        k += (uint32_t)len;
        nopt++;
    }
    if (k < req_len) {   /* the payload marker: a payload must follow */
        k++;
        if (k == req_len)
            return -1;
    }
    c->req_len = req_len;
    c->payload_off = k;
    c->payload_len = req_len - k;
    c->options_len = (uint16_t)nopt;
    c->last_opt = last;
    c->resp_started = 0;
    coap_sync(c);
    return 0;
}

/* The port's packet, if the coap context at ctx names exactly it (and the
 * program may see it: the buffer read-write, the pkt view readable, both at
 * the port's host bytes); else NULL with the helper failed. */
static fc_coap_port *coap_of(fc_vm *vm, uint64_t ctx)
{
    const fc_helper_port *p = port_of(vm);
    fc_coap_port *c = p ? p->coap : 0;
    const uint8_t *v;
    if (!c || !c->buf || !c->pkt) {
        fault(vm, ctx);
        return 0;
    }
    v = fc_vm_translate(vm, ctx, 24, FC_PERM_R);
    if (!v) {
        fault(vm, ctx);
        return 0;
    }
    if (rd64(v) != c->pkt_addr || rd64(v + 8) != c->buf_addr ||
        (uint32_t)rd64(v + 16) != c->buf_len ||
        fc_vm_translate(vm, c->buf_addr, c->buf_len, FC_PERM_W) != (void *)c->buf ||
        fc_vm_translate(vm, c->pkt_addr, FC_COAP_PKT_VIEW, FC_PERM_R) != (void *)c->pkt) {
        fault(vm, ctx);
        return 0;
    }
    return c;
}

/* gcoap_resp_init: the request's header becomes the response's (a CON
 * request is answered with an ACK), code set, options and payload start
 * after the token; the whole rest of the buffer is payload room. RIOT's
 * Observe registration is not simulated. */
uint64_t fc_helper_gcoap_resp_init(fc_vm *vm, uint64_t ctx, uint64_t code, uint64_t r3,
                                   uint64_t r4, uint64_t r5)
{
    fc_coap_port *c = coap_of(vm, ctx);
    uint32_t hdr;
    (void)r3; (void)r4; (void)r5;
    if (!c)
        return 0;
    hdr = 4u + (c->buf[0] & 0x0fu);
    if (hdr > c->buf_len)
        return fault(vm, ctx);
    if (((c->buf[0] >> 4) & 3u) == COAP_TYPE_CON)
        c->buf[0] = (uint8_t)((c->buf[0] & ~0x30u) | COAP_TYPE_ACK << 4);
    c->buf[1] = (uint8_t)code;
    c->payload_off = hdr;
    c->payload_len = c->buf_len - hdr;
    c->options_len = 0;
    c->last_opt = 0;
    c->resp_started = 1;
    coap_sync(c);
    return 0;
}

/* Bytes of an option nibble's extension for value v (RFC 7252 3.1). */
static uint32_t ext_len(uint32_t v)
{
    return v < 13 ? 0 : v < 269 ? 1 : 2;
}

static uint8_t *put_ext(uint8_t *p, uint32_t v)
{
    if (v >= 269) {
        *p++ = (uint8_t)((v - 269) >> 8);
        *p++ = (uint8_t)(v - 269);
    } else if (v >= 13) {
        *p++ = (uint8_t)(v - 13);
    }
    return p;
}

static uint32_t nibble(uint32_t v)
{
    return v < 13 ? v : v < 269 ? 13 : 14;
}

/* coap_opt_add_format: Content-Format (12) as a minimal big-endian uint
 * (0 takes no byte). Options go in ascending order: one numbered below
 * the last is -EINVAL (RIOT asserts); no room is -ENOSPC. */
uint64_t fc_helper_coap_add_format(fc_vm *vm, uint64_t ctx, uint64_t format, uint64_t r3,
                                   uint64_t r4, uint64_t r5)
{
    fc_coap_port *c = coap_of(vm, ctx);
    uint32_t f = (uint32_t)format, vlen = 0, delta, total;
    uint8_t *p;
    (void)r3; (void)r4; (void)r5;
    if (!c)
        return 0;
    if (!c->resp_started || c->last_opt > COAP_OPT_CONTENT_FORMAT)
        return NEG(EINVAL);
    for (uint32_t t = f; t; t >>= 8)
        vlen++;
    delta = COAP_OPT_CONTENT_FORMAT - c->last_opt;
    total = 1 + ext_len(delta) + ext_len(vlen) + vlen;
    if (total > c->payload_len)
        return NEG(ENOSPC);
    p = c->buf + c->payload_off;
    *p++ = (uint8_t)(nibble(delta) << 4 | nibble(vlen));
    p = put_ext(p, delta);
    p = put_ext(p, vlen);
    for (uint32_t k = vlen; k-- > 0;)
        *p++ = (uint8_t)(f >> (8 * k));
    c->payload_off += total;
    c->payload_len -= total;
    c->options_len++;
    c->last_opt = COAP_OPT_CONTENT_FORMAT;
    coap_sync(c);
    return total;
}

/* coap_opt_finish: with COAP_OPT_FINISH_PAYLOAD the payload marker (no room:
 * -ENOSPC), else no payload; returns the PDU length so far. */
uint64_t fc_helper_coap_opt_finish(fc_vm *vm, uint64_t ctx, uint64_t flags, uint64_t r3,
                                   uint64_t r4, uint64_t r5)
{
    fc_coap_port *c = coap_of(vm, ctx);
    (void)r3; (void)r4; (void)r5;
    if (!c)
        return 0;
    if (!c->resp_started)
        return NEG(EINVAL);
    if ((uint16_t)flags & COAP_OPT_FINISH_PAYLOAD) {
        if (!c->payload_len)
            return NEG(ENOSPC);
        c->buf[c->payload_off++] = 0xff;
        c->payload_len--;
    } else {
        c->payload_len = 0;
    }
    coap_sync(c);
    return c->payload_off;
}

/* The payload position (guest address), as RIOT's pkt->payload. */
uint64_t fc_helper_coap_get_pdu(fc_vm *vm, uint64_t ctx, uint64_t r2, uint64_t r3,
                                uint64_t r4, uint64_t r5)
{
    fc_coap_port *c = coap_of(vm, ctx);
    (void)r2; (void)r3; (void)r4; (void)r5;
    if (!c)
        return 0;
    return c->buf_addr + c->payload_off;
}

/* ---- ztimer ------------------------------------------------------------------ */

/* RIOT's ztimer_periodic_wakeup on the microsecond clock (env->now_us, low
 * 32 bits): target = *last + period; if it is at most period ahead, sleep
 * until it and *last = target, else (missed) *last = now. */
uint64_t fc_helper_ztimer_periodic_wakeup(fc_vm *vm, uint64_t last, uint64_t period,
                                          uint64_t r3, uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = vm->env;
    const fc_helper_port *p = port_of(vm);
    uint8_t *q = fc_vm_translate(vm, last, 4, FC_PERM_W);
    uint32_t now, target, offset, per = (uint32_t)period, l;
    (void)r3; (void)r4; (void)r5;
    if (!q)
        return fault(vm, last);
    now = e && e->now_us ? (uint32_t)e->now_us(e->ctx) : 0;
    l = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
    target = l + per;
    offset = target - now;
    if (offset <= per) {
        if (p && p->sleep_us)
            p->sleep_us(p->ctx, offset);
        wr32(q, target);
    } else {
        wr32(q, now);
    }
    return 0;
}

/* ---- abort --------------------------------------------------------------------- */

/* Stop the program: FC_ERR_UNWIND with err_addr = code (femtoc_bpf.h's
 * fc_abort / fc_assert pass the source line). */
uint64_t fc_helper_abort(fc_vm *vm, uint64_t code, uint64_t r2, uint64_t r3, uint64_t r4,
                         uint64_t r5)
{
    (void)r2; (void)r3; (void)r4; (void)r5;
    vm->helper_err = FC_ERR_UNWIND;
    vm->err_addr = code;
    return 0;
}
