/*
 * Xtensa encoders (backends/xtensa/xt_enc.h) against the GNU assembler.
 *
 * Every G("asm text", enc...) below is assembled by tools/gen-golden-xtensa
 * into tests/golden/xtensa.txt with xtensa-lx106-elf-as --no-transform (so
 * the assembler neither narrows nor widens nor relaxes anything), each case
 * at a 4-aligned address, and linked so that calls and literals are
 * resolved. This test compares the encoders' bytes with that table. Cases
 * whose position matters (CALL0, L32R) are encoded here for pc 0 (any
 * 4-aligned address gives the same bytes). Branch targets are written
 * `.+N` / `.-N` (N = the offset from the branch itself).
 *
 * lx106 has no windowed registers and no DIV32: ENTRY, RETW, CALL8, CALLX8,
 * QUOU... cannot be assembled by this binutils; they are tested by execution
 * on qemu-xtensa -cpu dc233c (tests/xtensa/, step xtensa-sim).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xtensa/xt_enc.h"

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
        /* RST0: arithmetic and logic */
        G("add a2, a3, a4", xt_add(XT_A2, XT_A3, XT_A4)),
        G("add a15, a0, a1", xt_add(XT_A15, XT_A0, XT_A1)),
        G("addx2 a5, a6, a7", xt_addx2(XT_A5, XT_A6, XT_A7)),
        G("addx4 a8, a9, a10", xt_addx4(XT_A8, XT_A9, XT_A10)),
        G("addx8 a11, a12, a13", xt_addx8(XT_A11, XT_A12, XT_A13)),
        G("sub a2, a3, a4", xt_sub(XT_A2, XT_A3, XT_A4)),
        G("sub a14, a15, a0", xt_sub(XT_A14, XT_A15, XT_A0)),
        G("subx2 a1, a2, a3", xt_subx2(XT_A1, XT_A2, XT_A3)),
        G("subx4 a4, a5, a6", xt_subx4(XT_A4, XT_A5, XT_A6)),
        G("subx8 a7, a8, a9", xt_subx8(XT_A7, XT_A8, XT_A9)),
        G("and a2, a3, a4", xt_and(XT_A2, XT_A3, XT_A4)),
        G("or a10, a11, a12", xt_or(XT_A10, XT_A11, XT_A12)),
        G("or a2, a3, a3", xt_mov(XT_A2, XT_A3)),
        G("xor a13, a14, a15", xt_xor(XT_A13, XT_A14, XT_A15)),
        G("neg a2, a3", xt_neg(XT_A2, XT_A3)),
        G("neg a15, a15", xt_neg(XT_A15, XT_A15)),
        G("abs a4, a5", xt_abs(XT_A4, XT_A5)),
        /* ST0: jumps and calls through registers, system */
        G("ret", xt_ret()),
        G("jx a5", xt_jx(XT_A5)),
        G("jx a0", xt_jx(XT_A0)),
        G("callx0 a5", xt_callx0(XT_A5)),
        G("callx0 a15", xt_callx0(XT_A15)),
        G("isync", xt_isync()),
        G("dsync", xt_dsync()),
        G("memw", xt_memw()),
        G("nop", xt_nop()),
        G("break 1, 2", xt_break(1, 2)),
        G("break 15, 15", xt_break(15, 15)),
        G("syscall", xt_syscall()),
        G("simcall", xt_simcall()),
        G("rsil a2, 3", xt_rsil(XT_A2, 3)),
        G("rsil a15, 15", xt_rsil(XT_A15, 15)),
        G("ill", XT_BAD),
        /* ST1: the shift amount register, NSA */
        G("ssr a2", xt_ssr(XT_A2)),
        G("ssl a15", xt_ssl(XT_A15)),
        G("ssa8l a3", xt_ssa8l(XT_A3)),
        G("ssai 0", xt_ssai(0)),
        G("ssai 17", xt_ssai(17)),
        G("ssai 31", xt_ssai(31)),
        G("nsa a2, a3", xt_nsa(XT_A2, XT_A3)),
        G("nsau a4, a5", xt_nsau(XT_A4, XT_A5)),
        /* RST1: shifts, special registers, MUL16 */
        G("slli a2, a3, 1", xt_slli(XT_A2, XT_A3, 1)),
        G("slli a2, a3, 16", xt_slli(XT_A2, XT_A3, 16)),
        G("slli a4, a5, 17", xt_slli(XT_A4, XT_A5, 17)),
        G("slli a15, a14, 31", xt_slli(XT_A15, XT_A14, 31)),
        G("srai a2, a3, 0", xt_srai(XT_A2, XT_A3, 0)),
        G("srai a2, a3, 15", xt_srai(XT_A2, XT_A3, 15)),
        G("srai a6, a7, 16", xt_srai(XT_A6, XT_A7, 16)),
        G("srai a8, a9, 31", xt_srai(XT_A8, XT_A9, 31)),
        G("srli a2, a3, 0", xt_srli(XT_A2, XT_A3, 0)),
        G("srli a10, a11, 15", xt_srli(XT_A10, XT_A11, 15)),
        G("src a2, a3, a4", xt_src(XT_A2, XT_A3, XT_A4)),
        G("src a15, a0, a1", xt_src(XT_A15, XT_A0, XT_A1)),
        G("srl a2, a3", xt_srl(XT_A2, XT_A3)),
        G("sll a4, a5", xt_sll(XT_A4, XT_A5)),
        G("sra a6, a7", xt_sra(XT_A6, XT_A7)),
        G("xsr a2, sar", xt_xsr(XT_A2, XT_SR_SAR)),
        G("mul16u a2, a3, a4", xt_mul16u(XT_A2, XT_A3, XT_A4)),
        G("mul16s a5, a6, a7", xt_mul16s(XT_A5, XT_A6, XT_A7)),
        /* RST2: MUL32 */
        G("mull a2, a3, a4", xt_mull(XT_A2, XT_A3, XT_A4)),
        G("mull a15, a14, a13", xt_mull(XT_A15, XT_A14, XT_A13)),
        /* RST3: special registers, conditional moves */
        G("rsr a2, sar", xt_rsr(XT_A2, XT_SR_SAR)),
        G("rsr a3, ps", xt_rsr(XT_A3, XT_SR_PS)),
        G("rsr a4, ccount", xt_rsr(XT_A4, XT_SR_CCOUNT)),
        G("wsr a5, sar", xt_wsr(XT_A5, XT_SR_SAR)),
        G("wsr a6, ps", xt_wsr(XT_A6, XT_SR_PS)),
        G("moveqz a2, a3, a4", xt_moveqz(XT_A2, XT_A3, XT_A4)),
        G("movnez a5, a6, a7", xt_movnez(XT_A5, XT_A6, XT_A7)),
        G("movltz a8, a9, a10", xt_movltz(XT_A8, XT_A9, XT_A10)),
        G("movgez a11, a12, a13", xt_movgez(XT_A11, XT_A12, XT_A13)),
        /* EXTUI */
        G("extui a2, a3, 0, 1", xt_extui(XT_A2, XT_A3, 0, 1)),
        G("extui a2, a3, 17, 5", xt_extui(XT_A2, XT_A3, 17, 5)),
        G("extui a4, a5, 16, 16", xt_extui(XT_A4, XT_A5, 16, 16)),
        G("extui a6, a7, 31, 1", xt_extui(XT_A6, XT_A7, 31, 1)),
        G("extui a8, a9, 8, 8", xt_extui(XT_A8, XT_A9, 8, 8)),
        /* L32R (pc 0) */
        G("l32r a2, .-4", xt_l32r(XT_A2, 0, 0xfffffffcu)),
        G("l32r a15, .-262144", xt_l32r(XT_A15, 0, (uint32_t)-262144)),
        G("l32r a3, .-0x1234", xt_l32r(XT_A3, 0, (uint32_t)-0x1234)),
        /* LSAI: loads, stores, MOVI, ADDI, ADDMI */
        G("l8ui a2, a3, 0", xt_l8ui(XT_A2, XT_A3, 0)),
        G("l8ui a4, a5, 255", xt_l8ui(XT_A4, XT_A5, 255)),
        G("l16ui a6, a7, 510", xt_l16ui(XT_A6, XT_A7, 510)),
        G("l16si a2, a3, 2", xt_l16si(XT_A2, XT_A3, 2)),
        G("l16si a8, a1, 510", xt_l16si(XT_A8, XT_A1, 510)),
        G("l32i a2, a1, 0", xt_l32i(XT_A2, XT_A1, 0)),
        G("l32i a9, a10, 1020", xt_l32i(XT_A9, XT_A10, 1020)),
        G("s8i a2, a3, 7", xt_s8i(XT_A2, XT_A3, 7)),
        G("s16i a4, a5, 256", xt_s16i(XT_A4, XT_A5, 256)),
        G("s32i a0, a1, 12", xt_s32i(XT_A0, XT_A1, 12)),
        G("s32i a15, a14, 1020", xt_s32i(XT_A15, XT_A14, 1020)),
        G("movi a2, 0", xt_movi(XT_A2, 0)),
        G("movi a3, -1", xt_movi(XT_A3, -1)),
        G("movi a4, 2047", xt_movi(XT_A4, 2047)),
        G("movi a5, -2048", xt_movi(XT_A5, -2048)),
        G("movi a6, 0x123", xt_movi(XT_A6, 0x123)),
        G("addi a2, a3, 0", xt_addi(XT_A2, XT_A3, 0)),
        G("addi a1, a1, -128", xt_addi(XT_A1, XT_A1, -128)),
        G("addi a4, a5, 127", xt_addi(XT_A4, XT_A5, 127)),
        G("addmi a2, a3, -32768", xt_addmi(XT_A2, XT_A3, -32768)),
        G("addmi a4, a5, 32512", xt_addmi(XT_A4, XT_A5, 32512)),
        G("addmi a6, a7, 256", xt_addmi(XT_A6, XT_A7, 256)),
        /* CALLN (pc 0) */
        G("call0 .+4", xt_call0(0, 4)),
        G("call0 .+16", xt_call0(0, 16)),
        G("call0 .-4", xt_call0(0, (uint32_t)-4)),
        G("call0 .+524288", xt_call0(0, 524288)),
        G("call0 .-524284", xt_call0(0, (uint32_t)-524284)),
        /* SI: J, BZ, BI0, BI1 */
        G("j .+4", xt_j(4)),
        G("j .+0", xt_j(0)),
        G("j .-131068", xt_j(-131068)),
        G("j .+131075", xt_j(131075)),
        G("j .+0x555", xt_j(0x555)),
        G("beqz a2, .+4", xt_beqz(XT_A2, 4)),
        G("bnez a3, .-2044", xt_bnez(XT_A3, -2044)),
        G("bltz a4, .+2051", xt_bltz(XT_A4, 2051)),
        G("bgez a15, .+0x123", xt_bgez(XT_A15, 0x123)),
        G("beqi a2, -1, .+10", xt_beqi(XT_A2, -1, 10)),
        G("bnei a3, 256, .-124", xt_bnei(XT_A3, 256, -124)),
        G("blti a4, 1, .+131", xt_blti(XT_A4, 1, 131)),
        G("bgei a5, 12, .+4", xt_bgei(XT_A5, 12, 4)),
        G("bltui a2, 32768, .+8", xt_bltui(XT_A2, 32768, 8)),
        G("bgeui a3, 65536, .-20", xt_bgeui(XT_A3, 65536, -20)),
        G("bgeui a6, 16, .+100", xt_bgeui(XT_A6, 16, 100)),
        /* B: register-register branches, bit tests */
        G("beq a2, a3, .+16", xt_beq(XT_A2, XT_A3, 16)),
        G("bne a4, a5, .-124", xt_bne(XT_A4, XT_A5, -124)),
        G("blt a6, a7, .+131", xt_blt(XT_A6, XT_A7, 131)),
        G("bge a8, a9, .+4", xt_bge(XT_A8, XT_A9, 4)),
        G("bltu a10, a11, .+0", xt_bltu(XT_A10, XT_A11, 0)),
        G("bgeu a12, a13, .-1", xt_bgeu(XT_A12, XT_A13, -1)),
        G("bany a2, a3, .+20", xt_bany(XT_A2, XT_A3, 20)),
        G("bnone a4, a5, .+20", xt_bnone(XT_A4, XT_A5, 20)),
        G("ball a6, a7, .+20", xt_ball(XT_A6, XT_A7, 20)),
        G("bnall a8, a9, .+20", xt_bnall(XT_A8, XT_A9, 20)),
        G("bbc a10, a11, .+20", xt_bbc(XT_A10, XT_A11, 20)),
        G("bbs a12, a13, .+20", xt_bbs(XT_A12, XT_A13, 20)),
        G("bbci a2, 0, .+8", xt_bbci(XT_A2, 0, 8)),
        G("bbci a2, 20, .+8", xt_bbci(XT_A2, 20, 8)),
        G("bbsi a3, 15, .-8", xt_bbsi(XT_A3, 15, -8)),
        G("bbsi a4, 31, .+40", xt_bbsi(XT_A4, 31, 40)),
        /* Code Density: 16-bit forms */
        G("l32i.n a2, a3, 0", xt_l32i_n(XT_A2, XT_A3, 0)),
        G("l32i.n a15, a1, 60", xt_l32i_n(XT_A15, XT_A1, 60)),
        G("s32i.n a0, a1, 4", xt_s32i_n(XT_A0, XT_A1, 4)),
        G("s32i.n a14, a13, 60", xt_s32i_n(XT_A14, XT_A13, 60)),
        G("add.n a2, a3, a4", xt_add_n(XT_A2, XT_A3, XT_A4)),
        G("add.n a15, a15, a15", xt_add_n(XT_A15, XT_A15, XT_A15)),
        G("addi.n a2, a3, -1", xt_addi_n(XT_A2, XT_A3, -1)),
        G("addi.n a2, a3, 1", xt_addi_n(XT_A2, XT_A3, 1)),
        G("addi.n a1, a1, 15", xt_addi_n(XT_A1, XT_A1, 15)),
        G("movi.n a2, 0", xt_movi_n(XT_A2, 0)),
        G("movi.n a3, -32", xt_movi_n(XT_A3, -32)),
        G("movi.n a4, 95", xt_movi_n(XT_A4, 95)),
        G("movi.n a5, -1", xt_movi_n(XT_A5, -1)),
        G("movi.n a6, 17", xt_movi_n(XT_A6, 17)),
        G("beqz.n a2, .+4", xt_beqz_n(XT_A2, 4)),
        G("beqz.n a7, .+67", xt_beqz_n(XT_A7, 67)),
        G("bnez.n a3, .+10", xt_bnez_n(XT_A3, 10)),
        G("bnez.n a15, .+36", xt_bnez_n(XT_A15, 36)),
        G("mov.n a2, a3", xt_mov_n(XT_A2, XT_A3)),
        G("mov.n a1, a15", xt_mov_n(XT_A1, XT_A15)),
        G("ret.n", xt_ret_n()),
        G("break.n 3", xt_break_n(3)),
        G("nop.n", xt_nop_n()),
        G("ill.n", xt_ill_n()),
        /* sequences: a 16-bit form followed by a 24-bit one */
        G("movi.n a2, 5; mull a2, a2, a2; ret.n", xt_movi_n(XT_A2, 5), xt_mull(XT_A2, XT_A2, XT_A2),
          xt_ret_n()),
        G("ssl a3; sll a2, a2; ssr a3; src a4, a5, a4", xt_ssl(XT_A3), xt_sll(XT_A2, XT_A2),
          xt_ssr(XT_A3), xt_src(XT_A4, XT_A5, XT_A4)),
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
    FILE *f = fopen("tests/golden/xtensa.txt", "r");
    cr_assert(f, "tests/golden/xtensa.txt is missing (run tools/gen-golden-xtensa)");
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

