/* fcapps: a CoAP resource that answers with the first sensor's reading
 * (the SAUL + CoAP example's shape): 2.05 Content, text/plain, the value. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

#define COAP_OPT_FINISH_PAYLOAD (0x0001)
#define COAP_CODE_CONTENT ((2 << 5) | 5)
#define COAP_CODE_INTERNAL_ERR ((5 << 5) | 0)

int coap_resp(bpf_coap_ctx_t *gcoap)
{
    phydat_t m;
    bpf_saul_reg_t *s = bpf_saul_reg_find_nth(0);
    if (!s || bpf_saul_reg_read(s, &m) < 0)
        return -COAP_CODE_INTERNAL_ERR;
    bpf_gcoap_resp_init(gcoap, COAP_CODE_CONTENT);
    bpf_coap_add_format(gcoap, 0);
    ssize_t len = bpf_coap_opt_finish(gcoap, COAP_OPT_FINISH_PAYLOAD);
    uint8_t *payload = bpf_coap_get_pdu(gcoap);
    len += bpf_fmt_s16_dfp((char *)payload, m.val[0], m.scale);
    return len;
}
