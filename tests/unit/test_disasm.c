/*
 * Unit tests: the disassembler (compiler/fc_disasm.c), and the round trip
 * asm -> bytes -> disassembly -> asm -> same bytes for every program of the
 * conformance suite. The suite's directory comes from FC_CONFORMANCE_DIR
 * (set by the unit step); without it these tests fail.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_asm.h"
#include "fc_disasm.h"
#include "fc_isa.h"
#include "fc_testdata.h"

static fc_insn w2i(uint64_t w)
{
    return fc_insn_make((uint8_t)w, (unsigned)(w >> 8) & 0xfu, (unsigned)(w >> 12) & 0xfu,
                        (int16_t)(uint16_t)(w >> 16), (int32_t)(uint32_t)(w >> 32));
}

/* ---- decoding ------------------------------------------------------------- */
static const struct {
    uint64_t w[2];
    const char *text;
} dec[] = {
    {{0x00000001000000b7ull}, "mov %r0, 1"},
    {{0xfffffffd00000004ull}, "add32 %r0, -3"},
    {{0x0000000000021079ull}, "ldxdw %r0, [%r1+2]"},
    {{0x0000000000001061ull}, "ldxw %r0, [%r1]"},
    {{0x00000000fff81a73ull}, "stxb [%r10-8], %r1"},
    {{0x00000001fff81ac3ull}, "lock fetch add32 [%r10-8], %r1"},
    {{0x000000f1000021dbull}, "lock cmpxchg [%r1], %r2"},
    {{0x0000008100030355ull}, "jne %r3, 0x81, +3"},
    {{0x5566778800000018ull, 0x1122334400000000ull}, "lddw %r0, 0x1122334455667788"},
    {{0x0000000100002218ull, 0x0000001000000000ull}, "lddw %r2, .rodata+16"},
    {{0x0000000500000085ull}, "call 5"},
    {{0x0000000400001085ull}, "call local +4"},
    {{0xfffffffe00001085ull}, "call local -2"},
    {{0x000000000000028dull}, "call %r2"},
    {{0x0000000000000095ull}, "exit"},
    {{0x00000010000000dcull}, "be16 %r0"},
    {{0x00000040000000d7ull}, "bswap64 %r0"},
    {{0x00000000000810bcull}, "movsx832 %r0, %r1"},
    {{0x0001117000000006ull}, "ja32 +70000"},
    {{0x00000000ffff0005ull}, "ja -1"},
    {{0x0000000000000005ull}, "ja +0"},
    {{0x0000000300010134ull}, "sdiv32 %r1, 3"},
    {{0xffffffff00040162ull}, "stw [%r1+4], -1"},
    {{0x8000000000010115ull}, "jeq %r1, 0x80000000, +1"},
    {{0x0000000b000000b7ull}, "mov %r0, 0xb"},
    {{0xfffffff6000000b7ull}, "mov %r0, -10"},
    {{0x0000000a000000b7ull}, "mov %r0, 10"},
    {{0x00000000fffe2189ull}, "ldxsh %r1, [%r2-2]"},
    {{0x0000000000000387ull}, "neg %r3"},
    {{0x0000000100010007ull}, ".insn 0x0000000100010007  # invalid: undefined variant of the opcode (offset or immediate)"},
    {{0x0000000000000195ull}, ".insn 0x0000000000000195  # invalid: invalid or reserved destination register"},
    {{0x00000000000000ffull}, ".insn 0x00000000000000ff  # invalid: unknown opcode"},
    {{0x0000000000000020ull}, ".insn 0x0000000000000020  # invalid: legacy packet access (LD_ABS/LD_IND) is not supported"},
    {{0x0000000000000b07ull}, ".insn 0x0000000000000b07  # invalid: invalid or reserved destination register"},
};

