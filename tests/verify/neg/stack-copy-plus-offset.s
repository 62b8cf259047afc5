# expect: stack access out of bounds: offset -600, 1 bytes
mov %r1, %r10
add %r1, -600
ldxb %r0, [%r1+0]
exit
