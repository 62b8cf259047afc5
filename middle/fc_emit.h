/*
 * fc_emit.h - the emission layer every backend shares.
 *
 * Size-then-emit: a backend's pass function emits the whole program through
 * the primitives below; fc_em_run repeats it counting (no buffer) until no
 * label moves and no branch grows, then runs it once more writing into the
 * caller's buffers. Branch sizes only grow (a branch keeps the longest form
 * it ever needed), so the passes converge and the output is deterministic.
 *
 *   labels    one per eBPF slot (0..n), then fixed ones, then fresh ones
 *             (fc_em_newlab); fc_em_bind sets a label at the current offset
 *   branches  one size level per emitted branch, in emission order
 *   relocs    {offset, kind, sym, addend} at the current offset
 *   pc map    native offset -> eBPF slot, merged while nothing was emitted
 *   stubs     out-of-line code recorded during the pass, emitted at its end
 *
 * The target gives a small table (fc_em_target): the encoders' refusal
 * sentinel, the size and writer of an encoding, the final image check.
 * Every table lives in the caller's workspace (fc_em_setup carves them);
 * a full table sets `overflow` instead of writing past it. Freestanding
 * C99, no allocation.
 */
#ifndef FC_EMIT_H
#define FC_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include "fc_backend.h"
#include "fc_hihalf.h"

#define FC_EM_NONE 0xffu

typedef struct fc_em_target {
    uint32_t bad;                                   /* the encoders' "cannot encode" */
    unsigned (*size)(uint32_t enc);                 /* bytes of an encoding */
    void (*write)(uint8_t *at, uint32_t enc);
    size_t (*validate)(const uint8_t *code, size_t len);  /* bytes valid */
} fc_em_target;

/* An out-of-line piece of code; the fields' meaning is the target's. */
typedef struct fc_em_stub {
    uint8_t type, code, perm, lg;
    uint32_t insn;      /* the slot it was made for */
    uint32_t lab;       /* where the stub starts */
    uint32_t lab2, lab3, lab4;
    uint32_t val;
    uint8_t base, hireg;  /* registers, FC_EM_NONE when unused */
} fc_em_stub;

typedef struct fc_em {
    const fc_em_target *t;
    uint8_t *buf;        /* NULL while counting */
    uint32_t cap;
    uint32_t pos;
    int writing;
    int bad;             /* an encoder refused its operands (writing pass) */
    uint32_t bad_insn;
    uint32_t cur;        /* slot being compiled */

    uint32_t *lab;       /* label offsets */
    uint32_t nlab, labcap, nlab0;
    int moved;           /* a label moved in this pass */
    uint8_t *brlv;       /* per branch: its size level */
    uint32_t nbr, brcap;
    int grew;            /* a branch grew in this pass */
    fc_em_stub *st;
    uint32_t nst, stcap;

    fc_bk_reloc *rel;
    uint32_t nrel, relcap;
    fc_bk_pcmap *map;
    uint32_t nmap, mapcap;
    uint32_t *entry_off;

    uint32_t checks, unchecked;
    uint16_t memslow_used;  /* bit perm_idx * 4 + log2(size): a slow-path routine is called */
    int overflow;        /* a table is full (internal error) */
} fc_em;

/* Table sizes per eBPF slot (n + 1 slots) plus a constant. */
typedef struct fc_em_sizes {
    uint32_t labs_per_insn, brs_per_insn, stubs_per_insn, extra, nfixed;
} fc_em_sizes;

/* Workspace bytes fc_em_setup carves for n slots (alignment included). */
size_t fc_em_work_size(const fc_em_sizes *z, uint32_t n);

/* Align and take sz bytes from [*p, end); NULL when they do not fit. */
void *fc_em_carve(uint8_t **p, uint8_t *end, size_t sz, size_t align);

/* Zero em, carve and clear its tables for n slots. 0, or -1: no room. */
int fc_em_setup(fc_em *em, const fc_em_target *t, const fc_em_sizes *z, uint32_t n,
                uint8_t **w, uint8_t *wend);

/* Decode: opid[i] = FC_OP_* (0: refused, FC_HH_SECOND: an lddw's second
 * slot); each (may be NULL) is called for every accepted instruction.
 * Returns 1 when the program makes local calls. */
typedef void (*fc_em_each)(void *ctx, uint32_t i, unsigned op);
int fc_em_decode(const fc_insn *ins, uint32_t n, uint8_t *opid, fc_em_each each, void *ctx);

void fc_em_put(fc_em *em, uint32_t enc);
uint32_t fc_em_newlab(fc_em *em);
void fc_em_bind(fc_em *em, uint32_t l);
uint32_t fc_em_brid(fc_em *em);
/* The size level of branch id, grown to at least need. */
unsigned fc_em_level(fc_em *em, uint32_t id, unsigned need);
void fc_em_reloc(fc_em *em, unsigned kind, unsigned sym, int32_t addend);
void fc_em_mapto(fc_em *em, uint32_t insn);
fc_em_stub *fc_em_addstub(fc_em *em, unsigned type, uint32_t lab);

