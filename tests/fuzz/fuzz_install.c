/*
 * fuzz_install.c - libFuzzer harness over fc_install (make fuzz-install).
 *
 * Input: one mode byte, then a container.
 *   mode bit 0: recompute the payload hash first, so mutations reach the
 *               checks behind the hash instead of all dying there;
 *   mode bit 1: install for a RISC-V core instead of a Cortex-M3;
 *   mode bit 2: .rodata in RAM; bit 3: small staging buffer (64 bytes).
 *
 * Invariants checked (abort = finding):
 *   - nothing crashes / reads out of bounds (ASan, UBSan);
 *   - a refused container leaves the whole flash unchanged;
 *   - nothing outside the slot ever changes, and the flash's write window
 *     (the slot) is never violated;
 *   - an accepted container re-opens (fc_open) and its entries run in the
 *     interpreter (any bytecode: the interpreter is memory-safe) and, through
 *     a checking hook, "natively".
 *
 * With FC_FUZZ_SEED_DIR set, LLVMFuzzerInitialize writes seed inputs made
 * by the writer (valid containers of every shape) into that directory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_loader.h"
#include "fc_fcx.h"

#define FLASH_SIZE (32u * 1024u)
#define SLOT_OFF   (8u * 1024u)
#define SLOT_SIZE  (16u * 1024u)
#define MAP_ADDR   0x08000000u
#define RAM_ADDR   0x20000000u

static _Alignas(8) uint8_t flash_mem[FLASH_SIZE];
static uint8_t before[FLASH_SIZE];
static _Alignas(8) uint8_t ram[8192];
static _Alignas(8) uint8_t buf[256];
static _Alignas(8) uint8_t stack[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
static uint8_t ctx[64];

static uint64_t h_id(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm; (void)b; (void)c; (void)d; (void)e;
    return a;
}
static const fc_helper helpers[] = { { 0x01, h_id, "one" }, { 0x99, h_id, "h99" }, { 0x9a, h_id, "h9a" } };

static int check_hook(void *hctx, fc_native_invoke *c, uint64_t *r0)
{
    const fc_app *a = c->app;
    (void)hctx;
    /* what a runner gets must lie inside the installed code */
    if (c->code != a->img + a->code_off || c->entry_off >= a->code_len ||
        (c->entry_addr & ~1u) != (uint32_t)(c->code_addr + c->entry_off) || !c->vm ||
        c->vm->max_depth != a->frames)
        abort();
    *r0 = 0;
    return FC_OK;
}

