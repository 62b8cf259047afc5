/*
 * bench_xt.c - femto-bench on the Xtensa cores (bench_xt.h).
 *
 * One QEMU process per engine (the fc_xtd of sim/fc_xt_diff.h, counting:
 * -cpu lx106, or dc233c for esp32) holds both
 * machines: fc_xtd's (femtoc's code, its routine blob, the env/stack/region
 * block) and, beside it, the benchmark image and an I/O area:
 *
 *   0x00500000  bench.bin (bench/dev/bench_xt.ld), its .bss zeroed after it
 *   0x00600000  the context (the program's input)
 *   0x00608000  bench_xt_interp's argument block
 *   0x00610000  the bytecode (fc_insn records, 8 bytes each as on the host)
 *   0x00620000  .rodata, 0x00630000 .data, 0x00640000 .bss of the bytecode
 */
#include "bench_xt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_image.h"
#include "fc_elf.h"
#include "fc_verify.h"
#include "fc_xt_diff.h"

#define BX_IMG   0x00500000u
#define BX_IO    0x00600000u
#define BX_IO_SIZE 0x00050000u
#define BX_CTX   0x00600000u
#define BX_ARGS  0x00608000u
#define BX_CODE  0x00610000u
#define BX_RO    0x00620000u
#define BX_DATA  0x00630000u
#define BX_BSS   0x00640000u
#define BX_AREA  0x00010000u

struct bench_xt {
    fc_xtd *d;
    fc_xt *x;
    bench_xt_res *res;
    char nm_path[1024];
    uint32_t sym_interp;
};

int bench_read_sizes(const char *path, bench_size_row *rows, unsigned *n, char *err, size_t errlen);

static uint32_t nm_sym(const char *path, const char *name)
{
    FILE *f = fopen(path, "r");
    char line[512], nm[400], t[8];
    unsigned long v;
    uint32_t r = 0;
    if (!f)
        return 0;
    while (!r && fgets(line, sizeof line, f))
        if (sscanf(line, "%lx %7s %399s", &v, t, nm) == 3 && strcmp(nm, name) == 0)
            r = (uint32_t)v;
    fclose(f);
    return r;
}

const char *const bench_xt_engine_name[BENCH_XT_ENGINES] = {"lx106", "esp32"};

static int is_esp32(const bench_xt_res *r) { return strcmp(r->engine, "esp32") == 0; }

bench_xt *bench_xt_open(const char *dir, const char *engine, bench_xt_res *res, char *err, size_t errlen)
{
    char path[1024];
    bench_xt *b = calloc(1, sizeof *b);
    const fc_xtd_engine *eng = fc_xtd_find(engine);
    uint8_t *img = NULL;
    long len = 0;
    memset(res, 0, sizeof *res);
    res->engine = eng ? eng->name : "?";
    if (!b || !eng) {
        snprintf(err, errlen, "%s%s", b ? "no such Xtensa engine: " : "out of memory", b ? engine : "");
        free(b);
        return NULL;
    }
    b->res = res;
    snprintf(path, sizeof path, "%s/lx106/size-Os.txt", dir);
    if (bench_read_sizes(path, res->size_os, &res->nsize_os, err, errlen))
        goto fail;
    snprintf(b->nm_path, sizeof b->nm_path, "%s/lx106/bench.nm", dir);
    b->sym_interp = nm_sym(b->nm_path, "bench_xt_interp");
    uint32_t end = nm_sym(b->nm_path, "bench_xt_end");
    if (!b->sym_interp || end <= BX_IMG || end - BX_IMG > 0x00100000u) {
        snprintf(err, errlen, "%s: no bench_xt_interp / bench_xt_end", b->nm_path);
        goto fail;
    }
    snprintf(path, sizeof path, "%s/lx106/bench.bin", dir);
    FILE *f = fopen(path, "rb");
    if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (img = malloc((size_t)len)) && fread(img, 1, (size_t)len, f) != (size_t)len) {
        free(img);
        img = NULL;
    }
    if (f)
        fclose(f);
    if (!img || (uint32_t)len > end - BX_IMG) {
        snprintf(err, errlen, "%s: cannot read", path);
        goto fail;
    }
    b->d = fc_xtd_open(eng, err, errlen);
    if (!b->d)
        goto fail;
    b->x = fc_xtd_runner(b->d);
    fc_xt_timeout(b->x, 600000);   /* the exec trace: a few us per instruction */
    if (fc_xt_map(b->x, BX_IMG, (end - BX_IMG + 0xfffu) & ~0xfffu, FC_XT_RWX) ||
        fc_xt_write(b->x, BX_IMG, img, (uint32_t)len) || fc_xt_map(b->x, BX_IO, BX_IO_SIZE, FC_XT_R | FC_XT_W) ||
        fc_xtd_count(b->d, 1)) {
        snprintf(err, errlen, "qemu-xtensa: the bench image could not be mapped");
        goto fail;
    }
    free(img);
    return b;
