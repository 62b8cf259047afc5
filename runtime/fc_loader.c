/*
 * fc_loader.c - validate, install, open and run .fcx containers.
 * Freestanding C99, no allocation. Specification: docs/fcx.md.
 *
 * Validation reads the container only through the bounds-checked readers of
 * fc_container.h and does all size arithmetic so that it cannot overflow
 * (fc_in_bounds, or 64-bit sums of values already limited to 2^24..2^32).
 * Nothing is written before every check, including the relocation range
 * checks at their final addresses, has passed.
 *
 * Install streams the slot image page by page. The image bytes of any
 * window are generated from the container (fill_window), and every
 * relocation touching the window is applied to a copy of its instruction
 * taken from the container, so a relocation straddling a page (or buffer)
 * boundary is computed whole and each page receives its part. Programmed
 * bytes are read back and compared. The install record, which makes the
 * slot valid, is programmed last.
 *
 *   slot + 0     install record (FC_SLOT_REC_SIZE bytes, programmed last)
 *        + 192   native code for this core (relocated; absent = interpreter)
 *        ...     .rodata, .data image, bytecode, helper ids, entries,
 *                pc map  -- each 8-byte aligned, 0xFF padding
 */
#include "fc_loader.h"
#include "fc_sha256.h"
#include "fc_ed25519.h"
#include "fc_libc.h"

/*
 * Build options (docs/PORTING.md "Runtime build options"):
 *   FC_NO_INTERP  native-only device: only containers with native code this
 *                 core can use are installed (as if FC_INSTALL_REQUIRE_NATIVE
 *                 were always given); fc_run never reaches the interpreter,
 *                 which fc_vm.c then leaves out.
 *   FC_NO_NATIVE  interpreter-only device: native code sections are
 *                 validated as container content but never installed; every
 *                 container runs in the interpreter; no relocation file and
 *                 no native env code (fc_native_rt.c) are referenced.
 * Without either, both engines are built (the default).
 */
#if defined(FC_NO_INTERP) && defined(FC_NO_NATIVE)
#error "FC_NO_INTERP and FC_NO_NATIVE together leave no engine to run a container"
#endif

/* ---- install record offsets -------------------------------------------- */
#define R_MAGIC      0x00u
#define R_VERSION    0x04u
#define R_ENGINE     0x06u
#define R_IMAGE_SIZE 0x08u
#define R_FLAGS      0x0Cu
#define R_FRAMES     0x10u
#define R_BUDGET     0x14u
#define R_ISA        0x18u
#define R_CODE       0x1Cu  /* off, len */
#define R_RODATA     0x24u
#define R_DATA       0x2Cu
#define R_BSS        0x34u
#define R_INSNS      0x38u  /* off, count */
#define R_HELPERS    0x40u
#define R_ENTRIES    0x48u
#define R_PCMAP      0x50u
#define R_RAM_ADDR   0x58u  /* u64 */
#define R_RAM_NEED   0x60u
#define R_IMG_ADDR   0x64u  /* u64 */
#define R_CTX_MIN    0x6Cu
#define R_CTX_FLAGS  0x70u
#define R_TRUST      0x74u  /* u8 enum fc_trust, then zero */
#define R_JIT        0x75u  /* u8: 1 = code compiled by this device (FC_POLICY_JIT) */
#define R_STACK_UNT  0x78u  /* u32 header stack_untouched (0 in older records) */
#define R_RESERVED   0x7Cu  /* .. 0x80 zero */
#define R_FCX_SHA    0x80u
#define R_SLOT_SHA   0xA0u
static const uint8_t rec_magic[4] = { 0xFCu, 'F', 'C', 'I' };

/* ---- results ------------------------------------------------------------ */
/* Detailed messages name the field that failed. FC_LOADER_TERSE drops them
 * from the image (about 5 KB on Cortex-M3); fc_lerr_str's short names stay. */
#ifdef FC_LOADER_TERSE
#define W(msg) ((const char *)0)
#else
#define W(msg) (msg)
#endif

/* The fields of the last fc_run_args fc_run accepted that the template
 * does not hold already (its stack fields are the other half of the key) */
typedef struct run_key {
    uint8_t *ctx;
    uint64_t ctx_addr;
    uint32_t entry, flags, ctx_len, ctx_perm, nextra;
    uint32_t start;              /* interpreter: the entry's instruction  */
} run_key;

/* fc_run's run template, see "run" below */
typedef struct run_tmpl {
    fc_vm vm;
    uint8_t *stack;              /* what vm's table was built from       */
    uint64_t stack_addr;         /* fc_run_args.stack_addr as given       */
    uint32_t stack_len;
    uint32_t nregions;           /* vm.nregions after the build           */
    uint8_t valid;               /* 0: rebuild at the next run            */
    uint8_t has_ctx;             /* regions[0] is the context             */
    uint8_t env_ok;              /* env's slots hold vm's regions         */
    uint8_t fast;                /* 1: key passed every check of fc_run   */
    uint8_t engine;              /* the engine key runs on                */
    run_key key;                 /* the last arguments fc_run accepted    */
#ifndef FC_NO_NATIVE
    /* native apps only: an interpreter app's template ends before */
    fc_native_env env;
    fc_native_invoke call;
#endif
} run_tmpl;

/* bytes of the template in the instance RAM (8-aligned) */
#ifndef FC_NO_NATIVE
#define RUN_TMPL_SIZE(engine) ((uint32_t)(((engine) != FC_TARGET_EBPF ? sizeof(run_tmpl)  \
                                           : offsetof(run_tmpl, env)) + 7u) & ~7u)
#else
#define RUN_TMPL_SIZE(engine) ((uint32_t)(sizeof(run_tmpl) + 7u) & ~7u)
#endif

static run_tmpl *tmpl_of(const fc_app *a)
{
    return (run_tmpl *)(void *)(a->ram + a->ram_tmpl);
}

/* install, open: the first run builds the template and checks its arguments */
static void tmpl_reset(const fc_app *a)
{
    run_tmpl *t = tmpl_of(a);
    t->valid = 0;
    t->fast = 0;
}

/* One writer of a result for every refusal. The section and record indices
 * travel packed in one word (AT(sect, item): sect + 1 in bits 0..6, item + 1
 * above; a section index is below FC_FCX_MAX_SECTIONS = 64, a record index
 * below 2^24 since the image is at most 16 MiB), so that every call site
 * passes its arguments in registers: with ~140 call sites this is most of
 * what a refusal costs in code. With FC_LOADER_TERSE the message argument
 * is not even passed: `what` is then fc_lerr_str(code). */
#define AT(sect, item) (((uint32_t)((item) + 1) << 7) | (uint32_t)((sect) + 1))
#ifdef FC_LOADER_TERSE
#define WHAT_ARG(what)
#define WHAT_PARAM
#define WHAT_OF(code) fc_lerr_str(code)
#else
#define WHAT_ARG(what) (what),
#define WHAT_PARAM const char *what,
#define WHAT_OF(code) (what ? what : fc_lerr_str(code))
#endif
#if defined(__GNUC__)
#define FAIL_COLD __attribute__((noinline, cold))
#define NOINLINE __attribute__((noinline))   /* two callers: one copy is smaller */
#else
#define FAIL_COLD
#define NOINLINE
#endif
static FAIL_COLD int failv_res(fc_lresult *r, int code, WHAT_PARAM uint32_t at, uint32_t value)
{
    r->what = WHAT_OF(code);
    r->code = code;
    r->sect = (int32_t)(at & 127u) - 1;
    r->item = (int32_t)(at >> 7) - 1;
    r->has_value = 1;
    r->value = value;
    return code;
}
static FAIL_COLD int fail_res(fc_lresult *r, int code, WHAT_PARAM uint32_t at)
{
    failv_res(r, code, WHAT_ARG(what) at, 0);
    r->has_value = 0;
    return code;
}
#define fail(r, code, what, sect, item) fail_res(r, code, WHAT_ARG(what) AT(sect, item))
#define failv(r, code, what, sect, item, value) \
    failv_res(r, code, WHAT_ARG(what) AT(sect, item), value)

static int ok(fc_lresult *r)
{
    return fail(r, FC_OK, "ok", -1, -1);
}

/* The names cost about 2 KB of ROM: a terse (device) build leaves them to
 * the host, where `femto-objdump --error N` prints them and femto-board
 * names the codes a board reports (fc_lresult_format writes the number). */
#ifdef FC_LOADER_TERSE
const char *fc_lerr_str(int code)
{
    if (code >= FC_LERR_BASE && code < FC_LERR__END)
        return "loader error";
    return fc_err_str(code);
}
#else
const char *fc_lerr_str(int code)
{
    static const char *const names[FC_LERR__END - FC_LERR_BASE] = {
        "bad argument", "truncated container", "bad magic",
        "format version newer than this loader", "format version older than this loader",
        "bad header size", "unknown required flag", "reserved header bytes set",
        "bad image size", "trailing bytes", "bad trailer", "signature required",
        "bad section table", "bad stack frame count", "budget above the platform limit",
        "target bits do not match the code sections", "hash mismatch",
        "unknown section type", "unknown section flag", "bad section field",
        "empty section", "misaligned section", "section out of bounds",
        "sections out of order", "sections overlap", "non-zero padding",
        "duplicate section", "bad section size", "bad section link",
        "no bytecode", "invalid bytecode", "no entry points", "bad entry point",
        "helper imports not sorted", "helper not available", "unknown code target",
        "bad native entry table", "bad native entry offset", "bad relocation offset",
        "relocations out of order", "bad relocation kind", "bad relocation symbol",
        "relocation symbol not provided", "relocation does not match the instruction",
        "relocation out of range", "bad pc map", "no native code for this core",
        "core lacks required ISA features", "address above 4 GiB", "instance RAM above the limit",
        "bad slot", "container does not fit the slot", "instance RAM too small",
        "bad staging buffer", "flash not memory mapped", "flash erase failed",
        "flash program failed", "flash read failed", "flash verify failed",
        "nothing installed", "installed image corrupt", "instance RAM moved",
        "unknown entry", "native code cannot run here", "stack too small", "too many regions",
        "context requirement above the limit", "context shorter than the container requires",
        "context read-only but the code writes it unchecked",
        "signed by a key this device does not trust", "signature does not verify",
        "bad stack_untouched", "the device's verifier refused the program",
        "the device's compiler failed",
    };
    if (code >= FC_LERR_BASE && code < FC_LERR__END)
        return names[code - FC_LERR_BASE];
    return fc_err_str(code);
}
#endif

static size_t put_str(char *buf, size_t size, size_t pos, const char *s)
{
    while (*s) {
        if (pos + 1 < size)
            buf[pos] = *s;
        pos++;
        s++;
    }
    return pos;
}

static size_t put_num(char *buf, size_t size, size_t pos, uint32_t v, int hex)
{
    char tmp[12];
    unsigned n = 0, base = hex ? 16u : 10u;
    if (hex)
        pos = put_str(buf, size, pos, "0x");
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n) {
        if (pos + 1 < size)
            buf[pos] = tmp[n - 1];
        pos++;
        n--;
    }
    return pos;
}

size_t fc_lresult_format(const fc_lresult *r, char *buf, size_t size)
{
    size_t pos = 0;
    if (!r || !buf || !size)
        return 0;
    if (r->sect >= 0) {
        pos = put_str(buf, size, pos, "section ");
        pos = put_num(buf, size, pos, (uint32_t)r->sect, 0);
    }
    if (r->item >= 0) {
        pos = put_str(buf, size, pos, r->sect >= 0 ? " record " : "record ");
        pos = put_num(buf, size, pos, (uint32_t)r->item, 0);
    }
    if (r->sect >= 0 || r->item >= 0)
        pos = put_str(buf, size, pos, ": ");
    pos = put_str(buf, size, pos, r->what ? r->what : fc_lerr_str(r->code));
#ifdef FC_LOADER_TERSE
    /* "loader error 77": the host names the code (femto-objdump --error) */
    if (r->code >= FC_LERR_BASE && r->code < FC_LERR__END) {
        pos = put_str(buf, size, pos, " ");
        pos = put_num(buf, size, pos, (uint32_t)r->code, 0);
    }
#endif
    if (r->has_value) {
        pos = put_str(buf, size, pos, " (value ");
        pos = put_num(buf, size, pos, r->value, 1);
        pos = put_str(buf, size, pos, ")");
    }
    buf[pos < size ? pos : size - 1] = 0;
    return pos < size ? pos : size - 1;
}

/* ---- the parsed container ---------------------------------------------- */
typedef struct part {
    uint32_t off, size, info;
    int32_t idx;      /* section index, -1 = absent */
} part;

typedef struct view {
    fc_fcx_header h;
    part bytecode, entries, helpers, rodata, data, bss;
    part code[FC_TARGET__COUNT], centries[FC_TARGET__COUNT];
    part reloc[FC_TARGET__COUNT], pcmap[FC_TARGET__COUNT];
    uint32_t ninsns, nentries, nhelpers;
    /* where the code parts (code, centries, reloc, pcmap) are read from: the
     * container, or the device compiler's output (FC_POLICY_JIT) */
    const uint8_t *nb;
    uint32_t nb_len;
    uint8_t jit;                 /* fc_install_info.jit */
    fc_lresult jit_res;
} view;

static uint32_t align8(uint32_t x) { return (x + 7u) & ~7u; }

static int all_zero(const uint8_t *b, uint32_t from, uint32_t to)
{
    while (from < to)
        if (b[from++])
            return 0;
    return 1;
}

static int known_type(unsigned t)
{
    return (t >= FC_FCX_SECT_BYTECODE && t <= FC_FCX_SECT_BSS) ||
           (t >= FC_FCX_SECT_CODE && t <= FC_FCX_SECT_PCMAP);
}

static int linked_type(unsigned t)
{
    return t == FC_FCX_SECT_CODE_ENTRIES || t == FC_FCX_SECT_RELOC ||
           t == FC_FCX_SECT_PCMAP;
}

