/*
 * fc_vm.c - the sandbox (regions, translation) and the reference eBPF
 * interpreter (RFC 9669 including the v4 additions). Freestanding C99.
 *
 * The interpreter is the reference every native backend is compared with,
 * so it favours exactness: all arithmetic is done on uint64_t/uint32_t
 * (signed operations are built from unsigned ones, so there is no undefined
 * or implementation-defined behaviour and 32-bit cores compute the same
 * bits), and memory is little-endian at any alignment (native-width
 * accesses where the core allows them, bytes otherwise: same result on any
 * host).
 *
 * It must also be memory-safe on ANY instruction array, verified or not:
 * the pc stays inside the program (every jump target is checked before it
 * is taken; running off the end is checked per step unless the last slot
 * is an exit or ja), register fields index a 16-entry array, and every
 * guest access goes through the region table. The static checks (register
 * fields above r10, writes to r10, undefined variants) run per step unless
 * the program passed fc_vm_check (the loader's install check implies it):
 * "check once, then run fast". docs/sandbox.md is the specification.
 */
#ifndef VM_IN_LOOP  /* (the loop is included twice below, see VM_TWO_LOOPS) */
#include "fc_vm.h"
#include "fc_libc.h"

const char *fc_err_str(int err)
{
    switch (err) {
    case FC_OK:                 return "ok";
    case FC_ERR_MEM_READ:       return "memory read out of bounds";
    case FC_ERR_MEM_WRITE:      return "memory write out of bounds";
    case FC_ERR_BUDGET:         return "branch budget exhausted";
    case FC_ERR_BAD_INSN:       return "invalid instruction";
    case FC_ERR_HELPER_UNKNOWN: return "unknown helper";
    case FC_ERR_HELPER_DENIED:  return "helper not allowed";
    case FC_ERR_CALL_DEPTH:     return "call depth exceeded";
    case FC_ERR_HELPER_FAULT:   return "helper fault";
    case FC_ERR_UNWIND:         return "program stopped by helper";
    case FC_ERR_BAD_PROGRAM:    return "bad program (pc or jump outside the code)";
    case FC_ERR_BAD_ARG:        return "bad argument";
    }
    return "unknown error";
}

/* ---- regions ------------------------------------------------------------ */

/*
 * Does r contain [addr, addr+len)? len > 0. Written without ever computing
 * addr+len or r->addr+r->len, so neither can wrap: a region that ends at
 * 2^64 and an access whose end would pass 2^64 are both handled exactly.
 */
static int region_has(const fc_region *r, uint64_t addr, uint64_t len)
{
    uint64_t off;
    if (addr < r->addr)
        return 0;
    off = addr - r->addr;
    return off < r->len && len <= (uint64_t)r->len - off;
}

/* Every region in table order, the stack first (most accesses of typical
 * programs hit it), exactly docs/sandbox.md section 2; the matching region
 * or NULL. len > 0. */
#if defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
/* (in line in the guest access's slow path too: a call there costs) */
__attribute__((always_inline)) inline
#endif
static const fc_region *xlate_region(const fc_vm *vm, uint64_t addr, uint64_t len,
                                     unsigned perm)
{
    const fc_region *r = &vm->regions[FC_STACK_SLOT];
    uint32_t k, n = vm->nregions;

    if ((r->perm & perm) == perm && region_has(r, addr, len))
        return r;
    if (n > FC_MAX_REGIONS) /* never trust the table for memory safety */
        n = FC_MAX_REGIONS;
    for (k = 0, r = vm->regions; k < n; k++, r++)
        if ((r->perm & perm) == perm && region_has(r, addr, len))
            return r;
    return NULL;
}

void *fc_vm_translate(const fc_vm *vm, uint64_t addr, uint64_t len,
                      unsigned perm)
{
    const fc_region *r;

    if (!vm || len == 0 || !(r = xlate_region(vm, addr, len, perm)))
        return NULL;
    return r->host + (size_t)(addr - r->addr);
}

void *fc_vm_translate_avail(const fc_vm *vm, uint64_t addr, unsigned perm,
                            uint64_t *avail)
{
    uint8_t *best = NULL;
    uint64_t most = 0;
    uint32_t k, n;

    if (vm) {
        n = vm->nregions > FC_MAX_REGIONS ? FC_MAX_REGIONS : vm->nregions;
        for (k = 0; k <= n; k++) {
            /* k == n stands for the stack slot */
            const fc_region *r = &vm->regions[k == n ? FC_STACK_SLOT : k];
            if ((r->perm & perm) == perm && region_has(r, addr, 1) &&
                (uint64_t)r->len - (addr - r->addr) > most) {
                most = (uint64_t)r->len - (addr - r->addr);
                best = r->host + (size_t)(addr - r->addr);
            }
        }
    }
    if (avail)
        *avail = most;
    return best;
}

const char *fc_vm_string(const fc_vm *vm, uint64_t addr, uint32_t *len)
{
    uint64_t avail, k;
    const char *s = fc_vm_translate_avail(vm, addr, FC_PERM_R, &avail);

    if (!s)
        return NULL;
    if (avail > 0xffffffffu)
        avail = 0xffffffffu;
    for (k = 0; k < avail; k++)
        if (s[k] == '\0') {
            if (len)
                *len = (uint32_t)k;
            return s;
        }
    return NULL;
}

/* ---- set-up ------------------------------------------------------------- */

int fc_vm_init(fc_vm *vm, const fc_insn *insns, uint32_t ninsns,
               uint8_t *stack, uint32_t stack_size)
{
    uint32_t depth;

    if (!vm)
        return FC_ERR_BAD_ARG;
    fc_memset(vm, 0, sizeof *vm);
    if ((!insns && ninsns) || !stack || stack_size < FC_STACK_SIZE) {
        vm->err = FC_ERR_BAD_ARG;
        return FC_ERR_BAD_ARG;
    }
    vm->insns = insns;
    vm->ninsns = ninsns;
    vm->stack = stack;
    vm->stack_size = stack_size;
    vm->stack_addr = (uint64_t)(uintptr_t)stack;
    depth = stack_size / FC_STACK_SIZE;
    vm->max_depth = depth > FC_MAX_CALL_DEPTH ? FC_MAX_CALL_DEPTH : depth;
    vm->budget = FC_DEFAULT_BUDGET;
    return FC_OK;
}

int fc_vm_add_region(fc_vm *vm, uint64_t addr, void *host, uint32_t len,
                     unsigned perm, unsigned kind)
{
    if (!vm || vm->nregions >= FC_MAX_REGIONS || (!host && len) ||
        (perm & ~FC_PERM_RW) || kind == FC_REGION_STACK ||
        kind > FC_REGION_EXTRA)
        return FC_ERR_BAD_ARG;
    /* the last byte, addr + len - 1, must not pass 2^64 - 1 */
    if (len && addr > UINT64_MAX - ((uint64_t)len - 1))
        return FC_ERR_BAD_ARG;
    fc_vm_put_region(vm, addr, host, len, perm, kind);
    return FC_OK;
}

void fc_vm_set_helpers(fc_vm *vm, const fc_helper *helpers, uint32_t n,
                       const uint32_t *allow, uint32_t nallow)
{
    if (!vm)
        return;
    vm->helpers = helpers;
    vm->nhelpers = helpers ? n : 0;
    vm->allow = allow;
    vm->nallow = allow ? nallow : 0;
}

/* The interpreter from here on. A native-only runtime (-DFC_NO_INTERP,
 * docs/PORTING.md "Runtime build options") keeps only the sandbox's
 * region and helper functions above, which the helpers and the native
 * code's runtime routines use; the loader never calls fc_vm_run then. */
#ifndef FC_NO_INTERP

/* ---- arithmetic without UB ------------------------------------------------ */

#define SIGN64 0x8000000000000000u
#define SIGN32 0x80000000u

/* Signed division/modulo on two's-complement bit patterns, computed on the
 * magnitudes (RFC 9669 section 4.1: truncation toward zero; x/0 = 0,
 * x%0 = x). INT_MIN / -1 gives INT_MIN and INT_MIN % -1 gives 0 with no
 * special case: the magnitude 2^63 divides by 1 and negates to itself. */
static uint64_t sdiv64(uint64_t a, uint64_t b)
{
    uint64_t ua = (a & SIGN64) ? 0 - a : a;
    uint64_t ub = (b & SIGN64) ? 0 - b : b;
    uint64_t q;
    if (b == 0)
        return 0;
    q = ua / ub;
    return ((a ^ b) & SIGN64) ? 0 - q : q;
}

static uint64_t smod64(uint64_t a, uint64_t b)
{
    uint64_t ua = (a & SIGN64) ? 0 - a : a;
    uint64_t ub = (b & SIGN64) ? 0 - b : b;
    uint64_t m;
    if (b == 0)
        return a;
    m = ua % ub;
    return (a & SIGN64) ? 0 - m : m;  /* the sign of the dividend */
}

static uint32_t sdiv32(uint32_t a, uint32_t b)
{
    uint32_t ua = (a & SIGN32) ? 0 - a : a;
    uint32_t ub = (b & SIGN32) ? 0 - b : b;
    uint32_t q;
    if (b == 0)
        return 0;
    q = ua / ub;
    return ((a ^ b) & SIGN32) ? 0 - q : q;
}

static uint32_t smod32(uint32_t a, uint32_t b)
{
    uint32_t ua = (a & SIGN32) ? 0 - a : a;
    uint32_t ub = (b & SIGN32) ? 0 - b : b;
    uint32_t m;
    if (b == 0)
        return a;
    m = ua % ub;
    return (a & SIGN32) ? 0 - m : m;
}

