# tests/rtopt.mk: the runtime build options (docs/PORTING.md "Runtime
# build options") on the host. tests/unit/rtopt/rtopt_test.c is compiled
# once per option and linked, ahead of $(LIBS), with the loader compiled
# with that option: its fc_install/fc_open/fc_run win over libfcrt.a's (the
# simulated device of libfcsim calls them too). Test step unit-rtopt: the
# two binaries' Criterion totals (renamed, so tools/run-tests reads the sum).
RTOPT_VARIANTS := nointerp nonative
RTOPT_nointerp_DEF := -DFC_NO_INTERP
RTOPT_nonative_DEF := -DFC_NO_NATIVE

define rtopt_rules
$(OBJ)/rtopt-$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(RTOPT_$(1)_DEF) -MMD -MP -c $$< -o $$@
$(BIN)/unit-rtopt-$(1): $(OBJ)/rtopt-$(1)/tests/unit/rtopt/rtopt_test.o $(OBJ)/rtopt-$(1)/runtime/fc_loader.o $(LIBS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(LIBS) -lcriterion $$(LDLIBS)
endef
$(foreach v,$(RTOPT_VARIANTS),$(eval $(call rtopt_rules,$(v))))

TEST_STEPS += unit-rtopt
step-unit-rtopt: $(RTOPT_VARIANTS:%=$(BIN)/unit-rtopt-%)
	@p=0; f=0; for v in $(RTOPT_VARIANTS); do \
	  if LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	     $(BIN)/unit-rtopt-$$v --jobs 2 > $(BUILD)/unit-rtopt-$$v.log 2>&1; then :; fi; \
	  sed 's/^\[====\] Synthesis:/[====] unit-rtopt-'$$v':/' $(BUILD)/unit-rtopt-$$v.log; \
	  line=$$(grep -E '^\[====\] Synthesis:' $(BUILD)/unit-rtopt-$$v.log | tail -1); \
	  np=$$(echo "$$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p'); \
	  nf=$$(echo "$$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p'); \
	  nc=$$(echo "$$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p'); \
	  if [ -z "$$np" ]; then np=0; nf=1; nc=0; echo "unit-rtopt-$$v: no synthesis line"; fi; \
	  p=$$((p + np)); f=$$((f + nf + nc)); done; \
	  echo "unit-rtopt: $$p passed, $$f failed"; [ $$f -eq 0 ]
