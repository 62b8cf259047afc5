# tools/install.mk: `make install PREFIX=/usr/local [DESTDIR=...]`
#
#   $(PREFIX)/bin/                      femtoc femto-as femto-objdump femto-sign femto-run
#                                       femto-board femto-conformance-plugin
#   $(PREFIX)/include/femtoc/           the runtime's headers (fc_loader.h, fc_vm.h,
#                                       fc_helpers.h, ...) and femtoc_bpf.h for programs
#   $(PREFIX)/lib/femtoc/CORE/libfcrt.a the device runtime per core, as `make runtime-cross`
#                                       builds it (CORE: cm3, rv32, lx106)
#   $(PREFIX)/lib/pkgconfig/femtoc-runtime-CORE.pc
#   $(PREFIX)/share/femtoc/boards/      the two example firmwares (docs/PORTING.md)
#   $(PREFIX)/share/doc/femtoc/         README.md, docs/*.md
#
# Test step install: installs into a temporary prefix and builds firmware for
# both boards from the installed files only, then runs a program on it
# (tests/ux/install-test.sh).
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL_TOOLS := femtoc femto-as femto-objdump femto-sign femto-run femto-board femto-conformance-plugin
INSTALL_ROOT   = $(DESTDIR)$(PREFIX)
FEMTOC_VERSION := 0.14

# Cflags per core, beside -I: what the runtime was cross-compiled with.
PC_cm3_DESC   := Cortex-M3/M4 (Thumb-2)
PC_rv32_DESC  := RV32IMAC
PC_lx106_DESC := Xtensa lx106 (call0: lx106 code and interpreter)

.PHONY: install
install: $(INSTALL_TOOLS:%=$(BIN)/%) $(foreach t,$(CROSS_TARGETS),$(BUILD)/cross/$(t)/libfcrt.a)
	install -d $(INSTALL_ROOT)/bin $(INSTALL_ROOT)/include/femtoc $(INSTALL_ROOT)/lib/pkgconfig \
	  $(INSTALL_ROOT)/share/femtoc/boards $(INSTALL_ROOT)/share/doc/femtoc
	install -m 755 $(INSTALL_TOOLS:%=$(BIN)/%) $(INSTALL_ROOT)/bin/
	install -m 644 runtime/*.h $(INSTALL_ROOT)/include/femtoc/
	install -m 644 runtime/boards/board.h runtime/boards/board_main.c $(INSTALL_ROOT)/share/femtoc/boards/
	for b in $(BOARDS); do install -d $(INSTALL_ROOT)/share/femtoc/boards/$$b && \
	  install -m 644 runtime/boards/$$b/* $(INSTALL_ROOT)/share/femtoc/boards/$$b/ || exit 1; done
	install -m 644 README.md docs/*.md $(INSTALL_ROOT)/share/doc/femtoc/
	for t in $(CROSS_TARGETS); do \
	  install -d $(INSTALL_ROOT)/lib/femtoc/$$t && \
	  install -m 644 $(BUILD)/cross/$$t/libfcrt.a $(INSTALL_ROOT)/lib/femtoc/$$t/ || exit 1; \
	done
	@$(foreach t,$(CROSS_TARGETS),printf '%s\n' \
	  'prefix=$(PREFIX)' 'includedir=$${prefix}/include/femtoc' 'libdir=$${prefix}/lib/femtoc/$(t)' '' \
	  'Name: femtoc-runtime-$(t)' \
	  'Description: femtoc device runtime (loader, interpreter, helpers, native-code routines) for $(PC_$(t)_DESC)' \
	  'Version: $(FEMTOC_VERSION)' \
	  'Cflags: -I$${includedir} -ffreestanding $(CROSS_$(t)_FLAGS)' \
	  'Libs: -L$${libdir} -lfcrt' > $(INSTALL_ROOT)/lib/pkgconfig/femtoc-runtime-$(t).pc &&) true
	@echo "installed femtoc $(FEMTOC_VERSION) into $(INSTALL_ROOT)"

TEST_STEPS += install
step-install: $(INSTALL_TOOLS:%=$(BIN)/%)
	@rm -rf $(BUILD)/install-test
	@$(MAKE) --no-print-directory install PREFIX=$(abspath $(BUILD))/install-test/usr > $(BUILD)/install-test.log 2>&1 || \
	  { tail -20 $(BUILD)/install-test.log; echo "install: 0 passed, 1 failed (make install)"; exit 1; }
	bash tests/ux/install-test.sh $(abspath $(BUILD))/install-test/usr $(CLANG) $(BUILD)/install-test/work
