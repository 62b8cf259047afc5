/*
 * fc_elf.c - eBPF relocatable objects -> one flat fc_prog (see fc_elf.h).
 *
 * ELF facts used (System V gABI; the eBPF psABI notes of LLVM and the Linux
 * kernel's Documentation/bpf/llvm_reloc.rst):
 *   - eBPF objects are ELFCLASS64, e_machine EM_BPF (247), little-endian for
 *     `-target bpf` on a little-endian host (bpfel);
 *   - relocation sections are SHT_REL (implicit addends) named .rel<section>;
 *   - R_BPF_64_64 (1) sits on the first slot of an lddw; the addend is the
 *     lddw's 32-bit immediate; the address is symbol value + addend;
 *   - R_BPF_64_32 (10) sits on a call; the target instruction is
 *     (symbol value + (imm + 1) * 8) / 8 in the symbol's section (clang writes
 *     imm = -1 against function symbols, imm = target - 1 against section
 *     symbols);
 *   - calls to static functions of the same section are already resolved by
 *     clang: src = 1, imm = target - (pc + 1), no relocation.
 *
 * BTF.ext line_info layout (Linux Documentation/bpf/btf.rst, section 4.2):
 *
 *   .BTF     : u16 magic 0xeB9F | u8 version | u8 flags | u32 hdr_len |
 *              u32 type_off | u32 type_len | u32 str_off | u32 str_len
 *              strings at hdr_len + str_off
 *   .BTF.ext : u16 magic | u8 version | u8 flags | u32 hdr_len |
 *              u32 func_info_off | u32 func_info_len |
 *              u32 line_info_off | u32 line_info_len   (offsets after hdr_len)
 *   line_info: u32 rec_size, then per section:
 *              u32 sec_name_off | u32 num_info | num_info records of
 *              { u32 insn_off (bytes) | u32 file_name_off | u32 line_off |
 *                u32 line_col (line << 10 | column) }
 *
 * Everything read from the file is bounds-checked here before libelf or this
 * code dereferences it; sizes are capped (fc_elf.h) so a hostile header can
 * not make us allocate without limit.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_elf.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#ifndef R_BPF_64_64
#define R_BPF_NONE  0
#define R_BPF_64_64 1
#define R_BPF_64_32 10
#endif

#define OP_LDDW 0x18u
#define OP_CALL 0x85u

enum { SK_OTHER = 0, SK_CODE, SK_RODATA, SK_DATA, SK_BSS };

/* per-slot flags of a code section */
#define SL_SLOT2 1u   /* second slot of an lddw */
#define SL_START 2u   /* a function starts here */

typedef struct esect {
    const char *name;
    GElf_Shdr sh;
    int kind;
    const uint8_t *bytes;   /* in-file contents (NULL for NOBITS) */
    uint64_t size;
    uint32_t image_off;     /* offset inside the merged image (data kinds) */
    /* code sections */
    fc_insn *insns;
    uint32_t n;
    uint8_t *fl;            /* SL_* per slot */
    uint32_t *rel;          /* per slot: 0, or 1 + index into ctx.rels */
    uint32_t *cid;          /* per slot: chunk id */
} esect;

typedef struct erel {
    uint64_t off;
    uint32_t type;
    uint32_t sym;
} erel;

typedef struct esym {
    const char *name;
    uint64_t value;
    uint32_t shndx;
    uint8_t type, bind;
} esym;

typedef struct chunk {
    uint32_t sect, start, end;  /* slots [start, end) of section sect */
    int64_t out;                /* index in the flat program, -1 = not linked */
} chunk;

typedef struct ctx {
    fc_diags *d;
    const char *obj;
    uint8_t *img;
    size_t len;
    Elf *elf;
    size_t nsect;
    esect *s;
    esym *syms;
    size_t nsyms;
    size_t symtab;          /* section index of .symtab, 0 = none */
    erel *rels;
    size_t nrels;
    chunk *chunks;
    size_t nchunks;
    uint32_t *queue;
    size_t total_insns;
} ctx;

