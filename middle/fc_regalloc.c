/*
 * fc_regalloc.c - liveness, webs and linear-scan register allocation over
 * the IR (fc_regalloc.h; the design is argued there). Freestanding C99, no
 * allocation: every table is carved from the caller's workspace.
 */
#include "fc_regalloc.h"

#define NONAME 0xffffffffu
#define R05    0x1ffeu          /* vregs 1..12: the lo and hi halves of r0..r5 */

static const char *const cm3_names[16] = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc",
};
/* What the Thumb-2 selector (backends/thumb2/t2_isel.c) leaves free: r0-r8;
 * r9 holds env, r11 the frame base, r10, r12 and lr are its scratch registers */
const fc_ra_target fc_ra_target_cm3 = {
    "cm3", 16, 0x1ffu /* r0-r8 */, 0x500fu /* r0-r3, r12, lr */, cm3_names,
};

static const char *const rv_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
const fc_ra_target fc_ra_target_rv32 = {
    "rv32", 32,
    /* the registers the RV32 selector (backends/rv32/rv_isel.c) leaves free:
     * a0-a7, s2-s9, t5, t6 (s0 env, s1 budget, s11 the frame register; t0-t2,
     * s10 and ra the sequences' scratch; t3, t4 for spilled operands) */
    0xc3fffc00u,
    /* ra, t0-t2, a0-a7, t3-t6 */
    0xf003fce2u, rv_names,
};

/* lx106 (call0 ABI): a2-a7 caller-saved and a12, a13 callee-saved are
 * allocated (8); a0 (the return address, saved by every prologue), a8-a11
 * are the selector's scratch registers, a1 the stack pointer, a14 the env
 * pointer, a15 the frame register (backends/xtensa/xt_isel.c). */
static const char *const lx106_names[16] = {
    "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15",
};
const fc_ra_target fc_ra_target_lx106 = {
    "lx106", 16, 0x30fcu /* a2-a7, a12, a13 */, 0x0ffdu /* a0, a2-a11 */, lx106_names,
};

static const char *const tiny_names[3] = {"x0", "x1", "x2"};
const fc_ra_target fc_ra_target_tiny = {"tiny", 3, 0x7u, 0x3u, tiny_names};

unsigned fc_ra_navail(const fc_ra_target *t)
{
    unsigned n = 0;
    for (uint64_t m = t->avail; m; m &= m - 1u)
        n++;
    return n;
}

static void *carve(uint8_t **p, uint8_t *end, size_t sz, size_t align)
{
    uintptr_t a = ((uintptr_t)*p + (align - 1u)) & ~(uintptr_t)(align - 1u);
    if (a > (uintptr_t)end || sz > (uintptr_t)end - a)
        return NULL;
    *p = (uint8_t *)(a + sz);
    return (void *)a;
}

size_t fc_ra_workspace_size(uint32_t n)
{
    return (size_t)(n + 1u) * FC_RA_BYTES_PER_INSN + 256u;
}

typedef struct rs {
    const fc_ir *ir;
    const fc_ra_target *t;
    fc_ra *ra;
    uint32_t *livein, *base, *callpre, *depth, *lpos, *rank;
    uint32_t *par, *st, *en, *ord, *slotend, *hint, *wt;
    uint32_t bw;                /* weight of an operand in the current block */
    uint16_t *nloc;
    uint32_t namecap, next, mapcap;
    uint32_t cur[FC_IR_NVREG];
    int phase, bad;
} rs;

static unsigned low(uint64_t m)
{
    unsigned p = 0;
    while (!(m >> p & 1u))
        p++;
    return p;
}

static int isvreg(unsigned v)
{
    return v != FC_IR_Z && v != FC_IR_FP && v < FC_IR_NVREG;
}

/* sources read late: results never share a register with them */
static int early(unsigned op)
{
    return (op >= FC_IR_ADD64 && op <= FC_IR_BSWAP64) || op == FC_IR_ATOMIC;
}

static int iscall(unsigned op)
{
    return op == FC_IR_CALLH || op == FC_IR_CALLX || op == FC_IR_CALL;
}

