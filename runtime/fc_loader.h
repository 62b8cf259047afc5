/*
 * fc_loader.h - the on-device loader: validate an .fcx container, install it
 * into a flash slot (code executes in place), bind it to instance RAM, run it
 * natively or in the interpreter.
 *
 * Freestanding C99, no allocation: the caller owns every buffer.
 *
 *   fc_check()    validate a container for this platform, write nothing,
 *                 report what an install needs (slot bytes, instance RAM)
 *   fc_install()  validate completely, then stream the image into the slot
 *                 page by page, relocating on the page buffer before each
 *                 program; the install record is programmed last (commit)
 *   fc_open()     re-open an installed slot (after a reboot), verify its hash
 *   fc_run()      run an entry: native code through the platform's hook, or
 *                 the bytecode in the interpreter when the slot holds no code
 *                 for this core
 *
 * Errors: every failure has its own code (enum fc_lerr, disjoint from enum
 * fc_err) and an fc_lresult naming the field ("section 3: offset+length
 * beyond end of container"). See docs/fcx.md for the format and the slot
 * layout.
 */
#ifndef FC_LOADER_H
#define FC_LOADER_H

#include <stdint.h>
#include <stddef.h>
#include "fc_vm.h"
#include "fc_native.h"
#include "fc_container.h"
#include "fc_flash.h"

/* ---- errors ------------------------------------------------------------- */
/* Disjoint from enum fc_err (which fc_run also returns for program
 * outcomes): loader codes start at FC_LERR_BASE. */
