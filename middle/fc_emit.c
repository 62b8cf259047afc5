/*
 * fc_emit.c - the shared emission layer (fc_emit.h).
 */
#include "fc_emit.h"
#include "fc_hihalf.h"
#include "fc_isa.h"

void *fc_em_carve(uint8_t **p, uint8_t *end, size_t sz, size_t align)
{
    uintptr_t a = ((uintptr_t)*p + (align - 1)) & ~(uintptr_t)(align - 1);
    if (a + sz > (uintptr_t)end)
        return NULL;
    *p = (uint8_t *)(a + sz);
    return (void *)a;
}

static uint32_t labcap(const fc_em_sizes *z, uint32_t n)
{
    return (n + 1) * z->labs_per_insn + z->extra + z->nfixed + 8;
}

size_t fc_em_work_size(const fc_em_sizes *z, uint32_t n)
{
    size_t m = (size_t)n + 1;
    return 4 * (size_t)labcap(z, n) + (m * z->brs_per_insn + z->extra) +
           sizeof(fc_em_stub) * (m * z->stubs_per_insn + z->extra) + 3 * 8;
}

int fc_em_setup(fc_em *em, const fc_em_target *t, const fc_em_sizes *z, uint32_t n,
                uint8_t **w, uint8_t *wend)
{
    uint32_t i;
    for (i = 0; i < sizeof *em; i++)
        ((uint8_t *)em)[i] = 0;
    em->t = t;
    em->labcap = labcap(z, n);
    em->nlab0 = n + 1 + z->nfixed;
    em->lab = fc_em_carve(w, wend, 4 * (size_t)em->labcap, 4);
    em->brcap = (n + 1) * z->brs_per_insn + z->extra;
    em->brlv = fc_em_carve(w, wend, em->brcap, 1);
    em->stcap = (n + 1) * z->stubs_per_insn + z->extra;
    em->st = fc_em_carve(w, wend, sizeof(fc_em_stub) * (size_t)em->stcap, 4);
    if (!em->lab || !em->brlv || !em->st)
        return -1;
    for (i = 0; i < em->labcap; i++)
        em->lab[i] = 0;
    for (i = 0; i < em->brcap; i++)
        em->brlv[i] = 0;
    return 0;
}

int fc_em_decode(const fc_insn *ins, uint32_t n, uint8_t *opid, fc_em_each each, void *ctx)
{
    int local_calls = 0;
    for (uint32_t i = 0; i < n; i++) {
        const fc_insn *x = &ins[i];
        unsigned op = 0;
        enum fc_insn_fault f = fc_insn_check(x, i + 1 < n ? &ins[i + 1] : NULL, &op);
        opid[i] = (uint8_t)(f == FC_INSN_OK ? op : 0);
        if (f != FC_INSN_OK)
            continue;
        if (op == FC_OP_CALL && fc_src(*x) == FC_CALL_LOCAL)
            local_calls = 1;
        if (each)
            each(ctx, i, op);
        if (op == FC_OP_LDDW)
            opid[++i] = FC_HH_SECOND;
    }
    return local_calls;
}

void fc_em_put(fc_em *em, uint32_t enc)
{
    unsigned sz = em->t->size(enc);
    if (em->writing) {
        if (enc == em->t->bad && !em->bad) {
            em->bad = 1;
            em->bad_insn = em->cur;
        }
        if (em->buf && em->pos + sz <= em->cap)
            em->t->write(em->buf + em->pos, enc);
    }
    em->pos += sz;
}

uint32_t fc_em_newlab(fc_em *em)
{
    if (em->nlab >= em->labcap) {
        em->overflow = 1;
        return em->labcap - 1;
    }
    return em->nlab++;
}

void fc_em_bind(fc_em *em, uint32_t l)
{
    if (em->lab[l] != em->pos) {
        em->lab[l] = em->pos;
        em->moved = 1;
    }
}

uint32_t fc_em_brid(fc_em *em)
{
    if (em->nbr >= em->brcap) {
        em->overflow = 1;
        return em->brcap - 1;
    }
    return em->nbr++;
}

unsigned fc_em_level(fc_em *em, uint32_t id, unsigned need)
{
    if (need > em->brlv[id]) {
        em->brlv[id] = (uint8_t)need;
        em->grew = 1;
    }
    return em->brlv[id];
}

void fc_em_reloc(fc_em *em, unsigned kind, unsigned sym, int32_t addend)
{
    if (!em->writing)
        return;
    if (em->rel && em->nrel < em->relcap) {
        fc_bk_reloc *r = &em->rel[em->nrel];
        r->offset = em->pos;
        r->kind = (uint8_t)kind;
        r->sym = (uint8_t)sym;
        r->reserved = 0;
        r->addend = addend;
    }
    em->nrel++;
}