static int fail(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ctx *c, const char *fmt, ...)
{
    char buf[192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fc_diag_add(c->d, FC_SEV_ERROR, -1, "%s", buf);
    return -1;
}

static void warn(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(ctx *c, const char *fmt, ...)
{
    char buf[192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fc_diag_add(c->d, FC_SEV_WARNING, -1, "%s", buf);
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static uint64_t rd64(const uint8_t *p) { return rd32(p) | ((uint64_t)rd32(p + 4) << 32); }

static int has_prefix(const char *s, const char *p)
{
    size_t n = strlen(p);
    return strncmp(s, p, n) == 0 && (s[n] == '\0' || s[n] == '.');
}

static const char *kind_name(int k)
{
    switch (k) {
    case SK_RODATA: return "rodata";
    case SK_DATA: return "data";
    case SK_BSS: return "bss";
    case SK_CODE: return "code";
    }
    return "other";
}

/* ---- the ELF header, checked by hand before libelf sees the image ------- */
static int check_header(ctx *c)
{
    const uint8_t *h = c->img;

    if (c->len < 64)
        return fail(c, "not an ELF object: file too short (%zu bytes)", c->len);
    if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F')
        return fail(c, "not an ELF object (bad magic)");
    if (h[4] != ELFCLASS64)
        return fail(c, "not a 64-bit ELF object (eBPF objects are ELFCLASS64)");
    if (h[5] == ELFDATA2MSB)
        return fail(c, "big-endian eBPF object (bpfeb) is not supported; compile with -target bpfel or bpf");
    if (h[5] != ELFDATA2LSB)
        return fail(c, "bad ELF data encoding %u", h[5]);
    if (rd16(h + 18) != EM_BPF)
        return fail(c, "not an eBPF object: ELF machine %u (expected EM_BPF, 247)", rd16(h + 18));
    if (rd16(h + 16) != ET_REL)
        return fail(c, "not a relocatable object (ELF type %u); give femtoc the output of clang -c",
                    rd16(h + 16));
    uint64_t shoff = rd64(h + 40);
    unsigned shentsize = rd16(h + 58);
    if (shoff == 0)
        return fail(c, "object has no section header table");
    if (shentsize != 64)
        return fail(c, "bad section header size %u (expected 64)", shentsize);
    if (shoff > c->len || c->len - shoff < 64)
        return fail(c, "truncated object: section header table at offset %llu is past the end (%zu bytes)",
                    (unsigned long long)shoff, c->len);
    /* e_shnum, or (extended numbering) the size field of section header 0 */
    uint64_t shnum = rd16(h + 60) ? rd16(h + 60) : rd64(c->img + shoff + 32);
    if (shnum == 0)
        return fail(c, "object has no sections");
    if ((c->len - shoff) / 64 < shnum)
        return fail(c, "truncated object: %llu section headers do not fit in the file",
                    (unsigned long long)shnum);
    return 0;
}

/* ---- sections -------------------------------------------------------- */
typedef struct range { uint64_t off, size; size_t idx; } range;

static int range_cmp(const void *a, const void *b)
{
    const range *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx; /* sections before the ELF headers */
}

static int read_sections(ctx *c)
{
    size_t shnum, shstrndx;

    if (elf_getshdrnum(c->elf, &shnum) != 0)
        return fail(c, "cannot read the section count: %s", elf_errmsg(-1));
    if (shnum == 0)
        return fail(c, "object has no sections");
    if (shnum > FC_ELF_MAX_SECTIONS)
        return fail(c, "too many sections (%zu)", shnum);
    uint64_t shoff = rd64(c->img + 40);
    if ((c->len - shoff) / 64 < shnum)
        return fail(c, "truncated object: %zu section headers do not fit in the file", shnum);
    if (elf_getshdrstrndx(c->elf, &shstrndx) != 0 || shstrndx >= shnum)
        return fail(c, "bad section name table index");

    c->nsect = shnum;
    c->s = calloc(shnum, sizeof *c->s);
    range *rg = calloc(shnum + 2, sizeof *rg);
    if (!c->s || !rg) {
        free(rg);
        return fail(c, "out of memory");
    }
    size_t nrg = 0;
    rg[nrg++] = (range){0, 64, (size_t)-1};                 /* ELF header */
    rg[nrg++] = (range){shoff, (uint64_t)shnum * 64, (size_t)-2}; /* header table */

    for (size_t i = 1; i < shnum; i++) {
        esect *s = &c->s[i];
        Elf_Scn *scn = elf_getscn(c->elf, i);
        if (!scn || !gelf_getshdr(scn, &s->sh)) {
            free(rg);
            return fail(c, "cannot read section header %zu: %s", i, elf_errmsg(-1));
        }
        s->name = elf_strptr(c->elf, shstrndx, s->sh.sh_name);
        if (!s->name) {
            free(rg);
            return fail(c, "section %zu has a bad name offset", i);
        }
        s->size = s->sh.sh_size;
        if (s->sh.sh_addralign & (s->sh.sh_addralign - 1)) {
            free(rg);
            return fail(c, "section '%s' has an invalid alignment %llu (not a power of two)",
                        s->name, (unsigned long long)s->sh.sh_addralign);
        }
        if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_type != SHT_NULL && s->size > 0) {
            if (s->sh.sh_offset > c->len || s->size > c->len - s->sh.sh_offset) {
                free(rg);
                return fail(c, "truncated object: section '%s' (offset %llu, size %llu) extends past the end of the file (%zu bytes)",
                            s->name, (unsigned long long)s->sh.sh_offset,
                            (unsigned long long)s->size, c->len);
            }
            s->bytes = c->img + s->sh.sh_offset;
            rg[nrg++] = (range){s->sh.sh_offset, s->size, i};
        }
        if (s->sh.sh_type == SHT_PROGBITS && (s->sh.sh_flags & SHF_EXECINSTR))
            s->kind = SK_CODE;
        else if (s->sh.sh_type == SHT_PROGBITS && has_prefix(s->name, ".rodata"))
            s->kind = SK_RODATA;
        else if (s->sh.sh_type == SHT_PROGBITS && has_prefix(s->name, ".data"))
            s->kind = SK_DATA;
        else if (s->sh.sh_type == SHT_NOBITS && has_prefix(s->name, ".bss"))
            s->kind = SK_BSS;
        else if (s->sh.sh_type == SHT_NOBITS &&
                 (has_prefix(s->name, ".data") || has_prefix(s->name, ".rodata")))
            s->kind = SK_BSS; /* zero-initialised data placed in NOBITS */
        if (s->sh.sh_type == SHT_SYMTAB) {
            if (c->symtab) {
                free(rg);
                return fail(c, "more than one symbol table");
            }
            c->symtab = i;
        }
        if ((s->kind == SK_RODATA || s->kind == SK_DATA || s->kind == SK_BSS) &&
            s->size > FC_ELF_MAX_IMAGE) {
            free(rg);
            return fail(c, "section '%s' is too large (%llu bytes; limit %u)", s->name,
                        (unsigned long long)s->size, FC_ELF_MAX_IMAGE);
        }
    }

    /* No two parts of the file may overlap (a crafted object could make a
     * relocation table alias the code it patches). */
    qsort(rg, nrg, sizeof *rg, range_cmp);
    for (size_t k = 1; k < nrg; k++) {
        if (rg[k - 1].off + rg[k - 1].size > rg[k].off) {
            const char *a = rg[k - 1].idx >= c->nsect ? "ELF headers" : c->s[rg[k - 1].idx].name;
            const char *b = rg[k].idx >= c->nsect ? "ELF headers" : c->s[rg[k].idx].name;
            free(rg);
            return fail(c, "malformed object: '%s' and '%s' overlap in the file", a, b);
        }
    }
    free(rg);
    return 0;
}

/* ---- code sections: decode, lddw second slots --------------------------- */
static int read_code(ctx *c)
{
    for (size_t i = 1; i < c->nsect; i++) {
        esect *s = &c->s[i];
        if (s->kind != SK_CODE || s->size == 0)
            continue;
        if (s->size % 8)
            return fail(c, "code section '%s' has a size of %llu bytes, not a multiple of 8",
                        s->name, (unsigned long long)s->size);
        if (s->size / 8 > FC_ELF_MAX_INSNS - c->total_insns)
            return fail(c, "too much code (more than %u instructions)", FC_ELF_MAX_INSNS);
        s->n = (uint32_t)(s->size / 8);
        c->total_insns += s->n;
        s->insns = malloc(s->n * sizeof *s->insns);
        s->fl = calloc(s->n, 1);
        s->rel = calloc(s->n, sizeof *s->rel);
        s->cid = calloc(s->n, sizeof *s->cid);
        if (!s->insns || !s->fl || !s->rel || !s->cid)
            return fail(c, "out of memory");
        for (uint32_t k = 0; k < s->n; k++)
            s->insns[k] = fc_insn_decode(s->bytes + 8u * k);
        for (uint32_t k = 0; k < s->n; k++) {
            if (s->insns[k].op == OP_LDDW && k + 1 < s->n) {
                s->fl[k + 1] |= SL_SLOT2;
                k++;
            }
        }
    }
    return 0;
}

/* ---- symbols --------------------------------------------------------- */
static int read_symbols(ctx *c)
{
    if (!c->symtab)
        return 0;
    esect *st = &c->s[c->symtab];
    if (st->sh.sh_entsize != sizeof(Elf64_Sym))
        return fail(c, "symbol table has entry size %llu (expected %zu)",
                    (unsigned long long)st->sh.sh_entsize, sizeof(Elf64_Sym));
    if (st->sh.sh_link == 0 || st->sh.sh_link >= c->nsect ||
        c->s[st->sh.sh_link].sh.sh_type != SHT_STRTAB)
        return fail(c, "symbol table links to a bad string table (section %u)", st->sh.sh_link);
    Elf_Data *data = elf_getdata(elf_getscn(c->elf, c->symtab), NULL);
    if (!data)
        return fail(c, "cannot read the symbol table: %s", elf_errmsg(-1));
    size_t n = data->d_size / sizeof(Elf64_Sym);
    c->syms = calloc(n ? n : 1, sizeof *c->syms);
    if (!c->syms)
        return fail(c, "out of memory");
    c->nsyms = n;
    for (size_t i = 0; i < n; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym))
            return fail(c, "cannot read symbol %zu", i);
        esym *e = &c->syms[i];
        e->name = elf_strptr(c->elf, st->sh.sh_link, sym.st_name);
        if (!e->name)
            return fail(c, "symbol %zu has a bad name offset", i);
        e->value = sym.st_value;
        e->shndx = sym.st_shndx;
        e->type = (uint8_t)GELF_ST_TYPE(sym.st_info);
        e->bind = (uint8_t)GELF_ST_BIND(sym.st_info);
        if (e->shndx == SHN_XINDEX)
            return fail(c, "symbol '%s' uses extended section indices (not supported)", e->name);
        if (e->shndx != SHN_UNDEF && e->shndx < SHN_LORESERVE && e->shndx >= c->nsect)
            return fail(c, "symbol '%s' has a bad section index %u", e->name, e->shndx);
        if (e->type == STT_FUNC && e->shndx > 0 && e->shndx < c->nsect &&
            c->s[e->shndx].kind == SK_CODE) {
            esect *s = &c->s[e->shndx];
            if (s->n && (e->value % 8 || e->value / 8 >= s->n))
                return fail(c, "function '%s' lies outside its section '%s' (offset %llu)",
                            e->name, s->name, (unsigned long long)e->value);
        }
    }
    return 0;
}

/* ---- relocations ------------------------------------------------------- */
static int read_relocs(ctx *c)
{
    size_t total = 0;

    for (size_t i = 1; i < c->nsect; i++) {
        esect *r = &c->s[i];
        if (r->sh.sh_type != SHT_REL && r->sh.sh_type != SHT_RELA)
            continue;
        if (r->sh.sh_info == 0 || r->sh.sh_info >= c->nsect)
            continue; /* not tied to a section we load */
        esect *t = &c->s[r->sh.sh_info];
        if (t->kind == SK_RODATA || t->kind == SK_DATA) {
            if (r->size)
                return fail(c, "section '%s' holds addresses (a table of function pointers, or a pointer "
                            "in initialised data): indirect calls are not supported, and data cannot hold "
                            "pointers (call the functions directly, e.g. through a switch)", t->name);
            continue;
        }
        if (t->kind != SK_CODE)
            continue; /* debug info, BTF: ignored */
        if (r->sh.sh_type == SHT_RELA)
            return fail(c, "relocation section '%s' uses RELA entries (eBPF objects use REL)", r->name);
        if (r->sh.sh_entsize != sizeof(Elf64_Rel))
            return fail(c, "relocation section '%s' has entry size %llu", r->name,
                        (unsigned long long)r->sh.sh_entsize);
        if (r->sh.sh_link != c->symtab || !c->symtab)
            return fail(c, "relocation section '%s' does not use the symbol table", r->name);
        total += r->size / sizeof(Elf64_Rel);
    }
    if (total > c->total_insns + 1)
        return fail(c, "more relocations (%zu) than instructions", total);
    c->rels = calloc(total ? total : 1, sizeof *c->rels);
    if (!c->rels)
        return fail(c, "out of memory");

    for (size_t i = 1; i < c->nsect; i++) {
        esect *r = &c->s[i];
        if (r->sh.sh_type != SHT_REL || r->sh.sh_info == 0 || r->sh.sh_info >= c->nsect)
            continue;
        esect *t = &c->s[r->sh.sh_info];
        if (t->kind != SK_CODE)
            continue;
        Elf_Data *data = elf_getdata(elf_getscn(c->elf, i), NULL);
        if (!data)
            return fail(c, "cannot read relocation section '%s': %s", r->name, elf_errmsg(-1));
        size_t n = data->d_size / sizeof(Elf64_Rel);
        for (size_t k = 0; k < n && c->nrels < total; k++) {
            GElf_Rel rel;
            if (!gelf_getrel(data, (int)k, &rel))
                return fail(c, "cannot read relocation %zu of '%s'", k, r->name);
            uint32_t type = (uint32_t)GELF_R_TYPE(rel.r_info);
            uint64_t symi = GELF_R_SYM(rel.r_info);
            uint64_t off = rel.r_offset;
            if (type == R_BPF_NONE)
                continue;
            if (off % 8)
                return fail(c, "relocation at %s+0x%llx is not on an instruction boundary",
                            t->name, (unsigned long long)off);
            if (off / 8 >= t->n)
                return fail(c, "relocation at %s+0x%llx is outside the section (%u instructions)",
                            t->name, (unsigned long long)off, t->n);
            if (symi == 0 || symi >= c->nsyms)
                return fail(c, "relocation at %s+0x%llx names a bad symbol index %llu",
                            t->name, (unsigned long long)off, (unsigned long long)symi);
            uint32_t slot = (uint32_t)(off / 8);
            const fc_insn *in = &t->insns[slot];
            if (t->fl[slot] & SL_SLOT2)
                return fail(c, "relocation at %s+%u points into the second half of an lddw",
                            t->name, slot);
            if (type == R_BPF_64_64) {
                if (in->op != OP_LDDW || slot + 1 >= t->n)
                    return fail(c, "R_BPF_64_64 relocation at %s+%u is not on an lddw instruction",
                                t->name, slot);
            } else if (type == R_BPF_64_32) {
                if (in->op != OP_CALL)
                    return fail(c, "R_BPF_64_32 relocation at %s+%u is not on a call instruction",
                                t->name, slot);
            } else {
                return fail(c, "unsupported relocation type %u at %s+%u", type, t->name, slot);
            }
            if (t->rel[slot])
                return fail(c, "two relocations at %s+%u", t->name, slot);
            c->rels[c->nrels] = (erel){off, type, (uint32_t)symi};
            t->rel[slot] = (uint32_t)(++c->nrels);
        }
    }
    return 0;
}

/* ---- call targets --------------------------------------------------------
 * Resolve the call at (sect, slot): 1 = local call with target (*ts, *tslot),
 * 0 = helper call, -1 = error (reported only when `report`). */
static int call_target(ctx *c, uint32_t sect, uint32_t slot, int report,
                       uint32_t *ts, uint32_t *tslot)
{
    esect *s = &c->s[sect];
    const fc_insn *in = &s->insns[slot];

    if (s->rel[slot]) {
        const erel *r = &c->rels[s->rel[slot] - 1];
        const esym *y = &c->syms[r->sym];
        if (r->type != R_BPF_64_32)
            return report ? fail(c, "relocation on call at %s+%u has the wrong type", s->name, slot) : -1;
        if (y->shndx == SHN_UNDEF)
            return report ? fail(c, "call to undefined function '%s' at %s+%u (external functions are not supported; helpers are called by number)",
                                 y->name, s->name, slot) : -1;
        if (y->shndx >= c->nsect || c->s[y->shndx].kind != SK_CODE || c->s[y->shndx].n == 0)
            return report ? fail(c, "call at %s+%u targets '%s', which is not code", s->name, slot,
                                 y->name) : -1;
        esect *t = &c->s[y->shndx];
        /* target byte = value + (imm + 1) * 8 */
        int64_t tb = (int64_t)y->value + ((int64_t)in->imm + 1) * 8;
        if (y->value % 8 || y->value > (uint64_t)t->n * 8 || tb < 0 || tb >= (int64_t)t->n * 8)
            return report ? fail(c, "call at %s+%u targets outside section '%s'", s->name, slot,
                                 t->name) : -1;
        *ts = y->shndx;
        *tslot = (uint32_t)(tb / 8);
    } else if (fc_src(*in) == FC_CALL_LOCAL) {
        int64_t t = (int64_t)slot + 1 + in->imm;
        if (t < 0 || t >= s->n)
            return report ? fail(c, "local call at %s+%u targets instruction %lld, outside the section",
                                 s->name, slot, (long long)t) : -1;
        *ts = sect;
        *tslot = (uint32_t)t;
    } else {
        return 0;
    }
    if (c->s[*ts].fl[*tslot] & SL_SLOT2)
        return report ? fail(c, "call at %s+%u targets the middle of an lddw (%s+%u)", s->name,
                             slot, c->s[*ts].name, *tslot) : -1;
    return 1;
}

/* Function starts: 0, function symbols, call targets; then cut into chunks. */
static int make_chunks(ctx *c)
{
    for (size_t i = 0; i < c->nsyms; i++) {
        const esym *y = &c->syms[i];
        if (y->type != STT_FUNC || y->shndx == 0 || y->shndx >= c->nsect)
            continue;
        esect *s = &c->s[y->shndx];
        if (s->kind != SK_CODE || s->n == 0)
            continue;
        uint32_t k = (uint32_t)(y->value / 8);
        if (s->fl[k] & SL_SLOT2)
            return fail(c, "function '%s' starts in the middle of an lddw", y->name);
        s->fl[k] |= SL_START;
    }
    for (size_t i = 1; i < c->nsect; i++) {
        esect *s = &c->s[i];
        if (s->kind != SK_CODE || s->n == 0)
            continue;
        s->fl[0] |= SL_START;
        for (uint32_t k = 0; k < s->n; k++) {
            uint32_t ts, tk;
            if (s->insns[k].op == OP_CALL && !(s->fl[k] & SL_SLOT2) &&
                call_target(c, (uint32_t)i, k, 0, &ts, &tk) == 1)
                c->s[ts].fl[tk] |= SL_START;
        }
    }
    size_t n = 0;
    for (size_t i = 1; i < c->nsect; i++)
        for (uint32_t k = 0; k < c->s[i].n; k++)
            n += (c->s[i].fl[k] & SL_START) != 0;
    c->chunks = calloc(n ? n : 1, sizeof *c->chunks);
    c->queue = calloc(n ? n : 1, sizeof *c->queue);
    if (!c->chunks || !c->queue)
        return fail(c, "out of memory");
    for (size_t i = 1; i < c->nsect; i++) {
        esect *s = &c->s[i];
        for (uint32_t k = 0; k < s->n; k++) {
            if (s->fl[k] & SL_START) {
                /* the previous chunk of this section ends here */
                if (c->nchunks && c->chunks[c->nchunks - 1].sect == i)
                    c->chunks[c->nchunks - 1].end = k;
                c->chunks[c->nchunks++] = (chunk){(uint32_t)i, k, s->n, -1};
            }
            s->cid[k] = (uint32_t)(c->nchunks - 1);
        }
    }
    return 0;
}

/* ---- entry selection ------------------------------------------------- */
static void list_candidates(ctx *c, char *buf, size_t size, int text_funcs)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 1; i < c->nsect && !text_funcs; i++) {
        esect *s = &c->s[i];
        if (s->kind == SK_CODE && s->n && strcmp(s->name, ".text") != 0)
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s'%s'",
                                     used ? ", " : "", s->name);
        if (used >= size) break;
    }
    for (size_t i = 0; i < c->nsyms && text_funcs; i++) {
        const esym *y = &c->syms[i];
        if (y->type == STT_FUNC && y->bind == STB_GLOBAL && y->shndx > 0 && y->shndx < c->nsect &&
            c->s[y->shndx].kind == SK_CODE && strcmp(c->s[y->shndx].name, ".text") == 0)
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s'%s'",
                                     used ? ", " : "", y->name);
        if (used >= size) break;
    }
}

