/*
 * RV32IMAC encoders (backends/rv32/rv_enc.h) against the GNU assembler.
 *
 * Every G("asm text", enc...) below is assembled by tools/gen-golden-rv32
 * into tests/golden/rv32.txt: texts whose first mnemonic starts with "c."
 * with riscv64-unknown-elf-as -march=rv32imac_zicsr, all others with
 * -march=rv32ima_zicsr (so the assembler cannot compress them), both
 * -mabi=ilp32 -mno-relax. This test compares the encoders' bytes with that
 * table. Adding a case: add a G(...) line, run tools/gen-golden-rv32,
 * commit both files. Branch targets are written `.+N` / `.-N` (N = the
 * offset from the branch itself).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rv32/rv_enc.h"

typedef struct gcase {
    const char *text;
    uint32_t enc[6];
    unsigned n;
} gcase;

#define G(text, ...) \
    { text, { __VA_ARGS__ }, (unsigned)(sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)) }

static unsigned build_cases(gcase *out)
{
    gcase c[] = {
        /* 2.4.1 register-immediate */
        G("addi a0, a1, 0", rv_addi(RV_A0, RV_A1, 0)),
        G("addi t0, t1, 2047", rv_addi(RV_T0, RV_T1, 2047)),
        G("addi t2, s0, -2048", rv_addi(RV_T2, RV_S0, -2048)),
        G("addi sp, sp, -64", rv_addi(RV_SP, RV_SP, -64)),
        G("addi s11, s11, -512", rv_addi(RV_S11, RV_S11, -512)),
        G("addi zero, zero, 0", rv_addi(RV_ZERO, RV_ZERO, 0)),
        G("slti a2, a3, -1", rv_slti(RV_A2, RV_A3, -1)),
        G("sltiu a4, a5, 1", rv_sltiu(RV_A4, RV_A5, 1)),
        G("sltiu t6, t5, -2048", rv_sltiu(RV_T6, RV_T5, -2048)),
        G("xori a6, a7, -1", rv_xori(RV_A6, RV_A7, -1)),
        G("xori t1, t0, 31", rv_xori(RV_T1, RV_T0, 31)),
        G("ori s2, s3, 0x7ff", rv_ori(RV_S2, RV_S3, 0x7ff)),
        G("andi s4, s5, 255", rv_andi(RV_S4, RV_S5, 255)),
        G("andi t0, a0, 63", rv_andi(RV_T0, RV_A0, 63)),
        G("andi ra, gp, -256", rv_andi(RV_RA, RV_GP, -256)),
        G("slli s6, s7, 0", rv_slli(RV_S6, RV_S7, 0)),
        G("slli s8, s9, 31", rv_slli(RV_S8, RV_S9, 31)),
        G("srli s10, s11, 1", rv_srli(RV_S10, RV_S11, 1)),
        G("srli t3, t4, 24", rv_srli(RV_T3, RV_T4, 24)),
        G("srai t5, t6, 31", rv_srai(RV_T5, RV_T6, 31)),
        G("srai a0, a0, 16", rv_srai(RV_A0, RV_A0, 16)),
        G("lui a0, 0", rv_lui(RV_A0, 0)),
        G("lui a1, 0xfffff", rv_lui(RV_A1, 0xfffffu)),
        G("lui t2, 0x12345", rv_lui(RV_T2, 0x12345u)),
        G("lui s1, 0x80000", rv_lui(RV_S1, 0x80000u)),
        G("auipc ra, 0", rv_auipc(RV_RA, 0)),
        G("auipc t0, 0xabcde", rv_auipc(RV_T0, 0xabcdeu)),
        /* 2.4.2 register-register */
        G("add a0, a1, a2", rv_add(RV_A0, RV_A1, RV_A2)),
        G("add t6, zero, ra", rv_add(RV_T6, RV_ZERO, RV_RA)),
        G("sub a3, a4, a5", rv_sub(RV_A3, RV_A4, RV_A5)),
        G("sub s2, zero, s2", rv_sub(RV_S2, RV_ZERO, RV_S2)),
        G("sll a6, a7, s0", rv_sll(RV_A6, RV_A7, RV_S0)),
        G("slt s1, s2, s3", rv_slt(RV_S1, RV_S2, RV_S3)),
        G("sltu t0, t1, t2", rv_sltu(RV_T0, RV_T1, RV_T2)),
        G("sltu t0, zero, a0", rv_sltu(RV_T0, RV_ZERO, RV_A0)),
        G("xor s4, s5, s6", rv_xor(RV_S4, RV_S5, RV_S6)),
        G("srl s7, s8, s9", rv_srl(RV_S7, RV_S8, RV_S9)),
        G("sra s10, s11, t3", rv_sra(RV_S10, RV_S11, RV_T3)),
        G("or t4, t5, t6", rv_or(RV_T4, RV_T5, RV_T6)),
        G("and gp, tp, sp", rv_and(RV_GP, RV_TP, RV_SP)),
        /* chapter 7, M */
        G("mul a0, a1, a2", rv_mul(RV_A0, RV_A1, RV_A2)),
        G("mulh a3, a4, a5", rv_mulh(RV_A3, RV_A4, RV_A5)),
        G("mulhsu a6, a7, t0", rv_mulhsu(RV_A6, RV_A7, RV_T0)),
        G("mulhu t1, t2, s0", rv_mulhu(RV_T1, RV_T2, RV_S0)),
        G("div s1, s2, s3", rv_div(RV_S1, RV_S2, RV_S3)),
        G("divu s4, s5, s6", rv_divu(RV_S4, RV_S5, RV_S6)),
        G("rem s7, s8, s9", rv_rem(RV_S7, RV_S8, RV_S9)),
        G("remu s10, s11, t6", rv_remu(RV_S10, RV_S11, RV_T6)),
        /* 2.5 control transfer */
        G("jal zero, .+0", rv_jal(RV_ZERO, 0)),
        G("jal ra, .+2", rv_jal(RV_RA, 2)),
        G("jal zero, .+1048574", rv_jal(RV_ZERO, 1048574)),
        G("jal zero, .-1048576", rv_jal(RV_ZERO, -1048576)),
        G("jal t0, .+0x12344", rv_jal(RV_T0, 0x12344)),
        G("jal zero, .-2050", rv_jal(RV_ZERO, -2050)),
        G("jalr zero, 0(ra)", rv_jalr(RV_ZERO, RV_RA, 0)),
        G("jalr ra, -4(t0)", rv_jalr(RV_RA, RV_T0, -4)),
        G("jalr t1, 2047(a0)", rv_jalr(RV_T1, RV_A0, 2047)),
        G("beq a0, a1, .+16", rv_beq(RV_A0, RV_A1, 16)),
        G("bne t0, zero, .-4", rv_bne(RV_T0, RV_ZERO, -4)),
        G("blt s0, s1, .+4094", rv_blt(RV_S0, RV_S1, 4094)),
        G("bge a2, a3, .-4096", rv_bge(RV_A2, RV_A3, -4096)),
        G("bltu t5, t6, .+2", rv_bltu(RV_T5, RV_T6, 2)),
        G("bgeu s10, s11, .+2048", rv_bgeu(RV_S10, RV_S11, 2048)),
        G("bgeu zero, a7, .-2050", rv_bgeu(RV_ZERO, RV_A7, -2050)),
        G("beq ra, sp, .+0x554", rv_beq(RV_RA, RV_SP, 0x554)),
        /* 2.6 loads and stores */
        G("lb a0, 0(a1)", rv_lb(RV_A0, RV_A1, 0)),
        G("lh a2, -1(a3)", rv_lh(RV_A2, RV_A3, -1)),
        G("lw a4, 2047(a5)", rv_lw(RV_A4, RV_A5, 2047)),
        G("lw t0, -2048(s11)", rv_lw(RV_T0, RV_S11, -2048)),
        G("lbu a6, -512(s11)", rv_lbu(RV_A6, RV_S11, -512)),
        G("lhu s2, 6(t6)", rv_lhu(RV_S2, RV_T6, 6)),
        G("sb a0, 0(a1)", rv_sb(RV_A0, RV_A1, 0)),
        G("sh t0, -2048(t1)", rv_sh(RV_T0, RV_T1, -2048)),
        G("sw s2, 2047(s0)", rv_sw(RV_S2, RV_S0, 2047)),
        G("sw zero, -4(s11)", rv_sw(RV_ZERO, RV_S11, -4)),
        G("sw ra, 60(sp)", rv_sw(RV_RA, RV_SP, 60)),
        /* chapter 9, Zicsr */
        G("csrrci t2, mstatus, 8", rv_csrrci(RV_T2, RV_CSR_MSTATUS, 8)),
        G("csrrsi zero, mstatus, 31", rv_csrrsi(RV_ZERO, RV_CSR_MSTATUS, 31)),
        G("csrrs zero, mstatus, t2", rv_csrrs(RV_ZERO, RV_CSR_MSTATUS, RV_T2)),
        G("csrrc a0, 0xfff, a1", rv_csrrc(RV_A0, 0xfffu, RV_A1)),
        G("csrrw t0, mstatus, t1", rv_csrrw(RV_T0, RV_CSR_MSTATUS, RV_T1)),
        G("unimp", RV_BAD),
        /* chapter 8, A */
        G("lr.w.aqrl t1, (t0)", rv_lr_w(RV_T1, RV_T0)),
        G("sc.w.aqrl t2, a0, (t0)", rv_sc_w(RV_T2, RV_A0, RV_T0)),
        G("amoswap.w.aqrl t1, s2, (t0)", rv_amoswap_w(RV_T1, RV_S2, RV_T0)),
        G("amoadd.w.aqrl zero, a1, (t0)", rv_amoadd_w(RV_ZERO, RV_A1, RV_T0)),
        G("amoxor.w.aqrl t6, t5, (a7)", rv_amoxor_w(RV_T6, RV_T5, RV_A7)),
        G("amoand.w.aqrl a0, a1, (a2)", rv_amoand_w(RV_A0, RV_A1, RV_A2)),
        G("amoor.w.aqrl s3, s4, (s5)", rv_amoor_w(RV_S3, RV_S4, RV_S5)),
        G("ebreak", rv_ebreak()),
        /* chapter 16, C */
        G("c.lwsp ra, 0(sp)", rv_c_lwsp(RV_RA, 0)),
        G("c.lwsp s11, 252(sp)", rv_c_lwsp(RV_S11, 252)),
        G("c.lwsp a0, 68(sp)", rv_c_lwsp(RV_A0, 68)),
        G("c.swsp ra, 60(sp)", rv_c_swsp(RV_RA, 60)),
        G("c.swsp zero, 252(sp)", rv_c_swsp(RV_ZERO, 252)),
        G("c.swsp t6, 132(sp)", rv_c_swsp(RV_T6, 132)),
        G("c.lw a0, 0(s0)", rv_c_lw(RV_A0, RV_S0, 0)),
        G("c.lw a5, 124(s1)", rv_c_lw(RV_A5, RV_S1, 124)),
        G("c.lw s1, 68(a4)", rv_c_lw(RV_S1, RV_A4, 68)),
        G("c.sw a1, 4(s0)", rv_c_sw(RV_A1, RV_S0, 4)),
        G("c.sw s0, 120(a5)", rv_c_sw(RV_S0, RV_A5, 120)),
        G("c.sw a3, 64(a2)", rv_c_sw(RV_A3, RV_A2, 64)),
        G("c.j .+0", rv_c_j(0)),
        G("c.j .+2046", rv_c_j(2046)),
        G("c.j .-2048", rv_c_j(-2048)),
        G("c.j .+0x2aa", rv_c_j(0x2aa)),
        G("c.j .-0x556", rv_c_j(-0x556)),
        G("c.jal .+0x554", rv_c_jal(0x554)),
        G("c.jr ra", rv_c_jr(RV_RA)),
        G("c.jr t0", rv_c_jr(RV_T0)),
        G("c.jalr t6", rv_c_jalr(RV_T6)),
        G("c.beqz s0, .+0", rv_c_beqz(RV_S0, 0)),
        G("c.beqz a5, .+254", rv_c_beqz(RV_A5, 254)),
        G("c.bnez s1, .-256", rv_c_bnez(RV_S1, -256)),
        G("c.bnez a0, .+0xaa", rv_c_bnez(RV_A0, 0xaa)),
        G("c.beqz a2, .-0x56", rv_c_beqz(RV_A2, -0x56)),
        G("c.li a0, 0", rv_c_li(RV_A0, 0)),
        G("c.li t6, -32", rv_c_li(RV_T6, -32)),
        G("c.li s11, 31", rv_c_li(RV_S11, 31)),
        G("c.lui a0, 1", rv_c_lui(RV_A0, 1)),
        G("c.lui t0, 31", rv_c_lui(RV_T0, 31)),
        G("c.lui s2, 0xfffe0", rv_c_lui(RV_S2, 0xfffe0u)),
        G("c.lui ra, 0xfffff", rv_c_lui(RV_RA, 0xfffffu)),
        G("c.addi a0, 1", rv_c_addi(RV_A0, 1)),
        G("c.addi s11, -32", rv_c_addi(RV_S11, -32)),
        G("c.addi t0, 31", rv_c_addi(RV_T0, 31)),
        G("c.addi16sp sp, -64", rv_c_addi16sp(-64)),
        G("c.addi16sp sp, 496", rv_c_addi16sp(496)),
        G("c.addi16sp sp, -512", rv_c_addi16sp(-512)),
        G("c.addi16sp sp, 48", rv_c_addi16sp(48)),
        G("c.addi4spn a0, sp, 4", rv_c_addi4spn(RV_A0, 4)),
        G("c.addi4spn s1, sp, 1020", rv_c_addi4spn(RV_S1, 1020)),
        G("c.addi4spn a5, sp, 0x248", rv_c_addi4spn(RV_A5, 0x248)),
        G("c.slli t0, 1", rv_c_slli(RV_T0, 1)),
        G("c.slli s10, 31", rv_c_slli(RV_S10, 31)),
        G("c.srli a0, 16", rv_c_srli(RV_A0, 16)),
        G("c.srli s1, 31", rv_c_srli(RV_S1, 31)),
        G("c.srai a5, 1", rv_c_srai(RV_A5, 1)),
        G("c.srai s0, 24", rv_c_srai(RV_S0, 24)),
        G("c.andi a1, -1", rv_c_andi(RV_A1, -1)),
        G("c.andi s0, 0", rv_c_andi(RV_S0, 0)),
        G("c.andi a4, 31", rv_c_andi(RV_A4, 31)),
        G("c.andi a3, -32", rv_c_andi(RV_A3, -32)),
        G("c.mv a0, a1", rv_c_mv(RV_A0, RV_A1)),
        G("c.mv t6, ra", rv_c_mv(RV_T6, RV_RA)),
        G("c.add s11, t0", rv_c_add(RV_S11, RV_T0)),
        G("c.add a0, a0", rv_c_add(RV_A0, RV_A0)),
        G("c.sub a0, a1", rv_c_sub(RV_A0, RV_A1)),
        G("c.xor s0, a5", rv_c_xor(RV_S0, RV_A5)),
        G("c.or a2, s1", rv_c_or(RV_A2, RV_S1)),
        G("c.and a5, a4", rv_c_and(RV_A5, RV_A4)),
        G("c.nop", rv_c_nop()),
        G("c.ebreak", rv_c_ebreak()),
    };
    unsigned n = sizeof c / sizeof c[0];
    memcpy(out, c, sizeof c);
    return n;
}