#define FC_LERR_BASE 64
enum fc_lerr {
    FC_LERR_ARG = FC_LERR_BASE,  /* the caller passed something unusable      */
    /* header */
    FC_LERR_TRUNCATED,           /* shorter than the header                   */
    FC_LERR_MAGIC,
    FC_LERR_VERSION_NEWER,       /* major version newer than this loader      */
    FC_LERR_VERSION_OLDER,       /* major version older than this loader      */
    FC_LERR_HEADER_SIZE,
    FC_LERR_FLAGS,               /* unknown required flag                     */
    FC_LERR_RESERVED,            /* reserved header bytes not zero            */
    FC_LERR_IMAGE_SIZE,
    FC_LERR_TRAILING,            /* bytes after image_size, no trailer flag   */
    FC_LERR_TRAILER,             /* malformed trailer                         */
    FC_LERR_SIGNATURE,           /* platform requires a verified signature    */
    FC_LERR_SECTION_TABLE,
    FC_LERR_FRAMES,              /* stack frames 0 or > FC_MAX_CALL_DEPTH     */
    FC_LERR_BUDGET,              /* budget above the platform's limit         */
    FC_LERR_TARGETS,             /* header target bits != code sections       */
    FC_LERR_HASH,
    /* section table */
    FC_LERR_SECT_TYPE,           /* unknown type without the optional flag    */
    FC_LERR_SECT_FLAGS,
    FC_LERR_SECT_FIELD,          /* target/link/info/reserved set wrongly     */
    FC_LERR_SECT_EMPTY,
    FC_LERR_SECT_ALIGN,
    FC_LERR_SECT_BOUNDS,         /* offset+size beyond the image              */
    FC_LERR_SECT_ORDER,          /* offsets not ascending                     */
    FC_LERR_SECT_OVERLAP,        /* overlaps the table or the previous section */
    FC_LERR_SECT_GAP,            /* padding not zero                          */
    FC_LERR_SECT_DUP,            /* second section of a role                  */
    FC_LERR_SECT_SIZE,           /* not a whole number of records, too big    */
    FC_LERR_SECT_LINK,           /* link is not a code section                */
    /* contents */
    FC_LERR_NO_BYTECODE,
    FC_LERR_BYTECODE,            /* instruction fails the encoding check      */
    FC_LERR_NO_ENTRIES,
    FC_LERR_ENTRY,
    FC_LERR_HELPER_ORDER,        /* helper imports not ascending / duplicate  */
    FC_LERR_HELPER_MISSING,      /* helper import not registered here         */
    FC_LERR_CODE_TARGET,         /* code section for an unknown target        */
    FC_LERR_CODE_ENTRIES,        /* native entry table missing / wrong size   */
    FC_LERR_NATIVE_ENTRY,        /* native entry offset outside / misaligned  */
    FC_LERR_RELOC_OFFSET,
    FC_LERR_RELOC_ORDER,
    FC_LERR_RELOC_KIND,
    FC_LERR_RELOC_SYM,
    FC_LERR_RELOC_SYM_MISSING,   /* symbol not provided by this platform      */
    FC_LERR_RELOC_INSN,          /* instruction at the offset does not match  */
    FC_LERR_RELOC_RANGE,         /* value out of the instruction's range      */
    FC_LERR_PCMAP,
    FC_LERR_NO_NATIVE,           /* native required, no code for this core    */
    FC_LERR_ISA,                 /* native required, core lacks ISA features  */
    FC_LERR_ADDR,                /* an address does not fit 32 bits           */
    FC_LERR_RAM_LIMIT,           /* .data + .bss (+ .rodata) above the limit  */
    /* install / open */
    FC_LERR_SLOT,                /* slot not page aligned / outside the flash */
    FC_LERR_SLOT_SPACE,          /* image larger than the slot                */
    FC_LERR_RAM,                 /* instance RAM too small / misaligned       */
    FC_LERR_BUF,                 /* staging buffer unusable                   */
    FC_LERR_NOT_MAPPED,          /* flash not memory mapped: cannot run       */
    FC_LERR_FLASH_ERASE,
    FC_LERR_FLASH_PROGRAM,
    FC_LERR_FLASH_READ,
    FC_LERR_FLASH_VERIFY,        /* read back differs from what was programmed */
    FC_LERR_NOT_INSTALLED,       /* no install record in the slot             */
    FC_LERR_SLOT_CORRUPT,        /* install record or image hash wrong        */
    FC_LERR_RAM_ADDR,            /* fc_open: RAM not where the code expects   */
    /* run */
    FC_LERR_ENTRY_UNKNOWN,
    FC_LERR_NATIVE_UNAVAILABLE,  /* native code for this core, no way to call it */
    FC_LERR_STACK,               /* run stack smaller than the container needs */
    FC_LERR_REGIONS,             /* too many regions                          */
    /* context requirements (header ctx_min / ctx_flags) */
    FC_LERR_CTX_LIMIT,           /* ctx_min above FC_FCX_MAX_CTX, unknown flag */
    FC_LERR_CTX_SHORT,           /* run: context shorter than ctx_min         */
    FC_LERR_CTX_READONLY,        /* run: read-only context, code writes it    */
    /* signatures (docs/fcx.md "Signatures", docs/sandbox.md "Trust") */
    FC_LERR_SIG_UNTRUSTED,       /* signed, but by no key the device trusts   */
    FC_LERR_SIG_INVALID,         /* a trusted key's signature does not verify */
    FC_LERR_STACK_USE,           /* header stack_untouched above 512 / not 8k  */
    /* the device's own compiler (FC_POLICY_JIT, runtime/fc_jit.h) */
    FC_LERR_JIT_VERIFY,          /* the device's verifier refused the bytecode */
    FC_LERR_JIT_COMPILE,         /* its backend could not compile it, or the
                                    JIT workspace is too small               */
    FC_LERR__END
};

/* Where a check failed. `what` is a static string naming the field. */
typedef struct fc_lresult {
    int code;            /* FC_OK, enum fc_lerr, or (fc_run) enum fc_err */
    const char *what;    /* static text, never NULL after a call          */
    int32_t sect;        /* section index, -1 if none                     */
    int32_t item;        /* record index inside it (relocation, entry,
                            helper, instruction, ...), -1 if none          */
    uint32_t value;      /* the offending value when has_value            */
    uint8_t has_value;
} fc_lresult;

