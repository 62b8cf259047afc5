/*
 * Property tests of the abstract domain (compiler/fc_analysis.c): for every
 * ALU transfer and every branch refinement, random abstract values (ranges
 * and known low bits around the edges 0, +-1, 2^31, 2^32, 2^63, 2^64-1,
 * FC_AV_INF, frame and section bounds) and random concrete members of them
 * (a pointer: a concrete base address anywhere, near 0, 2^32 and 2^64
 * included, plus a member offset) go through the concrete semantics
 * (fc_alu_eval, the branch condition); the abstract result must contain the
 * concrete one in every view (unsigned, signed, known bits, pointer offset).
 * A branch edge the domain calls impossible must be impossible for every
 * member; the refined states of the edge a concrete pair takes must still
 * contain the pair.
 *
 * Pointer members: a pointer of kind K with offset set O stands for the
 * addresses base[K] + o (mod 2^64), o in O; a finite O is an integer range,
 * an unbounded one ([-FC_AV_INF, FC_AV_INF]) every offset with the known low
 * bits. Two pointers of one kind share the base. For unsigned pointer
 * compares with a window (fc_av_branch_win) the bases are drawn so that the
 * window's promise holds (base + lo >= 0, base + hi + 1 <= 2^64), including
 * both extremes.
 *
 * Seeded (fixed), a few hundred thousand concrete cases per operation.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fc_analysis.h"

#define INF FC_AV_INF
#define M32 0xffffffffull

static uint64_t rs;
static uint64_t rnd(void)
{
    uint64_t x = rs;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rs = x;
}
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

static const uint64_t edges[] = {
    0, 1, 2, 7, 8, 255, 256, 511, 512, 0x7fff, 0x8000, 0xffff, 0x10000,
    0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull, 0x1ffffffffull,
    (uint64_t)INF - 1, (uint64_t)INF, (uint64_t)INF + 1, (uint64_t)-INF, (uint64_t)-INF + 1,
    (uint64_t)-INF - 1, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
    0xfffffffeull, 0xffffffff00000000ull, 0xffffffff80000000ull, 0xfffffffffffffe00ull,
    0xfffffffffffffff8ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
};
#define NEDGES (sizeof edges / sizeof edges[0])

/* an interesting 64-bit value */
static uint64_t pick(void)
{
    switch (rnd() % 6) {
    case 0: return below(600);
    case 1: return (uint64_t)-(int64_t)below(600);
    case 2: return rnd();
    case 3: {
        uint64_t x = rnd();
        return x >> (rnd() % 64);
    }
    default: {
        uint64_t e = edges[below(NEDGES)];
        return e + below(5) - 2;
    }
    }
}

/* an interesting offset, |o| < INF */
static int64_t pick_off(void)
{
    static const int64_t o[] = {0, 1, -1, -8, -16, -504, -511, -512, -513, 8, 64, 511, 512, 513,
                                0x7fffffff, 0x80000000ll, 0xffffffffll, 0x100000000ll,
                                -0x80000000ll, -0x100000000ll, INF - 1, -(INF - 1), INF / 2, -(INF / 2)};
    int64_t v;
    switch (rnd() % 4) {
    case 0: v = (int64_t)below(1024) - 512; break;
    case 1: v = (int64_t)(rnd() % (2 * (uint64_t)INF - 1)) - (INF - 1); break;
    default:
        v = o[below(sizeof o / sizeof o[0])];
        v += (int64_t)below(5) - 2;
        break;
    }
    if (v >= INF) v = INF - 1;
    if (v <= -INF) v = -(INF - 1);
    return v;
}

static uint64_t lmask(unsigned k) { return k >= 64 ? ~0ull : (1ull << k) - 1; }

static int low_ok(const fc_av *a, uint64_t c)
{
    return ((c ^ a->lv) & lmask(a->lk)) == 0;
}

static int num_member(const fc_av *a, uint64_t c)
{
    return c >= a->umin && c <= a->umax && (int64_t)c >= a->smin && (int64_t)c <= a->smax && low_ok(a, c);
}

