/*
 * fuzz_sound.c - the soundness net: programs generated to stress the
 * analysis, every accepted one run with fact checking (sound_check.h) and
 * in every engine with the verifier's facts applied.
 *
 *   fuzz-sound [-n COUNT | --seconds S] [--seed S] [-j JOBS] [-v]
 *              [--no-weak-profiles] [--no-ptr-cmp] [--save DIR]
 *   fuzz-sound --seed S --replay            one program (S: its own seed,
 *                                           as a violation prints it)
 *   fuzz-sound --regress DIR                replay every .fcs file in DIR
 *   fuzz-sound --self-test                  the checker finds planted lies
 *
 * Program k of a campaign has the seed splitmix(SEED + k); everything about
 * it (code, context, sections, verifier options, budget) comes from that
 * seed, so `--seed <it> --replay` rebuilds it exactly.
 *
 * What a program holds (aimed at the analysis, beside diff-random's whole
 * ISA coverage): indices from the context, constants near 2^31/2^32/2^63,
 * r2, narrowed by ALU32/ALU64 mixes, sign extension, shifts, multiplies,
 * masks and conditional jumps (JMP and JMP32, signed and unsigned), then
 * added to pointers (frame, context, sections, a callee's argument) and
 * used for loads, stores and atomics near the regions' edges; pointers
 * moved by large constants (below 0 and past 2^32 / 2^64 in the emulators'
 * layout) and compared with each other and with r10; spills and partial
 * overwrites of stack slots reloaded as pointers or indices; loops that
 * bump a pointer (verifier widening after 1..8 visits, or the default);
 * local calls passing pointers and lengths; helper calls (memcpy into the
 * frame and sections, fmt_u32_dec, a register-mixing helper) under helper
 * profiles that are unknown, exact, or weakened. Contexts of 0..64 bytes,
 * read-write or read-only, ctx_size = 0, the length, or less.
 *
 * A program passes when the verifier refuses it, or when the fact checker
 * finds no violation and the interpreter, thumbv7m and rv32imac agree
 * (fc_emu_diff with the facts: r0, error, error pc and address, budget
 * left, context/.data/.bss/stack bytes), and so does every Xtensa engine
 * (fc_xtd_diff, sim/fc_xt_diff.h: lx106 and esp32 in qemu-xtensa, one QEMU
 * process per engine and worker for the whole campaign, restarted by the runner after a fault; the
 * regions at that machine's addresses). Last line:
 * `fuzz-sound: P programs, V violations`.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fc_asm.h"
#include "fc_disasm.h"
#include "fc_emu.h"
#include "fc_helpers.h"
#include "fc_ir.h"
#include "fc_verify.h"
#include "sound_check.h"
#include "fc_xt_diff.h"

#define CAP 900u
#define DEFAULT_SEED 0x5eed50f7ca5e0001ull

/* ---- helpers -------------------------------------------------------------- */
#define H_MIX 0x80u

static uint64_t h_mix(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm;
    return a * 3 + (b ^ (c << 5)) - d + (e >> 3);
}

static const fc_helper helpers[] = {
    {FC_HELPER_MEMCPY, fc_helper_memcpy, "memcpy"},
    {FC_HELPER_FMT_U32_DEC, fc_helper_fmt_u32_dec, "fmt_u32_dec"},
    {H_MIX, h_mix, "mix"},
};
static const uint32_t allow[] = {FC_HELPER_MEMCPY, FC_HELPER_FMT_U32_DEC, H_MIX};
#define NH 3u

/* ---- the generator ---------------------------------------------------------- */
enum {
    F_PTRCMP = 1, F_WEAK = 2, F_LOOP = 4, F_CALL = 8, F_HELPER = 16, F_SPILL = 32, F_BIGOFF = 64,
    F_PTRALU = 128, F_RO_CTX = 256
};

typedef struct sg {
    uint64_t s;
    fc_insn p[CAP];
    uint32_t n;
    int overflow;
    int in_sub;
    unsigned depth_left;          /* calls allowed below this function */
    uint32_t ctx_len, ctx_size;
    unsigned ctx_perm;
    uint32_t ro_len, data_len, bss_len;
    uint32_t widen_after;
    unsigned profile;             /* 0 unknown sigs, 1 exact, 2 weakened */
    uint64_t budget;
    uint32_t max_depth;
    unsigned features;
    unsigned no_weak, no_ptrcmp;
    uint32_t call_site[64], call_sub[64];
    unsigned ncalls;
    uint32_t sub_at[3];
    uint8_t ctx[64], ro[64], data[64];
} sg;

static uint64_t rnd(sg *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 0x2545f4914f6cdd1dull;
}
static unsigned pick(sg *g, unsigned n) { return n ? (unsigned)(rnd(g) % n) : 0; }
static int chance(sg *g, unsigned pct) { return pick(g, 100) < pct; }

static uint64_t splitmix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void emit(sg *g, uint8_t op, unsigned d, unsigned s, int16_t off, int32_t imm)
{
    if (g->n >= CAP) {
        g->overflow = 1;
        return;
    }
    g->p[g->n++] = fc_insn_make(op, d, s, off, imm);
}
#define A64K(op, d, k) emit(g, FC_CLS_ALU64 | FC_SRC_K | (op), d, 0, 0, k)
#define A64X(op, d, s) emit(g, FC_CLS_ALU64 | FC_SRC_X | (op), d, s, 0, 0)
#define A32K(op, d, k) emit(g, FC_CLS_ALU | FC_SRC_K | (op), d, 0, 0, k)
#define A32X(op, d, s) emit(g, FC_CLS_ALU | FC_SRC_X | (op), d, s, 0, 0)

