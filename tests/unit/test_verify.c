/*
 * Unit tests: the verifier (compiler/fc_verify.c) and its abstract domain
 * (compiler/fc_analysis.c).
 *
 *   - one test per check: the message and the instruction it names;
 *   - the facts given to the backends (access classes, region hints, stats,
 *     upper-half facts, backward jumps, reachability);
 *   - the domain against concrete arithmetic: fc_alu_eval against the
 *     reference interpreter (fc_vm), then every ALU transfer and branch
 *     refinement against fc_alu_eval on sampled operands;
 *   - a property test: random programs that pass the verifier are executed
 *     concretely; at every executed instruction each register's value must
 *     lie in the state the analysis claimed, no unwritten register may be
 *     read, and no access classified PROVEN may leave its region.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_analysis.h"
#include "fc_asm.h"
#include "fc_verify.h"
#include "fc_vm.h"

/* ---- harness -------------------------------------------------------------- */
typedef struct vres {
    int rc;
    fc_diag items[64];
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

static int verify_prog(const fc_prog *p, const fc_vfy_opts *o, vres *r)
{
    r->d = (fc_diags){r->items, 64, 0, 0, 0};
    size_t wsz = fc_vfy_workspace_size(p);
    void *ws = malloc(wsz);
    r->info = calloc(p->ninsns ? p->ninsns : 1, sizeof *r->info);
    cr_assert(ws && r->info);
    r->rc = fc_vfy_run(p, o, ws, wsz, r->info, &r->st, &r->d);
    free(ws);
    return r->rc;
}

/* Assemble src and verify it (a program with an 8-byte .rodata when it
 * names .rodata: lddw of an absent section is an error of its own). */
static int verify_src(const char *src, const fc_vfy_opts *o, vres *r)
{
    static uint8_t ro8[8];
    fc_asm_error e;
    size_t n;
    memset(r, 0, sizeof *r);
    if (fc_asm(src, strlen(src), &r->p.insns, &n, &e))
        cr_assert_fail("assembler: line %u: %s\nin:\n%s", e.line, e.msg, src);
    r->p.ninsns = (uint32_t)n;
    if (strstr(src, ".rodata")) {
        r->p.rodata = ro8;
        r->p.rodata_len = sizeof ro8;
    }
    return verify_prog(&r->p, o, r);
}

static const fc_diag *find_msg(const vres *r, int sev, const char *sub)
{
    for (uint32_t k = 0; k < r->d.n; k++)
        if (r->items[k].severity == sev && strstr(r->items[k].msg, sub))
            return &r->items[k];
    return NULL;
}

static void dump(const vres *r)
{
    for (uint32_t k = 0; k < r->d.n; k++)
        fprintf(stderr, "  [%d] insn %d: %s\n", r->items[k].severity, (int)r->items[k].insn,
                r->items[k].msg);
}

/* ---- every check, with the instruction it names ----------------------------- */
static const struct {
    const char *src;
    const char *msg;
    int insn;         /* -2: don't care */
    uint32_t ctx_size;
} bad[] = {
    {"mov %r0, 0\n.insn 0x00000000000000ff\nexit", "unknown opcode", 1, 0},
    {"mov %r0, 0\n.insn 0x000000070000100f\nexit", "reserved field 'imm'", 1, 0},
    {"mov %r0, 0\n.insn 0x0000000000000020\nexit", "legacy packet access", 1, 0},
    {"mov %r0, 0\n.insn 0x0000000000000050\nexit", "legacy packet access", 1, 0},
    {"mov %r0, 0\nexit\n.insn 0x0000000000000018", "lddw without a valid second slot", 2, 0},
    {"mov %r0, 0\nja +1\nexit", "jump out of range (target 3", 1, 0},
    {"mov %r0, 0\njeq %r0, 0, -3\nexit", "jump out of range (target -1", 1, 0},
    {"mov %r0, 0\nja +1\nlddw %r1, 5\nexit", "jump into the middle of an lddw (target 3)", 1, 0},
    {"mov %r0, 0\ncall local +1\nexit\nja -2\nexit", "jump from function", 3, 0},
    {"mov %r0, 0\ncall local +9\nexit", "call target 11 is out of range", 1, 0},
    {"mov %r0, 0\ncall local +2\nexit\nlddw %r0, 7\nexit", "call into the middle of an lddw", 1, 0},
    {"mov %r0, 0", "falls off the end of the program", 0, 0},
    {"mov %r0, 0\ncall local +1\nexit\nmov %r0, 1\ncall local -2\nmov %r0, 2\nexit",
     "recursion is not allowed", 4, 0},
    {"mov %r0, 0\ncall local +1\nexit\nmov %r0, 1\njeq %r0, 1, +1\nexit\nmov %r0, 3",
     "falls off the end of the program", 6, 0},
    {"L: ja L", "no exit: the program never reaches an exit instruction", 0, 0},
    {"mov %r0, 1\nadd %r0, %r3\nexit", "r3 read before it is written", 1, 0},
    /* r0 is 0 at the entry (a void entry function is fine), not in a callee */
    {"mov %r0, 0\ncall local +1\nexit\nexit", "r0 read before it is written", 3, 0},
    {"mov %r0, 0\ncall local +1\nexit\njeq %r2, 0, +1\nmov %r0, 1\nexit",
     "r0 read before it is written", 5, 0},
    {"mov %r1, 1\ncall local +2\nmov %r0, %r1\nexit\nmov %r0, 2\nexit", "r1 read before it is written", 2, 0},
    {"mov %r6, 1\ncall local +1\nexit\nmov %r0, %r6\nexit", "r6 read before it is written", 3, 0},
    {"mov %r10, 1\nmov %r0, 0\nexit", "write to r10", 0, 0},
    {"add32 %r10, 1\nmov %r0, 0\nexit", "write to r10", 0, 0},
    {"mov %r0, 0\nstdw [%r10-520], 1\nexit", "stack access out of bounds: offset -520", 1, 0},
    {"mov %r0, 0\nstdw [%r10-513], 1\nexit", "stack access out of bounds: offset -513", 1, 0},
    {"ldxw %r0, [%r10-2]\nexit", "stack access out of bounds: offset -2, 4 bytes", 0, 0},
    {"mov %r2, %r10\nadd %r2, 8\nldxb %r0, [%r2-4]\nexit", "stack access out of bounds: offset 4", 2, 0},
    {"ldxw %r0, [%r1-8]\nexit", "context access at negative offset -8", 0, 0},
    {"mov %r0, 0\ncall 0x99\nexit", "unknown helper 153", 1, 0},
    {"mov %r0, 1\ndiv %r0, 0\nexit", "division by zero (immediate divisor 0)", 1, 0},
    {"mov %r0, 1\nmod %r0, 0\nexit", "modulo by zero (immediate divisor 0)", 1, 0},
    {"mov32 %r0, 1\nsmod32 %r0, 0\nexit", "modulo by zero", 1, 0},
    {"mov %r0, 1\nlsh32 %r0, 32\nexit", "shift amount 32 out of range for a 32-bit shift", 1, 0},
    {"mov %r0, 1\narsh %r0, 64\nexit", "shift amount 64 out of range for a 64-bit shift", 1, 0},
    {"mov %r0, 1\nrsh %r0, -1\nexit", "shift amount -1 out of range", 1, 0},
    {"mov %r1, %r10\nadd %r1, -8\nmov %r2, %r1\ncall 2\nexit",
     "r3 read before it is written (argument 3 of helper 2 (memcpy))", 3, 0},
    {"mov %r1, 7\nmov %r2, %r10\nadd %r2, -8\nmov %r3, 8\ncall 2\nexit",
     "argument 1 of helper 2 (memcpy) must be a pointer, but r1 is a number", 4, 0},
    {"mov %r1, %r10\nadd %r1, -8\nmov %r2, %r1\nmov %r3, %r1\ncall 2\nexit",
     "argument 3 of helper 2 (memcpy) must be a number, but r3 is a pointer to the stack", 4, 0},
    {"lddw %r1, .rodata\nmov %r2, %r10\nadd %r2, -8\nmov %r3, 0\ncall 2\nexit",
     "writes through argument 1, but r1 points to read-only data", 5, 0},
    {"ldxdw %r2, [%r1]\ncall %r2\nexit", "call through r2 needs a known helper number", 1, 0},
    {"lddw %r1, .rodata\nstb [%r1], 1\nmov %r0, 0\nexit", "write to read-only data", 2, 0},
    {"lddw %r1, .bss+4\nmov %r0, 0\nexit", "lddw refers to .bss, but the program has no .bss section", 0, 0},
};

Test(verify, each_check_reports_its_message_and_insn)
{
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        vres r;
        fc_vfy_opts o = {0};
        o.ctx_size = bad[k].ctx_size;
        int rc = verify_src(bad[k].src, &o, &r);
        const fc_diag *g = find_msg(&r, FC_SEV_ERROR, bad[k].msg);
        if (rc != -1 || !g || (bad[k].insn != -2 && g->insn != bad[k].insn)) {
            dump(&r);
            cr_assert_fail("case %zu: expected error '%s' at insn %d (rc %d)\n%s", k, bad[k].msg,
                           bad[k].insn, rc, bad[k].src);
        }
        vres_free(&r);
    }
}