static int pick_entry(ctx *c, const char *entry, uint32_t *es, uint32_t *ek)
{
    char cand[160];

    if (entry) {
        int found = 0;
        for (size_t i = 0; i < c->nsyms; i++) {
            const esym *y = &c->syms[i];
            if (y->type == STT_FUNC && y->shndx > 0 && y->shndx < c->nsect &&
                c->s[y->shndx].kind == SK_CODE && c->s[y->shndx].n &&
                strcmp(y->name, entry) == 0) {
                if (found && (*es != y->shndx || *ek != y->value / 8))
                    return fail(c, "--entry %s is ambiguous (several functions of that name)", entry);
                *es = y->shndx;
                *ek = (uint32_t)(y->value / 8);
                found = 1;
            }
        }
        if (found)
            return 0;
        for (size_t i = 1; i < c->nsect; i++) {
            if (c->s[i].kind == SK_CODE && c->s[i].n && strcmp(c->s[i].name, entry) == 0) {
                *es = (uint32_t)i;
                *ek = 0;
                return 0;
            }
        }
        list_candidates(c, cand, sizeof cand, 0);
        return fail(c, "no function or code section named '%s'%s%s", entry,
                    cand[0] ? "; program sections: " : "", cand);
    }

    size_t nprog = 0, text = 0;
    for (size_t i = 1; i < c->nsect; i++) {
        if (c->s[i].kind != SK_CODE || c->s[i].n == 0)
            continue;
        if (strcmp(c->s[i].name, ".text") == 0) {
            text = i;
        } else {
            nprog++;
            *es = (uint32_t)i;
            *ek = 0;
        }
    }
    if (nprog == 1)
        return 0;
    if (nprog > 1) {
        list_candidates(c, cand, sizeof cand, 0);
        return fail(c, "several program sections (%s); choose one with --entry", cand);
    }
    if (!text)
        return fail(c, "no code in the object");
    /* Only .text: its single global function, or its start. */
    size_t nglob = 0;
    for (size_t i = 0; i < c->nsyms; i++) {
        const esym *y = &c->syms[i];
        if (y->type == STT_FUNC && y->bind == STB_GLOBAL && y->shndx == text) {
            nglob++;
            *es = (uint32_t)text;
            *ek = (uint32_t)(y->value / 8);
        }
    }
    if (nglob == 0) {
        *es = (uint32_t)text;
        *ek = 0;
        return 0;
    }
    if (nglob == 1)
        return 0;
    list_candidates(c, cand, sizeof cand, 1);
    return fail(c, "several functions in .text (%s); choose one with --entry", cand);
}