Test(xt_enc, matches_gnu_as)
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
            cr_log_error("%s: not in tests/golden/xtensa.txt (run tools/gen-golden-xtensa)", cases[i].text);
            bad++;
            continue;
        }
        uint8_t b[24];
        unsigned n = 0;
        for (unsigned k = 0; k < cases[i].n; k++)
            n += xt_put(b + n, cases[i].enc[k]);
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
Test(xt_enc, unencodable_gives_sentinel)
{
    cr_assert_eq(xt_add(16, XT_A1, XT_A2), XT_BAD);
    cr_assert_eq(xt_addi(XT_A2, XT_A3, 128), XT_BAD);
    cr_assert_eq(xt_addi(XT_A2, XT_A3, -129), XT_BAD);
    cr_assert_eq(xt_addmi(XT_A2, XT_A3, 255), XT_BAD);
    cr_assert_eq(xt_addmi(XT_A2, XT_A3, 32768), XT_BAD);
    cr_assert_eq(xt_movi(XT_A2, 2048), XT_BAD);
    cr_assert_eq(xt_movi(XT_A2, -2049), XT_BAD);
    cr_assert_eq(xt_slli(XT_A2, XT_A3, 0), XT_BAD);
    cr_assert_eq(xt_slli(XT_A2, XT_A3, 32), XT_BAD);
    cr_assert_eq(xt_srli(XT_A2, XT_A3, 16), XT_BAD);
    cr_assert_eq(xt_srai(XT_A2, XT_A3, 32), XT_BAD);
    cr_assert_eq(xt_ssai(32), XT_BAD);
    cr_assert_eq(xt_extui(XT_A2, XT_A3, 0, 0), XT_BAD);
    cr_assert_eq(xt_extui(XT_A2, XT_A3, 0, 17), XT_BAD);
    cr_assert_eq(xt_extui(XT_A2, XT_A3, 32, 1), XT_BAD);
    cr_assert_eq(xt_l32i(XT_A2, XT_A3, 2), XT_BAD);
    cr_assert_eq(xt_l32i(XT_A2, XT_A3, 1024), XT_BAD);
    cr_assert_eq(xt_l32i(XT_A2, XT_A3, -4), XT_BAD);
    cr_assert_eq(xt_l16ui(XT_A2, XT_A3, 1), XT_BAD);
    cr_assert_eq(xt_l16si(XT_A2, XT_A3, 512), XT_BAD);
    cr_assert_eq(xt_s8i(XT_A2, XT_A3, 256), XT_BAD);
    cr_assert_eq(xt_ls((enum xt_ls)3, XT_A2, XT_A3, 0), XT_BAD);
    cr_assert_eq(xt_l32r(XT_A2, 0, 0), XT_BAD);                 /* not before */
    cr_assert_eq(xt_l32r(XT_A2, 0, (uint32_t)-2), XT_BAD);      /* unaligned */
    cr_assert_eq(xt_l32r(XT_A2, 0, (uint32_t)-262148), XT_BAD); /* too far */
    cr_assert_neq(xt_l32r(XT_A2, 1, 0), XT_BAD);                /* (1 + 3) & ~3 = 4 */
    cr_assert_eq(xt_l32r(XT_A2, 1, 4), XT_BAD);
    cr_assert_eq(xt_call0(0, 2), XT_BAD);
    cr_assert_eq(xt_call0(0, 524292), XT_BAD);
    cr_assert_eq(xt_call0(0, (uint32_t)-524288), XT_BAD);
    cr_assert_eq(xt_calln(4, 0, 16), XT_BAD);
    cr_assert_eq(xt_j(131076), XT_BAD);
    cr_assert_eq(xt_j(-131069), XT_BAD);
    cr_assert_eq(xt_beqz(XT_A2, 2052), XT_BAD);
    cr_assert_eq(xt_beqz(XT_A2, -2045), XT_BAD);
    cr_assert_eq(xt_beq(XT_A2, XT_A3, 132), XT_BAD);
    cr_assert_eq(xt_beq(XT_A2, XT_A3, -125), XT_BAD);
    cr_assert_eq(xt_br((enum xt_br)6, XT_A2, XT_A3, 8), XT_BAD);
    cr_assert_eq(xt_beqi(XT_A2, 9, 8), XT_BAD);                  /* not a B4CONST */
    cr_assert_eq(xt_bltui(XT_A2, 1, 8), XT_BAD);                 /* not a B4CONSTU */
    cr_assert_eq(xt_bbci(XT_A2, 32, 8), XT_BAD);
    cr_assert_eq(xt_beqz_n(XT_A2, 3), XT_BAD);                   /* backward */
    cr_assert_eq(xt_beqz_n(XT_A2, 68), XT_BAD);
    cr_assert_eq(xt_movi_n(XT_A2, 96), XT_BAD);
    cr_assert_eq(xt_movi_n(XT_A2, -33), XT_BAD);
    cr_assert_eq(xt_addi_n(XT_A2, XT_A3, 0), XT_BAD);
    cr_assert_eq(xt_addi_n(XT_A2, XT_A3, 16), XT_BAD);
    cr_assert_eq(xt_l32i_n(XT_A2, XT_A3, 64), XT_BAD);
    cr_assert_eq(xt_s32i_n(XT_A2, XT_A3, 2), XT_BAD);
    cr_assert_eq(xt_entry(XT_A1, 12), XT_BAD);
    cr_assert_eq(xt_entry(XT_A1, 32768), XT_BAD);
    cr_assert_eq(xt_callxn(0, XT_A2), XT_BAD);
    cr_assert_eq(xt_break_n(16), XT_BAD);
    cr_assert_eq(xt_rsr(16, XT_SR_SAR), XT_BAD);
    cr_assert_eq(xt_rsr(XT_A2, 256), XT_BAD);
}

