/*
 * Unit tests of the runtime build options (docs/PORTING.md "Runtime
 * build options"). This file is compiled twice, each time linked with the
 * device loader (runtime/fc_loader.c) compiled with the option, into a
 * binary of its own (tests/rtopt.mk): the objects given first win over the
 * default ones in libfcrt.a, so fc_install/fc_open/fc_run, also when called
 * by the simulated device (sim/fr_device.c), are the option's.
 *
 *   -DFC_NO_INTERP  build/bin/unit-rtopt-nointerp
 *   -DFC_NO_NATIVE  build/bin/unit-rtopt-nonative
 *
 * Both binaries build the same container (the same program through the
 * thumbv7m backend and the writer) and run it with the same contexts: the
 * native-only one checks that native r0 is the program's value, the
 * interpreter-only one that the interpreter gives that same value.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "fc_loader.h"
#include "fc_fcx.h"
#include "fc_backend.h"
#include "fr_device.h"

#if defined(FC_NO_INTERP) == defined(FC_NO_NATIVE)
#error "compile with exactly one of -DFC_NO_INTERP, -DFC_NO_NATIVE"
#endif

#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }

/* r0 = ctx[0] * 10 + 7, through a loop (budget counted by both engines) */
static fc_insn prog[] = {
    I(0x61, 6, 1, 0, 0),      /* ldxw r6, [r1]     */
    I(0xb7, 0, 0, 0, 0),      /* mov r0, 0         */
    I(0xb7, 8, 0, 0, 0),      /* mov r8, 0         */
    I(0x0f, 0, 6, 0, 0),      /* add r0, r6        */
    I(0x07, 8, 0, 0, 1),      /* add r8, 1         */
    I(0xa5, 8, 0, -3, 10),    /* jlt r8, 10, -3    */
    I(0x07, 0, 0, 0, 7),      /* add r0, 7         */
    I(0x95, 0, 0, 0, 0),      /* exit              */
};
#define NPROG (sizeof prog / sizeof prog[0])
static const uint32_t ctxw[3] = { 0, 0x1234, 0xFFFFFFFFu };

static uint64_t want_r0(uint32_t c) { return (uint64_t)c * 10u + 7u; }

/* The container: bytecode, plus code for `target` if native. */
typedef struct built {
    uint8_t *fcx;
    size_t len;
} built;

static built make_fcx(int native, unsigned target)
{
    static fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = prog;
    p.ninsns = NPROG;
    fc_fcx_code code;
    memset(&code, 0, sizeof code);
    uint8_t *cbuf = NULL;
    fc_bk_reloc *brel = NULL;
    fc_bk_pcmap *bpm = NULL;
    fc_fcx_reloc *rl = NULL;
    fc_fcx_pcmap *pm = NULL;
    void *work = NULL;
    uint32_t entry_off[1] = { 0 };
    if (native) {
        const fc_backend *bk = target == FC_TARGET_THUMBV7M ? &fc_backend_thumbv7m : &fc_backend_rv32imac;
        size_t wl = bk->work_size(&p);
        work = malloc(wl ? wl : 1);
        fc_bk_opts opts = { .flags = 0, .entries = NULL, .nentries = 0 };
        fc_bk_out out;
        memset(&out, 0, sizeof out);
        out.entry_off = entry_off;
        cr_assert_eq(bk->compile(&p, NULL, &opts, work, wl, &out, NULL), FC_BK_ENOSPACE);
        cbuf = malloc(out.code_len);
        brel = malloc((out.nrelocs + 1) * sizeof *brel);
        bpm = malloc((out.npcmap + 1) * sizeof *bpm);
        out.code = cbuf; out.code_cap = out.code_len;
        out.relocs = brel; out.relocs_cap = out.nrelocs;
        out.pcmap = bpm; out.pcmap_cap = out.npcmap;
        cr_assert_eq(bk->compile(&p, NULL, &opts, work, wl, &out, NULL), FC_BK_OK);
        rl = calloc(out.nrelocs + 1, sizeof *rl);
        pm = calloc(out.npcmap + 1, sizeof *pm);
        for (uint32_t k = 0; k < out.nrelocs; k++)
            rl[k] = (fc_fcx_reloc){ out.relocs[k].offset, out.relocs[k].kind, out.relocs[k].sym, 0,
                                    out.relocs[k].addend };
        for (uint32_t k = 0; k < out.npcmap; k++)
            pm[k] = (fc_fcx_pcmap){ out.pcmap[k].native_off, out.pcmap[k].insn };
        code = (fc_fcx_code){ .target = (uint8_t)target,
                              .isa = target == FC_TARGET_THUMBV7M ? FC_ISA_T2_HWDIV : FC_ISA_RV_M,
                              .code = cbuf, .code_len = out.code_len, .relocs = rl,
                              .nrelocs = out.nrelocs, .pcmap = pm, .npcmap = out.npcmap,
                              .entry_offsets = entry_off };
    }
    fc_fcx_entry ents[] = { { "main", 0 } };
    fc_fcx_input in = { .prog = &p, .entries = ents, .nentries = 1,
                        .code = native ? &code : NULL, .ncode = native ? 1u : 0u };
    built b = { NULL, 0 };
    fc_diag dv[4];
    fc_diags d = { dv, 4, 0, 0, 0 };
    int e = fc_fcx_write_alloc(&in, &b.fcx, &b.len, &d);
    cr_assert_eq(e, FC_FCX_OK, "writer: %s", d.n ? dv[0].msg : "?");
    free(cbuf); free(brel); free(bpm); free(rl); free(pm); free(work);
    return b;
}

