/*
 * femto-objdump - describe an .fcx container.
 *
 *   femto-objdump [-d] [-x] [--line] [--pc TARGET:OFFSET] [--insn N]
 *                 [--fault ERR:INSN[:ADDR]] app.fcx
 *   femto-objdump --error N
 *     header (context requirements included), section table, entries,
 *     helper imports, relocations, pc maps, the line table (femtoc -g), the
 *     trailer's signature records with their key ids, the payload hash check
 *     and the loader's verdict; -d disassemble the bytecode and the native
 *     code; -x hex of the native code sections; --line file:line everywhere;
 *     --pc / --insn: only where that native pc or instruction comes from;
 *     --fault: a device's report of a failed run as femto-run words it;
 *     --error: the name of error code N (a device's loader reports only the
 *     number: runtime/fc_loader.c, FC_LOADER_TERSE).
 *
 * Exit status: 0 valid container, 1 invalid container, 2 usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_fcx.h"
#include "fc_fault.h"
#include "fc_loader.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: femto-objdump [options] app.fcx   (- reads standard input)\n"
"\n"
"Describe a femtoc container (.fcx, docs/fcx.md): header (targets, stack\n"
"frames, budget, context requirements), section table, entry points, helper\n"
"imports, relocations, pc maps, the line table (femtoc -g), the trailer's\n"
"signature records with their key ids, the payload hash check, and the\n"
"device loader's verdict.\n"
"\n"
"Options:\n"
"  -d              disassemble the bytecode and the native code of every\n"
"                  target (under each eBPF instruction its native code)\n"
"  -x              hex of the native code sections\n"
"  --line          the line table's records, and file:line beside the\n"
"                  bytecode, the pc maps and the native code (needs a\n"
"                  container built with femtoc -g)\n"
"  --pc TARGET:OFF where native offset OFF of TARGET's code (thumbv7m,\n"
"                  rv32imac) comes from: its eBPF instruction and, with a\n"
"                  line table, file:line (femto-run prints such offsets for a\n"
"                  machine fault); prints only that\n"
"  --insn N        the source line of eBPF instruction N (as a device error\n"
"                  names it: \"at eBPF instruction N\"); prints only that\n"
"  --fault ERR:INSN[:ADDR]\n"
"                  a run a device reported as failed with error ERR (enum\n"
"                  fc_err) at eBPF instruction INSN (address ADDR), told as\n"
"                  femto-run tells it: file:line with a line table, the\n"
"                  instruction, for a helper call the helper's name and\n"
"                  number (femto-board prints it for a failed run)\n"
"  --error N       the name of error code N (enum fc_err or enum fc_lerr):\n"
"                  a device's loader reports only the number (\"loader\n"
"                  error N\"); prints only that, no container is read\n"
"  -h, --help      this text\n"
"  --version       the version and the container format it reads\n"
"\n"
"Exit status: 0 valid container (for --pc/--insn: found), 1 invalid\n"
"container (or not found), 2 usage or I/O error.\n");
}

static void die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "femto-objdump: %s%s%s\n"
            "usage: femto-objdump [-d] [-x] [--line] [--pc TARGET:OFF] [--insn N]\n"
            "                     [--fault ERR:INSN[:ADDR]] app.fcx\n"
            "(femto-objdump -h lists the options)\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

/* --insn N / --pc: one lookup, printed as "insn N: text  file:line". */
static int lookup(const char *path, const uint8_t *buf, size_t len, int have_pc, unsigned target,
                  uint32_t off, uint32_t insn)
{
    fc_fcx_lines lt;
    const char *why = NULL, *file;
    uint32_t line, col;
    int have_lt = fc_fcx_lines_find(buf, len, &lt, &why);
    if (have_pc) {
        if (!fc_fcx_pc_insn(buf, len, target, off, &insn)) {
            fprintf(stderr, "%s: no %s code with a pc map, or offset 0x%x outside it\n", path,
                    fc_fcx_target_name(target), (unsigned)off);
            return 1;
        }
        printf("%s+0x%x: ", fc_fcx_target_name(target), (unsigned)off);
        if (insn == FC_FCX_PCMAP_NO_INSN) {
            printf("- (prologue or shared code: no eBPF instruction)\n");
            return 0;
        }
    }
    printf("insn %u", (unsigned)insn);
    if (have_lt < 0) {
        printf(" (line table malformed: %s)\n", why);
        return 1;
    }
    if (have_lt == 0) {
        printf(" (no line table: build the container with femtoc -g)\n");
        return have_pc ? 0 : 1;
    }
    if (!fc_fcx_line_of(&lt, insn, &file, &line, &col)) {
        printf(" (no source line)\n");
        return have_pc ? 0 : 1;
    }
    printf(": %s:%u:%u\n", file, (unsigned)line, (unsigned)col);
    return 0;
}

/* --fault: the bytecode and line table of the container, then the message
 * femto-run prints for the same outcome (compiler/fc_fault.h). */
