/*
 * fr_device.h - a simulated device on the host that runs containers through
 * the real device loader (runtime/fc_loader.h): femto-run's engine, shared
 * with the differential drivers (tests/diff/), so what they compare is what
 * femto-run executes.
 *
 * The device is one core (enum fc_target) or none (FC_TARGET_EBPF: the
 * interpreter only). Its memory uses the guest addresses of the simulator's
 * machines (sim/fc_emu.h), with or without an emulator, so a pointer a
 * program computes has the same value on every engine (and the machine maps
 * only the bytes of the run's regions, see fc_emu.h):
 *
 *   0x00100000  flash (fc_flash_sim, FR_FLASH_SIZE), one slot from offset 0:
 *               the loader installs the container here; native code and
 *               .rodata execute/are read in place
 *   0x20100000  context (FC_EMU_AREA_SIZE bytes available)
 *   0x20300000  instance RAM (.data, .bss), FC_EMU_AREA_SIZE bytes
 *   0x20020000  eBPF stack, FC_MAX_CALL_DEPTH frames
 *
 * With a core, fc_run's platform hook (fc_platform.invoke) places the
 * installed slot at its flash address in the emulated core (once per
 * install) and runs the entry there: Thumb-2 on a Cortex-M3 model, RV32IMAC
 * on the SiFive E31 model. The runtime routines the code calls run in the
 * emulator too, so an instruction count covers everything from the entry to
 * the return. lx106 (FC_TARGET_XTENSA) runs in qemu-xtensa (sim/fc_xt.h),
 * another process (esp32 code, FC_TARGET_ESP32, the same way on QEMU's
 * dc233c core, entered with CALLX8, its routine symbols bound to the
 * windowed trampolines of sim/fc_xt_tramp.h): the flash is at 0x00200000 there (the lx106 routine blob
 * is linked at 0x00100000), so .rodata addresses differ from the Unicorn
 * cores'; the context, .data/.bss, stack and extra regions are copied in
 * before a run and back after it, and a helper call is an upcall of the
 * runner (the trampoline runs on the host with the memory copied back and
 * forth around it). Its count covers the code and the division routines,
 * not the helpers. The standard helpers (fc_std_helpers) are registered; their
 * printf output goes to the device's output hook.
 */
#ifndef FR_DEVICE_H
#define FR_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include "fc_loader.h"
#include "fc_helpers.h"
#include "fc_helpers_fc.h"

#define FR_FLASH_SIZE 0x00100000u   /* = FC_EMU_CODE_SIZE */
#define FR_FLASH_PAGE 4096u
#define FR_FLASH_UNIT 8u
#define FR_KV_CAP     64u           /* key-value entries, local and global */

typedef struct fr_device fr_device;

/* What a run cost (fr_run). */
typedef struct fr_stats {
    int counted;          /* insns is meaningful */
    uint64_t insns;       /* native: machine instructions executed (runtime
                             routines included); interpreter: eBPF instructions */
    uint32_t helper_calls;/* native only */
    int machine_fault;    /* native: the emulator stopped on a fault or the cap */
    int uc_err;           /* its Unicorn error (0: instruction cap reached) */
    uint32_t pc;          /* core pc where it stopped (of the access, below) */
    int fault;            /* FC_EMU_EACCESS: FC_EMU_FAULT_* of the access outside
                             the exact map (sim/fc_emu.h), else 0 */
    uint32_t fault_addr;  /* and its address */
    int xt_signal;        /* lx106, esp32: the guest signal qemu-xtensa died of (a
                             fault; QEMU user mode gives no pc), else 0 */
} fr_stats;

/*
 * A device with core `target` (FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC,
 * FC_TARGET_XTENSA for lx106, FC_TARGET_ESP32 for esp32 code on dc233c, or
 * FC_TARGET_EBPF for none). count: count executed instructions (a hook per
 * instruction: slower). NULL with a message in err on failure.
 */
fr_device *fr_open(unsigned target, int count, char *err, size_t errlen);
void fr_close(fr_device *d);

/* The core's -march name ("thumbv7m", "rv32imac", "lx106", "esp32") or "ebpf"; its model. */
const char *fr_core_name(unsigned target);
const char *fr_core_desc(unsigned target);

/* printf helper output: fn(ctx, bytes, n); NULL discards. */
void fr_set_output(fr_device *d, void (*fn)(void *ctx, const char *s, uint32_t n), void *ctx);

/* The permission fr_run / fr_run_prog give the context: FC_PERM_RW (the
 * default) or FC_PERM_R (femto-run --ctx-ro). */
void fr_set_ctx_perm(fr_device *d, unsigned perm);

/* The device's trust store and signature policy (FC_POLICY_*): what
 * fc_install verifies (femto-run --trust, --require-signature). keys stays
 * owned by the caller. Default: no keys, FC_POLICY_ACCEPT_UNSIGNED (set explicitly by fr_open:
 * a zeroed fc_platform on a device is FC_POLICY_NATIVE_SIGNED). */
void fr_set_trust(fr_device *d, const fc_trust_key *keys, uint32_t n, uint32_t policy);

