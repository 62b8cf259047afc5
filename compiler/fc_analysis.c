/*
 * fc_analysis.c - the abstract domain of the verifier (see fc_analysis.h):
 * interval arithmetic over 64-bit two's-complement values, tracked both as
 * unsigned and as signed ranges, with the ALU semantics of RFC 9669
 * (section 4.1: 32-bit operations zero-extend their result; shift amounts are
 * masked to 5/6 bits; division by zero gives 0, modulo by zero leaves the
 * dividend; sdiv/smod truncate toward zero).
 *
 * Soundness rule for every transfer function: the result range contains the
 * concrete result for every pair of concrete operands in the operand ranges.
 * When in doubt a function returns the full range.
 */
#include "fc_analysis.h"

#define U64_MAX UINT64_MAX
#define S64_MIN INT64_MIN
#define S64_MAX INT64_MAX
#define M32 0xffffffffull
#define INF FC_AV_INF

/* ---- construction ------------------------------------------------------ */
fc_av fc_av_uninit(void)
{
    fc_av a = {FC_AV_UNINIT, 0, 0, 0, U64_MAX, S64_MIN, S64_MAX};
    return a;
}

fc_av fc_av_top(unsigned kind)
{
    fc_av a = {(uint8_t)kind, 0, 0, 0, U64_MAX, S64_MIN, S64_MAX};
    if (kind >= FC_AV_STACK) {
        a.smin = -INF;
        a.smax = INF;
    }
    return a;
}

fc_av fc_av_const(unsigned kind, uint64_t v)
{
    fc_av a = {(uint8_t)kind, 64, v, v, v, (int64_t)v, (int64_t)v};
    return a;
}

fc_av fc_av_ptr(unsigned kind, int64_t off)
{
    fc_av a = {(uint8_t)kind, 64, (uint64_t)off, 0, U64_MAX, off, off};
    return a;
}

/* ---- known low bits ------------------------------------------------------- */
static uint64_t lmask(unsigned k) { return k >= 64 ? U64_MAX : (1ull << k) - 1; }
static unsigned ctz64(uint64_t x) { return x ? (unsigned)__builtin_ctzll(x) : 64u; }
static unsigned kmin(unsigned a, unsigned b) { return a < b ? a : b; }

/* the smallest x >= lo (unsigned) with x = v mod 2^k; 0 if none */
static int align_up(uint64_t lo, unsigned k, uint64_t v, uint64_t *out)
{
    uint64_t m = lmask(k), x = (lo & ~m) | v;
    if (x < lo) {
        x += m + 1;
        if (x < m + 1)
            return 0; /* wrapped past 2^64 */
    }
    *out = x;
    return 1;
}

/* the largest x <= hi (unsigned) with x = v mod 2^k; 0 if none */
static int align_down(uint64_t hi, unsigned k, uint64_t v, uint64_t *out)
{
    uint64_t m = lmask(k), x = (hi & ~m) | v;
    if (x > hi) {
        if ((hi & ~m) == 0)
            return 0;
        x -= m + 1;
    }
    *out = x;
    return 1;
}

/* Tighten a range [lo, hi] to the values congruent to v mod 2^k. Signed
 * ranges go through the order-preserving bias x ^ 2^63, which keeps the low
 * 63 bits (k = 64 is handled by the caller). 0 if no value is left. */
static int align_range(uint64_t *lo, uint64_t *hi, unsigned k, uint64_t v)
{
    return align_up(*lo, k, v, lo) && align_down(*hi, k, v, hi) && *lo <= *hi;
}

static int align_srange(int64_t *lo, int64_t *hi, unsigned k, uint64_t v)
{
    const uint64_t b = 1ull << 63;
    uint64_t l = (uint64_t)*lo ^ b, h = (uint64_t)*hi ^ b;
    if (!align_range(&l, &h, k, v ^ (k == 64 ? b : 0)))
        return 0;
    *lo = (int64_t)(l ^ b);
    *hi = (int64_t)(h ^ b);
    return 1;
}

static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Tighten the ranges with each other and with the known low bits.
 * Returns 0 if the value set is empty. */
static int norm(fc_av *a)
{
    if (a->lk >= 64) {
        a->lk = 64;
        if (a->lv < a->umin || a->lv > a->umax || (int64_t)a->lv < a->smin || (int64_t)a->lv > a->smax)
            return 0;
        a->umin = a->umax = a->lv;
        a->smin = a->smax = (int64_t)a->lv;
        return 1;
    }
    a->lv &= lmask(a->lk);
    for (int round = 0; round < 2; round++) {
        if (a->lk && (!align_range(&a->umin, &a->umax, a->lk, a->lv) ||
                      !align_srange(&a->smin, &a->smax, a->lk, a->lv)))
            return 0;
        if (a->umin > a->umax || a->smin > a->smax)
            return 0;
        if (a->smin >= 0) {
            a->umin = umax64(a->umin, (uint64_t)a->smin);
            a->umax = umin64(a->umax, (uint64_t)a->smax);
        } else if (a->smax < 0) {
            a->umin = umax64(a->umin, (uint64_t)a->smin);
            a->umax = umin64(a->umax, (uint64_t)a->smax);
        }
        if (a->umin > a->umax)
            return 0;
        if (a->umax <= (uint64_t)S64_MAX) {
            a->smin = smax64(a->smin, (int64_t)a->umin);
            a->smax = smin64(a->smax, (int64_t)a->umax);
        } else if (a->umin > (uint64_t)S64_MAX) {
            a->smin = smax64(a->smin, (int64_t)a->umin);
            a->smax = smin64(a->smax, (int64_t)a->umax);
        }
    }
    if (a->umin > a->umax || a->smin > a->smax)
        return 0;
    if (a->umin == a->umax) {
        a->lk = 64;
        a->lv = a->umin;
    }
    return 1;
}

