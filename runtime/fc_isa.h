/*
 * fc_isa.h - the eBPF instruction set (RFC 9669, including the v4 additions),
 * described once and shared by the decoder, verifier, interpreter,
 * disassembler, assembler and every backend.
 *
 * Freestanding C99: no libc beyond <stdint.h>/<stddef.h>.
 *
 * Instruction layout (8 bytes, little-endian), RFC 9669 section 3:
 *
 *   byte  0        1         2..3        4..7
 *       +--------+----+----+-----------+-----------------+
 *       | opcode |src |dst |  offset   |    immediate    |
 *       +--------+----+----+-----------+-----------------+
 *                 7..4 3..0   int16       int32
 *
 *   opcode = class (bits 2..0) | source (bit 3) | operation (bits 7..4)
 *            for ALU, ALU64, JMP, JMP32;
 *   opcode = class (bits 2..0) | size (bits 4..3) | mode (bits 7..5)
 *            for LD, LDX, ST, STX.
 *
 * `lddw` (opcode 0x18) is the only 16-byte instruction: the second slot has
 * opcode 0, registers 0, offset 0, and carries the upper 32 bits in imm.
 */
#ifndef FC_ISA_H
#define FC_ISA_H

#include <stdint.h>
#include <stddef.h>

typedef struct fc_insn {
    uint8_t op;     /* opcode byte */
    uint8_t regs;   /* dst in bits 3..0, src in bits 7..4 */
    int16_t off;
    int32_t imm;
} fc_insn;

#define FC_INSN_SIZE 8u
#define FC_NREGS 11u      /* r0..r10 */
#define FC_REG_FP 10u     /* read-only frame pointer */
#define FC_STACK_SIZE 512u /* bytes per frame */

static inline unsigned fc_dst(fc_insn i) { return i.regs & 0x0fu; }
static inline unsigned fc_src(fc_insn i) { return (unsigned)i.regs >> 4; }

/* Decode one instruction from 8 little-endian bytes (alignment-free). */
static inline fc_insn fc_insn_decode(const uint8_t *p)
{
    fc_insn i;
    i.op = p[0];
    i.regs = p[1];
    i.off = (int16_t)(uint16_t)((uint16_t)p[2] | ((uint16_t)p[3] << 8));
    i.imm = (int32_t)((uint32_t)p[4] | ((uint32_t)p[5] << 8) |
                      ((uint32_t)p[6] << 16) | ((uint32_t)p[7] << 24));
    return i;
}

static inline void fc_insn_encode(fc_insn i, uint8_t *p)
{
    uint16_t off = (uint16_t)i.off;
    uint32_t imm = (uint32_t)i.imm;
    p[0] = i.op;
    p[1] = i.regs;
    p[2] = (uint8_t)off;
    p[3] = (uint8_t)(off >> 8);
    p[4] = (uint8_t)imm;
    p[5] = (uint8_t)(imm >> 8);
    p[6] = (uint8_t)(imm >> 16);
    p[7] = (uint8_t)(imm >> 24);
}

static inline fc_insn fc_insn_make(uint8_t op, unsigned dst, unsigned src,
                                   int16_t off, int32_t imm)
{
    fc_insn i;
    i.op = op;
    i.regs = (uint8_t)((dst & 0xfu) | ((src & 0xfu) << 4));
    i.off = off;
    i.imm = imm;
    return i;
}

/* ---- opcode fields (RFC 9669 section 3, 4, 5) -------------------------- */

/* classes */
#define FC_CLS_LD    0x00u
#define FC_CLS_LDX   0x01u
#define FC_CLS_ST    0x02u
#define FC_CLS_STX   0x03u
#define FC_CLS_ALU   0x04u
#define FC_CLS_JMP   0x05u
#define FC_CLS_JMP32 0x06u
#define FC_CLS_ALU64 0x07u
#define FC_CLASS(op) ((op) & 0x07u)

