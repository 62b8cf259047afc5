# expect: write to read-only data (.rodata)
lddw %r1, .rodata+0
mov %r2, 1
lock add [%r1+0], %r2
mov %r0, 0
exit
