# tests/ed25519.mk: the differential test of the device's Ed25519 verifier
# (runtime/fc_ed25519.c) against OpenSSL's libcrypto (only this binary links
# -lcrypto). `make ed25519-openssl-long` runs a bigger campaign
# (ED25519_N cases, ED25519_SEED).
ED25519_OSSL_BIN := $(BIN)/ed25519-openssl
ED25519_N    ?= 100000
ED25519_SEED ?= 1

$(ED25519_OSSL_BIN): $(OBJ)/tests/ed25519/ed25519_openssl.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) -lcrypto $(LDLIBS)

TEST_STEPS += ed25519-openssl
step-ed25519-openssl: $(ED25519_OSSL_BIN)
	@$(ED25519_OSSL_BIN) 10000 1

.PHONY: ed25519-openssl-long
ed25519-openssl-long: $(ED25519_OSSL_BIN)
	$(ED25519_OSSL_BIN) $(ED25519_N) $(ED25519_SEED)
