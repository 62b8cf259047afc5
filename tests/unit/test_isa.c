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
