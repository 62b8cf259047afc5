// expect: c-helper-denied-line.c:10: error: helper 32 (now_ms) is not in the allowlist (insn 3 in 'prog': call 0x20)
// options: --helpers 1,2
// cflags: -g
static unsigned long (*now_ms)(void) = (void *)0x20;

__attribute__((section("prog"))) unsigned long run(const int *ctx)
{
    unsigned long t = ctx[0];

    return now_ms() + t;
}