static void part_set(part *p, const fc_fcx_section *s, int32_t idx)
{
    p->off = s->offset;
    p->size = s->size;
    p->info = s->info;
    p->idx = idx;
}

static int parse_header(const uint8_t *b, uint32_t len, view *v, fc_lresult *r)
{
    fc_fcx_header *h = &v->h;

    if (!fc_fcx_read_header(b, len, h))
        return fail(r, FC_LERR_TRUNCATED, W("container shorter than its 80-byte header"), -1, -1);
    if (b[0] != FC_FCX_MAGIC0 || b[1] != FC_FCX_MAGIC1 || b[2] != FC_FCX_MAGIC2 ||
        b[3] != FC_FCX_MAGIC3)
        return fail(r, FC_LERR_MAGIC, W("magic is not \\xFC FCX: not an .fcx container"), -1, -1);
    if (h->major > FC_FCX_VERSION_MAJOR)
        return failv(r, FC_LERR_VERSION_NEWER,
                     W("format major version newer than this loader (update the runtime)"),
                     -1, -1, h->major);
    if (h->major < FC_FCX_VERSION_MAJOR)
        return failv(r, FC_LERR_VERSION_OLDER,
                     W("format major version older than this loader (rebuild the container)"),
                     -1, -1, h->major);
    if (h->header_size != FC_FCX_HDR_SIZE)
        return failv(r, FC_LERR_HEADER_SIZE, W("header_size is not 80"), -1, -1, h->header_size);
    if (h->flags & FC_FCX_F_REQUIRED_MASK & ~FC_FCX_F_KNOWN)
        return failv(r, FC_LERR_FLAGS, W("flags: unknown required flag"),
                     -1, -1, h->flags & FC_FCX_F_REQUIRED_MASK & ~FC_FCX_F_KNOWN);
    if (!all_zero(b, FC_FCX_H_RESERVED_2_2, FC_FCX_H_SHA256))
        return fail(r, FC_LERR_RESERVED, W("header bytes 0x2c..0x2f are reserved and must be zero"), -1, -1);
    if (h->stack_untouched > FC_STACK_SIZE || (h->stack_untouched & 7u))
        return failv(r, FC_LERR_STACK_USE, W("stack_untouched above 512 or not a multiple of 8"),
                     -1, -1, h->stack_untouched);
    if (h->ctx_min > FC_FCX_MAX_CTX)
        return failv(r, FC_LERR_CTX_LIMIT, W("ctx_min above the 64 KiB limit"), -1, -1, h->ctx_min);
    if (h->ctx_flags & ~FC_FCX_CTX_KNOWN)
        return failv(r, FC_LERR_CTX_LIMIT, W("ctx_flags: unknown flag"), -1, -1,
                     h->ctx_flags & ~FC_FCX_CTX_KNOWN);
    if (h->image_size < FC_FCX_HDR_SIZE || (h->image_size & 7u) ||
        h->image_size > FC_FCX_MAX_IMAGE)
        return failv(r, FC_LERR_IMAGE_SIZE,
                     W("image_size below the header, not a multiple of 8 or above 16 MiB"),
                     -1, -1, h->image_size);
    if (h->image_size > len)
        return failv(r, FC_LERR_IMAGE_SIZE, W("image_size beyond end of container"), -1, -1,
                     h->image_size);
    if (h->flags & FC_FCX_F_TRAILER) {
        /* records {u32 type, u32 length, body padded to 8} up to len */
        uint32_t p = h->image_size;
        int32_t k = 0;
        if (p == len)
            return fail(r, FC_LERR_TRAILER, W("trailer flag set but no trailer"), -1, -1);
        while (p < len) {
            uint32_t rlen, pad;
            if (!fc_in_bounds(len, p, FC_FCX_TRAILER_REC_HDR))
                return fail(r, FC_LERR_TRAILER, W("trailer record header truncated"), -1, k);
            rlen = fc_le32(b + p + 4);
            p += FC_FCX_TRAILER_REC_HDR;
            pad = (8u - (rlen & 7u)) & 7u;
            if (!fc_in_bounds(len, p, rlen) || !fc_in_bounds(len, p + rlen, pad))
                return failv(r, FC_LERR_TRAILER, W("trailer record length beyond end of container"),
                             -1, k, rlen);
            if (!all_zero(b, p + rlen, p + rlen + pad))
                return fail(r, FC_LERR_TRAILER, W("trailer record padding not zero"), -1, k);
            p += rlen + pad;
            k++;
        }
    } else if (len != h->image_size) {
        return failv(r, FC_LERR_TRAILING, W("bytes after image_size without the trailer flag"),
                     -1, -1, len - h->image_size);
    }
    if (h->nsect == 0 || h->nsect > FC_FCX_MAX_SECTIONS)
        return failv(r, FC_LERR_SECTION_TABLE, W("section_count is 0 or above 64"), -1, -1, h->nsect);
    if (h->sect_off < FC_FCX_HDR_SIZE || (h->sect_off & 7u))
        return failv(r, FC_LERR_SECTION_TABLE,
                     W("section table offset inside the header or not a multiple of 8"),
                     -1, -1, h->sect_off);
    if (!fc_in_bounds(h->image_size, h->sect_off, (uint32_t)h->nsect * FC_FCX_SECT_SIZE))
        return failv(r, FC_LERR_SECTION_TABLE, W("section table beyond end of image"), -1, -1,
                     h->sect_off);
    if (!all_zero(b, FC_FCX_HDR_SIZE, h->sect_off))
        return fail(r, FC_LERR_SECT_GAP, W("padding between header and section table not zero"), -1, -1);
    if (h->frames == 0 || h->frames > FC_MAX_CALL_DEPTH)
        return failv(r, FC_LERR_FRAMES, W("stack_frames is 0 or above FC_MAX_CALL_DEPTH"), -1, -1,
                     h->frames);
    return FC_OK;
}

/* Role of a section; FC_OK or a duplicate error. */
static int assign(view *v, const fc_fcx_section *s, int32_t i, fc_lresult *r)
{
    part *p = 0;
    switch (s->type) {
    case FC_FCX_SECT_BYTECODE: p = &v->bytecode; break;
    case FC_FCX_SECT_ENTRIES: p = &v->entries; break;
    case FC_FCX_SECT_HELPERS: p = &v->helpers; break;
    case FC_FCX_SECT_RODATA: p = &v->rodata; break;
    case FC_FCX_SECT_DATA: p = &v->data; break;
    case FC_FCX_SECT_BSS: p = &v->bss; break;
    case FC_FCX_SECT_CODE: p = &v->code[s->target]; break;
    default: return FC_OK; /* linked sections: assigned after the loop */
    }
    if (p->idx >= 0)
        return failv(r, FC_LERR_SECT_DUP, W("second section of this type (or for this target)"),
                     i, -1, s->type);
    part_set(p, s, i);
    return FC_OK;
}

static int parse_sections(const uint8_t *b, view *v, fc_lresult *r)
{
    const fc_fcx_header *h = &v->h;
    uint32_t table_end = h->sect_off + (uint32_t)h->nsect * FC_FCX_SECT_SIZE;
    uint32_t prev_off = table_end, prev_end = table_end;
    fc_fcx_section s, c;
    int32_t i, n = h->nsect;
    int e;

    for (i = 0; i < n; i++) {
        int known;
        if (!fc_fcx_read_section(b, h->image_size, h->sect_off + (uint32_t)i * FC_FCX_SECT_SIZE, &s))
            return fail(r, FC_LERR_SECTION_TABLE, W("section table entry beyond end of image"), i, -1);
        if (s.flags & ~FC_FCX_SF_KNOWN)
            return failv(r, FC_LERR_SECT_FLAGS, W("unknown section flag"), i, -1, s.flags);
        if (s.reserved0 || s.reserved1)
            return fail(r, FC_LERR_SECT_FIELD, W("reserved section fields not zero"), i, -1);
        known = known_type(s.type);
        if (!known && !(s.flags & FC_FCX_SF_OPTIONAL))
            return failv(r, FC_LERR_SECT_TYPE, W("unknown section type (not optional)"), i, -1, s.type);
        if (known && s.type == FC_FCX_SECT_BSS) {
            if (s.offset || s.size)
                return fail(r, FC_LERR_SECT_FIELD, W("bss: offset and size must be 0 (no file bytes)"), i, -1);
            if (s.info == 0)
                return fail(r, FC_LERR_SECT_EMPTY, W("bss: size (info) is 0: omit the section"), i, -1);
        } else {
            if (s.size == 0)
                return fail(r, FC_LERR_SECT_EMPTY, W("section has no bytes: omit it"), i, -1);
            if (s.offset & 7u)
                return failv(r, FC_LERR_SECT_ALIGN, W("offset not a multiple of 8"), i, -1, s.offset);
            if (!fc_in_bounds(h->image_size, s.offset, s.size))
                return failv(r, FC_LERR_SECT_BOUNDS, W("offset+length beyond end of container"),
                             i, -1, s.offset);
            if (s.offset < table_end)
                return failv(r, FC_LERR_SECT_OVERLAP, W("overlaps the header or the section table"),
                             i, -1, s.offset);
            if (s.offset < prev_off)
                return failv(r, FC_LERR_SECT_ORDER,
                             W("offset below the previous section's: table not in file order"),
                             i, -1, s.offset);
            if (s.offset < prev_end)
                return failv(r, FC_LERR_SECT_OVERLAP, W("overlaps the previous section"), i, -1, s.offset);
            prev_off = s.offset;
            prev_end = s.offset + s.size;
        }
        if (!known)
            continue;   /* optional section of a newer minor version */
        if (s.type == FC_FCX_SECT_CODE) {
            if (s.target == FC_TARGET_EBPF || s.target >= FC_TARGET__COUNT)
                return failv(r, FC_LERR_CODE_TARGET, W("code section for an unknown target"), i, -1, s.target);
        } else if (s.target) {
            return failv(r, FC_LERR_SECT_FIELD, W("target set on a section that is not code"), i, -1, s.target);
        }
        if (linked_type(s.type)) {
            if (s.link >= n)
                return failv(r, FC_LERR_SECT_LINK, W("link beyond the section table"), i, -1, s.link);
        } else if (s.link) {
            return failv(r, FC_LERR_SECT_FIELD, W("link set on a section that is not linked"), i, -1, s.link);
        }
        if (s.info && s.type != FC_FCX_SECT_CODE && s.type != FC_FCX_SECT_BSS)
            return failv(r, FC_LERR_SECT_FIELD, W("info set on a section that has none"), i, -1, s.info);
        if ((e = assign(v, &s, i, r)) != FC_OK)
            return e;
    }
    if (h->image_size - prev_end >= 8u)
        return failv(r, FC_LERR_IMAGE_SIZE, W("image_size beyond the last section (more than padding)"),
                     -1, -1, h->image_size);

    /* padding: the sections are known to be in order now, so every byte
     * between two of them (and after the last) must be zero */
    prev_end = table_end;
    for (i = 0; i < n; i++) {
        fc_fcx_read_section(b, h->image_size, h->sect_off + (uint32_t)i * FC_FCX_SECT_SIZE, &s);
        if (s.type == FC_FCX_SECT_BSS && s.size == 0)
            continue;
        if (!all_zero(b, prev_end, s.offset))
            return fail(r, FC_LERR_SECT_GAP, W("padding before the section not zero"), i, -1);
        prev_end = s.offset + s.size;
    }
    if (!all_zero(b, prev_end, h->image_size))
        return fail(r, FC_LERR_SECT_GAP, W("padding after the last section not zero"), -1, -1);

    /* linked sections: the section they describe must be code */
    for (i = 0; i < n; i++) {
        part *p;
        if (!fc_fcx_read_section(b, h->image_size, h->sect_off + (uint32_t)i * FC_FCX_SECT_SIZE, &s))
            return fail(r, FC_LERR_SECTION_TABLE, W("section table entry beyond end of image"), i, -1);
        if (!known_type(s.type) || !linked_type(s.type))
            continue;
        if (!fc_fcx_read_section(b, h->image_size, h->sect_off + (uint32_t)s.link * FC_FCX_SECT_SIZE, &c))
            return failv(r, FC_LERR_SECT_LINK, W("link beyond the section table"), i, -1, s.link);
        if (c.type != FC_FCX_SECT_CODE || c.target == FC_TARGET_EBPF || c.target >= FC_TARGET__COUNT)
            return failv(r, FC_LERR_SECT_LINK, W("link does not name a code section"), i, -1, s.link);
        p = s.type == FC_FCX_SECT_CODE_ENTRIES ? &v->centries[c.target]
            : s.type == FC_FCX_SECT_RELOC      ? &v->reloc[c.target]
                                               : &v->pcmap[c.target];
        if (p->idx >= 0)
            return failv(r, FC_LERR_SECT_DUP, W("second section of this type for one code section"),
                         i, -1, s.type);
        part_set(p, &s, i);
    }
    return FC_OK;
}

static int parse_bytecode(const uint8_t *b, view *v, fc_lresult *r)
{
    const part *p = &v->bytecode;
    uint32_t i;

    if (p->idx < 0)
        return fail(r, FC_LERR_NO_BYTECODE, W("no bytecode section"), -1, -1);
    if (p->size & 7u)
        return failv(r, FC_LERR_SECT_SIZE, W("bytecode size not a multiple of 8"), p->idx, -1, p->size);
    v->ninsns = p->size / FC_INSN_SIZE;
    for (i = 0; i < v->ninsns;) {
        fc_insn in = fc_insn_decode(b + p->off + i * 8u), nx;
        const fc_insn *next = 0;
        enum fc_insn_fault f;
        if (i + 1 < v->ninsns) {
            nx = fc_insn_decode(b + p->off + (i + 1) * 8u);
            next = &nx;
        }
        f = fc_insn_check(&in, next, 0);
        if (f != FC_INSN_OK)
            return failv(r, FC_LERR_BYTECODE, W("instruction fails the encoding check"), p->idx,
                         (int32_t)i, (uint32_t)f);
        /* lddw of a section the container lacks: the interpreter would stop
         * there, native code would run on with an address: refuse it */
        if (in.op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM) && fc_src(in) == FC_LDDW_SECTION &&
            (in.imm == FC_SECT_RODATA ? v->rodata.idx : in.imm == FC_SECT_DATA ? v->data.idx
                                                                                : v->bss.idx) < 0)
            return fail(r, FC_LERR_BYTECODE, W("lddw names a data section the container lacks"),
                        p->idx, (int32_t)i);
        i += fc_insn_slots(in);
    }
    return FC_OK;
}