void fc_em_mapto(fc_em *em, uint32_t insn)
{
    if (!em->writing)
        return;
    if (em->nmap && em->map && em->nmap <= em->mapcap) {
        fc_bk_pcmap *last = &em->map[em->nmap - 1];
        if (last->native_off == em->pos) {      /* nothing emitted since */
            last->insn = insn;
            return;
        }
        if (last->insn == insn)
            return;
    }
    if (em->map && em->nmap < em->mapcap) {
        em->map[em->nmap].native_off = em->pos;
        em->map[em->nmap].insn = insn;
    }
    em->nmap++;
}

fc_em_stub *fc_em_addstub(fc_em *em, unsigned type, uint32_t lab)
{
    fc_em_stub *s;
    if (em->nst >= em->stcap) {
        em->overflow = 1;
        s = &em->st[em->stcap - 1];
    } else {
        s = &em->st[em->nst++];
    }
    s->type = (uint8_t)type;
    s->insn = em->cur;
    s->lab = lab;
    s->code = s->perm = s->lg = 0;
    s->lab2 = s->lab3 = s->lab4 = 0;
    s->val = 0;
    s->base = s->hireg = FC_EM_NONE;
    return s;
}

void fc_em_begin(fc_em *em)
{
    em->pos = 0;
    em->nlab = em->nlab0;
    em->nbr = 0;
    em->nst = 0;
    em->nrel = 0;
    em->nmap = 0;
    em->moved = em->grew = 0;
    em->checks = em->unchecked = 0;
    em->memslow_used = 0;
}

int fc_em_run(fc_em *em, fc_em_pass pass, void *ctx, uint32_t max_passes, fc_bk_out *out,
              const char **msg, int32_t *msg_insn)
{
    uint32_t npass;

    *msg_insn = -1;
    for (npass = 1;; npass++) {
        pass(ctx);
        if (em->overflow) {
            *msg = "internal table overflow";
            *msg_insn = (int32_t)em->cur;
            return FC_BK_EINTERNAL;
        }
        if (!em->moved && !em->grew)
            break;
        if (npass >= max_passes) {
            *msg = "branch sizes do not converge";
            return FC_BK_EINTERNAL;
        }
    }
    out->passes = npass;

    em->writing = 1;
    em->buf = out->code && out->code_cap ? out->code : NULL;
    em->cap = out->code_cap;
    em->rel = out->relocs;
    em->relcap = out->relocs ? out->relocs_cap : 0;
    em->map = out->pcmap;
    em->mapcap = out->pcmap ? out->pcmap_cap : 0;
    em->entry_off = out->entry_off;
    pass(ctx);
    if (em->moved || em->grew || em->overflow) {
        *msg = "the writing pass differs from the sizing pass";
        return FC_BK_EINTERNAL;
    }
    out->code_len = em->pos;
    out->nrelocs = em->nrel;
    out->npcmap = em->nmap;
    out->checks = em->checks;
    out->unchecked = em->unchecked;
    if (em->bad) {
        *msg = "an instruction could not be encoded";
        *msg_insn = (int32_t)em->bad_insn;
        return FC_BK_EINTERNAL;
    }
    if (!em->buf || em->pos > em->cap || em->nrel > em->relcap || (em->map && em->nmap > em->mapcap))
        return FC_BK_ENOSPACE;
    if (em->t->validate(em->buf, em->pos) != em->pos) {
        *msg = "the image holds an undefined instruction";
        return FC_BK_EINTERNAL;
    }
    return FC_BK_OK;
}

void fc_em_select(const fc_em_isel *t, struct fc_cg *c, const fc_insn *i, uint32_t idx, unsigned op)
{
    unsigned cls = FC_CLASS(i->op);

    switch (cls) {
    case FC_CLS_ALU:
        t->alu32(c, i, op);
        return;
    case FC_CLS_ALU64:
        t->alu64(c, i, op);
        return;
    case FC_CLS_LD:
        t->lddw(c, i);
        return;
    case FC_CLS_LDX:
        t->ldx(c, i);
        return;
    case FC_CLS_ST:
        t->store(c, i);
        return;
    case FC_CLS_STX:
        if (FC_MODE(i->op) == FC_MODE_ATOMIC)
            t->atomic(c, i);
        else
            t->store(c, i);
        return;
    default:
        break;
    }
    switch (op) {
    case FC_OP_JA:
        t->jump(c, (uint64_t)idx + 1 + (uint64_t)(int64_t)i->off);
        return;
    case FC_OP_JA32:
        t->jump(c, (uint64_t)idx + 1 + (uint64_t)(int64_t)i->imm);
        return;
    case FC_OP_CALL:
        if (fc_src(*i) == FC_CALL_LOCAL)
            t->call_local(c, i);
        else
            t->call_helper(c, i, 0);
        return;
    case FC_OP_CALLX:
        t->call_helper(c, i, 1);
        return;
    case FC_OP_EXIT:
        t->exit(c);
        return;
    default:
        t->jcc(c, i, cls == FC_CLS_JMP32);
        return;
    }
}

