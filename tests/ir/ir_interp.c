/*
 * ir_interp.c - the IR reference interpreter (ir_interp.h). Written from the
 * op definitions in middle/fc_ir.h and the sandbox rules of docs/sandbox.md,
 * not from runtime/fc_vm.c, so the two can disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir_interp.h"

int ir_guard_fail;

typedef struct frame {
    uint32_t ret;           /* IR instruction after the call */
    uint32_t save[8];       /* r6..r9 lo, hi */
    uint32_t psave[64];     /* allocated form: the physical registers at the call */
} frame;

/* allocated form (ra != NULL): operands are the locations of fc_regalloc.h */
typedef struct loc_state {
    const fc_ra *ra;
    uint32_t p[64];         /* physical registers */
    uint32_t *slots;        /* spill slots of the current frame */
    uint32_t fp;
    uint32_t junk;
    ir_result *res;
} loc_state;

static uint32_t junk(loc_state *ls)
{
    ls->junk = ls->junk * 1103515245u + 12345u;
    return ls->junk ^ 0xdead0000u;
}

static uint32_t rdloc(loc_state *ls, unsigned l)
{
    if (l == FC_RA_ZERO)
        return 0;
    if (l == FC_RA_FP)
        return ls->fp;
    if (FC_RA_IS_REG(l))
        return ls->p[l - 1u];
    if (FC_RA_IS_SLOT(l)) {
        ls->res->slot_reads++;
        return ls->slots[l - 0x100u];
    }
    return junk(ls);        /* no location: a value nobody may depend on */
}

static void wrloc(loc_state *ls, unsigned l, uint32_t x)
{
    if (FC_RA_IS_REG(l)) {
        ls->p[l - 1u] = x;
    } else if (FC_RA_IS_SLOT(l)) {
        ls->res->slot_writes++;
        ls->slots[l - 0x100u] = x;
    }
}

/* every caller-saved register of the table gets a new junk value */
static void clobber(loc_state *ls)
{
    for (unsigned r = 0; r < ls->ra->tgt->nregs; r++)
        if (ls->ra->tgt->caller_saved >> r & 1u)
            ls->p[r] = junk(ls);
}

static uint64_t pair(const uint32_t *v, unsigned lo, unsigned hi)
{
    return (uint64_t)v[hi] << 32 | v[lo];
}

static void put(uint32_t *v, unsigned d, uint32_t x)
{
    if (d != FC_IR_NONE && d != FC_IR_Z)
        v[d] = x;
}

static void put2(uint32_t *v, unsigned lo, unsigned hi, uint64_t x)
{
    put(v, lo, (uint32_t)x);
    put(v, hi, (uint32_t)(x >> 32));
}

static void set_stack(fc_vm *vm, uint32_t depth)
{
    fc_region *r = &vm->regions[FC_STACK_SLOT];
    uint32_t len = depth * FC_STACK_SIZE;
    r->addr = vm->stack_addr + vm->stack_size - len;
    r->host = vm->stack + vm->stack_size - len;
    r->len = len;
    r->perm = FC_PERM_RW;
    r->kind = FC_REGION_STACK;
}

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v |= (uint64_t)p[k] << (8 * k);
    return v;
}

static void wr(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned k = 0; k < n; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static int cond(unsigned cc, uint64_t a, uint64_t b, int w64)
{
    if (!w64) {
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    int64_t sa = w64 ? (int64_t)a : (int64_t)(int32_t)a, sb = w64 ? (int64_t)b : (int64_t)(int32_t)b;
    switch (cc) {
    case FC_IR_EQ: return a == b;
    case FC_IR_NE: return a != b;
    case FC_IR_GT: return a > b;
    case FC_IR_GE: return a >= b;
    case FC_IR_LT: return a < b;
    case FC_IR_LE: return a <= b;
    case FC_IR_SET: return (a & b) != 0;
    case FC_IR_SGT: return sa > sb;
    case FC_IR_SGE: return sa >= sb;
    case FC_IR_SLT: return sa < sb;
    case FC_IR_SLE: return sa <= sb;
    default: return -1;
    }
}

static uint64_t bswap(uint64_t v, unsigned bytes)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < bytes; k++)
        r = r << 8 | (v >> (8 * k) & 0xff);
    return r;
}

