/* Fixed-point 8x8 matrix product: A and B are Q16.16 (signed 32-bit) read
 * from the context (A first, then B, row-major); C = A*B with 64-bit
 * products and sums, rounded back to Q16.16; a hash of C is returned. */
#include "bench_prog.h"

#define N 8u

BENCH_ENTRY(matmul)
{
    const s32 *a = (const s32 *)ctx, *b = a + N * N;
    u32 h = 0x811c9dc5u;

    if ((u32)len < 2u * N * N * 4u)
        return 0;
    for (u32 i = 0; i < N; i++) {
        for (u32 j = 0; j < N; j++) {
            s64 sum = 0;
            for (u32 k = 0; k < N; k++)
                sum += (s64)a[i * N + k] * b[k * N + j];
            s32 c = (s32)((sum + 0x8000) >> 16);
            h = (h ^ (u32)c) * 0x01000193u;
        }
    }
    return h;
}
