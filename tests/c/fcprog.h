/*
 * fcprog.h - what the C test programs share. Each program defines
 *
 *   FC_PROG u64 prog_main(const u8 *ctx, u64 len)
 *
 * and is compiled twice: for eBPF (clang -target bpf; FC_PROG puts it in
 * the "prog" section) and natively (gcc, -DFC_NATIVE, called by
 * native_main.c), so the expected result of every run comes from the same
 * source executed on the host.
 */
#ifndef FCPROG_H
#define FCPROG_H

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

#define NOINLINE __attribute__((noinline))

#ifdef FC_NATIVE
#define FC_PROG
#define FC_SECTION(s)
#define fc_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#else
#define FC_PROG __attribute__((section("prog"), used))
#define FC_SECTION(s) __attribute__((section(s)))
/* helper 0x02 (Femto-Containers numbering): memcpy(dst, src, len) */
static void *(*const fc_memcpy)(void *, const void *, u64) = (void *)0x02;
#endif

#endif