/* Stable short name of a loader or fc_err code. Never NULL. A terse build
 * (FC_LOADER_TERSE, what a device runs) keeps no names of its own codes:
 * every enum fc_lerr code is then "loader error" and fc_lresult_format
 * writes the number after it ("loader error 75"); the host names it
 * (femto-objdump --error 75, femto-board). */
const char *fc_lerr_str(int code);

/* "section 3: offset+length beyond end of container", or
 * "section 7 record 2: relocation kind not defined for the target (value 0x9)".
 * NUL-terminated, truncated to size; returns the length written. */
size_t fc_lresult_format(const fc_lresult *r, char *buf, size_t size);

/* ---- native code: calling it is the platform's business ---------------- */
typedef struct fc_app fc_app;

/*
 * What a platform hook gets to enter native code. `vm` is set up exactly as
 * for the interpreter (regions: ctx, rodata, data, bss, extras; stack and
 * max_depth = the container's frames; helpers and the container's allowlist;
 * budget), which is what the native calling convention of
 * runtime/fc_native.h builds its env from (fc_native_env_init).
 */
typedef struct fc_native_invoke {
    const fc_app *app;
    struct fc_vm *vm;
    uint64_t ctx_addr, ctx_len;  /* r1, r2                                   */
    uint32_t entry;              /* entry index                              */
    uint32_t entry_off;          /* its offset in the code                    */
    uint32_t entry_addr;         /* its address for the core (Thumb: bit 0)   */
    uint64_t code_addr;          /* core address of the code                  */
    const uint8_t *code;         /* host view of the code (emulators map it)  */
    uint32_t code_len;
    uint32_t fault_off;          /* out: offset in the code of a machine fault
                                    the hook caught, UINT32_MAX if none      */
    /* The env of this run, ready (fc_run's template: region slots kept
     * from earlier runs, fc_native_env_start done, the stack the code may
     * touch cleared), or NULL: the hook builds one from vm
     * (fc_native_env_init, as the emulators always do). */
    fc_native_env *env;
} fc_native_invoke;

/*
 * The platform hook that enters native code. Like fc_vm_run: returns the
 * run's enum fc_err (or an enum fc_lerr for a setup failure), leaves the
 * outcome in call->vm (err, err_pc, err_addr, budget_left: what
 * fc_native_env_finish stores) and r0 in *r0 on success. On a device use
 * fc_native_invoke_direct; on the host the simulator (sim/fc_emu.*)
 * provides one.
 */
typedef int (*fc_native_invoke_fn)(void *hook_ctx, fc_native_invoke *call, uint64_t *r0);

/*
 * The device hook: calls the code in place through fc_native_run
 * (runtime/fc_native.h). In a build for a core that cannot execute the
 * code (the host), returns FC_LERR_NATIVE_UNAVAILABLE without calling.
 */
int fc_native_invoke_direct(void *hook_ctx, fc_native_invoke *call, uint64_t *r0);

/* What a run produced. */
typedef struct fc_run_result {
    int err;                /* FC_OK, enum fc_err, or enum fc_lerr           */
    uint8_t engine;         /* FC_TARGET_EBPF (interpreter) or native target */
    uint32_t err_pc;        /* eBPF instruction index of the failure         */
    uint32_t native_pc;     /* native: offset of a machine fault in the code,
                               UINT32_MAX if none                            */
    uint64_t err_addr;
    uint64_t insn_count;    /* interpreter only                              */
    uint64_t budget_left;
} fc_run_result;

