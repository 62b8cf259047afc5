// expect: holds addresses (a table of function pointers, or a pointer in initialised data): indirect calls are not supported
static const char *const names[] = {"zero", "one", "two", "three"};

__attribute__((section("prog"))) int run(const unsigned *ctx)
{
    return names[ctx[0] & 3][1];
}
