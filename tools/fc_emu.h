/* tools/fc_emu.h - the simulator's header moved to sim/fc_emu.h (host code
 * finds it as "fc_emu.h" through -Isim); this name stays for includes by
 * path. */
#include "../sim/fc_emu.h"
