/*
 * femtoc - the driver: eBPF object in, verified (and later native) container out.
 *
 *   femtoc app.o -march=ebpf -o app.fcx
 *
 * The pipeline is compile() below: read -> verify/analyse -> backend ->
 * container. Everything else here is option parsing and printing.
 * Messages follow gcc:  app.c:12: error: r3 read before it is written
 *                           (insn 14 in 'prog': add %r0, %r3)
 * or, without line info: app.o:prog+14: error: ...
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fc_asm.h"
#include "fc_disasm.h"
#include "fc_elf.h"
#include "fc_fcx.h"
#include "fc_sign.h"
#include "fc_prog.h"
#include "fc_testdata.h"
#include "fc_verify.h"
#include "fc_analysis.h"
#include "fc_vm.h"
#include "fc_backend.h"
#include "fc_ir.h"
#include "fc_regalloc.h"
#include "fc_loader.h"
#include "fc_native.h"
#include "fc_compile.h"

#define MAX_DIAGS 512u
#define MAX_HELPERS 256u

typedef struct options {
    const char *input;
    const char *output;
    const char *march;
    const char *entries[FC_FCX_MAX_ENTRIES]; /* --entry / -e, in order */
    uint32_t nentries;
    char entry_buf[2048];   /* the --entry lists, split */
    size_t entry_used;
    int verify_only, stats, listing, werror, no_warn, check_all;
    int dump_lower;         /* --dump=lower */
    int dump_alloc;         /* --dump=alloc */
    int dump_opt;           /* --dump=opt */
    int dump_promote;       /* --dump=promote */
    const fc_backend *backends[FC_TARGET__COUNT]; /* from -march, in order */
    uint32_t nbackends;
    uint32_t ctx_size;
    int ctx_size_set;
    uint32_t vflags;
    fc_vfy_helper helpers[MAX_HELPERS];
    uint32_t nhelpers;
    int have_allowlist;
    const char *sign_key;   /* --sign KEY.pem */
    int debug;              /* -g: the line table in the container */
    uint32_t budget;        /* --budget N (0: the runtime's default) */
    char march_buf[256];    /* several -march options, joined */
    FILE *info;             /* --stats: stdout, or stderr when the container goes there (-o -) */
} options;

#define FEMTOC_VERSION "0.14"  /* tools' --version; the container format is fc_container.h's */

static const char *prog_name = "femtoc";

static void usage(FILE *f)
{
    fprintf(f,
"usage: femtoc [options] INPUT\n"
"\n"
"Verify an eBPF program and write a femtoc container (.fcx).\n"
"\n"
"INPUT is an eBPF object made by `clang -target bpf -O2 -g -ffreestanding -c`\n"
"(clang 14, or clang-19 --target=bpf -mcpu=v1..v4; -ffreestanding because\n"
"there is no C library for eBPF, -g for source lines). Also accepted:\n"
"eBPF assembly in the bpf_conformance syntax (*.s, *.asm), a conformance test\n"
"file (*.data: its program) and raw bytecode (*.bin, 8-byte little-endian slots).\n"
"\n"
"Options:\n"
"  -march=TARGET[,TARGET...]\n"
"                    native code to put in the container beside the bytecode:\n"
"                    thumbv7m (Cortex-M3/M4 Thumb-2), rv32imac (RISC-V with\n"
"                    compressed instructions), rv32ima (without), rv32imc\n"
"                    (without the A extension: atomics with interrupts\n"
"                    masked; the container marks it M+C, no A), lx106\n"
"                    (Xtensa ESP8266, call0 ABI), esp32 (Xtensa LX6, windowed\n"
"                    ABI, DIV32). Several targets make one container the\n"
"                    loader picks from.\n"
"                    ebpf (the default): bytecode only, run by the interpreter.\n"
"                    Several -march options add up (as one list).\n"
"  -g                put a line table in the container (an optional section:\n"
"                    eBPF instruction -> file:line, from the object's -g line\n"
"                    info) so femto-run, femto-board and femto-objdump --line\n"
"                    name the C line of a fault or of a native pc\n"
"  --budget N        taken backward jumps plus local calls per run (N >= 1),\n"
"                    recorded in the container; default: the runtime's (%u).\n"
"                    A device may refuse a larger one\n"
"  --check-all       keep a run-time bounds check on every memory access, even\n"
"                    the ones the analysis proved (to measure what it saves)\n"
"  -fcodegen=ir      the code generator, the only one (accepted for old\n"
"                    scripts): the middle end (lowering to 32-bit IR, register\n"
"                    allocation, the target's instruction selector);\n"
"                    -fcodegen=template is refused (that generator is gone)\n"
"  -o FILE           output file (default: INPUT with its extension replaced by\n"
"                    .fcx; with -S: standard output); -o - : standard output\n"
"  --sign KEY.pem    sign the container with this Ed25519 private key (PEM, as\n"
"                    `openssl genpkey -algorithm ed25519` makes it): a device\n"
"                    that trusts the key runs its native code; see femto-sign\n"
"  --verify-only     verify and analyse, write nothing\n"
"  --stats           what the program costs on the device: loads and stores\n"
"                    proven in bounds (no run-time check) and checked, the call\n"
"                    depth and stack use, code bytes per target, flash slot\n"
"                    bytes, RAM per instance (the 512-byte frames included)\n"
"                    and the fixed per-call RAM (on standard output; on\n"
"                    standard error with -o -). With --verify-only or -S: the\n"
"                    access counts only (no container is made)\n"
"  -S                write a listing instead of a container: every instruction\n"
"                    disassembled with its (decimal) index, source line (-g) and\n"
"                    what the analysis proved about its memory access ([proven\n"
"                    ctx], [check ctx]); with -march, the native code made for\n"
"                    each instruction under it. When verification fails the\n"
"                    listing is still written, the failing instructions marked\n"
"  --dump=STAGES     print the middle end's output instead of a container\n"
"                    (standard output, or -o FILE): `lower`, the program\n"
"                    lowered to the 32-bit IR (middle/fc_ir.h: per function,\n"
"                    blocks of three-address ops over 32-bit vregs r0.lo/r0.hi\n"
"                    .. fp, each with the eBPF instruction it came from as @N;\n"
"                    hi halves known zero read as 0, dead ones `_`); `alloc`,\n"
"                    the same IR after register allocation (middle/\n"
"                    fc_regalloc.h): every operand a register of the table\n"
"                    (Cortex-M3-like; RV32-like when an -march target is\n"
"                    rv32*) or a spill slot [sN], calls and exits with the\n"
"                    locations of their implicit operands {r1.lo=r0 ...}.\n"
"                    `opt`, the IR after the middle end's pass (fc_ir_opt:\n"
"                    the checks of one base in a block merged under one range\n"
"                    `guard`, the block copied with every check for the case\n"
"                    it fails), what the instruction selectors allocate; with\n"
"                    `opt`, `alloc` shows the allocation of that form.\n"
"                    `promote`, after fc_ir_promote and fc_ir_copyprop\n"
"                    (before `opt`: stack words the code stores and reloads\n"
"                    through fp kept in temporaries t0..t9, the stores kept,\n"
"                    the loads movs; movs folded into their readers).\n"
"                    Several stages: --dump=lower,opt,alloc\n"
"  -e NAME, --entry NAME[,NAME...]\n"
"                    an entry point: the function (symbol) or code section a\n"
"                    host may start; needed when the object has several\n"
"                    program sections. Repeat it (or give a list) for several\n"
"                    entry points (hooks) in one container, at most 64: entry\n"
"                    0 is the first named; each is verified as a program\n"
"                    start (r1 = context, r2 = its length) and gets native\n"
"                    code; the host runs one by index or name (femto-run\n"
"                    --entry NAME). An entry function cannot be called by\n"
"                    another function (share code through a static one).\n"
"                    For assembly and raw bytecode inputs: NAME=INDEX (the\n"
"                    instruction the entry starts at)\n"
"  --ctx-size N      the context (r1) is at least N bytes (N <= 65536): accesses\n"
"                    below N are proven; without it every context access keeps\n"
"                    its check. The container records N, and the device refuses\n"
"                    to run it with a shorter context (or, when a proven store\n"
"                    writes the context, with a read-only one)\n"
"  --helpers LIST    allow exactly these helpers: comma-separated numbers\n"
"                    (decimal or 0x-hex), e.g. --helpers 1,2,0x20. A number\n"
"                    femtoc does not know is allowed with an unknown signature.\n"
"                    Without --helpers/--profile every known helper is allowed.\n"
"  --profile FILE    read the allowlist (and the context size) from FILE:\n"
"                      # comment\n"
"                      ctx-size 64\n"
"                      helper 0x01              (a known helper, its signature)\n"
"                      helper 0x80 name ptrw scalar  (r1.. argument kinds:\n"
"                                    any opt scalar ptr ptrw ptrw0; `void`: none)\n"
"                      helper 0x81 name         (name only: unknown signature)\n"
"                    A helper femtoc knows always keeps its known signature\n"
"                    (a different one in the profile is ignored, with a note).\n"
"                    For other helpers the analysis assumes the helper may\n"
"                    write through every any/opt/ptrw/ptrw0 argument, and\n"
"                    through r1..r5 when the signature is unknown.\n"
"                    Several --helpers/--profile options add up.\n"
"  --masked-shifts   accept shift immediates outside 0..31/0..63 with a warning\n"
"                    (RFC 9669 masks them); by default they are errors\n"
"  -Werror           treat warnings as errors\n"
"  -w                do not print warnings\n"
"  -h, --help        this text\n"
"  --version         the version of femtoc and of the container format\n"
"\n"
"Exit status: 0 on success, 1 on any error (a verification error included).\n",
        FC_DEFAULT_BUDGET);
}

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die_usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(femtoc -h lists the options)\n");
    exit(1);
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (!*s || *end || errno || v > 0xffffffffull || s[0] == '-')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int add_helper(options *o, const fc_vfy_helper *h)
{
    for (uint32_t k = 0; k < o->nhelpers; k++)
        if (o->helpers[k].id == h->id) {
            if (h->nargs != FC_HSIG_UNKNOWN || h->name[0])
                o->helpers[k] = *h;
            return 0;
        }
    if (o->nhelpers >= MAX_HELPERS)
        return -1;
    o->helpers[o->nhelpers++] = *h;
    return 0;
}

