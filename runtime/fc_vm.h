/*
 * fc_vm.h - the sandbox model and the reference eBPF interpreter.
 *
 * Freestanding C99: no malloc, no libc beyond what the runtime carries.
 * The caller owns every buffer (stack, regions, helper table).
 *
 * Addresses. A program sees "guest" addresses: 64-bit values in its
 * registers. Each region maps a guest range [addr, addr+len) onto host memory
 * at `host`. On a device guest == host (addr = (uintptr_t)host); on a test
 * host the regions may be placed at the same guest addresses an emulated
 * device uses, so the interpreter and native code in the emulator compute the
 * same pointer values (needed for differential testing).
 *
 * See docs/sandbox.md for the full model.
 */
#ifndef FC_VM_H
#define FC_VM_H

#include <stdint.h>
#include <stddef.h>
#include "fc_isa.h"

/* ---- error codes: one per observable outcome; shared by every engine ---- */
enum fc_err {
    FC_OK = 0,
    FC_ERR_MEM_READ = 1,      /* load outside any readable region        */
    FC_ERR_MEM_WRITE = 2,     /* store/atomic outside any writable region */
    FC_ERR_BUDGET = 3,        /* branch budget exhausted                  */
    FC_ERR_BAD_INSN = 4,      /* invalid instruction reached at run time   */
    FC_ERR_HELPER_UNKNOWN = 5,/* call of a helper that is not registered   */
    FC_ERR_HELPER_DENIED = 6, /* helper registered but not in the allowlist */
    FC_ERR_CALL_DEPTH = 7,    /* local calls nested deeper than the limit  */
    FC_ERR_HELPER_FAULT = 8,  /* a helper refused its arguments (bad ptr)  */
    FC_ERR_UNWIND = 9,        /* a helper asked to stop the program        */
    FC_ERR_BAD_PROGRAM = 10,  /* jump/pc outside the program, no code, ... */
    FC_ERR_BAD_ARG = 11,      /* the host called the runtime wrongly        */
    FC_ERR__COUNT
};

/* A short stable name for an error ("memory read out of bounds"). */
const char *fc_err_str(int err);

/* ---- regions ------------------------------------------------------------ */
#define FC_PERM_R 1u
#define FC_PERM_W 2u
#define FC_PERM_RW (FC_PERM_R | FC_PERM_W)

/* Kinds, for diagnostics and for the lddw section pseudo form. */
enum fc_region_kind {
    FC_REGION_STACK = 0,
    FC_REGION_CTX,
    FC_REGION_RODATA,   /* == FC_SECT_RODATA */
    FC_REGION_DATA,     /* == FC_SECT_DATA */
    FC_REGION_BSS,      /* == FC_SECT_BSS */
    FC_REGION_EXTRA     /* granted by the host */
};

typedef struct fc_region {
    uint64_t addr;     /* guest address of the first byte */
    uint8_t *host;     /* where the bytes live            */
    uint32_t len;      /* may be 0 (then nothing matches) */
    uint8_t perm;      /* FC_PERM_*                        */
    uint8_t kind;      /* enum fc_region_kind              */
} fc_region;

#define FC_MAX_REGIONS 8u

/*
 * Translate [addr, addr+len) to a host pointer if one region with `perm`
 * contains all of it; NULL otherwise. Safe against wrap-around of addr+len,
 * zero-length regions and regions that end at the top of the address space.
 * len == 0 is refused (NULL).
 */
struct fc_vm;
void *fc_vm_translate(const struct fc_vm *vm, uint64_t addr, uint64_t len,
                      unsigned perm);

/* ---- helpers ------------------------------------------------------------ */
/*
 * A helper receives the VM (to check pointers with fc_vm_translate) and
 * r1..r5. It returns the value for r0. To fail, it sets vm->helper_err
 * (FC_ERR_HELPER_FAULT or FC_ERR_UNWIND) and the program stops with it.
 */
typedef uint64_t (*fc_helper_fn)(struct fc_vm *vm, uint64_t r1, uint64_t r2,
                                 uint64_t r3, uint64_t r4, uint64_t r5);

typedef struct fc_helper {
    uint32_t id;       /* helper number (Femto-Containers numbering) */
    fc_helper_fn fn;
    const char *name;
} fc_helper;

/* ---- the VM --------------------------------------------------------------- */
#define FC_MAX_CALL_DEPTH 8u       /* frames, the entry frame included */
#define FC_DEFAULT_BUDGET 1000000u /* taken backward jumps              */

typedef struct fc_vm {
    /* program (verified bytecode; lddw section forms resolved at run time) */
    const fc_insn *insns;
    uint32_t ninsns;

    /* memory: regions[0..nregions). fc_vm_run adds the stack and context
     * regions itself for the duration of a run (see fc_vm_run). */
    fc_region regions[FC_MAX_REGIONS];
    uint32_t nregions;

    /* stack: FC_STACK_SIZE bytes per frame, max_depth frames, provided by
     * the caller; guest address of stack[0] in stack_addr. */
    uint8_t *stack;
    uint32_t stack_size;       /* bytes; >= FC_STACK_SIZE * max_depth */
    uint64_t stack_addr;
    uint32_t max_depth;        /* local call frames, <= FC_MAX_CALL_DEPTH */

    /* helpers: the registered table, and the container's allowlist
     * (allow[k] = helper id; NULL/0 = every registered helper allowed). */
    const fc_helper *helpers;
    uint32_t nhelpers;
    const uint32_t *allow;
    uint32_t nallow;

    uint64_t budget;           /* taken backward jumps allowed per run */

    /* results of the last run */
    int err;                   /* enum fc_err */
    uint32_t err_pc;           /* instruction index of the failure */
    uint64_t err_addr;         /* faulting guest address (memory errors) */
    uint64_t insn_count;       /* instructions executed (statistics) */
    uint64_t budget_left;

    int helper_err;            /* set by a helper to fail the call */
    void *user;                /* for the host's helpers */
} fc_vm;

/*
 * Prepare a VM. Zeroes it, sets program, stack, defaults (budget
 * FC_DEFAULT_BUDGET, max_depth = stack_size / FC_STACK_SIZE capped at
 * FC_MAX_CALL_DEPTH). The stack's guest address defaults to its host address.
 * Returns FC_OK or FC_ERR_BAD_ARG.
 */
int fc_vm_init(fc_vm *vm, const fc_insn *insns, uint32_t ninsns,
               uint8_t *stack, uint32_t stack_size);

/* Add a region (guest address addr). FC_ERR_BAD_ARG if the table is full. */
int fc_vm_add_region(fc_vm *vm, uint64_t addr, void *host, uint32_t len,
                     unsigned perm, unsigned kind);

/* Register the helper table and the allowlist. */
void fc_vm_set_helpers(fc_vm *vm, const fc_helper *helpers, uint32_t n,
                       const uint32_t *allow, uint32_t nallow);

/*
 * Run from instruction 0 with r1 = ctx_addr, r2 = ctx_len, r10 = top of the
 * first stack frame. On success returns FC_OK and stores r0 in *r0.
 * On failure returns the error (also in vm->err, with vm->err_pc).
 * The stack is zeroed before the run (no data leaks between runs).
 */
int fc_vm_run(fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t *r0);

/* The standard helper set (fc_helpers.c), Femto-Containers numbering. */
extern const fc_helper fc_std_helpers[];
extern const uint32_t fc_std_helpers_count;

#endif /* FC_VM_H */