static uint32_t exp_use(const fc_ir_insn *x)
{
    uint32_t m = 0;
    for (unsigned j = 0; j < 5; j++)
        if (isvreg(x->s[j]))
            m |= 1u << x->s[j];
    return m;
}

static uint32_t exp_def(const fc_ir_insn *x)
{
    uint32_t m = 0;
    for (unsigned j = 0; j < 2; j++)
        if (isvreg(x->d[j]))
            m |= 1u << x->d[j];
    return m;
}

/* vregs read by x besides its operands */
static uint32_t imp_use(const rs *s, const fc_ir_insn *x, uint32_t f)
{
    uint32_t m = 0;
    switch (x->op) {
    case FC_IR_CALLH: case FC_IR_CALLX:
        for (unsigned r = 1; r <= 5; r++)
            m |= (1u << FC_IR_LO(r)) | (x->cc >> r & 1u ? 0u : 1u << FC_IR_HI(r));
        return m;
    case FC_IR_CALL:
        return s->ra->entry_live[x->tgt];
    case FC_IR_EXIT:
        return s->ra->ret_live[f];
    default:
        return 0;
    }
}

static uint32_t find(rs *s, uint32_t n)
{
    while (s->par[n] != n) {
        s->par[n] = s->par[s->par[n]];
        n = s->par[n];
    }
    return n;
}

static void unite(rs *s, uint32_t a, uint32_t b)
{
    if (a == NONAME || b == NONAME)
        return;
    a = find(s, a);
    b = find(s, b);
    if (a != b)
        s->par[a < b ? b : a] = a < b ? a : b;
}

static void ext(rs *s, uint32_t n, uint32_t p)
{
    if (n == NONAME)
        return;
    n = find(s, n);
    if (p < s->st[n])
        s->st[n] = p;
    if (p > s->en[n])
        s->en[n] = p;
}

/* an operand of web n: its spill cost grows by the block's weight */
static void occ(rs *s, uint32_t n)
{
    if (n == NONAME)
        return;
    n = find(s, n);
    s->wt[n] = s->wt[n] > 0xffffffffu - s->bw ? 0xffffffffu : s->wt[n] + s->bw;
}

static uint16_t locof(rs *s, uint32_t n)
{
    return n == NONAME ? (uint16_t)FC_RA_NONE : s->nloc[find(s, n)];
}

static uint32_t newname(rs *s)
{
    if (s->next >= s->namecap) {
        s->bad = 1;
        return NONAME;
    }
    uint32_t n = s->next++;
    if (s->phase == 1)
        s->par[n] = n;
    return n;
}

static uint32_t lin(const rs *s, uint32_t b, unsigned v)
{
    return s->base[b] + fc_ir_popc32(s->livein[b] & ((1u << v) - 1u));
}

/* ---- 1. liveness ---------------------------------------------------------- */
static int liveness(rs *s)
{
    const fc_ir *ir = s->ir;
    fc_ra *ra = s->ra;
    int changed;
    do {
        changed = 0;
        for (uint32_t f = ir->nfn; f-- > 0;) {
            const fc_ir_func *fn = &ir->fn[f];
            for (uint32_t b = fn->b0 + fn->nb; b-- > fn->b0;) {
                const fc_ir_block *bk = &ir->blk[b];
                uint32_t live = b + 1 < fn->b0 + fn->nb ? s->livein[b + 1] : 0;
                for (uint32_t k = bk->end; k-- > bk->start;) {
                    const fc_ir_insn *x = &ir->ins[k];
                    switch (x->op) {
                    case FC_IR_JMP: live = s->livein[x->tgt]; break;
                    case FC_IR_BR: case FC_IR_BR64: case FC_IR_GUARD: live |= s->livein[x->tgt]; break;
                    case FC_IR_EXIT: case FC_IR_ERR: live = 0; break;
                    case FC_IR_CALL: {
                        uint32_t r = ra->ret_live[x->tgt] | (live & R05);
                        if (r != ra->ret_live[x->tgt]) {
                            ra->ret_live[x->tgt] = r;
                            changed = 1;
                        }
                        live &= ~(uint32_t)R05;
                        break;
                    }
                    default: break;
                    }
                    live &= ~exp_def(x);
                    live |= exp_use(x) | imp_use(s, x, f);
                }
                if (live != s->livein[b]) {
                    s->livein[b] = live;
                    changed = 1;
                }
            }
            ra->entry_live[f] = s->livein[fn->b0];
        }
    } while (changed);
    return 0;
}

