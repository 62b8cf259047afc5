/*
 * jit_diff.c - the device's compiler against femtoc's (step jit-diff).
 *
 *   jit-diff [--conf DIR]... [--corpus DIR]... [--elf FILE[@ENTRY]]... [-v]
 *
 * For every program and every backend (thumbv7m, rv32imac, rv32ima,
 * rv32imc): femtoc's compile path (compiler/fc_compile.c: fc_cc_verify,
 * fc_cc_native_code) and the device's (runtime/fc_jit.c: fc_jit_compile over
 * the same bytecode, in a workspace of exactly fc_jit_workspace_size bytes)
 * must agree: both refuse (same first error message and instruction index),
 * or both compile to the same code bytes, relocations, pc map, native entry
 * offsets and ISA bits. Then, for thumbv7m and rv32imac, the loader path:
 * femtoc's container installed with its code (FC_POLICY_ACCEPT_UNSIGNED) and
 * the bytecode-only container installed under FC_POLICY_JIT (fc_install
 * calling fc_jit_hook) must leave the same slot image after the install
 * record (code relocated in place, pc map, entries); the JIT install
 * re-opens under FC_POLICY_JIT and is refused by fc_open without it; a
 * refused program falls back to the interpreter (install info jit = 2, the
 * verifier's message and index) and is refused under FC_POLICY_JIT_STRICT.
 * Prints the largest code bytes per instruction seen (the workspace's
 * bound, FC_JIT_CODE_PER_INSN) and the workspace per instruction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_compile.h"
#include "fc_elf.h"
#include "fc_jit.h"
#include "fc_helpers.h"
#include "fc_testdata.h"
#include "../diff/diff_inputs.h"

static unsigned npass, nfail, verbose;
static unsigned nrefused, ncompiled, ninstalled;
static double max_code_ratio, max_ws_ratio, sum_ws_ratio;
/* the largest (need - fixed part) / instructions of each bounded output */
static double over_code, over_reloc, over_pcmap;
static unsigned nws, max_ws_insns;
static size_t max_ws;
static const char *max_code_name = "", *max_ws_name = "";
static char max_code_buf[256], max_ws_buf[256];

static const fc_backend *const backends[] = {
    &fc_backend_thumbv7m, &fc_backend_rv32imac, &fc_backend_rv32ima, &fc_backend_rv32imc,
};

#define FAIL(...) do { printf("FAIL "); printf(__VA_ARGS__); printf("\n"); nfail++; return; } while (0)

static uint64_t h_dummy(fc_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm; (void)b; (void)c; (void)d; (void)e;
    return a;
}

/* ---- the device side's input, made from the program as the writer would ---- */
typedef struct jin {
    fc_jit_in in;
    uint8_t *ents;
} jin;

static void jin_make(const fc_prog *p, uint32_t ctx_min, const fc_backend *b, jin *j)
{
    uint32_t ne = p->entries && p->nentries ? p->nentries : 1;
    memset(j, 0, sizeof *j);
    j->ents = calloc(ne, FC_FCX_ENTRY_SIZE);
    for (uint32_t k = 0; k < ne; k++) {
        const char *nm = fc_cc_entry_name(p, k);
        if (nm)
            snprintf((char *)j->ents + k * FC_FCX_ENTRY_SIZE, FC_FCX_NAME_LEN, "%s", nm);
        fc_put_le32(j->ents + k * FC_FCX_ENTRY_SIZE + FC_FCX_NAME_LEN,
                    p->entries && p->nentries ? p->entries[k] : 0);
    }
    j->in.insns = (const uint8_t *)p->insns;
    j->in.ninsns = p->ninsns;
    j->in.entries = j->ents;
    j->in.nentries = ne;
    j->in.rodata = p->rodata;
    j->in.rodata_len = p->rodata_len;
    j->in.data = p->data;
    j->in.data_len = p->data_len;
    j->in.bss_len = p->bss_len;
    j->in.ctx_min = ctx_min;
    j->in.target = b->target;
    j->in.isa = fc_cc_isa(b);
}

