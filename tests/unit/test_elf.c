/*
 * Unit tests: the ELF reader (compiler/fc_elf.c).
 *
 * Most objects here are built by a small ELF writer in this file, so each
 * malformation can be made exactly (truncation, overlapping sections, bad
 * indices, huge sizes, relocation offsets out of range or misaligned, wrong
 * machine, byte order or class). Objects compiled by clang at build time
 * (directory FC_FE_OBJDIR, made by compiler/frontend.mk before the unit
 * step) give the real-world cases: relinking, line info, and every prefix
 * and many one-byte corruptions of a real object.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_elf.h"
#include "fc_verify.h"

/* ---- a small ELF writer --------------------------------------------------- */
typedef struct tsec {
    const char *name;
    uint32_t type;
    uint64_t flags;
    const void *data;
    uint64_t size;
    uint32_t link, info;
    uint64_t align, entsize;
} tsec;

typedef struct tobj {
    tsec s[16];
    int n;                  /* sections 1..n (0 is the null section) */
    uint8_t buf[8192];
    size_t len;
    uint64_t off[18];       /* file offset of each section's data */
    uint64_t shoff;
} tobj;

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* Lay out: header | section data (8-aligned) | .shstrtab | section headers. */
static void build(tobj *o)
{
    char names[512];
    size_t nl = 1, pos = 64;
    uint32_t name_off[18];
    memset(o->buf, 0, sizeof o->buf);
    names[0] = '\0';
    for (int i = 1; i <= o->n; i++) {
        name_off[i] = (uint32_t)nl;
        strcpy(names + nl, o->s[i].name);
        nl += strlen(o->s[i].name) + 1;
    }
    name_off[o->n + 1] = (uint32_t)nl;
    strcpy(names + nl, ".shstrtab");
    nl += 10;
    for (int i = 1; i <= o->n; i++) {
        pos = (pos + 7) & ~(size_t)7;
        o->off[i] = pos;
        if (o->s[i].type != SHT_NOBITS && o->s[i].size) {
            memcpy(o->buf + pos, o->s[i].data, o->s[i].size);
            pos += o->s[i].size;
        }
    }
    o->off[o->n + 1] = pos;
    memcpy(o->buf + pos, names, nl);
    pos = (pos + nl + 7) & ~(size_t)7;
    o->shoff = pos;
    int shnum = o->n + 2;
    uint8_t *h = o->buf;
    memcpy(h, "\x7f" "ELF", 4);
    h[4] = ELFCLASS64;
    h[5] = ELFDATA2LSB;
    h[6] = EV_CURRENT;
    put16(h + 16, ET_REL);
    put16(h + 18, 247);
    put32(h + 20, EV_CURRENT);
    put64(h + 40, o->shoff);
    put16(h + 52, 64);
    put16(h + 58, 64);
    put16(h + 60, (uint16_t)shnum);
    put16(h + 62, (uint16_t)(o->n + 1));
    for (int i = 1; i <= o->n + 1; i++) {
        uint8_t *sh = o->buf + o->shoff + 64u * (unsigned)i;
        const tsec *s = i <= o->n ? &o->s[i] : NULL;
        put32(sh, name_off[i]);
        put32(sh + 4, s ? s->type : SHT_STRTAB);
        put64(sh + 8, s ? s->flags : 0);
        put64(sh + 24, o->off[i]);
        put64(sh + 32, s ? s->size : nl);
        put32(sh + 40, s ? s->link : 0);
        put32(sh + 44, s ? s->info : 0);
        put64(sh + 48, s ? s->align : 1);
        put64(sh + 56, s ? s->entsize : 0);
    }
    o->len = o->shoff + 64u * (unsigned)shnum;
}

static uint8_t *shdr(tobj *o, int i) { return o->buf + o->shoff + 64u * (unsigned)i; }

/* ---- the base object --------------------------------------------------------
 *   prog:  0 lddw r1, tbl          R_BPF_64_64 tbl (.rodata.x + 4)
 *          2 mov r1, 5
 *          3 call -1               R_BPF_64_32 sub
 *          4 lddw r2, .bss + 8     R_BPF_64_64 .bss (section symbol), addend 8
 *          6 stxw [r2], r0
 *          7 exit
 *   .text: sub: 0 mov r0, r1 / 1 add r0, 1 / 2 exit
 */
