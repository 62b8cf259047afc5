/*
 * fuzz_diff.c - libFuzzer differential harness: bytecode through the
 * verifier, then the interpreter against the Thumb-2 backend (Cortex-M3 in
 * Unicorn) and the RV32IMAC backend (E31 in Unicorn), with and without the
 * verifier's facts, and every Xtensa engine (sim/fc_xt_diff.h: lx106 in
 * qemu-xtensa) the same way. libFuzzer runs inputs in-process, so the
 * Xtensa runner is opened at the first input and kept: one QEMU process
 * for the whole campaign (a child of the fuzzer process; with -jobs/-fork
 * one per worker), restarted by the runner after a fault or a timeout -
 * though either is a failure here and ends the campaign. Any difference in r0, error, error instruction, fault
 * address, budget left or memory (context, .data, .bss, stack) aborts, so
 * libFuzzer keeps the input.
 *
 * Input layout (little-endian):
 *   byte 0   context length (0..63)
 *   byte 1   budget: 1 + b (kept small: an endless loop costs budget x its
 *            length in each of the eight runs of an input, and the per-input
 *            time limit must hold under ASan)
 *   byte 2   bit 0: context read-only; bits 1..2: backend flags for the
 *            run without facts (0, CHECK_ALL, NO_OPT, NO_FACTS); bit 3: a
 *            .data section of 32 bytes; bit 4: .rodata of 32; bit 5: .bss of 32
 *   byte 3   seed for the context and section bytes
 *   then     8-byte instructions (at most FUZZ_MAX_INSNS)
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
static const uint32_t allow[] = {FC_HELPER_MEMCPY, 0x80, 0x81, 0x82};
#define NALLOW (sizeof allow / sizeof allow[0])

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
    static uint8_t ctx[64], ro[32], da[32];

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
    uint32_t n = (uint32_t)((size - 4) / 8);
    if (n > FUZZ_MAX_INSNS)
        n = FUZZ_MAX_INSNS;
    for (uint32_t k = 0; k < n; k++)
        insns[k] = fc_insn_decode(data + 4 + 8 * k);
    uint32_t ctx_len = data[0] & 63u;
    uint64_t budget = 1u + data[1];
    unsigned ro_ctx = data[2] & 1u;
    static const uint32_t flags[] = {0, FC_BK_CHECK_ALL, FC_BK_NO_OPT, FC_BK_NO_FACTS};
    uint32_t nf_flags = flags[(data[2] >> 1) & 3u];
    uint64_t x = data[3] * 0x9e3779b97f4a7c15ull + 1;
    for (unsigned k = 0; k < sizeof ctx; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ctx[k] = (uint8_t)x;
        if (k < sizeof ro) {
            ro[k] = (uint8_t)(x >> 8);
            da[k] = (uint8_t)(x >> 16);
        }
    }

    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = insns;
    p.ninsns = n;
    if (data[2] & 8u) {
        p.data = da;
        p.data_len = sizeof da;
    }
    if (data[2] & 16u) {
        p.rodata = ro;
        p.rodata_len = sizeof ro;
    }
    if (data[2] & 32u)
        p.bss_len = 32;

    fc_vfy_helper vh[NALLOW];
    memset(vh, 0, sizeof vh);
    for (unsigned k = 0; k < NALLOW; k++) {
        vh[k].id = allow[k];
        vh[k].nargs = FC_HSIG_UNKNOWN;
    }
    fc_vfy_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.ctx_size = ro_ctx ? 0 : ctx_len;
    vo.helpers = vh;
    vo.nhelpers = NALLOW;
    size_t wl = fc_vfy_workspace_size(&p);
    if (wl > sizeof ws || fc_vfy_run(&p, &vo, ws, wl, info, NULL, NULL) != 0)
        return 0;   /* the verifier refuses it: no engine ever runs it */
    n_compared++;

    fc_emu_case c;
    memset(&c, 0, sizeof c);
    c.insns = insns;
    c.n = n;
    c.ctx = ctx;
    c.ctx_len = ctx_len;
    c.ctx_perm = ro_ctx ? FC_PERM_R : FC_PERM_RW;
    c.rodata = p.rodata;
    c.rodata_len = p.rodata_len;
    c.data = p.data;
    c.data_len = p.data_len;
    c.bss_len = p.bss_len;
    c.helpers = helpers;
    c.nhelpers = sizeof helpers / sizeof helpers[0];
    c.allow = allow;
    c.nallow = NALLOW;
    c.budget = budget;
    for (unsigned b = 0; b < 2; b++)
        for (unsigned v = 0; v < 2; v++) {
            fc_emu_outcome oi, on;
            char msg[400], what[64];
            c.info = v == 0 ? info : NULL;
            c.bk_flags = v == 0 ? 0 : nf_flags;
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
            c.bk_flags = v == 0 ? 0 : nf_flags;
            int d = fc_xtd_diff(xtd[x], &c, &oi, &on, msg, sizeof msg);
            snprintf(what, sizeof what, "%s %s", fc_xtd_engine_of(xtd[x])->name,
                     v == 0 ? "with facts" : "without facts");
            if (d != 0)
                fail(what, &c, msg);
        }
    return 0;
}