static int parse_entries(const uint8_t *b, view *v, fc_lresult *r)
{
    const part *p = &v->entries;
    uint32_t k, j;

    if (p->idx < 0)
        return fail(r, FC_LERR_NO_ENTRIES, W("no entry section"), -1, -1);
    if (p->size % FC_FCX_ENTRY_SIZE)
        return failv(r, FC_LERR_SECT_SIZE, W("entries size not a multiple of 32"), p->idx, -1, p->size);
    v->nentries = p->size / FC_FCX_ENTRY_SIZE;
    if (v->nentries > FC_FCX_MAX_ENTRIES)
        return failv(r, FC_LERR_SECT_SIZE, W("more than 64 entries"), p->idx, -1, v->nentries);
    for (k = 0; k < v->nentries; k++) {
        const uint8_t *e = b + p->off + k * FC_FCX_ENTRY_SIZE;
        uint32_t insn = fc_le32(e + FC_FCX_E_INSN), nul = 0;
        while (nul < FC_FCX_NAME_LEN && e[nul])
            nul++;
        if (nul == 0 || nul == FC_FCX_NAME_LEN)
            return fail(r, FC_LERR_ENTRY, W("entry name empty or not NUL-terminated in 24 bytes"),
                        p->idx, (int32_t)k);
        if (!all_zero(e, nul, FC_FCX_NAME_LEN))
            return fail(r, FC_LERR_ENTRY, W("entry name not NUL-padded"), p->idx, (int32_t)k);
        if (fc_le32(e + FC_FCX_E_RESERVED))
            return fail(r, FC_LERR_ENTRY, W("entry reserved field not zero"), p->idx, (int32_t)k);
        if (insn >= v->ninsns)
            return failv(r, FC_LERR_ENTRY, W("entry instruction index beyond the bytecode"),
                         p->idx, (int32_t)k, insn);
        /* slot insn-1 being an lddw makes insn its second half (an lddw's
         * second slot has opcode 0, so it is never itself an lddw) */
        if (insn > 0 && b[v->bytecode.off + (insn - 1) * 8u] == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM))
            return failv(r, FC_LERR_ENTRY, W("entry points into the middle of an lddw"),
                         p->idx, (int32_t)k, insn);
        for (j = 0; j < k; j++)
            if (fc_memcmp(e, b + p->off + j * FC_FCX_ENTRY_SIZE, FC_FCX_NAME_LEN) == 0)
                return fail(r, FC_LERR_ENTRY, W("duplicate entry name"), p->idx, (int32_t)k);
    }
    return FC_OK;
}

/*
 * The entry table against the bytecode (docs/fcx.md "Validation" step 3):
 * every entry starts a function the way femtoc's verifier checked it:
 * no two entries at one instruction, control cannot fall into an entry
 * from the instruction before it (that one is exit or ja), and no local
 * call targets an entry (an entry runs at depth 1 with r1 = context,
 * r2 = length: it is never also a callee). One pass over the bytecode.
 */
static int check_entry_starts(const uint8_t *b, const view *v, fc_lresult *r)
{
    const part *p = &v->entries;
    const uint8_t *code = b + v->bytecode.off;
    uint32_t k, j, i;

    for (k = 0; k < v->nentries; k++) {
        uint32_t at = fc_le32(b + p->off + k * FC_FCX_ENTRY_SIZE + FC_FCX_E_INSN);
        for (j = 0; j < k; j++)
            if (fc_le32(b + p->off + j * FC_FCX_ENTRY_SIZE + FC_FCX_E_INSN) == at)
                return failv(r, FC_LERR_ENTRY, W("two entries start at the same instruction"),
                             p->idx, (int32_t)k, at);
        if (at > 0) {
            uint8_t prev = code[(at - 1u) * 8u];
            if (prev != (FC_CLS_JMP | FC_JMP_EXIT) && prev != (FC_CLS_JMP | FC_JMP_JA) &&
                prev != (FC_CLS_JMP32 | FC_JMP_JA))
                return failv(r, FC_LERR_ENTRY, W("entry does not start a function (the instruction "
                             "before it may fall through)"), p->idx, (int32_t)k, at);
        }
    }
    for (i = 0; i < v->ninsns; i++) {
        const uint8_t *x = code + i * 8u;
        int64_t t;
        if (x[0] != (FC_CLS_JMP | FC_JMP_CALL) || (x[1] >> 4) != FC_CALL_LOCAL)
            continue;
        t = (int64_t)i + 1 + (int32_t)fc_le32(x + 4);
        for (k = 0; k < v->nentries; k++)
            if ((int64_t)fc_le32(b + p->off + k * FC_FCX_ENTRY_SIZE + FC_FCX_E_INSN) == t)
                return failv(r, FC_LERR_ENTRY, W("a local call targets an entry point"), p->idx,
                             (int32_t)k, i);
    }
    return FC_OK;
}

static int parse_helpers(const uint8_t *b, view *v, fc_lresult *r)
{
    const part *p = &v->helpers;
    uint32_t k, prev = 0;

    v->nhelpers = 0;
    if (p->idx < 0)
        return FC_OK;
    if (p->size % FC_FCX_HELPER_SIZE)
        return failv(r, FC_LERR_SECT_SIZE, W("helpers size not a multiple of 4"), p->idx, -1, p->size);
    v->nhelpers = p->size / FC_FCX_HELPER_SIZE;
    if (v->nhelpers > FC_FCX_MAX_HELPERS)
        return failv(r, FC_LERR_SECT_SIZE, W("more than 256 helper imports"), p->idx, -1, v->nhelpers);
    for (k = 0; k < v->nhelpers; k++) {
        uint32_t id = fc_le32(b + p->off + 4u * k);
        if (k > 0 && id <= prev)
            return failv(r, FC_LERR_HELPER_ORDER, W("helper ids not strictly ascending"),
                         p->idx, (int32_t)k, id);
        prev = id;
    }
    return FC_OK;
}

static int parse_code(view *v, unsigned t, fc_lresult *r)
{
    const uint8_t *b = v->nb;
    const part *c = &v->code[t], *ce = &v->centries[t], *rl = &v->reloc[t], *pm = &v->pcmap[t];
    uint32_t k, prev_end = 0, prev_pc = 0;

    if (c->idx < 0) {
        if (ce->idx >= 0 || rl->idx >= 0 || pm->idx >= 0)   /* unreachable: links name code */
            return fail(r, FC_LERR_SECT_LINK, W("section linked to a missing code section"), -1, -1);
        return FC_OK;
    }
    if (ce->idx < 0)
        return fail(r, FC_LERR_CODE_ENTRIES, W("code section without a native entry table"), c->idx, -1);
    if (ce->size != v->nentries * FC_FCX_NENTRY_SIZE)
        return failv(r, FC_LERR_CODE_ENTRIES, W("native entry table size is not 4 x entry count"),
                     ce->idx, -1, ce->size);
    for (k = 0; k < v->nentries; k++) {
        uint32_t off = fc_le32(b + ce->off + 4u * k);
        if (off >= c->size || off % fc_fcx_code_align(t))
            return failv(r, FC_LERR_NATIVE_ENTRY, W("native entry offset outside the code or misaligned"),
                         ce->idx, (int32_t)k, off);
    }
    if (rl->idx >= 0) {
        if (rl->size % FC_FCX_RELOC_SIZE)
            return failv(r, FC_LERR_SECT_SIZE, W("relocation section size not a multiple of 12"),
                         rl->idx, -1, rl->size);
        for (k = 0; k < rl->size / FC_FCX_RELOC_SIZE; k++) {
            fc_fcx_reloc rr;
            uint32_t w;
            if (!fc_fcx_read_reloc(b, v->nb_len, rl->off + k * FC_FCX_RELOC_SIZE, &rr))
                return fail(r, FC_LERR_SECT_BOUNDS, W("relocation record beyond end of image"), rl->idx, (int32_t)k);
            if (rr.reserved)
                return fail(r, FC_LERR_SECT_FIELD, W("relocation reserved field not zero"), rl->idx, (int32_t)k);
            w = fc_fcx_reloc_width(t, rr.kind);
            if (w == 0)
                return failv(r, FC_LERR_RELOC_KIND, W("relocation kind not defined for the code's target"),
                             rl->idx, (int32_t)k, rr.kind);
            if (rr.sym >= FC_SYM__COUNT)
                return failv(r, FC_LERR_RELOC_SYM, W("relocation symbol unknown"), rl->idx, (int32_t)k, rr.sym);
            if (rr.offset % fc_fcx_reloc_align(rr.kind))
                return failv(r, FC_LERR_RELOC_OFFSET, W("relocation offset misaligned for its kind"),
                             rl->idx, (int32_t)k, rr.offset);
            if (!fc_in_bounds(c->size, rr.offset, w))
                return failv(r, FC_LERR_RELOC_OFFSET,
                             W("relocation offset+width beyond the code (no room for the instruction)"),
                             rl->idx, (int32_t)k, rr.offset);
            if (rr.offset < prev_end)
                return failv(r, FC_LERR_RELOC_ORDER, W("relocations not ascending or overlapping"),
                             rl->idx, (int32_t)k, rr.offset);
            prev_end = rr.offset + w;
        }
    }
    if (pm->idx >= 0) {
        if (pm->size % FC_FCX_PCMAP_SIZE)
            return failv(r, FC_LERR_SECT_SIZE, W("pc map size not a multiple of 8"), pm->idx, -1, pm->size);
        for (k = 0; k < pm->size / FC_FCX_PCMAP_SIZE; k++) {
            fc_fcx_pcmap m;
            if (!fc_fcx_read_pcmap(b, v->nb_len, pm->off + k * FC_FCX_PCMAP_SIZE, &m))
                return fail(r, FC_LERR_SECT_BOUNDS, W("pc map record beyond end of image"), pm->idx, (int32_t)k);
            if (m.native_off >= c->size || (k > 0 && m.native_off <= prev_pc))
                return failv(r, FC_LERR_PCMAP, W("pc map offsets not ascending or outside the code"),
                             pm->idx, (int32_t)k, m.native_off);
            /* insn == ninsns: the error path of running off the end */
            if (m.insn > v->ninsns && m.insn != FC_FCX_PCMAP_NO_INSN)
                return failv(r, FC_LERR_PCMAP, W("pc map instruction index beyond the bytecode"),
                             pm->idx, (int32_t)k, m.insn);
            prev_pc = m.native_off;
        }
    }
    return FC_OK;
}

static void payload_hash(const uint8_t *b, uint32_t image_size, uint8_t out[32])
{
    static const uint8_t zero[32] = { 0 };
    fc_sha256_ctx c;
    fc_sha256_init(&c);
    fc_sha256_update(&c, b, FC_FCX_H_SHA256);
    fc_sha256_update(&c, zero, 32);
    fc_sha256_update(&c, b + FC_FCX_HDR_SIZE, image_size - FC_FCX_HDR_SIZE);
    fc_sha256_final(&c, out);
}

/* Everything that does not depend on the device. */
static int parse(const uint8_t *b, uint32_t len, view *v, fc_lresult *r)
{
    uint8_t hash[32];
    unsigned t;
    uint16_t targets = 1u << FC_TARGET_EBPF;
    uint64_t ram;
    int e;

    fc_memset(v, 0, sizeof *v);
    v->bytecode.idx = v->entries.idx = v->helpers.idx = -1;
    v->rodata.idx = v->data.idx = v->bss.idx = -1;
    for (t = 0; t < FC_TARGET__COUNT; t++)
        v->code[t].idx = v->centries[t].idx = v->reloc[t].idx = v->pcmap[t].idx = -1;

    if (!b)
        return fail(r, FC_LERR_ARG, W("no container"), -1, -1);
    if ((e = parse_header(b, len, v, r)) != FC_OK)
        return e;
    if ((e = parse_sections(b, v, r)) != FC_OK)
        return e;
    if ((e = parse_bytecode(b, v, r)) != FC_OK)
        return e;
    if ((e = parse_entries(b, v, r)) != FC_OK)
        return e;
    if ((e = check_entry_starts(b, v, r)) != FC_OK)
        return e;
    if ((e = parse_helpers(b, v, r)) != FC_OK)
        return e;
    ram = (uint64_t)v->data.size + v->bss.info + v->rodata.size;
    if (ram > FC_FCX_MAX_RAM)
        return failv(r, FC_LERR_RAM_LIMIT, W(".data + .bss + .rodata above 16 MiB"), -1, -1, (uint32_t)ram);
    v->nb = b;
    v->nb_len = v->h.image_size;
    for (t = 1; t < FC_TARGET__COUNT; t++) {
        if ((e = parse_code(v, t, r)) != FC_OK)
            return e;
        if (v->code[t].idx >= 0)
            targets |= (uint16_t)(1u << t);
    }
    if (v->h.targets != targets)
        return failv(r, FC_LERR_TARGETS, W("header target bits differ from the code sections present"),
                     -1, -1, v->h.targets);
    payload_hash(b, v->h.image_size, hash);
    if (fc_memcmp(hash, v->h.sha256, 32) != 0)
        return fail(r, FC_LERR_HASH, W("SHA-256 of the payload does not match the header"), -1, -1);
    return ok(r);
}

/* ---- platform checks and the slot layout ------------------------------- */
/* Every helper id of ids[0..n) registered on the platform (plan, fc_open). */
static int helpers_check(const fc_platform *p, const uint8_t *ids, uint32_t n, int32_t sect,
                         fc_lresult *r)
{
    uint32_t k, j;
    for (k = 0; k < n; k++) {
        uint32_t id = fc_le32(ids + 4u * k);
        for (j = 0; j < p->nhelpers; j++)
            if (p->helpers[j].id == id && p->helpers[j].fn)
                break;
        if (j == p->nhelpers)
            return failv(r, FC_LERR_HELPER_MISSING, W("helper import not registered on this device"),
                         sect, (int32_t)k, id);
    }
    return FC_OK;
}

