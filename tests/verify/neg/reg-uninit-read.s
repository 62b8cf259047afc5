# expect: r3 read before it is written
mov %r0, 1
add %r0, %r3
exit
