/*
 * fc_prog.h - a program as the compiler pipeline carries it:
 *
 *   read ELF (fc_elf_*) -> fc_prog -> verify + analyse (fc_vfy_*) -> fc_prog
 *   annotated with fc_insn_info -> backend (fc_backend) -> container writer
 *
 * This header and the verifier/analysis/backends are free of host-only
 * dependencies (no libelf, no stdio in their cores, bounded memory given by
 * the caller or sized from the program): the roadmap's on-device JIT runs the
 * same code at install time.
 */
#ifndef FC_PROG_H
#define FC_PROG_H

#include <stdint.h>
#include <stddef.h>
#include "fc_isa.h"

/* ---- diagnostics: library code reports, only main() prints and exits ---- */
enum fc_severity { FC_SEV_NOTE = 0, FC_SEV_WARNING = 1, FC_SEV_ERROR = 2 };

typedef struct fc_diag {
    uint8_t severity;     /* enum fc_severity */
    int32_t insn;         /* instruction index in fc_prog.insns, -1 if none */
    char msg[200];
} fc_diag;

/* A bounded list of diagnostics; the caller provides the array. */
typedef struct fc_diags {
    fc_diag *items;
    uint32_t cap;
    uint32_t n;           /* stored (<= cap) */
    uint32_t nerrors;     /* counted even when the array is full */
    uint32_t nwarnings;
} fc_diags;

/* printf-style; defined in compiler/fc_diag.c. */
void fc_diag_add(fc_diags *d, int severity, int32_t insn, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* snprintf-like formatting without stdio (compiler/fc_diag.c): the subset of
 * printf the compiler's messages use. Always NUL-terminates when size > 0;
 * returns the length the whole text needs. */
size_t fc_diag_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- source positions from -g (BTF.ext line info or DWARF) -------------- */
typedef struct fc_line {
    uint32_t insn;        /* first instruction index this line applies to */
    uint32_t line;
    uint16_t col;
    uint16_t file;        /* index into fc_prog.files */
} fc_line;

/* ---- functions (entry and bpf-to-bpf subprograms) ----------------------- */
typedef struct fc_func {
    uint32_t start;       /* first instruction index */
    uint32_t end;         /* one past the last */
    char name[48];
    /* where the function came from (ELF input; empty / 0 otherwise), so
     * messages can name the object's own coordinates ("app.o:prog+14") */
    char section[48];     /* ELF section name, truncated */
    uint32_t sect_insn;   /* index of `start` inside that section */
} fc_func;

/* ---- the program ------------------------------------------------------- */
/*
 * One flat instruction array: the entry functions first (the first at index
 * 0, in the order they were asked for), then the subprograms they may call
 * (local calls use relative offsets, src=1). Global and section addresses
 * appear as `lddw dst, FC_LDDW_SECTION(sect, off)`.
 */
typedef struct fc_prog {
    fc_insn *insns;
    uint32_t ninsns;

    fc_func *funcs;
    uint32_t nfuncs;

    uint8_t *rodata;  uint32_t rodata_len;
    uint8_t *data;    uint32_t data_len;
    uint32_t bss_len;

    /* where it came from, for messages */
    const char *object_name;   /* "app.o" */
    const char *section_name;  /* "prog" */
    const char **files;        /* source files named by fc_line.file */
    uint32_t nfiles;
    fc_line *lines;            /* sorted by insn; may be NULL */
    uint32_t nlines;

    /* Entry points (femtoc --entry, several hooks in one container): the
     * instruction index of each entry function, entry 0 first. NULL with
     * nentries 0: one entry at instruction 0. Names: entry_names[k] when
     * set, else the function starting there (funcs). The verifier analyses
     * each entry as a program start (r1 = context, r2 = length, depth 1). */
    uint32_t *entries;
    uint32_t nentries;
    char **entry_names;        /* NULL, or nentries names (may be NULL each) */
} fc_prog;

/* ---- what the verifier and the analysis tell the backends --------------- */
enum fc_access {
    FC_ACC_NONE = 0,      /* not a memory access */
    FC_ACC_PROVEN,        /* in bounds on every path: no run-time check */
    FC_ACC_CHECK          /* needs a run-time bounds check */
    /* proven out of bounds: rejected by the verifier, never reaches here */
};

/* Per-instruction facts, indexed like fc_prog.insns. */
typedef struct fc_insn_info {
    uint8_t access;        /* enum fc_access for loads/stores/atomics */
    uint8_t region_hint;   /* enum fc_region_kind the pointer most likely
                              targets (the backend's fast path), 0xff unknown */
    uint8_t reachable;     /* 0: dead code (a warning was given) */
    uint8_t hi_zero;       /* bit r set: register r's upper 32 bits are
                              provably zero after this instruction (r0..r7;
                              r8/r9 use hi_zero2) */
    uint8_t hi_zero2;      /* bits 0,1: r8, r9; bit 2: r10 */
    uint8_t hi_dead;       /* bit r set: upper 32 bits of r (r0..r7) are never
                              read before being overwritten after this insn */
    uint8_t hi_dead2;      /* bits 0,1: r8, r9 */
    uint8_t backjump;      /* 1: taken branch from here goes backward (budget) */
} fc_insn_info;

typedef struct fc_vfy_stats {
    uint32_t loads_proven, loads_checked;
    uint32_t stores_proven, stores_checked;
    uint32_t max_call_depth;      /* frames, entry included */
    uint32_t stack_bytes;         /* deepest stack use of one frame */
} fc_vfy_stats;

#endif /* FC_PROG_H */
