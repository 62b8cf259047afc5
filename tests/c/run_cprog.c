/*
 * run_cprog.c - fc-cprog-run: read an eBPF object, verify it, run it in the
 * reference interpreter for each seed, print r0 (same format as
 * native_main.c), and check the analysis against the runs: a memory error at
 * an access the verifier proved in bounds is a soundness bug (exit 2).
 *
 *   fc-cprog-run OBJ [--entry NAME] [--ctx-size N] SEED...
 *
 * The context is 64 bytes filled from the seed; .data/.bss live for the whole
 * invocation (global state persists from one seed to the next).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fc_elf.h"
#include "fc_verify.h"
#include "fc_vm.h"
#include "fc_helpers.h"

#define CTX_LEN 64u

int main(int argc, char **argv)
{
    const char *obj = NULL, *entry = NULL;
    uint32_t ctx_size = 0;
    int first_seed = argc;

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--entry") == 0 && a + 1 < argc) {
            entry = argv[++a];
        } else if (strcmp(argv[a], "--ctx-size") == 0 && a + 1 < argc) {
            ctx_size = (uint32_t)strtoul(argv[++a], NULL, 0);
        } else if (!obj) {
            obj = argv[a];
        } else {
            first_seed = a;
            break;
        }
    }
    if (!obj) {
        fprintf(stderr, "usage: fc-cprog-run OBJ [--entry NAME] [--ctx-size N] SEED...\n");
        return 1;
    }

    fc_prog p;
    fc_diag items[64];
    fc_diags d = {items, 64, 0, 0, 0};
    if (fc_elf_read_file(obj, entry, &p, &d)) {
        for (uint32_t k = 0; k < d.n; k++)
            fprintf(stderr, "%s: error: %s\n", obj, items[k].msg);
        return 1;
    }
    fc_vfy_opts vo = {0};
    vo.ctx_size = ctx_size;
    size_t wsz = fc_vfy_workspace_size(&p);
    void *ws = malloc(wsz);
    fc_insn_info *info = calloc(p.ninsns, sizeof *info);
    fc_vfy_stats st;
    if (!ws || !info || fc_vfy_run(&p, &vo, ws, wsz, info, &st, &d)) {
        for (uint32_t k = 0; k < d.n; k++)
            fprintf(stderr, "%s: insn %d: %s\n", obj, (int)items[k].insn, items[k].msg);
        return 1;
    }
    printf("verified: %u insns, loads %u proven / %u checked, stores %u proven / %u checked, depth %u, stack %u\n",
           (unsigned)p.ninsns, (unsigned)st.loads_proven, (unsigned)st.loads_checked,
           (unsigned)st.stores_proven, (unsigned)st.stores_checked, (unsigned)st.max_call_depth,
           (unsigned)st.stack_bytes);

    static uint8_t stack[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
    uint8_t *rodata = malloc(p.rodata_len + 1), *data = malloc(p.data_len + 1),
            *bss = calloc(p.bss_len + 1, 1);
    if (!rodata || !data || !bss)
        return 1;
    if (p.rodata_len)
        memcpy(rodata, p.rodata, p.rodata_len);
    if (p.data_len)
        memcpy(data, p.data, p.data_len);

    int rc = 0;
    for (int a = first_seed; a < argc; a++) {
        unsigned long seed = strtoul(argv[a], NULL, 0);
        uint8_t ctx[CTX_LEN];
        uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
        for (unsigned i = 0; i < CTX_LEN; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            ctx[i] = (uint8_t)(x >> 24);
        }
        fc_vm vm;
        uint64_t r0 = 0;
        if (fc_vm_init(&vm, p.insns, p.ninsns, stack, sizeof stack) ||
            fc_vm_add_region(&vm, (uintptr_t)ctx, ctx, CTX_LEN, FC_PERM_RW, FC_REGION_CTX) ||
            fc_vm_add_region(&vm, (uintptr_t)rodata, rodata, p.rodata_len, FC_PERM_R, FC_REGION_RODATA) ||
            fc_vm_add_region(&vm, (uintptr_t)data, data, p.data_len, FC_PERM_RW, FC_REGION_DATA) ||
            fc_vm_add_region(&vm, (uintptr_t)bss, bss, p.bss_len, FC_PERM_RW, FC_REGION_BSS)) {
            fprintf(stderr, "VM set-up failed\n");
            return 1;
        }
        fc_vm_set_helpers(&vm, fc_std_helpers, fc_std_helpers_count, NULL, 0);
        int err = fc_vm_run(&vm, (uintptr_t)ctx, CTX_LEN, &r0);
        if (err) {
            printf("seed %lu: error %d (%s) at insn %u\n", seed, err, fc_err_str(err),
                   (unsigned)vm.err_pc);
            if ((err == FC_ERR_MEM_READ || err == FC_ERR_MEM_WRITE) && vm.err_pc < p.ninsns &&
                info[vm.err_pc].access == FC_ACC_PROVEN) {
                printf("UNSOUND: insn %u was proven in bounds but faulted\n", (unsigned)vm.err_pc);
                rc = 2;
            }
        } else {
            printf("seed %lu: r0 = 0x%016llx\n", seed, (unsigned long long)r0);
        }
    }
    free(rodata);
    free(data);
    free(bss);
    free(ws);
    free(info);
    fc_elf_free(&p);
    return rc;
}
