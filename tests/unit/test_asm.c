/*
 * Unit tests: the assembler (compiler/fc_asm.c) and the .data reader
 * (compiler/fc_testdata.c).
 *
 * Expected encodings are written as the suite's 64-bit `-- raw` words
 * (opcode in the low byte); they follow RFC 9669 and were checked against
 * llvm-mc-19 -triple bpfel -mcpu=v4 where LLVM has the instruction.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_asm.h"
#include "fc_isa.h"
#include "fc_testdata.h"

static uint64_t word(fc_insn i)
{
    return (uint64_t)i.op | ((uint64_t)i.regs << 8) | ((uint64_t)(uint16_t)i.off << 16) |
           ((uint64_t)(uint32_t)i.imm << 32);
}

static int assemble(const char *src, fc_insn **out, size_t *n, fc_asm_error *err)
{
    return fc_asm(src, strlen(src), out, n, err);
}

/* ---- encodings ------------------------------------------------------------ */
static const struct {
    const char *src;
    uint64_t w[2];
} enc[] = {
    {"mov %r0, 1", {0x00000001000000b7ull}},
    {"add32 %r0, -3", {0xfffffffd00000004ull}},
    {"ldxdw %r0, [%r1+2]", {0x0000000000021079ull}},
    {"stxb [%r10-8], %r1", {0x00000000fff81a73ull}},
    {"lock fetch add32 [%r10-8], %r1", {0x00000001fff81ac3ull}},
    {"lock add [%r1+8], %r2", {0x00000000000821dbull}},
    {"lock xchg32 [%r1], %r2", {0x000000e1000021c3ull}},
    {"lock cmpxchg [%r1], %r2", {0x000000f1000021dbull}},
    {"jne %r3, 0x81, +3", {0x0000008100030355ull}},
    {"lddw %r0, 0x1122334455667788", {0x5566778800000018ull, 0x1122334400000000ull}},
    {"lddw %r1, -1", {0xffffffff00000118ull, 0xffffffff00000000ull}},
    {"lddw %r3, 2147483648", {0x8000000000000318ull, 0}},
    {"lddw %r2, .rodata+16", {0x0000000100002218ull, 0x0000001000000000ull}},
    {"lddw %r2, .bss", {0x0000000300002218ull, 0}},
    {"call 5", {0x0000000500000085ull}},
    {"call helper 0x10", {0x0000001000000085ull}},
    {"call local +4", {0x0000000400001085ull}},
    {"call %r2", {0x000000000000028dull}},
    {"call helper %r9", {0x000000000000098dull}},
    {"exit", {0x0000000000000095ull}},
    {"be16 %r0", {0x00000010000000dcull}},
    {"le64 %r4", {0x00000040000004d4ull}},
    {"bswap64 %r0", {0x00000040000000d7ull}},
    {"swap32 %r1", {0x00000020000001d7ull}},
    {"movsx832 %r0, %r1", {0x00000000000810bcull}},
    {"movsx3264 %r2, %r3", {0x00000000002032bfull}},
    {"sdiv32 %r1, 3", {0x0000000300010134ull}},
    {"smod %r1, %r2", {0x000000000001219full}},
    {"neg %r3", {0x0000000000000387ull}},
    {"neg32 %r3", {0x0000000000000384ull}},
    {"ja +0", {0x0000000000000005ull}},
    {"ja -1", {0x00000000ffff0005ull}},
    {"ja32 +70000", {0x0001117000000006ull}},
    {"ja32 -70000", {0xfffeee9000000006ull}},
    {"ldxsh %r1, [%r2-2]", {0x00000000fffe2189ull}},
    {"ldxb %r8, [%r0+0x1]", {0x0000000000010871ull}},
    {"ldxw %r0, [%r1]", {0x0000000000001061ull}},
    {"stw [%r1+4], -1", {0xffffffff00040162ull}},
    {"stb [%r10 - 1], 0x7f", {0x0000007fffff0a72ull}},
    {"stdw [%r10-16], 0xab", {0x000000abfff00a7aull}},
    {"jslt32 %r1, %r2, -1", {0x00000000ffff21ceull}},
    {"jeq %r1, 0x80000000, +1", {0x8000000000010115ull}},
    {"jset32 %r9, -2147483648, +32767", {0x800000007fff0946ull}},
    {"mov32 %r0, 0xffffffff", {0xffffffff000000b4ull}},
    {"mov32 %r0, 2147483647", {0x7fffffff000000b4ull}},
    {"mov %r0, -2147483648", {0x80000000000000b7ull}},
    {"xor %r1,%r2", {0x00000000000021afull}},
    {"  arsh32\t%r10 ,  7   # trailing comment", {0x0000000700000ac4ull}},
    {"ldxdw %r0, [%r1+32767]", {0x000000007fff1079ull}},
    {"ldxdw %r0, [%r1-32768]", {0x0000000080001079ull}},
    {".insn 0x0000000100010007", {0x0000000100010007ull}},
};

