/*
 * board_main.c - the femtoc device firmware shared by the emulated boards
 * (mps2-an385: Cortex-M3; sifive_e: RV32IMAC; xtensa-sim: lx106, call0):
 * the runtime, the loader and
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
 * or, with the Femto-Containers devices (femto-board --saul, --coap-req,
 * --region), magic "FCB2" with one more word, +16 u32 dev_len, the
 * container at +20, the context after it (aligned to 4), then dev_len
 * bytes of device records (aligned to 4 each; board_devices below).
 *
 * Output goes through semihosting; the exit code is 0 when every run ended
 * with FC_OK, 1 when a run failed, 2 when the install failed.
 *
 * Trust (docs/sandbox.md section 12): built with BOARD_TRUST (make firmware
 * TRUST=pub.pem), the firmware's trust store is that one public key, from
 * the generated board_trust.h, and the policy is BOARD_POLICY: native code
 * only from containers signed by it (else bytecode only), or nothing
 * unsigned at all. Without, the development policy (FC_POLICY_ACCEPT_UNSIGNED,
 * set explicitly: a zeroed fc_platform means FC_POLICY_NATIVE_SIGNED).
 *
 * The device's own compiler (docs/sandbox.md "The device's own compiler"):
 * built with BOARD_JIT (runtime/jit.mk: build/board-jit/BOARD.elf, linked
 * with libfcjit.a), the firmware also has FC_POLICY_JIT: a container with no
 * code for this core (bytecode only) is verified and compiled at install by
 * the same verifier and backend as femtoc's, in a static workspace of
 * BOARD_JIT_WS bytes, and runs natively. It prints the workspace the
 * program needs, the compile's result and, on a board with a timer
 * (BOARD_TIMER_CMSDK), the install's and the compile's cost in timer ticks
 * (docs/PORTING.md: what a tick is under QEMU).
 */
#include <stdarg.h>
#include <stdint.h>
#include "board.h"
#include "board_cfg.h"
#include "fc_helpers.h"
#include "fc_helpers_fc.h"
#include "fc_libc.h"
#include "fc_loader.h"
#include "fc_native.h"
#ifdef BOARD_JIT
#include "fc_jit.h"
#endif

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
    char buf[224], *p = buf, *end = buf + sizeof buf - 1;
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
/* ---- Femto-Containers devices (fc_helpers_fc.h): sensors, a CoAP packet,
 * extra regions, a clock that moves only when a program sleeps (as in
 * femto-run, so both give the same times) ----------------------------- */
static uint64_t clock_now_us;
static uint64_t clock_us(void *ctx) { (void)ctx; return clock_now_us; }
static uint64_t clock_ms(void *ctx) { (void)ctx; return clock_now_us / 1000u; }
static void clock_sleep(void *ctx, uint32_t us) { (void)ctx; clock_now_us += us; }

static fc_saul_dev saul_devs[BOARD_SAUL_MAX];
static fc_coap_port coap;
static fc_helper_port port = {saul_devs, 0, 0, clock_sleep, 0};
static uint8_t extra_pool[BOARD_EXTRA_BYTES] __attribute__((aligned(8)));
static uint32_t extra_used;
static fc_region extra[4];
static uint32_t nextra;
static uint32_t run_entry;     /* the entry every run starts (record 4) */
static const uint8_t *coap_req;
static uint32_t coap_req_len;

static fc_helper_env henv = {helper_write, clock_ms, clock_us, 0, &kv_local, &kv_global, &port};

/* ---- memory for the container ----------------------------------------- */
static uint8_t instance_ram[BOARD_RAM_BYTES] __attribute__((aligned(8)));
static uint8_t ebpf_stack[BOARD_FRAMES * FC_STACK_SIZE] __attribute__((aligned(8)));
static uint8_t page_buf[BOARD_PAGE_SIZE] __attribute__((aligned(8)));
static uint8_t ctx_buf[BOARD_CTX_MAX] __attribute__((aligned(8)));
static fc_flash_sim flash;
static fc_app app;

static uint8_t *pool_take(uint32_t n)
{
    uint8_t *p;
    n = (n + 7u) & ~7u;
    if (n > sizeof extra_pool - extra_used)
        return 0;
    p = extra_pool + extra_used;
    extra_used += n;
    return p;
}