static void lddw(sg *g, unsigned d, uint64_t v)
{
    emit(g, FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, d, FC_LDDW_IMM, 0, (int32_t)(uint32_t)v);
    emit(g, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

static void lddw_sect(sg *g, unsigned d, int sect, uint32_t off)
{
    emit(g, FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, d, FC_LDDW_SECTION, 0, sect);
    emit(g, 0, 0, 0, 0, (int32_t)off);
}

/* a forward jump whose target is patched by land() */
static uint32_t jfwd(sg *g, uint8_t op, unsigned d, unsigned s, int32_t imm)
{
    uint32_t at = g->n;
    emit(g, op, d, s, 0, imm);
    return at;
}
static void land(sg *g, uint32_t at)
{
    if (at < g->n && !g->overflow)
        g->p[at].off = (int16_t)(g->n - at - 1);
}

static int32_t edge32(sg *g)
{
    static const int32_t e[] = {0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, 511,
                                512, 513, -8, -16, -64, -256, -511, -512, -513, 0x7fff, 0x8000,
                                0xffff, 0x10000, 0x7fffffff, (int32_t)0x80000000,
                                (int32_t)0x80000001, (int32_t)0xfffffff8};
    return chance(g, 70) ? e[pick(g, sizeof e / sizeof e[0])] : (int32_t)pick(g, 80) - 16;
}

/* constants that move a pointer far: below 0 or past 2^32 / 2^63 / 2^64
 * from the emulators' region bases, and the same in general */
static uint64_t bigoff(sg *g)
{
    static const uint64_t base[] = {0x20100000u, 0x20200000u, 0x20300000u, 0x20400000u,
                                    0x20021000u, 0x20020000u};
    uint64_t b = base[pick(g, 6)], d = (uint64_t)(int64_t)((int)pick(g, 33) - 16);
    switch (pick(g, 8)) {
    case 0: return -b + d;                        /* to just around address 0 */
    case 1: return 0x100000000ull - b + d;        /* to just around 2^32 */
    case 2: return 0x8000000000000000ull - b + d; /* around 2^63 */
    case 3: return 0x100000000ull + d;            /* +2^32: same low half */
    case 4: return -0x100000000ull + d;
    case 5: return 0x8000000000000000ull + d;
    case 6: return (uint64_t)-(int64_t)(0x10000 + pick(g, 0x100000));
    default: return (uint64_t)(int64_t)(int32_t)rnd(g);
    }
}

static const uint8_t szs[] = {FC_SZ_B, FC_SZ_H, FC_SZ_W, FC_SZ_DW};
static const uint8_t jcc_ops[] = {FC_JMP_JEQ, FC_JMP_JNE, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JLT,
                                  FC_JMP_JLE, FC_JMP_JSGT, FC_JMP_JSGE, FC_JMP_JSLT,
                                  FC_JMP_JSLE, FC_JMP_JSET};

static uint8_t jcc(sg *g) { return jcc_ops[pick(g, sizeof jcc_ops)]; }
static uint8_t jcls(sg *g) { return chance(g, 65) ? FC_CLS_JMP : FC_CLS_JMP32; }

/* rd = a pointer (the frame, the context / the argument, a section, a far one) */
/* rd = a pointer (the frame, the context / the argument, a section, a far
 * one). Returns the bytes from it to the end of its region as the verifier
 * may know them (the frame: to r10; the context: to ctx_size; a section: to
 * its length), or -1 when not known. */
static int64_t ptr_room(sg *g, unsigned rd)
{
    uint32_t secs[3], nsec = 0;
    if (g->ro_len) secs[nsec++] = FC_SECT_RODATA;
    if (g->data_len) secs[nsec++] = FC_SECT_DATA;
    if (g->bss_len) secs[nsec++] = FC_SECT_BSS;
    unsigned w = pick(g, 16);
    switch (w < 6 ? 0 : w < 10 ? 3 : w < 13 ? 5 : w < 14 ? 6 : 7) {
    case 0: case 1: case 2: {
        int32_t c = chance(g, 60) ? -8 * (int32_t)(1 + pick(g, 64)) : -(int32_t)pick(g, 520);
        A64X(FC_ALU_MOV, rd, 10);
        A64K(FC_ALU_ADD, rd, c);
        return -(int64_t)c;
    }
    case 3: case 4: {
        int32_t c = 0;
        A64X(FC_ALU_MOV, rd, 9);
        if (chance(g, 60)) {
            c = (int32_t)pick(g, g->ctx_len + 9) - 4;
            A64K(FC_ALU_ADD, rd, c);
        }
        return g->in_sub || !g->ctx_size ? -1 : (int64_t)g->ctx_size - c;
    }
    case 5:
        if (nsec) {
            int s = (int)secs[pick(g, nsec)];
            uint32_t len = s == FC_SECT_RODATA ? g->ro_len : s == FC_SECT_DATA ? g->data_len : g->bss_len;
            uint32_t off = pick(g, len + 1);
            lddw_sect(g, rd, s, off);
            return (int64_t)len - off;
        }
        /* fall through */
    case 6:
        A64X(FC_ALU_MOV, rd, chance(g, 50) ? 6 : 7);
        return -1;
    default:
        g->features |= F_BIGOFF;
        A64X(FC_ALU_MOV, rd, chance(g, 50) ? 10 : 9);
        if (chance(g, 50)) {
            lddw(g, 0, bigoff(g));
            A64X(FC_ALU_ADD, rd, 0);
        } else {
            A64K(FC_ALU_ADD, rd, (int32_t)bigoff(g));
        }
        return -1;
    }
}

static void ptr_to(sg *g, unsigned rd) { (void)ptr_room(g, rd); }

static void alu_op(sg *g, unsigned rd)
{
    static const uint8_t ops[] = {FC_ALU_ADD, FC_ALU_SUB, FC_ALU_MUL, FC_ALU_DIV, FC_ALU_OR,
                                  FC_ALU_AND, FC_ALU_LSH, FC_ALU_RSH, FC_ALU_NEG, FC_ALU_MOD,
                                  FC_ALU_XOR, FC_ALU_MOV, FC_ALU_ARSH, FC_ALU_END};
    uint8_t op = ops[pick(g, sizeof ops)];
    int is64 = chance(g, 50);
    uint8_t cls = is64 ? FC_CLS_ALU64 : FC_CLS_ALU;
    int32_t k = edge32(g);
    int16_t off = 0;
    switch (op) {
    case FC_ALU_NEG: emit(g, cls | op, rd, 0, 0, 0); return;
    case FC_ALU_END: emit(g, cls | (is64 ? 0 : (chance(g, 50) ? FC_SRC_X : 0)) | op, rd, 0, 0,
                          (int32_t)(16u << pick(g, 3))); return;
    case FC_ALU_LSH: case FC_ALU_RSH: case FC_ALU_ARSH:
        k = (int32_t)pick(g, is64 ? 64 : 32);
        break;
    case FC_ALU_DIV: case FC_ALU_MOD:
        off = chance(g, 40) ? 1 : 0;
        if (k == 0) k = 3;
        break;
    case FC_ALU_MOV:
        if (chance(g, 50)) {   /* movsx */
            static const int16_t w[] = {8, 16, 32};
            emit(g, cls | FC_SRC_X | op, rd, pick(g, 9), w[pick(g, is64 ? 3 : 2)], 0);
            return;
        }
        break;
    }
    if (chance(g, 30) && op != FC_ALU_MOV)
        emit(g, cls | FC_SRC_X | op, rd, pick(g, 9), off, 0);
    else
        emit(g, cls | FC_SRC_K | op, rd, 0, off, k);
}

/* rd = a number: a context byte/word, r2's copy, a constant, a stack slot;
 * then a few ALU steps */
static void scalar(sg *g, unsigned rd)
{
    switch (pick(g, 6)) {
    case 0: case 1:
        if (g->ctx_len) {
            uint8_t sz = szs[pick(g, 4)];
            unsigned nb = fc_size_bytes(sz);
            int16_t off = (int16_t)(g->ctx_len >= nb ? pick(g, g->ctx_len - nb + 1) : 0);
            emit(g, FC_CLS_LDX | sz | (sz != FC_SZ_DW && chance(g, 30) ? FC_MODE_MEMSX : FC_MODE_MEM),
                 rd, 9, off, 0);
            break;
        }
        /* fall through */
    case 2:
        A64X(FC_ALU_MOV, rd, 8);
        break;
    case 3:
        if (chance(g, 50))
            lddw(g, rd, (uint64_t)(int64_t)edge32(g) << pick(g, 40));
        else
            A64K(FC_ALU_MOV, rd, edge32(g));
        break;
    case 4:
        emit(g, FC_CLS_LDX | szs[pick(g, 4)] | FC_MODE_MEM, rd, 10, (int16_t)(-8 * (int)(1 + pick(g, 8))), 0);
        break;
    default:
        A32K(FC_ALU_MOV, rd, edge32(g));
        break;
    }
    for (unsigned k = pick(g, 4); k; k--)
        alu_op(g, rd);
}

/* narrow r: a mask, a shift, a modulo, or a jump that skips `skip` on the
 * out-of-range side (returned, to land after the use); ~0u: none */
static uint32_t bound(sg *g, unsigned r)
{
    switch (pick(g, 6)) {
    case 0: A64K(FC_ALU_AND, r, (int32_t)((1u << pick(g, 10)) - 1)); return ~0u;
    case 1: A32K(FC_ALU_AND, r, (int32_t)((1u << pick(g, 10)) - 1)); return ~0u;
    case 2: A64K(FC_ALU_RSH, r, 54 + (int32_t)pick(g, 10)); return ~0u;
    default: {
        /* goto skip when r is out of [lo, hi] in the chosen sense */
        static const uint8_t out_ops[] = {FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JSGT, FC_JMP_JSGE,
                                          FC_JMP_JLT, FC_JMP_JSLT, FC_JMP_JNE, FC_JMP_JSET};
        uint8_t op = out_ops[pick(g, sizeof out_ops)];
        uint8_t cls = jcls(g);
        if (chance(g, 25)) {
            unsigned o = 1 + pick(g, 8);
            A64K(FC_ALU_MOV, o == r ? 0 : o, edge32(g));
            return jfwd(g, cls | FC_SRC_X | op, r, o == r ? 0 : o, 0);
        }
        return jfwd(g, cls | FC_SRC_K | op, r, 0, chance(g, 70) ? (int32_t)pick(g, 80) : edge32(g));
    }
    }
}

/* a memory access through base + off */
static void mem_access(sg *g, unsigned base, int16_t off, unsigned vreg)
{
    uint8_t sz = szs[pick(g, 4)];
    switch (pick(g, 7)) {
    case 0: case 1: case 2:
        emit(g, FC_CLS_LDX | sz | FC_MODE_MEM, vreg, base, off, 0);
        break;
    case 3:
        emit(g, FC_CLS_ST | sz | FC_MODE_MEM, base, 0, off, edge32(g));
        break;
    case 4: case 5:
        emit(g, FC_CLS_STX | sz | FC_MODE_MEM, base, vreg, off, 0);
        break;
    default: {
        static const int32_t aops[] = {FC_ATOMIC_ADD, FC_ATOMIC_ADD | FC_ATOMIC_FETCH,
                                       FC_ATOMIC_XOR | FC_ATOMIC_FETCH, FC_ATOMIC_XCHG,
                                       FC_ATOMIC_CMPXCHG};
        emit(g, FC_CLS_STX | (chance(g, 50) ? FC_SZ_W : FC_SZ_DW) | FC_MODE_ATOMIC, base, vreg, off,
             aops[pick(g, 5)]);
        break;
    }
    }
}

static int16_t small_off(sg *g)
{
    static const int16_t o[] = {0, 0, 0, 1, -1, 4, -4, 7, 8, -8, 16, -16, 63, 64, -512, 511};
    return o[pick(g, sizeof o / sizeof o[0])];
}

/* ---- snippets ---- */
static void sn_index(sg *g)
{
    unsigned ri = 1 + pick(g, 3), rp = 4, rv = 5;
    scalar(g, ri);
    uint32_t j = bound(g, ri);
    ptr_to(g, rp);
    if (chance(g, 15)) {
        g->features |= F_PTRALU;
        A32X(FC_ALU_ADD, rp, ri);      /* ALU32 on a pointer: its provenance is gone */
    } else {
        A64X(chance(g, 80) ? FC_ALU_ADD : FC_ALU_SUB, rp, ri);
    }
    mem_access(g, rp, small_off(g), rv);
    if (j != ~0u)
        land(g, j);
}

/* an index narrowed to just fit (or just not fit) the room after a pointer,
 * by one of the ways programs do it, then the access */
static void sn_edge(sg *g)
{
    unsigned ri = 1 + pick(g, 3), rp = 4, rv = 5;
    scalar(g, ri);
    int64_t room = ptr_room(g, rp);
    if (room <= 0) {
        A64X(FC_ALU_ADD, rp, ri);
        mem_access(g, rp, 0, rv);
        return;
    }
    static const uint8_t sz[] = {FC_SZ_B, FC_SZ_H, FC_SZ_W, FC_SZ_DW};
    uint8_t size = sz[pick(g, 4)];
    int64_t nb = fc_size_bytes(size), off = chance(g, 60) ? 0 : (int64_t)pick(g, 4);
    int64_t lim = room - nb - off + (chance(g, 75) ? 0 : chance(g, 50) ? 1 : -1);
    if (lim < 0)
        lim = 0;
    uint32_t j1 = ~0u, j2 = ~0u;
    switch (pick(g, 7)) {
    case 0: j1 = jfwd(g, FC_CLS_JMP | FC_SRC_K | FC_JMP_JGT, ri, 0, (int32_t)lim); break;
    case 1: j1 = jfwd(g, FC_CLS_JMP32 | FC_SRC_K | FC_JMP_JGT, ri, 0, (int32_t)lim); break;
    case 2:
        j1 = jfwd(g, FC_CLS_JMP | FC_SRC_K | FC_JMP_JSGT, ri, 0, (int32_t)lim);
        if (chance(g, 80))
            j2 = jfwd(g, (chance(g, 80) ? FC_CLS_JMP : FC_CLS_JMP32) | FC_SRC_K | FC_JMP_JSLT, ri, 0, 0);
        break;
    case 3: j1 = jfwd(g, FC_CLS_JMP | FC_SRC_K | FC_JMP_JGE, ri, 0, (int32_t)lim + 1); break;
    case 4: {
        int64_t m = 1;
        while (m * 2 - 1 <= lim)
            m *= 2;
        A64K(FC_ALU_AND, ri, (int32_t)(m - 1 + (chance(g, 80) ? 0 : m)));
        break;
    }
    case 5:
        emit(g, (chance(g, 70) ? FC_CLS_ALU64 : FC_CLS_ALU) | FC_SRC_K | FC_ALU_MOD, ri, 0, 0,
             (int32_t)lim + 1);
        break;
    default: /* the bound in a register, compared the other way round */
        A64K(FC_ALU_MOV, 0, (int32_t)lim);
        j1 = jfwd(g, FC_CLS_JMP | FC_SRC_X | FC_JMP_JLT, 0, ri, 0);
        break;
    }
    if (chance(g, 20))
        A32X(FC_ALU_MOV, ri, ri);   /* a 32-bit copy in between */
    A64X(FC_ALU_ADD, rp, ri);
    switch (pick(g, 4)) {
    case 0: case 1: emit(g, FC_CLS_LDX | size | FC_MODE_MEM, rv, rp, (int16_t)off, 0); break;
    case 2: emit(g, FC_CLS_STX | size | FC_MODE_MEM, rp, rv, (int16_t)off, 0); break;
    default: emit(g, FC_CLS_ST | size | FC_MODE_MEM, rp, 0, (int16_t)off, edge32(g)); break;
    }
    if (j2 != ~0u) land(g, j2);
    if (j1 != ~0u) land(g, j1);
}

static void sn_ptrcmp(sg *g)
{
    if (g->no_ptrcmp)
        return;
    g->features |= F_PTRCMP;
    unsigned ra = 2, rb = 3;
    ptr_to(g, ra);
    if (chance(g, 50)) {
        A64X(FC_ALU_MOV, rb, ra);
        if (chance(g, 50)) {
            lddw(g, 0, chance(g, 50) ? bigoff(g) : (uint64_t)(int64_t)edge32(g));
            A64X(FC_ALU_ADD, rb, 0);
        } else {
            A64K(FC_ALU_ADD, rb, edge32(g));
        }
    } else if (chance(g, 50)) {
        A64X(FC_ALU_MOV, rb, 10);
        A64K(FC_ALU_ADD, rb, -8 * (int32_t)pick(g, 3));
    } else {
        ptr_to(g, rb);
    }
    uint32_t j = jfwd(g, jcls(g) | FC_SRC_X | jcc(g), chance(g, 50) ? ra : rb, chance(g, 50) ? rb : ra, 0);
    mem_access(g, chance(g, 50) ? ra : rb, small_off(g), 5);
    if (chance(g, 50)) {
        uint32_t e = jfwd(g, FC_CLS_JMP | FC_JMP_JA, 0, 0, 0);
        land(g, j);
        mem_access(g, chance(g, 50) ? ra : rb, small_off(g), 5);
        land(g, e);
    } else {
        land(g, j);
    }
}

static void sn_spill(sg *g)
{
    g->features |= F_SPILL;
    int16_t so = (int16_t)(-8 * (int)(1 + pick(g, 16)));
    unsigned rx = chance(g, 50) ? 6 + pick(g, 2) : pick(g, 6);
    int64_t room = -1;
    int partial = chance(g, 40);
    if (chance(g, 50)) {
        rx = rx == 0 ? 1 : rx;
        room = ptr_room(g, rx);
    }
    emit(g, FC_CLS_STX | FC_SZ_DW | FC_MODE_MEM, 10, rx, so, 0);
    if (partial) {   /* partial overwrite */
        uint8_t sz = szs[pick(g, 3)];
        int16_t po = (int16_t)(so + (int)(pick(g, 8 / fc_size_bytes(sz)) * fc_size_bytes(sz)));
        if (chance(g, 50))
            emit(g, FC_CLS_ST | sz | FC_MODE_MEM, 10, 0, po, edge32(g));
        else
            emit(g, FC_CLS_STX | sz | FC_MODE_MEM, 10, pick(g, 9), po, 0);
    }
    unsigned ry = 1 + pick(g, 5);
    emit(g, FC_CLS_LDX | (chance(g, 80) ? FC_SZ_DW : szs[pick(g, 3)]) | FC_MODE_MEM, ry, 10, so, 0);
    if (room >= 8 && !partial)
        emit(g, FC_CLS_LDX | FC_SZ_B | FC_MODE_MEM, ry == 5 ? 4 : 5, ry, (int16_t)pick(g, (unsigned)room), 0);
    else if (chance(g, 25))
        mem_access(g, ry, small_off(g), ry == 5 ? 4 : 5);
}

static void sn_loop(sg *g)
{
    g->features |= F_LOOP;
    unsigned rc = 4, rp = 5, rv = 3;
    int32_t iters = 1 + (int32_t)pick(g, chance(g, 80) ? 8 : 40);
    int32_t stride = chance(g, 90) ? (int32_t)fc_size_bytes(szs[pick(g, 4)]) : edge32(g);
    int64_t room = ptr_room(g, rp);
    if (room > 0 && stride > 0 && chance(g, 60)) {   /* just fills (or overruns) the room */
        iters = (int32_t)(room / stride) + (chance(g, 70) ? 0 : 1);
        if (iters > 64) iters = 64;
        if (iters < 1) iters = 1;
    }
    A64K(FC_ALU_MOV, rc, 0);
    if (chance(g, 30)) {   /* the bound from the context, narrowed */
        scalar(g, 1);
        A64K(FC_ALU_AND, 1, 31);
        A64K(FC_ALU_ADD, 1, 1);   /* >= 1: a jne back edge ends */
    } else {
        A64K(FC_ALU_MOV, 1, iters);
    }
    uint32_t top = g->n;
    uint8_t sz = szs[pick(g, 4)];
    if (chance(g, 60))
        emit(g, FC_CLS_LDX | sz | FC_MODE_MEM, rv, rp, small_off(g), 0);
    else
        emit(g, FC_CLS_STX | sz | FC_MODE_MEM, rp, rv, small_off(g), 0);
    if (chance(g, 30))
        alu_op(g, rv);
    A64K(chance(g, 80) ? FC_ALU_ADD : FC_ALU_SUB, rp, stride);
    A64K(FC_ALU_ADD, rc, 1);
    static const uint8_t back[] = {FC_JMP_JLT, FC_JMP_JNE, FC_JMP_JSLT, FC_JMP_JGT};
    uint8_t b = back[pick(g, 4)];
    if (b == FC_JMP_JGT)
        emit(g, jcls(g) | FC_SRC_X | b, 1, rc, (int16_t)(top - g->n - 1), 0);
    else
        emit(g, jcls(g) | FC_SRC_X | b, rc, 1, (int16_t)(top - g->n - 1), 0);
}

static void reinit_args(sg *g)
{
    for (unsigned r = 1; r <= 5; r++)
        A64K(FC_ALU_MOV, r, edge32(g));
}

static void sn_call(sg *g)
{
    if (!g->depth_left)
        return;
    g->features |= F_CALL;
    ptr_to(g, 1);
    scalar(g, 2);
    if (chance(g, 50))
        ptr_to(g, 3);
    else
        A64K(FC_ALU_MOV, 3, edge32(g));
    A64K(FC_ALU_MOV, 4, 0);
    A64K(FC_ALU_MOV, 5, 0);
    if (g->ncalls < 64) {
        g->call_site[g->ncalls] = g->n;
        g->call_sub[g->ncalls++] = g->in_sub ? g->in_sub : 0;  /* callee: sub in_sub (0-based next) */
    }
    emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_LOCAL, 0, 0);
    reinit_args(g);
    if (chance(g, 15))
        mem_access(g, 0, small_off(g), 1);   /* r0 came back: unknown */
}

static void sn_helper(sg *g)
{
    g->features |= F_HELPER;
    switch (pick(g, 4)) {
    case 0: case 1:
        if (chance(g, 50)) {
            /* over a tracked slot: the copy must make the analysis forget it */
            int16_t so = (int16_t)(-8 * (int)(1 + pick(g, 8)));
            unsigned rx = chance(g, 50) ? 9 : 6;
            emit(g, FC_CLS_STX | FC_SZ_DW | FC_MODE_MEM, 10, rx, so, 0);
            A64X(FC_ALU_MOV, 1, 10);
            A64K(FC_ALU_ADD, 1, so - (int)pick(g, 8));
        } else {
            ptr_to(g, 1);
        }
        ptr_to(g, 2);
        scalar(g, 3);
        A64K(FC_ALU_AND, 3, chance(g, 70) ? 15 : 63);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, FC_HELPER_MEMCPY);
        /* what the copy may have changed, read back */
        emit(g, FC_CLS_LDX | FC_SZ_DW | FC_MODE_MEM, 4, 10, (int16_t)(-8 * (int)(1 + pick(g, 16))), 0);
        if (chance(g, 50))
            mem_access(g, 4, small_off(g), 5);
        break;
    case 2:
        if (chance(g, 25))
            A64K(FC_ALU_MOV, 1, 0);
        else
            ptr_to(g, 1);
        scalar(g, 2);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, FC_HELPER_FMT_U32_DEC);
        emit(g, FC_CLS_LDX | FC_SZ_DW | FC_MODE_MEM, 4, 10, (int16_t)(-8 * (int)(1 + pick(g, 4))), 0);
        break;
    default: {
        scalar(g, 1);
        emit(g, FC_CLS_JMP | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, H_MIX);
        A64X(FC_ALU_MOV, 2, 0);
        uint32_t j = bound(g, 2);
        ptr_to(g, 3);
        A64X(FC_ALU_ADD, 3, 2);
        mem_access(g, 3, small_off(g), 4);
        if (j != ~0u)
            land(g, j);
        break;
    }
    }
}

