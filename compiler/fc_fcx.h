/*
 * fc_fcx.h - the .fcx container writer and reader/dumper (host side, C11).
 *
 *   fc_prog (bytecode, .rodata, .data, .bss) + helper imports + entries
 *   + zero or more native code sections (code, relocations, pc map,
 *     native entry offsets; one per target)
 *      -> fc_fcx_write -> container bytes (docs/fcx.md)
 *
 * The writer produces only containers the device loader accepts: it checks
 * its input with the same rules (fc_container.h) and the tests run every
 * written container through fc_fcx_validate (runtime/fc_loader.h).
 */
#ifndef FC_FCX_H
#define FC_FCX_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include "fc_prog.h"
#include "fc_container.h"

/* One native code section: code for one target. */
typedef struct fc_fcx_code {
    uint8_t target;                /* enum fc_target (not FC_TARGET_EBPF)      */
    uint32_t isa;                  /* FC_ISA_* features the code needs          */
    const uint8_t *code;
    uint32_t code_len;
    const fc_fcx_reloc *relocs;    /* any order: the writer sorts by offset    */
    uint32_t nrelocs;
    const fc_fcx_pcmap *pcmap;     /* any order: sorted by native offset       */
    uint32_t npcmap;
    const uint32_t *entry_offsets; /* native offset of each entry (nentries)   */
} fc_fcx_code;

typedef struct fc_fcx_entry {
    const char *name;              /* 1..23 bytes                              */
    uint32_t insn;                 /* eBPF instruction index                   */
} fc_fcx_entry;

typedef struct fc_fcx_input {
    const fc_prog *prog;           /* insns, rodata, data, bss_len             */
    /* Helper imports (the allowlist). NULL: derived from the bytecode (every
     * `call imm` with src 0); a program using `callx` must list them. */
    const uint32_t *helpers;
    uint32_t nhelpers;
    /* Entry points. NULL: one entry at instruction 0 named after
     * prog->funcs[0] (or "main"). */
    const fc_fcx_entry *entries;
    uint32_t nentries;
    /* Stack frames (call depth). 0: 1 when the program has no local call,
     * else FC_MAX_CALL_DEPTH. */
    uint32_t frames;
    uint32_t budget;               /* 0: the runtime's default                 */
    /* What the code relies on about the context (docs/sandbox.md section
     * 10): ctx_min = the verifier's ctx_size (accesses below it unchecked),
     * at most FC_FCX_MAX_CTX; ctx_flags FC_FCX_CTX_WRITES when a store into
     * the context is unchecked (fc_fcx_ctx_writes). */
    uint32_t ctx_min;
    uint32_t ctx_flags;
    /* (2.2) bytes at the bottom of every 512-byte frame that nothing of the
     * program touches (fc_fcx_stack_untouched), a multiple of 8; native runs
     * do not clear them. 0: the whole frame is cleared. */
    uint32_t stack_untouched;
    const fc_fcx_code *code;
    uint32_t ncode;
    uint32_t flags;                /* header flags (FC_FCX_F_*), normally 0     */
    /* 1: add the optional LINES section (femtoc -g) from prog->lines and
     * prog->files; nothing is added when the program has no line info. */
    int lines;
} fc_fcx_input;

/*
 * The line table (femtoc -g, docs/fcx.md "Line table"): an OPTIONAL section
 * the device skips (it is covered by the hash and the signature like every
 * section). Host tools map a device's eBPF instruction index, or a native
 * pc through the pc map, to file:line. Defined here, not in
 * runtime/fc_container.h: no device code reads it.
 *
 *   +0 u32 record count R    +4 u32 file count F
 *   +8 R records of 12 bytes: u32 insn | u32 line | u16 column | u16 file
 *      then F file names, NUL-terminated, back to back, to the section end
 */
#define FC_FCX_SECT_LINES    32u
#define FC_FCX_LINE_HDR      8u
#define FC_FCX_LINE_REC_SIZE 12u

typedef struct fc_fcx_lines {
    const uint8_t *recs;           /* R records, inside the caller's buffer    */
    uint32_t nrecs;
    const char *names;             /* F NUL-terminated names                   */
    uint32_t nfiles;
    uint32_t names_len;
} fc_fcx_lines;