/* ---- 2./3. the walks over one function: names and unions (phase 1),
 * intervals and move hints (phase 2), locations (phase 3) ---------------- */
static void walk(rs *s, uint32_t f)
{
    const fc_ir *ir = s->ir;
    const fc_ir_func *fn = &ir->fn[f];
    fc_ra *ra = s->ra;
    uint32_t nl = 0;
    for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
        s->base[b] = nl;
        nl += fc_ir_popc32(s->livein[b]);
    }
    if (nl > s->namecap) {
        s->bad = 1;
        return;
    }
    if (s->phase == 1)
        for (uint32_t n = 0; n < nl; n++)
            s->par[n] = n;
    s->next = nl;
    if (s->phase == 3)
        for (unsigned v = 0; v < FC_IR_NVREG; v++)
            ra->entry[f][v] = ra->entry_live[f] >> v & 1u ? locof(s, lin(s, fn->b0, v)) : FC_RA_NONE;
    for (uint32_t b = fn->b0; b < fn->b0 + fn->nb && !s->bad; b++) {
        const fc_ir_block *bk = &ir->blk[b];
        uint32_t dp = s->depth[s->rank[b]], off = s->lpos[b] - bk->start;
        s->bw = 1u << (3u * (dp < 6u ? dp : 6u));
        for (unsigned v = 0; v < FC_IR_NVREG; v++) {
            s->cur[v] = s->livein[b] >> v & 1u ? lin(s, b, v) : NONAME;
            if (s->phase == 2)
                ext(s, s->cur[v], 2u * s->lpos[b]);
        }
        for (uint32_t k = bk->start; k < bk->end && !s->bad; k++) {
            const fc_ir_insn *x = &ir->ins[k];
            uint32_t upos = early(x->op) ? 2u * (k + off) + 1u : 2u * (k + off), dpos = 2u * (k + off) + 1u;
            uint32_t im = imp_use(s, x, f), mi = FC_RA_NOMAP;
            uint32_t srcname = NONAME;
            if (s->phase == 3) {
                ra->map[k] = FC_RA_NOMAP;
                if (x->op == FC_IR_CALLH || x->op == FC_IR_CALLX || x->op == FC_IR_CALL ||
                    x->op == FC_IR_EXIT) {
                    if (ra->nmaps >= s->mapcap) {
                        s->bad = 1;
                        return;
                    }
                    mi = ra->map[k] = ra->nmaps++;
                    for (unsigned v = 0; v < FC_IR_NVREG; v++)
                        ra->maps[mi].use[v] = ra->maps[mi].def[v] = FC_RA_NONE;
                }
            }
            for (unsigned j = 0; j < 5; j++) {
                unsigned v = x->s[j];
                uint16_t l = v == FC_IR_Z ? FC_RA_ZERO : v == FC_IR_FP ? FC_RA_FP : FC_RA_NONE;
                if (isvreg(v)) {
                    if (s->phase == 2) {
                        ext(s, s->cur[v], upos);
                        occ(s, s->cur[v]);
                    }
                    if (s->phase == 3)
                        l = locof(s, s->cur[v]);
                    if (j == 0)
                        srcname = s->cur[v];
                }
                if (s->phase == 3) {
                    ra->loc[k][2 + j] = l;
                    if (FC_RA_IS_SLOT(l))
                        ra->reloads++;
                }
            }
            for (unsigned v = 0; v < FC_IR_NVREG; v++)
                if (im >> v & 1u) {
                    if (s->phase == 2) {
                        ext(s, s->cur[v], upos);
                        occ(s, s->cur[v]);
                    }
                    if (s->phase == 3) {
                        uint16_t l = locof(s, s->cur[v]);
                        ra->maps[mi].use[v] = l;
                        if (FC_RA_IS_SLOT(l))
                            ra->reloads++;
                    }
                }
            if (x->op == FC_IR_BR || x->op == FC_IR_BR64 || x->op == FC_IR_GUARD || x->op == FC_IR_JMP) {
                uint32_t lt = s->livein[x->tgt];
                for (unsigned v = 0; v < FC_IR_NVREG; v++)
                    if (lt >> v & 1u) {
                        if (s->phase == 1)
                            unite(s, s->cur[v], lin(s, x->tgt, v));
                        else if (s->phase == 2)
                            ext(s, s->cur[v], 2u * (k + off));
                    }
            }
            if (x->op == FC_IR_CALL)
                for (unsigned v = 0; v < FC_IR_NVREG; v++)
                    if (R05 >> v & 1u)
                        s->cur[v] = NONAME;
            for (unsigned j = 0; j < 2; j++) {
                unsigned v = x->d[j];
                uint16_t l = FC_RA_NONE;
                if (v == FC_IR_FP) {
                    s->bad = 1;
                    return;
                }
                if (isvreg(v)) {
                    uint32_t n = newname(s);
                    if (n == NONAME)
                        return;
                    s->cur[v] = n;
                    if (s->phase == 2) {
                        ext(s, n, dpos);
                        occ(s, n);
                        if (j == 0 && x->op == FC_IR_MOV && srcname != NONAME &&
                            s->hint[find(s, n)] == NONAME)
                            s->hint[find(s, n)] = find(s, srcname);
                    }
                    if (s->phase == 3)
                        l = locof(s, n);
                }
                if (s->phase == 3) {
                    ra->loc[k][j] = l;
                    if (FC_RA_IS_SLOT(l))
                        ra->spill_stores++;
                }
            }
            if (x->op == FC_IR_CALL)
                for (unsigned v = 0; v < FC_IR_NVREG; v++)
                    if (ra->ret_live[x->tgt] >> v & 1u) {
                        uint32_t n = newname(s);
                        if (n == NONAME)
                            return;
                        s->cur[v] = n;
                        if (s->phase == 2) {
                            ext(s, n, dpos);
                            occ(s, n);
                        }
                        if (s->phase == 3) {
                            uint16_t l = locof(s, n);
                            ra->maps[mi].def[v] = l;
                            if (FC_RA_IS_SLOT(l))
                                ra->spill_stores++;
                        }
                    }
            if (s->phase == 3 && x->op == FC_IR_MOV) {
                ra->moves++;
                if (FC_RA_IS_REG(ra->loc[k][0]) && ra->loc[k][0] == ra->loc[k][2])
                    ra->coalesced++;
            }
        }
        unsigned lop = bk->end > bk->start ? ir->ins[bk->end - 1].op : FC_IR_NOP;
        if (lop != FC_IR_JMP && lop != FC_IR_EXIT && lop != FC_IR_ERR && b + 1 < fn->b0 + fn->nb)
            for (unsigned v = 0; v < FC_IR_NVREG; v++)
                if (s->livein[b + 1] >> v & 1u) {
                    if (s->phase == 1)
                        unite(s, s->cur[v], lin(s, b + 1, v));
                    else if (s->phase == 2)
                        ext(s, s->cur[v], 2u * (bk->end + off));
                }
    }
}

