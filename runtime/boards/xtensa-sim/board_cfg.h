/* board_cfg.h - the xtensa-sim board (Xtensa lx106, QEMU -M sim -cpu lx106)
 * for the shared firmware (../board_main.c). There is no lx106 code
 * generator yet: the firmware is built on the interpreter-only runtime
 * (-DFC_NO_NATIVE, build/cross-nonative/lx106/libfcrt.a), so every container
 * installs as bytecode, including one carrying native code for another core.
 * The target is still this core's, so a later lx106 backend only changes
 * the runtime variant the board links and BOARD_NO_NATIVE. */
#ifndef BOARD_CFG_H
#define BOARD_CFG_H
#define BOARD_NAME        "xtensa-sim"
#define BOARD_TARGET      FC_TARGET_XTENSA
#define BOARD_ISA         0u         /* lx106: no MUL32 high, no DIV32, call0 */
#define BOARD_CODE_NAME   "lx106"
#define BOARD_NO_NATIVE   1          /* runtime built with -DFC_NO_NATIVE */
#define BOARD_PAGE_SIZE   4096u      /* flash page of the simulated slot     */
#define BOARD_RAM_BYTES   16384u     /* instance RAM (.data/.bss) per container */
#define BOARD_FRAMES      FC_MAX_CALL_DEPTH
#define BOARD_CTX_MAX     4096u
#define BOARD_KV_ENTRIES  16u
#define BOARD_EXTRA_BYTES 8192u   /* pool for extra regions and the CoAP packet */
#define BOARD_SAUL_MAX    8u
#endif
