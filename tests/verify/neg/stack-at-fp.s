# expect: stack access out of bounds: offset 0, 8 bytes
ldxdw %r0, [%r10+0]
exit
