/*
 * fc_container.h - the .fcx container format: constants, record layouts and
 * bounds-checked little-endian readers shared by the host writer
 * (compiler/fc_fcx.c) and the device loader (runtime/fc_loader.c).
 *
 * Freestanding C99. The specification is docs/fcx.md; this header is its
 * machine-readable half. Nothing here is cast onto container bytes: every
 * field is read with the bounds-checked readers below (byte order and
 * alignment independent), and the C structs are *decoded* forms.
 *
 * Container (all integers little-endian, every section 8-byte aligned):
 *
 *   0x00 +--------------------------------------------------------------+
 *        | header (80 bytes)           magic "\xFC" "FCX", version,     |
 *        |                             flags, sizes, targets, frames,   |
 *        |                             budget, context requirements,    |
 *        |                             SHA-256 of the payload           |
 *   0x50 +--------------------------------------------------------------+
 *        | section table: section_count x 24-byte entries               |
 *        +--------------------------------------------------------------+
 *        | sections, ascending offsets, 8-aligned, zero padding between |
 *        |   BYTECODE  ENTRIES  HELPERS  RODATA  DATA                   |
 *        |   CODE(t)   CODE_ENTRIES(t)  RELOC(t)  PCMAP(t)   per target |
 *        +--------------------------------------------------------------+ image_size
 *        | optional trailer (FC_FCX_F_TRAILER): signature records later |
 *        +--------------------------------------------------------------+
 *
 * LAYOUT CHANGES: any change to an offset, a record size, a section type, a
 * relocation kind or symbol number (runtime/fc_native.h) bumps
 * FC_FCX_VERSION_MAJOR. tests/unit/test_fcx.c pins a fingerprint of this
 * layout per version and fails when the layout changes under an old number.
 */
#ifndef FC_CONTAINER_H
#define FC_CONTAINER_H

#include <stdint.h>
#include <stddef.h>
#include "fc_native.h"

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "femtoc's runtime executes eBPF bytecode in place and needs a little-endian core"
#endif

/* ---- versions -------------------------------------------------------------
 * major: incompatible change. A loader accepts exactly its own major; a
 *        container with a greater major is "newer" and refused
 *        (FC_LERR_VERSION_NEWER), a smaller one is refused as too old.
 * minor: additions an older loader may ignore safely: only sections with
 *        FC_FCX_SF_OPTIONAL and header flags in FC_FCX_F_OPTIONAL_MASK. A
 *        loader accepts any minor of its major.
 */
#define FC_FCX_VERSION_MAJOR 2u
#define FC_FCX_VERSION_MINOR 3u

#define FC_FCX_MAGIC0 0xFCu
#define FC_FCX_MAGIC1 0x46u  /* 'F' */
#define FC_FCX_MAGIC2 0x43u  /* 'C' */
#define FC_FCX_MAGIC3 0x58u  /* 'X' */

/* ---- header (80 bytes) ------------------------------------------------- */
#define FC_FCX_HDR_SIZE        80u
#define FC_FCX_H_MAGIC         0x00u  /* u8[4]                                  */
#define FC_FCX_H_MAJOR         0x04u  /* u16                                    */
#define FC_FCX_H_MINOR         0x06u  /* u16                                    */
#define FC_FCX_H_FLAGS         0x08u  /* u32 FC_FCX_F_*                          */
#define FC_FCX_H_IMAGE_SIZE    0x0Cu  /* u32 bytes covered by the hash           */
#define FC_FCX_H_HEADER_SIZE   0x10u  /* u16 == FC_FCX_HDR_SIZE                  */
#define FC_FCX_H_NSECT         0x12u  /* u16 section count                       */
#define FC_FCX_H_SECT_OFF      0x14u  /* u32 section table offset                */
#define FC_FCX_H_TARGETS       0x18u  /* u16 bit t: code for enum fc_target t    */
#define FC_FCX_H_FRAMES        0x1Au  /* u16 stack frames (call depth)           */
#define FC_FCX_H_BUDGET        0x1Cu  /* u32 taken backward jumps, 0 = default   */
#define FC_FCX_H_CTX_MIN       0x20u  /* u32 context bytes the code relies on    */
#define FC_FCX_H_CTX_FLAGS     0x24u  /* u32 FC_FCX_CTX_*                        */
#define FC_FCX_H_RESERVED      0x28u  /* u8[8] zero up to 2.1; from 2.2:       */
#define FC_FCX_H_STACK_UNTOUCHED 0x28u /* u32 bytes at the bottom of each frame
                                         nothing of the program touches      */
