/*
 * ir_diff.c - ir-diff: every program lowered to the IR (middle/fc_lower.c),
 * run in the IR reference interpreter (tests/ir/ir_interp.c) and compared
 * with the eBPF interpreter (runtime/fc_vm.c) on the same sandbox: r0, error
 * code, the faulting eBPF instruction, the fault address, budget left, and
 * the bytes of the context, .data, .bss and the stack.
 *
 *   ir-diff [--conf DIR] [--corpus DIR] [--elf FILE[@ENTRY]]... [--dump] [-v]
 *
 *   --conf DIR     the conformance .data files (-- mem as a read-write
 *                  context; shift immediates masked; the suite's helper 5)
 *   --corpus DIR   programs in the input layout of tests/fuzz/fuzz_diff.c
 *                  (diff-random --corpus writes its verified ones)
 *   --elf FILE     an eBPF object (tests/c programs): a 64-byte read-write
 *                  context, --ctx-size 64, six context seeds, the standard
 *                  helpers
 *
 * Each verified program is lowered three ways: with the verifier's facts
 * (PROVEN accesses unchecked, hi_zero used), without facts (every access
 * checked but the own frame's), and with FC_IR_CHECK_ALL | FC_IR_NO_HIOPT
 * (every hi half computed); and the first two again after fc_ir_opt (the
 * checks of one base merged under range guards: run with exact guards, and
 * once more with every guard failing, so both the guarded path and the
 * checked copy must agree with the interpreter), and all three again after
 * fc_ir_promote with nregs 0 (every stack word it can forward) and
 * fc_ir_copyprop (the first two then through fc_ir_opt). A program the verifier refuses is not lowered
 * (a printed reason; not counted). Every lowering must also fit the stated
 * workspace exactly (one byte less is refused) and every IR instruction must
 * print with named ops (fc_ir_format). Every lowering is then allocated
 * (middle/fc_regalloc.c) for the register tables cm3, rv32 and tiny, and
 * the allocated form (ir_run_alloc: physical registers and spill slots,
 * caller-saved registers junk after calls) must agree with the interpreter
 * the same way; the allocation workspace is checked like the lowering's.
 * Statistics per table (with facts): webs, webs in registers, webs live
 * across a call, spill slots, static reloads and spill stores, coalesced
 * moves, slot loads and stores executed. Last line: `ir-diff: N passed, N
 * failed`, one count per program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_elf.h"
#include "fc_helpers.h"
#include "../diff/diff_helpers.h"
#include "../diff/diff_inputs.h"
#include "fc_ir.h"
#include "fc_regalloc.h"
#include "fc_testdata.h"
#include "fc_verify.h"
#include "ir_interp.h"

#define STACK_ADDR 0x10000000u
#define STACK_SIZE (FC_MAX_CALL_DEPTH * FC_STACK_SIZE)
#define CTX_ADDR   0x20000000u
#define RO_ADDR    0x30000000u
#define DATA_ADDR  0x30010000u
#define BSS_ADDR   0x30020000u
#define MAX_STEPS  200000000ull

static int verbose, dump;
static unsigned npass, nfail, nskip;
static unsigned max_per_slot;
static unsigned long long nruns, ir_ins_total, ebpf_total, hi_skipped_total, fixups_total;
static unsigned long long guards_total, merged_total, guarded_progs;
static unsigned long long promoted_total, forwarded_total, promoted_progs, copies_total;

/* ---- helpers ---------------------------------------------------------------- */

/* the conformance suite's helper 5: returns r1, stops the program on 0 */
static uint64_t h_conf_unwind(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    if (a == 0)
        vm->helper_err = FC_ERR_UNWIND;
    return a;
}

static const fc_helper rnd_helpers[] = {
    {FC_HELPER_MEMCPY, fc_helper_memcpy, "memcpy"},
    {0x80, h_mix, "mix"},
    {0x81, h_sum, "sum"},
    {0x82, h_unwind, "unwind"},
};
static const fc_helper conf_helpers[] = {{5, h_conf_unwind, "unwind"}};

/* ---- one case: a program, its sandbox, one input -------------------------- */
typedef struct setup {
    const fc_prog *p;
    const uint8_t *ctx;
    uint32_t ctx_len;
    int ctx_null;           /* r1 = r2 = 0, no context region */
    unsigned ctx_perm;
    const fc_helper *helpers;
    uint32_t nhelpers;
    const uint32_t *allow;
    uint32_t nallow;
    uint64_t budget;
} setup;

