# compiler/: the host side (assembler, disassembler, ELF reader, verifier,
# analysis, container writer, femtoc driver). The verifier and analysis keep
# free of host-only dependencies (on-device JIT later); libelf stays in the
# ELF reader.
COMPILER_SRCS +=