static void sn_ptralu(sg *g)
{
    g->features |= F_PTRALU;
    unsigned ra = 2, rb = 3;
    ptr_to(g, ra);
    ptr_to(g, rb);
    switch (pick(g, 5)) {
    case 0: A64X(FC_ALU_SUB, ra, rb); break;          /* same kind: a number */
    case 1: A64K(FC_ALU_AND, ra, -8); break;
    case 2: A32X(FC_ALU_MOV, ra, ra); break;
    case 3: A64K(FC_ALU_MUL, ra, 1); break;
    default: A64X(FC_ALU_XOR, ra, rb); break;
    }
    uint32_t j = bound(g, ra);
    ptr_to(g, 4);
    A64X(FC_ALU_ADD, 4, ra);
    mem_access(g, 4, small_off(g), 5);
    if (j != ~0u)
        land(g, j);
}

static void sn_alu(sg *g)
{
    unsigned r = chance(g, 30) ? 6 + pick(g, 2) : pick(g, 6);
    scalar(g, r);
}

static void body(sg *g, unsigned nsn)
{
    for (unsigned k = 0; k < nsn && !g->overflow; k++) {
        unsigned w = pick(g, 100);
        if (w < 6) sn_index(g);
        else if (w < 30) sn_edge(g);
        else if (w < 42) sn_ptrcmp(g);
        else if (w < 54) sn_spill(g);
        else if (w < 63) sn_loop(g);
        else if (w < 73) sn_call(g);
        else if (w < 83) sn_helper(g);
        else if (w < 88) sn_ptralu(g);
        else sn_alu(g);
    }
}