/* heap sort of idx[0..n) by key[idx[]] (ties: smaller index first is not
 * promised; the result is deterministic) */
static void sift(uint32_t *a, uint32_t n, uint32_t i, const uint32_t *key)
{
    for (;;) {
        uint32_t c = 2u * i + 1u;
        if (c >= n)
            return;
        if (c + 1 < n && (key[a[c + 1]] > key[a[c]] || (key[a[c + 1]] == key[a[c]] && a[c + 1] > a[c])))
            c++;
        if (key[a[c]] < key[a[i]] || (key[a[c]] == key[a[i]] && a[c] < a[i]))
            return;
        uint32_t t = a[c];
        a[c] = a[i];
        a[i] = t;
        i = c;
    }
}

static void hsort(uint32_t *a, uint32_t n, const uint32_t *key)
{
    for (uint32_t i = n / 2; i-- > 0;)
        sift(a, n, i, key);
    for (uint32_t e = n; e > 1; e--) {
        uint32_t t = a[0];
        a[0] = a[e - 1];
        a[e - 1] = t;
        sift(a, e - 1, 0, key);
    }
}

static int crosses(const rs *s, uint32_t st, uint32_t en)
{
    if (en == 0)
        return 0;
    uint32_t kmin = st / 2u + 1u, kmax = (en - 1u) / 2u;
    return kmin <= kmax && s->callpre[kmax + 1u] - s->callpre[kmin] > 0;
}