/* ---- sizes: op0 8..13 are the 16-bit forms --------------------------------- */
Test(xt_enc, sizes)
{
    cr_assert_eq(xt_size(xt_add_n(XT_A2, XT_A3, XT_A4)), 2);
    cr_assert_eq(xt_size(xt_mov_n(XT_A2, XT_A3)), 2);
    cr_assert_eq(xt_size(xt_movi_n(XT_A2, 3)), 2);
    cr_assert_eq(xt_size(xt_l32i_n(XT_A2, XT_A3, 4)), 2);
    cr_assert_eq(xt_size(xt_add(XT_A2, XT_A3, XT_A4)), 3);
    cr_assert_eq(xt_size(xt_l32r(XT_A2, 0, (uint32_t)-4)), 3);
    cr_assert_eq(xt_size(xt_entry(XT_A1, 32)), 3);
    cr_assert_eq(xt_size(XT_BAD), 3);
    uint8_t b[3] = {0}, c[3];
    uint32_t v = 0;
    cr_assert_eq(xt_put(b, xt_mull(XT_A2, XT_A3, XT_A4)), 3);
    cr_assert_eq(xt_get(b, 3, &v), 3);
    cr_assert_eq(v, xt_mull(XT_A2, XT_A3, XT_A4));
    cr_assert_eq(xt_get(b, 2, &v), 0);
    memset(c, 0xee, sizeof c);
    cr_assert_eq(xt_put(c, xt_ret_n()), 2);
    cr_assert_eq(c[2], 0xee, "a 16-bit form writes two bytes");
}