#define FC_FCX_H_RESERVED_2_2  0x2Cu  /* u8[4] zero                              */
#define FC_FCX_H_SHA256        0x30u  /* u8[32]                                  */

/* Header flags. Bits 0..15 are "required": a loader refuses a container with
 * a required bit it does not know. Bits 16..31 are "optional": a loader
 * ignores the ones it does not know. */
#define FC_FCX_F_REQUIRED_MASK 0x0000FFFFu
#define FC_FCX_F_OPTIONAL_MASK 0xFFFF0000u
#define FC_FCX_F_TRAILER       0x00010000u  /* trailer records after image_size */
#define FC_FCX_F_KNOWN         (FC_FCX_F_TRAILER)

/* What the code assumes of the context (r1, r2), header ctx_min/ctx_flags.
 * ctx_min: accesses below it were proven (femtoc --ctx-size) and are not
 * checked at run time, so fc_run refuses a shorter context. At most
 * FC_FCX_MAX_CTX (docs/sandbox.md: why 64 KiB). CTX_WRITES: some store or
 * atomic into the context is unchecked, so fc_run refuses a read-only
 * context. Every engine refuses alike, before the first instruction. */
#define FC_FCX_MAX_CTX         0x10000u
#define FC_FCX_CTX_WRITES      0x1u
#define FC_FCX_CTX_KNOWN       FC_FCX_CTX_WRITES

/* ---- section table entries (24 bytes) --------------------------------- */
#define FC_FCX_SECT_SIZE   24u
#define FC_FCX_S_TYPE      0x00u  /* u16 FC_FCX_SECT_*                        */
#define FC_FCX_S_FLAGS     0x02u  /* u16 FC_FCX_SF_*                          */
#define FC_FCX_S_TARGET    0x04u  /* u8  enum fc_target (CODE only, else 0)   */
#define FC_FCX_S_RESERVED0 0x05u  /* u8  zero                                  */
#define FC_FCX_S_LINK      0x06u  /* u16 index of the CODE section described  */
#define FC_FCX_S_OFFSET    0x08u  /* u32 from the start of the container      */
#define FC_FCX_S_SIZE      0x0Cu  /* u32 bytes in the file                    */
#define FC_FCX_S_INFO      0x10u  /* u32 CODE: ISA features; BSS: memory size */
#define FC_FCX_S_RESERVED1 0x14u  /* u32 zero                                  */

enum fc_fcx_sect_type {
    FC_FCX_SECT_BYTECODE = 1,      /* eBPF instructions, 8 bytes each         */
    FC_FCX_SECT_ENTRIES = 2,       /* entry points, FC_FCX_ENTRY_SIZE each    */
    FC_FCX_SECT_HELPERS = 3,       /* helper imports: u32 ids, ascending      */
    FC_FCX_SECT_RODATA = 4,        /* read-only data                          */
    FC_FCX_SECT_DATA = 5,          /* initial image of .data                  */
    FC_FCX_SECT_BSS = 6,           /* no bytes in the file; info = size       */
    FC_FCX_SECT_CODE = 16,         /* native code for `target`                */
    FC_FCX_SECT_CODE_ENTRIES = 17, /* linked: u32 native offset per entry     */
    FC_FCX_SECT_RELOC = 18,        /* linked: FC_FCX_RELOC_SIZE records        */
    FC_FCX_SECT_PCMAP = 19         /* linked: FC_FCX_PCMAP_SIZE records        */
};

/* Section flags. OPTIONAL: a loader that does not know the type skips the
 * section (added by a minor version). Every other bit is reserved (zero). */
#define FC_FCX_SF_OPTIONAL 0x8000u
#define FC_FCX_SF_KNOWN    FC_FCX_SF_OPTIONAL

