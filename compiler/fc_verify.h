/*
 * fc_verify.h - the femtoc verifier: structural checks, then an abstract
 * interpretation (fc_analysis.h) that proves or refutes every memory access.
 *
 * No host-only dependencies: no libelf, no stdio, no allocation. The caller
 * gives a workspace of fc_vfy_workspace_size(prog) bytes (sized from the
 * program), so the on-device JIT can run the same code.
 *
 * Checks (each reported with its instruction index in fc_diag.insn):
 *   encoding      unknown opcodes, reserved fields, lddw halves (fc_insn_check);
 *                 legacy packet loads (LD_ABS/LD_IND)
 *   control flow  jumps/calls out of range, into the second half of an lddw,
 *                 from one function into another; falling off the end;
 *                 unreachable code (warning); no reachable exit
 *   registers     read before written (on some path); writes to r10
 *   calls         recursion (the call graph must be acyclic); call depth
 *                 above FC_MAX_CALL_DEPTH frames; helpers unknown or not in
 *                 the allowlist; helper arguments of the wrong kind (a known
 *                 number where a pointer is needed, a pointer where a number
 *                 is needed, a write through a pointer to read-only data)
 *   arithmetic    division/modulo by an immediate zero; shift immediates
 *                 outside 0..31 / 0..63
 *   memory        accesses proven out of bounds (stack frame, context at a
 *                 negative offset, data sections), stores to .rodata;
 *                 lddw of a section the program lacks or past its end
 *
 * Analysis (fc_insn_info): every load/store/atomic is FC_ACC_PROVEN (in
 * bounds on every path) or FC_ACC_CHECK (needs a run-time check), with the
 * region it most likely targets. It is sound: when in doubt, CHECK. The
 * domain: per register and 8-byte stack slot a kind (number, pointer to the
 * stack / a caller's stack / the context / a data section, unknown,
 * unwritten) with unsigned and signed ranges (offset ranges for pointers)
 * and known low bits (strides), plus linear relations between a register and
 * a counter (pointer bumped in step with a tested index, copies). Loops are
 * allowed (the run-time budget bounds them); the fixpoint widens after
 * `widen_after` changes of a block's state. hi_zero / hi_dead (upper 32-bit
 * facts for the 32-bit backends) are filled soundly: hi_zero from the
 * ranges, hi_dead from a backward liveness of upper halves.
 *
 * Assumptions the proofs rest on (the runtime guarantees them, see
 * runtime/fc_vm.h and docs/sandbox.md "What the verifier proves"): regions
 * do not overlap and none passes 2^64; their bases are unknown (anywhere in
 * the 64-bit space), so unsigned pointer compares are refined only inside a
 * region (fc_av_branch_win); at call depth d the stack region is the current
 * frame and its callers' frames, 512 bytes each; r6..r9 survive local calls;
 * r1..r5 survive helper calls; helpers write only through arguments the
 * signature marks as possibly written (see fc_harg).
 *
 * Function model: a program is one instruction array; the entry function
 * starts at 0, every local call target starts a function, and a function
 * ends where the next one starts. A callee sees r1..r5 from its callers
 * (joined over all call sites); r0 and r6..r9 are unwritten at its entry.
 * After a local call r0 is an unknown value, r1..r5 are unwritten, and the
 * caller's stack slots are forgotten unless the callee (with everything it
 * calls) only stores through r10 and calls no helper that writes memory.
 */
#ifndef FC_VERIFY_H
#define FC_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include "fc_prog.h"

struct fc_av;
struct fc_vfy_rel;

/* ---- helpers: what the verifier knows about each one ------------------- */
enum fc_harg {
    FC_HARG_NONE = 0,   /* not an argument                                   */
    FC_HARG_ANY,        /* must be written; a number or a pointer (written
                           through, unless the helper is a known one)        */
    FC_HARG_OPT,        /* may be left unwritten (variadic tail); as ANY     */
    FC_HARG_SCALAR,     /* a number: a known pointer here is an error        */
    FC_HARG_PTR,        /* memory the helper reads: a known number is an error */
    FC_HARG_PTR_W,      /* memory the helper writes: as PTR, and not .rodata */
    FC_HARG_PTR_W0      /* as PTR_W, but 0 (NULL) is allowed too            */
};

/* nargs value for "signature unknown": r1..r5 may be anything, and the
 * helper may write through any of them. */