/* source bit for ALU/JMP */
#define FC_SRC_K 0x00u
#define FC_SRC_X 0x08u

/* ALU operations (op & 0xf0) */
#define FC_ALU_ADD  0x00u
#define FC_ALU_SUB  0x10u
#define FC_ALU_MUL  0x20u
#define FC_ALU_DIV  0x30u  /* off=1: sdiv */
#define FC_ALU_OR   0x40u
#define FC_ALU_AND  0x50u
#define FC_ALU_LSH  0x60u
#define FC_ALU_RSH  0x70u
#define FC_ALU_NEG  0x80u
#define FC_ALU_MOD  0x90u  /* off=1: smod */
#define FC_ALU_XOR  0xa0u
#define FC_ALU_MOV  0xb0u  /* off=8/16/32: movsx */
#define FC_ALU_ARSH 0xc0u
#define FC_ALU_END  0xd0u  /* ALU: le (src bit 0) / be (src bit 1); ALU64: bswap */
#define FC_OPCODE_OP(op) ((op) & 0xf0u)

/* JMP operations (op & 0xf0) */
#define FC_JMP_JA   0x00u  /* JMP32 class: gotol, 32-bit offset in imm */
#define FC_JMP_JEQ  0x10u
#define FC_JMP_JGT  0x20u
#define FC_JMP_JGE  0x30u
#define FC_JMP_JSET 0x40u
#define FC_JMP_JNE  0x50u
#define FC_JMP_JSGT 0x60u
#define FC_JMP_JSGE 0x70u
#define FC_JMP_CALL 0x80u
#define FC_JMP_EXIT 0x90u
#define FC_JMP_JLT  0xa0u
#define FC_JMP_JLE  0xb0u
#define FC_JMP_JSLT 0xc0u
#define FC_JMP_JSLE 0xd0u

/* memory sizes (op & 0x18) */
#define FC_SZ_W  0x00u
#define FC_SZ_H  0x08u
#define FC_SZ_B  0x10u
#define FC_SZ_DW 0x18u
#define FC_SIZE(op) ((op) & 0x18u)
/* memory modes (op & 0xe0) */
#define FC_MODE_IMM    0x00u
#define FC_MODE_ABS    0x20u  /* legacy packet access: refused */
#define FC_MODE_IND    0x40u  /* legacy packet access: refused */
#define FC_MODE_MEM    0x60u
#define FC_MODE_MEMSX  0x80u
#define FC_MODE_ATOMIC 0xc0u
#define FC_MODE(op) ((op) & 0xe0u)

/* atomic operations (imm of an ATOMIC instruction) */
#define FC_ATOMIC_ADD     0x00
#define FC_ATOMIC_OR      0x40
#define FC_ATOMIC_AND     0x50
#define FC_ATOMIC_XOR     0xa0
#define FC_ATOMIC_FETCH   0x01
#define FC_ATOMIC_XCHG    (0xe0 | FC_ATOMIC_FETCH)
#define FC_ATOMIC_CMPXCHG (0xf0 | FC_ATOMIC_FETCH)

/* src field of `call` */
#define FC_CALL_HELPER 0u  /* imm = helper number */
#define FC_CALL_LOCAL  1u  /* imm = relative instruction offset */

/* src field of `lddw` (the pseudo forms femtoc gives a meaning to) */
#define FC_LDDW_IMM     0u  /* plain 64-bit immediate */
/* Address of a container section: imm of the first slot = FC_SECT_*,
 * imm of the second slot = byte offset into that section. Produced by the
 * ELF reader from R_BPF_64_64 relocations; resolved by each engine. */
#define FC_LDDW_SECTION 2u

/* Data sections a program may address (FC_LDDW_SECTION) */
#define FC_SECT_RODATA 1
#define FC_SECT_DATA   2
#define FC_SECT_BSS    3

/* Byte size of a memory access from its size field. */
static inline unsigned fc_size_bytes(uint8_t op)
{
    static const uint8_t b[4] = {4, 2, 1, 8};
    return b[(op >> 3) & 3u];
}