static void func(sg *g, int is_sub)
{
    if (is_sub) {
        A64X(FC_ALU_MOV, 9, 1);
        A64X(FC_ALU_MOV, 8, 2);
        A64X(FC_ALU_MOV, 7, 3);
        A64K(FC_ALU_MOV, 6, edge32(g));
    } else {
        A64X(FC_ALU_MOV, 9, 1);
        A64X(FC_ALU_MOV, 8, 2);
        A64K(FC_ALU_MOV, 6, edge32(g));
        A64K(FC_ALU_MOV, 7, edge32(g));
    }
    for (unsigned r = 0; r <= 5; r++)
        A64K(FC_ALU_MOV, r, edge32(g));
    body(g, 2 + pick(g, is_sub ? 4 : 8));
    A64X(FC_ALU_MOV, 0, pick(g, 9));
    if (chance(g, 50))
        A64X(FC_ALU_XOR, 0, 1 + pick(g, 5));
    emit(g, FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0);
}

static void gen(sg *g, uint64_t seed, unsigned no_weak, unsigned no_ptrcmp)
{
    memset(g, 0, sizeof *g);
    g->s = splitmix(seed) | 1;
    g->no_weak = no_weak;
    g->no_ptrcmp = no_ptrcmp;
    static const uint32_t lens[] = {0, 1, 4, 7, 8, 13, 16, 24, 32, 64};
    g->ctx_len = lens[pick(g, sizeof lens / sizeof lens[0])];
    g->ctx_perm = chance(g, 15) ? FC_PERM_R : FC_PERM_RW;
    if (g->ctx_perm == FC_PERM_R)
        g->features |= F_RO_CTX;
    /* ctx_size: the host's promise (<= the length; a store needs a
     * writable context, which fc_vfy_opts cannot say: read-only contexts
     * get ctx_size 0) */
    switch (pick(g, 4)) {
    case 0: g->ctx_size = 0; break;
    case 1: g->ctx_size = g->ctx_len ? pick(g, g->ctx_len + 1) : 0; break;
    default: g->ctx_size = g->ctx_len; break;
    }
    if (g->ctx_perm == FC_PERM_R)
        g->ctx_size = 0;
    g->ro_len = chance(g, 40) ? 1 + pick(g, 64) : 0;
    g->data_len = chance(g, 40) ? 1 + pick(g, 64) : 0;
    g->bss_len = chance(g, 40) ? 1 + pick(g, 64) : 0;
    for (unsigned k = 0; k < 64; k++) {
        g->ctx[k] = (uint8_t)(chance(g, 30) ? 0xff : chance(g, 30) ? pick(g, 16) : rnd(g));
        g->ro[k] = (uint8_t)rnd(g);
        g->data[k] = (uint8_t)rnd(g);
    }
    static const uint32_t widen[] = {0, 0, 1, 2, 3, 8};
    g->widen_after = widen[pick(g, 6)];
    g->profile = pick(g, no_weak ? 2 : 3);
    if (g->profile == 2)
        g->features |= F_WEAK;
    static const uint64_t budgets[] = {0, 1, 3, 10, 100, 1000};
    g->budget = budgets[pick(g, 6)];
    g->max_depth = chance(g, 20) ? 1 + pick(g, 3) : 0;

    unsigned nsub = pick(g, 3);
    g->depth_left = nsub ? 1 : 0;
    func(g, 0);
    for (unsigned s = 0; s < nsub && !g->overflow; s++) {
        g->sub_at[s] = g->n;
        g->in_sub = (int)s + 1;
        g->depth_left = s + 1 < nsub ? 1 : 0;
        func(g, 1);
    }
    /* calls from function f go to sub f (the next one): a chain */
    for (unsigned k = 0; k < g->ncalls && !g->overflow; k++) {
        unsigned target = g->call_sub[k];
        if (target >= nsub) { /* cannot happen: depth_left is 0 in the last function */
            g->overflow = 1;
            break;
        }
        g->p[g->call_site[k]].imm = (int32_t)(g->sub_at[target] - g->call_site[k] - 1);
    }
}

/* ---- one program: verify, check, run every engine ----------------------- */
typedef struct tally {
    uint64_t programs, verified, violations, disagree, skipped, proven, facts, errors, bad;
    uint64_t st_proven, st_checked, outcome[FC_ERR__COUNT];
    uint64_t feat_viol[16];
    uint64_t xt_runs, xt_starts;     /* runs on the Xtensa engines, QEMU processes */
    uint64_t guarded;                /* programs with range guards (fc_ir_opt) */
} tally;

typedef struct ctxs {
    fc_emu *emu[2];
    fc_xtd *xtd[4];                  /* the Xtensa engines (fc_xtd_engines[]) */
    unsigned nxtd;
    int verbose;
    unsigned no_weak, no_ptrcmp;
    const char *save_dir;
} ctxs;

/* Does the selectors' IR of p (with the facts) get a range guard? */
static int has_guard(const fc_prog *p, const fc_insn_info *info)
{
    size_t wl = fc_ir_workspace_size(p->ninsns);
    void *w = malloc(wl);
    fc_ir ir;
    int g = w && fc_ir_lower(p, info, 0, w, wl, &ir) == FC_IR_OK && fc_ir_opt(&ir) > 0;
    free(w);
    return g;
}

static void vfy_profile(const sg *g, fc_vfy_helper vh[NH])
{
    for (unsigned k = 0; k < NH; k++) {
        memset(&vh[k], 0, sizeof vh[k]);
        vh[k].id = allow[k];
        if (allow[k] == H_MIX) {
            vh[k].nargs = 5;
            for (unsigned a = 0; a < 5; a++)
                vh[k].arg[a] = FC_HARG_ANY;
            snprintf(vh[k].name, sizeof vh[k].name, "mix");
            continue;
        }
        const fc_vfy_helper *kn = fc_vfy_find_known(allow[k]);
        if (g->profile == 0 || !kn) {
            vh[k].nargs = FC_HSIG_UNKNOWN;
        } else if (g->profile == 1) {
            vh[k] = *kn;
        } else {                         /* weakened: every argument "any" */
            vh[k] = *kn;
            for (unsigned a = 0; a < kn->nargs && a < 5; a++)
                vh[k].arg[a] = FC_HARG_ANY;
        }
    }
}

static void print_listing(FILE *out, const fc_insn *p, uint32_t n)
{
    static char buf[1 << 16];
    fc_disasm_prog_buf(p, n, FC_DISASM_INDEX | FC_DISASM_TARGET, buf, sizeof buf);
    fputs(buf, out);
}