/* One pass over the program: reset the per-pass counters, then the
 * target's own per-pass state, then emit. */
typedef void (*fc_em_pass)(void *ctx);

/*
 * The pass loop: counting passes until nothing moves (at most max_passes),
 * then the writing pass into out's buffers; fills out->code_len, nrelocs,
 * npcmap, passes, checks, unchecked. Returns enum fc_bk_status; for
 * FC_BK_EINTERNAL *msg and *msg_insn say why (for the target's diagnostic).
 */
int fc_em_run(fc_em *em, fc_em_pass pass, void *ctx, uint32_t max_passes, fc_bk_out *out,
              const char **msg, int32_t *msg_insn);

struct fc_cg;

/* The start of every pass (called by the target's pass function). */
void fc_em_begin(fc_em *em);

/* The program and its options as every backend reads them. */
typedef struct fc_em_in {
    const fc_prog *p;
    const fc_insn *ins;
    const fc_insn_info *info;   /* NULL: no facts (every access checked) */
    uint32_t n;
    uint32_t flags;             /* FC_BK_* */
    const uint32_t *entries;    /* never NULL (one_entry when opts has none) */
    uint32_t nentries;
} fc_em_in;

/* Fill in from the compile arguments; one_entry (= 0) stands for a missing
 * entry list. NULL, or the reason the program cannot be compiled (with the
 * slot in *at, -1 for none). */
const char *fc_em_in_init(fc_em_in *in, const fc_prog *p, const fc_insn_info *info,
                          const fc_bk_opts *opts, const uint32_t *one_entry, int32_t *at);

/* The start of a backend's compile: a program of 1 .. 2^31 - 1 slots, an
 * output record, a workspace of `need` bytes at least, then fc_em_in_init.
 * FC_BK_OK, or the status the compile returns (FC_BK_EPROG with the
 * diagnostic "NAME: why", as fc_em_refuse). */
int fc_em_start(fc_em_in *in, const char *name, const fc_prog *p, const fc_insn_info *info,
                const fc_bk_opts *opts, const uint32_t *one_entry, const void *work,
                size_t work_len, size_t need, const fc_bk_out *out, fc_diags *d);

/* A program the target does not compile: the diagnostic "NAME: why" at
 * slot `at` (-1: none) when d is not NULL; returns FC_BK_EPROG. */
int fc_em_refuse(fc_diags *d, const char *name, int32_t at, const char *why);

/* The shared analysis' view of a decoded program (opid filled). */
void fc_em_hh(fc_hh *h, const fc_em_in *in, const uint8_t *opid);

/* Does the access of n bytes at [r + off] of slot `info` get a run-time
 * check? Not when it stays in the current frame (r10, offsets -512..-n) or
 * the verifier proved it, unless FC_BK_CHECK_ALL. */
int fc_em_access_checked(const fc_insn_info *info, uint32_t flags, unsigned r, int16_t off,
                         unsigned n);

/* A checked access: counts it, makes its out-of-line part (a stub of the
 * target's type `type` at a new label, lab2 = where the access continues,
 * lab3 = its error part) and marks the slow-path routine perm/lg used. */
fc_em_stub *fc_em_memcheck(fc_em *em, unsigned type, unsigned perm, unsigned lg);

/* The symbol of an lddw of a section (FC_LDDW_SECTION, imm FC_SECT_*). */
unsigned fc_em_section_sym(int32_t imm);

/* Start emitting stub s: its slot, its pc map record, its label. */
void fc_em_stub_begin(fc_em *em, const fc_em_stub *s);

/* Every entry point: its pc map record and offset, then the target's
 * prologue for it. */
void fc_em_entries(fc_em *em, const fc_em_in *in, void (*prologue)(struct fc_cg *c, uint32_t at),
                   struct fc_cg *c);

/*
 * Instruction selection by class: a target's emitters, one per kind of
 * eBPF instruction, over its own compiler state (struct fc_cg, defined by
 * each backend in its own file). fc_em_select calls the one for slot idx.
 */
typedef struct fc_em_isel {
    void (*alu32)(struct fc_cg *c, const fc_insn *i, unsigned op);
    void (*alu64)(struct fc_cg *c, const fc_insn *i, unsigned op);
    void (*lddw)(struct fc_cg *c, const fc_insn *i);
    void (*ldx)(struct fc_cg *c, const fc_insn *i);
    void (*store)(struct fc_cg *c, const fc_insn *i);        /* ST and STX */
    void (*atomic)(struct fc_cg *c, const fc_insn *i);
    void (*jump)(struct fc_cg *c, uint64_t target);           /* ja, ja32 */
    void (*jcc)(struct fc_cg *c, const fc_insn *i, int is32);
    void (*call_helper)(struct fc_cg *c, const fc_insn *i, int callx);
    void (*call_local)(struct fc_cg *c, const fc_insn *i);
    void (*exit)(struct fc_cg *c);
} fc_em_isel;

void fc_em_select(const fc_em_isel *t, struct fc_cg *c, const fc_insn *i, uint32_t idx, unsigned op);

#endif /* FC_EMIT_H */