static const fc_diag *first_error(const fc_diags *d)
{
    for (uint32_t k = 0; k < d->n; k++)
        if (d->items[k].severity >= FC_SEV_ERROR)
            return &d->items[k];
    return NULL;
}

/* ---- one install through the loader ---------------------------------------- */
#define FLASH_SIZE (1024u * 1024u)
#define SLOT_OFF   (64u * 1024u)
#define SLOT_SIZE  (512u * 1024u)
#define MAP_ADDR   0x08000000u
#define RAM_ADDR   0x20001000u
static _Alignas(8) uint8_t flash_mem[FLASH_SIZE];
static _Alignas(8) uint8_t ram[64 * 1024];
static _Alignas(8) uint8_t pagebuf[1024];

typedef struct dev {
    fc_flash_sim sim;
    fc_platform plat;
    fc_install_cfg cfg;
    fc_helper helpers[FC_FCX_MAX_HELPERS];
    fc_jit_ctx jc;
} dev;

static void dev_init(dev *v, const fc_backend *b, const fc_cc_opts *co, const fc_prog *p, uint32_t policy)
{
    uint32_t ids[FC_FCX_MAX_HELPERS];
    memset(v, 0, sizeof *v);
    memset(flash_mem, 0xFF, sizeof flash_mem);
    fc_flash_sim_init(&v->sim, flash_mem, FLASH_SIZE, 1024, 8, MAP_ADDR);
    v->plat.target = b->target;
    v->plat.isa = fc_cc_isa(b);
    v->plat.policy = policy;
    uint32_t nh = fc_cc_helper_imports(p, co, ids, FC_FCX_MAX_HELPERS);
    for (uint32_t k = 0; k < nh; k++)
        v->helpers[k] = (fc_helper){ids[k], h_dummy, "h"};
    v->plat.helpers = v->helpers;
    v->plat.nhelpers = nh;
    for (unsigned s = FC_SYM_HELPER; s < FC_SYM__COUNT; s++)
        v->plat.sym[s] = MAP_ADDR + 0x100u * s + (b->target == FC_TARGET_THUMBV7M ? 1u : 0u);
    v->plat.jit = fc_jit_hook;
    v->plat.jit_ctx = &v->jc;
    v->jc.opts.helpers = co->helpers;
    v->jc.opts.nhelpers = co->nhelpers;
    v->jc.opts.vflags = co->vflags;
    v->cfg.plat = &v->plat;
    v->cfg.slot.flash = &v->sim.flash;
    v->cfg.slot.off = SLOT_OFF;
    v->cfg.slot.size = SLOT_SIZE;
    v->cfg.ram = ram;
    v->cfg.ram_len = sizeof ram;
    v->cfg.ram_addr = RAM_ADDR;
    v->cfg.buf = pagebuf;
    v->cfg.buf_len = sizeof pagebuf;
}

static int install(dev *v, const uint8_t *img, size_t len, fc_app *app, fc_install_info *info, fc_lresult *res,
                   size_t ws_len)
{
    void *ws = NULL;
    if (ws_len) {
        ws = aligned_alloc(8, (ws_len + 7) & ~(size_t)7);
        v->jc.ws = ws;
        v->jc.ws_len = ws_len;
    }
    memset(info, 0, sizeof *info);
    int e = fc_install(img, (uint32_t)len, &v->cfg, app, info, res);
    /* the message of a refusal lives in the workspace: copied before it goes */
    static char msg[256];
    if (res->what) {
        snprintf(msg, sizeof msg, "%s", res->what);
        res->what = msg;
    }
    if (info->jit && info->jit_res.what) {
        static char jmsg[256];
        snprintf(jmsg, sizeof jmsg, "%s", info->jit_res.what);
        info->jit_res.what = jmsg;
    }
    free(ws);
    v->jc.ws = NULL;
    return e;
}

