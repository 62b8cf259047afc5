#!/usr/bin/env python3
"""set-code-isa.py IN.fcx TARGET ISA OUT.fcx: copy a container with the ISA
feature bits (the CODE section's info, docs/fcx.md) of its code for TARGET
(enum fc_target) set to ISA, and the header's SHA-256 recomputed, so a
loader sees well-formed code that needs those options (e.g. lx106 code
labelled as needing DIV32 and the windowed ABI, as an ESP32's would).
An unsigned container only: a signature would no longer verify."""
import hashlib, struct, sys

src, target, isa, dst = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0), sys.argv[4]
b = bytearray(open(src, "rb").read())
flags, img = struct.unpack_from("<II", b, 0x08)
if flags & 0x10000:
    sys.exit("set-code-isa: the container has a trailer (signed): refusing")
n, table = struct.unpack_from("<HI", b, 0x12)
hit = 0
for i in range(n):
    e = table + 24 * i
    typ, _fl, tgt = struct.unpack_from("<HHB", b, e)
    if typ == 16 and tgt == target:
        struct.pack_into("<I", b, e + 16, isa)
        hit += 1
if hit != 1:
    sys.exit(f"set-code-isa: {src} has {hit} CODE sections for target {target}, not 1")
b[0x30:0x50] = bytes(32)
b[0x30:0x50] = hashlib.sha256(bytes(b[:img])).digest()
open(dst, "wb").write(b)
