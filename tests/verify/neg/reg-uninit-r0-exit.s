# expect: r0 read before it is written
mov %r1, 0
exit
