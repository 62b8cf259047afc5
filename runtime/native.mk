# runtime/native.mk: the device side of the native calling convention
# (runtime/fc_native.h): env set-up, helper trampoline, 64-bit division,
# bounds-check slow path. Built for the host (the harness uses it) and for
# every cross target.
NATIVE_RT_SRCS := runtime/fc_native_rt.c
RUNTIME_SRCS += $(NATIVE_RT_SRCS)