static void parse_helpers(options *o, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        die_usage("out of memory");
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        fc_vfy_helper h = {0};
        while (*t == ' ')
            t++;
        if (parse_u32(t, &h.id))
            die_usage("--helpers: '%s' is not a helper number", t);
        h.nargs = FC_HSIG_UNKNOWN;
        if (add_helper(o, &h))
            die_usage("--helpers: too many helpers (limit %u)", MAX_HELPERS);
    }
    free(copy);
    o->have_allowlist = 1;
}

/* --entry a,b or several --entry: each name once, at most 64 in all */
static void add_entries(options *o, const char *list)
{
    size_t n = strlen(list);
    if (n + 1 > sizeof o->entry_buf - o->entry_used)
        die_usage("--entry: names too long");
    char *copy = o->entry_buf + o->entry_used, *save = NULL;
    memcpy(copy, list, n + 1);
    o->entry_used += n + 1;
    uint32_t before = o->nentries;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!*t)
            continue;
        for (uint32_t k = 0; k < o->nentries; k++)
            if (strcmp(o->entries[k], t) == 0)
                die_usage("--entry: '%s' named twice", t);
        if (o->nentries >= FC_FCX_MAX_ENTRIES)
            die_usage("--entry: more than %u entry points", FC_FCX_MAX_ENTRIES);
        o->entries[o->nentries++] = t;
    }
    if (o->nentries == before)
        die_usage("--entry: no name given");
}

static int parse_arg_kind(const char *w, uint8_t *k)
{
    static const struct { const char *name; uint8_t kind; } kinds[] = {
        {"any", FC_HARG_ANY}, {"opt", FC_HARG_OPT}, {"scalar", FC_HARG_SCALAR},
        {"ptr", FC_HARG_PTR}, {"ptrw", FC_HARG_PTR_W}, {"ptrw0", FC_HARG_PTR_W0},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(w, kinds[i].name) == 0) {
            *k = kinds[i].kind;
            return 0;
        }
    return -1;
}

static void parse_profile(options *o, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    unsigned ln = 0;
    if (!f)
        die_usage("--profile %s: %s", path, strerror(errno));
    while (fgets(line, sizeof line, f)) {
        char *w[12], *save = NULL;
        int nw = 0;
        ln++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        for (char *t = strtok_r(line, " \t\r\n", &save); t && nw < 12; t = strtok_r(NULL, " \t\r\n", &save))
            w[nw++] = t;
        if (nw == 0)
            continue;
        if (strcmp(w[0], "ctx-size") == 0 && nw == 2) {
            uint32_t v;
            if (parse_u32(w[1], &v) || v > FC_FCX_MAX_CTX)
                die_usage("%s:%u: bad ctx-size '%s' (0..%u)", path, ln, w[1], FC_FCX_MAX_CTX);
            if (!o->ctx_size_set)
                o->ctx_size = v;
        } else if (strcmp(w[0], "helper") == 0 && nw >= 2) {
            fc_vfy_helper h = {0};
            if (parse_u32(w[1], &h.id))
                die_usage("%s:%u: bad helper number '%s'", path, ln, w[1]);
            h.nargs = FC_HSIG_UNKNOWN;
            if (nw >= 3)
                snprintf(h.name, sizeof h.name, "%s", w[2]);
            if (nw == 4 && strcmp(w[3], "void") == 0) {
                h.nargs = 0;
            } else if (nw >= 4) {
                if (nw - 3 > 5)
                    die_usage("%s:%u: more than 5 arguments", path, ln);
                h.nargs = (uint8_t)(nw - 3);
                for (int k = 3; k < nw; k++)
                    if (parse_arg_kind(w[k], &h.arg[k - 3]))
                        die_usage("%s:%u: unknown argument kind '%s' (any opt scalar ptr ptrw ptrw0)",
                                  path, ln, w[k]);
            }
            const fc_vfy_helper *kn = fc_vfy_find_known(h.id);
            if (kn && h.nargs != FC_HSIG_UNKNOWN &&
                (h.nargs != kn->nargs || memcmp(h.arg, kn->arg, h.nargs)))
                fprintf(stderr, "femtoc: %s:%u: note: helper 0x%x is %s: its known signature is used, "
                        "not the profile's\n", path, ln, (unsigned)h.id, kn->name);
            if (add_helper(o, &h))
                die_usage("%s:%u: too many helpers", path, ln);
        } else {
            die_usage("%s:%u: expected 'helper ID [NAME [ARGS...]]' or 'ctx-size N'", path, ln);
        }
    }
    fclose(f);
    o->have_allowlist = 1;
}

/* -march=ebpf, or a comma-separated list of backend names. */
static void parse_march(options *o)
{
    o->nbackends = 0;
    if (strcmp(o->march, "ebpf") == 0)
        return;
    if (strncmp(o->march, "ebpf,", 5) == 0)  /* -march=ebpf then others: ebpf is always there */
        o->march += 5;
    const char *s = o->march;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char name[32];
        if (n == 0 || n >= sizeof name)
            die_usage("-march=%s: empty or overlong target name", o->march);
        memcpy(name, s, n);
        name[n] = '\0';
        const fc_backend *b = fc_backend_find(name);
        if (!b) {
            char avail[160];
            size_t k = 0;
            for (unsigned i = 0; fc_backend_table[i] && k < sizeof avail; i++)
                k += (size_t)snprintf(avail + k, sizeof avail - k, "%s%s", i ? ", " : "",
                                      fc_backend_table[i]->name);
            die_usage("-march: unknown target '%s' (available: ebpf, %s)", name, avail);
        }
        for (uint32_t i = 0; i < o->nbackends; i++)
            if (o->backends[i]->target == b->target)
                die_usage("-march=%s: two code sections for one core ('%s' and '%s')", o->march,
                          o->backends[i]->name, b->name);
        if (o->nbackends == FC_TARGET__COUNT)
            die_usage("-march=%s: too many targets", o->march);
        o->backends[o->nbackends++] = b;
        s += n;
        if (*s == ',')
            s++;
    }
}

