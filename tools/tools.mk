# tools/: host programs (femto-as, femto-run, femto-conformance-plugin, ...).
PROGRAMS +=

# femto-board (python3) next to the other tools; it finds ../board/*.elf.
PROGRAMS += $(BIN)/femto-board
$(BIN)/femto-board: tools/femto-board
	@mkdir -p $(dir $@)
	cp $< $@
