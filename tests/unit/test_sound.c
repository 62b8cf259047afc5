/*
 * Regression tests for soundness holes of the verifier (compiler/fc_verify.c,
 * compiler/fc_analysis.c), each tried as an attacker would, with variants:
 *
 *   1. unsigned compares of two pointers of one kind were refined as signed
 *      compares of their offsets, though base + offset may wrap around 2^64:
 *      a pointer far below r10 ended up "exactly r10-8" and its store went
 *      unchecked (an arbitrary write in native code);
 *   4. a profile's signature replaced a known helper's (memcpy's written
 *      pointer declared `any`), so the analysis trusted a spilled pointer the
 *      real helper overwrites; helpers of other signatures that may write
 *      through an argument;
 *   5. lddw of a section the program does not have: the interpreter stops,
 *      native code ran on with an address; now the verifier refuses it and
 *      the loader refuses such a container.
 *
 * Where the hole shows at run time, the program also runs through the
 * interpreter and both backends (thumbv7m, rv32imac in Unicorn) with the
 * verifier's facts, and every engine must give the same outcome.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_asm.h"
#include "fc_fcx.h"
#include "fc_helpers.h"
#include "fc_loader.h"
#include "fc_verify.h"
#include "../../tools/fc_emu.h"

typedef struct vres {
    int rc;
    fc_diag items[32];
    fc_diags d;
    fc_insn_info *info;
    fc_vfy_stats st;
    fc_prog p;
} vres;

static void vres_free(vres *r)
{
    free(r->info);
    free(r->p.insns);
    r->info = NULL;
    r->p.insns = NULL;
}

static void dump(const vres *r)
{
    for (uint32_t k = 0; k < r->d.n; k++)
        fprintf(stderr, "  insn %d: %s\n", (int)r->items[k].insn, r->items[k].msg);
}

/* assemble and verify; section lengths as given */
static int verify(const char *src, const fc_vfy_opts *o, uint32_t data_len, uint32_t bss_len, vres *r)
{
    fc_asm_error e;
    size_t n;
    static uint8_t ro[64], da[64];
    memset(r, 0, sizeof *r);
    if (fc_asm(src, strlen(src), &r->p.insns, &n, &e))
        cr_assert_fail("assembler: line %u: %s\nin:\n%s", e.line, e.msg, src);
    r->p.ninsns = (uint32_t)n;
    r->p.rodata = ro;
    r->p.rodata_len = 0;
    r->p.data = da;
    r->p.data_len = data_len;
    r->p.bss_len = bss_len;
    r->d = (fc_diags){r->items, 32, 0, 0, 0};
    size_t wsz = fc_vfy_workspace_size(&r->p);
    void *ws = malloc(wsz);
    r->info = calloc(n, sizeof *r->info);
    cr_assert(ws && r->info);
    r->rc = fc_vfy_run(&r->p, o, ws, wsz, r->info, &r->st, &r->d);
    free(ws);
    return r->rc;
}

static int msg_has(const vres *r, const char *sub)
{
    for (uint32_t k = 0; k < r->d.n; k++)
        if (strstr(r->items[k].msg, sub))
            return 1;
    return 0;
}

/* index of the n-th (0-based) instruction whose class is a store or load */
static uint32_t mem_insn(const vres *r, int nth)
{
    for (uint32_t i = 0; i < r->p.ninsns; i++) {
        unsigned c = FC_CLASS(r->p.insns[i].op);
        if ((c == FC_CLS_ST || c == FC_CLS_STX || c == FC_CLS_LDX) && nth-- == 0)
            return i;
    }
    cr_assert_fail("no memory instruction %d", nth);
    return 0;
}

/* ---- differential runs ------------------------------------------------------ */
static uint64_t h_clear(fc_vm *vm, uint64_t p, uint64_t n, uint64_t c, uint64_t d, uint64_t e)
{
    /* writes n bytes of 0x41 at p (checked): a helper the profile misdescribes */
    (void)c, (void)d, (void)e;
    uint8_t *m = fc_vm_translate(vm, p, n, FC_PERM_W);
    if (!m) {
        vm->helper_err = FC_ERR_HELPER_FAULT;
        vm->err_addr = p;
        return 0;
    }
    memset(m, 0x41, n);
    return 0;
}

/* Run src through the interpreter and both backends with the verifier's
 * facts; every engine must agree, with error `want_err` (FC_OK: r0 =
 * want_r0). Returns the outcome. */
