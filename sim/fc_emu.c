/*
 * fc_emu.c - the simulator's machines (see fc_emu.h): Cortex-M3 here, other
 * targets through an fc_emu_arch (RV32IMAC: fc_emu_rv32.c).
 *
 * Memory. Every host buffer the machine can show (stub page, runtime
 * routines, code area, env, machine stack, data areas, fc_emu_map's areas)
 * is a block at a fixed guest address. Unicorn maps a block's pages one by
 * one, and only those that hold bytes the code may touch: the runtime's own
 * (stub, routines, env, machine stack, fc_emu_map's areas), the placed code,
 * and, for one run, the VM's regions and the stack frames; every other page
 * is unmapped (or, once used, mapped with no access: see block), and the
 * blocks are placed with unmapped gaps between them.
 * Unicorn maps whole pages (4 KiB), so the bytes of a mapped page that lie
 * outside every allowed range (after a region's end, between two regions,
 * after the env structure or the code) are refused by one memory hook that
 * checks every data access against the allowed ranges (seg, below). A
 * refused access is recorded with its address and pc, the run is stopped
 * and a refused write is undone: the run ends with FC_EMU_EACCESS. (Placing
 * each region so that it ends at a page end would change the pointers the
 * programs see and still leave the gaps between .data and .bss; guard pages
 * alone cannot refuse the tail of a page.)
 */
#include "fc_emu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "fc_loader.h"
#include "thumb2/t2_enc.h"

/* the runtime routines, compiled for Cortex-M3 at build time (emu.mk) */
extern const uint8_t fc_emu_rt_blob[];
extern const uint32_t fc_emu_rt_blob_len;
extern const uint32_t fc_emu_rt_sym[FC_SYM__COUNT];

#define PAGE 0x1000u
#define MSTACK_SIZE (FC_EMU_MSTACK_TOP - FC_EMU_MSTACK_ADDR)
#define RT_SIZE 0x10000u

/* A host buffer at a fixed guest address; page[k] is what Unicorn maps of
 * its page k now (UC_PROT_* + 1, 0: unmapped). A page once mapped stays
 * mapped for the engine's life, with no access (UC_PROT_NONE) while nothing
 * on it is granted: unmapping it would let Unicorn 2.0.1 give its RAM
 * offset to the next page mapped, with the old page's translation state
 * (stale code bitmaps, leaked at uc_close). */
typedef struct block {
    uint32_t addr, size;
    uint8_t *host;
    uint8_t *page;
} block;

/* A byte range data accesses may touch, with FC_PERM_R/W. */
typedef struct seg {
    uint32_t addr, len;
    unsigned perm;
} seg;

/* blocks: the fixed ones, then fc_emu_map's */
enum { B_STUB, B_RT, B_CODE, B_ENV, B_MSTACK, B_AREA0, B__FIXED = B_AREA0 + FC_EMU__AREAS };
#define MAX_BLOCKS (B__FIXED + FC_EMU_MAX_MAPS)
#define MAX_CODE 8u                                 /* placed code extents */
#define MAX_SEGS (8u + MAX_CODE + FC_MAX_REGIONS + 1u + FC_EMU_MAX_MAPS)
#define MAX_UNDO 8u

struct fc_emu {
    const fc_emu_arch *arch;
    const fc_backend *backend;  /* fc_emu_load_prog's */
    uc_engine *uc;
    uint8_t *mem[FC_EMU__AREAS];
    uint8_t *code, *env, *mstack, *stub, *rt;
    block blk[MAX_BLOCKS];
    unsigned nblk;
    struct { uint32_t addr, len; } placed[MAX_CODE];
    unsigned nplaced;
    seg segs[MAX_SEGS];         /* the allowed ranges now: fixed, code, run */
    unsigned nsegs;
    seg run[FC_MAX_REGIONS + 1];/* the current run's regions and stack */
    unsigned nrun;
    /* the first refused access of a run, and the writes to undo */
    struct { int kind; uint32_t addr, size, pc; } fault;
    struct { uint32_t addr, n; uint8_t old[8]; } undo[MAX_UNDO];
    unsigned nundo;
    uc_hook helper_hook, count_hook, mem_hook, bad_hook;
    int counting;
    uint64_t count;
    uint64_t cap;
    fc_vm *vm;              /* of the current run, for the trampoline */
    uint32_t helper_calls;
    int hook_err;
    uint32_t placements;    /* code placements since the engine was made */
    /* fc_emu_map's areas (blk[B__FIXED..]) and fc_emu_trace's callback (bench/) */
    unsigned nmaps;
    fc_emu_trace_fn trace;
    void *trace_ctx;
};

/* Unicorn 2.0.x can crash in tb_set_jmp_target after a long life with many
 * code replacements (unicorn issues #1923, #2048); a full flush of the
 * translation cache on every replacement avoids it but costs ~40x. So the
 * engine is rebuilt (same host memory) every ENGINE_LIFE placements. */
#define ENGINE_LIFE 256u

static const uint32_t area_addr[FC_EMU__AREAS] = {
    0x20100000u, 0x20200000u, 0x20300000u, 0x20400000u,
    0x20500000u, 0x20600000u, 0x20700000u, FC_EMU_STACK_ADDR,
};

static uint32_t area_size(enum fc_emu_area a)
{
    return a == FC_EMU_STACK ? FC_EMU_STACK_SIZE : FC_EMU_AREA_SIZE;
}

/* The trampoline: r0 = env, r1 = helper id, r2 = frame base. The host does
 * what fc_native_helper does on a device; the stub's BX LR returns. */
static void helper_cb(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    fc_emu *e = user;
    uint32_t r0, r1, r2, ret;
    fc_native_env env;
    (void)address;
    (void)size;
    uc_reg_read(uc, e->arch->reg_arg[0], &r0);
    uc_reg_read(uc, e->arch->reg_arg[1], &r1);
    uc_reg_read(uc, e->arch->reg_arg[2], &r2);
    e->helper_calls++;
    if (r0 != FC_EMU_ENV_ADDR || !e->vm) {
        e->hook_err = 1;
        uc_emu_stop(uc);
        return;
    }
    memcpy(&env, e->env, sizeof env);
    ret = fc_native_helper_vm(e->vm, &env, r1, r2);
    memcpy(e->env, &env, sizeof env);
    uc_reg_write(uc, e->arch->reg_arg[0], &ret);
}