static void check_install(const char *name, const fc_prog *p, const fc_cc_opts *co, fc_cc_result *r,
                          const fc_backend *b, const fc_diag *ferr)
{
    uint8_t *a_img = NULL, *b_img = NULL;
    size_t a_len = 0, b_len = 0;
    fc_diag dv[8];
    fc_diags d = {dv, 8, 0, 0, 0};
    fc_cc_opts c0 = *co;
    c0.nbackends = 0;
    if (!ferr) {
        if (fc_cc_container(p, co, r, &d) != FC_CC_OK)
            FAIL("%s [%s]: femtoc's container: %s", name, b->name, d.n ? dv[0].msg : "?");
        a_img = r->img;
        a_len = r->len;
        r->img = NULL;
    }
    if (fc_cc_container(p, &c0, r, &d) != FC_CC_OK) {
        free(a_img);
        if (ferr) {   /* a refused program the writer cannot describe: not installable anyway */
            if (verbose)
                printf("note %s: no bytecode container for a refused program (%s)\n", name, d.n ? dv[0].msg : "?");
            return;
        }
        FAIL("%s [%s]: bytecode-only container: %s", name, b->name, d.n ? dv[0].msg : "?");
    }
    b_img = r->img;
    b_len = r->len;
    r->img = NULL;

    dev v;
    fc_app app;
    fc_install_info info;
    fc_lresult res;
    static uint8_t slot_a[SLOT_SIZE];
    uint32_t size_a = 0;
    if (!ferr) {
        dev_init(&v, b, co, p, FC_POLICY_ACCEPT_UNSIGNED);
        int e = install(&v, a_img, a_len, &app, &info, &res, 0);
        if (e != FC_OK || app.engine != b->target) {
            free(a_img); free(b_img);
            FAIL("%s [%s]: femtoc's container does not install natively: %s", name, b->name, res.what);
        }
        size_a = app.image_size;
        memcpy(slot_a, flash_mem + SLOT_OFF, size_a);
    }
    size_t wsz = fc_jit_workspace_size(b_img, (uint32_t)b_len, b->target, fc_cc_isa(b));
    dev_init(&v, b, co, p, FC_POLICY_JIT | FC_POLICY_JIT_STRICT);
    int e = install(&v, b_img, b_len, &app, &info, &res, wsz);
    if (ferr) {
        if (e != FC_LERR_JIT_VERIFY || res.item != ferr->insn || strcmp(res.what, ferr->msg)) {
            free(b_img);
            FAIL("%s [%s]: strict JIT install of a refused program: %s (%d, insn %d), femtoc: %s (insn %d)",
                 name, b->name, res.what, e, res.item, ferr->msg, ferr->insn);
        }
        dev_init(&v, b, co, p, FC_POLICY_JIT);
        e = install(&v, b_img, b_len, &app, &info, &res, wsz);
        free(b_img);
        if (e != FC_OK || app.engine != FC_TARGET_EBPF || info.jit != 2 ||
            info.jit_res.code != FC_LERR_JIT_VERIFY || info.jit_res.item != ferr->insn ||
            strcmp(info.jit_res.what, ferr->msg))
            FAIL("%s [%s]: JIT install of a refused program does not fall back to the interpreter "
                 "(%d, engine %u, jit %u: %s)", name, b->name, e, app.engine, info.jit,
                 info.jit_res.what ? info.jit_res.what : "");
        npass++;
        return;
    }
    free(a_img);
    free(b_img);
    if (e != FC_OK || app.engine != b->target || info.jit != 1)
        FAIL("%s [%s]: JIT install: %s (%d, engine %u, jit %u)", name, b->name, res.what, e, app.engine, info.jit);
    if (app.image_size != size_a || memcmp(slot_a + FC_SLOT_REC_SIZE, flash_mem + SLOT_OFF + FC_SLOT_REC_SIZE,
                                           size_a - FC_SLOT_REC_SIZE))
        FAIL("%s [%s]: the JIT install's slot image differs from femtoc's code installed", name, b->name);
    /* the record says the code is the device's own: re-opened under the policy only */
    fc_app app2;
    if (fc_open(&v.cfg, &app2, &res) != FC_OK || app2.engine != b->target || !app2.jit)
        FAIL("%s [%s]: fc_open of the JIT install: %s", name, b->name, res.what);
    v.plat.policy = FC_POLICY_NATIVE_SIGNED;
    if (fc_open(&v.cfg, &app2, &res) != FC_LERR_SIGNATURE)
        FAIL("%s [%s]: fc_open without FC_POLICY_JIT accepted the device-compiled code (%d)", name, b->name,
             res.code);
    ninstalled++;
    npass++;
}

