/*
 * fc_native.h - the contract between native code made by a backend, the
 * container (.fcx), and the on-device runtime/loader.
 *
 * Freestanding C99. The structure layouts here are ABI: generated code reads
 * and writes these fields at fixed offsets, so every layout change bumps the
 * container format version (docs/fcx.md).
 */
#ifndef FC_NATIVE_H
#define FC_NATIVE_H

#include <stdint.h>

/* ---- targets ----------------------------------------------------------- */
enum fc_target {
    FC_TARGET_EBPF = 0,      /* bytecode only (interpreter) */
    FC_TARGET_THUMBV7M = 1,  /* Cortex-M3/M4, Thumb-2 */
    FC_TARGET_RV32IMAC = 2,  /* RV32IMAC, ILP32 */
    FC_TARGET_XTENSA = 3,    /* Xtensa, call0 ABI at the entry (lx106, ESP8266) */
    FC_TARGET_ESP32 = 4,     /* Xtensa, windowed ABI at the entry (ESP32, LX6; format 2.3) */
    FC_TARGET__COUNT
};

/* ---- symbols native code may refer to (resolved by the loader) --------- */
enum fc_sym {
    FC_SYM_RODATA = 0,    /* address of the container's .rodata copy  */
    FC_SYM_DATA = 1,      /* address of the instance's .data          */
    FC_SYM_BSS = 2,       /* address of the instance's .bss           */
    FC_SYM_HELPER = 3,    /* the runtime's helper-call trampoline      */
    FC_SYM_UDIV64 = 4,    /* runtime 64-bit division/modulo routines   */
    FC_SYM_SDIV64 = 5,
    FC_SYM_UMOD64 = 6,
    FC_SYM_SMOD64 = 7,
    FC_SYM_FAULT = 8,     /* out-of-line error exit, if a backend uses one */
    FC_SYM_MEMCHECK = 9,  /* out-of-line bounds check slow path, if used */
    FC_SYM__COUNT
};

/* ---- relocation kinds -------------------------------------------------- */
/* Each is applied at a byte offset inside the target's code section:
 *   value = address(symbol) + addend */
enum fc_reloc_kind {
    FC_RELOC_ABS32 = 1,          /* any target: 32-bit little-endian word   */
    FC_RELOC_THM_CALL = 2,       /* Thumb-2 BL (T1 encoding, +-16 MiB)       */
    FC_RELOC_THM_MOVW_MOVT = 3,  /* Thumb-2 MOVW at offset, MOVT at +4      */
    FC_RELOC_RV_CALL = 16,       /* RISC-V AUIPC at offset, JALR at +4       */
    FC_RELOC_RV_HI20_LO12 = 17,  /* RISC-V LUI at offset, ADDI at +4         */
    FC_RELOC__MAX = 31
};