static void count_cb(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    fc_emu *e = user;
    (void)uc;
    e->count++;
    if (e->trace)
        e->trace(e->trace_ctx, (uint32_t)address, fc_emu_host(e, (uint32_t)address, size), size);
}

static uint8_t *alloc_area(uint32_t size)
{
    void *p = NULL;
    uint32_t sz = (size + PAGE - 1) & ~(PAGE - 1);
    if (posix_memalign(&p, PAGE, sz) != 0)
        return NULL;
    memset(p, 0, sz);
    return p;
}

/* ---- the memory map ---------------------------------------------------------- */

static int in_range(uint32_t base, uint32_t size, uint32_t addr, uint32_t len)
{
    return addr >= base && addr - base < size && len <= size - (addr - base);
}

/* the block holding all of [addr, addr + len), or -1 */
static int find_block(const fc_emu *e, uint32_t addr, uint32_t len)
{
    for (unsigned b = 0; b < e->nblk; b++)
        if (e->blk[b].host && in_range(e->blk[b].addr, e->blk[b].size, addr, len ? len : 1))
            return (int)b;
    return -1;
}

static void add_seg(fc_emu *e, uint32_t addr, uint32_t len, unsigned perm)
{
    if (len && e->nsegs < MAX_SEGS)
        e->segs[e->nsegs++] = (seg){addr, len, perm};
}

/* The allowed ranges: the current run's first (the hot ones), the runtime's
 * data, the code and the routines (read-only: literal pools), fc_emu_map's
 * areas. The stub page is executable but not readable. */
static void build_segs(fc_emu *e)
{
    e->nsegs = 0;
    for (unsigned k = 0; k < e->nrun; k++)
        add_seg(e, e->run[k].addr, e->run[k].len, e->run[k].perm);
    add_seg(e, FC_EMU_MSTACK_ADDR, MSTACK_SIZE, FC_PERM_RW);
    add_seg(e, FC_EMU_ENV_ADDR, FC_NENV_SIZE, FC_PERM_RW);
    for (unsigned k = 0; k < e->nplaced; k++)
        add_seg(e, e->placed[k].addr, e->placed[k].len, FC_PERM_R);
    add_seg(e, FC_EMU_RT_ADDR, *e->arch->rt_blob_len, FC_PERM_R);
    for (unsigned b = B__FIXED; b < e->nblk; b++)
        add_seg(e, e->blk[b].addr, e->blk[b].size, FC_PERM_RW);
}

static int touches(uint32_t addr, uint32_t len, uint32_t page)
{
    return len && addr < page + PAGE && (page <= addr || page - addr < len);
}

/* what page `page` (guest address) of block b must be mapped as; 0: unmapped */
static uint32_t want_prot(const fc_emu *e, unsigned b, uint32_t page)
{
    uint32_t prot = 0;
    switch (b) {
    case B_STUB: return UC_PROT_READ | UC_PROT_EXEC;
    case B_RT: return page - FC_EMU_RT_ADDR < *e->arch->rt_blob_len ? UC_PROT_READ | UC_PROT_EXEC : 0;
    case B_ENV: case B_MSTACK: return UC_PROT_READ | UC_PROT_WRITE;
    case B_CODE:
        for (unsigned k = 0; k < e->nplaced; k++)
            if (touches(e->placed[k].addr, e->placed[k].len, page))
                return UC_PROT_READ | UC_PROT_EXEC;
        break;
    default:
        if (b >= B__FIXED)
            return UC_PROT_ALL;
    }
    /* regions of the run: in a data area read(-write), in the code area
     * (read-only data executed in place from flash) read-execute */
    for (unsigned k = 0; k < e->nrun; k++)
        if (touches(e->run[k].addr, e->run[k].len, page))
            prot |= b == B_CODE ? UC_PROT_READ | UC_PROT_EXEC
                                : UC_PROT_READ | (e->run[k].perm & FC_PERM_W ? UC_PROT_WRITE : 0);
    return prot;
}

/* Make Unicorn's map what want_prot says, page by page. */
static int sync_map(fc_emu *e)
{
    for (unsigned b = 0; b < e->nblk; b++) {
        block *bl = &e->blk[b];
        for (uint32_t k = 0; bl->host && k < bl->size / PAGE; k++) {
            uint32_t page = bl->addr + k * PAGE, w = want_prot(e, b, page);
            uint8_t st = (uint8_t)(w + 1);
            if (st == bl->page[k] || (!w && !bl->page[k]))
                continue;
            if (bl->page[k] ? uc_mem_protect(e->uc, page, PAGE, w) != UC_ERR_OK
                            : uc_mem_map_ptr(e->uc, page, PAGE, w, bl->host + k * PAGE) != UC_ERR_OK)
                return -1;
            bl->page[k] = st;
        }
    }
    return 0;
}

static void set_fault(fc_emu *e, uc_engine *uc, int kind, uint64_t addr, int size)
{
    uint32_t pc = 0;
    uc_reg_read(uc, e->arch->reg_pc, &pc);
    e->fault.kind = kind;
    e->fault.addr = (uint32_t)addr;
    e->fault.size = size > 0 ? (uint32_t)size : 0;
    e->fault.pc = pc;
}

/* Every data access (UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, the whole space):
 * inside one allowed range with the permission, or refused. Unicorn calls
 * a write hook before the store: its old bytes are kept and put back after
 * the run, as are those of every later write of the stopped run. */