/* ---- the platform ------------------------------------------------------- */
/*
 * Signature policy (docs/sandbox.md "Trust"). The loader verifies the
 * container's signature trailer against the platform's trusted keys before
 * anything is written to flash:
 *   FC_POLICY_NATIVE_SIGNED (0)    the default (a zeroed fc_platform): native
 *                                  code only with a valid signature by a
 *                                  trusted key; otherwise the install is
 *                                  bytecode only (the interpreter checks
 *                                  every access), or refused with
 *                                  FC_INSTALL_REQUIRE_NATIVE
 *   FC_POLICY_REQUIRE_SIGNATURE    refuse anything without a valid signature
 *                                  by a trusted key (implies NATIVE_SIGNED)
 *   FC_POLICY_ACCEPT_UNSIGNED      development only, asked for explicitly:
 *                                  native code is installed and run whatever
 *                                  the signature says (ignored when combined
 *                                  with REQUIRE_SIGNATURE)
 */
#define FC_POLICY_NATIVE_SIGNED     0u
#define FC_POLICY_REQUIRE_SIGNATURE 1u
#define FC_POLICY_ACCEPT_UNSIGNED   4u
/*
 *   FC_POLICY_JIT                  the device compiles: a container with no
 *                                  native code for this core, or whose code
 *                                  the policy does not trust, is verified and
 *                                  compiled at install by plat->jit (the same
 *                                  verifier and backend as femtoc,
 *                                  runtime/fc_jit.h); the container's own code
 *                                  is ignored then. If the device's verifier
 *                                  or backend refuses it, the install falls
 *                                  back to the interpreter, or is refused
 *                                  with FC_INSTALL_REQUIRE_NATIVE or
 *                                  FC_POLICY_JIT_STRICT
 *   FC_POLICY_JIT_STRICT           with FC_POLICY_JIT: a program the device's
 *                                  verifier refuses is refused, not
 *                                  interpreted
 */
#define FC_POLICY_JIT               8u
#define FC_POLICY_JIT_STRICT        16u
/* Native code without a valid trusted signature is acceptable. */
#define FC_POLICY_UNSIGNED_NATIVE_OK(policy) \
    (((policy) & (FC_POLICY_ACCEPT_UNSIGNED | FC_POLICY_REQUIRE_SIGNATURE)) == FC_POLICY_ACCEPT_UNSIGNED)

/* What the loader found out about a container's signatures. */
enum fc_trust {
    FC_TRUST_UNSIGNED = 0,   /* no signature record                        */
    FC_TRUST_UNTRUSTED,      /* signed, but by no trusted key (or with an
                                algorithm this runtime does not check)     */
    FC_TRUST_INVALID,        /* a record names a trusted key, its signature
                                does not verify (changed after signing)    */
    FC_TRUST_OK              /* a valid signature by a trusted key         */
};
const char *fc_trust_str(unsigned trust);

/* A trusted Ed25519 public key (RFC 8032, 32 raw bytes); its key id is
 * the first 8 bytes of its SHA-256 (docs/fcx.md). */
typedef struct fc_trust_key {
    uint8_t pub[32];
} fc_trust_key;

/*
 * The device's compiler (runtime/fc_jit.h), called by fc_install under
 * FC_POLICY_JIT. in: the container's bytecode and what it needs, as the
 * loader validated it; out: the native code for plat->target and its
 * tables in the container's record layouts, in one buffer (the JIT's
 * workspace, which must stay untouched until fc_install returns): the
 * loader validates it like a code section and streams it into the slot
 * page by page, relocating as for host-made code. Returns FC_OK or
 * FC_LERR_JIT_* with *res filled (a verifier refusal: item = instruction
 * index, what = the verifier's message, kept in the workspace).
 */
typedef struct fc_jit_in {
    const uint8_t *insns;        /* bytecode section (8-byte instructions)    */
    uint32_t ninsns;
    const uint8_t *entries;      /* FC_FCX_ENTRY_SIZE records                 */
    uint32_t nentries;
    const uint8_t *rodata;
    uint32_t rodata_len;
    const uint8_t *data;
    uint32_t data_len;
    uint32_t bss_len;
    uint32_t ctx_min;            /* header ctx_min (femtoc --ctx-size)        */
    uint8_t target;              /* the core: plat->target and plat->isa     */
    uint32_t isa;
} fc_jit_in;

