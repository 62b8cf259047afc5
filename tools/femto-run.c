/*
 * femto-run - run a container on the host through the real device loader.
 *
 *   femto-run app.fcx [--ctx FILE | --ctx-hex HEX | --ctx-str TEXT] [--ctx-ro] [--stats]
 *                     [--trust PUB.pem]... [--require-signature]
 *                     [--engine auto|interp|native] [--core thumbv7m|rv32imac|lx106|esp32]
 *                     [--budget N] [--entry NAME]
 *                     [--saul SPEC] [--coap-req FILE | --coap-req-hex HEX]
 *                     [--coap-buf N] [--region ADDR:FILE[:r|rw]]... [-v]
 *
 * A container is installed by fc_install into a simulated flash slot
 * (fc_flash_sim) at the emulated core's flash address, then fc_run enters it:
 * native code through a platform hook that executes the installed slot in
 * Unicorn (Thumb-2 on a Cortex-M3 model, RV32IMAC on the SiFive E31 model)
 * or in qemu-xtensa (lx106; esp32 code on dc233c, sim/fc_xt.h),
 * bytecode in the interpreter. The device is sim/fr_device.c, shared
 * with the differential drivers (tests/diff/).
 *
 * An eBPF object (app.o), assembly (.s/.asm), a conformance test (.data) or
 * raw bytecode (.bin) is read, verified and run in the interpreter, without a
 * container.
 *
 * Standard output: what the printf helper printed, then r0 (`0x...`) on the
 * last line. A failure prints a gcc-style message with the eBPF instruction
 * and its disassembly on standard error; exit status 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicorn/unicorn.h>

#include "fc_asm.h"
#include "fc_container.h"
#include "fc_disasm.h"
#include "fc_elf.h"
#include "fc_sign.h"
#include "fc_emu.h"
#include "fc_fcx.h"
#include "fc_backend.h"
#include "fc_native.h"
#include "fc_testdata.h"
#include "fc_verify.h"
#include "fr_device.h"
#include "fc_fault.h"
#include "fc_compile.h"

#define MAX_INPUT (64u << 20)
#define MAX_DIAGS 64u

enum engine { ENGINE_AUTO, ENGINE_INTERP, ENGINE_NATIVE };

typedef struct options {
    const char *input;
    const char *mem_file;
    const char *mem_hex;
    const char *mem_str;     /* --ctx-str TEXT */
    const char *entry;
    int stats;
    int ctx_ro;        /* the context is read-only */
    fc_trust_key trust[8];   /* --trust: the device's trust store */
    uint32_t ntrust;
    int require_sig;   /* --require-signature */
    int engine;
    int core;          /* enum fc_target; -1: not given */
    uint64_t budget;   /* 0: the program's */
    /* Femto-Containers devices (fc_device_setup) */
    const char *saul;          /* --saul SPEC */
    const char *coap_req;      /* --coap-req FILE */
    const char *coap_req_hex;  /* --coap-req-hex HEX */
    uint32_t coap_buf;         /* --coap-buf N (default 128) */
    const char *region[FR_EXTRA_MAX];  /* --region ADDR:FILE[:r|rw] */
    uint32_t nregion;
    int verbose;               /* -v: where the context and regions sit */
} options;

static const char *prog_name = "femto-run";

static void usage_fc(FILE *f);

