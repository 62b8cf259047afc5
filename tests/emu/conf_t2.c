/*
 * conf-thumbv7m - the conformance suite through the thumbv7m backend.
 *
 *   conf-thumbv7m [-v] [-c] [-m BACKEND] DIR|FILE...
 *
 * -m: another backend of fc_backend_table (rv32imac, rv32ima), run in the
 * emulator of its target (fc_emu_open_target); names below follow it.
 *
 * Every .data program is compiled by the Thumb-2 backend without verifier
 * facts (so every memory access is checked) and run in Unicorn on an
 * emulated Cortex-M3 (tools/fc_emu.h), and run by the interpreter with the
 * same guest addresses. A case passes when the native run gives the
 * file's expectation (its -- result, or some error for -- error) AND agrees
 * with the interpreter exactly: r0, error code, error slot, budget left,
 * memory afterwards. When the verifier (compiler/fc_verify.h) accepts the
 * program (context size = the -- mem length, RFC 9669 shift masking, helper
 * 5 allowed), it is compiled again with the verifier's facts (proven
 * accesses unchecked, hi-half facts) and must pass the same way. The
 * context is the -- mem bytes, read-write; helper 5 is the suite's
 * "unwind". -c: count executed instructions (interpreter / Cortex-M3).
 * A program the backend does not compile fails its case.
 *
 * Prints failures (every case with -v) and ends with
 * "conformance-thumbv7m: N passed, N failed[, N skipped]"; skipped cases are
 * the exclusions below, each printed with its reason on every run.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fc_emu.h"
#include "fc_engine.h"
#include "fc_testdata.h"
#include "fc_verify.h"

/* Cases not run, with the reason (none today). */
static const struct {
    const char *file;
    const char *reason;
} exclusions[] = {
    {NULL, NULL}
};