enum { S_TEXT = 1, S_PROG, S_RELPROG, S_RODATA, S_RODATAX, S_BSS, S_SYMTAB, S_STRTAB, S_NBASE = 8 };

static fc_insn prog_code[8], text_code[3];
static Elf64_Rel relprog[3];
static Elf64_Sym syms[5];
static const char strtab[] = "\0sub\0run\0tbl";
static uint8_t rodata[6] = "hello", rodatax[16] = {0, 1, 2, 3, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0};

static void insn_bytes(fc_insn *dst, const fc_insn *src, int n)
{
    for (int k = 0; k < n; k++)
        fc_insn_encode(src[k], (uint8_t *)&dst[k]);
}

static void base(tobj *o)
{
    fc_insn p[8] = {
        fc_insn_make(0x18, 1, 0, 0, 0), fc_insn_make(0, 0, 0, 0, 0),
        fc_insn_make(0xb7, 1, 0, 0, 5),
        fc_insn_make(0x85, 0, 1, 0, -1),
        fc_insn_make(0x18, 2, 0, 0, 8), fc_insn_make(0, 0, 0, 0, 0),
        fc_insn_make(0x63, 2, 0, 0, 0),
        fc_insn_make(0x95, 0, 0, 0, 0),
    };
    fc_insn t[3] = {fc_insn_make(0xbf, 0, 1, 0, 0), fc_insn_make(0x07, 0, 0, 0, 1),
                    fc_insn_make(0x95, 0, 0, 0, 0)};
    insn_bytes(prog_code, p, 8);
    insn_bytes(text_code, t, 3);
    relprog[0] = (Elf64_Rel){0, ELF64_R_INFO(4, 1)};
    relprog[1] = (Elf64_Rel){24, ELF64_R_INFO(2, 10)};
    relprog[2] = (Elf64_Rel){32, ELF64_R_INFO(1, 1)};
    memset(syms, 0, sizeof syms);
    syms[1] = (Elf64_Sym){0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION), 0, S_BSS, 0, 0};
    syms[2] = (Elf64_Sym){1, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, S_TEXT, 0, 24};
    syms[3] = (Elf64_Sym){5, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, S_PROG, 0, 64};
    syms[4] = (Elf64_Sym){9, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), 0, S_RODATAX, 4, 4};
    memset(o, 0, sizeof *o);
    o->n = S_NBASE;
    o->s[S_TEXT] = (tsec){".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text_code, 24, 0, 0, 8, 0};
    o->s[S_PROG] = (tsec){"prog", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, prog_code, 64, 0, 0, 8, 0};
    o->s[S_RELPROG] = (tsec){".relprog", SHT_REL, 0, relprog, sizeof relprog, S_SYMTAB, S_PROG, 8, 16};
    o->s[S_RODATA] = (tsec){".rodata", SHT_PROGBITS, SHF_ALLOC, rodata, 6, 0, 0, 1, 0};
    o->s[S_RODATAX] = (tsec){".rodata.x", SHT_PROGBITS, SHF_ALLOC, rodatax, 16, 0, 0, 4, 0};
    o->s[S_BSS] = (tsec){".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, NULL, 16, 0, 0, 8, 0};
    o->s[S_SYMTAB] = (tsec){".symtab", SHT_SYMTAB, 0, syms, sizeof syms, S_STRTAB, 2, 8, 24};
    o->s[S_STRTAB] = (tsec){".strtab", SHT_STRTAB, 0, strtab, sizeof strtab, 0, 0, 1, 0};
}

typedef struct rres {
    int rc;
    fc_prog p;
    fc_diag items[16];
    fc_diags d;
} rres;

static int rd(const uint8_t *buf, size_t len, const char *entry, rres *r)
{
    memset(r, 0, sizeof *r);
    r->d = (fc_diags){r->items, 16, 0, 0, 0};
    r->rc = fc_elf_read(buf, len, "t.o", entry, &r->p, &r->d);
    if (r->rc == 0)
        cr_assert_eq(r->d.nerrors, 0);
    else
        cr_assert_gt(r->d.nerrors, 0, "a failure without an error message");
    return r->rc;
}

static void expect_error(tobj *o, const char *entry, const char *msg)
{
    rres r;
    rd(o->buf, o->len, entry, &r);
    int found = 0;
    for (uint32_t k = 0; k < r.d.n; k++)
        found |= strstr(r.items[k].msg, msg) != NULL;
    if (r.rc != -1 || !found) {
        for (uint32_t k = 0; k < r.d.n; k++)
            fprintf(stderr, "  got: %s\n", r.items[k].msg);
        cr_assert_fail("expected an error containing '%s' (rc %d)", msg, r.rc);
    }
    fc_elf_free(&r.p);
}

/* ---- the valid case: what the reader produces --------------------------------- */
Test(elf, base_object_is_relinked)
{
    tobj o;
    rres r;
    base(&o);
    build(&o);
    cr_assert_eq(rd(o.buf, o.len, NULL, &r), 0, "%s", r.items[0].msg);
    fc_prog *p = &r.p;
    cr_assert_eq(p->ninsns, 11);
    /* lddw r1, tbl -> .rodata image: ".rodata" (6 bytes) then ".rodata.x"
     * 4-aligned at 8; tbl is at 4 in it */
    cr_assert_eq(p->insns[0].op, 0x18);
    cr_assert_eq(fc_src(p->insns[0]), FC_LDDW_SECTION);
    cr_assert_eq(p->insns[0].imm, FC_SECT_RODATA);
    cr_assert_eq(p->insns[1].imm, 12);
    cr_assert_eq(p->rodata_len, 24);
    cr_assert_eq(memcmp(p->rodata, "hello", 6), 0);
    cr_assert_eq(p->rodata[12], 10);
    /* call relinked to the subprogram placed after the entry */
    cr_assert_eq(fc_src(p->insns[3]), FC_CALL_LOCAL);
    cr_assert_eq(p->insns[3].imm, 8 - 4);
    /* .bss + 8 */
    cr_assert_eq(p->insns[4].imm, FC_SECT_BSS);
    cr_assert_eq(p->insns[5].imm, 8);
    cr_assert_eq(p->bss_len, 16);
    cr_assert_eq(p->data_len, 0);
    /* functions */
    cr_assert_eq(p->nfuncs, 2);
    cr_assert_str_eq(p->funcs[0].name, "run");
    cr_assert_str_eq(p->funcs[0].section, "prog");
    cr_assert_eq(p->funcs[0].start, 0);
    cr_assert_eq(p->funcs[0].end, 8);
    cr_assert_str_eq(p->funcs[1].name, "sub");
    cr_assert_str_eq(p->funcs[1].section, ".text");
    cr_assert_eq(p->funcs[1].start, 8);
    cr_assert_eq(p->insns[8].op, 0xbf);
    cr_assert_str_eq(p->section_name, "prog");
    cr_assert_str_eq(p->object_name, "t.o");
    cr_assert_eq(p->nlines, 0);
    /* and it verifies */
    size_t wsz = fc_vfy_workspace_size(p);
    void *ws = malloc(wsz);
    fc_insn_info *info = calloc(p->ninsns, sizeof *info);
    cr_assert_eq(fc_vfy_run(p, NULL, ws, wsz, info, NULL, NULL), 0);
    free(ws);
    free(info);
    fc_elf_free(&r.p);
    cr_assert_null(r.p.insns);
}

Test(elf, entry_selection)
{
    tobj o;
    rres r;
    base(&o);
    build(&o);
    cr_assert_eq(rd(o.buf, o.len, "run", &r), 0);
    cr_assert_eq(r.p.ninsns, 11);
    fc_elf_free(&r.p);
    cr_assert_eq(rd(o.buf, o.len, "prog", &r), 0); /* a section name */
    fc_elf_free(&r.p);
    /* the subprogram alone */
    cr_assert_eq(rd(o.buf, o.len, "sub", &r), 0);
    cr_assert_eq(r.p.ninsns, 3);
    cr_assert_str_eq(r.p.section_name, ".text");
    fc_elf_free(&r.p);
    expect_error(&o, "nope", "no function or code section named 'nope'; program sections: 'prog'");
    /* a second program section: the choice must be made */
    o.s[S_TEXT].name = "xdp";
    build(&o);
    expect_error(&o, NULL, "several program sections ('xdp', 'prog'); choose one with --entry");
}

Test(elf, text_only_objects)
{
    tobj o;
    rres r;
    base(&o);
    /* everything in .text: the single global function is the entry */
    o.s[S_PROG].name = ".text2";
    o.s[S_PROG].flags = SHF_ALLOC; /* not code any more */
    o.s[S_RELPROG].size = 0;
    syms[3].st_shndx = S_RODATA; /* "run" no longer a function in code */
    syms[3].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
    build(&o);
    cr_assert_eq(rd(o.buf, o.len, NULL, &r), 0, "%s", r.items[0].msg);
    cr_assert_eq(r.p.ninsns, 3);
    cr_assert_str_eq(r.p.funcs[0].name, "sub");
    fc_elf_free(&r.p);
    /* two global functions in .text: ambiguous */
    syms[3] = (Elf64_Sym){5, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, S_TEXT, 8, 16};
    build(&o);
    expect_error(&o, NULL, "several functions in .text ('sub', 'run')");
}

/* ---- malformed objects -------------------------------------------------------- */
Test(elf, header_errors)
{
    tobj o;
    base(&o);
    build(&o);
    o.buf[0] = 0;
    expect_error(&o, NULL, "not an ELF object (bad magic)");
    build(&o);
    o.buf[4] = ELFCLASS32;
    expect_error(&o, NULL, "not a 64-bit ELF object");
    build(&o);
    o.buf[5] = ELFDATA2MSB;
    expect_error(&o, NULL, "big-endian eBPF object (bpfeb) is not supported");
    build(&o);
    put16(o.buf + 18, 62);
    expect_error(&o, NULL, "not an eBPF object: ELF machine 62");
    build(&o);
    put16(o.buf + 16, ET_EXEC);
    expect_error(&o, NULL, "not a relocatable object");
    build(&o);
    put16(o.buf + 58, 40);
    expect_error(&o, NULL, "bad section header size 40");
    build(&o);
    put64(o.buf + 40, o.len + 64);
    expect_error(&o, NULL, "section header table at offset");
    build(&o);
    put16(o.buf + 60, 200);
    expect_error(&o, NULL, "section headers do not fit in the file");
    build(&o);
    put16(o.buf + 62, 300);
    expect_error(&o, NULL, "bad section name table index");
    rres r;
    rd(o.buf, 10, NULL, &r);
    cr_assert(strstr(r.items[0].msg, "file too short"));
}

Test(elf, every_prefix_of_an_object_is_refused)
{
    tobj o;
    base(&o);
    build(&o);
    for (size_t len = 0; len < o.len; len++) {
        rres r;
        cr_assert_eq(rd(o.buf, len, NULL, &r), -1, "prefix of %zu bytes accepted", len);
        fc_elf_free(&r.p);
    }
}

Test(elf, section_errors)
{
    tobj o;
    base(&o);
    build(&o);
    put64(shdr(&o, S_RODATA) + 24, o.len + 100);
    expect_error(&o, NULL, "section '.rodata' (offset");
    build(&o);
    put64(shdr(&o, S_RODATA) + 32, 1u << 30);
    expect_error(&o, NULL, "extends past the end of the file");
    build(&o);
    put64(shdr(&o, S_RODATAX) + 24, o.off[S_RODATA]);
    expect_error(&o, NULL, "overlap in the file");
    build(&o);
    put64(shdr(&o, S_TEXT) + 24, 0); /* code over the ELF header */
    expect_error(&o, NULL, "'.text' and 'ELF headers' overlap");
    base(&o);
    o.s[S_PROG].size = 60;
    build(&o);
    expect_error(&o, NULL, "code section 'prog' has a size of 60 bytes, not a multiple of 8");
    base(&o);
    o.s[S_RODATA].align = 3;
    build(&o);
    expect_error(&o, NULL, "invalid alignment 3");
    base(&o);
    o.s[S_BSS].size = 1ull << 40;
    build(&o);
    expect_error(&o, NULL, "section '.bss' is too large");
    base(&o);
    put32(shdr(&o, 0) + 0, 0); /* harmless */
    build(&o);
    put32(shdr(&o, S_TEXT), 100000);
    expect_error(&o, NULL, "bad name offset");
    base(&o);
    o.s[S_STRTAB].type = SHT_SYMTAB; /* a second symbol table */
    build(&o);
    expect_error(&o, NULL, "more than one symbol table");
}

Test(elf, symbol_errors)
{
    tobj o;
    base(&o);
    syms[4].st_shndx = 77;
    build(&o);
    expect_error(&o, NULL, "symbol 'tbl' has a bad section index 77");
    base(&o);
    syms[2].st_value = 4;
    build(&o);
    expect_error(&o, NULL, "function 'sub' lies outside its section");
    base(&o);
    syms[2].st_value = 800;
    build(&o);
    expect_error(&o, NULL, "function 'sub' lies outside its section");
    base(&o);
    o.s[S_SYMTAB].entsize = 16;
    build(&o);
    expect_error(&o, NULL, "symbol table has entry size 16");
    base(&o);
    o.s[S_SYMTAB].link = 99;
    build(&o);
    expect_error(&o, NULL, "symbol table links to a bad string table");
    base(&o);
    syms[4].st_name = 5000;
    build(&o);
    expect_error(&o, NULL, "symbol 4 has a bad name offset");
    base(&o);
    syms[2].st_shndx = SHN_UNDEF;
    build(&o);
    expect_error(&o, NULL, "call to undefined function 'sub'");
    base(&o);
    syms[4].st_shndx = SHN_UNDEF;
    build(&o);
    expect_error(&o, NULL, "refers to undefined symbol 'tbl'");
    base(&o);
    syms[4].st_shndx = S_TEXT; /* the address of code */
    build(&o);
    expect_error(&o, NULL, "takes the address of function 'tbl'");
    base(&o);
    syms[4].st_shndx = S_STRTAB; /* not a data section */
    build(&o);
    expect_error(&o, NULL, "only .rodata*, .data* and .bss* can be addressed");
}

Test(elf, relocation_errors)
{
    tobj o;
    base(&o);
    relprog[1].r_offset = 1000;
    build(&o);
    expect_error(&o, NULL, "relocation at prog+0x3e8 is outside the section");
    base(&o);
    relprog[1].r_offset = 20;
    build(&o);
    expect_error(&o, NULL, "is not on an instruction boundary");
    base(&o);
    relprog[1].r_offset = 8;
    build(&o);
    expect_error(&o, NULL, "points into the second half of an lddw");
    base(&o);
    relprog[1].r_info = ELF64_R_INFO(2, 2);
    build(&o);
    expect_error(&o, NULL, "unsupported relocation type 2");
    base(&o);
    relprog[0].r_offset = 16;
    build(&o);
    expect_error(&o, NULL, "R_BPF_64_64 relocation at prog+2 is not on an lddw instruction");
    base(&o);
    relprog[1].r_offset = 16;
    build(&o);
    expect_error(&o, NULL, "R_BPF_64_32 relocation at prog+2 is not on a call instruction");
    base(&o);
    relprog[1].r_info = ELF64_R_INFO(99, 10);
    build(&o);
    expect_error(&o, NULL, "names a bad symbol index 99");
    base(&o);
    relprog[2].r_offset = 0;
    build(&o);
    expect_error(&o, NULL, "two relocations at prog+0");
    base(&o);
    o.s[S_RELPROG].type = SHT_RELA;
    build(&o);
    expect_error(&o, NULL, "uses RELA entries");
    base(&o);
    o.s[S_RELPROG].link = S_STRTAB;
    build(&o);
    expect_error(&o, NULL, "does not use the symbol table");
    base(&o);
    o.s[S_RELPROG].entsize = 24;
    build(&o);
    expect_error(&o, NULL, "has entry size 24");
    base(&o);
    o.s[S_RELPROG].info = S_RODATA; /* pointers in .rodata */
    build(&o);
    expect_error(&o, NULL, "section '.rodata' holds addresses (a table of function pointers, or a pointer in initialised data): indirect calls are not supported");
    /* addend beyond the section */
    base(&o);
    prog_code[0].imm = 100;
    build(&o);
    expect_error(&o, NULL, "addresses 'tbl'+100, outside section '.rodata.x' (16 bytes)");
    /* call target outside the callee's section */
    base(&o);
    prog_code[3].imm = 50;
    build(&o);
    expect_error(&o, NULL, "call at prog+3 targets outside section '.text'");
    base(&o);
    prog_code[3].imm = -3;
    build(&o);
    expect_error(&o, NULL, "call at prog+3 targets outside section '.text'");
}

Test(elf, control_flow_errors)
{
    tobj o;
    base(&o);
    /* a jump out of the subprogram into the bytes after it */
    text_code[1] = fc_insn_make(0x05, 0, 0, 5, 0);
    fc_insn_encode(text_code[1], (uint8_t *)&text_code[1]);
    o.s[S_TEXT].data = text_code;
    build(&o);
    expect_error(&o, NULL, "jump at .text+1 targets 7, outside the section");
    /* a static call inside .text to the middle of an lddw */
    base(&o);
    {
        static fc_insn t2[5];
        fc_insn t[5] = {fc_insn_make(0x85, 0, 1, 0, 2), fc_insn_make(0x95, 0, 0, 0, 0),
                        fc_insn_make(0x18, 0, 0, 0, 1), fc_insn_make(0, 0, 0, 0, 0),
                        fc_insn_make(0x95, 0, 0, 0, 0)};
        insn_bytes(t2, t, 5);
        o.s[S_TEXT].data = t2;
        o.s[S_TEXT].size = 40;
        syms[2].st_size = 40;
        build(&o);
        expect_error(&o, NULL, "targets the middle of an lddw");
        /* a static call into a second function, and a jump from one function into the other */
        fc_insn u[5] = {fc_insn_make(0x85, 0, 1, 0, 1), fc_insn_make(0x95, 0, 0, 0, 0),
                        fc_insn_make(0xb7, 0, 0, 0, 1), fc_insn_make(0x05, 0, 0, -3, 0),
                        fc_insn_make(0x95, 0, 0, 0, 0)};
        insn_bytes(t2, u, 5);
        build(&o);
        expect_error(&o, NULL, "jump at .text+3 leaves function '.text+2' (target .text+1)");
    }
}

Test(elf, sizes_of_the_merged_images)
{
    tobj o;
    rres r;
    static uint8_t d1[3] = {1, 2, 3}, d2[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    base(&o);
    o.s[9] = (tsec){".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, d1, 3, 0, 0, 1, 0};
    o.s[10] = (tsec){".data.rel", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, d2, 8, 0, 0, 32, 0};
    o.s[11] = (tsec){".bss.x", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, NULL, 5, 0, 0, 4, 0};
    o.n = 11;
    build(&o);
    cr_assert_eq(rd(o.buf, o.len, NULL, &r), 0, "%s", r.items[0].msg);
    cr_assert_eq(r.p.data_len, 16); /* 3, then 8-aligned (alignment capped at 8) */
    cr_assert_eq(r.p.data[0], 1);
    cr_assert_eq(r.p.data[8], 9);
    cr_assert_eq(r.p.bss_len, 21);  /* 16, then 4-aligned 5 */
    fc_elf_free(&r.p);
}

Test(elf, sizes_are_capped)
{
    rres r;
    static uint8_t big[8];
    memset(&r, 0, sizeof r);
    r.d = (fc_diags){r.items, 16, 0, 0, 0};
    cr_assert_eq(fc_elf_read(big, (size_t)FC_ELF_MAX_FILE + 1, "big.o", NULL, &r.p, &r.d), -1);
    cr_assert(strstr(r.items[0].msg, "object too large"));
    memset(&r, 0, sizeof r);
    r.d = (fc_diags){r.items, 16, 0, 0, 0};
    cr_assert_eq(fc_elf_read_file("/nonexistent/x.o", NULL, &r.p, &r.d), -1);
    cr_assert(strstr(r.items[0].msg, "cannot open"));
}

/* ---- objects made by clang ---------------------------------------------------- */
static uint8_t *load_obj(const char *name, size_t *len)
{
    const char *dir = getenv("FC_FE_OBJDIR");
    char path[1024];
    cr_assert(dir, "FC_FE_OBJDIR is not set: the unit step builds the clang objects "
                   "(compiler/frontend.mk) and exports it");
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    static uint8_t buf[1 << 20];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t *copy = malloc(*len);
    memcpy(copy, buf, *len);
    return copy;
}

Test(elf, clang_objects_relink_and_verify)
{
    static const char *objs[] = {"calls.c14.o", "calls.c19v4g.o", "cross_section.c19v4g.o",
                                 "globals.c14g.o", "crc32.c19v3.o"};
    for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++) {
        size_t len;
        uint8_t *obj = load_obj(objs[k], &len);
        rres r;
        const char *entry = strstr(objs[k], "cross") ? "prog_main" : NULL;
        cr_assert_eq(rd(obj, len, entry, &r), 0, "%s: %s", objs[k], r.items[0].msg);
        cr_assert_str_eq(r.p.funcs[0].name, "prog_main");
        cr_assert_eq(r.p.funcs[0].start, 0);
        cr_assert_gt(r.p.nfuncs, strstr(objs[k], "calls") || strstr(objs[k], "cross") ? 1u : 0u);
        fc_vfy_opts vo = {0};
        vo.ctx_size = 64;
        size_t wsz = fc_vfy_workspace_size(&r.p);
        void *ws = malloc(wsz);
        fc_insn_info *info = calloc(r.p.ninsns, sizeof *info);
        fc_diag it[8];
        fc_diags d = {it, 8, 0, 0, 0};
        cr_assert_eq(fc_vfy_run(&r.p, &vo, ws, wsz, info, NULL, &d), 0, "%s: %s", objs[k], it[0].msg);
        free(ws);
        free(info);
        if (strstr(objs[k], "g.o")) {
            /* -g: line info, sorted, naming the source file */
            cr_assert_gt(r.p.nlines, 0, "%s: no line info", objs[k]);
            cr_assert_gt(r.p.nfiles, 0);
            for (uint32_t i = 0; i < r.p.nlines; i++) {
                cr_assert_lt(r.p.lines[i].file, r.p.nfiles);
                cr_assert_lt(r.p.lines[i].insn, r.p.ninsns);
                cr_assert_gt(r.p.lines[i].line, 0);
                cr_assert_lt(r.p.lines[i].line, 100);
                if (i)
                    cr_assert_gt(r.p.lines[i].insn, r.p.lines[i - 1].insn);
            }
            cr_assert(strstr(r.p.files[r.p.lines[0].file], ".c"));
        } else {
            cr_assert_eq(r.p.nlines, 0);
        }
        if (strstr(objs[k], "cross")) {
            int lib = 0;
            for (uint32_t f = 0; f < r.p.nfuncs; f++)
                lib |= strcmp(r.p.funcs[f].section, "lib/math") == 0;
            cr_assert(lib, "the callee in lib/math was not linked");
            fc_elf_free(&r.p);
            rd(obj, len, NULL, &r);
            cr_assert(strstr(r.items[0].msg, "several program sections"));
        }
        fc_elf_free(&r.p);
        free(obj);
    }
}

Test(elf, clang_object_prefixes_and_corruptions_never_crash)
{
    size_t len;
    uint8_t *obj = load_obj("calls.c19v4g.o", &len);
    uint8_t *buf = malloc(len);
    int ok = 0, bad = 0;
    /* every prefix (the section headers come last: all refused) */
    for (size_t n = 0; n < len; n++) {
        rres r;
        cr_assert_eq(rd(obj, n, NULL, &r), -1);
        fc_elf_free(&r.p);
    }
    /* one byte changed (every byte of the ELF header and the section
     * headers, every 5th elsewhere; the fuzzer does the rest) to a few
     * values: accepted or refused with a message, and what is accepted
     * verifies or is refused by the verifier cleanly */
    static const uint8_t vals[] = {0x00, 0xff, 0x80};
    uint64_t shoff = (uint64_t)obj[40] | (uint64_t)obj[41] << 8 | (uint64_t)obj[42] << 16 | (uint64_t)obj[43] << 24;
    for (size_t i = 0; i < len; i += (i < 64 || i >= shoff) ? 1 : 5) {
        for (size_t v = 0; v < sizeof vals; v++) {
            memcpy(buf, obj, len);
            if (buf[i] == vals[v])
                continue;
            buf[i] = vals[v];
            rres r;
            if (rd(buf, len, NULL, &r) == 0) {
                ok++;
                size_t wsz = fc_vfy_workspace_size(&r.p);
                void *ws = malloc(wsz);
                fc_insn_info *info = calloc(r.p.ninsns, sizeof *info);
                fc_vfy_run(&r.p, NULL, ws, wsz, info, NULL, NULL);
                free(ws);
                free(info);
            } else {
                bad++;
            }
            fc_elf_free(&r.p);
        }
    }
    fprintf(stderr, "corruptions of %zu bytes: %d read, %d refused\n", len, ok, bad);
    cr_assert_gt(bad, 100);
    free(buf);
    free(obj);
}