static int ptr_bounded(const fc_av *a) { return a->smin > -INF && a->smax < INF; }

static int member(const fc_av *a, uint64_t c, const uint64_t *base)
{
    if (fc_av_is_num(a))
        return num_member(a, c);
    if (fc_av_is_ptr(a)) {
        uint64_t off = c - base[a->kind];
        if (!low_ok(a, off))
            return 0;
        if (!ptr_bounded(a))
            return a->smin == -INF && a->smax == INF;
        return (int64_t)off >= a->smin && (int64_t)off <= a->smax;
    }
    return 0;
}

/* A random number value with ns members in s[]. */
static fc_av gen_num(unsigned kind, uint64_t *s, int ns)
{
    uint64_t v[6];
    int n = 1 + (int)below(5);
    unsigned lk = rnd() % 3 == 0 ? (unsigned)below(8) + 1 : rnd() % 8 == 0 ? 32 + (unsigned)below(2) * 31 : 0;
    uint64_t lm = lmask(lk), lv = rnd() & lm;
    v[0] = pick();
    for (int k = 1; k < n; k++)
        v[k] = rnd() % 2 ? v[0] + below(70) - 10 : pick();
    if (lk)
        for (int k = 0; k < n; k++)
            v[k] = (v[k] & ~lm) | lv;
    uint64_t umin = v[0], umax = v[0];
    int64_t smin = (int64_t)v[0], smax = (int64_t)v[0];
    for (int k = 1; k < n; k++) {
        if (v[k] < umin) umin = v[k];
        if (v[k] > umax) umax = v[k];
        if ((int64_t)v[k] < smin) smin = (int64_t)v[k];
        if ((int64_t)v[k] > smax) smax = (int64_t)v[k];
    }
    /* sometimes a looser range than the members need */
    if (rnd() % 4 == 0) {
        uint64_t d = below(1000);
        umin = umin >= d ? umin - d : 0;
    }
    if (rnd() % 4 == 0) {
        uint64_t d = below(1000);
        umax = umax + d >= umax ? umax + d : ~0ull;
    }
    if (rnd() % 8 == 0) {
        umin = 0;
        umax = ~0ull;
    }
    if (rnd() % 8 == 0) {
        smin = INT64_MIN;
        smax = INT64_MAX;
    }
    fc_av a = fc_av_make(kind, umin, umax, smin, smax);
    if (lk && a.lk < 64) {
        a.lk = (uint8_t)lk;
        a.lv = lv;
        cr_assert(fc_av_meet_srange(&a, a.smin, a.smax), "generator: empty value");
    }
    for (int k = 0; k < ns; k++) {
        uint64_t c = 0;
        int tries = 0;
        do {
            switch (k < n ? 0 : rnd() % 6) {
            case 0: c = v[k % n]; break;
            case 1: c = a.umin; break;
            case 2: c = a.umax; break;
            case 3: c = (uint64_t)a.smin; break;
            case 4: c = (uint64_t)a.smax; break;
            default:
                c = a.umax - a.umin == ~0ull ? rnd() : a.umin + below(a.umax - a.umin + 1);
                break;
            }
            if (a.lk < 64)
                c = (c & ~lmask(a.lk)) | a.lv;
        } while (!num_member(&a, c) && ++tries < 30);
        if (tries >= 30)
            c = v[k % n];
        cr_assert(num_member(&a, c), "generator: sample not a member");
        s[k] = c;
    }
    return a;
}

/* A random pointer of `kind`; members base + off in s[]. `near`: offsets
 * worth hitting (window edges), may be NULL. */
