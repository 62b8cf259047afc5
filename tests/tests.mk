# tests/: unit tests (Criterion), conformance, negative programs, C programs.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(BIN)/unit-tests

$(UNIT_BIN): $(UNIT_SRCS:%.c=$(OBJ)/%.o) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) -lcriterion $(LDLIBS)

TEST_STEPS += unit
step-unit: $(UNIT_BIN)
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 $(UNIT_BIN) --jobs 2
