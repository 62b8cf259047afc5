# runtime/loader.mk: the .fcx loader (validation, install into a flash slot,
# run), SHA-256, the flash abstraction and its simulator, and the
# per-architecture relocation files. Also `make fuzz-install` (libFuzzer over
# fc_install) and its short smoke as a test step.
RUNTIME_SRCS += runtime/fc_sha256.c runtime/fc_flash_sim.c runtime/fc_loader.c \
                runtime/fc_reloc_thumb.c runtime/fc_reloc_rv32.c

# ---- libFuzzer + ASan/UBSan over fc_install ---------------------------------
# Built with clang from the runtime sources directly (not the gcc archives).
FUZZ_INSTALL_BIN    := $(BUILD)/fuzz/fuzz_install
FUZZ_INSTALL_CORPUS := $(BUILD)/fuzz/install-corpus
FUZZ_INSTALL_TIME   ?= 60
FUZZ_INSTALL_SMOKE  ?= 10
FUZZ_FLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Iruntime -Icompiler \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

# The writer (for the seeds) and what it links: fc_diag, fc_disasm.
FUZZ_INSTALL_SRCS = tests/fuzz/fuzz_install.c $(RUNTIME_SRCS) compiler/fc_fcx.c \
                    compiler/fc_diag.c compiler/fc_disasm.c
$(FUZZ_INSTALL_BIN): $(FUZZ_INSTALL_SRCS) $(wildcard runtime/*.h compiler/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $(sort $(FUZZ_INSTALL_SRCS))

# Seeds: valid containers made by the writer (the harness writes them).
$(FUZZ_INSTALL_CORPUS)/.seeded: $(FUZZ_INSTALL_BIN)
	@mkdir -p $(FUZZ_INSTALL_CORPUS)
	FC_FUZZ_SEED_DIR=$(FUZZ_INSTALL_CORPUS) $(FUZZ_INSTALL_BIN) -runs=0 $(FUZZ_INSTALL_CORPUS) >/dev/null 2>&1
	@touch $@

.PHONY: fuzz-install
fuzz-install: $(FUZZ_INSTALL_CORPUS)/.seeded
	$(FUZZ_INSTALL_BIN) -max_total_time=$(FUZZ_INSTALL_TIME) -max_len=8192 -timeout=10 \
	  $(FUZZ_INSTALL_CORPUS)

TEST_STEPS += fuzz-install-smoke
step-fuzz-install-smoke: $(FUZZ_INSTALL_CORPUS)/.seeded
	@$(FUZZ_INSTALL_BIN) -max_total_time=$(FUZZ_INSTALL_SMOKE) -max_len=8192 -timeout=10 \
	  $(FUZZ_INSTALL_CORPUS) > $(BUILD)/fuzz/smoke.log 2>&1; rc=$$?; \
	  tail -3 $(BUILD)/fuzz/smoke.log; \
	  n=$$(ls $(FUZZ_INSTALL_CORPUS) | wc -l); \
	  if [ $$rc = 0 ]; then echo "fuzz-install-smoke: 1 passed, 0 failed (corpus $$n files, $(FUZZ_INSTALL_SMOKE)s)"; \
	  else echo "fuzz-install-smoke: 0 passed, 1 failed (exit $$rc, see $(BUILD)/fuzz/smoke.log)"; exit 1; fi

# test_loader.c runs installed Thumb-2 code through the simulator (sim/fc_emu.h,
# found through the common -Isim)