fc_av fc_av_range(unsigned kind, uint64_t lo, uint64_t hi)
{
    fc_av a = {(uint8_t)kind, 0, 0, lo, hi, S64_MIN, S64_MAX};
    norm(&a);
    return a;
}

fc_av fc_av_make(unsigned kind, uint64_t umin, uint64_t umax, int64_t smin, int64_t smax)
{
    fc_av a = {(uint8_t)kind, 0, 0, umin, umax, smin, smax};
    if (!norm(&a))
        return fc_av_top(kind);
    return a;
}

static fc_av srange(unsigned kind, int64_t lo, int64_t hi)
{
    fc_av a = {(uint8_t)kind, 0, 0, 0, U64_MAX, lo, hi};
    norm(&a);
    return a;
}

int fc_av_eq(const fc_av *a, const fc_av *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == FC_AV_UNINIT)
        return 1;
    if (a->lk != b->lk || a->lv != b->lv)
        return 0;
    if (fc_av_is_ptr(a))
        return a->smin == b->smin && a->smax == b->smax;
    return a->umin == b->umin && a->umax == b->umax && a->smin == b->smin && a->smax == b->smax;
}

int fc_av_meet_srange(fc_av *a, int64_t lo, int64_t hi)
{
    if (fc_av_is_num(a)) {
        if (lo > a->smin) a->smin = lo;
        if (hi < a->smax) a->smax = hi;
        return norm(a);
    }
    if (!fc_av_is_ptr(a))
        return 1;
    if (a->smin <= -INF || a->smax >= INF) {
        if (lo <= -INF || hi >= INF)
            return 1; /* stays unbounded */
        a->smin = lo;
        a->smax = hi;
    } else {
        if (lo > a->smin) a->smin = lo;
        if (hi < a->smax) a->smax = hi;
    }
    if (a->smin > a->smax)
        return 0;
    if (a->lk >= 64)
        return (int64_t)a->lv >= a->smin && (int64_t)a->lv <= a->smax;
    if (a->lk && !align_srange(&a->smin, &a->smax, a->lk, a->lv))
        return 0;
    return 1;
}

static int same_ptr_kind(const fc_av *a, const fc_av *b)
{
    return fc_av_is_ptr(a) && a->kind == b->kind;
}

fc_av fc_av_join(const fc_av *a, const fc_av *b)
{
    if (a->kind == FC_AV_UNINIT || b->kind == FC_AV_UNINIT)
        return fc_av_uninit();
    unsigned k = kmin(kmin(a->lk, b->lk), ctz64(a->lv ^ b->lv));
    if (fc_av_is_num(a) && fc_av_is_num(b)) {
        fc_av r;
        r.kind = (a->kind == FC_AV_SCALAR && b->kind == FC_AV_SCALAR) ? FC_AV_SCALAR : FC_AV_UNKNOWN;
        r.lk = (uint8_t)k;
        r.lv = a->lv & lmask(k);
        r.umin = umin64(a->umin, b->umin);
        r.umax = umax64(a->umax, b->umax);
        r.smin = smin64(a->smin, b->smin);
        r.smax = smax64(a->smax, b->smax);
        return r;
    }
    if (same_ptr_kind(a, b)) {
        fc_av r = *a;
        r.lk = (uint8_t)k;
        r.lv = a->lv & lmask(k);
        r.smin = smin64(a->smin, b->smin);
        r.smax = smax64(a->smax, b->smax);
        return r;
    }
    return fc_av_top(FC_AV_UNKNOWN);
}

fc_av fc_av_widen(const fc_av *old, const fc_av *nw)
{
    fc_av j = fc_av_join(old, nw);
    if (j.kind != old->kind)
        return j; /* kinds only move up a short chain: no widening needed */
    if (fc_av_is_num(&j)) {
        if (j.umin < old->umin) j.umin = 0;
        if (j.umax > old->umax) j.umax = U64_MAX;
        if (j.smin < old->smin) j.smin = S64_MIN;
        if (j.smax > old->smax) j.smax = S64_MAX;
    } else if (fc_av_is_ptr(&j)) {
        if (j.smin < old->smin || j.smax > old->smax) { /* never half-open: see ptr_add */
            j.smin = -INF;
            j.smax = INF;
        }
    }
    return j;
}

/* ---- concrete semantics ---------------------------------------------- */
static uint64_t bswap(uint64_t v, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < bits / 8; k++)
        r = (r << 8) | ((v >> (8 * k)) & 0xff);
    return r;
}

static int64_t asr64(int64_t x, unsigned k)
{
    /* arithmetic shift without relying on implementation-defined >> */
    return x >= 0 ? (int64_t)((uint64_t)x >> k) : (int64_t)~(~(uint64_t)x >> k);
}

static uint64_t sext(uint64_t v, unsigned bits)
{
    uint64_t m = 1ull << (bits - 1);
    v &= bits == 64 ? U64_MAX : (1ull << bits) - 1;
    return (v ^ m) - m;
}