/* ---- one program, every backend ---------------------------------------------- */
static void check_backend(const char *name, const fc_prog *p, const fc_cc_opts *base, const fc_backend *b,
                          int do_install)
{
    fc_cc_opts co = *base;
    const fc_backend *bl[1] = {b};
    co.backends = bl;
    co.nbackends = 1;
    fc_cc_result r;
    memset(&r, 0, sizeof r);
    fc_diag dv[64];
    fc_diags d = {dv, 64, 0, 0, 0};
    int fe = fc_cc_verify(p, &co, &r, &d);
    const fc_diag *ferr = NULL;
    if (fe == FC_CC_OK)
        fe = fc_cc_native_code(p, &co, &r, &d);
    else {
        ferr = first_error(&d);
        if (!ferr) {
            fc_cc_free(&r);
            FAIL("%s [%s]: femtoc refused it without an error message in its first 64", name, b->name);
        }
    }

    jin j;
    jin_make(p, co.ctx_size, b, &j);
    size_t wsz = fc_jit_workspace_size_in(&j.in);
    void *ws = aligned_alloc(8, (wsz + 7) & ~(size_t)7);
    fc_jit_opts jo = {co.helpers, co.nhelpers, co.vflags};
    fc_jit_out out;
    fc_lresult res;
    fc_jit_stats st;
    int je = fc_jit_compile(&j.in, &jo, ws, wsz, &out, &res, &st);
    char why[512] = "";
    if (ferr) {
        if (je != FC_LERR_JIT_VERIFY)
            snprintf(why, sizeof why, "femtoc refuses (%s), the device: %d %s", ferr->msg, je, res.what);
        else if (res.item != ferr->insn || strcmp(res.what, ferr->msg))
            snprintf(why, sizeof why, "messages differ: femtoc insn %d '%s', device insn %d '%s'", ferr->insn,
                     ferr->msg, res.item, res.what);
        else
            nrefused++;
    } else if (fe != FC_CC_OK) {
        if (je != FC_LERR_JIT_COMPILE)
            snprintf(why, sizeof why, "femtoc's backend fails (%d), the device: %d %s", r.bk_status, je, res.what);
    } else if (je != FC_OK) {
        snprintf(why, sizeof why, "femtoc compiles it, the device: %d %s (insn %d)", je, res.what, res.item);
    } else {
        const fc_cc_native *n = &r.nat[0];
        uint32_t ne = j.in.nentries;
        if (out.code_len != n->out.code_len || memcmp(out.buf + out.code_off, n->code, out.code_len))
            snprintf(why, sizeof why, "code differs (%u bytes vs femtoc's %u)", out.code_len, n->out.code_len);
        else if (out.nrelocs != n->out.nrelocs)
            snprintf(why, sizeof why, "%u relocations vs femtoc's %u", out.nrelocs, n->out.nrelocs);
        else if (out.npcmap != n->out.npcmap)
            snprintf(why, sizeof why, "%u pc map records vs femtoc's %u", out.npcmap, n->out.npcmap);
        else if (out.isa != fc_cc_isa(b))
            snprintf(why, sizeof why, "isa 0x%x vs femtoc's 0x%x", out.isa, fc_cc_isa(b));
        for (uint32_t k = 0; !why[0] && k < out.nrelocs; k++) {
            fc_fcx_reloc rr;
            if (!fc_fcx_read_reloc(out.buf, out.buf_len, out.reloc_off + k * FC_FCX_RELOC_SIZE, &rr))
                snprintf(why, sizeof why, "relocation %u outside the output", k);
            else if (rr.offset != n->relocs[k].offset || rr.kind != n->relocs[k].kind || rr.sym != n->relocs[k].sym ||
                rr.addend != n->relocs[k].addend || rr.reserved)
                snprintf(why, sizeof why, "relocation %u differs", k);
        }
        for (uint32_t k = 0; !why[0] && k < out.npcmap; k++) {
            fc_fcx_pcmap m;
            if (!fc_fcx_read_pcmap(out.buf, out.buf_len, out.pcmap_off + k * FC_FCX_PCMAP_SIZE, &m))
                snprintf(why, sizeof why, "pc map record %u outside the output", k);
            else if (m.native_off != n->pcmap[k].native_off || m.insn != n->pcmap[k].insn)
                snprintf(why, sizeof why, "pc map record %u differs", k);
        }
        for (uint32_t k = 0; !why[0] && k < ne; k++)
            if (fc_le32(out.buf + out.centries_off + 4 * k) != n->entry_off[k])
                snprintf(why, sizeof why, "native entry %u differs", k);
        if (!why[0]) {
            ncompiled++;
            double cr = (double)out.code_len / p->ninsns, wr = (double)wsz / p->ninsns;
            if (cr > max_code_ratio) {
                max_code_ratio = cr;
                snprintf(max_code_buf, sizeof max_code_buf, "%s [%s]", name, b->name);
                max_code_name = max_code_buf;
            }
            double oc = ((double)out.code_len - FC_JIT_CODE_FIXED) / p->ninsns;
            double orl = ((double)out.nrelocs - FC_JIT_RELOC_FIXED) / p->ninsns;
            double op = ((double)out.npcmap - FC_JIT_PCMAP_FIXED) / p->ninsns;
            if (oc > over_code) over_code = oc;
            if (orl > over_reloc) over_reloc = orl;
            if (op > over_pcmap) over_pcmap = op;
            if (wsz > max_ws) {
                max_ws = wsz;
                max_ws_insns = p->ninsns;
                snprintf(max_ws_buf, sizeof max_ws_buf, "%s [%s]", name, b->name);
                max_ws_name = max_ws_buf;
            }
            if (wr > max_ws_ratio)
                max_ws_ratio = wr;
            sum_ws_ratio += wr;
            nws++;
            if (verbose)
                printf("ok %s [%s]: %u insns, %u code bytes, workspace %zu (verifier %zu, backend %zu, output %zu)\n",
                       name, b->name, p->ninsns, out.code_len, wsz, st.vfy_ws, st.bk_ws, st.out_ws);
        }
    }
    free(ws);
    free(j.ents);
    if (why[0]) {
        fc_cc_free(&r);
        FAIL("%s [%s]: %s", name, b->name, why);
    }
    npass++;
    if (do_install && (fe == FC_CC_OK || ferr))
        check_install(name, p, &co, &r, b, ferr);
    fc_cc_free(&r);
}

