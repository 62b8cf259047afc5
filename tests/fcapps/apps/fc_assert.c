/* fcapps: femtoc_bpf.h's fc_assert stops the program with error 9 and the
 * line as the code; an unterminated %s is refused with a message. */
#include <stdint.h>
#include "femtoc_bpf.h"

uint64_t checks(uint8_t *ctx, uint64_t len)
{
    char s[4] = {'a', 'b', 'c', 'd'};
    fc_assert(len == 4);   /* line 9 */
    if (ctx[0] == 1)
        fc_printf("%s\n", s);
    return 7;
}