/* Arithmetic right shift, s already masked (0..63 / 0..31). */
static uint64_t asr64(uint64_t x, unsigned s)
{
    return (x & SIGN64) ? ~(~x >> s) : x >> s;
}

static uint32_t asr32(uint32_t x, unsigned s)
{
    return (x & SIGN32) ? ~(~x >> s) : x >> s;
}

/* Sign extension of the low 8/16/32 bits to 64 bits. */
static uint64_t sx8(uint64_t x)  { return ((x & 0xffu) ^ 0x80u) - 0x80u; }
static uint64_t sx16(uint64_t x) { return ((x & 0xffffu) ^ 0x8000u) - 0x8000u; }
static uint64_t sx32(uint64_t x) { return ((x & 0xffffffffu) ^ SIGN32) - SIGN32; }

static uint64_t bswap16(uint64_t x)
{
    return ((x & 0xffu) << 8) | ((x >> 8) & 0xffu);
}

static uint64_t bswap32(uint64_t x)
{
    return ((x & 0xffu) << 24) | ((x & 0xff00u) << 8) |
           ((x >> 8) & 0xff00u) | ((x >> 24) & 0xffu);
}

static uint64_t bswap64(uint64_t x)
{
    return (bswap32(x) << 32) | bswap32(x >> 32);
}

/* ---- little-endian guest memory ------------------------------------------- */

/*
 * Guest memory is little-endian at any alignment. On a little-endian GCC/Clang
 * target a packed, may_alias access is one native load or store where the
 * core allows unaligned access (Cortex-M3, x86) and a byte sequence the
 * compiler builds elsewhere; on cores without unaligned access (RV32) an
 * aligned address takes the one-instruction path. Elsewhere: bytes.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VM_NATIVE_LE 1
typedef struct __attribute__((packed, may_alias)) { uint16_t v; } u16_un;
typedef struct __attribute__((packed, may_alias)) { uint32_t v; } u32_un;
typedef struct __attribute__((packed, may_alias)) { uint64_t v; } u64_un;
typedef uint16_t __attribute__((may_alias)) u16_al;
typedef uint32_t __attribute__((may_alias)) u32_al;
#if defined(__ARM_FEATURE_UNALIGNED) || defined(__x86_64__) || defined(__i386__)
#define VM_UNALIGNED_OK 1
#else
/* The aligned path's pointer, hidden from the optimiser: GCC otherwise
 * merges the two paths of an alignment test into the byte-wise one (it
 * gives the same value), and RV32 pays four byte loads for every word. */
static inline void *vm_al(const void *p)
{
    void *q = (void *)(uintptr_t)p;
    __asm__("" : "+r"(q));
    return q;
}
#endif
#endif

static inline uint64_t ld_le(const uint8_t *p, unsigned n)
{
#ifdef VM_NATIVE_LE
    switch (n) {
    case 1: return *p;
    case 2:
#ifndef VM_UNALIGNED_OK
        if (__builtin_expect(!((uintptr_t)p & 1u), 1))
            return *(const u16_al *)vm_al(p);
#endif
        return ((const u16_un *)(const void *)p)->v;
    case 4:
#ifndef VM_UNALIGNED_OK
        if (__builtin_expect(!((uintptr_t)p & 3u), 1))
            return *(const u32_al *)vm_al(p);
#endif
        return ((const u32_un *)(const void *)p)->v;
    default:
#ifndef VM_UNALIGNED_OK
        /* two aligned words: 32-bit cores have no 64-bit load anyway */
        if (__builtin_expect(!((uintptr_t)p & 3u), 1)) {
            const u32_al *q = (const u32_al *)vm_al(p);
            return (uint64_t)q[0] | ((uint64_t)q[1] << 32);
        }
#endif
        return ((const u64_un *)(const void *)p)->v;
    }
#else
    uint64_t v = 0;
    while (n--)
        v = (v << 8) | p[n];
    return v;
#endif
}

static inline void st_le(uint8_t *p, unsigned n, uint64_t v)
{
#ifdef VM_NATIVE_LE
    switch (n) {
    case 1: *p = (uint8_t)v; return;
    case 2:
#ifndef VM_UNALIGNED_OK
        if (__builtin_expect(!((uintptr_t)p & 1u), 1)) {
            *(u16_al *)vm_al(p) = (uint16_t)v;
            return;
        }
#endif
        ((u16_un *)(void *)p)->v = (uint16_t)v;
        return;
    case 4:
#ifndef VM_UNALIGNED_OK
        if (__builtin_expect(!((uintptr_t)p & 3u), 1)) {
            *(u32_al *)vm_al(p) = (uint32_t)v;
            return;
        }
#endif
        ((u32_un *)(void *)p)->v = (uint32_t)v;
        return;
    default:
#ifndef VM_UNALIGNED_OK
        if (__builtin_expect(!((uintptr_t)p & 3u), 1)) {
            u32_al *q = (u32_al *)vm_al(p);
            q[0] = (uint32_t)v;
            q[1] = (uint32_t)(v >> 32);
            return;
        }
#endif
        ((u64_un *)(void *)p)->v = v;
        return;
    }
#else
    unsigned k;
    for (k = 0; k < n; k++, v >>= 8)
        p[k] = (uint8_t)v;
#endif
}

/* ---- the interpreter -------------------------------------------------------- */

#if defined(__GNUC__)
#define VM_NOINLINE __attribute__((noinline))
#define VM_LIKELY(x) __builtin_expect(!!(x), 1)
#define VM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define VM_NOINLINE
#define VM_LIKELY(x) (x)
#define VM_UNLIKELY(x) (x)
#endif

static int helper_allowed(const fc_vm *vm, uint32_t id)
{
    uint32_t k;
    if (!vm->allow)
        return 1;
    for (k = 0; k < vm->nallow; k++)
        if (vm->allow[k] == id)
            return 1;
    return 0;
}

/* Find the helper; FC_OK with *out set, or the error for the call. */
static int helper_find(const fc_vm *vm, uint64_t id, const fc_helper **out)
{
    uint32_t k;
    if (vm->helpers && id <= 0xffffffffu)
        for (k = 0; k < vm->nhelpers; k++)
            if (vm->helpers[k].id == id && vm->helpers[k].fn) {
                if (!helper_allowed(vm, (uint32_t)id))
                    return FC_ERR_HELPER_DENIED;
                *out = &vm->helpers[k];
                return FC_OK;
            }
    return FC_ERR_HELPER_UNKNOWN;
}

/*
 * Does the interpreter accept instruction pc statically, i.e. would it run it
 * rather than stop with FC_ERR_BAD_INSN whatever the registers hold? These
 * are exactly the checks the hot loop leaves out for a checked program
 * (fc_vm_check, or the loader's stricter fc_insn_check at install): register
 * fields, writes to r10, off/imm variants, call sources, the lddw source
 * and section (fc_vm_check also checks each lddw's second slot). The atomics
 * keep their own checks in the loop (rare; they switch on imm anyway), and
 * so does the existence of an lddw's second slot (memory safety).
 */
static int insn_ok(fc_insn i)
{
    unsigned dst = i.regs & 0x0fu, src = (unsigned)i.regs >> 4;

    if (dst > 10 || src > 10)
        return 0;
    /* LD (lddw), LDX, ALU and ALU64 write dst */
    if (dst == FC_REG_FP && ((0x93u >> (i.op & 7u)) & 1u))
        return 0;
    if (i.op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM))
        return src == FC_LDDW_IMM ||
               (src == FC_LDDW_SECTION && i.imm >= FC_SECT_RODATA && i.imm <= FC_SECT_BSS);
    switch (FC_CLASS(i.op)) {
    case FC_CLS_ALU64:
    case FC_CLS_ALU: {
        int is64 = FC_CLASS(i.op) == FC_CLS_ALU64;
        switch (FC_OPCODE_OP(i.op)) {
        case FC_ALU_NEG:
            return !(i.op & FC_SRC_X);
        case FC_ALU_DIV:
        case FC_ALU_MOD:
            return i.off == 0 || i.off == 1;
        case FC_ALU_MOV:
            if (!(i.op & FC_SRC_X))
                return i.off == 0;
            return i.off == 0 || i.off == 8 || i.off == 16 || (is64 && i.off == 32);
        case FC_ALU_END:
            if (is64 && (i.op & FC_SRC_X))
                return 0;
            return i.imm == 16 || i.imm == 32 || i.imm == 64;
        case 0xe0u: case 0xf0u:
            return 0;
        default:  /* add sub mul or and lsh rsh xor arsh */
            return i.off == 0;
        }
    }
    case FC_CLS_LDX:
        if (FC_MODE(i.op) == FC_MODE_MEM)
            return 1;
        return FC_MODE(i.op) == FC_MODE_MEMSX && FC_SIZE(i.op) != FC_SZ_DW;
    case FC_CLS_ST:
        return FC_MODE(i.op) == FC_MODE_MEM;
    case FC_CLS_STX:
        return FC_MODE(i.op) == FC_MODE_MEM ||
               (FC_MODE(i.op) == FC_MODE_ATOMIC &&
                (FC_SIZE(i.op) == FC_SZ_W || FC_SIZE(i.op) == FC_SZ_DW));
    case FC_CLS_JMP:
    case FC_CLS_JMP32:
        switch (FC_OPCODE_OP(i.op)) {
        case FC_JMP_JA:
            return !(i.op & FC_SRC_X);
        case FC_JMP_CALL:
            if (FC_CLASS(i.op) != FC_CLS_JMP)
                return 0;
            return (i.op & FC_SRC_X) || src == FC_CALL_HELPER || src == FC_CALL_LOCAL;
        case FC_JMP_EXIT:
            return i.op == (FC_CLS_JMP | FC_JMP_EXIT);
        case 0xe0u: case 0xf0u:
            return 0;
        default:
            return 1;
        }
    }
    return 0;  /* LD other than lddw */
}