fail:
    free(img);
    bench_xt_close(b);
    return NULL;
}

void bench_xt_close(bench_xt *b)
{
    if (!b)
        return;
    if (b->d && b->res)
        b->res->qemu_starts = fc_xt_starts(b->x);
    fc_xtd_close(b->d);
    free(b);
}

/* a counted call0 call: its instructions, *ret */
static int counted(bench_xt *b, uint32_t fn, const uint32_t *args, unsigned n, uint64_t *ret, uint64_t *insns,
                   char *err, size_t errlen)
{
    fc_xt_stats st;
    int rc = fc_xt_call(b->x, fn, FC_XT_CALL0, args, n, ret, &st);
    if (rc != FC_XT_OK || !st.counted) {
        snprintf(err, errlen, "qemu-xtensa: call of 0x%08x failed (runner status %d, signal %d)", fn, rc,
                 st.signal);
        return -1;
    }
    *insns = st.insns;
    return 0;
}

int bench_xt_prog_run(bench_xt *b, const char *dir, const char *mcpu, const char *name,
                      const uint8_t *input, uint32_t in_len, uint64_t r0, char *err, size_t errlen)
{
    char path[1024];
    bench_xt_res *res = b->res;
    bench_xt_prog *pr;
    fc_prog p;
    fc_diag dg[8];
    fc_diags d = { dg, 8, 0, 0, 0 };
    fc_vfy_opts vo;
    fc_vfy_stats vs;
    fc_insn_info *info = NULL;
    void *ws = NULL;
    uint64_t ret = 0;
    int rc = -1;

    if (res->nprog >= BENCH_MAX_PROGS || in_len > BX_ARGS - BX_CTX) {
        snprintf(err, errlen, "%s: too many programs or too large an input", name);
        return -1;
    }
    pr = &res->prog[res->nprog];
    memset(pr, 0, sizeof *pr);
    pr->name = name;
    pr->in_len = in_len;
    pr->r0 = r0;

    snprintf(path, sizeof path, "%s/ebpf-%s/%s.o", dir, mcpu, name);
    if (fc_elf_read_file(path, NULL, &p, &d)) {
        snprintf(err, errlen, "%.300s: %.180s", path, d.n ? dg[0].msg : "unreadable");
        return -1;
    }
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = in_len;
    size_t wsz = fc_vfy_workspace_size(&p);
    ws = malloc(wsz ? wsz : 1);
    info = calloc(p.ninsns + 1, sizeof *info);
    if (!ws || !info || fc_vfy_run(&p, &vo, ws, wsz, info, &vs, &d)) {
        snprintf(err, errlen, "%.300s: verification failed: %.180s", path, d.n ? dg[0].msg : "out of memory");
        goto out;
    }
    pr->ebpf_insns = p.ninsns;

    /* femtoc's code alone, with the facts and with every check */
    for (unsigned v = 0; v < 2; v++) {
        fc_emu_case c;
        fc_emu_outcome oi, on;
        char msg[300];
        memset(&c, 0, sizeof c);
        c.insns = p.insns;
        c.n = p.ninsns;
        c.info = info;
        c.bk_flags = v ? FC_BK_CHECK_ALL : 0;
        c.ctx = input;
        c.ctx_len = in_len;
        c.rodata = p.rodata_len ? p.rodata : NULL;
        c.rodata_len = p.rodata_len;
        c.data = p.data_len ? p.data : NULL;
        c.data_len = p.data_len;
        c.bss_len = p.bss_len;
        int r = fc_xtd_diff(b->d, &c, &oi, &on, msg, sizeof msg);
        if (r != 0 || on.err != FC_OK || on.r0 != r0) {
            snprintf(err, errlen, "%s: femtoc %s%s: %s (r0 0x%016llx, the host-compiled program 0x%016llx)",
                     name, res->engine, v ? ", all checks" : "", r ? msg : fc_err_str(on.err), (unsigned long long)on.r0,
                     (unsigned long long)r0);
            goto out;
        }
        pr->insns[v ? XT_CHECKED : XT_FEMTOC] = on.insns;
        pr->code_bytes[v] = on.code_len;
    }

    /* native gcc -O2: u64 bench_NAME(const u8 *ctx, u64 len), len in a4:a5 */
    snprintf(path, sizeof path, "%s/lx106/progs/%s.o", dir, name);
    if (bench_obj_code_bytes(path, &pr->native_bytes, err, errlen))
        goto out;
    snprintf(path, sizeof path, "bench_%s", name);
    uint32_t fn = nm_sym(b->nm_path, path);
    if (!fn) {
        snprintf(err, errlen, "%s: no symbol %s", b->nm_path, path);
        goto out;
    }
    uint32_t na[4] = { BX_CTX, 0, in_len, 0 };
    if (fc_xt_write(b->x, BX_CTX, input, in_len) || counted(b, fn, na, 4, &ret, &pr->insns[XT_NATIVE], err, errlen))
        goto out;
    if (ret != r0) {
        snprintf(err, errlen, "%s: r0 MISMATCH: native (gcc call0) on the %s core gave 0x%016llx, the host-compiled "
                 "program 0x%016llx", name, res->engine, (unsigned long long)ret, (unsigned long long)r0);
        goto out;
    }

    /* the interpreter on lx106 */
    if (p.ninsns * 8u > BX_AREA || p.rodata_len > BX_AREA || p.data_len > BX_AREA || p.bss_len > BX_AREA ||
        sizeof(fc_insn) != 8) {
        snprintf(err, errlen, "%s: too large for the Xtensa bench machine", name);
        goto out;
    }
    uint32_t args[14] = { BX_CODE, p.ninsns, vs.max_call_depth ? vs.max_call_depth : 1u,
                          in_len ? BX_CTX : 0, in_len, BX_RO, p.rodata_len, BX_DATA, p.data_len,
                          BX_BSS, p.bss_len, 0xffffffffu, 0, 0 };
    static const uint8_t zero[BX_AREA];
    if (fc_xt_write(b->x, BX_CTX, input, in_len) || fc_xt_write(b->x, BX_CODE, p.insns, p.ninsns * 8u) ||
        (p.rodata_len && fc_xt_write(b->x, BX_RO, p.rodata, p.rodata_len)) ||
        (p.data_len && fc_xt_write(b->x, BX_DATA, p.data, p.data_len)) ||
        (p.bss_len && fc_xt_write(b->x, BX_BSS, zero, p.bss_len)) || fc_xt_write(b->x, BX_ARGS, args, sizeof args)) {
        snprintf(err, errlen, "%s: qemu-xtensa: a write failed", name);
        goto out;
    }
    uint32_t a1 = BX_ARGS;
    if (counted(b, b->sym_interp, &a1, 1, &ret, &pr->insns[XT_INTERP], err, errlen) ||
        fc_xt_read(b->x, BX_ARGS, args, sizeof args))
        goto out;
    uint64_t ir0 = (uint64_t)args[13] << 32 | args[12];
    if (args[11] != FC_OK || ir0 != r0) {
        snprintf(err, errlen, "%s: the interpreter on the %s core: %s, r0 0x%016llx (the host-compiled program "
                 "0x%016llx)", name, res->engine, fc_err_str((int)args[11]), (unsigned long long)ir0,
                 (unsigned long long)r0);
        goto out;
    }
    res->nprog++;
    res->available = 1;
    rc = 0;
out:
    free(info);
    free(ws);
    fc_elf_free(&p);
    return rc;
}

