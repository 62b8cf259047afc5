// expect: write to read-only data (.rodata)
static const volatile unsigned table[4] = {1, 2, 3, 4};

__attribute__((section("prog"))) int run(const int *ctx)
{
    *(volatile unsigned *)&table[1] = (unsigned)ctx[0];
    return (int)table[2];
}
