/*
 * femto-as - eBPF assembler (bpf_conformance syntax) and disassembler.
 *
 *   femto-as prog.s -o prog.bin        raw bytecode
 *   femto-as prog.s -o prog.o          eBPF ELF relocatable object (EM_BPF)
 *   femto-as --data test.data --hex    a conformance test's program as hex
 *   femto-as -d prog.bin               disassembly
 *
 * The ELF object is written by hand (no libelf needed for five sections):
 *
 *   +------------+ 0
 *   | Elf64_Ehdr |
 *   +------------+ 64
 *   | code       |  section 1: NAME (.text), PROGBITS, AX, align 8
 *   +------------+
 *   | symtab     |  section 2: null, section symbol, global FUNC entry
 *   | strtab     |  section 3
 *   | shstrtab   |  section 4
 *   +------------+ (align 8)
 *   | Elf64_Shdr |  x 5
 *   +------------+
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_asm.h"
#include "fc_disasm.h"
#include "fc_isa.h"
#include "fc_testdata.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

static const char *prog = "femto-as";

static void usage(FILE *f)
{
    fprintf(f,
"Usage: femto-as [options] FILE\n"
"Assemble eBPF assembly in the bpf_conformance syntax into bytecode or an eBPF\n"
"ELF object, or disassemble bytecode. FILE '-' reads standard input.\n"
"\n"
"Options:\n"
"  -o FILE            Write the output to FILE ('-' = standard output). Default:\n"
"                     FILE with its extension replaced by .bin, .o or .hex\n"
"                     (standard output for -d and for standard input).\n"
"  --raw              Write raw bytecode, 8 little-endian bytes per slot (default,\n"
"                     unless -o names a .o file).\n"
"  --elf              Write an eBPF ELF relocatable object (ELF64, EM_BPF) with the\n"
"                     code in one executable section and a global function symbol\n"
"                     for the entry (default when -o ends in .o).\n"
"  --hex              Write space-separated hex bytes (the conformance plugin's\n"
"                     input format).\n"
"  --section NAME     Name of the ELF code section (default .text).\n"
"  --entry NAME       Name of the ELF entry symbol (default main).\n"
"  --data             FILE is a conformance .data file: assemble its -- raw\n"
"                     section if it has one, else its -- asm section.\n"
"  -d, --disassemble  FILE is raw bytecode: print its disassembly, which\n"
"                     re-assembles to the same bytes.\n"
"  -v, --verbose      With -d: add the index and raw-byte columns and jump\n"
"                     targets (the listing then no longer re-assembles).\n"
"  -h, --help         Display this information.\n"
"  --version          Display the version.\n"
"\n"
"Errors are reported as FILE:LINE: error: MESSAGE, with exit status 1.\n");
}

static int read_all(const char *path, char **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    size_t cap = 0;
    errno = 0;
    *buf = NULL;
    *len = 0;
    if (!f)
        return -1;
    for (;;) {
        size_t got;
        if (*len == cap) {
            char *q = realloc(*buf, cap ? cap * 2 : 4096);
            if (!q) {
                errno = ENOMEM;
                break;
            }
            *buf = q;
            cap = cap ? cap * 2 : 4096;
        }
        got = fread(*buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0)
            break;
    }
    if (ferror(f) || errno == ENOMEM) {
        if (f != stdin)
            fclose(f);
        return -1;
    }
    if (f != stdin)
        fclose(f);
    return 0;
}

/* ---- ELF writer ----------------------------------------------------------- */
typedef struct obuf {
    unsigned char *p;
    size_t len, cap;
} obuf;

static int ob_put(obuf *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        size_t c = b->cap ? b->cap : 1024;
        unsigned char *q;
        while (c < b->len + n)
            c *= 2;
        q = realloc(b->p, c);
        if (!q)
            return -1;
        b->p = q;
        b->cap = c;
    }
    if (n)
        memcpy(b->p + b->len, d, n);
    b->len += n;
    return 0;
}