int fc_vm_check(fc_vm *vm)
{
    uint32_t k;

    if (!vm || (!vm->insns && vm->ninsns))
        return FC_ERR_BAD_ARG;
    vm->checked = 0;
    for (k = 0; k < vm->ninsns; k++) {
        fc_insn i = vm->insns[k];
        if (!insn_ok(i))
            return FC_ERR_BAD_INSN;
        /* the second slot of an lddw (opcode 0: a jump there stops with
         * FC_ERR_BAD_INSN in any mode) must be one: the loop does not look
         * at it again in a checked program. An lddw in the last slot passes
         * (the loop refuses it when it gets there, in any mode). */
        if (i.op == (FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM) && k + 1 < vm->ninsns) {
            if (vm->insns[k + 1].op != 0 || vm->insns[k + 1].regs != 0 ||
                vm->insns[k + 1].off != 0)
                return FC_ERR_BAD_INSN;
            k++;
        }
    }
    vm->checked = 1;
    return FC_OK;
}

/*
 * The stack during a run. `avail` bytes below top are reachable (depth * 512);
 * the `clean` bytes just below top have been zeroed (or written) in this run,
 * and the stack region maps min(clean, avail) of them. An access that reaches further down, inside the frames, zeroes down
 * to it first (access_slow); a helper call zeroes all of `avail` first, so
 * helpers see the whole reachable stack. So a run never reads a stack byte
 * it did not write or zero, and an empty program clears nothing.
 */
typedef struct vm_stack {
    uint64_t top;
    uint8_t *host_top;
    uint32_t clean;
    uint32_t avail;
    /* the region a guest access cache entry named before its last refill
     * (its byte offset in the VM, see HIT_WAYS): tried first on a miss,
     * so a base register alternating between two regions costs no search */
    uint8_t victim;
} vm_stack;

static void stack_map(fc_vm *vm, const vm_stack *s)
{
    fc_region *r = &vm->regions[FC_STACK_SLOT];
    uint32_t len = s->clean < s->avail ? s->clean : s->avail;
    r->addr = s->top - len;
    r->host = s->host_top - len;
    r->len = len;
}

static VM_NOINLINE void stack_clear_to(fc_vm *vm, vm_stack *s, uint32_t want)
{
    if (want > s->avail)
        want = s->avail;
    if (want > s->clean) {
        fc_memset(s->host_top - want, 0, want - s->clean);
        s->clean = want;
    }
    stack_map(vm, s);
}

/* The slow path of a guest access: the whole table, then the stack not yet
 * cleared; remembers the region hit in *hit (its byte offset in the VM,
 * see HIT_WAYS). NULL: the access faults. */
static VM_NOINLINE uint8_t *access_slow(fc_vm *vm, vm_stack *s, uint64_t a, unsigned nb,
                                        unsigned perm, uint8_t *hit)
{
    const fc_region *r = (const fc_region *)(const void *)((const uint8_t *)vm + s->victim);

    if (!((r->perm & perm) == perm && region_has(r, a, nb)))
        r = xlate_region(vm, a, nb, perm);
    if (!r) {
        uint64_t off = a - (s->top - s->avail);
        if (!(off < s->avail && nb <= s->avail - off))
            return NULL;
        /* inside the reachable frames, below what this run zeroed so far:
         * zero down to it (in 64-byte steps, fewer slow paths), then map */
        stack_clear_to(vm, s, ((uint32_t)(s->top - a) + 63u) & ~63u);
        r = &vm->regions[FC_STACK_SLOT];
        if (!region_has(r, a, nb) || (r->perm & perm) != perm)
            return NULL;  /* a helper changed the stack slot: refuse */
    }
    s->victim = *hit;
    *hit = (uint8_t)((const uint8_t *)r - (const uint8_t *)vm);
    return r->host + (size_t)(a - r->addr);
}

#ifdef FC_VM_OBSERVE
/* Host fact-checking build only (tests/sound/sound.mk compiles this file a
 * second time with -DFC_VM_OBSERVE=<hook>): the hook sees every instruction
 * before it runs, with the registers (it may change them) and the call
 * depth. The device build has no hook. */
void FC_VM_OBSERVE(fc_vm *vm, uint32_t pc, uint64_t *reg, uint32_t depth);
/* The hook checks accesses against the region table (fc_vm_translate), so
 * it must see every reachable frame mapped, as the rule of docs/sandbox.md
 * section 2 states it: zero them all first (no observable difference). */
#define OBSERVE()                                                        \
    do {                                                                 \
        if (st.clean < st.avail)                                         \
            stack_clear_to(vm, &st, st.avail);                           \
        FC_VM_OBSERVE(vm, PC, reg, depth);                               \
    } while (0)
#else
#define OBSERVE() ((void)0)
#endif

/*
 * The fast path of a guest access: the region the last access through the
 * same base register hit (a pointer register mostly keeps pointing into one
 * region; keyed by the instruction slot instead, two accesses of a loop
 * that share a slot modulo the table size miss on every pass). One cache
 * for loads and one for stores, 16 entries each (the register field), each
 * entry the byte offset of a table entry from the VM (the region table
 * lies inside it, below 256 bytes: checked at compile time below). A load
 * entry only ever names a region found readable, a store entry one found
 * writable, since the last helper call (after which both are reset to the
 * stack slot, read-write by construction): permissions change only through
 * a helper, so the fast path compares addresses only. Anything else takes
 * the exact slow path (access_slow), which refills the entry.
 */
#define HIT_WAYS 16u
/* every entry of both caches to the stack slot */
#define VM_HIT_RESET()                                                    \
    do {                                                                  \
        uint32_t w_ = 0x01010101u * (uint32_t)((const uint8_t *)sr - (const uint8_t *)vm); \
        for (k = 0; k < 2 * HIT_WAYS / 4; k++)                            \
            hit.w[k] = w_;                                                \
        st.victim = (uint8_t)w_;                                          \
    } while (0)
typedef char vm_hit_offsets_fit[(offsetof(fc_vm, regions) +
                                 sizeof(fc_region) * (FC_STACK_SLOT + 1) <= 256) ? 1 : -1];

/*
 * Dispatch. Under __GNUC__ (GCC, Clang) the loop is threaded: every handler
 * ends by jumping through a table of label offsets indexed by the opcode
 * byte (labels as values), one indirect jump per instruction and no range
 * check of the opcode (the table has all 256 entries; undefined ones lead to
 * the bad-instruction exit). At -O2 each handler carries its own copy of the
 * dispatch and the table holds the handlers' addresses (1 KiB on a 32-bit
 * core); at -Os (__OPTIMIZE_SIZE__) they share one dispatch and the table
 * holds 16-bit offsets from the bad-instruction exit (512 bytes; the
 * function is far smaller than 32 KiB, and the assembler refuses an offset
 * that does not fit). Elsewhere, or with -DFC_VM_SWITCH (built and tested on
 * the host, runtime/vm.mk), the same handlers are the cases of a portable
 * `switch`.
 */
#if defined(__GNUC__) && !defined(FC_VM_SWITCH)
#define VM_THREADED 1
#endif

/* Small handlers (-Os, or -DFC_VM_SMALL; unit-vmswitch builds the switch
 * this way on the host): every ALU and ALU64 operation but mov/movsx from
 * a register and the byte swaps is one handler that picks its operand from
 * the source bit and the operation from the opcode, mov/movsx from a
 * register (both classes) is one, the byte swaps are one, every conditional
 * jump (both classes, both sources) is one handler, and the loads and the
 * stores are one handler each that take the width and sign from the
 * opcode. A few more instructions per step, about 3.7 KiB less code. */
#if defined(__OPTIMIZE_SIZE__) && !defined(FC_VM_FAST)
#ifndef FC_VM_SMALL
#define FC_VM_SMALL 1
#endif
#endif

/* Every opcode the interpreter runs and the name of its handler; opcodes not
 * listed stop the run with FC_ERR_BAD_INSN. Opcodes whose variants differ by
 * off or imm (sdiv, movsx, the byte swaps, the atomics) share a handler that
 * tells them apart. */
