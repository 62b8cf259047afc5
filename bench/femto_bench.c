/*
 * femto-bench - `make bench`: every benchmark program on every target and
 * engine, side by side.
 *
 *   femto-bench -C BENCHDIR [--targets cm3,rv32] [--progs a,b] [--mcpu v4]
 *               [--md FILE] [--json FILE] [--plot PREFIX]
 *
 * BENCHDIR is what bench/bench.mk builds: ebpf-V/P.o (the programs for eBPF,
 * clang-19 -mcpu=V, V from --mcpu),
 * and per target T: T/bench.elf (the benchmark firmware: runtime at -O2 plus
 * the gcc-compiled programs), T/progs/P.o, T/size-Os.txt, T/size-O2.txt.
 *
 * For each target the firmware runs on an emulated core (tools/fc_emu.h).
 * For each program: the native function is called directly; the program is
 * verified and compiled by femtoc (with and without the verifier's proofs),
 * packed into containers, installed by the device loader (fc_install on the
 * core, into a simulated flash) and run through fc_run, natively and in the
 * interpreter; the femtoc code also runs alone through the harness. Every
 * instruction executed from entry to return is counted and fed to the
 * core's cost model (bench_cost.h). Every engine's r0 must equal the
 * host-compiled program's, which is checked against an independent
 * reference where one exists: a mismatch fails the run (exit 1).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_cost.h"
#include "bench_image.h"
#include "bench_io.h"
#include "bench_xt.h"
#include "femto_bench.h"
#include "fc_backend.h"
#include "fc_elf.h"
#include "fc_emu.h"
#include "fc_fcx.h"
#include "fc_helpers.h"
#include "fc_loader.h"
#include "fc_sha256.h"
#include "fc_verify.h"

/* ---- the programs --------------------------------------------------------- */

/* the host twins: bench/progs/ compiled with -DBENCH_NATIVE */
uint64_t bench_fletcher32(const uint8_t *, uint64_t);
uint64_t bench_crc32(const uint8_t *, uint64_t);
uint64_t bench_bubblesort(const uint8_t *, uint64_t);
uint64_t bench_sha256(const uint8_t *, uint64_t);
uint64_t bench_arith64(const uint8_t *, uint64_t);
uint64_t bench_matmul(const uint8_t *, uint64_t);
uint64_t bench_base64(const uint8_t *, uint64_t);
uint64_t bench_empty(const uint8_t *, uint64_t);

typedef struct prog_def {
    const char *name;
    const char *what;
    uint32_t in_len;
    void (*gen)(uint8_t *buf, uint32_t len, uint64_t seed);
    uint64_t (*host)(const uint8_t *, uint64_t);
    /* an independent check of the host result (NULL: none); 0 = right */
    int (*check)(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n);
} prog_def;

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s * 0x2545f4914f6cdd1du;
}

static void gen_bytes(uint8_t *b, uint32_t len, uint64_t seed)
{
    for (uint32_t i = 0; i < len; i++)
        b[i] = (uint8_t)(rng_next(&seed) >> 56);
}

/* Q16.16 values in [-4, 4) */
static void gen_q16(uint8_t *b, uint32_t len, uint64_t seed)
{
    for (uint32_t i = 0; i + 4 <= len; i += 4) {
        int32_t v = (int32_t)(rng_next(&seed) >> 45) - 262144;
        memcpy(b + i, &v, 4);
    }
}

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 text of len / 4 * 3 - 2 random bytes (so the end has "==") */
static void gen_b64(uint8_t *b, uint32_t len, uint64_t seed)
{
    uint32_t nraw = len / 4 * 3 - 2, o = 0;
    uint8_t raw[3072];
    gen_bytes(raw, nraw, seed);
    for (uint32_t i = 0; i < nraw; i += 3) {
        uint32_t v = (uint32_t)raw[i] << 16 | (i + 1 < nraw ? (uint32_t)raw[i + 1] << 8 : 0) |
                     (i + 2 < nraw ? raw[i + 2] : 0);
        b[o++] = (uint8_t)b64_alpha[v >> 18 & 63];
        b[o++] = (uint8_t)b64_alpha[v >> 12 & 63];
        b[o++] = i + 1 < nraw ? (uint8_t)b64_alpha[v >> 6 & 63] : '=';
        b[o++] = i + 2 < nraw ? (uint8_t)b64_alpha[v & 63] : '=';
    }
}

/* Fletcher-32 by its definition: both sums modulo 65535 (the folded form
 * may give 0xffff for 0) */
static int check_fletcher(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    uint64_t s1 = 0xffff, s2 = 0xffff;
    for (uint32_t i = 0; i + 1 < len; i += 2) {
        s1 = (s1 + (uint32_t)(in[i] | in[i + 1] << 8)) % 65535u;
        s2 = (s2 + s1) % 65535u;
    }
    if (r0 >> 32 || (r0 & 0xffff) % 65535u != s1 || (r0 >> 16 & 0xffff) % 65535u != s2) {
        snprintf(why, n, "Fletcher-32 sums mod 65535 are %llu, %llu",
                 (unsigned long long)s1, (unsigned long long)s2);
        return 1;
    }
    return 0;
}

