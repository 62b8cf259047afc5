/*
 * fuzz_elf.c - libFuzzer harness for the front end: any byte string through
 * the ELF reader and, when it yields a program, through the verifier.
 * Properties checked beyond "no crash, no sanitizer report":
 *   - a refusal always comes with an error message;
 *   - an accepted program is well formed: at least one instruction, the
 *     entry function first, functions contiguous and covering the program,
 *     line records sorted and inside the program;
 *   - the verifier's workspace size is enough (it never reports it too
 *     small) and a verifier refusal also comes with a message.
 *
 *   make fuzz-elf [FUZZ_TIME=60]     (seed corpus: the test objects)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fc_elf.h"
#include "fc_verify.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fc_prog p;
    fc_diag items[8];
    fc_diags d = {items, 8, 0, 0, 0};

    /* the first byte picks an --entry, so entry selection is fuzzed too */
    static const char *const entries[] = {NULL, "prog", "prog_main", ".text", "xdp", "nope"};
    const char *entry = size ? entries[data[0] % 6] : NULL;
    if (fc_elf_read(data, size, "fuzz.o", entry, &p, &d)) {
        CHECK(d.nerrors > 0 && d.n > 0);
        fc_elf_free(&p);
        return 0;
    }
    CHECK(d.nerrors == 0);
    CHECK(p.ninsns > 0 && p.insns);
    CHECK(p.nfuncs > 0 && p.funcs[0].start == 0);
    for (uint32_t k = 0; k < p.nfuncs; k++) {
        CHECK(p.funcs[k].start < p.funcs[k].end);
        CHECK(p.funcs[k].end == (k + 1 < p.nfuncs ? p.funcs[k + 1].start : p.ninsns));
    }
    for (uint32_t k = 0; k < p.nlines; k++) {
        CHECK(p.lines[k].insn < p.ninsns && p.lines[k].file < p.nfiles);
        CHECK(k == 0 || p.lines[k].insn > p.lines[k - 1].insn);
    }

    size_t wsz = fc_vfy_workspace_size(&p);
    void *ws = malloc(wsz);
    fc_insn_info *info = calloc(p.ninsns, sizeof *info);
    fc_vfy_stats st;
    fc_vfy_opts o = {0};
    o.ctx_size = size > 1 ? data[1] : 0;
    d.n = d.nerrors = d.nwarnings = 0;
    if (ws && info && fc_vfy_run(&p, &o, ws, wsz, info, &st, &d)) {
        CHECK(d.nerrors > 0);
        CHECK(!strstr(items[0].msg, "workspace too small"));
    }
    free(ws);
    free(info);
    fc_elf_free(&p);
    return 0;
}
