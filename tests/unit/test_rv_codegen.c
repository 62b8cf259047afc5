/*
 * The RV32 code generator's own properties (the behaviour of its code is
 * checked against the interpreter by test_rv_emu*.c, test_rv_cprog.c and the
 * conformance steps): the measuring protocol and determinism, RVC on and
 * off, branches beyond the reach of the short forms, several entry points,
 * programs it must refuse, and a listing in which every instruction the
 * generator makes is decoded.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_asm.h"
#include "rv32/rv_enc.h"
#include "fc_emu.h"

typedef struct built {
    fc_bk_out o;
    uint32_t entry_off[4];
    int rc;
} built;

static fc_prog prog_of(fc_insn *insns, size_t n)
{
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = insns;
    p.ninsns = (uint32_t)n;
    return p;
}

static fc_insn *assemble(const char *src, size_t *n)
{
    fc_insn *out = NULL;
    fc_asm_error e;
    cr_assert_eq(fc_asm(src, strlen(src), &out, n, &e), 0, "line %u: %s", e.line, e.msg);
    return out;
}

/* measure with NULL buffers, then compile into buffers of exactly that size
 * (r->o.entry_off points into *r: a built is not copied) */
static void build(built *r, const fc_backend *b, const fc_prog *p, const fc_bk_opts *opts)
{
    size_t wl = b->work_size(p);
    void *w = malloc(wl);
    memset(r, 0, sizeof *r);
    cr_assert(w);
    r->o.entry_off = r->entry_off;
    r->rc = b->compile(p, NULL, opts, w, wl, &r->o, NULL);
    if (r->rc == FC_BK_ENOSPACE) {
        r->o.code = malloc(r->o.code_len);
        r->o.code_cap = r->o.code_len;
        r->o.relocs = malloc(sizeof *r->o.relocs * (r->o.nrelocs + 1));
        r->o.relocs_cap = r->o.nrelocs;
        r->o.pcmap = malloc(sizeof *r->o.pcmap * (r->o.npcmap + 1));
        r->o.pcmap_cap = r->o.npcmap;
        r->rc = b->compile(p, NULL, opts, w, wl, &r->o, NULL);
    }
    free(w);
}

static void unbuild(built *r)
{
    free(r->o.code);
    free(r->o.relocs);
    free(r->o.pcmap);
}

static const char *const sample =
    "mov %r6, %r1\nmov %r0, 0\nmov %r3, 0\nl:\nldxb %r4, [%r6]\nadd %r0, %r4\nlsh %r0, 3\n"
    "add %r6, 1\nadd %r3, 1\njlt %r3, 8, l\nlddw %r5, 0x123456789\ndiv %r0, %r5\n"
    "call 1\nexit";

Test(rv_codegen, measure_then_compile_deterministic)
{
    size_t n;
    fc_insn *ins = assemble(sample, &n);
    fc_prog p = prog_of(ins, n);
    const fc_backend *bks[2] = {&fc_backend_rv32imac, &fc_backend_rv32ima};
    for (unsigned k = 0; k < 2; k++) {
        built a, b;
        build(&a, bks[k], &p, NULL);
        build(&b, bks[k], &p, NULL);
        cr_assert_eq(a.rc, FC_BK_OK, "%s: %d", bks[k]->name, a.rc);
        cr_assert_eq(b.rc, FC_BK_OK);
        cr_assert_eq(a.o.code_len, b.o.code_len);
        cr_assert_eq(memcmp(a.o.code, b.o.code, a.o.code_len), 0, "output not deterministic");
        cr_assert_eq(a.o.nrelocs, 3, "helper, udiv64, memcheck: %u relocations", a.o.nrelocs);
        cr_assert_eq(rv_validate(a.o.code, a.o.code_len), a.o.code_len);
        /* too small a code buffer: ENOSPACE and the size needed */
        /* compile needs exactly the workspace work_size states */
        size_t wl = bks[k]->work_size(&p);
        void *w = malloc(wl);
        fc_bk_out small = a.o;
        small.code_cap = a.o.code_len - 1;
        cr_assert_eq(bks[k]->compile(&p, NULL, NULL, w, wl, &small, NULL), FC_BK_ENOSPACE);
        cr_assert_eq(small.code_len, a.o.code_len);
        cr_assert_eq(bks[k]->compile(&p, NULL, NULL, w, wl - 1, &small, NULL), FC_BK_EWORK);
        free(w);
        unbuild(&a);
        unbuild(&b);
    }
    free(ins);
}