static void mem_cb(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                   void *user)
{
    fc_emu *e = user;
    uint32_t a = (uint32_t)addr, n = size > 0 ? (uint32_t)size : 1u;
    unsigned need = type == UC_MEM_WRITE ? FC_PERM_W : FC_PERM_R;
    (void)value;
    if (!e->fault.kind) {
        for (unsigned k = 0; k < e->nsegs; k++) {
            const seg *g = &e->segs[k];
            if ((g->perm & need) == need && in_range(g->addr, g->len, a, n))
                return;
        }
        set_fault(e, uc, type == UC_MEM_WRITE ? FC_EMU_FAULT_WRITE : FC_EMU_FAULT_READ, addr, size);
        uc_emu_stop(uc);
    }
    if (type == UC_MEM_WRITE && e->nundo < MAX_UNDO) {
        uint8_t *h = fc_emu_host(e, a, n > 8 ? 8 : n);
        if (h) {
            e->undo[e->nundo].addr = a;
            e->undo[e->nundo].n = n > 8 ? 8 : n;
            memcpy(e->undo[e->nundo].old, h, e->undo[e->nundo].n);
            e->nundo++;
        }
    }
}

/* An access to an unmapped page, or against a page's protection: the run
 * stops there (false) with a Unicorn error. */
static bool bad_cb(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                   void *user)
{
    fc_emu *e = user;
    (void)value;
    if (!e->fault.kind)
        set_fault(e, uc,
                  type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT ? FC_EMU_FAULT_FETCH
                  : type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT ? FC_EMU_FAULT_WRITE
                  : FC_EMU_FAULT_READ,
                  addr, size);
    return false;
}

/* Before a run: no fault yet; the map for the run's regions. */
static int begin_run(fc_emu *e)
{
    e->fault.kind = 0;
    e->nundo = 0;
    build_segs(e);
    return sync_map(e);
}

/* After a run: put back the writes after a refused access. */
static void end_run(fc_emu *e, fc_emu_stats *st)
{
    while (e->nundo) {
        e->nundo--;
        uint8_t *h = fc_emu_host(e, e->undo[e->nundo].addr, e->undo[e->nundo].n);
        if (h)
            memcpy(h, e->undo[e->nundo].old, e->undo[e->nundo].n);
    }
    st->fault = e->fault.kind;
    st->fault_addr = e->fault.addr;
    st->fault_size = e->fault.size;
    if (e->fault.kind)
        st->pc = e->fault.pc;
}

/* a fresh Unicorn engine over the existing host memory */
static int engine_up(fc_emu *e, char *err, size_t errlen)
{
    uc_err u = uc_open((uc_arch)e->arch->uc_arch, (uc_mode)e->arch->uc_mode, &e->uc);
    /* trap 1: the CPU model at once; UC_MODE_MCLASS would run a Cortex-M33 */
    if (u == UC_ERR_OK)
        u = uc_ctl_set_cpu_model(e->uc, e->arch->uc_cpu);
    if (u != UC_ERR_OK) {
        snprintf(err, errlen, "unicorn: %s", uc_strerror(u));
        return -1;
    }
    for (unsigned b = 0; b < e->nblk; b++)
        if (e->blk[b].page)
            memset(e->blk[b].page, 0, e->blk[b].size / PAGE);
    build_segs(e);
    if (sync_map(e)) {
        snprintf(err, errlen, "unicorn: cannot map the device memory");
        return -1;
    }
    u = uc_hook_add(e->uc, &e->helper_hook, UC_HOOK_CODE, (void *)helper_cb, e,
                    FC_EMU_HELPER_ADDR, FC_EMU_HELPER_ADDR + 1);
    if (u == UC_ERR_OK)
        u = uc_hook_add(e->uc, &e->mem_hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)mem_cb,
                        e, 1, 0);
    if (u == UC_ERR_OK)
        u = uc_hook_add(e->uc, &e->bad_hook, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT,
                        (void *)bad_cb, e, 1, 0);
    if (u == UC_ERR_OK && e->counting)
        u = uc_hook_add(e->uc, &e->count_hook, UC_HOOK_CODE, (void *)count_cb, e, 1, 0);
    if (u != UC_ERR_OK) {
        snprintf(err, errlen, "unicorn: hook: %s", uc_strerror(u));
        return -1;
    }
    e->placements = 0;
    return 0;
}

static void engine_down(fc_emu *e)
{
    if (e->uc)
        uc_close(e->uc);
    e->uc = NULL;
}

/* Cortex-M3: the trampoline stub is BX LR (the hook runs first), the
 * sentinel B . */
static void thumb_stubs(uint8_t *page)
{
    t2_put(page + (FC_EMU_HELPER_ADDR - FC_EMU_STUB_ADDR), t2_bx(T2_LR));
    t2_put(page + (FC_EMU_SENTINEL - FC_EMU_STUB_ADDR), t2_b16(-4));
}

static int thumb_before(struct uc_struct *uc)
{
    uint32_t zero = 0;
    return uc_reg_write(uc, UC_ARM_REG_PRIMASK, &zero) == UC_ERR_OK ? 0 : -1;
}

static const fc_emu_arch arch_thumbv7m = {
    .target = FC_TARGET_THUMBV7M,
    .backend = &fc_backend_thumbv7m,
    .uc_arch = UC_ARCH_ARM,
    .uc_mode = UC_MODE_THUMB,
    .uc_cpu = UC_CPU_ARM_CORTEX_M3,
    .reg_arg = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2},
    .reg_sp = UC_ARM_REG_SP,
    .reg_ret = UC_ARM_REG_LR,
    .reg_pc = UC_ARM_REG_PC,
    .code_bit = 1,
    .rt_blob = fc_emu_rt_blob,
    .rt_blob_len = &fc_emu_rt_blob_len,
    .rt_sym = fc_emu_rt_sym,
    .stubs = thumb_stubs,
    .before = thumb_before,
    .after = NULL,
};

fc_emu *fc_emu_open(char *err, size_t errlen)
{
    return fc_emu_open_target(FC_TARGET_THUMBV7M, err, errlen);
}

