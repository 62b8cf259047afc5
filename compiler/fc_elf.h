/*
 * fc_elf.h - read an eBPF relocatable object (clang -target bpf -c) into one
 * flat fc_prog. The only part of femtoc that uses libelf.
 *
 * What it understands (clang 14 and clang 19, -mcpu=v1..v4, with or without -g):
 *
 *   executable sections   program sections (`prog`, `xdp`, `hook/...`) and
 *                         `.text` (subprograms, or the program itself when it
 *                         is the only code)
 *   .rodata*, .data*      merged, in section order, into one rodata image and
 *   .bss*                 one data image (bss: lengths only), each part at
 *                         its alignment (capped at 8); the offsets are kept
 *   .symtab               function symbols (boundaries, names, --entry) and
 *                         the targets of relocations
 *   .rel<code section>    R_BPF_64_64 (1) on lddw  -> lddw dst, FC_LDDW_SECTION
 *                                                     (imm = FC_SECT_*,
 *                                                      next.imm = offset)
 *                         R_BPF_64_32 (10) on call -> relinked local call
 *   .BTF + .BTF.ext       line_info -> fc_prog.lines / files (app.c:12)
 *
 * Relocations of debug and BTF sections are ignored; relocations of data
 * sections (pointer tables) and any other relocation type in code are
 * errors.
 *
 * Linking: code sections are cut into functions at function symbols and call
 * targets; starting from the entry function, every function it can call
 * (directly or through other functions) is appended once, entry first, and
 * local calls become relative (src = FC_CALL_LOCAL, imm = target - (pc+1)).
 * A jump that leaves its function is an error (it would not survive the
 * relinking).
 *
 * Hostile input (truncated, overlapping sections, bad indices, huge sizes,
 * relocation offsets out of range, misaligned offsets, wrong machine or byte
 * order) gives an error diagnostic, never a crash or an unbounded allocation.
 */
#ifndef FC_ELF_H
#define FC_ELF_H

#include <stddef.h>
#include <stdint.h>
#include "fc_prog.h"

/* Limits on what an object may ask for. */
#define FC_ELF_MAX_FILE     (64u << 20)  /* bytes of object file            */
#define FC_ELF_MAX_SECTIONS 65535u       /* section headers                 */
#define FC_ELF_MAX_INSNS    (1u << 20)   /* slots of code, all sections     */
#define FC_ELF_MAX_IMAGE    (16u << 20)  /* bytes of rodata / data / bss    */

/*
 * Read the object image[0..len). object_name is used in messages (and kept
 * in out->object_name). entry: function symbol or section name to start
 * from (--entry), or NULL for "the single program section".
 * Returns 0 and fills *out (release with fc_elf_free), or -1 with at least
 * one error in *d (and *out empty; fc_elf_free on it is harmless).
 * Warnings (e.g. unreadable line info) may be added on success.
 */
int fc_elf_read(const void *image, size_t len, const char *object_name,
                const char *entry, fc_prog *out, fc_diags *d);

/* Several entry points (femtoc --entry a --entry b): each names a function
 * or a code section as `entry` above; they are laid out first, in this
 * order (out->entries), then every function they call. nentries 0: as
 * fc_elf_read with entry NULL. At most FC_ELF_MAX_ENTRIES. */
#define FC_ELF_MAX_ENTRIES 64u
int fc_elf_read_entries(const void *image, size_t len, const char *object_name,
                        const char *const *entries, uint32_t nentries, fc_prog *out,
                        fc_diags *d);

/* Femto-Containers' own images (magic "rBPF") are read too (fc_elf_read
 * takes them: data, rodata, text with their lddw opcodes 0xb8/0xd8 turned
 * into femtoc's section form; the program starts at the text's first
 * instruction). Does image start with that magic? */
int fc_elf_is_rbpf(const void *image, size_t len);

/* Read a file from disk, then fc_elf_read. */
int fc_elf_read_file(const char *path, const char *entry, fc_prog *out,
                     fc_diags *d);

int fc_elf_read_file_entries(const char *path, const char *const *entries, uint32_t nentries,
                             fc_prog *out, fc_diags *d);

/* Free everything fc_elf_read allocated in *p and zero it. */
void fc_elf_free(fc_prog *p);

#endif /* FC_ELF_H */
