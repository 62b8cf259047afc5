/* Unit tests: the simulated flash enforces NOR rules (runtime/fc_flash_sim.c). */
#include <criterion/criterion.h>
#include <string.h>
#include "fc_flash.h"

#define SIZE 4096u
#define PAGE 512u

static _Alignas(8) uint8_t mem[SIZE];
static fc_flash_sim sim;

static void setup(void)
{
    cr_assert_eq(fc_flash_sim_init(&sim, mem, SIZE, PAGE, 8, 0), FC_FLASH_OK);
}

TestSuite(flash, .init = setup);

Test(flash, starts_erased)
{
    for (uint32_t i = 0; i < SIZE; i++)
        cr_assert_eq(mem[i], 0xFF, "byte %u", i);
    cr_assert_eq(sim.flash.map, mem);
    cr_assert_eq(sim.flash.map_addr, (uint64_t)(uintptr_t)mem);
}

Test(flash, program_clears_bits_only)
{
    uint8_t a[8] = { 0x0F, 0xF0, 0x00, 0xAA, 0x55, 0xFF, 0x12, 0x34 };
    uint8_t b[8];
    cr_assert_eq(fc_flash_program(&sim.flash, 64, a, 8), FC_FLASH_OK);
    cr_assert(memcmp(mem + 64, a, 8) == 0);
    /* programming the same bits again is fine (1->0 only, nothing to raise) */
    cr_assert_eq(fc_flash_program(&sim.flash, 64, a, 8), FC_FLASH_OK);
    /* clearing more bits is fine too */
    memcpy(b, a, 8);
    b[0] = 0x0E;
    cr_assert_eq(fc_flash_program(&sim.flash, 64, b, 8), FC_FLASH_OK);
    cr_assert_eq(mem[64], 0x0E);
}

Test(flash, refuses_zero_to_one_without_erase)
{
    uint8_t a[8] = { 0 }, b[8], before[8];
    memset(b, 0, 8);
    cr_assert_eq(fc_flash_program(&sim.flash, 128, a, 8), FC_FLASH_OK);
    b[3] = 0x01;   /* one bit back to 1 */
    memcpy(before, mem + 128, 8);
    cr_assert_eq(fc_flash_program(&sim.flash, 128, b, 8), FC_FLASH_E_NOT_ERASED);
    cr_assert(memcmp(before, mem + 128, 8) == 0, "a refused program must change nothing");
    /* after erasing the page it works */
    cr_assert_eq(fc_flash_erase(&sim.flash, 0), FC_FLASH_OK);
    cr_assert_eq(fc_flash_program(&sim.flash, 128, b, 8), FC_FLASH_OK);
    cr_assert_eq(mem[131], 0x01);
}

Test(flash, erase_is_per_page)
{
    uint8_t z[8] = { 0 };
    for (uint32_t off = 0; off < SIZE; off += 8)
        cr_assert_eq(fc_flash_program(&sim.flash, off, z, 8), FC_FLASH_OK);
    cr_assert_eq(fc_flash_erase(&sim.flash, PAGE * 2), FC_FLASH_OK);
    for (uint32_t i = 0; i < SIZE; i++) {
        int in_page = i >= PAGE * 2 && i < PAGE * 3;
        cr_assert_eq(mem[i], in_page ? 0xFF : 0x00, "byte %u", i);
    }
    cr_assert_eq(fc_flash_erase(&sim.flash, PAGE * 2 + 8), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_erase(&sim.flash, SIZE), FC_FLASH_E_RANGE);
}

Test(flash, program_unit_alignment_and_range)
{
    uint8_t a[16] = { 0 };
    cr_assert_eq(fc_flash_program(&sim.flash, 4, a, 8), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_program(&sim.flash, 8, a, 12), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_program(&sim.flash, SIZE - 8, a, 16), FC_FLASH_E_RANGE);
    cr_assert_eq(fc_flash_program(&sim.flash, 0xFFFFFFF8u, a, 16), FC_FLASH_E_RANGE);
    uint8_t r[4];
    cr_assert_eq(fc_flash_read(&sim.flash, SIZE - 2, r, 4), FC_FLASH_E_RANGE);
    for (uint32_t i = 0; i < SIZE; i++)
        cr_assert_eq(mem[i], 0xFF);
}

Test(flash, write_protection_outside_window)
{
    uint8_t a[8] = { 0 };
    fc_flash_sim_protect(&sim, PAGE, 2 * PAGE);
    cr_assert_eq(fc_flash_program(&sim.flash, PAGE - 8, a, 8), FC_FLASH_E_PROTECTED);
    cr_assert_eq(fc_flash_program(&sim.flash, 2 * PAGE - 4, a, 8), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_program(&sim.flash, 2 * PAGE - 8, a, 16), FC_FLASH_E_PROTECTED);
    cr_assert_eq(fc_flash_erase(&sim.flash, 0), FC_FLASH_E_PROTECTED);
    cr_assert_eq(fc_flash_erase(&sim.flash, 2 * PAGE), FC_FLASH_E_PROTECTED);
    cr_assert_eq(sim.n_violations, 4);
    cr_assert_eq(fc_flash_program(&sim.flash, PAGE, a, 8), FC_FLASH_OK);
    cr_assert_eq(fc_flash_erase(&sim.flash, PAGE), FC_FLASH_OK);
    for (uint32_t i = 0; i < SIZE; i++)
        cr_assert_eq(mem[i], 0xFF, "byte %u", i);
}

Test(flash, injected_failure)
{
    uint8_t a[8] = { 0 };
    sim.fail_at = 2;
    cr_assert_eq(fc_flash_program(&sim.flash, 0, a, 8), FC_FLASH_OK);
    cr_assert_eq(fc_flash_program(&sim.flash, 8, a, 8), FC_FLASH_E_IO);
    cr_assert_eq(mem[8], 0xFF);
    cr_assert_eq(fc_flash_erase(&sim.flash, 0), FC_FLASH_OK);
}

Test(flash, refuses_impossible_geometry)
{
    static uint8_t m[1024];
    fc_flash_sim s;
    cr_assert_eq(fc_flash_sim_init(&s, m, 1024, 300, 8, 0), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_sim_init(&s, m, 1000, 256, 8, 0), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_sim_init(&s, m, 1024, 256, 128, 0), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_sim_init(&s, m, 1024, 256, 3, 0), FC_FLASH_E_ALIGN);
    cr_assert_eq(fc_flash_sim_init(&s, m, 1024, 256, 4, 0x08000000u), FC_FLASH_OK);
    cr_assert_eq(s.flash.map_addr, 0x08000000u);
}