/* ---- the golden table -------------------------------------------------------- */
typedef struct golden {
    char text[96];
    uint8_t bytes[24];
    unsigned n;
} golden;

static golden *load_golden(unsigned *count)
{
    FILE *f = fopen("tests/golden/rv32.txt", "r");
    cr_assert(f, "tests/golden/rv32.txt is missing (run tools/gen-golden-rv32)");
    golden *g = calloc(512, sizeof *g);
    char line[512];
    unsigned n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *tab = strchr(line, '\t');
        cr_assert(tab, "bad golden line: %s", line);
        cr_assert_lt(n, 512u);
        *tab = 0;
        cr_assert_lt(strlen(line), sizeof g[n].text, "golden text too long: %s", line);
        memcpy(g[n].text, line, strlen(line) + 1);
        char *p = tab + 1;
        unsigned v;
        int used;
        while (sscanf(p, "%x%n", &v, &used) == 1) {
            cr_assert_lt(g[n].n, sizeof g[n].bytes);
            g[n].bytes[g[n].n++] = (uint8_t)v;
            p += used;
        }
        n++;
    }
    fclose(f);
    *count = n;
    return g;
}

static void hex(const uint8_t *b, unsigned n, char *out)
{
    out[0] = 0;
    for (unsigned i = 0; i < n; i++)
        sprintf(out + strlen(out), "%s%02x", i ? " " : "", b[i]);
}

