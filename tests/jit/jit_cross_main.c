/*
 * jit_cross_main.c - the link proof of step jit-cross: the device's compile
 * path (fc_jit_compile and the verifier, analysis and backend it calls) and
 * fc_install linked for a core with nothing but the runtime's own libc
 * (runtime/fc_libc) and libgcc: -nostdlib, every symbol resolved or the link
 * fails. Never run.
 */
#include "fc_jit.h"
#include "fc_libc.h"

/* what GCC may call for struct copies (the boards define the same) */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n) { return fc_memset(d, c, n); }
void *memcpy(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return fc_memmove(d, s, n); }

void jit_cross_entry(void);
void jit_cross_entry(void)
{
    static fc_jit_ctx ctx;
    static fc_platform plat;
    static fc_install_cfg cfg;
    static fc_app app;
    static uint8_t img[64];
    plat.jit = fc_jit_hook;
    plat.jit_ctx = &ctx;
    plat.policy = FC_POLICY_JIT;
    cfg.plat = &plat;
    (void)fc_jit_workspace_size(img, sizeof img, plat.target, plat.isa);
    (void)fc_install(img, sizeof img, &cfg, &app, 0, 0);
}
