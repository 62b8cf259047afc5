// expect: has relocations (pointers in initialised data are not supported)
static const char *const names[] = {"zero", "one", "two", "three"};

__attribute__((section("prog"))) int run(const unsigned *ctx)
{
    return names[ctx[0] & 3][1];
}
