/*
 * femtoc_bpf.h - for eBPF programs (compiled with `clang -target bpf
 * -ffreestanding`): the helpers of the femtoc runtime, Femto-Containers
 * numbering (runtime/fc_helpers.h and fc_helpers_fc.h are the device side;
 * docs/sandbox.md the checks).
 *
 *   clang -target bpf -O2 -ffreestanding -Iruntime -c app.c -o app.o
 *
 *   #include "femtoc_bpf.h"
 *   uint64_t entry(void *ctx, uint64_t len) { fc_printf("hi %d\n", 42); return 0; }
 *
 * (-ffreestanding: the host's <stdint.h> would pull in glibc headers that
 * do not build for the bpf target.)
 *
 * A helper is called through a constant function pointer whose value is its
 * number: clang turns the call into `call N`. Every helper is declared twice:
 * with femtoc's fc_ names, and with Femto-Containers' own bpf_ names and
 * prototypes (their bpf/bpfapi/helpers.h), so their apps build unchanged;
 * define FEMTOC_NO_FC_NAMES to leave the bpf_ names (and phydat_t,
 * bpf_coap_ctx_t) out.
 */
#ifndef FEMTOC_BPF_H
#define FEMTOC_BPF_H

#include <stddef.h>
#include <stdint.h>

#define FC_HELPER(id, ret, name, ...) \
    static ret (*const name)(__VA_ARGS__) = (ret (*)(__VA_ARGS__))(id)

/* printf: a format string in the program's .rodata (or stack), up to four
 * arguments; %d %i %u %x %X %c %s %p %% with l/ll. Returns characters. */
FC_HELPER(0x01, long, fc_printf, const char *fmt, ...);
FC_HELPER(0x02, void *, fc_memcpy, void *dst, const void *src, uint32_t len);
FC_HELPER(0x10, long, fc_store_local, uint32_t key, uint32_t value);
FC_HELPER(0x11, long, fc_store_global, uint32_t key, uint32_t value);
FC_HELPER(0x12, long, fc_fetch_local, uint32_t key, uint32_t *value);
FC_HELPER(0x13, long, fc_fetch_global, uint32_t key, uint32_t *value);
FC_HELPER(0x20, uint64_t, fc_now_ms, void);
FC_HELPER(0x50, long, fc_fmt_s16_dfp, char *out, int16_t val, int scale);
FC_HELPER(0x51, long, fc_fmt_u32_dec, char *out, uint32_t val);
FC_HELPER(0x60, uint64_t, fc_ztimer_now, void);

/* SAUL sensors (0x30..0x32): handles are small numbers, 0 = none; a reading
 * is RIOT's phydat_t (8 bytes: int16 val[3], uint8 unit, int8 scale). */
typedef struct fc_phydat {
    int16_t val[3];
    uint8_t unit;
    int8_t scale;
} fc_phydat_t;
FC_HELPER(0x30, void *, fc_saul_reg_find_nth, int pos);
FC_HELPER(0x31, void *, fc_saul_reg_find_type, uint8_t type);
FC_HELPER(0x32, long, fc_saul_reg_read, void *dev, fc_phydat_t *data);

/* CoAP response builder (0x40..0x43) over the host's packet; the context of
 * a CoAP hook is this (Femto-Containers' bpf_coap_ctx_t): each pointer in an
 * 8-byte slot. */
#define FC_SHARED_PTR(type, name) \
    union { type name; uint64_t : 64; } __attribute__((aligned(8)))
typedef struct fc_coap_ctx {
    FC_SHARED_PTR(void *, pkt);      /* the pkt view: see fc_coap_pkt_t */
    FC_SHARED_PTR(uint8_t *, buf);   /* the packet buffer */
    size_t buf_len;
} fc_coap_ctx_t;
/* What pkt points to (RIOT's coap_pkt_t head as a 32-bit device lays it out). */
typedef struct fc_coap_pkt {
    uint32_t hdr_p, token_p, payload_p;
    uint16_t payload_len, options_len;
} fc_coap_pkt_t;
#define FC_COAP_OPT_FINISH_PAYLOAD 0x0001u
FC_HELPER(0x40, void, fc_gcoap_resp_init, fc_coap_ctx_t *ctx, unsigned code);
FC_HELPER(0x41, long, fc_coap_opt_finish, fc_coap_ctx_t *ctx, unsigned flags);
FC_HELPER(0x42, long, fc_coap_add_format, fc_coap_ctx_t *ctx, uint32_t format);
FC_HELPER(0x43, uint8_t *, fc_coap_get_pdu, fc_coap_ctx_t *ctx);

/* RIOT's ztimer_periodic_wakeup on the microsecond clock (0x61). */
FC_HELPER(0x61, void, fc_ztimer_periodic_wakeup, uint32_t *last_wakeup, uint32_t period);

/* Stop the program at once: error 9 (FC_ERR_UNWIND, "program stopped by
 * helper") with the code as the error address, in every engine
 * (__builtin_trap does not build for bpf). fc_assert passes the line. */
FC_HELPER(0xf0, void, fc_abort, uint32_t code);
#define fc_assert(cond) do { if (!(cond)) fc_abort(__LINE__); } while (0)

#ifndef FEMTOC_NO_FC_NAMES
/* Femto-Containers' names, numbers and prototypes (bpf/bpfapi/helpers.h,
 * bpf/shared.h, RIOT's phydat.h). */
#define __bpf_shared_ptr(type, name) FC_SHARED_PTR(type, name)
typedef void bpf_saul_reg_t;
typedef fc_phydat_t phydat_t;
typedef fc_coap_ctx_t bpf_coap_ctx_t;
FC_HELPER(0x01, void *, bpf_printf, const char *fmt, ...);
FC_HELPER(0x02, void *, bpf_memcpy, void *dest, const void *src, size_t n);
FC_HELPER(0x10, int, bpf_store_local, uint32_t key, uint32_t value);
FC_HELPER(0x11, int, bpf_store_global, uint32_t key, uint32_t value);
FC_HELPER(0x12, int, bpf_fetch_local, uint32_t key, uint32_t *value);
FC_HELPER(0x13, int, bpf_fetch_global, uint32_t key, uint32_t *value);
FC_HELPER(0x20, uint32_t, bpf_now_ms, void);
FC_HELPER(0x30, bpf_saul_reg_t *, bpf_saul_reg_find_nth, int pos);
FC_HELPER(0x31, bpf_saul_reg_t *, bpf_saul_reg_find_type, uint8_t type);
FC_HELPER(0x32, int, bpf_saul_reg_read, bpf_saul_reg_t *dev, phydat_t *data);
FC_HELPER(0x40, void, bpf_gcoap_resp_init, bpf_coap_ctx_t *ctx, unsigned resp_code);
FC_HELPER(0x41, long, bpf_coap_opt_finish, bpf_coap_ctx_t *ctx, unsigned opt);
FC_HELPER(0x42, void, bpf_coap_add_format, bpf_coap_ctx_t *ctx, uint32_t format);
FC_HELPER(0x43, uint8_t *, bpf_coap_get_pdu, bpf_coap_ctx_t *ctx);
FC_HELPER(0x50, size_t, bpf_fmt_s16_dfp, char *out, int16_t val, int fp_digits);
FC_HELPER(0x51, size_t, bpf_fmt_u32_dec, char *out, uint32_t val);
FC_HELPER(0x60, uint32_t, bpf_ztimer_now, void);
FC_HELPER(0x61, void, bpf_ztimer_periodic_wakeup, uint32_t *last_wakeup, uint32_t period);
#endif

#endif /* FEMTOC_BPF_H */
