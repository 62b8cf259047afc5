/*
 * fc_vm.h - the sandbox model and the reference eBPF interpreter.
 *
 * Freestanding C99: no malloc, no libc beyond what the runtime carries.
 * The caller owns every buffer (stack, regions, helper table, helper state).
 *
 * Addresses. A program sees "guest" addresses: 64-bit values in its
 * registers. Each region maps a guest range [addr, addr+len) onto host memory
 * at `host`. On a device guest == host (addr = (uintptr_t)host); on a test
 * host the regions may be placed at the same guest addresses an emulated
 * device uses, so the interpreter and native code in the emulator compute the
 * same pointer values (needed for differential testing).
 *
 * An access of n bytes at guest address a is allowed when ONE region with
 * the required permissions contains all of [a, a+n). Accesses spanning two
 * adjacent regions are refused.
 *
 * Stack. The caller gives one buffer; frames are FC_STACK_SIZE bytes and
 * grow down from the top of the buffer:
 *
 *   stack_addr                                   stack_addr + stack_size
 *   |  (unused)  | frame d | ... | frame 2 | frame 1 (entry) |
 *                ^ r10 at depth d            ^ r10 at depth 2 ^ r10 at depth 1
 *
 * At call depth d the stack region is [top - d*512, top): the current frame
 * and every caller's frame (a callee may use pointers into its callers'
 * frames, as on Linux); frames below the current one are not accessible.
 *
 * See docs/sandbox.md for the full model (errors, budget, helpers, and what
 * native code must do identically).
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

/* A short stable name for an error ("memory read out of bounds"). Never
 * NULL; codes outside enum fc_err give "unknown error". */
const char *fc_err_str(int err);

/* ---- regions ------------------------------------------------------------ */
#define FC_PERM_R 1u
#define FC_PERM_W 2u
#define FC_PERM_RW (FC_PERM_R | FC_PERM_W)

/*
 * Kinds, for diagnostics and for the lddw section pseudo form: the kind of
 * a data-section region equals the section id (FC_SECT_*), so
 * `lddw dst, section S + off` resolves to (first region of kind S).addr + off.
 */
enum fc_region_kind {
    FC_REGION_CTX = 0,
    FC_REGION_RODATA = FC_SECT_RODATA,  /* 1 */
    FC_REGION_DATA = FC_SECT_DATA,      /* 2 */
    FC_REGION_BSS = FC_SECT_BSS,        /* 3 */
    FC_REGION_STACK = 4,                /* added by fc_vm_run only */
    FC_REGION_EXTRA = 5                 /* granted by the host */
};

typedef struct fc_region {
    uint64_t addr;     /* guest address of the first byte */
    uint8_t *host;     /* where the bytes live            */
    uint32_t len;      /* may be 0 (then nothing matches) */
    uint8_t perm;      /* FC_PERM_*                        */
    uint8_t kind;      /* enum fc_region_kind              */
} fc_region;

/* Regions the host may add. The table has one more slot, regions[FC_MAX_REGIONS],
 * reserved for the stack region that fc_vm_run fills for the duration of a
 * run (len 0, i.e. matching nothing, outside a run). */
#define FC_MAX_REGIONS 8u
#define FC_STACK_SLOT FC_MAX_REGIONS

/*
 * Translate [addr, addr+len) to a host pointer if one region with all of
 * `perm` contains all of it; NULL otherwise. Safe against wrap-around of
 * addr+len, zero-length regions and regions that end at the top of the
 * address space. len == 0 is refused (NULL).
 */
struct fc_vm;
void *fc_vm_translate(const struct fc_vm *vm, uint64_t addr, uint64_t len,
                      unsigned perm);

/*
 * Like fc_vm_translate for the single byte at addr, and also stores in *avail
 * how many bytes from addr on stay inside that region (the largest such
 * count when several regions match). For helpers that take a pointer without
 * a length (strings). Returns NULL (and *avail = 0) if no region matches.
 */
void *fc_vm_translate_avail(const struct fc_vm *vm, uint64_t addr,
                            unsigned perm, uint64_t *avail);

