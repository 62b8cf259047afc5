/*
 * bench_io.h - the words the host (femto-bench) and the benchmark firmware
 * (bench/dev/bench_dev.c, on the emulated core) exchange through the
 * firmware's `bench_io` array. Every slot is a little-endian uint32_t, so
 * the layout is the same on the host and on every 32-bit core.
 */
#ifndef BENCH_IO_H
#define BENCH_IO_H

enum bench_io_slot {
    /* in: set by the host before bench_prepare_install / bench_prepare_run */
    BIO_FCX_LEN = 0,      /* container bytes in bench_fcx                  */
    BIO_INSTALL_FLAGS,    /* FC_INSTALL_*                                  */
    BIO_CTX_LEN,          /* context bytes in bench_ctx                    */
    BIO_RUN_FLAGS,        /* FC_RUN_*                                      */
    /* out: bench_after_install */
    BIO_LRES_CODE,        /* fc_lresult of the install                     */
    BIO_LRES_SECT,
    BIO_LRES_ITEM,
    BIO_ENGINE,           /* fc_install_info                               */
    BIO_SLOT_BYTES,
    BIO_RAM_BYTES,
    BIO_STACK_BYTES,
    BIO_NRELOCS,
    BIO_RAM_DATA,         /* fc_app_ram                                    */
    BIO_RAM_BSS,
    BIO_RAM_RODATA,
    BIO_RAM_STACK,
    BIO_RAM_ENV,
    BIO_RAM_APP,
    BIO_RAM_TOTAL,
    /* out: bench_after_run */
    BIO_RUN_ENGINE,       /* fc_run_result.engine                          */
    BIO_RUN_ERR_PC,
    BIO_R0_LO,
    BIO_R0_HI,
    /* the firmware's buffers (bench_init) */
    BIO_FCX_ADDR,
    BIO_FCX_CAP,
    BIO_CTX_ADDR,
    BIO_CTX_CAP,
    BIO_CFG_ADDR,         /* &cfg, &app, &info, &lres: fc_install's arguments */
    BIO_APP_ADDR,
    BIO_INFO_ADDR,
    BIO_LRES_ADDR,
    BIO_ARGS_ADDR,        /* &args, &r0, &out: fc_run's arguments           */
    BIO_R0_ADDR,
    BIO_OUT_ADDR,
    BIO_FLASH_ADDR,       /* the simulated flash (the slot): address, bytes */
    BIO_FLASH_SIZE,
    BIO_SIZEOF_APP,       /* sizeof(fc_app) on this core                    */
    BIO_RAM_TMPL,         /* fc_ram_usage.run_tmpl: fc_run's run template   */
    BIO__COUNT
};

#endif
