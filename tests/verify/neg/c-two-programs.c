// expect: several program sections ('xdp', 'hook/timer'); choose one with --entry
__attribute__((section("xdp"))) int on_packet(const int *ctx) { return ctx[0]; }
__attribute__((section("hook/timer"))) int on_timer(const int *ctx) { return ctx[1]; }
