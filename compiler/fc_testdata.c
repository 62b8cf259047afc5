/*
 * fc_testdata.c - reader for the bpf_conformance `.data` files (see
 * fc_testdata.h). Host code: stdio for fc_testdata_load only.
 */
#include "fc_testdata.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum sect { S_NONE, S_ASM, S_MEM, S_RESULT, S_ERROR, S_RAW, S_NOREG, S_C };

static const struct {
    const char *name;
    enum sect s;
} sections[] = {
    {"asm", S_ASM}, {"mem", S_MEM}, {"result", S_RESULT}, {"error", S_ERROR},
    {"raw", S_RAW}, {"no register offset", S_NOREG}, {"c", S_C},
};

__attribute__((format(printf, 3, 4)))
static int fail(fc_asm_error *err, uint32_t line, const char *fmt, ...)
{
    va_list ap;
    err->line = line;
    err->column = 0;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Next blank-separated token of [*p, e); 0 when none. */
static int next_token(const char **p, const char *e, const char **s, size_t *len)
{
    const char *q = *p;
    while (q < e && is_space(*q))
        q++;
    if (q >= e)
        return 0;
    *s = q;
    while (q < e && !is_space(*q))
        q++;
    *len = (size_t)(q - *s);
    *p = q;
    return 1;
}

/* Unsigned hex (with or without 0x) or decimal; -1 if malformed/too big. */
static int parse_u64(const char *s, size_t len, int hex, uint64_t *v)
{
    uint64_t x = 0;
    unsigned base = hex ? 16u : 10u;
    if (len == 0)
        return -1;
    for (size_t k = 0; k < len; k++) {
        int d = hexval(s[k]);
        if (d < 0 || (unsigned)d >= base)
            return -1;
        if (x > (UINT64_MAX - (uint64_t)d) / base)
            return -1;
        x = x * base + (uint64_t)d;
    }
    *v = x;
    return 0;
}

static int has_0x(const char *s, size_t len)
{
    return len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

static int push_byte(uint8_t **buf, size_t *len, size_t *cap, uint8_t b)
{
    if (*len == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        uint8_t *q = realloc(*buf, c);
        if (!q)
            return -1;
        *buf = q;
        *cap = c;
    }
    (*buf)[(*len)++] = b;
    return 0;
}

static const char *strip_comment(const char *p, const char *e)
{
    const char *h = memchr(p, '#', (size_t)(e - p));
    return h ? h : e;
}

void fc_testdata_free(fc_testdata *td)
{
    if (!td)
        return;
    free(td->text);
    free(td->asm_text);
    free(td->mem);
    free(td->error);
    free(td->raw);
    memset(td, 0, sizeof *td);
}

int fc_testdata_parse(const char *text, size_t len, fc_testdata *td,
                      fc_asm_error *err)
{
    fc_asm_error dummy;
    const char *p, *end;
    enum sect cur = S_NONE;
    unsigned seen = 0;
    uint32_t line = 0;
    size_t memcap = 0, rawcap = 0, asm_pos = 0;
    uint8_t *rawbytes = NULL;
    size_t rawn = 0;
    int raw_words = -1;   /* -1 unknown, 1: 64-bit words, 0: bytes */
    const char *c_start = NULL, *c_end = NULL;
    int rc = -1;

    if (!err)
        err = &dummy;
    memset(err, 0, sizeof *err);
    memset(td, 0, sizeof *td);
    td->text = malloc(len + 1);
    td->asm_text = malloc(len + 2);
    td->error = calloc(1, 1);
    if (!td->text || !td->asm_text || !td->error) {
        fail(err, 0, "out of memory");
        goto out;
    }
    if (len)
        memcpy(td->text, text, len);
    td->text[len] = '\0';
    td->len = len;

    p = td->text;
    end = td->text + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *le, *q, *s;
        size_t tl;
        if (!e)
            e = end;
        le = e;
        if (le > p && le[-1] == '\r')
            le--;
        line++;

        if (le - p >= 2 && p[0] == '-' && p[1] == '-') {
            /* section header */
            const char *ns = p + 2, *ne = le;
            unsigned k;
            while (ns < ne && is_space(*ns))
                ns++;
            while (ne > ns && is_space(ne[-1]))
                ne--;
            for (k = 0; k < sizeof sections / sizeof sections[0]; k++)
                if (strlen(sections[k].name) == (size_t)(ne - ns) &&
                    memcmp(sections[k].name, ns, (size_t)(ne - ns)) == 0)
                    break;
            if (k == sizeof sections / sizeof sections[0]) {
                fail(err, line, "unknown section '%.*s'", (int)((le - p) > 80 ? 80 : (le - p)), p);
                goto out;
            }
            if (seen & (1u << sections[k].s)) {
                fail(err, line, "section '-- %s' appears twice", sections[k].name);
                goto out;
            }
            seen |= 1u << sections[k].s;
            if (cur == S_C)
                c_end = p;
            cur = sections[k].s;
            switch (cur) {
            case S_ASM: td->has_asm = 1; td->asm_line = line; break;
            case S_MEM: td->has_mem = 1; break;
            case S_RESULT: break;
            case S_ERROR: td->has_error = 1; break;
            case S_RAW: td->has_raw = 1; td->raw_line = line; break;
            case S_NOREG: td->has_no_reg_offset = 1; break;
            case S_C: td->has_c = 1; c_start = e < end ? e + 1 : end; break;
            case S_NONE: break;
            }
            td->asm_text[asm_pos++] = '\n';
            p = e < end ? e + 1 : end;
            continue;
        }

        switch (cur) {
        case S_NONE:
            q = p;
            while (q < le && is_space(*q))
                q++;
            if (q < le && *q != '#') {
                fail(err, line, "text outside any section: '%.*s'", (int)((le - q) > 60 ? 60 : (le - q)), q);
                goto out;
            }
            break;
        case S_ASM:
            memcpy(td->asm_text + asm_pos, p, (size_t)(le - p));
            asm_pos += (size_t)(le - p);
            break;
        case S_MEM:
            q = p;
            le = strip_comment(p, le);
            while (next_token(&q, le, &s, &tl)) {
                uint64_t v;
                int hx = has_0x(s, tl);
                if (parse_u64(s + (hx ? 2 : 0), tl - (hx ? 2u : 0u), 1, &v) || v > 0xff) {
                    fail(err, line, "-- mem: '%.*s' is not a hex byte", (int)(tl > 40 ? 40 : tl), s);
                    goto out;
                }
                if (push_byte(&td->mem, &td->mem_len, &memcap, (uint8_t)v)) {
                    fail(err, line, "out of memory");
                    goto out;
                }
            }
            break;
        case S_RESULT:
            q = p;
            le = strip_comment(p, le);
            while (next_token(&q, le, &s, &tl)) {
                int hx = has_0x(s, tl);
                if (td->has_result) {
                    fail(err, line, "-- result: more than one value");
                    goto out;
                }
                if (parse_u64(s + (hx ? 2 : 0), tl - (hx ? 2u : 0u), hx, &td->result)) {
                    fail(err, line, "-- result: '%.*s' is not a 64-bit number", (int)(tl > 40 ? 40 : tl), s);
                    goto out;
                }
                td->has_result = 1;
            }
            break;
        case S_ERROR: {
            /* the suite keeps the last non-empty line */
            const char *ee = le;
            while (ee > p && is_space(ee[-1]))
                ee--;
            if (ee > p) {
                char *m = malloc((size_t)(ee - p) + 1);
                if (!m) {
                    fail(err, line, "out of memory");
                    goto out;
                }
                memcpy(m, p, (size_t)(ee - p));
                m[ee - p] = '\0';
                free(td->error);
                td->error = m;
            }
            break;
        }
        case S_RAW:
            q = p;
            le = strip_comment(p, le);
            while (next_token(&q, le, &s, &tl)) {
                int word = has_0x(s, tl) && tl > 4;
                uint64_t v;
                if (raw_words >= 0 && raw_words != word) {
                    fail(err, line, "-- raw: mixes 64-bit words and bytes");
                    goto out;
                }
                raw_words = word;
                if (word) {
                    if (parse_u64(s + 2, tl - 2, 1, &v)) {
                        fail(err, line, "-- raw: '%.*s' is not a 64-bit word", (int)(tl > 40 ? 40 : tl), s);
                        goto out;
                    }
                    for (int b = 0; b < 8; b++)
                        if (push_byte(&rawbytes, &rawn, &rawcap, (uint8_t)(v >> (8 * b)))) {
                            fail(err, line, "out of memory");
                            goto out;
                        }
                } else {
                    int hx = has_0x(s, tl);
                    if (parse_u64(s + (hx ? 2 : 0), tl - (hx ? 2u : 0u), 1, &v) || v > 0xff) {
                        fail(err, line, "-- raw: '%.*s' is neither a hex byte nor a 0x 64-bit word",
                             (int)(tl > 40 ? 40 : tl), s);
                        goto out;
                    }
                    if (push_byte(&rawbytes, &rawn, &rawcap, (uint8_t)v)) {
                        fail(err, line, "out of memory");
                        goto out;
                    }
                }
            }
            break;
        case S_NOREG:
        case S_C:
            break;
        }
        td->asm_text[asm_pos++] = '\n';
        p = e < end ? e + 1 : end;
    }
    if (cur == S_C)
        c_end = end;
    td->asm_len = asm_pos;
    td->asm_text[asm_pos] = '\0';
    if (td->has_c) {
        td->c_text = c_start;
        td->c_len = (size_t)(c_end - c_start);
    }
    if (td->has_raw) {
        if (rawn % FC_INSN_SIZE) {
            fail(err, td->raw_line, "-- raw: %zu bytes is not a whole number of 8-byte instructions", rawn);
            goto out;
        }
        td->raw_len = rawn / FC_INSN_SIZE;
        if (td->raw_len) {
            td->raw = malloc(td->raw_len * sizeof *td->raw);
            if (!td->raw) {
                fail(err, td->raw_line, "out of memory");
                goto out;
            }
            for (size_t k = 0; k < td->raw_len; k++)
                td->raw[k] = fc_insn_decode(rawbytes + k * FC_INSN_SIZE);
        }
    }
    if (seen & (1u << S_RESULT) && !td->has_result) {
        fail(err, line, "-- result: no value");
        goto out;
    }
    rc = 0;
out:
    free(rawbytes);
    if (rc)
        fc_testdata_free(td);
    return rc;
}

int fc_testdata_load(const char *path, fc_testdata *td, fc_asm_error *err)
{
    fc_asm_error dummy;
    FILE *f;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc;

    if (!err)
        err = &dummy;
    memset(td, 0, sizeof *td);
    f = fopen(path, "rb");
    if (!f)
        return fail(err, 0, "cannot open: %s", strerror(errno));
    for (;;) {
        size_t got;
        if (len == cap) {
            size_t c = cap ? cap * 2 : 4096;
            char *q = realloc(buf, c);
            if (!q) {
                free(buf);
                fclose(f);
                return fail(err, 0, "out of memory");
            }
            buf = q;
            cap = c;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return fail(err, 0, "read error");
    }
    fclose(f);
    rc = fc_testdata_parse(buf, len, td, err);
    free(buf);
    return rc;
}

int fc_testdata_program(const fc_testdata *td, fc_insn **out, size_t *n,
                        fc_asm_error *err)
{
    fc_asm_error dummy;
    if (!err)
        err = &dummy;
    *out = NULL;
    *n = 0;
    if (td->has_raw) {
        if (td->raw_len == 0)
            return fail(err, td->raw_line, "-- raw: no instructions");
        *out = malloc(td->raw_len * sizeof **out);
        if (!*out)
            return fail(err, td->raw_line, "out of memory");
        memcpy(*out, td->raw, td->raw_len * sizeof **out);
        *n = td->raw_len;
        return 0;
    }
    if (!td->has_asm)
        return fail(err, 0, "no program: the file has neither a -- asm nor a -- raw section");
    if (fc_asm(td->asm_text, td->asm_len, out, n, err))
        return -1;
    if (*n == 0)
        return fail(err, td->asm_line, "-- asm: no instructions");
    return 0;
}
