/*
 * test_vm.h - shared by the interpreter/helper unit tests (test_vm_*.c,
 * test_helpers.c): instruction builders and a small machine with a context
 * buffer and a stack placed at fixed guest addresses (not their host ones),
 * so every test also exercises the guest -> host mapping.
 */
#ifndef TEST_VM_H
#define TEST_VM_H

#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "fc_vm.h"

/* ---- instruction builders ---------------------------------------------- */
/* A compound literal (not fc_insn_make) so that it also works in static
 * initialisers; test_vm_jmp.c checks it against fc_insn_make. */
#define INS(op, d, s, off, imm) \
    ((fc_insn){(uint8_t)(op), (uint8_t)(((d) & 0xfu) | (((s) & 0xfu) << 4)), (int16_t)(off), (int32_t)(imm)})

#define A64K(OP, d, k)  INS(FC_CLS_ALU64 | FC_SRC_K | FC_ALU_##OP, d, 0, 0, k)
#define A64X(OP, d, s)  INS(FC_CLS_ALU64 | FC_SRC_X | FC_ALU_##OP, d, s, 0, 0)
#define A32K(OP, d, k)  INS(FC_CLS_ALU | FC_SRC_K | FC_ALU_##OP, d, 0, 0, k)
#define A32X(OP, d, s)  INS(FC_CLS_ALU | FC_SRC_X | FC_ALU_##OP, d, s, 0, 0)
#define MOV64(d, k)     A64K(MOV, d, k)
#define MOV64X(d, s)    A64X(MOV, d, s)
#define MOV32(d, k)     A32K(MOV, d, k)

/* lddw: two slots */
#define LDDW_LO(d, v)   INS(FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM, d, 0, 0, (uint32_t)(uint64_t)(v))
#define LDDW_HI(v)      INS(0, 0, 0, 0, (uint32_t)((uint64_t)(v) >> 32))
#define LDDW(d, v)      LDDW_LO(d, v), LDDW_HI(v)

#define LDX(SZ, d, s, off)    INS(FC_CLS_LDX | FC_SZ_##SZ | FC_MODE_MEM, d, s, off, 0)
#define LDXS(SZ, d, s, off)   INS(FC_CLS_LDX | FC_SZ_##SZ | FC_MODE_MEMSX, d, s, off, 0)
#define ST(SZ, d, off, k)     INS(FC_CLS_ST | FC_SZ_##SZ | FC_MODE_MEM, d, 0, off, k)
#define STX(SZ, d, s, off)    INS(FC_CLS_STX | FC_SZ_##SZ | FC_MODE_MEM, d, s, off, 0)
#define ATOM(SZ, d, s, off, a) INS(FC_CLS_STX | FC_SZ_##SZ | FC_MODE_ATOMIC, d, s, off, a)

#define JA(off)          INS(FC_CLS_JMP | FC_JMP_JA, 0, 0, off, 0)
#define JA32(imm)        INS(FC_CLS_JMP32 | FC_JMP_JA, 0, 0, 0, imm)
#define JK(OP, d, k, off)   INS(FC_CLS_JMP | FC_SRC_K | FC_JMP_##OP, d, 0, off, k)
#define JX(OP, d, s, off)   INS(FC_CLS_JMP | FC_SRC_X | FC_JMP_##OP, d, s, off, 0)
#define J32K(OP, d, k, off) INS(FC_CLS_JMP32 | FC_SRC_K | FC_JMP_##OP, d, 0, off, k)
#define J32X(OP, d, s, off) INS(FC_CLS_JMP32 | FC_SRC_X | FC_JMP_##OP, d, s, off, 0)

#define CALL(id)         INS(FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL, 0, FC_CALL_HELPER, 0, id)
#define CALL_LOCAL(rel)  INS(FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL, 0, FC_CALL_LOCAL, 0, rel)
/* callx: the register is in the dst field (fc_isa.c, FC_FMT_CALLX) */
#define CALLX(r)         INS(FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL, r, 0, 0, 0)
#define EXIT()           INS(FC_CLS_JMP | FC_JMP_EXIT, 0, 0, 0, 0)

#define NINS(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* ---- a machine ------------------------------------------------------------ */
#define T_CTX_ADDR   0x20000000ull     /* guest address of ctx[0] */
#define T_STACK_ADDR 0x20010000ull     /* guest address of stack[0] */
#define T_CTX_LEN    64u

typedef struct tvm {
    fc_vm vm;
    uint8_t stack[FC_STACK_SIZE * FC_MAX_CALL_DEPTH];
    uint8_t ctx[T_CTX_LEN];
    uint64_t r0;
    int err;
} tvm;

/* Program + stack + a read-write context region at T_CTX_ADDR. */
static inline void tvm_init(tvm *t, const fc_insn *p, uint32_t n)
{
    memset(t, 0, sizeof *t);
    fc_vm_init(&t->vm, p, n, t->stack, sizeof t->stack);
    t->vm.stack_addr = T_STACK_ADDR;
    fc_vm_add_region(&t->vm, T_CTX_ADDR, t->ctx, T_CTX_LEN, FC_PERM_RW, FC_REGION_CTX);
}

static inline int tvm_run(tvm *t)
{
    t->r0 = 0xdeadbeefdeadbeefull;
    t->err = fc_vm_run(&t->vm, T_CTX_ADDR, T_CTX_LEN, &t->r0);
    return t->err;
}

/* Run a program on a fresh machine; returns r0, asserts success via *err. */
static inline int run_prog(const fc_insn *p, uint32_t n, uint64_t *r0)
{
    static tvm t; /* big; tests run one at a time per process */
    tvm_init(&t, p, n);
    tvm_run(&t);
    *r0 = t.r0;
    return t.err;
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = (v << 8) | p[k];
    return v;
}

static inline void wr64(uint8_t *p, uint64_t v)
{
    for (int k = 0; k < 8; k++, v >>= 8)
        p[k] = (uint8_t)v;
}

/*
 * A budget or call-depth bug would make a test loop forever: a suite .init
 * that arms an alarm turns that into a crash (reported as a failure) in the
 * test's own process. (Criterion's .timeout option leaks memory in the
 * runner, which LeakSanitizer reports when the suites run in parallel.)
 */
static inline void test_vm_watchdog(void)
{
    alarm(60);
}

#endif /* TEST_VM_H */