static uint64_t alu64(unsigned op, uint64_t a, uint64_t b, int *bad)
{
    switch (op) {
    case FC_IR_ADD64: return a + b;
    case FC_IR_SUB64: return a - b;
    case FC_IR_MUL64: return a * b;
    case FC_IR_DIVU64: return b ? a / b : 0;
    case FC_IR_MODU64: return b ? a % b : a;
    case FC_IR_DIVS64:
        if (!b) return 0;
        if (a == 0x8000000000000000ull && b == ~0ull) return a;
        return (uint64_t)((int64_t)a / (int64_t)b);
    case FC_IR_MODS64:
        if (!b) return a;
        if (a == 0x8000000000000000ull && b == ~0ull) return 0;
        return (uint64_t)((int64_t)a % (int64_t)b);
    case FC_IR_LSH64: return a << (b & 63);
    case FC_IR_RSH64: return a >> (b & 63);
    case FC_IR_ARSH64: {
        unsigned s = (unsigned)(b & 63);
        return (a >> s) | (a >> 63 && s ? ~0ull << (64 - s) : 0);
    }
    case FC_IR_NEG64: return (uint64_t)0 - a;
    case FC_IR_BSWAP64: return bswap(a, 8);
    default: *bad = 1; return 0;
    }
}

static uint32_t alu32(unsigned op, uint32_t a, uint32_t b, int *bad)
{
    switch (op) {
    case FC_IR_MOV: return a;
    case FC_IR_ADD: return a + b;
    case FC_IR_SUB: return a - b;
    case FC_IR_MUL: return a * b;
    case FC_IR_AND: return a & b;
    case FC_IR_OR: return a | b;
    case FC_IR_XOR: return a ^ b;
    case FC_IR_LSH: return a << (b & 31);
    case FC_IR_RSH: return a >> (b & 31);
    case FC_IR_ARSH: {
        unsigned s = b & 31;
        return (a >> s) | (a >> 31 && s ? ~0u << (32 - s) : 0);
    }
    case FC_IR_DIVU: return b ? a / b : 0;
    case FC_IR_MODU: return b ? a % b : a;
    case FC_IR_DIVS:
        if (!b) return 0;
        if (a == 0x80000000u && b == ~0u) return a;
        return (uint32_t)((int32_t)a / (int32_t)b);
    case FC_IR_MODS:
        if (!b) return a;
        if (a == 0x80000000u && b == ~0u) return 0;
        return (uint32_t)((int32_t)a % (int32_t)b);
    case FC_IR_NEG: return 0u - a;
    case FC_IR_SEXT8: return (uint32_t)(int32_t)(int8_t)(uint8_t)a;
    case FC_IR_SEXT16: return (uint32_t)(int32_t)(int16_t)(uint16_t)a;
    case FC_IR_ZEXT16: return a & 0xffffu;
    case FC_IR_BSWAP16: return (uint32_t)bswap(a, 2);
    case FC_IR_BSWAP32: return (uint32_t)bswap(a, 4);
    default: *bad = 1; return 0;
    }
}

static const fc_helper *find_helper(const fc_vm *vm, uint64_t id, int *err)
{
    if (id <= 0xffffffffu && vm->helpers)
        for (uint32_t k = 0; k < vm->nhelpers; k++)
            if (vm->helpers[k].id == id && vm->helpers[k].fn) {
                int ok = vm->allow == NULL;
                for (uint32_t j = 0; !ok && j < vm->nallow; j++)
                    ok = vm->allow[j] == id;
                *err = ok ? FC_OK : FC_ERR_HELPER_DENIED;
                return ok ? &vm->helpers[k] : NULL;
            }
    *err = FC_ERR_HELPER_UNKNOWN;
    return NULL;
}

