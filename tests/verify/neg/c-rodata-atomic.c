// expect: write to read-only data (.rodata)
// cflags: -mcpu=v3
static const volatile unsigned long long table[4] = {1, 2, 3, 4};

__attribute__((section("prog"))) int run(const int *ctx)
{
    __sync_fetch_and_add((unsigned long long *)&table[1], (unsigned long long)ctx[0]);
    return (int)table[2];
}
