/*
 * fc_verify.c - the verifier (see fc_verify.h for what it checks and the
 * model it assumes).
 *
 * Phases:
 *   1. decode    every slot through fc_insn_check; per-instruction static
 *                checks (r10 writes, immediate zero divisors, shift ranges,
 *                helper allowlist, lddw section offsets)
 *   2. functions entry + local call targets (+ the ELF reader's function
 *                starts) cut the array into functions
 *   3. jumps     targets inside the program, not into an lddw, not into
 *                another function
 *   4. reach     syntactic reachability from the entry through calls;
 *                falling off a function; unreachable code; no exit
 *   5. calls     the call graph: recursion, depth, an order with every
 *                caller before its callees
 *   6. analysis  per function (callers first): a worklist fixpoint over basic
 *                blocks with states at block entries (fc_analysis.h values
 *                for r0..r10 and the 64 8-byte slots of the frame), widening
 *                after `widen_after` changes; then one reporting pass that
 *                classifies accesses, reports semantic errors, records the
 *                per-instruction facts and joins call-site arguments into the
 *                callees' entry states
 *   7. liveness  upper-32-bit liveness for fc_insn_info.hi_dead (the shared
 *                solver of middle/fc_hihalf.h over this file's use/def sets)
 *
 * Workspace layout (all from the caller's buffer, sized by
 * fc_vfy_workspace_size):
 *
 *   per slot   : flags u8, op id u16, function u32, block u32, worklist u32,
 *                live u16
 *   per func   : vfunc
 *   per block  : vblock, pending bit; and per block of the largest function
 *                one stored state (states are kept only for the function
 *                being analysed; see "stored states")
 *   temporaries: 2 vstates
 */
#include "fc_verify.h"
#include "fc_analysis.h"
#include "fc_vm.h"
#include "fc_container.h"   /* FC_FCX_MAX_CTX */
#include "fc_hihalf.h"

#define NSLOTS (FC_STACK_SIZE / 8u)
#define FRAME ((int64_t)FC_STACK_SIZE)

/* rel[r] = (q, k, [clo, chi]): val(r) - k * val(q) lies in [clo, chi], where
 * val is a number's signed value or a pointer's offset, and q is a number.
 * See "linear relations" below. */
typedef struct vrel {
    uint8_t q;            /* RNONE: no relation */
    int32_t k;
    int64_t clo, chi;
} vrel;
#define RNONE 0xffu

typedef struct vstate {
    fc_av r[FC_NREGS];
    fc_av slot[NSLOTS];   /* slot k: bytes [r10-512+8k, r10-512+8k+8) */
    vrel rel[FC_NREGS];
} vstate;

/* ---- stored states -----------------------------------------------------
 * A block's entry state is kept in a compact form that decodes to exactly
 * the vstate it was made from: the registers and relations as they are, a
 * 2-bit tag per stack slot (S_UNINIT: fc_av_uninit(), S_TOP:
 * fc_av_top(FC_AV_UNKNOWN), S_VAL: a value of its own) and the S_VAL
 * values, one place per slot of the program's value slots (vfy.vrank).
 * A slot gets a value other than those two only from an 8-byte store
 * (store_effect's exact case) at a known offset of the own frame; a store
 * through r10 names its slot in the instruction, any other 8-byte store
 * (a pointer to the frame in another register) may name any slot. Such a
 * pointer needs r10 as a source operand (a move, an ALU operand, a
 * stored value, a compare), anything but the base of a load: without one
 * (a function sees a caller's frame as STACK_UP, never STACK), r10 is the
 * only register that ever holds an own-frame pointer, and no slot holds
 * one. So the value slots are the slots the program's 8-byte stores
 * through r10 name, or all 64 when it has an 8-byte store through another
 * register and r10 is a source operand somewhere (value_slots, in one pass
 * over the instructions, before the analysis: the workspace is known from
 * the program). Every other slot holds
 * UNINIT or TOP in every state: a join or widening keeps UNINIT and turns
 * TOP into TOP or UNINIT, clobbers write TOP. */
typedef struct cstate {
    fc_av r[FC_NREGS];
    vrel rel[FC_NREGS];
    uint64_t tag[2];      /* slot k: bits 2(k%32).. of tag[k/32] */
    fc_av val[];          /* the value slots', by vfy.vrank */
} cstate;
#define S_UNINIT 0u
#define S_TOP    1u
#define S_VAL    2u
#define VNONE    0xffu    /* vrank of a slot outside the value slots */

/* per-slot flags */
#define I_SLOT2  0x01u  /* second half of an lddw */
#define I_VALID  0x02u  /* passed fc_insn_check */
#define I_LEADER 0x04u  /* starts a basic block */
#define I_FSTART 0x08u  /* starts a function */
#define I_REACH  0x10u  /* reachable (syntactically) */
#define I_SEEN   0x20u  /* reached by the analysis */

typedef struct vfunc {
    uint32_t start, end;
    uint32_t b0, nb;
    uint32_t depth;       /* frames used from here down */
    uint32_t cursor;      /* DFS */
    uint8_t reach, color, has_entry, has_exit;
    uint8_t is_entry;     /* an entry point: a program start (depth 1) */
    uint8_t writes;       /* may write memory outside its own frame (itself or a callee) */
    fc_av arg[5];         /* r1..r5 joined over the call sites */
} vfunc;

typedef struct vblock {
    uint32_t start, end;
    uint32_t visits;
    uint8_t has;
} vblock;

typedef struct vfy {
    const fc_prog *p;
    const fc_vfy_opts *o;
    fc_diags *d;
    fc_insn_info *info;
    fc_vfy_stats *st;
    const fc_insn *in;
    uint32_t n;
    uint32_t errs;

    uint8_t *fl;
    uint16_t *opid;
    uint32_t *fn;
    uint32_t *bid;
    uint32_t *wl;
    uint16_t *live;

    vfunc *f;
    uint32_t nf;
    uint32_t *order;      /* functions, callers first */
    uint32_t norder;

    vblock *b;
    uint32_t nb, nb_cap, nbs_cap; /* nbs_cap: stored states (one function's blocks) */
    uint8_t *bs;          /* states of the current function's blocks (cstate, cs_size each) */
    size_t cs_size;
    uint8_t vrank[NSLOTS];   /* slot k's place in cstate.val, VNONE: none */
    uint64_t *pend;       /* pending bits, indexed like bs */
    uint32_t pend_lo;     /* lowest word that may hold a pending bit */
    vstate *tmp;          /* 2 temporaries */

    uint32_t cur_f;
    int report;           /* reporting pass */
    uint64_t steps, budget;
    uint32_t widen_after;
    fc_av_win win;        /* offsets each pointer kind's region holds (fc_av_branch_win) */
} vfy;

#define ERR(v, i, ...) ((v)->errs++, fc_diag_add((v)->d, FC_SEV_ERROR, (int32_t)(i), __VA_ARGS__))
#define WARN(v, i, ...) fc_diag_add((v)->d, FC_SEV_WARNING, (int32_t)(i), __VA_ARGS__)

/* ---- known helpers (Femto-Containers numbering) ---------------------------
 * Signatures follow the Femto-Containers helper prototypes: pointers the
 * helper reads (PTR), writes (PTR_W), numbers (SCALAR), handles or values
 * that may be either (ANY), variadic tail (OPT). In this table ANY and OPT
 * are never written through (checked against each helper's semantics: the
 * coap helpers write their pdu, so it is PTR_W); in a signature from a
 * profile they may be (see arg_written). */