Test(asm, encodings)
{
    for (size_t k = 0; k < sizeof enc / sizeof enc[0]; k++) {
        fc_insn *p;
        size_t n;
        fc_asm_error e;
        int rc = assemble(enc[k].src, &p, &n, &e);
        cr_assert_eq(rc, 0, "'%s': %u: %s", enc[k].src, e.line, e.msg);
        size_t want = fc_insn_slots(p[0]);
        cr_assert_eq(n, want, "'%s': %zu slots", enc[k].src, n);
        for (size_t s = 0; s < n; s++)
            cr_expect_eq(word(p[s]), enc[k].w[s], "'%s' slot %zu: got 0x%016llx want 0x%016llx",
                         enc[k].src, s, (unsigned long long)word(p[s]),
                         (unsigned long long)enc[k].w[s]);
        free(p);
    }
}

/* Every mnemonic of the opcode table assembles to its own row. */
Test(asm, every_table_row)
{
    for (unsigned k = 1; k < FC_OP_COUNT; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        char src[96];
        fc_insn *p;
        size_t n;
        fc_asm_error e;
        unsigned op;

        switch ((enum fc_fmt)r->fmt) {
        case FC_FMT_ALU_K: snprintf(src, sizeof src, "%s %%r1, 7", r->mnemonic); break;
        case FC_FMT_ALU_X: snprintf(src, sizeof src, "%s %%r1, %%r2", r->mnemonic); break;
        case FC_FMT_NEG:
        case FC_FMT_END: snprintf(src, sizeof src, "%s %%r1", r->mnemonic); break;
        case FC_FMT_LDDW: snprintf(src, sizeof src, "%s %%r1, 7", r->mnemonic); break;
        case FC_FMT_LDX: snprintf(src, sizeof src, "%s %%r1, [%%r2-4]", r->mnemonic); break;
        case FC_FMT_ST: snprintf(src, sizeof src, "%s [%%r10-8], 7", r->mnemonic); break;
        case FC_FMT_STX: snprintf(src, sizeof src, "%s [%%r10-8], %%r2", r->mnemonic); break;
        case FC_FMT_ATOMIC: snprintf(src, sizeof src, "lock %s [%%r10-8], %%r2", r->mnemonic); break;
        case FC_FMT_JA:
        case FC_FMT_JA32: snprintf(src, sizeof src, "%s +0", r->mnemonic); break;
        case FC_FMT_JCC_K: snprintf(src, sizeof src, "%s %%r1, 7, +0", r->mnemonic); break;
        case FC_FMT_JCC_X: snprintf(src, sizeof src, "%s %%r1, %%r2, +0", r->mnemonic); break;
        case FC_FMT_CALL: snprintf(src, sizeof src, "call 1"); break;
        case FC_FMT_CALLX: snprintf(src, sizeof src, "call %%r1"); break;
        case FC_FMT_EXIT: snprintf(src, sizeof src, "exit"); break;
        }
        cr_assert_eq(assemble(src, &p, &n, &e), 0, "'%s': %s", src, e.msg);
        cr_assert_eq(fc_insn_check(&p[0], n > 1 ? &p[1] : NULL, &op), FC_INSN_OK, "'%s'", src);
        cr_expect_eq(op, k, "'%s' assembled to %s", src, fc_opinfo_table[op].mnemonic);
        free(p);
    }
}