/* Slot and instance RAM of cfg into a (plan, fc_open). */
static NOINLINE void bind_slot(fc_app *a, const fc_install_cfg *cfg)
{
    const fc_flash *f = cfg->slot.flash;
    a->flash = f;
    a->slot_off = cfg->slot.off;
    a->slot_size = cfg->slot.size;
    a->img = f->map + cfg->slot.off;
    a->img_addr = f->map_addr + cfg->slot.off;
    a->ram = cfg->ram;
    a->ram_len = cfg->ram_len;
    a->ram_addr = cfg->ram_addr ? cfg->ram_addr : (uint64_t)(uintptr_t)cfg->ram;
}

/* Instance RAM layout: .data | .bss | .rodata (with FC_INSTALL_RODATA_RAM),
 * then fc_run's template (at ram_need); returns what .data/.bss/.rodata need. */
static uint32_t ram_layout(fc_app *a)
{
    a->ram_data = 0;
    a->ram_bss = align8(a->data_len);
    a->ram_rodata = align8(a->ram_bss + a->bss_len);
    return (a->flags & FC_INSTALL_RODATA_RAM) ? a->ram_rodata + align8(a->rodata_len) : a->ram_rodata;
}

/* ---- signatures ------------------------------------------------------------ */
const char *fc_trust_str(unsigned t)
{
    switch (t) {
    case FC_TRUST_UNSIGNED: return "unsigned";
    case FC_TRUST_UNTRUSTED: return "signed by an untrusted key";
    case FC_TRUST_INVALID: return "signed, but its signature does not verify";
    case FC_TRUST_OK: return "signed by a trusted key";
    }
    return "?";
}

/* The key id of a public key: the first 8 bytes of its SHA-256. */
static void key_id(const uint8_t pub[32], uint8_t kid[FC_FCX_KEYID_LEN])
{
    uint8_t h[32];
    uint32_t i;
    fc_sha256_ctx c;
    fc_sha256_init(&c);
    fc_sha256_update(&c, pub, 32);
    fc_sha256_final(&c, h);
    for (i = 0; i < FC_FCX_KEYID_LEN; i++)
        kid[i] = h[i];
}

/*
 * Walk the trailer (parse_header has bounds-checked it) and verify every
 * Ed25519 signature record whose key id names a trusted key, over the
 * Sig_structure of [0, image_size). One valid one makes the container
 * trusted. *key: the trusted key's index (OK / INVALID), else -1.
 */
static unsigned check_trust(const uint8_t *b, uint32_t len, const view *v, const fc_platform *p,
                            int32_t *key)
{
    uint32_t pos = v->h.image_size;
    unsigned found = FC_TRUST_UNSIGNED;

    *key = -1;
    if (!(v->h.flags & FC_FCX_F_TRAILER))
        return FC_TRUST_UNSIGNED;
    while (fc_in_bounds(len, pos, FC_FCX_TRAILER_REC_HDR)) {
        uint32_t type = fc_le32(b + pos), rlen = fc_le32(b + pos + 4), k;
        const uint8_t *body = b + pos + FC_FCX_TRAILER_REC_HDR, *kid, *sig;
        pos += FC_FCX_TRAILER_REC_HDR + rlen + ((8u - (rlen & 7u)) & 7u);
        if (type != FC_FCX_TRAILER_SIGNATURE)
            continue;
        if (found == FC_TRUST_UNSIGNED)
            found = FC_TRUST_UNTRUSTED;
        if (!fc_fcx_sig_decode(body, rlen, &kid, &sig))
            continue;   /* another algorithm: not one this runtime checks */
        for (k = 0; k < p->ntrusted; k++) {
            uint8_t id[FC_FCX_KEYID_LEN], pre[FC_FCX_SIG_MAX_PREFIX];
            fc_ed25519_vfy vf;
            uint32_t n;
            key_id(p->trusted[k].pub, id);
            if (fc_memcmp(id, kid, FC_FCX_KEYID_LEN) != 0)
                continue;
            n = fc_fcx_sig_prefix(pre, kid, v->h.image_size);
            fc_ed25519_verify_start(&vf, p->trusted[k].pub, sig);
            fc_ed25519_verify_update(&vf, pre, n);
            fc_ed25519_verify_update(&vf, b, v->h.image_size);
            if (fc_ed25519_verify_finish(&vf) == 0) {
                *key = (int32_t)k;
                return FC_TRUST_OK;
            }
            found = FC_TRUST_INVALID;
            *key = (int32_t)k;
        }
    }
    return found;
}

/* The policy's refusal for a container that is not trusted. */
static int refuse_untrusted(fc_lresult *r, unsigned trust, int native)
{
    (void)native;   /* only the messages differ */
    switch (trust) {
    case FC_TRUST_INVALID:
        return fail(r, FC_LERR_SIG_INVALID,
                    W("the signature by a trusted key does not verify: the container was changed after signing"),
                    -1, -1);
    case FC_TRUST_UNTRUSTED:
        return fail(r, FC_LERR_SIG_UNTRUSTED,
                    native ? W("native code needs a signature by a trusted key; this one's key is not trusted")
                           : W("signed, but by no key this device trusts"), -1, -1);
    default:
        return fail(r, FC_LERR_SIGNATURE,
                    native ? W("native code needs a signature by a trusted key; the container is unsigned")
                           : W("the platform requires a signature by a trusted key; the container is unsigned"),
                    -1, -1);
    }
}

/* Address of a symbol for relocations of app's code. */
static uint32_t sym_addr(const fc_app *a, unsigned s)
{
    switch (s) {
    case FC_SYM_RODATA:
        return (a->flags & FC_INSTALL_RODATA_RAM) ? (uint32_t)(a->ram_addr + a->ram_rodata)
                                                  : (uint32_t)(a->img_addr + a->rodata_off);
    case FC_SYM_DATA: return (uint32_t)(a->ram_addr + a->ram_data);
    case FC_SYM_BSS: return (uint32_t)(a->ram_addr + a->ram_bss);
    default: return a->plat->sym[s];
    }
}

static int apply_reloc(unsigned target, const fc_fcx_reloc *rr, uint8_t *bytes,
                       uint32_t place, uint32_t value)
{
    if (rr->kind == FC_RELOC_ABS32) {
        fc_put_le32(bytes, value);
        return FC_OK;
    }
#ifdef FC_NO_NATIVE
    /* never reached: no native code is installed by this runtime */
    (void)target;
    (void)place;
    return FC_LERR_RELOC_KIND;
#else
    switch (target) {
    case FC_TARGET_THUMBV7M: return fc_reloc_thumb(rr->kind, bytes, place, value);
    case FC_TARGET_RV32IMAC: return fc_reloc_rv32(rr->kind, bytes, place, value);
    default: return FC_LERR_RELOC_KIND;
    }
#endif
}

/* Relocation k of the chosen code, patched into out[0..width). */
static int reloc_patch(const uint8_t *b, const view *v, const fc_app *a, uint32_t k,
                       fc_fcx_reloc *rr, uint8_t out[8], uint32_t *width)
{
    const part *c = &v->code[a->engine], *rl = &v->reloc[a->engine];
    uint32_t i;
    *width = 0;
    (void)b;
    if (!fc_fcx_read_reloc(v->nb, v->nb_len, rl->off + k * FC_FCX_RELOC_SIZE, rr))
        return FC_LERR_RELOC_OFFSET;   /* parse() has checked every record */
    *width = fc_fcx_reloc_width(a->engine, rr->kind);
    for (i = 0; i < *width; i++)
        out[i] = v->nb[c->off + rr->offset + i];
    return apply_reloc(a->engine, rr, out, (uint32_t)(a->img_addr + a->code_off + rr->offset),
                       sym_addr(a, rr->sym) + (uint32_t)rr->addend);
}

static uint32_t put_part(uint32_t *cursor, uint32_t len, uint32_t *off)
{
    *off = len ? *cursor : 0;
    *cursor = align8(*cursor + len);
    return len;
}

#ifndef FC_NO_NATIVE
/* FC_POLICY_JIT: the device compiles when the container has no code for
 * this core it may use (none, untrusted, or for ISA features it lacks). */
static int want_jit(const fc_platform *p, uint32_t flags, const view *v, unsigned t, int native_ok)
{
    if (!(p->policy & FC_POLICY_JIT) || !p->jit || (flags & FC_INSTALL_BYTECODE_ONLY) ||
        t == FC_TARGET_EBPF || t >= FC_TARGET__COUNT)
        return 0;
    return v->code[t].idx < 0 || !native_ok || (v->code[t].info & ~p->isa) != 0;
}

#define JIT_SECT 0xFFFF   /* section index the device compiler's parts report */

/* Compile with plat->jit, then take its output as the code for p->target,
 * validated as a code section of the container would be. */
static int run_jit(const uint8_t *b, view *v, const fc_platform *p, fc_lresult *r)
{
    fc_jit_in in;
    fc_jit_out o;
    unsigned t = p->target;
    int e;

    fc_memset(&in, 0, sizeof in);
    fc_memset(&o, 0, sizeof o);
    in.insns = b + v->bytecode.off;
    in.ninsns = v->ninsns;
    in.entries = b + v->entries.off;
    in.nentries = v->nentries;
    in.rodata = v->rodata.idx >= 0 ? b + v->rodata.off : 0;
    in.rodata_len = v->rodata.idx >= 0 ? v->rodata.size : 0;
    in.data = v->data.idx >= 0 ? b + v->data.off : 0;
    in.data_len = v->data.idx >= 0 ? v->data.size : 0;
    in.bss_len = v->bss.idx >= 0 ? v->bss.info : 0;
    in.ctx_min = v->h.ctx_min;
    in.target = (uint8_t)t;
    in.isa = p->isa;
    if ((e = p->jit(p->jit_ctx, &in, &o, r)) != FC_OK)
        return e;
    if (!o.buf || !o.code_len || !fc_in_bounds(o.buf_len, o.code_off, o.code_len) ||
        !fc_in_bounds(o.buf_len, o.centries_off, v->nentries * 4u) ||
        o.nrelocs > o.buf_len / FC_FCX_RELOC_SIZE ||
        !fc_in_bounds(o.buf_len, o.reloc_off, o.nrelocs * FC_FCX_RELOC_SIZE) ||
        o.npcmap > o.buf_len / FC_FCX_PCMAP_SIZE ||
        !fc_in_bounds(o.buf_len, o.pcmap_off, o.npcmap * FC_FCX_PCMAP_SIZE) ||
        (o.isa & ~p->isa))
        return fail(r, FC_LERR_JIT_COMPILE, W("the device compiler's output is malformed"), JIT_SECT, -1);
    v->nb = o.buf;
    v->nb_len = o.buf_len;
    v->code[t].off = o.code_off;
    v->code[t].size = o.code_len;
    v->code[t].info = o.isa;
    v->code[t].idx = JIT_SECT;
    v->centries[t].off = o.centries_off;
    v->centries[t].size = v->nentries * 4u;
    v->centries[t].idx = JIT_SECT;
    v->reloc[t].off = o.reloc_off;
    v->reloc[t].size = o.nrelocs * FC_FCX_RELOC_SIZE;
    v->reloc[t].idx = o.nrelocs ? JIT_SECT : -1;
    v->pcmap[t].off = o.pcmap_off;
    v->pcmap[t].size = o.npcmap * FC_FCX_PCMAP_SIZE;
    v->pcmap[t].idx = o.npcmap ? JIT_SECT : -1;
    v->jit = 1;
    /* the same rules as for a code section of the container */
    return parse_code(v, t, r);
}
#endif

/* The install flags the engine choice obeys: a native-only runtime always
 * requires native code (untrusted code, a missing ISA feature: refused). */
#ifdef FC_NO_INTERP
#define INSTALL_FLAGS(cfg) ((cfg)->flags | FC_INSTALL_REQUIRE_NATIVE)
#else
#define INSTALL_FLAGS(cfg) ((cfg)->flags)
#endif

/*
 * Device-dependent checks and the layout of slot and RAM, filled into *a.
 * have_addr: slot and RAM are known, so relocations are checked at their
 * final addresses (range included).
 */