static void wr64(uint8_t *p, uint64_t v)
{
    for (unsigned k = 0; k < 8; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

/*
 * Device records, each u32 kind, u32 len, len bytes of body (aligned to 4):
 *   1 sensor:  u8 type, u8 unit, s8 scale, u8 0, s16 value      (fc_saul_dev)
 *   2 region:  u32 ctx_off, u32 perm, then the bytes: placed in the pool and
 *              granted; its address written as 64 bits at ctx_off of the
 *              context (a __bpf_shared_ptr), unless ctx_off is 0xffffffff
 *   3 coap:    u32 buf_len, then the request: the packet (pkt view + buffer)
 *              in the pool, granted; the context becomes bpf_coap_ctx_t
 *   4 entry:   u32 the index of the entry to run (femto-board --entry;
 *              default 0)
 * 0, or -1 with a message.
 */
static int board_devices(const uint8_t *p, uint32_t len, uint8_t *ctx, uint32_t *ctx_len)
{
    uint32_t off = 0;
    while (off + 8u <= len) {
        uint32_t kind = rd32(p + off), n = rd32(p + off + 4);
        const uint8_t *b = p + off + 8;
        if (n > len - off - 8u)
            break;
        if (kind == 1 && n >= 6) {
            if (port.nsaul >= BOARD_SAUL_MAX) {
                board_puts("board: too many sensors\n");
                return -1;
            }
            fc_saul_dev *d = &saul_devs[port.nsaul++];
            fc_memset(d, 0, sizeof *d);
            d->name = "sim";
            d->type = b[0];
            d->value.unit = b[1];
            d->value.scale = (int8_t)b[2];
            d->value.val[0] = (int16_t)(b[4] | b[5] << 8);
            d->dim = 1;
        } else if (kind == 2 && n > 8) {
            uint32_t at = rd32(b), perm = rd32(b + 4), rl = n - 8;
            uint8_t *r = pool_take(rl);
            if (!r || nextra >= 4 || (at != 0xffffffffu && (at > BOARD_CTX_MAX - 8u || at + 8u > *ctx_len))) {
                board_puts("board: a region does not fit (pool, count or context offset)\n");
                return -1;
            }
            fc_memmove(r, b + 8, rl);
            extra[nextra++] = (fc_region){(uint32_t)(uintptr_t)r, r, rl,
                                          perm == FC_PERM_R ? FC_PERM_R : FC_PERM_RW, FC_REGION_EXTRA};
            if (at != 0xffffffffu)
                wr64(ctx + at, (uint32_t)(uintptr_t)r);
            board_printf("board: region at 0x%08x, %u bytes, %s\n", (uint32_t)(uintptr_t)r, rl,
                         perm == FC_PERM_R ? "r" : "rw");
        } else if (kind == 4 && n >= 4) {
            run_entry = rd32(b);
        } else if (kind == 3 && n >= 4) {
            uint32_t bl = rd32(b), rl = n - 4;
            uint8_t *area = pool_take(FC_COAP_PKT_VIEW + bl);
            if (!area || rl > bl || nextra > 2) {
                board_puts("board: the CoAP packet does not fit\n");
                return -1;
            }
            fc_memset(area, 0, FC_COAP_PKT_VIEW + bl);
            fc_memmove(area + FC_COAP_PKT_VIEW, b + 4, rl);
            coap.buf = area + FC_COAP_PKT_VIEW;
            coap.buf_len = bl;
            coap.buf_addr = (uint32_t)(uintptr_t)coap.buf;
            coap.pkt = area;
            coap.pkt_addr = (uint32_t)(uintptr_t)area;
            if (fc_coap_port_init(&coap, rl)) {
                board_puts("board: not a well-formed CoAP request\n");
                return -1;
            }
            port.coap = &coap;
            coap_req = b + 4;
            coap_req_len = rl;
            extra[nextra++] = (fc_region){coap.pkt_addr, coap.pkt, FC_COAP_PKT_VIEW, FC_PERM_R,
                                          FC_REGION_EXTRA};
            extra[nextra++] = (fc_region){coap.buf_addr, coap.buf, bl, FC_PERM_RW, FC_REGION_EXTRA};
            wr64(ctx, coap.pkt_addr);
            wr64(ctx + 8, coap.buf_addr);
            wr64(ctx + 16, bl);
            *ctx_len = 24;
            board_printf("board: CoAP packet: pkt view at 0x%08x, buffer at 0x%08x, %u bytes\n",
                         (uint32_t)coap.pkt_addr, (uint32_t)coap.buf_addr, bl);
        } else {
            board_puts("board: unknown device record\n");
            return -1;
        }
        off += 8u + ((n + 3u) & ~3u);
    }
    return 0;
}

static void report_lresult(const char *what, const fc_lresult *r)
{
    char msg[160];
    fc_lresult_format(r, msg, sizeof msg);
    board_printf("board: %s failed: %s (%s)\n", what, msg, fc_lerr_str(r->code));
}

/* ---- a free-running timer: cost of install and compile ---------------- */
#ifdef BOARD_TIMER_CMSDK
/* CMSDK APB timer: CTRL +0 (bit 0 enable), VALUE +4 (counts down), RELOAD +8 */
#define TMR(off) (*(volatile uint32_t *)(uintptr_t)(BOARD_TIMER_CMSDK + (off)))
static void timer_start(void)
{
    TMR(0) = 0;
    TMR(8) = 0xffffffffu;
    TMR(4) = 0xffffffffu;
    TMR(0) = 1;
}
static uint32_t timer_now(void) { return 0xffffffffu - TMR(4); }
#endif

#ifdef BOARD_JIT
static uint8_t jit_ws[BOARD_JIT_WS] __attribute__((aligned(8)));
static fc_jit_ctx jit_ctx;
static uint32_t jit_ticks;
/* fc_jit_hook, timed */
static int board_jit(void *c, const fc_jit_in *in, fc_jit_out *out, fc_lresult *res)
{
#ifdef BOARD_TIMER_CMSDK
    uint32_t t0 = timer_now();
    int e = fc_jit_hook(c, in, out, res);
    jit_ticks = timer_now() - t0;
    return e;
#else
    return fc_jit_hook(c, in, out, res);
#endif
}
#endif

int main(void)
{
    const uint8_t *blob = __blob;
    int v2 = rd32(blob) == 0x32424346u; /* "FCB2": with device records */
    if (rd32(blob) != 0x4c424346u /* "FCBL" */ && !v2) {
        board_puts("board: no container blob\n");
        return 2;
    }
    uint32_t fcx_len = rd32(blob + 4), ctx_len = rd32(blob + 8), runs = rd32(blob + 12);
    uint32_t dev_len = v2 ? rd32(blob + 16) : 0;
    const uint8_t *fcx = blob + (v2 ? 20 : 16);
    const uint8_t *ctx_src = fcx + ((fcx_len + 3u) & ~3u);
    if (fcx_len > (1u << 20) - 16u || ctx_len > sizeof ctx_buf || dev_len > (1u << 20)) {
        board_puts("board: blob sizes out of range\n");
        return 2;
    }
    if (runs == 0)
        runs = 1;
    fc_memmove(ctx_buf, ctx_src, ctx_len);
    if (dev_len && board_devices(ctx_src + ((ctx_len + 3u) & ~3u), dev_len, ctx_buf, &ctx_len))
        return 2;

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
#ifndef BOARD_NO_NATIVE
    plat.sym[FC_SYM_HELPER] = (uint32_t)(uintptr_t)fc_native_helper;
    plat.sym[FC_SYM_UDIV64] = (uint32_t)(uintptr_t)fc_native_udiv64;
    plat.sym[FC_SYM_SDIV64] = (uint32_t)(uintptr_t)fc_native_sdiv64;
    plat.sym[FC_SYM_UMOD64] = (uint32_t)(uintptr_t)fc_native_umod64;
    plat.sym[FC_SYM_SMOD64] = (uint32_t)(uintptr_t)fc_native_smod64;
    plat.sym[FC_SYM_MEMCHECK] = (uint32_t)(uintptr_t)fc_native_memcheck;
    plat.invoke = fc_native_invoke_direct;
#endif   /* else an interpreter-only runtime (-DFC_NO_NATIVE): no routines, no invoke */
#ifdef BOARD_TRUST
    plat.trusted = trusted_keys;
    plat.ntrusted = sizeof trusted_keys / sizeof trusted_keys[0];
    plat.policy = BOARD_POLICY;
    board_printf("board: %s\n", trust_marker);
#else
    /* a development firmware (no TRUST=): unsigned native code accepted */
    plat.policy = FC_POLICY_ACCEPT_UNSIGNED;
#endif
#ifdef BOARD_JIT
    plat.policy |= FC_POLICY_JIT;
    plat.jit = board_jit;
    plat.jit_ctx = &jit_ctx;
    jit_ctx.ws = jit_ws;
    jit_ctx.ws_len = sizeof jit_ws;
    {
        size_t need = fc_jit_workspace_size(fcx, fcx_len, BOARD_TARGET, BOARD_ISA);
        board_printf("board: jit: the device compiles (FC_POLICY_JIT); the program needs a %u-byte "
                     "workspace (%u bytes here)\n", (uint32_t)need, (uint32_t)sizeof jit_ws);
    }
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
    fc_memset(&info, 0, sizeof info);
#ifdef BOARD_TIMER_CMSDK
    timer_start();
    uint32_t t_install = timer_now();
#endif
    int ie = fc_install(fcx, fcx_len, &cfg, &app, &info, &res);
#ifdef BOARD_TIMER_CMSDK
    t_install = timer_now() - t_install;
#endif
#ifdef BOARD_JIT
    if (info.jit == 1 || ie == FC_LERR_JIT_VERIFY || ie == FC_LERR_JIT_COMPILE || info.jit == 2) {
        const fc_jit_stats *js = &jit_ctx.st;
        if (info.jit == 1)
            board_printf("board: jit: verified and compiled %u eBPF insns with %s: %u code bytes, "
                         "%u relocations, %u pc map records; workspace %u bytes (verifier %u, backend %u, "
                         "output %u)\n", js->ninsns, js->backend ? js->backend : "?", js->code_len, js->nrelocs,
                         js->npcmap, (uint32_t)js->ws_need, (uint32_t)js->vfy_ws, (uint32_t)js->bk_ws,
                         (uint32_t)js->out_ws);
        else {
            const fc_lresult *jr = info.jit == 2 ? &info.jit_res : &res;
            board_printf("board: jit: refused at eBPF instruction %d: %s (%s)%s\n", jr->item,
                         jr->what ? jr->what : "", fc_lerr_str(jr->code),
                         info.jit == 2 ? "; installing its bytecode for the interpreter" : "");
        }
#ifdef BOARD_TIMER_CMSDK
        board_printf("board: jit: compile %u timer ticks (%u ticks per eBPF insn)\n", jit_ticks,
                     js->ninsns ? jit_ticks / js->ninsns : 0u);
#endif
    }
#endif
    if (ie != FC_OK) {
        report_lresult("install", &res);
        return 2;
    }
#ifdef BOARD_TIMER_CMSDK
    board_printf("board: install %u timer ticks\n", t_install);
#endif
    if (info.native_dropped)
        board_printf("board: native code refused: the container is %s; installing its bytecode only\n",
                     fc_trust_str(info.trust));
    else if (info.trust == FC_TRUST_OK)
        board_printf("board: signature ok (trusted key %u)\n", (uint32_t)info.key);
    fc_ram_usage ru;
    fc_app_ram(&app, &ru);
    board_printf("board: installed %u-byte container: %s code, %u eBPF insns, "
                 "%u bytes in the slot, %u bytes of instance RAM, %u bytes of native env in the run template\n",
                 fcx_len, info.engine == BOARD_TARGET ? BOARD_CODE_NAME : "no native",
                 info.ninsns, info.slot_bytes, info.ram_bytes, ru.native_env);

    int status = 0;
    for (uint32_t i = 0; i < runs; i++) {
        fc_run_args args;
        fc_memset(&args, 0, sizeof args);
        args.entry = run_entry;
        args.stack = ebpf_stack;
        args.stack_len = sizeof ebpf_stack;
        args.ctx = ctx_buf;
        args.ctx_len = ctx_len;
        args.ctx_perm = FC_PERM_RW;
        args.env = &henv;
        args.extra = extra;
        args.nextra = nextra;
        if (coap.buf && i > 0) {   /* every run answers the same request */
            fc_memset(coap.buf, 0, coap.buf_len);
            fc_memmove(coap.buf, coap_req, coap_req_len);
            (void)fc_coap_port_init(&coap, coap_req_len);
        }
        uint64_t r0 = 0;
        fc_run_result out;
        int err = fc_run(&app, &args, &r0, &out);
        if (err == FC_OK) {
            board_printf("board: run %u (%s): r0 = 0x%08x%08x\n", i + 1,
                         out.engine == FC_TARGET_EBPF ? "interpreter" : "native",
                         (uint32_t)(r0 >> 32), (uint32_t)r0);
            if (coap.buf) {
                /* the response: the first r0 bytes (the hook's length) */
                int32_t n = (int32_t)(uint32_t)r0;
                char line[4 + 3 * 40];   /* board_printf's line holds 40 bytes of it */
                uint32_t k = 0;
                if (n > 0 && (uint32_t)n <= coap.buf_len) {
                    for (int32_t j = 0; j < n && k + 4 < sizeof line; j++) {
                        static const char hx[] = "0123456789abcdef";
                        line[k++] = ' ';
                        line[k++] = hx[coap.buf[j] >> 4];
                        line[k++] = hx[coap.buf[j] & 15];
                    }
                    line[k] = 0;
                    board_printf("board: coap response: %d bytes:%s\n", n, line);
                }
            }
        } else {
            /* femto-board words it as femto-run does (femto-objdump --fault)
             * from the code, the instruction and the address */
            board_printf("board: run %u: error %d (%s) at eBPF instruction %u, address 0x%08x%08x\n",
                         i + 1, err, err < FC_LERR_BASE ? fc_err_str(err) : fc_lerr_str(err),
                         out.err_pc, (uint32_t)(out.err_addr >> 32), (uint32_t)out.err_addr);
            status = 1;
        }
    }
    return status;
}