/* ---- records ------------------------------------------------------------ */
#define FC_FCX_NAME_LEN    24u    /* entry name, NUL-terminated, NUL-padded */
#define FC_FCX_ENTRY_SIZE  32u    /* name[24], u32 insn, u32 reserved       */
#define FC_FCX_E_NAME      0x00u
#define FC_FCX_E_INSN      0x18u
#define FC_FCX_E_RESERVED  0x1Cu

#define FC_FCX_RELOC_SIZE  12u    /* u32 offset, u8 kind, u8 sym, u16 0, i32 addend */
#define FC_FCX_R_OFFSET    0x00u
#define FC_FCX_R_KIND      0x04u
#define FC_FCX_R_SYM       0x05u
#define FC_FCX_R_RESERVED  0x06u
#define FC_FCX_R_ADDEND    0x08u

#define FC_FCX_PCMAP_SIZE  8u     /* u32 native offset, u32 eBPF insn index */
#define FC_FCX_PCMAP_NO_INSN 0xFFFFFFFFu /* code made for no instruction
                                          (prologue, shared routines)   */
#define FC_FCX_HELPER_SIZE 4u
#define FC_FCX_NENTRY_SIZE 4u

/* Trailer record header (after image_size, 8-aligned, FC_FCX_F_TRAILER). */
#define FC_FCX_TRAILER_REC_HDR 8u /* u32 type, u32 length; body padded to 8 */
enum fc_fcx_trailer_type {
    FC_FCX_TRAILER_SIGNATURE = 1  /* a COSE_Sign1 (RFC 9052), see below   */
};

/*
 * Signature record body: a tagged COSE_Sign1 with a detached payload, in
 * the one deterministic CBOR encoding below (RFC 9052 section 4.2; EdDSA
 * is COSE algorithm -8, RFC 9053 section 2.2). The payload is the bytes
 * [0, image_size) of the container (header, table, sections: everything
 * but the trailer).
 *
 *   D2                      tag 18 (COSE_Sign1)
 *   84                      array(4)
 *   4D A2 01 27 04 48 k[8]  protected: bstr(13) { 1 (alg): -8 (EdDSA),
 *                                                 4 (kid): bstr(8) }
 *   A0                      unprotected: {}
 *   F6                      payload: nil (detached)
 *   58 40 s[64]             signature: bstr(64), Ed25519 (RFC 8032)
 *
 * The key id k is the first 8 bytes of SHA-256 of the raw 32-byte public
 * key. The signed message is the Sig_structure
 *   84 6A "Signature1" 4D <protected> 40 <bstr header of image_size> payload
 * (array of "Signature1", the protected bytes, empty external_aad, the
 * payload), which fc_fcx_sig_prefix builds up to the payload.
 */
#define FC_FCX_SIG_LEN      84u   /* body bytes of an Ed25519 record        */
#define FC_FCX_SIG_PROT     3u    /* protected header map, 13 bytes         */
#define FC_FCX_SIG_PROT_LEN 13u
#define FC_FCX_SIG_KID      8u    /* key id, 8 bytes                        */
#define FC_FCX_KEYID_LEN    8u
#define FC_FCX_SIG_SIG      20u   /* signature, 64 bytes                    */
#define FC_FCX_SIG_MAX_PREFIX 32u /* Sig_structure bytes before the payload */
#define FC_COSE_ALG_EDDSA   (-8)

/* Write the signature record body for key id kid and signature sig. */
static inline void fc_fcx_sig_encode(uint8_t body[FC_FCX_SIG_LEN],
                                     const uint8_t kid[FC_FCX_KEYID_LEN],
                                     const uint8_t sig[64])
{
    static const uint8_t head[8] = { 0xD2, 0x84, 0x4D, 0xA2, 0x01, 0x27, 0x04, 0x48 };
    uint32_t i;
    for (i = 0; i < 8u; i++)
        body[i] = head[i];
    for (i = 0; i < FC_FCX_KEYID_LEN; i++)
        body[FC_FCX_SIG_KID + i] = kid[i];
    body[16] = 0xA0;
    body[17] = 0xF6;
    body[18] = 0x58;
    body[19] = 0x40;
    for (i = 0; i < 64u; i++)
        body[FC_FCX_SIG_SIG + i] = sig[i];
}