/*
 * ---- The opcode table ---------------------------------------------------
 *
 * X(ID, opcode, disc, disc_value, format, mnemonic)
 *
 * One row per distinct operation. Most operations are identified by the
 * opcode byte alone (disc = FC_DISC_NONE). Some share an opcode and are told
 * apart by the offset field (sdiv/smod: off=1; movsx: off=8/16/32) or by the
 * immediate (END: 16/32/64; atomics: the atomic operation). The format tells
 * which fields are operands and which must be zero (reserved).
 *
 * Mnemonics follow the bpf_conformance assembly syntax.
 */
enum fc_disc { FC_DISC_NONE, FC_DISC_OFF, FC_DISC_IMM };

enum fc_fmt {
    FC_FMT_ALU_K,    /* op dst, imm           (src=0, off=0 unless disc) */
    FC_FMT_ALU_X,    /* op dst, src           (imm=0, off=0 unless disc) */
    FC_FMT_NEG,      /* op dst                (src=0, off=0, imm=0)      */
    FC_FMT_END,      /* op dst                (imm = width)              */
    FC_FMT_LDDW,     /* lddw dst, imm64       (two slots)                */
    FC_FMT_LDX,      /* op dst, [src+off]     (imm=0)                    */
    FC_FMT_ST,       /* op [dst+off], imm     (src=0)                    */
    FC_FMT_STX,      /* op [dst+off], src     (imm=0)                    */
    FC_FMT_ATOMIC,   /* lock op [dst+off], src (imm = atomic op)         */
    FC_FMT_JA,       /* ja off                (dst=src=0, imm=0)         */
    FC_FMT_JA32,     /* ja32 imm              (dst=src=0, off=0)         */
    FC_FMT_JCC_K,    /* op dst, imm, off      (src=0)                    */
    FC_FMT_JCC_X,    /* op dst, src, off      (imm=0)                    */
    FC_FMT_CALL,     /* call imm / call local (dst=0, off=0, src 0 or 1) */
    FC_FMT_CALLX,    /* call %rN  (uBPF extension: helper number in rN)  */
    FC_FMT_EXIT      /* exit                  (all fields 0)             */
};