Test(disasm, decodes)
{
    for (size_t k = 0; k < sizeof dec / sizeof dec[0]; k++) {
        fc_insn p[2] = {w2i(dec[k].w[0]), w2i(dec[k].w[1])};
        char buf[160];
        size_t n = dec[k].w[0] == 0 ? 1 : (fc_insn_slots(p[0]) == 2 ? 2 : 1);
        unsigned used = fc_disasm_insn(p, n, 0, buf, sizeof buf);
        cr_expect_str_eq(buf, dec[k].text, "0x%016llx", (unsigned long long)dec[k].w[0]);
        cr_expect_eq(used, n, "%s: %u slots", dec[k].text, used);
    }
}

Test(disasm, lddw_needs_its_second_slot)
{
    fc_insn p[2] = {w2i(0x5566778800000018ull), w2i(0x0000000000000095ull)};
    char buf[160];
    cr_expect_eq(fc_disasm_insn(p, 1, 0, buf, sizeof buf), 1);
    cr_expect_str_eq(buf, ".insn 0x5566778800000018  # invalid: lddw without a valid second slot");
    cr_expect_eq(fc_disasm_insn(p, 2, 0, buf, sizeof buf), 1, "second slot is not a lddw tail");
    cr_expect_eq(fc_disasm_insn(p, 2, 2, buf, sizeof buf), 0, "pc past the end");
    cr_expect_str_eq(buf, "");
}

Test(disasm, truncates_and_terminates)
{
    fc_insn p[2] = {w2i(0x5566778800000018ull), w2i(0x1122334400000000ull)};
    char buf[8];
    memset(buf, 'x', sizeof buf);
    cr_expect_eq(fc_disasm_insn(p, 2, 0, buf, sizeof buf), 2);
    cr_expect_str_eq(buf, "lddw %r");
    cr_expect_eq(fc_disasm_insn(p, 2, 0, NULL, 0), 2);
}

Test(disasm, listing)
{
    const char *src = "mov %r0, 1\nlddw %r1, 0x10\njne %r0, 1, -4\nexit\n";
    fc_insn *p;
    size_t n, need;
    fc_asm_error e;
    char buf[512];
    cr_assert_eq(fc_asm(src, strlen(src), &p, &n, &e), 0, "%s", e.msg);
    need = fc_disasm_prog_buf(p, n, 0, buf, sizeof buf);
    cr_expect_str_eq(buf, "mov %r0, 1\nlddw %r1, 0x10\njne %r0, 1, -4\nexit\n");
    cr_expect_eq(need, strlen(buf));
    need = fc_disasm_prog_buf(p, n, FC_DISASM_INDEX | FC_DISASM_TARGET, buf, sizeof buf);
    cr_expect_str_eq(buf,
                     "   0: mov %r0, 1\n"
                     "   1: lddw %r1, 0x10\n"
                     "   3: jne %r0, 1, -4  # -> 0\n"
                     "   4: exit\n");
    need = fc_disasm_prog_buf(p, n, FC_DISASM_INDEX | FC_DISASM_RAW, buf, sizeof buf);
    cr_expect_str_eq(buf,
                     "   0: b7 00 00 00 01 00 00 00  mov %r0, 1\n"
                     "   1: 18 01 00 00 10 00 00 00  lddw %r1, 0x10\n"
                     "   2: 00 00 00 00 00 00 00 00\n"
                     "   3: 55 00 fc ff 01 00 00 00  jne %r0, 1, -4\n"
                     "   4: 95 00 00 00 00 00 00 00  exit\n");
    /* snprintf semantics: the length of the whole listing, a truncated copy */
    need = fc_disasm_prog_buf(p, n, 0, buf, 5);
    cr_expect_eq(need, strlen("mov %r0, 1\nlddw %r1, 0x10\njne %r0, 1, -4\nexit\n"));
    cr_expect_str_eq(buf, "mov ");
    free(p);
}

static int count_lines(void *ctx, const char *text, size_t len)
{
    int *c = ctx;
    cr_expect(len > 0 && text[len - 1] == '\n');
    return ++*c == 2 ? 7 : 0;   /* stop after the second line */
}

Test(disasm, sink_can_stop)
{
    fc_insn p[3] = {w2i(0x95), w2i(0x95), w2i(0x95)};
    int c = 0;
    cr_expect_eq(fc_disasm_prog(p, 3, 0, count_lines, &c), 7);
    cr_expect_eq(c, 2);
}

