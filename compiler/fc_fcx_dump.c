/*
 * fc_fcx_dump.c - fc_fcx_dump: a container printed section by section for
 * femto-objdump, with the bytecode and (through each backend's
 * disassembler) the native code under the eBPF instruction it implements.
 * Apart from the writer/reader in fc_fcx.c because it needs the backends,
 * which the loader's fuzz harness and other light users of the reader do not
 * link.
 */
#include <stdlib.h>
#include <string.h>
#include "fc_fcx.h"
#include "fc_loader.h"
#include "fc_sha256.h"
#include "fc_disasm.h"
#include "fc_backend.h"

/* ---- dump ----------------------------------------------------------------- */
static const char *sect_name(unsigned t)
{
    switch (t) {
    case FC_FCX_SECT_BYTECODE: return "bytecode";
    case FC_FCX_SECT_ENTRIES: return "entries";
    case FC_FCX_SECT_HELPERS: return "helpers";
    case FC_FCX_SECT_RODATA: return "rodata";
    case FC_FCX_SECT_DATA: return "data";
    case FC_FCX_SECT_BSS: return "bss";
    case FC_FCX_SECT_CODE: return "code";
    case FC_FCX_SECT_CODE_ENTRIES: return "code-entries";
    case FC_FCX_SECT_RELOC: return "reloc";
    case FC_FCX_SECT_PCMAP: return "pcmap";
    case FC_FCX_SECT_LINES: return "lines";
    default: return "?";
    }
}

static const char *reloc_name(unsigned k)
{
    switch (k) {
    case FC_RELOC_ABS32: return "ABS32";
    case FC_RELOC_THM_CALL: return "THM_CALL";
    case FC_RELOC_THM_MOVW_MOVT: return "THM_MOVW_MOVT";
    case FC_RELOC_RV_CALL: return "RV_CALL";
    case FC_RELOC_RV_HI20_LO12: return "RV_HI20_LO12";
    default: return "?";
    }
}

static const char *sym_name(unsigned s)
{
    static const char *const n[FC_SYM__COUNT] = {
        "rodata", "data", "bss", "helper", "udiv64", "sdiv64", "umod64", "smod64", "fault", "memcheck",
    };
    return s < FC_SYM__COUNT ? n[s] : "?";
}

static void hex(FILE *o, const uint8_t *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        fprintf(o, "%02x", p[i]);
}

/* A readable section: inside the buffer. */
static int readable(const fc_fcx_section *s, size_t len)
{
    return len <= UINT32_MAX && fc_in_bounds((uint32_t)len, s->offset, s->size);
}

/* " app.c:8" for insn, or nothing. */
static void put_line(FILE *o, const fc_fcx_lines *lt, uint32_t insn)
{
    const char *f;
    uint32_t ln;
    if (lt && fc_fcx_line_of(lt, insn, &f, &ln, NULL))
        fprintf(o, "  %s:%u", f, ln);
}

/* The pc map section linked to code section index ci, or 0. */
static int pcmap_of(const uint8_t *b, size_t len, const fc_fcx_header *h, uint32_t ci,
                    fc_fcx_section *m)
{
    for (uint32_t i = 0; i < h->nsect && i < FC_FCX_MAX_SECTIONS; i++)
        if (fc_fcx_read_section(b, (uint32_t)len, h->sect_off + i * FC_FCX_SECT_SIZE, m) &&
            m->type == FC_FCX_SECT_PCMAP && m->link == ci && readable(m, len))
            return 1;
    return 0;
}

/* The native code, instruction by instruction (the backend's disassembler),
 * under the eBPF instruction each pc map record names. */