static fc_av gen_ptr(unsigned kind, uint64_t base, uint64_t *s, int ns, const int64_t *near, int nnear)
{
    fc_av a;
    int64_t o[6];
    int n = 1 + (int)below(4);
    memset(&a, 0, sizeof a);
    a.kind = (uint8_t)kind;
    a.umin = 0;
    a.umax = ~0ull;
    if (rnd() % 5 == 0) { /* unbounded */
        a.lk = (uint8_t)(rnd() % 3 == 0 ? below(6) : 0);
        a.lv = rnd() & lmask(a.lk);
        a.smin = -INF;
        a.smax = INF;
        for (int k = 0; k < ns; k++) {
            uint64_t off = rnd() % 3 == 0 ? (uint64_t)pick_off() : rnd() % 2 ? pick() : pick() - base;
            s[k] = base + ((off & ~lmask(a.lk)) | a.lv);
        }
        return a;
    }
    for (int k = 0; k < n; k++) {
        if (near && nnear && rnd() % 2) {
            o[k] = near[below((uint64_t)nnear)];
            o[k] += (int64_t)below(3) - 1;
        }
        else if (k && rnd() % 2)
            o[k] = o[0] + (int64_t)below(40) - 20;
        else
            o[k] = pick_off();
        if (o[k] >= INF) o[k] = INF - 1;
        if (o[k] <= -INF) o[k] = -(INF - 1);
    }
    unsigned lk = rnd() % 3 == 0 ? 1 + (unsigned)below(4) : 0;
    uint64_t lv = rnd() & lmask(lk);
    if (lk)
        for (int k = 0; k < n; k++) {
            int64_t t = (int64_t)(((uint64_t)o[k] & ~lmask(lk)) | lv);
            o[k] = t >= INF || t <= -INF ? o[0] : t;
        }
    int64_t lo = o[0], hi = o[0];
    for (int k = 1; k < n; k++) {
        if (o[k] < lo) lo = o[k];
        if (o[k] > hi) hi = o[k];
    }
    unsigned common = 64;
    for (int k = 1; k < n; k++) {
        uint64_t d = (uint64_t)o[k] ^ (uint64_t)o[0];
        unsigned z = d ? (unsigned)__builtin_ctzll(d) : 64;
        if (z < common) common = z;
    }
    if (common > 6 && common < 64)
        common = 6;
    a.smin = lo;
    a.smax = hi;
    if (lo == hi) {
        a.lk = 64;
        a.lv = (uint64_t)lo;
    } else {
        a.lk = (uint8_t)(rnd() % 2 ? common : 0);
        a.lv = (uint64_t)o[0] & lmask(a.lk);
    }
    for (int k = 0; k < ns; k++) {
        int64_t off;
        if (k < n || rnd() % 2) {
            off = o[k % n];
        } else {
            off = lo + (int64_t)below((uint64_t)(hi - lo) + 1);
            off = (int64_t)(((uint64_t)off & ~lmask(a.lk < 64 ? a.lk : 0)) | (a.lk < 64 ? a.lv : 0));
            if (off < lo || off > hi)
                off = o[0];
        }
        s[k] = base + (uint64_t)off;
    }
    return a;
}

static uint64_t pick_base(void)
{
    static const uint64_t b[] = {0, 8, 512, 0x1000, 0x20021000ull, 0xfffffe00ull, 0xfffffff8ull,
                                 0x100000000ull, 0x100000200ull, 0x8000000000000000ull,
                                 0xfffffffffffffe00ull, 0xfffffffffffffff8ull, 0xffffffffffffffffull};
    switch (rnd() % 3) {
    case 0: return rnd();
    case 1: return rnd() & M32;
    default: {
        uint64_t x = b[below(sizeof b / sizeof b[0])];
        return x + below(3) * 8;
    }
    }
}

static void fmt_av(char *buf, size_t n, const fc_av *a)
{
    snprintf(buf, n, "{k%u lk%u lv%llx u[%llx,%llx] s[%lld,%lld]}", a->kind, a->lk,
             (unsigned long long)a->lv, (unsigned long long)a->umin, (unsigned long long)a->umax,
             (long long)a->smin, (long long)a->smax);
}

