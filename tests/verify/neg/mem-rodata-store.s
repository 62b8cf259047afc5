# expect: write to read-only data (.rodata)
lddw %r1, .rodata+0
stw [%r1+0], 1
mov %r0, 0
exit