uint64_t fc_alu_eval(const fc_insn *in, uint64_t a, uint64_t b)
{
    int is64 = FC_CLASS(in->op) == FC_CLS_ALU64;
    unsigned op = FC_OPCODE_OP(in->op);
    int sgn = in->off == 1;

    if ((in->op & FC_SRC_X) == 0 && op != FC_ALU_END)
        b = is64 ? (uint64_t)(int64_t)in->imm : (uint64_t)(uint32_t)in->imm;
    if (op == FC_ALU_END) {
        unsigned w = (unsigned)in->imm;
        if (w != 16 && w != 32 && w != 64)
            return a;
        if (!is64 && !(in->op & FC_SRC_X)) /* le */
            return w == 64 ? a : a & ((1ull << w) - 1);
        return bswap(a, w);
    }
    if (!is64) {
        a &= M32;
        b &= M32;
    }
    uint64_t r;
    switch (op) {
    case FC_ALU_ADD: r = a + b; break;
    case FC_ALU_SUB: r = a - b; break;
    case FC_ALU_MUL: r = a * b; break;
    case FC_ALU_DIV:
        if (b == 0) {
            r = 0;
        } else if (sgn) {
            int64_t x = is64 ? (int64_t)a : (int64_t)sext(a, 32);
            int64_t y = is64 ? (int64_t)b : (int64_t)sext(b, 32);
            if (y == -1)
                r = (uint64_t)0 - (uint64_t)x;  /* INT_MIN / -1 wraps */
            else
                r = (uint64_t)(x / y);
        } else {
            r = a / b;
        }
        break;
    case FC_ALU_MOD:
        if (b == 0) {
            r = a;
        } else if (sgn) {
            int64_t x = is64 ? (int64_t)a : (int64_t)sext(a, 32);
            int64_t y = is64 ? (int64_t)b : (int64_t)sext(b, 32);
            r = y == -1 ? 0 : (uint64_t)(x % y);
        } else {
            r = a % b;
        }
        break;
    case FC_ALU_OR: r = a | b; break;
    case FC_ALU_AND: r = a & b; break;
    case FC_ALU_XOR: r = a ^ b; break;
    case FC_ALU_LSH: r = a << (b & (is64 ? 63u : 31u)); break;
    case FC_ALU_RSH: r = a >> (b & (is64 ? 63u : 31u)); break;
    case FC_ALU_ARSH:
        r = is64 ? (uint64_t)asr64((int64_t)a, (unsigned)(b & 63))
                 : (uint64_t)asr64((int64_t)sext(a, 32), (unsigned)(b & 31));
        break;
    case FC_ALU_NEG: r = (uint64_t)0 - a; break;
    case FC_ALU_MOV:
        if ((in->op & FC_SRC_X) && (in->off == 8 || in->off == 16 || in->off == 32))
            r = sext(b, (unsigned)in->off);
        else
            r = b;
        break;
    default: r = 0; break;
    }
    return is64 ? r : r & M32;
}

/* ---- 64-bit interval arithmetic ------------------------------------------ */
static fc_av full(unsigned kind) { return fc_av_top(kind); }

static uint64_t smear(uint64_t x)
{
    x |= x >> 1; x |= x >> 2; x |= x >> 4; x |= x >> 8; x |= x >> 16; x |= x >> 32;
    return x;
}

static fc_av n_add(unsigned k, const fc_av *a, const fc_av *b)
{
    fc_av r = full(k);
    uint64_t hi;
    int64_t slo, shi;
    if (!__builtin_add_overflow(a->umax, b->umax, &hi)) {
        r.umin = a->umin + b->umin;
        r.umax = hi;
    }
    if (!__builtin_add_overflow(a->smin, b->smin, &slo) &&
        !__builtin_add_overflow(a->smax, b->smax, &shi)) {
        r.smin = slo;
        r.smax = shi;
    }
    norm(&r);
    return r;
}

static fc_av n_sub(unsigned k, const fc_av *a, const fc_av *b)
{
    fc_av r = full(k);
    int64_t slo, shi;
    if (a->umin >= b->umax) {
        r.umin = a->umin - b->umax;
        r.umax = a->umax - b->umin;
    }
    if (!__builtin_sub_overflow(a->smin, b->smax, &slo) &&
        !__builtin_sub_overflow(a->smax, b->smin, &shi)) {
        r.smin = slo;
        r.smax = shi;
    }
    norm(&r);
    return r;
}

static fc_av n_mul(unsigned k, const fc_av *a, const fc_av *b)
{
    fc_av r = full(k);
    uint64_t hi;
    if (!__builtin_mul_overflow(a->umax, b->umax, &hi)) {
        r.umin = a->umin * b->umin;
        r.umax = hi;
    }
    int64_t c[4];
    if (!__builtin_mul_overflow(a->smin, b->smin, &c[0]) &&
        !__builtin_mul_overflow(a->smin, b->smax, &c[1]) &&
        !__builtin_mul_overflow(a->smax, b->smin, &c[2]) &&
        !__builtin_mul_overflow(a->smax, b->smax, &c[3])) {
        r.smin = smin64(smin64(c[0], c[1]), smin64(c[2], c[3]));
        r.smax = smax64(smax64(c[0], c[1]), smax64(c[2], c[3]));
    }
    norm(&r);
    return r;
}

/* unsigned division / modulo on [alo,ahi] by [blo,bhi] (RFC: x/0 = 0, x%0 = x) */
static void u_div(uint64_t alo, uint64_t ahi, uint64_t blo, uint64_t bhi,
                  uint64_t *lo, uint64_t *hi)
{
    if (blo > 0) {
        *lo = alo / bhi;
        *hi = ahi / blo;
    } else if (bhi == 0) {
        *lo = *hi = 0;
    } else {
        *lo = 0;
        *hi = ahi;
    }
}

static void u_mod(uint64_t alo, uint64_t ahi, uint64_t blo, uint64_t bhi,
                  uint64_t *lo, uint64_t *hi)
{
    if (bhi == 0 || (blo > 0 && ahi < blo)) {
        *lo = alo;   /* divisor 0, or dividend always smaller: unchanged */
        *hi = ahi;
    } else if (blo > 0) {
        *lo = 0;
        *hi = umin64(ahi, bhi - 1);
    } else {
        *lo = 0;
        *hi = ahi;
    }
}