/* ---- ALU -------------------------------------------------------------------- */
static int alu_rows(fc_insn *out, int cap)
{
    int n = 0;
    for (unsigned k = 1; k < FC_OP_COUNT && n < cap; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        unsigned cls = FC_CLASS(r->opcode);
        if (cls != FC_CLS_ALU && cls != FC_CLS_ALU64)
            continue;
        int16_t off = r->disc == FC_DISC_OFF ? r->disc_value : 0;
        int32_t imm = r->disc == FC_DISC_IMM ? r->disc_value : 0;
        out[n++] = fc_insn_make(r->opcode, 0, (r->opcode & FC_SRC_X) ? 1 : 0, off, imm);
    }
    return n;
}

#define NS 5
#define ALU_VALUES 14000   /* abstract pairs per row; NS*NS concrete cases each */

Test(domain, alu_transfers_contain_every_concrete_result, .timeout = 120)
{
    fc_insn rows[128];
    int nr = alu_rows(rows, 128);
    uint64_t checked = 0, ptrcases = 0;
    rs = 0x9e3779b97f4a7c15ull;
    cr_assert_gt(nr, 60, "only %d ALU rows in the opcode table", nr);
    for (int row = 0; row < nr; row++) {
        for (int t = 0; t < ALU_VALUES; t++) {
            fc_insn op = rows[row];
            unsigned opc = FC_OPCODE_OP(op.op);
            int x = (op.op & FC_SRC_X) && opc != FC_ALU_END;
            uint64_t base[FC_AV__COUNT], sa[NS], sb[NS];
            for (unsigned k = 0; k < FC_AV__COUNT; k++)
                base[k] = pick_base();
            fc_av a, b;
            unsigned pk = FC_AV_STACK + (unsigned)below(FC_AV__COUNT - FC_AV_STACK);
            int ap = rnd() % 4 == 0, bp = x && rnd() % 4 == 0;
            if (ap)
                a = gen_ptr(pk, base[pk], sa, NS, NULL, 0);
            else
                a = gen_num(rnd() % 2 ? FC_AV_SCALAR : FC_AV_UNKNOWN, sa, NS);
            if (bp) {
                unsigned qk = rnd() % 2 ? pk : FC_AV_STACK + (unsigned)below(FC_AV__COUNT - FC_AV_STACK);
                b = gen_ptr(qk, base[qk], sb, NS, NULL, 0);
            } else {
                b = gen_num(rnd() % 2 ? FC_AV_SCALAR : FC_AV_UNKNOWN, sb, NS);
            }
            if (!x && opc != FC_ALU_END && opc != FC_ALU_NEG)
                op.imm = (int32_t)(rnd() % 3 ? (uint32_t)sb[0] : (uint32_t)pick());
            if (ap || bp)
                ptrcases++;
            fc_av r = fc_av_alu(&op, &a, &b);
            for (int i = 0; i < NS; i++)
                for (int j = 0; j < NS; j++) {
                    uint64_t c = fc_alu_eval(&op, sa[i], sb[j]);
                    checked++;
                    if (member(&r, c, base))
                        continue;
                    char ta[96], tb[96], tr[96];
                    fmt_av(ta, sizeof ta, &a);
                    fmt_av(tb, sizeof tb, &b);
                    fmt_av(tr, sizeof tr, &r);
                    cr_assert_fail("op 0x%02x off %d imm %d: a=%s b=%s (bases %llx %llx) "
                                   "%llx op %llx = %llx not in %s",
                                   op.op, op.off, op.imm, ta, tb, (unsigned long long)base[a.kind],
                                   (unsigned long long)base[b.kind], (unsigned long long)sa[i],
                                   (unsigned long long)sb[j], (unsigned long long)c, tr);
                }
        }
    }
    fprintf(stderr, "domain: alu: %d rows, %llu concrete cases (%llu per row), %llu abstract pairs with a pointer\n",
            nr, (unsigned long long)checked, (unsigned long long)(checked / (uint64_t)nr),
            (unsigned long long)ptrcases);
}

