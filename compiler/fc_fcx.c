/*
 * fc_fcx.c - .fcx writer and dumper (host, C11). Format: docs/fcx.md and
 * runtime/fc_container.h.
 *
 * The writer lays sections out in a fixed order after the header and the
 * section table:
 *
 *   BYTECODE ENTRIES [HELPERS] [RODATA] [DATA] [BSS: no bytes]
 *   then for each code section: CODE CODE_ENTRIES [RELOC] [PCMAP]
 *   then [LINES] (optional section, femtoc -g)
 *
 * every section at an 8-aligned offset, zero padding, image_size rounded up
 * to 8, and the SHA-256 of the payload (hash field as zeros) in the header.
 */
#include <stdlib.h>
#include <string.h>
#include "fc_fcx.h"
#include "fc_loader.h"
#include "fc_sha256.h"
#include "fc_disasm.h"

#define ERR(d, insn, ...) fc_diag_add((d), FC_SEV_ERROR, (insn), __VA_ARGS__)

/* One section to write. */
typedef struct wsect {
    uint16_t type;
    uint8_t target;
    uint16_t link;
    uint32_t info;
    uint8_t *bytes;      /* owned (NULL for BSS) */
    uint32_t size;
    uint32_t offset;     /* assigned by the layout */
    uint16_t flags;      /* FC_FCX_SF_* (OPTIONAL for the line table) */
} wsect;

typedef struct wstate {
    wsect s[FC_FCX_MAX_SECTIONS];
    uint32_t n;
    fc_diags *d;
} wstate;

static int add_sect(wstate *w, uint16_t type, uint8_t target, uint16_t link, uint32_t info,
                    uint8_t *bytes, uint32_t size)
{
    if (w->n >= FC_FCX_MAX_SECTIONS) {
        free(bytes);
        ERR(w->d, -1, "container: more than %u sections", FC_FCX_MAX_SECTIONS);
        return FC_FCX_E_INPUT;
    }
    w->s[w->n++] = (wsect){type, target, link, info, bytes, size, 0, 0};
    return FC_FCX_OK;
}

static void free_sects(wstate *w)
{
    for (uint32_t i = 0; i < w->n; i++)
        free(w->s[i].bytes);
    w->n = 0;
}

