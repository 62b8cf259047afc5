/*
 * bench_image.h - the benchmark firmware (an ELF linked by bench/dev/bench.ld)
 * loaded into the Unicorn harness, and sizes read from ELF objects.
 */
#ifndef BENCH_IMAGE_H
#define BENCH_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "fc_emu.h"

/* the firmware's memory (bench/dev/bench.ld) */
#define BENCH_IMG_ADDR   0x00200000u
#define BENCH_IMG_SIZE   0x00100000u
#define BENCH_FLASH_ADDR 0x00300000u
#define BENCH_FLASH_SIZE 0x00040000u
#define BENCH_RAM_ADDR   0x20800000u
#define BENCH_RAM_SIZE   0x00100000u

#define BENCH_MAX_SECTS 24u

typedef struct bench_sect {
    char name[24];
    uint32_t addr, size;
    int code;                 /* executable */
} bench_sect;

typedef struct bench_sym {
    char *name;
    uint32_t value, size;
} bench_sym;

typedef struct bench_image {
    bench_sect sect[BENCH_MAX_SECTS];   /* allocated sections, by address */
    unsigned nsect;
    bench_sym *syms;                    /* global and local functions/objects */
    unsigned nsyms;
} bench_image;

/* Map the firmware's memory into e and load `path` into it (code, read-only
 * data, .data; .bss and the flash zeroed). 0, or -1 with a message. */
int bench_image_load(bench_image *im, fc_emu *e, const char *path, char *err, size_t errlen);
void bench_image_free(bench_image *im);

/* A symbol's value (0 when missing) and size. */
uint32_t bench_image_sym(const bench_image *im, const char *name, uint32_t *size);

/* Bytes in the executable sections of an object file (e.g. the .text of a
 * natively compiled benchmark). 0, or -1 with a message. */
int bench_obj_code_bytes(const char *path, uint32_t *bytes, char *err, size_t errlen);

#endif
