/*
 * fc_jit.c - the device's compile path (fc_jit.h): verify with a caller
 * workspace, compile with the core's backend, hand code, native entries,
 * relocations and pc map to the loader in the container's record layouts.
 * Freestanding C99, no allocation.
 *
 * The stages and options are femtoc's (compiler/fc_compile.c): the verifier
 * with ctx_size = the container's ctx_min and (fc_jit_opts zero) no flags
 * and every known helper;
 * then b->compile with FC_JIT_BK_FLAGS and the container's entries (none
 * given for a lone entry at instruction 0, as femtoc without --entry). The
 * backend runs once, into buffers sized by the per-instruction bounds.
 *
 * Build options: FC_JIT_NO_THUMB2, FC_JIT_NO_RV32 leave a backend out (a
 * device links only its own core's; runtime/jit.mk).
 */
#include "fc_jit.h"
#include "fc_verify.h"
#include "fc_libc.h"

#if defined(FC_JIT_NO_THUMB2) && defined(FC_JIT_NO_RV32)
#error "fc_jit: no backend left"
#endif

/* the records are written in place over the backend's structs */
typedef char reloc_size_ok[sizeof(fc_bk_reloc) == FC_FCX_RELOC_SIZE ? 1 : -1];
typedef char pcmap_size_ok[sizeof(fc_bk_pcmap) == FC_FCX_PCMAP_SIZE ? 1 : -1];

static size_t al8(size_t x) { return (x + 7u) & ~(size_t)7u; }

const fc_backend *fc_jit_backend(unsigned target, uint32_t isa)
{
    switch (target) {
#ifndef FC_JIT_NO_THUMB2
    case FC_TARGET_THUMBV7M:
        return (isa & FC_ISA_T2_HWDIV) ? &fc_backend_thumbv7m : 0;
#endif
#ifndef FC_JIT_NO_RV32
    case FC_TARGET_RV32IMAC:
        if (!(isa & FC_ISA_RV_M))
            return 0;
        if ((isa & FC_ISA_RV_A) && (isa & FC_ISA_RV_C))
            return &fc_backend_rv32imac;
        if (isa & FC_ISA_RV_A)
            return &fc_backend_rv32ima;
        if (isa & FC_ISA_RV_C)
            return &fc_backend_rv32imc;
        return 0;
#endif
    default:
        return 0;
    }
}

uint32_t fc_jit_isa(const fc_backend *b)
{
#ifndef FC_JIT_NO_THUMB2
    if (b == &fc_backend_thumbv7m)
        return FC_ISA_T2_HWDIV;
#endif
#ifndef FC_JIT_NO_RV32
    if (b == &fc_backend_rv32imac)
        return FC_ISA_RV_M | FC_ISA_RV_A | FC_ISA_RV_C;
    if (b == &fc_backend_rv32ima)
        return FC_ISA_RV_M | FC_ISA_RV_A;
    if (b == &fc_backend_rv32imc)
        return FC_ISA_RV_M | FC_ISA_RV_C;
#endif
    return 0;
}

/* The program as femtoc hands it to the verifier, over the container's
 * bytes (entries filled in by the caller when it has room for them). */
static void prog_of(const fc_jit_in *in, fc_prog *p)
{
    fc_memset(p, 0, sizeof *p);
    p->insns = (fc_insn *)(uintptr_t)(const void *)in->insns;
    p->ninsns = in->ninsns;
    p->rodata = (uint8_t *)(uintptr_t)in->rodata;
    p->rodata_len = in->rodata_len;
    p->data = (uint8_t *)(uintptr_t)in->data;
    p->data_len = in->data_len;
    p->bss_len = in->bss_len;
}

static uint32_t entry_insn(const fc_jit_in *in, uint32_t k)
{
    return fc_le32(in->entries + k * FC_FCX_ENTRY_SIZE + FC_FCX_NAME_LEN);
}

