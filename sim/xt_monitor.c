/*
 * xt_monitor.c - the guest side of the Xtensa runner (sim/fc_xt.h): a static
 * Linux program for qemu-xtensa (user mode) that serves requests from the
 * host on fd 0 and answers on fd 1, so that one QEMU process runs many
 * pieces of code (starting QEMU costs milliseconds, a request tens of
 * microseconds). Compiled with xtensa-lx106-elf-gcc (call0 ABI, base ISA +
 * Code Density + MUL32 only, so it runs unchanged on lx106 and dc233c),
 * -nostdlib, linked at XT_MON_ADDR (sim/xt_monitor.ld).
 *
 * Requests are 16 little-endian words; every answer starts with 4 words
 * {XT_MON_OK | cmd, v1, v2, v3}:
 *   MAP   addr size prot   mmap2(MAP_FIXED|MAP_PRIVATE|MAP_ANONYMOUS); v1 = result
 *   WRITE addr len         then len bytes from the host into guest memory
 *   READ  addr len         answer, then len bytes of guest memory
 *   CALL  fn abi a2..a7    call fn: abi 0 = call0 (CALLX0, arguments in
 *                          a2..a7, result a2:a3), abi 1 = windowed (CALLX8,
 *                          arguments in the callee's a2..a7 = our a10..a15,
 *                          result its a2 = our a10, a11); v1:v2 = result
 *   CALLS fn abi table n   CALL once per record of the table in guest
 *                          memory: n records of 8 words, a2..a7 in, the
 *                          result written to words 6 and 7 (one request for
 *                          many inputs: the round trip is what costs)
 *   EXIT                   exit_group(0)
 *   RESUME lo hi           only while a host call waits (below): the host
 *                          call returns lo | hi << 32
 * Host calls: called code may call FC_XT_HOST_ADDR (the first word of the
 * monitor, a jump to fc_xt_hostcall; call0, arguments a2..a4): the
 * monitor sends {XT_MON_HOST, a2, a3, a4} instead of an answer and serves
 * requests (MAP, WRITE, READ, CALL...) until RESUME, whose value the host
 * call returns. femto-run's lx106 device runs helpers on the host this way.
 * A fault in the called code kills the process with the signal (no handler):
 * the host sees the end of the pipe and the exit status.
 *
 * Linux/Xtensa system calls (QEMU linux-user/xtensa/syscall_nr.h): number in
 * a2, arguments in a6, a3, a4, a5, a8, a9, result in a2; `syscall`.
 */
#include <stdint.h>

#define NR_READ 12
#define NR_WRITE 13
#define NR_MMAP2 80
#define NR_EXIT_GROUP 119

enum { CMD_MAP = 1, CMD_WRITE = 2, CMD_READ = 3, CMD_CALL = 4, CMD_EXIT = 5, CMD_CALLS = 6, CMD_RESUME = 7 };
#define XT_MON_OK 0x58540000u
#define XT_MON_HOST 0x58480000u

static long sys3(long n, long a, long b, long c)
{
    register long r2 __asm__("a2") = n;
    register long r6 __asm__("a6") = a;
    register long r3 __asm__("a3") = b;
    register long r4 __asm__("a4") = c;
    __asm__ volatile("syscall" : "+r"(r2) : "r"(r6), "r"(r3), "r"(r4) : "memory");
    return r2;
}

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    register long r2 __asm__("a2") = n;
    register long r6 __asm__("a6") = a;
    register long r3 __asm__("a3") = b;
    register long r4 __asm__("a4") = c;
    register long r5 __asm__("a5") = d;
    register long r8 __asm__("a8") = e;
    register long r9 __asm__("a9") = f;
    __asm__ volatile("syscall"
                     : "+r"(r2)
                     : "r"(r6), "r"(r3), "r"(r4), "r"(r5), "r"(r8), "r"(r9)
                     : "memory");
    return r2;
}

static void quit(void)
{
    for (;;)
        sys3(NR_EXIT_GROUP, 0, 0, 0);
}

/* all of n bytes, or quit (the host went away) */
static void get(void *p, uint32_t n)
{
    uint8_t *b = p;
    while (n) {
        long r = sys3(NR_READ, 0, (long)b, (long)n);
        if (r <= 0)
            quit();
        b += r;
        n -= (uint32_t)r;
    }
}