static void parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->march = "ebpf";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (die_usage("%s needs an argument", a), (char *)0))
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0) {
            printf("femtoc %s (container format %u.%u)\n", FEMTOC_VERSION, FC_FCX_VERSION_MAJOR,
                   FC_FCX_VERSION_MINOR);
            exit(0);
        } else if (strncmp(a, "-march=", 7) == 0) {
            /* several -march options add up: -march=thumbv7m -march=rv32imac */
            if (o->march != (const char *)0 && strcmp(o->march, "ebpf") != 0 && strcmp(a + 7, "ebpf") != 0) {
                size_t used = strlen(o->march);
                if (o->march != o->march_buf) {
                    if (used >= sizeof o->march_buf)
                        die_usage("-march: target list too long");
                    memcpy(o->march_buf, o->march, used + 1);
                }
                if (used + 1 + strlen(a + 7) >= sizeof o->march_buf)
                    die_usage("-march: target list too long");
                o->march_buf[used] = ',';
                memcpy(o->march_buf + used + 1, a + 7, strlen(a + 7) + 1);
                o->march = o->march_buf;
            } else if (strcmp(o->march, "ebpf") == 0) {
                o->march = a + 7;
            }
        } else if (strcmp(a, "-g") == 0) {
            o->debug = 1;
        } else if (strcmp(a, "--budget") == 0 || strncmp(a, "--budget=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : NEXT();
            if (parse_u32(v, &o->budget) || o->budget == 0)
                die_usage("--budget: '%s' is not a count of at least 1", v);
        } else if (strcmp(a, "-o") == 0) {
            o->output = NEXT();
        } else if (strncmp(a, "-o", 2) == 0 && a[2]) {
            o->output = a + 2;
        } else if (strcmp(a, "--verify-only") == 0) {
            o->verify_only = 1;
        } else if (strcmp(a, "--sign") == 0 || strncmp(a, "--sign=", 7) == 0) {
            o->sign_key = a[6] == '=' ? a + 7 : NEXT();
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = 1;
        } else if (strcmp(a, "-S") == 0) {
            o->listing = 1;
        } else if (strncmp(a, "--dump=", 7) == 0) {
            for (const char *t = a + 7; *t;) {
                size_t n = strcspn(t, ",");
                if (n == 5 && strncmp(t, "lower", 5) == 0)
                    o->dump_lower = 1;
                else if (n == 5 && strncmp(t, "alloc", 5) == 0)
                    o->dump_alloc = 1;
                else if (n == 3 && strncmp(t, "opt", 3) == 0)
                    o->dump_opt = 1;
                else if (n == 7 && strncmp(t, "promote", 7) == 0)
                    o->dump_promote = 1;
                else
                    die_usage("--dump: unknown stage '%.*s' (available: lower, promote, opt, alloc)", (int)n, t);
                t += n;
                if (*t == ',')
                    t++;
            }
        } else if (strcmp(a, "--entry") == 0 || strncmp(a, "--entry=", 8) == 0 ||
                   strcmp(a, "-e") == 0 || (strncmp(a, "-e", 2) == 0 && a[2])) {
            const char *v = a[1] == 'e' ? (a[2] ? a + 2 : NEXT()) : a[7] == '=' ? a + 8 : NEXT();
            add_entries(o, v);
        } else if (strcmp(a, "--ctx-size") == 0 || strncmp(a, "--ctx-size=", 11) == 0) {
            const char *v = a[10] == '=' ? a + 11 : NEXT();
            if (parse_u32(v, &o->ctx_size))
                die_usage("--ctx-size: '%s' is not a size", v);
            if (o->ctx_size > FC_FCX_MAX_CTX)
                die_usage("--ctx-size: %u bytes; at most %u (64 KiB: docs/sandbox.md, section 11)",
                          o->ctx_size, FC_FCX_MAX_CTX);
            o->ctx_size_set = 1;
        } else if (strcmp(a, "--helpers") == 0 || strncmp(a, "--helpers=", 10) == 0) {
            parse_helpers(o, a[9] == '=' ? a + 10 : NEXT());
        } else if (strcmp(a, "--profile") == 0 || strncmp(a, "--profile=", 10) == 0) {
            parse_profile(o, a[9] == '=' ? a + 10 : NEXT());
        } else if (strcmp(a, "--masked-shifts") == 0) {
            o->vflags |= FC_VFY_F_MASKED_SHIFTS;
        } else if (strcmp(a, "--check-all") == 0) {
            o->check_all = 1;
        } else if (strcmp(a, "-fcodegen=ir") == 0) {
            /* the only code generator: nothing to choose */
        } else if (strcmp(a, "-fcodegen=template") == 0) {
            die_usage("-fcodegen=template: the template code generator was removed; the middle end "
                      "(-fcodegen=ir, the default) makes all native code");
        } else if (strcmp(a, "-Werror") == 0) {
            o->werror = 1;
        } else if (strcmp(a, "-w") == 0) {
            o->no_warn = 1;
        } else if (a[0] == '-' && a[1]) {
            die_usage("unknown option '%s'", a);
        } else {
            if (o->input)
                die_usage("more than one input file ('%s' and '%s')", o->input, a);
            o->input = a;
        }
#undef NEXT
    }
    if (!o->input)
        die_usage("no input file");
    o->info = o->output && strcmp(o->output, "-") == 0 ? stderr : stdout;
    parse_march(o);
}

