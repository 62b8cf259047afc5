/*
 * fc_ir.h - the middle end's machine-level IR: verified eBPF lowered to
 * three-address instructions over 32-bit virtual registers.
 *
 *   program   functions (one starting at each entry point and one per
 *             local-call target, in instruction order), each a run of
 *             basic blocks; the entry functions (fc_ir_is_entry) start a
 *             run, the others are only called
 *   block     a run of instructions [start, end); the last one may branch
 *             (BR, JMP, CALL does not end a block); a block without a
 *             terminator falls through to the next block of its function
 *   insn      op, up to two results d[0..1], up to five sources s[0..4], an
 *             immediate, a target, and the eBPF instruction it came from
 *
 * Virtual registers (uint8_t). Every eBPF register is a {lo, hi} pair of
 * fixed vregs; the hi half of r10 is the constant 0 and its lo half the
 * frame pointer (the one fixed register the targets must provide); a few
 * temporaries follow. The lowering keeps no value in a temporary (none of
 * them appears in its output); fc_ir_promote (below) gives them to stack
 * words, each a copy of one 4-byte word of the own frame.
 *
 *      0        FC_IR_Z    the constant 0 (a source only)
 *      1 + 2r   lo of r    (r = 0..9)
 *      2 + 2r   hi of r
 *     21        FC_IR_FP   lo of r10 (frame pointer of the current frame)
 *     22..31    temporaries (t0..t9 in the dump: fc_ir_promote's stack words)
 *    255        FC_IR_NONE no register (a result nobody reads: dead hi half)
 *
 * Hi halves. Lowering runs the one hi-half analysis (fc_hihalf.h: known zero
 * forward, with the verifier's hi_zero facts; live backward, with use/def
 * sets that are exactly what the lowering reads): an upper half known zero
 * is read as FC_IR_Z and never materialised, a dead one is not computed
 * (FC_IR_NONE result). Where a known-zero half stops being known zero (a
 * join with a path that computed it, the entry of a local callee, the
 * return to a caller) and is live, an explicit `movi hi, 0` is placed on the
 * way, so the vreg holds the value wherever it is read.
 *
 * 64-bit operations. Only those that split without a carry become two 32-bit
 * ops (and/or/xor/mov, loads and stores of halves). Add, sub, mul, neg,
 * shifts, div/mod, bswap64 and 64-bit compares stay 64-bit pseudo-ops over
 * register pairs (lo in the even operand, hi in the odd one), split by each
 * target's instruction selector: a carry is a flag on Thumb-2 (adds/adc must
 * stay adjacent, which no pass between here and selection could promise if
 * the carry were an IR value) and an sltu result on RV32 (a temporary the
 * selector makes); a division is a runtime routine on both. Keeping them
 * whole also lets the selector see "hi known zero" operands (FC_IR_Z) and
 * pick the short forms. When the hi half of a result is dead and the lo half
 * depends only on lo inputs (add, sub, mul, neg), lowering uses the 32-bit op.
 *
 * Memory. An access is the eBPF one: address = s[0] (lo of the base) +
 * imm, little-endian, any alignment, 1/2/4 bytes (8-byte eBPF accesses are
 * two 4-byte ones). A run-time bounds check is its own op (CHECK) in front
 * of the access, carrying the base pair, the offset, the size (the whole
 * eBPF access), the permission and the eBPF instruction whose error it
 * reports, so a later pass can hoist or merge it; accesses without one are
 * the verifier's PROVEN ones and the own-frame accesses through r10.
 *
 * Memory: everything lives in the caller's workspace of
 * fc_ir_workspace_size(n) bytes, no allocation. Per eBPF instruction that is
 * FC_IR_BYTES_PER_INSN bytes (see below), plus FC_IR_BYTES_FIXED.
 * Freestanding C99.
 */
#ifndef FC_IR_H
#define FC_IR_H

#include <stddef.h>
#include <stdint.h>
#include "fc_prog.h"