fc_emu *fc_emu_open_target(unsigned target, char *err, size_t errlen)
{
    const fc_emu_arch *arch = target == FC_TARGET_THUMBV7M ? &arch_thumbv7m
                            : target == FC_TARGET_RV32IMAC ? &fc_emu_arch_rv32imac : NULL;
    if (!arch) {
        snprintf(err, errlen, "no emulator for target %u", target);
        return NULL;
    }
    fc_emu *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    e->arch = arch;
    e->backend = arch->backend;
    e->cap = 200000000u;
    e->stub = alloc_area(PAGE);
    e->rt = alloc_area(RT_SIZE);
    e->code = alloc_area(FC_EMU_CODE_SIZE);
    e->env = alloc_area(PAGE);
    e->mstack = alloc_area(MSTACK_SIZE);
    int bad = !e->stub || !e->rt || !e->code || !e->env || !e->mstack ||
              *arch->rt_blob_len > RT_SIZE;
    for (unsigned a = 0; a < FC_EMU__AREAS; a++)
        bad |= !(e->mem[a] = alloc_area(area_size(a)));
    e->blk[B_STUB] = (block){FC_EMU_STUB_ADDR, PAGE, e->stub, NULL};
    e->blk[B_RT] = (block){FC_EMU_RT_ADDR, RT_SIZE, e->rt, NULL};
    e->blk[B_CODE] = (block){FC_EMU_CODE_ADDR, FC_EMU_CODE_SIZE, e->code, NULL};
    e->blk[B_ENV] = (block){FC_EMU_ENV_ADDR, PAGE, e->env, NULL};
    e->blk[B_MSTACK] = (block){FC_EMU_MSTACK_ADDR, MSTACK_SIZE, e->mstack, NULL};
    for (unsigned a = 0; a < FC_EMU__AREAS; a++)
        e->blk[B_AREA0 + a] = (block){area_addr[a], area_size(a), e->mem[a], NULL};
    e->nblk = B__FIXED;
    for (unsigned b = 0; b < e->nblk; b++)
        bad |= !(e->blk[b].page = calloc(e->blk[b].size / PAGE, 1));
    if (bad) {
        snprintf(err, errlen, "out of memory");
        fc_emu_close(e);
        return NULL;
    }
    arch->stubs(e->stub);
    memcpy(e->rt, arch->rt_blob, *arch->rt_blob_len);
    if (engine_up(e, err, errlen)) {
        fc_emu_close(e);
        return NULL;
    }
    return e;
}

void fc_emu_close(fc_emu *e)
{
    if (!e)
        return;
    engine_down(e);
    for (unsigned a = 0; a < FC_EMU__AREAS; a++)
        free(e->mem[a]);
    for (unsigned b = 0; b < e->nblk; b++) {
        free(e->blk[b].page);
        if (b >= B__FIXED)
            free(e->blk[b].host);
    }
    free(e->code);
    free(e->env);
    free(e->mstack);
    free(e->stub);
    free(e->rt);
    free(e);
}

uint8_t *fc_emu_area(fc_emu *e, enum fc_emu_area a, uint32_t *addr, uint32_t *size)
{
    if ((unsigned)a >= FC_EMU__AREAS)
        return NULL;
    if (addr)
        *addr = area_addr[a];
    if (size)
        *size = area_size(a);
    return e->mem[a];
}

void fc_emu_symbols(const fc_emu *e, uint32_t sym[FC_SYM__COUNT])
{
    for (unsigned k = 0; k < FC_SYM__COUNT; k++)
        sym[k] = e->arch->rt_sym[k];
    sym[FC_SYM_HELPER] = FC_EMU_HELPER_ADDR | e->arch->code_bit;
    sym[FC_SYM_RODATA] = area_addr[FC_EMU_RODATA];
    sym[FC_SYM_DATA] = area_addr[FC_EMU_DATA];
    sym[FC_SYM_BSS] = area_addr[FC_EMU_BSS];
}

/* ---- relocation (the harness's own; the device uses runtime/fc_loader.c) */

static int patch_imm16(uint8_t *p, uint32_t want, uint32_t v)
{
    uint32_t enc = t2_rd32(p);
    if ((enc & 0xfbf08000u) != want)
        return -1;
    enc &= ~0x040f70ffu;   /* i, imm4, imm3, imm8 */
    enc |= (v >> 12 & 0xfu) << 16 | (v >> 11 & 1u) << 26 | (v >> 8 & 7u) << 12 | (v & 0xffu);
    t2_wr32(p, enc);
    return 0;
}

int fc_emu_relocate(uint8_t *code, uint32_t len, uint32_t code_addr, const fc_bk_reloc *rel,
                    uint32_t nrel, const uint32_t sym[FC_SYM__COUNT], char *err, size_t errlen)
{
    for (uint32_t k = 0; k < nrel; k++) {
        const fc_bk_reloc *r = &rel[k];
        uint32_t v, place = code_addr + r->offset;
        if (r->sym >= FC_SYM__COUNT || !sym[r->sym]) {
            snprintf(err, errlen, "relocation %u: symbol %u not provided", k, r->sym);
            return -1;
        }
        v = sym[r->sym] + (uint32_t)r->addend;
        switch (r->kind) {
        case FC_RELOC_ABS32:
            if (r->offset + 4 > len) goto range;
            code[r->offset] = (uint8_t)v;
            code[r->offset + 1] = (uint8_t)(v >> 8);
            code[r->offset + 2] = (uint8_t)(v >> 16);
            code[r->offset + 3] = (uint8_t)(v >> 24);
            break;
        case FC_RELOC_THM_CALL: {
            int64_t d = (int64_t)(v & ~1u) - ((int64_t)place + 4);
            if (r->offset + 4 > len) goto range;
            if ((t2_rd32(code + r->offset) & 0xf800d000u) != 0xf000d000u) {
                snprintf(err, errlen, "relocation %u: not a BL at 0x%x", k, r->offset);
                return -1;
            }
            if (d < -16777216 || d > 16777214) {
                snprintf(err, errlen, "relocation %u: BL out of range", k);
                return -1;
            }
            t2_wr32(code + r->offset, t2_bl((int32_t)d));
            break;
        }
        case FC_RELOC_THM_MOVW_MOVT:
            if (r->offset + 8 > len) goto range;
            if (patch_imm16(code + r->offset, 0xf2400000u, v & 0xffffu) ||
                patch_imm16(code + r->offset + 4, 0xf2c00000u, v >> 16)) {
                snprintf(err, errlen, "relocation %u: not MOVW/MOVT at 0x%x", k, r->offset);
                return -1;
            }
            break;
        case FC_RELOC_RV_CALL:
        case FC_RELOC_RV_HI20_LO12:
            /* the device loader's own RV32 patcher (runtime/fc_reloc_rv32.c) */
            if (r->offset + 8 > len) goto range;
            if (fc_reloc_rv32(r->kind, code + r->offset, place, v) != FC_OK) {
                snprintf(err, errlen, "relocation %u: not AUIPC/JALR or LUI/ADDI at 0x%x", k,
                         r->offset);
                return -1;
            }
            break;
        default:
            snprintf(err, errlen, "relocation %u: kind %u is not a Thumb-2 or RV32 kind", k,
                     r->kind);
            return -1;
        }
        continue;
    range:
        snprintf(err, errlen, "relocation %u: offset 0x%x outside the code", k, r->offset);
        return -1;
    }
    return 0;
}