static const char *feat_str(unsigned f, char *b, size_t sz)
{
    static const char *const nm[] = {"ptrcmp", "weak-profile", "loop", "call", "helper", "spill",
                                     "bigoff", "ptralu", "ro-ctx"};
    size_t u = 0;
    b[0] = 0;
    for (unsigned k = 0; k < 9; k++)
        if (f >> k & 1)
            u += (size_t)snprintf(b + u, u < sz ? sz - u : 0, "%s%s", u ? "," : "", nm[k]);
    return b;
}

/* the program as a regression file (assembler text + its set-up) */
static void save_case(const char *dir, uint64_t seed, const sg *g, const fc_insn *p, uint32_t n,
                      const char *why)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%016llx.fcs", dir, (unsigned long long)seed);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "# fuzz-sound case, seed 0x%016llx\n# %s\n", (unsigned long long)seed, why);
    fprintf(f, "#! ctx_len %u ctx_perm %u ctx_size %u ro_len %u data_len %u bss_len %u widen %u "
            "profile %u budget %llu max_depth %u\n", g->ctx_len, g->ctx_perm, g->ctx_size,
            g->ro_len, g->data_len, g->bss_len, g->widen_after, g->profile,
            (unsigned long long)g->budget, g->max_depth);
    fprintf(f, "#! bytes");
    for (unsigned k = 0; k < 64; k++)
        fprintf(f, " %02x%02x%02x", g->ctx[k], g->ro[k], g->data[k]);
    fprintf(f, "\n");
    static char buf[1 << 16];
    fc_disasm_prog_buf(p, n, 0, buf, sizeof buf);
    fputs(buf, f);
    fclose(f);
}

/* 0 clean, 1 violation/disagreement, -1 could not run */
static int check_prog(ctxs *cx, sg *g, uint64_t seed, tally *t, FILE *out, int replay,
                      char *why, size_t whylen)
{
    static fc_insn_info info[CAP];
    static unsigned char ws[1 << 23];
    const fc_insn *prog = g->p;
    uint32_t n = g->n;
    why[0] = 0;

    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)prog;
    p.ninsns = n;
    p.rodata = g->ro_len ? g->ro : NULL;
    p.rodata_len = g->ro_len;
    p.data = g->data_len ? g->data : NULL;
    p.data_len = g->data_len;
    p.bss_len = g->bss_len;
    fc_vfy_helper vh[NH];
    vfy_profile(g, vh);
    snet_states ss = {calloc(n ? n : 1, sizeof(snet_state)), n, 0};
    if (!ss.st)
        return -1;
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = g->ctx_size;
    vo.helpers = vh;
    vo.nhelpers = NH;
    vo.widen_after = g->widen_after;
    vo.observe_state = snet_observe;
    vo.observe_ctx = &ss;
    size_t wl = fc_vfy_workspace_size(&p);
    static fc_diag dg[8];
    fc_diags d = {dg, 8, 0, 0, 0};
    fc_vfy_stats vst;
    int ok = wl <= sizeof ws && fc_vfy_run(&p, &vo, ws, wl, info, &vst, &d) == 0;
    if (replay) {
        fprintf(out, "seed 0x%016llx: %u slots, ctx %u bytes (%s, ctx_size %u), rodata %u data %u "
                "bss %u, widen %u, profile %u, budget %llu, max_depth %u: %s\n",
                (unsigned long long)seed, n, g->ctx_len, g->ctx_perm == FC_PERM_R ? "ro" : "rw",
                g->ctx_size, g->ro_len, g->data_len, g->bss_len, g->widen_after, g->profile,
                (unsigned long long)g->budget, g->max_depth, ok ? "verified" : "refused");
        for (uint32_t k = 0; !ok && k < d.n; k++)
            fprintf(out, "  verifier: insn %d: %s\n", dg[k].insn, dg[k].msg);
        print_listing(out, prog, n);
    }
    if (!ok) {
        free(ss.st);
        return 0;
    }
    t->verified++;
    t->st_proven += vst.loads_proven + vst.stores_proven;
    t->st_checked += vst.loads_checked + vst.stores_checked;
    int bad = 0;
    snet_case c;
    memset(&c, 0, sizeof c);
    c.insns = prog;
    c.n = n;
    c.info = info;
    c.st = ss.st;
    c.ctx = g->ctx;
    c.ctx_len = g->ctx_len;
    c.ctx_perm = g->ctx_perm;
    c.ro = g->ro_len ? g->ro : NULL;
    c.ro_len = g->ro_len;
    c.data = g->data_len ? g->data : NULL;
    c.data_len = g->data_len;
    c.bss_len = g->bss_len;
    c.helpers = helpers;
    c.nhelpers = NH;
    c.allow = allow;
    c.nallow = NH;
    c.budget = g->budget;
    c.max_depth = g->max_depth;
    c.mutate_seed = splitmix(seed ^ 0x1234);
    static snet_report rep;
    snet_outcome oa;
    unsigned v = snet_check(&c, &snet_layout_emu, seed & 1 ? &snet_layout_high : &snet_layout_low,
                            &oa, &rep);
    if (ss.dup)
        v++, snprintf(why, whylen, "checker: %u instructions observed twice", ss.dup);
    t->facts += rep.checked;
    if (oa.err >= 0 && oa.err < FC_ERR__COUNT)
        t->outcome[oa.err]++;
    if (cx->verbose && oa.err != FC_OK) {
        char ib[120];
        fc_disasm_insn(prog, n, oa.err_pc, ib, sizeof ib);
        fprintf(out, "seed 0x%016llx: %s at insn %u: %s (%s)\n", (unsigned long long)seed,
                fc_err_str(oa.err), oa.err_pc, ib,
                oa.err_pc < n && info[oa.err_pc].access == FC_ACC_PROVEN ? "proven" : "checked");
    }
    t->proven += rep.proven;
    if (v) {
        bad = 1;
        t->violations += v;
        char fb[120];
        fprintf(out, "VIOLATION seed 0x%016llx%s%s (%s): %u violation(s)\n%s",
                (unsigned long long)seed, g->no_weak ? " --no-weak-profiles" : "",
                g->no_ptrcmp ? " --no-ptr-cmp" : "", feat_str(g->features, fb, sizeof fb), v,
                rep.text);
        if (!why[0])
            snprintf(why, whylen, "%.*s", (int)strcspn(rep.text, "\n"), rep.text);
        for (unsigned k = 0; k < 16; k++)
            if (g->features >> k & 1)
                t->feat_viol[k]++;
    }

    fc_emu_case ec;
    memset(&ec, 0, sizeof ec);
    ec.insns = prog;
    ec.n = n;
    ec.info = info;
    ec.ctx = g->ctx;
    ec.ctx_len = g->ctx_len;
    ec.ctx_perm = g->ctx_perm;
    ec.rodata = c.ro;
    ec.rodata_len = g->ro_len;
    ec.data = c.data;
    ec.data_len = g->data_len;
    ec.bss_len = g->bss_len;
    ec.helpers = helpers;
    ec.nhelpers = NH;
    ec.allow = allow;
    ec.nallow = NH;
    ec.budget = g->budget;
    ec.max_depth = g->max_depth;
    if (has_guard(&p, info))
        t->guarded++;
    for (unsigned b = 0; b < 2; b++) {
        fc_emu_outcome oi, on;
        char msg[400];
        int r = fc_emu_diff(cx->emu[b], &ec, &oi, &on, msg, sizeof msg);
        const char *en = b ? "rv32imac" : "thumbv7m";
        if (r < 0) {
            t->errors++;
            fprintf(out, "ERROR seed 0x%016llx: %s: %s\n", (unsigned long long)seed, en, msg);
            bad = 1;
            if (!why[0]) snprintf(why, whylen, "%s: %.200s", en, msg);
            continue;
        }
        if (r) {
            t->disagree++;
            fprintf(out, "DISAGREE seed 0x%016llx%s%s (%s, facts applied): %s\n",
                    (unsigned long long)seed, g->no_weak ? " --no-weak-profiles" : "",
                    g->no_ptrcmp ? " --no-ptr-cmp" : "", en, msg);
            bad = 1;
            if (!why[0]) snprintf(why, whylen, "%s disagrees: %.200s", en, msg);
        }
        if (b == 0 && (oi.err != oa.err || oi.r0 != oa.r0 || oi.err_pc != oa.err_pc ||
                       oi.err_addr != oa.err_addr || oi.budget_left != oa.budget_left)) {
            t->disagree++;
            bad = 1;
            fprintf(out, "DISAGREE seed 0x%016llx: the checked interpreter ends %s r0=0x%llx pc=%u, "
                    "the plain one %s r0=0x%llx pc=%u\n", (unsigned long long)seed,
                    fc_err_str(oa.err), (unsigned long long)oa.r0, oa.err_pc, fc_err_str(oi.err),
                    (unsigned long long)oi.r0, oi.err_pc);
            if (!why[0]) snprintf(why, whylen, "checked and plain interpreter differ");
        }
        if (replay && b == 0)
            fprintf(out, "interpreter: %s r0=0x%llx pc=%u addr=0x%llx budget left %llu, %llu insns\n",
                    fc_err_str(oi.err), (unsigned long long)oi.r0, oi.err_pc,
                    (unsigned long long)oi.err_addr, (unsigned long long)oi.budget_left,
                    (unsigned long long)oi.insns);
    }
    for (unsigned x = 0; x < cx->nxtd; x++) {
        fc_emu_outcome oi, on;
        char msg[400];
        const char *en = fc_xtd_engine_of(cx->xtd[x])->name;
        int r = fc_xtd_diff(cx->xtd[x], &ec, &oi, &on, msg, sizeof msg);
        if (r < 0) {
            t->errors++;
            fprintf(out, "ERROR seed 0x%016llx: %s: %s\n", (unsigned long long)seed, en, msg);
            bad = 1;
            if (!why[0]) snprintf(why, whylen, "%s: %.200s", en, msg);
        } else if (r) {
            t->disagree++;
            fprintf(out, "DISAGREE seed 0x%016llx%s%s (%s, facts applied): %s\n",
                    (unsigned long long)seed, g->no_weak ? " --no-weak-profiles" : "",
                    g->no_ptrcmp ? " --no-ptr-cmp" : "", en, msg);
            bad = 1;
            if (!why[0]) snprintf(why, whylen, "%s disagrees: %.200s", en, msg);
        }
        t->xt_runs++;
    }
    if (bad && (replay || cx->verbose)) {
        /* the states at the violating instructions */
        for (uint32_t i = 0; i < n; i++) {
            char at[32];
            snprintf(at, sizeof at, "] insn %u:", i);
            if (!strstr(rep.text, at) || !ss.st[i].has)
                continue;
            fprintf(out, "state before insn %u:\n", i);
            for (unsigned r = 0; r < FC_NREGS; r++) {
                char b[160];
                if (ss.st[i].r[r].kind == FC_AV_UNINIT)
                    continue;
                snet_av_str(&ss.st[i].r[r], b, sizeof b);
                fprintf(out, "  r%u: %s\n", r, b);
            }
        }
    }
    if (bad && cx->save_dir && !replay)
        save_case(cx->save_dir, seed, g, prog, n, why);
    free(ss.st);
    return bad;
}

