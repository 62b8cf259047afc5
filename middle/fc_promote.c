/*
 * fc_promote.c - eBPF stack words kept in virtual registers (fc_ir.h,
 * fc_ir_promote): store-to-load forwarding through the free temporaries.
 *
 *   before                           after
 *        st4 [fp - 8], r3.lo  @4          st4 [fp - 8], r3.lo   @4
 *        ...                              t0 = mov r3.lo        @4
 *        r5.lo = ld4 [fp - 8] @9          ...
 *        r2.lo = add r5.lo, 1 @10         r2.lo = add t0, 1     @10
 *        r5.lo = movi 0       @11         r5.lo = movi 0        @11
 *
 * The stack stays exact: every store is kept (the final stack is compared
 * by every differential run, and a helper or a fault must see it), so what
 * goes is the load. A word is one of the own frame's 4-byte-aligned words
 * that the function stores and loads through fp with a constant offset
 * (4-byte accesses). Its temporary holds the word's value wherever the
 * forward analysis proves it on every path: made by each such store, lost
 * at the function's entry, at every other store or atomic (whatever its
 * base: a pointer into this frame may come from anywhere, even a stale one
 * into a callee's old frame, so no escape analysis is needed or trusted),
 * at every helper or local call (they may write the frame through a
 * pointer), at a store through fp that overlaps the word without being
 * exactly it. A load of the word where the value is known becomes a `mov`
 * of the temporary; copies are then propagated forward within the block
 * (the load's result replaced by the temporary in the instructions that
 * read it, until either is written), and a `mov` whose result no path reads
 * is dropped (liveness over the function's blocks; calls and exits count as
 * reading every eBPF register). Nothing else changes: checks, guards,
 * budget charges and the order of memory accesses are the lowering's.
 *
 * Temporaries FC_IR_T0.. are free: the lowering keeps no value in them
 * (fc_ir.h), so at most FC_IR_NVREG - FC_IR_T0 words per function, chosen
 * by their loads weighted 8^(backward jumps around them, at most 3).
 *
 * fc_ir_copyprop (at the end) is the same forward copy propagation and dead
 * mov removal for every `mov d, s` of an eBPF register, where it leaves no
 * reader of that d: one web less for the allocator, none longer.
 *
 * Memory: the lowering's scratch for fc_ir_opt (ir->optws; run these passes
 * before fc_ir_opt): a copy of the instructions and six words and ten bytes
 * per block. No workspace of its own. Freestanding C99.
 */
#include "fc_ir.h"

#define NTMP   (FC_IR_NVREG - FC_IR_T0)
#define NCAND  64u
#define PROFIT 4u          /* loads (weighted) per store a word needs */
#define DROP   0xa5u        /* pad of an instruction this pass deletes (DROP + 1: a mov it made) */
#define MARK   0x40u        /* pad of a store of word w: MARK + w */
#define EBPF_V 0x1ffffeu    /* the vregs of r0..r9 */

typedef struct pr {
    fc_ir *ir;
    uint32_t *in, *aux;     /* per block: words known at the entry; liveness */
    int32_t off[NTMP];      /* the chosen words' fp offsets */
    uint8_t cand[NTMP];     /* ... and their candidate numbers (choose) */
    int all;                /* nregs 0: every word with a load, no pressure or profit test */
    unsigned nw;
} pr;

static int is_br(unsigned op)
{
    return op == FC_IR_BR || op == FC_IR_BR64 || op == FC_IR_GUARD || op == FC_IR_JMP;
}

/* the chosen word an fp access of 4 bytes at off is exactly, or -1 */
static int word_of(const pr *s, const fc_ir_insn *x)
{
    if (x->s[0] != FC_IR_FP || x->sz != 4 || (x->op != FC_IR_LD && x->op != FC_IR_ST))
        return -1;
    for (unsigned i = 0; i < s->nw; i++)
        if (s->off[i] == x->imm)
            return (int)i;
    return -1;
}