/* ---- inputs -------------------------------------------------------------- */
static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int read_all(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap > (64u << 20)) {
            free(b);
            b = NULL;
            errno = EFBIG;
            break;
        }
        char *nb = realloc(b, cap * 2 + 1);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int bad = !b || ferror(f);
    fclose(f);
    if (bad) {
        free(b);
        return -1;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

/* --entry NAME=INDEX for inputs without symbols (assembly, bytecode). */
static int asm_entries(const options *o, fc_prog *p)
{
    if (!o->nentries)
        return 0;
    p->entries = calloc(o->nentries, sizeof *p->entries);
    p->entry_names = calloc(o->nentries, sizeof *p->entry_names);
    if (!p->entries || !p->entry_names) {
        fprintf(stderr, "%s: error: out of memory\n", o->input);
        return -1;
    }
    p->nentries = o->nentries;
    for (uint32_t k = 0; k < o->nentries; k++) {
        const char *eq = strchr(o->entries[k], '=');
        uint32_t at;
        if (!eq || eq == o->entries[k] || parse_u32(eq + 1, &at)) {
            fprintf(stderr, "%s: error: --entry %s: this input has no symbols: give NAME=INDEX "
                    "(the instruction the entry starts at)\n", o->input, o->entries[k]);
            return -1;
        }
        p->entries[k] = at;
        p->entry_names[k] = strndup(o->entries[k], (size_t)(eq - o->entries[k]));
        if (!p->entry_names[k]) {
            fprintf(stderr, "%s: error: out of memory\n", o->input);
            return -1;
        }
    }
    return 0;
}

/* Read any accepted input into p. Messages for non-ELF inputs go to stderr
 * directly (they have their own coordinates: assembler line numbers). */
static int load_input(const options *o, fc_prog *p, fc_diags *d)
{
    const char *in = o->input;
    memset(p, 0, sizeof *p);
    if (!(ends_with(in, ".s") || ends_with(in, ".asm") || ends_with(in, ".data") ||
          ends_with(in, ".bin")))
    {
        for (uint32_t k = 0; k < o->nentries; k++)
            if (strchr(o->entries[k], '=')) {
                fprintf(stderr, "%s: error: --entry %s: NAME=INDEX is for assembly and bytecode inputs; "
                        "an object's entries are named by function or section\n", in, o->entries[k]);
                return -1;
            }
        return fc_elf_read_file_entries(in, o->entries, o->nentries, p, d);
    }

    fc_insn *insns = NULL;
    size_t n = 0;
    if (ends_with(in, ".data")) {
        fc_testdata td;
        fc_asm_error e;
        if (fc_testdata_load(in, &td, &e)) {
            fprintf(stderr, "%s:%u: error: %s\n", in, (unsigned)e.line, e.msg);
            return -1;
        }
        int r = fc_testdata_program(&td, &insns, &n, &e);
        fc_testdata_free(&td);
        if (r) {
            fprintf(stderr, "%s:%u: error: %s\n", in, (unsigned)e.line, e.msg);
            return -1;
        }
    } else {
        char *text;
        size_t len;
        if (read_all(in, &text, &len)) {
            fprintf(stderr, "%s: error: cannot read: %s\n", in, strerror(errno));
            return -1;
        }
        if (ends_with(in, ".bin") && fc_elf_is_rbpf(text, len)) {
            /* a Femto-Containers image: read as an object is */
            int r = fc_elf_read_entries(text, len, in, o->entries, o->nentries, p, d);
            free(text);
            return r;
        }
        if (ends_with(in, ".bin")) {
            if (len % 8) {
                fprintf(stderr, "%s: error: raw bytecode size %zu is not a multiple of 8\n", in, len);
                free(text);
                return -1;
            }
            n = len / 8;
            insns = malloc((n ? n : 1) * sizeof *insns);
            for (size_t k = 0; insns && k < n; k++)
                insns[k] = fc_insn_decode((const uint8_t *)text + 8 * k);
        } else {
            fc_asm_error e;
            if (fc_asm(text, len, &insns, &n, &e)) {
                fprintf(stderr, "%s:%u:%u: error: %s\n", in, (unsigned)e.line, (unsigned)e.column, e.msg);
                free(text);
                return -1;
            }
        }
        free(text);
    }
    if (n > 0xffffffffu) {
        free(insns);
        fprintf(stderr, "%s: error: program too large\n", in);
        return -1;
    }
    p->insns = insns;
    p->ninsns = (uint32_t)n;
    p->object_name = strdup(in);
    return asm_entries(o, p);
}

/* ---- messages ------------------------------------------------------------ */
static const fc_line *line_of(const fc_prog *p, uint32_t insn)
{
    /* the last line record at or before insn (binary search) */
    if (!p->lines || !p->nlines || p->lines[0].insn > insn)
        return NULL;
    uint32_t lo = 0, hi = p->nlines - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (p->lines[mid].insn <= insn)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &p->lines[lo];
}

static const fc_func *func_of(const fc_prog *p, uint32_t insn)
{
    for (uint32_t k = 0; p->funcs && k < p->nfuncs; k++)
        if (insn >= p->funcs[k].start && insn < p->funcs[k].end)
            return &p->funcs[k];
    return NULL;
}

/* File names from BTF are absolute when clang was given a relative path:
 * show them relative to the current directory, as gcc would. */
static const char *short_path(const char *f)
{
    static char cwd[4096];
    if (!cwd[0] && !getcwd(cwd, sizeof cwd - 1))
        cwd[0] = '\0';
    size_t n = strlen(cwd);
    if (n && strncmp(f, cwd, n) == 0 && f[n] == '/')
        return f + n + 1;
    return f;
}

static void print_diag(const options *o, const fc_prog *p, const fc_diag *g)
{
    static const char *const sev[] = {"note", "warning", "error"};
    const char *s = sev[g->severity <= FC_SEV_ERROR ? g->severity : FC_SEV_ERROR];
    const char *obj = p->object_name ? p->object_name : o->input;

    if (g->severity == FC_SEV_WARNING && o->werror)
        s = "error";
    if (g->insn < 0 || !p->insns || (uint32_t)g->insn >= p->ninsns) {
        fprintf(stderr, "%s: %s: %s\n", obj, s, g->msg);
        return;
    }
    uint32_t i = (uint32_t)g->insn;
    char dis[128];
    fc_disasm_insn(p->insns, p->ninsns, i, dis, sizeof dis);
    const fc_func *f = func_of(p, i);
    const char *sect = f ? f->section : NULL;
    uint32_t si = f ? f->sect_insn + (i - f->start) : i;
    const fc_line *l = line_of(p, i);
    if (l && l->file < p->nfiles) {
        fprintf(stderr, "%s:%u: %s: %s (insn %u in '%s': %s)\n", short_path(p->files[l->file]),
                (unsigned)l->line, s, g->msg, (unsigned)si, sect && sect[0] ? sect : "?", dis);
    } else if (sect && sect[0]) {
        fprintf(stderr, "%s:%s+%u: %s: %s (%s)\n", obj, sect, (unsigned)si, s, g->msg, dis);
    } else {
        fprintf(stderr, "%s: insn %u: %s: %s (%s)\n", obj, (unsigned)i, s, g->msg, dis);
    }
}

static void print_diags(const options *o, const fc_prog *p, const fc_diags *d, uint32_t from)
{
    for (uint32_t k = from; k < d->n; k++)
        if (!(d->items[k].severity == FC_SEV_WARNING && o->no_warn))
            print_diag(o, p, &d->items[k]);
    if (d->nerrors + d->nwarnings > d->n)
        fprintf(stderr, "%s: note: %u more messages not shown\n", o->input,
                (unsigned)(d->nerrors + d->nwarnings - d->n));
}

/* ---- --dump=lower,alloc: the program in the middle end's IR ----------------- */
/* One stage of --dump: the IR (ra NULL) or its allocated form. */
static void dump_stage(FILE *out, const options *o, const fc_prog *p, const fc_ir *ir, const fc_ra *ra)
{
    char line[1200];
    fprintf(out, "; %s lowered: %u eBPF slots, %u IR instructions in %u blocks, %u functions\n",
            o->input, p->ninsns, ir->nins, ir->nblk, ir->nfn);
    fprintf(out, "; %u bounds checks; hi halves: %u not computed (known zero or dead), %u set to 0 "
            "where they stop being known zero\n", ir->checks, ir->hi_skipped, ir->hi_fixups);
    if (ir->guards)
        fprintf(out, "; %u range guards over %u of the checks (each guarded block also kept with every "
                "check)\n", ir->guards, ir->merged);
    if (ir->forwarded)
        fprintf(out, "; %u stack words in temporaries, %u of their loads made movs (the stores kept)\n",
                ir->promoted, ir->forwarded);
    if (ir->copies)
        fprintf(out, "; %u movs folded into their readers (copy propagation)\n", ir->copies);
    if (ra)
        fprintf(out, "; allocated for %s: %u webs, %u in registers, %u live across a call; %u spill "
                "slots, %u reloads, %u spill stores; %u of %u moves coalesced\n", ra->tgt->name,
                ra->webs, ra->webs_reg, ra->cross_call, ra->slots, ra->reloads, ra->spill_stores,
                ra->coalesced, ra->moves);
    for (uint32_t f = 0; f < ir->nfn; f++) {
        const char *name = "";
        for (uint32_t k = 0; k < p->nfuncs; k++)
            if (p->funcs[k].start == ir->fn[f].start)
                name = p->funcs[k].name;
        fprintf(out, "\nfunction f%u %s[%u, %u)\n", f, name, ir->fn[f].start, ir->fn[f].end);
        if (ra) {
            fprintf(out, "; %u spill slots; entry ", ra->nslots[f]);
            int first = 1;
            fprintf(out, "{");
            for (unsigned v = 1; v < FC_IR_NVREG; v++)
                if (ra->entry[f][v] != FC_RA_NONE) {
                    char ln[24];
                    fc_ra_loc_name(ra, ra->entry[f][v], ln, sizeof ln);
                    if (v >= FC_IR_T0)
                        fprintf(out, "%st%u=%s", first ? "" : " ", v - FC_IR_T0, ln);
                    else
                        fprintf(out, "%sr%u.%s=%s", first ? "" : " ", (v - 1) / 2, (v - 1) % 2 ? "hi" : "lo",
                                ln);
                    first = 0;
                }
            fprintf(out, "}\n");
        }
        for (uint32_t b = ir->fn[f].b0; b < ir->fn[f].b0 + ir->fn[f].nb; b++) {
            char lab[16];
            snprintf(lab, sizeof lab, "b%u:", b);
            fprintf(out, "%-44s ; @%u\n", lab, ir->blk[b].insn);
            for (uint32_t k = ir->blk[b].start; k < ir->blk[b].end; k++) {
                if (ra)
                    fc_ra_format(ir, ra, k, line, sizeof line);
                else
                    fc_ir_format(ir, k, line, sizeof line);
                fprintf(out, "%s\n", line);
            }
        }
    }
}

static int dump_lower(const options *o, const fc_prog *p, const fc_insn_info *info)
{
    size_t wl = fc_ir_workspace_size(p->ninsns);
    void *ws = malloc(wl);
    void *rw = NULL;
    fc_ir ir;
    fc_ra ra;
    int r = ws ? fc_ir_lower(p, info, o->check_all ? FC_IR_CHECK_ALL : 0, ws, wl, &ir) : FC_IR_EWORK;
    if (r != FC_IR_OK) {
        fprintf(stderr, "%s: error: --dump: the lowering failed (%s)\n", o->input,
                r == FC_IR_EWORK ? "out of memory" : "internal error");
        free(ws);
        return 1;
    }
    FILE *out = o->output && strcmp(o->output, "-") != 0 ? fopen(o->output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "%s: error: cannot write %s: %s\n", o->input, o->output, strerror(errno));
        free(ws);
        return 1;
    }
    int sep = 0;
    if (o->dump_lower) {
        dump_stage(out, o, p, &ir, NULL);
        sep = 1;
    }
    if (o->dump_promote) {
        /* as the selectors: the register pressure of the allocation table of --dump=alloc */
        fc_ir_promote(&ir, FC_IR_PROMOTE_MAX, o->march && strstr(o->march, "rv32") ? fc_ra_navail(&fc_ra_target_rv32) : fc_ra_navail(&fc_ra_target_cm3) - 1u);
        fc_ir_copyprop(&ir);
        if (sep)
            fprintf(out, "\n");
        dump_stage(out, o, p, &ir, NULL);
        sep = 1;
    }
    if (o->dump_opt) {
        fc_ir_opt(&ir);
        if (sep)
            fprintf(out, "\n");
        dump_stage(out, o, p, &ir, NULL);
        sep = 1;
    }
    if (o->dump_alloc) {
        const fc_ra_target *t = o->march && strstr(o->march, "rv32") ? &fc_ra_target_rv32 : &fc_ra_target_cm3;
        size_t rl = fc_ra_workspace_size(p->ninsns);
        rw = malloc(rl);
        r = rw ? fc_ra_run(&ir, t, rw, rl, &ra) : FC_RA_EWORK;
        if (r != FC_RA_OK) {
            fprintf(stderr, "%s: error: --dump=alloc: the register allocation failed (%s)\n", o->input,
                    r == FC_RA_EWORK ? "out of memory" : "internal error");
            free(rw);
            free(ws);
            if (out != stdout)
                fclose(out);
            return 1;
        }
        if (sep)
            fprintf(out, "\n");
        dump_stage(out, o, p, &ir, &ra);
    }
    free(rw);
    free(ws);
    if (out != stdout && fclose(out)) {
        fprintf(stderr, "%s: error: cannot write %s\n", o->input, o->output);
        return 1;
    }
    return 0;
}