static uint8_t *dup_bytes(const void *src, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (p && n)
        memcpy(p, src, n);
    return p;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_reloc(const void *a, const void *b)
{
    const fc_fcx_reloc *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int cmp_pcmap(const void *a, const void *b)
{
    const fc_fcx_pcmap *x = a, *y = b;
    return x->native_off < y->native_off ? -1 : x->native_off > y->native_off;
}

static int is_lddw(const fc_insn *i)
{
    return i->op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM);
}

/* Helper imports: given (sorted, duplicates dropped) or derived from the
 * bytecode. *out is malloc'd. */
static int helper_list(const fc_fcx_input *in, fc_diags *d, uint32_t **out, uint32_t *n)
{
    const fc_prog *p = in->prog;
    uint32_t cap = in->helpers ? in->nhelpers : p->ninsns, k = 0;
    uint32_t *h = malloc((cap ? cap : 1) * sizeof *h);

    if (!h)
        return FC_FCX_E_NOMEM;
    if (in->helpers) {
        memcpy(h, in->helpers, in->nhelpers * sizeof *h);
        k = in->nhelpers;
    } else {
        for (uint32_t i = 0; i < p->ninsns; i++) {
            fc_insn x = p->insns[i];
            if (is_lddw(&x)) {
                i++;
                continue;
            }
            if (x.op == (FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL)) {
                ERR(d, (int32_t)i, "callx: the helper imports cannot be derived; list them");
                free(h);
                return FC_FCX_E_INPUT;
            }
            if (x.op == (FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL) && fc_src(x) == FC_CALL_HELPER)
                h[k++] = (uint32_t)x.imm;
        }
    }
    qsort(h, k, sizeof *h, cmp_u32);
    uint32_t m = 0;
    for (uint32_t i = 0; i < k; i++)
        if (m == 0 || h[m - 1] != h[i])
            h[m++] = h[i];
    if (m > FC_FCX_MAX_HELPERS) {
        ERR(d, -1, "%u helper imports, at most %u", m, FC_FCX_MAX_HELPERS);
        free(h);
        return FC_FCX_E_INPUT;
    }
    *out = h;
    *n = m;
    return FC_FCX_OK;
}

static int entry_bytes(const fc_fcx_input *in, fc_diags *d, uint8_t **out, uint32_t *nout)
{
    const fc_prog *p = in->prog;
    fc_fcx_entry def;
    const fc_fcx_entry *e = in->entries;
    uint32_t n = in->nentries;

    if (!e) {
        def.name = (p->nfuncs && p->funcs && p->funcs[0].name[0]) ? p->funcs[0].name : "main";
        def.insn = 0;
        e = &def;
        n = 1;
    }
    if (n == 0 || n > FC_FCX_MAX_ENTRIES) {
        ERR(d, -1, "%u entry points, need 1..%u", n, FC_FCX_MAX_ENTRIES);
        return FC_FCX_E_INPUT;
    }
    uint8_t *b = calloc(n, FC_FCX_ENTRY_SIZE);
    if (!b)
        return FC_FCX_E_NOMEM;
    for (uint32_t k = 0; k < n; k++) {
        size_t len = e[k].name ? strlen(e[k].name) : 0;
        if (len == 0 || len >= FC_FCX_NAME_LEN) {
            ERR(d, -1, "entry %u: name must have 1..%u characters", k, FC_FCX_NAME_LEN - 1);
            free(b);
            return FC_FCX_E_INPUT;
        }
        if (e[k].insn >= p->ninsns || (e[k].insn > 0 && is_lddw(&p->insns[e[k].insn - 1]))) {
            ERR(d, (int32_t)e[k].insn, "entry '%s': instruction %u is not an instruction start",
                e[k].name, e[k].insn);
            free(b);
            return FC_FCX_E_INPUT;
        }
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(e[j].name, e[k].name) == 0 || e[j].insn == e[k].insn) {
                ERR(d, (int32_t)e[k].insn, e[j].insn == e[k].insn ? "entry '%s' starts where entry '%s' does"
                                                                 : "entry '%s' defined twice%s",
                    e[k].name, e[j].insn == e[k].insn ? e[j].name : "");
                free(b);
                return FC_FCX_E_INPUT;
            }
        /* each entry starts a function (the loader checks the same) */
        uint8_t prev = e[k].insn ? p->insns[e[k].insn - 1].op : (uint8_t)(FC_CLS_JMP | FC_JMP_EXIT);
        int starts = prev == (FC_CLS_JMP | FC_JMP_EXIT) || prev == (FC_CLS_JMP | FC_JMP_JA) ||
                     prev == (FC_CLS_JMP32 | FC_JMP_JA);
        for (uint32_t i = 0; starts && i < p->ninsns; i++)
            if (p->insns[i].op == (FC_CLS_JMP | FC_JMP_CALL) && fc_src(p->insns[i]) == FC_CALL_LOCAL &&
                (int64_t)i + 1 + p->insns[i].imm == (int64_t)e[k].insn)
                starts = 0;
        if (!starts) {
            ERR(d, (int32_t)e[k].insn, "entry '%s': instruction %u does not start a function (the one "
                "before it may run into it, or a local call targets it)", e[k].name, e[k].insn);
            free(b);
            return FC_FCX_E_INPUT;
        }
        memcpy(b + k * FC_FCX_ENTRY_SIZE, e[k].name, len);
        fc_put_le32(b + k * FC_FCX_ENTRY_SIZE + FC_FCX_E_INSN, e[k].insn);
    }
    *out = b;
    *nout = n;
    return FC_FCX_OK;
}