/* Find and check the line table of a container. 1: found and well formed,
 * 0: none, -1: present but malformed (*why says what). */
int fc_fcx_lines_find(const uint8_t *buf, size_t len, fc_fcx_lines *t, const char **why);

/* File name number f of a well-formed line table (f < t->nfiles). */
const char *fc_fcx_line_file(const fc_fcx_lines *t, uint32_t f);

/* The source position of eBPF instruction insn: the last record at or
 * before it. 1 with file and line set (col may be NULL), 0 when none (or line 0). */
int fc_fcx_line_of(const fc_fcx_lines *t, uint32_t insn, const char **file, uint32_t *line,
                   uint32_t *col);

/* The same as files/lines arrays of a fc_prog (malloc'd; tools that print
 * diagnostics with fc_prog's line info). p->files/p->lines are set, the
 * rest untouched; release with fc_fcx_lines_free. 0, or -1 (no table,
 * malformed, out of memory: p unchanged). */
int fc_fcx_lines_to_prog(const uint8_t *buf, size_t len, fc_prog *p);
void fc_fcx_lines_free(fc_prog *p);

/* The eBPF instruction a native offset of one code section belongs to
 * (its pc map). 1 with the insn (FC_FCX_PCMAP_NO_INSN: code made for no
 * instruction), 0 when the container has no such code or pc map. */
int fc_fcx_pc_insn(const uint8_t *buf, size_t len, unsigned target, uint32_t off, uint32_t *insn);

enum fc_fcx_status {
    FC_FCX_OK = 0,
    FC_FCX_E_INPUT = -1,           /* input refused: see the diagnostics      */
    FC_FCX_E_SPACE = -2,           /* buffer too small: *len = bytes needed   */
    FC_FCX_E_NOMEM = -3
};

/*
 * Write the container into buf[0..cap). On success returns FC_FCX_OK and
 * the size in *len; with buf NULL or cap too small returns FC_FCX_E_SPACE
 * and the size needed in *len (input errors are reported first). Input
 * errors go to d (may be NULL).
 */
int fc_fcx_write(const fc_fcx_input *in, uint8_t *buf, size_t cap, size_t *len,
                 fc_diags *d);

/* The same into a malloc'd buffer (*out, release with free()). */
int fc_fcx_write_alloc(const fc_fcx_input *in, uint8_t **out, size_t *len, fc_diags *d);

/* 1 when the analysis left a store or atomic that may target the context
 * without a run-time check: PROVEN, with the context as its region (or an
 * unknown region, to be safe). info: p->ninsns entries. */
int fc_fcx_ctx_writes(const fc_prog *p, const fc_insn_info *info);

/* The header's stack_untouched for a verified program (docs/fcx.md): the
 * bytes below r10 - stack_bytes of the one frame when every access is
 * PROVEN and there is no call of any kind; else 0 (clear everything). */
uint32_t fc_fcx_stack_untouched(const fc_prog *p, const fc_insn_info *info,
                                const fc_vfy_stats *st);

/* SHA-256 of a container's payload as the header should hold it (the hash
 * field counted as zeros). image_size bytes from buf. */
void fc_fcx_payload_hash(const uint8_t *buf, uint32_t image_size, uint8_t out[32]);

/* Recompute and store the payload hash (tools and tests that edit a
 * container). 0, or -1 if the header is unreadable. */
int fc_fcx_rehash(uint8_t *buf, size_t len);

/* fc_fcx_dump flags */
#define FC_FCX_DUMP_DISASM 1u      /* disassemble the bytecode (fc_disasm)     */
#define FC_FCX_DUMP_CODE   2u      /* hex of the native code sections          */
#define FC_FCX_DUMP_LINES  4u      /* the line table; file:line beside the
                                      bytecode, the pc map and the native code */

/*
 * Print a description of a container: header, sections, entries, helper
 * imports, relocations, pc maps, signature records (algorithm, key id),
 * hash check and the loader's verdict
 * (fc_fcx_validate). Lenient: prints what is readable of a broken container.
 * Returns 0 when the container is valid, else the loader's error code.
 */
int fc_fcx_dump(FILE *out, const uint8_t *buf, size_t len, unsigned flags);

#endif /* FC_FCX_H */