/* ---- listing (-S) -------------------------------------------------------- */
static const char *region_str(uint8_t r)
{
    switch (r) {
    case FC_REGION_STACK: return "stack";
    case FC_REGION_CTX: return "ctx";
    case FC_REGION_RODATA: return "rodata";
    case FC_REGION_DATA: return "data";
    case FC_REGION_BSS: return "bss";
    }
    return "any";
}

/* One listing line for eBPF instruction i: index, text, then a note of the
 * jump target, the access fact, reachability, the source line and, when
 * verification failed, the messages at that instruction. Returns its slots. */
static unsigned listing_insn(FILE *out, const fc_prog *p, const fc_insn_info *info,
                             const fc_diags *d, uint32_t i, const char *indent)
{
    for (uint32_t k = 0; p->funcs && k < p->nfuncs; k++)
        if (p->funcs[k].start == i)
            fprintf(out, "%s%s; function '%s' (%s+%u)\n", i ? "\n" : "", indent, p->funcs[k].name,
                    p->funcs[k].section, (unsigned)p->funcs[k].sect_insn);
    char dis[128], note[400];
    size_t nn = 0;
    unsigned slots = fc_disasm_insn(p->insns, p->ninsns, i, dis, sizeof dis);
    note[0] = '\0';
    const fc_insn *x = &p->insns[i];
    unsigned cls = FC_CLASS(x->op);
#define NOTE(...) (nn < sizeof note ? (nn += (size_t)snprintf(note + nn, sizeof note - nn, __VA_ARGS__)) : 0)
    if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && FC_OPCODE_OP(x->op) != FC_JMP_EXIT &&
        !(FC_OPCODE_OP(x->op) == FC_JMP_CALL && fc_src(*x) != FC_CALL_LOCAL)) {
        long long t = (long long)i + 1 +
                      ((cls == FC_CLS_JMP32 && FC_OPCODE_OP(x->op) == FC_JMP_JA) ||
                               FC_OPCODE_OP(x->op) == FC_JMP_CALL ? x->imm : x->off);
        NOTE("-> %lld ", t);
    }
    if (info && info[i].access)
        NOTE("[%s %s] ", info[i].access == FC_ACC_PROVEN ? "proven" : "check",
             region_str(info[i].region_hint));
    if (info && !info[i].reachable && !d)
        NOTE("[unreachable] ");
    const fc_line *l = line_of(p, i);
    if (l && l->file < p->nfiles)
        NOTE("%s:%u ", short_path(p->files[l->file]), (unsigned)l->line);
    for (uint32_t k = 0; d && k < d->n; k++)
        if (d->items[k].insn == (int32_t)i && d->items[k].severity >= FC_SEV_WARNING)
            NOTE("<-- %s: %s ", d->items[k].severity == FC_SEV_ERROR ? "error" : "warning", d->items[k].msg);
#undef NOTE
    if (nn >= sizeof note)
        nn = sizeof note - 1;
    while (nn && note[nn - 1] == ' ')
        note[--nn] = '\0';
    if (note[0])
        fprintf(out, "%s%6u: %-40s # %s\n", indent, (unsigned)i, dis, note);
    else
        fprintf(out, "%s%6u: %s\n", indent, (unsigned)i, dis);
    return slots ? slots : 1;
}

/* d: the diagnostics of a failed verification (their instructions are
 * marked), NULL after a successful one. */
static void write_listing(FILE *out, const fc_prog *p, const fc_insn_info *info, const fc_diags *d)
{
    for (uint32_t i = 0; i < p->ninsns;)
        i += listing_insn(out, p, info, d, i, "");
}

/* -S for a native target: each eBPF instruction as in the bytecode listing
 * (index, source line, access fact), then the native code its pc map
 * records give it, disassembled by the backend. */
static void write_native_listing(FILE *out, const fc_prog *p, const fc_insn_info *info,
                                 const fc_backend *b, const fc_cc_native *n)
{
    const fc_bk_out *o = &n->out;
    char text[160];
    for (uint32_t k = 0; k < o->npcmap; k++) {
        uint32_t from = n->bk_pcmap[k].native_off;
        uint32_t to = k + 1 < o->npcmap ? n->bk_pcmap[k + 1].native_off : o->code_len;
        uint32_t insn = n->bk_pcmap[k].insn;
        if (insn == FC_BK_NO_INSN)
            fprintf(out, "     -: (prologue / shared code)\n");
        else if (insn < p->ninsns)
            listing_insn(out, p, info, NULL, insn, "");
        else
            fprintf(out, "%6u: (end of program: running off the end)\n", (unsigned)insn);
        for (uint32_t off = from; off < to && off < o->code_len;) {
            unsigned len = b->disasm ? b->disasm(o->code, o->code_len, off, off, text, sizeof text) : 0;
            if (len == 0 || off + len > to) {
                len = off + 2 <= to ? 2 : 1;
                snprintf(text, sizeof text, "%s", len == 2 ? ".hword" : ".byte");
            }
            fprintf(out, "          %06x:", (unsigned)off);
            for (unsigned j = 0; j < 4; j += 2)
                if (j + 1 < len)
                    fprintf(out, " %04x", (unsigned)(o->code[off + j] | o->code[off + j + 1] << 8));
                else if (j < len)
                    fprintf(out, " %02x  ", (unsigned)o->code[off + j]);
                else
                    fprintf(out, "     ");
            fprintf(out, "  %s\n", text);
            off += len;
        }
    }
}

static char *default_output(const char *in)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *out = malloc(n + 5);
    if (out) {
        memcpy(out, base, n);
        memcpy(out + n, ".fcx", 5);
    }
    return out;
}

static uint64_t cost_helper(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm, (void)a, (void)b, (void)c, (void)d, (void)e;
    return 0;
}

/* --stats, what the container costs on a device: for each engine the
 * loader's own numbers (fc_check on a platform of that core that has every
 * helper the container imports): slot bytes in flash, instance RAM, the run
 * stack (frames of FC_STACK_SIZE bytes), and per native call the env on the
 * machine stack. */
