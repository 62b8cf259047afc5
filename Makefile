# femtoc - ahead-of-time eBPF compiler for microcontrollers.
#
#   make          host tools into build/bin/
#   make test     the whole suite (ASan + UBSan build in build/san/)
#   make test STEPS='unit conformance'   only some steps
#   make demo     compile examples/hello.c and run it
#   make runtime-cross   the device runtime for Cortex-M3 / RV32 / Xtensa
#
# Each part of the tree has a fragment (runtime/runtime.mk, compiler/compiler.mk,
# backends/backends.mk, tools/tools.mk, tests/tests.mk) that adds its sources,
# programs and test steps to the variables below.

BUILD    ?= build
SAN      ?= 0
CC       := gcc
CLANG    := clang
CLANG19  := $(shell command -v clang-19 2>/dev/null || echo clang)
PYTHON   := python3

CFLAGS_COMMON := -std=c11 -Wall -Wextra -Werror -g -D_DEFAULT_SOURCE \
                 -Iruntime -Icompiler -Ibackends -Imiddle -Isim
ifeq ($(SAN),1)
CFLAGS   := $(CFLAGS_COMMON) -O1 -fno-omit-frame-pointer \
            -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  := -fsanitize=address,undefined
else
CFLAGS   := $(CFLAGS_COMMON) -O2
LDFLAGS  :=
endif
# --as-needed: a program records only the shared libraries it calls (femto-as
# and femtoc no libunicorn or libcrypto); under ASan a process's start and
# LeakSanitizer's exit scan grow with every library mapped, a third of a
# short tool run's cost in the suite.
LDFLAGS  += -Wl,--as-needed
LDLIBS   := -lelf -lunicorn -lpthread -lm

BIN      := $(BUILD)/bin
OBJ      := $(BUILD)/obj
LIB      := $(BUILD)/lib
LOGS     := $(BUILD)/test-logs

LIBS     := $(LIB)/libfcsim.a $(LIB)/libfcc.a $(LIB)/libfcrt.a

# Filled in by the fragments.
RUNTIME_SRCS :=
COMPILER_SRCS :=
SIM_SRCS :=
PROGRAMS :=
TEST_STEPS :=

SHARED   ?= $(abspath ../shared)
CONFORMANCE_DIR ?= $(SHARED)/conformance

.PHONY: all test check demo clean bootstrap
all: programs

bootstrap:
	@sh tools/bootstrap

# Every fragment: runtime/*.mk compiler/*.mk middle/*.mk backends/*.mk backends/*/*.mk sim/*.mk tools/*.mk tests/*.mk
include $(sort $(wildcard runtime/*.mk compiler/*.mk middle/*.mk backends/*.mk backends/*/*.mk sim/*.mk tools/*.mk tests/*.mk))
# Cross archives of the runtime, now that every fragment has added its sources.
$(foreach t,$(CROSS_TARGETS),$(eval $(call cross_rules,$(t))))

programs: $(PROGRAMS)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB)/libfcrt.a: $(RUNTIME_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB)/libfcc.a: $(COMPILER_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB)/libfcsim.a: $(SIM_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The whole suite runs on the sanitizer build. TEST_BUILD lets several
# developers (or a developer and CI) test side by side in one tree.
# TEST_JOBS: the build's parallel jobs (CI has 2 cores), the programs and
# what a step builds (the unit tests, the fuzzers, cross builds): run-tests's
# makes share the jobserver (the + below); the steps themselves run one at a
# time.
TEST_BUILD ?= build/san
TEST_JOBS  ?= 2
test: bootstrap
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) BUILD=$(TEST_BUILD) SAN=1 check

check: $(PROGRAMS)
	@rm -rf $(LOGS) && mkdir -p $(LOGS)
	+@bash tools/run-tests $(LOGS) $(if $(STEPS),$(STEPS),$(TEST_STEPS))

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