static int ob_align(obuf *b, size_t a)
{
    static const unsigned char z[8];
    return ob_put(b, z, (a - b->len % a) % a);
}

static int write_elf(obuf *b, const fc_insn *insns, size_t n, const char *section,
                     const char *entry)
{
    Elf64_Ehdr eh;
    Elf64_Shdr sh[5];
    Elf64_Sym sym[3];
    size_t text_off, sym_off, str_off, shstr_off, sh_off;
    size_t name_entry, sh_name_text, sh_name_symtab, sh_name_strtab, sh_name_shstrtab;
    obuf str = {0}, shstr = {0};
    int rc = -1;

    memset(&eh, 0, sizeof eh);
    memset(sh, 0, sizeof sh);
    memset(sym, 0, sizeof sym);

    /* string tables */
    if (ob_put(&str, "", 1))
        goto out;
    name_entry = str.len;
    if (ob_put(&str, entry, strlen(entry) + 1) || ob_put(&shstr, "", 1))
        goto out;
    sh_name_text = shstr.len;
    if (ob_put(&shstr, section, strlen(section) + 1))
        goto out;
    sh_name_symtab = shstr.len;
    if (ob_put(&shstr, ".symtab", 8))
        goto out;
    sh_name_strtab = shstr.len;
    if (ob_put(&shstr, ".strtab", 8))
        goto out;
    sh_name_shstrtab = shstr.len;
    if (ob_put(&shstr, ".shstrtab", 10))
        goto out;

    /* header placeholder, then the code */
    if (ob_put(b, &eh, sizeof eh))
        goto out;
    text_off = b->len;
    for (size_t k = 0; k < n; k++) {
        unsigned char w[8];
        fc_insn_encode(insns[k], w);
        if (ob_put(b, w, 8))
            goto out;
    }

    /* symbols: null, the section (local), the entry (global function) */
    sym[1].st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
    sym[1].st_shndx = 1;
    sym[2].st_name = (Elf64_Word)name_entry;
    sym[2].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    sym[2].st_other = STV_DEFAULT;
    sym[2].st_shndx = 1;
    sym[2].st_value = 0;
    sym[2].st_size = n * FC_INSN_SIZE;
    if (ob_align(b, 8))
        goto out;
    sym_off = b->len;
    if (ob_put(b, sym, sizeof sym))
        goto out;
    str_off = b->len;
    if (ob_put(b, str.p, str.len))
        goto out;
    shstr_off = b->len;
    if (ob_put(b, shstr.p, shstr.len) || ob_align(b, 8))
        goto out;
    sh_off = b->len;

    sh[1].sh_name = (Elf64_Word)sh_name_text;
    sh[1].sh_type = SHT_PROGBITS;
    sh[1].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
    sh[1].sh_offset = text_off;
    sh[1].sh_size = n * FC_INSN_SIZE;
    sh[1].sh_addralign = 8;
    sh[2].sh_name = (Elf64_Word)sh_name_symtab;
    sh[2].sh_type = SHT_SYMTAB;
    sh[2].sh_offset = sym_off;
    sh[2].sh_size = sizeof sym;
    sh[2].sh_link = 3;     /* its string table */
    sh[2].sh_info = 2;     /* index of the first global symbol */
    sh[2].sh_addralign = 8;
    sh[2].sh_entsize = sizeof(Elf64_Sym);
    sh[3].sh_name = (Elf64_Word)sh_name_strtab;
    sh[3].sh_type = SHT_STRTAB;
    sh[3].sh_offset = str_off;
    sh[3].sh_size = str.len;
    sh[3].sh_addralign = 1;
    sh[4].sh_name = (Elf64_Word)sh_name_shstrtab;
    sh[4].sh_type = SHT_STRTAB;
    sh[4].sh_offset = shstr_off;
    sh[4].sh_size = shstr.len;
    sh[4].sh_addralign = 1;
    if (ob_put(b, sh, sizeof sh))
        goto out;

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_REL;
    eh.e_machine = EM_BPF;
    eh.e_version = EV_CURRENT;
    eh.e_shoff = sh_off;
    eh.e_ehsize = sizeof eh;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 5;
    eh.e_shstrndx = 4;
    memcpy(b->p, &eh, sizeof eh);   /* the build host is little-endian like the object */
    rc = 0;
out:
    free(str.p);
    free(shstr.p);
    return rc;
}

