// expect: not an eBPF object: ELF machine 62 (expected EM_BPF, 247)
// cc: gcc
int run(const int *ctx) { return ctx[0]; }