/* The platform (fc_platform) the loader sees; for fc_check. */
const fc_platform *fr_platform(const fr_device *d);

/*
 * Erase the slot and install the container (fc_install with flags
 * FC_INSTALL_*) into the simulated flash, instance RAM bound. The app stays
 * valid until the next install or fr_close. Returns fc_install's result;
 * res (may be NULL) names the failing field.
 */
int fr_install(fr_device *d, const uint8_t *fcx, uint32_t len, uint32_t flags, fc_app *app,
               fc_install_info *info, fc_lresult *res);

/*
 * Run entry `entry` of app (fc_run): the context is ctx_len bytes copied
 * to the context area (read-write unless fr_set_ctx_perm; ctx_len 0:
 * r1 = r2 = 0); budget 0 = the
 * container's. run_flags: FC_RUN_INTERP to use the interpreter. The
 * instance RAM keeps its contents between runs (fc_app_reset to restart).
 * Returns fc_run's result: FC_OK, an enum fc_err, an enum fc_lerr, or
 * FC_EMU_EFAULT / FC_EMU_ECAP / FC_EMU_EACCESS when the native code broke the
 * machine (then st->machine_fault and res->native_pc / res->err_pc say where;
 * for FC_EMU_EACCESS st->fault and st->fault_addr what it touched).
 */
int fr_run(fr_device *d, const fc_app *app, uint32_t entry, uint32_t run_flags,
           const uint8_t *ctx, uint32_t ctx_len, uint64_t budget, uint64_t *r0,
           fc_run_result *res, fr_stats *st);

/*
 * Run a program directly in the interpreter (no container): regions for the
 * context, .rodata, .data (copied from p at each call) and .bss at the
 * device's addresses; every standard helper allowed. Fills vm's outcome.
 */
int fr_run_prog(fr_device *d, const fc_insn *insns, uint32_t n, const uint8_t *rodata,
                uint32_t rodata_len, const uint8_t *data, uint32_t data_len, uint32_t bss_len,
                const uint8_t *ctx, uint32_t ctx_len, uint64_t budget, uint64_t *r0, fc_vm *vm);

/* ---- Femto-Containers devices: sensors, a CoAP packet, extra regions ------
 * The device's helper port (fc_helpers_fc.h): a SAUL registry, one CoAP
 * packet, and a simulated microsecond clock (ztimer_now, now_ms) that
 * starts at 0 and moves only when ztimer_periodic_wakeup sleeps, so every
 * engine sees the same times. Extra regions live in the machine's extra
 * areas (fc_emu.h: 0x20500000, 0x20600000, 0x20700000, FC_EMU_AREA_SIZE
 * bytes each; the same addresses without an emulator); the CoAP packet
 * takes the third one.
 */
#define FR_SAUL_MAX   16u
#define FR_EXTRA_MAX  4u            /* extra regions in all (the loader's table:
                                       FC_MAX_REGIONS = ctx + 3 sections + 4) */
#define FR_COAP_AREA  2u            /* extra area of the CoAP packet */
#define FR_COAP_BUF_OFF 64u         /* the buffer's offset in it; pkt view at 0 */

/* The sensors (copied; at most FR_SAUL_MAX, names not copied). */
int fr_set_saul(fr_device *d, const fc_saul_dev *devs, uint32_t n);

/*
 * A CoAP request: req_len bytes copied to the packet buffer (buf_len bytes,
 * at most FC_EMU_AREA_SIZE - FR_COAP_BUF_OFF), parsed (fc_coap_port_init);
 * the pkt view (read-only) and the buffer (read-write) become extra
 * regions of every run. The 24-byte context a CoAP hook gets
 * (bpf_coap_ctx_t: pkt, buf, buf_len) is written to ctx24. 0, or -1 with a
 * message in err (malformed request, too large).
 */
int fr_set_coap(fr_device *d, const uint8_t *req, uint32_t req_len, uint32_t buf_len,
                uint8_t ctx24[24], char *err, size_t errlen);
/* The packet buffer (host view), its guest address and length. */
const uint8_t *fr_coap_buf(const fr_device *d, uint32_t *addr, uint32_t *len);
/* Put the request back (the helpers rewrote the buffer): before each run. */
void fr_coap_reset(fr_device *d);

/*
 * Grant an extra region of len bytes at guest address addr (inside one of
 * the first two extra areas, or the third without a CoAP packet), its
 * bytes copied from data (NULL: zeros), perm FC_PERM_R or FC_PERM_RW.
 * 0, or -1 with a message.
 */
int fr_add_region(fr_device *d, uint32_t addr, const uint8_t *data, uint32_t len, unsigned perm,
                  char *err, size_t errlen);
/* The extra regions granted (fr_add_region, then the CoAP packet's two). */
uint32_t fr_regions(const fr_device *d, const fc_region **r);

/* Memory after a run, host views: */
enum fr_area { FR_CTX, FR_RAM, FR_STACK };
uint8_t *fr_area(fr_device *d, enum fr_area a, uint32_t *guest_addr, uint32_t *size);

#endif /* FR_DEVICE_H */