/* Code, native entries, relocations, pc map of one target. */
static int add_code(wstate *w, const fc_fcx_code *c, uint32_t nentries, uint32_t ninsns)
{
    fc_diags *d = w->d;
    const char *tn = fc_fcx_target_name(c->target);
    int e;

    if (c->target == FC_TARGET_EBPF || c->target >= FC_TARGET__COUNT) {
        ERR(d, -1, "code section for unknown target %u", c->target);
        return FC_FCX_E_INPUT;
    }
    if (!c->code || c->code_len == 0 || c->code_len > FC_FCX_MAX_IMAGE) {
        ERR(d, -1, "%s: no code or more than 16 MiB", tn);
        return FC_FCX_E_INPUT;
    }
    if (c->isa & ~fc_fcx_isa_known(c->target)) {
        ERR(d, -1, "%s: unknown ISA feature bits 0x%x", tn, c->isa & ~fc_fcx_isa_known(c->target));
        return FC_FCX_E_INPUT;
    }
    if (!c->entry_offsets) {
        ERR(d, -1, "%s: no native entry offsets", tn);
        return FC_FCX_E_INPUT;
    }
    uint16_t code_idx = (uint16_t)w->n;
    if ((e = add_sect(w, FC_FCX_SECT_CODE, c->target, 0, c->isa, dup_bytes(c->code, c->code_len),
                      c->code_len)) != FC_FCX_OK)
        return e;
    if (!w->s[code_idx].bytes)
        return FC_FCX_E_NOMEM;

    uint8_t *ne = malloc(nentries * 4u);
    if (!ne)
        return FC_FCX_E_NOMEM;
    for (uint32_t k = 0; k < nentries; k++) {
        if (c->entry_offsets[k] >= c->code_len || c->entry_offsets[k] % fc_fcx_code_align(c->target)) {
            ERR(d, -1, "%s: entry %u: native offset %u outside the code or misaligned", tn, k,
                c->entry_offsets[k]);
            free(ne);
            return FC_FCX_E_INPUT;
        }
        fc_put_le32(ne + 4u * k, c->entry_offsets[k]);
    }
    if ((e = add_sect(w, FC_FCX_SECT_CODE_ENTRIES, 0, code_idx, 0, ne, nentries * 4u)) != FC_FCX_OK)
        return e;

    if (c->nrelocs) {
        fc_fcx_reloc *r = malloc(c->nrelocs * sizeof *r);
        uint8_t *rb = malloc(c->nrelocs * FC_FCX_RELOC_SIZE);
        if (!r || !rb) {
            free(r);
            free(rb);
            return FC_FCX_E_NOMEM;
        }
        memcpy(r, c->relocs, c->nrelocs * sizeof *r);
        qsort(r, c->nrelocs, sizeof *r, cmp_reloc);
        uint32_t prev_end = 0;
        for (uint32_t k = 0; k < c->nrelocs; k++) {
            uint32_t wd = fc_fcx_reloc_width(c->target, r[k].kind);
            const char *why = NULL;
            if (wd == 0)
                why = "kind not defined for the target";
            else if (r[k].sym >= FC_SYM__COUNT)
                why = "unknown symbol";
            else if (r[k].offset % fc_fcx_reloc_align(r[k].kind))
                why = "misaligned offset";
            else if (!fc_in_bounds(c->code_len, r[k].offset, wd))
                why = "offset+width beyond the code";
            else if (k > 0 && r[k].offset < prev_end)
                why = "overlaps the previous relocation";
            if (why) {
                ERR(d, -1, "%s: relocation at 0x%x (kind %u, symbol %u): %s", tn, r[k].offset,
                    r[k].kind, r[k].sym, why);
                free(r);
                free(rb);
                return FC_FCX_E_INPUT;
            }
            prev_end = r[k].offset + wd;
            uint8_t *q = rb + k * FC_FCX_RELOC_SIZE;
            fc_put_le32(q + FC_FCX_R_OFFSET, r[k].offset);
            q[FC_FCX_R_KIND] = r[k].kind;
            q[FC_FCX_R_SYM] = r[k].sym;
            fc_put_le16(q + FC_FCX_R_RESERVED, 0);
            fc_put_le32(q + FC_FCX_R_ADDEND, (uint32_t)r[k].addend);
        }
        free(r);
        if ((e = add_sect(w, FC_FCX_SECT_RELOC, 0, code_idx, 0, rb,
                          c->nrelocs * FC_FCX_RELOC_SIZE)) != FC_FCX_OK)
            return e;
    }

    if (c->npcmap) {
        fc_fcx_pcmap *m = malloc(c->npcmap * sizeof *m);
        uint8_t *mb = malloc(c->npcmap * FC_FCX_PCMAP_SIZE);
        if (!m || !mb) {
            free(m);
            free(mb);
            return FC_FCX_E_NOMEM;
        }
        memcpy(m, c->pcmap, c->npcmap * sizeof *m);
        qsort(m, c->npcmap, sizeof *m, cmp_pcmap);
        for (uint32_t k = 0; k < c->npcmap; k++) {
            if (m[k].native_off >= c->code_len ||
                (m[k].insn > ninsns && m[k].insn != FC_FCX_PCMAP_NO_INSN) ||
                (k > 0 && m[k].native_off == m[k - 1].native_off)) {
                ERR(d, -1, "%s: pc map record {0x%x -> %u}: outside the code, the bytecode, or duplicate",
                    tn, m[k].native_off, m[k].insn);
                free(m);
                free(mb);
                return FC_FCX_E_INPUT;
            }
            fc_put_le32(mb + k * FC_FCX_PCMAP_SIZE, m[k].native_off);
            fc_put_le32(mb + k * FC_FCX_PCMAP_SIZE + 4, m[k].insn);
        }
        free(m);
        if ((e = add_sect(w, FC_FCX_SECT_PCMAP, 0, code_idx, 0, mb,
                          c->npcmap * FC_FCX_PCMAP_SIZE)) != FC_FCX_OK)
            return e;
    }
    return FC_FCX_OK;
}

/* The optional line table (fc_fcx.h): the records of prog->lines that name
 * an instruction and a file, one per instruction (the first wins), and
 * every file name. */
