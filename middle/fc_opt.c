/*
 * fc_opt.c - the pass between lowering and allocation: the CHECKs of one
 * base in a block merged under one range guard (fc_ir.h, fc_ir_opt).
 *
 *   before                         after
 *   bN:  ...                       bN:  ...
 *        check.r4 [p + 0]  @43          guard.r8 [p - 4] -> bS    @43
 *        ld4 [p + 0]       @43     bN+1: ld4 [p + 0]              @43  (G)
 *        check.r4 [p - 4]  @44          ld4 [p - 4]              @44  (G)
 *        ld4 [p - 4]       @44          br ... -> bT
 *        br ... -> bT                ...
 *                                  bS:  check.r4 [p + 0]          @43
 *                                       ld4 [p + 0] ... br ... -> bT
 *                                       jmp bN+2 (the old successor)
 *
 * The guarded path runs the same instructions minus CHECKs that cannot
 * fail there: the guard passed, so the covering range lies inside one
 * region with the permission, and each removed CHECK's range lies inside
 * the covering one with the same base value (no write of the base pair
 * between the guard and it). The other path is the original code. The
 * argument in full: docs/sandbox.md, "Merged checks".
 *
 * In place: the old instructions and blocks are copied to the lowering's
 * scratch (ir->optws) and rebuilt into ir->ins / ir->blk. Freestanding C99.
 */
#include "fc_ir.h"

#define NOGRP 0xffffffffu
#define MEMBER 1u           /* pad of a copied CHECK: merged under the guard */
#define NEWTGT 2u           /* pad of a made branch: tgt is already a new block index */

static int writes(const fc_ir_insn *x, uint8_t v)
{
    return v != FC_IR_Z && v != FC_IR_NONE && (x->d[0] == v || x->d[1] == v);
}

static int is_check(const fc_ir_insn *c)
{
    return c->op == FC_IR_CHECK && (c->cc == 1u || c->cc == 2u) && c->sz >= 1 && c->sz <= 8;
}

/*
 * The group that starts at the CHECK ins[i] of a block ending at e: the later
 * CHECKs of the same base pair and permission up to the first write of the
 * base or call, as long as the covering range stays within 8 bytes.
 * Returns the number of CHECKs in it (with ins[i]); *lo, *hi the range.
 * mark: set MEMBER on the later ones.
 */
static uint32_t group(fc_ir_insn *ins, uint32_t i, uint32_t e, int mark, int64_t *lo, int64_t *hi)
{
    const fc_ir_insn *c = &ins[i];
    int64_t l = c->imm, h = (int64_t)c->imm + c->sz;
    uint32_t nm = 1;
    for (uint32_t j = i + 1; j < e; j++) {
        fc_ir_insn *y = &ins[j];
        if (y->op == FC_IR_CALL || y->op == FC_IR_CALLH || y->op == FC_IR_CALLX)
            break;
        if (is_check(y) && y->s[0] == c->s[0] && y->s[1] == c->s[1] && y->cc == c->cc) {
            int64_t nl = y->imm < l ? y->imm : l;
            int64_t nh = (int64_t)y->imm + y->sz > h ? (int64_t)y->imm + y->sz : h;
            if (nh - nl <= 8) {
                l = nl;
                h = nh;
                nm++;
                if (mark)
                    y->pad = MEMBER;
            }
        }
        if (writes(y, c->s[0]) || writes(y, c->s[1]))
            break;
    }
    *lo = l;
    *hi = h;
    return nm;
}

static int ends_flow(unsigned op)
{
    return op == FC_IR_JMP || op == FC_IR_EXIT || op == FC_IR_ERR;
}

