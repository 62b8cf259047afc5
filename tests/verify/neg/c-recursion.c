// expect: recursion is not allowed: fib -> fib
__attribute__((noinline)) static int fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((section("prog"))) int run(const int *ctx)
{
    return fib(ctx[0]);
}
