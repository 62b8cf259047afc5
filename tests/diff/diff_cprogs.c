/*
 * diff_cprogs.c - fc-diff-cprog: one C test program (tests/c/) on every
 * engine, compared with the interpreter.
 *
 *   fc-diff-cprog OBJ FCX [--entry NAME] SEED...
 *
 * OBJ is the program compiled by clang for eBPF, FCX the container femtoc
 * made of it with -march=thumbv7m,rv32imac --ctx-size 64.
 *
 * 1. The container, as femto-run runs it (tests/run/fr_device.c): installed
 *    by the real loader on an interpreter-only device, on an emulated
 *    Cortex-M3 and on an emulated RV32IMAC core; the seeds run one after the
 *    other in each installed instance (.data/.bss persist, as in
 *    fc-cprog-run and the native twin). After every run the native engines
 *    must match the interpreter exactly: return code, r0, error instruction,
 *    fault address, budget left, the context, the instance RAM and the eBPF
 *    stack.
 * 2. The object through each backend directly (tools/fc_emu.h fc_emu_diff),
 *    with the verifier's facts, without them, with every access checked and
 *    without the backend's own optimisations: each seed in a fresh instance;
 *    the same for each Xtensa engine (sim/fc_xt_diff.h fc_xtd_diff: lx106 and
 *    esp32, each in one qemu-xtensa process; not yet through a container:
 *    the loader does not place Xtensa code).
 *
 * The context is 64 bytes filled from the seed exactly as tests/c/run_cprog.c
 * and native_main.c do. Standard output: one line per seed with the agreed
 * outcome in fc-cprog-run's format (the caller compares it with the native
 * twin), then mismatches. Exit 0 when every engine agreed, 1 otherwise, 2 when
 * something could not run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_elf.h"
#include "fc_emu.h"
#include "fc_verify.h"
#include "fr_device.h"
#include "fc_xt_diff.h"

#define CTX_LEN 64u
#define MAX_SEEDS 32

typedef struct outcome {
    int rc;
    uint64_t r0;
    uint32_t err_pc;
    uint64_t err_addr;
    uint64_t budget_left;
    int engine;
    uint8_t ctx[CTX_LEN];
    uint8_t *ram;            /* app.ram_need bytes */
    uint8_t *stack;          /* the whole stack area */
    uint32_t ram_len, stack_len;
} outcome;

static const unsigned engines[] = {FC_TARGET_EBPF, FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC};
#define NENG (sizeof engines / sizeof engines[0])

static void seed_ctx(unsigned long seed, uint8_t ctx[CTX_LEN])
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
    for (unsigned i = 0; i < CTX_LEN; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ctx[i] = (uint8_t)(x >> 24);
    }
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static const char *rc_str(int rc)
{
    if (rc == FC_EMU_EFAULT)
        return "machine fault";
    if (rc == FC_EMU_ECAP)
        return "instruction cap";
    if (rc == FC_EMU_EACCESS)
        return "access outside the simulator's map";
    return fc_lerr_str(rc);
}

static int first_diff(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        if (a[k] != b[k])
            return (int)k;
    return -1;
}

/* engine e against the interpreter: 0 same, 1 different (printed) */
static int compare(const char *what, unsigned long seed, const outcome *i, const outcome *n,
                   unsigned target)
{
    const char *nm = fr_core_name(target);
    int at;
    if (n->engine != (int)target) {
        printf("MISMATCH %s seed %lu: %s device ran engine %d, not its native code\n", what, seed,
               nm, n->engine);
        return 1;
    }
    if (i->rc != n->rc || i->r0 != n->r0 || (i->rc != FC_OK && i->err_pc != n->err_pc)) {
        printf("MISMATCH %s seed %lu: interpreter %s r0=0x%llx insn %u / %s: %s r0=0x%llx insn %u\n",
               what, seed, rc_str(i->rc), (unsigned long long)i->r0, i->err_pc, nm, rc_str(n->rc),
               (unsigned long long)n->r0, n->err_pc);
        return 1;
    }
    if (i->budget_left != n->budget_left) {
        printf("MISMATCH %s seed %lu: budget left: interpreter %llu, %s %llu\n", what, seed,
               (unsigned long long)i->budget_left, nm, (unsigned long long)n->budget_left);
        return 1;
    }
    if ((i->rc == FC_ERR_MEM_READ || i->rc == FC_ERR_MEM_WRITE) && i->err_addr != n->err_addr) {
        printf("MISMATCH %s seed %lu: fault address: interpreter 0x%llx, %s 0x%llx\n", what, seed,
               (unsigned long long)i->err_addr, nm, (unsigned long long)n->err_addr);
        return 1;
    }
    if ((at = first_diff(i->ctx, n->ctx, CTX_LEN)) >= 0) {
        printf("MISMATCH %s seed %lu: context byte %d: interpreter 0x%02x, %s 0x%02x\n", what, seed,
               at, i->ctx[at], nm, n->ctx[at]);
        return 1;
    }
    if (i->ram_len != n->ram_len || (at = first_diff(i->ram, n->ram, i->ram_len)) >= 0) {
        printf("MISMATCH %s seed %lu: instance RAM (.data/.bss) byte %d: interpreter 0x%02x, %s "
               "0x%02x\n", what, seed, at, at >= 0 ? i->ram[at] : 0, nm, at >= 0 ? n->ram[at] : 0);
        return 1;
    }
    if (i->stack_len != n->stack_len || (at = first_diff(i->stack, n->stack, i->stack_len)) >= 0) {
        printf("MISMATCH %s seed %lu: stack byte %d: interpreter 0x%02x, %s 0x%02x\n", what, seed,
               at, at >= 0 ? i->stack[at] : 0, nm, at >= 0 ? n->stack[at] : 0);
        return 1;
    }
    return 0;
}

