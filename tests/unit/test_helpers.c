/* Unit tests: the standard helpers (fc_helpers.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include "test_vm.h"
#include "fc_helpers.h"

#define RO_ADDR 0x08000000ull   /* read-only strings */
#define RW_ADDR 0x20000000ull   /* read-write buffer */

static fc_vm vm;
static uint8_t stack[FC_STACK_SIZE];
static char ro[256];
static uint8_t rw[64];
static char out[1024];
static unsigned out_len, out_calls;
static fc_helper_env env;
static fc_kv kv_local, kv_global;
static fc_kv_entry local_entries[4], global_entries[2];
static const fc_insn prog_exit[] = {EXIT()};

static void write_hook(void *ctx, const char *s, uint32_t n)
{
    cr_assert_eq(ctx, &env, "the hook gets env->ctx");
    cr_assert_lt(out_len + n, sizeof out);
    memcpy(out + out_len, s, n);
    out_len += n;
    out[out_len] = 0;
    out_calls++;
}

static uint64_t clock_ms(void *ctx) { (void)ctx; return 123456789012ull; }
static uint64_t clock_us(void *ctx) { (void)ctx; return 42; }

/* Place a string in the read-only region; returns its guest address. */
static unsigned ro_used;
static uint64_t str(const char *s)
{
    size_t n = strlen(s) + 1;
    cr_assert_lt(ro_used + n, sizeof ro);
    memcpy(ro + ro_used, s, n);
    ro_used += (unsigned)n;
    return RO_ADDR + ro_used - n;
}

static void setup(void)
{
    memset(ro, 0, sizeof ro);
    memset(rw, 0, sizeof rw);
    out[0] = 0;
    out_len = out_calls = ro_used = 0;
    cr_assert_eq(fc_vm_init(&vm, prog_exit, 1, stack, sizeof stack), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, RO_ADDR, ro, sizeof ro, FC_PERM_R, FC_REGION_RODATA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, RW_ADDR, rw, sizeof rw, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    fc_kv_init(&kv_local, local_entries, 4);
    fc_kv_init(&kv_global, global_entries, 2);
    memset(&env, 0, sizeof env);
    env.write = write_hook;
    env.ctx = &env;
    env.kv_local = &kv_local;
    env.kv_global = &kv_global;
    vm.env = &env;
}

TestSuite(helpers, .init = setup);

static uint64_t pf(const char *fmt, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    vm.helper_err = 0;
    out_len = 0;
    out[0] = 0;
    return fc_helper_printf(&vm, str(fmt), a, b, c, d);
}

#define EXPECT_PF(want, fmt, a, b, c, d) do {                                      \
        uint64_t n_ = pf(fmt, a, b, c, d);                                         \
        cr_expect_eq(vm.helper_err, 0, "%s", fmt);                                 \
        cr_expect_str_eq(out, want, "format \"%s\"", fmt);                         \
        cr_expect_eq(n_, strlen(want), "return value of \"%s\"", fmt);             \
    } while (0)

Test(helpers, printf_conversions)
{
    EXPECT_PF("plain", "plain", 0, 0, 0, 0);
    EXPECT_PF("-5 7 4294967291", "%d %i %u", 0xfffffffb, 7, 0xfffffffb, 0);
    EXPECT_PF("-5", "%d", 0x12345678fffffffbull, 0, 0, 0); /* low 32 bits */
    EXPECT_PF("-2147483648", "%d", 0x80000000u, 0, 0, 0);
    EXPECT_PF("-9223372036854775808", "%ld", 0x8000000000000000ull, 0, 0, 0);
    EXPECT_PF("18446744073709551615", "%lu", ~0ull, 0, 0, 0);
    EXPECT_PF("-1 ffffffffffffffff", "%lld %llx", ~0ull, ~0ull, 0, 0);
    EXPECT_PF("deadbeef DEADBEEF", "%x %X", 0xdeadbeef, 0x1deadbeefull, 0, 0);
    EXPECT_PF("A%z", "%c%%z", 'A', 0, 0, 0);
    EXPECT_PF("0x20000010", "%p", RW_ADDR + 16, 0, 0, 0);
    EXPECT_PF("0", "%u", 0, 0, 0, 0);
    EXPECT_PF("[   42][42   ][00042][-0042]", "[%5d][%-5d][%05d][%05d]", 42, 42, 42, (uint64_t)-42);
    EXPECT_PF("[  -42][0x00000010][ffff ]", "[%5d][%010p][%-5x]", (uint64_t)-42, 16, 0xffff, 0);
}

Test(helpers, printf_strings)
{
    uint64_t s = str("world");
    EXPECT_PF("hello, world!", "hello, %s!", s, 0, 0, 0);
    EXPECT_PF("[  world][wor]", "[%7s][%.3s]", s, s, 0, 0);
    memcpy(rw, "rw-string", 10);
    EXPECT_PF("rw-string", "%s", RW_ADDR, 0, 0, 0);
}

