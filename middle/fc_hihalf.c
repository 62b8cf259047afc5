/*
 * fc_hihalf.c - the shared upper-half analysis (fc_hihalf.h).
 */
#include "fc_hihalf.h"
#include "fc_isa.h"

unsigned fc_hh_succs(const fc_hh *h, uint32_t idx, uint32_t out[2])
{
    const fc_insn *i = &h->ins[idx];
    unsigned op = h->opid[idx], k = 0, cls = FC_CLASS(i->op);
    uint64_t t;

    if (op == 0 || op == FC_HH_SECOND || op == FC_OP_EXIT)
        return 0;
    if (op == FC_OP_JA || op == FC_OP_JA32) {
        t = (uint64_t)idx + 1 + (uint64_t)(int64_t)(op == FC_OP_JA ? i->off : i->imm);
        if (t < h->n)
            out[k++] = (uint32_t)t;
        return k;
    }
    if (op == FC_OP_LDDW) {
        if (idx + 2 < h->n)
            out[k++] = idx + 2;
        return k;
    }
    if (idx + 1 < h->n)
        out[k++] = idx + 1;
    if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && op != FC_OP_CALL && op != FC_OP_CALLX) {
        t = (uint64_t)idx + 1 + (uint64_t)(int64_t)i->off;
        if (t < h->n)
            out[k++] = (uint32_t)t;
    }
    return k;
}

uint16_t fc_hh_transfer(const fc_hh *h, uint32_t idx, uint16_t in)
{
    const fc_insn *i = &h->ins[idx];
    unsigned op = h->opid[idx], d = fc_dst(*i), s = fc_src(*i);
    unsigned cls = FC_CLASS(i->op), aop = FC_OPCODE_OP(i->op);
    uint16_t bd = (uint16_t)(1u << d), out = in;
    int x = (i->op & FC_SRC_X) != 0;
    unsigned kpos = i->imm >= 0, zd = in >> d & 1u, zs = in >> s & 1u;

#define SETB(b, v) (out = (uint16_t)((v) ? (out | (b)) : (out & ~(b))))
    if (op == 0 || op == FC_HH_SECOND)
        return in;
    switch (cls) {
    case FC_CLS_ALU:
        if (op != FC_OP_LE64)
            SETB(bd, op != FC_OP_BE64);
        break;
    case FC_CLS_ALU64:
        switch (aop) {
        case FC_ALU_MOV:
            SETB(bd, op == FC_OP_MOV_K ? kpos : op == FC_OP_MOV_X ? zs : 0);
            break;
        case FC_ALU_AND:
            SETB(bd, x ? (zd | zs) : (kpos || zd));
            break;
        case FC_ALU_OR: case FC_ALU_XOR:
            SETB(bd, x ? (zd & zs) : (kpos && zd));
            break;
        case FC_ALU_RSH:
            SETB(bd, zd || (!x && ((uint32_t)i->imm & 63u) >= 32));
            break;
        case FC_ALU_ARSH:
            SETB(bd, zd);
            break;
        case FC_ALU_LSH:
            SETB(bd, !x && ((uint32_t)i->imm & 63u) == 0 && zd);
            break;
        case FC_ALU_DIV: case FC_ALU_MOD:
            /* unsigned: the quotient/remainder is at most the dividend */
            SETB(bd, i->off == 0 && zd);
            break;
        case FC_ALU_END:
            SETB(bd, op != FC_OP_BSWAP64);
            break;
        default:
            SETB(bd, 0);
            break;
        }
        break;
    case FC_CLS_LD:
        SETB(bd, fc_src(*i) == FC_LDDW_SECTION || h->ins[idx + 1].imm == 0);
        break;
    case FC_CLS_LDX:
        SETB(bd, FC_MODE(i->op) == FC_MODE_MEM && FC_SIZE(i->op) != FC_SZ_DW);
        break;
    case FC_CLS_STX:
        if (FC_MODE(i->op) == FC_MODE_ATOMIC) {
            int w = FC_SIZE(i->op) == FC_SZ_W;
            if (i->imm == FC_ATOMIC_CMPXCHG)
                SETB(1u, w);
            else if (i->imm & FC_ATOMIC_FETCH)
                SETB((uint16_t)(1u << s), w);
        }
        break;
    case FC_CLS_JMP:
        if (op == FC_OP_CALL && s == FC_CALL_LOCAL)
            out = 0;
        else if (op == FC_OP_CALL || op == FC_OP_CALLX)
            SETB(1u, 0);
        break;
    default:
        break;
    }
#undef SETB
    if (h->info) {
        const fc_insn_info *f = &h->info[idx];
        out |= (uint16_t)(f->hi_zero | (f->hi_zero2 & 7u) << 8);
    }
    return (uint16_t)(out | FC_HH_R10);
}

void fc_hh_known_zero(const fc_hh *h, uint16_t *hin)
{
    uint32_t i, n = h->n, s[2];
    int changed;

    for (i = 0; i < n; i++)
        hin[i] = FC_HH_ALL;
    for (uint32_t e = 0; e < h->nentries; e++) {
        uint32_t at = h->entries ? h->entries[e] : 0;
        if (at < n)
            hin[at] &= (uint16_t)(FC_HH_ALL & ~0x6u);
    }
    for (i = 0; i < n; i++)
        if (h->opid[i] == FC_OP_CALL && fc_src(h->ins[i]) == FC_CALL_LOCAL) {
            uint64_t t = (uint64_t)i + 1 + (uint64_t)(int64_t)h->ins[i].imm;
            if (t < n)
                hin[t] = FC_HH_R10;
        }
    do {
        changed = 0;
        for (i = 0; i < n; i++) {
            if (h->opid[i] == FC_HH_SECOND)
                continue;
            uint16_t out = fc_hh_transfer(h, i, hin[i]);
            unsigned k = fc_hh_succs(h, i, s);
            for (unsigned j = 0; j < k; j++) {
                uint16_t v = (uint16_t)(hin[s[j]] & out);
                if (v != hin[s[j]]) {
                    hin[s[j]] = v;
                    changed = 1;
                }
            }
        }
    } while (changed);
}

void fc_hh_live(const fc_hh *h, fc_hh_usedef usedef, const void *ctx, uint16_t *lout)
{
    uint32_t i, n = h->n, s[2];
    int changed;

    for (i = 0; i < n; i++)
        lout[i] = 0;
    do {
        changed = 0;
        for (i = n; i-- > 0;) {
            if (h->opid[i] == FC_HH_SECOND)
                continue;
            uint16_t out = 0;
            unsigned k = fc_hh_succs(h, i, s);
            for (unsigned j = 0; j < k; j++) {
                uint16_t u2, d2;
                usedef(ctx, s[j], &u2, &d2);
                out |= (uint16_t)(u2 | (lout[s[j]] & ~d2));
            }
            if (out != lout[i]) {
                lout[i] = out;
                changed = 1;
            }
        }
    } while (changed);
}