static int fault(const char *path, const uint8_t *buf, size_t len, int err, uint32_t insn,
                 uint64_t addr)
{
    fc_fcx_header h;
    fc_fcx_section s;
    fc_insn *insns = NULL;
    uint32_t n = 0;
    if (!fc_fcx_read_header(buf, (uint32_t)len, &h)) {
        fprintf(stderr, "%s: not a container\n", path);
        return 1;
    }
    for (uint32_t i = 0; i < h.nsect && !insns; i++)
        if (fc_fcx_read_section(buf, (uint32_t)len, h.sect_off + i * FC_FCX_SECT_SIZE, &s) &&
            s.type == FC_FCX_SECT_BYTECODE && s.offset <= len && s.size <= len - s.offset) {
            n = s.size / 8u;
            insns = calloc(n ? n : 1, sizeof *insns);
            for (uint32_t k = 0; insns && k < n; k++)
                insns[k] = fc_insn_decode(buf + s.offset + 8u * k);
        }
    if (!insns) {
        fprintf(stderr, "%s: no bytecode section\n", path);
        return 1;
    }
    fc_prog lines;
    memset(&lines, 0, sizeof lines);
    int have_lines = fc_fcx_lines_to_prog(buf, len, &lines) == 0;
    fc_fault_where w = {path, insns, n, have_lines ? &lines : NULL};
    char msg[700];
    fc_fault_describe(msg, sizeof msg, &w, err, insn, addr, 0);
    printf("%s\n", msg);
    if (have_lines)
        fc_fcx_lines_free(&lines);
    free(insns);
    return insn < n ? 0 : 1;
}

int main(int argc, char **argv)
{
    unsigned flags = 0, target = 0;
    const char *path = NULL;
    int have_pc = 0, have_insn = 0, have_fault = 0, ferr = 0;
    uint32_t off = 0, insn = 0;
    uint64_t faddr = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-d") == 0) {
            flags |= FC_FCX_DUMP_DISASM;
        } else if (strcmp(a, "-x") == 0) {
            flags |= FC_FCX_DUMP_CODE;
        } else if (strcmp(a, "--line") == 0 || strcmp(a, "-l") == 0) {
            flags |= FC_FCX_DUMP_LINES;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("femto-objdump (femtoc) 0.14, container format %u.%u\n", FC_FCX_VERSION_MAJOR,
                   FC_FCX_VERSION_MINOR);
            return 0;
        } else if (strcmp(a, "--fault") == 0) {
            if (i + 1 >= argc)
                die_usage("needs an argument", a);
            const char *v = argv[++i];
            unsigned long long e, n, ad = 0;
            char *end;
            e = strtoull(v, &end, 0);
            if (end == v || *end != ':' || e > 1000)
                die_usage("--fault wants ERR:INSN[:ADDR], e.g. 8:22:0x20001000", v);
            v = end + 1;
            n = strtoull(v, &end, 0);
            if (end == v || (*end && *end != ':') || n > 0xffffffffull)
                die_usage("--fault wants ERR:INSN[:ADDR], e.g. 8:22:0x20001000", argv[i]);
            if (*end == ':') {
                v = end + 1;
                ad = strtoull(v, &end, 0);
                if (end == v || *end)
                    die_usage("--fault wants ERR:INSN[:ADDR], e.g. 8:22:0x20001000", argv[i]);
            }
            have_fault = 1;
            ferr = (int)e;
            insn = (uint32_t)n;
            faddr = ad;
        } else if (strcmp(a, "--error") == 0) {
            if (i + 1 >= argc)
                die_usage("needs an argument", a);
            const char *v = argv[++i];
            char *end;
            long n = strtol(v, &end, 0);
            if (!*v || *end || n < 0 || n >= FC_LERR__END)
                die_usage("--error wants an error code (enum fc_err or enum fc_lerr)", v);
            printf("%s\n", fc_lerr_str((int)n));
            return 0;
        } else if (strcmp(a, "--pc") == 0 || strcmp(a, "--insn") == 0) {
            if (i + 1 >= argc)
                die_usage("needs an argument", a);
            const char *v = argv[++i];
            char *end;
            if (a[2] == 'p') {
                const char *colon = strchr(v, ':');
                char tn[32];
                if (!colon || (size_t)(colon - v) >= sizeof tn)
                    die_usage("--pc wants TARGET:OFFSET, e.g. thumbv7m:0x3c", v);
                memcpy(tn, v, (size_t)(colon - v));
                tn[colon - v] = 0;
                target = 0;
                for (unsigned t = 1; t < FC_TARGET__COUNT; t++)
                    if (strcmp(fc_fcx_target_name(t), tn) == 0)
                        target = t;
                if (!target)
                    die_usage("--pc: unknown target (thumbv7m, rv32imac)", tn);
                v = colon + 1;
                have_pc = 1;
            } else {
                have_insn = 1;
            }
            unsigned long long n = strtoull(v, &end, 0);
            if (!*v || *end || n > 0xffffffffull || v[0] == '-')
                die_usage("not a number", v);
            if (have_pc && a[2] == 'p')
                off = (uint32_t)n;
            else
                insn = (uint32_t)n;
        } else if (a[0] == '-' && a[1]) {
            die_usage("unknown option", a);
        } else if (!path) {
            path = a;
        } else {
            die_usage("more than one container", a);
        }
    }
    if (!path)
        die_usage("no container", NULL);

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
    if (have_fault) {
        int r = fault(path, buf, len, ferr, insn, faddr);
        free(buf);
        return r;
    }
    if (have_pc || have_insn) {
        int r = lookup(path, buf, len, have_pc, target, off, insn);
        free(buf);
        return r;
    }
    printf("%s:\n", path);
    int e = fc_fcx_dump(stdout, buf, len, flags);
    free(buf);
    return e == 0 ? 0 : 1;
}