Test(helpers, printf_verbatim_cases)
{
    EXPECT_PF("1 2 3 4 %d", "%d %d %d %d %d", 1, 2, 3, 4);   /* past the fourth argument */
    EXPECT_PF("%q %", "%q %", 0, 0, 0, 0);                    /* unknown, incomplete */
    /* width is clamped */
    uint64_t n = pf("%999d", 1, 0, 0, 0);
    cr_assert_eq(n, FC_PRINTF_MAX_WIDTH);
    cr_assert_eq(out_len, FC_PRINTF_MAX_WIDTH);
}

Test(helpers, printf_long_output_is_flushed_in_pieces)
{
    char want[200];
    memset(want, 'x', 150);
    want[150] = 0;
    EXPECT_PF(want, want, 0, 0, 0, 0);
    cr_assert_gt(out_calls, 1);
}

Test(helpers, printf_faults_print_nothing)
{
    /* unreadable format */
    vm.helper_err = 0;
    fc_helper_printf(&vm, 0x1000, 0, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, 0x1000);
    /* format not terminated inside its region */
    memset(rw, 'a', sizeof rw);
    vm.helper_err = 0;
    fc_helper_printf(&vm, RW_ADDR, 0, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    /* a bad %s after some text: nothing at all is printed */
    pf("abc %d %s", 1, 0xdead0000, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, 0xdead0000);
    cr_assert_eq(out_len, 0);
    cr_assert_eq(out_calls, 0);
    /* %s not terminated inside its region */
    pf("%s", RW_ADDR + 60, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    /* a write-only region is not readable */
    static char wo[8] = "hi";
    cr_assert_eq(fc_vm_add_region(&vm, 0x30000000, wo, sizeof wo, FC_PERM_W, FC_REGION_EXTRA), FC_OK);
    pf("%s", 0x30000000, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
}

Test(helpers, printf_without_hook_counts)
{
    vm.env = NULL;
    cr_assert_eq(pf("%d-%d", 10, 20, 0, 0), 5);
    cr_assert_eq(vm.helper_err, 0);
    cr_assert_eq(out_len, 0);
}

/* ---- memcpy ---- */

Test(helpers, memcpy_checks_both_ranges)
{
    uint64_t src = str("0123456789");
    vm.helper_err = 0;
    cr_assert_eq(fc_helper_memcpy(&vm, RW_ADDR + 4, src, 10, 0, 0), RW_ADDR + 4);
    cr_assert_eq(vm.helper_err, 0);
    cr_assert_arr_eq(rw + 4, "0123456789", 10);
    cr_assert_eq(rw[3], 0);
    cr_assert_eq(rw[14], 0);

    uint8_t before[sizeof rw];
    memcpy(before, rw, sizeof rw);
    /* dst read-only */
    fc_helper_memcpy(&vm, RO_ADDR, RW_ADDR, 4, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, RO_ADDR);
    /* dst runs past the end by one byte */
    vm.helper_err = 0;
    fc_helper_memcpy(&vm, RW_ADDR + 60, src, 5, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_arr_eq(rw, before, sizeof rw, "nothing copied");
    /* src unreadable */
    vm.helper_err = 0;
    fc_helper_memcpy(&vm, RW_ADDR, RO_ADDR + 250, 8, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, RO_ADDR + 250);
    cr_assert_arr_eq(rw, before, sizeof rw, "nothing copied");
    /* huge length (would wrap) */
    vm.helper_err = 0;
    fc_helper_memcpy(&vm, RW_ADDR, src, ~0ull, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    /* len 0: nothing checked, nothing copied */
    vm.helper_err = 0;
    cr_assert_eq(fc_helper_memcpy(&vm, 0, 0, 0, 0, 0), 0);
    cr_assert_eq(vm.helper_err, 0);
}

Test(helpers, memcpy_overlapping)
{
    for (int k = 0; k < 16; k++)
        rw[k] = (uint8_t)k;
    fc_helper_memcpy(&vm, RW_ADDR + 2, RW_ADDR, 8, 0, 0);
    const uint8_t want[] = {0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 10};
    cr_assert_arr_eq(rw, want, sizeof want);
    fc_helper_memcpy(&vm, RW_ADDR, RW_ADDR + 2, 8, 0, 0);
    const uint8_t want2[] = {0, 1, 2, 3, 4, 5, 6, 7, 6, 7, 10};
    cr_assert_arr_eq(rw, want2, sizeof want2);
}

/* ---- key-value store ---- */

static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd64(p); }

Test(helpers, kv_store_fetch_local_global)
{
    cr_assert_eq(fc_helper_store_local(&vm, 7, 700, 0, 0, 0), 0);
    cr_assert_eq(fc_helper_store_global(&vm, 7, 7000, 0, 0, 0), 0);
    cr_assert_eq(fc_helper_store_local(&vm, 0x100000007ull, 701, 0, 0, 0), 0, "key: low 32 bits");
    memset(rw, 0xff, 16);
    cr_assert_eq(fc_helper_fetch_local(&vm, 7, RW_ADDR, 0, 0, 0), 0);
    cr_assert_eq(fc_helper_fetch_global(&vm, 7, RW_ADDR + 4, 0, 0, 0), 0);
    cr_assert_eq(rd32(rw), 701, "updated in place");
    cr_assert_eq(rd32(rw + 4), 7000, "the tables are separate");
    cr_assert_eq(rw[8], 0xff, "exactly 4 bytes written");
    cr_assert_eq(fc_helper_fetch_local(&vm, 8, RW_ADDR, 0, 0, 0), 0, "absent key: 0, not an error");
    cr_assert_eq(rd32(rw), 0);
    cr_assert_eq(kv_local.used, 1);
}

Test(helpers, kv_full_and_missing_tables)
{
    cr_assert_eq(fc_helper_store_global(&vm, 1, 1, 0, 0, 0), 0);
    cr_assert_eq(fc_helper_store_global(&vm, 2, 2, 0, 0, 0), 0);
    cr_assert_eq(fc_helper_store_global(&vm, 3, 3, 0, 0, 0), ~0ull, "full: -1");
    cr_assert_eq(fc_helper_store_global(&vm, 2, 22, 0, 0, 0), 0, "update still works");
    uint32_t v;
    cr_assert_eq(fc_kv_fetch(&kv_global, 2, &v), 0);
    cr_assert_eq(v, 22);
    cr_assert_eq(fc_kv_fetch(&kv_global, 3, &v), -1);
    cr_assert_eq(v, 0);
    vm.env = NULL;
    cr_assert_eq(fc_helper_store_local(&vm, 1, 1, 0, 0, 0), ~0ull);
    rw[0] = 0x55;
    cr_assert_eq(fc_helper_fetch_local(&vm, 1, RW_ADDR, 0, 0, 0), 0);
    cr_assert_eq(rw[0], 0);
}

Test(helpers, kv_fetch_bad_pointer)
{
    vm.helper_err = 0;
    fc_helper_fetch_local(&vm, 1, RO_ADDR, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    vm.helper_err = 0;
    fc_helper_fetch_global(&vm, 1, RW_ADDR + 61, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, RW_ADDR + 61);
}

/* ---- clocks ---- */

Test(helpers, clocks)
{
    cr_assert_eq(fc_helper_now_ms(&vm, 0, 0, 0, 0, 0), 0, "no hook");
    cr_assert_eq(fc_helper_ztimer_now(&vm, 0, 0, 0, 0, 0), 0);
    env.now_ms = clock_ms;
    env.now_us = clock_us;
    cr_assert_eq(fc_helper_now_ms(&vm, 0, 0, 0, 0, 0), 123456789012ull);
    cr_assert_eq(fc_helper_ztimer_now(&vm, 0, 0, 0, 0, 0), 42);
    vm.env = NULL;
    cr_assert_eq(fc_helper_now_ms(&vm, 0, 0, 0, 0, 0), 0);
}

/* ---- fmt ---- */

static void expect_fmt(uint64_t (*fn)(fc_vm *, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t),
                       uint64_t val, uint64_t scale, const char *want)
{
    memset(rw, '#', sizeof rw);
    vm.helper_err = 0;
    uint64_t n = fn(&vm, RW_ADDR, val, scale, 0, 0);
    cr_assert_eq(vm.helper_err, 0, "%s", want);
    cr_assert_eq(n, strlen(want), "length for %s", want);
    cr_assert_arr_eq(rw, want, n);
    cr_assert_eq(rw[n], '#', "no terminator written after %s", want);
    cr_assert_eq(fn(&vm, 0, val, scale, 0, 0), n, "out = 0 gives the length");
}

Test(helpers, fmt_u32_dec)
{
    expect_fmt(fc_helper_fmt_u32_dec, 0, 0, "0");
    expect_fmt(fc_helper_fmt_u32_dec, 1234567, 0, "1234567");
    expect_fmt(fc_helper_fmt_u32_dec, 0xffffffff, 0, "4294967295");
    expect_fmt(fc_helper_fmt_u32_dec, 0x100000005ull, 0, "5");
}

Test(helpers, fmt_s16_dfp)
{
    expect_fmt(fc_helper_fmt_s16_dfp, (uint64_t)-3548, (uint64_t)-2, "-35.48");
    expect_fmt(fc_helper_fmt_s16_dfp, (uint64_t)-3548, 2, "-354800");
    expect_fmt(fc_helper_fmt_s16_dfp, 5, (uint64_t)-2, "0.05");
    expect_fmt(fc_helper_fmt_s16_dfp, (uint64_t)-5, (uint64_t)-3, "-0.005");
    expect_fmt(fc_helper_fmt_s16_dfp, 123, (uint64_t)-3, "0.123");
    expect_fmt(fc_helper_fmt_s16_dfp, 123, 0, "123");
    expect_fmt(fc_helper_fmt_s16_dfp, 0, (uint64_t)-1, "0.0");
    expect_fmt(fc_helper_fmt_s16_dfp, 0x8000, (uint64_t)-1, "-3276.8");
    expect_fmt(fc_helper_fmt_s16_dfp, 0x7fff, 0, "32767");
    expect_fmt(fc_helper_fmt_s16_dfp, 0x12340064, 0, "100");  /* low 16 bits */
}

Test(helpers, fmt_faults)
{
    vm.helper_err = 0;
    fc_helper_fmt_u32_dec(&vm, RW_ADDR + 62, 12345, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, RW_ADDR + 62);
    vm.helper_err = 0;
    fc_helper_fmt_s16_dfp(&vm, RO_ADDR, 1, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    vm.helper_err = 0;
    fc_helper_fmt_s16_dfp(&vm, 0, 1, FC_FMT_MAX_SCALE + 1, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT, "scale out of range");
    vm.helper_err = 0;
    cr_assert_eq(fc_helper_fmt_s16_dfp(&vm, 0, 1, FC_FMT_MAX_SCALE, 0, 0), FC_FMT_MAX_SCALE + 1);
    cr_assert_eq(vm.helper_err, 0);
    vm.helper_err = 0;
    fc_helper_fmt_s16_dfp(&vm, 0, 1, 0x80000000u, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
}

/* ---- through the interpreter ---- */

Test(helpers, table_and_programs)
{
    /* the table: unique ids, the Femto-Containers numbers */
    static const uint32_t ids[] = {0x01, 0x02, 0x10, 0x11, 0x12, 0x13, 0x20, 0x50, 0x51, 0x60,
                                   0x30, 0x31, 0x32, 0x40, 0x41, 0x42, 0x43, 0x61, 0xf0};
    cr_assert_eq(fc_std_helpers_count, sizeof ids / sizeof ids[0]);
    for (uint32_t k = 0; k < fc_std_helpers_count; k++) {
        cr_assert_eq(fc_std_helpers[k].id, ids[k]);
        cr_assert_not_null(fc_std_helpers[k].fn);
        cr_assert_not_null(fc_std_helpers[k].name);
    }
    /* printf from the stack: "v=%d\n" built with stores, then memcpy to ctx */
    static tvm t;
    fc_insn p[] = {
        ST(W, 10, -8, 0x64253d76), ST(W, 10, -4, 0x0a),  /* "v=%d\n\0\0\0" */
        MOV64X(1, 10), A64K(ADD, 1, -8), MOV64(2, -7), CALL(FC_HELPER_PRINTF),
        MOV64X(6, 0),
        MOV64(1, 9), MOV64(2, 4), CALL(FC_HELPER_STORE_LOCAL),
        LDDW(1, T_CTX_ADDR), MOV64X(2, 10), A64K(ADD, 2, -8), MOV64(3, 6), CALL(FC_HELPER_MEMCPY),
        MOV64X(0, 6), EXIT(),
    };
    tvm_init(&t, p, NINS(p));
    fc_vm_set_helpers(&t.vm, fc_std_helpers, fc_std_helpers_count, NULL, 0);
    t.vm.env = &env;
    cr_assert_eq(tvm_run(&t), FC_OK, "%s at %u", fc_err_str(t.err), t.vm.err_pc);
    cr_assert_str_eq(out, "v=-7\n");
    cr_assert_eq(t.r0, 5, "printf returns the count");
    cr_assert_arr_eq(t.ctx, "v=%d\n", 6);
    uint32_t v;
    cr_assert_eq(fc_kv_fetch(&kv_local, 9, &v), 0);
    cr_assert_eq(v, 4);

    /* a helper fault through the interpreter */
    fc_insn q[] = {MOV64(1, 0), CALL(FC_HELPER_PRINTF), EXIT()};
    tvm_init(&t, q, NINS(q));
    fc_vm_set_helpers(&t.vm, fc_std_helpers, fc_std_helpers_count, NULL, 0);
    cr_assert_eq(tvm_run(&t), FC_ERR_HELPER_FAULT);
    cr_assert_eq(t.vm.err_pc, 1);
    cr_assert_eq(t.vm.err_addr, 0);
}