static void check_prog(const char *name, const fc_prog *p, const fc_cc_opts *co)
{
    for (unsigned k = 0; k < sizeof backends / sizeof backends[0]; k++)
        check_backend(name, p, co, backends[k],
                      backends[k] == &fc_backend_thumbv7m || backends[k] == &fc_backend_rv32imac);
}

/* ---- inputs ------------------------------------------------------------------ */
static char **list_dir(const char *dir, const char *suffix, size_t *n)
{
    return diff_list_dir_counted(dir, suffix, n, &nfail);
}

static void run_conf(const char *dir)
{
    size_t n;
    char **files = list_dir(dir, ".data", &n);
    unsigned before = npass + nfail;
    /* the conformance suite's own set-up too: masked shifts, helper 5 */
    static fc_vfy_helper vh[64];
    uint32_t nh = diff_conf_helpers(vh);
    for (size_t f = 0; f < n; f++) {
        fc_testdata td;
        fc_asm_error ae;
        fc_insn *ins;
        fc_prog p;
        if (diff_conf_load(dir, files[f], &td, &ins, &p, &ae) != 0) {
            printf("FAIL %s: unreadable (line %u: %s)\n", files[f], ae.line, ae.msg);
            nfail++;
            continue;
        }
        fc_cc_opts co;
        memset(&co, 0, sizeof co);
        check_prog(files[f], &p, &co);            /* femtoc's defaults */
        co.vflags = FC_VFY_F_MASKED_SHIFTS;
        co.helpers = vh;
        co.nhelpers = nh;
        co.ctx_size = (uint32_t)td.mem_len;
        check_prog(files[f], &p, &co);            /* as the conformance runs set it up */
        free(ins);
        fc_testdata_free(&td);
    }
    diff_free_names(files, n);
    printf("conformance programs (%s): %u checks\n", dir, npass + nfail - before);
}