static const char *good[] = {
    "mov %r0, 0\nexit",
    /* a void entry function: r0 is 0 at the entry in every engine */
    "exit",
    "jeq %r2, 0, +1\nmov %r0, 1\nexit",
    /* a loop that needs widening: the counter never provably stops */
    "mov %r0, 0\nmov %r2, 0\nL: add %r2, 1\nadd %r0, %r2\njne %r2, 0, L\nexit",
    /* nested loops */
    "mov %r0, 0\nmov %r2, 0\nA: mov %r3, 0\nB: add %r0, %r3\nadd %r3, 1\njlt %r3, 10, B\nadd %r2, 1\njlt %r2, 10, A\nexit",
    /* locals through a callee; callee reads the caller's frame */
    "stdw [%r10-8], 5\nmov %r1, %r10\nadd %r1, -8\ncall local +1\nexit\nldxdw %r0, [%r1]\nexit",
    /* every helper argument kind satisfied */
    "mov %r1, %r10\nadd %r1, -16\nmov %r2, %r10\nadd %r2, -8\nstdw [%r10-8], 1\nmov %r3, 8\ncall 2\nmov %r0, 0\nexit",
    /* callx with a known number */
    "mov %r2, 0x20\ncall %r2\nexit",
    /* unreachable code is only a warning */
    "mov %r0, 0\nexit\nmov %r0, 1\nexit",
    /* r1..r5 survive a helper call (femtoc's helper ABI) */
    "mov %r1, 5\ncall 0x20\nmov %r0, %r1\nexit",
    /* call depth exactly 8 frames */
    "mov %r0, 0\ncall local +1\nexit\ncall local +1\nexit\ncall local +1\nexit\ncall local +1\nexit\n"
    "call local +1\nexit\ncall local +1\nexit\ncall local +1\nexit\nmov %r0, 1\nexit",
};

Test(verify, valid_programs_pass)
{
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        vres r;
        if (verify_src(good[k], NULL, &r) != 0) {
            dump(&r);
            cr_assert_fail("case %zu refused:\n%s", k, good[k]);
        }
        vres_free(&r);
    }
}

Test(verify, unreachable_code_is_a_warning_with_range)
{
    vres r;
    cr_assert_eq(verify_src("mov %r0, 0\nexit\nmov %r0, 1\nlddw %r2, 3\nexit", NULL, &r), 0);
    const fc_diag *g = find_msg(&r, FC_SEV_WARNING, "unreachable code (instructions 2..5)");
    cr_assert(g && g->insn == 2);
    cr_assert_eq(r.info[0].reachable, 1);
    cr_assert_eq(r.info[2].reachable, 0);
    cr_assert_eq(r.info[5].reachable, 0);
    vres_free(&r);
}

Test(verify, call_depth_above_limit)
{
    vres r;
    char src[1024] = "mov %r0, 0\ncall local +1\nexit\n";
    for (int k = 0; k < 8; k++)
        strcat(src, "call local +1\nexit\n");
    strcat(src, "mov %r0, 1\nexit");
    cr_assert_eq(verify_src(src, NULL, &r), -1);
    cr_assert(find_msg(&r, FC_SEV_ERROR, "call depth of 10 frames exceeds the limit of 8"));
    cr_assert_eq(r.st.max_call_depth, 10);
    vres_free(&r);
}

Test(verify, helper_allowlist_and_signatures)
{
    vres r;
    fc_vfy_helper allow[2] = {{0x01, FC_HSIG_UNKNOWN, {0}, ""}, {0x77, FC_HSIG_UNKNOWN, {0}, ""}};
    fc_vfy_opts o = {0};
    o.helpers = allow;
    o.nhelpers = 2;
    /* 0x20 is known but not listed */
    cr_assert_eq(verify_src("call 0x20\nexit", &o, &r), -1);
    cr_assert(find_msg(&r, FC_SEV_ERROR, "helper 32 (now_ms) is not in the allowlist"));
    vres_free(&r);
    /* 0x77 is unknown to femtoc but listed: allowed, any arguments */
    cr_assert_eq(verify_src("call 0x77\nexit", &o, &r), 0);
    vres_free(&r);
    /* 0x01 listed without a signature takes the known one (fmt must be a pointer) */
    cr_assert_eq(verify_src("mov %r1, 0\ncall 1\nexit", &o, &r), -1);
    cr_assert(find_msg(&r, FC_SEV_ERROR, "argument 1 of helper 1 (printf) must be a pointer"));
    vres_free(&r);
    /* an explicit signature from a profile */
    fc_vfy_helper sig = {0x80, 2, {FC_HARG_SCALAR, FC_HARG_PTR_W, 0, 0, 0}, "sense"};
    o.helpers = &sig;
    o.nhelpers = 1;
    cr_assert_eq(verify_src("mov %r1, %r10\nmov %r2, %r10\nadd %r2, -4\ncall 0x80\nexit", &o, &r), -1);
    cr_assert(find_msg(&r, FC_SEV_ERROR, "argument 1 of helper 128 (sense) must be a number"));
    vres_free(&r);
}

Test(verify, masked_shifts_flag_turns_the_error_into_a_warning)
{
    vres r;
    fc_vfy_opts o = {0};
    o.flags = FC_VFY_F_MASKED_SHIFTS;
    cr_assert_eq(verify_src("mov %r0, 1\nlsh32 %r0, 60\nexit", &o, &r), 0);
    cr_assert(find_msg(&r, FC_SEV_WARNING, "shift amount 60 out of range for a 32-bit shift (masked to 28)"));
    vres_free(&r);
}

Test(verify, workspace_too_small_and_null_diags)
{
    fc_insn prog[2] = {fc_insn_make(0xb7, 0, 0, 0, 0), fc_insn_make(0x95, 0, 0, 0, 0)};
    fc_prog p = {0};
    p.insns = prog;
    p.ninsns = 2;
    fc_insn_info info[2];
    fc_diag it[4];
    fc_diags d = {it, 4, 0, 0, 0};
    char small[16];
    cr_assert_eq(fc_vfy_run(&p, NULL, small, sizeof small, info, NULL, &d), -1);
    cr_assert(strstr(it[0].msg, "workspace too small"));
    size_t need = fc_vfy_workspace_size(&p);
    void *ws = malloc(need);
    cr_assert_eq(fc_vfy_run(&p, NULL, ws, need, NULL, NULL, NULL), 0);
    /* an unaligned workspace of the advertised size works too */
    void *ws2 = malloc(need + 1);
    cr_assert_eq(fc_vfy_run(&p, NULL, (char *)ws2 + 1, need, info, NULL, NULL), 0);
    free(ws);
    free(ws2);
    p.ninsns = 0;
    d.n = 0;
    cr_assert_eq(fc_vfy_run(&p, NULL, small, sizeof small, info, NULL, &d), -1);
    cr_assert(strstr(it[0].msg, "empty program"));
}

/* ---- facts for the backends ------------------------------------------------ */
Test(verify, stack_accesses_through_r10_and_copies_are_proven)
{
    vres r;
    cr_assert_eq(verify_src("stdw [%r10-8], 1\n"
                            "ldxdw %r0, [%r10-8]\n"
                            "mov %r1, %r10\n"
                            "add %r1, -64\n"
                            "stw [%r1+4], 3\n"
                            "ldxw %r2, [%r1+60]\n"
                            "ldxb %r3, [%r10-512]\n"
                            "exit", NULL, &r), 0);
    int idx[] = {0, 1, 4, 5, 6};
    for (int k = 0; k < 5; k++) {
        cr_assert_eq(r.info[idx[k]].access, FC_ACC_PROVEN, "insn %d", idx[k]);
        cr_assert_eq(r.info[idx[k]].region_hint, FC_REGION_STACK);
    }
    cr_assert_eq(r.info[2].access, FC_ACC_NONE);
    cr_assert_eq(r.st.loads_proven, 3);
    cr_assert_eq(r.st.stores_proven, 2);
    cr_assert_eq(r.st.loads_checked + r.st.stores_checked, 0);
    cr_assert_eq(r.st.stack_bytes, 512);
    cr_assert_eq(r.st.max_call_depth, 1);
    vres_free(&r);
}

Test(verify, context_accesses_need_a_declared_size)
{
    const char *src = "ldxw %r0, [%r1+4]\nldxb %r2, [%r1+8]\nexit";
    vres r;
    cr_assert_eq(verify_src(src, NULL, &r), 0);
    cr_assert_eq(r.info[0].access, FC_ACC_CHECK);
    cr_assert_eq(r.info[0].region_hint, FC_REGION_CTX);
    vres_free(&r);
    fc_vfy_opts o = {0};
    o.ctx_size = 8;
    cr_assert_eq(verify_src(src, &o, &r), 0);
    cr_assert_eq(r.info[0].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[1].access, FC_ACC_CHECK); /* byte 8 of an 8-byte minimum */
    vres_free(&r);
    o.ctx_size = 9;
    cr_assert_eq(verify_src(src, &o, &r), 0);
    cr_assert_eq(r.info[1].access, FC_ACC_PROVEN);
    vres_free(&r);
}