Test(rv_enc, matches_gnu_as)
{
    static gcase cases[300];
    unsigned nc = build_cases(cases), ng, bad = 0;
    golden *g = load_golden(&ng);

    for (unsigned i = 0; i < nc; i++) {
        const golden *m = NULL;
        for (unsigned k = 0; k < ng; k++)
            if (!strcmp(g[k].text, cases[i].text)) {
                m = &g[k];
                break;
            }
        if (!m) {
            cr_log_error("%s: not in tests/golden/rv32.txt (run tools/gen-golden-rv32)", cases[i].text);
            bad++;
            continue;
        }
        uint8_t b[24];
        unsigned n = 0;
        for (unsigned k = 0; k < cases[i].n; k++) {
            rv_put(b + n, cases[i].enc[k]);
            n += rv_size(cases[i].enc[k]);
        }
        if (n != m->n || memcmp(b, m->bytes, n)) {
            char x[80], y[80];
            hex(b, n, x);
            hex(m->bytes, m->n, y);
            cr_log_error("%s: encoder gives [%s], GNU as gives [%s]", cases[i].text, x, y);
            bad++;
        }
    }
    free(g);
    cr_assert_eq(bad, 0, "%u of %u encodings differ from GNU as", bad, nc);
    cr_assert_geq(nc, 150, "the table lost cases (%u)", nc);
}

