# compiler/sign.mk: signing containers on the host (compiler/fc_sign.c,
# OpenSSL's libcrypto: libssl-dev) and femto-sign.
COMPILER_SRCS += compiler/fc_sign.c
LDLIBS += -lcrypto

PROGRAMS += $(BIN)/femto-sign
$(BIN)/femto-sign: $(OBJ)/tools/femto-sign.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) $(LDLIBS)
