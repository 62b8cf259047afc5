/*
 * board_main.c - the femtoc device firmware shared by the emulated boards
 * (mps2-an385: Cortex-M3; sifive_e: RV32IMAC): the runtime, the loader and
 * the standard helpers, receiving a container from the host as a blob,
 * installing it into the flash slot through the real loader, and running it
 * natively (or in the interpreter when the container carries no code for
 * this core). What differs per board is in its board_cfg.h, startup.c and
 * link.ld.
 *
 * The blob (placed at __blob by QEMU's `-device loader`, made by
 * tools/femto-board):
 *
 *   +0   "FCBL"          magic
 *   +4   u32 fcx_len     container bytes
 *   +8   u32 ctx_len     context bytes
 *   +12  u32 runs        how many times to run the entry
 *   +16  container, then the context at +16 + align4(fcx_len)
 *
 * Output goes through semihosting; the exit code is 0 when every run ended
 * with FC_OK, 1 when a run failed, 2 when the install failed.
 *
 * Trust (docs/sandbox.md section 12): built with BOARD_TRUST (make firmware
 * TRUST=pub.pem), the firmware's trust store is that one public key, from
 * the generated board_trust.h, and the policy is BOARD_POLICY: native code
 * only from containers signed by it (else bytecode only), or nothing
 * unsigned at all. Without, the development policy: native code accepted.
 */
#include <stdarg.h>
#include <stdint.h>
#include "board.h"
#include "board_cfg.h"
#include "fc_helpers.h"
#include "fc_libc.h"
#include "fc_loader.h"
#include "fc_native.h"

extern const uint8_t __blob[], __slot[], __slot_size[];

#ifdef BOARD_TRUST
#include "board_trust.h"   /* FC_TRUST_KEYS, FC_TRUST_KEY_ID, BOARD_POLICY(_NAME) */
static const fc_trust_key trusted_keys[] = FC_TRUST_KEYS;
/* femto-board reads this line from the ELF to know which key a firmware trusts */
static const char trust_marker[] = "trust store: key id " FC_TRUST_KEY_ID ", policy " BOARD_POLICY_NAME;
#endif

/* gcc may emit calls to these for struct copies and zeroing. */
void *memset(void *d, int c, size_t n) { return fc_memset(d, c, n); }
void *memcpy(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }

/* ---- a small formatter for the firmware's own messages ---------------- */
static void put_u(char **p, char *end, uint32_t v, unsigned base, int width, char pad)
{
    char tmp[12];
    int n = 0;
    do {
        unsigned d = v % base;
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    while (width-- > n && *p < end)
        *(*p)++ = pad;
    while (n && *p < end)
        *(*p)++ = tmp[--n];
}

void board_printf(const char *fmt, ...)
{
    char buf[160], *p = buf, *end = buf + sizeof buf - 1;
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt && p < end; fmt++) {
        if (*fmt != '%') {
            *p++ = *fmt;
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 'u': put_u(&p, end, va_arg(ap, uint32_t), 10, width, pad); break;
        case 'x': put_u(&p, end, va_arg(ap, uint32_t), 16, width, pad); break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            if (v < 0 && p < end) {
                *p++ = '-';
                v = -v;
            }
            put_u(&p, end, (uint32_t)v, 10, width, pad);
            break;
        }
        case 's':
            for (const char *s = va_arg(ap, const char *); *s && p < end; s++)
                *p++ = *s;
            break;
        default:
            *p++ = *fmt;
            break;
        }
        if (!*fmt)
            break;
    }
    va_end(ap);
    *p = 0;
    board_puts(buf);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- helpers' environment: printf goes to semihosting ----------------- */
static void helper_write(void *ctx, const char *s, uint32_t n)
{
    (void)ctx;
    board_write(s, n);
}

static fc_kv_entry kv_local_entries[BOARD_KV_ENTRIES], kv_global_entries[BOARD_KV_ENTRIES];
static fc_kv kv_local, kv_global;
static fc_helper_env henv = {helper_write, 0, 0, 0, &kv_local, &kv_global};

/* ---- memory for the container ----------------------------------------- */
static uint8_t instance_ram[BOARD_RAM_BYTES] __attribute__((aligned(8)));
static uint8_t ebpf_stack[BOARD_FRAMES * FC_STACK_SIZE] __attribute__((aligned(8)));
static uint8_t page_buf[BOARD_PAGE_SIZE] __attribute__((aligned(8)));
static uint8_t ctx_buf[BOARD_CTX_MAX] __attribute__((aligned(8)));
static fc_flash_sim flash;
static fc_app app;

static void report_lresult(const char *what, const fc_lresult *r)
{
    char msg[160];
    fc_lresult_format(r, msg, sizeof msg);
    board_printf("board: %s failed: %s (%s)\n", what, msg, fc_lerr_str(r->code));
}

