#!/usr/bin/env python3
"""tests/ux/expect.py HEX [full]: what tests/run/prog.c returns (and, with
`full`, prints first) for the context bytes HEX, computed from the C source's
arithmetic, independently of every engine."""
import sys
m = bytes.fromhex(sys.argv[1])
n = len(m)
s = sum(b * (i + 1) for i, b in enumerate(m)) & (2**64 - 1)
r = (((s * 0x9e3779b97f4a7c15) & (2**64 - 1)) // (n | 1)) ^ ((n << 56) & (2**64 - 1))
if len(sys.argv) > 2 and sys.argv[2] == "full":
    print("femto-run: %u bytes, sum %u" % (n & 0xffffffff, s & 0xffffffff))
print("0x%x" % r)
