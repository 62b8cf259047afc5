/*
 * fc_disasm.h - eBPF disassembler in the bpf_conformance assembly syntax.
 *
 * The output re-assembles (fc_asm) to the same bytes: jump and local-call
 * targets are printed as signed relative offsets (+N / -N, counted in 8-byte
 * slots from the next instruction, RFC 9669 section 4.3), immediates in a
 * form the assembler reads back to the same 32 bits, and an instruction that
 * fails fc_insn_check as a `.insn 0x<64-bit word>` directive followed by a
 * comment naming the fault.
 *
 * No stdio and no allocation: text goes to a caller buffer or a callback, so
 * the on-device JIT can use it for diagnostics.
 *
 * Syntax examples:
 *   add32 %r0, -3               ldxdw %r0, [%r1+2]       stxb [%r10-8], %r1
 *   lock fetch add32 [%r10-8], %r1                      jne %r3, 0x81, +3
 *   lddw %r0, 0x1122334455667788   lddw %r1, .rodata+16 (femtoc section form)
 *   call 5    call local +4    call %r2    exit    be16 %r0    bswap64 %r0
 *   movsx832 %r0, %r1    ja32 +70000    .insn 0x0000000100010007  # invalid: ...
 */
#ifndef FC_DISASM_H
#define FC_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include "fc_isa.h"

/*
 * Format the instruction at insns[pc] (n = number of slots in the program)
 * into buf: NUL-terminated, truncated to size bytes (size 0: nothing
 * written). Returns the slots it covers: 2 for a valid lddw, 1 otherwise, 0
 * when pc >= n. Instructions that fc_insn_check refuses print as `.insn`.
 */
unsigned fc_disasm_insn(const fc_insn *insns, size_t n, size_t pc,
                        char *buf, size_t size);

/* fc_disasm_prog flags */
#define FC_DISASM_INDEX  1u  /* "  12: " index column (slot number)          */
#define FC_DISASM_RAW    2u  /* raw bytes column after the index             */
#define FC_DISASM_TARGET 4u  /* "  # -> 17" after jumps and local calls      */

/*
 * Receives one line of a listing (with its trailing '\n'; text is not
 * NUL-terminated beyond len). A nonzero return stops the listing.
 */
typedef int (*fc_disasm_sink)(void *ctx, const char *text, size_t len);

/*
 * The whole program, one line per instruction (an lddw is one line covering
 * two slots). Returns 0, or the first nonzero value the sink returned.
 * Without FC_DISASM_INDEX / FC_DISASM_RAW the listing is valid assembler
 * input that re-assembles to the same bytes.
 */
int fc_disasm_prog(const fc_insn *insns, size_t n, unsigned flags,
                   fc_disasm_sink sink, void *ctx);

/*
 * The same into one buffer (NUL-terminated, truncated to size). Returns the
 * length the whole listing needs, without the NUL, like snprintf.
 */
size_t fc_disasm_prog_buf(const fc_insn *insns, size_t n, unsigned flags,
                          char *buf, size_t size);

#endif /* FC_DISASM_H */