static void print_cost(const options *o, const uint8_t *img, size_t len, const fc_vfy_stats *st,
                       const fc_cc_native *nat)
{
    fc_helper hs[MAX_HELPERS];
    uint32_t nh = 0;
    fc_fcx_header h;
    fc_fcx_section s;
    if (!fc_fcx_read_header(img, (uint32_t)len, &h))
        return;
    for (uint32_t i = 0; i < h.nsect; i++)
        if (fc_fcx_read_section(img, (uint32_t)len, h.sect_off + i * FC_FCX_SECT_SIZE, &s) &&
            s.type == FC_FCX_SECT_HELPERS)
            for (uint32_t k = 0; k + 4 <= s.size && nh < MAX_HELPERS; k += 4)
                hs[nh++] = (fc_helper){fc_le32(img + s.offset + k), cost_helper, "helper"};
    fprintf(o->info, "%s: container %zu bytes; budget %u per run%s\n", o->input, len,
           o->budget ? o->budget : FC_DEFAULT_BUDGET, o->budget ? "" : " (runtime default)");
    for (int k = -1; k < (int)o->nbackends; k++) {
        fc_platform plat;
        memset(&plat, 0, sizeof plat);
        plat.target = k < 0 ? FC_TARGET_EBPF : o->backends[k]->target;
        plat.isa = 0xffffffffu;
        plat.policy = FC_POLICY_ACCEPT_UNSIGNED;   /* measuring what the code costs */
        plat.helpers = hs;
        plat.nhelpers = nh;
        for (unsigned y = 0; y < FC_SYM__COUNT; y++)
            plat.sym[y] = 0x1001u;
        fc_install_cfg cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.plat = &plat;
        cfg.flags = k < 0 ? FC_INSTALL_BYTECODE_ONLY : 0;
        fc_install_info ii;
        fc_lresult lr;
        if (fc_check(img, (uint32_t)len, &cfg, &ii, &lr) != FC_OK) {
            char m[200];
            fc_lresult_format(&lr, m, sizeof m);
            fprintf(o->info, "%s: %s: the loader would refuse it: %s\n", o->input,
                   k < 0 ? "interpreter" : o->backends[k]->name, m);
            continue;
        }
        uint32_t per_call = ii.stack_bytes;
        if (k < 0)
            fprintf(o->info, "%s: interpreter (bytecode only): %u bytes of bytecode, flash slot %u bytes, "
                   "RAM %u bytes per instance (.data/.bss%s) + %u bytes per call (%u stack frame%s "
                   "of %u bytes; stack use of the deepest frame %u bytes)\n",
                   o->input, ii.ninsns * 8u, ii.slot_bytes, ii.ram_bytes,
                   "", per_call, (unsigned)(ii.stack_bytes / FC_STACK_SIZE),
                   ii.stack_bytes / FC_STACK_SIZE == 1 ? "" : "s", FC_STACK_SIZE,
                   (unsigned)st->stack_bytes);
        else
            fprintf(o->info, "%s: %s: %u bytes of code, flash slot %u bytes, RAM %u bytes per instance "
                   "(.data/.bss, then fc_run's run template with the %u-byte native env) + %u bytes per "
                   "call (%u stack frame%s of %u bytes)\n",
                   o->input, o->backends[k]->name, (unsigned)nat[k].out.code_len, ii.slot_bytes, ii.ram_bytes,
                   FC_NENV_SIZE, per_call, (unsigned)(ii.stack_bytes / FC_STACK_SIZE),
                   ii.stack_bytes / FC_STACK_SIZE == 1 ? "" : "s", FC_STACK_SIZE);
    }
}

/* ---- warnings a C developer expects ------------------------------------------ */
/* From the analysis' final state before each instruction (fc_vfy_opts
 * observe_state: sound facts, so a warning here names what happens on every
 * run that reaches the instruction):
 *  - an access through a constant address (a device register, a fixed
 *    address): no region is there, it fails at run time;
 *  - with --ctx-size N, an access that lies past the N bytes on every path,
 *    unless the program tests the context length (r2) against a bound that
 *    covers the access on every path to it (guard_pass below);
 *  - a pointer returned in r0 by the entry function, or stored as a value
 *    into the key-value store: an address leaks to the host or later runs. */
typedef struct warn_ctx {
    const fc_prog *p;
    uint32_t ctx_size;
    fc_diags *d;
    /* per instruction: a context access past ctx_size (its offset range
     * [past_lo, past_hi], last byte included), and the constant operands of
     * a conditional jump (bit 0 dst, bit 1 src known; their values) */
    uint8_t *past;
    int64_t *past_lo, *past_hi;
    uint8_t *kmask;
    uint64_t (*kval)[2];
} warn_ctx;

static const char *av_kind_str(unsigned k)
{
    switch (k) {
    case FC_AV_STACK: case FC_AV_STACK_UP: return "a stack";
    case FC_AV_CTX: return "the context";
    case FC_AV_RODATA: return "a .rodata";
    case FC_AV_DATA: return "a .data";
    case FC_AV_BSS: return "a .bss";
    }
    return "a";
}

/* Is instruction i in an entry function? Functions start at 0, at every
 * entry, at every local call target and at the reader's function starts
 * (the verifier's model); i belongs to the nearest start at or before it. */
static int in_entry_func(const fc_prog *p, uint32_t i)
{
    uint32_t best = 0;
    for (uint32_t k = 0; p->funcs && k < p->nfuncs; k++)
        if (p->funcs[k].start <= i && p->funcs[k].start > best)
            best = p->funcs[k].start;
    for (uint32_t k = 0; p->entries && k < p->nentries; k++)
        if (p->entries[k] <= i && p->entries[k] > best)
            best = p->entries[k];
    for (uint32_t k = 0; k < p->ninsns; k++)
        if (p->insns[k].op == (FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL) && fc_src(p->insns[k]) == FC_CALL_LOCAL) {
            int64_t t = (int64_t)k + 1 + p->insns[k].imm;
            if (t >= 0 && t <= (int64_t)i && (uint32_t)t > best)
                best = (uint32_t)t;
        }
    if (!p->entries || !p->nentries)
        return best == 0;
    for (uint32_t k = 0; k < p->nentries; k++)
        if (p->entries[k] == best)
            return 1;
    return 0;
}

static void warn_state(void *ctxp, uint32_t i, const fc_av *regs, const fc_av *slots,
                       const fc_vfy_rel *rel)
{
    warn_ctx *w = ctxp;
    const fc_prog *p = w->p;
    (void)slots, (void)rel;
    if (i >= p->ninsns)
        return;
    fc_insn x = p->insns[i];
    unsigned cls = FC_CLASS(x.op), mode = x.op & 0xe0u;
    int mem = (cls == FC_CLS_LDX && (mode == FC_MODE_MEM || mode == FC_MODE_MEMSX)) ||
              ((cls == FC_CLS_ST || cls == FC_CLS_STX) && (mode == FC_MODE_MEM || mode == FC_MODE_ATOMIC));
    if (mem) {
        unsigned base = cls == FC_CLS_LDX ? fc_src(x) : fc_dst(x);
        static const unsigned sz[4] = {4, 2, 1, 8};
        unsigned n = sz[FC_SIZE(x.op) >> 3];
        const fc_av *b = &regs[base];
        const char *what = cls == FC_CLS_LDX ? "load from" : "store to";
        if (fc_av_is_const(b) && b->kind == FC_AV_SCALAR)
            fc_diag_add(w->d, FC_SEV_WARNING, (int32_t)i,
                        "%s the constant address 0x%llx: a program reaches only its context, stack and "
                        "data (no device registers, no fixed addresses); this fails with a memory error",
                        what, (unsigned long long)(b->umin + (uint64_t)(int64_t)x.off));
        else if (b->kind == FC_AV_CTX && w->ctx_size && b->smin > -FC_AV_INF &&
                 b->smin + x.off + (int64_t)n > (int64_t)w->ctx_size && w->past) {
            /* decided after the analysis: a length test may guard it */
            w->past[i] = (uint8_t)((cls == FC_CLS_LDX ? 1u : 2u) | n << 2);
            w->past_lo[i] = b->smin + x.off;
            w->past_hi[i] = b->smax >= FC_AV_INF ? FC_AV_INF : b->smax + x.off + (int64_t)n - 1;
        }
        return;
    }
    if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && w->kmask) {
        const fc_av *dv = &regs[fc_dst(x)], *sv = &regs[fc_src(x)];
        w->kmask[i] = (uint8_t)((fc_av_is_const(dv) && dv->kind == FC_AV_SCALAR ? 1 : 0) |
                                ((x.op & FC_SRC_X) && fc_av_is_const(sv) && sv->kind == FC_AV_SCALAR ? 2 : 0));
        w->kval[i][0] = dv->umin;
        w->kval[i][1] = sv->umin;
    }
    if (x.op == (FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL) && fc_src(x) == FC_CALL_HELPER &&
        (x.imm == 0x10 || x.imm == 0x11) && fc_av_is_ptr(&regs[2]))
        fc_diag_add(w->d, FC_SEV_WARNING, (int32_t)i,
                    "%s pointer stored as a value into the key-value store (helper 0x%x): an address "
                    "leaks to later runs (store the data, not its address)",
                    av_kind_str(regs[2].kind), (unsigned)x.imm);
    if (x.op == (FC_CLS_JMP | FC_JMP_EXIT) && fc_av_is_ptr(&regs[0])) {
        /* only an entry function's exit ends the run */
        if (in_entry_func(p, i))
            fc_diag_add(w->d, FC_SEV_WARNING, (int32_t)i,
                        "returns %s pointer in r0: the host sees an address of the sandbox "
                        "(return a value or an offset)", av_kind_str(regs[0].kind));
    }
}

