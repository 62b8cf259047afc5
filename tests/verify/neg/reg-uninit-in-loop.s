# expect: r5 read before it is written
mov %r0, 0
mov %r1, 0
L1:
add %r0, %r5
mov %r5, 1
add %r1, 1
jlt %r1, 4, L1
exit