/* ---- labels ------------------------------------------------------------- */
Test(asm, labels)
{
    const char *src =
        "start:\n"
        "  jeq %r1, 0, fwd   # forward\n"
        "  lddw %r0, 1\n"
        "back: ja fwd\n"
        "fwd:\n"
        "  jne %r1, %r2, back\n"
        "  ja32 start\n"
        "  call local fn\n"
        "  exit\n"
        "fn: mov %r0, 2\n"
        "  exit\n";
    fc_insn *p;
    size_t n;
    fc_asm_error e;
    cr_assert_eq(assemble(src, &p, &n, &e), 0, "%u: %s", e.line, e.msg);
    cr_assert_eq(n, 10);
    cr_expect_eq(p[0].off, 3);     /* 0 -> 4 (the lddw takes two slots) */
    cr_expect_eq(p[3].off, 0);     /* 3 -> 4 */
    cr_expect_eq(p[4].off, -2);    /* 4 -> 3 */
    cr_expect_eq(p[5].imm, -6);    /* ja32 5 -> 0 */
    cr_expect_eq(p[6].imm, 1);     /* call local 6 -> 8 */
    cr_expect_eq(fc_src(p[6]), FC_CALL_LOCAL);
    free(p);
}

Test(asm, implicit_exit_label)
{
    fc_insn *p;
    size_t n;
    fc_asm_error e;
    /* as in the suite: `exit` names the first exit instruction... */
    cr_assert_eq(assemble("ja exit\nmov %r0, 1\nexit\nmov %r0, 2\nexit\n", &p, &n, &e), 0, "%s", e.msg);
    cr_expect_eq(p[0].off, 1);
    free(p);
    /* ...unless a label of that name exists */
    cr_assert_eq(assemble("ja exit\nexit\nexit:\nexit\n", &p, &n, &e), 0, "%s", e.msg);
    cr_expect_eq(p[0].off, 1);
    free(p);
    cr_assert_eq(assemble("jeq %r1, 0x1a8c0, exit\nexit\n", &p, &n, &e), 0, "%s", e.msg);
    cr_expect_eq(p[0].off, 0);
    free(p);
}

