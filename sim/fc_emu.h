/*
 * fc_emu.h - the simulator's machines (sim/, libfcsim; host tools and tests
 * only): run code made by the thumbv7m backend in-process, in Unicorn, on an
 * emulated Cortex-M3, or RV32 code on an emulated RV32IMAC.
 *
 * The emulated device has a fixed memory map of blocks (host buffers):
 *
 *   0x00000000  unmapped (a null pointer faults)
 *   0x00008000  stub page: the helper trampoline (BX LR, hooked: the host
 *               runs fc_native_helper_vm) and the return sentinel (execute only)
 *   0x00010000  the runtime routines: runtime/fc_native_rt.c compiled with
 *               arm-none-eabi-gcc -mcpu=cortex-m3 -O2 (64-bit division,
 *               bounds-check slow path), embedded at build time, so
 *               executed-instruction counts include them
 *   0x00100000  code (1 MiB): only the placed code is mapped
 *   0x20000000  env (struct fc_native_env, FC_NENV_SIZE bytes)
 *   0x20001000  guard page (unmapped)
 *   0x20002000  machine stack (top 0x20010000), then unmapped up to
 *   0x20020000  eBPF stack: FC_MAX_CALL_DEPTH frames of 512 bytes
 *   0x20100000  context        }  FC_EMU_AREA_SIZE each, 1 MiB apart; the
 *   0x20200000  .rodata        }  host reads and writes them through
 *   0x20300000  .data          }  fc_emu_area() (host memory mapped into
 *   0x20400000  .bss           }  Unicorn, so helpers called through the
 *   0x20500000  extra 0..2     }  trampoline see the same bytes as the code)
 *   above       unmapped (fc_emu_map adds areas)
 *
 * Exact map. During fc_emu_run only these bytes can be accessed: the VM's
 * regions (with their permissions), the stack frames [top - max_depth *
 * 512, top), the env structure, the machine stack, the placed code and the
 * routines (read and execute), fc_emu_map's areas. Pages that hold none of
 * them are unmapped (or mapped with no access); the bytes of a mapped page outside all of them (after
 * a region's end, between regions, after the env or the code) are refused
 * by a memory hook. Any other access stops the run at that access with
 * FC_EMU_EACCESS: stats->fault_addr, ->fault (read, write, fetch) and ->pc
 * (the accessing instruction); a refused write leaves memory unchanged.
 *
 * Placing code ("code at address X with its symbols resolved") is separate
 * from running it, so code installed by the real loader can run here too.
 *
 * The same harness runs RV32IMAC code (fc_emu_open_target, below; the
 * target's part is tools/fc_emu_rv32.c) with the same memory map.
 *
 * Unicorn traps handled (../shared/notes/emulation.md): opened with
 * UC_MODE_THUMB and the CPU model set to Cortex-M3 at once (not
 * UC_MODE_MCLASS); the translation cache is dropped after every code write;
 * runs are bounded by an instruction count, not a timeout; entry at addr|1
 * with a sentinel return address.
 */
#ifndef FC_EMU_H
#define FC_EMU_H

#include <stddef.h>
#include <stdint.h>
#include "fc_backend.h"
#include "fc_native.h"
#include "fc_vm.h"

#define FC_EMU_STUB_ADDR    0x00008000u
#define FC_EMU_HELPER_ADDR  0x00008000u   /* FC_SYM_HELPER (| 1) */
#define FC_EMU_SENTINEL     0x00008100u   /* return address of a run (| 1) */
#define FC_EMU_RT_ADDR      0x00010000u
#define FC_EMU_CODE_ADDR    0x00100000u
#define FC_EMU_CODE_SIZE    0x00100000u
#define FC_EMU_ENV_ADDR     0x20000000u
#define FC_EMU_MSTACK_ADDR  0x20002000u
#define FC_EMU_MSTACK_TOP   0x20010000u
#define FC_EMU_STACK_ADDR   0x20020000u
#define FC_EMU_STACK_SIZE   (FC_STACK_SIZE * FC_MAX_CALL_DEPTH)
#define FC_EMU_AREA_SIZE    0x00010000u