static int run(const fc_ir *ir, const fc_ra *ra, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len,
               uint64_t max_steps, ir_result *res)
{
    uint32_t v[FC_IR_NVREG] = {0};
    frame fr[FC_MAX_CALL_DEPTH];
    loc_state ls0, *ls = &ls0;
    uint32_t *slotmem = NULL, maxs = 1;
    uint32_t depth = 1, pc;
    uint64_t budget = vm->budget, top = vm->stack_addr + vm->stack_size;
    int err = FC_OK;

    memset(res, 0, sizeof *res);
    if (!ir->nfn || !ir->fn[0].nb || top > 0xffffffffu) {
        res->err = IR_UNSOUND;
        snprintf(res->why, sizeof res->why, "no code, or the stack is not below 2^32");
        return res->err;
    }
    put2(v, FC_IR_LO(1), FC_IR_HI(1), ctx_addr);
    put2(v, FC_IR_LO(2), FC_IR_HI(2), ctx_len);
    v[FC_IR_FP] = (uint32_t)top;
    set_stack(vm, 1);
    memset(ls, 0, sizeof *ls);
    ls->ra = ra;
    ls->res = res;
    ls->junk = 0x5eed;
    if (ra) {
        for (uint32_t f = 0; f < ir->nfn; f++)
            if (ra->nslots[f] > maxs)
                maxs = ra->nslots[f];
        slotmem = malloc((size_t)maxs * (FC_MAX_CALL_DEPTH + 1) * sizeof *slotmem);
        for (size_t k = 0; k < (size_t)maxs * (FC_MAX_CALL_DEPTH + 1); k++)
            slotmem[k] = junk(ls);
        for (unsigned r = 0; r < 64; r++)
            ls->p[r] = junk(ls);
        ls->slots = slotmem + maxs;
        ls->fp = (uint32_t)top;
        /* the entry function's live-in vregs: what the vreg form starts with */
        for (unsigned r = 1; r < FC_IR_NVREG; r++)
            if (ra->entry_live[0] >> r & 1u)
                wrloc(ls, ra->entry[0][r], v[r]);
    }
    pc = ir->blk[ir->fn[0].b0].start;

#define STOP(e, at, a) do { err = (e); res->err_pc = (at); res->err_addr = (a); goto out; } while (0)
#define UNSOUND(...) do { snprintf(res->why, sizeof res->why, __VA_ARGS__); err = IR_UNSOUND; \
                          res->err_pc = x->insn; goto out; } while (0)
    for (;;) {
        if (pc >= ir->nins) {
            const fc_ir_insn *x = &ir->ins[ir->nins - 1];
            UNSOUND("ran past the last IR instruction");
        }
        const fc_ir_insn *x = &ir->ins[pc];
        uint32_t k0 = pc;
#define SRC(j) (ra ? rdloc(ls, ra->loc[k0][2 + (j)]) : v[x->s[j]])
#define PUT(j, val) (ra ? wrloc(ls, ra->loc[k0][j], (val)) : put(v, x->d[j], (val)))
#define PUT2(val) do { uint64_t p2_ = (val); PUT(0, (uint32_t)p2_); PUT(1, (uint32_t)(p2_ >> 32)); } while (0)
        uint32_t s0 = SRC(0), s1 = SRC(1), s2 = SRC(2), s3 = SRC(3);
        int k = (x->fl & FC_IR_K) != 0, bad = 0;
        if (++res->steps > max_steps)
            UNSOUND("more than %llu IR steps", (unsigned long long)max_steps);
        for (unsigned j = 0; j < 5; j++)
            if (x->s[j] != FC_IR_Z && x->s[j] >= FC_IR_NVREG)
                UNSOUND("IR %u reads no register (%u)", pc, x->s[j]);
        pc++;
        switch (x->op) {
        case FC_IR_NOP:
            break;
        case FC_IR_MOVI:
            PUT(0, (uint32_t)x->imm);
            break;
        case FC_IR_ADD64: case FC_IR_SUB64: case FC_IR_MUL64: case FC_IR_DIVU64: case FC_IR_MODU64:
        case FC_IR_DIVS64: case FC_IR_MODS64: case FC_IR_LSH64: case FC_IR_RSH64: case FC_IR_ARSH64:
        case FC_IR_NEG64: case FC_IR_BSWAP64: {
            uint64_t a = (uint64_t)s1 << 32 | s0;
            uint64_t b = k ? (uint64_t)(int64_t)x->imm : (uint64_t)s3 << 32 | s2;
            PUT2(alu64(x->op, a, b, &bad));
            break;
        }
        case FC_IR_LD: case FC_IR_ST: case FC_IR_ATOMIC: {
            uint32_t a = s0 + (uint32_t)x->imm;
            unsigned perm = x->op == FC_IR_LD ? FC_PERM_R : x->op == FC_IR_ST ? FC_PERM_W : FC_PERM_RW;
            uint8_t *m = x->sz ? fc_vm_translate(vm, a, x->sz, perm) : NULL;
            if (!m)
                UNSOUND("unchecked %s of %u bytes at 0x%x outside every region",
                        x->op == FC_IR_LD ? "load" : x->op == FC_IR_ST ? "store" : "atomic", x->sz, a);
            if (x->op == FC_IR_LD) {
                uint64_t val = rd(m, x->sz);
                if (x->fl & FC_IR_SX)
                    val = x->sz == 1 ? (uint64_t)(int64_t)(int8_t)val
                                     : x->sz == 2 ? (uint64_t)(int64_t)(int16_t)val : val;
                PUT(0, (uint32_t)val);
            } else if (x->op == FC_IR_ST) {
                wr(m, x->sz, k ? x->tgt : s1);
            } else {
                unsigned n = x->sz;
                uint64_t old = rd(m, n), val = (uint64_t)s2 << 32 | s1, nw = old;
                uint64_t cmp = (uint64_t)SRC(4) << 32 | s3;
                switch (x->cc) {
                case FC_ATOMIC_ADD: case FC_ATOMIC_ADD | FC_ATOMIC_FETCH: nw = old + val; break;
                case FC_ATOMIC_OR: case FC_ATOMIC_OR | FC_ATOMIC_FETCH: nw = old | val; break;
                case FC_ATOMIC_AND: case FC_ATOMIC_AND | FC_ATOMIC_FETCH: nw = old & val; break;
                case FC_ATOMIC_XOR: case FC_ATOMIC_XOR | FC_ATOMIC_FETCH: nw = old ^ val; break;
                case FC_ATOMIC_XCHG: nw = val; break;
                case FC_ATOMIC_CMPXCHG:
                    nw = (n == 4 ? (uint32_t)cmp == (uint32_t)old : cmp == old) ? val : old;
                    break;
                default: bad = 1; break;
                }
                wr(m, n, nw);
                PUT2(old);
            }
            break;
        }
        case FC_IR_CHECK: {
            uint64_t ea = ((uint64_t)s1 << 32 | s0) + (uint64_t)(int64_t)x->imm;
            if (!x->sz || !fc_vm_translate(vm, ea, x->sz, x->cc))
                STOP(x->cc == FC_PERM_R ? FC_ERR_MEM_READ : FC_ERR_MEM_WRITE, x->insn, ea);
            break;
        }
        case FC_IR_GUARD: {
            /* exact: the range inside one region with the permission; or,
             * with ir_guard_fail, never (the selectors may fail a guard they
             * cannot decide quickly: the checked copy must then give the
             * same results) */
            uint64_t ea = ((uint64_t)s1 << 32 | s0) + (uint64_t)(int64_t)x->imm;
            if (x->tgt >= ir->nblk || !x->sz || x->cc == FC_PERM_RW)
                UNSOUND("bad guard");
            if (ir_guard_fail || !fc_vm_translate(vm, ea, x->sz, x->cc))
                pc = ir->blk[x->tgt].start;
            break;
        }
        case FC_IR_SECADDR: {
            const fc_region *r = NULL;
            for (uint32_t j = 0; j < vm->nregions && !r; j++)
                if (vm->regions[j].kind == x->tgt)
                    r = &vm->regions[j];
            if (!r)
                STOP(FC_ERR_BAD_PROGRAM, x->insn, 0);
            uint64_t a = r->addr + (uint32_t)x->imm;
            if (a > 0xffffffffu)
                UNSOUND("section address 0x%llx above 2^32", (unsigned long long)a);
            PUT(0, (uint32_t)a);
            break;
        }
        case FC_IR_BR: case FC_IR_BR64: {
            int w64 = x->op == FC_IR_BR64;
            uint64_t a = w64 ? (uint64_t)s1 << 32 | s0 : s0;
            uint64_t b = w64 ? (k ? (uint64_t)(int64_t)x->imm : (uint64_t)s3 << 32 | s2)
                             : (k ? (uint32_t)x->imm : s1);
            int c = cond(x->cc, a, b, w64);
            if (c < 0 || x->tgt >= ir->nblk)
                UNSOUND("bad condition or target");
            if (c)
                pc = ir->blk[x->tgt].start;
            break;
        }
        case FC_IR_JMP:
            if (x->tgt >= ir->nblk)
                UNSOUND("bad target");
            pc = ir->blk[x->tgt].start;
            break;
        case FC_IR_BUDGET:
            if (budget == 0)
                STOP(FC_ERR_BUDGET, x->insn, 0);
            budget--;
            break;
        case FC_IR_CALLH: case FC_IR_CALLX: {
            uint64_t id = x->op == FC_IR_CALLX ? (uint64_t)s1 << 32 | s0 : x->tgt;
            uint64_t a[6];
            const fc_helper *h = find_helper(vm, id, &err);
            if (!h)
                STOP(err, x->insn, 0);
            const fc_ra_map *mp = ra ? &ra->maps[ra->map[k0]] : NULL;
            for (unsigned r = 1; r <= 5; r++) {
                uint64_t lo = ra ? rdloc(ls, mp->use[FC_IR_LO(r)]) : v[FC_IR_LO(r)];
                uint64_t hi = x->cc >> r & 1u ? 0 : ra ? rdloc(ls, mp->use[FC_IR_HI(r)]) : v[FC_IR_HI(r)];
                a[r] = hi << 32 | lo;
            }
            vm->helper_err = 0;
            vm->err_addr = 0;
            uint64_t rv = h->fn(vm, a[1], a[2], a[3], a[4], a[5]);
            if (vm->helper_err)
                STOP(vm->helper_err == FC_ERR_UNWIND ? FC_ERR_UNWIND : FC_ERR_HELPER_FAULT, x->insn,
                     vm->err_addr);
            if (ra)
                clobber(ls);
            PUT2(rv);
            break;
        }
        case FC_IR_CALL:
            if (x->tgt >= ir->nfn)
                UNSOUND("call of no function");
            if (depth + 1 > vm->max_depth)
                STOP(FC_ERR_CALL_DEPTH, x->insn, 0);
            if (budget == 0)
                STOP(FC_ERR_BUDGET, x->insn, 0);
            budget--;
            fr[depth].ret = pc;
            for (unsigned r = 6; r <= 9; r++) {
                fr[depth].save[2 * (r - 6)] = v[FC_IR_LO(r)];
                fr[depth].save[2 * (r - 6) + 1] = v[FC_IR_HI(r)];
            }
            depth++;
            v[FC_IR_FP] -= FC_STACK_SIZE;
            set_stack(vm, depth);
            if (ra) {
                /* arguments: what the callee's entry reads, from the caller's
                 * locations into the callee's; a fresh frame of junk slots */
                uint32_t val[FC_IR_NVREG];
                const fc_ra_map *mp = &ra->maps[ra->map[k0]];
                uint32_t el = ra->entry_live[x->tgt];
                for (unsigned r = 1; r < FC_IR_NVREG; r++)
                    val[r] = el >> r & 1u ? rdloc(ls, mp->use[r]) : 0;
                memcpy(fr[depth - 1].psave, ls->p, sizeof ls->p);
                ls->fp -= FC_STACK_SIZE;
                ls->slots = slotmem + (size_t)maxs * depth;
                for (uint32_t j = 0; j < maxs; j++)
                    ls->slots[j] = junk(ls);
                for (unsigned r = 1; r < FC_IR_NVREG; r++)
                    if (el >> r & 1u)
                        wrloc(ls, ra->entry[x->tgt][r], val[r]);
            }
            pc = ir->blk[ir->fn[x->tgt].b0].start;
            break;
        case FC_IR_EXIT:
            if (ra) {
                const fc_ra_map *mp = &ra->maps[ra->map[k0]];
                uint32_t val[FC_IR_NVREG];
                for (unsigned r = 1; r < FC_IR_NVREG; r++)
                    val[r] = mp->use[r] != FC_RA_NONE ? rdloc(ls, mp->use[r]) : 0;
                if (depth == 1) {
                    res->r0 = (uint64_t)val[FC_IR_HI(0)] << 32 | val[FC_IR_LO(0)];
                    goto out;
                }
                /* back in the caller: its callee-saved registers as they were,
                 * the caller-saved ones junk, the results into the CALL's
                 * locations */
                const fc_ra_map *cm = &ra->maps[ra->map[fr[depth - 1].ret - 1]];
                for (unsigned r = 0; r < ra->tgt->nregs; r++)
                    if (!(ra->tgt->caller_saved >> r & 1u))
                        ls->p[r] = fr[depth - 1].psave[r];
                clobber(ls);
                ls->fp += FC_STACK_SIZE;
                ls->slots = slotmem + (size_t)maxs * (depth - 1);
                for (unsigned r = 1; r < FC_IR_NVREG; r++)
                    if (cm->def[r] != FC_RA_NONE)
                        wrloc(ls, cm->def[r], val[r]);
            }
            if (depth == 1) {
                res->r0 = pair(v, FC_IR_LO(0), FC_IR_HI(0));
                goto out;
            }
            depth--;
            for (unsigned r = 6; r <= 9; r++) {
                v[FC_IR_LO(r)] = fr[depth].save[2 * (r - 6)];
                v[FC_IR_HI(r)] = fr[depth].save[2 * (r - 6) + 1];
            }
            v[FC_IR_FP] += FC_STACK_SIZE;
            set_stack(vm, depth);
            pc = fr[depth].ret;
            break;
        case FC_IR_ERR:
            STOP(x->imm, x->insn, 0);
        default: {
            uint32_t r = alu32(x->op, s0, k ? (uint32_t)x->imm : s1, &bad);
            PUT(0, r);
            break;
        }
        }
        if (bad)
            UNSOUND("bad IR instruction %u (op %u)", pc - 1, x->op);
    }
out:
    vm->regions[FC_STACK_SLOT].len = 0;
    vm->regions[FC_STACK_SLOT].host = NULL;
    vm->regions[FC_STACK_SLOT].addr = 0;
    res->err = err;
    res->budget_left = budget;
    if (err != FC_OK && err != IR_UNSOUND)
        res->r0 = 0;
    free(slotmem);
    return err;
}

int ir_run(const fc_ir *ir, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t max_steps,
           ir_result *res)
{
    return run(ir, NULL, vm, ctx_addr, ctx_len, max_steps, res);
}

int ir_run_alloc(const fc_ir *ir, const fc_ra *ra, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len,
                 uint64_t max_steps, ir_result *res)
{
    return run(ir, ra, vm, ctx_addr, ctx_len, max_steps, res);
}
