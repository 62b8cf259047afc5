# runtime/vm.mk: the reference interpreter + sandbox (fc_vm.c), the standard
# helpers (fc_helpers.c) and the runtime's own mem* routines (fc_libc.c).
VM_SRCS := runtime/fc_vm.c runtime/fc_helpers.c runtime/fc_libc.c
RUNTIME_SRCS += $(VM_SRCS)


# The portable `switch` dispatch of the interpreter (fc_vm.c without
# computed goto, -DFC_VM_SWITCH: what a compiler other than GCC/Clang
# builds) is built and tested on the host too: the interpreter's unit tests
# (tests/unit/test_vm_*.c) linked, ahead of $(LIBS), with fc_vm.c compiled
# that way, and with the small shared handlers of an -Os device build
# (-DFC_VM_SMALL), which the host otherwise never runs. Test step
# unit-vmswitch: their Criterion total, renamed.
VMSWITCH_TESTS := $(wildcard tests/unit/test_vm_*.c)
$(OBJ)/vmswitch/runtime/fc_vm.o: runtime/fc_vm.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DFC_VM_SWITCH -DFC_VM_SMALL -MMD -MP -c $< -o $@
$(BIN)/unit-vmswitch: $(VMSWITCH_TESTS:%.c=$(OBJ)/%.o) $(OBJ)/vmswitch/runtime/fc_vm.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) -lcriterion $(LDLIBS)

TEST_STEPS += unit-vmswitch
step-unit-vmswitch: $(BIN)/unit-vmswitch
	@if LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	   $(BIN)/unit-vmswitch --jobs 2 > $(BUILD)/unit-vmswitch.log 2>&1; then :; fi; \
	sed 's/^\[====\] Synthesis:/[====] unit-vmswitch:/' $(BUILD)/unit-vmswitch.log; \
	line=$$(grep -E '^\[====\] Synthesis:' $(BUILD)/unit-vmswitch.log | tail -1); \
	np=$$(echo "$$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p'); \
	nf=$$(echo "$$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p'); \
	nc=$$(echo "$$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p'); \
	if [ -z "$$np" ]; then np=0; nf=1; nc=0; echo "unit-vmswitch: no synthesis line"; fi; \
	echo "unit-vmswitch: $$np passed, $$((nf + nc)) failed"; [ $$((nf + nc)) -eq 0 ]