/* the words x makes unknown (x is not an exact store of one of them) */
static uint32_t kills(const pr *s, const fc_ir_insn *x)
{
    if (x->op == FC_IR_CALL || x->op == FC_IR_CALLH || x->op == FC_IR_CALLX || x->op == FC_IR_ATOMIC)
        return ~0u;
    if (x->op != FC_IR_ST)
        return 0;
    if (x->s[0] != FC_IR_FP)
        return ~0u;
    uint32_t m = 0;
    for (unsigned i = 0; i < s->nw; i++)
        if ((int64_t)x->imm < (int64_t)s->off[i] + 4 && (int64_t)s->off[i] < (int64_t)x->imm + x->sz)
            m |= 1u << i;
    return m;
}

/* the words known after x, given those known before */
static uint32_t step(const pr *s, const fc_ir_insn *x, uint32_t known)
{
    int w = word_of(s, x);
    if (x->op == FC_IR_ST && w >= 0)
        return known | 1u << w;
    return known & ~kills(s, x);
}

/* successors of block b of function fn: up to two */
static unsigned succs(const fc_ir *ir, const fc_ir_func *fn, uint32_t b, uint32_t out[2])
{
    const fc_ir_block *bk = &ir->blk[b];
    unsigned n = 0, fall = 1;
    for (uint32_t k = bk->start; k < bk->end; k++) {
        const fc_ir_insn *x = &ir->ins[k];
        if (is_br(x->op) && n < 2)
            out[n++] = x->tgt;
        if (x->op == FC_IR_JMP || x->op == FC_IR_EXIT || x->op == FC_IR_ERR)
            fall = 0;
    }
    if (fall && b + 1 < fn->b0 + fn->nb && n < 2)
        out[n++] = b + 1;
    return n;
}

/* choose the words of function f; 0 if none */
static unsigned choose(pr *s, const fc_ir_func *fn, unsigned maxw, uint64_t excl)
{
    const fc_ir *ir = s->ir;
    int32_t coff[NCAND];
    uint32_t cwt[NCAND], swt[NCAND], bad[(NCAND + 31) / 32] = {0};
    unsigned nc = 0;
    for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
        /* loop depth by eBPF position: backward jumps whose range holds this block */
        unsigned dp = 0;
        for (uint32_t c = fn->b0; c < fn->b0 + fn->nb; c++)
            for (uint32_t k = ir->blk[c].start; k < ir->blk[c].end; k++) {
                const fc_ir_insn *x = &ir->ins[k];
                if (is_br(x->op) && ir->blk[x->tgt].insn <= x->insn && ir->blk[x->tgt].insn <= ir->blk[b].insn &&
                    ir->blk[b].insn <= x->insn)
                    dp++;
            }
        uint32_t wt = 1u << (3u * (dp < 3u ? dp : 3u));
        for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
            const fc_ir_insn *x = &ir->ins[k];
            if ((x->op != FC_IR_LD && x->op != FC_IR_ST) || x->s[0] != FC_IR_FP)
                continue;
            unsigned i;
            for (i = 0; i < nc; i++)
                if (coff[i] == x->imm)
                    break;
            if (i == nc) {
                if (nc == NCAND)
                    continue;
                coff[nc] = x->imm;
                cwt[nc] = swt[nc] = 0;
                nc++;
            }
            if (x->sz != 4 || (x->imm & 3))
                bad[i / 32] |= 1u << (i % 32);
            else if (x->op == FC_IR_LD && x->d[0] != FC_IR_NONE)
                cwt[i] += wt;
            else if (x->op == FC_IR_ST)
                swt[i] += wt;
        }
    }
    s->nw = 0;
    while (s->nw < maxw) {
        unsigned best = NCAND;
        for (unsigned i = 0; i < nc; i++)
            if (!(bad[i / 32] >> (i % 32) & 1u) && !(excl >> i & 1u) && (s->all || cwt[i] >= PROFIT * swt[i]) &&
                cwt[i] &&
                (best == NCAND || cwt[i] > cwt[best]))
                best = i;
        if (best == NCAND)
            break;
        s->cand[s->nw] = (uint8_t)best;
        s->off[s->nw++] = coff[best];
        cwt[best] = 0;
    }
    return s->nw;
}

/* forward: the words known at each block's entry (a greatest fixpoint; none at
 * the function's entry) */
