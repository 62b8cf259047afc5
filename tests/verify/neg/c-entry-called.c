// expect: call of entry function 'on_b': an entry point cannot be called
// options: --entry on_a --entry on_b
/* an entry runs at depth 1 with r1 = context, r2 = length: it cannot also
 * be a callee (shared code goes into a function both entries call) */
__attribute__((noinline)) int on_b(const int *ctx) { return ctx[0] + 1; }
int on_a(const int *ctx) { return on_b(ctx) * 2; }