int fc_emu_place(fc_emu *e, uint32_t addr, const uint8_t *code, uint32_t len)
{
    if (addr < FC_EMU_CODE_ADDR || addr - FC_EMU_CODE_ADDR > FC_EMU_CODE_SIZE ||
        len > FC_EMU_CODE_SIZE - (addr - FC_EMU_CODE_ADDR))
        return -1;
    if (++e->placements >= ENGINE_LIFE) {
        char err[120];
        engine_down(e);
        if (engine_up(e, err, sizeof err))
            return -1;
    }
    memcpy(e->code + (addr - FC_EMU_CODE_ADDR), code, len);
    /* the new code replaces the placed code it overlaps; its pages are mapped */
    unsigned k = 0;
    for (unsigned j = 0; j < e->nplaced; j++)
        if (!(e->placed[j].addr < addr + len && addr < e->placed[j].addr + e->placed[j].len))
            e->placed[k++] = e->placed[j];
    e->nplaced = k;
    if (len && e->nplaced == MAX_CODE)
        return -1;
    if (len) {
        e->placed[e->nplaced].addr = addr;
        e->placed[e->nplaced].len = len;
        e->nplaced++;
    }
    build_segs(e);
    if (sync_map(e))
        return -1;
    fc_emu_flush(e, addr, len);
    return 0;
}

void fc_emu_set_backend(fc_emu *e, const fc_backend *b)
{
    e->backend = b && b->target == e->arch->target ? b : e->arch->backend;
}

void fc_emu_count(fc_emu *e, int on)
{
    if (on && !e->counting) {
        if (uc_hook_add(e->uc, &e->count_hook, UC_HOOK_CODE, (void *)count_cb, e, 1, 0) ==
            UC_ERR_OK)
            e->counting = 1;
    } else if (!on && e->counting) {
        uc_hook_del(e->uc, e->count_hook);
        e->counting = 0;
    }
}

void fc_emu_cap(fc_emu *e, uint64_t max_insns)
{
    e->cap = max_insns;
}

/* One granted range of a run: inside one block, and for a writable one the
 * same bytes the VM (its helpers) sees. */
static int grant(fc_emu *e, uint64_t addr, const uint8_t *host, uint32_t len, unsigned perm)
{
    int b;
    if (!len)
        return 0;
    if (addr > UINT32_MAX || (b = find_block(e, (uint32_t)addr, len)) < 0 ||
        e->nrun > FC_MAX_REGIONS)
        return -1;
    if ((perm & FC_PERM_W) &&
        (b == B_CODE || b < B_ENV || host != e->blk[b].host + ((uint32_t)addr - e->blk[b].addr)))
        return -1;
    e->run[e->nrun++] = (seg){(uint32_t)addr, len, perm & FC_PERM_RW};
    return 0;
}

/* The run's ranges: vm's regions, and the stack frames [floor, top) (the
 * deepest frame the run may reach; which frames are live is the code's
 * check, not the map's). */
static int grant_run(fc_emu *e, const fc_vm *vm, const fc_native_env *env)
{
    uint32_t floor = env->stack_floor, top = env->regs[10][0];
    e->nrun = 0;
    for (uint32_t k = 0; k < vm->nregions && k < FC_MAX_REGIONS; k++)
        if (grant(e, vm->regions[k].addr, vm->regions[k].host, vm->regions[k].len,
                  vm->regions[k].perm))
            return -1;
    if (floor < vm->stack_addr || top < floor)
        return -1;
    return grant(e, floor, vm->stack + (floor - vm->stack_addr), top - floor, FC_PERM_RW);
}

int fc_emu_run(fc_emu *e, uint32_t entry, fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len,
               uint64_t *r0, fc_emu_stats *stats)
{
    fc_native_env env;
    uint32_t reg, ret, pc;
    uc_err u;
    int rc;
    fc_emu_stats st;

    memset(&st, 0, sizeof st);
    rc = fc_native_env_init(&env, vm, ctx_addr, ctx_len);
    if (rc != FC_OK) {
        if (stats) *stats = st;
        return FC_EMU_ESETUP;
    }
    if (grant_run(e, vm, &env) || begin_run(e)) {
        e->nrun = 0;
        if (stats) *stats = st;
        return FC_EMU_ESETUP;
    }
    memcpy(e->env, &env, sizeof env);
    e->vm = vm;
    e->count = 0;
    e->helper_calls = 0;
    e->hook_err = 0;

    reg = FC_EMU_ENV_ADDR;
    uc_reg_write(e->uc, e->arch->reg_arg[0], &reg);
    reg = FC_EMU_MSTACK_TOP;
    uc_reg_write(e->uc, e->arch->reg_sp, &reg);
    reg = FC_EMU_SENTINEL | e->arch->code_bit;
    uc_reg_write(e->uc, e->arch->reg_ret, &reg);
    if (e->arch->before(e->uc))
        e->hook_err = 1;
    /* trap 3: bounded by an instruction count, never a timeout */
    u = e->hook_err ? UC_ERR_OK
                    : uc_emu_start(e->uc, entry | e->arch->code_bit, FC_EMU_SENTINEL, 0, e->cap);
    uc_reg_read(e->uc, e->arch->reg_pc, &pc);
    uc_reg_read(e->uc, e->arch->reg_arg[0], &ret);
    st.pc = pc;
    st.insns = e->count;
    st.helper_calls = e->helper_calls;
    e->vm = NULL;
    end_run(e, &st);
    if (st.fault) {
        st.uc_err = (int)u;
        if (stats) *stats = st;
        fc_native_env_finish(&env, vm, FC_ERR_BAD_ARG, NULL);
        return FC_EMU_EACCESS;
    }
    if (u != UC_ERR_OK || e->hook_err) {
        st.uc_err = u != UC_ERR_OK ? (int)u : -1;
        if (stats) *stats = st;
        fc_native_env_finish(&env, vm, FC_ERR_BAD_ARG, NULL);
        return FC_EMU_EFAULT;
    }
    if ((pc & ~1u) != FC_EMU_SENTINEL) {
        if (stats) *stats = st;
        fc_native_env_finish(&env, vm, FC_ERR_BAD_ARG, NULL);
        return FC_EMU_ECAP;
    }
    if (stats)
        *stats = st;
    memcpy(&env, e->env, sizeof env);
    if (ret != env.err || (e->arch->after && e->arch->after(e->uc)))
        return FC_EMU_EFAULT;    /* the code broke the convention */
    return fc_native_env_finish(&env, vm, ret, r0);
}