/* ---- data images --------------------------------------------------------- */
static int merge_images(ctx *c, fc_prog *p)
{
    uint64_t len[5] = {0};

    for (size_t i = 1; i < c->nsect; i++) {
        esect *s = &c->s[i];
        if (s->kind != SK_RODATA && s->kind != SK_DATA && s->kind != SK_BSS)
            continue;
        uint64_t al = s->sh.sh_addralign ? s->sh.sh_addralign : 1;
        if (al > 8)
            al = 8; /* the runtime places each image 8-aligned */
        uint64_t off = (len[s->kind] + al - 1) & ~(al - 1);
        if (off + s->size > FC_ELF_MAX_IMAGE)
            return fail(c, "%s sections together exceed %u bytes", kind_name(s->kind),
                        FC_ELF_MAX_IMAGE);
        s->image_off = (uint32_t)off;
        len[s->kind] = off + s->size;
    }
    p->rodata_len = (uint32_t)len[SK_RODATA];
    p->data_len = (uint32_t)len[SK_DATA];
    p->bss_len = (uint32_t)len[SK_BSS];
    if (p->rodata_len && !(p->rodata = calloc(p->rodata_len, 1)))
        return fail(c, "out of memory");
    if (p->data_len && !(p->data = calloc(p->data_len, 1)))
        return fail(c, "out of memory");
    for (size_t i = 1; i < c->nsect; i++) {
        esect *s = &c->s[i];
        if (s->kind == SK_RODATA && s->size)
            memcpy(p->rodata + s->image_off, s->bytes, s->size);
        else if (s->kind == SK_DATA && s->size)
            memcpy(p->data + s->image_off, s->bytes, s->size);
    }
    return 0;
}

