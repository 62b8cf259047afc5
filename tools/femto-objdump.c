/*
 * femto-objdump - describe an .fcx container.
 *
 *   femto-objdump [-d] [-x] app.fcx
 *     header (context requirements included), section table, entries,
 *     helper imports, relocations, pc maps, the trailer's signature records
 *     with their key ids, the payload hash check and the loader's verdict;
 *     -d  disassemble the bytecode;  -x  hex of the native code sections.
 *
 * Exit status: 0 valid container, 1 invalid container, 2 usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_fcx.h"

static void usage(void)
{
    fprintf(stderr, "usage: femto-objdump [-d] [-x] app.fcx\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned flags = 0;
    const char *path = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-d") == 0)
            flags |= FC_FCX_DUMP_DISASM;
        else if (strcmp(argv[i], "-x") == 0)
            flags |= FC_FCX_DUMP_CODE;
        else if (argv[i][0] == '-' && argv[i][1])
            usage();
        else if (!path)
            path = argv[i];
        else
            usage();
    }
    if (!path)
        usage();

    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        perror(path);
        return 2;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "femto-objdump: out of memory\n");
            return 2;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        if (cap >= (size_t)FC_FCX_MAX_IMAGE * 2) {
            fprintf(stderr, "%s: larger than any container (%zu bytes read)\n", path, len);
            return 2;
        }
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb)
            free(buf);
        buf = nb;
        cap *= 2;
    }
    if (ferror(f)) {
        perror(path);
        return 2;
    }
    if (f != stdin)
        fclose(f);
    printf("%s:\n", path);
    int e = fc_fcx_dump(stdout, buf, len, flags);
    free(buf);
    return e == 0 ? 0 : 1;
}
