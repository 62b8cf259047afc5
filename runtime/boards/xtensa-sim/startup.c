/*
 * startup.c - reset stub and semihosting for the xtensa-sim board firmware
 * (QEMU: -M sim -cpu lx106 -semihosting-config enable=on). call0 ABI.
 *
 * QEMU's sim machine starts the core at 0x50000000 (the reset vector of its
 * lx106 configuration), not at the ELF entry: the linker script puts
 * _start's stub there. Semihosting is the simulator call `simcall`: the
 * operation in a2, arguments from a3; the result comes back in a2 and an
 * errno in a3 (so a3 is an output too). Operations (as QEMU's Xtensa
 * semihosting numbers them, the Xtensa ISS ones): 1 exit (a3 = code),
 * 4 write (a3 = fd, a4 = buffer, a5 = length). Without semihosting enabled
 * QEMU treats simcall as a no-op, and the exit would spin forever:
 * femto-board always enables it.
 */
#include <stdint.h>
#include "board.h"

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end;
int main(void);

static int simcall(int op, int a, int b, int c)
{
    register int a2 __asm__("a2") = op;
    register int a3 __asm__("a3") = a;
    register int a4 __asm__("a4") = b;
    register int a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

void board_write(const char *s, uint32_t n)
{
    while (n) {
        int k = simcall(4 /* write */, 1, (int)(uintptr_t)s, (int)n);
        if (k <= 0)
            return;
        s += k;
        n -= (uint32_t)k;
    }
}

void board_puts(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    board_write(s, n);
}

void board_exit(int code)
{
    simcall(1 /* exit */, code, 0, 0);
    for (;;) {
    }
}

/* Any exception is a bug in the runtime (or, later, in generated code):
 * report it with the cause and the pc, never hang. Reached from the vectors
 * below with a fresh stack. */
void board_fault(uint32_t cause, uint32_t pc, uint32_t vaddr);
void board_fault(uint32_t cause, uint32_t pc, uint32_t vaddr)
{
    board_printf("board: exception, exccause %u at pc 0x%08x (excvaddr 0x%08x)\n", cause, pc, vaddr);
    board_exit(3);
}

void reset_c(void);
void reset_c(void)
{
    uint32_t *s = &__data_load, *d = &__data_start;
    while (d < &__data_end)
        *d++ = *s++;
    for (d = &__bss_start; d < &__bss_end;)
        *d++ = 0;
    board_exit(main());
}

/* The stub at 0x50000000: the stack pointer (a1) and reset_c's address come
 * from literals placed just before the loads (l32r reads backwards only), the
 * first instruction jumps over them. VECBASE moves the exception vectors to
 * the firmware's own table. PS: interrupts masked (INTLEVEL 15), user mode
 * and EXCM cleared, so an exception goes to the kernel vector (VECBASE +
 * 0x30; user +0x50 and double +0x70 are caught too), which calls board_fault
 * with EXCCAUSE, EPC1 and EXCVADDR. */
__asm__(".section .text.start, \"ax\"\n"
        ".global _start\n"
        ".align 4\n"
        "_start:\n"
        "    j 1f\n"
        "    .align 4\n"
        "2:  .word __stack_top\n"
        "3:  .word reset_c\n"
        "5:  .word board_vectors\n"
        "1:  l32r a1, 2b\n"
        "    l32r a2, 5b\n"
        "    wsr a2, vecbase\n"
        "    l32r a0, 3b\n"
        "    movi a2, 0x0f\n"
        "    wsr a2, ps\n"
        "    rsync\n"
        "    callx0 a0\n"
        "4:  j 4b\n"
        ".section .text.vectors, \"ax\"\n"
        ".align 1024\n"
        "board_vectors:\n"
        "    .org board_vectors + 0x30\n"
        "    j 6f\n"
        "    .org board_vectors + 0x50\n"
        "    j 6f\n"
        "    .org board_vectors + 0x70\n"
        "    j 6f\n"
        "    .align 4\n"
        "7:  .word __stack_top\n"
        "8:  .word board_fault\n"
        "6:  rsr a2, exccause\n"
        "    rsr a3, epc1\n"
        "    rsr a4, excvaddr\n"
        "    l32r a1, 7b\n"
        "    l32r a0, 8b\n"
        "    callx0 a0\n"
        "9:  j 9b\n");