/* 1: body (len bytes) is exactly an Ed25519 signature record; kid and sig
 * point into it. 0: another algorithm or encoding (not one this runtime
 * can check). */
static inline int fc_fcx_sig_decode(const uint8_t *body, uint32_t len,
                                    const uint8_t **kid, const uint8_t **sig)
{
    static const uint8_t head[8] = { 0xD2, 0x84, 0x4D, 0xA2, 0x01, 0x27, 0x04, 0x48 };
    uint32_t i;
    if (len != FC_FCX_SIG_LEN)
        return 0;
    for (i = 0; i < 8u; i++)
        if (body[i] != head[i])
            return 0;
    if (body[16] != 0xA0 || body[17] != 0xF6 || body[18] != 0x58 || body[19] != 0x40)
        return 0;
    *kid = body + FC_FCX_SIG_KID;
    *sig = body + FC_FCX_SIG_SIG;
    return 1;
}

/* The Sig_structure up to the payload for a record with key id kid over a
 * payload of n bytes; returns its length (<= FC_FCX_SIG_MAX_PREFIX). The
 * signed message is these bytes followed by the payload. */
static inline uint32_t fc_fcx_sig_prefix(uint8_t out[FC_FCX_SIG_MAX_PREFIX],
                                         const uint8_t kid[FC_FCX_KEYID_LEN], uint32_t n)
{
    static const char ctx[10] = { 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1' };
    static const uint8_t prot[5] = { 0xA2, 0x01, 0x27, 0x04, 0x48 };
    uint32_t i, p = 0;
    out[p++] = 0x84;
    out[p++] = 0x6A;
    for (i = 0; i < 10u; i++)
        out[p++] = (uint8_t)ctx[i];
    out[p++] = 0x4D;
    for (i = 0; i < 5u; i++)
        out[p++] = prot[i];
    for (i = 0; i < FC_FCX_KEYID_LEN; i++)
        out[p++] = kid[i];
    out[p++] = 0x40;                 /* external_aad: empty bstr */
    /* payload bstr header, shortest form (RFC 8949 section 4.2.1) */
    if (n < 24u) {
        out[p++] = (uint8_t)(0x40u | n);
    } else if (n < 0x100u) {
        out[p++] = 0x58;
        out[p++] = (uint8_t)n;
    } else if (n < 0x10000u) {
        out[p++] = 0x59;
        out[p++] = (uint8_t)(n >> 8);
        out[p++] = (uint8_t)n;
    } else {
        out[p++] = 0x5A;
        out[p++] = (uint8_t)(n >> 24);
        out[p++] = (uint8_t)(n >> 16);
        out[p++] = (uint8_t)(n >> 8);
        out[p++] = (uint8_t)n;
    }
    return p;
}

/* ---- ISA feature bits (CODE section info), per target ------------------ */
#define FC_ISA_T2_HWDIV   0x1u  /* SDIV/UDIV (v7-M has them; v6-M/v8-M.base not) */
#define FC_ISA_T2_DSP     0x2u  /* v7E-M DSP extension (Cortex-M4)                */
#define FC_ISA_T2_KNOWN   0x3u
#define FC_ISA_RV_M       0x1u
#define FC_ISA_RV_A       0x2u
#define FC_ISA_RV_C       0x4u
#define FC_ISA_RV_KNOWN   0x7u
#define FC_ISA_XT_MUL32   0x1u
#define FC_ISA_XT_DIV32   0x2u
#define FC_ISA_XT_WINDOWED 0x4u
#define FC_ISA_XT_KNOWN   0x7u

/* ---- limits ------------------------------------------------------------- */
#define FC_FCX_ALIGN        8u
#define FC_FCX_MAX_IMAGE    (16u * 1024u * 1024u)
#define FC_FCX_MAX_SECTIONS 64u
#define FC_FCX_MAX_ENTRIES  64u
#define FC_FCX_MAX_HELPERS  256u
#define FC_FCX_MAX_RAM      (1u << 24)   /* .data + .bss */

/* ---- decoded forms ------------------------------------------------------ */
typedef struct fc_fcx_header {
    uint16_t major, minor;
    uint32_t flags;
    uint32_t image_size;
    uint16_t header_size;
    uint16_t nsect;
    uint32_t sect_off;
    uint16_t targets;
    uint16_t frames;
    uint32_t budget;
    uint32_t ctx_min;
    uint32_t ctx_flags;
    uint32_t stack_untouched;   /* 0..FC_STACK_SIZE, a multiple of 8 */
    uint8_t sha256[32];
} fc_fcx_header;

typedef struct fc_fcx_section {
    uint16_t type, flags;
    uint8_t target, reserved0;
    uint16_t link;
    uint32_t offset, size, info, reserved1;
} fc_fcx_section;

typedef struct fc_fcx_reloc {
    uint32_t offset;
    uint8_t kind;    /* enum fc_reloc_kind */
    uint8_t sym;     /* enum fc_sym */
    uint16_t reserved;
    int32_t addend;
} fc_fcx_reloc;

typedef struct fc_fcx_pcmap {
    uint32_t native_off;  /* code from here up to the next record ...   */
    uint32_t insn;        /* ... implements this eBPF instruction index */
} fc_fcx_pcmap;

/* ---- bounds-checked readers (style rule: every read names its limit) --- */
/* Raw little-endian loads; the caller has checked the bounds. */
static inline uint16_t fc_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | ((unsigned)p[1] << 8));
}
static inline uint32_t fc_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static inline void fc_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void fc_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* True when [off, off+n) lies inside [0, len): no overflow for any input. */
static inline int fc_in_bounds(uint32_t len, uint32_t off, uint32_t n)
{
    return off <= len && n <= len - off;
}