/* 1. the container through the loader on each device */
static int run_container(const char *fcx_path, const char *entry, const unsigned long *seeds,
                         int nseeds, outcome out[NENG][MAX_SEEDS], unsigned *runs)
{
    size_t len;
    uint8_t *img = read_file(fcx_path, &len);
    if (!img) {
        printf("ERROR %s: cannot read\n", fcx_path);
        return 2;
    }
    for (unsigned e = 0; e < NENG; e++) {
        char err[200], text[300];
        fc_app app;
        fc_lresult lr;
        fr_device *d = fr_open(engines[e], 0, err, sizeof err);
        if (!d) {
            printf("ERROR %s device: %s\n", fr_core_name(engines[e]), err);
            free(img);
            return 2;
        }
        uint32_t flags = engines[e] == FC_TARGET_EBPF ? 0u : FC_INSTALL_REQUIRE_NATIVE;
        if (fr_install(d, img, (uint32_t)len, flags, &app, NULL, &lr) != FC_OK) {
            fc_lresult_format(&lr, text, sizeof text);
            printf("ERROR %s: the loader refused it for %s: %s\n", fcx_path,
                   fr_core_name(engines[e]), text);
            fr_close(d);
            free(img);
            return 2;
        }
        int32_t ent = entry ? fc_app_entry(&app, entry) : 0;
        if (ent < 0) {
            printf("ERROR %s: no entry '%s'\n", fcx_path, entry);
            fr_close(d);
            free(img);
            return 2;
        }
        for (int s = 0; s < nseeds; s++) {
            uint8_t ctx[CTX_LEN];
            fc_run_result res;
            outcome *o = &out[e][s];
            uint32_t sz;
            seed_ctx(seeds[s], ctx);
            o->r0 = 0;
            o->rc = fr_run(d, &app, (uint32_t)ent, 0, ctx, CTX_LEN, 0, &o->r0, &res, NULL);
            if (o->rc != FC_OK)
                o->r0 = 0;
            o->engine = res.engine;
            o->err_pc = res.err_pc;
            o->err_addr = res.err_addr;
            o->budget_left = res.budget_left;
            memcpy(o->ctx, fr_area(d, FR_CTX, NULL, NULL), CTX_LEN);
            o->ram_len = app.ram_need;
            o->ram = malloc(app.ram_need + 1);
            memcpy(o->ram, fr_area(d, FR_RAM, NULL, NULL), app.ram_need);
            uint8_t *st = fr_area(d, FR_STACK, NULL, &sz);
            o->stack_len = sz;
            o->stack = malloc(sz);
            memcpy(o->stack, st, sz);
            (*runs)++;
        }
        fr_close(d);
    }
    free(img);
    return 0;
}