static int plan(const uint8_t *b, uint32_t len, view *v, const fc_install_cfg *cfg,
                fc_app *a, int have_addr, int may_jit, fc_lresult *r)
{
    const fc_platform *p = cfg->plat;
    uint32_t k, cur, eff_budget;
    unsigned t;
    int native_ok, e;

    fc_memset(a, 0, sizeof *a);
    a->plat = p;
    a->flags = cfg->flags;
    a->frames = v->h.frames;
    a->budget = v->h.budget;
    a->ctx_min = v->h.ctx_min;
    a->ctx_flags = v->h.ctx_flags;
    a->stack_untouched = v->h.stack_untouched;
    for (k = 0; k < 32; k++)
        a->container_sha256[k] = v->h.sha256[k];

    /* signatures first: nothing else of an untrusted container matters */
    if (p->ntrusted && !p->trusted)
        return fail(r, FC_LERR_ARG, W("platform: trusted key count without keys"), -1, -1);
    a->trust = (uint8_t)check_trust(b, len, v, p, &a->trust_key);
    if ((p->policy & FC_POLICY_REQUIRE_SIGNATURE) && a->trust != FC_TRUST_OK)
        return refuse_untrusted(r, a->trust, 0);
    native_ok = FC_POLICY_UNSIGNED_NATIVE_OK(p->policy) || a->trust == FC_TRUST_OK;
    eff_budget = v->h.budget ? v->h.budget : FC_DEFAULT_BUDGET;
    if (p->max_budget && eff_budget > p->max_budget) {
        if (v->h.budget)
            return failv(r, FC_LERR_BUDGET, W("budget above the platform's maximum"), -1, -1, v->h.budget);
        a->budget = p->max_budget;   /* default budget, capped by the platform */
    }
    if ((e = helpers_check(p, b + v->helpers.off, v->nhelpers, v->helpers.idx, r)) != FC_OK)
        return e;

    /* engine: the code for this core when it exists and the core has the
     * ISA features it needs, else the interpreter */
    t = p->target;
    a->engine = FC_TARGET_EBPF;
#ifndef FC_NO_NATIVE
    /* the device's own compiler: its code needs no signature */
    if (may_jit && want_jit(p, INSTALL_FLAGS(cfg), v, t, native_ok)) {
        int e = run_jit(b, v, p, r);
        if (e == FC_OK) {
            native_ok = 1;
            a->jit = 1;
        } else if ((INSTALL_FLAGS(cfg) & FC_INSTALL_REQUIRE_NATIVE) ||
                   (e == FC_LERR_JIT_VERIFY && (p->policy & FC_POLICY_JIT_STRICT))) {
            return e;   /* *r: the compiler's refusal */
        } else {
            v->jit = 2;   /* the interpreter runs it (the container's code stays untrusted) */
            v->jit_res = *r;
        }
    }
#else
    (void)may_jit;
#endif
#ifdef FC_NO_INTERP
    /* native-only runtime: what the interpreter would have run is refused */
    if (INSTALL_FLAGS(cfg) & FC_INSTALL_BYTECODE_ONLY)
        return fail(r, FC_LERR_ARG, W("bytecode-only install, but this runtime has no interpreter"),
                    -1, -1);
    if (t == FC_TARGET_EBPF || t >= FC_TARGET__COUNT || v->code[t].idx < 0)
        return failv(r, FC_LERR_NO_NATIVE,
                     W("no native code for this core, and this runtime has no interpreter"), -1, -1, t);
    if (!p->invoke)
        return fail(r, FC_LERR_NATIVE_UNAVAILABLE,
                    W("the platform cannot call native code, and this runtime has no interpreter"),
                    -1, -1);
#endif
#ifdef FC_NO_NATIVE
    /* interpreter-only runtime: native code sections are never installed */
    if (INSTALL_FLAGS(cfg) & FC_INSTALL_REQUIRE_NATIVE)
        return fail(r, FC_LERR_NATIVE_UNAVAILABLE,
                    W("native code required, but this runtime runs the interpreter only"), -1, -1);
    (void)native_ok;
    (void)t;
#else
    if (!(INSTALL_FLAGS(cfg) & FC_INSTALL_BYTECODE_ONLY) && t != FC_TARGET_EBPF && t < FC_TARGET__COUNT &&
        v->code[t].idx >= 0 && !native_ok) {
        if (INSTALL_FLAGS(cfg) & FC_INSTALL_REQUIRE_NATIVE)
            return refuse_untrusted(r, a->trust, 1);
        a->native_dropped = 1;   /* bytecode only: the interpreter checks everything */
    } else if (!(INSTALL_FLAGS(cfg) & FC_INSTALL_BYTECODE_ONLY) && t != FC_TARGET_EBPF &&
               t < FC_TARGET__COUNT && v->code[t].idx >= 0) {
        if ((v->code[t].info & ~p->isa) == 0)
            a->engine = (uint8_t)t;   /* JIT code: made for p->isa */
        else if (INSTALL_FLAGS(cfg) & FC_INSTALL_REQUIRE_NATIVE)
            return failv(r, FC_LERR_ISA, W("code needs ISA features this core lacks"),
                         v->code[t].idx, -1, v->code[t].info & ~p->isa);
    }
    if (a->engine == FC_TARGET_EBPF && (INSTALL_FLAGS(cfg) & FC_INSTALL_REQUIRE_NATIVE))
        return failv(r, FC_LERR_NO_NATIVE, W("native code required but none for this core's target"),
                     -1, -1, t);
#endif

    /* slot layout */
    cur = FC_SLOT_REC_SIZE;
    if (a->engine != FC_TARGET_EBPF) {
        a->code_len = put_part(&cur, v->code[a->engine].size, &a->code_off);
        a->npcmap = v->pcmap[a->engine].size / FC_FCX_PCMAP_SIZE;
        a->isa = v->code[a->engine].info;
    }
    a->rodata_len = put_part(&cur, v->rodata.size, &a->rodata_off);
    a->data_len = put_part(&cur, v->data.size, &a->data_off);
    a->ninsns = v->ninsns;
    put_part(&cur, v->bytecode.size, &a->insns_off);
    a->nhelpers = v->nhelpers;
    put_part(&cur, v->nhelpers * 4u, &a->helpers_off);
    a->nentries = v->nentries;
    put_part(&cur, v->nentries * FC_SLOT_ENTRY_SIZE, &a->entries_off);
    put_part(&cur, a->npcmap * FC_FCX_PCMAP_SIZE, &a->pcmap_off);
    a->image_size = cur;
    a->bss_len = v->bss.idx >= 0 ? v->bss.info : 0;

    /* instance RAM layout: .data | .bss | .rodata (optional), then the run
     * template (fc_run) */
    a->ram_need = a->ram_tmpl = ram_layout(a);

    if (have_addr) {
        bind_slot(a, cfg);
        if (a->image_size > cfg->slot.size)
            return failv(r, FC_LERR_SLOT_SPACE, W("image larger than the slot"), -1, -1, a->image_size);
        if (a->ram_need > cfg->ram_len || cfg->ram_len - a->ram_need < RUN_TMPL_SIZE(a->engine))
            return failv(r, FC_LERR_RAM,
                         W("instance RAM smaller than .data + .bss (+ .rodata) + the run template"),
                         -1, -1, a->ram_need + RUN_TMPL_SIZE(a->engine));
        if (a->engine != FC_TARGET_EBPF &&
            (a->img_addr > 0xFFFFFFFFu - a->image_size ||
             a->ram_addr > 0xFFFFFFFFu - a->ram_need))
            return fail(r, FC_LERR_ADDR, W("slot or instance RAM above the 32-bit address space"), -1, -1);
    }

    /* relocations of the chosen code */
    if (a->engine != FC_TARGET_EBPF && v->reloc[a->engine].idx >= 0) {
        const part *rl = &v->reloc[a->engine];
        uint32_t n = rl->size / FC_FCX_RELOC_SIZE;
        for (k = 0; k < n; k++) {
            fc_fcx_reloc rr;
            uint8_t tmp[8];
            uint32_t w;
            if (!fc_fcx_read_reloc(v->nb, v->nb_len, rl->off + k * FC_FCX_RELOC_SIZE, &rr))
                return fail(r, FC_LERR_SECT_BOUNDS, W("relocation record beyond end of image"), rl->idx, (int32_t)k);
            if (rr.sym != FC_SYM_RODATA && rr.sym != FC_SYM_DATA && rr.sym != FC_SYM_BSS &&
                p->sym[rr.sym] == 0)
                return failv(r, FC_LERR_RELOC_SYM_MISSING, W("relocation symbol not provided by this platform"),
                             rl->idx, (int32_t)k, rr.sym);
            e = reloc_patch(b, v, a, k, &rr, tmp, &w);
            /* without addresses the range cannot be judged; the encoding can */
            if (e == FC_LERR_RELOC_RANGE && !have_addr)
                e = FC_OK;
            if (e == FC_LERR_RELOC_INSN)
                return failv(r, e, W("instruction at the relocation offset does not match its kind"),
                             rl->idx, (int32_t)k, rr.offset);
            if (e == FC_LERR_RELOC_RANGE)
                return failv(r, e, W("relocation target out of the instruction's range"),
                             rl->idx, (int32_t)k, rr.offset);
            if (e != FC_OK)
                return failv(r, e, W("relocation kind not defined for the code's target"),
                             rl->idx, (int32_t)k, rr.kind);
        }
    }
    return ok(r);
}

static void fill_info(const view *v, const fc_app *a, const fc_install_cfg *cfg,
                      fc_install_info *info)
{
    uint32_t ps = (cfg->slot.flash && cfg->slot.flash->page_size) ? cfg->slot.flash->page_size : 0;
    if (!info)
        return;
    info->engine = a->engine;
    info->slot_bytes = a->image_size;
    info->slot_pages = ps ? (a->image_size + ps - 1u) / ps : 0;
    info->ram_bytes = a->ram_need;
    info->run_tmpl_bytes = RUN_TMPL_SIZE(a->engine);
    info->stack_bytes = a->frames * FC_STACK_SIZE;
    info->ninsns = v->ninsns;
    info->nentries = v->nentries;
    info->nhelpers = v->nhelpers;
    info->nrelocs = a->engine != FC_TARGET_EBPF ? v->reloc[a->engine].size / FC_FCX_RELOC_SIZE : 0;
    info->trust = a->trust;
    info->key = a->trust_key;
    info->native_dropped = a->native_dropped && !a->jit;
    info->jit = a->jit ? 1u : v->jit;
    if (info->jit)
        info->jit_res = v->jit_res;
}

static int is_pow2(uint32_t x) { return x && !(x & (x - 1u)); }

/* Slot, RAM and buffer sanity (fc_install, fc_open). */
static int check_cfg(const fc_install_cfg *cfg, int need_buf, fc_lresult *r)
{
    const fc_flash *f;
    if (!cfg || !cfg->plat)
        return fail(r, FC_LERR_ARG, W("no configuration or platform"), -1, -1);
    f = cfg->slot.flash;
    if (!f || !f->ops || !is_pow2(f->page_size) || !is_pow2(f->prog_unit) || f->prog_unit > 64u ||
        f->prog_unit > f->page_size)
        return fail(r, FC_LERR_SLOT, W("flash missing or with an impossible geometry"), -1, -1);
    if ((cfg->slot.off & (f->page_size - 1u)) || (cfg->slot.size & (f->page_size - 1u)) ||
        cfg->slot.size == 0 || !fc_in_bounds(f->size, cfg->slot.off, cfg->slot.size))
        return failv(r, FC_LERR_SLOT, W("slot not page aligned, empty or outside the flash"),
                     -1, -1, cfg->slot.off);
    if (!f->map)
        return fail(r, FC_LERR_NOT_MAPPED, W("flash is not memory mapped: cannot run in place"), -1, -1);
    if (((uintptr_t)(f->map + cfg->slot.off) & 7u) || ((f->map_addr + cfg->slot.off) & 7u))
        return fail(r, FC_LERR_SLOT, W("slot not 8-byte aligned in memory"), -1, -1);
    if ((!cfg->ram && cfg->ram_len) || ((uintptr_t)cfg->ram & 7u) || (cfg->ram_addr & 7u))
        return fail(r, FC_LERR_RAM, W("instance RAM missing or not 8-byte aligned"), -1, -1);
    if (need_buf && (!cfg->buf || cfg->buf_len < 64u || (cfg->buf_len % f->prog_unit)))
        return failv(r, FC_LERR_BUF, W("staging buffer missing, under 64 bytes or not a multiple of the program unit"),
                     -1, -1, cfg->buf_len);
    return FC_OK;
}

int fc_fcx_validate(const uint8_t *fcx, uint32_t len, fc_lresult *res)
{
    fc_lresult dummy;
    view v;
    return parse(fcx, len, &v, res ? res : &dummy);
}

int fc_check(const uint8_t *fcx, uint32_t len, const fc_install_cfg *cfg,
             fc_install_info *info, fc_lresult *res)
{
    fc_lresult dummy;
    fc_app a;
    view v;
    int e, have_addr;

    if (!res)
        res = &dummy;
    if (!cfg || !cfg->plat)
        return fail(res, FC_LERR_ARG, W("no configuration or platform"), -1, -1);
    have_addr = cfg->slot.flash != 0;
    if (have_addr && (e = check_cfg(cfg, 0, res)) != FC_OK)
        return e;
    if ((e = parse(fcx, len, &v, res)) != FC_OK)
        return e;
    if ((e = plan(fcx, len, &v, cfg, &a, have_addr, 0, res)) != FC_OK)
        return e;
    fill_info(&v, &a, cfg, info);
    return FC_OK;
}

/* ---- streaming the image ------------------------------------------------- */
typedef struct writer {
    const uint8_t *b;
    const view *v;
    const fc_app *a;
} writer;

/* Copy the part of src (placed at part_off in the image) inside the window. */
typedef struct window {
    uint8_t *out;
    uint32_t win, n;             /* image bytes [win, win + n) into out */
} window;

static void copy_part(const window *wd, uint32_t part_off, const uint8_t *src, uint32_t len)
{
    uint8_t *out = wd->out;
    uint32_t win = wd->win, n = wd->n;
    uint32_t lo = win > part_off ? win : part_off;
    uint32_t hi_w = win + n, hi_p = part_off + len;
    uint32_t hi = hi_w < hi_p ? hi_w : hi_p;
    if (len == 0 || lo >= hi)
        return;
    fc_memmove(out + (lo - win), src + (lo - part_off), hi - lo);
}