/* data areas (fc_emu_area) */
enum fc_emu_area {
    FC_EMU_CTX = 0,      /* 0x20100000 */
    FC_EMU_RODATA,       /* 0x20200000 */
    FC_EMU_DATA,         /* 0x20300000 */
    FC_EMU_BSS,          /* 0x20400000 */
    FC_EMU_EXTRA0,       /* 0x20500000 */
    FC_EMU_EXTRA1,
    FC_EMU_EXTRA2,
    FC_EMU_STACK,        /* FC_EMU_STACK_ADDR, FC_EMU_STACK_SIZE bytes */
    FC_EMU__AREAS
};

/* results other than enum fc_err */
enum {
    FC_EMU_EFAULT = -1,  /* the machine faulted (Unicorn error, illegal
                            instruction, calling convention broken): see stats */
    FC_EMU_ECAP = -2,    /* the instruction cap was reached */
    FC_EMU_ESETUP = -3,  /* bad arguments, env set-up failed, a region outside
                            the machine's memory */
    FC_EMU_EACCESS = -4  /* an access outside the exact map (above): stats has
                            its address, kind and pc */
};

/* fc_emu_stats.fault */
enum { FC_EMU_FAULT_NONE = 0, FC_EMU_FAULT_READ, FC_EMU_FAULT_WRITE, FC_EMU_FAULT_FETCH };

typedef struct fc_emu fc_emu;

typedef struct fc_emu_stats {
    uint64_t insns;      /* executed instructions (when counting) */
    uint32_t pc;         /* pc when the run stopped (FC_EMU_EACCESS: of the access) */
    int uc_err;          /* Unicorn error of a fault, else 0 */
    uint32_t helper_calls;
    int fault;           /* FC_EMU_EACCESS: FC_EMU_FAULT_*, else 0 */
    uint32_t fault_addr; /* FC_EMU_EACCESS: the first byte accessed */
    uint32_t fault_size; /* and the access's size (bytes; 0 if unknown) */
} fc_emu_stats;

/* "read", "write", "fetch" for an fc_emu_stats.fault. */
const char *fc_emu_fault_str(int fault);

/* Open an emulator (maps the runtime's blocks, loads the runtime routines).
 * NULL on failure with a message in err. */
fc_emu *fc_emu_open(char *err, size_t errlen);
/* The same for a target (enum fc_target): FC_TARGET_THUMBV7M is fc_emu_open;
 * FC_TARGET_RV32IMAC is an RV32IMAC core (Unicorn's SiFive E31 model) with
 * the rv32imac backend and runtime/fc_native_rt.c built for it. Every other
 * function works on either. NULL with a message for other targets. */
fc_emu *fc_emu_open_target(unsigned target, char *err, size_t errlen);
void fc_emu_close(fc_emu *e);

/* Host view of a data area, its guest address and size. */
uint8_t *fc_emu_area(fc_emu *e, enum fc_emu_area a, uint32_t *addr, uint32_t *size);

/* Symbol values of this device (runtime routines, trampoline, and the
 * section areas for FC_SYM_RODATA/DATA/BSS). */
void fc_emu_symbols(const fc_emu *e, uint32_t sym[FC_SYM__COUNT]);

/* Apply relocations to code that will sit at code_addr. 0, or -1 with a
 * message (unknown kind or symbol, wrong instruction, out of range). */
int fc_emu_relocate(uint8_t *code, uint32_t len, uint32_t code_addr,
                    const fc_bk_reloc *rel, uint32_t nrel,
                    const uint32_t sym[FC_SYM__COUNT], char *err, size_t errlen);

/* Place code at addr (inside the code area) and drop stale translations.
 * The placed bytes become readable and executable (their pages mapped, the
 * rest of those pages refused to reads); they replace any placed code they
 * overlap. At most 8 pieces of code are placed at once: -1 beyond. */
int fc_emu_place(fc_emu *e, uint32_t addr, const uint8_t *code, uint32_t len);

/* The backend fc_emu_load_prog and fc_emu_diff use (one of the emulator's
 * target; NULL or another target's: back to the target's default). */