/*
 * The length guards: a must-analysis over the bytecode of which registers
 * hold the context length (r2 at every entry, and its copies) and the least
 * length proven on every path (raised on the edges of a compare of such a
 * register with a constant: `if (len < 24) return 0;`). A context access
 * past --ctx-size is not warned about when that least length covers its
 * last byte: the program checked the length itself (the access still keeps
 * its run-time check: the verifier does not relate r2 to the context).
 * Calls pass r1..r5 on to the callee (state joined over its call sites) and
 * keep r6..r9; helpers change only r0. Stack spills are not followed (a
 * length kept only on the stack loses its guard: the warning stays).
 */
typedef struct gstate { uint16_t len; uint8_t seen; uint64_t lo; } gstate;

static int gmeet(gstate *t, const gstate *s)
{
    if (!t->seen) {
        *t = *s;
        return 1;
    }
    gstate o = *t;
    t->len &= s->len;
    if (s->lo < t->lo)
        t->lo = s->lo;
    return o.len != t->len || o.lo != t->lo;
}

/* The least length on the taken (taken = 1) or fall-through edge of `len
 * OP c` (swap: `c OP len`), or 0 when the edge proves none. */
static uint64_t guard_edge(unsigned op, int swap, uint64_t c, int taken, int is32)
{
    static const unsigned mirror[16] = {
        [FC_JMP_JGT >> 4] = FC_JMP_JLT, [FC_JMP_JGE >> 4] = FC_JMP_JLE, [FC_JMP_JLT >> 4] = FC_JMP_JGT,
        [FC_JMP_JLE >> 4] = FC_JMP_JGE, [FC_JMP_JSGT >> 4] = FC_JMP_JSLT, [FC_JMP_JSGE >> 4] = FC_JMP_JSLE,
        [FC_JMP_JSLT >> 4] = FC_JMP_JSGT, [FC_JMP_JSLE >> 4] = FC_JMP_JSGE,
        [FC_JMP_JEQ >> 4] = FC_JMP_JEQ, [FC_JMP_JNE >> 4] = FC_JMP_JNE,
    };
    if (swap)
        op = mirror[(op >> 4) & 15];
    int sgn = op == FC_JMP_JSGT || op == FC_JMP_JSGE || op == FC_JMP_JSLT || op == FC_JMP_JSLE;
    if (is32)
        c &= 0xffffffffu;   /* the length is below 2^32: its low half is itself */
    if (sgn && (is32 || (int64_t)c < 0))
        return 0;           /* a 32-bit signed view of the length, or c < 0: nothing safe */
    if (c == UINT64_MAX)
        return 0;
    switch (op) {
    case FC_JMP_JGT: case FC_JMP_JSGT: return taken ? c + 1 : 0;
    case FC_JMP_JGE: case FC_JMP_JSGE: return taken ? c : 0;
    case FC_JMP_JLT: case FC_JMP_JSLT: return taken ? 0 : c;
    case FC_JMP_JLE: case FC_JMP_JSLE: return taken ? 0 : c + 1;
    case FC_JMP_JEQ: return taken ? c : 0;
    case FC_JMP_JNE: return taken ? 0 : c;
    }
    return 0;
}

static void guard_pass(const fc_prog *p, const warn_ctx *w, gstate *g)
{
    uint32_t n = p->ninsns, ne = p->entries && p->nentries ? p->nentries : 1;
    memset(g, 0, n * sizeof *g);
    for (uint32_t k = 0; k < ne; k++) {
        uint32_t at = p->entries && p->nentries ? p->entries[k] : 0;
        gstate e = {1u << 2, 1, 0};
        if (at < n)
            gmeet(&g[at], &e);
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (!g[i].seen)
                continue;
            fc_insn x = p->insns[i];
            unsigned cls = FC_CLASS(x.op), op = FC_OPCODE_OP(x.op), d = fc_dst(x), sr = fc_src(x);
            uint32_t next = i + fc_insn_slots(x);
            gstate s = g[i];
            if (cls == FC_CLS_JMP || cls == FC_CLS_JMP32) {
                if (op == FC_JMP_EXIT)
                    continue;
                if (op == FC_JMP_CALL) {
                    if (sr == FC_CALL_LOCAL && !(x.op & FC_SRC_X)) {
                        int64_t t = (int64_t)i + 1 + x.imm;
                        gstate c = s;
                        c.len &= 0x3eu;
                        if (t >= 0 && t < n)
                            changed |= gmeet(&g[t], &c);
                        s.len &= 0x3c0u;
                    } else {
                        s.len &= (uint16_t)~1u;
                    }
                    if (next < n)
                        changed |= gmeet(&g[next], &s);
                    continue;
                }
                int64_t t = (int64_t)i + 1 + (cls == FC_CLS_JMP32 && op == FC_JMP_JA ? x.imm : x.off);
                gstate tk = s, ft = s;
                if (op != FC_JMP_JA && op != FC_JMP_JSET) {
                    int dl = (s.len >> d) & 1, sl = (x.op & FC_SRC_X) && ((s.len >> sr) & 1);
                    int have = 0, swap = 0;
                    uint64_t c = 0;
                    if (dl && !(x.op & FC_SRC_X)) {
                        have = 1;
                        c = (uint64_t)(int64_t)x.imm;
                    } else if (dl && (w->kmask[i] & 2)) {
                        have = 1;
                        c = w->kval[i][1];
                    } else if (sl && (w->kmask[i] & 1)) {
                        have = 1;
                        swap = 1;
                        c = w->kval[i][0];
                    }
                    if (have) {
                        uint64_t a = guard_edge(op, swap, c, 1, cls == FC_CLS_JMP32);
                        uint64_t b = guard_edge(op, swap, c, 0, cls == FC_CLS_JMP32);
                        if (a > tk.lo) tk.lo = a;
                        if (b > ft.lo) ft.lo = b;
                    }
                }
                if (t >= 0 && t < n)
                    changed |= gmeet(&g[t], &tk);
                if (op != FC_JMP_JA && next < n)
                    changed |= gmeet(&g[next], &ft);
                continue;
            }
            if ((cls == FC_CLS_ALU64 || cls == FC_CLS_ALU) && op == FC_ALU_MOV && (x.op & FC_SRC_X) &&
                x.off == 0) {
                /* a copy (mov32 too: the length is below 2^32) */
                s.len = (uint16_t)((s.len & ~(1u << d)) | (((s.len >> sr) & 1u) << d));
            } else if (cls == FC_CLS_ALU64 || cls == FC_CLS_ALU || cls == FC_CLS_LDX || cls == FC_CLS_LD) {
                s.len &= (uint16_t)~(1u << d);
            } else if (cls == FC_CLS_STX && (x.op & 0xe0u) == FC_MODE_ATOMIC) {
                s.len &= (uint16_t)~((1u << sr) | 1u);
            }
            if (next < n)
                changed |= gmeet(&g[next], &s);
        }
    }
}

static void warn_free(warn_ctx *w)
{
    free(w->past);
    free(w->past_lo);
    free(w->past_hi);
    free(w->kmask);
    free(w->kval);
    w->past = w->kmask = NULL;
    w->past_lo = w->past_hi = NULL;
    w->kval = NULL;
}

/* The warnings the guard pass leaves standing. */
static void warn_past(const fc_prog *p, warn_ctx *w)
{
    gstate *g = calloc(p->ninsns ? p->ninsns : 1, sizeof *g);
    if (!g)
        return;
    guard_pass(p, w, g);
    for (uint32_t i = 0; i < p->ninsns; i++) {
        if (!w->past[i])
            continue;
        if (g[i].seen && w->past_hi[i] < FC_AV_INF && g[i].lo > (uint64_t)w->past_hi[i])
            continue;   /* the program tested the length on every path here */
        fc_diag_add(w->d, FC_SEV_WARNING, (int32_t)i,
                    "%s context offset %lld..%lld (%u bytes): past the %u bytes --ctx-size promises on "
                    "every path, so it keeps a run-time check and faults unless the context is longer",
                    (w->past[i] & 3) == 1 ? "load from" : "store to", (long long)w->past_lo[i],
                    (long long)w->past_hi[i], (unsigned)(w->past[i] >> 2), (unsigned)w->ctx_size);
    }
    free(g);
}