static void known_in(pr *s, const fc_ir_func *fn)
{
    const fc_ir *ir = s->ir;
    int changed;
    for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++)
        s->in[b] = b == fn->b0 ? 0u : ~0u;
    do {
        changed = 0;
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            uint32_t k0 = s->in[b], t[2];
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                const fc_ir_insn *x = &ir->ins[k];
                if (is_br(x->op) && (s->in[x->tgt] & k0) != s->in[x->tgt]) {
                    s->in[x->tgt] &= k0;
                    changed = 1;
                }
                k0 = step(s, x, k0);
            }
            unsigned n = succs(ir, fn, b, t);
            uint32_t last = ir->blk[b].end > ir->blk[b].start ? ir->ins[ir->blk[b].end - 1].op : FC_IR_NOP;
            if (n && t[n - 1] == b + 1 && last != FC_IR_JMP && (s->in[b + 1] & k0) != s->in[b + 1]) {
                s->in[b + 1] &= k0;
                changed = 1;
            }
        }
    } while (changed);
}

/* vregs x reads (implicitly too: for est 0, calls and exits read every
 * eBPF register, as they may; for est 1, the pressure estimate, an exit r0
 * and a call its arguments' low halves: registers never written would
 * otherwise count as live everywhere) */
static uint32_t reads(const fc_ir_insn *x, int est, int entry)
{
    uint32_t m = 0;
    for (unsigned j = 0; j < 5; j++)
        if (x->s[j] != FC_IR_Z && x->s[j] != FC_IR_FP && x->s[j] < FC_IR_NVREG)
            m |= 1u << x->s[j];
    if (x->op == FC_IR_CALL || x->op == FC_IR_CALLH || x->op == FC_IR_CALLX)
        m |= est ? 0u : EBPF_V;
    if (x->op == FC_IR_EXIT)    /* the run's result, or what a caller may read back (r0..r5) */
        m |= est || entry ? 0x6u : 0x1ffeu;
    return m;
}

static uint32_t writes(const fc_ir_insn *x)
{
    uint32_t m = 0;
    for (unsigned j = 0; j < 2; j++)
        if (x->d[j] != FC_IR_FP && x->d[j] < FC_IR_NVREG && x->d[j] != FC_IR_Z)
            m |= 1u << x->d[j];
    if (x->op == FC_IR_CALL)
        m |= 0x1ffeu;   /* r0..r5 come back from the callee */
    return m;
}

/* ins[k] = `d = mov t`: read t for d in the rest of the block until d or t is
 * written. whole: only where that leaves no reader of this d (d is written
 * again in the block before t is, and before a call or exit): the mov is then
 * dead and t lives no longer than d did, so no web grows (a copy of an eBPF
 * register; a temporary is live anyway, its copies are taken up to there). */
static void propagate(fc_ir *ir, uint32_t k, uint32_t end, int whole)
{
    uint8_t d = ir->ins[k].d[0], t = ir->ins[k].s[0];
    for (int pass = whole; pass >= 0; pass--)
        for (uint32_t j = k + 1;; j++) {
            if (j == end)
                return;     /* reached the end: d may be read after the block */
            fc_ir_insn *y = &ir->ins[j];
            if (y->op == FC_IR_CALL || y->op == FC_IR_CALLH || y->op == FC_IR_CALLX || y->op == FC_IR_EXIT)
                return;     /* implicit readers of d */
            if (!pass)
                for (unsigned i = 0; i < 5; i++)
                    if (y->s[i] == d)
                        y->s[i] = t;
            if (writes(y) >> d & 1u)
                break;      /* d written: the copies end here (pass 1: go and replace) */
            if (writes(y) >> t & 1u) {
                if (pass)
                    return; /* t written while this d may still be read */
                break;
            }
        }
}

/*
 * Backward liveness over function f (s->aux: live at each block's entry, a
 * fixpoint), then one more sweep that acts at each instruction on what is
 * live after it. cand NULL: drop every mov this pass made whose result is
 * dead (calls and exits read every register they may). cand set: the
 * pressure estimate (an exit reads r0, calls their operands only, or
 * registers never written would count as live everywhere): for every point
 * where more than nregs vregs are live and a temporary is among them, the
 * candidate (cand[]) of the least-weighted such temporary (the highest
 * number) is set in the result.
 */