/* Image bytes [win, win+n) (relocated). */
static void fill_window(const writer *w, uint32_t win, uint32_t n, uint8_t *out)
{
    const uint8_t *b = w->b;
    const view *v = w->v;
    const fc_app *a = w->a;
    uint32_t k;
    window wn;

    wn.out = out;
    wn.win = win;
    wn.n = n;
    fc_memset(out, 0xFF, n);
    if (a->engine != FC_TARGET_EBPF)
        copy_part(&wn, a->code_off, v->nb + v->code[a->engine].off, a->code_len);
    copy_part(&wn, a->rodata_off, b + v->rodata.off, a->rodata_len);
    copy_part(&wn, a->data_off, b + v->data.off, a->data_len);
    copy_part(&wn, a->insns_off, b + v->bytecode.off, v->bytecode.size);
    copy_part(&wn, a->helpers_off, b + v->helpers.off, a->nhelpers * 4u);
    for (k = 0; k < a->nentries; k++) {
        uint8_t rec[FC_SLOT_ENTRY_SIZE];
        const uint8_t *e = b + v->entries.off + k * FC_FCX_ENTRY_SIZE;
        uint32_t at = a->entries_off + k * FC_SLOT_ENTRY_SIZE, nat = 0xFFFFFFFFu;
        if (at + FC_SLOT_ENTRY_SIZE <= win || at >= win + n)
            continue;
        fc_memmove(rec, e, FC_FCX_NAME_LEN + 4u);
        if (a->engine != FC_TARGET_EBPF)
            nat = fc_le32(v->nb + v->centries[a->engine].off + 4u * k);
        fc_put_le32(rec + 28, nat);
        copy_part(&wn, at, rec, FC_SLOT_ENTRY_SIZE);
    }
    if (a->engine != FC_TARGET_EBPF) {
        const part *rl = &v->reloc[a->engine];
        copy_part(&wn, a->pcmap_off, v->nb + v->pcmap[a->engine].off, a->npcmap * FC_FCX_PCMAP_SIZE);
        if (rl->idx >= 0 && win + n > a->code_off && win < a->code_off + a->code_len) {
            /* relocations are sorted and at most 8 bytes wide: start with the
             * first one that can reach the window */
            uint32_t lo = win > a->code_off ? win - a->code_off : 0, nrel = rl->size / FC_FCX_RELOC_SIZE;
            uint32_t first = 0, last = nrel;
            while (first < last) {
                uint32_t mid = first + (last - first) / 2u;
                if (fc_le32(v->nb + rl->off + mid * FC_FCX_RELOC_SIZE) + 8u <= lo)
                    first = mid + 1u;
                else
                    last = mid;
            }
            for (k = first; k < nrel; k++) {
                fc_fcx_reloc rr;
                uint8_t tmp[8];
                uint32_t wd;
                if (fc_le32(v->nb + rl->off + k * FC_FCX_RELOC_SIZE) + a->code_off >= win + n)
                    break;
                if (reloc_patch(b, v, a, k, &rr, tmp, &wd) == FC_OK)  /* checked in plan() */
                    copy_part(&wn, a->code_off + rr.offset, tmp, wd);
            }
        }
    }
}

static int verify(const fc_flash *f, uint32_t off, const uint8_t *want, uint32_t n, fc_lresult *r)
{
    uint8_t tmp[32];
    while (n) {
        uint32_t k = n < sizeof tmp ? n : (uint32_t)sizeof tmp;
        if (fc_flash_read(f, off, tmp, k) != FC_FLASH_OK)
            return failv(r, FC_LERR_FLASH_READ, W("flash read failed"), -1, -1, off);
        if (fc_memcmp(tmp, want, k) != 0)
            return failv(r, FC_LERR_FLASH_VERIFY, W("flash content differs from what was programmed"),
                         -1, -1, off);
        off += k;
        want += k;
        n -= k;
    }
    return FC_OK;
}

static void put64(uint8_t *p, uint64_t v)
{
    fc_put_le32(p, (uint32_t)v);
    fc_put_le32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)fc_le32(p) | ((uint64_t)fc_le32(p + 4) << 32);
}

/* The install record's u32 fields and where fc_app keeps each (offsetof
 * of fc_app is below 256 on every build): one table for make_record and
 * fc_open instead of a load and a store per field, twice. */
#define APP_OFF(f) ((uint8_t)offsetof(fc_app, f))
enum {
    RU_IMAGE_SIZE, RU_FLAGS, RU_FRAMES, RU_BUDGET, RU_ISA, RU_CODE, RU_CODE_LEN, RU_RODATA,
    RU_RODATA_LEN, RU_DATA, RU_DATA_LEN, RU_BSS, RU_INSNS, RU_NINSNS, RU_HELPERS, RU_NHELPERS,
    RU_ENTRIES, RU_NENTRIES, RU_PCMAP, RU_NPCMAP, RU_RAM_NEED, RU_CTX_MIN, RU_CTX_FLAGS,
    RU_STACK_UNT, RU__COUNT
};
static const uint8_t rec_u32[RU__COUNT][2] = {
    [RU_IMAGE_SIZE] = { R_IMAGE_SIZE, APP_OFF(image_size) }, [RU_FLAGS] = { R_FLAGS, APP_OFF(flags) },
    [RU_FRAMES] = { R_FRAMES, APP_OFF(frames) }, [RU_BUDGET] = { R_BUDGET, APP_OFF(budget) },
    [RU_ISA] = { R_ISA, APP_OFF(isa) },
    [RU_CODE] = { R_CODE, APP_OFF(code_off) }, [RU_CODE_LEN] = { R_CODE + 4, APP_OFF(code_len) },
    [RU_RODATA] = { R_RODATA, APP_OFF(rodata_off) }, [RU_RODATA_LEN] = { R_RODATA + 4, APP_OFF(rodata_len) },
    [RU_DATA] = { R_DATA, APP_OFF(data_off) }, [RU_DATA_LEN] = { R_DATA + 4, APP_OFF(data_len) },
    [RU_BSS] = { R_BSS, APP_OFF(bss_len) },
    [RU_INSNS] = { R_INSNS, APP_OFF(insns_off) }, [RU_NINSNS] = { R_INSNS + 4, APP_OFF(ninsns) },
    [RU_HELPERS] = { R_HELPERS, APP_OFF(helpers_off) }, [RU_NHELPERS] = { R_HELPERS + 4, APP_OFF(nhelpers) },
    [RU_ENTRIES] = { R_ENTRIES, APP_OFF(entries_off) }, [RU_NENTRIES] = { R_ENTRIES + 4, APP_OFF(nentries) },
    [RU_PCMAP] = { R_PCMAP, APP_OFF(pcmap_off) }, [RU_NPCMAP] = { R_PCMAP + 4, APP_OFF(npcmap) },
    [RU_RAM_NEED] = { R_RAM_NEED, APP_OFF(ram_need) }, [RU_CTX_MIN] = { R_CTX_MIN, APP_OFF(ctx_min) },
    [RU_CTX_FLAGS] = { R_CTX_FLAGS, APP_OFF(ctx_flags) },
    [RU_STACK_UNT] = { R_STACK_UNT, APP_OFF(stack_untouched) },
};
#define REC_NU32 RU__COUNT

static uint32_t *app_u32(const fc_app *a, unsigned k)
{
    return (uint32_t *)(void *)((uint8_t *)(uintptr_t)a + rec_u32[k][1]);
}

static void make_record(const fc_app *a, uint8_t rec[FC_SLOT_REC_SIZE])
{
    uint32_t k;
    fc_memset(rec, 0, FC_SLOT_REC_SIZE);
    for (k = 0; k < 4; k++)
        rec[R_MAGIC + k] = rec_magic[k];
    fc_put_le16(rec + R_VERSION, FC_SLOT_REC_VERSION);
    rec[R_ENGINE] = a->engine;
    for (k = 0; k < REC_NU32; k++)
        fc_put_le32(rec + rec_u32[k][0], *app_u32(a, k));
    put64(rec + R_RAM_ADDR, a->ram_addr);
    put64(rec + R_IMG_ADDR, a->img_addr);
    rec[R_TRUST] = a->trust;
    rec[R_JIT] = a->jit;
    for (k = 0; k < 32; k++)
        rec[R_FCX_SHA + k] = a->container_sha256[k];
}

/* SHA-256 of rec[0..R_SLOT_SHA) and the slot image after the record, read
 * back from the flash (so the hash is of what is really there). */
static int slot_hash(const fc_flash *f, uint32_t slot_off, uint32_t image_size,
                     const uint8_t *rec, uint8_t *buf, uint32_t buf_len,
                     uint8_t out[32], fc_lresult *r)
{
    fc_sha256_ctx c;
    uint32_t o = FC_SLOT_REC_SIZE;
    fc_sha256_init(&c);
    fc_sha256_update(&c, rec, R_SLOT_SHA);
    while (o < image_size) {
        uint32_t n = image_size - o < buf_len ? image_size - o : buf_len;
        if (fc_flash_read(f, slot_off + o, buf, n) != FC_FLASH_OK)
            return failv(r, FC_LERR_FLASH_READ, W("flash read failed"), -1, -1, slot_off + o);
        fc_sha256_update(&c, buf, n);
        o += n;
    }
    fc_sha256_final(&c, out);
    return FC_OK;
}

static int write_image(const writer *w, const fc_install_cfg *cfg, fc_lresult *r)
{
    const fc_flash *f = cfg->slot.flash;
    const fc_app *a = w->a;
    uint32_t ps = f->page_size, pu = f->prog_unit;
    uint32_t end = (a->image_size + pu - 1u) & ~(pu - 1u);
    uint32_t npages = (end + ps - 1u) / ps, p;
    uint8_t rec[FC_SLOT_REC_SIZE];
    int e;

    /* page 0 first: erasing it invalidates whatever was installed before */
    for (p = 0; p < npages; p++) {
        uint32_t pstart = p * ps;
        uint32_t lo = pstart > FC_SLOT_REC_SIZE ? pstart : FC_SLOT_REC_SIZE;
        uint32_t hi = end - pstart < ps ? end : pstart + ps;
        if (fc_flash_erase(f, cfg->slot.off + pstart) != FC_FLASH_OK)
            return failv(r, FC_LERR_FLASH_ERASE, W("flash erase failed"), -1, -1, cfg->slot.off + pstart);
        while (lo < hi) {
            uint32_t n = hi - lo < cfg->buf_len ? hi - lo : cfg->buf_len;
            fill_window(w, lo, n, cfg->buf);
            if (fc_flash_program(f, cfg->slot.off + lo, cfg->buf, n) != FC_FLASH_OK)
                return failv(r, FC_LERR_FLASH_PROGRAM, W("flash program failed"), -1, -1, cfg->slot.off + lo);
            if ((e = verify(f, cfg->slot.off + lo, cfg->buf, n, r)) != FC_OK)
                return e;
            lo += n;
        }
    }
    /* the record commits the install: hash what the flash holds, then
     * program the record into the still-erased first bytes of the slot */
    make_record(a, rec);
    if ((e = slot_hash(f, cfg->slot.off, a->image_size, rec, cfg->buf, cfg->buf_len,
                       rec + R_SLOT_SHA, r)) != FC_OK)
        return e;
    if (fc_flash_program(f, cfg->slot.off, rec, FC_SLOT_REC_SIZE) != FC_FLASH_OK)
        return failv(r, FC_LERR_FLASH_PROGRAM, W("flash program of the install record failed"),
                     -1, -1, cfg->slot.off);
    return verify(f, cfg->slot.off, rec, FC_SLOT_REC_SIZE, r);
}

void fc_app_reset(const fc_app *a)
{
    if (!a || !a->img || !a->ram)
        return;
    fc_memmove(a->ram + a->ram_data, a->img + a->data_off, a->data_len);
    fc_memset(a->ram + a->ram_bss, 0, a->bss_len);
    if (a->flags & FC_INSTALL_RODATA_RAM)
        fc_memmove(a->ram + a->ram_rodata, a->img + a->rodata_off, a->rodata_len);
}

int fc_install(const uint8_t *fcx, uint32_t len, const fc_install_cfg *cfg,
               fc_app *app, fc_install_info *info, fc_lresult *res)
{
    fc_lresult dummy;
    writer w;
    view v;
    int e;

    if (!res)
        res = &dummy;
    if (!app)
        return fail(res, FC_LERR_ARG, W("no app structure"), -1, -1);
    if ((e = check_cfg(cfg, 1, res)) != FC_OK)
        return e;
    if ((e = parse(fcx, len, &v, res)) != FC_OK)
        return e;
    if ((e = plan(fcx, len, &v, cfg, app, 1, 1, res)) != FC_OK) {
        app->img = 0;   /* unusable: fc_run refuses it before anything else */
        return e;
    }
    fill_info(&v, app, cfg, info);
    /* everything validated: from here on only flash errors can fail */
    w.b = fcx;
    w.v = &v;
    w.a = app;
    if ((e = write_image(&w, cfg, res)) != FC_OK) {
        app->engine = FC_TARGET_EBPF;
        app->nentries = 0;
        app->img = 0;   /* unusable: fc_run refuses it before it looks at the
                         * run template (which may hold a previous app's) */
        return e;
    }
    fc_app_reset(app);
    tmpl_reset(app);   /* built by the first run */
    return ok(res);
}

/* ---- re-opening an installed slot --------------------------------------- */
/* Every part of the slot image the record names lies inside the image and
 * starts 8-byte aligned (put_part places them so): code, .rodata, .data,
 * bytecode (8-byte instructions), helper ids (4), entries (32), pc map (8).
 * Each offset's rec_u32 index (its length or count follows it) and the
 * log2 of its record size; the counts are limited before (no overflow). */
static int rec_parts_ok(const fc_app *a)
{
    static const uint8_t parts[][2] = { { RU_CODE, 0 }, { RU_RODATA, 0 }, { RU_DATA, 0 },
                                        { RU_INSNS, 3 }, { RU_HELPERS, 2 }, { RU_ENTRIES, 5 },
                                        { RU_PCMAP, 3 } };
    uint32_t k;
    for (k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        uint32_t off = *app_u32(a, parts[k][0]), n = *app_u32(a, parts[k][0] + 1u) << parts[k][1];
        if ((off & 7u) || !fc_in_bounds(a->image_size, off, n))
            return 0;
    }
    return 1;
}

