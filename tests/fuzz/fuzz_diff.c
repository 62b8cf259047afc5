/*
 * fuzz_diff.c - libFuzzer differential harness: bytecode through the
 * verifier, then the interpreter against the Thumb-2 backend (Cortex-M3 in
 * Unicorn) and the RV32IMAC backend (E31 in Unicorn), with and without the
 * verifier's facts, and every Xtensa engine (sim/fc_xt_diff.h: lx106 and
 * esp32 in qemu-xtensa) the same way. libFuzzer runs inputs in-process, so the
 * Xtensa runner is opened at the first input and kept: one QEMU process
 * for the whole campaign (a child of the fuzzer process; with -jobs/-fork
 * one per worker), restarted by the runner after a fault or a timeout -
 * though either is a failure here and ends the campaign. Any difference in r0, error, error instruction, fault
 * address, budget left or memory (context, .data, .bss, stack) aborts, so
 * libFuzzer keeps the input.
 *
 * Input layout: tests/diff/diff_inputs.h (diff_rand_decode); the budget
 * (1 + byte 1) is kept small: an endless loop costs budget x its length in
 * each of the runs of an input, and the per-input time limit must hold under
 * ASan; the backend flags of byte 2 are those of the run without facts; at
 * most FUZZ_MAX_INSNS instructions.
 * `make fuzz-diff` starts from a corpus diff-random writes (its verified
 * programs in this layout).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_emu.h"
#include "fc_helpers.h"
#include "../diff/diff_helpers.h"
#include "../diff/diff_inputs.h"
#include "fc_verify.h"
#include "fc_xt_diff.h"

#define FUZZ_MAX_INSNS 512u

/* the same helpers and allowlist as tests/diff/diff_random.c */
static const fc_helper helpers[] = {
    {FC_HELPER_MEMCPY, fc_helper_memcpy, "memcpy"},
    {0x80, h_mix, "mix"},
    {0x81, h_sum, "sum"},
    {0x82, h_unwind, "unwind"},
};

static fc_emu *emu[2];
static fc_xtd *xtd[4];
static unsigned nxtd;
static unsigned long n_inputs, n_compared;

/* at exit: how many inputs reached the engines (the smoke step checks it) */
static void report(void)
{
    unsigned starts = 0;
    for (unsigned x = 0; x < nxtd; x++)
        starts += fc_xt_starts(fc_xtd_runner(xtd[x]));
    fprintf(stderr, "fuzz-diff: %lu inputs, %lu verified and compared on %u runs each (%u on Xtensa, "
            "%u QEMU processes started)\n", n_inputs, n_compared, 4 + 2 * nxtd, 2 * nxtd, starts);
    while (nxtd)
        fc_xtd_close(xtd[--nxtd]);
}

static void fail(const char *what, const fc_emu_case *c, const char *msg)
{
    fprintf(stderr, "fuzz-diff: %s: %s (%u instructions, context %u bytes, budget %llu)\n", what,
            msg, c->n, c->ctx_len, (unsigned long long)c->budget);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fc_insn insns[FUZZ_MAX_INSNS];
    static fc_insn_info info[FUZZ_MAX_INSNS];
    static uint8_t ws[1 << 21];

    n_inputs++;
    if (size < 4 + 8)
        return 0;
    if (!emu[0]) {
        atexit(report);
        char err[200];
        emu[0] = fc_emu_open_target(FC_TARGET_THUMBV7M, err, sizeof err);
        emu[1] = fc_emu_open_target(FC_TARGET_RV32IMAC, err, sizeof err);
        if (!emu[0] || !emu[1]) {
            fprintf(stderr, "fuzz-diff: emulator: %s\n", err);
            abort();
        }
        for (size_t k = 0; k < fc_xtd_engines_count && k < sizeof xtd / sizeof xtd[0]; k++) {
            if (!(xtd[nxtd] = fc_xtd_open(&fc_xtd_engines[k], err, sizeof err))) {
                fprintf(stderr, "fuzz-diff: %s: %s\n", fc_xtd_engines[k].name, err);
                abort();
            }
            nxtd++;
        }
    }
    diff_rand r;
    uint32_t n = diff_rand_decode(data, size, insns, FUZZ_MAX_INSNS, &r);
    const fc_prog *pp = &r.p;
    size_t wl = fc_vfy_workspace_size(pp);
    if (wl > sizeof ws || fc_vfy_run(pp, &r.vo, ws, wl, info, NULL, NULL) != 0)
        return 0;   /* the verifier refuses it: no engine ever runs it */
    n_compared++;

    fc_emu_case c;
    memset(&c, 0, sizeof c);
    c.insns = insns;
    c.n = n;
    c.ctx = r.ctx;
    c.ctx_len = r.ctx_len;
    c.ctx_perm = r.ro_ctx ? FC_PERM_R : FC_PERM_RW;
    c.rodata = pp->rodata;
    c.rodata_len = pp->rodata_len;
    c.data = pp->data;
    c.data_len = pp->data_len;
    c.bss_len = pp->bss_len;
    c.helpers = helpers;
    c.nhelpers = sizeof helpers / sizeof helpers[0];
    c.allow = diff_rand_allow;
    c.nallow = 4;
    c.budget = r.budget;
    for (unsigned b = 0; b < 2; b++)
        for (unsigned v = 0; v < 2; v++) {
            fc_emu_outcome oi, on;
            char msg[400], what[64];
            c.info = v == 0 ? info : NULL;
            c.bk_flags = v == 0 ? 0 : r.bk_flags;
            int d = fc_emu_diff(emu[b], &c, &oi, &on, msg, sizeof msg);
            snprintf(what, sizeof what, "%s %s", b ? "rv32imac" : "thumbv7m",
                     v == 0 ? "with facts" : "without facts");
            if (d < 0)
                fail(what, &c, msg);   /* a verified program the backend cannot compile */
            if (d > 0)
                fail(what, &c, msg);
        }
    for (unsigned x = 0; x < nxtd; x++)
        for (unsigned v = 0; v < 2; v++) {
            fc_emu_outcome oi, on;
            char msg[400], what[64];
            c.info = v == 0 ? info : NULL;
            c.bk_flags = v == 0 ? 0 : r.bk_flags;
            int d = fc_xtd_diff(xtd[x], &c, &oi, &on, msg, sizeof msg);
            snprintf(what, sizeof what, "%s %s", fc_xtd_engine_of(xtd[x])->name,
                     v == 0 ? "with facts" : "without facts");
            if (d != 0)
                fail(what, &c, msg);
        }
    return 0;
}
