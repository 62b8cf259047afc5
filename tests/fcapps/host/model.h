/* model.h - the host model's set-up calls (model.c). */
#include <stddef.h>
#include <stdint.h>
void model_coap_request(void *pkt, uint8_t *buf, size_t req_len);
