// expect: helper 2 (memcpy) writes through argument 1, but r1 points to read-only data
static void *(*fc_memcpy)(void *, const void *, unsigned) = (void *)2;
static const volatile char table[16] = "read only";

__attribute__((section("prog"))) int run(const int *ctx)
{
    fc_memcpy((void *)table, ctx, 4);
    return table[0];
}