/* shift amount range, masked to the width (31 or 63) */
static void shift_range(const fc_insn *in, const fc_av *src, unsigned mask,
                        unsigned *s1, unsigned *s2)
{
    if (!(in->op & FC_SRC_X)) {
        *s1 = *s2 = (unsigned)in->imm & mask;
    } else if (fc_av_is_num(src) && src->umax <= mask) {
        *s1 = (unsigned)src->umin;
        *s2 = (unsigned)src->umax;
    } else {
        *s1 = 0;
        *s2 = mask;
    }
}

/* ---- 32-bit: the low half of a value as an interval in [0, 2^32) --------- */
static void lo32(const fc_av *a, uint64_t *lo, uint64_t *hi)
{
    if (!fc_av_is_num(a)) {
        *lo = 0;
        *hi = M32;
    } else if ((a->umin >> 32) == (a->umax >> 32)) {
        *lo = a->umin & M32;
        *hi = a->umax & M32;
    } else if (((uint64_t)a->smin >> 32) == ((uint64_t)a->smax >> 32)) {
        *lo = (uint64_t)a->smin & M32;
        *hi = (uint64_t)a->smax & M32;
    } else {
        *lo = 0;
        *hi = M32;
    }
}

/* [lo, hi] (lo <= hi, exact integers) reduced modulo 2^32 */
static fc_av block32(unsigned k, uint64_t lo, uint64_t hi)
{
    if ((lo >> 32) == (hi >> 32))
        return fc_av_range(k, lo & M32, hi & M32);
    return fc_av_range(k, 0, M32);
}

static fc_av alu32(unsigned k, const fc_insn *in, const fc_av *d, const fc_av *s)
{
    uint64_t alo, ahi, blo, bhi, lo, hi;
    unsigned op = FC_OPCODE_OP(in->op), s1, s2;
    int sgn = in->off == 1;

    lo32(d, &alo, &ahi);
    if (in->op & FC_SRC_X) {
        lo32(s, &blo, &bhi);
    } else {
        blo = bhi = (uint32_t)in->imm;
    }
    switch (op) {
    case FC_ALU_ADD: return block32(k, alo + blo, ahi + bhi);
    case FC_ALU_SUB: return block32(k, alo + (1ull << 32) - bhi, ahi + (1ull << 32) - blo);
    case FC_ALU_MUL: return block32(k, alo * blo, ahi * bhi);
    case FC_ALU_DIV:
    case FC_ALU_MOD:
        if (sgn && (ahi > 0x7fffffffu || bhi > 0x7fffffffu))
            return fc_av_range(k, 0, M32);
        if (op == FC_ALU_DIV)
            u_div(alo, ahi, blo, bhi, &lo, &hi);
        else
            u_mod(alo, ahi, blo, bhi, &lo, &hi);
        return fc_av_range(k, lo, hi);
    case FC_ALU_AND: return fc_av_range(k, 0, umin64(ahi, bhi));
    case FC_ALU_OR: return fc_av_range(k, umax64(alo, blo), smear(ahi | bhi));
    case FC_ALU_XOR: return fc_av_range(k, 0, smear(ahi | bhi));
    case FC_ALU_LSH:
        shift_range(in, s, 31, &s1, &s2);
        return block32(k, alo << s1, ahi << s2);
    case FC_ALU_RSH:
        shift_range(in, s, 31, &s1, &s2);
        return fc_av_range(k, alo >> s2, ahi >> s1);
    case FC_ALU_ARSH: {
        int64_t slo, shi;
        shift_range(in, s, 31, &s1, &s2);
        if (ahi <= 0x7fffffffu) {
            slo = (int64_t)alo;
            shi = (int64_t)ahi;
        } else if (alo >= 0x80000000u) {
            slo = (int64_t)alo - (1ll << 32);
            shi = (int64_t)ahi - (1ll << 32);
        } else {
            slo = INT32_MIN;
            shi = INT32_MAX;
        }
        int64_t rlo = smin64(asr64(slo, s1), asr64(slo, s2));
        int64_t rhi = smax64(asr64(shi, s1), asr64(shi, s2));
        if (rlo >= 0)
            return fc_av_range(k, (uint64_t)rlo, (uint64_t)rhi);
        if (rhi < 0)
            return fc_av_range(k, (uint64_t)(rlo + (1ll << 32)), (uint64_t)(rhi + (1ll << 32)));
        return fc_av_range(k, 0, M32);
    }
    case FC_ALU_NEG: return block32(k, (1ull << 32) - ahi, (1ull << 32) - alo);
    case FC_ALU_MOV:
        if ((in->op & FC_SRC_X) && (in->off == 8 || in->off == 16)) {
            if (bhi < (1ull << (in->off - 1)))
                return fc_av_range(k, blo, bhi);
            return fc_av_range(k, 0, M32);
        }
        return fc_av_range(k, blo, bhi);
    }
    return fc_av_range(k, 0, M32);
}