#define FC_IR_Z     0u
#define FC_IR_LO(r) ((uint8_t)(1u + 2u * (r)))
#define FC_IR_HI(r) ((uint8_t)(2u + 2u * (r)))
#define FC_IR_FP    21u
#define FC_IR_T0    22u     /* first temporary */
#define FC_IR_NVREG 32u
#define FC_IR_NONE  255u

enum fc_ir_op {
    FC_IR_NOP = 0,
    /* 32-bit: d0 = s0 OP (s1, or imm when FC_IR_K) */
    FC_IR_MOV,      /* d0 = s0 */
    FC_IR_MOVI,     /* d0 = imm */
    FC_IR_ADD, FC_IR_SUB, FC_IR_MUL, FC_IR_AND, FC_IR_OR, FC_IR_XOR,
    FC_IR_LSH, FC_IR_RSH, FC_IR_ARSH,     /* amount & 31 */
    FC_IR_DIVU, FC_IR_MODU, FC_IR_DIVS, FC_IR_MODS,  /* eBPF rules for 0 and INT_MIN/-1 */
    FC_IR_NEG,      /* d0 = -s0 */
    FC_IR_SEXT8, FC_IR_SEXT16,            /* d0 = sign-extended low byte / half of s0 */
    FC_IR_ZEXT16,   /* d0 = s0 & 0xffff */
    FC_IR_BSWAP16, FC_IR_BSWAP32,         /* 16: swapped low half, zero-extended */
    /* 64-bit pseudo-ops: {d0,d1} = {s0,s1} OP ({s2,s3}, or sext(imm) when
     * FC_IR_K); d1 may be FC_IR_NONE (hi result dead). Shift amounts are the
     * low 6 bits of s2 (or imm). */
    FC_IR_ADD64, FC_IR_SUB64, FC_IR_MUL64,
    FC_IR_DIVU64, FC_IR_MODU64, FC_IR_DIVS64, FC_IR_MODS64,
    FC_IR_LSH64, FC_IR_RSH64, FC_IR_ARSH64,
    FC_IR_NEG64,    /* {d0,d1} = -{s0,s1} */
    FC_IR_BSWAP64,  /* {d0,d1} = bswap64({s0,s1}) */
    /* memory */
    FC_IR_LD,       /* d0 = load sz bytes at s0 + imm (FC_IR_SX: sign-extend) */
    FC_IR_ST,       /* store the low sz bytes of s1 (or of tgt when FC_IR_K) at s0 + imm */
    FC_IR_CHECK,    /* bounds check: sz bytes at {s0,s1} + sext(imm) (64-bit), cc = FC_PERM_*;
                       outside every region with that permission: stop with
                       FC_ERR_MEM_READ (cc R) / FC_ERR_MEM_WRITE at insn, err_addr */
    FC_IR_ATOMIC,   /* read-modify-write of sz (4 or 8) bytes at s0 + imm; cc = the eBPF
                       atomic code (imm field of the instruction); value {s1,s2};
                       cmpxchg compares with {s3,s4}; the fetched old value goes
                       to {d0,d1} (fetch forms and cmpxchg; d1 NONE for sz 4) */
    FC_IR_SECADDR,  /* d0 = lo of the address of section tgt (FC_SECT_*) + imm (a relocation);
                       its hi half is 0 (regions lie below 2^32 on 32-bit cores) */
    /* control */
    FC_IR_BR,       /* if s0 cc (s1, or imm when FC_IR_K) goto block tgt (32-bit compare) */
    FC_IR_BR64,     /* if {s0,s1} cc ({s2,s3}, or sext(imm)) goto block tgt */
    FC_IR_JMP,      /* goto block tgt */
    FC_IR_BUDGET,   /* charge one unit of the budget; none left: FC_ERR_BUDGET at insn */
    FC_IR_CALLH,    /* helper tgt: arguments the pairs of r1..r5, result the pair of r0
                       (d0, d1; d1 NONE when dead); cc bit r: the hi half of
                       argument r is known zero (pass 0, its vreg is not read) */
    FC_IR_CALLX,    /* as CALLH, the helper number is {s0,s1} */
    FC_IR_CALL,     /* local call of function tgt: depth check (FC_ERR_CALL_DEPTH), then
                       one budget unit (FC_ERR_BUDGET), both at insn; r6..r9
                       saved and restored around it, r10 one frame down; r0..r5
                       come back from the callee */
    FC_IR_EXIT,     /* return from the function (depth 1: end of the run, result r0) */
    FC_IR_ERR,      /* stop with error imm at insn (code that no verified run reaches) */
    FC_IR_GUARD,    /* range guard (fc_ir_opt, never made by the lowering): if the sz bytes
                       (1, 2, 4 or 8) at {s0,s1} + sext(imm) (64-bit) do not all lie inside
                       one region with permission cc (R or W), goto block tgt; a selector
                       may also go there when it cannot tell quickly (the target keeps every
                       check). The last instruction of its block; insn: the first check's */
    FC_IR__COUNT
};