static int add_lines(wstate *w, const fc_prog *p)
{
    if (!p->lines || !p->nlines || !p->files || !p->nfiles)
        return FC_FCX_OK;
    if (p->nfiles > 0xffffu) {
        ERR(w->d, -1, "line table: %u source files, at most 65535", p->nfiles);
        return FC_FCX_E_INPUT;
    }
    uint64_t names = 0;
    for (uint32_t f = 0; f < p->nfiles; f++)
        names += (p->files[f] ? strlen(p->files[f]) : 0) + 1;
    uint64_t size = FC_FCX_LINE_HDR + (uint64_t)p->nlines * FC_FCX_LINE_REC_SIZE + names;
    if (size > FC_FCX_MAX_IMAGE) {
        ERR(w->d, -1, "line table of %llu bytes, at most %u", (unsigned long long)size, FC_FCX_MAX_IMAGE);
        return FC_FCX_E_INPUT;
    }
    uint8_t *b = calloc(1, (size_t)size);
    if (!b)
        return FC_FCX_E_NOMEM;
    uint32_t n = 0;
    for (uint32_t k = 0; k < p->nlines; k++) {
        const fc_line *l = &p->lines[k];
        if (l->insn >= p->ninsns || l->file >= p->nfiles)
            continue;
        if (n && fc_le32(b + FC_FCX_LINE_HDR + (n - 1) * FC_FCX_LINE_REC_SIZE) >= l->insn)
            continue; /* sorted by insn: keep the first record of an instruction */
        uint8_t *q = b + FC_FCX_LINE_HDR + n * FC_FCX_LINE_REC_SIZE;
        fc_put_le32(q, l->insn);
        fc_put_le32(q + 4, l->line);
        fc_put_le16(q + 8, l->col);
        fc_put_le16(q + 10, l->file);
        n++;
    }
    if (n == 0) {
        free(b);
        return FC_FCX_OK;
    }
    uint8_t *names_at = b + FC_FCX_LINE_HDR + n * FC_FCX_LINE_REC_SIZE;
    size_t at = 0;
    for (uint32_t f = 0; f < p->nfiles; f++) {
        size_t fl = p->files[f] ? strlen(p->files[f]) : 0;
        if (fl)
            memcpy(names_at + at, p->files[f], fl);
        names_at[at + fl] = 0;
        at += fl + 1;
    }
    fc_put_le32(b, n);
    fc_put_le32(b + 4, p->nfiles);
    size = FC_FCX_LINE_HDR + (uint64_t)n * FC_FCX_LINE_REC_SIZE + at;
    int e = add_sect(w, FC_FCX_SECT_LINES, 0, 0, 0, b, (uint32_t)size);
    if (e == FC_FCX_OK)
        w->s[w->n - 1].flags = FC_FCX_SF_OPTIONAL;
    return e;
}

static uint32_t frames_of(const fc_prog *p)
{
    for (uint32_t i = 0; i < p->ninsns; i++) {
        fc_insn x = p->insns[i];
        if (is_lddw(&x)) {
            i++;
            continue;
        }
        if (x.op == (FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL) && fc_src(x) == FC_CALL_LOCAL)
            return FC_MAX_CALL_DEPTH;
    }
    return 1;
}