static fc_av alu64(unsigned k, const fc_insn *in, const fc_av *d, const fc_av *s)
{
    unsigned op = FC_OPCODE_OP(in->op), s1, s2;
    int sgn = in->off == 1;
    uint64_t lo, hi;

    switch (op) {
    case FC_ALU_ADD: return n_add(k, d, s);
    case FC_ALU_SUB: return n_sub(k, d, s);
    case FC_ALU_MUL: return n_mul(k, d, s);
    case FC_ALU_DIV:
    case FC_ALU_MOD:
        if (sgn && (d->smin < 0 || s->smin < 0))
            return full(k);
        if (op == FC_ALU_DIV)
            u_div(d->umin, d->umax, s->umin, s->umax, &lo, &hi);
        else
            u_mod(d->umin, d->umax, s->umin, s->umax, &lo, &hi);
        return fc_av_range(k, lo, hi);
    case FC_ALU_AND: return fc_av_range(k, 0, umin64(d->umax, s->umax));
    case FC_ALU_OR: return fc_av_range(k, umax64(d->umin, s->umin), smear(d->umax | s->umax));
    case FC_ALU_XOR: return fc_av_range(k, 0, smear(d->umax | s->umax));
    case FC_ALU_LSH:
        shift_range(in, s, 63, &s1, &s2);
        if (d->umax <= (U64_MAX >> s2))
            return fc_av_range(k, d->umin << s1, d->umax << s2);
        return full(k);
    case FC_ALU_RSH:
        shift_range(in, s, 63, &s1, &s2);
        return fc_av_range(k, d->umin >> s2, d->umax >> s1);
    case FC_ALU_ARSH:
        shift_range(in, s, 63, &s1, &s2);
        return srange(k, smin64(asr64(d->smin, s1), asr64(d->smin, s2)),
                      smax64(asr64(d->smax, s1), asr64(d->smax, s2)));
    case FC_ALU_NEG:
        if (d->smin == S64_MIN)
            return full(k);
        return srange(k, -d->smax, -d->smin);
    case FC_ALU_MOV:
        if ((in->op & FC_SRC_X) && (in->off == 8 || in->off == 16 || in->off == 32)) {
            int64_t lim = 1ll << (in->off - 1);
            if (s->smin >= -lim && s->smax < lim)
                return srange(k, s->smin, s->smax);
            return srange(k, -lim, lim - 1);
        }
        return *s;
    }
    return full(k);
}

static fc_av end_op(unsigned k, const fc_insn *in, const fc_av *d)
{
    unsigned w = (unsigned)in->imm;
    int le = FC_CLASS(in->op) == FC_CLS_ALU && !(in->op & FC_SRC_X);
    uint64_t lo, hi;

    if (!fc_av_is_num(d))
        return w == 64 ? full(FC_AV_UNKNOWN) : fc_av_range(FC_AV_UNKNOWN, 0, (1ull << w) - 1);
    if (le) {
        if (w == 64)
            return *d;
        if (w == 32) {
            lo32(d, &lo, &hi);
            return fc_av_range(k, lo, hi);
        }
        if ((d->umin >> 16) == (d->umax >> 16))
            return fc_av_range(k, d->umin & 0xffff, d->umax & 0xffff);
        return fc_av_range(k, 0, 0xffff);
    }
    return w == 64 ? full(k) : fc_av_range(k, 0, (1ull << w) - 1);
}

/* ---- pointer offsets --------------------------------------------------------
 * A pointer's offset range is either finite, inside (-INF, INF), or
 * "unbounded" [-INF, INF]; never half-open. Finite ranges come from exact
 * integer arithmetic (no 64-bit wrap-around can happen below 2^41); once a
 * bound would leave (-INF, INF) the offset is unbounded, because the address
 * itself may then wrap around 2^64 and no one-sided bound would hold. */
static fc_av ptr_unbounded(const fc_av *p)
{
    fc_av r = *p;
    r.smin = -INF;
    r.smax = INF;
    return r;
}

static fc_av ptr_add(const fc_av *p, const fc_av *n, int neg)
{
    int64_t lo = n->smin, hi = n->smax;
    fc_av r = *p;
    unsigned k = kmin(p->lk, n->lk);
    r.lk = (uint8_t)k;
    r.lv = (neg ? p->lv - n->lv : p->lv + n->lv) & lmask(k);
    if (p->smin <= -INF || p->smax >= INF || lo <= -INF || lo >= INF || hi <= -INF || hi >= INF)
        return ptr_unbounded(&r);
    if (neg) {
        int64_t t = lo;
        lo = -hi;
        hi = -t;
    }
    r.smin = p->smin + lo;
    r.smax = p->smax + hi;
    if (r.smin <= -INF || r.smax >= INF)
        return ptr_unbounded(&r);
    if (k >= 64) {
        r.smin = r.smax = (int64_t)r.lv; /* exact (and inside the range) */
    } else if (k && !align_srange(&r.smin, &r.smax, k, r.lv)) {
        r.lk = 0; /* cannot happen for sound inputs; keep the range */
        r.lv = 0;
    }
    return r;
}

/* Known low bits of the result of a numeric ALU instruction (the ranges are
 * computed separately). Low bits of +, -, *, &, |, ^, << depend only on the
 * operands' low bits; right shifts lose as many as they shift. */