/* flags (fc_ir_insn.fl) */
#define FC_IR_K  1u     /* second operand is imm */
#define FC_IR_SX 2u     /* LD: sign-extend */
#define FC_IR_G  4u     /* LD, ST, ATOMIC: its CHECK is covered by the guard of its block's
                           predecessor (fc_ir_opt): counted as checked, not proven */
/* CHECK permissions (cc): 1 read, 2 write, 3 both (the values of FC_PERM_*) */

/* conditions (BR, BR64): the eBPF jump codes (FC_JMP_JEQ ... >> 4) */
enum fc_ir_cc {
    FC_IR_EQ = 1, FC_IR_GT = 2, FC_IR_GE = 3, FC_IR_SET = 4, FC_IR_NE = 5,
    FC_IR_SGT = 6, FC_IR_SGE = 7, FC_IR_LT = 10, FC_IR_LE = 11, FC_IR_SLT = 12,
    FC_IR_SLE = 13
};

typedef struct fc_ir_insn {
    uint8_t op;         /* enum fc_ir_op */
    uint8_t fl;         /* FC_IR_K, FC_IR_SX */
    uint8_t cc;         /* condition, permission, atomic code, hi-zero mask */
    uint8_t sz;         /* bytes of a memory access */
    uint8_t d[2];
    uint8_t s[5];
    uint8_t pad;
    int32_t imm;
    uint32_t tgt;       /* block (BR, JMP), helper id, function, section */
    uint32_t insn;      /* the eBPF instruction it came from */
} fc_ir_insn;           /* 24 bytes */

typedef struct fc_ir_block {
    uint32_t start, end;    /* instructions [start, end) */
    uint32_t insn;          /* eBPF instruction it starts at (edge blocks: the jump) */
} fc_ir_block;

typedef struct fc_ir_func {
    uint32_t start, end;    /* eBPF instructions [start, end) */
    uint32_t b0, nb;        /* blocks [b0, b0 + nb) */
} fc_ir_func;

typedef struct fc_ir {
    fc_ir_insn *ins;
    uint32_t nins, inscap;
    fc_ir_block *blk;
    uint32_t nblk, blkcap;
    fc_ir_func *fn;
    uint32_t nfn, fncap;
    uint32_t ninsns;        /* eBPF instructions lowered */
    const uint32_t *entries;    /* the entry slots (the caller's array; NULL: slot 0) */
    uint32_t nentries;
    /* statistics of the lowering */
    uint32_t hi_skipped;    /* hi halves not computed (known zero or dead) */
    uint32_t hi_fixups;     /* movi hi, 0 placed where a known-zero half stops being known */
    uint32_t checks;        /* CHECK ops */
    /* fc_ir_opt: the scratch the lowering leaves it, and what it did */
    void *optws;
    size_t optlen;
    uint32_t guards;        /* GUARDs placed (each one block versioned) */
    uint32_t merged;        /* CHECKs the guards cover (removed on the guarded path) */
    /* fc_ir_promote */
    uint32_t promoted;      /* stack words given a temporary (summed over the functions) */
    uint32_t forwarded;     /* loads of them made movs */
    uint32_t copies;        /* fc_ir_copyprop: movs dropped */
} fc_ir;