/* ---- errors --------------------------------------------------------------- */
static const struct {
    const char *src;
    uint32_t line;
    const char *msg;   /* expected substring */
} bad[] = {
    {"mov32 %r0, 2147483648\n", 1, "out of the 32-bit range"},
    {"mov32 %r0, 0x100000000\n", 1, "out of the 32-bit range"},
    {"mov32 %r0, -2147483649\n", 1, "out of the 32-bit range"},
    {"add %r0, 99999999999999999999999\n", 1, "out of the 32-bit range"},
    {"add %r0, 12abc\n", 1, "invalid immediate '12abc'"},
    {"exit\nja NOT_A_LABEL\n", 2, "unknown label 'NOT_A_LABEL'"},
    {"lock or [%r10-8]\n", 1, "'lock or' expects 2 operands"},
    {"lock\n", 1, "invalid number of operands for lock"},
    {"lock fetch\n", 1, "invalid number of operands for lock"},
    {"lock sub [%r1], %r2\n", 1, "unknown atomic operation 'lock sub'"},
    {"lock fetch xchg [%r1], %r2\n", 1, "unknown atomic operation 'lock fetch xchg'"},
    {"# c\nldxq %r0, %r1\n", 2, "unknown mnemonic 'ldxq'"},
    {"ldxb %r0, %r1\n", 1, "must be a memory reference"},
    {"ldxb %r0, [%r1+0x10000]\n", 1, "out of the 16-bit signed range"},
    {"ldxb %r0, [%r1+32768]\n", 1, "out of the 16-bit signed range"},
    {"ldxb %r0, [%r1-32769]\n", 1, "out of the 16-bit signed range"},
    {"ldxb %r0, [%r1+]\n", 1, "malformed memory reference"},
    {"ldxb %r0, [%r1\n", 1, "missing ']'"},
    {"lddw %r0\n", 1, "'lddw' expects 2 operands"},
    {"lddw %r0, 18446744073709551616\n", 1, "out of the 64-bit range"},
    {"lddw %r0, -9223372036854775809\n", 1, "out of the 64-bit range"},
    {"lddw %r0, .text+4\n", 1, "invalid lddw operand"},
    {"\n\nor %r0, %r50\n", 3, "invalid register '%r50'"},
    {"mov %r11, 1\n", 1, "invalid register '%r11'"},
    {"mov %r01, 1\n", 1, "invalid register '%r01'"},
    {"mov r1, 1\n", 1, "invalid register 'r1'"},
    {"exit 1\n", 1, "'exit' takes no operands"},
    {"neg %r1, %r2\n", 1, "'neg' expects 1 operand"},
    {"add %r1\n", 1, "'add' expects 2 operands"},
    {"jeq %r1, 1\n", 1, "'jeq' expects 3 operands"},
    {"ja 5\n", 1, "jump target must be a label or a signed offset"},
    {"ja +32768\n", 1, "out of the 16-bit signed range"},
    {"jeq %r1, 1, -32769\n", 1, "out of the 16-bit signed range"},
    {"call\n", 1, "'call' expects"},
    {"call func\n", 1, "call local func"},
    {"call runtime 1\n", 1, "not supported"},
    {"call remote 1\n", 1, "invalid call mode 'remote'"},
    {"call local %r1\n", 1, "jump target must be a label"},
    {"call local nowhere\nexit\n", 1, "unknown label 'nowhere'"},
    {"movsx832 %r0, 5\n", 1, "invalid register '5'"},
    {"mov %r0,, 1\n", 1, "empty operand"},
    {"mov %r0, 1,\n", 1, "empty operand"},
    {"L1:\nexit\nL1:\nexit\n", 3, "duplicate label 'L1' (first defined on line 1)"},
    {".insn -1\n", 1, "invalid instruction word"},
    {"mov %r0, 1 2 3 4 5 6 7\n", 1, "too many operands"},
};

Test(asm, errors)
{
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        fc_insn *p = (fc_insn *)1;
        size_t n = 99;
        fc_asm_error e;
        cr_assert_eq(assemble(bad[k].src, &p, &n, &e), -1, "accepted: %s", bad[k].src);
        cr_expect_null(p);
        cr_expect_eq(n, 0);
        cr_expect_eq(e.line, bad[k].line, "'%s': line %u, want %u (%s)", bad[k].src, e.line,
                     bad[k].line, e.msg);
        cr_expect(strstr(e.msg, bad[k].msg) != NULL, "'%s': message '%s' lacks '%s'", bad[k].src,
                  e.msg, bad[k].msg);
    }
}

Test(asm, error_column)
{
    fc_insn *p;
    size_t n;
    fc_asm_error e;
    cr_assert_eq(assemble("mov %r0, 1\n  or %r0, %r50\n", &p, &n, &e), -1);
    cr_expect_eq(e.line, 2);
    cr_expect_eq(e.column, 11, "column %u", e.column);
}