const char *fc_em_in_init(fc_em_in *in, const fc_prog *p, const fc_insn_info *info,
                          const fc_bk_opts *opts, const uint32_t *one_entry, int32_t *at)
{
    *at = -1;
    in->p = p;
    in->ins = p->insns;
    in->info = info;
    in->n = p->ninsns;
    in->flags = opts ? opts->flags : 0;
    in->entries = opts && opts->entries ? opts->entries : one_entry;
    in->nentries = opts && opts->entries ? opts->nentries : 1;
    if (in->nentries == 0)
        return "no entry point";
    for (uint32_t i = 0; i < in->nentries; i++)
        if (in->entries[i] >= in->n) {
            *at = (int32_t)in->entries[i];
            return "entry outside the program";
        }
    return NULL;
}

int fc_em_refuse(fc_diags *d, const char *name, int32_t at, const char *why)
{
    if (d)
        fc_diag_add(d, FC_SEV_ERROR, at, "%s: %s", name, why);
    return FC_BK_EPROG;
}

int fc_em_start(fc_em_in *in, const char *name, const fc_prog *p, const fc_insn_info *info,
                const fc_bk_opts *opts, const uint32_t *one_entry, const void *work,
                size_t work_len, size_t need, const fc_bk_out *out, fc_diags *d)
{
    int32_t at;
    const char *why;
    if (!p || !out || (p->ninsns && !p->insns))
        return fc_em_refuse(d, name, -1, "no program");
    if (!work || work_len < need)
        return FC_BK_EWORK;
    if (p->ninsns == 0)
        return fc_em_refuse(d, name, -1, "empty program");
    if (p->ninsns > 0x7fffffffu)
        return fc_em_refuse(d, name, -1, "program too large");
    why = fc_em_in_init(in, p, info, opts, one_entry, &at);
    return why ? fc_em_refuse(d, name, at, why) : FC_BK_OK;
}

void fc_em_hh(fc_hh *h, const fc_em_in *in, const uint8_t *opid)
{
    h->ins = in->ins;
    h->opid = opid;
    h->n = in->n;
    h->entries = in->entries;
    h->nentries = in->nentries;
    h->info = in->flags & FC_BK_NO_FACTS ? NULL : in->info;
}

int fc_em_access_checked(const fc_insn_info *info, uint32_t flags, unsigned r, int16_t off,
                         unsigned n)
{
    int frame = r == 10 && off >= -(int)FC_STACK_SIZE && off + (int)n <= 0;
    if (flags & FC_BK_CHECK_ALL)
        return 1;
    return !(frame || (info && info->access == FC_ACC_PROVEN));
}

fc_em_stub *fc_em_memcheck(fc_em *em, unsigned type, unsigned perm, unsigned lg)
{
    em->checks++;
    uint32_t back = fc_em_newlab(em), slow = fc_em_newlab(em), err = fc_em_newlab(em);
    fc_em_stub *s = fc_em_addstub(em, type, slow);
    s->perm = (uint8_t)perm;
    s->lg = (uint8_t)lg;
    s->lab2 = back;
    s->lab3 = err;
    em->memslow_used |= (uint16_t)(1u << ((perm - 1) * 4 + lg));
    return s;
}

unsigned fc_em_section_sym(int32_t imm)
{
    return imm == FC_SECT_RODATA ? FC_SYM_RODATA : imm == FC_SECT_DATA ? FC_SYM_DATA : FC_SYM_BSS;
}

void fc_em_stub_begin(fc_em *em, const fc_em_stub *s)
{
    em->cur = s->insn;
    fc_em_mapto(em, s->insn);
    fc_em_bind(em, s->lab);
}

void fc_em_entries(fc_em *em, const fc_em_in *in, void (*prologue)(struct fc_cg *c, uint32_t at),
                   struct fc_cg *c)
{
    for (uint32_t e = 0; e < in->nentries; e++) {
        fc_em_mapto(em, FC_BK_NO_INSN);
        if (em->writing && em->entry_off)
            em->entry_off[e] = em->pos;
        prologue(c, in->entries[e]);
    }
}