typedef struct fc_jit_out {
    const uint8_t *buf;          /* the parts below, offsets into buf         */
    uint32_t buf_len;
    uint32_t code_off, code_len;
    uint32_t centries_off;       /* nentries u32 native offsets               */
    uint32_t reloc_off, nrelocs; /* FC_FCX_RELOC_SIZE records, ascending      */
    uint32_t pcmap_off, npcmap;  /* FC_FCX_PCMAP_SIZE records                 */
    uint32_t isa;                /* FC_ISA_* the code needs                   */
} fc_jit_out;

typedef int (*fc_jit_fn)(void *jit_ctx, const fc_jit_in *in, fc_jit_out *out, fc_lresult *res);

typedef struct fc_platform {
    uint8_t target;              /* this core (enum fc_target); FC_TARGET_EBPF:
                                    interpreter only                          */
    uint32_t isa;                /* FC_ISA_* bits the core has                */
    const fc_helper *helpers;    /* registered helpers                        */
    uint32_t nhelpers;
    /* Addresses of runtime routines native code may call (FC_SYM_HELPER,
     * FC_SYM_UDIV64.., FC_SYM_FAULT, FC_SYM_MEMCHECK), Thumb bit included
     * for Thumb functions; 0 = not provided. FC_SYM_RODATA/DATA/BSS are
     * placed by the loader and ignored here. */
    uint32_t sym[FC_SYM__COUNT];
    uint32_t max_budget;         /* 0: no limit                               */
    uint32_t policy;             /* FC_POLICY_*                               */
    const fc_trust_key *trusted; /* the firmware's trust store                */
    uint32_t ntrusted;
    fc_native_invoke_fn invoke;  /* NULL: native code cannot run here         */
    void *invoke_ctx;
    fc_jit_fn jit;               /* NULL: no compiler on this device          */
    void *jit_ctx;               /* (fc_jit_hook: a struct fc_jit_ctx)        */
} fc_platform;

/* ---- install ------------------------------------------------------------ */
#define FC_INSTALL_REQUIRE_NATIVE 1u  /* fail if no usable code for this core  */
#define FC_INSTALL_BYTECODE_ONLY  2u  /* ignore native code (interpreter only) */
#define FC_INSTALL_RODATA_RAM     4u  /* .rodata in instance RAM, not flash    */

typedef struct fc_install_cfg {
    const fc_platform *plat;
    fc_slot slot;
    /* Instance RAM: .data, .bss (and .rodata with FC_INSTALL_RODATA_RAM),
     * 8-byte aligned; its core address is baked into relocated code.
     * ram_addr 0 = the host address of ram. */
    uint8_t *ram;
    uint32_t ram_len;
    uint64_t ram_addr;
    /* Staging buffer for programming: a multiple of the flash's program unit,
     * at least 64 bytes; a whole page is fastest. */
    uint8_t *buf;
    uint32_t buf_len;
    uint32_t flags;              /* FC_INSTALL_*                              */
} fc_install_cfg;

/* What an install needs and chose (fc_check, fc_install). */
typedef struct fc_install_info {
    uint8_t engine;              /* target of the code chosen, or FC_TARGET_EBPF */
    uint32_t slot_bytes;         /* image bytes in the slot (record included) */
    uint32_t slot_pages;
    uint32_t ram_bytes;          /* instance RAM for .data/.bss/.rodata       */
    uint32_t run_tmpl_bytes;     /* + fc_run's run template after them: the
                                    instance RAM must hold both             */
    uint32_t stack_bytes;        /* run stack needed: frames * FC_STACK_SIZE  */
    uint32_t ninsns, nentries, nhelpers, nrelocs;
    uint8_t trust;               /* enum fc_trust                             */
    int32_t key;                 /* index in plat->trusted of the key that
                                    signed (FC_TRUST_OK / _INVALID), else -1 */
    uint8_t native_dropped;      /* 1: code for this core was present but the
                                    policy installed bytecode only            */
    uint8_t jit;                 /* 1: the code installed was compiled by the
                                    device (FC_POLICY_JIT); 2: the device's
                                    compiler refused it (jit_res says why) and
                                    the bytecode was installed                */
    fc_lresult jit_res;          /* the compiler's result when jit != 0      */
} fc_install_info;