/* rv32ima: only 32-bit instructions; rv32imac: some 16-bit ones, smaller */
Test(rv_codegen, rvc_on_and_off)
{
    size_t n;
    fc_insn *ins = assemble(sample, &n);
    fc_prog p = prog_of(ins, n);
    built c, i;
    build(&c, &fc_backend_rv32imac, &p, NULL);
    build(&i, &fc_backend_rv32ima, &p, NULL);
    unsigned short16 = 0, total = 0;
    cr_assert_eq(c.rc, FC_BK_OK);
    cr_assert_eq(i.rc, FC_BK_OK);
    for (uint32_t off = 0; off < i.o.code_len;) {
        uint32_t e;
        unsigned sz = rv_get(i.o.code + off, i.o.code_len - off, &e);
        cr_assert_eq(sz, 4, "rv32ima: a %u-byte instruction at 0x%x", sz, off);
        off += sz;
    }
    for (uint32_t off = 0; off < c.o.code_len;) {
        uint32_t e;
        unsigned sz = rv_get(c.o.code + off, c.o.code_len - off, &e);
        cr_assert(sz == 2 || sz == 4);
        short16 += sz == 2;
        total++;
        off += sz;
    }
    cr_assert_gt(short16, total / 3, "only %u of %u instructions compressed", short16, total);
    cr_assert_lt(c.o.code_len, i.o.code_len * 4 / 5, "%u vs %u bytes", c.o.code_len, i.o.code_len);
    unbuild(&c);
    unbuild(&i);
    free(ins);
}

/* programs whose branches span more than C.J / C.BEQZ / B<cond> reach */
static char *long_program(unsigned body)
{
    size_t cap = 200 + (size_t)body * 24, len = 0;
    char *s = malloc(cap);
    cr_assert(s);
    len += (size_t)snprintf(s + len, cap - len,
                            "mov %%r0, 0\nmov %%r2, 3\nlddw %%r7, 0x7fffffffffffffff\n"
                            "jeq %%r1, 0, skip\nl:\n");
    for (unsigned k = 0; k < body; k++)
        len += (size_t)snprintf(s + len, cap - len, "add %%r0, %%r%u\n", 1 + k % 2);
    len += (size_t)snprintf(s + len, cap - len,
                            "sub %%r2, 1\njsgt %%r2, 0, l\njlt %%r7, %%r0, l\nskip:\n"
                            "jne %%r0, %%r0, skip\nexit");
    return s;
}

Test(rv_codegen, long_branches_run_right)
{
    char err[200];
    fc_emu *e = fc_emu_open_target(FC_TARGET_RV32IMAC, err, sizeof err);
    static const uint8_t ctx[8] = {1};
    cr_assert(e, "%s", err);
    for (unsigned body = 100; body <= 1700; body += 800) {
        char *src = long_program(body);
        size_t n;
        fc_insn *ins = assemble(src, &n);
        const fc_backend *bks[2] = {&fc_backend_rv32imac, &fc_backend_rv32ima};
        for (unsigned k = 0; k < 2; k++) {
            fc_emu_case c;
            fc_emu_outcome oi, on;
            char msg[300];
            memset(&c, 0, sizeof c);
            c.insns = ins;
            c.n = (uint32_t)n;
            c.ctx = ctx;
            c.ctx_len = sizeof ctx;
            c.backend = bks[k];
            c.budget = 1000;
            cr_assert_eq(fc_emu_diff(e, &c, &oi, &on, msg, sizeof msg), 0, "%s body %u: %s",
                         bks[k]->name, body, msg);
            cr_assert_eq(on.err, FC_OK, "%s body %u: %s", bks[k]->name, body, fc_err_str(on.err));
            /* three passes; r1 (the context address) and r2 (3, 2, 1) alternate */
            uint64_t want = 3ull * (body / 2) * 0x20100000ull + (body / 2) * 6ull;
            cr_assert_eq(on.r0, want, "%s body %u: r0 0x%llx, want 0x%llx", bks[k]->name, body,
                         (unsigned long long)on.r0, (unsigned long long)want);
            if (body > 1000)
                cr_assert_gt(on.code_len, 8192u, "the long case is not long (%u bytes)",
                             on.code_len);
            /* no context: r1 = 0, the long forward jump is taken */
            c.ctx = NULL;
            c.ctx_len = 0;
            cr_assert_eq(fc_emu_diff(e, &c, &oi, &on, msg, sizeof msg), 0, "%s body %u: %s",
                         bks[k]->name, body, msg);
            cr_assert_eq(on.err, FC_OK);
            cr_assert_eq(on.r0, 0, "%s body %u: r0 0x%llx", bks[k]->name, body,
                         (unsigned long long)on.r0);
        }
        free(ins);
        free(src);
    }
    fc_emu_close(e);
}