#define H(id, n, a1, a2, a3, a4, a5, nm) \
    {id, n, {FC_HARG_##a1, FC_HARG_##a2, FC_HARG_##a3, FC_HARG_##a4, FC_HARG_##a5}, nm}
const fc_vfy_helper fc_vfy_known_helpers[] = {
    H(0x01, 5, PTR, OPT, OPT, OPT, OPT, "printf"),
    H(0x02, 3, PTR_W, PTR, SCALAR, NONE, NONE, "memcpy"),
    H(0x10, 2, SCALAR, ANY, NONE, NONE, NONE, "store_local"),
    H(0x11, 2, SCALAR, ANY, NONE, NONE, NONE, "store_global"),
    H(0x12, 2, SCALAR, PTR_W, NONE, NONE, NONE, "fetch_local"),
    H(0x13, 2, SCALAR, PTR_W, NONE, NONE, NONE, "fetch_global"),
    H(0x20, 0, NONE, NONE, NONE, NONE, NONE, "now_ms"),
    H(0x30, 1, SCALAR, NONE, NONE, NONE, NONE, "saul_reg_find_nth"),
    H(0x31, 1, SCALAR, NONE, NONE, NONE, NONE, "saul_reg_find_type"),
    H(0x32, 2, ANY, PTR_W, NONE, NONE, NONE, "saul_reg_read"),
    H(0x40, 2, PTR_W, SCALAR, NONE, NONE, NONE, "gcoap_resp_init"),  /* writes the pdu */
    H(0x41, 2, PTR_W, SCALAR, NONE, NONE, NONE, "coap_opt_finish"),
    H(0x42, 2, PTR_W, SCALAR, NONE, NONE, NONE, "coap_add_format"),
    H(0x43, 1, ANY, NONE, NONE, NONE, NONE, "coap_get_pdu"),
    H(0x50, 3, PTR_W0, ANY, SCALAR, NONE, NONE, "fmt_s16_dfp"),
    H(0x51, 2, PTR_W0, ANY, NONE, NONE, NONE, "fmt_u32_dec"),
    H(0x60, 0, NONE, NONE, NONE, NONE, NONE, "ztimer_now"),
    H(0x61, 2, PTR_W, SCALAR, NONE, NONE, NONE, "ztimer_periodic_wakeup"),
    H(0xf0, 1, SCALAR, NONE, NONE, NONE, NONE, "abort"),  /* femtoc: stops with FC_ERR_UNWIND */
};
#undef H
const uint32_t fc_vfy_known_helpers_count =
    sizeof fc_vfy_known_helpers / sizeof fc_vfy_known_helpers[0];

const fc_vfy_helper *fc_vfy_find_known(uint32_t id)
{
    for (uint32_t k = 0; k < fc_vfy_known_helpers_count; k++)
        if (fc_vfy_known_helpers[k].id == id)
            return &fc_vfy_known_helpers[k];
    return 0;
}

static const fc_vfy_helper unknown_sig = {0, FC_HSIG_UNKNOWN, {0, 0, 0, 0, 0}, "?"};

/* The allowed helper with that id (its signature), or NULL. A helper femtoc
 * knows always has its known signature: an allowlist entry only allows it
 * (a weaker signature from a profile would let the analysis trust stack
 * slots the real helper overwrites). */
static const fc_vfy_helper *allowed(const vfy *v, uint32_t id)
{
    const fc_vfy_helper *kn = fc_vfy_find_known(id);
    if (!v->o->helpers)
        return kn;
    for (uint32_t k = 0; k < v->o->nhelpers; k++) {
        const fc_vfy_helper *h = &v->o->helpers[k];
        if (h->id == id)
            return kn ? kn : h;
    }
    return 0;
}

/* May the helper write through argument k (r1 + k)? Known helpers: exactly
 * their PTR_W/PTR_W0 arguments. Any other signature: also every argument
 * that may hold a pointer (ANY, OPT); all five when it is unknown. */
static int arg_written(const fc_vfy_helper *h, unsigned k)
{
    if (h->nargs == FC_HSIG_UNKNOWN)
        return 1;
    if (k >= h->nargs || k >= 5)
        return 0;
    unsigned a = h->arg[k];
    if (a == FC_HARG_PTR_W || a == FC_HARG_PTR_W0)
        return 1;
    return (a == FC_HARG_ANY || a == FC_HARG_OPT) && fc_vfy_find_known(h->id) != h;
}

static const char *hname(const fc_vfy_helper *h, uint32_t id, char *buf, size_t size)
{
    const fc_vfy_helper *kn = fc_vfy_find_known(id);
    if (h && h->name[0] && !(h->name[0] == '?' && !h->name[1]))
        fc_diag_format(buf, size, "%u (%s)", (unsigned)id, h->name);
    else if (kn)
        fc_diag_format(buf, size, "%u (%s)", (unsigned)id, kn->name);
    else
        fc_diag_format(buf, size, "%u", (unsigned)id);
    return buf;
}

static int check_helper_allowed(vfy *v, uint32_t i, uint32_t id)
{
    char nb[48];
    if (allowed(v, id))
        return 1;
    if (fc_vfy_find_known(id))
        ERR(v, i, "helper %s is not in the allowlist",
            hname(0, id, nb, sizeof nb));
    else
        ERR(v, i, "unknown helper %u (0x%x)", (unsigned)id, (unsigned)id);
    return 0;
}

/* ---- small utilities -------------------------------------------------- */
static const char *fname(const vfy *v, uint32_t fi, char *buf, size_t size)
{
    uint32_t s = v->f[fi].start;
    for (uint32_t k = 0; v->p->funcs && k < v->p->nfuncs; k++)
        if (v->p->funcs[k].start == s && v->p->funcs[k].name[0]) {
            fc_diag_format(buf, size, "%s", v->p->funcs[k].name);
            return buf;
        }
    for (uint32_t k = 0; v->p->entry_names && k < v->p->nentries; k++)
        if (v->p->entries[k] == s && v->p->entry_names[k]) {
            fc_diag_format(buf, size, "%s", v->p->entry_names[k]);
            return buf;
        }
    if (v->f[fi].is_entry)
        fc_diag_format(buf, size, "%s", "entry");
    else
        fc_diag_format(buf, size, "func@%u", (unsigned)s);
    return buf;
}

static unsigned fmt_of(const vfy *v, uint32_t i)
{
    return fc_opinfo_table[v->opid[i]].fmt;
}

static int is_jump(const fc_insn *x)
{
    unsigned cls = FC_CLASS(x->op), op = FC_OPCODE_OP(x->op);
    return (cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && op != FC_JMP_CALL && op != FC_JMP_EXIT;
}

static int64_t jump_target(const fc_insn *x, uint32_t i)
{
    if (FC_CLASS(x->op) == FC_CLS_JMP32 && FC_OPCODE_OP(x->op) == FC_JMP_JA)
        return (int64_t)i + 1 + x->imm;
    return (int64_t)i + 1 + x->off;
}

static int is_uncond(const fc_insn *x)
{
    return is_jump(x) && FC_OPCODE_OP(x->op) == FC_JMP_JA;
}

static int is_exit(const fc_insn *x) { return x->op == (FC_CLS_JMP | FC_JMP_EXIT); }
static int is_call(const fc_insn *x) { return x->op == (FC_CLS_JMP | FC_JMP_CALL); }
static int is_local_call(const fc_insn *x) { return is_call(x) && fc_src(*x) == FC_CALL_LOCAL; }

static uint32_t next_of(const vfy *v, uint32_t i)
{
    return i + ((v->in[i].op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM)) ? 2u : 1u);
}

static uint32_t sect_len(const fc_prog *p, int sect)
{
    return sect == FC_SECT_RODATA ? p->rodata_len : sect == FC_SECT_DATA ? p->data_len : p->bss_len;
}

static const char *sect_name(int sect)
{
    return sect == FC_SECT_RODATA ? ".rodata" : sect == FC_SECT_DATA ? ".data" : ".bss";
}

/* ---- workspace --------------------------------------------------------- */
#define ALIGN8(x) (((x) + 7u) & ~(size_t)7u)
typedef struct bounds { uint64_t n, nf, nb, nbs, vslots; } bounds; /* nbs: blocks of one function */

/* The value slots (see "stored states"): bit k, slot k. */
static uint64_t value_slots(const fc_prog *p)
{
    uint64_t m = 0;
    int other = 0, fp_src = 0; /* an 8-byte store not through r10; r10 a source */
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const fc_insn *x = &p->insns[i];
        unsigned cls = FC_CLASS(x->op);
        if (cls != FC_CLS_LDX && fc_src(*x) == FC_REG_FP)
            fp_src = 1;
        if ((cls != FC_CLS_ST && cls != FC_CLS_STX) || FC_MODE(x->op) != FC_MODE_MEM ||
            fc_size_bytes(x->op) != 8)
            continue;
        if (fc_dst(*x) != FC_REG_FP)
            other = 1;
        else if (x->off >= -(int32_t)FRAME && x->off < 0 && x->off % 8 == 0)
            m |= 1ull << ((x->off + FRAME) / 8);
    }
    return other && fp_src ? ~(uint64_t)0 : m;
}

static size_t cstate_size(uint64_t nvals)
{
    return ALIGN8(sizeof(cstate) + nvals * sizeof(fc_av));
}

/* What position j names, into c[0..1] (the count): with C_FUNCS possible
 * function starts, with C_BLOCKS block leaders too, with C_BOUNDS the
 * function starts but the ELF reader's (which phase_funcs skips inside an
 * lddw: these cut the program into ranges of whole functions). Positions
 * below 0 are the program's lists: -1 instruction 0, then the ELF reader's
 * function starts, then the entries. A superset of what phase_funcs and
 * phase_blocks mark (targets out of range are dropped by the caller). */
enum { C_FUNCS, C_BLOCKS, C_BOUNDS };
static unsigned cands(const fc_prog *p, int64_t j, int mode, int64_t c[2])
{
    uint32_t nfu = p->funcs ? p->nfuncs : 0;
    if (j < 0) {
        int64_t k = -j - 2;
        if (k >= 0 && k < nfu && mode == C_BOUNDS)
            return 0;
        c[0] = k < 0 ? 0 : k < nfu ? (int64_t)p->funcs[k].start : (int64_t)p->entries[k - nfu];
        return 1;
    }
    const fc_insn *x = &p->insns[j];
    if (is_call(x) && fc_src(*x) == FC_CALL_LOCAL) {
        c[0] = j + 1 + x->imm;
        return 1;
    }
    if (mode != C_BLOCKS)
        return 0;
    c[0] = j + 1;
    if (is_exit(x))
        return 1;
    if (!is_jump(x))
        return 0;
    c[1] = jump_target(x, (uint32_t)j);
    return 2;
}

static int64_t cands_lo(const fc_prog *p)
{
    return -1 - (int64_t)(p->funcs ? p->nfuncs : 0) - (int64_t)(p->entries ? p->nentries : 0);
}

/* How many distinct instructions in [from, to) the positions name (without
 * memory: each candidate is looked for among the earlier ones; O(n) per
 * candidate in the range). */
static uint64_t count_distinct(const fc_prog *p, int mode, int64_t from, int64_t to)
{
    int64_t lo = cands_lo(p);
    uint64_t d = 0;
    for (int64_t j = lo; j < (int64_t)p->ninsns; j++) {
        int64_t c[2], e[2];
        unsigned m = cands(p, j, mode, c);
        for (unsigned a = 0; a < m; a++) {
            int seen = c[a] < from || c[a] >= to;
            for (int64_t i = lo; i <= j && !seen; i++) {
                unsigned me = i == j ? a : cands(p, i, mode, e);
                if (i == j)
                    e[0] = c[0];
                for (unsigned k = 0; k < me && !seen; k++)
                    seen = e[k] == c[a];
            }
            d += !seen;
        }
    }
    return d;
}

/* The most blocks one function may have: the largest count over the
 * ranges the C_BOUNDS starts cut (each holds whole functions). */
static uint64_t max_fblocks(const fc_prog *p)
{
    int64_t n = p->ninsns, lo = cands_lo(p), fs = 0;
    uint64_t mx = 0;
    while (fs < n) {
        int64_t fe = n, c[2];
        for (int64_t j = lo; j < n; j++) {
            unsigned m = cands(p, j, C_BOUNDS, c);
            for (unsigned a = 0; a < m; a++)
                if (c[a] > fs && c[a] < fe)
                    fe = c[a];
        }
        uint64_t k = count_distinct(p, C_BLOCKS, fs, fe);
        if (k > mx)
            mx = k;
        fs = fe;
    }
    return mx;
}

static bounds count(const fc_prog *p)
{
    int64_t n = p->ninsns;
    bounds b = {p->ninsns, count_distinct(p, C_FUNCS, 0, n), count_distinct(p, C_BLOCKS, 0, n),
                max_fblocks(p), value_slots(p)};
    if (b.nf < 1)
        b.nf = 1;
    if (b.nb < 1)
        b.nb = 1;
    if (b.nbs < 1)
        b.nbs = 1;
    return b;
}

static size_t layout(bounds b, size_t *off /* 12 entries or NULL */)
{
    size_t sz[12] = {
        b.n * 1, b.n * 2, b.n * 4, b.n * 4, b.n * 4, b.n * 2,
        b.nf * sizeof(vfunc), b.nf * 4, b.nb * sizeof(vblock),
        (b.nb / 64 + 1) * 8, b.nbs * cstate_size((uint64_t)__builtin_popcountll(b.vslots)),
        2 * sizeof(vstate),
    };
    size_t total = 0;
    for (int k = 0; k < 12; k++) {
        if (off)
            off[k] = total;
        total += ALIGN8(sz[k]);
    }
    return total + 8; /* slack for aligning the base */
}

size_t fc_vfy_workspace_size(const fc_prog *p)
{
    return layout(count(p), 0);
}

/* The offsets each pointer kind's region holds on every run, for unsigned
 * pointer compares (fc_av_branch_win): the own frame [r10-512, r10), the
 * declared context size, the sections' lengths. A caller's frame (STACK_UP)
 * has none: two such pointers may name different frames. */
static void set_windows(vfy *v)
{
    static const unsigned sect_kind[3] = {FC_AV_RODATA, FC_AV_DATA, FC_AV_BSS};
    for (unsigned k = 0; k < FC_AV__COUNT; k++) {
        v->win.lo[k] = 0;
        v->win.hi[k] = -1;
    }
    v->win.lo[FC_AV_STACK] = -FRAME;
    v->win.hi[FC_AV_STACK] = -1;
    v->win.hi[FC_AV_CTX] = (int64_t)v->o->ctx_size - 1;
    for (int s = 0; s < 3; s++)
        v->win.hi[sect_kind[s]] = (int64_t)sect_len(v->p, FC_SECT_RODATA + s) - 1;
}

/* ---- phase 1: decode + static checks ------------------------------------- */
static void static_checks(vfy *v, uint32_t i)
{
    const fc_insn *x = &v->in[i];
    unsigned fmt = fmt_of(v, i), op = FC_OPCODE_OP(x->op);
    int is64 = FC_CLASS(x->op) == FC_CLS_ALU64;

    if (fmt == FC_FMT_ALU_K && (op == FC_ALU_DIV || op == FC_ALU_MOD) && x->imm == 0)
        ERR(v, i, "%s by zero (immediate divisor 0)", op == FC_ALU_DIV ? "division" : "modulo");
    if (fmt == FC_FMT_ALU_K && (op == FC_ALU_LSH || op == FC_ALU_RSH || op == FC_ALU_ARSH)) {
        int32_t lim = is64 ? 63 : 31;
        if (x->imm < 0 || x->imm > lim) {
            if (v->o->flags & FC_VFY_F_MASKED_SHIFTS)
                WARN(v, i, "shift amount %d out of range for a %d-bit shift (masked to %d)",
                     (int)x->imm, is64 ? 64 : 32, (int)(x->imm & lim));
            else
                ERR(v, i, "shift amount %d out of range for a %d-bit shift (0..%d)", (int)x->imm,
                    is64 ? 64 : 32, (int)lim);
        }
    }
    if (fmt == FC_FMT_CALL && fc_src(*x) == FC_CALL_HELPER)
        check_helper_allowed(v, i, (uint32_t)x->imm);
    if (fmt == FC_FMT_LDDW && fc_src(*x) == FC_LDDW_SECTION) {
        uint32_t off = (uint32_t)v->in[i + 1].imm, len = sect_len(v->p, x->imm);
        /* no such section: the interpreter stops with FC_ERR_BAD_PROGRAM
         * there while native code would load an address: refuse it */
        if (len == 0)
            ERR(v, i, "lddw refers to %s, but the program has no %s section", sect_name(x->imm),
                sect_name(x->imm));
        else if (off > len)
            ERR(v, i, "lddw refers to offset %u of %s, past its end (%u bytes)", (unsigned)off,
                sect_name(x->imm), (unsigned)len);
    }
}

static void phase_decode(vfy *v)
{
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->fl[i] & I_SLOT2)
            continue;
        const fc_insn *x = &v->in[i];
        unsigned op;
        enum fc_insn_fault f = fc_insn_check(x, i + 1 < v->n ? &v->in[i + 1] : 0, &op);
        if (fc_insn_slots(*x) == 2 && i + 1 < v->n)
            v->fl[i + 1] |= I_SLOT2;
        if (f == FC_INSN_LEGACY_PACKET) {
            ERR(v, i, "legacy packet access (LD_ABS/LD_IND) is not supported");
            continue;
        }
        if (f == FC_INSN_WRITES_FP) {
            /* well-formed otherwise: report it and keep analysing */
            ERR(v, i, "write to r10: the frame pointer is read-only%s",
                FC_CLASS(x->op) == FC_CLS_STX ? " (atomic fetch into r10)" : "");
        } else if (f != FC_INSN_OK) {
            ERR(v, i, "invalid instruction: %s (opcode 0x%02x)", fc_insn_fault_str(f), x->op);
            continue;
        }
        v->fl[i] |= I_VALID;
        v->opid[i] = (uint16_t)op;
        static_checks(v, i);
    }
}