/* ---- minimising a failing program ------------------------------------------
 * Instructions become `ja +0` (a forward no-op jump: no budget, offsets
 * unchanged) as long as the program still verifies and still fails; then
 * the no-ops are dropped and every jump and call offset re-aimed. */
static int is_nop(fc_insn x) { return x.op == (FC_CLS_JMP | FC_JMP_JA) && x.off == 0 && !x.regs; }

/* still verified and still failing (in the emulators' layout, if emu) */
static int still_bad(ctxs *cx, sg *g, uint64_t seed, int emu, FILE *devnull)
{
    static tally t;
    char why[300];
    const char *keep = cx->save_dir;
    memset(&t, 0, sizeof t);
    cx->save_dir = NULL;
    int r = check_prog(cx, g, seed, &t, devnull, 0, why, sizeof why);
    cx->save_dir = keep;
    return r > 0 && t.verified && (!emu || strstr(why, "[emu]") || !strstr(why, "] insn"));
}

/* a no-op that can go: not the fall-through of a conditional jump (which
 * keeps the two edges apart) */
static int droppable(const sg *g, uint32_t i)
{
    if (!is_nop(g->p[i]))
        return 0;
    if (i == 0)
        return 1;
    fc_insn pv = g->p[i - 1];
    unsigned cls = FC_CLASS(pv.op), op = FC_OPCODE_OP(pv.op);
    return !((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && op != FC_JMP_JA && op != FC_JMP_CALL &&
             op != FC_JMP_EXIT);
}

static void compact(sg *g)
{
    static uint32_t map[CAP + 1];
    static uint8_t drop[CAP];
    static fc_insn out[CAP];
    uint32_t m = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        map[i] = m;
        drop[i] = (uint8_t)droppable(g, i);
        if (!drop[i])
            m++;
    }
    map[g->n] = m;
    m = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        fc_insn x = g->p[i];
        if (drop[i])
            continue;
        unsigned cls = FC_CLASS(x.op), op = FC_OPCODE_OP(x.op);
        if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && op != FC_JMP_EXIT) {
            if (op == FC_JMP_CALL) {
                if (fc_src(x) == FC_CALL_LOCAL) {
                    int64_t t = (int64_t)i + 1 + x.imm;
                    if (t >= 0 && t <= g->n)
                        x.imm = (int32_t)((int64_t)map[t] - map[i] - 1);
                }
            } else if (cls == FC_CLS_JMP32 && op == FC_JMP_JA) {
                int64_t t = (int64_t)i + 1 + x.imm;
                if (t >= 0 && t <= g->n)
                    x.imm = (int32_t)((int64_t)map[t] - map[i] - 1);
            } else {
                int64_t t = (int64_t)i + 1 + x.off;
                if (t >= 0 && t <= g->n)
                    x.off = (int16_t)((int64_t)map[t] - map[i] - 1);
            }
        }
        out[m++] = x;
    }
    memcpy(g->p, out, m * sizeof *out);
    g->n = m;
}

static void minimise(ctxs *cx, sg *g, uint64_t seed)
{
    FILE *dn = fopen("/dev/null", "w");
    if (!dn)
        return;
    int emu = 0;
    {
        static tally t;
        char why[300];
        const char *keep = cx->save_dir;
        cx->save_dir = NULL;
        check_prog(cx, g, seed, &t, dn, 0, why, sizeof why);
        cx->save_dir = keep;
        emu = strstr(why, "[emu]") != NULL;
    }
    const fc_insn nop = fc_insn_make(FC_CLS_JMP | FC_JMP_JA, 0, 0, 0, 0);
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t i = g->n; i-- > 0;) {
            fc_insn keep[2] = {g->p[i], i + 1 < g->n ? g->p[i + 1] : nop};
            if (is_nop(keep[0]) || (i > 0 && g->p[i - 1].op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM)))
                continue;   /* a no-op already, or the second half of an lddw */
            unsigned w = fc_insn_slots(keep[0]) == 2 ? 2 : 1;
            for (unsigned k = 0; k < w; k++)
                g->p[i + k] = nop;
            if (still_bad(cx, g, seed, emu, dn)) {
                changed = 1;
            } else {
                for (unsigned k = 0; k < w; k++)
                    g->p[i + k] = keep[k];
            }
        }
    }
    sg *c = malloc(sizeof *c);
    if (c) {
        *c = *g;
        compact(c);
        if (still_bad(cx, c, seed, emu, dn))
            *g = *c;
        free(c);
    }
    fclose(dn);
}

/* ---- campaigns ------------------------------------------------------------- */
static void close_emus(ctxs *cx)
{
    fc_emu_close(cx->emu[0]);
    fc_emu_close(cx->emu[1]);
    cx->emu[0] = cx->emu[1] = NULL;
    while (cx->nxtd)
        fc_xtd_close(cx->xtd[--cx->nxtd]);
}

static int open_emus(ctxs *cx)
{
    char err[200];
    cx->emu[0] = fc_emu_open_target(FC_TARGET_THUMBV7M, err, sizeof err);
    cx->emu[1] = cx->emu[0] ? fc_emu_open_target(FC_TARGET_RV32IMAC, err, sizeof err) : NULL;
    if (!cx->emu[0] || !cx->emu[1]) {
        printf("fuzz-sound: emulator: %s\n", err);
        fc_emu_close(cx->emu[0]);
        return -1;
    }
    cx->nxtd = 0;
    for (size_t k = 0; k < fc_xtd_engines_count && k < sizeof cx->xtd / sizeof cx->xtd[0]; k++) {
        if (!(cx->xtd[k] = fc_xtd_open(&fc_xtd_engines[k], err, sizeof err))) {
            printf("fuzz-sound: %s: %s\n", fc_xtd_engines[k].name, err);
            close_emus(cx);
            return -1;
        }
        cx->nxtd++;
    }
    return 0;
}

static void work(ctxs *cx, uint64_t seed, uint64_t first, uint64_t step, uint64_t count,
                 double seconds, tally *t)
{
    static sg g;
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t k = first; count ? k < count : 1; k += step) {
        if (seconds > 0 && (k - first) / step % 16 == 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 >= seconds)
                break;
        }
        uint64_t ps = splitmix(seed + k);
        gen(&g, ps, cx->no_weak, cx->no_ptrcmp);
        t->programs++;
        if (g.overflow) {
            t->skipped++;
            continue;
        }
        char *rb = NULL;
        size_t rl = 0;
        FILE *out = open_memstream(&rb, &rl);
        char why[300];
        if (check_prog(cx, &g, ps, t, out ? out : stdout, 0, why, sizeof why))
            t->bad++;
        if (out) {
            fclose(out);
            if (rl)
                fwrite(rb, 1, rl, stdout), fflush(stdout);
            free(rb);
        }
    }
}