static fr_device *open_dev(unsigned target)
{
    char err[200];
    fr_device *d = fr_open(target, 0, err, sizeof err);
    cr_assert_not_null(d, "device: %s", err);
    return d;
}

static uint64_t run_ctx(fr_device *d, const fc_app *app, uint32_t c, uint32_t flags,
                        fc_run_result *res, int *rc)
{
    uint8_t ctx[4];
    memcpy(ctx, &c, 4);
    uint64_t r0 = 0xDEADu;
    fr_stats st;
    *rc = fr_run(d, app, 0, flags, ctx, 4, 0, &r0, res, &st);
    return r0;
}

#ifdef FC_NO_INTERP
/* ---- native-only runtime -------------------------------------------------- */
Test(rtopt_nointerp, refuses_a_bytecode_only_container)
{
    fr_device *d = open_dev(FC_TARGET_THUMBV7M);
    built b = make_fcx(0, 0);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    int e = fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, &info, &r);
    cr_assert_eq(e, FC_LERR_NO_NATIVE, "got %s", fc_lerr_str(e));
    cr_assert_eq(r.code, FC_LERR_NO_NATIVE);
    cr_assert(r.what && strstr(r.what, "no interpreter"), "message: %s", r.what ? r.what : "(none)");
    /* and fc_check gives the same verdict */
    fc_install_cfg cfg = { .plat = fr_platform(d) };
    cr_assert_eq(fc_check(b.fcx, (uint32_t)b.len, &cfg, NULL, &r), FC_LERR_NO_NATIVE);
    free(b.fcx);
    fr_close(d);
}

Test(rtopt_nointerp, refuses_code_for_another_core_and_a_core_without_native)
{
    built b = make_fcx(1, FC_TARGET_RV32IMAC);
    fc_app app;
    fc_lresult r;
    fr_device *d = open_dev(FC_TARGET_THUMBV7M);
    cr_assert_eq(fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, NULL, &r), FC_LERR_NO_NATIVE);
    fr_close(d);
    d = open_dev(FC_TARGET_EBPF);   /* no core: nothing could run */
    cr_assert_eq(fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, NULL, &r), FC_LERR_NO_NATIVE);
    fr_close(d);
    free(b.fcx);
}

Test(rtopt_nointerp, untrusted_native_code_is_refused_not_dropped)
{
    /* default build: FC_POLICY_NATIVE_SIGNED installs an unsigned container
     * as bytecode only; here there is nothing to fall back to */
    static const fc_trust_key key = { { 1, 2, 3 } };
    built b = make_fcx(1, FC_TARGET_THUMBV7M);
    fc_app app;
    fc_lresult r;
    fr_device *d = open_dev(FC_TARGET_THUMBV7M);
    fr_set_trust(d, &key, 1, FC_POLICY_NATIVE_SIGNED);
    int e = fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, NULL, &r);
    cr_assert_eq(e, FC_LERR_SIGNATURE, "got %s", fc_lerr_str(e));
    /* and an explicit bytecode-only install is refused as an argument */
    fr_set_trust(d, NULL, 0, FC_POLICY_ACCEPT_UNSIGNED);
    e = fr_install(d, b.fcx, (uint32_t)b.len, FC_INSTALL_BYTECODE_ONLY, &app, NULL, &r);
    cr_assert_eq(e, FC_LERR_ARG, "got %s", fc_lerr_str(e));
    fr_close(d);
    free(b.fcx);
}