/* ======================================================================== *
 * Native calling convention (every target; shown for Thumb-2 / AAPCS)      *
 * ======================================================================== *
 *
 * The runtime calls the code of a container through its entry point:
 *
 *     uint32_t entry(struct fc_native_env *env);    returns enum fc_err
 *
 * AAPCS (Thumb-2) / ILP32 (RV32): env in r0 / a0, the result in r0 / a0.
 * The generated code preserves the callee-saved registers of the platform
 * ABI, needs an 8-byte aligned machine stack with at least
 * FC_NATIVE_MSTACK bytes free, and returns FC_OK or an error. Everything
 * else it reports through *env. On Cortex-M the code must run with
 * CCR.UNALIGN_TRP = 0 (the reset value): eBPF allows unaligned word and
 * halfword accesses, which the code performs with LDR/STR/LDRH/STRH. It
 * never relies on unaligned LDRD/STRD/LDM/STM/LDREX (which fault whatever
 * CCR says), and it does not depend on CCR.DIV_0_TRP (divisors are tested
 * for zero before UDIV/SDIV).
 * On RV32 the code runs in M-mode (64-bit and misaligned atomics mask
 * interrupts with csrrci mstatus.MIE) and issues misaligned LW/LH/SW/SH as
 * eBPF allows: a core that traps on misaligned accesses (SiFive E31 silicon)
 * needs the platform's M-mode handler to emulate them. QEMU and Unicorn
 * accept them, so no emulated test can catch a missing handler.
 *
 * The environment (one per run; the caller owns it, 4-byte aligned). Its
 * layout is ABI: offsets are fixed, every field is 32 bits wide on every
 * target and host, little-endian, so a host (the emulator harness) can build
 * an env for an emulated device with the same declaration.
 *
 *   offset  field            dir  meaning
 *   0x000   regs[11][2]      in   eBPF register file {lo, hi}: r1 = context
 *                                 address, r2 = context length, r10 = top
 *                                 of the stack (frame 1), every other 0.
 *                           out   regs[0] = r0 when the run ends with FC_OK.
 *                                 During the run it is also the home of
 *                                 the eBPF registers the backend keeps in
 *                                 memory, and the helper arguments.
 *   0x058   err              out  enum fc_err of the run (FC_OK = 0)
 *   0x05c   err_insn         out  instruction (slot) index of the failure
 *   0x060   err_addr[2]      out  faulting guest address {lo, hi}
 *   0x068   budget           i/o  taken backward jumps left (see below)
 *   0x06c   stack_floor      in   lowest frame base allowed:
 *                                 top - max_depth * FC_STACK_SIZE
 *   0x070   helper_ctx       in   opaque handle for the helper trampoline
 *                                 (on a device: the struct fc_vm *)
 *   0x074   saved_sp         -    scratch: machine sp after the prologue
 *   0x078   cur_fb           -    scratch: current frame base (r10 - 512),
 *                                 stored before calling a runtime routine
 *   0x07c   reserved         -    0
 *   0x080   stack_end[4]     in   top + 1 - (1 << k), k = 0..3 (stack check)
 *   0x090   rd[8]            in   readable regions, FC_NATIVE_SPAN_SIZE each
 *   0x130   wr[8]            in   writable regions, same slot numbers
 *   0x1d0   (end)
 *
 * Region slots. Each host region (fc_vm.regions[0..nregions)) gets one slot
 * k in 0..7, the same in rd[] and wr[]: the first region of kind K in
 * FC_REGION_CTX..FC_REGION_BSS (0..3) takes slot K, the others take the
 * free slots from 4 on, then any slot left. A slot's span in rd[] is empty
 * (all lim 0) unless the region is readable, in wr[] unless writable. The
 * stack is not in a slot: it is [fb, top) with fb = the current frame base
 * (r10 - 512), which changes with local calls, and it is always
 * readable and writable.
 *
 *   span (20 bytes):  +0 start  +4 lim[0]  +8 lim[1]  +12 lim[2]  +16 lim[3]
 *   An access of n = 1 << k bytes at 32-bit address a lies inside the span
 *   iff (uint32_t)(a - start) < lim[k], where lim[k] = len - n + 1 when
 *   len >= n, else 0 (0 matches nothing). One subtraction, one compare.
 *
 * An access with a 64-bit address whose upper half is not zero is outside
 * every region (native targets are 32-bit; every region lies below 2^32).
 *
 * Machine frame of the Thumb-2 code (full descending stack):
 *
 *            high addresses
 *   sp_in -> +---------------------------+
 *            | lr, r11 .. r4, r3 (pad)   |  40 bytes pushed by the prologue
 *   saved_sp +---------------------------+  (stored in env->saved_sp)
 *            | local call 1: eBPF r6..r9 |  the caller's r6..r9 halves (those
 *            |   halves (+ pads)         |  in machine registers, then those
 *            |   return pc|1, pad        |  in env), then the return address:
 *            +---------------------------+  <= 48 bytes per local call
 *            | local call 2 ...          |  up to FC_MAX_CALL_DEPTH - 1
 *            +---------------------------+
 *            | runtime routine frames    |  memcheck / div64 / helper
 *            v                           v
 *
 *   eBPF frames live in the stack region, not on the machine stack: frame
 *   d (d = 1 entry) is [top - d*512, top - (d-1)*512), r10 = its top.
 *
 * Error exits store err, err_insn (and err_addr for memory errors), reset
 * sp from env->saved_sp and return the error code. regs[] is then
 * unspecified except that it holds no value from outside the sandbox.
 *
 * Budget: every taken jump whose target slot index is <= its own index
 * costs one unit; when no unit is left the run stops with FC_ERR_BUDGET at
 * that jump, exactly as the interpreter (docs/sandbox.md). The env counter
 * is 32 bits: fc_native_env_init caps a larger fc_vm.budget at
 * 0xffffffff (about an hour of back-edges on a 64 MHz core).
 *
 * Local calls: a call from depth d with top - (d+1)*512 < stack_floor stops
 * with FC_ERR_CALL_DEPTH at the call. r6..r9 are preserved for the caller,
 * r1..r5 are passed, r0 returned, r10 moves down by 512.
 *
 * ---- runtime routines the code calls (relocated symbols) ----------------
 *
 * FC_SYM_HELPER  uint32_t fc_native_helper(struct fc_native_env *env,
 *                                          uint32_t id, uint32_t fb);
 *   AAPCS. Before the call the code has stored r1..r5 into env->regs; the
 *   trampoline checks the allowlist and the helper table exactly as the
 *   interpreter does (FC_ERR_HELPER_DENIED / FC_ERR_HELPER_UNKNOWN), maps
 *   the stack region at depth (fb = current frame base) into the VM, calls
 *   the helper with r1..r5, and either stores the result in env->regs[0]
 *   and returns FC_OK, or stores env->err (and err_addr) and returns the
 *   error; the code then stores err_insn and leaves. r1..r5 and the
 *   registers kept in memory are unchanged by the call.
 *   (The arguments go through env->regs, not through r0..r3 and the stack,
 *   because the helper signature fn(vm, r1..r5) needs the arguments
 *   re-marshalled anyway: call sites stay short and the same trampoline
 *   serves every target.)
 *
 * FC_SYM_UDIV64  uint64_t fc_native_udiv64(uint64_t a, uint64_t b); b==0 -> 0
 * FC_SYM_UMOD64  uint64_t fc_native_umod64(uint64_t a, uint64_t b); b==0 -> a
 * FC_SYM_SDIV64  int64_t  fc_native_sdiv64(int64_t a, int64_t b);
 *                b==0 -> 0; INT64_MIN / -1 -> INT64_MIN
 * FC_SYM_SMOD64  int64_t  fc_native_smod64(int64_t a, int64_t b);
 *                b==0 -> a; INT64_MIN % -1 -> 0; the sign of a (truncation)
 *   AAPCS: a in r0:r1, b in r2:r3, result in r0:r1 (RV32: a0:a1, a2:a3).
 *
 * FC_SYM_MEMCHECK uint32_t fc_native_memcheck(const struct fc_native_env *env,
 *                                      uint32_t addr, uint32_t n, uint32_t perm);
 *   The slow path of a bounds check: 1 if some region (any slot, or the
 *   stack [env->cur_fb, top)) with every bit of perm (FC_PERM_R/W) holds
 *   all of [addr, addr + n), else 0. The code stores env->cur_fb first.
 *
 * Symbol values are the routines' addresses as the linker gives them (bit 0
 * set for Thumb functions); FC_RELOC_THM_CALL ignores bit 0 (BL stays in
 * Thumb state). FC_SYM_RODATA/DATA/BSS resolve to the guest address of the
 * first region of that kind, as the interpreter's lddw section form.
 */