/* ---- phase 2: functions ------------------------------------------------ */
/* Entry k's instruction (no entry list: one entry at 0). */
static uint32_t nentries_of(const vfy *v)
{
    return v->p->entries && v->p->nentries ? v->p->nentries : 1;
}

static uint32_t entry_at(const vfy *v, uint32_t k)
{
    return v->p->entries && v->p->nentries ? v->p->entries[k] : 0;
}

static void phase_funcs(vfy *v)
{
    uint32_t ne = nentries_of(v);
    v->fl[0] |= I_FSTART;
    for (uint32_t k = 0; k < ne; k++) {
        uint32_t s = entry_at(v, k);
        if (s >= v->n)
            ERR(v, -1, "entry %u at instruction %u is out of range (the program has %u instructions)",
                (unsigned)k, (unsigned)s, (unsigned)v->n);
        else if (v->fl[s] & I_SLOT2)
            ERR(v, s, "entry %u points into the middle of an lddw", (unsigned)k);
        else
            v->fl[s] |= I_FSTART;
        /* control must not run into an entry from the instruction before
         * (the loader checks the same: runtime/fc_loader.c) */
        if (s > 0 && s < v->n && !(v->fl[s] & I_SLOT2)) {
            uint8_t prev = v->in[s - 1].op;
            if ((s >= 2 && fc_insn_slots(v->in[s - 2]) == 2) ||
                (prev != (FC_CLS_JMP | FC_JMP_EXIT) && prev != (FC_CLS_JMP | FC_JMP_JA) &&
                 prev != (FC_CLS_JMP32 | FC_JMP_JA)))
                ERR(v, s, "entry %u does not start a function: the instruction before it may run "
                    "into it (it must follow an exit or a ja)", (unsigned)k);
        }
        for (uint32_t j = 0; j < k; j++)
            if (entry_at(v, j) == s)
                ERR(v, s < v->n ? (int32_t)s : -1, "entries %u and %u start at the same instruction %u",
                    (unsigned)j, (unsigned)k, (unsigned)s);
    }
    if (v->errs)
        return;
    for (uint32_t k = 0; v->p->funcs && k < v->p->nfuncs; k++) {
        uint32_t s = v->p->funcs[k].start;
        if (s < v->n && !(v->fl[s] & I_SLOT2))
            v->fl[s] |= I_FSTART;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        if (!(v->fl[i] & I_VALID) || !is_local_call(&v->in[i]))
            continue;
        int64_t t = (int64_t)i + 1 + v->in[i].imm;
        if (t < 0 || t >= v->n)
            ERR(v, i, "call target %lld is out of range (the program has %u instructions)",
                (long long)t, (unsigned)v->n);
        else if (v->fl[t] & I_SLOT2)
            ERR(v, i, "call into the middle of an lddw (target %lld)", (long long)t);
        else
            v->fl[t] |= I_FSTART;
    }
    v->nf = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->fl[i] & I_FSTART) {
            if (v->nf)
                v->f[v->nf - 1].end = i;
            vfunc *f = &v->f[v->nf++];
            f->start = i;
            f->end = v->n;
        }
        v->fn[i] = v->nf - 1;
    }
    for (uint32_t k = 0; k < ne; k++)
        v->f[v->fn[entry_at(v, k)]].is_entry = 1;
    /* An entry starts a run at depth 1 with r1 = context, r2 = length and
     * r0 = 0 (docs/sandbox.md section 4): it is never also a call target,
     * whose state would be the caller's. Shared code goes into a function
     * the entries call. */
    char a[48];
    for (uint32_t i = 0; i < v->n; i++) {
        if (!(v->fl[i] & I_VALID) || !is_local_call(&v->in[i]))
            continue;
        int64_t t64 = (int64_t)i + 1 + v->in[i].imm;
        if (t64 < 0 || t64 >= v->n)
            continue;
        uint32_t t = (uint32_t)t64;
        if (v->f[v->fn[t]].is_entry && v->f[v->fn[t]].start == t)
            ERR(v, i, "call of entry function '%s': an entry point cannot be called (put the shared "
                "code into a function both call)", fname(v, v->fn[t], a, sizeof a));
    }
}

/* ---- phase 3: jumps ---------------------------------------------------- */
static void phase_jumps(vfy *v)
{
    char a[48], b[48];
    for (uint32_t i = 0; i < v->n; i++) {
        const fc_insn *x = &v->in[i];
        if (!(v->fl[i] & I_VALID) || !is_jump(x))
            continue;
        int64_t t = jump_target(x, i);
        if (t <= i && v->info)
            v->info[i].backjump = 1;
        if (t < 0 || t >= v->n)
            ERR(v, i, "jump out of range (target %lld, the program has %u instructions)",
                (long long)t, (unsigned)v->n);
        else if (v->fl[t] & I_SLOT2)
            ERR(v, i, "jump into the middle of an lddw (target %lld)", (long long)t);
        else if (v->fn[t] != v->fn[i])
            ERR(v, i, "jump from function '%s' into function '%s' (target %lld)",
                fname(v, v->fn[i], a, sizeof a), fname(v, v->fn[t], b, sizeof b), (long long)t);
    }
}

/* ---- phase 4: reachability --------------------------------------------- */
static void push(vfy *v, uint32_t *sp, uint32_t i)
{
    if (!(v->fl[i] & I_REACH)) {
        v->fl[i] |= I_REACH;
        v->wl[(*sp)++] = i;
    }
}

static void phase_reach(vfy *v)
{
    uint32_t sp = 0;
    char a[48], b[48];

    for (uint32_t k = 0; k < nentries_of(v); k++) {
        v->f[v->fn[entry_at(v, k)]].reach = 1;
        push(v, &sp, entry_at(v, k));
    }
    while (sp) {
        uint32_t i = v->wl[--sp];
        const fc_insn *x = &v->in[i];
        vfunc *f = &v->f[v->fn[i]];
        if (is_exit(x)) {
            f->has_exit = 1;
            continue;
        }
        if (is_jump(x))
            push(v, &sp, (uint32_t)jump_target(x, i));
        if (is_local_call(x)) {
            uint32_t t = (uint32_t)((int64_t)i + 1 + x->imm);
            v->f[v->fn[t]].reach = 1;
            push(v, &sp, t);
        }
        if (is_uncond(x))
            continue;
        uint32_t nx = next_of(v, i);
        if (nx >= f->end) {
            if (nx >= v->n)
                ERR(v, i, "falls off the end of the program (the last instruction must be exit or a jump)");
            else
                ERR(v, i, "falls off the end of function '%s' into function '%s'",
                    fname(v, v->fn[i], a, sizeof a), fname(v, v->fn[nx], b, sizeof b));
            continue;
        }
        push(v, &sp, nx);
    }
    /* unreachable code: one warning per run of instructions */
    for (uint32_t i = 0; i < v->n;) {
        if ((v->fl[i] & (I_REACH | I_SLOT2))) {
            i++;
            continue;
        }
        uint32_t j = i, last = i;
        while (j < v->n && !(v->fl[j] & I_REACH)) {
            if (!(v->fl[j] & I_SLOT2))
                last = j;
            j++;
        }
        if (last == i)
            WARN(v, i, "unreachable instruction");
        else
            WARN(v, i, "unreachable code (instructions %u..%u)", (unsigned)i, (unsigned)last);
        i = j;
    }
    for (uint32_t k = 0; k < v->nf; k++) {
        if (!v->f[k].reach || v->f[k].has_exit)
            continue;
        if (k == 0 && nentries_of(v) == 1)
            ERR(v, v->f[k].start, "no exit: the program never reaches an exit instruction");
        else if (v->f[k].is_entry)
            ERR(v, v->f[k].start, "no exit: entry '%s' never reaches an exit instruction",
                fname(v, k, a, sizeof a));
        else
            ERR(v, v->f[k].start, "no exit: function '%s' never returns", fname(v, k, a, sizeof a));
    }
}

/* ---- phase 5: call graph ------------------------------------------------- */
/* Next reachable local call of function fi at or after *cur; its callee. */
static int next_callee(vfy *v, uint32_t fi, uint32_t *cur, uint32_t *callee, uint32_t *site)
{
    vfunc *f = &v->f[fi];
    for (uint32_t i = *cur; i < f->end; i++) {
        if ((v->fl[i] & I_REACH) && is_local_call(&v->in[i])) {
            *cur = i + 1;
            *site = i;
            *callee = v->fn[(uint32_t)((int64_t)i + 1 + v->in[i].imm)];
            return 1;
        }
    }
    *cur = f->end;
    return 0;
}

/*
 * May function fi (or anything it calls) write memory other than its own
 * frame? A syntactic test, done before the analysis: stores and atomics
 * whose base register is not r10 itself (through r10 with a constant offset
 * a store stays in the own frame, or the verifier refuses it), helpers that
 * may write (a PTR_W argument, an unknown signature, callx), and calls of
 * functions that may. If not, the caller's frame survives the call intact.
 * Callees are finished before their callers in the DFS (post order).
 */
