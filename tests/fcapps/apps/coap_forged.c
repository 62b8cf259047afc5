/* fcapps: a CoAP hook that hands the helpers a context of its own making,
 * pointing the packet buffer at its stack (as Femto-Containers' own helper
 * test does). Their helpers would write wherever buf points; femtoc's refuse
 * a context that does not name the host's packet: a helper fault, in every
 * engine, before anything is written. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

int coap_forged(bpf_coap_ctx_t *real)
{
    uint8_t buf[32];
    bpf_coap_ctx_t fake;
    fake.pkt = real->pkt;
    fake.buf = buf;
    fake.buf_len = sizeof buf;
    buf[0] = 0x40;
    bpf_gcoap_resp_init(&fake, (2 << 5) | 5);
    return buf[1];
}