typedef struct mem {
    uint8_t stack[STACK_SIZE];
    uint8_t *ctx, *ro, *data, *bss;
} mem;

static void vm_setup(fc_vm *vm, mem *m, const setup *s)
{
    const fc_prog *p = s->p;
    memset(m->stack, 0, sizeof m->stack);
    fc_vm_init(vm, p->insns, p->ninsns, m->stack, STACK_SIZE);
    vm->stack_addr = STACK_ADDR;
    m->ctx = malloc(s->ctx_len + 1);
    if (s->ctx_len)
        memcpy(m->ctx, s->ctx, s->ctx_len);
    if (!s->ctx_null)
        fc_vm_add_region(vm, CTX_ADDR, m->ctx, s->ctx_len, s->ctx_perm, FC_REGION_CTX);
    m->ro = malloc(p->rodata_len + 1);
    m->data = malloc(p->data_len + 1);
    m->bss = calloc(1, p->bss_len + 1);
    if (p->rodata_len)
        memcpy(m->ro, p->rodata, p->rodata_len);
    if (p->data_len)
        memcpy(m->data, p->data, p->data_len);
    if (p->rodata_len)
        fc_vm_add_region(vm, RO_ADDR, m->ro, p->rodata_len, FC_PERM_R, FC_REGION_RODATA);
    if (p->data_len)
        fc_vm_add_region(vm, DATA_ADDR, m->data, p->data_len, FC_PERM_RW, FC_REGION_DATA);
    if (p->bss_len)
        fc_vm_add_region(vm, BSS_ADDR, m->bss, p->bss_len, FC_PERM_RW, FC_REGION_BSS);
    fc_vm_set_helpers(vm, s->helpers, s->nhelpers, s->allow, s->nallow);
    vm->budget = s->budget;
}

static void mem_free(mem *m)
{
    free(m->ctx);
    free(m->ro);
    free(m->data);
    free(m->bss);
}

static int same(const char *what, const uint8_t *a, const uint8_t *b, size_t n, char *msg, size_t size)
{
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k]) {
            snprintf(msg, size, "%s byte %zu: interpreter 0x%02x, IR 0x%02x", what, k, a[k], b[k]);
            return 0;
        }
    return 1;
}

static void dump_ir(const fc_ir *ir, const fc_ra *ra)
{
    char line[1200];
    for (uint32_t f = 0; f < ir->nfn; f++) {
        printf("  function f%u: eBPF [%u, %u)\n", f, ir->fn[f].start, ir->fn[f].end);
        for (uint32_t b = ir->fn[f].b0; b < ir->fn[f].b0 + ir->fn[f].nb; b++) {
            printf("  b%u: (@%u)\n", b, ir->blk[b].insn);
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                if (ra)
                    fc_ra_format(ir, ra, k, line, sizeof line);
                else
                    fc_ir_format(ir, k, line, sizeof line);
                printf("  %s\n", line);
            }
        }
    }
}

/* the register tables the allocated form is run with */
static const fc_ra_target *const targets[] = {&fc_ra_target_cm3, &fc_ra_target_rv32, &fc_ra_target_tiny};
#define NTARGETS (sizeof targets / sizeof targets[0])
static struct {
    unsigned long long webs, webs_reg, slots, reloads, stores, moves, coalesced, cross, dyn_rd, dyn_wr;
} rstat[NTARGETS];
static int stat_now = -1;      /* the target whose run is counted, -1: none */