/* ---- linking ------------------------------------------------------------- */
static const char *chunk_name(ctx *c, const chunk *k, char *buf, size_t size)
{
    const char *best = NULL;
    for (size_t i = 0; i < c->nsyms; i++) {
        const esym *y = &c->syms[i];
        if (y->type == STT_FUNC && y->shndx == k->sect && y->value == (uint64_t)k->start * 8 &&
            (!best || y->bind == STB_GLOBAL))
            best = y->name;
    }
    if (best && best[0])
        return best;
    if (k->start == 0)
        return c->s[k->sect].name;
    snprintf(buf, size, "%s+%u", c->s[k->sect].name, k->start);
    return buf;
}

/* Is insns[k] a jump (conditional or not)? Sets its target slot. */
static int jump_target(const fc_insn *in, uint32_t k, int64_t *t)
{
    unsigned cls = FC_CLASS(in->op), op = FC_OPCODE_OP(in->op);
    if (cls != FC_CLS_JMP && cls != FC_CLS_JMP32)
        return 0;
    if (op == FC_JMP_CALL || op == FC_JMP_EXIT)
        return 0;
    if (cls == FC_CLS_JMP32 && op == FC_JMP_JA)
        *t = (int64_t)k + 1 + in->imm;
    else
        *t = (int64_t)k + 1 + in->off;
    return 1;
}

/* Lay out the entry functions first, in the order asked for (entry 0 at
 * instruction 0), then every function they call. Callees therefore always
 * lie after every entry: the interpreter runs entry k as the program from
 * its instruction on (docs/fcx.md), so nothing it calls may lie before it. */
static int link_prog(ctx *c, const uint32_t *es, const uint32_t *ek, uint32_t nent, fc_prog *p)
{
    size_t qh = 0, qt = 0;
    uint64_t out = 0;
    char nb[64];

    for (uint32_t e = 0; e < nent; e++) {
        uint32_t first = c->s[es[e]].cid[ek[e]];
        if (c->chunks[first].out != -1)
            return fail(c, "entry '%s' named twice (--entry)", chunk_name(c, &c->chunks[first], nb, sizeof nb));
        c->chunks[first].out = -2; /* queued */
        c->queue[qt++] = first;
    }
    /* Breadth-first over the call graph: every reachable function once. */
    while (qh < qt) {
        chunk *k = &c->chunks[c->queue[qh++]];
        esect *s = &c->s[k->sect];
        k->out = (int64_t)out;
        out += k->end - k->start;
        for (uint32_t i = k->start; i < k->end; i++) {
            const fc_insn *in = &s->insns[i];
            int64_t t;
            if (s->fl[i] & SL_SLOT2)
                continue;
            if (in->op == OP_CALL) {
                uint32_t ts, tk;
                int r = call_target(c, k->sect, i, 1, &ts, &tk);
                if (r < 0)
                    return -1;
                if (r == 1) {
                    uint32_t id = c->s[ts].cid[tk];
                    if (c->chunks[id].out == -1) {
                        c->chunks[id].out = -2; /* queued */
                        c->queue[qt++] = id;
                    }
                }
            } else if (jump_target(in, i, &t)) {
                if (t < k->start || t >= k->end) {
                    if (t < 0 || t >= s->n)
                        return fail(c, "jump at %s+%u targets %lld, outside the section", s->name,
                                    i, (long long)t);
                    return fail(c, "jump at %s+%u leaves function '%s' (target %s+%lld)", s->name,
                                i, chunk_name(c, k, nb, sizeof nb), s->name, (long long)t);
                }
            }
        }
    }
    for (uint32_t e = 0; e < nent; e++)
        if (c->chunks[c->queue[e]].end == c->chunks[c->queue[e]].start)
            return fail(c, "entry function '%s' is empty", chunk_name(c, &c->chunks[c->queue[e]], nb, sizeof nb));
    if (out == 0)
        return fail(c, "entry function is empty");

    p->ninsns = (uint32_t)out;
    p->insns = calloc(out, sizeof *p->insns);
    p->nfuncs = (uint32_t)qt;
    p->funcs = calloc(qt, sizeof *p->funcs);
    p->nentries = nent;
    p->entries = calloc(nent, sizeof *p->entries);
    if (!p->insns || !p->funcs || !p->entries)
        return fail(c, "out of memory");
    for (uint32_t e = 0; e < nent; e++)
        p->entries[e] = (uint32_t)c->chunks[c->queue[e]].out;

    for (size_t q = 0; q < qt; q++) {
        chunk *k = &c->chunks[c->queue[q]];
        esect *s = &c->s[k->sect];
        fc_func *f = &p->funcs[q];
        f->start = (uint32_t)k->out;
        f->end = (uint32_t)(k->out + (k->end - k->start));
        snprintf(f->name, sizeof f->name, "%s", chunk_name(c, k, nb, sizeof nb));
        snprintf(f->section, sizeof f->section, "%s", s->name);
        f->sect_insn = k->start;
        for (uint32_t i = k->start; i < k->end; i++) {
            uint32_t o = (uint32_t)(k->out + (i - k->start));
            fc_insn in = s->insns[i];
            if (in.op == OP_LDDW && s->rel[i]) {
                const erel *r = &c->rels[s->rel[i] - 1];
                const esym *y = &c->syms[r->sym];
                if (y->shndx == SHN_UNDEF)
                    return fail(c, "lddw at %s+%u refers to undefined symbol '%s' (extern variables are not supported)",
                                s->name, i, y->name);
                if (y->shndx >= c->nsect)
                    return fail(c, "lddw at %s+%u refers to symbol '%s', which has no section",
                                s->name, i, y->name);
                esect *t = &c->s[y->shndx];
                if (t->kind == SK_CODE)
                    return fail(c, "lddw at %s+%u takes the address of %s '%s' (a function pointer: indirect calls are not supported; call the function directly)",
                                s->name, i, y->name[0] ? "function" : "code in section",
                                y->name[0] ? y->name : t->name);
                if (t->kind != SK_RODATA && t->kind != SK_DATA && t->kind != SK_BSS)
                    return fail(c, "lddw at %s+%u refers to '%s' in section '%s' (only .rodata*, .data* and .bss* can be addressed)",
                                s->name, i, y->name, t->name);
                if (fc_src(in) != 0)
                    return fail(c, "lddw at %s+%u with a relocation has src=%u (expected 0)",
                                s->name, i, fc_src(in));
                uint64_t uadd = (uint64_t)(uint32_t)in.imm |
                                ((uint64_t)(uint32_t)s->insns[i + 1].imm << 32);
                int64_t addend = (int64_t)uadd;
                uint64_t off = y->value + uadd; /* mod 2^64; checked below */
                if (y->value > t->size || (addend < 0 && (uint64_t)0 - uadd > y->value) ||
                    (addend >= 0 && uadd > t->size - y->value))
                    return fail(c, "lddw at %s+%u addresses '%s'%+lld, outside section '%s' (%llu bytes)",
                                s->name, i, y->name, (long long)addend, t->name,
                                (unsigned long long)t->size);
                int sect = t->kind == SK_RODATA ? FC_SECT_RODATA :
                           t->kind == SK_DATA ? FC_SECT_DATA : FC_SECT_BSS;
                p->insns[o] = fc_insn_make(OP_LDDW, fc_dst(in), FC_LDDW_SECTION, 0, sect);
                p->insns[o + 1] = fc_insn_make(0, 0, 0, 0, (int32_t)(t->image_off + off));
                i++; /* the second slot is written */
                continue;
            }
            if (in.op == OP_CALL) {
                uint32_t ts, tk;
                if (call_target(c, k->sect, i, 1, &ts, &tk) == 1) {
                    const chunk *tc = &c->chunks[c->s[ts].cid[tk]];
                    int64_t rel = tc->out - ((int64_t)o + 1);
                    in = fc_insn_make(OP_CALL, 0, FC_CALL_LOCAL, 0, (int32_t)rel);
                }
            }
            p->insns[o] = in;
        }
    }
    return 0;
}

