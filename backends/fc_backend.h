/*
 * fc_backend.h - the one interface every native target implements.
 *
 * A backend is a `const struct fc_backend` (QBE style) found by its -march
 * name in fc_backend_table. It turns a verified program plus the verifier's
 * per-instruction facts into
 *
 *   code       position-independent machine code, entered through the
 *              native calling convention of runtime/fc_native.h;
 *   relocs     {offset, kind, sym, addend}: the places the loader patches
 *              with runtime addresses (FC_RELOC_* against FC_SYM_*);
 *   pcmap      native offset -> eBPF slot, for error reports and listings;
 *   entries    the native offset of each requested entry point.
 *
 *   fc_prog + fc_insn_info[]        caller buffers (or NULL to measure)
 *          |                               |
 *          v                               v
 *   +--------------+   work   +--------------------------+
 *   |  b->compile  | <------- | code | relocs | pcmap    |
 *   +--------------+          +--------------------------+
 *
 * Memory is bounded and belongs to the caller: a workspace of
 * b->work_size(prog) bytes, and the output arrays. When an output array is
 * too small (or NULL), compile still runs to the end, returns FC_BK_ENOSPACE
 * and reports in code_len / nrelocs / npcmap the sizes it needs, so a caller
 * can measure with NULL buffers, allocate, and compile again (the output is
 * deterministic). No libc beyond <stdint.h>/<stddef.h>, no allocation, no
 * stdio: the on-device JIT runs the same code.
 */
#ifndef FC_BACKEND_H
#define FC_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include "fc_prog.h"
#include "fc_native.h"

typedef struct fc_bk_reloc {
    uint32_t offset;    /* byte offset in the code of the instruction(s) */
    uint8_t kind;       /* enum fc_reloc_kind                             */
    uint8_t sym;        /* enum fc_sym                                    */
    uint16_t reserved;  /* 0                                              */
    int32_t addend;     /* value = address(sym) + addend                  */
} fc_bk_reloc;

/* The code from native_off up to the next record's native_off was made for
 * eBPF slot `insn` (FC_BK_NO_INSN: prologue, shared routines). Sorted by
 * native_off; the same layout as the container's pc map. */
typedef struct fc_bk_pcmap {
    uint32_t native_off;
    uint32_t insn;
} fc_bk_pcmap;
#define FC_BK_NO_INSN 0xffffffffu

/* ---- options ------------------------------------------------------------ */
#define FC_BK_CHECK_ALL   0x1u  /* bounds-check every access, even the ones the
                                   verifier proved (benchmarks, paranoia) */
#define FC_BK_NO_FACTS    0x2u  /* ignore fc_insn_info hi_zero / hi_dead */
#define FC_BK_NO_OPT      0x4u  /* no own analysis either (hi halves always
                                   computed and stored): a debugging baseline */

typedef struct fc_bk_opts {
    uint32_t flags;             /* FC_BK_* */
    const uint32_t *entries;    /* slots to enter at; NULL: one entry, slot 0 */
    uint32_t nentries;
} fc_bk_opts;

/* ---- results -------------------------------------------------------------- */
typedef struct fc_bk_out {
    /* caller buffers; code and relocs NULL (capacity 0) to measure; pcmap
     * NULL when no map is wanted (not an error) */
    uint8_t *code;         uint32_t code_cap;      /* bytes   */
    fc_bk_reloc *relocs;   uint32_t relocs_cap;    /* records */
    fc_bk_pcmap *pcmap;    uint32_t pcmap_cap;     /* records */
    uint32_t *entry_off;   /* opts->nentries (or 1) slots, may be NULL */

    /* filled by compile (also on FC_BK_ENOSPACE: the sizes needed) */
    uint32_t code_len;
    uint32_t nrelocs;
    uint32_t npcmap;

    /* statistics */
    uint32_t checks;        /* memory accesses with a run-time bounds check */
    uint32_t unchecked;     /* accesses without one (proven)                */
    uint32_t mregs;         /* eBPF register halves kept in machine registers */
    uint32_t passes;        /* sizing passes until the branch sizes settled  */
} fc_bk_out;

enum fc_bk_status {
    FC_BK_OK = 0,
    FC_BK_ENOSPACE,   /* an output buffer is too small: see code_len etc. */
    FC_BK_EWORK,      /* workspace smaller than work_size()               */
    FC_BK_EPROG,      /* the program cannot be compiled (diagnostic)      */
    FC_BK_EINTERNAL   /* a backend bug: unencodable instruction, no
                         convergence (diagnostic)                          */
};

typedef struct fc_backend {
    const char *name;            /* -march= name ("thumbv7m")               */
    uint8_t target;              /* enum fc_target                          */
    const char *desc;
    const char *objdump_triple;  /* llvm-objdump --triple= for listings      */
    uint32_t code_align;         /* the code must be placed at a multiple    */

    /* Workspace compile needs for p, in bytes. */
    size_t (*work_size)(const fc_prog *p);

    /*
     * Compile p. info: one fc_insn_info per slot, or NULL (then every memory
     * access is checked and no fact is used). opts may be NULL. Diagnostics
     * (for FC_BK_EPROG / FC_BK_EINTERNAL) go to diags when it is not NULL.
     * Returns enum fc_bk_status.
     */
    int (*compile)(const fc_prog *p, const fc_insn_info *info,
                   const fc_bk_opts *opts, void *work, size_t work_len,
                   fc_bk_out *out, fc_diags *diags);

    /*
     * The listing hook: one native instruction at code[off] (code_len bytes
     * in all, placed at address `addr` for branch targets) as text into
     * buf (NUL-terminated, truncated to size). Returns its length in bytes,
     * 0 when it cannot be decoded. May be NULL (then a driver prints hex, or
     * uses llvm-objdump with objdump_triple).
     */
    unsigned (*disasm)(const uint8_t *code, uint32_t code_len, uint32_t off,
                       uint32_t addr, char *buf, size_t size);

} fc_backend;

/* Every backend of this build, NULL-terminated. */
extern const fc_backend *const fc_backend_table[];

/* The backend for an -march name, NULL if none. */
const fc_backend *fc_backend_find(const char *name);

/* The Thumb-2 backend (backends/thumb2/). */
extern const fc_backend fc_backend_thumbv7m;
/* The RV32 backends (backends/rv32/): rv32imac, and rv32ima without RVC. */
extern const fc_backend fc_backend_rv32imac, fc_backend_rv32ima, fc_backend_rv32imc;
/* The lx106 backend (backends/xtensa/xt_isel.c): the middle end's IR selected into
 * Xtensa call0 code. */
extern const fc_backend fc_backend_lx106;
/* The same selector's windowed flavour (-march=esp32): ENTRY/RETW, CALL8, DIV32. */
extern const fc_backend fc_backend_esp32;

/*
 * A `femtoc -S` listing of compiled code: for each eBPF instruction its
 * text (compiler/fc_disasm.h), then the native instructions made for it
 * (offset, bytes, b->disasm text); then the shared out-of-line code. One
 * line per call of sink (text with its '\n'); a nonzero return of sink
 * stops the listing and is returned.
 */
typedef int (*fc_bk_sink)(void *ctx, const char *text, size_t len);
int fc_backend_listing(const fc_backend *b, const fc_prog *p, const fc_bk_out *out,
                       fc_bk_sink sink, void *ctx);

#endif /* FC_BACKEND_H */