int fc_emu_vm(fc_emu *e, fc_vm *vm, const fc_insn *insns, uint32_t n)
{
    int rc = fc_vm_init(vm, insns, n, e->mem[FC_EMU_STACK], FC_EMU_STACK_SIZE);
    if (rc == FC_OK)
        vm->stack_addr = FC_EMU_STACK_ADDR;
    return rc;
}

/* ---- programs ------------------------------------------------------------- */

int fc_emu_load_prog(fc_emu *e, const fc_prog *p, const fc_insn_info *info,
                     const fc_bk_opts *opts, uint32_t *entry, fc_bk_out *stats,
                     char *err, size_t errlen)
{
    const fc_backend *b = e->backend;
    size_t wl = b->work_size(p);
    void *work = malloc(wl ? wl : 1);
    fc_bk_out out;
    fc_diag dg[4];
    fc_diags diags = {dg, 4, 0, 0, 0};
    uint32_t sym[FC_SYM__COUNT], eoff = 0;
    int rc;

    memset(&out, 0, sizeof out);
    if (!work) {
        snprintf(err, errlen, "out of memory");
        return FC_BK_EWORK;
    }
    rc = b->compile(p, info, opts, work, wl, &out, &diags);       /* measure */
    if (rc == FC_BK_ENOSPACE) {
        out.code = malloc(out.code_len ? out.code_len : 1);
        out.code_cap = out.code_len;
        out.relocs = malloc(sizeof *out.relocs * (out.nrelocs + 1));
        out.relocs_cap = out.nrelocs;
        out.pcmap = NULL;
        out.pcmap_cap = 0;
        out.entry_off = &eoff;
        if (!out.code || !out.relocs)
            rc = FC_BK_EWORK;
        else
            rc = b->compile(p, info, opts, work, wl, &out, &diags);
    }
    free(work);
    if (rc != FC_BK_OK) {
        snprintf(err, errlen, "%s backend: status %d%s%s", b->name, rc, diags.n ? ": " : "",
                 diags.n ? dg[0].msg : "");
        free(out.code);
        free(out.relocs);
        return rc;
    }
    fc_emu_symbols(e, sym);
    if (fc_emu_relocate(out.code, out.code_len, FC_EMU_CODE_ADDR, out.relocs, out.nrelocs, sym,
                        err, errlen) ||
        fc_emu_place(e, FC_EMU_CODE_ADDR, out.code, out.code_len)) {
        free(out.code);
        free(out.relocs);
        return -1;
    }
    *entry = FC_EMU_CODE_ADDR + eoff;
    if (stats) {
        *stats = out;
        stats->code = NULL;
        stats->relocs = NULL;
        stats->pcmap = NULL;
        stats->entry_off = NULL;
    }
    free(out.code);
    free(out.relocs);
    return FC_BK_OK;
}

/* ---- differential runs ------------------------------------------------------ */

typedef struct side {
    uint8_t *area[FC_EMU__AREAS];   /* host memory for each area */
} side;

static int setup_vm(fc_vm *vm, const fc_emu_case *c, uint8_t *const area[FC_EMU__AREAS],
                    uint64_t *ctx_addr)
{
    int rc = fc_vm_init(vm, c->insns, c->n, area[FC_EMU_STACK], FC_EMU_STACK_SIZE);
    if (rc != FC_OK)
        return rc;
    vm->stack_addr = FC_EMU_STACK_ADDR;
    if (c->max_depth)
        vm->max_depth = c->max_depth;
    vm->budget = c->budget ? c->budget : FC_DEFAULT_BUDGET;
    fc_vm_set_helpers(vm, c->helpers, c->nhelpers, c->allow, c->nallow);
    *ctx_addr = 0;
    if (c->ctx_len) {
        rc = fc_vm_add_region(vm, area_addr[FC_EMU_CTX], area[FC_EMU_CTX], c->ctx_len,
                              c->ctx_perm ? c->ctx_perm : FC_PERM_RW, FC_REGION_CTX);
        *ctx_addr = area_addr[FC_EMU_CTX];
    }
    if (rc == FC_OK && c->rodata)
        rc = fc_vm_add_region(vm, area_addr[FC_EMU_RODATA], area[FC_EMU_RODATA], c->rodata_len,
                              FC_PERM_R, FC_REGION_RODATA);
    if (rc == FC_OK && c->data)
        rc = fc_vm_add_region(vm, area_addr[FC_EMU_DATA], area[FC_EMU_DATA], c->data_len,
                              FC_PERM_RW, FC_REGION_DATA);
    if (rc == FC_OK && c->bss_len)
        rc = fc_vm_add_region(vm, area_addr[FC_EMU_BSS], area[FC_EMU_BSS], c->bss_len,
                              FC_PERM_RW, FC_REGION_BSS);
    return rc;
}

static void fill(uint8_t *const area[FC_EMU__AREAS], const fc_emu_case *c)
{
    for (unsigned a = 0; a < FC_EMU__AREAS; a++)
        memset(area[a], 0xa5, area_size(a));   /* outside the regions: a pattern */
    if (c->ctx_len)
        memcpy(area[FC_EMU_CTX], c->ctx, c->ctx_len);
    if (c->rodata)
        memcpy(area[FC_EMU_RODATA], c->rodata, c->rodata_len);
    if (c->data)
        memcpy(area[FC_EMU_DATA], c->data, c->data_len);
    if (c->bss_len)
        memset(area[FC_EMU_BSS], 0, c->bss_len);
}

