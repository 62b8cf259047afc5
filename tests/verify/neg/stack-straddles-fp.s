# expect: stack access out of bounds: offset -4, 8 bytes
ldxdw %r0, [%r10-4]
exit