/*
 * Workspace bound. Per eBPF instruction at most FC_IR_INSNS_PER_INSN IR
 * instructions: a body of at most 3 (a checked 8-byte load or store:
 * check + two halves; sign-extending load: check, load, arsh), a deferred
 * edge block of 2 (budget + jmp of a backward conditional jump) or the
 * materialisations of a call (9 movi + call) or an exit (6 movi + exit),
 * at most 10 materialising movi on the edges out of it (r0..r9), one filler
 * per function end: 3 + 2 + 10 + 1 = 16 > 10, 7. Two blocks (its own and an
 * edge block), one function, and the lowering's own arrays (decode, two hi
 * masks, the block of each instruction, a deferred edge).
 */
#define FC_IR_INSNS_PER_INSN 16u
/* fc_ir_opt's scratch, carved by the lowering: a copy of the instructions and
 * blocks, and per block its new index and its group's first check (424 bytes) */
#define FC_IR_OPT_BYTES_PER_INSN (FC_IR_INSNS_PER_INSN * sizeof(fc_ir_insn) + \
                                  2u * (sizeof(fc_ir_block) + 2u * sizeof(uint32_t)))
#define FC_IR_BYTES_PER_INSN (FC_IR_INSNS_PER_INSN * sizeof(fc_ir_insn) + 2u * sizeof(fc_ir_block) + \
                              sizeof(fc_ir_func) + 1u + 2u * sizeof(uint16_t) + sizeof(uint32_t) +   \
                              2u * sizeof(uint32_t) + FC_IR_OPT_BYTES_PER_INSN)
#define FC_IR_BYTES_FIXED    64u

/* Bytes of workspace fc_ir_lower needs for a program of n slots:
 * FC_IR_BYTES_PER_INSN (865: the same on 32- and 64-bit cores; 424 of it
 * fc_ir_opt's scratch) per slot plus a constant. */
size_t fc_ir_workspace_size(uint32_t n);

/* lowering options */
#define FC_IR_CHECK_ALL 1u      /* a CHECK before every access (as FC_BK_CHECK_ALL) */
#define FC_IR_NO_FACTS  2u      /* do not use the verifier's hi_zero facts */
#define FC_IR_NO_HIOPT  4u      /* compute every hi half (no analysis) */

enum fc_ir_status {
    FC_IR_OK = 0,
    FC_IR_EWORK,        /* workspace smaller than fc_ir_workspace_size */
    FC_IR_EPROG         /* empty program, or a table overflowed (internal error) */
};

/*
 * Lower p (verified; info: the verifier's facts, NULL for none: every
 * access checked) into *ir, carving every table from ws[0..ws_len).
 * Returns enum fc_ir_status.
 */
int fc_ir_lower(const fc_prog *p, const fc_insn_info *info, uint32_t flags, void *ws, size_t ws_len,
                fc_ir *ir);

/* The same for a program with several entry points (femtoc --entry):
 * entries[0..nentries) are their slots (NULL, or nentries 0: slot 0). Each
 * starts a function of its own that a run enters with the state of
 * docs/sandbox.md section 4 and whose exit ends the run (result r0); the
 * array must outlive *ir (ir->entries points to it). */
int fc_ir_lower_entries(const fc_prog *p, const fc_insn_info *info, uint32_t flags,
                        const uint32_t *entries, uint32_t nentries, void *ws, size_t ws_len, fc_ir *ir);

/* Does function f start at an entry point (a run may start there)? */
int fc_ir_is_entry(const fc_ir *ir, uint32_t f);

/*
 * The deepest machine stack below the entry of an entry function: its frame,
 * then along the deepest chain of at most FC_MAX_CALL_DEPTH - 1 nested local
 * calls, call_cost (what a call pushes) and the callee's frame; a recursion
 * is followed round as often as the depth allows (the run's depth check stops
 * it there). frame(ctx, f) is function f's frame in bytes. need[d][f] is
 * kept one row of nfn words at a time in tmp (2 * nfn words). Saturates at
 * 2^28 per step. The selectors add their prologue's and the runtime
 * routines' share and compare with their bound (FC_NATIVE_MSTACK).
 */