static fc_emu_outcome diff_run(const char *src, const fc_vfy_opts *o, const uint8_t *ctx, uint32_t ctx_len,
                               uint32_t data_len, int want_err, uint64_t want_r0)
{
    static const unsigned targets[] = {FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC};
    static const fc_helper hs[] = {{0x02, NULL, "memcpy"}, {0x80, h_clear, "clear"}};
    fc_helper helpers[2];
    vres r;
    fc_emu_outcome oi = {0}, on = {0};
    memcpy(helpers, hs, sizeof hs);
    for (uint32_t k = 0; k < fc_std_helpers_count; k++)
        if (fc_std_helpers[k].id == 0x02)
            helpers[0] = fc_std_helpers[k];
    cr_assert(helpers[0].fn, "no memcpy among the standard helpers");
    cr_assert_eq(verify(src, o, data_len, 0, &r), 0, "the program must verify:\n%s", src);
    for (unsigned t = 0; t < 2; t++) {
        char err[200], msg[300];
        fc_emu *e = fc_emu_open_target(targets[t], err, sizeof err);
        cr_assert(e, "%s", err);
        fc_emu_case c;
        memset(&c, 0, sizeof c);
        c.insns = r.p.insns;
        c.n = r.p.ninsns;
        c.info = r.info;
        c.ctx = ctx;
        c.ctx_len = ctx_len;
        c.ctx_perm = FC_PERM_R;
        c.data = r.p.data;
        c.data_len = data_len;
        c.helpers = helpers;
        c.nhelpers = 2;
        int d = fc_emu_diff(e, &c, &oi, &on, msg, sizeof msg);
        fc_emu_close(e);
        cr_assert_eq(d, 0, "target %u: engines differ: %s\n%s", targets[t], msg, src);
        cr_assert_eq(oi.err, want_err, "target %u: error %d (%s), want %d\n%s", targets[t], oi.err,
                     fc_err_str(oi.err), want_err, src);
        if (want_err == FC_OK)
            cr_assert_eq(oi.r0, want_r0, "r0 %llu, want %llu", (unsigned long long)oi.r0,
                         (unsigned long long)want_r0);
    }
    vres_free(&r);
    return oi;
}

static void put64(uint8_t *b, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)(v >> (8 * k));
}

/* ---- hole 1: unsigned pointer compares ---------------------------------------
 * p = BASE + x with x in [-(2^39-1), 0] (from the context), q1 = BASE - 9,
 * q2 = BASE + y with y <= -7. "p >u q1" and "p <u q2" read as signed offset
 * compares give x = -8 exactly; with x = target - BASE - 2^32 the address
 * wraps below 0 and only its low 32 bits (the target) reach a 32-bit core. */
#define MASK39 "0x7fffffffff"
/* jle/jge: "p > BASE-9", "p < BASE+y", y <= -7; jlt/jgt: "p >= BASE-8",
 * "p <= BASE+y", y <= -8: either way x = -8 for a signed reading */
static char *wrap_prog(char *buf, size_t n, const char *base, const char *j1, const char *j2,
                       const char *access)
{
    int strict = j1[2] == 'e'; /* jle/jge */
    snprintf(buf, n,
             "ldxdw %%r6, [%%r1]\n"
             "lddw %%r7, " MASK39 "\n"
             "and %%r6, %%r7\n"
             "sub %%r6, %%r7\n"
             "ldxdw %%r8, [%%r1+8]\n"
             "and %%r8, %%r7\n"
             "sub %%r8, %%r7\n"
             "add %%r8, %d\n"
             "%s"                    /* r9 = the base pointer */
             "mov %%r2, %%r9\n"
             "add %%r2, %%r6\n"
             "mov %%r3, %%r9\n"
             "add %%r3, %d\n"
             "mov %%r4, %%r9\n"
             "add %%r4, %%r8\n"
             "mov %%r0, 1\n"
             "%s %%r2, %%r3, +4\n"   /* not taken: p > q1 */
             "%s %%r2, %%r4, +3\n"   /* not taken: p < q2 */
             "%s\n"
             "mov %%r0, 0\n"
             "exit\n"
             "exit\n",
             strict ? -7 : -8, base, strict ? -9 : -8, j1, j2, access);
    return buf;
}

Test(sound, unsigned_pointer_compares_do_not_assume_no_wrap)
{
    static const char *bases[] = {"mov %r9, %r10\n", "lddw %r9, .data+8\n"};
    static const char *jumps[][2] = {{"jle", "jge"}, {"jlt", "jgt"}};
    static const char *acc[] = {"stdw [%r2], 0x41", "ldxdw %r5, [%r2]", "stxw [%r2+4], %r6"};
    char src[2048];
    fc_vfy_opts o = {0};
    o.ctx_size = 16;
    int n = 0;
    for (unsigned b = 0; b < 2; b++)
        for (unsigned j = 0; j < 2; j++)
            for (unsigned a = 0; a < 3; a++) {
                vres r;
                wrap_prog(src, sizeof src, bases[b], jumps[j][0], jumps[j][1], acc[a]);
                if (verify(src, &o, 64, 0, &r) != 0) {
                    dump(&r);
                    cr_assert_fail("refused:\n%s", src);
                }
                uint32_t i = mem_insn(&r, 2);
                cr_assert_eq(r.info[i].access, FC_ACC_CHECK, "base %u jumps %u access %u: proven\n%s", b, j,
                             a, src);
                vres_free(&r);
                n++;
            }
    cr_assert_eq(n, 12);
}

