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
 *
 *   femto-conformance-plugin --batch [--engine NAME] [--elf] < runs
 *
 * runs many programs in one process (two lines each, the memory and the
 * program; one line of output each, "0 R0" or "1 MESSAGE"): the test step's
 * native engines, whose one-run processes would each start the simulator.
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
"  --batch         many runs: standard input holds two lines per run, the\n"
"                  memory (empty for none) and the program; standard output\n"
"                  one line per run, \"0 R0\" or \"1 MESSAGE\"\n"
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

/*
 * One run: the memory (hex string or NULL), the program (hex from the
 * string prog, or from standard input when it is NULL). On success r0 goes
 * to out in hex and the result is 0; on failure the message goes to err and
 * the result is 1: what the process's standard output, standard error and
 * exit status are in the runner's one-run protocol.
 */
static int run_case(const fc_engine *e, int elf, const char *memhex, const char *prog,
                    FILE *out, FILE *err)
{
    bytes mem = {0}, code = {0};
    fc_insn *insns = NULL;
    size_t n = 0;
    fc_engine_result res;
    const char *why = NULL;
    int rc = 1;

    if (memhex && parse_hex(memhex, NULL, &mem, &why)) {
        fprintf(err, "femto-conformance-plugin: memory argument: %s\n", why);
        goto out;
    }
    if (parse_hex(prog, prog ? NULL : stdin, &code, &why)) {
        fprintf(err, "femto-conformance-plugin: program on standard input: %s\n", why);
        goto out;
    }

    if (elf) {
        fc_prog fp;
        fc_diag items[8];
        fc_diags d = {items, 8, 0, 0, 0};
        memset(&fp, 0, sizeof fp);
        if (fc_elf_read(code.p, code.n, "<stdin>", NULL, &fp, &d)) {
            fprintf(err, "femto-conformance-plugin: ELF: %s\n",
                    d.n ? d.items[0].msg : "cannot read the object");
            fc_elf_free(&fp);
            goto out;
        }
        if (fp.rodata_len || fp.data_len || fp.bss_len) {
            fprintf(err, "femto-conformance-plugin: ELF: data sections are not supported here\n");
            fc_elf_free(&fp);
            goto out;
        }
        n = fp.ninsns;
        insns = malloc((n ? n : 1) * sizeof *insns);
        if (!insns) {
            fc_elf_free(&fp);
            goto out;
        }
        if (n)
            memcpy(insns, fp.insns, n * sizeof *insns);
        fc_elf_free(&fp);
    } else {
        if (code.n % FC_INSN_SIZE) {
            fprintf(err, "femto-conformance-plugin: program of %zu bytes is not a whole "
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
        fprintf(err, "%s\n", res.msg);
        goto out;
    }
    fprintf(out, "%" PRIx64 "\n", res.r0);
    rc = 0;
out:
    free(insns);
    free(mem.p);
    free(code.p);
    return rc;
}

/* A line of standard input without its newline; NULL at the end. */
static char *read_line(char **buf, size_t *cap)
{
    size_t n = 0;
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
        if (n + 1 >= *cap) {
            size_t k = *cap ? *cap * 2 : 1024;
            char *q = realloc(*buf, k);
            if (!q)
                return NULL;
            *buf = q;
            *cap = k;
        }
        (*buf)[n++] = (char)c;
    }
    if (c == EOF && n == 0)
        return NULL;
    if (!*buf && !(*buf = malloc(*cap = 1)))
        return NULL;
    (*buf)[n] = 0;
    return *buf;
}

/*
 * --batch: many runs in one process (the test step's native engines). Each
 * run is two lines of standard input, the memory (empty when there is none)
 * and the program, both hex as above; each gives one line of standard
 * output: "0 R0" or "1 MESSAGE", the exit status and output of the same run
 * alone. The exit status is 0 when every pair was read.
 */
static int run_batch(const fc_engine *e, int elf)
{
    char *mline = NULL, *pline = NULL, *msg = NULL;
    size_t mcap = 0, pcap = 0, mlen = 0;
    int rc = 0;
    for (;;) {
        if (!read_line(&mline, &mcap))
            break;
        /* the memory line's copy: read_line reuses its buffer */
        char *mem = mline[0] ? strdup(mline) : NULL;
        if (!read_line(&pline, &pcap)) {
            fprintf(stderr, "femto-conformance-plugin: --batch: a memory line without a program line\n");
            free(mem);
            rc = 1;
            break;
        }
        FILE *m = open_memstream(&msg, &mlen);
        if (!m) {
            free(mem);
            rc = 1;
            break;
        }
        /* r0 or the message, one stream: the first line of either, as the
         * runner reads standard output or standard error */
        int r = run_case(e, elf, mem, pline, m, m);
        fclose(m);
        msg[strcspn(msg, "\n")] = 0;
        printf("%d %s\n", r, msg);
        free(msg);
        msg = NULL;
        free(mem);
    }
    free(mline);
    free(pline);
    return fflush(stdout) || rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *ename = "interp";
    const char *memhex = NULL;
    const fc_engine *e;
    int elf = 0, batch = 0, k = 1;

    /* the memory argument, when there is one, comes first */
    if (argc > 1 && argv[1][0] != '-') {
        memhex = argv[1];
        k = 2;
    }
    for (; k < argc; k++) {
        if (!strcmp(argv[k], "--elf")) {
            elf = 1;
        } else if (!strcmp(argv[k], "--batch")) {
            batch = 1;
        } else if (!strcmp(argv[k], "--engine") && k + 1 < argc) {
            ename = argv[++k];
        } else if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[k], "--version")) {
            printf("femto-conformance-plugin (femtoc) 0.14\n");
            return 0;
        } else {
            fprintf(stderr, "femto-conformance-plugin: unrecognized argument '%s' "
                            "(try --help)\n", argv[k]);
            return 1;
        }
    }
    e = fc_engine_find(ename);
    if (!e) {
        fprintf(stderr, "femto-conformance-plugin: unknown engine '%s' (try --help)\n", ename);
        return 1;
    }
    if (batch) {
        if (memhex) {
            fprintf(stderr, "femto-conformance-plugin: --batch takes the memory on standard input\n");
            return 1;
        }
        return run_batch(e, elf);
    }
    if (run_case(e, elf, memhex, NULL, stdout, stderr))
        return 1;
    return fflush(stdout) ? 1 : 0;
}
