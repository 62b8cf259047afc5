/* Unit tests: regions, fc_vm_translate and friends, VM set-up, error names. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "test_vm.h"

static fc_vm vm;
static uint8_t stack[FC_STACK_SIZE];
static uint8_t mem[64];
static const fc_insn prog_exit[] = {EXIT()};

static void setup(void)
{
    memset(mem, 0, sizeof mem);
    cr_assert_eq(fc_vm_init(&vm, prog_exit, 1, stack, sizeof stack), FC_OK);
}

TestSuite(vm_region, .init = setup);

#define TR(a, l, p) ((uint8_t *)fc_vm_translate(&vm, (a), (l), (p)))
#define TOP 0xffffffffffffffffull

Test(vm_region, exact_end_and_one_past)
{
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 16, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    cr_assert_eq(TR(0x1000, 16, FC_PERM_R), mem);
    cr_assert_eq(TR(0x1008, 8, FC_PERM_R), mem + 8);
    cr_assert_eq(TR(0x100f, 1, FC_PERM_W), mem + 15);
    cr_assert_null(TR(0x1009, 8, FC_PERM_R), "one byte past the end");
    cr_assert_null(TR(0x1010, 1, FC_PERM_R), "first byte after the region");
    cr_assert_null(TR(0x0fff, 1, FC_PERM_R), "byte before the region");
    cr_assert_null(TR(0x0fff, 2, FC_PERM_R), "straddles the start");
    cr_assert_null(TR(0x1000, 17, FC_PERM_R));
}

Test(vm_region, zero_length_access_refused)
{
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 16, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    cr_assert_null(TR(0x1004, 0, FC_PERM_R));
    cr_assert_null(TR(0x1000, 0, FC_PERM_R));
}

Test(vm_region, zero_length_region_matches_nothing)
{
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, NULL, 0, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x2000, mem, 0, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_null(TR(0x1000, 1, FC_PERM_R));
    cr_assert_null(TR(0x2000, 1, FC_PERM_R));
    cr_assert_null(TR(0x0fff, 1, FC_PERM_R));
    uint64_t avail = 99;
    cr_assert_null(fc_vm_translate_avail(&vm, 0x1000, FC_PERM_R, &avail));
    cr_assert_eq(avail, 0);
}

Test(vm_region, wrap_around_refused)
{
    cr_assert_eq(fc_vm_add_region(&vm, 0, mem, 16, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    /* [2^64-4, 2^64+4) would wrap onto [0, 4) */
    cr_assert_null(TR(TOP - 3, 8, FC_PERM_R));
    cr_assert_null(TR(8, TOP, FC_PERM_R), "len so large that addr+len wraps");
    cr_assert_null(TR(0, TOP, FC_PERM_R));
    cr_assert_null(TR(1, 0x8000000000000000ull, FC_PERM_R));
    cr_assert_eq(TR(0, 16, FC_PERM_R), mem);
}

Test(vm_region, region_at_top_of_address_space)
{
    const uint64_t base = TOP - 15; /* [2^64-16, 2^64) */
    cr_assert_eq(fc_vm_add_region(&vm, base, mem, 16, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(TR(base, 16, FC_PERM_R), mem);
    cr_assert_eq(TR(TOP - 7, 8, FC_PERM_W), mem + 8);
    cr_assert_eq(TR(TOP, 1, FC_PERM_R), mem + 15);
    cr_assert_null(TR(TOP - 7, 9, FC_PERM_R));
    cr_assert_null(TR(TOP, 2, FC_PERM_R));
    cr_assert_null(TR(base - 1, 1, FC_PERM_R));
    cr_assert_null(TR(0, 1, FC_PERM_R), "no wrap to address 0");
}

Test(vm_region, add_region_checks)
{
    cr_assert_eq(fc_vm_add_region(&vm, TOP - 7, mem, 16, FC_PERM_R, FC_REGION_EXTRA), FC_ERR_BAD_ARG,
                 "passes 2^64");
    cr_assert_eq(fc_vm_add_region(&vm, TOP, mem, 2, FC_PERM_R, FC_REGION_EXTRA), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_add_region(&vm, TOP, mem, 1, FC_PERM_R, FC_REGION_EXTRA), FC_OK, "last byte");
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, NULL, 4, FC_PERM_R, FC_REGION_EXTRA), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 4, 4, FC_REGION_EXTRA), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 4, FC_PERM_R, FC_REGION_STACK), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 4, FC_PERM_R, 99), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_add_region(NULL, 0x1000, mem, 4, FC_PERM_R, FC_REGION_EXTRA), FC_ERR_BAD_ARG);
    cr_assert_eq(vm.nregions, 1);
    for (unsigned k = 1; k < FC_MAX_REGIONS; k++)
        cr_assert_eq(fc_vm_add_region(&vm, 0x1000 * k, mem, 4, FC_PERM_R, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x9000, mem, 4, FC_PERM_R, FC_REGION_EXTRA), FC_ERR_BAD_ARG,
                 "table full");
    cr_assert_eq(vm.nregions, FC_MAX_REGIONS);
}

