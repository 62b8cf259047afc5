/*
 * sound_check.c - the fact checker (see sound_check.h).
 *
 * The interpreter object this links with is runtime/fc_vm.c compiled with
 * -DFC_VM_OBSERVE=snet_vm_hook -Dfc_vm_run=snet_vm_run (tests/sound/sound.mk),
 * so the hook below runs before every instruction. The hook finds its run
 * from the fc_vm pointer: the VM is the first member of struct run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sound_check.h"

int snet_vm_run(fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t *r0);
void snet_vm_hook(fc_vm *vm, uint32_t pc, uint64_t *reg, uint32_t depth);

const snet_layout snet_layout_emu = {"emu", 0x20100000u, 0x20200000u, 0x20300000u, 0x20400000u,
                                     0x20020000u};
/* near 0: small negative offsets wrap below 0 */
const snet_layout snet_layout_low = {"low", 0x40u, 0x2000u, 0x3000u, 0x4000u, 0x8000u};
/* high: the context straddles nothing but sits just below 2^63, the stack
 * ends 16 bytes below 2^64 (fc_vm_run refuses a stack that ends at 2^64) */
const snet_layout snet_layout_high = {"high", 0x7fffffffffffff00ull, 0x8000000000001000ull,
                                      0xfffffffffff00000ull, 0xfffffffffff10000ull,
                                      0xffffffffffffffffull - SNET_STACK_SIZE - 15u};

void snet_observe(void *ctx, uint32_t insn, const struct fc_av *regs, const struct fc_av *slots,
                  const struct fc_vfy_rel *rel)
{
    snet_states *s = ctx;
    if (insn >= s->n)
        return;
    snet_state *t = &s->st[insn];
    if (t->has)
        s->dup++;
    t->has = 1;
    memcpy(t->r, regs, sizeof t->r);
    memcpy(t->slot, slots, sizeof t->slot);
    memcpy(t->rel, rel, sizeof t->rel);
}

void snet_av_str(const fc_av *v, char *buf, size_t size)
{
    static const char *const kn[] = {"uninit", "scalar", "unknown", "stack", "stack_up",
                                     "ctx", "rodata", "data", "bss"};
    const char *k = v->kind < FC_AV__COUNT ? kn[v->kind] : "?";
    if (fc_av_is_ptr(v))
        snprintf(buf, size, "%s off [%lld, %lld] low %u bits 0x%llx", k, (long long)v->smin,
                 (long long)v->smax, v->lk, (unsigned long long)v->lv);
    else if (fc_av_is_num(v))
        snprintf(buf, size, "%s u[0x%llx, 0x%llx] s[%lld, %lld] low %u bits 0x%llx", k,
                 (unsigned long long)v->umin, (unsigned long long)v->umax, (long long)v->smin,
                 (long long)v->smax, v->lk, (unsigned long long)v->lv);
    else
        snprintf(buf, size, "%s", k);
}

/* ---- one run ------------------------------------------------------------- */
enum { M_CHECK = 1, M_MUTATE = 2, M_REC = 4, M_CMP = 8 };

#define TRACE_CAP 4096u
#define STEP_CAP 200000u   /* facts checked on the first steps only: bounded cost */

typedef struct tstep {
    uint32_t pc;
    uint64_t reg[10];
} tstep;

typedef struct run {
    fc_vm vm;                         /* first: the hook casts back */
    const snet_case *c;
    const snet_layout *lay;
    unsigned mode;
    snet_report *rep;
    uint8_t *mem[5];                  /* ctx, ro, data, bss, stack */
    uint64_t steps;
    int have_prev;
    uint32_t prev, prev_depth;
    uint32_t site[FC_MAX_CALL_DEPTH + 1];  /* site[d]: the local call made at depth d */
    uint64_t rng;
    /* values chosen by a .rodata load (a table lookup: SCALAR, but its index
     * may come from an address): registers and 8-byte stack cells */
    uint16_t taint, taint_saved[FC_MAX_CALL_DEPTH + 1];
    uint8_t cell_taint[SNET_STACK_SIZE / 8];
    uint32_t last_depth;
    tstep *trace;
    uint32_t ntrace, tpos;
    int desync;
} run;

