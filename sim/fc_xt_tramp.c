/*
 * fc_xt_tramp.c - windowed trampolines to call0 routines (fc_xt_tramp.h).
 */
#include "fc_xt_tramp.h"

#include <string.h>

#include "fc_native.h"
#include "xtensa/xt_enc.h"

uint32_t fc_xt_tramp_addr(uint32_t base, unsigned i) { return base + 32u + 16u * i; }

int fc_xt_tramp_page(uint8_t *pg, uint32_t len, uint32_t base, const uint32_t *target, unsigned n)
{
    if (n > FC_XT_TRAMP_MAX || len < FC_XT_TRAMP_PAGE)
        return -1;
    memset(pg, 0, len);
    for (unsigned i = 0; i < n; i++) {
        uint32_t lit = base + 4u * i, at = fc_xt_tramp_addr(base, i), v = target[i];
        uint32_t seq[6] = {xt_entry(1, 32), xt_mov_n(12, 0), 0, xt_callx0(8), xt_mov_n(0, 12), xt_retw_n()};
        for (unsigned j = 0; j < 4; j++)
            pg[4u * i + j] = (uint8_t)(v >> (8 * j));
        uint32_t pc = at;
        for (unsigned k = 0; k < 6; k++) {
            if (k == 2)
                seq[k] = xt_l32r(8, pc, lit);
            if (seq[k] == XT_BAD)
                return -1;
            xt_put(pg + (pc - base), seq[k]);
            pc += xt_size(seq[k]);
        }
    }
    return 0;
}

int fc_xt_tramp_install(fc_xt *x, const uint32_t target[FC_XT_TRAMP_NSYM])
{
    uint8_t pg[FC_XT_TRAMP_PAGE];
    return fc_xt_tramp_page(pg, sizeof pg, FC_XT_TRAMP_BASE, target, FC_XT_TRAMP_NSYM) ||
                   fc_xt_map(x, FC_XT_TRAMP_BASE, FC_XT_TRAMP_PAGE, FC_XT_RWX) ||
                   fc_xt_write(x, FC_XT_TRAMP_BASE, pg, sizeof pg)
               ? -1
               : 0;
}

uint32_t fc_xt_tramp_sym(unsigned sym)
{
    if (sym < FC_SYM_HELPER || sym >= FC_SYM_HELPER + FC_XT_TRAMP_NSYM)
        return 0;
    return fc_xt_tramp_addr(FC_XT_TRAMP_BASE, sym - FC_SYM_HELPER);
}