/* ---- line info from .BTF / .BTF.ext -------------------------------------- */
typedef struct lrec { uint32_t insn, line, col, file, seq; } lrec;

static int lrec_cmp(const void *a, const void *b)
{
    const lrec *x = a, *y = b;
    if (x->insn != y->insn) return x->insn < y->insn ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A NUL-terminated string at off in the BTF string table, or NULL. */
static const char *btf_str(const uint8_t *strs, uint32_t len, uint32_t off)
{
    if (off >= len || !memchr(strs + off, 0, len - off))
        return NULL;
    return (const char *)strs + off;
}

static void read_lines(ctx *c, fc_prog *p)
{
    const esect *btf = NULL, *ext = NULL;
    for (size_t i = 1; i < c->nsect; i++) {
        if (!c->s[i].bytes)
            continue;
        if (strcmp(c->s[i].name, ".BTF") == 0) btf = &c->s[i];
        if (strcmp(c->s[i].name, ".BTF.ext") == 0) ext = &c->s[i];
    }
    if (!btf || !ext)
        return; /* no -g: messages use object+index */

    const uint8_t *b = btf->bytes, *e = ext->bytes;
    uint64_t bl = btf->size, el = ext->size;
    if (bl < 24 || rd16(b) != 0xeb9f || b[2] != 1) {
        warn(c, "ignoring .BTF: bad header");
        return;
    }
    uint32_t bh = rd32(b + 4), soff = rd32(b + 16), slen = rd32(b + 20);
    if (bh < 24 || bh > bl || soff > bl - bh || slen > bl - bh - soff) {
        warn(c, "ignoring .BTF: string table out of bounds");
        return;
    }
    const uint8_t *strs = b + bh + soff;
    if (el < 24 || rd16(e) != 0xeb9f || e[2] != 1) {
        warn(c, "ignoring .BTF.ext: bad header");
        return;
    }
    uint32_t eh = rd32(e + 4), loff = rd32(e + 16), llen = rd32(e + 20);
    if (eh < 24 || eh > el || loff > el - eh || llen > el - eh - loff || (llen && llen < 4)) {
        warn(c, "ignoring .BTF.ext: line_info out of bounds");
        return;
    }
    if (llen == 0)
        return;
    const uint8_t *li = e + eh + loff, *end = li + llen;
    uint32_t rs = rd32(li);
    if (rs < 16 || rs > 4096) {
        warn(c, "ignoring .BTF.ext: line_info record size %u", rs);
        return;
    }

    /* Two passes over the records: count, then fill. */
    lrec *recs = NULL;
    uint32_t *fileoff = NULL;
    size_t nrec = 0, cap = 0, nfiles = 0;
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *q = li + 4;
        nrec = 0;
        while (q < end) {
            if ((size_t)(end - q) < 8) {
                warn(c, "ignoring .BTF.ext: truncated line_info");
                goto out;
            }
            uint32_t nameoff = rd32(q), num = rd32(q + 4);
            q += 8;
            if (num > (size_t)(end - q) / rs) {
                warn(c, "ignoring .BTF.ext: line_info section record count %u too large", num);
                goto out;
            }
            const char *sname = btf_str(strs, slen, nameoff);
            size_t sect = 0;
            for (size_t i = 1; sname && i < c->nsect && !sect; i++)
                if (c->s[i].kind == SK_CODE && c->s[i].n && strcmp(c->s[i].name, sname) == 0)
                    sect = i;
            for (uint32_t k = 0; k < num; k++, q += rs) {
                uint32_t off = rd32(q), foff = rd32(q + 4), lc = rd32(q + 12);
                if (!sect || off % 8 || off / 8 >= c->s[sect].n)
                    continue;
                const chunk *ch = &c->chunks[c->s[sect].cid[off / 8]];
                if (ch->out < 0 || !btf_str(strs, slen, foff))
                    continue;
                if (pass == 1) {
                    size_t fi = 0;
                    while (fi < nfiles && fileoff[fi] != foff)
                        fi++;
                    if (fi == nfiles) {
                        if (nfiles >= 0xffff)
                            continue;
                        fileoff[nfiles++] = foff;
                    }
                    recs[nrec] = (lrec){(uint32_t)(ch->out + (off / 8 - ch->start)), lc >> 10,
                                        lc & 0x3ffu, (uint32_t)fi, (uint32_t)nrec};
                }
                nrec++;
            }
        }
        if (pass == 0) {
            if (nrec == 0)
                return;
            cap = nrec;
            recs = calloc(cap, sizeof *recs);
            fileoff = calloc(cap, sizeof *fileoff);
            if (!recs || !fileoff)
                goto out;
        }
    }
    qsort(recs, nrec, sizeof *recs, lrec_cmp);
    p->lines = calloc(nrec, sizeof *p->lines);
    p->files = calloc(nfiles ? nfiles : 1, sizeof *p->files);
    if (!p->lines || !p->files)
        goto out;
    for (size_t i = 0; i < nfiles; i++) {
        const char *f = btf_str(strs, slen, fileoff[i]);
        ((char **)p->files)[i] = strdup(f ? f : "?");
        if (!p->files[i])
            goto out;
        p->nfiles = (uint32_t)(i + 1);
    }
    for (size_t i = 0; i < nrec; i++) {
        if (p->nlines && p->lines[p->nlines - 1].insn == recs[i].insn)
            continue; /* first record of an instruction wins */
        p->lines[p->nlines++] = (fc_line){recs[i].insn, recs[i].line, (uint16_t)recs[i].col,
                                          (uint16_t)recs[i].file};
    }
out:
    free(recs);
    free(fileoff);
}