/* ---- branches ------------------------------------------------------------------ */
static int cond_holds(const fc_insn *in, uint64_t a, uint64_t b)
{
    int is32 = FC_CLASS(in->op) == FC_CLS_JMP32;
    if (!(in->op & FC_SRC_X))
        b = is32 ? (uint64_t)(uint32_t)in->imm : (uint64_t)(int64_t)in->imm;
    if (is32) {
        a &= M32;
        b &= M32;
    }
    int64_t sa = is32 ? (int64_t)(int32_t)a : (int64_t)a, sb = is32 ? (int64_t)(int32_t)b : (int64_t)b;
    switch (FC_OPCODE_OP(in->op)) {
    case FC_JMP_JEQ: return a == b;
    case FC_JMP_JNE: return a != b;
    case FC_JMP_JGT: return a > b;
    case FC_JMP_JGE: return a >= b;
    case FC_JMP_JLT: return a < b;
    case FC_JMP_JLE: return a <= b;
    case FC_JMP_JSGT: return sa > sb;
    case FC_JMP_JSGE: return sa >= sb;
    case FC_JMP_JSLT: return sa < sb;
    case FC_JMP_JSLE: return sa <= sb;
    case FC_JMP_JSET: return (a & b) != 0;
    }
    cr_assert_fail("not a conditional jump");
    return 0;
}

/* A window (fc_av_win) and bases that keep its promise. */
static void gen_window(fc_av_win *w, uint64_t *base)
{
    static const int64_t lens[] = {1, 2, 8, 64, 512, 4096, 0x10000, 0x7fffffff, 0xffffffffll};
    for (unsigned k = 0; k < FC_AV__COUNT; k++) {
        w->lo[k] = 0;
        w->hi[k] = -1;
        base[k] = pick_base();
        if (k < FC_AV_STACK || k == FC_AV_STACK_UP || rnd() % 8 == 0)
            continue; /* no window */
        if (k == FC_AV_STACK) {
            w->lo[k] = -512;
            w->hi[k] = -1;
        } else {
            w->lo[k] = 0;
            w->hi[k] = lens[below(sizeof lens / sizeof lens[0])] - 1;
        }
        /* the base as an integer B: B + lo >= 0, B + hi + 1 <= 2^64 (B = 2^64
         * is a stack whose top is the end of the address space: r10 = 0) */
        unsigned __int128 bmin = (unsigned __int128)(-w->lo[k]),
                          bmax = ((unsigned __int128)1 << 64) - (unsigned __int128)(w->hi[k] + 1), B;
        switch (rnd() % 4) {
        case 0: B = bmin; break;
        case 1: B = bmax; break;
        default:
            B = (unsigned __int128)rnd() << 32;
            B ^= rnd();
            B = bmin + B % (bmax - bmin + 1);
            if (rnd() % 2)
                B = rnd() % 2 ? bmin + below(4096) : bmax - below(4096);
            break;
        }
        base[k] = (uint64_t)B;
    }
}

#define BR_VALUES 30000   /* abstract pairs per (op, class, form); both edges */

