/*
 * rv32imc (backends/rv32/ without the A extension): for every
 * atomic eBPF can express (32 and 64 bits, fetch or not, xchg, cmpxchg), the
 * rv32imc code holds no A-extension instruction (major opcode AMO, 0x2f:
 * AMO*.W, LR.W, SC.W) and masks interrupts instead (CSRRCI mstatus), while
 * rv32imac's code for the same program does use them (so the scan can
 * fail). Behaviour: tests/unit/test_rv_emu_imc.c and step conformance-rv32imc.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_asm.h"
#include "fc_backend.h"
#include "rv32/rv_enc.h"

/* instructions with major opcode AMO and CSRRCI on mstatus in the code */
static void scan(const uint8_t *code, uint32_t len, unsigned *amo, unsigned *csrrci)
{
    *amo = *csrrci = 0;
    for (uint32_t off = 0; off + 2 <= len;) {
        uint32_t v = (uint32_t)code[off] | (uint32_t)code[off + 1] << 8;
        if ((v & 3u) == 3u) {
            cr_assert_leq(off + 4, len);
            v |= (uint32_t)code[off + 2] << 16 | (uint32_t)code[off + 3] << 24;
            if ((v & 0x7fu) == 0x2fu)
                (*amo)++;
            if ((v & 0x7fu) == 0x73u && (v >> 12 & 7u) == 7u && (v >> 20) == RV_CSR_MSTATUS)
                (*csrrci)++;
            off += 4;
        } else {
            off += 2;
        }
    }
}

static uint8_t *compile(const fc_backend *b, const char *src, uint32_t *len)
{
    fc_insn *ins = NULL;
    size_t n = 0;
    fc_asm_error e;
    cr_assert_eq(fc_asm(src, strlen(src), &ins, &n, &e), 0, "line %u: %s", e.line, e.msg);
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = ins;
    p.ninsns = (uint32_t)n;
    size_t wl = b->work_size(&p);
    void *w = malloc(wl);
    uint32_t ent[4];
    fc_bk_out o;
    memset(&o, 0, sizeof o);
    o.entry_off = ent;
    int rc = b->compile(&p, NULL, NULL, w, wl, &o, NULL);
    cr_assert_eq(rc, FC_BK_ENOSPACE, "%s: measuring gives %d", b->name, rc);
    o.code = malloc(o.code_len);
    o.code_cap = o.code_len;
    o.relocs = malloc(sizeof *o.relocs * (o.nrelocs + 1));
    o.relocs_cap = o.nrelocs;
    o.pcmap = malloc(sizeof *o.pcmap * (o.npcmap + 1));
    o.pcmap_cap = o.npcmap;
    rc = b->compile(&p, NULL, NULL, w, wl, &o, NULL);
    cr_assert_eq(rc, FC_BK_OK, "%s: %d", b->name, rc);
    free(w);
    free(o.relocs);
    free(o.pcmap);
    free(ins);
    *len = o.code_len;
    return o.code;
}

Test(rv_imc, no_a_extension_instructions)
{
    static const char *const ops[] = {"add", "or", "and", "xor", "fetch add", "fetch or", "fetch and",
                                      "fetch xor", "xchg", "cmpxchg"};
    unsigned amo_imac = 0;
    for (unsigned w = 0; w < 2; w++)
        for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            char src[256];
            snprintf(src, sizeof src,
                     "mov %%r0, 5\nstxdw [%%r10-8], %%r0\nmov %%r1, 3\nlock %s%s [%%r10-8], %%r1\n"
                     "ldxdw %%r0, [%%r10-8]\nexit", ops[k], w ? "" : "32");
            uint32_t len;
            unsigned amo, csr;
            uint8_t *c = compile(&fc_backend_rv32imc, src, &len);
            scan(c, len, &amo, &csr);
            free(c);
            cr_assert_eq(amo, 0, "rv32imc: lock %s%s: %u A-extension instructions", ops[k], w ? "" : "32",
                         amo);
            cr_assert_geq(csr, 1, "rv32imc: lock %s%s: interrupts not masked", ops[k], w ? "" : "32");
            c = compile(&fc_backend_rv32imac, src, &len);
            scan(c, len, &amo, &csr);
            free(c);
            amo_imac += amo;
            if (!w)
                cr_assert_geq(amo, 1, "rv32imac: lock %s32 makes no AMO (the scan cannot fail)", ops[k]);
        }
    cr_assert_geq(amo_imac, 10);
    cr_assert_str_eq(fc_backend_find("rv32imc")->name, "rv32imc");
}
