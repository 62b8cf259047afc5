/* Nothing: what a run costs before the program does any work (the hook
 * overhead of each engine). */
#include "bench_prog.h"

BENCH_ENTRY(empty)
{
    (void)ctx;
    (void)len;
    return 0;
}
