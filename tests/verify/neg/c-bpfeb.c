// expect: big-endian eBPF object (bpfeb) is not supported
// cc: clang -target bpfeb
__attribute__((section("prog"))) int run(const int *ctx) { return ctx[0]; }
