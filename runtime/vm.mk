# runtime/vm.mk: the reference interpreter + sandbox (fc_vm.c), the standard
# helpers (fc_helpers.c) and the runtime's own mem* routines (fc_libc.c).
VM_SRCS := runtime/fc_vm.c runtime/fc_helpers.c runtime/fc_libc.c
RUNTIME_SRCS += $(VM_SRCS)

# runtime.mk's cross archive rules expand CROSS_SRCS when they are read, before
# this fragment adds to RUNTIME_SRCS; add our objects to those archives
# explicitly (harmless if runtime.mk later picks them up too: $^ drops
# duplicates).
$(foreach t,$(CROSS_TARGETS),$(eval $(BUILD)/cross/$(t)/libfcrt.a: $(VM_SRCS:%.c=$(BUILD)/cross/$(t)/%.o)))
