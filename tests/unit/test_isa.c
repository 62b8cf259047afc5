/* Unit tests: the opcode table and the encoding checks. */
#include <criterion/criterion.h>
#include <string.h>
#include "fc_isa.h"

Test(isa, table_rows_are_unambiguous)
{
    /* Two rows with the same opcode must be told apart by one discriminator. */
    for (unsigned a = 1; a < FC_OP_COUNT; a++)
        for (unsigned b = 1; b < a; b++) {
            const fc_opinfo *x = &fc_opinfo_table[a], *y = &fc_opinfo_table[b];
            if (x->opcode != y->opcode)
                continue;
            cr_assert(x->disc == y->disc && x->disc != FC_DISC_NONE,
                      "%s/%s share opcode 0x%02x without a discriminator",
                      x->mnemonic, y->mnemonic, x->opcode);
            cr_assert(x->disc_value != y->disc_value, "%s/%s identical", x->mnemonic, y->mnemonic);
        }
}

Test(isa, encode_decode_round_trip)
{
    uint8_t b[8];
    fc_insn i = fc_insn_make(0x18, 3, 2, -5, (int32_t)0x80000001u);
    fc_insn_encode(i, b);
    cr_assert_eq(b[0], 0x18);
    cr_assert_eq(b[1], 0x23);
    cr_assert_eq(b[2], 0xfb);
    cr_assert_eq(b[3], 0xff);
    cr_assert_eq(b[7], 0x80);
    fc_insn j = fc_insn_decode(b);
    cr_assert(memcmp(&i, &j, sizeof i) == 0);
}

Test(isa, checks_reserved_fields)
{
    unsigned op;
    fc_insn add_k = fc_insn_make(0x07, 0, 0, 0, 1);
    cr_assert_eq(fc_insn_check(&add_k, NULL, &op), FC_INSN_OK);
    cr_assert_eq(op, FC_OP_ADD_K);
    add_k.off = 1; /* unused-add64_imm-offset */
    cr_assert_neq(fc_insn_check(&add_k, NULL, NULL), FC_INSN_OK);
    fc_insn exit_src = fc_insn_make(0x95, 0, 1, 0, 0);
    cr_assert_eq(fc_insn_check(&exit_src, NULL, NULL), FC_INSN_BAD_SRC);
    fc_insn sdiv = fc_insn_make(0x3f, 1, 2, 1, 0);
    cr_assert_eq(fc_insn_check(&sdiv, NULL, &op), FC_INSN_OK);
    cr_assert_eq(op, FC_OP_SDIV_X);
    fc_insn ldabs = fc_insn_make(0x20, 0, 0, 0, 0);
    cr_assert_eq(fc_insn_check(&ldabs, NULL, NULL), FC_INSN_LEGACY_PACKET);
    fc_insn lddw = fc_insn_make(0x18, 1, 0, 0, 1);
    cr_assert_eq(fc_insn_check(&lddw, NULL, NULL), FC_INSN_BAD_LDDW);
    fc_insn hi = fc_insn_make(0, 0, 0, 0, 2);
    cr_assert_eq(fc_insn_check(&lddw, &hi, &op), FC_INSN_OK);
    cr_assert_eq(op, FC_OP_LDDW);
    fc_insn bad = fc_insn_make(0xff, 0, 0, 0, 0);
    cr_assert_eq(fc_insn_check(&bad, NULL, NULL), FC_INSN_UNKNOWN_OPCODE);
    fc_insn atomic_bad = fc_insn_make(0xdb, 10, 1, -8, 0x02);
    cr_assert_eq(fc_insn_check(&atomic_bad, NULL, NULL), FC_INSN_BAD_DISC);
}

/* r10 is read-only: every form that writes it is malformed (one rule for the
 * verifier, the backends, the loader and the interpreter) */
Test(isa, writes_to_r10_are_malformed)
{
    unsigned op;
    const fc_insn lo32 = fc_insn_make(0, 0, 0, 0, 0);
    const fc_insn writes[] = {
        fc_insn_make(0xb7, 10, 0, 0, 1),    /* mov r10, 1 */
        fc_insn_make(0xbf, 10, 1, 0, 0),    /* mov r10, r1 */
        fc_insn_make(0x07, 10, 0, 0, -8),   /* add r10, -8 */
        fc_insn_make(0x04, 10, 0, 0, 8),    /* add32 r10, 8 */
        fc_insn_make(0x87, 10, 0, 0, 0),    /* neg r10 */
        fc_insn_make(0xd4, 10, 0, 0, 32),   /* le32 r10 */
        fc_insn_make(0xdc, 10, 0, 0, 64),   /* be64 r10 */
        fc_insn_make(0x61, 10, 1, 0, 0),    /* ldxw r10, [r1] */
        fc_insn_make(0x91, 10, 1, 0, 0),    /* ldxsb r10, [r1] (v4) */
        fc_insn_make(0xdb, 1, 10, 0, 0x01), /* fetch_add [r1], r10 */
        fc_insn_make(0xc3, 1, 10, 0, 0xe1), /* xchg32 [r1], r10 */
    };
    for (unsigned k = 0; k < sizeof writes / sizeof writes[0]; k++)
        cr_assert_eq(fc_insn_check(&writes[k], NULL, NULL), FC_INSN_WRITES_FP, "case %u", k);
    fc_insn lddw = fc_insn_make(0x18, 10, 0, 0, 1);
    cr_assert_eq(fc_insn_check(&lddw, &lo32, NULL), FC_INSN_WRITES_FP);
    fc_insn lddw_sect = fc_insn_make(0x18, 10, FC_LDDW_SECTION, 0, FC_SECT_DATA);
    cr_assert_eq(fc_insn_check(&lddw_sect, &lo32, NULL), FC_INSN_WRITES_FP);
    cr_assert_str_eq(fc_insn_fault_str(FC_INSN_WRITES_FP), "writes r10 (the frame pointer is read-only)");

    /* r10 as a base, a source, a compared value, or cmpxchg's src: fine */
    const fc_insn reads[] = {
        fc_insn_make(0x7a, 10, 0, -8, 1),   /* stdw [r10-8], 1 */
        fc_insn_make(0x7b, 10, 1, -8, 0),   /* stxdw [r10-8], r1 */
        fc_insn_make(0xbf, 1, 10, 0, 0),    /* mov r1, r10 */
        fc_insn_make(0x79, 1, 10, -8, 0),   /* ldxdw r1, [r10-8] */
        fc_insn_make(0x15, 10, 0, 1, 0),    /* jeq r10, 0, +1 */
        fc_insn_make(0xdb, 10, 1, -8, 0x01),/* fetch_add [r10-8], r1 */
        fc_insn_make(0xdb, 1, 10, 0, 0x00), /* add [r1], r10 (no fetch) */
        fc_insn_make(0xdb, 1, 10, 0, 0xf1), /* cmpxchg [r1], r10: writes r0 */
    };
    for (unsigned k = 0; k < sizeof reads / sizeof reads[0]; k++)
        cr_assert_eq(fc_insn_check(&reads[k], NULL, &op), FC_INSN_OK, "case %u", k);
}