#define FC_ALU_ROWS(X, CLS, SFX)                                              \
    X(ADD##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_ADD,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "add" #SFX)   \
    X(ADD##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_ADD,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "add" #SFX)   \
    X(SUB##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_SUB,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "sub" #SFX)   \
    X(SUB##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_SUB,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "sub" #SFX)   \
    X(MUL##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_MUL,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "mul" #SFX)   \
    X(MUL##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_MUL,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "mul" #SFX)   \
    X(DIV##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_DIV,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "div" #SFX)   \
    X(DIV##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_DIV,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "div" #SFX)   \
    X(SDIV##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_ALU_DIV,  FC_DISC_OFF, 1, FC_FMT_ALU_K, "sdiv" #SFX)  \
    X(SDIV##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_ALU_DIV,  FC_DISC_OFF, 1, FC_FMT_ALU_X, "sdiv" #SFX)  \
    X(OR##SFX##_K,   FC_CLS_##CLS | FC_SRC_K | FC_ALU_OR,   FC_DISC_OFF, 0, FC_FMT_ALU_K, "or" #SFX)    \
    X(OR##SFX##_X,   FC_CLS_##CLS | FC_SRC_X | FC_ALU_OR,   FC_DISC_OFF, 0, FC_FMT_ALU_X, "or" #SFX)    \
    X(AND##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_AND,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "and" #SFX)   \
    X(AND##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_AND,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "and" #SFX)   \
    X(LSH##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_LSH,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "lsh" #SFX)   \
    X(LSH##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_LSH,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "lsh" #SFX)   \
    X(RSH##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_RSH,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "rsh" #SFX)   \
    X(RSH##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_RSH,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "rsh" #SFX)   \
    X(NEG##SFX,      FC_CLS_##CLS | FC_SRC_K | FC_ALU_NEG,  FC_DISC_NONE, 0, FC_FMT_NEG,  "neg" #SFX)   \
    X(MOD##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_MOD,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "mod" #SFX)   \
    X(MOD##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_MOD,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "mod" #SFX)   \
    X(SMOD##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_ALU_MOD,  FC_DISC_OFF, 1, FC_FMT_ALU_K, "smod" #SFX)  \
    X(SMOD##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_ALU_MOD,  FC_DISC_OFF, 1, FC_FMT_ALU_X, "smod" #SFX)  \
    X(XOR##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_XOR,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "xor" #SFX)   \
    X(XOR##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_XOR,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "xor" #SFX)   \
    X(MOV##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_ALU_MOV,  FC_DISC_OFF, 0, FC_FMT_ALU_K, "mov" #SFX)   \
    X(MOV##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_ALU_MOV,  FC_DISC_OFF, 0, FC_FMT_ALU_X, "mov" #SFX)   \
    X(ARSH##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_ALU_ARSH, FC_DISC_OFF, 0, FC_FMT_ALU_K, "arsh" #SFX)  \
    X(ARSH##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_ALU_ARSH, FC_DISC_OFF, 0, FC_FMT_ALU_X, "arsh" #SFX)

#define FC_JCC_ROWS(X, CLS, SFX)                                              \
    X(JEQ##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_JMP_JEQ,  FC_DISC_NONE, 0, FC_FMT_JCC_K, "jeq" #SFX)  \
    X(JEQ##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_JMP_JEQ,  FC_DISC_NONE, 0, FC_FMT_JCC_X, "jeq" #SFX)  \
    X(JGT##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_JMP_JGT,  FC_DISC_NONE, 0, FC_FMT_JCC_K, "jgt" #SFX)  \
    X(JGT##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_JMP_JGT,  FC_DISC_NONE, 0, FC_FMT_JCC_X, "jgt" #SFX)  \
    X(JGE##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_JMP_JGE,  FC_DISC_NONE, 0, FC_FMT_JCC_K, "jge" #SFX)  \
    X(JGE##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_JMP_JGE,  FC_DISC_NONE, 0, FC_FMT_JCC_X, "jge" #SFX)  \
    X(JSET##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_JMP_JSET, FC_DISC_NONE, 0, FC_FMT_JCC_K, "jset" #SFX) \
    X(JSET##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_JMP_JSET, FC_DISC_NONE, 0, FC_FMT_JCC_X, "jset" #SFX) \
    X(JNE##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_JMP_JNE,  FC_DISC_NONE, 0, FC_FMT_JCC_K, "jne" #SFX)  \
    X(JNE##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_JMP_JNE,  FC_DISC_NONE, 0, FC_FMT_JCC_X, "jne" #SFX)  \
    X(JSGT##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_JMP_JSGT, FC_DISC_NONE, 0, FC_FMT_JCC_K, "jsgt" #SFX) \
    X(JSGT##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_JMP_JSGT, FC_DISC_NONE, 0, FC_FMT_JCC_X, "jsgt" #SFX) \
    X(JSGE##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_JMP_JSGE, FC_DISC_NONE, 0, FC_FMT_JCC_K, "jsge" #SFX) \
    X(JSGE##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_JMP_JSGE, FC_DISC_NONE, 0, FC_FMT_JCC_X, "jsge" #SFX) \
    X(JLT##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_JMP_JLT,  FC_DISC_NONE, 0, FC_FMT_JCC_K, "jlt" #SFX)  \
    X(JLT##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_JMP_JLT,  FC_DISC_NONE, 0, FC_FMT_JCC_X, "jlt" #SFX)  \
    X(JLE##SFX##_K,  FC_CLS_##CLS | FC_SRC_K | FC_JMP_JLE,  FC_DISC_NONE, 0, FC_FMT_JCC_K, "jle" #SFX)  \
    X(JLE##SFX##_X,  FC_CLS_##CLS | FC_SRC_X | FC_JMP_JLE,  FC_DISC_NONE, 0, FC_FMT_JCC_X, "jle" #SFX)  \
    X(JSLT##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_JMP_JSLT, FC_DISC_NONE, 0, FC_FMT_JCC_K, "jslt" #SFX) \
    X(JSLT##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_JMP_JSLT, FC_DISC_NONE, 0, FC_FMT_JCC_X, "jslt" #SFX) \
    X(JSLE##SFX##_K, FC_CLS_##CLS | FC_SRC_K | FC_JMP_JSLE, FC_DISC_NONE, 0, FC_FMT_JCC_K, "jsle" #SFX) \
    X(JSLE##SFX##_X, FC_CLS_##CLS | FC_SRC_X | FC_JMP_JSLE, FC_DISC_NONE, 0, FC_FMT_JCC_X, "jsle" #SFX)

#define FC_MEM_ROWS(X, SZ, SFX)                                                   \
    X(LDX##SFX,  FC_CLS_LDX | FC_SZ_##SZ | FC_MODE_MEM, FC_DISC_NONE, 0, FC_FMT_LDX, "ldx" #SFX) \
    X(ST##SFX,   FC_CLS_ST  | FC_SZ_##SZ | FC_MODE_MEM, FC_DISC_NONE, 0, FC_FMT_ST,  "st" #SFX)  \
    X(STX##SFX,  FC_CLS_STX | FC_SZ_##SZ | FC_MODE_MEM, FC_DISC_NONE, 0, FC_FMT_STX, "stx" #SFX)

#define FC_ATOMIC_ROWS(X, SZ, SFX)                                                                              \
    X(LOCK_ADD##SFX,   FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_ADD, FC_FMT_ATOMIC, "add" #SFX) \
    X(LOCK_OR##SFX,    FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_OR,  FC_FMT_ATOMIC, "or" #SFX)  \
    X(LOCK_AND##SFX,   FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_AND, FC_FMT_ATOMIC, "and" #SFX) \
    X(LOCK_XOR##SFX,   FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_XOR, FC_FMT_ATOMIC, "xor" #SFX) \
    X(LOCK_FADD##SFX,  FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_ADD | FC_ATOMIC_FETCH, FC_FMT_ATOMIC, "fetch add" #SFX) \
    X(LOCK_FOR##SFX,   FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_OR  | FC_ATOMIC_FETCH, FC_FMT_ATOMIC, "fetch or" #SFX)  \
    X(LOCK_FAND##SFX,  FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_AND | FC_ATOMIC_FETCH, FC_FMT_ATOMIC, "fetch and" #SFX) \
    X(LOCK_FXOR##SFX,  FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_XOR | FC_ATOMIC_FETCH, FC_FMT_ATOMIC, "fetch xor" #SFX) \
    X(LOCK_XCHG##SFX,  FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_XCHG,    FC_FMT_ATOMIC, "xchg" #SFX)    \
    X(LOCK_CMPXCHG##SFX, FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, FC_DISC_IMM, FC_ATOMIC_CMPXCHG, FC_FMT_ATOMIC, "cmpxchg" #SFX)

/* The whole instruction set. Atomic mnemonics are written after "lock ". */
#define FC_OPCODES(X)                                                          \
    FC_ALU_ROWS(X, ALU, 32)                                                    \
    FC_ALU_ROWS(X, ALU64, )                                                    \
    X(MOVSX8_32,   FC_CLS_ALU   | FC_SRC_X | FC_ALU_MOV, FC_DISC_OFF, 8,  FC_FMT_ALU_X, "movsx832")  \
    X(MOVSX16_32,  FC_CLS_ALU   | FC_SRC_X | FC_ALU_MOV, FC_DISC_OFF, 16, FC_FMT_ALU_X, "movsx1632") \
    X(MOVSX8_64,   FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, FC_DISC_OFF, 8,  FC_FMT_ALU_X, "movsx864")  \
    X(MOVSX16_64,  FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, FC_DISC_OFF, 16, FC_FMT_ALU_X, "movsx1664") \
    X(MOVSX32_64,  FC_CLS_ALU64 | FC_SRC_X | FC_ALU_MOV, FC_DISC_OFF, 32, FC_FMT_ALU_X, "movsx3264") \
    X(LE16,    FC_CLS_ALU   | FC_SRC_K | FC_ALU_END, FC_DISC_IMM, 16, FC_FMT_END, "le16")    \
    X(LE32,    FC_CLS_ALU   | FC_SRC_K | FC_ALU_END, FC_DISC_IMM, 32, FC_FMT_END, "le32")    \
    X(LE64,    FC_CLS_ALU   | FC_SRC_K | FC_ALU_END, FC_DISC_IMM, 64, FC_FMT_END, "le64")    \
    X(BE16,    FC_CLS_ALU   | FC_SRC_X | FC_ALU_END, FC_DISC_IMM, 16, FC_FMT_END, "be16")    \
    X(BE32,    FC_CLS_ALU   | FC_SRC_X | FC_ALU_END, FC_DISC_IMM, 32, FC_FMT_END, "be32")    \
    X(BE64,    FC_CLS_ALU   | FC_SRC_X | FC_ALU_END, FC_DISC_IMM, 64, FC_FMT_END, "be64")    \
    X(BSWAP16, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_END, FC_DISC_IMM, 16, FC_FMT_END, "bswap16") \
    X(BSWAP32, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_END, FC_DISC_IMM, 32, FC_FMT_END, "bswap32") \
    X(BSWAP64, FC_CLS_ALU64 | FC_SRC_K | FC_ALU_END, FC_DISC_IMM, 64, FC_FMT_END, "bswap64") \
    X(LDDW,    FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, FC_DISC_NONE, 0, FC_FMT_LDDW, "lddw")    \
    FC_MEM_ROWS(X, B, b)                                                       \
    FC_MEM_ROWS(X, H, h)                                                       \
    FC_MEM_ROWS(X, W, w)                                                       \
    FC_MEM_ROWS(X, DW, dw)                                                     \
    X(LDXSB, FC_CLS_LDX | FC_SZ_B | FC_MODE_MEMSX, FC_DISC_NONE, 0, FC_FMT_LDX, "ldxsb") \
    X(LDXSH, FC_CLS_LDX | FC_SZ_H | FC_MODE_MEMSX, FC_DISC_NONE, 0, FC_FMT_LDX, "ldxsh") \
    X(LDXSW, FC_CLS_LDX | FC_SZ_W | FC_MODE_MEMSX, FC_DISC_NONE, 0, FC_FMT_LDX, "ldxsw") \
    FC_ATOMIC_ROWS(X, W, 32)                                                   \
    FC_ATOMIC_ROWS(X, DW, )                                                    \
    X(JA,    FC_CLS_JMP   | FC_JMP_JA, FC_DISC_NONE, 0, FC_FMT_JA,   "ja")     \
    X(JA32,  FC_CLS_JMP32 | FC_JMP_JA, FC_DISC_NONE, 0, FC_FMT_JA32, "ja32")   \
    FC_JCC_ROWS(X, JMP, )                                                      \
    FC_JCC_ROWS(X, JMP32, 32)                                                  \
    X(CALL,  FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL, FC_DISC_NONE, 0, FC_FMT_CALL,  "call") \
    X(CALLX, FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL, FC_DISC_NONE, 0, FC_FMT_CALLX, "call") \
    X(EXIT,  FC_CLS_JMP | FC_JMP_EXIT, FC_DISC_NONE, 0, FC_FMT_EXIT, "exit")

/* One enumerator per operation: FC_OP_ADD32_K, FC_OP_LDXDW, FC_OP_EXIT, ... */
enum fc_op_id {
    FC_OP_INVALID = 0,
#define FC_X_ENUM(id, opc, disc, dv, fmt, mn) FC_OP_##id,
    FC_OPCODES(FC_X_ENUM)
#undef FC_X_ENUM
    FC_OP_COUNT
};

/*
 * The mnemonics are for the host tools (assembler, disassembler, listings,
 * tests); the device needs only the opcode, discriminator and format of each
 * row (fc_insn_check at install). A freestanding build (the device runtime,
 * __STDC_HOSTED__ == 0) leaves the names out, which halves the table and
 * drops its strings from flash; -DFC_ISA_NAMES keeps them anyway.
 */
#if defined(FC_ISA_NAMES) || __STDC_HOSTED__
#define FC_ISA_HAVE_NAMES 1
#endif

#ifdef FC_ISA_HAVE_NAMES
typedef struct fc_opinfo {
    uint8_t opcode;
    uint8_t disc;       /* enum fc_disc */
    uint8_t fmt;        /* enum fc_fmt */
    int16_t disc_value;
    const char *mnemonic;
} fc_opinfo;
#else
/* The device's rows: three bytes each (every discriminator value is in
 * 0..255, checked at compile time in fc_isa.c). */
typedef struct fc_opinfo {
    uint8_t opcode;
    uint8_t disc : 2;   /* enum fc_disc */
    uint8_t fmt : 6;    /* enum fc_fmt */
    uint8_t disc_value;
} fc_opinfo;
#endif

/* Defined in fc_isa.c: indexed by enum fc_op_id (row 0 = invalid). */
extern const fc_opinfo fc_opinfo_table[FC_OP_COUNT];

/*
 * Identify an instruction: returns its enum fc_op_id, or FC_OP_INVALID when
 * the opcode is unknown or a discriminating field has no defined meaning.
 * Reserved-field checks are separate (fc_insn_check).
 */
unsigned fc_insn_op(fc_insn i);

/* Why an instruction is malformed (fc_insn_check result). */
enum fc_insn_fault {
    FC_INSN_OK = 0,
    FC_INSN_UNKNOWN_OPCODE,   /* opcode not in the table                 */
    FC_INSN_BAD_DISC,         /* known opcode, undefined off/imm variant  */
    FC_INSN_BAD_DST,          /* dst > 10, or nonzero where reserved      */
    FC_INSN_BAD_SRC,          /* src > 10, or nonzero where reserved      */
    FC_INSN_RESERVED_OFF,     /* off must be 0                            */
    FC_INSN_RESERVED_IMM,     /* imm must be 0                            */
    FC_INSN_LEGACY_PACKET,    /* LD_ABS / LD_IND: refused                 */
    FC_INSN_BAD_LDDW,         /* lddw without a valid second slot         */
    FC_INSN_BAD_LDDW_SRC,     /* lddw pseudo source not supported         */
    FC_INSN_WRITES_FP         /* writes r10 (ALU, lddw, ldx into r10, or an
                                 atomic fetch into r10): r10 is read-only  */
};

/*
 * Check one instruction's encoding (opcode known, reserved fields zero,
 * registers in range, r10 never written). `next` is the following slot for
 * lddw (NULL if none). The device's loader, the verifier, the backends and the
 * interpreter all apply this one rule, so every engine refuses the same
 * instructions.
 * Writes the op id to *op_out when non-NULL. Pure; no side effects.
 */
enum fc_insn_fault fc_insn_check(const fc_insn *insn, const fc_insn *next,
                                 unsigned *op_out);

/* A short English description of a fault ("reserved field 'imm' is not zero").
 * Without FC_ISA_HAVE_NAMES (the device) only "ok" or "malformed
 * instruction": the device's loader reports the fault code itself. */
const char *fc_insn_fault_str(enum fc_insn_fault f);

/* Number of 8-byte slots an instruction occupies (2 for lddw, else 1). */
static inline unsigned fc_insn_slots(fc_insn i)
{
    return i.op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM) ? 2u : 1u;
}

#endif /* FC_ISA_H */