static int verbose;   /* FC_FUZZ_VERBOSE: print each verdict */

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_install invariant broken: %s\n", why);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fc_flash_sim sim;
    fc_platform plat;
    fc_install_cfg cfg;
    fc_app app;
    fc_lresult r;
    uint8_t mode;
    uint8_t *c;
    size_t len;

    if (size < 1 || size > (1u << 20))
        return 0;
    mode = data[0];
    len = size - 1;
    /* an exact-size heap copy: ASan sees any read past the container */
    c = malloc(len ? len : 1);
    memcpy(c, data + 1, len);
    if (mode & 1)
        fc_fcx_rehash(c, len);

    fc_flash_sim_init(&sim, flash_mem, FLASH_SIZE, 256, 8, MAP_ADDR);
    for (uint32_t i = 0; i < FLASH_SIZE; i++)
        if (i < SLOT_OFF || i >= SLOT_OFF + SLOT_SIZE)
            flash_mem[i] = (uint8_t)(i * 13u + 1u);
    fc_flash_sim_protect(&sim, SLOT_OFF, SLOT_OFF + SLOT_SIZE);
    memcpy(before, flash_mem, FLASH_SIZE);

    memset(&plat, 0, sizeof plat);
    plat.target = (mode & 2) ? FC_TARGET_RV32IMAC : FC_TARGET_THUMBV7M;
    plat.isa = (mode & 2) ? FC_ISA_RV_KNOWN : FC_ISA_T2_HWDIV;
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;   /* reach the native install paths */
    plat.helpers = helpers;
    plat.nhelpers = 3;
    for (unsigned s = FC_SYM_HELPER; s < FC_SYM__COUNT; s++)
        plat.sym[s] = MAP_ADDR + 0x100u * s + 1u;
    plat.invoke = check_hook;
    memset(&cfg, 0, sizeof cfg);
    cfg.plat = &plat;
    cfg.slot.flash = &sim.flash;
    cfg.slot.off = SLOT_OFF;
    cfg.slot.size = SLOT_SIZE;
    cfg.ram = ram;
    cfg.ram_len = sizeof ram;
    cfg.ram_addr = RAM_ADDR;
    cfg.buf = buf;
    cfg.buf_len = (mode & 8) ? 64 : sizeof buf;
    cfg.flags = (mode & 4) ? FC_INSTALL_RODATA_RAM : 0;

    int e = fc_install(c, (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len), &cfg, &app, NULL, &r);
    if (r.code != e || !r.what)
        fail("result does not match the return code");
    if (sim.n_violations)
        fail("write outside the slot attempted");
    if (memcmp(before, flash_mem, SLOT_OFF) != 0 ||
        memcmp(before + SLOT_OFF + SLOT_SIZE, flash_mem + SLOT_OFF + SLOT_SIZE,
               FLASH_SIZE - SLOT_OFF - SLOT_SIZE) != 0)
        fail("flash outside the slot changed");
    if (verbose) {
        char msg[200];
        fc_lresult_format(&r, msg, sizeof msg);
        fprintf(stderr, "mode %u, %zu bytes: %s\n", mode, len, msg);
    }
    if (e != FC_OK) {
        if (memcmp(before, flash_mem, FLASH_SIZE) != 0)
            fail("refused container changed the flash");
    } else {
        fc_app again;
        if (fc_open(&cfg, &again, &r) != FC_OK)
            fail("installed slot does not re-open");
        for (uint32_t k = 0; k < app.nentries && k < 4; k++) {
            fc_run_args a;
            uint64_t r0;
            memset(&a, 0, sizeof a);
            a.entry = k;
            a.stack = stack;
            a.stack_len = sizeof stack;
            a.ctx = ctx;
            a.ctx_len = sizeof ctx;
            a.budget = 2000;
            a.flags = FC_RUN_INTERP;
            (void)fc_run(&app, &a, &r0, NULL);
            a.flags = 0;
            (void)fc_run(&app, &a, &r0, NULL);
        }
    }
    free(c);
    return 0;
}

/* ---- seeds ----------------------------------------------------------------- */
#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }

