/* native_main.c - run a C test program natively: the expected results.
 * Compiled with -DFC_NATIVE -DPROG_SRC='"file.c"'. Arguments: seeds; for
 * each, the 64-byte context is filled from the seed (the same generator as
 * run_cprog.c) and the program's result printed. Global state persists from
 * one seed to the next, as it does in one VM instance. */
#include <stdio.h>
#include <stdlib.h>
#include PROG_SRC

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        unsigned long seed = strtoul(argv[a], NULL, 0);
        u8 ctx[64];
        u64 x = seed * 0x9e3779b97f4a7c15ull + 1;
        for (int i = 0; i < 64; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            ctx[i] = (u8)(x >> 24);
        }
        printf("seed %lu: r0 = 0x%016llx\n", seed, (unsigned long long)prog_main(ctx, 64));
    }
    return 0;
}
