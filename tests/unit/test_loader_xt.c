/*
 * Unit tests: the loader's placement of lx106 code (target xtensa) on an
 * lx106 platform, without running it (the board step and femto-run run it):
 * the code is chosen only for target 3 with the core's ISA bits, its ABS32
 * literal-pool words hold the platform's routine addresses after the
 * streamed install, code for other cores or needing DIV32 / the windowed
 * ABI falls back (or is refused with FC_INSTALL_REQUIRE_NATIVE), a missing
 * routine is refused; and fc_native_env_start gives every run of a kept env
 * its r10 back (the lx106 code uses env->regs[8..10] as scratch).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "fc_loader.h"
#include "fc_compile.h"
#include "fc_backend.h"
#include "fc_sha256.h"
#include "fc_vm.h"
#include "fc_helpers.h"

#define XF_SIZE   (64u * 1024u)
#define XF_PAGE   256u                /* small pages: relocations straddle them */
#define XF_MAP    0x40200000u         /* where the core sees the flash */
#define XF_RAM    0x3ffe8000u
#define XF_HELPER 0x40100010u
#define XF_DIV    0x40100100u         /* udiv64, sdiv64, umod64, smod64: +0x10 each */

static _Alignas(8) uint8_t xflash[XF_SIZE];
static _Alignas(8) uint8_t xram[4096];
static _Alignas(8) uint8_t xbuf[XF_PAGE];
static fc_flash_sim xsim;
static fc_platform xplat;
static fc_install_cfg xcfg;

static void xdevice(void)
{
    cr_assert_eq(fc_flash_sim_init(&xsim, xflash, XF_SIZE, XF_PAGE, 4, XF_MAP), FC_FLASH_OK);
    memset(&xplat, 0, sizeof xplat);
    xplat.target = FC_TARGET_XTENSA;
    xplat.isa = FC_ISA_XT_MUL32;                 /* lx106 */
    xplat.policy = FC_POLICY_ACCEPT_UNSIGNED;
    xplat.helpers = fc_std_helpers;
    xplat.nhelpers = fc_std_helpers_count;
    xplat.sym[FC_SYM_HELPER] = XF_HELPER;
    for (unsigned k = 0; k < 4; k++)
        xplat.sym[FC_SYM_UDIV64 + k] = XF_DIV + 0x10u * k;
    memset(&xcfg, 0, sizeof xcfg);
    xcfg.plat = &xplat;
    xcfg.slot.flash = &xsim.flash;
    xcfg.slot.size = XF_SIZE;
    xcfg.ram = xram;
    xcfg.ram_len = sizeof xram;
    xcfg.ram_addr = XF_RAM;
    xcfg.buf = xbuf;
    xcfg.buf_len = sizeof xbuf;
}

#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }
/* r0 = (r2 * 7) / r2 + (r2 % 5) + sdiv ... through every division routine,
 * then a helper call (0x20 now_ms): relocations against HELPER and all four
 * division symbols */
static fc_insn div_prog[] = {
    I(0xbf, 6, 2, 0, 0),        /* mov r6, r2           */
    I(0x27, 6, 0, 0, 7),        /* mul r6, 7            */
    I(0x3f, 6, 2, 0, 0),        /* div r6, r2  (udiv64) */
    I(0xbf, 7, 2, 0, 0),        /* mov r7, r2           */
    I(0x97, 7, 0, 0, 5),        /* mod r7, 5   (umod64) */
    I(0x0f, 6, 7, 0, 0),        /* add r6, r7           */
    I(0xbf, 8, 6, 0, 0),        /* mov r8, r6           */
    I(0x3f, 8, 2, 1, 0),        /* sdiv r8, r2 (sdiv64) */
    I(0xbf, 9, 6, 0, 0),        /* mov r9, r6           */
    I(0x9f, 9, 2, 1, 0),        /* smod r9, r2 (smod64) */
    I(0x0f, 8, 9, 0, 0),        /* add r8, r9           */
    I(0x85, 0, 0, 0, 0x20),     /* call now_ms          */
    I(0x0f, 0, 8, 0, 0),        /* add r0, r8           */
    I(0x95, 0, 0, 0, 0),        /* exit                 */
};

