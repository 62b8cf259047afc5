# expect: .rodata access out of bounds: offset 0, 4 bytes (the section has 0 bytes)
lddw %r1, .rodata+0
ldxw %r0, [%r1+0]
exit
