/*
 * tests/diff/diff_inputs.h - the inputs the differential tests share:
 * listing a directory, the conformance suite's verifier set-up, and the
 * random-program layout of tests/fuzz/fuzz_diff.c (diff-random --corpus
 * writes it; the libFuzzer harness, ir-diff and jit-diff read it), so a
 * program means the same thing in each of them. Host only, header-only
 * (the libFuzzer build compiles its harness alone).
 *
 * The random-program layout: byte 0 & 63 = context length, byte 1 + 1 =
 * budget, byte 2: bit 0 read-only context (the verifier then gets no
 * context size), bits 1-2 the backend flags {0, CHECK_ALL, NO_OPT,
 * NO_FACTS}, bit 3 a 32-byte .data, bit 4 a 32-byte .rodata, bit 5 a
 * 32-byte .bss; byte 3 seeds the context, .rodata and .data bytes
 * (xorshift64); then 8-byte eBPF instructions.
 */
#ifndef DIFF_INPUTS_H
#define DIFF_INPUTS_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_backend.h"
#include "fc_elf.h"
#include "fc_helpers.h"
#include "fc_testdata.h"
#include "fc_verify.h"

static inline int diff_cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the sorted names of the files of dir ending in suffix ("" for all), *n
 * of them (an array even when there are none); NULL (and *n = 0) when dir
 * cannot be opened; diff_free_names frees it */
static inline char **diff_list_dir(const char *dir, const char *suffix, size_t *n)
{
    DIR *d = opendir(dir);
    size_t cap = 64, sl = strlen(suffix);
    char **v;
    *n = 0;
    if (!d)
        return NULL;
    v = malloc(cap * sizeof *v);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < sl || strcmp(e->d_name + l - sl, suffix))
            continue;
        if (*n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, diff_cmp_name);
    return v;
}

/* diff_list_dir, a directory that cannot be read counted as a failure */
static inline char **diff_list_dir_counted(const char *dir, const char *suffix, size_t *n, unsigned *nfail)
{
    char **v = diff_list_dir(dir, suffix, n);
    if (!v) {
        printf("FAIL cannot open %s\n", dir);
        (*nfail)++;
    }
    return v;
}

static inline void diff_free_names(char **v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(v[k]);
    free(v);
}

/* the conformance runs' helpers for the verifier: the known ones and the
 * suite's helper 5 (any arguments); vh holds 64; returns the count */
static inline uint32_t diff_conf_helpers(fc_vfy_helper vh[64])
{
    uint32_t nh = 0;
    for (uint32_t k = 0; k < fc_vfy_known_helpers_count && nh < 63; k++)
        vh[nh++] = fc_vfy_known_helpers[k];
    memset(&vh[nh], 0, sizeof vh[nh]);
    vh[nh].id = 5;
    vh[nh].nargs = FC_HSIG_UNKNOWN;
    return nh + 1;
}

/* the helpers a random program may call (tests/diff/diff_helpers.h) */
static const uint32_t diff_rand_allow[4] = {FC_HELPER_MEMCPY, 0x80, 0x81, 0x82};

/* one random program decoded; p points into the struct (do not copy it) */
typedef struct diff_rand {
    fc_prog p;
    uint32_t ctx_len;
    unsigned ro_ctx;          /* the context is read-only */
    uint64_t budget;
    uint32_t bk_flags;        /* FC_BK_* of byte 2 bits 1-2 */
    uint8_t ctx[64], ro[32], da[32];
    fc_vfy_helper vh[4];      /* diff_rand_allow, any arguments */
    fc_vfy_opts vo;           /* context size, the helpers */
} diff_rand;

/* decodes buf (len bytes) with at most max instructions into insns and *r;
 * returns the instruction count, 0 when buf is shorter than one */
