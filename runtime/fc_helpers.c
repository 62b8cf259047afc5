/*
 * fc_helpers.c - the standard helpers (Femto-Containers numbering), each
 * checking every guest pointer it is given. Freestanding C99: no stdio; the
 * printf formatter is our own and writes through the host's hook.
 */
#include "fc_helpers.h"
#include "fc_helpers_fc.h"
#include "fc_libc.h"

#define RET_ERR (~(uint64_t)0)  /* the C "int" -1 of Femto-Containers helpers */

/* Stop the program: a pointer argument was refused. */
static uint64_t fault(fc_vm *vm, uint64_t addr)
{
    vm->helper_err = FC_ERR_HELPER_FAULT;
    vm->err_addr = addr;
    return 0;
}

static const fc_helper_env *env_of(const fc_vm *vm)
{
    return vm->env;
}

/* ---- key-value tables ------------------------------------------------------ */

void fc_kv_init(fc_kv *kv, fc_kv_entry *entries, uint32_t cap)
{
    if (!kv)
        return;
    kv->entries = entries;
    kv->cap = entries ? cap : 0;
    kv->used = 0;
}

static uint32_t kv_used(const fc_kv *kv)
{
    return kv->used < kv->cap ? kv->used : kv->cap;
}

int fc_kv_store(fc_kv *kv, uint32_t key, uint32_t value)
{
    uint32_t k, n;
    if (!kv || !kv->entries)
        return -1;
    n = kv_used(kv);
    for (k = 0; k < n; k++)
        if (kv->entries[k].key == key) {
            kv->entries[k].value = value;
            return 0;
        }
    if (n >= kv->cap)
        return -1;
    kv->entries[n].key = key;
    kv->entries[n].value = value;
    kv->used = n + 1;
    return 0;
}

int fc_kv_fetch(const fc_kv *kv, uint32_t key, uint32_t *value)
{
    uint32_t k, n;
    *value = 0;
    if (!kv || !kv->entries)
        return -1;
    n = kv_used(kv);
    for (k = 0; k < n; k++)
        if (kv->entries[k].key == key) {
            *value = kv->entries[k].value;
            return 0;
        }
    return -1;
}

static uint64_t kv_store(fc_kv *kv, uint64_t key, uint64_t value)
{
    return fc_kv_store(kv, (uint32_t)key, (uint32_t)value) ? RET_ERR : 0;
}

/* Femto-Containers semantics: an absent key reads as 0 and is not an error. */
static uint64_t kv_fetch(fc_vm *vm, const fc_kv *kv, uint64_t key, uint64_t ptr)
{
    uint32_t v;
    uint8_t *p = fc_vm_translate(vm, ptr, 4, FC_PERM_W);
    if (!p)
        return fault(vm, ptr);
    (void)fc_kv_fetch(kv, (uint32_t)key, &v);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return 0;
}

uint64_t fc_helper_store_local(fc_vm *vm, uint64_t key, uint64_t value,
                               uint64_t r3, uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = env_of(vm);
    (void)r3; (void)r4; (void)r5;
    return kv_store(e ? e->kv_local : NULL, key, value);
}

uint64_t fc_helper_store_global(fc_vm *vm, uint64_t key, uint64_t value,
                                uint64_t r3, uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = env_of(vm);
    (void)r3; (void)r4; (void)r5;
    return kv_store(e ? e->kv_global : NULL, key, value);
}

uint64_t fc_helper_fetch_local(fc_vm *vm, uint64_t key, uint64_t value_ptr,
                               uint64_t r3, uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = env_of(vm);
    (void)r3; (void)r4; (void)r5;
    return kv_fetch(vm, e ? e->kv_local : NULL, key, value_ptr);
}

uint64_t fc_helper_fetch_global(fc_vm *vm, uint64_t key, uint64_t value_ptr,
                                uint64_t r3, uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = env_of(vm);
    (void)r3; (void)r4; (void)r5;
    return kv_fetch(vm, e ? e->kv_global : NULL, key, value_ptr);
}

/* ---- clocks --------------------------------------------------------------------- */

uint64_t fc_helper_now_ms(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                          uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = env_of(vm);
    (void)r1; (void)r2; (void)r3; (void)r4; (void)r5;
    return e && e->now_ms ? e->now_ms(e->ctx) : 0;
}