/* two entry points into one image: each runs from its own slot */
Test(rv_codegen, several_entries)
{
    size_t n;
    fc_insn *ins = assemble("mov %r0, 7\nexit\nmov %r0, 9\nexit", &n);
    fc_prog p = prog_of(ins, n);
    uint32_t ent[2] = {0, 2}, sym[FC_SYM__COUNT];
    fc_bk_opts opts;
    char err[200];
    memset(&opts, 0, sizeof opts);
    opts.entries = ent;
    opts.nentries = 2;
    built b;
    build(&b, &fc_backend_rv32imac, &p, &opts);
    cr_assert_eq(b.rc, FC_BK_OK);
    cr_assert_neq(b.entry_off[0], b.entry_off[1]);
    fc_emu *e = fc_emu_open_target(FC_TARGET_RV32IMAC, err, sizeof err);
    cr_assert(e, "%s", err);
    fc_emu_symbols(e, sym);
    cr_assert_eq(fc_emu_relocate(b.o.code, b.o.code_len, FC_EMU_CODE_ADDR, b.o.relocs, b.o.nrelocs,
                                 sym, err, sizeof err), 0, "%s", err);
    cr_assert_eq(fc_emu_place(e, FC_EMU_CODE_ADDR, b.o.code, b.o.code_len), 0);
    for (unsigned k = 0; k < 2; k++) {
        fc_vm vm;
        uint64_t r0 = 0;
        cr_assert_eq(fc_emu_vm(e, &vm, ins, (uint32_t)n), FC_OK);
        int rc = fc_emu_run(e, FC_EMU_CODE_ADDR + b.entry_off[k], &vm, 0, 0, &r0, NULL);
        cr_assert_eq(rc, FC_OK, "entry %u: %d", k, rc);
        cr_assert_eq(r0, k ? 9u : 7u);
    }
    fc_emu_close(e);
    unbuild(&b);
    free(ins);
}

/* writes to r10 are malformed (fc_insn_check): no longer refused by the
 * backend itself but compiled like every malformed instruction, to a stop
 * with FC_ERR_BAD_INSN at it, as the interpreter does
 * (test_t2_emu.c writes_to_r10_are_bad_instructions runs them on RV32) */

/* the listing hook decodes every instruction the generator makes */
static unsigned undecoded;
static int sink(void *ctx, const char *t, size_t n)
{
    (void)ctx;
    if ((n > 7 && strstr(t, ".hword")) || strstr(t, ".word "))
        undecoded++;
    return 0;
}

Test(rv_codegen, listing_decodes_everything)
{
    static const char *const progs[] = {
        sample,
        "lock add [%r1], %r2\nlock fetch xor32 [%r1+1], %r3\nlock cmpxchg [%r1], %r2\n"
        "lock cmpxchg32 [%r1], %r2\nlock xchg32 [%r1], %r4\nexit",
        "mov %r2, 5\ncall %r2\ncall local f\nexit\nf:\nbe64 %r1\nbswap16 %r2\narsh %r1, %r2\n"
        "rsh %r1, %r3\nlsh %r1, 40\nsdiv %r1, %r2\nsmod32 %r1, 3\nneg %r1\nmul %r1, -3\nexit",
        "lddw %r1, .rodata+4\nldxsb %r0, [%r1]\nldxsh %r2, [%r1+2]\nldxsw %r3, [%r10-8]\n"
        "stdw [%r10-8], -1\nsth [%r1], 0x1234\njsle %r0, %r2, +1\njset32 %r0, 0x80000000, +0\nexit",
    };
    for (unsigned k = 0; k < sizeof progs / sizeof progs[0]; k++)
        for (unsigned b = 0; b < 2; b++) {
            const fc_backend *bk = b ? &fc_backend_rv32ima : &fc_backend_rv32imac;
            size_t n;
            fc_insn *ins = assemble(progs[k], &n);
            fc_prog p = prog_of(ins, n);
            built r;
            build(&r, bk, &p, NULL);
            cr_assert_eq(r.rc, FC_BK_OK, "%s: program %u: %d", bk->name, k, r.rc);
            undecoded = 0;
            cr_assert_eq(fc_backend_listing(bk, &p, &r.o, sink, NULL), 0);
            cr_assert_eq(undecoded, 0, "%s: program %u: %u lines not decoded", bk->name, k,
                         undecoded);
            unbuild(&r);
            free(ins);
        }
}