static void usage(FILE *f)
{
    fprintf(f,
"usage: femto-run [options] INPUT\n"
"\n"
"Run an eBPF program on this host as a device would.\n"
"\n"
"INPUT is a container made by femtoc (app.fcx): it is installed by the device\n"
"loader (fc_install) into a simulated flash slot at the emulated core's\n"
"addresses and run by fc_run: its native code in an emulated core (Unicorn),\n"
"its bytecode in the interpreter. INPUT may also be an eBPF object made by\n"
"`clang -target bpf -c` (app.o), eBPF assembly (*.s, *.asm), a conformance\n"
"test (*.data; its `-- mem` is the default memory) or raw bytecode (*.bin):\n"
"those are read, verified and run in the interpreter, without a container.\n"
"\n"
"Options:\n"
"  --ctx FILE        the context (memory) the program gets: the bytes of FILE,\n"
"                    read-write; r1 = its address, r2 = its length. Without\n"
"                    --ctx/--ctx-hex/--ctx-str there is no context (r1 = r2 = 0).\n"
"                    (--mem FILE: the same; femto-board has the same names)\n"
"  --ctx-hex HEX     the context as hex bytes: \"00 01 ff\" or \"0001ff\"\n"
"                    (alias --mem-hex)\n"
"  --ctx-str TEXT    the context: the bytes of TEXT (no NUL added)\n"
"  --ctx-ro          pass the context read-only (as a host that shares a buffer\n"
"                    it must not have changed): a store into it is a memory\n"
"                    error, and a container whose code writes it unchecked\n"
"                    (femtoc --ctx-size) is refused before it runs\n"
"  --trust PUB.pem   the device trusts this Ed25519 public key (PEM, from\n"
"                    `openssl pkey -in key.pem -pubout`; up to 8 times). Then\n"
"                    native code is installed only from a container with a\n"
"                    valid signature by a trusted key (femtoc --sign,\n"
"                    femto-sign); any other container installs its bytecode\n"
"                    only, for the interpreter (a note says why). Without\n"
"                    --trust every container's native code is accepted\n"
"                    (development policy).\n"
"  --require-signature  refuse every container without a valid signature by a\n"
"                    trusted key (needs --trust)\n"
"  --engine ENGINE   auto (default): the container's native code for the core\n"
"                    when it has some, else the interpreter;\n"
"                    interp: the interpreter, even if native code is installed;\n"
"                    native: native code only (an error if the container has\n"
"                    none for the core)\n"
"  --core CORE       the emulated core: thumbv7m (Cortex-M3, Thumb-2),\n"
"                    rv32imac (RISC-V, SiFive E31), lx106 (Xtensa, call0,\n"
"                    in qemu-xtensa) or esp32 (Xtensa windowed ABI + DIV32,\n"
"                    on QEMU's dc233c core: no QEMU core is an ESP32's\n"
"                    LX6). Default: the first of these the\n"
"                    container has code for. The loader picks the code for\n"
"                    this core out of a multi-target container.\n"
"  --budget N        taken backward jumps the run may make (N >= 1); default:\n"
"                    the container's budget (femtoc: 1000000). Running out\n"
"                    stops the program with an error.\n"
"  --entry NAME      the entry point to run: a container entry (default: the\n"
"                    first), or for an object the function or section to start\n"
"                    from (as femtoc --entry)\n"
"  --stats           also print `engine: ...`, `instructions: N` and\n"
"                    `budget left: N` before r0. Native code: every machine\n"
"                    instruction executed from the entry to the return,\n"
"                    runtime routines it calls (64-bit division, bounds-check\n"
"                    slow path) included, helpers (run by the host) not;\n"
"                    the interpreter: eBPF instructions. Then `fixed cost:`,\n"
"                    the part of that count every call pays (what an empty\n"
"                    program, `return 0`, costs on the same engine), and\n"
"                    `per call:` the stack frames fc_run zeroes, outside the\n"
"                    count (the native env is in the run template).\n"
"  -h, --help        this text\n"
"  --version         the version\n"
"\n"
"Helpers: the runtime's standard set (printf 0x01, memcpy 0x02, key-value\n"
"store/fetch 0x10..0x13, ...); printf writes to standard output.\n"
"\n");
    usage_fc(f);
    fprintf(f,
"\n"
"Output: helper output, then r0 as 0x... on the last line of standard output.\n"
"Exit status: 0 when the program returned; 1 when it failed (memory access out\n"
"of bounds, budget exhausted, helper error, ...: the message names the eBPF\n"
"instruction and shows it disassembled), could not be loaded, or the options\n"
"were wrong.\n");
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die_usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(femto-run -h lists the options)\n");
    exit(1);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (!*s || *end || errno || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

static int parse_core(const char *s)
{
    if (strcmp(s, "thumbv7m") == 0)
        return FC_TARGET_THUMBV7M;
    if (strcmp(s, "rv32imac") == 0)
        return FC_TARGET_RV32IMAC;
    if (strcmp(s, "lx106") == 0)
        return FC_TARGET_XTENSA;
    if (strcmp(s, "esp32") == 0)
        return FC_TARGET_ESP32;
    return -1;
}

static void parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->core = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        /* --opt VALUE or --opt=VALUE */
#define OPT(name) \
        (strcmp(a, name) == 0 ? (i + 1 < argc ? (v = argv[++i], 1) \
                                              : (die_usage("%s needs an argument", name), 0)) \
         : strncmp(a, name "=", sizeof name) == 0 ? (v = a + sizeof name, 1) : 0)
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0) {
            printf("femto-run (femtoc) 0.14, container format %u.%u\n", FC_FCX_VERSION_MAJOR,
                   FC_FCX_VERSION_MINOR);
            exit(0);
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = 1;
        } else if (strcmp(a, "--ctx-ro") == 0) {
            o->ctx_ro = 1;
        } else if (strcmp(a, "--require-signature") == 0) {
            o->require_sig = 1;
        } else if (OPT("--trust")) {
            char err[300];
            if (o->ntrust >= sizeof o->trust / sizeof o->trust[0])
                die_usage("--trust: at most %zu keys", sizeof o->trust / sizeof o->trust[0]);
            if (fc_sign_load_pub(v, o->trust[o->ntrust].pub, err, sizeof err))
                die("--trust: %s", err);
            o->ntrust++;
        } else if (OPT("--mem") || OPT("--ctx")) {
            if (o->mem_file || o->mem_hex || o->mem_str)
                die_usage("the context is given twice (--ctx / --ctx-hex / --ctx-str)");
            o->mem_file = v;
        } else if (OPT("--mem-hex") || OPT("--ctx-hex")) {
            if (o->mem_file || o->mem_hex || o->mem_str)
                die_usage("the context is given twice (--ctx / --ctx-hex / --ctx-str)");
            o->mem_hex = v;
        } else if (OPT("--ctx-str")) {
            if (o->mem_file || o->mem_hex || o->mem_str)
                die_usage("the context is given twice (--ctx / --ctx-hex / --ctx-str)");
            o->mem_str = v;
        } else if (OPT("--engine")) {
            if (strcmp(v, "auto") == 0)
                o->engine = ENGINE_AUTO;
            else if (strcmp(v, "interp") == 0)
                o->engine = ENGINE_INTERP;
            else if (strcmp(v, "native") == 0)
                o->engine = ENGINE_NATIVE;
            else
                die_usage("--engine: unknown engine '%s' (auto, interp, native)", v);
        } else if (OPT("--core")) {
            if ((o->core = parse_core(v)) < 0)
                die_usage("--core: unknown core '%s' (thumbv7m, rv32imac, lx106, esp32)", v);
        } else if (OPT("--budget")) {
            if (parse_u64(v, &o->budget) || o->budget == 0)
                die_usage("--budget: '%s' is not a number >= 1", v);
        } else if (OPT("--entry")) {
            o->entry = v;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = 1;
        } else if (OPT("--saul")) {
            o->saul = v;
        } else if (OPT("--coap-req")) {
            if (o->coap_req || o->coap_req_hex)
                die_usage("the CoAP request is given twice (--coap-req / --coap-req-hex)");
            o->coap_req = v;
        } else if (OPT("--coap-req-hex")) {
            if (o->coap_req || o->coap_req_hex)
                die_usage("the CoAP request is given twice (--coap-req / --coap-req-hex)");
            o->coap_req_hex = v;
        } else if (OPT("--coap-buf")) {
            uint64_t n;
            if (parse_u64(v, &n) || n < 4 || n > FC_EMU_AREA_SIZE - FR_COAP_BUF_OFF)
                die_usage("--coap-buf: '%s' is not a number of bytes from 4 to %u", v,
                          FC_EMU_AREA_SIZE - FR_COAP_BUF_OFF);
            o->coap_buf = (uint32_t)n;
        } else if (OPT("--region")) {
            if (o->nregion >= FR_EXTRA_MAX)
                die_usage("--region: at most %u", FR_EXTRA_MAX);
            o->region[o->nregion++] = v;
        } else if (a[0] == '-' && a[1]) {
            die_usage("unknown option '%s'", a);
        } else {
            if (o->input)
                die_usage("more than one input file ('%s' and '%s')", o->input, a);
            o->input = a;
        }
#undef OPT
    }
    if (!o->input)
        die_usage("no input file");
    if (o->require_sig && !o->ntrust)
        die_usage("--require-signature needs the trusted keys (--trust PUB.pem)");
    if ((o->coap_req || o->coap_req_hex) && (o->mem_file || o->mem_hex))
        die_usage("--coap-req makes the context (the CoAP hook's bpf_coap_ctx_t): "
                  "drop --mem/--mem-hex");
    if (o->coap_buf && !o->coap_req && !o->coap_req_hex)
        die_usage("--coap-buf needs a request (--coap-req FILE or --coap-req-hex HEX)");
}