static uint32_t slot_for(rs *s, uint32_t w, uint32_t *nsl)
{
    uint32_t k;
    for (k = 0; k < *nsl; k++)
        if (s->slotend[k] < s->st[w])
            break;
    if (k == *nsl) {
        if (*nsl >= FC_RA_MAXSLOTS || *nsl >= s->namecap) {
            s->bad = 1;
            return 0;
        }
        (*nsl)++;
    }
    s->slotend[k] = s->en[w];
    s->nloc[w] = (uint16_t)FC_RA_SLOT(k);
    return k;
}

/* web a costs less to spill than web b (weight / length; ties: the longer) */
static int cheaper(const rs *s, uint32_t a, uint32_t b)
{
    uint64_t la = (uint64_t)s->en[a] - s->st[a] + 1u, lb = (uint64_t)s->en[b] - s->st[b] + 1u;
    uint64_t ca = (uint64_t)s->wt[a] * lb, cb = (uint64_t)s->wt[b] * la;
    return ca < cb || (ca == cb && la > lb);
}

/* ---- 4. linear scan over the webs of one function ------------------------- */
static void scan(rs *s, uint32_t f)
{
    const fc_ra_target *t = s->t;
    uint32_t nw = 0, nsl = 0, act[64], nact = 0;
    uint64_t busy = 0;
    for (uint32_t n = 0; n < s->next; n++)
        if (s->par[n] == n)
            s->ord[nw++] = n;
    hsort(s->ord, nw, s->st);
    for (uint32_t i = 0; i < nw && !s->bad; i++) {
        uint32_t w = s->ord[i];
        for (uint32_t a = 0; a < nact;)
            if (s->en[act[a]] < s->st[w]) {
                busy &= ~((uint64_t)1 << (s->nloc[act[a]] - 1u));
                act[a] = act[--nact];
            } else {
                a++;
            }
        int cr = crosses(s, s->st[w], s->en[w]);
        uint64_t allowed = t->avail & (cr ? ~t->caller_saved : ~(uint64_t)0);
        uint64_t fr = allowed & ~busy;
        int p = -1;
        s->ra->webs++;
        if (cr)
            s->ra->cross_call++;
        uint32_t h = s->hint[w];
        if (h != NONAME && FC_RA_IS_REG(s->nloc[h]) && (fr >> (s->nloc[h] - 1u) & 1u))
            p = (int)s->nloc[h] - 1;
        else if (fr) {
            uint64_t pref = cr ? fr : fr & t->caller_saved;
            p = (int)low(pref ? pref : fr);
        } else {
            /* spill the cheapest: least weight per position of its interval */
            uint32_t best = nact;
            for (uint32_t a = 0; a < nact; a++)
                if ((allowed >> (s->nloc[act[a]] - 1u) & 1u) &&
                    (best == nact || cheaper(s, act[a], act[best])))
                    best = a;
            if (best < nact && cheaper(s, act[best], w)) {
                uint32_t v = act[best];
                p = (int)s->nloc[v] - 1;
                slot_for(s, v, &nsl);
                s->ra->webs_reg--;
                act[best] = act[--nact];
                busy &= ~((uint64_t)1 << p);
            }
        }
        if (p < 0) {
            slot_for(s, w, &nsl);
            continue;
        }
        s->nloc[w] = (uint16_t)FC_RA_REG((unsigned)p);
        busy |= (uint64_t)1 << p;
        act[nact++] = w;
        s->ra->webs_reg++;
    }
    s->ra->nslots[f] = nsl;
    s->ra->slots += nsl;
}

