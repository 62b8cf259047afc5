# expect: r3 read before it is written (argument 3 of helper 2 (memcpy))
mov %r1, %r10
add %r1, -8
mov %r2, %r10
add %r2, -16
call 2
exit
