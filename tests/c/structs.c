/* structs on the stack: copies, arrays of structs, nested fields */
#include "fcprog.h"

struct point { s32 x, y; };
struct box { struct point lo, hi; u8 tag; };

static NOINLINE s64 area(const struct box *b)
{
    return (s64)(b->hi.x - b->lo.x) * (b->hi.y - b->lo.y);
}

FC_PROG u64 prog_main(const u8 *ctx, u64 len)
{
    struct box boxes[6];
    u64 total = len;

    for (int k = 0; k < 6; k++) {
        const u8 *p = ctx + 8 * k;
        boxes[k].lo.x = p[0];
        boxes[k].lo.y = p[1];
        boxes[k].hi.x = p[0] + p[2];
        boxes[k].hi.y = p[1] + p[3];
        boxes[k].tag = p[4];
    }
    struct box big = boxes[0];
    for (int k = 1; k < 6; k++) {
        if (area(&boxes[k]) > area(&big))
            big = boxes[k];
        total += boxes[k].tag;
    }
    return total * 1000003u + (u64)area(&big);
}
