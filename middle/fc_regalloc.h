/*
 * fc_regalloc.h - register allocation over the IR (fc_ir.h): the 32-bit
 * vregs of each function are mapped to the physical registers of a target
 * table, or to spill slots of the function's frame.
 *
 * Pipeline (fc_ra_run, per program, then per function):
 *   1. liveness of the vregs per block (one 32-bit mask per block: the IR
 *      has 32 vregs), a fixpoint over the whole program because a local
 *      CALL reads what its callee's entry reads and an EXIT of a callee
 *      gives back what some caller reads after its CALL (r0..r5);
 *   2. webs: every def and every (block, live-in vreg) is a name; a use
 *      refers to the name that reaches it; along every edge the names live
 *      on both sides are united (union-find). A web is a class: r3 used as
 *      a loop counter in one place and as a pointer in another are two
 *      webs, two allocation candidates;
 *   3. one interval per web over the linear positions of the function
 *      (blocks in instruction order, but each deferred edge block of a
 *      backward jump right after the block that jumps to it; the k-th
 *      instruction in that order reads at 2k and writes at 2k + 1; a 64-bit pseudo-op
 *      and ATOMIC read at 2k + 1 too, so their results never share a
 *      register with a source of another web; but a result and a source of
 *      the same web (a pair updated in place: `add64 r9, r0` on a pointer,
 *      `be64 r2`) do share one, so a selector that writes the lo result
 *      before reading the hi sources must first copy a source whose
 *      location equals a result's), covering every point where it is live;
 *   4. linear scan over the intervals (Poletto/Sarkar): a web whose
 *      interval contains a helper call or local call strictly inside it
 *      (live across the call) may only take a register the table does not
 *      mark caller-saved, or is spilled; the others prefer caller-saved
 *      registers. When no register is free the web (among the active ones
 *      in an allowed register and the new one) with the least spill cost
 *      per position of its interval is spilled (the whole web: one slot for
 *      its whole life); the cost of a web is the sum over its operands of
 *      8^loop depth of their block (loop depth: backward jumps in block
 *      order, capped at 6). Spill slots
 *      are reused once their web has ended. Copy coalescing by hint: the
 *      result web of `mov d, s` whose source web ends at that mov takes the
 *      source's register when it is free and allowed: the mov becomes
 *      `mov rX, rX`, which the selector drops (counted in `coalesced`).
 *
 * Output: a location for every operand of every IR instruction
 * (loc[k][0..1] the results d0, d1; loc[k][2..6] the sources s0..s4), and
 * for the instructions with implicit operands (CALLH, CALLX: the argument
 * pairs r1..r5; CALL: what the callee's entry reads, and r0..r5 coming back;
 * EXIT: r0, or what callers read back) a map of the location of every such
 * vreg before (use[]) and after (def[]) the instruction, plus for each
 * function the locations of the vregs live at its entry.
 *
 * Spill code is left to the selector, as annotations (a location that is a
 * slot): a source in a slot is loaded into one of the target's scratch
 * registers (those the table does not make allocatable) just before the
 * instruction, a result in a slot is stored from a scratch register just
 * after it. Why annotations and not inserted IR: the IR keeps its indices
 * (the pc map, the eBPF instruction of each op, the block table stay
 * valid), the selector can fold a slot into a memory operand where the ISA
 * has one (an ldr of the slot as the address base, a store of an
 * immediate), and both targets keep two scratch registers anyway (the
 * pseudo-ops and the bounds checks need them). The counts a selector needs
 * are in the statistics: `reloads` (source operands in a slot, one load
 * each) and `spill_stores` (results in a slot).
 *
 * Calls. Values are passed at calls, entries and exits through the maps
 * (the selector moves the argument vregs' locations into the ABI registers
 * and the results back, a parallel move); the allocation itself only
 * promises that no web whose value is needed after a call lives in a
 * caller-saved register across it. Each function has its own spill slots
 * in its own frame (nslots[f] 4-byte slots), so a local call never touches
 * its caller's.
 *
 * FC_IR_FP is the target's fixed frame register (location FC_RA_FP), never
 * allocated; FC_IR_Z reads as FC_RA_ZERO; an FC_IR_NONE result is
 * FC_RA_NONE.
 *
 * Memory: the caller's workspace of fc_ra_workspace_size(n) bytes for a
 * program of n eBPF slots (FC_RA_BYTES_PER_INSN per slot plus
 * FC_RA_BYTES_FIXED), the result tables included; no allocation, no global
 * state (the target tables below are constant data). Freestanding C99.
 */
#ifndef FC_REGALLOC_H
#define FC_REGALLOC_H

#include <stddef.h>
#include <stdint.h>
#include "fc_ir.h"

/* locations (uint16_t) */
#define FC_RA_ZERO      0u              /* the constant 0 */
#define FC_RA_REG(p)    (1u + (p))      /* physical register p < 64 */
#define FC_RA_SLOT(s)   (0x100u + (s))  /* spill slot s (4 bytes) of the current frame */
#define FC_RA_MAXSLOTS  0xfd00u
#define FC_RA_FP        0xfffeu         /* the fixed frame register */
#define FC_RA_NONE      0xffffu         /* no location (a dead result, no operand) */
#define FC_RA_IS_REG(l) ((l) >= 1u && (l) <= 64u)
#define FC_RA_IS_SLOT(l) ((l) >= 0x100u && (l) < 0x100u + FC_RA_MAXSLOTS)
#define FC_RA_NOMAP     0xffffffffu

