/*
 * fc_helpers.h - the standard helpers (Femto-Containers numbering) and the
 * host-side state they use. Freestanding C99.
 *
 * Unlike Femto-Containers, every pointer a program passes to a helper is
 * checked against the VM's regions (fc_vm_translate): a bad pointer stops
 * the program with FC_ERR_HELPER_FAULT (vm->err_addr = the pointer) and
 * nothing is read or written.
 *
 * The helpers keep no state of their own (no .data/.bss): the host gives
 * each VM an fc_helper_env (vm->env) with its output and clock hooks and
 * its key-value tables, all in caller-owned memory. A VM without an env
 * gets: printf output discarded, clocks 0, key-value tables of capacity 0.
 *
 *   id    name           r1..r5                        r0
 *   0x01  printf         fmt, a1..a4                   characters produced
 *   0x02  memcpy         dst, src, len                 dst
 *   0x10  store_local    key, value                    0, or -1 if full
 *   0x11  store_global   key, value                    0, or -1 if full
 *   0x12  fetch_local    key, uint32_t *value          0 (absent key: *value = 0)
 *   0x13  fetch_global   key, uint32_t *value          0 (absent key: *value = 0)
 *   0x20  now_ms         -                             env->now_ms(), or 0
 *   0x50  fmt_s16_dfp    char *out, int16 val, scale   length (out may be 0)
 *   0x51  fmt_u32_dec    char *out, uint32 val         length (out may be 0)
 *   0x60  ztimer_now     -                             env->now_us(), or 0
 *   0x30..0x32 SAUL, 0x40..0x43 CoAP, 0x61 ztimer_periodic_wakeup, 0xf0
 *   abort: fc_helpers_fc.h (they use env->port)
 *
 * Integer arguments narrower than 64 bits use the low bits of the register
 * (key: low 32, val of fmt_s16_dfp: low 16, scale: low 32, signed).
 * docs/sandbox.md describes each helper's checks in full.
 */
#ifndef FC_HELPERS_H
#define FC_HELPERS_H

#include <stdint.h>
#include "fc_vm.h"

#define FC_HELPER_PRINTF       0x01u
#define FC_HELPER_MEMCPY       0x02u
#define FC_HELPER_STORE_LOCAL  0x10u
#define FC_HELPER_STORE_GLOBAL 0x11u
#define FC_HELPER_FETCH_LOCAL  0x12u
#define FC_HELPER_FETCH_GLOBAL 0x13u
#define FC_HELPER_NOW_MS       0x20u
#define FC_HELPER_FMT_S16_DFP  0x50u
#define FC_HELPER_FMT_U32_DEC  0x51u
#define FC_HELPER_ZTIMER_NOW   0x60u

/* printf: field widths above this are clamped (bounds the work per call). */
#define FC_PRINTF_MAX_WIDTH 64u
/* fmt_s16_dfp: |scale| above this is a helper fault (bounded output). */
#define FC_FMT_MAX_SCALE 32u

/* ---- key-value tables: fixed capacity, caller-owned entries ---------------- */
typedef struct fc_kv_entry {
    uint32_t key;
    uint32_t value;
} fc_kv_entry;

typedef struct fc_kv {
    fc_kv_entry *entries;
    uint32_t cap;    /* entries[] size */
    uint32_t used;   /* entries[0..used) hold keys; no deletion */
} fc_kv;

void fc_kv_init(fc_kv *kv, fc_kv_entry *entries, uint32_t cap);
/* 0 on success (insert or update); -1 if the table is full or NULL. */
int fc_kv_store(fc_kv *kv, uint32_t key, uint32_t value);
/* 0 and *value if present; -1 and *value = 0 if absent (or kv NULL). */
int fc_kv_fetch(const fc_kv *kv, uint32_t key, uint32_t *value);

struct fc_helper_port;

/* ---- the environment of the standard helpers ------------------------------- */
typedef struct fc_helper_env {
    /* printf output: n bytes at s (not NUL-terminated); NULL = discard */
    void (*write)(void *ctx, const char *s, uint32_t n);
    uint64_t (*now_ms)(void *ctx);  /* NULL: now_ms returns 0 */
    uint64_t (*now_us)(void *ctx);  /* NULL: ztimer_now returns 0 */
    void *ctx;                      /* passed to the hooks */
    fc_kv *kv_local;   /* this container instance's table (or NULL) */
    fc_kv *kv_global;  /* one table the host shares between all its VMs (or
                          NULL); not locked: runs that share it must not
                          overlap in time */
    const struct fc_helper_port *port; /* SAUL, CoAP, timers (fc_helpers_fc.h), or NULL */
} fc_helper_env;

/* The helpers themselves, for hosts that build their own tables. */
uint64_t fc_helper_printf(fc_vm *vm, uint64_t fmt, uint64_t a1, uint64_t a2,
                          uint64_t a3, uint64_t a4);
uint64_t fc_helper_memcpy(fc_vm *vm, uint64_t dst, uint64_t src, uint64_t len,
                          uint64_t r4, uint64_t r5);
uint64_t fc_helper_store_local(fc_vm *vm, uint64_t key, uint64_t value,
                               uint64_t r3, uint64_t r4, uint64_t r5);
uint64_t fc_helper_store_global(fc_vm *vm, uint64_t key, uint64_t value,
                                uint64_t r3, uint64_t r4, uint64_t r5);
uint64_t fc_helper_fetch_local(fc_vm *vm, uint64_t key, uint64_t value_ptr,
                               uint64_t r3, uint64_t r4, uint64_t r5);
uint64_t fc_helper_fetch_global(fc_vm *vm, uint64_t key, uint64_t value_ptr,
                                uint64_t r3, uint64_t r4, uint64_t r5);
uint64_t fc_helper_now_ms(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                          uint64_t r4, uint64_t r5);
uint64_t fc_helper_fmt_s16_dfp(fc_vm *vm, uint64_t out, uint64_t val,
                               uint64_t scale, uint64_t r4, uint64_t r5);
uint64_t fc_helper_fmt_u32_dec(fc_vm *vm, uint64_t out, uint64_t val,
                               uint64_t r3, uint64_t r4, uint64_t r5);
uint64_t fc_helper_ztimer_now(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                              uint64_t r4, uint64_t r5);

#endif /* FC_HELPERS_H */