static int writes_outside(vfy *v, uint32_t fi)
{
    vfunc *f = &v->f[fi];
    for (uint32_t i = f->start; i < f->end; i++) {
        if (!(v->fl[i] & I_REACH) || (v->fl[i] & I_SLOT2))
            continue;
        const fc_insn *x = &v->in[i];
        unsigned cls = FC_CLASS(x->op);
        if ((cls == FC_CLS_ST || cls == FC_CLS_STX) && fc_dst(*x) != FC_REG_FP)
            return 1;
        if (x->op == (FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL))
            return 1;
        if (is_call(x) && fc_src(*x) == FC_CALL_HELPER) {
            const fc_vfy_helper *h = allowed(v, (uint32_t)x->imm);
            if (!h)
                return 1;
            for (unsigned k = 0; k < 5; k++)
                if (arg_written(h, k))
                    return 1;
        }
        if (is_local_call(x)) {
            uint32_t g = v->fn[(uint32_t)((int64_t)i + 1 + x->imm)];
            if (v->f[g].color != 2 || v->f[g].writes) /* unfinished: recursion, refused anyway */
                return 1;
        }
    }
    return 0;
}

/*
 * The interpreter runs entry k as the program from its instruction on
 * (runtime/fc_loader.c: the bytecode from there), so every function an
 * entry reaches through calls must start after the entry's instruction.
 * femtoc's layout (entries first, callees after all of them) always does;
 * hand-written bytecode may not.
 */
static void entries_before(vfy *v)
{
    uint32_t *stack = v->wl;
    char a[48], b[48];
    for (uint32_t e = 0; e < nentries_of(v); e++) {
        uint32_t at = entry_at(v, e), sp = 0, root = v->fn[at];
        if (at == 0)
            continue;
        for (uint32_t k = 0; k < v->nf; k++)
            v->f[k].cursor = 0; /* 1: seen from this entry */
        v->f[root].cursor = 1;
        stack[sp++] = root;
        while (sp) {
            uint32_t fi = stack[--sp], cur = v->f[fi].start, g, site;
            while (next_callee(v, fi, &cur, &g, &site)) {
                if (v->f[g].start < at) {
                    ERR(v, site, "function '%s', called from entry '%s', lies before the entry "
                        "(each entry runs as the program from its first instruction: put what "
                        "an entry calls after it)", fname(v, g, a, sizeof a), fname(v, root, b, sizeof b));
                    return;
                }
                if (!v->f[g].cursor) {
                    v->f[g].cursor = 1;
                    stack[sp++] = g;
                }
            }
        }
    }
}

static void phase_calls(vfy *v)
{
    uint32_t *stack = v->wl; /* function indices (the worklist is free now) */
    uint32_t sp = 0, post = 0;
    char buf[160], nb[48];

    for (uint32_t k = 0; k < v->nf; k++) {
        v->f[k].color = 0;
        v->f[k].depth = 1;
    }
    /* one depth-first walk per entry; a function finished from an earlier
     * entry is not walked again (its depth is known) */
    for (uint32_t e = 0; e < nentries_of(v); e++) {
    uint32_t root = v->fn[entry_at(v, e)];
    if (v->f[root].color)
        continue;
    stack[sp++] = root;
    v->f[root].color = 1;
    v->f[root].cursor = v->f[root].start;
    while (sp) {
        uint32_t fi = stack[sp - 1], g, site;
        vfunc *f = &v->f[fi];
        if (next_callee(v, fi, &f->cursor, &g, &site)) {
            if (v->f[g].color == 1) {
                /* the chain from g to the top of the stack, then g again */
                size_t used = 0;
                uint32_t from = 0;
                while (stack[from] != g)
                    from++;
                buf[0] = '\0';
                for (uint32_t k = from; k < sp && used < sizeof buf; k++)
                    used += fc_diag_format(buf + used, sizeof buf - used, "%s -> ",
                                           fname(v, stack[k], nb, sizeof nb));
                if (used < sizeof buf)
                    fc_diag_format(buf + used, sizeof buf - used, "%s", fname(v, g, nb, sizeof nb));
                ERR(v, site, "recursion is not allowed: %s", buf);
            } else if (v->f[g].color == 0) {
                v->f[g].color = 1;
                v->f[g].cursor = v->f[g].start;
                stack[sp++] = g;
            }
            continue;
        }
        /* all callees done: depth, post order */
        uint32_t cur = f->start, d = 1;
        while (next_callee(v, fi, &cur, &g, &site))
            if (v->f[g].color == 2 && v->f[g].depth + 1 > d)
                d = v->f[g].depth + 1;
        f->depth = d;
        f->color = 2;
        f->writes = writes_outside(v, fi);
        v->order[post++] = fi;
        sp--;
    }
    }
    /* reverse post order: callers before callees (over all entries: still
     * a topological order of the call graph) */
    for (uint32_t a = 0, b = post ? post - 1 : 0; a < b; a++, b--) {
        uint32_t t = v->order[a];
        v->order[a] = v->order[b];
        v->order[b] = t;
    }
    v->norder = post;
    /* the deepest entry gives the run stack (frames) of the container */
    uint32_t deep = v->fn[entry_at(v, 0)];
    for (uint32_t e = 1; e < nentries_of(v); e++)
        if (v->f[v->fn[entry_at(v, e)]].depth > v->f[deep].depth)
            deep = v->fn[entry_at(v, e)];
    if (v->st)
        v->st->max_call_depth = v->f[deep].depth;
    entries_before(v);
    if (v->f[deep].depth > FC_MAX_CALL_DEPTH) {
        /* name the deepest chain */
        size_t used = 0;
        uint32_t fi = deep, site0 = 0;
        int firstsite = 1;
        buf[0] = '\0';
        for (;;) {
            used += fc_diag_format(buf + used, used < sizeof buf ? sizeof buf - used : 0, "%s%s",
                                   used ? " -> " : "", fname(v, fi, nb, sizeof nb));
            uint32_t cur = v->f[fi].start, g, site, best = UINT32_MAX, bsite = 0;
            while (next_callee(v, fi, &cur, &g, &site))
                if (v->f[g].depth + 1 == v->f[fi].depth && best == UINT32_MAX) {
                    best = g;
                    bsite = site;
                }
            if (best == UINT32_MAX || used >= sizeof buf)
                break;
            if (firstsite) {
                site0 = bsite;
                firstsite = 0;
            }
            fi = best;
        }
        ERR(v, site0, "call depth of %u frames exceeds the limit of %u (%s)",
            (unsigned)v->f[deep].depth, (unsigned)FC_MAX_CALL_DEPTH, buf);
    }
}

/* ---- phase 6a: blocks ----------------------------------------------------- */
static void phase_blocks(vfy *v)
{
    for (uint32_t k = 0; k < v->nf; k++)
        v->fl[v->f[k].start] |= I_LEADER;
    for (uint32_t i = 0; i < v->n; i++) {
        const fc_insn *x = &v->in[i];
        if (!(v->fl[i] & I_VALID))
            continue;
        if (is_jump(x))
            v->fl[(uint32_t)jump_target(x, i)] |= I_LEADER;
        if (is_jump(x) || is_exit(x)) {
            uint32_t nx = next_of(v, i);
            if (nx < v->n)
                v->fl[nx] |= I_LEADER;
        }
    }
    v->nb = 0;
    uint32_t fi = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->fl[i] & I_LEADER) {
            if (v->nb && v->b[v->nb - 1].end > i)
                v->b[v->nb - 1].end = i;
            if (v->fl[i] & I_FSTART) {
                fi = v->fn[i];
                v->f[fi].b0 = v->nb;
            }
            if (v->nb >= v->nb_cap) { /* cannot happen: count() bounds the leaders */
                ERR(v, i, "internal error: too many basic blocks");
                return;
            }
            vblock *b = &v->b[v->nb++];
            b->start = i;
            b->end = v->f[fi].end;
            v->f[fi].nb = v->nb - v->f[fi].b0;
        }
        v->bid[i] = v->nb - 1;
    }
    for (uint32_t k = 0; k < v->nf; k++)
        if (v->f[k].nb > v->nbs_cap) { /* cannot happen: count() bounds them */
            ERR(v, v->f[k].start, "internal error: too many basic blocks in one function");
            return;
        }
}

/* ---- phase 6b: abstract interpretation ------------------------------------ */
/* the stored state of the current function's local block lb */
static cstate *cs_at(const vfy *v, uint32_t lb)
{
    return (cstate *)(void *)(v->bs + (size_t)lb * v->cs_size);
}

static int av_same(const fc_av *a, const fc_av *b) /* every field */
{
    return a->kind == b->kind && a->lk == b->lk && a->lv == b->lv && a->umin == b->umin &&
           a->umax == b->umax && a->smin == b->smin && a->smax == b->smax;
}

static unsigned cs_tag(const cstate *c, unsigned k)
{
    return (unsigned)(c->tag[k / 32] >> (2 * (k % 32))) & 3u;
}

static fc_av cs_slot(const vfy *v, const cstate *c, unsigned k)
{
    unsigned t = cs_tag(c, k);
    return t == S_VAL ? c->val[v->vrank[k]] : t == S_TOP ? fc_av_top(FC_AV_UNKNOWN) : fc_av_uninit();
}

/* slot k of c := a; 0 when a is a value of its own and k is no value slot
 * (cannot happen: see "stored states") */
static int cs_set_slot(const vfy *v, cstate *c, unsigned k, const fc_av *a)
{
    fc_av u = fc_av_uninit(), t = fc_av_top(FC_AV_UNKNOWN);
    uint64_t tag = av_same(a, &u) ? S_UNINIT : av_same(a, &t) ? S_TOP : S_VAL;
    if (tag == S_VAL) {
        if (v->vrank[k] == VNONE)
            return 0;
        c->val[v->vrank[k]] = *a;
    }
    c->tag[k / 32] = (c->tag[k / 32] & ~(3ull << (2 * (k % 32)))) | tag << (2 * (k % 32));
    return 1;
}

static int cs_put(const vfy *v, cstate *c, const vstate *s)
{
    int ok = 1;
    for (unsigned r = 0; r < FC_NREGS; r++) {
        c->r[r] = s->r[r];
        c->rel[r] = s->rel[r];
    }
    for (unsigned k = 0; k < NSLOTS; k++)
        ok &= cs_set_slot(v, c, k, &s->slot[k]);
    return ok;
}

static void cs_get(const vfy *v, const cstate *c, vstate *s)
{
    for (unsigned r = 0; r < FC_NREGS; r++) {
        s->r[r] = c->r[r];
        s->rel[r] = c->rel[r];
    }
    for (unsigned k = 0; k < NSLOTS; k++)
        s->slot[k] = cs_slot(v, c, k);
}

static void clobber_all(vstate *s)
{
    for (uint32_t k = 0; k < NSLOTS; k++)
        s->slot[k] = fc_av_top(FC_AV_UNKNOWN);
}

/* forget own-frame bytes [lo, hi) (offsets from r10, clipped to the frame) */
static void clobber_range(vstate *s, int64_t lo, int64_t hi)
{
    if (lo < -FRAME)
        lo = -FRAME;
    if (hi > 0)
        hi = 0;
    for (int64_t o = lo - ((lo + FRAME) % 8); o < hi; o += 8)
        s->slot[(o + FRAME) / 8] = fc_av_top(FC_AV_UNKNOWN);
}

static int finite(const fc_av *a) { return a->smin > -FC_AV_INF && a->smax < FC_AV_INF; }

/* a pointer whose start lies inside its region, so a helper writing through
 * it stays inside that region (which is not the own frame) */
