/*
 * bench_prog.h - what the benchmark programs in bench/progs/ share.
 *
 * Each program is one function
 *
 *     BENCH_ENTRY(name)      i.e.  u64 bench_<name>(const u8 *ctx, u64 len)
 *
 * compiled three ways from the same source:
 *   - for eBPF (clang -target bpf -O2): the function lands in section "prog",
 *     r1 = ctx, r2 = len, the result in r0;
 *   - for each target with its GNU cross compiler at -O2 (-DBENCH_NATIVE):
 *     an ordinary C function, called directly on the emulated core;
 *   - for the host (-DBENCH_NATIVE), linked into femto-bench: the expected
 *     result every engine must reproduce.
 * The context is readable and writable; programs only read it.
 */
#ifndef BENCH_PROG_H
#define BENCH_PROG_H

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

#ifdef BENCH_NATIVE
#define BENCH_ENTRY(name) u64 bench_##name(const u8 *ctx, u64 len)
#else
#define BENCH_ENTRY(name) \
    __attribute__((section("prog"), used)) u64 bench_##name(const u8 *ctx, u64 len)
#endif

/* Expand a constant expression E(n) for n = 0..255 (compile-time tables:
 * no table is typed in by hand). */
#define BENCH_T4(E, n) E(n), E((n) + 1), E((n) + 2), E((n) + 3)
#define BENCH_T16(E, n) BENCH_T4(E, n), BENCH_T4(E, (n) + 4), BENCH_T4(E, (n) + 8), \
                        BENCH_T4(E, (n) + 12)
#define BENCH_T64(E, n) BENCH_T16(E, n), BENCH_T16(E, (n) + 16), BENCH_T16(E, (n) + 32), \
                        BENCH_T16(E, (n) + 48)
#define BENCH_T256(E) BENCH_T64(E, 0), BENCH_T64(E, 64), BENCH_T64(E, 128), BENCH_T64(E, 192)

#endif
