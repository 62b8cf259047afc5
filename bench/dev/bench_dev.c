/*
 * bench_dev.c - the benchmark firmware's glue (runs on the emulated core).
 *
 * The firmware is the device runtime (interpreter, loader, native runtime,
 * SHA-256, simulated flash) cross-compiled at -O2, the benchmark programs
 * compiled natively with the same compiler, and this file. femto-bench
 * (bench/femto_bench.c) calls into it through the Unicorn harness:
 *
 *   bench_init()                 once: platform, flash, buffers -> bench_io
 *   bench_gp()                   RV32: the global pointer (before each program)
 *   bench_prepare_install()      cfg flags for the next install
 *   fc_install(fcx, len, &cfg, &app, &info, &lres)   measured
 *   bench_after_install()        install info and fc_app_ram -> bench_io
 *   bench_prepare_run()          fc_run arguments for the next run
 *   fc_run(&app, &args, &r0, &out)                   measured
 *   bench_after_run()            outcome -> bench_io
 *   bench_<prog>(ctx, len)       the native twin, measured
 *
 * so that what is counted is exactly the runtime's own entry points. The
 * flash slot lives in the section .flash, which the linker script places in
 * an area the core can execute (code runs in place after the install).
 */
#include <stdint.h>
#include "fc_helpers.h"
#include "fc_libc.h"
#include "fc_loader.h"
#include "fc_native.h"
#include "../bench_io.h"

#define PAGE_SIZE 4096u
#define FLASH_SIZE (256u * 1024u)
#define FCX_CAP (128u * 1024u)
#define CTX_CAP 4096u

/* gcc may emit calls to these for struct copies and zeroing */
void *memset(void *d, int c, size_t n) { return fc_memset(d, c, n); }
void *memcpy(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }

volatile uint32_t bench_io[BIO__COUNT];

static uint8_t flash_mem[FLASH_SIZE] __attribute__((section(".flash"), aligned(PAGE_SIZE)));
static uint8_t bench_fcx[FCX_CAP] __attribute__((aligned(8)));
static uint8_t bench_ctx[CTX_CAP] __attribute__((aligned(8)));
static uint8_t instance_ram[16384] __attribute__((aligned(8)));
static uint8_t ebpf_stack[FC_MAX_CALL_DEPTH * FC_STACK_SIZE] __attribute__((aligned(8)));
static uint8_t page_buf[PAGE_SIZE] __attribute__((aligned(8)));

static fc_flash_sim flash;
static fc_platform plat;
static fc_install_cfg cfg;
static fc_app app;
static fc_install_info info;
static fc_lresult lres;
static fc_run_args args;
static uint64_t run_r0;
static fc_run_result run_out;

static uint32_t addr_of(const volatile void *p)
{
    return (uint32_t)(uintptr_t)p;
}

/* RV32: gp for the -O2 code's small-data accesses. Compiled code never
 * writes gp, so it stays set from call to call; femto-bench calls this again
 * before each program in case the harness rebuilt its engine. */
void bench_gp(void)
{
#if defined(__riscv)
    __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop");
#endif
}

