// expect: no function or code section named 'nope'; program sections: 'prog'
// options: --entry nope
__attribute__((section("prog"))) int run(const int *ctx) { return ctx[0]; }