static void dump_native(FILE *o, const uint8_t *b, size_t len, const fc_fcx_header *h,
                        uint32_t ci, const fc_fcx_section *s, const fc_fcx_lines *lt,
                        const fc_insn *ins, size_t nins)
{
    const fc_backend *bk = NULL;
    for (unsigned k = 0; fc_backend_table[k]; k++)
        if (fc_backend_table[k]->target == s->target) {
            bk = fc_backend_table[k];
            break;
        }
    const uint8_t *code = b + s->offset;
    fc_fcx_section m;
    int have_map = pcmap_of(b, len, h, ci, &m);
    uint32_t rec = 0, nrec = have_map ? m.size / FC_FCX_PCMAP_SIZE : 0;
    char text[160];
    for (uint32_t off = 0; off < s->size;) {
        while (rec < nrec && fc_le32(b + m.offset + rec * FC_FCX_PCMAP_SIZE) <= off) {
            uint32_t insn = fc_le32(b + m.offset + rec * FC_FCX_PCMAP_SIZE + 4);
            if (insn == FC_FCX_PCMAP_NO_INSN) {
                fprintf(o, "      ; - (prologue / shared code)\n");
            } else if (insn < nins) {
                fc_disasm_insn(ins, nins, insn, text, sizeof text);
                fprintf(o, "      ; insn %u: %s", insn, text);
                put_line(o, lt, insn);
                fputc('\n', o);
            } else {
                fprintf(o, "      ; insn %u: (end of program)\n", insn);
            }
            rec++;
        }
        unsigned n = bk && bk->disasm ? bk->disasm(code, s->size, off, off, text, sizeof text) : 0;
        if (n == 0 || off + n > s->size) {
            n = off + 2 <= s->size ? 2 : 1;
            snprintf(text, sizeof text, "%s", n == 2 ? ".hword" : ".byte");
        }
        fprintf(o, "      %06x:", off);
        for (unsigned k = 0; k < 4; k += 2)
            if (k + 1 < n)
                fprintf(o, " %04x", fc_le16(code + off + k));
            else if (k < n)
                fprintf(o, " %02x  ", code[off + k]);
            else
                fprintf(o, "     ");
        fprintf(o, "  %s\n", text);
        off += n;
    }
}

static void dump_section(FILE *o, const uint8_t *b, size_t len, const fc_fcx_header *h, uint32_t idx,
                         const fc_fcx_section *s, unsigned flags, const fc_fcx_lines *lt,
                         const fc_insn *ins, size_t nins)
{
    uint32_t k;
    if (s->type != FC_FCX_SECT_BSS && !readable(s, len)) {
        fprintf(o, "      (outside the file)\n");
        return;
    }
    const uint8_t *p = b + s->offset;
    switch (s->type) {
    case FC_FCX_SECT_ENTRIES:
        for (k = 0; k + FC_FCX_ENTRY_SIZE <= s->size; k += FC_FCX_ENTRY_SIZE) {
            fprintf(o, "      entry %u: %-23.23s insn %u", k / FC_FCX_ENTRY_SIZE,
                    (const char *)p + k, fc_le32(p + k + FC_FCX_E_INSN));
            put_line(o, lt, fc_le32(p + k + FC_FCX_E_INSN));
            fputc('\n', o);
        }
        break;
    case FC_FCX_SECT_HELPERS:
        fprintf(o, "      helper imports:");
        for (k = 0; k + 4 <= s->size; k += 4)
            fprintf(o, " 0x%02x", fc_le32(p + k));
        fprintf(o, "\n");
        break;
    case FC_FCX_SECT_CODE_ENTRIES:
        for (k = 0; k + 4 <= s->size; k += 4)
            fprintf(o, "      entry %u at +0x%x\n", k / 4, fc_le32(p + k));
        break;
    case FC_FCX_SECT_RELOC:
        for (k = 0; k + FC_FCX_RELOC_SIZE <= s->size; k += FC_FCX_RELOC_SIZE) {
            fc_fcx_reloc r;
            if (!fc_fcx_read_reloc(p, s->size, k, &r))
                break;
            fprintf(o, "      +0x%06x %-14s %-9s %+d\n", r.offset, reloc_name(r.kind),
                    sym_name(r.sym), r.addend);
        }
        break;
    case FC_FCX_SECT_PCMAP:
        for (k = 0; k + FC_FCX_PCMAP_SIZE <= s->size; k += FC_FCX_PCMAP_SIZE) {
            uint32_t insn = fc_le32(p + k + 4);
            if (insn == FC_FCX_PCMAP_NO_INSN) {
                fprintf(o, "      +0x%06x -> -  (no instruction: prologue, shared code)\n", fc_le32(p + k));
            } else if (nins && insn >= nins) {
                fprintf(o, "      +0x%06x -> insn %u (end of program)\n", fc_le32(p + k), insn);
            } else {
                fprintf(o, "      +0x%06x -> insn %u", fc_le32(p + k), insn);
                if (flags & FC_FCX_DUMP_LINES)
                    put_line(o, lt, insn);
                fputc('\n', o);
            }
        }
        break;
    case FC_FCX_SECT_LINES: {
        fc_fcx_lines t;
        const char *why = NULL;
        int r = fc_fcx_lines_find(b, len, &t, &why);
        if (r != 1) {
            fprintf(o, "      (malformed: %s)\n", why ? why : "unreadable");
            break;
        }
        fprintf(o, "      %u records, %u file(s):", t.nrecs, t.nfiles);
        for (k = 0; k < t.nfiles; k++)
            fprintf(o, " %s", fc_fcx_line_file(&t, k));
        fputc('\n', o);
        if (flags & FC_FCX_DUMP_LINES)
            for (k = 0; k < t.nrecs; k++) {
                const uint8_t *q = t.recs + k * FC_FCX_LINE_REC_SIZE;
                fprintf(o, "      insn %u: %s:%u:%u\n", fc_le32(q), fc_fcx_line_file(&t, fc_le16(q + 10)),
                        fc_le32(q + 4), fc_le16(q + 8));
            }
        break;
    }
    case FC_FCX_SECT_BYTECODE:
        if ((flags & FC_FCX_DUMP_DISASM) && ins) {
            char text[160];
            for (size_t i = 0; i < nins;) {
                unsigned sl = fc_disasm_insn(ins, nins, i, text, sizeof text);
                fprintf(o, "%6zu: %s", i, text);
                if (flags & FC_FCX_DUMP_LINES)
                    put_line(o, lt, (uint32_t)i);
                fputc('\n', o);
                i += sl ? sl : 1;
            }
        }
        break;
    case FC_FCX_SECT_CODE:
        if (flags & FC_FCX_DUMP_DISASM)
            dump_native(o, b, len, h, idx, s, (flags & FC_FCX_DUMP_LINES) ? lt : NULL, ins, nins);
        if (flags & FC_FCX_DUMP_CODE)
            for (k = 0; k < s->size; k += 16) {
                fprintf(o, "      %06x:", k);
                for (uint32_t j = k; j < k + 16 && j < s->size; j += 2)
                    fprintf(o, j + 1 < s->size ? " %04x" : " %02x",
                            j + 1 < s->size ? fc_le16(p + j) : p[j]);
                fprintf(o, "\n");
            }
        break;
    default:
        break;
    }
}