void bench_init(void)
{
    bench_gp();
    fc_flash_sim_init(&flash, flash_mem, FLASH_SIZE, PAGE_SIZE, 4, addr_of(flash_mem));

    fc_memset(&plat, 0, sizeof plat);
#if defined(__arm__)
    plat.target = FC_TARGET_THUMBV7M;
    plat.isa = FC_ISA_T2_HWDIV;
#else
    plat.target = FC_TARGET_RV32IMAC;
    plat.isa = FC_ISA_RV_M | FC_ISA_RV_A | FC_ISA_RV_C;
#endif
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;   /* the bench installs unsigned containers */
    plat.helpers = fc_std_helpers;
    plat.nhelpers = fc_std_helpers_count;
    plat.sym[FC_SYM_HELPER] = addr_of((const void *)(uintptr_t)fc_native_helper);
    plat.sym[FC_SYM_UDIV64] = addr_of((const void *)(uintptr_t)fc_native_udiv64);
    plat.sym[FC_SYM_SDIV64] = addr_of((const void *)(uintptr_t)fc_native_sdiv64);
    plat.sym[FC_SYM_UMOD64] = addr_of((const void *)(uintptr_t)fc_native_umod64);
    plat.sym[FC_SYM_SMOD64] = addr_of((const void *)(uintptr_t)fc_native_smod64);
    plat.sym[FC_SYM_MEMCHECK] = addr_of((const void *)(uintptr_t)fc_native_memcheck);
    plat.invoke = fc_native_invoke_direct;

    fc_memset(&cfg, 0, sizeof cfg);
    cfg.plat = &plat;
    cfg.slot.flash = &flash.flash;
    cfg.slot.off = 0;
    cfg.slot.size = FLASH_SIZE;
    cfg.ram = instance_ram;
    cfg.ram_len = sizeof instance_ram;
    cfg.buf = page_buf;
    cfg.buf_len = sizeof page_buf;

    bench_io[BIO_FCX_ADDR] = addr_of(bench_fcx);
    bench_io[BIO_FCX_CAP] = FCX_CAP;
    bench_io[BIO_CTX_ADDR] = addr_of(bench_ctx);
    bench_io[BIO_CTX_CAP] = CTX_CAP;
    bench_io[BIO_CFG_ADDR] = addr_of(&cfg);
    bench_io[BIO_APP_ADDR] = addr_of(&app);
    bench_io[BIO_INFO_ADDR] = addr_of(&info);
    bench_io[BIO_LRES_ADDR] = addr_of(&lres);
    bench_io[BIO_ARGS_ADDR] = addr_of(&args);
    bench_io[BIO_R0_ADDR] = addr_of(&run_r0);
    bench_io[BIO_OUT_ADDR] = addr_of(&run_out);
    bench_io[BIO_FLASH_ADDR] = addr_of(flash_mem);
    bench_io[BIO_FLASH_SIZE] = FLASH_SIZE;
    bench_io[BIO_SIZEOF_APP] = sizeof app;
}

void bench_prepare_install(void)
{
    cfg.flags = bench_io[BIO_INSTALL_FLAGS];
    fc_memset(&app, 0, sizeof app);
    fc_memset(&info, 0, sizeof info);
    fc_memset(&lres, 0, sizeof lres);
}

void bench_after_install(void)
{
    fc_ram_usage u;
    bench_io[BIO_LRES_CODE] = (uint32_t)lres.code;
    bench_io[BIO_LRES_SECT] = (uint32_t)lres.sect;
    bench_io[BIO_LRES_ITEM] = (uint32_t)lres.item;
    bench_io[BIO_ENGINE] = info.engine;
    bench_io[BIO_SLOT_BYTES] = info.slot_bytes;
    bench_io[BIO_RAM_BYTES] = info.ram_bytes;
    bench_io[BIO_STACK_BYTES] = info.stack_bytes;
    bench_io[BIO_NRELOCS] = info.nrelocs;
    fc_app_ram(&app, &u);
    bench_io[BIO_RAM_DATA] = u.data;
    bench_io[BIO_RAM_BSS] = u.bss;
    bench_io[BIO_RAM_RODATA] = u.rodata;
    bench_io[BIO_RAM_STACK] = u.stack;
    bench_io[BIO_RAM_ENV] = u.native_env;
    bench_io[BIO_RAM_APP] = u.app_struct;
    bench_io[BIO_RAM_TMPL] = u.run_tmpl;
    bench_io[BIO_RAM_TOTAL] = u.total;
}

void bench_prepare_run(void)
{
    fc_memset(&args, 0, sizeof args);
    args.entry = 0;
    args.flags = bench_io[BIO_RUN_FLAGS];
    args.stack = ebpf_stack;
    args.stack_len = sizeof ebpf_stack;
    args.ctx = bench_ctx;
    args.ctx_len = bench_io[BIO_CTX_LEN];
    args.ctx_perm = FC_PERM_RW;
    run_r0 = 0;
    fc_memset(&run_out, 0, sizeof run_out);
}

void bench_after_run(void)
{
    bench_io[BIO_RUN_ENGINE] = run_out.engine;
    bench_io[BIO_RUN_ERR_PC] = run_out.err_pc;
    bench_io[BIO_R0_LO] = (uint32_t)run_r0;
    bench_io[BIO_R0_HI] = (uint32_t)(run_r0 >> 32);
}