/* 1: agree, 0: differ (msg says how); ra: run the allocated form */
static int run_case(const fc_ir *ir, const fc_ra *ra, const setup *s, char *msg, size_t size)
{
    fc_vm vi, vr;
    mem *mi = malloc(sizeof *mi), *mr = malloc(sizeof *mr);
    uint64_t r0 = 0;
    ir_result res;
    int ok = 1;

    vm_setup(&vi, mi, s);
    vm_setup(&vr, mr, s);
    uint64_t ca = s->ctx_null ? 0 : CTX_ADDR, cl = s->ctx_null ? 0 : s->ctx_len;
    int ei = fc_vm_run(&vi, ca, cl, &r0);
    int er = ra ? ir_run_alloc(ir, ra, &vr, ca, cl, MAX_STEPS, &res) : ir_run(ir, &vr, ca, cl, MAX_STEPS, &res);
    nruns++;
    if (stat_now >= 0) {
        rstat[stat_now].dyn_rd += res.slot_reads;
        rstat[stat_now].dyn_wr += res.slot_writes;
    }
    if (er == IR_UNSOUND) {
        snprintf(msg, size, "IR run broke at eBPF %u: %s (interpreter: %s at %u)", res.err_pc, res.why,
                 fc_err_str(ei), ei ? vi.err_pc : 0);
        ok = 0;
    } else if (ei != er) {
        snprintf(msg, size, "error: interpreter %s at %u, IR %s at %u", fc_err_str(ei),
                 ei ? vi.err_pc : 0, fc_err_str(er), er ? res.err_pc : 0);
        ok = 0;
    } else if (ei && vi.err_pc != res.err_pc) {
        snprintf(msg, size, "%s at instruction %u (interpreter), %u (IR)", fc_err_str(ei), vi.err_pc,
                 res.err_pc);
        ok = 0;
    } else if (ei && vi.err_addr != res.err_addr) {
        snprintf(msg, size, "%s: address 0x%llx (interpreter), 0x%llx (IR)", fc_err_str(ei),
                 (unsigned long long)vi.err_addr, (unsigned long long)res.err_addr);
        ok = 0;
    } else if (!ei && r0 != res.r0) {
        snprintf(msg, size, "r0 0x%llx (interpreter), 0x%llx (IR)", (unsigned long long)r0,
                 (unsigned long long)res.r0);
        ok = 0;
    } else if (vi.budget_left != res.budget_left) {
        snprintf(msg, size, "budget left %llu (interpreter), %llu (IR)",
                 (unsigned long long)vi.budget_left, (unsigned long long)res.budget_left);
        ok = 0;
    } else {
        ok = same("context", mi->ctx, mr->ctx, s->ctx_len, msg, size) &&
             same(".data", mi->data, mr->data, s->p->data_len, msg, size) &&
             same(".bss", mi->bss, mr->bss, s->p->bss_len, msg, size) &&
             same("stack", mi->stack, mr->stack, STACK_SIZE, msg, size);
    }
    mem_free(mi);
    mem_free(mr);
    free(mi);
    free(mr);
    return ok;
}

