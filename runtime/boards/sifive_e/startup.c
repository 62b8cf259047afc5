/*
 * startup.c - reset, trap handler and RISC-V semihosting for the sifive_e
 * board firmware (QEMU: -M sifive_e -semihosting-config enable=on).
 */
#include <stdint.h>
#include "board.h"

extern uint32_t __stack_top, __data_load, __data_start, __data_end,
    __bss_start, __bss_end;
int main(void);

/* RISC-V semihosting: the operation in a0, the argument in a1, signalled by
 * the uncompressed sequence slli/ebreak/srai (the spec's magic triple). */
static int semihost(int op, const void *arg)
{
    register long a0 __asm__("a0") = op;
    register const void *a1 __asm__("a1") = arg;
    __asm__ volatile(".option push\n"
                     ".option norvc\n"
                     ".balign 16\n"
                     "slli zero, zero, 0x1f\n"
                     "ebreak\n"
                     "srai zero, zero, 7\n"
                     ".option pop"
                     : "+r"(a0)
                     : "r"(a1)
                     : "memory");
    return (int)a0;
}

void board_puts(const char *s) { semihost(0x04 /* SYS_WRITE0 */, s); }

void board_write(const char *s, uint32_t n)
{
    char chunk[33];
    while (n) {
        uint32_t k = n < 32 ? n : 32;
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
    uint32_t block[2] = {0x20026u, (uint32_t)code}; /* SYS_EXIT_EXTENDED */
    semihost(0x20, block);
    for (;;) {
    }
}

/* Any trap is a bug in the runtime or in generated code: report it with
 * the cause and the pc, never hang. */
__attribute__((interrupt("machine"), aligned(4))) static void trap(void)
{
    uint32_t cause, epc, tval;
    __asm__ volatile("csrr %0, mcause" : "=r"(cause));
    __asm__ volatile("csrr %0, mepc" : "=r"(epc));
    __asm__ volatile("csrr %0, mtval" : "=r"(tval));
    board_printf("board: trap, mcause %u at pc 0x%08x (mtval 0x%08x)\n", cause, epc, tval);
    board_exit(3);
}

static void reset_c(void)
{
    uint32_t *s = &__data_load, *d = &__data_start;
    while (d < &__data_end)
        *d++ = *s++;
    for (d = &__bss_start; d < &__bss_end;)
        *d++ = 0;
    __asm__ volatile("csrw mtvec, %0" ::"r"((uintptr_t)trap));
    board_exit(main());
}

__attribute__((naked, section(".text.start"), used)) void _start(void)
{
    __asm__ volatile("la sp, __stack_top\n"
                     "j %0" ::"i"(reset_c));
}