static uint8_t *compile(const char *const *marchs, unsigned n, size_t *len)
{
    const fc_backend *bk[4];
    fc_prog p;
    fc_cc_opts co;
    fc_cc_result cr;
    fc_diag items[8];
    fc_diags dg = {items, 8, 0, 0, 0};
    cr_assert(n <= 4);
    for (unsigned k = 0; k < n; k++) {
        bk[k] = fc_backend_find(marchs[k]);
        cr_assert_not_null(bk[k], "backend %s", marchs[k]);
    }
    memset(&p, 0, sizeof p);
    p.insns = div_prog;
    p.ninsns = sizeof div_prog / sizeof div_prog[0];
    memset(&co, 0, sizeof co);
    memset(&cr, 0, sizeof cr);
    co.backends = bk;
    co.nbackends = n;
    cr_assert_eq(fc_cc_compile(&p, &co, &cr, &dg), FC_CC_OK, "compile: %s", dg.n ? items[0].msg : "?");
    uint8_t *b = malloc(cr.len);
    cr_assert_not_null(b);
    memcpy(b, cr.img, cr.len);
    *len = cr.len;
    fc_cc_free(&cr);
    return b;
}

static const char *const lx106[] = {"lx106"};

/* the CODE section of target t: its table entry's offset, or 0 */
static uint32_t code_entry(const uint8_t *b, unsigned t)
{
    uint32_t n = fc_le16(b + 0x12), tab = fc_le32(b + 0x14);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = b + tab + 24u * i;
        if (fc_le16(e) == FC_FCX_SECT_CODE && e[4] == t)
            return tab + 24u * i;
    }
    return 0;
}

static void rehash(uint8_t *b)
{
    uint32_t img = fc_le32(b + 0x0c);
    memset(b + 0x30, 0, 32);
    fc_sha256(b, img, b + 0x30);
}

Test(loader_xt, lx106_code_placed_with_its_routines_relocated)
{
    size_t len;
    uint8_t *b = compile(lx106, 1, &len);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    xdevice();
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_OK, "install: %s", r.what);
    cr_assert_eq(info.engine, FC_TARGET_XTENSA);
    cr_assert_eq(app.isa, FC_ISA_XT_MUL32);
    cr_assert_gt(info.nrelocs, 0);

    /* every relocation record of the container: the slot's word = symbol + addend */
    uint32_t n = fc_le16(b + 0x12), tab = fc_le32(b + 0x14), code_idx = 0xffff, seen = 0, syms = 0;
    for (uint32_t i = 0; i < n; i++)
        if (fc_le16(b + tab + 24u * i) == FC_FCX_SECT_CODE && b[tab + 24u * i + 4] == FC_TARGET_XTENSA)
            code_idx = i;
    cr_assert_neq(code_idx, 0xffff);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = b + tab + 24u * i;
        if (fc_le16(e) != FC_FCX_SECT_RELOC || fc_le16(e + 6) != code_idx)
            continue;
        for (uint32_t k = 0; k < fc_le32(e + 12) / FC_FCX_RELOC_SIZE; k++) {
            fc_fcx_reloc rr;
            cr_assert(fc_fcx_read_reloc(b, (uint32_t)len, fc_le32(e + 8) + k * FC_FCX_RELOC_SIZE, &rr));
            cr_assert_eq(rr.kind, FC_RELOC_ABS32, "lx106 code has ABS32 only");
            cr_assert(rr.sym == FC_SYM_HELPER || (rr.sym >= FC_SYM_UDIV64 && rr.sym <= FC_SYM_SMOD64),
                      "symbol %u", rr.sym);
            uint32_t want = xplat.sym[rr.sym] + (uint32_t)rr.addend;
            cr_assert_eq(fc_le32(app.img + app.code_off + rr.offset), want, "reloc %u at 0x%x", k, rr.offset);
            syms |= 1u << rr.sym;
            seen++;
        }
    }
    cr_assert_eq(seen, info.nrelocs);
    cr_assert_eq(syms, (1u << FC_SYM_HELPER) | (0xfu << FC_SYM_UDIV64), "symbols 0x%x", syms);
    /* the code executes at the slot's mapped address */
    cr_assert_eq((uint32_t)app.img_addr, XF_MAP);
    free(b);
}