/* All sections of the container, in file order. */
static int plan_sections(const fc_fcx_input *in, wstate *w, uint16_t *targets, uint32_t *frames)
{
    const fc_prog *p = in->prog;
    fc_diags *d = w->d;
    uint32_t nent = 0, nh = 0, *h = NULL;
    uint8_t *eb = NULL;
    int e;

    if (!p || !p->insns || p->ninsns == 0) {
        ERR(d, -1, "no bytecode");
        return FC_FCX_E_INPUT;
    }
    if (p->ninsns > FC_FCX_MAX_IMAGE / FC_INSN_SIZE || (p->rodata_len && !p->rodata) ||
        (p->data_len && !p->data) ||
        (uint64_t)p->rodata_len + p->data_len + p->bss_len > FC_FCX_MAX_RAM) {
        ERR(d, -1, "program sections missing or too large (limit 16 MiB)");
        return FC_FCX_E_INPUT;
    }
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const fc_insn *next = i + 1 < p->ninsns ? &p->insns[i + 1] : NULL;
        enum fc_insn_fault f = fc_insn_check(&p->insns[i], next, NULL);
        if (f != FC_INSN_OK) {
            ERR(d, (int32_t)i, "instruction %u: %s", i, fc_insn_fault_str(f));
            return FC_FCX_E_INPUT;
        }
        if (is_lddw(&p->insns[i]) && fc_src(p->insns[i]) == FC_LDDW_SECTION &&
            (p->insns[i].imm == FC_SECT_RODATA ? p->rodata_len
             : p->insns[i].imm == FC_SECT_DATA ? p->data_len : p->bss_len) == 0) {
            /* the loader refuses it: the section would not exist on the device */
            ERR(d, (int32_t)i, "instruction %u: lddw names a data section the program lacks", i);
            return FC_FCX_E_INPUT;
        }
        i += fc_insn_slots(p->insns[i]) - 1u;
    }
    *frames = in->frames ? in->frames : frames_of(p);
    if (*frames == 0 || *frames > FC_MAX_CALL_DEPTH) {
        ERR(d, -1, "stack frames %u, need 1..%u", *frames, FC_MAX_CALL_DEPTH);
        return FC_FCX_E_INPUT;
    }

    uint8_t *bc = malloc((size_t)p->ninsns * FC_INSN_SIZE);
    if (!bc)
        return FC_FCX_E_NOMEM;
    for (uint32_t i = 0; i < p->ninsns; i++)
        fc_insn_encode(p->insns[i], bc + (size_t)i * FC_INSN_SIZE);
    if ((e = add_sect(w, FC_FCX_SECT_BYTECODE, 0, 0, 0, bc, p->ninsns * FC_INSN_SIZE)))
        return e;

    if ((e = entry_bytes(in, d, &eb, &nent)))
        return e;
    if ((e = add_sect(w, FC_FCX_SECT_ENTRIES, 0, 0, 0, eb, nent * FC_FCX_ENTRY_SIZE)))
        return e;

    if ((e = helper_list(in, d, &h, &nh)))
        return e;
    if (nh) {
        uint8_t *hb = malloc(nh * 4u);
        if (!hb) {
            free(h);
            return FC_FCX_E_NOMEM;
        }
        for (uint32_t k = 0; k < nh; k++)
            fc_put_le32(hb + 4u * k, h[k]);
        if ((e = add_sect(w, FC_FCX_SECT_HELPERS, 0, 0, 0, hb, nh * 4u))) {
            free(h);
            return e;
        }
    }
    free(h);

    if (p->rodata_len &&
        (e = add_sect(w, FC_FCX_SECT_RODATA, 0, 0, 0, dup_bytes(p->rodata, p->rodata_len), p->rodata_len)))
        return e;
    if (p->data_len &&
        (e = add_sect(w, FC_FCX_SECT_DATA, 0, 0, 0, dup_bytes(p->data, p->data_len), p->data_len)))
        return e;
    if (p->bss_len && (e = add_sect(w, FC_FCX_SECT_BSS, 0, 0, p->bss_len, NULL, 0)))
        return e;
    for (uint32_t i = 0; i < w->n; i++)
        if (w->s[i].type != FC_FCX_SECT_BSS && !w->s[i].bytes)
            return FC_FCX_E_NOMEM;

    *targets = 1u << FC_TARGET_EBPF;
    for (uint32_t k = 0; k < in->ncode; k++) {
        const fc_fcx_code *c = &in->code[k];
        if (c->target < FC_TARGET__COUNT && (*targets & (1u << c->target))) {
            ERR(d, -1, "two code sections for %s", fc_fcx_target_name(c->target));
            return FC_FCX_E_INPUT;
        }
        if ((e = add_code(w, c, nent, p->ninsns)))
            return e;
        *targets |= (uint16_t)(1u << c->target);
    }
    if (in->lines && (e = add_lines(w, p)))
        return e;
    return FC_FCX_OK;
}

int fc_fcx_ctx_writes(const fc_prog *p, const fc_insn_info *info)
{
    if (!p || !info)
        return 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        unsigned cls = FC_CLASS(p->insns[i].op);
        if (is_lddw(&p->insns[i])) {
            i++;
            continue;
        }
        if ((cls == FC_CLS_ST || cls == FC_CLS_STX) && info[i].access == FC_ACC_PROVEN &&
            (info[i].region_hint == FC_REGION_CTX || info[i].region_hint == 0xff))
            return 1;
    }
    return 0;
}

/* Sound, and simple on purpose: bytes at the bottom of a frame are known
 * untouched only when every memory access of the program is PROVEN (so it
 * lies inside the region the analysis named: a checked access could reach
 * any stack byte), no helper is called (a helper may read the whole stack
 * region it is given), and there is one frame (no callee that reaches into
 * its caller's frame). Then every stack access is inside
 * [r10 - stack_bytes, r10), stack_bytes being the verifier's deepest one. */
