/*
 * sound_check.h - the soundness net's fact checker: concrete interpreter
 * runs checked against every claim of the verifier (host tests only).
 *
 * The verifier's final states (fc_vfy_opts.observe_state: registers, the
 * own frame's 8-byte slots, linear relations, per instruction) and the
 * facts backends consume (fc_insn_info) are checked at every executed
 * instruction of a run of the reference interpreter, compiled a second time
 * with a per-instruction hook (runtime/fc_vm.c, FC_VM_OBSERVE; the device
 * build has none). What is checked:
 *
 *   numbers    value in [umin, umax] and (as signed) in [smin, smax], the
 *              low lk bits equal lv
 *   pointers   value minus its region's concrete base (the context's
 *              address, the section's, the current frame's r10, for
 *              STACK_UP one of the callers' r10) inside the offset range and
 *              with the known low bits; UNINIT claims nothing
 *   slots      the same for the 8 bytes of each own-frame slot the state
 *              tracks
 *   relations  val(r) - k * val(q) in [clo, chi] in integers
 *   reached    an executed instruction is reachable and was reached by
 *              the analysis (a state exists)
 *   PROVEN     a load/store/atomic marked PROVEN is allowed concretely
 *              (one region with the needed permission holds all of it)
 *   hi_zero    after the instruction, the upper 32 bits of those
 *              registers are 0 (after a local call: when it returns)
 *   hi_dead    a second run overwrites the dead upper halves with random
 *              bits after every instruction (after a local call: at its
 *              return); r0, error, error pc and address, budget left and
 *              the memory must equal the first run's
 *   SCALAR     a number "computed from constants only" must not depend on
 *              where memory is: a third run with every region at other
 *              addresses (low, near 0, or high, near 2^63 / 2^64) must give
 *              every SCALAR register the same value at the same step, as
 *              long as both runs take the same path; its facts are checked
 *              too. Values a .rodata load chose (the analysis reads a table
 *              entry as SCALAR: a constant, though the index may come from
 *              an address) and what is computed from them are exempt: the
 *              run tracks them through registers and stack cells
 */
#ifndef SOUND_CHECK_H
#define SOUND_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "fc_analysis.h"
#include "fc_prog.h"
#include "fc_verify.h"
#include "fc_vm.h"

/* one instruction's final state (has == 0: the analysis never reached it) */
typedef struct snet_state {
    uint8_t has;
    fc_av r[FC_NREGS];
    fc_av slot[FC_VFY_NSLOTS];
    fc_vfy_rel rel[FC_NREGS];
} snet_state;

/* collects states: pass as fc_vfy_opts.observe_state, with observe_ctx
 * pointing to an snet_states whose st has n entries, zeroed */
typedef struct snet_states {
    snet_state *st;
    uint32_t n;
    uint32_t dup;     /* instructions observed twice (a checker bug) */
} snet_states;
void snet_observe(void *ctx, uint32_t insn, const struct fc_av *regs, const struct fc_av *slots,
                  const struct fc_vfy_rel *rel);

/* where the regions sit in a run */
typedef struct snet_layout {
    const char *name;
    uint64_t ctx, ro, data, bss, stack;   /* guest addresses (stack: of its lowest byte) */
} snet_layout;

typedef struct snet_case {
    const fc_insn *insns;
    uint32_t n;
    const fc_insn_info *info;
    const snet_state *st;
    const uint8_t *ctx;
    uint32_t ctx_len;
    unsigned ctx_perm;                    /* 0: FC_PERM_RW */
    const uint8_t *ro, *data;
    uint32_t ro_len, data_len, bss_len;
    const fc_helper *helpers;
    uint32_t nhelpers;
    const uint32_t *allow;
    uint32_t nallow;
    uint64_t budget;                      /* 0: FC_DEFAULT_BUDGET */
    uint32_t max_depth;                   /* 0: FC_MAX_CALL_DEPTH */
    uint64_t mutate_seed;                 /* for the hi_dead run */
} snet_case;

#define SNET_STACK_SIZE (FC_STACK_SIZE * FC_MAX_CALL_DEPTH)

typedef struct snet_outcome {
    int err;
    uint64_t r0, err_addr, budget_left, insns;
    uint32_t err_pc;
} snet_outcome;

/* violations of one program, as text lines */
typedef struct snet_report {
    unsigned n;           /* all violations */
    unsigned shown;       /* lines in text */
    char text[6000];
    size_t len;
    uint64_t checked;     /* individual facts checked */
    uint64_t proven;      /* PROVEN accesses executed */
} snet_report;

/* Layout A is the emulators' (fc_emu.h), so outcome A can be compared with
 * the native runs; B is the other layout (fc_emu-independent). */
extern const snet_layout snet_layout_emu, snet_layout_low, snet_layout_high;

/*
 * Run the case with fact checking in layout a (outcome in *oa), the
 * hi_dead run in layout a, and the SCALAR/fact run in layout b. Violations
 * go to rep. Returns rep->n.
 */
unsigned snet_check(const snet_case *c, const snet_layout *a, const snet_layout *b,
                    snet_outcome *oa, snet_report *rep);

/* fc_av as text ("scalar u[0,7] s[0,7] low 3 bits 0x0") */
void snet_av_str(const fc_av *v, char *buf, size_t size);

#endif /* SOUND_CHECK_H */
