/* a switch-based byte-code interpreter: many branches, a stack array used
 * as a small operand stack with a bounded index */
#include "fcprog.h"

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    u64 st[8] = {0};
    u32 sp = 0;

    for (u32 pc = 0; pc < len && pc < 64; pc++) {
        u8 op = ctx[pc];
        switch (op & 7) {
        case 0: if (sp < 8) st[sp++] = op >> 3; break;
        case 1: if (sp >= 2) { st[sp - 2] += st[sp - 1]; sp--; } break;
        case 2: if (sp >= 2) { st[sp - 2] *= st[sp - 1] | 1; sp--; } break;
        case 3: if (sp >= 1) st[sp - 1] ^= 0x55; break;
        case 4: if (sp >= 1) st[sp - 1] <<= 3; break;
        case 5: if (sp >= 1) sp--; break;
        case 6: if (sp < 8) { st[sp] = sp ? st[sp - 1] : pc; sp++; } break;
        default: if (sp >= 2) { u64 t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } break;
        }
    }
    u64 h = sp;
    for (u32 i = 0; i < 8; i++)
        h = h * 1099511628211ull ^ st[i];
    return h;
}