/* CRC-32 bit by bit */
static int check_crc(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (uint32_t i = 0; i < len; i++) {
        c ^= in[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
    }
    c ^= 0xffffffffu;
    if (r0 != c) {
        snprintf(why, n, "bitwise CRC-32 is 0x%08x", c);
        return 1;
    }
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int check_sort(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    uint32_t w[64], cnt = len / 4 > 64 ? 64 : len / 4, h = 0;
    memcpy(w, in, cnt * 4);
    qsort(w, cnt, 4, cmp_u32);
    for (uint32_t i = 0; i < cnt; i++)
        h = h * 31u + w[i];
    if (r0 != h) {
        snprintf(why, n, "hash of the qsort()ed words is 0x%08x", h);
        return 1;
    }
    return 0;
}

static int check_sha(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    uint8_t d[FC_SHA256_LEN];
    uint64_t want = 0;
    fc_sha256(in, len, d);
    for (int k = 0; k < 8; k++)
        want = want << 8 | d[k];
    if (r0 != want) {
        snprintf(why, n, "runtime/fc_sha256.c gives 0x%016llx", (unsigned long long)want);
        return 1;
    }
    return 0;
}

static int check_matmul(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    int32_t a[64], b[64];
    int64_t c[64] = {0};
    uint32_t h = 0x811c9dc5u;
    if (len < 512)
        return 0;
    memcpy(a, in, 256);
    memcpy(b, in + 256, 256);
    for (int k = 0; k < 8; k++)           /* another loop order */
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                c[i * 8 + j] += (int64_t)a[i * 8 + k] * b[k * 8 + j];
    for (int i = 0; i < 64; i++)
        h = (h ^ (uint32_t)(int32_t)((c[i] + 0x8000) >> 16)) * 0x01000193u;
    if (r0 != h) {
        snprintf(why, n, "the k-outer product hashes to 0x%08x", h);
        return 1;
    }
    return 0;
}

static int check_b64(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    uint32_t h = 0x811c9dc5u, cnt = 0, bits = 0, nbits = 0;
    for (uint32_t i = 0; i < len && in[i] != '='; i++) {
        const char *p = memchr(b64_alpha, in[i], 64);
        if (!p) {
            snprintf(why, n, "the input has a non-base64 byte at %u", i);
            return 1;
        }
        bits = bits << 6 | (uint32_t)(p - b64_alpha);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            h = (h ^ (bits >> nbits & 0xffu)) * 0x01000193u;
            cnt++;
        }
    }
    if (r0 != ((uint64_t)cnt << 32 | h)) {
        snprintf(why, n, "decoding by alphabet search gives %u bytes hashing to 0x%08x", cnt, h);
        return 1;
    }
    return 0;
}

static int check_empty(const uint8_t *in, uint32_t len, uint64_t r0, char *why, size_t n)
{
    (void)in;
    (void)len;
    if (r0 != 0) {
        snprintf(why, n, "the empty program returns 0");
        return 1;
    }
    return 0;
}

static const prog_def progs[] = {
    { "fletcher32", "Fletcher-32 (the Femto-Containers kernel)", 360, gen_bytes, bench_fletcher32,
      check_fletcher },
    { "crc32", "CRC-32 with a 1 KiB table", 256, gen_bytes, bench_crc32, check_crc },
    { "bubblesort", "bubble sort of 64 words", 256, gen_bytes, bench_bubblesort, check_sort },
    { "sha256", "SHA-256", 256, gen_bytes, bench_sha256, check_sha },
    { "arith64", "64-bit xorshift, multiply, divide", 16, gen_bytes, bench_arith64, NULL },
    { "matmul", "Q16.16 8x8 matrix product", 512, gen_q16, bench_matmul, check_matmul },
    { "base64", "base64 decode + FNV-1a", 344, gen_b64, bench_base64, check_b64 },
    { "empty", "empty program (hook overhead)", 16, gen_bytes, bench_empty, check_empty },
};
#define NPROGS (sizeof progs / sizeof progs[0])

/* ---- targets ------------------------------------------------------------------ */
typedef struct target_def {
    const char *key, *title, *march;
    unsigned fc_target;
    const char *native_cc;
    const bench_model *model;
} target_def;

static const target_def targets[] = {
    { "cm3", "Cortex-M3", "thumbv7m", FC_TARGET_THUMBV7M,
      "arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -O2", &bench_model_m3 },
    { "rv32", "RV32IMAC", "rv32imac", FC_TARGET_RV32IMAC,
      "riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -O2", &bench_model_e31 },
};
#define NTARGETS (sizeof targets / sizeof targets[0])

/* ---- tracing: the cost model and the attribution to firmware parts ---------- */
typedef struct range {
    uint32_t lo, hi;
    unsigned bucket;
} range;

typedef struct tracer {
    fc_emu *e;
    const bench_model *model;
    void *st;
    bench_meter meter;
    uint64_t bucket[BENCH_MAX_BUCKETS];
    range r[BENCH_MAX_BUCKETS];
    unsigned nr, other, last;
} tracer;

static const uint8_t *trace_read(void *ctx, uint32_t addr, uint32_t len)
{
    return fc_emu_host(((tracer *)ctx)->e, addr, len);
}

static void trace_cb(void *ctx, uint32_t addr, const uint8_t *insn, uint32_t size)
{
    tracer *t = ctx;
    t->model->step(t->st, &t->meter, addr, insn, size);
    if (t->last < t->nr && addr - t->r[t->last].lo < t->r[t->last].hi - t->r[t->last].lo) {
        t->bucket[t->r[t->last].bucket]++;
        return;
    }
    for (unsigned k = 0; k < t->nr; k++)
        if (addr - t->r[k].lo < t->r[k].hi - t->r[k].lo) {
            t->last = k;
            t->bucket[t->r[k].bucket]++;
            return;
        }
    t->bucket[t->other]++;
}

static void trace_reset(tracer *t)
{
    memset(&t->meter, 0, sizeof t->meter);
    memset(t->bucket, 0, sizeof t->bucket);
    t->model->reset(t->st);
}

/* ---- one target ------------------------------------------------------------- */
typedef struct opts {
    const char *dir;
    const char *mcpu;
    int verbose;
    int ed25519;                 /* measure fc_ed25519_verify too */
} opts;

typedef struct tctx {
    const target_def *def;
    bench_target_res *res;
    fc_emu *e;
    bench_image im;
    tracer tr;
    volatile uint32_t *io;
    uint32_t sym_init, sym_gp, sym_prep_inst, sym_after_inst, sym_prep_run, sym_after_run;
    uint32_t sym_install, sym_run;
    char err[512];
} tctx;

static uint32_t need_sym(tctx *c, const char *name)
{
    uint32_t v = bench_image_sym(&c->im, name, NULL);
    if (!v && !c->err[0])
        snprintf(c->err, sizeof c->err, "the firmware has no symbol %.100s", name);
    return v;
}

static int plain_call(tctx *c, uint32_t fn, const uint32_t *args, unsigned n, uint64_t *ret)
{
    fc_emu_stats st;
    int rc = fc_emu_call(c->e, fn, args, n, ret, &st);
    if (rc) {
        snprintf(c->err, sizeof c->err, "call of 0x%08x failed (%d) at pc 0x%08x, unicorn error %d",
                 fn, rc, st.pc, st.uc_err);
        return -1;
    }
    return 0;
}

static int check_count(tctx *c, const fc_emu_stats *st)
{
    if (st->insns != c->tr.meter.insns) {
        snprintf(c->err, sizeof c->err, "the trace saw %llu instructions, the harness counted %llu",
                 (unsigned long long)c->tr.meter.insns, (unsigned long long)st->insns);
        return -1;
    }
    return 0;
}

static void take(tctx *c, bench_measure *out, uint64_t r0)
{
    out->done = 1;
    out->r0 = r0;
    out->m = c->tr.meter;
    memcpy(out->bucket, c->tr.bucket, sizeof out->bucket);
}

static int measured_call(tctx *c, uint32_t fn, const uint32_t *args, unsigned n, uint64_t *ret,
                         bench_measure *out)
{
    fc_emu_stats st;
    trace_reset(&c->tr);
    int rc = fc_emu_call(c->e, fn, args, n, ret, &st);
    c->tr.model->finish(c->tr.st, &c->tr.meter);
    if (rc) {
        snprintf(c->err, sizeof c->err, "call of 0x%08x failed (%d) at pc 0x%08x, unicorn error %d",
                 fn, rc, st.pc, st.uc_err);
        return -1;
    }
    if (check_count(c, &st))
        return -1;
    take(c, out, *ret);
    return 0;
}

static uint8_t *guest(tctx *c, uint32_t addr, uint32_t len)
{
    uint8_t *p = fc_emu_host(c->e, addr, len);
    if (!p && !c->err[0])
        snprintf(c->err, sizeof c->err, "0x%08x..+%u is not mapped", addr, len);
    return p;
}

static int open_target(tctx *c, const opts *o)
{
    char path[1024];
    bench_target_res *t = c->res;

    c->e = fc_emu_open_target(c->def->fc_target, c->err, sizeof c->err);
    if (!c->e)
        return -1;
    snprintf(path, sizeof path, "%s/%s/bench.elf", o->dir, c->def->key);
    if (bench_image_load(&c->im, c->e, path, c->err, sizeof c->err))
        return -1;

    /* buckets: each code section of the firmware, the container's code
     * (flash slot or the harness's code area), the harness's runtime
     * routines, everything else */
    c->tr.e = c->e;
    c->tr.model = c->def->model;
    c->tr.st = c->def->model->create(trace_read, &c->tr);
    if (!c->tr.st) {
        snprintf(c->err, sizeof c->err, "out of memory");
        return -1;
    }
    for (unsigned k = 0; k < c->im.nsect && t->nbuckets < BENCH_MAX_BUCKETS - 3; k++) {
        const bench_sect *s = &c->im.sect[k];
        if (!s->code)
            continue;
        snprintf(t->bucket[t->nbuckets], sizeof t->bucket[0], "%s",
                 strncmp(s->name, ".text.", 6) == 0 ? s->name + 6 : s->name);
        c->tr.r[c->tr.nr++] = (range){ s->addr, s->addr + s->size, t->nbuckets++ };
    }
    snprintf(t->bucket[t->nbuckets], sizeof t->bucket[0], "container_code");
    c->tr.r[c->tr.nr++] = (range){ BENCH_FLASH_ADDR, BENCH_FLASH_ADDR + BENCH_FLASH_SIZE, t->nbuckets };
    c->tr.r[c->tr.nr++] = (range){ FC_EMU_CODE_ADDR, FC_EMU_CODE_ADDR + FC_EMU_CODE_SIZE, t->nbuckets };
    t->nbuckets++;
    snprintf(t->bucket[t->nbuckets], sizeof t->bucket[0], "harness_runtime");
    c->tr.r[c->tr.nr++] = (range){ FC_EMU_RT_ADDR, FC_EMU_RT_ADDR + 0x10000u, t->nbuckets++ };
    snprintf(t->bucket[t->nbuckets], sizeof t->bucket[0], "other");
    c->tr.other = t->nbuckets++;

    fc_emu_count(c->e, 1);
    fc_emu_trace(c->e, trace_cb, &c->tr);

    uint32_t io_addr = need_sym(c, "bench_io");
    c->sym_init = need_sym(c, "bench_init");
    c->sym_gp = need_sym(c, "bench_gp");
    c->sym_prep_inst = need_sym(c, "bench_prepare_install");
    c->sym_after_inst = need_sym(c, "bench_after_install");
    c->sym_prep_run = need_sym(c, "bench_prepare_run");
    c->sym_after_run = need_sym(c, "bench_after_run");
    c->sym_install = need_sym(c, "fc_install");
    c->sym_run = need_sym(c, "fc_run");
    if (c->err[0])
        return -1;
    c->io = (volatile uint32_t *)(void *)guest(c, io_addr, BIO__COUNT * 4u);
    if (!c->io || plain_call(c, c->sym_init, NULL, 0, NULL))
        return -1;
    t->sizeof_app = c->io[BIO_SIZEOF_APP];
    return 0;
}

/* compile p with the target's backend; code, relocations, pc map in *out
 * (malloc'd) */
typedef struct compiled {
    fc_bk_out out;
    uint32_t entry_off;
    fc_fcx_reloc *rel;
    fc_fcx_pcmap *pcm;
} compiled;

static void compiled_free(compiled *k)
{
    free(k->out.code);
    free(k->out.relocs);
    free(k->out.pcmap);
    free(k->rel);
    free(k->pcm);
    memset(k, 0, sizeof *k);
}

static int compile(tctx *c, const fc_backend *bk, const fc_prog *p, const fc_insn_info *info,
                   uint32_t flags, compiled *k)
{
    fc_bk_opts bo = { .flags = flags, .entries = NULL, .nentries = 0 };
    fc_diag dg[4];
    fc_diags d = { dg, 4, 0, 0, 0 };
    size_t wl = bk->work_size(p);
    void *work = malloc(wl ? wl : 1);
    int rc;

    memset(k, 0, sizeof *k);
    k->out.entry_off = &k->entry_off;
    rc = work ? bk->compile(p, info, &bo, work, wl, &k->out, &d) : FC_BK_EWORK;
    if (rc == FC_BK_ENOSPACE) {
        k->out.code = malloc(k->out.code_len + 1);
        k->out.code_cap = k->out.code_len;
        k->out.relocs = malloc((k->out.nrelocs + 1) * sizeof *k->out.relocs);
        k->out.relocs_cap = k->out.nrelocs;
        k->out.pcmap = malloc((k->out.npcmap + 1) * sizeof *k->out.pcmap);
        k->out.pcmap_cap = k->out.npcmap;
        rc = k->out.code && k->out.relocs && k->out.pcmap
                 ? bk->compile(p, info, &bo, work, wl, &k->out, &d) : FC_BK_EWORK;
    }
    free(work);
    if (rc != FC_BK_OK) {
        snprintf(c->err, sizeof c->err, "%s backend: status %d%s%s", bk->name, rc,
                 d.n ? ": " : "", d.n ? dg[0].msg : "");
        return -1;
    }
    k->rel = calloc(k->out.nrelocs + 1, sizeof *k->rel);
    k->pcm = calloc(k->out.npcmap + 1, sizeof *k->pcm);
    if (!k->rel || !k->pcm) {
        snprintf(c->err, sizeof c->err, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < k->out.nrelocs; i++)
        k->rel[i] = (fc_fcx_reloc){ k->out.relocs[i].offset, k->out.relocs[i].kind,
                                    k->out.relocs[i].sym, 0, k->out.relocs[i].addend };
    for (uint32_t i = 0; i < k->out.npcmap; i++)
        k->pcm[i] = (fc_fcx_pcmap){ k->out.pcmap[i].native_off, k->out.pcmap[i].insn };
    return 0;
}

static int write_fcx(tctx *c, const fc_prog *p, uint32_t frames, uint32_t untouched,
                     const compiled *k, uint8_t **buf, size_t *len)
{
    fc_fcx_code code;
    fc_fcx_input in;
    fc_diag dg[4];
    fc_diags d = { dg, 4, 0, 0, 0 };

    memset(&in, 0, sizeof in);
    in.prog = p;
    in.frames = frames;
    in.stack_untouched = untouched;
    if (k) {
        memset(&code, 0, sizeof code);
        code.target = (uint8_t)c->def->fc_target;
        code.isa = c->def->fc_target == FC_TARGET_THUMBV7M ? FC_ISA_T2_HWDIV
                                                          : FC_ISA_RV_M | FC_ISA_RV_C;
        code.code = k->out.code;
        code.code_len = k->out.code_len;
        code.relocs = k->rel;
        code.nrelocs = k->out.nrelocs;
        code.pcmap = k->pcm;
        code.npcmap = k->out.npcmap;
        code.entry_offsets = &k->entry_off;
        in.code = &code;
        in.ncode = 1;
    }
    if (fc_fcx_write_alloc(&in, buf, len, &d) != FC_FCX_OK) {
        snprintf(c->err, sizeof c->err, "container writer: %s", d.n ? dg[0].msg : "failed");
        return -1;
    }
    return 0;
}

/* install a container on the core (measured), then run it (measured) */
static int install_and_run(tctx *c, const prog_def *pd, const uint8_t *fcx, size_t fcx_len,
                           const uint8_t *input, bench_install_res *ir, bench_measure *run,
                           unsigned want_engine)
{
    volatile uint32_t *io = c->io;
    uint64_t ret = 0;
    uint8_t *dst;

    if (fcx_len > io[BIO_FCX_CAP] || pd->in_len > io[BIO_CTX_CAP]) {
        snprintf(c->err, sizeof c->err, "container (%zu bytes) or input too large for the firmware",
                 fcx_len);
        return -1;
    }
    if (!(dst = guest(c, io[BIO_FCX_ADDR], (uint32_t)fcx_len)))
        return -1;
    memcpy(dst, fcx, fcx_len);
    io[BIO_FCX_LEN] = (uint32_t)fcx_len;
    io[BIO_INSTALL_FLAGS] = 0;
    if (plain_call(c, c->sym_prep_inst, NULL, 0, NULL))
        return -1;
    uint32_t a[6] = { io[BIO_FCX_ADDR], (uint32_t)fcx_len, io[BIO_CFG_ADDR], io[BIO_APP_ADDR],
                      io[BIO_INFO_ADDR], io[BIO_LRES_ADDR] };
    if (measured_call(c, c->sym_install, a, 6, &ret, &ir->m) ||
        plain_call(c, c->sym_after_inst, NULL, 0, NULL))
        return -1;
    if ((uint32_t)ret != FC_OK) {
        snprintf(c->err, sizeof c->err, "fc_install: %s (section %d, record %d)",
                 fc_lerr_str((int)(uint32_t)ret), (int)io[BIO_LRES_SECT], (int)io[BIO_LRES_ITEM]);
        return -1;
    }
    if (io[BIO_ENGINE] != want_engine) {
        snprintf(c->err, sizeof c->err, "installed for engine %u, wanted %u", io[BIO_ENGINE],
                 want_engine);
        return -1;
    }
    ir->fcx_bytes = (uint32_t)fcx_len;
    ir->slot_bytes = io[BIO_SLOT_BYTES];
    ir->nrelocs = io[BIO_NRELOCS];
    ir->ram_data = io[BIO_RAM_DATA];
    ir->ram_bss = io[BIO_RAM_BSS];
    ir->ram_rodata = io[BIO_RAM_RODATA];
    ir->ram_stack = io[BIO_RAM_STACK];
    ir->ram_env = io[BIO_RAM_ENV];
    ir->ram_app = io[BIO_RAM_APP];
    ir->ram_tmpl = io[BIO_RAM_TMPL];
    ir->ram_total = io[BIO_RAM_TOTAL];
    /* the core wrote new code into the flash: no stale translations */
    fc_emu_flush(c->e, BENCH_FLASH_ADDR, BENCH_FLASH_SIZE);

    if (!(dst = guest(c, io[BIO_CTX_ADDR], pd->in_len)))
        return -1;
    memcpy(dst, input, pd->in_len);
    io[BIO_CTX_LEN] = pd->in_len;
    io[BIO_RUN_FLAGS] = 0;
    /* twice: the first run after an install builds fc_run's run template,
     * the second is what every later run costs (both must succeed alike) */
    uint32_t r[4] = { io[BIO_APP_ADDR], io[BIO_ARGS_ADDR], io[BIO_R0_ADDR], io[BIO_OUT_ADDR] };
    for (int pass = 0; pass < 2; pass++) {
        if (plain_call(c, c->sym_prep_run, NULL, 0, NULL) ||
            measured_call(c, c->sym_run, r, 4, &ret, pass ? run : &ir->first) ||
            plain_call(c, c->sym_after_run, NULL, 0, NULL))
            return -1;
        if (!pass && (uint32_t)ret != FC_OK)
            break;   /* reported below */
    }
    if ((uint32_t)ret != FC_OK) {
        snprintf(c->err, sizeof c->err, "fc_run: error %u (%s) at eBPF instruction %u",
                 (uint32_t)ret, (uint32_t)ret < FC_LERR_BASE ? fc_err_str((int)(uint32_t)ret)
                                                               : fc_lerr_str((int)(uint32_t)ret),
                 io[BIO_RUN_ERR_PC]);
        return -1;
    }
    if (io[BIO_RUN_ENGINE] != want_engine) {
        snprintf(c->err, sizeof c->err, "ran on engine %u, wanted %u", io[BIO_RUN_ENGINE],
                 want_engine);
        return -1;
    }
    run->r0 = (uint64_t)io[BIO_R0_HI] << 32 | io[BIO_R0_LO];
    return 0;
}

/* the femtoc code alone, through the harness's own runner (fc_emu_run):
 * from the code's entry to its return, runtime routines included */
static int code_only(tctx *c, const fc_prog *p, uint32_t frames, const compiled *k,
                     const uint8_t *input, uint32_t in_len, bench_measure *out)
{
    uint32_t sym[FC_SYM__COUNT];
    uint8_t *code = malloc(k->out.code_len + 1);
    static const uint32_t no_helpers[1] = { 0 };
    fc_emu_case ec;
    fc_emu_stats st;
    fc_vm vm;
    uint64_t r0 = 0, a_ctx = 0;
    int rc;

    if (!code) {
        snprintf(c->err, sizeof c->err, "out of memory");
        return -1;
    }
    memcpy(code, k->out.code, k->out.code_len);
    fc_emu_symbols(c->e, sym);
    if (fc_emu_relocate(code, k->out.code_len, FC_EMU_CODE_ADDR, k->out.relocs, k->out.nrelocs, sym,
                        c->err, sizeof c->err) ||
        fc_emu_place(c->e, FC_EMU_CODE_ADDR, code, k->out.code_len)) {
        if (!c->err[0])
            snprintf(c->err, sizeof c->err, "cannot place the code");
        free(code);
        return -1;
    }
    free(code);
    /* the program's memory at the machine's areas, as the differential runs */
    memset(&ec, 0, sizeof ec);
    ec.insns = p->insns;
    ec.n = p->ninsns;
    ec.ctx = input;
    ec.ctx_len = in_len;
    ec.rodata = p->rodata_len ? p->rodata : NULL;
    ec.rodata_len = p->rodata_len;
    ec.data = p->data_len ? p->data : NULL;
    ec.data_len = p->data_len;
    ec.bss_len = p->bss_len;
    ec.helpers = fc_std_helpers;
    ec.nhelpers = fc_std_helpers_count;
    ec.allow = no_helpers;
    ec.max_depth = frames;
    rc = fc_emu_case_vm(c->e, &ec, &vm, &a_ctx);
    if (rc != FC_OK) {
        snprintf(c->err, sizeof c->err, "VM set-up for the harness failed");
        return -1;
    }
    trace_reset(&c->tr);
    rc = fc_emu_run(c->e, FC_EMU_CODE_ADDR + k->entry_off, &vm, a_ctx, in_len, &r0, &st);
    c->tr.model->finish(c->tr.st, &c->tr.meter);
    if (rc != FC_OK) {
        snprintf(c->err, sizeof c->err, "femtoc code alone: %s (pc 0x%08x)",
                 rc >= 0 ? fc_err_str(rc) : "machine fault or cap", st.pc);
        return -1;
    }
    if (check_count(c, &st))
        return -1;
    take(c, out, r0);
    return 0;
}

static uint64_t name_seed(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 0x100000001b3u;
    return h | 1u;
}

static int run_prog(tctx *c, const opts *o, const prog_def *pd, bench_prog_res *pr)
{
    char path[1024], why[200];
    const fc_backend *bk = fc_backend_find(c->def->march);
    fc_prog p;
    fc_diag dg[8];
    fc_diags d = { dg, 8, 0, 0, 0 };
    fc_vfy_opts vo;
    fc_vfy_stats vs;
    fc_insn_info *info = NULL;
    void *ws = NULL;
    compiled k[2];
    uint8_t *fcx[3] = { NULL, NULL, NULL };
    size_t fcx_len[3] = { 0, 0, 0 };
    uint8_t input[4096];
    uint64_t ret = 0;
    int rc = -1;

    memset(k, 0, sizeof k);
    memset(pr, 0, sizeof *pr);
    pr->name = pd->name;
    pr->what = pd->what;
    pr->in_len = pd->in_len;

    if (plain_call(c, c->sym_gp, NULL, 0, NULL))
        return -1;

    /* the input and the expected result */
    memset(input, 0, sizeof input);
    pd->gen(input, pd->in_len, name_seed(pd->name));
    pr->r0 = pd->host(input, pd->in_len);
    if (pd->check && pd->check(input, pd->in_len, pr->r0, why, sizeof why)) {
        snprintf(c->err, sizeof c->err, "%s: the host-compiled program returned 0x%016llx but %s",
                 pd->name, (unsigned long long)pr->r0, why);
        return -1;
    }

    /* bytecode: read, verify (the context size declared: the input length) */
    snprintf(path, sizeof path, "%s/ebpf-%s/%s.o", o->dir, o->mcpu, pd->name);
    if (fc_elf_read_file(path, NULL, &p, &d)) {
        snprintf(c->err, sizeof c->err, "%.300s: %.180s", path, d.n ? dg[0].msg : "unreadable");
        return -1;
    }
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = pd->in_len;
    size_t wsz = fc_vfy_workspace_size(&p);
    ws = malloc(wsz ? wsz : 1);
    info = calloc(p.ninsns + 1, sizeof *info);
    if (!ws || !info || fc_vfy_run(&p, &vo, ws, wsz, info, &vs, &d)) {
        snprintf(c->err, sizeof c->err, "%.300s: verification failed: %.180s", path,
                 d.n ? dg[0].msg : "out of memory");
        goto out;
    }
    pr->ebpf_insns = p.ninsns;
    pr->frames = vs.max_call_depth ? vs.max_call_depth : 1;
    pr->accesses = vs.loads_proven + vs.loads_checked + vs.stores_proven + vs.stores_checked;

    /* femtoc: with the verifier's proofs, and with every access checked */
    if (compile(c, bk, &p, info, 0, &k[0]) || compile(c, bk, &p, info, FC_BK_CHECK_ALL, &k[1]))
        goto out;
    for (int v = 0; v < 2; v++) {
        pr->code_bytes[v] = k[v].out.code_len;
        pr->checks[v] = k[v].out.checks;
    }
    uint32_t untouched = fc_fcx_stack_untouched(&p, info, &vs);
    if (write_fcx(c, &p, pr->frames, untouched, &k[0], &fcx[0], &fcx_len[0]) ||
        write_fcx(c, &p, pr->frames, untouched, &k[1], &fcx[1], &fcx_len[1]) ||
        write_fcx(c, &p, pr->frames, untouched, NULL, &fcx[2], &fcx_len[2]))
        goto out;

    /* native */
    snprintf(path, sizeof path, "%s/%s/progs/%s.o", o->dir, c->def->key, pd->name);
    if (bench_obj_code_bytes(path, &pr->native_bytes, c->err, sizeof c->err))
        goto out;
    snprintf(path, sizeof path, "bench_%s", pd->name);
    uint32_t fn = need_sym(c, path);
    uint8_t *ctx = fn ? guest(c, c->io[BIO_CTX_ADDR], pd->in_len) : NULL;
    if (!ctx)
        goto out;
    memcpy(ctx, input, pd->in_len);
    uint32_t na[4], nn;
    if (c->def->fc_target == FC_TARGET_THUMBV7M) {   /* AAPCS: u64 in an even pair */
        na[0] = c->io[BIO_CTX_ADDR]; na[1] = 0; na[2] = pd->in_len; na[3] = 0; nn = 4;
    } else {                                          /* ILP32: the next two */
        na[0] = c->io[BIO_CTX_ADDR]; na[1] = pd->in_len; na[2] = 0; nn = 3;
    }
    if (measured_call(c, fn, na, nn, &ret, &pr->eng[ENG_NATIVE]))
        goto out;

    /* the runtime: install and run each container */
    if (install_and_run(c, pd, fcx[0], fcx_len[0], input, &pr->inst[INST_AOT], &pr->eng[ENG_AOT],
                        c->def->fc_target) ||
        install_and_run(c, pd, fcx[1], fcx_len[1], input, &pr->inst[INST_CHECKED],
                        &pr->eng[ENG_CHECKED], c->def->fc_target) ||
        install_and_run(c, pd, fcx[2], fcx_len[2], input, &pr->inst[INST_INTERP],
                        &pr->eng[ENG_INTERP], FC_TARGET_EBPF) ||
        code_only(c, &p, pr->frames, &k[0], input, pd->in_len, &pr->eng[ENG_CODE]))
        goto out;

    /* a wrong fast result is worthless */
    for (unsigned e = 0; e < ENG__COUNT; e++)
        if (pr->eng[e].r0 != pr->r0) {
            snprintf(c->err, sizeof c->err,
                     "%s: r0 MISMATCH: %s gave 0x%016llx, the host-compiled program 0x%016llx",
                     pd->name, bench_engine_title[e], (unsigned long long)pr->eng[e].r0,
                     (unsigned long long)pr->r0);
            goto out;
        }
    rc = 0;
out:
    for (int v = 0; v < 2; v++)
        compiled_free(&k[v]);
    for (int v = 0; v < 3; v++)
        free(fcx[v]);
    free(info);
    free(ws);
    fc_elf_free(&p);
    if (rc && c->err[0] && strncmp(c->err, pd->name, strlen(pd->name)) != 0) {
        char tmp[sizeof c->err];
        snprintf(tmp, sizeof tmp, "%.40s: %.460s", pd->name, c->err);
        memcpy(c->err, tmp, sizeof tmp);
    }
    return rc;
}

/* ---- Ed25519 verification ---------------------------------------------------- */

/* RFC 8032 7.1 TEST 1024: public key, signature, 1023-byte message */
static const char ed_pub[] = "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e";
static const char ed_sig[] = "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
                             "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03";
static const char ed_msg[] =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
    "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
    "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
    "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
    "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
    "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
    "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
    "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
    "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
    "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
    "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
    "c60c905c15fc910840b94c00a0b9d0";

static uint32_t ed_unhex(const char *h, uint8_t *out)
{
    uint32_t n = (uint32_t)(strlen(h) / 2);
    for (uint32_t i = 0; i < n; i++) {
        unsigned v = 0;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* The machine stack of fc_emu_call (its top is FC_EMU_MSTACK_TOP) is painted
 * before the call; the lowest byte changed after it gives the stack used. */
#define ED_STACK_LO FC_EMU_MSTACK_ADDR
#define ED_PAINT 0xa5u

/* fc_ed25519_verify(sig, pub, msg, len) in the firmware: the valid
 * signature must give 0, the message with one bit flipped -1; a wrong
 * result stops the benchmark. */
static int run_ed25519(tctx *c)
{
    static const char *const fn_name[ED__COUNT] = { "fc_ed25519_verify", "os_fc_ed25519_verify" };
    bench_target_res *t = c->res;
    uint8_t pub[32], sig[64], msg[1024];
    uint32_t buf = need_sym(c, "bench_fcx"), len = ed_unhex(ed_msg, msg);
    uint8_t *g, *stk;

    ed_unhex(ed_pub, pub);
    ed_unhex(ed_sig, sig);
    t->ed_msg_len = len;
    if (c->err[0] || !(g = guest(c, buf, 96u + len)) ||
        !(stk = guest(c, ED_STACK_LO, FC_EMU_MSTACK_TOP - ED_STACK_LO)))
        return -1;
    for (unsigned b = 0; b < ED__COUNT; b++) {
        uint32_t fn = need_sym(c, fn_name[b]);
        if (c->err[0])
            return -1;
        for (int flip = 0; flip < 2; flip++) {
            uint32_t args[4] = { buf + 32u, buf, buf + 96u, len };
            uint64_t r = 0;
            memcpy(g, pub, 32);
            memcpy(g + 32, sig, 64);
            memcpy(g + 96, msg, len);
            g[96 + 500] ^= (uint8_t)(flip << 3);
            memset(stk, ED_PAINT, FC_EMU_MSTACK_TOP - ED_STACK_LO);
            if (measured_call(c, fn, args, 4, &r, flip ? &t->ed[b].bad : &t->ed[b].ok))
                return -1;
            if ((uint32_t)r != (flip ? 0xffffffffu : 0u)) {
                snprintf(c->err, sizeof c->err, "%s returned %d for the %s signature", fn_name[b],
                         (int)(uint32_t)r, flip ? "changed message's" : "valid");
                return -1;
            }
            uint32_t lo = 0;
            while (lo < FC_EMU_MSTACK_TOP - ED_STACK_LO && stk[lo] == ED_PAINT)
                lo++;
            uint32_t used = FC_EMU_MSTACK_TOP - ED_STACK_LO - lo;
            if (used > t->ed[b].stack)
                t->ed[b].stack = used;
        }
        t->ed[b].done = 1;
    }
    return 0;
}

int bench_read_sizes(const char *path, bench_size_row *rows, unsigned *n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    *n = 0;
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        unsigned long text, data, bss, dec;
        char hex[32], file[900];
        if (sscanf(line, "%lu %lu %lu %lu %31s %899s", &text, &data, &bss, &dec, hex, file) != 6)
            continue;
        if (*n >= BENCH_MAX_SIZES)
            break;
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        snprintf(rows[*n].obj, sizeof rows[*n].obj, "%.31s", base);
        char *dot = strrchr(rows[*n].obj, '.');
        if (dot)
            *dot = 0;
        rows[*n].text = (uint32_t)text;
        rows[*n].data = (uint32_t)data;
        rows[*n].bss = (uint32_t)bss;
        (*n)++;
    }
    fclose(f);
    if (*n == 0) {
        snprintf(err, errlen, "%s: no size lines", path);
        return -1;
    }
    return 0;
}

static int run_target(const target_def *def, bench_target_res *t, const opts *o,
                      const prog_def *const *sel, unsigned nsel)
{
    tctx c;
    char path[1024];
    int rc = -1;

    memset(&c, 0, sizeof c);
    c.def = def;
    c.res = t;
    t->key = def->key;
    t->title = def->title;
    t->march = def->march;
    t->native_cc = def->native_cc;
    t->model = def->model;
    if (!fc_backend_find(def->march)) {
        printf("%s: backend not available\n", def->march);
        snprintf(t->why, sizeof t->why, "%s: backend not available", def->march);
        return 0;
    }
    snprintf(path, sizeof path, "%s/%s/size-Os.txt", o->dir, def->key);
    if (bench_read_sizes(path, t->size_os, &t->nsize_os, c.err, sizeof c.err))
        goto out;
    snprintf(path, sizeof path, "%s/%s/size-O2.txt", o->dir, def->key);
    if (bench_read_sizes(path, t->size_o2, &t->nsize_o2, c.err, sizeof c.err))
        goto out;
    snprintf(path, sizeof path, "%s/%s/size-nointerp-Os.txt", o->dir, def->key);
    if (bench_read_sizes(path, t->size_nointerp, &t->nsize_nointerp, c.err, sizeof c.err))
        goto out;
    snprintf(path, sizeof path, "%s/%s/size-nonative-Os.txt", o->dir, def->key);
    if (bench_read_sizes(path, t->size_nonative, &t->nsize_nonative, c.err, sizeof c.err))
        goto out;
    if (open_target(&c, o))
        goto out;
    t->available = 1;
    for (unsigned k = 0; k < nsel; k++) {
        bench_prog_res *pr = &t->prog[t->nprog];
        if (run_prog(&c, o, sel[k], pr))
            goto out;
        t->nprog++;
        if (o->verbose)
            fprintf(stderr, "%s %-10s native %llu, femtoc %llu, checked %llu, interp %llu insns\n",
                    def->key, pr->name, (unsigned long long)pr->eng[ENG_NATIVE].m.insns,
                    (unsigned long long)pr->eng[ENG_AOT].m.insns,
                    (unsigned long long)pr->eng[ENG_CHECKED].m.insns,
                    (unsigned long long)pr->eng[ENG_INTERP].m.insns);
    }
    if (o->ed25519 && run_ed25519(&c))
        goto out;
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "femto-bench: %s: %s\n", def->key, c.err);
    if (c.tr.st)
        def->model->destroy(c.tr.st);
    bench_image_free(&c.im);
    fc_emu_close(c.e);
    return rc;
}

/* every program source must have an entry in the table above */
static int check_table(const char *dir, const char *mcpu)
{
    char path[1024];
    DIR *dp;
    struct dirent *de;
    int bad = 0;
    snprintf(path, sizeof path, "%s/ebpf-%s", dir, mcpu);
    if (!(dp = opendir(path))) {
        fprintf(stderr, "femto-bench: %s: cannot open\n", path);
        return -1;
    }
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        unsigned k;
        if (l < 3 || strcmp(de->d_name + l - 2, ".o") != 0)
            continue;
        for (k = 0; k < NPROGS; k++)
            if (strlen(progs[k].name) == l - 2 && strncmp(progs[k].name, de->d_name, l - 2) == 0)
                break;
        if (k == NPROGS) {
            fprintf(stderr, "femto-bench: bench/progs/%.*s.c has no entry in femto_bench.c's table\n",
                    (int)(l - 2), de->d_name);
            bad = 1;
        }
    }
    closedir(dp);
    return bad ? -1 : 0;
}

static int in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncmp(p, name, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: femto-bench -C BENCHDIR [--targets cm3,rv32,lx106,esp32] [--progs a,b[,ed25519]] [--mcpu v4]\n"
                    "                   [--md FILE] [--json FILE] [--plot PREFIX] [-v]\n"
                    "       femto-bench --selftest   (the cycle models against their manuals)\n");
}

