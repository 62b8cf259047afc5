/*
 * t2_isel.h - the Thumb-2 instruction selector over the allocated IR
 * (t2_isel.c), called by the backend's compile for FC_BK_IR.
 */
#ifndef T2_ISEL_H
#define T2_ISEL_H

#include "fc_backend.h"

/* t2_isel_compile's answer when it does not take the program (yet): the
 * caller falls back to the template generator; *why says what. */
#define T2_ISEL_REFUSED (-1)

size_t t2_isel_work_size(const fc_prog *p);
int t2_isel_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts, void *work,
                    size_t work_len, fc_bk_out *out, fc_diags *diags, const char **why);

#endif /* T2_ISEL_H */