static void lowbits(const fc_insn *in, const fc_av *d, const fc_av *s, unsigned *k, uint64_t *v)
{
    int is64 = FC_CLASS(in->op) == FC_CLS_ALU64, x = (in->op & FC_SRC_X) != 0;
    unsigned op = FC_OPCODE_OP(in->op), full = is64 ? 64u : 32u, ka = d->lk, kb, rk = 0, sh = 0;
    uint64_t va = d->lv, vb, rv = 0;
    int shk = 0;

    if (op == FC_ALU_END) {
        unsigned w = (unsigned)in->imm;
        if (FC_CLASS(in->op) == FC_CLS_ALU && !x && w <= 64) { /* le: truncation */
            rk = ka >= w ? 64 : ka;
            rv = w == 64 ? va : va & lmask(w);
        }
        *k = rk;
        *v = rv & lmask(rk);
        return;
    }
    if (x) {
        kb = s->lk;
        vb = s->lv;
    } else {
        kb = 64;
        vb = is64 ? (uint64_t)(int64_t)in->imm : (uint64_t)(uint32_t)in->imm;
    }
    if (!is64) {
        ka = kmin(ka, 32);
        kb = kmin(kb, 32);
    }
    if (!x) {
        sh = (unsigned)in->imm & (full - 1);
        shk = 1;
    } else if (s->lk >= full || (fc_av_is_num(s) && s->umin == s->umax)) {
        sh = (unsigned)s->lv & (full - 1);
        shk = 1;
    }
    uint64_t ma = ~lmask(ka), mb = ~lmask(kb), xa = va & lmask(ka), xb = vb & lmask(kb), m;
    switch (op) {
    case FC_ALU_ADD: rk = kmin(ka, kb); rv = va + vb; break;
    case FC_ALU_SUB: rk = kmin(ka, kb); rv = va - vb; break;
    case FC_ALU_MUL:
        rk = kmin(ka, kb);
        rv = va * vb;
        if (kb >= full)
            rk = (vb & lmask(full)) == 0 ? full : kmin(full, ka + ctz64(vb & lmask(full)));
        else if (ka >= full)
            rk = (va & lmask(full)) == 0 ? full : kmin(full, kb + ctz64(va & lmask(full)));
        break;
    case FC_ALU_AND:
        rv = xa & xb;
        m = (xa | ma) & (xb | mb) & ~rv;
        rk = ctz64(m);
        break;
    case FC_ALU_OR:
        rv = xa | xb;
        m = (ma | mb) & ~rv;
        rk = ctz64(m);
        break;
    case FC_ALU_XOR:
        rv = xa ^ xb;
        m = ma | mb;
        rk = ctz64(m);
        break;
    case FC_ALU_LSH:
        if (shk) {
            rk = kmin(full, ka + sh);
            rv = va << sh;
        }
        break;
    case FC_ALU_RSH:
    case FC_ALU_ARSH:
        if (shk && ka >= full) {
            fc_insn t = *in;
            t.op = (uint8_t)((in->op & ~FC_SRC_X) & 0xff);
            t.imm = (int32_t)sh;
            rv = fc_alu_eval(&t, va, 0);
            rk = full;
        } else if (shk) {
            rk = ka > sh ? ka - sh : 0;
            rv = va >> sh;
        }
        break;
    case FC_ALU_NEG: rk = ka; rv = 0 - va; break;
    case FC_ALU_MOV:
        if (x && (in->off == 8 || in->off == 16 || in->off == 32)) {
            unsigned n = (unsigned)in->off;
            if (kb >= n) {
                rk = full;
                rv = sext(vb, n);
            } else {
                rk = kb;
                rv = vb;
            }
        } else {
            rk = kb;
            rv = vb;
        }
        break;
    default: /* div, mod: only exact operands (handled before) tell anything */
        rk = 0;
        break;
    }
    if (rk > full)
        rk = full;
    if (!is64 && rk >= 32) { /* a 32-bit result with a known low half is known */
        rk = 64;
        rv &= M32;
    }
    *k = rk;
    *v = rv & lmask(rk);
}

/* attach the known low bits to a range result; keep the range if they
 * contradict it (cannot happen for sound inputs) */
static fc_av with_lowbits(fc_av r, const fc_insn *in, const fc_av *d, const fc_av *s)
{
    unsigned k;
    uint64_t v;
    lowbits(in, d, s, &k, &v);
    fc_av t = r;
    t.lk = (uint8_t)k;
    t.lv = v;
    if (norm(&t))
        return t;
    return r;
}

fc_av fc_av_alu(const fc_insn *in, const fc_av *dst, const fc_av *srcv)
{
    int is64 = FC_CLASS(in->op) == FC_CLS_ALU64;
    unsigned op = FC_OPCODE_OP(in->op);
    int x = (in->op & FC_SRC_X) != 0 && op != FC_ALU_END;
    fc_av imm, d = *dst, s;

    /* The operands a transfer reads; UNINIT ones were reported by the
     * caller and are treated as any number from here on. */
    if (op == FC_ALU_MOV)
        d = fc_av_top(FC_AV_SCALAR); /* mov does not read its destination */
    if (d.kind == FC_AV_UNINIT)
        d = fc_av_top(FC_AV_UNKNOWN);
    if (x) {
        s = *srcv;
        if (s.kind == FC_AV_UNINIT)
            s = fc_av_top(FC_AV_UNKNOWN);
    } else {
        imm = fc_av_const(FC_AV_SCALAR, is64 ? (uint64_t)(int64_t)in->imm : (uint64_t)(uint32_t)in->imm);
        s = imm;
    }

    if (op == FC_ALU_END) {
        if (fc_av_is_const(&d))
            return fc_av_const(d.kind, fc_alu_eval(in, d.umin, 0));
        if (!fc_av_is_num(&d))
            return end_op(d.kind, in, &d);
        return with_lowbits(end_op(d.kind, in, &d), in, &d, &s);
    }

    /* pointers */
    if (fc_av_is_ptr(&d) || (x && fc_av_is_ptr(&s))) {
        if (is64 && op == FC_ALU_MOV && in->off == 0)
            return s;
        if (is64 && op == FC_ALU_ADD && fc_av_is_ptr(&d) && fc_av_is_num(&s))
            return ptr_add(&d, &s, 0);
        if (is64 && op == FC_ALU_ADD && fc_av_is_num(&d) && fc_av_is_ptr(&s))
            return ptr_add(&s, &d, 0);
        if (is64 && op == FC_ALU_SUB && fc_av_is_ptr(&d) && fc_av_is_num(&s))
            return ptr_add(&d, &s, 1);
        if (is64 && op == FC_ALU_SUB && same_ptr_kind(&d, &s) && d.kind != FC_AV_STACK_UP &&
            d.smin > -INF && d.smax < INF && s.smin > -INF && s.smax < INF) {
            /* UNKNOWN, not SCALAR: an offset may hold an address-derived
             * number (p + (n | (u32)q) - p), so the difference of two
             * pointers may depend on where regions sit; the range holds */
            fc_av r = srange(FC_AV_UNKNOWN, d.smin - s.smax, d.smax - s.smin), t = r;
            unsigned k = kmin(d.lk, s.lk);
            t.lk = (uint8_t)k;
            t.lv = (d.lv - s.lv) & lmask(k);
            return norm(&t) ? t : r;
        }
        return is64 ? fc_av_top(FC_AV_UNKNOWN) : fc_av_range(FC_AV_UNKNOWN, 0, M32);
    }

    unsigned k;
    if (op == FC_ALU_MOV)
        k = s.kind;
    else if (op == FC_ALU_NEG)
        k = d.kind;
    else
        k = (d.kind == FC_AV_SCALAR && s.kind == FC_AV_SCALAR) ? FC_AV_SCALAR : FC_AV_UNKNOWN;

    int dconst = fc_av_is_const(&d), sconst = fc_av_is_const(&s);
    if ((op == FC_ALU_MOV && sconst) || (op == FC_ALU_NEG && dconst) ||
        (op != FC_ALU_MOV && op != FC_ALU_NEG && dconst && sconst))
        return fc_av_const(k, fc_alu_eval(in, d.umin, s.umin));
    return with_lowbits(is64 ? alu64(k, in, &d, &s) : alu32(k, in, &d, &s), in, &d, &s);
}

