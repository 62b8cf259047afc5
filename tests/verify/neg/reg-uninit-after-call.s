# expect: r1 read before it is written
mov %r1, 5
call local f
add %r0, %r1
exit
f:
mov %r0, %r1
exit
