/*
 * fc_compile.h - the one compile path: verify -> backends -> container.
 *
 *   fc_prog --fc_cc_verify--> facts (fc_insn_info), statistics
 *           --fc_cc_native--> native code per -march backend
 *           --fc_cc_container--> .fcx bytes
 *
 * femtoc runs the three stages (printing between them: messages, -S
 * listings, --stats), and every other tool that needs a container made
 * from a program (femto-run --stats measuring the fixed cost of a call)
 * runs the same functions, so the two cannot drift apart. Host code (C11,
 * malloc); nothing is printed: messages go to the fc_diags.
 */
#ifndef FC_COMPILE_H
#define FC_COMPILE_H

#include <stddef.h>
#include <stdint.h>
#include "fc_prog.h"
#include "fc_verify.h"
#include "fc_fcx.h"
#include "fc_backend.h"

typedef struct fc_cc_opts {
    uint32_t ctx_size;                    /* --ctx-size (0: nothing proven)   */
    uint32_t vflags;                      /* FC_VFY_F_*                        */
    const fc_vfy_helper *helpers;         /* allowlist; NULL: every known one  */
    uint32_t nhelpers;
    const fc_backend *const *backends;    /* -march targets, in order          */
    uint32_t nbackends;
    uint32_t bk_flags;                    /* FC_BK_* (--check-all)             */
    uint32_t budget;                      /* --budget (0: the runtime's)       */
    /* -g: the line table, with these file names (NULL: the program's) */
    int lines;
    const char *const *files;
    /* the verifier's observe_state hook (femtoc's warnings), may be NULL */
    void (*observe_state)(void *ctx, uint32_t insn, const struct fc_av *regs,
                          const struct fc_av *slots, const struct fc_vfy_rel *rel);
    void *observe_ctx;
} fc_cc_opts;

/* One target's code, in the backend's and the container writer's types. */
typedef struct fc_cc_native {
    const fc_backend *b;
    fc_bk_out out;
    uint8_t *code;
    fc_bk_reloc *bk_relocs;
    fc_bk_pcmap *bk_pcmap;
    fc_fcx_reloc *relocs;
    fc_fcx_pcmap *pcmap;
    uint32_t entry_off[FC_FCX_MAX_ENTRIES];
} fc_cc_native;

typedef struct fc_cc_result {
    fc_insn_info *info;                   /* p->ninsns facts                   */
    fc_vfy_stats st;
    fc_cc_native nat[FC_TARGET__COUNT];   /* one per opts->backends[k]         */
    uint32_t failed;                      /* fc_cc_native: the backend index   */
    int bk_status;                        /* its enum fc_bk_status             */
    uint8_t *img;                         /* fc_cc_container: the container    */
    size_t len;
} fc_cc_result;

enum fc_cc_status {
    FC_CC_OK = 0,
    FC_CC_EVERIFY,      /* the verifier refused the program (diagnostics)   */
    FC_CC_EBACKEND,     /* backend r->failed could not compile it            */
    FC_CC_ECONTAINER,   /* the container writer refused its input            */
    FC_CC_ENOMEM
};

/* Stage 1: verify and analyse (fills r->info, r->st). */
int fc_cc_verify(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d);
/* Stage 2: native code for every backend, for every entry of p. */
int fc_cc_native_code(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d);
/* Stage 3: the container (r->img, r->len; unsigned). */
int fc_cc_container(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d);
/* The three stages. */
int fc_cc_compile(const fc_prog *p, const fc_cc_opts *o, fc_cc_result *r, fc_diags *d);
void fc_cc_free(fc_cc_result *r);

/* The ISA features the code of backend b needs (docs/fcx.md). */
uint32_t fc_cc_isa(const fc_backend *b);
/* The name of entry k of p (its function's, or "main" for a lone entry). */
const char *fc_cc_entry_name(const fc_prog *p, uint32_t k);
/* Helper imports: every `call imm`; with callx, the whole allowlist. */
uint32_t fc_cc_helper_imports(const fc_prog *p, const fc_cc_opts *o, uint32_t *ids, uint32_t cap);

#endif /* FC_COMPILE_H */