uint64_t fc_helper_ztimer_now(fc_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                              uint64_t r4, uint64_t r5)
{
    const fc_helper_env *e = env_of(vm);
    (void)r1; (void)r2; (void)r3; (void)r4; (void)r5;
    return e && e->now_us ? e->now_us(e->ctx) : 0;
}

/* ---- memcpy ---------------------------------------------------------------------- */

/* Both ranges checked (W for dst, R for src) before anything is copied;
 * overlapping ranges are copied as memmove does. len 0 copies nothing and
 * checks nothing (an empty range holds no byte to protect). */
uint64_t fc_helper_memcpy(fc_vm *vm, uint64_t dst, uint64_t src, uint64_t len,
                          uint64_t r4, uint64_t r5)
{
    uint8_t *d;
    const uint8_t *s;
    (void)r4; (void)r5;
    if (len == 0)
        return dst;
    d = fc_vm_translate(vm, dst, len, FC_PERM_W);
    if (!d)
        return fault(vm, dst);
    s = fc_vm_translate(vm, src, len, FC_PERM_R);
    if (!s)
        return fault(vm, src);
    /* a region is at most 4 GiB - 1, so len fits a size_t here */
    fc_memmove(d, s, (size_t)len);
    return dst;
}

/* ---- number formatting ------------------------------------------------------------ */

/* Digits of v in base 10 or 16, written backwards ending at end; returns
 * the count. */
static unsigned utoa_rev(char *end, uint64_t v, unsigned base, int upper)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned n = 0;
    do {
        *--end = dig[v % base];
        v /= base;
        n++;
    } while (v);
    return n;
}

/* ---- fmt_u32_dec / fmt_s16_dfp (RIOT fmt semantics) -------------------------------- */

/* Write len bytes of b at guest address out (0: only report the length). */
static uint64_t put_out(fc_vm *vm, uint64_t out, const char *b, unsigned len)
{
    uint8_t *p;
    if (out == 0)
        return len;
    p = fc_vm_translate(vm, out, len, FC_PERM_W);
    if (!p)
        return fault(vm, out);
    fc_memmove(p, b, len);
    return len;
}

uint64_t fc_helper_fmt_u32_dec(fc_vm *vm, uint64_t out, uint64_t val,
                               uint64_t r3, uint64_t r4, uint64_t r5)
{
    char b[10];
    unsigned n = utoa_rev(b + sizeof b, (uint32_t)val, 10, 0);
    (void)r3; (void)r4; (void)r5;
    return put_out(vm, out, b + sizeof b - n, n);
}

/*
 * val * 10^scale as a decimal string: scale > 0 appends zeros ("-354800"
 * for -3548, 2); scale < 0 places a decimal point, with at least one digit
 * before it ("-35.48" for -3548, -2; "0.05" for 5, -2).
 */
uint64_t fc_helper_fmt_s16_dfp(fc_vm *vm, uint64_t out, uint64_t val,
                               uint64_t scale, uint64_t r4, uint64_t r5)
{
    char d[5], b[1 + FC_FMT_MAX_SCALE + 2 + 5];
    uint32_t v16 = (uint32_t)val & 0xffffu, s32 = (uint32_t)scale;
    int neg = (v16 & 0x8000u) != 0;
    uint32_t mag = neg ? 0x10000u - v16 : v16;
    int scale_neg = (s32 & 0x80000000u) != 0;
    uint32_t sc = scale_neg ? 0u - s32 : s32;
    unsigned nd, len = 0, k, lead;
    (void)r4; (void)r5;

    if (sc > FC_FMT_MAX_SCALE) {
        vm->helper_err = FC_ERR_HELPER_FAULT;
        return 0;
    }
    nd = utoa_rev(d + sizeof d, mag, 10, 0);
    if (neg)
        b[len++] = '-';
    if (!scale_neg) {
        for (k = 0; k < nd; k++)
            b[len++] = d[sizeof d - nd + k];
        for (k = 0; k < sc; k++)
            b[len++] = '0';
    } else {
        /* pad with zeros so that one digit precedes the point */
        lead = nd <= sc ? sc + 1 - nd : 0;
        for (k = 0; k < lead + nd; k++) {
            if (k == lead + nd - sc)
                b[len++] = '.';
            b[len++] = k < lead ? '0' : d[sizeof d - nd + (k - lead)];
        }
    }
    return put_out(vm, out, b, len);
}