/* A target's register table. Registers 0..nregs-1 (nregs <= 64); `avail`
 * the allocatable ones (the others are reserved: stack pointer, frame
 * register, scratch registers for spill code and the selector);
 * `caller_saved` those a helper call or a local call may clobber. */
typedef struct fc_ra_target {
    const char *name;
    uint8_t nregs;
    uint64_t avail;
    uint64_t caller_saved;
    const char *const *reg_names;   /* nregs names for the dump */
} fc_ra_target;

/* Tables: like Cortex-M3 (r0-r3 caller-saved, r4-r8 callee-saved: 9; r9 the
 * frame register, r10-r12/lr scratch), RV32 as the selector
 * backends/rv32/rv_isel.c uses it (a0-a7, t5, t6 caller-saved, s2-s9
 * callee-saved: 18; s0 env, s1 budget, s11 the frame register, t0-t2, s10,
 * ra the sequences' scratch, t3/t4 for spilled operands), and a tiny one (3
 * registers, 2 caller-saved) that spills nearly everything. */
extern const fc_ra_target fc_ra_target_cm3, fc_ra_target_rv32, fc_ra_target_tiny;
/* lx106 (Xtensa call0): a2-a7 caller-saved, a12/a13 callee-saved (8); a0,
 * a8-a11 scratch, a14 env, a15 the frame register. */
extern const fc_ra_target fc_ra_target_lx106;

typedef struct fc_ra_map {
    uint16_t use[FC_IR_NVREG];      /* location of each implicitly read vreg before the insn */
    uint16_t def[FC_IR_NVREG];      /* ... of each implicitly written vreg after it (CALL) */
} fc_ra_map;

typedef struct fc_ra {
    const fc_ra_target *tgt;
    uint16_t (*loc)[7];             /* per IR instruction: d0, d1, s0..s4 */
    uint32_t *map;                  /* per IR instruction: index into maps, or FC_RA_NOMAP */
    fc_ra_map *maps;
    uint32_t nmaps;
    uint16_t (*entry)[FC_IR_NVREG]; /* per function: location of each vreg live at its entry */
    uint32_t *entry_live;           /* per function: mask of the vregs live at its entry */
    uint32_t *ret_live;             /* per function: mask of the vregs its EXITs give back */
    uint32_t *nslots;               /* per function: spill slots of its frame */
    /* statistics */
    uint32_t webs;                  /* allocation candidates */
    uint32_t webs_reg;              /* of them in a register */
    uint32_t slots;                 /* spill slots, summed over the functions */
    uint32_t reloads;               /* source operands (explicit and implicit) in a slot */
    uint32_t spill_stores;          /* results in a slot */
    uint32_t moves, coalesced;      /* MOVs, and those whose result and source share a register */
    uint32_t cross_call;            /* webs live across a call */
} fc_ra;

/*
 * Workspace: per eBPF slot at most 16 IR instructions (fc_ir.h), 2 blocks,
 * 1 function, 1 boundary map; names (union-find) per slot at most 2 * 16
 * results, 12 results of a CALL and 31 live-in vregs of each of 2 blocks:
 * 106 names of 30 bytes (parent, interval, order, slot end, move hint,
 * spill cost, location). Per IR instruction 14 + 4 + 4 bytes (operand
 * locations, map index, calls before it); per block 20 (live-in mask,
 * first name, loop depth, linear position and rank); one map
 * of 128; per function 64 + 12 (entry locations, live masks, slots).
 */
#define FC_RA_NAMES_PER_INSN 106u
#define FC_RA_BYTES_PER_INSN (FC_RA_NAMES_PER_INSN * 30u + FC_IR_INSNS_PER_INSN * (14u + 4u + 4u) + \
                              2u * 20u + sizeof(fc_ra_map) + 64u + 12u)
#define FC_RA_BYTES_FIXED    (FC_RA_BYTES_PER_INSN + 256u)

/* Bytes of workspace fc_ra_run needs for a program of n eBPF slots:
 * FC_RA_BYTES_PER_INSN (3776: the same on 32- and 64-bit cores) per slot
 * plus FC_RA_BYTES_FIXED (one more slot's worth and 256 for alignment). */
size_t fc_ra_workspace_size(uint32_t n);

enum fc_ra_status {
    FC_RA_OK = 0,
    FC_RA_EWORK,        /* workspace smaller than fc_ra_workspace_size */
    FC_RA_EPROG,        /* the IR breaks an assumption (a write of fp, a target outside its
                           function, too many slots): internal error */
    FC_RA_ETARGET       /* a bad register table (no register, more than 64) */
};

/* The number of allocatable registers of t. */
unsigned fc_ra_navail(const fc_ra_target *t);

/* Allocate ir (lowered from a program of ir->ninsns slots) for target t,
 * tables carved from ws[0..ws_len). Returns enum fc_ra_status. */
int fc_ra_run(const fc_ir *ir, const fc_ra_target *t, void *ws, size_t ws_len, fc_ra *ra);

/* The text of location l ("r4", "[s3]", "fp", "0", "_") into buf. */
size_t fc_ra_loc_name(const fc_ra *ra, unsigned l, char *buf, size_t size);

/* Instruction k with its operands replaced by their locations (the format of
 * fc_ir_format); CALLH/CALLX/CALL/EXIT get their implicit operands after
 * the eBPF instruction: `  {r1.lo=r0 r1.hi=[s2] ...}` (uses) and
 * `-> {r0.lo=r4 ...}` (defs). */
size_t fc_ra_format(const fc_ir *ir, const fc_ra *ra, uint32_t k, char *buf, size_t size);

#endif /* FC_REGALLOC_H */