/* ---- the installed, RAM-bound application ------------------------------- */
struct fc_app {
    const fc_platform *plat;
    const fc_flash *flash;
    uint32_t slot_off, slot_size;
    const uint8_t *img;          /* host view of the slot (NULL if not mapped) */
    uint64_t img_addr;           /* core address of the slot                   */
    uint8_t engine;              /* FC_TARGET_EBPF or the native target        */
    uint32_t flags;              /* FC_INSTALL_* used                          */
    uint32_t image_size;
    uint32_t frames;
    uint32_t budget;             /* container's (0 = FC_DEFAULT_BUDGET)        */
    uint32_t isa;
    uint32_t code_off, code_len;
    uint32_t rodata_off, rodata_len;
    uint32_t data_off, data_len;
    uint32_t bss_len;
    uint32_t insns_off, ninsns;
    uint32_t helpers_off, nhelpers;
    uint32_t entries_off, nentries;
    uint32_t pcmap_off, npcmap;
    uint8_t *ram;
    uint32_t ram_len;
    uint64_t ram_addr;
    uint32_t ram_data, ram_bss, ram_rodata;  /* offsets in ram */
    uint32_t ram_need;           /* .data/.bss/.rodata bytes in ram           */
    uint32_t ram_tmpl;           /* offset in ram of fc_run's run template    */
    uint32_t stack_untouched;    /* header: bytes at the bottom of each frame
                                    the code never touches (not cleared)     */
    uint32_t ctx_min;            /* context bytes the code relies on          */
    uint32_t ctx_flags;          /* FC_FCX_CTX_*                              */
    uint8_t trust;               /* enum fc_trust of the container installed  */
    uint8_t native_dropped;      /* install: the policy dropped native code   */
    uint8_t jit;                 /* 1: the code is the device's own (compiled at
                                    install under FC_POLICY_JIT)            */
    int32_t trust_key;           /* install: index of the signing trusted key */
    uint8_t container_sha256[32];
};

/* Installed slot layout (device-private; docs/fcx.md "Installed slot"). */
#define FC_SLOT_REC_SIZE     192u
#define FC_SLOT_REC_VERSION  2u
#define FC_SLOT_ENTRY_SIZE   32u  /* name[24], u32 insn, u32 native offset */

/*
 * Validate the container on its own (every rule of docs/fcx.md that does not
 * depend on a device: header, sections, records, bytecode encoding, hash).
 * Used by fc_check/fc_install, and by host tools for their verdict.
 */
int fc_fcx_validate(const uint8_t *fcx, uint32_t len, fc_lresult *res);

/*
 * Validate `fcx` (len bytes) for cfg->plat and, when cfg->slot.flash and
 * cfg->ram are set, for that slot and RAM (addresses: relocation ranges).
 * Writes nothing. Fills *info when non-NULL. The device's compiler is not run
 * (FC_POLICY_JIT): a container fc_install would compile is reported with
 * the engine it has without it.
 */
int fc_check(const uint8_t *fcx, uint32_t len, const fc_install_cfg *cfg,
             fc_install_info *info, fc_lresult *res);

/*
 * Validate completely, then install into cfg->slot and bind to cfg->ram
 * (data copied, bss zeroed). On failure nothing outside the slot is touched;
 * if the failure happens after writing started (flash error), the slot has no
 * valid install record (fc_open reports FC_LERR_NOT_INSTALLED).
 */
int fc_install(const uint8_t *fcx, uint32_t len, const fc_install_cfg *cfg,
               fc_app *app, fc_install_info *info, fc_lresult *res);

/* Re-open an installed slot: checks the record and the image hash, binds
 * cfg->ram (same core address as at install if the code refers to it). */