uint32_t fc_fcx_stack_untouched(const fc_prog *p, const fc_insn_info *info,
                                const fc_vfy_stats *st)
{
    uint32_t use;

    if (!p || !info || !st || st->max_call_depth > 1 || st->stack_bytes > FC_STACK_SIZE)
        return 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const fc_insn *x = &p->insns[i];
        unsigned cls = FC_CLASS(x->op);
        if (is_lddw(x)) {
            i++;
            continue;
        }
        if ((cls == FC_CLS_LDX || cls == FC_CLS_ST || cls == FC_CLS_STX || cls == FC_CLS_LD) &&
            info[i].access != FC_ACC_PROVEN)
            return 0;
        if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && FC_OPCODE_OP(x->op) == FC_JMP_CALL)
            return 0;   /* helper, callx or local call */
    }
    use = (st->stack_bytes + 7u) & ~7u;
    return FC_STACK_SIZE - use;
}

void fc_fcx_payload_hash(const uint8_t *buf, uint32_t image_size, uint8_t out[32])
{
    static const uint8_t zero[32];
    fc_sha256_ctx c;
    fc_sha256_init(&c);
    fc_sha256_update(&c, buf, FC_FCX_H_SHA256);
    fc_sha256_update(&c, zero, 32);
    fc_sha256_update(&c, buf + FC_FCX_HDR_SIZE, image_size - FC_FCX_HDR_SIZE);
    fc_sha256_final(&c, out);
}

int fc_fcx_rehash(uint8_t *buf, size_t len)
{
    fc_fcx_header h;
    if (len > UINT32_MAX || !fc_fcx_read_header(buf, (uint32_t)len, &h) ||
        h.image_size < FC_FCX_HDR_SIZE || h.image_size > len)
        return -1;
    fc_fcx_payload_hash(buf, h.image_size, buf + FC_FCX_H_SHA256);
    return 0;
}

int fc_fcx_write(const fc_fcx_input *in, uint8_t *buf, size_t cap, size_t *len, fc_diags *d)
{
    wstate w = {.n = 0, .d = d};
    uint16_t targets = 0;
    uint32_t frames = 0;
    int e;

    if (len)
        *len = 0;
    if (!in || !len) {
        ERR(d, -1, "no input");
        return FC_FCX_E_INPUT;
    }
    if (in->flags & ~FC_FCX_F_KNOWN) {
        ERR(d, -1, "unknown header flags 0x%x", in->flags & ~FC_FCX_F_KNOWN);
        return FC_FCX_E_INPUT;
    }
    if (in->ctx_min > FC_FCX_MAX_CTX || (in->ctx_flags & ~FC_FCX_CTX_KNOWN)) {
        ERR(d, -1, "context requirement %u bytes (at most %u) or unknown context flags 0x%x",
            in->ctx_min, FC_FCX_MAX_CTX, in->ctx_flags & ~FC_FCX_CTX_KNOWN);
        return FC_FCX_E_INPUT;
    }
    if (in->stack_untouched > FC_STACK_SIZE || (in->stack_untouched & 7u)) {
        ERR(d, -1, "stack_untouched %u: above %u or not a multiple of 8", in->stack_untouched,
            FC_STACK_SIZE);
        return FC_FCX_E_INPUT;
    }
    if ((e = plan_sections(in, &w, &targets, &frames))) {
        free_sects(&w);
        return e;
    }

    uint64_t off = FC_FCX_HDR_SIZE + (uint64_t)w.n * FC_FCX_SECT_SIZE;
    for (uint32_t i = 0; i < w.n; i++) {
        if (w.s[i].type == FC_FCX_SECT_BSS)
            continue;
        off = (off + 7u) & ~(uint64_t)7u;
        w.s[i].offset = (uint32_t)off;
        off += w.s[i].size;
    }
    off = (off + 7u) & ~(uint64_t)7u;
    if (off > FC_FCX_MAX_IMAGE) {
        ERR(d, -1, "container of %llu bytes, at most %u", (unsigned long long)off, FC_FCX_MAX_IMAGE);
        free_sects(&w);
        return FC_FCX_E_INPUT;
    }
    *len = (size_t)off;
    if (!buf || cap < off) {
        free_sects(&w);
        return FC_FCX_E_SPACE;
    }

    memset(buf, 0, (size_t)off);
    buf[0] = FC_FCX_MAGIC0;
    buf[1] = FC_FCX_MAGIC1;
    buf[2] = FC_FCX_MAGIC2;
    buf[3] = FC_FCX_MAGIC3;
    fc_put_le16(buf + FC_FCX_H_MAJOR, FC_FCX_VERSION_MAJOR);
    fc_put_le16(buf + FC_FCX_H_MINOR, FC_FCX_VERSION_MINOR);
    fc_put_le32(buf + FC_FCX_H_FLAGS, in->flags);
    fc_put_le32(buf + FC_FCX_H_IMAGE_SIZE, (uint32_t)off);
    fc_put_le16(buf + FC_FCX_H_HEADER_SIZE, FC_FCX_HDR_SIZE);
    fc_put_le16(buf + FC_FCX_H_NSECT, (uint16_t)w.n);
    fc_put_le32(buf + FC_FCX_H_SECT_OFF, FC_FCX_HDR_SIZE);
    fc_put_le16(buf + FC_FCX_H_TARGETS, targets);
    fc_put_le16(buf + FC_FCX_H_FRAMES, (uint16_t)frames);
    fc_put_le32(buf + FC_FCX_H_BUDGET, in->budget);
    fc_put_le32(buf + FC_FCX_H_CTX_MIN, in->ctx_min);
    fc_put_le32(buf + FC_FCX_H_CTX_FLAGS, in->ctx_flags);
    fc_put_le32(buf + FC_FCX_H_STACK_UNTOUCHED, in->stack_untouched);
    for (uint32_t i = 0; i < w.n; i++) {
        uint8_t *t = buf + FC_FCX_HDR_SIZE + i * FC_FCX_SECT_SIZE;
        const wsect *s = &w.s[i];
        fc_put_le16(t + FC_FCX_S_TYPE, s->type);
        fc_put_le16(t + FC_FCX_S_FLAGS, s->flags);
        t[FC_FCX_S_TARGET] = s->target;
        fc_put_le16(t + FC_FCX_S_LINK, s->link);
        fc_put_le32(t + FC_FCX_S_OFFSET, s->type == FC_FCX_SECT_BSS ? 0 : s->offset);
        fc_put_le32(t + FC_FCX_S_SIZE, s->size);
        fc_put_le32(t + FC_FCX_S_INFO, s->info);
        if (s->size)
            memcpy(buf + s->offset, s->bytes, s->size);
    }
    fc_fcx_payload_hash(buf, (uint32_t)off, buf + FC_FCX_H_SHA256);
    free_sects(&w);
    return FC_FCX_OK;
}

