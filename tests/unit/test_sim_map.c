/*
 * The simulator's exact memory map (sim/fc_emu.h): native code that touches
 * a byte outside the granted regions, the code and the runtime's own data
 * is stopped at that access with FC_EMU_EACCESS, its address, kind and pc;
 * an access to the last byte of each region still works.
 *
 * The native code is made by hand here (no backend, so no bounds check in
 * the code itself): load an address from a literal, then one load, store or
 * jump through it, return FC_OK. The same probes run on both machines.
 *
 *   Thumb-2 (ARMv7-M ARM, A7.7)            RV32 (RISC-V unprivileged ISA, ch. 2)
 *    0 ldr   r1, [pc, #8]  (literal at 12)  0 auipc t0, 0
 *    2 movs  r2, #0x5a                      4 lw    t0, 24(t0)   (literal at 24)
 *    4 <op>  r2, [r1]  / bx r1              8 addi  t1, zero, 0x5a
 *    6 movs  r0, #0                        12 <op>  t1, 0(t0)  / jalr zero, 0(t0)
 *    8 bx    lr                            16 addi  a0, zero, 0
 *   10 nop                                 20 jalr  zero, 0(ra)
 *   12 .word address                       24 .word address
 *
 * AMO, an atomic access: Thumb-2 `ldrex r2, [r1]` (32-bit, at 4..7; movs
 * and bx lr follow at 8 and 10), RV32 `amoadd.w zero, t1, (t0)`.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "fc_emu.h"
#include "rv32/rv_enc.h"
#include "thumb2/t2_enc.h"

enum op { LDB, STB, LDW, STW, JMP, AMO };

/* the pc of the probing instruction */
static uint32_t op_pc(unsigned target)
{
    return FC_EMU_CODE_ADDR + (target == FC_TARGET_THUMBV7M ? 4u : 12u);
}

static uint32_t make_code(unsigned target, enum op op, uint32_t addr, uint8_t *code)
{
    if (target == FC_TARGET_THUMBV7M) {
        static const uint16_t ops[] = {0x780a, 0x700a, 0x680a, 0x600a, 0x4708, 0};
        uint16_t h[6] = {0x4902, 0x225a, ops[op], 0x2000, 0x4770, 0xbf00};
        if (op == AMO) {
            uint16_t x[6] = {0x4902, 0x225a, 0, 0, 0x2000, 0x4770};
            memcpy(h, x, sizeof h);
        }
        memcpy(code, h, sizeof h);       /* little-endian host and core */
        if (op == AMO)
            t2_put(code + 4, t2_ldrex(T2_R2, T2_R1, 0));
        memcpy(code + 12, &addr, 4);
        return 16;
    }
    uint32_t o = op == LDB ? rv_lbu(RV_T1, RV_T0, 0) : op == STB ? rv_sb(RV_T1, RV_T0, 0)
               : op == LDW ? rv_lw(RV_T1, RV_T0, 0) : op == STW ? rv_sw(RV_T1, RV_T0, 0)
               : op == JMP ? rv_jalr(RV_ZERO, RV_T0, 0) : rv_amoadd_w(RV_ZERO, RV_T1, RV_T0);
    uint32_t w[6] = {rv_auipc(RV_T0, 0), rv_lw(RV_T0, RV_T0, 24), rv_addi(RV_T1, RV_ZERO, 0x5a), o,
                     rv_addi(RV_A0, RV_ZERO, 0), rv_jalr(RV_ZERO, RV_RA, 0)};
    for (unsigned k = 0; k < 6; k++)
        rv_put(code + 4 * k, w[k]);
    memcpy(code + 24, &addr, 4);
    return 28;
}

/* The regions of every probe (guest addresses from fc_emu_area):
 *   ctx     CTX area, 37 bytes, read-write
 *   rodata  RODATA area, 13 bytes, read-only
 *   data    DATA area, 20 bytes; bss 12 bytes 24 bytes further (same page)
 *   extra   EXTRA0 area, 4101 bytes (one whole page, then 5 bytes)
 *   stack   max_depth 2: [top - 1024, top), the page's first 3 KiB refused */
#define CTX_LEN 37u
#define RO_LEN 13u
#define DATA_LEN 20u
#define BSS_OFF 24u
#define BSS_LEN 12u
#define EXTRA_LEN 4101u

typedef struct probe_env {
    fc_emu *e;
    unsigned target;
    uint32_t ctx, ro, data, extra, stack_top;
} probe_env;

