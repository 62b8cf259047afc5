/* board.h - the few board services the mps2-an385 firmware uses. */
#ifndef BOARD_H
#define BOARD_H
#include <stdint.h>
void board_puts(const char *s);
void board_write(const char *s, uint32_t n);
void board_printf(const char *fmt, ...);
void board_exit(int code);
#endif