int fc_open(const fc_install_cfg *cfg, fc_app *a, fc_lresult *res)
{
    fc_lresult dummy;
    uint8_t rec[FC_SLOT_REC_SIZE], hash[32];
    const fc_flash *f;
    uint32_t k;
    int e;

    if (!res)
        res = &dummy;
    if (!a)
        return fail(res, FC_LERR_ARG, W("no app structure"), -1, -1);
    fc_memset(a, 0, sizeof *a);
    if ((e = check_cfg(cfg, 1, res)) != FC_OK)
        return e;
    f = cfg->slot.flash;
    if (cfg->slot.size < FC_SLOT_REC_SIZE)
        return fail(res, FC_LERR_SLOT, W("slot smaller than the install record"), -1, -1);
    if (fc_flash_read(f, cfg->slot.off, rec, FC_SLOT_REC_SIZE) != FC_FLASH_OK)
        return fail(res, FC_LERR_FLASH_READ, W("flash read failed"), -1, -1);
    if (fc_memcmp(rec, rec_magic, 4) != 0)
        return fail(res, FC_LERR_NOT_INSTALLED, W("no install record in the slot"), -1, -1);
    a->plat = cfg->plat;
    a->engine = rec[R_ENGINE];
    for (k = 0; k < REC_NU32; k++)
        *app_u32(a, k) = fc_le32(rec + rec_u32[k][0]);
    a->trust = rec[R_TRUST];
    a->jit = rec[R_JIT];
    for (k = 0; k < 32; k++)
        a->container_sha256[k] = rec[R_FCX_SHA + k];
    if (fc_le16(rec + R_VERSION) != FC_SLOT_REC_VERSION ||
        a->image_size < FC_SLOT_REC_SIZE || a->image_size > cfg->slot.size ||
        a->frames == 0 || a->frames > FC_MAX_CALL_DEPTH || a->engine >= FC_TARGET__COUNT ||
        a->ninsns == 0 || a->ninsns > (FC_FCX_MAX_IMAGE / 8u) || a->nentries == 0 ||
        a->nentries > FC_FCX_MAX_ENTRIES || a->nhelpers > FC_FCX_MAX_HELPERS ||
        a->npcmap > (FC_FCX_MAX_IMAGE / 8u) || a->bss_len > FC_FCX_MAX_RAM ||
        !rec_parts_ok(a) ||
        ((a->engine != FC_TARGET_EBPF) != (a->code_len != 0)) ||
        a->ctx_min > FC_FCX_MAX_CTX || (a->ctx_flags & ~FC_FCX_CTX_KNOWN) ||
        a->trust > FC_TRUST_OK || a->jit > 1u || (a->jit && a->engine == FC_TARGET_EBPF) ||
        !all_zero(rec, R_JIT + 1u, R_STACK_UNT) ||
        a->stack_untouched > FC_STACK_SIZE || (a->stack_untouched & 7u) ||
        !all_zero(rec, R_RESERVED, R_FCX_SHA))
        return fail(res, FC_LERR_SLOT_CORRUPT, W("install record fields inconsistent"), -1, -1);
    if ((e = slot_hash(f, cfg->slot.off, a->image_size, rec, cfg->buf, cfg->buf_len, hash, res)) != FC_OK)
        return e;
    if (fc_memcmp(hash, rec + R_SLOT_SHA, 32) != 0)
        return fail(res, FC_LERR_SLOT_CORRUPT, W("installed image hash mismatch"), -1, -1);
    if (a->engine != FC_TARGET_EBPF && a->engine != cfg->plat->target)
        return failv(res, FC_LERR_NO_NATIVE, W("installed code is for another core"), -1, -1, a->engine);
#ifdef FC_NO_INTERP
    if (a->engine == FC_TARGET_EBPF)
        return fail(res, FC_LERR_NO_NATIVE,
                    W("installed for the interpreter, and this runtime has no interpreter"), -1, -1);
#endif
#ifdef FC_NO_NATIVE
    if (a->engine != FC_TARGET_EBPF)
        return failv(res, FC_LERR_NATIVE_UNAVAILABLE,
                     W("installed native code, but this runtime runs the interpreter only"), -1, -1,
                     a->engine);
#endif
    /* the verdict of the install (this loader wrote the record); a policy
     * made stricter since then applies to what is installed */
    if ((cfg->plat->policy & FC_POLICY_REQUIRE_SIGNATURE) && a->trust != FC_TRUST_OK)
        return refuse_untrusted(res, a->trust, 0);
    if (!FC_POLICY_UNSIGNED_NATIVE_OK(cfg->plat->policy) && a->engine != FC_TARGET_EBPF &&
        a->trust != FC_TRUST_OK && !(a->jit && (cfg->plat->policy & FC_POLICY_JIT)))
        return refuse_untrusted(res, a->trust, 1);
    /* bound only now: an app refused above has no image (fc_run refuses it) */
    bind_slot(a, cfg);
    a->ram_tmpl = a->ram_need;
    if (a->ram_need > cfg->ram_len || cfg->ram_len - a->ram_need < RUN_TMPL_SIZE(a->engine) ||
        (a->ram_need & 7u) || a->ram_need < ram_layout(a))
        e = failv(res, FC_LERR_RAM, W("instance RAM smaller than the installed app needs"),
                  -1, -1, a->ram_need);
    /* the code was relocated for these addresses */
    else if (a->engine != FC_TARGET_EBPF && get64(rec + R_IMG_ADDR) != a->img_addr)
        e = fail(res, FC_LERR_ADDR, W("flash mapped at another address than at install"), -1, -1);
    else if (a->engine != FC_TARGET_EBPF && get64(rec + R_RAM_ADDR) != a->ram_addr)
        e = fail(res, FC_LERR_RAM_ADDR, W("instance RAM not at the address the code was relocated for"),
                 -1, -1);
    else
        e = helpers_check(cfg->plat, a->img + a->helpers_off, a->nhelpers, -1, res);
    if (e != FC_OK) {
        a->img = 0;   /* unbound again: fc_run refuses it */
        return e;
    }
    fc_app_reset(a);
    tmpl_reset(a);     /* built by the first run */
    return ok(res);
}

/* ---- queries ------------------------------------------------------------ */
void fc_app_ram(const fc_app *a, fc_ram_usage *u)
{
    if (!u)
        return;
    fc_memset(u, 0, sizeof *u);
    if (!a)
        return;
    u->data = a->data_len;
    u->bss = a->bss_len;
    u->rodata = (a->flags & FC_INSTALL_RODATA_RAM) ? a->rodata_len : 0;
    u->stack = a->frames * FC_STACK_SIZE;
    u->native_env = a->engine != FC_TARGET_EBPF ? FC_NENV_SIZE : 0;
    u->run_tmpl = RUN_TMPL_SIZE(a->engine);
    u->app_struct = (uint32_t)sizeof *a;
    /* instance RAM is what the layout reserves (8-byte alignment included);
     * the env is inside the template */
    u->total = a->ram_need + u->run_tmpl + u->stack + u->app_struct;
}

const char *fc_app_entry_name(const fc_app *a, uint32_t i)
{
    if (!a || !a->img || i >= a->nentries)
        return 0;
    return (const char *)(a->img + a->entries_off + i * FC_SLOT_ENTRY_SIZE);
}

int32_t fc_app_entry(const fc_app *a, const char *name)
{
    uint32_t i, k;
    if (!a || !name)
        return -1;
    for (i = 0; i < a->nentries; i++) {
        const char *n = fc_app_entry_name(a, i);
        for (k = 0; k < FC_FCX_NAME_LEN && n[k] == name[k] && n[k]; k++)
            ;
        if (k < FC_FCX_NAME_LEN && n[k] == name[k])
            return (int32_t)i;
    }
    return -1;
}

uint32_t fc_app_pc_to_insn(const fc_app *a, uint32_t pc)
{
    uint32_t lo = 0, hi;
    if (!a || !a->img || a->engine == FC_TARGET_EBPF || pc >= a->code_len || a->npcmap == 0)
        return 0xFFFFFFFFu;
    hi = a->npcmap;
    /* last record with native_off <= pc */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        if (fc_le32(a->img + a->pcmap_off + mid * FC_FCX_PCMAP_SIZE) <= pc)
            lo = mid + 1u;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0xFFFFFFFFu;
    return fc_le32(a->img + a->pcmap_off + (lo - 1u) * FC_FCX_PCMAP_SIZE + 4u);
}

/* ---- run ---------------------------------------------------------------- */
static uint32_t entry_insn(const fc_app *a, uint32_t i)
{
    return fc_le32(a->img + a->entries_off + i * FC_SLOT_ENTRY_SIZE + FC_FCX_NAME_LEN);
}

#ifndef FC_NO_NATIVE
static uint32_t entry_native(const fc_app *a, uint32_t i)
{
    return fc_le32(a->img + a->entries_off + i * FC_SLOT_ENTRY_SIZE + 28u);
}
#endif

/* The helper allowlist must never be NULL: NULL means "everything". */
static const uint32_t no_helpers[1] = { 0 };

/* One region straight into the table (no fc_vm_add_region call: the
 * permissions and kinds are the loader's own, the host pointer is known
 * non-NULL); the guest range must not pass 2^64. Zero-length: nothing.
 * fc_vm_put_region writes the entry, as for fc_vm_add_region. */
static int add_region(fc_vm *vm, uint64_t addr, uint8_t *host, uint32_t len, unsigned perm,
                      unsigned kind)
{
    if (len == 0)
        return FC_OK;
    if (vm->nregions >= FC_MAX_REGIONS || addr > UINT64_MAX - ((uint64_t)len - 1))
        return FC_LERR_REGIONS;
    fc_vm_put_region(vm, addr, host, len, perm, kind);
    return FC_OK;
}

/* ctx, rodata, data, bss, then the host's extra regions, straight into vm. */
static int add_regions(const fc_app *a, const fc_run_args *g, fc_vm *vm)
{
    uint32_t k;
    int e = FC_OK;
    uint8_t *ro_host;
    uint64_t ro_addr;

    if (a->flags & FC_INSTALL_RODATA_RAM) {
        ro_host = a->ram + a->ram_rodata;
        ro_addr = a->ram_addr + a->ram_rodata;
    } else {
        ro_host = (uint8_t *)(uintptr_t)(a->img + a->rodata_off);  /* mapped read-only */
        ro_addr = a->img_addr + a->rodata_off;
    }
    if (g->ctx_len)
        e = add_region(vm, g->ctx_addr ? g->ctx_addr : (uint64_t)(uintptr_t)g->ctx, g->ctx,
                       g->ctx_len, g->ctx_perm ? g->ctx_perm : FC_PERM_R, FC_REGION_CTX);
    if (e == FC_OK)
        e = add_region(vm, ro_addr, ro_host, a->rodata_len, FC_PERM_R, FC_REGION_RODATA);
    if (e == FC_OK)
        e = add_region(vm, a->ram_addr + a->ram_data, a->ram + a->ram_data, a->data_len,
                       FC_PERM_RW, FC_REGION_DATA);
    if (e == FC_OK)
        e = add_region(vm, a->ram_addr + a->ram_bss, a->ram + a->ram_bss, a->bss_len,
                       FC_PERM_RW, FC_REGION_BSS);
    for (k = 0; e == FC_OK && k < g->nextra; k++)
        if (g->extra[k].len &&
            fc_vm_add_region(vm, g->extra[k].addr, g->extra[k].host, g->extra[k].len,
                             g->extra[k].perm & FC_PERM_RW, FC_REGION_EXTRA) != FC_OK)
            e = FC_LERR_REGIONS;
    return e;
}

static int check_run(const fc_app *a, const fc_run_args *g)
{
    if (!a || !g || !a->img || !a->plat)
        return FC_LERR_ARG;
    if (g->entry >= a->nentries)
        return FC_LERR_ENTRY_UNKNOWN;
    if (!g->stack || g->stack_len < a->frames * FC_STACK_SIZE)
        return FC_LERR_STACK;
    if ((g->ctx_len && !g->ctx) || (g->ctx_perm & ~FC_PERM_RW) || (g->nextra && !g->extra))
        return FC_LERR_ARG;
    /* What the code was compiled to assume of the context (the verifier
     * proved accesses below ctx_min and stores into it without checks):
     * refused alike for every engine, before anything runs. */
    if (g->ctx_len < a->ctx_min)
        return FC_LERR_CTX_SHORT;
    if ((a->ctx_flags & FC_FCX_CTX_WRITES) && !(g->ctx_perm & FC_PERM_W))
        return FC_LERR_CTX_READONLY;
    return FC_OK;
}

/*
 * The run template (docs/sandbox.md section 3, docs/PORTING.md "Run cost"):
 * the VM (and the native env) of this app, in its instance RAM after
 * .data/.bss/.rodata, kept from run to run. A run rebuilds the region table
 * and the env's region slots only when what they were built from changed:
 * the stack (buffer, length, guest address), whether there is a context
 * (it shifts the table), the extra regions (compared entry by entry with
 * the table, so a host that changes one in place is seen too), or the
 * table's length (a helper that added a region). Otherwise it writes what
 * a run changes: the context region and its slot (only when they differ),
 * the entry, the budget, r0..r9, the outcome fields. Runs of one app must
 * not overlap (they share .data/.bss anyway).
 */
static uint64_t ctx_guest(const fc_run_args *g)
{
    return g->ctx_addr ? g->ctx_addr : (uint64_t)(uintptr_t)g->ctx;
}

#if defined(__GNUC__)
#define RUN_COLD __attribute__((noinline, cold))
#else
#define RUN_COLD
#endif

/* The table as fc_vm_add_region would build it from g, and the app's fixed
 * fields of the VM (and the env): the first run, and after a change (out
 * of line: the per-run path keeps its registers). */
static RUN_COLD int tmpl_build(const fc_app *a, const fc_run_args *g, run_tmpl *t)
{
    fc_vm *vm = &t->vm;
    int e;

    t->valid = 0;
    vm->nregions = 0;
    vm->regions[FC_STACK_SLOT].len = 0;
    vm->stack = g->stack;
    vm->stack_size = g->stack_len;
    vm->stack_addr = g->stack_addr ? g->stack_addr : (uint64_t)(uintptr_t)g->stack;
    vm->max_depth = a->frames;
    /* install ran fc_insn_check on every instruction (stricter than
     * fc_vm_check), and the slot's image hash holds it since: the
     * interpreter's hot loop need not check again */
    vm->checked = 1;
    vm->allow = a->nhelpers ? (const uint32_t *)(const void *)(a->img + a->helpers_off)
                            : no_helpers;
    vm->nallow = a->nhelpers;
    if ((e = add_regions(a, g, vm)) != FC_OK)
        return e;
    t->stack = g->stack;
    t->stack_addr = g->stack_addr;
    t->stack_len = g->stack_len;
    t->nregions = vm->nregions;
    t->has_ctx = g->ctx_len != 0;
    t->env_ok = 0;
#ifndef FC_NO_NATIVE
    if (a->engine != FC_TARGET_EBPF) {
        fc_native_invoke *c = &t->call;
        /* on a device every address fits 32 bits; where one does not (a
         * host test), the hook gets no env and builds its own */
        t->env_ok = fc_native_env_regions(&t->env, vm) == FC_OK;
        c->vm = vm;
        c->code_addr = a->img_addr + a->code_off;
        c->code = a->img + a->code_off;
        c->code_len = a->code_len;
        c->entry_addr = 0;   /* entry not looked up yet */
    }
#endif
    t->valid = 1;
    return FC_OK;
}

