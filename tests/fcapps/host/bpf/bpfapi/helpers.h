/*
 * bpf/bpfapi/helpers.h for the HOST build of the fcapps apps: the same names
 * and prototypes as real functions, implemented by host/model.c, a plain C
 * model of the helpers' published behaviour (RIOT saul_reg, gcoap/nanocoap,
 * ztimer, fmt) written independently of runtime/fc_helpers*.c. Its results
 * are what the test expects every engine to produce.
 */
#ifndef FCAPPS_HOST_HELPERS_H
#define FCAPPS_HOST_HELPERS_H
#include <stddef.h>
#include <stdint.h>
#define ssize_t int   /* their header: typedef signed ssize_t (libc headers come first) */
#define __bpf_shared_ptr(type, name) union { type name; uint64_t : 64; } __attribute__((aligned(8)))
typedef struct { int16_t val[3]; uint8_t unit; int8_t scale; } phydat_t;
typedef struct {
    __bpf_shared_ptr(void *, pkt);
    __bpf_shared_ptr(uint8_t *, buf);
    size_t buf_len;
} bpf_coap_ctx_t;
typedef void bpf_saul_reg_t;
void *bpf_printf(const char *fmt, ...);
void *bpf_memcpy(void *dest, const void *src, size_t n);
int bpf_store_local(uint32_t key, uint32_t value);
int bpf_store_global(uint32_t key, uint32_t value);
int bpf_fetch_local(uint32_t key, uint32_t *value);
int bpf_fetch_global(uint32_t key, uint32_t *value);
uint32_t bpf_now_ms(void);
bpf_saul_reg_t *bpf_saul_reg_find_nth(int pos);
bpf_saul_reg_t *bpf_saul_reg_find_type(uint8_t type);
int bpf_saul_reg_read(bpf_saul_reg_t *dev, phydat_t *data);
void bpf_gcoap_resp_init(bpf_coap_ctx_t *ctx, unsigned resp_code);
ssize_t bpf_coap_opt_finish(bpf_coap_ctx_t *ctx, unsigned opt);
void bpf_coap_add_format(bpf_coap_ctx_t *ctx, uint32_t format);
uint8_t *bpf_coap_get_pdu(bpf_coap_ctx_t *ctx);
size_t bpf_fmt_s16_dfp(char *out, int16_t val, int fp_digits);
size_t bpf_fmt_u32_dec(char *out, uint32_t val);
uint32_t bpf_ztimer_now(void);
void bpf_ztimer_periodic_wakeup(uint32_t *last_wakeup, uint32_t period);
#endif