/* One instruction per table row, with nonzero fields, survives
 * disassembly and re-assembly bit for bit. */
Test(disasm, table_round_trip)
{
    for (unsigned k = 1; k < FC_OP_COUNT; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        fc_insn p[2] = {fc_insn_make(r->opcode, 0, 0, 0, 0), fc_insn_make(0, 0, 0, 0, 0)};
        fc_insn *q;
        size_t n = 1, qn;
        char buf[160];
        fc_asm_error e;

        switch ((enum fc_fmt)r->fmt) {
        case FC_FMT_ALU_K: p[0] = fc_insn_make(r->opcode, 3, 0, 0, -7); break;
        case FC_FMT_ALU_X: p[0] = fc_insn_make(r->opcode, 3, 4, 0, 0); break;
        case FC_FMT_NEG: p[0] = fc_insn_make(r->opcode, 5, 0, 0, 0); break;
        case FC_FMT_END: p[0] = fc_insn_make(r->opcode, 6, 0, 0, 0); break;
        case FC_FMT_LDDW:
            p[0] = fc_insn_make(r->opcode, 7, 0, 0, (int32_t)0x89abcdefu);
            p[1] = fc_insn_make(0, 0, 0, 0, 0x01234567);
            n = 2;
            break;
        case FC_FMT_LDX: p[0] = fc_insn_make(r->opcode, 1, 2, -8, 0); break;
        case FC_FMT_ST: p[0] = fc_insn_make(r->opcode, 10, 0, -16, 0x12345678); break;
        case FC_FMT_STX: p[0] = fc_insn_make(r->opcode, 10, 3, 24, 0); break;
        case FC_FMT_ATOMIC: p[0] = fc_insn_make(r->opcode, 10, 3, -8, 0); break;
        case FC_FMT_JA: p[0] = fc_insn_make(r->opcode, 0, 0, -3, 0); break;
        case FC_FMT_JA32: p[0] = fc_insn_make(r->opcode, 0, 0, 0, 70000); break;
        case FC_FMT_JCC_K: p[0] = fc_insn_make(r->opcode, 2, 0, 4, -5); break;
        case FC_FMT_JCC_X: p[0] = fc_insn_make(r->opcode, 2, 9, -1, 0); break;
        case FC_FMT_CALL: p[0] = fc_insn_make(r->opcode, 0, FC_CALL_LOCAL, 0, -2); break;
        case FC_FMT_CALLX: p[0] = fc_insn_make(r->opcode, 3, 0, 0, 0); break;
        case FC_FMT_EXIT: break;
        }
        if (r->disc == FC_DISC_OFF)
            p[0].off = r->disc_value;
        else if (r->disc == FC_DISC_IMM)
            p[0].imm = r->disc_value;
        cr_assert_eq(fc_insn_check(&p[0], n > 1 ? &p[1] : NULL, NULL), FC_INSN_OK, "row %s", r->mnemonic);
        cr_assert_eq(fc_disasm_insn(p, n, 0, buf, sizeof buf), n);
        cr_assert(strncmp(buf, ".insn", 5) != 0, "row %s printed as %s", r->mnemonic, buf);
        cr_assert_eq(fc_asm(buf, strlen(buf), &q, &qn, &e), 0, "'%s': %s", buf, e.msg);
        cr_assert_eq(qn, n, "'%s'", buf);
        cr_expect(memcmp(q, p, n * sizeof *p) == 0, "'%s' does not re-assemble to the same bytes", buf);
        free(q);
    }
}

/* ---- the conformance suite ------------------------------------------------ */
/* Calls fn on every *.data file of $FC_CONFORMANCE_DIR/sub; fails the test
 * when the variable is unset or the directory is missing or empty. */
