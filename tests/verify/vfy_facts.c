/*
 * tests/verify/vfy_facts.c - what the verifier says about a program, as one
 * line per run, so two builds of the verifier can be compared (step
 * verify-facts, tests/verify/run-facts.sh):
 *
 *   NAME [CFG] rc=R facts=H states=H diags=H
 *
 * facts: the fc_insn_info of every instruction (what the backends and the
 * lowering consume) and fc_vfy_stats; states: the fixpoint state before
 * every reached instruction as the observe_state hook hands it to the
 * soundness net (registers, the 64 stack slots, the relations; field by
 * field, no padding); diags: every diagnostic (severity, instruction,
 * message) and their counts. H is a 64-bit FNV-1a hash folded to 32 bits.
 *
 * With --ws it also prints, per run, the workspace per part the device's
 * compiler sizes before compiling (bytes): W NAME n=N vfy=.. ir=.. ra=..
 * and a summary table per input set (the sums over its programs, divided by
 * their instructions).
 *
 *   vfy-facts [--ws] [--fill BYTE] [--conf DIR] [--corpus DIR] [--neg DIR] [--elf FILE[@ENTRY]]...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_analysis.h"
#include "fc_asm.h"
#include "fc_backend.h"
#include "fc_elf.h"
#include "fc_ir.h"
#include "fc_jit.h"
#include "fc_regalloc.h"
#include "fc_verify.h"
#include "../diff/diff_inputs.h"

static int want_ws, fill = 0xa5;
static unsigned nruns, nfail;

typedef struct hash { uint64_t h; } hash;
static void h_init(hash *h) { h->h = 0xcbf29ce484222325ull; }
static void h_bytes(hash *h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t k = 0; k < n; k++) {
        h->h ^= b[k];
        h->h *= 0x100000001b3ull;
    }
}
static void h_u64(hash *h, uint64_t v) { h_bytes(h, &v, sizeof v); }
static unsigned h_fold(const hash *h) { return (unsigned)(uint32_t)(h->h ^ (h->h >> 32)); }

static void h_av(hash *h, const fc_av *a)
{
    h_u64(h, a->kind);
    h_u64(h, a->lk);
    h_u64(h, a->lv);
    h_u64(h, a->umin);
    h_u64(h, a->umax);
    h_u64(h, (uint64_t)a->smin);
    h_u64(h, (uint64_t)a->smax);
}

static void on_state(void *ctx, uint32_t insn, const fc_av *regs, const fc_av *slots,
                     const fc_vfy_rel *rel)
{
    hash *h = ctx;
    h_u64(h, insn);
    for (unsigned r = 0; r < FC_NREGS; r++) {
        h_av(h, &regs[r]);
        h_u64(h, rel[r].q);
        if (rel[r].q == FC_VFY_REL_NONE)
            continue; /* the rest of "no relation" means nothing (and is not kept) */
        h_u64(h, (uint64_t)(int64_t)rel[r].k);
        h_u64(h, (uint64_t)rel[r].clo);
        h_u64(h, (uint64_t)rel[r].chi);
    }
    for (unsigned k = 0; k < FC_VFY_NSLOTS; k++)
        h_av(h, &slots[k]);
}

/* the part sizes, summed per input set */
typedef struct wsum {
    unsigned progs;
    uint64_t insns, vfy, ir, ra, t2, rv, jit;
} wsum;
static wsum cur_set;

static void print_sum(const char *set, const wsum *s)
{
    if (!want_ws || !s->insns)
        return;
    double n = (double)s->insns;
    printf("workspace per eBPF instruction, %s (%u runs, %llu instructions): verifier %.0f, "
           "IR lowering %.0f, allocator %.0f, thumbv7m backend %.0f, "
           "rv32imac backend %.0f; the JIT's whole workspace (thumbv7m) %.0f\n",
           set, s->progs, (unsigned long long)s->insns, s->vfy / n, s->ir / n, s->ra / n, s->t2 / n,
           s->rv / n, s->jit / n);
}