Test(rtopt_nointerp, runs_a_native_container_natively)
{
    built b = make_fcx(1, FC_TARGET_THUMBV7M);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    fr_device *d = open_dev(FC_TARGET_THUMBV7M);
    int e = fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, &info, &r);
    cr_assert_eq(e, FC_OK, "install: %s (%s)", fc_lerr_str(e), r.what ? r.what : "");
    cr_assert_eq(info.engine, FC_TARGET_THUMBV7M);
    cr_assert_eq(app.engine, FC_TARGET_THUMBV7M);
    for (unsigned k = 0; k < 3; k++) {
        fc_run_result res;
        int rc;
        uint64_t r0 = run_ctx(d, &app, ctxw[k], 0, &res, &rc);
        cr_assert_eq(rc, FC_OK, "run %u: %s", k, fc_lerr_str(rc));
        cr_assert_eq(res.engine, FC_TARGET_THUMBV7M, "run %u", k);
        cr_assert_eq(res.insn_count, 0, "run %u: the interpreter ran", k);
        cr_assert_eq(r0, want_r0(ctxw[k]), "run %u: r0 0x%llx", k, (unsigned long long)r0);
    }
    /* asking for the interpreter: refused, nothing runs */
    fc_run_result res;
    int rc;
    uint64_t r0 = run_ctx(d, &app, 5, FC_RUN_INTERP, &res, &rc);
    cr_assert_eq(rc, FC_LERR_ARG, "got %s", fc_lerr_str(rc));
    cr_assert_eq(r0, 0xDEADu);
    /* an app bound for the interpreter (made by hand) cannot run either */
    fc_app fake = app;
    fake.engine = FC_TARGET_EBPF;
    r0 = run_ctx(d, &fake, 5, 0, &res, &rc);
    cr_assert_eq(rc, FC_LERR_NO_NATIVE, "got %s", fc_lerr_str(rc));
    cr_assert_eq(r0, 0xDEADu);
    fr_close(d);
    free(b.fcx);
}
#endif

#ifdef FC_NO_NATIVE
/* ---- interpreter-only runtime --------------------------------------------- */
Test(rtopt_nonative, native_container_runs_in_the_interpreter)
{
    static const unsigned targets[] = { FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC };
    for (unsigned ti = 0; ti < 2; ti++) {
        unsigned t = targets[ti];
        built b = make_fcx(1, t);
        fc_app app;
        fc_install_info info;
        fc_lresult r;
        fr_device *d = open_dev(t);   /* a core the code is for, emulator attached */
        int e = fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, &info, &r);
        cr_assert_eq(e, FC_OK, "install: %s (%s)", fc_lerr_str(e), r.what ? r.what : "");
        cr_assert_eq(info.engine, FC_TARGET_EBPF, "target %u", t);
        cr_assert_eq(info.nrelocs, 0, "target %u: relocations counted", t);
        cr_assert_eq(info.native_dropped, 0, "target %u: not a policy decision", t);
        cr_assert_eq(app.code_len, 0, "target %u: native code copied into the slot", t);
        for (unsigned k = 0; k < 3; k++) {
            fc_run_result res;
            int rc;
            uint64_t r0 = run_ctx(d, &app, ctxw[k], 0, &res, &rc);
            cr_assert_eq(rc, FC_OK, "run %u: %s", k, fc_lerr_str(rc));
            cr_assert_eq(res.engine, FC_TARGET_EBPF, "run %u", k);
            cr_assert_gt(res.insn_count, 0, "run %u", k);
            cr_assert_eq(r0, want_r0(ctxw[k]), "run %u: r0 0x%llx", k, (unsigned long long)r0);
            cr_assert_eq(res.budget_left, FC_DEFAULT_BUDGET - 9, "run %u", k);
        }
        fr_close(d);
        free(b.fcx);
    }
}

Test(rtopt_nonative, refuses_to_require_native_code)
{
    built b = make_fcx(1, FC_TARGET_THUMBV7M);
    fc_app app;
    fc_lresult r;
    fr_device *d = open_dev(FC_TARGET_THUMBV7M);
    int e = fr_install(d, b.fcx, (uint32_t)b.len, FC_INSTALL_REQUIRE_NATIVE, &app, NULL, &r);
    cr_assert_eq(e, FC_LERR_NATIVE_UNAVAILABLE, "got %s", fc_lerr_str(e));
    cr_assert(r.what && strstr(r.what, "interpreter only"), "message: %s", r.what ? r.what : "(none)");
    /* a hand-made app claiming native code is not entered */
    cr_assert_eq(fr_install(d, b.fcx, (uint32_t)b.len, 0, &app, NULL, &r), FC_OK);
    fc_app fake = app;
    fake.engine = FC_TARGET_THUMBV7M;
    fc_run_result res;
    int rc;
    uint64_t r0 = run_ctx(d, &fake, 5, 0, &res, &rc);
    cr_assert_eq(rc, FC_LERR_NATIVE_UNAVAILABLE, "got %s", fc_lerr_str(rc));
    cr_assert_eq(r0, 0xDEADu);
    fr_close(d);
    free(b.fcx);
}
#endif