Test(loader_xt, lx106_code_needs_the_mul32_bit)
{
    size_t len;
    uint8_t *b = compile(lx106, 1, &len);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    xdevice();
    xplat.isa = 0;   /* an Xtensa core without MUL32 */
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_OK);
    cr_assert_eq(info.engine, FC_TARGET_EBPF);
    xcfg.flags = FC_INSTALL_REQUIRE_NATIVE;
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_LERR_ISA);
    free(b);
}

Test(loader_xt, windowed_or_div32_code_never_placed_on_lx106)
{
    size_t len;
    uint8_t *b = compile(lx106, 1, &len);
    uint32_t e = code_entry(b, FC_TARGET_XTENSA);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    cr_assert_neq(e, 0);
    const uint32_t labels[] = {FC_ISA_XT_MUL32 | FC_ISA_XT_WINDOWED, FC_ISA_XT_MUL32 | FC_ISA_XT_DIV32,
                               FC_ISA_XT_KNOWN};
    for (unsigned k = 0; k < 3; k++) {
        fc_put_le32(b + e + 16, labels[k]);   /* the CODE section's info: what an ESP32's code needs */
        rehash(b);
        xdevice();
        cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_OK, "%s", r.what);
        cr_assert_eq(info.engine, FC_TARGET_EBPF, "ISA 0x%x placed on lx106", labels[k]);
        xcfg.flags = FC_INSTALL_REQUIRE_NATIVE;
        cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_LERR_ISA);
    }
    free(b);
}

Test(loader_xt, other_cores_code_never_placed_on_lx106)
{
    static const char *const others[] = {"thumbv7m", "rv32imac"};
    size_t len;
    uint8_t *b = compile(others, 2, &len);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    xdevice();
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_OK);
    cr_assert_eq(info.engine, FC_TARGET_EBPF);
    xcfg.flags = FC_INSTALL_REQUIRE_NATIVE;
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_LERR_NO_NATIVE);
    free(b);
    /* and with lx106 code among them, the lx106 code is the one placed */
    static const char *const all[] = {"thumbv7m", "lx106", "rv32imac"};
    b = compile(all, 3, &len);
    xdevice();
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_OK);
    cr_assert_eq(info.engine, FC_TARGET_XTENSA);
    free(b);
}

Test(loader_xt, missing_routine_refused)
{
    size_t len;
    uint8_t *b = compile(lx106, 1, &len);
    fc_app app;
    fc_install_info info;
    fc_lresult r;
    xdevice();
    xplat.sym[FC_SYM_SMOD64] = 0;
    cr_assert_eq(fc_install(b, (uint32_t)len, &xcfg, &app, &info, &r), FC_LERR_RELOC_SYM_MISSING);
    free(b);
}

Test(loader_xt, env_start_gives_r10_back)
{
    static _Alignas(8) uint8_t st[FC_STACK_SIZE * 2];
    static const fc_insn ex[] = {I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)};
    fc_vm vm;
    fc_native_env env;
    cr_assert_eq(fc_vm_init(&vm, ex, 2, st, sizeof st), FC_OK);
    vm.stack_addr = 0x3ffe0000u;
    cr_assert_eq(fc_native_env_regions(&env, &vm), FC_OK);
    uint32_t top = env.regs[FC_REG_FP][0];
    cr_assert_eq(top, 0x3ffe0000u + sizeof st);
    /* what lx106 code leaves behind: a2..a7 saved in regs[8..10] */
    for (unsigned k = 8; k <= 10; k++)
        env.regs[k][0] = env.regs[k][1] = 0xdead0000u + k;
    fc_native_env_start(&env, 0, 0, 100);
    cr_assert_eq(env.regs[FC_REG_FP][0], top);
    cr_assert_eq(env.regs[FC_REG_FP][1], 0);
    cr_assert_eq(env.regs[8][0], 0);
    cr_assert_eq(env.cur_fb, top - FC_STACK_SIZE);
}
