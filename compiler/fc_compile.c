/*
 * fc_compile.c - the one compile path (fc_compile.h): verify, native code
 * for each backend (measure, allocate, emit), container.
 */
#include <stdlib.h>
#include <string.h>
#include "fc_compile.h"
#include "fc_native.h"

#define ERR(d, ...) fc_diag_add((d), FC_SEV_ERROR, -1, __VA_ARGS__)

uint32_t fc_cc_isa(const fc_backend *b)
{
    switch (b->target) {
    case FC_TARGET_THUMBV7M:
        return FC_ISA_T2_HWDIV;
    case FC_TARGET_RV32IMAC:
        /* rv32imc: no A (atomics with interrupts masked), so a core without A takes it */
        return FC_ISA_RV_M | (strcmp(b->name, "rv32imc") ? FC_ISA_RV_A : 0) |
               (strcmp(b->name, "rv32ima") ? FC_ISA_RV_C : 0);
    case FC_TARGET_XTENSA:
        /* lx106 code: MULL (and MUL16U, which has no bit), no DIV32, call0 */
        return FC_ISA_XT_MUL32;
    case FC_TARGET_ESP32:
        /* esp32 code: MULL, QUOU..REMS, entered with CALLX8 (ENTRY / RETW) */
        return FC_ISA_XT_MUL32 | FC_ISA_XT_DIV32 | FC_ISA_XT_WINDOWED;
    }
    return 0;
}

const char *fc_cc_entry_name(const fc_prog *p, uint32_t k)
{
    uint32_t at = p->entries && p->nentries ? p->entries[k] : 0;
    if (p->entry_names && k < p->nentries && p->entry_names[k])
        return p->entry_names[k];
    for (uint32_t f = 0; p->funcs && f < p->nfuncs; f++)
        if (p->funcs[f].start == at && p->funcs[f].name[0])
            return p->funcs[f].name;
    return k == 0 ? "main" : NULL;
}

uint32_t fc_cc_helper_imports(const fc_prog *p, const fc_cc_opts *o, uint32_t *ids, uint32_t cap)
{
    uint32_t n = 0;
    int callx = 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const fc_insn *x = &p->insns[i];
        if (x->op == (FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL))
            callx = 1;
        if (x->op != (FC_CLS_JMP | FC_JMP_CALL) || fc_src(*x) != FC_CALL_HELPER)
            continue;
        uint32_t id = (uint32_t)x->imm, k = 0;
        while (k < n && ids[k] != id)
            k++;
        if (k == n && n < cap)
            ids[n++] = id;
    }
    if (callx) {
        uint32_t m = o->helpers ? o->nhelpers : fc_vfy_known_helpers_count;
        for (uint32_t j = 0; j < m; j++) {
            uint32_t id = o->helpers ? o->helpers[j].id : fc_vfy_known_helpers[j].id, k = 0;
            while (k < n && ids[k] != id)
                k++;
            if (k == n && n < cap)
                ids[n++] = id;
        }
    }
    return n;
}

int fc_cc_verify(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d)
{
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = o->ctx_size;
    vo.flags = o->vflags;
    vo.helpers = o->helpers;
    vo.nhelpers = o->helpers ? o->nhelpers : 0;
    vo.observe_state = o->observe_state;
    vo.observe_ctx = o->observe_ctx;
    size_t wsz = fc_vfy_workspace_size(p);
    void *ws = malloc(wsz ? wsz : 1);
    free(r->info);
    r->info = calloc(p->ninsns ? p->ninsns : 1, sizeof *r->info);
    if (!ws || !r->info) {
        free(ws);
        ERR(d, "out of memory");
        return FC_CC_ENOMEM;
    }
    int vr = fc_vfy_run(p, &vo, ws, wsz, r->info, &r->st, d);
    free(ws);
    return vr ? FC_CC_EVERIFY : FC_CC_OK;
}

static void native_free(fc_cc_native *n)
{
    free(n->code);
    free(n->bk_relocs);
    free(n->bk_pcmap);
    free(n->relocs);
    free(n->pcmap);
    memset(n, 0, sizeof *n);
}