/* ---- output --------------------------------------------------------------------- */
static const char *const xt_title[XT__COUNT] = {
    "native gcc -O2", "femtoc code alone", "femtoc, all checks", "interpreter",
};
static const char *const xt_key[XT__COUNT] = { "native", "femtoc_code_alone", "femtoc_all_checks", "interpreter" };

static uint64_t figure(const bench_xt_prog *p, unsigned e, int bytes)
{
    if (!bytes)
        return p->insns[e];
    return e == XT_NATIVE ? p->native_bytes : e == XT_FEMTOC ? p->code_bytes[0]
         : e == XT_CHECKED ? p->code_bytes[1] : (uint64_t)p->ebpf_insns * 8u;
}

static int is_empty(const bench_xt_prog *p) { return strcmp(p->name, "empty") == 0; }

static double geomean(const bench_xt_res *r, unsigned e, int bytes, unsigned *n_out)
{
    double s = 0;
    unsigned n = 0;
    for (unsigned k = 0; k < r->nprog; k++) {
        const bench_xt_prog *p = &r->prog[k];
        uint64_t nat = figure(p, XT_NATIVE, bytes), x = figure(p, e, bytes);
        if (is_empty(p) || !nat || !x)
            continue;
        s += log((double)x / (double)nat);
        n++;
    }
    if (n_out)
        *n_out = n;
    return n ? exp(s / n) : 0.0;
}

