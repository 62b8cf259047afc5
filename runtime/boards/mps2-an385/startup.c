/*
 * startup.c - reset, vectors and ARM semihosting for the mps2-an385 board
 * firmware (QEMU: -M mps2-an385 -semihosting-config enable=on).
 */
#include <stdint.h>
#include "board.h"

extern uint32_t __stack_top, __data_load, __data_start, __data_end,
    __bss_start, __bss_end;
int main(void);

/* ARM semihosting: BKPT 0xAB with the operation in r0, argument in r1. */
static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void board_puts(const char *s) { semihost(0x04 /* SYS_WRITE0 */, s); }

void board_write(const char *s, uint32_t n)
{
    char chunk[65];
    while (n) {
        uint32_t k = n < 64 ? n : 64;
        for (uint32_t i = 0; i < k; i++)
            chunk[i] = s[i];
        chunk[k] = 0;
        board_puts(chunk);
        s += k;
        n -= k;
    }
}

void board_exit(int code)
{
    /* SYS_EXIT_EXTENDED (0x20): ADP_Stopped_ApplicationExit with a full
     * exit code (plain SYS_EXIT only carries 0/1 on AArch32). */
    uint32_t block[2] = {0x20026u, (uint32_t)code};
    semihost(0x20, block);
    for (;;) {
    }
}

static void reset(void)
{
    uint32_t *s = &__data_load, *d = &__data_start;
    while (d < &__data_end)
        *d++ = *s++;
    for (d = &__bss_start; d < &__bss_end;)
        *d++ = 0;
    board_exit(main());
}

/* A machine fault is a bug in the runtime or in generated code: report it
 * with the faulting pc, never hang. */
static void fault(void)
{
    uint32_t *sp;
    __asm__ volatile("mrs %0, msp" : "=r"(sp));
    board_printf("board: HardFault at pc 0x%08x (lr 0x%08x)\n", sp[6], sp[5]);
    board_exit(3);
}

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
    &__stack_top, (const void *)reset, (const void *)fault, (const void *)fault,
    (const void *)fault, (const void *)fault, (const void *)fault,
};
