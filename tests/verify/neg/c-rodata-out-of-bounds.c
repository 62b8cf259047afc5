// expect: .rodata access out of bounds: offset
static const volatile unsigned table[4] = {1, 2, 3, 4};

__attribute__((section("prog"))) int run(const int *ctx)
{
    const volatile unsigned *p = table;
    p += 64; /* far past the table: the optimizer cannot see through the asm */
    __asm__ volatile("" : "+r"(p));
    return (int)(*p + (unsigned)ctx[0]);
}
