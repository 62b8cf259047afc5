/*
 * bench_xt.c - the lx106 benchmark image (bench/bench.mk): the runtime's
 * interpreter (runtime/fc_vm.c at -O2), the gcc-compiled programs and this
 * glue, linked flat at 0x00500000 (bench/dev/bench_xt.ld) and run by
 * femto-bench in qemu-xtensa -cpu lx106 through the Xtensa runner
 * (sim/fc_xt.h), which counts executed instructions.
 *
 * bench_xt_interp: the interpreter over a program the host wrote into guest
 * memory, with the context and sections as regions at their guest
 * addresses: fc_vm_init, the regions, fc_vm_run (no loader and no fc_run
 * around it: the loader does not run on lx106 here yet).
 *
 * Debian's lx106 libgcc lacks the 64-bit divisions gcc calls for the native
 * twins (and runtime/fc_div32.c has the 32-bit ones): __udivdi3 ... below,
 * from the runtime's 64-bit routines (their /0 result is eBPF's; C programs
 * never divide by zero), and memset/memcpy/memmove from runtime/fc_libc.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "fc_libc.h"
#include "fc_native.h"
#include "fc_vm.h"

/* what gcc calls (as bench/dev/bench_dev.c for the other cores) */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n) { return fc_memset(d, c, n); }
void *memcpy(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }

typedef struct bench_xt_args {
    uint32_t insns, n, frames;
    uint32_t ctx, ctx_len, ro, ro_len, data, data_len, bss, bss_len;
    uint32_t err, r0_lo, r0_hi;
} bench_xt_args;

static fc_vm vm;
static uint8_t stack[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];

uint32_t bench_xt_interp(bench_xt_args *a);
uint32_t bench_xt_interp(bench_xt_args *a)
{
    uint64_t r0 = 0;
    uint32_t frames = a->frames && a->frames <= FC_MAX_CALL_DEPTH ? a->frames : 1u;
    int rc = fc_vm_init(&vm, (const fc_insn *)(uintptr_t)a->insns, a->n, stack, FC_STACK_SIZE * frames);
    if (rc == FC_OK && a->ctx_len)
        rc = fc_vm_add_region(&vm, a->ctx, (void *)(uintptr_t)a->ctx, a->ctx_len, FC_PERM_RW, FC_REGION_CTX);
    if (rc == FC_OK && a->ro_len)
        rc = fc_vm_add_region(&vm, a->ro, (void *)(uintptr_t)a->ro, a->ro_len, FC_PERM_R, FC_REGION_RODATA);
    if (rc == FC_OK && a->data_len)
        rc = fc_vm_add_region(&vm, a->data, (void *)(uintptr_t)a->data, a->data_len, FC_PERM_RW,
                              FC_REGION_DATA);
    if (rc == FC_OK && a->bss_len)
        rc = fc_vm_add_region(&vm, a->bss, (void *)(uintptr_t)a->bss, a->bss_len, FC_PERM_RW, FC_REGION_BSS);
    if (rc == FC_OK)
        rc = fc_vm_run(&vm, a->ctx, a->ctx_len, &r0);
    a->err = (uint32_t)rc;
    a->r0_lo = (uint32_t)r0;
    a->r0_hi = (uint32_t)(r0 >> 32);
    return (uint32_t)rc;
}

uint64_t __udivdi3(uint64_t a, uint64_t b);
uint64_t __umoddi3(uint64_t a, uint64_t b);
int64_t __divdi3(int64_t a, int64_t b);
int64_t __moddi3(int64_t a, int64_t b);
uint64_t __udivdi3(uint64_t a, uint64_t b) { return fc_native_udiv64(a, b); }
uint64_t __umoddi3(uint64_t a, uint64_t b) { return fc_native_umod64(a, b); }
int64_t __divdi3(int64_t a, int64_t b) { return fc_native_sdiv64(a, b); }
int64_t __moddi3(int64_t a, int64_t b) { return fc_native_smod64(a, b); }
