/*
 * fc_asm.c - assembler for the bpf_conformance syntax (see fc_asm.h).
 *
 * One pass over the lines encodes every instruction; jumps to labels are
 * recorded as fixups and patched at the end, when every label is known.
 * Mnemonics and formats come from the opcode table (fc_opinfo_table); this
 * file only knows how each format's operands are written.
 */
#include "fc_asm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 6

typedef struct tok {
    const char *s;
    size_t len;
    uint32_t col;
} tok;

typedef struct label {
    const char *name;
    size_t len;
    size_t slot;
    uint32_t line;
} label;

enum fix_kind { FIX_OFF16, FIX_IMM32 };

typedef struct fixup {
    const char *name;
    size_t len;
    size_t slot;
    uint32_t line, col;
    int kind;
} fixup;

typedef struct actx {
    fc_insn *out;
    size_t n, cap;
    label *labels;
    size_t nlabels, caplabels;
    fixup *fix;
    size_t nfix, capfix;
    size_t first_exit;     /* slot of the first exit, SIZE_MAX if none */
    uint32_t line;
    const char *line_start;
    fc_asm_error *err;
    int failed;
} actx;

/* ---- errors ------------------------------------------------------------- */
__attribute__((format(printf, 4, 5)))
static int fail_at(actx *a, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    if (a->failed)
        return -1;
    a->failed = 1;
    a->err->line = line;
    a->err->column = col;
    va_start(ap, fmt);
    vsnprintf(a->err->msg, sizeof a->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

#define FAIL_TOK(a, t, ...) fail_at((a), (a)->line, (t)->col, __VA_ARGS__)
#define FAIL(a, ...) fail_at((a), (a)->line, 0, __VA_ARGS__)

/* Token text for messages, clipped so a message always fits. */
#define TOKF "%.*s"
#define TOKA(t) (int)((t)->len > 60 ? 60 : (t)->len), (t)->s

/* ---- growable arrays ---------------------------------------------------- */
static int grow(actx *a, void **p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return 0;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            return FAIL(a, "out of memory");
        c *= 2;
    }
    q = realloc(*p, c * elem);
    if (!q)
        return FAIL(a, "out of memory");
    *p = q;
    *cap = c;
    return 0;
}

static int emit(actx *a, fc_insn i)
{
    if (grow(a, (void **)&a->out, &a->cap, a->n + 1, sizeof *a->out))
        return -1;
    a->out[a->n++] = i;
    return 0;
}

/* ---- lexical helpers ---------------------------------------------------- */
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_ident_start(char c) { return is_alpha(c) || c == '_' || c == '.'; }
static int is_ident(char c) { return is_ident_start(c) || is_digit(c) || c == '$'; }

static int tok_is(const tok *t, const char *s)
{
    size_t l = strlen(s);
    return t->len == l && memcmp(t->s, s, l) == 0;
}

static int is_identifier(const tok *t)
{
    if (t->len == 0 || !is_ident_start(t->s[0]))
        return 0;
    for (size_t k = 1; k < t->len; k++)
        if (!is_ident(t->s[k]))
            return 0;
    return 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/*
 * Parse [+-]digits or [+-]0xhex. Returns 0 and the sign and magnitude, -1 if
 * the text is not a number, -2 if the magnitude exceeds 64 bits.
 */
static int parse_number(const char *s, size_t len, int *neg, int *signed_,
                        uint64_t *mag)
{
    size_t k = 0;
    uint64_t v = 0;
    int base = 10;

    *neg = 0;
    *signed_ = 0;
    *mag = 0;
    if (k < len && (s[k] == '+' || s[k] == '-')) {
        *neg = s[k] == '-';
        *signed_ = 1;
        k++;
    }
    if (k + 1 < len && s[k] == '0' && (s[k + 1] == 'x' || s[k + 1] == 'X')) {
        base = 16;
        k += 2;
    }
    if (k == len)
        return -1;
    for (; k < len; k++) {
        int d = base == 16 ? hexval(s[k]) : (is_digit(s[k]) ? s[k] - '0' : -1);
        if (d < 0)
            return -1;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return -2;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *mag = v;
    return 0;
}

static int looks_numeric(const tok *t)
{
    return t->len && (is_digit(t->s[0]) || t->s[0] == '+' || t->s[0] == '-');
}

/* ---- operand parsers ---------------------------------------------------- */
static int parse_reg(actx *a, const tok *t, unsigned *r)
{
    unsigned v = 0;
    if (t->len < 3 || t->s[0] != '%' || t->s[1] != 'r')
        goto bad;
    for (size_t k = 2; k < t->len; k++) {
        if (!is_digit(t->s[k]) || v > 1000)
            goto bad;
        v = v * 10u + (unsigned)(t->s[k] - '0');
    }
    if (v > 10 || (t->len > 3 && t->s[2] == '0'))
        goto bad;
    *r = v;
    return 0;
bad:
    return FAIL_TOK(a, t, "invalid register '" TOKF "' (registers are %%r0..%%r10)", TOKA(t));
}

static int parse_imm32(actx *a, const tok *t, int32_t *imm)
{
    int neg, sgn;
    uint64_t m;
    int rc = parse_number(t->s, t->len, &neg, &sgn, &m);
    int hex = t->len > 2 && (memchr(t->s, 'x', t->len) || memchr(t->s, 'X', t->len));

    if (rc == -1)
        return FAIL_TOK(a, t, "invalid immediate '" TOKF "'", TOKA(t));
    if (rc == 0) {
        if (neg && m <= 0x80000000u) {
            *imm = (int32_t)(uint32_t)(0u - (uint32_t)m);
            return 0;
        }
        /* a hex literal is a 32-bit pattern; decimal must be signed 32-bit */
        if (!neg && ((hex && m <= 0xffffffffu) || (!hex && m <= 0x7fffffffu))) {
            *imm = (int32_t)(uint32_t)m;
            return 0;
        }
    }
    return FAIL_TOK(a, t, "immediate '" TOKF "' is out of the 32-bit range", TOKA(t));
}

static int parse_imm64(actx *a, const tok *t, uint64_t *v)
{
    int neg, sgn;
    uint64_t m;
    int rc = parse_number(t->s, t->len, &neg, &sgn, &m);
    if (rc == -1)
        return FAIL_TOK(a, t, "invalid immediate '" TOKF "'", TOKA(t));
    if (rc == -2 || (neg && m > 0x8000000000000000u))
        return FAIL_TOK(a, t, "immediate '" TOKF "' is out of the 64-bit range", TOKA(t));
    *v = neg ? 0u - m : m;
    return 0;
}

/* A signed offset of at most `bits` bits (16: memory and jumps, 32: ja32 and
 * local calls). */
static int parse_signed(actx *a, const tok *t, const char *s, size_t len,
                        int bits, int64_t *out)
{
    int neg, sgn;
    uint64_t m;
    uint64_t lim = (uint64_t)1 << (bits - 1);
    int rc = parse_number(s, len, &neg, &sgn, &m);
    if (rc == -1)
        return FAIL_TOK(a, t, "invalid offset '%.*s'", (int)(len > 60 ? 60 : len), s);
    if (rc == -2 || (neg && m > lim) || (!neg && m >= lim))
        return FAIL_TOK(a, t, "offset '%.*s' is out of the %d-bit signed range",
                        (int)(len > 60 ? 60 : len), s, bits);
    *out = neg ? -(int64_t)m : (int64_t)m;
    return 0;
}

/* [%rN], [%rN+off], [%rN-off]; blanks allowed inside the brackets. */
static int parse_mem(actx *a, const tok *t, const char *mn, int opno,
                     unsigned *reg, int16_t *off)
{
    const char *s = t->s, *e = t->s + t->len;
    const char *rs, *re;
    char buf[64];
    size_t bl = 0;
    tok rt;
    int64_t o = 0;

    if (t->len < 2 || s[0] != '[' || e[-1] != ']')
        return FAIL_TOK(a, t, "operand %d of '%s' must be a memory reference [%%rN+off], got '" TOKF "'",
                        opno, mn, TOKA(t));
    s++;
    e--;
    while (s < e && is_space(*s))
        s++;
    rs = s;
    while (s < e && !is_space(*s) && *s != '+' && *s != '-')
        s++;
    re = s;
    rt.s = rs;
    rt.len = (size_t)(re - rs);
    rt.col = t->col + (uint32_t)(rs - t->s);
    if (parse_reg(a, &rt, reg))
        return -1;
    while (s < e && is_space(*s))
        s++;
    if (s < e) {
        if (*s != '+' && *s != '-')
            return FAIL_TOK(a, t, "malformed memory reference '" TOKF "'", TOKA(t));
        /* keep the sign, drop blanks: "[%r1 - 8]" */
        for (; s < e; s++)
            if (!is_space(*s)) {
                if (bl + 1 >= sizeof buf)
                    return FAIL_TOK(a, t, "malformed memory reference '" TOKF "'", TOKA(t));
                buf[bl++] = *s;
            }
        if (bl < 2)
            return FAIL_TOK(a, t, "malformed memory reference '" TOKF "'", TOKA(t));
        if (parse_signed(a, t, buf, bl, 16, &o))
            return -1;
    }
    *off = (int16_t)o;
    return 0;
}

/* +N / -N, or a label resolved later. */
static int parse_target(actx *a, const tok *t, const char *mn, int bits,
                        int64_t *rel, int *is_label)
{
    *is_label = 0;
    if (t->len && (t->s[0] == '+' || t->s[0] == '-'))
        return parse_signed(a, t, t->s, t->len, bits, rel);
    if (is_identifier(t)) {
        *is_label = 1;
        *rel = 0;
        return 0;
    }
    return FAIL_TOK(a, t, "'%s': jump target must be a label or a signed offset (+N/-N), got '" TOKF "'",
                    mn, TOKA(t));
}

static int add_fixup(actx *a, const tok *t, size_t slot, int kind)
{
    if (grow(a, (void **)&a->fix, &a->capfix, a->nfix + 1, sizeof *a->fix))
        return -1;
    a->fix[a->nfix].name = t->s;
    a->fix[a->nfix].len = t->len;
    a->fix[a->nfix].slot = slot;
    a->fix[a->nfix].line = a->line;
    a->fix[a->nfix].col = t->col;
    a->fix[a->nfix].kind = kind;
    a->nfix++;
    return 0;
}

static label *find_label(actx *a, const char *name, size_t len)
{
    for (size_t k = 0; k < a->nlabels; k++)
        if (a->labels[k].len == len && memcmp(a->labels[k].name, name, len) == 0)
            return &a->labels[k];
    return NULL;
}

static int define_label(actx *a, const tok *t)
{
    label *l = find_label(a, t->s, t->len);
    if (l)
        return FAIL_TOK(a, t, "duplicate label '" TOKF "' (first defined on line %u)", TOKA(t), l->line);
    if (grow(a, (void **)&a->labels, &a->caplabels, a->nlabels + 1, sizeof *a->labels))
        return -1;
    a->labels[a->nlabels].name = t->s;
    a->labels[a->nlabels].len = t->len;
    a->labels[a->nlabels].slot = a->n;
    a->labels[a->nlabels].line = a->line;
    a->nlabels++;
    return 0;
}

/* ---- the table ---------------------------------------------------------- */
/* Rows whose mnemonic is `name` (atomic rows only when `atomic`). */
static unsigned find_rows(const char *name, size_t len, int atomic, unsigned *rows, unsigned max)
{
    unsigned n = 0;
    for (unsigned k = 1; k < FC_OP_COUNT && n < max; k++) {
        const fc_opinfo *r = &fc_opinfo_table[k];
        if ((r->fmt == FC_FMT_ATOMIC) != (atomic != 0))
            continue;
        if (strlen(r->mnemonic) == len && memcmp(r->mnemonic, name, len) == 0)
            rows[n++] = k;
    }
    return n;
}

static unsigned fmt_operands(unsigned fmt)
{
    switch ((enum fc_fmt)fmt) {
    case FC_FMT_EXIT: return 0;
    case FC_FMT_NEG: case FC_FMT_END: case FC_FMT_JA: case FC_FMT_JA32: return 1;
    case FC_FMT_JCC_K: case FC_FMT_JCC_X: return 3;
    case FC_FMT_CALL: case FC_FMT_CALLX: return 1;
    default: return 2;
    }
}

static const char *fmt_usage(unsigned fmt)
{
    switch ((enum fc_fmt)fmt) {
    case FC_FMT_ALU_K: case FC_FMT_ALU_X: return "%rD, %rS|imm";
    case FC_FMT_NEG: case FC_FMT_END: return "%rD";
    case FC_FMT_LDDW: return "%rD, imm64";
    case FC_FMT_LDX: return "%rD, [%rS+off]";
    case FC_FMT_ST: return "[%rD+off], imm";
    case FC_FMT_STX: case FC_FMT_ATOMIC: return "[%rD+off], %rS";
    case FC_FMT_JA: case FC_FMT_JA32: return "label|+off";
    case FC_FMT_JCC_K: case FC_FMT_JCC_X: return "%rD, %rS|imm, label|+off";
    case FC_FMT_CALL: case FC_FMT_CALLX: return "N | %rN | local label|+off";
    case FC_FMT_EXIT: return "";
    }
    return "";
}

/* ---- one instruction ---------------------------------------------------- */
static int check_count(actx *a, const char *mn, unsigned fmt, unsigned nops, const tok *mtok)
{
    unsigned want = fmt_operands(fmt);
    if (nops == want)
        return 0;
    if (want == 0)
        return FAIL_TOK(a, mtok, "'%s' takes no operands, got %u", mn, nops);
    return FAIL_TOK(a, mtok, "'%s' expects %u operand%s (%s), got %u", mn, want,
                    want == 1 ? "" : "s", fmt_usage(fmt), nops);
}

static int encode_section_lddw(actx *a, unsigned dst, const tok *t)
{
    static const struct { const char *name; int32_t sect; } sects[] = {
        {".rodata", FC_SECT_RODATA}, {".data", FC_SECT_DATA}, {".bss", FC_SECT_BSS},
    };
    size_t nl = 0;
    int64_t off = 0;
    while (nl < t->len && t->s[nl] != '+')
        nl++;
    for (unsigned k = 0; k < sizeof sects / sizeof sects[0]; k++) {
        if (strlen(sects[k].name) != nl || memcmp(sects[k].name, t->s, nl) != 0)
            continue;
        if (nl < t->len) {
            int neg, sgn;
            uint64_t m;
            int rc = parse_number(t->s + nl + 1, t->len - nl - 1, &neg, &sgn, &m);
            if (rc || sgn || m > 0xffffffffu)
                return FAIL_TOK(a, t, "invalid section offset in '" TOKF "'", TOKA(t));
            off = (int64_t)m;
        }
        if (emit(a, fc_insn_make(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, dst, FC_LDDW_SECTION, 0,
                                 sects[k].sect)))
            return -1;
        return emit(a, fc_insn_make(0, 0, 0, 0, (int32_t)(uint32_t)off));
    }
    return FAIL_TOK(a, t, "invalid lddw operand '" TOKF "' (expected a 64-bit number or .rodata/.data/.bss+N)",
                    TOKA(t));
}

static int encode_call(actx *a, const tok *mtok, tok *ops, unsigned nops)
{
    const uint8_t call = FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL;
    const uint8_t callx = FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL;
    const tok *arg;
    int32_t imm;
    unsigned r;

    if (nops == 2 && tok_is(&ops[0], "local")) {
        int64_t rel;
        int is_label;
        if (parse_target(a, &ops[1], "call local", 32, &rel, &is_label))
            return -1;
        if (is_label && add_fixup(a, &ops[1], a->n, FIX_IMM32))
            return -1;
        return emit(a, fc_insn_make(call, 0, FC_CALL_LOCAL, 0, (int32_t)rel));
    }
    if (nops == 2 && tok_is(&ops[0], "runtime"))
        return FAIL_TOK(a, &ops[0], "'call runtime' (src=2, kfunc) is not supported");
    if (nops == 2 && tok_is(&ops[0], "helper"))
        arg = &ops[1];
    else if (nops == 1)
        arg = &ops[0];
    else if (nops == 2)
        return FAIL_TOK(a, &ops[0], "invalid call mode '" TOKF "' (expected 'local' or 'helper')",
                        TOKA(&ops[0]));
    else
        return FAIL_TOK(a, mtok, "'call' expects a helper number, a register or 'local' and a target, got %u operands",
                        nops);

    if (arg->len && arg->s[0] == '%') {
        /* callx (uBPF extension): the register goes in dst, as the suite's
         * assembler and Linux's BPF_CALLX encode it */
        if (parse_reg(a, arg, &r))
            return -1;
        return emit(a, fc_insn_make(callx, r, 0, 0, 0));
    }
    if (!looks_numeric(arg))
        return FAIL_TOK(a, arg, "'call' expects a helper number or a register, got '" TOKF
                        "' (for a function in this program write 'call local " TOKF "')",
                        TOKA(arg), TOKA(arg));
    if (parse_imm32(a, arg, &imm))
        return -1;
    return emit(a, fc_insn_make(call, 0, FC_CALL_HELPER, 0, imm));
}

static int encode_raw(actx *a, const tok *mtok, tok *ops, unsigned nops)
{
    int neg, sgn;
    uint64_t w;
    if (nops != 1)
        return FAIL_TOK(a, mtok, "'.insn' expects 1 operand (a 64-bit instruction word), got %u", nops);
    if (parse_number(ops[0].s, ops[0].len, &neg, &sgn, &w) || sgn)
        return FAIL_TOK(a, &ops[0], "invalid instruction word '" TOKF "'", TOKA(&ops[0]));
    return emit(a, fc_insn_make((uint8_t)w, (unsigned)(w >> 8) & 0xfu, (unsigned)(w >> 12) & 0xfu,
                                (int16_t)(uint16_t)(w >> 16), (int32_t)(uint32_t)(w >> 32)));
}

static int encode(actx *a, unsigned row, const tok *mtok, tok *ops, unsigned nops)
{
    const fc_opinfo *r = &fc_opinfo_table[row];
    const char *mn = r->mnemonic;
    char lockmn[32];
    fc_insn i = fc_insn_make(r->opcode, 0, 0, 0, 0);
    unsigned dst = 0, src = 0;
    int64_t rel = 0;
    int is_label = 0;

    if (r->fmt == FC_FMT_ATOMIC) {
        snprintf(lockmn, sizeof lockmn, "lock %s", mn);
        mn = lockmn;
    }
    if (check_count(a, mn, r->fmt, nops, mtok))
        return -1;
    if (r->disc == FC_DISC_OFF)
        i.off = r->disc_value;
    else if (r->disc == FC_DISC_IMM)
        i.imm = r->disc_value;

    switch ((enum fc_fmt)r->fmt) {
    case FC_FMT_ALU_K:
        if (parse_reg(a, &ops[0], &dst) || parse_imm32(a, &ops[1], &i.imm))
            return -1;
        break;
    case FC_FMT_ALU_X:
        if (parse_reg(a, &ops[0], &dst) || parse_reg(a, &ops[1], &src))
            return -1;
        break;
    case FC_FMT_NEG:
    case FC_FMT_END:
        if (parse_reg(a, &ops[0], &dst))
            return -1;
        break;
    case FC_FMT_LDDW: {
        uint64_t v = 0;
        if (parse_reg(a, &ops[0], &dst))
            return -1;
        if (ops[1].len && ops[1].s[0] == '.')
            return encode_section_lddw(a, dst, &ops[1]);
        if (parse_imm64(a, &ops[1], &v))
            return -1;
        if (emit(a, fc_insn_make(r->opcode, dst, FC_LDDW_IMM, 0, (int32_t)(uint32_t)v)))
            return -1;
        return emit(a, fc_insn_make(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
    }
    case FC_FMT_LDX:
        if (parse_reg(a, &ops[0], &dst) || parse_mem(a, &ops[1], mn, 2, &src, &i.off))
            return -1;
        break;
    case FC_FMT_ST:
        if (parse_mem(a, &ops[0], mn, 1, &dst, &i.off) || parse_imm32(a, &ops[1], &i.imm))
            return -1;
        break;
    case FC_FMT_STX:
    case FC_FMT_ATOMIC:
        if (parse_mem(a, &ops[0], mn, 1, &dst, &i.off) || parse_reg(a, &ops[1], &src))
            return -1;
        break;
    case FC_FMT_JA:
        if (parse_target(a, &ops[0], mn, 16, &rel, &is_label))
            return -1;
        if (is_label && add_fixup(a, &ops[0], a->n, FIX_OFF16))
            return -1;
        i.off = (int16_t)rel;
        break;
    case FC_FMT_JA32:
        if (parse_target(a, &ops[0], mn, 32, &rel, &is_label))
            return -1;
        if (is_label && add_fixup(a, &ops[0], a->n, FIX_IMM32))
            return -1;
        i.imm = (int32_t)rel;
        break;
    case FC_FMT_JCC_K:
    case FC_FMT_JCC_X:
        if (parse_reg(a, &ops[0], &dst))
            return -1;
        if (r->fmt == FC_FMT_JCC_K ? parse_imm32(a, &ops[1], &i.imm) : parse_reg(a, &ops[1], &src))
            return -1;
        if (parse_target(a, &ops[2], mn, 16, &rel, &is_label))
            return -1;
        if (is_label && add_fixup(a, &ops[2], a->n, FIX_OFF16))
            return -1;
        i.off = (int16_t)rel;
        break;
    case FC_FMT_CALL:
    case FC_FMT_CALLX:
        return encode_call(a, mtok, ops, nops);
    case FC_FMT_EXIT:
        if (a->first_exit == SIZE_MAX)
            a->first_exit = a->n;
        break;
    }
    i.regs = (uint8_t)(dst | (src << 4));
    return emit(a, i);
}

/*
 * Split the operand text into tokens: blanks and commas separate, a
 * bracketed memory reference is one token even with blanks inside.
 */
static int tokenize(actx *a, const char *p, const char *e, tok *ops, unsigned *nops)
{
    unsigned n = 0;
    int after_comma = 0;

    *nops = 0;
    for (;;) {
        const char *s;
        while (p < e && is_space(*p))
            p++;
        if (p >= e)
            break;
        if (*p == ',') {
            if (n == 0 || after_comma)
                return fail_at(a, a->line, (uint32_t)(p - a->line_start) + 1, "empty operand");
            after_comma = 1;
            p++;
            continue;
        }
        s = p;
        if (*p == '[') {
            while (p < e && *p != ']')
                p++;
            if (p >= e)
                return fail_at(a, a->line, (uint32_t)(s - a->line_start) + 1, "missing ']'");
            p++;
        } else {
            while (p < e && !is_space(*p) && *p != ',' && *p != '[')
                p++;
        }
        if (n == MAX_OPS)
            return fail_at(a, a->line, (uint32_t)(s - a->line_start) + 1, "too many operands");
        ops[n].s = s;
        ops[n].len = (size_t)(p - s);
        ops[n].col = (uint32_t)(s - a->line_start) + 1;
        n++;
        after_comma = 0;
    }
    if (after_comma)
        return fail_at(a, a->line, 0, "empty operand after the last ','");
    *nops = n;
    return 0;
}

static int do_line(actx *a, const char *p, const char *e)
{
    tok mtok, ops[MAX_OPS];
    unsigned nops, rows[4], nrows;
    const char *q;

    /* comment */
    for (q = p; q < e; q++)
        if (*q == '#')
            break;
    e = q;

    for (;;) {
        while (p < e && is_space(*p))
            p++;
        if (p >= e)
            return 0;
        /* label definitions: "name:" (an instruction may follow) */
        q = p;
        while (q < e && is_ident(*q))
            q++;
        if (q < e && *q == ':' && q > p) {
            tok l = {p, (size_t)(q - p), (uint32_t)(p - a->line_start) + 1};
            if (!is_identifier(&l))
                return FAIL_TOK(a, &l, "invalid label name '" TOKF "'", TOKA(&l));
            if (define_label(a, &l))
                return -1;
            p = q + 1;
            continue;
        }
        break;
    }

    /* mnemonic */
    q = p;
    while (q < e && !is_space(*q))
        q++;
    mtok.s = p;
    mtok.len = (size_t)(q - p);
    mtok.col = (uint32_t)(p - a->line_start) + 1;
    if (tokenize(a, q, e, ops, &nops))
        return -1;

    if (tok_is(&mtok, ".insn"))
        return encode_raw(a, &mtok, ops, nops);

    if (tok_is(&mtok, "lock")) {
        /* lock [fetch] OP [%rD+off], %rS */
        char name[40];
        unsigned skip = 1;
        if (nops == 0)
            return FAIL_TOK(a, &mtok, "invalid number of operands for lock: expected "
                            "'lock [fetch] add|or|and|xor|xchg|cmpxchg[32] [%%rD+off], %%rS'");
        if (tok_is(&ops[0], "fetch")) {
            if (nops < 2)
                return FAIL_TOK(a, &ops[0], "invalid number of operands for lock: 'lock fetch' needs an operation");
            snprintf(name, sizeof name, "fetch %.*s", (int)(ops[1].len > 20 ? 20 : ops[1].len), ops[1].s);
            skip = 2;
        } else {
            snprintf(name, sizeof name, "%.*s", (int)(ops[0].len > 20 ? 20 : ops[0].len), ops[0].s);
        }
        nrows = find_rows(name, strlen(name), 1, rows, 4);
        if (nrows == 0)
            return FAIL_TOK(a, &ops[0], "unknown atomic operation 'lock %s'", name);
        return encode(a, rows[0], &mtok, ops + skip, nops - skip);
    }

    nrows = find_rows(mtok.s, mtok.len, 0, rows, 4);
    if (nrows == 0 && mtok.len > 4 && memcmp(mtok.s, "swap", 4) == 0) {
        /* the suite's name for the ALU64 byte swap */
        char name[16];
        snprintf(name, sizeof name, "b%.*s", (int)(mtok.len > 12 ? 12 : mtok.len), mtok.s);
        nrows = find_rows(name, strlen(name), 0, rows, 4);
    }
    if (nrows == 0)
        return FAIL_TOK(a, &mtok, "unknown mnemonic '" TOKF "'", TOKA(&mtok));
    if (nrows > 1) {
        /* K and X forms (or call and callx) share a mnemonic: the second
         * operand (first for call) tells them apart */
        unsigned pick = rows[0];
        const fc_opinfo *r0 = &fc_opinfo_table[rows[0]];
        if (r0->fmt == FC_FMT_CALL || r0->fmt == FC_FMT_CALLX)
            return encode_call(a, &mtok, ops, nops);
        if (check_count(a, r0->mnemonic, r0->fmt, nops, &mtok))
            return -1;
        for (unsigned k = 0; k < nrows; k++) {
            unsigned f = fc_opinfo_table[rows[k]].fmt;
            int is_reg = ops[1].len && ops[1].s[0] == '%';
            if ((f == FC_FMT_ALU_X || f == FC_FMT_JCC_X) == is_reg)
                pick = rows[k];
        }
        return encode(a, pick, &mtok, ops, nops);
    }
    return encode(a, rows[0], &mtok, ops, nops);
}

static int resolve(actx *a)
{
    for (size_t k = 0; k < a->nfix; k++) {
        fixup *f = &a->fix[k];
        label *l = find_label(a, f->name, f->len);
        size_t target;
        int64_t rel;

        if (l) {
            target = l->slot;
        } else if (f->len == 4 && memcmp(f->name, "exit", 4) == 0 && a->first_exit != SIZE_MAX) {
            /* the suite's implicit label: the first exit instruction */
            target = a->first_exit;
        } else {
            return fail_at(a, f->line, f->col, "unknown label '%.*s'", (int)(f->len > 60 ? 60 : f->len), f->name);
        }
        rel = (int64_t)target - (int64_t)f->slot - 1;
        if (f->kind == FIX_OFF16) {
            if (rel < INT16_MIN || rel > INT16_MAX)
                return fail_at(a, f->line, f->col, "jump to '%.*s' is out of range (offset %lld does not fit in 16 bits)",
                               (int)(f->len > 60 ? 60 : f->len), f->name, (long long)rel);
            a->out[f->slot].off = (int16_t)rel;
        } else {
            if (rel < INT32_MIN || rel > INT32_MAX)
                return fail_at(a, f->line, f->col, "target '%.*s' is out of range",
                               (int)(f->len > 60 ? 60 : f->len), f->name);
            a->out[f->slot].imm = (int32_t)rel;
        }
    }
    return 0;
}

int fc_asm(const char *text, size_t len, fc_insn **out, size_t *n,
           fc_asm_error *err)
{
    actx a;
    fc_asm_error dummy;
    const char *p = text, *end = text + len;
    int rc = 0;

    memset(&a, 0, sizeof a);
    a.first_exit = SIZE_MAX;
    a.err = err ? err : &dummy;
    memset(a.err, 0, sizeof *a.err);
    *out = NULL;
    *n = 0;
    if (!text && len)
        return fail_at(&a, 0, 0, "no input");

    while (p < end && rc == 0) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        a.line++;
        a.line_start = p;
        rc = do_line(&a, p, e);
        p = e < end ? e + 1 : end;
    }
    if (rc == 0)
        rc = resolve(&a);
    free(a.labels);
    free(a.fix);
    if (rc) {
        free(a.out);
        return -1;
    }
    *out = a.out;
    *n = a.n;
    return 0;
}