static uint64_t sweep(pr *s, uint32_t f, const uint8_t *cand, unsigned nregs)
{
    fc_ir *ir = s->ir;
    const fc_ir_func *fn = &ir->fn[f];
    int entry = fc_ir_is_entry(ir, f), est = cand != NULL, changed;
    uint64_t over = 0;
    for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++)
        s->aux[b] = 0;
    for (int last = 0; last < 2; last++) {
        do {
            changed = 0;
            for (uint32_t b = fn->b0 + fn->nb; b-- > fn->b0;) {
                uint32_t t[2], live = 0;
                unsigned n = succs(ir, fn, b, t);
                for (unsigned i = 0; i < n; i++)
                    live |= s->aux[t[i]];
                for (uint32_t k = ir->blk[b].end; k-- > ir->blk[b].start;) {
                    fc_ir_insn *x = &ir->ins[k];
                    uint32_t tl = live >> FC_IR_T0;
                    if (last && est && tl && fc_ir_popc32(live) > nregs) {
                        unsigned hi = 0;
                        for (unsigned i = 0; i < NTMP; i++)
                            if (tl >> i & 1u)
                                hi = i;
                        over |= (uint64_t)1 << cand[hi];
                    }
                    if (last && !est && (x->op == FC_IR_MOV || x->op == FC_IR_MOVI) && x->pad == DROP + 1u &&
                        !(live >> x->d[0] & 1u)) {
                        /* a block's first instruction stays, as a nop: no block is left empty */
                        x->op = FC_IR_NOP;
                        x->pad = k > ir->blk[b].start ? DROP : 0u;
                        x->d[0] = FC_IR_NONE;
                        x->s[0] = FC_IR_Z;
                        continue;
                    }
                    if (x->op == FC_IR_NOP && x->pad == DROP)
                        continue;
                    live = (live & ~writes(x)) | reads(x, est, entry);
                }
                if (live != s->aux[b]) {
                    s->aux[b] = live;
                    changed = 1;
                }
            }
        } while (changed && !last);
    }
    return over;
}

/* 3. copies forward within blocks (every: each mov of a vreg, not only of a
 * temporary); 4. dead movs dropped, then the instructions packed. Returns the
 * movs dropped. */
static uint32_t copies(pr *s, int every)
{
    fc_ir *ir = s->ir;
    uint32_t n0 = ir->nins;
    for (uint32_t b = 0; b < ir->nblk; b++)
        for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
            fc_ir_insn *x = &ir->ins[k];
            if (x->op != FC_IR_MOV || x->s[0] == FC_IR_Z || x->s[0] == FC_IR_FP || x->s[0] >= FC_IR_NVREG ||
                x->d[0] >= FC_IR_NVREG || x->d[0] == x->s[0])
                continue;
            if (every && !x->pad)
                x->pad = DROP + 1u;
            if (x->pad == DROP + 1u)
                propagate(ir, k, ir->blk[b].end, x->s[0] < FC_IR_T0);
        }
    for (uint32_t f = 0; f < ir->nfn; f++)
        sweep(s, f, NULL, 0);
    uint32_t ni = 0, k = 0;
    for (uint32_t b = 0; b <= ir->nblk; b++) {
        uint32_t bs = b < ir->nblk ? ir->blk[b].start : ir->nins, be = b < ir->nblk ? ir->blk[b].end : ir->nins;
        for (; k < bs; k++)     /* between blocks (a function's filler): kept */
            ir->ins[ni++] = ir->ins[k];
        if (b == ir->nblk)
            break;
        ir->blk[b].start = ni;
        for (; k < be; k++) {
            fc_ir_insn x = ir->ins[k];
            if (x.op == FC_IR_NOP && x.pad == DROP)
                continue;
            if (x.pad == DROP + 1u)
                x.pad = 0;
            ir->ins[ni++] = x;
        }
        ir->blk[b].end = ni;
    }
    ir->nins = ni;
    return n0 - ni;
}

/* the IR's blocks in instruction order, none overlapping (what the
 * lowering makes; fc_ir_opt's copies at a function's end would break it),
 * and no instruction marked (pad) */
static int ordered(const fc_ir *ir)
{
    for (uint32_t b = 0; b < ir->nblk; b++)
        if (ir->blk[b].start < (b ? ir->blk[b - 1].end : 0u) || ir->blk[b].end < ir->blk[b].start ||
            ir->blk[b].end > ir->nins)
            return 0;
    for (uint32_t k = 0; k < ir->nins; k++)
        if (ir->ins[k].pad)
            return 0;
    return 1;
}

