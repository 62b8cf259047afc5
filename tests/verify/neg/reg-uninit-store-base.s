# expect: r4 read before it is written
mov %r0, 0
stw [%r4+0], 1
exit
