// expect: call to undefined function 'board_read'
extern int board_read(int);

__attribute__((section("prog"))) int run(const int *ctx)
{
    return board_read(ctx[0]) + 1;
}
