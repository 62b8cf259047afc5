# runtime/crypto.mk: device-side signature verification: SHA-512 and
# Ed25519 verification (RFC 8032), freestanding, in libfcrt.a and the cross
# archives. The differential test against OpenSSL is tests/ed25519/.
RUNTIME_SRCS += runtime/fc_sha512.c runtime/fc_ed25519.c
