/*
 * The differential tests of tests/unit/test_t2_emu.c compiled again for the
 * rv32imc backend (RV32 without the A extension: every atomic runs with
 * interrupts masked), on the RV32IMAC emulator (the core has A; the code
 * must not need it: tests/unit/test_rv_imc.c checks that no A instruction is
 * made). The harness checks mstatus.MIE is set again after every run.
 * Nothing is copied: a change to those tests applies to every target.
 */
#include "fc_emu.h"

static fc_emu *rv_open(char *err, size_t errlen)
{
    fc_emu *e = fc_emu_open_target(FC_TARGET_RV32IMAC, err, errlen);
    if (e)
        fc_emu_set_backend(e, &fc_backend_rv32imc);
    return e;
}

#define fc_emu_open rv_open
#define t2_emu rv_emu_imc
#include "test_t2_emu.c"