/* ---- top level ------------------------------------------------------------ */
static void ctx_free(ctx *c)
{
    if (c->s) {
        for (size_t i = 0; i < c->nsect; i++) {
            free(c->s[i].insns);
            free(c->s[i].fl);
            free(c->s[i].rel);
            free(c->s[i].cid);
        }
    }
    free(c->s);
    free(c->syms);
    free(c->rels);
    free(c->chunks);
    free(c->queue);
    if (c->elf)
        elf_end(c->elf);
    free(c->img);
}

void fc_elf_free(fc_prog *p)
{
    if (!p)
        return;
    free(p->insns);
    free(p->funcs);
    free(p->rodata);
    free(p->data);
    free(p->lines);
    free(p->entries);
    if (p->entry_names)
        for (uint32_t i = 0; i < p->nentries; i++)
            free(p->entry_names[i]);
    free(p->entry_names);
    if (p->files)
        for (uint32_t i = 0; i < p->nfiles; i++)
            free((char *)p->files[i]);
    free((void *)p->files);
    free((char *)p->object_name);
    free((char *)p->section_name);
    memset(p, 0, sizeof *p);
}


/* ---- Femto-Containers' own images (magic "rBPF") -----------------------------
 * Their build tool rewrites the ELF into a flat image (facts from their
 * docs and headers), little-endian:
 *
 *   +0   magic "rBPF"; version; flags (bit 0: compressed text)
 *   +12  data_len, [bss_len,] rodata_len, text_len, functions  (u32 each;
 *        bss_len only in the 8-word header of later versions)
 *   then .data, .rodata (their tool appends the function names to it),
 *   .text, and `functions` records of 6 bytes: u16 name offset in .rodata,
 *   u16 flags, u16 byte offset of the function in .text.
 *
 * In .text, the address of a .data / .rodata byte is a two-slot lddw with
 * their opcodes 0xb8 (.data) and 0xd8 (.rodata), the offset in the first
 * imm: femtoc's lddw section form (FC_LDDW_SECTION) says the same. Their VM
 * starts at the first instruction of .text; so does the program read here.
 * Layouts with more after the records (relocated calls, helper lists of
 * later versions) and compressed text are refused with a message.
 */
#define RBPF_LDDWD 0xb8u
#define RBPF_LDDWR 0xd8u

static uint32_t rd32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int fc_elf_is_rbpf(const void *image, size_t len)
{
    const uint8_t *b = image;
    return len >= 4 && ((b[0] == 'r' && b[1] == 'B' && b[2] == 'P' && b[3] == 'F') ||
                        (b[0] == 'F' && b[1] == 'P' && b[2] == 'B' && b[3] == 'r'));
}

#define RBPF_HOWTO "build an ELF: clang -Os -emit-llvm -c app.c -o - | llc -march=bpf -mcpu=v2 " \
                   "-filetype=obj -o app.o"

static int rbpf_read(const uint8_t *b, size_t len, const char *name, fc_prog *out, fc_diags *d)
{
    uint64_t w[8];
    uint32_t data_len = 0, bss_len = 0, ro_len = 0, text_len = 0, nfun = 0, hdr = 0;
    fc_prog p;

    memset(out, 0, sizeof *out);
    if (len < 28) {
        fc_diag_add(d, FC_SEV_ERROR, -1, "a Femto-Containers (rBPF) image, but only %zu bytes: "
                    "too short for its header", len);
        return -1;
    }
    for (unsigned k = 0; k < 8; k++)
        w[k] = len >= 4u * (k + 1) ? rd32le(b + 4 * k) : 0;
    /* which header: the one whose lengths add up to the file */
    if (28 + w[3] + w[4] + w[5] + 6 * w[6] == len) {
        hdr = 28; data_len = (uint32_t)w[3]; ro_len = (uint32_t)w[4];
        text_len = (uint32_t)w[5]; nfun = (uint32_t)w[6];
    } else if (len >= 32 && 32 + w[3] + w[5] + w[6] + 6 * w[7] == len) {
        hdr = 32; data_len = (uint32_t)w[3]; bss_len = (uint32_t)w[4]; ro_len = (uint32_t)w[5];
        text_len = (uint32_t)w[6]; nfun = (uint32_t)w[7];
    } else {
        fc_diag_add(d, FC_SEV_ERROR, -1, "a Femto-Containers (rBPF) image in a layout femtoc "
                    "does not read (lengths do not add up); " RBPF_HOWTO);
        return -1;
    }
    if (w[2] & 1u) {
        fc_diag_add(d, FC_SEV_ERROR, -1, "a compressed Femto-Containers (rBPF) image; " RBPF_HOWTO);
        return -1;
    }
    if (text_len == 0 || text_len % 8) {
        fc_diag_add(d, FC_SEV_ERROR, -1, "a Femto-Containers (rBPF) image whose text is %u bytes "
                    "(not a whole number of instructions)", (unsigned)text_len);
        return -1;
    }
    memset(&p, 0, sizeof p);
    const uint8_t *data = b + hdr, *ro = data + data_len, *text = ro + ro_len,
                  *fun = text + text_len;
    uint32_t n = text_len / 8;
    p.insns = malloc(n * sizeof *p.insns);
    p.funcs = calloc(1, sizeof *p.funcs);
    p.data = malloc(data_len ? data_len : 1);
    p.rodata = malloc(ro_len ? ro_len : 1);
    if (!p.insns || !p.funcs || !p.data || !p.rodata)
        goto oom;
    memcpy(p.data, data, data_len);
    memcpy(p.rodata, ro, ro_len);
    p.data_len = data_len;
    p.rodata_len = ro_len;
    p.bss_len = bss_len;
    for (uint32_t k = 0; k < n; k++)
        p.insns[k] = fc_insn_decode(text + 8 * k);
    for (uint32_t k = 0; k < n; k++) {
        unsigned op = p.insns[k].op;
        if (op != RBPF_LDDWD && op != RBPF_LDDWR)
            continue;
        if (k + 1 >= n || p.insns[k + 1].op != 0 || p.insns[k + 1].imm != 0) {
            fc_diag_add(d, FC_SEV_ERROR, (int32_t)k, "rBPF lddw of %s without a valid second slot "
                        "(or an offset above 4 GiB)", op == RBPF_LDDWD ? ".data" : ".rodata");
            goto bad;
        }
        uint32_t off = (uint32_t)p.insns[k].imm;
        p.insns[k].op = FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM;
        p.insns[k].regs = (uint8_t)(fc_dst(p.insns[k]) | FC_LDDW_SECTION << 4);
        p.insns[k].imm = op == RBPF_LDDWD ? FC_SECT_DATA : FC_SECT_RODATA;
        p.insns[k + 1].imm = (int32_t)off;
        k++;
    }
    /* one function for the whole text, named by the record at offset 0 */
    p.nfuncs = 1;
    p.funcs[0].start = 0;
    p.funcs[0].end = n;
    fc_diag_format(p.funcs[0].name, sizeof p.funcs[0].name, "%s", "rbpf_text");
    for (uint32_t k = 0; k < nfun; k++) {
        uint32_t no = (uint32_t)fun[6 * k] | (uint32_t)fun[6 * k + 1] << 8;
        uint32_t loc = (uint32_t)fun[6 * k + 4] | (uint32_t)fun[6 * k + 5] << 8;
        if (loc == 0 && no < ro_len) {
            uint32_t e = no;
            while (e < ro_len && ro[e] && e - no < sizeof p.funcs[0].name - 1)
                e++;
            memcpy(p.funcs[0].name, ro + no, e - no);
            p.funcs[0].name[e - no] = 0;
        }
    }
    fc_diag_format(p.funcs[0].section, sizeof p.funcs[0].section, "%s", ".text");
    p.ninsns = n;
    p.object_name = strdup(name ? name : "(image)");
    p.section_name = strdup(".text");
    if (!p.object_name || !p.section_name)
        goto oom;
    *out = p;
    return 0;
oom:
    fc_diag_add(d, FC_SEV_ERROR, -1, "out of memory");
bad:
    fc_elf_free(&p);
    return -1;
}