int fc_open(const fc_install_cfg *cfg, fc_app *app, fc_lresult *res);

/* Re-initialise the instance RAM: .data from its image, .bss zeroed,
 * .rodata copied when it lives in RAM. */
void fc_app_reset(const fc_app *app);

/* Per-instance RAM of a loaded container (for benchmarks and budgets). */
typedef struct fc_ram_usage {
    uint32_t data, bss, rodata;  /* bytes in instance RAM                   */
    uint32_t stack;              /* frames * FC_STACK_SIZE, given per run    */
    uint32_t native_env;         /* FC_NENV_SIZE (native apps), else 0: part
                                    of run_tmpl                              */
    uint32_t run_tmpl;           /* fc_run's template in instance RAM: the VM
                                    (and native env) kept from run to run    */
    uint32_t app_struct;         /* sizeof(fc_app)                          */
    uint32_t total;              /* sum of the above                         */
} fc_ram_usage;
void fc_app_ram(const fc_app *app, fc_ram_usage *u);

/* Entry index by name, -1 if none. */
int32_t fc_app_entry(const fc_app *app, const char *name);
/* Name of entry i (host view of the slot), NULL if out of range. */
const char *fc_app_entry_name(const fc_app *app, uint32_t i);
/* eBPF instruction index for a native code offset (pc map), UINT32_MAX
 * (FC_FCX_PCMAP_NO_INSN) if unknown or code made for no instruction. */
uint32_t fc_app_pc_to_insn(const fc_app *app, uint32_t native_off);

/* ---- run ---------------------------------------------------------------- */
#define FC_RUN_INTERP 1u   /* run the bytecode even if native code is installed */

typedef struct fc_run_args {
    uint32_t entry;              /* entry index                               */
    uint32_t flags;              /* FC_RUN_*                                  */
    uint8_t *stack;              /* >= frames * FC_STACK_SIZE bytes           */
    uint32_t stack_len;
    uint64_t stack_addr;         /* 0: host address                           */
    uint8_t *ctx;                /* may be NULL with ctx_len 0                */
    uint32_t ctx_len;
    uint64_t ctx_addr;           /* 0: host address                           */
    unsigned ctx_perm;           /* FC_PERM_R or FC_PERM_RW (0 = R)           */
    const fc_region *extra;      /* regions the host grants                   */
    uint32_t nextra;
    uint64_t budget;             /* 0: the container's budget                 */
    void *user;                  /* for helpers (fc_vm.user)                  */
    struct fc_helper_env *env;   /* for the standard helpers                  */
} fc_run_args;

/*
 * Run an entry of an installed app. Returns FC_OK (r0 stored), the
 * program's enum fc_err outcome, or an enum fc_lerr for a setup problem
 * (unknown entry, stack too small, native code with no hook: on the host,
 * FC_LERR_NATIVE_UNAVAILABLE tells the caller to use an emulator runner, or
 * FC_RUN_INTERP). Never crashes on a fault of the program. *out is filled
 * when non-NULL. The instance RAM (.data/.bss) keeps its contents from run
 * to run; fc_app_reset starts over.
 */
int fc_run(const fc_app *app, const fc_run_args *args, uint64_t *r0,
           fc_run_result *out);

/* ---- per-architecture relocation files ---------------------------------- */
/* Patch bytes[0..width) of one relocation of `kind`: place = core address of
 * the instruction, value = symbol + addend. Returns FC_OK,
 * FC_LERR_RELOC_INSN (bytes do not encode the expected instruction),
 * FC_LERR_RELOC_RANGE or FC_LERR_RELOC_KIND. FC_RELOC_ABS32 is generic and
 * handled by the loader. */
int fc_reloc_thumb(unsigned kind, uint8_t *bytes, uint32_t place, uint32_t value);
int fc_reloc_rv32(unsigned kind, uint8_t *bytes, uint32_t place, uint32_t value);

#endif /* FC_LOADER_H */