Test(sound, pointer_compares_inside_the_region_still_refine)
{
    vres r;
    fc_vfy_opts o = {0};
    o.ctx_size = 16;
    /* p in [r10-64, r10-1]; p >= r10-16 goes away: p <= r10-17 and an 8-byte store fits */
    const char *in_frame = "ldxdw %r6, [%r1]\nand %r6, 63\nmov %r2, %r10\nadd %r2, -64\nadd %r2, %r6\n"
                           "mov %r3, %r10\nadd %r3, -16\njge %r2, %r3, +2\nstdw [%r2], 1\nmov %r0, 0\n"
                           "mov %r0, 0\nexit";
    cr_assert_eq(verify(in_frame, &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* one past the frame (r10 itself) on the greater side: q in [r10-511, r10],
     * q > r10-16 leaves q in [r10-15, r10] and a byte at q-2 in the frame */
    const char *past = "ldxdw %r6, [%r1]\nand %r6, 511\nmov %r3, %r10\nadd %r3, -511\nadd %r3, %r6\n"
                       "mov %r2, %r10\nadd %r2, -16\njgt %r3, %r2, +1\nja +1\nstb [%r3-2], 1\nmov %r0, 0\nexit";
    cr_assert_eq(verify(past, &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[9].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* .data: p in [0, 15], p < .data+12 -> a 4-byte load at p is inside 16 bytes */
    const char *data = "ldxdw %r6, [%r1]\nand %r6, 15\nlddw %r2, .data\nadd %r2, %r6\nlddw %r3, .data+13\n"
                       "jge %r2, %r3, +1\nldxw %r0, [%r2]\nmov %r0, 0\nexit";
    cr_assert_eq(verify(data, &o, 16, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* an offset range that leaves the region is not refined: p in [-64, 447] */
    const char *out = "ldxdw %r6, [%r1]\nand %r6, 511\nmov %r2, %r10\nadd %r2, -64\nadd %r2, %r6\n"
                      "mov %r3, %r10\nadd %r3, -16\njge %r2, %r3, +2\nstdw [%r2], 1\nmov %r0, 0\n"
                      "mov %r0, 0\nexit";
    cr_assert_eq(verify(out, &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_CHECK);
    vres_free(&r);
    /* equality is exact whatever the offsets: p == r10-8 proves the store */
    const char *eq = "ldxdw %r6, [%r1]\nlddw %r7, " MASK39 "\nand %r6, %r7\nsub %r6, %r7\n"
                     "mov %r2, %r10\nadd %r2, %r6\nmov %r3, %r10\nadd %r3, -8\njne %r2, %r3, +1\n"
                     "stdw [%r2], 1\nmov %r0, 0\nexit";
    cr_assert_eq(verify(eq, &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[10].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* signed and 32-bit compares of pointers never refine */
    const char *sgn = "ldxdw %r6, [%r1]\nand %r6, 63\nmov %r2, %r10\nadd %r2, -64\nadd %r2, %r6\n"
                      "mov %r3, %r10\nadd %r3, -16\njsge %r2, %r3, +2\nstdw [%r2], 1\nmov %r0, 0\n"
                      "mov %r0, 0\nexit";
    cr_assert_eq(verify(sgn, &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_CHECK);
    vres_free(&r);
    const char *j32 = "ldxdw %r6, [%r1]\nand %r6, 63\nmov %r2, %r10\nadd %r2, -64\nadd %r2, %r6\n"
                      "mov %r3, %r10\nadd %r3, -16\njge32 %r2, %r3, +2\nstdw [%r2], 1\nmov %r0, 0\n"
                      "mov %r0, 0\nexit";
    cr_assert_eq(verify(j32, &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_CHECK);
    vres_free(&r);
}

Test(sound, wrapped_pointer_store_is_caught_by_every_engine, .timeout = 60)
{
    char src[2048];
    uint8_t ctx[16];
    fc_vfy_opts o = {0};
    o.ctx_size = 16;
    const uint64_t r10 = FC_EMU_STACK_ADDR + FC_EMU_STACK_SIZE, target = FC_EMU_ENV_ADDR + 0x40;
    uint64_t x = target - r10 - (1ull << 32); /* negative: wraps below 0 */
    put64(ctx, x + 0x7fffffffffull);
    for (unsigned j = 0; j < 2; j++) {
        put64(ctx + 8, (x + 1) + (j ? 8 : 7) + 0x7fffffffffull); /* y = x + 1 */
        wrap_prog(src, sizeof src, "mov %r9, %r10\n", j ? "jlt" : "jle", j ? "jgt" : "jge",
                  "stdw [%r2], 0x41");
        /* jle/jge: not taken for p > q1 and p < q2 (both hold); jlt/jgt:
         * p >= q1 and p <= q2: hold as well */
        fc_emu_outcome oi = diff_run(src, &o, ctx, sizeof ctx, 0, FC_ERR_MEM_WRITE, 0);
        cr_assert_eq(oi.err_addr, r10 + x, "fault at 0x%llx", (unsigned long long)oi.err_addr);
    }
}

/* ---- hole 4: helper signatures ------------------------------------------------ */
/* spill r10-16 to r10-8, let helper H write 8 bytes at r10-8 (r1), reload, store */
static const char *spill_prog =
    "mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\n"
    "mov %r1, %r10\nadd %r1, -8\nmov %r2, %r10\nadd %r2, -24\nstdw [%r10-24], 0\nmov %r3, 8\n"
    "call %s\n"
    "ldxdw %r7, [%r10-8]\nstdw [%r7], 0x41\nmov %r0, 0\nexit";

Test(sound, a_profile_never_weakens_a_known_helper)
{
    static const uint8_t weak[][5] = {
        {FC_HARG_ANY, FC_HARG_PTR, FC_HARG_SCALAR, 0, 0},
        {FC_HARG_PTR, FC_HARG_PTR, FC_HARG_SCALAR, 0, 0},
        {FC_HARG_SCALAR, FC_HARG_SCALAR, FC_HARG_SCALAR, 0, 0},
    };
    static const uint8_t nargs[] = {3, 3, 3, 0, 1};
    char src[1024];
    snprintf(src, sizeof src, spill_prog, "2");
    for (unsigned v = 0; v < 5; v++) {
        fc_vfy_helper h = {0x02, nargs[v], {0}, "memcpy"};
        if (v < 3)
            memcpy(h.arg, weak[v], 5);
        fc_vfy_opts o = {0};
        o.helpers = &h;
        o.nhelpers = 1;
        vres r;
        if (verify(src, &o, 0, 0, &r) != 0) {
            dump(&r);
            cr_assert_fail("variant %u refused", v);
        }
        cr_assert_eq(r.info[mem_insn(&r, 3)].access, FC_ACC_CHECK, "variant %u: spilled pointer trusted", v);
        vres_free(&r);
    }
    /* the known signature's checks stay as well: r1 a number is an error */
    fc_vfy_helper h = {0x02, 3, {FC_HARG_ANY, FC_HARG_ANY, FC_HARG_ANY, 0, 0}, "memcpy"};
    fc_vfy_opts o = {0};
    o.helpers = &h;
    o.nhelpers = 1;
    vres r;
    cr_assert_eq(verify("mov %r1, 7\nmov %r2, %r10\nadd %r2, -8\nmov %r3, 8\ncall 2\nexit", &o, 0, 0, &r), -1);
    cr_assert(msg_has(&r, "argument 1 of helper 2 (memcpy) must be a pointer"));
    vres_free(&r);
}

Test(sound, helpers_that_may_write_forget_the_slots)
{
    /* {signature of 0x80, CHECK expected} */
    static const struct {
        uint8_t nargs, a1;
        int check;
    } v[] = {
        {1, FC_HARG_ANY, 1},        /* may hold a pointer the helper writes */
        {1, FC_HARG_OPT, 1},
        {1, FC_HARG_PTR_W, 1},
        {1, FC_HARG_PTR_W0, 1},
        {FC_HSIG_UNKNOWN, 0, 1},    /* unknown: every argument */
        {1, FC_HARG_PTR, 0},        /* declared read-only: trusted */
        {0, 0, 0},                  /* no arguments */
    };
    char src[1024];
    snprintf(src, sizeof src, spill_prog, "0x80");
    for (unsigned k = 0; k < sizeof v / sizeof v[0]; k++) {
        fc_vfy_helper h = {0x80, v[k].nargs, {v[k].a1, 0, 0, 0, 0}, "clear"};
        fc_vfy_opts o = {0};
        o.helpers = &h;
        o.nhelpers = 1;
        vres r;
        if (verify(src, &o, 0, 0, &r) != 0) {
            dump(&r);
            cr_assert_fail("variant %u refused", k);
        }
        cr_assert_eq(r.info[mem_insn(&r, 3)].access, v[k].check ? FC_ACC_CHECK : FC_ACC_PROVEN,
                     "variant %u (nargs %u kind %u)", k, v[k].nargs, v[k].a1);
        vres_free(&r);
    }
    /* a number may equal an address: an `any` argument holding a number
     * written by a helper forgets the frame too */
    fc_vfy_helper h = {0x80, 1, {FC_HARG_ANY, 0, 0, 0, 0}, "clear"};
    fc_vfy_opts o = {0};
    o.helpers = &h;
    o.nhelpers = 1;
    vres r;
    cr_assert_eq(verify("mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\nmov %r1, 12345\ncall 0x80\n"
                        "ldxdw %r7, [%r10-8]\nstdw [%r7], 1\nmov %r0, 0\nexit", &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[6].access, FC_ACC_CHECK);
    vres_free(&r);
    /* a callee that calls such a helper may write the caller's frame */
    cr_assert_eq(verify("mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\nmov %r1, 0\ncall local +4\n"
                        "ldxdw %r7, [%r10-8]\nstdw [%r7], 1\nmov %r0, 0\nexit\ncall 0x80\nmov %r0, 0\nexit",
                        &o, 0, 0, &r), 0);
    cr_assert_eq(r.info[6].access, FC_ACC_CHECK);
    vres_free(&r);
    /* known helpers that only read keep the frame: printf of a stack string */
    cr_assert_eq(verify("mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\nstdw [%r10-24], 0\n"
                        "mov %r1, %r10\nadd %r1, -24\ncall 1\nldxdw %r7, [%r10-8]\nstdw [%r7], 1\n"
                        "mov %r0, 0\nexit", NULL, 0, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* the coap helpers write their pdu */
    cr_assert_eq(verify("mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\nmov %r1, %r10\nadd %r1, -8\n"
                        "mov %r2, 0\ncall 0x40\nldxdw %r7, [%r10-8]\nstdw [%r7], 1\nmov %r0, 0\nexit",
                        NULL, 0, 0, &r), 0);
    cr_assert_eq(r.info[8].access, FC_ACC_CHECK);
    vres_free(&r);
}

Test(sound, overwritten_spill_is_caught_by_every_engine, .timeout = 60)
{
    /* the profile says memcpy only reads; the real one overwrites the
     * spilled pointer with 8 bytes from the context: a wild address */
    uint8_t ctx[16];
    char src[1024];
    fc_vfy_helper h[2] = {{0x02, 3, {FC_HARG_ANY, FC_HARG_PTR, FC_HARG_SCALAR, 0, 0}, "memcpy"},
                          {0x80, 2, {FC_HARG_ANY, FC_HARG_SCALAR, 0, 0, 0}, "clear"}};
    fc_vfy_opts o = {0};
    o.helpers = h;
    o.nhelpers = 2;
    o.ctx_size = 16;
    put64(ctx, FC_EMU_ENV_ADDR + 0x40);
    put64(ctx + 8, 0);
    snprintf(src, sizeof src, "%s",
             "mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\n"
             "mov %r2, %r1\nmov %r1, %r10\nadd %r1, -8\nmov %r3, 8\ncall 2\n"
             "ldxdw %r7, [%r10-8]\nstdw [%r7], 0x41\nmov %r0, 0\nexit");
    fc_emu_outcome oi = diff_run(src, &o, ctx, sizeof ctx, 0, FC_ERR_MEM_WRITE, 0);
    cr_assert_eq(oi.err_addr, FC_EMU_ENV_ADDR + 0x40);
    /* a helper of a declared signature writing through an `any` argument:
     * clear(r10-8, 8) puts 0x4141..41 in the spill */
    snprintf(src, sizeof src, "%s",
             "mov %r6, %r10\nadd %r6, -16\nstxdw [%r10-8], %r6\n"
             "mov %r1, %r10\nadd %r1, -8\nmov %r2, 8\ncall 0x80\n"
             "ldxdw %r7, [%r10-8]\nstdw [%r7], 0x41\nmov %r0, 0\nexit");
    oi = diff_run(src, &o, ctx, sizeof ctx, 0, FC_ERR_MEM_WRITE, 0);
    cr_assert_eq(oi.err_addr, 0x4141414141414141ull);
}

/* ---- hole 5: lddw of an absent section ------------------------------------------ */
Test(sound, lddw_of_an_absent_section_is_refused)
{
    static const char *name[] = {".rodata", ".data", ".bss"};
    char src[256];
    for (unsigned s = 0; s < 3; s++)
        for (unsigned off = 0; off < 3; off++) {
            vres r;
            snprintf(src, sizeof src, "lddw %%r1, %s+%u\nmov %%r0, 0\nexit", name[s], off * 4);
            cr_assert_eq(verify(src, NULL, 0, 0, &r), -1, "%s accepted", src);
            char want[96];
            snprintf(want, sizeof want, "lddw refers to %s, but the program has no %s section", name[s],
                     name[s]);
            cr_assert(msg_has(&r, want), "%s: no '%s'", src, want);
            vres_free(&r);
        }
    /* present sections: accepted, up to one past the end */
    vres r;
    cr_assert_eq(verify("lddw %r1, .data+16\nlddw %r2, .bss\nmov %r0, 0\nexit", NULL, 16, 8, &r), 0);
    vres_free(&r);
    cr_assert_eq(verify("lddw %r1, .bss+9\nmov %r0, 0\nexit", NULL, 0, 8, &r), -1);
    cr_assert(msg_has(&r, "past its end"));
    vres_free(&r);
}

Test(sound, loader_refuses_a_container_naming_an_absent_section)
{
    /* a valid container whose lddw names .bss, then the bytecode edited to
     * name .data (absent) and the hash recomputed */
    fc_insn prog[4] = {
        fc_insn_make(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, 1, FC_LDDW_SECTION, 0, FC_SECT_BSS),
        fc_insn_make(0, 0, 0, 0, 0),
        fc_insn_make(FC_CLS_ALU64 | FC_ALU_MOV | FC_SRC_K, 0, 0, 0, 0),
        fc_insn_make(FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0),
    };
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = prog;
    p.ninsns = 4;
    p.bss_len = 8;
    fc_fcx_input in;
    memset(&in, 0, sizeof in);
    in.prog = &p;
    uint8_t *img;
    size_t len;
    fc_diag items[8];
    fc_diags d = {items, 8, 0, 0, 0};
    cr_assert_eq(fc_fcx_write_alloc(&in, &img, &len, &d), FC_FCX_OK);
    fc_lresult res;
    cr_assert_eq(fc_fcx_validate(img, (uint32_t)len, &res), FC_OK);
    /* find the lddw in the image: op 0x18, regs 0x21, imm 3 */
    size_t at = 0;
    int found = 0;
    for (size_t k = 0; k + 8 <= len; k += 8)
        if (img[k] == 0x18 && img[k + 1] == 0x21 && img[k + 4] == FC_SECT_BSS && !img[k + 5]) {
            at = k;
            found++;
        }
    cr_assert_eq(found, 1);
    for (unsigned s = FC_SECT_RODATA; s <= FC_SECT_DATA; s++) {
        img[at + 4] = (uint8_t)s;
        cr_assert_eq(fc_fcx_rehash(img, len), 0);
        cr_assert_eq(fc_fcx_validate(img, (uint32_t)len, &res), FC_LERR_BYTECODE, "section %u accepted", s);
    }
    free(img);
    /* the writer refuses such a program itself */
    prog[0].imm = FC_SECT_DATA;
    d.n = d.nerrors = 0;
    cr_assert_eq(fc_fcx_write_alloc(&in, &img, &len, &d), FC_FCX_E_INPUT);
}

/* ---- pointer compares end to end --------------------------------------------------
 * Random programs: two pointers of one kind (stack, context, .data, .bss)
 * with offsets from masked context words, a 64-bit compare of the two, and
 * accesses through them on both edges. Each accepted program runs in the
 * interpreter (which checks every access) with the regions placed anywhere:
 * near 0, near 2^32, ending at 2^64, at random. A run that faults at an
 * access the verifier called PROVEN is a wrong proof. */
#define PC_RUNS 12000
#define PC_PLACEMENTS 6

static uint64_t prs = 0x853c49e6748fea9bull;
static uint64_t prnd(void)
{
    prs ^= prs << 13;
    prs ^= prs >> 7;
    prs ^= prs << 17;
    return prs;
}

static const uint64_t pc_masks[] = {15, 63, 511, 4095, 0xffffffffull, 0x7fffffffffull};

/* r<reg> = (ctx word & mask) [- mask] + add */
static size_t pc_offset(char *b, size_t n, unsigned reg, unsigned word, unsigned mi, int sub, int add)
{
    return (size_t)snprintf(b, n, "ldxdw %%r%u, [%%r1+%u]\nlddw %%r7, 0x%llx\nand %%r%u, %%r7\n%s%sadd %%r%u, %d\n",
                            reg, word * 8, (unsigned long long)pc_masks[mi], reg, sub ? "sub %r" : "",
                            sub ? (reg == 6 ? "6, %r7\n" : "8, %r7\n") : "", reg, add);
}

static const char *pc_base(unsigned kind)
{
    switch (kind) {
    case 0: return "mov %r9, %r10\n";
    case 1: return "mov %r9, %r1\n";
    case 2: return "lddw %r9, .data\n";
    default: return "lddw %r9, .bss\n";
    }
}

static size_t pc_access(char *b, size_t n, unsigned reg)
{
    static const char *sz[] = {"b", "h", "w", "dw"};
    int off = (int)(prnd() % 24) - 12;
    unsigned s = (unsigned)(prnd() % 4);
    if (prnd() % 2)
        return (size_t)snprintf(b, n, "ldx%s %%r0, [%%r%u%+d]\n", sz[s], reg, off);
    return (size_t)snprintf(b, n, "st%s [%%r%u%+d], 7\n", sz[s], reg, off);
}

Test(sound, pointer_compare_programs_never_prove_a_faulting_access, .timeout = 120)
{
    static const char *jops[] = {"jlt", "jle", "jgt", "jge", "jeq", "jne", "jslt", "jsge"};
    static uint8_t stackbuf[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
    static uint8_t ctx[16], data[64], bss[64];
    uint64_t accepted = 0, runs = 0, proven_exec = 0, faults = 0;
    for (int t = 0; t < PC_RUNS; t++) {
        char src[2048];
        size_t u = 0;
        unsigned kind = (unsigned)(prnd() % 4), m1 = (unsigned)(prnd() % 6), m2 = (unsigned)(prnd() % 6);
        int lo_off = kind == 0 ? -(int)(prnd() % 600) : (int)(prnd() % 80) - 8;
        int sub6 = (int)(prnd() % 2);
        u += pc_offset(src + u, sizeof src - u, 6, 0, m1, sub6, lo_off);
        if (prnd() % 3) {
            int sub = (int)(prnd() % 2);
            int add = kind == 0 ? -(int)(prnd() % 600) : (int)(prnd() % 80) - 8;
            u += pc_offset(src + u, sizeof src - u, 8, 1, m2, sub, add);
        }
        else
            u += (size_t)snprintf(src + u, sizeof src - u, "mov %%r8, %d\n",
                                  kind == 0 ? -(int)(prnd() % 520) : (int)(prnd() % 72));
        u += (size_t)snprintf(src + u, sizeof src - u, "%s", pc_base(kind));
        u += (size_t)snprintf(src + u, sizeof src - u, "mov %%r2, %%r9\nadd %%r2, %%r6\nmov %%r3, %%r9\nadd %%r3, %%r8\n");
        const char *j = jops[prnd() % 8];
        int swap = (int)(prnd() % 2);
        u += (size_t)snprintf(src + u, sizeof src - u, "%s %%r%u, %%r%u, L1\n", j, swap ? 3 : 2, swap ? 2 : 3);
        u += pc_access(src + u, sizeof src - u, prnd() % 2 ? 2 : 3);
        u += (size_t)snprintf(src + u, sizeof src - u, "mov %%r0, 0\nexit\nL1:\n");
        u += pc_access(src + u, sizeof src - u, prnd() % 2 ? 2 : 3);
        u += (size_t)snprintf(src + u, sizeof src - u, "mov %%r0, 1\nexit\n");
        cr_assert_lt(u, sizeof src);

        fc_vfy_opts o = {0};
        o.ctx_size = 16;
        vres r;
        fc_asm_error e;
        size_t n;
        memset(&r, 0, sizeof r);
        if (fc_asm(src, strlen(src), &r.p.insns, &n, &e))
            cr_assert_fail("assembler: line %u: %s\n%s", e.line, e.msg, src);
        r.p.ninsns = (uint32_t)n;
        r.p.data = data;
        r.p.data_len = sizeof data;
        r.p.bss_len = sizeof bss;
        r.d = (fc_diags){r.items, 32, 0, 0, 0};
        size_t wsz = fc_vfy_workspace_size(&r.p);
        void *ws = malloc(wsz);
        r.info = calloc(n, sizeof *r.info);
        cr_assert(ws && r.info);
        r.rc = fc_vfy_run(&r.p, &o, ws, wsz, r.info, &r.st, &r.d);
        free(ws);
        if (r.rc != 0) {
            vres_free(&r);
            continue;
        }
        accepted++;
        for (int pl = 0; pl < PC_PLACEMENTS; pl++) {
            /* placements: the four regions in disjoint 1 MiB windows of one
             * area, the area near 0, near 2^32, at the top of 2^64 or random */
            uint64_t area;
            switch (pl % 4) {
            case 0: area = 0; break;
            case 1: area = 0x100000000ull - 0x400000ull; break;
            case 2: area = 0 - 0x400000ull; break;
            default: area = prnd() & ~0xfffffull; if (area > (0 - 0x800000ull)) area -= 0x800000ull; break;
            }
            uint64_t at[4];
            for (int k = 0; k < 4; k++)
                at[k] = area + (uint64_t)k * 0x100000ull;
            /* regions touch either end of their window: at its start, or ending at its end */
            uint64_t stack_addr = prnd() % 2 ? at[0] : at[0] + 0x100000ull - sizeof stackbuf - (pl == 2 ? 1 : 0);
            uint64_t ctx_addr = prnd() % 2 ? at[1] : at[1] + 0x100000ull - sizeof ctx;
            uint64_t data_addr = prnd() % 2 ? at[2] : at[2] + 0x100000ull - sizeof data;
            uint64_t bss_addr = prnd() % 2 ? at[3] : at[3] + 0x100000ull - sizeof bss;
            if (pl == 2 && prnd() % 2) { /* one region ends exactly at 2^64 */
                uint64_t *which[3] = {&ctx_addr, &data_addr, &bss_addr};
                unsigned w = (unsigned)(prnd() % 3);
                uint64_t len = w == 0 ? sizeof ctx : 64;
                /* swap it into the last window */
                uint64_t top = 0 - len;
                if (stack_addr >= at[3])
                    stack_addr = at[0];
                for (int k = 0; k < 3; k++)
                    if (*which[k] >= at[3] && k != (int)w)
                        *which[k] = at[(k + 1)];
                *which[w] = top;
            }
            /* context words: values that put p near the regions' edges or wrap it */
            uint64_t regbase = kind == 0 ? stack_addr + sizeof stackbuf : kind == 1 ? ctx_addr
                               : kind == 2 ? data_addr : bss_addr;
            for (int w = 0; w < 2; w++) {
                uint64_t mk = pc_masks[w ? m2 : m1], v;
                switch (prnd() % 5) {
                case 0: v = prnd(); break;
                case 1: v = mk - (prnd() % 64); break;
                case 2: v = prnd() % 64; break;
                case 3: v = mk - ((regbase + prnd() % 4096) & mk); break; /* base + off wraps below 0 */
                default: v = (0 - regbase - prnd() % 64) & mk; break;     /* ... or past 2^64 */
                }
                put64(ctx + 8 * w, v);
            }
            fc_vm vm;
            cr_assert_eq(fc_vm_init(&vm, r.p.insns, r.p.ninsns, stackbuf, sizeof stackbuf), FC_OK);
            vm.stack_addr = stack_addr;
            cr_assert_eq(fc_vm_add_region(&vm, ctx_addr, ctx, sizeof ctx, FC_PERM_RW, FC_REGION_CTX), FC_OK);
            cr_assert_eq(fc_vm_add_region(&vm, data_addr, data, sizeof data, FC_PERM_RW, FC_REGION_DATA), FC_OK);
            cr_assert_eq(fc_vm_add_region(&vm, bss_addr, bss, sizeof bss, FC_PERM_RW, FC_REGION_BSS), FC_OK);
            uint64_t r0 = 0;
            int err = fc_vm_run(&vm, ctx_addr, sizeof ctx, &r0);
            runs++;
            if (err == FC_ERR_MEM_READ || err == FC_ERR_MEM_WRITE) {
                faults++;
                if (r.info[vm.err_pc].access == FC_ACC_PROVEN)
                    cr_assert_fail("insn %u was proven but faults at 0x%llx (stack 0x%llx ctx 0x%llx data 0x%llx "
                                   "bss 0x%llx, ctx words %llx %llx):\n%s",
                                   vm.err_pc, (unsigned long long)vm.err_addr, (unsigned long long)stack_addr,
                                   (unsigned long long)ctx_addr, (unsigned long long)data_addr,
                                   (unsigned long long)bss_addr, (unsigned long long)ctx[0],
                                   (unsigned long long)ctx[8], src);
            }
        }
        /* proven accesses after the compare (the two edges' accesses) */
        int after = 0;
        for (uint32_t i = 0; i < r.p.ninsns; i++) {
            unsigned c = FC_CLASS(r.p.insns[i].op);
            if ((c == FC_CLS_JMP) && FC_OPCODE_OP(r.p.insns[i].op) != FC_JMP_EXIT)
                after = 1;
            else if (after && r.info[i].access == FC_ACC_PROVEN)
                proven_exec++;
        }
        vres_free(&r);
    }
    fprintf(stderr, "sound: pointer compares: %d programs, %llu accepted, %llu runs, %llu faults (none at a "
            "proven access), %llu accesses after the compare proven\n", PC_RUNS, (unsigned long long)accepted,
            (unsigned long long)runs, (unsigned long long)faults, (unsigned long long)proven_exec);
    cr_assert_gt(accepted, PC_RUNS / 4);
    cr_assert_gt(proven_exec, 100, "the generator never made the verifier prove an access after a compare");
}