#define VM_ALU_OPS(X, C, P)                                                   \
    VM_ALU_ARITH(X, C, P)                                                     \
    X(P##MOV_X, C | FC_SRC_X | FC_ALU_MOV)                                    \
    X(P##END_K, C | FC_SRC_K | FC_ALU_END)
/* (what the small build's one ALU handler runs) */
#define VM_ALU_ARITH(X, C, P)                                                 \
    X(P##ADD_K, C | FC_SRC_K | FC_ALU_ADD)   X(P##ADD_X, C | FC_SRC_X | FC_ALU_ADD)   \
    X(P##SUB_K, C | FC_SRC_K | FC_ALU_SUB)   X(P##SUB_X, C | FC_SRC_X | FC_ALU_SUB)   \
    X(P##MUL_K, C | FC_SRC_K | FC_ALU_MUL)   X(P##MUL_X, C | FC_SRC_X | FC_ALU_MUL)   \
    X(P##DIV_K, C | FC_SRC_K | FC_ALU_DIV)   X(P##DIV_X, C | FC_SRC_X | FC_ALU_DIV)   \
    X(P##OR_K, C | FC_SRC_K | FC_ALU_OR)     X(P##OR_X, C | FC_SRC_X | FC_ALU_OR)     \
    X(P##AND_K, C | FC_SRC_K | FC_ALU_AND)   X(P##AND_X, C | FC_SRC_X | FC_ALU_AND)   \
    X(P##LSH_K, C | FC_SRC_K | FC_ALU_LSH)   X(P##LSH_X, C | FC_SRC_X | FC_ALU_LSH)   \
    X(P##RSH_K, C | FC_SRC_K | FC_ALU_RSH)   X(P##RSH_X, C | FC_SRC_X | FC_ALU_RSH)   \
    X(P##NEG, C | FC_SRC_K | FC_ALU_NEG)                                              \
    X(P##MOD_K, C | FC_SRC_K | FC_ALU_MOD)   X(P##MOD_X, C | FC_SRC_X | FC_ALU_MOD)   \
    X(P##XOR_K, C | FC_SRC_K | FC_ALU_XOR)   X(P##XOR_X, C | FC_SRC_X | FC_ALU_XOR)   \
    X(P##MOV_K, C | FC_SRC_K | FC_ALU_MOV)                                            \
    X(P##ARSH_K, C | FC_SRC_K | FC_ALU_ARSH) X(P##ARSH_X, C | FC_SRC_X | FC_ALU_ARSH)
#define VM_JCC_OPS(X, C, P)                                                   \
    X(P##JEQ_K, C | FC_SRC_K | FC_JMP_JEQ)   X(P##JEQ_X, C | FC_SRC_X | FC_JMP_JEQ)   \
    X(P##JGT_K, C | FC_SRC_K | FC_JMP_JGT)   X(P##JGT_X, C | FC_SRC_X | FC_JMP_JGT)   \
    X(P##JGE_K, C | FC_SRC_K | FC_JMP_JGE)   X(P##JGE_X, C | FC_SRC_X | FC_JMP_JGE)   \
    X(P##JSET_K, C | FC_SRC_K | FC_JMP_JSET) X(P##JSET_X, C | FC_SRC_X | FC_JMP_JSET) \
    X(P##JNE_K, C | FC_SRC_K | FC_JMP_JNE)   X(P##JNE_X, C | FC_SRC_X | FC_JMP_JNE)   \
    X(P##JSGT_K, C | FC_SRC_K | FC_JMP_JSGT) X(P##JSGT_X, C | FC_SRC_X | FC_JMP_JSGT) \
    X(P##JSGE_K, C | FC_SRC_K | FC_JMP_JSGE) X(P##JSGE_X, C | FC_SRC_X | FC_JMP_JSGE) \
    X(P##JLT_K, C | FC_SRC_K | FC_JMP_JLT)   X(P##JLT_X, C | FC_SRC_X | FC_JMP_JLT)   \
    X(P##JLE_K, C | FC_SRC_K | FC_JMP_JLE)   X(P##JLE_X, C | FC_SRC_X | FC_JMP_JLE)   \
    X(P##JSLT_K, C | FC_SRC_K | FC_JMP_JSLT) X(P##JSLT_X, C | FC_SRC_X | FC_JMP_JSLT) \
    X(P##JSLE_K, C | FC_SRC_K | FC_JMP_JSLE) X(P##JSLE_X, C | FC_SRC_X | FC_JMP_JSLE)
#define VM_MEM_OPS(X, SZ, S)                                                  \
    X(LDX_##S, FC_CLS_LDX | FC_SZ_##SZ | FC_MODE_MEM)                         \
    X(ST_##S, FC_CLS_ST | FC_SZ_##SZ | FC_MODE_MEM)                           \
    X(STX_##S, FC_CLS_STX | FC_SZ_##SZ | FC_MODE_MEM)
#define VM_OPS(X)                                                             \
    VM_ALU_OPS(X, FC_CLS_ALU64, A64_)                                         \
    VM_ALU_OPS(X, FC_CLS_ALU, A32_)                                           \
    X(A32_END_X, FC_CLS_ALU | FC_SRC_X | FC_ALU_END)                          \
    VM_JCC_OPS(X, FC_CLS_JMP, J64_)                                           \
    VM_JCC_OPS(X, FC_CLS_JMP32, J32_)                                         \
    VM_MEM_OPS(X, B, B) VM_MEM_OPS(X, H, H) VM_MEM_OPS(X, W, W) VM_MEM_OPS(X, DW, DW) \
    X(LDXSX_B, FC_CLS_LDX | FC_SZ_B | FC_MODE_MEMSX)                          \
    X(LDXSX_H, FC_CLS_LDX | FC_SZ_H | FC_MODE_MEMSX)                          \
    X(LDXSX_W, FC_CLS_LDX | FC_SZ_W | FC_MODE_MEMSX)                          \
    X(ATOMIC_W, FC_CLS_STX | FC_SZ_W | FC_MODE_ATOMIC)                        \
    X(ATOMIC_DW, FC_CLS_STX | FC_SZ_DW | FC_MODE_ATOMIC)                      \
    X(LDDW, FC_CLS_LD | FC_SZ_DW | FC_MODE_IMM)                               \
    X(JA, FC_CLS_JMP | FC_JMP_JA)                                             \
    X(JA32, FC_CLS_JMP32 | FC_JMP_JA)                                         \
    X(CALL, FC_CLS_JMP | FC_SRC_K | FC_JMP_CALL)                              \
    X(CALLX, FC_CLS_JMP | FC_SRC_X | FC_JMP_CALL)                             \
    X(EXIT, FC_CLS_JMP | FC_JMP_EXIT)

#ifndef VM_THREADED
#define VM_ENUM(name, opc) VMOP_##name = (opc),
enum vm_op { VM_OPS(VM_ENUM) VMOP__END };
#undef VM_ENUM
#endif

/* What a helper sees of the outcome during a run, as native code's
 * runtime shows it (fc_run, fc_native_env_init): no error, nothing
 * counted, the whole budget; the outcome is written at the end. (In the
 * -O2 build fc_vm_run does it, outside the loop's register allocation.) */
#define VM_OUTCOME_RESET(vm)                                              \
    do {                                                                  \
        (vm)->err_pc = 0;                                                 \
        (vm)->err_addr = 0;                                               \
        (vm)->insn_count = 0;                                             \
        (vm)->budget_left = (vm)->budget;                                 \
    } while (0)

/* The largest program: 16-bit jump offsets are added to the slot address
 * in uintptr_t, exact while the code leaves 256 KiB of the address space
 * free (any program that exists). */
#if UINTPTR_MAX <= 0xffffffffu
#define VM_TOO_LONG(n) ((n) > (UINTPTR_MAX - 0x3ffffu) / FC_INSN_SIZE)
#else
#define VM_TOO_LONG(n) 0  /* a uint32_t count of slots always fits */
#endif

/*
 * Two copies of the loop in a threaded build with separate handlers (-O2):
 * this file includes its loop twice. vm_run_fast runs a checked program
 * whose last slot is an exit or a ja (a pc that cannot run off the end):
 * every handler ends in the bare dispatch, with no test of the mode.
 * vm_run_slow runs every other program: each step goes through the shared
 * dispatch, which checks the pc and, for an unchecked program, the
 * instruction. The same handlers either way; twice the code at -O2 (the
 * -Os build keeps one loop with the shared dispatch).
 */
#if defined(VM_THREADED) && !defined(__OPTIMIZE_SIZE__)
#define VM_TWO_LOOPS 1
#define VM_IN_LOOP 1
#define VM_LOOP_FAST 1
#define VM_RUN_FN vm_run_fast
#include "fc_vm.c"
#undef VM_LOOP_FAST
#undef VM_RUN_FN
#define VM_RUN_FN vm_run_slow
#include "fc_vm.c"
#undef VM_RUN_FN
#undef VM_IN_LOOP

/* exactly vm_run_fast's own condition (it refuses to run otherwise) */
int fc_vm_run(fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t *r0)
{
    uint32_t n;
    uint8_t last;

    if (vm)
        VM_OUTCOME_RESET(vm);
    if (vm && vm->checked && vm->insns && (n = vm->ninsns) != 0 &&
        ((last = vm->insns[n - 1].op) == (FC_CLS_JMP | FC_JMP_EXIT) ||
         last == (FC_CLS_JMP | FC_JMP_JA) || last == (FC_CLS_JMP32 | FC_JMP_JA)))
        return vm_run_fast(vm, ctx_addr, ctx_len, r0);
    return vm_run_slow(vm, ctx_addr, ctx_len, r0);
}
#else
#define VM_RUN_FN fc_vm_run
#endif
#endif /* !FC_NO_INTERP */
#endif /* !VM_IN_LOOP */

/* ---- the loop: fc_vm_run, or each of its two copies ---- */
#if !defined(FC_NO_INTERP) && (defined(VM_IN_LOOP) || !defined(VM_TWO_LOOPS))
#ifdef VM_IN_LOOP
static
#endif
int VM_RUN_FN(fc_vm *vm, uint64_t ctx_addr, uint64_t ctx_len, uint64_t *r0)
{
    /* 16 entries: the register fields are 4 bits, so even an instruction
     * nobody checked indexes inside the array (memory safety does not rest
     * on fc_vm_check; only exact results for malformed code do) */
    uint64_t reg[16];
#if defined(__GNUC__) && !defined(__arm__)
    uint64_t *R = reg;
#else
#define R reg
#define HB hit.b
#endif
    /* what local calls save (depth 1 never returns to a caller): r6..r9 and
     * the return slot, on the host stack, out of the guest's reach */
    uint64_t saved[FC_MAX_CALL_DEPTH - 1][4];
    const fc_insn *ret_ip[FC_MAX_CALL_DEPTH - 1];
    /* hit.b[0..HIT_WAYS): loads, hit.b[HIT_WAYS..): stores (HIT_WAYS) */
    union {
        uint32_t w[2 * HIT_WAYS / 4];
        uint8_t b[2 * HIT_WAYS];
    } hit;
#if defined(__GNUC__) && !defined(__arm__)
    uint8_t *HB = hit.b;
#endif
    const fc_insn *insns, *ip, *tgt;
    vm_stack st;
    uint32_t n, depth = 1, max_depth;
    uintptr_t nbytes;
    /* The budget in native words, exact: the budget left is bud_hi * 2^32 +
     * bud_lo (a charge borrows from bud_hi only when bud_lo is 0, once per
     * 2^32 charges), so a 32-bit core does 32-bit arithmetic in the hot
     * jump path. The instruction count without a counter per instruction:
     * the bytes executed before the slot ip points at are cadj + (ip -
     * insns) mod 2^64 (exact below 2^61 instructions), so straight-line
     * code costs nothing, a jump adds what it skips or repeats (a 16-bit
     * offset jump: -8 off, the offset it loaded anyway) and an lddw takes
     * back its second slot. */
    uint32_t bud_lo, bud_hi;
    uint64_t cadj = 0;
    uint64_t fault_addr = 0, t;
    int err = FC_OK, slow, check, off_end = 0;
    fc_region *sr;
    unsigned k;
#if !defined(VM_THREADED) || defined(__OPTIMIZE_SIZE__)
    unsigned dsti = 0, srci = 0;
#endif
    uint64_t addr;
    uint8_t *p;
#ifdef VM_THREADED
#ifdef __OPTIMIZE_SIZE__
    /* offsets of the handlers from L_BAD (0 for an undefined opcode) */
#define VM_TAB(name, opc) [opc] = (int16_t)(&&L_##name - &&L_BAD),
    static const int16_t tab[256] = { VM_OPS(VM_TAB) };
#ifndef VM_LOOP_FAST
    const int16_t *ftab;
#endif
#define VM_TARGET(t, op) (&&L_BAD + (t)[op])
#else
    /* the handlers' addresses; L_BAD for an undefined opcode */
#define VM_TAB(name, opc) [opc] = &&L_##name,
    /* (the defined entries override the range on purpose) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
    static const void *const tab[256] = {
        [0 ... 255] = &&L_BAD,
        VM_OPS(VM_TAB)
    };
#pragma GCC diagnostic pop
#ifndef VM_LOOP_FAST
    const void *const *ftab;
#endif
#define VM_TARGET(t, op) ((t)[op])
#endif
#undef VM_TAB
#endif
    /* lddw section forms: the first region of each kind, looked up once
     * (again after a helper call, which may change the table); bit k of
     * sect_known set: sect_addr[k] holds section k's address */
    uint64_t sect_addr[4];
    unsigned sect_known = 0;

    if (!vm)
        return FC_ERR_BAD_ARG;
    /* the outcome fields are written at the end; a helper sees err OK
     * (and what VM_OUTCOME_RESET sets) */
    vm->err = FC_OK;
    vm->helper_err = 0;
#ifndef VM_TWO_LOOPS
    VM_OUTCOME_RESET(vm);
#endif
    if ((!vm->insns && vm->ninsns) || !vm->stack || vm->max_depth == 0 ||
        vm->max_depth > FC_MAX_CALL_DEPTH ||
        vm->max_depth > vm->stack_size / FC_STACK_SIZE ||
        vm->stack_addr > UINT64_MAX - vm->stack_size ||
        vm->nregions > FC_MAX_REGIONS || VM_TOO_LONG(vm->ninsns)) {
        vm->err = FC_ERR_BAD_ARG;
        vm->err_pc = 0;
        vm->err_addr = 0;
        vm->insn_count = 0;
        vm->budget_left = vm->budget;
        return FC_ERR_BAD_ARG;
    }

    insns = vm->insns;
    n = vm->ninsns;
    nbytes = (uintptr_t)n * FC_INSN_SIZE;
    bud_lo = (uint32_t)vm->budget;
    bud_hi = (uint32_t)(vm->budget >> 32);
    /* Everything the interpreter's own memory safety rests on is copied to
     * locals: a host helper changing the VM mid-run cannot break it. */
    max_depth = vm->max_depth;
    st.top = vm->stack_addr + vm->stack_size;
    st.host_top = vm->stack + vm->stack_size;
    st.clean = 0;
    st.avail = FC_STACK_SIZE;
    sr = &vm->regions[FC_STACK_SLOT];
    sr->perm = FC_PERM_RW;
    sr->kind = FC_REGION_STACK;
    stack_map(vm, &st);
    VM_HIT_RESET();

    /* Per instruction the loop checks nothing static when the program is
     * checked; and the pc cannot run off the end when the last slot is an
     * exit or an unconditional jump (every jump target is range-checked, and
     * a call there would not return past it). Otherwise both per step. */
#ifdef VM_LOOP_FAST
    /* fc_vm_run calls this copy only for such a program (VM_TWO_LOOPS) */
    check = slow = 0;
    (void)slow;
#else
    check = !vm->checked;
    slow = check || n == 0 ||
           (insns[n - 1].op != (FC_CLS_JMP | FC_JMP_EXIT) &&
            insns[n - 1].op != (FC_CLS_JMP | FC_JMP_JA) &&
            insns[n - 1].op != (FC_CLS_JMP32 | FC_JMP_JA));
#endif

    /* written out: a loop of 16 costs three times as many instructions */
    reg[0] = 0;
    reg[1] = ctx_addr;
    reg[2] = ctx_len;
    reg[3] = reg[4] = reg[5] = reg[6] = reg[7] = reg[8] = reg[9] = 0;
    reg[FC_REG_FP] = st.top;
    reg[11] = reg[12] = reg[13] = reg[14] = reg[15] = 0;

    ip = insns;
#if defined(__GNUC__) && !defined(__arm__)
    /* the register file through a pointer the optimiser cannot see is the
     * stack pointer plus a constant, so it stays in a machine register (RV32
     * otherwise rebuilds the address in every handler: 8% more instructions;
     * GCC for Thumb-2 keeps it anyway and does worse with a pointer) */
    __asm__("" : "+r"(R));
    /* the same for the access cache (RV32 built its address in four
     * instructions per access) */
    __asm__("" : "+r"(HB));
#endif

/* the instruction index of ip */
#define PC ((uint32_t)(ip - insns))
/* Control leaves ip (executed) for target: the count (cadj, above) keeps
 * ip's slot and none of those in between (offsets from insns are below
 * 2^N, so their difference in 64 bits is exact). */
#define LEAVE_TO(target)                                                  \
    (cadj += (uint64_t)((uintptr_t)(ip + 1) - (uintptr_t)insns) -         \
             (uint64_t)((uintptr_t)(target) - (uintptr_t)insns))
/* one unit of budget (a taken backward jump, a local call), or stop */
#define CHARGE()                                                          \
    do {                                                                  \
        uint32_t b_ = bud_lo;                                             \
        bud_lo = b_ - 1u;                                                 \
        if (VM_UNLIKELY(b_ == 0)) {                                       \
            if (bud_hi == 0) {                                            \
                bud_lo = 0;                                               \
                err = FC_ERR_BUDGET;                                      \
                goto out;                                                 \
            }                                                             \
            bud_hi--;                                                     \
        }                                                                 \
    } while (0)
/* operands */
#define IMM64 ((uint64_t)(int64_t)ip->imm)  /* sign-extended (ALU64, JMP) */
#define IMM32 ((uint32_t)ip->imm)
#define OFF64 ((uint64_t)(int64_t)ip->off)
#if defined(VM_THREADED) && defined(__OPTIMIZE_SIZE__)
/* one shared dispatch: the register fields are decoded there, once */
#define DST dsti
#define SRC srci
#define VM_DECODE() (dsti = ip->regs & 0x0fu, srci = (unsigned)ip->regs >> 4)
#elif !defined(VM_THREADED)
#define DST dsti
#define SRC srci
#define VM_DECODE() (dsti = ip->regs & 0x0fu, srci = (unsigned)ip->regs >> 4)
#else
#define DST (ip->regs & 0x0fu)
#define SRC ((unsigned)ip->regs >> 4)
#define VM_DECODE() ((void)0)
#endif
#define D R[DST]
#define S R[SRC]
#define D32 ((uint32_t)D)
#define S32 ((uint32_t)S)
/* this slot's entry of the load (pm R) or the store (pm W) cache */
#define HIT(br, pm) HB[(br) + ((pm) == FC_PERM_R ? 0u : HIT_WAYS)]
/* a guest access through base register number br: the region the last
 * access through that register hit (addresses only, see HIT_WAYS), else
 * the exact slow path */
#define ACCESS(br, a, nb, pm, fault)                                      \
        do {                                                              \
            uint8_t *hs_ = &HIT(br, pm);                                  \
            const fc_region *h_ =                                         \
                (const fc_region *)(const void *)((const uint8_t *)vm + *hs_); \
            uint64_t o_ = (a) - h_->addr;                                 \
            if (VM_LIKELY(o_ < h_->len &&                                 \
                          ((nb) == 1 || (nb) <= h_->len - (uint32_t)o_))) \
                p = h_->host + (uint32_t)o_;                              \
            else if (!(p = VM_VICTIM(hs_, (a), (nb), (pm))) &&            \
                     !(p = access_slow(vm, &st, (a), (nb), (pm), hs_)))   \
                goto fault;                                               \
        } while (0)

/* A miss first tries the victim (see vm_stack) in line (the -O2 handlers,
 * GCC/Clang; otherwise access_slow tries it first): the entry and the
 * victim swap, and the access costs no call. */
#if !defined(FC_VM_SMALL) && defined(__GNUC__)
#define VM_VICTIM(hs, a, nb, pm)                                          \
    __extension__({                                                       \
        const fc_region *v_ =                                             \
            (const fc_region *)(const void *)((const uint8_t *)vm + st.victim); \
        uint64_t ov_ = (a) - v_->addr;                                    \
        uint8_t *q_ = NULL;                                               \
        if (ov_ < v_->len && ((nb) == 1 || (nb) <= v_->len - (uint32_t)ov_) && \
            (v_->perm & (pm)) == (pm)) {                                  \
            uint8_t t_ = *(hs);                                           \
            *(hs) = st.victim;                                            \
            st.victim = t_;                                               \
            q_ = v_->host + (uint32_t)ov_;                                \
        }                                                                 \
        q_;                                                               \
    })
#else
#define VM_VICTIM(hs, a, nb, pm) ((uint8_t *)NULL)
#endif

#ifdef VM_THREADED
#define OP(name) L_##name:
#define DISPATCH(t)                                                       \
    do {                                                                  \
        OBSERVE();                                                        \
        VM_DECODE();                                                      \
        goto *VM_TARGET(t, ip->op);                                       \
    } while (0)
#ifdef VM_LOOP_FAST
/* the bare dispatch: a checked program that cannot run off the end */
#define NEXT() DISPATCH(tab)
    DISPATCH(tab);
#else
/* the shared dispatch: ftab is the table in a fast run (-Os only: one
 * loop for both kinds), NULL in a slow one */
#define NEXT() goto next
    ftab = slow ? NULL : tab;
next:
    if (VM_LIKELY(ftab != NULL))
        DISPATCH(ftab);
    if ((uintptr_t)ip - (uintptr_t)insns >= nbytes) {
        off_end = 1;
        err = FC_ERR_BAD_PROGRAM;  /* fell off the end (or no code) */
        goto out;
    }
    if (check && !insn_ok(*ip))
        goto bad_insn;
    DISPATCH(tab);
#endif
    {
#else /* the portable switch */
#define OP(name) case VMOP_##name:
#define NEXT() continue
    for (;;) {
        if (VM_UNLIKELY(slow)) {
            if ((uintptr_t)ip - (uintptr_t)insns >= nbytes) {
                off_end = 1;
                err = FC_ERR_BAD_PROGRAM;  /* fell off the end (or no code) */
                goto out;
            }
            if (check && !insn_ok(*ip))
                goto bad_insn;
        }
        OBSERVE();
        VM_DECODE();
        switch (ip->op) {
        default:
            goto bad_insn;
#endif
#define ALU(name, expr) OP(name) expr; ip++; NEXT();
/* an operation with a K and an X form: V64/V32 the operand (imm
 * sign-extended / its low word, or the source register / its low word) */
#ifdef FC_VM_SMALL
#define ALU2(name, expr)                                                 \
        OP(name##_K) OP(name##_X) {                                      \
            uint64_t v_ = (ip->op & FC_SRC_X) ? S : IMM64;               \
            expr;                                                        \
            ip++;                                                        \
            NEXT();                                                      \
        }
#else
#define ALU2(name, expr)                                                 \
        OP(name##_K) { uint64_t v_ = IMM64; expr; ip++; NEXT(); }        \
        OP(name##_X) { uint64_t v_ = S; expr; ip++; NEXT(); }
#endif
#define V64 v_
#define V32 ((uint32_t)v_)

#ifdef FC_VM_SMALL
#define VM_ALU_LABEL(name, opc) OP(name)
        /* Every ALU and ALU64 operation but mov/movsx from a register and
         * the byte swaps, in one handler. A 32-bit operation computes on
         * the zero-extended low words (the same low word for add, sub, mul,
         * the bitwise ones, lsh and neg; the 32-bit quotient, remainder and
         * right shifts from the 32-bit routines) and keeps the low word. */
        VM_ALU_ARITH(VM_ALU_LABEL, FC_CLS_ALU64, A64_)
        VM_ALU_ARITH(VM_ALU_LABEL, FC_CLS_ALU, A32_) {
            int is32 = FC_CLASS(ip->op) == FC_CLS_ALU;
            uint64_t x = D, y = (ip->op & FC_SRC_X) ? S : IMM64;
            unsigned sh;
            if (FC_OPCODE_OP(ip->op) == FC_ALU_MOV)
                x = y;  /* mov from an immediate: from a register below */
            if (is32) {
                x = (uint32_t)x;
                y = (uint32_t)y;
            }
            sh = (unsigned)y & (is32 ? 31u : 63u);
            switch (FC_OPCODE_OP(ip->op)) {
            case FC_ALU_ADD:  x += y; break;
            case FC_ALU_SUB:  x -= y; break;
            case FC_ALU_MUL:  x *= y; break;
            case FC_ALU_OR:   x |= y; break;
            case FC_ALU_AND:  x &= y; break;
            case FC_ALU_XOR:  x ^= y; break;
            case FC_ALU_LSH:  x <<= sh; break;
            case FC_ALU_RSH:  x >>= sh; break;
            case FC_ALU_ARSH:
                x = is32 ? asr32((uint32_t)x, sh) : asr64(x, sh);
                break;
            case FC_ALU_NEG:  x = 0 - x; break;
            case FC_ALU_DIV:
                if (is32)
                    x = ip->off ? sdiv32((uint32_t)x, (uint32_t)y)
                                : y ? (uint32_t)x / (uint32_t)y : 0;
                else
                    x = ip->off ? sdiv64(x, y) : y ? x / y : 0;
                break;
            case FC_ALU_MOD:
                if (is32)
                    x = ip->off ? smod32((uint32_t)x, (uint32_t)y)
                                : y ? (uint32_t)x % (uint32_t)y : x;
                else
                    x = ip->off ? smod64(x, y) : y ? x % y : x;
                break;
            default:  /* mov: x is its result already */
                break;
            }
            D = is32 ? (uint32_t)x : x;
            ip++;
            NEXT();
        }
#else
        /* ---- ALU64 (RFC 9669 section 4.1) ---- */
        ALU2(A64_ADD, D += V64)
        ALU2(A64_SUB, D -= V64)
        ALU2(A64_MUL, D *= V64)
        ALU2(A64_OR,  D |= V64)
        ALU2(A64_AND, D &= V64)
        ALU2(A64_XOR, D ^= V64)
        ALU2(A64_LSH, D <<= (V32 & 63))
        ALU2(A64_RSH, D >>= (V32 & 63))
        ALU2(A64_ARSH, D = asr64(D, V32 & 63))
        ALU(A64_MOV_K, D = IMM64)
        ALU(A64_NEG, D = 0 - D)
        ALU2(A64_DIV, D = ip->off ? sdiv64(D, V64) : V64 ? D / V64 : 0)
        ALU2(A64_MOD, D = ip->off ? smod64(D, V64) : V64 ? D % V64 : D)
#endif
#ifdef FC_VM_SMALL
        /* mov and movsx from a register, both classes (the 32-bit ones
         * keep the low word), and the byte swaps, le and be */
        OP(A64_MOV_X) OP(A32_MOV_X) {
            uint64_t v = S;
            switch (ip->off) {
            case 0:  break;
            case 8:  v = sx8(v); break;
            case 16: v = sx16(v); break;
            case 32:
                if (FC_CLASS(ip->op) == FC_CLS_ALU64) {
                    v = sx32(v);
                    break;
                }
                goto bad_insn;
            default: goto bad_insn;
            }
            D = FC_CLASS(ip->op) == FC_CLS_ALU ? (uint32_t)v : v;
            ip++;
            NEXT();
        }
        OP(A64_END_K) OP(A32_END_K) OP(A32_END_X) {
            uint64_t x = D;
            int be = ip->op != (FC_CLS_ALU | FC_SRC_K | FC_ALU_END);
            switch (ip->imm) {
            case 16: x = be ? bswap16(x) : (uint16_t)x; break;
            case 32: x = be ? bswap32(x) : (uint32_t)x; break;
            case 64: x = be ? bswap64(x) : x; break;
            default: goto bad_insn;
            }
            D = x;
            ip++;
            NEXT();
        }
#else
        OP(A64_MOV_X)
            if (VM_LIKELY(ip->off == 0)) {  /* mov; movsx below */
                D = S;
                ip++;
                NEXT();
            }
            switch (ip->off) {
            case 0:  D = S; break;
            case 8:  D = sx8(S); break;
            case 16: D = sx16(S); break;
            case 32: D = sx32(S); break;
            default: goto bad_insn;
            }
            ip++;
            NEXT();
        OP(A64_END_K)  /* bswap16/32/64 */
            switch (ip->imm) {
            case 16: D = bswap16(D); break;
            case 32: D = bswap32(D); break;
            case 64: D = bswap64(D); break;
            default: goto bad_insn;
            }
            ip++;
            NEXT();

#endif
#ifndef FC_VM_SMALL
        /* ---- ALU (32-bit; results zero-extended) ---- */
/* dst = the 32-bit value v, zero-extended. On Thumb-2 the two words are
 * stored through one address (GCC otherwise indexes the low word with a
 * shifted register and computes the address of the high one again: one
 * instruction more in every 32-bit operation; RV32 gains nothing). */
#if defined(VM_NATIVE_LE) && defined(__thumb2__)
#define W32(v)                                                           \
        do {                                                             \
            uint32_t v_w_ = (uint32_t)(v);                               \
            u32_al *d_w_ = (u32_al *)(void *)&D;                         \
            __asm__("" : "+r"(d_w_));                                    \
            d_w_[0] = v_w_;                                              \
            d_w_[1] = 0;                                                 \
        } while (0)
#else
#define W32(v) (D = (uint32_t)(v))
#endif
        ALU2(A32_ADD, W32((uint32_t)(D32 + V32)))
        ALU2(A32_SUB, W32((uint32_t)(D32 - V32)))
        ALU2(A32_MUL, W32((uint32_t)(D32 * V32)))
        ALU2(A32_OR,  W32(D32 | V32))
        ALU2(A32_AND, W32(D32 & V32))
        ALU2(A32_XOR, W32(D32 ^ V32))
        ALU2(A32_LSH, W32((uint32_t)(D32 << (V32 & 31))))
        ALU2(A32_RSH, W32(D32 >> (V32 & 31)))
        ALU2(A32_ARSH, W32(asr32(D32, V32 & 31)))
        ALU(A32_MOV_K, W32(IMM32))
        ALU(A32_NEG, W32((uint32_t)(0 - D32)))
        ALU2(A32_DIV, W32(ip->off ? sdiv32(D32, V32) : V32 ? D32 / V32 : 0))
        ALU2(A32_MOD, W32(ip->off ? smod32(D32, V32) : V32 ? D32 % V32 : D32))
#endif
#ifndef FC_VM_SMALL
        OP(A32_MOV_X)
            if (VM_LIKELY(ip->off == 0)) {
                W32(S32);
                ip++;
                NEXT();
            }
            switch (ip->off) {
            case 0:  D = S32; break;
            case 8:  D = (uint32_t)sx8(S); break;
            case 16: D = (uint32_t)sx16(S); break;
            default: goto bad_insn;
            }
            ip++;
            NEXT();
        OP(A32_END_K)  /* le: the guest is little-endian */
            switch (ip->imm) {
            case 16: D = (uint16_t)D; break;
            case 32: D = (uint32_t)D; break;
            case 64: break;
            default: goto bad_insn;
            }
            ip++;
            NEXT();
        OP(A32_END_X)  /* be */
            switch (ip->imm) {
            case 16: D = bswap16(D); break;
            case 32: D = bswap32(D); break;
            case 64: D = bswap64(D); break;
            default: goto bad_insn;
            }
            ip++;
            NEXT();
#endif

        /* ---- lddw (two slots). The second slot must exist before it is
         * read, in any mode; its fields were checked once if the program
         * is (fc_vm_check, fc_insn_check), and so were the source and the
         * section, which an unchecked program's step checks (insn_ok)
         * before it gets here. */
        OP(LDDW) {
            const fc_insn *hi = ip + 1;
#ifndef VM_LOOP_FAST
            /* (the fast copy runs only a program whose last slot is an
             * exit or a ja: an lddw there is never the last slot) */
            if ((uintptr_t)hi - (uintptr_t)insns >= nbytes)
                goto bad_insn;
#endif
            if (VM_UNLIKELY(check) &&
                (hi->op != 0 || hi->regs != 0 || hi->off != 0))
                goto bad_insn;
            if (SRC == FC_LDDW_IMM) {
                D = (uint64_t)(uint32_t)ip->imm | ((uint64_t)(uint32_t)hi->imm << 32);
            } else {
                unsigned sk = (unsigned)ip->imm & 3u;
                if (!(sect_known & (1u << sk))) {
                    const fc_region *r = NULL;
                    uint32_t j;
                    for (j = 0; j < vm->nregions && j < FC_MAX_REGIONS; j++)
                        if (vm->regions[j].kind == (uint8_t)sk) {
                            r = &vm->regions[j];
                            break;
                        }
                    if (!r) {
                        err = FC_ERR_BAD_PROGRAM;  /* section not provided */
                        goto out;
                    }
                    sect_addr[sk] = r->addr;
                    sect_known |= 1u << sk;
                }
                D = sect_addr[sk] + (uint32_t)hi->imm;
            }
            ip += 2;
            cadj -= FC_INSN_SIZE;  /* two slots, one instruction */
            NEXT();
        }

        /* ---- loads and stores (section 5) ---- */
#ifdef FC_VM_SMALL
        OP(LDX_B) OP(LDX_H) OP(LDX_W) OP(LDX_DW)
        OP(LDXSX_B) OP(LDXSX_H) OP(LDXSX_W) {
            unsigned nb = fc_size_bytes(ip->op);
            uint64_t v;
            addr = S + OFF64;
            ACCESS(SRC, addr, nb, FC_PERM_R, read_fault);
            v = ld_le(p, nb);
            if (FC_MODE(ip->op) == FC_MODE_MEMSX) {
                /* nb is 1, 2 or 4: v < 2^(8 nb), m its sign bit */
                uint32_t m = 0x80u << (8u * (nb - 1u));
                v = (v ^ m) - m;
            }
            D = v;
            ip++;
            NEXT();
        }
        OP(ST_B) OP(ST_H) OP(ST_W) OP(ST_DW)
        OP(STX_B) OP(STX_H) OP(STX_W) OP(STX_DW) {
            unsigned nb = fc_size_bytes(ip->op);
            uint64_t v = FC_CLASS(ip->op) == FC_CLS_ST ? IMM64 : S;
            addr = D + OFF64;
            ACCESS(DST, addr, nb, FC_PERM_W, write_fault);
            st_le(p, nb, v);
            ip++;
            NEXT();
        }
#else
#define LDX(name, nb, ext)                                               \
        OP(name)                                                         \
            addr = S + OFF64;                                            \
            ACCESS(SRC, addr, nb, FC_PERM_R, read_fault);                     \
            D = ext(ld_le(p, nb));                                       \
            ip++;                                                        \
            NEXT();
#define NOEXT(x) (x)
        LDX(LDX_B, 1, NOEXT)
        LDX(LDX_H, 2, NOEXT)
        LDX(LDX_W, 4, NOEXT)
        LDX(LDX_DW, 8, NOEXT)
        LDX(LDXSX_B, 1, sx8)
        LDX(LDXSX_H, 2, sx16)
        LDX(LDXSX_W, 4, sx32)
#define STORE(name, nb, val)                                             \
        OP(name)                                                         \
            addr = D + OFF64;                                            \
            ACCESS(DST, addr, nb, FC_PERM_W, write_fault);                    \
            st_le(p, nb, val);                                           \
            ip++;                                                        \
            NEXT();
        STORE(ST_B, 1, IMM64)
        STORE(ST_H, 2, IMM64)
        STORE(ST_W, 4, IMM64)
        STORE(ST_DW, 8, IMM64)
        STORE(STX_B, 1, S)
        STORE(STX_H, 2, S)
        STORE(STX_W, 4, S)
        STORE(STX_DW, 8, S)

#endif

        /* ---- atomics (section 5.3); single-threaded: plain read-modify-write */
        OP(ATOMIC_W)
        OP(ATOMIC_DW) {
            unsigned nb = FC_SIZE(ip->op) == FC_SZ_DW ? 8u : 4u;
            uint64_t mask = nb == 8 ? ~(uint64_t)0 : 0xffffffffu;
            uint64_t old, v = S & mask, nv;
            int32_t aop = ip->imm;
            switch (aop) {
            case FC_ATOMIC_ADD: case FC_ATOMIC_ADD | FC_ATOMIC_FETCH:
            case FC_ATOMIC_OR:  case FC_ATOMIC_OR | FC_ATOMIC_FETCH:
            case FC_ATOMIC_AND: case FC_ATOMIC_AND | FC_ATOMIC_FETCH:
            case FC_ATOMIC_XOR: case FC_ATOMIC_XOR | FC_ATOMIC_FETCH:
            case FC_ATOMIC_XCHG: case FC_ATOMIC_CMPXCHG:
                break;
            default:
                goto bad_insn;
            }
            if (SRC == FC_REG_FP && (aop & FC_ATOMIC_FETCH) && aop != FC_ATOMIC_CMPXCHG)
                goto bad_insn;  /* a fetch into r10 */
            addr = D + OFF64;
            if (!(p = access_slow(vm, &st, addr, nb, FC_PERM_RW, &HIT(DST, FC_PERM_W))))
                goto write_fault;
            old = ld_le(p, nb);
            switch (aop & ~FC_ATOMIC_FETCH) {
            case FC_ATOMIC_ADD: nv = old + v; break;
            case FC_ATOMIC_OR:  nv = old | v; break;
            case FC_ATOMIC_AND: nv = old & v; break;
            case FC_ATOMIC_XOR: nv = old ^ v; break;
            case FC_ATOMIC_XCHG & ~FC_ATOMIC_FETCH: nv = v; break;
            default: /* cmpxchg: compare with r0 */
                nv = ((reg[0] & mask) == old) ? v : old;
                break;
            }
            st_le(p, nb, nv);
            if (aop == FC_ATOMIC_CMPXCHG)
                reg[0] = old;
            else if (aop & FC_ATOMIC_FETCH)
                S = old;
            ip++;
            NEXT();
        }

        /* ---- jumps (section 4.3) ---- */
        OP(JA)
            goto take;
        OP(JA32)  /* gotol: 32-bit offset in imm */
            t = (uint64_t)PC + 1 + IMM64;  /* mod 2^64: negative = huge */
            if (t >= n) {
                err = FC_ERR_BAD_PROGRAM;
                goto out;
            }
            tgt = insns + t;
            goto take_to;
/* signed comparisons via the offset-binary trick: flip the sign bit */
#define SLT64(x, y) (((x) ^ SIGN64) < ((y) ^ SIGN64))
#define SLT32(x, y) ((uint32_t)((x) ^ SIGN32) < (uint32_t)((y) ^ SIGN32))
#ifdef FC_VM_SMALL
#define VM_JCC_LABEL(name, opc) OP(name)
/* Every conditional jump. JMP32 compares the low words: both moved to the
 * top half (x << 32), which keeps equality, JSET and the unsigned and the
 * signed order of the 32-bit values, so one set of 64-bit tests serves. */
        VM_JCC_OPS(VM_JCC_LABEL, FC_CLS_JMP, J64_)
        VM_JCC_OPS(VM_JCC_LABEL, FC_CLS_JMP32, J32_) {
            uint64_t x = D, y = (ip->op & FC_SRC_X) ? S : IMM64;
            int c;
            if (FC_CLASS(ip->op) == FC_CLS_JMP32) {
                x <<= 32;
                y <<= 32;
            }
            switch (FC_OPCODE_OP(ip->op)) {
            case FC_JMP_JEQ:  c = x == y; break;
            case FC_JMP_JNE:  c = x != y; break;
            case FC_JMP_JGT:  c = x > y; break;
            case FC_JMP_JGE:  c = x >= y; break;
            case FC_JMP_JLT:  c = x < y; break;
            case FC_JMP_JLE:  c = x <= y; break;
            case FC_JMP_JSET: c = (x & y) != 0; break;
            case FC_JMP_JSGT: c = SLT64(y, x); break;
            case FC_JMP_JSGE: c = !SLT64(x, y); break;
            case FC_JMP_JSLT: c = SLT64(x, y); break;
            default:          c = !SLT64(y, x); break;  /* JSLE */
            }
            if (c)
                goto take;
            ip++;
            NEXT();
        }
#else
#define JCC(name, type, a, b, cond)                                      \
        OP(name) {                                                       \
            type x = (type)(a), y = (type)(b);                           \
            if (cond)                                                    \
                goto take;                                               \
            ip++;                                                        \
            NEXT();                                                      \
        }
#define JCC64(jop, cond)                                                 \
        JCC(J64_##jop##_K, uint64_t, D, IMM64, cond)                     \
        JCC(J64_##jop##_X, uint64_t, D, S, cond)
#define JCC32(jop, cond)                                                 \
        JCC(J32_##jop##_K, uint32_t, D, IMM32, cond)                     \
        JCC(J32_##jop##_X, uint32_t, D, S, cond)
        JCC64(JEQ, x == y)
        JCC64(JNE, x != y)
        JCC64(JGT, x > y)
        JCC64(JGE, x >= y)
        JCC64(JLT, x < y)
        JCC64(JLE, x <= y)
        JCC64(JSET, (x & y) != 0)
        JCC64(JSGT, SLT64(y, x))
        JCC64(JSGE, !SLT64(x, y))
        JCC64(JSLT, SLT64(x, y))
        JCC64(JSLE, !SLT64(y, x))
        JCC32(JEQ, x == y)
        JCC32(JNE, x != y)
        JCC32(JGT, x > y)
        JCC32(JGE, x >= y)
        JCC32(JLT, x < y)
        JCC32(JLE, x <= y)
        JCC32(JSET, (x & y) != 0)
        JCC32(JSGT, SLT32(y, x))
        JCC32(JSGE, !SLT32(x, y))
        JCC32(JSLT, SLT32(x, y))
        JCC32(JSLE, !SLT32(y, x))

#endif

        /* ---- calls and exit ---- */
        OP(CALL)
            if (SRC == FC_CALL_HELPER)
                goto call_helper;
            if (SRC != FC_CALL_LOCAL)
                goto bad_insn;
            t = (uint64_t)PC + 1 + IMM64;  /* mod 2^64: negative = huge */
            if (t >= n) {
                err = FC_ERR_BAD_PROGRAM;
                goto out;
            }
            if (depth >= max_depth) {
                err = FC_ERR_CALL_DEPTH;
                goto out;
            }
            /* a local call costs one unit of budget, like a taken backward
             * jump (docs/sandbox.md section 6): without it a loop-free
             * program of nested fan-out calls runs ~k^7 instructions */
            CHARGE();
            saved[depth - 1][0] = reg[6];
            saved[depth - 1][1] = reg[7];
            saved[depth - 1][2] = reg[8];
            saved[depth - 1][3] = reg[9];
            ret_ip[depth - 1] = ip + 1;
            depth++;
            reg[FC_REG_FP] = st.top - (uint64_t)(depth - 1) * FC_STACK_SIZE;
            st.avail = depth * FC_STACK_SIZE;
            stack_map(vm, &st);
            tgt = insns + t;
            LEAVE_TO(tgt);
            ip = tgt;
            NEXT();
        OP(CALLX)
            /* callx (uBPF): the helper number is in the register named by
             * the dst field (fc_isa.c, FC_FMT_CALLX). */
            goto call_helper;
        OP(EXIT)
            if (depth == 1)
                goto out;  /* err == FC_OK */
            depth--;
            reg[6] = saved[depth - 1][0];
            reg[7] = saved[depth - 1][1];
            reg[8] = saved[depth - 1][2];
            reg[9] = saved[depth - 1][3];
            tgt = ret_ip[depth - 1];
            LEAVE_TO(tgt);
            ip = tgt;
            reg[FC_REG_FP] = st.top - (uint64_t)(depth - 1) * FC_STACK_SIZE;
            st.avail = depth * FC_STACK_SIZE;
            stack_map(vm, &st);
            NEXT();

        take:
            /* Jump to ip + 1 + off: the 16-bit offset added to the slot's
             * address in uintptr_t (mod 2^N, exact below VM_TOO_LONG: a
             * target before the code wraps to an address past its end). */
            {
                intptr_t d8 = (intptr_t)ip->off * (intptr_t)FC_INSN_SIZE;
                uintptr_t tb = (uintptr_t)ip + FC_INSN_SIZE + (uintptr_t)d8 -
                               (uintptr_t)insns;
                if (VM_UNLIKELY(tb >= nbytes)) {
                    err = FC_ERR_BAD_PROGRAM;
                    goto out;
                }
                tgt = (const fc_insn *)(const void *)((const uint8_t *)insns + tb);
#ifdef FC_VM_SMALL
                (void)d8;
                goto take_to;  /* one jump path: smaller */
#else
                if (d8 < 0) {
                    /* a taken backward jump costs one unit of budget */
                    CHARGE();
                }
                /* (ip + 1 - insns) - (tgt - insns) = -d8 */
                cadj -= (uint64_t)(int64_t)d8;
                ip = tgt;
                NEXT();
#endif
            }
        take_to:
            if (tgt <= ip) {
                /* a taken backward jump costs one unit of budget */
                CHARGE();
            }
            LEAVE_TO(tgt);
            ip = tgt;
            NEXT();

        call_helper: {
            const fc_helper *h = NULL;
            uint64_t id = (ip->op & FC_SRC_X) ? D : (uint64_t)(uint32_t)ip->imm;
            uint64_t res;
            err = helper_find(vm, id, &h);
            if (err)
                goto out;
            /* a helper may read any reachable stack byte: zero the rest */
            if (st.clean < st.avail)
                stack_clear_to(vm, &st, st.avail);
            vm->helper_err = 0;
            vm->err_addr = 0;   /* a failing helper may set it */
            res = h->fn(vm, reg[1], reg[2], reg[3], reg[4], reg[5]);
            if (vm->helper_err) {
                err = vm->helper_err == FC_ERR_UNWIND ? FC_ERR_UNWIND
                                                      : FC_ERR_HELPER_FAULT;
                fault_addr = vm->err_addr;  /* the helper may have set it */
                goto out;
            }
            reg[0] = res;
            /* the helper may have changed the region table */
            VM_HIT_RESET();
            sect_known = 0;
            ip++;
            NEXT();
        }

        read_fault:
            err = FC_ERR_MEM_READ;
            fault_addr = addr;
            goto out;
        write_fault:
            err = FC_ERR_MEM_WRITE;
            fault_addr = addr;
            goto out;
#ifdef VM_THREADED
        L_BAD:
#endif
        bad_insn:
            err = FC_ERR_BAD_INSN;
            goto out;
        }
#ifndef VM_THREADED
    }
#endif

out:
    /* the stack region exists only during the run */
    sr->len = 0;
    /* the instruction that stopped the run counts; running off the end
     * is no instruction */
    vm->insn_count = (cadj + (uint64_t)((uintptr_t)ip - (uintptr_t)insns)) / FC_INSN_SIZE +
                     (off_end ? 0u : 1u);
    vm->budget_left = ((uint64_t)bud_hi << 32) | bud_lo;
    vm->err = err;
    vm->err_addr = fault_addr;
    if (err) {
        vm->err_pc = PC;
        return err;
    }
    vm->err_pc = 0;
    if (r0)
        *r0 = reg[0];
    return FC_OK;
}
#undef OP
#undef NEXT
#undef DISPATCH
#undef VM_TARGET
#ifndef VM_THREADED
#undef DST
#undef SRC
#undef VM_DECODE
#endif
#endif /* the loop */