int fc_fcx_write_alloc(const fc_fcx_input *in, uint8_t **out, size_t *len, fc_diags *d)
{
    size_t need = 0;
    int e;

    if (!out || !len) {
        ERR(d, -1, "no output");
        return FC_FCX_E_INPUT;
    }
    *out = NULL;
    e = fc_fcx_write(in, NULL, 0, &need, d);
    if (e != FC_FCX_E_SPACE) {
        *len = 0;
        return e;
    }
    uint8_t *b = malloc(need);
    if (!b)
        return FC_FCX_E_NOMEM;
    e = fc_fcx_write(in, b, need, len, d);
    if (e != FC_FCX_OK) {
        free(b);
        return e;
    }
    *out = b;
    return FC_FCX_OK;
}

/* ---- line table and pc map readers ------------------------------------------ */
int fc_fcx_lines_find(const uint8_t *b, size_t len, fc_fcx_lines *t, const char **why)
{
    fc_fcx_header h;
    fc_fcx_section s;
    const char *dummy;

    if (!why)
        why = &dummy;
    *why = NULL;
    memset(t, 0, sizeof *t);
    if (len > UINT32_MAX || !fc_fcx_read_header(b, (uint32_t)len, &h))
        return 0;
    for (uint32_t i = 0; i < h.nsect && i < FC_FCX_MAX_SECTIONS; i++) {
        if (!fc_fcx_read_section(b, (uint32_t)len, h.sect_off + i * FC_FCX_SECT_SIZE, &s))
            return 0;
        if (s.type != FC_FCX_SECT_LINES)
            continue;
        if (!fc_in_bounds((uint32_t)len, s.offset, s.size) || s.size < FC_FCX_LINE_HDR) {
            *why = "line table outside the file or shorter than its header";
            return -1;
        }
        const uint8_t *p = b + s.offset;
        uint32_t nrec = fc_le32(p), nfiles = fc_le32(p + 4);
        if (nrec == 0 || nfiles == 0 || nfiles > 0xffffu ||
            (uint64_t)nrec * FC_FCX_LINE_REC_SIZE > s.size - FC_FCX_LINE_HDR) {
            *why = "line table: record or file count out of range";
            return -1;
        }
        uint32_t names_off = FC_FCX_LINE_HDR + nrec * FC_FCX_LINE_REC_SIZE;
        uint32_t nl = s.size - names_off, seen = 0;
        for (uint32_t k = 0; k < nl && seen < nfiles; k++)
            if (p[names_off + k] == 0)
                seen++;
        if (seen < nfiles) {
            *why = "line table: fewer file names than its file count";
            return -1;
        }
        for (uint32_t k = 0; k < nrec; k++) {
            const uint8_t *q = p + FC_FCX_LINE_HDR + k * FC_FCX_LINE_REC_SIZE;
            if (fc_le16(q + 10) >= nfiles ||
                (k && fc_le32(q) <= fc_le32(q - FC_FCX_LINE_REC_SIZE))) {
                *why = "line table: a record names no file or is out of order";
                return -1;
            }
        }
        t->recs = p + FC_FCX_LINE_HDR;
        t->nrecs = nrec;
        t->names = (const char *)p + names_off;
        t->nfiles = nfiles;
        t->names_len = nl;
        return 1;
    }
    return 0;
}

