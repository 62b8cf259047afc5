/*
 * Unit tests: the .fcx writer and dumper (compiler/fc_fcx.c), the format
 * constants (runtime/fc_container.h) and femto-objdump.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libgen.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <limits.h>
#include <stddef.h>
#include "fc_fcx.h"
#include "fc_loader.h"
#include "fc_sha256.h"
#include "fc_verify.h"

/* brace form: usable in static initializers */
#define I(op, d, s, off, imm) { (op), (uint8_t)(((d) & 0xf) | (((s) & 0xf) << 4)), (off), (imm) }

static fc_insn prog1[] = {
    I(0xb7, 1, 0, 0, 5),                        /* mov r1, 5           */
    I(0x85, 0, 0, 0, 0x10),                     /* call 0x10           */
    I(0x18, 2, FC_LDDW_SECTION, 0, FC_SECT_RODATA), I(0, 0, 0, 0, 4),
    I(0x85, 0, 0, 0, 0x02),                     /* call 0x02           */
    I(0x85, 0, 0, 0, 0x10),                     /* call 0x10 again     */
    I(0x95, 0, 0, 0, 0),                        /* exit                */
    I(0xb7, 0, 0, 0, 7),                        /* second entry: mov r0, 7 */
    I(0x95, 0, 0, 0, 0),
};
#define NPROG1 (sizeof prog1 / sizeof prog1[0])
static uint8_t ro[13] = "hello, world";
static uint8_t dat[6] = { 1, 2, 3, 4, 5, 6 };

static fc_prog mk(fc_insn *insns, uint32_t n)
{
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = insns;
    p.ninsns = n;
    return p;
}

static fc_prog prog_full(void)
{
    fc_prog p = mk(prog1, NPROG1);
    p.rodata = ro;
    p.rodata_len = sizeof ro;
    p.data = dat;
    p.data_len = sizeof dat;
    p.bss_len = 100;
    return p;
}

static fc_diag dv[8];
static fc_diags diags;

static uint8_t *write_ok(const fc_fcx_input *in, size_t *len)
{
    uint8_t *b = NULL;
    diags = (fc_diags){ dv, 8, 0, 0, 0 };
    int e = fc_fcx_write_alloc(in, &b, len, &diags);
    cr_assert_eq(e, FC_FCX_OK, "writer: %s", diags.n ? dv[0].msg : "?");
    fc_lresult r;
    cr_assert_eq(fc_fcx_validate(b, (uint32_t)*len, &r), FC_OK, "loader refuses the writer's output: %s", r.what);
    return b;
}

static int write_err(const fc_fcx_input *in)
{
    uint8_t *b = NULL;
    size_t len = 0;
    diags = (fc_diags){ dv, 8, 0, 0, 0 };
    int e = fc_fcx_write_alloc(in, &b, &len, &diags);
    cr_assert_null(b);
    if (e == FC_FCX_E_INPUT)
        cr_assert_geq(diags.nerrors, 1, "an input error comes with a diagnostic");
    return e;
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static const uint8_t *sect(const uint8_t *b, unsigned i) { return b + FC_FCX_HDR_SIZE + i * FC_FCX_SECT_SIZE; }

static int find(const uint8_t *b, unsigned type, unsigned nth)
{
    for (unsigned i = 0; i < le16(b + FC_FCX_H_NSECT); i++)
        if (le16(sect(b, i)) == type && nth-- == 0)
            return (int)i;
    return -1;
}

Test(fcx, round_trip_fields)
{
    fc_prog p = prog_full();
    fc_fcx_entry e[] = { { "main", 0 }, { "other", 7 } };   /* 7: the second entry's mov */
    fc_fcx_input in = { .prog = &p, .entries = e, .nentries = 2, .budget = 1234 };
    size_t len;
    uint8_t *b = write_ok(&in, &len);
    fc_fcx_header h;

    cr_assert(fc_fcx_read_header(b, (uint32_t)len, &h));
    cr_assert_eq(b[0], 0xFC); cr_assert_eq(b[1], 'F'); cr_assert_eq(b[2], 'C'); cr_assert_eq(b[3], 'X');
    cr_assert_eq(h.major, FC_FCX_VERSION_MAJOR);
    cr_assert_eq(h.minor, FC_FCX_VERSION_MINOR);
    cr_assert_eq(h.image_size, len);
    cr_assert_eq(len % 8, 0);
    cr_assert_eq(h.header_size, FC_FCX_HDR_SIZE);
    cr_assert_eq(h.sect_off, FC_FCX_HDR_SIZE);
    cr_assert_eq(h.targets, 1u << FC_TARGET_EBPF);
    cr_assert_eq(h.frames, 1, "no local call: one frame");
    cr_assert_eq(h.budget, 1234);
    cr_assert_eq(h.nsect, 6, "bytecode entries helpers rodata data bss");

    int bc = find(b, FC_FCX_SECT_BYTECODE, 0);
    cr_assert_geq(bc, 0);
    const uint8_t *s = sect(b, (unsigned)bc);
    cr_assert_eq(le32(s + FC_FCX_S_SIZE), NPROG1 * 8);
    for (unsigned i = 0; i < NPROG1; i++) {
        uint8_t enc[8];
        fc_insn_encode(prog1[i], enc);
        cr_assert(memcmp(b + le32(s + FC_FCX_S_OFFSET) + 8 * i, enc, 8) == 0, "insn %u", i);
    }
    s = sect(b, (unsigned)find(b, FC_FCX_SECT_RODATA, 0));
    cr_assert_eq(le32(s + FC_FCX_S_SIZE), sizeof ro);
    cr_assert(memcmp(b + le32(s + FC_FCX_S_OFFSET), ro, sizeof ro) == 0);
    s = sect(b, (unsigned)find(b, FC_FCX_SECT_DATA, 0));
    cr_assert(memcmp(b + le32(s + FC_FCX_S_OFFSET), dat, sizeof dat) == 0);
    s = sect(b, (unsigned)find(b, FC_FCX_SECT_BSS, 0));
    cr_assert_eq(le32(s + FC_FCX_S_INFO), 100);
    cr_assert_eq(le32(s + FC_FCX_S_OFFSET), 0);
    cr_assert_eq(le32(s + FC_FCX_S_SIZE), 0);
    s = sect(b, (unsigned)find(b, FC_FCX_SECT_HELPERS, 0));
    cr_assert_eq(le32(s + FC_FCX_S_SIZE), 8, "0x02 and 0x10, once each");
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET)), 0x02);
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET) + 4), 0x10);
    s = sect(b, (unsigned)find(b, FC_FCX_SECT_ENTRIES, 0));
    const uint8_t *en = b + le32(s + FC_FCX_S_OFFSET);
    cr_assert_str_eq((const char *)en, "main");
    cr_assert_str_eq((const char *)en + 32, "other");
    cr_assert_eq(le32(en + 32 + FC_FCX_E_INSN), 7);
    for (unsigned i = 0; i < h.nsect; i++)
        cr_assert_eq(le32(sect(b, i) + FC_FCX_S_OFFSET) % 8, 0, "section %u alignment", i);
    free(b);
}

