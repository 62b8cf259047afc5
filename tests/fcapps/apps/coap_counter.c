/* fcapps: a CoAP resource that reports a shared counter, writing the payload
 * through the pkt view (RIOT's coap_pkt_t head) the host shares, as the
 * Femto-Containers counter examples do. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

#define SHARED_KEY 0x50
#define COAP_OPT_FINISH_PAYLOAD (0x0001)

typedef struct {
    uint32_t hdr_p;
    uint32_t token_p;
    uint32_t payload_p;
    uint16_t payload_len;
    uint16_t options_len;
} bpf_coap_pkt_t;

int coap_resp(bpf_coap_ctx_t *gcoap)
{
    bpf_coap_pkt_t *pkt = gcoap->pkt;
    uint32_t counter = 0;
    char text[20];

    bpf_fetch_global(SHARED_KEY, &counter);
    counter += 41;
    bpf_store_global(SHARED_KEY, counter);
    size_t n = bpf_fmt_u32_dec(text, counter);

    bpf_gcoap_resp_init(gcoap, (2 << 5) | 5);
    bpf_coap_add_format(gcoap, 50);   /* application/json: a one-byte value */
    ssize_t len = bpf_coap_opt_finish(gcoap, COAP_OPT_FINISH_PAYLOAD);
    uint8_t *payload = (uint8_t *)(uintptr_t)pkt->payload_p;
    if (pkt->payload_len < n + 2)
        return -1;
    payload[0] = '[';
    bpf_memcpy(payload + 1, text, n);
    payload[n + 1] = ']';
    return len + n + 2;
}
