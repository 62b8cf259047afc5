/*
 * femto-conformance-plugin - the executable the bpf_conformance runner
 * drives (see ../shared/conformance/README.md):
 *
 *   femto-conformance-plugin [MEMORY] [--engine NAME] [--elf] < program
 *
 * MEMORY (present only when the test has input memory) is one argument of
 * hex bytes separated by blanks ("00  01  02  "); it becomes the read-write
 * context (r1 = its address, r2 = its length; without it r1 = r2 = 0).
 * Standard input holds the program as hex bytes, or with --elf a hex-encoded
 * eBPF ELF object. On success r0 goes to standard output in hex and the exit
 * status is 0; on failure a message goes to standard error and the status
 * is 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_engine.h"
#include "fc_isa.h"

#include "fc_elf.h"

static void usage(FILE *f)
{
    fprintf(f,
"Usage: femto-conformance-plugin [MEMORY] [options] < PROGRAM\n"
"Run one eBPF program for the bpf_conformance runner and print r0 in hex.\n"
"\n"
"  MEMORY          input memory as hex bytes in one argument (\"00 01 02\"),\n"
"                  mapped read-write; r1 = its address, r2 = its length\n"
"  PROGRAM         hex bytes on standard input: raw instructions, or with\n"
"                  --elf an eBPF ELF object\n"
"\n"
"Options:\n"
"  --engine NAME   engine to run the program on (default interp):\n");
    for (size_t k = 0; k < fc_engines_count; k++)
        fprintf(f, "                    %-8s %s\n", fc_engines[k].name, fc_engines[k].desc);
    fprintf(f,
"  --elf           standard input is a hex-encoded ELF object (entry: the\n"
"                  single program section, or symbol 'main')\n"
"  -h, --help      display this information\n"
"  --version       display the version\n"
"\n"
"Exit status 0 with r0 on standard output, 1 with a message on standard\n"
"error when the program fails or cannot be loaded.\n");
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

typedef struct bytes {
    uint8_t *p;
    size_t n, cap;
} bytes;

static int push(bytes *b, uint8_t v)
{
    if (b->n == b->cap) {
        size_t c = b->cap ? b->cap * 2 : 256;
        uint8_t *q = realloc(b->p, c);
        if (!q)
            return -1;
        b->p = q;
        b->cap = c;
    }
    b->p[b->n++] = v;
    return 0;
}

/*
 * Hex bytes separated by blanks; a token is one or two hex digits. Reads
 * from the string s, or from f when s is NULL. Returns 0 or -1 with why.
 */
static int parse_hex(const char *s, FILE *f, bytes *out, const char **why)
{
    int c, digits = 0, v = 0;
    size_t k = 0;
    for (;;) {
        c = s ? (s[k] ? (unsigned char)s[k++] : EOF) : getc(f);
        if (c == EOF || is_blank(c)) {
            if (digits) {
                if (push(out, (uint8_t)v)) {
                    *why = "out of memory";
                    return -1;
                }
                digits = 0;
                v = 0;
            }
            if (c == EOF)
                break;
            continue;
        }
        if (hexval(c) < 0 || digits == 2) {
            *why = "expected hex bytes separated by blanks";
            return -1;
        }
        v = v * 16 + hexval(c);
        digits++;
    }
    if (f && ferror(f)) {
        *why = "read error";
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *ename = "interp";
    const fc_engine *e;
    int elf = 0, k = 1;
    bytes mem = {0}, code = {0};
    fc_insn *insns = NULL;
    size_t n = 0;
    fc_engine_result res;
    const char *why = NULL;
    int rc = 1;

    /* the memory argument, when there is one, comes first */
    if (argc > 1 && argv[1][0] != '-') {
        if (parse_hex(argv[1], NULL, &mem, &why)) {
            fprintf(stderr, "femto-conformance-plugin: memory argument: %s\n", why);
            return 1;
        }
        k = 2;
    }
    for (; k < argc; k++) {
        if (!strcmp(argv[k], "--elf")) {
            elf = 1;
        } else if (!strcmp(argv[k], "--engine") && k + 1 < argc) {
            ename = argv[++k];
        } else if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
            usage(stdout);
            rc = 0;
            goto out;
        } else if (!strcmp(argv[k], "--version")) {
            printf("femto-conformance-plugin (femtoc) 0.14\n");
            rc = 0;
            goto out;
        } else {
            fprintf(stderr, "femto-conformance-plugin: unrecognized argument '%s' "
                            "(try --help)\n", argv[k]);
            goto out;
        }
    }
    e = fc_engine_find(ename);
    if (!e) {
        fprintf(stderr, "femto-conformance-plugin: unknown engine '%s' (try --help)\n", ename);
        goto out;
    }
    if (parse_hex(NULL, stdin, &code, &why)) {
        fprintf(stderr, "femto-conformance-plugin: program on standard input: %s\n", why);
        goto out;
    }

    if (elf) {
        fc_prog prog;
        fc_diag items[8];
        fc_diags d = {items, 8, 0, 0, 0};
        memset(&prog, 0, sizeof prog);
        if (fc_elf_read(code.p, code.n, "<stdin>", NULL, &prog, &d)) {
            fprintf(stderr, "femto-conformance-plugin: ELF: %s\n",
                    d.n ? d.items[0].msg : "cannot read the object");
            fc_elf_free(&prog);
            goto out;
        }
        if (prog.rodata_len || prog.data_len || prog.bss_len) {
            fprintf(stderr, "femto-conformance-plugin: ELF: data sections are not supported here\n");
            fc_elf_free(&prog);
            goto out;
        }
        n = prog.ninsns;
        insns = malloc((n ? n : 1) * sizeof *insns);
        if (!insns) {
            fc_elf_free(&prog);
            goto out;
        }
        if (n)
            memcpy(insns, prog.insns, n * sizeof *insns);
        fc_elf_free(&prog);
    } else {
        if (code.n % FC_INSN_SIZE) {
            fprintf(stderr, "femto-conformance-plugin: program of %zu bytes is not a whole "
                            "number of 8-byte instructions\n", code.n);
            goto out;
        }
        n = code.n / FC_INSN_SIZE;
        insns = malloc((n ? n : 1) * sizeof *insns);
        if (!insns)
            goto out;
        for (size_t i = 0; i < n; i++)
            insns[i] = fc_insn_decode(code.p + i * FC_INSN_SIZE);
    }

    if (fc_engine_exec(e, insns, n, mem.p, mem.n, &res) != 0) {
        fprintf(stderr, "%s\n", res.msg);
        goto out;
    }
    printf("%" PRIx64 "\n", res.r0);
    rc = fflush(stdout) ? 1 : 0;
out:
    free(insns);
    free(mem.p);
    free(code.p);
    return rc;
}
