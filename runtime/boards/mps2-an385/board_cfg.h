/* board_cfg.h - what the shared firmware (../board_main.c) needs to know
 * about the mps2-an385 board (Cortex-M3, QEMU -M mps2-an385). */
#ifndef BOARD_CFG_H
#define BOARD_CFG_H
#define BOARD_NAME        "mps2-an385"
#define BOARD_TARGET      FC_TARGET_THUMBV7M
#define BOARD_ISA         FC_ISA_T2_HWDIV
#define BOARD_CODE_NAME   "Thumb-2"
#define BOARD_PAGE_SIZE   4096u      /* flash page of the simulated slot     */
#define BOARD_RAM_BYTES   16384u     /* instance RAM (.data/.bss) per container */
#define BOARD_FRAMES      FC_MAX_CALL_DEPTH
#define BOARD_CTX_MAX     4096u
#define BOARD_KV_ENTRIES  16u
#define BOARD_EXTRA_BYTES 8192u   /* pool for extra regions and the CoAP packet */
#define BOARD_SAUL_MAX    8u
#endif