uint32_t fc_ir_call_chain(const fc_ir *ir, uint32_t (*frame)(const void *ctx, uint32_t f), const void *ctx,
                          uint32_t call_cost, uint32_t *tmp);

/*
 * The pass between lowering and allocation (middle/fc_opt.c): check
 * merging under a range guard. In a block, the CHECKs of one base pair with
 * one permission (R or W), the base not written between them and no call in
 * between, whose accesses all fit in 8 bytes, become one GUARD of the
 * covering range (rounded up to 1, 2, 4 or 8 bytes) where the first of them
 * was, ending the block: its fall-through is the rest of the block without
 * those CHECKs (their accesses flagged FC_IR_G), its target a copy of the
 * rest of the block with every CHECK kept (at the function's end; then a jmp
 * to the block's successor). One group per block, the first with two CHECKs
 * or more. Why the guarded path gives exactly the interpreter's results:
 * docs/sandbox.md, "Merged checks". Works in place with the lowering's
 * scratch (ir->optws); skips a group when the IR's tables would not hold
 * it. Returns the number of GUARDs placed (also in ir->guards, ir->merged).
 */
uint32_t fc_ir_opt(fc_ir *ir);

/*
 * Stack words in registers (middle/fc_promote.c), between lowering and
 * fc_ir_opt (it uses the same scratch): store-to-load forwarding of the own
 * frame's 4-byte words that a function stores and loads through fp with a
 * constant offset, at most maxw words per function (at most the 10
 * temporaries FC_IR_T0..). Every store stays (the stack is exact after the
 * run and at a fault); a load of a word whose value a temporary holds on
 * every path becomes a mov of it, the copy is propagated forward in its
 * block, and movs nobody reads are dropped. A word's value is lost at any
 * other store or atomic, whatever its base, and at any call. Which words:
 * those whose loads (weighted by loop depth) outweigh their stores 4 to 1,
 * and none whose temporary would be live where more vregs are live than the
 * target's nregs allocatable registers (the pass starts again without the
 * least-used such word, at most 11 times); nregs 0 takes every word that has
 * a load to forward (the tests' setting: the most forwarding). Returns the
 * loads forwarded (ir->forwarded; ir->promoted the words used).
 */
uint32_t fc_ir_promote(fc_ir *ir, unsigned maxw, unsigned nregs);
#define FC_IR_PROMOTE_MAX   (FC_IR_NVREG - FC_IR_T0)    /* every temporary */

/*
 * Copy propagation (middle/fc_promote.c), after fc_ir_promote and before
 * fc_ir_opt (the same scratch): in each block, the instructions after a
 * `mov d, s` (s a vreg) read s for d until either is written; then every mov
 * whose result no path reads is dropped (a block's first instruction becomes
 * a nop). Shorter webs for the allocator: `mov r3, r1; add64 r3, r4` is
 * `add64 r3, r1, r4`. Returns the movs dropped (ir->copies).
 */
uint32_t fc_ir_copyprop(fc_ir *ir);

/* Names for the dump (stable text): "add64", "eq", ... */
const char *fc_ir_op_name(unsigned op);
const char *fc_ir_cc_name(unsigned cc);

/* One line of text for instruction k (no newline), into buf[0..size).
 * Format: `  <results> = <op> <operands>    ; eBPF <insn>`. Returns its length. */
size_t fc_ir_format(const fc_ir *ir, uint32_t k, char *buf, size_t size);

/* The same with the operand names from fn (def: a result; vreg as in the
 * instruction): the register allocator's dump prints locations this way. */
typedef size_t (*fc_ir_namefn)(void *ctx, uint32_t k, int def, unsigned vreg, char *buf, size_t size);
size_t fc_ir_format_with(const fc_ir *ir, uint32_t k, fc_ir_namefn fn, void *ctx, char *buf, size_t size);

/* the number of bits set in m (the passes' register and liveness masks) */
static inline unsigned fc_ir_popc32(uint32_t m)
{
    unsigned n = 0;
    for (; m; m &= m - 1u)
        n++;
    return n;
}

#endif /* FC_IR_H */