#define FC_HSIG_UNKNOWN 0xffu

typedef struct fc_vfy_helper {
    uint32_t id;        /* Femto-Containers helper number */
    uint8_t nargs;      /* 0..5 or FC_HSIG_UNKNOWN */
    uint8_t arg[5];     /* enum fc_harg for r1..r5 */
    char name[24];
} fc_vfy_helper;

/* The helpers femtoc knows (Femto-Containers numbering), with signatures. */
extern const fc_vfy_helper fc_vfy_known_helpers[];
extern const uint32_t fc_vfy_known_helpers_count;
const fc_vfy_helper *fc_vfy_find_known(uint32_t id);

/* ---- options ----------------------------------------------------------- */
#define FC_VFY_F_MASKED_SHIFTS 1u  /* out-of-range shift immediates: a warning
                                      (RFC 9669 masks them) instead of an error */

#define FC_VFY_DEFAULT_WIDEN  300u     /* block state changes before widening */
#define FC_VFY_DEFAULT_BUDGET 4000000u /* instruction visits before widening everywhere */

typedef struct fc_vfy_opts {
    uint32_t ctx_size;              /* declared minimum context size; 0 = unknown */
    const fc_vfy_helper *helpers;   /* allowlist (with signatures for helpers
                                       femtoc does not know; a known helper always
                                       has its known signature, whatever the entry
                                       says); NULL = every known helper */
    uint32_t nhelpers;
    uint32_t flags;                 /* FC_VFY_F_* */
    uint32_t widen_after;           /* 0 = FC_VFY_DEFAULT_WIDEN */
    uint32_t step_budget;           /* 0 = FC_VFY_DEFAULT_BUDGET */
    /* Testing hook (NULL normally): called once per instruction the
     * analysis reaches, with the registers' abstract values before it
     * (FC_NREGS entries of struct fc_av, fc_analysis.h). The property tests
     * check concrete runs against these states. */
    void (*observe)(void *ctx, uint32_t insn, const struct fc_av *regs);
    void *observe_ctx;
    /* Testing hook (NULL normally; same observe_ctx): the final, fixpoint
     * state before each instruction the analysis reaches, called once per
     * such instruction in the reporting pass: the registers (FC_NREGS), the
     * own frame's FC_VFY_NSLOTS 8-byte stack slots (slot k: bytes
     * [r10-512+8k, r10-512+8k+8), as one little-endian 64-bit value) and a
     * linear relation per register. The analysis is not context-sensitive:
     * a function has one state per instruction (call sites joined), so the
     * state holds for every call. The soundness net (tests/sound) checks
     * concrete runs against these claims. */
    void (*observe_state)(void *ctx, uint32_t insn, const struct fc_av *regs,
                          const struct fc_av *slots, const struct fc_vfy_rel *rel);
} fc_vfy_opts;

#define FC_VFY_NSLOTS 64u          /* FC_STACK_SIZE / 8 */
#define FC_VFY_REL_NONE 0xffu
/* val(r) - k * val(q) lies in [clo, chi] (in integers, no wrap), val being
 * a number's signed value or a pointer's offset; q is a number register, or
 * FC_VFY_REL_NONE: no relation. */
typedef struct fc_vfy_rel {
    uint8_t q;
    int32_t k;
    int64_t clo, chi;
} fc_vfy_rel;

/* Workspace bytes fc_vfy_run needs for this program: an upper bound
 * computed from the instructions alone, without memory (the distinct block
 * leaders and function starts, each looked for among the earlier ones: O(n)
 * per jump, call or exit; the stack slots 8-byte stores name). Per block of
 * the largest function a stored state of 808 bytes plus 48 per such slot,
 * per block and instruction a few bytes more, and two full states. */
size_t fc_vfy_workspace_size(const fc_prog *p);

/*
 * Verify and analyse p. info: p->ninsns entries (filled for every index;
 * second halves of lddw get zeros), st: statistics (may be NULL), d:
 * diagnostics (may be NULL: then only the result says whether it passed).
 * Returns 0 when there is no error (warnings allowed), -1 otherwise.
 */
int fc_vfy_run(const fc_prog *p, const fc_vfy_opts *o, void *ws, size_t ws_len,
               fc_insn_info *info, fc_vfy_stats *st, fc_diags *d);

#endif /* FC_VERIFY_H */
