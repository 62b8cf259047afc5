/*
 * fc_fault.c - the messages of fc_fault.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fc_fault.h"
#include "fc_disasm.h"
#include "fc_verify.h"
#include "fc_vm.h"

const char *fc_fault_short_path(const char *f)
{
    static char cwd[4096];
    if (!cwd[0] && !getcwd(cwd, sizeof cwd - 1))
        cwd[0] = '\0';
    size_t n = strlen(cwd);
    if (n && strncmp(f, cwd, n) == 0 && f[n] == '/')
        return f + n + 1;
    return f;
}

static const fc_line *line_of(const fc_prog *p, uint32_t insn)
{
    const fc_line *best = NULL;
    for (uint32_t k = 0; p && p->lines && k < p->nlines; k++)
        if (p->lines[k].insn <= insn && (!best || p->lines[k].insn >= best->insn))
            best = &p->lines[k];
    return best;
}

static size_t put(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static size_t put(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n < 0 ? 0 : (size_t)n;
}

size_t fc_fault_format(char *buf, size_t size, const fc_fault_where *w, int have_insn,
                       uint32_t insn, const char *msg)
{
    char dis[128] = "";
    if (!have_insn || !w->insns || insn >= w->ninsns)
        return put(buf, size, "%s: error: %s", w->input, msg);
    fc_disasm_insn(w->insns, w->ninsns, insn, dis, sizeof dis);
    const fc_prog *p = w->prog;
    const fc_func *f = NULL;
    for (uint32_t k = 0; p && p->funcs && k < p->nfuncs; k++)
        if (insn >= p->funcs[k].start && insn < p->funcs[k].end)
            f = &p->funcs[k];
    const fc_line *l = line_of(p, insn);
    if (l && l->file < p->nfiles && l->line && f)
        return put(buf, size, "%s:%u: error: %s (insn %u in '%s': %s)", fc_fault_short_path(p->files[l->file]),
                   (unsigned)l->line, msg, (unsigned)(f->sect_insn + insn - f->start),
                   f->section[0] ? f->section : "?", dis);
    if (l && l->file < p->nfiles && l->line)   /* a container's line table: no functions */
        return put(buf, size, "%s:%u: error: %s (insn %u: %s)", fc_fault_short_path(p->files[l->file]),
                   (unsigned)l->line, msg, (unsigned)insn, dis);
    if (f && f->section[0])
        return put(buf, size, "%s:%s+%u: error: %s (%s)", w->input, f->section,
                   (unsigned)(f->sect_insn + insn - f->start), msg, dis);
    return put(buf, size, "%s: insn %u: error: %s (%s)", w->input, (unsigned)insn, msg, dis);
}

size_t fc_fault_describe(char *buf, size_t size, const fc_fault_where *w, int err, uint32_t pc,
                         uint64_t addr, uint64_t budget)
{
    char msg[400], hn[64] = "";
    const fc_insn *x = w->insns && pc < w->ninsns ? &w->insns[pc] : NULL;
    int call = x && x->op == (FC_CLS_JMP | FC_JMP_CALL) && fc_src(*x) == FC_CALL_HELPER;
    uint32_t id = call ? (uint32_t)x->imm : 0;
    const fc_vfy_helper *h = call ? fc_vfy_find_known(id) : NULL;
    if (call && h)
        snprintf(hn, sizeof hn, "%s (0x%02x)", h->name, (unsigned)id);
    else if (call)
        snprintf(hn, sizeof hn, "0x%02x", (unsigned)id);
    const char *es = fc_err_str(err);
    unsigned long long a = (unsigned long long)addr;
    if (err == FC_ERR_HELPER_FAULT && h && h->id == 0x01)
        snprintf(msg, sizeof msg, "%s: printf's format or a %%s argument at 0x%llx is not a "
                 "NUL-terminated string inside one readable region (helper %s)", es, a, hn);
    else if (err == FC_ERR_HELPER_FAULT && call)
        snprintf(msg, sizeof msg, "%s: helper %s refused the memory at 0x%llx (outside the regions it "
                 "may use, or not what it expects; docs/sandbox.md section 7; helper number 0x%02x)", es,
                 h ? h->name : hn, a, (unsigned)id);
    else if (err == FC_ERR_UNWIND && h && h->id == 0xf0)
        snprintf(msg, sizeof msg, "%s: fc_abort(%llu) (fc_assert: the line of the failed assertion)", es, a);
    else if (err == FC_ERR_UNWIND && call)
        snprintf(msg, sizeof msg, "%s: helper %s stopped the program (code 0x%llx)", es, hn, a);
    else if ((err == FC_ERR_HELPER_UNKNOWN || err == FC_ERR_HELPER_DENIED) && call)
        snprintf(msg, sizeof msg, "%s: helper %s%s", es, hn,
                 err == FC_ERR_HELPER_UNKNOWN ? " is not registered on this device"
                                              : " is not in the container's imports");
    else if (err == FC_ERR_MEM_READ || err == FC_ERR_MEM_WRITE || err == FC_ERR_HELPER_FAULT)
        snprintf(msg, sizeof msg, "%s (address 0x%llx)", es, a);
    else if (err == FC_ERR_BUDGET)
        snprintf(msg, sizeof msg, "%s: %llu taken backward jumps allowed (--budget N changes it)", es,
                 (unsigned long long)budget);
    else if (err == FC_ERR_CALL_DEPTH)
        snprintf(msg, sizeof msg, "%s (%u frames of %u bytes)", es, FC_MAX_CALL_DEPTH, FC_STACK_SIZE);
    else
        snprintf(msg, sizeof msg, "%s", es);
    return fc_fault_format(buf, size, w, 1, pc, msg);
}