/* ---- regression files -------------------------------------------------------- */
static int load_case(const char *path, sg *g, uint64_t *seed, char *known, size_t klen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    static char text[1 << 17];
    size_t tl = 0;
    char line[4096];
    int have = 0;
    memset(g, 0, sizeof *g);
    known[0] = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "#! ctx_len", 10) == 0) {
            unsigned long long bud;
            have = sscanf(line, "#! ctx_len %u ctx_perm %u ctx_size %u ro_len %u data_len %u bss_len %u "
                          "widen %u profile %u budget %llu max_depth %u", &g->ctx_len, &g->ctx_perm,
                          &g->ctx_size, &g->ro_len, &g->data_len, &g->bss_len, &g->widen_after,
                          &g->profile, &bud, &g->max_depth) == 10;
            g->budget = bud;
        } else if (strncmp(line, "#! bytes", 8) == 0) {
            char *q = line + 8;
            for (unsigned k = 0; k < 64; k++) {
                unsigned v = 0;
                int used = 0;
                if (sscanf(q, " %6x%n", &v, &used) != 1)
                    break;
                q += used;
                g->ctx[k] = (uint8_t)(v >> 16);
                g->ro[k] = (uint8_t)(v >> 8);
                g->data[k] = (uint8_t)v;
            }
        } else if (strncmp(line, "# fuzz-sound case, seed ", 24) == 0) {
            *seed = strtoull(line + 24, NULL, 0);
        } else if (strncmp(line, "#! known ", 9) == 0) {
            snprintf(known, klen, "%.250s", line + 9);
            known[strcspn(known, "\n")] = 0;
        } else if (line[0] != '#') {
            size_t l = strlen(line);
            if (tl + l < sizeof text) {
                memcpy(text + tl, line, l);
                tl += l;
            }
        }
    }
    fclose(f);
    if (!have)
        return -1;
    fc_insn *out = NULL;
    size_t nn = 0;
    fc_asm_error ae;
    if (fc_asm(text, tl, &out, &nn, &ae) != 0 || nn > CAP) {
        free(out);
        return -1;
    }
    memcpy(g->p, out, nn * sizeof *out);
    g->n = (uint32_t)nn;
    free(out);
    return 0;
}

static int regress(ctxs *cx, const char *dir, tally *t, unsigned *passed, unsigned *failed)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("fuzz-sound: cannot open %s\n", dir);
        return -1;
    }
    char *names[512];
    unsigned nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 512)
        if (strstr(e->d_name, ".fcs"))
            names[nn++] = strdup(e->d_name);
    closedir(d);
    for (unsigned a = 0; a < nn; a++)       /* sorted: a stable order */
        for (unsigned b = a + 1; b < nn; b++)
            if (strcmp(names[a], names[b]) > 0) {
                char *x = names[a]; names[a] = names[b]; names[b] = x;
            }
    for (unsigned k = 0; k < nn; k++) {
        static sg g;
        char path[4096], known[300], why[300];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        uint64_t cseed = 0;
        if (load_case(path, &g, &cseed, known, sizeof known)) {
            printf("regress %s: cannot read it\n", names[k]);
            (*failed)++;
            free(names[k]);
            continue;
        }
        uint64_t before = t->verified;
        t->programs++;
        int r = check_prog(cx, &g, cseed, t, stdout, 0, why, sizeof why);
        int verified = t->verified > before;
        if (known[0]) {
            printf("regress %s: %s (known, not counted: %s)\n", names[k],
                   r ? "violation still found" : verified ? "clean now: the fix landed, drop the "
                   "'known' line" : "refused now", known);
            (*passed)++;
        } else if (r || !verified) {
            printf("regress %s: FAILED (%s)\n", names[k], r ? why : "the verifier refuses it now");
            (*failed)++;
        } else {
            printf("regress %s: clean\n", names[k]);
            (*passed)++;
        }
        free(names[k]);
    }
    return 0;
}

/* ---- self-test: the checker must catch lies planted in the facts ---------- */
static int self_test(ctxs *cx, unsigned *passed, unsigned *failed)
{
    /* straight code: an index from the context, a pointer into the frame,
     * a spilled pointer, a 32-bit move: ctx[0] = 5 */
    static const char src[] =
        "mov %r6, %r1\n"
        "ldxb %r2, [%r1+0]\n"
        "and %r2, 7\n"
        "mov %r3, %r10\n"
        "add %r3, -16\n"
        "add %r3, %r2\n"
        "stxb [%r3+0], %r2\n"
        "stxdw [%r10-8], %r6\n"
        "mov32 %r4, %r2\n"
        "mov %r0, %r2\n"
        "exit\n";
    fc_insn *prog = NULL;
    size_t n = 0;
    fc_asm_error ae;
    if (fc_asm(src, sizeof src - 1, &prog, &n, &ae)) {
        printf("self-test: cannot assemble: %s\n", ae.msg);
        (*failed)++;
        return -1;
    }
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = prog;
    p.ninsns = (uint32_t)n;
    static fc_insn_info info[64], bad_info[64];
    static snet_state st[64], bad[64];
    static unsigned char ws[1 << 20];
    snet_states ss = {st, (uint32_t)n, 0};
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = 8;
    vo.observe_state = snet_observe;
    vo.observe_ctx = &ss;
    if (fc_vfy_run(&p, &vo, ws, sizeof ws, info, NULL, NULL)) {
        printf("self-test: the verifier refuses the test program\n");
        (*failed)++;
        free(prog);
        return -1;
    }
    static const uint8_t ctx[8] = {5, 1, 2, 3, 4, 5, 6, 7};
    snet_case c;
    memset(&c, 0, sizeof c);
    c.insns = prog;
    c.n = (uint32_t)n;
    c.info = info;
    c.st = st;
    c.ctx = ctx;
    c.ctx_len = 8;
    c.mutate_seed = 7;
    static snet_report rep;
    snet_outcome o;
    /* the true facts: clean */
    unsigned v = snet_check(&c, &snet_layout_emu, &snet_layout_high, &o, &rep);
    printf("self-test: true facts: %u violations (%llu facts checked)%s\n", v,
           (unsigned long long)rep.checked, v ? ":" : "");
    if (v) fputs(rep.text, stdout);
    (v == 0 && rep.checked > 20) ? (*passed)++ : (*failed)++;

    /* lies, one at a time: each must be found */
    struct lie { const char *what; int insn; int kind; const char *expect; } lies[] = {
        {"r2's range [0,7] claimed [0,4]", 3, 0, "r2 = 0x5 outside"},
        {"r3's offset claimed exactly -16 (it is -11)", 6, 1, "r3 = "},
        {"r3 claimed a context pointer", 6, 2, "r3 = "},
        {"slot r10-8 claimed a number below 2^16", 8, 3, "stack slot r10-8"},
        {"r6 (the context pointer) claimed SCALAR (any value)", 7, 4, "r6 is SCALAR but depends"},
        {"known bits: r3's offset claimed even (it is -11)", 6, 5, "r3 = "},
        {"hi_zero claimed for r6 (a pointer) after insn 0", 0, 6, "hi_zero claims r6"},
        {"hi_dead claimed for r0 before the exit", 9, 7, "hi_dead:"},
        {"a relation r3 - 1*r2 in [0,0] (it is -16)", 6, 8, "relation r3 - 1 * r2"},
        {"the stxb at r3 claimed PROVEN though r3 is moved out of the frame", 6, 9, "PROVEN 1-byte store"},
        {"instruction 5 claimed unreached", 5, 10, "never reached"},
    };
    for (unsigned k = 0; k < sizeof lies / sizeof lies[0]; k++) {
        memcpy(bad, st, sizeof bad);
        memcpy(bad_info, info, sizeof bad_info);
        static fc_insn lprog[64];
        memcpy(lprog, prog, n * sizeof *prog);
        c.insns = lprog;
        int i = lies[k].insn;
        switch (lies[k].kind) {
        case 0: bad[i].r[2].umax = 4; bad[i].r[2].smax = 4; break;
        case 1: bad[i].r[3].smin = bad[i].r[3].smax = -16; break;
        case 2: bad[i].r[3].kind = FC_AV_CTX; break;
        case 3: bad[i].slot[63] = fc_av_range(FC_AV_UNKNOWN, 0, 0xffff); break;
        case 4: bad[i].r[6] = fc_av_top(FC_AV_SCALAR); break;
        case 5: bad[i].r[3].lk = 1; bad[i].r[3].lv = 0; break;
        case 6: bad_info[i].hi_zero |= 1u << 6; break;
        case 7:
            /* r0 feeds the result: a lie that changes it. mov r0, r2 becomes
             * lddw-free "mov r0, r6" (a 64-bit pointer) so the upper half matters */
            lprog[i] = fc_insn_make(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, 0, 6, 0, 0);
            bad_info[i].hi_dead |= 1u;
            for (unsigned r = 0; r < FC_NREGS; r++) /* keep the state claims true */
                bad[i + 1].r[r] = fc_av_top(FC_AV_UNKNOWN);
            bad[i + 1].r[10] = st[i + 1].r[10];
            bad[i + 1].r[0] = fc_av_top(FC_AV_UNKNOWN);
            for (unsigned r = 0; r < FC_NREGS; r++)
                bad[i + 1].rel[r].q = FC_VFY_REL_NONE;
            bad_info[i].hi_zero = 0;
            break;
        case 8: bad[i].rel[3].q = 2; bad[i].rel[3].k = 1; bad[i].rel[3].clo = 0; bad[i].rel[3].chi = 0; break;
        case 9:
            lprog[5] = fc_insn_make(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_ADD, 3, 0, 0, 600);
            for (unsigned r = 0; r < FC_NREGS; r++)
                bad[i].r[r] = r == 10 ? st[i].r[10] : fc_av_top(FC_AV_UNKNOWN);
            bad[i].r[3] = fc_av_top(FC_AV_UNKNOWN);
            for (unsigned r = 0; r < FC_NREGS; r++)
                bad[i].rel[r].q = FC_VFY_REL_NONE;
            bad[i + 1] = bad[i];
            bad[i + 1].r[3] = fc_av_top(FC_AV_UNKNOWN);
            bad_info[i].access = FC_ACC_PROVEN;
            bad_info[i].hi_zero = 0;
            bad_info[i - 1].hi_zero = 0;
            break;
        case 10: bad[i].has = 0; break;
        }
        c.st = bad;
        c.info = bad_info;
        v = snet_check(&c, &snet_layout_emu, &snet_layout_high, &o, &rep);
        int hit = v && strstr(rep.text, lies[k].expect);
        printf("self-test: lie '%s': %s\n", lies[k].what, hit ? "found" : v ? "NOT FOUND as expected:" : "NOT FOUND");
        if ((v && !hit) || cx->verbose)
            fputs(rep.text, stdout);
        hit ? (*passed)++ : (*failed)++;
    }
    free(prog);
    return 0;
}