/*
 * A NUL-terminated guest string at addr, entirely inside one readable
 * region (terminator included). Returns the host pointer and its length
 * without the NUL in *len, or NULL if the string is unreadable or not
 * terminated inside the region.
 */
const char *fc_vm_string(const struct fc_vm *vm, uint64_t addr, uint32_t *len);

/* ---- helpers ------------------------------------------------------------ */
/*
 * A helper receives the VM (to check pointers with fc_vm_translate) and
 * r1..r5. It returns the value for r0. To fail, it sets vm->helper_err
 * (FC_ERR_HELPER_FAULT or FC_ERR_UNWIND) and the program stops with it; a
 * helper that fails on a pointer may also store that guest address in
 * vm->err_addr. r1..r5 keep their values across a helper call (the ABI
 * leaves them unspecified; femtoc defines "unchanged", see docs/sandbox.md).
 */
typedef uint64_t (*fc_helper_fn)(struct fc_vm *vm, uint64_t r1, uint64_t r2,
                                 uint64_t r3, uint64_t r4, uint64_t r5);

typedef struct fc_helper {
    uint32_t id;       /* helper number (Femto-Containers numbering) */
    fc_helper_fn fn;
    const char *name;
} fc_helper;

/* State of the standard helpers (output hook, clocks, key-value tables);
 * defined in fc_helpers.h. */
struct fc_helper_env;

/* ---- the VM --------------------------------------------------------------- */
#define FC_MAX_CALL_DEPTH 8u       /* frames, the entry frame included */
#define FC_DEFAULT_BUDGET 1000000u /* taken backward jumps + local calls */

typedef struct fc_vm {
    /* program (bytecode, normally verified; the interpreter is memory-safe
     * on any instruction array; lddw section forms resolved at run time) */
    const fc_insn *insns;
    uint32_t ninsns;
    /* non-zero: every instruction passed fc_vm_check (or the loader's
     * stricter fc_insn_check at install), so the interpreter's hot loop
     * skips the per-instruction static checks. Memory safety never rests on
     * it; only the exact FC_ERR_BAD_INSN of a malformed program does. */
    int checked;

    /* memory: regions[0..nregions) added by the host, plus the stack slot
     * regions[FC_STACK_SLOT] that fc_vm_run fills during a run. The context
     * is NOT mapped by fc_vm_run: the host adds it as a region (kind
     * FC_REGION_CTX, read-only or read-write as it chooses). */
    fc_region regions[FC_MAX_REGIONS + 1];
    uint32_t nregions;

    /* stack: FC_STACK_SIZE bytes per frame, max_depth frames at the top of
     * the caller's buffer; guest address of stack[0] in stack_addr. */
    uint8_t *stack;
    uint32_t stack_size;       /* bytes; >= FC_STACK_SIZE * max_depth */
    uint64_t stack_addr;
    uint32_t max_depth;        /* local call frames, 1..FC_MAX_CALL_DEPTH */

    /* helpers: the registered table, and the container's allowlist.
     * allow == NULL: every registered helper is allowed; otherwise exactly
     * the nallow ids in allow[] (nallow may be 0: no helper allowed). */
    const fc_helper *helpers;
    uint32_t nhelpers;
    const uint32_t *allow;
    uint32_t nallow;

    uint64_t budget;           /* taken backward jumps + local calls per run */

    /* results of the last run (during a run, as a helper sees them: err
     * FC_OK, err_pc, err_addr and insn_count 0, budget_left = budget,
     * the same as native code's runtime shows) */
    int err;                   /* enum fc_err */
    uint32_t err_pc;           /* instruction index of the failure */
    uint64_t err_addr;         /* faulting guest address (memory errors) */
    uint64_t insn_count;       /* instructions executed (statistics) */
    uint64_t budget_left;      /* budget minus the units charged */

    int helper_err;            /* set by a helper to fail the call */
    void *user;                /* for the host's helpers */
    struct fc_helper_env *env; /* for the standard helpers (may be NULL) */
} fc_vm;