/* femtoc gives the backend and the verifier no entry table for one entry
 * at instruction 0 */
static int lone_entry(const fc_jit_in *in)
{
    return in->nentries <= 1 && (in->nentries == 0 || entry_insn(in, 0) == 0);
}

/* The workspace plan; sizes in bytes, offsets from ws. */
typedef struct plan {
    size_t ents, names, info, out, code, centries, relocs, pcmap, scratch;
    size_t code_cap, relocs_cap, pcmap_cap;
    size_t diags, vfy, vfy_len, bk_len, out_len, total;
} plan;

static int make_plan(const fc_jit_in *in, const fc_backend *b, const fc_prog *p, plan *w)
{
    size_t n = in->ninsns, ne = in->nentries ? in->nentries : 1u, cur = 0;
    fc_memset(w, 0, sizeof *w);
    w->ents = cur;
    cur = al8(cur + ne * sizeof(uint32_t));
    w->names = cur;
    cur = al8(cur + ne * sizeof(char *));
    w->info = cur;
    cur = al8(cur + n * sizeof(fc_insn_info));
    w->out = cur;
    w->code_cap = n * FC_JIT_CODE_PER_INSN + FC_JIT_CODE_FIXED;
    w->relocs_cap = n * FC_JIT_RELOC_PER_INSN + FC_JIT_RELOC_FIXED;
    w->pcmap_cap = n * FC_JIT_PCMAP_PER_INSN + FC_JIT_PCMAP_FIXED;
    w->code = cur;
    cur = al8(cur + w->code_cap);
    w->centries = cur;
    cur = al8(cur + ne * 4u);
    w->relocs = cur;
    cur = al8(cur + w->relocs_cap * FC_FCX_RELOC_SIZE);
    w->pcmap = cur;
    cur = al8(cur + w->pcmap_cap * FC_FCX_PCMAP_SIZE);
    w->out_len = cur - w->out;
    w->scratch = cur;
    w->diags = cur;
    w->vfy = al8(cur + FC_JIT_NDIAG * sizeof(fc_diag));
    w->vfy_len = al8(fc_vfy_workspace_size(p));
    w->bk_len = al8(b->work_size(p));
    cur = w->vfy + w->vfy_len;
    if (w->scratch + w->bk_len > cur)
        cur = w->scratch + w->bk_len;
    w->total = cur;
    return 0;
}

size_t fc_jit_workspace_size_in(const fc_jit_in *in)
{
    const fc_backend *b = fc_jit_backend(in->target, in->isa);
    fc_prog p;
    plan w;
    if (!b || !in->insns || ((uintptr_t)in->insns & 3u))
        return 0;
    prog_of(in, &p);
    /* entries change only the function bounds the verifier reserves for */
    p.entries = 0;
    p.nentries = lone_entry(in) ? 0 : in->nentries;
    make_plan(in, b, &p, &w);
    return w.total;
}

size_t fc_jit_workspace_size(const uint8_t *fcx, uint32_t len, unsigned target, uint32_t isa)
{
    fc_fcx_header h;
    fc_jit_in in;
    uint32_t k;
    if (!fcx || !fc_fcx_read_header(fcx, len, &h))
        return 0;
    fc_memset(&in, 0, sizeof in);
    in.target = (uint8_t)target;
    in.isa = isa;
    for (k = 0; k < h.nsect; k++) {
        fc_fcx_section s;
        if (!fc_fcx_read_section(fcx, len, h.sect_off + k * FC_FCX_SECT_SIZE, &s))
            return 0;
        if (s.type == FC_FCX_SECT_BSS || !fc_in_bounds(len, s.offset, s.size))
            continue;
        if (s.type == FC_FCX_SECT_BYTECODE) {
            in.insns = fcx + s.offset;
            in.ninsns = s.size / FC_INSN_SIZE;
        } else if (s.type == FC_FCX_SECT_ENTRIES) {
            in.entries = fcx + s.offset;
            in.nentries = s.size / FC_FCX_ENTRY_SIZE;
        }
    }
    if (!in.insns || !in.ninsns)
        return 0;
    return fc_jit_workspace_size_in(&in);
}