/* ---- files ---------------------------------------------------------------- */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap + 1);
    for (;;) {
        if (!b)
            die("%s: out of memory", path);
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= MAX_INPUT)
            die("%s: larger than %u bytes", path, MAX_INPUT);
        uint8_t *nb = realloc(b, cap * 2 + 1);
        if (!nb)
            free(b);
        b = nb;
        cap *= 2;
    }
    if (ferror(f))
        die("%s: read error", path);
    fclose(f);
    b[n] = 0;
    *len = n;
    return b;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* "00 01 ff", "0001ff", "0x00 0x01": pairs of hex digits, blanks between
 * bytes, an optional 0x before each group */
static uint8_t *parse_hex(const char *s, size_t *len)
{
    size_t cap = strlen(s) / 2 + 1, n = 0;
    uint8_t *b = malloc(cap);
    const char *p = s;
    if (!b)
        die("out of memory");
    while (*p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',') {
            p++;
            continue;
        }
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
            p += 2;
        int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
        if (hi < 0 || lo < 0)
            die_usage("--mem-hex: '%.8s' at byte %zu is not a pair of hex digits", p, n);
        b[n++] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    *len = n;
    return b;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- printf helper output --------------------------------------------------- */
static int out_last = '\n';

static void out_write(void *ctx, const char *s, uint32_t n)
{
    (void)ctx;
    if (n) {
        fwrite(s, 1, n, stdout);
        out_last = (unsigned char)s[n - 1];
    }
}

/* a line of our own on standard output starts on a fresh line */
static void out_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out_line(const char *fmt, ...)
{
    va_list ap;
    if (out_last != '\n')
        fputc('\n', stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    out_last = '\n';
}

/* A failure: what the program printed so far ends its line before the message. */
static void out_end(void)
{
    if (out_last != '\n') {
        fputc('\n', stdout);
        out_last = '\n';
    }
    fflush(stdout);
}

/* ---- failure reports (the wording: compiler/fc_fault.h, shared with
 * femto-objdump --fault and so femto-board) ------------------------------------ */
typedef fc_fault_where where;

static void report(const where *w, int have_insn, uint32_t insn, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(const where *w, int have_insn, uint32_t insn, const char *fmt, ...)
{
    char msg[400], line[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    out_end();
    fc_fault_format(line, sizeof line, w, have_insn, insn, msg);
    fprintf(stderr, "%s\n", line);
}

/* A program outcome other than FC_OK. */
static void report_fault(const where *w, int err, uint32_t pc, uint64_t addr, uint64_t budget)
{
    char line[700];
    out_end();
    fc_fault_describe(line, sizeof line, w, err, pc, addr, budget);
    fprintf(stderr, "%s\n", line);
}

static void print_stats(const options *o, const char *engine, const fr_stats *st,
                        uint64_t budget_left)
{
    if (!o->stats)
        return;
    out_line("engine: %s\n", engine);
    out_line("instructions: %llu\n", (unsigned long long)st->insns);
    out_line("budget left: %llu\n", (unsigned long long)budget_left);
}

/* --stats: what every call pays. The fixed part of the count is measured,
 * for every engine alike: an empty program (`mov r0, 0; exit`) made into a
 * container by the compile path femtoc uses (fc_cc_compile: verifier,
 * the engine's backend, container writer), installed and run on a device of
 * its own, and its count taken. The interpreter counts the eBPF
 * instructions it dispatches (so 2: mov, exit); native code counts the
 * machine instructions of the entry, prologue, epilogue and return. The RAM
 * fc_run prepares outside the count (frames zeroed, native env) is given
 * in bytes. */
static void print_fixed_cost(const fc_app *app, unsigned engine)
{
    fc_insn empty[2];
    memset(empty, 0, sizeof empty);
    empty[0].op = FC_CLS_ALU64 | FC_SRC_K | FC_ALU_MOV;
    empty[1].op = FC_CLS_JMP | FC_JMP_EXIT;
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = empty;
    p.ninsns = 2;
    uint64_t fixed = 0;
    int measured = 0;
    const fc_backend *b = engine == FC_TARGET_EBPF ? NULL
                          : fc_backend_find(engine == FC_TARGET_THUMBV7M ? "thumbv7m"
                                            : engine == FC_TARGET_XTENSA ? "lx106"
                                            : engine == FC_TARGET_ESP32 ? "esp32"
                                            : !(app->isa & FC_ISA_RV_A) ? "rv32imc"
                                            : (app->isa & FC_ISA_RV_C) ? "rv32imac" : "rv32ima");
    fc_cc_opts co;
    memset(&co, 0, sizeof co);
    co.backends = &b;
    co.nbackends = b ? 1 : 0;
    fc_cc_result cr;
    memset(&cr, 0, sizeof cr);
    fc_diag items[8];
    fc_diags dg = {items, 8, 0, 0, 0};
    char err[200];
    fr_device *d = (engine == FC_TARGET_EBPF || b) && fc_cc_compile(&p, &co, &cr, &dg) == FC_CC_OK
                       ? fr_open(engine, 1, err, sizeof err) : NULL;
    fc_app a2;
    fc_install_info ii;
    fc_lresult lr;
    if (d && fr_install(d, cr.img, (uint32_t)cr.len, b ? FC_INSTALL_REQUIRE_NATIVE : FC_INSTALL_BYTECODE_ONLY,
                        &a2, &ii, &lr) == FC_OK) {
        uint64_t r0;
        fc_run_result res;
        fr_stats st;
        memset(&st, 0, sizeof st);
        if (fr_run(d, &a2, 0, b ? 0 : FC_RUN_INTERP, NULL, 0, 0, &r0, &res, &st) == FC_OK && st.counted &&
            res.engine == engine) {
            fixed = st.insns;
            measured = 1;
        }
    }
    if (d)
        fr_close(d);
    fc_cc_free(&cr);
    if (measured)
        out_line("fixed cost: %llu %s per call (an empty program on this engine, measured: %s; "
                 "included in the count above)\n",
                 (unsigned long long)fixed, engine == FC_TARGET_EBPF ? "eBPF instructions" : "instructions",
                 engine == FC_TARGET_EBPF ? "the interpreter dispatches its mov and exit"
                                          : "entry, prologue, epilogue, return");
    else
        out_line("fixed cost: not measured (the empty program could not be built for this engine)\n");
    if (engine == FC_TARGET_EBPF)
        out_line("per call: %u bytes of stack frames zeroed by fc_run (outside the count)\n",
                 (unsigned)(app->frames * FC_STACK_SIZE));
    else
        out_line("per call: %u bytes of stack frames zeroed by fc_run (outside the count); the native env "
                 "of %u bytes (sizeof(fc_native_env)) is in the instance RAM's run template\n",
                 (unsigned)(app->frames * FC_STACK_SIZE), (unsigned)sizeof(fc_native_env));
}

/* ---- Femto-Containers devices: sensors, a CoAP request, extra regions ----------- */
static void usage_fc(FILE *f)
{
    fprintf(f,
"Femto-Containers devices (helpers 0x30..0x32 SAUL, 0x40..0x43 CoAP, 0x61\n"
"ztimer_periodic_wakeup; sim/fr_device.h):\n"
"  --saul SPEC       simulated sensors, in saul_reg_find_nth order: a comma list\n"
"                    of KIND:VALUE[:SCALE[:UNIT]], KIND one of btn temp hum\n"
"                    light accel press (SAUL_SENSE_*, 0x81..0x89) or a number\n"
"                    (the SAUL class). A read gives phydat {VALUE, 0, 0}, the\n"
"                    scale (default -2 for temp and hum, else 0) and the unit\n"
"                    (default 2 = UNIT_TEMP_C for temp, else 0), 1 dimension.\n"
"                    e.g. --saul temp:2150,hum:4500 (21.50 C, 45.00 %%)\n"
"  --coap-req FILE   a CoAP request (the raw message, RFC 7252) for a CoAP hook:\n"
"                    it is put in a packet buffer, and the context becomes\n"
"                    Femto-Containers' bpf_coap_ctx_t {pkt, buf, buf_len}; the\n"
"                    pkt view (read-only) and the buffer (read-write) are\n"
"                    extra regions. After the run, `coap response: N bytes: ..`\n"
"                    shows the first N = r0 bytes of the buffer (the length\n"
"                    the hook returns) before r0.\n"
"  --coap-req-hex HEX  the request as hex bytes, e.g. 42 01 12 34 ab cd b4 74\n"
"                    65 6d 70 (CON GET /temp with a 2-byte token)\n"
"  --coap-buf N      the packet buffer's size (default 128)\n"
"  --region ADDR:FILE[:r|rw]  grant the program an extra region: the bytes of\n"
"                    FILE at guest address ADDR, read-only or read-write (the\n"
"                    default), as a host grants memory a context points into\n"
"                    (__bpf_shared_ptr). ADDR lies in an extra area of the\n"
"                    simulated device: 0x20500000, 0x20600000 or 0x20700000\n"
"                    (the third holds the CoAP packet), %u bytes each. Up to\n"
"                    %u regions in all (the CoAP packet takes two).\n"
"  --region @OFF:FILE[:r|rw]  the same in the next free extra area, its address\n"
"                    written as 64 bits at offset OFF of the context (a\n"
"                    __bpf_shared_ptr field); femto-board takes this form too\n"
"  -v, --verbose     print where the context and every region sit (standard\n"
"                    error) before the run\n"
"The simulated clock (ztimer_now, now_ms) starts at 0 and moves only when\n"
"ztimer_periodic_wakeup sleeps, so every engine sees the same times.\n",
            FC_EMU_AREA_SIZE, FR_EXTRA_MAX);
}

static const struct {
    const char *name;
    uint8_t type, unit;
    int8_t scale;
} saul_kinds[] = {
    {"btn", 0x81, 0, 0},   {"temp", 0x82, 2, -2}, {"hum", 0x83, 0, -2},
    {"light", 0x84, 0, 0}, {"accel", 0x85, 0, 0}, {"press", 0x89, 0, 0},
};

static int parse_i64(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (!*s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static uint32_t parse_saul(const char *spec, fc_saul_dev *devs, char names[][16])
{
    char buf[512];
    uint32_t n = 0;
    if (strlen(spec) >= sizeof buf)
        die_usage("--saul: the list is too long");
    strcpy(buf, spec);
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        char *f[5];
        unsigned nf = 0;
        long long val, scale, unit, type;
        for (char *s2 = NULL, *t = strtok_r(item, ":", &s2); t && nf < 5; t = strtok_r(NULL, ":", &s2))
            f[nf++] = t;
        if (nf < 2 || nf > 4)
            die_usage("--saul: '%s' is not KIND:VALUE[:SCALE[:UNIT]]", item);
        if (n >= FR_SAUL_MAX)
            die_usage("--saul: at most %u sensors", FR_SAUL_MAX);
        fc_saul_dev *d = &devs[n];
        memset(d, 0, sizeof *d);
        size_t k;
        for (k = 0; k < sizeof saul_kinds / sizeof saul_kinds[0]; k++)
            if (strcmp(f[0], saul_kinds[k].name) == 0)
                break;
        if (k < sizeof saul_kinds / sizeof saul_kinds[0]) {
            d->type = saul_kinds[k].type;
            d->value.unit = saul_kinds[k].unit;
            d->value.scale = saul_kinds[k].scale;
        } else if (parse_i64(f[0], 0, 255, &type) == 0) {
            d->type = (uint8_t)type;
        } else {
            die_usage("--saul: unknown sensor kind '%s' (btn temp hum light accel press, or "
                      "a SAUL class number)", f[0]);
        }
        if (parse_i64(f[1], -32768, 32767, &val))
            die_usage("--saul: '%s' is not a 16-bit value", f[1]);
        d->value.val[0] = (int16_t)val;
        if (nf > 2) {
            if (parse_i64(f[2], -128, 127, &scale))
                die_usage("--saul: scale '%s' is not a number from -128 to 127", f[2]);
            d->value.scale = (int8_t)scale;
        }
        if (nf > 3) {
            if (parse_i64(f[3], 0, 255, &unit))
                die_usage("--saul: unit '%s' is not a number from 0 to 255", f[3]);
            d->value.unit = (uint8_t)unit;
        }
        d->dim = 1;
        snprintf(names[n], 16, "%s", f[0]);
        d->name = names[n];
        n++;
    }
    return n;
}

static const char *perm_str(unsigned perm)
{
    return perm == FC_PERM_RW ? "rw" : perm == FC_PERM_R ? "r" : perm == FC_PERM_W ? "w" : "-";
}

/*
 * The device's sensors, CoAP packet and extra regions from the options. With
 * a CoAP request the context becomes the 24-byte bpf_coap_ctx_t; a region
 * given as @OFF:FILE gets the next free extra area and its address written
 * at OFF of the context. Returns the new context (malloc'd, *mem_len its
 * length), or NULL when it is unchanged.
 */
static uint8_t *fc_device_setup(const options *o, fr_device *d, const uint8_t *mem,
                                size_t *mem_len)
{
    uint8_t *own = NULL;   /* the context, when it changes */
    uint32_t next_area = 0;
    static fc_saul_dev devs[FR_SAUL_MAX];
    static char names[FR_SAUL_MAX][16];
    char err[300];

    if (o->saul) {
        uint32_t n = parse_saul(o->saul, devs, names);
        if (fr_set_saul(d, devs, n))
            die_usage("--saul: at most %u sensors", FR_SAUL_MAX);
    }
    for (uint32_t k = 0; k < o->nregion; k++) {
        char spec[4096], *file, *colon;
        unsigned perm = FC_PERM_RW;
        uint64_t addr;
        size_t len;
        if (strlen(o->region[k]) >= sizeof spec)
            die_usage("--region: too long");
        strcpy(spec, o->region[k]);
        colon = strchr(spec, ':');
        if (!colon)
            die_usage("--region: '%s' is not ADDR:FILE[:r|rw] or @OFF:FILE[:r|rw]", o->region[k]);
        *colon = 0;
        file = colon + 1;
        uint64_t at = UINT64_MAX;
        if (spec[0] == '@') {
            /* the next extra area not taken by an ADDR region */
            const fc_region *r;
            for (;;) {
                uint32_t n = fr_regions(d, &r), used = 0;
                if (next_area >= 3)
                    die("--region %s: no free extra area", o->region[k]);
                addr = 0x20500000u + 0x00100000u * next_area;
                for (uint32_t j = 0; j < n; j++)
                    used |= r[j].addr >= addr && r[j].addr < addr + FC_EMU_AREA_SIZE;
                if (!used)
                    break;
                next_area++;
            }
            next_area++;
            if (parse_u64(spec + 1, &at) || at + 8 > *mem_len)
                die_usage("--region: '%s': the offset must leave 8 bytes inside the context "
                          "(%zu bytes)", spec, *mem_len);
        } else if (parse_u64(spec, &addr) || addr > 0xffffffffu) {
            die_usage("--region: '%s' is not an address", spec);
        }
        colon = strrchr(file, ':');
        if (colon && (strcmp(colon, ":r") == 0 || strcmp(colon, ":rw") == 0)) {
            perm = colon[2] == 'w' ? FC_PERM_RW : FC_PERM_R;
            *colon = 0;
        }
        uint8_t *bytes = read_file(file, &len);
        if (len == 0 || len > FC_EMU_AREA_SIZE)
            die("--region: %s: %zu bytes (1 to %u)", file, len, FC_EMU_AREA_SIZE);
        if (fr_add_region(d, (uint32_t)addr, bytes, (uint32_t)len, perm, err, sizeof err))
            die("--region %s: %s", o->region[k], err);
        free(bytes);
        if (at != UINT64_MAX) {   /* a __bpf_shared_ptr in the context */
            if (!own) {
                own = malloc(*mem_len);
                if (!own)
                    die("out of memory");
                memcpy(own, mem, *mem_len);
                mem = own;
            }
            for (unsigned b = 0; b < 8; b++)
                own[at + b] = (uint8_t)(addr >> (8 * b));
        }
    }
    if (o->coap_req || o->coap_req_hex) {
        size_t rlen;
        uint8_t *req = o->coap_req ? read_file(o->coap_req, &rlen) : parse_hex(o->coap_req_hex, &rlen);
        uint8_t *ctx = malloc(24);
        if (!ctx)
            die("out of memory");
        if (rlen > 0xffffffffu ||
            fr_set_coap(d, req, (uint32_t)rlen, o->coap_buf ? o->coap_buf : 128u, ctx, err,
                        sizeof err))
            die("--coap-req: %s", rlen > 0xffffffffu ? "too large" : err);
        free(req);
        free(own);
        own = ctx;
        *mem_len = 24;
    }
    if (o->verbose) {
        uint32_t caddr;
        const fc_region *r;
        uint32_t n = fr_regions(d, &r);
        (void)fr_area(d, FR_CTX, &caddr, NULL);
        if (*mem_len)
            fprintf(stderr, "%s: note: context at 0x%08x, %zu bytes, %s%s\n", o->input,
                    (unsigned)caddr, *mem_len, o->ctx_ro ? "r" : "rw",
                    o->coap_req || o->coap_req_hex ? " (bpf_coap_ctx_t)" : "");
        else
            fprintf(stderr, "%s: note: no context (r1 = r2 = 0)\n", o->input);
        for (uint32_t k = 0; k < n; k++) {
            const char *what = k + 2 == n && (o->coap_req || o->coap_req_hex) ? " (CoAP pkt view)"
                             : k + 1 == n && (o->coap_req || o->coap_req_hex) ? " (CoAP packet buffer)"
                             : "";
            fprintf(stderr, "%s: note: region at 0x%08llx, %u bytes, %s%s\n", o->input,
                    (unsigned long long)r[k].addr, (unsigned)r[k].len, perm_str(r[k].perm), what);
        }
    }
    return own;
}

/* After a run with a CoAP request: the response the hook built (its length
 * is the r0 Femto-Containers' CoAP hooks return). */
static void print_coap(const options *o, fr_device *d, uint64_t r0)
{
    uint32_t len;
    const uint8_t *b = fr_coap_buf(d, NULL, &len);
    int64_t n = (int32_t)(uint32_t)r0;
    if (!b || (!o->coap_req && !o->coap_req_hex))
        return;
    if (n <= 0 || n > (int64_t)len) {
        out_line("coap response: none (r0 = %lld is not a length in the %u-byte buffer)\n",
                 (long long)n, (unsigned)len);
        return;
    }
    char line[3 * 4096 + 64];
    size_t k = 0;
    for (int64_t j = 0; j < n && k + 4 < sizeof line; j++)
        k += (size_t)snprintf(line + k, sizeof line - k, " %02x", b[j]);
    out_line("coap response: %lld bytes:%s\n", (long long)n, line);
}

/* ---- containers --------------------------------------------------------------- */
static const unsigned native_cores[] = {FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC, FC_TARGET_XTENSA,
                                        FC_TARGET_ESP32};

static int run_container(const options *o, const uint8_t *img, size_t len, const uint8_t *mem,
                         size_t mem_len)
{
    fc_lresult lr;
    char text[300], err[200];

    if (len > 0xffffffffu)
        die("%s: too large for a container", o->input);
    int v = fc_fcx_validate(img, (uint32_t)len, &lr);
    if (v != FC_OK) {
        fc_lresult_format(&lr, text, sizeof text);
        fprintf(stderr, "%s: error: not a valid container: %s\n", o->input, text);
        return 1;
    }
    unsigned targets = fc_le16(img + FC_FCX_H_TARGETS);

    /* the core: --core, else the first one the container has code for
     * (none for --engine interp without --core: an interpreter-only device) */
    unsigned core = FC_TARGET_EBPF;
    if (o->core >= 0) {
        core = (unsigned)o->core;
    } else if (o->engine != ENGINE_INTERP) {
        for (size_t k = 0; k < sizeof native_cores / sizeof native_cores[0]; k++)
            if (targets & (1u << native_cores[k])) {
                core = native_cores[k];
                break;
            }
    }
    if (o->engine == ENGINE_NATIVE && core == FC_TARGET_EBPF) {
        fprintf(stderr, "%s: error: --engine native: the container has no native code for a core "
                "femto-run emulates (build it with femtoc -march=thumbv7m, -march=rv32imac, -march=lx106 "
                "or -march=esp32)\n",
                o->input);
        return 1;
    }

    fr_device *d = fr_open(core, o->stats, err, sizeof err);
    if (!d)
        die("cannot open the %s device: %s", fr_core_name(core), err);
    fr_set_output(d, out_write, NULL);
    if (o->ctx_ro)
        fr_set_ctx_perm(d, FC_PERM_R);
    if (o->ntrust)
        fr_set_trust(d, o->trust, o->ntrust,
                     o->require_sig ? FC_POLICY_REQUIRE_SIGNATURE : FC_POLICY_NATIVE_SIGNED);
    size_t own_len = mem_len;
    uint8_t *own_mem = fc_device_setup(o, d, mem, &own_len);   /* a changed context */
    if (own_mem) {
        mem = own_mem;
        mem_len = own_len;
    }

    fc_app app;
    fc_install_info info;
    uint32_t flags = o->engine == ENGINE_NATIVE ? FC_INSTALL_REQUIRE_NATIVE : 0u;
    int rc = fr_install(d, img, (uint32_t)len, flags, &app, &info, &lr);
    if (rc != FC_OK) {
        fc_lresult_format(&lr, text, sizeof text);
        fprintf(stderr, "%s: error: the loader refused the container for %s: %s\n", o->input,
                fr_core_name(core), text);
        fr_close(d);
        return 1;
    }
    if (info.native_dropped)
        fprintf(stderr, "%s: note: %s native code not installed: the container is %s; "
                "its bytecode runs in the interpreter\n", o->input, fr_core_name(core),
                fc_trust_str(info.trust));
    if (o->stats && o->ntrust)
        out_line("signature: %s\n", fc_trust_str(info.trust));

    uint32_t entry = 0;
    if (o->entry) {
        int32_t e = fc_app_entry(&app, o->entry);
        if (e < 0) {
            fprintf(stderr, "%s: error: no entry '%s'; the container has:", o->input, o->entry);
            for (uint32_t k = 0; k < app.nentries; k++)
                fprintf(stderr, " %s", fc_app_entry_name(&app, k));
            fputc('\n', stderr);
            fr_close(d);
            return 1;
        }
        entry = (uint32_t)e;
    }

    uint32_t run_flags = o->engine == ENGINE_INTERP ? FC_RUN_INTERP : 0u;
    uint64_t r0 = 0;
    fc_run_result res;
    fr_stats st;
    if (mem_len > 0xffffffffu)
        die("the memory is too large");
    rc = fr_run(d, &app, entry, run_flags, mem, (uint32_t)mem_len, o->budget, &r0, &res, &st);

    char engine[120];
    if (res.engine == FC_TARGET_EBPF && info.native_dropped)
        snprintf(engine, sizeof engine, "interpreter (%s code not trusted)", fr_core_name(core));
    else if (res.engine == FC_TARGET_EBPF)
        snprintf(engine, sizeof engine, "interpreter%s%s%s",
                 core != FC_TARGET_EBPF && app.engine == FC_TARGET_EBPF ? " (no " : "",
                 core != FC_TARGET_EBPF && app.engine == FC_TARGET_EBPF ? fr_core_name(core) : "",
                 core != FC_TARGET_EBPF && app.engine == FC_TARGET_EBPF ? " code in the container)"
                                                                        : "");
    else
        snprintf(engine, sizeof engine, "%s native code (%s)", fr_core_name(res.engine),
                 fr_core_desc(res.engine));

    /* femtoc -g: the container's line table names the C line of a fault */
    fc_prog lines;
    memset(&lines, 0, sizeof lines);
    int have_lines = fc_fcx_lines_to_prog(img, len, &lines) == 0;
    where w = {o->input, (const fc_insn *)(const void *)(app.img + app.insns_off), app.ninsns,
               have_lines ? &lines : NULL};
    uint64_t budget = o->budget ? o->budget : app.budget ? app.budget : FC_DEFAULT_BUDGET;
    int status = 0;
    if (rc == FC_OK) {
        print_stats(o, engine, &st, res.budget_left);
        if (o->stats)
            print_fixed_cost(&app, res.engine);
        print_coap(o, d, r0);
        out_line("0x%llx\n", (unsigned long long)r0);
    } else if (st.machine_fault) {
        print_stats(o, engine, &st, res.budget_left);
        if (o->stats)
            print_fixed_cost(&app, res.engine);
        if (rc == FC_EMU_EACCESS)
            snprintf(text, sizeof text, "%s of 0x%08x outside the granted memory",
                     fc_emu_fault_str(st.fault), (unsigned)st.fault_addr);
        else if (st.xt_signal)
            snprintf(text, sizeof text, "qemu-xtensa: the code died of signal %d, %s (QEMU user mode "
                     "gives no pc)", st.xt_signal, strsignal(st.xt_signal));
        else if (st.uc_err > 0)
            snprintf(text, sizeof text, "unicorn: %s", uc_strerror((uc_err)st.uc_err));
        else if (rc == FC_EMU_ECAP && (res.engine == FC_TARGET_XTENSA || res.engine == FC_TARGET_ESP32))
            snprintf(text, sizeof text, "no return within qemu-xtensa's time limit");
        else
            snprintf(text, sizeof text, "%s",
                     rc == FC_EMU_ECAP ? "instruction cap reached" : "calling convention broken");
        if (res.native_pc != 0xFFFFFFFFu)
            report(&w, res.err_pc != 0xFFFFFFFFu, res.err_pc,
                   "machine fault in the %s code at offset 0x%x (core pc 0x%08x; %s)",
                   fr_core_name(res.engine), (unsigned)res.native_pc, (unsigned)st.pc, text);
        else
            report(&w, 0, 0, "machine fault in %s native code at core pc 0x%08x (%s)",
                   fr_core_name(res.engine), (unsigned)st.pc, text);
        status = 1;
    } else if (rc == FC_LERR_CTX_SHORT) {
        out_end();
        fprintf(stderr, "%s: error: cannot run entry %u: %s: the memory has %zu bytes, the code "
                "was compiled for at least %u (femtoc --ctx-size)\n", o->input, (unsigned)entry,
                fc_lerr_str(rc), mem_len, (unsigned)app.ctx_min);
        status = 1;
    } else if (rc == FC_LERR_CTX_READONLY) {
        out_end();
        fprintf(stderr, "%s: error: cannot run entry %u: %s (drop --ctx-ro, or build without "
                "--ctx-size so that the stores keep their checks)\n", o->input, (unsigned)entry,
                fc_lerr_str(rc));
        status = 1;
    } else if (rc >= FC_LERR_BASE) {
        out_end();
        fprintf(stderr, "%s: error: cannot run entry %u: %s\n", o->input, (unsigned)entry,
                fc_lerr_str(rc));
        status = 1;
    } else {
        print_stats(o, engine, &st, res.budget_left);
        if (o->stats)
            print_fixed_cost(&app, res.engine);
        report_fault(&w, rc, res.err_pc, res.err_addr, budget);
        status = 1;
    }
    fflush(stdout);
    fr_close(d);
    if (have_lines)
        fc_fcx_lines_free(&lines);
    free(own_mem);
    return status;
}

/* ---- objects, assembly, test files: verified, then interpreted -------------------- */
static int load_prog(const options *o, const uint8_t *buf, size_t len, fc_prog *p,
                     uint8_t **mem, size_t *mem_len)
{
    fc_diag items[MAX_DIAGS];
    fc_diags d = {items, MAX_DIAGS, 0, 0, 0};
    const char *in = o->input;
    fc_insn *insns = NULL;
    size_t n = 0;
    fc_asm_error e;

    memset(p, 0, sizeof *p);
    if ((len >= 4 && memcmp(buf, "\177ELF", 4) == 0) || fc_elf_is_rbpf(buf, len)) {
        if (fc_elf_read(buf, len, in, o->entry, p, &d) == 0)
            return 0;
        for (uint32_t k = 0; k < d.n; k++)
            fprintf(stderr, "%s: error: %s\n", in, items[k].msg);
        return -1;
    }
    if (o->entry)
        die_usage("--entry applies to containers and objects; %s has a single program", in);
    if (ends_with(in, ".data")) {
        fc_testdata td;
        if (fc_testdata_parse((const char *)buf, len, &td, &e)) {
            fprintf(stderr, "%s:%u: error: %s\n", in, (unsigned)e.line, e.msg);
            return -1;
        }
        int r = fc_testdata_program(&td, &insns, &n, &e);
        if (r == 0 && td.has_mem && !*mem && !o->mem_file && !o->mem_hex && !o->mem_str) {
            /* the test's own memory, when none is given */
            *mem = malloc(td.mem_len ? td.mem_len : 1);
            if (!*mem)
                die("out of memory");
            if (td.mem_len)
                memcpy(*mem, td.mem, td.mem_len);
            *mem_len = td.mem_len;
        }
        fc_testdata_free(&td);
        if (r) {
            fprintf(stderr, "%s:%u: error: %s\n", in, (unsigned)e.line, e.msg);
            return -1;
        }
    } else if (ends_with(in, ".bin")) {
        if (len % 8) {
            fprintf(stderr, "%s: error: raw bytecode size %zu is not a multiple of 8\n", in, len);
            return -1;
        }
        n = len / 8;
        insns = malloc((n ? n : 1) * sizeof *insns);
        for (size_t k = 0; insns && k < n; k++)
            insns[k] = fc_insn_decode(buf + 8 * k);
    } else if (ends_with(in, ".s") || ends_with(in, ".asm")) {
        if (fc_asm((const char *)buf, len, &insns, &n, &e)) {
            fprintf(stderr, "%s:%u:%u: error: %s\n", in, (unsigned)e.line, (unsigned)e.column, e.msg);
            return -1;
        }
    } else {
        fprintf(stderr, "%s: error: unrecognised input: not a container (.fcx), an eBPF ELF "
                "object, assembly (.s, .asm), a test (.data) or raw bytecode (.bin)\n", in);
        return -1;
    }
    if (!insns || n > 0xffffffffu) {
        free(insns);
        fprintf(stderr, "%s: error: %s\n", in, insns ? "program too large" : "out of memory");
        return -1;
    }
    p->insns = insns;
    p->ninsns = (uint32_t)n;
    p->object_name = strdup(in);
    return 0;
}

static int run_program(const options *o, const uint8_t *buf, size_t len, uint8_t *mem,
                       size_t mem_len)
{
    fc_prog p;
    char err[200];
    int status = 1;

    if (o->engine == ENGINE_NATIVE)
        die_usage("--engine native needs a container: %s runs in the interpreter "
                  "(femtoc -march=thumbv7m %s makes one)", o->input, o->input);
    if (o->core >= 0)
        die_usage("--core applies to containers: %s runs in the interpreter", o->input);
    if (load_prog(o, buf, len, &p, &mem, &mem_len))
        return 1;

    /* verify as femtoc does (every known helper allowed, context size unknown) */
    fc_diag items[MAX_DIAGS];
    fc_diags d = {items, MAX_DIAGS, 0, 0, 0};
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    size_t wsz = fc_vfy_workspace_size(&p);
    void *ws = malloc(wsz ? wsz : 1);
    fc_insn_info *info = calloc(p.ninsns ? p.ninsns : 1, sizeof *info);
    if (!ws || !info)
        die("out of memory");
    where w = {o->input, p.insns, p.ninsns, &p};
    if (fc_vfy_run(&p, &vo, ws, wsz, info, NULL, &d)) {
        for (uint32_t k = 0; k < d.n; k++)
            if (items[k].severity == FC_SEV_ERROR)
                report(&w, items[k].insn >= 0, (uint32_t)items[k].insn, "%s", items[k].msg);
        fprintf(stderr, "%s: error: the program does not verify\n", o->input);
        goto out;
    }

    fr_device *dev = fr_open(FC_TARGET_EBPF, 1, err, sizeof err);
    if (!dev)
        die("cannot open the device: %s", err);
    fr_set_output(dev, out_write, NULL);
    if (o->ctx_ro)
        fr_set_ctx_perm(dev, FC_PERM_R);
    uint8_t *own_mem = fc_device_setup(o, dev, mem, &mem_len);
    if (own_mem) {
        free(mem);
        mem = own_mem;
    }
    if (mem_len > 0xffffffffu)
        die("the memory is too large");
    fc_vm vm;
    uint64_t r0 = 0;
    int rc = fr_run_prog(dev, p.insns, p.ninsns, p.rodata, p.rodata_len, p.data, p.data_len,
                         p.bss_len, mem, (uint32_t)mem_len, o->budget, &r0, &vm);
    fr_stats st = {.counted = 1, .insns = vm.insn_count};
    if (rc == FC_OK) {
        print_stats(o, "interpreter", &st, vm.budget_left);
        print_coap(o, dev, r0);
        out_line("0x%llx\n", (unsigned long long)r0);
        status = 0;
    } else if (rc == FC_ERR_BAD_ARG) {
        out_end();
        fprintf(stderr, "%s: error: the memory or the program's sections do not fit the device "
                "(%u bytes each)\n", o->input, FC_EMU_AREA_SIZE);
    } else {
        print_stats(o, "interpreter", &st, vm.budget_left);
        report_fault(&w, rc, vm.err_pc, vm.err_addr, vm.budget);
    }
    fflush(stdout);
    fr_close(dev);
out:
    free(ws);
    free(info);
    free(mem);
    fc_elf_free(&p);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    size_t len, mem_len = 0;
    uint8_t *mem = NULL;

    parse_args(argc, argv, &o);
    if (o.mem_file) {
        mem = read_file(o.mem_file, &mem_len);
        if (mem_len > FC_EMU_AREA_SIZE)
            die("%s: %zu bytes; the context holds at most %u", o.mem_file, mem_len,
                FC_EMU_AREA_SIZE);
    } else if (o.mem_hex) {
        mem = parse_hex(o.mem_hex, &mem_len);
        if (mem_len > FC_EMU_AREA_SIZE)
            die("--ctx-hex: %zu bytes; the context holds at most %u", mem_len, FC_EMU_AREA_SIZE);
    } else if (o.mem_str) {
        mem_len = strlen(o.mem_str);
        if (mem_len > FC_EMU_AREA_SIZE)
            die("--ctx-str: %zu bytes; the context holds at most %u", mem_len, FC_EMU_AREA_SIZE);
        mem = malloc(mem_len ? mem_len : 1);
        if (!mem)
            die("out of memory");
        memcpy(mem, o.mem_str, mem_len);
    }
    uint8_t *buf = read_file(o.input, &len);
    int status;
    if (len >= 4 && buf[0] == FC_FCX_MAGIC0 && buf[1] == FC_FCX_MAGIC1 && buf[2] == FC_FCX_MAGIC2 &&
        buf[3] == FC_FCX_MAGIC3) {
        status = run_container(&o, buf, len, mem, mem_len);
        free(mem);
    } else {
        status = run_program(&o, buf, len, mem, mem_len);   /* frees mem */
    }
    free(buf);
    return status;
}