/* ---- refused requests come back as the sentinel ---------------------------- */
Test(rv_enc, unencodable_gives_sentinel)
{
    cr_assert_eq(rv_addi(RV_A0, RV_A1, 2048), RV_BAD);
    cr_assert_eq(rv_addi(RV_A0, RV_A1, -2049), RV_BAD);
    cr_assert_eq(rv_addi(32, RV_A1, 0), RV_BAD);
    cr_assert_eq(rv_slli(RV_A0, RV_A1, 32), RV_BAD);
    cr_assert_eq(rv_lui(RV_A0, 0x100000u), RV_BAD);
    cr_assert_eq(rv_beq(RV_A0, RV_A1, 4096), RV_BAD);
    cr_assert_eq(rv_beq(RV_A0, RV_A1, 3), RV_BAD);
    cr_assert_eq(rv_branch((enum rv_cond)2, RV_A0, RV_A1, 8), RV_BAD);
    cr_assert_eq(rv_jal(RV_ZERO, 1048576), RV_BAD);
    cr_assert_eq(rv_jal(RV_ZERO, -1048578), RV_BAD);
    cr_assert_eq(rv_lw(RV_A0, RV_A1, 2048), RV_BAD);
    cr_assert_eq(rv_sw(RV_A0, RV_A1, -2049), RV_BAD);
    cr_assert_eq(rv_load((enum rv_width)3, RV_A0, RV_A1, 0), RV_BAD);
    cr_assert_eq(rv_store(RV_BU, RV_A0, RV_A1, 0), RV_BAD);
    cr_assert_eq(rv_csrrci(RV_T0, RV_CSR_MSTATUS, 32), RV_BAD);
    cr_assert_eq(rv_csrrw(RV_ZERO, RV_CSR_CYCLE, RV_ZERO), RV_BAD);
    cr_assert_eq(rv_csrrs(RV_ZERO, 0x1000u, RV_ZERO), RV_BAD);
    cr_assert_eq(rv_c_lw(RV_A0, RV_T0, 0), RV_BAD);        /* t0 is not x8..x15 */
    cr_assert_eq(rv_c_lw(RV_A0, RV_S0, 128), RV_BAD);
    cr_assert_eq(rv_c_lw(RV_A0, RV_S0, 2), RV_BAD);
    cr_assert_eq(rv_c_sw(RV_T0, RV_S0, 0), RV_BAD);
    cr_assert_eq(rv_c_lwsp(RV_ZERO, 0), RV_BAD);
    cr_assert_eq(rv_c_swsp(RV_A0, 256), RV_BAD);
    cr_assert_eq(rv_c_li(RV_A0, 32), RV_BAD);
    cr_assert_eq(rv_c_li(RV_ZERO, 1), RV_BAD);
    cr_assert_eq(rv_c_lui(RV_SP, 1), RV_BAD);
    cr_assert_eq(rv_c_lui(RV_A0, 0), RV_BAD);
    cr_assert_eq(rv_c_lui(RV_A0, 32), RV_BAD);
    cr_assert_eq(rv_c_addi(RV_A0, 0), RV_BAD);
    cr_assert_eq(rv_c_addi16sp(8), RV_BAD);
    cr_assert_eq(rv_c_addi16sp(512), RV_BAD);
    cr_assert_eq(rv_c_addi4spn(RV_A0, 0), RV_BAD);
    cr_assert_eq(rv_c_addi4spn(RV_T0, 4), RV_BAD);
    cr_assert_eq(rv_c_slli(RV_A0, 0), RV_BAD);
    cr_assert_eq(rv_c_srli(RV_A0, 32), RV_BAD);
    cr_assert_eq(rv_c_srai(RV_T0, 1), RV_BAD);
    cr_assert_eq(rv_c_andi(RV_A0, 32), RV_BAD);
    cr_assert_eq(rv_c_mv(RV_A0, RV_ZERO), RV_BAD);
    cr_assert_eq(rv_c_add(RV_ZERO, RV_A0), RV_BAD);
    cr_assert_eq(rv_c_sub(RV_A0, RV_T0), RV_BAD);
    cr_assert_eq(rv_c_j(2048), RV_BAD);
    cr_assert_eq(rv_c_j(1), RV_BAD);
    cr_assert_eq(rv_c_beqz(RV_A0, 256), RV_BAD);
    cr_assert_eq(rv_c_bnez(RV_T0, 0), RV_BAD);
    cr_assert_eq(rv_c_jr(RV_ZERO), RV_BAD);
    cr_assert_eq(rv_amo(0, 2, 0, RV_A0, RV_A1, RV_A2), RV_BAD);

    uint8_t img[12];
    rv_put(img, rv_addi(RV_A0, RV_A0, 1));
    rv_put(img + 4, rv_c_mv(RV_A0, RV_A1));
    rv_put(img + 6, RV_BAD);
    rv_put(img + 10, rv_c_nop());
    cr_assert_eq(rv_validate(img, 12), 6);
    rv_put(img + 6, rv_and(RV_A0, RV_A1, RV_A2));
    cr_assert_eq(rv_validate(img, 12), 12);
    cr_assert_eq(rv_validate(img, 11), 10);           /* cut instruction */
    img[10] = img[11] = 0;                            /* c.unimp */
    cr_assert_eq(rv_validate(img, 12), 10);
}

