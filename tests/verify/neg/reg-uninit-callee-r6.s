# expect: r6 read before it is written
mov %r6, 1
call local f
exit
f:
mov %r0, %r6
exit