int main(int argc, char **argv)
{
    opts o = { NULL, "v4", 0, 1 };
    const char *tlist = NULL, *plist = NULL, *md = NULL, *json = NULL, *plot = NULL;
    static bench_target_res tres[NTARGETS];
    const prog_def *sel[NPROGS];
    unsigned nsel = 0, nt = 0;
    char cc[160];
    int status = 0;

    if (argc == 2 && strcmp(argv[1], "--selftest") == 0)
        return bench_selftest(stdout);
    for (int a = 1; a < argc; a++) {
        const char *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(argv[a], "-v") == 0) { o.verbose = 1; continue; }
        if (!v) { usage(); return 2; }
        if (strcmp(argv[a], "-C") == 0) o.dir = v;
        else if (strcmp(argv[a], "--targets") == 0) tlist = v;
        else if (strcmp(argv[a], "--progs") == 0) plist = v;
        else if (strcmp(argv[a], "--mcpu") == 0) o.mcpu = v;
        else if (strcmp(argv[a], "--md") == 0) md = v;
        else if (strcmp(argv[a], "--json") == 0) json = v;
        else if (strcmp(argv[a], "--plot") == 0) plot = v;
        else { usage(); return 2; }
        a++;
    }
    if (!o.dir) {
        usage();
        return 2;
    }
    if (check_table(o.dir, o.mcpu))
        return 1;
    for (unsigned k = 0; k < NPROGS; k++)
        if (!plist || in_list(plist, progs[k].name))
            sel[nsel++] = &progs[k];
    for (const char *p = plist; p && *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        unsigned k;
        for (k = 0; k < NPROGS; k++)
            if (strlen(progs[k].name) == l && strncmp(progs[k].name, p, l) == 0)
                break;
        if (k == NPROGS && !(l == 7 && strncmp(p, "ed25519", 7) == 0)) {
            fprintf(stderr, "femto-bench: unknown program '%.*s'\n", (int)l, p);
            return 2;
        }
        p = e ? e + 1 : NULL;
    }
    /* with --progs, the Ed25519 measurement only when "ed25519" is listed */
    if (plist)
        o.ed25519 = in_list(plist, "ed25519");
    if (nsel == 0 && !o.ed25519) {
        fprintf(stderr, "femto-bench: no program selected\n");
        return 2;
    }
    for (unsigned k = 0; k < NTARGETS; k++) {
        if (tlist && !in_list(tlist, targets[k].key))
            continue;
        if (run_target(&targets[k], &tres[nt], &o, sel, nsel))
            status = 1;
        nt++;
    }
    /* lx106 and esp32: in qemu-xtensa (bench_xt.h), the same programs and inputs */
    static bench_xt_res xres[BENCH_XT_ENGINES];
    int xt_on[BENCH_XT_ENGINES], with_xt = 0;
    for (unsigned x = 0; x < BENCH_XT_ENGINES; x++) {
        const char *en = bench_xt_engine_name[x];
        char err[600];
        xt_on[x] = (!tlist || in_list(tlist, en)) && nsel > 0;
        if (!xt_on[x])
            continue;
        with_xt = 1;
        bench_xt *bx = bench_xt_open(o.dir, en, &xres[x], err, sizeof err);
        if (!bx) {
            snprintf(xres[x].why, sizeof xres[x].why, "%.190s", err);
            fprintf(stderr, "femto-bench: %s: %s\n", en, err);
            status = 1;
        }
        for (unsigned k = 0; bx && k < nsel; k++) {
            uint8_t input[4096];
            memset(input, 0, sizeof input);
            sel[k]->gen(input, sel[k]->in_len, name_seed(sel[k]->name));
            uint64_t r0 = sel[k]->host(input, sel[k]->in_len);
            if (bench_xt_prog_run(bx, o.dir, o.mcpu, sel[k]->name, input, sel[k]->in_len, r0, err, sizeof err)) {
                fprintf(stderr, "femto-bench: %s: %s\n", en, err);
                status = 1;
                break;
            }
            const bench_xt_prog *xp = &xres[x].prog[xres[x].nprog - 1];
            if (o.verbose)
                fprintf(stderr, "%s %-10s native %llu, femtoc %llu, checked %llu, interp %llu insns\n", en,
                        sel[k]->name, (unsigned long long)xp->insns[XT_NATIVE],
                        (unsigned long long)xp->insns[XT_FEMTOC], (unsigned long long)xp->insns[XT_CHECKED],
                        (unsigned long long)xp->insns[XT_INTERP]);
        }
        bench_xt_close(bx);
    }
    if (nt == 0 && !with_xt) {
        fprintf(stderr, "femto-bench: no target selected\n");
        return 2;
    }
    if (status) {
        fprintf(stderr, "femto-bench: FAILED (nothing written)\n");
        return 1;
    }
    snprintf(cc, sizeof cc, "clang-19 --target=bpf -mcpu=%s -O2 -fno-builtin", o.mcpu);
    bench_report r = { cc, tres, nt, {xt_on[0] ? &xres[0] : NULL, xt_on[1] ? &xres[1] : NULL} };
    for (unsigned k = 0; k < nt; k++)
        bench_print_summary(stdout, &tres[k]);
    for (unsigned x = 0; x < BENCH_XT_ENGINES; x++)
        if (xt_on[x])
            bench_xt_print_summary(stdout, &xres[x]);
    if (md) {
        FILE *f = fopen(md, "w");
        if (!f) { fprintf(stderr, "femto-bench: %s: cannot write\n", md); return 1; }
        bench_write_md(f, &r);
        fclose(f);
    }
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) { fprintf(stderr, "femto-bench: %s: cannot write\n", json); return 1; }
        bench_write_json(f, &r);
        fclose(f);
    }
    if (plot && bench_write_plot(plot, &r)) {
        fprintf(stderr, "femto-bench: %s.*: cannot write\n", plot);
        return 1;
    }
    return 0;
}