static void open_probe(probe_env *p, unsigned target)
{
    char err[200];
    memset(p, 0, sizeof *p);
    p->target = target;
    p->e = fc_emu_open_target(target, err, sizeof err);
    cr_assert(p->e, "%s", err);
    fc_emu_area(p->e, FC_EMU_CTX, &p->ctx, NULL);
    fc_emu_area(p->e, FC_EMU_RODATA, &p->ro, NULL);
    fc_emu_area(p->e, FC_EMU_DATA, &p->data, NULL);
    fc_emu_area(p->e, FC_EMU_EXTRA0, &p->extra, NULL);
    p->stack_top = FC_EMU_STACK_ADDR + FC_EMU_STACK_SIZE;
}

static const fc_insn exit_insn[1] = {{0x95, 0, 0, 0}};

static int run_probe(probe_env *p, enum op op, uint32_t addr, fc_emu_stats *st)
{
    uint8_t code[32];
    uint32_t n = make_code(p->target, op, addr, code);
    fc_vm vm;
    uint64_t r0 = 0;
    uint8_t *h;
    cr_assert_eq(fc_emu_place(p->e, FC_EMU_CODE_ADDR, code, n), 0);
    cr_assert_eq(fc_emu_vm(p->e, &vm, exit_insn, 1), FC_OK);
    vm.max_depth = 2;
    h = fc_emu_area(p->e, FC_EMU_CTX, NULL, NULL);
    cr_assert_eq(fc_vm_add_region(&vm, p->ctx, h, CTX_LEN, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    h = fc_emu_area(p->e, FC_EMU_RODATA, NULL, NULL);
    cr_assert_eq(fc_vm_add_region(&vm, p->ro, h, RO_LEN, FC_PERM_R, FC_REGION_RODATA), FC_OK);
    h = fc_emu_area(p->e, FC_EMU_DATA, NULL, NULL);
    cr_assert_eq(fc_vm_add_region(&vm, p->data, h, DATA_LEN, FC_PERM_RW, FC_REGION_DATA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, p->data + BSS_OFF, h + BSS_OFF, BSS_LEN, FC_PERM_RW,
                                  FC_REGION_BSS), FC_OK);
    h = fc_emu_area(p->e, FC_EMU_EXTRA0, NULL, NULL);
    cr_assert_eq(fc_vm_add_region(&vm, p->extra, h, EXTRA_LEN, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    memset(st, 0, sizeof *st);
    return fc_emu_run(p->e, FC_EMU_CODE_ADDR, &vm, p->ctx, CTX_LEN, &r0, st);
}

/* An access that must work: FC_OK, and a store lands (0x5a). */
static void allowed(probe_env *p, enum op op, uint32_t addr)
{
    fc_emu_stats st;
    uint8_t *h = fc_emu_host(p->e, addr, op == LDW || op == STW || op == AMO ? 4 : 1);
    cr_assert(h, "0x%08x has no host view", addr);
    if (op == STB || op == STW)
        memset(h, 0, op == STW ? 4 : 1);
    int rc = run_probe(p, op, addr, &st);
    cr_assert_eq(rc, FC_OK, "target %u op %d at 0x%08x: rc %d (fault %s at 0x%08x, pc 0x%x)",
                 p->target, op, addr, rc, fc_emu_fault_str(st.fault), st.fault_addr, st.pc);
    if (op == STB)
        cr_assert_eq(h[0], 0x5a);
    if (op == STW)
        cr_assert(h[0] == 0x5a && h[1] == 0 && h[2] == 0 && h[3] == 0);
}

/* An access that must be stopped at the access: FC_EMU_EACCESS with the
 * address, the kind and the probing instruction's pc; memory unchanged. */
static void refused(probe_env *p, enum op op, uint32_t addr)
{
    fc_emu_stats st;
    uint32_t n = op == LDW || op == STW || op == AMO ? 4 : 1;
    uint8_t before[4] = {0}, *h = fc_emu_host(p->e, addr, n);
    int want = op == STB || op == STW ? FC_EMU_FAULT_WRITE : op == JMP ? FC_EMU_FAULT_FETCH
                                                                       : FC_EMU_FAULT_READ;
    if (h) {
        memset(h, 0xc3, n);
        memcpy(before, h, n);
    }
    int rc = run_probe(p, op, addr, &st);
    cr_assert_eq(rc, FC_EMU_EACCESS, "target %u op %d at 0x%08x: rc %d, not refused", p->target,
                 op, addr, rc);
    if (op == AMO)       /* a read-modify-write: stopped at its read or its write */
        want = st.fault == FC_EMU_FAULT_WRITE ? FC_EMU_FAULT_WRITE : FC_EMU_FAULT_READ;
    cr_assert_eq(st.fault, want, "target %u op %d at 0x%08x: fault %s", p->target, op, addr,
                 fc_emu_fault_str(st.fault));
    cr_assert_eq(st.fault_addr, op == JMP ? (addr & ~1u) : addr,
                 "target %u op %d at 0x%08x: reported 0x%08x", p->target, op, addr, st.fault_addr);
    if (op != JMP)
        cr_assert_eq(st.pc & ~1u, op_pc(p->target), "target %u op %d at 0x%08x: pc 0x%x",
                     p->target, op, addr, st.pc);
    if (h)
        cr_assert_arr_eq(h, before, n, "target %u: refused write at 0x%08x changed memory",
                         p->target, addr);
}

static const unsigned targets[] = {FC_TARGET_THUMBV7M, FC_TARGET_RV32IMAC};
#define EACH_TARGET(p)                                                                      \
    for (unsigned t_ = 0; t_ < 2; t_++)                                                     \
        for (probe_env p##_s, *p = (open_probe(&p##_s, targets[t_]), &p##_s); p;           \
             fc_emu_close(p->e), p = NULL)

Test(sim_map, last_byte_of_each_region_works)
{
    EACH_TARGET(p) {
        allowed(p, LDB, p->ctx + CTX_LEN - 1);
        allowed(p, STB, p->ctx + CTX_LEN - 1);
        allowed(p, STW, p->ctx + CTX_LEN - 4);
        allowed(p, AMO, p->ctx + 32);
        allowed(p, LDB, p->ro + RO_LEN - 1);
        allowed(p, STB, p->data + DATA_LEN - 1);
        allowed(p, STB, p->data + BSS_OFF);
        allowed(p, STB, p->data + BSS_OFF + BSS_LEN - 1);
        allowed(p, STB, p->extra + EXTRA_LEN - 1);
        allowed(p, STW, p->extra + 4092);
        allowed(p, STB, p->stack_top - 1);
        allowed(p, STB, p->stack_top - 2 * FC_STACK_SIZE);
        allowed(p, LDW, FC_EMU_ENV_ADDR + FC_NENV_SIZE - 4);
        allowed(p, STW, FC_EMU_MSTACK_TOP - 4);
        allowed(p, LDB, FC_EMU_CODE_ADDR);          /* the code itself (literal pools) */
    }
}

Test(sim_map, one_byte_past_a_region_is_caught)
{
    EACH_TARGET(p) {
        refused(p, LDB, p->ctx + CTX_LEN);
        refused(p, STB, p->ctx + CTX_LEN);
        refused(p, STW, p->ctx + CTX_LEN - 3);      /* starts inside, ends outside */
        refused(p, LDB, p->ro + RO_LEN);
        refused(p, STB, p->data + BSS_OFF + BSS_LEN);
        refused(p, STB, p->extra + EXTRA_LEN);
        refused(p, LDW, p->extra + EXTRA_LEN - 2);
        refused(p, AMO, p->ctx + 40);               /* an atomic in the page's tail */
        refused(p, AMO, p->data + DATA_LEN);
    }
}

Test(sim_map, between_regions_is_caught)
{
    EACH_TARGET(p) {
        refused(p, STB, p->data + DATA_LEN);        /* the gap between .data and .bss */
        refused(p, LDB, p->data + BSS_OFF - 1);
        refused(p, STB, p->ctx + 0x1000);           /* the rest of the context area */
        refused(p, LDB, p->ctx + 0x80000);          /* between two areas */
        refused(p, STB, p->ro - 1);
    }
}

Test(sim_map, permissions_are_kept)
{
    EACH_TARGET(p) {
        refused(p, STB, p->ro);                     /* read-only region */
        refused(p, STB, FC_EMU_RT_ADDR + 4);        /* the runtime routines */
        refused(p, STB, FC_EMU_CODE_ADDR + 0x40);   /* the code page (not writable) */
        refused(p, LDB, FC_EMU_HELPER_ADDR);        /* the stub page: execute only */
        refused(p, JMP, p->ctx | (p->target == FC_TARGET_THUMBV7M)); /* data is not code */
    }
}

Test(sim_map, runtime_data_and_stacks_are_bounded)
{
    EACH_TARGET(p) {
        refused(p, LDB, FC_EMU_ENV_ADDR + FC_NENV_SIZE);  /* after the env structure */
        refused(p, STW, FC_EMU_ENV_ADDR + 0x800);
        refused(p, STB, FC_EMU_MSTACK_ADDR - 1);          /* below the machine stack */
        refused(p, STB, FC_EMU_MSTACK_TOP);               /* above it */
        refused(p, STB, p->stack_top - 2 * FC_STACK_SIZE - 1); /* below the deepest frame */
        refused(p, LDB, FC_EMU_STACK_ADDR - 1);           /* below the stack area */
        refused(p, STB, p->stack_top);                    /* above the top */
        refused(p, LDB, FC_EMU_CODE_ADDR + 0x800);        /* past the placed code */
        refused(p, LDB, FC_EMU_CODE_ADDR + 0x10000);
    }
}

Test(sim_map, null_and_top_of_memory_are_caught)
{
    EACH_TARGET(p) {
        refused(p, LDB, 0);
        refused(p, STW, 0);
        refused(p, LDB, 0xffffffffu);
        refused(p, STB, 0xffffffffu);
        refused(p, LDW, 0xfffffffcu);
        refused(p, STB, 0xe000ed00u);                     /* Cortex-M system space: nothing */
        /* (a jump into Cortex-M's execute-never space, 0x40000000 and up,
         * is the core's own fault: FC_EMU_EFAULT) */
        refused(p, JMP, 0x30000000u | (p->target == FC_TARGET_THUMBV7M));
    }
}

/* A region outside the machine's memory cannot be granted. */
Test(sim_map, region_outside_the_machine_is_refused)
{
    EACH_TARGET(p) {
        uint8_t code[32], buf[16];
        uint32_t n = make_code(p->target, LDB, p->ctx, code);
        fc_vm vm;
        fc_emu_stats st;
        uint64_t r0;
        cr_assert_eq(fc_emu_place(p->e, FC_EMU_CODE_ADDR, code, n), 0);
        cr_assert_eq(fc_emu_vm(p->e, &vm, exit_insn, 1), FC_OK);
        cr_assert_eq(fc_vm_add_region(&vm, 0x30000000u, buf, sizeof buf, FC_PERM_RW, FC_REGION_CTX),
                     FC_OK);
        cr_assert_eq(fc_emu_run(p->e, FC_EMU_CODE_ADDR, &vm, 0x30000000u, sizeof buf, &r0, &st),
                     FC_EMU_ESETUP);
        /* writable, at a data area's address but another host buffer: the
         * code and the helpers would see different bytes */
        cr_assert_eq(fc_emu_vm(p->e, &vm, exit_insn, 1), FC_OK);
        cr_assert_eq(fc_vm_add_region(&vm, p->ctx, buf, sizeof buf, FC_PERM_RW, FC_REGION_CTX), FC_OK);
        cr_assert_eq(fc_emu_run(p->e, FC_EMU_CODE_ADDR, &vm, p->ctx, sizeof buf, &r0, &st),
                     FC_EMU_ESETUP);
    }
}

/* ---- the differential runs count such an access as the native code's
 * failure: a stand-in "backend" whose code stores one byte past the context
 * (a bounds check left out), against the interpreter's FC_ERR_MEM_WRITE. */
static unsigned probe_target;
static uint32_t probe_addr;

static size_t probe_work(const fc_prog *p)
{
    (void)p;
    return 0;
}

static int probe_compile(const fc_prog *p, const fc_insn_info *info, const fc_bk_opts *opts,
                         void *work, size_t work_len, fc_bk_out *out, fc_diags *diags)
{
    uint8_t code[32];
    (void)p, (void)info, (void)opts, (void)work, (void)work_len, (void)diags;
    out->code_len = make_code(probe_target, STB, probe_addr, code);
    out->nrelocs = 0;
    out->npcmap = 0;
    if (!out->code || out->code_cap < out->code_len)
        return FC_BK_ENOSPACE;
    memcpy(out->code, code, out->code_len);
    if (out->entry_off)
        out->entry_off[0] = 0;
    return FC_BK_OK;
}

Test(sim_map, differential_run_reports_the_access)
{
    EACH_TARGET(p) {
        fc_backend bk = {"probe", (uint8_t)p->target, "stores past the context", NULL, 4,
                         probe_work, probe_compile, NULL};
        static const fc_insn prog[3] = {{0x72, 0x01, CTX_LEN, 0x5a}, {0xb7, 0, 0, 0}, {0x95, 0, 0, 0}};
        static const uint8_t ctx[CTX_LEN] = {1, 2, 3};
        fc_emu_case c;
        fc_emu_outcome oi, on;
        char msg[300], want[80];
        probe_target = p->target;
        probe_addr = p->ctx + CTX_LEN;
        memset(&c, 0, sizeof c);
        c.insns = prog;
        c.n = 3;
        c.ctx = ctx;
        c.ctx_len = CTX_LEN;
        c.backend = &bk;
        cr_assert_eq(fc_emu_diff(p->e, &c, &oi, &on, msg, sizeof msg), 1, "%s", msg);
        cr_assert_eq(oi.err, FC_ERR_MEM_WRITE);
        cr_assert_eq(oi.err_addr, probe_addr);
        cr_assert_eq(on.err, FC_EMU_EACCESS, "%s", msg);
        snprintf(want, sizeof want, "write of 1 bytes at 0x%08x by pc 0x%x", probe_addr,
                 op_pc(p->target));
        cr_assert(strstr(msg, want), "message \"%s\" lacks \"%s\"", msg, want);
    }
}