/* Read a field of n bytes at off of a buffer of len bytes. 0: out of bounds. */
static inline int fc_rd_u8(const uint8_t *b, uint32_t len, uint32_t off, uint8_t *v)
{
    if (!fc_in_bounds(len, off, 1))
        return 0;
    *v = b[off];
    return 1;
}
static inline int fc_rd_u16(const uint8_t *b, uint32_t len, uint32_t off, uint16_t *v)
{
    if (!fc_in_bounds(len, off, 2))
        return 0;
    *v = fc_le16(b + off);
    return 1;
}
static inline int fc_rd_u32(const uint8_t *b, uint32_t len, uint32_t off, uint32_t *v)
{
    if (!fc_in_bounds(len, off, 4))
        return 0;
    *v = fc_le32(b + off);
    return 1;
}

/* Decode one header / table entry / record; 0 if it does not fit. */
static inline int fc_fcx_read_header(const uint8_t *b, uint32_t len, fc_fcx_header *h)
{
    uint32_t i;
    if (!fc_in_bounds(len, 0, FC_FCX_HDR_SIZE))
        return 0;
    h->major = fc_le16(b + FC_FCX_H_MAJOR);
    h->minor = fc_le16(b + FC_FCX_H_MINOR);
    h->flags = fc_le32(b + FC_FCX_H_FLAGS);
    h->image_size = fc_le32(b + FC_FCX_H_IMAGE_SIZE);
    h->header_size = fc_le16(b + FC_FCX_H_HEADER_SIZE);
    h->nsect = fc_le16(b + FC_FCX_H_NSECT);
    h->sect_off = fc_le32(b + FC_FCX_H_SECT_OFF);
    h->targets = fc_le16(b + FC_FCX_H_TARGETS);
    h->frames = fc_le16(b + FC_FCX_H_FRAMES);
    h->budget = fc_le32(b + FC_FCX_H_BUDGET);
    h->ctx_min = fc_le32(b + FC_FCX_H_CTX_MIN);
    h->ctx_flags = fc_le32(b + FC_FCX_H_CTX_FLAGS);
    h->stack_untouched = fc_le32(b + FC_FCX_H_STACK_UNTOUCHED);
    for (i = 0; i < 32u; i++)
        h->sha256[i] = b[FC_FCX_H_SHA256 + i];
    return 1;
}