Test(vm_region, above_4gib_no_truncation)
{
    cr_assert_eq(fc_vm_add_region(&vm, 0x100001000ull, mem, 16, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x2000, mem + 16, 16, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(TR(0x100001000ull, 4, FC_PERM_R), mem);
    cr_assert_null(TR(0x1000, 4, FC_PERM_R), "low 32 bits of a high region");
    cr_assert_null(TR(0x100002000ull, 4, FC_PERM_R), "high alias of a low region");
    cr_assert_null(TR(0xffffffff00002000ull, 4, FC_PERM_R));
    cr_assert_eq(TR(0x2000, 4, FC_PERM_R), mem + 16);
}

Test(vm_region, permissions)
{
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 16, FC_PERM_R, FC_REGION_RODATA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x2000, mem + 16, 16, FC_PERM_W, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x3000, mem + 32, 16, 0, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(TR(0x1000, 4, FC_PERM_R), mem);
    cr_assert_null(TR(0x1000, 4, FC_PERM_W));
    cr_assert_null(TR(0x1000, 4, FC_PERM_RW));
    cr_assert_eq(TR(0x2000, 4, FC_PERM_W), mem + 16);
    cr_assert_null(TR(0x2000, 4, FC_PERM_R));
    cr_assert_null(TR(0x2000, 4, FC_PERM_RW));
    cr_assert_null(TR(0x3000, 4, FC_PERM_R));
    cr_assert_null(TR(0x3000, 4, FC_PERM_W));
}

Test(vm_region, overlapping_and_adjacent)
{
    /* A = [0x1000,0x1020) R, B = [0x1010,0x1030) RW over the same bytes */
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 32, FC_PERM_R, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x1010, mem + 16, 32, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(TR(0x1018, 8, FC_PERM_W), mem + 24, "write in the overlap: B allows it");
    cr_assert_null(TR(0x1008, 8, FC_PERM_W), "write in A only");
    cr_assert_null(TR(0x100c, 8, FC_PERM_W), "write straddling A-only and B");
    cr_assert_eq(TR(0x100c, 8, FC_PERM_R), mem + 12, "read inside A");
    cr_assert_eq(TR(0x101c, 8, FC_PERM_R), mem + 28, "read inside B");
    cr_assert_null(TR(0x1000, 0x30, FC_PERM_R), "no single region holds it");
    /* adjacent regions do not merge */
    cr_assert_eq(fc_vm_add_region(&vm, 0x4000, mem, 8, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x4008, mem + 8, 8, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_null(TR(0x4004, 8, FC_PERM_R));
    cr_assert_eq(TR(0x4008, 8, FC_PERM_R), mem + 8);
}

Test(vm_region, translate_avail_and_string)
{
    uint64_t avail = 0;
    uint32_t len = 0;
    memcpy(mem, "hello\0world", 11);
    memset(mem + 32, 'x', 32);           /* no terminator up to the end */
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 64, FC_PERM_R, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, 0x1000, mem, 8, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_translate_avail(&vm, 0x1004, FC_PERM_R, &avail), mem + 4);
    cr_assert_eq(avail, 60, "the largest of the matching regions");
    cr_assert_eq(fc_vm_translate_avail(&vm, 0x1004, FC_PERM_W, &avail), mem + 4);
    cr_assert_eq(avail, 4);
    cr_assert_null(fc_vm_translate_avail(&vm, 0x1040, FC_PERM_R, &avail));
    cr_assert_eq(avail, 0);

    cr_assert_eq(fc_vm_string(&vm, 0x1000, &len), (const char *)mem);
    cr_assert_eq(len, 5);
    cr_assert_eq(fc_vm_string(&vm, 0x1006, &len), (const char *)mem + 6);
    cr_assert_eq(len, 5);
    cr_assert_eq(fc_vm_string(&vm, 0x1005, &len), (const char *)mem + 5);
    cr_assert_eq(len, 0);
    cr_assert_null(fc_vm_string(&vm, 0x1020, &len), "not terminated inside the region");
    cr_assert_null(fc_vm_string(&vm, 0x0fff, &len));
    mem[63] = 0;
    cr_assert_not_null(fc_vm_string(&vm, 0x1020, &len), "terminator on the last byte");
    cr_assert_eq(len, 31);
}

Test(vm_region, stack_region_only_during_run)
{
    uint64_t top = vm.stack_addr + vm.stack_size, r0;
    cr_assert_null(TR(top - 8, 8, FC_PERM_R));
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_OK);
    cr_assert_null(TR(top - 8, 8, FC_PERM_R));
    cr_assert_eq(vm.regions[FC_STACK_SLOT].len, 0);
}

Test(vm_region, init_checks)
{
    fc_vm v;
    uint8_t big[FC_STACK_SIZE * 20];
    cr_assert_eq(fc_vm_init(NULL, prog_exit, 1, stack, sizeof stack), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_init(&v, NULL, 1, stack, sizeof stack), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_init(&v, prog_exit, 1, NULL, sizeof stack), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_init(&v, prog_exit, 1, stack, FC_STACK_SIZE - 1), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_init(&v, prog_exit, 1, big, FC_STACK_SIZE * 3 + 100), FC_OK);
    cr_assert_eq(v.max_depth, 3);
    cr_assert_eq(v.budget, FC_DEFAULT_BUDGET);
    cr_assert_eq(v.stack_addr, (uint64_t)(uintptr_t)big);
    cr_assert_eq(fc_vm_init(&v, prog_exit, 1, big, sizeof big), FC_OK);
    cr_assert_eq(v.max_depth, FC_MAX_CALL_DEPTH);
}

Test(vm_region, run_checks)
{
    uint64_t r0 = 77;
    vm.max_depth = 2; /* the stack holds one frame */
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_ERR_BAD_ARG);
    cr_assert_eq(vm.err, FC_ERR_BAD_ARG);
    vm.max_depth = 0;
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_ERR_BAD_ARG);
    vm.max_depth = 1;
    vm.stack_addr = TOP - FC_STACK_SIZE + 1; /* top would be 2^64 */
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_ERR_BAD_ARG);
    vm.stack_addr = TOP - FC_STACK_SIZE;     /* top = 2^64 - 1: fine */
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_OK);
    cr_assert_eq(fc_vm_run(NULL, 0, 0, &r0), FC_ERR_BAD_ARG);
    cr_assert_eq(fc_vm_run(&vm, 0, 0, NULL), FC_OK, "r0 may be NULL");
    vm.nregions = FC_MAX_REGIONS + 1;
    cr_assert_eq(fc_vm_run(&vm, 0, 0, &r0), FC_ERR_BAD_ARG);
}

Test(vm_region, err_str_every_code)
{
    for (int e = 0; e < FC_ERR__COUNT; e++) {
        const char *s = fc_err_str(e);
        cr_assert_not_null(s);
        cr_assert_neq(strcmp(s, "unknown error"), 0, "code %d has no name", e);
        for (int f = 0; f < e; f++)
            cr_assert_neq(strcmp(s, fc_err_str(f)), 0, "codes %d and %d share a name", e, f);
    }
    cr_assert_str_eq(fc_err_str(FC_ERR__COUNT), "unknown error");
    cr_assert_str_eq(fc_err_str(-1), "unknown error");
}