Test(verify, data_sections_with_known_offsets)
{
    vres r;
    fc_asm_error e;
    size_t n;
    uint8_t ro[16] = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 200, 0, 0, 0};
    const char *src = "lddw %r1, .rodata+8\n"
                      "ldxdw %r0, [%r1]\n"          /* 2: proven */
                      "ldxw %r2, [%r1+4]\n"         /* 3: proven, value 200 */
                      "lddw %r3, .rodata\n"
                      "add %r3, %r2\n"              /* .rodata + 200: beyond the 16 bytes */
                      "lddw %r4, .data+12\n"
                      "stw [%r4], 1\n"              /* 9: proven */
                      "lddw %r5, .bss\n"
                      "ldxdw %r6, [%r5+8]\n"        /* 12: proven (16-byte bss) */
                      "exit";
    memset(&r, 0, sizeof r);
    cr_assert_eq(fc_asm(src, strlen(src), &r.p.insns, &n, &e), 0, "%s", e.msg);
    r.p.ninsns = (uint32_t)n;
    r.p.rodata = ro;
    r.p.rodata_len = 16;
    r.p.data_len = 16;
    r.p.bss_len = 16;
    cr_assert_eq(verify_prog(&r.p, NULL, &r), 0);
    cr_assert_eq(r.info[2].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[2].region_hint, FC_REGION_RODATA);
    cr_assert_eq(r.info[3].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[9].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[9].region_hint, FC_REGION_DATA);
    cr_assert_eq(r.info[12].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[12].region_hint, FC_REGION_BSS);
    vres_free(&r);

    /* the value read from .rodata is known (200): using it as an offset
     * into .rodata is proven out of bounds */
    const char *src2 = "lddw %r1, .rodata+8\nldxw %r2, [%r1+4]\nlddw %r3, .rodata\nadd %r3, %r2\n"
                       "ldxb %r0, [%r3]\nexit";
    memset(&r, 0, sizeof r);
    cr_assert_eq(fc_asm(src2, strlen(src2), &r.p.insns, &n, &e), 0);
    r.p.ninsns = (uint32_t)n;
    r.p.rodata = ro;
    r.p.rodata_len = 16;
    cr_assert_eq(verify_prog(&r.p, NULL, &r), -1);
    cr_assert(find_msg(&r, FC_SEV_ERROR, ".rodata access out of bounds: offset 200, 1 bytes"));
    vres_free(&r);
}

Test(verify, bounded_loops_over_the_stack_are_proven)
{
    /* i < 64 (unsigned compare at the bottom) and i != 64 (rotated loop) */
    const char *src[] = {
        "mov %r2, 0\nL: mov %r3, %r10\nadd %r3, -64\nadd %r3, %r2\nstb [%r3], 1\n"
        "add %r2, 1\njlt %r2, 64, L\nmov %r0, 0\nexit",
        "mov %r2, 0\nL: mov %r3, %r10\nadd %r3, -64\nadd %r3, %r2\nstb [%r3], 1\n"
        "add %r2, 1\njne %r2, 64, L\nmov %r0, 0\nexit",
        /* pointer iteration: p from r10-64 to r10 */
        "mov %r2, %r10\nadd %r2, -64\nmov %r4, %r10\nL: stb [%r2], 1\nadd %r2, 1\njne %r2, %r4, L\n"
        "mov %r0, 0\nexit",
    };
    int store[] = {4, 4, 3};
    for (int k = 0; k < 3; k++) {
        vres r;
        cr_assert_eq(verify_src(src[k], NULL, &r), 0, "case %d", k);
        cr_assert_eq(r.info[store[k]].access, FC_ACC_PROVEN, "case %d", k);
        cr_assert_eq(r.info[store[k]].backjump, 0);
        vres_free(&r);
    }
    /* widening after one change: the same loop still verifies, the store
     * keeps its check (sound, less precise) */
    vres r;
    fc_vfy_opts o = {0};
    o.widen_after = 1;
    cr_assert_eq(verify_src(src[1], &o, &r), 0);
    cr_assert_eq(r.info[4].access, FC_ACC_CHECK);
    cr_assert_eq(r.info[6].backjump, 1);
    vres_free(&r);
}