/* verify, lower three ways, run every input; counts one program */
static void check_prog(const char *name, const fc_prog *p, const fc_vfy_opts *vo, setup *inputs,
                       unsigned ninputs)
{
    /* opt: then fc_ir_opt (check merging under range guards), run with
     * exact guards and once more (unallocated) with every guard failing */
    static const struct { uint32_t flags; int opt; const char *name; } modes[] = {
        {0, 0, "facts"},
        {FC_IR_NO_FACTS, 0, "no facts"},
        {FC_IR_CHECK_ALL | FC_IR_NO_HIOPT, 0, "check all, every hi half"},
        {0, 1, "facts, guards"},
        {FC_IR_NO_FACTS, 1, "no facts, guards"},
        /* 2: fc_ir_promote first (every temporary, nregs 0: no pressure or
         * profit test, the most forwarding) and fc_ir_copyprop, where the
         * selectors run them */
        {0, 3, "facts, promoted, guards"},
        {FC_IR_NO_FACTS, 3, "no facts, promoted, guards"},
        {FC_IR_CHECK_ALL | FC_IR_NO_HIOPT, 2, "check all, every hi half, promoted"},
    };
    fc_insn_info *info = calloc(p->ninsns + 1, sizeof *info);
    size_t wl = fc_vfy_workspace_size(p);
    void *ws = malloc(wl);
    fc_diag dv[4];
    fc_diags d = {dv, 4, 0, 0, 0};
    int v = fc_vfy_run(p, vo, ws, wl, info, NULL, &d);
    free(ws);
    if (v != 0) {
        nskip++;
        if (verbose)
            printf("skip %s: the verifier refuses it (%s)\n", name, d.n ? dv[0].msg : "?");
        free(info);
        return;
    }
    size_t il = fc_ir_workspace_size(p->ninsns);
    void *iw = malloc(il);
    int ok = 1;
    {
        /* the stated size is the size needed: one byte less is refused (and
         * every lowering below gets exactly il bytes: ASan sees an overrun) */
        fc_ir ir;
        if (fc_ir_lower(p, info, 0, iw, il - 1, &ir) != FC_IR_EWORK) {
            printf("FAIL %s: lowering into %zu bytes (one less than stated) was not refused\n", name,
                   il - 1);
            ok = 0;
        }
    }
    for (unsigned m = 0; m < sizeof modes / sizeof modes[0] && ok; m++) {
        fc_ir ir;
        int r = fc_ir_lower(p, modes[m].flags & FC_IR_NO_FACTS ? NULL : info, modes[m].flags, iw, il,
                            &ir);
        if (r != FC_IR_OK) {
            printf("FAIL %s [%s]: lowering failed (%d)\n", name, modes[m].name, r);
            ok = 0;
            break;
        }
        if (modes[m].opt & 2) {
            uint32_t n0 = ir.nins;
            fc_ir_promote(&ir, FC_IR_PROMOTE_MAX, 0);
            fc_ir_copyprop(&ir);
            if (ir.nins > ir.inscap ||
                (ir.forwarded && !ir.promoted) || ir.promoted > FC_IR_PROMOTE_MAX * ir.nfn) {
                printf("FAIL %s [%s]: fc_ir_promote left %u instructions (%u before), %u words, %u loads\n",
                       name, modes[m].name, ir.nins, n0, ir.promoted, ir.forwarded);
                ok = 0;
                break;
            }
            if (m == 5) {
                promoted_total += ir.promoted;
                forwarded_total += ir.forwarded;
                if (ir.forwarded)
                    promoted_progs++;
                copies_total += ir.copies;
            }
        }
        if (modes[m].opt & 1) {
            uint32_t nb0 = ir.nblk, nc0 = ir.checks;
            fc_ir_opt(&ir);
            if (ir.nins > ir.inscap || ir.nblk + ir.nfn > ir.blkcap || ir.merged > nc0 ||
                (ir.guards && ir.nblk != nb0 + 2u * ir.guards)) {
                printf("FAIL %s [%s]: fc_ir_opt left %u instructions, %u blocks (%u before), %u guards\n",
                       name, modes[m].name, ir.nins, ir.nblk, nb0, ir.guards);
                ok = 0;
                break;
            }
            if (m == 3) {
                guards_total += ir.guards;
                merged_total += ir.merged;
                if (ir.guards)
                    guarded_progs++;
            }
        }
        if (ir.nins > max_per_slot * p->ninsns)
            max_per_slot = (ir.nins + p->ninsns - 1) / p->ninsns;
        for (uint32_t k = 0; k < ir.nins && ok; k++) {
            /* every op, condition and section has a name in the dump */
            char line[200];
            fc_ir_format(&ir, k, line, sizeof line);
            if (strchr(line, '?')) {
                printf("FAIL %s [%s]: IR instruction %u prints as \"%s\"\n", name, modes[m].name, k, line);
                ok = 0;
            }
        }
        if (m == 0) {
            ir_ins_total += ir.nins;
            ebpf_total += p->ninsns;
            hi_skipped_total += ir.hi_skipped;
            fixups_total += ir.hi_fixups;
        }
        for (unsigned k = 0; k < ninputs && ok; k++) {
            char msg[300];
            if (!run_case(&ir, NULL, &inputs[k], msg, sizeof msg)) {
                printf("FAIL %s [%s, input %u]: %s\n", name, modes[m].name, k, msg);
                if (dump)
                    dump_ir(&ir, NULL);
                ok = 0;
            }
            if (ok && ir.guards) {
                ir_guard_fail = 1;
                if (!run_case(&ir, NULL, &inputs[k], msg, sizeof msg)) {
                    printf("FAIL %s [%s, every guard failing, input %u]: %s\n", name, modes[m].name, k, msg);
                    if (dump)
                        dump_ir(&ir, NULL);
                    ok = 0;
                }
                ir_guard_fail = 0;
            }
        }
        /* the allocated form, for each register table */
        size_t rl = fc_ra_workspace_size(p->ninsns);
        void *rw = malloc(rl);
        for (unsigned t = 0; t < NTARGETS && ok; t++) {
            fc_ra ra;
            if (m == 0 && t == 0 && fc_ra_run(&ir, targets[t], rw, rl - 1, &ra) != FC_RA_EWORK) {
                printf("FAIL %s: allocation into %zu bytes (one less than stated) was not refused\n", name,
                       rl - 1);
                ok = 0;
                break;
            }
            int r = fc_ra_run(&ir, targets[t], rw, rl, &ra);
            if (r != FC_RA_OK) {
                printf("FAIL %s [%s, %s]: allocation failed (%d)\n", name, modes[m].name, targets[t]->name, r);
                ok = 0;
                break;
            }
            for (uint32_t k = 0; k < ir.nins && ok; k++) {
                char line[1200];
                fc_ra_format(&ir, &ra, k, line, sizeof line);
                if (strchr(line, '?')) {
                    printf("FAIL %s [%s, %s]: IR instruction %u prints as \"%s\"\n", name, modes[m].name,
                           targets[t]->name, k, line);
                    ok = 0;
                }
            }
            if (m == 0) {
                rstat[t].webs += ra.webs;
                rstat[t].webs_reg += ra.webs_reg;
                rstat[t].slots += ra.slots;
                rstat[t].reloads += ra.reloads;
                rstat[t].stores += ra.spill_stores;
                rstat[t].moves += ra.moves;
                rstat[t].coalesced += ra.coalesced;
                rstat[t].cross += ra.cross_call;
                stat_now = (int)t;
            }
            unsigned long long rd0 = rstat[t].dyn_rd;
            for (unsigned k = 0; k < ninputs && ok; k++) {
                char msg[300];
                if (!run_case(&ir, &ra, &inputs[k], msg, sizeof msg)) {
                    printf("FAIL %s [%s, allocated for %s, input %u]: %s\n", name, modes[m].name,
                           targets[t]->name, k, msg);
                    if (dump)
                        dump_ir(&ir, &ra);
                    ok = 0;
                }
            }
            stat_now = -1;
            if (ok && verbose && m == 0)
                printf("ok   %s [allocated for %s]: %u webs, %u in registers, %u spill slots, %u reloads, "
                       "%u spill stores, %u of %u moves coalesced; %llu slot loads run\n", name,
                       targets[t]->name, ra.webs, ra.webs_reg, ra.slots, ra.reloads, ra.spill_stores,
                       ra.coalesced, ra.moves, rstat[t].dyn_rd - rd0);
        }
        free(rw);
        if (ok && verbose)
            printf("ok   %s [%s]: %u IR instructions for %u slots, %u checks\n", name, modes[m].name,
                   ir.nins, p->ninsns, ir.checks);
    }
    free(iw);
    free(info);
    if (ok)
        npass++;
    else
        nfail++;
}