/* ---- the constant materialiser produces the value (evaluated here) ----------- */
static uint32_t sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    return ((v & ((m << 1) - 1)) ^ m) - m;
}

/* evaluate LUI / ADDI / C.LI / C.LUI / C.ADDI on one register; -1: not one */
static int eval(uint32_t enc, unsigned rd, uint32_t *r)
{
    if (rv_size(enc) == 4) {
        unsigned opc = enc & 0x7fu, d = (enc >> 7) & 31u, s = (enc >> 15) & 31u;
        if (d != rd)
            return -1;
        if (opc == RV_OP_LUI) {
            *r = enc & 0xfffff000u;
            return 0;
        }
        if (opc == RV_OP_IMM && ((enc >> 12) & 7u) == 0 && (s == rd || s == 0)) {
            *r = (s ? *r : 0) + sext(enc >> 20, 12);
            return 0;
        }
        return -1;
    }
    unsigned f3 = enc >> 13, op = enc & 3u, d = (enc >> 7) & 31u;
    uint32_t imm6 = sext(((enc >> 12) & 1u) << 5 | ((enc >> 2) & 31u), 6);
    if (op != 1 || d != rd)
        return -1;
    if (f3 == 2) { *r = imm6; return 0; }             /* c.li */
    if (f3 == 3) { *r = imm6 << 12; return 0; }       /* c.lui */
    if (f3 == 0) { *r += imm6; return 0; }            /* c.addi */
    return -1;
}