Test(fcx, hash_matches_sha256sum)
{
    fc_prog p = prog_full();
    fc_fcx_input in = { .prog = &p };
    size_t len;
    uint8_t *b = write_ok(&in, &len);
    uint8_t *z = malloc(len);
    memcpy(z, b, len);
    memset(z + FC_FCX_H_SHA256, 0, 32);   /* the spec: hash with the field as zeros */
    char path[] = "/tmp/fc_fcx_XXXXXX", cmd[128], sum[65], mine[65];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, z, len), (ssize_t)len);
    close(fd);
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    cr_assert_eq(fscanf(f, "%64s", sum), 1);
    cr_assert_eq(pclose(f), 0);
    unlink(path);
    for (int i = 0; i < 32; i++)
        sprintf(mine + 2 * i, "%02x", b[FC_FCX_H_SHA256 + i]);
    cr_assert_str_eq(mine, sum);
    free(z);
    free(b);
}

Test(fcx, size_query_and_determinism)
{
    fc_prog p = prog_full();
    fc_fcx_input in = { .prog = &p };
    size_t need = 0, len = 0;
    cr_assert_eq(fc_fcx_write(&in, NULL, 0, &need, NULL), FC_FCX_E_SPACE);
    cr_assert_gt(need, FC_FCX_HDR_SIZE);
    uint8_t *a = malloc(need), *c = malloc(need);
    cr_assert_eq(fc_fcx_write(&in, a, need - 1, &len, NULL), FC_FCX_E_SPACE);
    cr_assert_eq(len, need);
    cr_assert_eq(fc_fcx_write(&in, a, need, &len, NULL), FC_FCX_OK);
    cr_assert_eq(len, need);
    cr_assert_eq(fc_fcx_write(&in, c, need, &len, NULL), FC_FCX_OK);
    cr_assert(memcmp(a, c, need) == 0, "same input, same bytes");
    size_t l2;
    uint8_t *d = write_ok(&in, &l2);
    cr_assert_eq(l2, need);
    cr_assert(memcmp(a, d, need) == 0);
    free(a);
    free(c);
    free(d);
}

