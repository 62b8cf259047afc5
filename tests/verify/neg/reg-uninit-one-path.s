# expect: r4 read before it is written
mov %r0, 0
jeq %r2, 0, +1
mov %r4, 1
mov %r0, %r4
exit
