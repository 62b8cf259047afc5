/* board_cfg.h - the xtensa-sim board (Xtensa lx106, QEMU -M sim -cpu lx106)
 * for the shared firmware (../board_main.c). The firmware links the full
 * runtime (build/cross/lx106/libfcrt.a): the loader places a container's
 * lx106 code (target xtensa, ISA MUL32 only: no DIV32, no windowed ABI) in
 * the slot and fc_run enters it with CALLX0 (call0 ABI, the firmware's own);
 * code for other cores, or Xtensa code that needs DIV32 or the windowed ABI
 * (an ESP32's), falls back to the bytecode in the interpreter. */
#ifndef BOARD_CFG_H
#define BOARD_CFG_H
#define BOARD_NAME        "xtensa-sim"
#define BOARD_TARGET      FC_TARGET_XTENSA
#define BOARD_ISA         FC_ISA_XT_MUL32  /* lx106: MULL (no MUL32 high), no DIV32, call0 */
#define BOARD_CODE_NAME   "lx106"
#define BOARD_PAGE_SIZE   4096u      /* flash page of the simulated slot     */
#define BOARD_RAM_BYTES   16384u     /* instance RAM (.data/.bss) per container */
#define BOARD_FRAMES      FC_MAX_CALL_DEPTH
#define BOARD_CTX_MAX     4096u
#define BOARD_KV_ENTRIES  16u
#define BOARD_EXTRA_BYTES 8192u   /* pool for extra regions and the CoAP packet */
#define BOARD_SAUL_MAX    8u
#endif