Test(fcx, derived_helpers_and_frames)
{
    fc_insn calls[] = {
        I(0x85, 0, 0, 0, 0x20), I(0x85, 0, FC_CALL_LOCAL, 0, 1), I(0x95, 0, 0, 0, 0),
        I(0x85, 0, 0, 0, 0x01), I(0x95, 0, 0, 0, 0),
    };
    fc_prog p = mk(calls, 5);
    fc_fcx_input in = { .prog = &p };
    size_t len;
    uint8_t *b = write_ok(&in, &len);
    cr_assert_eq(le16(b + FC_FCX_H_FRAMES), FC_MAX_CALL_DEPTH, "a local call: every frame");
    const uint8_t *s = sect(b, (unsigned)find(b, FC_FCX_SECT_HELPERS, 0));
    cr_assert_eq(le32(s + FC_FCX_S_SIZE), 8);
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET)), 0x01);
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET) + 4), 0x20);
    free(b);
    /* given frames and helpers win; the list is sorted and deduplicated */
    uint32_t hl[] = { 0x30, 0x01, 0x30, 0x11 };
    in.helpers = hl;
    in.nhelpers = 4;
    in.frames = 3;
    b = write_ok(&in, &len);
    cr_assert_eq(le16(b + FC_FCX_H_FRAMES), 3);
    s = sect(b, (unsigned)find(b, FC_FCX_SECT_HELPERS, 0));
    cr_assert_eq(le32(s + FC_FCX_S_SIZE), 12);
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET) + 0), 0x01);
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET) + 4), 0x11);
    cr_assert_eq(le32(b + le32(s + FC_FCX_S_OFFSET) + 8), 0x30);
    free(b);
    /* callx: the imports cannot be derived */
    fc_insn cx[] = { I(0x8d, 2, 0, 0, 0), I(0x95, 0, 0, 0, 0) };   /* callx %r2 (register in dst) */
    fc_prog q = mk(cx, 2);
    fc_fcx_input in2 = { .prog = &q };
    cr_assert_eq(write_err(&in2), FC_FCX_E_INPUT);
    cr_assert(strstr(dv[0].msg, "callx"), "%s", dv[0].msg);
    uint32_t one[] = { 7 };
    in2.helpers = one;
    in2.nhelpers = 1;
    b = write_ok(&in2, &len);
    free(b);
}

/* A Thumb and a RISC-V section in one container. */
static uint8_t tc[16] = { 0x00, 0xF0, 0x00, 0xF8, 0x40, 0xF2, 0x00, 0x00, 0xC0, 0xF2, 0x00, 0x00, 0x70, 0x47, 0x00, 0xBF };
static uint8_t rc[12] = { 0x97, 0, 0, 0, 0xe7, 0x80, 0, 0, 0x67, 0x80, 0, 0 };
static fc_fcx_reloc trel[] = { { 4, FC_RELOC_THM_MOVW_MOVT, FC_SYM_BSS, 0, 16 }, { 0, FC_RELOC_THM_CALL, FC_SYM_HELPER, 0, 0 } };
static fc_fcx_reloc rrel[] = { { 0, FC_RELOC_RV_CALL, FC_SYM_SDIV64, 0, 0 } };
static fc_fcx_pcmap tmap[] = { { 12, 6 }, { 0, 0 }, { 4, 2 } };
static uint32_t tent[] = { 0, 12 }, rent[] = { 0, 8 };

static fc_fcx_input two_targets(fc_prog *p, fc_fcx_code *c, fc_fcx_entry *e)
{
    *p = prog_full();
    e[0] = (fc_fcx_entry){ "main", 0 };
    e[1] = (fc_fcx_entry){ "other", 7 };
    c[0] = (fc_fcx_code){ .target = FC_TARGET_THUMBV7M, .isa = FC_ISA_T2_HWDIV, .code = tc, .code_len = 16,
                          .relocs = trel, .nrelocs = 2, .pcmap = tmap, .npcmap = 3, .entry_offsets = tent };
    c[1] = (fc_fcx_code){ .target = FC_TARGET_RV32IMAC, .isa = FC_ISA_RV_M, .code = rc, .code_len = 12,
                          .relocs = rrel, .nrelocs = 1, .entry_offsets = rent };
    return (fc_fcx_input){ .prog = p, .entries = e, .nentries = 2, .code = c, .ncode = 2 };
}

Test(fcx, code_sections_for_two_targets)
{
    fc_prog p;
    fc_fcx_code c[2];
    fc_fcx_entry e[2];
    fc_fcx_input in = two_targets(&p, c, e);
    size_t len;
    uint8_t *b = write_ok(&in, &len);
    cr_assert_eq(le16(b + FC_FCX_H_TARGETS), (1u << 0) | (1u << FC_TARGET_THUMBV7M) | (1u << FC_TARGET_RV32IMAC));
    for (unsigned t = 0; t < 2; t++) {
        int ci = find(b, FC_FCX_SECT_CODE, t);
        cr_assert_geq(ci, 0);
        const uint8_t *s = sect(b, (unsigned)ci);
        cr_assert_eq(s[FC_FCX_S_TARGET], c[t].target);
        cr_assert_eq(le32(s + FC_FCX_S_INFO), c[t].isa);
        cr_assert(memcmp(b + le32(s + FC_FCX_S_OFFSET), c[t].code, c[t].code_len) == 0);
        /* the code's linked sections name it */
        int ne = find(b, FC_FCX_SECT_CODE_ENTRIES, t), rl = find(b, FC_FCX_SECT_RELOC, t);
        cr_assert_eq(le16(sect(b, (unsigned)ne) + FC_FCX_S_LINK), ci);
        cr_assert_eq(le16(sect(b, (unsigned)rl) + FC_FCX_S_LINK), ci);
        const uint8_t *nb = b + le32(sect(b, (unsigned)ne) + FC_FCX_S_OFFSET);
        cr_assert_eq(le32(nb + 4), c[t].entry_offsets[1]);
    }
    /* relocations and pc map come out sorted */
    const uint8_t *r = b + le32(sect(b, (unsigned)find(b, FC_FCX_SECT_RELOC, 0)) + FC_FCX_S_OFFSET);
    cr_assert_eq(le32(r), 0);
    cr_assert_eq(r[FC_FCX_R_KIND], FC_RELOC_THM_CALL);
    cr_assert_eq(le32(r + 12), 4);
    cr_assert_eq(r[12 + FC_FCX_R_SYM], FC_SYM_BSS);
    cr_assert_eq((int32_t)le32(r + 12 + FC_FCX_R_ADDEND), 16);
    const uint8_t *m = b + le32(sect(b, (unsigned)find(b, FC_FCX_SECT_PCMAP, 0)) + FC_FCX_S_OFFSET);
    cr_assert_eq(le32(m), 0);
    cr_assert_eq(le32(m + 8), 4);
    cr_assert_eq(le32(m + 16), 12);
    cr_assert_eq(le32(m + 20), 6);
    cr_assert_eq(find(b, FC_FCX_SECT_PCMAP, 1), -1, "no pc map given for rv32");
    free(b);
}