static const char *num(char *b, size_t n, uint64_t v)
{
    char t[32];
    int l = snprintf(t, sizeof t, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < l && (size_t)o + 2 < n; i++) {
        if (i && (l - i) % 3 == 0)
            b[o++] = ',';
        b[o++] = t[i];
    }
    b[o] = 0;
    return b;
}

static const char *ratio(char *b, size_t n, double r)
{
    if (r >= 100)
        snprintf(b, n, "%.0fx", r);
    else if (r >= 10)
        snprintf(b, n, "%.1fx", r);
    else
        snprintf(b, n, "%.2fx", r);
    return b;
}

void bench_xt_write_md(FILE *f, const bench_xt_res *r)
{
    char a[32], c[32];
    unsigned n;
    const char *en = r->engine;
    if (is_esp32(r))
        fprintf(f, "## Xtensa esp32 flavour (`-march=esp32`) on QEMU's dc233c\n\n");
    else
        fprintf(f, "## Xtensa lx106 (`-march=lx106`)\n\n");
    if (!r->available) {
        fprintf(f, "Not measured: %s.\n\n", r->why);
        return;
    }
    if (is_esp32(r))
        fprintf(f, "No QEMU core is an ESP32's LX6; `-cpu dc233c` has what `-march=esp32` code uses (windowed "
                   "registers, MUL32, DIV32), so femtoc's esp32 code runs there, entered with CALLX8, its runtime "
                   "routines (helper upcall, 64-bit division) reached through the windowed trampolines of "
                   "`sim/fc_xt_tramp.h` (6 instructions per call more than an ESP32 runtime of windowed C would "
                   "have; the helpers' own instructions are not counted on either Xtensa engine). **Native baseline "
                   "on the same core**: Debian has no windowed-ABI gcc, so it is the lx106 table's binary, "
                   "`xtensa-lx106-elf-gcc -O2` call0 code (MUL32, no DIV32: its 32-bit division is "
                   "`runtime/fc_div32.c`'s routine), run on dc233c with CALLX0 (call0 code needs nothing of the "
                   "window machinery); a windowed `-O2` build would differ by its ENTRY/RETW and argument "
                   "registers, and would divide in line. **Interpreter**: the same call0 build of "
                   "`runtime/fc_vm.c` (-O2), run on dc233c (there is no windowed build of the runtime here). So "
                   "the native and interpreter columns execute the same instructions as in the lx106 table; the "
                   "femtoc columns are the esp32 code. Counted as the lx106 table (QEMU's logs, runner left out); "
                   "every r0 checked against the host-compiled program's.\n\n");
    else
        fprintf(f, "Native: `xtensa-lx106-elf-gcc -O2`; interpreter: `runtime/fc_vm.c` with the same compiler at "
               "-O2. Run in `qemu-xtensa -cpu lx106` (user mode) through the Xtensa runner (`sim/fc_xt.h`); "
               "executed instructions counted exactly from QEMU's logs (`-d in_asm,exec,nochain`: the "
               "length of each translated block times its executions; Debian's QEMU has no TCG plugins), the "
               "runner's own instructions left out. No cycle "
               "estimates (no lx106 timing model here). The loader does not place lx106 code yet, so there "
               "is no `fc_run` column: \"femtoc code alone\" is the code from its entry to its return with "
               "the env prepared by the harness (as the column of that name above), \"interpreter\" is "
               "`fc_vm_init`, the regions and `fc_vm_run` (no loader, no `fc_run`). Every r0 checked against "
               "the host-compiled program's.\n\n");
    fprintf(f, "### Executed instructions (%s)\n\n| program | input |", en);
    for (unsigned e = 0; e < XT__COUNT; e++)
        fprintf(f, " %s |", xt_title[e]);
    fprintf(f, "\n|---|---:|");
    for (unsigned e = 0; e < XT__COUNT; e++)
        fprintf(f, "---:|");
    fprintf(f, "\n");
    for (unsigned k = 0; k < r->nprog; k++) {
        const bench_xt_prog *p = &r->prog[k];
        fprintf(f, "| %s | %u B | %s |", p->name, p->in_len, num(a, sizeof a, p->insns[XT_NATIVE]));
        for (unsigned e = 1; e < XT__COUNT; e++)
            fprintf(f, " %s (%s) |", num(a, sizeof a, p->insns[e]),
                    ratio(c, sizeof c, bench_ratio(p->insns[e], p->insns[XT_NATIVE])));
        fprintf(f, "\n");
    }
    geomean(r, XT_FEMTOC, 0, &n);
    fprintf(f, "| **geometric mean** (%u programs, `empty` left out) | | 1x |", n);
    for (unsigned e = 1; e < XT__COUNT; e++)
        fprintf(f, " **%s** |", ratio(a, sizeof a, geomean(r, e, 0, NULL)));
    fprintf(f, "\n\n### Code size (bytes, %s)\n\n", en);
    fprintf(f, "| program | native .text | femtoc code | femtoc code, all checks | eBPF bytecode |\n"
               "|---|---:|---:|---:|---:|\n");
    for (unsigned k = 0; k < r->nprog; k++) {
        const bench_xt_prog *p = &r->prog[k];
        fprintf(f, "| %s | %s |", p->name, num(a, sizeof a, p->native_bytes));
        for (unsigned e = 1; e < XT__COUNT; e++)
            fprintf(f, " %s (%s) |", num(a, sizeof a, figure(p, e, 1)),
                    ratio(c, sizeof c, bench_ratio(figure(p, e, 1), p->native_bytes)));
        fprintf(f, "\n");
    }
    geomean(r, XT_FEMTOC, 1, &n);
    fprintf(f, "| **geometric mean** (%u programs, `empty` left out) | 1x |", n);
    for (unsigned e = 1; e < XT__COUNT; e++)
        fprintf(f, " **%s** |", ratio(a, sizeof a, geomean(r, e, 1, NULL)));
    if (is_esp32(r)) {
        fprintf(f, "\n\nNo runtime ROM table for esp32: there is no windowed build of the runtime here "
                   "(docs/PORTING.md, ESP32).\n\n");
        return;
    }
    fprintf(f, "\n\n### ROM of the runtime (lx106, as runtime-cross builds it: -Os -mlongcalls)\n\n"
               "The objects the other cores' tables list, plus `fc_div32` (lx106 has no divide instruction); "
               "the Thumb-2 and RV32 relocation files are in the archive, a device needs neither.\n\n"
               "| part | .text | .data | .bss |\n|---|---:|---:|---:|\n");
    uint32_t tt = 0, td = 0, tb = 0;
    for (unsigned k = 0; k < r->nsize_os; k++) {
        const bench_size_row *s = &r->size_os[k];
        fprintf(f, "| %s | %s | %u | %u |\n", s->obj, num(a, sizeof a, s->text), s->data, s->bss);
        tt += s->text, td += s->data, tb += s->bss;
    }
    fprintf(f, "| **all** | **%s** | **%u** | **%u** |\n\n", num(a, sizeof a, tt), td, tb);
}

