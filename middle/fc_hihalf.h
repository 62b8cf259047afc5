/*
 * fc_hihalf.h - the upper-half (hi half) analysis shared by every 32-bit
 * backend.
 *
 * A 64-bit eBPF register is a {lo, hi} pair on a 32-bit core. Two facts per
 * slot decide how much of the hi half must be computed:
 *
 *   known zero   (forward, intersection over predecessors) the hi half of
 *                register r is 0 before slot i: ALU32 results, narrow loads,
 *                zero-extension idioms, r10; plus the verifier's hi_zero
 *                facts after each slot when they are given;
 *   live         (backward, union over successors) the hi half of r may be
 *                read after slot i before it is overwritten. What "read"
 *                means is the code generator's business (a generator that
 *                skips a dead hi half reads fewer inputs), so the use/def
 *                sets come from a callback; the solver is shared.
 *
 * Register sets are uint16_t masks: bit r for r0..r10 (FC_HH_ALL).
 * Freestanding C99, no allocation: the caller owns every array (one
 * uint16_t per slot), so the on-device compiler can run it.
 */
#ifndef FC_HIHALF_H
#define FC_HIHALF_H

#include <stdint.h>
#include "fc_prog.h"

#define FC_HH_ALL    0x7ffu     /* r0..r10 */
#define FC_HH_R10    0x400u     /* r10's hi half is always 0 */
#define FC_HH_SECOND 0xffu      /* opid mark: second slot of an lddw */

typedef struct fc_hh {
    const fc_insn *ins;
    const uint8_t *opid;        /* FC_OP_* per slot, FC_HH_SECOND, 0 invalid */
    uint32_t n;
    const uint32_t *entries;    /* NULL: one entry at slot 0 */
    uint32_t nentries;
    const fc_insn_info *info;   /* verifier facts, NULL: none used */
} fc_hh;

/* Successors of slot idx inside the program (up to 2); returns the count. */
unsigned fc_hh_succs(const fc_hh *h, uint32_t idx, uint32_t out[2]);

/* Hi halves known zero after slot idx, from `in` before it. */
uint16_t fc_hh_transfer(const fc_hh *h, uint32_t idx, uint16_t in);

/* Hi halves known zero before each slot (hin[0..n-1]): at an entry r0 and
 * r3..r10 (r1 context, r2 length unknown), at a local callee only r10. */
void fc_hh_known_zero(const fc_hh *h, uint16_t *hin);

/* use: hi halves slot idx reads; def: the ones it overwrites entirely. */
typedef void (*fc_hh_usedef)(const void *ctx, uint32_t idx, uint16_t *use, uint16_t *def);

/* Hi halves live after each slot (lout[0..n-1]). The callback may read
 * lout[idx] (a dead result reads no hi inputs): use then grows with lout,
 * both only grow, so the fixpoint converges. */
void fc_hh_live(const fc_hh *h, fc_hh_usedef usedef, const void *ctx, uint16_t *lout);

#endif /* FC_HIHALF_H */