typedef void (*breaker)(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p);
static fc_fcx_reloc badrel[2];
static fc_fcx_pcmap badmap[2];
static uint32_t badent[2];
static fc_insn badprog[2];

static void b_kind(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badrel[0] = (fc_fcx_reloc){ 0, FC_RELOC_RV_CALL, 0, 0, 0 }; c[0].relocs = badrel; c[0].nrelocs = 1; }
static void b_overlap(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{
    (void)in; (void)e; (void)p;
    badrel[0] = (fc_fcx_reloc){ 4, FC_RELOC_THM_MOVW_MOVT, 0, 0, 0 };
    badrel[1] = (fc_fcx_reloc){ 8, FC_RELOC_ABS32, 0, 0, 0 };
    c[0].relocs = badrel; c[0].nrelocs = 2;
}
static void b_beyond(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badrel[0] = (fc_fcx_reloc){ 12, FC_RELOC_THM_MOVW_MOVT, 0, 0, 0 }; c[0].relocs = badrel; c[0].nrelocs = 1; }
static void b_misaligned(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badrel[0] = (fc_fcx_reloc){ 2, FC_RELOC_ABS32, 0, 0, 0 }; c[0].relocs = badrel; c[0].nrelocs = 1; }
static void b_sym(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badrel[0] = (fc_fcx_reloc){ 0, FC_RELOC_THM_CALL, FC_SYM__COUNT, 0, 0 }; c[0].relocs = badrel; c[0].nrelocs = 1; }
static void b_pcdup(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badmap[0] = (fc_fcx_pcmap){ 4, 1 }; badmap[1] = (fc_fcx_pcmap){ 4, 2 }; c[0].pcmap = badmap; c[0].npcmap = 2; }
static void b_pcinsn(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badmap[0] = (fc_fcx_pcmap){ 4, NPROG1 + 1 }; c[0].pcmap = badmap; c[0].npcmap = 1; }
static void b_entoff(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badent[0] = 0; badent[1] = 3; c[0].entry_offsets = badent; }
static void b_entbeyond(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; badent[0] = 0; badent[1] = 16; c[0].entry_offsets = badent; }
static void b_noent(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; c[1].entry_offsets = NULL; }
static void b_name(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].name = "a_name_that_is_24_chars_"; }
static void b_noname(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].name = ""; }
/* entries that do not start a function (the loader's check_entry_starts) */
static void b_entsame(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].insn = 0; }
static void b_entinside(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].insn = 8; }   /* after the second entry's mov */
static void b_dupname(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].name = "main"; }
static void b_lddw(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].insn = 3; }
static void b_entinsn(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)p; e[1].insn = NPROG1; }
static void b_insn(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{
    (void)in; (void)c; (void)e;
    badprog[0] = fc_insn_make(0xff, 0, 0, 0, 0); badprog[1] = fc_insn_make(0x95, 0, 0, 0, 0);
    p->insns = badprog; p->ninsns = 2;
    in->entries = NULL;
}
static void b_frames(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)c; (void)e; (void)p; in->frames = FC_MAX_CALL_DEPTH + 1; }
static void b_isa(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; c[0].isa = 0x80; }
static void b_flags(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)c; (void)e; (void)p; in->flags = 0x2; }
static void b_target(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; c[1].target = FC_TARGET_THUMBV7M; }
static void b_target_ebpf(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)e; (void)p; c[1].target = FC_TARGET_EBPF; }
static void b_nobytecode(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)e; p->ninsns = 0; }
static void b_nodata(fc_fcx_input *in, fc_fcx_code *c, fc_fcx_entry *e, fc_prog *p)
{ (void)in; (void)c; (void)e; p->data = NULL; }