/* ---- the pipeline ---------------------------------------------------------- */
static int compile(const options *o)
{
    fc_prog prog;
    fc_diag items[MAX_DIAGS];
    fc_diags d = {items, MAX_DIAGS, 0, 0, 0};
    fc_cc_result cr;
    memset(&cr, 0, sizeof cr);
    fc_insn_info *info = NULL;
    const fc_cc_native *nat = cr.nat;
    const char **short_files = NULL;
    int rc = 1;

    /* the key first: a bad key should not cost a compilation */
    fc_sign_key *key = NULL;
    if (o->sign_key) {
        char kerr[300];
        key = fc_sign_load_key(o->sign_key, kerr, sizeof kerr);
        if (!key) {
            fprintf(stderr, "%s: error: --sign: %s\n", prog_name, kerr);
            return 1;
        }
    }

    /* 1. read the object (or assembly) into one flat program */
    if (load_input(o, &prog, &d)) {
        print_diags(o, &prog, &d, 0);
        goto out;
    }

    /* 2. verify and analyse (the compile path every tool shares: fc_compile.h) */
    fc_cc_opts co;
    memset(&co, 0, sizeof co);
    co.ctx_size = o->ctx_size;
    co.vflags = o->vflags;
    warn_ctx wc = {&prog, o->ctx_size, &d, NULL, NULL, NULL, NULL, NULL};
    uint32_t nw = prog.ninsns ? prog.ninsns : 1;
    wc.past = calloc(nw, 1);
    wc.past_lo = calloc(nw, sizeof *wc.past_lo);
    wc.past_hi = calloc(nw, sizeof *wc.past_hi);
    wc.kmask = calloc(nw, 1);
    wc.kval = calloc(nw, sizeof *wc.kval);
    if (!wc.past || !wc.past_lo || !wc.past_hi || !wc.kmask || !wc.kval) {
        fprintf(stderr, "%s: error: out of memory\n", o->input);
        warn_free(&wc);
        goto out;
    }
    if (!o->no_warn) {
        co.observe_state = warn_state;
        co.observe_ctx = &wc;
    }
    if (o->have_allowlist) {
        co.helpers = o->helpers;
        co.nhelpers = o->nhelpers;
    }
    co.backends = o->backends;
    co.nbackends = o->nbackends;
    co.bk_flags = o->check_all ? FC_BK_CHECK_ALL : 0u;
    co.budget = o->budget;
    int vr = fc_cc_verify(&prog, &co, &cr, &d);
    info = cr.info;
    if (!o->no_warn && vr == FC_CC_OK)
        warn_past(&prog, &wc);
    warn_free(&wc);
    const fc_vfy_stats st = cr.st;
    if (vr == FC_CC_ENOMEM) {
        fprintf(stderr, "%s: error: out of memory\n", o->input);
        goto out;
    }
    print_diags(o, &prog, &d, 0);
    if (vr || (o->werror && d.nwarnings)) {
        if (o->listing) {
            /* the listing is most needed here: the bytecode as read, the
             * failing instructions marked (facts as far as the analysis got) */
            FILE *out = o->output && strcmp(o->output, "-") != 0 ? fopen(o->output, "w") : stdout;
            if (out) {
                fprintf(out, "; %s: verification failed: the bytecode as read, messages marked <--\n",
                        o->input);
                write_listing(out, &prog, info, &d);
                if (out != stdout)
                    fclose(out);
            }
        }
        goto out;
    }
    if (o->debug && !prog.nlines)
        fprintf(stderr, "%s: warning: -g: the input has no line info (compile it with clang -g); "
                "no line table written\n", o->input);
    if (o->stats)
        fprintf(o->info, "%s: %u loads (%u proven, %u checked), %u stores (%u proven, %u checked), "
               "call depth %u, stack %u bytes used of the %u-byte frame (run stack %u bytes per call)\n",
               o->input, (unsigned)(st.loads_proven + st.loads_checked), (unsigned)st.loads_proven,
               (unsigned)st.loads_checked, (unsigned)(st.stores_proven + st.stores_checked),
               (unsigned)st.stores_proven, (unsigned)st.stores_checked,
               (unsigned)st.max_call_depth, (unsigned)st.stack_bytes, FC_STACK_SIZE,
               (unsigned)(st.max_call_depth ? st.max_call_depth : 1) * FC_STACK_SIZE);
    if (o->dump_lower || o->dump_alloc || o->dump_opt || o->dump_promote) {
        rc = dump_lower(o, &prog, info);
        goto out;
    }
    /* 3. backends: native code for each -march target, beside the bytecode */
    uint32_t before = d.n;
    int br = fc_cc_native_code(&prog, &co, &cr, &d);
    if (br != FC_CC_OK) {
        print_diags(o, &prog, &d, before);
        if (br == FC_CC_EBACKEND)
            fprintf(stderr, "%s: error: the %s backend could not compile the program (status %d)\n",
                    o->input, o->backends[cr.failed]->name, cr.bk_status);
        else
            fprintf(stderr, "%s: error: out of memory\n", o->input);
        goto out;
    }
    for (uint32_t k = 0; o->stats && k < o->nbackends; k++)
        fprintf(o->info, "%s: %s: %u bytes of code, %u accesses checked at run time, %u unchecked, "
               "%u relocations\n",
               o->input, o->backends[k]->name, (unsigned)nat[k].out.code_len, (unsigned)nat[k].out.checks,
               (unsigned)nat[k].out.unchecked, (unsigned)nat[k].out.nrelocs);
    if (o->listing) {
        FILE *out = o->output && strcmp(o->output, "-") != 0 ? fopen(o->output, "w") : stdout;
        if (!out) {
            fprintf(stderr, "%s: error: cannot write %s: %s\n", o->input, o->output, strerror(errno));
            goto out;
        }
        if (o->nbackends == 0)
            write_listing(out, &prog, info, NULL);
        for (uint32_t k = 0; k < o->nbackends; k++) {
            fprintf(out, "%s; %s code: %u bytes\n", k ? "\n" : "", o->backends[k]->name,
                    (unsigned)nat[k].out.code_len);
            write_native_listing(out, &prog, info, o->backends[k], &nat[k]);
        }
        if (out != stdout && fclose(out)) {
            fprintf(stderr, "%s: error: cannot write %s\n", o->input, o->output);
            goto out;
        }
        rc = 0;
        goto out;
    }
    if (o->verify_only) {
        rc = 0;
        goto out;
    }


    /* 4. the container; -g: the line table, its file names as messages show them */
    if (o->debug && prog.nlines && prog.nfiles) {
        short_files = calloc(prog.nfiles, sizeof *short_files);
        if (!short_files) {
            fprintf(stderr, "%s: error: out of memory\n", o->input);
            goto out;
        }
        for (uint32_t k = 0; k < prog.nfiles; k++)
            short_files[k] = short_path(prog.files[k]);
        co.lines = 1;
        co.files = short_files;
    }
    before = d.n;
    int wr = fc_cc_container(&prog, &co, &cr, &d);
    uint8_t *img = cr.img;
    size_t len = cr.len;
    cr.img = NULL; /* ours now */
    if (wr != FC_CC_OK) {
        print_diags(o, &prog, &d, before);
        fprintf(stderr, "%s: error: cannot write the container\n", o->input);
        free(img);
        goto out;
    }
    if (o->stats)
        print_cost(o, img, len, &st, nat);
    if (key) {
        uint8_t *signed_img = NULL;
        size_t slen = 0;
        char serr[300];
        if (fc_fcx_sign(img, len, key, &signed_img, &slen, serr, sizeof serr)) {
            fprintf(stderr, "%s: error: --sign: %s\n", o->input, serr);
            free(img);
            goto out;
        }
        free(img);
        img = signed_img;
        len = slen;
    }
    char *path = o->output ? strdup(o->output) : default_output(o->input);
    int to_stdout = path && strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : path ? fopen(path, "wb") : NULL;
    int werr = !f;
    if (f) {
        werr = fwrite(img, 1, len, f) != len;
        werr |= (to_stdout ? fflush(f) : fclose(f)) != 0;
    }
    if (werr) {
        fprintf(stderr, "%s: error: cannot write %s: %s\n", o->input, path ? path : "output",
                strerror(errno));
        free(path);
        free(img);
        goto out;
    }
    free(path);
    free(img);
    rc = 0;
out:
    fc_cc_free(&cr);
    free(short_files);
    fc_elf_free(&prog);
    fc_sign_free(key);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    parse_args(argc, argv, &o);
    return compile(&o);
}
