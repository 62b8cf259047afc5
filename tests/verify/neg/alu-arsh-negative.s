# expect: shift amount -1 out of range for a 64-bit shift
mov %r0, 1
arsh %r0, -1
exit