Test(fcx, writer_refuses_bad_input)
{
    struct { const char *name; breaker f; } cases[] = {
        { "reloc kind for another target", b_kind }, { "overlapping relocs", b_overlap },
        { "reloc beyond code", b_beyond }, { "misaligned reloc", b_misaligned }, { "reloc symbol", b_sym },
        { "duplicate pc map offset", b_pcdup }, { "pc map insn", b_pcinsn },
        { "native entry misaligned", b_entoff }, { "native entry beyond", b_entbeyond },
        { "no native entries", b_noent }, { "entry name too long", b_name }, { "empty entry name", b_noname },
        { "duplicate entry name", b_dupname }, { "entry in an lddw", b_lddw },
        { "entry insn", b_entinsn }, { "invalid instruction", b_insn }, { "frames", b_frames },
        { "unknown ISA bits", b_isa }, { "unknown header flag", b_flags }, { "two code sections for one target", b_target },
        { "code for ebpf", b_target_ebpf }, { "no bytecode", b_nobytecode }, { "data without bytes", b_nodata },
        { "two entries at one instruction", b_entsame }, { "entry run into from the instruction before", b_entinside },
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        fc_prog p;
        fc_fcx_code c[2];
        fc_fcx_entry e[2];
        fc_fcx_input in = two_targets(&p, c, e);
        size_t len;
        uint8_t *ok = write_ok(&in, &len);   /* the base is fine ... */
        free(ok);
        cases[k].f(&in, c, e, &p);           /* ... one change is not */
        cr_assert_eq(write_err(&in), FC_FCX_E_INPUT, "%s: accepted", cases[k].name);
    }
}

static char *dump(const uint8_t *b, size_t len, unsigned flags, int *ret)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    *ret = fc_fcx_dump(f, b, len, flags);
    fclose(f);
    return text;
}

Test(fcx, dump_describes_the_container)
{
    fc_prog p;
    fc_fcx_code c[2];
    fc_fcx_entry e[2];
    fc_fcx_input in = two_targets(&p, c, e);
    size_t len;
    uint8_t *b = write_ok(&in, &len);
    int ret;
    char *t = dump(b, len, FC_FCX_DUMP_DISASM | FC_FCX_DUMP_CODE, &ret);
    cr_assert_eq(ret, 0);
    const char *want[] = { "verdict: valid", "version: 2.3", "thumbv7m", "rv32imac", "THM_CALL",
                           "THM_MOVW_MOVT", "RV_CALL", "sdiv64", "helper imports: 0x02 0x10",
                           "entry 1: other", "(ok)", "-> insn 6", "call 0x10", "exit", "f000 f800" };
    for (unsigned k = 0; k < sizeof want / sizeof want[0]; k++)
        cr_assert(strstr(t, want[k]), "dump lacks '%s':\n%s", want[k], t);
    free(t);
    /* a broken container: still described, with the loader's verdict */
    b[FC_FCX_HDR_SIZE + 1 * FC_FCX_SECT_SIZE + FC_FCX_S_OFFSET] += 4;
    fc_fcx_rehash(b, len);
    t = dump(b, len, 0, &ret);
    cr_assert_eq(ret, FC_LERR_SECT_ALIGN);
    cr_assert(strstr(t, "verdict: INVALID: section 1: offset not a multiple of 8"), "%s", t);
    free(t);
    b[40] ^= 1;   /* hash mismatch is shown with the computed value */
    t = dump(b, len, 0, &ret);
    cr_assert(strstr(t, "MISMATCH"), "%s", t);
    free(t);
    t = dump(b, 20, 0, &ret);
    cr_assert_eq(ret, FC_LERR_TRUNCATED);
    cr_assert(strstr(t, "truncated"), "%s", t);
    free(t);
    free(b);
}

static void tool_path(char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(k, 0);
    self[k] = 0;
    snprintf(out, n, "%s/femto-objdump", dirname(self));
    cr_assert_eq(access(out, X_OK), 0, "%s not built (it is in PROGRAMS)", out);
}

