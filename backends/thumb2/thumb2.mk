# backends/thumb2/: the thumbv7m backend (encoders t2_enc.h, code generator,
# disassembler for listings).
COMPILER_SRCS += backends/thumb2/t2_codegen.c backends/thumb2/t2_disasm.c