Test(domain, branch_refinements_keep_every_concrete_pair, .timeout = 120)
{
    static const unsigned ops[] = {FC_JMP_JEQ, FC_JMP_JNE, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JLT, FC_JMP_JLE,
                                   FC_JMP_JSGT, FC_JMP_JSGE, FC_JMP_JSLT, FC_JMP_JSLE, FC_JMP_JSET};
    uint64_t checked = 0, impossible = 0, ptrpairs = 0, refined_ptr = 0;
    rs = 0xd1b54a32d192ed03ull;
    for (unsigned oi = 0; oi < sizeof ops / sizeof ops[0]; oi++)
        for (unsigned form = 0; form < 4; form++) {
            unsigned cls = form & 1 ? FC_CLS_JMP32 : FC_CLS_JMP, x = form & 2 ? FC_SRC_X : FC_SRC_K;
            for (int t = 0; t < BR_VALUES; t++) {
                fc_insn in = fc_insn_make((uint8_t)(cls | x | ops[oi]), 0, x ? 1 : 0, 0, 0);
                fc_av_win w;
                uint64_t base[FC_AV__COUNT], sa[NS], sb[NS];
                int use_win = rnd() % 2;
                gen_window(&w, base);
                unsigned pk = FC_AV_STACK + (unsigned)below(FC_AV__COUNT - FC_AV_STACK);
                int64_t near[6] = {w.lo[pk] - 1, w.lo[pk], w.hi[pk], w.hi[pk] + 1, w.lo[pk] + 8, w.hi[pk] - 8};
                int mode = (int)below(4); /* 0: numbers, 1: ptr vs ptr (one kind), 2: ptr vs number, 3: mixed kinds */
                fc_av a, b;
                if (!x && mode)
                    mode = 2;
                if (mode == 0) {
                    a = gen_num(rnd() % 2 ? FC_AV_SCALAR : FC_AV_UNKNOWN, sa, NS);
                    b = gen_num(FC_AV_SCALAR, sb, NS);
                } else if (mode == 1) {
                    a = gen_ptr(pk, base[pk], sa, NS, near, 6);
                    b = gen_ptr(pk, base[pk], sb, NS, near, 6);
                    ptrpairs++;
                } else if (mode == 2) {
                    if (rnd() % 2) {
                        a = gen_ptr(pk, base[pk], sa, NS, near, 6);
                        b = gen_num(FC_AV_SCALAR, sb, NS);
                    } else {
                        a = gen_num(FC_AV_UNKNOWN, sa, NS);
                        b = gen_ptr(pk, base[pk], sb, NS, near, 6);
                    }
                } else {
                    unsigned qk = FC_AV_STACK + (unsigned)below(FC_AV__COUNT - FC_AV_STACK);
                    a = gen_ptr(pk, base[pk], sa, NS, near, 6);
                    b = gen_ptr(qk, base[qk], sb, NS, NULL, 0);
                }
                if (!x) {
                    in.imm = (int32_t)(rnd() % 2 ? (uint32_t)sb[0] : (uint32_t)pick());
                    b = fc_av_const(FC_AV_SCALAR, cls == FC_CLS_JMP32 ? (uint64_t)(uint32_t)in.imm
                                                                      : (uint64_t)(int64_t)in.imm);
                    for (int k = 0; k < NS; k++)
                        sb[k] = b.umin;
                }
                for (int taken = 0; taken < 2; taken++) {
                    fc_av ra = a, rb = b;
                    int ok = use_win ? fc_av_branch_win(&in, &ra, x ? &rb : NULL, taken, &w)
                                     : fc_av_branch(&in, &ra, x ? &rb : NULL, taken);
                    if (!ok)
                        impossible++;
                    if (mode == 1 && ok && (ra.smin != a.smin || ra.smax != a.smax))
                        refined_ptr++;
                    for (int i = 0; i < NS; i++)
                        for (int j = 0; j < NS; j++) {
                            if (cond_holds(&in, sa[i], sb[j]) != taken)
                                continue;
                            checked++;
                            int good = ok && member(&ra, sa[i], base) && (!x || member(&rb, sb[j], base));
                            if (good)
                                continue;
                            char ta[96], tb[96], tra[96], trb[96];
                            fmt_av(ta, sizeof ta, &a);
                            fmt_av(tb, sizeof tb, &b);
                            fmt_av(tra, sizeof tra, &ra);
                            fmt_av(trb, sizeof trb, &rb);
                            cr_assert_fail("op 0x%02x imm %d taken %d win %d (ok %d): a=%s b=%s bases %llx/%llx "
                                           "pair %llx,%llx -> a'=%s b'=%s",
                                           in.op, in.imm, taken, use_win, ok, ta, tb,
                                           (unsigned long long)base[a.kind], (unsigned long long)base[b.kind],
                                           (unsigned long long)sa[i], (unsigned long long)sb[j], tra, trb);
                        }
                }
            }
        }
    fprintf(stderr, "domain: branches: 11 ops x JMP/JMP32 x K/X, %llu concrete edge cases, "
            "%llu pointer pairs of one kind (%llu edges refined), %llu edges found impossible\n",
            (unsigned long long)checked, (unsigned long long)ptrpairs, (unsigned long long)refined_ptr,
            (unsigned long long)impossible);
    cr_assert_gt(refined_ptr, 1000, "pointer compares were hardly ever refined: the test lost its teeth");
}