static void restore(fc_ir *ir, const fc_ir_insn *old, uint32_t nins, const uint32_t *sbk)
{
    for (uint32_t k = 0; k < nins; k++)
        ir->ins[k] = old[k];
    ir->nins = nins;
    for (uint32_t b = 0; b < ir->nblk; b++) {
        ir->blk[b].start = sbk[2 * b];
        ir->blk[b].end = sbk[2 * b + 1];
    }
}

/* one attempt with the candidates excl[b0 of each function] left out;
 * returns the loads forwarded; cands[f0 block]... the temporaries' candidates */
static uint32_t attempt(pr *s, unsigned maxw, const uint32_t *excl, uint8_t (*tc)[NTMP])
{
    fc_ir *ir = s->ir;
    uint32_t fwd = 0, add = 0;
    ir->promoted = 0;
    for (uint32_t b = 0; b < ir->nblk; b++)
        for (unsigned i = 0; i < NTMP; i++)
            tc[b][i] = 0;
    /* 1. per function: the words, what is known where, the loads made movs,
     *    the stores of the words a load reads marked (pad) */
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const fc_ir_func *fn = &ir->fn[f];
        if (!choose(s, fn, maxw, (uint64_t)excl[2u * fn->b0] | (uint64_t)excl[2u * fn->b0 + 1u] << 32))
            continue;
        for (unsigned i = 0; i < NTMP; i++)
            tc[fn->b0][i] = i < s->nw ? s->cand[i] : 0;
        known_in(s, fn);
        uint32_t used = 0;
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            uint32_t kn = s->in[b];
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                fc_ir_insn *x = &ir->ins[k];
                int w = word_of(s, x);
                uint32_t nk = step(s, x, kn);
                if (x->op == FC_IR_LD && w >= 0 && (kn >> w & 1u) && x->d[0] != FC_IR_NONE) {
                    x->op = FC_IR_MOV;
                    x->fl = 0;
                    x->sz = 0;
                    x->imm = 0;
                    x->s[0] = (uint8_t)(FC_IR_T0 + (unsigned)w);
                    x->pad = DROP + 1u;
                    used |= 1u << w;
                    fwd++;
                }
                kn = nk;
            }
        }
        for (unsigned i = 0; i < s->nw; i++)
            ir->promoted += used >> i & 1u;
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++)
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                fc_ir_insn *x = &ir->ins[k];
                int w = x->op == FC_IR_ST ? word_of(s, x) : -1;
                if (w >= 0 && (used >> w & 1u)) {
                    x->pad = (uint8_t)(MARK + (unsigned)w);
                    add++;
                }
            }
    }
    if (!fwd)
        return 0;
    /* 2. a mov after each marked store, moving the instructions up from the
     *    end (each goes to k + the marked stores before it) */
    uint32_t cnt = 0;
    for (uint32_t b = 0; b < ir->nblk; b++) {
        uint32_t ms = 0;
        for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++)
            ms += ir->ins[k].op == FC_IR_ST && ir->ins[k].pad >= MARK && ir->ins[k].pad < MARK + NTMP;
        ir->blk[b].start += cnt;
        cnt += ms;
        ir->blk[b].end += cnt;
    }
    cnt = add;
    for (uint32_t k = ir->nins; k-- > 0;) {
        fc_ir_insn x = ir->ins[k];
        if (x.op == FC_IR_ST && x.pad >= MARK && x.pad < MARK + NTMP) {
            fc_ir_insn m = x;
            unsigned w = x.pad - MARK;
            cnt--;
            x.pad = 0;
            m.op = (x.fl & FC_IR_K) ? FC_IR_MOVI : FC_IR_MOV;
            m.imm = (x.fl & FC_IR_K) ? (int32_t)x.tgt : 0;
            if (!(x.fl & FC_IR_K) && x.s[1] == FC_IR_Z) {  /* a known-zero half stored */
                m.op = FC_IR_MOVI;
                m.imm = 0;
            }
            m.fl = m.sz = m.cc = 0;
            m.tgt = 0;
            m.d[0] = (uint8_t)(FC_IR_T0 + w);
            m.d[1] = FC_IR_NONE;
            m.s[0] = m.op == FC_IR_MOVI ? FC_IR_Z : x.s[1];
            for (unsigned j = 1; j < 5; j++)
                m.s[j] = FC_IR_Z;
            m.pad = DROP + 1u;
            ir->ins[k + cnt] = x;
            ir->ins[k + cnt + 1] = m;
        } else {
            ir->ins[k + cnt] = x;
        }
    }
    ir->nins += add;
    copies(s, 0);
    return fwd;
}