const char *fc_fcx_line_file(const fc_fcx_lines *t, uint32_t f)
{
    const char *s = t->names;
    for (uint32_t k = 0; k < f; k++)
        s += strlen(s) + 1;
    return s;
}

int fc_fcx_line_of(const fc_fcx_lines *t, uint32_t insn, const char **file, uint32_t *line,
                   uint32_t *col)
{
    if (!t || !t->recs || !t->nrecs)
        return 0;
    uint32_t lo = 0, hi = t->nrecs; /* the last record with insn <= the one asked */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (fc_le32(t->recs + mid * FC_FCX_LINE_REC_SIZE) <= insn)
            lo = mid;
        else
            hi = mid;
    }
    const uint8_t *q = t->recs + lo * FC_FCX_LINE_REC_SIZE;
    if (fc_le32(q) > insn || fc_le32(q + 4) == 0)
        return 0;
    *file = fc_fcx_line_file(t, fc_le16(q + 10));
    *line = fc_le32(q + 4);
    if (col)
        *col = fc_le16(q + 8);
    return 1;
}

int fc_fcx_lines_to_prog(const uint8_t *buf, size_t len, fc_prog *p)
{
    fc_fcx_lines t;
    if (fc_fcx_lines_find(buf, len, &t, NULL) != 1)
        return -1;
    fc_line *lines = calloc(t.nrecs, sizeof *lines);
    const char **files = calloc(t.nfiles, sizeof *files);
    char *names = malloc(t.names_len ? t.names_len : 1);
    if (!lines || !files || !names) {
        free(lines);
        free(files);
        free(names);
        return -1;
    }
    memcpy(names, t.names, t.names_len);
    for (uint32_t f = 0, at = 0; f < t.nfiles; f++) {
        files[f] = names + at;
        at += (uint32_t)strlen(names + at) + 1;
    }
    for (uint32_t k = 0; k < t.nrecs; k++) {
        const uint8_t *q = t.recs + k * FC_FCX_LINE_REC_SIZE;
        lines[k] = (fc_line){fc_le32(q), fc_le32(q + 4), fc_le16(q + 8), fc_le16(q + 10)};
    }
    p->lines = lines;
    p->nlines = t.nrecs;
    p->files = files;
    p->nfiles = t.nfiles;
    return 0;
}

void fc_fcx_lines_free(fc_prog *p)
{
    if (p->files && p->nfiles)
        free((void *)p->files[0]);
    free((void *)p->files);
    free(p->lines);
    p->files = NULL;
    p->lines = NULL;
    p->nfiles = p->nlines = 0;
}

int fc_fcx_pc_insn(const uint8_t *b, size_t len, unsigned target, uint32_t off, uint32_t *insn)
{
    fc_fcx_header h;
    fc_fcx_section s, c;
    if (len > UINT32_MAX || !fc_fcx_read_header(b, (uint32_t)len, &h))
        return 0;
    for (uint32_t i = 0; i < h.nsect && i < FC_FCX_MAX_SECTIONS; i++) {
        if (!fc_fcx_read_section(b, (uint32_t)len, h.sect_off + i * FC_FCX_SECT_SIZE, &s))
            return 0;
        if (s.type != FC_FCX_SECT_PCMAP || s.link >= h.nsect ||
            !fc_fcx_read_section(b, (uint32_t)len, h.sect_off + s.link * FC_FCX_SECT_SIZE, &c) ||
            c.type != FC_FCX_SECT_CODE || c.target != target ||
            !fc_in_bounds((uint32_t)len, s.offset, s.size) || off >= c.size)
            continue;
        const uint8_t *p = b + s.offset;
        int found = 0;
        for (uint32_t k = 0; k + FC_FCX_PCMAP_SIZE <= s.size; k += FC_FCX_PCMAP_SIZE)
            if (fc_le32(p + k) <= off) {
                *insn = fc_le32(p + k + 4);
                found = 1;
            }
        return found;
    }
    return 0;
}
