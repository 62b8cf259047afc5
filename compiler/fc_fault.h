/*
 * fc_fault.h - a program's failure, told the way a C developer reads it:
 *
 *   app.c:18: error: helper fault: helper fc_saul_reg_find (0x40) refused
 *       the memory at 0x20001000 (...) (insn 22 in 'prog': call 0x40)
 *
 * or "app.o:prog+22: error: ..." without line info, or
 * "app.fcx: insn 22: error: ..." for a container without a line table.
 * The one formatter of these messages: femto-run prints them for every
 * engine, femto-objdump --fault prints them for a device's report (which
 * femto-board passes on), so the wording cannot differ between tools.
 * Host code (C11); writes into the caller's buffer, prints nothing.
 */
#ifndef FC_FAULT_H
#define FC_FAULT_H

#include <stddef.h>
#include <stdint.h>
#include "fc_prog.h"

typedef struct fc_fault_where {
    const char *input;        /* the file named when there is no line  */
    const fc_insn *insns;     /* the bytecode, for the disassembly      */
    uint32_t ninsns;
    const fc_prog *prog;      /* functions and source lines, may be NULL */
} fc_fault_where;

/* "FILE:LINE: error: MSG (insn N ...: text)" (no newline) into buf; with
 * have_insn 0, or insn outside the bytecode, "INPUT: error: MSG". */
size_t fc_fault_format(char *buf, size_t size, const fc_fault_where *w, int have_insn,
                       uint32_t insn, const char *msg);

/* The message for a run that ended with enum fc_err `err` at instruction
 * pc (err_addr addr; budget: the run's, named by FC_ERR_BUDGET), formatted
 * with fc_fault_format. A helper call names the helper and its number. */
size_t fc_fault_describe(char *buf, size_t size, const fc_fault_where *w, int err, uint32_t pc,
                         uint64_t addr, uint64_t budget);

/* A source file name as messages show it: relative to the current
 * directory when below it (BTF keeps absolute names). */
const char *fc_fault_short_path(const char *f);

#endif /* FC_FAULT_H */
