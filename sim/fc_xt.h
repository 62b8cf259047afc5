/*
 * fc_xt.h - the Xtensa runner of the host simulator (sim/, libfcsim; host
 * tools and tests only). Unicorn has no Xtensa, so code for the lx106
 * (ESP8266) and dc233c (windowed registers, MUL32, DIV32: QEMU's stand-in
 * for the ESP32's LX6) cores runs in one long-running `qemu-xtensa -cpu
 * lx106|dc233c` process (QEMU user mode), fed code and inputs over a socket:
 * its guest program, sim/xt_monitor.c, maps memory, copies bytes in and out
 * and calls code on request. Measured on this project's 2-core machine
 * under a load average of 9: a call round trip 0.3-1 ms, a QEMU start
 * 0.1-0.5 s; hence fc_xt_call_table (many inputs, one round trip) and a
 * process kept for the whole run.
 *
 * The machine: whatever fc_xt_map maps (clear of the monitor's page at
 * 0x00f00000 and of QEMU's user stack, which ends just below 0x40000000),
 * plus that stack, which called code runs on (a1 as the monitor's). Calls follow
 * the call0 ABI (CALLX0; arguments a2..a7, result a2:a3, return address a0)
 * or the windowed ABI (CALLX8 from the monitor; the callee starts with
 * ENTRY, takes its arguments in a2..a7 and returns with RETW) on a core
 * with windows.
 *
 * Stop reasons: a return (FC_XT_OK, the result); a fault (the QEMU process
 * died of a guest signal: FC_XT_EFAULT, stats->signal, e.g. 4 SIGILL for
 * an illegal instruction or a missing option, 11 SIGSEGV for an unmapped
 * access, 8 SIGFPE for IntegerDivideByZero); the budget (FC_XT_ETIMEOUT: no
 * answer within the time limit; the process is killed). After a fault or
 * a timeout the runner starts a new QEMU process and restores every mapping
 * with the contents the host last wrote or read there (the runner keeps a
 * host copy of mapped memory, updated by fc_xt_write and fc_xt_read only:
 * what a call changed and nobody read back is lost at a restart).
 *
 * Budget: QEMU user mode has no instruction cap, so a run is bounded by
 * time (fc_xt_timeout, default 2000 ms). Executed instructions are counted
 * on request (fc_xt_count) by running QEMU with -singlestep and the "exec"
 * trace (-d exec,nochain: one line per executed instruction with its pc),
 * counting the lines whose pc lies outside the monitor: slow (a few us per
 * instruction), exact. Debian's QEMU ships no TCG plugins (no libinsn.so
 * and no qemu-plugin.h), so the plugin way is not used.
 */
#ifndef FC_XT_H
#define FC_XT_H

#include <stddef.h>
#include <stdint.h>

enum fc_xt_core { FC_XT_LX106 = 0, FC_XT_DC233C = 1 };
enum fc_xt_abi { FC_XT_CALL0 = 0, FC_XT_WINDOWED = 1 };

/* fc_xt_map prot bits (Linux PROT_*) */
enum { FC_XT_R = 1, FC_XT_W = 2, FC_XT_X = 4, FC_XT_RWX = 7 };

#define FC_XT_MON_ADDR 0x00f00000u   /* the monitor's segment (4 KiB) */
#define FC_XT_HOST_ADDR FC_XT_MON_ADDR /* the host call (fc_xt_set_host) */

enum {
    FC_XT_OK = 0,
    FC_XT_EFAULT = -1,    /* the code faulted: stats->signal */
    FC_XT_ETIMEOUT = -2,  /* no return within the time limit */
    FC_XT_ESETUP = -3,    /* bad arguments (outside every mapping, overlap...) */
    FC_XT_EIO = -4        /* QEMU could not be started or broke the protocol */
};

typedef struct fc_xt fc_xt;

typedef struct fc_xt_stats {
    int signal;           /* FC_XT_EFAULT: the guest signal */
    uint64_t insns;       /* executed instructions outside the monitor (counting) */
    int counted;          /* insns is valid */
} fc_xt_stats;

/* Start qemu-xtensa for a core. NULL with a message in err. */
fc_xt *fc_xt_open(enum fc_xt_core core, char *err, size_t errlen);
void fc_xt_close(fc_xt *x);
/* "lx106" / "dc233c" */
const char *fc_xt_core_name(enum fc_xt_core core);

/* Map size bytes (multiple of 4 KiB) of zeroed memory at addr (4 KiB
 * aligned) with prot, which must include FC_XT_W (the monitor fills guest
 * memory with read(2)). At most 16 mappings; not the monitor's page. */
int fc_xt_map(fc_xt *x, uint32_t addr, uint32_t size, unsigned prot);

/* Copy bytes into / out of mapped guest memory (one mapping). Code written
 * here may be run at once: QEMU drops translations of changed pages. */
int fc_xt_write(fc_xt *x, uint32_t addr, const void *src, uint32_t len);
int fc_xt_read(fc_xt *x, uint32_t addr, void *dst, uint32_t len);

/* Time limit of one call (ms, default 2000). */
void fc_xt_timeout(fc_xt *x, unsigned ms);

/* Count executed instructions from now on (restarts QEMU with the trace;
 * slow) or stop counting. */
int fc_xt_count(fc_xt *x, int on);

/* Call fn with nargs (<= 6) 32-bit arguments in the given ABI; *ret (may be
 * NULL) = a2 | a3 << 32 of the callee at its return. Returns FC_XT_OK or
 * FC_XT_E*; stats (may be NULL) says more. */
int fc_xt_call(fc_xt *x, uint32_t fn, enum fc_xt_abi abi, const uint32_t *args, unsigned nargs,
               uint64_t *ret, fc_xt_stats *stats);

/* The same once per record of a table in mapped guest memory: n records of
 * 8 words, the arguments a2..a7 in words 0..5, the result a2 / a3 written by
 * the monitor into words 6 and 7 (read it back with fc_xt_read). One
 * request for many inputs: the round trip over the socket costs far more
 * than a short call. The time limit is for the whole table; a fault stops
 * it (the records before it were run, but are lost with the process). */
int fc_xt_call_table(fc_xt *x, uint32_t fn, enum fc_xt_abi abi, uint32_t table, uint32_t n,
                     fc_xt_stats *stats);

/*
 * Host calls. Code run by fc_xt_call / fc_xt_call_table may call
 * FC_XT_HOST_ADDR (call0; arguments a2, a3, a4, result a2:a3): the monitor
 * stops there and the runner calls fn(ctx, x, args, &ret) on the host,
 * which may use fc_xt_read / fc_xt_write / fc_xt_map (the guest serves
 * them while it waits), then the guest call returns ret. fn returns 0, or
 * nonzero to stop the run (FC_XT_EIO; the process is restarted). Without
 * fn a host call is FC_XT_EIO. The time limit applies to each wait.
 */
typedef int (*fc_xt_host_fn)(void *ctx, fc_xt *x, const uint32_t args[3], uint64_t *ret);
void fc_xt_set_host(fc_xt *x, fc_xt_host_fn fn, void *ctx);

/* QEMU processes started so far (1 + restarts). */
unsigned fc_xt_starts(const fc_xt *x);

#endif /* FC_XT_H */