/* ---- main ----------------------------------------------------------------- */
enum fmt { OUT_DEFAULT, OUT_RAW, OUT_ELF, OUT_HEX };

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static char *default_output(const char *in, const char *ext)
{
    const char *base = strrchr(in, '/');
    const char *dot;
    size_t stem;
    char *o;
    base = base ? base + 1 : in;
    dot = strrchr(base, '.');
    stem = dot && dot != base ? (size_t)(dot - in) : strlen(in);
    o = malloc(stem + strlen(ext) + 1);
    if (!o)
        return NULL;
    memcpy(o, in, stem);
    strcpy(o + stem, ext);
    return o;
}

static void report(const char *file, const fc_asm_error *e)
{
    if (e->line)
        fprintf(stderr, "%s:%u: error: %s\n", file, e->line, e->msg);
    else
        fprintf(stderr, "%s: error: %s\n", file, e->msg);
}

static int write_out(const char *path, const void *d, size_t n)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "%s: error: cannot open %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    if ((n && fwrite(d, 1, n, f) != n) || (f != stdout ? fclose(f) : fflush(f))) {
        fprintf(stderr, "%s: error: cannot write %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    return 0;
}

static int disassemble(const char *in, const char *out, int verbose)
{
    char *buf, *text;
    size_t len, n, need;
    fc_insn *insns;
    int rc;

    if (read_all(in, &buf, &len)) {
        fprintf(stderr, "%s: error: cannot read %s: %s\n", prog, in, strerror(errno));
        return 1;
    }
    if (len % FC_INSN_SIZE) {
        fprintf(stderr, "%s: error: %zu bytes is not a whole number of 8-byte instructions\n", in, len);
        free(buf);
        return 1;
    }
    n = len / FC_INSN_SIZE;
    insns = malloc((n ? n : 1) * sizeof *insns);
    if (!insns) {
        free(buf);
        return 1;
    }
    for (size_t k = 0; k < n; k++)
        insns[k] = fc_insn_decode((const uint8_t *)buf + k * FC_INSN_SIZE);
    free(buf);
    unsigned flags = verbose ? FC_DISASM_INDEX | FC_DISASM_RAW | FC_DISASM_TARGET : 0;
    need = fc_disasm_prog_buf(insns, n, flags, NULL, 0);
    text = malloc(need + 1);
    if (!text) {
        free(insns);
        return 1;
    }
    fc_disasm_prog_buf(insns, n, flags, text, need + 1);
    rc = write_out(out ? out : "-", text, need) ? 1 : 0;
    free(text);
    free(insns);
    return rc;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *section = ".text", *entry = "main";
    enum fmt fmt = OUT_DEFAULT;
    int data = 0, disasm = 0, verbose = 0;
    char *text = NULL, *out_alloc = NULL;
    size_t len = 0, n = 0;
    fc_insn *insns = NULL;
    fc_asm_error err;
    obuf ob = {0};
    int rc = 1;

    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("femto-as (femtoc) 0.14\n");
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--section") || !strcmp(a, "--entry")) {
            if (k + 1 >= argc) {
                fprintf(stderr, "%s: error: missing argument to '%s'\n", prog, a);
                return 1;
            }
            if (!strcmp(a, "-o"))
                out = argv[++k];
            else if (!strcmp(a, "--section"))
                section = argv[++k];
            else
                entry = argv[++k];
        } else if (!strncmp(a, "-o", 2) && a[2]) {
            out = a + 2;
        } else if (!strcmp(a, "--raw")) {
            fmt = OUT_RAW;
        } else if (!strcmp(a, "--elf")) {
            fmt = OUT_ELF;
        } else if (!strcmp(a, "--hex")) {
            fmt = OUT_HEX;
        } else if (!strcmp(a, "--data")) {
            data = 1;
        } else if (!strcmp(a, "-d") || !strcmp(a, "--disassemble")) {
            disasm = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "%s: error: unrecognized option '%s'\n"
                            "Try 'femto-as --help' for more information.\n", prog, a);
            return 1;
        } else if (in) {
            fprintf(stderr, "%s: error: more than one input file ('%s' and '%s')\n", prog, in, a);
            return 1;
        } else {
            in = a;
        }
    }
    if (!in) {
        fprintf(stderr, "%s: error: no input file\nTry 'femto-as --help' for more information.\n", prog);
        return 1;
    }
    if (!*section || !*entry) {
        fprintf(stderr, "%s: error: empty section or entry name\n", prog);
        return 1;
    }
    if (disasm)
        return disassemble(in, out, verbose);

    if (fmt == OUT_DEFAULT)
        fmt = out && ends_with(out, ".o") ? OUT_ELF : OUT_RAW;
    if (!out) {
        if (!strcmp(in, "-"))
            out = "-";
        else
            out = out_alloc = default_output(in, fmt == OUT_ELF ? ".o" : fmt == OUT_HEX ? ".hex" : ".bin");
        if (!out)
            return 1;
    }

    if (data) {
        fc_testdata td;
        if (strcmp(in, "-") == 0) {
            if (read_all(in, &text, &len)) {
                fprintf(stderr, "%s: error: cannot read standard input: %s\n", prog, strerror(errno));
                goto done;
            }
            if (fc_testdata_parse(text, len, &td, &err)) {
                report(in, &err);
                goto done;
            }
        } else if (fc_testdata_load(in, &td, &err)) {
            report(in, &err);
            goto done;
        }
        if (fc_testdata_program(&td, &insns, &n, &err)) {
            report(in, &err);
            fc_testdata_free(&td);
            goto done;
        }
        fc_testdata_free(&td);
    } else {
        if (read_all(in, &text, &len)) {
            fprintf(stderr, "%s: error: cannot read %s: %s\n", prog, in, strerror(errno));
            goto done;
        }
        if (fc_asm(text, len, &insns, &n, &err)) {
            report(in, &err);
            goto done;
        }
        if (n == 0) {
            fprintf(stderr, "%s: error: no instructions\n", in);
            goto done;
        }
    }

    switch (fmt) {
    case OUT_ELF:
        for (size_t k = 0; k < n; k++)
            if (fc_insn_slots(insns[k]) == 2 && fc_src(insns[k]) == FC_LDDW_SECTION) {
                fprintf(stderr, "%s: error: slot %zu: section-address lddw needs a relocation, "
                                "which the ELF writer does not produce\n", in, k);
                goto done;
            }
        if (write_elf(&ob, insns, n, section, entry)) {
            fprintf(stderr, "%s: error: out of memory\n", prog);
            goto done;
        }
        break;
    case OUT_HEX:
        for (size_t k = 0; k < n; k++) {
            unsigned char w[8];
            char h[4];
            fc_insn_encode(insns[k], w);
            for (int b = 0; b < 8; b++) {
                snprintf(h, sizeof h, "%02x ", w[b]);
                if (ob_put(&ob, h, 3))
                    goto done;
            }
        }
        if (ob_put(&ob, "\n", 1))
            goto done;
        break;
    default:
        for (size_t k = 0; k < n; k++) {
            unsigned char w[8];
            fc_insn_encode(insns[k], w);
            if (ob_put(&ob, w, 8))
                goto done;
        }
        break;
    }
    rc = write_out(out, ob.p, ob.len) ? 1 : 0;
done:
    free(ob.p);
    free(text);
    free(insns);
    free(out_alloc);
    return rc;
}
