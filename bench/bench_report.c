/*
 * bench_report.c - femto-bench's outputs: results.md (a table set per
 * target), results.json (every figure), the gnuplot data and script for the
 * slowdown plot, and a short summary on stdout. Everything printed is a
 * measured number or a ratio of two; nothing depends on the host or time.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "femto_bench.h"
#include "bench_xt.h"

const char *const bench_engine_key[ENG__COUNT] = {
    "native", "femtoc", "femtoc_all_checks", "interpreter", "femtoc_code_alone",
};
const char *const bench_engine_title[ENG__COUNT] = {
    "native gcc -O2", "femtoc AOT", "femtoc AOT, all checks", "interpreter", "femtoc code alone",
};
const char *const bench_install_key[INST__COUNT] = { "femtoc", "femtoc_all_checks", "bytecode_only" };

double bench_ratio(uint64_t x, uint64_t native)
{
    return native ? (double)x / (double)native : 0.0;
}

static uint64_t figure(const bench_prog_res *p, unsigned eng, int what)
{
    switch (what) {
    case 0: return p->eng[eng].m.insns;
    case 1: return p->eng[eng].m.cycles;
    default:
        return eng == ENG_NATIVE ? p->native_bytes
             : eng == ENG_AOT ? p->code_bytes[0]
             : eng == ENG_CHECKED ? p->code_bytes[1]
             : (uint64_t)p->ebpf_insns * 8u;       /* ENG_INTERP: the bytecode */
    }
}

static int is_empty(const bench_prog_res *p)
{
    return strcmp(p->name, "empty") == 0;
}

double bench_geomean(const bench_target_res *t, unsigned eng, int what)
{
    double s = 0;
    unsigned n = 0;
    for (unsigned k = 0; k < t->nprog; k++) {
        const bench_prog_res *p = &t->prog[k];
        uint64_t nat = figure(p, ENG_NATIVE, what), x = figure(p, eng, what);
        if (is_empty(p) || !nat || !x)
            continue;
        s += log((double)x / (double)nat);
        n++;
    }
    return n ? exp(s / n) : 0.0;
}

static unsigned ngeo(const bench_target_res *t)
{
    unsigned n = 0;
    for (unsigned k = 0; k < t->nprog; k++)
        n += !is_empty(&t->prog[k]);
    return n;
}