static inline uint32_t diff_rand_decode(const uint8_t *buf, size_t len, fc_insn *insns, uint32_t max,
                                        diff_rand *r)
{
    static const uint32_t flags[] = {0, FC_BK_CHECK_ALL, FC_BK_NO_OPT, FC_BK_NO_FACTS};
    memset(r, 0, sizeof *r);
    if (len < 4 + 8)
        return 0;
    uint32_t n = (uint32_t)((len - 4) / 8);
    if (n > max)
        n = max;
    for (uint32_t k = 0; k < n; k++)
        insns[k] = fc_insn_decode(buf + 4 + 8 * k);
    r->ctx_len = buf[0] & 63u;
    r->budget = 1u + buf[1];
    r->ro_ctx = buf[2] & 1u;
    r->bk_flags = flags[(buf[2] >> 1) & 3u];
    uint64_t x = buf[3] * 0x9e3779b97f4a7c15ull + 1;
    for (unsigned k = 0; k < sizeof r->ctx; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        r->ctx[k] = (uint8_t)x;
        if (k < sizeof r->ro) {
            r->ro[k] = (uint8_t)(x >> 8);
            r->da[k] = (uint8_t)(x >> 16);
        }
    }
    r->p.insns = insns;
    r->p.ninsns = n;
    if (buf[2] & 8u) {
        r->p.data = r->da;
        r->p.data_len = sizeof r->da;
    }
    if (buf[2] & 16u) {
        r->p.rodata = r->ro;
        r->p.rodata_len = sizeof r->ro;
    }
    if (buf[2] & 32u)
        r->p.bss_len = 32;
    for (unsigned k = 0; k < 4; k++) {
        r->vh[k].id = diff_rand_allow[k];
        r->vh[k].nargs = FC_HSIG_UNKNOWN;
    }
    r->vo.ctx_size = r->ro_ctx ? 0 : r->ctx_len;
    r->vo.helpers = r->vh;
    r->vo.nhelpers = 4;
    return n;
}

/* diff_rand_decode of the file dir/name (at most 4096 instructions are read) */
static inline uint32_t diff_rand_load(const char *dir, const char *name, fc_insn *insns, uint32_t max,
                                      diff_rand *r)
{
    static uint8_t buf[4 + 8 * 4096];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    size_t len = fp ? fread(buf, 1, sizeof buf, fp) : 0;
    if (fp)
        fclose(fp);
    return diff_rand_decode(buf, len, insns, max, r);
}

/* the conformance test dir/name: its data in *td and its program in *p
 * (instructions in *ins: free it, and fc_testdata_free td); 0 or -1 with
 * *ae saying why */
static inline int diff_conf_load(const char *dir, const char *name, fc_testdata *td, fc_insn **ins,
                                 fc_prog *p, fc_asm_error *ae)
{
    char path[4096];
    size_t ni = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *ins = NULL;
    if (fc_testdata_load(path, td, ae) != 0)
        return -1;
    if (fc_testdata_program(td, ins, &ni, ae) != 0) {
        fc_testdata_free(td);
        return -1;
    }
    memset(p, 0, sizeof *p);
    p->insns = *ins;
    p->ninsns = (uint32_t)ni;
    return 0;
}

/* the program of the ELF object "FILE[@ENTRY]" (arg) into *p (fc_elf_free
 * it) and FILE's base name into *name (pointing into path, size bytes); 0,
 * or -1 with the reader's first message in msg (msize bytes) */
static inline int diff_elf_load(const char *arg, char *path, size_t size, fc_prog *p, const char **name,
                                char *msg, size_t msize)
{
    snprintf(path, size, "%s", arg);
    char *at = strchr(path, '@');
    const char *entry = NULL;
    if (at) {
        *at = 0;
        entry = at + 1;
    }
    fc_diag dv[8];
    fc_diags d = {dv, 8, 0, 0, 0};
    if (fc_elf_read_file(path, entry, p, &d) != 0) {
        snprintf(msg, msize, "%s", d.n ? dv[0].msg : "?");
        return -1;
    }
    const char *base = strrchr(path, '/');
    *name = base ? base + 1 : path;
    return 0;
}

#endif