static const char *err_name(int err)
{
    switch (err) {
    case FC_EMU_EFAULT: return "machine fault";
    case FC_EMU_ECAP: return "instruction cap";
    case FC_EMU_ESETUP: return "set-up failure";
    case FC_EMU_EACCESS: return "access outside the map";
    default: return fc_err_str(err);
    }
}

const char *fc_emu_fault_str(int fault)
{
    switch (fault) {
    case FC_EMU_FAULT_READ: return "read";
    case FC_EMU_FAULT_WRITE: return "write";
    case FC_EMU_FAULT_FETCH: return "fetch";
    }
    return "no fault";
}

int fc_emu_case_vm(fc_emu *e, const fc_emu_case *c, fc_vm *vm, uint64_t *ctx_addr)
{
    fill(e->mem, c);
    return setup_vm(vm, c, e->mem, ctx_addr);
}

static void outcome(fc_emu_outcome *o, int rc, uint64_t r0, const fc_vm *vm, uint64_t insns)
{
    o->err = rc;
    o->r0 = rc == FC_OK ? r0 : 0;
    o->err_pc = rc == FC_OK ? 0 : vm->err_pc;
    o->err_addr = rc == FC_OK ? 0 : vm->err_addr;
    o->budget_left = vm->budget_left;
    o->insns = insns;
}

int fc_emu_diff(fc_emu *e, const fc_emu_case *c, fc_emu_outcome *oi, fc_emu_outcome *on,
                char *msg, size_t msglen)
{
    uint8_t *host[FC_EMU__AREAS];
    fc_vm vi, vn;
    uint64_t ctx_i, ctx_n, r0i = 0, r0n = 0;
    fc_prog p;
    fc_bk_opts opts;
    fc_bk_out st;
    fc_emu_stats es;
    uint32_t entry;
    int rc, diff = 0;

    memset(oi, 0, sizeof *oi);
    memset(on, 0, sizeof *on);
    msg[0] = 0;
    for (unsigned a = 0; a < FC_EMU__AREAS; a++) {
        host[a] = malloc(area_size(a));
        if (!host[a]) {
            while (a--) free(host[a]);
            snprintf(msg, msglen, "out of memory");
            return -1;
        }
    }

    /* the interpreter on host copies */
    fill(host, c);
    rc = setup_vm(&vi, c, host, &ctx_i);
    if (rc == FC_OK)
        rc = fc_vm_run(&vi, ctx_i, c->ctx_len, &r0i);
    outcome(oi, rc, r0i, &vi, vi.insn_count);

    /* the backend in the emulator */
    memset(&p, 0, sizeof p);
    p.insns = (fc_insn *)(uintptr_t)c->insns;
    p.ninsns = c->n;
    memset(&opts, 0, sizeof opts);
    opts.flags = c->bk_flags;
    const fc_backend *keep = e->backend;
    if (c->backend)
        e->backend = c->backend;
    rc = fc_emu_load_prog(e, &p, c->info, &opts, &entry, &st, msg, msglen);
    const char *bn = e->backend->name;
    e->backend = keep;
    if (rc != FC_BK_OK) {
        for (unsigned a = 0; a < FC_EMU__AREAS; a++) free(host[a]);
        return -1;
    }
    on->code_len = st.code_len;
    memset(&es, 0, sizeof es);
    rc = fc_emu_case_vm(e, c, &vn, &ctx_n);
    if (rc == FC_OK)
        rc = fc_emu_run(e, entry, &vn, ctx_n, c->ctx_len, &r0n, &es);
    outcome(on, rc, r0n, &vn, es.insns);

    if (on->err == FC_EMU_EACCESS) {
        snprintf(msg, msglen, "native run: %s: %s of %u bytes at 0x%08x by pc 0x%x", err_name(on->err),
                 fc_emu_fault_str(es.fault), es.fault_size, es.fault_addr, es.pc);
        diff = 1;
    } else if (on->err < 0) {
        snprintf(msg, msglen, "native run: %s (pc 0x%x, unicorn error %d)", err_name(on->err), es.pc,
                 es.uc_err);
        diff = 1;
    } else if (oi->err != on->err || oi->r0 != on->r0 || oi->err_pc != on->err_pc) {
        snprintf(msg, msglen,
                 "interp: %s r0=0x%llx pc=%u / %s: %s r0=0x%llx pc=%u", err_name(oi->err),
                 (unsigned long long)oi->r0, oi->err_pc, bn, err_name(on->err),
                 (unsigned long long)on->r0, on->err_pc);
        diff = 1;
    } else if (oi->budget_left != on->budget_left) {
        snprintf(msg, msglen, "budget left: interp %llu, %s %llu",
                 (unsigned long long)oi->budget_left, bn, (unsigned long long)on->budget_left);
        diff = 1;
    } else if ((oi->err == FC_ERR_MEM_READ || oi->err == FC_ERR_MEM_WRITE) &&
               oi->err_addr != on->err_addr) {
        snprintf(msg, msglen, "fault address: interp 0x%llx, %s 0x%llx",
                 (unsigned long long)oi->err_addr, bn, (unsigned long long)on->err_addr);
        diff = 1;
    } else {
        static const enum fc_emu_area cmp[] = {FC_EMU_CTX, FC_EMU_DATA, FC_EMU_BSS, FC_EMU_STACK};
        for (unsigned k = 0; k < sizeof cmp / sizeof cmp[0] && !diff; k++) {
            enum fc_emu_area a = cmp[k];
            uint32_t sz = area_size(a);
            if (memcmp(host[a], e->mem[a], sz) != 0) {
                uint32_t at = 0;
                /* Stack bytes no engine wrote may be zeroed by one (native
                 * code clears its frames, the interpreter only what a run
                 * reaches: docs/sandbox.md section 3) and still hold the
                 * fill pattern in the other: no program can tell, so a
                 * zero against the pattern is no difference there. */
                while (at < sz && (host[a][at] == e->mem[a][at] ||
                                   (a == FC_EMU_STACK &&
                                    (host[a][at] | e->mem[a][at]) == 0xa5 &&
                                    (host[a][at] == 0 || e->mem[a][at] == 0))))
                    at++;
                if (at == sz)
                    continue;
                snprintf(msg, msglen, "memory differs at 0x%08x: interp 0x%02x, %s 0x%02x",
                         area_addr[a] + at, host[a][at], bn, e->mem[a][at]);
                diff = 1;
            }
        }
    }
    for (unsigned a = 0; a < FC_EMU__AREAS; a++) free(host[a]);
    return diff;
}