static int run_tool(const char *tool, const char *args, const char *file, char *out, size_t n)
{
    char cmd[PATH_MAX * 2 + 64];
    snprintf(cmd, sizeof cmd, "%s %s %s 2>&1", tool, args, file);
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    size_t got = fread(out, 1, n - 1, f);
    out[got] = 0;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(fcx, femto_objdump_tool)
{
    fc_prog p;
    fc_fcx_code c[2];
    fc_fcx_entry e[2];
    fc_fcx_input in = two_targets(&p, c, e);
    size_t len;
    uint8_t *b = write_ok(&in, &len);
    char tool[PATH_MAX], path[] = "/tmp/fc_objdump_XXXXXX";
    static char out[1 << 16];
    tool_path(tool, sizeof tool);
    int fd = mkstemp(path);
    cr_assert_eq(write(fd, b, len), (ssize_t)len);
    close(fd);
    cr_assert_eq(run_tool(tool, "", path, out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "verdict: valid") && strstr(out, "RV_CALL") && strstr(out, "(ok)"), "%s", out);
    cr_assert(!strstr(out, "call 0x10"), "no disassembly without -d");
    cr_assert_eq(run_tool(tool, "-d", path, out, sizeof out), 0);
    cr_assert(strstr(out, "call 0x10") && strstr(out, "exit"), "%s", out);
    /* corrupt: exit status 1 and the reason */
    b[len - 1] ^= 0xFF;
    fd = open(path, O_WRONLY | O_TRUNC);
    cr_assert_eq(write(fd, b, len), (ssize_t)len);
    close(fd);
    cr_assert_eq(run_tool(tool, "", path, out, sizeof out), 1);
    cr_assert(strstr(out, "INVALID"), "%s", out);
    cr_assert_eq(run_tool(tool, "-q", path, out, sizeof out), 2, "unknown option");
    cr_assert(strstr(out, "usage:"), "%s", out);
    unlink(path);
    cr_assert_eq(run_tool(tool, "", path, out, sizeof out), 2, "missing file");
    cr_assert(strstr(out, "No such file"), "%s", out);
    free(b);
}

/* femtoc -g: the optional line table. Written only when asked and when the
 * program has lines; skipped by the loader; read back by the host readers;
 * a malformed one is reported, never trusted. */
Test(fcx, line_table)
{
    fc_prog p = prog_full();
    static const char *files[] = {"app.c", "inc/util.h"};
    fc_line lines[] = {
        {0, 8, 3, 0}, {2, 9, 1, 0}, {2, 99, 1, 1} /* second record of insn 2: dropped */,
        {5, 40, 7, 1}, {7, 0, 0, 0} /* no line */, {NPROG1 + 3, 1, 1, 0} /* past the end: dropped */,
    };
    p.files = files;
    p.nfiles = 2;
    p.lines = lines;
    p.nlines = sizeof lines / sizeof lines[0];
    fc_fcx_input in = {0};
    in.prog = &p;
    size_t len0, len;
    uint8_t *b0 = write_ok(&in, &len0);
    fc_fcx_lines t;
    cr_assert_eq(fc_fcx_lines_find(b0, len0, &t, NULL), 0, "no table without in.lines");
    in.lines = 1;
    uint8_t *b = write_ok(&in, &len);   /* the loader accepts it (optional section) */
    cr_assert_gt(len, len0);
    const char *why = NULL, *f;
    uint32_t ln, col;
    cr_assert_eq(fc_fcx_lines_find(b, len, &t, &why), 1, "%s", why ? why : "");
    cr_assert_eq(t.nrecs, 4);
    cr_assert_eq(t.nfiles, 2);
    cr_assert(fc_fcx_line_of(&t, 0, &f, &ln, &col) && strcmp(f, "app.c") == 0 && ln == 8 && col == 3);
    cr_assert(fc_fcx_line_of(&t, 1, &f, &ln, NULL) && ln == 8, "insn 1 is covered by insn 0's record");
    cr_assert(fc_fcx_line_of(&t, 3, &f, &ln, NULL) && ln == 9 && strcmp(f, "app.c") == 0,
              "the first record of an instruction wins");
    cr_assert(fc_fcx_line_of(&t, 6, &f, &ln, NULL) && ln == 40 && strcmp(f, "inc/util.h") == 0);
    cr_assert(!fc_fcx_line_of(&t, 7, &f, &ln, NULL), "line 0 is no line");
    /* the section: type 32, OPTIONAL, no target/link/info */
    fc_fcx_header h;
    cr_assert(fc_fcx_read_header(b, (uint32_t)len, &h));
    int seen = 0;
    uint32_t off = 0;
    for (uint32_t i = 0; i < h.nsect; i++) {
        fc_fcx_section s;
        cr_assert(fc_fcx_read_section(b, (uint32_t)len, h.sect_off + i * FC_FCX_SECT_SIZE, &s));
        if (s.type == FC_FCX_SECT_LINES) {
            seen++;
            off = s.offset;
            cr_assert_eq(s.flags, FC_FCX_SF_OPTIONAL);
            cr_assert(s.target == 0 && s.link == 0 && s.info == 0);
            cr_assert(s.offset + s.size <= h.image_size, "inside the hashed (and signed) image");
        }
    }
    cr_assert_eq(seen, 1);
    /* out of order records: malformed, reported; the loader still skips it */
    uint8_t *c = malloc(len);
    memcpy(c, b, len);
    fc_put_le32(c + off + FC_FCX_LINE_HDR + FC_FCX_LINE_REC_SIZE, 0);  /* record 1 at insn 0 */
    cr_assert_eq(fc_fcx_lines_find(c, len, &t, &why), -1);
    cr_assert(why && strstr(why, "order"), "%s", why ? why : "");
    fc_fcx_rehash(c, len);
    fc_lresult r;
    cr_assert_eq(fc_fcx_validate(c, (uint32_t)len, &r), FC_OK, "an optional section is skipped");
    /* the bytes are hashed: an edit without rehash is refused */
    memcpy(c, b, len);
    c[off + 4] ^= 1;
    cr_assert_neq(fc_fcx_validate(c, (uint32_t)len, &r), FC_OK);
    /* as fc_prog lines, for the tools' messages */
    fc_prog q;
    memset(&q, 0, sizeof q);
    cr_assert_eq(fc_fcx_lines_to_prog(b, len, &q), 0);
    cr_assert(q.nlines == 4 && q.nfiles == 2 && strcmp(q.files[1], "inc/util.h") == 0 && q.lines[2].line == 40);
    fc_fcx_lines_free(&q);
    cr_assert_eq(fc_fcx_lines_to_prog(b0, len0, &q), -1);
    free(c);
    free(b);
    free(b0);
}

/*
 * Forgotten version bumps (WAMR's users' complaint): a fingerprint of every
 * layout constant of the format, pinned per major version. Changing any
 * offset, size, type, kind or symbol number (or the native env layout,
 * which generated code depends on) changes the fingerprint; the fix is to
 * bump FC_FCX_VERSION_MAJOR and add a row here, never to edit a row.
 * A minor version that only adds a value every older loader of its major
 * refuses rather than misreads (2.3: target 4 esp32, "code section for an
 * unknown target" to a 2.2 loader) adds a row with its minor; the row of
 * the newest minor not above FC_FCX_VERSION_MINOR must match.
 */
static uint32_t fp;
static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        fp ^= (v >> (8 * i)) & 0xFF;
        fp *= 16777619u;
    }
}

