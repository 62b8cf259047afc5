# backends/: one directory per target behind the interface in backends/fc_backend.h.
COMPILER_SRCS +=
