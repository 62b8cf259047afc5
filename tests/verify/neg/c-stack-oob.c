// expect: stack access out of bounds: offset 584, 1 bytes
__attribute__((section("prog"))) int run(const int *ctx)
{
    volatile char buf[16];
    volatile char *p = buf;

    buf[0] = (char)ctx[0];
    p += 600; /* past the frame: the optimizer cannot see through the asm */
    __asm__ volatile("" : "+r"(p));
    return *p;
}