/* the suite's helper 5 ("unwind", uBPF): returns r1; 0 stops the program */
static uint64_t conf_unwind(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
                            uint64_t r5)
{
    (void)r2, (void)r3, (void)r4, (void)r5;
    if (r1 == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return r1;
}
static const fc_helper conf_helpers[] = {{5, conf_unwind, "unwind"}};

static int counting;
static const fc_backend *bk = &fc_backend_thumbv7m;
static unsigned long long tot_interp, tot_native, n_verified, n_proven, n_checked;

/* the verifier's facts for a program, NULL if it refuses it */
static fc_insn_info *verify(const fc_insn *insns, size_t n, uint32_t ctx_len)
{
    static const fc_vfy_helper unwind = {5, FC_HSIG_UNKNOWN, {0}, "unwind"};
    fc_prog p;
    fc_vfy_opts o;
    fc_vfy_stats st;
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)insns;
    p.ninsns = (uint32_t)n;
    memset(&o, 0, sizeof o);
    o.ctx_size = ctx_len;
    o.helpers = &unwind;
    o.nhelpers = 1;
    o.flags = FC_VFY_F_MASKED_SHIFTS;
    size_t wl = fc_vfy_workspace_size(&p);
    void *ws = malloc(wl ? wl : 1);
    fc_insn_info *info = calloc(n + 1, sizeof *info);
    if (!ws || !info || fc_vfy_run(&p, &o, ws, wl, info, &st, NULL) != 0) {
        free(ws);
        free(info);
        return NULL;
    }
    free(ws);
    n_verified++;
    n_proven += st.loads_proven + st.stores_proven;
    n_checked += st.loads_checked + st.stores_checked;
    return info;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* 1 pass, 0 fail, -1 skip */
static int run_case(fc_emu *e, const char *path, int verbose)
{
    fc_testdata td;
    fc_asm_error aerr;
    fc_insn *insns = NULL;
    size_t n = 0;
    char msg[512];
    fc_emu_case c;
    fc_emu_outcome oi, on;
    int ok = 0;

    for (unsigned k = 0; exclusions[k].file; k++)
        if (!strcmp(exclusions[k].file, base_name(path))) {
            printf("SKIP %s: %s\n", base_name(path), exclusions[k].reason);
            return -1;
        }
    if (fc_testdata_load(path, &td, &aerr)) {
        printf("FAIL %s:%u: %s\n", base_name(path), aerr.line, aerr.msg);
        return 0;
    }
    if (fc_testdata_program(&td, &insns, &n, &aerr)) {
        printf("FAIL %s:%u: %s\n", base_name(path), aerr.line, aerr.msg);
        fc_testdata_free(&td);
        return 0;
    }
    for (size_t pc = 0; pc < n; pc += fc_insn_slots(insns[pc])) {
        enum fc_insn_fault f = fc_insn_check(&insns[pc], pc + 1 < n ? &insns[pc + 1] : NULL, NULL);
        if (f != FC_INSN_OK) {
            printf("FAIL %s: slot %zu: %s\n", base_name(path), pc, fc_insn_fault_str(f));
            goto out;
        }
    }
    memset(&c, 0, sizeof c);
    c.insns = insns;
    c.n = (uint32_t)n;
    c.ctx = td.mem;
    c.ctx_len = (uint32_t)td.mem_len;
    c.helpers = conf_helpers;
    c.nhelpers = 1;
    c.backend = bk;
    fc_insn_info *info = verify(insns, n, c.ctx_len);
    for (int facts = 0; facts < 2; facts++) {
        if (facts && !info)
            break;
        c.info = facts ? info : NULL;
        int d = fc_emu_diff(e, &c, &oi, &on, msg, sizeof msg);
        if (d < 0) {
            printf("FAIL %s%s: %s\n", base_name(path), facts ? " (verifier facts)" : "", msg);
            free(info);
            goto out;
        }
        if (d > 0) {
            printf("FAIL %s%s: interpreter and %s differ: %s\n", base_name(path),
                   facts ? " (verifier facts)" : "", bk->name, msg);
            free(info);
            goto out;
        }
        if (counting && facts == (info != NULL)) {
            tot_interp += oi.insns;
            tot_native += on.insns;
            printf("COUNT %s: interpreter %llu insns, %s %llu insns, %u code bytes%s\n",
                   base_name(path), (unsigned long long)oi.insns, bk->name, (unsigned long long)on.insns,
                   on.code_len, facts ? " (verifier facts)" : "");
        }
    }
    free(info);
    if (bk == &fc_backend_thumbv7m) {
        /* the engine adapter (tests/emu/t2_engine.c) must give the same outcome */
        fc_engine_result er;
        uint8_t *m = td.mem_len ? malloc(td.mem_len) : NULL;
        if (td.mem_len)
            memcpy(m, td.mem, td.mem_len);
        fc_engine_thumbv7m_run(insns, n, m, td.mem_len, &er);
        free(m);
        if (er.err != on.err || (er.err == FC_OK && er.r0 != on.r0) ||
            (er.err != FC_OK && er.err_pc != on.err_pc)) {
            printf("FAIL %s: the engine adapter gives %s r0 = 0x%" PRIx64 " (%s)\n", base_name(path),
                   fc_err_str(er.err), er.r0, er.msg);
            goto out;
        }
    }
    if (td.has_result && (on.err != FC_OK || on.r0 != td.result)) {
        printf("FAIL %s: expected r0 = 0x%" PRIx64 ", got %s r0 = 0x%" PRIx64 " (both engines)\n",
               base_name(path), td.result, fc_err_str(on.err), on.r0);
        goto out;
    }
    if (!td.has_result && td.has_error && on.err == FC_OK) {
        printf("FAIL %s: expected an error (\"%s\"), got r0 = 0x%" PRIx64 "\n", base_name(path),
               td.error, on.r0);
        goto out;
    }
    if (!td.has_result && !td.has_error) {
        printf("FAIL %s: no -- result or -- error: nothing to check\n", base_name(path));
        goto out;
    }
    ok = 1;
    if (verbose)
        printf("PASS %s: %s r0 = 0x%" PRIx64 " (%u bytes of code)\n", base_name(path),
               fc_err_str(on.err), on.r0, on.code_len);
out:
    free(insns);
    fc_testdata_free(&td);
    return ok;
}

int main(int argc, char **argv)
{
    int verbose = 0, pass = 0, fail = 0, skip = 0, files = 0;
    char err[256];
    for (int a = 1; a < argc; a++) {
        if (a + 1 < argc && !strcmp(argv[a], "-m") && !(bk = fc_backend_find(argv[a + 1]))) {
            fprintf(stderr, "conf-thumbv7m: no backend '%s'\n", argv[a + 1]);
            printf("conformance-%s: 0 passed, 1 failed\n", argv[a + 1]);
            return 1;
        }
    }
    fc_emu *e = fc_emu_open_target(bk->target, err, sizeof err);

    if (!e) {
        fprintf(stderr, "conf-thumbv7m: %s\n", err);
        printf("conformance-%s: 0 passed, 1 failed\n", bk->name);
        return 1;
    }
    for (int a = 1; a < argc; a++) {
        struct stat st;
        if (!strcmp(argv[a], "-m") && a + 1 < argc) {
            a++;
            continue;
        }
        if (!strcmp(argv[a], "-v")) {
            verbose = 1;
            continue;
        }
        if (!strcmp(argv[a], "-c")) {
            counting = 1;
            fc_emu_count(e, 1);
            continue;
        }
        if (stat(argv[a], &st) != 0) {
            printf("FAIL %s: no such file or directory\n", argv[a]);
            fail++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            int r = run_case(e, argv[a], verbose);
            files++;
            r > 0 ? pass++ : r == 0 ? fail++ : skip++;
            continue;
        }
        DIR *d = opendir(argv[a]);
        struct dirent *de;
        char **names = NULL;
        size_t nn = 0;
        while (d && (de = readdir(d))) {
            size_t l = strlen(de->d_name);
            if (l > 5 && !strcmp(de->d_name + l - 5, ".data")) {
                names = realloc(names, (nn + 1) * sizeof *names);
                names[nn] = malloc(strlen(argv[a]) + l + 2);
                sprintf(names[nn++], "%s/%s", argv[a], de->d_name);
            }
        }
        if (d)
            closedir(d);
        if (nn == 0) {
            printf("FAIL %s: no .data files\n", argv[a]);
            fail++;
        }
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t k = 0; k < nn; k++) {
            int r = run_case(e, names[k], verbose);
            files++;
            r > 0 ? pass++ : r == 0 ? fail++ : skip++;
            free(names[k]);
        }
        free(names);
    }
    fc_emu_close(e);
    printf("verifier facts: %llu programs verified (%llu accesses proven, %llu checked), each also "
           "compiled and run with the facts\n", n_verified, n_proven, n_checked);
    if (counting)
        printf("executed instructions: interpreter %llu, %s %llu\n", tot_interp, bk->name,
               tot_native);
    if (files == 0)
        fail++;
    if (skip)
        printf("conformance-%s: %d passed, %d failed, %d skipped\n", bk->name, pass, fail, skip);
    else
        printf("conformance-%s: %d passed, %d failed\n", bk->name, pass, fail);
    return fail ? 1 : 0;
}