/* ---- the listing disassembler reads back every golden encoding ------------- */
unsigned xt_disasm(const uint8_t *code, uint32_t code_len, uint32_t off, uint32_t addr,
                   char *buf, size_t size);

/* every number token as decimal (".+0x10" as ".+16", "0x7ff" as "2047"),
 * the " <0x...>" target comments of the disassembler dropped, ";" between
 * instructions as in the case texts */
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
        int start = n == 0 || out[n - 1] == ' ' || out[n - 1] == ',';
        const char *p = in;
        const char *pre = "";
        if (start && p[0] == '.' && (p[1] == '+' || p[1] == '-'))
            pre = p[1] == '+' ? ".+" : ".-", p += 2;
        if (start && ((*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9'))) {
            char *end;
            long long v = strtoll(p, &end, 0);
            if (*end == 0 || *end == ',' || *end == ';' || *end == ' ') {
                n += (size_t)snprintf(out + n, size - n, "%s%lld", pre, v);
                in = end;
                continue;
            }
        }
        out[n++] = *in++;
    }
    out[n] = 0;
}

Test(xt_enc, disassembler_reads_the_golden_table)
{
    unsigned ng, bad = 0, seen = 0;
    golden *g = load_golden(&ng);
    for (unsigned k = 0; k < ng; k++) {
        char text[256], one[128], a[300], b[300];
        uint32_t off = 0;
        text[0] = 0;
        while (off < g[k].n) {
            uint32_t len = xt_disasm(g[k].bytes, g[k].n, off, off, one, sizeof one);
            if (len == 0)
                break;
            if (off)
                strcat(text, "; ");
            strcat(text, one);
            off += len;
        }
        if (off != g[k].n) {
            cr_log_error("%s: disassembler stops at %u of %u bytes (%s)", g[k].text, off, g[k].n, text);
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