Test(rv_enc, constant_materialiser)
{
    uint32_t x = 0x2545f491u;
    for (unsigned i = 0; i < 40000; i++) {
        uint32_t v;
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        switch (i % 6) {
        case 0: v = x; break;
        case 1: v = sext(x, 12); break;
        case 2: v = x & 0xfffff000u; break;
        case 3: v = sext(x, 6); break;
        case 4: v = (x | 0x800u) & 0xfffff8ffu; break;   /* bit 11 set: the carry case */
        default: v = 0x7ffff800u + (x & 0xfffu); break;   /* near 2^31 */
        }
        for (int c = 0; c < 2; c++) {
            uint32_t enc[2], r = 0xdeadbeefu;
            unsigned n = rv_li(RV_T1, v, c, enc);
            cr_assert(n >= 1 && n <= 2);
            for (unsigned k = 0; k < n; k++) {
                cr_assert_neq(enc[k], RV_BAD, "0x%08x", v);
                cr_assert_eq(eval(enc[k], RV_T1, &r), 0, "0x%08x: unexpected 0x%08x", v, enc[k]);
                if (!c)
                    cr_assert_eq(rv_size(enc[k]), 4);
            }
            cr_assert_eq(r, v, "0x%08x (rvc %d) gives 0x%08x", v, c, r);
            if ((int32_t)v >= -2048 && (int32_t)v <= 2047)
                cr_assert_eq(n, 1, "0x%08x takes one instruction", v);
            if ((v & 0xfffu) == 0)
                cr_assert_eq(n, 1, "0x%08x is one LUI", v);
            if (c && (int32_t)v >= -32 && (int32_t)v <= 31)
                cr_assert_eq(rv_size(enc[0]), 2, "0x%08x is one C.LI", v);
        }
    }
}

/* ---- the listing disassembler reads back every golden encoding ------------- */
unsigned rv_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

