/*
 * fc_flash.h - the flash abstraction the loader writes through, and the
 * simulated flash used on the host (fc_flash_sim.c).
 *
 * Freestanding C99. NOR-flash rules, which the simulator enforces:
 *   - erase works on whole pages (page_size bytes, power of two) and sets
 *     every byte to 0xFF;
 *   - programming can only clear bits (1 -> 0): programming a byte that
 *     would need a 0 bit to become 1 fails without changing anything;
 *   - programming works in units of prog_unit bytes (offset and length
 *     multiples of it; power of two, 1..64).
 *
 * A slot is the sandboxed part of a flash a container is installed into:
 * page aligned, a whole number of pages. The loader never touches a byte of
 * the flash outside its slot.
 */
#ifndef FC_FLASH_H
#define FC_FLASH_H

#include <stdint.h>
#include <stddef.h>

enum fc_flash_err {
    FC_FLASH_OK = 0,
    FC_FLASH_E_RANGE = 1,       /* outside the device                        */
    FC_FLASH_E_ALIGN = 2,       /* offset/length not a multiple of the unit   */
    FC_FLASH_E_NOT_ERASED = 3,  /* program would turn a 0 bit into 1          */
    FC_FLASH_E_PROTECTED = 4,   /* write/erase outside the writable window    */
    FC_FLASH_E_IO = 5           /* device failure (or injected by the sim)    */
};

typedef struct fc_flash_ops {
    /* Erase the page starting at `off` (page aligned). */
    int (*erase_page)(void *dev, uint32_t off);
    /* Program len bytes at off (both multiples of prog_unit). */
    int (*program)(void *dev, uint32_t off, const uint8_t *src, uint32_t len);
    /* Read len bytes at off (any alignment). */
    int (*read)(void *dev, uint32_t off, uint8_t *dst, uint32_t len);
} fc_flash_ops;

typedef struct fc_flash {
    const fc_flash_ops *ops;
    void *dev;
    uint32_t size;        /* bytes                                        */
    uint32_t page_size;   /* erase unit                                   */
    uint32_t prog_unit;   /* program unit                                 */
    /* Memory-mapped view used to execute native code and to interpret
     * bytecode in place: `map` is where this program sees offset 0 (NULL if
     * the flash is not mapped), `map_addr` the address the executing core
     * sees it at (on a device (uintptr_t)map; in an emulator the guest
     * address of the flash). Relocations use map_addr. */
    const uint8_t *map;
    uint64_t map_addr;
} fc_flash;

typedef struct fc_slot {
    const fc_flash *flash;
    uint32_t off;         /* page aligned */
    uint32_t size;        /* multiple of page_size */
} fc_slot;

/* ---- the simulated flash (host tests, emulator runs) -------------------- */
typedef struct fc_flash_sim {
    fc_flash flash;          /* the abstraction; dev points at this struct */
    uint8_t *mem;            /* caller's buffer of flash.size bytes        */
    /* Writable window [wp_lo, wp_hi): erase/program outside it fail with
     * FC_FLASH_E_PROTECTED and count a violation. */
    uint32_t wp_lo, wp_hi;
    /* statistics */
    uint32_t n_erase, n_program, n_read, n_violations;
    uint32_t bytes_programmed;
    /* fault injection: when nonzero, the operation (erase or program)
     * with this 1-based sequence number fails with FC_FLASH_E_IO. */
    uint32_t fail_at;
    uint32_t n_ops;
} fc_flash_sim;

/*
 * Prepare a simulated flash over mem[0..size) (size a multiple of
 * page_size, page_size and prog_unit powers of two, prog_unit <= 64 and <=
 * page_size). Fills mem with 0xFF (factory erased), writable everywhere.
 * map_addr = 0 means "the host address of mem". Returns FC_FLASH_OK or
 * FC_FLASH_E_ALIGN for an impossible geometry.
 */
int fc_flash_sim_init(fc_flash_sim *s, uint8_t *mem, uint32_t size,
                      uint32_t page_size, uint32_t prog_unit, uint64_t map_addr);

/* Restrict erase/program to [lo, hi). */
void fc_flash_sim_protect(fc_flash_sim *s, uint32_t lo, uint32_t hi);

/* Convenience wrappers over ops (any fc_flash). */
int fc_flash_erase(const fc_flash *f, uint32_t off);
int fc_flash_program(const fc_flash *f, uint32_t off, const uint8_t *src, uint32_t len);
int fc_flash_read(const fc_flash *f, uint32_t off, uint8_t *dst, uint32_t len);

#endif /* FC_FLASH_H */