static int start_in_other_region(const vfy *v, const fc_av *a)
{
    if (!finite(a))
        return 0;
    if (a->kind == FC_AV_STACK_UP) /* writes go up, away from the own frame */
        return a->smin >= -FRAME && a->smax < 0;
    if (a->smin < 0)
        return 0;
    switch (a->kind) {
    case FC_AV_CTX: return v->o->ctx_size && a->smax < (int64_t)v->o->ctx_size;
    case FC_AV_RODATA: return a->smax < (int64_t)v->p->rodata_len;
    case FC_AV_DATA: return a->smax < (int64_t)v->p->data_len;
    case FC_AV_BSS: return a->smax < (int64_t)v->p->bss_len;
    }
    return 0;
}

static uint8_t region_of(unsigned kind)
{
    switch (kind) {
    case FC_AV_STACK:
    case FC_AV_STACK_UP: return FC_REGION_STACK;
    case FC_AV_CTX: return FC_REGION_CTX;
    case FC_AV_RODATA: return FC_REGION_RODATA;
    case FC_AV_DATA: return FC_REGION_DATA;
    case FC_AV_BSS: return FC_REGION_BSS;
    }
    return 0xff;
}

static const char *kind_str(unsigned k)
{
    static const char *const s[] = {"unwritten", "a number", "an unknown value",
                                    "a pointer to the stack", "a pointer to a caller's stack",
                                    "a pointer to the context", "a pointer to .rodata",
                                    "a pointer to .data", "a pointer to .bss"};
    return k < FC_AV__COUNT ? s[k] : "?";
}

typedef struct acc {
    int cls;            /* FC_ACC_PROVEN / FC_ACC_CHECK */
    int bad;            /* proven out of bounds (reported) */
    int64_t xl, xh;     /* offset range of the first byte */
    uint8_t hint;
} acc;

static void fmt_range(char *buf, size_t size, int64_t lo, int64_t hi)
{
    if (lo == hi)
        fc_diag_format(buf, size, "%lld", (long long)lo);
    else
        fc_diag_format(buf, size, "%lld..%lld", (long long)lo, (long long)hi);
}

static acc classify(vfy *v, uint32_t i, const fc_av *base, int16_t off, unsigned size, int write)
{
    acc a = {FC_ACC_CHECK, 0, 0, 0, region_of(base->kind)};
    char rb[48];

    if (!fc_av_is_ptr(base))
        return a;
    a.xl = base->smin <= -FC_AV_INF ? -FC_AV_INF : base->smin + off;
    a.xh = base->smax >= FC_AV_INF ? FC_AV_INF : base->smax + off;
    int fin = finite(base);
    int64_t lo = 0, hi = 0; /* valid first-byte offsets [lo, hi] */
    switch (base->kind) {
    case FC_AV_STACK:
    case FC_AV_STACK_UP:
        lo = -FRAME;
        hi = -(int64_t)size;
        break;
    case FC_AV_CTX:
        if (fin && a.xh < 0) {
            if (v->report) {
                fmt_range(rb, sizeof rb, a.xl, a.xh);
                ERR(v, i, "context access at negative offset %s", rb);
            }
            a.bad = 1;
            return a;
        }
        if (fin && v->o->ctx_size && a.xl >= 0 && a.xh + (int64_t)size <= (int64_t)v->o->ctx_size)
            a.cls = FC_ACC_PROVEN;
        return a;
    case FC_AV_RODATA:
    case FC_AV_DATA:
    case FC_AV_BSS: {
        int sect = base->kind == FC_AV_RODATA ? FC_SECT_RODATA :
                   base->kind == FC_AV_DATA ? FC_SECT_DATA : FC_SECT_BSS;
        if (write && base->kind == FC_AV_RODATA) {
            if (v->report)
                ERR(v, i, "write to read-only data (.rodata)");
            a.bad = 1;
            return a;
        }
        lo = 0;
        hi = (int64_t)sect_len(v->p, sect) - (int64_t)size;
        break;
    }
    }
    if (!fin)
        return a;
    if (a.xl >= lo && a.xh <= hi) {
        a.cls = FC_ACC_PROVEN;
    } else if ((a.xl > lo ? a.xl : lo) > (a.xh < hi ? a.xh : hi)) {
        a.bad = 1;
        if (v->report) {
            fmt_range(rb, sizeof rb, a.xl, a.xh);
            if (base->kind == FC_AV_STACK || base->kind == FC_AV_STACK_UP)
                ERR(v, i, "stack access out of bounds: offset %s, %u bytes (the frame is r10-512..r10)",
                    rb, size);
            else
                ERR(v, i, "%s access out of bounds: offset %s, %u bytes (the section has %lld bytes)",
                    base->kind == FC_AV_RODATA ? ".rodata" : base->kind == FC_AV_DATA ? ".data" : ".bss",
                    rb, size, (long long)(hi + (int64_t)size));
        }
    }
    return a;
}

/* What a load of `size` bytes through base (access a) gives. */
static fc_av load_value(vfy *v, const vstate *s, const fc_av *base, const acc *a, unsigned size,
                        int sx)
{
    unsigned bits = size * 8;
    int64_t half = bits == 64 ? 0 : (int64_t)1 << (bits - 1);
    fc_av dflt;
    if (bits == 64)
        dflt = fc_av_top(FC_AV_UNKNOWN);
    else if (sx)
        dflt = fc_av_make(FC_AV_UNKNOWN, 0, UINT64_MAX, -half, half - 1);
    else
        dflt = fc_av_range(FC_AV_UNKNOWN, 0, (1ull << bits) - 1);

    if (base->kind == FC_AV_STACK && a->cls == FC_ACC_PROVEN && a->xl == a->xh && a->xl % 8 == 0) {
        const fc_av *sv = &s->slot[(a->xl + FRAME) / 8];
        if (sv->kind == FC_AV_UNINIT)
            return dflt;
        if (size == 8 && !sx)
            return *sv;
        if (fc_av_is_num(sv)) {
            if (!sx && sv->umax < (1ull << bits))
                return *sv;
            if (sx && sv->smin >= -half && sv->smax < half)
                return *sv;
        }
        return dflt;
    }
    if (base->kind == FC_AV_RODATA && a->cls == FC_ACC_PROVEN && a->xh - a->xl <= 1024 &&
        v->p->rodata) {
        /* .rodata is immutable: the value is one of the table's entries */
        uint64_t umin = UINT64_MAX, umax = 0;
        int64_t smin = INT64_MAX, smax = INT64_MIN;
        for (int64_t x = a->xl; x <= a->xh; x++) {
            uint64_t val = 0;
            for (unsigned k = 0; k < size; k++)
                val |= (uint64_t)v->p->rodata[x + k] << (8 * k);
            if (sx && bits < 64) {
                uint64_t m = 1ull << (bits - 1);
                val = (val ^ m) - m;
            }
            if (val < umin) umin = val;
            if (val > umax) umax = val;
            if ((int64_t)val < smin) smin = (int64_t)val;
            if ((int64_t)val > smax) smax = (int64_t)val;
        }
        fc_av r = fc_av_make(FC_AV_SCALAR, umin, umax, smin, smax);
        return r;
    }
    return dflt;
}

/* The effect of writing [base+off, +size) on the tracked own-frame slots. */
static void store_effect(vstate *s, const fc_av *base, const acc *a, unsigned size,
                         const fc_av *val)
{
    if (base->kind == FC_AV_STACK) {
        if (a->xl <= -FC_AV_INF || a->xh >= FC_AV_INF) {
            clobber_all(s);
        } else if (val && a->xl == a->xh && a->xl % 8 == 0 && size == 8 && a->cls == FC_ACC_PROVEN) {
            s->slot[(a->xl + FRAME) / 8] = *val;
        } else {
            clobber_range(s, a->xl, a->xh + (int64_t)size);
        }
        return;
    }
    if (a->cls == FC_ACC_PROVEN)
        return; /* inside another region: the own frame is untouched */
    clobber_all(s);
}

static void count_access(vfy *v, uint32_t i, const fc_av *base, const acc *a, int store)
{
    if (!v->report)
        return;
    if (v->info) {
        v->info[i].access = (uint8_t)a->cls;
        v->info[i].region_hint = a->hint;
    }
    if (v->st) {
        if (store) {
            if (a->cls == FC_ACC_PROVEN) v->st->stores_proven++;
            else v->st->stores_checked++;
        } else {
            if (a->cls == FC_ACC_PROVEN) v->st->loads_proven++;
            else v->st->loads_checked++;
        }
        if (base->kind == FC_AV_STACK && a->xl > -FC_AV_INF) {
            int64_t depth = a->xl < -FRAME ? FRAME : -a->xl;
            if (depth > 0 && (uint64_t)depth > v->st->stack_bytes)
                v->st->stack_bytes = (uint32_t)depth;
        }
    }
}

/* registers an instruction reads (bit r) */
static uint32_t uses(const vfy *v, uint32_t i)
{
    const fc_insn *x = &v->in[i];
    unsigned d = 1u << fc_dst(*x), s = 1u << fc_src(*x), op = FC_OPCODE_OP(x->op);
    switch (fmt_of(v, i)) {
    case FC_FMT_ALU_K: return op == FC_ALU_MOV ? 0 : d;
    case FC_FMT_ALU_X: return op == FC_ALU_MOV ? s : d | s;
    case FC_FMT_NEG:
    case FC_FMT_END: return d;
    case FC_FMT_LDX: return s;
    case FC_FMT_ST: return d;
    case FC_FMT_STX: return d | s;
    case FC_FMT_ATOMIC: return d | s | (x->imm == FC_ATOMIC_CMPXCHG ? 1u : 0u);
    case FC_FMT_JCC_K: return d;
    case FC_FMT_JCC_X: return d | s;
    case FC_FMT_CALLX: return d;
    case FC_FMT_EXIT: return 1u;
    }
    return 0;
}

/* ---- linear relations ---------------------------------------------------------
 * The interval domain alone loses the link between a pointer and the counter
 * that drives it (p += 4; i += 1; if i < n goto loop): p's range only grows
 * until widening. A relation val(p) - k * val(i) in [clo, chi] keeps it: it
 * is inferred where the loop's entry and back edge meet (both values exact
 * on both edges: k from the two points), shifted by constant additions,
 * created by copies (k = 1), and used to tighten either side whenever the
 * other is refined (a branch). Every value involved stays far from 2^63
 * (RQ_MAX, RC_MAX), so the relation holds in integers: no wrap-around. */
#define RK_MAX (1 << 16)
#define RC_MAX ((int64_t)1 << 44)
#define RQ_MAX ((int64_t)1 << 40)

static void rel_clear(vstate *s)
{
    for (unsigned r = 0; r < FC_NREGS; r++)
        s->rel[r].q = RNONE;
}

/* register d was written: its relations (either side) are gone */
static void rel_kill(vstate *s, unsigned d)
{
    s->rel[d].q = RNONE;
    for (unsigned x = 0; x < FC_NREGS; x++)
        if (s->rel[x].q == d)
            s->rel[x].q = RNONE;
}

/* val(a) as a bounded range; 0 when unbounded or too large */
static int val_range(const fc_av *a, int64_t lim, int64_t *lo, int64_t *hi)
{
    if (fc_av_is_ptr(a) && (a->smin <= -FC_AV_INF || a->smax >= FC_AV_INF))
        return 0;
    if (!fc_av_is_ptr(a) && !fc_av_is_num(a))
        return 0;
    if (a->smin < -lim || a->smax > lim)
        return 0;
    *lo = a->smin;
    *hi = a->smax;
    return 1;
}