uint32_t fc_ir_opt(fc_ir *ir)
{
    uint32_t nb = ir->nblk, ni = ir->nins, addi = 0, addb = 0;
    size_t need = (size_t)ni * sizeof(fc_ir_insn) + (size_t)nb * (sizeof(fc_ir_block) + 2u * sizeof(uint32_t));
    if (!ir->optws || need > ir->optlen || nb == 0)
        return 0;
    fc_ir_insn *oins = ir->optws;
    fc_ir_block *oblk = (fc_ir_block *)(oins + ni);
    uint32_t *map = (uint32_t *)(oblk + nb), *k0 = map + nb;

    for (uint32_t k = 0; k < ni; k++) {
        oins[k] = ir->ins[k];
        oins[k].pad = 0;
    }
    for (uint32_t b = 0; b < nb; b++)
        oblk[b] = ir->blk[b];

    /* the groups: one per block, while the tables hold them */
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const fc_ir_func *fn = &ir->fn[f];
        for (uint32_t b = fn->b0; b < fn->b0 + fn->nb; b++) {
            uint32_t s = oblk[b].start, e = oblk[b].end;
            k0[b] = NOGRP;
            if (e == s)
                continue;
            /* a block without an own end falls into the next one: the copy
             * needs that successor */
            if (!ends_flow(oins[e - 1].op) && b + 1 >= fn->b0 + fn->nb)
                continue;
            for (uint32_t i = s; i < e; i++) {
                int64_t lo, hi;
                if (!is_check(&oins[i]) || group(oins, i, e, 0, &lo, &hi) < 2)
                    continue;
                /* guard + the copy of [i, e) + its jmp; two blocks */
                uint32_t gi = 1u + (e - i) + (ends_flow(oins[e - 1].op) ? 0u : 1u);
                if (ni + addi + gi > ir->inscap || nb + addb + 2u + ir->nfn > ir->blkcap)
                    break;
                addi += gi;
                addb += 2u;
                k0[b] = i;
                group(oins, i, e, 1, &lo, &hi);
                break;
            }
        }
    }
    if (!addb)
        return 0;

    /* rebuild, function by function: the blocks (split where a group is),
     * then the checked copies */
    uint32_t wi = 0, wb = 0, guards = 0, merged = 0;
    for (uint32_t f = 0; f < ir->nfn; f++) {
        fc_ir_func *fn = &ir->fn[f];
        uint32_t ob0 = fn->b0, onb = fn->nb;
        fn->b0 = wb;
        for (uint32_t b = ob0; b < ob0 + onb; b++) {
            uint32_t s = oblk[b].start, e = oblk[b].end, g = k0[b];
            map[b] = wb;
            ir->blk[wb].start = wi;
            ir->blk[wb].insn = oblk[b].insn;
            if (g == NOGRP) {
                for (uint32_t k = s; k < e; k++)
                    ir->ins[wi++] = oins[k];
                ir->blk[wb++].end = wi;
                continue;
            }
            for (uint32_t k = s; k < g; k++)
                ir->ins[wi++] = oins[k];
            int64_t lo, hi;
            group(oins, g, e, 0, &lo, &hi);
            fc_ir_insn *x = &ir->ins[wi++];
            *x = oins[g];
            x->op = FC_IR_GUARD;
            x->sz = hi - lo <= 1 ? 1u : hi - lo <= 2 ? 2u : hi - lo <= 4 ? 4u : 8u;
            x->imm = (int32_t)lo;
            x->pad = NEWTGT;
            x->tgt = NOGRP;         /* the copy's index, below */
            ir->blk[wb++].end = wi;
            guards++;
            /* the guarded path: the members' checks dropped, their accesses flagged */
            uint32_t cov = NOGRP;   /* the eBPF access whose check was dropped last */
            ir->blk[wb].start = wi;
            ir->blk[wb].insn = oins[g].insn;
            for (uint32_t k = g; k < e; k++) {
                fc_ir_insn y = oins[k];
                if (k == g || (y.op == FC_IR_CHECK && y.pad == MEMBER)) {
                    cov = y.insn;
                    merged++;
                    continue;
                }
                if ((y.op == FC_IR_LD || y.op == FC_IR_ST || y.op == FC_IR_ATOMIC) && y.insn == cov)
                    y.fl |= FC_IR_G;
                ir->ins[wi++] = y;
            }
            ir->blk[wb++].end = wi;
        }
        /* the checked copies, at the function's end */
        for (uint32_t b = ob0; b < ob0 + onb; b++) {
            uint32_t e = oblk[b].end, g = k0[b];
            if (g == NOGRP)
                continue;
            ir->ins[ir->blk[map[b]].end - 1u].tgt = wb;   /* the guard */
            ir->blk[wb].start = wi;
            ir->blk[wb].insn = oins[g].insn;
            for (uint32_t k = g; k < e; k++) {
                ir->ins[wi] = oins[k];
                ir->ins[wi++].pad = 0;
            }
            if (!ends_flow(oins[e - 1].op)) {
                fc_ir_insn *j = &ir->ins[wi++];
                *j = oins[e - 1];
                j->op = FC_IR_JMP;
                j->fl = j->cc = j->sz = 0;
                j->d[0] = j->d[1] = FC_IR_NONE;
                for (unsigned q = 0; q < 5; q++)
                    j->s[q] = FC_IR_Z;
                j->imm = 0;
                j->tgt = map[b + 1];    /* b + 1 was placed: same function, before the copies */
                j->pad = NEWTGT;
            }
            ir->blk[wb++].end = wi;
        }
        fn->nb = wb - fn->b0;
    }
    for (uint32_t k = 0; k < wi; k++) {
        fc_ir_insn *x = &ir->ins[k];
        if ((x->op == FC_IR_BR || x->op == FC_IR_BR64 || x->op == FC_IR_JMP) && x->pad != NEWTGT)
            x->tgt = map[x->tgt];
        x->pad = 0;
    }
    ir->nins = wi;
    ir->nblk = wb;
    ir->guards = guards;
    ir->merged = merged;
    return guards;
}