/*
 * Prepare a VM. Zeroes it, sets program, stack, defaults (budget
 * FC_DEFAULT_BUDGET, max_depth = stack_size / FC_STACK_SIZE capped at
 * FC_MAX_CALL_DEPTH). The stack's guest address defaults to its host address.
 * Returns FC_OK or FC_ERR_BAD_ARG (vm NULL; insns NULL with ninsns > 0;
 * stack NULL or smaller than one frame).
 */
int fc_vm_init(fc_vm *vm, const fc_insn *insns, uint32_t ninsns,
               uint8_t *stack, uint32_t stack_size);

/*
 * Add a region (guest address addr). FC_ERR_BAD_ARG if the table is full,
 * host is NULL with len > 0, perm has bits other than FC_PERM_RW, or the
 * guest range would pass the top of the 64-bit space (addr + len > 2^64;
 * ending exactly at 2^64 is fine).
 */
int fc_vm_add_region(fc_vm *vm, uint64_t addr, void *host, uint32_t len,
                     unsigned perm, unsigned kind);

/* The next table entry, written without the checks above: for callers that
 * made them already (fc_vm_add_region, the loader's own regions in fc_run).
 * The caller guarantees a free entry and a range that does not pass 2^64. */
static inline void fc_vm_put_region(fc_vm *vm, uint64_t addr, void *host, uint32_t len,
                                    unsigned perm, unsigned kind)
{
    fc_region *r = &vm->regions[vm->nregions++];
    r->addr = addr;
    r->host = (uint8_t *)host;
    r->len = len;
    r->perm = (uint8_t)perm;
    r->kind = (uint8_t)kind;
}

/*
 * Check every instruction once (register fields, writes to r10, defined
 * off/imm variants, call sources, lddw sources and sections, and that the
 * slot after an lddw, if there is one, is its second slot: what the
 * interpreter would otherwise test at each step) and set vm->checked if all
 * pass: FC_OK. FC_ERR_BAD_INSN if
 * one fails (vm->checked stays 0: the run then checks per instruction and
 * stops at that one when it reaches it, as always); FC_ERR_BAD_ARG for a
 * bad VM. Call it again after changing insns/ninsns.
 */
int fc_vm_check(fc_vm *vm);

/* Register the helper table and the allowlist (see fc_vm.allow). */
void fc_vm_set_helpers(fc_vm *vm, const fc_helper *helpers, uint32_t n,
                       const uint32_t *allow, uint32_t nallow);

/*
 * Run from instruction 0 with r1 = ctx_addr, r2 = ctx_len, r10 = top of the
 * first stack frame, every other register 0. On success returns FC_OK and
 * stores r0 in *r0 (r0 may be NULL). On failure returns the error (also in
 * vm->err, with vm->err_pc and, for memory errors, vm->err_addr); *r0 is
 * left untouched. budget_left starts at vm->budget. Every stack byte the
 * program (or a helper) can read is zero unless this run wrote it (no data
 * leaks between runs): the interpreter zeroes the frames area lazily, down
 * to the lowest byte an access reaches, and all reachable frames before a
 * helper call; an empty program zeroes nothing. Frames are not cleared
 * again on local calls.
 * FC_ERR_BAD_ARG if the VM is inconsistent (max_depth 0 or too large for
 * the stack buffer, stack range passing 2^64, nregions too large, on a
 * 32-bit core ninsns above (2^32 - 2^18) / 8: code leaving less than
 * 256 KiB of the address space).
 * Machine stack: about 0.65 KB (624 bytes, plus 104 in the slow path of a
 * guest access, on Cortex-M3 at -Os) plus what
 * the helpers use (printf: about 0.3 KB). Not reentrant per VM: one run at a
 * time on a given fc_vm; different VMs may run concurrently.
 */
int fc_vm_run(fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t *r0);

/* The standard helper set (fc_helpers.c), Femto-Containers numbering;
 * see fc_helpers.h for their state and hooks. */
extern const fc_helper fc_std_helpers[];
extern const uint32_t fc_std_helpers_count;

#endif /* FC_VM_H */