/* ---- whole-firmware runs (bench/) ------------------------------------------ */

uint8_t *fc_emu_map(fc_emu *e, uint32_t addr, uint32_t size)
{
    block *bl;
    if (e->nmaps >= FC_EMU_MAX_MAPS || !size || (addr | size) & (PAGE - 1) ||
        (uint64_t)addr + size > 0x100000000ull || find_block(e, addr, 1) >= 0 ||
        find_block(e, addr + size - 1, 1) >= 0)
        return NULL;
    bl = &e->blk[e->nblk];
    bl->addr = addr;
    bl->size = size;
    bl->host = alloc_area(size);
    bl->page = calloc(size / PAGE, 1);
    if (!bl->host || !bl->page) {
        free(bl->host);
        free(bl->page);
        return NULL;
    }
    e->nblk++;
    e->nmaps++;
    build_segs(e);
    if (sync_map(e))
        return NULL;
    return bl->host;
}

/* Trap 2: Unicorn keeps translated blocks of the old bytes unless told.
 * Page by page and only mapped pages: Unicorn 2.0.1 turns the range's start
 * into its RAM offset and assumes the rest follows in the same RAM block,
 * which is not so for pages mapped one by one. */
void fc_emu_flush(fc_emu *e, uint32_t addr, uint32_t len)
{
    uint64_t end = (uint64_t)addr + len;
    for (uint64_t a = addr; a < end; a = (a & ~(uint64_t)(PAGE - 1)) + PAGE) {
        int b = find_block(e, (uint32_t)a, 1);
        uint64_t stop = (a & ~(uint64_t)(PAGE - 1)) + PAGE;
        if (b >= 0 && e->blk[b].page[((uint32_t)a - e->blk[b].addr) / PAGE] > 1)
            uc_ctl_remove_cache(e->uc, a, stop < end ? stop : end);
    }
}

uint8_t *fc_emu_host(fc_emu *e, uint32_t addr, uint32_t len)
{
    int b = find_block(e, addr, len);
    return b < 0 ? NULL : e->blk[b].host + (addr - e->blk[b].addr);
}

void fc_emu_trace(fc_emu *e, fc_emu_trace_fn fn, void *ctx)
{
    e->trace = fn;
    e->trace_ctx = ctx;
}

/* argument register k (consecutive in Unicorn's enums for both cores) */
static int arg_reg(const fc_emu_arch *a, unsigned k)
{
    return a->uc_arch == UC_ARCH_ARM ? UC_ARM_REG_R0 + (int)k : UC_RISCV_REG_A0 + (int)k;
}

int fc_emu_call(fc_emu *e, uint32_t fn, const uint32_t *args, unsigned nargs, uint64_t *ret,
                fc_emu_stats *stats)
{
    unsigned inregs = e->arch->uc_arch == UC_ARCH_ARM ? 4u : 8u, k;
    uint32_t sp = FC_EMU_MSTACK_TOP, reg, lo = 0, hi = 0, pc = 0;
    fc_emu_stats st;
    uc_err u;

    memset(&st, 0, sizeof st);
    if (nargs > 8u) {
        if (stats) *stats = st;
        return FC_EMU_ESETUP;
    }
    if (nargs > inregs) {
        /* AAPCS: the rest on the stack, 8-byte aligned at the call */
        sp = (FC_EMU_MSTACK_TOP - 4u * (nargs - inregs)) & ~7u;
        uint8_t *s = fc_emu_host(e, sp, 4u * (nargs - inregs));
        for (k = inregs; k < nargs; k++) {
            uint32_t v = args[k];
            memcpy(s + 4u * (k - inregs), &v, 4);   /* little-endian host and core */
        }
    }
    e->nrun = 0;      /* no run regions: the firmware's own memory */
    if (begin_run(e)) {
        if (stats) *stats = st;
        return FC_EMU_ESETUP;
    }
    for (k = 0; k < nargs && k < inregs; k++)
        uc_reg_write(e->uc, arg_reg(e->arch, k), &args[k]);
    uc_reg_write(e->uc, e->arch->reg_sp, &sp);
    reg = FC_EMU_SENTINEL | e->arch->code_bit;
    uc_reg_write(e->uc, e->arch->reg_ret, &reg);
    e->vm = NULL;
    e->count = 0;
    e->helper_calls = 0;
    e->hook_err = e->arch->before(e->uc) ? 1 : 0;
    u = e->hook_err ? UC_ERR_OK
                    : uc_emu_start(e->uc, fn | e->arch->code_bit, FC_EMU_SENTINEL, 0, e->cap);
    uc_reg_read(e->uc, e->arch->reg_pc, &pc);
    uc_reg_read(e->uc, e->arch->reg_arg[0], &lo);
    uc_reg_read(e->uc, e->arch->reg_arg[1], &hi);
    st.pc = pc;
    st.insns = e->count;
    st.helper_calls = e->helper_calls;
    end_run(e, &st);
    if (stats) *stats = st;
    if (st.fault) {
        if (stats) stats->uc_err = (int)u;
        return FC_EMU_EACCESS;
    }
    if (u != UC_ERR_OK || e->hook_err) {
        if (stats) stats->uc_err = u != UC_ERR_OK ? (int)u : -1;
        return FC_EMU_EFAULT;
    }
    if ((pc & ~1u) != FC_EMU_SENTINEL)
        return FC_EMU_ECAP;
    if (e->arch->after && e->arch->after(e->uc))
        return FC_EMU_EFAULT;
    if (ret)
        *ret = (uint64_t)hi << 32 | lo;
    return 0;
}