void fc_emu_set_backend(fc_emu *e, const fc_backend *b);

/* Count executed instructions from now on (a per-instruction hook: slow). */
void fc_emu_count(fc_emu *e, int on);
/* Instruction cap of a run (default 200 million). */
void fc_emu_cap(fc_emu *e, uint64_t max_insns);

/*
 * Run the code at `entry` (an address in the code area, Thumb bit optional)
 * as fc_native_run does on a device: env from vm (fc_native_env_init), the
 * call, the outcome into vm and *r0 (fc_native_env_finish). vm's regions
 * must use the emulator's areas (guest addresses and host pointers from
 * fc_emu_area); its helpers are called through the trampoline hook.
 * Returns enum fc_err, or FC_EMU_E* (then stats says why).
 */
int fc_emu_run(fc_emu *e, uint32_t entry, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len,
               uint64_t *r0, fc_emu_stats *stats);

/* fc_vm_init for the emulator's stack area (guest FC_EMU_STACK_ADDR);
 * callers add regions with addresses and host views from fc_emu_area. */
int fc_emu_vm(fc_emu *e, fc_vm *vm, const fc_insn *insns, uint32_t n);

/*
 * Compile p with the thumbv7m backend (info may be NULL), relocate it for
 * FC_EMU_CODE_ADDR with this device's symbols and place it there. *entry:
 * the address to run. Returns enum fc_bk_status (FC_BK_OK), or -1 when the
 * relocation failed; a message in err.
 */
int fc_emu_load_prog(fc_emu *e, const fc_prog *p, const fc_insn_info *info,
                     const fc_bk_opts *opts, uint32_t *entry, fc_bk_out *stats,
                     char *err, size_t errlen);

/* ---- differential runs: the interpreter and the Thumb-2 code ------------- */
typedef struct fc_emu_case {
    const fc_insn *insns;
    uint32_t n;
    const fc_insn_info *info;        /* NULL: no verifier facts */
    uint32_t bk_flags;               /* FC_BK_* */
    const uint8_t *ctx;              /* context bytes (r1 = its address) */
    uint32_t ctx_len;                /* 0: no context, r1 = r2 = 0 */
    unsigned ctx_perm;               /* FC_PERM_*; 0 means FC_PERM_RW */
    const uint8_t *rodata, *data;    /* optional sections */
    uint32_t rodata_len, data_len, bss_len;
    const fc_helper *helpers;
    uint32_t nhelpers;
    const uint32_t *allow;           /* allowlist, NULL: all */
    uint32_t nallow;
    uint64_t budget;                 /* 0: FC_DEFAULT_BUDGET */
    uint32_t max_depth;              /* 0: FC_MAX_CALL_DEPTH */
    const fc_backend *backend;       /* NULL: the emulator's (its target's) backend;
                                        else one for the same target (rv32ima) */
} fc_emu_case;

typedef struct fc_emu_outcome {
    int err;                         /* enum fc_err, or FC_EMU_E* */
    uint64_t r0;
    uint32_t err_pc;
    uint64_t err_addr;
    uint64_t budget_left;
    uint64_t insns;                  /* executed (native: when counting) */
    uint32_t code_len;               /* native code bytes */
} fc_emu_outcome;

/*
 * Put case c's memory into the machine's areas (the context, .rodata, .data
 * and .bss at the starts of their areas, the rest of each area a 0xa5
 * pattern) and set vm up over them with c's helpers, budget and depth, as
 * fc_emu_diff does for its native run. *ctx_addr: r1 (0 without a context).
 * Returns enum fc_err. (c->insns, n: the program vm runs.)
 */
int fc_emu_case_vm(fc_emu *e, const fc_emu_case *c, fc_vm *vm, uint64_t *ctx_addr);

/*
 * Run a case through the interpreter (regions at the same guest addresses
 * as the emulator's, on host copies) and through the backend in Unicorn,
 * and compare r0, error, error slot, budget left, and the bytes of the
 * context, .data, .bss and the stack afterwards. Returns 0 when they agree,
 * 1 when they differ, -1 when the case could not run (compile failure...);
 * msg says how.
 */