static int rel_kinds_ok(const fc_av *r, const fc_av *q)
{
    return fc_av_is_num(q) && (fc_av_is_num(r) || fc_av_is_ptr(r));
}

/* [val(r) - k * val(q)] from the ranges alone */
static int rel_from_ranges(const fc_av *reg, unsigned r, unsigned q, int32_t k, int64_t *clo, int64_t *chi)
{
    int64_t rl, rh, ql, qh;
    if (!rel_kinds_ok(&reg[r], &reg[q]) || !val_range(&reg[r], RC_MAX, &rl, &rh) ||
        !val_range(&reg[q], RQ_MAX, &ql, &qh))
        return 0;
    *clo = k > 0 ? rl - k * qh : rl - k * ql;
    *chi = k > 0 ? rh - k * ql : rh - k * qh;
    return *clo >= -RC_MAX && *chi <= RC_MAX;
}

static int64_t div_floor(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t div_ceil(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}

/* Tighten every related pair with each other. 0: the state is impossible. */
static int rel_tighten(vstate *s)
{
    for (unsigned r = 0; r < FC_NREGS; r++) {
        vrel *l = &s->rel[r];
        if (l->q == RNONE)
            continue;
        fc_av *a = &s->r[r], *b = &s->r[l->q];
        int64_t ql, qh, rl, rh;
        if (!rel_kinds_ok(a, b)) {
            l->q = RNONE;
            continue;
        }
        if (val_range(b, RQ_MAX, &ql, &qh)) {
            int64_t lo = l->k > 0 ? l->k * ql + l->clo : l->k * qh + l->clo;
            int64_t hi = l->k > 0 ? l->k * qh + l->chi : l->k * ql + l->chi;
            if (!fc_av_meet_srange(a, lo, hi))
                return 0;
        }
        if (val_range(a, RC_MAX, &rl, &rh)) {
            int64_t lo = l->k > 0 ? div_ceil(rl - l->chi, l->k) : div_ceil(rh - l->clo, l->k);
            int64_t hi = l->k > 0 ? div_floor(rh - l->clo, l->k) : div_floor(rl - l->chi, l->k);
            if (!fc_av_meet_srange(b, lo, hi))
                return 0;
        }
    }
    return 1;
}

/* exact val() of a value, if it has one */
static int val_exact(const fc_av *a, int64_t *x)
{
    if (fc_av_is_ptr(a) && a->smin == a->smax && a->smin > -FC_AV_INF && a->smax < FC_AV_INF) {
        *x = a->smin;
        return 1;
    }
    if (fc_av_is_num(a) && a->umin == a->umax) {
        *x = (int64_t)a->umin;
        return 1;
    }
    return 0;
}

/* The relation of register r in the join of old (its registers and
 * relations: a stored state's) and nw (before the registers themselves are
 * joined). */
static vrel rel_join(const fc_av *oreg, const vrel *orel, const vstate *nw, unsigned r, int widen)
{
    vrel a = orel[r], b = nw->rel[r], out = {RNONE, 0, 0, 0};
    const fc_av *ro = &oreg[r], *rn = &nw->r[r];
    /* the value must keep its meaning: numbers, or pointers of one kind */
    if (!((fc_av_is_num(ro) && fc_av_is_num(rn)) || (fc_av_is_ptr(ro) && ro->kind == rn->kind)))
        return out;
    int64_t lo2, hi2;
    if (a.q != RNONE && b.q == a.q && b.k == a.k) {
        lo2 = b.clo;
        hi2 = b.chi;
    } else if (a.q != RNONE) {
        if (!rel_from_ranges(nw->r, r, a.q, a.k, &lo2, &hi2))
            return out;
    } else if (b.q != RNONE) {
        if (widen || !rel_from_ranges(oreg, r, b.q, b.k, &a.clo, &a.chi))
            return out;
        a.q = b.q;
        a.k = b.k;
        lo2 = b.clo;
        hi2 = b.chi;
    } else {
        /* two exact points: k from their differences */
        int64_t r1, r2, q1, q2;
        if (widen || !val_exact(ro, &r1) || !val_exact(rn, &r2) || r1 < -RC_MAX || r1 > RC_MAX ||
            r2 < -RC_MAX || r2 > RC_MAX)
            return out;
        for (unsigned q = 0; q < FC_NREGS; q++) {
            if (q == r || !fc_av_is_num(&oreg[q]) || !fc_av_is_num(&nw->r[q]) ||
                !val_exact(&oreg[q], &q1) || !val_exact(&nw->r[q], &q2) || q1 == q2 ||
                q1 < -RQ_MAX || q1 > RQ_MAX || q2 < -RQ_MAX || q2 > RQ_MAX)
                continue;
            int64_t dr = r2 - r1, dq = q2 - q1;
            if (dr % dq != 0 || dr / dq == 0 || dr / dq > RK_MAX || dr / dq < -RK_MAX)
                continue;
            int64_t c = r1 - (dr / dq) * q1;
            if (c < -RC_MAX || c > RC_MAX)
                continue;
            out.q = (uint8_t)q;
            out.k = (int32_t)(dr / dq);
            out.clo = out.chi = c;
            return out;
        }
        return out;
    }
    if (!fc_av_is_num(&oreg[a.q]) || !fc_av_is_num(&nw->r[a.q]))
        return out;
    out = a;
    out.clo = lo2 < a.clo ? lo2 : a.clo;
    out.chi = hi2 > a.chi ? hi2 : a.chi;
    if (widen && (out.clo != a.clo || out.chi != a.chi))
        out.q = RNONE; /* still moving after widening: give it up */
    if (out.clo < -RC_MAX || out.chi > RC_MAX)
        out.q = RNONE;
    return out;
}

static int rel_eq(const vrel *a, const vrel *b)
{
    if (a->q == RNONE || b->q == RNONE)
        return a->q == b->q;
    return a->q == b->q && a->k == b->k && a->clo == b->clo && a->chi == b->chi;
}

/* shift: register d changed by exactly +delta */
static void rel_shift(vstate *s, unsigned d, int64_t delta)
{
    if (delta < -RC_MAX || delta > RC_MAX) {
        rel_kill(s, d);
        return;
    }
    vrel *l = &s->rel[d];
    if (l->q != RNONE) {
        l->clo += delta;
        l->chi += delta;
        if (l->clo < -RC_MAX || l->chi > RC_MAX)
            l->q = RNONE;
    }
    for (unsigned x = 0; x < FC_NREGS; x++) {
        vrel *m = &s->rel[x];
        if (m->q != d)
            continue;
        int64_t t = (int64_t)m->k * delta; /* |k| <= 2^16, |delta| <= 2^44 */
        m->clo -= t;
        m->chi -= t;
        if (m->clo < -RC_MAX || m->chi > RC_MAX)
            m->q = RNONE;
    }
}

/* The relations after an ALU instruction; old: dst and src before it. */
static void rel_alu(vstate *s, const fc_insn *x, const fc_av *old_d, const fc_av *old_s)
{
    unsigned d = fc_dst(*x), sr = fc_src(*x), op = FC_OPCODE_OP(x->op);
    int is64 = FC_CLASS(x->op) == FC_CLS_ALU64, xs = (x->op & FC_SRC_X) != 0;
    const fc_av *nd = &s->r[d];

    if (op == FC_ALU_MOV && xs && x->off == 0 && sr != d &&
        (is64 || (fc_av_is_num(old_s) && old_s->smin >= 0 && old_s->umax <= 0xffffffffu))) {
        vrel copy = s->rel[sr];
        rel_kill(s, d);
        if (copy.q != RNONE && copy.q != d)
            s->rel[d] = copy;
        else if (fc_av_is_num(old_s) && sr != FC_REG_FP)
            s->rel[d] = (vrel){(uint8_t)sr, 1, 0, 0};
        return;
    }
    if ((op == FC_ALU_ADD || op == FC_ALU_SUB) && (xs ? sr != d : 1)) {
        int64_t delta;
        if (!xs)
            delta = is64 ? (int64_t)x->imm : (int64_t)(int32_t)x->imm;
        else if (fc_av_is_num(old_s) && old_s->umin == old_s->umax)
            delta = is64 ? (int64_t)old_s->umin : (int64_t)(int32_t)(uint32_t)old_s->umin;
        else
            goto kill;
        if (op == FC_ALU_SUB) {
            if (delta == INT64_MIN)
                goto kill;
            delta = -delta;
        }
        int ok;
        if (fc_av_is_ptr(old_d))
            ok = is64 && fc_av_is_ptr(nd) && nd->kind == old_d->kind && nd->smin > -FC_AV_INF &&
                 nd->smax < FC_AV_INF && old_d->smin > -FC_AV_INF && old_d->smax < FC_AV_INF;
        else if (!fc_av_is_num(old_d))
            ok = 0;
        else if (is64) {
            int64_t t;
            ok = !__builtin_add_overflow(old_d->smin, delta, &t) &&
                 !__builtin_add_overflow(old_d->smax, delta, &t);
        } else {
            ok = old_d->smin >= 0 && old_d->umax <= 0xffffffffu && old_d->smin + delta >= 0 &&
                 (int64_t)old_d->umax + delta <= (int64_t)0xffffffff;
        }
        if (ok) {
            rel_shift(s, d, delta);
            return;
        }
    }
kill:
    rel_kill(s, d);
}

/* Join `s` into the entry state of the block at insn t. */
static void flow(vfy *v, uint32_t t, const vstate *s)
{
    if (v->report)
        return;
    uint32_t lb = v->bid[t] - v->f[v->cur_f].b0;
    vblock *b = &v->b[v->bid[t]];
    cstate *dst = cs_at(v, lb);
    int changed = 0, ok = 1;
    if (!b->has) {
        ok = cs_put(v, dst, s);
        b->has = 1;
        changed = 1;
    } else {
        int widen = b->visits >= v->widen_after || v->steps > v->budget;
        vrel nr[FC_NREGS];
        for (unsigned r = 0; r < FC_NREGS; r++)
            nr[r] = rel_join(dst->r, dst->rel, s, r, widen);
        for (unsigned r = 0; r < FC_NREGS; r++) {
            if (!rel_eq(&nr[r], &dst->rel[r]))
                changed = 1;
            dst->rel[r] = nr[r];
        }
        for (uint32_t k = 0; k < FC_NREGS + NSLOTS; k++) {
            fc_av o = k < FC_NREGS ? dst->r[k] : cs_slot(v, dst, k - FC_NREGS);
            const fc_av *nw = k < FC_NREGS ? &s->r[k] : &s->slot[k - FC_NREGS];
            if (fc_av_eq(&o, nw))
                continue;
            fc_av j = widen ? fc_av_widen(&o, nw) : fc_av_join(&o, nw);
            if (fc_av_eq(&o, &j))
                continue;
            if (k < FC_NREGS)
                dst->r[k] = j;
            else
                ok &= cs_set_slot(v, dst, k - FC_NREGS, &j);
            changed = 1;
        }
        if (changed)
            b->visits++;
    }
    if (!ok)
        ERR(v, t, "internal error: a stack slot outside the stored ones holds a value");
    if (changed) {
        v->pend[lb / 64] |= 1ull << (lb % 64);
        if (lb / 64 < v->pend_lo)
            v->pend_lo = lb / 64;
    }
}

static void do_helper(vfy *v, vstate *s, uint32_t i, uint32_t id)
{
    const fc_vfy_helper *h = allowed(v, id);
    char nb[48];
    if (!h)
        h = &unknown_sig;
    for (unsigned k = 0; k < 5; k++) {
        unsigned reg = k + 1;
        unsigned kind = h->nargs == FC_HSIG_UNKNOWN ? FC_HARG_OPT : k < h->nargs ? h->arg[k] : FC_HARG_NONE;
        const fc_av *a = &s->r[reg];
        if (kind == FC_HARG_NONE)
            continue;
        if (a->kind == FC_AV_UNINIT) {
            if (kind != FC_HARG_OPT && v->report)
                ERR(v, i, "r%u read before it is written (argument %u of helper %s)", reg, k + 1,
                    hname(h, id, nb, sizeof nb));
            /* unwritten for the program, but it holds something (a callee's
             * leftover pointer, say): a helper that may write through it may
             * write anywhere in the frame */
            if (arg_written(h, k))
                clobber_all(s);
            continue;
        }
        int wr = kind == FC_HARG_PTR_W || kind == FC_HARG_PTR_W0;
        int clob = arg_written(h, k);
        if (v->report && (kind == FC_HARG_PTR || wr) && a->kind == FC_AV_SCALAR &&
            !(kind == FC_HARG_PTR_W0 && fc_av_is_const(a) && a->umin == 0))
            ERR(v, i, "argument %u of helper %s must be a pointer, but r%u is a number", k + 1,
                hname(h, id, nb, sizeof nb), reg);
        if (v->report && wr && a->kind == FC_AV_RODATA)
            ERR(v, i, "helper %s writes through argument %u, but r%u points to read-only data",
                hname(h, id, nb, sizeof nb), k + 1, reg);
        if (v->report && kind == FC_HARG_SCALAR && fc_av_is_ptr(a))
            ERR(v, i, "argument %u of helper %s must be a number, but r%u is %s", k + 1,
                hname(h, id, nb, sizeof nb), reg, kind_str(a->kind));
        if (v->report && v->st && a->kind == FC_AV_STACK && a->smin > -FRAME - 1 && a->smin < 0 &&
            (uint64_t)-a->smin > v->st->stack_bytes && (kind == FC_HARG_PTR || wr))
            v->st->stack_bytes = (uint32_t)-a->smin;
        if (clob && !(kind == FC_HARG_PTR_W0 && fc_av_is_const(a) && a->umin == 0)) {
            /* whatever the value's kind: a number may equal an address */
            if (a->kind == FC_AV_STACK)
                clobber_range(s, a->smin <= -FC_AV_INF ? -FRAME : a->smin, 0);
            else if (!start_in_other_region(v, a))
                clobber_all(s);
        }
    }
    s->r[0] = fc_av_top(FC_AV_UNKNOWN);
    rel_kill(s, 0);
}

static void do_local_call(vfy *v, vstate *s, uint32_t i)
{
    uint32_t t = (uint32_t)((int64_t)i + 1 + v->in[i].imm);
    vfunc *g = &v->f[v->fn[t]];
    if (v->report) {
        for (unsigned k = 0; k < 5; k++) {
            fc_av a = s->r[k + 1];
            if (a.kind == FC_AV_STACK)
                a.kind = FC_AV_STACK_UP; /* the caller's frame, seen from the callee */
            g->arg[k] = g->has_entry ? fc_av_join(&g->arg[k], &a) : a;
        }
        g->has_entry = 1;
    }
    s->r[0] = fc_av_top(FC_AV_UNKNOWN);
    for (unsigned r = 0; r <= 5; r++)
        rel_kill(s, r);
    for (unsigned r = 1; r <= 5; r++)
        s->r[r] = fc_av_uninit();
    if (g->writes)
        clobber_all(s); /* the callee may write the caller's frame */
}

static void mem_insn(vfy *v, vstate *s, uint32_t i)
{
    const fc_insn *x = &v->in[i];
    unsigned cls = FC_CLASS(x->op), size = fc_size_bytes(x->op);
    unsigned dst = fc_dst(*x), src = fc_src(*x);

    if (cls == FC_CLS_LDX) {
        fc_av base = s->r[src];
        acc a = classify(v, i, &base, x->off, size, 0);
        count_access(v, i, &base, &a, 0);
        s->r[dst] = load_value(v, s, &base, &a, size, FC_MODE(x->op) == FC_MODE_MEMSX);
        rel_kill(s, dst);
        return;
    }
    fc_av base = s->r[dst];
    acc a = classify(v, i, &base, x->off, size, 1);
    count_access(v, i, &base, &a, 1);
    if (cls == FC_CLS_ST) {
        fc_av val = fc_av_const(FC_AV_SCALAR, (uint64_t)(int64_t)x->imm);
        store_effect(s, &base, &a, size, &val);
    } else if (FC_MODE(x->op) == FC_MODE_MEM) {
        store_effect(s, &base, &a, size, &s->r[src]);
    } else { /* atomic */
        store_effect(s, &base, &a, size, 0);
        fc_av old = size == 8 ? fc_av_top(FC_AV_UNKNOWN) : fc_av_range(FC_AV_UNKNOWN, 0, 0xffffffffu);
        if (x->imm == FC_ATOMIC_CMPXCHG) {
            s->r[0] = old;
            rel_kill(s, 0);
        } else if (x->imm & FC_ATOMIC_FETCH) {
            s->r[src] = old;
            rel_kill(s, src);
        }
    }
}

static void record_hi_zero(vfy *v, uint32_t i, const vstate *s)
{
    if (!v->report || !v->info)
        return;
    uint16_t m = 0;
    for (unsigned r = 0; r < FC_NREGS; r++)
        if (fc_av_is_num(&s->r[r]) && s->r[r].umax <= 0xffffffffu)
            m |= (uint16_t)(1u << r);
    v->info[i].hi_zero = (uint8_t)m;
    v->info[i].hi_zero2 = (uint8_t)(m >> 8);
}

/* the testing hook fc_vfy_opts.observe_state: the state before insn i */
typedef char fc_vfy_nslots_match[NSLOTS == FC_VFY_NSLOTS ? 1 : -1];
static void observe_state(const vfy *v, uint32_t i, const vstate *s)
{
    fc_vfy_rel rel[FC_NREGS];
    for (unsigned r = 0; r < FC_NREGS; r++) {
        rel[r].q = s->rel[r].q == RNONE ? FC_VFY_REL_NONE : s->rel[r].q;
        rel[r].k = s->rel[r].k;
        rel[r].clo = s->rel[r].clo;
        rel[r].chi = s->rel[r].chi;
    }
    v->o->observe_state(v->o->observe_ctx, i, s->r, s->slot, rel);
}

/* Run one block from its entry state; propagate to successors. */
static void run_block(vfy *v, uint32_t bi)
{
    vblock *b = &v->b[bi];
    vstate *s = &v->tmp[0];

    cs_get(v, cs_at(v, bi - v->f[v->cur_f].b0), s);
    if (!rel_tighten(s))
        return; /* cannot happen: stored states are tightened on the way in */
    for (uint32_t i = b->start; i < b->end; i = next_of(v, i)) {
        const fc_insn *x = &v->in[i];
        unsigned cls = FC_CLASS(x->op);
        v->steps++;
        if (v->report) {
            v->fl[i] |= I_SEEN;
            if (v->o->observe)
                v->o->observe(v->o->observe_ctx, i, s->r);
            if (v->o->observe_state)
                observe_state(v, i, s);
            uint32_t u = uses(v, i);
            for (unsigned r = 0; r < FC_NREGS; r++) {
                if (!(u & (1u << r)) || s->r[r].kind != FC_AV_UNINIT)
                    continue;
                if (is_exit(x))
                    ERR(v, i, "r0 read before it is written (exit returns r0)");
                else
                    ERR(v, i, "r%u read before it is written", r);
            }
        }
        switch (cls) {
        case FC_CLS_ALU:
        case FC_CLS_ALU64: {
            fc_av od = s->r[fc_dst(*x)], os = s->r[fc_src(*x)];
            s->r[fc_dst(*x)] = fc_av_alu(x, &od, &os);
            rel_alu(s, x, &od, &os);
            break;
        }
        case FC_CLS_LD: /* lddw */
            if (fc_src(*x) == FC_LDDW_SECTION) {
                unsigned k = x->imm == FC_SECT_RODATA ? FC_AV_RODATA :
                             x->imm == FC_SECT_DATA ? FC_AV_DATA : FC_AV_BSS;
                s->r[fc_dst(*x)] = fc_av_ptr(k, (int64_t)(uint32_t)v->in[i + 1].imm);
            } else {
                s->r[fc_dst(*x)] = fc_av_const(FC_AV_SCALAR, (uint64_t)(uint32_t)x->imm |
                                               ((uint64_t)(uint32_t)v->in[i + 1].imm << 32));
            }
            rel_kill(s, fc_dst(*x));
            break;
        case FC_CLS_LDX:
        case FC_CLS_ST:
        case FC_CLS_STX:
            mem_insn(v, s, i);
            break;
        case FC_CLS_JMP:
        case FC_CLS_JMP32: {
            unsigned op = FC_OPCODE_OP(x->op);
            if (is_exit(x)) {
                record_hi_zero(v, i, s);
                return;
            }
            if (op == FC_JMP_CALL) {
                if (fc_src(*x) == FC_CALL_LOCAL && !(x->op & FC_SRC_X)) {
                    do_local_call(v, s, i);
                } else if (x->op & FC_SRC_X) { /* callx: helper number in dst */
                    const fc_av *r = &s->r[fc_dst(*x)];
                    if (fc_av_is_const(r) && r->umin <= 0xffffffffu) {
                        if (v->report)
                            check_helper_allowed(v, i, (uint32_t)r->umin);
                        do_helper(v, s, i, (uint32_t)r->umin);
                    } else {
                        if (v->report && r->kind != FC_AV_UNINIT)
                            ERR(v, i, "call through r%u needs a known helper number (r%u is %s)",
                                fc_dst(*x), fc_dst(*x), kind_str(r->kind));
                        do_helper(v, s, i, 0xffffffffu);
                    }
                } else {
                    do_helper(v, s, i, (uint32_t)x->imm);
                }
                break;
            }
            uint32_t t = (uint32_t)jump_target(x, i);
            record_hi_zero(v, i, s);
            if (op == FC_JMP_JA) {
                flow(v, t, s);
                return;
            }
            /* the taken edge in a copy, then the other one in s (flow
             * leaves its state alone) */
            vstate *tk = &v->tmp[1];
            *tk = *s;
            int xs = (x->op & FC_SRC_X) != 0;
            unsigned d = fc_dst(*x), sr = fc_src(*x);
            int ok_t, ok_n;
            fc_av c1 = tk->r[sr], c2 = s->r[sr]; /* both operands one register: refine a copy */
            int same = xs && d == sr;
            ok_t = fc_av_branch_win(x, &tk->r[d], same ? &c1 : xs ? &tk->r[sr] : 0, 1, &v->win);
            if (ok_t && rel_tighten(tk))
                flow(v, t, tk);
            ok_n = fc_av_branch_win(x, &s->r[d], same ? &c2 : xs ? &s->r[sr] : 0, 0, &v->win);
            if (ok_n && rel_tighten(s))
                flow(v, next_of(v, i), s);
            return;
        }
        }
        record_hi_zero(v, i, s);
    }
    flow(v, b->end, s);
}

static int pick_pending(vfy *v, uint32_t nb, uint32_t *out)
{
    uint32_t words = nb / 64 + 1;
    for (uint32_t w = v->pend_lo; w < words; w++) {
        if (!v->pend[w])
            continue;
        unsigned bit = (unsigned)__builtin_ctzll(v->pend[w]);
        v->pend[w] &= v->pend[w] - 1;
        v->pend_lo = w;
        *out = w * 64 + bit;
        return 1;
    }
    v->pend_lo = words;
    return 0;
}

static void analyse_func(vfy *v, uint32_t fi)
{
    vfunc *f = &v->f[fi];
    vstate *s = &v->tmp[0];

    v->cur_f = fi;
    if (!f->is_entry && !f->has_entry)
        return; /* every call site is on an impossible path */
    for (uint32_t k = 0; k < f->nb; k++) {
        v->b[f->b0 + k].has = 0;
        v->b[f->b0 + k].visits = 0;
    }
    for (uint32_t w = 0; w < f->nb / 64 + 1; w++)
        v->pend[w] = 0;
    v->pend_lo = 0;

    for (unsigned r = 0; r < FC_NREGS; r++)
        s->r[r] = fc_av_uninit();
    for (unsigned k = 0; k < NSLOTS; k++)
        s->slot[k] = fc_av_uninit();
    rel_clear(s);
    s->r[FC_REG_FP] = fc_av_ptr(FC_AV_STACK, 0);
    if (f->is_entry) {
        /* r0 is 0 at entry in every engine (docs/sandbox.md section 4; an
         * entry is never a call target: phase_funcs refuses it), so a void
         * entry function, whose exit returns r0 unwritten, returns 0.
         * Every entry starts so, each its own function; code shared by
         * entries is a callee, analysed with its call sites joined. */
        s->r[0] = fc_av_const(FC_AV_SCALAR, 0);
        s->r[1] = fc_av_ptr(FC_AV_CTX, 0);
        s->r[2] = fc_av_top(FC_AV_SCALAR);
    } else {
        for (unsigned k = 0; k < 5; k++)
            s->r[k + 1] = f->arg[k];
    }
    v->report = 0;
    flow(v, f->start, s);

    uint32_t lb;
    while (pick_pending(v, f->nb, &lb))
        run_block(v, f->b0 + lb);

    v->report = 1;
    for (uint32_t k = 0; k < f->nb; k++)
        if (v->b[f->b0 + k].has)
            run_block(v, f->b0 + k);
    v->report = 0;
}

/* ---- phase 7: upper-half liveness ------------------------------------------
 * hi_use: registers whose upper 32 bits an instruction reads; hi_def: the
 * registers it overwrites entirely. */
static void hi_use_def(const vfy *v, uint32_t i, uint16_t *use, uint16_t *def)
{
    const fc_insn *x = &v->in[i];
    unsigned cls = FC_CLASS(x->op), op = FC_OPCODE_OP(x->op);
    uint16_t d = (uint16_t)(1u << fc_dst(*x)), s = (uint16_t)(1u << fc_src(*x));
    *use = 0;
    *def = 0;
    switch (fmt_of(v, i)) {
    case FC_FMT_ALU_K:
    case FC_FMT_ALU_X:
    case FC_FMT_NEG:
    case FC_FMT_END:
        *def = d;
        if (cls == FC_CLS_ALU) { /* 32-bit: only low halves, except le64/be64 */
            if (op == FC_ALU_END && x->imm == 64)
                *use = d;
            break;
        }
        if (op == FC_ALU_END) {
            *use = x->imm == 64 ? d : 0;
        } else if (op == FC_ALU_MOV) {
            *use = (x->op & FC_SRC_X) && x->off == 0 ? s : 0;
        } else if (op == FC_ALU_LSH || op == FC_ALU_RSH || op == FC_ALU_ARSH || op == FC_ALU_NEG ||
                   !(x->op & FC_SRC_X)) {
            *use = d;  /* a shift amount only uses its low 6 bits */
        } else {
            *use = d | s;
        }
        break;
    case FC_FMT_LDDW: *def = d; break;
    case FC_FMT_LDX: *use = s; *def = d; break;
    case FC_FMT_ST: *use = d; break;
    case FC_FMT_STX: *use = (uint16_t)(d | (FC_SIZE(x->op) == FC_SZ_DW ? s : 0)); break;
    case FC_FMT_ATOMIC:
        *use = (uint16_t)(d | (FC_SIZE(x->op) == FC_SZ_DW ? s : 0));
        if (x->imm == FC_ATOMIC_CMPXCHG) {
            if (FC_SIZE(x->op) == FC_SZ_DW) *use |= 1u;
            *def = 1u;
        } else if (x->imm & FC_ATOMIC_FETCH) {
            *def = s;
        }
        break;
    case FC_FMT_JCC_K: if (cls == FC_CLS_JMP) *use = d; break;
    case FC_FMT_JCC_X: if (cls == FC_CLS_JMP) *use = d | s; break;
    case FC_FMT_CALL:
        *use = 0x3e; /* r1..r5 */
        *def = fc_src(*x) == FC_CALL_LOCAL ? 0x3f : 0x01;
        break;
    case FC_FMT_CALLX: *use = (uint16_t)(d | 0x3e); *def = 0x01; break;
    case FC_FMT_EXIT: *use = 1u; break;
    }
}

/* Hi halves live after an exit: r0 is the result. A subprogram's r1..r5
 * also reach its caller: a helper of unknown signature (or printf's variadic
 * tail) may read them after the call without the verifier objecting
 * (diff-random's program 7564 showed it). */
static uint16_t exit_live(const vfy *v, uint32_t i)
{
    return v->f[v->fn[i]].is_entry ? 1u : 0x3fu;
}

/* The use/def sets for the shared solver (fc_hh_live): an exit has no
 * successor there, so what is live after it counts as read by it. */
static void hh_use_def(const void *ctx, uint32_t i, uint16_t *use, uint16_t *def)
{
    const vfy *v = ctx;
    hi_use_def(v, i, use, def);
    if (is_exit(&v->in[i]))
        *use = (uint16_t)(*use | exit_live(v, i));
}

/* The liveness is the one of middle/fc_hihalf.h that the lowering runs too,
 * over this file's use/def sets; v->live holds the hi halves live after
 * each slot. Unreachable slots are no part of it (op 0: no successors). */
static void phase_liveness(vfy *v)
{
    /* the worklist (4 bytes a slot) is free after the analysis: it holds
     * the one-byte op ids the solver reads */
    uint8_t *op = (uint8_t *)v->wl;
    for (uint32_t i = 0; i < v->n; i++)
        op[i] = (uint8_t)((v->fl[i] & I_SLOT2) ? FC_HH_SECOND : (v->fl[i] & I_REACH) ? v->opid[i] : 0);
    fc_hh h = {v->in, op, v->n, NULL, 1, NULL};
    fc_hh_live(&h, hh_use_def, v, v->live);
    if (!v->info)
        return;
    for (uint32_t i = 0; i < v->n; i++) {
        if (!(v->fl[i] & I_REACH) || (v->fl[i] & I_SLOT2))
            continue;
        uint16_t dead = (uint16_t)~(is_exit(&v->in[i]) ? exit_live(v, i) : v->live[i]);
        v->info[i].hi_dead = (uint8_t)dead;
        v->info[i].hi_dead2 = (uint8_t)((dead >> 8) & 3u);
    }
}

/* ---- top level ------------------------------------------------------------ */
int fc_vfy_run(const fc_prog *p, const fc_vfy_opts *o, void *ws, size_t ws_len,
               fc_insn_info *info, fc_vfy_stats *st, fc_diags *d)
{
    static const fc_vfy_opts dflt;
    vfy v0 = {0}, *v = &v0;
    size_t off[12];

    v->p = p;
    v->o = o ? o : &dflt;
    v->d = d;
    v->info = info;
    v->st = st;
    v->in = p->insns;
    v->n = p->ninsns;
    if (st) {
        fc_vfy_stats z = {0};
        *st = z;
    }
    if (info)
        for (uint32_t i = 0; i < v->n; i++) {
            fc_insn_info z = {0};
            info[i] = z;
            info[i].region_hint = 0xff;
        }
    if (v->n == 0 || !p->insns) {
        ERR(v, -1, "empty program (no instructions)");
        return -1;
    }
    /* proofs of context accesses must not rely on 32-bit address wrap-around
     * (docs/sandbox.md section 11) */
    if (v->o->ctx_size > FC_FCX_MAX_CTX) {
        ERR(v, -1, "context size %u above the limit of %u bytes", (unsigned)v->o->ctx_size,
            (unsigned)FC_FCX_MAX_CTX);
        return -1;
    }
    bounds bd = count(p);
    size_t need = layout(bd, off);
    if (!ws || ws_len < need) {
        ERR(v, -1, "verifier workspace too small (%lu bytes given, %lu needed)",
            (unsigned long)ws_len, (unsigned long)need);
        return -1;
    }
    uint8_t *base = (uint8_t *)ws;
    base += (8u - ((uintptr_t)base & 7u)) & 7u;
    v->fl = base + off[0];
    v->opid = (uint16_t *)(base + off[1]);
    v->fn = (uint32_t *)(base + off[2]);
    v->bid = (uint32_t *)(base + off[3]);
    v->wl = (uint32_t *)(base + off[4]);
    v->live = (uint16_t *)(base + off[5]);
    v->f = (vfunc *)(base + off[6]);
    v->order = (uint32_t *)(base + off[7]);
    v->b = (vblock *)(base + off[8]);
    v->pend = (uint64_t *)(base + off[9]);
    v->bs = base + off[10];
    v->cs_size = cstate_size((uint64_t)__builtin_popcountll(bd.vslots));
    for (unsigned k = 0, r = 0; k < NSLOTS; k++)
        v->vrank[k] = (bd.vslots >> k) & 1u ? (uint8_t)r++ : (uint8_t)VNONE;
    v->tmp = (vstate *)(base + off[11]);
    v->nb_cap = (uint32_t)bd.nb;
    v->nbs_cap = (uint32_t)bd.nbs;
    for (uint32_t i = 0; i < v->n; i++)
        v->fl[i] = 0;
    for (uint64_t k = 0; k < bd.nf; k++) {
        vfunc z = {0};
        v->f[k] = z;
    }
    v->widen_after = v->o->widen_after ? v->o->widen_after : FC_VFY_DEFAULT_WIDEN;
    set_windows(v);
    v->budget = v->o->step_budget ? v->o->step_budget : FC_VFY_DEFAULT_BUDGET;

    phase_decode(v);
    if (v->errs)
        return -1;
    phase_funcs(v);
    if (v->errs)
        return -1;
    phase_jumps(v);
    if (v->errs)
        return -1;
    phase_reach(v);
    if (v->errs)
        return -1;
    phase_calls(v);
    if (v->errs)
        return -1;
    phase_blocks(v);
    if (v->errs)
        return -1;
    for (uint32_t k = 0; k < v->norder; k++)
        analyse_func(v, v->order[k]);
    phase_liveness(v);

    if (info || st) {
        for (uint32_t i = 0; i < v->n; i++) {
            if (v->fl[i] & I_SLOT2)
                continue;
            unsigned cls = FC_CLASS(v->in[i].op);
            int mem = cls == FC_CLS_LDX || cls == FC_CLS_ST || cls == FC_CLS_STX;
            if (info)
                info[i].reachable = (v->fl[i] & I_REACH) ? 1 : 0;
            if (mem && !(v->fl[i] & I_SEEN)) {
                /* never reached by the analysis: keep the run-time check */
                if (info) {
                    info[i].access = FC_ACC_CHECK;
                    info[i].region_hint = 0xff;
                }
                if (st && (v->fl[i] & I_REACH)) {
                    if (cls == FC_CLS_LDX) st->loads_checked++;
                    else st->stores_checked++;
                }
            }
        }
    }
    return v->errs ? -1 : 0;
}