int fc_ra_run(const fc_ir *ir, const fc_ra_target *t, void *ws, size_t ws_len, fc_ra *ra)
{
    rs s0, *s = &s0;
    uint32_t n = ir->ninsns;
    uint8_t *q = ws, *end;

    if (!t || t->nregs == 0 || t->nregs > 64 || !(t->avail & (t->nregs == 64 ? ~(uint64_t)0 :
                                                                ((uint64_t)1 << t->nregs) - 1u)))
        return FC_RA_ETARGET;
    if (t->nregs < 64 && (t->avail >> t->nregs))
        return FC_RA_ETARGET;
    if (!ws || ws_len < fc_ra_workspace_size(n))
        return FC_RA_EWORK;
    if (ir->nins > FC_IR_INSNS_PER_INSN * (n + 1u) || ir->nblk > 2u * (n + 1u) || ir->nfn > n + 1u ||
        !ir->nfn)
        return FC_RA_EPROG;
    end = q + ws_len;
    *ra = (fc_ra){0};
    *s = (rs){0};
    s->ir = ir;
    s->t = t;
    s->ra = ra;
    ra->tgt = t;
    s->namecap = FC_RA_NAMES_PER_INSN * (n + 1u);
    s->mapcap = n + 1u;
    ra->loc = carve(&q, end, (size_t)ir->nins * sizeof *ra->loc, 2);
    ra->map = carve(&q, end, (size_t)ir->nins * 4u, 4);
    ra->maps = carve(&q, end, (size_t)s->mapcap * sizeof(fc_ra_map), 4);
    ra->entry = carve(&q, end, (size_t)ir->nfn * sizeof *ra->entry, 2);
    ra->entry_live = carve(&q, end, (size_t)ir->nfn * 4u, 4);
    ra->ret_live = carve(&q, end, (size_t)ir->nfn * 4u, 4);
    ra->nslots = carve(&q, end, (size_t)ir->nfn * 4u, 4);
    s->livein = carve(&q, end, (size_t)ir->nblk * 4u, 4);
    s->base = carve(&q, end, (size_t)ir->nblk * 4u, 4);
    s->depth = carve(&q, end, ((size_t)ir->nblk + 1u) * 4u, 4);
    s->lpos = carve(&q, end, (size_t)ir->nblk * 4u, 4);
    s->rank = carve(&q, end, (size_t)ir->nblk * 4u, 4);
    s->callpre = carve(&q, end, ((size_t)ir->nins + 1u) * 4u, 4);
    s->par = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->st = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->en = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->ord = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->slotend = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->hint = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->wt = carve(&q, end, (size_t)s->namecap * 4u, 4);
    s->nloc = carve(&q, end, (size_t)s->namecap * 2u, 2);
    if (!ra->loc || !ra->map || !ra->maps || !ra->entry || !ra->entry_live || !ra->ret_live ||
        !ra->nslots || !s->livein || !s->base || !s->callpre || !s->par || !s->st || !s->en || !s->ord ||
        !s->slotend || !s->hint || !s->wt || !s->nloc || !s->depth || !s->lpos || !s->rank)
        return FC_RA_EWORK;

    /* targets inside their function, blocks inside the instructions */
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const fc_ir_func *fn = &ir->fn[f];
        if (fn->b0 + fn->nb > ir->nblk || fn->nb == 0)
            return FC_RA_EPROG;
        ra->entry_live[f] = ra->ret_live[f] = 0;
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            if (ir->blk[b].start > ir->blk[b].end || ir->blk[b].end > ir->nins)
                return FC_RA_EPROG;
            s->livein[b] = 0;
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                const fc_ir_insn *x = &ir->ins[k];
                if ((x->op == FC_IR_BR || x->op == FC_IR_BR64 || x->op == FC_IR_GUARD || x->op == FC_IR_JMP) &&
                    (x->tgt < fn->b0 || x->tgt >= fn->b0 + fn->nb))
                    return FC_RA_EPROG;
                if (x->op == FC_IR_CALL && x->tgt >= ir->nfn)
                    return FC_RA_EPROG;
            }
        }
    }
    /* linear order of the blocks (positions of the intervals): the lowering
     * puts the deferred edge blocks (budget; jmp of a backward conditional
     * jump) at the end of their function, where every web live around the
     * loop would stretch to them; each goes right after the block that
     * branches to it instead. Then the loop depth of each block: a jump
     * from a block back to one at or before it in this order makes the
     * range one loop deeper (difference array over the ranks). */
    uint32_t cur = 0, nrank = 0;
    for (uint32_t b = 0; b < ir->nblk; b++)
        s->lpos[b] = NONAME;
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const fc_ir_func *fn = &ir->fn[f];
        uint32_t tail = fn->b0 + fn->nb;
        for (uint32_t b = fn->b0 + 1; b < fn->b0 + fn->nb; b++)
            if (ir->blk[b].insn < ir->blk[b - 1].insn) {
                tail = b;
                break;
            }
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            if (b >= tail && s->lpos[b] != NONAME)
                continue;
            s->lpos[b] = cur;
            s->rank[b] = nrank++;
            cur += ir->blk[b].end - ir->blk[b].start;
            if (b >= tail)
                continue;
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                const fc_ir_insn *x = &ir->ins[k];
                uint32_t e = x->tgt;
                if ((x->op == FC_IR_BR || x->op == FC_IR_BR64 || x->op == FC_IR_GUARD || x->op == FC_IR_JMP) && e >= tail &&
                    s->lpos[e] == NONAME) {
                    s->lpos[e] = cur;
                    s->rank[e] = nrank++;
                    cur += ir->blk[e].end - ir->blk[e].start;
                }
            }
        }
    }
    for (uint32_t b = 0; b < ir->nblk; b++)
        if (s->lpos[b] == NONAME) {     /* in no function */
            s->lpos[b] = cur;
            s->rank[b] = nrank++;
            cur += ir->blk[b].end - ir->blk[b].start;
        }
    if (cur > ir->nins)
        return FC_RA_EPROG;
    for (uint32_t r = 0; r <= ir->nblk; r++)
        s->depth[r] = 0;
    for (uint32_t b = 0; b < ir->nblk; b++)
        for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
            const fc_ir_insn *x = &ir->ins[k];
            if ((x->op == FC_IR_BR || x->op == FC_IR_BR64 || x->op == FC_IR_GUARD || x->op == FC_IR_JMP) &&
                s->rank[x->tgt] <= s->rank[b]) {
                s->depth[s->rank[x->tgt]]++;
                s->depth[s->rank[b] + 1]--;
            }
        }
    for (uint32_t r = 1; r < ir->nblk; r++)
        s->depth[r] += s->depth[r - 1];
    /* calls before each linear position */
    for (uint32_t k = 0; k <= ir->nins; k++)
        s->callpre[k] = 0;
    for (uint32_t b = 0; b < ir->nblk; b++)
        for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++)
            if (iscall(ir->ins[k].op))
                s->callpre[s->lpos[b] + (k - ir->blk[b].start) + 1u] = 1;
    for (uint32_t k = 0; k < ir->nins; k++)
        s->callpre[k + 1] += s->callpre[k];
    for (uint32_t k = 0; k < ir->nins; k++) {
        ra->map[k] = FC_RA_NOMAP;
        for (unsigned j = 0; j < 7; j++)
            ra->loc[k][j] = FC_RA_NONE;
    }
    for (uint32_t f = 0; f < ir->nfn; f++)     /* an entry function's exit: r0 is the result */
        if (fc_ir_is_entry(ir, f))
            ra->ret_live[f] = (1u << FC_IR_LO(0)) | (1u << FC_IR_HI(0));
    liveness(s);
    for (uint32_t f = 0; f < ir->nfn && !s->bad; f++) {
        s->phase = 1;
        walk(s, f);
        if (s->bad)
            break;
        for (uint32_t k = 0; k < s->next; k++) {
            s->st[k] = 0xffffffffu;
            s->en[k] = 0;
            s->hint[k] = NONAME;
            s->wt[k] = 0;
            s->nloc[k] = FC_RA_NONE;
        }
        s->phase = 2;
        walk(s, f);
        if (s->bad)
            break;
        scan(s, f);
        s->phase = 3;
        walk(s, f);
    }
    return s->bad ? FC_RA_EPROG : FC_RA_OK;
}

