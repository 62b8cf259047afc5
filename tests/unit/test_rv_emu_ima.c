/*
 * The differential tests of tests/unit/test_t2_emu.c (targeted cases with
 * their expected outcomes, and the random programs of a fixed seed and
 * count: FC_T2_RANDOM, default 1500, each under three backend settings),
 * compiled again for the RV32 target: the same source, with the emulator
 * opened for RV32IMAC (tools/fc_emu_rv32.c) running the rv32ima backend
 * (no compressed instructions).
 * Nothing is copied: a change to those tests applies to both targets.
 * (tests/unit/test_rv_emu.c: the same for rv32imac.)
 */
#include "fc_emu.h"

static fc_emu *rv_open(char *err, size_t errlen)
{
    fc_emu *e = fc_emu_open_target(FC_TARGET_RV32IMAC, err, errlen);
    if (e)
        fc_emu_set_backend(e, &fc_backend_rv32ima);
    return e;
}

#define fc_emu_open rv_open
#define t2_emu rv_emu_ima
#include "test_t2_emu.c"
