/* CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320) with a 256-entry
 * table in .rodata; the table is computed by the compiler. */
#include "bench_prog.h"

/* one shift of the bitwise algorithm; each argument used twice only, so
 * eight nested steps stay small for the preprocessor */
#define CRC_STEP(c) (((c) >> 1) ^ (0xedb88320u & (0u - ((c) & 1u))))
#define CRC_ENTRY(n) \
    CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP((u32)(n)))))))))

static const u32 crc_table[256] = { BENCH_T256(CRC_ENTRY) };

BENCH_ENTRY(crc32)
{
    u32 crc = 0xffffffffu, n = (u32)len;

    for (u32 i = 0; i < n; i++)
        crc = crc_table[(crc ^ ctx[i]) & 0xffu] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}
