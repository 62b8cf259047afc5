/*
 * run-conformance - run the bpf_conformance .data files through an engine.
 *
 *   run-conformance [--engine NAME] [-v] DIR|FILE...            step `conformance`
 *   run-conformance --negative [--engine NAME] [-v] DIR|FILE... step `negative`
 *
 * Conformance: each program (its -- raw section, else its assembled -- asm)
 * must pass fc_insn_check and run with the -- mem bytes as a read-write
 * context (r1 = address, r2 = length; no memory: r1 = r2 = 0), giving the
 * -- result r0, or failing when the file expects an -- error.
 *
 * Negative: each case must be rejected, by the .data reader, the assembler
 * (with the line), fc_insn_check, or (a well-formed program) by giving an
 * outcome other than the one the file claims. The reason is printed for
 * every case.
 *
 * Prints one line per failure (and per case with -v) and ends with
 * "conformance: N passed, N failed[, N skipped]" (skipped = the exclusions
 * below, each printed with its reason on every run).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fc_engine.h"
#include "fc_testdata.h"
#include "fc_vm.h"

/*
 * Cases not run, with the reason. One list for every engine ("*") or per
 * engine. Empty today: every case in the shared suite passes on interp.
 */
static const struct {
    const char *engine;
    const char *file;
    const char *reason;
} exclusions[] = {
    {NULL, NULL, NULL} /* sentinel */
};

static const char *excluded(const char *engine, const char *base)
{
    for (size_t k = 0; exclusions[k].file; k++)
        if ((!strcmp(exclusions[k].engine, "*") || !strcmp(exclusions[k].engine, engine)) &&
            !strcmp(exclusions[k].file, base))
            return exclusions[k].reason;
    return NULL;
}

/* ---- file list ------------------------------------------------------------ */
typedef struct flist {
    char **v;
    size_t n, cap;
} flist;

static int fl_add(flist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 256;
        char **q = realloc(l->v, c * sizeof *q);
        if (!q)
            return -1;
        l->v = q;
        l->cap = c;
    }
    l->v[l->n] = strdup(s);
    return l->v[l->n] ? (l->n++, 0) : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory gives its *.data files, sorted; a missing or empty one is an
 * error (never a silent pass). */
static int collect(flist *l, const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    size_t before = l->n;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "run-conformance: error: %s: no such file or directory\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return fl_add(l, path);
    d = opendir(path);
    if (!d) {
        fprintf(stderr, "run-conformance: error: cannot open %s\n", path);
        return -1;
    }
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        char buf[4096];
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".data"))
            continue;
        snprintf(buf, sizeof buf, "%s/%s", path, de->d_name);
        if (fl_add(l, buf)) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    if (l->n == before) {
        fprintf(stderr, "run-conformance: error: %s holds no .data files\n", path);
        return -1;
    }
    qsort(l->v + before, l->n - before, sizeof *l->v, cmp_str);
    return 0;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- one case ------------------------------------------------------------- */
enum verdict { V_PASS, V_FAIL, V_REJECTED_LOAD };

/*
 * Load, check and run one file. Returns V_REJECTED_LOAD when the file or its
 * program does not get as far as running (why in msg), else V_PASS/V_FAIL
 * against its expectation (why in msg).
 */
static enum verdict run_case(const fc_engine *e, const char *path, char *msg, size_t size)
{
    fc_testdata td;
    fc_asm_error err;
    fc_insn *insns = NULL;
    size_t n = 0;
    fc_engine_result res;
    enum verdict v = V_FAIL;
    uint8_t *mem = NULL;

    if (fc_testdata_load(path, &td, &err)) {
        if (err.line)
            snprintf(msg, size, "%s:%u: %s", base_name(path), err.line, err.msg);
        else
            snprintf(msg, size, "%s: %s", base_name(path), err.msg);
        return V_REJECTED_LOAD;
    }
    if (fc_testdata_program(&td, &insns, &n, &err)) {
        if (err.line)
            snprintf(msg, size, "%s:%u: %s", base_name(path), err.line, err.msg);
        else
            snprintf(msg, size, "%s: %s", base_name(path), err.msg);
        fc_testdata_free(&td);
        return V_REJECTED_LOAD;
    }
    if (!td.has_result && !td.has_error) {
        snprintf(msg, size, "%s: no -- result or -- error: nothing to check", base_name(path));
        free(insns);
        fc_testdata_free(&td);
        return V_REJECTED_LOAD;
    }
    if (fc_engine_check(insns, n, res.msg, sizeof res.msg) >= 0) {
        snprintf(msg, size, "%s: %s", base_name(path), res.msg);
        free(insns);
        fc_testdata_free(&td);
        return V_REJECTED_LOAD;
    }

    /* the engine works on a copy: the file's bytes stay as they are */
    if (td.mem_len) {
        mem = malloc(td.mem_len);
        if (!mem) {
            snprintf(msg, size, "out of memory");
            goto out;
        }
        memcpy(mem, td.mem, td.mem_len);
    }
    fc_engine_exec(e, insns, n, mem, td.mem_len, &res);

