/*
 * fc_ed25519.c - Ed25519 verification, RFC 8032 section 5.1.7, written for
 * small code and bounded memory on 32-bit cores: no recursion, no
 * allocation, 64-bit products of 32-bit limbs only; ROM data is four 32-byte
 * constants and [1,3,5,7]B (256 bytes); about 2.4 KB of machine stack
 * (Cortex-M3, one-shot call included). [S]B - [k]A is one joint loop of 254
 * doublings with width-4 signed windows for both scalars (about 100
 * additions). It handles public data only, so it is not constant-time.
 *
 * Decisions on the edge cases (compared with OpenSSL 3.0, Debian 12's
 * libcrypto, by the test step ed25519-openssl; where we differ we are
 * deliberately stricter):
 *
 *   S >= L          rejected (RFC 8032 5.1.7 step 1; OpenSSL rejects too).
 *   A not decoding  rejected, as RFC 8032 5.1.3 says: y >= p (non-canonical),
 *                   no square root for x (step 3), x = 0 with the sign bit
 *                   set (step 4). Off-curve keys: OpenSSL rejects too. The
 *                   other two it accepts: it reduces y mod p and ignores the
 *                   sign bit of x = 0.
 *   small-order A   rejected: [8]A = identity, which covers the identity
 *                   (01 00 .. 00), the all-zero key (y = 0, a point of order 4)
 *                   and the six other points of order 2, 4 or 8. OpenSSL
 *                   accepts such keys, and with one anyone can make a
 *                   signature that holds for any message (S = 0 and R = the
 *                   encoding of -[k]A, one of eight points); a device must
 *                   not trust it. The non-canonical encodings OpenSSL reads
 *                   leniently that are on the curve at all are of this kind
 *                   (y mod p = 0 or 1), except y + p for the ten y < 19 on
 *                   the curve with a large order: no one knows a secret for
 *                   those, so the difference there is not observable.
 *   mixed-order A   (a prime-order point plus a small-order one) accepted when
 *                   the equation holds, as OpenSSL does.
 *   R               not decoded: the encoding of [S]B - [k]A is compared with
 *                   the 32 bytes of R (cofactorless, as OpenSSL), so a
 *                   non-canonical R never matches.
 *
 * Field elements mod p = 2^255 - 19 are ten unsigned limbs of 26 and 25
 * bits, alternating (radix 2^25.5): limb i weighs 2^ceil(25.5 i). Every
 * operation returns "carried" limbs: even limbs < 2^26, odd limbs < 2^25,
 * except limb 1, which may exceed 2^25 by a few bits. The value is then
 * below 2p, and fe_bytes reduces it to its canonical form.
 */
#include "fc_ed25519.h"

typedef uint32_t fe[10];

typedef struct pt {                /* extended coordinates, RFC 8032 5.1.4: */
    fe X, Y, Z, T;                 /* x = X/Z, y = Y/Z, x*y = T/Z */
} pt;

/* Little-endian encodings of the constants (RFC 8032 5.1):
 * d = -121665/121666, sqrt(-1) = 2^((p-1)/4) and the group order L = 2^252 + 27742317777372353535851937790883648493. */