/* ---- branches -------------------------------------------------------- */
enum rel { R_EQ, R_NE, R_GT, R_GE, R_LT, R_LE, R_SGT, R_SGE, R_SLT, R_SLE, R_SET, R_NSET };

static enum rel rel_of(unsigned op)
{
    switch (op) {
    case FC_JMP_JEQ: return R_EQ;
    case FC_JMP_JNE: return R_NE;
    case FC_JMP_JGT: return R_GT;
    case FC_JMP_JGE: return R_GE;
    case FC_JMP_JLT: return R_LT;
    case FC_JMP_JLE: return R_LE;
    case FC_JMP_JSGT: return R_SGT;
    case FC_JMP_JSGE: return R_SGE;
    case FC_JMP_JSLT: return R_SLT;
    case FC_JMP_JSLE: return R_SLE;
    default: return R_SET;
    }
}

static enum rel negate(enum rel r)
{
    static const enum rel n[] = {R_NE, R_EQ, R_LE, R_LT, R_GE, R_GT, R_SLE, R_SLT, R_SGE, R_SGT,
                                 R_NSET, R_SET};
    return n[r];
}

static int holds(enum rel r, uint64_t a, uint64_t b)
{
    switch (r) {
    case R_EQ: return a == b;
    case R_NE: return a != b;
    case R_GT: return a > b;
    case R_GE: return a >= b;
    case R_LT: return a < b;
    case R_LE: return a <= b;
    case R_SGT: return (int64_t)a > (int64_t)b;
    case R_SGE: return (int64_t)a >= (int64_t)b;
    case R_SLT: return (int64_t)a < (int64_t)b;
    case R_SLE: return (int64_t)a <= (int64_t)b;
    case R_SET: return (a & b) != 0;
    case R_NSET: return (a & b) == 0;
    }
    return 1;
}

/* Refine numeric a (left) and b (right) so that `a r b` can hold.
 * Returns 0 if it cannot. Unsigned relations use u-ranges, signed s-ranges. */
static int refine_num(enum rel r, fc_av *a, fc_av *b)
{
    switch (r) {
    case R_EQ: {
        unsigned k = kmin(a->lk, b->lk);
        if ((a->lv ^ b->lv) & lmask(k))
            return 0;
        if (a->lk > b->lk) {
            b->lk = a->lk;
            b->lv = a->lv;
        } else {
            a->lk = b->lk;
            a->lv = b->lv;
        }
    }
        a->umin = b->umin = umax64(a->umin, b->umin);
        a->umax = b->umax = umin64(a->umax, b->umax);
        a->smin = b->smin = smax64(a->smin, b->smin);
        a->smax = b->smax = smin64(a->smax, b->smax);
        break;
    case R_NE:
        if (fc_av_is_const(b)) {
            if (a->umin == b->umin && a->umin < U64_MAX) a->umin++;
            else if (a->umax == b->umin && a->umax > 0) a->umax--;
            if (a->smin == b->smin && a->smin < S64_MAX) a->smin++;
            else if (a->smax == b->smin && a->smax > S64_MIN) a->smax--;
            if (fc_av_is_const(a) && a->umin == b->umin && a->umax == b->umax)
                return 0;
        }
        if (fc_av_is_const(a)) {
            if (b->umin == a->umin && b->umin < U64_MAX) b->umin++;
            else if (b->umax == a->umin && b->umax > 0) b->umax--;
            if (b->smin == a->smin && b->smin < S64_MAX) b->smin++;
            else if (b->smax == a->smin && b->smax > S64_MIN) b->smax--;
        }
        break;
    case R_GT:
        if (b->umin == U64_MAX || a->umax == 0) return 0;
        a->umin = umax64(a->umin, b->umin + 1);
        b->umax = umin64(b->umax, a->umax - 1);
        break;
    case R_GE:
        a->umin = umax64(a->umin, b->umin);
        b->umax = umin64(b->umax, a->umax);
        break;
    case R_LT: return refine_num(R_GT, b, a);
    case R_LE: return refine_num(R_GE, b, a);
    case R_SGT:
        if (b->smin == S64_MAX || a->smax == S64_MIN) return 0;
        a->smin = smax64(a->smin, b->smin + 1);
        b->smax = smin64(b->smax, a->smax - 1);
        break;
    case R_SGE:
        a->smin = smax64(a->smin, b->smin);
        b->smax = smin64(b->smax, a->smax);
        break;
    case R_SLT: return refine_num(R_SGT, b, a);
    case R_SLE: return refine_num(R_SGE, b, a);
    case R_SET:
        if (a->umax == 0 || b->umax == 0) return 0;
        break;
    case R_NSET:
        break;
    }
    return norm(a) && norm(b);
}