/* The bytecode of a container as instructions (malloc'd), or NULL. */
static fc_insn *dump_bytecode(const uint8_t *b, size_t len, const fc_fcx_header *h, size_t *n)
{
    fc_fcx_section s;
    *n = 0;
    for (uint32_t i = 0; i < h->nsect && i < FC_FCX_MAX_SECTIONS; i++) {
        if (!fc_fcx_read_section(b, (uint32_t)len, h->sect_off + i * FC_FCX_SECT_SIZE, &s))
            return NULL;
        if (s.type != FC_FCX_SECT_BYTECODE || !readable(&s, len) || s.size % 8 || !s.size)
            continue;
        fc_insn *ins = malloc((s.size / 8) * sizeof *ins);
        if (!ins)
            return NULL;
        for (size_t k = 0; k < s.size / 8; k++)
            ins[k] = fc_insn_decode(b + s.offset + 8 * k);
        *n = s.size / 8;
        return ins;
    }
    return NULL;
}

int fc_fcx_dump(FILE *o, const uint8_t *b, size_t len, unsigned flags)
{
    fc_fcx_header h;
    fc_lresult r;
    char msg[160];
    uint8_t hash[32];

    fprintf(o, "size: %zu bytes\n", len);
    if (len > UINT32_MAX || !fc_fcx_read_header(b, (uint32_t)len, &h)) {
        fprintf(o, "header: truncated (%zu of %u bytes)\n", len, FC_FCX_HDR_SIZE);
    } else {
        fprintf(o, "magic: %02x %02x %02x %02x%s\n", b[0], b[1], b[2], b[3],
                (b[0] == FC_FCX_MAGIC0 && b[1] == FC_FCX_MAGIC1 && b[2] == FC_FCX_MAGIC2 &&
                 b[3] == FC_FCX_MAGIC3) ? " (fcx)" : " (NOT fcx)");
        fprintf(o, "version: %u.%u (this tool: %u.%u)\n", h.major, h.minor, FC_FCX_VERSION_MAJOR,
                FC_FCX_VERSION_MINOR);
        fprintf(o, "flags: 0x%08x%s\n", h.flags, (h.flags & FC_FCX_F_TRAILER) ? " trailer" : "");
        fprintf(o, "image size: %u, header size: %u\n", h.image_size, h.header_size);
        fprintf(o, "targets: 0x%04x", h.targets);
        for (unsigned t = 0; t < 16; t++)
            if (h.targets & (1u << t))
                fprintf(o, " %s", fc_fcx_target_name(t));
        fprintf(o, "\nstack: %u frame(s) of %u bytes; budget: %u%s\n", h.frames, FC_STACK_SIZE,
                h.budget, h.budget ? "" : " (runtime default)");
        fprintf(o, "context: at least %u bytes%s\n", h.ctx_min,
                (h.ctx_flags & FC_FCX_CTX_WRITES) ? "; written without checks (must be writable)"
                                                  : "; never written without a check");
        fprintf(o, "sha256: ");
        hex(o, h.sha256, 32);
        if (h.image_size >= FC_FCX_HDR_SIZE && h.image_size <= len) {
            fc_fcx_payload_hash(b, h.image_size, hash);
            if (memcmp(hash, h.sha256, 32) == 0) {
                fprintf(o, " (ok)\n");
            } else {
                fprintf(o, " (MISMATCH: payload hashes to ");
                hex(o, hash, 32);
                fprintf(o, ")\n");
            }
        } else {
            fprintf(o, " (not checked: image size outside the file)\n");
        }
        fc_fcx_lines lt;
        int have_lt = fc_fcx_lines_find(b, len, &lt, NULL) == 1;
        size_t nins = 0;
        fc_insn *ins = dump_bytecode(b, len, &h, &nins);
        fprintf(o, "sections: %u at 0x%x\n", h.nsect, h.sect_off);
        fprintf(o, "  idx type          target    link offset     size       info\n");
        for (uint32_t i = 0; i < h.nsect && i < FC_FCX_MAX_SECTIONS; i++) {
            fc_fcx_section sect, *s = &sect;
            if (!fc_fcx_read_section(b, (uint32_t)len, h.sect_off + i * FC_FCX_SECT_SIZE, s)) {
                fprintf(o, "  %3u (entry outside the file)\n", i);
                break;
            }
            fprintf(o, "  %3u %-13s %-9s %4u 0x%08x 0x%08x 0x%x%s\n", i, sect_name(s->type),
                    s->type == FC_FCX_SECT_CODE ? fc_fcx_target_name(s->target) : "-", s->link,
                    s->offset, s->size, s->info, (s->flags & FC_FCX_SF_OPTIONAL) ? " optional" : "");
            dump_section(o, b, len, &h, i, s, flags, have_lt ? &lt : NULL, ins, nins);
        }
        free(ins);
    }
    if (len >= FC_FCX_HDR_SIZE && len <= UINT32_MAX && (h.flags & FC_FCX_F_TRAILER) &&
        h.image_size >= FC_FCX_HDR_SIZE && h.image_size <= len) {
        uint32_t p = h.image_size, k = 0;
        fprintf(o, "trailer: %zu bytes at 0x%x\n", len - h.image_size, h.image_size);
        while (fc_in_bounds((uint32_t)len, p, FC_FCX_TRAILER_REC_HDR)) {
            uint32_t type = fc_le32(b + p), rl = fc_le32(b + p + 4);
            const uint8_t *kid, *sig;
            p += FC_FCX_TRAILER_REC_HDR;
            if (!fc_in_bounds((uint32_t)len, p, rl)) {
                fprintf(o, "  record %u: type %u, %u bytes (outside the file)\n", k, type, rl);
                break;
            }
            if (type == FC_FCX_TRAILER_SIGNATURE && fc_fcx_sig_decode(b + p, rl, &kid, &sig)) {
                fprintf(o, "  record %u: signature: Ed25519 (COSE_Sign1, alg EdDSA), key id ", k);
                hex(o, kid, FC_FCX_KEYID_LEN);
                fprintf(o, "\n    signature: ");
                hex(o, sig, 32);
                fprintf(o, "\n               ");
                hex(o, sig + 32, 32);
                fprintf(o, "\n    signs bytes 0..%u (everything before the trailer)\n", h.image_size);
            } else if (type == FC_FCX_TRAILER_SIGNATURE) {
                fprintf(o, "  record %u: signature in an encoding this tool does not know (%u bytes)\n", k, rl);
            } else {
                fprintf(o, "  record %u: type %u, %u bytes (unknown: ignored)\n", k, type, rl);
            }
            p += rl + ((8u - (rl & 7u)) & 7u);
            k++;
        }
    } else if (len >= FC_FCX_HDR_SIZE) {
        fprintf(o, "signature: none (unsigned)\n");
    }
    int e = fc_fcx_validate(b, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len, &r);
    fc_lresult_format(&r, msg, sizeof msg);
    if (e == FC_OK)
        fprintf(o, "verdict: valid\n");
    else
        fprintf(o, "verdict: INVALID: %s [%s]\n", msg, fc_lerr_str(e));
    return e;
}