int fc_emu_diff(fc_emu *e, const fc_emu_case *c, fc_emu_outcome *interp,
                fc_emu_outcome *native, char *msg, size_t msglen);

/* ---- targets (for the harness's own files: fc_emu.c, fc_emu_rv32.c) ------- */
struct uc_struct;
typedef struct fc_emu_arch {
    unsigned target;                 /* enum fc_target */
    const fc_backend *backend;       /* the default backend */
    int uc_arch, uc_mode, uc_cpu;    /* uc_open, then uc_ctl_set_cpu_model */
    int reg_arg[3];                  /* env, helper id, frame base of the trampoline;
                                        its result goes to reg_arg[0] */
    int reg_sp, reg_ret, reg_pc;     /* stack pointer, return address, pc */
    uint32_t code_bit;               /* Thumb: 1 (entry, sentinel, trampoline | 1) */
    const uint8_t *rt_blob;          /* the runtime routines at FC_EMU_RT_ADDR */
    const uint32_t *rt_blob_len;
    const uint32_t *rt_sym;          /* their FC_SYM_* addresses */
    void (*stubs)(uint8_t *page);    /* the stub page: return at FC_EMU_HELPER_ADDR,
                                        endless loop at FC_EMU_SENTINEL */
    int (*before)(struct uc_struct *uc);  /* before a run (interrupts on); -1: fault */
    int (*after)(struct uc_struct *uc);   /* after a run that returned (NULL: none);
                                             -1: the code broke the convention */
} fc_emu_arch;
extern const fc_emu_arch fc_emu_arch_rv32imac;   /* tools/fc_emu_rv32.c */

/* ---- whole-firmware runs (bench/): extra memory, plain calls, a trace ------
 * Additions for running cross-compiled firmware (the interpreter, the loader,
 * gcc-compiled functions) on the emulated core next to backend code. */
#define FC_EMU_MAX_MAPS 8u

/* Map `size` bytes (a multiple of 4 KiB) of zeroed host memory at guest
 * `addr` (4 KiB aligned, clear of the blocks above), readable, writable and
 * executable, all of it (the firmware's memory is its own business); kept when the engine is rebuilt, freed by fc_emu_close.
 * Returns the host view, NULL on failure. Code written through the host
 * view needs fc_emu_flush before it runs. */
uint8_t *fc_emu_map(fc_emu *e, uint32_t addr, uint32_t size);

/* Drop translated code of [addr, addr + len) (after host writes to code). */
void fc_emu_flush(fc_emu *e, uint32_t addr, uint32_t len);

/* Host view of [addr, addr + len) if it lies in one block (mapped now or
 * not), else NULL. */
uint8_t *fc_emu_host(fc_emu *e, uint32_t addr, uint32_t len);

/* A callback for every executed instruction while counting (fc_emu_count):
 * its address, its bytes (host view, NULL if unmapped) and size. Runs that
 * count call it in execution order; NULL turns it off. */
typedef void (*fc_emu_trace_fn)(void *ctx, uint32_t addr, const uint8_t *insn, uint32_t size);
void fc_emu_trace(fc_emu *e, fc_emu_trace_fn fn, void *ctx);

/* Call the function at `fn` (Thumb bit optional) as C code would (the map:
 * the runtime's blocks, the code, fc_emu_map's areas; no run regions): nargs
 * (<= 8) 32-bit arguments in r0-r3 then on the stack (AAPCS) or in a0-a7
 * (ILP32), sp = FC_EMU_MSTACK_TOP, returning to the sentinel. *ret (may be
 * NULL) = r0 | r1 << 32 (a0, a1). Returns 0, or FC_EMU_EFAULT / FC_EMU_ECAP /
 * FC_EMU_ESETUP / FC_EMU_EACCESS; stats as for fc_emu_run. */
int fc_emu_call(fc_emu *e, uint32_t fn, const uint32_t *args, unsigned nargs, uint64_t *ret,
                fc_emu_stats *stats);

#endif /* FC_EMU_H */
