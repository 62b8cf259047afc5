/* board_cfg.h - the sifive_e board (RV32IMAC, QEMU -M sifive_e) for the
 * shared firmware (../board_main.c). QEMU's sifive_e has 16 KiB of RAM
 * (DTIM at 0x80000000) and read-only XIP flash: the firmware executes from
 * flash, and the container's slot (code executes in place) lives in DTIM,
 * driven through the simulated flash so the loader's NOR rules still hold.
 * Everything is sized to fit. */
#ifndef BOARD_CFG_H
#define BOARD_CFG_H
#define BOARD_NAME        "sifive_e"
#define BOARD_TARGET      FC_TARGET_RV32IMAC
#define BOARD_ISA         (FC_ISA_RV_M | FC_ISA_RV_A | FC_ISA_RV_C)
#define BOARD_CODE_NAME   "RV32IMAC"
#define BOARD_PAGE_SIZE   256u
#define BOARD_RAM_BYTES   1536u    /* .data/.bss, then fc_run's run template
                                    (936 B for native code: the VM and env
                                    that used to sit on the machine stack) */
#define BOARD_FRAMES      2u
#define BOARD_CTX_MAX     256u
#define BOARD_KV_ENTRIES  4u
#define BOARD_EXTRA_BYTES 1024u   /* pool for extra regions and the CoAP packet */
#define BOARD_SAUL_MAX    8u
#endif