#define FC_NATIVE_MSTACK 640u   /* machine stack the code and the runtime
                                   routines use, bytes, helpers not included
                                   (Thumb-2: 40 prologue + <= 48 per nested
                                   local call + routine frames; lx106:
                                   the frames of the deepest call chain
                                   + 64 for the routines, checked by the
                                   selector, xt_isel.c mstack_need) */
#define FC_NATIVE_NSLOTS 8u

typedef struct fc_native_span {
    uint32_t start;
    uint32_t lim[4];
} fc_native_span;

typedef struct fc_native_env {
    uint32_t regs[11][2];
    uint32_t err;
    uint32_t err_insn;
    uint32_t err_addr[2];
    uint32_t budget;
    uint32_t stack_floor;
    uint32_t helper_ctx;
    uint32_t saved_sp;
    uint32_t cur_fb;
    uint32_t reserved;
    uint32_t stack_end[4];
    fc_native_span rd[FC_NATIVE_NSLOTS];
    fc_native_span wr[FC_NATIVE_NSLOTS];
} fc_native_env;

/* Byte offsets, for code generators (checked against offsetof in tests). */
#define FC_NENV_REGS        0x000u
#define FC_NENV_REG(r, hi)  (FC_NENV_REGS + 8u * (r) + 4u * (hi))
#define FC_NENV_ERR         0x058u
#define FC_NENV_ERR_INSN    0x05cu
#define FC_NENV_ERR_ADDR    0x060u
#define FC_NENV_BUDGET      0x068u
#define FC_NENV_STACK_FLOOR 0x06cu
#define FC_NENV_HELPER_CTX  0x070u
#define FC_NENV_SAVED_SP    0x074u
#define FC_NENV_CUR_FB      0x078u
#define FC_NENV_STACK_END   0x080u
#define FC_NENV_RD          0x090u
#define FC_NENV_WR          0x130u
#define FC_NATIVE_SPAN_SIZE 20u
#define FC_NENV_SPAN(tab, slot) ((tab) + FC_NATIVE_SPAN_SIZE * (slot))
#define FC_NENV_SPAN_LIM(k)  (4u + 4u * (k))   /* within a span; +0 = start */
#define FC_NENV_SIZE        0x1d0u