static void put_seed(const char *dir, const char *name, uint8_t mode, const fc_fcx_input *in)
{
    uint8_t *b = NULL;
    size_t len = 0;
    char path[4096];
    if (fc_fcx_write_alloc(in, &b, &len, NULL) != FC_FCX_OK) {
        fprintf(stderr, "seed %s: the writer refused it\n", name);
        exit(1);
    }
    snprintf(path, sizeof path, "%s/seed-%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(&mode, 1, 1, f) != 1 || fwrite(b, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    free(b);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("FC_FUZZ_SEED_DIR");
    (void)argc; (void)argv;
    verbose = getenv("FC_FUZZ_VERBOSE") != NULL;
    if (!dir)
        return 0;
    static fc_insn loop[] = {
        I(0xb7, 0, 0, 0, 0), I(0x07, 0, 0, 0, 1), I(0xa5, 0, 0, -2, 100),
        I(0x18, 2, FC_LDDW_SECTION, 0, FC_SECT_RODATA), I(0, 0, 0, 0, 4),
        I(0x61, 3, 2, 0, 0), I(0x18, 4, FC_LDDW_SECTION, 0, FC_SECT_DATA), I(0, 0, 0, 0, 0),
        I(0x63, 4, 3, 0, 0), I(0x85, 0, 0, 0, 0x99), I(0x85, 0, FC_CALL_LOCAL, 0, 1),
        I(0x95, 0, 0, 0, 0), I(0x61, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0),
        I(0x61, 0, 1, 4, 0), I(0x95, 0, 0, 0, 0),   /* a second entry: no call targets it */
    };
    static uint8_t ro[12] = "abcdefghijk", da[8] = { 1, 2, 3, 4 };
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = loop;
    p.ninsns = sizeof loop / sizeof loop[0];
    fc_fcx_input in = { .prog = &p };
    /* the program names .rodata and .data: a container must carry them */
    p.rodata = ro; p.rodata_len = sizeof ro;
    p.data = da; p.data_len = sizeof da;
    put_seed(dir, "bytecode", 0, &in);
    p.bss_len = 64;
    fc_fcx_entry ents[] = { { "main", 0 }, { "leaf", 14 } };
    in.entries = ents;
    in.nentries = 2;
    in.budget = 500;
    put_seed(dir, "sections", 1, &in);

    /* Thumb code: BL, MOVW/MOVT, a literal word; RV32: AUIPC/JALR, LUI/ADDI */
    static uint8_t tc[40] = {
        0x00, 0xF0, 0x00, 0xF8, 0x40, 0xF2, 0x00, 0x03, 0xC0, 0xF2, 0x00, 0x03, 0x70, 0x47, 0x00, 0xBF,
        0, 0, 0, 0, 0x00, 0xF0, 0x00, 0xF8, 0x70, 0x47, 0x00, 0xBF, 0x00, 0xBF, 0x00, 0xBF,
        0x00, 0xBF, 0x00, 0xBF, 0x00, 0xBF, 0x70, 0x47,
    };
    static fc_fcx_reloc tr[] = {
        { 0, FC_RELOC_THM_CALL, FC_SYM_HELPER, 0, 0 }, { 4, FC_RELOC_THM_MOVW_MOVT, FC_SYM_BSS, 0, 8 },
        { 16, FC_RELOC_ABS32, FC_SYM_RODATA, 0, 3 }, { 20, FC_RELOC_THM_CALL, FC_SYM_UDIV64, 0, 0 },
    };
    static fc_fcx_pcmap tm[] = { { 0, 0 }, { 4, 3 }, { 20, 9 } };
    static uint32_t te[] = { 0, 24 };
    static uint8_t rc[24] = { 0x97, 0, 0, 0, 0xe7, 0x80, 0, 0, 0x37, 0x05, 0, 0, 0x13, 0x05, 0x05, 0,
                              0x67, 0x80, 0, 0, 0x13, 0, 0, 0 };
    static fc_fcx_reloc rr[] = { { 0, FC_RELOC_RV_CALL, FC_SYM_SMOD64, 0, 0 },
                                 { 8, FC_RELOC_RV_HI20_LO12, FC_SYM_DATA, 0, 0x800 } };
    static uint32_t re[] = { 0, 16 };
    fc_fcx_code code[2] = {
        { .target = FC_TARGET_THUMBV7M, .isa = FC_ISA_T2_HWDIV, .code = tc, .code_len = sizeof tc,
          .relocs = tr, .nrelocs = 4, .pcmap = tm, .npcmap = 3, .entry_offsets = te },
        { .target = FC_TARGET_RV32IMAC, .isa = FC_ISA_RV_M, .code = rc, .code_len = sizeof rc,
          .relocs = rr, .nrelocs = 2, .entry_offsets = re },
    };
    in.code = code;
    in.ncode = 1;
    put_seed(dir, "thumb", 1, &in);
    put_seed(dir, "thumb-smallbuf-rodata-ram", 1 | 4 | 8, &in);
    in.ncode = 2;
    put_seed(dir, "two-targets", 1, &in);
    put_seed(dir, "two-targets-rv", 1 | 2, &in);
    return 0;
}