void bench_xt_write_json(FILE *f, const bench_xt_res *r)
{
    int esp = is_esp32(r);
    fprintf(f, "{\"target\": \"%s\", \"core\": \"%s\", \"march\": \"%s\", \"available\": %s", r->engine,
            esp ? "Xtensa dc233c (qemu-xtensa; no QEMU core is an LX6)" : "Xtensa lx106", r->engine,
            r->available ? "true" : "false");
    if (!r->available) {
        fprintf(f, ", \"reason\": \"%s\"}", r->why);
        return;
    }
    fprintf(f, ",\n    \"native_compiler\": \"%s\", \"counted_by\": "
               "\"qemu-xtensa -d in_asm,exec,nochain\",\n    \"geomean_vs_native\": {",
            esp ? "xtensa-lx106-elf-gcc -O2 (call0, no DIV32), run on dc233c" : "xtensa-lx106-elf-gcc -O2");
    for (unsigned e = 1; e < XT__COUNT; e++)
        fprintf(f, "%s\"%s\": {\"instructions\": %.4f, \"code_bytes\": %.4f}", e > 1 ? ", " : "", xt_key[e],
                geomean(r, e, 0, NULL), geomean(r, e, 1, NULL));
    fprintf(f, "},\n    \"runtime_size_Os\": {");
    for (unsigned k = 0; !esp && k < r->nsize_os; k++)
        fprintf(f, "%s\"%s\": {\"text\": %u, \"data\": %u, \"bss\": %u}", k ? ", " : "", r->size_os[k].obj,
                r->size_os[k].text, r->size_os[k].data, r->size_os[k].bss);
    fprintf(f, "},\n    \"programs\": [\n");
    for (unsigned k = 0; k < r->nprog; k++) {
        const bench_xt_prog *p = &r->prog[k];
        fprintf(f, "      {\"name\": \"%s\", \"input_bytes\": %u, \"r0\": \"0x%016llx\", \"instructions\": {", p->name,
                p->in_len, (unsigned long long)p->r0);
        for (unsigned e = 0; e < XT__COUNT; e++)
            fprintf(f, "%s\"%s\": %llu", e ? ", " : "", xt_key[e], (unsigned long long)p->insns[e]);
        fprintf(f, "}, \"code_bytes\": {\"native\": %u, \"femtoc\": %u, \"femtoc_all_checks\": %u, "
                   "\"bytecode\": %u}}%s\n", p->native_bytes, p->code_bytes[0], p->code_bytes[1],
                p->ebpf_insns * 8u, k + 1 < r->nprog ? "," : "");
    }
    fprintf(f, "    ]}");
}