/*
 * Pointer compares (two pointers of one kind, same base B, so the addresses
 * are B + a and B + b modulo 2^64). B is not known: a region may sit
 * anywhere in the 64-bit guest space, so B + off may wrap around 2^64.
 *
 *   jeq/jne   B + a == B + b (mod 2^64) iff a == b: finite offsets differ by
 *             less than 2^41, so no wrap can make two offsets equal. Always
 *             refined.
 *   unsigned  only with a window W = [lo, hi] of offsets the region is known
 *             to hold (B + lo >= 0 and B + hi + 1 <= 2^64 as integers): if
 *             the operand on the smaller side of the relation lies in
 *             [lo - 1, hi] and the one on the greater side in [lo, hi + 1],
 *             the unsigned order of the addresses is the order of the
 *             offsets. Only lo - 1 (address 2^64 - 1 when B + lo = 0) and
 *             hi + 1 (address 0 when B + hi + 1 = 2^64) can wrap, never
 *             both, and a wrapped operand makes the relation false: the
 *             smaller side at 2^64 - 1 or the greater side at 0 is never
 *             below the other. So one past either end (p < end, p >= start)
 *             is refined, anything farther out is not.
 *   signed, jset: never refined.
 */
static int within(const fc_av *a, int64_t lo, int64_t hi) { return a->smin >= lo && a->smax <= hi; }

static int refine_ptr(enum rel r, fc_av *a, fc_av *b, const fc_av_win *w)
{
    enum rel sr;
    if (r == R_EQ || r == R_NE) {
        sr = r;
    } else if (r >= R_GT && r <= R_LE) {
        if (!w || a->kind >= FC_AV__COUNT || w->lo[a->kind] > w->hi[a->kind])
            return 1;
        int64_t lo = w->lo[a->kind], hi = w->hi[a->kind];
        const fc_av *less = (r == R_LT || r == R_LE) ? a : b, *more = less == a ? b : a;
        if (lo <= -INF || hi >= INF || !within(less, lo - 1, hi) || !within(more, lo, hi + 1))
            return 1;
        sr = r == R_GT ? R_SGT : r == R_GE ? R_SGE : r == R_LT ? R_SLT : R_SLE;
    } else {
        return 1;
    }
    fc_av x = srange(FC_AV_SCALAR, a->smin, a->smax), y = srange(FC_AV_SCALAR, b->smin, b->smax);
    x.lk = a->lk;
    x.lv = a->lv;
    y.lk = b->lk;
    y.lv = b->lv;
    if (!norm(&x) || !norm(&y))
        return 0;
    if (!refine_num(sr, &x, &y))
        return 0;
    a->smin = x.smin; a->smax = x.smax; a->lk = x.lk; a->lv = x.lv;
    b->smin = y.smin; b->smax = y.smax; b->lk = y.lk; b->lv = y.lv;
    return 1;
}

int fc_av_branch(const fc_insn *in, fc_av *dst, fc_av *src, int taken)
{
    return fc_av_branch_win(in, dst, src, taken, 0);
}

int fc_av_branch_win(const fc_insn *in, fc_av *dst, fc_av *src, int taken, const fc_av_win *w)
{
    int is32 = FC_CLASS(in->op) == FC_CLS_JMP32;
    enum rel r = rel_of(FC_OPCODE_OP(in->op));
    fc_av kv, *b;

    if (!taken)
        r = negate(r);
    if (in->op & FC_SRC_X) {
        b = src;
    } else {
        kv = fc_av_const(FC_AV_SCALAR, is32 ? (uint64_t)(uint32_t)in->imm : (uint64_t)(int64_t)in->imm);
        b = &kv;
    }
    if (dst->kind == FC_AV_UNINIT || b->kind == FC_AV_UNINIT)
        return 1;

    if (fc_av_is_num(dst) && fc_av_is_num(b)) {
        if (!is32) {
            if (fc_av_is_const(dst) && fc_av_is_const(b))
                return holds(r, dst->umin, b->umin);
            return refine_num(r, dst, b);
        }
        /* 32-bit compare: exact when both are known; otherwise refine only
         * when the low halves stand for the whole values: unsigned view if
         * both are below 2^32, signed view if both fit in int32. */
        if (fc_av_is_const(dst) && fc_av_is_const(b)) {
            uint64_t x = dst->umin & M32, y = b->umin & M32;
            if (r >= R_SGT && r <= R_SLE) {
                x = sext(x, 32);
                y = sext(y, 32);
            }
            return holds(r, x, y);
        }
        int x = (in->op & FC_SRC_X) != 0;
        fc_av ks = fc_av_const(FC_AV_SCALAR, (uint64_t)(int64_t)in->imm);
        int uview = dst->umax <= M32 && (!x || b->umax <= M32);
        int sview = dst->smin >= INT32_MIN && dst->smax <= INT32_MAX &&
                    (!x || (b->smin >= INT32_MIN && b->smax <= INT32_MAX));
        if (r == R_SET || r == R_NSET)
            return 1;
        if (r >= R_SGT && r <= R_SLE)
            return sview ? refine_num(r, dst, x ? b : &ks) : 1;
        if (r == R_EQ || r == R_NE) {
            if (uview)
                return refine_num(r, dst, b);
            if (sview)
                return refine_num(r, dst, x ? b : &ks);
            return 1;
        }
        return uview ? refine_num(r, dst, b) : 1;
    }
    if (!is32 && same_ptr_kind(dst, b) && dst->kind != FC_AV_STACK_UP &&
        dst->smin > -INF && dst->smax < INF && b->smin > -INF && b->smax < INF)
        return refine_ptr(r, dst, b, w);
    return 1;
}