int fc_cc_native_code(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d)
{
    fc_bk_opts bo;
    memset(&bo, 0, sizeof bo);
    bo.flags = o->bk_flags;
    if (p->entries && p->nentries) {
        bo.entries = p->entries;
        bo.nentries = p->nentries;
    }
    if (o->nbackends > FC_TARGET__COUNT) {
        ERR(d, "%u targets, at most %u", (unsigned)o->nbackends, (unsigned)FC_TARGET__COUNT);
        return FC_CC_EBACKEND;
    }
    for (uint32_t k = 0; k < o->nbackends; k++) {
        const fc_backend *b = o->backends[k];
        fc_cc_native *n = &r->nat[k];
        native_free(n);
        n->b = b;
        size_t wn = b->work_size(p);
        void *w = malloc(wn ? wn : 1);
        if (!w) {
            ERR(d, "out of memory");
            return FC_CC_ENOMEM;
        }
        /* measure with no buffers, allocate, emit (the output is deterministic) */
        int st = b->compile(p, r->info, &bo, w, wn, &n->out, d);
        if (st == FC_BK_ENOSPACE) {
            n->code = malloc(n->out.code_len ? n->out.code_len : 1);
            n->bk_relocs = calloc(n->out.nrelocs ? n->out.nrelocs : 1, sizeof *n->bk_relocs);
            n->bk_pcmap = calloc(n->out.npcmap ? n->out.npcmap : 1, sizeof *n->bk_pcmap);
            if (!n->code || !n->bk_relocs || !n->bk_pcmap) {
                free(w);
                ERR(d, "out of memory");
                return FC_CC_ENOMEM;
            }
            fc_bk_out out;
            memset(&out, 0, sizeof out);
            out.code = n->code;
            out.code_cap = n->out.code_len;
            out.relocs = n->bk_relocs;
            out.relocs_cap = n->out.nrelocs;
            out.pcmap = n->bk_pcmap;
            out.pcmap_cap = n->out.npcmap;
            out.entry_off = n->entry_off;
            n->out = out;
            st = b->compile(p, r->info, &bo, w, wn, &n->out, d);
        }
        free(w);
        if (st != FC_BK_OK) {
            r->failed = k;
            r->bk_status = st;
            return FC_CC_EBACKEND;
        }
        n->relocs = calloc(n->out.nrelocs ? n->out.nrelocs : 1, sizeof *n->relocs);
        n->pcmap = calloc(n->out.npcmap ? n->out.npcmap : 1, sizeof *n->pcmap);
        if (!n->relocs || !n->pcmap) {
            ERR(d, "out of memory");
            return FC_CC_ENOMEM;
        }
        for (uint32_t i = 0; i < n->out.nrelocs; i++) {
            n->relocs[i].offset = n->bk_relocs[i].offset;
            n->relocs[i].kind = n->bk_relocs[i].kind;
            n->relocs[i].sym = n->bk_relocs[i].sym;
            n->relocs[i].addend = n->bk_relocs[i].addend;
        }
        for (uint32_t i = 0; i < n->out.npcmap; i++) {
            n->pcmap[i].native_off = n->bk_pcmap[i].native_off;
            n->pcmap[i].insn = n->bk_pcmap[i].insn;
        }
    }
    return FC_CC_OK;
}

int fc_cc_container(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d)
{
    uint32_t ids[FC_FCX_MAX_HELPERS];
    fc_fcx_entry ents[FC_FCX_MAX_ENTRIES];
    fc_fcx_code codes[FC_TARGET__COUNT];
    fc_fcx_input fi;
    memset(&fi, 0, sizeof fi);
    fi.prog = p;
    fi.helpers = ids;
    fi.nhelpers = fc_cc_helper_imports(p, o, ids, FC_FCX_MAX_HELPERS);
    fi.frames = r->st.max_call_depth;
    fi.budget = o->budget;
    if (p->entries && p->nentries) {
        if (p->nentries > FC_FCX_MAX_ENTRIES) {
            ERR(d, "%u entry points, at most %u", (unsigned)p->nentries, FC_FCX_MAX_ENTRIES);
            return FC_CC_ECONTAINER;
        }
        for (uint32_t k = 0; k < p->nentries; k++) {
            ents[k].name = fc_cc_entry_name(p, k);
            ents[k].insn = p->entries[k];
            if (!ents[k].name) {
                ERR(d, "entry %u (instruction %u) has no name", (unsigned)k, (unsigned)p->entries[k]);
                return FC_CC_ECONTAINER;
            }
            if (strlen(ents[k].name) >= FC_FCX_NAME_LEN) {
                ERR(d, "entry '%s': the container keeps names of at most %u bytes", ents[k].name,
                    FC_FCX_NAME_LEN - 1);
                return FC_CC_ECONTAINER;
            }
        }
        fi.entries = ents;
        fi.nentries = p->nentries;
    }
    /* -g: the line table, its file names as the caller shows them */
    fc_prog lprog = *p;
    if (o->lines && p->nlines && p->nfiles) {
        if (o->files)
            lprog.files = (const char **)(uintptr_t)o->files;
        fi.prog = &lprog;
        fi.lines = 1;
    }
    fi.ctx_min = o->ctx_size;
    fi.ctx_flags = fc_fcx_ctx_writes(p, r->info) ? FC_FCX_CTX_WRITES : 0;
    fi.stack_untouched = fc_fcx_stack_untouched(p, r->info, &r->st);
    for (uint32_t k = 0; k < o->nbackends && k < FC_TARGET__COUNT; k++) {
        const fc_cc_native *n = &r->nat[k];
        memset(&codes[k], 0, sizeof codes[k]);
        codes[k].target = o->backends[k]->target;
        codes[k].isa = fc_cc_isa(o->backends[k]);
        codes[k].code = n->code;
        codes[k].code_len = n->out.code_len;
        codes[k].relocs = n->relocs;
        codes[k].nrelocs = n->out.nrelocs;
        codes[k].pcmap = n->pcmap;
        codes[k].npcmap = n->out.npcmap;
        codes[k].entry_offsets = n->entry_off;
    }
    fi.code = codes;
    fi.ncode = o->nbackends;
    free(r->img);
    r->img = NULL;
    r->len = 0;
    int wr = fc_fcx_write_alloc(&fi, &r->img, &r->len, d);
    if (wr == FC_FCX_E_NOMEM)
        return FC_CC_ENOMEM;
    return wr == FC_FCX_OK ? FC_CC_OK : FC_CC_ECONTAINER;
}

int fc_cc_compile(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d)
{
    int e = fc_cc_verify(p, o, r, d);
    if (e == FC_CC_OK)
        e = fc_cc_native_code(p, o, r, d);
    if (e == FC_CC_OK)
        e = fc_cc_container(p, o, r, d);
    return e;
}

void fc_cc_free(fc_cc_result *r)
{
    for (uint32_t k = 0; k < FC_TARGET__COUNT; k++)
        native_free(&r->nat[k]);
    free(r->info);
    free(r->img);
    memset(r, 0, sizeof *r);
}