void bench_xt_print_summary(FILE *f, const bench_xt_res *r)
{
    char a[32], c[32];
    if (!r->available) {
        fprintf(f, "== %s: not measured (%s)\n", r->engine, r->why);
        return;
    }
    if (is_esp32(r))
        fprintf(f, "== Xtensa esp32 flavour (-march=esp32, qemu-xtensa -cpu dc233c): executed instructions, ratio "
                   "to gcc -O2 call0 code on the same core\n");
    else
        fprintf(f, "== Xtensa lx106 (-march=lx106, qemu-xtensa): executed instructions, ratio to native gcc -O2\n");
    fprintf(f, "%-11s %12s %20s %20s %20s\n", "program", "native", "femtoc alone", "femtoc+checks", "interpreter");
    for (unsigned k = 0; k < r->nprog; k++) {
        const bench_xt_prog *p = &r->prog[k];
        fprintf(f, "%-11s %12s", p->name, num(a, sizeof a, p->insns[XT_NATIVE]));
        for (unsigned e = 1; e < XT__COUNT; e++) {
            char cell[80];
            snprintf(cell, sizeof cell, "%s %s", num(a, sizeof a, p->insns[e]),
                     ratio(c, sizeof c, bench_ratio(p->insns[e], p->insns[XT_NATIVE])));
            fprintf(f, " %20s", cell);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "%-11s %12s", "geomean", "1x");
    for (unsigned e = 1; e < XT__COUNT; e++)
        fprintf(f, " %20s", ratio(a, sizeof a, geomean(r, e, 0, NULL)));
    fprintf(f, "\n");
}