/* Do the last entries of t's table still hold g's extra regions (the host
 * may change one in place), and nothing else of kind EXTRA? */
static NOINLINE int extras_same(const run_tmpl *t, const fc_run_args *g)
{
    const fc_region *r = &t->vm.regions[t->nregions];
    uint32_t k;

    /* the extras follow ctx, rodata, data, bss: the last entries */
    for (k = g->nextra; k-- > 0;) {
        const fc_region *x = &g->extra[k];
        if (!x->len)
            continue;
        r--;
        if (r < t->vm.regions || r->kind != FC_REGION_EXTRA || r->addr != x->addr ||
            r->host != x->host || r->len != x->len || r->perm != (x->perm & FC_PERM_RW))
            return 0;
    }
    return r == t->vm.regions || r[-1].kind != FC_REGION_EXTRA;
}

/* Does t's table still hold what g asks for (context aside)? */
static int tmpl_same(const run_tmpl *t, const fc_run_args *g)
{
    return t->valid && t->stack == g->stack && t->stack_len == g->stack_len &&
           t->stack_addr == g->stack_addr && t->has_ctx == (g->ctx_len != 0) &&
           t->vm.nregions == t->nregions && extras_same(t, g);
}

/* The context region of this run into the table (and the env's slot 0)
 * when it differs from the last run's. */
static RUN_COLD int tmpl_ctx_set(const fc_run_args *g, run_tmpl *t, uint64_t addr,
                                  unsigned perm)
{
    if (addr > UINT64_MAX - ((uint64_t)g->ctx_len - 1)) {
        t->valid = 0;
        return FC_LERR_REGIONS;
    }
    /* in place: regions[0] is the context (has_ctx), kind and all */
    t->vm.regions[0].addr = addr;
    t->vm.regions[0].host = g->ctx;
    t->vm.regions[0].len = g->ctx_len;
    t->vm.regions[0].perm = (uint8_t)perm;
#ifndef FC_NO_NATIVE
    if (t->env_ok) {
        if (addr > 0xffffffffu || addr + g->ctx_len > 0x100000000u)
            t->env_ok = 0;   /* as fc_native_env_regions: the hook's own env refuses */
        else
            fc_native_env_slot(&t->env, 0, &t->vm.regions[0]);
    }
#endif
    return FC_OK;
}

static int tmpl_ctx(const fc_run_args *g, run_tmpl *t, uint64_t addr)
{
    const fc_region *r = &t->vm.regions[0];
    unsigned perm = g->ctx_perm ? g->ctx_perm : FC_PERM_R;

    if (r->addr == addr && r->host == g->ctx && r->len == g->ctx_len && r->perm == perm)
        return FC_OK;
    return tmpl_ctx_set(g, t, addr, perm);
}

#ifndef FC_NO_NATIVE
/* Native runs: clear, in each frame, the bytes below its top that the
 * code and its helpers may touch (the container's stack_untouched at the
 * bottom of every frame is never touched: docs/sandbox.md section 3). */
static void clear_frames(const fc_app *a, const fc_vm *vm)
{
    uint32_t use = FC_STACK_SIZE - a->stack_untouched, d;
    uint8_t *top = vm->stack + vm->stack_size;

    if (use == FC_STACK_SIZE) {
        fc_memset(top - a->frames * FC_STACK_SIZE, 0, a->frames * FC_STACK_SIZE);
        return;
    }
    for (d = 0; use && d < a->frames; d++)
        fc_memset(top - d * FC_STACK_SIZE - use, 0, use);
}
#endif

int fc_native_invoke_direct(void *hook_ctx, fc_native_invoke *c, uint64_t *r0)
{
    (void)hook_ctx;
#if !defined(FC_NO_NATIVE) && \
    ((defined(__arm__) && defined(__thumb2__)) || (defined(__riscv) && __riscv_xlen == 32) || \
     (defined(__XTENSA__) && defined(__XTENSA_CALL0_ABI__)))
    /* the code executes in place: its address is a function of this core
     * (Xtensa: lx106 code is call0, entered with CALLX0, env in a2; a
     * windowed-ABI runtime would need a call0 shim, so it is not here) */
    if (c->env)
        return fc_native_env_finish(c->env, c->vm,
                                    ((fc_native_fn)(uintptr_t)c->entry_addr)(c->env), r0);
    return fc_native_run((fc_native_fn)(uintptr_t)c->entry_addr, c->vm, c->ctx_addr,
                         c->ctx_len, r0);
#else
    (void)c;
    (void)r0;
    return FC_LERR_NATIVE_UNAVAILABLE;   /* not this core's code: use an emulator */
#endif
}

/* A refusal, before or instead of a run: every outcome field as for a run
 * that never started (out of line: a run writes each field once, at the
 * end, instead of zeroing them all first). */
static RUN_COLD int run_refuse(fc_run_result *out, int e, unsigned engine)
{
    out->err = e;
    out->engine = (uint8_t)engine;
    out->err_pc = 0;
    out->native_pc = 0xFFFFFFFFu;
    out->err_addr = 0;
    out->insn_count = 0;
    out->budget_left = 0;
    return e;
}

/* g asks for what k (the last arguments fc_run accepted) asked for: every
 * field the checks, the engine and the template depend on (budget, user
 * and env are read on every run; the extra regions' array is compared
 * with the table entry by entry, wherever it lies) */
static int args_same(const run_tmpl *t, const fc_run_args *g)
{
    const run_key *k = &t->key;
    uintptr_t p = ((uintptr_t)t->stack ^ (uintptr_t)g->stack) | ((uintptr_t)k->ctx ^ (uintptr_t)g->ctx);
    uint32_t w = (k->entry ^ g->entry) | (k->flags ^ g->flags) | (t->stack_len ^ g->stack_len) |
                 (k->ctx_len ^ g->ctx_len) | (k->ctx_perm ^ g->ctx_perm) | (k->nextra ^ g->nextra);
    uint64_t d = (t->stack_addr ^ g->stack_addr) | (k->ctx_addr ^ g->ctx_addr);
    return !p && !w && !d;
}

/*
 * Everything fc_run checks of g against a, the engine g runs on, and the
 * template for g; on success g is the key of the fast path (a run with the
 * same arguments skips all of it; the app's fields it reads do not change
 * while it is installed, and install/open reset the key). Out of line: the
 * first run, and after a change of the arguments.
 */
static RUN_COLD int run_setup(const fc_app *a, const fc_run_args *g, run_tmpl *t)
{
    uint64_t ctx_addr;
    uint32_t ctx_len;
    unsigned engine;
    int e, native;

    t->fast = 0;
    t->engine = FC_TARGET_EBPF;
    if ((e = check_run(a, g)) != FC_OK)
        return e;
#if defined(FC_NO_INTERP)
    /* no interpreter: an app made for it (or a request for it) cannot run */
    if (a->engine == FC_TARGET_EBPF)
        return FC_LERR_NO_NATIVE;
    if (g->flags & FC_RUN_INTERP)
        return FC_LERR_ARG;
    native = 1;
#elif defined(FC_NO_NATIVE)
    if (a->engine != FC_TARGET_EBPF && !(g->flags & FC_RUN_INTERP))
        return FC_LERR_NATIVE_UNAVAILABLE;   /* not installed by this runtime */
    native = 0;
#else
    native = a->engine != FC_TARGET_EBPF && !(g->flags & FC_RUN_INTERP);
#endif
    engine = native ? a->engine : FC_TARGET_EBPF;
    t->engine = (uint8_t)engine;
    if (native && !a->plat->invoke)
        return FC_LERR_NATIVE_UNAVAILABLE;
    ctx_len = g->ctx_len;
    ctx_addr = ctx_len ? ctx_guest(g) : 0;
    /* native code computes context addresses in 32 bits: the context must
     * lie below 4 GiB, so that no proven offset below ctx_min wraps
     * (ctx_addr > 2^32 - ctx_len, in 32-bit halves) */
    if (native && ctx_len &&
        ((uint32_t)(ctx_addr >> 32) != 0 || (uint32_t)ctx_addr > (uint32_t)(0u - ctx_len)))
        return FC_LERR_ADDR;
    if (!native) {
        t->key.start = entry_insn(a, g->entry);
        if (t->key.start >= a->ninsns)
            return FC_LERR_ENTRY_UNKNOWN;
    }
    if (!tmpl_same(t, g))
        e = tmpl_build(a, g, t);
    else if (ctx_len)
        e = tmpl_ctx(g, t, ctx_addr);
    if (e != FC_OK)
        return e;
#ifndef FC_NO_NATIVE
    if (native) {
        fc_native_invoke *c = &t->call;
        if (c->entry != g->entry || !c->entry_addr) {
            c->entry = g->entry;
            c->entry_off = entry_native(a, g->entry);
            c->entry_addr = 0;
            if (c->entry_off >= a->code_len)
                return FC_LERR_ENTRY_UNKNOWN;
            c->entry_addr = (uint32_t)(c->code_addr + c->entry_off) |
                            (a->engine == FC_TARGET_THUMBV7M ? 1u : 0u);
        }
        c->ctx_addr = ctx_addr;
        c->ctx_len = ctx_len;
    }
#endif
    /* the key: what args_same compares (the stack: t->stack, as built) */
    t->key.entry = g->entry;
    t->key.flags = g->flags;
    t->key.ctx = g->ctx;
    t->key.ctx_len = g->ctx_len;
    t->key.ctx_addr = g->ctx_addr;
    t->key.ctx_perm = g->ctx_perm;
    t->key.nextra = g->nextra;
    t->fast = 1;
    return FC_OK;
}

int fc_run(const fc_app *a, const fc_run_args *g, uint64_t *r0, fc_run_result *out)
{
    fc_run_result tmp;
    run_tmpl *t;
    fc_vm *vm;
    int e;

    if (!out)
        out = &tmp;
    if (!a || !g || !a->img || !a->plat || !a->ram)
        return run_refuse(out, FC_LERR_ARG, 0);
    t = tmpl_of(a);
    vm = &t->vm;
    /* the fast path: the arguments of the last accepted run, the table as
     * it was built (a helper may have grown it), the extras unchanged */
    if (!t->fast || !args_same(t, g) || vm->nregions != t->nregions ||
        (g->nextra && !extras_same(t, g))) {
        if ((e = run_setup(a, g, t)) != FC_OK)
            return run_refuse(out, e, t->engine);
    }
    vm->helpers = a->plat->helpers;
    vm->nhelpers = a->plat->helpers ? a->plat->nhelpers : 0;
    vm->budget = g->budget ? g->budget : a->budget ? a->budget : FC_DEFAULT_BUDGET;
    vm->user = g->user;
    vm->env = g->env;

#ifndef FC_NO_NATIVE
    if (t->engine != FC_TARGET_EBPF) {
        fc_native_invoke *c = &t->call;
        uint32_t fault;
        c->app = a;          /* the caller's fc_app (it may be a copy) */
        c->fault_off = 0xFFFFFFFFu;
        c->env = 0;
        /* what fc_native_env_init resets and a helper could see (the
         * trampoline zeroes helper_err and maps the stack slot itself;
         * fc_native_env_finish writes insn_count and empties the slot) */
        vm->err = FC_OK;
        vm->err_pc = 0;
        vm->err_addr = 0;
        vm->budget_left = vm->budget;
        if (t->env_ok) {
            /* 32-bit arguments: the context lies below 4 GiB (checked
             * by run_setup), the env's budget counter is capped at 2^32 - 1 */
            fc_native_env_start(&t->env, (uint32_t)c->ctx_addr, c->ctx_len,
                                (uint32_t)(vm->budget >> 32) ? 0xFFFFFFFFu
                                                             : (uint32_t)vm->budget);
            clear_frames(a, vm);
            c->env = &t->env;
        }
        if (!a->plat->invoke)   /* the platform dropped its hook since */
            return run_refuse(out, FC_LERR_NATIVE_UNAVAILABLE, t->engine);
        e = a->plat->invoke(a->plat->invoke_ctx, c, r0);
        out->err = e;
        out->engine = t->engine;
        out->insn_count = 0;   /* native code does not count */
        fault = c->fault_off;
        out->native_pc = fault;
        if (fault != 0xFFFFFFFFu)
            /* a machine fault the code did not report itself: name the
             * eBPF instruction through the pc map */
            out->err_pc = fc_app_pc_to_insn(a, fault);
        else
            out->err_pc = e != FC_OK ? vm->err_pc : 0;
    }
#endif
#if !defined(FC_NO_NATIVE) && !defined(FC_NO_INTERP)
    else
#endif
#ifndef FC_NO_INTERP
    {
        /* An entry other than instruction 0 runs as a program starting at
         * its instruction (fc_vm runs from index 0); err_pc is given back
         * in whole-program indices. */
        uint32_t start = t->key.start;
        vm->insns = (const fc_insn *)(const void *)(a->img + a->insns_off) + start;
        vm->ninsns = a->ninsns - start;
        e = fc_vm_run(vm, t->key.ctx_len ? ctx_guest(g) : 0, t->key.ctx_len, r0);
        out->err = e;
        out->engine = FC_TARGET_EBPF;
        out->err_pc = e != FC_OK ? vm->err_pc + start : 0;
        out->native_pc = 0xFFFFFFFFu;
        out->insn_count = vm->insn_count;
    }
#endif
    out->err_addr = vm->err_addr;
    out->budget_left = vm->budget_left;
    return e;
}
