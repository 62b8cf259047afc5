# runtime/vm.mk: the reference interpreter + sandbox (fc_vm.c), the standard
# helpers (fc_helpers.c) and the runtime's own mem* routines (fc_libc.c).
VM_SRCS := runtime/fc_vm.c runtime/fc_helpers.c runtime/fc_libc.c
RUNTIME_SRCS += $(VM_SRCS)