/* ---- sources ------------------------------------------------------------------- */
static char **list_dir(const char *dir, const char *suffix, size_t *n)
{
    return diff_list_dir_counted(dir, suffix, n, &nfail);
}

static void run_conf(const char *dir)
{
    size_t n;
    char **files = list_dir(dir, ".data", &n);
    unsigned before = npass + nfail;
    fc_vfy_helper vh[64];
    uint32_t nh = diff_conf_helpers(vh);
    for (size_t f = 0; f < n; f++) {
        fc_testdata td;
        fc_asm_error ae;
        fc_insn *ins;
        fc_prog p;
        if (diff_conf_load(dir, files[f], &td, &ins, &p, &ae) != 0) {
            nskip++;
            printf("skip %s: unreadable (line %u: %s)\n", files[f], ae.line, ae.msg);
            continue;
        }
        fc_vfy_opts vo;
        memset(&vo, 0, sizeof vo);
        vo.flags = FC_VFY_F_MASKED_SHIFTS;
        vo.helpers = vh;
        vo.nhelpers = nh;
        setup s = {0};
        s.p = &p;
        s.ctx = td.mem;
        s.ctx_len = (uint32_t)td.mem_len;
        s.ctx_null = td.mem_len == 0;
        s.ctx_perm = FC_PERM_RW;
        s.helpers = conf_helpers;
        s.nhelpers = 1;
        s.budget = FC_DEFAULT_BUDGET;
        check_prog(files[f], &p, &vo, &s, 1);
        free(ins);
        fc_testdata_free(&td);
    }
    diff_free_names(files, n);
    printf("conformance programs (%s): %u compared\n", dir, npass + nfail - before);
}

static void run_corpus(const char *dir)
{
    size_t n;
    char **files = list_dir(dir, "", &n);
    unsigned before = npass + nfail;
    static fc_insn ins[4096];
    for (size_t f = 0; f < n; f++) {
        diff_rand r;
        if (!diff_rand_load(dir, files[f], ins, 4096, &r)) {
            nskip++;
            printf("skip %s: shorter than one instruction\n", files[f]);
            continue;
        }
        setup s = {0};
        s.p = &r.p;
        s.ctx = r.ctx;
        s.ctx_len = r.ctx_len;
        s.ctx_perm = r.ro_ctx ? FC_PERM_R : FC_PERM_RW;
        s.helpers = rnd_helpers;
        s.nhelpers = 4;
        s.allow = diff_rand_allow;
        s.nallow = 4;
        s.budget = r.budget;
        check_prog(files[f], &r.p, &r.vo, &s, 1);
    }
    diff_free_names(files, n);
    printf("random programs (%s): %u compared\n", dir, npass + nfail - before);
}