static size_t for_each_data(const char *sub, void (*fn)(const char *path, const char *name))
{
    const char *root = getenv("FC_CONFORMANCE_DIR");
    char dir[4096];
    DIR *d;
    struct dirent *de;
    size_t count = 0;

    cr_assert(root && *root, "FC_CONFORMANCE_DIR is not set (the unit step sets it to the "
                             "conformance suite's directory)");
    snprintf(dir, sizeof dir, "%s/%s", root, sub);
    d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        char path[8192];
        if (l < 6 || strcmp(de->d_name + l - 5, ".data"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        fn(path, de->d_name);
        count++;
    }
    closedir(d);
    cr_assert_gt(count, 0, "%s holds no .data files", dir);
    return count;
}

/* bytes -> disassembly -> asm must give the same bytes (and the listing is
 * a fixed point). */
static void round_trip(const char *name, const char *what, const fc_insn *a, size_t n)
{
    size_t need = fc_disasm_prog_buf(a, n, 0, NULL, 0);
    char *text = malloc(need + 1), *text2;
    fc_insn *b;
    size_t bn;
    fc_asm_error e;

    cr_assert_not_null(text);
    fc_disasm_prog_buf(a, n, 0, text, need + 1);
    if (fc_asm(text, need, &b, &bn, &e)) {
        cr_expect_fail("%s (%s): disassembly does not assemble: line %u: %s\n%s", name, what, e.line,
                       e.msg, text);
        free(text);
        return;
    }
    cr_expect_eq(bn, n, "%s (%s): %zu slots after the round trip, %zu before", name, what, bn, n);
    if (bn == n)
        cr_expect(memcmp(a, b, n * sizeof *a) == 0, "%s (%s): round trip changed the bytes:\n%s", name,
                  what, text);
    text2 = malloc(need + 1);
    cr_assert_not_null(text2);
    cr_expect_eq(fc_disasm_prog_buf(b, bn, 0, text2, need + 1), need);
    cr_expect_str_eq(text, text2, "%s (%s): listing is not a fixed point", name, what);
    free(text2);
    free(text);
    free(b);
}

static void conformance_case(const char *path, const char *name)
{
    fc_testdata td;
    fc_asm_error e;
    fc_insn *a;
    size_t n;

    if (fc_testdata_load(path, &td, &e)) {
        cr_expect_fail("%s:%u: %s", name, e.line, e.msg);
        return;
    }
    cr_expect(td.has_asm, "%s: no -- asm section", name);
    if (td.has_asm) {
        if (fc_asm(td.asm_text, td.asm_len, &a, &n, &e)) {
            cr_expect_fail("%s:%u: %s", name, e.line, e.msg);
        } else {
            cr_expect_gt(n, 0, "%s: no instructions", name);
            for (size_t pc = 0; pc < n; pc++) {
                unsigned op;
                cr_expect_eq(fc_insn_check(&a[pc], pc + 1 < n ? &a[pc + 1] : NULL, &op), FC_INSN_OK,
                             "%s: slot %zu does not pass fc_insn_check", name, pc);
                if (fc_insn_slots(a[pc]) == 2)
                    pc++;
            }
            if (td.has_raw) {
                cr_expect_eq(n, td.raw_len, "%s: -- asm gives %zu slots, -- raw has %zu", name, n,
                             td.raw_len);
                if (n == td.raw_len)
                    cr_expect(memcmp(a, td.raw, n * sizeof *a) == 0, "%s: -- asm and -- raw differ", name);
            }
            round_trip(name, "asm", a, n);
            free(a);
        }
    }
    if (td.has_raw)
        round_trip(name, "raw", td.raw, td.raw_len);
    fc_testdata_free(&td);
}

Test(conformance, round_trip_every_program)
{
    size_t n = for_each_data("tests", conformance_case);
    cr_log_info("round trip: %zu conformance programs", n);
}

/* The negative cases' raw programs hold invalid instructions: they
 * disassemble as .insn and still re-assemble to the same bytes. */
static void negative_raw(const char *path, const char *name)
{
    fc_testdata td;
    fc_asm_error e;
    if (fc_testdata_load(path, &td, &e))
        return;   /* malformed on purpose: the negative step checks these */
    if (td.has_raw && td.raw_len)
        round_trip(name, "raw", td.raw, td.raw_len);
    fc_testdata_free(&td);
}

Test(conformance, round_trip_negative_raw)
{
    for_each_data("negative", negative_raw);
}