/* every number token as decimal (".+0x10" as ".+16", "0x7ff" as "2047"),
 * the " <0x...>" target comments of the disassembler dropped */
static void normalise(const char *in, char *out, size_t size)
{
    size_t n = 0;
    while (*in && n + 24 < size) {
        if (*in == ' ' && in[1] == '<') {
            while (*in && *in != '>')
                in++;
            if (*in)
                in++;
            continue;
        }
        int start = n == 0 || out[n - 1] == ' ' || out[n - 1] == ',' || out[n - 1] == '(';
        const char *p = in;
        const char *pre = "";
        if (start && p[0] == '.' && (p[1] == '+' || p[1] == '-'))
            pre = p[1] == '+' ? ".+" : ".-", p += 2;
        if (start && ((*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9'))) {
            char *end;
            long long v = strtoll(p, &end, 0);
            if (*end == 0 || *end == ',' || *end == '(' || *end == ' ') {
                n += (size_t)snprintf(out + n, size - n, "%s%lld", pre, v);
                in = end;
                continue;
            }
        }
        out[n++] = *in++;
    }
    out[n] = 0;
}

Test(rv_enc, disassembler_reads_the_golden_table)
{
    unsigned ng, bad = 0, seen = 0;
    golden *g = load_golden(&ng);
    for (unsigned k = 0; k < ng; k++) {
        char text[128], a[160], b[160];
        uint32_t len = rv_disasm(g[k].bytes, g[k].n, 0, 0x1000, text, sizeof text);
        if (len != g[k].n) {
            cr_log_error("%s: disassembler takes %u of %u bytes (%s)", g[k].text, len, g[k].n, text);
            bad++;
            continue;
        }
        normalise(g[k].text, a, sizeof a);
        normalise(text, b, sizeof b);
        if (strcmp(a, b)) {
            cr_log_error("%s: disassembler says \"%s\" (%s / %s)", g[k].text, text, a, b);
            bad++;
        }
        seen++;
    }
    free(g);
    cr_assert_eq(bad, 0, "%u of %u golden encodings disassemble differently", bad, ng);
    cr_assert_geq(seen, 150);
}

/* ---- the compressor (rv_compress): each 32-bit form to the golden-tested
 * 16-bit encoder's output, and what has no twin (or must keep its size)
 * back unchanged; the listing disassembler reads every result as a C. form */
Test(rv_enc, compressor_picks_the_16_bit_twin)
{
    const uint32_t pairs[][2] = {
        {rv_addi(RV_A0, RV_ZERO, -32), rv_c_li(RV_A0, -32)},
        {rv_addi(RV_T1, RV_ZERO, 31), rv_c_li(RV_T1, 31)},
        {rv_addi(RV_A0, RV_T0, 0), rv_c_mv(RV_A0, RV_T0)},
        {rv_addi(RV_S10, RV_SP, 0), rv_c_mv(RV_S10, RV_SP)},
        {rv_addi(RV_T3, RV_T3, -1), rv_c_addi(RV_T3, -1)},
        {rv_addi(RV_SP, RV_SP, -64), rv_c_addi16sp(-64)},
        {rv_addi(RV_SP, RV_SP, 8), rv_c_addi(RV_SP, 8)},
        {rv_addi(RV_A1, RV_SP, 1020), rv_c_addi4spn(RV_A1, 1020)},
        {rv_slli(RV_T0, RV_T0, 31), rv_c_slli(RV_T0, 31)},
        {rv_srli(RV_A5, RV_A5, 1), rv_c_srli(RV_A5, 1)},
        {rv_srai(RV_S1, RV_S1, 16), rv_c_srai(RV_S1, 16)},
        {rv_andi(RV_A0, RV_A0, -1), rv_c_andi(RV_A0, -1)},
        {rv_add(RV_T4, RV_T4, RV_S11), rv_c_add(RV_T4, RV_S11)},
        {rv_add(RV_T4, RV_S11, RV_T4), rv_c_add(RV_T4, RV_S11)},
        {rv_add(RV_A0, RV_ZERO, RV_T2), rv_c_mv(RV_A0, RV_T2)},
        {rv_add(RV_A0, RV_T2, RV_ZERO), rv_c_mv(RV_A0, RV_T2)},
        {rv_sub(RV_A0, RV_A0, RV_A1), rv_c_sub(RV_A0, RV_A1)},
        {rv_xor(RV_S0, RV_S0, RV_A5), rv_c_xor(RV_S0, RV_A5)},
        {rv_or(RV_A2, RV_A3, RV_A2), rv_c_or(RV_A2, RV_A3)},
        {rv_and(RV_A4, RV_A4, RV_S1), rv_c_and(RV_A4, RV_S1)},
        {rv_lui(RV_T0, 0xfffe0u), rv_c_lui(RV_T0, 0xfffe0u)},
        {rv_lui(RV_A0, 31), rv_c_lui(RV_A0, 31)},
        {rv_lw(RV_RA, RV_SP, 252), rv_c_lwsp(RV_RA, 252)},
        {rv_sw(RV_ZERO, RV_SP, 0), rv_c_swsp(RV_ZERO, 0)},
        {rv_lw(RV_A0, RV_S0, 124), rv_c_lw(RV_A0, RV_S0, 124)},
        {rv_sw(RV_A5, RV_S1, 4), rv_c_sw(RV_A5, RV_S1, 4)},
        {rv_jalr(RV_ZERO, RV_T0, 0), rv_c_jr(RV_T0)},
    };
    const uint32_t keep[] = {
        rv_addi(RV_A0, RV_A0, 0),          /* the HI20_LO12 placeholder */
        rv_addi(RV_ZERO, RV_ZERO, 0),
        rv_addi(RV_A0, RV_ZERO, 32),
        rv_addi(RV_A0, RV_A0, 32),
        rv_addi(RV_SP, RV_SP, -528),
        rv_addi(RV_T0, RV_SP, 8),          /* t0 is not x8..x15 */
        rv_addi(RV_A0, RV_SP, 2),
        rv_addi(RV_A0, RV_A1, 1),
        rv_slli(RV_A0, RV_A1, 1),
        rv_slli(RV_A0, RV_A0, 0),
        rv_srli(RV_T0, RV_T0, 1),
        rv_srai(RV_A0, RV_A1, 1),
        rv_andi(RV_A0, RV_A0, 32),
        rv_andi(RV_T0, RV_T0, 1),
        rv_ori(RV_A0, RV_A0, 1),
        rv_add(RV_A0, RV_A1, RV_A2),
        rv_add(RV_ZERO, RV_A1, RV_A2),
        rv_sub(RV_A0, RV_A1, RV_A0),       /* not commutative */
        rv_sub(RV_T0, RV_T0, RV_A0),
        rv_xor(RV_A0, RV_A0, RV_T0),
        rv_sltu(RV_A0, RV_A0, RV_A1),
        rv_mul(RV_A0, RV_A0, RV_A1),
        rv_lui(RV_SP, 1),
        rv_lui(RV_A0, 0),
        rv_lui(RV_A0, 32),
        rv_lw(RV_ZERO, RV_SP, 0),
        rv_lw(RV_A0, RV_SP, 256),
        rv_lw(RV_A0, RV_S0, 128),
        rv_lw(RV_A0, RV_S0, -4),
        rv_lw(RV_T0, RV_S0, 0),
        rv_sw(RV_A0, RV_S0, 2),
        rv_sw(RV_A0, RV_SP, -4),
        rv_lbu(RV_A0, RV_S0, 0),
        rv_jalr(RV_RA, RV_RA, 0),          /* the relocated call */
        rv_jalr(RV_ZERO, RV_T0, 4),
        rv_beq(RV_A0, RV_ZERO, 8),
        rv_jal(RV_ZERO, 8),
        rv_auipc(RV_T0, 0),
        rv_c_nop(),
        RV_BAD,
    };
    unsigned n = 0;
    for (unsigned i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char text[128];
        uint8_t b[4];
        uint32_t got = rv_compress(pairs[i][0]);
        cr_assert_neq(pairs[i][1], RV_BAD, "case %u: the expected form is unencodable", i);
        cr_assert_eq(rv_size(pairs[i][0]), 4, "case %u", i);
        cr_assert_eq(got, pairs[i][1], "case %u: 0x%08x gives 0x%04x, not 0x%04x", i, pairs[i][0],
                     got, pairs[i][1]);
        rv_put(b, got);
        cr_assert_eq(rv_disasm(b, 2, 0, 0x1000, text, sizeof text), 2, "case %u", i);
        cr_assert(!strncmp(text, "c.", 2), "case %u: disassembles as \"%s\"", i, text);
        n++;
    }
    for (unsigned i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        cr_assert_neq(keep[i], 0, "keep case %u", i);
        cr_assert_eq(rv_compress(keep[i]), keep[i], "keep case %u: 0x%08x changed to 0x%08x", i,
                     keep[i], rv_compress(keep[i]));
        n++;
    }
    cr_assert_geq(n, 60);
}
