/*
 * fc_analysis.h - the abstract domain of the verifier: what a register or a
 * stack slot may hold, and how instructions transform it.
 *
 * A value is one of
 *
 *   UNINIT    not written on some path (reading it is an error)
 *   SCALAR    a number computed from constants only (never an address)
 *   UNKNOWN   a number that may be an address (loaded from memory, returned
 *             by a helper or a call, or a pointer that lost its provenance)
 *   STACK     own frame:          r10 + off
 *   STACK_UP  some caller's frame: (that frame's r10) + off
 *   CTX       context + off
 *   RODATA / DATA / BSS   section base + off
 *
 * Numbers carry an unsigned range [umin, umax], a signed range [smin, smax]
 * and their known low bits (lk, lv): the value is congruent to lv modulo
 * 2^lk, which keeps strides (i += 2, p += 4) exact through loops. All three
 * always hold and tighten each other. Pointers carry
 * an offset range [smin, smax]: either finite, strictly inside
 * (-FC_AV_INF, FC_AV_INF), or exactly [-FC_AV_INF, FC_AV_INF] = unbounded
 * (never half-open: an address far out may wrap around 2^64); umin/umax are
 * unused for them.
 *
 * Everything here is pure and freestanding (no allocation, no stdio): the
 * on-device JIT runs the same code.
 */
#ifndef FC_ANALYSIS_H
#define FC_ANALYSIS_H

#include <stdint.h>
#include "fc_isa.h"

enum fc_av_kind {
    FC_AV_UNINIT = 0,
    FC_AV_SCALAR,
    FC_AV_UNKNOWN,
    FC_AV_STACK,
    FC_AV_STACK_UP,
    FC_AV_CTX,
    FC_AV_RODATA,
    FC_AV_DATA,
    FC_AV_BSS,
    FC_AV__COUNT
};

/* [-FC_AV_INF, FC_AV_INF] as a pointer's offset range means "unbounded". */
#define FC_AV_INF ((int64_t)1 << 40)

typedef struct fc_av {
    uint8_t kind;       /* enum fc_av_kind */
    uint8_t lk;         /* the low lk bits are known (0..64; of the offset for pointers) */
    uint64_t lv;        /* ... and equal lv (lv < 2^lk) */
    uint64_t umin, umax;
    int64_t smin, smax;
} fc_av;

static inline int fc_av_is_num(const fc_av *a)
{
    return a->kind == FC_AV_SCALAR || a->kind == FC_AV_UNKNOWN;
}
static inline int fc_av_is_ptr(const fc_av *a) { return a->kind >= FC_AV_STACK; }
static inline int fc_av_is_const(const fc_av *a)
{
    return fc_av_is_num(a) && a->umin == a->umax;
}

fc_av fc_av_const(unsigned kind, uint64_t v);          /* exact number */
fc_av fc_av_range(unsigned kind, uint64_t umin, uint64_t umax);
fc_av fc_av_top(unsigned kind);                        /* any number / any offset */
fc_av fc_av_ptr(unsigned kind, int64_t off);           /* pointer, exact offset */
fc_av fc_av_uninit(void);
/* number with both ranges given (each tightened by the other); the ranges
 * must describe a non-empty set */
fc_av fc_av_make(unsigned kind, uint64_t umin, uint64_t umax, int64_t smin, int64_t smax);

int fc_av_eq(const fc_av *a, const fc_av *b);

/* Intersect a's signed range (a number) or offset range (a pointer; an
 * unbounded pointer takes [lo, hi] when it is finite) with [lo, hi].
 * Returns 0 when nothing is left. */
int fc_av_meet_srange(fc_av *a, int64_t lo, int64_t hi);
fc_av fc_av_join(const fc_av *a, const fc_av *b);
/* join, then push every bound that moved to its extreme (loop widening) */
fc_av fc_av_widen(const fc_av *old, const fc_av *nw);

/*
 * dst := dst OP src for an ALU/ALU32 instruction (in->op class ALU or
 * ALU64). `src` is the source register's value (for the _X forms) and is
 * ignored for the _K forms (the immediate is used). Shift amounts are
 * masked as the ISA says. Pointer arithmetic: pointer +- number keeps the
 * pointer; pointer - pointer of the same kind is a number; anything else on
 * a pointer gives UNKNOWN.
 */
fc_av fc_av_alu(const fc_insn *in, const fc_av *dst, const fc_av *src);

/*
 * Refine dst/src for one edge of a conditional jump (taken != 0: the jump
 * is taken). `src` is the source register's value for _X forms (refined in
 * place as well); for _K forms pass NULL. Returns 0 when the edge is
 * impossible, 1 otherwise.
 *
 * Pointers: only a 64-bit compare of two pointers of one kind (not
 * STACK_UP: two of those may point into different frames) with finite
 * offsets is refined. jeq/jne always; unsigned compares only inside the
 * window of fc_av_branch_win (fc_av_branch has none: it never refines them);
 * signed compares and jset never. Region bases are unknown and may sit
 * anywhere in the 64-bit space, so offsets say nothing about the unsigned
 * order of addresses outside a region.
 */
int fc_av_branch(const fc_insn *in, fc_av *dst, fc_av *src, int taken);

/* Per pointer kind, offsets [lo, hi] the region of that kind is known to
 * hold on every run (base + lo .. base + hi are mapped, so base + lo >= 0 and
 * base + hi + 1 <= 2^64 as integers); lo > hi: none. */
typedef struct fc_av_win {
    int64_t lo[FC_AV__COUNT], hi[FC_AV__COUNT];
} fc_av_win;

/* fc_av_branch, with unsigned compares of two pointers of one kind refined
 * when each operand lies in that kind's window or one past its end on its
 * side of the relation (see fc_analysis.c); w may be NULL. */
int fc_av_branch_win(const fc_insn *in, fc_av *dst, fc_av *src, int taken, const fc_av_win *w);

/* The concrete result of an ALU instruction on known operands (RFC 9669
 * semantics, incl. division by zero and masked shifts). */
uint64_t fc_alu_eval(const fc_insn *in, uint64_t dst, uint64_t src);

#endif /* FC_ANALYSIS_H */
