// expect: refers to undefined symbol 'board_config' (extern variables are not supported)
extern int board_config;

__attribute__((section("prog"))) int run(const int *ctx)
{
    return board_config + ctx[0];
}
