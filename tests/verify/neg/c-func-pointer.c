// expect: takes the address of code in section '.text' (a function pointer: indirect calls are not supported
__attribute__((noinline)) static int twice(int x) { return 2 * x; }
__attribute__((noinline)) static int thrice(int x) { return 3 * x; }

__attribute__((section("prog"))) int run(const int *ctx)
{
    int (*volatile f)(int) = ctx[0] ? twice : thrice;
    return f(ctx[1]);
}
