# backends/: one directory per target behind the interface in backends/fc_backend.h.
# The backends are part of libfcc (host compiler; no host-only dependencies,
# the on-device JIT will build the same sources).
COMPILER_SRCS += backends/fc_backend.c