static void run(const char *name, const char *cfg, const fc_prog *p, const fc_vfy_opts *base)
{
    fc_vfy_opts o = *base;
    hash hs, hf, hd;
    h_init(&hs);
    h_init(&hf);
    h_init(&hd);
    o.observe_state = on_state;
    o.observe_ctx = &hs;
    size_t wl = fc_vfy_workspace_size(p);
    void *ws = malloc(wl ? wl : 1);
    memset(ws, fill, wl); /* vfy-facts --fill N: what a state must not depend on */
    fc_insn_info *info = calloc(p->ninsns ? p->ninsns : 1, sizeof *info);
    static fc_diag dv[64];
    fc_diags d = {dv, 64, 0, 0, 0};
    fc_vfy_stats st;
    memset(&st, 0, sizeof st);
    int rc = fc_vfy_run(p, &o, ws, wl, info, &st, &d);
    for (uint32_t i = 0; i < p->ninsns; i++)
        h_bytes(&hf, &info[i], sizeof info[i]);
    h_bytes(&hf, &st, sizeof st);
    h_u64(&hd, d.n);
    h_u64(&hd, d.nerrors);
    h_u64(&hd, d.nwarnings);
    for (uint32_t k = 0; k < d.n; k++) {
        h_u64(&hd, dv[k].severity);
        h_u64(&hd, (uint64_t)(int64_t)dv[k].insn);
        h_bytes(&hd, dv[k].msg, strlen(dv[k].msg));
    }
    printf("%s [%s] rc=%d facts=%08x states=%08x diags=%08x\n", name, cfg, rc, h_fold(&hf), h_fold(&hs),
           h_fold(&hd));
    nruns++;
    if (want_ws) {
        uint32_t n = p->ninsns;
        fc_jit_in ji;
        memset(&ji, 0, sizeof ji);
        ji.insns = (const uint8_t *)p->insns; /* the host layout is the encoding (as jit-diff) */
        ji.ninsns = n;
        ji.rodata = p->rodata;
        ji.rodata_len = p->rodata_len;
        ji.data = p->data;
        ji.data_len = p->data_len;
        ji.bss_len = p->bss_len;
        ji.target = fc_backend_thumbv7m.target;
        ji.isa = fc_jit_isa(&fc_backend_thumbv7m);
        size_t t2 = fc_backend_thumbv7m.work_size(p), rv = fc_backend_rv32imac.work_size(p);
        size_t jit = fc_jit_workspace_size_in(&ji);
        printf("W %s [%s] n=%u vfy=%zu ir=%zu ra=%zu t2=%zu rv=%zu jit=%zu\n", name, cfg,
               n, wl, fc_ir_workspace_size(n), fc_ra_workspace_size(n), t2, rv, jit);
        cur_set.progs++;
        cur_set.insns += n;
        cur_set.vfy += wl;
        cur_set.ir += fc_ir_workspace_size(n);
        cur_set.ra += fc_ra_workspace_size(n);
        cur_set.t2 += t2;
        cur_set.rv += rv;
        cur_set.jit += jit;
    }
    free(info);
    free(ws);
}

static char **list(const char *dir, const char *suffix, size_t *n)
{
    return diff_list_dir_counted(dir, suffix, n, &nfail);
}

static void run_conf(const char *dir)
{
    size_t n;
    char **files = list(dir, ".data", &n);
    static fc_vfy_helper vh[64];
    uint32_t nh = diff_conf_helpers(vh);
    for (size_t f = 0; f < n; f++) {
        fc_testdata td;
        fc_asm_error ae;
        fc_insn *ins;
        fc_prog p;
        if (diff_conf_load(dir, files[f], &td, &ins, &p, &ae) != 0) {
            printf("FAIL %s: unreadable (line %u: %s)\n", files[f], ae.line, ae.msg);
            nfail++;
            continue;
        }
        fc_vfy_opts o;
        memset(&o, 0, sizeof o);
        run(files[f], "default", &p, &o);
        o.flags = FC_VFY_F_MASKED_SHIFTS;
        o.helpers = vh;
        o.nhelpers = nh;
        o.ctx_size = (uint32_t)td.mem_len;
        run(files[f], "conf", &p, &o);
        free(ins);
        fc_testdata_free(&td);
    }
    diff_free_names(files, n);
}

