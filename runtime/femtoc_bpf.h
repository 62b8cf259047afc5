/*
 * femtoc_bpf.h - for eBPF programs (compiled with `clang -target bpf`):
 * the standard helpers of the femtoc runtime, Femto-Containers numbering
 * (runtime/fc_helpers.h is the device side; docs/sandbox.md the checks).
 *
 *   #include "femtoc_bpf.h"
 *   uint64_t entry(void *ctx, uint64_t len) { fc_printf("hi %d\n", 42); return 0; }
 *
 * A helper is called through a constant function pointer whose value is its
 * number: clang turns the call into `call N`.
 */
#ifndef FEMTOC_BPF_H
#define FEMTOC_BPF_H

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

#endif /* FEMTOC_BPF_H */
