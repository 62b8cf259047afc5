/*
 * fc_helpers_fc.h - the Femto-Containers helpers that reach the firmware's
 * devices: SAUL sensors (0x30..0x32), the CoAP response builder
 * (0x40..0x43), ztimer_periodic_wakeup (0x61), plus femtoc's own abort
 * (0xf0). Freestanding C99, no allocation, no state of their own.
 *
 * The firmware fills a port (fc_helper_port, caller-owned memory) and hangs
 * it on its fc_helper_env (env->port). Without a port: no sensor is found,
 * the CoAP helpers fault, periodic_wakeup does not sleep.
 *
 *   id    name                    r1..r5                    r0
 *   0x30  saul_reg_find_nth       int pos (0-based)         handle, 0 if none
 *   0x31  saul_reg_find_type      uint8 type                handle, 0 if none
 *   0x32  saul_reg_read           handle, phydat_t *out     dimensions, or -19
 *   0x40  gcoap_resp_init         coap ctx, code            0
 *   0x41  coap_opt_finish         coap ctx, flags           PDU length, or -28
 *   0x42  coap_add_format         coap ctx, format          option bytes, or < 0
 *   0x43  coap_get_pdu            coap ctx                  payload address
 *   0x61  ztimer_periodic_wakeup  uint32_t *last, period    0
 *   0xf0  fc_abort                code                      (stops: FC_ERR_UNWIND)
 *
 * Handles are small numbers (device index + 1), never host addresses.
 * Every pointer argument is checked against the VM's regions as the
 * standard helpers do (docs/sandbox.md section 7); the CoAP context must
 * name exactly the port's packet (see fc_coap_port).
 */
#ifndef FC_HELPERS_FC_H
#define FC_HELPERS_FC_H

#include <stdint.h>
#include "fc_vm.h"

#define FC_HELPER_SAUL_FIND_NTH    0x30u
#define FC_HELPER_SAUL_FIND_TYPE   0x31u
#define FC_HELPER_SAUL_READ        0x32u
#define FC_HELPER_GCOAP_RESP_INIT  0x40u
#define FC_HELPER_COAP_OPT_FINISH  0x41u
#define FC_HELPER_COAP_ADD_FORMAT  0x42u
#define FC_HELPER_COAP_GET_PDU     0x43u
#define FC_HELPER_ZTIMER_PERIODIC  0x61u
#define FC_HELPER_ABORT            0xf0u   /* femtoc's own, not in Femto-Containers */

/* RIOT's phydat_t, as a program sees it: 8 bytes, little-endian. */
typedef struct fc_phydat {
    int16_t val[3];
    uint8_t unit;
    int8_t scale;
} fc_phydat;
#define FC_PHYDAT_SIZE 8u

/* ---- SAUL: a registry of sensors ---------------------------------------- */
typedef struct fc_saul_dev {
    const char *name;
    uint8_t type;                 /* SAUL class, e.g. 0x82 SAUL_SENSE_TEMP */
    /* read the sensor: fill *out, return the number of dimensions (1..3) or
     * a negative errno; NULL: the fixed reading value/dim below */
    int (*read)(void *ctx, const struct fc_saul_dev *dev, fc_phydat *out);
    void *ctx;
    fc_phydat value;
    int dim;
} fc_saul_dev;

/* ---- CoAP: one packet buffer the response is built in ----------------------
 * A program gets a context (Femto-Containers' bpf_coap_ctx_t, 24 bytes):
 *
 *   +0  pkt      (8-byte slot, __bpf_shared_ptr) guest address of the pkt view
 *   +8  buf      (8-byte slot)                   guest address of the buffer
 *   +16 buf_len  (size_t: 8 bytes)
 *
 * and may read the pkt view (RIOT's coap_pkt_t head as their apps see it,
 * 16 bytes: u32 hdr_p, u32 token_p, u32 payload_p, u16 payload_len,
 * u16 options_len) and write the buffer. The firmware grants the pkt view
 * (read-only) and the buffer (read-write) as extra regions, never inside
 * the stack, .data/.bss or the context: the helpers write them although
 * the program passes only the context (the verifier does not model extra
 * regions' contents, so this keeps its proofs sound). The helpers check
 * that the context's three fields name exactly this packet, and that both
 * addresses translate to these host bytes; anything else is a helper fault.
 */
#define FC_COAP_PKT_VIEW 16u
typedef struct fc_coap_port {
    uint8_t *buf;           /* host view of the packet buffer */
    uint32_t buf_len;
    uint64_t buf_addr;      /* its guest address (below 2^32) */
    uint8_t *pkt;           /* host view of the 16-byte pkt view */
    uint64_t pkt_addr;
    /* state (fc_coap_port_init; the helpers keep it) */
    uint32_t req_len;       /* the request's bytes at buf */
    uint32_t payload_off, payload_len;
    uint16_t options_len, last_opt;
    uint8_t resp_started;   /* gcoap_resp_init was called */
} fc_coap_port;

/* Fill the port for a request of req_len bytes already at c->buf: parses the
 * header, token and options to find the payload (as RIOT's parser leaves
 * coap_pkt_t for a handler) and writes the pkt view. 0, or -1 if the
 * request is not a well-formed CoAP message that fits the buffer. */
int fc_coap_port_init(fc_coap_port *c, uint32_t req_len);

/* ---- the port ---------------------------------------------------------------- */
typedef struct fc_helper_port {
    const fc_saul_dev *saul;      /* registry, in find_nth order */
    uint32_t nsaul;
    fc_coap_port *coap;           /* NULL: no CoAP packet */
    /* ztimer_periodic_wakeup: sleep us microseconds (a simulator advances its
     * clock, env->now_us); NULL: do not sleep */
    void (*sleep_us)(void *ctx, uint32_t us);
    void *ctx;
} fc_helper_port;

uint64_t fc_helper_saul_find_nth(fc_vm *vm, uint64_t pos, uint64_t r2, uint64_t r3,
                                 uint64_t r4, uint64_t r5);
uint64_t fc_helper_saul_find_type(fc_vm *vm, uint64_t type, uint64_t r2, uint64_t r3,
                                  uint64_t r4, uint64_t r5);
uint64_t fc_helper_saul_read(fc_vm *vm, uint64_t dev, uint64_t data, uint64_t r3,
                             uint64_t r4, uint64_t r5);
uint64_t fc_helper_gcoap_resp_init(fc_vm *vm, uint64_t ctx, uint64_t code, uint64_t r3,
                                   uint64_t r4, uint64_t r5);
uint64_t fc_helper_coap_opt_finish(fc_vm *vm, uint64_t ctx, uint64_t flags, uint64_t r3,
                                   uint64_t r4, uint64_t r5);
uint64_t fc_helper_coap_add_format(fc_vm *vm, uint64_t ctx, uint64_t format, uint64_t r3,
                                   uint64_t r4, uint64_t r5);
uint64_t fc_helper_coap_get_pdu(fc_vm *vm, uint64_t ctx, uint64_t r2, uint64_t r3,
                                uint64_t r4, uint64_t r5);
uint64_t fc_helper_ztimer_periodic_wakeup(fc_vm *vm, uint64_t last, uint64_t period,
                                          uint64_t r3, uint64_t r4, uint64_t r5);
uint64_t fc_helper_abort(fc_vm *vm, uint64_t code, uint64_t r2, uint64_t r3, uint64_t r4,
                         uint64_t r5);

#endif /* FC_HELPERS_FC_H */
