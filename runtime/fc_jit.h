/*
 * fc_jit.h - the device compiles: bytecode in, verified native code out, at
 * install (docs/sandbox.md "The device's own compiler").
 *
 * The same verifier (compiler/fc_verify.h) and the same backend, called
 * through its fc_backend entry (b->work_size, b->compile) with femtoc's
 * default options, as femtoc runs for -march of this core; so for the same
 * bytecode the device's code is byte for byte femtoc's (tests/jit). The
 * loader calls it through the platform hook (fc_platform.jit =
 * fc_jit_hook, jit_ctx = a struct fc_jit_ctx) under FC_POLICY_JIT and
 * streams its output into the slot as it does a container's code.
 *
 * Freestanding C99, no allocation, no global state: everything lives in the
 * caller's workspace of fc_jit_workspace_size() bytes, known before
 * compiling from the bytecode alone:
 *
 *   ws + 0      entry slots (u32), entry name pointers
 *        ...    fc_insn_info per instruction (kept from verifier to backend)
 *        ...    output: code (bound per instruction), native entries, relocation
 *               and pc map records (the container's layouts; fc_jit_out)
 *        ...    scratch: the verifier's workspace and its messages, then
 *               (reused) the backend's workspace
 *
 * The container's bytecode is read in place (it must be 4-byte aligned).
 */
#ifndef FC_JIT_H
#define FC_JIT_H

#include <stddef.h>
#include <stdint.h>
#include "fc_loader.h"
#include "fc_prog.h"
#include "fc_backend.h"

/* Output bounds the workspace reserves per eBPF instruction (slot), plus a
 * fixed part: code bytes, relocation and pc map records. A program whose
 * code would exceed them is refused with FC_LERR_JIT_COMPILE (the install
 * falls back to the interpreter); tests/jit checks the largest ratio seen. */
#define FC_JIT_CODE_PER_INSN   64u
#define FC_JIT_CODE_FIXED      1024u
#define FC_JIT_RELOC_PER_INSN  1u
#define FC_JIT_RELOC_FIXED     32u
#define FC_JIT_PCMAP_PER_INSN  2u
#define FC_JIT_PCMAP_FIXED     32u
#define FC_JIT_NDIAG           4u   /* verifier messages kept */

/* The backend options: femtoc's default (no --check-all). */
#define FC_JIT_BK_FLAGS        0u

/* What the last compile used and made. */
typedef struct fc_jit_stats {
    uint32_t ninsns, nentries;
    uint32_t code_len, nrelocs, npcmap;
    size_t ws_need;              /* fc_jit_workspace_size of the program     */
    size_t vfy_ws, bk_ws;        /* the verifier's and the backend's parts   */
    size_t out_ws;               /* the output part (bounds)                 */
    const char *backend;         /* -march name                              */
} fc_jit_stats;

/* The verifier's options femtoc takes from its command line; zero is
 * femtoc's default (every helper it knows, with their signatures). A device
 * registering helpers femtoc does not know passes the list femtoc was given
 * (--helper lines), or the programs calling them are refused. */
typedef struct fc_jit_opts {
    const struct fc_vfy_helper *helpers;   /* allowlist, NULL: every known one */
    uint32_t nhelpers;
    uint32_t vflags;                       /* FC_VFY_F_* (--masked-shifts)      */
} fc_jit_opts;

/* The hook's context: the caller's workspace (8-byte aligned). */
typedef struct fc_jit_ctx {
    void *ws;
    size_t ws_len;
    fc_jit_opts opts;
    fc_jit_stats st;             /* filled by every call                     */
} fc_jit_ctx;

/* The backend the device uses for a core (enum fc_target, FC_ISA_* bits):
 * thumbv7m; rv32imac, rv32ima (no C) or rv32imc (no A); NULL if none. */
const fc_backend *fc_jit_backend(unsigned target, uint32_t isa);
/* The FC_ISA_* bits backend b's code needs (femtoc's fc_cc_isa). */
uint32_t fc_jit_isa(const fc_backend *b);

/* Workspace bytes for compiling the program of in (in->insns 4-aligned),
 * 0 if the core has no backend. */
size_t fc_jit_workspace_size_in(const fc_jit_in *in);
/* The same for a container (located by its section table, bounds-checked;
 * not otherwise validated): 0 if it cannot be read. */
size_t fc_jit_workspace_size(const uint8_t *fcx, uint32_t len, unsigned target, uint32_t isa);

/*
 * Verify and compile in for in->target. ws: ws_len bytes, 8-byte aligned.
 * Returns FC_OK with *out pointing into ws, FC_LERR_JIT_VERIFY (res->item:
 * the instruction index or -1, res->what: the verifier's first error
 * message, kept in ws) or FC_LERR_JIT_COMPILE (no backend, workspace too
 * small, backend refusal). o and st may be NULL.
 */
int fc_jit_compile(const fc_jit_in *in, const fc_jit_opts *o, void *ws, size_t ws_len,
                   fc_jit_out *out, fc_lresult *res, fc_jit_stats *st);

/* fc_platform.jit: fc_jit_compile with the workspace of a struct fc_jit_ctx. */
int fc_jit_hook(void *jit_ctx, const fc_jit_in *in, fc_jit_out *out, fc_lresult *res);

#endif /* FC_JIT_H */