/* ---- printf ------------------------------------------------------------------------- */

typedef struct {
    const fc_helper_env *env;
    int emit;         /* 0: measuring/validating pass, 1: output pass */
    uint32_t n;       /* bytes waiting in buf */
    uint64_t total;   /* bytes produced */
    char buf[48];
} pf_out;

static void pf_flush(pf_out *o)
{
    if (o->n && o->env && o->env->write)
        o->env->write(o->env->ctx, o->buf, o->n);
    o->n = 0;
}

static void pf_put(pf_out *o, char c)
{
    o->total++;
    if (!o->emit)
        return;
    o->buf[o->n++] = c;
    if (o->n == sizeof o->buf)
        pf_flush(o);
}

static void pf_puts(pf_out *o, const char *s, uint32_t len)
{
    while (len--)
        pf_put(o, *s++);
}

static void pf_pad(pf_out *o, char c, uint32_t k)
{
    while (k--)
        pf_put(o, c);
}

/*
 * One pass over the format. Returns 0, or -1 with *bad = the guest address
 * of an unreadable %s argument. Conversions: %d %i %u %x %X %c %s %p %%,
 * with an optional 'l' or 'll' (64-bit argument; without it d/i/u/x/X use
 * the low 32 bits, as the guest's int), flags '-' and '0', a width (clamped
 * to FC_PRINTF_MAX_WIDTH) and a precision (the maximum length of %s; ignored
 * for numbers). Anything else, and conversions past the fourth argument,
 * are copied verbatim.
 */
static int pf_run(fc_vm *vm, pf_out *o, const char *f, uint32_t flen,
                  const uint64_t args[4], uint64_t *bad)
{
    uint32_t k = 0, argi = 0;

    while (k < flen) {
        uint32_t start = k, width = 0, prec = 0xffffffffu, len = 0, pad;
        int left = 0, zero = 0, lng = 0;
        char c = f[k++], conv, num[24];
        const char *body = num, *prefix = "";
        uint64_t a;

        if (c != '%') {
            pf_put(o, c);
            continue;
        }
        for (; k < flen && (f[k] == '-' || f[k] == '0'); k++) {
            if (f[k] == '-')
                left = 1;
            else
                zero = 1;
        }
        for (; k < flen && f[k] >= '0' && f[k] <= '9'; k++) {
            width = width * 10 + (uint32_t)(f[k] - '0');
            if (width > FC_PRINTF_MAX_WIDTH)
                width = FC_PRINTF_MAX_WIDTH;
        }
        if (k < flen && f[k] == '.') {
            prec = 0;
            for (k++; k < flen && f[k] >= '0' && f[k] <= '9'; k++) {
                prec = prec * 10 + (uint32_t)(f[k] - '0');
                if (prec > 0xffffffu)
                    prec = 0xffffffu;
            }
        }
        for (; k < flen && f[k] == 'l' && lng < 2; k++)
            lng++;
        if (k >= flen) {  /* incomplete conversion at the end */
            pf_puts(o, f + start, k - start);
            break;
        }
        conv = f[k++];
        if (conv == '%') {
            pf_put(o, '%');
            continue;
        }
        if (argi >= 4 || !(conv == 'd' || conv == 'i' || conv == 'u' ||
                           conv == 'x' || conv == 'X' || conv == 'c' ||
                           conv == 's' || conv == 'p')) {
            pf_puts(o, f + start, k - start);
            continue;
        }
        a = args[argi++];
        switch (conv) {
        case 'd':
        case 'i':
            if (!lng)
                a = ((a & 0xffffffffu) ^ 0x80000000u) - 0x80000000u;
            if (a >> 63) {
                prefix = "-";
                a = 0 - a;
            }
            len = utoa_rev(num + sizeof num, a, 10, 0);
            body = num + sizeof num - len;
            break;
        case 'u':
        case 'x':
        case 'X':
            if (!lng)
                a &= 0xffffffffu;
            len = utoa_rev(num + sizeof num, a, conv == 'u' ? 10 : 16,
                           conv == 'X');
            body = num + sizeof num - len;
            break;
        case 'p':
            prefix = "0x";
            len = utoa_rev(num + sizeof num, a, 16, 0);
            body = num + sizeof num - len;
            break;
        case 'c':
            num[0] = (char)(uint8_t)a;
            len = 1;
            zero = 0;
            break;
        default: /* 's' */
            body = fc_vm_string(vm, a, &len);
            if (!body) {
                *bad = a;
                return -1;
            }
            if (len > prec)
                len = prec;
            zero = 0;
            break;
        }
        {
            uint32_t plen = (uint32_t)(prefix[0] ? (prefix[1] ? 2 : 1) : 0);
            pad = width > len + plen ? width - (len + plen) : 0;
            if (left) {
                pf_puts(o, prefix, plen);
                pf_puts(o, body, len);
                pf_pad(o, ' ', pad);
            } else if (zero) {
                pf_puts(o, prefix, plen);
                pf_pad(o, '0', pad);
                pf_puts(o, body, len);
            } else {
                pf_pad(o, ' ', pad);
                pf_puts(o, prefix, plen);
                pf_puts(o, body, len);
            }
        }
    }
    return 0;
}