static const uint8_t C_D[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
static const uint8_t C_SQRTM1[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};
static const uint8_t C_L[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};
/* [1]B, [3]B, [5]B, [7]B as (x, y), little-endian: the odd multiples the
 * width-4 signed windows of S use (256 bytes; computed from B = (x, 4/5),
 * x even, with the curve's addition law). */
static const uint8_t C_BMUL[4][2][32] = {
    { /* [1]B */
        { 0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
          0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21 },
        { 0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
          0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66 },
    },
    { /* [3]B */
        { 0x5c, 0xe2, 0xf8, 0xd3, 0x5f, 0x48, 0x62, 0xac, 0x86, 0x48, 0x62, 0x81, 0x19, 0x98, 0x43, 0x63,
          0x3a, 0xc8, 0xda, 0x3e, 0x74, 0xae, 0xf4, 0x1f, 0x49, 0x8f, 0x92, 0x22, 0x4a, 0x9c, 0xae, 0x67 },
        { 0xd4, 0xb4, 0xf5, 0x78, 0x48, 0x68, 0xc3, 0x02, 0x04, 0x03, 0x24, 0x67, 0x17, 0xec, 0x16, 0x9f,
          0xf7, 0x9e, 0x26, 0x60, 0x8e, 0xa1, 0x26, 0xa1, 0xab, 0x69, 0xee, 0x77, 0xd1, 0xb1, 0x67, 0x12 },
    },
    { /* [5]B */
        { 0x33, 0xf2, 0x2e, 0x32, 0xc0, 0x9c, 0x40, 0x91, 0xa5, 0xe1, 0x1b, 0x3e, 0xf9, 0x19, 0x28, 0x5c,
          0xde, 0xa5, 0x2d, 0xd1, 0xf7, 0x7c, 0xef, 0xfc, 0x7b, 0x58, 0xe3, 0xad, 0x3e, 0xa7, 0xfd, 0x49 },
        { 0xed, 0xc8, 0x76, 0xd6, 0x83, 0x1f, 0xd2, 0x10, 0x5d, 0x0b, 0x43, 0x89, 0xca, 0x2e, 0x28, 0x31,
          0x66, 0x46, 0x92, 0x89, 0x14, 0x6e, 0x2c, 0xe0, 0x6f, 0xae, 0xfe, 0x98, 0xb2, 0x25, 0x48, 0x5f },
    },
    { /* [7]B */
        { 0x07, 0x41, 0x0e, 0xf5, 0x1a, 0x98, 0x55, 0x58, 0x95, 0xce, 0xf1, 0xbb, 0xf3, 0x09, 0xe8, 0x83,
          0x07, 0x81, 0x1d, 0x4b, 0x19, 0xee, 0xe3, 0xe9, 0x4e, 0xbd, 0xf4, 0xfc, 0x85, 0x86, 0x56, 0x14 },
        { 0xb8, 0x62, 0x40, 0x9f, 0xb5, 0xc4, 0xc4, 0x12, 0x3d, 0xf2, 0xab, 0xf7, 0x46, 0x2b, 0x88, 0xf0,
          0x41, 0xad, 0x36, 0xdd, 0x68, 0x64, 0xce, 0x87, 0x2f, 0xd5, 0x47, 0x2b, 0xe3, 0x63, 0xc5, 0x31 },
    },
};

/* ---- field arithmetic mod p ------------------------------------------------ */

#define W(i) (26u - ((i) & 1u))            /* width of limb i */

static void fe_set(fe o, uint32_t v)
{
    unsigned i;
    o[0] = v;                              /* v < 2^25 */
    for (i = 1; i < 10; i++)
        o[i] = 0;
}

/* Carries 64-bit columns into limbs. 2^255 = 19 (mod p) folds the carry out
 * of limb 9 into limb 0, which is carried once more into limb 1. */
static void carry(fe o, uint64_t t[10])
{
    unsigned i;
    uint64_t c;
    for (i = 0; i < 10; i += 2) {      /* pairs: constant shifts (no libgcc calls on RV32) */
        c = t[i] >> 26;
        t[i] &= (1u << 26) - 1u;
        t[i + 1] += c;
        c = t[i + 1] >> 25;
        t[i + 1] &= (1u << 25) - 1u;
        if (i < 8)
            t[i + 2] += c;
        else
            t[0] += 19u * c;
    }
    c = t[0] >> 26;
    t[0] &= (1u << 26) - 1u;
    t[1] += c;
    for (i = 0; i < 10; i++)
        o[i] = (uint32_t)t[i];
}

static void fe_add(fe o, const fe a, const fe b)
{
    uint64_t t[10];
    unsigned i;
    for (i = 0; i < 10; i++)
        t[i] = (uint64_t)a[i] + b[i];
    carry(o, t);
}

/* a - b computed as a + 2p - b: limbwise 2p is 2^27-38, 2^26-2, 2^27-2, ...,
 * each above any carried limb of b, so no limb goes negative. */
static void fe_sub(fe o, const fe a, const fe b)
{
    uint64_t t[10];
    unsigned i;
    for (i = 0; i < 10; i++)
        t[i] = (uint64_t)a[i] + ((2u << W(i)) - 2u) - b[i];
    t[0] -= 36u;
    carry(o, t);
}

/* o = a * b, schoolbook over the limbs: a_i b_j lands in column i+j. When
 * i and j are both odd the weights add up to one bit more than the column's
 * (25.5 i + 0.5 + 25.5 j + 0.5), hence a factor 2; columns from 10 up wrap
 * around with a factor 19 (2^255 = 19 mod p). Both factors are applied to b
 * beforehand (m[0]: b, m[1]: b with odd limbs doubled, m[2], m[3]: the same
 * times 19), so the inner loops are plain multiply-accumulates. With carried
 * inputs every term is below 2^27 * 2^31 and a column of ten below 2^62. */
static void premul(uint32_t m[4][10], const fe b)
{
    unsigned j;
    for (j = 0; j < 10; j++) {
        m[0][j] = b[j];
        m[1][j] = b[j] << (j & 1u);
        m[2][j] = 19u * m[0][j];
        m[3][j] = 19u * m[1][j];
    }
}

static void fe_mul(fe o, const fe a, const fe b)
{
    uint64_t t[10];
    uint32_t m[4][10];
    unsigned i, j;
    premul(m, b);
    for (i = 0; i < 10; i++)
        t[i] = 0;
    for (i = 0; i < 10; i++) {
        const uint32_t *lo = m[i & 1u], *hi = m[2 + (i & 1u)];
        uint64_t x = a[i];
        for (j = 0; j < 10 - i; j++)
            t[i + j] += x * lo[j];
        for (; j < 10; j++)
            t[i + j - 10] += x * hi[j];
    }
    carry(o, t);
}

/* o = a^2: as fe_mul with b = a, each a_i a_j (i < j) taken once, doubled:
 * 55 products instead of 100; terms below 2^27 * 2^31 still. */
static void fe_sq(fe o, const fe a)
{
    uint64_t t[10];
    uint32_t m[4][10];
    unsigned i, j;
    premul(m, a);
    for (i = 0; i < 10; i++)
        t[i] = 0;
    for (i = 0; i < 10; i++) {
        const uint32_t *lo = m[i & 1u], *hi = m[2 + (i & 1u)];
        uint64_t x = a[i], x2 = 2u * a[i];
        if (2 * i < 10)
            t[2 * i] += x * lo[i];
        else
            t[2 * i - 10] += x * hi[i];
        for (j = i + 1; j < 10 - i; j++)
            t[i + j] += x2 * lo[j];
        for (j = (i + 1 > 10 - i ? i + 1 : 10 - i); j < 10; j++)
            t[i + j - 10] += x2 * hi[j];
    }
    carry(o, t);
}

/* o = a^(2^n) * b (n >= 1); o may alias a or b. */
static void fe_sqn_mul(fe o, const fe a, unsigned n, const fe b)
{
    fe t;
    fe_sq(t, a);
    while (--n)
        fe_sq(t, t);
    fe_mul(o, t, b);
}

/* The common part of z^(p-2) and z^((p-5)/8): z250 = z^(2^250 - 1) and
 * z11 = z^11, by the usual chain of 254 squarings and 11 multiplications. */
static void pow_chain(fe z250, fe z11, const fe z)
{
    fe t, z10, z50;
    fe_sq(t, z);                   /* z^2 */
    fe_sqn_mul(z250, t, 2, z);     /* z^9 (z250 is free until the end) */
    fe_mul(z11, z250, t);          /* z^11 */
    fe_sqn_mul(t, z11, 1, z250);   /* z^22 * z^9 = z^(2^5 - 1) */
    fe_sqn_mul(z10, t, 5, t);      /* z^(2^10 - 1) */
    fe_sqn_mul(t, z10, 10, z10);   /* z^(2^20 - 1) */
    fe_sqn_mul(t, t, 20, t);       /* z^(2^40 - 1) */
    fe_sqn_mul(z50, t, 10, z10);   /* z^(2^50 - 1) */
    fe_sqn_mul(t, z50, 50, z50);   /* z^(2^100 - 1) */
    fe_sqn_mul(t, t, 100, t);      /* z^(2^200 - 1) */
    fe_sqn_mul(z250, t, 50, z50);  /* z^(2^250 - 1) */
}

/* o = 1/z = z^(p-2), p - 2 = 2^255 - 21 = (2^250 - 1) * 2^5 + 11. */
static void fe_inv(fe o, const fe z)
{
    fe z250, z11;
    pow_chain(z250, z11, z);
    fe_sqn_mul(o, z250, 5, z11);
}

/* o = z^((p-5)/8), (p-5)/8 = 2^252 - 3 = (2^250 - 1) * 2^2 + 1. */
static void fe_pow22523(fe o, const fe z)
{
    fe z250, z11;
    pow_chain(z250, z11, z);
    fe_sqn_mul(o, z250, 2, z);
}

/* The low 255 bits of s (little-endian) as limbs: the top bit is the
 * caller's (the sign of x in a point encoding). */
static void fe_load(fe o, const uint8_t s[32])
{
    unsigned i, pos = 0, k;
    for (i = 0; i < 10; i++) {
        uint64_t v = 0;
        for (k = 0; k < 5 && (pos >> 3) + k < 32; k++)
            v |= (uint64_t)s[(pos >> 3) + k] << (8 * k);
        o[i] = (uint32_t)(v >> (pos & 7)) & ((1u << W(i)) - 1u);
        pos += W(i);
    }
    o[9] &= (1u << 25) - 1u;           /* drops bit 255 */
}

/* The canonical 32-byte little-endian form (RFC 8032 5.1.2: the value in
 * [0, p)). The limbs are packed into a 256-bit number v < 2p, then
 * v >= p is decided by whether v + 19 reaches 2^255. */
static void fe_bytes(uint8_t s[32], const fe a)
{
    uint32_t w[8];
    uint64_t acc = 0;
    unsigned i, k = 0, bits = 0;
    uint32_t c;

    for (i = 0; i < 10; i++) {
        acc += (uint64_t)a[i] << bits;
        bits += W(i);
        while (bits >= 32 && k < 8) {
            w[k++] = (uint32_t)acc;
            acc >>= 32;
            bits -= 32;
        }
    }
    w[7] = (uint32_t)acc;              /* the last 31 bits and any excess */
    /* fold bit 255 and up: v = (v mod 2^255) + 19 * (v >> 255) */
    c = 19u * (w[7] >> 31);
    w[7] &= 0x7fffffffu;
    for (i = 0; i < 8 && c; i++) {
        acc = (uint64_t)w[i] + c;
        w[i] = (uint32_t)acc;
        c = (uint32_t)(acc >> 32);
    }
    /* v < 2^255 + 19 now; v >= p iff v + 19 >= 2^255, and then v - p = v + 19 - 2^255 */
    c = 19u;
    {
        uint32_t t[8];
        for (i = 0; i < 8; i++) {
            acc = (uint64_t)w[i] + c;
            t[i] = (uint32_t)acc;
            c = (uint32_t)(acc >> 32);
        }
        if (t[7] >> 31) {
            t[7] &= 0x7fffffffu;
            for (i = 0; i < 8; i++)
                w[i] = t[i];
        }
    }
    for (i = 0; i < 32; i++)
        s[i] = (uint8_t)(w[i >> 2] >> (8 * (i & 3)));
}

static int bytes_eq(const uint8_t *a, const uint8_t *b, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int fe_eq(const fe a, const fe b)
{
    uint8_t x[32], y[32];
    fe_bytes(x, a);
    fe_bytes(y, b);
    return bytes_eq(x, y, 32);
}

static int fe_iszero(const fe a)
{
    fe z;
    fe_set(z, 0);
    return fe_eq(a, z);
}

static int fe_odd(const fe a)              /* RFC 8032 5.1.2: the "sign" of x */
{
    uint8_t s[32];
    fe_bytes(s, a);
    return s[0] & 1;
}

static void fe_neg(fe o, const fe a)
{
    fe z;
    fe_set(z, 0);
    fe_sub(o, z, a);
}

/* ---- points (RFC 8032 5.1.4, a = -1) -------------------------------------- */

static void pt_identity(pt *p)
{
    fe_set(p->X, 0);
    fe_set(p->Y, 1);
    fe_set(p->Z, 1);
    fe_set(p->T, 0);
}

/* r = p + q, or p - q when neg (-q = (-X, Y, Z, -T): Y-X and Y+X trade
 * places and C changes sign, so F and G trade places). RFC 8032 5.1.4;
 * complete: also right for p == q and for the identity. r may alias p. */
static void pt_add(pt *r, const pt *p, const pt *q, int neg)
{
    fe a, b, c, d;
    fe_sub(a, p->Y, p->X);
    fe_sub(c, q->Y, q->X);
    fe_add(d, q->Y, q->X);
    fe_mul(a, a, neg ? d : c);         /* A = (Y1-X1)*(Y2-X2) */
    fe_add(b, p->Y, p->X);
    fe_mul(b, b, neg ? c : d);         /* B = (Y1+X1)*(Y2+X2) */
    fe_load(d, C_D);
    fe_add(d, d, d);
    fe_mul(c, p->T, q->T);
    fe_mul(c, c, d);                   /* C = T1*2*d*T2 */
    fe_mul(d, p->Z, q->Z);
    fe_add(d, d, d);                   /* D = Z1*2*Z2 */
    /* E = B-A, F = D-C, G = D+C, H = B+A; X3 = E*F, Y3 = G*H, T3 = E*H, Z3 = F*G */
    fe_sub(r->T, b, a);                /* E */
    fe_add(r->Y, b, a);                /* H */
    fe_sub(neg ? b : a, d, c);         /* F */
    fe_add(neg ? a : b, d, c);         /* G */
    fe_mul(r->X, r->T, a);
    fe_mul(r->Z, a, b);
    fe_mul(r->T, r->T, r->Y);
    fe_mul(r->Y, b, r->Y);
}

/* r = 2p (RFC 8032 5.1.4 doubling); r may alias p. */
static void pt_dbl(pt *r, const pt *p)
{
    fe a, b, c, h;
    fe_sq(a, p->X);                    /* A = X1^2 */
    fe_sq(b, p->Y);                    /* B = Y1^2 */
    fe_sq(c, p->Z);
    fe_add(c, c, c);                   /* C = 2*Z1^2 */
    fe_add(h, a, b);                   /* H = A+B */
    fe_add(r->T, p->X, p->Y);
    fe_sq(r->T, r->T);
    fe_sub(r->T, h, r->T);             /* E = H-(X1+Y1)^2 */
    fe_sub(a, a, b);                   /* G = A-B */
    fe_add(c, c, a);                   /* F = C+G */
    fe_mul(r->X, r->T, c);             /* X3 = E*F */
    fe_mul(r->Y, a, h);                /* Y3 = G*H */
    fe_mul(r->T, r->T, h);             /* T3 = E*H */
    fe_mul(r->Z, c, a);                /* Z3 = F*G */
}

/* RFC 8032 5.1.2 */
static void pt_encode(uint8_t s[32], const pt *p)
{
    fe zi, x, y;
    fe_inv(zi, p->Z);
    fe_mul(x, p->X, zi);
    fe_mul(y, p->Y, zi);
    fe_bytes(s, y);
    s[31] |= (uint8_t)(fe_odd(x) << 7);
}

/* RFC 8032 5.1.3; 0 on success, -1 when s is not the encoding of a point. */
static int pt_decode(pt *p, const uint8_t s[32])
{
    fe u, v, t, vx2;
    uint8_t c[32];
    int sign = s[31] >> 7;

    /* step 1: y is the low 255 bits, and must be below p */
    fe_load(p->Y, s);
    fe_bytes(c, p->Y);
    c[31] |= (uint8_t)(sign << 7);
    if (!bytes_eq(c, s, 32))
        return -1;
    /* step 2: u = y^2 - 1, v = d y^2 + 1, x = u v^3 (u v^7)^((p-5)/8) */
    fe_set(p->Z, 1);
    fe_sq(u, p->Y);
    fe_load(v, C_D);
    fe_mul(v, v, u);
    fe_sub(u, u, p->Z);
    fe_add(v, v, p->Z);
    fe_sq(t, v);
    fe_mul(t, t, v);                   /* v^3 */
    fe_sq(vx2, t);
    fe_mul(vx2, vx2, v);               /* v^7 */
    fe_mul(vx2, vx2, u);               /* u v^7 */
    fe_pow22523(vx2, vx2);
    fe_mul(t, t, u);
    fe_mul(p->X, t, vx2);
    /* step 3: v x^2 = u: x is a root; v x^2 = -u: x * sqrt(-1) is; else none */
    fe_sq(vx2, p->X);
    fe_mul(vx2, vx2, v);
    if (!fe_eq(vx2, u)) {
        fe_add(vx2, vx2, u);
        if (!fe_iszero(vx2))
            return -1;
        fe_load(t, C_SQRTM1);
        fe_mul(p->X, p->X, t);
    }
    /* step 4: x = 0 with the sign bit set is invalid; else pick the root by its parity */
    if (fe_iszero(p->X) && sign)
        return -1;
    if (fe_odd(p->X) != sign)
        fe_neg(p->X, p->X);
    fe_mul(p->T, p->X, p->Y);
    return 0;
}

/* ---- scalars mod L (RFC 8032 5.1.7) ---------------------------------------- */

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* 1 when the little-endian 32-byte s is below L. */
static int below_l(const uint8_t s[32])
{
    int i;
    for (i = 31; i >= 0; i--)
        if (s[i] != C_L[i])
            return s[i] < C_L[i];
    return 0;                          /* s == L */
}

/* k = h mod L for the 512-bit little-endian h, one bit at a time: r = 2r + bit,
 * minus L when that reaches L. r < L < 2^253, so 2r + 1 fits in 256 bits.
 * 512 rounds of eight words: a few ten thousand instructions, no table. */
static void reduce_l(uint32_t k[8], const uint8_t h[64])
{
    uint32_t l[8], t[8];
    unsigned i, j;
    for (j = 0; j < 8; j++) {
        l[j] = ld32(C_L + 4 * j);
        k[j] = 0;
    }
    for (i = 512; i-- > 0;) {
        uint32_t c = (h[i >> 3] >> (i & 7)) & 1u, b = 0;
        for (j = 0; j < 8; j++) {      /* k = 2k + bit */
            uint32_t n = k[j] >> 31;
            k[j] = (k[j] << 1) | c;
            c = n;
        }
        for (j = 0; j < 8; j++) {      /* t = k - L, b = borrow */
            uint64_t d = (uint64_t)k[j] - l[j] - b;
            t[j] = (uint32_t)d;
            b = (uint32_t)(d >> 63);
        }
        if (!b)
            for (j = 0; j < 8; j++)
                k[j] = t[j];
    }
}

/* Width-4 signed windows (wNAF) of a scalar below 2^253 (eight words):
 * digits d[i] in {0, +-1, +-3, +-5, +-7} with sum d[i] 2^i = k, and at least
 * three zeros after each non-zero digit, so about one digit in five is
 * non-zero; k < 2^253 needs at most 254 digits. Each digit goes into the
 * 4-bit field of r[i] at bit `shift` (two's complement), so that the digits
 * of both scalars share one array. */
static int digit(uint8_t r, unsigned shift) { return (int)(((r >> shift) & 15u) ^ 8u) - 8; }

static void wnaf(uint8_t r[254], const uint32_t in[8], unsigned shift)
{
    uint32_t k[8];
    unsigned i, j;
    for (j = 0; j < 8; j++)
        k[j] = in[j];
    for (i = 0; i < 254; i++) {
        int dg = 0;
        if (k[0] & 1u) {
            uint32_t c;
            dg = (int)(k[0] & 15u);
            if (dg > 8)
                dg -= 16;              /* k - dg is now a multiple of 16 */
            if (dg > 0) {              /* k -= dg, with the borrow */
                c = (uint32_t)dg;
                for (j = 0; j < 8 && c; j++) {
                    uint32_t o = k[j];
                    k[j] = o - c;
                    c = k[j] > o;
                }
            } else {                   /* k += -dg, with the carry */
                c = (uint32_t)-dg;
                for (j = 0; j < 8 && c; j++) {
                    k[j] += c;
                    c = k[j] < c;
                }
            }
        }
        r[i] |= (uint8_t)(((unsigned)dg & 15u) << shift);
        for (j = 0; j < 7; j++)        /* k >>= 1 */
            k[j] = (k[j] >> 1) | (k[j + 1] << 31);
        k[7] >>= 1;
    }
}

/* ---- verification (RFC 8032 5.1.7) ---------------------------------------- */

void fc_ed25519_verify_start(fc_ed25519_vfy *v, const uint8_t pub[32], const uint8_t sig[64])
{
    unsigned i;
    for (i = 0; i < 64; i++)
        v->sig[i] = sig[i];
    for (i = 0; i < 32; i++)
        v->pub[i] = pub[i];
    /* step 1: S must be in [0, L) (the check against malleability) */
    v->bad = !below_l(sig + 32);
    /* step 2: k = SHA-512(dom2(F, C) || R || A || PH(M)); dom2 is empty for Ed25519 */
    fc_sha512_init(&v->h);
    fc_sha512_update(&v->h, sig, 32);
    fc_sha512_update(&v->h, pub, 32);
}

void fc_ed25519_verify_update(fc_ed25519_vfy *v, const void *msg, size_t len)
{
    fc_sha512_update(&v->h, msg, len);
}

int fc_ed25519_verify_finish(fc_ed25519_vfy *v)
{
    pt ta[4], q, bm;                   /* ta: [1]A, [3]A, [5]A, [7]A; bm: one of C_BMUL */
    uint8_t d[254];                    /* windows: of S in bits 0..3, of k in bits 4..7 */
    uint8_t h[64], e[32];
    uint32_t k[8];
    int i;
    unsigned j;

    fc_sha512_final(&v->h, h);
    if (v->bad)
        return -1;
    /* step 1: A must decode, and (our rule, see the top) not be of small order */
    if (pt_decode(&ta[0], v->pub) != 0)
        return -1;
    pt_dbl(&q, &ta[0]);
    pt_dbl(&q, &q);
    pt_dbl(&q, &q);
    if (fe_iszero(q.X))                /* [8]A = (0, 1): A has order 1, 2, 4 or 8 */
        return -1;
    for (j = 0; j < 254; j++)
        d[j] = 0;
    reduce_l(k, h);
    wnaf(d, k, 4);
    for (j = 0; j < 8; j++)
        k[j] = ld32(v->sig + 32 + 4 * j);
    wnaf(d, k, 0);
    /* step 3: [S]B = R + [k]A, checked as encode([S]B - [k]A) == R. One
     * doubling per bit from the top (Straus/Shamir), adding or subtracting
     * the multiple of B or A a non-zero window asks for. */
    pt_dbl(&q, &ta[0]);                /* [2]A */
    for (j = 1; j < 4; j++)
        pt_add(&ta[j], &ta[j - 1], &q, 0);
    pt_identity(&q);
    fe_set(bm.Z, 1);
    for (i = 253; i >= 0; i--) {
        int ds = digit(d[i], 0), dk = digit(d[i], 4);
        pt_dbl(&q, &q);
        if (ds) {
            const uint8_t (*m)[32] = C_BMUL[(ds < 0 ? -ds : ds) >> 1];
            fe_load(bm.X, m[0]);
            fe_load(bm.Y, m[1]);
            fe_mul(bm.T, bm.X, bm.Y);
            pt_add(&q, &q, &bm, ds < 0);
        }
        if (dk)                        /* -[k]A: subtract for a positive digit */
            pt_add(&q, &q, &ta[(dk < 0 ? -dk : dk) >> 1], dk > 0);
    }
    pt_encode(e, &q);
    return bytes_eq(e, v->sig, 32) ? 0 : -1;
}

int fc_ed25519_verify(const uint8_t sig[64], const uint8_t pub[32], const void *msg, size_t len)
{
    fc_ed25519_vfy v;
    fc_ed25519_verify_start(&v, pub, sig);
    fc_ed25519_verify_update(&v, msg, len);
    return fc_ed25519_verify_finish(&v);
}