    if (td.has_result) {
        if (res.err != FC_OK)
            snprintf(msg, size, "%s: expected r0 = 0x%" PRIx64 ", got error: %s",
                     base_name(path), td.result, res.msg);
        else if (res.r0 != td.result)
            snprintf(msg, size, "%s: expected r0 = 0x%" PRIx64 ", got r0 = 0x%" PRIx64,
                     base_name(path), td.result, res.r0);
        else {
            snprintf(msg, size, "%s: r0 = 0x%" PRIx64, base_name(path), res.r0);
            v = V_PASS;
        }
    } else {
        /* -- error only: the suite's texts are uBPF's messages; any failure
         * counts, and the message is shown next to the expected one */
        if (res.err == FC_OK)
            snprintf(msg, size, "%s: expected an error (\"%s\"), got r0 = 0x%" PRIx64,
                     base_name(path), td.error, res.r0);
        else {
            snprintf(msg, size, "%s: error as expected: %s (file: \"%s\")", base_name(path),
                     res.msg, td.error);
            v = V_PASS;
        }
    }
out:
    free(mem);
    free(insns);
    fc_testdata_free(&td);
    return v;
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: run-conformance [options] DIR|FILE...\n"
"Run bpf_conformance .data files through an engine.\n"
"\n"
"  --engine NAME   engine to run (default interp):");
    for (size_t k = 0; k < fc_engines_count; k++)
        fprintf(f, " %s", fc_engines[k].name);
    fprintf(f, "\n"
"  --negative      every case must be rejected (malformed file, assembler\n"
"                  error, invalid instruction, or an outcome other than the\n"
"                  one the file states)\n"
"  -v, --verbose   one line per case, passing ones included\n"
"  -h, --help      this text\n");
}

int main(int argc, char **argv)
{
    const char *ename = "interp";
    const fc_engine *e;
    int negative = 0, verbose = 0;
    flist files = {0};
    unsigned pass = 0, failn = 0, skip = 0;
    const char *label;

    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--engine") && k + 1 < argc)
            ename = argv[++k];
        else if (!strcmp(argv[k], "--negative"))
            negative = 1;
        else if (!strcmp(argv[k], "-v") || !strcmp(argv[k], "--verbose"))
            verbose = 1;
        else if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[k][0] == '-') {
            fprintf(stderr, "run-conformance: error: unrecognized option '%s'\n", argv[k]);
            usage(stderr);
            return 2;
        } else if (collect(&files, argv[k])) {
            label = negative ? "negative" : "conformance";
            printf("%s: 0 passed, 1 failed\n", label);
            return 1;
        }
    }
    label = negative ? "negative" : "conformance";
    e = fc_engine_find(ename);
    if (!e) {
        fprintf(stderr, "run-conformance: error: unknown engine '%s'\n", ename);
        printf("%s: 0 passed, 1 failed\n", label);
        return 1;
    }
    if (files.n == 0) {
        fprintf(stderr, "run-conformance: error: no test files given\n");
        printf("%s: 0 passed, 1 failed\n", label);
        return 1;
    }
    printf("%s: engine %s (%s), %zu files\n", label, e->name, e->desc, files.n);
    {
        unsigned nex = 0;
        for (size_t k = 0; exclusions[k].file; k++)
            if (!strcmp(exclusions[k].engine, "*") || !strcmp(exclusions[k].engine, e->name))
                printf("exclusion: %s: %s\n", exclusions[k].file, exclusions[k].reason), nex++;
        if (!nex)
            printf("exclusions: none\n");
    }

    for (size_t k = 0; k < files.n; k++) {
        char msg[512];
        const char *why = excluded(e->name, base_name(files.v[k]));
        enum verdict v;

        if (why) {
            printf("EXCLUDED %s: %s\n", base_name(files.v[k]), why);
            skip++;
            free(files.v[k]);
            continue;
        }
        v = run_case(e, files.v[k], msg, sizeof msg);
        if (!negative) {
            if (v == V_PASS) {
                pass++;
                if (verbose)
                    printf("ok   %s\n", msg);
            } else {
                failn++;
                printf("FAIL %s\n", msg);
            }
        } else {
            /* a negative case passes when it is refused, for any reason */
            if (v == V_PASS) {
                failn++;
                printf("FAIL %s: accepted (%s)\n", base_name(files.v[k]), msg);
            } else {
                pass++;
                printf("ok   rejected: %s%s\n", msg,
                       v == V_REJECTED_LOAD ? "" : " [rejected at run time: outcome differs]");
            }
        }
        free(files.v[k]);
    }
    free(files.v);
    if (skip)
        printf("%s: %u passed, %u failed, %u skipped\n", label, pass, failn, skip);
    else
        printf("%s: %u passed, %u failed\n", label, pass, failn);
    return failn ? 1 : 0;
}