/* 2. the object through each backend directly, several option sets */
static int run_direct(const char *obj, const char *entry, const unsigned long *seeds, int nseeds,
                      unsigned *runs, unsigned *xt_runs)
{
    static const struct { const char *name; int facts; uint32_t flags; } variants[] = {
        {"with facts", 1, 0},
        {"without facts", 0, 0},
        {"check-all", 1, FC_BK_CHECK_ALL},
        {"no-opt", 0, FC_BK_NO_OPT},
    };
    static const unsigned targets[] = {FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC};
    fc_prog p;
    fc_diag items[8];
    fc_diags d = {items, 8, 0, 0, 0};
    int bad = 0;

    if (fc_elf_read_file(obj, entry, &p, &d)) {
        printf("ERROR %s: %s\n", obj, d.n ? items[0].msg : "unreadable");
        return 2;
    }
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = CTX_LEN;
    size_t wl = fc_vfy_workspace_size(&p);
    void *ws = malloc(wl ? wl : 1);
    fc_insn_info *info = calloc(p.ninsns + 1, sizeof *info);
    if (!ws || !info || fc_vfy_run(&p, &vo, ws, wl, info, NULL, NULL)) {
        printf("ERROR %s: the verifier refuses it\n", obj);
        free(ws);
        free(info);
        fc_elf_free(&p);
        return 2;
    }
    free(ws);
    /* rows 0, 1: the Unicorn cores; then every Xtensa engine */
    unsigned nrows = (unsigned)(sizeof targets / sizeof targets[0] + fc_xtd_engines_count);
    for (unsigned t = 0; t < nrows && !bad; t++) {
        char err[200];
        int xt = t >= sizeof targets / sizeof targets[0];
        const fc_xtd_engine *xe = xt ? &fc_xtd_engines[t - sizeof targets / sizeof targets[0]] : NULL;
        fc_emu *e = NULL;
        fc_xtd *xd = NULL;
        if (xt ? !(xd = fc_xtd_open(xe, err, sizeof err))
               : !(e = fc_emu_open_target(targets[t], err, sizeof err))) {
            printf("ERROR %s: %s\n", xt ? xe->name : "emulator", err);
            bad = 2;
            break;
        }
        const char *tname = xt ? xe->name : fr_core_name(targets[t]);
        for (unsigned v = 0; v < sizeof variants / sizeof variants[0]; v++)
            for (int s = 0; s < nseeds; s++) {
                uint8_t ctx[CTX_LEN];
                fc_emu_case c;
                fc_emu_outcome oi, on;
                char msg[300];
                seed_ctx(seeds[s], ctx);
                memset(&c, 0, sizeof c);
                c.insns = p.insns;
                c.n = p.ninsns;
                c.info = variants[v].facts ? info : NULL;
                c.bk_flags = variants[v].flags;
                c.ctx = ctx;
                c.ctx_len = CTX_LEN;
                c.rodata = p.rodata_len ? p.rodata : NULL;
                c.rodata_len = p.rodata_len;
                c.data = p.data_len ? p.data : NULL;
                c.data_len = p.data_len;
                c.bss_len = p.bss_len;
                c.helpers = fc_std_helpers;
                c.nhelpers = fc_std_helpers_count;
                int r = xt ? fc_xtd_diff(xd, &c, &oi, &on, msg, sizeof msg)
                           : fc_emu_diff(e, &c, &oi, &on, msg, sizeof msg);
                (*runs)++;
                if (xt)
                    (*xt_runs)++;
                if (r != 0) {
                    printf("MISMATCH %s: %s %s seed %lu: %s\n", obj, tname,
                           variants[v].name, seeds[s], r < 0 ? "could not run: " : "");
                    printf("    %s\n", msg);
                    bad = r < 0 ? 2 : 1;
                }
            }
        fc_emu_close(e);
        fc_xtd_close(xd);
    }
    free(info);
    fc_elf_free(&p);
    return bad;
}

int main(int argc, char **argv)
{
    const char *obj = NULL, *fcx = NULL, *entry = NULL;
    unsigned long seeds[MAX_SEEDS];
    int nseeds = 0;

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--entry") == 0 && a + 1 < argc)
            entry = argv[++a];
        else if (!obj)
            obj = argv[a];
        else if (!fcx)
            fcx = argv[a];
        else if (nseeds < MAX_SEEDS)
            seeds[nseeds++] = strtoul(argv[a], NULL, 0);
    }
    if (!obj || !fcx || !nseeds) {
        fprintf(stderr, "usage: fc-diff-cprog OBJ FCX [--entry NAME] SEED...\n");
        return 2;
    }

    static outcome out[NENG][MAX_SEEDS];
    unsigned runs = 0, xt_runs = 0;
    int rc = run_container(fcx, entry, seeds, nseeds, out, &runs);
    int mism = 0;
    if (rc == 0) {
        for (int s = 0; s < nseeds; s++) {
            const outcome *i = &out[0][s];
            if (i->rc == FC_OK)
                printf("seed %lu: r0 = 0x%016llx\n", seeds[s], (unsigned long long)i->r0);
            else
                printf("seed %lu: error %d (%s) at insn %u\n", seeds[s], i->rc, rc_str(i->rc),
                       (unsigned)i->err_pc);
            for (unsigned e = 1; e < NENG; e++)
                mism |= compare(fcx, seeds[s], i, &out[e][s], engines[e]);
        }
        for (unsigned e = 0; e < NENG; e++)
            for (int s = 0; s < nseeds; s++) {
                free(out[e][s].ram);
                free(out[e][s].stack);
            }
        int d = run_direct(obj, entry, seeds, nseeds, &runs, &xt_runs);
        if (d == 2)
            rc = 2;
        mism |= d == 1;
    }
    printf("runs: %u (%u on Xtensa), %s\n", runs, xt_runs,
           rc ? "could not run" : mism ? "MISMATCHES" : "all engines agree");
    return rc ? 2 : mism ? 1 : 0;
}
