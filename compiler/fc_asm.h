/*
 * fc_asm.h - eBPF assembler for the bpf_conformance assembly syntax.
 *
 * One instruction per line; `#` starts a comment. Mnemonics are the ones in
 * the opcode table (runtime/fc_isa.h), plus the suite's `swap16/32/64` for
 * `bswap16/32/64`. Operands are separated by commas (or blanks):
 *
 *   mov %r0, 1            add32 %r1, %r2        neg %r3       be16 %r0
 *   ldxw %r0, [%r1+4]     stxdw [%r10-8], %r1   stb [%r10-1], 0x7f
 *   lock fetch add32 [%r10-8], %r1              lock cmpxchg [%r1], %r2
 *   lddw %r0, 0x1122334455667788   lddw %r1, -1   lddw %r2, .rodata+16
 *   ja +2     ja L1     ja32 L1     jne %r1, 0x81, L2     jeq %r1, 0, exit
 *   call 5    call helper 5    call %r2 (callx)    call local func1
 *   L1:       name: insn        .insn 0x0000000000000095 (a raw 64-bit slot)
 *
 * Numbers: decimal or 0x-hex, optional sign. A 32-bit immediate takes a
 * signed decimal in [-2^31, 2^31) or a hex bit pattern up to 0xffffffff; a
 * 16-bit offset must lie in [-32768, 32767]; lddw takes any 64-bit value.
 * Jump targets are labels or signed offsets (+N/-N, in slots from the next
 * instruction). As in the suite, `exit` also names the first `exit`
 * instruction when no label of that name exists. `.rodata/.data/.bss+N` is
 * femtoc's section-address form of lddw (src = FC_LDDW_SECTION).
 *
 * Registers %r0..%r10 only. Errors stop the assembly and come back in an
 * fc_asm_error (line, column, message); nothing is printed.
 */
#ifndef FC_ASM_H
#define FC_ASM_H

#include <stddef.h>
#include <stdint.h>
#include "fc_isa.h"

typedef struct fc_asm_error {
    uint32_t line;     /* 1-based line, 0 when not tied to a line */
    uint32_t column;   /* 1-based column of the offending token, 0 unknown */
    char msg[200];
} fc_asm_error;

/*
 * Assemble text[0..len) (need not be NUL-terminated). On success returns 0,
 * *out = a malloc'ed array of *n slots (NULL when *n == 0; release with
 * free()). On error returns -1, *out = NULL, *n = 0 and fills *err.
 */
int fc_asm(const char *text, size_t len, fc_insn **out, size_t *n,
           fc_asm_error *err);

#endif /* FC_ASM_H */
