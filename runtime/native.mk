# runtime/native.mk: the device side of the native calling convention
# (runtime/fc_native.h): env set-up, helper trampoline, 64-bit division,
# bounds-check slow path. Built for the host (the harness uses it) and for
# every cross target.
NATIVE_RT_SRCS := runtime/fc_native_rt.c
RUNTIME_SRCS += $(NATIVE_RT_SRCS)

# runtime.mk's cross archive rules expanded CROSS_SRCS before this fragment
# was read: add the object to each cross archive explicitly.
$(foreach t,$(CROSS_TARGETS),$(eval $(BUILD)/cross/$(t)/libfcrt.a: $(NATIVE_RT_SRCS:%.c=$(BUILD)/cross/$(t)/%.o)))