static void run_corpus(const char *dir)
{
    size_t n;
    char **files = list_dir(dir, "", &n);
    unsigned before = npass + nfail;
    static fc_insn ins[4096];
    for (size_t f = 0; f < n; f++) {
        diff_rand r;
        if (!diff_rand_load(dir, files[f], ins, 4096, &r)) {
            printf("FAIL %s: shorter than one instruction\n", files[f]);
            nfail++;
            continue;
        }
        fc_cc_opts co;
        memset(&co, 0, sizeof co);
        co.ctx_size = r.vo.ctx_size;
        co.helpers = r.vh;
        co.nhelpers = r.vo.nhelpers;
        check_prog(files[f], &r.p, &co);
    }
    diff_free_names(files, n);
    printf("random programs (%s): %u checks\n", dir, npass + nfail - before);
}

static void run_elf(const char *arg)
{
    char path[4096];
    fc_prog p;
    const char *base;
    char msg[200];
    if (diff_elf_load(arg, path, sizeof path, &p, &base, msg, sizeof msg) != 0) {
        printf("FAIL %s: cannot read (%s)\n", arg, msg);
        nfail++;
        return;
    }
    fc_cc_opts co;
    memset(&co, 0, sizeof co);
    check_prog(base, &p, &co);
    co.ctx_size = 64;
    check_prog(base, &p, &co);
    fc_elf_free(&p);
}

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-v"))
            verbose = 1;
        else if (!strcmp(argv[a], "--conf") && a + 1 < argc)
            run_conf(argv[++a]);
        else if (!strcmp(argv[a], "--corpus") && a + 1 < argc)
            run_corpus(argv[++a]);
        else if (!strcmp(argv[a], "--elf") && a + 1 < argc)
            run_elf(argv[++a]);
        else {
            fprintf(stderr, "usage: jit-diff [--conf DIR] [--corpus DIR] [--elf FILE[@ENTRY]]... [-v]\n");
            return 2;
        }
    }
    printf("device compiles identical to femtoc's: %u; refused with femtoc's message: %u; "
           "installs through FC_POLICY_JIT identical: %u\n", ncompiled, nrefused, ninstalled);
    printf("largest code per eBPF instruction: %.1f bytes (%s; the workspace reserves %u + %u fixed)\n",
           max_code_ratio, max_code_name, FC_JIT_CODE_PER_INSN, FC_JIT_CODE_FIXED);
    printf("output bounds (need - fixed part) per instruction, largest seen: code %.1f bytes (bound %u), "
           "relocations %.2f (bound %u), pc map records %.2f (bound %u)\n", over_code, FC_JIT_CODE_PER_INSN,
           over_reloc, FC_JIT_RELOC_PER_INSN, over_pcmap, FC_JIT_PCMAP_PER_INSN);
    printf("workspace per eBPF instruction: mean %.0f bytes, largest %.0f; largest workspace %zu bytes "
           "for %u instructions (%s)\n", nws ? sum_ws_ratio / nws : 0.0, max_ws_ratio, max_ws, max_ws_insns,
           max_ws_name);
    printf("jit-diff: %u passed, %u failed\n", npass, nfail);
    return nfail ? 1 : 0;
}