/* ---- text ----------------------------------------------------------------- */
static size_t put(char *buf, size_t size, size_t len, const char *t)
{
    while (*t) {
        if (len + 1 < size)
            buf[len] = *t;
        len++;
        t++;
    }
    if (size)
        buf[len < size ? len : size - 1] = 0;
    return len;
}

static size_t putu(char *buf, size_t size, size_t len, uint32_t v)
{
    char t[12];
    unsigned k = sizeof t - 1;
    t[k] = 0;
    do {
        t[--k] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    return put(buf, size, len, t + k);
}

size_t fc_ra_loc_name(const fc_ra *ra, unsigned l, char *buf, size_t size)
{
    if (size)
        buf[0] = 0;
    if (l == FC_RA_ZERO)
        return put(buf, size, 0, "0");
    if (l == FC_RA_FP)
        return put(buf, size, 0, "fp");
    if (FC_RA_IS_REG(l) && l - 1u < ra->tgt->nregs)
        return put(buf, size, 0, ra->tgt->reg_names[l - 1u]);
    if (FC_RA_IS_SLOT(l)) {
        size_t n = put(buf, size, 0, "[s");
        n = putu(buf, size, n, l - 0x100u);
        return put(buf, size, n, "]");
    }
    return put(buf, size, 0, "_");
}

typedef struct fmtctx {
    const fc_ir *ir;
    const fc_ra *ra;
} fmtctx;

static size_t namefn(void *ctx, uint32_t k, int def, unsigned v, char *buf, size_t size)
{
    const fmtctx *c = ctx;
    const fc_ir_insn *x = &c->ir->ins[k];
    unsigned l = v == FC_IR_Z ? FC_RA_ZERO : v == FC_IR_FP ? FC_RA_FP : FC_RA_NONE;
    for (unsigned j = 0; j < (def ? 2u : 5u); j++)
        if ((def ? x->d[j] : x->s[j]) == v) {
            l = c->ra->loc[k][def ? j : 2u + j];
            break;
        }
    return fc_ra_loc_name(c->ra, l, buf, size);
}

static size_t vname(char *buf, size_t size, size_t n, unsigned v)
{
    if (v >= FC_IR_T0) {
        n = put(buf, size, n, "t");
        return putu(buf, size, n, v - FC_IR_T0);
    }
    n = put(buf, size, n, "r");
    n = putu(buf, size, n, (v - 1u) / 2u);
    return put(buf, size, n, (v - 1u) % 2u ? ".hi" : ".lo");
}

static size_t putmap(const fc_ra *ra, const uint16_t *m, char *buf, size_t size, size_t n)
{
    int first = 1;
    n = put(buf, size, n, "{");
    for (unsigned v = 1; v < FC_IR_NVREG; v++)
        if (m[v] != FC_RA_NONE) {
            char t[24];
            if (!first)
                n = put(buf, size, n, " ");
            first = 0;
            n = vname(buf, size, n, v);
            n = put(buf, size, n, "=");
            fc_ra_loc_name(ra, m[v], t, sizeof t);
            n = put(buf, size, n, t);
        }
    return put(buf, size, n, "}");
}

size_t fc_ra_format(const fc_ir *ir, const fc_ra *ra, uint32_t k, char *buf, size_t size)
{
    fmtctx c = {ir, ra};
    size_t n = fc_ir_format_with(ir, k, namefn, &c, buf, size);
    if (ra->map[k] != FC_RA_NOMAP) {
        const fc_ra_map *m = &ra->maps[ra->map[k]];
        n = put(buf, size, n, "  ");
        n = putmap(ra, m->use, buf, size, n);
        if (ir->ins[k].op == FC_IR_CALL) {
            n = put(buf, size, n, " -> ");
            n = putmap(ra, m->def, buf, size, n);
        }
    }
    return n;
}