Test(asm, label_jump_out_of_range)
{
    /* 40000 slots between the jump and its label: no 16-bit offset */
    size_t lines = 40002, len = 0;
    char *src = malloc(lines * 8 + 32);
    fc_insn *p;
    size_t n;
    fc_asm_error e;
    len += (size_t)sprintf(src + len, "ja far\n");
    for (size_t k = 0; k < 40000; k++)
        len += (size_t)sprintf(src + len, "exit\n");
    len += (size_t)sprintf(src + len, "far: exit\n");
    cr_assert_eq(fc_asm(src, len, &p, &n, &e), -1);
    cr_expect_eq(e.line, 1);
    cr_expect(strstr(e.msg, "out of range") != NULL, "%s", e.msg);
    /* ja32 reaches it */
    memcpy(src, "ja32 f\n", 7);
    memcpy(src + len - 10, "f:   exit\n", 10);
    cr_assert_eq(fc_asm(src, len, &p, &n, &e), 0, "%u: %s", e.line, e.msg);
    cr_expect_eq(p[0].imm, 40000);
    free(p);
    free(src);
}

Test(asm, empty_input_and_crlf)
{
    fc_insn *p;
    size_t n;
    fc_asm_error e;
    cr_assert_eq(fc_asm("", 0, &p, &n, &e), 0);
    cr_expect_eq(n, 0);
    cr_expect_null(p);
    cr_assert_eq(assemble("# only a comment\r\n\r\n", &p, &n, &e), 0);
    cr_expect_eq(n, 0);
    cr_assert_eq(assemble("mov %r0, 1\r\nexit\r\n", &p, &n, &e), 0, "%s", e.msg);
    cr_expect_eq(n, 2);
    free(p);
    /* text need not be NUL-terminated: only len bytes are read */
    cr_assert_eq(fc_asm("exitXYZ", 4, &p, &n, &e), 0, "%s", e.msg);
    cr_expect_eq(n, 1);
    free(p);
}

/* ---- the .data reader ----------------------------------------------------- */
Test(testdata, sections)
{
    const char *f =
        "# Copyright\n"
        "-- asm\n"
        "mov %r0, 1 # one\n"
        "exit\n"
        "-- mem\n"
        "00 01 ff\n"
        "0a\n"
        "-- result\n"
        "0xFFFF\n"
        "-- no register offset\n"
        "call instruction\n"
        "-- c\n"
        "#include <x.h>\n"
        "int f(void);\n";
    fc_testdata td;
    fc_asm_error e;
    fc_insn *p;
    size_t n;
    cr_assert_eq(fc_testdata_parse(f, strlen(f), &td, &e), 0, "%u: %s", e.line, e.msg);
    cr_expect(td.has_asm && td.has_mem && td.has_result && td.has_no_reg_offset && td.has_c);
    cr_expect(!td.has_error && !td.has_raw);
    cr_expect_eq(td.asm_line, 2);
    cr_assert_eq(td.mem_len, 4);
    cr_expect(td.mem[0] == 0 && td.mem[1] == 1 && td.mem[2] == 0xff && td.mem[3] == 0x0a);
    cr_expect_eq(td.result, 0xffff);
    cr_expect(td.c_len == strlen("#include <x.h>\nint f(void);\n") &&
              memcmp(td.c_text, "#include <x.h>", 14) == 0);
    cr_assert_eq(fc_testdata_program(&td, &p, &n, &e), 0, "%s", e.msg);
    cr_expect_eq(n, 2);
    free(p);
    fc_testdata_free(&td);
}

Test(testdata, asm_errors_carry_the_file_line)
{
    const char *f = "# header\n\n-- asm\nmov %r0, 1\nor %r0, %r50\n-- result\n0x1\n";
    fc_testdata td;
    fc_asm_error e;
    fc_insn *p;
    size_t n;
    cr_assert_eq(fc_testdata_parse(f, strlen(f), &td, &e), 0, "%s", e.msg);
    cr_assert_eq(fc_testdata_program(&td, &p, &n, &e), -1);
    cr_expect_eq(e.line, 5, "line %u", e.line);
    fc_testdata_free(&td);
}

