/*
 * fc_native.h - the contract between native code made by a backend, the
 * container (.fcx), and the on-device runtime/loader.
 *
 * Freestanding C99. The structure layouts here are ABI: generated code reads
 * and writes these fields at fixed offsets, so every layout change bumps the
 * container format version (docs/fcx.md).
 */
#ifndef FC_NATIVE_H
#define FC_NATIVE_H

#include <stdint.h>

/* ---- targets ----------------------------------------------------------- */
enum fc_target {
    FC_TARGET_EBPF = 0,      /* bytecode only (interpreter) */
    FC_TARGET_THUMBV7M = 1,  /* Cortex-M3/M4, Thumb-2 */
    FC_TARGET_RV32IMAC = 2,  /* RV32IMAC, ILP32 */
    FC_TARGET_XTENSA = 3,    /* ESP32 / lx106 (later) */
    FC_TARGET__COUNT
};

/* ---- symbols native code may refer to (resolved by the loader) --------- */
enum fc_sym {
    FC_SYM_RODATA = 0,    /* address of the container's .rodata copy  */
    FC_SYM_DATA = 1,      /* address of the instance's .data          */
    FC_SYM_BSS = 2,       /* address of the instance's .bss           */
    FC_SYM_HELPER = 3,    /* the runtime's helper-call trampoline      */
    FC_SYM_UDIV64 = 4,    /* runtime 64-bit division/modulo routines   */
    FC_SYM_SDIV64 = 5,
    FC_SYM_UMOD64 = 6,
    FC_SYM_SMOD64 = 7,
    FC_SYM_FAULT = 8,     /* out-of-line error exit, if a backend uses one */
    FC_SYM_MEMCHECK = 9,  /* out-of-line bounds check slow path, if used */
    FC_SYM__COUNT
};

/* ---- relocation kinds -------------------------------------------------- */
/* Each is applied at a byte offset inside the target's code section:
 *   value = address(symbol) + addend */
enum fc_reloc_kind {
    FC_RELOC_ABS32 = 1,          /* any target: 32-bit little-endian word   */
    FC_RELOC_THM_CALL = 2,       /* Thumb-2 BL (T1 encoding, +-16 MiB)       */
    FC_RELOC_THM_MOVW_MOVT = 3,  /* Thumb-2 MOVW at offset, MOVT at +4      */
    FC_RELOC_RV_CALL = 16,       /* RISC-V AUIPC at offset, JALR at +4       */
    FC_RELOC_RV_HI20_LO12 = 17,  /* RISC-V LUI at offset, ADDI at +4         */
    FC_RELOC__MAX = 31
};

#endif /* FC_NATIVE_H */