static void viol(run *R, uint32_t pc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void viol(run *R, uint32_t pc, const char *fmt, ...)
{
    snet_report *rep = R->rep;
    rep->n++;
    if (rep->shown >= 12 || rep->len + 300 > sizeof rep->text)
        return;
    rep->shown++;
    int w = snprintf(rep->text + rep->len, sizeof rep->text - rep->len, "  [%s] insn %u: ",
                     R->lay->name, pc);
    if (w > 0)
        rep->len += (size_t)w;
    va_list ap;
    va_start(ap, fmt);
    w = vsnprintf(rep->text + rep->len, sizeof rep->text - rep->len, fmt, ap);
    va_end(ap);
    if (w > 0)
        rep->len += (size_t)w;
    if (rep->len >= sizeof rep->text - 2)
        rep->len = sizeof rep->text - 2;
    rep->text[rep->len++] = '\n';
    rep->text[rep->len] = 0;
}

static uint64_t xs(run *R)
{
    R->rng ^= R->rng >> 12;
    R->rng ^= R->rng << 25;
    R->rng ^= R->rng >> 27;
    return R->rng * 0x2545f4914f6cdd1dull;
}

static uint64_t frame_top(const run *R, uint32_t d)
{
    return R->lay->stack + SNET_STACK_SIZE - (uint64_t)(d - 1) * FC_STACK_SIZE;
}

/* the concrete bases a pointer of this kind may be relative to */
static unsigned bases(const run *R, unsigned kind, uint32_t depth, uint64_t *b)
{
    switch (kind) {
    case FC_AV_STACK: b[0] = frame_top(R, depth); return 1;
    case FC_AV_STACK_UP: {
        unsigned n = 0;
        for (uint32_t d = 1; d < depth; d++)
            b[n++] = frame_top(R, d);
        return n;
    }
    case FC_AV_CTX: b[0] = R->c->ctx_len ? R->lay->ctx : 0; return 1;
    case FC_AV_RODATA: b[0] = R->lay->ro; return 1;
    case FC_AV_DATA: b[0] = R->lay->data; return 1;
    case FC_AV_BSS: b[0] = R->lay->bss; return 1;
    }
    return 0;
}

static uint64_t lowmask(unsigned lk) { return lk >= 64 ? ~0ull : (1ull << lk) - 1; }

/* does concrete x fit abstract v (depth: for the frame bases)? */
static int fits(const run *R, const fc_av *v, uint64_t x, uint32_t depth)
{
    if (v->kind == FC_AV_UNINIT)
        return 1;
    if (fc_av_is_num(v))
        return x >= v->umin && x <= v->umax && (int64_t)x >= v->smin && (int64_t)x <= v->smax &&
               (x & lowmask(v->lk)) == v->lv;
    if (!fc_av_is_ptr(v))
        return 0;                 /* unknown kind: a claim we cannot read */
    uint64_t b[FC_MAX_CALL_DEPTH];
    unsigned nb = bases(R, v->kind, depth, b);
    int unbounded = v->smin <= -FC_AV_INF && v->smax >= FC_AV_INF;
    for (unsigned k = 0; k < nb; k++) {
        int64_t off = (int64_t)(x - b[k]);
        if ((unbounded || (off >= v->smin && off <= v->smax)) &&
            ((uint64_t)off & lowmask(v->lk)) == v->lv)
            return 1;
    }
    return 0;
}

/* val() of a concrete value as the relation sees it; 0: no reading */
static int rel_val(const run *R, const fc_av *v, uint64_t x, uint32_t depth, __int128 *out,
                   unsigned which)
{
    if (fc_av_is_num(v)) {
        *out = (int64_t)x;
        return which == 0;
    }
    if (!fc_av_is_ptr(v))
        return 0;
    uint64_t b[FC_MAX_CALL_DEPTH];
    unsigned nb = bases(R, v->kind, depth, b);
    if (which >= nb)
        return 0;
    *out = (int64_t)(x - b[which]);
    return 1;
}

static void check_val(run *R, uint32_t pc, const fc_av *v, uint64_t x, uint32_t depth,
                      const char *what, unsigned idx)
{
    R->rep->checked++;
    if (fits(R, v, x, depth))
        return;
    char buf[160];
    snet_av_str(v, buf, sizeof buf);
    viol(R, pc, "%s%u = 0x%llx outside the claim %s (depth %u)", what, idx,
         (unsigned long long)x, buf, depth);
}

static uint64_t hi_mask(const fc_insn_info *in, int dead)
{
    return dead ? (uint64_t)in->hi_dead | ((uint64_t)(in->hi_dead2 & 3u) << 8)
                : (uint64_t)in->hi_zero | ((uint64_t)(in->hi_zero2 & 3u) << 8);
}

/* facts that hold after instruction i, seen at the next instruction */
static void after(run *R, uint32_t i, uint64_t *reg)
{
    const fc_insn_info *in = &R->c->info[i];
    if (R->mode & M_CHECK) {
        uint64_t m = hi_mask(in, 0);
        for (unsigned r = 0; r < 10; r++) {
            if (!(m >> r & 1))
                continue;
            R->rep->checked++;
            if (reg[r] >> 32)
                viol(R, i, "hi_zero claims r%u's upper half is 0 after it, but r%u = 0x%llx", r,
                     r, (unsigned long long)reg[r]);
        }
    }
    if (R->mode & M_MUTATE) {
        uint64_t m = hi_mask(in, 1);
        for (unsigned r = 0; r < 10; r++)
            if (m >> r & 1)
                reg[r] = (reg[r] & 0xffffffffu) | (xs(R) << 32);
    }
}

static int is_local_call(fc_insn x)
{
    return x.op == (FC_CLS_JMP | FC_JMP_CALL) && fc_src(x) == FC_CALL_LOCAL;
}
static int is_exit(fc_insn x) { return x.op == (FC_CLS_JMP | FC_JMP_EXIT); }

static void check_before(run *R, uint32_t pc, uint64_t *reg, uint32_t depth)
{
    const snet_case *c = R->c;
    const snet_state *s = &c->st[pc];
    const fc_insn x = c->insns[pc];
    char buf[160];

    if (!c->info[pc].reachable)
        viol(R, pc, "executed, but fc_insn_info says unreachable");
    if (!s->has) {
        viol(R, pc, "executed, but the analysis never reached it (no state)");
        return;
    }
    for (unsigned r = 0; r < FC_NREGS; r++)
        check_val(R, pc, &s->r[r], reg[r], depth, "r", r);
    uint64_t r10 = frame_top(R, depth);
    for (unsigned k = 0; k < FC_VFY_NSLOTS; k++) {
        if (s->slot[k].kind == FC_AV_UNINIT)
            continue;
        uint64_t a = r10 - FC_STACK_SIZE + 8u * k;
        const uint8_t *p = fc_vm_translate(&R->vm, a, 8, FC_PERM_R);
        if (!p) {
            viol(R, pc, "slot %u (r10%+d) is claimed but not mapped", k, (int)(8 * k) - 512);
            continue;
        }
        uint64_t val = 0;
        for (unsigned b = 0; b < 8; b++)
            val |= (uint64_t)p[b] << (8 * b);
        R->rep->checked++;
        if (!fits(R, &s->slot[k], val, depth)) {
            snet_av_str(&s->slot[k], buf, sizeof buf);
            viol(R, pc, "stack slot r10%+d = 0x%llx outside the claim %s", (int)(8 * k) - 512,
                 (unsigned long long)val, buf);
        }
    }
    for (unsigned r = 0; r < FC_NREGS; r++) {
        const fc_vfy_rel *l = &s->rel[r];
        if (l->q == FC_VFY_REL_NONE || l->q >= FC_NREGS || s->r[r].kind == FC_AV_UNINIT)
            continue;
        __int128 vq, vr;
        if (!rel_val(R, &s->r[l->q], reg[l->q], depth, &vq, 0))
            continue;
        int ok = 0, any = 0;
        for (unsigned w = 0; w < FC_MAX_CALL_DEPTH && rel_val(R, &s->r[r], reg[r], depth, &vr, w);
             w++) {
            any = 1;
            __int128 d = vr - (__int128)l->k * vq;
            if (d >= l->clo && d <= l->chi)
                ok = 1;
        }
        if (!any)
            continue;
        R->rep->checked++;
        if (!ok)
            viol(R, pc, "relation r%u - %d * r%u in [%lld, %lld] broken: r%u = 0x%llx, r%u = 0x%llx",
                 r, (int)l->k, l->q, (long long)l->clo, (long long)l->chi, r,
                 (unsigned long long)reg[r], l->q, (unsigned long long)reg[l->q]);
    }
    if (c->info[pc].access == FC_ACC_PROVEN) {
        unsigned cls = FC_CLASS(x.op), size = fc_size_bytes(x.op), perm;
        unsigned base = cls == FC_CLS_LDX ? fc_src(x) : fc_dst(x);
        if (cls == FC_CLS_LDX)
            perm = FC_PERM_R;
        else if (cls == FC_CLS_STX && FC_MODE(x.op) == FC_MODE_ATOMIC)
            perm = FC_PERM_RW;
        else
            perm = FC_PERM_W;
        uint64_t ea = reg[base] + (uint64_t)(int64_t)x.off;
        R->rep->proven++;
        R->rep->checked++;
        if (!fc_vm_translate(&R->vm, ea, size, perm))
            viol(R, pc, "PROVEN %u-byte %s at 0x%llx (r%u%+d) is not allowed concretely", size,
                 perm == FC_PERM_R ? "load" : perm == FC_PERM_W ? "store" : "atomic",
                 (unsigned long long)ea, base, (int)x.off);
    }
    if (is_exit(x) && (R->mode & M_CHECK))
        after(R, pc, reg);   /* an exit changes no register */
}

/* stack cells [a, a+n) inside the stack area: first index and count */
static int cells(const run *R, uint64_t a, unsigned n, unsigned *first, unsigned *cnt)
{
    uint64_t lo = R->lay->stack;
    if (a < lo || a - lo >= SNET_STACK_SIZE || n > SNET_STACK_SIZE - (a - lo))
        return 0;
    *first = (unsigned)((a - lo) / 8);
    *cnt = (unsigned)((a - lo + n - 1) / 8) - *first + 1;
    return 1;
}

/* the taint after instruction pc (run before it, with its operands) */
static void taint_step(run *R, uint32_t pc, const uint64_t *reg, uint32_t depth)
{
    const fc_insn x = R->c->insns[pc];
    unsigned cls = FC_CLASS(x.op), d = fc_dst(x), sr = fc_src(x), op = FC_OPCODE_OP(x.op);
    uint16_t db = (uint16_t)(1u << d), sb = (uint16_t)(1u << sr);
    unsigned f, n, size = fc_size_bytes(x.op);
    switch (cls) {
    case FC_CLS_ALU:
    case FC_CLS_ALU64:
        if (op == FC_ALU_MOV)
            R->taint = (uint16_t)((R->taint & ~db) | ((x.op & FC_SRC_X) && (R->taint & sb) ? db : 0));
        else if (x.op & FC_SRC_X)
            R->taint |= (R->taint & sb) ? db : 0;
        break;
    case FC_CLS_LD:
        R->taint &= (uint16_t)~db;
        break;
    case FC_CLS_LDX: {
        uint64_t a = reg[sr] + (uint64_t)(int64_t)x.off;
        int t = R->c->ro_len && a >= R->lay->ro && a - R->lay->ro < R->c->ro_len;
        if (!t && cells(R, a, size, &f, &n))
            for (unsigned k = 0; k < n; k++)
                t |= R->cell_taint[f + k];
        R->taint = (uint16_t)((R->taint & ~db) | (t ? db : 0));
        break;
    }
    case FC_CLS_ST:
    case FC_CLS_STX: {
        uint64_t a = reg[d] + (uint64_t)(int64_t)x.off;
        int t = cls == FC_CLS_STX && (R->taint & sb);
        if (!cells(R, a, size, &f, &n))
            break;
        if (FC_MODE(x.op) == FC_MODE_ATOMIC) {
            int old = 0;
            for (unsigned k = 0; k < n; k++)
                old |= R->cell_taint[f + k], R->cell_taint[f + k] |= (uint8_t)t;
            if (x.imm == FC_ATOMIC_CMPXCHG)
                R->taint = (uint16_t)((R->taint & ~1u) | (old ? 1u : 0u));
            else if (x.imm & FC_ATOMIC_FETCH)
                R->taint = (uint16_t)((R->taint & ~sb) | (old ? sb : 0));
        } else {
            for (unsigned k = 0; k < n; k++)
                R->cell_taint[f + k] = (uint8_t)(size == 8 ? t : (R->cell_taint[f + k] | t));
        }
        break;
    }
    case FC_CLS_JMP:
        if (x.op == (FC_CLS_JMP | FC_JMP_CALL) && fc_src(x) == FC_CALL_LOCAL) {
            if (depth <= FC_MAX_CALL_DEPTH)
                R->taint_saved[depth] = R->taint;
        } else if (op == FC_JMP_CALL) {
            R->taint &= (uint16_t)~1u;   /* a helper's result: UNKNOWN anyway */
        }
        break;
    }
}

static void cmp_trace(run *R, uint32_t pc, const uint64_t *reg)
{
    if (R->desync || R->tpos >= R->ntrace)
        return;
    const tstep *t = &R->trace[R->tpos++];
    if (t->pc != pc) {
        R->desync = 1;   /* the paths part (a pointer compared with a number): stop here */
        return;
    }
    const snet_state *s = &R->c->st[pc];
    if (!s->has)
        return;
    for (unsigned r = 0; r < 10; r++) {
        if (s->r[r].kind != FC_AV_SCALAR || (R->taint >> r & 1))
            continue;
        R->rep->checked++;
        if (reg[r] != t->reg[r])
            viol(R, pc, "r%u is SCALAR but depends on the memory layout: 0x%llx here, 0x%llx in "
                 "layout emu", r, (unsigned long long)reg[r], (unsigned long long)t->reg[r]);
    }
}

void snet_vm_hook(fc_vm *vm, uint32_t pc, uint64_t *reg, uint32_t depth)
{
    run *R = (run *)vm;
    const snet_case *c = R->c;
    if (pc >= c->n || R->steps++ >= STEP_CAP)
        return;
    if (R->have_prev) {
        fc_insn p = c->insns[R->prev];
        if (is_local_call(p)) {
            /* entering the callee: the call's facts hold when it returns */
        } else if (is_exit(p)) {
            if (depth >= 1 && depth < R->prev_depth)
                after(R, R->site[depth], reg);
        } else {
            after(R, R->prev, reg);
        }
    }
    if (R->mode & M_CHECK)
        check_before(R, pc, reg, depth);
    if (R->mode & M_REC && R->ntrace < TRACE_CAP) {
        tstep *t = &R->trace[R->ntrace++];
        t->pc = pc;
        memcpy(t->reg, reg, sizeof t->reg);
    }
    if (R->mode & M_CMP) {
        if (R->have_prev && depth < R->last_depth && depth >= 1)   /* r6..r9 restored */
            R->taint = (uint16_t)((R->taint & ~0x3c0u) | (R->taint_saved[depth] & 0x3c0u));
        R->last_depth = depth;
        cmp_trace(R, pc, reg);
        taint_step(R, pc, reg, depth);
    }
    if (is_local_call(c->insns[pc]) && depth <= FC_MAX_CALL_DEPTH)
        R->site[depth] = pc;
    R->prev = pc;
    R->prev_depth = depth;
    R->have_prev = 1;
}

static int do_run(run *R, const snet_case *c, const snet_layout *lay, unsigned mode,
                  snet_report *rep, snet_outcome *o)
{
    uint32_t lens[5] = {c->ctx_len, c->ro_len, c->data_len, c->bss_len, SNET_STACK_SIZE};
    const uint8_t *init[4] = {c->ctx, c->ro, c->data, NULL};
    memset(R, 0, offsetof(run, trace));
    R->c = c;
    R->lay = lay;
    R->mode = mode;
    R->rep = rep;
    R->rng = c->mutate_seed | 1;
    for (unsigned k = 0; k < 5; k++) {
        R->mem[k] = malloc(lens[k] ? lens[k] : 1);
        if (!R->mem[k])
            return -1;
        memset(R->mem[k], 0xa5, lens[k] ? lens[k] : 1);
        if (k < 4 && init[k] && lens[k])
            memcpy(R->mem[k], init[k], lens[k]);
        else if (k < 4 && lens[k])
            memset(R->mem[k], 0, lens[k]);
    }
    fc_vm *vm = &R->vm;
    int rc = fc_vm_init(vm, c->insns, c->n, R->mem[4], SNET_STACK_SIZE);
    vm->stack_addr = lay->stack;
    if (c->max_depth)
        vm->max_depth = c->max_depth;
    vm->budget = c->budget ? c->budget : FC_DEFAULT_BUDGET;
    fc_vm_set_helpers(vm, c->helpers, c->nhelpers, c->allow, c->nallow);
    if (rc == FC_OK && c->ctx_len)
        rc = fc_vm_add_region(vm, lay->ctx, R->mem[0], c->ctx_len,
                              c->ctx_perm ? c->ctx_perm : FC_PERM_RW, FC_REGION_CTX);
    if (rc == FC_OK && c->ro_len)
        rc = fc_vm_add_region(vm, lay->ro, R->mem[1], c->ro_len, FC_PERM_R, FC_REGION_RODATA);
    if (rc == FC_OK && c->data_len)
        rc = fc_vm_add_region(vm, lay->data, R->mem[2], c->data_len, FC_PERM_RW, FC_REGION_DATA);
    if (rc == FC_OK && c->bss_len)
        rc = fc_vm_add_region(vm, lay->bss, R->mem[3], c->bss_len, FC_PERM_RW, FC_REGION_BSS);
    uint64_t r0 = 0;
    if (rc == FC_OK)
        rc = snet_vm_run(vm, c->ctx_len ? lay->ctx : 0, c->ctx_len, &r0);
    memset(o, 0, sizeof *o);
    o->err = rc;
    o->r0 = rc == FC_OK ? r0 : 0;
    o->err_pc = rc == FC_OK ? 0 : vm->err_pc;
    o->err_addr = rc == FC_OK ? 0 : vm->err_addr;
    o->budget_left = vm->budget_left;
    o->insns = vm->insn_count;
    return 0;
}

static void free_run(run *R)
{
    for (unsigned k = 0; k < 5; k++) {
        free(R->mem[k]);
        R->mem[k] = NULL;
    }
}

unsigned snet_check(const snet_case *c, const snet_layout *a, const snet_layout *b,
                    snet_outcome *oa, snet_report *rep)
{
    run *A = calloc(1, sizeof *A), *M = calloc(1, sizeof *M), *B = calloc(1, sizeof *B);
    tstep *trace = malloc(TRACE_CAP * sizeof *trace);
    snet_outcome om, ob;
    memset(rep, 0, sizeof *rep);
    if (!A || !M || !B || !trace) {
        rep->n = 1;
        snprintf(rep->text, sizeof rep->text, "  out of memory\n");
        free(A), free(M), free(B), free(trace);
        return 1;
    }
    A->trace = trace;
    if (do_run(A, c, a, M_CHECK | M_REC, rep, oa) == 0 && do_run(M, c, a, M_MUTATE, rep, &om) == 0) {
        if (om.err != oa->err || om.r0 != oa->r0 || om.err_pc != oa->err_pc ||
            om.err_addr != oa->err_addr || om.budget_left != oa->budget_left)
            viol(M, om.err_pc, "hi_dead: with the dead upper halves changed the run ends %s r0=0x%llx "
                 "pc=%u addr=0x%llx budget %llu, not %s r0=0x%llx pc=%u addr=0x%llx budget %llu",
                 fc_err_str(om.err), (unsigned long long)om.r0, om.err_pc,
                 (unsigned long long)om.err_addr, (unsigned long long)om.budget_left,
                 fc_err_str(oa->err), (unsigned long long)oa->r0, oa->err_pc,
                 (unsigned long long)oa->err_addr, (unsigned long long)oa->budget_left);
        uint32_t lens[5] = {c->ctx_len, 0, c->data_len, c->bss_len, SNET_STACK_SIZE};
        static const char *const nm[5] = {"context", "", ".data", ".bss", "stack"};
        for (unsigned k = 0; k < 5; k++)
            if (lens[k] && memcmp(A->mem[k], M->mem[k], lens[k])) {
                uint32_t at = 0;
                while (A->mem[k][at] == M->mem[k][at])
                    at++;
                viol(M, om.err_pc, "hi_dead: with the dead upper halves changed the %s differs "
                     "at byte %u (0x%02x, not 0x%02x)", nm[k], at, M->mem[k][at], A->mem[k][at]);
                break;
            }
        B->trace = trace;
        B->ntrace = A->ntrace;
        do_run(B, c, b, M_CHECK | M_CMP, rep, &ob);
    }
    free_run(A), free_run(M), free_run(B);
    free(A), free(M), free(B), free(trace);
    return rep->n;
}
