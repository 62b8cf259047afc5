# expect: shift amount 64 out of range for a 64-bit shift (0..63)
mov %r0, 1
rsh %r0, 64
exit