Test(testdata, raw_words_and_bytes)
{
    const char *w = "-- raw\n0x5566778800000018\n0x1122334400000000\n0x0000000000000095\n-- result\n1\n";
    const char *b = "-- raw\n07 00 01 00 01 00 00 00\n95 00 00 00 00 00 00 00\n-- error\n";
    fc_testdata td;
    fc_asm_error e;
    cr_assert_eq(fc_testdata_parse(w, strlen(w), &td, &e), 0, "%s", e.msg);
    cr_assert_eq(td.raw_len, 3);
    cr_expect_eq(td.raw[0].op, 0x18);
    cr_expect_eq((uint32_t)td.raw[0].imm, 0x55667788u);
    cr_expect_eq((uint32_t)td.raw[1].imm, 0x11223344u);
    cr_expect_eq(td.raw[2].op, 0x95);
    cr_expect_eq(td.result, 1);
    fc_testdata_free(&td);

    cr_assert_eq(fc_testdata_parse(b, strlen(b), &td, &e), 0, "%s", e.msg);
    cr_assert_eq(td.raw_len, 2);
    cr_expect_eq(td.raw[0].op, 0x07);
    cr_expect_eq(td.raw[0].off, 1);
    cr_expect_eq(td.raw[0].imm, 1);
    cr_expect(td.has_error);
    cr_expect_str_eq(td.error, "");
    fc_testdata_free(&td);
}

static const struct {
    const char *text;
    uint32_t line;
    const char *msg;
} bad_files[] = {
    {"-- asm\n-- Unknown directive\n-- error\nx\n", 2, "unknown section '-- Unknown directive'"},
    {"-- asm\nexit\n-- asm\nexit\n", 3, "appears twice"},
    {"stray text\n-- asm\nexit\n", 1, "text outside any section"},
    {"-- mem\n00 1ff\n", 2, "not a hex byte"},
    {"-- result\n0x1 0x2\n", 2, "more than one value"},
    {"-- result\n0xzz\n", 2, "not a 64-bit number"},
    {"-- result\n\n", 2, "no value"},
    {"-- raw\nzz\n", 2, "neither a hex byte"},
    {"-- raw\n0x0000000000000095\n95 00\n", 3, "mixes"},
    {"-- raw\n95 00 00\n", 1, "not a whole number"},
};

Test(testdata, errors)
{
    for (size_t k = 0; k < sizeof bad_files / sizeof bad_files[0]; k++) {
        fc_testdata td;
        fc_asm_error e;
        cr_assert_eq(fc_testdata_parse(bad_files[k].text, strlen(bad_files[k].text), &td, &e), -1,
                     "accepted: %s", bad_files[k].text);
        cr_expect_eq(e.line, bad_files[k].line, "'%s': line %u (%s)", bad_files[k].text, e.line, e.msg);
        cr_expect(strstr(e.msg, bad_files[k].msg) != NULL, "'%s': '%s'", bad_files[k].text, e.msg);
    }
}

Test(testdata, no_program)
{
    const char *f = "# nothing\n-- result\n0x0\n";
    fc_testdata td;
    fc_asm_error e;
    fc_insn *p;
    size_t n;
    cr_assert_eq(fc_testdata_parse(f, strlen(f), &td, &e), 0);
    cr_assert_eq(fc_testdata_program(&td, &p, &n, &e), -1);
    cr_expect(strstr(e.msg, "no program") != NULL, "%s", e.msg);
    fc_testdata_free(&td);
    f = "-- asm\n# empty\n-- result\n0x0\n";
    cr_assert_eq(fc_testdata_parse(f, strlen(f), &td, &e), 0);
    cr_assert_eq(fc_testdata_program(&td, &p, &n, &e), -1);
    cr_expect(strstr(e.msg, "no instructions") != NULL, "%s", e.msg);
    fc_testdata_free(&td);
}