/* JOBS workers, programs k, k + JOBS, ...; tallies come back through pipes.
 * Returns the number of workers that died. */
static unsigned campaign(ctxs *cx, uint64_t seed, uint64_t count, double seconds, unsigned jobs,
                         tally *t)
{
    int fds[16];
    pid_t pids[16];
    unsigned dead = 0;
    fflush(stdout);
    for (unsigned k = 0; k < jobs; k++) {
        int pfd[2];
        if (pipe(pfd) || (pids[k] = fork()) < 0) {
            printf("fuzz-sound: cannot start worker %u\n", k);
            return jobs;
        }
        if (pids[k] == 0) {
            static tally w;
            close(pfd[0]);
            if (open_emus(cx))
                _exit(3);
            work(cx, seed, k, jobs, count, seconds, &w);
            for (unsigned x = 0; x < cx->nxtd; x++)
                w.xt_starts += fc_xt_starts(fc_xtd_runner(cx->xtd[x]));
            close_emus(cx);
            fflush(stdout);
            ssize_t wr = write(pfd[1], &w, sizeof w);
            _exit(wr == (ssize_t)sizeof w ? 0 : 1);
        }
        close(pfd[1]);
        fds[k] = pfd[0];
    }
    for (unsigned k = 0; k < jobs; k++) {
        static tally w;
        int status = 0;
        ssize_t got = read(fds[k], &w, sizeof w);
        close(fds[k]);
        waitpid(pids[k], &status, 0);
        if (got != (ssize_t)sizeof w || !WIFEXITED(status) || WEXITSTATUS(status)) {
            printf("fuzz-sound: worker %u died (status 0x%x)\n", k, status);
            dead++;
            continue;
        }
        t->programs += w.programs, t->verified += w.verified, t->violations += w.violations;
        t->disagree += w.disagree, t->skipped += w.skipped, t->proven += w.proven;
        t->facts += w.facts, t->errors += w.errors, t->bad += w.bad;
        t->st_proven += w.st_proven, t->st_checked += w.st_checked;
        for (unsigned e = 0; e < FC_ERR__COUNT; e++)
            t->outcome[e] += w.outcome[e];
        for (unsigned f = 0; f < 16; f++)
            t->feat_viol[f] += w.feat_viol[f];
        t->xt_runs += w.xt_runs, t->xt_starts += w.xt_starts;
        t->guarded += w.guarded;
    }
    return dead;
}

static void summary(const tally *t, double el)
{
    printf("fuzz-sound: %llu verified, %llu skipped (generator overflow), %llu facts checked, "
           "%llu PROVEN accesses executed; %llu engine disagreements, %llu errors; %.1f s, "
           "%.0f programs/s\n", (unsigned long long)t->verified, (unsigned long long)t->skipped,
           (unsigned long long)t->facts, (unsigned long long)t->proven,
           (unsigned long long)t->disagree, (unsigned long long)t->errors, el,
           el > 0 ? (double)t->programs / el : 0.0);
    printf("fuzz-sound: engines interp, thumbv7m, rv32imac");
    for (size_t k = 0; k < fc_xtd_engines_count; k++)
        printf(", %s", fc_xtd_engines[k].name);
    printf(" (Xtensa: %llu runs, %llu QEMU processes started)\n", (unsigned long long)t->xt_runs,
           (unsigned long long)t->xt_starts);
    printf("fuzz-sound: %llu programs with range guards (fc_ir_opt)\n", (unsigned long long)t->guarded);
    printf("fuzz-sound: accesses the verifier proved %llu, left checked %llu; runs ended:",
           (unsigned long long)t->st_proven, (unsigned long long)t->st_checked);
    for (unsigned e = 0; e < FC_ERR__COUNT; e++)
        if (t->outcome[e])
            printf(" %s %llu;", fc_err_str((int)e), (unsigned long long)t->outcome[e]);
    printf("\n");
    if (t->bad) {
        char fb[200];
        printf("fuzz-sound: programs with violations, by feature they use:");
        for (unsigned f = 0; f < 9; f++)
            if (t->feat_viol[f])
                printf(" %s %llu;", feat_str(1u << f, fb, sizeof fb),
                       (unsigned long long)t->feat_viol[f]);
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = DEFAULT_SEED, count = 0;
    double seconds = 0;
    unsigned jobs = 1, replay = 0, selftest = 0, slice = 0, minim = 0;
    const char *regress_dir = NULL;
    ctxs cx;
    memset(&cx, 0, sizeof cx);
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-n") && a + 1 < argc) count = strtoull(argv[++a], NULL, 0);
        else if (!strcmp(argv[a], "--seconds") && a + 1 < argc) seconds = atof(argv[++a]);
        else if (!strcmp(argv[a], "--seed") && a + 1 < argc) seed = strtoull(argv[++a], NULL, 0);
        else if (!strcmp(argv[a], "-j") && a + 1 < argc) jobs = (unsigned)atoi(argv[++a]);
        else if (!strcmp(argv[a], "--replay")) replay = 1;
        else if (!strcmp(argv[a], "--minimise")) replay = minim = 1;
        else if (!strcmp(argv[a], "--regress") && a + 1 < argc) regress_dir = argv[++a];
        else if (!strcmp(argv[a], "--self-test")) selftest = 1;
        else if (!strcmp(argv[a], "--slice")) slice = 1;
        else if (!strcmp(argv[a], "--save") && a + 1 < argc) cx.save_dir = argv[++a];
        else if (!strcmp(argv[a], "--no-weak-profiles")) cx.no_weak = 1;
        else if (!strcmp(argv[a], "--no-ptr-cmp")) cx.no_ptrcmp = 1;
        else if (!strcmp(argv[a], "-v")) cx.verbose = 1;
        else {
            fprintf(stderr, "usage: fuzz-sound [-n COUNT | --seconds S] [--seed S] [-j JOBS] [-v] "
                    "[--no-weak-profiles] [--no-ptr-cmp] [--save DIR]\n"
                    "       fuzz-sound --seed S --replay | --seed S --minimise [--save DIR]\n"
                    "       fuzz-sound --regress DIR | --self-test\n"
                    "       fuzz-sound --slice --self-test --regress DIR -n COUNT [-j JOBS]\n");
            return 2;
        }
    }
    if (!count && seconds <= 0 && !replay && !regress_dir && !selftest)
        count = 1000;
    if (jobs < 1 || jobs > 16)
        jobs = 1;
    static tally t;
    unsigned passed = 0, failed = 0;
    if (cx.no_weak)
        printf("fuzz-sound: excluded: weakened helper profiles (--no-weak-profiles)\n");
    if (cx.no_ptrcmp)
        printf("fuzz-sound: excluded: pointer comparisons (--no-ptr-cmp)\n");
    if (replay || regress_dir || selftest) {
        if (open_emus(&cx))
            return 1;
        if (selftest)
            self_test(&cx, &passed, &failed);
        if (regress_dir && regress(&cx, regress_dir, &t, &passed, &failed))
            failed++;
        if (replay) {
            static sg g;
            char why[300];
            gen(&g, seed, cx.no_weak, cx.no_ptrcmp);
            t.programs++;
            if (minim && !g.overflow) {
                uint32_t before = g.n;
                minimise(&cx, &g, seed);
                printf("minimised: %u slots -> %u\n", before, g.n);
                if (cx.save_dir)
                    save_case(cx.save_dir, seed, &g, g.p, g.n, "minimised");
            }
            int r = g.overflow ? -1 : check_prog(&cx, &g, seed, &t, stdout, 1, why, sizeof why);
            printf("replay: %s\n", r < 0 ? "generator overflow" : r ? "violation" : "clean");
            r ? failed++ : passed++;
        }
        close_emus(&cx);
        if (!slice) {
            printf("fuzz-sound: %llu programs, %llu violations\n", (unsigned long long)t.programs,
                   (unsigned long long)(t.violations + t.disagree + t.errors));
            printf("fuzz-sound-slice: %u passed, %u failed\n", passed, failed);
            return failed ? 1 : 0;
        }
        memset(&t, 0, sizeof t);
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (count)
        printf("fuzz-sound: seed 0x%016llx, %llu programs, %u worker%s\n", (unsigned long long)seed,
               (unsigned long long)count, jobs, jobs > 1 ? "s" : "");
    else
        printf("fuzz-sound: seed 0x%016llx, %.0f s, %u worker%s\n", (unsigned long long)seed,
               seconds, jobs, jobs > 1 ? "s" : "");
    unsigned dead = campaign(&cx, seed, count, seconds, jobs, &t);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    summary(&t, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    uint64_t v = t.violations + t.disagree + t.errors + dead;
    printf("fuzz-sound: %llu programs, %llu violations\n", (unsigned long long)t.programs,
           (unsigned long long)v);
    if (slice) {
        passed += (unsigned)(t.programs - t.bad);
        failed += (unsigned)t.bad + dead;
        printf("fuzz-sound-slice: %u passed, %u failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    return v ? 1 : 0;
}
