# tests/ed25519.mk: the differential test of the device's Ed25519 verifier
# (runtime/fc_ed25519.c) against OpenSSL's libcrypto (only this binary links
# -lcrypto). Under ASan/UBSan a case (four verifications) costs about 6 ms
# of CPU, so the suite runs a fixed-seed slice of ED25519_SUITE_N cases;
# `make ed25519-openssl-long` runs ED25519_N (default 10,000) with
# ED25519_SEED in the normal -O2 build (about 10 s).
ED25519_OSSL_BIN := $(BIN)/ed25519-openssl
ED25519_SUITE_N ?= 2000
ED25519_N    ?= 10000
ED25519_SEED ?= 1

$(ED25519_OSSL_BIN): $(OBJ)/tests/ed25519/ed25519_openssl.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) -lcrypto $(LDLIBS)

TEST_STEPS += ed25519-openssl
step-ed25519-openssl: $(ED25519_OSSL_BIN)
	@$(ED25519_OSSL_BIN) $(ED25519_SUITE_N) 1

.PHONY: ed25519-openssl-long
ed25519-openssl-long: $(ED25519_OSSL_BIN)
	$(ED25519_OSSL_BIN) $(ED25519_N) $(ED25519_SEED)