static uint32_t layout_fingerprint(void)
{
    fp = 2166136261u;
    const uint32_t v[] = {
        FC_FCX_MAGIC0, FC_FCX_MAGIC1, FC_FCX_MAGIC2, FC_FCX_MAGIC3,
        FC_FCX_HDR_SIZE, FC_FCX_H_MAGIC, FC_FCX_H_MAJOR, FC_FCX_H_MINOR, FC_FCX_H_FLAGS,
        FC_FCX_H_IMAGE_SIZE, FC_FCX_H_HEADER_SIZE, FC_FCX_H_NSECT, FC_FCX_H_SECT_OFF, FC_FCX_H_TARGETS,
        FC_FCX_H_FRAMES, FC_FCX_H_BUDGET, FC_FCX_H_RESERVED, FC_FCX_H_SHA256,
        /* 2: context requirements in the header, the signature record */
        FC_FCX_H_CTX_MIN, FC_FCX_H_CTX_FLAGS, FC_FCX_CTX_WRITES, FC_FCX_MAX_CTX,
        FC_FCX_SIG_LEN, FC_FCX_SIG_PROT, FC_FCX_SIG_PROT_LEN, FC_FCX_SIG_KID, FC_FCX_KEYID_LEN,
        FC_FCX_SIG_SIG, (uint32_t)FC_COSE_ALG_EDDSA,
        FC_FCX_F_REQUIRED_MASK, FC_FCX_F_TRAILER,
        FC_FCX_SECT_SIZE, FC_FCX_S_TYPE, FC_FCX_S_FLAGS, FC_FCX_S_TARGET, FC_FCX_S_RESERVED0,
        FC_FCX_S_LINK, FC_FCX_S_OFFSET, FC_FCX_S_SIZE, FC_FCX_S_INFO, FC_FCX_S_RESERVED1,
        FC_FCX_SECT_BYTECODE, FC_FCX_SECT_ENTRIES, FC_FCX_SECT_HELPERS, FC_FCX_SECT_RODATA,
        FC_FCX_SECT_DATA, FC_FCX_SECT_BSS, FC_FCX_SECT_CODE, FC_FCX_SECT_CODE_ENTRIES,
        FC_FCX_SECT_RELOC, FC_FCX_SECT_PCMAP, FC_FCX_SF_OPTIONAL,
        FC_FCX_NAME_LEN, FC_FCX_ENTRY_SIZE, FC_FCX_E_NAME, FC_FCX_E_INSN, FC_FCX_E_RESERVED,
        FC_FCX_RELOC_SIZE, FC_FCX_R_OFFSET, FC_FCX_R_KIND, FC_FCX_R_SYM, FC_FCX_R_RESERVED,
        FC_FCX_R_ADDEND, FC_FCX_PCMAP_SIZE, FC_FCX_PCMAP_NO_INSN, FC_FCX_HELPER_SIZE, FC_FCX_NENTRY_SIZE,
        FC_FCX_TRAILER_REC_HDR, FC_FCX_TRAILER_SIGNATURE,
        FC_ISA_T2_HWDIV, FC_ISA_T2_DSP, FC_ISA_RV_M, FC_ISA_RV_A, FC_ISA_RV_C,
        FC_ISA_XT_MUL32, FC_ISA_XT_DIV32, FC_ISA_XT_WINDOWED, FC_FCX_ALIGN,
        FC_TARGET_EBPF, FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC, FC_TARGET_XTENSA, FC_TARGET__COUNT,
        /* 2.3: target 4 */
        FC_TARGET_ESP32,
        FC_SYM_RODATA, FC_SYM_DATA, FC_SYM_BSS, FC_SYM_HELPER, FC_SYM_UDIV64, FC_SYM_SDIV64,
        FC_SYM_UMOD64, FC_SYM_SMOD64, FC_SYM_FAULT, FC_SYM_MEMCHECK, FC_SYM__COUNT,
        FC_RELOC_ABS32, FC_RELOC_THM_CALL, FC_RELOC_THM_MOVW_MOVT, FC_RELOC_RV_CALL, FC_RELOC_RV_HI20_LO12,
        FC_STACK_SIZE, FC_MAX_CALL_DEPTH,
        /* native env (runtime/fc_native.h): ABI of the code in CODE sections */
        FC_NENV_SIZE, FC_NENV_ERR, FC_NENV_ERR_INSN, FC_NENV_ERR_ADDR, FC_NENV_BUDGET,
        FC_NENV_STACK_FLOOR, FC_NENV_HELPER_CTX, FC_NENV_SAVED_SP, FC_NENV_CUR_FB,
        FC_NENV_STACK_END, FC_NENV_RD, FC_NENV_WR, FC_NATIVE_SPAN_SIZE, FC_NATIVE_NSLOTS,
        (uint32_t)sizeof(fc_native_env),
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        mix(v[i]);
    return fp;
}

Test(fcx, layout_change_needs_a_version_bump)
{
    static const struct { uint32_t major, minor, fingerprint; } pinned[] = {
        { 1, 0, 0x4e4ce83du },
        { 2, 0, 0x0aed20ecu },
        { 2, 3, 0xf8d6dde1u },
    };
    uint32_t now = layout_fingerprint(), n = sizeof pinned / sizeof pinned[0];
    int found = 0;
    uint32_t pick = n;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t j = 0; j < i; j++)
            cr_assert_neq(pinned[i].fingerprint, pinned[j].fingerprint, "two versions, one layout");
        if (pinned[i].major == FC_FCX_VERSION_MAJOR && pinned[i].minor <= FC_FCX_VERSION_MINOR &&
            (pick == n || pinned[i].minor > pinned[pick].minor))
            pick = i;
    }
    if (pick < n) {
        found = 1;
        cr_assert_eq(now, pinned[pick].fingerprint,
                     "the .fcx layout changed (fingerprint 0x%08x) but the version is still %u.%u (row %u.%u): "
                     "bump it and add a row", now, FC_FCX_VERSION_MAJOR, FC_FCX_VERSION_MINOR,
                     pinned[pick].major, pinned[pick].minor);
    }
    cr_assert(found, "no pinned fingerprint for major %u (now 0x%08x): add a row", FC_FCX_VERSION_MAJOR, now);
}

