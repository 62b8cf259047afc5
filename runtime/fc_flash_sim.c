/*
 * fc_flash_sim.c - a NOR flash in RAM that refuses what real flash cannot do
 * (see fc_flash.h), so that loader bugs (programming without erase, writing
 * outside the slot, unaligned programming) fail tests instead of silently
 * working on the host.
 */
#include "fc_flash.h"

static int is_pow2(uint32_t x) { return x && !(x & (x - 1u)); }

static int in_dev(const fc_flash_sim *s, uint32_t off, uint32_t len)
{
    return off <= s->flash.size && len <= s->flash.size - off;
}

static int writable(fc_flash_sim *s, uint32_t off, uint32_t len)
{
    if (off < s->wp_lo || off > s->wp_hi || len > s->wp_hi - off) {
        s->n_violations++;
        return 0;
    }
    return 1;
}

static int inject(fc_flash_sim *s)
{
    s->n_ops++;
    return s->fail_at != 0 && s->n_ops == s->fail_at;
}

static int sim_erase(void *dev, uint32_t off)
{
    fc_flash_sim *s = dev;
    uint32_t i, ps = s->flash.page_size;

    if (off & (ps - 1u))
        return FC_FLASH_E_ALIGN;
    if (!in_dev(s, off, ps))
        return FC_FLASH_E_RANGE;
    if (!writable(s, off, ps))
        return FC_FLASH_E_PROTECTED;
    if (inject(s))
        return FC_FLASH_E_IO;
    for (i = 0; i < ps; i++)
        s->mem[off + i] = 0xFFu;
    s->n_erase++;
    return FC_FLASH_OK;
}

static int sim_program(void *dev, uint32_t off, const uint8_t *src, uint32_t len)
{
    fc_flash_sim *s = dev;
    uint32_t i, pu = s->flash.prog_unit;

    if ((off & (pu - 1u)) || (len & (pu - 1u)))
        return FC_FLASH_E_ALIGN;
    if (!in_dev(s, off, len))
        return FC_FLASH_E_RANGE;
    if (!writable(s, off, len))
        return FC_FLASH_E_PROTECTED;
    /* Check first: a refused program changes nothing. */
    for (i = 0; i < len; i++)
        if (src[i] & (uint8_t)~s->mem[off + i])
            return FC_FLASH_E_NOT_ERASED;
    if (inject(s))
        return FC_FLASH_E_IO;
    for (i = 0; i < len; i++)
        s->mem[off + i] &= src[i];
    s->n_program++;
    s->bytes_programmed += len;
    return FC_FLASH_OK;
}

static int sim_read(void *dev, uint32_t off, uint8_t *dst, uint32_t len)
{
    fc_flash_sim *s = dev;
    uint32_t i;

    if (!in_dev(s, off, len))
        return FC_FLASH_E_RANGE;
    for (i = 0; i < len; i++)
        dst[i] = s->mem[off + i];
    s->n_read++;
    return FC_FLASH_OK;
}

static const fc_flash_ops sim_ops = { sim_erase, sim_program, sim_read };

int fc_flash_sim_init(fc_flash_sim *s, uint8_t *mem, uint32_t size,
                      uint32_t page_size, uint32_t prog_unit, uint64_t map_addr)
{
    uint32_t i;

    if (!s || !mem || !is_pow2(page_size) || !is_pow2(prog_unit) ||
        prog_unit > 64u || prog_unit > page_size || size == 0 ||
        (size & (page_size - 1u)))
        return FC_FLASH_E_ALIGN;
    s->flash.ops = &sim_ops;
    s->flash.dev = s;
    s->flash.size = size;
    s->flash.page_size = page_size;
    s->flash.prog_unit = prog_unit;
    s->flash.map = mem;
    s->flash.map_addr = map_addr ? map_addr : (uint64_t)(uintptr_t)mem;
    s->mem = mem;
    s->wp_lo = 0;
    s->wp_hi = size;
    s->n_erase = s->n_program = s->n_read = s->n_violations = 0;
    s->bytes_programmed = 0;
    s->fail_at = 0;
    s->n_ops = 0;
    for (i = 0; i < size; i++)
        mem[i] = 0xFFu;
    return FC_FLASH_OK;
}

void fc_flash_sim_protect(fc_flash_sim *s, uint32_t lo, uint32_t hi)
{
    s->wp_lo = lo;
    s->wp_hi = hi < lo ? lo : hi;
}

int fc_flash_erase(const fc_flash *f, uint32_t off)
{
    return f->ops->erase_page(f->dev, off);
}

int fc_flash_program(const fc_flash *f, uint32_t off, const uint8_t *src, uint32_t len)
{
    return f->ops->program(f->dev, off, src, len);
}

int fc_flash_read(const fc_flash *f, uint32_t off, uint8_t *dst, uint32_t len)
{
    return f->ops->read(f->dev, off, dst, len);
}
