/*
 * bench_image.c - loading the benchmark firmware into the Unicorn harness
 * (libelf; host only).
 */
#include "bench_image.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct elf_file {
    int fd;
    Elf *elf;
} elf_file;

static int elf_open(elf_file *f, const char *path, char *err, size_t errlen)
{
    f->elf = NULL;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
        return -1;
    }
    f->fd = open(path, O_RDONLY);
    if (f->fd < 0) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
    if (!f->elf || elf_kind(f->elf) != ELF_K_ELF || gelf_getclass(f->elf) != ELFCLASS32) {
        snprintf(err, errlen, "%s: not a 32-bit ELF file", path);
        if (f->elf)
            elf_end(f->elf);
        close(f->fd);
        f->elf = NULL;
        return -1;
    }
    return 0;
}

static void elf_close(elf_file *f)
{
    if (f->elf) {
        elf_end(f->elf);
        close(f->fd);
    }
    f->elf = NULL;
}

static int cmp_sect(const void *a, const void *b)
{
    const bench_sect *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int bench_image_load(bench_image *im, fc_emu *e, const char *path, char *err, size_t errlen)
{
    static const struct { uint32_t addr, size; } maps[] = {
        { BENCH_IMG_ADDR, BENCH_IMG_SIZE },
        { BENCH_FLASH_ADDR, BENCH_FLASH_SIZE },
        { BENCH_RAM_ADDR, BENCH_RAM_SIZE },
    };
    elf_file f;
    Elf_Scn *scn = NULL;
    size_t shstrndx;
    int rc = -1;

    memset(im, 0, sizeof *im);
    for (unsigned k = 0; k < sizeof maps / sizeof maps[0]; k++)
        if (!fc_emu_map(e, maps[k].addr, maps[k].size)) {
            snprintf(err, errlen, "cannot map 0x%08x..+0x%x into the emulator", maps[k].addr,
                     maps[k].size);
            return -1;
        }
    if (elf_open(&f, path, err, errlen))
        return -1;
    if (elf_getshdrstrndx(f.elf, &shstrndx)) {
        snprintf(err, errlen, "%s: no section names", path);
        goto out;
    }
    while ((scn = elf_nextscn(f.elf, scn))) {
        GElf_Shdr sh;
        const char *name;
        if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(f.elf, shstrndx, sh.sh_name)))
            goto bad;
        if (sh.sh_type == SHT_SYMTAB) {
            Elf_Data *d = elf_getdata(scn, NULL);
            size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
            im->syms = calloc(n + 1, sizeof *im->syms);
            if (!d || !im->syms)
                goto bad;
            for (size_t k = 0; k < n; k++) {
                GElf_Sym s;
                const char *sn;
                if (!gelf_getsym(d, (int)k, &s))
                    goto bad;
                if ((GELF_ST_TYPE(s.st_info) != STT_FUNC && GELF_ST_TYPE(s.st_info) != STT_OBJECT &&
                     GELF_ST_TYPE(s.st_info) != STT_NOTYPE) || s.st_shndx == SHN_UNDEF)
                    continue;
                sn = elf_strptr(f.elf, sh.sh_link, s.st_name);
                if (!sn || !*sn)
                    continue;
                im->syms[im->nsyms].name = strdup(sn);
                im->syms[im->nsyms].value = (uint32_t)s.st_value;
                im->syms[im->nsyms].size = (uint32_t)s.st_size;
                if (!im->syms[im->nsyms].name)
                    goto bad;
                im->nsyms++;
            }
            continue;
        }
        if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0)
            continue;
        if (im->nsect >= BENCH_MAX_SECTS)
            goto bad;
        bench_sect *bs = &im->sect[im->nsect++];
        snprintf(bs->name, sizeof bs->name, "%s", name);
        bs->addr = (uint32_t)sh.sh_addr;
        bs->size = (uint32_t)sh.sh_size;
        bs->code = (sh.sh_flags & SHF_EXECINSTR) != 0;
        uint8_t *host = fc_emu_host(e, bs->addr, bs->size);
        if (!host) {
            snprintf(err, errlen, "%s: section %s (0x%08x, %u bytes) outside the mapped memory",
                     path, name, bs->addr, bs->size);
            goto out;
        }
        if (sh.sh_type == SHT_NOBITS) {
            memset(host, 0, bs->size);
        } else {
            Elf_Data *d = NULL;
            size_t at = 0;
            while ((d = elf_getdata(scn, d))) {
                if (at + d->d_size > bs->size)
                    goto bad;
                if (d->d_buf)
                    memcpy(host + at, d->d_buf, d->d_size);
                at += d->d_size;
            }
        }
        fc_emu_flush(e, bs->addr, bs->size);
    }
    qsort(im->sect, im->nsect, sizeof im->sect[0], cmp_sect);
    rc = 0;
    goto out;
bad:
    snprintf(err, errlen, "%s: malformed ELF (%s)", path, elf_errmsg(-1));
out:
    elf_close(&f);
    if (rc)
        bench_image_free(im);
    return rc;
}

void bench_image_free(bench_image *im)
{
    for (unsigned k = 0; k < im->nsyms; k++)
        free(im->syms[k].name);
    free(im->syms);
    im->syms = NULL;
    im->nsyms = 0;
}

uint32_t bench_image_sym(const bench_image *im, const char *name, uint32_t *size)
{
    for (unsigned k = 0; k < im->nsyms; k++)
        if (strcmp(im->syms[k].name, name) == 0) {
            if (size)
                *size = im->syms[k].size;
            return im->syms[k].value;
        }
    if (size)
        *size = 0;
    return 0;
}

int bench_obj_code_bytes(const char *path, uint32_t *bytes, char *err, size_t errlen)
{
    elf_file f;
    Elf_Scn *scn = NULL;
    uint32_t n = 0;

    if (elf_open(&f, path, err, errlen))
        return -1;
    while ((scn = elf_nextscn(f.elf, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh)) {
            snprintf(err, errlen, "%s: malformed ELF", path);
            elf_close(&f);
            return -1;
        }
        if ((sh.sh_flags & SHF_ALLOC) && (sh.sh_flags & SHF_EXECINSTR))
            n += (uint32_t)sh.sh_size;
    }
    elf_close(&f);
    *bytes = n;
    return 0;
}