/* ---- the context flags come from the analysis ------------------------------ */
static int ctx_writes_of(fc_insn *insns, uint32_t n, uint32_t ctx_size, int *verified)
{
    fc_prog p;
    memset(&p, 0, sizeof p);
    p.insns = insns;
    p.ninsns = n;
    fc_vfy_opts o;
    memset(&o, 0, sizeof o);
    o.ctx_size = ctx_size;
    size_t wsz = fc_vfy_workspace_size(&p);
    void *ws = malloc(wsz);
    fc_insn_info *info = calloc(n, sizeof *info);
    cr_assert(ws && info);
    *verified = fc_vfy_run(&p, &o, ws, wsz, info, NULL, NULL) == 0;
    int w = fc_fcx_ctx_writes(&p, info);
    free(ws);
    free(info);
    return w;
}

Test(fcx, context_writes_flag_follows_the_proofs)
{
    int ok;
    /* stw [r1+4], 7: proven with ctx_size >= 8, checked below */
    fc_insn st_ctx[] = { I(0x62, 1, 0, 4, 7), I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(ctx_writes_of(st_ctx, 3, 8, &ok), 1);
    cr_assert(ok);
    cr_assert_eq(ctx_writes_of(st_ctx, 3, 64, &ok), 1);
    cr_assert_eq(ctx_writes_of(st_ctx, 3, 7, &ok), 0, "a checked store needs no flag");
    cr_assert_eq(ctx_writes_of(st_ctx, 3, 0, &ok), 0);
    /* an atomic add into the context counts as a write */
    fc_insn at_ctx[] = { I(0xb7, 2, 0, 0, 1), I(0xdb, 1, 2, 0, 0), I(0xb7, 0, 0, 0, 0),
                         I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(ctx_writes_of(at_ctx, 4, 16, &ok), 1);
    cr_assert(ok);
    /* reads of the context and stores to the stack do not */
    fc_insn rd_ctx[] = { I(0x61, 0, 1, 60, 0), I(0x63, 10, 0, -8, 0), I(0x95, 0, 0, 0, 0) };
    cr_assert_eq(ctx_writes_of(rd_ctx, 3, 64, &ok), 0);
    cr_assert(ok);
}

Test(fcx, verifier_caps_the_context_size)
{
    int ok;
    fc_insn rd_ctx[] = { I(0x61, 0, 1, 60, 0), I(0x95, 0, 0, 0, 0) };
    ctx_writes_of(rd_ctx, 2, FC_FCX_MAX_CTX, &ok);
    cr_assert(ok, "64 KiB is allowed");
    ctx_writes_of(rd_ctx, 2, FC_FCX_MAX_CTX + 1, &ok);
    cr_assert(!ok, "above 64 KiB is refused");
    ctx_writes_of(rd_ctx, 2, 0xFFFFFFFFu, &ok);
    cr_assert(!ok, "the wrap-around size of the report is refused");
}