Test(verify, pointers_bumped_with_a_counter)
{
    vres r;
    /* p = r10-64 + 4*i while i < 16: every store is inside the frame */
    const char *ok16 = "mov %r2, 0\nmov %r3, %r10\nadd %r3, -64\nL: stw [%r3], 1\nadd %r3, 4\n"
                       "add %r2, 1\njlt %r2, 16, L\nmov %r0, 0\nexit";
    cr_assert_eq(verify_src(ok16, NULL, &r), 0);
    cr_assert_eq(r.info[3].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* one iteration more reaches r10+0: the store keeps its check */
    const char *ok17 = "mov %r2, 0\nmov %r3, %r10\nadd %r3, -64\nL: stw [%r3], 1\nadd %r3, 4\n"
                       "add %r2, 1\njlt %r2, 17, L\nmov %r0, 0\nexit";
    cr_assert_eq(verify_src(ok17, NULL, &r), 0);
    cr_assert_eq(r.info[3].access, FC_ACC_CHECK);
    vres_free(&r);
    /* the same with a 32-bit counter, tested through a copy, and the
     * pointer stepping down */
    cr_assert_eq(verify_src("mov32 %r2, 0\nmov %r3, %r10\nadd %r3, -8\nL: mov %r4, %r2\nstdw [%r3], 1\n"
                            "add %r3, -8\nadd32 %r2, 1\njlt32 %r4, 62, L\nmov %r0, 0\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[4].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* a 32-bit addition that wraps breaks the link (0xfffffff0 + 0x20 = 0x10) */
    cr_assert_eq(verify_src("mov32 %r1, 0xfffffff0\nmov %r2, %r1\nadd32 %r2, 0x20\nja +0\nmov %r3, %r10\n"
                            "add %r3, -32\nadd %r3, %r2\nstb [%r3], 1\nmov %r0, 0\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[7].access, FC_ACC_PROVEN);
    vres_free(&r);
}

Test(verify, spilled_pointers_and_what_forgets_them)
{
    vres r;
    /* spill r10-16 to a slot, reload, store through it: proven */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\n"
                            "ldxdw %r2, [%r10-8]\nstw [%r2], 5\nmov %r0, 0\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[4].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* a callee that writes through a pointer may rewrite the caller's
     * frame: the reloaded value is unknown */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\ncall local +4\n"
                            "ldxdw %r2, [%r10-8]\nstw [%r2], 5\nmov %r0, 0\nexit\nstb [%r1], 7\nmov %r0, 0\nexit",
                            NULL, &r), 0);
    cr_assert_eq(r.info[5].access, FC_ACC_CHECK);
    vres_free(&r);
    /* so may one that calls memcpy, or one that calls such a function */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\ncall local +4\n"
                            "ldxdw %r2, [%r10-8]\nstw [%r2], 5\nmov %r0, 0\nexit\ncall local +1\nexit\n"
                            "mov %r2, %r1\nmov %r3, 1\ncall 2\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[5].access, FC_ACC_CHECK);
    vres_free(&r);
    /* a callee that only uses its own frame (through r10) leaves the caller's alone */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\ncall local +4\n"
                            "ldxdw %r2, [%r10-8]\nstw [%r2], 5\nmov %r0, 0\nexit\nstdw [%r10-8], 1\n"
                            "ldxdw %r0, [%r1]\ncall 0x20\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[5].access, FC_ACC_PROVEN);
    vres_free(&r);
    /* a store through an unknown pointer may hit the frame */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\nldxdw %r3, [%r1]\n"
                            "stw [%r3], 0\nldxdw %r2, [%r10-8]\nstw [%r2], 5\nmov %r0, 0\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[4].access, FC_ACC_CHECK);
    cr_assert_eq(r.info[4].region_hint, 0xff);
    cr_assert_eq(r.info[6].access, FC_ACC_CHECK);
    vres_free(&r);
    /* memcpy into [r10-32, ...) forgets slots from there up, not below */
    cr_assert_eq(verify_src("mov %r5, %r10\nadd %r5, -48\nstxdw [%r10-40], %r5\nstxdw [%r10-8], %r5\n"
                            "mov %r1, %r10\nadd %r1, -32\nmov %r2, %r10\nadd %r2, -48\nmov %r3, 8\ncall 2\n"
                            "ldxdw %r6, [%r10-40]\nstb [%r6], 1\nldxdw %r7, [%r10-8]\nstb [%r7], 1\n"
                            "mov %r0, 0\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[11].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[13].access, FC_ACC_CHECK);
    vres_free(&r);
}

Test(verify, partial_overwrites_forget_the_slot)
{
    /* [r10-8] holds 8, then its low byte becomes 200: the reloaded value is
     * no longer 8, so r10-16+r1 is not a proven stack address */
    vres r;
    cr_assert_eq(verify_src("stdw [%r10-8], 8\nstb [%r10-8], 200\nldxdw %r1, [%r10-8]\n"
                            "mov %r3, %r10\nadd %r3, -16\nadd %r3, %r1\nldxb %r0, [%r3]\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[6].access, FC_ACC_CHECK);
    vres_free(&r);
    /* the same through a 4-byte store into the upper half of the slot */
    cr_assert_eq(verify_src("stdw [%r10-8], 8\nstw [%r10-4], 1\nldxdw %r1, [%r10-8]\n"
                            "mov %r3, %r10\nadd %r3, -16\nadd %r3, %r1\nldxb %r0, [%r3]\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[6].access, FC_ACC_CHECK);
    vres_free(&r);
    /* a narrow load of a spilled pointer is not that pointer */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\nldxw %r2, [%r10-8]\n"
                            "stb [%r2], 1\nmov %r0, 0\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[4].access, FC_ACC_CHECK);
    vres_free(&r);
    /* a store at an unknown stack offset forgets every slot it may touch */
    cr_assert_eq(verify_src("stdw [%r10-8], 8\nldxb %r4, [%r1]\nand %r4, 7\nmov %r5, %r10\nadd %r5, -12\n"
                            "add %r5, %r4\nstb [%r5], 99\nldxdw %r1, [%r10-8]\nmov %r3, %r10\n"
                            "add %r3, -16\nadd %r3, %r1\nldxb %r0, [%r3]\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[6].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[11].access, FC_ACC_CHECK);
    vres_free(&r);
}

Test(verify, callee_accesses_to_the_callers_frame)
{
    vres r;
    cr_assert_eq(verify_src("stdw [%r10-8], 5\nmov %r1, %r10\nadd %r1, -8\ncall local +1\nexit\n"
                            "ldxdw %r0, [%r1]\nstb [%r1-504], 1\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[5].access, FC_ACC_PROVEN);
    cr_assert_eq(r.info[5].region_hint, FC_REGION_STACK);
    cr_assert_eq(r.info[6].access, FC_ACC_PROVEN);
    cr_assert_eq(r.st.max_call_depth, 2);
    vres_free(&r);
    /* one byte below the caller's frame */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -8\ncall local +1\nexit\nstb [%r1-505], 1\n"
                            "mov %r0, 0\nexit", NULL, &r), -1);
    cr_assert(find_msg(&r, FC_SEV_ERROR, "stack access out of bounds: offset -513"));
    vres_free(&r);
    /* two call sites with different offsets: joined */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -8\ncall local +4\nmov %r1, %r10\nadd %r1, -16\n"
                            "call local +1\nexit\nldxb %r0, [%r1+7]\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[7].access, FC_ACC_PROVEN);
    vres_free(&r);
}

Test(verify, upper_half_facts)
{
    vres r;
    cr_assert_eq(verify_src("mov32 %r0, 5\n"          /* 0: r0 hi zero */
                            "lddw %r1, 0x100000000\n" /* 1: r1 hi not zero */
                            "ldxw %r2, [%r10-8]\n"    /* 3: zero-extended load */
                            "mov %r3, -1\n"           /* 4: hi not zero */
                            "mov32 %r4, %r3\n"        /* 5: reads only r3's low half */
                            "add %r0, %r4\n"          /* 6 */
                            "exit", NULL, &r), 0);
    cr_assert(r.info[0].hi_zero & 1);
    cr_assert(!(r.info[1].hi_zero & 2));
    cr_assert(r.info[3].hi_zero & 4);
    cr_assert(!(r.info[4].hi_zero & 8));
    cr_assert(r.info[5].hi_zero & 16);
    cr_assert_eq(r.info[0].hi_zero2 & 4, 0); /* r10 is a pointer: nothing claimed */
    /* r3's upper half is never read after insn 4 (mov32 reads the low half) */
    cr_assert(r.info[4].hi_dead & 8);
    /* r1 is never read at all */
    cr_assert(r.info[1].hi_dead & 2);
    /* r0's upper half is read by add (64-bit) and by exit */
    cr_assert(!(r.info[0].hi_dead & 1));
    cr_assert(!(r.info[6].hi_dead & 1));
    vres_free(&r);
    /* a 64-bit compare reads the upper half; a 32-bit one does not */
    cr_assert_eq(verify_src("mov %r2, 1\njeq %r2, 1, +0\nmov %r3, 1\njeq32 %r3, 1, +0\nmov %r0, 0\nexit",
                            NULL, &r), 0);
    cr_assert(!(r.info[0].hi_dead & 4));
    cr_assert(r.info[2].hi_dead & 8);
    vres_free(&r);
    /* r8/r9 in the second byte */
    cr_assert_eq(verify_src("mov32 %r8, 1\nmov %r9, %r8\nmov32 %r0, %r9\nexit", NULL, &r), 0);
    cr_assert(r.info[0].hi_zero2 & 1);
    cr_assert(r.info[1].hi_zero2 & 2);
    cr_assert(!(r.info[0].hi_dead2 & 1)); /* mov %r9, %r8 reads all of r8 */
    cr_assert(r.info[1].hi_dead2 & 2);    /* mov32 reads r9's low half only */
    vres_free(&r);
}

Test(verify, upper_halves_a_caller_may_pass_on)
{
    /* the callee's r2 reaches a helper of unknown signature in the caller:
     * its upper half is not dead at the callee's exit */
    vres r;
    fc_vfy_helper allow[1] = {{0x77, FC_HSIG_UNKNOWN, {0}, ""}};
    fc_vfy_opts o = {0};
    o.helpers = allow;
    o.nhelpers = 1;
    cr_assert_eq(verify_src("mov %r0, 0\ncall local +2\ncall 0x77\nexit\nmov %r2, -1\nmov %r0, 0\nexit",
                            &o, &r), 0);
    cr_assert_eq(r.info[4].hi_dead & 4, 0);
    cr_assert_eq(r.info[5].hi_dead & 4, 0);
    /* the entry's exit: only r0 leaves the program */
    cr_assert(r.info[3].hi_dead & 4);
    vres_free(&r);
    /* the callee leaves r1 (a pointer into the caller's frame) as it was; a
     * helper that may write through anything may write through it, so the
     * pointer spilled at r10-8 is forgotten */
    cr_assert_eq(verify_src("mov %r1, %r10\nadd %r1, -16\nstxdw [%r10-8], %r1\ncall local +5\ncall 0x77\n"
                            "ldxdw %r2, [%r10-8]\nstb [%r2], 1\nmov %r0, 0\nexit\nmov %r0, 0\nexit", &o, &r), 0);
    cr_assert_eq(r.info[6].access, FC_ACC_CHECK);
    vres_free(&r);
}

Test(verify, lddw_second_slot_info_is_zero)
{
    vres r;
    cr_assert_eq(verify_src("lddw %r0, 1\nexit", NULL, &r), 0);
    cr_assert_eq(r.info[1].access, 0);
    cr_assert_eq(r.info[1].reachable, 0);
    cr_assert_eq(r.info[1].hi_zero, 0);
    vres_free(&r);
}

/* ---- the domain against concrete semantics ----------------------------------- */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* Interesting 64-bit values: small, around 2^31/2^32/2^63, near 2^64. */
static uint64_t pick(void)
{
    static const uint64_t base[] = {0, 1, 7, 255, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                                    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull};
    switch (rnd() % 4) {
    case 0: return rnd() % 300;
    case 1: return base[rnd() % 11] + (rnd() % 9) - 4;
    case 2: return rnd();
    default: return (uint64_t)-(int64_t)(rnd() % 300);
    }
}

static int in_av(const fc_av *a, uint64_t c);

static fc_av random_av(unsigned kind, uint64_t *sample, int nsample)
{
    /* a set of concrete values, then its tightest range: exact and sound;
     * half of the time all values share their low lk bits */
    uint64_t v[8];
    int n = 1 + (int)(rnd() % 4);
    unsigned lk = rnd() % 2 ? 1 + (unsigned)(rnd() % 6) : 0;
    uint64_t lm = (1ull << lk) - 1, lv = rnd() & lm;
    v[0] = pick();
    for (int k = 1; k < n; k++)
        v[k] = rnd() % 2 ? v[0] + rnd() % 64 : pick();
    for (int k = 0; k < n; k++)
        v[k] = (v[k] & ~lm) | lv;
    uint64_t umin = v[0], umax = v[0];
    int64_t smin = (int64_t)v[0], smax = (int64_t)v[0];
    for (int k = 1; k < n; k++) {
        if (v[k] < umin) umin = v[k];
        if (v[k] > umax) umax = v[k];
        if ((int64_t)v[k] < smin) smin = (int64_t)v[k];
        if ((int64_t)v[k] > smax) smax = (int64_t)v[k];
    }
    fc_av a = fc_av_make(kind, umin, umax, smin, smax);
    if (a.lk < 64) {
        a.lk = (uint8_t)lk;
        a.lv = lv;
    }
    /* samples: the generating values, the bounds, random members */
    for (int k = 0; k < nsample; k++) {
        uint64_t c;
        int tries = 0;
        do {
            switch (k < n ? 0 : rnd() % 5) {
            case 0: c = v[k % n]; break;
            case 1: c = a.umin; break;
            case 2: c = a.umax; break;
            case 3: c = (uint64_t)a.smin; break;
            default:
                c = a.umax - a.umin == UINT64_MAX ? rnd()
                    : a.umin + (a.umax > a.umin ? rnd() % (a.umax - a.umin + 1) : 0);
                break;
            }
            if (a.lk < 64)
                c = (c & ~lm) | lv;
        } while (!in_av(&a, c) && ++tries < 20);
        if (tries >= 20)
            c = v[0];
        sample[k] = c;
    }
    return a;
}

static int low_ok(const fc_av *a, uint64_t c)
{
    uint64_t m = a->lk >= 64 ? ~0ull : (1ull << a->lk) - 1;
    return ((c ^ a->lv) & m) == 0;
}

static int in_av(const fc_av *a, uint64_t c)
{
    return c >= a->umin && c <= a->umax && (int64_t)c >= a->smin && (int64_t)c <= a->smax && low_ok(a, c);
}

/* every ALU row of the opcode table */
static int alu_rows(fc_insn *out, int cap)
{
    int n = 0;
    for (unsigned k = 1; k < FC_OP_COUNT && n < cap; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        unsigned cls = FC_CLASS(r->opcode);
        if (cls != FC_CLS_ALU && cls != FC_CLS_ALU64)
            continue;
        int16_t off = r->disc == FC_DISC_OFF ? r->disc_value : 0;
        int32_t imm = r->disc == FC_DISC_IMM ? r->disc_value : 0;
        out[n++] = fc_insn_make(r->opcode, 0, (r->opcode & FC_SRC_X) ? 1 : 0, off, imm);
    }
    return n;
}

Test(verify, alu_eval_agrees_with_the_interpreter)
{
    fc_insn rows[128];
    int nr = alu_rows(rows, 128);
    static uint8_t stack[FC_STACK_SIZE];
    cr_assert_gt(nr, 60);
    for (int t = 0; t < 20000; t++) {
        fc_insn op = rows[t % nr];
        uint64_t a = pick(), b = pick();
        if (!(op.op & FC_SRC_X) && FC_OPCODE_OP(op.op) != FC_ALU_END && FC_OPCODE_OP(op.op) != FC_ALU_NEG)
            op.imm = (int32_t)b;
        fc_insn prog[6] = {
            fc_insn_make(0x18, 0, 0, 0, (int32_t)a), fc_insn_make(0, 0, 0, 0, (int32_t)(a >> 32)),
            fc_insn_make(0x18, 1, 0, 0, (int32_t)b), fc_insn_make(0, 0, 0, 0, (int32_t)(b >> 32)),
            op, fc_insn_make(0x95, 0, 0, 0, 0)};
        fc_vm vm;
        uint64_t r0 = 0;
        cr_assert_eq(fc_vm_init(&vm, prog, 6, stack, sizeof stack), FC_OK);
        int err = fc_vm_run(&vm, 0, 0, &r0);
        cr_assert_eq(err, FC_OK, "op 0x%02x off %d imm %d", op.op, op.off, op.imm);
        uint64_t mine = fc_alu_eval(&op, a, b);
        cr_assert_eq(mine, r0, "op 0x%02x off %d imm %d a=0x%llx b=0x%llx: eval 0x%llx vm 0x%llx",
                     op.op, op.off, op.imm, (unsigned long long)a, (unsigned long long)b,
                     (unsigned long long)mine, (unsigned long long)r0);
    }
}

Test(verify, alu_transfer_contains_every_concrete_result)
{
    fc_insn rows[128];
    int nr = alu_rows(rows, 128);
    for (int t = 0; t < 60000; t++) {
        fc_insn op = rows[t % nr];
        uint64_t sa[8], sb[8];
        fc_av a = random_av(rnd() % 2 ? FC_AV_SCALAR : FC_AV_UNKNOWN, sa, 8);
        fc_av b = random_av(FC_AV_SCALAR, sb, 8);
        if (!(op.op & FC_SRC_X) && FC_OPCODE_OP(op.op) != FC_ALU_END && FC_OPCODE_OP(op.op) != FC_ALU_NEG) {
            op.imm = (int32_t)sb[0];
            for (int k = 0; k < 8; k++)
                sb[k] = (uint64_t)(int64_t)op.imm;
        }
        fc_av r = fc_av_alu(&op, &a, &b);
        cr_assert(fc_av_is_num(&r));
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) {
                uint64_t c = fc_alu_eval(&op, sa[i], sb[j]);
                if (!in_av(&r, c))
                    cr_assert_fail("op 0x%02x off %d imm %d: a=[%llx,%llx|%lld,%lld] b=[%llx,%llx|%lld,%lld] "
                                   "%llx op %llx = %llx not in [%llx,%llx|%lld,%lld]",
                                   op.op, op.off, op.imm, (unsigned long long)a.umin,
                                   (unsigned long long)a.umax, (long long)a.smin, (long long)a.smax,
                                   (unsigned long long)b.umin, (unsigned long long)b.umax,
                                   (long long)b.smin, (long long)b.smax, (unsigned long long)sa[i],
                                   (unsigned long long)sb[j], (unsigned long long)c,
                                   (unsigned long long)r.umin, (unsigned long long)r.umax,
                                   (long long)r.smin, (long long)r.smax);
            }
    }
}

static int cond_holds(const fc_insn *in, uint64_t a, uint64_t b)
{
    int is32 = FC_CLASS(in->op) == FC_CLS_JMP32;
    if (!(in->op & FC_SRC_X))
        b = is32 ? (uint64_t)(uint32_t)in->imm : (uint64_t)(int64_t)in->imm;
    if (is32) {
        a &= 0xffffffffu;
        b &= 0xffffffffu;
    }
    int64_t sa = is32 ? (int64_t)(int32_t)a : (int64_t)a, sb = is32 ? (int64_t)(int32_t)b : (int64_t)b;
    switch (FC_OPCODE_OP(in->op)) {
    case FC_JMP_JEQ: return a == b;
    case FC_JMP_JNE: return a != b;
    case FC_JMP_JGT: return a > b;
    case FC_JMP_JGE: return a >= b;
    case FC_JMP_JLT: return a < b;
    case FC_JMP_JLE: return a <= b;
    case FC_JMP_JSGT: return sa > sb;
    case FC_JMP_JSGE: return sa >= sb;
    case FC_JMP_JSLT: return sa < sb;
    case FC_JMP_JSLE: return sa <= sb;
    case FC_JMP_JSET: return (a & b) != 0;
    }
    return 0;
}

Test(verify, branch_refinement_keeps_every_concrete_pair)
{
    static const unsigned ops[] = {FC_JMP_JEQ, FC_JMP_JNE, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JLT, FC_JMP_JLE,
                                   FC_JMP_JSGT, FC_JMP_JSGE, FC_JMP_JSLT, FC_JMP_JSLE, FC_JMP_JSET};
    for (int t = 0; t < 80000; t++) {
        unsigned cls = rnd() % 2 ? FC_CLS_JMP : FC_CLS_JMP32;
        unsigned x = rnd() % 2 ? FC_SRC_X : FC_SRC_K;
        fc_insn in = fc_insn_make((uint8_t)(cls | x | ops[rnd() % 11]), 0, x ? 1 : 0, 0, 0);
        uint64_t sa[8], sb[8];
        fc_av a = random_av(FC_AV_SCALAR, sa, 8), b = random_av(FC_AV_SCALAR, sb, 8);
        if (!x)
            in.imm = (int32_t)sb[0];
        for (int taken = 0; taken < 2; taken++) {
            fc_av ra = a, rb = b;
            int ok = fc_av_branch(&in, &ra, x ? &rb : NULL, taken);
            for (int i = 0; i < 8; i++)
                for (int j = 0; j < 8; j++) {
                    if (cond_holds(&in, sa[i], sb[j]) != taken)
                        continue;
                    cr_assert(ok, "op 0x%02x imm %d taken %d: edge called impossible but %llx,%llx takes it",
                              in.op, in.imm, taken, (unsigned long long)sa[i], (unsigned long long)sb[j]);
                    cr_assert(in_av(&ra, sa[i]), "op 0x%02x imm %d taken %d: dst %llx dropped",
                              in.op, in.imm, taken, (unsigned long long)sa[i]);
                    if (x)
                        cr_assert(in_av(&rb, sb[j]), "op 0x%02x taken %d: src %llx dropped", in.op, taken,
                                  (unsigned long long)sb[j]);
                }
        }
    }
}

Test(verify, pointer_arithmetic_tracks_offsets)
{
    fc_av p = fc_av_ptr(FC_AV_STACK, -64);
    fc_av k = fc_av_range(FC_AV_SCALAR, 0, 63);
    fc_insn add = fc_insn_make(0x0f, 0, 1, 0, 0), sub = fc_insn_make(0x1f, 0, 1, 0, 0);
    fc_av q = fc_av_alu(&add, &p, &k);
    cr_assert_eq(q.kind, FC_AV_STACK);
    cr_assert_eq(q.smin, -64);
    cr_assert_eq(q.smax, -1);
    fc_av d = fc_av_alu(&sub, &q, &p);
    /* a number, but UNKNOWN: an offset may carry an address-derived part
     * (tests/sound/regress/ptrdiff-layout-scalar.fcs) */
    cr_assert_eq(d.kind, FC_AV_UNKNOWN);
    cr_assert_eq(d.smin, 0);
    cr_assert_eq(d.smax, 63);
    fc_insn add32 = fc_insn_make(0x0c, 0, 1, 0, 0), and64 = fc_insn_make(0x57, 0, 0, 0, 0xff);
    fc_av w = fc_av_alu(&add32, &p, &k);
    cr_assert_eq(w.kind, FC_AV_UNKNOWN);
    cr_assert_eq(w.umax, 0xffffffffu);
    w = fc_av_alu(&and64, &p, &k);
    cr_assert_eq(w.kind, FC_AV_UNKNOWN);
    /* unbounded offsets stay unbounded */
    fc_av big = fc_av_top(FC_AV_SCALAR);
    q = fc_av_alu(&add, &p, &big);
    cr_assert_eq(q.kind, FC_AV_STACK);
    cr_assert_eq(q.smin, -FC_AV_INF);
    cr_assert_eq(q.smax, FC_AV_INF);
    q = fc_av_alu(&sub, &q, &k);
    cr_assert_eq(q.smax, FC_AV_INF);
}

/* ---- property test: random programs, concrete runs -------------------------
 * A program is the entry function and, sometimes, one callee placed after
 * it. Both write every register they read in a prologue, then run a random
 * body: ALU operations, loads and stores on the stack (offsets drawn mostly
 * from a few slots, so stores alias), on the context and through other
 * registers, memcpy helper calls, forward branches, loops, and (in the
 * entry) calls with a pointer into the caller's frame in r1. */
#define PT_MAX 200   /* instructions per program (a body step emits at most 12; the
                        caps in gen_func keep the total below this) */
#define STACK_LO 0x100000ull
#define FP (STACK_LO + 2 * FC_STACK_SIZE)   /* entry frame; the callee's is below */
#define CTX_ADDR 0x200000ull
#define CTX_LEN 64u

typedef struct obs {
    fc_av regs[PT_MAX][FC_NREGS];
    uint8_t seen[PT_MAX];
} obs;

static void observe(void *ctx, uint32_t insn, const fc_av *regs)
{
    obs *o = ctx;
    if (insn < PT_MAX) {
        memcpy(o->regs[insn], regs, sizeof o->regs[insn]);
        o->seen[insn] = 1;
    }
}

/* pointer offset in [smin, smax], where +-FC_AV_INF means unbounded */
static int off_in(const fc_av *a, int64_t off)
{
    return (a->smin <= -FC_AV_INF || off >= a->smin) && (a->smax >= FC_AV_INF || off <= a->smax) &&
           low_ok(a, (uint64_t)off);
}

/* v in a? fp: the current frame's r10; up: the caller's */
static int member(const fc_av *a, uint64_t v, uint64_t fp, uint64_t up)
{
    switch (a->kind) {
    case FC_AV_UNINIT: return 1; /* nothing claimed */
    case FC_AV_SCALAR:
    case FC_AV_UNKNOWN: return in_av(a, v);
    case FC_AV_STACK: return off_in(a, (int64_t)(v - fp));
    case FC_AV_STACK_UP: return up && off_in(a, (int64_t)(v - up));
    case FC_AV_CTX: return off_in(a, (int64_t)(v - CTX_ADDR));
    }
    return 0; /* no data sections in these programs */
}

/* the stack region at the current depth: the current frame and the callers' */
static uint8_t *addr_of(uint8_t *stack, uint8_t *ctx, uint64_t fp, uint64_t a, unsigned size)
{
    if (a >= fp - FC_STACK_SIZE && a + size <= FP && a + size > a)
        return stack + (a - STACK_LO);
    if (a >= CTX_ADDR && a + size <= CTX_ADDR + CTX_LEN && a + size > a)
        return ctx + (a - CTX_ADDR);
    return NULL;
}

static int16_t stack_off(void)
{
    static const int16_t slots[] = {-8, -16, -24, -32, -40, -4, -12, -20, -1, -7, -512, -504};
    if (rnd() % 10 < 7)
        return slots[rnd() % 12];
    return (int16_t)((int)(rnd() % 530) - 520);
}

/* One function at p[n..]: prologue, body, exit. Returns the new n.
 * callee_at >= 0: the entry may call the function starting there. */
static int gen_func(fc_insn *p, int n, int is_callee, int callee_at, int *calls)
{
    fc_insn rows[128];
    int nr = alu_rows(rows, 128);
    static const unsigned sizes[] = {FC_SZ_B, FC_SZ_H, FC_SZ_W, FC_SZ_DW};
    static const unsigned jops[] = {FC_JMP_JEQ, FC_JMP_JNE, FC_JMP_JGT, FC_JMP_JGE, FC_JMP_JLT, FC_JMP_JLE,
                                    FC_JMP_JSGT, FC_JMP_JSGE, FC_JMP_JSLT, FC_JMP_JSLE, FC_JMP_JSET};
    int start = n;
    /* prologue: every register written (r1 is the context in the entry, a
     * pointer into the caller's frame in the callee) */
    for (unsigned r = 0; r <= 9; r++) {
        if (r == 1 || (r == 2 && !is_callee))
            continue;
        switch (rnd() % 4) {
        case 0: p[n++] = fc_insn_make(0xb7, r, 0, 0, (int32_t)pick()); break;
        case 1: p[n++] = fc_insn_make(0x71, r, is_callee ? 10 : 1, is_callee ? -1 : (int16_t)(rnd() % 64), 0); break;
        case 2: p[n++] = fc_insn_make(0xbf, r, 10, 0, 0);
                p[n++] = fc_insn_make(0x07, r, 0, 0, -(int32_t)(rnd() % 520)); break;
        default: {
            uint64_t v = pick();
            p[n++] = fc_insn_make(0x18, r, 0, 0, (int32_t)v);
            p[n++] = fc_insn_make(0, 0, 0, 0, (int32_t)(v >> 32));
        }
        }
    }
    int body = n, len = 10 + (int)(rnd() % 30), cap = is_callee ? PT_MAX - 16 : PT_MAX - 100;
    for (int k = 0; k < len && n < cap; k++) {
        unsigned dst = (unsigned)(rnd() % 10), src = (unsigned)(rnd() % 11);
        switch (rnd() % 16) {
        case 14: case 15: { /* a counted loop bumping a pointer: counter rc, pointer rp */
            unsigned rc = dst, rp = (dst + 1 + (unsigned)(rnd() % 8)) % 10;
            unsigned rl = (rp + 5) % 10 == rc ? (rp + 6) % 10 : (rp + 5) % 10;
            unsigned rq = (rc + 2) % 10 == rp ? (rc + 3) % 10 : (rc + 2) % 10;
            static const int steps[] = {1, 2, 4, 8, -1, -4, 3};
            static const unsigned lops[] = {FC_JMP_JLT, FC_JMP_JNE, FC_JMP_JLE, FC_JMP_JSLT};
            int step = steps[rnd() % 7];
            int32_t lim = 1 + (int32_t)(rnd() % 80), start = (int32_t)(rnd() % 3);
            unsigned from_stack = rnd() % 4 != 0, copy = rnd() % 3 == 0;
            unsigned cls = rnd() % 2 ? FC_CLS_JMP : FC_CLS_JMP32;
            p[n++] = fc_insn_make(rnd() % 2 ? 0xb7 : 0xb4, rc, 0, 0, start);      /* mov/mov32 rc, start */
            p[n++] = fc_insn_make(0xbf, rp, from_stack ? 10 : 1, 0, 0);          /* rp = r10 or ctx */
            p[n++] = fc_insn_make(0x07, rp, 0, 0, from_stack ? -(int32_t)(rnd() % 520) : 0);
            int top = n;
            if (copy) /* a copy of the counter, tested instead */
                p[n++] = fc_insn_make(0xbf, rq, rc, 0, 0);
            p[n++] = fc_insn_make((uint8_t)(FC_CLS_ST | FC_MODE_MEM | sizes[rnd() % 4]), rp, 0, 0, 7);
            p[n++] = fc_insn_make((uint8_t)(FC_CLS_LDX | FC_MODE_MEM | sizes[rnd() % 4]), rl, rp, 0, 0);
            p[n++] = fc_insn_make(0x07, rp, 0, 0, step);                          /* rp += step */
            p[n++] = fc_insn_make(rnd() % 2 ? 0x07 : 0x04, rc, 0, 0, 1);         /* rc += 1 (64/32) */
            p[n] = fc_insn_make((uint8_t)(cls | lops[rnd() % 4]), copy && rnd() % 2 ? rq : rc, 0, 0, lim);
            p[n].off = (int16_t)(top - (n + 1));
            n++;
            break;
        }
        case 13: { /* a slot: spill, maybe overwrite part of it, reload */
            int16_t slot = (int16_t)(-8 * (int)(1 + rnd() % 3));
            if (rnd() % 2)
                p[n++] = fc_insn_make(0x7b, 10, src, slot, 0);                    /* stxdw */
            else
                p[n++] = fc_insn_make(0x7a, 10, 0, slot, (int32_t)pick());       /* stdw */
            if (rnd() % 2)
                p[n++] = fc_insn_make((uint8_t)(FC_CLS_ST | FC_MODE_MEM | sizes[rnd() % 3]), 10, 0,
                                      (int16_t)(slot + (int)(rnd() % 5)), (int32_t)pick());
            p[n++] = fc_insn_make((uint8_t)(FC_CLS_LDX | FC_MODE_MEM | sizes[rnd() % 4]), dst, 10, slot, 0);
            break;
        }
        case 0: case 1: case 2: { /* ALU */
            fc_insn op = rows[rnd() % nr];
            unsigned o = FC_OPCODE_OP(op.op);
            op.regs = (uint8_t)(dst | (((op.op & FC_SRC_X) && o != FC_ALU_END) ? src << 4 : 0));
            if (!(op.op & FC_SRC_X) && o != FC_ALU_END && o != FC_ALU_NEG) {
                op.imm = (int32_t)pick();
                if (o == FC_ALU_LSH || o == FC_ALU_RSH || o == FC_ALU_ARSH)
                    op.imm = (int32_t)(rnd() % (FC_CLASS(op.op) == FC_CLS_ALU64 ? 64 : 32));
                if ((o == FC_ALU_DIV || o == FC_ALU_MOD) && op.imm == 0)
                    op.imm = 3;
            }
            p[n++] = op;
            break;
        }
        case 3: /* small add: offsets and counters */
            p[n++] = fc_insn_make(0x07, dst, 0, 0, (int32_t)(rnd() % 33) - 16);
            break;
        case 4: /* and with a mask (bounds an index) */
            p[n++] = fc_insn_make(0x57, dst, 0, 0, (int32_t)(rnd() % 512));
            break;
        case 5: { /* load */
            unsigned base = rnd() % 4 ? (rnd() % 3 ? 10 : 1) : src;
            int16_t off = base == 10 ? stack_off() : (int16_t)((int)(rnd() % 600) - 540);
            p[n++] = fc_insn_make((uint8_t)(FC_CLS_LDX | (rnd() % 5 ? FC_MODE_MEM : FC_MODE_MEMSX) |
                                            sizes[rnd() % 4]), dst, base, off, 0);
            if (FC_MODE(p[n - 1].op) == FC_MODE_MEMSX && FC_SIZE(p[n - 1].op) == FC_SZ_DW)
                p[n - 1].op = (uint8_t)(FC_CLS_LDX | FC_MODE_MEM | FC_SZ_DW);
            break;
        }
        case 6: case 7: { /* store, spill */
            unsigned base = rnd() % 6 ? 10 : dst;
            if (is_callee && rnd() % 3 == 0)
                base = 1; /* into the caller's frame */
            int16_t off = base == 10 ? stack_off() : base == 1 && is_callee ? (int16_t)(-(int)(rnd() % 4) * 8)
                                                      : (int16_t)((int)(rnd() % 530) - 520);
            unsigned sz = rnd() % 2 ? FC_SZ_DW : sizes[rnd() % 4];
            if (rnd() % 2)
                p[n++] = fc_insn_make((uint8_t)(FC_CLS_STX | FC_MODE_MEM | sz), base, src, off, 0);
            else
                p[n++] = fc_insn_make((uint8_t)(FC_CLS_ST | FC_MODE_MEM | sz), base, 0, off, (int32_t)pick());
            break;
        }
        case 8: case 9: { /* forward branch (fixed up below) */
            unsigned cls = rnd() % 2 ? FC_CLS_JMP : FC_CLS_JMP32, x = rnd() % 2 ? FC_SRC_X : 0;
            p[n++] = fc_insn_make((uint8_t)(cls | x | jops[rnd() % 11]), dst, x ? src : 0,
                                  (int16_t)(rnd() % 6), x ? 0 : (int32_t)pick());
            break;
        }
        case 10: { /* backward branch to the body (a loop) */
            int back = n - body;
            int tgt = body + (back ? (int)(rnd() % (unsigned)back) : 0);
            unsigned cls = rnd() % 2 ? FC_CLS_JMP : FC_CLS_JMP32;
            p[n++] = fc_insn_make(0x07, dst, 0, 0, 1);
            p[n] = fc_insn_make((uint8_t)(cls | jops[rnd() % 6]), dst, 0, 0, (int32_t)(rnd() % 40));
            p[n].off = (int16_t)(tgt - (n + 1));
            n++;
            break;
        }
        case 11: /* memcpy(r10-a or ctx, r10-b, len) */
        {
            unsigned from_stack = rnd() % 4 != 0;
            p[n++] = fc_insn_make(0xbf, 1, from_stack ? 10 : 1, 0, 0);
            p[n++] = fc_insn_make(0x07, 1, 0, 0, from_stack ? stack_off() : (int32_t)(rnd() % 60));
        }
            p[n++] = fc_insn_make(0xbf, 2, 10, 0, 0);
            p[n++] = fc_insn_make(0x07, 2, 0, 0, stack_off());
            p[n++] = fc_insn_make(0xb7, 3, 0, 0, (int32_t)(rnd() % 24));
            p[n++] = fc_insn_make(0x85, 0, 0, 0, 2);
            break;
        default: /* call the callee with r1 = a pointer into this frame */
            if (callee_at < 0)
                break;
            p[n++] = fc_insn_make(0xbf, 1, 10, 0, 0);
            p[n++] = fc_insn_make(0x07, 1, 0, 0, stack_off());
            p[n] = fc_insn_make(0x85, 0, FC_CALL_LOCAL, 0, 0);
            p[n].imm = callee_at - (n + 1); /* fixed: the callee starts at callee_at */
            n++;
            (*calls)++;
            if (rnd() % 2) /* helper 0x77 (any signature) sees the callee's r1..r5 */
                p[n++] = fc_insn_make(0x85, 0, 0, 0, 0x77);
            for (unsigned r = 1; r <= 5; r++) /* unwritten after the call */
                p[n++] = fc_insn_make(0xb7, r, 0, 0, (int32_t)(rnd() % 100));
            /* reload a slot the callee may have written */
            p[n++] = fc_insn_make(0x79, dst, 10, (int16_t)(-8 * (int)(1 + rnd() % 4)), 0);
            break;
        }
    }
    int ex = n;
    p[n++] = fc_insn_make(0x95, 0, 0, 0, 0);
    cr_assert_leq(n, PT_MAX, "generator overran its buffer");
    for (int i = body; i < ex; i++) {
        unsigned cls = FC_CLASS(p[i].op), op = FC_OPCODE_OP(p[i].op);
        if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && op != FC_JMP_CALL && op != FC_JMP_EXIT &&
            i + 1 + p[i].off > ex)
            p[i].off = (int16_t)(ex - (i + 1));
    }
    (void)start;
    return n;
}

static int gen_prog(fc_insn *p)
{
    int calls = 0;
    int with_callee = rnd() % 3 == 0;
    /* the entry first with a placeholder callee position, then the callee */
    int n = gen_func(p, 0, 0, with_callee ? PT_MAX - 1 : -1, &calls);
    if (with_callee) {
        int callee = n;
        for (int i = 0; i < n; i++)
            if (p[i].op == 0x85 && fc_src(p[i]) == FC_CALL_LOCAL)
                p[i].imm = callee - (i + 1);
        n = gen_func(p, n, 1, -1, &calls);
    }
    return n;
}

typedef struct frame { int ret; uint64_t r6_9[4], fp; } frame;

/* Run concretely; check every executed instruction against the analysis:
 * the registers against the states, the accesses against their classes,
 * hi_zero against the values. With `scramble`, the upper halves the
 * analysis calls dead (hi_dead) are overwritten with garbage after each
 * instruction: the outcome must not change. Returns a digest of the outcome
 * (how it ended, r0, the memory). */
static uint64_t run_concrete(const fc_insn *p, int n, const obs *o, const fc_insn_info *info,
                             uint64_t seed, int prog_no, int scramble)
{
    uint64_t r[FC_NREGS] = {0}, junk = seed | 1, outcome = 0;
    uint8_t init[FC_NREGS] = {0};
    static uint8_t stack[2 * FC_STACK_SIZE];
    uint8_t ctx[CTX_LEN];
    frame fr[2] = {{0, {0}, 0}, {0, {0}, 0}};
    int depth = 0;
    memset(stack, 0, sizeof stack);
    for (unsigned k = 0; k < CTX_LEN; k++)
        ctx[k] = (uint8_t)((seed >> (k % 8 * 8)) ^ k * 37u);
    r[1] = CTX_ADDR;
    r[2] = CTX_LEN;
    r[10] = FP;
    init[1] = init[2] = init[10] = 1;
    int pc = 0;
    for (int steps = 0; steps < 4000 && pc < n; steps++) {
        const fc_insn *x = &p[pc];
        unsigned cls = FC_CLASS(x->op), d = fc_dst(*x), s = fc_src(*x), op = FC_OPCODE_OP(x->op);
        uint64_t up = depth ? fr[0].fp : 0;
        int at = pc, facts = 1; /* facts: check hi_zero / scramble after this instruction */
        cr_assert(o->seen[pc], "prog %d: insn %d executed but never reached by the analysis", prog_no, pc);
        for (unsigned k = 0; k < FC_NREGS && !scramble; k++)
            if (init[k] && !member(&o->regs[pc][k], r[k], r[10], up))
                cr_assert_fail("prog %d insn %d: r%u = 0x%llx outside its state (kind %d [%llx,%llx|%lld,%lld])",
                               prog_no, pc, k, (unsigned long long)r[k], o->regs[pc][k].kind,
                               (unsigned long long)o->regs[pc][k].umin,
                               (unsigned long long)o->regs[pc][k].umax, (long long)o->regs[pc][k].smin,
                               (long long)o->regs[pc][k].smax);
        if (cls == FC_CLS_ALU || cls == FC_CLS_ALU64) {
            int x_src = (x->op & FC_SRC_X) && op != FC_ALU_END;
            cr_assert((op == FC_ALU_MOV || init[d]) && (!x_src || init[s]), "prog %d insn %d: unwritten read", prog_no, pc);
            r[d] = fc_alu_eval(x, r[d], r[s]);
            init[d] = 1;
            pc++;
        } else if (x->op == 0x18) {
            r[d] = (uint64_t)(uint32_t)x->imm | (uint64_t)(uint32_t)p[pc + 1].imm << 32;
            init[d] = 1;
            pc += 2;
        } else if (cls == FC_CLS_LDX || cls == FC_CLS_ST || cls == FC_CLS_STX) {
            unsigned size = fc_size_bytes(x->op), base = cls == FC_CLS_LDX ? s : d;
            cr_assert(init[base], "prog %d insn %d: unwritten base", prog_no, pc);
            uint8_t *m = addr_of(stack, ctx, r[10], r[base] + (uint64_t)(int64_t)x->off, size);
            if (!m) {
                cr_assert_neq(info[pc].access, FC_ACC_PROVEN,
                              "prog %d insn %d: PROVEN access faults (address 0x%llx)", prog_no, pc,
                              (unsigned long long)(r[base] + (uint64_t)(int64_t)x->off));
                outcome = 0x1000000ull + (uint64_t)pc; /* the run-time check stops the program */
                goto done;
            }
            if (cls == FC_CLS_LDX) {
                uint64_t v = 0;
                for (unsigned k = 0; k < size; k++)
                    v |= (uint64_t)m[k] << (8 * k);
                if (FC_MODE(x->op) == FC_MODE_MEMSX) {
                    uint64_t sb = 1ull << (8 * size - 1);
                    v = (v ^ sb) - sb;
                }
                r[d] = v;
                init[d] = 1;
            } else {
                uint64_t v = cls == FC_CLS_ST ? (uint64_t)(int64_t)x->imm : r[s];
                cr_assert(cls == FC_CLS_ST || init[s]);
                for (unsigned k = 0; k < size; k++)
                    m[k] = (uint8_t)(v >> (8 * k));
            }
            pc++;
        } else if (x->op == 0x85 && s == FC_CALL_HELPER && x->imm == 0x77) {
            /* unknown signature: mixes all of r1..r5, written or not */
            uint64_t h = 0x9e3779b97f4a7c15ull;
            for (unsigned k = 1; k <= 5; k++)
                h = (h ^ r[k]) * 0x100000001b3ull;
            r[0] = h;
            init[0] = 1;
            for (unsigned k = 0; k < 8; k++) /* and leaves a trace in the context (the digest) */
                ctx[k] ^= (uint8_t)(h >> (8 * k));
            pc++;
        } else if (x->op == 0x85 && s == FC_CALL_HELPER) { /* memcpy */
            cr_assert(init[1] && init[2] && init[3], "prog %d insn %d: helper argument unwritten", prog_no, pc);
            if (r[3]) {
                uint8_t *dm = addr_of(stack, ctx, r[10], r[1], (unsigned)r[3]);
                uint8_t *sm = addr_of(stack, ctx, r[10], r[2], (unsigned)r[3]);
                if (!dm || !sm || r[3] > 64) {
                    outcome = 0x2000000ull + (uint64_t)pc; /* the helper refuses: the program stops */
                    goto done;
                }
                memmove(dm, sm, (size_t)r[3]);
            }
            r[0] = r[1];
            init[0] = 1;
            pc++;
        } else if (x->op == 0x85) { /* local call */
            cr_assert_eq(depth, 0);
            fr[depth].ret = pc + 1;
            fr[depth].fp = r[10];
            memcpy(fr[depth].r6_9, &r[6], sizeof fr[depth].r6_9);
            depth++;
            r[10] -= FC_STACK_SIZE;
            init[0] = init[6] = init[7] = init[8] = init[9] = 0; /* the callee may not read them */
            pc = pc + 1 + x->imm;
            facts = 0; /* "after the call" is after the return */
        } else if (x->op == 0x95) {
            cr_assert(init[0], "prog %d: exit with r0 unwritten", prog_no);
            facts = 0;
            if (!depth) {
                outcome = r[0];
                goto done;
            }
            depth--;
            pc = fr[depth].ret;
            r[10] = fr[depth].fp;
            memcpy(&r[6], fr[depth].r6_9, sizeof fr[depth].r6_9);
            init[6] = init[7] = init[8] = init[9] = 1;
            init[1] = init[2] = init[3] = init[4] = init[5] = 0; /* unwritten after a local call */
        } else { /* conditional or unconditional jump */
            int take = 1;
            if (op != FC_JMP_JA) {
                cr_assert(init[d] && (!(x->op & FC_SRC_X) || init[s]));
                take = cond_holds(x, r[d], r[s]);
            }
            pc = take ? pc + 1 + x->off : pc + 1;
        }
        if (!facts)
            continue;
        unsigned hz = info[at].hi_zero | (unsigned)info[at].hi_zero2 << 8;
        unsigned hd = info[at].hi_dead | (unsigned)info[at].hi_dead2 << 8;
        for (unsigned k = 0; k < FC_NREGS; k++) {
            if (!scramble && init[k] && (hz >> k & 1))
                cr_assert_eq(r[k] >> 32, 0, "prog %d insn %d: hi_zero claims r%u < 2^32, it is 0x%llx",
                             prog_no, at, k, (unsigned long long)r[k]);
            if (scramble && k < 10 && (hd >> k & 1)) {
                junk ^= junk << 13; junk ^= junk >> 7; junk ^= junk << 17;
                r[k] ^= junk & 0xffffffff00000000ull;
            }
        }
    }
    outcome = 0x3000000ull; /* out of steps */
done:;
    uint64_t h = outcome * 0x100000001b3ull;
    for (unsigned k = 0; k < sizeof stack; k++)
        h = (h ^ stack[k]) * 0x100000001b3ull;
    for (unsigned k = 0; k < CTX_LEN; k++)
        h = (h ^ ctx[k]) * 0x100000001b3ull;
    return h;
}

Test(verify, random_programs_concrete_runs_stay_inside_the_analysis)
{
    static fc_insn p[PT_MAX];
    static obs o;
    int accepted = 0, proven = 0, with_calls = 0, count = 4000;
    /* FC_VFY_SEED / FC_VFY_PROGRAMS: longer or other runs by hand */
    const char *es = getenv("FC_VFY_SEED"), *ec = getenv("FC_VFY_PROGRAMS");
    rng_state = es ? strtoull(es, NULL, 0) | 1 : 0x9e3779b97f4a7c15ull;
    if (ec && atoi(ec) > 0)
        count = atoi(ec);
    for (int t = 0; t < count; t++) {
        int n = gen_prog(p);
        fc_prog prog = {0};
        prog.insns = p;
        prog.ninsns = (uint32_t)n;
        memset(&o, 0, sizeof o);
        fc_vfy_opts opts = {0};
        static const fc_vfy_helper allow[2] = {{2, FC_HSIG_UNKNOWN, {0}, ""}, {0x77, FC_HSIG_UNKNOWN, {0}, ""}};
        opts.helpers = allow;
        opts.nhelpers = 2;
        opts.ctx_size = (rnd() % 2) ? CTX_LEN : 0;
        opts.observe = observe;
        opts.observe_ctx = &o;
        if (rnd() % 4 == 0)
            opts.widen_after = 1 + (uint32_t)(rnd() % 4);
        size_t wsz = fc_vfy_workspace_size(&prog);
        void *ws = malloc(wsz);
        fc_insn_info *info = calloc((size_t)n, sizeof *info);
        fc_vfy_stats st;
        int rc = fc_vfy_run(&prog, &opts, ws, wsz, info, &st, NULL);
        if (rc == 0) {
            accepted++;
            with_calls += st.max_call_depth > 1;
            proven += (int)(st.loads_proven + st.stores_proven);
            for (int run = 0; run < 4; run++) {
                uint64_t seed = rnd();
                uint64_t plain = run_concrete(p, n, &o, info, seed, t, 0);
                uint64_t scrambled = run_concrete(p, n, &o, info, seed, t, 1);
                cr_assert_eq(plain, scrambled, "prog %d: garbage in upper halves called dead changed the outcome", t);
            }
        }
        free(ws);
        free(info);
    }
    fprintf(stderr, "property test: %d of %d random programs accepted (%d with a call), %d proven accesses\n",
            accepted, count, with_calls, proven);
    cr_assert_gt(accepted, count / 5, "too few random programs pass the verifier (%d)", accepted);
    cr_assert_gt(with_calls, count / 40);
    cr_assert_gt(proven, count / 2);
}