/* 1234567 -> "1,234,567" */
static const char *num(char *buf, size_t n, uint64_t v)
{
    char tmp[32];
    int l = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < l && (size_t)o + 2 < n; i++) {
        if (i && (l - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
    return buf;
}

static const char *ratio(char *buf, size_t n, double r)
{
    if (r >= 100)
        snprintf(buf, n, "%.0fx", r);
    else if (r >= 10)
        snprintf(buf, n, "%.1fx", r);
    else
        snprintf(buf, n, "%.2fx", r);
    return buf;
}

/* ---- Markdown ------------------------------------------------------------------ */

static void md_perf(FILE *f, const bench_target_res *t, int what)
{
    char a[32], b[32];
    fprintf(f, "| program | input | %s | %s | %s | %s | %s |\n", bench_engine_title[0],
            bench_engine_title[1], bench_engine_title[2], bench_engine_title[3],
            bench_engine_title[4]);
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
    for (unsigned k = 0; k < t->nprog; k++) {
        const bench_prog_res *p = &t->prog[k];
        uint64_t nat = figure(p, ENG_NATIVE, what);
        fprintf(f, "| %s | %u B | %s", p->name, p->in_len, num(a, sizeof a, nat));
        for (unsigned e = ENG_AOT; e < ENG__COUNT; e++) {
            uint64_t x = figure(p, e, what);
            fprintf(f, " | %s (%s)", num(a, sizeof a, x), ratio(b, sizeof b, bench_ratio(x, nat)));
        }
        fprintf(f, " |\n");
    }
    fprintf(f, "| **geometric mean** (%u programs, `empty` left out) | | 1x", ngeo(t));
    for (unsigned e = ENG_AOT; e < ENG__COUNT; e++)
        fprintf(f, " | **%s**", ratio(a, sizeof a, bench_geomean(t, e, what)));
    fprintf(f, " |\n\n");
}

static void md_code(FILE *f, const bench_target_res *t)
{
    char a[32], b[32];
    fprintf(f, "| program | native .text | femtoc code | femtoc code, all checks | eBPF bytecode "
               "| memory accesses | checked at run time (femtoc / all checks) |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
    for (unsigned k = 0; k < t->nprog; k++) {
        const bench_prog_res *p = &t->prog[k];
        uint64_t nat = p->native_bytes;
        fprintf(f, "| %s | %s", p->name, num(a, sizeof a, nat));
        for (unsigned e = ENG_AOT; e <= ENG_INTERP; e++) {
            uint64_t x = figure(p, e, 2);
            fprintf(f, " | %s (%s)", num(a, sizeof a, x), ratio(b, sizeof b, bench_ratio(x, nat)));
        }
        fprintf(f, " | %u | %u / %u |\n", p->accesses, p->checks[0], p->checks[1]);
    }
    fprintf(f, "| **geometric mean** (%u programs) | 1x", ngeo(t));
    for (unsigned e = ENG_AOT; e <= ENG_INTERP; e++)
        fprintf(f, " | **%s**", ratio(a, sizeof a, bench_geomean(t, e, 2)));
    fprintf(f, " | | |\n\n");
}

/* "loader 1,234, sha256 5,678, ..." for the nonzero buckets, largest first */
static void buckets(FILE *f, const bench_target_res *t, const bench_measure *m)
{
    int used[BENCH_MAX_BUCKETS] = {0}, first = 1;
    char a[32];
    for (;;) {
        int best = -1;
        for (unsigned b = 0; b < t->nbuckets; b++)
            if (!used[b] && m->bucket[b] && (best < 0 || m->bucket[b] > m->bucket[best]))
                best = (int)b;
        if (best < 0)
            break;
        used[best] = 1;
        fprintf(f, "%s%s %s", first ? "" : ", ", t->bucket[best], num(a, sizeof a, m->bucket[best]));
        first = 0;
    }
}

static void md_install(FILE *f, const bench_target_res *t)
{
    char a[32], b[32], c[32], d[32], e[32], g[32];
    fprintf(f, "| program | container bytes (femtoc / bytecode only) | slot bytes | relocations "
               "| install: femtoc | install: all checks | install: bytecode only "
               "| RAM per instance: femtoc | RAM per instance: interpreter |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (unsigned k = 0; k < t->nprog; k++) {
        const bench_prog_res *p = &t->prog[k];
        const bench_install_res *n = &p->inst[INST_AOT], *i = &p->inst[INST_INTERP];
        fprintf(f, "| %s | %s / %s | %s | %u | %s | %s | %s | %u | %u |\n", p->name,
                num(a, sizeof a, n->fcx_bytes), num(b, sizeof b, i->fcx_bytes),
                num(c, sizeof c, n->slot_bytes), n->nrelocs, num(d, sizeof d, n->m.m.insns),
                num(e, sizeof e, p->inst[INST_CHECKED].m.m.insns),
                num(g, sizeof g, i->m.m.insns), n->ram_total, i->ram_total);
    }
    fprintf(f, "\nInstall instructions are counted from `fc_install`'s entry to its return on the core "
               "(validation, SHA-256 of the container, streaming into the simulated flash page by "
               "page, relocation, binding RAM). Where they go (femtoc container):\n\n");
    for (unsigned k = 0; k < t->nprog; k++) {
        fprintf(f, "- %s: ", t->prog[k].name);
        buckets(f, t, &t->prog[k].inst[INST_AOT].m);
        fprintf(f, "\n");
    }
    fprintf(f, "\nRAM per instance (`fc_app_ram`): .data + .bss (+ .rodata in RAM) + stack frames "
               "(512 B each) + `fc_run`'s run template in the instance RAM (%u B for femtoc: the VM, the "
               "native env of %u B and the hook's call; %u B for the interpreter: the VM) + "
               "`sizeof(fc_app)` (%u B on this core). Frames per program: ",
            t->nprog ? t->prog[0].inst[INST_AOT].ram_tmpl : 0u,
            t->nprog ? t->prog[0].inst[INST_AOT].ram_env : 0u,
            t->nprog ? t->prog[0].inst[INST_INTERP].ram_tmpl : 0u, t->sizeof_app);
    for (unsigned k = 0; k < t->nprog; k++)
        fprintf(f, "%s%s %u", k ? ", " : "", t->prog[k].name, t->prog[k].frames);
    fprintf(f, ".\n\n");
}

static void md_hook(FILE *f, const bench_target_res *t)
{
    const bench_prog_res *p = NULL;
    char a[32], b[32];
    for (unsigned k = 0; k < t->nprog; k++)
        if (is_empty(&t->prog[k]))
            p = &t->prog[k];
    if (!p)
        return;
    fprintf(f, "Where the instructions of one call of the empty program go (hook overhead):\n\n");
    for (unsigned e = 0; e < ENG__COUNT; e++) {
        fprintf(f, "- %s: %s instructions, %s cycles: ", bench_engine_title[e],
                num(a, sizeof a, p->eng[e].m.insns), num(b, sizeof b, p->eng[e].m.cycles));
        buckets(f, t, &p->eng[e]);
        fprintf(f, "\n");
    }
    fprintf(f, "\nThe first `fc_run` after an install also builds the run template (the VM, and for "
               "native code the env, in the instance RAM; docs/PORTING.md \"Run cost\"); every later "
               "run costs the figures above:\n\n");
    for (unsigned k = 0; k < INST__COUNT; k++) {
        static const unsigned eng_of[INST__COUNT] = { ENG_AOT, ENG_CHECKED, ENG_INTERP };
        fprintf(f, "- %s, first run: %s instructions: ", bench_engine_title[eng_of[k]],
                num(a, sizeof a, p->inst[k].first.m.insns));
        buckets(f, t, &p->inst[k].first);
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

static void size_sum(const bench_size_row *r, unsigned n, const char *const *objs, uint32_t out[3])
{
    out[0] = out[1] = out[2] = 0;
    for (unsigned k = 0; k < n; k++)
        for (unsigned j = 0; objs[j]; j++)
            if (strcmp(r[k].obj, objs[j]) == 0) {
                out[0] += r[k].text;
                out[1] += r[k].data;
                out[2] += r[k].bss;
            }
}

static const char *const interp_objs[] = { "fc_vm", "fc_isa", "fc_libc", NULL };
static const char *const rt_objs[] = { "fc_vm", "fc_isa", "fc_libc", "fc_helpers", "fc_native_rt",
                                       "fc_loader", "fc_sha256", "fc_reloc_thumb", "fc_reloc_rv32",
                                       NULL };

static void md_sizes(FILE *f, const bench_target_res *t)
{
    uint32_t os[3], o2[3];
    char a[32], b[32];
    const char *size_tool = strcmp(t->key, "cm3") == 0 ? "arm-none-eabi-size" : "riscv64-unknown-elf-size";
    fprintf(f, "`%s` of the cross-compiled runtime objects: ROM = text (code + read-only data), "
               "RAM = data + bss. -Os is what `make runtime-cross` ships (with `FC_LOADER_TERSE`: the loader's "
               "detailed refusal messages and error names are host-only); -O2 is the build measured above, "
               "with the messages.\n\n", size_tool);
    fprintf(f, "| part | -Os ROM | -Os RAM | -O2 ROM | -O2 RAM |\n|---|---:|---:|---:|---:|\n");
    size_sum(t->size_os, t->nsize_os, interp_objs, os);
    size_sum(t->size_o2, t->nsize_o2, interp_objs, o2);
    fprintf(f, "| **interpreter alone** (fc_vm, fc_isa, fc_libc) | %s | %u | %s | %u |\n",
            num(a, sizeof a, os[0]), os[1] + os[2], num(b, sizeof b, o2[0]), o2[1] + o2[2]);
    size_sum(t->size_os, t->nsize_os, rt_objs, os);
    size_sum(t->size_o2, t->nsize_o2, rt_objs, o2);
    fprintf(f, "| **runtime + loader** (all below but fc_flash_sim) | %s | %u | %s | %u |\n",
            num(a, sizeof a, os[0]), os[1] + os[2], num(b, sizeof b, o2[0]), o2[1] + o2[2]);
    /* the build options (docs/PORTING.md "Runtime build options"): the same
     * objects, those a variant leaves out absent from its size file */
    size_sum(t->size_nointerp, t->nsize_nointerp, rt_objs, os);
    fprintf(f, "| **native-only runtime** (-DFC_NO_INTERP: runtime + loader without the interpreter) "
               "| %s | %u | - | - |\n", num(a, sizeof a, os[0]), os[1] + os[2]);
    size_sum(t->size_nonative, t->nsize_nonative, rt_objs, os);
    fprintf(f, "| **interpreter-only runtime** (-DFC_NO_NATIVE: runtime + loader without fc_native_rt "
               "and the relocation files) | %s | %u | - | - |\n", num(a, sizeof a, os[0]), os[1] + os[2]);
    for (unsigned k = 0; k < t->nsize_os; k++) {
        const bench_size_row *r = &t->size_os[k], *q = NULL;
        for (unsigned j = 0; j < t->nsize_o2; j++)
            if (strcmp(t->size_o2[j].obj, r->obj) == 0)
                q = &t->size_o2[j];
        fprintf(f, "| %s%s | %s | %u | %s | %u |\n", r->obj,
                strcmp(r->obj, "fc_flash_sim") == 0 ? " (NOR flash simulator; a device brings its driver)" : "",
                num(a, sizeof a, r->text), r->data + r->bss, q ? num(b, sizeof b, q->text) : "-",
                q ? q->data + q->bss : 0);
    }
    fprintf(f, "\n");
}

static const char *const ed_objs[] = { "fc_ed25519", "fc_sha512", NULL };
static const char *const ed_build[ED__COUNT] = { "-O2 (this firmware)", "-Os (as `make runtime-cross` ships it)" };
static const char *const ed_key[ED__COUNT] = { "O2", "Os" };

static void md_ed25519(FILE *f, const bench_target_res *t)
{
    uint32_t sz[ED__COUNT][3];
    char a[32], b[32], c[32], d[32];
    if (!t->ed[ED_O2].done && !t->ed[ED_OS].done) {
        fprintf(f, "Not measured in this run (`--progs` without `ed25519`).\n\n");
        return;
    }
    size_sum(t->size_o2, t->nsize_o2, ed_objs, sz[ED_O2]);
    size_sum(t->size_os, t->nsize_os, ed_objs, sz[ED_OS]);
    fprintf(f, "`fc_ed25519_verify` (runtime/fc_ed25519.c, SHA-512 from runtime/fc_sha512.c) of the "
               "RFC 8032 7.1 TEST 1024 vector (a %u-byte message), from entry to return; then the same "
               "with one message bit changed (it must return -1, the first 0). ROM: text of fc_ed25519 "
               "+ fc_sha512 (no RAM: all state is the caller's or on the stack). Stack: the machine "
               "stack the call used, found by painting it.\n\n", t->ed_msg_len);
    fprintf(f, "| build | ROM | instructions | cycles | instructions, changed message | machine stack |\n"
               "|---|---:|---:|---:|---:|---:|\n");
    for (unsigned k = 0; k < ED__COUNT; k++) {
        const bench_ed_res *e = &t->ed[k];
        if (!e->done)
            continue;
        fprintf(f, "| %s | %s | %s | %s | %s | %u |\n", ed_build[k], num(a, sizeof a, sz[k][0]),
                num(b, sizeof b, e->ok.m.insns), num(c, sizeof c, e->ok.m.cycles),
                num(d, sizeof d, e->bad.m.insns), e->stack);
    }
    fprintf(f, "\n");
}

static void md_mix(FILE *f, const bench_target_res *t)
{
    fprintf(f, "| program | engine | instructions | cycles | cycles/insn | taken | ");
    for (unsigned c = 0; c < BC__COUNT; c++)
        fprintf(f, "%s | ", bench_class_name[c]);
    fprintf(f, "\n|---|---|---:|---:|---:|---:|");
    for (unsigned c = 0; c < BC__COUNT; c++)
        fprintf(f, "---:|");
    fprintf(f, "\n");
    for (unsigned k = 0; k < t->nprog; k++)
        for (unsigned e = 0; e < ENG__COUNT; e++) {
            const bench_meter *m = &t->prog[k].eng[e].m;
            fprintf(f, "| %s | %s | %llu | %llu | %.2f | %llu | ", t->prog[k].name, bench_engine_key[e],
                    (unsigned long long)m->insns, (unsigned long long)m->cycles,
                    m->insns ? (double)m->cycles / (double)m->insns : 0.0,
                    (unsigned long long)m->taken);
            for (unsigned c = 0; c < BC__COUNT; c++)
                fprintf(f, "%llu | ", (unsigned long long)m->cls[c]);
            fprintf(f, "\n");
        }
    fprintf(f, "\n");
}

void bench_write_md(FILE *f, const bench_report *r)
{
    fprintf(f, "# femtoc benchmarks\n\n");
    fprintf(f, "Written by `make bench` (bench/femto_bench.c). How to read these tables and what they "
               "mean on real hardware: [README.md](README.md).\n\n");
    fprintf(f, "- Bytecode: `%s`; native twins: the same C source with each target's GNU compiler at "
               "-O2. Every engine's r0 was checked equal to the host-compiled program's "
               "(and that against an independent reference where there is one).\n", r->ebpf_cc);
    fprintf(f, "- Counts are executed instructions of the emulated core (Unicorn), exact and "
               "deterministic, from entry to return of: the native function; `fc_run` for "
               "femtoc AOT and the interpreter (the device runtime's entry point: sets up the "
               "sandbox, runs, returns r0); the femtoc code alone for the last column. "
               "Runtime routines and libgcc calls are included. Cycles are estimates from the "
               "core's documented timings (tables at the end of each section).\n");
    fprintf(f, "- Ratios are against native gcc -O2 (lower is better); geometric means leave out "
               "the empty program, whose native run is a bare return.\n\n");
    for (unsigned k = 0; k < r->nt; k++) {
        const bench_target_res *t = &r->t[k];
        fprintf(f, "## %s (`-march=%s`)\n\n", t->title, t->march);
        if (!t->available) {
            fprintf(f, "Not measured: %s.\n\n", t->why);
            continue;
        }
        fprintf(f, "Native: `%s`. Runtime, loader and interpreter: the same compiler at -O2.\n\n",
                t->native_cc);
        fprintf(f, "### Executed instructions\n\n");
        md_perf(f, t, 0);
        fprintf(f, "### Estimated cycles (%s)\n\n", t->model->core);
        md_perf(f, t, 1);
        fprintf(f, "### Code size (bytes)\n\n");
        md_code(f, t);
        fprintf(f, "### Install and per-instance RAM\n\n");
        md_install(f, t);
        fprintf(f, "### Hook overhead\n\n");
        md_hook(f, t);
        fprintf(f, "### ROM and RAM of the runtime\n\n");
        md_sizes(f, t);
        fprintf(f, "### Ed25519 verification\n\n");
        md_ed25519(f, t);
        fprintf(f, "### Instruction mix\n\n");
        md_mix(f, t);
        fprintf(f, "### Cycle model: %s\n\nFrom the %s.\n\n", t->model->core, t->model->source);
        for (unsigned i = 0; t->model->doc[i]; i++)
            fprintf(f, "%s\n", t->model->doc[i]);
        fprintf(f, "\n");
    }
    for (unsigned k = 0; k < BENCH_XT_ENGINES; k++)
        if (r->xt[k])
            bench_xt_write_md(f, r->xt[k]);
}

/* ---- JSON ------------------------------------------------------------------------ */

static void js_meter(FILE *f, const bench_target_res *t, const bench_measure *m)
{
    fprintf(f, "{\"instructions\": %llu, \"cycles\": %llu, \"taken\": %llu, \"it_skipped\": %llu, "
               "\"mispredicts\": %llu, \"classes\": {",
            (unsigned long long)m->m.insns, (unsigned long long)m->m.cycles,
            (unsigned long long)m->m.taken, (unsigned long long)m->m.skipped,
            (unsigned long long)m->m.mispredicts);
    for (unsigned c = 0; c < BC__COUNT; c++)
        fprintf(f, "%s\"%s\": %llu", c ? ", " : "", bench_class_name[c],
                (unsigned long long)m->m.cls[c]);
    fprintf(f, "}, \"where\": {");
    int first = 1;
    for (unsigned b = 0; b < t->nbuckets; b++)
        if (m->bucket[b]) {
            fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", t->bucket[b],
                    (unsigned long long)m->bucket[b]);
            first = 0;
        }
    fprintf(f, "}}");
}

static void js_sizes(FILE *f, const bench_size_row *r, unsigned n)
{
    fprintf(f, "{");
    for (unsigned k = 0; k < n; k++)
        fprintf(f, "%s\"%s\": {\"text\": %u, \"data\": %u, \"bss\": %u}", k ? ", " : "", r[k].obj,
                r[k].text, r[k].data, r[k].bss);
    fprintf(f, "}");
}

void bench_write_json(FILE *f, const bench_report *r)
{
    fprintf(f, "{\n  \"generator\": \"femto-bench (make bench)\",\n  \"bytecode_compiler\": \"%s\",\n",
            r->ebpf_cc);
    fprintf(f, "  \"targets\": [\n");
    for (unsigned k = 0; k < r->nt; k++) {
        const bench_target_res *t = &r->t[k];
        fprintf(f, "    {\"target\": \"%s\", \"core\": \"%s\", \"march\": \"%s\", \"available\": %s",
                t->key, t->title, t->march, t->available ? "true" : "false");
        if (!t->available) {
            fprintf(f, ", \"reason\": \"%s\"}%s\n", t->why, k + 1 < r->nt ? "," : "");
            continue;
        }
        fprintf(f, ",\n     \"native_compiler\": \"%s\", \"cycle_model\": \"%s\", "
                   "\"sizeof_fc_app\": %u,\n", t->native_cc, t->model->source, t->sizeof_app);
        fprintf(f, "     \"geomean_vs_native\": {");
        for (unsigned e = ENG_AOT; e < ENG__COUNT; e++)
            fprintf(f, "%s\"%s\": {\"instructions\": %.4f, \"cycles\": %.4f}", e > ENG_AOT ? ", " : "",
                    bench_engine_key[e], bench_geomean(t, e, 0), bench_geomean(t, e, 1));
        fprintf(f, "},\n     \"geomean_code_bytes_vs_native\": {\"femtoc\": %.4f, "
                   "\"femtoc_all_checks\": %.4f, \"bytecode\": %.4f},\n",
                bench_geomean(t, ENG_AOT, 2), bench_geomean(t, ENG_CHECKED, 2),
                bench_geomean(t, ENG_INTERP, 2));
        fprintf(f, "     \"runtime_size_Os\": ");
        js_sizes(f, t->size_os, t->nsize_os);
        fprintf(f, ",\n     \"runtime_size_O2\": ");
        js_sizes(f, t->size_o2, t->nsize_o2);
        fprintf(f, ",\n     \"runtime_size_Os_no_interp\": ");
        js_sizes(f, t->size_nointerp, t->nsize_nointerp);
        fprintf(f, ",\n     \"runtime_size_Os_no_native\": ");
        js_sizes(f, t->size_nonative, t->nsize_nonative);
        if (t->ed[ED_O2].done || t->ed[ED_OS].done)
            fprintf(f, ",\n     \"ed25519_verify\": {\"message_bytes\": %u", t->ed_msg_len);
        for (unsigned e = 0; e < ED__COUNT && (t->ed[ED_O2].done || t->ed[ED_OS].done); e++) {
            uint32_t sz[3];
            size_sum(e == ED_OS ? t->size_os : t->size_o2, e == ED_OS ? t->nsize_os : t->nsize_o2,
                     ed_objs, sz);
            fprintf(f, ", \"%s\": {\"rom\": %u, \"stack\": %u, \"valid\": ", ed_key[e], sz[0],
                    t->ed[e].stack);
            js_meter(f, t, &t->ed[e].ok);
            fprintf(f, ", \"changed_message\": ");
            js_meter(f, t, &t->ed[e].bad);
            fprintf(f, "}");
        }
        if (t->ed[ED_O2].done || t->ed[ED_OS].done)
            fprintf(f, "}");
        fprintf(f, ",\n     \"programs\": [\n");
        for (unsigned i = 0; i < t->nprog; i++) {
            const bench_prog_res *p = &t->prog[i];
            fprintf(f, "       {\"name\": \"%s\", \"what\": \"%s\", \"input_bytes\": %u, "
                       "\"r0\": \"0x%016llx\", \"frames\": %u,\n",
                    p->name, p->what, p->in_len, (unsigned long long)p->r0, p->frames);
            fprintf(f, "        \"code_bytes\": {\"native\": %u, \"femtoc\": %u, "
                       "\"femtoc_all_checks\": %u, \"bytecode\": %u}, \"memory_accesses\": %u, "
                       "\"checked_accesses\": {\"femtoc\": %u, \"femtoc_all_checks\": %u},\n",
                    p->native_bytes, p->code_bytes[0], p->code_bytes[1], p->ebpf_insns * 8u,
                    p->accesses, p->checks[0], p->checks[1]);
            fprintf(f, "        \"engines\": {\n");
            for (unsigned e = 0; e < ENG__COUNT; e++) {
                fprintf(f, "          \"%s\": ", bench_engine_key[e]);
                js_meter(f, t, &p->eng[e]);
                fprintf(f, "%s\n", e + 1 < ENG__COUNT ? "," : "");
            }
            fprintf(f, "        },\n        \"install\": {\n");
            for (unsigned n = 0; n < INST__COUNT; n++) {
                const bench_install_res *in = &p->inst[n];
                fprintf(f, "          \"%s\": {\"container_bytes\": %u, \"slot_bytes\": %u, "
                           "\"relocations\": %u, \"ram\": {\"data\": %u, \"bss\": %u, \"rodata\": %u, "
                           "\"stack\": %u, \"native_env\": %u, \"run_tmpl\": %u, \"fc_app\": %u, "
                           "\"total\": %u},\n"
                           "            \"fc_install\": ",
                        bench_install_key[n], in->fcx_bytes, in->slot_bytes, in->nrelocs,
                        in->ram_data, in->ram_bss, in->ram_rodata, in->ram_stack, in->ram_env,
                        in->ram_tmpl, in->ram_app, in->ram_total);
                js_meter(f, t, &in->m);
                fprintf(f, "}%s\n", n + 1 < INST__COUNT ? "," : "");
            }
            fprintf(f, "        }}%s\n", i + 1 < t->nprog ? "," : "");
        }
        fprintf(f, "     ]}%s\n", k + 1 < r->nt ? "," : "");
    }
    fprintf(f, "  ]");
    for (unsigned k = 0; k < BENCH_XT_ENGINES; k++)
        if (r->xt[k]) {
            fprintf(f, ",\n  \"%s\": ", r->xt[k]->engine);
            bench_xt_write_json(f, r->xt[k]);
        }
    fprintf(f, "\n}\n");
}

/* ---- the plot ---------------------------------------------------------------------- */

int bench_write_plot(const char *prefix, const bench_report *r)
{
    char path[1024];
    unsigned na = 0;
    double top = 1.0;
    FILE *f;

    for (unsigned k = 0; k < r->nt; k++) {
        const bench_target_res *t = &r->t[k];
        if (!t->available)
            continue;
        na++;
        for (unsigned i = 0; i < t->nprog; i++)
            for (unsigned e = ENG_AOT; e <= ENG_INTERP; e++)
                if (!is_empty(&t->prog[i])) {
                    double x = bench_ratio(t->prog[i].eng[e].m.cycles,
                                           t->prog[i].eng[ENG_NATIVE].m.cycles);
                    top = x > top ? x : top;
                }
    }
    snprintf(path, sizeof path, "%s.dat", prefix);
    if (!(f = fopen(path, "w")))
        return -1;
    fprintf(f, "# estimated cycles / native gcc -O2 cycles, per program; one block per target\n");
    for (unsigned k = 0; k < r->nt; k++) {
        const bench_target_res *t = &r->t[k];
        if (!t->available)
            continue;
        fprintf(f, "# %s: program femtoc femtoc_all_checks interpreter\n", t->title);
        for (unsigned i = 0; i < t->nprog; i++) {
            const bench_prog_res *p = &t->prog[i];
            if (is_empty(p))
                continue;
            fprintf(f, "%s", p->name);
            for (unsigned e = ENG_AOT; e <= ENG_INTERP; e++)
                fprintf(f, " %.4f", bench_ratio(p->eng[e].m.cycles, p->eng[ENG_NATIVE].m.cycles));
            fprintf(f, "\n");
        }
        fprintf(f, "geomean %.4f %.4f %.4f\n\n\n", bench_geomean(t, ENG_AOT, 1),
                bench_geomean(t, ENG_CHECKED, 1), bench_geomean(t, ENG_INTERP, 1));
    }
    fclose(f);

    snprintf(path, sizeof path, "%s.gp", prefix);
    if (!(f = fopen(path, "w")))
        return -1;
    fprintf(f, "# written by femto-bench: gnuplot %s.gp -> %s.png\n", prefix, prefix);
    fprintf(f, "set terminal pngcairo size %u,560 font 'sans,10'\n", na > 1 ? 1400u : 760u);
    fprintf(f, "set output '%s.png'\n", prefix);
    fprintf(f, "set style data histograms\nset style histogram clustered gap 1\n");
    fprintf(f, "set style fill solid 0.85 border -1\nset boxwidth 0.9\n");
    fprintf(f, "set logscale y\nset yrange [0.5:%.0f]\nset grid ytics\n", top * 2.0);
    fprintf(f, "set ylabel 'estimated cycles / native gcc -O2 cycles (log scale)'\n");
    fprintf(f, "set xtics rotate by -30 nomirror\nset key outside bottom center horizontal\n");
    fprintf(f, "set multiplot layout 1,%u title 'femtoc: slowdown vs native gcc -O2 "
               "(make bench; lower is better)'\n", na ? na : 1u);
    unsigned idx = 0;
    for (unsigned k = 0; k < r->nt; k++) {
        const bench_target_res *t = &r->t[k];
        if (!t->available)
            continue;
        fprintf(f, "set title '%s (%s timings)'\n", t->title, t->model->core);
        fprintf(f, "plot '%s.dat' index %u using 2:xtic(1) title 'femtoc AOT' lc rgb '#2a7ab0', "
                   "'' index %u using 3 title 'femtoc AOT, all checks' lc rgb '#7fb8dc', "
                   "'' index %u using 4 title 'interpreter' lc rgb '#d0743c'\n",
                prefix, idx, idx, idx);
        idx++;
    }
    fprintf(f, "unset multiplot\n");
    fclose(f);
    return 0;
}

void bench_print_summary(FILE *f, const bench_target_res *t)
{
    char a[32], b[32];
    if (!t->available) {
        fprintf(f, "== %s: not measured (%s)\n", t->title, t->why);
        return;
    }
    fprintf(f, "== %s (-march=%s): executed instructions (estimated cycles), ratio to native gcc -O2\n",
            t->title, t->march);
    fprintf(f, "%-11s %16s %24s %24s %24s\n", "program", "native", "femtoc", "femtoc+checks",
            "interpreter");
    for (unsigned k = 0; k < t->nprog; k++) {
        const bench_prog_res *p = &t->prog[k];
        fprintf(f, "%-11s %7s (%6llu)", p->name, num(a, sizeof a, p->eng[ENG_NATIVE].m.insns),
                (unsigned long long)p->eng[ENG_NATIVE].m.cycles);
        for (unsigned e = ENG_AOT; e <= ENG_INTERP; e++) {
            char cell[96];
            snprintf(cell, sizeof cell, "%s %s", num(a, sizeof a, p->eng[e].m.insns),
                     ratio(b, sizeof b, bench_ratio(p->eng[e].m.insns, p->eng[ENG_NATIVE].m.insns)));
            fprintf(f, " %24s", cell);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "%-11s %16s", "geomean", "1x");
    for (unsigned e = ENG_AOT; e <= ENG_INTERP; e++) {
        char cell[96];
        snprintf(cell, sizeof cell, "%s (%s cyc)", ratio(a, sizeof a, bench_geomean(t, e, 0)),
                 ratio(b, sizeof b, bench_geomean(t, e, 1)));
        fprintf(f, " %24s", cell);
    }
    fprintf(f, "\n");
    for (unsigned k = 0; k < ED__COUNT; k++)
        if (t->ed[k].done)
            fprintf(f, "ed25519 verify, %u-byte message, %s: %s instructions (%s cycles), stack %u B\n",
                    t->ed_msg_len, ed_key[k], num(a, sizeof a, t->ed[k].ok.m.insns),
                    num(b, sizeof b, t->ed[k].ok.m.cycles), t->ed[k].stack);
}