static void put(const void *p, uint32_t n)
{
    const uint8_t *b = p;
    while (n) {
        long r = sys3(NR_WRITE, 1, (long)b, (long)n);
        if (r <= 0)
            quit();
        b += r;
        n -= (uint32_t)r;
    }
}

typedef uint64_t (*call0_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

/* CALLX8 a7 (lx106's assembler has no windowed instructions: the bytes of
 * xt_callx8(XT_A7), 0x0007e0). The callee's window is our a8..a15; it
 * returns with RETW, its a2 (our a10) and a3 (our a11) hold the result. */
static uint64_t call_windowed(uint32_t fn, const uint32_t *a)
{
    register uint32_t r7 __asm__("a7") = fn;
    register uint32_t r10 __asm__("a10") = a[0];
    register uint32_t r11 __asm__("a11") = a[1];
    register uint32_t r12 __asm__("a12") = a[2];
    register uint32_t r13 __asm__("a13") = a[3];
    register uint32_t r14 __asm__("a14") = a[4];
    register uint32_t r15 __asm__("a15") = a[5];
    __asm__ volatile(".byte 0xe0, 0x07, 0x00"
                     : "+r"(r10), "+r"(r11), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
                     : "r"(r7)
                     : "a8", "a9", "memory");
    return (uint64_t)r11 << 32 | r10;
}

static uint64_t call(uint32_t fn, uint32_t abi, const uint32_t *a)
{
    if (abi == 1)
        return call_windowed(fn, a);
    return ((call0_fn)(uintptr_t)fn)(a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Serve requests; nested (a host call waiting): until RESUME, whose value
 * is returned. The request is a local: a call may nest another serve. */
static uint64_t serve(int nested)
{
    for (;;) {
        uint32_t req[16];
        uint32_t ans[4] = {0, 0, 0, 0};
        get(req, sizeof req);
        ans[0] = XT_MON_OK | (req[0] & 0xffffu);
        switch (req[0]) {
        case CMD_MAP:
            /* MAP_PRIVATE 0x2 | MAP_FIXED 0x10 | MAP_ANONYMOUS 0x800 (Xtensa's value) */
            ans[1] = (uint32_t)sys6(NR_MMAP2, (long)req[1], (long)req[2], (long)req[3], 0x812, -1, 0);
            put(ans, sizeof ans);
            break;
        case CMD_WRITE:
            get((void *)(uintptr_t)req[1], req[2]);
            put(ans, sizeof ans);
            break;
        case CMD_READ:
            put(ans, sizeof ans);
            put((const void *)(uintptr_t)req[1], req[2]);
            break;
        case CMD_CALL: {
            uint64_t r = call(req[1], req[2], &req[4]);
            ans[1] = (uint32_t)r;
            ans[2] = (uint32_t)(r >> 32);
            put(ans, sizeof ans);
            break;
        }
        case CMD_CALLS: {
            uint32_t *t = (uint32_t *)(uintptr_t)req[3];
            for (uint32_t i = 0; i < req[4]; i++, t += 8) {
                uint64_t r = call(req[1], req[2], t);
                t[6] = (uint32_t)r;
                t[7] = (uint32_t)(r >> 32);
            }
            put(ans, sizeof ans);
            break;
        }
        case CMD_RESUME:
            if (nested)
                return (uint64_t)req[2] << 32 | req[1];
            quit();
            break;
        case CMD_EXIT:
        default:
            quit();
        }
    }
}

uint64_t fc_xt_hostcall(uint32_t a2, uint32_t a3, uint32_t a4);
uint64_t fc_xt_hostcall(uint32_t a2, uint32_t a3, uint32_t a4)
{
    uint32_t msg[4] = {XT_MON_HOST, a2, a3, a4};
    put(msg, sizeof msg);
    return serve(1);
}

void fc_xt_monitor(void);
void fc_xt_monitor(void)
{
    serve(0);
}

/* the host call's fixed address (sim/xt_monitor.ld places it first) */
__asm__(".section .text.hostcall, \"ax\"\n"
        ".align 4\n"
        "fc_xt_hostcall_entry:\n"
        "  j fc_xt_hostcall\n"
        ".previous\n");

/* entry: qemu-user starts us with a1 = the stack it made */
__asm__(".section .text.start, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "  movi a0, 0\n"
        "  call0 fc_xt_monitor\n"
        "1: j 1b\n"
        ".previous\n");
