/*
 * fc_diag.c - the bounded diagnostics list (fc_diags, compiler/fc_prog.h).
 *
 * The verifier and the analysis report through fc_diag_add and must run on
 * the device later (on-device JIT), so this file carries its own small
 * printf-style formatter instead of using stdio. It supports what the
 * compiler's messages use: %d %i %u %x %X %o %c %s %p %%, the flags '-' and
 * '0', a field width (digits or '*'), a precision for %s ('.N' or '.*'), and
 * the length modifiers hh h l ll z j t.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include "fc_prog.h"

typedef struct outbuf {
    char *p;
    size_t cap;   /* bytes available for characters (NUL excluded) */
    size_t n;
} outbuf;

static void put(outbuf *o, char c)
{
    if (o->n < o->cap)
        o->p[o->n] = c;
    o->n++;
}

static void pad(outbuf *o, size_t k, char c)
{
    while (k--)
        put(o, c);
}

/* Unsigned integer in base 8/10/16, with width and zero/left padding. */
static void put_uint(outbuf *o, uintmax_t v, unsigned base, int upper,
                     int neg, size_t width, int left, int zero)
{
    char tmp[32];
    size_t k = 0, len;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

    do {
        tmp[k++] = digits[v % base];
        v /= base;
    } while (v);
    len = k + (neg ? 1u : 0u);
    if (!left && !zero && width > len)
        pad(o, width - len, ' ');
    if (neg)
        put(o, '-');
    if (!left && zero && width > len)
        pad(o, width - len, '0');
    while (k)
        put(o, tmp[--k]);
    if (left && width > len)
        pad(o, width - len, ' ');
}

static size_t fmt_v(char *buf, size_t size, const char *fmt, va_list ap)
{
    outbuf o = {buf, size ? size - 1 : 0, 0};

    for (const char *f = fmt; *f; f++) {
        int left = 0, zero = 0, lmod = 0;  /* lmod: -2 hh, -1 h, 1 l, 2 ll, 3 z/j/t */
        size_t width = 0, prec = (size_t)-1;

        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f++;
        for (;; f++) {
            if (*f == '-') left = 1;
            else if (*f == '0') zero = 1;
            else if (*f == ' ' || *f == '+' || *f == '#') { /* accepted, ignored */ }
            else break;
        }
        if (*f == '*') {
            int w = va_arg(ap, int);
            if (w < 0) { left = 1; w = -w; }
            width = (size_t)w;
            f++;
        } else {
            while (*f >= '0' && *f <= '9')
                width = width * 10 + (size_t)(*f++ - '0');
        }
        if (*f == '.') {
            f++;
            if (*f == '*') {
                int p = va_arg(ap, int);
                prec = p < 0 ? (size_t)-1 : (size_t)p;
                f++;
            } else {
                prec = 0;
                while (*f >= '0' && *f <= '9')
                    prec = prec * 10 + (size_t)(*f++ - '0');
            }
        }
        for (;; f++) {
            if (*f == 'h') lmod = lmod == -1 ? -2 : -1;
            else if (*f == 'l') lmod = lmod == 1 ? 2 : 1;
            else if (*f == 'z' || *f == 'j' || *f == 't') lmod = 3;
            else break;
        }
        switch (*f) {
        case 'd': case 'i': {
            intmax_t v;
            if (lmod == 2) v = va_arg(ap, long long);
            else if (lmod == 1) v = va_arg(ap, long);
            else if (lmod == 3) v = va_arg(ap, intmax_t);
            else v = va_arg(ap, int);
            if (lmod == -1) v = (short)v;
            if (lmod == -2) v = (signed char)v;
            put_uint(&o, v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v, 10, 0,
                     v < 0, width, left, zero);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            uintmax_t v;
            if (lmod == 2) v = va_arg(ap, unsigned long long);
            else if (lmod == 1) v = va_arg(ap, unsigned long);
            else if (lmod == 3) v = va_arg(ap, uintmax_t);
            else v = va_arg(ap, unsigned);
            if (lmod == -1) v = (unsigned short)v;
            if (lmod == -2) v = (unsigned char)v;
            put_uint(&o, v, *f == 'u' ? 10u : *f == 'o' ? 8u : 16u, *f == 'X', 0,
                     width, left, zero);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            put(&o, '0');
            put(&o, 'x');
            put_uint(&o, v, 16, 0, 0, 0, 0, 0);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!left && width > 1) pad(&o, width - 1, ' ');
            put(&o, c);
            if (left && width > 1) pad(&o, width - 1, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t len = 0;
            if (!s)
                s = "(null)";
            while (len < prec && s[len])
                len++;
            if (!left && width > len) pad(&o, width - len, ' ');
            for (size_t k = 0; k < len; k++)
                put(&o, s[k]);
            if (left && width > len) pad(&o, width - len, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case '\0':
            f--; /* a lone '%' at the end: stop at the NUL */
            break;
        default:
            put(&o, '%');
            put(&o, *f);
            break;
        }
    }
    if (size)
        buf[o.n < size ? o.n : size - 1] = '\0';
    return o.n;
}

void fc_diag_add(fc_diags *d, int severity, int32_t insn, const char *fmt, ...)
{
    va_list ap;

    if (!d)
        return;
    if (severity >= FC_SEV_ERROR)
        d->nerrors++;
    else if (severity == FC_SEV_WARNING)
        d->nwarnings++;
    if (!d->items || d->n >= d->cap)
        return;
    fc_diag *g = &d->items[d->n++];
    g->severity = (uint8_t)severity;
    g->insn = insn;
    va_start(ap, fmt);
    fmt_v(g->msg, sizeof g->msg, fmt, ap);
    va_end(ap);
}

size_t fc_diag_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = fmt_v(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