uint32_t fc_ir_promote(fc_ir *ir, unsigned maxw, unsigned nregs)
{
    pr s0, *s = &s0;
    uint32_t fwd = 0;
    size_t need = (size_t)ir->nins * sizeof(fc_ir_insn) +
                  (size_t)ir->nblk * (6u * sizeof(uint32_t) + NTMP);
    ir->promoted = ir->forwarded = 0;
    if (maxw > NTMP)
        maxw = NTMP;
    if (!ir->optws || need > ir->optlen || !maxw || !ir->nblk)
        return 0;
    if (!ordered(ir))
        return 0;
    uint32_t add = 0;
    for (uint32_t k = 0; k < ir->nins; k++) {
        const fc_ir_insn *x = &ir->ins[k];
        for (unsigned j = 0; j < 7; j++) {      /* no temporary in use */
            uint8_t v = j < 2 ? x->d[j] : x->s[j - 2];
            if (v >= FC_IR_T0 && v < FC_IR_NVREG)
                return 0;
        }
        if (x->op == FC_IR_ST && x->s[0] == FC_IR_FP && x->sz == 4)
            add++;      /* room for a mov after every 4-byte store through fp */
    }
    if (ir->nins + add > ir->inscap)
        return 0;
    *s = (pr){0};
    s->ir = ir;
    s->all = nregs == 0;
    /* scratch: the original instructions and blocks (to start again), per
     * block the words known, liveness, the candidates left out (at a
     * function's first block) and the temporaries' candidates */
    fc_ir_insn *old = ir->optws;
    uint32_t *excl = (uint32_t *)(old + ir->nins);     /* two words per block */
    uint32_t *sbk = excl + 2u * ir->nblk;
    s->in = sbk + 2u * ir->nblk;
    s->aux = s->in + ir->nblk;
    uint8_t (*tc)[NTMP] = (uint8_t (*)[NTMP])(s->aux + ir->nblk);
    uint32_t nins0 = ir->nins;
    for (uint32_t k = 0; k < ir->nins; k++)
        old[k] = ir->ins[k];
    for (uint32_t b = 0; b < ir->nblk; b++) {
        sbk[2 * b] = ir->blk[b].start;
        sbk[2 * b + 1] = ir->blk[b].end;
        excl[2 * b] = excl[2 * b + 1] = 0;
    }
    /* each round leaves out at least one more candidate where the pressure
     * is over the target's registers: at most NTMP + 1 rounds per function */
    for (unsigned round = 0; round <= NTMP + 1u; round++) {
        fwd = attempt(s, maxw, excl, tc);
        if (!fwd)
            break;
        int again = 0;
        for (uint32_t f = 0; f < ir->nfn && !s->all; f++) {
            const fc_ir_func *fn = &ir->fn[f];
            uint64_t over = sweep(s, f, tc[fn->b0], nregs);
            uint64_t ex = (uint64_t)excl[2u * fn->b0] | (uint64_t)excl[2u * fn->b0 + 1u] << 32;
            if (over & ~ex) {
                ex |= over;
                excl[2u * fn->b0] = (uint32_t)ex;
                excl[2u * fn->b0 + 1u] = (uint32_t)(ex >> 32);
                again = 1;
            }
        }
        if (!again)
            break;
        restore(ir, old, nins0, sbk);
        fwd = 0;
    }
    if (!fwd) {
        restore(ir, old, nins0, sbk);
        ir->promoted = 0;
        return 0;
    }
    ir->forwarded = fwd;
    return fwd;
}

uint32_t fc_ir_copyprop(fc_ir *ir)
{
    pr s0, *s = &s0;
    ir->copies = 0;
    if (!ir->optws || (size_t)ir->nblk * sizeof(uint32_t) > ir->optlen)
        return 0;
    if (!ordered(ir))
        return 0;
    *s = (pr){0};
    s->ir = ir;
    s->aux = ir->optws;
    ir->copies = copies(s, 1);
    return ir->copies;
}
