/*
 * fc_testdata.h - reader for the bpf_conformance `.data` test files.
 *
 *   # comment lines (before the first section, and in any section but -- c)
 *   -- asm                 assembly (fc_asm syntax)
 *   -- mem                 input buffer: hex bytes "00 01 ff"
 *   -- result              expected r0: 0x-hex or decimal
 *   -- error               expected failure text (may be empty: "any error")
 *   -- raw                 the program as 64-bit words "0x0000000000000095"
 *                          (opcode in the low byte) or as hex bytes
 *   -- no register offset  free text (the suite ignores it)
 *   -- c                   the C source the program came from
 *
 * An unknown or repeated section, text outside any section, or a malformed
 * value is an error with its line number (the suite skips such files; a
 * runner here must not silently skip anything).
 */
#ifndef FC_TESTDATA_H
#define FC_TESTDATA_H

#include <stddef.h>
#include <stdint.h>
#include "fc_isa.h"
#include "fc_asm.h"

typedef struct fc_testdata {
    char *text;              /* the whole file (owned, NUL-terminated) */
    size_t len;

    int has_asm;
    char *asm_text;          /* the -- asm lines at their own line numbers,
                                every other line blank, so assembler errors
                                name the file's line (owned) */
    size_t asm_len;
    uint32_t asm_line;       /* line of the -- asm header */

    int has_mem;
    uint8_t *mem;            /* owned; NULL when mem_len == 0 */
    size_t mem_len;

    int has_result;
    uint64_t result;

    int has_error;
    char *error;             /* owned; "" when the section is empty */

    int has_raw;
    fc_insn *raw;            /* owned */
    size_t raw_len;          /* slots */
    uint32_t raw_line;

    int has_no_reg_offset;

    int has_c;
    const char *c_text;      /* points into text */
    size_t c_len;
} fc_testdata;

/* Parse text[0..len). 0 on success, -1 with *err (line, message). On error
 * *td holds nothing that needs freeing. */
int fc_testdata_parse(const char *text, size_t len, fc_testdata *td,
                      fc_asm_error *err);

/* Read and parse a file (line 0 in *err for I/O errors). */
int fc_testdata_load(const char *path, fc_testdata *td, fc_asm_error *err);

void fc_testdata_free(fc_testdata *td);

/*
 * The program a test runs: its -- raw section when there is one (the suite
 * prefers it), else its assembled -- asm section. A file with neither, or
 * with no instructions, is an error. *out is malloc'ed (free()).
 */
int fc_testdata_program(const fc_testdata *td, fc_insn **out, size_t *n,
                        fc_asm_error *err);

#endif /* FC_TESTDATA_H */
