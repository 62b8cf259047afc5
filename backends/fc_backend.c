/*
 * fc_backend.c - the table of backends and the `femtoc -S` listing.
 * No stdio, no allocation (the listing formats into a line buffer).
 */
#include "fc_backend.h"
#include "fc_disasm.h"

const fc_backend *const fc_backend_table[] = {
    &fc_backend_thumbv7m,
    &fc_backend_rv32imac, &fc_backend_rv32ima, &fc_backend_rv32imc,
    &fc_backend_lx106, &fc_backend_esp32,
    0
};

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

const fc_backend *fc_backend_find(const char *name)
{
    if (!name)
        return 0;
    for (unsigned k = 0; fc_backend_table[k]; k++)
        if (streq(fc_backend_table[k]->name, name))
            return fc_backend_table[k];
    return 0;
}

/* ---- listing ---------------------------------------------------------- */
typedef struct line {
    char b[256];
    size_t n;
} line;

static void ladd(line *l, const char *s)
{
    while (*s && l->n + 1 < sizeof l->b)
        l->b[l->n++] = *s++;
}

static void lhex(line *l, uint32_t v, unsigned digits)
{
    static const char hx[] = "0123456789abcdef";
    while (digits--)
        if (l->n + 1 < sizeof l->b)
            l->b[l->n++] = hx[(v >> (4 * digits)) & 15u];
}

static int lflush(line *l, fc_bk_sink sink, void *ctx)
{
    l->b[l->n++] = '\n';
    int r = sink(ctx, l->b, l->n);
    l->n = 0;
    return r;
}

/* the native instructions in [from, to) */
static int native_lines(const fc_backend *b, const fc_bk_out *out, uint32_t from, uint32_t to,
                        fc_bk_sink sink, void *ctx)
{
    line l = {{0}, 0};
    char text[96];
    uint32_t off = from;
    while (off < to) {
        unsigned n = b->disasm ? b->disasm(out->code, out->code_len, off, off, text, sizeof text) : 0;
        if (n == 0 || off + n > to) {
            n = 2;
            text[0] = 0;
        }
        ladd(&l, "        ");
        lhex(&l, off, 6);
        ladd(&l, ":  ");
        for (unsigned k = 0; k < 4; k += 2) {
            if (k < n && off + k + 1 < out->code_len) {
                lhex(&l, (uint32_t)out->code[off + k] | (uint32_t)out->code[off + k + 1] << 8, 4);
                ladd(&l, " ");
            } else {
                ladd(&l, "     ");
            }
        }
        ladd(&l, "  ");
        ladd(&l, text[0] ? text : ".hword");
        int r = lflush(&l, sink, ctx);
        if (r)
            return r;
        off += n;
    }
    return 0;
}

int fc_backend_listing(const fc_backend *b, const fc_prog *p, const fc_bk_out *out,
                       fc_bk_sink sink, void *ctx)
{
    line l = {{0}, 0};
    char text[160];
    int r;

    if (!b || !p || !out || !out->code || !out->pcmap || !sink)
        return -1;
    for (uint32_t k = 0; k < out->npcmap; k++) {
        uint32_t from = out->pcmap[k].native_off;
        uint32_t to = k + 1 < out->npcmap ? out->pcmap[k + 1].native_off : out->code_len;
        uint32_t insn = out->pcmap[k].insn;
        if (insn == FC_BK_NO_INSN) {
            ladd(&l, "    ; (prologue / shared code)");
        } else if (insn < p->ninsns) {
            ladd(&l, "    ");
            lhex(&l, insn, 4);
            ladd(&l, ": ");
            fc_disasm_insn(p->insns, p->ninsns, insn, text, sizeof text);
            ladd(&l, text);
        } else {
            ladd(&l, "    ; (end of program)");
        }
        if ((r = lflush(&l, sink, ctx)) != 0)
            return r;
        if ((r = native_lines(b, out, from, to, sink, ctx)) != 0)
            return r;
    }
    return 0;
}
