/*
 * ir_interp.h - a reference interpreter of the middle end's IR (fc_ir.h),
 * for tests only (host C11): runs lowered programs against the sandbox of a
 * prepared fc_vm (its regions, stack buffer, helpers, allowlist, budget,
 * max_depth), so the result can be compared with fc_vm_run on the same VM.
 *
 * Regions, the stack and section addresses must lie below 2^32 (as on the
 * 32-bit cores the IR is made for). The stack buffer is used as it is (no
 * lazy zeroing: give it zeroed). An IR access without a CHECK in front
 * (a PROVEN one) that is outside every region stops the run with
 * IR_UNSOUND and a message: the lowering or the facts it trusted are wrong.
 */
#ifndef IR_INTERP_H
#define IR_INTERP_H

#include <stdint.h>
#include "fc_ir.h"
#include "fc_regalloc.h"
#include "fc_vm.h"

#define IR_UNSOUND (-1)

/* 1: every GUARD (fc_ir_opt) takes its target, the copy that keeps every
 * check; 0 (default): a GUARD falls through iff its whole range lies inside
 * one region with its permission */
extern int ir_guard_fail;

typedef struct ir_result {
    int err;                /* enum fc_err, or IR_UNSOUND */
    uint32_t err_pc;        /* eBPF instruction */
    uint64_t err_addr;
    uint64_t r0;
    uint64_t budget_left;
    uint64_t steps;         /* IR instructions executed */
    uint64_t slot_reads;    /* allocated form: spill-slot loads and stores executed */
    uint64_t slot_writes;
    char why[160];          /* IR_UNSOUND: what went wrong */
} ir_result;

/* Run ir (lowered from the vm's program) from function 0 with r1 = ctx_addr,
 * r2 = ctx_len. max_steps bounds the run (IR_UNSOUND when exceeded). */
int ir_run(const fc_ir *ir, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t max_steps,
           ir_result *res);

/* The same program in its allocated form (fc_regalloc.h): every operand read
 * from and written to its location (a physical register of ra->tgt, a spill
 * slot of the frame, fp, 0) instead of its vreg; implicit operands of calls
 * and exits through the maps. A helper call or a local call leaves every
 * caller-saved register of the table junk; a local call gives the callee a
 * frame of junk spill slots and restores the callee-saved registers at its
 * exit; every register and slot starts as junk. So a value the allocation
 * loses shows as a difference. */
int ir_run_alloc(const fc_ir *ir, const fc_ra *ra, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len,
                 uint64_t max_steps, ir_result *res);

#endif /* IR_INTERP_H */