int fc_elf_read(const void *image, size_t len, const char *object_name,
                const char *entry, fc_prog *out, fc_diags *d)
{
    return fc_elf_read_entries(image, len, object_name, entry ? &entry : NULL, entry ? 1 : 0, out, d);
}

int fc_elf_read_entries(const void *image, size_t len, const char *object_name,
                        const char *const *entries, uint32_t nentries, fc_prog *out, fc_diags *d)
{
    ctx c;
    fc_prog p;
    uint32_t es[FC_ELF_MAX_ENTRIES] = {0}, ek[FC_ELF_MAX_ENTRIES] = {0};
    uint32_t nent = nentries ? nentries : 1;

    if (nentries > FC_ELF_MAX_ENTRIES) {
        memset(out, 0, sizeof *out);
        fc_diag_add(d, FC_SEV_ERROR, -1, "%u entry points (--entry), at most %u", (unsigned)nentries,
                    FC_ELF_MAX_ENTRIES);
        return -1;
    }
    if (fc_elf_is_rbpf(image, len)) {
        if (nentries) {
            memset(out, 0, sizeof *out);
            fc_diag_add(d, FC_SEV_ERROR, -1, "--entry: a Femto-Containers (rBPF) image runs from "
                        "the start of its text");
            return -1;
        }
        return rbpf_read(image, len, object_name, out, d);
    }

    memset(&c, 0, sizeof c);
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    c.d = d;
    c.obj = object_name ? object_name : "(object)";
    if (len > FC_ELF_MAX_FILE) {
        fail(&c, "object too large (%zu bytes; limit %u)", len, FC_ELF_MAX_FILE);
        return -1;
    }
    /* Private, 8-aligned copy: libelf reads it in place. */
    c.len = len;
    c.img = malloc(len ? len : 1);
    if (!c.img) {
        fail(&c, "out of memory");
        return -1;
    }
    if (len)
        memcpy(c.img, image, len);
    if (check_header(&c))
        goto bad;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fail(&c, "libelf initialisation failed: %s", elf_errmsg(-1));
        goto bad;
    }
    c.elf = elf_memory((char *)c.img, len);
    if (!c.elf || elf_kind(c.elf) != ELF_K_ELF) {
        fail(&c, "cannot read the object: %s", elf_errmsg(-1));
        goto bad;
    }
    if (read_sections(&c) || read_code(&c) || read_symbols(&c) || read_relocs(&c) ||
        make_chunks(&c))
        goto bad;
    for (uint32_t e = 0; e < nent; e++)
        if (pick_entry(&c, nentries ? entries[e] : NULL, &es[e], &ek[e]))
            goto bad;
    if (merge_images(&c, &p) || link_prog(&c, es, ek, nent, &p))
        goto bad;
    read_lines(&c, &p);
    p.object_name = strdup(c.obj);
    p.section_name = strdup(c.s[es[0]].name);
    if (!p.object_name || !p.section_name) {
        fail(&c, "out of memory");
        goto bad;
    }
    ctx_free(&c);
    *out = p;
    return 0;
bad:
    ctx_free(&c);
    fc_elf_free(&p);
    return -1;
}

int fc_elf_read_file(const char *path, const char *entry, fc_prog *out, fc_diags *d)
{
    return fc_elf_read_file_entries(path, entry ? &entry : NULL, entry ? 1 : 0, out, d);
}

int fc_elf_read_file_entries(const char *path, const char *const *entries, uint32_t nentries,
                             fc_prog *out, fc_diags *d)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;

    memset(out, 0, sizeof *out);
    if (!f) {
        fc_diag_add(d, FC_SEV_ERROR, -1, "cannot open: %s", strerror(errno));
        return -1;
    }
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > (size_t)FC_ELF_MAX_FILE + 1)
                ncap = (size_t)FC_ELF_MAX_FILE + 1;
            if (ncap == cap) {
                fc_diag_add(d, FC_SEV_ERROR, -1, "object too large (limit %u bytes)", FC_ELF_MAX_FILE);
                free(buf);
                fclose(f);
                return -1;
            }
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                fc_diag_add(d, FC_SEV_ERROR, -1, "out of memory");
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int ioerr = ferror(f);
    fclose(f);
    if (ioerr) {
        free(buf);
        fc_diag_add(d, FC_SEV_ERROR, -1, "read error");
        return -1;
    }
    int r = fc_elf_read_entries(buf, len, path, entries, nentries, out, d);
    free(buf);
    return r;
}
