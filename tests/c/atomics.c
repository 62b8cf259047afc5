/* atomic read-modify-write on .bss and on the stack (clang emits BPF atomics;
 * the fetching forms need -mcpu=v3) */
#include "fcprog.h"
// compilers: v3 v4

u64 counter;
u32 flags32;

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u64 local = len;
    u64 before = __sync_fetch_and_add(&counter, ctx[0] + 1);
    __sync_fetch_and_or(&flags32, 1u << (ctx[1] & 31));
    u64 old = __sync_fetch_and_xor(&local, 0xff);
    __sync_fetch_and_add(&local, ctx[2]);
    u32 prev = __sync_val_compare_and_swap(&flags32, 0, 5);
    return before * 1000 + old + local + prev + counter;
}