int main(void)
{
    const uint8_t *blob = __blob;
    if (rd32(blob) != 0x4c424346u /* "FCBL" */) {
        board_puts("board: no container blob\n");
        return 2;
    }
    uint32_t fcx_len = rd32(blob + 4), ctx_len = rd32(blob + 8), runs = rd32(blob + 12);
    const uint8_t *fcx = blob + 16;
    const uint8_t *ctx_src = fcx + ((fcx_len + 3u) & ~3u);
    if (fcx_len > (1u << 20) - 16u || ctx_len > sizeof ctx_buf) {
        board_puts("board: blob sizes out of range\n");
        return 2;
    }
    if (runs == 0)
        runs = 1;
    fc_memmove(ctx_buf, ctx_src, ctx_len);

    fc_kv_init(&kv_local, kv_local_entries, BOARD_KV_ENTRIES);
    fc_kv_init(&kv_global, kv_global_entries, BOARD_KV_ENTRIES);

    /* The slot is driven through the simulated flash (NOR rules enforced),
     * mapped where the core executes it. */
    uint32_t slot_size = (uint32_t)(uintptr_t)__slot_size;
    fc_flash_sim_init(&flash, (uint8_t *)(uintptr_t)__slot, slot_size, BOARD_PAGE_SIZE, 4,
                      (uint32_t)(uintptr_t)__slot);

    fc_platform plat;
    fc_memset(&plat, 0, sizeof plat);
    plat.target = BOARD_TARGET;
    plat.isa = BOARD_ISA;
    plat.helpers = fc_std_helpers;
    plat.nhelpers = fc_std_helpers_count;
    plat.sym[FC_SYM_HELPER] = (uint32_t)(uintptr_t)fc_native_helper;
    plat.sym[FC_SYM_UDIV64] = (uint32_t)(uintptr_t)fc_native_udiv64;
    plat.sym[FC_SYM_SDIV64] = (uint32_t)(uintptr_t)fc_native_sdiv64;
    plat.sym[FC_SYM_UMOD64] = (uint32_t)(uintptr_t)fc_native_umod64;
    plat.sym[FC_SYM_SMOD64] = (uint32_t)(uintptr_t)fc_native_smod64;
    plat.sym[FC_SYM_MEMCHECK] = (uint32_t)(uintptr_t)fc_native_memcheck;
    plat.invoke = fc_native_invoke_direct;
#ifdef BOARD_TRUST
    plat.trusted = trusted_keys;
    plat.ntrusted = sizeof trusted_keys / sizeof trusted_keys[0];
    plat.policy = BOARD_POLICY;
    board_printf("board: %s\n", trust_marker);
#endif

    fc_install_cfg cfg;
    fc_memset(&cfg, 0, sizeof cfg);
    cfg.plat = &plat;
    cfg.slot.flash = &flash.flash;
    cfg.slot.off = 0;
    cfg.slot.size = slot_size;
    cfg.ram = instance_ram;
    cfg.ram_len = sizeof instance_ram;
    cfg.buf = page_buf;
    cfg.buf_len = sizeof page_buf;

    fc_install_info info;
    fc_lresult res;
    if (fc_install(fcx, fcx_len, &cfg, &app, &info, &res) != FC_OK) {
        report_lresult("install", &res);
        return 2;
    }
    if (info.native_dropped)
        board_printf("board: native code refused: the container is %s; installing its bytecode only\n",
                     fc_trust_str(info.trust));
    else if (info.trust == FC_TRUST_OK)
        board_printf("board: signature ok (trusted key %u)\n", (uint32_t)info.key);
    board_printf("board: installed %u-byte container: %s code, %u eBPF insns, "
                 "%u bytes in the slot, %u bytes of instance RAM\n",
                 fcx_len, info.engine == BOARD_TARGET ? BOARD_CODE_NAME : "no native",
                 info.ninsns, info.slot_bytes, info.ram_bytes);

    int status = 0;
    for (uint32_t i = 0; i < runs; i++) {
        fc_run_args args;
        fc_memset(&args, 0, sizeof args);
        args.entry = 0;
        args.stack = ebpf_stack;
        args.stack_len = sizeof ebpf_stack;
        args.ctx = ctx_buf;
        args.ctx_len = ctx_len;
        args.ctx_perm = FC_PERM_RW;
        args.env = &henv;
        uint64_t r0 = 0;
        fc_run_result out;
        int err = fc_run(&app, &args, &r0, &out);
        if (err == FC_OK) {
            board_printf("board: run %u (%s): r0 = 0x%08x%08x\n", i + 1,
                         out.engine == FC_TARGET_EBPF ? "interpreter" : "native",
                         (uint32_t)(r0 >> 32), (uint32_t)r0);
        } else {
            board_printf("board: run %u: error %d (%s) at eBPF instruction %u\n", i + 1,
                         err, err < FC_LERR_BASE ? fc_err_str(err) : fc_lerr_str(err),
                         out.err_pc);
            status = 1;
        }
    }
    return status;
}