static int jit_fail(fc_lresult *r, int code, const char *what, int32_t item, uint32_t value, int has)
{
    r->code = code;
    r->what = what;
    r->sect = -1;
    r->item = item;
    r->value = value;
    r->has_value = (uint8_t)has;
    return code;
}

int fc_jit_compile(const fc_jit_in *in, const fc_jit_opts *o, void *ws, size_t ws_len,
                   fc_jit_out *out, fc_lresult *res, fc_jit_stats *st)
{
    const fc_backend *b;
    uint8_t *base = (uint8_t *)ws;
    fc_lresult dummy;
    fc_vfy_opts vo;
    fc_bk_opts bo;
    fc_bk_out bk;
    fc_diags d;
    fc_prog p;
    plan w;
    uint32_t k, ne;
    int e;

    if (!res)
        res = &dummy;
    if (st)
        fc_memset(st, 0, sizeof *st);
    if (!in || !out || !in->insns || !in->ninsns || !in->entries)
        return jit_fail(res, FC_LERR_ARG, "jit: no program", -1, 0, 0);
    fc_memset(out, 0, sizeof *out);
    b = fc_jit_backend(in->target, in->isa);
    if (!b)
        return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: no backend for this core", -1, in->target, 1);
    if ((uintptr_t)in->insns & 3u)
        return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: bytecode not 4-byte aligned", -1, 0, 0);
    ne = in->nentries;
    prog_of(in, &p);
    p.entries = 0;
    p.nentries = lone_entry(in) ? 0 : ne;
    make_plan(in, b, &p, &w);
    if (st) {
        st->ninsns = in->ninsns;
        st->nentries = ne;
        st->ws_need = w.total;
        st->vfy_ws = w.vfy_len;
        st->bk_ws = w.bk_len;
        st->out_ws = w.out_len;
        st->backend = b->name;
    }
    if (!ws || ((uintptr_t)ws & 7u) || ws_len < w.total)
        return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: workspace too small or misaligned", -1,
                        (uint32_t)w.total, 1);

    /* entries (and their names, for the verifier's messages) */
    if (!lone_entry(in)) {
        uint32_t *ents = (uint32_t *)(void *)(base + w.ents);
        char **names = (char **)(void *)(base + w.names);
        for (k = 0; k < ne; k++) {
            ents[k] = entry_insn(in, k);
            names[k] = (char *)(uintptr_t)(in->entries + k * FC_FCX_ENTRY_SIZE);
        }
        p.entries = ents;
        p.entry_names = names;
    }

    /* 1: verify and analyse */
    fc_memset(&vo, 0, sizeof vo);
    vo.ctx_size = in->ctx_min;
    if (o) {
        vo.flags = o->vflags;
        vo.helpers = o->helpers;
        vo.nhelpers = o->helpers ? o->nhelpers : 0;
    }
    d.items = (fc_diag *)(void *)(base + w.diags);
    d.cap = FC_JIT_NDIAG;
    d.n = d.nerrors = d.nwarnings = 0;
    if (fc_vfy_run(&p, &vo, base + w.vfy, w.vfy_len, (fc_insn_info *)(void *)(base + w.info), 0, &d) != 0) {
        for (k = 0; k < d.n; k++)
            if (d.items[k].severity >= FC_SEV_ERROR)
                return jit_fail(res, FC_LERR_JIT_VERIFY, d.items[k].msg, d.items[k].insn, 0, 0);
        return jit_fail(res, FC_LERR_JIT_VERIFY, "the verifier refused the program (message not kept)",
                        -1, d.nerrors, 1);
    }

    /* 2: the backend, once, into the bounded output */
    fc_memset(&bo, 0, sizeof bo);
    bo.flags = FC_JIT_BK_FLAGS;
    if (p.entries) {
        bo.entries = p.entries;
        bo.nentries = p.nentries;
    }
    fc_memset(&bk, 0, sizeof bk);
    bk.code = base + w.code;
    bk.code_cap = (uint32_t)w.code_cap;
    bk.relocs = (fc_bk_reloc *)(void *)(base + w.relocs);
    bk.relocs_cap = (uint32_t)w.relocs_cap;
    bk.pcmap = (fc_bk_pcmap *)(void *)(base + w.pcmap);
    bk.pcmap_cap = (uint32_t)w.pcmap_cap;
    bk.entry_off = (uint32_t *)(void *)(base + w.centries);
    e = b->compile(&p, (const fc_insn_info *)(void *)(base + w.info), &bo, base + w.scratch, w.bk_len, &bk,
                   0);
    if (st) {
        st->code_len = bk.code_len;
        st->nrelocs = bk.nrelocs;
        st->npcmap = bk.npcmap;
    }
    if (e == FC_BK_ENOSPACE) {
        if (bk.code_len > w.code_cap)
            return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: code larger than the workspace's bound", -1,
                            bk.code_len, 1);
        if (bk.nrelocs > w.relocs_cap)
            return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: more relocations than the workspace's bound", -1,
                            bk.nrelocs, 1);
        return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: more pc map records than the workspace's bound", -1,
                        bk.npcmap, 1);
    }
    if (e != FC_BK_OK)
        return jit_fail(res, FC_LERR_JIT_COMPILE, "jit: the backend refused the program", -1, (uint32_t)e, 1);

    /* 3: the container's little-endian record layouts, in place */
    for (k = 0; k < (ne ? ne : 1u); k++) {
        uint32_t *c = (uint32_t *)(void *)(base + w.centries) + k;
        uint32_t v = *c;
        fc_put_le32((uint8_t *)c, v);
    }
    for (k = 0; k < bk.nrelocs; k++) {
        fc_bk_reloc r = bk.relocs[k];
        uint8_t *o = base + w.relocs + k * FC_FCX_RELOC_SIZE;
        fc_put_le32(o + FC_FCX_R_OFFSET, r.offset);
        o[FC_FCX_R_KIND] = r.kind;
        o[FC_FCX_R_SYM] = r.sym;
        fc_put_le16(o + FC_FCX_R_RESERVED, 0);
        fc_put_le32(o + FC_FCX_R_ADDEND, (uint32_t)r.addend);
    }
    for (k = 0; k < bk.npcmap; k++) {
        fc_bk_pcmap m = bk.pcmap[k];
        uint8_t *o = base + w.pcmap + k * FC_FCX_PCMAP_SIZE;
        fc_put_le32(o, m.native_off);
        fc_put_le32(o + 4, m.insn);
    }
    out->buf = base;
    out->buf_len = (uint32_t)(w.out + w.out_len);
    out->code_off = (uint32_t)w.code;
    out->code_len = bk.code_len;
    out->centries_off = (uint32_t)w.centries;
    out->reloc_off = (uint32_t)w.relocs;
    out->nrelocs = bk.nrelocs;
    out->pcmap_off = (uint32_t)w.pcmap;
    out->npcmap = bk.npcmap;
    out->isa = fc_jit_isa(b);
    res->code = FC_OK;
    res->what = "ok";
    res->sect = res->item = -1;
    res->value = 0;
    res->has_value = 0;
    return FC_OK;
}

int fc_jit_hook(void *jit_ctx, const fc_jit_in *in, fc_jit_out *out, fc_lresult *res)
{
    fc_jit_ctx *c = (fc_jit_ctx *)jit_ctx;
    fc_lresult dummy;
    if (!c)
        return jit_fail(res ? res : &dummy, FC_LERR_ARG, "jit: no context", -1, 0, 0);
    return fc_jit_compile(in, &c->opts, c->ws, c->ws_len, out, res, &c->st);
}
