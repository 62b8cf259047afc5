# expect: shift amount 32 out of range for a 32-bit shift (0..31)
mov %r0, 1
lsh32 %r0, 32
exit