/*
 * The format string must be NUL-terminated inside one readable region, and
 * so must every %s argument. Everything is checked in a first pass that
 * produces nothing, so a refused call prints nothing at all.
 */
uint64_t fc_helper_printf(fc_vm *vm, uint64_t fmt, uint64_t a1, uint64_t a2,
                          uint64_t a3, uint64_t a4)
{
    pf_out o;
    uint64_t args[4], bad = 0;
    uint32_t flen;
    const char *f = fc_vm_string(vm, fmt, &flen);

    if (!f)
        return fault(vm, fmt);
    args[0] = a1;
    args[1] = a2;
    args[2] = a3;
    args[3] = a4;
    o.env = env_of(vm);
    o.n = 0;
    o.total = 0;
    o.emit = 0;
    if (pf_run(vm, &o, f, flen, args, &bad))
        return fault(vm, bad);
    o.emit = 1;
    o.total = 0;
    (void)pf_run(vm, &o, f, flen, args, &bad);
    pf_flush(&o);
    return o.total;
}

/* ---- the table --------------------------------------------------------------------- */

const fc_helper fc_std_helpers[] = {
    {FC_HELPER_PRINTF,       fc_helper_printf,       "printf"},
    {FC_HELPER_MEMCPY,       fc_helper_memcpy,       "memcpy"},
    {FC_HELPER_STORE_LOCAL,  fc_helper_store_local,  "store_local"},
    {FC_HELPER_STORE_GLOBAL, fc_helper_store_global, "store_global"},
    {FC_HELPER_FETCH_LOCAL,  fc_helper_fetch_local,  "fetch_local"},
    {FC_HELPER_FETCH_GLOBAL, fc_helper_fetch_global, "fetch_global"},
    {FC_HELPER_NOW_MS,       fc_helper_now_ms,       "now_ms"},
    {FC_HELPER_FMT_S16_DFP,  fc_helper_fmt_s16_dfp,  "fmt_s16_dfp"},
    {FC_HELPER_FMT_U32_DEC,  fc_helper_fmt_u32_dec,  "fmt_u32_dec"},
    {FC_HELPER_ZTIMER_NOW,   fc_helper_ztimer_now,   "ztimer_now"},
    /* fc_helpers_fc.c: over the firmware's port (env->port) */
    {FC_HELPER_SAUL_FIND_NTH,   fc_helper_saul_find_nth,   "saul_reg_find_nth"},
    {FC_HELPER_SAUL_FIND_TYPE,  fc_helper_saul_find_type,  "saul_reg_find_type"},
    {FC_HELPER_SAUL_READ,       fc_helper_saul_read,       "saul_reg_read"},
    {FC_HELPER_GCOAP_RESP_INIT, fc_helper_gcoap_resp_init, "gcoap_resp_init"},
    {FC_HELPER_COAP_OPT_FINISH, fc_helper_coap_opt_finish, "coap_opt_finish"},
    {FC_HELPER_COAP_ADD_FORMAT, fc_helper_coap_add_format, "coap_add_format"},
    {FC_HELPER_COAP_GET_PDU,    fc_helper_coap_get_pdu,    "coap_get_pdu"},
    {FC_HELPER_ZTIMER_PERIODIC, fc_helper_ztimer_periodic_wakeup, "ztimer_periodic_wakeup"},
    {FC_HELPER_ABORT,           fc_helper_abort,           "abort"},
};

const uint32_t fc_std_helpers_count =
    (uint32_t)(sizeof fc_std_helpers / sizeof fc_std_helpers[0]);