/* ---- join, widening, meet --------------------------------------------------------- */
#define JOIN_VALUES 200000

static fc_av gen_any(unsigned *kind_out, const uint64_t *base, uint64_t *s, int ns)
{
    unsigned k = (unsigned)below(8);
    if (k < 2)
        k = k ? FC_AV_SCALAR : FC_AV_UNKNOWN;
    else
        k = FC_AV_STACK + (unsigned)below(FC_AV__COUNT - FC_AV_STACK);
    *kind_out = k;
    return fc_av_is_ptr(&(fc_av){.kind = (uint8_t)k}) ? gen_ptr(k, base[k], s, ns, NULL, 0) : gen_num(k, s, ns);
}

Test(domain, join_widen_and_meet_keep_their_members, .timeout = 120)
{
    uint64_t checked = 0, emptied = 0;
    rs = 0x2545f4914f6cdd1dull;
    for (int t = 0; t < JOIN_VALUES; t++) {
        uint64_t base[FC_AV__COUNT], sa[NS], sb[NS];
        unsigned ka, kb;
        for (unsigned k = 0; k < FC_AV__COUNT; k++)
            base[k] = pick_base();
        fc_av a = gen_any(&ka, base, sa, NS), b;
        if (rnd() % 2) /* often the same kind: the interesting joins */
            b = fc_av_is_ptr(&a) ? gen_ptr(ka, base[ka], sb, NS, NULL, 0) : gen_num(ka, sb, NS);
        else
            b = gen_any(&kb, base, sb, NS);
        fc_av j = fc_av_join(&a, &b), w = fc_av_widen(&a, &b);
        char ta[96], tb[96], tr[96];
        for (int i = 0; i < NS; i++) {
            const uint64_t *s = i % 2 ? sb : sa;
            for (int q = 0; q < 2; q++) {
                const fc_av *r = q ? &w : &j;
                uint64_t c = s[i];
                checked++;
                if (member(r, c, base))
                    continue;
                fmt_av(ta, sizeof ta, &a);
                fmt_av(tb, sizeof tb, &b);
                fmt_av(tr, sizeof tr, r);
                cr_assert_fail("%s: a=%s b=%s: member %llx of %s lost: %s", q ? "widen" : "join", ta, tb,
                               (unsigned long long)c, i % 2 ? "b" : "a", tr);
            }
        }
        /* meet with a signed range (offsets for pointers) around a member */
        int64_t v0 = fc_av_is_ptr(&a) ? (int64_t)(sa[0] - base[a.kind]) : (int64_t)sa[0];
        int64_t lo, hi;
        if (rnd() % 4 == 0 || __builtin_sub_overflow(v0, (int64_t)below(100), &lo))
            lo = (int64_t)pick();
        if (rnd() % 4 == 0 || __builtin_add_overflow(v0, (int64_t)below(100), &hi))
            hi = (int64_t)pick();
        if (lo > v0 && rnd() % 2) lo = v0;
        if (hi < lo) { int64_t x = lo; lo = hi; hi = x; }
        fc_av m = a;
        int ok = fc_av_meet_srange(&m, lo, hi);
        if (!ok)
            emptied++;
        for (int i = 0; i < NS; i++) {
            int64_t v = fc_av_is_ptr(&a) ? (int64_t)(sa[i] - base[a.kind]) : (int64_t)sa[i];
            if (v < lo || v > hi)
                continue;
            checked++;
            if (ok && member(&m, sa[i], base))
                continue;
            fmt_av(ta, sizeof ta, &a);
            fmt_av(tr, sizeof tr, &m);
            cr_assert_fail("meet [%lld, %lld] of %s (ok %d): member %llx lost: %s", (long long)lo, (long long)hi,
                           ta, ok, (unsigned long long)sa[i], tr);
        }
    }
    fprintf(stderr, "domain: join/widen/meet: %d value pairs, %llu membership checks, %llu meets empty\n",
            JOIN_VALUES, (unsigned long long)checked, (unsigned long long)emptied);
}