static inline int fc_fcx_read_section(const uint8_t *b, uint32_t len, uint32_t off,
                                      fc_fcx_section *s)
{
    if (!fc_in_bounds(len, off, FC_FCX_SECT_SIZE))
        return 0;
    b += off;
    s->type = fc_le16(b + FC_FCX_S_TYPE);
    s->flags = fc_le16(b + FC_FCX_S_FLAGS);
    s->target = b[FC_FCX_S_TARGET];
    s->reserved0 = b[FC_FCX_S_RESERVED0];
    s->link = fc_le16(b + FC_FCX_S_LINK);
    s->offset = fc_le32(b + FC_FCX_S_OFFSET);
    s->size = fc_le32(b + FC_FCX_S_SIZE);
    s->info = fc_le32(b + FC_FCX_S_INFO);
    s->reserved1 = fc_le32(b + FC_FCX_S_RESERVED1);
    return 1;
}

static inline int fc_fcx_read_reloc(const uint8_t *b, uint32_t len, uint32_t off,
                                    fc_fcx_reloc *r)
{
    if (!fc_in_bounds(len, off, FC_FCX_RELOC_SIZE))
        return 0;
    b += off;
    r->offset = fc_le32(b + FC_FCX_R_OFFSET);
    r->kind = b[FC_FCX_R_KIND];
    r->sym = b[FC_FCX_R_SYM];
    r->reserved = fc_le16(b + FC_FCX_R_RESERVED);
    r->addend = (int32_t)fc_le32(b + FC_FCX_R_ADDEND);
    return 1;
}

static inline int fc_fcx_read_pcmap(const uint8_t *b, uint32_t len, uint32_t off,
                                    fc_fcx_pcmap *m)
{
    if (!fc_in_bounds(len, off, FC_FCX_PCMAP_SIZE))
        return 0;
    m->native_off = fc_le32(b + off);
    m->insn = fc_le32(b + off + 4);
    return 1;
}

/* ---- per-target facts -------------------------------------------------- */
/* ISA feature bits defined for a target (0 for bytecode / unknown). */
static inline uint32_t fc_fcx_isa_known(unsigned target)
{
    switch (target) {
    case FC_TARGET_THUMBV7M: return FC_ISA_T2_KNOWN;
    case FC_TARGET_RV32IMAC: return FC_ISA_RV_KNOWN;
    case FC_TARGET_XTENSA: case FC_TARGET_ESP32: return FC_ISA_XT_KNOWN;
    default: return 0;
    }
}

/* Bytes a relocation of `kind` patches in a code section for `target`, or 0
 * when the kind is not defined for that target. */
static inline uint32_t fc_fcx_reloc_width(unsigned target, unsigned kind)
{
    if (target == FC_TARGET_EBPF || target >= FC_TARGET__COUNT)
        return 0;
    if (kind == FC_RELOC_ABS32)
        return 4;
    if (target == FC_TARGET_THUMBV7M) {
        if (kind == FC_RELOC_THM_CALL)
            return 4;
        if (kind == FC_RELOC_THM_MOVW_MOVT)
            return 8;
    }
    if (target == FC_TARGET_RV32IMAC &&
        (kind == FC_RELOC_RV_CALL || kind == FC_RELOC_RV_HI20_LO12))
        return 8;
    return 0;
}

/* Required alignment of a relocation's offset inside its code section (the
 * code section itself is placed 8-aligned): data words 4, Thumb-2 and
 * compressed RISC-V instructions 2. */
static inline uint32_t fc_fcx_reloc_align(unsigned kind)
{
    return kind == FC_RELOC_ABS32 ? 4u : 2u;
}

/* Alignment of a native entry offset (Thumb and RVC: 2, Xtensa: 1). */
static inline uint32_t fc_fcx_code_align(unsigned target)
{
    return target == FC_TARGET_XTENSA || target == FC_TARGET_ESP32 ? 1u : 2u;
}

static inline const char *fc_fcx_target_name(unsigned target)
{
    switch (target) {
    case FC_TARGET_EBPF: return "ebpf";
    case FC_TARGET_THUMBV7M: return "thumbv7m";
    case FC_TARGET_RV32IMAC: return "rv32imac";
    case FC_TARGET_XTENSA: return "xtensa";
    case FC_TARGET_ESP32: return "esp32";
    default: return "?";
    }
}

#endif /* FC_CONTAINER_H */