static void run_elf(const char *arg)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", arg);
    char *at = strchr(path, '@');
    const char *entry = NULL;
    if (at) {
        *at = 0;
        entry = at + 1;
    }
    fc_prog p;
    fc_diag dv[8];
    fc_diags d = {dv, 8, 0, 0, 0};
    if (fc_elf_read_file(path, entry, &p, &d) != 0) {
        printf("FAIL %s: cannot read (%s)\n", arg, d.n ? dv[0].msg : "?");
        nfail++;
        return;
    }
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = 64;
    setup s[6];
    uint8_t ctx[6][64];
    for (unsigned k = 0; k < 6; k++) {
        uint64_t x = (k + 1) * 0x9e3779b97f4a7c15ull;
        for (unsigned j = 0; j < 64; j++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ctx[k][j] = (uint8_t)x;
        }
        memset(&s[k], 0, sizeof s[k]);
        s[k].p = &p;
        s[k].ctx = ctx[k];
        s[k].ctx_len = 64;
        s[k].ctx_perm = FC_PERM_RW;
        s[k].helpers = fc_std_helpers;
        s[k].nhelpers = fc_std_helpers_count;
        s[k].budget = FC_DEFAULT_BUDGET;
    }
    const char *base = strrchr(path, '/');
    unsigned before = nskip;
    check_prog(base ? base + 1 : path, &p, &vo, s, 6);
    if (nskip != before) {      /* every C program must verify */
        printf("FAIL %s: the verifier refuses it\n", path);
        nskip--;
        nfail++;
    }
    fc_elf_free(&p);
}

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++)
        if (!strcmp(argv[a], "-v"))
            verbose = 1;
        else if (!strcmp(argv[a], "--dump"))
            dump = 1;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--conf") && a + 1 < argc)
            run_conf(argv[++a]);
        else if (!strcmp(argv[a], "--corpus") && a + 1 < argc)
            run_corpus(argv[++a]);
        else if (!strcmp(argv[a], "--elf") && a + 1 < argc)
            run_elf(argv[++a]);
        else if (strcmp(argv[a], "-v") && strcmp(argv[a], "--dump")) {
            fprintf(stderr, "usage: ir-diff [--conf DIR] [--corpus DIR] [--elf FILE[@ENTRY]]... "
                            "[--dump] [-v]\n");
            return 2;
        }
    }
    printf("%u programs not lowered: the verifier refuses them (-v lists them)\n", nskip);
    printf("%llu runs; with facts %llu IR instructions for %llu eBPF slots (%.2f per slot), "
           "%llu hi halves not computed, %llu materialised\n",
           nruns, ir_ins_total, ebpf_total, ebpf_total ? (double)ir_ins_total / (double)ebpf_total : 0.0,
           hi_skipped_total, fixups_total);
    printf("at most %u IR instructions per eBPF slot in one program (the workspace allows %u)\n",
           max_per_slot, FC_IR_INSNS_PER_INSN);
    printf("fc_ir_opt (with facts): %llu range guards over %llu checks in %llu programs; every guarded "
           "program also run with every guard failing\n", guards_total, merged_total, guarded_progs);
    printf("fc_ir_promote (with facts, every temporary): %llu stack words in temporaries, %llu loads made "
           "movs, in %llu programs; fc_ir_copyprop: %llu movs dropped\n", promoted_total, forwarded_total,
           promoted_progs, copies_total);
    for (unsigned t = 0; t < NTARGETS; t++)
        printf("allocated for %s (%u registers, with facts): %llu webs, %llu in registers, %llu live across "
               "a call; %llu spill slots, %llu reloads and %llu spill stores (static); %llu of %llu moves "
               "coalesced; run: %llu slot loads, %llu slot stores\n",
               targets[t]->name, (unsigned)__builtin_popcountll(targets[t]->avail), rstat[t].webs,
               rstat[t].webs_reg, rstat[t].cross, rstat[t].slots, rstat[t].reloads, rstat[t].stores,
               rstat[t].coalesced, rstat[t].moves, rstat[t].dyn_rd, rstat[t].dyn_wr);
    printf("ir-diff: %u passed, %u failed\n", npass, nfail);
    return nfail != 0;
}
