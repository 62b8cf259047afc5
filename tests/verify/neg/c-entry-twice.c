// expect: --entry: 'on_a' named twice
// options: --entry on_a,on_b --entry on_a
int on_a(const int *ctx) { return ctx[0]; }
int on_b(const int *ctx) { return ctx[1]; }
