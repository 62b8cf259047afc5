/*
 * xt_conf_rt.c - the conformance suite's helper table for lx106 native code
 * run by the "lx106" engine (sim/fc_xt_engine.c), cross-compiled into the
 * lx106 routine blob (sim/xtensa.mk) next to the division routines.
 *
 * It stands at FC_SYM_HELPER: the trampoline of runtime/fc_native.h with
 * the one helper the suite has, 5 "unwind" (return r1; r1 == 0 stops the
 * program with FC_ERR_UNWIND), exactly as the host engines' conf_unwind
 * (sim/fc_engine.c). Why in the guest and not forwarded to the host over
 * the monitor's socket: a run stays one round trip, and the monitor
 * protocol stays what tests/xtensa/xt_sim.c checks. Every other id is
 * FC_ERR_HELPER_UNKNOWN, as the interpreter with the suite's table says.
 */
#include "fc_native.h"
#include "fc_vm.h"

uint32_t fc_xt_conf_helper(fc_native_env *env, uint32_t id, uint32_t fb);

uint32_t fc_xt_conf_helper(fc_native_env *env, uint32_t id, uint32_t fb)
{
    (void)fb;
    if (id != 5u) {
        env->err = FC_ERR_HELPER_UNKNOWN;
        return FC_ERR_HELPER_UNKNOWN;
    }
    if (env->regs[1][0] == 0 && env->regs[1][1] == 0) {
        env->err = FC_ERR_UNWIND;
        env->err_addr[0] = env->err_addr[1] = 0;
        return FC_ERR_UNWIND;
    }
    env->regs[0][0] = env->regs[1][0];
    env->regs[0][1] = env->regs[1][1];
    return FC_OK;
}