/* ---- device-side runtime (runtime/fc_native_rt.c) ------------------------ */
struct fc_vm;

/*
 * Fill env for a run of vm's program as native code: registers, budget,
 * region slots and stack bounds from vm (guest addresses), and zero the
 * frames area of the stack (as fc_vm_run does). FC_ERR_BAD_ARG if the VM is
 * inconsistent or a guest address or length does not fit in 32 bits.
 */
int fc_native_env_init(fc_native_env *env, struct fc_vm *vm,
                       uint64_t ctx_addr, uint64_t ctx_len);

/*
 * fc_native_env_init in parts, for a runtime that keeps env from run to run
 * (fc_run's run template, runtime/fc_loader.c):
 *   fc_native_env_regions  what depends on vm's regions and stack only: the
 *                          checks of fc_native_env_init, r10, stack_floor,
 *                          stack_end, helper_ctx = vm, every region slot;
 *                          FC_ERR_BAD_ARG as fc_native_env_init
 *   fc_native_env_slot     rewrite one slot's spans from region r (the
 *                          caller knows which slot the region has)
 *   fc_native_env_start    per run: r0..r10 (r1, r2 = ctx_addr, ctx_len,
 *                          upper halves 0: 32-bit arguments, the caller
 *                          has checked that the context lies below 4 GiB;
 *                          r10 again from stack_end[0], the top: regs[] is
 *                          unspecified after a run, and the lx106 code
 *                          uses regs[8..10] as scratch), err, err_insn,
 *                          err_addr, budget (the caller caps it at
 *                          0xffffffff), scratch
 * Neither zeroes any stack: fc_native_env_init zeroes the whole frames area,
 * a caller of the parts clears what the container says the code can touch
 * (docs/sandbox.md section 3).
 */
int fc_native_env_regions(fc_native_env *env, struct fc_vm *vm);
struct fc_region;
void fc_native_env_slot(fc_native_env *env, uint32_t slot, const struct fc_region *r);
void fc_native_env_start(fc_native_env *env, uint32_t ctx_addr, uint32_t ctx_len,
                         uint32_t budget);

/*
 * Copy the outcome of a run into vm (err, err_pc, err_addr, budget_left)
 * and r0 into *r0 on success (r0 may be NULL). Returns the error.
 */
int fc_native_env_finish(const fc_native_env *env, struct fc_vm *vm,
                         uint32_t ret, uint64_t *r0);

/* The runtime routines (see above). */
uint32_t fc_native_helper(fc_native_env *env, uint32_t id, uint32_t fb);
/* The trampoline's work with the VM given explicitly (fc_native_helper passes
 * env->helper_ctx; an emulator harness passes its host VM). */
uint32_t fc_native_helper_vm(struct fc_vm *vm, fc_native_env *env, uint32_t id,
                             uint32_t fb);
uint64_t fc_native_udiv64(uint64_t a, uint64_t b);
uint64_t fc_native_umod64(uint64_t a, uint64_t b);
int64_t fc_native_sdiv64(int64_t a, int64_t b);
int64_t fc_native_smod64(int64_t a, int64_t b);
uint32_t fc_native_memcheck(const fc_native_env *env, uint32_t addr,
                            uint32_t n, uint32_t perm);

/* On a device: run code at `entry` (Thumb: address | 1) with vm's
 * regions, helpers and budget; like fc_vm_run. */
typedef uint32_t (*fc_native_fn)(fc_native_env *env);
int fc_native_run(fc_native_fn entry, struct fc_vm *vm, uint64_t ctx_addr,
                  uint64_t ctx_len, uint64_t *r0);

#endif /* FC_NATIVE_H */