static void run_corpus(const char *dir)
{
    size_t n;
    char **files = list(dir, "", &n);
    static fc_insn ins[4096];
    for (size_t f = 0; f < n; f++) {
        diff_rand r;
        if (!diff_rand_load(dir, files[f], ins, 4096, &r))
            continue; /* as diff-random: shorter than one instruction */
        run(files[f], "random", &r.p, &r.vo);
    }
    diff_free_names(files, n);
}

static void run_neg(const char *dir)
{
    size_t n;
    char **files = list(dir, ".s", &n);
    for (size_t f = 0; f < n; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        FILE *fp = fopen(path, "rb");
        static char text[1 << 16];
        size_t len = fp ? fread(text, 1, sizeof text, fp) : 0;
        if (fp)
            fclose(fp);
        fc_insn *ins = NULL;
        size_t ni = 0;
        fc_asm_error ae;
        if (fc_asm(text, len, &ins, &ni, &ae) != 0) {
            printf("%s [asm] refused by the assembler (line %u)\n", files[f], ae.line);
            continue;
        }
        fc_prog p;
        memset(&p, 0, sizeof p);
        p.insns = ins;
        p.ninsns = (uint32_t)ni;
        fc_vfy_opts o;
        memset(&o, 0, sizeof o);
        run(files[f], "neg", &p, &o);
        free(ins);
    }
    diff_free_names(files, n);
}

static void run_elf(const char *arg)
{
    char path[4096];
    fc_prog p;
    const char *base;
    char msg[200];
    if (diff_elf_load(arg, path, sizeof path, &p, &base, msg, sizeof msg) != 0) {
        printf("FAIL %s: cannot read (%s)\n", arg, msg);
        nfail++;
        return;
    }
    fc_vfy_opts o;
    memset(&o, 0, sizeof o);
    run(base, "ctx0", &p, &o);
    o.ctx_size = 64;
    run(base, "ctx64", &p, &o);
    fc_elf_free(&p);
}

int main(int argc, char **argv)
{
    const char *set = NULL;
    wsum elfs;
    memset(&elfs, 0, sizeof elfs);
    for (int a = 1; a < argc; a++) {
        int is_elf = !strcmp(argv[a], "--elf");
        if (!is_elf && set && !strcmp(set, "elf")) { /* the ELF objects end */
            print_sum("C and bench objects", &cur_set);
            set = NULL;
        }
        if (!is_elf)
            memset(&cur_set, 0, sizeof cur_set);
        if (!strcmp(argv[a], "--ws")) {
            want_ws = 1;
        } else if (!strcmp(argv[a], "--fill") && a + 1 < argc) {
            fill = atoi(argv[++a]);
        } else if (!strcmp(argv[a], "--conf") && a + 1 < argc) {
            run_conf(argv[++a]);
            print_sum("conformance", &cur_set);
        } else if (!strcmp(argv[a], "--corpus") && a + 1 < argc) {
            run_corpus(argv[++a]);
            print_sum("random", &cur_set);
        } else if (!strcmp(argv[a], "--neg") && a + 1 < argc) {
            run_neg(argv[++a]);
            print_sum("refused", &cur_set);
        } else if (is_elf && a + 1 < argc) {
            if (!set)
                memset(&cur_set, 0, sizeof cur_set);
            set = "elf";
            run_elf(argv[++a]);
        } else {
            fprintf(stderr, "usage: vfy-facts [--ws] [--fill BYTE] [--conf DIR] [--corpus DIR] [--neg DIR] "
                            "[--elf FILE[@ENTRY]]...\n");
            return 2;
        }
    }
    if (set)
        print_sum("C and bench objects", &cur_set);
    printf("vfy-facts: %u runs, %u failed\n", nruns, nfail);
    return nfail ? 1 : 0;
}
