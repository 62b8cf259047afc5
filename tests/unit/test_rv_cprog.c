/*
 * The C test programs of tests/c through the RV32 backends, with the
 * verifier's facts: each program is compiled by clang for eBPF, read by the
 * ELF reader, verified (context of 64 bytes, as tests/c/run-cprogs.sh), and
 * compiled by rv32imac and rv32ima with its fc_insn_info (proven accesses
 * unchecked, region hints, hi_zero / hi_dead) and without facts; each run
 * (seeds 1..6, the context filled from the seed as fc-cprog-run does) must
 * agree with the interpreter exactly (fc_emu_diff: r0, error, slot, budget,
 * context, .data, .bss, stack). These are the programs real compilers make:
 * loops, switch tables, structs, local calls, globals, atomics, v4 ops.
 *
 * Configurations: clang 14 -O2, and clang-19 -mcpu=v4 -O2 for the programs
 * whose "// compilers:" line allows v4 (the v4-only ones run just that).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fc_elf.h"
#include "fc_verify.h"
#include "fc_helpers.h"
#include "fc_emu.h"

#define CTX_LEN 64u

static int read_line(const char *path, const char *key, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    char line[256];
    size_t kl = strlen(key);
    out[0] = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl)) {
            char *p = line + kl;
            while (*p == ' ')
                p++;
            p[strcspn(p, "\r\n")] = 0;
            snprintf(out, size, "%s", p);
            break;
        }
    fclose(f);
    return 0;
}

static fc_insn_info *verify(const fc_prog *p)
{
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = CTX_LEN;
    size_t wl = fc_vfy_workspace_size(p);
    void *ws = malloc(wl ? wl : 1);
    fc_insn_info *info = calloc(p->ninsns + 1, sizeof *info);
    cr_assert(ws && info);
    int rc = fc_vfy_run(p, &vo, ws, wl, info, NULL, NULL);
    free(ws);
    if (rc) {
        free(info);
        return NULL;
    }
    return info;
}

/* run one object through both backends, with and without facts */
static unsigned run_object(fc_emu *e, const char *obj, const char *entry, const char *what)
{
    static const fc_backend *const bks[2] = {&fc_backend_rv32imac, &fc_backend_rv32ima};
    fc_prog p;
    fc_diag items[8];
    fc_diags d = {items, 8, 0, 0, 0};
    unsigned runs = 0;

    cr_assert_eq(fc_elf_read_file(obj, entry[0] ? entry : NULL, &p, &d), 0, "%s: %s", what,
                 d.n ? items[0].msg : "ELF reader failed");
    fc_insn_info *info = verify(&p);
    cr_assert(info, "%s: the verifier refuses it", what);
    for (unsigned seed = 1; seed <= 6; seed++) {
        uint8_t ctx[CTX_LEN];
        uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
        for (unsigned i = 0; i < CTX_LEN; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ctx[i] = (uint8_t)(x >> 24);
        }
        for (unsigned b = 0; b < 2; b++)
            for (unsigned facts = 0; facts < 2; facts++) {
                fc_emu_case c;
                fc_emu_outcome oi, on;
                char msg[300];
                memset(&c, 0, sizeof c);
                c.insns = p.insns;
                c.n = p.ninsns;
                c.info = facts ? info : NULL;
                c.ctx = ctx;
                c.ctx_len = CTX_LEN;
                c.rodata = p.rodata_len ? p.rodata : NULL;
                c.rodata_len = p.rodata_len;
                c.data = p.data_len ? p.data : NULL;
                c.data_len = p.data_len;
                c.bss_len = p.bss_len;
                c.helpers = fc_std_helpers;
                c.nhelpers = fc_std_helpers_count;
                c.backend = bks[b];
                int r = fc_emu_diff(e, &c, &oi, &on, msg, sizeof msg);
                cr_assert_eq(r, 0, "%s seed %u, %s%s: %s", what, seed, bks[b]->name,
                             facts ? " with facts" : "", msg);
                runs++;
            }
    }
    free(info);
    fc_elf_free(&p);
    return runs;
}

Test(rv_cprog, c_programs_agree_with_the_interpreter, .timeout = 600)
{
    static const struct { const char *name, *cmd; } cfg[] = {
        {"c14", "clang -target bpf -O2"},
        {"c19v4", "clang-19 --target=bpf -mcpu=v4 -O2"},
    };
    char dir[] = "/tmp/fc-rv-cprog-XXXXXX";
    char err[200];
    unsigned progs = 0, runs = 0;
    fc_emu *e = fc_emu_open_target(FC_TARGET_RV32IMAC, err, sizeof err);
    DIR *dd = opendir("tests/c");
    struct dirent *de;

    cr_assert(e, "%s", err);
    cr_assert(dd, "tests/c is missing (run from the source root)");
    cr_assert(mkdtemp(dir), "no temporary directory");
    while ((de = readdir(dd))) {
        size_t l = strlen(de->d_name);
        char src[300], comp[200], entry[64], obj[400], cmd[1200];
        if (l < 3 || strcmp(de->d_name + l - 2, ".c") || !strcmp(de->d_name, "native_main.c") ||
            !strcmp(de->d_name, "run_cprog.c"))
            continue;
        snprintf(src, sizeof src, "tests/c/%s", de->d_name);
        read_line(src, "// compilers:", comp, sizeof comp);
        read_line(src, "// entry:", entry, sizeof entry);
        for (unsigned k = 0; k < 2; k++) {
            /* no "// compilers:" line: every configuration; else those named
             * (c14*, or v4 / c19v4*) */
            int ok = !comp[0] || (k == 0 ? strstr(comp, "c14") != NULL
                                         : strstr(comp, "v4") != NULL);
            if (!ok) {
                printf("rv_cprog: %s [%s]: not built (its compilers: %s)\n", de->d_name,
                       cfg[k].name, comp);
                continue;
            }
            snprintf(obj, sizeof obj, "%s/%.*s.%s.o", dir, (int)(l - 2), de->d_name, cfg[k].name);
            snprintf(cmd, sizeof cmd, "%s -Itests/c -c %s -o %s", cfg[k].cmd, src, obj);
            cr_assert_eq(system(cmd), 0, "%s failed", cmd);
            char what[400];
            snprintf(what, sizeof what, "%s [%s]", de->d_name, cfg[k].name);
            runs += run_object(e, obj, entry, what);
            unlink(obj);
            progs++;
        }
    }
    closedir(dd);
    rmdir(dir);
    fc_emu_close(e);
    cr_log_info("%u C program builds, %u runs agree", progs, runs);
    cr_assert_geq(progs, 20, "only %u program builds", progs);
}
